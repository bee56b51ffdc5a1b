// What the server does to a request between reading it and writing the answer.
#include "server/dispatcher.h"

#include <algorithm>
#include <stdexcept>

#include <openssl/evp.h>

#include "core/json_util.h"
#include "server/http_util.h"

namespace pdh::http::detail {
namespace {

// Probes must see the process as it is, however busy its clients keep it, so these two are
// neither rate limited nor (being public) refused by authorize.
constexpr std::string_view kHealthzPath = "/healthz";
constexpr std::string_view kReadyzPath = "/readyz";
// The browser's session cookie, which the auth module sets.
constexpr std::string_view kSessionCookie = "pdh_session";
constexpr std::string_view kHsts = "max-age=31536000; includeSubDomains";

constexpr std::string_view kCsp =
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'";

// Smaller answers gain less from compression than it costs.
constexpr size_t kGzipMinBytes = 1024;

std::string* FindHeader(Response& r, std::string_view lower_name) {
  for (auto& [name, value] : r.headers) {
    if (AsciiLower(name) == lower_name) return &value;
  }
  return nullptr;
}

std::vector<std::string> RouteNames(const Router& router) {
  std::vector<std::string> names;
  for (const auto& route : router.routes()) names.push_back(route.name);
  return names;
}

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

Response MethodNotAllowed(const Request& req, const std::vector<std::string>& allowed) {
  Response r = Response::Problem(
      {"route.method_not_allowed",
       req.method + " is not allowed on " + req.path + "; use " + Join(allowed), 405},
      req);
  r.headers.emplace_back("Allow", Join(allowed));
  return r;
}

RouteDoc OperationsDoc(std::string summary, std::string response_schema,
                       std::vector<int> errors = {}) {
  RouteDoc doc;
  doc.summary = std::move(summary);
  doc.tag = "operations";
  doc.response_schema = std::move(response_schema);
  doc.error_statuses = std::move(errors);
  // Probes and Prometheus call without a session.
  doc.permission = "public";
  return doc;
}

bool RateLimited(const pdh::http::Route* route) {
  return !route || (route->pattern != kHealthzPath && route->pattern != kReadyzPath);
}

// The rate-limit key of the credential the request carries (bearer token, else session
// cookie), or "" for none. Hashed so that the limiter neither keeps secrets in memory nor
// spends more than a digest on a long token.
std::string CredentialKey(const Request& req) {
  std::string credential(BearerToken(req.Header("authorization")));
  if (credential.empty()) credential = req.Cookie(kSessionCookie);
  if (credential.empty()) return "";
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (!EVP_Digest(credential.data(), credential.size(), digest, &size, EVP_sha256(), nullptr)) {
    throw std::runtime_error("SHA-256 failed");
  }
  return {digest, digest + size};
}

RateLimiter::Limits LimitsOf(double rate, double burst) {
  return {.rate = burst > 0 ? rate : 0, .burst = burst};
}

}  // namespace

Dispatcher::Dispatcher(const ServerOptions& options, const Router& app, const SteadyNow& now)
    : options_(options),
      routes_(BuildRoutes(app)),
      openapi_(json_util::Serialize(OpenApiDocument(routes_, options.version))),
      metrics_(RouteNames(routes_), options.version),
      statics_(options.web_root),
      log_(options.access_log),
      per_address_(LimitsOf(options.rate_per_address, options.burst_per_address), now),
      per_credential_(LimitsOf(options.rate_per_token, options.burst_per_token), now) {}

Router Dispatcher::BuildRoutes(const Router& app) {
  Router r;
  r.Add(
      "GET", std::string(kHealthzPath), "healthz",
      [](Request&) {
        return Response::Json({{"status", "ok"}});
      },
      OperationsDoc(
          "Liveness: the process answers",
          R"({"type":"object","properties":{"status":{"const":"ok"}},"required":["status"]})"));
  r.Add(
      "GET", std::string(kReadyzPath), "readyz",
      [this](Request&) {
        if (options_.ready && !options_.ready()) {
          throw Failure(
              {"server.not_ready", "the server is starting or stopping; retry shortly", 503});
        }
        return Response::Json({{"status", "ready"}});
      },
      OperationsDoc(
          "Readiness: the server takes traffic",
          R"({"type":"object","properties":{"status":{"const":"ready"}},"required":["status"]})",
          {503}));
  RouteDoc metrics_doc = OperationsDoc("Prometheus metrics", R"({"type":"string"})");
  metrics_doc.response_content_type = "text/plain";
  r.Add(
      "GET", "/metrics", "metrics",
      [this](Request&) {
        Response res;
        res.content_type = Metrics::kContentType;
        res.body = metrics_.Render();
        if (options_.more_metrics) res.body += options_.more_metrics();
        return res;
      },
      std::move(metrics_doc));
  r.Add(
      "GET", "/api/v1/openapi.json", "openapi",
      [this](Request&) {
        Response res;
        res.body = openapi_;
        return res;
      },
      OperationsDoc("This OpenAPI document", R"({"type":"object"})"));
  r.DescribeTag("operations", "Health, readiness, metrics and this API description.");
  for (const auto& route : app.routes()) {
    r.Add(route.method, route.pattern, route.name, route.handler, route.doc);
  }
  for (const auto& [tag, description] : app.tag_descriptions()) r.DescribeTag(tag, description);
  return r;
}

Request Dispatcher::Prepare(Incoming& in) const {
  Request req;
  req.method = std::move(in.method);
  req.headers = std::move(in.headers);
  req.body = std::move(in.body);
  req.remote = std::move(in.remote);
  if (!options_.trusted_proxies.empty()) {
    req.remote = ClientAddress(req.remote, req.Header("x-forwarded-for"), options_.trusted_proxies);
  }
  req.tls = in.tls;
  req.client_cert_sha256 = in.client_cert_sha256;
  std::string_view id = req.Header("x-request-id");
  req.request_id = IsValidRequestId(id) ? std::string(id) : NewRequestId();
  req.path = in.target.substr(0, in.target.find('?'));
  return req;
}

Outcome Dispatcher::Dispatch(Incoming in) {
  Outcome out;
  out.request = Prepare(in);
  auto target = ParseTarget(in.target);
  if (target) {
    out.request.path = std::move(target->path);
    out.request.query = std::move(target->query);
    out.response = Answer(out);
    OpenStream(out);
  } else {
    out.response = Response::Problem(target.error(), out.request);
  }
  Finish(out);
  NotifyAfter(out);
  return out;
}

Outcome Dispatcher::Reject(const Error& error, Incoming in) {
  Outcome out;
  out.request = Prepare(in);
  out.response = Response::Problem(error, out.request);
  Finish(out);
  return out;
}

Response Dispatcher::Answer(Outcome& out) {
  Request& req = out.request;
  auto match = routes_.Find(req.method, req.path);
  out.route = match.route;
  if (RateLimited(match.route)) {
    if (auto refused = Throttle(req)) return std::move(*refused);
  }
  if (match.route) {
    req.params = std::move(match.params);
    return Invoke(*match.route, req);
  }
  if (!match.allowed.empty()) return MethodNotAllowed(req, match.allowed);
  bool api = req.path == "/api" || req.path.starts_with("/api/");
  if (api || options_.web_root.empty()) {
    return Response::Problem(Error::NotFound("route.not_found", "no API route " + req.path), req);
  }
  if (req.method != "GET" && req.method != "HEAD") return MethodNotAllowed(req, {"GET", "HEAD"});
  auto file = statics_.Serve(req.path, req.Header("accept-encoding"));
  return file ? std::move(*file) : Response::Problem(file.error(), req);
}

std::optional<Response> Dispatcher::Throttle(const Request& req) {
  auto wait = per_address_.Take(AddressOf(req.remote));
  if (!wait && per_credential_.enabled()) {
    if (std::string key = CredentialKey(req); !key.empty()) wait = per_credential_.Take(key);
  }
  if (!wait) return std::nullopt;
  std::string seconds = std::to_string(RetryAfterSeconds(*wait));
  Response r = Response::Problem(
      {"request.rate_limited", "too many requests; retry in " + seconds + " s", 429}, req);
  r.headers.emplace_back("Retry-After", seconds);
  return r;
}

Response Dispatcher::Invoke(const pdh::http::Route& route, Request& req) const {
  // The client learns only the request id; the log has the rest.
  auto internal = [&](std::string_view what) {
    LogError(req.request_id, route.name + ": " + std::string(what));
    return Response::Problem(
        Error::Internal("internal",
                        "the server failed to answer; report the request id " + req.request_id),
        req);
  };
  try {
    if (options_.authorize) options_.authorize(req, route);
    if (options_.around) return options_.around(req, route, [&] { return route.handler(req); });
    return route.handler(req);
  } catch (const Failure& f) {
    return Response::Problem(f.error(), req);
  } catch (...) {
    return internal(ExceptionText(std::current_exception()));
  }
}

void Dispatcher::OpenStream(Outcome& out) {
  Response& r = out.response;
  if (!r.events) return;
  if (out.request.method != "HEAD") {
    if (open_streams_.fetch_add(1) >= options_.max_event_streams) {
      open_streams_.fetch_sub(1);
      r = Response::Problem(
          {"events.too_many", "too many event streams are open; retry in a while", 503},
          out.request);
      return;
    }
    out.stream = StreamSlot(&open_streams_);
  }
  r.status = 200;
  r.content_type = "text/event-stream";
  r.body.clear();
  // Every event is news, and a buffering proxy (nginx) would hold events back.
  if (!FindHeader(r, "cache-control")) r.headers.emplace_back("Cache-Control", "no-store");
  if (!FindHeader(r, "x-accel-buffering")) r.headers.emplace_back("X-Accel-Buffering", "no");
}

void Dispatcher::Finish(Outcome& out) {
  const Request& req = out.request;
  Response& r = out.response;
  if (!FindHeader(r, "cache-control")) r.headers.emplace_back("Cache-Control", "no-cache");
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  r.headers.emplace_back("Referrer-Policy", "no-referrer");
  if (MediaType(r.content_type) == "text/html") {
    r.headers.emplace_back("Content-Security-Policy", kCsp);
  }
  r.headers.emplace_back("X-Request-Id", req.request_id);
  // Browsers that saw HTTPS once keep to it, so a later link or typed URL cannot downgrade.
  if (req.tls) r.headers.emplace_back("Strict-Transport-Security", kHsts);
  if (r.status == 401 && !FindHeader(r, "www-authenticate")) {
    r.headers.emplace_back("WWW-Authenticate", R"(Bearer realm="pdh")");
  }
  out.head = req.method == "HEAD";

  bool read = req.method == "GET" || out.head;
  if (!read || r.status != 200 || r.events) return;
  const std::string media = MediaType(r.content_type);
  std::string* etag = FindHeader(r, "etag");
  if (!etag && media == "application/json") {
    r.headers.emplace_back("ETag", EtagFor(r.Body()));
    etag = &r.headers.back().second;
  }
  // Bodies worth it go compressed to clients that take gzip, under an ETag of their own (a
  // strong tag names one representation); caches are told the answer varies with the header.
  if (r.Body().size() >= kGzipMinBytes && Compressible(media) &&
      !FindHeader(r, "content-encoding")) {
    const bool gzip = AcceptsGzip(req.Header("accept-encoding"));
    if (gzip && etag && etag->size() >= 2 && etag->back() == '"') {
      r.Share(gzipped_.Get(*etag, r.Body()));
      etag->insert(etag->size() - 1, "-gz");
    } else if (gzip) {
      r.Share(std::make_shared<const std::string>(Gzip(r.Body())));
    }
    const bool tagged = etag != nullptr;
    if (gzip) r.headers.emplace_back("Content-Encoding", "gzip");
    if (!FindHeader(r, "vary")) r.headers.emplace_back("Vary", "Accept-Encoding");
    etag = tagged ? FindHeader(r, "etag") : nullptr;  // the headers may have moved
  }
  if (etag && IfNoneMatchHits(req.Header("if-none-match"), *etag)) {
    r.status = 304;
    r.body.clear();
    r.shared_body.reset();
  }
}

std::shared_ptr<const std::string> GzipCache::Get(const std::string& etag, std::string_view body) {
  {
    std::lock_guard lock(mu_);
    if (auto it = bodies_.find(etag); it != bodies_.end()) return it->second;
  }
  auto gz = std::make_shared<const std::string>(Gzip(body));
  std::lock_guard lock(mu_);
  if (gz->size() > max_bytes_ / 8 || bodies_.contains(etag)) return gz;
  bodies_.emplace(etag, gz);
  order_.push_back(etag);
  bytes_ += gz->size() + etag.size();
  while (bytes_ > max_bytes_ && !order_.empty()) {
    auto it = bodies_.find(order_.front());
    bytes_ -= it->second->size() + it->first.size();
    bodies_.erase(it);
    order_.pop_front();
  }
  return gz;
}

void Dispatcher::NotifyAfter(const Outcome& out) const {
  if (!out.route || !options_.after) return;
  try {
    options_.after(out.request, *out.route, out.response);
  } catch (...) {
    // The answer stands: the hook's failure is the server's to fix, not the client's.
    LogError(out.request.request_id,
             "after hook for " + out.route->name + ": " + ExceptionText(std::current_exception()));
  }
}

void Dispatcher::Record(const Outcome& out, std::chrono::steady_clock::duration took,
                        size_t bytes) {
  double seconds = std::chrono::duration<double>(took).count();
  std::optional<std::string_view> route;
  if (out.route) route = out.route->name;
  metrics_.Observe(route.value_or(Metrics::kUnmatched), out.request.method, out.response.status,
                   seconds);
  log_.Write({.time = std::chrono::system_clock::now(),
              .request_id = out.request.request_id,
              .remote = out.request.remote,
              .method = out.request.method,
              .path = out.request.path,
              .route = route,
              .status = out.response.status,
              .bytes = bytes,
              .duration_ms = seconds * 1000,
              .user_agent = out.request.Header("user-agent")});
}

}  // namespace pdh::http::detail
