// Timestamps round-trip; the manual clock moves only when told.
#include "core/clock.h"

#include <gtest/gtest.h>

namespace pdh {
namespace {

TEST(Clock, FormatAndParseRoundTrip) {
  auto t = ParseTime("2025-10-31T08:15:07Z");
  ASSERT_TRUE(t);
  EXPECT_EQ(FormatTime(*t), "2025-10-31T08:15:07Z");
  auto m = ParseTime("2025-10-31T08:15:07.042Z");
  ASSERT_TRUE(m);
  EXPECT_EQ(FormatTime(*m, true), "2025-10-31T08:15:07.042Z");
  EXPECT_EQ(*m - *t, std::chrono::milliseconds(42));
  EXPECT_FALSE(ParseTime("2025-02-30T00:00:00Z"));
  EXPECT_FALSE(ParseTime("2025-10-31 08:15:07"));
  EXPECT_FALSE(ParseTime(""));
}

TEST(Clock, ManualClockAdvances) {
  ManualClock c(*ParseTime("2025-01-01T00:00:00Z"));
  c.Advance(std::chrono::minutes(16));
  EXPECT_EQ(FormatTime(c.Now()), "2025-01-01T00:16:00Z");
}

}  // namespace
}  // namespace pdh
