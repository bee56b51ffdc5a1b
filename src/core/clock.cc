// ISO-8601 UTC timestamps.
#include "core/clock.h"

#include <cstdio>

namespace pdh {

std::string FormatTime(TimePoint t, bool millis) {
  using namespace std::chrono;
  const auto day = floor<days>(t);
  const year_month_day ymd(day);
  const hh_mm_ss hms(floor<milliseconds>(t - day));
  char buf[40];
  if (millis) {
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02ld:%02ld:%02ldZ",
                  static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                  static_cast<unsigned>(ymd.day()), static_cast<long>(hms.hours().count()),
                  static_cast<long>(hms.minutes().count()),
                  static_cast<long>(hms.seconds().count()));
    std::string s(buf);
    char ms[8];
    std::snprintf(ms, sizeof ms, ".%03ld", static_cast<long>(hms.subseconds().count()));
    s.insert(s.size() - 1, ms);
    return s;
  }
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02ld:%02ld:%02ldZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<long>(hms.hours().count()), static_cast<long>(hms.minutes().count()),
                static_cast<long>(hms.seconds().count()));
  return buf;
}

std::optional<TimePoint> ParseTime(std::string_view s) {
  using namespace std::chrono;
  int y = 0;
  unsigned mo = 0, d = 0, h = 0, mi = 0, se = 0, ms = 0;
  char tail[8] = {};
  const std::string str(s);
  int n = std::sscanf(str.c_str(), "%4d-%2u-%2uT%2u:%2u:%2u.%3u%1s", &y, &mo, &d, &h, &mi, &se, &ms,
                      tail);
  if (n == 8 && tail[0] == 'Z' && str.size() == 24) {
    // with milliseconds
  } else {
    ms = 0;
    n = std::sscanf(str.c_str(), "%4d-%2u-%2uT%2u:%2u:%2u%1s", &y, &mo, &d, &h, &mi, &se, tail);
    if (n != 7 || tail[0] != 'Z' || str.size() != 20) return std::nullopt;
  }
  const year_month_day ymd{year(y), month(mo), day(d)};
  if (!ymd.ok() || h > 23 || mi > 59 || se > 60) return std::nullopt;
  return sys_days(ymd) + hours(h) + minutes(mi) + seconds(se) + milliseconds(ms);
}

}  // namespace pdh
