// /api/v1/catalog: the register of platforms, specialized and national databases (M2), its
// figures as of any date, and its import and export.
#include <boost/json.hpp>

#include <set>
#include <sstream>

#include "api/api.h"
#include "api/handler_util.h"
#include "catalog/catalog.h"
#include "core/date.h"

namespace pdh::api {
namespace json = boost::json;
namespace {

using http::Request;
using http::Response;

constexpr const char* kCatalogWrite = "catalog.write";

// JSON Schema of an entry as catalog::ToJson writes it.
constexpr const char* kEntryProperties = R"(
    "kind":{"type":"string","enum":["platform","database","national"]},
    "code":{"type":"string","description":"Stable code: letters, digits, '.', '-', '_'"},
    "name":{"type":"string"},"sector":{"type":"string"},
    "owner":{"type":"string","description":"Owner unit code: đơn vị chủ quản"},
    "status":{"type":"string","enum":["planned","under_construction","in_use","not_connected","connected"]},
    "consolidation":{"type":["string","null"],"enum":["merged","not_merged",null]},
    "source_systems":{"type":"array","items":{"type":"string"}},
    "ioc_connected":{"type":"boolean"},"hosting":{"type":"string"},
    "record_count":{"type":["integer","null"],"minimum":0},
    "last_data_update":{"type":["string","null"],"format":"date"},
    "contact":{"type":"string"},"legal_basis":{"type":"string"},
    "tags":{"type":"array","items":{"type":"string"}},
    "connected_at":{"type":["string","null"],"format":"date"},
    "links":{"type":"array","items":{"type":"object","required":["kind","target"],"properties":{"kind":{"type":"string","enum":["runs_on","exchanges_with"]},"target":{"type":"string"}}}})";

std::string RecordSchema(bool with_history) {
  std::string s =
      R"({"type":"object","properties":{)" + std::string(kEntryProperties) +
      R"(,"version":{"type":"integer"},"effective":{"type":"string","format":"date"},"owner_name":{"type":["string","null"]})";
  if (with_history) {
    s +=
        R"(,"can_edit":{"type":"boolean"},"linked_from":{"type":"array","items":{"type":"object","properties":{"kind":{"type":"string"},"source":{"type":"string"}}}},"history":{"type":"array","items":{"type":"object","properties":{"version":{"type":"integer"},"effective":{"type":"string","format":"date"},"recorded_at":{"type":"string"},"actor":{"type":"string"},"reason":{"type":"string"},"changes":{"type":"array","items":{"type":"object","properties":{"field":{"type":"string"},"before":{},"after":{}}}}}}})";
  }
  return s + "}}";
}

std::string CatalogWriteSchema() {
  return R"({"type":"object","required":["kind","code","status"],"properties":{)" +
         std::string(kEntryProperties) +
         R"(,"reason":{"type":"string","description":"Why: required when going back"},"effective":{"type":"string","format":"date","description":"When the change took effect; default today"},"expected_version":{"type":"integer","description":"The version the edit was based on: 409 when it is no longer the latest"}}})";
}

constexpr const char* kCountsSchema =
    R"({"type":"object","properties":{"platforms":{"type":"integer"},"platforms_in_use":{"type":"integer"},"databases":{"type":"integer"},"databases_planned":{"type":"integer"},"databases_under_construction":{"type":"integer"},"databases_in_use":{"type":"integer"},"databases_merged":{"type":"integer"},"databases_not_merged":{"type":"integer"},"databases_ioc_connected":{"type":"integer"},"national":{"type":"integer"},"national_connected":{"type":"integer"}}})";

constexpr const char* kCatalogReportSchema =
    R"({"type":"object","properties":{"rows":{"type":"integer"},"created":{"type":"integer"},"updated":{"type":"integer"},"unchanged":{"type":"integer"},"rejected":{"type":"integer"},"dry_run":{"type":"boolean"},"written":{"type":"boolean"},"errors":{"type":"array","items":{"type":"object","properties":{"row":{"type":"integer"},"column":{"type":"string"},"code":{"type":"string"},"message":{"type":"string"}}}}}})";

json::object RecordJson(const catalog::Record& r, const units::Registry& reg) {
  json::object o = catalog::ToJson(r);
  o["owner_name"] = UnitNameOr(reg, r.entry.owner);
  return o;
}

Response CatalogSummary(Context& ctx, Request& req) {
  auto summary = Must(ctx.catalog().SummaryAsOf(AsOf(ctx, req)));
  json::object o = catalog::ToJson(summary);
  auto reg = ctx.registry();
  for (auto& item : o["by_owner"].as_array()) {
    auto& g = item.as_object();
    g["owner_name"] = UnitNameOr(*reg, std::string(g["owner"].as_string()));
  }
  return Response::Json(o);
}

// "YYYY-MM" as the last day of that month.
std::optional<Date> MonthEnd(std::string_view s) {
  auto d = Date::Parse(std::string(s) + "-01");
  if (!d || s.size() != 7) return std::nullopt;
  return LastDayOfMonth(d->year, d->month);
}

Date MonthParam(const Request& req, const std::string& name, std::string fallback) {
  const std::string s = TextParam(req, name).value_or(std::move(fallback));
  auto d = MonthEnd(s);
  if (!d) {
    throw Failure(Error::BadRequest("request.invalid_month",
                                    name + " '" + s + "' is not a month: use YYYY-MM"));
  }
  return *d;
}

std::string MonthOf(Date d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d", d.year, d.month);
  return buf;
}

Response Series(Context& ctx, Request& req) {
  const Date today = Date::Today();
  const Date from = MonthParam(req, "from", MonthOf({today.year - 2, 1, 1}));
  const Date to = MonthParam(req, "to", MonthOf(today));
  const int months = (to.year - from.year) * 12 + (to.month - from.month) + 1;
  if (months < 1 || months > 120) {
    throw Failure(Error::BadRequest("request.invalid_range",
                                    "from must not be after to, and at most 120 months apart"));
  }
  json::array items;
  for (int i = 0; i < months; ++i) {
    const int index = from.month - 1 + i;
    const Date end = *MonthEnd(MonthOf({from.year + index / 12, index % 12 + 1, 1}));
    auto s = Must(ctx.catalog().SummaryAsOf(end));
    json::object totals = catalog::ToJson(s);
    items.push_back(json::object{{"as_of", end.ToString()}, {"total", totals["total"]}});
  }
  return Response::Json(json::object{{"items", std::move(items)}});
}

Response Facets(Context& ctx, Request&) {
  std::set<std::string> sectors, owners, tags;
  catalog::Filter f;
  f.limit = 1000;
  for (;;) {
    auto page = Must(ctx.catalog().List(f));
    for (const auto& r : page.items) {
      sectors.insert(r.entry.sector);
      owners.insert(r.entry.owner);
      tags.insert(r.entry.tags.begin(), r.entry.tags.end());
    }
    if (page.next.empty()) break;
    f.after = page.next;
  }
  auto reg = ctx.registry();
  json::array owner_list;
  for (const auto& code : owners) {
    owner_list.push_back(json::object{{"code", code}, {"name", UnitNameOr(*reg, code)}});
  }
  return Response::Json(json::object{{"sectors", json::array(sectors.begin(), sectors.end())},
                                     {"owners", std::move(owner_list)},
                                     {"tags", json::array(tags.begin(), tags.end())}});
}

Response ListEntries(Context& ctx, Request& req) {
  catalog::Filter f;
  f.kind =
      EnumParam(req, "kind", reg::ParseWith<catalog::kKindNames>, "platform, database, national");
  f.status = EnumParam(req, "status", reg::ParseWith<catalog::kStatusNames>,
                       "planned, under_construction, in_use, not_connected, connected");
  f.sector = TextParam(req, "sector");
  f.owner = TextParam(req, "owner");
  f.tag = TextParam(req, "tag");
  f.q = TextParam(req, "q").value_or("");
  f.after = TextParam(req, "cursor").value_or("");
  f.limit = static_cast<int64_t>(ParseLimit(req, 100, 1000));
  auto page = Must(ctx.catalog().List(f));
  auto reg = ctx.registry();
  json::array items;
  for (const auto& r : page.items) items.push_back(RecordJson(r, *reg));
  return Response::Json(
      json::object{{"items", std::move(items)},
                   {"next", page.next.empty() ? json::value(nullptr) : json::value(page.next)}});
}

Response GetEntry(Context& ctx, Request& req) {
  auto record = Must(ctx.catalog().Get(req.params.at("code")));
  auto reg = ctx.registry();
  json::object o = RecordJson(record, *reg);
  json::array linked;
  for (const auto& l : record.linked_from) {
    linked.push_back(
        json::object{{"kind", catalog::kLinkKindNames.Name(l.kind)}, {"source", l.target}});
  }
  o["linked_from"] = std::move(linked);
  o["can_edit"] = MayOnCode(ctx, CallerOf(req), kCatalogWrite, record.entry.owner, true);
  return Response::Json(o);
}

// The entry of a write body, and the change around it (reason, effective, expected_version).
std::pair<catalog::Entry, catalog::Change> WriteBody(const Request& req, const Context&) {
  json::object body = BodyObject(req);
  catalog::Change change;
  change.actor = CallerOf(req).name;
  change.reason = OptString(body, "reason").value_or("");
  if (auto eff = OptString(body, "effective"); eff && !eff->empty()) {
    auto d = Date::Parse(*eff);
    if (!d) {
      throw Failure(Error::Invalid("catalog.invalid_field",
                                   "effective: '" + *eff + "' is not a date: use YYYY-MM-DD"));
    }
    change.effective = *d;
  }
  change.expected = OptInt(body, "expected_version");
  for (const char* key : {"reason", "effective", "expected_version"}) body.erase(key);
  // Fields the edit form leaves out keep no value: the body is the whole entry.
  return {Must(catalog::EntryFromJson(body)), std::move(change)};
}

void RequireMay(Context& ctx, const Request& req, const std::string& owner) {
  const auth::Principal& p = CallerOf(req);
  if (!MayOnCode(ctx, p, kCatalogWrite, owner, true)) {
    throw Failure(Error{"auth.forbidden",
                        "'" + p.name + "' may not catalog.write for " + owner +
                            ": officers edit their own unit's entries",
                        403});
  }
}

Response CreateEntry(Context& ctx, Request& req) {
  auto [entry, change] = WriteBody(req, ctx);
  RequireMay(ctx, req, entry.owner);
  auto record = Must(ctx.catalog().Create(entry, change));
  Response r = Response::Json(RecordJson(record, *ctx.registry()), 201);
  r.headers.emplace_back("Location", "/api/v1/catalog/entries/" + record.entry.code);
  return r;
}

Response UpdateEntry(Context& ctx, Request& req) {
  auto [entry, change] = WriteBody(req, ctx);
  const std::string& code = req.params.at("code");
  if (entry.code != code) {
    throw Failure(Error::Invalid("catalog.invalid_transition",
                                 "code: an entry's code never changes (the path says '" + code +
                                     "', the body '" + entry.code + "')"));
  }
  // The hook checked the current owner; a new owner must be writable too.
  RequireMay(ctx, req, entry.owner);
  auto record = Must(ctx.catalog().Update(entry, change));
  return Response::Json(RecordJson(record, *ctx.registry()));
}

Response CatalogImport(Context& ctx, Request& req) {
  return RegisterImport(ctx, req, ctx.catalog(), kCatalogWrite);
}

Response CatalogExport(Context& ctx, Request& req) {
  return RegisterExport(req, ctx.catalog(), "catalog");
}

}  // namespace

void RegisterCatalogRoutes(http::Router& router, Context& ctx) {
  auto bind = [&ctx](Response (*fn)(Context&, Request&)) {
    return [&ctx, fn](Request& req) { return fn(ctx, req); };
  };
  // The owner of the entry a path names, so officers reach only their unit's entries.
  ctx.AddScopeResolver("catalog_entry", [&ctx](const Request& req, const std::string& param) {
    auto it = req.params.find(param);
    if (it == req.params.end()) return std::string();
    auto record = ctx.catalog().Get(it->second);
    return record ? record->entry.owner : std::string();
  });

  router.DescribeTag("catalog",
                     "The catalog (danh mục): digital platforms, specialized databases and the "
                     "national databases the province connects to, with their history.");
  const std::string counts = kCountsSchema;
  router.Add(
      "GET", "/api/v1/catalog/summary", "catalog.summary", bind(CatalogSummary),
      {.summary = "The report's figures as of a date, in total, by sector and by owner unit",
       .tag = "catalog",
       .params = {AsOfParam()},
       .response_schema =
           R"({"type":"object","properties":{"as_of":{"type":"string","format":"date"},"total":)" +
           counts + R"(,"by_sector":{"type":"array","items":)" + counts +
           R"(},"by_owner":{"type":"array","items":)" + counts + "}}}",
       .error_statuses = {400},
       .permission = "catalog.read"});
  router.Add(
      "GET", "/api/v1/catalog/summary/series", "catalog.series", bind(Series),
      {.summary = "The total figures at the end of each month",
       .tag = "catalog",
       .params = {{"from", "query", "First month, YYYY-MM; default January two years ago"},
                  {"to", "query", "Last month, YYYY-MM; default this month"}},
       .response_schema =
           R"({"type":"object","properties":{"items":{"type":"array","items":{"type":"object","properties":{"as_of":{"type":"string","format":"date"},"total":)" +
           counts + "}}}}}",
       .error_statuses = {400},
       .permission = "catalog.read"});
  router.Add(
      "GET", "/api/v1/catalog/facets", "catalog.facets", bind(Facets),
      {.summary = "The sectors, owner units and tags in use, for filters",
       .tag = "catalog",
       .response_schema =
           R"({"type":"object","properties":{"sectors":{"type":"array","items":{"type":"string"}},"owners":{"type":"array","items":{"type":"object","properties":{"code":{"type":"string"},"name":{"type":["string","null"]}}}},"tags":{"type":"array","items":{"type":"string"}}}})",
       .permission = "catalog.read"});
  router.Add(
      "GET", "/api/v1/catalog/entries", "catalog.list", bind(ListEntries),
      {.summary = "Entries by code, filtered; q finds words with or without diacritics",
       .tag = "catalog",
       .params = RegisterListParams(
           {{"kind", "query", "platform, database or national"},
            {"status", "query", "planned, under_construction, in_use, not_connected, connected"},
            {"sector", "query", "Exact sector name"},
            {"owner", "query", "Owner unit code"},
            {"tag", "query", "One tag (without diacritics or case)"},
            {"q", "query", "Words in the name, code, sector or tags: 'co so du lieu'"}}),
       .response_schema = RegisterListSchema(RecordSchema(false)),
       .error_statuses = {400},
       .permission = "catalog.read"});
  router.Add("GET", "/api/v1/catalog/entries/{code}", "catalog.get", bind(GetEntry),
             {.summary = "One entry with its full history and the entries linking to it",
              .tag = "catalog",
              .response_schema = RecordSchema(true),
              .error_statuses = {404},
              .permission = "catalog.read"});
  AddWriteRoutes(
      router, "catalog", "entries",
      {.create_summary = "Add an entry",
       .create_description = "Officers add entries owned by their unit; the steward unit's "
                             "officers and administrators any. The rules by status are checked "
                             "(422 with the field in the detail).",
       .create_scope = "body:owner",
       .update_summary = "Replace an entry by a new version",
       .update_description = "The body is the whole entry. Going back (in use to under "
                             "construction, merged to not merged, ...) needs a reason; "
                             "expected_version guards against overwriting someone else's edit.",
       .update_scope = "catalog_entry:code",
       .request_schema = CatalogWriteSchema(),
       .response_schema = RecordSchema(false)},
      bind(CreateEntry), bind(UpdateEntry));
  AddSheetRoutes(
      router, "catalog",
      {.import_summary = "Import entries from CSV or XLSX, all rows or none, with a dry run",
       .import_schema = kCatalogReportSchema,
       .import_description =
           "The body is the file. Every row is checked; if any has an error nothing "
           "is written and the report lists every error by row and column. Officers "
           "import rows of their own unit only.",
       .export_summary = "The catalog as CSV or XLSX, in the import's columns"},
      bind(CatalogImport), bind(CatalogExport));
}

}  // namespace pdh::api
