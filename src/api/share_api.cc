// /api/v1/share (M10): connected systems registered by an administrator, their grants, and the
// reads a system makes under a grant — fields returned, masked or withheld with the reason, each
// exchange on the audit log with its purpose and the digests of the request and the answer.
#include <boost/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "api/api.h"
#include "api/handler_util.h"
#include "audit/audit.h"
#include "core/clock.h"
#include "core/csv.h"
#include "core/json_util.h"
#include "share/share.h"

namespace pdh::api {
namespace json = boost::json;
namespace {

using http::Request;
using http::Response;

constexpr const char* kShareAdmin = "share.admin";
constexpr int64_t kMaxPage = 1000;

std::vector<std::string> Strings(const json::object& o, const char* key) {
  std::vector<std::string> out;
  const auto* v = o.if_contains(key);
  if (v == nullptr) return out;
  if (!v->is_array()) {
    throw Failure(Error::Invalid("share.invalid_client", std::string(key) + " is a list"));
  }
  for (const auto& x : v->as_array()) {
    if (!x.is_string()) {
      throw Failure(
          Error::Invalid("share.invalid_client", std::string(key) + " is a list of text"));
    }
    out.emplace_back(x.as_string());
  }
  return out;
}

std::string Text(const json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : "";
}

Response AddClient(Context& ctx, Request& req) {
  const json::object body = BodyObject(req);
  OnlyFields(body, {"code", "name", "owner_unit", "contact", "account", "ip_allow"});
  share::Client c{Text(body, "code"),        Text(body, "name"),
                  Text(body, "owner_unit"),  Text(body, "contact"),
                  Text(body, "account"),     share::ClientState::kActive,
                  Strings(body, "ip_allow"), FormatTime(ctx.clock().Now()),
                  CallerOf(req).name};
  auto reg = ctx.registry();
  if (!c.owner_unit.empty() && reg->FindAllEras(c.owner_unit).empty()) {
    throw Failure(Error::Invalid("share.invalid_client",
                                 "owner_unit '" + c.owner_unit + "' is no unit's code"));
  }
  share::Service svc(ctx.store().share());
  Must(svc.AddClient(c));
  return Response::Json(share::ToJson(c), 201);
}

Response ListClients(Context& ctx, Request&) {
  share::Service svc(ctx.store().share());
  json::array items;
  for (const auto& c : Must(svc.Clients())) items.push_back(share::ToJson(c));
  return Response::Json(json::object{{"items", std::move(items)}});
}

Response PatchClient(Context& ctx, Request& req) {
  const json::object body = BodyObject(req);
  OnlyFields(body, {"state"});
  const auto state = share::ParseClientState(Text(body, "state"));
  if (!state) {
    throw Failure(Error::Invalid("share.invalid_client", "state is active, suspended or revoked"));
  }
  share::Service svc(ctx.store().share());
  Must(svc.SetState(req.params.at("client"), *state));
  for (const auto& c : Must(svc.Clients())) {
    if (c.code == req.params.at("client")) return Response::Json(share::ToJson(c));
  }
  throw Failure(Error::NotFound("share.client_not_found", "no such connected system"));
}

Response AddGrant(Context& ctx, Request& req) {
  json::object body = BodyObject(req);
  const std::string dataset = Text(body, "dataset");
  if (dataset.empty()) {
    throw Failure(Error::Invalid("share.invalid_grant", "dataset names the dataset granted"));
  }
  body.erase("dataset");
  const auto d = Must(ingest::LoadDataset(ctx.store().datasets(), dataset));
  share::Grant g = Must(share::ParseGrant(body, d));
  g.client = req.params.at("client");
  g.created_at = FormatTime(ctx.clock().Now());
  g.created_by = CallerOf(req).name;
  if (!g.unit.empty() && ctx.registry()->FindAllEras(g.unit).empty()) {
    throw Failure(Error::Invalid("share.invalid_grant", "unit '" + g.unit + "' is no unit's code"));
  }
  share::Service svc(ctx.store().share());
  g.id = Must(svc.AddGrant(g));
  return Response::Json(share::ToJson(g), 201);
}

Response ListGrants(Context& ctx, Request& req) {
  share::Service svc(ctx.store().share());
  json::array items;
  for (const auto& g : Must(svc.Grants(req.params.at("client")))) items.push_back(share::ToJson(g));
  return Response::Json(json::object{{"items", std::move(items)}});
}

Response RevokeGrant(Context& ctx, Request& req) {
  const auto id = ParseCount(req.params.at("id"));
  if (!id) throw Failure(Error::NotFound("share.grant_not_found", "no such grant"));
  share::Service svc(ctx.store().share());
  Must(svc.RevokeGrant(static_cast<int64_t>(*id)));
  return Response::Json(json::object{{"id", static_cast<int64_t>(*id)}, {"revoked", true}});
}

// What the request's digest covers: the method, the path, the query parameters and the
// exchange's headers, one per line, in a fixed order.
std::string RequestBytes(const Request& req) {
  std::string out = req.method + " " + req.path + "\n";
  for (const auto& [k, v] : req.query) {
    out += k;
    out += '=';
    out += v;
    out += '\n';
  }
  for (const char* h : {"x-purpose", "x-case-reference", "x-end-user"}) {
    out += std::string(h) + ": " + std::string(req.Header(h)) + "\n";
  }
  return out;
}

// The last batch of `dataset` created at or before `time` (0 when none): what a read since that
// time comes after.
Result<int64_t> LastBatchAt(Context& ctx, const std::string& dataset, const std::string& time) {
  int64_t before = 0;
  for (;;) {
    auto page = ctx.store().datasets().Batches(dataset, before, 500);
    if (!page) return Fail(page.error());
    if (page->empty()) return int64_t{0};
    for (const auto& b : *page) {
      if (b.created_at <= time) return b.id;
    }
    before = page->back().id;
  }
}

// A connected system reads a dataset's records under its grant.
Response Records(Context& ctx, Request& req) {
  const auth::Principal& p = CallerOf(req);
  share::Service svc(ctx.store().share());
  const auto client = Must(svc.ClientOfAccount(p.name));
  if (!client || p.via != auth::Principal::Via::kToken) {
    throw Failure(Error{"share.not_a_client",
                        "only a connected system reads here, with its token; people use "
                        "/api/v1/datasets/{code}/records",
                        403});
  }
  if (client->state != share::ClientState::kActive) {
    throw Failure(Error{"share.client_" + std::string(share::ClientStateName(client->state)),
                        "connected system '" + client->code + "' is " +
                            std::string(share::ClientStateName(client->state)),
                        403});
  }
  const std::string address = req.remote.substr(0, req.remote.rfind(':'));
  if (!share::AddressAllowed(client->ip_allow, address)) {
    throw Failure(Error{"share.address_not_allowed",
                        "connected system '" + client->code + "' may not call from " + address,
                        403});
  }
  const std::string purpose(req.Header("x-purpose"));
  if (purpose.empty()) {
    throw Failure(Error::BadRequest("share.missing_purpose",
                                    "say why in the X-Purpose header (one of " +
                                        json::serialize(json_util::Strings(share::PurposeCodes())) +
                                        "), with X-Case-Reference for the case or document"));
  }
  const std::string dataset = req.params.at("code");
  const auto grant = Must(svc.GrantFor(client->code, dataset, purpose, false, Date::Today()));
  const auto d = Must(ingest::LoadDataset(ctx.store().datasets(), dataset));
  const share::Projection projection = share::Project(grant, d);

  ingest::RecordFilter f;
  f.limit = kMaxPage;
  if (auto l = TextParam(req, "limit")) {
    const auto n = ParseCount(*l);
    if (!n || *n == 0 || *n > static_cast<uint64_t>(kMaxPage)) {
      throw Failure(Error::BadRequest("request.invalid_limit", "limit is 1 to 1000"));
    }
    f.limit = static_cast<int64_t>(*n);
  }
  if (auto c = TextParam(req, "cursor")) {
    const auto n = ParseCount(*c);
    if (!n)
      throw Failure(Error::BadRequest("request.invalid_cursor", "the cursor is not one of ours"));
    f.offset = static_cast<int64_t>(*n);
  }
  // Incremental: ?since=BATCH (the records written by later batches) or ?since=TIME (by batches
  // after that moment, ISO 8601 UTC).
  if (auto since = TextParam(req, "since")) {
    if (auto id = ParseCount(*since)) {
      f.after_batch = static_cast<int64_t>(*id);
    } else if (since->size() >= 10 && Date::Parse(since->substr(0, 10))) {
      f.after_batch = Must(LastBatchAt(ctx, dataset, *since));
    } else {
      throw Failure(Error::BadRequest("request.invalid_since",
                                      "since is a batch id or a time (2025-11-01T00:00:00Z)"));
    }
  }
  // The rows the grant covers: its unit (and those below it when it says so).
  auto reg = ctx.registry();
  if (!grant.unit.empty()) {
    f.unit = grant.unit;
    if (!grant.descendants) {
      const std::string unit = grant.unit;
      f.may_read = [unit](const units::Unit& u) { return u.code == unit; };
    }
  }
  // And its period, on the dataset's period field.
  for (const auto& field : d.schema.fields) {
    if (!field.period || (!grant.period_from && !grant.period_to)) continue;
    f.ranges.emplace_back(field.name, grant.period_from ? grant.period_from->ToString() : "",
                          grant.period_to ? AddDays(*grant.period_to, 1).ToString() : "");
  }
  const auto list = Must(ingest::QueryRecords(ctx.store().datasets(), *reg, d, f));
  std::vector<json::object> rows;
  rows.reserve(list.items.size());
  for (const auto& r : list.items) rows.push_back(share::Apply(projection, r));
  const int64_t total = list.total;
  const int64_t next = f.offset + static_cast<int64_t>(list.items.size());
  const json::value next_cursor =
      next < total ? json::value(std::to_string(next)) : json::value(nullptr);

  json::object withheld;
  for (const auto& [field, reason] : projection.withheld) withheld[field] = reason;
  json::object masked;
  for (const auto& [field, mask] : projection.masked) masked[field] = mask;
  const std::string format = TextParam(req, "format").value_or("json");
  Response res;
  if (format == "json") {
    json::array items;
    for (auto& r : rows) items.emplace_back(std::move(r));
    res = Response::Json(json::object{{"dataset", dataset},
                                      {"grant", grant.id},
                                      {"purpose", purpose},
                                      {"items", std::move(items)},
                                      {"total", total},
                                      {"next_cursor", next_cursor},
                                      {"returned", json_util::Strings(projection.returned)},
                                      {"masked", std::move(masked)},
                                      {"withheld", std::move(withheld)}});
  } else if (format == "ndjson") {
    std::string out;
    for (const auto& r : rows) out += json::serialize(r) + "\n";
    res.content_type = "application/x-ndjson";
    res.body = std::move(out);
  } else if (format == "csv") {
    std::ostringstream out;
    std::vector<std::string> header;
    for (const auto& field : d.schema.fields) header.push_back(field.name);
    std::vector<std::vector<std::string>> table{header};
    for (const auto& r : rows) {
      std::vector<std::string> cells;
      for (const auto& field : header) {
        const json::value& v = r.at(field);
        cells.push_back(v.is_null()     ? ""
                        : v.is_string() ? std::string(v.as_string())
                        : v.is_object()
                            ? "[withheld: " + std::string(v.at("withheld").as_string()) + "]"
                            : json::serialize(v));
      }
      table.push_back(std::move(cells));
    }
    WriteCsvSheet(out, table);
    res.content_type = "text/csv; charset=utf-8";
    res.body = std::move(out).str();
  } else {
    throw Failure(Error::BadRequest("request.invalid_format", "format is json, ndjson or csv"));
  }
  if (!json::value(next_cursor).is_null()) {
    res.headers.emplace_back("X-Next-Cursor", std::string(next_cursor.as_string()));
  }
  res.headers.emplace_back("X-Withheld-Fields", std::to_string(projection.withheld.size()));

  // The exchange on the record: who, for what, what was returned and withheld, and digests of
  // the request and of the answer.
  audit::Event e;
  e.actor = p.name;
  e.action = "share.read";
  e.target = dataset;
  e.remote = req.remote;
  e.request_id = req.request_id;
  json::array returned = json_util::Strings(projection.returned);
  for (const auto& [field, mask] : projection.masked) {
    std::string masked_field = field;
    masked_field += ':';
    masked_field += mask;
    returned.emplace_back(masked_field);
  }
  json::object withheld_fields;
  for (const auto& [field, reason] : projection.withheld) withheld_fields[field] = reason;
  e.detail = {{"client", client->code},
              {"end_user", std::string(req.Header("x-end-user"))},
              {"purpose", purpose},
              {"case_reference", std::string(req.Header("x-case-reference"))},
              {"grant", grant.id},
              {"fields", std::move(returned)},
              {"withheld", std::move(withheld_fields)},
              {"rows", static_cast<int64_t>(rows.size())},
              {"request_sha256", audit::Sha256Hex(RequestBytes(req))},
              {"response_sha256", audit::Sha256Hex(std::string(res.Body()))}};
  Must(ctx.audit().Append(e));
  return res;
}

}  // namespace

void RegisterShareRoutes(http::Router& router, Context& ctx) {
  auto bind = [&ctx](Response (*fn)(Context&, Request&)) {
    return [&ctx, fn](Request& req) { return fn(ctx, req); };
  };
  router.DescribeTag("share",
                     "Connected systems (hệ thống kết nối), their grants, and what they read "
                     "under them.");
  const std::string object = R"({"type":"object"})";
  router.Add(
      "POST", "/api/v1/share/clients", "share.clients.add", bind(AddClient),
      {.summary = "Register a connected system: code, name, owner unit, contact, the "
                  "system account whose tokens it uses, optional address allow-list",
       .tag = "share",
       .request_schema =
           R"({"type":"object","required":["code","name","owner_unit","contact","account"],"properties":{"code":{"type":"string"},"name":{"type":"string"},"owner_unit":{"type":"string"},"contact":{"type":"string"},"account":{"type":"string"},"ip_allow":{"type":"array","items":{"type":"string"}}}})",
       .response_schema = object,
       .success_status = 201,
       .error_statuses = {400, 409, 415, 422},
       .permission = kShareAdmin});
  router.Add(
      "GET", "/api/v1/share/clients", "share.clients.list", bind(ListClients),
      {.summary = "The connected systems",
       .tag = "share",
       .response_schema =
           R"({"type":"object","properties":{"items":{"type":"array","items":{"type":"object"}}}})",
       .permission = kShareAdmin});
  router.Add(
      "PATCH", "/api/v1/share/clients/{client}", "share.clients.state", bind(PatchClient),
      {.summary = "Suspend, revoke or reactivate a connected system",
       .tag = "share",
       .request_schema =
           R"({"type":"object","required":["state"],"properties":{"state":{"type":"string","enum":["active","suspended","revoked"]}}})",
       .response_schema = object,
       .error_statuses = {400, 404, 415, 422},
       .permission = kShareAdmin});
  router.Add(
      "POST", "/api/v1/share/clients/{client}/grants", "share.grants.add", bind(AddGrant),
      {.summary = "Grant a connected system a dataset: fields, masks (last4, birth_year, "
                  "initials), unit and period, purposes and legal basis, read or write, expiry",
       .tag = "share",
       .request_schema =
           R"({"type":"object","required":["dataset","purposes","legal_basis"],"properties":{"dataset":{"type":"string"},"fields":{"type":"array","items":{"type":"string"}},"masks":{"type":"object"},"unit":{"type":["string","null"]},"descendants":{"type":"boolean"},"period_from":{"type":["string","null"]},"period_to":{"type":["string","null"]},"purposes":{"type":"array","items":{"type":"string"}},"legal_basis":{"type":"string"},"access":{"type":"string","enum":["read","write"]},"expires":{"type":["string","null"]}}})",
       .response_schema = object,
       .success_status = 201,
       .error_statuses = {400, 404, 415, 422},
       .permission = kShareAdmin});
  router.Add(
      "GET", "/api/v1/share/clients/{client}/grants", "share.grants.list", bind(ListGrants),
      {.summary = "A connected system's grants, revoked ones included",
       .tag = "share",
       .response_schema =
           R"({"type":"object","properties":{"items":{"type":"array","items":{"type":"object"}}}})",
       .permission = kShareAdmin});
  router.Add("DELETE", "/api/v1/share/grants/{id}", "share.grants.revoke", bind(RevokeGrant),
             {.summary = "Revoke a grant",
              .tag = "share",
              .response_schema = object,
              .error_statuses = {404},
              .permission = kShareAdmin});
  router.Add(
      "GET", "/api/v1/share/datasets/{code}/records", "share.records", bind(Records),
      {.summary = "A connected system reads a dataset under its grant: X-Purpose (required), "
                  "X-Case-Reference and X-End-User headers; fields not granted come back as "
                  "{\"withheld\": reason}; paged by cursor; JSON, NDJSON or CSV",
       .tag = "share",
       .params = {{"limit", "query", "at most this many rows (1000)"},
                  {"since", "query",
                   "only the records written after this batch id, or after this time (ISO 8601)"},
                  {"cursor", "query", "the next_cursor of the previous page"},
                  {"format", "query", "json (default), ndjson or csv", false,
                   R"({"type":"string","enum":["json","ndjson","csv"]})"}},
       .response_schema = object,
       .error_statuses = {400, 403, 404},
       .permission = "authenticated"});
}

}  // namespace pdh::api
