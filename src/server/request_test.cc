// Request accessors, strict JSON bodies (JSONTestSuite), problem documents, targets, ids.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include <boost/json/parse.hpp>

#include "server/http_util.h"
#include "server/server.h"

namespace pdh::http {
namespace {

namespace fs = std::filesystem;

Request JsonRequest(std::string body) {
  Request req;
  req.headers = {{"content-type", "application/json; charset=utf-8"}};
  req.body = std::move(body);
  return req;
}

// The code and status of the Failure `f` throws; fails the test when it throws none.
Error FailureOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const Failure& e) {
    return e.error();
  }
  ADD_FAILURE() << "no Failure thrown";
  return {};
}

TEST(Request, HeaderAndQuery) {
  Request req;
  req.headers = {{"accept", "text/html"}, {"x-a", "1"}, {"x-a", "2"}};
  req.query = {{"limit", "10"}};
  EXPECT_EQ(req.Header("accept"), "text/html");
  EXPECT_EQ(req.Header("x-a"), "1");
  EXPECT_EQ(req.Header("absent"), "");
  EXPECT_EQ(req.Query("limit"), "10");
  EXPECT_EQ(req.Query("cursor"), std::nullopt);
}

TEST(Request, Cookie) {
  Request req;
  req.headers = {{"cookie", R"(theme=dark;pdh_session="abc=def" ; empty=; lang = vi; flag)"}};
  EXPECT_EQ(req.Cookie("pdh_session"), "abc=def");
  EXPECT_EQ(req.Cookie("theme"), "dark");
  EXPECT_EQ(req.Cookie("lang"), "vi");
  EXPECT_EQ(req.Cookie("empty"), "");
  EXPECT_EQ(req.Cookie("flag"), "");  // no '=': not a cookie pair
  EXPECT_EQ(req.Cookie("absent"), "");
  EXPECT_EQ(req.Cookie("Theme"), "");  // names are case-sensitive
  EXPECT_EQ(req.Cookie("dark"), "");   // a value is not a name

  req.headers = {{"cookie", "a=1; a=2"}, {"cookie", "b=3"}};
  EXPECT_EQ(req.Cookie("a"), "1");  // the first wins
  EXPECT_EQ(req.Cookie("b"), "3");  // split over two headers
  req.headers = {};
  EXPECT_EQ(req.Cookie("a"), "");
}

TEST(Request, JsonParsesAValidBody) {
  auto v = JsonRequest(R"( {"a": [1, 2.5, "x", null, true]} )").Json();
  EXPECT_EQ(v.at("a").as_array().size(), 5u);
}

TEST(Request, JsonNeedsJsonContentType) {
  for (std::string type :
       {"", "text/plain", "application/jsonx", "application/x-www-form-urlencoded"}) {
    Request req = JsonRequest("{}");
    req.headers = {{"content-type", type}};
    Error e = FailureOf([&] { req.Json(); });
    EXPECT_EQ(e.code, "request.unsupported_media_type") << type;
    EXPECT_EQ(e.status, 415) << type;
  }
  Request upper = JsonRequest("{}");
  upper.headers = {{"content-type", "Application/JSON"}};
  EXPECT_NO_THROW(upper.Json());
}

TEST(Request, InvalidJsonNamesTheByteOffset) {
  Error e = FailureOf([] { JsonRequest(R"({"a": 1,})").Json(); });
  EXPECT_EQ(e.code, "request.invalid_json");
  EXPECT_EQ(e.status, 400);
  EXPECT_NE(e.message.find("at byte 8"), std::string::npos) << e.message;
  std::vector<std::string> bad_bodies = {"",
                                         "{} {}",
                                         "[1] x",
                                         "/* c */ 1",
                                         "[1,]",
                                         "\"\xff\"",
                                         std::string(100000, '['),
                                         std::string(65, '[') + std::string(65, ']')};
  for (const std::string& bad : bad_bodies) {
    EXPECT_EQ(FailureOf([&] { JsonRequest(bad).Json(); }).code, "request.invalid_json");
  }
  EXPECT_NO_THROW(JsonRequest(std::string(64, '[') + std::string(64, ']')).Json());
}

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// JSONTestSuite: every n_ file is refused with 400, every y_ file accepted.
TEST(Request, JsonTestSuite) {
  fs::path dir = fs::path(PDH_SHARED_DIR) / "data/testsuites/json-test-suite";
  if (!fs::is_directory(dir)) GTEST_SKIP() << "no " << dir;
  int rejected = 0, accepted = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    std::string name = entry.path().filename().string();
    bool must_reject = name.starts_with("n_");
    if (!(must_reject || name.starts_with("y_")) || !name.ends_with(".json")) continue;
    Request req = JsonRequest(ReadFile(entry.path()));
    if (must_reject) {
      Error e = FailureOf([&] { req.Json(); });
      EXPECT_EQ(e.status, 400) << name;
      EXPECT_EQ(e.code, "request.invalid_json") << name;
      ++rejected;
    } else {
      EXPECT_NO_THROW(req.Json()) << name;
      ++accepted;
    }
  }
  EXPECT_GT(rejected, 150);
  EXPECT_GT(accepted, 90);
}

TEST(Response, JsonSerializes) {
  Response r = Response::Json({{"a", 1}}, 201);
  EXPECT_EQ(r.status, 201);
  EXPECT_EQ(r.content_type, "application/json");
  EXPECT_EQ(r.body, R"({"a":1})");
}

TEST(Response, ProblemFollowsRfc9457) {
  Request req;
  req.path = "/api/v1/units/99";
  req.request_id = "abc-1";
  Response r = Response::Problem(Error::NotFound("unit.not_found", "no unit 99"), req);
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.content_type, "application/problem+json");
  auto doc = boost::json::parse(r.body);
  EXPECT_EQ(doc, boost::json::parse(R"({"type":"/problems/unit.not_found","title":"Not Found",
      "status":404,"detail":"no unit 99","instance":"/api/v1/units/99","code":"unit.not_found",
      "request_id":"abc-1"})"));
  // A Failure carrying a success status is a bug; it still becomes an error.
  EXPECT_EQ(Response::Problem({"x", "y", 200}, req).status, 500);
}

TEST(Target, DecodesPathAndQuery) {
  auto t =
      detail::ParseTarget("/api/v1/units/T%C3%A2y%20Ninh?name=T%C3%A2y+Ninh&limit=5&limit=6&flag");
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_EQ(t->path, "/api/v1/units/Tây Ninh");
  EXPECT_EQ(t->query.at("name"), "Tây Ninh");
  EXPECT_EQ(t->query.at("limit"), "5");
  EXPECT_EQ(t->query.at("flag"), "");
  EXPECT_TRUE(detail::ParseTarget("/"));
  EXPECT_TRUE(detail::ParseTarget("/a..b/c."));
}

TEST(Target, RejectsTraversalNulAndGarbage) {
  for (std::string_view bad : {"/a/../b", "/..", "/a/%2e%2E/b", "/a/%2E", "/a/./b", "/a%00b",
                               "relative", "/a b", "/%zz", "http://host/a"}) {
    auto t = detail::ParseTarget(bad);
    ASSERT_FALSE(t) << bad;
    EXPECT_EQ(t.error().code, "request.invalid_path");
    EXPECT_EQ(t.error().status, 400);
  }
}

TEST(RequestId, ValidIdsAreReusedOthersReplaced) {
  EXPECT_TRUE(detail::IsValidRequestId("a"));
  EXPECT_TRUE(detail::IsValidRequestId("Req_1.2-3"));
  EXPECT_TRUE(detail::IsValidRequestId(std::string(64, 'x')));
  EXPECT_FALSE(detail::IsValidRequestId(""));
  EXPECT_FALSE(detail::IsValidRequestId(std::string(65, 'x')));
  EXPECT_FALSE(detail::IsValidRequestId("a b"));
  EXPECT_FALSE(detail::IsValidRequestId("a\"b"));
  EXPECT_FALSE(detail::IsValidRequestId("ä"));
  std::string id = detail::NewRequestId();
  EXPECT_TRUE(detail::IsValidRequestId(id));
  EXPECT_NE(id, detail::NewRequestId());
}

TEST(Etag, StrongAndComparedWeakly) {
  std::string tag = detail::EtagFor("hello");
  EXPECT_EQ(tag, "\"a430d84680aabd0b\"");  // FNV-1a 64 of "hello"
  EXPECT_TRUE(detail::IfNoneMatchHits(tag, tag));
  EXPECT_TRUE(detail::IfNoneMatchHits("\"x\", W/" + tag, tag));
  EXPECT_TRUE(detail::IfNoneMatchHits("*", tag));
  EXPECT_FALSE(detail::IfNoneMatchHits("", tag));
  EXPECT_FALSE(detail::IfNoneMatchHits("\"x\"", tag));
}

TEST(AcceptEncoding, Gzip) {
  EXPECT_TRUE(detail::AcceptsGzip("gzip, deflate, br"));
  EXPECT_TRUE(detail::AcceptsGzip("br;q=1.0, GZIP;q=0.5"));
  EXPECT_TRUE(detail::AcceptsGzip("*"));
  EXPECT_FALSE(detail::AcceptsGzip(""));
  EXPECT_FALSE(detail::AcceptsGzip("gzip;q=0"));
  EXPECT_FALSE(detail::AcceptsGzip("deflate, br"));
}

TEST(Peer, AddressWithoutPort) {
  EXPECT_EQ(detail::AddressOf("127.0.0.1:54321"), "127.0.0.1");
  EXPECT_EQ(detail::AddressOf("[::1]:8080"), "[::1]");
  EXPECT_EQ(detail::AddressOf("::1"), "::1");
  EXPECT_EQ(detail::AddressOf("10.0.0.1"), "10.0.0.1");
  EXPECT_EQ(detail::AddressOf(""), "");
}

TEST(Peer, NetworksByAddressAndPrefix) {
  const std::vector<std::string> nets = {"127.0.0.1", "10.0.0.0/8", "fd00::/8", "bad/99", "x"};
  EXPECT_TRUE(detail::InNetworks("127.0.0.1", nets));
  EXPECT_FALSE(detail::InNetworks("127.0.0.2", nets));
  EXPECT_TRUE(detail::InNetworks("10.200.3.4", nets));
  EXPECT_FALSE(detail::InNetworks("11.0.0.1", nets));
  EXPECT_TRUE(detail::InNetworks("[fd12::1]", nets));
  EXPECT_TRUE(detail::InNetworks("fd12::1", nets));
  EXPECT_FALSE(detail::InNetworks("fe80::1", nets));
  EXPECT_FALSE(detail::InNetworks("::1", nets));
  EXPECT_FALSE(detail::InNetworks("", nets));
  EXPECT_TRUE(detail::InNetworks("::1", {"::1/128"}));
  EXPECT_TRUE(detail::InNetworks("203.0.113.9", {"0.0.0.0/0"}));
  // What pdh serve --trusted-proxy accepts.
  EXPECT_TRUE(IsAddressOrNetwork("127.0.0.1"));
  EXPECT_TRUE(IsAddressOrNetwork("10.0.0.0/8"));
  EXPECT_TRUE(IsAddressOrNetwork("fd00::/8"));
  EXPECT_FALSE(IsAddressOrNetwork("10.0.0.0/33"));
  EXPECT_FALSE(IsAddressOrNetwork("nginx"));
  EXPECT_FALSE(IsAddressOrNetwork(""));
}

TEST(Peer, ClientBehindTrustedProxies) {
  const std::vector<std::string> proxies = {"127.0.0.1", "10.0.0.0/8"};
  // From a proxy: the right-most address it was not given by another proxy.
  EXPECT_EQ(detail::ClientAddress("127.0.0.1:4000", "203.0.113.7", proxies), "203.0.113.7");
  EXPECT_EQ(detail::ClientAddress("127.0.0.1:4000", "198.51.100.1, 203.0.113.7, 10.1.1.1", proxies),
            "203.0.113.7");  // what the client itself wrote first is not believed
  EXPECT_EQ(detail::ClientAddress("127.0.0.1:4000", " 2001:db8::5 ", proxies), "2001:db8::5");
  // Only proxies: the left-most; no header, or not from a proxy: the peer.
  EXPECT_EQ(detail::ClientAddress("127.0.0.1:4000", "10.0.0.5, 10.0.0.6", proxies), "10.0.0.5");
  EXPECT_EQ(detail::ClientAddress("127.0.0.1:4000", "", proxies), "127.0.0.1:4000");
  EXPECT_EQ(detail::ClientAddress("203.0.113.7:5", "10.9.9.9", proxies), "203.0.113.7:5");
  EXPECT_EQ(detail::ClientAddress("127.0.0.1:4000", "203.0.113.7", {}), "127.0.0.1:4000");
  // Not an address: nothing to its left is believed.
  EXPECT_EQ(detail::ClientAddress("127.0.0.1:4000", "203.0.113.7, unknown", proxies),
            "127.0.0.1:4000");
}

TEST(Authorization, BearerToken) {
  EXPECT_EQ(detail::BearerToken("Bearer abc.def"), "abc.def");
  EXPECT_EQ(detail::BearerToken("bearer   tok  "), "tok");
  EXPECT_EQ(detail::BearerToken("Basic dXNlcjpwdw=="), "");
  EXPECT_EQ(detail::BearerToken("Bearer "), "");
  EXPECT_EQ(detail::BearerToken("Bearertok"), "");
  EXPECT_EQ(detail::BearerToken(""), "");
}

}  // namespace
}  // namespace pdh::http
