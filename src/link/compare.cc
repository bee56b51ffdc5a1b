// The comparisons: string similarity, Vietnamese normal forms (tone placement, folding, phone
// numbers, dates of birth), and each kind's ladder of levels over encoded values.
#include <utf8proc.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <cstring>
#include <string>

#include "core/text.h"
#include "link/internal.h"
#include "units/units.h"

namespace pdh::link {

using detail::Cell;
using detail::Codec;

std::string_view KindName(Kind kind) {
  switch (kind) {
    case Kind::kName:
      return "name";
    case Kind::kFullName:
      return "full_name";
    case Kind::kDate:
      return "date";
    case Kind::kId:
      return "id";
    case Kind::kPhone:
      return "phone";
    case Kind::kCommune:
      return "commune";
    case Kind::kCode:
      return "code";
    case Kind::kText:
      return "text";
  }
  return "text";
}

std::optional<Kind> ParseKind(std::string_view name) {
  for (Kind k : {Kind::kName, Kind::kFullName, Kind::kDate, Kind::kId, Kind::kPhone, Kind::kCommune,
                 Kind::kCode, Kind::kText}) {
    if (KindName(k) == name) return k;
  }
  return std::nullopt;
}

std::string_view LevelName(Level level) {
  static constexpr std::array<std::string_view, kLevelCount> kNames = {
      "missing",           "exact",       "tone",      "folded", "swapped",
      "middle_missing",    "edit1",       "jw0.92",    "edit2",  "jw0.88",
      "day_month_swapped", "within_days", "same_year", "last9",  "crosswalk",
      "neutral",           "other"};
  return kNames[static_cast<size_t>(level)];
}

std::optional<Level> ParseLevel(std::string_view name) {
  for (int i = 0; i < kLevelCount; ++i) {
    if (LevelName(static_cast<Level>(i)) == name) return static_cast<Level>(i);
  }
  return std::nullopt;
}

std::vector<Level> LevelsOf(Kind kind) {
  using L = Level;
  switch (kind) {
    case Kind::kName:
    case Kind::kText:
      return {L::kExact, L::kTone, L::kFolded, L::kEdit1, L::kJw92, L::kEdit2, L::kJw88, L::kOther};
    case Kind::kFullName:
      return {L::kExact, L::kTone, L::kFolded, L::kSwapped, L::kMiddleMissing,
              L::kEdit1, L::kJw92, L::kEdit2,  L::kJw88,    L::kOther};
    case Kind::kDate:
      return {L::kExact, L::kDayMonthSwapped, L::kEdit1, L::kWithinDays, L::kSameYear, L::kOther};
    case Kind::kId:
    case Kind::kCode:
      return {L::kExact, L::kEdit1, L::kOther};
    case Kind::kPhone:
      return {L::kExact, L::kLast9, L::kOther};
    case Kind::kCommune:
      return {L::kExact, L::kCrosswalk, L::kOther};
  }
  return {L::kExact, L::kOther};
}

// --- String similarity ------------------------------------------------------------------------

namespace {

// Long values are compared on their first kMaxCompared bytes: the work per pair stays bounded
// and needs no allocation.
constexpr size_t kMaxCompared = 64;

}  // namespace

double JaroWinkler(std::string_view a, std::string_view b) {
  a = a.substr(0, kMaxCompared);
  b = b.substr(0, kMaxCompared);
  if (a.empty() && b.empty()) return 1;
  if (a.empty() || b.empty()) return 0;
  const int la = static_cast<int>(a.size());
  const int lb = static_cast<int>(b.size());
  const int window = std::max(0, std::max(la, lb) / 2 - 1);
  std::array<bool, kMaxCompared> ma{};
  std::array<bool, kMaxCompared> mb{};
  int matches = 0;
  for (int i = 0; i < la; ++i) {
    const int lo = std::max(0, i - window);
    const int hi = std::min(lb - 1, i + window);
    for (int j = lo; j <= hi; ++j) {
      if (mb[static_cast<size_t>(j)] || a[static_cast<size_t>(i)] != b[static_cast<size_t>(j)])
        continue;
      ma[static_cast<size_t>(i)] = mb[static_cast<size_t>(j)] = true;
      ++matches;
      break;
    }
  }
  if (matches == 0) return 0;
  int transpositions = 0;
  for (int i = 0, j = 0; i < la; ++i) {
    if (!ma[static_cast<size_t>(i)]) continue;
    while (!mb[static_cast<size_t>(j)]) ++j;
    if (a[static_cast<size_t>(i)] != b[static_cast<size_t>(j)]) ++transpositions;
    ++j;
  }
  const double m = matches;
  const double jaro = (m / la + m / lb + (m - transpositions / 2.0) / m) / 3.0;
  int prefix = 0;
  while (prefix < 4 && prefix < la && prefix < lb &&
         a[static_cast<size_t>(prefix)] == b[static_cast<size_t>(prefix)])
    ++prefix;
  return jaro + prefix * 0.1 * (1 - jaro);
}

int Levenshtein(std::string_view a, std::string_view b, int bound) {
  a = a.substr(0, kMaxCompared);
  b = b.substr(0, kMaxCompared);
  const int la = static_cast<int>(a.size());
  const int lb = static_cast<int>(b.size());
  const int over = bound + 1;
  if (std::abs(la - lb) > bound) return over;
  // Only the cells within `bound` of the diagonal can stay within it (Ukkonen's band); the
  // others count as over.
  std::array<int, kMaxCompared + 2> prev{};
  std::array<int, kMaxCompared + 2> cur{};
  for (int j = 0; j <= lb; ++j) prev[static_cast<size_t>(j)] = j <= bound ? j : over;
  for (int i = 1; i <= la; ++i) {
    const int lo = std::max(1, i - bound);
    const int hi = std::min(lb, i + bound);
    const auto first = static_cast<size_t>(lo - 1);
    cur[first] = lo == 1 && i <= bound ? i : over;
    int row_min = cur[first];
    for (int j = lo; j <= hi; ++j) {
      const auto uj = static_cast<size_t>(j);
      const int cost = a[static_cast<size_t>(i - 1)] == b[uj - 1] ? 0 : 1;
      cur[uj] = std::min({prev[uj] + 1, cur[uj - 1] + 1, prev[uj - 1] + cost, over});
      row_min = std::min(row_min, cur[uj]);
    }
    if (hi + 1 <= lb) cur[static_cast<size_t>(hi) + 1] = over;
    if (row_min > bound) return over;
    std::swap(prev, cur);
  }
  return std::min(prev[static_cast<size_t>(lb)], over);
}

namespace {

// Two equal-length strings that differ by one exchange of neighbours ("1234" / "1324").
bool Transposed(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  size_t i = 0;
  while (i < a.size() && a[i] == b[i]) ++i;
  if (i + 1 >= a.size()) return false;
  return a[i] == b[i + 1] && a[i + 1] == b[i] && a.substr(i + 2) == b.substr(i + 2);
}

bool IsToneMark(utf8proc_int32_t cp) {
  return cp == 0x300 || cp == 0x301 || cp == 0x303 || cp == 0x309 || cp == 0x323;
}

void AppendCodePoint(std::string& out, utf8proc_int32_t cp) {
  utf8proc_uint8_t buf[4];
  const auto n = utf8proc_encode_char(cp, buf);
  out.append(reinterpret_cast<const char*>(buf), static_cast<size_t>(n));
}

std::string DigitsOf(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c >= '0' && c <= '9') out.push_back(c);
  }
  return out;
}

}  // namespace

std::string ToneKey(std::string_view s) {
  std::string nfc = text::CollapseSpaces(text::Nfc(s));
  utf8proc_uint8_t* decomposed = nullptr;
  const auto n = utf8proc_map(
      reinterpret_cast<const utf8proc_uint8_t*>(nfc.data()),
      static_cast<utf8proc_ssize_t>(nfc.size()), &decomposed,
      static_cast<utf8proc_option_t>(UTF8PROC_DECOMPOSE | UTF8PROC_STABLE | UTF8PROC_CASEFOLD));
  if (n < 0) return nfc;
  std::string out;
  out.reserve(static_cast<size_t>(n) + 8);
  utf8proc_int32_t tone = 0;
  auto end_syllable = [&] {
    if (tone != 0) AppendCodePoint(out, tone);
    tone = 0;
  };
  for (utf8proc_ssize_t i = 0; i < n;) {
    utf8proc_int32_t cp = 0;
    const auto len = utf8proc_iterate(decomposed + i, n - i, &cp);
    if (len <= 0) break;
    i += len;
    if (IsToneMark(cp)) {
      tone = cp;
    } else if (cp == ' ') {
      end_syllable();
      out.push_back(' ');
    } else {
      AppendCodePoint(out, cp);
    }
  }
  end_syllable();
  std::free(decomposed);
  return out;
}

std::string NormalizePhone(std::string_view s) {
  std::string d = DigitsOf(s);
  if (d.starts_with("0084")) d.erase(0, 2);
  if (d.starts_with("84") && d.size() >= 11) d = "0" + d.substr(2);
  if (d.size() == 9 && d[0] != '0') d = "0" + d;
  return d;
}

std::optional<Date> ParseBirthDate(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  if (s.size() == 8 &&
      std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    std::string iso;
    iso.append(s.substr(0, 4)).append("-").append(s.substr(4, 2)).append("-").append(s.substr(6));
    return Date::Parse(iso);
  }
  return Date::Parse(s);
}

// --- Encoded values ---------------------------------------------------------------------------

namespace detail {

uint32_t Interner::Intern(std::string_view s) {
  if (s.empty()) return 0;
  if (auto it = ids_.find(s); it != ids_.end()) return it->second;
  const auto id = static_cast<uint32_t>(strings_.size());
  strings_.emplace_back(s);
  ids_.emplace(std::string(s), id);
  return id;
}

uint32_t Interner::Find(std::string_view s) const {
  auto it = ids_.find(s);
  return it == ids_.end() ? 0 : it->second;
}

std::vector<std::string_view> Words(std::string_view s) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (start < s.size()) {
    size_t end = s.find(' ', start);
    if (end == std::string_view::npos) end = s.size();
    if (end > start) out.push_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

namespace {

// "nguyen van an" -> "an nguyen van": the same names in any order give one key.
std::string SortedWords(std::string_view folded) {
  auto words = Words(folded);
  std::sort(words.begin(), words.end());
  std::string out;
  for (auto w : words) {
    if (!out.empty()) out.push_back(' ');
    out.append(w);
  }
  return out;
}

// The shorter name is the longer one with middle names left out: the same family (first) and
// given (last) name, its other words found in order in the longer.
bool MiddleLeftOut(std::string_view a, std::string_view b) {
  auto wa = Words(a);
  auto wb = Words(b);
  if (wa.size() == wb.size() || wa.size() < 2 || wb.size() < 2) return false;
  if (wa.size() > wb.size()) std::swap(wa, wb);
  if (wa.front() != wb.front() || wa.back() != wb.back()) return false;
  size_t j = 1;
  for (size_t i = 1; i + 1 < wa.size(); ++i) {
    while (j + 1 < wb.size() && wb[j] != wa[i]) ++j;
    if (j + 1 >= wb.size()) return false;
    ++j;
  }
  return true;
}

std::string PadCommune(std::string code) {
  if (!code.empty() && code.size() < 5 &&
      std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    code.insert(0, 5 - code.size(), '0');
  }
  return code;
}

// Distinct texts remembered per column: the common ones come early; the rest are normalized
// each time, so memory stays bounded on columns of unique values (street addresses).
constexpr size_t kMaxCachedTexts = size_t{1} << 20;

// Characters `a` and `b` have in common, counted as multisets (in 64 buckets, so perhaps a few
// too many): an edit distance within k needs at least max(|a|, |b|) - k of them, and it bounds
// the Jaro–Winkler similarity. Most pairs of different values are told apart by it alone.
int CommonChars(std::string_view a, std::string_view b) {
  std::array<uint8_t, 64> count{};
  for (char c : a.substr(0, kMaxCompared)) ++count[static_cast<unsigned char>(c) & 63];
  int common = 0;
  for (char c : b.substr(0, kMaxCompared)) {
    auto& n = count[static_cast<unsigned char>(c) & 63];
    if (n > 0) {
      --n;
      ++common;
    }
  }
  return common;
}

double JaroWinklerBound(int common, size_t la, size_t lb) {
  if (common == 0) return 0;
  const double m = common;
  const double jaro = (m / static_cast<double>(std::min(la, kMaxCompared)) +
                       m / static_cast<double>(std::min(lb, kMaxCompared)) + 1) /
                      3;
  return jaro + 0.4 * (1 - jaro);
}

// Levenshtein(a, b, bound), skipped when the characters in common already say it is over.
int EditsWithin(std::string_view a, std::string_view b, int common, int bound) {
  const auto longest = static_cast<int>(std::min(std::max(a.size(), b.size()), kMaxCompared));
  if (common < longest - bound) return bound + 1;
  return Levenshtein(a, b, bound);
}

int32_t PackDate(const Date& d) {
  return d.year * 10000 + d.month * 100 + d.day;
}

}  // namespace

Cell Codec::Encode(std::string_view raw) {
  Cell c;
  switch (kind_) {
    case Kind::kName:
    case Kind::kText:
    case Kind::kFullName: {
      if (auto it = text_cache_.find(raw); it != text_cache_.end()) {
        c = it->second;
        if (c.exact == 0) return c;
        break;
      }
      const std::string nfc = text::CollapseSpaces(text::Nfc(raw));
      if (!nfc.empty()) {
        c.exact = exact_.Intern(nfc);
        c.tone = tone_.Intern(ToneKey(nfc));
        const std::string folded = text::Fold(nfc);
        c.fold = fold_.Intern(folded);
        if (kind_ == Kind::kFullName) c.alt = alt_.Intern(SortedWords(folded));
      }
      if (text_cache_.size() < kMaxCachedTexts) text_cache_.emplace(std::string(raw), c);
      if (c.exact == 0) return c;
      break;
    }
    case Kind::kDate: {
      auto d = ParseBirthDate(raw);
      if (!d) return c;
      c.exact = 1;
      c.num = static_cast<int32_t>(DayNumber(*d));
      c.alt = static_cast<uint32_t>(PackDate(*d));
      c.fold = fold_.Intern(std::to_string(c.alt));
      break;
    }
    case Kind::kId: {
      const std::string digits = DigitsOf(raw);
      if (digits.empty()) return c;
      c.exact = c.fold = fold_.Intern(digits);
      c.num = static_cast<int32_t>(digits.size());
      break;
    }
    case Kind::kPhone: {
      const std::string phone = NormalizePhone(raw);
      if (phone.empty()) return c;
      c.exact = c.fold = fold_.Intern(phone);
      c.alt = alt_.Intern(phone.size() > 9 ? phone.substr(phone.size() - 9) : phone);
      break;
    }
    case Kind::kCommune: {
      const std::string code = PadCommune(text::CollapseSpaces(raw));
      if (code.empty()) return c;
      c.exact = c.fold = fold_.Intern(code);
      std::string mapped = code;
      if (registry_) {
        auto it = crosswalk_.find(code);
        if (it == crosswalk_.end()) {
          std::string to = code;
          auto successions = registry_->Resolve(code);
          // An old commune split between several new ones cannot be placed.
          if (!successions.empty() &&
              std::all_of(successions.begin(), successions.end(), [&](const auto& s) {
                return s.new_unit->code == successions.front().new_unit->code;
              })) {
            to = successions.front().new_unit->code;
          }
          it = crosswalk_.emplace(code, std::move(to)).first;
        }
        mapped = it->second;
      }
      c.alt = alt_.Intern(mapped);
      break;
    }
    case Kind::kCode: {
      const std::string folded = text::Fold(raw);
      if (folded.empty()) return c;
      c.exact = c.fold = fold_.Intern(folded);
      break;
    }
  }
  if (c.fold >= counts_.size()) counts_.resize(c.fold + 1);
  ++counts_[c.fold];
  ++counted_;
  return c;
}

Level Codec::Compare(const Cell& a, const Cell& b) const {
  if (a.exact == 0 || b.exact == 0) return Level::kMissing;
  switch (kind_) {
    case Kind::kName:
    case Kind::kText:
      return CompareStrings(a, b);
    case Kind::kFullName:
      return CompareFull(a, b);
    case Kind::kDate:
      return CompareDate(a, b);
    case Kind::kId:
      return CompareId(a, b);
    case Kind::kPhone:
      return a.exact == b.exact ? Level::kExact : a.alt == b.alt ? Level::kLast9 : Level::kOther;
    case Kind::kCommune:
      return a.exact == b.exact ? Level::kExact
             : a.alt == b.alt   ? Level::kCrosswalk
                                : Level::kOther;
    case Kind::kCode:
      if (a.exact == b.exact) return Level::kExact;
      {
        const std::string& sa = fold_.str(a.fold);
        const std::string& sb = fold_.str(b.fold);
        return EditsWithin(sa, sb, CommonChars(sa, sb), 1) <= 1 ? Level::kEdit1 : Level::kOther;
      }
  }
  return Level::kOther;
}

Level Codec::CompareStrings(const Cell& a, const Cell& b) const {
  if (a.exact == b.exact) return Level::kExact;
  if (a.tone == b.tone) return Level::kTone;
  if (a.fold == b.fold) return Level::kFolded;
  const std::string& fa = fold_.str(a.fold);
  const std::string& fb = fold_.str(b.fold);
  const int common = CommonChars(fa, fb);
  const int edits = EditsWithin(fa, fb, common, 2);
  if (edits <= 1) return Level::kEdit1;
  if (JaroWinklerBound(common, fa.size(), fb.size()) < 0.88) {
    return edits <= 2 ? Level::kEdit2 : Level::kOther;
  }
  const double jw = JaroWinkler(fa, fb);
  if (jw >= 0.92) return Level::kJw92;
  if (edits <= 2) return Level::kEdit2;
  if (jw >= 0.88) return Level::kJw88;
  return Level::kOther;
}

Level Codec::CompareFull(const Cell& a, const Cell& b) const {
  if (a.exact == b.exact) return Level::kExact;
  if (a.tone == b.tone) return Level::kTone;
  if (a.fold == b.fold) return Level::kFolded;
  if (a.alt == b.alt) return Level::kSwapped;
  const std::string& fa = fold_.str(a.fold);
  const std::string& fb = fold_.str(b.fold);
  if (MiddleLeftOut(fa, fb)) return Level::kMiddleMissing;
  // A Vietnamese full name ends with the given name, which tells people apart: relatives share
  // the family and often the middle name, so names whose given names differ by more than a typo
  // are different names however alike the rest is.
  const std::string_view given_a = std::string_view(fa).substr(fa.rfind(' ') + 1);
  const std::string_view given_b = std::string_view(fb).substr(fb.rfind(' ') + 1);
  if (!given_a.empty() && !given_b.empty() && Levenshtein(given_a, given_b, 1) > 1) {
    return Level::kOther;
  }
  return CompareStrings(a, b);
}

Level Codec::CompareDate(const Cell& a, const Cell& b) const {
  if (a.num == b.num) return Level::kExact;
  const int ya = a.alt / 10000, ma = a.alt / 100 % 100, da = a.alt % 100;
  const int yb = b.alt / 10000, mb = b.alt / 100 % 100, db = b.alt % 100;
  if (ya == yb && da == mb && ma == db) return Level::kDayMonthSwapped;
  const std::string& sa = fold_.str(a.fold);
  const std::string& sb = fold_.str(b.fold);
  if (EditsWithin(sa, sb, CommonChars(sa, sb), 1) <= 1 || Transposed(sa, sb)) return Level::kEdit1;
  if (std::abs(a.num - b.num) <= within_days_) return Level::kWithinDays;
  if (ya == yb) return Level::kSameYear;
  return Level::kOther;
}

Level Codec::CompareId(const Cell& a, const Cell& b) const {
  if (a.exact == b.exact) return Level::kExact;
  // The same person may carry a 12-digit citizen ID in one source and the 9-digit identity card
  // number it replaced in the other: nothing to say.
  if (a.num != b.num && std::min(a.num, b.num) == 9 && std::max(a.num, b.num) == 12)
    return Level::kNeutral;
  const std::string& sa = fold_.str(a.fold);
  const std::string& sb = fold_.str(b.fold);
  if (a.num == b.num && (EditsWithin(sa, sb, CommonChars(sa, sb), 1) <= 1 || Transposed(sa, sb)))
    return Level::kEdit1;
  return Level::kOther;
}

}  // namespace detail

// --- The comparisons on raw values ------------------------------------------------------------

Level Compare(Kind kind, std::string_view a, std::string_view b, int within_days,
              const units::Registry* registry) {
  Codec codec(kind, within_days, registry);
  const Cell ca = codec.Encode(a);
  const Cell cb = codec.Encode(b);
  return codec.Compare(ca, cb);
}

Comparer::Comparer(Kind kind, int within_days, const units::Registry* registry)
    : codec_(std::make_unique<detail::Codec>(kind, within_days, registry)) {}
Comparer::~Comparer() = default;
Comparer::Comparer(Comparer&&) noexcept = default;
Comparer& Comparer::operator=(Comparer&&) noexcept = default;

uint32_t Comparer::Encode(std::string_view value) {
  cells_.push_back(codec_->Encode(value));
  return static_cast<uint32_t>(cells_.size() - 1);
}

Level Comparer::Compare(uint32_t a, uint32_t b) const {
  return codec_->Compare(cells_[a], cells_[b]);
}

Level CompareNames(std::string_view a, std::string_view b) {
  return Compare(Kind::kName, a, b);
}
Level CompareFullNames(std::string_view a, std::string_view b) {
  return Compare(Kind::kFullName, a, b);
}
Level CompareDates(std::string_view a, std::string_view b, int within_days) {
  return Compare(Kind::kDate, a, b, within_days);
}
Level CompareIds(std::string_view a, std::string_view b) {
  return Compare(Kind::kId, a, b);
}
Level ComparePhones(std::string_view a, std::string_view b) {
  return Compare(Kind::kPhone, a, b);
}
Level CompareCommunes(std::string_view a, std::string_view b, const units::Registry* registry) {
  return Compare(Kind::kCommune, a, b, 30, registry);
}
Level CompareCodes(std::string_view a, std::string_view b) {
  return Compare(Kind::kCode, a, b);
}

}  // namespace pdh::link
