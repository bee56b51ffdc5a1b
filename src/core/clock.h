// Time as pdh sees it: an injectable clock, so expiry rules are tested by moving a clock rather
// than by sleeping, and timestamps as ISO-8601 UTC text ("2025-10-31T08:15:00Z"), which sort.
#pragma once

#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace pdh {

using TimePoint = std::chrono::system_clock::time_point;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  TimePoint Now() const override { return std::chrono::system_clock::now(); }
};

// A clock that only moves when told to (tests). Thread-safe.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(TimePoint start) : now_(start.time_since_epoch().count()) {}
  TimePoint Now() const override { return TimePoint(TimePoint::duration(now_.load())); }
  void Set(TimePoint t) { now_ = t.time_since_epoch().count(); }
  template <class Duration>
  void Advance(Duration d) {
    now_ += std::chrono::duration_cast<TimePoint::duration>(d).count();
  }

 private:
  std::atomic<TimePoint::duration::rep> now_;
};

// "2025-10-31T08:15:00Z" (seconds) or with milliseconds "2025-10-31T08:15:00.123Z".
std::string FormatTime(TimePoint t, bool millis = false);
// Parses what FormatTime writes (with or without milliseconds); nullopt otherwise.
std::optional<TimePoint> ParseTime(std::string_view s);

}  // namespace pdh
