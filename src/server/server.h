// The HTTP server: Boost.Beast over Asio with C++20 coroutines, one I/O thread per core.
// Routes are registered on a Router by the modules' API files; the server adds what every
// route gets: problem+json errors, X-Request-Id, JSON-lines access log, ETag/304 on reads,
// Prometheus metrics, the OpenAPI document built from the route table, /healthz and /readyz,
// the web app's static files with SPA fallback, and server-sent event streams (events.h).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json/value.hpp>

#include "core/error.h"
#include "server/events.h"

namespace pdh::http {

struct Request {
  std::string method;                         // "GET", "POST", ...
  std::string path;                           // percent-decoded path, no query
  std::map<std::string, std::string> query;   // percent-decoded query parameters
  std::map<std::string, std::string> params;  // captured by the route pattern ("{code}")
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;
  std::string request_id;
  std::string remote;  // "127.0.0.1:54321"
  bool tls = false;    // arrived over TLS
  // Mutual TLS: hex SHA-256 of the client certificate the connection presented and that verified
  // against ServerOptions::tls_client_ca_file; "" otherwise.
  std::string client_cert_sha256;
  // Set by ServerOptions::authorize: who is asking (the auth module's Principal).
  std::shared_ptr<const void> principal;

  // Header value by lower-case name, or "" when absent.
  std::string_view Header(std::string_view lower_name) const;
  // Value of cookie `name` from the Cookie header, or "" when absent.
  std::string Cookie(std::string_view name) const;
  // Query parameter, or nullopt when absent.
  std::optional<std::string> Query(const std::string& name) const;
  // Parses the body as strict JSON (RFC 8259, UTF-8, depth-limited). Throws Failure with
  // code "request.invalid_json" (400) naming the position, or "request.unsupported_media_type"
  // (415) when Content-Type is not application/json.
  boost::json::value Json() const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  // Instead of `body`: one shared with other answers (a kept answer, a static file, a compressed
  // body), sent from where it is, never copied. Set, it is the body and `body` is not used.
  std::shared_ptr<const std::string> shared_body;
  std::vector<std::pair<std::string, std::string>> headers;
  // Server-sent events. When set, the server answers 200 text/event-stream (Cache-Control:
  // no-store, X-Accel-Buffering: no; `status`, `content_type` and `body` are not used) and holds
  // the connection open, writing `first_event`, then the hub's kept events after the request's
  // Last-Event-ID (when it has one), then each event published to the hub from now on, and a
  // ": ping" comment after ServerOptions::sse_heartbeat without any, until the client closes the
  // connection, falls too far behind the hub or the server stops.
  std::shared_ptr<EventHub> events;
  // Optional: only the events for which this returns true are sent to this client (e.g. the
  // units it may see); the others do not wake its stream. Runs on the publishing thread with the
  // hub's lock held, once per stream, so it must be quick and must not publish; an exception ends
  // the stream.
  std::function<bool(const std::string& event, const std::string& data)> event_filter;
  // Optional: an event sent at once, as {event, data}, e.g. "hello" with the current state. It
  // has no id, so it does not move the client's Last-Event-ID.
  std::optional<std::pair<std::string, std::string>> first_event;

  // The body to send: the shared one when set, else `body`.
  std::string_view Body() const { return shared_body ? std::string_view(*shared_body) : body; }
  // Sets a shared body (and clears `body`).
  void Share(std::shared_ptr<const std::string> b) {
    shared_body = std::move(b);
    body.clear();
  }

  static Response Json(const boost::json::value& v, int status = 200);
  // RFC 9457 problem document carrying `e.code`, `e.message` (as detail), the request id.
  static Response Problem(const Error& e, const Request& req);
};

// The strong ETag the server gives a body ("\"<16 hex digits>\""): a handler that keeps its
// answers can tag them once.
std::string EtagOf(std::string_view body);

using Handler = std::function<Response(Request&)>;

// What the OpenAPI document says about a route. Schemas are JSON Schema (2020-12) text.
struct ParamDoc {
  std::string name;
  std::string in = "query";  // "query" or "path"
  std::string description;
  bool required = false;
  std::string schema = R"({"type":"string"})";
};

struct RouteDoc {
  std::string summary;
  std::string tag;
  std::vector<ParamDoc> params;  // path params are added from the pattern when missing
  std::string request_schema;    // non-empty: the route takes a JSON body
  std::string response_schema;   // schema of the 2xx JSON body
  int success_status = 200;
  std::vector<int> error_statuses;  // documented problem responses (400, 404, 422, ...)
  std::string description;          // longer text for the operation; "" repeats the summary
  std::string response_content_type = "application/json";  // of the 2xx body
  // Access control, checked in one place (ServerOptions::authorize) before the handler runs:
  // the permission the route needs ("public", "authenticated", "units.read", "units.write",
  // "users.admin", "audit.read", ...) and where the unit it concerns is found: "" (none),
  // "path:NAME" (a path parameter), "query:NAME", "body:NAME" (a string field of the JSON body),
  // "RESOLVER:NAME" (a resolver the API registers, e.g. the owner of a catalog entry named by a
  // path parameter), or "rows" (each row of the body names its unit and the handler checks them;
  // the principal must be able to write at least one unit).
  std::string permission = "authenticated";
  std::string scope;
  // Officers of the province's steward unit (the Department of Science and Technology, which
  // runs the catalog, the index set and the Resolution 57 register) may do this for every unit.
  bool stewarded = false;
  // A read whose answer depends only on the path, the query, the reader's access, today's date
  // and the data: the server's around hook may keep it until the data changes.
  bool cached = false;
  // A list ({"items": [...]}) the around hook pages (?limit=, ?cursor=) and trims to the
  // ?fields= asked for.
  bool trimmed = false;
};

struct Route {
  std::string method;
  std::string pattern;  // "/api/v1/units/{code}/children"
  std::string name;     // stable id, used as the metrics label and OpenAPI operationId
  Handler handler;
  RouteDoc doc;
};

// Matches method + path to a handler. Literal segments win over "{param}" segments; a path
// that some route's pattern matches but none with the method gives the allowed methods (405).
// Not thread-safe to Add() while serving; Add all routes before Server::Listen().
class Router {
 public:
  // Throws std::logic_error on a duplicate method + pattern (parameter names aside), and
  // std::invalid_argument on a malformed pattern or a schema that is not JSON.
  void Add(std::string method, std::string pattern, std::string name, Handler handler,
           RouteDoc doc = {});
  const std::vector<Route>& routes() const { return routes_; }
  // Marks the routes named so as `cached` (RouteDoc). Throws std::logic_error for a name no
  // route has.
  void MarkCached(const std::vector<std::string>& names);
  // Marks them `trimmed` too, and documents their ?fields=, ?limit= and ?cursor=.
  void MarkTrimmed(const std::vector<std::string>& names);

  // The OpenAPI description of a tag; tags without one get a generic sentence.
  void DescribeTag(std::string tag, std::string description) {
    tag_descriptions_[std::move(tag)] = std::move(description);
  }
  const std::map<std::string, std::string>& tag_descriptions() const { return tag_descriptions_; }

  struct Match {
    const Route* route = nullptr;
    std::map<std::string, std::string> params;
    std::vector<std::string> allowed;  // methods for this path when route is null (405)
  };
  // HEAD finds the GET route unless a HEAD route is registered for the path.
  Match Find(std::string_view method, std::string_view path) const;

 private:
  // The route of that name. Throws std::logic_error when there is none.
  Route& Named(const std::string& name);

  std::vector<Route> routes_;
  std::vector<std::vector<std::string>> segments_;  // routes_[i].pattern split at '/'
  std::map<std::string, std::string> tag_descriptions_;
};

// The OpenAPI 3.1 document for every route of `router`.
boost::json::value OpenApiDocument(const Router& router, std::string_view version);

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;  // 0 picks a free port
  int threads = 0;       // 0: one per core
  size_t max_header_bytes = size_t{16} * 1024;
  size_t max_body_bytes = size_t{32} * 1024 * 1024;
  // How an operator raises max_body_bytes, for the 413 problem (the program's own option).
  std::string body_limit_hint = "raise it with pdh serve --max-body-mb";
  std::chrono::seconds read_timeout{30};
  std::chrono::seconds write_timeout{30};
  std::chrono::seconds idle_timeout{60};  // keep-alive
  std::string web_root;                   // directory of the built web app; "" serves none
  std::string access_log = "-";           // JSON lines; "-" is stderr, "" disables
  std::string version = "0.0.0";
  std::function<bool()> ready;  // /readyz answers 200 when this returns true; unset: ready
  // More Prometheus families for /metrics (the application's: its database's, say).
  std::function<std::string()> more_metrics;
  bool handle_signals = true;                      // SIGTERM/SIGINT stop Run() gracefully
  std::chrono::milliseconds shutdown_grace{5000};  // how long requests in flight may take to finish
  // Server-sent events (Response::events): an idle stream gets a ": ping" comment this often
  // (positive), so that proxies and clients see it alive; past max_event_streams open at once, a
  // request for another is answered 503 with code "events.too_many".
  std::chrono::milliseconds sse_heartbeat{15000};
  size_t max_event_streams = 2000;

  // Called before every route's handler (built-in routes included): authenticates the request
  // (sets Request::principal) and checks route.doc.permission / scope; throws Failure (401, 403,
  // 423, ...) to refuse. Unset: every route is open.
  std::function<void(Request&, const Route&)> authorize;
  // Wraps every route's handler once authorize let the request through: calls `handler` and
  // returns its response or lets its exception pass (so the handler's writes can commit with
  // their audit entry). Unset: the handler alone.
  std::function<Response(Request&, const Route&, const std::function<Response()>& handler)> around;
  // Called after every routed request has its response (audit of refusals, ...). Must not
  // throw.
  std::function<void(const Request&, const Route&, const Response&)> after;

  // TLS: both set serves HTTPS only (OpenSSL through Asio), with HSTS on every response.
  std::string tls_cert_file;  // PEM certificate chain
  std::string tls_key_file;   // PEM private key
  // PEM certificate authorities: clients are asked for a certificate, and one that does not
  // verify against them ends the handshake (mutual TLS); none presented is allowed. "": none.
  std::string tls_client_ca_file;

  // Proxies in front of the server (nginx): for a request from one of these addresses or CIDR
  // networks, the client is the right-most address of X-Forwarded-For that is not one of them —
  // in the rate limits, the audit log and the access log. Empty: the peer is the client.
  std::vector<std::string> trusted_proxies;

  // Rate limits (token buckets), answered 429 with Retry-After and problem code
  // "request.rate_limited". 0 disables.
  double rate_per_address = 50;  // requests per second per client address
  double burst_per_address = 200;
  double rate_per_token = 20;  // per bearer token / session cookie
  double burst_per_token = 100;
};

// The routes served are the built-in ones (GET /healthz, /readyz, /metrics,
// /api/v1/openapi.json) followed by a copy of `router`'s.
class Server {
 public:
  // Throws std::logic_error when `router` has a route the server has built in, and
  // std::runtime_error when the access log file cannot be opened.
  Server(ServerOptions options, const Router& router);
  // Requires Run() to have returned (Stop() it first when it runs on another thread).
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds the listening socket; returns the bound "host:port" (the real port when 0 was asked;
  // an IPv6 host in brackets: "[::1]:8080"). Fails with "server.tls_config" when the TLS files
  // cannot be loaded, else "server.listen_failed".
  Result<std::string> Listen();
  // Serves until Stop() or SIGTERM/SIGINT: then stops accepting, closes idle connections, ends
  // event streams, lets requests in flight finish (up to options.shutdown_grace) and returns. Calls
  // Listen() first when it was not called (throwing its Failure). Runs once per Server.
  void Run();
  // Thread-safe, also before Run(); makes Run() return.
  void Stop();

  // Every route served, built-in ones included, e.g. to generate per-route tests.
  const Router& routes() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Whether `text` is an IPv4 or IPv6 address or a CIDR network ("10.0.0.0/8"), as
// ServerOptions::trusted_proxies takes them.
bool IsAddressOrNetwork(std::string_view text);

}  // namespace pdh::http
