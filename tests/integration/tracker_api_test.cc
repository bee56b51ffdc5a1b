// The Resolution 57 register over HTTP: reminders delivered to a local webhook receiver and SMTP
// sink, on a server of their own. The report's figures, lists, who may report and adjust:
// tests/scenarios/tracker.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <regex>
#include <string>

#include "integration/pdh_server.h"
#include "notify/test_servers.h"

namespace pdh::test {
namespace {

namespace json = boost::json;

TEST(TrackerApi, RemindersReachTheWebhookAndTheMailbox) {
  notify::testing::WebhookReceiver hook;
  notify::testing::SmtpSink smtp;
  // The optimized server: the delivery is notify's, whose tests run sanitized with the same
  // receivers.
  PdhServer server("--remind-every 0", FastPdhBin());
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

// Numbers in the API as a person writes them: 60.38, where Boost.JSON wrote 6.038E1.
TEST(TrackerApi, RatesReadAsWritten) {
  const auto r = SharedServer().Get("/api/v1/tracker/summary");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("\"completion_rate\":60.38"), std::string::npos) << r.body.substr(0, 400);
  EXPECT_FALSE(std::regex_search(r.body, std::regex("[0-9]E[-+]?[0-9]"))) << r.body.substr(0, 400);
}

}  // namespace
}  // namespace pdh::test
