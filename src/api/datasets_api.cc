// /api/v1/datasets and /api/v1/batches: dataset schemas, batches pushed or uploaded (CSV, XLSX,
// JSON, NDJSON), their reports and rejected rows, and the records, each reader seeing the units
// it may (M3).
#include <boost/json.hpp>
#include <chrono>
#include <sstream>

#include "api/api.h"
#include "api/handler_util.h"
#include "api/share_call.h"
#include "audit/audit.h"
#include "core/clock.h"
#include "ingest/ingest.h"

namespace pdh::api {
namespace json = boost::json;
namespace {

using http::Request;
using http::Response;

constexpr const char* kDatasetsRead = "datasets.read";
constexpr const char* kReadPrivate = "datasets.read_private";
constexpr const char* kDatasetsWrite = "datasets.write";

constexpr const char* kSummarySchema =
    R"({"type":"object","properties":{"code":{"type":"string"},"title":{"type":"string"},"title_en":{"type":"string"},"description":{"type":"string"},"owner_unit":{"type":"string"},"owner_unit_name":{"type":["string","null"]},"template":{"type":"string"},"version":{"type":"integer"},"row_count":{"type":"integer"},"created_at":{"type":"string"},"updated_at":{"type":"string"},"field_count":{"type":"integer"},"personal_fields":{"type":"integer"},"primary_key":{"type":"array","items":{"type":"string"}}}})";

constexpr const char* kDatasetReportSchema =
    R"({"type":"object","properties":{"id":{"type":"integer"},"dataset":{"type":"string"},"status":{"type":"string","enum":["committed","dry_run","rejected","duplicate"]},"duplicate_of":{"type":"integer"},"mode":{"type":"string","enum":["all","valid"]},"file_name":{"type":"string"},"format":{"type":"string"},"sha256":{"type":"string"},"encoding":{"type":"object","properties":{"detected":{"type":"string"},"converted_cells":{"type":"integer"}}},"counts":{"type":"object","properties":{"read":{"type":"integer"},"imported":{"type":"integer"},"updated":{"type":"integer"},"unchanged":{"type":"integer"},"rejected":{"type":"integer"}}},"units":{"type":"object","properties":{"resolved_old_codes":{"type":"integer"},"by_name":{"type":"integer"}}},"warnings":{"type":"array","items":{"type":"string"}},"errors":{"type":"array","items":{"type":"object","properties":{"row":{"type":"integer"},"column":{"type":"string"},"value":{"type":"string"},"code":{"type":"string"},"message":{"type":"string"}}}},"errors_total":{"type":"integer"},"created_at":{"type":"string"},"created_by":{"type":"string"},"duration_ms":{"type":"integer"}}})";

constexpr const char* kSchemaSchema =
    R"({"type":"object","description":"Frictionless Table Schema with pdh: keys","properties":{"fields":{"type":"array","items":{"type":"object"}},"primaryKey":{"type":"array","items":{"type":"string"}},"foreignKeys":{"type":"array","items":{"type":"object"}},"missingValues":{"type":"array","items":{"type":"string"}}}})";

ingest::Dataset Load(Context& ctx, const Request& req) {
  return Must(ingest::LoadDataset(ctx.store().datasets(), req.params.at("code")));
}

json::object Summary(Context& ctx, const ingest::Dataset& d) {
  int64_t personal = 0;
  for (const auto& f : d.schema.fields) personal += f.personal ? 1 : 0;
  auto registry = ctx.registry();
  json::array key;
  for (const auto& k : d.schema.primary_key) key.emplace_back(k);
  return {{"code", d.row.code},
          {"title", d.row.title},
          {"title_en", d.row.title_en},
          {"description", d.row.description},
          {"owner_unit", d.row.owner_unit},
          {"owner_unit_name",
           d.row.owner_unit.empty() ? json::value() : UnitNameOr(*registry, d.row.owner_unit)},
          {"template", d.row.template_name},
          {"version", d.row.version},
          {"row_count", Must(ingest::RowCount(ctx.store().datasets(), d.row.code))},
          {"created_at", d.row.created_at},
          {"updated_at", d.row.updated_at},
          {"field_count", static_cast<int64_t>(d.schema.fields.size())},
          {"personal_fields", personal},
          {"primary_key", std::move(key)}};
}

Response List(Context& ctx, Request&) {
  json::array items;
  for (const auto& d : Must(ingest::ListDatasets(ctx.store().datasets())))
    items.push_back(Summary(ctx, d));
  return Response::Json(json::object{{"items", std::move(items)}});
}

Response Templates(Context&, Request&) {
  json::array items;
  for (const auto& t : ingest::Templates()) {
    items.push_back({{"name", t.name},
                     {"title", t.title},
                     {"title_en", t.title_en},
                     {"description", t.description},
                     {"schema", t.schema.ToJson()}});
  }
  return Response::Json(json::object{{"items", std::move(items)}});
}

Response Get(Context& ctx, Request& req) {
  const auto d = Load(ctx, req);
  json::object out = Summary(ctx, d);
  out["schema"] = d.schema.ToJson();
  out["table"] = "ds_" + d.row.code;
  json::array versions;
  for (const auto& v : Must(ingest::SchemaVersions(ctx.store().datasets(), d.row.code))) {
    versions.push_back({{"version", v.version},
                        {"created_at", v.created_at},
                        {"created_by", v.created_by},
                        {"note", v.note}});
  }
  out["versions"] = std::move(versions);
  return Response::Json(out);
}

Response Create(Context& ctx, Request& req) {
  const json::object body = BodyObject(req);
  OnlyFields(body,
             {"code", "title", "title_en", "description", "owner_unit", "template", "schema"});
  ingest::NewDataset nd;
  nd.code = OptString(body, "code").value_or("");
  nd.title = OptString(body, "title").value_or("");
  nd.title_en = OptString(body, "title_en").value_or("");
  nd.description = OptString(body, "description").value_or("");
  nd.owner_unit = OptString(body, "owner_unit").value_or("");
  nd.template_name = OptString(body, "template").value_or("");
  if (const json::value* s = body.if_contains("schema"); s != nullptr && !s->is_null()) {
    nd.schema = Must(ingest::ParseSchema(*s));
  }
  const auto d = Must(ingest::CreateDataset(ctx.store().datasets(), *ctx.registry(), nd,
                                            CallerOf(req).name, FormatTime(ctx.clock().Now())));
  return Response::Json(Summary(ctx, d), 201);
}

Response ChangeSchema(Context& ctx, Request& req) {
  const json::object body = BodyObject(req);
  OnlyFields(body, {"schema", "note"});
  const json::value* s = body.if_contains("schema");
  if (s == nullptr) {
    throw Failure(Error::BadRequest("request.invalid_body", "the body needs the new schema"));
  }
  const auto d = Must(ingest::ChangeSchema(
      ctx.store().datasets(), req.params.at("code"), Must(ingest::ParseSchema(*s)),
      OptString(body, "note").value_or(""), CallerOf(req).name, FormatTime(ctx.clock().Now())));
  json::object out = Summary(ctx, d);
  out["schema"] = d.schema.ToJson();
  return Response::Json(out);
}

// The workbook a unit fills in: the dataset's fields, its code lists and the province's units
// (those of its own grants first for an officer: the example names one of them).
Response Template(Context& ctx, Request& req) {
  const ingest::Dataset d = Load(ctx, req);
  auto reg = ctx.registry();
  const Date today = Date::Today();
  std::vector<std::pair<std::string, std::string>> units;
  if (const units::Unit* home = reg->Find(ctx.home_province(), today)) {
    for (const units::Unit* u : reg->Descendants(*home, today))
      units.emplace_back(u->code, u->name);
  }
  const auto& caller = CallerOf(req);
  std::stable_partition(units.begin(), units.end(), [&](const auto& u) {
    return std::any_of(caller.grants.begin(), caller.grants.end(),
                       [&u](const auth::Grant& g) { return g.unit_code == u.first; });
  });
  http::Response r;
  r.content_type = kXlsxType;
  r.body = Must(ingest::ExcelTemplate(d, units));
  r.headers.emplace_back("Content-Disposition",
                         "attachment; filename=\"mau-" + d.row.code + ".xlsx\"");
  return r;
}

Response Package(Context& ctx, Request& req) {
  return Response::Json(ingest::PackageDescriptor({Load(ctx, req)}));
}

// The file name a client sends: Content-Disposition's filename* (RFC 6266) or filename.
std::string FileName(const Request& req) {
  if (auto q = TextParam(req, "file_name")) return *q;
  std::string_view cd = req.Header("content-disposition");
  auto decode = [](std::string_view v) {
    std::string out;
    for (size_t i = 0; i < v.size(); ++i) {
      if (v[i] == '%' && i + 2 < v.size()) {
        out += static_cast<char>(std::stoi(std::string(v.substr(i + 1, 2)), nullptr, 16));
        i += 2;
      } else {
        out += v[i];
      }
    }
    return out;
  };
  if (auto p = cd.find("filename*=UTF-8''"); p != std::string_view::npos) {
    std::string_view v = cd.substr(p + 17);
    v = v.substr(0, v.find(';'));
    try {
      return decode(v);
    } catch (const std::exception&) {
      return std::string(v);
    }
  }
  if (auto p = cd.find("filename=\""); p != std::string_view::npos) {
    std::string_view v = cd.substr(p + 10);
    return std::string(v.substr(0, v.find('"')));
  }
  return "";
}

// A batch rejected as a whole (a bad row in mode=all) is no success: 422 batch.rejected, the report
// in the problem body.
Response Rejected(const ingest::Report& report, const Request& req) {
  Response r = Response::Problem(
      {"batch.rejected",
       "lô bị từ chối: " + std::to_string(report.rejected) +
           " dòng có lỗi, không dòng nào được ghi / the batch was rejected: " +
           std::to_string(report.rejected) +
           " rows have errors, none was written (fix them, or send with mode=valid)",
       422},
      req);
  json::object doc = json::parse(r.body).as_object();
  doc["report"] = report.ToJson();
  r.body = json::serialize(doc);
  return r;
}

Response Ingest(Context& ctx, Request& req) {
  const auth::Principal& p = CallerOf(req);
  const auto d = Load(ctx, req);
  // A connected system pushes only under a write grant, with its purpose stated, and only rows
  // of the grant's units.
  const auto client = ClientOf(ctx, req, d.row.code, true);
  const std::shared_ptr<void> slot = ctx.TakeUploadSlot();
  if (!slot) return UploadBusy(ctx, req);
  ingest::Options options;
  options.file_name = FileName(req);
  options.limits = ctx.upload_limits();
  auto format = EnumParam(req, "format", ingest::ParseFormat, "csv, xlsx, json, ndjson");
  if (!format) format = ingest::GuessFormat(req.Header("content-type"));
  if (!format && !options.file_name.empty()) format = ingest::GuessFormat(options.file_name);
  if (!format && req.body.starts_with("PK\x03\x04")) format = ingest::Format::kXlsx;
  options.format = format.value_or(ingest::Format::kCsv);
  options.dry_run = DryRunParam(req);
  if (auto mode = TextParam(req, "mode")) {
    if (*mode != "all" && *mode != "valid") {
      throw Failure(Error::BadRequest("request.invalid_mode",
                                      "mode must be all (any bad row rejects the batch) or "
                                      "valid (the valid rows are written)"));
    }
    options.accept_valid = *mode == "valid";
  }
  options.client_id =
      TextParam(req, "batch_id").value_or(std::string(req.Header("idempotency-key")));
  if (auto again = TextParam(req, "reingest")) {
    options.reingest = *again == "true" || *again == "1" || *again == "yes";
  }
  options.sheet = TextParam(req, "sheet").value_or("");
  options.encoding = TextParam(req, "encoding").value_or("auto");
  options.by = p.name;
  options.at = FormatTime(ctx.clock().Now());
  auto registry = ctx.registry();
  options.may_write = [&ctx, &p, &client, &registry](const units::Unit& u) {
    if (client && !client->grant.unit.empty() && u.code != client->grant.unit) {
      if (!client->grant.descendants) return false;
      const auto up = registry->Ancestors(u);
      if (std::none_of(up.begin(), up.end(),
                       [&](const units::Unit* a) { return a->code == client->grant.unit; })) {
        return false;
      }
    }
    return MayOn(ctx, p, kDatasetsWrite, &u, false);
  };
  const std::string request_bytes = client ? req.body : std::string();
  const auto report =
      Must(ingest::IngestBytes(ctx.store().datasets(), *registry, d, std::move(req.body), options));
  if (client && report.status != "dry_run") {
    AuditExchange(ctx, req, *client, "share.write", d.row.code,
                  {{"batch", report.id},
                   {"status", report.status},
                   {"body_sha256", audit::Sha256Hex(request_bytes)}},
                  json::serialize(report.ToJson()));
  }
  if (report.status == "committed") ctx.SyncEngine();
  if (report.status == "rejected") {
    ctx.FollowQuality(true);
    return Rejected(report, req);
  }
  return Response::Json(report.ToJson());
}

}  // namespace

std::shared_ptr<void> Context::TakeUploadSlot() {
  std::lock_guard lock(mu_);
  if (max_uploads_ != 0 && uploads_ >= max_uploads_) return nullptr;
  ++uploads_;
  // Non-null (the context itself, not owned), so that the caller can test it.
  return std::shared_ptr<void>(this, [this](void*) {
    std::lock_guard released(mu_);
    --uploads_;
  });
}

namespace {

int64_t IdParam(const Request& req) {
  auto n = ParseCount(req.params.at("id"));
  if (!n) {
    throw Failure(
        Error::NotFound("batch.not_found", "no batch has id '" + req.params.at("id") + "'"));
  }
  return static_cast<int64_t>(*n);
}

Response Batches(Context& ctx, Request& req) {
  const auto d = Load(ctx, req);
  const size_t limit = ParseLimit(req, 20, 200);
  int64_t before = 0;
  if (auto c = TextParam(req, "cursor")) {
    auto n = ParseCount(*c);
    if (!n) throw Failure(Error::BadRequest("request.invalid_cursor", "cursor is a batch id"));
    before = static_cast<int64_t>(*n);
  }
  auto rows = Must(ingest::ListBatches(ctx.store().datasets(), d.row.code, before,
                                       static_cast<int64_t>(limit) + 1));
  json::array items;
  json::value next;
  for (size_t i = 0; i < rows.size(); ++i) {
    if (i == limit) {
      next = std::to_string(rows[i - 1].batch.id);
      break;
    }
    items.push_back(rows[i].report.ToJson());
  }
  return Response::Json(json::object{{"items", std::move(items)}, {"next_cursor", next}});
}

// The values of rejected rows may be personal data of any unit the batch wrote: only the
// sender and those who read every unit's private data (leaders, administrators) see them.
bool MaySeeValues(Context& ctx, const auth::Principal& p, const ingest::Report& r) {
  return p.name == r.created_by || MayOn(ctx, p, kReadPrivate, nullptr, false);
}

Response Batch(Context& ctx, Request& req) {
  auto report = Must(ingest::LoadReport(ctx.store().datasets(), IdParam(req)));
  if (!MaySeeValues(ctx, CallerOf(req), report)) {
    for (auto& e : report.errors) e.value.clear();
  }
  return Response::Json(report.ToJson());
}

Response Rejected(Context& ctx, Request& req) {
  const int64_t id = IdParam(req);
  const auth::Principal& p = CallerOf(req);
  if (!MaySeeValues(ctx, p, Must(ingest::LoadReport(ctx.store().datasets(), id)))) {
    throw Failure(Error{"auth.forbidden",
                        "'" + p.name + "' may not read the rejected rows of batch " +
                            std::to_string(id) + ": only its sender, leaders and administrators",
                        403});
  }
  std::ostringstream out;
  Must(ingest::WriteRejectedCsv(ctx.store().datasets(), id, out));
  Response res;
  res.content_type = "text/csv; charset=utf-8";
  res.body = out.str();
  res.headers.emplace_back("content-disposition", "attachment; filename=\"batch-" +
                                                      std::to_string(id) + "-rejected.csv\"");
  return res;
}

Response Records(Context& ctx, Request& req) {
  const auth::Principal& p = CallerOf(req);
  const auto d = Load(ctx, req);
  ingest::RecordFilter f;
  f.limit = static_cast<int64_t>(ParseLimit(req, 50, 1000));
  if (auto c = TextParam(req, "cursor")) {
    auto n = ParseCount(*c);
    if (!n) throw Failure(Error::BadRequest("request.invalid_cursor", "cursor is a row offset"));
    f.offset = static_cast<int64_t>(*n);
  }
  f.text = TextParam(req, "q").value_or("");
  f.unit = TextParam(req, "unit").value_or("");
  f.sort = TextParam(req, "sort").value_or("");
  if (auto order = TextParam(req, "order")) {
    if (*order != "asc" && *order != "desc") {
      throw Failure(Error::BadRequest("request.invalid_order", "order must be asc or desc"));
    }
    f.descending = *order == "desc";
  }
  for (const auto& [name, value] : req.query) {
    if (name == "limit" || name == "cursor" || name == "q" || name == "unit" || name == "sort" ||
        name == "order" || value.empty()) {
      continue;
    }
    f.equals.emplace_back(name, value);
  }
  f.may_read = [&ctx, &p](const units::Unit& u) { return MayOn(ctx, p, kReadPrivate, &u, false); };
  auto registry = ctx.registry();
  auto list = Must(ingest::QueryRecords(ctx.store().datasets(), *registry, d, f));
  json::array items;
  for (auto& i : list.items) items.push_back(std::move(i));
  json::array fields;
  for (const auto& field : d.schema.fields) fields.emplace_back(field.name);
  const int64_t next = f.offset + static_cast<int64_t>(items.size());
  return Response::Json(json::object{
      {"items", std::move(items)},
      {"total", list.total},
      {"fields", std::move(fields)},
      {"next_cursor", next < list.total ? json::value(std::to_string(next)) : json::value()}});
}

Response History(Context& ctx, Request& req) {
  const auth::Principal& p = CallerOf(req);
  const auto d = Load(ctx, req);
  // The record must be one the caller may read (a single-field key names it).
  if (d.schema.primary_key.size() == 1) {
    ingest::RecordFilter f;
    f.equals.emplace_back(d.schema.primary_key.front(), req.params.at("key"));
    f.limit = 1;
    f.may_read = [&ctx, &p](const units::Unit& u) {
      return MayOn(ctx, p, kReadPrivate, &u, false);
    };
    if (Must(ingest::QueryRecords(ctx.store().datasets(), *ctx.registry(), d, f)).total == 0) {
      throw Failure(Error::NotFound(
          "record.not_found",
          "no record of " + d.row.code + " you may read has key '" + req.params.at("key") + "'"));
    }
  }
  json::array items;
  for (const auto& h :
       Must(ingest::RecordHistory(ctx.store().datasets(), d.row.code, req.params.at("key")))) {
    items.push_back({{"batch", h.batch},
                     {"at", h.at},
                     {"by", h.by},
                     {"previous", json::parse(h.previous_json)}});
  }
  return Response::Json(json::object{{"items", std::move(items)}});
}

}  // namespace

void RegisterDatasetRoutes(http::Router& router, Context& ctx) {
  auto bind = [&ctx](Response (*fn)(Context&, Request&)) {
    return [&ctx, fn](Request& req) { return fn(ctx, req); };
  };
  router.DescribeTag("datasets",
                     "Datasets (tập dữ liệu): schemas, batches of records from files and "
                     "connected systems, their reports, and the records.");
  const std::string report = kDatasetReportSchema;
  router.Add(
      "GET", "/api/v1/datasets", "datasets.list", bind(List),
      {.summary = "The datasets with their size and schema version",
       .tag = "datasets",
       .response_schema = R"({"type":"object","properties":{"items":{"type":"array","items":)" +
                          std::string(kSummarySchema) + "}}}",
       .permission = kDatasetsRead});
  router.Add(
      "GET", "/api/v1/datasets/templates", "datasets.templates", bind(Templates),
      {.summary = "The built-in dataset templates (dossiers, 1022 feedback)",
       .tag = "datasets",
       .response_schema =
           R"({"type":"object","properties":{"items":{"type":"array","items":{"type":"object","properties":{"name":{"type":"string"},"title":{"type":"string"},"title_en":{"type":"string"},"description":{"type":"string"},"schema":)" +
           std::string(kSchemaSchema) + "}}}}}",
       .permission = kDatasetsRead});
  router.Add(
      "POST", "/api/v1/datasets", "datasets.create", bind(Create),
      {.summary = "Create a dataset from a template or a Table Schema",
       .tag = "datasets",
       .request_schema =
           R"({"type":"object","required":["code"],"properties":{"code":{"type":"string"},"title":{"type":"string"},"title_en":{"type":"string"},"description":{"type":"string"},"owner_unit":{"type":"string"},"template":{"type":"string"},"schema":)" +
           std::string(kSchemaSchema) + "}}",
       .response_schema = kSummarySchema,
       .success_status = 201,
       .error_statuses = {400, 409, 415, 422},
       .permission = kDatasetsWrite,
       .stewarded = true});
  router.Add("GET", "/api/v1/datasets/{code}", "datasets.get", bind(Get),
             {.summary = "A dataset with its schema and schema versions",
              .tag = "datasets",
              .response_schema = kSummarySchema,
              .error_statuses = {404},
              .permission = kDatasetsRead});
  router.Add(
      "PUT", "/api/v1/datasets/{code}/schema", "datasets.schema", bind(ChangeSchema),
      {.summary = "Store a new schema version (refused when it would lose data)",
       .tag = "datasets",
       .request_schema = R"({"type":"object","required":["schema"],"properties":{"schema":)" +
                         std::string(kSchemaSchema) + R"(,"note":{"type":"string"}}})",
       .response_schema = kSummarySchema,
       .error_statuses = {400, 404, 415, 422},
       .description = "New fields and widening type changes are stored; removing a "
                      "field that holds values, narrowing a type or changing the key is "
                      "refused with dataset.lossy_change.",
       .permission = kDatasetsWrite,
       .stewarded = true});
  router.Add(
      "GET", "/api/v1/datasets/{code}/template", "datasets.template", bind(Template),
      {.summary = "An Excel workbook to fill in: Vietnamese headers, an example row, drop-downs "
                  "of the code lists and units (a hidden sheet), a sheet of instructions",
       .tag = "datasets",
       .error_statuses = {404},
       .response_content_type = kXlsxType,
       .permission = kDatasetsRead});
  router.Add(
      "GET", "/api/v1/datasets/{code}/datapackage", "datasets.package", bind(Package),
      {.summary = "The dataset as a Frictionless Data Package descriptor",
       .tag = "datasets",
       .response_schema =
           R"({"type":"object","properties":{"name":{"type":"string"},"resources":{"type":"array","items":{"type":"object"}}}})",
       .error_statuses = {404},
       .permission = kDatasetsRead});
  router.Add(
      "POST", "/api/v1/datasets/{code}/batches", "datasets.ingest", bind(Ingest),
      {.summary = "Send a batch: a CSV, XLSX, JSON or NDJSON file, all rows or none",
       .tag = "datasets",
       .params = {{"format", "query", "csv, xlsx, json or ndjson; default from the Content-Type"},
                  {"dry_run", "query", "true: check and count, write nothing"},
                  {"mode", "query", "all (default: any bad row rejects the batch) or valid"},
                  {"batch_id", "query",
                   "Your id for the batch (or the Idempotency-Key header): sending it again "
                   "changes nothing"},
                  {"reingest", "query",
                   "true: read the file even when the same content was already ingested"},
                  {"sheet", "query", "XLSX: the sheet (default the first visible one)"},
                  {"encoding", "query", "CSV: auto (default), utf-8, tcvn3, vni, viscii, cp1258"},
                  {"file_name", "query",
                   "The file's name for the report (or Content-Disposition)"}},
       .response_schema = report,
       .error_statuses = {400, 404, 413, 422, 503},
       .description = "The body is the file. Rows are checked against the schema, units "
                      "resolved (old commune codes through the 2025 crosswalk); the report "
                      "lists every rejected row (a batch rejected whole answers 422 batch.rejected "
                      "with the report in the problem). The same file or batch id sent again is "
                      "reported as a duplicate and changes nothing. Rows of units the caller "
                      "may not write are rejected (unit.out_of_scope).",
       .permission = kDatasetsWrite,
       .scope = "rows"});
  router.Add(
      "GET", "/api/v1/datasets/{code}/batches", "datasets.batches", bind(Batches),
      {.summary = "The dataset's batches, newest first",
       .tag = "datasets",
       .params = {{"limit", "query", "1 to 200, default 20", false, R"({"type":"integer"})"},
                  {"cursor", "query", "next_cursor of the previous page"}},
       .response_schema = R"({"type":"object","properties":{"items":{"type":"array","items":)" +
                          report + R"(},"next_cursor":{"type":["string","null"]}}})",
       .error_statuses = {400, 404},
       .permission = kDatasetsRead});
  router.Add("GET", "/api/v1/batches/{id}", "batches.get", bind(Batch),
             {.summary = "A batch's report",
              .tag = "datasets",
              .response_schema = report,
              .error_statuses = {404},
              .description = "The rejected values are shown to the batch's sender, leaders and "
                             "administrators; others see the rows, columns and reasons.",
              .permission = kDatasetsRead});
  router.Add("GET", "/api/v1/batches/{id}/rejected", "batches.rejected", bind(Rejected),
             {.summary = "Every rejected row of a batch, as CSV",
              .tag = "datasets",
              .params = {{"format", "query", "csv"}},
              .error_statuses = {403, 404},
              .description = "For the batch's sender, leaders and administrators.",
              .response_content_type = "text/csv",
              .permission = kReadPrivate,
              .scope = "rows"});
  router.Add(
      "GET", "/api/v1/datasets/{code}/records", "datasets.records", bind(Records),
      {.summary = "The records, filtered, sorted and paged; officers see their units' records",
       .tag = "datasets",
       .params = {{"q", "query", "Words in any text field, with or without diacritics"},
                  {"unit", "query", "Records of this unit and the units below it"},
                  {"sort", "query", "A field name"},
                  {"order", "query", "asc (default) or desc"},
                  {"limit", "query", "1 to 1000, default 50", false, R"({"type":"integer"})"},
                  {"cursor", "query", "next_cursor of the previous page"}},
       .response_schema =
           R"({"type":"object","properties":{"items":{"type":"array","items":{"type":"object"}},"total":{"type":"integer"},"fields":{"type":"array","items":{"type":"string"}},"next_cursor":{"type":["string","null"]}}})",
       .error_statuses = {400, 404},
       .description = "Any other query parameter named after a field filters on its value.",
       .permission = kReadPrivate,
       .scope = "rows"});
  router.Add(
      "GET", "/api/v1/datasets/{code}/records/{key}/history", "datasets.history", bind(History),
      {.summary = "The previous values of a record, one entry per change",
       .tag = "datasets",
       .response_schema =
           R"({"type":"object","properties":{"items":{"type":"array","items":{"type":"object","properties":{"batch":{"type":"integer"},"at":{"type":"string"},"by":{"type":"string"},"previous":{"type":"object"}}}}}})",
       .error_statuses = {404},
       .permission = kReadPrivate,
       .scope = "rows"});
}

}  // namespace pdh::api
