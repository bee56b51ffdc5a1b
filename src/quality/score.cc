// Scoring: a dataset's records against its checks, once, into cells of unit × month with each
// dimension's score; the scoreboard over every dataset and the reported values.
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
#include "quality/quality.h"

namespace pdh::quality {
namespace json = boost::json;

namespace {

std::string QualityCellText(const store::Cell& c) {
  if (const auto* s = std::get_if<std::string>(&c)) return *s;
  if (const auto* i = std::get_if<int64_t>(&c)) return std::to_string(*i);
  if (const auto* d = std::get_if<double>(&c)) return json_util::Serialize(json::value(*d));
  return {};
}

bool QualityIsNull(const store::Cell& c) {
  if (std::holds_alternative<std::monostate>(c)) return true;
  const auto* s = std::get_if<std::string>(&c);
  return s != nullptr && s->empty();
}

// "2025-10-03", "2025-10-03T08:00:00", "2025-10-03 08:00:00Z" -> seconds since 1970.
std::optional<double> QualitySeconds(const std::string& s) {
  if (s.size() < 10) return std::nullopt;
  auto d = Date::Parse(s.substr(0, 10));
  if (!d) return std::nullopt;
  double secs = static_cast<double>(DayNumber(*d)) * 86400;
  if (s.size() >= 19 && (s[10] == 'T' || s[10] == ' ')) {
    auto digits = [&](size_t at) { return (s[at] - '0') * 10 + (s[at + 1] - '0'); };
    secs += digits(11) * 3600 + digits(14) * 60 + digits(17);
  }
  return secs;
}

std::optional<double> QualityNumber(const store::Cell& c, ingest::FieldType type) {
  if (const auto* i = std::get_if<int64_t>(&c)) return static_cast<double>(*i);
  if (const auto* d = std::get_if<double>(&c)) return *d;
  if (const auto* s = std::get_if<std::string>(&c)) {
    if (type == ingest::FieldType::kDate || type == ingest::FieldType::kDatetime) {
      return QualitySeconds(*s);
    }
  }
  return std::nullopt;
}

std::string MonthOf(Date d) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04d-%02d", d.year, d.month);
  return buf;
}

std::string ShiftMonth(const std::string& month, int by) {
  const int y = std::stoi(month.substr(0, 4));
  const int m = std::stoi(month.substr(5, 2)) - 1 + by;
  const int year = y + (m >= 0 ? m / 12 : -((11 - m) / 12));
  const int mon = ((m % 12) + 12) % 12 + 1;
  return MonthOf({year, mon, 1});
}

// The month the scores speak of: the as-of month when it is over, else the one before.
std::string ScoreMonth(Date as_of) {
  const std::string m = MonthOf(as_of);
  return as_of.day == DaysInMonth(as_of.year, as_of.month) ? m : ShiftMonth(m, -1);
}

// What one unit's monthly counts say of a unit check, in month `month`: passed, or why not.
struct UnitHistory {
  std::map<std::string, int64_t> rows;     // month -> records
  std::map<std::string, int64_t> on_time;  // month -> records that arrived by the due day
  std::string newest;                      // the newest record's date (YYYY-MM-DD)
};

std::optional<std::string> FailsUnitCheck(const Check& c, const UnitHistory& h,
                                          const std::string& month, Date month_end) {
  auto count = [&](const std::string& m) {
    auto it = h.rows.find(m);
    return it == h.rows.end() ? int64_t{0} : it->second;
  };
  const std::string first = h.rows.empty() ? month : h.rows.begin()->first;
  switch (c.type) {
    case CheckType::kFreshness: {
      if (h.newest.empty()) return "no record";
      auto newest = Date::Parse(h.newest);
      if (!newest) return std::nullopt;
      const int64_t days = DayNumber(month_end) - DayNumber(*newest);
      if (days > c.max_days) {
        return "the newest record is " + std::to_string(days) + " days old (at most " +
               std::to_string(c.max_days) + ")";
      }
      return std::nullopt;
    }
    case CheckType::kRowCount: {
      const int64_t last_year = count(ShiftMonth(month, -12));
      if (last_year == 0) return std::nullopt;
      const double change =
          100.0 * static_cast<double>(count(month) - last_year) / static_cast<double>(last_year);
      if (std::abs(change) > c.within_percent) {
        return std::to_string(count(month)) + " records against " + std::to_string(last_year) +
               " a year before";
      }
      return std::nullopt;
    }
    case CheckType::kCompleteness: {
      int expected = 0;
      int received = 0;
      for (int i = 0; i < 12; ++i) {
        const std::string m = ShiftMonth(month, -i);
        if (m < first) break;
        ++expected;
        if (count(m) > 0) ++received;
      }
      if (expected > 0 && 100.0 * received / expected < c.threshold) {
        return std::to_string(received) + " of " + std::to_string(expected) + " months reported";
      }
      return std::nullopt;
    }
    case CheckType::kTimeliness: {
      int64_t rows = 0;
      int64_t timely = 0;
      for (int i = 0; i < 12; ++i) {
        const std::string m = ShiftMonth(month, -i);
        rows += count(m);
        if (auto it = h.on_time.find(m); it != h.on_time.end()) timely += it->second;
      }
      if (rows > 0 &&
          100.0 * static_cast<double>(timely) / static_cast<double>(rows) < c.threshold) {
        return std::to_string(timely) + " of " + std::to_string(rows) +
               " records arrived by the due day";
      }
      return std::nullopt;
    }
    case CheckType::kOutliers: {
      std::vector<double> before;
      for (int i = 1; i <= 12; ++i) {
        const std::string m = ShiftMonth(month, -i);
        if (m < first) break;
        before.push_back(static_cast<double>(count(m)));
      }
      if (before.size() < 6) return std::nullopt;
      const double x = static_cast<double>(count(month));
      if (c.method == "sd") {
        const double mean =
            std::accumulate(before.begin(), before.end(), 0.0) / static_cast<double>(before.size());
        double var = 0;
        for (double v : before) var += (v - mean) * (v - mean);
        const double sd = std::sqrt(var / static_cast<double>(before.size()));
        if (sd > 0 && std::abs(x - mean) > c.threshold * sd) return "outside the mean ± SD band";
        return std::nullopt;
      }
      std::vector<double> sorted = before;
      std::sort(sorted.begin(), sorted.end());
      auto median_of = [](std::vector<double> v) {
        std::sort(v.begin(), v.end());
        const size_t n = v.size();
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
      };
      const double median = median_of(sorted);
      std::vector<double> deviations;
      deviations.reserve(sorted.size());
      for (double v : sorted) deviations.push_back(std::abs(v - median));
      const double mad = median_of(deviations);
      if (mad > 0 && 0.6745 * std::abs(x - median) / mad > c.threshold) {
        return "modified z-score above " + json_util::Serialize(json::value(c.threshold));
      }
      return std::nullopt;
    }
    case CheckType::kConsistency: {
      double sum = 0;
      int n = 0;
      for (int i = 1; i <= 3; ++i) {
        const std::string m = ShiftMonth(month, -i);
        if (m < first) break;
        sum += static_cast<double>(count(m));
        ++n;
      }
      if (n < 3 || sum == 0) return std::nullopt;
      const double mean = sum / n;
      const double change = 100.0 * (static_cast<double>(count(month)) - mean) / mean;
      if (std::abs(change) > c.within_percent) {
        return std::to_string(count(month)) + " records against a mean of " +
               std::to_string(static_cast<int64_t>(std::lround(mean))) +
               " over the three months before";
      }
      return std::nullopt;
    }
    default:
      return std::nullopt;
  }
}

bool IsUnitCheck(CheckType t) {
  return t >= CheckType::kFreshness;
}

void ScoreCell(const std::vector<Check>& checks, Cell& cell) {
  double sum[kDimensions] = {0, 0, 0, 0};
  int n[kDimensions] = {0, 0, 0, 0};
  for (const auto& cc : cell.checks) {
    if (cc.total == 0) continue;
    const auto d = static_cast<size_t>(checks[cc.check].dimension);
    sum[d] += 100.0 * static_cast<double>(cc.total - cc.failed) / static_cast<double>(cc.total);
    ++n[d];
  }
  for (size_t d = 0; d < kDimensions; ++d) {
    cell.scored[d] = n[d] > 0;
    cell.score[d] = n[d] > 0 ? sum[d] / n[d] : 100;
  }
}

// The cell's count of check `check` of `n`: a cell holds one count per check, by index.
CheckCount& CountOf(Cell& cell, size_t check, size_t n) {
  for (size_t i = cell.checks.size(); i < n; ++i) cell.checks.push_back({i, 0, 0});
  return cell.checks[check];
}

}  // namespace

// --- Evaluation ---------------------------------------------------------------------------------

Result<Evaluation> Evaluate(store::DatasetStore& store, const units::Registry& registry,
                            const ingest::Dataset& d, const std::vector<Check>& checks,
                            const EvaluateOptions& options) {
  Evaluation ev;
  ev.dataset = d.row.code;
  ev.title = d.row.title;
  ev.checks = checks;
  ev.failures_total.assign(checks.size(), 0);
  const auto& fields = d.schema.fields;
  std::optional<size_t> unit_col;
  std::optional<size_t> period_col;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (!unit_col && fields[i].unit) unit_col = i;
    if (!period_col && fields[i].period) period_col = i;
  }
  auto col = [&](const std::string& name) -> size_t {
    for (size_t i = 0; i < fields.size(); ++i) {
      if (fields[i].name == name) return i;
    }
    return fields.size();
  };
  std::vector<std::string> names;
  names.reserve(fields.size());
  for (const auto& f : fields) names.push_back(f.name);

  // What each row check needs, made once.
  struct Prepared {
    size_t column = 0;
    std::vector<size_t> columns;
    std::optional<std::regex> re;
    std::unordered_set<std::string> allowed;  // folded
    std::optional<engine::RecordCondition> condition;
    std::unordered_set<std::string> keys;  // reference to another dataset
    // Values repeat (codes, units): each is judged once.
    std::unordered_map<std::string, bool> judged;
    bool Allowed(const std::string& v) {
      auto [it, fresh] = judged.try_emplace(v, false);
      if (fresh) it->second = allowed.contains(text::Fold(v));
      return it->second;
    }
    bool Refers(const std::string& v, const units::Registry* registry, Date as_of) {
      auto [it, fresh] = judged.try_emplace(v, false);
      if (fresh) it->second = registry ? registry->Find(v, as_of) != nullptr : keys.contains(v);
      return it->second;
    }
  };
  std::vector<Prepared> prepared(checks.size());
  for (size_t i = 0; i < checks.size(); ++i) {
    const Check& c = checks[i];
    Prepared& p = prepared[i];
    p.column = col(c.field);
    for (const auto& f : c.fields) p.columns.push_back(col(f));
    if (c.type == CheckType::kPattern) p.re.emplace(c.pattern, std::regex::ECMAScript);
    for (const auto& v : c.values) p.allowed.insert(text::Fold(v));
    if (c.type == CheckType::kRule) {
      auto parsed = engine::RecordCondition::Parse(c.expression, names);
      if (!parsed) return Fail(parsed.error());
      p.condition = std::move(*parsed);
    }
    if (c.type == CheckType::kReference && !c.dataset.empty()) {
      if (!options.keys_of) continue;
      auto keys = options.keys_of(c.dataset, c.key);
      if (!keys) return Fail(keys.error());
      for (auto& k : *keys) p.keys.insert(std::move(k));
    }
  }

  std::map<std::pair<std::string, std::string>, Cell> cells;
  std::map<std::string, UnitHistory> history;
  std::unordered_map<int64_t, std::string> batch_time;
  const std::string as_of_text = options.as_of.ToString();
  // Duplicates: each check's value key -> the records holding it.
  std::vector<std::unordered_map<std::string, std::vector<std::pair<std::string, size_t>>>> dups(
      checks.size());
  std::vector<std::pair<std::string, std::string>> row_cells;  // unit, month of each row
  std::vector<std::optional<double>> numbers(fields.size());

  std::vector<size_t> failures_shown(checks.size(), 0);
  auto fail_fast = [&](size_t check, const std::string& key, const std::string& unit,
                       const std::string& month, const std::string& field, const std::string& value,
                       std::string reason) {
    ++ev.failures_total[check];
    if (failures_shown[check]++ < options.max_failures) {
      ev.failures.push_back({key, unit, month, check, field, value, std::move(reason)});
    }
  };

  // When each batch was written; the first is when the dataset was connected: records of months
  // due before it were history loaded at once, not reports sent late.
  auto arrived = [&](int64_t batch) -> const std::string& {
    auto [it, fresh] = batch_time.try_emplace(batch);
    if (fresh) {
      auto b = store.Batch(batch);
      if (b && *b) it->second = (*b)->created_at.substr(0, 10);
    }
    return it->second;
  };
  std::string connected;
  if (auto first = store.Batches(d.row.code, 0, 1 << 20); first && !first->empty()) {
    connected = first->back().created_at.substr(0, 10);
  }
  const std::string score_month = ScoreMonth(options.as_of);
  int due_day = 25;
  for (const auto& c : checks) {
    if (c.type == CheckType::kTimeliness) due_day = c.due_day;
  }
  char due_suffix[8];
  std::snprintf(due_suffix, sizeof due_suffix, "-%02d", due_day);

  auto s = store.ForEachRecordSince(
      d.table, 0, [&](const std::vector<store::Cell>& row, int64_t batch) -> Status {
        std::string date = period_col ? QualityCellText(row[*period_col]) : std::string();
        if (!date.empty() && date.substr(0, 10) > as_of_text) return Ok();
        // A register without dates (a list of people, of businesses) is scored as it stood:
        // its records as of the batches written by then, in the month scored.
        if (!period_col && arrived(batch) > as_of_text) return Ok();
        const std::string month = !period_col        ? score_month
                                  : date.size() >= 7 ? date.substr(0, 7)
                                                     : std::string();
        const std::string unit = unit_col ? QualityCellText(row[*unit_col]) : std::string();
        std::string key_text;  // made when a failure or a duplicate needs it
        auto key_of = [&]() -> const std::string& {
          if (key_text.empty()) key_text = store::KeyText(row, d.table.key);
          return key_text;
        };
        Cell& cell = cells[{unit, month}];
        cell.unit = unit;
        cell.month = month;
        ++cell.rows;
        ++ev.rows;
        UnitHistory& h = history[unit];
        if (!month.empty()) {
          ++h.rows[month];
          if (date.substr(0, 10) > h.newest) h.newest = date.substr(0, 10);
          // Arrived by the due day of the month after the record's month (history loaded when
          // the dataset was connected counts as on time).
          const std::string due = ShiftMonth(month, 1) + due_suffix;
          const std::string& at = arrived(batch);
          if (at <= due || due < connected) ++h.on_time[month];
        }
        for (size_t f = 0; f < fields.size(); ++f) numbers[f].reset();
        for (size_t i = 0; i < checks.size(); ++i) {
          const Check& c = checks[i];
          if (IsUnitCheck(c.type)) continue;
          Prepared& p = prepared[i];
          CheckCount& cc = CountOf(cell, i, checks.size());
          const store::Cell* value = p.column < row.size() ? &row[p.column] : nullptr;
          std::string scratch;
          const std::string* as_text = value ? std::get_if<std::string>(value) : nullptr;
          if (as_text == nullptr && value != nullptr) {
            scratch = QualityCellText(*value);
            as_text = &scratch;
          }
          const std::string& text = as_text != nullptr ? *as_text : scratch;
          switch (c.type) {
            case CheckType::kMissing:
              ++cc.total;
              if (value == nullptr || QualityIsNull(*value)) {
                ++cc.failed;
                fail_fast(i, key_of(), unit, month, c.field, "", c.field + " is empty");
              }
              break;
            case CheckType::kPattern:
              if (text.empty()) break;
              ++cc.total;
              if (!std::regex_match(text, *p.re)) {
                ++cc.failed;
                fail_fast(i, key_of(), unit, month, c.field, text, "does not match " + c.pattern);
              }
              break;
            case CheckType::kRange: {
              auto n = value ? QualityNumber(*value, fields[p.column].type) : std::nullopt;
              if (!n) break;
              ++cc.total;
              if ((c.min && *n < *c.min) || (c.max && *n > *c.max)) {
                ++cc.failed;
                fail_fast(i, key_of(), unit, month, c.field, text, "outside the allowed range");
              }
              break;
            }
            case CheckType::kCodes:
              if (text.empty()) break;
              ++cc.total;
              if (!p.Allowed(text)) {
                ++cc.failed;
                fail_fast(i, key_of(), unit, month, c.field, text, "not in the code list");
              }
              break;
            case CheckType::kDuplicate: {
              std::string k;
              bool any = false;
              for (size_t column : p.columns) {
                const std::string v = column < row.size() ? QualityCellText(row[column]) : "";
                any = any || !v.empty();
                k += text::Fold(v);
                k += '\x1f';
              }
              if (!any) break;
              ++cc.total;
              dups[i][k].emplace_back(key_of(), row_cells.size());
              break;
            }
            case CheckType::kRule: {
              for (size_t f : p.condition->reads()) {
                if (!numbers[f] && f < row.size()) {
                  numbers[f] = QualityNumber(row[f], fields[f].type);
                }
              }
              auto holds = p.condition->Holds(numbers);
              if (!holds) break;
              ++cc.total;
              if (!*holds) {
                ++cc.failed;
                fail_fast(i, key_of(), unit, month, "", "", "fails " + c.expression);
              }
              break;
            }
            case CheckType::kReference:
              if (text.empty()) break;
              ++cc.total;
              if (!p.Refers(text, c.dataset.empty() ? &registry : nullptr, options.as_of)) {
                ++cc.failed;
                fail_fast(i, key_of(), unit, month, c.field, text,
                          c.dataset.empty() ? "not a unit on that date"
                                            : "no record of " + c.dataset + " has it");
              }
              break;
            default:
              break;
          }
        }
        row_cells.emplace_back(unit, month);
        return Ok();
      });
  if (!s) return Fail(s.error());

  // Duplicates: every record of a repeated value but the first fails.
  for (size_t i = 0; i < checks.size(); ++i) {
    for (const auto& [k, holders] : dups[i]) {
      for (size_t j = 1; j < holders.size(); ++j) {
        const auto& [unit, month] = row_cells[holders[j].second];
        ++CountOf(cells[{unit, month}], i, checks.size()).failed;
        fail_fast(
            i, holders[j].first, unit, month, "", "", "repeats " + holders[0].first + " on " + [&] {
              std::string f;
              for (const auto& name : checks[i].fields) {
                if (!f.empty()) f += ", ";
                f += name;
              }
              return f;
            }());
      }
    }
  }

  // Unit checks, each month of the last year for every unit that ever sent a record.
  const std::string last = ScoreMonth(options.as_of);
  for (const auto& [unit, h] : history) {
    if (h.rows.empty()) continue;
    for (int back = 0; back < 13; ++back) {
      const std::string month = ShiftMonth(last, -back);
      if (month < h.rows.begin()->first) break;
      const Date end = LastDayOfMonth(std::stoi(month.substr(0, 4)), std::stoi(month.substr(5)));
      // The unit's history as it stood at the end of that month.
      UnitHistory then;
      for (const auto& [m, n] : h.rows) {
        if (m <= month) then.rows[m] = n;
      }
      for (const auto& [m, n] : h.on_time) {
        if (m <= month) then.on_time[m] = n;
      }
      if (!then.rows.empty()) {
        // The newest record then: the newest one, or the end of the newest month then.
        const std::string& nm = then.rows.rbegin()->first;
        const int y = std::stoi(nm.substr(0, 4));
        const int m = std::stoi(nm.substr(5));
        then.newest = h.newest.substr(0, 7) == nm ? h.newest : LastDayOfMonth(y, m).ToString();
      }
      Cell& cell = cells[{unit, month}];
      cell.unit = unit;
      cell.month = month;
      for (size_t i = 0; i < checks.size(); ++i) {
        if (!IsUnitCheck(checks[i].type)) continue;
        CheckCount& cc = CountOf(cell, i, checks.size());
        cc.total = 1;
        auto why = FailsUnitCheck(checks[i], then, month, end);
        cc.failed = why ? 1 : 0;
        if (why && back == 0) fail_fast(i, "", unit, month, "", "", *why);
      }
    }
  }
  for (auto& [k, cell] : cells) {
    ScoreCell(checks, cell);
    ev.cells.push_back(std::move(cell));
  }
  return ev;
}

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

json::object Scoreboard(const std::vector<Evaluation>& evaluations, const ReportsAt& reports_at,
                        const units::Registry& registry, Date as_of,
                        const std::function<bool(const std::string& unit)>& may_see) {
  const std::string month = ScoreMonth(as_of);
  const std::string previous = ShiftMonth(month, -1);
  // A unit's scores weigh each of its datasets (and its reported values) alike; a dataset's weigh
  // its units by their records; the province's weigh the datasets and the values alike.
  std::map<std::string, Scores4> unit_now;
  std::map<std::string, Scores4> unit_before;
  std::map<std::string, std::map<std::string, Scores4>> dataset_month;  // dataset -> month
  std::map<std::string, std::pair<std::string, int64_t>> worst;         // unit -> check, failed
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
          if (cc.failed > w.second) w = {ev.dataset + "." + ev.checks[cc.check].id, cc.failed};
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
      u["worst"] = {{"check", w->second.first}, {"failed", w->second.second}};
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
  out["datasets"] = std::move(datasets);

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
        a.kind = "check_failing";
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
    if (column < row.size()) keys.push_back(QualityCellText(row[column]));
    return Ok();
  });
  if (!s) return Fail(s.error());
  return keys;
}

// --- The service --------------------------------------------------------------------------------

Result<std::shared_ptr<const std::vector<Evaluation>>> Service::Evaluations(
    const units::Registry& registry, Date as_of) {
  // The datasets' newest batches: what the evaluations were made from (values reported to the
  // index set do not change them).
  auto list = ingest::ListDatasets(datasets_);
  if (!list) return Fail(list.error());
  std::string stamp;
  for (const auto& d : *list) {
    auto newest = datasets_.Batches(d.row.code, 0, 1);
    if (!newest) return Fail(newest.error());
    stamp += d.row.code + ":" + (newest->empty() ? "0" : std::to_string(newest->front().id)) + ";";
  }
  {
    std::lock_guard lock(mu_);
    stamp += std::to_string(generation_);
    auto it = cache_.find(as_of.ToString());
    if (it != cache_.end() && it->second.first == stamp) return it->second.second;
  }
  auto out = std::make_shared<std::vector<Evaluation>>();
  EvaluateOptions options;
  options.as_of = as_of;
  options.keys_of = [this](const std::string& code, const std::string& field) {
    return DatasetKeys(datasets_, code, field);
  };
  for (const auto& d : *list) {
    auto checks = LoadChecks(settings_, d);
    if (!checks) return Fail(checks.error());
    auto ev = Evaluate(datasets_, registry, d, checks->checks, options);
    if (!ev) return Fail(ev.error());
    out->push_back(std::move(*ev));
  }
  std::shared_ptr<const std::vector<Evaluation>> result = std::move(out);
  std::lock_guard lock(mu_);
  if (cache_.size() > 16) cache_.clear();
  cache_[as_of.ToString()] = {stamp, result};
  return result;
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

void Service::Invalidate() {
  std::lock_guard lock(mu_);
  ++generation_;
  cache_.clear();
}

}  // namespace pdh::quality
