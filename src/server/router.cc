// Route table: pattern matching with literal and "{param}" segments.
#include <algorithm>
#include <stdexcept>

#include <boost/json/parse.hpp>

#include "server/server.h"

namespace pdh::http {
namespace {

bool IsParam(std::string_view segment) {
  return segment.size() >= 2 && segment.front() == '{' && segment.back() == '}';
}

// Splits "/a/{b}/c" into {"a", "{b}", "c"}; "/" gives {""}.
template <class S>
std::vector<S> SplitPath(std::string_view path) {
  std::vector<S> out;
  path.remove_prefix(1);
  for (;;) {
    size_t slash = path.find('/');
    out.emplace_back(path.substr(0, slash));
    if (slash == std::string_view::npos) return out;
    path.remove_prefix(slash + 1);
  }
}

std::vector<std::string> CompilePattern(const std::string& pattern) {
  if (!pattern.starts_with('/')) {
    throw std::invalid_argument("route pattern must start with '/': " + pattern);
  }
  auto segments = SplitPath<std::string>(pattern);
  std::vector<std::string_view> names;
  for (const auto& s : segments) {
    bool braces = s.find_first_of("{}") != std::string::npos;
    if (braces && !IsParam(s)) {
      throw std::invalid_argument("a route parameter must be a whole segment: " + pattern);
    }
    if (!IsParam(s)) continue;
    std::string_view name = std::string_view(s).substr(1, s.size() - 2);
    if (name.empty() || name.find_first_of("{}") != std::string_view::npos ||
        std::ranges::find(names, name) != names.end()) {
      throw std::invalid_argument("bad or repeated route parameter in " + pattern);
    }
    names.push_back(name);
  }
  return segments;
}

// Same shape: the same literals at the same places, parameter names aside.
bool SameShape(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  return std::ranges::equal(a, b, [](const std::string& x, const std::string& y) {
    return IsParam(x) ? IsParam(y) : x == y;
  });
}

bool Matches(const std::vector<std::string>& pattern, const std::vector<std::string_view>& path) {
  return std::ranges::equal(pattern, path, [](const std::string& p, std::string_view s) {
    return IsParam(p) ? !s.empty() : p == s;
  });
}

// Whether pattern `a` is more specific than `b`: at the first segment where one has a
// literal and the other a parameter, the literal wins.
bool MoreSpecific(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
    if (IsParam(a[i]) != IsParam(b[i])) return !IsParam(a[i]);
  }
  return false;
}

void CheckSchema(const std::string& schema, const std::string& pattern) {
  if (schema.empty()) return;
  boost::system::error_code ec;
  boost::json::parse(schema, ec);
  if (ec) throw std::invalid_argument("schema of route " + pattern + " is not JSON: " + schema);
}

}  // namespace

Route& Router::Named(const std::string& name) {
  auto it = std::find_if(routes_.begin(), routes_.end(),
                         [&name](const Route& r) { return r.name == name; });
  if (it == routes_.end()) throw std::logic_error("no route named " + name);
  return *it;
}

void Router::MarkCached(const std::vector<std::string>& names) {
  for (const auto& name : names) Named(name).doc.cached = true;
}

void Router::MarkTrimmed(const std::vector<std::string>& names) {
  for (const auto& name : names) {
    RouteDoc& doc = Named(name).doc;
    doc.cached = true;
    doc.trimmed = true;
    doc.params.push_back({"fields", "query", "Only these fields of each item, comma-separated"});
    doc.params.push_back({"limit", "query", "A page of at most this many items (1 to 1000)", false,
                          R"({"type":"integer"})"});
    doc.params.push_back({"cursor", "query", "next_cursor of the previous page"});
  }
}

void Router::Add(std::string method, std::string pattern, std::string name, Handler handler,
                 RouteDoc doc) {
  auto segments = CompilePattern(pattern);
  for (size_t i = 0; i < routes_.size(); ++i) {
    if (routes_[i].method == method && SameShape(segments_[i], segments)) {
      std::string what = "duplicate route ";
      what.append(method).append(" ").append(pattern).append(", clashing with ");
      throw std::logic_error(what.append(routes_[i].pattern));
    }
  }
  CheckSchema(doc.request_schema, pattern);
  CheckSchema(doc.response_schema, pattern);
  for (const auto& p : doc.params) CheckSchema(p.schema, pattern);
  routes_.push_back(
      {std::move(method), std::move(pattern), std::move(name), std::move(handler), std::move(doc)});
  segments_.push_back(std::move(segments));
}

Router::Match Router::Find(std::string_view method, std::string_view path) const {
  Match match;
  if (!path.starts_with('/')) return match;
  auto segments = SplitPath<std::string_view>(path);
  std::optional<size_t> best;
  std::vector<std::string> allowed;
  // HEAD is answered by the GET route unless one is registered for HEAD itself.
  for (std::string_view wanted : {method, std::string_view("GET")}) {
    for (size_t i = 0; i < routes_.size(); ++i) {
      if (!Matches(segments_[i], segments)) continue;
      if (routes_[i].method != wanted) {
        allowed.push_back(routes_[i].method);
        continue;
      }
      if (!best || MoreSpecific(segments_[i], segments_[*best])) best = i;
    }
    if (best || method != "HEAD") break;
  }
  if (!best) {
    if (std::ranges::find(allowed, "GET") != allowed.end()) allowed.push_back("HEAD");
    std::ranges::sort(allowed);
    auto [first, last] = std::ranges::unique(allowed);
    allowed.erase(first, last);
    match.allowed = std::move(allowed);
    return match;
  }
  match.route = &routes_[*best];
  const auto& pattern = segments_[*best];
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (IsParam(pattern[i])) {
      match.params.emplace(pattern[i].substr(1, pattern[i].size() - 2), segments[i]);
    }
  }
  return match;
}

}  // namespace pdh::http
