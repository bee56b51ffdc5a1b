// Tests for citizen identity numbers: layout, province codes, errors.
#include "core/citizen_id.h"

#include <gtest/gtest.h>

namespace pdh::citizen_id {
namespace {

TEST(CitizenId, Valid) {
  Result<CitizenId> id = Check("079085000123");
  ASSERT_TRUE(id) << id.error().message;
  EXPECT_EQ(id->province_code, "079");
  EXPECT_EQ(id->birth_year, 1985);
  EXPECT_FALSE(id->female);

  id = Check("  072301012345\t", 2025);
  ASSERT_TRUE(id) << id.error().message;
  EXPECT_EQ(id->province_code, "072");
  EXPECT_EQ(id->birth_year, 2001);
  EXPECT_TRUE(id->female);

  id = Check(
      "\xC2\xA0"
      "001199000001");  // NBSP from a spreadsheet cell
  ASSERT_TRUE(id) << id.error().message;
  EXPECT_EQ(id->birth_year, 1999);
  EXPECT_TRUE(id->female);
}

TEST(CitizenId, CenturyAndSexDigit) {
  struct Case {
    char digit;
    int year;
    bool female;
  };
  for (Case c : {Case{'0', 1950, false}, Case{'1', 1950, true}, Case{'2', 2050, false},
                 Case{'3', 2050, true}, Case{'4', 2150, false}, Case{'5', 2150, true},
                 Case{'6', 2250, false}, Case{'7', 2250, true}, Case{'8', 1850, false},
                 Case{'9', 1850, true}}) {
    std::string s = "080";
    s += c.digit;
    s += "50000042";
    Result<CitizenId> id = Check(s);
    ASSERT_TRUE(id) << s;
    EXPECT_EQ(id->birth_year, c.year) << s;
    EXPECT_EQ(id->female, c.female) << s;
  }
}

TEST(CitizenId, NoChecksum) {
  // Any serial is accepted: the number carries no check digit.
  for (std::string_view s : {"079085000000", "079085999999", "079085123456"}) {
    EXPECT_TRUE(Check(s)) << s;
  }
}

void ExpectError(std::string_view s, std::string_view part, std::optional<int> year = {}) {
  Result<CitizenId> id = Check(s, year);
  ASSERT_FALSE(id) << s;
  EXPECT_EQ(id.error().code, "value.citizen_id");
  EXPECT_EQ(id.error().status, 422);
  EXPECT_NE(id.error().message.find(part), std::string::npos) << id.error().message;
}

TEST(CitizenId, WrongLength) {
  ExpectError("07908500012",
              "số định danh phải có đúng 12 chữ số (có 11) / a citizen ID has exactly 12 digits "
              "(this has 11)");
  ExpectError("0790850001234", "(có 13)");
  ExpectError("025123456", "9-digit identity card");
  ExpectError("", "empty");
  ExpectError("   ", "chưa có số định danh");
}

TEST(CitizenId, NotDigits) {
  ExpectError("079 085 000 123",
              "viết liền 12 chữ số, không có dấu cách / a citizen ID is 12 "
              "digits with no spaces between them");
  ExpectError("079-085-000123", "not “-”");
  ExpectError("07908500012a", "“a”");
  ExpectError("０79085000123", "“０”");  // fullwidth zero
  ExpectError("x079085000123", "“x”");
}

TEST(CitizenId, UnknownProvince) {
  ExpectError("099085000123",
              "mã tỉnh nơi đăng ký khai sinh 099 không tồn tại / the birth-registration province "
              "code 099 does not exist");
  ExpectError("000085000123", "000");
  ExpectError("003085000123", "003");
  ExpectError("097085000123", "097");
}

TEST(CitizenId, BirthYearInTheFuture) {
  ExpectError("079331000123", "năm sinh 2031", 2025);
  ExpectError("079331000123", "the birth year 2031 (digits 4-6: 331) is after 2025", 2025);
  EXPECT_TRUE(Check("079325000123", 2025));  // born this year
  EXPECT_TRUE(Check("079331000123"));        // no current year: not checked
  ExpectError("079400000123", "2100", 2025);
}

TEST(CitizenId, ProvinceNames) {
  EXPECT_EQ(ProvinceName("001"), "Hà Nội");
  EXPECT_EQ(ProvinceName("072"), "Tây Ninh");
  EXPECT_EQ(ProvinceName("077"), "Bà Rịa – Vũng Tàu");
  EXPECT_EQ(ProvinceName("079"), "Hồ Chí Minh");
  EXPECT_EQ(ProvinceName("080"), "Long An");
  EXPECT_EQ(ProvinceName("096"), "Cà Mau");
  EXPECT_EQ(ProvinceName("099"), "");
  EXPECT_EQ(ProvinceName("79"), "");
  EXPECT_EQ(ProvinceName(""), "");
  int known = 0;
  for (int code = 0; code < 1000; ++code) {
    std::string s = std::to_string(code);
    s.insert(0, 3 - s.size(), '0');
    if (!ProvinceName(s).empty()) ++known;
  }
  EXPECT_EQ(known, 63);
}

}  // namespace
}  // namespace pdh::citizen_id
