// Prometheus metrics of the HTTP server: requests by route/method/status, latency histogram by
// route, open connections, build info. Private to src/server.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pdh::http::detail {

// Thread-safe. The set of routes is fixed at construction, so the lookup needs no lock; each
// route's figures have their own mutex, taken once per request.
class Metrics {
 public:
  // Label for requests no route matched (static files, 404s, unparseable requests).
  static constexpr std::string_view kUnmatched = "unmatched";

  Metrics(const std::vector<std::string>& route_names, std::string version);

  // Counts one answered request; an unknown `route` counts as kUnmatched.
  void Observe(std::string_view route, std::string_view method, int status, double seconds);
  void ConnectionOpened() { connections_.fetch_add(1, std::memory_order_relaxed); }
  void ConnectionClosed() { connections_.fetch_sub(1, std::memory_order_relaxed); }

  // The text exposition format 0.0.4.
  std::string Render() const;
  static constexpr std::string_view kContentType = "text/plain; version=0.0.4; charset=utf-8";

 private:
  static constexpr std::array<std::string_view, 14> kBuckets = {
      "0.0005", "0.001", "0.0025", "0.005", "0.01", "0.025", "0.05",
      "0.1",    "0.25",  "0.5",    "1",     "2.5",  "5",     "10"};

  struct RouteFigures {
    mutable std::mutex mutex;
    std::map<std::pair<std::string, int>, uint64_t> requests;  // (method, status) -> count
    std::array<uint64_t, kBuckets.size()> buckets{};           // not cumulative
    double sum = 0;
    uint64_t count = 0;
  };

  std::map<std::string, std::unique_ptr<RouteFigures>, std::less<>> routes_;
  std::array<double, kBuckets.size()> bounds_{};
  std::atomic<int64_t> connections_{0};
  std::string version_;
};

}  // namespace pdh::http::detail
