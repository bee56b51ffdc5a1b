// Request handling without sockets: routing, problems, ids, ETag/304, headers, static files.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "server/dispatcher.h"
#include "server/http_util.h"
#include "server/test_support.h"

namespace pdh::http::detail {
namespace {

namespace json = boost::json;

std::string HeaderOf(const Response& r, std::string_view name) {
  for (const auto& [n, v] : r.headers) {
    if (n == name) return v;
  }
  return "";
}

Router AppRoutes() {
  Router r;
  r.Add("GET", "/api/v1/units/{code}", "units.get", [](Request& req) {
    if (req.params.at("code") == "0") throw Failure(Error::NotFound("unit.not_found", "no unit 0"));
    return Response::Json(
        {{"code", req.params.at("code")}, {"lang", req.Query("lang").value_or("vi")}});
  });
  r.Add("POST", "/api/v1/echo", "echo",
        [](Request& req) { return Response::Json(req.Json(), 201); });
  r.Add("GET", "/api/v1/boom", "boom",
        [](Request&) -> Response { throw std::runtime_error("secret database detail"); });
  return r;
}

ServerOptions Options(std::string web_root = "") {
  ServerOptions o;
  o.access_log = "";
  o.version = "9.9.9";
  o.web_root = std::move(web_root);
  return o;
}

Incoming Get(std::string target, std::vector<std::pair<std::string, std::string>> headers = {}) {
  return {.method = "GET",
          .target = std::move(target),
          .headers = std::move(headers),
          .body = {},
          .remote = "127.0.0.1:1"};
}

json::value Body(const Outcome& o) {
  return json::parse(o.response.body);
}

class DispatcherTest : public ::testing::Test {
 protected:
  Router app_ = AppRoutes();
  Dispatcher d_{Options(), app_};
};

TEST_F(DispatcherTest, RunsTheMatchedRoute) {
  Outcome o = d_.Dispatch(Get("/api/v1/units/70?lang=en"));
  EXPECT_EQ(o.response.status, 200);
  EXPECT_EQ(Body(o), json::parse(R"({"code":"70","lang":"en"})"));
  ASSERT_NE(o.route, nullptr);
  EXPECT_EQ(o.route->name, "units.get");
  EXPECT_EQ(HeaderOf(o.response, "Cache-Control"), "no-cache");
  EXPECT_EQ(HeaderOf(o.response, "X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(HeaderOf(o.response, "Referrer-Policy"), "no-referrer");
  EXPECT_EQ(HeaderOf(o.response, "Content-Security-Policy"), "");
}

TEST_F(DispatcherTest, FailureBecomesProblem) {
  Outcome o = d_.Dispatch(Get("/api/v1/units/0", {{"x-request-id", "req-42"}}));
  EXPECT_EQ(o.response.status, 404);
  EXPECT_EQ(o.response.content_type, "application/problem+json");
  EXPECT_EQ(Body(o).at("code"), "unit.not_found");
  EXPECT_EQ(Body(o).at("instance"), "/api/v1/units/0");
  EXPECT_EQ(Body(o).at("request_id"), "req-42");
  EXPECT_EQ(HeaderOf(o.response, "X-Request-Id"), "req-42");
  EXPECT_EQ(HeaderOf(o.response, "ETag"), "");
}

TEST_F(DispatcherTest, OtherExceptionsAreInternalAndNotLeaked) {
  Outcome o = d_.Dispatch(Get("/api/v1/boom"));
  EXPECT_EQ(o.response.status, 500);
  EXPECT_EQ(Body(o).at("code"), "internal");
  EXPECT_EQ(o.response.body.find("secret"), std::string::npos);
}

TEST_F(DispatcherTest, RequestIdReusedWhenValidElseGenerated) {
  Outcome bad = d_.Dispatch(Get("/healthz", {{"x-request-id", "has space"}}));
  std::string id = HeaderOf(bad.response, "X-Request-Id");
  EXPECT_NE(id, "has space");
  EXPECT_TRUE(IsValidRequestId(id));
  Outcome none = d_.Dispatch(Get("/healthz"));
  EXPECT_TRUE(IsValidRequestId(HeaderOf(none.response, "X-Request-Id")));
}

TEST_F(DispatcherTest, UnknownApiPathAndWrongMethod) {
  Outcome missing = d_.Dispatch(Get("/api/v1/nothing"));
  EXPECT_EQ(missing.response.status, 404);
  EXPECT_EQ(Body(missing).at("code"), "route.not_found");
  EXPECT_EQ(missing.route, nullptr);

  Incoming del = Get("/api/v1/units/70");
  del.method = "DELETE";
  Outcome wrong = d_.Dispatch(std::move(del));
  EXPECT_EQ(wrong.response.status, 405);
  EXPECT_EQ(Body(wrong).at("code"), "route.method_not_allowed");
  EXPECT_EQ(HeaderOf(wrong.response, "Allow"), "GET, HEAD");
}

TEST_F(DispatcherTest, BadPathsAre400) {
  for (std::string target : {"/api/v1/units/%2e%2e/x", "/a%00", "/a/../b"}) {
    Outcome o = d_.Dispatch(Get(target));
    EXPECT_EQ(o.response.status, 400) << target;
    EXPECT_EQ(Body(o).at("code"), "request.invalid_path") << target;
  }
}

TEST_F(DispatcherTest, InvalidJsonBodyIs400) {
  Incoming post{.method = "POST",
                .target = "/api/v1/echo",
                .headers = {{"content-type", "application/json"}},
                .body = "{\"a\":",
                .remote = ""};
  Outcome o = d_.Dispatch(std::move(post));
  EXPECT_EQ(o.response.status, 400);
  EXPECT_EQ(Body(o).at("code"), "request.invalid_json");
  Incoming good{.method = "POST",
                .target = "/api/v1/echo",
                .headers = {{"content-type", "application/json"}},
                .body = "[1]",
                .remote = ""};
  Outcome ok = d_.Dispatch(std::move(good));
  EXPECT_EQ(ok.response.status, 201);
  EXPECT_EQ(HeaderOf(ok.response, "ETag"), "");  // only reads get ETags
}

TEST_F(DispatcherTest, EtagAndNotModified) {
  Outcome first = d_.Dispatch(Get("/api/v1/units/70"));
  std::string etag = HeaderOf(first.response, "ETag");
  EXPECT_EQ(etag, EtagFor(first.response.body));
  Outcome again = d_.Dispatch(Get("/api/v1/units/70", {{"if-none-match", etag}}));
  EXPECT_EQ(again.response.status, 304);
  EXPECT_EQ(again.response.body, "");
  EXPECT_EQ(HeaderOf(again.response, "ETag"), etag);
  Outcome other = d_.Dispatch(Get("/api/v1/units/71", {{"if-none-match", etag}}));
  EXPECT_EQ(other.response.status, 200);
}

TEST_F(DispatcherTest, HeadIsGetWithoutBody) {
  Incoming head = Get("/api/v1/units/70");
  head.method = "HEAD";
  Outcome o = d_.Dispatch(std::move(head));
  EXPECT_EQ(o.response.status, 200);
  EXPECT_TRUE(o.head);
  EXPECT_NE(HeaderOf(o.response, "ETag"), "");
}

TEST_F(DispatcherTest, BuiltInRoutes) {
  EXPECT_EQ(Body(d_.Dispatch(Get("/healthz"))), json::parse(R"({"status":"ok"})"));
  EXPECT_EQ(Body(d_.Dispatch(Get("/readyz"))), json::parse(R"({"status":"ready"})"));
  Outcome metrics = d_.Dispatch(Get("/metrics"));
  EXPECT_EQ(metrics.response.content_type, "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_NE(metrics.response.body.find("pdh_build_info{version=\"9.9.9\"} 1"), std::string::npos);
  Outcome openapi = d_.Dispatch(Get("/api/v1/openapi.json"));
  json::value doc = Body(openapi);
  EXPECT_EQ(doc.at("info").at("version"), "9.9.9");
  for (std::string path : {"/healthz", "/readyz", "/metrics", "/api/v1/openapi.json",
                           "/api/v1/units/{code}", "/api/v1/echo"}) {
    EXPECT_TRUE(doc.at("paths").as_object().contains(path)) << path;
  }
  EXPECT_EQ(doc.at("paths").at("/metrics").at("get").at("responses").at("200").at("content"),
            json::parse(R"({"text/plain":{"schema":{"type":"string"}}})"));
}

TEST(Dispatcher, NotReady) {
  ServerOptions o = Options();
  o.ready = [] { return false; };
  Dispatcher d(o, Router{});
  Outcome r = d.Dispatch(Get("/readyz"));
  EXPECT_EQ(r.response.status, 503);
  EXPECT_EQ(Body(r).at("code"), "server.not_ready");
}

TEST(Dispatcher, BuiltInRouteClashThrows) {
  Router app;
  app.Add("GET", "/healthz", "mine", [](Request&) { return Response{}; });
  EXPECT_THROW(Dispatcher(Options(), app), std::logic_error);
}

TEST(Dispatcher, MetricsCountRoutesAndUnmatched) {
  Router app = AppRoutes();
  Dispatcher d(Options(), app);
  d.Record(d.Dispatch(Get("/api/v1/units/70")), std::chrono::milliseconds(3), 10);
  d.Record(d.Dispatch(Get("/api/v1/zzz")), std::chrono::milliseconds(1), 10);
  std::string text = d.Dispatch(Get("/metrics")).response.body;
  EXPECT_NE(text.find(R"(pdh_http_requests_total{route="units.get",method="GET",status="200"} 1)"),
            std::string::npos);
  EXPECT_NE(text.find(R"(pdh_http_requests_total{route="unmatched",method="GET",status="404"} 1)"),
            std::string::npos);
}

TEST(Dispatcher, AccessLogLines) {
  testing::TempDir dir;
  ServerOptions o = Options();
  o.access_log = (dir.path() / "access.log").string();
  {
    Dispatcher d(o, Router{});
    Outcome out = d.Dispatch(Get("/healthz", {{"x-request-id", "r1"}, {"user-agent", "probe/1"}}));
    d.Record(out, std::chrono::microseconds(1500), out.response.body.size());
    d.Record(d.Dispatch(Get("/nowhere")), std::chrono::microseconds(1), 0);
  }
  std::ifstream in(dir.path() / "access.log");
  std::string line;
  ASSERT_TRUE(std::getline(in, line));
  json::value v = json::parse(line);
  EXPECT_EQ(v.at("request_id"), "r1");
  EXPECT_EQ(v.at("remote"), "127.0.0.1:1");
  EXPECT_EQ(v.at("method"), "GET");
  EXPECT_EQ(v.at("path"), "/healthz");
  EXPECT_EQ(v.at("route"), "healthz");
  EXPECT_EQ(v.at("status"), 200);
  EXPECT_EQ(v.at("bytes"), 15);
  EXPECT_DOUBLE_EQ(v.at("duration_ms").as_double(), 1.5);
  EXPECT_EQ(v.at("user_agent"), "probe/1");
  std::string ts(v.at("ts").as_string());
  EXPECT_EQ(ts.size(), 24u) << ts;
  EXPECT_EQ(ts.back(), 'Z');
  ASSERT_TRUE(std::getline(in, line));
  EXPECT_TRUE(json::parse(line).at("route").is_null());
}

TEST(Dispatcher, StaticFilesAndSpa) {
  testing::WebRoot web;
  Dispatcher d(Options(web.root.string()), Router{});
  Outcome index = d.Dispatch(Get("/units/70"));
  EXPECT_EQ(index.response.status, 200);
  EXPECT_EQ(HeaderOf(index.response, "Content-Security-Policy"),
            "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
            "script-src 'self'");
  EXPECT_EQ(HeaderOf(index.response, "Cache-Control"), "no-cache");
  std::string etag = HeaderOf(index.response, "ETag");
  Outcome cached = d.Dispatch(Get("/", {{"if-none-match", etag}}));
  EXPECT_EQ(cached.response.status, 304);

  Outcome js = d.Dispatch(Get("/assets/app-1234.js", {{"accept-encoding", "gzip"}}));
  EXPECT_EQ(js.response.body, "GZIPPED");
  EXPECT_EQ(HeaderOf(js.response, "Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(HeaderOf(js.response, "Content-Encoding"), "gzip");

  Outcome missing = d.Dispatch(Get("/missing.png"));
  EXPECT_EQ(missing.response.status, 404);
  EXPECT_EQ(Body(missing).at("code"), "file.not_found");
  EXPECT_EQ(d.Dispatch(Get("/api/v1/none")).response.status, 404);  // no SPA under /api
  EXPECT_EQ(d.Dispatch(Get("/..%2f..%2fsecret.txt")).response.status, 400);
  EXPECT_EQ(d.Dispatch(Get("/link.txt")).response.status, 404);

  Incoming post = Get("/units");
  post.method = "POST";
  Outcome wrong = d.Dispatch(std::move(post));
  EXPECT_EQ(wrong.response.status, 405);
  EXPECT_EQ(HeaderOf(wrong.response, "Allow"), "GET, HEAD");
}

}  // namespace
}  // namespace pdh::http::detail
