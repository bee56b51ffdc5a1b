#include "api/api.h"

#include <algorithm>
#include <cstddef>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

#include "api/handler_util.h"
#include "core/date.h"
#include "core/json_util.h"

namespace pdh::api {

namespace {

namespace json = boost::json;

// What a kept answer costs beside its body.
constexpr size_t kEntryOverhead = 512;
// Pages of the trimmed lists.
constexpr size_t kPageDefault = 100;
constexpr size_t kPageMax = 1000;

size_t SizeOf(const std::string& key, const http::Response& r) {
  size_t n = key.size() + r.Body().size() + kEntryOverhead;
  for (const auto& [name, value] : r.headers) n += name.size() + value.size();
  return n;
}

void AppendPart(std::string& out, std::string_view part) {
  // Length-prefixed, so that no value can pass for two.
  out += std::to_string(part.size());
  out += ':';
  out += part;
}

// What a reader may see, as the answers of the cached routes depend on it: two readers with the
// same grants (and token restrictions) share answers.
std::string ScopeOf(const http::Request& req) {
  const auth::Principal* p = PrincipalOf(req);
  if (p == nullptr) return "public";
  std::vector<std::string> parts;
  parts.reserve(p->grants.size());
  for (const auto& g : p->grants) {
    std::string part(auth::RoleName(g.role));
    AppendPart(part, g.unit_code);
    part += g.include_descendants ? '+' : '-';
    parts.push_back(std::move(part));
  }
  std::sort(parts.begin(), parts.end());
  std::string scope = p->system ? "system" : "person";
  for (const auto& part : parts) AppendPart(scope, part);
  scope += "|permissions";
  for (const auto& t : p->token_permissions) AppendPart(scope, t);
  scope += "|units";
  for (const auto& t : p->token_units) AppendPart(scope, t);
  return scope;
}

// ?fields=, ?limit= and ?cursor= on a list answer ({"items": [...]}) whose route does not page
// it itself: the items from the cursor on (an offset), at most limit of them, each with only
// the fields named; "next_cursor" says where the next page starts (null on the last).
http::Response PageAndTrim(http::Response r, const http::Request& req) {
  const auto fields = TextParam(req, "fields");
  const bool paged = req.query.contains("limit") || req.query.contains("cursor");
  if ((!fields && !paged) || r.status != 200 || !r.content_type.starts_with("application/json")) {
    return r;
  }
  json::value doc = json::parse(r.Body());
  json::array* items = nullptr;
  if (json::object* o = doc.if_object()) {
    if (json::value* v = o->if_contains("items")) items = v->if_array();
  }
  if (items == nullptr) return r;
  if (paged) {
    const size_t limit = ParseLimit(req, kPageDefault, kPageMax);
    size_t from = 0;
    if (auto c = TextParam(req, "cursor")) {
      auto n = ParseCount(*c);
      if (!n) {
        throw Failure(Error::BadRequest("request.invalid_cursor",
                                        "cursor is the next_cursor of the previous page"));
      }
      from = std::min(*n, items->size());
    }
    const size_t to = std::min(items->size(), from + limit);
    json::array page(items->begin() + static_cast<std::ptrdiff_t>(from),
                     items->begin() + static_cast<std::ptrdiff_t>(to));
    const bool more = to < items->size();
    *items = std::move(page);
    // A new key may move the object's values: `items` is found again after it.
    doc.as_object()["next_cursor"] = more ? json::value(std::to_string(to)) : json::value(nullptr);
    items = &doc.as_object()["items"].as_array();
  }
  if (fields) {
    std::vector<std::string_view> keep;
    for (std::string_view rest = *fields; !rest.empty();) {
      const size_t comma = rest.find(',');
      keep.push_back(rest.substr(0, comma));
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    }
    for (auto& item : *items) {
      json::object* o = item.if_object();
      if (o == nullptr) continue;
      json::object kept;
      for (std::string_view k : keep) {
        if (const json::value* v = o->if_contains(k)) kept[k] = *v;
      }
      *o = std::move(kept);
    }
  }
  r.Share(std::make_shared<const std::string>(json_util::Serialize(doc)));
  return r;
}

}  // namespace

DataState Context::data_state() {
  DataState s;
  s.store = store_.data_generation();
  s.engine = engine_ ? engine_->snapshot().version() : 0;
  s.units = units_loaded_.load();
  s.today = Date::Today().ToString();
  return s;
}

http::Response Around(Context& ctx, http::Request& req, const http::Route& route,
                      const std::function<http::Response()>& handler) {
  const bool read = req.method == "GET" || req.method == "HEAD";
  // Reads of private data are audited one by one: never answered from the cache.
  if (!route.doc.cached || !read || route.doc.permission.ends_with(".read_private")) {
    return AuditedHandler(ctx, req, route, handler);
  }
  // The state first: what commits while the handler runs makes its answer stale at once.
  const DataState state = ctx.data_state();
  return ctx.reads().Get(ReadCache::Key(req, route, ScopeOf(req)), state, [&] {
    http::Response fresh = AuditedHandler(ctx, req, route, handler);
    if (route.doc.trimmed) fresh = PageAndTrim(std::move(fresh), req);
    // Live data: a browser asks again each time, and the ETag makes the answer a 304.
    fresh.headers.emplace_back("Cache-Control", "private, no-cache");
    return fresh;
  });
}

std::string ReadCache::Key(const http::Request& req, const http::Route& route,
                           const std::string& scope) {
  std::string key;
  key.reserve(route.name.size() + req.path.size() + scope.size() + 64);
  AppendPart(key, route.name);
  AppendPart(key, req.path);
  for (const auto& [name, value] : req.query) {  // a std::map: in order of name
    AppendPart(key, name);
    AppendPart(key, value);
  }
  AppendPart(key, scope);
  return key;
}

http::Response ReadCache::Get(const std::string& key, const DataState& state,
                              const std::function<http::Response()>& compute) {
  {
    std::lock_guard lock(mu_);
    if (auto it = entries_.find(key); it != entries_.end() && it->second.state == state) {
      ++hits_;
      order_.splice(order_.end(), order_, it->second.age);
      return *it->second.response;
    }
    ++misses_;
  }
  http::Response answer = compute();
  if (answer.status != 200 || answer.events) return answer;
  bool tagged = false;
  for (const auto& h : answer.headers) tagged = tagged || h.first == "ETag";
  if (!tagged) answer.headers.emplace_back("ETag", http::EtagOf(answer.Body()));
  // The body is shared by the kept answer and every one served from it.
  if (!answer.shared_body)
    answer.Share(std::make_shared<const std::string>(std::move(answer.body)));
  auto kept = std::make_shared<const http::Response>(answer);
  const size_t size = SizeOf(key, *kept);
  if (size > max_bytes_ / 8) return answer;  // one answer never pushes the others out
  std::lock_guard lock(mu_);
  if (auto it = entries_.find(key); it != entries_.end()) {
    bytes_ -= SizeOf(key, *it->second.response);
    order_.erase(it->second.age);
    entries_.erase(it);
  }
  order_.push_back(key);
  entries_.emplace(key, Entry{state, std::move(kept), std::prev(order_.end())});
  bytes_ += size;
  Evict();
  return answer;
}

void ReadCache::Evict() {
  while (bytes_ > max_bytes_ && !order_.empty()) {
    auto it = entries_.find(order_.front());
    bytes_ -= SizeOf(it->first, *it->second.response);
    entries_.erase(it);
    order_.pop_front();
  }
}

ReadCacheStats ReadCache::stats() const {
  std::lock_guard lock(mu_);
  return {hits_, misses_, entries_.size(), bytes_};
}

}  // namespace pdh::api
