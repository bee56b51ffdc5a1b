// Table Schema descriptors (with the pdh keys) read and written, and datasets created, loaded and
// given new schema versions.
#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <regex>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/json_util.h"
#include "core/text.h"
#include "ingest/ingest.h"
#include "ingest/internal.h"

namespace pdh::ingest {
namespace {

namespace json = boost::json;

constexpr std::array<std::string_view, 8> kTypeNames = {
    "string", "integer", "number", "boolean", "date", "datetime", "year", "yearmonth"};

Error SchemaError(const std::string& where, const std::string& what) {
  return Error::Invalid("schema.invalid", where + ": " + what);
}

Result<std::string> Str(const json::object& o, std::string_view key, const std::string& where) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return std::string();
  if (!v->is_string()) return Fail(SchemaError(where + "." + std::string(key), "must be text"));
  return text::Nfc(std::string(v->as_string()));
}

Result<std::vector<std::string>> StrList(const json::object& o, std::string_view key,
                                         const std::string& where) {
  std::vector<std::string> out;
  const json::value* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return out;
  // Frictionless allows one name where a list of names is meant (primaryKey: "id").
  if (v->is_string()) return std::vector<std::string>{std::string(v->as_string())};
  if (!v->is_array()) return Fail(SchemaError(where + "." + std::string(key), "must be a list"));
  for (const auto& item : v->as_array()) {
    if (item.is_string()) {
      out.push_back(text::Nfc(std::string(item.as_string())));
    } else if (item.is_number()) {
      out.push_back(json::serialize(item));
    } else {
      return Fail(SchemaError(where + "." + std::string(key), "must be a list of text"));
    }
  }
  return out;
}

Result<std::optional<double>> Num(const json::object& o, std::string_view key,
                                  const std::string& where) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return std::optional<double>();
  if (v->is_int64()) return std::optional<double>(static_cast<double>(v->as_int64()));
  if (v->is_uint64()) return std::optional<double>(static_cast<double>(v->as_uint64()));
  if (v->is_double()) return std::optional<double>(v->as_double());
  return Fail(SchemaError(where + "." + std::string(key), "must be a number"));
}

Result<bool> Bool(const json::object& o, std::string_view key, const std::string& where) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return false;
  if (!v->is_bool())
    return Fail(SchemaError(where + "." + std::string(key), "must be true or false"));
  return v->as_bool();
}

Result<Field> ParseField(const json::value& v, const std::string& where) {
  if (!v.is_object()) return Fail(SchemaError(where, "a field is an object"));
  const json::object& o = v.as_object();
  Field f;
  auto name = Str(o, "name", where);
  if (!name) return Fail(name.error());
  if (!internal::ValidName(*name, 60)) {
    return Fail(
        SchemaError(where + ".name", "'" + *name +
                                         "' is not a field name: use 1-60 lower-case "
                                         "letters, digits and '_', starting with a letter"));
  }
  f.name = *name;
  const std::string at = where + " (" + f.name + ")";
  for (auto [key, out] :
       {std::pair{"title", &f.title}, std::pair{"title_en", &f.title_en},
        std::pair{"description", &f.description}, std::pair{"pdh:format", &f.format}}) {
    auto s = Str(o, key, at);
    if (!s) return Fail(s.error());
    *out = *s;
  }
  auto type = Str(o, "type", at);
  if (!type) return Fail(type.error());
  if (type->empty() || *type == "any") *type = "string";
  auto t = json_util::ParseName<FieldType>(kTypeNames, *type);
  if (!t) {
    return Fail(SchemaError(at + ".type", "'" + *type +
                                              "' is not a supported type (string, "
                                              "integer, number, boolean, date, "
                                              "datetime, year, yearmonth)"));
  }
  f.type = *t;
  if (!f.format.empty() && f.format != "citizen_id" && f.format != "default") {
    return Fail(SchemaError(at + ".pdh:format", "'" + f.format + "' is not known (citizen_id)"));
  }
  if (f.format == "default") f.format.clear();
  for (auto [key, out] :
       {std::pair{"trueValues", &f.true_values}, std::pair{"falseValues", &f.false_values},
        std::pair{"pdh:aliases", &f.aliases}}) {
    auto s = StrList(o, key, at);
    if (!s) return Fail(s.error());
    *out = *s;
  }
  if (const json::value* c = o.if_contains("constraints"); c != nullptr && !c->is_null()) {
    if (!c->is_object()) return Fail(SchemaError(at + ".constraints", "must be an object"));
    const json::object& co = c->as_object();
    const std::string cw = at + ".constraints";
    auto required = Bool(co, "required", cw);
    auto unique = Bool(co, "unique", cw);
    if (!required) return Fail(required.error());
    if (!unique) return Fail(unique.error());
    f.required = *required;
    f.unique = *unique;
    auto mn = Num(co, "minimum", cw);
    auto mx = Num(co, "maximum", cw);
    auto mnl = Num(co, "minLength", cw);
    auto mxl = Num(co, "maxLength", cw);
    for (auto* r : {&mn, &mx, &mnl, &mxl}) {
      if (!*r) return Fail(r->error());
    }
    f.minimum = *mn;
    f.maximum = *mx;
    if (*mnl) f.min_length = static_cast<int64_t>(**mnl);
    if (*mxl) f.max_length = static_cast<int64_t>(**mxl);
    auto pattern = Str(co, "pattern", cw);
    if (!pattern) return Fail(pattern.error());
    f.pattern = *pattern;
    if (!f.pattern.empty()) {
      try {
        std::regex test(f.pattern, std::regex::ECMAScript);
      } catch (const std::regex_error& e) {
        return Fail(
            SchemaError(cw + ".pattern", std::string("is not a valid pattern: ") + e.what()));
      }
    }
    auto values = StrList(co, "enum", cw);
    if (!values) return Fail(values.error());
    f.enum_values = *values;
  }
  if (const json::value* u = o.if_contains("pdh:unit"); u != nullptr && !u->is_null()) {
    f.unit = PartialRule::kReview;
    if (u->is_object()) {
      auto rule = Str(u->as_object(), "partial", at + ".pdh:unit");
      if (!rule) return Fail(rule.error());
      if (*rule == "largest") {
        f.unit = PartialRule::kLargest;
      } else if (!rule->empty() && *rule != "review") {
        return Fail(SchemaError(at + ".pdh:unit.partial",
                                "'" + *rule + "' is not a rule: use review or largest"));
      }
    } else if (!u->is_bool()) {
      return Fail(SchemaError(at + ".pdh:unit", "must be an object or true"));
    } else if (!u->as_bool()) {
      f.unit.reset();
    }
    if (f.unit && f.type != FieldType::kString) {
      return Fail(SchemaError(at + ".pdh:unit", "a unit reference is a string field"));
    }
  }
  auto period = Bool(o, "pdh:period", at);
  auto personal = Bool(o, "pdh:personal", at);
  if (!period) return Fail(period.error());
  if (!personal) return Fail(personal.error());
  f.period = *period;
  f.personal = *personal;
  if (f.period && f.type != FieldType::kDate && f.type != FieldType::kDatetime &&
      f.type != FieldType::kYearMonth && f.type != FieldType::kYear) {
    return Fail(SchemaError(at + ".pdh:period",
                            "the period field is a date, datetime, "
                            "yearmonth or year"));
  }
  if (const json::value* cl = o.if_contains("pdh:codes"); cl != nullptr && !cl->is_null()) {
    if (!cl->is_array()) return Fail(SchemaError(at + ".pdh:codes", "must be a list"));
    for (size_t i = 0; i < cl->as_array().size(); ++i) {
      const json::value& item = cl->as_array()[i];
      const std::string cw = at + ".pdh:codes[" + std::to_string(i) + "]";
      if (!item.is_object()) return Fail(SchemaError(cw, "must be an object"));
      Code code;
      auto c = Str(item.as_object(), "code", cw);
      auto l = Str(item.as_object(), "label", cw);
      auto le = Str(item.as_object(), "label_en", cw);
      auto al = StrList(item.as_object(), "aliases", cw);
      if (!c) return Fail(c.error());
      if (!l) return Fail(l.error());
      if (!le) return Fail(le.error());
      if (!al) return Fail(al.error());
      if (c->empty()) return Fail(SchemaError(cw + ".code", "is required"));
      code.code = *c;
      code.label = *l;
      code.label_en = *le;
      code.aliases = *al;
      f.codes.push_back(std::move(code));
    }
    if (f.type != FieldType::kString && !f.codes.empty()) {
      return Fail(SchemaError(at + ".pdh:codes", "a code list is a string field"));
    }
  }
  return f;
}

json::value OptNum(const std::optional<double>& d) {
  if (!d) return nullptr;
  if (*d == static_cast<double>(static_cast<int64_t>(*d))) return static_cast<int64_t>(*d);
  return *d;
}

}  // namespace

std::string_view TypeName(FieldType t) {
  return kTypeNames[static_cast<size_t>(t)];
}

const Field* Schema::Find(std::string_view name) const {
  for (const auto& f : fields) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

json::object Schema::ToJson() const {
  json::array fs;
  for (const auto& f : fields) {
    json::object o;
    o["name"] = f.name;
    o["type"] = TypeName(f.type);
    if (!f.title.empty()) o["title"] = f.title;
    if (!f.title_en.empty()) o["title_en"] = f.title_en;
    if (!f.description.empty()) o["description"] = f.description;
    json::object c;
    if (f.required) c["required"] = true;
    if (f.unique) c["unique"] = true;
    if (f.minimum) c["minimum"] = OptNum(f.minimum);
    if (f.maximum) c["maximum"] = OptNum(f.maximum);
    if (f.min_length) c["minLength"] = *f.min_length;
    if (f.max_length) c["maxLength"] = *f.max_length;
    if (!f.pattern.empty()) c["pattern"] = f.pattern;
    if (!f.enum_values.empty()) c["enum"] = json_util::Strings(f.enum_values);
    if (!c.empty()) o["constraints"] = std::move(c);
    if (!f.true_values.empty()) o["trueValues"] = json_util::Strings(f.true_values);
    if (!f.false_values.empty()) o["falseValues"] = json_util::Strings(f.false_values);
    if (f.unit) {
      o["pdh:unit"] = {{"partial", *f.unit == PartialRule::kLargest ? "largest" : "review"}};
    }
    if (f.period) o["pdh:period"] = true;
    if (f.personal) o["pdh:personal"] = true;
    if (!f.format.empty()) o["pdh:format"] = f.format;
    if (!f.aliases.empty()) o["pdh:aliases"] = json_util::Strings(f.aliases);
    if (!f.codes.empty()) {
      json::array codes;
      for (const auto& code : f.codes) {
        json::object co{{"code", code.code}, {"label", code.label}};
        if (!code.label_en.empty()) co["label_en"] = code.label_en;
        if (!code.aliases.empty()) co["aliases"] = json_util::Strings(code.aliases);
        codes.push_back(std::move(co));
      }
      o["pdh:codes"] = std::move(codes);
    }
    fs.push_back(std::move(o));
  }
  json::object out;
  out["fields"] = std::move(fs);
  out["primaryKey"] = json_util::Strings(primary_key);
  if (!foreign_keys.empty()) {
    json::array fks;
    for (const auto& fk : foreign_keys) {
      fks.push_back(
          {{"fields", json_util::Strings(fk.fields)},
           {"reference",
            {{"resource", fk.resource}, {"fields", json_util::Strings(fk.reference_fields)}}}});
    }
    out["foreignKeys"] = std::move(fks);
  }
  out["missingValues"] = json_util::Strings(missing_values);
  return out;
}

Result<Schema> ParseSchema(const json::value& descriptor) {
  if (!descriptor.is_object()) return Fail(SchemaError("schema", "must be a JSON object"));
  const json::object& o = descriptor.as_object();
  const json::value* fields = o.if_contains("fields");
  if (fields == nullptr || !fields->is_array() || fields->as_array().empty()) {
    return Fail(SchemaError("fields", "a schema lists its fields"));
  }
  Schema s;
  std::set<std::string> names;
  for (size_t i = 0; i < fields->as_array().size(); ++i) {
    auto f = ParseField(fields->as_array()[i], "fields[" + std::to_string(i) + "]");
    if (!f) return Fail(f.error());
    if (!names.insert(f->name).second) {
      return Fail(SchemaError("fields[" + std::to_string(i) + "].name",
                              "'" + f->name + "' is named twice"));
    }
    s.fields.push_back(std::move(*f));
  }
  auto pk = StrList(o, "primaryKey", "schema");
  if (!pk) return Fail(pk.error());
  if (pk->empty()) {
    return Fail(SchemaError("primaryKey",
                            "a dataset needs a primary key: the fields that identify "
                            "a record, so a re-sent record updates it"));
  }
  for (const auto& k : *pk) {
    const Field* f = s.Find(k);
    if (f == nullptr) return Fail(SchemaError("primaryKey", "'" + k + "' is not a field"));
  }
  s.primary_key = *pk;
  for (auto& f : s.fields) {
    if (std::find(s.primary_key.begin(), s.primary_key.end(), f.name) != s.primary_key.end()) {
      f.required = true;
    }
  }
  if (o.contains("missingValues")) {
    auto mv = StrList(o, "missingValues", "schema");
    if (!mv) return Fail(mv.error());
    s.missing_values = *mv;
  }
  if (const json::value* fks = o.if_contains("foreignKeys"); fks != nullptr && !fks->is_null()) {
    if (!fks->is_array()) return Fail(SchemaError("foreignKeys", "must be a list"));
    for (size_t i = 0; i < fks->as_array().size(); ++i) {
      const std::string w = "foreignKeys[" + std::to_string(i) + "]";
      const json::value& fk = fks->as_array()[i];
      const json::object* ref = fk.is_object() && fk.as_object().contains("reference") &&
                                        fk.as_object().at("reference").is_object()
                                    ? &fk.as_object().at("reference").as_object()
                                    : nullptr;
      if (ref == nullptr) return Fail(SchemaError(w, "needs fields and a reference"));
      ForeignKey k;
      auto f = StrList(fk.as_object(), "fields", w);
      auto r = Str(*ref, "resource", w + ".reference");
      auto rf = StrList(*ref, "fields", w + ".reference");
      if (!f) return Fail(f.error());
      if (!r) return Fail(r.error());
      if (!rf) return Fail(rf.error());
      if (f->empty() || f->size() != rf->size()) {
        return Fail(SchemaError(w, "fields and reference.fields must pair up"));
      }
      for (const auto& name : *f) {
        if (s.Find(name) == nullptr) return Fail(SchemaError(w, "'" + name + "' is not a field"));
      }
      k.fields = *f;
      k.resource = *r;
      k.reference_fields = *rf;
      s.foreign_keys.push_back(std::move(k));
    }
  }
  return s;
}

namespace internal {

bool ValidName(std::string_view s, size_t max) {
  if (s.empty() || s.size() > max || s[0] < 'a' || s[0] > 'z') return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

store::ColumnType ColumnTypeOf(FieldType t) {
  switch (t) {
    case FieldType::kInteger:
    case FieldType::kBoolean:
    case FieldType::kYear:
      return store::ColumnType::kInteger;
    case FieldType::kNumber:
      return store::ColumnType::kReal;
    default:
      return store::ColumnType::kText;
  }
}

store::DatasetTable TableOf(const std::string& code, const Schema& schema) {
  store::DatasetTable t;
  t.dataset = code;
  for (const auto& f : schema.fields) {
    const bool in_key = std::find(schema.primary_key.begin(), schema.primary_key.end(), f.name) !=
                        schema.primary_key.end();
    t.columns.push_back({f.name, ColumnTypeOf(f.type), f.unique && !in_key});
  }
  for (const auto& k : schema.primary_key) {
    for (size_t i = 0; i < schema.fields.size(); ++i) {
      if (schema.fields[i].name == k) t.key.push_back(i);
    }
  }
  return t;
}

}  // namespace internal

namespace {

Result<Dataset> FromRow(store::DatasetRow row) {
  auto schema = ParseSchema(json_util::Parse(row.schema_json));
  if (!schema) return Fail(schema.error());
  Dataset d;
  d.table = internal::TableOf(row.code, *schema);
  d.schema = std::move(*schema);
  d.row = std::move(row);
  return d;
}

Error Invalid(const std::string& what) {
  return Error::Invalid("dataset.invalid", what);
}

// Whether values of type `from` all fit type `to` without loss.
bool Widens(FieldType from, FieldType to) {
  if (from == to) return true;
  switch (to) {
    case FieldType::kString:
      return true;
    case FieldType::kNumber:
      return from == FieldType::kInteger || from == FieldType::kYear;
    case FieldType::kInteger:
      return from == FieldType::kYear || from == FieldType::kBoolean;
    case FieldType::kDatetime:
      return from == FieldType::kDate;
    default:
      return false;
  }
}

}  // namespace

Result<Dataset> CreateDataset(store::DatasetStore& store, const units::Registry& registry,
                              const NewDataset& nd, const std::string& by, const std::string& at) {
  if (!internal::ValidName(nd.code, 40)) {
    return Fail(Invalid("code: '" + nd.code +
                        "' is not a dataset code: use 1-40 lower-case letters, digits and '_', "
                        "starting with a letter"));
  }
  Schema schema;
  std::string title = text::CollapseSpaces(text::Nfc(nd.title));
  std::string title_en = nd.title_en;
  std::string description = nd.description;
  if (!nd.template_name.empty()) {
    const Template* t = FindTemplate(nd.template_name);
    if (t == nullptr) {
      return Fail(Invalid("template: '" + nd.template_name +
                          "' is not a template (dossiers, feedback_1022)"));
    }
    schema = t->schema;
    if (title.empty()) title = t->title;
    if (title_en.empty()) title_en = t->title_en;
    if (description.empty()) description = t->description;
  }
  if (nd.schema) schema = *nd.schema;
  if (schema.fields.empty()) {
    return Fail(Invalid("schema: give a schema or a template"));
  }
  if (title.empty()) return Fail(Invalid("title: a dataset needs a title"));
  if (!nd.owner_unit.empty() && registry.Find(nd.owner_unit, Date::Today()) == nullptr) {
    return Fail(Invalid("owner_unit: no unit has code '" + nd.owner_unit + "'"));
  }
  store::DatasetRow row;
  row.code = nd.code;
  row.title = title;
  row.title_en = title_en;
  row.description = description;
  row.owner_unit = nd.owner_unit;
  row.template_name = nd.template_name;
  row.version = 1;
  row.schema_json = json::serialize(schema.ToJson());
  row.created_at = at;
  row.updated_at = at;
  const store::DatasetTable table = internal::TableOf(nd.code, schema);
  if (auto s = store.Create(row, table, {nd.code, 1, row.schema_json, at, by, "created"}); !s) {
    return Fail(s.error());
  }
  return Dataset{std::move(row), std::move(schema), table};
}

Result<Dataset> LoadDataset(store::DatasetStore& store, const std::string& code) {
  auto row = store.Find(code);
  if (!row) return Fail(row.error());
  if (!*row) {
    return Fail(Error::NotFound("dataset.not_found",
                                "no dataset has code '" + code + "': see `pdh datasets ls`"));
  }
  return FromRow(std::move(**row));
}

Result<std::vector<Dataset>> ListDatasets(store::DatasetStore& store) {
  auto rows = store.List();
  if (!rows) return Fail(rows.error());
  std::vector<Dataset> out;
  for (auto& r : *rows) {
    auto d = FromRow(std::move(r));
    if (!d) return Fail(d.error());
    out.push_back(std::move(*d));
  }
  return out;
}

Result<int64_t> RowCount(store::DatasetStore& store, const std::string& code) {
  return store.RowCount(code);
}

Result<std::vector<store::DatasetVersionRow>> SchemaVersions(store::DatasetStore& store,
                                                             const std::string& code) {
  return store.Versions(code);
}

Result<Dataset> ChangeSchema(store::DatasetStore& store, const std::string& code,
                             const Schema& next, const std::string& note, const std::string& by,
                             const std::string& at) {
  auto current = LoadDataset(store, code);
  if (!current) return Fail(current.error());
  const Schema& old = current->schema;
  auto lossy = [](const std::string& what) {
    return Fail(Error::Invalid("dataset.lossy_change", what));
  };
  if (next.primary_key != old.primary_key) {
    return lossy(
        "the primary key cannot change (it is what identifies the records stored): "
        "create a new dataset instead");
  }
  std::vector<store::DatasetColumn> added;
  for (const auto& f : old.fields) {
    const Field* nf = next.Find(f.name);
    if (nf == nullptr) {
      auto n = store.ValueCount(code, f.name);
      if (!n) return Fail(n.error());
      if (*n > 0) {
        return lossy("field '" + f.name + "' holds " + std::to_string(*n) +
                     " values: removing it would lose them; keep the field");
      }
      return lossy("field '" + f.name +
                   "' cannot be removed from the table; keep it (it is empty, so you may mark it "
                   "as no longer used in its description)");
    }
    if (!Widens(f.type, nf->type)) {
      return lossy("field '" + f.name + "' would change from " + std::string(TypeName(f.type)) +
                   " to " + std::string(TypeName(nf->type)) +
                   ", which loses values; only widening changes are allowed (integer to "
                   "number, date to datetime, anything to string)");
    }
    if (internal::ColumnTypeOf(f.type) != internal::ColumnTypeOf(nf->type) &&
        nf->type != FieldType::kString && nf->type != FieldType::kNumber &&
        nf->type != FieldType::kDatetime) {
      return lossy("field '" + f.name + "' cannot change its storage type");
    }
  }
  for (const auto& f : next.fields) {
    if (old.Find(f.name) == nullptr) {
      added.push_back({f.name, internal::ColumnTypeOf(f.type), false});
    }
  }
  // New fields are appended: the table keeps the old columns' order.
  Schema stored = old;
  for (const auto& f : next.fields) {
    bool found = false;
    for (auto& of : stored.fields) {
      if (of.name == f.name) {
        of = f;
        found = true;
      }
    }
    if (!found) stored.fields.push_back(f);
  }
  stored.foreign_keys = next.foreign_keys;
  stored.missing_values = next.missing_values;
  store::DatasetRow row = current->row;
  row.version += 1;
  row.schema_json = json::serialize(stored.ToJson());
  row.updated_at = at;
  const store::DatasetTable table = internal::TableOf(code, stored);
  if (auto s = store.Alter(row, table, added, {code, row.version, row.schema_json, at, by, note});
      !s) {
    return Fail(s.error());
  }
  return Dataset{std::move(row), std::move(stored), table};
}

}  // namespace pdh::ingest
