// Server-sent events: the wire format, the hub and its queues, the stream limit, and streams over
// real sockets (delivery, replay, filters, heartbeats, shutdown, many clients, departures).
#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http.hpp>
#include <boost/json/parse.hpp>

#include "server/dispatcher.h"
#include "server/event_queue.h"
#include "server/server.h"
#include "server/test_support.h"

namespace pdh::http {
namespace {

using testing::HeaderOf;

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using testing::Eventually;
using testing::RunningServer;

// A socket, made before the reader that reads it.
struct PlainSocket {
  asio::io_context io;
  tcp::socket socket{io};
};

// A client of one event stream (or any GET) over a plain socket on 127.0.0.1.
class StreamClient : private PlainSocket, public testing::StreamReader<tcp::socket> {
 public:
  explicit StreamClient(uint16_t port, const std::string& target = "/api/v1/events",
                        const std::string& headers = "", const std::string& version = "HTTP/1.1")
      : StreamReader(io, socket) {
    socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    std::string request = "GET " + target + " " + version +
                          "\r\nHost: localhost\r\nAccept: text/event-stream\r\n" + headers + "\r\n";
    asio::write(socket, asio::buffer(request));
  }

  void Close() { socket.close(); }
};

// GET /api/v1/events streams `hub`; /api/v1/events/units/{code} only the events whose data
// names that unit; /api/v1/events/hello begins with a "hello" event.
Router EventRoutes(const std::shared_ptr<EventHub>& hub) {
  Router r;
  r.Add("GET", "/api/v1/events", "events", [hub](Request&) {
    Response res;
    res.events = hub;
    return res;
  });
  r.Add("GET", "/api/v1/events/units/{code}", "events.unit", [hub](Request& req) {
    Response res;
    res.events = hub;
    res.event_filter = [code = req.params.at("code")](const std::string&, const std::string& data) {
      return boost::json::parse(data).at("unit").as_string() == code;
    };
    return res;
  });
  r.Add("GET", "/api/v1/events/hello", "events.hello", [hub](Request&) {
    Response res;
    res.events = hub;
    res.first_event = {"hello", R"({"units":3})"};
    return res;
  });
  return r;
}

// The options of most tests here: no rate limits, which many clients from one address would hit.
ServerOptions Unlimited() {
  ServerOptions o;
  o.rate_per_address = 0;
  o.burst_per_address = 0;
  return o;
}

TEST(EventText, WritesIdTypeAndADataLinePerLine) {
  EXPECT_EQ(detail::EventText(7, "unit.changed", R"({"unit":"70"})"),
            "id: 7\nevent: unit.changed\ndata: {\"unit\":\"70\"}\n\n");
  EXPECT_EQ(detail::EventText(std::nullopt, "hello", "a\nb\r\nc\rd"),
            "event: hello\ndata: a\ndata: b\ndata: c\ndata: d\n\n");
  EXPECT_EQ(detail::EventText(1, "x", ""), "id: 1\nevent: x\ndata: \n\n");
  EXPECT_EQ(detail::EventText(1, "x", "end\n"), "id: 1\nevent: x\ndata: end\ndata: \n\n");
  EXPECT_THROW(detail::EventText(1, "two\nlines", "{}"), std::invalid_argument);
}

TEST(EventText, LastEventIdIsOneOfOurs) {
  EXPECT_EQ(detail::LastEventId("42"), 42u);
  EXPECT_EQ(detail::LastEventId("0"), 0u);
  EXPECT_EQ(detail::LastEventId(""), std::nullopt);
  EXPECT_EQ(detail::LastEventId("x1"), std::nullopt);
  EXPECT_EQ(detail::LastEventId("1x"), std::nullopt);
  EXPECT_EQ(detail::LastEventId("-1"), std::nullopt);
  EXPECT_EQ(detail::LastEventId("99999999999999999999999"), std::nullopt);
}

std::vector<uint64_t> Ids(const std::vector<std::shared_ptr<const detail::Event>>& events) {
  std::vector<uint64_t> ids;
  ids.reserve(events.size());
  for (const auto& e : events) ids.push_back(e->id);
  return ids;
}

TEST(EventHub, QueuesGetEventsInOrderAndAWakeWhenNoLongerEmpty) {
  auto hub = std::make_shared<EventHub>();
  EXPECT_EQ(hub->Publish("a", "1"), 1u);  // before any subscriber: kept only
  int wakes = 0;
  {
    detail::EventQueue queue(hub, std::nullopt, [&wakes](bool behind) {
      EXPECT_FALSE(behind);
      ++wakes;
    });
    EXPECT_EQ(hub->subscribers(), 1u);
    EXPECT_EQ(hub->Publish("b", "2"), 2u);
    EXPECT_EQ(hub->Publish("c", "3"), 3u);
    EXPECT_EQ(wakes, 1);
    auto events = queue.Take();
    ASSERT_TRUE(events);
    EXPECT_EQ(Ids(*events), (std::vector<uint64_t>{2, 3}));
    EXPECT_EQ((*events)[0]->event, "b");
    EXPECT_EQ((*events)[0]->data, "2");
    EXPECT_EQ((*events)[0]->text, "id: 2\nevent: b\ndata: 2\n\n");
    EXPECT_EQ(queue.Take()->size(), 0u);
    hub->Publish("d", "4");
    EXPECT_EQ(wakes, 2);
  }
  EXPECT_EQ(hub->subscribers(), 0u);
}

TEST(EventHub, ReplaysTheKeptEventsAfterTheLastId) {
  auto hub = std::make_shared<EventHub>(/*replay=*/2);
  for (int i = 0; i < 3; ++i) hub->Publish("e", std::to_string(i));
  auto taken = [&](std::optional<uint64_t> last_id) {
    detail::EventQueue queue(hub, last_id, [](bool) {});
    return Ids(*queue.Take());
  };
  EXPECT_EQ(taken(std::nullopt), std::vector<uint64_t>{});
  EXPECT_EQ(taken(2), std::vector<uint64_t>{3});
  EXPECT_EQ(taken(0), (std::vector<uint64_t>{2, 3}));  // 1 is no longer kept
  EXPECT_EQ(taken(3), std::vector<uint64_t>{});
}

TEST(EventHub, AQueueTooFarBehindIsDroppedAndWoken) {
  auto hub = std::make_shared<EventHub>();
  std::vector<bool> wakes;  // behind, for each
  detail::EventQueue queue(hub, std::nullopt, [&wakes](bool behind) { wakes.push_back(behind); });
  for (size_t i = 0; i < detail::EventQueue::kMaxBehind; ++i) hub->Publish("e", "{}");
  EXPECT_EQ(wakes, std::vector<bool>{false});
  hub->Publish("e", "{}");
  EXPECT_EQ(wakes, (std::vector<bool>{false, true}));
  EXPECT_FALSE(queue.Take());
  hub->Publish("e", "{}");
  EXPECT_EQ(wakes.size(), 2u);
  EXPECT_FALSE(queue.Take());
}

TEST(EventHub, PublishRefusesALineBreakInTheType) {
  EventHub hub;
  EXPECT_THROW(hub.Publish("a\rb", "{}"), std::invalid_argument);
  EXPECT_EQ(hub.Publish("ok", "{}"), 1u);
}

detail::Incoming Get(std::string target, std::string method = "GET") {
  return {.method = std::move(method),
          .target = std::move(target),
          .headers = {{"if-none-match", "*"}},
          .body = {},
          .remote = "127.0.0.1:1"};
}

TEST(EventDispatch, AStreamGetsItsHeadersAndASlotUpToTheLimit) {
  auto hub = std::make_shared<EventHub>();
  Router app = EventRoutes(hub);
  ServerOptions o;
  o.access_log = "";
  o.max_event_streams = 1;
  detail::Dispatcher d(o, app);

  auto first = std::make_unique<detail::Outcome>(d.Dispatch(Get("/api/v1/events")));
  EXPECT_TRUE(first->stream);
  const Response& r = first->response;
  EXPECT_EQ(r.status, 200);  // not 304, whatever If-None-Match says
  EXPECT_EQ(r.content_type, "text/event-stream");
  EXPECT_EQ(HeaderOf(r, "Cache-Control"), "no-store");
  EXPECT_EQ(HeaderOf(r, "X-Accel-Buffering"), "no");
  EXPECT_EQ(HeaderOf(r, "ETag"), "");

  detail::Outcome refused = d.Dispatch(Get("/api/v1/events"));
  EXPECT_FALSE(refused.stream);
  EXPECT_EQ(refused.response.status, 503);
  EXPECT_EQ(boost::json::parse(refused.response.body).at("code"), "events.too_many");

  detail::Outcome head = d.Dispatch(Get("/api/v1/events", "HEAD"));
  EXPECT_FALSE(head.stream);
  EXPECT_EQ(head.response.status, 200);
  EXPECT_EQ(head.response.content_type, "text/event-stream");

  first.reset();  // the stream ended: its slot is free again
  EXPECT_TRUE(d.Dispatch(Get("/api/v1/events")).stream);
}

TEST(EventStream, APublishedEventArrives) {
  auto hub = std::make_shared<EventHub>();
  RunningServer server(EventRoutes(hub), Unlimited());
  StreamClient reader(server.port());
  ASSERT_TRUE(reader.HeaderArrives());
  const auto& res = reader.response();
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(res[bhttp::field::content_type], "text/event-stream");
  EXPECT_EQ(res[bhttp::field::cache_control], "no-store");
  EXPECT_EQ(res["X-Accel-Buffering"], "no");
  EXPECT_TRUE(res.chunked());
  EXPECT_FALSE(res["X-Request-Id"].empty());
  EXPECT_EQ(hub->subscribers(), 1u);  // subscribed before the header was sent

  // The heartbeat is 15 s and each wait 5 s at most: the publish itself must wake the stream.
  hub->Publish("unit.changed", R"({"unit":"70"})");
  EXPECT_TRUE(reader.BodyGets("id: 1\nevent: unit.changed\ndata: {\"unit\":\"70\"}\n\n"))
      << reader.body();
  hub->Publish("unit.changed", R"({"unit":"71"})");
  EXPECT_TRUE(reader.BodyGets("id: 2\nevent: unit.changed\ndata: {\"unit\":\"71\"}\n\n"))
      << reader.body();
  EXPECT_FALSE(reader.complete());
}

TEST(EventStream, LastEventIdReplaysWhatWasMissed) {
  auto hub = std::make_shared<EventHub>();
  RunningServer server(EventRoutes(hub), Unlimited());
  for (int i = 1; i <= 3; ++i) hub->Publish("n", std::to_string(i));
  StreamClient reader(server.port(), "/api/v1/events", "Last-Event-ID: 1\r\n");
  ASSERT_TRUE(reader.BodyGets("id: 3\n")) << reader.body();
  hub->Publish("n", "4");
  ASSERT_TRUE(reader.BodyGets("id: 4\nevent: n\ndata: 4\n\n")) << reader.body();
  EXPECT_EQ(reader.body(),
            "id: 2\nevent: n\ndata: 2\n\nid: 3\nevent: n\ndata: 3\n\nid: 4\nevent: n\ndata: 4\n\n");

  StreamClient fresh(server.port());  // no Last-Event-ID: from now on only
  ASSERT_TRUE(fresh.HeaderArrives());
  hub->Publish("n", "5");
  ASSERT_TRUE(fresh.BodyGets("id: 5\nevent: n\ndata: 5\n\n")) << fresh.body();
  EXPECT_EQ(fresh.body(), "id: 5\nevent: n\ndata: 5\n\n");
}

TEST(EventStream, TheFilterChoosesWhatAClientGets) {
  auto hub = std::make_shared<EventHub>();
  RunningServer server(EventRoutes(hub), Unlimited());
  StreamClient client(server.port(), "/api/v1/events/units/70");
  ASSERT_TRUE(client.HeaderArrives());
  hub->Publish("unit.changed", R"({"unit":"71"})");
  hub->Publish("unit.changed", R"({"unit":"70"})");
  const std::string wanted = "id: 2\nevent: unit.changed\ndata: {\"unit\":\"70\"}\n\n";
  ASSERT_TRUE(client.BodyGets(wanted)) << client.body();
  EXPECT_EQ(client.body(), wanted);
}

TEST(EventStream, AFilterThatThrowsEndsOnlyItsStream) {
  auto hub = std::make_shared<EventHub>();
  RunningServer server(EventRoutes(hub), Unlimited());
  StreamClient broken(server.port(), "/api/v1/events/units/70");
  StreamClient whole(server.port());
  ASSERT_TRUE(broken.HeaderArrives());
  ASSERT_TRUE(whole.HeaderArrives());
  hub->Publish("unit.changed", "not json");  // the filter's parse throws
  EXPECT_TRUE(broken.ServerCloses());
  EXPECT_FALSE(broken.complete());
  EXPECT_TRUE(Eventually([&] { return hub->subscribers() == 1; }));
  hub->Publish("unit.changed", R"({"unit":"70"})");
  EXPECT_TRUE(whole.BodyGets("id: 2\n")) << whole.body();
}

TEST(EventStream, MultiLineDataAndTheFirstEvent) {
  auto hub = std::make_shared<EventHub>();
  RunningServer server(EventRoutes(hub), Unlimited());
  StreamClient client(server.port(), "/api/v1/events/hello");
  ASSERT_TRUE(client.BodyGets("event: hello\n")) << client.body();
  hub->Publish("report", "{\n  \"rows\": 2\n}");
  const std::string wanted =
      "event: hello\ndata: {\"units\":3}\n\n"
      "id: 1\nevent: report\ndata: {\ndata:   \"rows\": 2\ndata: }\n\n";
  ASSERT_TRUE(client.BodyGets(wanted)) << client.body();
  EXPECT_EQ(client.body(), wanted);
}

TEST(EventStream, AnIdleStreamGetsPings) {
  auto hub = std::make_shared<EventHub>();
  ServerOptions o = Unlimited();
  o.sse_heartbeat = std::chrono::milliseconds(50);
  RunningServer server(EventRoutes(hub), o);
  StreamClient client(server.port());
  EXPECT_TRUE(client.BodyGets(": ping\n\n: ping\n\n")) << client.body();
  hub->Publish("n", "1");
  EXPECT_TRUE(client.BodyGets("id: 1\nevent: n\ndata: 1\n\n")) << client.body();
}

TEST(EventStream, StopEndsOpenStreamsPromptly) {
  auto hub = std::make_shared<EventHub>();
  ServerOptions o = Unlimited();
  o.shutdown_grace = std::chrono::seconds(20);
  RunningServer server(EventRoutes(hub), o);
  StreamClient client(server.port());
  StreamClient old(server.port(), "/api/v1/events", "", "HTTP/1.0");
  ASSERT_TRUE(client.HeaderArrives());
  ASSERT_TRUE(old.HeaderArrives());
  EXPECT_FALSE(old.response().chunked());
  hub->Publish("n", "1");
  ASSERT_TRUE(old.BodyGets("id: 1\n"));
  EXPECT_LT(server.StopAndWait(), std::chrono::milliseconds(2000));
  EXPECT_TRUE(client.ServerCloses());
  EXPECT_TRUE(client.complete());  // the last chunk came before the close
  EXPECT_TRUE(old.ServerCloses());
  EXPECT_TRUE(old.complete());
  EXPECT_EQ(old.body(), "id: 1\nevent: n\ndata: 1\n\n");
  EXPECT_EQ(hub->subscribers(), 0u);
}

TEST(EventStream, ManyStreamsAllGetTheEvent) {
  auto hub = std::make_shared<EventHub>();
  RunningServer server(EventRoutes(hub), Unlimited());
  std::vector<std::unique_ptr<StreamClient>> clients;
  clients.reserve(200);
  for (int i = 0; i < 200; ++i) clients.push_back(std::make_unique<StreamClient>(server.port()));
  for (auto& c : clients) ASSERT_TRUE(c->HeaderArrives());
  EXPECT_EQ(hub->subscribers(), 200u);
  hub->Publish("n", "1");
  for (auto& c : clients) EXPECT_TRUE(c->BodyGets("id: 1\nevent: n\ndata: 1\n\n"));
}

TEST(EventStream, AClientThatLeavesIsUnsubscribed) {
  auto hub = std::make_shared<EventHub>();
  RunningServer server(EventRoutes(hub), Unlimited());
  StreamClient client(server.port());
  ASSERT_TRUE(client.HeaderArrives());
  EXPECT_EQ(hub->subscribers(), 1u);
  // The heartbeat is 15 s: the server notices the close itself, not by a failed write.
  client.Close();
  EXPECT_TRUE(Eventually([&] { return hub->subscribers() == 0; }));
}

TEST(EventStream, TooManyStreamsIs503) {
  auto hub = std::make_shared<EventHub>();
  ServerOptions o = Unlimited();
  o.max_event_streams = 1;
  RunningServer server(EventRoutes(hub), o);
  StreamClient open(server.port());
  ASSERT_TRUE(open.HeaderArrives());
  StreamClient refused(server.port());
  ASSERT_TRUE(refused.ReadUntil([&] { return refused.complete(); }));
  EXPECT_EQ(refused.response().result_int(), 503);
  EXPECT_EQ(boost::json::parse(refused.body()).at("code"), "events.too_many");
}

TEST(EventStream, ASlowClientIsDroppedWithoutHoldingUpPublishers) {
  auto hub = std::make_shared<EventHub>();
  ServerOptions o = Unlimited();
  o.write_timeout = std::chrono::seconds(60);  // the drop must not wait for it
  RunningServer server(EventRoutes(hub), o);
  StreamClient slow(server.port());
  ASSERT_TRUE(slow.HeaderArrives());
  // Never read: the socket buffers fill, a write blocks with at most kMaxBehind events, and
  // more than kMaxBehind pile up behind it.
  const std::string data(size_t{16} * 1024, 'x');
  for (size_t i = 0; i < 5 * detail::EventQueue::kMaxBehind; ++i) hub->Publish("big", data);
  EXPECT_TRUE(Eventually([&] { return hub->subscribers() == 0; }));
  EXPECT_TRUE(slow.ServerCloses());
  EXPECT_FALSE(slow.complete());  // cut off: the client reconnects with Last-Event-ID
}

TEST(EventStream, TheStreamIsCountedWhenItStarts) {
  auto hub = std::make_shared<EventHub>();
  RunningServer server(EventRoutes(hub), Unlimited());
  StreamClient client(server.port());
  ASSERT_TRUE(client.HeaderArrives());
  // The server counts the stream once its header is written, which the client may see first.
  // The stream is an open connection, as is the one asking.
  std::string text;
  EXPECT_TRUE(Eventually([&] {
    StreamClient metrics(server.port(), "/metrics");
    metrics.ReadUntil([&] { return metrics.complete(); });
    text = metrics.body();
    return text.find(R"(pdh_http_requests_total{route="events",method="GET",status="200"} 1)") !=
               std::string::npos &&
           text.find("pdh_http_connections_open 2\n") != std::string::npos;
  })) << text;
}

}  // namespace
}  // namespace pdh::http
