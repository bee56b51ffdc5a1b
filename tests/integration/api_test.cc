// The units API and the server's own endpoints, over a real `pdh serve` on the demo database.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <fstream>
#include <set>
#include <sstream>

#include "integration/pdh_server.h"

namespace pdh::test {
namespace {

namespace json = boost::json;

json::value Body(const HttpResponse& r) {
  return json::parse(r.body);
}

TEST(UnitsApi, ChildrenOfTayNinhAreIts96CommunesAndItsAgencies) {
  auto r = SharedServer().Get("/api/v1/units/80/children");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Header("content-type"), "application/json");
  auto v = Body(r);
  EXPECT_EQ(v.at("parent").at("name").as_string(), "Tỉnh Tây Ninh");
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

  auto only = Body(SharedServer().Get("/api/v1/units/80/children?level=commune"));
  EXPECT_EQ(only.at("items").as_array().size(), 96u);
}

TEST(UnitsApi, ProvincesNowAndBeforeTheReform) {
  auto now = Body(SharedServer().Get("/api/v1/units"));
  EXPECT_EQ(now.at("items").as_array().size(), 34u);
  EXPECT_EQ(now.at("total").as_int64(), 34);
  auto before = Body(SharedServer().Get("/api/v1/units?as_of=30/06/2025"));
  EXPECT_EQ(before.at("items").as_array().size(), 63u);
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

TEST(UnitsApi, ResolveOldCode) {
  auto r = SharedServer().Get("/api/v1/units/resolve?code=25456");
  ASSERT_EQ(r.status, 200) << r.body;
  auto v = Body(r);
  EXPECT_EQ(v.at("old").at("name").as_string(), "Phường 1");
  ASSERT_EQ(v.at("targets").as_array().size(), 1u);
  EXPECT_EQ(v.at("targets").at(0).at("unit").at("code").as_string(), "25459");
  EXPECT_EQ(v.at("targets").at(0).at("kind").as_string(), "whole");
}

TEST(UnitsApi, SearchWithoutDiacritics) {
  auto v = Body(SharedServer().Get("/api/v1/units?q=phuong%20tan%20ninh"));
  bool found = false;
  for (const auto& u : v.at("items").as_array()) found |= u.at("code").as_string() == "25459";
  EXPECT_TRUE(found);
}

TEST(UnitsApi, ErrorsAreProblemDocumentsWithStableCodes) {
  auto missing = SharedServer().Get("/api/v1/units/99999");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.Header("content-type"), "application/problem+json");
  auto p = Body(missing);
  EXPECT_EQ(p.at("code").as_string(), "unit.not_found");
  EXPECT_EQ(p.at("status").as_int64(), 404);
  EXPECT_FALSE(p.at("request_id").as_string().empty());

  auto bad_date = Body(SharedServer().Get("/api/v1/units/80?as_of=31/02/2025"));
  EXPECT_EQ(bad_date.at("code").as_string(), "request.invalid_date");
  auto no_route = Body(SharedServer().Get("/api/v1/nothing-here"));
  EXPECT_EQ(no_route.at("code").as_string(), "route.not_found");
  auto bad_limit = Body(SharedServer().Get("/api/v1/units?limit=0"));
  EXPECT_EQ(bad_limit.at("code").as_string(), "request.invalid_limit");
}

TEST(UnitsApi, AddAndRenameAnAgency) {
  HttpRequest add{"POST",
                  "/api/v1/units",
                  R"({"code":"80.SDL","name":"Sở Du lịch tỉnh Tây Ninh","type":"Sở"})",
                  {{"Content-Type", "application/json"}}};
  auto r = SharedServer().Request(add);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.Header("location"), "/api/v1/units/80.SDL");
  EXPECT_EQ(Body(SharedServer().Request(add)).at("code").as_string(), "unit.duplicate_code");

  HttpRequest rename{"PATCH",
                     "/api/v1/units/80.SDL",
                     R"({"short_name":"Sở Du lịch"})",
                     {{"Content-Type", "application/json"}}};
  auto p = SharedServer().Request(rename);
  ASSERT_EQ(p.status, 200) << p.body;
  EXPECT_EQ(Body(p).at("short_name").as_string(), "Sở Du lịch");
  auto g = Body(SharedServer().Get("/api/v1/units/80.SDL"));
  EXPECT_EQ(g.at("short_name").as_string(), "Sở Du lịch");

  HttpRequest rename_commune{
      "PATCH", "/api/v1/units/25459", R"({"name":"X"})", {{"Content-Type", "application/json"}}};
  auto denied = SharedServer().Request(rename_commune);
  EXPECT_EQ(denied.status, 422);
  EXPECT_EQ(Body(denied).at("code").as_string(), "unit.not_editable");
}

TEST(Server, HealthReadinessAndRequestIds) {
  EXPECT_EQ(SharedServer().Get("/healthz").status, 200);
  EXPECT_EQ(SharedServer().Get("/readyz").status, 200);
  auto r = SharedServer().Request({"GET", "/api/v1/info", "", {{"X-Request-Id", "abc-123"}}});
  EXPECT_EQ(r.Header("x-request-id"), "abc-123");
  EXPECT_EQ(Body(r).at("province").at("code").as_string(), "80");
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

TEST(Server, MetricsCountRequestsByRoute) {
  SharedServer().Get("/api/v1/units/80");
  auto m = SharedServer().Get("/metrics");
  ASSERT_EQ(m.status, 200);
  EXPECT_NE(m.body.find("pdh_http_requests_total{"), std::string::npos);
  EXPECT_NE(m.body.find("route=\"units.get\""), std::string::npos);
  EXPECT_NE(m.body.find("pdh_http_request_duration_seconds_bucket{"), std::string::npos);
}

TEST(Server, OpenApiListsEveryRoute) {
  auto r = SharedServer().Get("/api/v1/openapi.json");
  ASSERT_EQ(r.status, 200);
  auto doc = Body(r);
  EXPECT_EQ(std::string(doc.at("openapi").as_string()).substr(0, 3), "3.1");
  const auto& paths = doc.at("paths").as_object();
  for (const char* p : {"/api/v1/units", "/api/v1/units/{code}", "/api/v1/units/{code}/children",
                        "/api/v1/units/resolve", "/api/v1/info"}) {
    EXPECT_TRUE(paths.contains(p)) << p;
  }
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
  // Online backup while the server holds the database open.
  const std::string copy = SharedServer().dir() + "/backup.db";
  EXPECT_EQ(RunPdh("backup " + copy + " --db " + SharedServer().db(), &out), 0) << out;
  EXPECT_EQ(RunPdh("units show 80 --db " + copy, &out), 0) << out;
}

}  // namespace
}  // namespace pdh::test
