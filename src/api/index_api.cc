// /api/v1 of the index set (M5, M7, M8): indicators and their values by unit and period,
// reported values (pdh JSON, CSV, XLSX, DHIS2 dataValueSets), freshness, alerts, the public-service
// and 1022 packs, the IOC overview, and the live events that push changed values.
#include <algorithm>
#include <boost/json.hpp>
#include <cmath>
#include <cstdio>
#include <future>
#include <set>
#include <string_view>

#include "api/api.h"
#include "api/handler_util.h"
#include "core/clock.h"
#include "core/json_util.h"
#include "core/text.h"
#include "engine/engine.h"
#include "report/report.h"

namespace pdh::api {
namespace json = boost::json;
namespace {

using http::Request;
using http::Response;
using report::Num;
using report::Trend;

constexpr const char* kIndicatorsRead = "indicators.read";
constexpr const char* kIndicatorsWrite = "indicators.write";
constexpr size_t kMaxChanges = 5000;

constexpr const char* kIndicatorSchema =
    R"({"type":"object","properties":{"code":{"type":"string"},"name":{"type":"string"},"name_en":{"type":"string"},"sector":{"type":"string"},"measure":{"type":"string"},"periodicity":{"type":"string","enum":["month","quarter","year"]},"direction":{"type":"string","enum":["up","down"]},"owner_unit":{"type":["string","null"]},"pack":{"type":["string","null"]},"updated":{"type":"boolean"},"due_period":{"type":"string"},"latest":{"type":["object","null"]},"target":{"type":["object","null"]},"status":{"type":"string","enum":["green","yellow","red","none"]}}})";
constexpr const char* kObject = R"({"type":"object"})";

engine::Period ParsePeriodParam(const std::string& text) {
  auto p = engine::Period::Parse(text);
  if (!p) {
    throw Failure(Error::BadRequest("request.invalid_period",
                                    "period must be a month (2025-10), a quarter (2025Q3), a year "
                                    "(2025) or a year to date (2025-10YTD)"));
  }
  return *p;
}

const engine::Indicator& FindIndicator(const engine::Snapshot& s, const std::string& code) {
  const auto* ind = s.set().FindIndicator(code);
  if (!ind) {
    throw Failure(Error::NotFound("indicator.not_found",
                                  "no indicator has code '" + code + "': see /api/v1/indicators"));
  }
  return *ind;
}

const units::Unit& FindUnit(const engine::Snapshot& s, const std::string& code) {
  for (const units::Unit* u : s.Units()) {
    if (u->code == code) return *u;
  }
  throw Failure(
      Error::NotFound("unit.not_found", "no unit of the province has code '" + code + "'"));
}

json::object UnitRef(const units::Unit& u) {
  return {{"code", u.code}, {"name", u.name}, {"level", units::LevelName(u.level)}};
}

std::string SectorName(const engine::Snapshot& s, const std::string& code, bool en) {
  const auto* sec = s.set().FindSector(code);
  if (!sec) return code;
  return en ? sec->name_en : sec->name;
}

// What a light judges. Against a year's target, a month's or a quarter's light judges the year so
// far, not the value beside it; the answer says so ("judged": basis, period and value), so that a
// page writes what the light stands for ("lũy kế năm: 96 %").
struct Verdict {
  std::optional<double> target;
  engine::Light light = engine::Light::kNone;
  engine::Period period;
  std::optional<double> value;
  bool ytd = false;
};

Verdict JudgeValue(const engine::Snapshot& s, const engine::Indicator& ind, const std::string& unit,
                   const engine::Period& period, std::optional<double> value) {
  Verdict v{.target = engine::TargetFor(ind, unit, period.year, s.province().code),
            .period = period,
            .value = value};
  if (v.target && period.kind != engine::PeriodKind::kYear &&
      period.kind != engine::PeriodKind::kYtd) {
    v.period = period.Ytd();
    v.value = s.Value(ind.code, unit, v.period);
    v.ytd = true;
  }
  v.light = engine::Judge(ind, v.value, v.target);
  return v;
}

json::object JudgedJson(const Verdict& v) {
  return {{"basis", v.ytd ? "ytd" : "period"}, {"period", v.period.Id()}, {"value", Num(v.value)}};
}

json::object Brief(const engine::Snapshot& s, const engine::Indicator& ind,
                   const engine::Freshness& f, Date as_of) {
  const std::string& province = s.province().code;
  json::object o{
      {"code", ind.code},
      {"name", ind.name},
      {"name_en", ind.name_en},
      {"sector", ind.sector},
      {"measure", ind.measure},
      {"periodicity", engine::PeriodKindName(ind.periodicity)},
      {"direction", ind.higher_is_better ? "up" : "down"},
      {"owner_unit", ind.owner_unit.empty() ? json::value() : json::value(ind.owner_unit)},
      {"pack", ind.pack.empty() ? json::value() : json::value(ind.pack)},
      {"updated", f.updated},
      {"due_period", f.due.Id()}};
  std::optional<double> value;
  if (f.last) {
    value = s.Value(ind.code, province, *f.last);
    o["latest"] = json::object{{"period", f.last->Id()}, {"value", Num(value)}};
  } else {
    o["latest"] = nullptr;
  }
  auto target = engine::TargetFor(ind, province, as_of.year, province);
  o["target"] = target ? json::value(json::object{{"year", as_of.year}, {"value", *target}})
                       : json::value(nullptr);
  if (f.last) {
    const Verdict v = JudgeValue(s, ind, province, *f.last, value);
    o["status"] = engine::LightName(v.light);
    o["judged"] = JudgedJson(v);
  } else {
    o["status"] = engine::LightName(engine::Judge(ind, std::nullopt, target));
    o["judged"] = nullptr;
  }
  return o;
}

Response Indicators(Context& ctx, Request& req) {
  const auto snap = ctx.engine().snapshot();
  const Date as_of = AsOf(ctx, req);
  const auto sector = TextParam(req, "sector");
  const auto pack = TextParam(req, "pack");
  const auto status = TextParam(req, "status");
  const auto updated = TextParam(req, "updated");
  const std::string q = text::Fold(TextParam(req, "q").value_or(""));
  const auto fresh = engine::IndicatorFreshness(snap, as_of);
  json::array items;
  std::map<std::string, std::pair<int64_t, int64_t>> sectors;  // total, updated
  int64_t total = 0;
  int64_t n_updated = 0;
  for (const auto& f : fresh) {
    const auto& ind = *f.indicator;
    auto& sc = sectors[ind.sector];
    ++sc.first;
    ++total;
    if (f.updated) {
      ++sc.second;
      ++n_updated;
    }
    if (sector && ind.sector != *sector) continue;
    if (pack && ind.pack != *pack) continue;
    if (updated && (*updated == "true") != f.updated) continue;
    if (!q.empty() && !text::FoldContains(ind.code, q) && !text::FoldContains(ind.name, q) &&
        !text::FoldContains(ind.name_en, q)) {
      continue;
    }
    json::object b = Brief(snap, ind, f, as_of);
    if (status && b["status"].as_string() != *status) continue;
    items.push_back(std::move(b));
  }
  json::array by_sector;
  for (const auto& s : snap.set().sectors) {
    auto it = sectors.find(s.code);
    if (it == sectors.end()) continue;
    by_sector.push_back({{"code", s.code},
                         {"name", s.name},
                         {"name_en", s.name_en},
                         {"total", it->second.first},
                         {"updated", it->second.second}});
  }
  return Response::Json(json::object{{"as_of", as_of.ToString()},
                                     {"total", total},
                                     {"updated", n_updated},
                                     {"sectors", std::move(by_sector)},
                                     {"items", std::move(items)}});
}

Response Indicator(Context& ctx, Request& req) {
  const auto snap = ctx.engine().snapshot();
  const Date as_of = AsOf(ctx, req);
  const auto& ind = FindIndicator(snap, req.params.at("code"));
  engine::Freshness f;
  for (const auto& x : engine::IndicatorFreshness(snap, as_of)) {
    if (x.indicator == &ind) f = x;
  }
  json::object o = Brief(snap, ind, f, as_of);
  o["description"] = ind.description;
  o["sector_name"] = SectorName(snap, ind.sector, false);
  o["sector_name_en"] = SectorName(snap, ind.sector, true);
  o["expression"] = ind.Formula();
  json::array elements;
  json::array depends;
  if (auto info = engine::CheckExpression(ind.Formula(), snap.set())) {
    for (const auto& e : info->elements) elements.emplace_back(e);
    for (const auto& i : info->indicators) depends.emplace_back(i);
  }
  o["elements"] = std::move(elements);
  o["depends_on"] = std::move(depends);
  o["thresholds"] = json::object{{"green", ind.green}, {"yellow", ind.yellow}};
  json::array targets;
  for (const auto& t : ind.targets) {
    targets.push_back({{"unit", t.unit}, {"year", t.year}, {"value", t.value}});
  }
  o["targets"] = std::move(targets);
  // The forecast of the unit asked for (default the province), never another unit's.
  const units::Unit& unit = FindUnit(snap, TextParam(req, "unit").value_or(snap.province().code));
  o["unit"] = UnitRef(unit);
  if (auto p = engine::Project(snap, ind, unit.code, as_of)) {
    o["projection"] = json::object{{"unit", p->unit},
                                   {"year", p->year},
                                   {"target", p->target},
                                   {"current", Num(p->current)},
                                   {"projected", Num(p->projected)},
                                   {"on_track", p->on_track},
                                   {"method", p->method}};
  } else {
    o["projection"] = nullptr;
  }
  o["as_of"] = as_of.ToString();
  return Response::Json(o);
}

Response Values(Context& ctx, Request& req) {
  const auto snap = ctx.engine().snapshot();
  const Date as_of = AsOf(ctx, req);
  const auto code = TextParam(req, "indicator");
  if (!code) {
    throw Failure(Error::BadRequest("request.missing_indicator",
                                    "give ?indicator=CODE (see /api/v1/indicators)"));
  }
  const auto& ind = FindIndicator(snap, *code);
  const units::Unit& unit = FindUnit(snap, TextParam(req, "unit").value_or(snap.province().code));
  engine::Period period;
  if (auto p = TextParam(req, "period")) {
    period = ParsePeriodParam(*p);
  } else if (auto latest = engine::LatestPeriod(snap, ind, unit.code, as_of)) {
    period = *latest;
  } else {
    period = engine::DuePeriod(ind.periodicity, ind.due_days, as_of);
  }
  const auto value = snap.Value(ind.code, unit.code, period);
  const Verdict verdict = JudgeValue(snap, ind, unit.code, period, value);
  json::object o{{"indicator", ind.code},         {"name", ind.name},
                 {"name_en", ind.name_en},        {"measure", ind.measure},
                 {"as_of", as_of.ToString()},     {"unit", UnitRef(unit)},
                 {"period", period.Id()},         {"value", Num(value)},
                 {"target", Num(verdict.target)}, {"status", engine::LightName(verdict.light)},
                 {"judged", JudgedJson(verdict)}};
  json::array path;
  for (const units::Unit* a : snap.registry().Ancestors(unit)) {
    if (a->level == units::Level::kProvince || a->level == units::Level::kCommune ||
        a->level == units::Level::kAgency) {
      path.push_back(UnitRef(*a));
    }
  }
  std::reverse(path.begin(), path.end());
  o["parents"] = std::move(path);
  const auto children = TextParam(req, "children");
  if (children && (*children == "true" || *children == "1")) {
    json::array kids;
    for (const units::Unit* c : snap.Units()) {
      if (c->parent != &unit) continue;
      const auto v = snap.Value(ind.code, c->code, period);
      json::object k = UnitRef(*c);
      k["lat"] = c->lat ? json::value(*c->lat) : json::value(nullptr);
      k["lon"] = c->lon ? json::value(*c->lon) : json::value(nullptr);
      k["value"] = Num(v);
      const Verdict kv = JudgeValue(snap, ind, c->code, period, v);
      k["status"] = engine::LightName(kv.light);
      k["judged"] = JudgedJson(kv);
      kids.push_back(std::move(k));
    }
    o["children"] = std::move(kids);
  }
  if (auto n = TextParam(req, "series")) {
    auto count = ParseCount(*n);
    if (!count || *count == 0 || *count > 240) {
      throw Failure(Error::BadRequest("request.invalid_series",
                                      "series is how many periods to show: 1 to 240"));
    }
    json::array series;
    for (int k = static_cast<int>(*count) - 1; k >= 0; --k) {
      const engine::Period p = period.Shift(-k);
      series.push_back({{"period", p.Id()}, {"value", Num(snap.Value(ind.code, unit.code, p))}});
    }
    o["series"] = std::move(series);
  }
  return Response::Json(o);
}

Response PostValues(Context& ctx, Request& req) {
  const auth::Principal& p = CallerOf(req);
  auto format =
      EnumParam(req, "format", engine::ParseValueFormat, "json, csv, xlsx, dhis2, dhis2-csv");
  if (!format) {
    const std::string_view ct = req.Header("content-type");
    if (ct.starts_with("text/csv")) {
      format = engine::ValueFormat::kCsv;
    } else if (req.body.starts_with("PK\x03\x04")) {
      format = engine::ValueFormat::kXlsx;
    } else {
      format = engine::ValueFormat::kJson;
    }
  }
  const std::shared_ptr<void> slot = ctx.TakeUploadSlot();
  if (!slot) return UploadBusy(ctx, req);
  auto values = Must(engine::ReadValues(req.body, *format, ctx.upload_limits()));
  engine::ValueOptions opt;
  opt.dry_run = DryRunParam(req);
  if (auto mode = TextParam(req, "mode")) {
    if (*mode != "all" && *mode != "valid") {
      throw Failure(Error::BadRequest("request.invalid_mode",
                                      "mode must be all (any bad value rejects them all) or "
                                      "valid (the valid ones are written)"));
    }
    opt.accept_valid = *mode == "valid";
  }
  opt.by = p.name;
  opt.at = FormatTime(ctx.clock().Now());
  opt.source = format == engine::ValueFormat::kDhis2Json || format == engine::ValueFormat::kDhis2Csv
                   ? "dhis2"
                   : std::string(*format == engine::ValueFormat::kJson ? "api" : "file");
  opt.may_write = [&ctx, &p](const units::Unit& u) {
    return MayOn(ctx, p, kIndicatorsWrite, &u, false);
  };
  auto registry = ctx.registry();
  const auto set = Must(engine::LoadIndexSet(ctx.store().index()));
  const auto report = Must(
      engine::WriteValues(ctx.store().index(), *registry, set, ctx.home_province(), values, opt));
  if (report.status == "committed") ctx.SyncEngine();
  return Response::Json(report.ToJson(), report.status == "rejected" ? 422 : 200);
}

Response Freshness(Context& ctx, Request& req) {
  const auto snap = ctx.engine().snapshot();
  const Date as_of = AsOf(ctx, req);
  const auto sector = TextParam(req, "sector");
  auto fresh = engine::IndicatorFreshness(snap, as_of);
  std::map<std::string, std::pair<int64_t, int64_t>> by_sector;
  int64_t total = 0;
  int64_t updated = 0;
  for (const auto& f : fresh) {
    auto& s = by_sector[f.indicator->sector];
    ++s.first;
    ++total;
    if (f.updated) {
      ++s.second;
      ++updated;
    }
  }
  std::stable_sort(fresh.begin(), fresh.end(), [](const auto& a, const auto& b) {
    if (a.updated != b.updated) return !a.updated;
    return a.stale_periods > b.stale_periods;
  });
  json::array items;
  for (const auto& f : fresh) {
    if (sector && f.indicator->sector != *sector) continue;
    items.push_back({{"indicator", f.indicator->code},
                     {"name", f.indicator->name},
                     {"name_en", f.indicator->name_en},
                     {"sector", f.indicator->sector},
                     {"periodicity", engine::PeriodKindName(f.indicator->periodicity)},
                     {"due_period", f.due.Id()},
                     {"last_period", f.last ? json::value(f.last->Id()) : json::value(nullptr)},
                     {"updated", f.updated},
                     {"stale_periods", f.stale_periods},
                     {"stale_since", f.stale_since ? json::value(f.stale_since->ToString())
                                                   : json::value(nullptr)}});
  }
  json::array sectors;
  for (const auto& s : snap.set().sectors) {
    auto it = by_sector.find(s.code);
    if (it == by_sector.end()) continue;
    sectors.push_back({{"sector", s.code},
                       {"name", s.name},
                       {"name_en", s.name_en},
                       {"total", it->second.first},
                       {"updated", it->second.second}});
  }
  json::array units;
  for (const auto& r : engine::ReportingByUnit(snap, as_of)) {
    units.push_back({{"unit", r.unit->code},
                     {"name", r.unit->name},
                     {"level", units::LevelName(r.unit->level)},
                     {"expected", r.expected},
                     {"received", r.received},
                     {"on_time", r.on_time},
                     {"last_period", r.last ? json::value(r.last->Id()) : json::value(nullptr)},
                     {"stale_since", r.stale_since ? json::value(r.stale_since->ToString())
                                                   : json::value(nullptr)}});
  }
  return Response::Json(json::object{{"as_of", as_of.ToString()},
                                     {"total", total},
                                     {"updated", updated},
                                     {"by_sector", std::move(sectors)},
                                     {"items", std::move(items)},
                                     {"units", std::move(units)}});
}

// 15/12/2025, as Vietnamese text writes dates.
std::string VnDate(Date d) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%02d/%02d/%04d", d.day, d.month, d.year);
  return buf;
}

json::array AlertsOf(const engine::Snapshot& snap, Date as_of, size_t limit) {
  json::array items;
  const std::string& province = snap.province().code;
  auto unit_name = [&](const std::string& code) {
    for (const units::Unit* u : snap.Units()) {
      if (u->code == code) return u->name;
    }
    return code;
  };
  // Off track: a target of this year the projection says will be missed.
  for (const auto& p : engine::Projections(snap, as_of)) {
    if (p.on_track || !p.projected) continue;
    items.push_back(
        {{"kind", "off_track"},
         {"indicator", p.indicator->code},
         {"indicator_name", p.indicator->name},
         {"unit", p.unit},
         {"unit_name", unit_name(p.unit)},
         {"period", std::to_string(p.year)},
         {"value", Num(p.projected)},
         {"score", nullptr},
         {"message", "Dự báo không đạt chỉ tiêu " + std::to_string(p.year)},
         {"message_en", "Projected to miss the " + std::to_string(p.year) + " target"}});
  }
  // Red lights at the province.
  for (const auto& f : engine::IndicatorFreshness(snap, as_of)) {
    const auto& ind = *f.indicator;
    if (!f.last) continue;
    auto target = engine::TargetFor(ind, province, as_of.year, province);
    if (!target) continue;
    const auto v = snap.Value(
        ind.code, province, ind.periodicity == engine::PeriodKind::kYear ? *f.last : f.last->Ytd());
    if (engine::Judge(ind, v, target) != engine::Light::kRed) continue;
    items.push_back({{"kind", "red"},
                     {"indicator", ind.code},
                     {"indicator_name", ind.name},
                     {"unit", province},
                     {"unit_name", snap.province().name},
                     {"period", f.last->Id()},
                     {"value", Num(v)},
                     {"score", nullptr},
                     {"message", "Chưa đạt chỉ tiêu năm"},
                     {"message_en", "Below the year's target"}});
  }
  // Rates of counts above 100%: a definition or data that counts in the numerator what the
  // denominator leaves out.
  for (const auto& r : engine::RatesOver100(snap, as_of)) {
    if (items.size() >= limit) break;
    char shown[32];
    std::snprintf(shown, sizeof shown, "%.2f", r.value);
    const std::string months = std::to_string(r.months);
    items.push_back(
        {{"kind", "over_100"},
         {"indicator", r.indicator->code},
         {"indicator_name", r.indicator->name},
         {"unit", r.unit->code},
         {"unit_name", r.unit->name},
         {"period", r.period.Id()},
         {"value", Num(r.value)},
         {"score", nullptr},
         {"message", "Tỷ lệ vượt 100% (" + std::string(shown) + "%, " + months +
                         " tháng): tử số đếm cả bản ghi mẫu số không đếm, cần kiểm tra định "
                         "nghĩa hoặc số liệu"},
         {"message_en", "Rate above 100% (" + std::string(shown) + "%, " + months +
                            " months): the numerator counts records the denominator does not; "
                            "check the definition or the data"}});
  }
  for (const auto& o : engine::Outliers(snap, as_of)) {
    if (items.size() >= limit) break;
    items.push_back({{"kind", "outlier"},
                     {"indicator", o.indicator->code},
                     {"indicator_name", o.indicator->name},
                     {"unit", o.unit->code},
                     {"unit_name", o.unit->name},
                     {"period", o.period.Id()},
                     {"value", Num(o.value)},
                     {"score", Num(o.score)},
                     {"message", "Giá trị bất thường so với 24 tháng trước"},
                     {"message_en", "Unusual against the 24 months before"}});
  }
  for (const auto& r : engine::ReportingByUnit(snap, as_of)) {
    if (items.size() >= limit) break;
    if (!r.stale_since) continue;
    items.push_back({{"kind", "stale"},
                     {"indicator", nullptr},
                     {"indicator_name", nullptr},
                     {"unit", r.unit->code},
                     {"unit_name", r.unit->name},
                     {"period", r.last ? json::value(r.last->Id()) : json::value(nullptr)},
                     {"value", nullptr},
                     {"score", nullptr},
                     {"message", "Chưa báo cáo số liệu từ " + VnDate(*r.stale_since)},
                     {"message_en", "No data reported since " + r.stale_since->ToString()}});
  }
  if (items.size() > limit) items.resize(limit);
  return items;
}

// Quality alerts: units whose overall score is below the setting quality.alert_below (80 by
// default), and checks a unit passed the month before and fails now.
void AddQualityAlerts(Context& ctx, const engine::Snapshot& snap, Date as_of, size_t limit,
                      json::array& items) {
  const double below = quality::AlertThreshold(ctx.store());
  auto registry = ctx.registry();
  auto evaluations = Must(ctx.quality().Evaluations(*registry, as_of));
  const quality::ReportsAt reports_at = [&ctx, &snap](Date d) {
    return ctx.quality().Reports(snap, d);
  };
  for (const auto& a : quality::Alerts(*evaluations, reports_at, *registry, as_of, below)) {
    if (items.size() >= limit) break;
    const auto* unit = a.unit.empty() ? nullptr : registry->Find(a.unit, as_of);
    const auto text = quality::Describe(a);
    items.push_back(
        json::object{{"kind", a.kind},
                     {"indicator", nullptr},
                     {"indicator_name", nullptr},
                     {"unit", a.unit},
                     {"unit_name", unit ? json::value(unit->name) : json::value(nullptr)},
                     {"period", a.month},
                     {"value", nullptr},
                     {"score", a.kind == "quality_low" ? Num(a.score) : json::value(nullptr)},
                     {"message", text.vi},
                     {"message_en", text.en}});
  }
}

Response Alerts(Context& ctx, Request& req) {
  const auto snap = ctx.engine().snapshot();
  const Date as_of = AsOf(ctx, req);
  const size_t limit = ParseLimit(req, 200, 1000);
  json::array items = AlertsOf(snap, as_of, limit);
  AddQualityAlerts(ctx, snap, as_of, limit, items);
  return Response::Json(json::object{{"as_of", as_of.ToString()}, {"items", std::move(items)}});
}

Response Pack(Context& ctx, Request& req) {
  const auto snap = ctx.engine().snapshot();
  const Date as_of = AsOf(ctx, req);
  const std::string pack = req.params.at("pack");
  if (pack != "public_services" && pack != "feedback_1022") {
    throw Failure(
        Error::NotFound("pack.not_found", "the packs are public_services and feedback_1022"));
  }
  const units::Unit& unit = FindUnit(snap, TextParam(req, "unit").value_or(snap.province().code));
  // The year so far, unless a period is asked for.
  engine::Period period = engine::Period::Containing(as_of, engine::PeriodKind::kMonth).Ytd();
  if (auto p = TextParam(req, "period")) period = ParsePeriodParam(*p);
  json::array figures;
  std::vector<const engine::Indicator*> inds;
  for (const auto& ind : snap.set().indicators) {
    if (ind.pack == pack) inds.push_back(&ind);
  }
  const engine::Period month = engine::Period::Containing(as_of, engine::PeriodKind::kMonth);
  for (const auto* ind : inds) {
    const auto v = snap.Value(ind->code, unit.code, period);
    const Verdict verdict = JudgeValue(snap, *ind, unit.code, period, v);
    figures.push_back({{"indicator", ind->code},
                       {"name", ind->name},
                       {"name_en", ind->name_en},
                       {"measure", ind->measure},
                       {"value", Num(v)},
                       {"target", Num(verdict.target)},
                       {"status", engine::LightName(verdict.light)},
                       {"judged", JudgedJson(verdict)},
                       {"trend", Trend(snap, *ind, unit.code, month, 12)}});
  }
  json::array units;
  for (const units::Unit* c : snap.Units()) {
    if (c->parent != &unit) continue;
    json::object vals;
    for (const auto* ind : inds) vals[ind->code] = Num(snap.Value(ind->code, c->code, period));
    json::object u = UnitRef(*c);
    u["values"] = std::move(vals);
    units.push_back(std::move(u));
  }
  return Response::Json(json::object{{"pack", pack},
                                     {"as_of", as_of.ToString()},
                                     {"unit", UnitRef(unit)},
                                     {"period", period.Id()},
                                     {"figures", std::move(figures)},
                                     {"units", std::move(units)}});
}

Response PostPackInstall(Context& ctx, Request& req) {
  const json::object body = BodyObject(req);
  OnlyFields(body, {"dataset"});
  const std::string dataset = OptString(body, "dataset").value_or("");
  const auto done = Must(engine::InstallPack(ctx.engine_stores(), req.params.at("pack"), dataset,
                                             ctx.home_province(), CallerOf(req).name,
                                             FormatTime(ctx.clock().Now())));
  ctx.SyncEngine();
  return Response::Json(done.ToJson());
}

// --- The overview --------------------------------------------------------------------------

Response Overview(Context& ctx, Request& req) {
  const auto snap = ctx.engine().snapshot();
  const report::Sources sources{snap, ctx.tracker(), ctx.catalog(), {}};
  return Response::Json(Must(report::Overview(sources, AsOf(ctx, req))));
}

// --- Definitions ---------------------------------------------------------------------------

Response ExportSet(Context& ctx, Request&) {
  return Response::Json(engine::ToJson(Must(engine::LoadIndexSet(ctx.store().index()))));
}

Response ImportSet(Context& ctx, Request& req) {
  const auto set = Must(engine::ParseIndexSet(req.Json()));
  Must(engine::SaveIndexSet(ctx.engine_stores(), set, CallerOf(req).name,
                            FormatTime(ctx.clock().Now())));
  ctx.SyncEngine();
  return Response::Json(json::object{{"sectors", set.sectors.size()},
                                     {"elements", set.elements.size()},
                                     {"indicators", set.indicators.size()},
                                     {"constants", set.constants.size()}});
}

Response PutIndicator(Context& ctx, Request& req) {
  auto ind = Must(engine::ParseIndicator(req.Json()));
  if (ind.code != req.params.at("code")) {
    throw Failure(
        Error::BadRequest("request.code_mismatch", "the body's code must be the one in the path"));
  }
  engine::IndexSet change;
  change.indicators.push_back(ind);
  Must(engine::SaveIndexSet(ctx.engine_stores(), change, CallerOf(req).name,
                            FormatTime(ctx.clock().Now())));
  ctx.SyncEngine();
  return Response::Json(engine::ToJson(ind));
}

Response CheckExpression(Context& ctx, Request& req) {
  const json::object body = BodyObject(req);
  OnlyFields(body, {"expression"});
  const std::string text = OptString(body, "expression").value_or("");
  const auto info = engine::CheckExpression(text, ctx.engine().snapshot().set());
  if (!info) {
    return Response::Json(json::object{{"ok", false}, {"message", info.error().message}});
  }
  return Response::Json(json::object{
      {"ok", true},
      {"canonical", info->canonical},
      {"measure", info->measure ? json::value(*info->measure) : json::value(nullptr)}});
}

Response MergeWeights(Context& ctx, Request& req) {
  const json::value body = req.Json();
  const json::value* list = body.is_object() ? body.as_object().if_contains("weights") : nullptr;
  if (!list || !list->is_array()) {
    throw Failure(Error::BadRequest("request.invalid_body",
                                    "expected {\"weights\": [{\"old\", \"new\", \"weight\"}]}"));
  }
  std::vector<store::MergeWeightRow> rows;
  for (const auto& w : list->as_array()) {
    if (!w.is_object())
      throw Failure(Error::BadRequest("request.invalid_body", "weights are objects"));
    const auto& o = w.as_object();
    store::MergeWeightRow r;
    r.old_code = OptString(o, "old").value_or("");
    r.new_code = OptString(o, "new").value_or("");
    const json::value* v = o.if_contains("weight");
    if (!v || !v->is_number()) {
      throw Failure(Error::BadRequest("request.invalid_body", "each weight needs a number"));
    }
    r.weight = v->to_number<double>();
    rows.push_back(std::move(r));
  }
  auto registry = ctx.registry();
  Must(engine::SetMergeWeights(ctx.store().index(), ctx.store(), *registry, rows));
  ctx.SyncEngine();
  return Response::Json(json::object{{"weights", rows.size()}});
}

Response Events(Context& ctx, Request& req) {
  Response r;
  r.events = ctx.events();
  // The changed cells only to the streams that ask for them: a screen needs to know what
  // changed, and reads it from the cached answers.
  if (!FlagParam(req, "cells")) {
    r.event_filter = [](const std::string& event, const std::string&) { return event != "cells"; };
  }
  const auto snap = ctx.engine().snapshot();
  r.first_event = std::make_pair(
      std::string("hello"),
      json_util::Serialize(json::object{{"version", snap.version()},
                                        {"as_of", engine::DefaultAsOf(ctx.store()).ToString()}}));
  return r;
}

}  // namespace

engine::Engine& Context::engine() {
  if (!engine_) {
    throw Failure(Error{"engine.unavailable", "the index set engine is not running", 503});
  }
  return *engine_;
}

void Context::SyncEngine() {
  if (!engine_) return;
  // The quality scores follow the same batches on the other core: neither reads the other's
  // state, and each publishes its own event when it is done.
  auto quality = std::async(std::launch::async, [this] { FollowQuality(); });
  auto s = engine_->Sync();
  quality.get();
  if (!s) throw Failure(s.error());
}

// What changed, as the "values" event names it.
std::string ChangesEvent(const engine::SyncStats& stats, const std::string& at) {
  std::set<std::string_view> indicators;
  std::set<std::string_view> units;
  std::set<std::string_view> periods;
  for (const auto& c : stats.changes) {
    indicators.insert(c.indicator);
    units.insert(c.unit);
    periods.insert(c.period);
  }
  auto list = [](const std::set<std::string_view>& names) {
    json::array out;
    out.reserve(names.size());
    for (std::string_view n : names) out.emplace_back(n);
    return out;
  };
  return json_util::Serialize(json::object{{"at", at},
                                           {"rebuilt", stats.rebuilt},
                                           {"cells", static_cast<int64_t>(stats.changes.size())},
                                           {"indicators", list(indicators)},
                                           {"units", list(units)},
                                           {"periods", list(periods)}});
}

// The changed cells, as the "cells" event carries them.
std::string CellsEvent(const engine::SyncStats& stats, const std::string& at) {
  json::array changes;
  for (const auto& c : stats.changes) {
    if (changes.size() == kMaxChanges) break;
    changes.push_back({{"indicator", c.indicator},
                       {"unit", c.unit},
                       {"period", c.period},
                       {"value", Num(c.value)}});
  }
  return json_util::Serialize(json::object{{"at", at},
                                           {"rebuilt", stats.rebuilt},
                                           {"changes", std::move(changes)},
                                           {"truncated", stats.changes.size() > kMaxChanges}});
}

void RegisterIndexRoutes(http::Router& router, Context& ctx) {
  auto bind = [&ctx](Response (*fn)(Context&, Request&)) {
    return [&ctx, fn](Request& req) { return fn(ctx, req); };
  };
  router.DescribeTag("indicators",
                     "The index set (M5, M7, M8): indicators computed live from reported values "
                     "and dataset records, freshness, alerts, the IOC overview and live events.");
  const std::vector<http::ParamDoc> as_of = {AsOfParam()};
  auto doc = [](std::string summary, std::string permission, std::vector<http::ParamDoc> params,
                std::vector<int> errors = {}) {
    http::RouteDoc d;
    d.summary = std::move(summary);
    d.tag = "indicators";
    d.permission = std::move(permission);
    d.params = std::move(params);
    d.response_schema = kObject;
    d.error_statuses = std::move(errors);
    return d;
  };
  {
    auto d =
        doc("The IOC overview: the report's headline figures as of a date", kIndicatorsRead, as_of);
    router.Add("GET", "/api/v1/overview", "overview.get", bind(Overview), d);
  }
  {
    auto d = doc("Indicators with their latest value, target, light and freshness", kIndicatorsRead,
                 {AsOfParam(),
                  {"sector", "query", "only this sector"},
                  {"q", "query", "code or name, without regard to diacritics"},
                  {"pack", "query", "public_services or feedback_1022"},
                  {"status", "query", "green, yellow, red or none"},
                  {"updated", "query", "true or false"}});
    d.response_schema =
        R"({"type":"object","properties":{"as_of":{"type":"string"},"total":{"type":"integer"},"updated":{"type":"integer"},"sectors":{"type":"array","items":{"type":"object"}},"items":{"type":"array","items":)" +
        std::string(kIndicatorSchema) + "}}}";
    router.Add("GET", "/api/v1/indicators", "indicators.list", bind(Indicators), d);
  }
  router.Add(
      "GET", "/api/v1/indicators/{code}", "indicators.get", bind(Indicator),
      doc("An indicator: definition, targets, latest value, the unit's projection", kIndicatorsRead,
          {AsOfParam(), {"unit", "query", "whose projection (default the province)"}}, {404}));
  {
    auto d = doc("Adds or replaces an indicator (its expression is checked)", kIndicatorsWrite, {},
                 {400, 422});
    d.request_schema = kObject;
    d.stewarded = true;
    router.Add("PUT", "/api/v1/indicators/{code}", "indicators.put", bind(PutIndicator), d);
  }
  {
    auto d = doc("Checks an expression: the position and reason of its first error",
                 kIndicatorsRead, {}, {400});
    d.request_schema = R"({"type":"object","properties":{"expression":{"type":"string"}}})";
    router.Add("POST", "/api/v1/indicators/check", "indicators.check", bind(CheckExpression), d);
  }
  router.Add(
      "GET", "/api/v1/index-set", "index_set.get", bind(ExportSet),
      doc("The whole index set: sectors, elements, indicators, constants", kIndicatorsRead, {}));
  {
    auto d = doc("Adds or replaces sectors, elements, indicators and constants", kIndicatorsWrite,
                 {}, {400, 422});
    d.request_schema = kObject;
    d.stewarded = true;
    router.Add("POST", "/api/v1/index-set", "index_set.import", bind(ImportSet), d);
  }
  router.Add("GET", "/api/v1/values", "values.get", bind(Values),
             doc("An indicator's value for a unit and period, its children and time series",
                 kIndicatorsRead,
                 {AsOfParam(),
                  {"indicator", "query", "indicator code", true},
                  {"unit", "query", "unit code (default: the province)"},
                  {"period", "query", "2025-10, 2025Q3, 2025 or 2025-10YTD (default: the latest)"},
                  {"children", "query", "true: the unit's children too"},
                  {"series", "query", "how many periods of time series up to the period"}},
                 {400, 404}));
  {
    auto d = doc("Reports values: pdh JSON, CSV, XLSX or DHIS2 dataValueSets (JSON or CSV)",
                 kIndicatorsWrite,
                 {{"format", "query", "json, csv, xlsx, dhis2 or dhis2-csv"},
                  {"dry_run", "query", "true: check only"},
                  {"mode", "query", "all (default) or valid"}},
                 {400, 413, 422, 503});
    d.scope = "rows";
    router.Add("POST", "/api/v1/values", "values.post", bind(PostValues), d);
  }
  router.Add("GET", "/api/v1/freshness", "freshness.get", bind(Freshness),
             doc("Which indicators and units are up to date as of a date", kIndicatorsRead,
                 {AsOfParam(), {"sector", "query", "only this sector"}}));
  router.Add("GET", "/api/v1/alerts", "alerts.list", bind(Alerts),
             doc("Off-track targets, red lights, rates above 100%, outliers, silent units and "
                 "data quality (a unit below the quality threshold, a check newly failing)",
                 kIndicatorsRead, {AsOfParam(), {"limit", "query", "at most this many (200)"}}));
  router.Add(
      "GET", "/api/v1/packs/{pack}", "packs.get", bind(Pack),
      doc("The public-service or 1022 feedback figures of a unit and period", kIndicatorsRead,
          {AsOfParam(),
           {"unit", "query", "unit code (default: the province)"},
           {"period", "query", "default: the year to date"}},
          {404}));
  {
    auto d = doc(
        "Installs an indicator pack (public_services or feedback_1022) with its targets over the "
        "dataset made from its template; installing it again changes nothing",
        kIndicatorsWrite, {}, {400, 404, 422});
    d.request_schema =
        R"({"type":"object","properties":{"dataset":{"type":"string","description":"the dataset the pack reads; default: the one made from the pack's template"}}})";
    d.response_schema =
        R"({"type":"object","properties":{"pack":{"type":"string"},"dataset":{"type":"string"},"added":{"type":"array","items":{"type":"string"}},"updated":{"type":"array","items":{"type":"string"}},"unchanged":{"type":"array","items":{"type":"string"}},"targets":{"type":"integer"}}})";
    d.stewarded = true;
    router.Add("POST", "/api/v1/packs/{pack}/install", "packs.install", bind(PostPackInstall), d);
  }
  {
    auto d = doc("Shares of partial merges for the roll-up of pre-2025 values", kIndicatorsWrite,
                 {}, {400, 422});
    d.request_schema = kObject;
    d.stewarded = true;
    router.Add("PUT", "/api/v1/merge-weights", "merge_weights.put", bind(MergeWeights), d);
  }
  {
    auto d = doc("Live events (text/event-stream): changed values and alerts", kIndicatorsRead,
                 {{"cells", "query",
                   "true: also the \"cells\" events, each changed indicator cell with its value "
                   "(\"values\" names only the indicators, units and periods that changed)"}},
                 {503});
    d.response_content_type = "text/event-stream";
    d.response_schema = R"({"type":"string"})";
    router.Add("GET", "/api/v1/events", "events.stream", bind(Events), d);
  }
}

}  // namespace pdh::api
