// Route matching: literals over parameters, 405 information, duplicates, malformed patterns.
#include <gtest/gtest.h>

#include <stdexcept>

#include "server/server.h"

namespace pdh::http {
namespace {

Handler Noop() {
  return [](Request&) { return Response{}; };
}

TEST(Router, MatchesLiteralAndParameterSegments) {
  Router r;
  r.Add("GET", "/api/v1/units/{code}/children", "units.children", Noop());
  auto m = r.Find("GET", "/api/v1/units/70/children");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->name, "units.children");
  EXPECT_EQ(m.params.at("code"), "70");
  EXPECT_EQ(r.Find("GET", "/api/v1/units/70").route, nullptr);
  EXPECT_EQ(r.Find("GET", "/api/v1/units//children").route, nullptr);  // empty parameter
  EXPECT_EQ(r.Find("GET", "/api/v1/units/70/children/").route, nullptr);
}

TEST(Router, LiteralBeatsParameterWhateverTheOrderOfAdding) {
  Router r;
  r.Add("GET", "/api/v1/units/{code}", "units.get", Noop());
  r.Add("GET", "/api/v1/units/search", "units.search", Noop());
  r.Add("GET", "/api/v1/{kind}/search", "any.search", Noop());
  EXPECT_EQ(r.Find("GET", "/api/v1/units/search").route->name, "units.search");
  EXPECT_EQ(r.Find("GET", "/api/v1/units/70").route->name, "units.get");
  EXPECT_EQ(r.Find("GET", "/api/v1/people/search").route->name, "any.search");
}

TEST(Router, WrongMethodGivesAllowedMethods) {
  Router r;
  r.Add("GET", "/api/v1/units/{code}", "units.get", Noop());
  r.Add("PUT", "/api/v1/units/{code}", "units.put", Noop());
  r.Add("DELETE", "/api/v1/units/{id}", "units.delete", Noop());
  auto m = r.Find("POST", "/api/v1/units/70");
  EXPECT_EQ(m.route, nullptr);
  EXPECT_EQ(m.allowed, (std::vector<std::string>{"DELETE", "GET", "HEAD", "PUT"}));
  EXPECT_TRUE(r.Find("POST", "/nowhere").allowed.empty());
}

TEST(Router, MethodDecidesBetweenOverlappingPatterns) {
  Router r;
  r.Add("GET", "/a/{x}", "get.x", Noop());
  r.Add("POST", "/a/new", "post.new", Noop());
  EXPECT_EQ(r.Find("GET", "/a/new").route->name, "get.x");
  EXPECT_EQ(r.Find("POST", "/a/new").route->name, "post.new");
}

TEST(Router, HeadUsesGetRoute) {
  Router r;
  r.Add("GET", "/healthz", "healthz", Noop());
  auto m = r.Find("HEAD", "/healthz");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->name, "healthz");
}

TEST(Router, RootPattern) {
  Router r;
  r.Add("GET", "/", "root", Noop());
  EXPECT_NE(r.Find("GET", "/").route, nullptr);
  EXPECT_EQ(r.Find("GET", "").route, nullptr);
}

TEST(Router, DuplicateMethodAndPatternThrows) {
  Router r;
  r.Add("GET", "/a/{x}", "one", Noop());
  EXPECT_THROW(r.Add("GET", "/a/{x}", "two", Noop()), std::logic_error);
  EXPECT_THROW(r.Add("GET", "/a/{y}", "three", Noop()), std::logic_error);
  EXPECT_NO_THROW(r.Add("POST", "/a/{x}", "four", Noop()));
  EXPECT_NO_THROW(r.Add("GET", "/a/b", "five", Noop()));
}

TEST(Router, MalformedPatternsThrow) {
  Router r;
  EXPECT_THROW(r.Add("GET", "a/b", "n", Noop()), std::invalid_argument);
  EXPECT_THROW(r.Add("GET", "/a/x{y}", "n", Noop()), std::invalid_argument);
  EXPECT_THROW(r.Add("GET", "/a/{y}/{y}", "n", Noop()), std::invalid_argument);
  EXPECT_THROW(r.Add("GET", "/a/{}", "n", Noop()), std::invalid_argument);
  EXPECT_THROW(r.Add("GET", "/a", "n", Noop(), {.request_schema = "{not json"}),
               std::invalid_argument);
}

}  // namespace
}  // namespace pdh::http
