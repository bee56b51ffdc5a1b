// The server's logs as JSON lines: the access log (one line per request) and error reports.
// Private to src/server.
#pragma once

#include <chrono>
#include <cstdio>
#include <exception>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace pdh::http::detail {

struct AccessRecord {
  std::chrono::system_clock::time_point time;
  std::string_view request_id;
  std::string_view remote;
  std::string_view method;
  std::string_view path;
  std::optional<std::string_view> route;  // null when no route matched
  int status = 0;
  size_t bytes = 0;  // body bytes sent
  double duration_ms = 0;
  std::string_view user_agent;
};

// "2025-10-31T08:15:30.123Z"
std::string IsoUtcMillis(std::chrono::system_clock::time_point t);

// One JSON object, no trailing newline.
std::string AccessLogLine(const AccessRecord& r);

// Thread-safe: lines from concurrent requests never interleave.
class AccessLog {
 public:
  // `target`: "-" for stderr, "" to disable, else a file path opened for appending.
  // Throws std::runtime_error when the file cannot be opened.
  explicit AccessLog(const std::string& target);
  ~AccessLog();
  AccessLog(const AccessLog&) = delete;
  AccessLog& operator=(const AccessLog&) = delete;

  void Write(const AccessRecord& r);

 private:
  std::mutex mutex_;
  std::FILE* file_ = nullptr;
  bool owned_ = false;
};

// What an exception says, for the log; "" for none.
std::string ExceptionText(const std::exception_ptr& e);

// Reports a server-side failure on stderr as a JSON line; the client only sees "internal".
void LogError(std::string_view request_id, std::string_view message);

}  // namespace pdh::http::detail
