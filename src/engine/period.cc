// Periods: months, quarters, years and years-to-date, with their ids and arithmetic.
#include <charconv>
#include <string>
#include <string_view>

#include "core/date.h"
#include "core/text.h"
#include "engine/engine.h"

namespace pdh::engine {
namespace {

std::optional<int> Digits(std::string_view s, size_t min_len, size_t max_len) {
  if (s.size() < min_len || s.size() > max_len) return std::nullopt;
  int v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

bool ValidYear(int y) {
  return y >= 1900 && y <= 2200;
}

std::string Pad2(int v) {
  return (v < 10 ? "0" : "") + std::to_string(v);
}

}  // namespace

std::string_view PeriodKindName(PeriodKind k) {
  switch (k) {
    case PeriodKind::kMonth:
      return "month";
    case PeriodKind::kQuarter:
      return "quarter";
    case PeriodKind::kYear:
      return "year";
    case PeriodKind::kYtd:
      return "ytd";
  }
  return "month";
}

std::optional<PeriodKind> ParsePeriodKind(std::string_view name) {
  if (name == "month" || name == "monthly") return PeriodKind::kMonth;
  if (name == "quarter" || name == "quarterly") return PeriodKind::kQuarter;
  if (name == "year" || name == "yearly") return PeriodKind::kYear;
  if (name == "ytd") return PeriodKind::kYtd;
  return std::nullopt;
}

std::string Period::Id() const {
  switch (kind) {
    case PeriodKind::kMonth:
      return std::to_string(year) + "-" + Pad2(n);
    case PeriodKind::kQuarter:
      return std::to_string(year) + "Q" + std::to_string(n);
    case PeriodKind::kYear:
      return std::to_string(year);
    case PeriodKind::kYtd:
      return std::to_string(year) + "-" + Pad2(n) + "YTD";
  }
  return {};
}

std::optional<Period> Period::Parse(std::string_view text) {
  std::string folded = text::Fold(text);  // "Quý 3/2025" -> "quy 3/2025"
  std::string s;
  for (char c : folded) {
    if (c != ' ') s += c;
  }
  auto month = [](int y, int m) -> std::optional<Period> {
    if (!ValidYear(y) || m < 1 || m > 12) return std::nullopt;
    return Period{PeriodKind::kMonth, y, m};
  };
  auto quarter = [](int y, int q) -> std::optional<Period> {
    if (!ValidYear(y) || q < 1 || q > 4) return std::nullopt;
    return Period{PeriodKind::kQuarter, y, q};
  };
  std::string_view v = s;
  // Year-to-date: "2025-10ytd".
  if (v.size() == 10 && v.substr(7) == "ytd" && v[4] == '-') {
    auto y = Digits(v.substr(0, 4), 4, 4);
    auto m = Digits(v.substr(5, 2), 2, 2);
    if (!y || !m) return std::nullopt;
    auto p = month(*y, *m);
    if (!p) return std::nullopt;
    p->kind = PeriodKind::kYtd;
    return p;
  }
  if (auto y = Digits(v, 4, 4)) {
    if (!ValidYear(*y)) return std::nullopt;
    return Period{PeriodKind::kYear, *y, 0};
  }
  if (v.starts_with("nam")) {
    auto y = Digits(v.substr(3), 4, 4);
    if (!y || !ValidYear(*y)) return std::nullopt;
    return Period{PeriodKind::kYear, *y, 0};
  }
  if (v.size() == 7 && v[4] == '-') {  // 2025-10
    auto y = Digits(v.substr(0, 4), 4, 4);
    auto m = Digits(v.substr(5), 2, 2);
    if (!y || !m) return std::nullopt;
    return month(*y, *m);
  }
  if (v.size() == 6 && (v[4] == 'q')) {  // 2025q3
    auto y = Digits(v.substr(0, 4), 4, 4);
    auto q = Digits(v.substr(5), 1, 1);
    if (!y || !q) return std::nullopt;
    return quarter(*y, *q);
  }
  if (v.size() == 6) {  // DHIS2 202510
    auto y = Digits(v.substr(0, 4), 4, 4);
    auto m = Digits(v.substr(4), 2, 2);
    if (!y || !m) return std::nullopt;
    return month(*y, *m);
  }
  // "quy3/2025", "q3/2025", "iii/2025"
  for (std::string_view prefix : {"quy", "q"}) {
    if (v.starts_with(prefix)) {
      auto rest = v.substr(prefix.size());
      auto slash = rest.find('/');
      if (slash == std::string_view::npos) return std::nullopt;
      auto num = rest.substr(0, slash);
      int q = 0;
      if (num == "i")
        q = 1;
      else if (num == "ii")
        q = 2;
      else if (num == "iii")
        q = 3;
      else if (num == "iv")
        q = 4;
      else if (auto d = Digits(num, 1, 1))
        q = *d;
      auto y = Digits(rest.substr(slash + 1), 4, 4);
      if (!y) return std::nullopt;
      return quarter(*y, q);
    }
  }
  // "10/2025", "thang10/2025"
  if (v.starts_with("thang")) v.remove_prefix(5);
  if (auto slash = v.find('/'); slash != std::string_view::npos) {
    auto m = Digits(v.substr(0, slash), 1, 2);
    auto y = Digits(v.substr(slash + 1), 4, 4);
    if (!m || !y) return std::nullopt;
    return month(*y, *m);
  }
  return std::nullopt;
}

Date Period::First() const {
  switch (kind) {
    case PeriodKind::kMonth:
      return {year, n, 1};
    case PeriodKind::kQuarter:
      return {year, (n - 1) * 3 + 1, 1};
    case PeriodKind::kYear:
    case PeriodKind::kYtd:
      return {year, 1, 1};
  }
  return {year, 1, 1};
}

Date Period::Last() const {
  switch (kind) {
    case PeriodKind::kMonth:
    case PeriodKind::kYtd:
      return LastDayOfMonth(year, n);
    case PeriodKind::kQuarter:
      return LastDayOfMonth(year, n * 3);
    case PeriodKind::kYear:
      return {year, 12, 31};
  }
  return {year, 12, 31};
}

Period Period::Shift(int k) const {
  auto step = [&](int per_year) {
    int idx = year * per_year + (n - 1) + k;
    int y = idx >= 0 ? idx / per_year : -((-idx + per_year - 1) / per_year);
    return Period{kind, y, idx - y * per_year + 1};
  };
  switch (kind) {
    case PeriodKind::kMonth:
    case PeriodKind::kYtd:
      return step(12);
    case PeriodKind::kQuarter:
      return step(4);
    case PeriodKind::kYear:
      return {kind, year + k, 0};
  }
  return *this;
}

Period Period::Ytd() const {
  switch (kind) {
    case PeriodKind::kMonth:
      return {PeriodKind::kYtd, year, n};
    case PeriodKind::kQuarter:
      return {PeriodKind::kYtd, year, n * 3};
    case PeriodKind::kYear:
    case PeriodKind::kYtd:
      return *this;
  }
  return *this;
}

Period Period::Containing(Date d, PeriodKind kind) {
  switch (kind) {
    case PeriodKind::kMonth:
      return {kind, d.year, d.month};
    case PeriodKind::kQuarter:
      return {kind, d.year, (d.month - 1) / 3 + 1};
    case PeriodKind::kYear:
      return {kind, d.year, 0};
    case PeriodKind::kYtd:
      return {kind, d.year, d.month};
  }
  return {kind, d.year, d.month};
}

}  // namespace pdh::engine
