// What the server's transport files share: the connection types, Server::Impl, and the
// coroutines that serve one connection, as templates over the stream (plain TCP or TLS).
// server.cc accepts and shuts down; connection_plain.cc and connection_tls.cc compile the
// coroutines for each stream, side by side (the two together were the longest compile of the
// build). Private to src/server.
#pragma once

#include <csignal>
#include <cstdio>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include <openssl/ssl.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/chunk_encode.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/span_body.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include "server/dispatcher.h"
#include "server/event_queue.h"
#include "server/http_util.h"
#include "server/server.h"

namespace pdh::http {
namespace transport {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

inline constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
constexpr size_t kReadChunk = 4096;
// After an answer to a request whose body was left unread, how long and how much of it to
// drain so that closing does not reset the connection before the client reads the answer.
constexpr auto kLingerTime = std::chrono::seconds(1);
constexpr size_t kLingerBytes = 1 << 20;
// After the grace period, how long force-closed connections get to wind down.
constexpr auto kForceCloseTime = std::chrono::seconds(1);
// How long a closing TLS connection waits for the client's close_notify after sending its own.
// Clients rarely answer, and the HTTP framing already tells them the answer was complete, so
// this is kept short.
constexpr auto kTlsCloseTime = std::chrono::milliseconds(500);
// What an idle event stream gets every ServerOptions::sse_heartbeat: a comment, which clients
// ignore.
constexpr std::string_view kPing = ": ping\n\n";

using RawRequest = bhttp::request<bhttp::string_body>;
using RequestParser = bhttp::request_parser<bhttp::string_body>;
// Its body refers to the Outcome's (which lives until the answer is written).
using RawResponse = bhttp::response<bhttp::span_body<const char>>;

using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;
template <class Stream>
constexpr bool kIsTls = std::is_same_v<Stream, TlsStream>;

// What an event stream waits on between writes. Its wait is cancelled, on the connection's
// strand, by a publisher (through a post), by the socket's becoming readable (the client closing
// the connection), by shutdown, and it expires when the heartbeat is due.
struct EventWakeup {
  explicit EventWakeup(const asio::any_io_executor& strand) : timer(strand) {}
  asio::steady_timer timer;
  bool readable = false;  // the socket read as readable since the last look; on the strand
};

// What shutdown needs of a connection, whatever its stream.
struct Connection : std::enable_shared_from_this<Connection> {
  virtual ~Connection() = default;
  // The TCP layer: timeouts, cancel, close. Its executor is the connection's strand.
  virtual beast::tcp_stream& tcp() = 0;
  beast::flat_buffer buffer;
  bool idle = false;  // waiting for a new request (or a TLS handshake); used only on the strand
  std::shared_ptr<EventWakeup> events;  // set while streaming events; used only on the strand
  std::string peer_cert;  // TLS: hex SHA-256 of the client's verified certificate, else ""
};

// A connection over PlainStream or TlsStream; the session code is the same for both.
template <class Stream>
struct Session final : Connection {
  template <class... Args>
  explicit Session(Args&&... args) : stream(std::forward<Args>(args)...) {}
  beast::tcp_stream& tcp() override { return beast::get_lowest_layer(stream); }
  Stream stream;
};

std::string FormatEndpoint(const tcp::endpoint& e);
// Hex SHA-256 of the DER of the certificate the TLS peer presented and that verified against
// the configured authorities; "" when none was presented or it did not verify.
std::string PeerCertificateSha256(SSL* ssl);
// The answer to a read that failed in a way the client should hear about; nullopt when the
// connection is gone or timed out and nobody is listening.
std::optional<Error> ReadError(const boost::system::error_code& ec, const ServerOptions& options);
detail::Incoming ToIncoming(RawRequest& raw, const std::string& remote, bool tls);
RawResponse ToRaw(detail::Outcome& out, unsigned version, bool keep_alive);
// The header of an event stream; its body is chunked, except for HTTP/1.0, which has no chunks
// and ends the body by closing the connection.
bhttp::response<bhttp::empty_body> StreamHeader(const Response& r, unsigned version,
                                                bool keep_alive);
// Has `wakeup` learn when an event stream's socket becomes readable, as it does when the client
// closes the connection, which the stream would otherwise notice only when a write fails.
void WatchClient(tcp::socket& socket, const std::shared_ptr<EventWakeup>& wakeup);
// Whether the client of a socket that read as readable has closed the connection or sent
// something. Readiness can be stale, with nothing to read after all: then it has not.
bool ClientSpoke(tcp::socket& socket);
void LogException(const std::exception_ptr& e, std::string_view where);

}  // namespace transport

using namespace transport;  // NOLINT(google-build-using-namespace): a private header of three files

struct Server::Impl {
  Impl(ServerOptions o, const Router& router)
      : options(std::move(o)), dispatcher(options, router) {}

  int ThreadCount() const {
    if (options.threads > 0) return options.threads;
    return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  }

  // Builds `tls` from the options; fails with "server.tls_config".
  Status LoadTls();
  asio::awaitable<void> Accept();
  template <class Stream>
  void Start(std::shared_ptr<Session<Stream>> c, std::string remote);
  template <class Stream>
  asio::awaitable<void> Serve(std::shared_ptr<Session<Stream>> c, std::string remote);
  template <class Stream>
  asio::awaitable<bool> Handshake(Session<Stream>& c);
  template <class Stream>
  asio::awaitable<void> SayGoodbye(Session<Stream>& c);
  template <class Stream>
  asio::awaitable<bool> Exchange(Session<Stream>& c, const std::string& remote);
  template <class Stream>
  asio::awaitable<boost::system::error_code> ReadRequest(Session<Stream>& c, RequestParser& parser);
  template <class Stream>
  asio::awaitable<void> StreamEvents(Session<Stream>& c, const detail::Outcome& out,
                                     unsigned version, bool keep_alive, Clock::time_point start);
  template <class Stream, class Buffers>
  asio::awaitable<boost::system::error_code> WriteEvents(Session<Stream>& c, const Buffers& buffers,
                                                         bool chunked);
  asio::awaitable<void> Linger(Connection& c);
  asio::awaitable<void> Shutdown();
  asio::awaitable<void> AwaitConnectionsClosed(Clock::duration limit);
  void BeginShutdown();
  // Runs `f(connection)` on each open connection's strand.
  template <class F>
  void ForEachConnection(F f);

  ServerOptions options;
  detail::Dispatcher dispatcher;
  std::optional<asio::ssl::context> tls;  // set: HTTPS only
  // Declared after what the coroutines use, so its destruction (which destroys coroutines
  // still suspended) happens first; the sockets below go before it.
  asio::io_context io{ThreadCount()};
  asio::strand<asio::io_context::executor_type> control{asio::make_strand(io)};
  tcp::acceptor acceptor{control};
  std::optional<asio::signal_set> signals;
  std::atomic<bool> stopping{false};
  bool shutdown_started = false;  // only on `control`
  std::mutex connections_mutex;
  std::set<std::shared_ptr<Connection>> connections;  // guarded by connections_mutex
};

template <class Stream>
void Server::Impl::Start(std::shared_ptr<Session<Stream>> c, std::string remote) {
  {
    std::lock_guard lock(connections_mutex);
    connections.insert(c);
  }
  dispatcher.metrics().ConnectionOpened();
  asio::co_spawn(c->tcp().get_executor(), Serve(c, std::move(remote)),
                 [this, c](const std::exception_ptr& e) {
                   LogException(e, "connection");
                   dispatcher.metrics().ConnectionClosed();
                   std::lock_guard lock(connections_mutex);
                   connections.erase(c);
                 });
}

template <class Stream>
asio::awaitable<void> Server::Impl::Serve(std::shared_ptr<Session<Stream>> c, std::string remote) {
  if (co_await Handshake(*c)) {
    while (!stopping) {
      if (c->buffer.size() == 0) {
        c->idle = true;
        c->tcp().expires_after(options.idle_timeout);
        auto [ec, n] = co_await c->stream.async_read_some(c->buffer.prepare(kReadChunk), kTuple);
        c->idle = false;
        if (ec) break;
        c->buffer.commit(n);
      }
      if (!co_await Exchange(*c, remote)) break;
    }
    co_await SayGoodbye(*c);
  }
  boost::system::error_code ec;
  c->tcp().socket().shutdown(tcp::socket::shutdown_both, ec);
  c->tcp().close();
}

// The TLS handshake; returns whether the connection may go on.
template <class Stream>
asio::awaitable<bool> Server::Impl::Handshake(Session<Stream>& c) {
  if constexpr (kIsTls<Stream>) {
    // No request is in flight yet, so shutdown may cancel it like a connection between requests.
    c.idle = true;
    c.tcp().expires_after(options.read_timeout);
    auto [ec] = co_await c.stream.async_handshake(asio::ssl::stream_base::server, kTuple);
    c.idle = false;
    if (!ec) c.peer_cert = PeerCertificateSha256(c.stream.native_handle());
    co_return !ec;
  }
  co_return true;
}

// Ends TLS with a close_notify, so the client can tell a complete answer from a cut one.
template <class Stream>
asio::awaitable<void> Server::Impl::SayGoodbye(Session<Stream>& c) {
  if constexpr (kIsTls<Stream>) {
    c.tcp().expires_after(kTlsCloseTime);
    co_await c.stream.async_shutdown(kTuple);
  }
  co_return;
}

// Reads one request and writes its answer; returns whether the connection stays open.
template <class Stream>
asio::awaitable<bool> Server::Impl::Exchange(Session<Stream>& c, const std::string& remote) {
  RequestParser parser;
  parser.header_limit(static_cast<std::uint32_t>(options.max_header_bytes));
  parser.body_limit(options.max_body_bytes);
  c.tcp().expires_after(options.read_timeout);
  boost::system::error_code read_ec = co_await ReadRequest(c, parser);
  auto start = Clock::now();
  std::optional<Error> rejected;
  if (read_ec) {
    rejected = ReadError(read_ec, options);
    if (!rejected) co_return false;
  }
  RawRequest& raw = parser.get();
  bool client_keeps = !rejected && raw.keep_alive();
  unsigned version = raw.version() == 10 ? 10 : 11;
  detail::Incoming in = ToIncoming(raw, remote, kIsTls<Stream>);
  in.client_cert_sha256 = c.peer_cert;
  detail::Outcome out =
      rejected ? dispatcher.Reject(*rejected, std::move(in)) : dispatcher.Dispatch(std::move(in));
  // Read after the handler: a shutdown that began meanwhile closes this connection.
  bool keep_alive = client_keeps && !stopping;
  if (out.stream) {
    co_await StreamEvents(c, out, version, keep_alive, start);
    co_return false;  // it ends only when the connection is to close
  }
  RawResponse response = ToRaw(out, version, keep_alive);
  c.tcp().expires_after(options.write_timeout);
  auto [write_ec, written] = co_await bhttp::async_write(c.stream, response, kTuple);
  dispatcher.Record(out, Clock::now() - start, response.body().size());
  if (write_ec) co_return false;
  if (rejected) co_await Linger(c);
  co_return keep_alive;
}

// Reads the header, then the body. A client that sent "Expect: 100-continue" (curl does for
// large uploads) waits for a 100 before sending the body; one whose body is too large gets its
// 413 at once instead.
template <class Stream>
asio::awaitable<boost::system::error_code> Server::Impl::ReadRequest(Session<Stream>& c,
                                                                     RequestParser& parser) {
  auto [header_ec, header_n] =
      co_await bhttp::async_read_header(c.stream, c.buffer, parser, kTuple);
  if (header_ec) co_return header_ec;
  if (beast::iequals(parser.get()[bhttp::field::expect], "100-continue")) {
    bhttp::response<bhttp::empty_body> go_on{bhttp::status::continue_, 11};
    auto [write_ec, written] = co_await bhttp::async_write(c.stream, go_on, kTuple);
    if (write_ec) co_return write_ec;
  }
  auto [body_ec, body_n] = co_await bhttp::async_read(c.stream, c.buffer, parser, kTuple);
  co_return body_ec;
}

// Holds the connection open as an event stream: the header, the first event, the kept events
// after the client's Last-Event-ID, then what is published as it comes, each batch as one chunk,
// with a ping when idle. Ends when the client closes the connection (or sends anything, which it
// cannot have answered), falls too far behind, a write fails, or the server stops. Only writes
// are timed: an idle stream is not a stalled one.
template <class Stream>
asio::awaitable<void> Server::Impl::StreamEvents(Session<Stream>& c, const detail::Outcome& out,
                                                 unsigned version, bool keep_alive,
                                                 Clock::time_point start) {
  const Response& r = out.response;
  auto wakeup = std::make_shared<EventWakeup>(c.tcp().get_executor());
  // A client too far behind is dropped at once, even in the middle of a write that it holds up
  // by not reading; the connection is looked up, as the stream may have ended meanwhile.
  auto wake = [wakeup, connection = c.weak_from_this()](bool behind) {
    asio::post(wakeup->timer.get_executor(), [wakeup, connection, behind] {
      auto dropped = behind ? connection.lock() : nullptr;
      if (dropped) dropped->tcp().close();
      wakeup->timer.cancel();
    });
  };
  // Subscribed before the header goes, so that nothing published meanwhile is missed.
  detail::EventQueue queue(r.events, detail::LastEventId(out.request.Header("last-event-id")), wake,
                           r.event_filter);
  auto header = StreamHeader(r, version, keep_alive);
  bhttp::response_serializer<bhttp::empty_body> serializer(header);
  c.tcp().expires_after(options.write_timeout);
  auto [header_ec, header_n] = co_await bhttp::async_write_header(c.stream, serializer, kTuple);
  dispatcher.Record(out, Clock::now() - start, 0);
  if (header_ec) co_return;

  c.events = wakeup;
  WatchClient(c.tcp().socket(), wakeup);
  bool chunked = version == 11;
  boost::system::error_code ec;
  if (r.first_event) {
    std::string first =
        detail::EventText(std::nullopt, r.first_event->first, r.first_event->second);
    ec = co_await WriteEvents(c, asio::buffer(first), chunked);
  }
  auto last_write = Clock::now();
  bool client_done = false;
  while (!ec && !stopping) {
    if (wakeup->readable) {
      client_done = ClientSpoke(c.tcp().socket());
      if (client_done) break;
      wakeup->readable = false;
      WatchClient(c.tcp().socket(), wakeup);
    }
    auto events = queue.Take();
    if (!events) break;  // the client reconnects with Last-Event-ID and gets the kept events
    std::vector<asio::const_buffer> buffers;
    buffers.reserve(events->size());
    for (const auto& e : *events) buffers.push_back(asio::buffer(e->text));
    if (buffers.empty()) {
      auto heartbeat = last_write + options.sse_heartbeat;
      if (Clock::now() < heartbeat) {
        wakeup->timer.expires_at(heartbeat);
        co_await wakeup->timer.async_wait(kTuple);
        continue;
      }
      buffers.push_back(asio::buffer(kPing));
    }
    ec = co_await WriteEvents(c, buffers, chunked);
    last_write = Clock::now();
  }
  // A stream the server ends gets its last chunk, so the client can tell it from a cut one.
  if (!ec && stopping && !client_done && chunked) {
    c.tcp().expires_after(options.write_timeout);
    co_await asio::async_write(c.stream, bhttp::make_chunk_last(), kTuple);
  }
  c.events.reset();
  boost::system::error_code ignored;
  c.tcp().socket().cancel(ignored);  // the wait for the client's closing
}

template <class Stream, class Buffers>
asio::awaitable<boost::system::error_code> Server::Impl::WriteEvents(Session<Stream>& c,
                                                                     const Buffers& buffers,
                                                                     bool chunked) {
  if constexpr (std::is_same_v<Stream, PlainStream>) {
    // Most events fit the socket's buffer: written at once from here, without a round through
    // the executor per stream (which is what fanning an event out to many streams costs); only
    // what does not fit waits for the socket.
    std::string wire;
    if (chunked) {
      char size[20];
      std::snprintf(size, sizeof size, "%zx\r\n", asio::buffer_size(buffers));
      wire = size;
    }
    for (auto it = asio::buffer_sequence_begin(buffers); it != asio::buffer_sequence_end(buffers);
         ++it) {
      wire.append(static_cast<const char*>(asio::const_buffer(*it).data()),
                  asio::const_buffer(*it).size());
    }
    if (chunked) wire += "\r\n";
    auto& socket = c.tcp().socket();
    boost::system::error_code ec;
    socket.non_blocking(true, ec);
    const size_t sent = ec ? 0 : socket.write_some(asio::buffer(wire), ec);
    if (ec && ec != asio::error::would_block && ec != asio::error::try_again) co_return ec;
    if (sent == wire.size()) co_return boost::system::error_code();
    c.tcp().expires_after(options.write_timeout);
    auto [rest_ec, n] = co_await asio::async_write(
        c.stream, asio::buffer(wire.data() + sent, wire.size() - sent), kTuple);
    co_return rest_ec;
  }
  c.tcp().expires_after(options.write_timeout);
  if (chunked) {
    auto [ec, n] = co_await asio::async_write(c.stream, bhttp::make_chunk(buffers), kTuple);
    co_return ec;
  }
  auto [ec, n] = co_await asio::async_write(c.stream, buffers, kTuple);
  co_return ec;
}

// Compiled in connection_plain.cc and connection_tls.cc.
extern template void Server::Impl::Start<PlainStream>(std::shared_ptr<Session<PlainStream>> c,
                                                      std::string remote);
extern template void Server::Impl::Start<TlsStream>(std::shared_ptr<Session<TlsStream>> c,
                                                    std::string remote);

}  // namespace pdh::http
