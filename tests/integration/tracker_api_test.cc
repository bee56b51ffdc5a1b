// The Resolution 57 register over HTTP against the real server and the demo province: the
// report's figures as of a date, who may report and adjust, monthly reports, and reminders
// delivered to a local webhook receiver and SMTP sink.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "integration/pdh_server.h"
#include "notify/test_servers.h"

namespace pdh::test {
namespace {

namespace json = boost::json;

json::value Body(const HttpResponse& r) {
  return json::parse(r.body);
}

HttpRequest Json(std::string method, std::string target, std::string body,
                 const std::string& token = "") {
  HttpRequest r{std::move(method), std::move(target), std::move(body), {}};
  r.headers.emplace_back("Content-Type", "application/json");
  if (!token.empty()) r.headers.emplace_back("Authorization", "Bearer " + token);
  return r;
}

std::string TokenFor(const PdhServer& s, const std::string& name, const std::string& role,
                     const std::string& unit) {
  std::string out;
  EXPECT_EQ(s.Pdh("users add " + name + " --password correct-horse-battery-staple --role " + role +
                  (unit.empty() ? "" : " --unit " + unit)),
            0);
  EXPECT_EQ(s.Pdh("tokens create --user " + name, &out), 0) << out;
  return out.substr(0, out.find('\n'));
}

const json::value& Counts(const json::value& summary, const char* level, const char* kind) {
  return summary.at("by_level").at(level).at(kind);
}

TEST(TrackerApi, DemoSummaryAsOfTheReportDateIsTheReportsFigures) {
  auto r = SharedServer().Get("/api/v1/tracker/summary?as_of=2025-10-31");
  ASSERT_EQ(r.status, 200) << r.body.substr(0, 300);
  const auto s = Body(r);
  const auto& central = Counts(s, "central", "tasks");
  EXPECT_EQ(central.at("total"), 166);
  EXPECT_EQ(central.at("completed"), 90);
  EXPECT_EQ(central.at("in_progress"), 76);
  const auto& targets = Counts(s, "province", "targets");
  EXPECT_EQ(targets.at("total"), 53);
  EXPECT_EQ(targets.at("completed"), 32);
  EXPECT_DOUBLE_EQ(targets.at("completion_rate").to_number<double>(), 60.38);
  const auto& tasks = Counts(s, "province", "tasks");
  EXPECT_EQ(tasks.at("total"), 235);
  EXPECT_EQ(tasks.at("completed"), 88);
  EXPECT_DOUBLE_EQ(tasks.at("completion_rate").to_number<double>(), 37.45);
  EXPECT_EQ(s.at("due_day"), 25);
  EXPECT_FALSE(s.at("ranking").as_array().empty());

  const auto earlier = Body(SharedServer().Get("/api/v1/tracker/summary?as_of=2025-06-30"));
  EXPECT_LT(Counts(earlier, "central", "tasks").at("completed").as_int64(), 90);
  EXPECT_LT(Counts(earlier, "province", "tasks").at("completed").as_int64(), 88);
}

TEST(TrackerApi, ListsSearchWithoutDiacriticsAndShowTheChain) {
  auto& s = SharedServer();
  auto r = s.Get("/api/v1/tracker/items?programme=NQ57&kind=task&limit=1000&as_of=2025-10-31");
  ASSERT_EQ(r.status, 200) << r.body.substr(0, 300);
  const auto list = Body(r);
  EXPECT_EQ(list.at("items").as_array().size(), 166u);
  const auto found = Body(s.Get("/api/v1/tracker/items?q=chuyen%20doi%20so&limit=5"));
  ASSERT_FALSE(found.at("items").as_array().empty());
  const std::string code(found.at("items").at(0).at("code").as_string());
  const auto item = Body(s.Get("/api/v1/tracker/items/" + code + "?as_of=2025-10-31"));
  EXPECT_TRUE(item.at("history").is_array());
  EXPECT_TRUE(item.at("children").is_array());
  EXPECT_TRUE(item.at("reports").is_array());
  EXPECT_EQ(s.Get("/api/v1/tracker/items/NO-SUCH").status, 404);
  EXPECT_EQ(s.Get("/api/v1/tracker/items?status=late").status, 400);
}

TEST(TrackerApi, TheLeadUnitReportsOthersDoNot) {
  auto& s = SharedServer();
  const std::string dost = TokenFor(s, "r57_skhcn", "officer", "80.SKHCN");
  const std::string health = TokenFor(s, "r57_syt", "officer", "80.SYT");
  const std::string leader = TokenFor(s, "r57_leader", "leader", "");
  // The steward adds a province-level task led by the health department.
  auto r =
      s.Request(Json("POST", "/api/v1/tracker/items",
                     R"({"kind":"task","code":"IT-SYT-1","programme":"NQ57","level":"province",)"
                     R"("title":"Triển khai bệnh án điện tử","sector":"Y tế","lead_unit":"80.SYT",)"
                     R"("deadline":"2026-12-31","assigned_at":"2025-10-01"})",
                     dost));
  ASSERT_EQ(r.status, 201) << r.body;
  // The health department may not add province-level items itself.
  r = s.Request(
      Json("POST", "/api/v1/tracker/items",
           R"({"kind":"task","code":"IT-SYT-2","programme":"NQ57","level":"province",)"
           R"("title":"Khác","sector":"Y tế","lead_unit":"80.SYT","deadline":"2026-12-31"})",
           health));
  EXPECT_EQ(r.status, 403) << r.body;

  const std::string path = "/api/v1/tracker/items/IT-SYT-1/reports/2025-11";
  r = s.Request(Json("PUT", path, R"({"percent":140})", health));
  EXPECT_EQ(r.status, 422) << r.body;
  EXPECT_TRUE(std::string(Body(r).at("detail").as_string()).starts_with("percent:"));
  r = s.Request(Json(
      "PUT", path, R"({"percent":40,"done":"Đã lắp đặt máy chủ","difficulties":"Thiếu nhân lực"})",
      health));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Body(r).at("submitted_by"), "r57_syt");
  // Another unit's officer and a leader may not report for it.
  EXPECT_EQ(s.Request(Json("PUT", path, R"({"percent":50})", dost)).status, 403);
  EXPECT_EQ(s.Request(Json("PUT", path, R"({"percent":50})", leader)).status, 403);

  auto item = Body(s.Request(
      {"GET", "/api/v1/tracker/items/IT-SYT-1", "", {{"Authorization", "Bearer " + health}}}));
  EXPECT_EQ(item.at("can_report"), true);
  EXPECT_EQ(item.at("reports").as_array().size(), 1u);
  EXPECT_EQ(item.at("percent"), 40);

  // An adjustment (deadline) needs a reason and approval, and the steward.
  const std::string moved =
      R"({"kind":"task","code":"IT-SYT-1","programme":"NQ57","level":"province",)"
      R"("title":"Triển khai bệnh án điện tử","sector":"Y tế","lead_unit":"80.SYT",)"
      R"("deadline":"2027-06-30","assigned_at":"2025-10-01","state":"in_progress")";
  r = s.Request(Json("PUT", "/api/v1/tracker/items/IT-SYT-1", moved + "}", health));
  EXPECT_EQ(r.status, 403) << r.body;
  r = s.Request(Json("PUT", "/api/v1/tracker/items/IT-SYT-1", moved + "}", dost));
  EXPECT_EQ(r.status, 422) << r.body;
  r = s.Request(Json("PUT", "/api/v1/tracker/items/IT-SYT-1",
                     moved + R"(,"reason":"Chờ kinh phí","approval":"Văn bản 123/UBND-KT"})",
                     dost));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Body(r).at("adjusted"), true);
}

TEST(TrackerApi, RemindersReachTheWebhookAndTheMailbox) {
  notify::testing::WebhookReceiver hook;
  notify::testing::SmtpSink smtp;
  PdhServer server("--remind-every 0");
  ASSERT_EQ(server.Pdh("settings set notify.webhook_url " + hook.url()), 0);
  ASSERT_EQ(server.Pdh("settings set notify.smtp_url " + smtp.url()), 0);
  ASSERT_EQ(server.Pdh("settings set notify.email_default vanphong@tayninh.gov.vn"), 0);
  auto r = server.Request({"POST", "/api/v1/tracker/reminders?as_of=2025-10-31", "", {}});
  ASSERT_EQ(r.status, 200) << r.body;
  const int64_t added = Body(r).at("added").as_int64();
  EXPECT_GT(added, 0);
  // Again: nothing new.
  EXPECT_EQ(Body(server.Request({"POST", "/api/v1/tracker/reminders?as_of=2025-10-31", "", {}}))
                .at("added"),
            0);
  r = server.Request({"POST", "/api/v1/tracker/outbox/deliver", "", {}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Body(r).at("delivered"), added);
  EXPECT_EQ(hook.count(), static_cast<size_t>(added));
  EXPECT_EQ(smtp.count(), static_cast<size_t>(added));
  const auto first = json::parse(hook.requests().front().body);
  EXPECT_TRUE(first.at("kind") == "due_soon" || first.at("kind") == "overdue" ||
              first.at("kind") == "report_missing")
      << json::serialize(first);
  auto delivered = Body(server.Get("/api/v1/tracker/outbox?state=delivered&limit=1000"));
  EXPECT_EQ(delivered.at("items").as_array().size(), static_cast<size_t>(added));
}

}  // namespace
}  // namespace pdh::test
