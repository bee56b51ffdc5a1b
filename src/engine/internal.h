// The engine's insides: the period axis, the state readers share, and the builder that keeps it.
#pragma once

#include <cmath>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/engine.h"
#include "engine/expr.h"
#include "ingest/ingest.h"

namespace pdh::engine {

// Bumped by every change of the definitions; the engine rebuilds when it moves.
inline constexpr std::string_view kGenerationSetting = "index.generation";
inline constexpr std::string_view kAsOfSetting = "ioc.as_of";

// A cycle in `deps` (indicator -> the indicators it reads), as the path that closes it
// ("A", "B", "A"), or empty.
std::vector<std::string> FindCycle(const std::map<std::string, std::vector<std::string>>& deps);

// Months are counted from year 0: 2025-10 is 2025 * 12 + 9.
inline int MonthNumber(int year, int month) {
  return year * 12 + (month - 1);
}

// Every period of a span of whole years as one index: the months, then the quarters, the years
// and the years-to-date.
struct Axis {
  int first_year = 2025;
  int years = 1;

  int size() const { return years * 29; }
  int months_at() const { return 0; }
  int quarters_at() const { return years * 12; }
  int years_at() const { return years * 16; }
  int ytd_at() const { return years * 17; }
  bool Covers(int year) const { return year >= first_year && year < first_year + years; }
  std::optional<int> Slot(const Period& p) const {
    if (!Covers(p.year)) return std::nullopt;
    const int y = p.year - first_year;
    switch (p.kind) {
      case PeriodKind::kMonth:
        return y * 12 + p.n - 1;
      case PeriodKind::kQuarter:
        return quarters_at() + y * 4 + p.n - 1;
      case PeriodKind::kYear:
        return years_at() + y;
      case PeriodKind::kYtd:
        return ytd_at() + y * 12 + p.n - 1;
    }
    return std::nullopt;
  }
  Period At(int slot) const {
    if (slot < quarters_at()) return {PeriodKind::kMonth, first_year + slot / 12, slot % 12 + 1};
    if (slot < years_at()) {
      int q = slot - quarters_at();
      return {PeriodKind::kQuarter, first_year + q / 4, q % 4 + 1};
    }
    if (slot < ytd_at()) return {PeriodKind::kYear, first_year + slot - years_at(), 0};
    int m = slot - ytd_at();
    return {PeriodKind::kYtd, first_year + m / 12, m % 12 + 1};
  }
  // The slots an element of `periodicity` is reported at.
  std::pair<int, int> Native(PeriodKind periodicity) const {
    switch (periodicity) {
      case PeriodKind::kQuarter:
        return {quarters_at(), years_at()};
      case PeriodKind::kYear:
        return {years_at(), ytd_at()};
      default:
        return {0, quarters_at()};
    }
  }
};

// A value per slot of the axis; NaN where there is none.
using Series = std::vector<double>;
inline bool Has(double v) {
  return !std::isnan(v);
}
inline constexpr double kNone = std::numeric_limits<double>::quiet_NaN();
// By unit index; null where the unit has no value at all.
using Table = std::vector<std::shared_ptr<const Series>>;

// An element, or one option (disaggregation) of it: each has its own series.
struct Obj {
  const Element* element = nullptr;
  std::string option;
  int total = -1;            // for an option: its element's object
  std::vector<int> options;  // for an element: its options' objects
};

// When each value of a unit's own reports arrived (days since 1970), per slot; 0 where none.
using Arrivals = std::vector<int32_t>;

// What a state is computed over: the definitions, the units, the series' objects and the
// compiled expressions. Fixed from one full build to the next.
struct Model {
  IndexSet set;
  std::shared_ptr<const units::Registry> registry;
  const units::Unit* province = nullptr;
  // The units rolled up: 0 is the province; a parent comes before its children.
  std::vector<const units::Unit*> units;
  std::vector<int> parent;
  std::vector<std::vector<int>> children;
  std::unordered_map<std::string, int> unit_index;  // current code -> index
  std::vector<Obj> objs;
  std::unordered_map<std::string, int> obj_index;  // "CODE" or "CODE.OPTION"
  std::unordered_map<std::string, int> ind_index;
  std::vector<Expr> exprs;                  // by indicator
  std::vector<std::vector<int>> expr_refs;  // by indicator: per ref, obj/indicator index
  std::unordered_map<std::string, double> constants;
  // By unit: its own figure, or its children's added up when it has none; NaN when unknown.
  std::vector<double> population;
  std::vector<double> area;

  int UnitIndex(std::string_view code) const {
    auto it = unit_index.find(std::string(code));
    return it == unit_index.end() ? -1 : it->second;
  }
};

class State {
 public:
  std::shared_ptr<const Model> model;
  Axis axis;
  uint64_t version = 0;
  std::vector<std::shared_ptr<const Table>> element_values;  // by obj, rolled up
  std::vector<std::shared_ptr<const Table>> indicator_values;
  // Own reports of current units, by obj: unit index -> arrivals.
  std::vector<std::shared_ptr<const std::unordered_map<int, std::shared_ptr<const Arrivals>>>>
      arrivals;

  const Series* ElementSeries(int obj, int unit) const {
    return (*element_values[static_cast<size_t>(obj)])[static_cast<size_t>(unit)].get();
  }
  const Series* IndicatorSeries(int ind, int unit) const {
    return (*indicator_values[static_cast<size_t>(ind)])[static_cast<size_t>(unit)].get();
  }
};

// Where a rule finds what it reads in its dataset's records.
struct RuleColumns {
  size_t unit = 0;
  size_t date = 0;
  std::optional<size_t> value;
  struct Cond {
    const Filter* filter = nullptr;
    size_t field = 0;
    std::optional<size_t> other;
    store::Cell constant;  // when comparing with a value instead of another field
  };
  std::vector<Cond> conds;
};
// Errors: the message names the missing field or why the rule cannot be read.
Result<RuleColumns> RuleFields(const Rule& rule, const ingest::Schema& schema);

// What one record adds to a rule: whether it passes, and its value (sums in millionths, exact
// whatever the order they are added in; distinct values by hash).
inline constexpr int64_t kOut = std::numeric_limits<int64_t>::min();
int64_t Contribution(const Rule& rule, const RuleColumns& cols,
                     const std::vector<store::Cell>& row);
// The record's month number under the rule's reporting period, or nullopt without a date.
std::optional<int> RecordMonth(const Rule& rule, const RuleColumns& cols,
                               const std::vector<store::Cell>& row);

// A rate of counts: an indicator written as numerator / denominator, or as the expression
// "#{A} / #{B} * 100", whose parts are each one element counted from the records of one dataset
// ("#{A}", "#{B}"), or nullptr for either when it is not. `where` names the definition's part
// that holds the numerator ("numerator" or "expression").
struct CountRate {
  const Element* numerator = nullptr;
  const Element* denominator = nullptr;
  std::string_view where;
};
CountRate CountRateOf(const Indicator& ind, const IndexSet& set);
// Of two rules over the same dataset: why the numerator's may count a record its denominator's
// does not ("it does not filter channel = online as the denominator does"), or nullopt when every
// record it counts is one the denominator counts.
std::optional<std::string> CountsOutside(const Rule& numerator, const Rule& denominator);

}  // namespace pdh::engine
