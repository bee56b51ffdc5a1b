// The OpenAPI 3.1 document, built from the route table so it cannot drift from what is served.
#include <algorithm>
#include <set>

#include <boost/json/parse.hpp>

#include "server/http_util.h"
#include "server/server.h"

namespace pdh::http {
namespace {

namespace json = boost::json;

constexpr std::string_view kProblemRef = "#/components/schemas/Problem";
constexpr std::string_view kPublic = "public";
// Any signed-in user may call a route with this permission, so it is never refused with 403
// for want of a role.
constexpr std::string_view kAuthenticated = "authenticated";

json::value Schema(const std::string& text) {
  return text.empty() ? json::value(json::object{}) : json::parse(text);
}

json::object ProblemResponse(std::string description) {
  return {{"description", std::move(description)},
          {"content", {{"application/problem+json", {{"schema", {{"$ref", kProblemRef}}}}}}}};
}

json::object SuccessResponse(const RouteDoc& doc) {
  json::object response{{"description", detail::ReasonPhrase(doc.success_status)}};
  if (doc.success_status == 204 || doc.success_status == 304) return response;
  std::string schema = doc.response_schema;
  if (schema.empty() && !doc.response_content_type.starts_with("application/json")) {
    schema = R"({"type":"string"})";
  }
  response["content"] = {{doc.response_content_type, {{"schema", Schema(schema)}}}};
  return response;
}

// Path parameters named in the pattern, then the documented ones; a documented path
// parameter overrides the default made from the pattern.
json::array Parameters(const Route& route) {
  std::vector<ParamDoc> params;
  std::string_view rest = route.pattern;
  for (size_t open; (open = rest.find('{')) != std::string_view::npos;) {
    size_t close = rest.find('}', open);
    std::string name(rest.substr(open + 1, close - open - 1));
    params.push_back({.name = name, .in = "path", .description = "The " + name + "."});
    rest.remove_prefix(close + 1);
  }
  for (const auto& p : route.doc.params) {
    auto same = [&](const ParamDoc& q) { return q.name == p.name && q.in == p.in; };
    if (auto it = std::ranges::find_if(params, same); it != params.end()) {
      *it = p;
    } else {
      params.push_back(p);
    }
  }
  json::array out;
  for (const auto& p : params) {
    json::object param{{"name", p.name},
                       {"in", p.in},
                       {"required", p.required || p.in == "path"},
                       {"schema", Schema(p.schema)}};
    if (!p.description.empty()) param["description"] = p.description;
    out.push_back(std::move(param));
  }
  return out;
}

// Public routes need nothing; the others a session cookie (the browser) or a bearer token.
json::array Security(const RouteDoc& doc) {
  if (doc.permission == kPublic) return {};
  return {json::object{{"cookieAuth", json::array{}}}, json::object{{"bearerAuth", json::array{}}}};
}

// The refusals authorize gives, saying which permission a route needs.
void AddAccessResponses(const RouteDoc& doc, json::object& responses) {
  if (doc.permission == kPublic) return;
  responses["401"] = ProblemResponse("Unauthorized: sign in, or send a valid bearer token.");
  if (doc.permission == kAuthenticated) return;
  responses["403"] =
      ProblemResponse("Forbidden: the caller lacks the " + doc.permission + " permission.");
}

json::object Operation(const Route& route) {
  const RouteDoc& doc = route.doc;
  std::string summary = doc.summary.empty() ? route.name : doc.summary;
  json::object op{{"operationId", route.name},
                  {"summary", summary},
                  {"description", doc.description.empty() ? summary : doc.description},
                  {"tags", json::array{doc.tag.empty() ? "default" : doc.tag}}};
  if (json::array params = Parameters(route); !params.empty()) op["parameters"] = params;
  if (!doc.request_schema.empty()) {
    op["requestBody"] = {
        {"required", true},
        {"content", {{"application/json", {{"schema", Schema(doc.request_schema)}}}}}};
  }
  json::object responses{{std::to_string(doc.success_status), SuccessResponse(doc)}};
  for (int status : doc.error_statuses) {
    responses[std::to_string(status)] = ProblemResponse(detail::ReasonPhrase(status));
  }
  AddAccessResponses(doc, responses);
  responses["default"] = ProblemResponse("An error, described as an RFC 9457 problem.");
  op["responses"] = std::move(responses);
  op["security"] = Security(doc);
  // The access rule of the route table, so clients and the authorization tests read it.
  op["x-pdh-permission"] = doc.permission;
  if (!doc.scope.empty()) op["x-pdh-scope"] = doc.scope;
  if (doc.stewarded) op["x-pdh-stewarded"] = true;
  return op;
}

json::object ProblemSchema() {
  return json::parse(R"({
    "type": "object",
    "description": "An error as an RFC 9457 problem document.",
    "required": ["type", "title", "status", "code"],
    "properties": {
      "type": {"type": "string", "format": "uri-reference", "description": "/problems/<code>"},
      "title": {"type": "string", "description": "The HTTP status text."},
      "status": {"type": "integer", "description": "The HTTP status."},
      "detail": {"type": "string", "description": "What is wrong and what to do about it."},
      "instance": {"type": "string", "description": "The request path."},
      "code": {"type": "string", "description": "Stable machine-readable error code."},
      "request_id": {"type": "string", "description": "The X-Request-Id of the request."}
    }
  })")
      .as_object();
}

json::object SecuritySchemes() {
  return {
      {"cookieAuth",
       {{"type", "apiKey"},
        {"in", "cookie"},
        {"name", "pdh_session"},
        {"description", "The session cookie set by signing in (the web app)."}}},
      {"bearerAuth",
       {{"type", "http"},
        {"scheme", "bearer"},
        {"description", "An API token in 'Authorization: Bearer <token>' (scripts)."}}},
  };
}

}  // namespace

json::value OpenApiDocument(const Router& router, std::string_view version) {
  json::object paths;
  std::set<std::string> tags;
  for (const Route& route : router.routes()) {
    json::value& item = paths[route.pattern];
    if (!item.is_object()) item = json::object{};
    item.as_object()[detail::AsciiLower(route.method)] = Operation(route);
    tags.insert(route.doc.tag.empty() ? "default" : route.doc.tag);
  }
  json::array tag_list;
  for (const auto& tag : tags) {
    auto described = router.tag_descriptions().find(tag);
    std::string description = described != router.tag_descriptions().end()
                                  ? described->second
                                  : "The " + tag + " endpoints.";
    tag_list.push_back({{"name", tag}, {"description", description}});
  }
  return json::object{
      {"openapi", "3.1.0"},
      {"info",
       {{"title", "pdh — Provincial Data Hub API"},
        {"version", version},
        {"description",
         "The HTTP API of pdh, the Provincial Data Hub: the data a province collects and the "
         "figures its operations dashboard shows. Errors are RFC 9457 problem documents "
         "with a stable `code`."},
        {"contact", {{"name", "pdh — Provincial Data Hub"}}},
        {"license",
         {{"name", "Apache-2.0"}, {"url", "https://www.apache.org/licenses/LICENSE-2.0"}}}}},
      {"servers", json::array{{{"url", "/"}, {"description", "This server."}}}},
      {"tags", std::move(tag_list)},
      {"paths", std::move(paths)},
      {"components",
       {{"schemas", {{"Problem", ProblemSchema()}}}, {"securitySchemes", SecuritySchemes()}}},
  };
}

}  // namespace pdh::http
