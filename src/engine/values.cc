// Values units report: read from pdh's JSON, CSV or XLSX sheets, or DHIS2 dataValueSets; checked
// and stored all or nothing; and the shares of partial merges.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <boost/json/parse.hpp>

#include "core/number.h"
#include "core/sheet.h"
#include "core/text.h"
#include "core/xlsx.h"
#include "engine/internal.h"

namespace pdh::engine {
namespace json = boost::json;
namespace {

constexpr size_t kMaxValues = 1'000'000;
constexpr size_t kReportErrors = 1000;
// DHIS2's default category option combination: the element's total.
constexpr std::string_view kDhis2Default = "HllvX50cXC0";

Error Malformed(const std::string& what) {
  return Error::BadRequest("values.malformed", what);
}

std::string Text(const json::value* v) {
  if (!v || v->is_null()) return {};
  if (v->is_string()) return text::Nfc(std::string(v->as_string()));
  if (v->is_number()) {
    std::ostringstream s;
    s.precision(17);
    s << v->to_number<double>();
    return s.str();
  }
  if (v->is_bool()) return v->as_bool() ? "1" : "0";
  return {};
}

// The values written as text, kept until the file's number style is known.
struct ValueTexts {
  std::vector<std::pair<size_t, std::string>> texts;  // index in the values, text
  void Keep(size_t index, std::string text) {
    if (!text.empty()) texts.emplace_back(index, std::move(text));
  }
  // Reads each text in the style all of them show.
  void Read(std::vector<ValueInput>& values) const {
    number::StyleTally tally;
    for (const auto& [i, text] : texts) tally.Add(text);
    const number::Style style = tally.style();
    for (const auto& [i, text] : texts) {
      ValueInput& v = values[i];
      v.value = number::ParseDecimal(text, style);
      if (!v.value) v.value = std::nan("");  // reported as an error when written
      if (number::Ambiguous(text)) {
        v.ambiguous = text;
        v.style_known = style != number::Style::kUnknown;
      }
    }
  }
};

// Money in đồng has no fraction: "30.000" is thirty thousand.
bool InDong(const Element& e) {
  const std::string m = text::FoldAlnum(e.measure);
  return m == "vnd" || m == "dong" || m == "d";
}

// A column's heading, as pdh's sheets and DHIS2's CSV name it.
enum class Col { kElement, kOption, kUnit, kPeriod, kValue, kNone };
Col ColumnOf(const std::string& heading) {
  const std::string h = text::FoldAlnum(heading);
  static const std::map<std::string, Col> kNames = {{"element", Col::kElement},
                                                    {"dataelement", Col::kElement},
                                                    {"madulieu", Col::kElement},
                                                    {"machitieu", Col::kElement},
                                                    {"chitieu", Col::kElement},
                                                    {"option", Col::kOption},
                                                    {"categoryoptioncombo", Col::kOption},
                                                    {"phanto", Col::kOption},
                                                    {"unit", Col::kUnit},
                                                    {"orgunit", Col::kUnit},
                                                    {"donvi", Col::kUnit},
                                                    {"madonvi", Col::kUnit},
                                                    {"period", Col::kPeriod},
                                                    {"ky", Col::kPeriod},
                                                    {"kybaocao", Col::kPeriod},
                                                    {"value", Col::kValue},
                                                    {"giatri", Col::kValue},
                                                    {"solieu", Col::kValue}};
  auto it = kNames.find(h);
  return it == kNames.end() ? Col::kNone : it->second;
}

Result<std::vector<ValueInput>> FromSheet(const Sheet& sheet, bool dhis2) {
  // The header: the first row naming an element, a unit and a value.
  size_t header = sheet.rows.size();
  std::map<Col, size_t> cols;
  for (size_t r = 0; r < sheet.rows.size() && r < 30; ++r) {
    std::map<Col, size_t> found;
    for (size_t c = 0; c < sheet.rows[r].size(); ++c) {
      Col col = ColumnOf(sheet.rows[r][c]);
      if (col != Col::kNone && !found.count(col)) found[col] = c;
    }
    if (found.count(Col::kElement) && found.count(Col::kUnit) && found.count(Col::kValue) &&
        found.count(Col::kPeriod)) {
      header = r;
      cols = std::move(found);
      break;
    }
  }
  if (header == sheet.rows.size()) {
    if (dhis2 && !sheet.rows.empty() && sheet.rows[0].size() >= 6) {
      // DHIS2 CSV without a header: dataelement, period, orgunit, catoptcombo, attroptcombo, value.
      cols = {{Col::kElement, 0},
              {Col::kPeriod, 1},
              {Col::kUnit, 2},
              {Col::kOption, 3},
              {Col::kValue, 5}};
      header = static_cast<size_t>(-1);
    } else {
      return Fail(Malformed(
          "no header row: the sheet needs the columns element (Mã chỉ tiêu), unit (Đơn vị), "
          "period (Kỳ) and value (Giá trị); option (Phân tổ) is optional"));
    }
  }
  std::vector<ValueInput> out;
  ValueTexts texts;
  for (size_t r = header + 1; r < sheet.rows.size(); ++r) {
    const auto& row = sheet.rows[r];
    auto cell = [&](Col c) -> std::string {
      auto it = cols.find(c);
      if (it == cols.end() || it->second >= row.size()) return {};
      return text::Nfc(text::CollapseSpaces(row[it->second]));
    };
    if (std::all_of(row.begin(), row.end(), [](const std::string& s) { return s.empty(); })) {
      continue;
    }
    ValueInput v;
    v.element = cell(Col::kElement);
    v.option = cell(Col::kOption);
    if (v.option == kDhis2Default) v.option.clear();
    v.unit = cell(Col::kUnit);
    v.period = cell(Col::kPeriod);
    texts.Keep(out.size(), cell(Col::kValue));
    out.push_back(std::move(v));
    if (out.size() > kMaxValues) return Fail(Malformed("more than 1,000,000 values in one file"));
  }
  texts.Read(out);
  return out;
}

}  // namespace

std::optional<ValueFormat> ParseValueFormat(std::string_view name) {
  if (name == "json") return ValueFormat::kJson;
  if (name == "csv") return ValueFormat::kCsv;
  if (name == "xlsx") return ValueFormat::kXlsx;
  if (name == "dhis2" || name == "dhis2-json") return ValueFormat::kDhis2Json;
  if (name == "dhis2-csv") return ValueFormat::kDhis2Csv;
  return std::nullopt;
}

json::object ValueReport::ToJson() const {
  json::array errs;
  for (const auto& e : errors) {
    errs.push_back(json::object{{"row", e.row},
                                {"field", e.field},
                                {"value", e.value},
                                {"code", e.code},
                                {"message", e.message}});
  }
  json::array warns;
  for (const auto& w : warnings) {
    warns.push_back(json::object{{"row", w.row},
                                 {"field", w.field},
                                 {"value", w.value},
                                 {"code", w.code},
                                 {"message", w.message}});
  }
  return {{"status", status},          {"read", read},
          {"written", written},        {"rejected", rejected},
          {"errors", std::move(errs)}, {"warnings", std::move(warns)},
          {"last_seq", last_seq}};
}

Result<std::vector<ValueInput>> ReadValues(std::string_view bytes, ValueFormat format,
                                           const SheetLimits& limits) {
  // A file past the limits says so; anything else unreadable is values.malformed.
  auto failed = [&limits](const Error& e, std::string_view what) {
    if (IsLimitError(e) || e.code == kXlsxTooLarge) return TooLargeOrMalformed(e, what, limits);
    return Malformed(e.message);
  };
  if (format == ValueFormat::kCsv || format == ValueFormat::kDhis2Csv) {
    std::istringstream in{std::string(bytes)};
    auto sheet = ReadCsvSheet(in, kMaxValues + 40, limits);
    if (!sheet) return Fail(failed(sheet.error(), "CSV"));
    return FromSheet(*sheet, format == ValueFormat::kDhis2Csv);
  }
  if (format == ValueFormat::kXlsx) {
    auto reader = XlsxReader::OpenBuffer(std::string(bytes), LimitedXlsxOptions(limits));
    if (!reader) return Fail(failed(reader.error(), "XLSX"));
    SheetReadOptions so;
    so.is_header = [](const std::vector<std::string>& cells) {
      return std::any_of(cells.begin(), cells.end(),
                         [](const std::string& c) { return ColumnOf(c) == Col::kValue; });
    };
    so.max_rows = kMaxValues + 40;
    so.limits = limits;
    auto sheet = ReadXlsxSheet(*reader, so);
    if (!sheet) return Fail(failed(sheet.error(), "XLSX"));
    return FromSheet(sheet->sheet, false);
  }
  json::value doc;
  {
    boost::system::error_code ec;
    doc = json::parse(bytes, ec);
    if (ec) return Fail(Malformed("not JSON: " + ec.message()));
  }
  if (!doc.is_object()) return Fail(Malformed("the document must be a JSON object"));
  const auto& o = doc.as_object();
  std::vector<ValueInput> out;
  ValueTexts texts;
  if (const json::value* list = o.if_contains("dataValues")) {
    // DHIS2 dataValueSets: defaults for period and orgUnit at the top.
    const std::string period = Text(o.if_contains("period"));
    const std::string unit = Text(o.if_contains("orgUnit"));
    if (!list->is_array()) return Fail(Malformed("dataValues must be a list"));
    for (const auto& item : list->as_array()) {
      if (!item.is_object()) return Fail(Malformed("each of dataValues must be an object"));
      const auto& d = item.as_object();
      ValueInput v;
      v.element = Text(d.if_contains("dataElement"));
      v.period = Text(d.if_contains("period"));
      if (v.period.empty()) v.period = period;
      v.unit = Text(d.if_contains("orgUnit"));
      if (v.unit.empty()) v.unit = unit;
      v.option = Text(d.if_contains("categoryOptionCombo"));
      if (v.option == kDhis2Default) v.option.clear();
      v.reported_at = Text(d.if_contains("lastUpdated"));
      const json::value* value = d.if_contains("value");
      const json::value* deleted = d.if_contains("deleted");
      if (deleted && deleted->is_bool() && deleted->as_bool()) {
        v.value.reset();
      } else if (value && value->is_number()) {
        v.value = value->to_number<double>();
      } else if (const std::string t = Text(value); !t.empty()) {
        texts.Keep(out.size(), t);
      } else {
        v.value = std::nan("");
      }
      out.push_back(std::move(v));
      if (out.size() > kMaxValues) return Fail(Malformed("more than 1,000,000 values"));
    }
    texts.Read(out);
    return out;
  }
  const json::value* list = o.if_contains("values");
  if (!list || !list->is_array()) {
    return Fail(Malformed(
        "expected {\"values\": [{\"element\", \"unit\", \"period\", \"value\"}, ...]} or a "
        "DHIS2 dataValueSets document ({\"dataValues\": [...]})"));
  }
  for (const auto& item : list->as_array()) {
    if (!item.is_object()) return Fail(Malformed("each of values must be an object"));
    const auto& d = item.as_object();
    ValueInput v;
    v.element = Text(d.if_contains("element"));
    v.option = Text(d.if_contains("option"));
    v.unit = Text(d.if_contains("unit"));
    v.period = Text(d.if_contains("period"));
    const json::value* value = d.if_contains("value");
    if (value && value->is_number()) {
      v.value = value->to_number<double>();
    } else if (value && value->is_string() && !value->as_string().empty()) {
      texts.Keep(out.size(), Text(value));
    } else if (!value || !value->is_null()) {
      v.value = std::nan("");
    }
    out.push_back(std::move(v));
    if (out.size() > kMaxValues) return Fail(Malformed("more than 1,000,000 values"));
  }
  texts.Read(out);
  return out;
}

Result<ValueReport> WriteValues(store::IndexStore& store, const units::Registry& registry,
                                const IndexSet& set, const std::string& home_province,
                                const std::vector<ValueInput>& values, const ValueOptions& opt) {
  ValueReport report;
  report.read = static_cast<int64_t>(values.size());
  const Date today = Date::Today();
  std::map<std::string, const Element*> by_id;
  for (const auto& e : set.elements) {
    by_id[e.code] = &e;
    if (!e.dhis2_id.empty()) by_id[e.dhis2_id] = &e;
  }
  // Whether a unit is in the home province, now or before the merger.
  auto in_province = [&](const units::Unit* u) {
    for (const units::Unit* a = u; a; a = a->parent) {
      if (a->code == home_province && a->level == units::Level::kProvince) return true;
    }
    // A pre-2025 commune whose successors are the province's.
    for (const auto& s : registry.Resolve(u->code)) {
      if (s.old_unit == u) {
        for (const units::Unit* a = s.new_unit; a; a = a->parent) {
          if (a->code == home_province) return true;
        }
      }
    }
    return false;
  };
  std::vector<store::DataValueRow> rows;
  std::set<std::tuple<std::string, std::string, std::string, std::string>> seen;
  int64_t row_no = 0;
  for (const auto& v : values) {
    ++row_no;
    auto fail = [&](const char* field, const std::string& value, const char* code,
                    const std::string& message) {
      if (report.errors.size() < kReportErrors) {
        report.errors.push_back({row_no, field, value, code, message});
      }
    };
    const size_t before = report.errors.size();
    auto eit = by_id.find(v.element);
    const Element* e = eit == by_id.end() ? nullptr : eit->second;
    if (!e) {
      fail("element", v.element, "value.unknown_element",
           "không có chỉ tiêu dữ liệu này / no data element with this code");
    } else if (e->rule) {
      fail("element", v.element, "value.computed_element",
           "chỉ tiêu này được tính từ dữ liệu / this element is computed from the dataset " +
               e->rule->dataset + ", not reported");
    } else if (!v.option.empty() &&
               std::find(e->options.begin(), e->options.end(), v.option) == e->options.end()) {
      fail("option", v.option, "value.unknown_option",
           "phân tổ không có trong chỉ tiêu / the element has no such option");
    }
    auto p = Period::Parse(v.period);
    if (!p) {
      fail("period", v.period, "value.bad_period",
           "kỳ không hợp lệ / not a period: write 2025-10, 2025Q3 or 2025");
    } else if (e && p->kind != e->periodicity) {
      fail("period", v.period, "value.wrong_period",
           "kỳ không khớp / the element is reported by " +
               std::string(PeriodKindName(e->periodicity)));
    }
    const units::Unit* unit = nullptr;
    if (p) unit = registry.Find(v.unit, p->Last());
    if (!unit) unit = registry.Find(v.unit, today);
    if (!unit) {
      fail("unit", v.unit, "value.unknown_unit", "không có đơn vị này / no unit with this code");
    } else if (!in_province(unit)) {
      fail("unit", v.unit, "value.unit_outside",
           "đơn vị ngoài tỉnh / the unit is not in the province");
    } else if (opt.may_write && !opt.may_write(*unit)) {
      fail("unit", v.unit, "unit.out_of_scope",
           "không có quyền nhập cho đơn vị này / you may not report for this unit");
    }
    std::optional<double> value = v.value;
    if (!v.ambiguous.empty() && e && InDong(*e)) {
      if (auto whole = number::ParseInteger(v.ambiguous)) value = static_cast<double>(*whole);
    } else if (!v.ambiguous.empty() && !v.style_known && report.warnings.size() < kReportErrors) {
      char read[32];
      std::snprintf(read, sizeof read, "%.15g", value.value_or(0));
      report.warnings.push_back({row_no, "value", v.ambiguous, "value.ambiguous_number",
                                 "'" + v.ambiguous +
                                     "' có thể là số thập phân hoặc số nghìn, đã đọc là " + read +
                                     "; ghi không có dấu chấm nếu là số nguyên / '" + v.ambiguous +
                                     "' may be a decimal or thousands; read as " + read +
                                     ": write it without the separator if it is a whole number"});
    }
    if (value && !std::isfinite(*value)) {
      fail("value", "", "value.not_a_number", "giá trị không phải số / the value is not a number");
    }
    if (report.errors.size() == before && e && p && unit) {
      auto key = std::make_tuple(e->code, v.option, unit->code, p->Id());
      if (!seen.insert(key).second) {
        fail("period", v.period, "value.duplicate",
             "giá trị lặp lại trong tệp / the same element, unit and period twice");
      }
    }
    if (report.errors.size() != before) {
      ++report.rejected;
      continue;
    }
    store::DataValueRow r;
    r.element = e->code;
    r.option = v.option;
    r.unit = v.unit;
    r.period = p->Id();
    r.value = value;
    r.updated_at = v.reported_at.empty() ? opt.at : v.reported_at;
    r.by = opt.by;
    r.source = opt.source;
    rows.push_back(std::move(r));
  }
  if (report.rejected > 0 && !opt.accept_valid) {
    report.status = "rejected";
    return report;
  }
  if (opt.dry_run) {
    report.status = "dry_run";
    report.written = static_cast<int64_t>(rows.size());
    return report;
  }
  if (!rows.empty()) {
    auto seq = store.PutValues(rows);
    if (!seq) return Fail(seq.error());
    report.last_seq = *seq;
  }
  report.status = "committed";
  report.written = static_cast<int64_t>(rows.size());
  return report;
}

Status SetMergeWeights(store::IndexStore& store, store::SettingsStore& settings,
                       const units::Registry& registry,
                       const std::vector<store::MergeWeightRow>& rows) {
  std::map<std::string, double> totals;
  for (const auto& r : rows) {
    auto succ = registry.Resolve(r.old_code);
    if (succ.empty()) {
      return Fail(Error::Invalid("index.invalid", r.old_code + " is not a pre-2025 commune"));
    }
    bool found = std::any_of(succ.begin(), succ.end(), [&](const units::Succession& s) {
      return s.new_unit->code == r.new_code;
    });
    if (!found) {
      return Fail(
          Error::Invalid("index.invalid", r.new_code + " is not a successor of " + r.old_code));
    }
    if (!(r.weight >= 0 && r.weight <= 1)) {
      return Fail(Error::Invalid("index.invalid", "weights are shares from 0 to 1"));
    }
    totals[r.old_code] += r.weight;
  }
  for (const auto& [code, total] : totals) {
    if (std::fabs(total - 1) > 1e-6) {
      return Fail(Error::Invalid("index.invalid", "the shares of " + code + " add up to " +
                                                      std::to_string(total) + ", not 1"));
    }
  }
  if (auto s = store.SetMergeWeights(rows); !s) return s;
  // Weights change every series an old commune feeds: the engine rebuilds.
  auto gen = settings.GetSetting(std::string(kGenerationSetting));
  if (!gen) return Fail(gen.error());
  const int64_t next = (*gen ? std::stoll(**gen) : 0) + 1;
  return settings.SetSetting(std::string(kGenerationSetting), std::to_string(next));
}

}  // namespace pdh::engine
