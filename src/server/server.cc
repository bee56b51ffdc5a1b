// The HTTP server's transport: Beast HTTP/1.1 over Asio, plain or TLS, one coroutine per
// connection, a pool of I/O threads, limits and timeouts, event streams, and graceful shutdown.
// Everything about what a request means is in dispatcher.cc.
#include "server/server.h"

#include <csignal>
#include <mutex>
#include <thread>

#include "server/connection.h"

namespace pdh::http {
namespace transport {

std::string FormatEndpoint(const tcp::endpoint& e) {
  std::string host = e.address().to_string();
  if (e.address().is_v6()) host = "[" + host + "]";
  return host + ":" + std::to_string(e.port());
}

std::optional<Error> ReadError(const boost::system::error_code& ec, const ServerOptions& options) {
  if (ec == bhttp::error::header_limit) {
    return Error{"request.header_too_large", "the request header is too large", 431};
  }
  if (ec == bhttp::error::body_limit) {
    return Error{"request.body_too_large",
                 "the request body is larger than the server takes (limit: " +
                     std::to_string(options.max_body_bytes) + " bytes; " + options.body_limit_hint +
                     ")",
                 413};
  }
  bool http_error = ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category();
  if (!http_error || ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message) {
    return std::nullopt;
  }
  return Error::BadRequest("request.malformed",
                           "the request is not valid HTTP/1.1: " + ec.message());
}

detail::Incoming ToIncoming(RawRequest& raw, const std::string& remote, bool tls) {
  detail::Incoming in;
  in.method = std::string(raw.method_string());
  in.target = std::string(raw.target());
  for (const auto& field : raw) {
    in.headers.emplace_back(detail::AsciiLower(field.name_string()), std::string(field.value()));
  }
  in.body = std::move(raw.body());
  in.remote = remote;
  in.tls = tls;
  return in;
}

RawResponse ToRaw(detail::Outcome& out, unsigned version, bool keep_alive) {
  Response& r = out.response;
  RawResponse raw{static_cast<bhttp::status>(r.status), version};
  for (auto& [name, value] : r.headers) raw.insert(name, value);
  raw.keep_alive(keep_alive);
  if (r.status == 204 || r.status == 304) return raw;  // no body, no Content-Length
  raw.set(bhttp::field::content_type, r.content_type);
  // The body stays where it is (the outcome outlives the write): the answer refers to it.
  const std::string_view body = r.Body();
  if (out.head) {
    raw.content_length(body.size());
  } else {
    raw.body() = {body.data(), body.size()};
    raw.prepare_payload();
  }
  return raw;
}

bhttp::response<bhttp::empty_body> StreamHeader(const Response& r, unsigned version,
                                                bool keep_alive) {
  bhttp::response<bhttp::empty_body> header{bhttp::status::ok, version};
  for (const auto& [name, value] : r.headers) header.insert(name, value);
  header.set(bhttp::field::content_type, r.content_type);
  header.keep_alive(keep_alive && version == 11);
  if (version == 11) header.chunked(true);
  return header;
}

void WatchClient(tcp::socket& socket, const std::shared_ptr<EventWakeup>& wakeup) {
  socket.async_wait(tcp::socket::wait_read, [wakeup](const boost::system::error_code&) {
    wakeup->readable = true;
    wakeup->timer.cancel();
  });
}

bool ClientSpoke(tcp::socket& socket) {
  boost::system::error_code ec;
  socket.non_blocking(true, ec);
  char byte = 0;
  socket.receive(asio::buffer(&byte, 1), tcp::socket::message_peek, ec);
  bool spoke = ec != asio::error::would_block;
  socket.non_blocking(false, ec);
  return spoke;
}

void LogException(const std::exception_ptr& e, std::string_view where) {
  if (e) detail::LogError("-", std::string(where) + ": " + detail::ExceptionText(e));
}

}  // namespace transport

asio::awaitable<void> Server::Impl::Accept() {
  for (;;) {
    auto [ec, socket] = co_await acceptor.async_accept(asio::make_strand(io), kTuple);
    if (stopping || ec == asio::error::operation_aborted) co_return;
    if (ec) {
      // Out of descriptors, most likely: back off instead of spinning.
      detail::LogError("-", "accept failed: " + ec.message());
      asio::steady_timer pause(control, std::chrono::milliseconds(50));
      co_await pause.async_wait(kTuple);
      continue;
    }
    boost::system::error_code peer_ec;
    std::string remote = FormatEndpoint(socket.remote_endpoint(peer_ec));
    if (tls) {
      Start(std::make_shared<Session<TlsStream>>(std::move(socket), *tls), std::move(remote));
    } else {
      Start(std::make_shared<Session<PlainStream>>(std::move(socket)), std::move(remote));
    }
  }
}

// Works on the TCP layer even under TLS: what is drained is thrown away undecrypted.
asio::awaitable<void> Server::Impl::Linger(Connection& c) {
  boost::system::error_code ec;
  c.tcp().socket().shutdown(tcp::socket::shutdown_send, ec);
  c.tcp().expires_after(kLingerTime);
  for (size_t drained = 0; drained < kLingerBytes;) {
    c.buffer.clear();
    auto [read_ec, n] = co_await c.tcp().async_read_some(c.buffer.prepare(kReadChunk), kTuple);
    if (read_ec) break;
    drained += n;
  }
}

template <class F>
void Server::Impl::ForEachConnection(F f) {
  std::lock_guard lock(connections_mutex);
  for (const auto& c : connections) {
    asio::post(c->tcp().get_executor(), [c, f] { f(*c); });
  }
}

void Server::Impl::BeginShutdown() {
  if (shutdown_started) return;
  shutdown_started = true;
  asio::co_spawn(control, Shutdown(),
                 [](const std::exception_ptr& e) { LogException(e, "shutdown"); });
}

asio::awaitable<void> Server::Impl::AwaitConnectionsClosed(Clock::duration limit) {
  auto deadline = Clock::now() + limit;
  asio::steady_timer tick(control);
  while (Clock::now() < deadline) {
    {
      std::lock_guard lock(connections_mutex);
      if (connections.empty()) co_return;
    }
    tick.expires_after(std::chrono::milliseconds(10));
    co_await tick.async_wait(kTuple);
  }
}

asio::awaitable<void> Server::Impl::Shutdown() {
  stopping = true;
  boost::system::error_code ec;
  acceptor.close(ec);
  if (signals) signals->cancel(ec);
  // A connection between requests is closed now, an event stream ends now; one with a request
  // in flight closes after answering it, as it sees `stopping`.
  ForEachConnection([](Connection& c) {
    if (c.idle) c.tcp().cancel();
    if (c.events) c.events->timer.cancel();
  });
  co_await AwaitConnectionsClosed(options.shutdown_grace);
  ForEachConnection([](Connection& c) { c.tcp().close(); });
  co_await AwaitConnectionsClosed(kForceCloseTime);
  io.stop();
}

std::string transport::PeerCertificateSha256(SSL* ssl) {
  X509* cert = SSL_get1_peer_certificate(ssl);
  if (cert == nullptr) return "";
  std::string out;
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (SSL_get_verify_result(ssl) == X509_V_OK && X509_digest(cert, EVP_sha256(), md, &len) == 1) {
    static constexpr char kHex[] = "0123456789abcdef";
    for (unsigned int i = 0; i < len; ++i) {
      out += kHex[md[i] >> 4];
      out += kHex[md[i] & 0xF];
    }
  }
  X509_free(cert);
  return out;
}

Status Server::Impl::LoadTls() {
  const std::string& cert = options.tls_cert_file;
  const std::string& key = options.tls_key_file;
  tls.reset();
  if (cert.empty() && key.empty()) return Ok();
  auto failed = [](std::string message) {
    return Fail({"server.tls_config", std::move(message), 500});
  };
  if (cert.empty() || key.empty()) {
    return failed("TLS needs both a certificate file and a private key file; set both or neither");
  }
  asio::ssl::context context(asio::ssl::context::tls_server);
  boost::system::error_code ec;
  context.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_compression |
                          asio::ssl::context::single_dh_use,
                      ec);
  if (ec || SSL_CTX_set_min_proto_version(context.native_handle(), TLS1_2_VERSION) != 1) {
    return failed("cannot restrict TLS to version 1.2 and later without compression");
  }
  context.use_certificate_chain_file(cert, ec);
  if (ec) return failed("cannot load the TLS certificate chain " + cert + ": " + ec.message());
  context.use_private_key_file(key, asio::ssl::context::pem, ec);
  if (ec) return failed("cannot load the TLS private key " + key + ": " + ec.message());
  if (SSL_CTX_check_private_key(context.native_handle()) != 1) {
    return failed("the TLS private key " + key + " does not match the certificate " + cert);
  }
  if (!options.tls_client_ca_file.empty()) {
    context.load_verify_file(options.tls_client_ca_file, ec);
    if (ec) {
      return failed("cannot load the client certificate authorities " + options.tls_client_ca_file +
                    ": " + ec.message());
    }
    context.set_verify_mode(asio::ssl::verify_peer, ec);
    if (ec) return failed("cannot ask clients for certificates: " + ec.message());
  }
  tls.emplace(std::move(context));
  return Ok();
}

Server::Server(ServerOptions options, const Router& router)
    : impl_(std::make_unique<Impl>(std::move(options), router)) {}

Server::~Server() = default;

const Router& Server::routes() const {
  return impl_->dispatcher.routes();
}

Result<std::string> Server::Listen() {
  if (Status loaded = impl_->LoadTls(); !loaded) return Fail(loaded.error());
  auto failed = [this](const boost::system::error_code& ec) {
    boost::system::error_code ignored;
    impl_->acceptor.close(ignored);
    return Fail({"server.listen_failed",
                 "cannot listen on " + impl_->options.host + ":" +
                     std::to_string(impl_->options.port) + ": " + ec.message(),
                 500});
  };
  std::string host = impl_->options.host;
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  boost::system::error_code ec;
  tcp::resolver resolver(impl_->io);
  auto endpoints = resolver.resolve(host, std::to_string(impl_->options.port),
                                    tcp::resolver::passive | tcp::resolver::numeric_service, ec);
  if (ec) return failed(ec);
  if (endpoints.empty()) return failed(asio::error::host_not_found);
  tcp::endpoint endpoint = endpoints.begin()->endpoint();
  tcp::acceptor& a = impl_->acceptor;
  if (a.is_open()) a.close(ec);
  a.open(endpoint.protocol(), ec);
  if (!ec) a.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) a.bind(endpoint, ec);
  if (!ec) a.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return failed(ec);
  // SIGTERM and SIGINT are caught from the moment the server listens, not only once Run()
  // starts: a caller that reports the address and is stopped at once still stops gracefully
  // (the signal waits for Run()).
  Impl& impl = *impl_;
  if (impl.options.handle_signals && !impl.signals) {
    impl.signals.emplace(impl.control, SIGINT, SIGTERM);
    impl.signals->async_wait([&impl](const boost::system::error_code& sig_ec, int) {
      if (!sig_ec) impl.BeginShutdown();
    });
  }
  return FormatEndpoint(a.local_endpoint());
}

void Server::Run() {
  Impl& impl = *impl_;
  if (!impl.acceptor.is_open()) Must(Listen());
  asio::co_spawn(impl.control, impl.Accept(),
                 [](const std::exception_ptr& e) { LogException(e, "accept"); });
  std::vector<std::jthread> pool;
  for (int i = 1; i < impl.ThreadCount(); ++i) pool.emplace_back([&impl] { impl.io.run(); });
  impl.io.run();
}

void Server::Stop() {
  asio::post(impl_->control, [impl = impl_.get()] { impl->BeginShutdown(); });
}

}  // namespace pdh::http
