// Calendar dates (no time zone): ISO "2025-07-01" and Vietnamese "01/07/2025".
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pdh {

struct Date {
  int year = 1970;
  int month = 1;
  int day = 1;

  auto operator<=>(const Date&) const = default;

  // "2025-07-01" (ISO) or "1/7/2025", "01/07/2025", "01-07-2025" (day first). Checks the day
  // exists in that month (leap years included).
  static std::optional<Date> Parse(std::string_view s);
  std::string ToString() const;  // ISO "YYYY-MM-DD"
  static Date Today();           // UTC
};

// --- Day and month arithmetic (proleptic Gregorian calendar) --------------------------------

bool IsLeapYear(int year);
int DaysInMonth(int year, int month);      // month 1..12
Date LastDayOfMonth(int year, int month);  // {year, month, DaysInMonth(year, month)}

// Days since 1970-01-01 (negative before it), and back. DayNumber counts a day past the month's
// end on into the next month ({2025, 1, 32} is 2025-02-01).
int64_t DayNumber(Date d);
Date FromDayNumber(int64_t n);
Date AddDays(Date d, int64_t days);  // `days` may be negative
int DayOfWeek(Date d);               // 0 Monday .. 6 Sunday (ISO 8601 order)

// The same day `months` later (earlier when negative), kept within the month: 31 January plus
// one month is the last day of February.
Date AddMonths(Date d, int months);

// The day the two-level local government (province -> commune) took effect.
inline constexpr Date kReform2025{2025, 7, 1};

}  // namespace pdh
