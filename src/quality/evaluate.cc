// Evaluation: a dataset's records against its checks, into cells of unit × month with each
// dimension's score — built once from every record, then kept up to date record by record as
// batches commit (a changed record's results are taken back before its new ones count).
#include <algorithm>
#include <array>
#include <cmath>
#include <deque>
#include <functional>
#include <iterator>
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
#include "link/link.h"
#include "quality/internal.h"
#include "quality/quality.h"

namespace pdh::quality {
namespace json = boost::json;

namespace internal {

std::string CellText(const store::Cell& c) {
  if (const auto* s = std::get_if<std::string>(&c)) return *s;
  if (const auto* i = std::get_if<int64_t>(&c)) return std::to_string(*i);
  if (const auto* d = std::get_if<double>(&c)) return json_util::Serialize(json::value(*d));
  return {};
}

std::string MonthOf(Date d) {
  // Written digit by digit: the unit checks shift months some hundred thousand times a scoring.
  std::string out = "0000-00";
  int y = d.year;
  for (int i = 3; i >= 0; --i, y /= 10)
    out[static_cast<size_t>(i)] = static_cast<char>('0' + y % 10);
  out[5] = static_cast<char>('0' + d.month / 10);
  out[6] = static_cast<char>('0' + d.month % 10);
  return out;
}

std::string ShiftMonth(const std::string& month, int by) {
  auto digits = [&](size_t at, size_t n) {
    int v = 0;
    for (size_t i = at; i < at + n && i < month.size(); ++i) v = v * 10 + (month[i] - '0');
    return v;
  };
  const int y = digits(0, 4);
  const int m = digits(5, 2) - 1 + by;
  const int year = y + (m >= 0 ? m / 12 : -((11 - m) / 12));
  const int mon = ((m % 12) + 12) % 12 + 1;
  return MonthOf({year, mon, 1});
}

std::string ScoreMonth(Date as_of) {
  const std::string m = MonthOf(as_of);
  return as_of.day == DaysInMonth(as_of.year, as_of.month) ? m : ShiftMonth(m, -1);
}

}  // namespace internal

namespace {

using internal::CellText;
using internal::ShiftMonth;

bool IsNull(const store::Cell& c) {
  if (std::holds_alternative<std::monostate>(c)) return true;
  const auto* s = std::get_if<std::string>(&c);
  return s != nullptr && s->empty();
}

// "2025-10-03", "2025-10-03T08:00:00", "2025-10-03 08:00:00Z" -> seconds since 1970.
std::optional<double> Seconds(const std::string& s) {
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

std::optional<double> Number(const store::Cell& c, ingest::FieldType type) {
  if (const auto* i = std::get_if<int64_t>(&c)) return static_cast<double>(*i);
  if (const auto* d = std::get_if<double>(&c)) return *d;
  if (const auto* s = std::get_if<std::string>(&c)) {
    if (type == ingest::FieldType::kDate || type == ingest::FieldType::kDatetime) {
      return Seconds(*s);
    }
  }
  return std::nullopt;
}

// What one unit's monthly counts say of a unit check, in month `month`: passed, or why not.
struct UnitHistory {
  std::map<std::string, int64_t> rows;     // month -> records
  std::map<std::string, int64_t> on_time;  // month -> records that arrived by the due day
};

// Whether a unit check fails for `month` (ending on `month_end`), the unit's newest record then
// being `newest`. `h` may hold later months: a check reads only `month` and the months before.
std::optional<std::string> FailsUnitCheck(const Check& c, const UnitHistory& h,
                                          const std::string& newest, const std::string& month,
                                          Date month_end) {
  auto count = [&](const std::string& m) {
    auto it = h.rows.find(m);
    return it == h.rows.end() ? int64_t{0} : it->second;
  };
  const std::string first = h.rows.empty() ? month : h.rows.begin()->first;
  switch (c.type) {
    case CheckType::kFreshness: {
      if (newest.empty()) return "no record";
      auto newest_day = Date::Parse(newest);
      if (!newest_day) return std::nullopt;
      const int64_t days = DayNumber(month_end) - DayNumber(*newest_day);
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

bool IsGroupCheck(CheckType t) {
  return t == CheckType::kDuplicate || t == CheckType::kNearDuplicate;
}

// What each row check needs, made once.
struct Prepared {
  size_t column = 0;
  std::vector<size_t> columns;  // duplicate and near-duplicate: the fields compared
  std::vector<size_t> block;    // near-duplicate: the block's fields
  std::vector<link::Kind> kinds;
  std::vector<link::Comparer> comparers;  // near-duplicates: one per field compared
  std::optional<std::regex> re;
  std::unordered_set<std::string> allowed;  // folded
  std::optional<engine::RecordCondition> condition;
  std::unordered_set<std::string> keys;  // reference to another dataset
  size_t group = 0;                      // duplicate and near-duplicate: index of its groups
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

// A failure of a record on a row check, as the drill-down lists it.
struct Detail {
  uint32_t check = 0;
  std::string field;
  std::string value;
  std::string reason;
};

// One record's part of the evaluation: what it added to its cell and the unit's history, so
// that it can be taken back when a later batch changes the record.
struct Record {
  const std::string* key = nullptr;  // the key as the evaluation's index of keys holds it
  int32_t cell = -1;                 // -1: left out (dated after the as-of date)
  int8_t day = 0;                    // the day of its date in its cell's month (0: none)
  bool on_time = false;
  uint64_t counted = 0;  // row checks (not group checks) that judged it
  uint64_t failed = 0;   // ... and that it failed
  std::vector<Detail> details;
};

// What a cell keeps besides its counts: how many of its records arrived by the due day, how
// many are dated each day of its month, and that due day.
struct CellExtra {
  int64_t on_time = 0;
  std::array<int32_t, 32> days{};
  std::string due;            // "YYYY-MM-DD": the due day of the month after
  std::vector<size_t> shown;  // per check: its failures kept with their details (empty: none)
};

// Records that share a duplicate check's values, or a near-duplicate check's block.
struct Member {
  uint32_t record = 0;
  int64_t day = 0;  // near-duplicates: the day of the record's date (INT64_MIN: none)
  // Near-duplicates: each compared field's encoding (by its check's comparer) and length.
  std::vector<std::pair<uint32_t, uint32_t>> values;
};
struct Group {
  std::vector<Member> members;  // by record (order of arrival)
  // The members that fail, with the cell they were counted in and why.
  struct Failing {
    uint32_t record;
    int32_t cell;
    std::string reason;
  };
  std::vector<Failing> failing;
};
struct Groups {
  std::unordered_map<std::string, int32_t> ids;
  std::vector<Group> groups;
  std::vector<int32_t> dirty;  // groups to judge again
  std::vector<bool> is_dirty;  // per group
  std::set<int32_t> failing;   // groups with failing members
  void Touch(int32_t g) {
    if (is_dirty.size() <= static_cast<size_t>(g)) is_dirty.resize(static_cast<size_t>(g) + 1);
    if (is_dirty[static_cast<size_t>(g)]) return;
    is_dirty[static_cast<size_t>(g)] = true;
    dirty.push_back(g);
  }
};

constexpr int64_t kNoDay = INT64_MIN;
constexpr size_t kMaxNeighbours = 500;

// Whether two records' values of a near-duplicate check speak of the same person or thing:
// some value on both sides, none that differs beyond the comparisons' levels.
std::optional<std::string> NearSame(const std::vector<std::pair<uint32_t, uint32_t>>& a,
                                    const std::vector<std::pair<uint32_t, uint32_t>>& b,
                                    const std::vector<link::Kind>& kinds,
                                    const std::vector<link::Comparer>& comparers) {
  bool compared = false;
  std::string how;
  // Codes, numbers and dates first: most pairs differ there, before the names cost anything.
  std::array<size_t, 16> order{};
  size_t n = 0;
  for (int pass = 0; pass < 2; ++pass) {
    for (size_t i = 0; i < kinds.size() && n < order.size(); ++i) {
      const bool text = kinds[i] == link::Kind::kName || kinds[i] == link::Kind::kFullName ||
                        kinds[i] == link::Kind::kText;
      if (text == (pass == 1)) order[n++] = i;
    }
  }
  for (size_t k = 0; k < n; ++k) {
    const size_t i = order[k];
    const link::Level level = comparers[i].Compare(a[i].first, b[i].first);
    if (level == link::Level::kMissing || level == link::Level::kNeutral) continue;
    // Close enough to be one person or thing: the looser levels (two edits, a date in the same
    // year) say little alone, and one edit in a short value says nothing.
    switch (level) {
      case link::Level::kEdit2:
      case link::Level::kJw88:
      case link::Level::kWithinDays:
      case link::Level::kSameYear:
      case link::Level::kOther:
        return std::nullopt;
      case link::Level::kEdit1:
        if (std::min(a[i].second, b[i].second) < 5) return std::nullopt;
        break;
      default:
        break;
    }
    compared = true;
    if (!how.empty()) how += ", ";
    how += link::LevelName(level);
  }
  if (!compared) return std::nullopt;
  return how;
}

}  // namespace

struct Evaluator::State {
  const ingest::Dataset dataset;
  const std::vector<Check> checks;
  const EvaluateOptions options;
  std::optional<size_t> unit_col;
  std::optional<size_t> period_col;
  std::vector<Prepared> prepared;
  std::vector<Groups> groups;  // per group check
  std::string as_of_text;
  std::string score_month;
  char due_suffix[8] = {};
  std::string connected;  // when the first batch was written
  int64_t last_batch = 0;

  std::deque<Record> records;     // a deque: growing never moves the records already there
  std::vector<int32_t> group_of;  // records × group checks: the record's group (-1: none)
  std::unordered_map<std::string, uint32_t> by_key;
  std::set<uint32_t> with_details;
  std::vector<Cell> cells;
  std::vector<CellExtra> extra;                      // per cell
  std::unordered_map<std::string, int32_t> cell_of;  // unit '\x1f' month -> cell
  std::string cell_key;                              // scratch
  std::vector<int64_t> failures_total;               // row and group checks
  std::unordered_map<int64_t, std::string> batch_time;
  std::vector<std::optional<double>> numbers;
  std::map<std::pair<std::string, std::string>, int64_t> rejected;  // (unit, month) -> rows
  int64_t rejects_seen = 0;  // the newest batch whose refused rows are in `rejected`

  State(const ingest::Dataset& d, const std::vector<Check>& c, const EvaluateOptions& o)
      : dataset(d), checks(c), options(o) {}

  // When a batch was written; the first is when the dataset was connected: records of months
  // due before it were history loaded at once, not reports sent late.
  const std::string& Arrived(store::DatasetStore& store, int64_t batch) {
    auto [it, fresh] = batch_time.try_emplace(batch);
    if (fresh) {
      auto b = store.Batch(batch);
      if (b && *b) it->second = (*b)->created_at.substr(0, 10);
    }
    return it->second;
  }

  int32_t CellFor(std::string_view unit, std::string_view month) {
    cell_key.assign(unit);
    cell_key += '\x1f';
    cell_key += month;
    auto [it, fresh] = cell_of.try_emplace(cell_key, static_cast<int32_t>(cells.size()));
    if (fresh) {
      Cell c;
      c.unit = std::string(unit);
      c.month = std::string(month);
      c.checks.reserve(checks.size());
      for (size_t i = 0; i < checks.size(); ++i) c.checks.push_back({i, 0, 0});
      cells.push_back(std::move(c));
      CellExtra e;
      if (month.size() == 7) e.due = ShiftMonth(std::string(month), 1) + due_suffix;
      extra.push_back(std::move(e));
    }
    return it->second;
  }

  Status Prepare() {
    const auto& fields = dataset.schema.fields;
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
    prepared.resize(checks.size());
    for (size_t i = 0; i < checks.size(); ++i) {
      const Check& c = checks[i];
      Prepared& p = prepared[i];
      p.column = col(c.field);
      for (const auto& f : c.fields) p.columns.push_back(col(f));
      for (const auto& f : c.block) p.block.push_back(col(f));
      for (const auto& k : c.kinds) {
        p.kinds.push_back(link::ParseKind(k).value_or(link::Kind::kText));
        p.comparers.emplace_back(p.kinds.back());
      }
      if (c.type == CheckType::kPattern) p.re.emplace(c.pattern, std::regex::ECMAScript);
      for (const auto& v : c.values) p.allowed.insert(text::Fold(v));
      if (c.type == CheckType::kRule) {
        auto parsed = engine::RecordCondition::Parse(c.expression, names);
        if (!parsed) return Fail(parsed.error());
        p.condition = std::move(*parsed);
      }
      if (IsGroupCheck(c.type)) {
        p.group = groups.size();
        groups.emplace_back();
      }
      if (c.type == CheckType::kReference && !c.dataset.empty() && options.keys_of) {
        auto keys = options.keys_of(c.dataset, c.key);
        if (!keys) return Fail(keys.error());
        for (auto& k : *keys) p.keys.insert(std::move(k));
      }
    }
    numbers.resize(fields.size());
    failures_total.assign(checks.size(), 0);
    as_of_text = options.as_of.ToString();
    score_month = internal::ScoreMonth(options.as_of);
    int due_day = 25;
    for (const auto& c : checks) {
      if (c.type == CheckType::kTimeliness) due_day = c.due_day;
    }
    std::snprintf(due_suffix, sizeof due_suffix, "-%02d", due_day);
    return Ok();
  }

  // Takes back what record `r` added.
  void Remove(uint32_t r) {
    Record& rec = records[r];
    if (rec.cell < 0) return;
    const auto c = static_cast<size_t>(rec.cell);
    Cell& cell = cells[c];
    --cell.rows;
    if (rec.on_time) --extra[c].on_time;
    if (rec.day > 0) --extra[c].days[static_cast<size_t>(rec.day)];
    for (size_t i = 0; i < checks.size(); ++i) {
      const uint64_t bit = uint64_t{1} << i;
      if (rec.counted & bit) --cell.checks[i].total;
      if (rec.failed & bit) --cell.checks[i].failed;
      if (rec.failed & bit) --failures_total[i];
    }
    for (size_t i = 0; i < checks.size(); ++i) {
      if (!IsGroupCheck(checks[i].type)) continue;
      const size_t gi = prepared[i].group;
      const int32_t g = group_of[r * groups.size() + gi];
      if (g < 0) continue;
      --cell.checks[i].total;
      group_of[r * groups.size() + gi] = -1;
      Groups& gs = groups[gi];
      auto& members = gs.groups[static_cast<size_t>(g)].members;
      std::erase_if(members, [&](const Member& m) { return m.record == r; });
      gs.Touch(g);
    }
    for (const auto& d : rec.details) --extra[c].shown[d.check];
    rec.counted = 0;
    rec.failed = 0;
    rec.details.clear();
    with_details.erase(r);
    rec.cell = -1;
  }

  // Counts record `r` as `row` (written by `batch`) now has it.
  void Apply(store::DatasetStore& store, const units::Registry& registry, uint32_t r,
             const std::vector<store::Cell>& row, int64_t batch) {
    Record& rec = records[r];
    group_of.resize(records.size() * groups.size(), -1);
    const auto& fields = dataset.schema.fields;
    std::string date_scratch;
    std::string_view date;
    if (period_col) {
      if (const auto* t = std::get_if<std::string>(&row[*period_col])) {
        date = *t;
      } else {
        date_scratch = CellText(row[*period_col]);
        date = date_scratch;
      }
    }
    if (!date.empty() && date.substr(0, 10) > as_of_text) return;
    // A register without dates (a list of people, of businesses) is scored as it stood: its
    // records as of the batches written by then, in the month scored.
    if (!period_col && Arrived(store, batch) > as_of_text) return;
    const std::string_view month = !period_col        ? std::string_view(score_month)
                                   : date.size() >= 7 ? date.substr(0, 7)
                                                      : std::string_view();
    std::string unit_scratch;
    std::string_view unit;
    if (unit_col) {
      if (const auto* t = std::get_if<std::string>(&row[*unit_col])) {
        unit = *t;
      } else {
        unit_scratch = CellText(row[*unit_col]);
        unit = unit_scratch;
      }
    }
    rec.cell = CellFor(unit, month);
    const auto ci = static_cast<size_t>(rec.cell);
    Cell& cell = cells[ci];
    ++cell.rows;
    rec.day = 0;
    rec.on_time = false;
    if (!month.empty()) {
      if (period_col && date.size() >= 10 && date[8] >= '0' && date[8] <= '3' && date[9] >= '0' &&
          date[9] <= '9') {
        rec.day = static_cast<int8_t>((date[8] - '0') * 10 + (date[9] - '0'));
        if (rec.day > 31) rec.day = 0;
        if (rec.day > 0) ++extra[ci].days[static_cast<size_t>(rec.day)];
      }
      // Arrived by the due day of the month after the record's month (history loaded when the
      // dataset was connected counts as on time).
      const std::string& due = extra[ci].due;
      const std::string& at = Arrived(store, batch);
      rec.on_time = at <= due || due < connected;
      if (rec.on_time) ++extra[ci].on_time;
    }
    // A failure is counted; the first options.max_failures of each check in a unit's month are
    // kept with their value and reason for the drill-down.
    auto fail = [&](size_t check, const std::string& field, const std::string& value,
                    auto&& reason) {
      rec.failed |= uint64_t{1} << check;
      ++cell.checks[check].failed;
      ++failures_total[check];
      auto& shown = extra[ci].shown;
      if (shown.empty()) shown.assign(checks.size(), 0);
      if (shown[check] >= options.max_failures) return;
      ++shown[check];
      rec.details.push_back({static_cast<uint32_t>(check), field, value, reason()});
    };
    for (size_t f = 0; f < fields.size(); ++f) numbers[f].reset();
    for (size_t i = 0; i < checks.size(); ++i) {
      const Check& c = checks[i];
      if (IsUnitCheck(c.type)) continue;
      Prepared& p = prepared[i];
      CheckCount& cc = cell.checks[i];
      const uint64_t bit = uint64_t{1} << i;
      const store::Cell* value = p.column < row.size() ? &row[p.column] : nullptr;
      std::string scratch;
      const std::string* as_text = value ? std::get_if<std::string>(value) : nullptr;
      if (as_text == nullptr && value != nullptr) {
        scratch = CellText(*value);
        as_text = &scratch;
      }
      const std::string& text = as_text != nullptr ? *as_text : scratch;
      auto count = [&] {
        rec.counted |= bit;
        ++cc.total;
      };
      switch (c.type) {
        case CheckType::kMissing:
          count();
          if (value == nullptr || IsNull(*value))
            fail(i, c.field, "", [&] { return c.field + " is empty"; });
          break;
        case CheckType::kPattern:
          if (text.empty()) break;
          count();
          if (!std::regex_match(text, *p.re))
            fail(i, c.field, text, [&] { return "does not match " + c.pattern; });
          break;
        case CheckType::kRange: {
          auto n = value ? Number(*value, fields[p.column].type) : std::nullopt;
          if (!n) break;
          count();
          if ((c.min && *n < *c.min) || (c.max && *n > *c.max)) {
            fail(i, c.field, text, [] { return std::string("outside the allowed range"); });
          }
          break;
        }
        case CheckType::kCodes:
          if (text.empty()) break;
          count();
          if (!p.Allowed(text))
            fail(i, c.field, text, [] { return std::string("not in the code list"); });
          break;
        case CheckType::kRule: {
          for (size_t f : p.condition->reads()) {
            if (!numbers[f] && f < row.size()) numbers[f] = Number(row[f], fields[f].type);
          }
          auto holds = p.condition->Holds(numbers);
          if (!holds) break;
          count();
          if (!*holds) fail(i, "", "", [&] { return "fails " + c.expression; });
          break;
        }
        case CheckType::kReference:
          if (text.empty()) break;
          count();
          if (!p.Refers(text, c.dataset.empty() ? &registry : nullptr, options.as_of)) {
            fail(i, c.field, text, [&] {
              return c.dataset.empty() ? std::string("not a unit on that date")
                                       : "no record of " + c.dataset + " has it";
            });
          }
          break;
        case CheckType::kDuplicate:
        case CheckType::kNearDuplicate: {
          Member m{r, kNoDay, {}};
          bool any = false;
          std::string k;
          if (c.type == CheckType::kDuplicate) {
            for (size_t column : p.columns) {
              const std::string v = column < row.size() ? CellText(row[column]) : "";
              any = any || !v.empty();
              k += text::Fold(v);
              k += '\x1f';
            }
          } else {
            m.values.reserve(p.columns.size());
            for (size_t f = 0; f < p.columns.size(); ++f) {
              const size_t column = p.columns[f];
              const std::string v = column < row.size() ? CellText(row[column]) : "";
              any = any || !v.empty();
              m.values.emplace_back(p.comparers[f].Encode(v), static_cast<uint32_t>(v.size()));
            }
            for (size_t column : p.block) {
              k += text::Fold(column < row.size() ? CellText(row[column]) : "");
              k += '\x1f';
            }
            if (p.column < row.size()) {
              const std::string d = CellText(row[p.column]);
              if (auto day = d.size() >= 10 ? Date::Parse(d.substr(0, 10)) : std::nullopt) {
                m.day = DayNumber(*day);
              }
            }
          }
          if (!any) break;
          ++cc.total;
          Groups& gs = groups[p.group];
          auto [it, fresh] = gs.ids.try_emplace(k, static_cast<int32_t>(gs.groups.size()));
          if (fresh) gs.groups.emplace_back();
          auto& members = gs.groups[static_cast<size_t>(it->second)].members;
          auto at = std::lower_bound(members.begin(), members.end(), r,
                                     [](const Member& a, uint32_t b) { return a.record < b; });
          members.insert(at, std::move(m));
          group_of[r * groups.size() + p.group] = it->second;
          gs.Touch(it->second);
          break;
        }
        default:
          break;
      }
    }
    if (!rec.details.empty()) with_details.insert(r);
  }

  // Judges again the groups whose members changed: their old failures taken back, the new ones
  // counted. Duplicates: every member but the first fails. Near-duplicates: a member fails when
  // an earlier one, dated within max_days, is the same person or thing.
  void Judge() {
    for (size_t i = 0; i < checks.size(); ++i) {
      if (!IsGroupCheck(checks[i].type)) continue;
      const Check& c = checks[i];
      Groups& gs = groups[prepared[i].group];
      for (int32_t g : gs.dirty) {
        Group& group = gs.groups[static_cast<size_t>(g)];
        for (const auto& f : group.failing) {
          --cells[static_cast<size_t>(f.cell)].checks[i].failed;
          --failures_total[i];
        }
        group.failing.clear();
        gs.failing.erase(g);
        const auto& members = group.members;
        if (members.size() < 2) continue;
        std::string on;
        for (const auto& name : c.fields) {
          if (!on.empty()) on += ", ";
          on += name;
        }
        if (c.type == CheckType::kDuplicate) {
          std::string reason = "repeats ";
          reason += *records[members.front().record].key;
          reason += " on ";
          reason += on;
          for (size_t j = 1; j < members.size(); ++j) {
            group.failing.push_back({members[j].record, records[members[j].record].cell, reason});
          }
        } else {
          // By date, so that only records within max_days of each other are compared.
          std::vector<size_t> order(members.size());
          std::iota(order.begin(), order.end(), 0);
          std::stable_sort(order.begin(), order.end(),
                           [&](size_t a, size_t b) { return members[a].day < members[b].day; });
          std::vector<std::optional<std::pair<size_t, std::string>>> like(members.size());
          for (size_t x = 0; x < order.size(); ++x) {
            const Member& a = members[order[x]];
            if (a.day == kNoDay && !c.field.empty()) continue;
            for (size_t y = x + 1; y < order.size(); ++y) {
              const Member& b = members[order[y]];
              if (!c.field.empty() && b.day - a.day > c.max_days) break;
              // A block of thousands on one day (a bulk import): each record is compared with
              // its nearest kMaxNeighbours by date, not with all of them.
              if (y - x > kMaxNeighbours) break;
              // The later arrival is the repeat of the earlier one.
              const size_t early = std::min(order[x], order[y]);
              const size_t late = std::max(order[x], order[y]);
              if (like[late] && like[late]->first <= early) continue;
              if (auto how =
                      NearSame(a.values, b.values, prepared[i].kinds, prepared[i].comparers)) {
                like[late] = {early, *how};
              }
            }
          }
          for (size_t j = 0; j < members.size(); ++j) {
            if (!like[j]) continue;
            std::string reason = "like ";
            reason += *records[members[like[j]->first].record].key;
            reason += " (";
            reason += like[j]->second;
            reason += ")";
            group.failing.push_back(
                {members[j].record, records[members[j].record].cell, std::move(reason)});
          }
        }
        for (const auto& f : group.failing) {
          ++cells[static_cast<size_t>(f.cell)].checks[i].failed;
          ++failures_total[i];
        }
        if (!group.failing.empty()) gs.failing.insert(g);
      }
      for (int32_t g : gs.dirty) gs.is_dirty[static_cast<size_t>(g)] = false;
      gs.dirty.clear();
    }
  }

  // Takes the records written by batches after `last_batch`.
  Status Take(store::DatasetStore& store, const units::Registry& registry,
              std::set<std::string>* units) {
    if (connected.empty()) {
      if (auto first = store.Batches(dataset.row.code, 0, 1 << 20); first && !first->empty()) {
        connected = first->back().created_at.substr(0, 10);
      }
    }
    if (records.empty()) {
      // A first build: room for every record at once, and for half as many again to come. A
      // table that outgrows its room rehashes every key in one go: a pause of a few hundred
      // milliseconds for the batch that crosses the line, at two million records.
      if (auto rows = ingest::RowCount(store, dataset.row.code); rows && *rows > 0) {
        const auto n = static_cast<size_t>(*rows) * 3 / 2;
        by_key.reserve(n);
        group_of.reserve(n * groups.size());
        for (auto& gs : groups) {
          gs.ids.reserve(n);
          gs.groups.reserve(n);
        }
      }
    }
    int64_t newest = last_batch;
    auto s = store.ForEachRecordSince(
        dataset.table, last_batch,
        [&](const std::vector<store::Cell>& row, int64_t batch) -> Status {
          newest = std::max(newest, batch);
          std::string key = store::KeyText(row, dataset.table.key);
          auto [it, fresh] =
              by_key.try_emplace(std::move(key), static_cast<uint32_t>(records.size()));
          if (!fresh) {
            // A changed record arrives again: it takes the place of a new one (the store's
            // order, which the duplicates' "first" follows), its old place left empty.
            if (units != nullptr && records[it->second].cell >= 0) {
              units->insert(cells[static_cast<size_t>(records[it->second].cell)].unit);
            }
            Remove(it->second);
            records[it->second].key = nullptr;
            it->second = static_cast<uint32_t>(records.size());
          }
          records.emplace_back();
          records.back().key = &it->first;
          Apply(store, registry, it->second, row, batch);
          if (units != nullptr && records[it->second].cell >= 0) {
            units->insert(cells[static_cast<size_t>(records[it->second].cell)].unit);
          }
          return Ok();
        });
    if (!s) return s;
    Judge();
    last_batch = newest;
    if (std::any_of(checks.begin(), checks.end(),
                    [](const Check& c) { return c.type == CheckType::kRejected; })) {
      // Only the batches not read yet: their reports are added to the sums.
      auto refused =
          RejectedRows(store, dataset.row.code, options.as_of, rejects_seen, &rejects_seen);
      if (!refused) return Fail(refused.error());
      for (const auto& r : *refused) {
        rejected[{r.unit, r.month}] += r.rows;
        if (units != nullptr) units->insert(r.unit);
      }
    }
    return Ok();
  }

  // Every failure of a record or a group kept for the drill-down, in the order of arrival for
  // the records'.
  void ForEachFailure(const std::function<void(const Failure&)>& fn) const {
    for (uint32_t r : with_details) {
      const Record& rec = records[r];
      const Cell& cell = cells[static_cast<size_t>(rec.cell)];
      for (const auto& d : rec.details) {
        fn({*rec.key, cell.unit, cell.month, d.check, d.field, d.value, d.reason});
      }
    }
    for (size_t i = 0; i < checks.size(); ++i) {
      if (!IsGroupCheck(checks[i].type)) continue;
      const Groups& gs = groups[prepared[i].group];
      std::unordered_map<int32_t, size_t> kept;  // cell -> failures given
      for (int32_t g : gs.failing) {
        for (const auto& f : gs.groups[static_cast<size_t>(g)].failing) {
          if (kept[f.cell]++ >= options.max_failures) continue;
          const Cell& cell = cells[static_cast<size_t>(f.cell)];
          fn({*records[f.record].key, cell.unit, cell.month, i, "", "", f.reason});
        }
      }
    }
  }

  Evaluation Snapshot(bool with_records) const {
    Evaluation ev;
    ev.dataset = dataset.row.code;
    ev.title = dataset.row.title;
    ev.checks = checks;
    ev.failures_total = failures_total;
    // The failures of the unit checks and the refused rows (few); those of records and groups
    // when asked (ForEachFailure: the service reads them where they are kept).
    auto add = [&](size_t /*check*/, Failure f) { ev.failures.push_back(std::move(f)); };
    if (with_records) {
      ForEachFailure([&](const Failure& f) { ev.failures.push_back(f); });
    }
    std::map<std::pair<std::string, std::string>, Cell> out;
    auto cell_at = [&](const std::string& unit, const std::string& month) -> Cell& {
      auto [it, fresh] = out.try_emplace({unit, month});
      if (fresh) {
        it->second.unit = unit;
        it->second.month = month;
        for (size_t i = 0; i < checks.size(); ++i) it->second.checks.push_back({i, 0, 0});
      }
      return it->second;
    };
    for (const auto& cell : cells) {
      if (cell.rows == 0) continue;
      out.emplace(std::make_pair(cell.unit, cell.month), cell);
      ev.rows += cell.rows;
    }
    // Refused rows: of the unit's records and refused rows in the month sent, the refused fail.
    for (size_t i = 0; i < checks.size(); ++i) {
      if (checks[i].type != CheckType::kRejected) continue;
      for (auto& [k, cell] : out) cell.checks[i].total = cell.rows;
      for (const auto& [where, rows] : rejected) {
        const auto& [unit, month] = where;
        if (month > score_month) continue;
        CheckCount& cc = cell_at(unit, month).checks[i];
        cc.total += rows;
        cc.failed += rows;
        ev.failures_total[i] += rows;
        add(i, {"", unit, month, i, "", std::to_string(rows),
                std::to_string(rows) + " rows refused at ingest"});
      }
    }
    // Each unit's monthly history, from its cells.
    struct Unit {
      UnitHistory h;
      std::string newest;  // its newest record's date
    };
    std::map<std::string, Unit> units;
    for (size_t c = 0; c < cells.size(); ++c) {
      const Cell& cell = cells[c];
      if (cell.rows == 0 || cell.month.empty()) continue;
      Unit& u = units[cell.unit];
      u.h.rows[cell.month] = cell.rows;
      if (extra[c].on_time > 0) u.h.on_time[cell.month] = extra[c].on_time;
      for (size_t day = 31; day > 0; --day) {
        if (extra[c].days[day] == 0) continue;
        char date[16];
        std::snprintf(date, sizeof date, "%s-%02zu", cell.month.c_str(), day);
        if (date > u.newest) u.newest = date;
        break;
      }
    }
    // Unit checks, each month of the last year for every unit that ever sent a record.
    const std::string last = score_month;
    for (const auto& [unit, u] : units) {
      const UnitHistory& h = u.h;
      const std::string& newest = u.newest;
      if (newest > ev.newest) ev.newest = newest;
      for (int back = 0; back < 13; ++back) {
        const std::string month = ShiftMonth(last, -back);
        if (month < h.rows.begin()->first) break;
        const Date end = LastDayOfMonth(std::stoi(month.substr(0, 4)), std::stoi(month.substr(5)));
        // The unit's newest record at the end of that month: the newest one, or the end of the
        // newest month with records then (there is one: `month` is not before the first).
        const std::string& nm = std::prev(h.rows.upper_bound(month))->first;
        const std::string then =
            newest.substr(0, 7) == nm
                ? newest
                : LastDayOfMonth(std::stoi(nm.substr(0, 4)), std::stoi(nm.substr(5))).ToString();
        Cell& cell = cell_at(unit, month);
        for (size_t i = 0; i < checks.size(); ++i) {
          if (!IsUnitCheck(checks[i].type)) continue;
          CheckCount& cc = cell.checks[i];
          cc.total = 1;
          auto why = FailsUnitCheck(checks[i], h, then, month, end);
          cc.failed = why ? 1 : 0;
          if (why && back == 0) {
            ++ev.failures_total[i];
            add(i, {"", unit, month, i, "", "", *why});
          }
        }
      }
    }
    if (!period_col) {
      // A register without dates: its newest record is its newest batch's.
      for (const auto& [batch, at] : batch_time) {
        if (at <= as_of_text && at > ev.newest) ev.newest = at;
      }
    }
    ev.cells.reserve(out.size());
    for (auto& [k, cell] : out) {
      ScoreCell(checks, cell);
      ev.cells.push_back(std::move(cell));
    }
    return ev;
  }
};

Result<std::unique_ptr<Evaluator>> Evaluator::Build(store::DatasetStore& store,
                                                    const units::Registry& registry,
                                                    const ingest::Dataset& d,
                                                    const std::vector<Check>& checks,
                                                    const EvaluateOptions& options) {
  if (checks.size() > kMaxChecks) {
    return Fail(Error::Invalid(std::string(kInvalidCheck),
                               "at most " + std::to_string(kMaxChecks) + " checks per dataset"));
  }
  std::unique_ptr<Evaluator> e(new Evaluator());
  e->state_ = std::make_unique<State>(d, checks, options);
  if (auto s = e->state_->Prepare(); !s) return Fail(s.error());
  if (auto s = e->state_->Take(store, registry, nullptr); !s) return Fail(s.error());
  return e;
}

Evaluator::Evaluator() = default;
Evaluator::~Evaluator() = default;

Status Evaluator::Update(store::DatasetStore& store, const units::Registry& registry,
                         std::set<std::string>* units) {
  return state_->Take(store, registry, units);
}

int64_t Evaluator::last_batch() const {
  return state_->last_batch;
}

Evaluation Evaluator::Snapshot(bool with_records) const {
  return state_->Snapshot(with_records);
}

void Evaluator::ForEachFailure(const std::function<void(const Failure&)>& fn) const {
  state_->ForEachFailure(fn);
}

Result<Evaluation> Evaluate(store::DatasetStore& store, const units::Registry& registry,
                            const ingest::Dataset& d, const std::vector<Check>& checks,
                            const EvaluateOptions& options) {
  auto e = Evaluator::Build(store, registry, d, checks, options);
  if (!e) return Fail(e.error());
  return (*e)->Snapshot(true);
}

}  // namespace pdh::quality
