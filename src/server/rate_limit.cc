// Token buckets for the server's rate limits.
#include "server/rate_limit.h"

#include <algorithm>
#include <cmath>

namespace pdh::http::detail {
namespace {

using Duration = std::chrono::steady_clock::duration;

// How often a shard that gets new keys drops the buckets it no longer needs, so that memory
// follows the clients active lately rather than max_keys.
constexpr Duration kSweepInterval = std::chrono::minutes(1);

double Seconds(Duration d) {
  return std::chrono::duration<double>(d).count();
}

}  // namespace

RateLimiter::RateLimiter(Limits limits, SteadyNow now)
    : limits_(limits),
      now_(std::move(now)),
      shard_capacity_(std::max<size_t>(1, limits.max_keys / kShards)) {
  limits_.burst = std::max(1.0, limits_.burst);
}

size_t RateLimiter::ShardIndex(std::string_view key) {
  return std::hash<std::string_view>{}(key) % kShards;
}

std::optional<Duration> RateLimiter::Take(std::string_view key) {
  if (!enabled()) return std::nullopt;
  SteadyTime now = now_();
  Shard& shard = shards_[ShardIndex(key)];
  std::lock_guard lock(shard.mutex);
  auto it = shard.buckets.find(key);
  if (it == shard.buckets.end()) {
    bool sweep_due = now - shard.last_sweep >= kSweepInterval;
    if (shard.buckets.size() >= shard_capacity_ || sweep_due) Evict(shard, now);
    it = shard.buckets.emplace(std::string(key), Bucket{limits_.burst, now}).first;
  }
  Bucket& b = it->second;
  b.tokens = Refilled(b, now);
  // Threads read the clock before taking the lock, so `now` may trail `b.last` a little.
  b.last = std::max(b.last, now);
  if (b.tokens >= 1) {
    b.tokens -= 1;
    return std::nullopt;
  }
  return std::chrono::ceil<Duration>(std::chrono::duration<double>((1 - b.tokens) / limits_.rate));
}

double RateLimiter::Refilled(const Bucket& b, SteadyTime now) const {
  double elapsed = std::max(0.0, Seconds(now - b.last));
  return std::min(limits_.burst, b.tokens + elapsed * limits_.rate);
}

void RateLimiter::Evict(Shard& shard, SteadyTime now) const {
  shard.last_sweep = now;
  // A refilled bucket is the same as a new one, so dropping it changes no answer.
  std::erase_if(shard.buckets, [&](const auto& entry) {
    const Bucket& b = entry.second;
    return Refilled(b, now) >= limits_.burst || now - b.last >= limits_.max_idle;
  });
  if (shard.buckets.size() < shard_capacity_) return;
  auto oldest = std::ranges::min_element(
      shard.buckets, [](const auto& x, const auto& y) { return x.second.last < y.second.last; });
  shard.buckets.erase(oldest);
}

size_t RateLimiter::size() const {
  size_t n = 0;
  for (const Shard& shard : shards_) {
    std::lock_guard lock(shard.mutex);
    n += shard.buckets.size();
  }
  return n;
}

long RetryAfterSeconds(Duration wait) {
  return std::max<long>(1, static_cast<long>(std::ceil(Seconds(wait))));
}

}  // namespace pdh::http::detail
