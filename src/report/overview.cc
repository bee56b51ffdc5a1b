// The IOC overview: the figures of the province's monthly report as of a date.
#include <algorithm>
#include <boost/json.hpp>
#include <cmath>

#include "report/report.h"

namespace pdh::report {
namespace json = boost::json;

json::value Num(std::optional<double> v) {
  if (!v || !std::isfinite(*v)) return nullptr;
  // Figures as people read them: no more than 6 decimals of noise, whole numbers as integers.
  const double r = std::round(*v * 1e6) / 1e6;
  if (r == std::floor(r) && std::fabs(r) < 9e15) return static_cast<int64_t>(r);
  return r;
}

json::array Trend(const engine::Snapshot& s, const engine::Indicator& ind, const std::string& unit,
                  const engine::Period& upto, int n) {
  json::array out;
  for (int k = n - 1; k >= 0; --k) {
    const engine::Period p = upto.Shift(-k);
    if (auto v = s.Value(ind.code, unit, p)) out.push_back({{"period", p.Id()}, {"value", Num(v)}});
  }
  return out;
}

namespace {

json::object Part(const char* key, const char* label, const char* label_en, double value) {
  return {{"key", key}, {"label", label}, {"label_en", label_en}, {"value", value}};
}

json::object Figure(const char* key, const char* group, const char* label, const char* label_en,
                    json::value value, const char* href) {
  return {{"key", key},           {"group", group},         {"label", label},
          {"label_en", label_en}, {"value", value},         {"measure", ""},
          {"total", nullptr},     {"parts", json::array()}, {"target", nullptr},
          {"status", "none"},     {"trend", json::array()}, {"indicator", nullptr},
          {"href", href}};
}

double Rate2(int64_t part, int64_t total) {
  return total == 0
             ? 0
             : std::round(10000.0 * static_cast<double>(part) / static_cast<double>(total)) / 100;
}

}  // namespace

Result<json::object> Overview(const Sources& sources, Date as_of) {
  const engine::Snapshot& snap = sources.snapshot;
  json::array figures;
  // The Resolution 57 register.
  auto summary = sources.tracker.SummaryAsOf(as_of);
  if (!summary) return Fail(summary.error());
  const tracker::Summary& tracker = *summary;
  auto level = [&](const char* name) {
    auto it = tracker.by_level.find(name);
    return it == tracker.by_level.end() ? tracker::Group{} : it->second;
  };
  {
    const auto central = level("central").tasks;
    json::object f = Figure("nq57_tasks", "nq57", "Nhiệm vụ Nghị quyết 57 được giao",
                            "Resolution 57 tasks assigned", central.total, "/nq57");
    f["parts"] = json::array{
        Part("completed", "Hoàn thành", "Completed", static_cast<double>(central.completed)),
        Part("in_progress", "Đang thực hiện", "In progress",
             static_cast<double>(central.total - central.completed))};
    figures.push_back(std::move(f));
    const auto province = level("province");
    json::object t = Figure("ubnd_targets", "nq57", "Chỉ tiêu UBND tỉnh giao",
                            "Targets set by the People's Committee", province.targets.total,
                            "/nq57/tasks?level=province&kind=target");
    t["parts"] = json::array{Part("completed", "Hoàn thành", "Completed",
                                  static_cast<double>(province.targets.completed))};
    t["percent"] = province.targets.completion_rate;
    t["measure"] = "chỉ tiêu";
    figures.push_back(std::move(t));
    json::object k = Figure("ubnd_tasks", "nq57", "Nhiệm vụ UBND tỉnh giao",
                            "Tasks set by the People's Committee", province.tasks.total,
                            "/nq57/tasks?level=province&kind=task");
    k["parts"] = json::array{Part("completed", "Hoàn thành", "Completed",
                                  static_cast<double>(province.tasks.completed))};
    k["percent"] = province.tasks.completion_rate;
    k["measure"] = "nhiệm vụ";
    figures.push_back(std::move(k));
  }
  // The catalog.
  {
    auto catalog = sources.catalog.SummaryAsOf(as_of);
    if (!catalog) return Fail(catalog.error());
    const auto& c = catalog->total;
    figures.push_back(Figure("platforms", "catalog", "Nền tảng số dùng chung",
                             "Digital platforms consolidated", c.platforms,
                             "/catalog?kind=platform"));
    json::object d = Figure("databases", "catalog", "Cơ sở dữ liệu chuyên ngành",
                            "Specialized databases", c.databases, "/catalog?kind=database");
    d["parts"] = json::array{
        Part("in_use", "Đang sử dụng", "In use", static_cast<double>(c.databases_in_use)),
        Part("merged", "Đã hợp nhất", "Merged", static_cast<double>(c.databases_merged)),
        Part("not_merged", "Chưa hợp nhất", "Not merged",
             static_cast<double>(c.databases_not_merged)),
        Part("under_construction", "Đang xây dựng", "Under construction",
             static_cast<double>(c.databases_under_construction))};
    figures.push_back(std::move(d));
    json::object ind = Figure("indicators_updated", "indicators", "Chỉ tiêu IOC được cập nhật",
                              "IOC indicators updated", 0, "/freshness");
    int64_t total = 0;
    int64_t updated = 0;
    for (const auto& f : engine::IndicatorFreshness(snap, as_of)) {
      ++total;
      updated += f.updated ? 1 : 0;
    }
    ind["value"] = updated;
    ind["total"] = total;
    ind["percent"] = Rate2(updated, total);
    figures.push_back(std::move(ind));
    json::object n =
        Figure("national_databases", "catalog", "CSDL quốc gia kết nối qua nền tảng chia sẻ",
               "National databases connected", c.national_connected, "/catalog?kind=national");
    n["total"] = c.national;
    figures.push_back(std::move(n));
  }
  // Indicators: the year so far, with their trend and target.
  const engine::Period month = engine::Period::Containing(as_of, engine::PeriodKind::kMonth);
  const std::string& province = snap.province().code;
  auto indicator = [&](const char* key, const char* group, const char* code, bool ytd) {
    const auto* ind = snap.set().FindIndicator(code);
    if (!ind) return;
    // The latest month with a value up to the as-of date (its year so far for rates).
    std::optional<engine::Period> last = engine::LatestPeriod(snap, *ind, province, as_of);
    engine::Period shown = last ? (ytd ? last->Ytd() : *last) : month;
    const auto v = snap.Value(code, province, shown);
    const auto target = engine::TargetFor(*ind, province, shown.year, province);
    json::object f = Figure(key, group, ind->name.c_str(), ind->name_en.c_str(), Num(v),
                            ("/indicators/" + std::string(code)).c_str());
    f["measure"] = ind->measure;
    f["period"] = shown.Id();
    f["target"] = Num(target);
    f["status"] = engine::LightName(engine::Judge(*ind, v, target));
    f["trend"] = Trend(snap, *ind, province, last.value_or(month), 12);
    // The same period a year before, for the comparison a reader expects beside a trend.
    const engine::Period year_before{shown.kind, shown.year - 1, shown.n};
    f["last_year"] = json::object{{"period", year_before.Id()},
                                  {"value", Num(snap.Value(code, province, year_before))}};
    f["indicator"] = code;
    figures.push_back(std::move(f));
  };
  indicator("online_submission", "public_services", "DVC_TRUC_TUYEN", true);
  indicator("online_payment", "public_services", "DVC_THANH_TOAN_TT", true);
  indicator("digitized", "public_services", "DVC_SO_HOA", true);
  indicator("satisfaction", "public_services", "DVC_HAI_LONG", true);
  indicator("feedback_on_time", "feedback", "PA_DUNG_HAN_TL", true);
  indicator("app_installs", "enterprises", "APP_INSTALLS", false);
  indicator("st_enterprises", "enterprises", "DN_KHCN", false);
  indicator("startups", "enterprises", "DN_KHOI_NGHIEP", false);
  indicator("digital_enterprises", "enterprises", "DN_CNS", false);
  // The digital enterprises' employees go with them.
  for (auto& f : figures) {
    auto& o = f.as_object();
    if (o["key"] != "digital_enterprises") continue;
    const auto* emp = snap.set().FindIndicator("DN_CNS_LAO_DONG");
    if (!emp) break;
    std::optional<engine::Period> last = engine::LatestPeriod(snap, *emp, province, as_of);
    const auto v = last ? snap.Value(emp->code, province, *last) : std::nullopt;
    if (v) o["parts"] = json::array{Part("employees", "Lao động", "Employees", *v)};
  }
  const units::Unit& p = snap.province();
  return json::object{
      {"as_of", as_of.ToString()},
      {"province",
       json::object{{"code", p.code}, {"name", p.name}, {"level", units::LevelName(p.level)}}},
      {"figures", std::move(figures)}};
}

}  // namespace pdh::report
