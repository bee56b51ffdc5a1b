// The scenario runner: every tests/scenarios/**/*.test file is a list of HTTP exchanges with
// their expected answers, run against the shared server. Format (see tests/README.md):
//
//   ### a title (optional, one per exchange)
//   GET /api/v1/units/25459
//   Header: value            (optional request headers)
//                            (blank line, then an optional request body)
//   ----
//   200                      (expected status)
//   Header: value            (optional expected headers, exact)
//                            (blank line, then optional expected JSON: a subset match)
//
// Exchanges are separated by a line "====". In the expected JSON, objects match when every
// expected key matches; arrays must have the same length unless their last element is "...",
// which matches any remaining elements; the string "*" matches any value.
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

struct Exchange {
  std::string title;
  HttpRequest request;
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string expected_body;
  size_t line = 0;
};

std::vector<std::string> SplitLines(const std::string& s) {
  std::vector<std::string> lines;
  std::istringstream in(s);
  std::string l;
  while (std::getline(in, l)) {
    if (!l.empty() && l.back() == '\r') l.pop_back();
    lines.push_back(l);
  }
  return lines;
}

std::vector<Exchange> Parse(const std::string& text) {
  std::vector<Exchange> out;
  auto lines = SplitLines(text);
  size_t i = 0;
  auto skip_blank = [&] {
    while (i < lines.size() && lines[i].empty()) ++i;
  };
  while (true) {
    skip_blank();
    if (i >= lines.size()) break;
    Exchange ex;
    ex.line = i + 1;
    if (lines[i].rfind("###", 0) == 0) ex.title = lines[i++].substr(3);
    skip_blank();
    std::istringstream first(lines[i++]);
    first >> ex.request.method >> ex.request.target;
    for (; i < lines.size() && !lines[i].empty() && lines[i] != "----"; ++i) {
      auto colon = lines[i].find(':');
      ex.request.headers.emplace_back(lines[i].substr(0, colon), lines[i].substr(colon + 2));
    }
    for (; i < lines.size() && lines[i] != "----"; ++i) ex.request.body += lines[i] + "\n";
    ++i;  // ----
    ex.status = std::stoi(lines.at(i++));
    for (; i < lines.size() && !lines[i].empty() && lines[i] != "===="; ++i) {
      auto colon = lines[i].find(':');
      std::string name = lines[i].substr(0, colon);
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      ex.headers.emplace_back(name, lines[i].substr(colon + 2));
    }
    for (; i < lines.size() && lines[i] != "===="; ++i) ex.expected_body += lines[i] + "\n";
    if (i < lines.size()) ++i;  // ====
    out.push_back(std::move(ex));
  }
  return out;
}

// Returns "" when `actual` matches `expected`, else where and why it does not.
std::string Match(const json::value& expected, const json::value& actual, const std::string& path) {
  if (expected.is_string() && expected.as_string() == "*") return "";
  if (expected.is_object()) {
    if (!actual.is_object()) return path + ": expected an object";
    for (const auto& kv : expected.as_object()) {
      const auto* a = actual.as_object().if_contains(kv.key());
      if (!a) return path + "." + std::string(kv.key()) + ": missing";
      if (auto m = Match(kv.value(), *a, path + "." + std::string(kv.key())); !m.empty()) return m;
    }
    return "";
  }
  if (expected.is_array()) {
    if (!actual.is_array()) return path + ": expected an array";
    const auto& e = expected.as_array();
    const auto& a = actual.as_array();
    const bool open = !e.empty() && e.back().is_string() && e.back().as_string() == "...";
    const size_t n = open ? e.size() - 1 : e.size();
    if (open ? a.size() < n : a.size() != n) {
      return path + ": expected " + std::to_string(n) + (open ? "+" : "") + " elements, got " +
             std::to_string(a.size());
    }
    for (size_t k = 0; k < n; ++k) {
      if (auto m = Match(e[k], a[k], path + "[" + std::to_string(k) + "]"); !m.empty()) return m;
    }
    return "";
  }
  if (expected.is_number() && actual.is_number()) {
    return expected.to_number<double>() == actual.to_number<double>()
               ? ""
               : path + ": expected " + json::serialize(expected) + ", got " +
                     json::serialize(actual);
  }
  return expected == actual ? ""
                            : path + ": expected " + json::serialize(expected) + ", got " +
                                  json::serialize(actual);
}

class Scenario : public ::testing::TestWithParam<std::string> {};

TEST_P(Scenario, Runs) {
  std::ifstream in(GetParam());
  std::stringstream ss;
  ss << in.rdbuf();
  auto exchanges = Parse(ss.str());
  ASSERT_FALSE(exchanges.empty()) << "no exchanges in " << GetParam();
  for (const auto& ex : exchanges) {
    SCOPED_TRACE(GetParam() + ":" + std::to_string(ex.line) + ex.title);
    auto r = SharedServer().Request(ex.request);
    EXPECT_EQ(r.status, ex.status) << r.body;
    for (const auto& [name, value] : ex.headers) EXPECT_EQ(r.Header(name), value) << name;
    if (ex.expected_body.find_first_not_of(" \n") == std::string::npos) continue;
    json::value expected = json::parse(ex.expected_body);
    json::value actual;
    try {
      actual = json::parse(r.body);
    } catch (const std::exception& e) {
      ADD_FAILURE() << "response is not JSON: " << r.body;
      continue;
    }
    EXPECT_EQ(Match(expected, actual, "$"), "");
  }
}

std::vector<std::string> ScenarioFiles() {
  std::vector<std::string> files;
  for (const auto& e :
       fs::recursive_directory_iterator(std::string(PDH_SOURCE_DIR) + "/tests/scenarios")) {
    if (e.path().extension() == ".test") files.push_back(e.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

INSTANTIATE_TEST_SUITE_P(Files, Scenario, ::testing::ValuesIn(ScenarioFiles()),
                         [](const auto& param_info) {
                           std::string name =
                               fs::path(param_info.param).parent_path().filename().string() + "_" +
                               fs::path(param_info.param).stem().string();
                           for (auto& c : name) {
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return name;
                         });

}  // namespace
}  // namespace pdh::test
