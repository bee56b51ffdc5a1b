// Roll-ups: the scoreboard over every dataset's evaluation, the reported values and the
// catalog; the scores and alerts; and the service that keeps each dataset's evaluation.
#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <regex>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <variant>
#include <vector>

#include <boost/json.hpp>

#include "core/json_util.h"
#include "core/text.h"
#include "quality/internal.h"
#include "quality/quality.h"

namespace pdh::quality {
namespace json = boost::json;

using internal::ScoreMonth;
using internal::ShiftMonth;

// --- Roll-ups -----------------------------------------------------------------------------------

namespace {

struct Scores4 {
  double sum[kDimensions] = {0, 0, 0, 0};
  double weight[kDimensions] = {0, 0, 0, 0};
  int64_t rows = 0;
  void Add(const Cell& c, double w) {
    for (size_t d = 0; d < kDimensions; ++d) {
      if (!c.scored[d]) continue;
      sum[d] += c.score[d] * w;
      weight[d] += w;
    }
    rows += c.rows;
  }
  void Add(Dimension d, double score, double w) {
    sum[static_cast<size_t>(d)] += score * w;
    weight[static_cast<size_t>(d)] += w;
  }
  std::optional<double> Of(size_t d) const {
    return weight[d] > 0 ? std::optional<double>(sum[d] / weight[d]) : std::nullopt;
  }
  std::optional<double> Overall() const {
    double s = 0;
    int n = 0;
    for (size_t d = 0; d < kDimensions; ++d) {
      if (auto v = Of(d)) s += *v, ++n;
    }
    return n > 0 ? std::optional<double>(s / n) : std::nullopt;
  }
};

double Round1(double v) {
  return std::round(v * 10) / 10;
}

json::value Num(std::optional<double> v) {
  return v ? json::value(Round1(*v)) : json::value(nullptr);
}

void PutScores(json::object& o, const Scores4& s) {
  o["overall"] = Num(s.Overall());
  for (size_t d = 0; d < kDimensions; ++d) {
    o[DimensionName(static_cast<Dimension>(d))] = Num(s.Of(d));
  }
}

json::object Change(const Scores4& now, const Scores4& before) {
  json::object o;
  auto diff = [](std::optional<double> a, std::optional<double> b) {
    return a && b ? json::value(Round1(*a - *b)) : json::value(nullptr);
  };
  o["overall"] = diff(now.Overall(), before.Overall());
  for (size_t d = 0; d < kDimensions; ++d) {
    o[DimensionName(static_cast<Dimension>(d))] = diff(now.Of(d), before.Of(d));
  }
  return o;
}

// A cell's weight in a roll-up: its records, and at least one (a unit that sent nothing that
// month still counts).
double Weight(const Cell& c) {
  return static_cast<double>(std::max<int64_t>(1, c.rows));
}

// The reported values' part of a unit's scores: completeness (received / expected) for
// sufficient, timeliness and staleness for alive.
void AddReports(Scores4& s, const engine::UnitReports& r) {
  if (r.expected <= 0) return;
  s.Add(Dimension::kSufficient,
        100.0 * static_cast<double>(std::min(r.received, r.expected)) /
            static_cast<double>(r.expected),
        1);
  const double timely =
      r.received > 0 ? 100.0 * static_cast<double>(r.on_time) / static_cast<double>(r.received) : 0;
  s.Add(Dimension::kAlive, r.stale_since ? 0.0 : timely, 1);
}

}  // namespace

// What the catalog says of a database in use, as of a date: its facts and the scores they give.
struct CatalogFacts {
  bool connected = false;  // a dataset holds its data, or it feeds the IOC
  std::optional<int64_t> days_since_update;
  bool record_count = false;
  bool contact = false;
  std::vector<std::string> problems;
  double sufficient = 0;  // the share of connected, update date, record count and contact
  double alive = 0;       // 100 when updated within a month, down to 0 at a year
};

// A database a dataset holds was last updated when the dataset's newest record was (`newest`,
// "" for none); another, when the catalog says.
CatalogFacts FactsOf(const catalog::Entry& e, const Evaluation* ev, Date as_of) {
  CatalogFacts f;
  f.connected = ev != nullptr || e.ioc_connected;
  std::optional<Date> updated = e.last_data_update;
  if (ev != nullptr && !ev->newest.empty()) updated = Date::Parse(ev->newest);
  if (updated) f.days_since_update = DayNumber(as_of) - DayNumber(*updated);
  f.record_count = e.record_count.has_value();
  f.contact = !e.contact.empty();
  if (!f.connected) f.problems.emplace_back("not_connected");
  if (!f.days_since_update) {
    f.problems.emplace_back("no_update_date");
  } else if (*f.days_since_update > 365) {
    f.problems.emplace_back("stale_update");
  }
  if (!f.record_count) f.problems.emplace_back("no_record_count");
  if (!f.contact) f.problems.emplace_back("no_contact");
  f.sufficient =
      25.0 * (static_cast<int>(f.connected) + static_cast<int>(f.days_since_update.has_value()) +
              static_cast<int>(f.record_count) + static_cast<int>(f.contact));
  if (f.days_since_update) {
    const double d = static_cast<double>(std::max<int64_t>(*f.days_since_update, 0));
    f.alive = d <= 31 ? 100 : std::max(0.0, 100.0 * (365 - d) / (365 - 31));
  }
  return f;
}

bool Scored(const catalog::Entry& e, const std::set<std::string>& named) {
  return (e.kind == catalog::Kind::kDatabase && e.status == catalog::EntryStatus::kInUse) ||
         named.contains(e.code);
}

json::object Scoreboard(const std::vector<Evaluation>& evaluations, const ReportsAt& reports_at,
                        const units::Registry& registry, Date as_of,
                        const std::function<bool(const std::string& unit)>& may_see,
                        const std::vector<catalog::Entry>* catalog) {
  const std::string month = ScoreMonth(as_of);
  const std::string previous = ShiftMonth(month, -1);
  // A unit's scores weigh each of its datasets (and its reported values) alike; a dataset's weigh
  // its units by their records; the province's weigh the datasets and the values alike.
  std::map<std::string, Scores4> unit_now;
  std::map<std::string, Scores4> unit_before;
  std::map<std::string, std::map<std::string, Scores4>> dataset_month;  // dataset -> month
  std::map<std::string, std::pair<std::string, int64_t>> worst;         // unit -> check, failed
  std::map<std::string, std::string> worst_title;                       // unit -> its title
  std::map<std::pair<std::string, size_t>, std::pair<int64_t, int64_t>> by_check;
  std::map<std::string, std::set<std::string>> dataset_units;
  const std::string first = ShiftMonth(month, -11);
  for (const auto& ev : evaluations) {
    for (const auto& c : ev.cells) {
      if (c.month < first || c.month > month) continue;
      dataset_month[ev.dataset][c.month].Add(c, Weight(c));
      if (c.month == month) {
        unit_now[c.unit].Add(c, 1);
        dataset_units[ev.dataset].insert(c.unit);
        for (const auto& cc : c.checks) {
          auto& [failed, total] = by_check[{ev.dataset, cc.check}];
          failed += cc.failed;
          total += cc.total;
          auto& w = worst[c.unit];
          if (cc.failed > w.second) {
            w = {ev.dataset + "." + ev.checks[cc.check].id, cc.failed};
            worst_title[c.unit] = ev.checks[cc.check].title;
          }
        }
      } else if (c.month == previous) {
        unit_before[c.unit].Add(c, 1);
      }
    }
  }
  Scores4 values_now;
  Scores4 values_before;
  int64_t values_units = 0;
  if (reports_at) {
    for (const auto& r : reports_at(as_of)) {
      if (r.unit == nullptr) continue;
      ++values_units;
      AddReports(unit_now[r.unit->code], r);
      AddReports(values_now, r);
    }
  }
  std::map<std::string, Scores4> province;  // month -> the datasets' and values' scores alike
  for (const auto& [dataset, months] : dataset_month) {
    for (const auto& [m, s] : months) {
      for (size_t d = 0; d < kDimensions; ++d) {
        if (auto v = s.Of(d)) province[m].Add(static_cast<Dimension>(d), *v, 1);
      }
    }
  }
  // The reported values as of the end of each month of the trend (as of the date for its last).
  for (int i = 0; i < 12 && reports_at; ++i) {
    const std::string m = ShiftMonth(month, -i);
    const Date end =
        i == 0 ? as_of : LastDayOfMonth(std::stoi(m.substr(0, 4)), std::stoi(m.substr(5)));
    Scores4 values;
    for (const auto& r : i == 0 ? std::vector<engine::UnitReports>{} : reports_at(end)) {
      if (r.unit == nullptr) continue;
      AddReports(values, r);
      if (i == 1) AddReports(unit_before[r.unit->code], r);
    }
    if (i == 0) values = values_now;
    if (i == 1) values_before = values;
    for (size_t d = 0; d < kDimensions; ++d) {
      if (auto v = values.Of(d)) province[m].Add(static_cast<Dimension>(d), *v, 1);
    }
  }
  // The catalog's databases: their facts as of the end of each month of the trend are not kept,
  // so they count in the month scored only (the trend shows the datasets and values).
  std::set<std::string> named;
  for (const auto& ev : evaluations) {
    if (!ev.catalog_entry.empty()) named.insert(ev.catalog_entry);
  }
  Scores4 catalog_now;
  if (catalog != nullptr) {
    for (const auto& e : *catalog) {
      if (e.kind != catalog::Kind::kDatabase || e.status != catalog::EntryStatus::kInUse) continue;
      const Evaluation* ev = nullptr;
      for (const auto& candidate : evaluations) {
        if (candidate.catalog_entry == e.code) ev = &candidate;
      }
      const CatalogFacts f = FactsOf(e, ev, as_of);
      catalog_now.Add(Dimension::kSufficient, f.sufficient, 1);
      catalog_now.Add(Dimension::kAlive, f.alive, 1);
    }
    for (size_t d = 0; d < kDimensions; ++d) {
      if (auto v = catalog_now.Of(d)) province[month].Add(static_cast<Dimension>(d), *v, 1);
    }
  }
  auto dataset_at = [&](const std::string& dataset, const std::string& m) {
    auto it = dataset_month.find(dataset);
    if (it == dataset_month.end()) return Scores4{};
    auto jt = it->second.find(m);
    return jt == it->second.end() ? Scores4{} : jt->second;
  };

  json::object out{{"as_of", as_of.ToString()}, {"month", month}};
  json::object prov;
  PutScores(prov, province[month]);
  prov["change"] = Change(province[month], province[previous]);
  out["province"] = std::move(prov);

  std::vector<std::pair<double, json::object>> units;
  for (const auto& [code, s] : unit_now) {
    if (!may_see(code)) continue;
    json::object u{{"unit", code}};
    const auto* unit = code.empty() ? nullptr : registry.Find(code, as_of);
    u["name"] = unit ? json::value(unit->name) : json::value(code.empty() ? "Toàn tỉnh" : code);
    PutScores(u, s);
    auto before = unit_before.find(code);
    u["change"] = Change(s, before == unit_before.end() ? Scores4{} : before->second);
    u["rows"] = s.rows;
    if (auto w = worst.find(code); w != worst.end() && w->second.second > 0) {
      u["worst"] = {
          {"check", w->second.first}, {"title", worst_title[code]}, {"failed", w->second.second}};
    } else {
      u["worst"] = nullptr;
    }
    units.emplace_back(s.Overall().value_or(0), std::move(u));
  }
  std::stable_sort(units.begin(), units.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  json::array unit_list;
  for (auto& [score, u] : units) unit_list.push_back(std::move(u));
  out["units"] = std::move(unit_list);

  json::array datasets;
  for (const auto& ev : evaluations) {
    json::object o{{"dataset", ev.dataset}, {"title", ev.title}};
    const Scores4 s = dataset_at(ev.dataset, month);
    PutScores(o, s);
    o["change"] = Change(s, dataset_at(ev.dataset, previous));
    o["rows"] = ev.rows;
    o["units"] = static_cast<int64_t>(dataset_units[ev.dataset].size());
    datasets.push_back(std::move(o));
  }
  if (values_now.Overall()) {
    json::object o{{"dataset", "values"}, {"title", "Số liệu báo cáo chỉ tiêu"}};
    PutScores(o, values_now);
    o["change"] = Change(values_now, values_before);
    o["rows"] = values_units;
    o["units"] = values_units;
    datasets.push_back(std::move(o));
  }
  if (catalog_now.Overall()) {
    json::object o{{"dataset", "catalog"}, {"title", "Danh mục cơ sở dữ liệu"}};
    PutScores(o, catalog_now);
    o["change"] = nullptr;
    o["rows"] = 0;
    o["units"] = 0;
    datasets.push_back(std::move(o));
  }
  out["datasets"] = std::move(datasets);

  if (catalog != nullptr) {
    std::vector<std::pair<double, json::object>> databases;
    for (const auto& e : *catalog) {
      if (!Scored(e, named)) continue;
      const Evaluation* ev = nullptr;
      for (const auto& candidate : evaluations) {
        if (candidate.catalog_entry == e.code) ev = &candidate;
      }
      const CatalogFacts f = FactsOf(e, ev, as_of);
      // Its dataset's scores and the catalog's facts, alike.
      auto with_facts = [&](const Scores4& dataset) {
        Scores4 s;
        for (size_t d = 0; d < kDimensions; ++d) {
          if (auto v = dataset.Of(d)) s.Add(static_cast<Dimension>(d), *v, 1);
        }
        s.Add(Dimension::kSufficient, f.sufficient, 1);
        s.Add(Dimension::kAlive, f.alive, 1);
        return s;
      };
      const Scores4 s = with_facts(ev ? dataset_at(ev->dataset, month) : Scores4{});
      const auto* owner = registry.Find(e.owner, as_of);
      json::object o{{"code", e.code},
                     {"name", e.name},
                     {"kind", catalog::kKindNames.Name(e.kind)},
                     {"sector", e.sector},
                     {"owner", e.owner},
                     {"owner_name", owner ? json::value(owner->name) : json::value(nullptr)},
                     {"status", catalog::kStatusNames.Name(e.status)},
                     {"dataset", ev ? json::value(ev->dataset) : json::value(nullptr)}};
      PutScores(o, s);
      o["change"] =
          ev ? Change(s, with_facts(dataset_at(ev->dataset, previous))) : json::value(nullptr);
      json::object facts{
          {"connected", f.connected},
          {"ioc_connected", e.ioc_connected},
          {"last_data_update",
           e.last_data_update ? json::value(e.last_data_update->ToString()) : json::value(nullptr)},
          {"days_since_update",
           f.days_since_update ? json::value(*f.days_since_update) : json::value(nullptr)},
          {"record_count", e.record_count ? json::value(*e.record_count) : json::value(nullptr)},
          {"contact", f.contact}};
      o["facts"] = std::move(facts);
      o["problems"] = json_util::Strings(f.problems);
      databases.emplace_back(s.Overall().value_or(0), std::move(o));
    }
    std::stable_sort(databases.begin(), databases.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    json::array list;
    list.reserve(databases.size());
    for (auto& [score, o] : databases) list.push_back(std::move(o));
    out["databases"] = std::move(list);
  }

  std::vector<std::pair<double, json::object>> checks;
  for (const auto& [k, counts] : by_check) {
    const auto& [dataset, index] = k;
    const auto& [failed, total] = counts;
    if (failed == 0 || total == 0) continue;
    const Evaluation* ev = nullptr;
    for (const auto& e : evaluations) {
      if (e.dataset == dataset) ev = &e;
    }
    const Check& c = ev->checks[index];
    const double rate = 100.0 * static_cast<double>(total - failed) / static_cast<double>(total);
    checks.emplace_back(rate, json::object{{"dataset", dataset},
                                           {"check", c.id},
                                           {"title", c.title},
                                           {"type", CheckTypeName(c.type)},
                                           {"dimension", DimensionName(c.dimension)},
                                           {"failed", failed},
                                           {"total", total},
                                           {"rate", Round1(rate)}});
  }
  std::stable_sort(checks.begin(), checks.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  json::array check_list;
  for (size_t i = 0; i < checks.size() && i < 20; ++i) check_list.push_back(checks[i].second);
  out["checks"] = std::move(check_list);

  json::array trend;
  for (int i = 11; i >= 0; --i) {
    const std::string m = ShiftMonth(month, -i);
    json::object t{{"month", m}};
    PutScores(t, province[m]);
    trend.push_back(std::move(t));
  }
  out["trend"] = std::move(trend);
  return out;
}

json::array Scores(const std::vector<Evaluation>& evaluations, const units::Registry& registry,
                   const std::string& dataset, const std::string& unit, const std::string& month,
                   std::optional<Dimension> dimension) {
  json::array items;
  for (const auto& ev : evaluations) {
    if (!dataset.empty() && ev.dataset != dataset) continue;
    for (const auto& c : ev.cells) {
      if ((!unit.empty() && c.unit != unit) || (!month.empty() && c.month != month)) continue;
      for (size_t d = 0; d < kDimensions; ++d) {
        if (!c.scored[d] || (dimension && static_cast<size_t>(*dimension) != d)) continue;
        json::array checks;
        for (const auto& cc : c.checks) {
          if (cc.total == 0 || static_cast<size_t>(ev.checks[cc.check].dimension) != d) continue;
          checks.push_back({{"check", ev.checks[cc.check].id},
                            {"title", ev.checks[cc.check].title},
                            {"failed", cc.failed},
                            {"total", cc.total}});
        }
        const auto* u = c.unit.empty() ? nullptr : registry.Find(c.unit, Date::Today());
        items.push_back({{"dataset", ev.dataset},
                         {"unit", c.unit},
                         {"unit_name", u ? json::value(u->name) : json::value(nullptr)},
                         {"month", c.month},
                         {"dimension", DimensionName(static_cast<Dimension>(d))},
                         {"score", Round1(c.score[d])},
                         {"rows", c.rows},
                         {"checks", std::move(checks)}});
      }
    }
  }
  return items;
}

std::vector<Alert> Alerts(const std::vector<Evaluation>& evaluations, const ReportsAt& reports_at,
                          const units::Registry& registry, Date as_of, double below) {
  std::vector<Alert> out;
  const std::string month = ScoreMonth(as_of);
  const std::string previous = ShiftMonth(month, -1);
  const json::object board =
      Scoreboard(evaluations, reports_at, registry, as_of, [](const std::string&) { return true; });
  for (const auto& u : board.at("units").as_array()) {
    const auto& o = u.as_object();
    const auto& overall = o.at("overall");
    if (!overall.is_number() || overall.to_number<double>() >= below) continue;
    Alert a;
    a.kind = "quality_low";
    a.unit = std::string(o.at("unit").as_string());
    a.month = month;
    a.score = overall.to_number<double>();
    out.push_back(std::move(a));
  }
  for (const auto& ev : evaluations) {
    std::map<std::pair<std::string, size_t>, int64_t> before;  // unit, check -> failed
    for (const auto& c : ev.cells) {
      if (c.month != previous) continue;
      for (const auto& cc : c.checks) before[{c.unit, cc.check}] = cc.total > 0 ? cc.failed : -1;
    }
    for (const auto& c : ev.cells) {
      if (c.month != month) continue;
      for (const auto& cc : c.checks) {
        auto it = before.find({c.unit, cc.check});
        if (cc.failed == 0 || it == before.end() || it->second != 0) continue;
        Alert a;
        // A unit whose data stopped coming is said in those words.
        a.kind =
            ev.checks[cc.check].type == CheckType::kFreshness ? "unit_silent" : "check_failing";
        a.unit = c.unit;
        a.month = month;
        a.dataset = ev.dataset;
        a.check = ev.checks[cc.check].id;
        a.title = ev.checks[cc.check].title;
        a.failed = cc.failed;
        out.push_back(std::move(a));
      }
    }
  }
  return out;
}

Result<std::vector<std::string>> DatasetKeys(store::DatasetStore& store, const std::string& dataset,
                                             const std::string& field) {
  auto d = ingest::LoadDataset(store, dataset);
  if (!d) return Fail(d.error());
  size_t column = d->schema.fields.size();
  for (size_t i = 0; i < d->schema.fields.size(); ++i) {
    if (d->schema.fields[i].name == field) column = i;
  }
  std::vector<std::string> keys;
  auto s = store.ForEachRecord(d->table, [&](const std::vector<store::Cell>& row) {
    if (column < row.size()) keys.push_back(internal::CellText(row[column]));
    return Ok();
  });
  if (!s) return Fail(s.error());
  return keys;
}

// --- The service --------------------------------------------------------------------------------

Result<bool> Service::Refresh(const units::Registry& registry, const std::string& as_of, Kept& kept,
                              const ingest::Dataset& d, std::set<std::string>* units) {
  // What the evaluation was made from: the schema, the checks as stored, and the newest batches
  // of the datasets it refers to. Compared as they are stored: nothing parsed when unchanged.
  auto raw = settings_.GetSetting(internal::ChecksKey(d.row.code));
  if (!raw) return Fail(raw.error());
  std::string signature =
      std::to_string(d.row.version) + "|" + std::to_string(generation_) + "|" + raw->value_or("");
  auto refers = [this](const std::vector<std::string>& datasets) -> Result<std::string> {
    std::string out;
    for (const auto& code : datasets) {
      auto newest = datasets_.Batches(code, 0, 1);
      if (!newest) return Fail(newest.error());
      out += code + ":" + (newest->empty() ? "0" : std::to_string(newest->front().id)) + ";";
    }
    return out;
  };
  auto newest = datasets_.Batches(d.row.code, 0, 1);
  if (!newest) return Fail(newest.error());
  const int64_t batch = newest->empty() ? 0 : newest->front().id;
  bool same = kept.evaluator && kept.signature == signature;
  if (same) {
    auto deps = refers(kept.refers);
    if (!deps) return Fail(deps.error());
    same = *deps == kept.refers_stamp;
  }
  if (same) {
    if (batch <= kept.seen_batch) return false;
    if (auto s = kept.evaluator->Update(datasets_, registry, units); !s) return Fail(s.error());
  } else {
    auto checks = LoadChecks(settings_, d);
    if (!checks) return Fail(checks.error());
    kept.refers.clear();
    for (const auto& c : checks->checks) {
      if (c.type == CheckType::kReference && !c.dataset.empty()) kept.refers.push_back(c.dataset);
    }
    auto deps = refers(kept.refers);
    if (!deps) return Fail(deps.error());
    EvaluateOptions options;
    options.as_of = *Date::Parse(as_of);
    options.keys_of = [this](const std::string& code, const std::string& field) {
      return DatasetKeys(datasets_, code, field);
    };
    auto built = Evaluator::Build(datasets_, registry, d, checks->checks, options);
    if (!built) return Fail(built.error());
    kept.evaluator = std::move(*built);
    kept.signature = std::move(signature);
    kept.refers_stamp = std::move(*deps);
    kept.catalog_entry = checks->catalog_entry;
  }
  kept.seen_batch = batch;
  auto snapshot = std::make_shared<Evaluation>(kept.evaluator->Snapshot(false));
  snapshot->catalog_entry = kept.catalog_entry;
  kept.snapshot = std::move(snapshot);
  return true;
}

Result<std::shared_ptr<const std::vector<Evaluation>>> Service::Evaluations(
    const units::Registry& registry, Date as_of) {
  std::lock_guard lock(mu_);
  auto r = RefreshAsOf(registry, as_of.ToString(), nullptr);
  if (!r) return Fail(r.error());
  return *r;
}

Result<std::shared_ptr<const std::vector<Evaluation>>> Service::RefreshAsOf(
    const units::Registry& registry, const std::string& as_of, Changes* changes) {
  auto list = ingest::ListDatasets(datasets_);
  if (!list) return Fail(list.error());
  // A few dates are kept (the IOC's, today's, a report's): the one used longest ago goes.
  if (!kept_.contains(as_of) && kept_.size() >= kKeptDates) {
    auto oldest = std::min_element(kept_.begin(), kept_.end(), [](const auto& a, const auto& b) {
      return a.second.used < b.second.used;
    });
    kept_.erase(oldest);
  }
  KeptDate& date = kept_[as_of];
  date.used = ++uses_;
  bool changed = !date.all;
  std::set<std::string> present;
  for (const auto& d : *list) {
    present.insert(d.row.code);
    std::set<std::string> units;
    auto refreshed = Refresh(registry, as_of, date.datasets[d.row.code], d, &units);
    if (!refreshed) return Fail(refreshed.error());
    if (*refreshed) {
      changed = true;
      if (changes != nullptr) {
        changes->datasets.insert(d.row.code);
        changes->units.insert(units.begin(), units.end());
      }
    }
  }
  changed =
      std::erase_if(date.datasets, [&](const auto& k) { return !present.contains(k.first); }) > 0 ||
      changed;
  if (changed) {
    auto all = std::make_shared<std::vector<Evaluation>>();
    all->reserve(list->size());
    for (const auto& d : *list) all->push_back(*date.datasets.at(d.row.code).snapshot);
    date.all = std::move(all);
  }
  return date.all;
}

Result<Changes> Service::Follow(const units::Registry& registry, bool any_batch) {
  std::lock_guard lock(mu_);
  Changes changes;
  // Nothing committed since the last time: nothing to take (unless a refused batch is to count).
  auto last = datasets_.LastCommittedBatch();
  if (!last) return Fail(last.error());
  if (!any_batch && *last == followed_batch_) return changes;
  followed_batch_ = *last;
  for (auto& [as_of, date] : kept_) {
    std::set<std::string> before = changes.datasets;
    auto r = RefreshAsOf(registry, as_of, &changes);
    if (!r) return Fail(r.error());
    if (changes.datasets != before) changes.as_of.push_back(as_of);
  }
  return changes;
}

std::vector<engine::UnitReports> Service::Reports(const engine::Snapshot& snap, Date as_of) {
  {
    std::lock_guard lock(mu_);
    if (reports_version_ != snap.version()) {
      reports_.clear();
      reports_version_ = snap.version();
    }
    if (auto it = reports_.find(as_of.ToString()); it != reports_.end()) return it->second;
  }
  auto reports = engine::ReportingByUnit(snap, as_of);
  std::lock_guard lock(mu_);
  if (reports_version_ == snap.version()) reports_[as_of.ToString()] = reports;
  return reports;
}

Status Service::ForEachFailure(const units::Registry& registry, Date as_of,
                               const std::string& dataset,
                               const std::function<void(const Evaluation&, const Failure&)>& fn) {
  std::lock_guard lock(mu_);
  auto all = RefreshAsOf(registry, as_of.ToString(), nullptr);
  if (!all) return Fail(all.error());
  const KeptDate& date = kept_.at(as_of.ToString());
  for (const auto& ev : **all) {
    if (!dataset.empty() && ev.dataset != dataset) continue;
    const Kept& k = date.datasets.at(ev.dataset);
    k.evaluator->ForEachFailure([&](const Failure& f) { fn(ev, f); });
    for (const auto& f : ev.failures) fn(ev, f);
  }
  return Ok();
}

void Service::Invalidate() {
  std::lock_guard lock(mu_);
  ++generation_;
}

}  // namespace pdh::quality
