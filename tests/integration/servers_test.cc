// Several pdh servers on one PostgreSQL database (PDH_TEST_BACKEND=postgresql; skipped on
// SQLite, whose file one server serves): a batch posted to one reaches the event stream of the
// other, a lockout on one holds on the other, and
// the jobs done for all are run by one server, the other taking them over when it dies. (A TOTP
// code used once through one store is refused through another: src/store/identity_store_test.)
#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <boost/json.hpp>
#include <chrono>
#include <iostream>
#include <string>
#include <thread>

#include "integration/event_stream.h"
#include "integration/pdh_server.h"
#include "store/test_support.h"

namespace pdh::test {
namespace {

namespace json = boost::json;

// The first column of the first row `sql` reads on the servers' database.
std::string Query(const PdhServer& s, const std::string& sql) {
  PGconn* c = PQconnectdb(s.db().c_str());
  PGresult* r = PQexec(c, sql.c_str());
  std::string out =
      PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0 ? PQgetvalue(r, 0, 0) : "";
  PQclear(r);
  PQfinish(c);
  return out;
}

HttpResponse Login(const PdhServer& s, const std::string& password) {
  HttpRequest r{"POST",
                "/api/v1/auth/login",
                json::serialize(json::object{{"name", "lock_two"}, {"password", password}}),
                {{"Content-Type", "application/json"}}};
  return s.Anonymous(r);
}

TEST(TwoServers, ShareOneDatabase) {
  if (!store::testing::OnPostgres()) GTEST_SKIP() << "several servers share a PostgreSQL database";
  PdhServer a("--jobs-lease 3");
  PdhServer b(a, "--jobs-lease 3");
  EventStream events(a.port(), a.admin_token());
  ASSERT_NE(events.WaitFor("event: hello", std::chrono::seconds(60)).find("event: hello"),
            std::string::npos);

  // A batch posted to B: A hears of the commit and its stream carries the new value.
  auto kids = json::parse(a.Get("/api/v1/values?indicator=DVC_TRUC_TUYEN&children=true").body);
  std::string commune;
  for (const auto& k : kids.at("children").as_array()) {
    if (k.at("level") == "commune") {
      commune = std::string(k.at("code").as_string());
      break;
    }
  }
  ASSERT_FALSE(commune.empty());
  const std::string csv =
      "dossier_id,receiving_unit,procedure_code,received_at,channel,status\n"
      "TWO-1," +
      commune +
      ",TT01,2025-11-03 08:00,Trực tuyến,Đang xử lý\n"
      "TWO-2," +
      commune + ",TT01,2025-11-03 09:00,Trực tiếp,Đang xử lý\n";
  const auto sent = std::chrono::steady_clock::now();
  auto posted = b.Request({"POST",
                           "/api/v1/datasets/dossiers/batches?format=csv",
                           csv,
                           {{"Content-Type", "text/csv"}}});
  ASSERT_EQ(posted.status, 200) << posted.body;
  const std::string needle =
      R"("indicator":"DVC_TRUC_TUYEN","unit":")" + commune + R"(","period":"2025-11","value":50)";
  const std::string got = events.WaitFor(needle, std::chrono::seconds(60));
  std::cout << "the batch posted to B reached A's stream in "
            << std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::steady_clock::now() - sent)
                   .count()
            << " ms from the POST\n";
  EXPECT_NE(got.find(needle), std::string::npos)
      << got.substr(got.size() > 2000 ? got.size() - 2000 : 0);

  // An account locked by failed sign-ins on A is locked on B, its right password refused.
  std::string out;
  ASSERT_EQ(a.Pdh("users add lock_two --role leader --password Pa55word-two-servers", &out), 0)
      << out;
  for (int i = 0; i < 5; ++i) {
    const int status = Login(a, "wrong-" + std::to_string(i)).status;
    EXPECT_TRUE(status == 401 || status == 423) << status;
  }
  auto locked = Login(b, "Pa55word-two-servers");
  EXPECT_EQ(locked.status, 423);
  EXPECT_NE(locked.body.find("auth.locked"), std::string::npos) << locked.body;

  // The jobs' lease: one holder; when it dies, the other server takes the lease over.
  const std::string holder = Query(a, "SELECT holder FROM lease WHERE name = 'jobs'");
  ASSERT_FALSE(holder.empty());
  EXPECT_EQ(Query(a, "SELECT count(*) FROM lease"), "1");
  PdhServer& survivor =
      holder.find(":" + std::to_string(a.pid()) + ":") != std::string::npos ? b : a;
  (survivor.pid() == a.pid() ? b : a).Kill();
  const auto killed = std::chrono::steady_clock::now();
  std::string next = holder;
  for (int i = 0; i < 90 && next == holder; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    next = Query(a, "SELECT holder FROM lease WHERE name = 'jobs'");
  }
  EXPECT_NE(next, holder);
  std::cout << "the other server took the jobs' lease over "
            << std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() -
                                                                killed)
                   .count()
            << " s after the holder was killed\n";
  EXPECT_NE(next.find(":" + std::to_string(survivor.pid()) + ":"), std::string::npos) << next;
  EXPECT_EQ(survivor.Get("/readyz").status, 200);
}

}  // namespace
}  // namespace pdh::test
