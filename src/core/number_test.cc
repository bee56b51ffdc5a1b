// Tests for number parsing as Vietnamese and foreign exports write numbers.
#include "core/number.h"

#include <gtest/gtest.h>

#include <limits>

namespace pdh::number {
namespace {

TEST(ParseInteger, GroupedByThree) {
  EXPECT_EQ(ParseInteger("3.254.170"), 3254170);
  EXPECT_EQ(ParseInteger("30,509"), 30509);
  EXPECT_EQ(ParseInteger("1 234"), 1234);
  EXPECT_EQ(ParseInteger("1\xC2\xA0"
                         "234\xC2\xA0"
                         "567"),
            1234567);  // NBSP, as Excel writes
  EXPECT_EQ(ParseInteger("8.718.000"), 8718000);
}

TEST(ParseInteger, SignAndSpaces) {
  EXPECT_EQ(ParseInteger("-12"), -12);
  EXPECT_EQ(ParseInteger("+7"), 7);
  EXPECT_EQ(ParseInteger("  42 "), 42);
  EXPECT_EQ(ParseInteger("0"), 0);
  EXPECT_EQ(ParseInteger("-9223372036854775808"), std::numeric_limits<int64_t>::min());
}

TEST(ParseInteger, Rejects) {
  for (std::string_view s :
       {"", " ", "-", "đang cập nhật", "1,5", "1.2.3", "12,34,56", "1.234,5", "1.234 567",
        "1234.567", ",123", "123,", "1..234", "12a", "9223372036854775808", "1e3", "- 1"}) {
    EXPECT_EQ(ParseInteger(s), std::nullopt) << s;
  }
}

TEST(ParseDecimal, BothMarks) {
  EXPECT_DOUBLE_EQ(*ParseDecimal("8.536,44"), 8536.44);
  EXPECT_DOUBLE_EQ(*ParseDecimal("1.234.567,89"), 1234567.89);
  EXPECT_DOUBLE_EQ(*ParseDecimal("1,234,567.89"), 1234567.89);
  EXPECT_EQ(ParseDecimal("1.23,4.5"), std::nullopt);
  EXPECT_EQ(ParseDecimal("1,234.5,6"), std::nullopt);
}

TEST(ParseDecimal, OnlyComma) {
  EXPECT_DOUBLE_EQ(*ParseDecimal("1,5"), 1.5);
  EXPECT_DOUBLE_EQ(*ParseDecimal("30,509"), 30.509);  // one comma is a decimal comma
  EXPECT_DOUBLE_EQ(*ParseDecimal("1,234,567"), 1234567);
  EXPECT_DOUBLE_EQ(*ParseDecimal("1 234,5"), 1234.5);
  EXPECT_EQ(ParseDecimal("12,34,56"), std::nullopt);
}

TEST(ParseDecimal, OnlyDot) {
  EXPECT_DOUBLE_EQ(*ParseDecimal("21.35"), 21.35);
  EXPECT_DOUBLE_EQ(*ParseDecimal("3.254.170"), 3254170);
  EXPECT_DOUBLE_EQ(*ParseDecimal("105.698"), 105.698);
  EXPECT_EQ(ParseDecimal("1.2.3"), std::nullopt);
}

TEST(ParseDecimal, PlainAndSigned) {
  EXPECT_DOUBLE_EQ(*ParseDecimal("-12"), -12);
  EXPECT_DOUBLE_EQ(*ParseDecimal("  42 "), 42);
  EXPECT_DOUBLE_EQ(*ParseDecimal("-0,25"), -0.25);
  EXPECT_DOUBLE_EQ(*ParseDecimal("+3.5"), 3.5);
}

TEST(ParseDecimal, Rejects) {
  for (std::string_view s : {"", "đang cập nhật", "abc", "1.2.3", "12,34,56", "1,5.", ".5", "1e5",
                             "nan", "inf", "1,,5", "1.5 %", "--1"}) {
    EXPECT_EQ(ParseDecimal(s), std::nullopt) << s;
  }
}

}  // namespace
}  // namespace pdh::number
