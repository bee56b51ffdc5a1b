// The units API and the server's own endpoints, over a real `pdh serve` on the demo database:
// what takes more than a request and its answer (the plain exchanges are in
// tests/scenarios/units, server and errors).
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <fstream>
#include <set>
#include <sstream>

#include "integration/pdh_server.h"
#include "store/test_support.h"

namespace pdh::test {
namespace {

namespace json = boost::json;

TEST(UnitsApi, ChildrenOfTayNinhAreIts96CommunesAndItsAgencies) {
  auto r = SharedServer().Get("/api/v1/units/80/children");
  ASSERT_EQ(r.status, 200) << r.body;
  auto v = Body(r);
  int communes = 0, wards = 0, agencies = 0;
  int64_t population = 0;
  for (const auto& item : v.at("items").as_array()) {
    const auto& o = item.as_object();
    if (o.at("level").as_string() == "agency") {
      ++agencies;
      continue;
    }
    wards += o.at("type").as_string() == "Phường";
    communes += o.at("type").as_string() == "Xã";
    population += o.at("population").as_int64();
  }
  EXPECT_EQ(wards, 14);
  EXPECT_EQ(communes, 82);
  EXPECT_EQ(population, 3254170);
  EXPECT_GT(agencies, 10);
}

TEST(UnitsApi, PaginationWithCursor) {
  std::set<std::string> seen;
  std::string target = "/api/v1/units?parent=80&level=commune&limit=40";
  int pages = 0;
  for (;;) {
    auto v = Body(SharedServer().Get(target));
    for (const auto& u : v.at("items").as_array())
      seen.insert(std::string(u.at("code").as_string()));
    ++pages;
    if (v.at("next_cursor").is_null()) break;
    target = "/api/v1/units?parent=80&level=commune&limit=40&cursor=" +
             std::string(v.at("next_cursor").as_string());
  }
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen.size(), 96u);
}

TEST(Server, EtagAnswers304) {
  auto first = SharedServer().Get("/api/v1/units/80");
  const std::string etag = first.Header("etag");
  ASSERT_FALSE(etag.empty());
  auto again = SharedServer().Request({"GET", "/api/v1/units/80", "", {{"If-None-Match", etag}}});
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
}

TEST(Server, KeepAliveServesSeveralRequestsOnOneConnection) {
  const std::pair<std::string, std::string> auth{"Authorization",
                                                 "Bearer " + SharedServer().admin_token()};
  auto rs = Exchange(SharedServer().host(), SharedServer().port(),
                     {{"GET", "/healthz", "", {}},
                      {"GET", "/api/v1/units/80", "", {auth}},
                      {"GET", "/api/v1/units/25459", "", {auth}}});
  ASSERT_EQ(rs.size(), 3u);
  for (const auto& r : rs) EXPECT_EQ(r.status, 200);
}

TEST(Server, AccessLogIsJsonLines) {
  SharedServer().Get("/api/v1/units/80");
  std::ifstream in(SharedServer().access_log());
  std::string line;
  int lines = 0;
  while (std::getline(in, line)) {
    auto v = json::parse(line);
    EXPECT_TRUE(v.as_object().contains("request_id"));
    EXPECT_TRUE(v.as_object().contains("status"));
    ++lines;
  }
  EXPECT_GT(lines, 0);
}

TEST(Server, ServesTheWebAppWithSpaFallback) {
  auto index = SharedServer().Get("/");
  if (index.status == 404) GTEST_SKIP() << "web app not built (PDH_BUILD_WEB=OFF)";
  EXPECT_EQ(index.status, 200);
  EXPECT_NE(index.Header("content-type").find("text/html"), std::string::npos);
  auto deep = SharedServer().Get("/units/25459");
  EXPECT_EQ(deep.status, 200);
  EXPECT_EQ(deep.body, index.body);
}

TEST(Cli, UnitsCommandsWorkOnTheDatabaseFile) {
  std::string out;
  EXPECT_EQ(RunPdh("units resolve 25456 --db " + SharedServer().db(), &out), 0);
  EXPECT_NE(out.find("25459"), std::string::npos);
  EXPECT_EQ(RunPdh("units ls --parent 80 --level commune --json --db " + SharedServer().db(), &out),
            0);
  EXPECT_EQ(json::parse(out).as_array().size(), 96u);
  EXPECT_EQ(RunPdh("units show 99999 --db " + SharedServer().db(), &out), 3);
  EXPECT_NE(out.find("unit.not_found"), std::string::npos);
  // The demo refuses to overwrite without --force.
  EXPECT_EQ(RunPdh("demo --db " + SharedServer().db(), &out), 4);
  // Online backup while the server holds the database open (on PostgreSQL a copy: pdh backup
  // points to PostgreSQL's own tools).
  const std::string copy = CopyDatabase(SharedServer(), SharedServer().dir() + "/backup.db", &out);
  ASSERT_FALSE(copy.empty()) << out;
  EXPECT_EQ(RunPdh("units show 80 --db " + copy, &out), 0) << out;
  if (store::testing::OnPostgres()) {
    EXPECT_EQ(RunPdh("backup " + SharedServer().dir() + "/b.db --db " + SharedServer().db(), &out),
              2);
    EXPECT_NE(out.find("pg_basebackup"), std::string::npos) << out;
  }
}

}  // namespace
}  // namespace pdh::test
