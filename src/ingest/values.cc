// One cell's text made a typed value: Vietnamese numbers, dates and yes/no, code lists matched
// without diacritics, the Table Schema constraints, and unit references resolved.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/citizen_id.h"
#include "core/date.h"
#include "core/number.h"
#include "core/sheet.h"
#include "core/text.h"
#include "core/xlsx.h"
#include "ingest/internal.h"

namespace pdh::ingest::internal {
namespace {

bool IsAscii(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

std::string_view TrimAscii(std::string_view s) {
  while (!s.empty() &&
         (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n')) {
    s.remove_prefix(1);
  }
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

// NFC, trimmed; ASCII text (most cells) goes through untouched.
std::string Clean(std::string_view raw) {
  std::string_view t = TrimAscii(raw);
  if (IsAscii(t)) return std::string(t);
  std::string n = text::Nfc(t);
  // Unicode spaces (NBSP from spreadsheets) at the ends.
  if (n.find("\xC2\xA0") != std::string::npos) return text::CollapseSpaces(n);
  return n;
}

int Digits(std::string_view s, size_t pos, size_t n) {
  if (pos + n > s.size()) return -1;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

struct DateTime {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  bool has_time = false;
};

std::string Format(const DateTime& t, bool with_time) {
  std::string out(with_time ? 19 : 10, '0');
  auto put = [&](size_t pos, int v, int width) {
    for (int i = width - 1; i >= 0; --i) {
      out[pos + static_cast<size_t>(i)] = static_cast<char>('0' + v % 10);
      v /= 10;
    }
  };
  put(0, t.y, 4);
  out[4] = '-';
  put(5, t.mo, 2);
  out[7] = '-';
  put(8, t.d, 2);
  if (with_time) {
    out[10] = 'T';
    put(11, t.h, 2);
    out[13] = ':';
    put(14, t.mi, 2);
    out[16] = ':';
    put(17, t.s, 2);
  }
  return out;
}

// "2025-10-03", "2025-10-03T08:15[:00][Z|+07:00]", "2025-10-03 08:15", "03/10/2025 08:15:00",
// "3/10/2025", "03-10-2025". Offsets are turned into Vietnam's time (UTC+7).
bool ParseDateTime(std::string_view s, DateTime& t) {
  size_t p = 0;
  auto num = [&](size_t min, size_t max, int& out) {
    size_t n = 0;
    int v = 0;
    while (p + n < s.size() && n < max && s[p + n] >= '0' && s[p + n] <= '9') {
      v = v * 10 + (s[p + n] - '0');
      ++n;
    }
    if (n < min) return false;
    p += n;
    out = v;
    return true;
  };
  int a = 0;
  if (!num(1, 4, a)) return false;
  if (p == 4) {  // year first
    t.y = a;
    if (p >= s.size() || (s[p] != '-' && s[p] != '/')) return false;
    const char sep = s[p++];
    if (!num(1, 2, t.mo) || p >= s.size() || s[p++] != sep || !num(1, 2, t.d)) return false;
  } else {
    t.d = a;
    if (p >= s.size() || (s[p] != '/' && s[p] != '-' && s[p] != '.')) return false;
    const char sep = s[p++];
    if (!num(1, 2, t.mo) || p >= s.size() || s[p++] != sep || !num(4, 4, t.y)) return false;
  }
  if (t.y < 1900 || t.y > 9999 || t.mo < 1 || t.mo > 12 || t.d < 1 ||
      t.d > DaysInMonth(t.y, t.mo)) {
    return false;
  }
  if (p == s.size()) return true;
  if (s[p] != 'T' && s[p] != ' ') return false;
  while (p < s.size() && (s[p] == 'T' || s[p] == ' ')) ++p;
  if (!num(1, 2, t.h) || p >= s.size() || s[p++] != ':' || !num(2, 2, t.mi)) return false;
  if (p < s.size() && s[p] == ':') {
    ++p;
    if (!num(2, 2, t.s)) return false;
    if (p < s.size() && s[p] == '.') {  // fractions of a second are dropped
      ++p;
      int ignored = 0;
      if (!num(1, 9, ignored)) return false;
    }
  }
  if (t.h > 23 || t.mi > 59 || t.s > 60) return false;
  t.has_time = true;
  if (p == s.size()) return true;
  int offset = 0;
  if (s[p] == 'Z' && p + 1 == s.size()) {
    offset = 0;
  } else if (s[p] == '+' || s[p] == '-') {
    const int sign = s[p] == '-' ? -1 : 1;
    ++p;
    int oh = 0, om = 0;
    if (!num(2, 2, oh)) return false;
    if (p < s.size() && s[p] == ':') ++p;
    if (p < s.size() && !num(2, 2, om)) return false;
    if (p != s.size() || oh > 14 || om > 59) return false;
    offset = sign * (oh * 60 + om);
  } else {
    return false;
  }
  // To UTC+7.
  int64_t minutes = DayNumber({t.y, t.mo, t.d}) * 1440 + int64_t{t.h} * 60 + t.mi - offset + 420;
  const int64_t days = minutes >= 0 ? minutes / 1440 : (minutes - 1439) / 1440;
  minutes -= days * 1440;
  const Date local = FromDayNumber(days);
  t.y = local.year;
  t.mo = local.month;
  t.d = local.day;
  t.h = static_cast<int>(minutes / 60);
  t.mi = static_cast<int>(minutes % 60);
  return true;
}

// A spreadsheet serial number (days since 1899-12-30, the fraction the time of day).
bool FromSerial(std::string_view s, DateTime& t) {
  double v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size() || v < 1 || v > 2958465) return false;
  auto date = ExcelSerialToDate(v);
  if (!date) return false;
  t.y = date->year;
  t.mo = date->month;
  t.d = date->day;
  const double frac = v - std::floor(v);
  const auto secs = static_cast<int>(std::lround(frac * 86400.0));
  t.h = secs / 3600 % 24;
  t.mi = secs / 60 % 60;
  t.s = secs % 60;
  t.has_time = frac > 0;
  return true;
}

bool SetError(RowError& e, std::string code, std::string message) {
  e.code = std::move(code);
  e.message = std::move(message);
  return false;
}

std::string Quoted(std::string_view v) {
  std::string s(v.substr(0, 60));
  if (v.size() > 60) s += "…";
  return "'" + s + "'";
}

size_t CodePoints(std::string_view s) {
  return static_cast<size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

constexpr size_t kSeenMax = 4096;

std::string Plain(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.15g", v);
  return buf;
}

constexpr std::string_view kTrue[] = {"true", "1", "co", "x", "yes", "y", "dung", "t", "da"};
constexpr std::string_view kFalse[] = {"false", "0", "khong", "no", "n", "sai", "f", "chua"};

}  // namespace

bool InDong(const Field& field) {
  for (const std::string* title : {&field.title, &field.title_en}) {
    const std::string folded = text::Fold(*title);
    for (std::string_view unit : {"(dong)", "(vnd)", "(d)"}) {
      if (folded.find(unit) != std::string::npos) return true;
    }
  }
  return false;
}

CellParser::CellParser(const Field& field, const Schema& schema)
    : field_(&field), missing_(&schema.missing_values), in_dong_(InDong(field)) {
  if (!field.pattern.empty()) {
    pattern_ = std::make_shared<const std::regex>(field.pattern, std::regex::ECMAScript);
  }
  for (const auto& c : field.codes) {
    codes_[text::Fold(c.code)] = c.code;
    if (!c.label.empty()) codes_[text::Fold(c.label)] = c.code;
    if (!c.label_en.empty()) codes_[text::Fold(c.label_en)] = c.code;
    for (const auto& a : c.aliases) codes_[text::Fold(a)] = c.code;
  }
  for (const auto& v : field.true_values) folded_true_.push_back(text::Fold(v));
  for (const auto& v : field.false_values) folded_false_.push_back(text::Fold(v));
}

bool CellParser::Check(double v, RowError& error) const {
  if (field_->minimum && v < *field_->minimum) {
    return SetError(error, "value.minimum",
                    "nhỏ hơn giá trị tối thiểu / below the minimum " + Plain(*field_->minimum));
  }
  if (field_->maximum && v > *field_->maximum) {
    return SetError(error, "value.maximum",
                    "lớn hơn giá trị tối đa / above the maximum " + Plain(*field_->maximum));
  }
  return true;
}

bool CellParser::ParseString(std::string value, store::Cell& out, RowError& error) const {
  if (!codes_.empty()) {
    if (auto hit = seen_.find(value); hit != seen_.end()) {
      out = hit->second;
      return true;
    }
    auto it = codes_.find(text::Fold(value));
    if (it == codes_.end()) {
      std::string allowed;
      for (const auto& c : field_->codes) {
        if (!allowed.empty()) allowed += ", ";
        allowed += c.label.empty() ? c.code : c.label + " (" + c.code + ")";
      }
      return SetError(
          error, "value.enum",
          Quoted(value) + " không có trong danh mục / is not in the code list: " + allowed);
    }
    out = it->second;
    if (seen_.size() < kSeenMax) seen_.emplace(std::move(value), out);
    return true;
  }
  if (FormulaLike(value)) {
    return SetError(error, "value.formula_like",
                    "ô bắt đầu bằng '" + value.substr(0, 1) +
                        "' như một công thức bảng tính; nếu là văn bản, bỏ ký tự đó / the cell "
                        "starts like a spreadsheet formula: remove the leading character if it "
                        "is text");
  }
  if (!field_->enum_values.empty()) {
    auto it = std::find(field_->enum_values.begin(), field_->enum_values.end(), value);
    if (it == field_->enum_values.end()) {
      const std::string folded = text::Fold(value);
      it = std::find_if(field_->enum_values.begin(), field_->enum_values.end(),
                        [&](const std::string& e) { return text::Fold(e) == folded; });
    }
    if (it == field_->enum_values.end()) {
      std::string allowed;
      for (const auto& e : field_->enum_values) allowed += (allowed.empty() ? "" : ", ") + e;
      return SetError(
          error, "value.enum",
          Quoted(value) + " không thuộc các giá trị cho phép / is not one of: " + allowed);
    }
    value = *it;
  }
  const auto len = static_cast<int64_t>(CodePoints(value));
  if ((field_->min_length && len < *field_->min_length) ||
      (field_->max_length && len > *field_->max_length)) {
    return SetError(error, "value.length",
                    "độ dài " + std::to_string(len) + " ký tự ngoài giới hạn / length " +
                        std::to_string(len) + " is outside " +
                        std::to_string(field_->min_length.value_or(0)) + ".." +
                        (field_->max_length ? std::to_string(*field_->max_length) : "∞"));
  }
  if (pattern_ && !std::regex_match(value, *pattern_)) {
    return SetError(
        error, "value.pattern",
        Quoted(value) + " không đúng mẫu / does not match the pattern " + field_->pattern);
  }
  if (field_->format == "citizen_id") {
    auto id = citizen_id::Check(value);
    if (!id) return SetError(error, "value.citizen_id", id.error().message);
    std::string digits;
    for (char c : value) {
      if (c >= '0' && c <= '9') digits += c;
    }
    value = digits;
  }
  out = std::move(value);
  return true;
}

bool CellParser::DecidedByField() const {
  return field_->type != FieldType::kNumber || in_dong_;
}

bool CellParser::Parse(std::string_view raw, bool xlsx, bool typed_number, store::Cell& out,
                       RowError& error) const {
  std::string value = Clean(raw);
  if (std::find(missing_->begin(), missing_->end(), value) != missing_->end()) {
    if (field_->required) {
      return SetError(error, "value.required",
                      "bắt buộc nhập / a value is required (" +
                          (field_->title.empty() ? field_->name : field_->title) + ")");
    }
    out = store::Cell();
    return true;
  }
  switch (field_->type) {
    case FieldType::kString:
      return ParseString(std::move(value), out, error);
    case FieldType::kInteger:
    case FieldType::kYear: {
      auto v = number::ParseInteger(value);
      if (!v) {
        auto d = number::ParseDecimal(value);
        if (d && *d == std::floor(*d) && std::fabs(*d) < 9e15) v = static_cast<int64_t>(*d);
      }
      if (!v || (field_->type == FieldType::kYear && (*v < 1900 || *v > 9999))) {
        return SetError(error, "value.type",
                        Quoted(value) + " không phải " +
                            (field_->type == FieldType::kYear ? "năm / is not a year"
                                                              : "số nguyên / is not an integer"));
      }
      if (!Check(static_cast<double>(*v), error)) return false;
      out = *v;
      return true;
    }
    case FieldType::kNumber: {
      std::optional<double> v;
      if (typed_number) {
        v = number::ParseDecimal(value, number::Style::kEnglish);
      } else if (in_dong_) {
        // Whole đồng: "30.000", "30,000" and "1.500.000" group by three.
        if (auto whole = number::ParseInteger(value)) v = static_cast<double>(*whole);
      }
      if (!v && !typed_number) v = number::ParseDecimal(value, style_);
      if (!v && value.find_first_of("eE") != std::string::npos) {
        double d = 0;
        auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), d);
        if (ec == std::errc() && p == value.data() + value.size()) v = d;
      }
      if (!v || !std::isfinite(*v)) {
        return SetError(error, "value.type", Quoted(value) + " không phải số / is not a number");
      }
      if (!Check(*v, error)) return false;
      out = *v;
      return true;
    }
    case FieldType::kBoolean: {
      if (auto hit = seen_.find(value); hit != seen_.end()) {
        out = hit->second;
        return true;
      }
      const std::string f = text::Fold(value);
      auto in = [&](const auto& list) {
        return std::find(std::begin(list), std::end(list), f) != std::end(list);
      };
      if (in(folded_true_) || in(kTrue) || in(folded_false_) || in(kFalse)) {
        out = int64_t{in(folded_true_) || in(kTrue) ? 1 : 0};
        if (seen_.size() < kSeenMax) seen_.emplace(value, out);
        return true;
      }
      return SetError(error, "value.type",
                      Quoted(value) +
                          " không phải có/không / is not yes or no (có/không, "
                          "true/false, 1/0, x)");
    }
    case FieldType::kDate:
    case FieldType::kDatetime: {
      DateTime t;
      const bool ok = ParseDateTime(value, t) || (xlsx && FromSerial(value, t));
      if (!ok) {
        return SetError(
            error, "value.type",
            Quoted(value) + (field_->type == FieldType::kDate
                                 ? " không phải ngày (dd/mm/yyyy) / is not a date (dd/mm/yyyy "
                                   "or yyyy-mm-dd)"
                                 : " không phải ngày giờ (dd/mm/yyyy hh:mm) / is not a date "
                                   "and time (dd/mm/yyyy hh:mm or ISO 8601)"));
      }
      out = Format(t, field_->type == FieldType::kDatetime);
      return true;
    }
    case FieldType::kYearMonth: {
      // "2025-10", "10/2025", "T10/2025".
      std::string_view s = value;
      if (!s.empty() && (s[0] == 'T' || s[0] == 't')) s.remove_prefix(1);
      int y = -1;
      int m = -1;
      if (s.size() == 7 && s[4] == '-') {
        y = Digits(s, 0, 4);
        m = Digits(s, 5, 2);
      } else if (auto slash = s.find_first_of("/-"); slash <= 2 && s.size() == slash + 5) {
        m = Digits(s, 0, slash);
        y = Digits(s, slash + 1, 4);
      }
      if (y < 1900 || m < 1 || m > 12) {
        return SetError(error, "value.type",
                        Quoted(value) +
                            " không phải tháng (mm/yyyy) / is not a month "
                            "(mm/yyyy or yyyy-mm)");
      }
      char buf[16];
      std::snprintf(buf, sizeof buf, "%04d-%02d", y, m);
      out = std::string(buf);
      return true;
    }
  }
  return SetError(error, "value.type", "unsupported type");
}

UnitResolver::UnitResolver(const units::Registry& registry, Date today)
    : registry_(registry), today_(today) {}

const UnitResolver::Resolved& UnitResolver::Resolve(std::string_view text, PartialRule rule) {
  auto& cache = cache_[rule == PartialRule::kLargest ? 1 : 0];
  auto it = cache.find(text);
  if (it != cache.end()) return it->second;
  const std::string key(text);
  return cache.emplace(key, Lookup(key, rule)).first->second;
}

UnitResolver::Resolved UnitResolver::Lookup(const std::string& raw, PartialRule rule) const {
  Resolved r;
  const std::string value = text::CollapseSpaces(text::Nfc(raw));
  if (const units::Unit* u = registry_.Find(value, today_)) {
    r.unit = u;
    return r;
  }
  auto successions = registry_.Resolve(value);
  if (!successions.empty()) {
    std::vector<const units::Succession*> distinct;
    for (const auto& s : successions) {
      if (std::none_of(distinct.begin(), distinct.end(),
                       [&](const units::Succession* d) { return d->new_unit == s.new_unit; })) {
        distinct.push_back(&s);
      }
    }
    if (distinct.size() == 1 || rule == PartialRule::kLargest) {
      const units::Succession* best = distinct.front();
      auto share = [](const units::Succession* s) {
        if (s->weight) return *s->weight;
        return s->new_unit->population ? static_cast<double>(*s->new_unit->population) : 0.0;
      };
      for (const auto* s : distinct) {
        if (share(s) > share(best)) best = s;
      }
      r.unit = best->new_unit;
      r.old_code = true;
      return r;
    }
    std::string names;
    for (const auto* s : distinct) {
      if (!names.empty()) names += ", ";
      names += s->new_unit->code + " (" + s->new_unit->name + ")";
    }
    r.error_code = "unit.ambiguous";
    r.message = "mã cũ " + value + " (" + successions.front().old_unit->name +
                ") đã được sáp nhập vào nhiều đơn vị: " + names +
                "; ghi mã đơn vị mới / the old commune was divided between " + names +
                ": write the new unit's code";
    return r;
  }
  // A name ("Phường Tân Ninh", "Tân Ninh"), without regard to diacritics.
  const std::string folded = text::FoldAlnum(value);
  std::vector<const units::Unit*> matches;
  if (!folded.empty()) {
    for (const units::Unit* u : registry_.Search(value, today_)) {
      if (text::FoldAlnum(u->name) == folded ||
          text::FoldAlnum(u->type + " " + u->name) == folded ||
          text::FoldAlnum(u->short_name) == folded) {
        matches.push_back(u);
      }
    }
  }
  if (matches.size() == 1) {
    r.unit = matches.front();
    r.by_name = true;
    return r;
  }
  if (matches.size() > 1) {
    std::string codes;
    for (const auto* u : matches)
      codes += (codes.empty() ? "" : ", ") + u->code + " (" + u->name + ")";
    r.error_code = "unit.ambiguous";
    r.message = "tên " + Quoted(value) + " trùng nhiều đơn vị: " + codes +
                "; ghi mã đơn vị / the name matches several units: " + codes + ": write the code";
    return r;
  }
  r.error_code = "unit.unknown";
  r.message = "không có đơn vị mã hoặc tên " + Quoted(value) +
              " / no unit has this code or name: see `pdh units ls` for the codes";
  return r;
}

}  // namespace pdh::ingest::internal
