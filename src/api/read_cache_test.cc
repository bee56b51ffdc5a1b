// The read cache on its own: kept per key and data state, only 200s, the least recently used
// going first past the size limit.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <utility>

#include "api/api.h"

namespace pdh::api {
namespace {

http::Response Answer(std::string body, int status = 200) {
  http::Response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

TEST(ReadCacheTest, KeptUntilTheDataStateChanges) {
  ReadCache cache;
  int computed = 0;
  auto compute = [&computed] { return Answer("answer " + std::to_string(++computed)); };
  const DataState s1{1, 7, 0, "2026-12-06"};
  EXPECT_EQ(cache.Get("k", s1, compute).Body(), "answer 1");
  EXPECT_EQ(cache.Get("k", s1, compute).Body(), "answer 1");
  const http::Response kept = cache.Get("k", s1, compute);
  ASSERT_FALSE(kept.headers.empty());
  EXPECT_EQ(kept.headers.back().first, "ETag");
  EXPECT_EQ(kept.headers.back().second, http::EtagOf("answer 1"));
  // Each part of the state counts: the store, the engine, the units, the day.
  EXPECT_EQ(cache.Get("k", {2, 7, 0, "2026-12-06"}, compute).Body(), "answer 2");
  EXPECT_EQ(cache.Get("k", {2, 8, 0, "2026-12-06"}, compute).Body(), "answer 3");
  EXPECT_EQ(cache.Get("k", {2, 8, 1, "2026-12-06"}, compute).Body(), "answer 4");
  EXPECT_EQ(cache.Get("k", {2, 8, 1, "2026-12-07"}, compute).Body(), "answer 5");
  EXPECT_EQ(cache.Get("other", {2, 8, 1, "2026-12-07"}, compute).Body(), "answer 6");
  const ReadCacheStats stats = cache.stats();
  EXPECT_EQ(stats.hits, 2u);
  EXPECT_EQ(stats.misses, 6u);
  EXPECT_EQ(stats.entries, 2u);
}

TEST(ReadCacheTest, OnlySuccessfulAnswersAreKept) {
  ReadCache cache;
  int computed = 0;
  auto refused = [&computed] {
    ++computed;
    return Answer("{}", 404);
  };
  const DataState s{1, 1, 0, "2026-12-06"};
  EXPECT_EQ(cache.Get("k", s, refused).status, 404);
  EXPECT_EQ(cache.Get("k", s, refused).status, 404);
  EXPECT_EQ(computed, 2);
  EXPECT_EQ(cache.stats().entries, 0u);
  // A failure ends the request and keeps nothing.
  EXPECT_THROW(cache.Get("k", s, []() -> http::Response { throw std::runtime_error("no"); }),
               std::runtime_error);
  EXPECT_EQ(cache.stats().entries, 0u);
}

TEST(ReadCacheTest, TheLeastRecentlyUsedGoFirst) {
  ReadCache cache(64 * 1024);  // room for a few 3 kB answers
  const DataState s{1, 1, 0, "2026-12-06"};
  const std::string body(3000, 'x');
  int computed = 0;
  auto compute = [&] {
    ++computed;
    return Answer(body);
  };
  for (int i = 0; i < 40; ++i) cache.Get("k" + std::to_string(i), s, compute);
  EXPECT_EQ(computed, 40);
  const ReadCacheStats stats = cache.stats();
  EXPECT_LE(stats.bytes, size_t{64 * 1024});
  EXPECT_LT(stats.entries, 40u);
  // The newest is still there; the first went long ago.
  cache.Get("k39", s, compute);
  EXPECT_EQ(computed, 40);
  cache.Get("k0", s, compute);
  EXPECT_EQ(computed, 41);
}

TEST(ReadCacheTest, KeysTellQueriesAndReadersApart) {
  http::Route route;
  route.name = "values.get";
  http::Request a;
  a.path = "/api/v1/values";
  a.query = {{"indicator", "X"}, {"unit", "80"}};
  http::Request b = a;
  b.query = {{"indicator", "X80"}, {"unit", ""}};  // the same characters, split otherwise
  EXPECT_NE(ReadCache::Key(a, route, "leader"), ReadCache::Key(b, route, "leader"));
  EXPECT_NE(ReadCache::Key(a, route, "leader"), ReadCache::Key(a, route, "officer 80.SYT"));
  EXPECT_EQ(ReadCache::Key(a, route, "leader"), ReadCache::Key(a, route, "leader"));
}

}  // namespace
}  // namespace pdh::api
