// Helpers shared by the server's tests: a scratch web root, a server on a background thread, a
// reader of event streams, a wait for a condition. Private to src/server tests.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>
#include <string>
#include <string_view>
#include <thread>

#include <boost/asio/buffer.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "server/server.h"

namespace pdh::http::testing {

// The value of a response's header `name` ("" when it has none).
inline std::string HeaderOf(const Response& r, std::string_view name) {
  for (const auto& [n, v] : r.headers) {
    if (n == name) return v;
  }
  return "";
}

// Runs `promtool check metrics` on `text`; returns what it printed and sets `status` to its exit
// status. Callers skip when /usr/bin/promtool is absent.
inline std::string PromtoolCheck(const std::string& text, int& status) {
  auto path = std::filesystem::temp_directory_path() /
              ("pdh-metrics-" + std::to_string(std::random_device{}()) + ".txt");
  std::ofstream(path) << text;
  const std::string command = "/usr/bin/promtool check metrics < " + path.string() + " 2>&1";
  std::string output;
  status = -1;
  if (std::FILE* pipe = ::popen(command.c_str(), "r")) {
    char buf[512];
    while (size_t n = std::fread(buf, 1, sizeof buf, pipe)) output.append(buf, n);
    status = ::pclose(pipe);
  }
  std::filesystem::remove(path);
  return output;
}

// A directory removed with everything in it when the object goes.
class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() / ("pdh-server-test-" + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }

  void Write(const std::string& relative, const std::string& content) const {
    auto full = path_ / relative;
    std::filesystem::create_directories(full.parent_path());
    std::ofstream(full, std::ios::binary) << content;
  }

 private:
  std::filesystem::path path_;
};

// A web root like the built web app's, with a secret beside it that must never be served.
struct WebRoot {
  TempDir dir;
  std::filesystem::path root = dir.path() / "dist";

  WebRoot() {
    dir.Write("secret.txt", "secret");
    dir.Write("dist/index.html", "<!doctype html><title>pdh</title>");
    dir.Write("dist/assets/app-1234.js", "console.log(1)");
    dir.Write("dist/assets/app-1234.js.gz", "GZIPPED");
    dir.Write("dist/favicon.ico", "ico");
    dir.Write("dist/.env", "hidden");
    std::filesystem::create_symlink(dir.path() / "secret.txt", root / "link.txt");
  }
};

// A server on an ephemeral port, run by a background thread until the object goes.
class RunningServer {
 public:
  RunningServer(const Router& router, ServerOptions options, bool handle_signals = false)
      : server_(Defaults(std::move(options), handle_signals), router) {
    auto address = server_.Listen();
    if (!address) throw Failure(address.error());
    address_ = *address;
    port_ = static_cast<uint16_t>(std::stoi(address_.substr(address_.rfind(':') + 1)));
    thread_ = std::thread([this] { server_.Run(); });
  }
  ~RunningServer() { StopAndWait(); }

  // Stops the server and returns how long Run() took to return.
  std::chrono::milliseconds StopAndWait() { return WaitForExit(/*stop=*/true); }

  // Waits for Run() to return (after Stop() when `stop`); returns how long that took.
  std::chrono::milliseconds WaitForExit(bool stop) {
    auto start = std::chrono::steady_clock::now();
    if (thread_.joinable()) {
      if (stop) server_.Stop();
      thread_.join();
    }
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                 start);
  }

  uint16_t port() const { return port_; }
  const std::string& address() const { return address_; }

 private:
  static ServerOptions Defaults(ServerOptions o, bool handle_signals) {
    o.port = 0;
    o.threads = 2;
    o.access_log = "";
    o.handle_signals = handle_signals;
    return o;
  }

  Server server_;
  std::string address_;
  uint16_t port_ = 0;
  std::thread thread_;
};

// Polls `condition` for up to 5 s; returns whether it came true.
template <class F>
bool Eventually(F condition) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

// The response to a request for an event stream, decoded as it arrives on `stream` (a socket or
// a TLS stream), which the reader reads asynchronously on `io`. A stream never ends by itself,
// so each wait gives up after 5 s rather than hang a test that fails.
template <class Stream>
class StreamReader {
 public:
  StreamReader(boost::asio::io_context& io, Stream& stream) : io_(io), stream_(stream) {
    parser_.eager(true);
    parser_.body_limit(boost::none);
  }

  // Reads until `done()` holds, the connection ends or 5 s pass; returns done().
  bool ReadUntil(const std::function<bool()>& done) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (!done() && !closed_ && std::chrono::steady_clock::now() < deadline) {
      bool finished = false;
      stream_.async_read_some(boost::asio::buffer(chunk_),
                              [this, &finished](const boost::system::error_code& ec, size_t n) {
                                finished = true;
                                if (ec && ec != boost::asio::error::operation_aborted) {
                                  closed_ = true;
                                }
                                raw_.append(chunk_.data(), n);
                              });
      io_.restart();
      io_.run_until(deadline);
      if (!finished) {
        boost::beast::get_lowest_layer(stream_).cancel();
        io_.restart();
        io_.run();
      }
      Parse();
    }
    return done();
  }

  bool HeaderArrives() {
    return ReadUntil([this] { return parser_.is_header_done(); });
  }
  bool BodyGets(std::string_view text) {
    return ReadUntil([this, text] { return body().find(text) != std::string::npos; });
  }
  bool ServerCloses() {
    return ReadUntil([this] { return closed_; });
  }

  // Valid once HeaderArrives().
  const boost::beast::http::response<boost::beast::http::string_body>& response() const {
    return parser_.get();
  }
  const std::string& body() const { return parser_.get().body(); }
  // Whether the response ended as its framing says (the last chunk, or the end of a close-
  // delimited body), not cut off.
  bool complete() const { return parser_.is_done(); }

 private:
  void Parse() {
    boost::system::error_code ec;
    while (!raw_.empty() && !parser_.is_done()) {
      size_t used = parser_.put(boost::asio::buffer(raw_), ec);
      raw_.erase(0, used);
      if (ec || used == 0) break;
    }
    if (closed_ && !parser_.is_done() && parser_.is_header_done()) parser_.put_eof(ec);
  }

  boost::asio::io_context& io_;
  Stream& stream_;
  boost::beast::http::response_parser<boost::beast::http::string_body> parser_;
  std::array<char, 4096> chunk_{};
  std::string raw_;  // read, not yet parsed
  bool closed_ = false;
};

}  // namespace pdh::http::testing
