// The server over real sockets: keep-alive, limits, problems, ids, HEAD, shutdown, metrics,
// rate limits.
#include <gtest/gtest.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/json/parse.hpp>

#include <unistd.h>

#include "server/server.h"
#include "server/test_support.h"

namespace pdh::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace json = boost::json;
using tcp = asio::ip::tcp;
using RawResponse = bhttp::response<bhttp::string_body>;
using testing::RunningServer;

// A blocking HTTP/1.1 client on one connection.
class Client {
 public:
  explicit Client(uint16_t port, std::string_view host = "127.0.0.1") : stream_(io_) {
    stream_.connect(tcp::endpoint(asio::ip::make_address(host), port));
    stream_.expires_after(std::chrono::seconds(10));
  }

  RawResponse Send(bhttp::verb method, const std::string& target, std::string body = "",
                   const std::vector<std::pair<std::string, std::string>>& headers = {}) {
    bhttp::request<bhttp::string_body> req{method, target, 11};
    req.set(bhttp::field::host, "localhost");
    for (const auto& [name, value] : headers) req.set(name, value);
    if (!body.empty()) req.body() = std::move(body);
    req.prepare_payload();
    bhttp::write(stream_, req);
    return Read(method == bhttp::verb::head);
  }

  void WriteRaw(std::string_view bytes) { asio::write(stream_.socket(), asio::buffer(bytes)); }

  RawResponse Read(bool head = false) {
    bhttp::response_parser<bhttp::string_body> parser;
    parser.skip(head);
    parser.body_limit(64 << 20);
    bhttp::read(stream_, buffer_, parser);
    return parser.release();
  }

  // Whether the server has closed the connection (reads end of stream).
  bool ClosedByServer() {
    beast::error_code ec;
    char byte;
    stream_.socket().read_some(asio::buffer(&byte, 1), ec);
    return ec == asio::error::eof || ec == asio::error::connection_reset;
  }

 private:
  asio::io_context io_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
};

json::value Body(const RawResponse& r) {
  return json::parse(r.body());
}

Router TestRoutes(std::atomic<bool>* slow_started = nullptr) {
  Router r;
  r.Add("GET", "/api/v1/units/{code}", "units.get", [](Request& req) {
    return Response::Json({{"code", req.params.at("code")}});
  });
  r.Add("POST", "/api/v1/echo", "echo", [](Request& req) { return Response::Json(req.Json()); });
  r.Add("GET", "/api/v1/slow", "slow", [slow_started](Request&) {
    if (slow_started) *slow_started = true;
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    return Response::Json({{"done", true}});
  });
  return r;
}

TEST(Server, KeepAliveServesTwoRequestsOnOneConnection) {
  RunningServer server(TestRoutes(), {});
  Client client(server.port());
  RawResponse first = client.Send(bhttp::verb::get, "/healthz");
  EXPECT_EQ(first.result_int(), 200);
  EXPECT_TRUE(first.keep_alive());
  EXPECT_EQ(Body(first), json::parse(R"({"status":"ok"})"));
  RawResponse second = client.Send(bhttp::verb::get, "/api/v1/units/70");
  EXPECT_EQ(second.result_int(), 200);
  EXPECT_EQ(Body(second).at("code"), "70");
  EXPECT_EQ(second[bhttp::field::cache_control], "no-cache");
  EXPECT_EQ(second["X-Content-Type-Options"], "nosniff");
  EXPECT_FALSE(second[bhttp::field::etag].empty());
}

TEST(Server, NotFoundAndMethodNotAllowedProblems) {
  RunningServer server(TestRoutes(), {});
  Client client(server.port());
  RawResponse missing = client.Send(bhttp::verb::get, "/api/v1/nothing");
  EXPECT_EQ(missing.result_int(), 404);
  EXPECT_EQ(missing[bhttp::field::content_type], "application/problem+json");
  EXPECT_EQ(Body(missing).at("code"), "route.not_found");
  RawResponse wrong = client.Send(bhttp::verb::delete_, "/api/v1/units/70");
  EXPECT_EQ(wrong.result_int(), 405);
  EXPECT_EQ(Body(wrong).at("code"), "route.method_not_allowed");
  EXPECT_EQ(wrong[bhttp::field::allow], "GET, HEAD");
}

TEST(Server, EchoesValidRequestIdAndMakesOneOtherwise) {
  RunningServer server(TestRoutes(), {});
  Client client(server.port());
  RawResponse given = client.Send(bhttp::verb::get, "/healthz", "", {{"X-Request-Id", "abc.123"}});
  EXPECT_EQ(given["X-Request-Id"], "abc.123");
  RawResponse made = client.Send(bhttp::verb::get, "/healthz", "", {{"X-Request-Id", "bad id!"}});
  EXPECT_NE(made["X-Request-Id"], "bad id!");
  EXPECT_FALSE(made["X-Request-Id"].empty());
}

TEST(Server, EtagGivesNotModified) {
  RunningServer server(TestRoutes(), {});
  Client client(server.port());
  RawResponse first = client.Send(bhttp::verb::get, "/api/v1/units/70");
  std::string etag(first[bhttp::field::etag]);
  RawResponse again =
      client.Send(bhttp::verb::get, "/api/v1/units/70", "", {{"If-None-Match", etag}});
  EXPECT_EQ(again.result_int(), 304);
  EXPECT_EQ(again.body(), "");
  EXPECT_EQ(client.Send(bhttp::verb::get, "/healthz").result_int(), 200);  // still in step
}

TEST(Server, HeadHasLengthButNoBody) {
  RunningServer server(TestRoutes(), {});
  Client client(server.port());
  RawResponse head = client.Send(bhttp::verb::head, "/api/v1/units/70");
  EXPECT_EQ(head.result_int(), 200);
  EXPECT_EQ(head[bhttp::field::content_length], "13");  // {"code":"70"}
  EXPECT_EQ(head.body(), "");
  EXPECT_EQ(client.Send(bhttp::verb::get, "/healthz").result_int(), 200);
}

TEST(Server, InvalidJsonIs400AndTheServerGoesOn) {
  RunningServer server(TestRoutes(), {});
  Client client(server.port());
  RawResponse bad = client.Send(bhttp::verb::post, "/api/v1/echo", "{\"a\": [1,",
                                {{"Content-Type", "application/json"}});
  EXPECT_EQ(bad.result_int(), 400);
  EXPECT_EQ(Body(bad).at("code"), "request.invalid_json");
  RawResponse deep = client.Send(bhttp::verb::post, "/api/v1/echo", std::string(100000, '['),
                                 {{"Content-Type", "application/json"}});
  EXPECT_EQ(deep.result_int(), 400);
  RawResponse good = client.Send(bhttp::verb::post, "/api/v1/echo", "{\"a\":[1]}",
                                 {{"Content-Type", "application/json"}});
  EXPECT_EQ(good.result_int(), 200);
  EXPECT_EQ(Body(good), json::parse(R"({"a":[1]})"));
  EXPECT_EQ(Client(server.port()).Send(bhttp::verb::get, "/healthz").result_int(), 200);
}

TEST(Server, BodyTooLargeIs413) {
  ServerOptions o;
  o.max_body_bytes = 1024;
  RunningServer server(TestRoutes(), o);
  Client client(server.port());
  RawResponse r = client.Send(bhttp::verb::post, "/api/v1/echo", "[" + std::string(4000, ' ') + "]",
                              {{"Content-Type", "application/json"}});
  EXPECT_EQ(r.result_int(), 413);
  EXPECT_EQ(Body(r).at("code"), "request.body_too_large");
  // The problem names the limit and how to change it.
  EXPECT_EQ(Body(r).at("detail"),
            "the request body is larger than the server takes (limit: 1024 bytes; raise it with "
            "pdh serve --max-body-mb)");
  EXPECT_FALSE(r.keep_alive());
  EXPECT_TRUE(client.ClosedByServer());
  EXPECT_EQ(Client(server.port()).Send(bhttp::verb::get, "/healthz").result_int(), 200);
}

TEST(Server, HeaderTooLargeIs431) {
  ServerOptions o;
  o.max_header_bytes = 1024;
  RunningServer server(TestRoutes(), o);
  Client client(server.port());
  RawResponse r =
      client.Send(bhttp::verb::get, "/healthz", "", {{"X-Big", std::string(2000, 'x')}});
  EXPECT_EQ(r.result_int(), 431);
  EXPECT_EQ(Body(r).at("code"), "request.header_too_large");
  EXPECT_FALSE(r.keep_alive());
}

TEST(Server, ExpectContinue) {
  ServerOptions o;
  o.max_body_bytes = 1024;
  RunningServer server(TestRoutes(), o);
  Client client(server.port());
  client.WriteRaw(
      "POST /api/v1/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Content-Length: 7\r\nExpect: 100-continue\r\n\r\n");
  EXPECT_EQ(client.Read().result_int(), 100);
  client.WriteRaw("[1,2,3]");
  RawResponse r = client.Read();
  EXPECT_EQ(r.result_int(), 200);
  EXPECT_EQ(r.body(), "[1,2,3]");

  // Too large: refused before the body is sent.
  client.WriteRaw(
      "POST /api/v1/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Content-Length: 5000\r\nExpect: 100-continue\r\n\r\n");
  EXPECT_EQ(client.Read().result_int(), 413);
}

TEST(Server, MalformedRequestIs400) {
  RunningServer server(TestRoutes(), {});
  Client client(server.port());
  client.WriteRaw("GET /healthz HTTP/1.1\r\nBad Header\r\n\r\n");
  RawResponse r = client.Read();
  EXPECT_EQ(r.result_int(), 400);
  EXPECT_EQ(Body(r).at("code"), "request.malformed");
}

TEST(Server, TraversalIs400) {
  RunningServer server(TestRoutes(), {});
  Client client(server.port());
  RawResponse r = client.Send(bhttp::verb::get, "/%2e%2e/%2e%2e/etc/passwd");
  EXPECT_EQ(r.result_int(), 400);
  EXPECT_EQ(Body(r).at("code"), "request.invalid_path");
}

TEST(Server, StopLetsTheRequestInFlightFinish) {
  std::atomic<bool> started = false;
  RunningServer server(TestRoutes(&started), {});
  Client busy(server.port());
  Client idle(server.port());
  EXPECT_EQ(idle.Send(bhttp::verb::get, "/healthz").result_int(), 200);
  std::thread request([&] {
    RawResponse r = busy.Send(bhttp::verb::get, "/api/v1/slow");
    EXPECT_EQ(r.result_int(), 200);
    EXPECT_FALSE(r.keep_alive());
  });
  while (!started) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  auto took = server.StopAndWait();
  request.join();
  EXPECT_LT(took, std::chrono::milliseconds(2000));
  EXPECT_TRUE(idle.ClosedByServer());
}

TEST(Server, StopWithIdleConnectionsIsPrompt) {
  RunningServer server(TestRoutes(), {});
  Client idle(server.port());
  EXPECT_EQ(idle.Send(bhttp::verb::get, "/healthz").result_int(), 200);
  EXPECT_LT(server.StopAndWait(), std::chrono::milliseconds(1000));
}

TEST(Server, SigtermStopsRun) {
  RunningServer server(TestRoutes(), {}, /*handle_signals=*/true);
  Client idle(server.port());
  // An answer means Run() is serving, so its signal handler is installed.
  EXPECT_EQ(idle.Send(bhttp::verb::get, "/healthz").result_int(), 200);
  ASSERT_EQ(::kill(::getpid(), SIGTERM), 0);
  EXPECT_LT(server.WaitForExit(/*stop=*/false), std::chrono::milliseconds(2000));
  EXPECT_TRUE(idle.ClosedByServer());
}

TEST(Server, IdleTimeoutClosesConnection) {
  ServerOptions o;
  o.idle_timeout = std::chrono::seconds(1);
  RunningServer server(TestRoutes(), o);
  Client client(server.port());
  EXPECT_EQ(client.Send(bhttp::verb::get, "/healthz").result_int(), 200);
  auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(client.ClosedByServer());
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST(Server, ListensOnIpv6Loopback) {
  ServerOptions o;
  o.host = "::1";
  std::optional<RunningServer> server;
  try {
    server.emplace(TestRoutes(), o);
  } catch (const Failure& f) {
    GTEST_SKIP() << "no IPv6 loopback: " << f.what();
  }
  EXPECT_TRUE(server->address().starts_with("[::1]:")) << server->address();
  Client client(server->port(), "::1");
  EXPECT_EQ(client.Send(bhttp::verb::get, "/healthz").result_int(), 200);
}

TEST(Server, ListenFailsOnBadHost) {
  ServerOptions o;
  o.host = "256.1.1.1";
  o.access_log = "";
  Server server(o, Router{});
  auto r = server.Listen();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "server.listen_failed");
}

TEST(Server, RateLimitAnswers429WithRetryAfter) {
  ServerOptions o;
  o.rate_per_address = 0.01;
  o.burst_per_address = 2;
  RunningServer server(TestRoutes(), o);
  Client client(server.port());
  EXPECT_EQ(client.Send(bhttp::verb::get, "/api/v1/units/1").result_int(), 200);
  // Another connection from the same address shares the bucket.
  EXPECT_EQ(Client(server.port()).Send(bhttp::verb::get, "/api/v1/units/1").result_int(), 200);
  RawResponse refused = client.Send(bhttp::verb::get, "/api/v1/units/1");
  EXPECT_EQ(refused.result_int(), 429);
  EXPECT_EQ(Body(refused).at("code"), "request.rate_limited");
  EXPECT_EQ(refused[bhttp::field::retry_after], "100");
  EXPECT_TRUE(refused.keep_alive());
  EXPECT_EQ(client.Send(bhttp::verb::get, "/healthz").result_int(), 200);  // probes are exempt
}

TEST(Server, MetricsPassPromtool) {
  RunningServer server(TestRoutes(), {});
  Client client(server.port());
  client.Send(bhttp::verb::get, "/api/v1/units/70");
  client.Send(bhttp::verb::get, "/api/v1/nothing");
  RawResponse metrics = client.Send(bhttp::verb::get, "/metrics");
  EXPECT_EQ(metrics[bhttp::field::content_type], "text/plain; version=0.0.4; charset=utf-8");
  const std::string& text = metrics.body();
  EXPECT_NE(text.find(R"(pdh_http_requests_total{route="units.get",method="GET",status="200"} 1)"),
            std::string::npos);
  EXPECT_NE(text.find(R"(pdh_http_requests_total{route="unmatched",method="GET",status="404"} 1)"),
            std::string::npos);
  EXPECT_NE(text.find("pdh_http_connections_open 1\n"), std::string::npos);
  if (!std::filesystem::exists("/usr/bin/promtool")) GTEST_SKIP() << "no promtool";
  int status = 0;
  const std::string output = testing::PromtoolCheck(text, status);
  EXPECT_EQ(status, 0) << output;
  EXPECT_EQ(output, "");
}

}  // namespace
}  // namespace pdh::http
