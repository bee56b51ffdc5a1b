// What the server does to a request between reading it and writing the answer, with no
// sockets involved: routing, built-in endpoints, rate limits, the authorize and after hooks,
// static files, problems, request ids, ETags, security headers, the event-stream limit, metrics
// and the access log.
// Private to src/server.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "server/logs.h"
#include "server/metrics.h"
#include "server/rate_limit.h"
#include "server/server.h"
#include "server/static_files.h"

namespace pdh::http::detail {

// A request as read from the wire.
struct Incoming {
  std::string method;
  std::string target;                                        // "/path?query", not yet decoded
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;
  std::string remote;
  bool tls = false;
  std::string client_cert_sha256;  // see Request::client_cert_sha256
};

// Gives back one of options.max_event_streams places.
struct ReleaseStreamSlot {
  void operator()(std::atomic<size_t>* open) const { open->fetch_sub(1); }
};
// One of options.max_event_streams places, held by an event stream while it is open.
using StreamSlot = std::unique_ptr<std::atomic<size_t>, ReleaseStreamSlot>;

struct Outcome {
  Request request;
  Response response;  // complete: every header the client gets
  const Route* route = nullptr;
  bool head = false;  // send headers only
  StreamSlot stream;  // set: send the headers, then stream response.events
};

// Compressed bodies by their ETag, so that an answer served again is compressed once; the
// oldest go past max_bytes. Thread-safe.
class GzipCache {
 public:
  explicit GzipCache(size_t max_bytes = size_t{64} << 20) : max_bytes_(max_bytes) {}
  std::shared_ptr<const std::string> Get(const std::string& etag, std::string_view body);

 private:
  const size_t max_bytes_;
  std::mutex mu_;
  std::unordered_map<std::string, std::shared_ptr<const std::string>> bodies_;  // REQUIRES: mu_
  std::deque<std::string> order_;  // oldest first; REQUIRES: mu_ held
  size_t bytes_ = 0;               // REQUIRES: mu_ held
};

// Thread-safe once constructed. Not movable: the built-in routes point back at it.
class Dispatcher {
 public:
  // Builds the route table: the built-in /healthz, /readyz, /metrics and
  // /api/v1/openapi.json, then `app`'s routes (a clash throws std::logic_error). The rate
  // limits read the time from `now`.
  Dispatcher(const ServerOptions& options, const Router& app,
             const SteadyNow& now = &std::chrono::steady_clock::now);
  Dispatcher(const Dispatcher&) = delete;
  Dispatcher& operator=(const Dispatcher&) = delete;

  // Answers a request; calls options.after for a routed one.
  Outcome Dispatch(Incoming in);
  // The answer to a request that could not be read in full (431, 413, malformed).
  Outcome Reject(const Error& error, Incoming in);
  // Counts the answered request in the metrics and writes its access log line.
  void Record(const Outcome& outcome, std::chrono::steady_clock::duration took, size_t bytes);

  const Router& routes() const { return routes_; }
  Metrics& metrics() { return metrics_; }

 private:
  Request Prepare(Incoming& in) const;
  Response Answer(Outcome& out);
  // The 429 for a client over one of its rate limits; nullopt when it is within them.
  std::optional<Response> Throttle(const Request& req);
  Response Invoke(const pdh::http::Route& route, Request& req) const;
  // Gives a handler's event-stream answer its headers and a stream slot, or turns it into a 503
  // when options.max_event_streams are open. A HEAD gets the headers alone.
  void OpenStream(Outcome& out);
  // The headers every answer gets; a read's ETag, its 304, and its gzip coding for a client
  // that accepts it.
  void Finish(Outcome& out);
  void NotifyAfter(const Outcome& out) const;
  Router BuildRoutes(const Router& app);

  ServerOptions options_;
  Router routes_;
  std::string openapi_;
  Metrics metrics_;
  StaticFiles statics_;
  AccessLog log_;
  RateLimiter per_address_;
  RateLimiter per_credential_;
  std::atomic<size_t> open_streams_{0};
  GzipCache gzipped_;
};

}  // namespace pdh::http::detail
