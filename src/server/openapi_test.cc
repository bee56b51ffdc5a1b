// The OpenAPI document's structure, built from a route table, and Spectral's verdict on it.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "server/server.h"
#include "server/test_support.h"

namespace pdh::http {
namespace {

namespace json = boost::json;

Router SampleRouter() {
  Router r;
  Handler noop = [](Request&) { return Response{}; };
  r.Add(
      "GET", "/api/v1/units/{code}", "units.get", noop,
      {.summary = "One unit",
       .tag = "units",
       .params = {{.name = "lang", .description = "Language", .schema = R"({"enum":["vi","en"]})"}},
       .response_schema = R"({"type":"object"})",
       .error_statuses = {404},
       .permission = "units.read"});
  r.Add("POST", "/api/v1/units", "units.create", noop,
        {.summary = "Create a unit",
         .tag = "units",
         .request_schema = R"({"type":"object","required":["code"]})",
         .success_status = 201,
         .error_statuses = {400, 401, 409, 422},
         .permission = "units.write"});
  r.Add("DELETE", "/api/v1/units/{code}", "units.delete", noop,
        {.summary = "Delete a unit", .tag = "units", .success_status = 204});
  r.Add("GET", "/api/v1/version", "version", noop,
        {.summary = "The version", .tag = "units", .permission = "public"});
  r.DescribeTag("units", "Administrative units.");
  return r;
}

TEST(OpenApi, TopLevel) {
  json::value doc = OpenApiDocument(SampleRouter(), "1.2.3");
  EXPECT_EQ(doc.at("openapi"), "3.1.0");
  EXPECT_EQ(doc.at("info").at("title"), "pdh — Provincial Data Hub API");
  EXPECT_EQ(doc.at("info").at("version"), "1.2.3");
  EXPECT_TRUE(doc.at("info").at("license").at("name").is_string());
  EXPECT_EQ(doc.at("servers"), json::parse(R"([{"url":"/","description":"This server."}])"));
  EXPECT_EQ(doc.at("tags"),
            json::parse(R"([{"name":"units","description":"Administrative units."}])"));
  EXPECT_EQ(doc.at("components").at("schemas").at("Problem").at("type"), "object");
}

TEST(OpenApi, OperationsFromRoutes) {
  json::value doc = OpenApiDocument(SampleRouter(), "1");
  const json::value& item = doc.at("paths").at("/api/v1/units/{code}");
  const json::value& get = item.at("get");
  EXPECT_EQ(get.at("operationId"), "units.get");
  EXPECT_EQ(get.at("summary"), "One unit");
  EXPECT_EQ(get.at("description"), "One unit");
  EXPECT_EQ(get.at("tags"), json::parse(R"(["units"])"));
  EXPECT_EQ(get.at("parameters"), json::parse(R"([
      {"name":"code","in":"path","required":true,"schema":{"type":"string"},"description":"The code."},
      {"name":"lang","in":"query","required":false,"schema":{"enum":["vi","en"]},"description":"Language"}])"));
  EXPECT_EQ(get.at("responses").at("200").at("content").at("application/json").at("schema"),
            json::parse(R"({"type":"object"})"));
  EXPECT_EQ(get.at("responses").at("404").at("content").at("application/problem+json"),
            json::parse(R"({"schema":{"$ref":"#/components/schemas/Problem"}})"));
  EXPECT_TRUE(get.at("responses").as_object().contains("default"));
  EXPECT_FALSE(get.as_object().contains("requestBody"));
  EXPECT_FALSE(item.at("delete").at("responses").at("204").as_object().contains("content"));

  const json::value& post = doc.at("paths").at("/api/v1/units").at("post");
  EXPECT_EQ(post.at("requestBody").at("content").at("application/json").at("schema"),
            json::parse(R"({"type":"object","required":["code"]})"));
  EXPECT_EQ(post.at("requestBody").at("required"), true);
  for (std::string status : {"201", "400", "409", "422", "default"}) {
    EXPECT_TRUE(post.at("responses").as_object().contains(status)) << status;
  }
}

TEST(OpenApi, TextResponses) {
  Router r;
  RouteDoc doc{.summary = "Metrics", .tag = "operations"};
  doc.response_content_type = "text/plain";
  r.Add(
      "GET", "/metrics", "metrics", [](Request&) { return Response{}; }, doc);
  json::value d = OpenApiDocument(r, "1");
  EXPECT_EQ(d.at("paths").at("/metrics").at("get").at("responses").at("200").at("content"),
            json::parse(R"({"text/plain":{"schema":{"type":"string"}}})"));
}

TEST(OpenApi, SecurityFollowsThePermission) {
  json::value doc = OpenApiDocument(SampleRouter(), "1");
  json::value signed_in = json::parse(R"([{"cookieAuth":[]},{"bearerAuth":[]}])");
  const json::value& paths = doc.at("paths");
  const json::value& get = paths.at("/api/v1/units/{code}").at("get");
  EXPECT_EQ(get.at("security"), signed_in);
  EXPECT_EQ(get.at("responses").at("401").at("description"),
            "Unauthorized: sign in, or send a valid bearer token.");
  EXPECT_EQ(get.at("responses").at("403").at("description"),
            "Forbidden: the caller lacks the units.read permission.");
  // Documented by the route too: the specific description wins.
  EXPECT_EQ(paths.at("/api/v1/units").at("post").at("responses").at("401").at("description"),
            "Unauthorized: sign in, or send a valid bearer token.");
  // The default permission, "authenticated", needs a session but no role.
  const json::value& del = paths.at("/api/v1/units/{code}").at("delete");
  EXPECT_EQ(del.at("security"), signed_in);
  EXPECT_TRUE(del.at("responses").as_object().contains("401"));
  EXPECT_FALSE(del.at("responses").as_object().contains("403"));
  const json::value& open = paths.at("/api/v1/version").at("get");
  EXPECT_EQ(open.at("security"), json::array{});
  EXPECT_FALSE(open.at("responses").as_object().contains("401"));

  EXPECT_EQ(doc.at("components").at("securitySchemes").at("cookieAuth"),
            json::parse(R"({"type":"apiKey","in":"cookie","name":"pdh_session",
                "description":"The session cookie set by signing in (the web app)."})"));
  EXPECT_EQ(doc.at("components").at("securitySchemes").at("bearerAuth").at("scheme"), "bearer");
}

// Runs `command`, returning its exit status and what it printed.
std::pair<int, std::string> RunCommand(const std::string& command) {
  std::FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (!pipe) return {-1, "popen failed"};
  std::string output;
  char buf[512];
  while (size_t n = std::fread(buf, 1, sizeof buf, pipe)) output.append(buf, n);
  return {::pclose(pipe), output};
}

TEST(OpenApi, PassesSpectral) {
  std::filesystem::path spectral = PDH_SOURCE_DIR "/web/node_modules/.bin/spectral";
  if (!std::filesystem::exists(spectral)) GTEST_SKIP() << "no " << spectral;
  testing::TempDir dir;
  dir.Write(".spectral.yaml", "extends: [\"spectral:oas\"]\n");
  // Through a Server, so the built-in routes are linted too.
  ServerOptions options;
  options.access_log = "";
  Server server(options, SampleRouter());
  dir.Write("openapi.json", json::serialize(OpenApiDocument(server.routes(), "1.0.0")));
  auto [status, output] =
      RunCommand(spectral.string() + " lint --ruleset " + (dir.path() / ".spectral.yaml").string() +
                 " --fail-severity=warn " + (dir.path() / "openapi.json").string());
  EXPECT_EQ(status, 0) << output;
}

}  // namespace
}  // namespace pdh::http
