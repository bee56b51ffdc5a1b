// The monthly report's content: the overview's figures at the month's end against the month
// before, the units' late and missing reports, overdue tasks, indicators off track, data quality.
#include <algorithm>
#include <boost/json.hpp>
#include <cstdio>
#include <map>
#include <string>
#include <utility>

#include "report/internal.h"
#include "report/report.h"

namespace pdh::report {
namespace json = boost::json;
namespace {

using internal::DateVi;

json::object Column(const char* title, const char* title_en, const char* kind) {
  return {{"title", title}, {"title_en", title_en}, {"kind", kind}};
}

json::object Section(const char* key, const char* title, const char* title_en, std::string note,
                     json::array columns) {
  return {{"key", key},
          {"title", title},
          {"title_en", title_en},
          {"note", std::move(note)},
          {"columns", std::move(columns)},
          {"rows", json::array()}};
}

// "tháng 10/2025"
std::string MonthName(Date d) {
  return "tháng " + std::to_string(d.month) + "/" + std::to_string(d.year);
}

std::string StatusWord(const json::value& status) {
  const std::string s = status.is_string() ? std::string(status.as_string()) : "";
  if (s == "green") return "Đạt";
  if (s == "yellow") return "Gần đạt";
  if (s == "red") return "Chưa đạt";
  return "";
}

const json::value* FigureValue(const json::object* f, std::string_view part) {
  if (f == nullptr) return nullptr;
  if (part.empty()) return f->if_contains("value");
  const auto* parts = f->if_contains("parts");
  if (parts == nullptr || !parts->is_array()) return nullptr;
  for (const auto& p : parts->as_array()) {
    if (internal::Text(p.at("key")) == part) return p.as_object().if_contains("value");
  }
  return nullptr;
}

json::value Copy(const json::value* v) {
  return v != nullptr ? *v : json::value(nullptr);
}

// A row of the summary: the change is the difference of the two values when both are there.
json::array SummaryRow(const std::string& label, json::value before, const json::value& now,
                       const std::string& measure, json::value target,
                       const std::string& assessment) {
  json::value change = nullptr;
  if (before.is_number() && now.is_number()) {
    change = Num(now.to_number<double>() - before.to_number<double>());
  }
  json::array row{label, std::move(before), now, std::move(change), measure};
  row.push_back(std::move(target));
  row.push_back(json::value(assessment));
  return row;
}

// The report's table: each figure of the overview now and a month before, with its parts.
json::object Summary(const json::object& now, const json::object& before, Date as_of,
                     Date previous) {
  json::object s = Section(
      "summary", "Bảng tổng hợp số liệu", "Summary table",
      "Số liệu tính đến ngày " + DateVi(as_of) + ", so với ngày " + DateVi(previous) + ".",
      json::array{
          Column("Nội dung", "Item", "text"),
          Column(("Đến " + DateVi(previous)).c_str(), ("To " + previous.ToString()).c_str(),
                 "number"),
          Column(("Đến " + DateVi(as_of)).c_str(), ("To " + as_of.ToString()).c_str(), "number"),
          Column("Thay đổi", "Change", "change"), Column("Đơn vị tính", "Measure", "text"),
          Column("Mục tiêu", "Target", "number"), Column("Đánh giá", "Assessment", "text")});
  std::map<std::string, const json::object*> old;
  for (const auto& f : before.at("figures").as_array()) {
    old[std::string(f.at("key").as_string())] = &f.as_object();
  }
  auto& rows = s["rows"].as_array();
  for (const auto& fv : now.at("figures").as_array()) {
    const json::object& f = fv.as_object();
    const auto it = old.find(std::string(f.at("key").as_string()));
    const json::object* b = it == old.end() ? nullptr : it->second;
    std::string measure(f.at("measure").as_string());
    std::string label(f.at("label").as_string());
    if (f.at("total").is_number()) {
      label += " (trên tổng số " + json::serialize(f.at("total")) + ")";
    }
    rows.push_back(SummaryRow(label, Copy(FigureValue(b, "")), f.at("value"), measure,
                              f.at("target"), StatusWord(f.at("status"))));
    for (const auto& p : f.at("parts").as_array()) {
      const std::string key(p.at("key").as_string());
      rows.push_back(SummaryRow("   – " + std::string(p.at("label").as_string()),
                                Copy(FigureValue(b, key)), p.at("value"), "", nullptr, ""));
    }
  }
  return s;
}

json::value UnitName(const units::Registry& registry, const std::string& code, Date as_of) {
  const units::Unit* u = registry.Find(code, as_of);
  return u != nullptr ? json::value(u->name) : json::value(code);
}

// The units whose monthly task reports of the month were late or are missing.
Result<json::object> LateReports(const Sources& sources, Date as_of, const std::string& month) {
  auto obligations = sources.tracker.Obligations(as_of, "", month);
  if (!obligations) return Fail(obligations.error());
  struct Tally {
    int64_t owed = 0, on_time = 0, late = 0, missing = 0;
    std::string tasks;
  };
  std::map<std::string, Tally> by_unit;
  for (const auto& o : *obligations) {
    if (o.timeliness == tracker::Timeliness::kNotDue) continue;
    Tally& t = by_unit[o.unit];
    ++t.owed;
    if (o.timeliness == tracker::Timeliness::kOnTime) ++t.on_time;
    if (o.timeliness == tracker::Timeliness::kLate) ++t.late;
    if (o.timeliness == tracker::Timeliness::kMissing) {
      ++t.missing;
      t.tasks += (t.tasks.empty() ? "" : ", ") + o.task;
    }
  }
  std::string due;
  for (const auto& o : *obligations) due = ", hạn nộp ngày " + DateVi(o.due);
  json::object s = Section(
      "late_reports", "Đơn vị báo cáo trễ hạn hoặc chưa báo cáo",
      "Units reporting late or not at all",
      "Báo cáo tiến độ nhiệm vụ " + MonthName(as_of) + due + ".",
      json::array{Column("Đơn vị", "Unit", "text"), Column("Phải nộp", "Owed", "number"),
                  Column("Đúng hạn", "On time", "number"), Column("Trễ hạn", "Late", "number"),
                  Column("Chưa nộp", "Missing", "number"),
                  Column("Nhiệm vụ chưa báo cáo", "Tasks not reported", "text")});
  std::vector<std::pair<std::string, Tally>> late;
  for (auto& [unit, t] : by_unit) {
    if (t.late + t.missing > 0) late.emplace_back(unit, std::move(t));
  }
  std::stable_sort(late.begin(), late.end(), [](const auto& a, const auto& b) {
    return a.second.missing + a.second.late > b.second.missing + b.second.late;
  });
  auto& rows = s["rows"].as_array();
  const units::Registry& registry = sources.snapshot.registry();
  for (const auto& [unit, t] : late) {
    rows.push_back(json::array{UnitName(registry, unit, as_of), t.owed, t.on_time, t.late,
                               t.missing, t.tasks});
  }
  return s;
}

json::object OverdueTasks(const Sources& sources, const tracker::Summary& summary, Date as_of) {
  json::object s = Section(
      "overdue_tasks", "Nhiệm vụ quá hạn", "Overdue tasks",
      "Nhiệm vụ chưa hoàn thành đã quá hạn tính đến ngày " + DateVi(as_of) + ".",
      json::array{Column("Mã", "Code", "text"), Column("Nhiệm vụ", "Task", "text"),
                  Column("Đơn vị chủ trì", "Lead unit", "text"), Column("Hạn", "Deadline", "text"),
                  Column("Tiến độ (%)", "Progress (%)", "number"),
                  Column("Số ngày quá hạn", "Days overdue", "number")});
  auto& rows = s["rows"].as_array();
  const units::Registry& registry = sources.snapshot.registry();
  for (const auto& r : summary.overdue) {
    const auto& i = r.item;
    rows.push_back(json::array{i.code, i.title, UnitName(registry, i.lead_unit, as_of),
                               i.deadline ? json::value(DateVi(*i.deadline)) : json::value(""),
                               r.percent ? json::value(*r.percent) : json::value(nullptr),
                               i.deadline ? json::value(DayNumber(as_of) - DayNumber(*i.deadline))
                                          : json::value(nullptr)});
  }
  return s;
}

json::object OffTrack(const engine::Snapshot& snap, Date as_of) {
  json::object s =
      Section("off_track", "Chỉ tiêu có nguy cơ không đạt mục tiêu năm", "Indicators off track",
              "Dự báo giá trị cuối năm " + std::to_string(as_of.year) +
                  " theo xu hướng và mùa vụ của năm trước, so với mục tiêu năm của tỉnh.",
              json::array{Column("Mã", "Code", "text"), Column("Chỉ tiêu", "Indicator", "text"),
                          Column("Lũy kế đến nay", "Year to date", "number"),
                          Column("Dự báo cuối năm", "Projected", "number"),
                          Column("Mục tiêu năm", "Target", "number"),
                          Column("Đơn vị tính", "Measure", "text")});
  auto& rows = s["rows"].as_array();
  const std::string& province = snap.province().code;
  for (const auto& p : engine::Projections(snap, as_of)) {
    if (p.on_track || !p.projected || p.unit != province) continue;
    rows.push_back(json::array{p.indicator->code, p.indicator->name, Num(p.current),
                               Num(p.projected), Num(p.target), p.indicator->measure});
  }
  return s;
}

json::value Score(const json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  return v != nullptr ? *v : json::value(nullptr);
}

json::object Quality(const json::object& board) {
  json::object s = Section(
      "quality", "Chất lượng dữ liệu", "Data quality",
      "Điểm 0–100 theo bốn tiêu chí: đúng, đủ, sạch, sống. Toàn tỉnh và 10 đơn vị thấp nhất.",
      json::array{Column("Đơn vị", "Unit", "text"), Column("Tổng", "Overall", "number"),
                  Column("Đúng", "Correct", "number"), Column("Đủ", "Sufficient", "number"),
                  Column("Sạch", "Clean", "number"), Column("Sống", "Alive", "number")});
  auto& rows = s["rows"].as_array();
  auto add = [&rows](json::value name, const json::object& o) {
    rows.push_back(json::array{std::move(name), Score(o, "overall"), Score(o, "correct"),
                               Score(o, "sufficient"), Score(o, "clean"), Score(o, "alive")});
  };
  if (const auto* p = board.if_contains("province"); p != nullptr && p->is_object()) {
    add("Toàn tỉnh", p->as_object());
  }
  if (const auto* u = board.if_contains("units"); u != nullptr && u->is_array()) {
    const auto& units = u->as_array();
    const size_t from = units.size() > 10 ? units.size() - 10 : 0;
    for (size_t i = units.size(); i-- > from;) {
      const auto& o = units[i].as_object();
      add(Score(o, "name"), o);
    }
  }
  return s;
}

}  // namespace

Result<json::object> Monthly(const Sources& sources, std::string_view month) {
  const auto first = Date::Parse(std::string(month) + "-01");
  if (month.size() != 7 || !first) {
    return Fail(Error::Invalid("report.invalid_month",
                               "month '" + std::string(month) + "' is not a month: use YYYY-MM"));
  }
  const Date as_of = LastDayOfMonth(first->year, first->month);
  const Date before = AddDays(*first, -1);
  auto now = Overview(sources, as_of);
  if (!now) return Fail(now.error());
  auto then = Overview(sources, before);
  if (!then) return Fail(then.error());
  auto summary = sources.tracker.SummaryAsOf(as_of);
  if (!summary) return Fail(summary.error());
  json::array sections;
  sections.push_back(Summary(*now, *then, as_of, before));
  auto late = LateReports(sources, as_of, std::string(month));
  if (!late) return Fail(late.error());
  sections.push_back(std::move(*late));
  sections.push_back(OverdueTasks(sources, *summary, as_of));
  sections.push_back(OffTrack(sources.snapshot, as_of));
  if (sources.quality) {
    auto board = sources.quality(as_of);
    if (!board) return Fail(board.error());
    sections.push_back(Quality(*board));
  }
  return json::object{{"month", std::string(month)},
                      {"as_of", as_of.ToString()},
                      {"previous_as_of", before.ToString()},
                      {"province", now->at("province")},
                      {"title", "Báo cáo tình hình chuyển đổi số và dữ liệu " + MonthName(as_of)},
                      {"issued_at", nullptr},
                      {"issued_by", nullptr},
                      {"sections", std::move(sections)}};
}

std::string DueMonth(int day, Date today) {
  if (day < 1 || day > 28 || today.day < day) return "";
  const Date previous = AddMonths(Date{today.year, today.month, 1}, -1);
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04d-%02d", previous.year, previous.month);
  return buf;
}

}  // namespace pdh::report
