// Request handling without sockets: routing, problems, ids, ETag/304, headers, static files,
// the authorize and after hooks, rate limits.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include <boost/json/parse.hpp>

#include "server/dispatcher.h"
#include "server/http_util.h"
#include "server/test_support.h"

namespace pdh::http::detail {
namespace {

using testing::HeaderOf;

namespace json = boost::json;

Router AppRoutes() {
  Router r;
  r.Add("GET", "/api/v1/units/{code}", "units.get", [](Request& req) {
    if (req.params.at("code") == "0") throw Failure(Error::NotFound("unit.not_found", "no unit 0"));
    return Response::Json(
        {{"code", req.params.at("code")}, {"lang", req.Query("lang").value_or("vi")}});
  });
  r.Add("POST", "/api/v1/echo", "echo",
        [](Request& req) { return Response::Json(req.Json(), 201); });
  r.Add("GET", "/api/v1/long", "long", [](Request&) {
    json::array items;
    for (int i = 0; i < 200; ++i) items.push_back({{"code", i}, {"name", "Phường Tân Ninh"}});
    return Response::Json({{"items", items}});
  });
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
  return json::parse(o.response.Body());
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

TEST_F(DispatcherTest, LongAnswersGoGzippedToClientsThatTakeIt) {
  Outcome plain = d_.Dispatch(Get("/api/v1/long"));
  EXPECT_EQ(HeaderOf(plain.response, "Content-Encoding"), "");
  EXPECT_EQ(HeaderOf(plain.response, "Vary"), "Accept-Encoding");
  const std::string etag = HeaderOf(plain.response, "ETag");
  Outcome gz = d_.Dispatch(Get("/api/v1/long", {{"accept-encoding", "br, gzip;q=0.8"}}));
  EXPECT_EQ(HeaderOf(gz.response, "Content-Encoding"), "gzip");
  EXPECT_EQ(HeaderOf(gz.response, "Vary"), "Accept-Encoding");
  EXPECT_LT(gz.response.Body().size(), plain.response.Body().size() / 4);
  EXPECT_EQ(gz.response.Body().substr(0, 2), "\x1f\x8b");  // a gzip member
  // Its own strong tag, which a client that has it gets a 304 for.
  const std::string gz_tag = HeaderOf(gz.response, "ETag");
  EXPECT_NE(gz_tag, etag);
  Outcome again =
      d_.Dispatch(Get("/api/v1/long", {{"accept-encoding", "gzip"}, {"if-none-match", gz_tag}}));
  EXPECT_EQ(again.response.status, 304);
  // Once compressed, the same body is served from what was kept.
  Outcome next = d_.Dispatch(Get("/api/v1/long", {{"accept-encoding", "gzip"}}));
  EXPECT_EQ(next.response.shared_body, gz.response.shared_body);
  // Not for a client that refuses it, nor for short answers.
  Outcome refused = d_.Dispatch(Get("/api/v1/long", {{"accept-encoding", "gzip;q=0"}}));
  EXPECT_EQ(HeaderOf(refused.response, "Content-Encoding"), "");
  Outcome small = d_.Dispatch(Get("/api/v1/units/70", {{"accept-encoding", "gzip"}}));
  EXPECT_EQ(HeaderOf(small.response, "Content-Encoding"), "");
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
  EXPECT_EQ(js.response.Body(), "GZIPPED");
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

// An authorize hook like the auth module's: a bearer token "admin" may do anything, "viewer"
// only what is public or "authenticated"; no token is 401.
void Authorize(Request& req, const Route& route) {
  if (route.doc.permission == "public") return;
  std::string_view token = BearerToken(req.Header("authorization"));
  if (token.empty()) throw Failure({"auth.unauthenticated", "sign in first", 401});
  req.principal = std::make_shared<const std::string>(token);
  if (token != "admin" && route.doc.permission != "authenticated") {
    throw Failure({"auth.forbidden", "needs " + route.doc.permission, 403});
  }
}

Router GuardedRoutes(int* handled) {
  Router r;
  r.Add("GET", "/api/v1/me", "me", [handled](Request& req) {
    ++*handled;
    return Response::Json({{"who", *std::static_pointer_cast<const std::string>(req.principal)}});
  });
  RouteDoc admin;
  admin.permission = "users.admin";
  r.Add(
      "DELETE", "/api/v1/users/{id}", "users.delete",
      [handled](Request&) {
        ++*handled;
        Response res;
        res.status = 204;
        return res;
      },
      admin);
  return r;
}

Incoming WithToken(Incoming in, std::string token) {
  in.headers.emplace_back("authorization", "Bearer " + token);
  return in;
}

TEST(Dispatcher, AuthorizeRefusesBeforeTheHandler) {
  int handled = 0;
  ServerOptions o = Options();
  o.authorize = Authorize;
  Router app = GuardedRoutes(&handled);
  Dispatcher d(o, app);

  Outcome anonymous = d.Dispatch(Get("/api/v1/me"));
  EXPECT_EQ(anonymous.response.status, 401);
  EXPECT_EQ(Body(anonymous).at("code"), "auth.unauthenticated");
  EXPECT_EQ(HeaderOf(anonymous.response, "WWW-Authenticate"), R"(Bearer realm="pdh")");
  EXPECT_EQ(handled, 0);

  Incoming del = WithToken(Get("/api/v1/users/7"), "viewer");
  del.method = "DELETE";
  Outcome forbidden = d.Dispatch(std::move(del));
  EXPECT_EQ(forbidden.response.status, 403);
  EXPECT_EQ(Body(forbidden).at("code"), "auth.forbidden");
  EXPECT_EQ(HeaderOf(forbidden.response, "WWW-Authenticate"), "");
  EXPECT_EQ(handled, 0);

  Outcome me = d.Dispatch(WithToken(Get("/api/v1/me"), "viewer"));
  EXPECT_EQ(me.response.status, 200);
  EXPECT_EQ(Body(me), json::parse(R"({"who":"viewer"})"));
  EXPECT_EQ(handled, 1);
}

TEST(Dispatcher, AuthorizeSeesBuiltInRoutesAsPublic) {
  std::vector<std::string> seen;
  ServerOptions o = Options();
  o.authorize = [&](Request& req, const Route& route) {
    seen.push_back(route.name + "=" + route.doc.permission);
    Authorize(req, route);
  };
  Dispatcher d(o, Router{});
  for (std::string path : {"/healthz", "/readyz", "/metrics", "/api/v1/openapi.json"}) {
    EXPECT_EQ(d.Dispatch(Get(path)).response.status, 200) << path;
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"healthz=public", "readyz=public", "metrics=public",
                                            "openapi=public"}));
  EXPECT_TRUE(d.Dispatch(Get("/nowhere")).route == nullptr);  // unrouted: no hook
  EXPECT_EQ(seen.size(), 4u);
}

TEST(Dispatcher, AuthorizeThrowingOtherwiseIsInternal) {
  ServerOptions o = Options();
  o.authorize = [](Request&, const Route&) { throw std::runtime_error("session store down"); };
  Dispatcher d(o, Router{});
  Outcome out = d.Dispatch(Get("/healthz"));
  EXPECT_EQ(out.response.status, 500);
  EXPECT_EQ(out.response.body.find("session store"), std::string::npos);
}

TEST(Dispatcher, AfterHookSeesTheFinalResponse) {
  int handled = 0;
  std::vector<std::string> seen;
  ServerOptions o = Options();
  o.authorize = Authorize;
  o.after = [&](const Request& req, const Route& route, const Response& res) {
    seen.push_back(req.method + " " + route.name + " " + std::to_string(res.status) + " " +
                   (req.principal ? "who" : "anon") + " " + HeaderOf(res, "X-Request-Id"));
  };
  Router app = GuardedRoutes(&handled);
  Dispatcher d(o, app);
  d.Dispatch(Get("/api/v1/me", {{"x-request-id", "r1"}}));
  Outcome first = d.Dispatch(WithToken(Get("/api/v1/me", {{"x-request-id", "r2"}}), "admin"));
  d.Dispatch(WithToken(Get("/api/v1/me", {{"x-request-id", "r3"},
                                          {"if-none-match", HeaderOf(first.response, "ETag")}}),
                       "admin"));
  d.Dispatch(Get("/api/v1/none"));  // unrouted: no hook
  EXPECT_EQ(seen, (std::vector<std::string>{"GET me 401 anon r1", "GET me 200 who r2",
                                            "GET me 304 who r3"}));
}

TEST(Dispatcher, AfterHookThrowingLeavesTheAnswer) {
  ServerOptions o = Options();
  o.after = [](const Request&, const Route&, const Response&) {
    throw std::runtime_error("audit log full");
  };
  Dispatcher d(o, Router{});
  ::testing::internal::CaptureStderr();
  Outcome out = d.Dispatch(Get("/healthz", {{"x-request-id", "r9"}}));
  std::string logged = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(out.response.status, 200);
  EXPECT_NE(logged.find("after hook for healthz: audit log full"), std::string::npos) << logged;
  EXPECT_NE(logged.find("\"request_id\":\"r9\""), std::string::npos) << logged;
}

TEST(Dispatcher, HstsOnlyOverTls) {
  Dispatcher d(Options(), Router{});
  Incoming secure = Get("/healthz");
  secure.tls = true;
  Outcome tls = d.Dispatch(std::move(secure));
  EXPECT_TRUE(tls.request.tls);
  EXPECT_EQ(HeaderOf(tls.response, "Strict-Transport-Security"),
            "max-age=31536000; includeSubDomains");
  Outcome plain = d.Dispatch(Get("/healthz"));
  EXPECT_FALSE(plain.request.tls);
  EXPECT_EQ(HeaderOf(plain.response, "Strict-Transport-Security"), "");
}

// A steady clock the test moves.
struct HandClock {
  SteadyTime now = SteadyTime() + std::chrono::hours(1);
  SteadyNow Reader() {
    return [this] { return now; };
  }
};

ServerOptions Limited(double per_address, double per_token) {
  ServerOptions o = Options();
  o.rate_per_address = 1;
  o.burst_per_address = per_address;
  o.rate_per_token = 0.5;
  o.burst_per_token = per_token;
  return o;
}

TEST(Dispatcher, RateLimitPerAddress) {
  HandClock clock;
  int authorized = 0;
  ServerOptions o = Limited(2, 0);
  o.authorize = [&](Request&, const Route&) { ++authorized; };
  Router app = AppRoutes();
  Dispatcher d(o, app, clock.Reader());
  EXPECT_EQ(d.Dispatch(Get("/api/v1/units/1")).response.status, 200);
  EXPECT_EQ(d.Dispatch(Get("/nowhere")).response.status, 404);  // unrouted requests count too
  Outcome refused = d.Dispatch(Get("/api/v1/units/1"));
  EXPECT_EQ(refused.response.status, 429);
  EXPECT_EQ(Body(refused).at("code"), "request.rate_limited");
  EXPECT_EQ(HeaderOf(refused.response, "Retry-After"), "1");
  EXPECT_EQ(authorized, 1);  // refused before authorize

  // Probes are exempt; another address has its own bucket; the port does not matter.
  EXPECT_EQ(d.Dispatch(Get("/healthz")).response.status, 200);
  EXPECT_EQ(d.Dispatch(Get("/readyz")).response.status, 200);
  Incoming other = Get("/api/v1/units/1");
  other.remote = "10.0.0.2:9";
  EXPECT_EQ(d.Dispatch(std::move(other)).response.status, 200);
  Incoming same_host = Get("/api/v1/units/1");
  same_host.remote = "127.0.0.1:2";
  EXPECT_EQ(d.Dispatch(std::move(same_host)).response.status, 429);

  clock.now += std::chrono::seconds(1);
  EXPECT_EQ(d.Dispatch(Get("/api/v1/units/1")).response.status, 200);
}

// Behind a trusted proxy each client has its own bucket, and the handler sees its address.
TEST(Dispatcher, RateLimitPerClientBehindATrustedProxy) {
  HandClock clock;
  ServerOptions o = Limited(1, 0);
  o.trusted_proxies = {"127.0.0.1"};
  std::string seen;
  Router app;
  app.Add("GET", "/api/v1/who", "who", [&seen](Request& req) {
    seen = req.remote;
    return Response();
  });
  Dispatcher d(o, app, clock.Reader());
  auto via_proxy = [](const std::string& client) {
    return Get("/api/v1/who", {{"x-forwarded-for", client}});
  };
  EXPECT_EQ(d.Dispatch(via_proxy("203.0.113.1")).response.status, 200);
  EXPECT_EQ(seen, "203.0.113.1");
  EXPECT_EQ(d.Dispatch(via_proxy("203.0.113.2")).response.status, 200);
  EXPECT_EQ(seen, "203.0.113.2");
  EXPECT_EQ(d.Dispatch(via_proxy("203.0.113.1")).response.status, 429);
  // A client that is not a proxy cannot name another address.
  Incoming direct = via_proxy("203.0.113.3");
  direct.remote = "198.51.100.4:7";
  EXPECT_EQ(d.Dispatch(std::move(direct)).response.status, 200);
  EXPECT_EQ(seen, "198.51.100.4:7");
}

TEST(Dispatcher, RateLimitPerCredential) {
  HandClock clock;
  ServerOptions o = Limited(100, 1);
  Router app = AppRoutes();
  Dispatcher d(o, app, clock.Reader());
  auto with = [](std::string header, std::string value) {
    return Get("/api/v1/units/1", {{std::move(header), std::move(value)}});
  };
  EXPECT_EQ(d.Dispatch(with("authorization", "Bearer t1")).response.status, 200);
  Outcome refused = d.Dispatch(with("authorization", "Bearer t1"));
  EXPECT_EQ(refused.response.status, 429);
  EXPECT_EQ(HeaderOf(refused.response, "Retry-After"), "2");  // 0.5 a second
  EXPECT_EQ(d.Dispatch(with("authorization", "Bearer t2")).response.status, 200);
  EXPECT_EQ(d.Dispatch(with("cookie", "pdh_session=s1")).response.status, 200);
  EXPECT_EQ(d.Dispatch(with("cookie", "theme=dark; pdh_session=s1")).response.status, 429);
  EXPECT_EQ(d.Dispatch(Get("/api/v1/units/1")).response.status, 200);  // no credential
  clock.now += std::chrono::seconds(2);
  EXPECT_EQ(d.Dispatch(with("authorization", "bearer t1")).response.status, 200);
}

}  // namespace
}  // namespace pdh::http::detail
