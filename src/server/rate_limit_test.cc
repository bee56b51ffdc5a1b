// Token buckets with a clock moved by hand: refill, burst cap, Retry-After, memory bound.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "server/rate_limit.h"

namespace pdh::http::detail {
namespace {

using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

// A steady clock that moves only when told to.
class StepClock {
 public:
  SteadyNow Reader() {
    return [this] { return now_; };
  }
  void Advance(std::chrono::steady_clock::duration d) { now_ += d; }

 private:
  SteadyTime now_ = SteadyTime() + std::chrono::hours(1);
};

// How many tokens `key` yields right now.
int Drain(RateLimiter& limiter, std::string_view key) {
  int n = 0;
  while (!limiter.Take(key) && n < 1000) ++n;
  return n;
}

TEST(RateLimiter, BurstThenRefillAtTheRate) {
  StepClock clock;
  RateLimiter limiter({.rate = 2, .burst = 3}, clock.Reader());
  EXPECT_EQ(Drain(limiter, "a"), 3);
  auto wait = limiter.Take("a");
  ASSERT_TRUE(wait);
  EXPECT_EQ(*wait, milliseconds(500));  // one token at 2 a second
  clock.Advance(milliseconds(250));
  EXPECT_EQ(*limiter.Take("a"), milliseconds(250));  // half a token has come back
  clock.Advance(milliseconds(250));
  EXPECT_FALSE(limiter.Take("a"));
  EXPECT_TRUE(limiter.Take("a"));
  clock.Advance(seconds(60));  // refills to the burst, not beyond
  EXPECT_EQ(Drain(limiter, "a"), 3);
}

TEST(RateLimiter, KeysHaveTheirOwnBuckets) {
  StepClock clock;
  RateLimiter limiter({.rate = 1, .burst = 2}, clock.Reader());
  EXPECT_EQ(Drain(limiter, "a"), 2);
  EXPECT_EQ(Drain(limiter, "b"), 2);
  EXPECT_TRUE(limiter.Take("a"));
}

TEST(RateLimiter, DisabledAndTinyBursts) {
  StepClock clock;
  RateLimiter off({.rate = 0, .burst = 5}, clock.Reader());
  EXPECT_FALSE(off.enabled());
  EXPECT_EQ(Drain(off, "a"), 1000);
  EXPECT_EQ(off.size(), 0u);
  RateLimiter tiny({.rate = 0.1, .burst = 0.2}, clock.Reader());  // a burst below 1 counts as 1
  EXPECT_EQ(Drain(tiny, "a"), 1);
  EXPECT_EQ(*tiny.Take("a"), seconds(10));
}

TEST(RateLimiter, RetryAfterIsWholeSecondsAtLeastOne) {
  EXPECT_EQ(RetryAfterSeconds(milliseconds(1)), 1);
  EXPECT_EQ(RetryAfterSeconds(milliseconds(0)), 1);
  EXPECT_EQ(RetryAfterSeconds(milliseconds(1000)), 1);
  EXPECT_EQ(RetryAfterSeconds(milliseconds(1001)), 2);
  EXPECT_EQ(RetryAfterSeconds(seconds(10)), 10);
}

TEST(RateLimiter, MemoryIsBounded) {
  StepClock clock;
  RateLimiter limiter({.rate = 1, .burst = 5, .max_keys = 64}, clock.Reader());
  for (int i = 0; i < 10'000; ++i) limiter.Take("key" + std::to_string(i));
  EXPECT_LE(limiter.size(), 64u);
  EXPECT_GT(limiter.size(), 0u);
}

TEST(RateLimiter, ForgetsRefilledBuckets) {
  StepClock clock;
  RateLimiter limiter({.rate = 1, .burst = 1}, clock.Reader());
  for (int i = 0; i < 500; ++i) limiter.Take("old" + std::to_string(i));
  EXPECT_EQ(limiter.size(), 500u);
  clock.Advance(seconds(61));  // all full again, so the next sweep drops them
  for (int i = 0; i < 1000; ++i) limiter.Take("new" + std::to_string(i));
  EXPECT_EQ(limiter.size(), 1000u);
}

TEST(RateLimiter, ForgetsBucketsIdleTenMinutes) {
  StepClock clock;
  RateLimiter limiter({.rate = 0.001, .burst = 1}, clock.Reader());
  for (int i = 0; i < 500; ++i) limiter.Take("old" + std::to_string(i));
  clock.Advance(minutes(11));  // 0.66 of a token back: not full, but idle too long
  for (int i = 0; i < 1000; ++i) limiter.Take("new" + std::to_string(i));
  EXPECT_EQ(limiter.size(), 1000u);
}

TEST(RateLimiter, AClientStillAskingIsNotForgottenUnderPressure) {
  StepClock clock;
  RateLimiter limiter({.rate = 0.01, .burst = 1, .max_keys = 64}, clock.Reader());
  EXPECT_FALSE(limiter.Take("busy"));
  int refused = 0;
  for (int i = 0; i < 1000; ++i) {
    limiter.Take("other" + std::to_string(i));
    if (limiter.Take("busy")) ++refused;
  }
  EXPECT_EQ(refused, 1000);
  EXPECT_LE(limiter.size(), 64u);
}

TEST(RateLimiter, ConcurrentTakesNeverExceedTheBurst) {
  StepClock clock;
  RateLimiter limiter({.rate = 1, .burst = 1000}, clock.Reader());
  std::atomic<int> granted = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 500; ++i) {
        if (!limiter.Take("shared")) ++granted;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(granted, 1000);
}

}  // namespace
}  // namespace pdh::http::detail
