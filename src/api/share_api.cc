// /api/v1/share (M10): connected systems registered by an administrator, their grants, and the
// reads a system makes under a grant — fields returned, masked or withheld with the reason, each
// exchange on the audit log with its purpose and the digests of the request and the answer.
#include <algorithm>
#include <boost/json.hpp>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "api/api.h"
#include "api/handler_util.h"
#include "api/share_call.h"
#include "audit/audit.h"
#include "core/clock.h"
#include "core/csv.h"
#include "core/json_util.h"
#include "engine/engine.h"
#include "notify/notify.h"
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
  OnlyFields(body, {"code", "name", "owner_unit", "contact", "account", "ip_allow", "cert_sha256"});
  share::Client c{Text(body, "code"),        Text(body, "name"),
                  Text(body, "owner_unit"),  Text(body, "contact"),
                  Text(body, "account"),     share::ClientState::kActive,
                  Strings(body, "ip_allow"), FormatTime(ctx.clock().Now()),
                  CallerOf(req).name,        Text(body, "cert_sha256")};
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
  OnlyFields(body, {"state", "cert_sha256"});
  share::Service svc(ctx.store().share());
  if (body.contains("state")) {
    const auto state = share::ParseClientState(Text(body, "state"));
    if (!state) {
      throw Failure(
          Error::Invalid("share.invalid_client", "state is active, suspended or revoked"));
    }
    Must(svc.SetState(req.params.at("client"), *state));
  }
  if (body.contains("cert_sha256")) {
    Must(svc.SetCertificate(req.params.at("client"), Text(body, "cert_sha256")));
  }
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
  const auto d = dataset == share::kIndicatorSet
                     ? share::IndicatorSetDataset()
                     : Must(ingest::LoadDataset(ctx.store().datasets(), dataset));
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

}  // namespace

ClientCall RequireClient(Context& ctx, const Request& req, const std::string& dataset, bool write) {
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
  // Mutual TLS: a system whose certificate is on record calls with it.
  if (!client->cert_sha256.empty() && req.client_cert_sha256 != client->cert_sha256) {
    throw Failure(Error{"share.certificate_required",
                        "connected system '" + client->code +
                            "' calls over TLS with its client certificate (the one whose SHA-256 "
                            "is on record)",
                        403});
  }
  std::string purpose(req.Header("x-purpose"));
  if (purpose.empty()) {
    throw Failure(Error::BadRequest("share.missing_purpose",
                                    "say why in the X-Purpose header (one of " +
                                        json::serialize(json_util::Strings(share::PurposeCodes())) +
                                        "), with X-Case-Reference for the case or document"));
  }
  auto grant = Must(svc.GrantFor(client->code, dataset, purpose, write, Date::Today()));
  return {*client, std::move(grant), std::move(purpose)};
}

std::optional<ClientCall> ClientOf(Context& ctx, const Request& req, const std::string& dataset,
                                   bool write) {
  const auth::Principal& p = CallerOf(req);
  if (p.via != auth::Principal::Via::kToken) return std::nullopt;
  share::Service svc(ctx.store().share());
  if (!Must(svc.ClientOfAccount(p.name))) return std::nullopt;
  return RequireClient(ctx, req, dataset, write);
}

void AuditExchange(Context& ctx, const Request& req, const ClientCall& call,
                   const std::string& action, const std::string& dataset,
                   const json::object& detail, std::string_view response) {
  audit::Event e;
  e.actor = CallerOf(req).name;
  e.action = action;
  e.target = dataset;
  e.remote = req.remote;
  e.request_id = req.request_id;
  json::object d{
      {"client", call.client.code}, {"end_user", std::string(req.Header("x-end-user"))},
      {"purpose", call.purpose},    {"case_reference", std::string(req.Header("x-case-reference"))},
      {"grant", call.grant.id},     {"unit", call.grant.unit}};
  for (const auto& [k, v] : detail) d[k] = v;
  d["request_sha256"] = audit::Sha256Hex(RequestBytes(req));
  d["response_sha256"] = audit::Sha256Hex(response);
  e.detail = std::move(d);
  Must(ctx.audit().Append(e));
}

namespace {

// A connected system reads a dataset's records under its grant.
Response GrantedRecords(Context& ctx, Request& req) {
  const std::string dataset = req.params.at("code");
  const ClientCall call = RequireClient(ctx, req, dataset, false);
  const share::Grant& grant = call.grant;
  const std::string& purpose = call.purpose;
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
  json::array returned = json_util::Strings(projection.returned);
  for (const auto& [field, mask] : projection.masked) {
    std::string masked_field = field;
    masked_field += ':';
    masked_field += mask;
    returned.emplace_back(masked_field);
  }
  json::object withheld_fields;
  for (const auto& [field, reason] : projection.withheld) withheld_fields[field] = reason;
  AuditExchange(ctx, req, call, "share.read", dataset,
                {{"fields", std::move(returned)},
                 {"withheld", std::move(withheld_fields)},
                 {"rows", static_cast<int64_t>(rows.size())}},
                res.Body());
  return res;
}

Response Purposes(Context&, Request&) {
  static const std::map<std::string, std::pair<std::string, std::string>> kTitles = {
      {"administrative_procedure", {"Giải quyết thủ tục hành chính", "Administrative procedure"}},
      {"public_service", {"Cung cấp dịch vụ công", "Public service"}},
      {"statistics", {"Thống kê, báo cáo", "Statistics and reporting"}},
      {"inspection", {"Thanh tra, kiểm tra", "Inspection"}},
      {"planning", {"Xây dựng chính sách, quy hoạch", "Policy and planning"}},
      {"research", {"Nghiên cứu", "Research"}},
      {"open_data", {"Công bố dữ liệu mở", "Open data"}}};
  json::array items;
  for (const auto& code : share::PurposeCodes()) {
    auto it = kTitles.find(code);
    items.push_back(json::object{{"code", code},
                                 {"title", it != kTitles.end() ? it->second.first : code},
                                 {"title_en", it != kTitles.end() ? it->second.second : code}});
  }
  return Response::Json(json::object{{"items", std::move(items)}});
}

Response AddSubscription(Context& ctx, Request& req) {
  const json::object body = BodyObject(req);
  OnlyFields(body, {"dataset", "url"});
  share::Subscription sub;
  sub.client = req.params.at("client");
  sub.dataset = Text(body, "dataset");
  sub.url = Text(body, "url");
  Must(ingest::LoadDataset(ctx.store().datasets(), sub.dataset));
  sub.created_at = FormatTime(ctx.clock().Now());
  sub.created_by = CallerOf(req).name;
  share::Service svc(ctx.store().share());
  auto [made, secret] = Must(svc.Subscribe(sub));
  json::object o = share::ToJson(made);
  o["secret"] = secret;
  return Response::Json(o, 201);
}

Response ListSubscriptions(Context& ctx, Request& req) {
  share::Service svc(ctx.store().share());
  json::array items;
  for (const auto& x : Must(svc.Subscriptions(req.params.at("client")))) {
    items.push_back(share::ToJson(x));
  }
  return Response::Json(json::object{{"items", std::move(items)}});
}

Response EndSubscription(Context& ctx, Request& req) {
  const auto id = ParseCount(req.params.at("id"));
  if (!id) throw Failure(Error::NotFound("share.subscription_not_found", "no such subscription"));
  share::Service svc(ctx.store().share());
  Must(svc.EndSubscription(static_cast<int64_t>(*id)));
  return Response::Json(json::object{{"id", static_cast<int64_t>(*id)}, {"active", false}});
}

// Who a dataset is shared with, and whether it is open.
Response Sharing(Context& ctx, Request& req) {
  const std::string code = req.params.at("code");
  Must(ingest::LoadDataset(ctx.store().datasets(), code));
  share::Service svc(ctx.store().share());
  std::map<std::string, std::string> names;
  for (const auto& c : Must(svc.Clients())) names[c.code] = c.name;
  json::array grants;
  for (const auto& g : Must(svc.Grants(""))) {
    if (g.dataset != code || !g.Holds(Date::Today())) continue;
    json::object o = share::ToJson(g);
    o["client_name"] = names[g.client];
    grants.push_back(std::move(o));
  }
  int64_t subscriptions = 0;
  for (const auto& x : Must(svc.Subscriptions(""))) subscriptions += x.active && x.dataset == code;
  json::array open;
  for (const auto& d : Must(svc.Published())) {
    if (d.source != code) continue;
    json::object o = share::ToJson(d);
    open.push_back(json::object{
        {"id", d.id}, {"kind", o.at("kind")}, {"title", d.title}, {"licence", o.at("licence")}});
  }
  return Response::Json(json::object{{"dataset", code},
                                     {"grants", std::move(grants)},
                                     {"subscriptions", subscriptions},
                                     {"open", std::move(open)}});
}

// The exchange log: the audit entries of connected systems' reads, writes and notices, newest
// first, filtered; an officer sees those of his units' data (the grant's unit, or the dataset's
// owner), which is how a data owner sees who received it.
Response Exchanges(Context& ctx, Request& req) {
  const auth::Principal& p = CallerOf(req);
  const auto client = TextParam(req, "client");
  const auto dataset = TextParam(req, "dataset");
  const auto unit = TextParam(req, "unit");
  const size_t limit = ParseLimit(req, 100, 1000);
  int64_t before = 0;
  if (auto c = TextParam(req, "cursor")) {
    const auto n = ParseCount(*c);
    if (!n)
      throw Failure(Error::BadRequest("request.invalid_cursor", "the cursor is not one of ours"));
    before = static_cast<int64_t>(*n);
  }
  store::AuditQuery q;
  q.newest_first = true;
  q.limit = 500;
  if (auto from = TextParam(req, "from")) q.from = *from;
  if (auto to = TextParam(req, "to")) {
    const auto day = Date::Parse(*to);
    q.to = day ? AddDays(*day, 1).ToString() : *to;
  }
  const bool sees_all = MayOn(ctx, p, "audit.read", nullptr, false) || p.Has(auth::Role::kLeader);
  auto reg = ctx.registry();
  std::map<std::string, std::string> owners;
  for (const auto& d : Must(ingest::ListDatasets(ctx.store().datasets()))) {
    owners[d.row.code] = d.row.owner_unit;
  }
  std::vector<share::Exchange> rows;
  for (const auto& action : share::ExchangeActions()) {
    store::AuditQuery aq = q;
    aq.action = action;
    aq.before_seq = before;
    for (;;) {
      const auto page = Must(ctx.audit().Entries(aq));
      for (const auto& e : page) {
        auto x = share::ExchangeOf(e);
        if (!x) continue;
        const std::string owner = owners[x->dataset];
        if (client && x->client != *client) continue;
        if (dataset && x->dataset != *dataset) continue;
        if (unit && !share::ConcernsUnit(*x, *unit, owner, *reg)) {
          continue;
        }
        if (!sees_all) {
          auto mine = [&](const std::string& code) {
            return !code.empty() && MayOnCode(ctx, p, "datasets.read_private", code, false);
          };
          if (!mine(x->unit) && !mine(owner)) continue;
        }
        rows.push_back(std::move(*x));
      }
      if (static_cast<int64_t>(page.size()) < aq.limit || rows.size() > limit) break;
      aq.before_seq = page.back().seq;
    }
  }
  std::sort(rows.begin(), rows.end(),
            [](const share::Exchange& a, const share::Exchange& b) { return a.seq > b.seq; });
  json::value next = nullptr;
  if (rows.size() > limit) {
    rows.resize(limit);
    next = std::to_string(rows.back().seq);
  }
  if (TextParam(req, "format").value_or("json") == "csv") {
    std::ostringstream out;
    WriteCsvSheet(out, share::ExchangeTable(rows));
    Response res;
    res.content_type = "text/csv; charset=utf-8";
    res.body = std::move(out).str();
    res.headers.emplace_back("Content-Disposition", "attachment; filename=\"exchanges.csv\"");
    return res;
  }
  json::array items;
  for (const auto& x : rows) items.emplace_back(share::ToJson(x));
  return Response::Json(json::object{{"items", std::move(items)}, {"next_cursor", next}});
}

// --- Federation ------------------------------------------------------------------------------

std::optional<share::FederationTarget> Target(Context& ctx) {
  const auto text = Must(ctx.store().GetSetting("federation.target"));
  if (!text) return std::nullopt;
  boost::system::error_code ec;
  const json::value v = json::parse(*text, ec);
  if (ec) return std::nullopt;
  auto t = share::ParseFederationTarget(v);
  return t ? std::optional<share::FederationTarget>(std::move(*t)) : std::nullopt;
}

Response PutFederation(Context& ctx, Request& req) {
  const json::object body = BodyObject(req);
  const auto t = Must(share::ParseFederationTarget(body));
  Must(ctx.store().SetSetting("federation.target", json::serialize(body)));
  return Response::Json(share::ToJson(t));
}

Response GetFederation(Context& ctx, Request&) {
  const auto t = Target(ctx);
  json::object o = t ? share::ToJson(*t) : json::object{{"url", nullptr}};
  const auto last = Must(ctx.store().GetSetting("federation.last_push"));
  o["last_push"] = last ? json::value(*last) : json::value(nullptr);
  const auto result = Must(ctx.store().GetSetting("federation.last_result"));
  o["last_result"] = result ? json::value(*result) : json::value(nullptr);
  return Response::Json(o);
}

Response PushNow(Context& ctx, Request&) {
  return Response::Json(Must(PushFederation(ctx)));
}

// A hub receives another's values: the sender is a connected system with a write grant on the
// index set.
Response ReceiveValues(Context& ctx, Request& req) {
  const ClientCall call = RequireClient(ctx, req, share::kIndicatorSet, true);
  boost::system::error_code ec;
  const json::value body = json::parse(req.body, ec);
  if (ec) throw Failure(Error::BadRequest("request.invalid_json", "the body is not JSON"));
  const auto rows =
      Must(share::ReadFederationBody(body, call.client.code, FormatTime(ctx.clock().Now())));
  const auto counts = Must(ctx.store().share().PutFederatedValues(rows));
  const json::object answer{{"source", call.client.code},
                            {"received", static_cast<int64_t>(rows.size())},
                            {"inserted", counts.inserted},
                            {"updated", counts.updated},
                            {"unchanged", counts.unchanged}};
  AuditExchange(ctx, req, call, "share.write", share::kIndicatorSet,
                {{"rows", static_cast<int64_t>(rows.size())},
                 {"inserted", counts.inserted},
                 {"updated", counts.updated},
                 {"body_sha256", audit::Sha256Hex(req.body)}},
                json::serialize(answer));
  return Response::Json(answer);
}

Response FederatedValues(Context& ctx, Request& req) {
  const auto rows = Must(ctx.store().share().FederatedValues(
      TextParam(req, "source").value_or(""), TextParam(req, "indicator").value_or(""),
      static_cast<int64_t>(ParseLimit(req, 1000, 50000))));
  json::array items;
  for (const auto& r : rows) {
    items.push_back(json::object{{"source", r.source},
                                 {"indicator", r.indicator},
                                 {"indicator_name", r.indicator_name},
                                 {"unit", r.unit},
                                 {"unit_name", r.unit_name},
                                 {"period", r.period},
                                 {"value", r.value ? json::value(*r.value) : json::value()},
                                 {"sent_at", r.sent_at},
                                 {"received_at", r.received_at}});
  }
  return Response::Json(json::object{{"items", std::move(items)}});
}

}  // namespace

void Context::FollowFederation() {
  // The values another hub receives, when they are due.
  auto target = Target(*this);
  if (!target || target->every_minutes <= 0 || !has_engine()) return;
  auto pushed_at = store_.GetSetting("federation.last_push");
  if (!pushed_at) {
    std::cerr << "pdh: federation: " << pushed_at.error().message << "\n";
    return;
  }
  const auto due = *pushed_at ? ParseTime(**pushed_at) : std::nullopt;
  if (!due || clock_.Now() >= *due + std::chrono::minutes(target->every_minutes)) {
    if (auto pushed = PushFederation(*this); !pushed) {
      std::cerr << "pdh: federation: " << pushed.error().message << "\n";
    }
  }
}

Result<json::object> PushFederation(Context& ctx) {
  const auto target = Target(ctx);
  if (!target) {
    return Fail(Error::Invalid("share.no_federation",
                               "no other hub is set: PUT /api/v1/share/federation first"));
  }
  // The indicators sent: the target's list, else those the open "values" publications name.
  std::set<std::string> only(target->indicators.begin(), target->indicators.end());
  bool all = false;
  if (only.empty()) {
    share::Service svc(ctx.store().share());
    auto published = svc.Published();
    if (!published) return Fail(published.error());
    for (const auto& d : *published) {
      if (d.kind != share::OpenKind::kValues) continue;
      if (d.indicators.empty()) all = true;
      only.insert(d.indicators.begin(), d.indicators.end());
    }
    if (!all && only.empty()) {
      return Fail(Error::Invalid("share.no_federation",
                                 "nothing to send: name the indicators, or publish values"));
    }
  }
  std::vector<share::FederatedValue> values;
  const auto snap = ctx.engine().snapshot();
  snap.ForEachValue(
      [&](const engine::Indicator& i, const units::Unit& u, const engine::Period& p, double v) {
        if (p.kind == engine::PeriodKind::kYtd || (!all && !only.contains(i.code))) return;
        values.push_back({i.code, i.name, u.code, u.name, p.Id(), v});
      });
  const std::string now = FormatTime(ctx.clock().Now());
  constexpr size_t kPart = 20000;
  int64_t parts = 0;
  std::string error;
  for (size_t from = 0; from < values.size() && error.empty(); from += kPart) {
    const std::vector<share::FederatedValue> part(
        values.begin() + static_cast<std::ptrdiff_t>(from),
        values.begin() + static_cast<std::ptrdiff_t>(std::min(values.size(), from + kPart)));
    error = notify::PostJson(target->url + "/api/v1/share/federation/values",
                             share::FederationBody(ctx.home_province(), now, part),
                             {"Authorization: Bearer " + target->token, "X-Purpose: statistics",
                              "X-Case-Reference: federation " + now},
                             60);
    ++parts;
  }
  const json::object result{
      {"to", target->url}, {"values", static_cast<int64_t>(values.size())}, {"parts", parts},
      {"at", now},         {"status", error.empty() ? "sent" : "failed"},   {"error", error}};
  if (auto s = ctx.store().SetSetting("federation.last_push", now); !s) return Fail(s.error());
  if (auto s = ctx.store().SetSetting("federation.last_result", json::serialize(result)); !s) {
    return Fail(s.error());
  }
  if (!error.empty()) {
    return Fail(
        Error{"share.federation_failed", "the other hub did not take the values: " + error, 502});
  }
  return result;
}

void Context::FollowShare() {
  std::lock_guard lock(share_mu_);
  auto fail = [](const Error& e) { std::cerr << "pdh: share notices: " << e.message << "\n"; };
  auto last = store_.datasets().LastCommittedBatch();
  if (!last) return fail(last.error());
  auto seen_text = store_.GetSetting("share.notified_batch");
  if (!seen_text) return fail(seen_text.error());
  int64_t seen = *seen_text ? std::atoll((*seen_text)->c_str()) : -1;
  if (seen < 0) seen = *last;  // the first time: what came before is not news
  std::vector<notify::Message> notices;
  share::Service svc(store_.share());
  for (int64_t id = seen + 1; id <= *last; ++id) {
    auto batch = store_.datasets().Batch(id);
    if (!batch) return fail(batch.error());
    if (!*batch || (*batch)->status != "committed") continue;
    int64_t rows = 0;
    boost::system::error_code ec;
    const json::value report = json::parse((*batch)->report_json, ec);
    if (!ec && report.is_object()) {
      for (const char* k : {"imported", "updated"}) {
        if (const auto* v = report.as_object().if_contains(k); v != nullptr && v->is_int64()) {
          rows += v->as_int64();
        }
      }
    }
    auto more = svc.NoticesOf(**batch, rows, Date::Today());
    if (!more) return fail(more.error());
    for (auto& m : *more) notices.push_back(std::move(m));
  }
  if (!notices.empty()) {
    auto added = outbox_.Add(notices);
    if (!added) return fail(added.error());
    for (const auto& m : notices) {
      audit::Event e;
      e.actor = "pdh";
      e.action = "share.notify";
      e.target = std::string(m.data.at("dataset").as_string());
      e.detail = {{"client", m.data.at("client")},
                  {"subscription", m.data.at("subscription")},
                  {"batch", m.data.at("batch")},
                  {"rows", m.data.at("rows")},
                  {"body_sha256", audit::Sha256Hex(json::serialize(m.data))}};
      if (auto s = audit_.Append(e); !s) return fail(s.error());
    }
  }
  if (*last != seen || !*seen_text) {
    if (auto s = store_.SetSetting("share.notified_batch", std::to_string(*last)); !s) {
      return fail(s.error());
    }
  }
  // Only the notices with their own address: the configured channels keep their own rhythm.
  auto config = notify::LoadConfig(store_);
  if (!config) return fail(config.error());
  config->webhook_url.clear();
  config->smtp_url.clear();
  if (auto sent = outbox_.Deliver(*config); !sent) fail(sent.error());
}

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
           R"({"type":"object","required":["code","name","owner_unit","contact","account"],"properties":{"code":{"type":"string"},"name":{"type":"string"},"owner_unit":{"type":"string"},"contact":{"type":"string"},"account":{"type":"string"},"ip_allow":{"type":"array","items":{"type":"string"}},"cert_sha256":{"type":"string"}}})",
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
      {.summary = "Suspend, revoke or reactivate a connected system; set the SHA-256 of the "
                  "client certificate it must call with (mutual TLS), \"\" for none",
       .tag = "share",
       .request_schema =
           R"({"type":"object","properties":{"state":{"type":"string","enum":["active","suspended","revoked"]},"cert_sha256":{"type":"string"}}})",
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
      "GET", "/api/v1/share/datasets/{code}/records", "share.records", bind(GrantedRecords),
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
  router.Add(
      "GET", "/api/v1/share/purposes", "share.purposes", bind(Purposes),
      {.summary = "The purposes a connected system may state (X-Purpose)",
       .tag = "share",
       .response_schema =
           R"({"type":"object","properties":{"items":{"type":"array","items":{"type":"object"}}}})",
       .permission = "authenticated"});
  router.Add(
      "POST", "/api/v1/share/clients/{client}/subscriptions", "share.subscriptions.add",
      bind(AddSubscription),
      {.summary = "Tell a connected system by webhook when a batch lands in a dataset it is "
                  "granted; the answer carries, once, the secret the notices are signed with "
                  "(X-Pdh-Signature: sha256=HMAC of the body)",
       .tag = "share",
       .request_schema =
           R"({"type":"object","required":["dataset","url"],"properties":{"dataset":{"type":"string"},"url":{"type":"string"}}})",
       .response_schema = object,
       .success_status = 201,
       .error_statuses = {400, 404, 415, 422},
       .permission = kShareAdmin});
  router.Add(
      "GET", "/api/v1/share/clients/{client}/subscriptions", "share.subscriptions.list",
      bind(ListSubscriptions),
      {.summary = "A connected system's subscriptions, ended ones included",
       .tag = "share",
       .response_schema =
           R"({"type":"object","properties":{"items":{"type":"array","items":{"type":"object"}}}})",
       .permission = kShareAdmin});
  router.Add("DELETE", "/api/v1/share/subscriptions/{id}", "share.subscriptions.end",
             bind(EndSubscription),
             {.summary = "End a subscription",
              .tag = "share",
              .response_schema = object,
              .error_statuses = {404},
              .permission = kShareAdmin});
  router.Add(
      "GET", "/api/v1/share/exchanges", "share.exchanges", bind(Exchanges),
      {.summary = "The exchange log: what connected systems read, wrote and were told, with "
                  "purpose, fields and rows; an officer sees the exchanges of his units' data",
       .tag = "share",
       .params = {{"client", "query", "only this connected system"},
                  {"dataset", "query", "only this dataset"},
                  {"unit", "query", "only exchanges of this unit's data"},
                  {"from", "query", "from this date (YYYY-MM-DD)"},
                  {"to", "query", "to this date, included"},
                  {"limit", "query", "at most this many (100, at most 1000)"},
                  {"cursor", "query", "the next_cursor of the previous page"},
                  {"format", "query", "json (default) or csv"}},
       .response_schema =
           R"({"type":"object","properties":{"items":{"type":"array","items":{"type":"object"}},"next_cursor":{"type":["string","null"]}}})",
       .error_statuses = {400},
       .permission = "authenticated"});
  router.Add(
      "GET", "/api/v1/datasets/{code}/sharing", "share.dataset", bind(Sharing),
      {.summary = "Who a dataset is shared with (grants in force, subscriptions) and whether "
                  "it is published as open data",
       .tag = "share",
       .response_schema = object,
       .error_statuses = {404},
       .permission = "datasets.read"});
  router.Add(
      "PUT", "/api/v1/share/federation", "share.federation.put", bind(PutFederation),
      {.summary = "Where this hub sends its indicator values: another pdh's address, the token "
                  "of this hub's system there, the indicators, how often (minutes)",
       .tag = "share",
       .request_schema =
           R"({"type":"object","required":["url","token"],"properties":{"url":{"type":"string"},"token":{"type":"string"},"indicators":{"type":"array","items":{"type":"string"}},"every_minutes":{"type":"integer"}}})",
       .response_schema = object,
       .error_statuses = {400, 415, 422},
       .permission = kShareAdmin});
  router.Add("GET", "/api/v1/share/federation", "share.federation.get", bind(GetFederation),
             {.summary = "Where this hub sends its values, and the last sending",
              .tag = "share",
              .response_schema = object,
              .permission = kShareAdmin});
  router.Add("POST", "/api/v1/share/federation/push", "share.federation.push", bind(PushNow),
             {.summary = "Send the values to the other hub now",
              .tag = "share",
              .response_schema = object,
              .error_statuses = {422, 502, 503},
              .permission = kShareAdmin});
  router.Add(
      "POST", "/api/v1/share/federation/values", "share.federation.receive", bind(ReceiveValues),
      {.summary = "Another hub's values, by official unit and indicator codes; sending them again "
                  "changes nothing. The sender is a connected system with a write grant on "
                  "\"indicators\"",
       .tag = "share",
       .request_schema =
           R"({"type":"object","required":["values"],"properties":{"source":{"type":"string"},"sent_at":{"type":"string"},"values":{"type":"array","items":{"type":"object"}}}})",
       .response_schema = object,
       .error_statuses = {400, 403, 415, 422},
       .permission = "authenticated"});
  router.Add(
      "GET", "/api/v1/share/federation/values", "share.federation.values", bind(FederatedValues),
      {.summary = "The values other hubs sent",
       .tag = "share",
       .params = {{"source", "query", "only from this hub's system"},
                  {"indicator", "query", "only this indicator"},
                  {"limit", "query", "at most this many (1000, at most 50000)"}},
       .response_schema =
           R"({"type":"object","properties":{"items":{"type":"array","items":{"type":"object"}}}})",
       .permission = "indicators.read"});
}

}  // namespace pdh::api
