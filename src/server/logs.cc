// The server's JSON-lines logs.
#include "server/logs.h"

#include <ctime>
#include <stdexcept>

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

namespace pdh::http::detail {
namespace {

void WriteLine(std::FILE* file, std::string line) {
  line += '\n';
  std::fwrite(line.data(), 1, line.size(), file);
  std::fflush(file);
}

// Builds one JSON object field by field.
class JsonLine {
 public:
  void Raw(std::string_view name, std::string_view json) {
    out_.append(out_.empty() ? "{" : ",").append(boost::json::serialize(name)).append(":");
    out_.append(json);
  }
  void Text(std::string_view name, std::string_view value) {
    Raw(name, boost::json::serialize(value));
  }
  std::string Close() { return std::move(out_.append("}")); }

 private:
  std::string out_;
};

}  // namespace

std::string IsoUtcMillis(std::chrono::system_clock::time_point t) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(ms % 1000));
  return buf;
}

std::string AccessLogLine(const AccessRecord& r) {
  // Written by hand rather than through json::value so that durations read "1.234", not
  // "1.234E0"; strings still go through the JSON serializer for escaping.
  JsonLine line;
  line.Text("ts", IsoUtcMillis(r.time));
  line.Text("request_id", r.request_id);
  line.Text("remote", r.remote);
  line.Text("method", r.method);
  line.Text("path", r.path);
  if (r.route) {
    line.Text("route", *r.route);
  } else {
    line.Raw("route", "null");
  }
  line.Raw("status", std::to_string(r.status));
  line.Raw("bytes", std::to_string(r.bytes));
  char ms[32];
  std::snprintf(ms, sizeof ms, "%.3f", r.duration_ms);
  line.Raw("duration_ms", ms);
  line.Text("user_agent", r.user_agent);
  return line.Close();
}

AccessLog::AccessLog(const std::string& target) {
  if (target.empty()) return;
  if (target == "-") {
    file_ = stderr;
    return;
  }
  file_ = std::fopen(target.c_str(), "a");
  if (!file_) throw std::runtime_error("cannot open the access log " + target);
  owned_ = true;
}

AccessLog::~AccessLog() {
  if (owned_) std::fclose(file_);
}

void AccessLog::Write(const AccessRecord& r) {
  if (!file_) return;
  std::string line = AccessLogLine(r);
  std::lock_guard lock(mutex_);
  WriteLine(file_, std::move(line));
}

std::string ExceptionText(const std::exception_ptr& e) {
  if (!e) return "";
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& ex) {
    return ex.what();
  } catch (...) {
    return "an exception not derived from std::exception";
  }
}

void LogError(std::string_view request_id, std::string_view message) {
  boost::json::object line{{"ts", IsoUtcMillis(std::chrono::system_clock::now())},
                           {"level", "error"},
                           {"request_id", request_id},
                           {"message", message}};
  // stderr is unbuffered and each line goes out in one write, so no lock is needed.
  WriteLine(stderr, boost::json::serialize(line));
}

}  // namespace pdh::http::detail
