// Token-bucket rate limiting keyed by client address or credential. Private to src/server.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace pdh::http::detail {

using SteadyTime = std::chrono::steady_clock::time_point;
// Where the limiter reads the time; tests pass a clock they move by hand.
using SteadyNow = std::function<SteadyTime()>;

// One bucket per key: it holds up to `burst` tokens, refills at `rate` tokens a second, and
// each request takes one. Thread-safe: keys are spread over shards, each with its own mutex.
// Memory is bounded: once a minute, and whenever it holds its share of `max_keys`, a shard
// taking a new key drops the buckets that have refilled (forgetting them loses nothing) and
// those idle longer than `max_idle`; if still full, it drops its least recently used one.
class RateLimiter {
 public:
  struct Limits {
    double rate = 0;   // tokens a second; 0 (or less) disables the limiter
    double burst = 0;  // bucket size; below 1 counts as 1
    size_t max_keys = 100'000;
    std::chrono::steady_clock::duration max_idle = std::chrono::minutes(10);
  };

  explicit RateLimiter(Limits limits, SteadyNow now = &std::chrono::steady_clock::now);

  bool enabled() const { return limits_.rate > 0; }
  // Takes a token from `key`'s bucket: nullopt when there was one, else how long until there
  // is. Always nullopt when disabled.
  std::optional<std::chrono::steady_clock::duration> Take(std::string_view key);
  // Buckets held, for tests of the memory bound.
  size_t size() const;

 private:
  struct Bucket {
    double tokens = 0;
    SteadyTime last;  // when `tokens` was last brought up to date
  };
  // Lets find() take a string_view without building a std::string per request.
  struct KeyHash {
    using is_transparent = void;
    size_t operator()(std::string_view key) const { return std::hash<std::string_view>{}(key); }
  };
  struct Shard {
    mutable std::mutex mutex;
    std::unordered_map<std::string, Bucket, KeyHash, std::equal_to<>> buckets;
    SteadyTime last_sweep;
  };
  static constexpr size_t kShards = 16;

  static size_t ShardIndex(std::string_view key);
  // The tokens `b` holds at `now`.
  double Refilled(const Bucket& b, SteadyTime now) const;
  // Drops what `shard` no longer needs, and more if it is still full; the caller holds its
  // mutex.
  void Evict(Shard& shard, SteadyTime now) const;

  Limits limits_;
  SteadyNow now_;
  size_t shard_capacity_;
  std::array<Shard, kShards> shards_;
};

// The Retry-After value for a wait: whole seconds, rounded up, at least 1.
long RetryAfterSeconds(std::chrono::steady_clock::duration wait);

}  // namespace pdh::http::detail
