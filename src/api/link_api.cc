// /api/v1/link: consolidation projects (M4) — definitions and their preview, runs and the merge
// report, the review queue, clusters and golden records, and the commit that writes the
// consolidated dataset and marks the catalog's database merged.
#include <boost/json.hpp>

#include <string>
#include <vector>

#include "api/api.h"
#include "api/handler_util.h"
#include "catalog/catalog.h"
#include "core/date.h"
#include "link/link.h"

namespace pdh::api {
namespace json = boost::json;
namespace {

using http::Request;
using http::Response;

constexpr const char* kLinkRead = "datasets.read";
constexpr const char* kLinkWrite = "datasets.write";

std::string Now(const Context& ctx) {
  return FormatTime(ctx.clock().Now());
}

const std::string& Code(const Request& req) {
  return req.params.at("code");
}

int64_t PairId(const Request& req) {
  auto n = ParseCount(req.params.at("id"));
  if (!n) {
    throw Failure(Error::NotFound(std::string(link::kProjectNotFound),
                                  "no pair '" + req.params.at("id") + "'"));
  }
  return static_cast<int64_t>(*n);
}

// A definition: the body itself, or its "definition" member.
json::value Definition(const json::object& body) {
  if (const auto* d = body.if_contains("definition")) return *d;
  return body;
}

Response ListProjects(Context& ctx, Request&) {
  return Response::Json(Must(ctx.link().List()));
}

Response CreateProject(Context& ctx, Request& req) {
  json::object body = BodyObject(req);
  auto r = Response::Json(Must(ctx.link().Create(Definition(body), CallerOf(req).name, Now(ctx))));
  r.status = 201;
  return r;
}

Response GetProject(Context& ctx, Request& req) {
  return Response::Json(Must(ctx.link().Get(Code(req))));
}

Response UpdateProject(Context& ctx, Request& req) {
  json::object body = BodyObject(req);
  if (!body.contains("definition")) {
    throw Failure(Error::Invalid(std::string(link::kInvalidProject),
                                 "definition: is required (the whole project definition)"));
  }
  return Response::Json(
      Must(ctx.link().Update(Code(req), body.at("definition"), OptString(body, "note").value_or(""),
                             OptInt(body, "expected_version"), CallerOf(req).name, Now(ctx))));
}

Response PreviewProject(Context& ctx, Request& req) {
  return Response::Json(Must(ctx.link().PreviewProject(Code(req), ParseLimit(req, 5, 100))));
}

Response PreviewDefinition(Context& ctx, Request& req) {
  json::object body = BodyObject(req);
  const auto limit = OptInt(body, "limit").value_or(5);
  if (limit < 1 || limit > 100) {
    throw Failure(Error::BadRequest("request.invalid_limit", "limit must be 1 to 100"));
  }
  return Response::Json(Must(ctx.link().Preview(Definition(body), static_cast<size_t>(limit))));
}

Response RunProject(Context& ctx, Request& req) {
  const auto incremental = TextParam(req, "incremental");
  const bool inc = incremental && (*incremental == "true" || *incremental == "1");
  auto r = Response::Json(Must(ctx.link().Run(Code(req), inc, CallerOf(req).name, Now(ctx))));
  r.status = 201;
  return r;
}

Response Report(Context& ctx, Request& req) {
  return Response::Json(Must(ctx.link().Report(Code(req))));
}

Response Queue(Context& ctx, Request& req) {
  const std::string status = TextParam(req, "status").value_or("pending");
  int64_t after = 0;
  if (auto cursor = TextParam(req, "cursor")) {
    auto n = ParseCount(*cursor);
    if (!n) throw Failure(Error::BadRequest("request.invalid_cursor", "cursor is not a cursor"));
    after = static_cast<int64_t>(*n);
  }
  return Response::Json(Must(ctx.link().Queue(Code(req), status == "all" ? "" : status, after,
                                              static_cast<int64_t>(ParseLimit(req, 20, 200)))));
}

Response GetPair(Context& ctx, Request& req) {
  return Response::Json(Must(ctx.link().Pair(Code(req), PairId(req))));
}

Response Decide(Context& ctx, Request& req) {
  json::object body = BodyObject(req);
  OnlyFields(body, {"decision"});
  const std::string decision = OptString(body, "decision").value_or("");
  return Response::Json(
      Must(ctx.link().Decide(Code(req), PairId(req), decision, CallerOf(req).name, Now(ctx))));
}

Response Clusters(Context& ctx, Request& req) {
  const auto multi = TextParam(req, "multi");
  return Response::Json(Must(ctx.link().Clusters(
      Code(req), TextParam(req, "q").value_or(""), multi && (*multi == "true" || *multi == "1"),
      TextParam(req, "cursor").value_or(""), static_cast<int64_t>(ParseLimit(req, 50, 500)))));
}

Response GetCluster(Context& ctx, Request& req) {
  return Response::Json(Must(ctx.link().Cluster(Code(req), req.params.at("id"))));
}

Response Split(Context& ctx, Request& req) {
  json::object body = BodyObject(req);
  OnlyFields(body, {"records"});
  return Response::Json(
      Must(ctx.link().Split(Code(req), req.params.at("id"),
                            OptStrings(body, "records").value_or(std::vector<std::string>{}),
                            CallerOf(req).name, Now(ctx))));
}

Response Merge(Context& ctx, Request& req) {
  json::object body = BodyObject(req);
  OnlyFields(body, {"clusters"});
  return Response::Json(Must(
      ctx.link().Merge(Code(req), OptStrings(body, "clusters").value_or(std::vector<std::string>{}),
                       CallerOf(req).name, Now(ctx))));
}

Response Choose(Context& ctx, Request& req) {
  json::object body = BodyObject(req);
  OnlyFields(body, {"record"});
  return Response::Json(Must(
      ctx.link().Choose(Code(req), req.params.at("id"), req.params.at("field"),
                        OptString(body, "record").value_or(""), CallerOf(req).name, Now(ctx))));
}

// Writes the golden records and marks the catalog's database merged, effective on the given
// date (default today).
Response Commit(Context& ctx, Request& req) {
  json::object body = req.body.empty() ? json::object{} : BodyObject(req);
  OnlyFields(body, {"effective", "force"});
  Date effective = Date::Today();
  if (auto eff = OptString(body, "effective"); eff && !eff->empty()) {
    auto d = Date::Parse(*eff);
    if (!d) {
      throw Failure(Error::Invalid("link.invalid_date",
                                   "effective: '" + *eff + "' is not a date: use YYYY-MM-DD"));
    }
    effective = *d;
  }
  const auto& caller = CallerOf(req);
  auto project = Must(ctx.link().Get(Code(req)));
  const std::string entry_code(project.at("catalog_entry").as_string());
  std::optional<catalog::Record> entry;
  if (!entry_code.empty()) {
    entry = Must(ctx.catalog().Get(entry_code));
    if (!MayOnCode(ctx, caller, "catalog.write", entry->entry.owner, true)) {
      throw Failure(Error{
          "auth.forbidden",
          "marking '" + entry_code + "' merged needs catalog.write on " + entry->entry.owner, 403});
    }
  }
  json::object out =
      Must(ctx.link().Commit(Code(req), OptBool(body, "force").value_or(false),
                             entry ? entry->entry.owner : "", caller.name, Now(ctx)));
  ctx.SyncEngine();
  if (entry) {
    catalog::Entry e = entry->entry;
    e.consolidation = catalog::Consolidation::kMerged;
    e.record_count = out.at("golden_records").as_int64();
    e.last_data_update = effective;
    catalog::Change change;
    change.actor = caller.name;
    change.reason = "Hợp nhất dữ liệu: dự án " + Code(req);
    change.effective = effective;
    auto updated = Must(ctx.catalog().Update(e, change));
    out["consolidation"] = "merged";
    out["catalog_version"] = updated.version;
  }
  out["effective"] = effective.ToString();
  return Response::Json(out);
}

constexpr const char* kProjectSchema =
    R"({"type":"object","properties":{"code":{"type":"string"},"title":{"type":"string"},"version":{"type":"integer"},"status":{"type":"string","enum":["draft","review","ready","committed"]},"catalog_entry":{"type":"string"},"target":{"type":"string"},"sources":{"type":"array","items":{"type":"string"}},"updated_at":{"type":"string"},"committed_at":{"type":["string","null"]},"last_run":{"type":["object","null"]},"queue":{"type":"object","properties":{"pending":{"type":"integer"},"accepted":{"type":"integer"},"rejected":{"type":"integer"},"skipped":{"type":"integer"}}},"definition":{"type":"object"},"versions":{"type":"array","items":{"type":"object","properties":{"version":{"type":"integer"},"at":{"type":"string"},"by":{"type":"string"},"note":{"type":"string"}}}}}})";

constexpr const char* kDefinitionSchema =
    R"({"type":"object","required":["code","fields","sources"],"properties":{"code":{"type":"string"},"title":{"type":"string"},"catalog_entry":{"type":"string","description":"The catalog's database marked merged on commit"},"target":{"type":"string","description":"The consolidated dataset's code"},"fields":{"type":"array","items":{"type":"object","required":["name"],"properties":{"name":{"type":"string"},"title":{"type":"string"},"kind":{"type":"string","enum":["name","full_name","date","id","phone","commune","code","text"]},"role":{"type":"string"},"compare":{"type":"boolean"},"term_frequency":{"type":"boolean"},"survivorship":{"type":"string","enum":["most_complete","most_recent","priority","longest","most_frequent"]}}}},"sources":{"type":"array","items":{"type":"object","required":["id"],"properties":{"dataset":{"type":"string"},"label":{"type":"string"},"id":{"type":"string"},"priority":{"type":"integer"},"mapping":{"type":"array","items":{"type":"object","required":["field","from"],"properties":{"field":{"type":"string"},"op":{"type":"string","enum":["copy","concat","family","middle","given","date","unit","map"]},"from":{},"separator":{"type":"string"},"format":{"type":"string"},"values":{"type":"object"}}}}}}},"rules":{"type":"string"},"threshold":{"type":"number"},"review_from":{"type":"number"},"max_pairs_per_rule":{"type":"integer"}}})";

constexpr const char* kPairSchema =
    R"({"type":"object","properties":{"id":{"type":"integer"},"a":{"type":"object"},"b":{"type":"object"},"probability":{"type":"number"},"weight":{"type":"number"},"status":{"type":"string"},"cluster_a":{"type":["string","null"]},"cluster_b":{"type":["string","null"]},"parts":{"type":"array","items":{"type":"object","properties":{"column":{"type":"string"},"level":{"type":"string"},"value_a":{"type":"string"},"value_b":{"type":"string"},"bits":{"type":"number"},"tf_bits":{"type":"number"}}}},"prior_bits":{"type":"number"},"decided_by":{"type":"string"},"decided_at":{"type":"string"}}})";

constexpr const char* kClusterSchema =
    R"({"type":"object","properties":{"id":{"type":"string"},"size":{"type":"integer"},"sources":{"type":"array","items":{"type":"string"}},"golden":{"type":"object","additionalProperties":{"type":"object","properties":{"value":{"type":"string"},"record":{"type":"string"},"rule":{"type":"string"}}}},"members":{"type":"array","items":{"type":"object"}}}})";

constexpr const char* kReportSchema =
    R"({"type":"object","properties":{"run":{"type":"object"},"records":{"type":"object"},"clusters":{"type":"object"},"pairs":{"type":"object"},"threshold":{"type":"number"},"review_from":{"type":"number"},"estimate":{"type":"object","properties":{"precision":{"type":"number"},"recall":{"type":"number"},"expected_matches":{"type":"number"},"pairs_above":{"type":"integer"}}},"estimates":{"type":"array","items":{"type":"object","properties":{"threshold":{"type":"number"},"precision":{"type":"number"},"recall":{"type":"number"}}}},"histogram":{"type":"array","items":{"type":"object","properties":{"from":{"type":"number"},"to":{"type":"number"},"pairs":{"type":"integer"}}}},"rules":{"type":"array","items":{"type":"object","properties":{"rule":{"type":"string"},"pairs":{"type":"integer"},"used":{"type":"boolean"}}}},"model":{"type":"object"},"times":{"type":"object"}}})";

constexpr const char* kPreviewSchema =
    R"({"type":"object","properties":{"fields":{"type":"array","items":{"type":"object","properties":{"name":{"type":"string"},"title":{"type":"string"},"kind":{"type":"string"}}}},"sources":{"type":"array","items":{"type":"object","properties":{"dataset":{"type":"string"},"label":{"type":"string"},"columns":{"type":"array","items":{"type":"string"}},"records":{"type":"integer"},"rows":{"type":"array","items":{"type":"object","properties":{"key":{"type":"string"},"original":{"type":"object"},"mapped":{"type":"object"},"problems":{"type":"array","items":{"type":"object","properties":{"field":{"type":"string"},"code":{"type":"string"},"message":{"type":"string"}}}}}}}}}}}})";

}  // namespace

void RegisterLinkRoutes(http::Router& router, Context& ctx) {
  auto bind = [&ctx](Response (*fn)(Context&, Request&)) {
    return [&ctx, fn](Request& req) { return fn(ctx, req); };
  };
  router.DescribeTag("link",
                     "Consolidation after the 2025 merger (hợp nhất dữ liệu): two or more "
                     "versions of a database mapped onto one schema, linked record by record, "
                     "reviewed, and committed as one dataset with golden records");
  const std::string list = R"({"type":"object","properties":{"items":{"type":"array","items":)";
  router.Add("GET", "/api/v1/link/projects", "link.projects", bind(ListProjects),
             {.summary = "The consolidation projects with their status and review queue",
              .tag = "link",
              .response_schema = list + kProjectSchema + "}}}",
              .permission = kLinkRead});
  router.Add("POST", "/api/v1/link/projects", "link.create", bind(CreateProject),
             {.summary = "Create a consolidation project from a definition",
              .tag = "link",
              .request_schema = kDefinitionSchema,
              .response_schema = kProjectSchema,
              .success_status = 201,
              .error_statuses = {400, 404, 409, 415, 422},
              .description = "Sources are datasets; each mapping names a column the source has "
                             "(link.missing_column otherwise).",
              .permission = kLinkWrite,
              .stewarded = true});
  router.Add("POST", "/api/v1/link/preview", "link.preview", bind(PreviewDefinition),
             {.summary = "Sample rows of each source before and after an unsaved mapping",
              .tag = "link",
              .request_schema = std::string(R"({"type":"object","properties":{"definition":)") +
                                kDefinitionSchema + R"(,"limit":{"type":"integer"}}})",
              .response_schema = kPreviewSchema,
              .error_statuses = {400, 404, 415, 422},
              .permission = kLinkRead});
  router.Add("GET", "/api/v1/link/projects/{code}", "link.get", bind(GetProject),
             {.summary = "A project: its definition, versions, last run and queue",
              .tag = "link",
              .response_schema = kProjectSchema,
              .error_statuses = {404},
              .permission = kLinkRead});
  router.Add("PUT", "/api/v1/link/projects/{code}", "link.update", bind(UpdateProject),
             {.summary = "Store a new version of a project's definition",
              .tag = "link",
              .request_schema =
                  std::string(
                      R"({"type":"object","required":["definition"],"properties":{"definition":)") +
                  kDefinitionSchema +
                  R"(,"note":{"type":"string"},"expected_version":{"type":"integer"}}})",
              .response_schema = kProjectSchema,
              .error_statuses = {400, 404, 409, 415, 422},
              .permission = kLinkWrite,
              .stewarded = true});
  router.Add("GET", "/api/v1/link/projects/{code}/preview", "link.preview_project",
             bind(PreviewProject),
             {.summary = "Sample rows of each source before and after the mapping",
              .tag = "link",
              .params = {{"limit", "query", "rows per source, 1 to 100, default 5", false,
                          R"({"type":"integer"})"}},
              .response_schema = kPreviewSchema,
              .error_statuses = {400, 404},
              .permission = kLinkRead});
  router.Add("POST", "/api/v1/link/projects/{code}/runs", "link.run", bind(RunProject),
             {.summary = "Link the project's records and store pairs, queue and clusters",
              .tag = "link",
              .params = {{"incremental", "query",
                          "true: only records of batches since the last run, matched against "
                          "all with the last run's model"}},
              .response_schema = kReportSchema,
              .success_status = 201,
              .error_statuses = {400, 404, 422},
              .description = "A blocking rule that would generate more pairs than the maximum "
                             "is refused with link.blocking_too_large and its pair count.",
              .permission = kLinkWrite,
              .stewarded = true});
  router.Add("GET", "/api/v1/link/projects/{code}/report", "link.report", bind(Report),
             {.summary = "The merge report of the last run, with the queue and clusters now",
              .tag = "link",
              .response_schema = kReportSchema,
              .error_statuses = {404, 409},
              .permission = kLinkRead});
  router.Add("GET", "/api/v1/link/projects/{code}/queue", "link.queue", bind(Queue),
             {.summary = "Pairs in the review band (or decided), with their waterfall",
              .tag = "link",
              .params = {{"status", "query",
                          "pending (default), accepted, rejected, skipped, auto or all"},
                         {"limit", "query", "1 to 200, default 20", false, R"({"type":"integer"})"},
                         {"cursor", "query", "next_cursor of the previous page"}},
              .response_schema =
                  list + kPairSchema +
                  R"(},"total":{"type":"integer"},"next_cursor":{"type":["string","null"]}}})",
              .error_statuses = {400, 404},
              .permission = kLinkRead});
  router.Add("GET", "/api/v1/link/projects/{code}/queue/{id}", "link.pair", bind(GetPair),
             {.summary = "One pair with both records and its waterfall",
              .tag = "link",
              .response_schema = kPairSchema,
              .error_statuses = {404},
              .permission = kLinkRead});
  router.Add(
      "POST", "/api/v1/link/projects/{code}/queue/{id}/decision", "link.decide", bind(Decide),
      {.summary = "Accept, reject or skip a pair; the clusters follow at once",
       .tag = "link",
       .request_schema =
           R"({"type":"object","required":["decision"],"properties":{"decision":{"type":"string","enum":["accept","reject","skip"]}}})",
       .response_schema =
           std::string(R"({"type":"object","properties":{"pair":)") + kPairSchema +
           R"(,"cluster":{"type":"string"},"members":{"type":"array","items":{"type":"string"}}}})",
       .error_statuses = {400, 404, 415, 422},
       .permission = kLinkWrite,
       .stewarded = true});
  router.Add("GET", "/api/v1/link/projects/{code}/clusters", "link.clusters", bind(Clusters),
             {.summary = "Clusters with their golden record and members",
              .tag = "link",
              .params = {{"q", "query", "words in any value or key, without diacritics"},
                         {"multi", "query", "true: only clusters of two or more records"},
                         {"limit", "query", "1 to 500, default 50", false, R"({"type":"integer"})"},
                         {"cursor", "query", "next_cursor of the previous page"}},
              .response_schema =
                  list + kClusterSchema +
                  R"(},"total":{"type":"integer"},"next_cursor":{"type":["string","null"]}}})",
              .error_statuses = {400, 404},
              .permission = kLinkRead});
  router.Add("GET", "/api/v1/link/projects/{code}/clusters/{id}", "link.cluster", bind(GetCluster),
             {.summary = "One cluster: its golden record with each value's source, and members",
              .tag = "link",
              .response_schema = kClusterSchema,
              .error_statuses = {404},
              .permission = kLinkRead});
  router.Add(
      "POST", "/api/v1/link/projects/{code}/clusters/merge", "link.merge", bind(Merge),
      {.summary = "Join clusters by hand",
       .tag = "link",
       .request_schema =
           R"({"type":"object","required":["clusters"],"properties":{"clusters":{"type":"array","items":{"type":"string"}}}})",
       .response_schema = kClusterSchema,
       .error_statuses = {400, 404, 415, 422},
       .permission = kLinkWrite,
       .stewarded = true});
  router.Add(
      "POST", "/api/v1/link/projects/{code}/clusters/{id}/split", "link.split", bind(Split),
      {.summary = "Move records out of a cluster into one of their own",
       .tag = "link",
       .request_schema =
           R"({"type":"object","required":["records"],"properties":{"records":{"type":"array","items":{"type":"string"}}}})",
       .response_schema = kClusterSchema,
       .error_statuses = {400, 404, 415, 422},
       .permission = kLinkWrite,
       .stewarded = true});
  router.Add(
      "PUT", "/api/v1/link/projects/{code}/clusters/{id}/golden/{field}", "link.choose",
      bind(Choose),
      {.summary = "Take a golden record's field from one member, by hand",
       .tag = "link",
       .request_schema =
           R"({"type":"object","required":["record"],"properties":{"record":{"type":"string"}}})",
       .response_schema = kClusterSchema,
       .error_statuses = {400, 404, 415, 422},
       .permission = kLinkWrite,
       .stewarded = true});
  router.Add(
      "POST", "/api/v1/link/projects/{code}/commit", "link.commit", bind(Commit),
      {.summary = "Write the golden records as one batch and mark the database merged",
       .tag = "link",
       .request_schema =
           R"({"type":"object","properties":{"effective":{"type":"string","format":"date"},"force":{"type":"boolean"}}})",
       .response_schema =
           R"({"type":"object","properties":{"batch":{"type":"object"},"golden_records":{"type":"integer"},"target":{"type":"string"},"catalog_entry":{"type":"string"},"consolidation":{"type":"string"},"catalog_version":{"type":"integer"},"effective":{"type":"string"}}})",
       .error_statuses = {400, 403, 404, 409, 415, 422},
       .description = "Refused with link.pending_review while pairs wait, unless force.",
       .permission = kLinkWrite,
       .stewarded = true});
}

}  // namespace pdh::api
