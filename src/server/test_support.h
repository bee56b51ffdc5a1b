// Helpers shared by the server's tests: a scratch web root, a server on a background thread.
// Private to src/server tests.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <thread>

#include "server/server.h"

namespace pdh::http::testing {

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

}  // namespace pdh::http::testing
