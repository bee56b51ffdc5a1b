// Quality alerts in words, and as messages for the notification outbox.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "quality/quality.h"

namespace pdh::quality {

double AlertThreshold(store::SettingsStore& settings) {
  if (auto s = settings.GetSetting("quality.alert_below"); s && *s) {
    char* end = nullptr;
    const double v = std::strtod((*s)->c_str(), &end);
    if (end != (*s)->c_str()) return v;
  }
  return 80;
}

AlertText Describe(const Alert& a) {
  if (a.kind == "quality_low") {
    char score[32];
    std::snprintf(score, sizeof score, "%.1f", a.score);
    std::string vn = score;
    for (char& c : vn) {
      if (c == '.') c = ',';
    }
    return {"Điểm chất lượng dữ liệu " + vn + "/100, dưới ngưỡng",
            "Data quality score " + std::string(score) + "/100, below the threshold"};
  }
  if (a.kind == "unit_silent") {
    return {"Không còn gửi dữ liệu " + a.dataset + ": \"" + a.title + "\" mới không đạt",
            "No longer sends " + a.dataset + " data: \"" + a.title + "\" newly failing"};
  }
  return {"Kiểm tra \"" + a.title + "\" của " + a.dataset + " mới không đạt (" +
              std::to_string(a.failed) + " lỗi)",
          "Check \"" + a.title + "\" of " + a.dataset + " newly failing (" +
              std::to_string(a.failed) + ")"};
}

std::vector<notify::Message> Messages(const std::vector<Alert>& alerts,
                                      const units::Registry& registry, Date as_of) {
  std::vector<notify::Message> out;
  out.reserve(alerts.size());
  for (const auto& a : alerts) {
    if (a.unit.empty()) continue;  // rows naming no unit: nobody to tell
    const auto* unit = registry.Find(a.unit, as_of);
    const std::string name = unit ? unit->name : a.unit;
    const AlertText text = Describe(a);
    notify::Message m;
    m.kind = "quality_" + (a.kind == "quality_low" ? std::string("low") : a.kind);
    m.key = a.kind + ":" + (a.dataset.empty() ? "" : a.dataset + "." + a.check + ":") + a.unit +
            ":" + a.month;
    m.unit = a.unit;
    m.subject = "[pdh] Chất lượng dữ liệu tháng " + a.month + " — " + name;
    m.body = name + ", tháng " + a.month + ":\n" + text.vi;
    m.body +=
        ".\n\nXem bảng xếp hạng chất lượng dữ liệu và các dòng lỗi trên pdh (Chất lượng dữ liệu).";
    m.body += "\n\n";
    m.body += name;
    m.body += ", ";
    m.body += a.month;
    m.body += ": ";
    m.body += text.en;
    m.body += ".";
    m.data = {{"alert", a.kind},
              {"unit", a.unit},
              {"month", a.month},
              {"dataset", a.dataset},
              {"check", a.check},
              {"failed", a.failed},
              {"score", a.kind == "quality_low" ? boost::json::value(a.score) : nullptr}};
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace pdh::quality
