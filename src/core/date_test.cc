// Tests for calendar date parsing and formatting.
#include "core/date.h"

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

}  // namespace
}  // namespace pdh
