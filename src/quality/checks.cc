// Data-quality checks as data: their definitions read against a dataset's schema, the checks a
// schema implies, and their storage as a setting per dataset.
#include <algorithm>
#include <array>
#include <regex>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "core/json_util.h"
#include "core/text.h"
#include "link/link.h"
#include "quality/internal.h"
#include "quality/quality.h"

namespace pdh::quality {
namespace json = boost::json;

namespace {

constexpr std::array<std::string_view, kDimensions> kDimensionNames = {"correct", "sufficient",
                                                                       "clean", "alive"};
constexpr std::array<std::string_view, 15> kCheckTypeNames = {
    "missing",   "pattern",      "range",          "codes",    "duplicate",
    "rule",      "reference",    "near_duplicate", "rejected", "freshness",
    "row_count", "completeness", "timeliness",     "outliers", "consistency"};
constexpr std::array<std::string_view, 3> kSeverityNames = {"error", "warning", "info"};

// Thrown while reading checks, caught by ParseChecks.
struct CheckDefinitionError {
  std::string code;
  std::string where;
  std::string what;
};

[[noreturn]] void BadCheck(const std::string& where, const std::string& what,
                           std::string_view code = kInvalidCheck) {
  throw CheckDefinitionError{std::string(code), where, what};
}

Dimension DefaultDimension(CheckType t) {
  switch (t) {
    case CheckType::kMissing:
    case CheckType::kCompleteness:
      return Dimension::kSufficient;
    case CheckType::kPattern:
    case CheckType::kRange:
    case CheckType::kCodes:
    case CheckType::kRejected:
    case CheckType::kOutliers:
      return Dimension::kCorrect;
    case CheckType::kDuplicate:
    case CheckType::kNearDuplicate:
    case CheckType::kRule:
    case CheckType::kReference:
    case CheckType::kConsistency:
      return Dimension::kClean;
    case CheckType::kFreshness:
    case CheckType::kRowCount:
    case CheckType::kTimeliness:
      return Dimension::kAlive;
  }
  return Dimension::kCorrect;
}

std::string QString(const json::object& o, std::string_view key, const std::string& where) {
  const auto* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return {};
  if (!v->is_string()) BadCheck(where + "." + std::string(key), "must be a string");
  return text::Nfc(std::string(v->as_string()));
}

std::optional<double> QNumber(const json::object& o, std::string_view key,
                              const std::string& where) {
  const auto* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return std::nullopt;
  if (!v->is_number()) BadCheck(where + "." + std::string(key), "must be a number");
  return v->to_number<double>();
}

std::vector<std::string> QStrings(const json::object& o, std::string_view key,
                                  const std::string& where) {
  std::vector<std::string> out;
  const auto* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return out;
  if (!v->is_array()) BadCheck(where + "." + std::string(key), "must be a list of strings");
  for (const auto& s : v->as_array()) {
    if (!s.is_string()) BadCheck(where + "." + std::string(key), "must be a list of strings");
    out.push_back(text::Nfc(std::string(s.as_string())));
  }
  return out;
}

const ingest::Field& FieldOf(const ingest::Dataset& d, const std::string& name,
                             const std::string& where) {
  if (name.empty()) BadCheck(where, "is required: a field of " + d.row.code);
  const auto* f = d.schema.Find(name);
  if (f == nullptr) BadCheck(where, "'" + name + "' is not a field of " + d.row.code);
  return *f;
}

// How a field's values compare when none is given: identity numbers as IDs, dates as dates,
// personal names as full names, codes as codes, anything else as text.
link::Kind NearKindOf(const ingest::Field& f) {
  if (f.format == "citizen_id") return link::Kind::kId;
  if (f.type == ingest::FieldType::kDate || f.type == ingest::FieldType::kDatetime) {
    return link::Kind::kDate;
  }
  if (f.unit) return link::Kind::kCommune;
  const std::string title = " " + text::Fold(f.title) + " ";
  if (f.name.find("name") != std::string::npos || title.find(" ten ") != std::string::npos) {
    return link::Kind::kFullName;
  }
  if (!f.codes.empty() || !f.enum_values.empty()) return link::Kind::kCode;
  return link::Kind::kText;
}

Check ReadCheck(const json::value& v, const ingest::Dataset& d, const std::string& where) {
  if (!v.is_object()) BadCheck(where, "must be an object");
  const auto& o = v.as_object();
  Check c;
  c.id = QString(o, "id", where);
  if (c.id.empty() || c.id.size() > 60 || !std::all_of(c.id.begin(), c.id.end(), [](char ch) {
        return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_';
      })) {
    BadCheck(where + ".id", "'" + c.id + "' is not an id: lowercase letters, digits and '_'");
  }
  c.title = QString(o, "title", where);
  const std::string type = QString(o, "type", where);
  auto t = json_util::ParseName<CheckType>(kCheckTypeNames, type);
  if (!t) {
    BadCheck(where + ".type", "'" + type +
                                  "' is not a check: missing, pattern, range, codes, duplicate, "
                                  "near_duplicate, rule, reference, rejected, freshness, "
                                  "row_count, completeness, timeliness, outliers or "
                                  "consistency");
  }
  c.type = *t;
  c.dimension = DefaultDimension(c.type);
  if (const std::string dim = QString(o, "dimension", where); !dim.empty()) {
    auto parsed = ParseDimension(dim);
    if (!parsed) {
      BadCheck(where + ".dimension",
               "'" + dim + "' is not a dimension: correct, sufficient, clean or alive");
    }
    c.dimension = *parsed;
  }
  if (const std::string sev = QString(o, "severity", where); !sev.empty()) {
    auto parsed = json_util::ParseName<Severity>(kSeverityNames, sev);
    if (!parsed) BadCheck(where + ".severity", "'" + sev + "' is not error, warning or info");
    c.severity = *parsed;
  }
  c.field = QString(o, "field", where);
  switch (c.type) {
    case CheckType::kMissing:
      FieldOf(d, c.field, where + ".field");
      break;
    case CheckType::kPattern: {
      FieldOf(d, c.field, where + ".field");
      c.pattern = QString(o, "pattern", where);
      if (c.pattern.empty()) BadCheck(where + ".pattern", "is required");
      try {
        std::regex re(c.pattern, std::regex::ECMAScript);
      } catch (const std::regex_error&) {
        BadCheck(where + ".pattern", "'" + c.pattern + "' is not a regular expression");
      }
      break;
    }
    case CheckType::kRange: {
      const auto& f = FieldOf(d, c.field, where + ".field");
      if (f.type != ingest::FieldType::kInteger && f.type != ingest::FieldType::kNumber) {
        BadCheck(where + ".field", "'" + c.field + "' is not a number field");
      }
      c.min = QNumber(o, "min", where);
      c.max = QNumber(o, "max", where);
      if (!c.min && !c.max) BadCheck(where, "give min, max or both");
      break;
    }
    case CheckType::kCodes: {
      const auto& f = FieldOf(d, c.field, where + ".field");
      c.values = QStrings(o, "values", where);
      if (c.values.empty()) {
        for (const auto& code : f.codes) c.values.push_back(code.code);
        for (const auto& e : f.enum_values) c.values.push_back(e);
      }
      if (c.values.empty()) {
        BadCheck(where + ".values", "is required: '" + c.field + "' has no code list");
      }
      break;
    }
    case CheckType::kDuplicate:
      c.fields = QStrings(o, "fields", where);
      if (c.fields.empty()) BadCheck(where + ".fields", "is required: the fields that repeat");
      for (size_t i = 0; i < c.fields.size(); ++i) {
        FieldOf(d, c.fields[i], where + ".fields[" + std::to_string(i) + "]");
      }
      break;
    case CheckType::kNearDuplicate: {
      c.fields = QStrings(o, "fields", where);
      if (c.fields.empty()) BadCheck(where + ".fields", "is required: the fields compared");
      if (c.fields.size() > 16) BadCheck(where + ".fields", "compares at most 16 fields");
      c.kinds = QStrings(o, "kinds", where);
      if (!c.kinds.empty() && c.kinds.size() != c.fields.size()) {
        BadCheck(where + ".kinds", "gives one kind per field of fields, or none");
      }
      for (size_t i = 0; i < c.fields.size(); ++i) {
        const auto& f = FieldOf(d, c.fields[i], where + ".fields[" + std::to_string(i) + "]");
        if (c.kinds.size() <= i) c.kinds.emplace_back(link::KindName(NearKindOf(f)));
        if (!link::ParseKind(c.kinds[i])) {
          BadCheck(where + ".kinds[" + std::to_string(i) + "]",
                   "'" + c.kinds[i] +
                       "' is not a kind: name, full_name, date, id, phone, commune, code or text");
        }
      }
      c.block = QStrings(o, "block", where);
      for (size_t i = 0; i < c.block.size(); ++i) {
        FieldOf(d, c.block[i], where + ".block[" + std::to_string(i) + "]");
      }
      if (!c.field.empty()) {
        const auto& f = FieldOf(d, c.field, where + ".field");
        if (f.type != ingest::FieldType::kDate && f.type != ingest::FieldType::kDatetime) {
          BadCheck(where + ".field", "'" + c.field + "' is not a date field");
        }
      }
      c.max_days = static_cast<int>(QNumber(o, "max_days", where).value_or(7));
      if (c.max_days < 0) BadCheck(where + ".max_days", "must be 0 or more");
      if (c.block.empty() && c.field.empty()) {
        BadCheck(where + ".block",
                 "is required without a date field: records are compared within a block");
      }
      break;
    }
    case CheckType::kRule: {
      c.expression = QString(o, "expression", where);
      std::vector<std::string> names;
      for (const auto& f : d.schema.fields) names.push_back(f.name);
      auto parsed = engine::RecordCondition::Parse(c.expression, names);
      if (!parsed) BadCheck(where + ".expression", parsed.error().message, kBadExpression);
      break;
    }
    case CheckType::kReference:
      FieldOf(d, c.field, where + ".field");
      c.dataset = QString(o, "dataset", where);
      c.key = QString(o, "key", where);
      if (!c.dataset.empty() && c.key.empty()) {
        BadCheck(where + ".key", "is required: the field of " + c.dataset + " it names");
      }
      break;
    case CheckType::kRejected:
      break;
    case CheckType::kFreshness:
      c.max_days = static_cast<int>(QNumber(o, "max_days", where).value_or(45));
      if (c.max_days < 1) BadCheck(where + ".max_days", "must be at least 1");
      break;
    case CheckType::kRowCount:
    case CheckType::kConsistency:
      c.within_percent =
          QNumber(o, "within_percent", where).value_or(c.type == CheckType::kConsistency ? 33 : 50);
      if (c.within_percent <= 0) BadCheck(where + ".within_percent", "must be above 0");
      break;
    case CheckType::kCompleteness:
    case CheckType::kTimeliness:
      c.threshold =
          QNumber(o, "threshold", where).value_or(c.type == CheckType::kCompleteness ? 90 : 75);
      if (c.threshold <= 0 || c.threshold > 100) {
        BadCheck(where + ".threshold", "must be a percentage above 0");
      }
      c.due_day = static_cast<int>(QNumber(o, "due_day", where).value_or(25));
      if (c.due_day < 1 || c.due_day > 28) BadCheck(where + ".due_day", "must be 1 to 28");
      break;
    case CheckType::kOutliers:
      c.method = QString(o, "method", where);
      if (c.method.empty()) c.method = "modified_z";
      if (c.method != "modified_z" && c.method != "sd") {
        BadCheck(where + ".method", "'" + c.method + "' is not modified_z or sd");
      }
      c.threshold = QNumber(o, "threshold", where).value_or(c.method == "sd" ? 3 : 3.5);
      if (c.threshold <= 0) BadCheck(where + ".threshold", "must be above 0");
      break;
  }
  if (c.title.empty()) c.title = c.id;
  return c;
}

Check Make(std::string id, std::string title, CheckType type, std::string field = {}) {
  Check c;
  c.id = std::move(id);
  c.title = std::move(title);
  c.type = type;
  c.dimension = DefaultDimension(type);
  c.field = std::move(field);
  return c;
}

}  // namespace

std::string internal::ChecksKey(const std::string& dataset) {
  return "quality.checks." + dataset;
}

std::string_view DimensionName(Dimension d) {
  return kDimensionNames[static_cast<size_t>(d)];
}

std::optional<Dimension> ParseDimension(std::string_view s) {
  return json_util::ParseName<Dimension>(kDimensionNames, s);
}

std::string_view CheckTypeName(CheckType t) {
  return kCheckTypeNames[static_cast<size_t>(t)];
}

Result<std::vector<Check>> ParseChecks(const json::value& v, const ingest::Dataset& d) {
  const json::value* list = &v;
  if (v.is_object()) {
    list = v.as_object().if_contains("checks");
    if (list == nullptr) {
      return Fail(Error::Invalid(std::string(kInvalidCheck), "checks: is required"));
    }
  }
  if (!list->is_array()) {
    return Fail(Error::Invalid(std::string(kInvalidCheck), "checks: must be a list"));
  }
  std::vector<Check> out;
  if (list->as_array().size() > kMaxChecks) {
    return Fail(
        Error::Invalid(std::string(kInvalidCheck),
                       "checks: at most " + std::to_string(kMaxChecks) + " checks per dataset"));
  }
  try {
    for (size_t i = 0; i < list->as_array().size(); ++i) {
      const std::string where = "checks[" + std::to_string(i) + "]";
      Check c = ReadCheck(list->as_array()[i], d, where);
      for (const auto& other : out) {
        if (other.id == c.id) BadCheck(where + ".id", "'" + c.id + "' is given twice");
      }
      out.push_back(std::move(c));
    }
  } catch (const CheckDefinitionError& e) {
    return Fail(Error::Invalid(e.code, e.where + ": " + e.what));
  }
  return out;
}

json::object ToJson(const Check& c) {
  json::object o{{"id", c.id},
                 {"title", c.title},
                 {"type", CheckTypeName(c.type)},
                 {"severity", kSeverityNames[static_cast<size_t>(c.severity)]},
                 {"dimension", DimensionName(c.dimension)}};
  if (!c.field.empty()) o["field"] = c.field;
  switch (c.type) {
    case CheckType::kPattern:
      o["pattern"] = c.pattern;
      break;
    case CheckType::kRange:
      o["min"] = json_util::OptNumber(c.min);
      o["max"] = json_util::OptNumber(c.max);
      break;
    case CheckType::kCodes:
      o["values"] = json_util::Strings(c.values);
      break;
    case CheckType::kDuplicate:
      o["fields"] = json_util::Strings(c.fields);
      break;
    case CheckType::kNearDuplicate:
      o["fields"] = json_util::Strings(c.fields);
      o["kinds"] = json_util::Strings(c.kinds);
      o["block"] = json_util::Strings(c.block);
      o["max_days"] = c.max_days;
      break;
    case CheckType::kRule:
      o["expression"] = c.expression;
      break;
    case CheckType::kReference:
      if (!c.dataset.empty()) {
        o["dataset"] = c.dataset;
        o["key"] = c.key;
      }
      break;
    case CheckType::kFreshness:
      o["max_days"] = c.max_days;
      break;
    case CheckType::kRowCount:
    case CheckType::kConsistency:
      o["within_percent"] = c.within_percent;
      break;
    case CheckType::kCompleteness:
    case CheckType::kTimeliness:
      o["threshold"] = c.threshold;
      o["due_day"] = c.due_day;
      break;
    case CheckType::kOutliers:
      o["method"] = c.method;
      o["threshold"] = c.threshold;
      break;
    case CheckType::kMissing:
    case CheckType::kRejected:
      break;
  }
  return o;
}

json::array ToJson(const std::vector<Check>& checks) {
  json::array a;
  for (const auto& c : checks) a.push_back(ToJson(c));
  return a;
}

std::vector<Check> DefaultChecks(const ingest::Dataset& d) {
  std::vector<Check> out;
  const ingest::Field* period = nullptr;
  for (const auto& f : d.schema.fields) {
    if (f.period) period = &f;
  }
  for (const auto& f : d.schema.fields) {
    const std::string label = f.title.empty() ? f.name : f.title;
    if (f.required) {
      out.push_back(Make(f.name + "_missing", "Thiếu " + label, CheckType::kMissing, f.name));
    }
    if (!f.codes.empty() || !f.enum_values.empty()) {
      Check c = Make(f.name + "_codes", label + " ngoài danh mục", CheckType::kCodes, f.name);
      for (const auto& code : f.codes) c.values.push_back(code.code);
      for (const auto& e : f.enum_values) c.values.push_back(e);
      out.push_back(std::move(c));
    }
    if (!f.pattern.empty()) {
      Check c = Make(f.name + "_pattern", label + " sai mẫu", CheckType::kPattern, f.name);
      c.pattern = f.pattern;
      out.push_back(std::move(c));
    }
    if ((f.minimum || f.maximum) &&
        (f.type == ingest::FieldType::kInteger || f.type == ingest::FieldType::kNumber)) {
      Check c = Make(f.name + "_range", label + " ngoài khoảng", CheckType::kRange, f.name);
      c.min = f.minimum;
      c.max = f.maximum;
      out.push_back(std::move(c));
    }
    if (f.unit) {
      out.push_back(
          Make(f.name + "_unit", label + " không phải đơn vị", CheckType::kReference, f.name));
    }
    // A time of the record's life after its date (completion, deadline, resolution): not before.
    if (period != nullptr && &f != period &&
        (f.type == ingest::FieldType::kDatetime || f.type == ingest::FieldType::kDate)) {
      Check c = Make(f.name + "_order",
                     label + " trước " + (period->title.empty() ? period->name : period->title),
                     CheckType::kRule);
      c.expression = "#{" + f.name + "} >= #{" + period->name + "}";
      out.push_back(std::move(c));
    }
  }
  // Rows the ingest refused, against the unit that sent them.
  out.push_back(Make("rejected_rows", "Dòng bị từ chối khi nhận", CheckType::kRejected));
  if (period != nullptr) {
    Check fresh = Make("freshness", "Dữ liệu mới trong 45 ngày", CheckType::kFreshness);
    fresh.max_days = 45;
    out.push_back(std::move(fresh));
    Check complete = Make("completeness", "Đủ tháng báo cáo (≥ 90 %)", CheckType::kCompleteness);
    complete.threshold = 90;
    out.push_back(std::move(complete));
    Check timely = Make("timeliness", "Gửi đúng hạn (≥ 75 %)", CheckType::kTimeliness);
    timely.threshold = 75;
    out.push_back(std::move(timely));
    Check outliers =
        Make("outliers", "Số bản ghi bất thường (z cải tiến 3,5)", CheckType::kOutliers);
    outliers.method = "modified_z";
    outliers.threshold = 3.5;
    out.push_back(std::move(outliers));
    Check consistent =
        Make("consistency", "Ổn định theo thời gian (±33 %)", CheckType::kConsistency);
    consistent.within_percent = 33;
    out.push_back(std::move(consistent));
  }
  return out;
}

Result<CheckSet> LoadChecks(store::SettingsStore& settings, const ingest::Dataset& d) {
  auto stored = settings.GetSetting(internal::ChecksKey(d.row.code));
  if (!stored) return Fail(stored.error());
  CheckSet set;
  if (!*stored) {
    set.checks = DefaultChecks(d);
    return set;
  }
  json::value v = json_util::Parse(**stored);
  if (v.is_object()) {
    const auto& o = v.as_object();
    if (const auto* at = o.if_contains("updated_at"); at && at->is_string()) {
      set.updated_at = std::string(at->as_string());
    }
    if (const auto* by = o.if_contains("updated_by"); by && by->is_string()) {
      set.updated_by = std::string(by->as_string());
    }
    if (const auto* entry = o.if_contains("catalog_entry"); entry && entry->is_string()) {
      set.catalog_entry = std::string(entry->as_string());
    }
    if (!o.contains("checks")) {
      // Only the catalog entry was saved: the checks are still the defaults.
      set.checks = DefaultChecks(d);
      return set;
    }
  }
  auto checks = ParseChecks(v, d);
  if (!checks) {
    // A schema change can leave a stored check naming a field that is gone: say which.
    return Fail(Error::Invalid(checks.error().code,
                               "the stored checks of " + d.row.code +
                                   " no longer fit its schema: " + checks.error().message));
  }
  set.checks = std::move(*checks);
  set.stored = true;
  return set;
}

Status SaveChecks(store::SettingsStore& settings, const ingest::Dataset& d, const CheckSet& set,
                  const std::string& by, const std::string& at) {
  json::object o{{"updated_at", at}, {"updated_by", by}};
  if (set.stored) o["checks"] = ToJson(set.checks);
  if (!set.catalog_entry.empty()) o["catalog_entry"] = set.catalog_entry;
  return settings.SetSetting(internal::ChecksKey(d.row.code), json_util::Serialize(o));
}

}  // namespace pdh::quality
