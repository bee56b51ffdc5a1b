// Consolidation projects: their definitions, the mapping of source rows onto the target's
// fields, survivorship, clusters with stable ids, and the linking of mapped records.
#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <boost/json.hpp>

#include "core/date.h"
#include "core/json_util.h"
#include "core/text.h"
#include "link/link.h"
#include "units/units.h"

namespace pdh::link {
namespace json = boost::json;

namespace {

// Thrown while reading a definition, caught by ParseProject: where, and what is wrong.
struct ProjectDefinitionError {
  std::string where;
  std::string what;
};

[[noreturn]] void BadDefinition(const std::string& where, const std::string& what) {
  throw ProjectDefinitionError{where, what};
}

const json::object& ObjectAt(const json::value& v, const std::string& where) {
  if (!v.is_object()) BadDefinition(where, "must be an object");
  return v.as_object();
}

std::string StringAt(const json::object& o, std::string_view key, const std::string& where,
                     bool required = false) {
  const auto* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) {
    if (required) BadDefinition(where + "." + std::string(key), "is required");
    return {};
  }
  if (!v->is_string()) BadDefinition(where + "." + std::string(key), "must be a string");
  return text::Nfc(std::string(v->as_string()));
}

double NumberAt(const json::object& o, std::string_view key, const std::string& where,
                double fallback) {
  const auto* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return fallback;
  if (!v->is_number()) BadDefinition(where + "." + std::string(key), "must be a number");
  return v->to_number<double>();
}

bool BoolAt(const json::object& o, std::string_view key, const std::string& where, bool fallback) {
  const auto* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return fallback;
  if (!v->is_bool()) BadDefinition(where + "." + std::string(key), "must be true or false");
  return v->as_bool();
}

const json::array& ArrayAt(const json::object& o, std::string_view key, const std::string& where) {
  static const json::array kEmpty;
  const auto* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return kEmpty;
  if (!v->is_array()) BadDefinition(where + "." + std::string(key), "must be an array");
  return v->as_array();
}

bool IsFieldName(std::string_view s) {
  if (s.empty() || s.size() > 60 || s[0] < 'a' || s[0] > 'z') return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

constexpr std::array<std::string_view, 5> kSurvivorshipNames = {
    "most_complete", "most_recent", "priority", "longest", "most_frequent"};
constexpr std::array<std::string_view, 8> kMapOpNames = {"copy",  "concat", "family", "middle",
                                                         "given", "date",   "unit",   "map"};

// The role a kind's field plays in the automatic blocking rules.
std::string DefaultRole(Kind kind) {
  switch (kind) {
    case Kind::kFullName:
      return "full_name";
    case Kind::kDate:
      return "dob";
    case Kind::kId:
      return "id";
    case Kind::kPhone:
      return "phone";
    case Kind::kCommune:
      return "commune";
    case Kind::kText:
      return "address";
    case Kind::kName:
    case Kind::kCode:
      return "";
  }
  return "";
}

TargetField ReadTargetField(const json::value& v, const std::string& where) {
  const auto& o = ObjectAt(v, where);
  TargetField f;
  f.name = StringAt(o, "name", where, true);
  if (!IsFieldName(f.name)) {
    BadDefinition(where + ".name", "'" + f.name +
                                       "' is not a field name: lowercase letters, digits and '_', "
                                       "starting with a letter");
  }
  f.title = StringAt(o, "title", where);
  if (f.title.empty()) f.title = f.name;
  const std::string kind = StringAt(o, "kind", where);
  if (!kind.empty()) {
    auto k = ParseKind(kind);
    if (!k) {
      BadDefinition(where + ".kind", "'" + kind +
                                         "' is not a kind: name, full_name, date, id, phone, "
                                         "commune, code or text");
    }
    f.kind = *k;
  }
  f.role = o.contains("role") ? StringAt(o, "role", where) : DefaultRole(f.kind);
  f.compare = BoolAt(o, "compare", where, true);
  f.term_frequency =
      BoolAt(o, "term_frequency", where, f.kind == Kind::kName || f.kind == Kind::kFullName);
  const std::string rule = StringAt(o, "survivorship", where);
  if (!rule.empty()) {
    auto r = json_util::ParseName<Survivorship>(kSurvivorshipNames, rule);
    if (!r) {
      BadDefinition(where + ".survivorship",
                    "'" + rule +
                        "' is not a rule: most_complete, most_recent, priority, longest or "
                        "most_frequent");
    }
    f.survivorship = *r;
  }
  return f;
}

FieldMapping ReadMapping(const json::value& v, const std::string& where) {
  const auto& o = ObjectAt(v, where);
  FieldMapping m;
  m.field = StringAt(o, "field", where, true);
  const std::string op = StringAt(o, "op", where);
  if (!op.empty()) {
    auto parsed = json_util::ParseName<MapOp>(kMapOpNames, op);
    if (!parsed) {
      BadDefinition(where + ".op", "'" + op +
                                       "' is not an operation: copy, concat, family, middle, "
                                       "given, date, unit or map");
    }
    m.op = *parsed;
  }
  const auto* from = o.if_contains("from");
  if (from != nullptr && from->is_string()) {
    m.from.push_back(text::Nfc(std::string(from->as_string())));
  } else if (from != nullptr && from->is_array()) {
    for (const auto& c : from->as_array()) {
      if (!c.is_string()) BadDefinition(where + ".from", "must be a column or a list of columns");
      m.from.push_back(text::Nfc(std::string(c.as_string())));
    }
  } else {
    BadDefinition(where + ".from", "is required: the source column (or columns for concat)");
  }
  if (m.from.empty()) BadDefinition(where + ".from", "names no column");
  if (m.op != MapOp::kConcat && m.from.size() != 1) {
    BadDefinition(where + ".from",
                  "names " + std::to_string(m.from.size()) + " columns: only concat takes several");
  }
  if (o.contains("separator")) m.separator = StringAt(o, "separator", where);
  m.format = StringAt(o, "format", where);
  static constexpr std::array<std::string_view, 5> kFormats = {"", "dd/mm/yyyy", "mm/dd/yyyy",
                                                               "yyyy-mm-dd", "yyyymmdd"};
  if (std::find(kFormats.begin(), kFormats.end(), m.format) == kFormats.end()) {
    BadDefinition(where + ".format", "'" + m.format +
                                         "' is not a date format: dd/mm/yyyy, mm/dd/yyyy, "
                                         "yyyy-mm-dd or yyyymmdd");
  }
  if (const auto* values = o.if_contains("values")) {
    if (!values->is_object()) BadDefinition(where + ".values", "must be an object: from -> to");
    for (const auto& [k, val] : values->as_object()) {
      if (!val.is_string()) BadDefinition(where + ".values." + std::string(k), "must be a string");
      m.values.emplace_back(text::Nfc(std::string(k)), text::Nfc(std::string(val.as_string())));
    }
  }
  if (m.op == MapOp::kMap && m.values.empty()) {
    BadDefinition(where + ".values", "is required for op map: the values and what they become");
  }
  return m;
}

Project ReadProject(const json::value& v) {
  const auto& o = ObjectAt(v, "definition");
  Project p;
  p.code = StringAt(o, "code", "definition", true);
  if (!IsFieldName(p.code)) {
    BadDefinition("code", "'" + p.code +
                              "' is not a code: lowercase letters, digits and '_', starting with "
                              "a letter");
  }
  p.title = StringAt(o, "title", "definition");
  if (p.title.empty()) p.title = p.code;
  p.catalog_entry = StringAt(o, "catalog_entry", "definition");
  p.target = StringAt(o, "target", "definition");
  if (p.target.empty()) p.target = p.code;
  if (!IsFieldName(p.target)) BadDefinition("target", "'" + p.target + "' is not a dataset code");
  p.rules = StringAt(o, "rules", "definition");
  p.threshold = NumberAt(o, "threshold", "definition", p.threshold);
  p.review_from = NumberAt(o, "review_from", "definition", p.review_from);
  if (!(p.threshold > 0 && p.threshold < 1)) BadDefinition("threshold", "must be between 0 and 1");
  if (!(p.review_from > 0 && p.review_from <= p.threshold)) {
    BadDefinition("review_from", "must be above 0 and at most the threshold");
  }
  const double max_pairs =
      NumberAt(o, "max_pairs_per_rule", "definition", static_cast<double>(p.max_pairs_per_rule));
  if (!(max_pairs >= 1)) BadDefinition("max_pairs_per_rule", "must be at least 1");
  p.max_pairs_per_rule = static_cast<uint64_t>(max_pairs);

  const auto& fields = ArrayAt(o, "fields", "definition");
  if (fields.empty()) BadDefinition("fields", "is required: the target's fields");
  for (size_t i = 0; i < fields.size(); ++i) {
    p.fields.push_back(ReadTargetField(fields[i], "fields[" + std::to_string(i) + "]"));
    for (size_t j = 0; j < i; ++j) {
      if (p.fields[j].name == p.fields[i].name) {
        BadDefinition("fields[" + std::to_string(i) + "].name",
                      "'" + p.fields[i].name + "' is given twice");
      }
    }
  }
  const size_t compared = static_cast<size_t>(
      std::count_if(p.fields.begin(), p.fields.end(), [](const auto& f) { return f.compare; }));
  if (compared == 0) BadDefinition("fields", "compare no field: mark at least one to compare");
  if (compared > 12) BadDefinition("fields", "compare more than 12 fields");

  const auto& sources = ArrayAt(o, "sources", "definition");
  if (sources.empty()) BadDefinition("sources", "is required: one or more sources");
  for (size_t i = 0; i < sources.size(); ++i) {
    const std::string where = "sources[" + std::to_string(i) + "]";
    const auto& so = ObjectAt(sources[i], where);
    ProjectSource s;
    s.dataset = StringAt(so, "dataset", where);
    s.file = StringAt(so, "file", where);
    if (s.dataset.empty() == s.file.empty()) {
      BadDefinition(where, "names a dataset or a file (one of the two)");
    }
    s.label = StringAt(so, "label", where);
    if (s.label.empty()) s.label = s.dataset.empty() ? s.file : s.dataset;
    s.id = StringAt(so, "id", where, true);
    s.priority = static_cast<int>(NumberAt(so, "priority", where, static_cast<double>(i + 1)));
    const auto& mapping = ArrayAt(so, "mapping", where);
    for (size_t j = 0; j < mapping.size(); ++j) {
      const std::string mw = where + ".mapping[" + std::to_string(j) + "]";
      FieldMapping m = ReadMapping(mapping[j], mw);
      if (std::none_of(p.fields.begin(), p.fields.end(),
                       [&](const auto& f) { return f.name == m.field; })) {
        BadDefinition(mw + ".field", "'" + m.field + "' is not one of the target's fields");
      }
      s.mapping.push_back(std::move(m));
    }
    p.sources.push_back(std::move(s));
  }
  return p;
}

std::string CellWords(std::string_view s) {
  return text::CollapseSpaces(text::Nfc(s));
}

std::vector<std::string> NameWords(std::string_view full) {
  std::vector<std::string> words;
  std::string w;
  for (char c : CellWords(full)) {
    if (c == ' ') {
      if (!w.empty()) words.push_back(std::move(w));
      w.clear();
    } else {
      w.push_back(c);
    }
  }
  if (!w.empty()) words.push_back(std::move(w));
  return words;
}

std::optional<Date> DateInFormat(std::string_view raw, std::string_view format) {
  const std::string s = text::CollapseSpaces(raw);
  if (format.empty()) return ParseBirthDate(s);
  std::vector<int> parts;
  int n = -1;
  for (char c : s) {
    if (c >= '0' && c <= '9') {
      n = (n < 0 ? 0 : n * 10) + (c - '0');
      if (n > 99999) return std::nullopt;
    } else if (c == '/' || c == '-' || c == '.') {
      if (n < 0) return std::nullopt;
      parts.push_back(n);
      n = -1;
    } else {
      return std::nullopt;
    }
  }
  if (n >= 0) parts.push_back(n);
  int y = 0;
  int m = 0;
  int d = 0;
  if (format == "yyyymmdd") {
    if (parts.size() != 1 || s.size() != 8) return std::nullopt;
    y = parts[0] / 10000;
    m = parts[0] / 100 % 100;
    d = parts[0] % 100;
  } else {
    if (parts.size() != 3) return std::nullopt;
    if (format == "dd/mm/yyyy") {
      d = parts[0], m = parts[1], y = parts[2];
    } else if (format == "mm/dd/yyyy") {
      m = parts[0], d = parts[1], y = parts[2];
    } else {
      y = parts[0], m = parts[1], d = parts[2];
    }
  }
  if (y < 1000 || m < 1 || m > 12 || d < 1 || d > DaysInMonth(y, m)) return std::nullopt;
  return Date{y, m, d};
}

// The current unit's code for a code (new, or old with one successor) or a name.
std::string CurrentUnit(const units::Registry& registry, const std::string& raw,
                        MapProblem& problem) {
  const Date today = Date::Today();
  std::string code = raw;
  if (!code.empty() && code.size() < 5 &&
      std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    code.insert(0, 5 - code.size(), '0');
  }
  if (const auto* u = registry.Find(code, today)) return u->code;
  auto successions = registry.Resolve(code);
  if (!successions.empty()) {
    const std::string& first = successions.front().new_unit->code;
    if (std::all_of(successions.begin(), successions.end(),
                    [&](const auto& s) { return s.new_unit->code == first; })) {
      return first;
    }
    problem = {"", "link.ambiguous_unit",
               "the old commune '" + raw + "' was split between " +
                   std::to_string(successions.size()) +
                   " new communes: choose one in the source, or review the record"};
    return raw;
  }
  auto found = registry.Search(raw, today);
  if (found.size() == 1) return found.front()->code;
  problem = {"", "link.unknown_unit",
             "'" + raw + "' is neither a unit code (old or new) nor the name of one unit"};
  return raw;
}

}  // namespace

std::string_view SurvivorshipName(Survivorship s) {
  return kSurvivorshipNames[static_cast<size_t>(s)];
}

std::string_view MapOpName(MapOp op) {
  return kMapOpNames[static_cast<size_t>(op)];
}

Result<Project> ParseProject(const json::value& v) {
  try {
    return ReadProject(v);
  } catch (const ProjectDefinitionError& e) {
    return Fail(Error::Invalid(std::string(kInvalidProject), e.where + ": " + e.what));
  }
}

json::object ToJson(const Project& p) {
  json::array fields;
  for (const auto& f : p.fields) {
    fields.push_back({{"name", f.name},
                      {"title", f.title},
                      {"kind", KindName(f.kind)},
                      {"role", f.role},
                      {"compare", f.compare},
                      {"term_frequency", f.term_frequency},
                      {"survivorship", SurvivorshipName(f.survivorship)}});
  }
  json::array sources;
  for (const auto& s : p.sources) {
    json::array mapping;
    for (const auto& m : s.mapping) {
      json::object o{{"field", m.field}, {"op", MapOpName(m.op)}};
      if (m.op == MapOp::kConcat) {
        o["from"] = json_util::Strings(m.from);
        o["separator"] = m.separator;
      } else {
        o["from"] = m.from.front();
      }
      if (!m.format.empty()) o["format"] = m.format;
      if (!m.values.empty()) {
        json::object values;
        for (const auto& [from, to] : m.values) values[from] = to;
        o["values"] = std::move(values);
      }
      mapping.push_back(std::move(o));
    }
    json::object o{{"label", s.label}, {"id", s.id}, {"priority", s.priority}};
    if (!s.dataset.empty()) o["dataset"] = s.dataset;
    if (!s.file.empty()) o["file"] = s.file;
    o["mapping"] = std::move(mapping);
    sources.push_back(std::move(o));
  }
  return {{"code", p.code},
          {"title", p.title},
          {"catalog_entry", p.catalog_entry},
          {"target", p.target},
          {"fields", std::move(fields)},
          {"sources", std::move(sources)},
          {"rules", p.rules},
          {"threshold", p.threshold},
          {"review_from", p.review_from},
          {"max_pairs_per_rule", p.max_pairs_per_rule}};
}

// --- Mapping ---------------------------------------------------------------------------------

Result<Mapper> Mapper::Create(const Project& project, size_t source,
                              const std::vector<std::string>& header,
                              const units::Registry* registry) {
  const ProjectSource& s = project.sources.at(source);
  auto column = [&](const std::string& name, const std::string& where) -> Result<size_t> {
    for (size_t i = 0; i < header.size(); ++i) {
      if (header[i] == name) return i;
    }
    for (size_t i = 0; i < header.size(); ++i) {
      if (text::Fold(header[i]) == text::Fold(name)) return i;
    }
    return Fail(Error::Invalid(
        std::string(kMissingColumn), where + ": the source '" + s.label + "' has no column '" +
                                         name + "' (its columns: " +
                                         [&] {
                                           std::string all;
                                           for (const auto& h : header)
                                             all += (all.empty() ? "" : ", ") + h;
                                           return all;
                                         }() +
                                         ")"));
  };
  Mapper m;
  m.project_ = &project;
  m.source_ = source;
  m.registry_ = registry;
  m.prefix_ = (s.dataset.empty() ? s.label : s.dataset) + ":";
  const std::string where = "sources[" + std::to_string(source) + "]";
  auto id = column(s.id, where + ".id");
  if (!id) return Fail(id.error());
  m.id_column_ = *id;
  for (size_t j = 0; j < s.mapping.size(); ++j) {
    const auto& fm = s.mapping[j];
    Step step;
    step.mapping = &fm;
    step.field =
        static_cast<size_t>(std::find_if(project.fields.begin(), project.fields.end(),
                                         [&](const auto& f) { return f.name == fm.field; }) -
                            project.fields.begin());
    if (step.field == project.fields.size()) {
      return Fail(Error::Invalid(std::string(kInvalidProject),
                                 where + ".mapping[" + std::to_string(j) + "].field: '" + fm.field +
                                     "' is not one of the target's fields"));
    }
    for (const auto& c : fm.from) {
      auto col = column(c, where + ".mapping[" + std::to_string(j) + "].from");
      if (!col) return Fail(col.error());
      step.columns.push_back(*col);
    }
    m.steps_.push_back(std::move(step));
  }
  return m;
}

MappedRecord Mapper::Map(const std::vector<std::string>& row, int64_t batch) const {
  MappedRecord r;
  r.source = static_cast<int>(source_);
  r.batch = batch;
  r.values.assign(project_->fields.size(), std::string());
  auto cell = [&](size_t c) { return c < row.size() ? CellWords(row[c]) : std::string(); };
  r.key = prefix_ + cell(id_column_);
  for (const auto& step : steps_) {
    const FieldMapping& m = *step.mapping;
    std::string value;
    MapProblem problem;
    switch (m.op) {
      case MapOp::kCopy:
        value = cell(step.columns[0]);
        break;
      case MapOp::kConcat:
        for (size_t c : step.columns) {
          std::string part = cell(c);
          if (part.empty()) continue;
          if (!value.empty()) value += m.separator;
          value += part;
        }
        break;
      case MapOp::kFamily:
      case MapOp::kMiddle:
      case MapOp::kGiven: {
        auto words = NameWords(cell(step.columns[0]));
        if (words.empty()) break;
        if (m.op == MapOp::kFamily) {
          value = words.front();
        } else if (m.op == MapOp::kGiven) {
          if (words.size() > 1) value = words.back();
        } else {
          for (size_t i = 1; i + 1 < words.size(); ++i)
            value += (value.empty() ? "" : " ") + words[i];
        }
        break;
      }
      case MapOp::kDate: {
        const std::string raw = cell(step.columns[0]);
        if (raw.empty()) break;
        if (auto d = DateInFormat(raw, m.format)) {
          value = d->ToString();
        } else {
          problem = {"", "link.bad_date",
                     "'" + raw + "' is not a date" +
                         (m.format.empty() ? std::string() : " written " + m.format) +
                         ": correct it in the source or change the mapping's format"};
        }
        break;
      }
      case MapOp::kUnit: {
        const std::string raw = cell(step.columns[0]);
        if (raw.empty()) break;
        value = registry_ ? CurrentUnit(*registry_, raw, problem) : raw;
        break;
      }
      case MapOp::kMap: {
        const std::string raw = cell(step.columns[0]);
        if (raw.empty()) break;
        value = raw;
        bool found = false;
        for (const auto& [from, to] : m.values) {
          if (from == raw) {
            value = to;
            found = true;
            break;
          }
        }
        if (!found) {
          const std::string folded = text::Fold(raw);
          for (const auto& [from, to] : m.values) {
            if (text::Fold(from) == folded) {
              value = to;
              found = true;
              break;
            }
          }
        }
        if (!found) {
          problem = {"", "link.unmapped_value",
                     "'" + raw + "' is not in the mapping's values: add it, or correct the source"};
        }
        break;
      }
    }
    if (!problem.code.empty()) {
      problem.field = project_->fields[step.field].name;
      r.problems.push_back(std::move(problem));
    }
    // Several mappings onto one field: the first non-empty value stays.
    if (r.values[step.field].empty()) r.values[step.field] = std::move(value);
  }
  return r;
}

Result<std::vector<MappedRecord>> MapSources(const Project& project,
                                             const std::vector<SourceTable>& sources,
                                             const units::Registry* registry) {
  std::vector<MappedRecord> out;
  for (size_t s = 0; s < sources.size(); ++s) {
    auto mapper = Mapper::Create(project, s, sources[s].header, registry);
    if (!mapper) return Fail(mapper.error());
    for (size_t r = 0; r < sources[s].rows.size(); ++r) {
      out.push_back(mapper->Map(sources[s].rows[r],
                                r < sources[s].batches.size() ? sources[s].batches[r] : 0));
    }
  }
  return out;
}

// --- Survivorship ----------------------------------------------------------------------------

std::vector<GoldenValue> Survive(const Project& project,
                                 const std::vector<const MappedRecord*>& members,
                                 const std::vector<std::pair<std::string, std::string>>& chosen) {
  std::vector<GoldenValue> out(project.fields.size());
  auto priority = [&](const MappedRecord* r) { return project.sources[r->source].priority; };
  auto filled = [](const MappedRecord* r) {
    return std::count_if(r->values.begin(), r->values.end(),
                         [](const auto& v) { return !v.empty(); });
  };
  // Ties: the source with priority, then the smaller key.
  auto before = [&](const MappedRecord* a, const MappedRecord* b) {
    if (priority(a) != priority(b)) return priority(a) < priority(b);
    return a->key < b->key;
  };
  for (size_t f = 0; f < project.fields.size(); ++f) {
    const TargetField& field = project.fields[f];
    GoldenValue& g = out[f];
    g.rule = std::string(SurvivorshipName(field.survivorship));
    auto manual = std::find_if(chosen.begin(), chosen.end(),
                               [&](const auto& c) { return c.first == field.name; });
    if (manual != chosen.end()) {
      for (const auto* r : members) {
        if (r->key == manual->second) {
          g = {r->values[f], r->key, "manual"};
          break;
        }
      }
      if (g.rule == "manual") continue;
    }
    const MappedRecord* best = nullptr;
    std::map<std::string, std::pair<int, const MappedRecord*>> frequency;  // folded value
    for (const auto* r : members) {
      if (r->values[f].empty()) continue;
      if (field.survivorship == Survivorship::kMostFrequent) {
        auto& [n, first] = frequency[text::Fold(r->values[f])];
        ++n;
        if (first == nullptr || before(r, first)) first = r;
      }
      if (best == nullptr) {
        best = r;
        continue;
      }
      bool better = false;
      switch (field.survivorship) {
        case Survivorship::kMostComplete:
          better = filled(r) != filled(best) ? filled(r) > filled(best) : before(r, best);
          break;
        case Survivorship::kMostRecent:
          better = r->batch != best->batch ? r->batch > best->batch : before(r, best);
          break;
        case Survivorship::kPriority:
        case Survivorship::kMostFrequent:
          better = before(r, best);
          break;
        case Survivorship::kLongest: {
          const size_t lr = text::Nfc(r->values[f]).size();
          const size_t lb = text::Nfc(best->values[f]).size();
          better = lr != lb ? lr > lb : before(r, best);
          break;
        }
      }
      if (better) best = r;
    }
    if (field.survivorship == Survivorship::kMostFrequent && !frequency.empty()) {
      const auto top = std::max_element(frequency.begin(), frequency.end(), [&](auto& a, auto& b) {
        if (a.second.first != b.second.first) return a.second.first < b.second.first;
        return before(b.second.second, a.second.second);
      });
      best = top->second.second;
    }
    if (best != nullptr) {
      g.value = best->values[f];
      g.record = best->key;
    }
  }
  return out;
}

// --- Clusters --------------------------------------------------------------------------------

std::vector<std::pair<std::string, std::string>> AssignClusters(
    const std::vector<std::string>& records,
    const std::vector<std::pair<std::string, std::string>>& links,
    const std::vector<std::pair<std::string, std::string>>& previous) {
  std::unordered_map<std::string, size_t> index;
  index.reserve(records.size());
  for (size_t i = 0; i < records.size(); ++i) index.emplace(records[i], i);
  std::vector<size_t> parent(records.size());
  std::iota(parent.begin(), parent.end(), 0);
  auto find = [&](size_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  };
  for (const auto& [a, b] : links) {
    auto ia = index.find(a);
    auto ib = index.find(b);
    if (ia == index.end() || ib == index.end()) continue;
    const size_t ra = find(ia->second);
    const size_t rb = find(ib->second);
    if (ra != rb) parent[std::max(ra, rb)] = std::min(ra, rb);
  }
  std::unordered_map<std::string, const std::string*> before;
  for (const auto& [record, cluster] : previous) before.emplace(record, &cluster);

  std::unordered_map<size_t, std::vector<size_t>> components;
  for (size_t i = 0; i < records.size(); ++i) components[find(i)].push_back(i);
  std::vector<std::vector<size_t>*> order;
  order.reserve(components.size());
  for (auto& [root, members] : components) order.push_back(&members);
  auto smallest = [&](const std::vector<size_t>* c) {
    return *std::min_element(c->begin(), c->end(),
                             [&](size_t a, size_t b) { return records[a] < records[b]; });
  };
  std::sort(order.begin(), order.end(), [&](const auto* a, const auto* b) {
    if (a->size() != b->size()) return a->size() > b->size();
    return records[smallest(a)] < records[smallest(b)];
  });
  std::unordered_map<std::string, bool> taken;
  std::vector<std::pair<std::string, std::string>> out(records.size());
  for (const auto* members : order) {
    std::map<std::string, size_t> votes;
    for (size_t i : *members) {
      auto it = before.find(records[i]);
      if (it != before.end() && !taken.contains(*it->second)) ++votes[*it->second];
    }
    std::string id;
    size_t best = 0;
    for (const auto& [candidate, n] : votes) {
      if (n > best) best = n, id = candidate;
    }
    if (id.empty()) {
      id = records[smallest(members)];
      // A record key is a cluster id only once.
      for (int n = 2; taken.contains(id); ++n)
        id = records[smallest(members)] + "#" + std::to_string(n);
    }
    taken[id] = true;
    for (size_t i : *members) out[i] = {records[i], id};
  }
  return out;
}

// --- Linking mapped records ------------------------------------------------------------------

json::object ToJson(const Model& model) {
  json::array comparisons;
  for (const auto& c : model.comparisons) {
    json::array levels;
    for (const auto& l : c.levels) {
      levels.push_back({{"level", LevelName(l.level)},
                        {"m", l.m},
                        {"u", l.u},
                        {"weight", l.weight},
                        {"pairs", l.pairs}});
    }
    comparisons.push_back({{"column", c.column.name},
                           {"kind", KindName(c.column.kind)},
                           {"role", c.column.role},
                           {"term_frequency", c.column.term_frequency},
                           {"levels", std::move(levels)}});
  }
  return {{"lambda", model.lambda},
          {"lambda_blocked", model.lambda_blocked},
          {"iterations", model.iterations},
          {"converged", model.converged},
          {"comparisons", std::move(comparisons)}};
}

Result<Model> ModelFromJson(const json::value& v) {
  auto bad = [] {
    return Fail(Error::Invalid("link.invalid_model", "the stored model cannot be read"));
  };
  if (!v.is_object()) return bad();
  const auto& o = v.as_object();
  Model m;
  auto number = [](const json::value* x) {
    return x && x->is_number() ? x->to_number<double>() : 0.0;
  };
  m.lambda = number(o.if_contains("lambda"));
  m.lambda_blocked = number(o.if_contains("lambda_blocked"));
  m.iterations = static_cast<int>(number(o.if_contains("iterations")));
  m.converged =
      o.contains("converged") && o.at("converged").is_bool() && o.at("converged").as_bool();
  const auto* comparisons = o.if_contains("comparisons");
  if (comparisons == nullptr || !comparisons->is_array()) return bad();
  for (const auto& c : comparisons->as_array()) {
    if (!c.is_object()) return bad();
    const auto& co = c.as_object();
    ComparisonParams params;
    if (!co.contains("column") || !co.at("column").is_string()) return bad();
    params.column.name = std::string(co.at("column").as_string());
    auto kind = co.contains("kind") && co.at("kind").is_string()
                    ? ParseKind(std::string(co.at("kind").as_string()))
                    : std::nullopt;
    if (!kind) return bad();
    params.column.kind = *kind;
    if (const auto* levels = co.if_contains("levels"); levels && levels->is_array()) {
      for (const auto& l : levels->as_array()) {
        if (!l.is_object() || !l.as_object().contains("level")) return bad();
        const auto& lo = l.as_object();
        auto level = lo.at("level").is_string()
                         ? ParseLevel(std::string(lo.at("level").as_string()))
                         : std::nullopt;
        if (!level) return bad();
        params.levels.push_back({*level, number(lo.if_contains("m")), number(lo.if_contains("u")),
                                 number(lo.if_contains("weight")), 0});
      }
    }
    m.comparisons.push_back(std::move(params));
  }
  return m;
}

json::object ToJson(const Explanation& e) {
  json::array parts;
  for (const auto& p : e.parts) {
    parts.push_back({{"column", p.column},
                     {"level", LevelName(p.level)},
                     {"value_a", p.value_a},
                     {"value_b", p.value_b},
                     {"bits", p.bits},
                     {"tf_bits", p.tf_bits}});
  }
  return {{"id_a", e.id_a},
          {"id_b", e.id_b},
          {"prior_bits", e.prior_bits},
          {"parts", std::move(parts)},
          {"weight", e.weight},
          {"probability", e.probability}};
}

Result<ProjectRun> LinkRecords(const Project& project, const std::vector<MappedRecord>& records,
                               const units::Registry* registry, const std::vector<Label>& labels,
                               const std::optional<Model>& fixed,
                               const std::vector<std::string>& fresh, unsigned threads) {
  Options options;
  std::vector<std::string> header{"__key"};
  std::vector<size_t> compared;
  for (size_t f = 0; f < project.fields.size(); ++f) {
    const auto& field = project.fields[f];
    if (!field.compare) continue;
    compared.push_back(f);
    header.push_back(field.name);
    options.columns.push_back({field.name, field.kind, field.role, field.term_frequency});
  }
  options.rules = project.rules;
  options.max_pairs_per_rule = project.max_pairs_per_rule;
  options.registry = registry;
  options.labels = labels;
  options.threads = threads;
  options.model = fixed;
  options.new_ids = fresh;
  auto linker = Linker::Create(Mode::kDedupe, "__key", header, header, options);
  if (!linker) return Fail(linker.error());
  std::vector<std::string> row(header.size());
  for (const auto& r : records) {
    row[0] = r.key;
    for (size_t i = 0; i < compared.size(); ++i) row[i + 1] = r.values[compared[i]];
    if (auto s = (*linker)->Add(0, row); !s) return Fail(s.error());
  }
  auto linked = (*linker)->Run();
  if (!linked) return Fail(linked.error());
  const Linkage& l = **linked;

  ProjectRun run;
  run.model = l.model();
  for (const auto& p : l.pairs()) {
    if (p.probability < project.review_from) continue;
    std::string a = l.id(p.a);
    std::string b = l.id(p.b);
    if (b < a) std::swap(a, b);
    auto explained = l.Explain(a, b);
    run.explanation.push_back(explained ? json_util::Serialize(ToJson(*explained)) : "");
    run.keys.emplace_back(std::move(a), std::move(b));
    run.probability.push_back(p.probability);
    run.weight.push_back(p.weight);
  }
  json::array rules;
  for (const auto& r : l.rules()) {
    rules.push_back({{"rule", r.rule}, {"pairs", r.pairs}, {"used", r.used}});
  }
  json::array histogram;
  for (const auto& b : l.Histogram()) {
    histogram.push_back({{"from", b.from}, {"to", b.to}, {"pairs", b.pairs}});
  }
  json::array estimates;
  for (double t : {0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99}) {
    const Estimate e = l.EstimateAt(t);
    estimates.push_back({{"threshold", t}, {"precision", e.precision}, {"recall", e.recall}});
  }
  const Estimate at = l.EstimateAt(project.threshold);
  const auto& t = l.times();
  run.report = {
      {"pairs_blocked", static_cast<int64_t>(l.pairs().size())},
      {"pairs_scored", static_cast<int64_t>(run.keys.size())},
      {"rules", std::move(rules)},
      {"histogram", std::move(histogram)},
      {"estimates", std::move(estimates)},
      {"estimate",
       {{"precision", at.precision},
        {"recall", at.recall},
        {"expected_matches", at.expected_matches},
        {"pairs_above", at.pairs_above}}},
      {"model", ToJson(run.model)},
      {"times",
       {{"block", t.block}, {"compare", t.compare}, {"train", t.train}, {"score", t.score}}}};
  return run;
}

}  // namespace pdh::link
