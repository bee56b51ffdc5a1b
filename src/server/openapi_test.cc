// The OpenAPI document's structure, built from a route table.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "server/server.h"

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
       .error_statuses = {404}});
  r.Add("POST", "/api/v1/units", "units.create", noop,
        {.summary = "Create a unit",
         .tag = "units",
         .request_schema = R"({"type":"object","required":["code"]})",
         .success_status = 201,
         .error_statuses = {400, 409, 422}});
  r.Add("DELETE", "/api/v1/units/{code}", "units.delete", noop,
        {.summary = "Delete a unit", .tag = "units", .success_status = 204});
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

}  // namespace
}  // namespace pdh::http
