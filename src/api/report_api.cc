// /api/v1/reports (M13): the monthly report to the People's Committee — read as JSON, PDF, XLSX or
// printable HTML, issued (kept as it stands), and sent by e-mail through the outbox, on demand
// or on the day of the month the settings name.
#include <boost/json.hpp>
#include <string>
#include <vector>

#include "api/api.h"
#include "api/handler_util.h"
#include "core/clock.h"
#include "core/json_util.h"
#include "report/report.h"

namespace pdh::api {
namespace json = boost::json;

namespace {

using http::Request;
using http::Response;

constexpr const char* kReportsRead = "reports.read";
constexpr const char* kReportsWrite = "reports.write";
// The last month whose scheduled report was queued.
constexpr std::string_view kQueuedSetting = "report.monthly_queued";

// What the report reads, from the server's modules; data quality for the whole province.
report::Sources SourcesOf(Context& ctx, const engine::Snapshot& snap) {
  return report::Sources{
      snap, ctx.tracker(), ctx.catalog(), [&ctx](Date d) -> Result<json::object> {
        return QualityScoreboard(ctx, d, [](const std::string&) { return true; });
      }};
}

std::string MonthParam(const Request& req) {
  std::string month = req.params.at("month");
  if (month.size() != 7 || !Date::Parse(month + "-01")) {
    throw Failure(Error::BadRequest("report.invalid_month",
                                    "month '" + month + "' is not a month: use YYYY-MM"));
  }
  return month;
}

int ScheduleDay(Context& ctx) {
  auto v = Must(ctx.store().GetSetting(std::string(report::kScheduleSetting)));
  if (!v || v->empty()) return 0;
  int day = 0;
  for (char c : *v) {
    if (c < '0' || c > '9' || day > 100) return 0;
    day = day * 10 + (c - '0');
  }
  return day;
}

// The message that sends an issued report, its PDF attached, to the province's address
// (notify.email.<province>, else notify.email_default); `key` keeps it from being queued twice.
Result<notify::Message> ReportMessage(Context& ctx, const json::object& content,
                                      const std::string& key) {
  auto pdf = report::Pdf(content);
  if (!pdf) return Fail(pdf.error());
  const std::string month(content.at("month").as_string());
  const std::string title(content.at("title").as_string());
  notify::Message m;
  m.kind = "monthly_report";
  m.key = key;
  m.unit = ctx.home_province();
  m.subject = title;
  m.body = "Kính gửi Ủy ban nhân dân tỉnh,\n\nKho dữ liệu dùng chung của tỉnh gửi kèm " + title +
           " (số liệu tính đến ngày " + std::string(content.at("as_of").as_string()) +
           "), dạng PDF.\nBảng tính và bản in có tại trang Báo cáo tháng của hệ thống.\n";
  m.data = {{"month", month}, {"as_of", content.at("as_of")}};
  m.attachments.push_back({report::FileName(content, report::Format::kPdf),
                           std::string(report::ContentType(report::Format::kPdf)),
                           std::move(*pdf)});
  return m;
}

Response GetReport(Context& ctx, Request& req) {
  const std::string month = MonthParam(req);
  const auto format = EnumParam(req, "format", report::ParseFormat, "json, pdf, xlsx or html")
                          .value_or(report::Format::kJson);
  report::Archive archive(ctx.store().reports());
  json::object content;
  bool issued = false;
  if (auto kept = Must(archive.Get(month))) {
    content = std::move(*kept);
    issued = true;
  } else {
    const auto snap = ctx.engine().snapshot();
    content = Must(report::Monthly(SourcesOf(ctx, snap), month));
  }
  if (format == report::Format::kJson) {
    content["issued"] = issued;
    return Response::Json(content);
  }
  Response r;
  r.content_type = std::string(report::ContentType(format));
  r.body = Must(report::Render(content, format));
  if (format != report::Format::kHtml) {
    r.headers.emplace_back("Content-Disposition",
                           "attachment; filename=\"" + report::FileName(content, format) + "\"");
  }
  return r;
}

Response ListReports(Context& ctx, Request&) {
  report::Archive archive(ctx.store().reports());
  const int day = ScheduleDay(ctx);
  return Response::Json(json::object{{"items", Must(archive.List())},
                                     {"schedule_day", day > 0 ? json::value(day) : nullptr}});
}

// {"day": 1–28 or null}: the day of each month the month before's report is issued and sent.
Response PutSchedule(Context& ctx, Request& req) {
  const json::object body = BodyObject(req);
  OnlyFields(body, {"day"});
  const auto* day = body.if_contains("day");
  if (day == nullptr ||
      (!day->is_null() && (!day->is_int64() || day->as_int64() < 1 || day->as_int64() > 28))) {
    throw Failure(Error::Invalid("report.invalid_day",
                                 "day is the day of the month (1 to 28) the report of the month "
                                 "before is sent, or null for none"));
  }
  const std::string value = day->is_null() ? "" : std::to_string(day->as_int64());
  Must(ctx.store().SetSetting(std::string(report::kScheduleSetting), value));
  return Response::Json(json::object{
      {"schedule_day", day->is_null() ? json::value(nullptr) : json::value(day->as_int64())}});
}

Response Issue(Context& ctx, Request& req) {
  const std::string month = MonthParam(req);
  const auto snap = ctx.engine().snapshot();
  report::Archive archive(ctx.store().reports());
  bool fresh = false;
  json::object content = Must(archive.Issue(SourcesOf(ctx, snap), month, CallerOf(req).name,
                                            FormatTime(ctx.clock().Now()), &fresh));
  content["issued"] = true;
  return Response::Json(content, fresh ? 201 : 200);
}

Response Send(Context& ctx, Request& req) {
  const std::string month = MonthParam(req);
  const auto snap = ctx.engine().snapshot();
  report::Archive archive(ctx.store().reports());
  const json::object content = Must(archive.Issue(SourcesOf(ctx, snap), month, CallerOf(req).name,
                                                  FormatTime(ctx.clock().Now())));
  // Each request sends it again (a leader asking twice wants it twice).
  const std::string key =
      "monthly_report:" + month + ":" + FormatTime(ctx.clock().Now()) + ":" + CallerOf(req).name;
  const size_t added = Must(ctx.outbox().Add({Must(ReportMessage(ctx, content, key))}));
  return Response::Json(json::object{{"month", month}, {"queued", added}});
}

}  // namespace

Result<size_t> QueueScheduledReport(Context& ctx, Date today) {
  const std::string month = report::DueMonth(ScheduleDay(ctx), today);
  if (month.empty() || !ctx.has_engine()) return size_t{0};
  const std::string queued_key(kQueuedSetting);
  auto queued = ctx.store().GetSetting(queued_key);
  if (!queued) return Fail(queued.error());
  if (*queued && **queued >= month) return size_t{0};  // this month's (or a later) is on its way
  const auto snap = ctx.engine().snapshot();
  report::Archive archive(ctx.store().reports());
  auto content =
      archive.Issue(SourcesOf(ctx, snap), month, "lịch báo cáo", FormatTime(ctx.clock().Now()));
  if (!content) return Fail(content.error());
  auto m = ReportMessage(ctx, *content, "monthly_report:" + month);
  if (!m) return Fail(m.error());
  auto added = ctx.outbox().Add({std::move(*m)});
  if (!added) return Fail(added.error());
  if (auto s = ctx.store().SetSetting(queued_key, month); !s) return Fail(s.error());
  return *added;
}

void RegisterReportRoutes(http::Router& router, Context& ctx) {
  auto bind = [&ctx](Response (*fn)(Context&, Request&)) {
    return [&ctx, fn](Request& req) { return fn(ctx, req); };
  };
  router.DescribeTag("reports",
                     "The monthly report to the People's Committee (báo cáo tháng): read, issued, "
                     "sent.");
  router.Add(
      "GET", "/api/v1/reports/monthly", "reports.list", bind(ListReports),
      {.summary = "The monthly reports issued, newest first, and the day they are sent",
       .tag = "reports",
       .response_schema =
           R"({"type":"object","properties":{"items":{"type":"array","items":{"type":"object","properties":{"month":{"type":"string"},"issued_at":{"type":"string"},"issued_by":{"type":"string"}}}},"schedule_day":{"type":["integer","null"]}}})",
       .permission = kReportsRead});
  router.Add(
      "GET", "/api/v1/reports/monthly/{month}", "reports.get", bind(GetReport),
      {.summary = "The report of a month (YYYY-MM): the issued one, else a draft from today's data",
       .tag = "reports",
       .params = {{"format", "query", "json (default), pdf, xlsx or html", false,
                   R"({"type":"string","enum":["json","pdf","xlsx","html"]})"}},
       .response_schema =
           R"({"type":"object","properties":{"month":{"type":"string"},"as_of":{"type":"string","format":"date"},"title":{"type":"string"},"issued":{"type":"boolean"},"sections":{"type":"array","items":{"type":"object"}}}})",
       .error_statuses = {400},
       .permission = kReportsRead});
  router.Add(
      "PUT", "/api/v1/reports/schedule", "reports.schedule", bind(PutSchedule),
      {.summary = "Set the day of each month (1–28, or null for none) on which the report "
                  "of the month before is issued and sent by e-mail",
       .tag = "reports",
       .request_schema =
           R"({"type":"object","required":["day"],"properties":{"day":{"type":["integer","null"],"minimum":1,"maximum":28}}})",
       .response_schema =
           R"({"type":"object","properties":{"schedule_day":{"type":["integer","null"]}}})",
       .error_statuses = {400, 415, 422},
       .permission = kReportsWrite,
       .stewarded = true});
  router.Add("POST", "/api/v1/reports/monthly/{month}/issue", "reports.issue", bind(Issue),
             {.summary = "Issue the report of a month: kept as it stands, it reads the same later "
                         "(201 when issued now, 200 when it was already)",
              .tag = "reports",
              .response_schema = R"({"type":"object"})",
              .error_statuses = {400},
              .permission = kReportsWrite,
              .stewarded = true});
  router.Add(
      "POST", "/api/v1/reports/monthly/{month}/send", "reports.send", bind(Send),
      {.summary = "Send the issued report of a month (issuing it first) by e-mail, its "
                  "PDF attached, through the notification outbox",
       .tag = "reports",
       .response_schema =
           R"({"type":"object","properties":{"month":{"type":"string"},"queued":{"type":"integer"}}})",
       .error_statuses = {400},
       .permission = kReportsWrite,
       .stewarded = true});
}

}  // namespace pdh::api
