// The scenario runner: every tests/scenarios/**/*.test file is a list of HTTP exchanges with
// their expected answers, run in order against a real `pdh serve`. The format is described in
// tests/README.md; in short:
//
//   @server NAME [optimized] (optional, first line: a server of its own, see below)
//   ### a title              (optional, one per exchange)
//   POST /api/v1/units       (the request line; {{name}} is a value captured earlier)
//   As: officer 25459        (optional: as an account of this role and unit, or "anonymous")
//   Content-Type: application/json   (optional request headers)
//                            (blank line, then the request body, or "< PATH" for a file's bytes)
//   ----
//   422 unit.not_editable    (expected status, or "4xx"; optionally the problem's code)
//   Content-Type: application/problem+json   (optional expected headers; '*' is a wildcard)
//   ~ a fragment             (optional: the body contains this text)
//   {{id}} = $.items[0].id   (optional: capture a value of the JSON answer for later requests)
//                            (blank line, then optional expected JSON: a subset match)
//   ====                     (between exchanges)
//
// Every failure is reported at the scenario file's line of the exchange (or of the expectation).
// The files run after the C++ suites, each file's exchanges in order, files in path order. A file
// starting with "@server NAME" runs against a server of that name with a demo database of its
// own, started on first use and shared by the files that name it; the others share the suite's
// server. "optimized" runs that server on the optimized pdh (FastPdhBin), for a file whose
// subject is a long computation its module's tests run sanitized (the consolidation of the
// demo's registers: 58 s on a loaded machine under ASan; the quality scoreboard's evaluations;
// the indicators and evaluations rebuilt after each change of the units).
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>

#include "integration/pdh_server.h"

namespace pdh::test {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

struct ScenarioStep {
  std::string title;
  size_t line = 0;  // of the request line
  std::string method;
  std::string target;
  std::string as;  // "" (the administrator), "anonymous", or "ROLE [UNIT]"
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string body_file;  // "< PATH", relative to the source directory
  size_t status_line = 0;
  std::string status;  // "200" or "4xx"
  std::string code;    // the problem's code, when given
  std::vector<std::pair<std::string, std::string>> expected_headers;  // lower-case names
  std::vector<std::pair<std::string, size_t>> fragments;              // text, line
  std::vector<std::pair<std::string, std::string>> captures;          // name, path
  std::string expected_body;
  size_t body_line = 0;
};

struct ScenarioFile {
  std::string server;      // "" for the shared server
  bool optimized = false;  // that server runs the optimized pdh
  std::vector<ScenarioStep> exchanges;
  std::string error;  // a format error, with its line
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

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string Trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

bool IsCapture(const std::string& l) {
  return l.starts_with("{{") && l.find("}} =") != std::string::npos;
}

ScenarioFile Parse(const std::string& text) {
  ScenarioFile out;
  auto lines = SplitLines(text);
  size_t i = 0;
  auto skip_blank = [&] {
    while (i < lines.size() && Trim(lines[i]).empty()) ++i;
  };
  auto fail = [&](const std::string& why) {
    out.error = "line " + std::to_string(i + 1) + ": " + why;
    return out;
  };
  skip_blank();
  if (i < lines.size() && lines[i].starts_with("@server ")) {
    std::istringstream words(lines[i++].substr(8));
    std::string option;
    words >> out.server >> option;
    out.optimized = option == "optimized";
    if (!option.empty() && !out.optimized) return fail("@server NAME takes only \"optimized\"");
  }
  while (true) {
    skip_blank();
    // Comments between exchanges.
    while (i < lines.size() && (lines[i].starts_with("# ") || lines[i] == "#")) {
      ++i;
      skip_blank();
    }
    if (i >= lines.size()) break;
    ScenarioStep ex;
    if (lines[i].starts_with("###")) ex.title = Trim(lines[i++].substr(3));
    skip_blank();
    if (i >= lines.size()) return fail("a title without a request");
    ex.line = i + 1;
    std::istringstream first(lines[i++]);
    first >> ex.method >> ex.target;
    if (ex.method.empty() || ex.target.empty()) return fail("expected \"METHOD /target\"");
    for (; i < lines.size() && !lines[i].empty() && lines[i] != "----"; ++i) {
      const auto colon = lines[i].find(':');
      if (colon == std::string::npos) return fail("expected a header \"Name: value\"");
      const std::string name = Trim(lines[i].substr(0, colon));
      const std::string value = Trim(lines[i].substr(colon + 1));
      if (Lower(name) == "as") {
        ex.as = value;
      } else {
        ex.headers.emplace_back(name, value);
      }
    }
    if (i < lines.size() && lines[i].empty()) ++i;
    std::string body;
    for (; i < lines.size() && lines[i] != "----"; ++i) body += lines[i] + "\n";
    if (i >= lines.size()) return fail("no \"----\" after the request");
    while (body.ends_with("\n\n")) body.pop_back();  // blank lines before "----"
    if (body.starts_with("< ") && std::count(body.begin(), body.end(), '\n') == 1) {
      ex.body_file = Trim(body.substr(2, body.size() - 3));
    } else {
      ex.body = body;
    }
    ++i;  // ----
    if (i >= lines.size()) return fail("no expected status");
    ex.status_line = i + 1;
    {
      std::istringstream status(lines[i++]);
      status >> ex.status >> ex.code;
      if (ex.status.size() != 3) return fail("expected a status such as 200 or 4xx");
    }
    bool in_body = false;
    for (; i < lines.size() && lines[i] != "===="; ++i) {
      const std::string& l = lines[i];
      if (l.starts_with("~ ")) {
        ex.fragments.emplace_back(l.substr(2), i + 1);
      } else if (IsCapture(l)) {
        const auto end = l.find("}} =");
        ex.captures.emplace_back(l.substr(2, end - 2), Trim(l.substr(end + 4)));
      } else if (!in_body && l.empty()) {
        in_body = true;
      } else if (!in_body) {
        const auto colon = l.find(':');
        if (colon == std::string::npos) return fail("expected a header \"Name: value\"");
        ex.expected_headers.emplace_back(Lower(Trim(l.substr(0, colon))),
                                         Trim(l.substr(colon + 1)));
      } else {
        if (ex.body_line == 0 && !Trim(l).empty()) ex.body_line = i + 1;
        ex.expected_body += l + "\n";
      }
    }
    if (i < lines.size()) ++i;  // ====
    out.exchanges.push_back(std::move(ex));
  }
  return out;
}

// `pattern` with '*' matching any run of characters.
bool Glob(const std::string& pattern, const std::string& text) {
  size_t p = 0, t = 0, star = std::string::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (p < pattern.size() && pattern[p] == text[t]) {
      ++p;
      ++t;
    } else if (star != std::string::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

// "OP N" with OP one of < <= > >= ==; whether `actual` satisfies it (nullopt: not such a form).
std::optional<bool> Compare(const std::string& spec, double actual) {
  static const char* kOps[] = {"<=", ">=", "<", ">", "=="};
  for (const char* op : kOps) {
    const std::string o(op);
    if (!spec.starts_with(o + " ")) continue;
    double n = 0;
    try {
      n = std::stod(spec.substr(o.size() + 1));
    } catch (const std::exception&) {
      return std::nullopt;
    }
    if (o == "<=") return actual <= n;
    if (o == ">=") return actual >= n;
    if (o == "<") return actual < n;
    if (o == ">") return actual > n;
    return actual == n;
  }
  return std::nullopt;
}

std::string Show(const json::value& v) {
  std::string s = json::serialize(v);
  return s.size() > 200 ? s.substr(0, 200) + "…" : s;
}

// The string matchers of the expected JSON (see tests/README.md); nullopt when `e` is a plain
// string to be compared as it is.
std::optional<std::string> MatchSpecial(const std::string& e, const json::value& actual,
                                        const std::string& path) {
  auto fail = [&](const std::string& want) {
    return path + ": expected " + want + ", got " + Show(actual);
  };
  if (e == "*") return "";
  if (e.starts_with("length ")) {
    size_t n = 0;
    if (actual.is_array()) {
      n = actual.as_array().size();
    } else if (actual.is_object()) {
      n = actual.as_object().size();
    } else if (actual.is_string()) {
      n = actual.as_string().size();
    } else {
      return fail("something with a " + e);
    }
    std::string spec = e.substr(7);
    if (!spec.empty() && std::isdigit(static_cast<unsigned char>(spec[0]))) spec = "== " + spec;
    auto ok = Compare(spec, static_cast<double>(n));
    if (!ok) return fail("a valid \"" + e + "\"");
    return *ok ? "" : path + ": expected " + e + ", got length " + std::to_string(n);
  }
  for (const char* op : {"<= ", ">= ", "< ", "> "}) {
    if (!e.starts_with(op)) continue;
    if (!actual.is_number()) return fail("a number " + e);
    auto ok = Compare(e, actual.to_number<double>());
    if (!ok) return fail("a valid \"" + e + "\"");
    return *ok ? "" : fail(e);
  }
  if (e.starts_with("between ")) {
    std::istringstream in(e.substr(8));
    double lo = 0, hi = 0;
    std::string word;
    if (!(in >> lo >> word >> hi) || word != "and") return fail("a valid \"" + e + "\"");
    if (!actual.is_number()) return fail("a number " + e);
    const double x = actual.to_number<double>();
    return x >= lo && x <= hi ? "" : fail(e);
  }
  if (e.starts_with("starts with ")) {
    if (actual.is_string() && actual.as_string().starts_with(e.substr(12))) return "";
    return fail("a string that " + e);
  }
  if (e.starts_with("contains ")) {
    if (actual.is_string() &&
        std::string(actual.as_string()).find(e.substr(9)) != std::string::npos) {
      return "";
    }
    return fail("a string that " + e);
  }
  if (e.starts_with("not ")) {
    const std::string other = e.substr(4);
    const std::string got =
        actual.is_string() ? std::string(actual.as_string()) : json::serialize(actual);
    return got != other ? "" : fail(e);
  }
  if (e.starts_with("a ") || e.starts_with("an ")) {
    const std::string kind = e.substr(e.find(' ') + 1);
    bool ok = false;
    if (kind == "string")
      ok = actual.is_string();
    else if (kind == "number")
      ok = actual.is_number();
    else if (kind == "boolean")
      ok = actual.is_bool();
    else if (kind == "array")
      ok = actual.is_array();
    else if (kind == "object")
      ok = actual.is_object();
    else
      return std::nullopt;
    return ok ? "" : fail(e);
  }
  return std::nullopt;
}

// Returns "" when `actual` matches `expected`, else where and why it does not.
std::string Match(const json::value& expected, const json::value& actual, const std::string& path) {
  if (expected.is_string()) {
    if (auto m = MatchSpecial(std::string(expected.as_string()), actual, path)) return *m;
  }
  if (expected.is_object()) {
    if (!actual.is_object()) return path + ": expected an object, got " + Show(actual);
    for (const auto& kv : expected.as_object()) {
      const auto* a = actual.as_object().if_contains(kv.key());
      if (!a) return path + "." + std::string(kv.key()) + ": missing";
      if (auto m = Match(kv.value(), *a, path + "." + std::string(kv.key())); !m.empty()) return m;
    }
    return "";
  }
  if (expected.is_array()) {
    if (!actual.is_array()) return path + ": expected an array, got " + Show(actual);
    const auto& e = expected.as_array();
    const auto& a = actual.as_array();
    if (!e.empty() && e.front().is_string() && e.front().as_string() == "...") {
      // ["...", X, Y]: elements matching X and Y, anywhere.
      for (size_t k = 1; k < e.size(); ++k) {
        const bool found = std::any_of(
            a.begin(), a.end(), [&](const json::value& x) { return Match(e[k], x, path).empty(); });
        if (!found) return path + ": no element matches " + Show(e[k]);
      }
      return "";
    }
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
               : path + ": expected " + json::serialize(expected) + ", got " + Show(actual);
  }
  return expected == actual
             ? ""
             : path + ": expected " + json::serialize(expected) + ", got " + Show(actual);
}

// The value at `path` ("$", "$.a.b", "$.items[0].code") of `v`, if there.
const json::value* At(const json::value& v, const std::string& path) {
  if (!path.starts_with("$")) return nullptr;
  const json::value* cur = &v;
  size_t i = 1;
  while (i < path.size() && cur) {
    if (path[i] == '.') {
      const size_t end = path.find_first_of(".[", i + 1);
      const std::string key = path.substr(i + 1, end == std::string::npos ? end : end - i - 1);
      cur = cur->is_object() ? cur->as_object().if_contains(key) : nullptr;
      i = end == std::string::npos ? path.size() : end;
    } else if (path[i] == '[') {
      const size_t end = path.find(']', i);
      if (end == std::string::npos) return nullptr;
      const size_t k = std::stoul(path.substr(i + 1, end - i - 1));
      cur = cur->is_array() && k < cur->as_array().size() ? &cur->as_array()[k] : nullptr;
      i = end + 1;
    } else {
      return nullptr;
    }
  }
  return cur;
}

// Replaces each {{name}} by its captured value; names not captured are left as they are and
// listed in `unknown`.
std::string Substitute(const std::string& s, const std::map<std::string, std::string>& vars,
                       std::vector<std::string>* unknown) {
  std::string out;
  size_t i = 0;
  while (true) {
    const size_t b = s.find("{{", i);
    const size_t e = b == std::string::npos ? b : s.find("}}", b);
    if (e == std::string::npos) break;
    const std::string name = s.substr(b + 2, e - b - 2);
    out += s.substr(i, b - i);
    if (auto it = vars.find(name); it != vars.end()) {
      out += it->second;
    } else {
      if (unknown) unknown->push_back(name);
      out += s.substr(b, e + 2 - b);
    }
    i = e + 2;
  }
  return out + s.substr(i);
}

// The servers named by "@server NAME", each with a demo database of its own.
PdhServer& ServerNamed(const std::string& name, bool optimized) {
  if (name.empty()) return SharedServer();
  static std::map<std::string, std::unique_ptr<PdhServer>> servers;
  auto& s = servers[name];
  if (!s) s = std::make_unique<PdhServer>("", optimized ? FastPdhBin() : nullptr);
  return *s;
}

// A token for the account of `role` (and `unit`) that "As: ROLE [UNIT]" names, made on first use
// on each server. The account is named ROLE, or ROLE_UNIT in lower case.
std::string TokenFor(PdhServer& server, const std::string& as, std::string* error) {
  static std::map<std::pair<const PdhServer*, std::string>, std::string> tokens;
  const auto key = std::make_pair(&server, as);
  if (auto it = tokens.find(key); it != tokens.end()) return it->second;
  std::istringstream in(as);
  std::string role, unit;
  in >> role >> unit;
  const std::string name = Lower(unit.empty() ? role : role + "_" + unit);
  const std::string args =
      "users add " + name +
      (role == "system" ? std::string(" --system") : " --password correct-horse-battery-staple") +
      " --role " + role + (unit.empty() ? "" : " --unit " + unit);
  std::string out;
  if (server.Pdh(args, &out) != 0) {
    *error = "pdh " + args + ": " + out;
    return "";
  }
  if (server.Pdh("tokens create --name scenarios --user " + name, &out) != 0) {
    *error = "pdh tokens create --user " + name + ": " + out;
    return "";
  }
  return tokens[key] = out.substr(0, out.find('\n'));
}

std::string ReadFile(const std::string& path, bool* ok) {
  std::ifstream in(path, std::ios::binary);
  *ok = static_cast<bool>(in);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class Scenario : public ::testing::TestWithParam<std::string> {};

TEST_P(Scenario, Runs) {
  const std::string& file = GetParam();
  bool ok = false;
  const ScenarioFile scenario = Parse(ReadFile(file, &ok));
  ASSERT_TRUE(ok) << "cannot read " << file;
  ASSERT_TRUE(scenario.error.empty()) << file << ": " << scenario.error;
  ASSERT_FALSE(scenario.exchanges.empty()) << "no exchanges in " << file;
  PdhServer& server = ServerNamed(scenario.server, scenario.optimized);
  std::map<std::string, std::string> vars;
  for (const auto& ex : scenario.exchanges) {
    const std::string what = ex.method + " " + ex.target + (ex.title.empty() ? "" : " (") +
                             ex.title + (ex.title.empty() ? "" : ")");
    auto report = [&](size_t line, const std::string& message) {
      ADD_FAILURE_AT(file.c_str(), static_cast<int>(line)) << what << ": " << message;
    };
    std::vector<std::string> unknown;
    auto sub = [&](const std::string& s) { return Substitute(s, vars, &unknown); };

    HttpRequest request{ex.method, sub(ex.target), sub(ex.body), {}};
    // A body that is one {{name}} is that value exactly (an export sent back, say).
    if (const std::string b = Trim(ex.body.substr(0, ex.body.find_last_not_of('\n') + 1));
        b.starts_with("{{") && b.ends_with("}}") && b.find("{{", 2) == std::string::npos) {
      request.body = sub(b);
    }
    for (const auto& [name, value] : ex.headers) request.headers.emplace_back(name, sub(value));
    if (!ex.body_file.empty()) {
      bool read = false;
      request.body = ReadFile(std::string(PDH_SOURCE_DIR) + "/" + sub(ex.body_file), &read);
      if (!read) {
        report(ex.line, "cannot read the body file " + ex.body_file);
        continue;
      }
    }
    if (!unknown.empty()) {
      report(ex.line, "no value captured for {{" + unknown.front() + "}}");
      continue;
    }
    HttpResponse r;
    if (ex.as == "anonymous") {
      r = server.Anonymous(request);
    } else if (!ex.as.empty() && ex.as != "admin") {
      std::string error;
      const std::string token = TokenFor(server, ex.as, &error);
      if (token.empty()) {
        report(ex.line, "As: " + ex.as + ": " + error);
        continue;
      }
      request.headers.emplace_back("Authorization", "Bearer " + token);
      r = server.Request(request);
    } else {
      r = server.Request(request);
    }
    const std::string excerpt = r.body.substr(0, 600);

    const bool status_ok = ex.status.ends_with("xx") ? r.status / 100 == ex.status[0] - '0'
                                                     : std::to_string(r.status) == ex.status;
    if (!status_ok) {
      report(ex.status_line,
             "status " + std::to_string(r.status) + ", expected " + ex.status + "\n" + excerpt);
    }
    json::value actual;
    bool is_json = false;
    try {
      actual = json::parse(r.body);
      is_json = true;
    } catch (const std::exception&) {
    }
    for (const auto& [name, path] : ex.captures) {
      if (path == "body") {
        vars[name] = r.body;
        continue;
      }
      if (path.starts_with("header ")) {
        vars[name] = r.Header(Lower(Trim(path.substr(7))));
        continue;
      }
      const json::value* v = is_json ? At(actual, path) : nullptr;
      if (!v) {
        report(ex.status_line, "nothing at " + path + " to capture as {{" + name + "}}");
        continue;
      }
      vars[name] = v->is_string() ? std::string(v->as_string()) : json::serialize(*v);
    }
    if (!ex.code.empty()) {
      const json::value* code = is_json ? At(actual, "$.code") : nullptr;
      if (!code || !code->is_string() || code->as_string() != sub(ex.code)) {
        report(ex.status_line, "code " + (code ? json::serialize(*code) : std::string("missing")) +
                                   ", expected " + ex.code + "\n" + excerpt);
      }
    }
    for (const auto& [name, value] : ex.expected_headers) {
      const std::string want = sub(value);
      if (!Glob(want, r.Header(name))) {
        report(ex.status_line,
               "header " + name + ": \"" + r.Header(name) + "\", expected \"" + want + "\"");
      }
    }
    for (const auto& [text, line] : ex.fragments) {
      const std::string want = sub(text);
      if (r.body.find(want) == std::string::npos) {
        report(line, "the body does not contain \"" + want + "\"\n" + excerpt);
      }
    }
    if (Trim(ex.expected_body).find_first_not_of(" \n") != std::string::npos) {
      json::value expected;
      try {
        expected = json::parse(sub(ex.expected_body));
      } catch (const std::exception& e) {
        report(ex.body_line, std::string("the expected JSON does not parse: ") + e.what());
        continue;
      }
      if (!is_json) {
        report(ex.body_line, "the response is not JSON: " + excerpt);
      } else if (auto m = Match(expected, actual, "$"); !m.empty()) {
        report(ex.body_line, m);
      }
    }
    if (!unknown.empty())
      report(ex.status_line, "no value captured for {{" + unknown.front() + "}}");
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
