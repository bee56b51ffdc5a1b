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
#include <map>
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
  // The optimized pdh (FastPdhBin): the subject is what the servers share, which the sanitized
  // server's suites do not change; they run the same handlers.
  PdhServer a("--jobs-lease 3", FastPdhBin());
  PdhServer b(a, "--jobs-lease 3");
  EventStream events(a.port(), a.admin_token(), "cells=true");
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

namespace pdh::test {
namespace {

// The rows of the dossiers "FO-<n>-a" and "FO-<n>-b" each batch n wrote, counted by n.
std::map<int, int> FailOverRows(const std::string& url) {
  std::map<int, int> rows;
  PGconn* c = PQconnectdb(url.c_str());
  PGresult* r = PQexec(c, "SELECT dossier_id FROM ds_dossiers WHERE dossier_id LIKE 'FO-%'");
  for (int i = 0; PQresultStatus(r) == PGRES_TUPLES_OK && i < PQntuples(r); ++i) {
    const std::string id = PQgetvalue(r, i, 0);
    ++rows[std::stoi(id.substr(3))];
  }
  PQclear(r);
  PQfinish(c);
  return rows;
}

// A primary and a synchronous standby on the loopback, pdh writing batches without a pause, the
// primary killed with kill -9 and the standby promoted: pdh finds the new primary by itself
// (several hosts, target_session_attrs=read-write), every batch it acknowledged is there, and a
// batch is there whole or not at all.
TEST(FailOver, NothingAcknowledgedIsLost) {
  if (!store::testing::OnPostgres()) GTEST_SKIP() << "fail-over is PostgreSQL's";
  store::testing::PostgresCluster primary(
      "primary", true, "-c synchronous_standby_names=standby1 -c synchronous_commit=on");
  store::testing::PostgresCluster standby("standby1", primary);
  primary.CreateNamed("pdh");
  const std::string hosts = "postgresql://pdh@127.0.0.1:" + std::to_string(primary.port()) +
                            ",127.0.0.1:" + std::to_string(standby.port()) +
                            "/pdh?target_session_attrs=read-write&connect_timeout=3";
  PdhServer server("", FastPdhBin(), hosts);
  auto kids = json::parse(server.Get("/api/v1/values?indicator=DVC_TRUC_TUYEN&children=true").body);
  std::string commune;
  for (const auto& k : kids.at("children").as_array()) {
    if (k.at("level") == "commune") commune = std::string(k.at("code").as_string());
  }
  ASSERT_FALSE(commune.empty());
  // Batch n: two dossiers; its answer kept.
  std::map<int, int> answers;
  auto post = [&](int n) {
    const std::string id = "FO-" + std::to_string(n);
    const std::string csv =
        "dossier_id,receiving_unit,procedure_code,received_at,channel,status\n" + id + "-a," +
        commune + ",TT01,2025-11-04 08:00,Trực tuyến,Đang xử lý\n" + id + "-b," + commune +
        ",TT01,2025-11-04 09:00,Trực tiếp,Đang xử lý\n";
    auto r = server.Request({"POST",
                             "/api/v1/datasets/dossiers/batches?format=csv",
                             csv,
                             {{"Content-Type", "text/csv"}}});
    answers[n] =
        r.status == 200 && r.body.find("\"committed\"") != std::string::npos ? 200 : r.status;
  };
  int n = 0;
  for (; n < 20; ++n) post(n);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(answers[i], 200) << i;
  // What to monitor: /metrics tells of the standby and its lag.
  const std::string metrics = server.Get("/metrics").body;
  EXPECT_NE(metrics.find("pdh_db_standbys 1\n"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("pdh_db_replication_lag_seconds "), std::string::npos);
  EXPECT_NE(metrics.find("pdh_db_read_connections{backend=\"postgresql\"}"), std::string::npos);
  // The primary dies between two batches' writes, as the load goes on; then the standby is
  // promoted and the load goes on until 10 batches more were acknowledged.
  std::thread load([&] {
    for (int k = 0; k < 5; ++k) post(n + k);
  });
  primary.Kill();
  load.join();
  n += 5;
  ASSERT_TRUE(standby.Promote());
  int after = 0;
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (after < 10 && std::chrono::steady_clock::now() < until) {
    post(n);
    if (answers[n++] == 200) ++after;
  }
  EXPECT_EQ(after, 10) << "pdh did not find the new primary";
  const auto rows =
      FailOverRows("postgresql://pdh@127.0.0.1:" + std::to_string(standby.port()) + "/pdh");
  int acknowledged = 0;
  int failed = 0;
  for (const auto& [batch, status] : answers) {
    const auto it = rows.find(batch);
    const int found = it == rows.end() ? 0 : it->second;
    if (status == 200) {
      ++acknowledged;
      EXPECT_EQ(found, 2) << "batch " << batch << " was acknowledged";
    } else {
      ++failed;
      EXPECT_TRUE(found == 0 || found == 2) << "batch " << batch << " is half there";
    }
  }
  for (const auto& [batch, count] : rows) EXPECT_EQ(count, 2) << "batch " << batch;
  std::cout << acknowledged << " batches acknowledged and all there after the fail-over; " << failed
            << " reported failed to their sender\n";
  EXPECT_EQ(server.Stop(), 0);
}

}  // namespace
}  // namespace pdh::test
