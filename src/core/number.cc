// Parses numbers written the Vietnamese way ("3.254.170", "8.536,44") and the way other tools
// export them ("21.35", "30,509"), by the rules stated in number.h.
#include "core/number.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

namespace pdh::number {
namespace {

// A number split at its separators: digit runs, and the separator before each run after the
// first. Spaces (including NBSP and U+202F, which spreadsheets write as thousands separators)
// are reported as ' '.
struct Pieces {
  bool negative = false;
  std::vector<std::string_view> runs;
  std::string seps;  // seps[i] separates runs[i] and runs[i + 1]
};

bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}

// What spreadsheets put around and inside numbers as spaces: ASCII, NBSP, narrow NBSP.
constexpr std::string_view kSpaces[] = {" ", "\t", "\xC2\xA0", "\xE2\x80\xAF"};

// Length of the space at the start of `s`, or 0.
size_t SpaceLength(std::string_view s) {
  for (std::string_view sp : kSpaces) {
    if (s.starts_with(sp)) return sp.size();
  }
  return 0;
}

// Length of the space at the end of `s`, or 0.
size_t TrailingSpaceLength(std::string_view s) {
  for (std::string_view sp : kSpaces) {
    if (s.ends_with(sp)) return sp.size();
  }
  return 0;
}

std::string_view Trim(std::string_view s) {
  while (size_t n = SpaceLength(s)) s.remove_prefix(n);
  while (size_t n = TrailingSpaceLength(s)) s.remove_suffix(n);
  return s;
}

// Splits "[+-]d[sep d]..." into pieces; nullopt when anything else appears, or when two
// separators are adjacent, or when the number starts or ends with a separator.
std::optional<Pieces> Split(std::string_view s) {
  s = Trim(s);
  Pieces p;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    p.negative = s[0] == '-';
    s.remove_prefix(1);
  }
  while (true) {
    size_t n = 0;
    while (n < s.size() && IsDigit(s[n])) ++n;
    if (n == 0) return std::nullopt;
    p.runs.push_back(s.substr(0, n));
    s.remove_prefix(n);
    if (s.empty()) return p;
    if (s[0] == '.' || s[0] == ',') {
      p.seps.push_back(s[0]);
      s.remove_prefix(1);
    } else if (size_t space = SpaceLength(s)) {
      p.seps.push_back(' ');
      s.remove_prefix(space);
    } else {
      return std::nullopt;
    }
  }
}

// True when runs[0, count) read as one integer grouped by threes with a single kind of
// separator: "3.254.170", "30,509", "1 234". A lone run is trivially grouped.
bool GroupsByThree(const Pieces& p, size_t count) {
  if (count <= 1) return true;
  if (p.runs[0].size() > 3) return false;
  for (size_t i = 1; i < count; ++i) {
    if (p.runs[i].size() != 3 || p.seps[i - 1] != p.seps[0]) return false;
  }
  return true;
}

// Index in `seps` of the decimal mark by number.h's rules, or npos when every separator groups.
size_t DecimalMark(const std::string& seps) {
  auto dots = std::ranges::count(seps, '.');
  auto commas = std::ranges::count(seps, ',');
  if (dots > 0 && commas > 0) return std::max(seps.rfind('.'), seps.rfind(','));
  if (commas == 1) return seps.find(',');
  if (dots == 1) return seps.find('.');
  // Several of one kind, or only spaces: all grouping, checked by the caller.
  return std::string::npos;
}

// "-1234.5" style text for from_chars, or nullopt when the pieces are not a decimal number.
std::optional<std::string> Canonical(const Pieces& p, bool allow_fraction) {
  size_t mark = allow_fraction ? DecimalMark(p.seps) : std::string::npos;
  // The decimal mark must be the last separator: nothing groups the fraction.
  if (mark != std::string::npos && mark + 1 != p.seps.size()) return std::nullopt;
  size_t int_runs = mark == std::string::npos ? p.runs.size() : mark + 1;
  if (!GroupsByThree(p, int_runs)) return std::nullopt;
  std::string out = p.negative ? "-" : "";
  for (size_t i = 0; i < int_runs; ++i) out.append(p.runs[i]);
  if (int_runs < p.runs.size()) {
    out.push_back('.');
    out.append(p.runs.back());
  }
  return out;
}

template <class T>
std::optional<T> Convert(const std::string& text) {
  T value{};
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

std::optional<int64_t> ParseInteger(std::string_view s) {
  std::optional<Pieces> p = Split(s);
  if (!p) return std::nullopt;
  std::optional<std::string> text = Canonical(*p, /*allow_fraction=*/false);
  if (!text) return std::nullopt;
  return Convert<int64_t>(*text);
}

std::optional<double> ParseDecimal(std::string_view s) {
  std::optional<Pieces> p = Split(s);
  if (!p) return std::nullopt;
  std::optional<std::string> text = Canonical(*p, /*allow_fraction=*/true);
  if (!text) return std::nullopt;
  return Convert<double>(*text);
}

bool Ambiguous(std::string_view s) {
  std::optional<Pieces> p = Split(s);
  return p && p->seps.size() == 1 && (p->seps[0] == '.' || p->seps[0] == ',') &&
         p->runs[0].size() <= 3 && p->runs[0][0] != '0' && p->runs[1].size() == 3;
}

Style StyleOf(std::string_view s) {
  std::optional<Pieces> p = Split(s);
  if (!p || p->seps.empty() || Ambiguous(s) || !Canonical(*p, /*allow_fraction=*/true)) {
    return Style::kUnknown;
  }
  // The decimal mark says it; without one, the separator that groups.
  if (size_t mark = DecimalMark(p->seps); mark != std::string::npos) {
    return p->seps[mark] == ',' ? Style::kVietnamese : Style::kEnglish;
  }
  if (p->seps.find('.') != std::string::npos) return Style::kVietnamese;
  if (p->seps.find(',') != std::string::npos) return Style::kEnglish;
  return Style::kUnknown;
}

std::optional<double> ParseDecimal(std::string_view s, Style style) {
  if (style != Style::kUnknown && Ambiguous(s)) {
    const bool dot = s.find('.') != std::string_view::npos;
    if (dot == (style == Style::kVietnamese)) {
      std::optional<int64_t> v = ParseInteger(s);
      if (!v) return std::nullopt;
      return static_cast<double>(*v);
    }
  }
  return ParseDecimal(s);
}

void StyleTally::Add(std::string_view s) {
  switch (StyleOf(s)) {
    case Style::kVietnamese:
      ++vietnamese_;
      break;
    case Style::kEnglish:
      ++english_;
      break;
    case Style::kUnknown:
      break;
  }
}

void StyleTally::Add(const StyleTally& other) {
  vietnamese_ += other.vietnamese_;
  english_ += other.english_;
}

Style StyleTally::style() const {
  if (vietnamese_ > 0 && english_ == 0) return Style::kVietnamese;
  if (english_ > 0 && vietnamese_ == 0) return Style::kEnglish;
  return Style::kUnknown;
}

std::string FormatVi(int64_t n) {
  const uint64_t magnitude = n < 0 ? 0 - static_cast<uint64_t>(n) : static_cast<uint64_t>(n);
  const std::string digits = std::to_string(magnitude);
  std::string out;
  out.reserve(digits.size() + digits.size() / 3 + 1);
  if (n < 0) out += '-';
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += '.';
    out += digits[i];
  }
  return out;
}

std::string FormatVi(double v, int decimals) {
  if (!std::isfinite(v)) return "";
  decimals = std::clamp(decimals, 0, 9);
  double scale = 1;
  for (int i = 0; i < decimals; ++i) scale *= 10;
  const double r = std::round(std::fabs(v) * scale);
  const auto whole = static_cast<int64_t>(std::floor(r / scale));
  auto frac = static_cast<int64_t>(r - static_cast<double>(whole) * scale);
  std::string out = (v < 0 && r > 0 ? "-" : "") + FormatVi(whole);
  if (frac > 0) {
    std::string digits = std::to_string(frac);
    digits.insert(0, static_cast<size_t>(decimals) - digits.size(), '0');
    while (!digits.empty() && digits.back() == '0') digits.pop_back();
    out += "," + digits;
  }
  return out;
}

}  // namespace pdh::number
