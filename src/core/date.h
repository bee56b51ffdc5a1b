// Calendar dates (no time zone): ISO "2025-07-01" and Vietnamese "01/07/2025".
#pragma once

#include <compare>
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

// The day the two-level local government (province -> commune) took effect.
inline constexpr Date kReform2025{2025, 7, 1};

}  // namespace pdh
