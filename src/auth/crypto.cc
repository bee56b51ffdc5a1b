// The cryptographic primitives of identity: random secrets, SHA-256, argon2id (libsodium) and
// RFC 6238 TOTP (HMAC-SHA1 from OpenSSL).
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sodium.h>

#include <array>
#include <chrono>
#include <cstdlib>
#include <string>
#include <vector>

#include "auth/internal.h"
#include "core/text.h"

namespace pdh::auth {
namespace {

constexpr std::string_view kBase32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
constexpr int64_t kTotpPeriod = 30;
constexpr int kTotpDigits = 6;
// Interactive limits: ~0.1 s and 64 MiB per hash on a server core.
constexpr auto kOpsLimit = crypto_pwhash_OPSLIMIT_INTERACTIVE;
constexpr auto kMemLimit = crypto_pwhash_MEMLIMIT_INTERACTIVE;

void InitSodium() {
  static const bool ready = sodium_init() >= 0;
  if (!ready) {
    throw Failure(Error::Internal("auth.crypto_unavailable", "libsodium could not start"));
  }
}

std::string RandomBytes(size_t n) {
  InitSodium();
  std::string out(n, '\0');
  randombytes_buf(out.data(), n);
  return out;
}

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

}  // namespace

std::string RandomBase64Url(size_t bytes) {
  const std::string raw = RandomBytes(bytes);
  const auto variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string out(sodium_base64_encoded_len(bytes, variant), '\0');
  sodium_bin2base64(out.data(), out.size(), Bytes(raw), raw.size(), variant);
  out.resize(out.size() - 1);  // the encoder's terminating NUL
  return out;
}

std::string Sha256Hex(std::string_view data) {
  InitSodium();
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256(digest.data(), Bytes(data), data.size());
  std::string hex(digest.size() * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
  hex.pop_back();
  return hex;
}

std::string NormalizePassword(std::string_view password) {
  return text::Nfc(password);
}

std::string HashPassword(std::string_view password) {
  InitSodium();
  std::array<char, crypto_pwhash_STRBYTES> out{};
  if (crypto_pwhash_str_alg(out.data(), password.data(), password.size(), kOpsLimit, kMemLimit,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    throw Failure(Error::Internal("auth.out_of_memory",
                                  "not enough memory to hash a password: try again later"));
  }
  return out.data();
}

bool VerifyPassword(const std::string& hash, std::string_view password) {
  InitSodium();
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

bool NeedsRehash(const std::string& hash) {
  InitSodium();
  return crypto_pwhash_str_needs_rehash(hash.c_str(), kOpsLimit, kMemLimit) != 0;
}

void VerifyDummyPassword(std::string_view password) {
  static const std::string dummy = HashPassword(RandomBase64Url(16));
  (void)VerifyPassword(dummy, password);
}

std::string Base32Encode(std::string_view bytes) {
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (unsigned char c : bytes) {
    buffer = (buffer << 8) | c;
    bits += 8;
    while (bits >= 5) {
      out += kBase32[(buffer >> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += kBase32[(buffer << (5 - bits)) & 31];
  return out;
}

std::optional<std::string> Base32Decode(std::string_view text) {
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    if (c == ' ' || c == '=') continue;
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    const size_t v = kBase32.find(c);
    if (v == std::string_view::npos) return std::nullopt;
    buffer = (buffer << 5) | static_cast<uint32_t>(v);
    bits += 5;
    if (bits >= 8) {
      out += static_cast<char>((buffer >> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return out;
}

std::string NewTotpSecret() {
  return Base32Encode(RandomBytes(20));
}

std::string Hotp(std::string_view key, uint64_t counter, int digits) {
  std::array<unsigned char, 8> message{};
  for (int i = 7; i >= 0; --i, counter >>= 8) message[static_cast<size_t>(i)] = counter & 0xff;
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  unsigned int len = 0;
  HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()), message.data(), message.size(),
       mac.data(), &len);
  // RFC 4226 dynamic truncation.
  const size_t offset = mac[len - 1] & 0x0f;
  const uint32_t binary = (static_cast<uint32_t>(mac[offset] & 0x7f) << 24) |
                          (static_cast<uint32_t>(mac[offset + 1]) << 16) |
                          (static_cast<uint32_t>(mac[offset + 2]) << 8) | mac[offset + 3];
  uint32_t modulus = 1;
  for (int i = 0; i < digits; ++i) modulus *= 10;
  std::string code = std::to_string(binary % modulus);
  return std::string(static_cast<size_t>(digits) - code.size(), '0') + code;
}

int64_t TotpStep(TimePoint t) {
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch());
  return seconds.count() / kTotpPeriod;
}

std::string TotpCode(const std::string& secret_base32, TimePoint t) {
  auto key = Base32Decode(secret_base32);
  if (!key || key->empty()) return "";
  return Hotp(*key, static_cast<uint64_t>(TotpStep(t)), kTotpDigits);
}

std::optional<int64_t> MatchTotp(const std::string& secret_base32, std::string_view code,
                                 TimePoint t) {
  auto key = Base32Decode(secret_base32);
  if (!key || key->empty() || code.size() != kTotpDigits) return std::nullopt;
  const int64_t now = TotpStep(t);
  for (int64_t step = now - 1; step <= now + 1; ++step) {
    const std::string expected = Hotp(*key, static_cast<uint64_t>(step), kTotpDigits);
    if (sodium_memcmp(expected.data(), code.data(), expected.size()) == 0) return step;
  }
  return std::nullopt;
}

}  // namespace pdh::auth
