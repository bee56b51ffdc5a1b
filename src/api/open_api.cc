// Open data (M10): what stewards publish — a dataset's records (never a personal field), its
// counts per unit and month with small counts suppressed, or the index set's values — and the
// ways anyone reads it without signing in: the portal's API and downloads (CSV, XLSX, JSON, a
// Frictionless Data Package), a DCAT-AP 3 catalogue (Turtle, JSON-LD) for harvesters, and
// CKAN's Action API for the tools that speak it.
#include <algorithm>
#include <boost/json.hpp>
#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "api/api.h"
#include "api/handler_util.h"
#include "core/clock.h"
#include "core/json_util.h"
#include "core/text.h"
#include "engine/engine.h"
#include "share/share.h"

namespace pdh::api {
namespace json = boost::json;
namespace {

using http::Request;
using http::Response;

constexpr const char* kPublish = "datasets.write";
constexpr int64_t kPreviewRows = 20;
constexpr int64_t kPage = 1000;

// Where the portal is: the setting open.base_url, else the address the request came to.
share::Site SiteOf(Context& ctx, const Request& req) {
  const std::string host(req.Header("host"));
  return share::SiteOf(
      ctx.store(), *ctx.registry(), ctx.home_province(),
      std::string(req.tls ? "https://" : "http://") + (host.empty() ? "127.0.0.1" : host));
}

// The publication's organization and the time its data last changed.
void Complete(Context& ctx, share::OpenDataset& d) {
  share::Complete(d, ctx.store().datasets(), *ctx.registry(), ctx.home_province());
}

std::vector<share::OpenDataset> Published(Context& ctx) {
  share::Service svc(ctx.store().share());
  auto all = Must(svc.Published());
  for (auto& d : all) Complete(ctx, d);
  return all;
}

share::OpenDataset FindOpen(Context& ctx, const std::string& id) {
  share::Service svc(ctx.store().share());
  auto d = Must(svc.FindPublished(id));
  if (!d) {
    throw Failure(Error::NotFound("open.not_found", "nothing is published as '" + id + "'"));
  }
  Complete(ctx, *d);
  return std::move(*d);
}

// A value as machines read it: a dot for decimals, no grouping.
std::string Figure(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

// The field of a dataset that holds each record's unit ("" when none).
std::string UnitField(const ingest::Dataset& d) {
  for (const auto& f : d.schema.fields) {
    if (f.unit) return f.name;
  }
  return "";
}

// Every record of `d`, its cells as text in the schema's order.
void EachRecord(Context& ctx, const ingest::Dataset& d,
                const std::function<void(const std::vector<std::string>&)>& fn) {
  Must(ingest::ForEachRecordText(ctx.store().datasets(), d,
                                 [&fn](const std::vector<std::string>& cells) {
                                   fn(cells);
                                   return Ok();
                                 }));
}

// The index of `field` in the schema (npos when absent).
size_t FieldIndex(const ingest::Dataset& d, const std::string& field) {
  for (size_t i = 0; i < d.schema.fields.size(); ++i) {
    if (d.schema.fields[i].name == field) return i;
  }
  return std::string::npos;
}

std::string UnitName(const units::Registry& reg, const std::string& code) {
  const auto* u = reg.Find(code, Date::Today());
  if (u != nullptr) return u->name;
  const auto eras = reg.FindAllEras(code);
  return eras.empty() ? code : eras.back()->name;
}

// The columns a publication offers (without reading its rows, where that can be avoided).
std::vector<share::OpenColumn> ValueColumns() {
  return {{"indicator", "Mã chỉ tiêu", "Indicator code", "string"},
          {"indicator_name", "Chỉ tiêu", "Indicator", "string"},
          {"unit", "Mã đơn vị", "Unit code", "string"},
          {"unit_name", "Đơn vị", "Unit", "string"},
          {"period", "Kỳ", "Period", "string"},
          {"value", "Giá trị", "Value", "number"},
          {"measure", "Đơn vị tính", "Measure", "string"}};
}

share::OpenTable TableOf(Context& ctx, const share::OpenDataset& d, int64_t max_rows = -1) {
  share::OpenTable t;
  auto reg = ctx.registry();
  if (d.kind == share::OpenKind::kValues) {
    t.columns = ValueColumns();
    const auto snap = ctx.engine().snapshot();
    const std::set<std::string> only(d.indicators.begin(), d.indicators.end());
    std::vector<std::vector<std::string>> rows;
    snap.ForEachValue(
        [&](const engine::Indicator& i, const units::Unit& u, const engine::Period& p, double v) {
          if (p.kind == engine::PeriodKind::kYtd) return;
          if (!only.empty() && !only.contains(i.code)) return;
          rows.push_back({i.code, i.name, u.code, u.name, p.Id(), Figure(v), i.measure});
        });
    std::sort(rows.begin(), rows.end());
    if (max_rows >= 0 && static_cast<int64_t>(rows.size()) > max_rows) rows.resize(max_rows);
    t.rows = std::move(rows);
    return t;
  }
  const auto ds = Must(ingest::LoadDataset(ctx.store().datasets(), d.source));
  if (d.kind == share::OpenKind::kRecords) {
    t.columns = share::RecordColumns(ds);
    if (max_rows >= 0) {
      ingest::RecordFilter f;
      f.limit = max_rows;
      for (const auto& r : Must(ingest::QueryRecords(ctx.store().datasets(), *reg, ds, f)).items) {
        t.rows.push_back(share::RecordCells(t.columns, r));
      }
      return t;
    }
    std::vector<size_t> keep;
    for (const auto& c : t.columns) keep.push_back(FieldIndex(ds, c.name));
    EachRecord(ctx, ds, [&](const std::vector<std::string>& cells) {
      std::vector<std::string> row;
      row.reserve(keep.size());
      for (size_t i : keep) row.push_back(i < cells.size() ? cells[i] : std::string());
      t.rows.push_back(std::move(row));
    });
    return t;
  }
  const std::string unit_field = UnitField(ds);
  const std::string month_field = share::MonthField(ds);
  std::map<share::CountKey, int64_t> counts;
  const size_t unit_at = FieldIndex(ds, unit_field);
  const size_t month_at = FieldIndex(ds, month_field);
  EachRecord(ctx, ds, [&](const std::vector<std::string>& cells) {
    auto cell = [&cells](size_t i) { return i < cells.size() ? cells[i] : std::string(); };
    ++counts[{cell(unit_at), cell(month_at).substr(0, 7)}];
  });
  t = share::AggregateTable(counts, d.k,
                            [&reg](const std::string& code) { return UnitName(*reg, code); });
  if (max_rows >= 0 && static_cast<int64_t>(t.rows.size()) > max_rows) t.rows.resize(max_rows);
  return t;
}

// A publication's whole table, made once per change of its data: the downloads and a CKAN
// client paging through datastore_search read the same table until a batch (or, for values,
// the engine) changes it.
std::shared_ptr<const share::OpenTable> WholeTable(Context& ctx, const share::OpenDataset& d) {
  static std::mutex mu;
  static std::map<std::string, std::pair<std::string, std::shared_ptr<const share::OpenTable>>>
      tables;
  // Per server context (a process may hold several, as tests do) and publication.
  const std::string key = std::to_string(reinterpret_cast<std::uintptr_t>(&ctx)) + "|" + d.id;
  const std::string version =
      d.modified + "|" +
      (d.kind == share::OpenKind::kValues
           ? std::to_string(ctx.engine().snapshot().version())
           : std::to_string(Must(ctx.store().datasets().LastCommittedBatch())));
  {
    std::lock_guard lock(mu);
    auto it = tables.find(key);
    if (it != tables.end() && it->second.first == version) return it->second.second;
  }
  auto table = std::make_shared<const share::OpenTable>(TableOf(ctx, d));
  std::lock_guard lock(mu);
  tables[key] = {version, table};
  return table;
}

std::vector<share::OpenColumn> ColumnsOf(Context& ctx, const share::OpenDataset& d) {
  if (d.kind == share::OpenKind::kValues) return ValueColumns();
  if (d.kind == share::OpenKind::kAggregate) {
    return share::AggregateTable({}, d.k, [](const std::string& c) { return c; }).columns;
  }
  return share::RecordColumns(Must(ingest::LoadDataset(ctx.store().datasets(), d.source)));
}

json::array Resources(const share::Site& site, const share::OpenDataset& d) {
  const std::string base = site.base_url + "/api/v1/open/datasets/" + d.id;
  return json::array{
      json::object{{"format", "CSV"}, {"url", base + "/data.csv"}, {"media_type", "text/csv"}},
      json::object{{"format", "XLSX"}, {"url", base + "/data.xlsx"}, {"media_type", kXlsxType}},
      json::object{
          {"format", "JSON"}, {"url", base + "/data.json"}, {"media_type", "application/json"}},
      json::object{{"format", "datapackage"},
                   {"url", base + "/datapackage.json"},
                   {"media_type", "application/json"}}};
}

json::object Summary(const share::Site& site, const share::OpenDataset& d) {
  json::object o = share::ToJson(d);
  o["resources"] = Resources(site, d);
  return o;
}

// --- The portal's API -----------------------------------------------------------------------

Response Licences(Context&, Request&) {
  json::array items;
  for (const auto& l : share::Licences()) {
    items.push_back(json::object{{"code", l.code}, {"title", l.title}, {"url", l.url}});
  }
  return Response::Json(json::object{{"items", std::move(items)}});
}

bool Matches(const share::OpenDataset& d, const std::string& q) {
  if (q.empty()) return true;
  std::string all = d.id + " " + d.title + " " + d.title_en + " " + d.description + " " +
                    d.description_en + " " + d.organization_name;
  for (const auto& k : d.keywords) all += " " + k;
  const std::string hay = text::Fold(all);
  std::istringstream words(text::Fold(q));
  std::string w;
  while (words >> w) {
    if (hay.find(w) == std::string::npos) return false;
  }
  return true;
}

Response ListOpen(Context& ctx, Request& req) {
  const share::Site site = SiteOf(ctx, req);
  const std::string q = TextParam(req, "q").value_or("");
  json::array items;
  for (const auto& d : Published(ctx)) {
    if (Matches(d, q)) items.push_back(Summary(site, d));
  }
  return Response::Json(json::object{{"items", std::move(items)}});
}

Response GetOpen(Context& ctx, Request& req) {
  const share::Site site = SiteOf(ctx, req);
  const share::OpenDataset d = FindOpen(ctx, req.params.at("id"));
  const share::OpenTable preview = TableOf(ctx, d, kPreviewRows);
  json::object o = Summary(site, d);
  json::array fields;
  for (const auto& c : preview.columns) {
    fields.push_back(json::object{
        {"name", c.name}, {"title", c.title}, {"title_en", c.title_en}, {"type", c.type}});
  }
  json::array rows;
  for (const auto& r : preview.rows) {
    json::object row;
    for (size_t i = 0; i < preview.columns.size() && i < r.size(); ++i) {
      row[preview.columns[i].name] = r[i];
    }
    rows.push_back(std::move(row));
  }
  o["preview"] = json::object{{"fields", std::move(fields)}, {"rows", std::move(rows)}};
  return Response::Json(o);
}

Response Download(Context& ctx, Request& req) {
  const share::Site site = SiteOf(ctx, req);
  const share::OpenDataset d = FindOpen(ctx, req.params.at("id"));
  const std::string file = req.params.at("file");
  Response res;
  if (file == "datapackage.json") {
    return Response::Json(share::DataPackage(site, d, ColumnsOf(ctx, d)));
  }
  const auto whole = WholeTable(ctx, d);
  const share::OpenTable& t = *whole;
  if (file == "data.csv") {
    res.content_type = "text/csv; charset=utf-8";
    res.body = share::TableCsv(t);
  } else if (file == "data.json") {
    res.content_type = "application/json";
    res.body = share::TableJson(t);
  } else if (file == "data.xlsx") {
    res.content_type = kXlsxType;
    res.body = share::TableXlsx(t, d.title);
  } else {
    throw Failure(Error::NotFound("open.not_found",
                                  "a publication offers data.csv, data.xlsx, data.json and "
                                  "datapackage.json"));
  }
  res.headers.emplace_back("Content-Disposition",
                           "attachment; filename=\"" + d.id + file.substr(4) + "\"");
  return res;
}

Response PutOpen(Context& ctx, Request& req) {
  const std::string id = req.params.at("id");
  share::OpenDataset d = Must(share::ParseOpenDataset(id, json::value(BodyObject(req))));
  if (d.kind != share::OpenKind::kValues) {
    Must(ingest::LoadDataset(ctx.store().datasets(), d.source));
  } else {
    const auto snap = ctx.engine().snapshot();
    for (const auto& code : d.indicators) {
      const auto& inds = snap.set().indicators;
      if (std::none_of(inds.begin(), inds.end(),
                       [&](const engine::Indicator& i) { return i.code == code; })) {
        throw Failure(Error::Invalid("open.invalid", "indicator '" + code +
                                                         "' is not in the "
                                                         "index set"));
      }
    }
  }
  share::Service svc(ctx.store().share());
  const auto existing = Must(svc.FindPublished(id));
  const std::string now = FormatTime(ctx.clock().Now());
  d.issued = existing ? existing->issued : now;
  d.modified = now;
  d.published_by = CallerOf(req).name;
  Must(svc.Publish(d));
  Complete(ctx, d);
  return Response::Json(Summary(SiteOf(ctx, req), d), existing ? 200 : 201);
}

Response DeleteOpen(Context& ctx, Request& req) {
  share::Service svc(ctx.store().share());
  Must(svc.Unpublish(req.params.at("id")));
  return Response::Json(json::object{{"id", req.params.at("id")}, {"published", false}});
}

// --- DCAT-AP ------------------------------------------------------------------------------

// A page of the catalogue: ?page (from 1), ?modified_since (ISO date or time).
share::CatalogPage CataloguePage(Context& ctx, Request& req, const share::Site& site,
                                 const std::string& path) {
  auto all = Published(ctx);
  if (auto since = TextParam(req, "modified_since")) {
    if (since->size() < 10 || !Date::Parse(since->substr(0, 10))) {
      throw Failure(Error::BadRequest("request.invalid_modified_since",
                                      "modified_since is a date or time (2025-10-01)"));
    }
    std::erase_if(all, [&](const share::OpenDataset& d) { return d.modified < *since; });
  }
  const int64_t per_page = static_cast<int64_t>(ParseLimit(req, 100, 1000));
  int64_t page = 1;
  if (auto p = TextParam(req, "page")) {
    const auto n = ParseCount(*p);
    if (!n || *n == 0)
      throw Failure(Error::BadRequest("request.invalid_page", "page is 1 or more"));
    page = static_cast<int64_t>(*n);
  }
  share::CatalogPage out;
  out.total = static_cast<int64_t>(all.size());
  const int64_t first = (page - 1) * per_page;
  for (int64_t i = first; i < out.total && i < first + per_page; ++i) {
    out.datasets.push_back(all[static_cast<size_t>(i)]);
  }
  auto url = [&](int64_t n) {
    std::string u = site.base_url + path + "?page=" + std::to_string(n);
    if (auto l = TextParam(req, "limit")) u += "&limit=" + *l;
    if (auto s = TextParam(req, "modified_since")) u += "&modified_since=" + *s;
    return u;
  };
  out.this_page = url(page);
  if (first + per_page < out.total) out.next_page = url(page + 1);
  return out;
}

Response CatalogTtl(Context& ctx, Request& req) {
  const share::Site site = SiteOf(ctx, req);
  Response res;
  res.content_type = "text/turtle; charset=utf-8";
  res.body = share::CatalogTurtle(site, CataloguePage(ctx, req, site, "/catalog.ttl"));
  return res;
}

Response CatalogJsonLd(Context& ctx, Request& req) {
  const share::Site site = SiteOf(ctx, req);
  Response res =
      Response::Json(share::CatalogJsonLd(site, CataloguePage(ctx, req, site, "/catalog.jsonld")));
  res.content_type = "application/ld+json";
  return res;
}

Response DatasetRdf(Context& ctx, Request& req) {
  const share::Site site = SiteOf(ctx, req);
  const std::string file = req.params.at("file");
  if (!file.ends_with(".ttl")) {
    throw Failure(Error::NotFound("open.not_found", "a dataset's description is <id>.ttl"));
  }
  const share::OpenDataset d = FindOpen(ctx, file.substr(0, file.size() - 4));
  Response res;
  res.content_type = "text/turtle; charset=utf-8";
  res.body = share::DatasetTurtle(site, d);
  return res;
}

// --- CKAN's Action API ----------------------------------------------------------------------

// An action's parameters: the query, or a JSON body's members (objects and lists as JSON text).
std::map<std::string, std::string> CkanParams(const Request& req) {
  std::map<std::string, std::string> out(req.query.begin(), req.query.end());
  if (req.method != "POST" || req.body.empty()) return out;
  boost::system::error_code ec;
  const json::value v = json::parse(req.body, ec);
  if (ec || !v.is_object()) return out;
  for (const auto& [k, x] : v.as_object()) {
    out[std::string(k)] = x.is_string() ? std::string(x.as_string()) : json::serialize(x);
  }
  return out;
}

Response CkanAnswer(std::string body, int status) {
  Response res;
  res.status = status;
  res.content_type = "application/json;charset=utf-8";
  res.body = std::move(body);
  return res;
}

Response Ckan(Context& ctx, Request& req) {
  const share::Site site = SiteOf(ctx, req);
  const std::string action = req.params.at("action");
  const auto params = CkanParams(req);
  auto param = [&params](const std::string& k) {
    auto it = params.find(k);
    return it == params.end() ? std::string() : it->second;
  };
  auto not_found = [&](const std::string& what) {
    return CkanAnswer(share::CkanError(site, action, "Not Found Error",
                                       json::object{{"message", "Not found: " + what}}),
                      404);
  };
  // CKAN names the parameter at fault: {"rows": ["Invalid integer"]}; the messages here read
  // "rows: Invalid integer".
  auto invalid = [&](const Error& e) {
    const size_t colon = e.message.find(": ");
    const std::string key = colon == std::string::npos ? "message" : e.message.substr(0, colon);
    const std::string what = colon == std::string::npos ? e.message : e.message.substr(colon + 2);
    return CkanAnswer(share::CkanError(site, action, "Validation Error",
                                       json::object{{key, json::array{json::value(what)}}}),
                      409);
  };
  auto ok = [&](json::value result) {
    return CkanAnswer(share::CkanSuccess(site, action, std::move(result)), 200);
  };
  const auto all = Published(ctx);
  auto find = [&all](const std::string& id) -> const share::OpenDataset* {
    for (const auto& d : all) {
      if (d.id == id) return &d;
    }
    return nullptr;
  };
  if (action == "package_list") {
    json::array names;
    for (const auto& d : all) names.emplace_back(d.id);
    return ok(std::move(names));
  }
  if (action == "package_show") {
    const auto* d = find(param("id"));
    if (d == nullptr) return not_found("package '" + param("id") + "'");
    return ok(share::CkanPackage(site, *d, ColumnsOf(ctx, *d)));
  }
  if (action == "package_search") {
    auto s = share::ParsePackageSearch(params);
    if (!s) return invalid(s.error());
    return ok(share::SearchPackages(
        site, *s, all, [&ctx](const share::OpenDataset& d) { return ColumnsOf(ctx, d); }));
  }
  // Organizations: the units that publish.
  std::map<std::string, std::pair<std::string, int64_t>> orgs;
  for (const auto& d : all) {
    auto& o = orgs[d.organization];
    o.first = d.organization_name;
    ++o.second;
  }
  if (action == "organization_list") {
    const bool full = param("all_fields") == "true" || param("all_fields") == "True";
    json::array items;
    for (const auto& [code, o] : orgs) {
      if (full) {
        items.push_back(share::CkanOrganization(site, code, o.first, o.second));
      } else {
        items.emplace_back(code);
      }
    }
    return ok(std::move(items));
  }
  if (action == "organization_show") {
    auto it = orgs.find(param("id"));
    if (it == orgs.end()) return not_found("organization '" + param("id") + "'");
    json::object o = share::CkanOrganization(site, it->first, it->second.first, it->second.second);
    if (param("include_datasets") == "true" || param("include_datasets") == "True") {
      json::array packages;
      for (const auto& d : all) {
        if (d.organization == it->first) {
          packages.push_back(share::CkanPackage(site, d, ColumnsOf(ctx, d)));
        }
      }
      o["packages"] = std::move(packages);
    }
    return ok(std::move(o));
  }
  if (action == "datastore_search") {
    const std::string resource = param("resource_id");
    const auto* d = find(resource);
    if (d == nullptr) return not_found("resource '" + resource + "'");
    auto result = share::DatastoreSearch(resource, *WholeTable(ctx, *d), params);
    if (!result) return invalid(result.error());
    return ok(std::move(*result));
  }
  if (action == "status_show") {
    return ok(json::object{{"site_title", site.title},
                           {"site_url", site.base_url},
                           {"site_description", site.description},
                           {"ckan_version", "2.10.0"},
                           {"locale_default", "vi"},
                           {"extensions", json::array{"datastore", "dcat"}}});
  }
  return CkanAnswer(share::CkanError(site, action, "Bad request - Action name not known",
                                     json::object{{"message", "Action name not known: " + action}}),
                    400);
}

}  // namespace

void RegisterOpenRoutes(http::Router& router, Context& ctx) {
  auto bind = [&ctx](Response (*fn)(Context&, Request&)) {
    return [&ctx, fn](Request& req) { return fn(ctx, req); };
  };
  router.DescribeTag("open",
                     "Open data (dữ liệu mở): what stewards publish, read by anyone without "
                     "signing in — the portal's API, downloads, DCAT-AP and CKAN's Action API.");
  const std::string object = R"({"type":"object"})";
  const std::string items =
      R"({"type":"object","properties":{"items":{"type":"array","items":{"type":"object"}}}})";
  router.Add("GET", "/api/v1/open/licences", "open.licences", bind(Licences),
             {.summary = "The licences open data may be published under",
              .tag = "open",
              .response_schema = items,
              .permission = "public"});
  router.Add("GET", "/api/v1/open/datasets", "open.list", bind(ListOpen),
             {.summary = "The open datasets, searched without diacritics (q)",
              .tag = "open",
              .params = {{"q", "query", "words all found in title, description or keywords"}},
              .response_schema = items,
              .permission = "public"});
  router.Add("GET", "/api/v1/open/datasets/{id}", "open.get", bind(GetOpen),
             {.summary = "An open dataset: its description, licence, downloads and first rows",
              .tag = "open",
              .response_schema = object,
              .error_statuses = {404},
              .permission = "public"});
  router.Add("GET", "/api/v1/open/datasets/{id}/{file}", "open.download", bind(Download),
             {.summary = "An open dataset's data.csv, data.xlsx, data.json or datapackage.json",
              .tag = "open",
              .error_statuses = {404},
              .response_content_type = "text/csv",
              .permission = "public"});
  router.Add(
      "PUT", "/api/v1/open/datasets/{id}", "open.publish", bind(PutOpen),
      {.summary = "Publish as open data (or change a publication): a dataset's records, its "
                  "counts per unit and month (counts below k suppressed), or indicator values",
       .tag = "open",
       .request_schema =
           R"({"type":"object","required":["kind","title","description"],"properties":{"kind":{"type":"string","enum":["records","aggregate","values"]},"source":{"type":"string"},"indicators":{"type":"array","items":{"type":"string"}},"title":{"type":"string"},"title_en":{"type":"string"},"description":{"type":"string"},"description_en":{"type":"string"},"keywords":{"type":"array","items":{"type":"string"}},"licence":{"type":"string"},"k":{"type":"integer"}}})",
       .response_schema = object,
       .error_statuses = {400, 404, 415, 422},
       .permission = kPublish,
       .stewarded = true});
  router.Add("DELETE", "/api/v1/open/datasets/{id}", "open.unpublish", bind(DeleteOpen),
             {.summary = "Stop publishing an open dataset",
              .tag = "open",
              .response_schema = object,
              .error_statuses = {404},
              .permission = kPublish,
              .stewarded = true});
  const std::vector<http::ParamDoc> paging = {
      {"page", "query", "the page, from 1"},
      {"limit", "query", "datasets per page (100, at most 1000)"},
      {"modified_since", "query", "only datasets changed since this date or time"}};
  router.Add("GET", "/catalog.ttl", "open.catalog_ttl", bind(CatalogTtl),
             {.summary = "The DCAT-AP 3 catalogue of the open datasets, in Turtle",
              .tag = "open",
              .params = paging,
              .error_statuses = {400},
              .response_content_type = "text/turtle",
              .permission = "public"});
  router.Add("GET", "/catalog.jsonld", "open.catalog_jsonld", bind(CatalogJsonLd),
             {.summary = "The DCAT-AP 3 catalogue of the open datasets, in JSON-LD",
              .tag = "open",
              .params = paging,
              .response_schema = object,
              .error_statuses = {400},
              .permission = "public"});
  router.Add("GET", "/dataset/{file}", "open.dataset_ttl", bind(DatasetRdf),
             {.summary = "One open dataset's DCAT-AP description: /dataset/{id}.ttl",
              .tag = "open",
              .error_statuses = {404},
              .response_content_type = "text/turtle",
              .permission = "public"});
  for (const char* method : {"GET", "POST"}) {
    router.Add(method, "/api/3/action/{action}",
               std::string("open.ckan_") + (method[0] == 'G' ? "get" : "post"), bind(Ckan),
               {.summary = "CKAN's Action API: package_list, package_show, package_search, "
                           "organization_list, organization_show, datastore_search, status_show",
                .tag = "open",
                .response_schema = object,
                .error_statuses = {400, 404, 409},
                .permission = "public"});
  }
}

}  // namespace pdh::api
