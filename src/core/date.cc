// Calendar dates as files write them: ISO "2025-07-01" and day-first "01/07/2025", checked
// against the real calendar (no 31/04, no 29/02 outside leap years).
#include "core/date.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>

namespace pdh {
namespace {

// Reads an unsigned decimal of min_digits..max_digits digits from the front of `s`.
std::optional<int> TakeNumber(std::string_view& s, size_t min_digits, size_t max_digits) {
  size_t n = 0;
  while (n < s.size() && n < max_digits + 1 && s[n] >= '0' && s[n] <= '9') ++n;
  if (n < min_digits || n > max_digits) return std::nullopt;
  int value = 0;
  std::from_chars(s.data(), s.data() + n, value);
  s.remove_prefix(n);
  return value;
}

bool TakeChar(std::string_view& s, char c) {
  if (s.empty() || s[0] != c) return false;
  s.remove_prefix(1);
  return true;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::optional<Date> Checked(int year, int month, int day) {
  std::chrono::year_month_day ymd{std::chrono::year{year},
                                  std::chrono::month{static_cast<unsigned>(month)},
                                  std::chrono::day{static_cast<unsigned>(day)}};
  if (year < 1 || !ymd.ok()) return std::nullopt;
  return Date{year, month, day};
}

// "2025-07-01"; one-digit month and day tolerated ("2025-7-1").
std::optional<Date> ParseIso(std::string_view s) {
  auto year = TakeNumber(s, 4, 4);
  if (!year || !TakeChar(s, '-')) return std::nullopt;
  auto month = TakeNumber(s, 1, 2);
  if (!month || !TakeChar(s, '-')) return std::nullopt;
  auto day = TakeNumber(s, 1, 2);
  if (!day || !s.empty()) return std::nullopt;
  return Checked(*year, *month, *day);
}

// "1/7/2025", "01/07/2025", "01-07-2025": the same separator twice.
std::optional<Date> ParseDayFirst(std::string_view s) {
  auto day = TakeNumber(s, 1, 2);
  if (!day || s.empty() || (s[0] != '/' && s[0] != '-')) return std::nullopt;
  char sep = s[0];
  s.remove_prefix(1);
  auto month = TakeNumber(s, 1, 2);
  if (!month || !TakeChar(s, sep)) return std::nullopt;
  auto year = TakeNumber(s, 4, 4);
  if (!year || !s.empty()) return std::nullopt;
  return Checked(*year, *month, *day);
}

}  // namespace

std::optional<Date> Date::Parse(std::string_view s) {
  s = Trim(s);
  if (auto iso = ParseIso(s)) return iso;
  return ParseDayFirst(s);
}

std::string Date::ToString() const {
  char buf[32];
  int n = std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
  return std::string(buf, static_cast<size_t>(n));
}

bool IsLeapYear(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeapYear(year) ? 29 : kDays[month - 1];
}

Date LastDayOfMonth(int year, int month) {
  return {year, month, DaysInMonth(year, month)};
}

// Howard Hinnant's days_from_civil / civil_from_days: 400-year eras of 146,097 days, each year
// counted from 1 March so that the leap day falls at its end (yoe: year of the era, doy: day of
// that year, doe: day of the era).
int64_t DayNumber(Date d) {
  const int64_t y = d.year - (d.month <= 2 ? 1 : 0);
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (d.month + (d.month > 2 ? -3 : 9)) + 2) / 5 + d.day - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

Date FromDayNumber(int64_t n) {
  n += 719468;
  const int64_t era = (n >= 0 ? n : n - 146096) / 146097;
  const int64_t doe = n - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  return {static_cast<int>(yoe + era * 400 + (month <= 2 ? 1 : 0)), month, day};
}

Date AddDays(Date d, int64_t days) {
  return FromDayNumber(DayNumber(d) + days);
}

int DayOfWeek(Date d) {
  return static_cast<int>(((DayNumber(d) + 3) % 7 + 7) % 7);  // 1970-01-01 was a Thursday
}

Date AddMonths(Date d, int months) {
  const int64_t index = int64_t{d.year} * 12 + (d.month - 1) + months;
  const int64_t year = index >= 0 ? index / 12 : -((-index + 11) / 12);
  const int month = static_cast<int>(index - year * 12 + 1);
  const int y = static_cast<int>(year);
  return {y, month, std::min(d.day, DaysInMonth(y, month))};
}

Date Date::Today() {
  std::chrono::year_month_day ymd{
      std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now())};
  return Date{static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
              static_cast<int>(static_cast<unsigned>(ymd.day()))};
}

}  // namespace pdh
