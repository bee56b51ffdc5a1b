// The primitives: password policy, argon2id, base32, RFC 6238 TOTP, random secrets.
#include <gtest/gtest.h>

#include <chrono>
#include <set>

#include "auth/internal.h"

namespace pdh::auth {
namespace {

using std::chrono::seconds;

TimePoint At(int64_t unix_seconds) {
  return TimePoint(seconds(unix_seconds));
}

TEST(PasswordPolicy, LengthCountsCodePoints) {
  const Config config;
  EXPECT_TRUE(PasswordProblem("abcdefghijklm", false, config));    // 13
  EXPECT_FALSE(PasswordProblem("abcdefghijklmn", false, config));  // 14
  // 13 code points in 19 bytes is still too short; 14 is enough.
  EXPECT_TRUE(PasswordProblem("đường đi dàii", false, config));
  EXPECT_FALSE(PasswordProblem("đường đi dàiii", false, config));
  auto problem = PasswordProblem("short", false, config);
  ASSERT_TRUE(problem);
  EXPECT_NE(problem->find("at least 14 characters"), std::string::npos) << *problem;
}

TEST(PasswordPolicy, ShorterWithTotp) {
  const Config config;
  EXPECT_TRUE(PasswordProblem("abcdefg", true, config));
  EXPECT_FALSE(PasswordProblem("abcdefgh", true, config));
  EXPECT_TRUE(PasswordProblem("abcdefgh", false, config));
  auto problem = PasswordProblem("abc", true, config);
  ASSERT_TRUE(problem);
  EXPECT_NE(problem->find("at least 8 characters"), std::string::npos) << *problem;
}

TEST(Argon2id, HashVerifiesAndRejects) {
  const std::string hash = HashPassword("một hai ba bốn năm sáu");
  EXPECT_EQ(hash.rfind("$argon2id$", 0), 0u) << hash;
  EXPECT_TRUE(VerifyPassword(hash, "một hai ba bốn năm sáu"));
  EXPECT_FALSE(VerifyPassword(hash, "một hai ba bốn năm bảy"));
  EXPECT_FALSE(NeedsRehash(hash));
  EXPECT_NE(HashPassword("một hai ba bốn năm sáu"), hash);  // salted
  EXPECT_FALSE(VerifyPassword("not a hash", "x"));
}

TEST(Argon2id, PasswordsCompareInNfc) {
  // "ế" precomposed (U+1EBF) and as e + circumflex + acute.
  EXPECT_EQ(NormalizePassword("bi\xe1\xba\xbft"), NormalizePassword("bie\xcc\x82\xcc\x81t"));
}

TEST(Base32, Rfc4648VectorsWithoutPadding) {
  EXPECT_EQ(Base32Encode(""), "");
  EXPECT_EQ(Base32Encode("f"), "MY");
  EXPECT_EQ(Base32Encode("foob"), "MZXW6YQ");
  EXPECT_EQ(Base32Encode("foobar"), "MZXW6YTBOI");
  EXPECT_EQ(Base32Decode("mzxw6ytboi"), "foobar");
  EXPECT_EQ(Base32Decode("MZXW 6YQ="), "foob");
  EXPECT_FALSE(Base32Decode("MZ1"));
  const std::string secret = NewTotpSecret();
  EXPECT_EQ(secret.size(), 32u);  // 20 bytes
  EXPECT_EQ(Base32Decode(secret)->size(), 20u);
}

// RFC 6238 appendix B, SHA1: the 8-digit codes, and TotpCode's 6 digits are their last 6.
TEST(Totp, Rfc6238Sha1Vectors) {
  const std::string key = "12345678901234567890";
  const std::string secret = Base32Encode(key);
  const std::pair<int64_t, std::string> vectors[] = {
      {59, "94287082"},         {1111111109, "07081804"}, {1111111111, "14050471"},
      {1234567890, "89005924"}, {2000000000, "69279037"}, {20000000000, "65353130"},
  };
  for (const auto& [t, code] : vectors) {
    EXPECT_EQ(Hotp(key, static_cast<uint64_t>(t / 30), 8), code) << t;
    // system_clock counts nanoseconds in 64 bits: it ends in 2262, before the last vector.
    if (t < 9'000'000'000) {
      EXPECT_EQ(TotpCode(secret, At(t)), code.substr(2)) << t;
    }
  }
}

TEST(Totp, AcceptsOneStepEitherWay) {
  const std::string secret = NewTotpSecret();
  const TimePoint now = At(1759305600);  // a step boundary
  const int64_t step = TotpStep(now);
  EXPECT_EQ(MatchTotp(secret, TotpCode(secret, now), now), step);
  EXPECT_EQ(MatchTotp(secret, TotpCode(secret, now - seconds(30)), now), step - 1);
  EXPECT_EQ(MatchTotp(secret, TotpCode(secret, now + seconds(30)), now), step + 1);
  EXPECT_FALSE(MatchTotp(secret, TotpCode(secret, now - seconds(60)), now));
  EXPECT_FALSE(MatchTotp(secret, TotpCode(secret, now + seconds(60)), now));
  EXPECT_FALSE(MatchTotp(secret, "12345", now));
  EXPECT_FALSE(MatchTotp(secret, "", now));
  EXPECT_FALSE(MatchTotp("not base32!", "123456", now));
}

TEST(Secrets, RandomAndHashed) {
  std::set<std::string> seen;
  for (int i = 0; i < 50; ++i) {
    const std::string s = RandomBase64Url(32);
    EXPECT_EQ(s.size(), 43u);
    EXPECT_EQ(
        s.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
        std::string::npos);
    seen.insert(s);
  }
  EXPECT_EQ(seen.size(), 50u);
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace pdh::auth
