// /api/v1/tracker: the Resolution 57 register (M6) — programmes, targets and tasks with their
// lifecycle and history, monthly progress reports, the figures as of a date, reminders.
#include <boost/json.hpp>

#include <sstream>

#include "api/api.h"
#include "api/handler_util.h"
#include "tracker/tracker.h"

namespace pdh::api {
namespace json = boost::json;
namespace {

using http::Request;
using http::Response;

constexpr const char* kTrackerWrite = "tracker.write";

constexpr const char* kCounts =
    R"({"type":"object","properties":{"total":{"type":"integer"},"completed":{"type":"integer"},"completed_on_time":{"type":"integer"},"completed_late":{"type":"integer"},"in_progress":{"type":"integer"},"not_started":{"type":"integer"},"overdue":{"type":"integer"},"cancelled":{"type":"integer"},"completion_rate":{"type":"number"}}})";

constexpr const char* kItemProperties = R"(
    "kind":{"type":"string","enum":["target","task"]},
    "code":{"type":"string"},"programme":{"type":"string"},"parent":{"type":"string"},
    "level":{"type":"string","enum":["central","province","unit"]},
    "title":{"type":"string"},"sector":{"type":"string"},"lead_unit":{"type":"string"},
    "cooperating_units":{"type":"array","items":{"type":"string"}},
    "leader":{"type":"object","properties":{"name":{"type":"string"},"position":{"type":"string"}}},
    "assigned_at":{"type":["string","null"],"format":"date"},
    "deadline":{"type":["string","null"],"format":"date"},
    "recurrence":{"type":"string","enum":["","monthly","quarterly","yearly"]},
    "expected_product":{"type":"string"},
    "baseline":{"type":["number","null"]},"target_value":{"type":["number","null"]},
    "measure_unit":{"type":"string"},"indicator":{"type":"string"},
    "state":{"type":"string","enum":["not_started","in_progress","completed","cancelled"]},
    "completed_at":{"type":["string","null"],"format":"date"})";

std::string RecordSchema() {
  return R"({"type":"object","properties":{)" + std::string(kItemProperties) +
         R"(,"version":{"type":"integer"},"effective":{"type":"string","format":"date"},"adjusted":{"type":"boolean"},"status":{"type":"string","enum":["not_started","in_progress","overdue","completed_on_time","completed_late","cancelled"]},"percent":{"type":["integer","null"]},"lead_unit_name":{"type":["string","null"]}}})";
}

std::string TrackerWriteSchema() {
  return R"({"type":"object","required":["kind","code","programme","title","lead_unit"],"properties":{)" +
         std::string(kItemProperties) +
         R"(,"reason":{"type":"string"},"approval":{"type":"string","description":"Adjustments: the approving decision"},"effective":{"type":"string","format":"date"},"expected_version":{"type":"integer"}}})";
}

constexpr const char* kTrackerReportSchema =
    R"({"type":"object","properties":{"task":{"type":"string"},"month":{"type":"string"},"percent":{"type":"integer","minimum":0,"maximum":100},"done":{"type":"string"},"difficulties":{"type":"string"},"proposals":{"type":"string"},"submitted_at":{"type":"string"},"updated_at":{"type":"string"},"submitted_by":{"type":"string"},"attachments":{"type":"array","items":{"type":"object","properties":{"id":{"type":"integer"},"name":{"type":"string"},"content_type":{"type":"string"},"size":{"type":"integer"}}}}}})";

constexpr const char* kImportSchema =
    R"({"type":"object","properties":{"rows":{"type":"integer"},"created":{"type":"integer"},"updated":{"type":"integer"},"unchanged":{"type":"integer"},"rejected":{"type":"integer"},"dry_run":{"type":"boolean"},"written":{"type":"boolean"},"errors":{"type":"array","items":{"type":"object"}}}})";

json::object RecordJson(const tracker::ItemRecord& r, const units::Registry& reg) {
  json::object o = tracker::ToJson(r);
  o["lead_unit_name"] = UnitNameOr(reg, r.item.lead_unit);
  return o;
}

json::array RecordsJson(const std::vector<tracker::ItemRecord>& list, const units::Registry& reg) {
  json::array a;
  for (const auto& r : list) a.push_back(RecordJson(r, reg));
  return a;
}

std::optional<tracker::Derived> ParseDerived(std::string_view s) {
  for (auto d : {tracker::Derived::kNotStarted, tracker::Derived::kInProgress,
                 tracker::Derived::kOverdue, tracker::Derived::kCompletedOnTime,
                 tracker::Derived::kCompletedLate, tracker::Derived::kCancelled}) {
    if (tracker::kDerivedNames.Name(d) == s) return d;
  }
  return std::nullopt;
}

// The steward unit's officers and administrators: they add the province's items and approve
// adjustments.
bool IsSteward(Context& ctx, const auth::Principal& p) {
  auto reg = ctx.registry();
  return MayOn(ctx, p, kTrackerWrite, nullptr, false) ||
         MayOn(ctx, p, kTrackerWrite, ctx.steward_unit(*reg), false);
}

Response TrackerSummary(Context& ctx, Request& req) {
  json::object o = tracker::ToJson(Must(ctx.tracker().SummaryAsOf(AsOf(ctx, req))));
  o["due_day"] = ctx.tracker().due_day();
  auto reg = ctx.registry();
  for (const char* list : {"overdue", "due_soon"}) {
    if (auto* a = o.if_contains(list); a && a->is_array()) {
      for (auto& item : a->as_array()) {
        auto& r = item.as_object();
        r["lead_unit_name"] = UnitNameOr(*reg, std::string(r["lead_unit"].as_string()));
      }
    }
  }
  return Response::Json(o);
}

Response ListProgrammes(Context& ctx, Request&) {
  json::array items;
  for (const auto& p : Must(ctx.tracker().Programmes())) items.push_back(tracker::ToJson(p));
  return Response::Json(json::object{{"items", std::move(items)}});
}

Response ListItems(Context& ctx, Request& req) {
  tracker::Filter f;
  f.kind = EnumParam(req, "kind", reg::ParseWith<tracker::kItemKindNames>, "target, task");
  f.programme = TextParam(req, "programme");
  f.level =
      EnumParam(req, "level", reg::ParseWith<tracker::kLevelNames>, "central, province, unit");
  f.unit = TextParam(req, "unit");
  f.sector = TextParam(req, "sector");
  f.status = EnumParam(req, "status", ParseDerived,
                       "not_started, in_progress, overdue, completed_on_time, completed_late, "
                       "cancelled");
  f.q = TextParam(req, "q").value_or("");
  f.after = TextParam(req, "cursor").value_or("");
  f.limit = static_cast<int64_t>(ParseLimit(req, 100, 1000));
  auto page = Must(ctx.tracker().List(f, AsOf(ctx, req)));
  auto reg = ctx.registry();
  return Response::Json(
      json::object{{"items", RecordsJson(page.items, *reg)},
                   {"next", page.next.empty() ? json::value(nullptr) : json::value(page.next)}});
}

json::object ObligationJson(const tracker::Obligation& o, const std::string& title,
                            const units::Registry& reg) {
  json::object j = tracker::ToJson(o);
  j["task_title"] = title;
  j["unit_name"] = UnitNameOr(reg, o.unit);
  return j;
}

Response GetItem(Context& ctx, Request& req) {
  const Date as_of = AsOf(ctx, req);
  const std::string& code = req.params.at("code");
  auto record = Must(ctx.tracker().Get(code, as_of));
  auto reg = ctx.registry();
  json::object o = RecordJson(record, *reg);
  o["children"] = RecordsJson(Must(ctx.tracker().Children(code, as_of)), *reg);
  json::array reports;
  for (const auto& r : Must(ctx.tracker().Reports(code))) reports.push_back(tracker::ToJson(r));
  o["reports"] = std::move(reports);
  json::array obligations;
  if (record.item.kind == tracker::ItemKind::kTask) {
    for (const auto& ob : Must(ctx.tracker().Obligations(as_of, record.item.lead_unit))) {
      if (ob.task == code) obligations.push_back(ObligationJson(ob, record.item.title, *reg));
    }
  }
  o["obligations"] = std::move(obligations);
  const auth::Principal& p = CallerOf(req);
  o["can_edit"] = MayOnCode(ctx, p, kTrackerWrite, record.item.lead_unit, true);
  o["can_adjust"] = IsSteward(ctx, p);
  o["can_report"] = record.item.kind == tracker::ItemKind::kTask &&
                    MayOnCode(ctx, p, kTrackerWrite, record.item.lead_unit, false);
  return Response::Json(o);
}

std::pair<tracker::Item, tracker::Change> WriteBody(const Request& req) {
  json::object body = BodyObject(req);
  tracker::Change change;
  change.actor = CallerOf(req).name;
  change.reason = OptString(body, "reason").value_or("");
  change.approval = OptString(body, "approval").value_or("");
  if (auto eff = OptString(body, "effective"); eff && !eff->empty()) {
    auto d = Date::Parse(*eff);
    if (!d) {
      throw Failure(Error::Invalid("tracker.invalid_field",
                                   "effective: '" + *eff + "' is not a date: use YYYY-MM-DD"));
    }
    change.effective = *d;
  }
  change.expected = OptInt(body, "expected_version");
  for (const char* key : {"reason", "approval", "effective", "expected_version"}) body.erase(key);
  return {Must(tracker::ItemFromJson(body)), std::move(change)};
}

[[noreturn]] void Forbidden(const auth::Principal& p, const std::string& what) {
  throw Failure(Error{"auth.forbidden", "'" + p.name + "' may not " + what, 403});
}

Response CreateItem(Context& ctx, Request& req) {
  auto [item, change] = WriteBody(req);
  const auth::Principal& p = CallerOf(req);
  // Units assign tasks to themselves and below; the province's items are the steward's.
  if (item.level != tracker::Level::kUnit && !IsSteward(ctx, p)) {
    Forbidden(p, "add " + std::string(tracker::kLevelNames.Name(item.level)) +
                     "-level items: that is for the Department of Science and Technology");
  }
  if (!MayOnCode(ctx, p, kTrackerWrite, item.lead_unit, true)) {
    Forbidden(p, "add items led by " + item.lead_unit);
  }
  auto record = Must(ctx.tracker().Create(item, change));
  Response r = Response::Json(RecordJson(record, *ctx.registry()), 201);
  r.headers.emplace_back("Location", "/api/v1/tracker/items/" + record.item.code);
  return r;
}

// A change of what was assigned (as opposed to recording progress).
bool IsAdjustment(const tracker::Item& before, const tracker::Item& after) {
  return before.deadline != after.deadline || before.title != after.title ||
         before.expected_product != after.expected_product ||
         before.target_value != after.target_value || before.lead_unit != after.lead_unit;
}

Response UpdateItem(Context& ctx, Request& req) {
  auto [item, change] = WriteBody(req);
  const std::string& code = req.params.at("code");
  if (item.code != code) {
    throw Failure(Error::Invalid("tracker.invalid_transition",
                                 "code: an item's code never changes (the path says '" + code +
                                     "', the body '" + item.code + "')"));
  }
  const auth::Principal& p = CallerOf(req);
  auto current = Must(ctx.tracker().Get(code, Date::Today()));
  if (IsAdjustment(current.item, item) && !IsSteward(ctx, p)) {
    Forbidden(p,
              "adjust an item (deadline, content, target, lead unit): ask the Department of "
              "Science and Technology");
  }
  if (!MayOnCode(ctx, p, kTrackerWrite, item.lead_unit, true)) {
    Forbidden(p, "hand the item to " + item.lead_unit);
  }
  auto record = Must(ctx.tracker().Update(item, change));
  return Response::Json(RecordJson(record, *ctx.registry()));
}

Response PutReport(Context& ctx, Request& req) {
  json::object body = BodyObject(req);
  OnlyFields(body, {"percent", "done", "difficulties", "proposals", "task", "month"});
  tracker::Report r;
  r.task = req.params.at("code");
  r.month = req.params.at("month");
  auto percent = OptInt(body, "percent");
  if (!percent) {
    throw Failure(Error::Invalid("tracker.missing_field", "percent: required (0 to 100)"));
  }
  if (*percent < 0 || *percent > 100) {
    throw Failure(Error::Invalid("tracker.invalid_field", "percent: must be from 0 to 100"));
  }
  r.percent = static_cast<int>(*percent);
  r.done = OptString(body, "done").value_or("");
  r.difficulties = OptString(body, "difficulties").value_or("");
  r.proposals = OptString(body, "proposals").value_or("");
  return Response::Json(tracker::ToJson(Must(ctx.tracker().SubmitReport(r, CallerOf(req).name))));
}

Response Attach(Context& ctx, Request& req) {
  auto name = TextParam(req, "name");
  if (!name) {
    throw Failure(
        Error::BadRequest("request.missing_parameter", "give the file name: ?name=bao-cao.pdf"));
  }
  std::string type(req.Header("content-type"));
  if (auto semi = type.find(';'); semi != std::string::npos) type.resize(semi);
  auto a = Must(ctx.tracker().Attach(req.params.at("code"), req.params.at("month"), *name, type,
                                     std::move(req.body), CallerOf(req).name));
  return Response::Json(
      json::object{
          {"id", a.id}, {"name", a.name}, {"content_type", a.content_type}, {"size", a.size}},
      201);
}

Response GetAttachment(Context& ctx, Request& req) {
  auto id = ParseCount(req.params.at("id"));
  if (!id) throw Failure(Error::NotFound("tracker.not_found", "no attachment with that id"));
  auto [a, bytes] = Must(ctx.tracker().AttachmentData(static_cast<int64_t>(*id)));
  Response r;
  r.content_type = a.content_type;
  r.body = std::move(bytes);
  std::string safe;
  for (char c : a.name) safe += (c == '"' || c == '\\' || c == '\r' || c == '\n') ? '_' : c;
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + safe + "\"");
  return r;
}

Response ListObligations(Context& ctx, Request& req) {
  auto obligations = Must(ctx.tracker().Obligations(
      AsOf(ctx, req), TextParam(req, "unit").value_or(""), TextParam(req, "month").value_or("")));
  auto reg = ctx.registry();
  std::map<std::string, std::string> titles;
  json::array items;
  for (const auto& o : obligations) {
    auto [it, fresh] = titles.try_emplace(o.task);
    if (fresh) {
      auto r = ctx.tracker().Get(o.task, Date::Today());
      if (r) it->second = r->item.title;
    }
    items.push_back(ObligationJson(o, it->second, *reg));
  }
  return Response::Json(
      json::object{{"due_day", ctx.tracker().due_day()}, {"items", std::move(items)}});
}

Response TrackerImport(Context& ctx, Request& req) {
  return RegisterImport(ctx, req, ctx.tracker(), kTrackerWrite);
}

Response TrackerExport(Context& ctx, Request& req) {
  return RegisterExport(req, ctx.tracker(), "nq57-nhiem-vu");
}

Response ListOutbox(Context& ctx, Request& req) {
  std::optional<notify::DeliveryState> state;
  if (auto s = TextParam(req, "state")) {
    for (auto d : {notify::DeliveryState::kPending, notify::DeliveryState::kDelivered,
                   notify::DeliveryState::kFailed}) {
      if (notify::DeliveryStateName(d) == *s) state = d;
    }
    if (!state) {
      throw Failure(
          Error::BadRequest("request.invalid_state", "state must be pending, delivered or failed"));
    }
  }
  json::array items;
  for (const auto& e :
       Must(ctx.outbox().List(state, static_cast<int64_t>(ParseLimit(req, 100, 1000))))) {
    items.push_back(notify::ToJson(e));
  }
  return Response::Json(json::object{{"items", std::move(items)}});
}

Response QueueReminders(Context& ctx, Request& req) {
  const Date as_of = AsOf(req);
  const size_t added = Must(ctx.outbox().Add(Must(ctx.tracker().Reminders(as_of))));
  // With them, the monthly report when the schedule says it is due on that date.
  const size_t report = Must(QueueScheduledReport(ctx, as_of));
  return Response::Json(json::object{{"added", added + report}, {"monthly_report", report}});
}

Response Deliver(Context& ctx, Request&) {
  auto report = Must(ctx.outbox().Deliver(Must(notify::LoadConfig(ctx.store()))));
  return Response::Json(json::object{
      {"attempted", report.attempted}, {"delivered", report.delivered}, {"failed", report.failed}});
}

}  // namespace

void RegisterTrackerRoutes(http::Router& router, Context& ctx) {
  auto bind = [&ctx](Response (*fn)(Context&, Request&)) {
    return [&ctx, fn](Request& req) { return fn(ctx, req); };
  };
  // The lead unit of the item a path names: its officers record progress and reports.
  ctx.AddScopeResolver("tracker_item", [&ctx](const Request& req, const std::string& param) {
    auto it = req.params.find(param);
    if (it == req.params.end()) return std::string();
    auto record = ctx.tracker().Get(it->second, Date::Today());
    return record ? record->item.lead_unit : std::string();
  });

  router.DescribeTag("tracker",
                     "The Resolution 57 register: programmes, targets and tasks assigned along "
                     "centre → province → unit, monthly progress reports, figures and reminders.");
  const std::string counts = kCounts;
  const std::string group =
      R"({"type":"object","properties":{"key":{"type":"string"},"name":{"type":"string"},"targets":)" +
      counts + R"(,"tasks":)" + counts + "}}";
  const std::string groups = R"({"type":"array","items":)" + group + "}";
  router.Add(
      "GET", "/api/v1/tracker/summary", "tracker.summary", bind(TrackerSummary),
      {.summary = "Roll-ups by level, programme, unit, sector, status and deadline month; "
                  "overdue and due-soon lists; unit rankings — as of a date",
       .tag = "tracker",
       .params = {AsOfParam()},
       .response_schema =
           R"({"type":"object","properties":{"as_of":{"type":"string","format":"date"},"due_day":{"type":"integer"},"by_level":{"type":"object","additionalProperties":)" +
           group + R"(},"by_programme":)" + groups + R"(,"by_unit":)" + groups +
           R"(,"by_sector":)" + groups + R"(,"by_status":)" + groups + R"(,"by_deadline_month":)" +
           groups + R"(,"overdue":{"type":"array","items":)" + RecordSchema() +
           R"(},"due_soon":{"type":"array","items":)" + RecordSchema() +
           R"(},"ranking":{"type":"array","items":{"type":"object"}}}})",
       .error_statuses = {400},
       .permission = "tracker.read"});
  router.Add(
      "GET", "/api/v1/tracker/programmes", "tracker.programmes", bind(ListProgrammes),
      {.summary = "The programmes: Resolution 57, the province's plan, ...",
       .tag = "tracker",
       .response_schema =
           R"({"type":"object","properties":{"items":{"type":"array","items":{"type":"object"}}}})",
       .permission = "tracker.read"});
  router.Add(
      "GET", "/api/v1/tracker/items", "tracker.list", bind(ListItems),
      {.summary = "Targets and tasks by code, filtered, with their status as of a date",
       .tag = "tracker",
       .params = RegisterListParams(
           {{"kind", "query", "target or task"},
            {"programme", "query", "Programme code"},
            {"level", "query", "Who assigned it: central, province or unit"},
            {"unit", "query", "Lead unit code"},
            {"sector", "query", "Exact sector"},
            {"status", "query",
             "not_started, in_progress, overdue, completed_on_time, completed_late, cancelled"},
            {"q", "query", "Words in the code, title or sector, diacritics optional"},
            AsOfParam()}),
       .response_schema = RegisterListSchema(RecordSchema()),
       .error_statuses = {400},
       .permission = "tracker.read"});
  router.Add("GET", "/api/v1/tracker/items/{code}", "tracker.get", bind(GetItem),
             {.summary = "One item with its history, the items assigned from it, its reports",
              .tag = "tracker",
              .params = {AsOfParam()},
              .response_schema = RecordSchema(),
              .error_statuses = {400, 404},
              .permission = "tracker.read"});
  AddWriteRoutes(
      router, "tracker", "items",
      {.create_summary = "Add a target or task",
       .create_description = "Province- and central-level items are added by the Department of "
                             "Science and Technology and administrators; units add unit-level "
                             "items they lead.",
       .create_scope = "body:lead_unit",
       .update_summary = "Record progress or adjust an item (a new version)",
       .update_description = "The lead unit records state changes; adjustments (deadline, "
                             "content, target, lead unit) need a reason and an approval and are "
                             "for the steward and administrators.",
       .update_scope = "tracker_item:code",
       .request_schema = TrackerWriteSchema(),
       .response_schema = RecordSchema()},
      bind(CreateItem), bind(UpdateItem));
  router.Add(
      "PUT", "/api/v1/tracker/items/{code}/reports/{month}", "tracker.report", bind(PutReport),
      {.summary = "Submit or edit the monthly progress report of a task",
       .tag = "tracker",
       .request_schema =
           R"({"type":"object","required":["percent"],"properties":{"percent":{"type":"integer","minimum":0,"maximum":100},"done":{"type":"string"},"difficulties":{"type":"string"},"proposals":{"type":"string"}}})",
       .response_schema = kTrackerReportSchema,
       .error_statuses = {400, 404, 409, 415, 422},
       .description = "Officers of the task's lead unit only. Timeliness is judged by "
                      "the first submission against the due day.",
       .permission = kTrackerWrite,
       .scope = "tracker_item:code"});
  router.Add(
      "POST", "/api/v1/tracker/items/{code}/reports/{month}/attachments", "tracker.attach",
      bind(Attach),
      {.summary = "Attach a file to a monthly report (PDF, DOCX, XLSX, PNG, JPEG; 10 MiB)",
       .tag = "tracker",
       .params = {{"name", "query", "The file name", true}},
       .response_schema =
           R"({"type":"object","properties":{"id":{"type":"integer"},"name":{"type":"string"},"content_type":{"type":"string"},"size":{"type":"integer"}}})",
       .success_status = 201,
       .error_statuses = {400, 404, 413, 422},
       .permission = kTrackerWrite,
       .scope = "tracker_item:code"});
  router.Add("GET", "/api/v1/tracker/attachments/{id}", "tracker.attachment", bind(GetAttachment),
             {.summary = "Download an attachment",
              .tag = "tracker",
              .error_statuses = {404},
              .response_content_type = "application/octet-stream",
              .permission = "tracker.read"});
  router.Add(
      "GET", "/api/v1/tracker/reports", "tracker.reports", bind(ListObligations),
      {.summary = "Reports owed as of a date, with their timeliness (on time, late, "
                  "missing, not yet due)",
       .tag = "tracker",
       .params = {AsOfParam(), {"unit", "query", "Lead unit code"}, {"month", "query", "YYYY-MM"}},
       .response_schema =
           R"({"type":"object","properties":{"due_day":{"type":"integer"},"items":{"type":"array","items":{"type":"object"}}}})",
       .error_statuses = {400},
       .permission = "tracker.read"});
  AddSheetRoutes(router, "tracker",
                 {.import_summary = "Import targets and tasks from CSV or XLSX, all rows or none",
                  .import_schema = kImportSchema,
                  .export_summary = "Targets and tasks as CSV or XLSX, in the import's columns"},
                 bind(TrackerImport), bind(TrackerExport));
  router.Add(
      "GET", "/api/v1/tracker/outbox", "tracker.outbox", bind(ListOutbox),
      {.summary = "Reminders in the outbox with their delivery state",
       .tag = "tracker",
       .params = {{"state", "query", "pending, delivered or failed"},
                  {"limit", "query", "1 to 1000, default 100"}},
       .response_schema =
           R"({"type":"object","properties":{"items":{"type":"array","items":{"type":"object"}}}})",
       .error_statuses = {400},
       .permission = kTrackerWrite,
       .stewarded = true});
  router.Add(
      "POST", "/api/v1/tracker/reminders", "tracker.reminders", bind(QueueReminders),
      {.summary = "Queue the reminders owed as of a date (due soon, overdue, missing "
                  "reports), and the monthly report when it is due then (setting "
                  "report.monthly_day); repeated calls add nothing new",
       .tag = "tracker",
       .params = {AsOfParam()},
       .response_schema =
           R"({"type":"object","properties":{"added":{"type":"integer"},"monthly_report":{"type":"integer"}}})",
       .error_statuses = {400},
       .permission = kTrackerWrite,
       .stewarded = true});
  router.Add(
      "POST", "/api/v1/tracker/outbox/deliver", "tracker.deliver", bind(Deliver),
      {.summary = "Deliver the pending reminders now (webhook and e-mail)",
       .tag = "tracker",
       .response_schema =
           R"({"type":"object","properties":{"attempted":{"type":"integer"},"delivered":{"type":"integer"},"failed":{"type":"integer"}}})",
       .permission = kTrackerWrite,
       .stewarded = true});
}

}  // namespace pdh::api
