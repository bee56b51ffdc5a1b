// The wire formats: base64, RFC 2047 subjects split between whole characters, RFC 5322 dates,
// addresses, the webhook JSON; and the test servers' decoding they are checked with.
#include <gtest/gtest.h>
#include <boost/json/parse.hpp>

#include <string>
#include <vector>

#include "notify/internal.h"
#include "notify/test_servers.h"

namespace pdh::notify::internal {
namespace {

TEST(Mail, Base64) {
  EXPECT_EQ(Base64(""), "");
  EXPECT_EQ(Base64("f"), "Zg==");
  EXPECT_EQ(Base64("fo"), "Zm8=");
  EXPECT_EQ(Base64("foo"), "Zm9v");
  EXPECT_EQ(Base64("foobar"), "Zm9vYmFy");
  EXPECT_EQ(Base64("foobarfoobar", 8), "Zm9vYmFy\r\nZm9vYmFy");
  static constexpr char kBytes[] = "\xff\x00\x80 Tiếng Việt";
  const std::string bytes(kBytes, sizeof kBytes - 1);
  ASSERT_EQ(bytes[1], '\0');
  EXPECT_EQ(testing::DecodeBase64(Base64(bytes, 4)), bytes);
}

TEST(Mail, SubjectIsEncodedInWordsOfWholeCharacters) {
  const std::string subject =
      "Báo cáo tháng 10/2025 chưa nộp: Ủy ban nhân dân xã Đức Hòa — đề nghị khẩn trương hoàn "
      "thành";
  const std::string encoded = EncodeHeader(subject);
  EXPECT_EQ(testing::DecodeHeader(encoded), subject);
  size_t words = 0;
  size_t pos = 0;
  while (pos < encoded.size()) {
    size_t end = encoded.find("\r\n ", pos);
    if (end == std::string::npos) end = encoded.size();
    const std::string word = encoded.substr(pos, end - pos);
    ++words;
    EXPECT_LE(word.size(), 75U);
    ASSERT_EQ(word.substr(0, 10), "=?UTF-8?B?");
    ASSERT_EQ(word.substr(word.size() - 2), "?=");
    // Each word on its own is valid UTF-8: it decodes to whole characters.
    const std::string text = testing::DecodeBase64(word.substr(10, word.size() - 12));
    ASSERT_FALSE(text.empty());
    EXPECT_NE(static_cast<unsigned char>(text.front()) & 0xC0U, 0x80U);
    pos = end + 3;
  }
  EXPECT_GT(words, 2U);
  EXPECT_EQ(testing::DecodeHeader(EncodeHeader("a\r\nBcc: x@y")), "a  Bcc: x@y");
  EXPECT_EQ(EncodeHeader(""), "");
}

TEST(Mail, DateIsRfc5322) {
  EXPECT_EQ(MailDate(*ParseTime("2025-11-07T08:15:09Z")), "Fri, 07 Nov 2025 08:15:09 +0000");
  EXPECT_EQ(MailDate(*ParseTime("2024-02-29T23:59:59Z")), "Thu, 29 Feb 2024 23:59:59 +0000");
}

TEST(Mail, Addresses) {
  EXPECT_TRUE(IsPlainAddress("stnmt@longan.gov.vn"));
  EXPECT_FALSE(IsPlainAddress(""));
  EXPECT_FALSE(IsPlainAddress("stnmt"));
  EXPECT_FALSE(IsPlainAddress("@x"));
  EXPECT_FALSE(IsPlainAddress("a@"));
  EXPECT_FALSE(IsPlainAddress("a@b@c"));
  EXPECT_FALSE(IsPlainAddress("Sở <a@b>"));
  EXPECT_FALSE(IsPlainAddress("a@b\r\nBcc: c@d"));
  EXPECT_EQ(SplitAddresses(" a@b , c@d;;e@f "), (std::vector<std::string>{"a@b", "c@d", "e@f"}));
  EXPECT_TRUE(SplitAddresses(" ").empty());

  Config c;
  c.email_default = "vp@x";
  c.unit_emails = {{"80.SYT", "syt@x"}, {"80.STC", ""}};
  EXPECT_EQ(Recipients(c, "80.SYT"), std::vector<std::string>{"syt@x"});
  EXPECT_EQ(Recipients(c, "80.STC"), std::vector<std::string>{"vp@x"});
  EXPECT_EQ(Recipients(c, "25459"), std::vector<std::string>{"vp@x"});
  c.email_default.clear();
  EXPECT_TRUE(Recipients(c, "25459").empty());
}

TEST(Mail, FormatsAWholeMessage) {
  Mail m{"pdh@example.vn",        {"a@x", "b@y"},        "Quá hạn",
         "Dòng 1\nDòng 2\r\n.\n", "1.outbox@example.vn", *ParseTime("2025-11-07T08:15:00Z")};
  const std::string text = FormatMail(m);
  testing::SmtpMessage parsed{"", {}, text};
  EXPECT_EQ(parsed.Header("To"), "a@x, b@y");
  EXPECT_EQ(parsed.Subject(), "Quá hạn");
  EXPECT_EQ(parsed.Header("Content-Transfer-Encoding"), "base64");
  EXPECT_EQ(parsed.Header("Message-ID"), "<1.outbox@example.vn>");
  EXPECT_EQ(parsed.Body(), "Dòng 1\r\nDòng 2\r\n.\r\n");
  EXPECT_EQ(text.find('\n') - 1, text.find("\r\n"));  // CRLF line ends
}

TEST(Mail, WebhookJson) {
  Message m{"overdue", "k", "80", "Tiêu đề", "Nội dung", {}};
  m.data["month"] = "2025-10";
  const auto v = boost::json::parse(WebhookJson(m)).as_object();
  EXPECT_EQ(v.at("subject").as_string(), "Tiêu đề");
  EXPECT_EQ(v.at("data").as_object().at("month").as_string(), "2025-10");
  EXPECT_EQ(v.size(), 6U);
}

TEST(Mail, ValidatesConfig) {
  Config c;
  EXPECT_TRUE(Validate(c));
  c.smtp_url = "smtps://mail.example.vn:465";
  c.webhook_url = "https://hooks.example.vn/pdh";
  EXPECT_TRUE(Validate(c));
  c.max_attempts = 0;
  EXPECT_FALSE(Validate(c));
  c.max_attempts = 1;
  c.email_from = "PDH <pdh@x>";
  EXPECT_FALSE(Validate(c));
  c.email_from = "pdh@x";
  c.smtp_url = "http://mail";
  EXPECT_FALSE(Validate(c));
}

}  // namespace
}  // namespace pdh::notify::internal
