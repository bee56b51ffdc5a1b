// The Prometheus exposition: families, labels, cumulative buckets, and promtool's verdict.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "server/metrics.h"
#include "server/test_support.h"

namespace pdh::http::detail {
namespace {

bool Contains(const std::string& text, std::string_view line) {
  return text.find(std::string(line) + "\n") != std::string::npos;
}

TEST(Metrics, CountsRequestsAndDurations) {
  Metrics m({"units.get", "healthz"}, "1.2.3");
  m.Observe("units.get", "GET", 200, 0.0003);
  m.Observe("units.get", "GET", 200, 0.02);
  m.Observe("units.get", "GET", 404, 20);
  m.Observe("nonsense", "BREW", 405, 0.001);
  m.ConnectionOpened();
  m.ConnectionOpened();
  m.ConnectionClosed();
  std::string text = m.Render();
  EXPECT_TRUE(Contains(text, "# TYPE pdh_http_requests_total counter"));
  EXPECT_TRUE(
      Contains(text, R"(pdh_http_requests_total{route="units.get",method="GET",status="200"} 2)"));
  EXPECT_TRUE(
      Contains(text, R"(pdh_http_requests_total{route="units.get",method="GET",status="404"} 1)"));
  EXPECT_TRUE(Contains(
      text, R"(pdh_http_requests_total{route="unmatched",method="OTHER",status="405"} 1)"));
  EXPECT_TRUE(Contains(text, "# TYPE pdh_http_request_duration_seconds histogram"));
  EXPECT_TRUE(Contains(
      text, R"(pdh_http_request_duration_seconds_bucket{route="units.get",le="0.0005"} 1)"));
  EXPECT_TRUE(Contains(
      text, R"(pdh_http_request_duration_seconds_bucket{route="units.get",le="0.025"} 2)"));
  EXPECT_TRUE(
      Contains(text, R"(pdh_http_request_duration_seconds_bucket{route="units.get",le="10"} 2)"));
  EXPECT_TRUE(
      Contains(text, R"(pdh_http_request_duration_seconds_bucket{route="units.get",le="+Inf"} 3)"));
  EXPECT_TRUE(Contains(text, R"(pdh_http_request_duration_seconds_count{route="units.get"} 3)"));
  EXPECT_TRUE(Contains(
      text, R"(pdh_http_request_duration_seconds_bucket{route="unmatched",le="0.001"} 1)"));
  EXPECT_TRUE(Contains(text, R"(pdh_http_request_duration_seconds_count{route="healthz"} 0)"));
  EXPECT_TRUE(Contains(text, "pdh_http_connections_open 1"));
  EXPECT_TRUE(Contains(text, R"(pdh_build_info{version="1.2.3"} 1)"));
}

TEST(Metrics, EscapesLabelValues) {
  Metrics m({}, "a\"b\\c\nd");
  EXPECT_TRUE(Contains(m.Render(), R"(pdh_build_info{version="a\"b\\c\nd"} 1)"));
}

TEST(Metrics, PassesPromtool) {
  if (!std::filesystem::exists("/usr/bin/promtool")) GTEST_SKIP() << "no promtool";
  Metrics m({"units.get"}, "0.1.0");
  m.Observe("units.get", "GET", 200, 0.004);
  m.Observe("", "POST", 404, 0.2);
  int status = 0;
  const std::string output = testing::PromtoolCheck(m.Render(), status);
  EXPECT_EQ(status, 0) << output;
  EXPECT_EQ(output, "") << output;
}

}  // namespace
}  // namespace pdh::http::detail
