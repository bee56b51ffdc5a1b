// Open data: what a publication is (a dataset's records, its counts per unit and month, or the
// index set's values, under a licence), the table it offers and its plain downloads (CSV, JSON,
// XLSX) and Data Package descriptor.
#include <algorithm>
#include <boost/json.hpp>
#include <cmath>
#include <set>
#include <sstream>

#include "core/json_util.h"
#include "core/sheet.h"
#include "core/text.h"
#include "share/share.h"

namespace pdh::share {
namespace json = boost::json;
namespace {

Error InvalidOpen(const std::string& what) {
  return Error::Invalid("open.invalid", what);
}

bool IsPackageName(std::string_view id) {
  if (id.size() < 2 || id.size() > 100) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

Result<std::string> TextOf(const json::object& o, const char* key, bool required) {
  const auto* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) {
    if (required) return Fail(InvalidOpen(std::string(key) + " is required"));
    return std::string();
  }
  if (!v->is_string()) return Fail(InvalidOpen(std::string(key) + " is text"));
  std::string s = text::CollapseSpaces(text::Nfc(v->as_string()));
  if (required && s.empty()) return Fail(InvalidOpen(std::string(key) + " is required"));
  return s;
}

Result<std::vector<std::string>> ListOf(const json::object& o, const char* key) {
  std::vector<std::string> out;
  const auto* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return out;
  if (!v->is_array()) return Fail(InvalidOpen(std::string(key) + " is a list of text"));
  for (const auto& x : v->as_array()) {
    if (!x.is_string()) return Fail(InvalidOpen(std::string(key) + " is a list of text"));
    std::string s = text::CollapseSpaces(text::Nfc(x.as_string()));
    if (!s.empty()) out.push_back(std::move(s));
  }
  return out;
}

// A cell as JSON: numbers and booleans as such where the column says so and the text reads.
json::value CellJson(const OpenColumn& c, const std::string& cell) {
  if (cell.empty()) return nullptr;
  if (c.type == "integer") {
    char* end = nullptr;
    const long long n = std::strtoll(cell.c_str(), &end, 10);
    if (end != nullptr && *end == '\0') return static_cast<int64_t>(n);
  } else if (c.type == "number") {
    char* end = nullptr;
    const double d = std::strtod(cell.c_str(), &end);
    if (end != nullptr && *end == '\0' && std::isfinite(d)) return d;
  } else if (c.type == "boolean") {
    if (cell == "true") return true;
    if (cell == "false") return false;
  }
  return json::value(cell);
}

std::string FrictionlessType(ingest::FieldType t) {
  switch (t) {
    case ingest::FieldType::kYear:
    case ingest::FieldType::kYearMonth:
      return "string";
    default:
      return std::string(ingest::TypeName(t));
  }
}

}  // namespace

std::string_view OpenKindName(OpenKind k) {
  switch (k) {
    case OpenKind::kRecords:
      return "records";
    case OpenKind::kAggregate:
      return "aggregate";
    case OpenKind::kValues:
      return "values";
  }
  return "records";
}

std::optional<OpenKind> ParseOpenKind(std::string_view s) {
  for (OpenKind k : {OpenKind::kRecords, OpenKind::kAggregate, OpenKind::kValues}) {
    if (OpenKindName(k) == s) return k;
  }
  return std::nullopt;
}

const std::vector<Licence>& Licences() {
  static const std::vector<Licence> kLicences = {
      {"CC-BY-4.0", "Creative Commons Attribution 4.0",
       "https://creativecommons.org/licenses/by/4.0/"},
      {"CC0-1.0", "Creative Commons CC0 1.0 (Public Domain Dedication)",
       "https://creativecommons.org/publicdomain/zero/1.0/"},
      {"CC-BY-SA-4.0", "Creative Commons Attribution-ShareAlike 4.0",
       "https://creativecommons.org/licenses/by-sa/4.0/"},
      {"ODC-BY-1.0", "Open Data Commons Attribution License 1.0",
       "https://opendatacommons.org/licenses/by/1-0/"},
      {"ODbL-1.0", "Open Data Commons Open Database License 1.0",
       "https://opendatacommons.org/licenses/odbl/1-0/"},
  };
  return kLicences;
}

const Licence* FindLicence(std::string_view code) {
  for (const auto& l : Licences()) {
    if (l.code == code) return &l;
  }
  return nullptr;
}

Result<OpenDataset> ParseOpenDataset(const std::string& id, const json::value& v) {
  if (!IsPackageName(id)) {
    return Fail(
        InvalidOpen("the id '" + id + "' is 2 to 100 of lowercase letters, digits, '-' and '_'"));
  }
  if (!v.is_object()) return Fail(InvalidOpen("a publication is a JSON object"));
  const json::object& o = v.as_object();
  static const std::set<std::string, std::less<>> kKeys = {
      "kind",           "source",   "indicators", "title", "title_en", "description",
      "description_en", "keywords", "licence",    "k",     "id"};
  for (const auto& [key, value] : o) {
    if (!kKeys.contains(key)) return Fail(InvalidOpen("unknown key '" + std::string(key) + "'"));
  }
  OpenDataset d;
  d.id = id;
  auto kind = TextOf(o, "kind", true);
  if (!kind) return Fail(kind.error());
  const auto k = ParseOpenKind(*kind);
  if (!k) return Fail(InvalidOpen("kind is records, aggregate or values"));
  d.kind = *k;
  auto source = TextOf(o, "source", d.kind != OpenKind::kValues);
  if (!source) return Fail(source.error());
  d.source = std::move(*source);
  if (d.kind == OpenKind::kValues) d.source.clear();
  auto indicators = ListOf(o, "indicators");
  if (!indicators) return Fail(indicators.error());
  d.indicators = std::move(*indicators);
  const std::pair<const char*, std::string*> texts[] = {{"title_en", &d.title_en},
                                                        {"description_en", &d.description_en}};
  auto title = TextOf(o, "title", true);
  if (!title) return Fail(title.error());
  d.title = std::move(*title);
  auto description = TextOf(o, "description", true);
  if (!description) return Fail(description.error());
  d.description = std::move(*description);
  for (const auto& [key, field] : texts) {
    auto t = TextOf(o, key, false);
    if (!t) return Fail(t.error());
    *field = std::move(*t);
  }
  auto keywords = ListOf(o, "keywords");
  if (!keywords) return Fail(keywords.error());
  d.keywords = std::move(*keywords);
  auto licence = TextOf(o, "licence", false);
  if (!licence) return Fail(licence.error());
  if (!licence->empty()) d.licence = std::move(*licence);
  if (FindLicence(d.licence) == nullptr) {
    std::string codes;
    for (const auto& l : Licences()) codes += (codes.empty() ? "" : ", ") + l.code;
    return Fail(InvalidOpen("licence '" + d.licence + "' is not one of " + codes));
  }
  if (const auto* kv = o.if_contains("k"); kv != nullptr && !kv->is_null()) {
    if (!kv->is_int64() || kv->as_int64() < 1 || kv->as_int64() > 1000) {
      return Fail(InvalidOpen("k is a whole number from 1 to 1000"));
    }
    d.k = static_cast<int>(kv->as_int64());
  }
  return d;
}

json::object ToJson(const OpenDataset& d) {
  const Licence* l = FindLicence(d.licence);
  return {{"id", d.id},
          {"kind", OpenKindName(d.kind)},
          {"source", d.source},
          {"indicators", json_util::Strings(d.indicators)},
          {"title", d.title},
          {"title_en", d.title_en},
          {"description", d.description},
          {"description_en", d.description_en},
          {"keywords", json_util::Strings(d.keywords)},
          {"licence", json::object{{"code", d.licence},
                                   {"title", l != nullptr ? l->title : d.licence},
                                   {"url", l != nullptr ? l->url : ""}}},
          {"k", d.k},
          {"organization", json::object{{"code", d.organization}, {"name", d.organization_name}}},
          {"issued", d.issued},
          {"modified", d.modified},
          {"published_by", d.published_by}};
}

std::vector<OpenColumn> RecordColumns(const ingest::Dataset& d) {
  std::vector<OpenColumn> out;
  for (const auto& f : d.schema.fields) {
    if (f.personal) continue;
    out.push_back(
        {f.name, f.title.empty() ? f.name : f.title, f.title_en, FrictionlessType(f.type)});
  }
  return out;
}

std::vector<std::string> RecordCells(const std::vector<OpenColumn>& columns,
                                     const json::object& record) {
  std::vector<std::string> cells;
  cells.reserve(columns.size());
  for (const auto& c : columns) {
    const auto* v = record.if_contains(c.name);
    if (v == nullptr || v->is_null()) {
      cells.emplace_back();
    } else if (v->is_string()) {
      cells.emplace_back(v->as_string());
    } else if (v->is_bool()) {
      cells.emplace_back(v->as_bool() ? "true" : "false");
    } else {
      cells.push_back(json::serialize(*v));
    }
  }
  return cells;
}

std::string MonthField(const ingest::Dataset& d) {
  for (const auto& f : d.schema.fields) {
    if (f.period) return f.name;
  }
  for (const auto& f : d.schema.fields) {
    if (f.type == ingest::FieldType::kDate || f.type == ingest::FieldType::kDatetime ||
        f.type == ingest::FieldType::kYearMonth) {
      return f.name;
    }
  }
  return "";
}

OpenTable AggregateTable(const std::map<CountKey, int64_t>& counts, int k,
                         const std::function<std::string(const std::string&)>& unit_name) {
  OpenTable t;
  t.columns = {{"unit", "Mã đơn vị", "Unit code", "string"},
               {"unit_name", "Đơn vị", "Unit", "string"},
               {"month", "Tháng", "Month", "string"},
               {"count", "Số bản ghi", "Records", "integer"},
               {"suppressed", "Ẩn vì nhỏ hơn k", "Suppressed (below k)", "boolean"}};
  for (const auto& [key, n] : counts) {
    const bool hide = n < k;
    t.rows.push_back({key.unit, unit_name(key.unit), key.month, hide ? "" : std::to_string(n),
                      hide ? "true" : "false"});
  }
  return t;
}

std::string TableCsv(const OpenTable& t) {
  std::vector<std::vector<std::string>> rows;
  rows.reserve(t.rows.size() + 1);
  std::vector<std::string> header;
  for (const auto& c : t.columns) header.push_back(c.name);
  rows.push_back(std::move(header));
  rows.insert(rows.end(), t.rows.begin(), t.rows.end());
  std::ostringstream out;
  WriteCsvSheet(out, rows);
  return std::move(out).str();
}

std::string TableJson(const OpenTable& t) {
  json::array items;
  items.reserve(t.rows.size());
  for (const auto& row : t.rows) {
    json::object o;
    for (size_t i = 0; i < t.columns.size() && i < row.size(); ++i) {
      o[t.columns[i].name] = CellJson(t.columns[i], row[i]);
    }
    items.emplace_back(std::move(o));
  }
  return json::serialize(items);
}

std::string TableXlsx(const OpenTable& t, const std::string& title) {
  SheetTable sheet;
  sheet.name = "Dữ liệu";
  sheet.title = {title};
  std::vector<std::string> header;
  for (const auto& c : t.columns) header.push_back(c.title.empty() ? c.name : c.title);
  sheet.rows.push_back(std::move(header));
  sheet.rows.insert(sheet.rows.end(), t.rows.begin(), t.rows.end());
  std::ostringstream out;
  if (auto s = WriteXlsxSheets(out, {sheet}); !s) return "";
  return std::move(out).str();
}

json::object DataPackage(const Site& site, const OpenDataset& d,
                         const std::vector<OpenColumn>& columns) {
  json::array fields;
  for (const auto& c : columns) {
    json::object f{{"name", c.name}, {"type", c.type}, {"title", c.title}};
    if (!c.title_en.empty()) f["description"] = c.title_en;
    fields.push_back(std::move(f));
  }
  const Licence* l = FindLicence(d.licence);
  const std::string base = site.base_url + "/api/v1/open/datasets/" + d.id;
  json::object package{
      {"name", d.id},
      {"title", d.title},
      {"description", d.description},
      {"homepage", site.base_url + "/open/" + d.id},
      {"version", d.modified},
      {"created", d.issued},
      {"keywords", json_util::Strings(d.keywords)},
      {"licenses", json::array{json::object{{"name", d.licence},
                                            {"path", l != nullptr ? l->url : ""},
                                            {"title", l != nullptr ? l->title : d.licence}}}},
      {"sources", json::array{json::object{
                      {"title", d.organization_name.empty() ? site.publisher : d.organization_name},
                      {"path", site.base_url + "/open/" + d.id}}}},
      {"profile", "tabular-data-package"},
      {"resources",
       json::array{json::object{{"name", d.id},
                                {"path", base + "/data.csv"},
                                {"profile", "tabular-data-resource"},
                                {"format", "csv"},
                                {"mediatype", "text/csv"},
                                {"encoding", "utf-8"},
                                {"schema", json::object{{"fields", std::move(fields)},
                                                        {"missingValues", json::array{""}}}}}}}};
  if (!d.title_en.empty()) package["title_en"] = d.title_en;
  return package;
}

Site SiteOf(store::SettingsStore& settings, const units::Registry& registry,
            const std::string& province, const std::string& fallback_base_url) {
  auto setting = [&settings](const char* key) {
    auto v = settings.GetSetting(key);
    return v && *v ? **v : std::string();
  };
  Site site;
  site.base_url = setting("open.base_url");
  if (site.base_url.empty()) site.base_url = fallback_base_url;
  while (site.base_url.ends_with('/')) site.base_url.pop_back();
  const auto* p = registry.Find(province, Date::Today());
  site.publisher = p != nullptr ? p->name : province;
  site.publisher_code = province;
  site.title = setting("open.title");
  if (site.title.empty()) site.title = "Dữ liệu mở " + site.publisher;
  site.title_en = setting("open.title_en");
  if (site.title_en.empty()) site.title_en = "Open data of " + text::Fold(site.publisher);
  site.description = "Dữ liệu mở do các cơ quan, đơn vị của " + site.publisher +
                     " công bố: dữ liệu, số liệu tổng hợp và bộ chỉ số.";
  site.description_en = "Open data published by the agencies and units of the province.";
  return site;
}

void Complete(OpenDataset& d, store::DatasetStore& datasets, const units::Registry& registry,
              const std::string& province) {
  std::string owner;
  if (d.kind != OpenKind::kValues) {
    if (auto ds = ingest::LoadDataset(datasets, d.source)) {
      owner = ds->row.owner_unit;
      auto batches = datasets.Batches(d.source, 0, 1);
      if (batches && !batches->empty() && batches->front().created_at > d.modified) {
        d.modified = batches->front().created_at;
      }
    }
  }
  if (owner.empty()) owner = province;
  d.organization = owner;
  const auto* u = registry.Find(owner, Date::Today());
  d.organization_name = u != nullptr ? u->name : owner;
}

}  // namespace pdh::share
