// Prometheus metrics of the HTTP server.
#include "server/metrics.h"

#include <algorithm>
#include <charconv>

namespace pdh::http::detail {
namespace {

// Methods outside the standard set share one label so garbage cannot grow the series count.
std::string_view MethodLabel(std::string_view method) {
  static constexpr std::array<std::string_view, 7> kKnown = {"GET",    "HEAD",    "POST", "PUT",
                                                             "DELETE", "OPTIONS", "PATCH"};
  return std::ranges::find(kKnown, method) != kKnown.end() ? method : "OTHER";
}

std::string Escape(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

std::string Number(double v) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, end);
}

void Family(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  out.append("# HELP ").append(name).append(" ").append(help).append("\n");
  out.append("# TYPE ").append(name).append(" ").append(type).append("\n");
}

// Appends one sample line: name{labels} value.
void Sample(std::string& out, std::string_view name, std::string_view labels,
            std::string_view value) {
  out.append(name);
  if (!labels.empty()) out.append("{").append(labels).append("}");
  out.append(" ").append(value).append("\n");
}

}  // namespace

Metrics::Metrics(const std::vector<std::string>& route_names, std::string version)
    : version_(std::move(version)) {
  for (const auto& name : route_names) routes_.try_emplace(name, std::make_unique<RouteFigures>());
  routes_.try_emplace(std::string(kUnmatched), std::make_unique<RouteFigures>());
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    std::from_chars(kBuckets[i].data(), kBuckets[i].data() + kBuckets[i].size(), bounds_[i]);
  }
}

void Metrics::Observe(std::string_view route, std::string_view method, int status, double seconds) {
  auto it = routes_.find(route);
  if (it == routes_.end()) it = routes_.find(kUnmatched);
  RouteFigures& f = *it->second;
  size_t bucket = std::ranges::lower_bound(bounds_, seconds) - bounds_.begin();
  std::lock_guard lock(f.mutex);
  ++f.requests[{std::string(MethodLabel(method)), status}];
  if (bucket < f.buckets.size()) ++f.buckets[bucket];
  f.sum += seconds;
  ++f.count;
}

std::string Metrics::Render() const {
  std::string requests, durations;
  for (const auto& [route, figures] : routes_) {
    std::string label = "route=\"" + Escape(route) + "\"";
    std::lock_guard lock(figures->mutex);
    for (const auto& [key, count] : figures->requests) {
      std::string labels = label;
      labels.append(",method=\"").append(key.first).append("\",status=\"");
      labels.append(std::to_string(key.second)).append("\"");
      Sample(requests, "pdh_http_requests_total", labels, std::to_string(count));
    }
    uint64_t cumulative = 0;
    for (size_t i = 0; i < kBuckets.size(); ++i) {
      cumulative += figures->buckets[i];
      std::string labels = label;
      labels.append(",le=\"").append(kBuckets[i]).append("\"");
      Sample(durations, "pdh_http_request_duration_seconds_bucket", labels,
             std::to_string(cumulative));
    }
    std::string count = std::to_string(figures->count);
    Sample(durations, "pdh_http_request_duration_seconds_bucket", label + ",le=\"+Inf\"", count);
    Sample(durations, "pdh_http_request_duration_seconds_sum", label, Number(figures->sum));
    Sample(durations, "pdh_http_request_duration_seconds_count", label, count);
  }
  std::string out;
  Family(out, "pdh_http_requests_total", "counter",
         "HTTP requests answered, by route, method and status.");
  out += requests;
  Family(out, "pdh_http_request_duration_seconds", "histogram",
         "Time from a request read to its response written, by route.");
  out += durations;
  Family(out, "pdh_http_connections_open", "gauge", "HTTP connections open now.");
  Sample(out, "pdh_http_connections_open", "",
         std::to_string(connections_.load(std::memory_order_relaxed)));
  Family(out, "pdh_build_info", "gauge", "Build information; the value is always 1.");
  Sample(out, "pdh_build_info", "version=\"" + Escape(version_) + "\"", "1");
  return out;
}

}  // namespace pdh::http::detail
