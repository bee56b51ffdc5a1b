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

TEST(Ambiguous, OneMarkBeforeThreeDigits) {
  for (std::string_view s : {"30.000", "250.000", "1.000", "30,509", "-250.000", " 1,500 "}) {
    EXPECT_TRUE(Ambiguous(s)) << s;
  }
  for (std::string_view s : {"1.500.000", "21.35", "0.500", "0,125", "1234.567", "1.234,5", "12",
                             "30.0000", "1 234.567", "abc", ""}) {
    EXPECT_FALSE(Ambiguous(s)) << s;
  }
}

TEST(StyleOf, WhatASpellingShows) {
  EXPECT_EQ(StyleOf("1.500.000"), Style::kVietnamese);
  EXPECT_EQ(StyleOf("8.536,44"), Style::kVietnamese);
  EXPECT_EQ(StyleOf("8,5"), Style::kVietnamese);
  EXPECT_EQ(StyleOf("0,500"), Style::kVietnamese);
  EXPECT_EQ(StyleOf("21.35"), Style::kEnglish);
  EXPECT_EQ(StyleOf("1,500,000"), Style::kEnglish);
  EXPECT_EQ(StyleOf("1,234.5"), Style::kEnglish);
  for (std::string_view s : {"30.000", "1,500", "12", "1 234", "abc", "1.2.3"}) {
    EXPECT_EQ(StyleOf(s), Style::kUnknown) << s;
  }
}

TEST(ParseDecimal, AmbiguousReadInTheColumnsStyle) {
  EXPECT_DOUBLE_EQ(*ParseDecimal("30.000", Style::kVietnamese), 30000);
  EXPECT_DOUBLE_EQ(*ParseDecimal("250.000", Style::kVietnamese), 250000);
  EXPECT_DOUBLE_EQ(*ParseDecimal("-1.000", Style::kVietnamese), -1000);
  EXPECT_DOUBLE_EQ(*ParseDecimal("30,509", Style::kVietnamese), 30.509);
  EXPECT_DOUBLE_EQ(*ParseDecimal("30.000", Style::kEnglish), 30);
  EXPECT_DOUBLE_EQ(*ParseDecimal("30,509", Style::kEnglish), 30509);
  EXPECT_DOUBLE_EQ(*ParseDecimal("30.000", Style::kUnknown), 30);
  // What is not ambiguous reads the same in every style.
  for (Style st : {Style::kUnknown, Style::kVietnamese, Style::kEnglish}) {
    EXPECT_DOUBLE_EQ(*ParseDecimal("1.500.000", st), 1500000);
    EXPECT_DOUBLE_EQ(*ParseDecimal("21.35", st), 21.35);
    EXPECT_DOUBLE_EQ(*ParseDecimal("8.536,44", st), 8536.44);
    EXPECT_DOUBLE_EQ(*ParseDecimal("0.125", st), 0.125);
    EXPECT_EQ(ParseDecimal("abc", st), std::nullopt);
  }
}

TEST(StyleTally, DecidedByAllValues) {
  StyleTally fees;
  for (std::string_view s : {"30.000", "250.000", "1.500.000", "", "0"}) fees.Add(s);
  EXPECT_EQ(fees.style(), Style::kVietnamese);
  StyleTally rates;
  for (std::string_view s : {"21.35", "100.000", "7"}) rates.Add(s);
  EXPECT_EQ(rates.style(), Style::kEnglish);
  StyleTally silent;
  for (std::string_view s : {"30.000", "12"}) silent.Add(s);
  EXPECT_EQ(silent.style(), Style::kUnknown);
  StyleTally mixed = fees;
  mixed.Add(rates);
  EXPECT_EQ(mixed.style(), Style::kUnknown);
  silent.Add(fees);
  EXPECT_EQ(silent.style(), Style::kVietnamese);
}

}  // namespace
}  // namespace pdh::number
