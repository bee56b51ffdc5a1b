// Every JSON endpoint answers each n_*.json of JSONTestSuite with a 4xx problem response and
// stays up. The endpoints are taken from the served OpenAPI document (built from the route
// table), so a new route that takes JSON is covered without touching this test.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "integration/pdh_server.h"

namespace pdh::test {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

struct JsonRoute {
  std::string method;
  std::string target;
};

// Routes with a request body, path parameters filled with a real unit code.
std::vector<JsonRoute> JsonRoutes() {
  auto doc = json::parse(MatrixServer().Get("/api/v1/openapi.json").body);
  std::vector<JsonRoute> out;
  for (const auto& [path, item] : doc.at("paths").as_object()) {
    for (const auto& [method, op] : item.as_object()) {
      if (!op.is_object() || !op.as_object().contains("requestBody")) continue;
      std::string target(path);
      for (size_t b; (b = target.find('{')) != std::string::npos;) {
        target.replace(b, target.find('}', b) - b + 1, "80.SKHCN");
      }
      std::string m(method);
      for (auto& c : m) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      out.push_back({m, target});
    }
  }
  return out;
}

TEST(JsonTestSuite, EveryJsonEndpointRejectsEveryInvalidDocument) {
  const auto routes = JsonRoutes();
  ASSERT_FALSE(routes.empty());
  size_t files = 0;
  for (const auto& e :
       fs::directory_iterator(std::string(PDH_SHARED_DIR) + "/data/testsuites/json-test-suite")) {
    const std::string name = e.path().filename().string();
    if (name.rfind("n_", 0) != 0) continue;
    ++files;
    std::ifstream in(e.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    for (const auto& route : routes) {
      auto r = MatrixServer().Request(
          {route.method, route.target, ss.str(), {{"Content-Type", "application/json"}}});
      EXPECT_GE(r.status, 400) << route.method << " " << route.target << " " << name;
      EXPECT_LT(r.status, 500) << route.method << " " << route.target << " " << name << r.body;
      EXPECT_EQ(r.Header("content-type"), "application/problem+json") << name;
    }
  }
  EXPECT_GT(files, 150u);
  EXPECT_EQ(MatrixServer().Get("/healthz").status, 200);
}

}  // namespace
}  // namespace pdh::test
