// Request accessors and the Response constructors every handler uses.
#include <boost/json/parse_options.hpp>
#include <boost/json/stream_parser.hpp>

#include "core/json_util.h"
#include "server/http_util.h"
#include "server/server.h"

namespace pdh::http {
namespace {

// Deep enough for any document the API takes, shallow enough that a hostile body of
// 100,000 '[' is refused at once rather than built.
constexpr size_t kMaxJsonDepth = 64;

Error InvalidJson(std::string_view why, size_t offset) {
  return Error::BadRequest("request.invalid_json",
                           "the request body is not valid JSON: " + std::string(why) + " at byte " +
                               std::to_string(offset));
}

Result<boost::json::value> ParseStrictJson(std::string_view text) {
  boost::json::parse_options options;
  options.max_depth = kMaxJsonDepth;
  options.allow_comments = false;
  options.allow_trailing_commas = false;
  options.allow_invalid_utf8 = false;
  boost::json::stream_parser parser({}, options);
  boost::system::error_code ec;
  size_t consumed = parser.write_some(text.data(), text.size(), ec);
  if (ec) return Fail(InvalidJson(ec.message(), consumed));
  if (consumed < text.size())
    return Fail(InvalidJson("unexpected data after the document", consumed));
  parser.finish(ec);
  if (ec) return Fail(InvalidJson(ec.message(), consumed));
  return parser.release();
}

// Splits a Cookie header ("a=b; c=\"d\"") into pairs and returns the value of the first one
// named `name`, unquoted; nullopt when none is. Lenient where RFC 6265 lets servers be: spaces
// around names and values, missing spaces after ';', pairs without '=' (skipped).
std::optional<std::string_view> CookieValue(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    size_t semi = header.find(';');
    std::string_view pair = header.substr(0, semi);
    header.remove_prefix(semi == std::string_view::npos ? header.size() : semi + 1);
    size_t eq = pair.find('=');
    if (eq == std::string_view::npos || detail::TrimSpace(pair.substr(0, eq)) != name) continue;
    std::string_view value = detail::TrimSpace(pair.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    return value;
  }
  return std::nullopt;
}

}  // namespace

std::string Request::Cookie(std::string_view name) const {
  // HTTP/1.1 clients send one Cookie header, but a proxy may have split it.
  for (const auto& [header, value] : headers) {
    if (header != "cookie") continue;
    if (auto found = CookieValue(value, name)) return std::string(*found);
  }
  return "";
}

std::string_view Request::Header(std::string_view lower_name) const {
  for (const auto& [name, value] : headers) {
    if (name == lower_name) return value;
  }
  return {};
}

std::optional<std::string> Request::Query(const std::string& name) const {
  auto it = query.find(name);
  if (it == query.end()) return std::nullopt;
  return it->second;
}

boost::json::value Request::Json() const {
  if (detail::MediaType(Header("content-type")) != "application/json") {
    throw Failure({"request.unsupported_media_type",
                   "send the request body as JSON with 'Content-Type: application/json'", 415});
  }
  return Must(ParseStrictJson(body));
}

Response Response::Json(const boost::json::value& v, int status) {
  Response r;
  r.status = status;
  r.body = json_util::Serialize(v);
  return r;
}

Response Response::Problem(const Error& e, const Request& req) {
  // A problem is an error by definition; a Failure carrying another status is a bug upstream.
  int status = e.status >= 400 && e.status <= 599 ? e.status : 500;
  boost::json::object doc{
      {"type", "/problems/" + e.code},
      {"title", detail::ReasonPhrase(status)},
      {"status", status},
      {"detail", e.message},
      {"instance", req.path},
      {"code", e.code},
      {"request_id", req.request_id},
  };
  Response r = Json(doc, status);
  r.content_type = "application/problem+json";
  return r;
}

}  // namespace pdh::http
