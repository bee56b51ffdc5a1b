// /api/v1/quality and /api/v1/datasets/{code}/checks: data quality (M9) — the scoreboard of
// units and datasets as of a date, the scores behind it, each dataset's checks, and the rows
// that fail them.
#include <boost/json.hpp>

#include <iostream>

#include <sstream>
#include <string>
#include <vector>

#include "api/api.h"
#include "api/handler_util.h"
#include "core/date.h"
#include "core/sheet.h"
#include "quality/quality.h"

namespace pdh::api {
namespace json = boost::json;
namespace {

using http::Request;
using http::Response;

constexpr const char* kQualityRead = "datasets.read";
constexpr const char* kQualityPrivate = "datasets.read_private";
constexpr const char* kQualityWrite = "datasets.write";

std::shared_ptr<const std::vector<quality::Evaluation>> EvaluationsAsOf(Context& ctx, Date as_of) {
  auto registry = ctx.registry();
  return Must(ctx.quality().Evaluations(*registry, as_of));
}

// The units a caller sees in the scoreboard: a unit's officer his own (and those below when
// his role says so), leaders and the province's stewards all of them.
std::function<bool(const std::string&)> Visible(Context& ctx, const Request& req,
                                                const char* permission) {
  const auto& caller = CallerOf(req);
  return [&ctx, &caller, permission](const std::string& unit) {
    return unit.empty() || MayOnCode(ctx, caller, permission, unit, false);
  };
}

Response Scoreboard(Context& ctx, Request& req) {
  return Response::Json(QualityScoreboard(ctx, AsOf(ctx, req), Visible(ctx, req, kQualityPrivate)));
}

// The catalog's databases scored as of a date (the scoreboard's "databases"); with {code}, one.
json::array DatabaseScores(Context& ctx, const Request& req) {
  const Date as_of = AsOf(ctx, req);
  auto evaluations = EvaluationsAsOf(ctx, as_of);
  auto registry = ctx.registry();
  const auto catalog = Must(ctx.catalog().EntriesAsOf(as_of));
  auto board = quality::Scoreboard(
      *evaluations, {}, *registry, as_of, [](const std::string&) { return false; }, &catalog);
  return std::move(board.at("databases").as_array());
}

Response DatabasesList(Context& ctx, Request& req) {
  return Response::Json(json::object{{"items", DatabaseScores(ctx, req)}});
}

Response DatabaseOne(Context& ctx, Request& req) {
  const std::string& code = req.params.at("code");
  for (auto& item : DatabaseScores(ctx, req)) {
    if (item.as_object().at("code").as_string() == code) return Response::Json(item);
  }
  throw Failure(Error::NotFound("quality.not_scored",
                                "'" + code +
                                    "' is not a database in use in the catalog on that date, nor "
                                    "an entry a dataset names: nothing is scored for it"));
}

// Queues the quality alerts as of a date for the units' contacts (the outbox delivers them).
Response QueueNotifications(Context& ctx, Request& req) {
  const auto messages = Must(QualityMessages(ctx, AsOf(ctx, req)));
  const size_t added = Must(ctx.outbox().Add(messages));
  return Response::Json(json::object{{"alerts", messages.size()}, {"added", added}});
}

Response ScoresList(Context& ctx, Request& req) {
  const Date as_of = AsOf(ctx, req);
  auto dimension =
      EnumParam(req, "dimension", quality::ParseDimension, "correct, sufficient, clean, alive");
  auto evaluations = EvaluationsAsOf(ctx, as_of);
  auto registry = ctx.registry();
  json::array items = quality::Scores(
      *evaluations, *registry, TextParam(req, "dataset").value_or(""),
      TextParam(req, "unit").value_or(""), TextParam(req, "period").value_or(""), dimension);
  const auto visible = Visible(ctx, req, kQualityPrivate);
  json::array shown;
  for (auto& item : items) {
    if (visible(std::string(item.as_object().at("unit").as_string()))) {
      shown.push_back(std::move(item));
    }
  }
  return Response::Json(json::object{{"items", std::move(shown)}});
}

json::object ChecksJson(Context& ctx, const ingest::Dataset& d) {
  auto set = Must(quality::LoadChecks(ctx.store(), d));
  return {
      {"dataset", d.row.code},
      {"checks", quality::ToJson(set.checks)},
      {"catalog_entry", set.catalog_entry},
      {"defaults", quality::ToJson(quality::DefaultChecks(d))},
      {"stored", set.stored},
      {"updated_at", set.updated_at.empty() ? json::value(nullptr) : json::value(set.updated_at)},
      {"updated_by", set.updated_by}};
}

Response GetChecks(Context& ctx, Request& req) {
  auto d = Must(ingest::LoadDataset(ctx.store().datasets(), req.params.at("code")));
  return Response::Json(ChecksJson(ctx, d));
}

Response PutChecks(Context& ctx, Request& req) {
  auto d = Must(ingest::LoadDataset(ctx.store().datasets(), req.params.at("code")));
  json::object body = BodyObject(req);
  OnlyFields(body, {"checks", "catalog_entry"});
  quality::CheckSet set;
  set.checks = Must(quality::ParseChecks(body, d));
  set.stored = true;
  if (const auto* entry = body.if_contains("catalog_entry"); entry && !entry->is_null()) {
    if (!entry->is_string()) {
      throw Failure(Error::Invalid(std::string(quality::kInvalidCheck),
                                   "catalog_entry: a catalog entry's code, or null"));
    }
    set.catalog_entry = std::string(entry->as_string());
    if (!set.catalog_entry.empty() && !ctx.catalog().Get(set.catalog_entry)) {
      throw Failure(Error::Invalid(std::string(quality::kInvalidCheck),
                                   "catalog_entry: '" + set.catalog_entry +
                                       "' is not an entry of the catalog: give the code of the "
                                       "database whose data this dataset holds"));
    }
  }
  Must(quality::SaveChecks(ctx.store(), d, set, CallerOf(req).name, FormatTime(ctx.clock().Now())));
  ctx.quality().Invalidate();
  ctx.events()->Publish(
      "quality",
      json_util::Serialize(json::object{
          {"at", FormatTime(ctx.clock().Now())}, {"dataset", d.row.code}, {"reason", "checks"}}));
  return Response::Json(ChecksJson(ctx, d));
}

Response Failures(Context& ctx, Request& req) {
  const Date as_of = AsOf(ctx, req);
  const std::string dataset = TextParam(req, "dataset").value_or("");
  const std::string check = TextParam(req, "check").value_or("");
  const std::string unit = TextParam(req, "unit").value_or("");
  const std::string month = TextParam(req, "period").value_or("");
  const size_t limit = ParseLimit(req, 100, 1000);
  const auto visible = Visible(ctx, req, kQualityPrivate);
  std::map<std::string, bool> may_see;  // unit -> visible, asked once each
  std::vector<std::vector<std::string>> rows;
  json::array items;
  int64_t total = 0;
  auto registry = ctx.registry();
  Must(ctx.quality().ForEachFailure(
      *registry, as_of, dataset, [&](const quality::Evaluation& ev, const quality::Failure& f) {
        const auto& c = ev.checks[f.check];
        if ((!check.empty() && c.id != check) || (!unit.empty() && f.unit != unit) ||
            (!month.empty() && f.month != month)) {
          return;
        }
        auto [seen, fresh] = may_see.try_emplace(f.unit, false);
        if (fresh) seen->second = visible(f.unit);
        if (!seen->second) return;
        rows.push_back(
            {ev.dataset, c.id, c.title, f.key, f.unit, f.month, f.field, f.value, f.reason});
        if (items.size() < limit) {
          items.push_back({{"dataset", ev.dataset},
                           {"check", c.id},
                           {"title", c.title},
                           {"key", f.key},
                           {"unit", f.unit},
                           {"month", f.month},
                           {"field", f.field},
                           {"value", f.value},
                           {"reason", f.reason}});
        }
      }));
  // How many fail: the cells' counts (the rows above are those kept for the drill-down, at most
  // 20 of a check in a unit's month).
  for (const auto& ev : *EvaluationsAsOf(ctx, as_of)) {
    if (!dataset.empty() && ev.dataset != dataset) continue;
    for (const auto& cell : ev.cells) {
      if ((!unit.empty() && cell.unit != unit) || (!month.empty() && cell.month != month)) continue;
      auto [seen, fresh] = may_see.try_emplace(cell.unit, false);
      if (fresh) seen->second = visible(cell.unit);
      if (!seen->second) continue;
      for (const auto& cc : cell.checks) {
        if (check.empty() || ev.checks[cc.check].id == check) total += cc.failed;
      }
    }
  }
  const auto format = TextParam(req, "format").value_or("json");
  if (format == "json") {
    return Response::Json(
        json::object{{"items", std::move(items)}, {"total", total}, {"listed", rows.size()}});
  }
  if (format != "csv" && format != "xlsx") {
    throw Failure(Error::BadRequest("request.invalid_format", "format must be json, csv or xlsx"));
  }
  rows.insert(rows.begin(), {"Tập dữ liệu", "Kiểm tra", "Tên kiểm tra", "Bản ghi", "Đơn vị",
                             "Tháng", "Trường", "Giá trị", "Lý do"});
  const std::string name = "loi-chat-luong" + (dataset.empty() ? "" : "-" + dataset);
  return SheetDownload(
      req, name,
      [&](std::ostream& out) {
        out << "\xEF\xBB\xBF";
        for (const auto& r : rows) {
          for (size_t i = 0; i < r.size(); ++i) {
            if (i > 0) out << ',';
            const auto& v = r[i];
            if (v.find_first_of(",\"\r\n") == std::string::npos) {
              out << v;
            } else {
              out << '"';
              for (char ch : v) out << (ch == '"' ? std::string("\"\"") : std::string(1, ch));
              out << '"';
            }
          }
          out << "\r\n";
        }
        return Ok();
      },
      [&](std::ostream& out) { return WriteXlsxSheet(out, "Lỗi", rows, {}); });
}

constexpr const char* kScoresObject =
    R"("overall":{"type":["number","null"]},"correct":{"type":["number","null"]},"sufficient":{"type":["number","null"]},"clean":{"type":["number","null"]},"alive":{"type":["number","null"]})";

std::string ScoredSchema(const std::string& extra) {
  return std::string(R"({"type":"object","properties":{)") + kScoresObject +
         R"(,"change":{"type":["object","null"]})" + extra + "}}";
}

constexpr const char* kDatabaseSchema =
    R"({"type":"object","properties":{"code":{"type":"string"},"name":{"type":"string"},"kind":{"type":"string"},"sector":{"type":"string"},"owner":{"type":"string"},"owner_name":{"type":["string","null"]},"status":{"type":"string"},"dataset":{"type":["string","null"]},"overall":{"type":["number","null"]},"correct":{"type":["number","null"]},"sufficient":{"type":["number","null"]},"clean":{"type":["number","null"]},"alive":{"type":["number","null"]},"change":{"type":["object","null"]},"facts":{"type":"object","properties":{"connected":{"type":"boolean"},"ioc_connected":{"type":"boolean"},"last_data_update":{"type":["string","null"]},"days_since_update":{"type":["integer","null"]},"record_count":{"type":["integer","null"]},"contact":{"type":"boolean"}}},"problems":{"type":"array","items":{"type":"string","enum":["not_connected","no_update_date","stale_update","no_record_count","no_contact"]}}}})";

constexpr const char* kCheckSchema =
    R"({"type":"object","required":["id","type"],"properties":{"id":{"type":"string"},"title":{"type":"string"},"type":{"type":"string","enum":["missing","pattern","range","codes","duplicate","rule","reference","freshness","row_count","completeness","timeliness","outliers","consistency","near_duplicate","rejected"]},"severity":{"type":"string","enum":["error","warning","info"]},"dimension":{"type":"string","enum":["correct","sufficient","clean","alive"]},"field":{"type":"string"},"fields":{"type":"array","items":{"type":"string"}},"pattern":{"type":"string"},"min":{"type":["number","null"]},"max":{"type":["number","null"]},"values":{"type":"array","items":{"type":"string"}},"expression":{"type":"string"},"block":{"type":"array","items":{"type":"string"}},"dataset":{"type":"string"},"key":{"type":"string"},"max_days":{"type":"integer"},"within_percent":{"type":"number"},"threshold":{"type":"number"},"due_day":{"type":"integer"},"method":{"type":"string","enum":["modified_z","sd"]}}})";

}  // namespace

json::object QualityScoreboard(Context& ctx, Date as_of,
                               const std::function<bool(const std::string&)>& may_see) {
  auto evaluations = EvaluationsAsOf(ctx, as_of);
  quality::ReportsAt reports_at;
  if (ctx.has_engine()) {
    reports_at = [&ctx, snap = ctx.engine().snapshot()](Date d) {
      return ctx.quality().Reports(snap, d);
    };
  }
  auto registry = ctx.registry();
  const auto catalog = Must(ctx.catalog().EntriesAsOf(as_of));
  return quality::Scoreboard(*evaluations, reports_at, *registry, as_of, may_see, &catalog);
}

Result<std::vector<notify::Message>> QualityMessages(Context& ctx, Date as_of) {
  auto registry = ctx.registry();
  auto evaluations = ctx.quality().Evaluations(*registry, as_of);
  if (!evaluations) return Fail(evaluations.error());
  quality::ReportsAt reports_at;
  if (ctx.has_engine()) {
    reports_at = [&ctx, snap = ctx.engine().snapshot()](Date d) {
      return ctx.quality().Reports(snap, d);
    };
  }
  const auto alerts = quality::Alerts(**evaluations, reports_at, *registry, as_of,
                                      quality::AlertThreshold(ctx.store()));
  return quality::Messages(alerts, *registry, as_of);
}

void Context::FollowQuality(bool any_batch) {
  auto changes = quality_.Follow(*registry(), any_batch);
  if (!changes) {
    std::cerr << "pdh: quality: " << changes.error().message << "\n";
    return;
  }
  if (changes->datasets.empty()) return;
  events_->Publish(
      "quality",
      json_util::Serialize(json::object{
          {"at", FormatTime(clock_.Now())},
          {"reason", "batch"},
          {"datasets", json_util::Strings({changes->datasets.begin(), changes->datasets.end()})},
          {"units", json_util::Strings({changes->units.begin(), changes->units.end()})},
          {"as_of", json_util::Strings(changes->as_of)}}));
}

void RegisterQualityRoutes(http::Router& router, Context& ctx) {
  auto bind = [&ctx](Response (*fn)(Context&, Request&)) {
    return [&ctx, fn](Request& req) { return fn(ctx, req); };
  };
  router.DescribeTag("quality",
                     "Data quality (đúng, đủ, sạch, sống): scores per dataset, unit and month "
                     "from each dataset's checks, the scoreboard, and the failing rows");
  const std::string checks_answer =
      std::string(
          R"({"type":"object","properties":{"dataset":{"type":"string"},"catalog_entry":{"type":"string"},"stored":{"type":"boolean"},"updated_at":{"type":["string","null"]},"updated_by":{"type":"string"},"checks":{"type":"array","items":)") +
      kCheckSchema + R"(},"defaults":{"type":"array","items":)" + kCheckSchema + "}}}";
  router.Add(
      "GET", "/api/v1/quality/scoreboard", "quality.scoreboard", bind(Scoreboard),
      {.summary = "Units and datasets ranked by quality as of a date, with the worst checks",
       .tag = "quality",
       .params = {AsOfParam()},
       .response_schema =
           R"({"type":"object","properties":{"as_of":{"type":"string"},"month":{"type":"string"},"province":)" +
           ScoredSchema("") + R"(,"units":{"type":"array","items":)" +
           ScoredSchema(
               R"(,"unit":{"type":"string"},"name":{"type":"string"},"rows":{"type":"integer"},"worst":{"type":["object","null"]})") +
           R"(},"datasets":{"type":"array","items":)" +
           ScoredSchema(
               R"(,"dataset":{"type":"string"},"title":{"type":"string"},"rows":{"type":"integer"},"units":{"type":"integer"})") +
           R"(},"checks":{"type":"array","items":{"type":"object","properties":{"dataset":{"type":"string"},"check":{"type":"string"},"title":{"type":"string"},"type":{"type":"string"},"dimension":{"type":"string"},"failed":{"type":"integer"},"total":{"type":"integer"},"rate":{"type":"number"}}}},"trend":{"type":"array","items":)" +
           ScoredSchema(R"(,"month":{"type":"string"})") +
           R"(},"databases":{"type":"array","items":)" + kDatabaseSchema + "}}}",
       .error_statuses = {400},
       .permission = kQualityRead});
  router.Add(
      "GET", "/api/v1/quality/scores", "quality.scores", bind(ScoresList),
      {.summary = "Scores per dataset, unit, month and dimension, with the checks behind each",
       .tag = "quality",
       .params = {AsOfParam(),
                  {"dataset", "query", "A dataset's code"},
                  {"unit", "query", "A unit's code"},
                  {"period", "query", "A month, YYYY-MM"},
                  {"dimension", "query", "correct, sufficient, clean or alive"}},
       .response_schema =
           R"({"type":"object","properties":{"items":{"type":"array","items":{"type":"object","properties":{"dataset":{"type":"string"},"unit":{"type":"string"},"unit_name":{"type":["string","null"]},"month":{"type":"string"},"dimension":{"type":"string"},"score":{"type":"number"},"rows":{"type":"integer"},"checks":{"type":"array","items":{"type":"object","properties":{"check":{"type":"string"},"title":{"type":"string"},"failed":{"type":"integer"},"total":{"type":"integer"}}}}}}}}})",
       .error_statuses = {400},
       .permission = kQualityRead});
  router.Add(
      "POST", "/api/v1/quality/notifications", "quality.notify", bind(QueueNotifications),
      {.summary = "Queue the quality alerts as of a date for each unit's contact "
                  "(webhook and e-mail through the outbox); repeated calls add nothing new",
       .tag = "quality",
       .params = {AsOfParam()},
       .response_schema =
           R"({"type":"object","properties":{"alerts":{"type":"integer"},"added":{"type":"integer"}}})",
       .error_statuses = {400},
       .permission = kQualityWrite,
       .stewarded = true});
  router.Add(
      "GET", "/api/v1/quality/databases", "quality.databases", bind(DatabasesList),
      {.summary = "The catalog's databases scored: their dataset's scores and what the "
                  "catalog says of them",
       .tag = "quality",
       .params = {AsOfParam()},
       .response_schema =
           std::string(R"({"type":"object","properties":{"items":{"type":"array","items":)") +
           kDatabaseSchema + "}}}",
       .error_statuses = {400},
       .permission = kQualityRead});
  router.Add(
      "GET", "/api/v1/quality/databases/{code}", "quality.database", bind(DatabaseOne),
      {.summary = "One catalog entry's quality: its dataset's scores and the catalog's facts",
       .tag = "quality",
       .params = {AsOfParam()},
       .response_schema = kDatabaseSchema,
       .error_statuses = {400, 404},
       .permission = kQualityRead});
  router.Add(
      "GET", "/api/v1/quality/failures", "quality.failures", bind(Failures),
      {.summary = "The rows that fail a check, with the reason (JSON, CSV or XLSX)",
       .tag = "quality",
       .params = {AsOfParam(),
                  {"dataset", "query", "A dataset's code"},
                  {"check", "query", "A check's id"},
                  {"unit", "query", "A unit's code"},
                  {"period", "query", "A month, YYYY-MM"},
                  {"limit", "query", "1 to 1000, default 100", false, R"({"type":"integer"})"},
                  {"format", "query", "json (default), csv or xlsx"}},
       .response_schema =
           R"({"type":"object","properties":{"total":{"type":"integer"},"listed":{"type":"integer"},"items":{"type":"array","items":{"type":"object","properties":{"dataset":{"type":"string"},"check":{"type":"string"},"title":{"type":"string"},"key":{"type":"string"},"unit":{"type":"string"},"month":{"type":"string"},"field":{"type":"string"},"value":{"type":"string"},"reason":{"type":"string"}}}}}})",
       .error_statuses = {400},
       .description = "Only the rows of units the caller may read private data of.",
       .permission = kQualityPrivate,
       .scope = "rows"});
  router.Add("GET", "/api/v1/datasets/{code}/checks", "quality.checks", bind(GetChecks),
             {.summary = "A dataset's quality checks (the defaults its schema implies until "
                         "some are saved)",
              .tag = "quality",
              .response_schema = checks_answer,
              .error_statuses = {404},
              .permission = kQualityRead});
  router.Add(
      "PUT", "/api/v1/datasets/{code}/checks", "quality.checks_put", bind(PutChecks),
      {.summary = "Save a dataset's quality checks",
       .tag = "quality",
       .request_schema =
           std::string(
               R"({"type":"object","required":["checks"],"properties":{"catalog_entry":{"type":["string","null"]},"checks":{"type":"array","items":)") +
           kCheckSchema + "}}}",
       .response_schema = checks_answer,
       .error_statuses = {400, 404, 415, 422},
       .description = "A check naming a field the dataset does not have is refused with "
                      "quality.invalid_check, a rule that does not parse with "
                      "quality.bad_expression.",
       .permission = kQualityWrite,
       .stewarded = true});
}

}  // namespace pdh::api
