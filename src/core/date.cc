// Calendar dates as files write them: ISO "2025-07-01" and day-first "01/07/2025", checked
// against the real calendar (no 31/04, no 29/02 outside leap years).
#include "core/date.h"

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

Date Date::Today() {
  std::chrono::year_month_day ymd{
      std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now())};
  return Date{static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
              static_cast<int>(static_cast<unsigned>(ymd.day()))};
}

}  // namespace pdh
