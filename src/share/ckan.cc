// The open-data portal as CKAN 2.10's Action API shows it, so that the tools made for CKAN
// (ckanapi, harvesters, the R and Python clients) read it as they read any CKAN: packages with
// their organization, tags and resources, package_search with q, fq, sort, rows and start,
// and datastore_search over a publication's table.
#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <charconv>
#include <cmath>
#include <functional>
#include <map>
#include <set>
#include <utility>

#include "core/json_util.h"
#include "core/text.h"
#include "share/share.h"

namespace pdh::share {
namespace json = boost::json;
namespace {

Error CkanInvalid(const std::string& param, const std::string& what) {
  return Error::Invalid("ckan.validation", param + ": " + what);
}

bool CkanDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// An ISO 8601 date or UTC date-time as CKAN writes its timestamps, "2025-10-31T08:00:00.000000"
// (UTC, microseconds, no zone); "" when `iso` is neither.
std::string CkanTime(std::string_view iso) {
  if (iso.size() < 10 || !CkanDigits(iso.substr(0, 4)) || iso[4] != '-' ||
      !CkanDigits(iso.substr(5, 2)) || iso[7] != '-' || !CkanDigits(iso.substr(8, 2))) {
    return "";
  }
  std::string out(iso.substr(0, 10));
  if (iso.size() == 10) return out + "T00:00:00.000000";
  if (iso.size() < 19 || iso[10] != 'T' || !CkanDigits(iso.substr(11, 2)) || iso[13] != ':' ||
      !CkanDigits(iso.substr(14, 2)) || iso[16] != ':' || !CkanDigits(iso.substr(17, 2))) {
    return "";
  }
  out += iso.substr(10, 9);
  std::string fraction;
  if (iso.size() > 19 && iso[19] == '.') {
    for (size_t i = 20; i < iso.size() && iso[i] >= '0' && iso[i] <= '9'; ++i) fraction += iso[i];
  }
  fraction.resize(6, '0');
  return out + "." + fraction;
}

json::value CkanTimeValue(std::string_view iso) {
  auto t = CkanTime(iso);
  if (t.empty()) return nullptr;
  return json::string(t);
}

// A unit code as a CKAN name: lowercase, [a-z0-9_-], others as '-'.
std::string CkanName(std::string_view code) {
  std::string out;
  out.reserve(code.size());
  for (const char c : code) {
    if (c >= 'A' && c <= 'Z') {
      out += static_cast<char>(c - 'A' + 'a');
    } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-') {
      out += c;
    } else {
      out += '-';
    }
  }
  return out;
}

// The publishing unit of a publication: its own, else the province.
std::pair<std::string, std::string> CkanPublisher(const Site& site, const OpenDataset& d) {
  if (d.organization.empty()) return {site.publisher_code, site.publisher};
  return {d.organization, d.organization_name};
}

// An organization as a package shows it. CKAN's `created` is when the organization was made
// in CKAN; a unit has no such date here, so it is null.
json::object CkanOrganizationObject(const Site& site, const std::string& code,
                                    const std::string& name) {
  std::string title = name.empty() ? (code == site.publisher_code ? site.publisher : code) : name;
  return json::object{{"id", code},
                      {"name", CkanName(code)},
                      {"title", title},
                      {"type", "organization"},
                      {"description", ""},
                      {"image_url", ""},
                      {"created", nullptr},
                      {"is_organization", true},
                      {"approval_status", "approved"},
                      {"state", "active"}};
}

struct CkanResourceForm {
  std::string_view suffix;  // of the resource's id; "" for the table's (the datastore's)
  std::string_view file;
  std::string_view format;
  std::string_view mimetype;
  std::string_view description;
};
constexpr std::array<CkanResourceForm, 4> kCkanResources = {{
    {"", "data.csv", "CSV", "text/csv", "Bảng dữ liệu (CSV, UTF-8)"},
    {"xlsx", "data.xlsx", "XLSX",
     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Bảng dữ liệu (Excel)"},
    {"json", "data.json", "JSON", "application/json", "Bảng dữ liệu (JSON)"},
    {"datapackage", "datapackage.json", "datapackage", "application/json",
     "Mô tả gói dữ liệu (Frictionless Data Package)"},
}};

// --- package_search ----------------------------------------------------------------------------

// The clauses of a Solr-like query: words, "quoted phrases", field:value, field:"value",
// field:[FROM TO TO]; a clause may start with + (required, as all are) or - (excluded).
std::vector<std::string> CkanClauses(std::string_view text) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n')) ++i;
    if (i >= text.size()) break;
    std::string clause;
    bool quoted = false;
    int depth = 0;
    for (; i < text.size(); ++i) {
      const char c = text[i];
      if (!quoted && depth == 0 && (c == ' ' || c == '\t' || c == '\n')) break;
      if (c == '\\' && quoted && i + 1 < text.size()) {
        clause += c;
        clause += text[++i];
        continue;
      }
      if (c == '"') quoted = !quoted;
      if (!quoted && (c == '[' || c == '{')) ++depth;
      if (!quoted && (c == ']' || c == '}') && depth > 0) --depth;
      clause += c;
    }
    out.push_back(std::move(clause));
  }
  return out;
}

std::string CkanUnquote(std::string_view v) {
  if (v.size() < 2 || v.front() != '"' || v.back() != '"') return std::string(v);
  std::string out;
  for (size_t i = 1; i + 1 < v.size(); ++i) {
    if (v[i] == '\\' && i + 2 < v.size()) ++i;
    out += v[i];
  }
  return out;
}

// The fields an fq clause (or a field:value word of q) may name.
const std::set<std::string, std::less<>>& CkanSearchFields() {
  static const std::set<std::string, std::less<>> fields = {"organization",
                                                            "owner_org",
                                                            "tags",
                                                            "res_format",
                                                            "license_id",
                                                            "name",
                                                            "id",
                                                            "dataset_type",
                                                            "type",
                                                            "state",
                                                            "capacity",
                                                            "metadata_modified",
                                                            "metadata_created"};
  return fields;
}

bool CkanDateField(std::string_view field) {
  return field == "metadata_modified" || field == "metadata_created";
}

struct CkanDateRange {
  std::string from;  // CkanTime, or "" for open
  std::string to;
  bool from_inclusive = true;
  bool to_inclusive = true;
};

// [FROM TO TO] (inclusive) or {FROM TO TO} (exclusive), the ends a date, a date-time or *.
std::optional<CkanDateRange> CkanParseRange(std::string_view v) {
  if (v.size() < 2) return std::nullopt;
  const char open = v.front();
  const char close = v.back();
  if ((open != '[' && open != '{') || (close != ']' && close != '}')) return std::nullopt;
  const auto parts = CkanClauses(v.substr(1, v.size() - 2));
  if (parts.size() != 3 || parts[1] != "TO") return std::nullopt;
  CkanDateRange r;
  r.from_inclusive = open == '[';
  r.to_inclusive = close == ']';
  auto end = [](const std::string& s, std::string& out) {
    if (s == "*") return true;
    out = CkanTime(s);
    return !out.empty();
  };
  if (!end(parts[0], r.from) || !end(parts[2], r.to)) return std::nullopt;
  return r;
}

bool CkanInRange(const CkanDateRange& r, const std::string& t) {
  if (t.empty()) return false;
  if (!r.from.empty() && (r.from_inclusive ? t < r.from : t <= r.from)) return false;
  if (!r.to.empty() && (r.to_inclusive ? t > r.to : t >= r.to)) return false;
  return true;
}

// An fq clause as (field, value), the field with its '-' when excluded; an error naming `param`.
Result<std::pair<std::string, std::string>> CkanFilterClause(const std::string& param,
                                                             std::string_view clause) {
  std::string_view c = clause;
  std::string sign;
  if (!c.empty() && (c[0] == '+' || c[0] == '-')) {
    if (c[0] == '-') sign = "-";
    c.remove_prefix(1);
  }
  const auto colon = c.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == c.size()) {
    return Fail(CkanInvalid(param, "'" + std::string(clause) + "' is not field:value"));
  }
  const std::string field(c.substr(0, colon));
  const std::string_view value = c.substr(colon + 1);
  if (CkanSearchFields().count(field) == 0) {
    return Fail(CkanInvalid(param, "cannot search by '" + field + "'"));
  }
  if (CkanDateField(field) && value != "*" && !CkanParseRange(value)) {
    return Fail(CkanInvalid(
        param, "'" + std::string(value) + "' is not a range such as [2025-01-01T00:00:00Z TO *]"));
  }
  return std::pair{sign + field, std::string(value)};
}

struct CkanSortKey {
  std::string field;
  bool desc = false;
};

Result<std::vector<CkanSortKey>> CkanSortKeys(const std::string& param, std::string_view sort,
                                              const std::function<bool(std::string_view)>& known) {
  std::vector<CkanSortKey> keys;
  size_t start = 0;
  while (start <= sort.size()) {
    auto end = sort.find(',', start);
    if (end == std::string_view::npos) end = sort.size();
    const auto parts = CkanClauses(sort.substr(start, end - start));
    start = end + 1;
    if (parts.empty()) continue;
    if (parts.size() > 2 || (parts.size() == 2 && parts[1] != "asc" && parts[1] != "desc")) {
      return Fail(CkanInvalid(
          param, "'" + std::string(sort) + "' is not a list of 'field asc' or 'field desc'"));
    }
    auto field = CkanUnquote(parts[0]);
    if (!known(field)) return Fail(CkanInvalid(param, "cannot sort by '" + field + "'"));
    keys.push_back(CkanSortKey{std::move(field), parts.size() == 2 && parts[1] == "desc"});
  }
  return keys;
}

Result<int64_t> CkanNatural(const std::map<std::string, std::string>& params,
                            const std::string& name, int64_t fallback, int64_t max) {
  const auto it = params.find(name);
  if (it == params.end() || it->second.empty()) return fallback;
  int64_t n = 0;
  const auto& s = it->second;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec != std::errc() || ptr != s.data() + s.size()) {
    return Fail(CkanInvalid(name, "Invalid integer"));
  }
  if (n < 0) return Fail(CkanInvalid(name, "Must be a natural number"));
  return std::min(n, max);
}

// Whether `words` (folded) occurs in `text` (folded) as whole words, as a search engine's
// tokens match: "ho so" is in "ho so hanh chinh" but not in "cuc thong ke".
bool CkanHasWords(std::string_view text, std::string_view words) {
  auto word_char = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           static_cast<unsigned char>(c) >= 0x80;
  };
  if (words.empty()) return true;
  for (size_t at = text.find(words); at != std::string_view::npos; at = text.find(words, at + 1)) {
    const size_t end = at + words.size();
    if ((at == 0 || !word_char(text[at - 1])) && (end == text.size() || !word_char(text[end]))) {
      return true;
    }
  }
  return false;
}

// What q's words are looked for in.
std::string CkanSearchText(const OpenDataset& d) {
  std::string all = d.id + " " + d.title + " " + d.title_en + " " + d.description + " " +
                    d.description_en + " " + d.organization_name;
  for (const auto& k : d.keywords) all += " " + k;
  return text::Fold(all);
}

bool CkanMatches(const Site& site, const OpenDataset& d, const std::string& field,
                 const std::string& raw) {
  const std::string value = CkanUnquote(raw);
  if (value == "*") return true;
  const auto org = CkanPublisher(site, d).first;
  if (field == "organization" || field == "owner_org") {
    return value == org || value == CkanName(org);
  }
  if (field == "tags") {
    const auto key = text::Fold(value);
    return std::any_of(d.keywords.begin(), d.keywords.end(),
                       [&](const std::string& k) { return text::Fold(k) == key; });
  }
  if (field == "res_format") {
    return std::any_of(kCkanResources.begin(), kCkanResources.end(),
                       [&](const auto& r) { return text::Fold(r.format) == text::Fold(value); });
  }
  if (field == "license_id") return d.licence == value;
  if (field == "name" || field == "id") return d.id == value;
  if (field == "dataset_type" || field == "type") return value == "dataset";
  if (field == "state") return value == "active";
  if (field == "capacity") return value == "public";
  if (CkanDateField(field)) {
    const auto range = CkanParseRange(raw);
    const auto& when = field == "metadata_modified" && !d.modified.empty() ? d.modified : d.issued;
    return range && CkanInRange(*range, CkanTime(when));
  }
  return false;
}

// How well `d` answers the words: a word in the title counts most, then in the keywords, then
// anywhere.
int64_t CkanScore(const OpenDataset& d, const std::vector<std::string>& words) {
  const auto title = text::Fold(d.title + " " + d.title_en);
  std::string keywords;
  for (const auto& k : d.keywords) keywords += text::Fold(k) + " ";
  int64_t score = 0;
  for (const auto& w : words) {
    score += 1;
    if (CkanHasWords(title, w)) score += 4;
    if (CkanHasWords(keywords, w)) score += 2;
  }
  return score;
}

// --- datastore_search --------------------------------------------------------------------------

std::string_view CkanType(std::string_view table_schema_type) {
  if (table_schema_type == "integer") return "int";
  if (table_schema_type == "number") return "numeric";
  if (table_schema_type == "boolean") return "bool";
  if (table_schema_type == "date") return "date";
  if (table_schema_type == "datetime") return "timestamp";
  return "text";
}

std::optional<double> CkanCellNumber(std::string_view s) {
  if (s.empty()) return std::nullopt;
  double v = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::optional<bool> CkanCellBool(std::string_view s) {
  if (s == "true" || s == "1" || s == "True" || s == "TRUE") return true;
  if (s == "false" || s == "0" || s == "False" || s == "FALSE") return false;
  return std::nullopt;
}

// A cell as the datastore answers it: a number for int and numeric, true or false for bool,
// null for none, else the text.
json::value CkanCellValue(std::string_view type, const std::string& cell) {
  if (cell.empty()) return nullptr;
  if (type == "int" || type == "numeric") {
    int64_t n = 0;
    const auto [ptr, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), n);
    if (ec == std::errc() && ptr == cell.data() + cell.size()) return n;
    if (auto d = CkanCellNumber(cell)) return *d;
  } else if (type == "bool") {
    if (auto b = CkanCellBool(cell)) return *b;
  }
  return json::string(cell);
}

// Whether a cell is the value a filter names.
bool CkanCellEquals(std::string_view type, const std::string& cell, const json::value& v) {
  if (v.is_null()) return cell.empty();
  if (v.is_string()) return cell == std::string_view(v.get_string());
  if (v.is_bool()) {
    const auto b = CkanCellBool(cell);
    return b && *b == v.get_bool();
  }
  if (v.is_number()) {
    const auto c = CkanCellNumber(cell);
    if (type != "text" && c) return *c == v.to_number<double>();
    return cell == json_util::Serialize(v);
  }
  return false;
}

std::string CkanUrlEncode(std::string_view s) {
  static constexpr std::string_view kHex = "0123456789ABCDEF";
  std::string out;
  for (const char c : s) {
    const auto b = static_cast<unsigned char>(c);
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[b >> 4];
      out += kHex[b & 0xF];
    }
  }
  return out;
}

std::string CkanDatastoreLink(const std::map<std::string, std::string>& params) {
  std::string out = "/api/3/action/datastore_search";
  char sep = '?';
  for (const auto& [k, v] : params) {
    out += sep;
    out += CkanUrlEncode(k);
    out += '=';
    out += CkanUrlEncode(v);
    sep = '&';
  }
  return out;
}

}  // namespace

json::object CkanPackage(const Site& site, const OpenDataset& d,
                         const std::vector<OpenColumn>& columns) {
  const auto [org_code, org_name] = CkanPublisher(site, d);
  const std::string modified = d.modified.empty() ? d.issued : d.modified;
  const Licence* licence = FindLicence(d.licence);

  json::array tags;
  for (const auto& k : d.keywords) {
    if (k.empty()) continue;
    tags.push_back(json::object{{"id", k},
                                {"name", k},
                                {"display_name", k},
                                {"state", "active"},
                                {"vocabulary_id", nullptr}});
  }
  const int64_t num_tags = static_cast<int64_t>(tags.size());

  json::array resources;
  const std::string download = site.base_url + "/api/v1/open/datasets/" + d.id + "/";
  int64_t position = 0;
  for (const auto& form : kCkanResources) {
    const std::string id = form.suffix.empty() ? d.id : d.id + "-" + std::string(form.suffix);
    json::object r{{"id", id},
                   {"package_id", d.id},
                   {"name", form.file},
                   {"description", form.description},
                   {"format", form.format},
                   {"mimetype", form.mimetype},
                   {"mimetype_inner", nullptr},
                   {"url", download + std::string(form.file)},
                   {"url_type", nullptr},
                   {"resource_type", nullptr},
                   {"size", nullptr},
                   {"hash", ""},
                   {"cache_url", nullptr},
                   {"cache_last_updated", nullptr},
                   {"datastore_active", form.suffix.empty()},
                   {"created", CkanTimeValue(d.issued)},
                   {"last_modified", CkanTimeValue(modified)},
                   {"metadata_modified", CkanTimeValue(modified)},
                   {"position", position++},
                   {"state", "active"}};
    if (form.suffix.empty() && !columns.empty()) {
      // The table's Table Schema, as CKAN's Frictionless extensions keep it on a resource.
      json::array fields;
      for (const auto& c : columns) {
        json::object f{{"name", c.name}, {"type", c.type}};
        if (!c.title.empty()) f["title"] = c.title;
        fields.push_back(std::move(f));
      }
      r["schema"] = json::object{{"fields", std::move(fields)}};
    }
    resources.push_back(std::move(r));
  }
  const int64_t num_resources = static_cast<int64_t>(resources.size());

  json::array extras{json::object{{"key", "kind"}, {"value", OpenKindName(d.kind)}},
                     json::object{{"key", "language"}, {"value", "vi"}}};
  if (!d.title_en.empty())
    extras.push_back(json::object{{"key", "title_en"}, {"value", d.title_en}});
  if (!d.description_en.empty()) {
    extras.push_back(json::object{{"key", "notes_en"}, {"value", d.description_en}});
  }
  const std::string& author = org_name.empty() ? site.publisher : org_name;

  return json::object{
      {"id", d.id},
      {"name", d.id},
      {"title", d.title},
      {"notes", d.description},
      {"url", site.base_url + "/open/" + d.id},
      {"license_id", d.licence},
      {"license_title", licence != nullptr ? licence->title : d.licence},
      {"license_url", licence != nullptr ? licence->url : ""},
      {"isopen", true},
      {"private", false},
      {"state", "active"},
      {"type", "dataset"},
      {"version", nullptr},
      {"author", author},
      {"author_email", nullptr},
      {"maintainer", author},
      {"maintainer_email", nullptr},
      {"metadata_created", CkanTimeValue(d.issued)},
      {"metadata_modified", CkanTimeValue(modified)},
      {"owner_org", org_code},
      {"organization", CkanOrganizationObject(site, org_code, org_name)},
      {"tags", std::move(tags)},
      {"num_tags", num_tags},
      {"resources", std::move(resources)},
      {"num_resources", num_resources},
      {"extras", std::move(extras)},
      {"groups", json::array()},
      {"relationships_as_object", json::array()},
      {"relationships_as_subject", json::array()},
  };
}

json::object CkanOrganization(const Site& site, const std::string& code, const std::string& name,
                              int64_t packages) {
  auto o = CkanOrganizationObject(site, code, name);
  json::value title = o.at("title");  // a copy: adding keys may move o's values
  o["display_name"] = std::move(title);
  o["image_display_url"] = "";
  o["package_count"] = packages;
  o["num_followers"] = 0;
  return o;
}

std::string CkanSuccess(const Site& site, const std::string& action, json::value result) {
  return json_util::Serialize(
      json::object{{"help", site.base_url + "/api/3/action/help_show?name=" + action},
                   {"success", true},
                   {"result", std::move(result)}});
}

std::string CkanError(const Site& site, const std::string& action, const std::string& type,
                      const json::object& detail) {
  json::object error{{"__type", type}};
  for (const auto& [k, v] : detail) {
    if (k != "__type") error[k] = v;
  }
  return json_util::Serialize(
      json::object{{"help", site.base_url + "/api/3/action/help_show?name=" + action},
                   {"success", false},
                   {"error", std::move(error)}});
}

Result<PackageSearch> ParsePackageSearch(const std::map<std::string, std::string>& params) {
  PackageSearch s;
  if (const auto it = params.find("q"); it != params.end()) {
    std::string words;
    for (const auto& clause : CkanClauses(it->second)) {
      if (clause == "*:*" || clause == "*") continue;
      // field:value in q is a filter as in fq, when the field is one fq knows.
      std::string_view c = clause;
      if (c[0] == '+' || c[0] == '-') c.remove_prefix(1);
      const auto colon = c.find(':');
      if (clause[0] != '"' && colon != std::string_view::npos &&
          CkanSearchFields().count(c.substr(0, colon)) != 0) {
        auto f = CkanFilterClause("q", clause);
        if (!f) return Fail(f.error());
        s.fq.push_back(std::move(*f));
        continue;
      }
      if (!words.empty()) words += ' ';
      words += clause;
    }
    s.q = std::move(words);
  }
  if (const auto it = params.find("fq"); it != params.end()) {
    for (const auto& clause : CkanClauses(it->second)) {
      auto f = CkanFilterClause("fq", clause);
      if (!f) return Fail(f.error());
      s.fq.push_back(std::move(*f));
    }
  }
  if (const auto it = params.find("sort"); it != params.end() && !it->second.empty()) {
    static const std::set<std::string, std::less<>> sortable = {
        "score", "metadata_modified", "metadata_created", "name", "title_string", "id"};
    auto keys =
        CkanSortKeys("sort", it->second, [](std::string_view f) { return sortable.count(f) != 0; });
    if (!keys) return Fail(keys.error());
    s.sort = it->second;
  }
  if (auto rows = CkanNatural(params, "rows", 10, 1000); rows) {
    s.rows = *rows;
  } else {
    return Fail(rows.error());
  }
  if (auto start = CkanNatural(params, "start", 0, INT64_MAX); start) {
    s.start = *start;
  } else {
    return Fail(start.error());
  }
  return s;
}

json::object SearchPackages(
    const Site& site, const PackageSearch& s, const std::vector<OpenDataset>& all,
    const std::function<std::vector<OpenColumn>(const OpenDataset&)>& columns_of) {
  std::vector<std::string> words;
  for (const auto& clause : CkanClauses(s.q)) {
    auto w =
        text::Fold(CkanUnquote(clause.size() > 1 && clause[0] == '+' ? clause.substr(1) : clause));
    if (!w.empty()) words.push_back(std::move(w));
  }
  struct Hit {
    const OpenDataset* d;
    int64_t score;
  };
  std::vector<Hit> hits;
  for (const auto& d : all) {
    const auto haystack = CkanSearchText(d);
    const bool words_match = std::all_of(words.begin(), words.end(), [&](const std::string& w) {
      return CkanHasWords(haystack, w);
    });
    if (!words_match) continue;
    const bool filters_match = std::all_of(s.fq.begin(), s.fq.end(), [&](const auto& f) {
      const bool negated = !f.first.empty() && f.first[0] == '-';
      const auto field = negated ? f.first.substr(1) : f.first;
      return CkanMatches(site, d, field, f.second) != negated;
    });
    if (filters_match) hits.push_back(Hit{&d, CkanScore(d, words)});
  }

  auto keys = CkanSortKeys("sort", s.sort, [](std::string_view) { return true; });
  std::vector<CkanSortKey> order = keys ? *keys : std::vector<CkanSortKey>{};
  auto compare = [&](const Hit& a, const Hit& b) {
    for (const auto& k : order) {
      int c = 0;
      if (k.field == "score") {
        c = a.score < b.score ? -1 : (a.score > b.score ? 1 : 0);
      } else {
        std::string x;
        std::string y;
        if (k.field == "metadata_modified") {
          x = CkanTime(a.d->modified.empty() ? a.d->issued : a.d->modified);
          y = CkanTime(b.d->modified.empty() ? b.d->issued : b.d->modified);
        } else if (k.field == "metadata_created") {
          x = CkanTime(a.d->issued);
          y = CkanTime(b.d->issued);
        } else if (k.field == "title_string") {
          x = text::Fold(a.d->title);
          y = text::Fold(b.d->title);
        } else {
          x = a.d->id;
          y = b.d->id;
        }
        c = x.compare(y);
      }
      if (c != 0) return k.desc ? c > 0 : c < 0;
    }
    return false;
  };
  std::stable_sort(hits.begin(), hits.end(), compare);

  json::array results;
  const auto count = static_cast<int64_t>(hits.size());
  for (int64_t i = s.start; i < count && i < s.start + s.rows; ++i) {
    const auto& d = *hits[static_cast<size_t>(i)].d;
    results.push_back(CkanPackage(site, d, columns_of ? columns_of(d) : std::vector<OpenColumn>{}));
  }
  return json::object{{"count", count},
                      {"results", std::move(results)},
                      {"sort", s.sort},
                      {"facets", json::object()},
                      {"search_facets", json::object()}};
}

Result<json::object> DatastoreSearch(const std::string& resource_id, const OpenTable& t,
                                     const std::map<std::string, std::string>& params) {
  // The columns by name, "_id" (the row's number from 1) first.
  std::map<std::string, size_t, std::less<>> index;
  for (size_t i = 0; i < t.columns.size(); ++i) index.emplace(t.columns[i].name, i + 1);
  index.emplace("_id", 0);
  auto type_of = [&](size_t column) {
    return column == 0 ? std::string_view("int") : CkanType(t.columns[column - 1].type);
  };
  auto cell = [&](size_t row, size_t column) -> std::string {
    if (column == 0) return std::to_string(row + 1);
    const auto& r = t.rows[row];
    return column - 1 < r.size() ? r[column - 1] : std::string();
  };
  auto param = [&](const char* name) -> const std::string* {
    const auto it = params.find(name);
    return it == params.end() ? nullptr : &it->second;
  };

  json::object result{{"resource_id", resource_id}};
  // filters: column -> value, or -> a list of values (any of them).
  std::vector<std::pair<size_t, json::array>> filters;
  if (const auto* f = param("filters"); f != nullptr && !f->empty()) {
    const auto v = json_util::Parse(*f);
    if (!v.is_object()) return Fail(CkanInvalid("filters", "not a JSON object"));
    for (const auto& [column, value] : v.get_object()) {
      const auto it = index.find(std::string_view(column));
      if (it == index.end()) {
        return Fail(
            CkanInvalid("filters", "field \"" + std::string(column) + "\" not in resource"));
      }
      json::array values = value.is_array() ? value.get_array() : json::array{value};
      for (const auto& x : values) {
        if (x.is_object() || x.is_array()) {
          return Fail(CkanInvalid("filters", "the values of \"" + std::string(column) +
                                                 "\" must be text, numbers, true, false or null"));
        }
      }
      filters.emplace_back(it->second, std::move(values));
    }
    result["filters"] = v;
  }
  // q: words anywhere in the row, or column -> words in that column.
  std::vector<std::pair<std::optional<size_t>, std::vector<std::string>>> searches;
  auto words_of = [](std::string_view q) {
    std::vector<std::string> words;
    for (const auto& c : CkanClauses(text::Fold(q))) {
      auto w = CkanUnquote(c);
      if (!w.empty()) words.push_back(std::move(w));
    }
    return words;
  };
  if (const auto* q = param("q"); q != nullptr && !q->empty()) {
    const auto v = q->front() == '{' ? json_util::Parse(*q) : json::value();
    if (q->front() == '{') {
      if (!v.is_object()) return Fail(CkanInvalid("q", "not text nor a JSON object"));
      for (const auto& [column, value] : v.get_object()) {
        const auto it = index.find(std::string_view(column));
        if (it == index.end()) {
          return Fail(CkanInvalid("q", "field \"" + std::string(column) + "\" not in resource"));
        }
        if (!value.is_string()) {
          return Fail(
              CkanInvalid("q", "the text for \"" + std::string(column) + "\" must be text"));
        }
        searches.emplace_back(it->second, words_of(value.get_string()));
      }
      result["q"] = v;
    } else {
      searches.emplace_back(std::nullopt, words_of(*q));
      result["q"] = *q;
    }
  }
  // fields: which columns, in which order.
  std::vector<size_t> shown;
  if (const auto* f = param("fields"); f != nullptr && !f->empty()) {
    size_t start = 0;
    while (start <= f->size()) {
      auto end = f->find(',', start);
      if (end == std::string::npos) end = f->size();
      auto name = text::CollapseSpaces(std::string_view(*f).substr(start, end - start));
      start = end + 1;
      if (name.empty()) continue;
      name = CkanUnquote(name);
      const auto it = index.find(name);
      if (it == index.end()) {
        return Fail(CkanInvalid("fields", "field \"" + name + "\" not in resource"));
      }
      if (std::find(shown.begin(), shown.end(), it->second) == shown.end()) {
        shown.push_back(it->second);
      }
    }
  } else {
    for (size_t i = 0; i <= t.columns.size(); ++i) shown.push_back(i);
  }
  std::vector<CkanSortKey> sort;
  if (const auto* s = param("sort"); s != nullptr && !s->empty()) {
    auto keys = CkanSortKeys("sort", *s, [&](std::string_view f) { return index.count(f) != 0; });
    if (!keys) return Fail(keys.error());
    sort = std::move(*keys);
    result["sort"] = *s;
  }
  auto limit = CkanNatural(params, "limit", 100, 32000);
  if (!limit) return Fail(limit.error());
  auto offset = CkanNatural(params, "offset", 0, INT64_MAX);
  if (!offset) return Fail(offset.error());
  bool include_total = true;
  if (const auto* it = param("include_total"); it != nullptr && !it->empty()) {
    const auto b = CkanCellBool(*it);
    if (!b) return Fail(CkanInvalid("include_total", "Not a boolean"));
    include_total = *b;
  }
  if (const auto* f = param("records_format"); f != nullptr && !f->empty() && *f != "objects") {
    return Fail(CkanInvalid("records_format", "only \"objects\" is offered"));
  }

  // The rows that match, in order.
  std::vector<size_t> rows;
  for (size_t r = 0; r < t.rows.size(); ++r) {
    bool keep = true;
    for (const auto& [column, values] : filters) {
      const auto c = cell(r, column);
      const auto type = type_of(column);
      keep = std::any_of(values.begin(), values.end(),
                         [&](const json::value& v) { return CkanCellEquals(type, c, v); });
      if (!keep) break;
    }
    for (size_t i = 0; keep && i < searches.size(); ++i) {
      const auto& [column, words] = searches[i];
      std::string haystack;
      if (column) {
        haystack = text::Fold(cell(r, *column));
      } else {
        for (size_t c = 1; c <= t.columns.size(); ++c) haystack += text::Fold(cell(r, c)) + " ";
      }
      keep = std::all_of(words.begin(), words.end(),
                         [&](const std::string& w) { return CkanHasWords(haystack, w); });
    }
    if (keep) rows.push_back(r);
  }
  if (!sort.empty()) {
    std::vector<std::pair<size_t, bool>> keys;  // column, descending
    keys.reserve(sort.size());
    for (const auto& k : sort) keys.emplace_back(index.at(k.field), k.desc);
    std::stable_sort(rows.begin(), rows.end(), [&](size_t a, size_t b) {
      for (const auto& [column, desc] : keys) {
        const auto x = cell(a, column);
        const auto y = cell(b, column);
        if (x == y) continue;
        // No value sorts after every value going up, before going down (as PostgreSQL does).
        int c = 0;
        if (x.empty() || y.empty()) {
          c = x.empty() ? 1 : -1;
        } else {
          const auto type = type_of(column);
          const bool numeric = type == "int" || type == "numeric";
          const double nx = numeric ? CkanCellNumber(x).value_or(NAN) : NAN;
          const double ny = numeric ? CkanCellNumber(y).value_or(NAN) : NAN;
          c = !std::isnan(nx) && !std::isnan(ny) ? (nx < ny ? -1 : (nx > ny ? 1 : 0))
                                                 : x.compare(y);
        }
        if (c != 0) return desc ? c > 0 : c < 0;
      }
      return false;
    });
  }

  json::array fields;
  for (const auto c : shown) {
    fields.push_back(json::object{{"id", c == 0 ? std::string("_id") : t.columns[c - 1].name},
                                  {"type", type_of(c)}});
  }
  json::array records;
  const auto total = static_cast<int64_t>(rows.size());
  for (int64_t i = *offset; i < total && i < *offset + *limit; ++i) {
    const auto r = rows[static_cast<size_t>(i)];
    json::object record;
    for (const auto c : shown) {
      const std::string name = c == 0 ? std::string("_id") : t.columns[c - 1].name;
      record[name] =
          c == 0 ? json::value(static_cast<int64_t>(r + 1)) : CkanCellValue(type_of(c), cell(r, c));
    }
    records.push_back(std::move(record));
  }

  auto link_params = params;
  link_params["resource_id"] = resource_id;
  link_params.erase("offset");
  const auto start = CkanDatastoreLink(link_params);
  link_params["offset"] = std::to_string(*offset + *limit);
  const auto next = CkanDatastoreLink(link_params);

  result["fields"] = std::move(fields);
  result["records_format"] = "objects";
  result["records"] = std::move(records);
  result["limit"] = *limit;
  result["offset"] = *offset;
  result["include_total"] = include_total;
  if (include_total) {
    result["total"] = total;
    result["total_was_estimated"] = false;
  }
  result["_links"] = json::object{{"start", start}, {"next", next}};
  return result;
}

}  // namespace pdh::share
