// Tests for calendar date parsing and formatting.
#include "core/date.h"

#include <chrono>

#include <gtest/gtest.h>

namespace pdh {
namespace {

TEST(Date, ParsesIsoAndDayFirst) {
  EXPECT_EQ(Date::Parse("2025-07-01"), kReform2025);
  EXPECT_EQ(Date::Parse("01/07/2025"), kReform2025);
  EXPECT_EQ(Date::Parse("1/7/2025"), kReform2025);
  EXPECT_EQ(Date::Parse("01-07-2025"), kReform2025);
  EXPECT_EQ(Date::Parse(" 2025-7-1 "), kReform2025);
}

TEST(Date, ChecksTheCalendar) {
  EXPECT_EQ(Date::Parse("29/02/2024"), (Date{2024, 2, 29}));
  EXPECT_EQ(Date::Parse("2000-02-29"), (Date{2000, 2, 29}));
  EXPECT_EQ(Date::Parse("29/02/2025"), std::nullopt);
  EXPECT_EQ(Date::Parse("1900-02-29"), std::nullopt);
  EXPECT_EQ(Date::Parse("31/04/2025"), std::nullopt);
  EXPECT_EQ(Date::Parse("2025-13-01"), std::nullopt);
  EXPECT_EQ(Date::Parse("00/01/2025"), std::nullopt);
  EXPECT_EQ(Date::Parse("0000-01-01"), std::nullopt);
}

TEST(Date, RejectsOtherShapes) {
  for (std::string_view s : {"", "2025", "2025-07", "01/07-2025", "01/07/25", "2025/07/01x",
                             "001/07/2025", "2025-007-01", "07/2025", "hôm nay", "2025-07-01T00"}) {
    EXPECT_EQ(Date::Parse(s), std::nullopt) << s;
  }
}

TEST(Date, ToStringRoundTrips) {
  EXPECT_EQ(kReform2025.ToString(), "2025-07-01");
  EXPECT_EQ((Date{999, 12, 31}).ToString(), "0999-12-31");
  Date today = Date::Today();
  EXPECT_EQ(Date::Parse(today.ToString()), today);
  EXPECT_GE(today, kReform2025);
}

TEST(Date, Orders) {
  EXPECT_LT((Date{2024, 12, 31}), kReform2025);
  EXPECT_LT((Date{2025, 6, 30}), kReform2025);
}

TEST(DateArithmetic, KnowsLeapYearsAndMonthLengths) {
  EXPECT_TRUE(IsLeapYear(2024));
  EXPECT_TRUE(IsLeapYear(2000));
  EXPECT_FALSE(IsLeapYear(2025));
  EXPECT_FALSE(IsLeapYear(1900));
  EXPECT_FALSE(IsLeapYear(2100));
  EXPECT_EQ(DaysInMonth(2025, 1), 31);
  EXPECT_EQ(DaysInMonth(2025, 2), 28);
  EXPECT_EQ(DaysInMonth(2024, 2), 29);
  EXPECT_EQ(DaysInMonth(1900, 2), 28);
  EXPECT_EQ(DaysInMonth(2000, 2), 29);
  EXPECT_EQ(DaysInMonth(2025, 4), 30);
  EXPECT_EQ(DaysInMonth(2025, 12), 31);
  EXPECT_EQ(LastDayOfMonth(2024, 2), (Date{2024, 2, 29}));
  EXPECT_EQ(LastDayOfMonth(2025, 9), (Date{2025, 9, 30}));
}

TEST(DateArithmetic, CountsDaysFromTheEpoch) {
  EXPECT_EQ(DayNumber({1970, 1, 1}), 0);
  EXPECT_EQ(DayNumber({1969, 12, 31}), -1);
  EXPECT_EQ(DayNumber({2000, 3, 1}), 11017);
  EXPECT_EQ(DayNumber(kReform2025), 20270);
  EXPECT_EQ(DayNumber({1899, 12, 30}), -25569);  // the spreadsheet epoch
  EXPECT_EQ(DayNumber({2025, 1, 32}), DayNumber({2025, 2, 1}));
  EXPECT_EQ(FromDayNumber(0), (Date{1970, 1, 1}));
  EXPECT_EQ(FromDayNumber(-1), (Date{1969, 12, 31}));
  EXPECT_EQ(FromDayNumber(20270), kReform2025);
  EXPECT_EQ(FromDayNumber(-25569), (Date{1899, 12, 30}));
  // Every day around the 1900, 2000 and 2100 rules, against std::chrono's calendar.
  for (int64_t n = DayNumber({1899, 1, 1}); n <= DayNumber({2101, 12, 31}); ++n) {
    const std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{n}}};
    const Date expected{static_cast<int>(ymd.year()), static_cast<int>(unsigned{ymd.month()}),
                        static_cast<int>(unsigned{ymd.day()})};
    ASSERT_EQ(FromDayNumber(n), expected) << n;
    ASSERT_EQ(DayNumber(expected), n) << expected.ToString();
  }
}

TEST(DateArithmetic, AddsDays) {
  EXPECT_EQ(AddDays({2025, 6, 30}, 1), kReform2025);
  EXPECT_EQ(AddDays(kReform2025, -1), (Date{2025, 6, 30}));
  EXPECT_EQ(AddDays({2024, 2, 28}, 1), (Date{2024, 2, 29}));
  EXPECT_EQ(AddDays({2025, 2, 28}, 1), (Date{2025, 3, 1}));
  EXPECT_EQ(AddDays({2025, 12, 31}, 1), (Date{2026, 1, 1}));
  EXPECT_EQ(AddDays({2025, 1, 1}, 365), (Date{2026, 1, 1}));
  EXPECT_EQ(AddDays({2024, 1, 1}, 365), (Date{2024, 12, 31}));
  EXPECT_EQ(AddDays(kReform2025, 0), kReform2025);
}

TEST(DateArithmetic, KnowsTheDayOfTheWeek) {
  EXPECT_EQ(DayOfWeek({1970, 1, 1}), 3);  // Thursday
  EXPECT_EQ(DayOfWeek({1969, 12, 29}), 0);
  EXPECT_EQ(DayOfWeek({1969, 12, 28}), 6);
  EXPECT_EQ(DayOfWeek(kReform2025), 1);    // Tuesday
  EXPECT_EQ(DayOfWeek({2025, 11, 3}), 0);  // Monday
  EXPECT_EQ(DayOfWeek({2025, 11, 9}), 6);  // Sunday
  EXPECT_EQ(DayOfWeek({1900, 1, 1}), 0);   // Monday
}

TEST(DateArithmetic, AddsMonthsWithinTheMonth) {
  EXPECT_EQ(AddMonths({2025, 10, 1}, 1), (Date{2025, 11, 1}));
  EXPECT_EQ(AddMonths({2025, 12, 1}, 1), (Date{2026, 1, 1}));
  EXPECT_EQ(AddMonths({2025, 1, 15}, -1), (Date{2024, 12, 15}));
  EXPECT_EQ(AddMonths({2025, 1, 31}, 1), (Date{2025, 2, 28}));
  EXPECT_EQ(AddMonths({2024, 1, 31}, 1), (Date{2024, 2, 29}));
  EXPECT_EQ(AddMonths({2025, 3, 31}, -1), (Date{2025, 2, 28}));
  EXPECT_EQ(AddMonths({2025, 7, 1}, -12), (Date{2024, 7, 1}));
  EXPECT_EQ(AddMonths({2025, 7, 1}, 30), (Date{2028, 1, 1}));
  EXPECT_EQ(AddMonths({2025, 7, 1}, -19), (Date{2023, 12, 1}));
  EXPECT_EQ(AddMonths({1, 1, 1}, -1), (Date{0, 12, 1}));
  EXPECT_EQ(AddMonths({0, 1, 1}, -1), (Date{-1, 12, 1}));
}

}  // namespace
}  // namespace pdh
