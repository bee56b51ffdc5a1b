// The index set (M5, M7): data elements, indicators defined by expressions over them, and the
// engine that keeps every indicator's value for every unit and period up to date.
//
// The database holds the definitions, the values units report and the dataset records; the
// engine holds a derived state in memory: each element's values rolled up the unit tree (old
// communes into their new ones through the 2025 crosswalk) and over time (month, quarter, year,
// year-to-date), and each indicator evaluated over them. It is built whole at start and then
// kept up by Sync(), which takes only what was committed since — new batches, new values — and
// recomputes the series they touch and the indicators that depend on them. Readers take an
// immutable Snapshot; a sync publishes a new one. The result of any sequence of syncs equals a
// full rebuild, bit for bit.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "core/date.h"
#include "core/error.h"
#include "core/sheet.h"
#include "store/datasets.h"
#include "store/engine.h"
#include "store/index.h"
#include "store/settings.h"
#include "units/units.h"

namespace pdh::engine {

// --- Periods ---------------------------------------------------------------------------------

enum class PeriodKind { kMonth, kQuarter, kYear, kYtd };
std::string_view PeriodKindName(PeriodKind k);  // "month", "quarter", "year", "ytd"
std::optional<PeriodKind> ParsePeriodKind(std::string_view name);

struct Period {
  PeriodKind kind = PeriodKind::kMonth;
  int year = 2025;
  int n = 1;  // month 1..12 (month, ytd), quarter 1..4, 0 for a year

  auto operator<=>(const Period&) const = default;
  // "2025-10", "2025Q3", "2025", "2025-10YTD".
  std::string Id() const;
  // The ids above, DHIS2's "202510", and the Vietnamese "10/2025", "Quý 3/2025", "Q3/2025",
  // "Năm 2025".
  static std::optional<Period> Parse(std::string_view text);
  Date First() const;  // first day (a year-to-date starts on 1 January)
  Date Last() const;   // last day
  // `k` periods later (earlier when negative), of the same kind.
  Period Shift(int k) const;
  // The year-to-date ending with this period (a year is its own).
  Period Ytd() const;
  // The period of `kind` (month, quarter or year) that contains `d`.
  static Period Containing(Date d, PeriodKind kind);
};

// --- Definitions -----------------------------------------------------------------------------

enum class UnitAgg { kSum, kAverage, kMin, kMax, kNone };
enum class TimeAgg { kSum, kLast, kAverage };

// A condition on a dataset record's field.
struct Filter {
  std::string field;
  std::string op = "=";  // "=", "!=" (with values: any of); "<", "<=", ">", ">=" (with other:
                         // another field of the record, or with one value); "null", "not_null"
  std::vector<std::string> values;
  std::string other;
};

// An element computed from a dataset's records: grouped by the record's unit and the period of
// its date; "count" counts records, "sum"/"average" a numeric field, "distinct" its distinct
// values. A unit and period with records of the dataset but none passing the filters count 0.
struct Rule {
  std::string dataset;
  std::string op = "count";  // "count" | "sum" | "average" | "distinct"
  std::string field;         // for sum, average, distinct
  std::vector<Filter> filters;
  std::string date_field;  // default: the schema's pdh:period field
  std::string unit_field;  // default: the schema's first pdh:unit field
  // Reporting periods may run from this day of one month to the day before it of the next,
  // named by the month they end in (15: 15 September – 14 October is "2025-10").
  int period_start_day = 1;
};

struct Element {
  std::string code;  // [A-Za-z0-9_]+
  std::string name;
  std::string name_en;
  std::string sector;
  std::string measure;  // "người", "hồ sơ", "%", "VND", ...
  std::string description;
  UnitAgg unit_agg = UnitAgg::kSum;
  TimeAgg time_agg = TimeAgg::kSum;  // sum for flows; last or average for stocks
  PeriodKind periodicity = PeriodKind::kMonth;
  std::vector<std::string> options;  // disaggregation (category options), "" when none
  // Who reports it: "" (nobody in particular), "province", "communes", "agencies", or "units"
  // with reporting_units; expected reports are counted from this.
  std::string reporting;
  std::vector<std::string> reporting_units;
  int due_days = 15;         // a period's value is due this many days after it ends
  std::string dhis2_id;      // DHIS2 uid, to load dataValueSets that use uids
  std::optional<Rule> rule;  // computed from records instead of reported
};

struct Target {
  std::string unit;  // a unit code
  int year = 0;
  double value = 0;
};

struct Indicator {
  std::string code;
  std::string name;
  std::string name_en;
  std::string sector;
  std::string owner_unit;
  std::string measure;
  std::string description;
  std::string pack;  // "public_services", "feedback_1022" or ""
  PeriodKind periodicity = PeriodKind::kMonth;
  bool higher_is_better = true;
  // Either an expression, or numerator / denominator × factor.
  std::string expression;
  std::string numerator;
  std::string denominator;
  double factor = 1;
  std::vector<Target> targets;
  double green = 100;  // traffic lights: % of the target achieved
  double yellow = 90;
  int due_days = 15;

  // The expression evaluated: `expression`, or the one made of the numerator, denominator and
  // factor.
  std::string Formula() const;
};

struct Sector {
  std::string code;
  std::string name;
  std::string name_en;
};

struct Constant {
  std::string code;
  std::string name;
  double value = 0;
};

struct IndexSet {
  std::vector<Sector> sectors;
  std::vector<Element> elements;
  std::vector<Indicator> indicators;
  std::vector<Constant> constants;

  const Element* FindElement(std::string_view code) const;
  const Indicator* FindIndicator(std::string_view code) const;
  const Sector* FindSector(std::string_view code) const;
};

boost::json::object ToJson(const Element& e);
boost::json::object ToJson(const Indicator& i);
boost::json::object ToJson(const Sector& s);
boost::json::object ToJson(const Constant& c);
// Errors: index.invalid, naming the object and the key ("indicators[3].direction: ...").
Result<Element> ParseElement(const boost::json::value& v);
Result<Indicator> ParseIndicator(const boost::json::value& v);
// {"sectors": [...], "elements": [...], "indicators": [...], "constants": [...]}.
Result<IndexSet> ParseIndexSet(const boost::json::value& v);
boost::json::object ToJson(const IndexSet& set);

// The store areas the index set lives in: its definitions, values and merge weights (index), the
// datasets its rules aggregate, and the settings holding its generation (moved by every change
// the engine must rebuild for). They must outlive whatever is given them.
struct Stores {
  store::IndexStore& index;
  store::DatasetStore& datasets;
  store::SettingsStore& settings;
  // Where the engine keeps its state between runs; none: every start builds it afresh.
  store::EngineStore* saved = nullptr;
};

// Checks a whole set: codes unique, sectors known, every expression parses (with the position
// and reason of the first error), references exist, no indicator depends on itself through
// others (the cycle is named), measures agree where elements define them, rules name existing
// datasets and fields, and a rate of two counts over one dataset has a numerator that counts only
// records its denominator counts (every filter of the denominator's rule, the same date and unit).
// Errors: index.invalid, expression.invalid, index.cycle, index.rate_outside_denominator (naming
// the indicator's numerator and the filter it lacks).
Status Check(const IndexSet& set, store::DatasetStore& datasets);

// What an expression reads and gives, once it parses.
struct ExpressionInfo {
  std::string canonical;               // the expression as the engine reads it
  std::optional<std::string> measure;  // when the elements' measures tell it
  std::vector<std::string> elements;   // codes of the data elements it reads
  std::vector<std::string> indicators;
};
// Parses `text` with the measures of `set`'s elements. Errors: expression.invalid, with the
// position and the reason ("at 7: expected ')' to close '(' opened at 3").
Result<ExpressionInfo> CheckExpression(std::string_view text, const IndexSet& set);

// Loads the definitions from the store.
Result<IndexSet> LoadIndexSet(store::IndexStore& store);
// Checks `changes` against what is stored and saves them: objects with a code that exists are
// replaced, others added. The engine sees them at its next sync.
Status SaveIndexSet(const Stores& stores, const IndexSet& changes, const std::string& by,
                    const std::string& at);

// --- Indicator packs ---------------------------------------------------------------------------

// A pack: standard indicators (M7) over a dataset made from one of the built-in templates, with
// their elements, their sector and the province's targets. pdh has "public_services" (over a
// "dossiers" dataset) and "feedback_1022" (over a "feedback_1022" one). The definitions live in
// engine/pack.cc, the one place both the demo and an install take them from.
struct PackInfo {
  std::string name;
  std::string template_name;  // the dataset template whose fields the rules read
  std::string title;
  std::string title_en;
};
const std::vector<PackInfo>& Packs();

// The pack's definitions over `dataset`, with targets for `province_code`.
// Errors: pack.not_found.
Result<IndexSet> PackDefinition(std::string_view name, const std::string& dataset,
                                const std::string& province_code);

// Both packs: the public-service indicators over `dossiers_dataset` and the 1022 feedback ones
// over `feedback_dataset`.
IndexSet PublicServicePack(const std::string& dossiers_dataset, const std::string& feedback_dataset,
                           const std::string& province_code);

// What an install did, each object named "element DVC_HS_TONG", "indicator DVC_TRUC_TUYEN", ...
struct PackInstall {
  std::string pack;
  std::string dataset;
  std::vector<std::string> added;
  std::vector<std::string> updated;  // stored with another definition, now the pack's
  std::vector<std::string> unchanged;
  int64_t targets = 0;  // the targets the pack's indicators carry
  boost::json::object ToJson() const;
};
// Installs the pack over `dataset` ("": the one dataset made from the pack's template) with the
// targets of `province_code`. Idempotent: objects stored as the pack defines them are left alone
// (a sector the province has keeps its names), so a second install writes nothing and reports
// everything unchanged. Errors: pack.not_found, pack.no_dataset, pack.dataset_ambiguous,
// dataset.not_found, and SaveIndexSet's.
Result<PackInstall> InstallPack(const Stores& stores, std::string_view name,
                                const std::string& dataset, const std::string& province_code,
                                const std::string& by, const std::string& at);

// --- Reported values -------------------------------------------------------------------------

struct ValueInput {
  std::string element;  // code (or DHIS2 uid)
  std::string option;
  std::string unit;  // a unit code, current or pre-2025
  std::string period;
  std::optional<double> value;  // null withdraws the value
  std::string reported_at;      // when the unit reported it, if the source says (else now)
  // The value's text when the two number styles read it differently ("30.000": thirty thousand
  // or thirty); `value` is its reading in the style the file's other values show, and
  // `style_known` says whether they showed one.
  std::string ambiguous;
  bool style_known = false;
};

struct ValueError {
  int64_t row = 0;  // 1-based (the file's line for CSV)
  std::string field;
  std::string value;
  std::string code;
  std::string message;
};

struct ValueReport {
  std::string status;  // "committed" | "dry_run" | "rejected"
  int64_t read = 0;
  int64_t written = 0;
  int64_t rejected = 0;
  std::vector<ValueError> errors;  // the first 1,000
  // Values read but open to doubt (value.ambiguous_number: "30.000" in a file whose other
  // values show no number style), the first 1,000.
  std::vector<ValueError> warnings;
  int64_t last_seq = 0;
  boost::json::object ToJson() const;
};

struct ValueOptions {
  bool dry_run = false;
  bool accept_valid = false;  // false: any bad row rejects them all
  std::string by;
  std::string at;
  std::string source = "api";
  std::function<bool(const units::Unit&)> may_write;  // unset: every unit
};

enum class ValueFormat { kJson, kCsv, kXlsx, kDhis2Json, kDhis2Csv };
std::optional<ValueFormat> ParseValueFormat(std::string_view name);

// Reads values in `format`: pdh's JSON ({"values": [{element, option, unit, period, value}]}),
// a CSV or XLSX sheet with those columns (Vietnamese headings accepted), or DHIS2 dataValueSets
// (JSON, or CSV with dataelement, period, orgunit, categoryoptioncombo, ..., value). Values
// written as text are read in the number style all of the file's values show ("1.500.000",
// "2,5": Vietnamese); see ValueInput::ambiguous.
// A sheet is read within `limits` (core/sheet.h; the server's upload limits over HTTP).
// Errors: values.malformed (the whole file is unreadable), and core/sheet.h's past the limits.
Result<std::vector<ValueInput>> ReadValues(std::string_view bytes, ValueFormat format,
                                           const SheetLimits& limits = {});

// Checks and stores values: the element exists, the option is one of its own, the unit is in the
// home province (now or before the merger) and may be written, the period is of the element's
// periodicity (or coarser), the value is a number. An ambiguous value ("30.000") of an element
// measured in đồng (VND) is thirty thousand; of another element, when the file shows no style,
// it is read as a decimal and reported in the warnings with its row.
Result<ValueReport> WriteValues(store::IndexStore& store, const units::Registry& registry,
                                const IndexSet& set, const std::string& home_province,
                                const std::vector<ValueInput>& values, const ValueOptions& opt);

// Sets the shares of partial merges: for an old commune split between several new ones, the
// weights (0..1, summing to 1) its values go with. Unset: population shares of the new units.
// Errors: index.invalid.
Status SetMergeWeights(store::IndexStore& store, store::SettingsStore& settings,
                       const units::Registry& registry,
                       const std::vector<store::MergeWeightRow>& rows);

// --- The engine ------------------------------------------------------------------------------

struct Change {
  std::string indicator;
  std::string unit;
  std::string period;
  std::optional<double> value;
};

struct SyncStats {
  bool rebuilt = false;
  bool loaded = false;  // the state was the saved one, brought up to date
  int64_t records = 0;  // dataset rows taken
  int64_t values = 0;   // reported values taken
  int64_t series = 0;   // element and indicator series recomputed
  int64_t duration_us = 0;
  std::vector<Change> changes;  // indicator cells whose value changed
};

class State;

// An immutable view of every value at one moment.
class Snapshot {
 public:
  explicit Snapshot(std::shared_ptr<const State> state) : state_(std::move(state)) {}
  const IndexSet& set() const;
  const units::Registry& registry() const;
  const units::Unit& province() const;
  uint64_t version() const;

  // An indicator's value for a unit (current code) and period, or nullopt.
  std::optional<double> Value(std::string_view indicator, std::string_view unit,
                              const Period& p) const;
  // A data element's value rolled up (option "" for its total).
  std::optional<double> ElementValue(std::string_view element, std::string_view option,
                                     std::string_view unit, const Period& p) const;
  // The periods of `kind` the engine holds values for (oldest first).
  std::vector<Period> Periods(PeriodKind kind) const;
  // The units the engine rolls up: the province, then its communes and agencies.
  std::vector<const units::Unit*> Units() const;
  // Every indicator value held, by indicator, unit and period.
  void ForEachValue(const std::function<void(const Indicator&, const units::Unit&, const Period&,
                                             double)>& fn) const;
  // The engine's own view (engine/internal.h).
  const State& state() const { return *state_; }

 private:
  std::shared_ptr<const State> state_;
};

// A condition over one record's fields, in the index set's expression language: #{field}
// reads the field's value as a number, which the caller gives (booleans 1 or 0, dates and
// times as seconds since 1970): "#{completed_at} >= #{received_at}", "#{fee} <= 5000000",
// "if(#{full_online}, #{paid_online}, 1)". Thread-safe once made.
class RecordCondition {
 public:
  // Errors: expression.invalid ("at N: ..."), expression.unknown_field (a #{name} that is not
  // one of `fields`), expression.not_a_field (anything but #{field}: I{..}, C{..}, population).
  static Result<RecordCondition> Parse(std::string_view text,
                                       const std::vector<std::string>& fields);
  // The fields it reads, as indexes into Parse's `fields`.
  const std::vector<size_t>& reads() const { return reads_; }
  // Whether it holds for a record whose fields have `values` (by index into Parse's `fields`);
  // nullopt when a value it needs is null.
  std::optional<bool> Holds(const std::vector<std::optional<double>>& values) const;
  const std::string& text() const { return text_; }

 private:
  struct Compiled;
  std::shared_ptr<const Compiled> compiled_;
  std::vector<size_t> reads_;
  std::string text_;
};

// What a full build found against the state the engine holds (Engine::Verify).
struct Verification {
  int64_t cells = 0;               // element and indicator cells compared
  int64_t differing = 0;           // of them, those that differ
  std::vector<std::string> first;  // the first differing cells, named
  bool loaded = false;             // the state compared had been loaded from the saved one
};

class Engine {
 public:
  enum class Start {
    kSaved,    // the saved state when it is this model's, brought up to date; else a full build
    kRebuild,  // a full build from the records, whatever was saved
  };
  // Builds the state from the store. Errors: the store's, index.invalid (definitions that no
  // longer check), engine.no_province (units not imported).
  // `stats`, when given, tells how: rebuilt or loaded, records and values taken, and the time.
  static Result<std::unique_ptr<Engine>> Open(Stores stores,
                                              std::shared_ptr<const units::Registry> registry,
                                              const std::string& home_province,
                                              Start start = Start::kSaved,
                                              SyncStats* stats = nullptr);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  Snapshot snapshot() const;
  // Takes what was committed since the last sync and updates the state: a changed definition or
  // a period out of range rebuilds it whole. Safe from any thread; syncs run one at a time.
  Result<SyncStats> Sync();
  // Rebuilds everything from the store (what Open does without a saved state).
  Result<SyncStats> Rebuild();
  // Called after each sync that changed something (from the syncing thread).
  void OnChange(std::function<void(const SyncStats&)> fn);
  // Replaces the units (after an import or an edit) and rebuilds.
  Status SetRegistry(std::shared_ptr<const units::Registry> registry);

  // Whether Open loaded the saved state (rather than building it from the records).
  bool loaded() const { return loaded_; }
  // Saves the state in the store when it changed since it was last saved or loaded; the next
  // Open starts from it. Syncs wait while it is copied, not while it is written.
  Status Save();
  // Builds the state afresh from the store, beside the one held (syncs go on meanwhile), brings
  // both to the same batch and value, and compares every element and indicator cell and when
  // each report arrived. Errors: the store's; engine.moved when the definitions or units
  // changed meanwhile (verify again).
  Result<Verification> Verify();

 private:
  Engine(Stores stores, std::shared_ptr<const units::Registry> registry, std::string home);
  Result<SyncStats> RebuildLocked();
  Result<SyncStats> SyncLocked();
  Result<bool> LoadLocked(SyncStats& stats);
  Stores stores_;
  std::shared_ptr<const units::Registry> registry_;
  std::string home_;
  std::mutex sync_mu_;  // one sync at a time
  mutable std::mutex snap_mu_;
  std::shared_ptr<const State> state_;
  std::unique_ptr<class Builder> builder_;
  std::function<void(const SyncStats&)> on_change_;
  bool loaded_ = false;
  uint64_t saved_version_ = 0;  // under sync_mu_: the state's version in the store
};

// --- What the IOC shows ------------------------------------------------------------------------

// The reference date: the setting "ioc.as_of" when set (the demo sets the date of its report),
// else today.
Date DefaultAsOf(store::SettingsStore& settings);

enum class Light { kNone, kGreen, kYellow, kRed };
std::string_view LightName(Light l);  // "none", "green", "yellow", "red"

// The indicator's target for a unit and year (the province's when the unit has none).
std::optional<double> TargetFor(const Indicator& ind, std::string_view unit, int year,
                                std::string_view province);
Light Judge(const Indicator& ind, std::optional<double> value, std::optional<double> target);

// The latest period of the indicator's periodicity whose value is due on `as_of`: it ended at
// least due_days before.
Period DuePeriod(PeriodKind periodicity, int due_days, Date as_of);
Date DueDate(const Period& p, int due_days);

struct Freshness {
  const Indicator* indicator = nullptr;
  Period due;
  std::optional<Period> last;  // latest period with a value, up to the as-of date
  bool updated = false;        // a value for the due period (or a later one)
  int stale_periods = 0;       // periods due without a value since `last`
  std::optional<Date> stale_since;
};
// For every indicator at the province (or `unit`) as of a date.
std::vector<Freshness> IndicatorFreshness(const Snapshot& s, Date as_of,
                                          std::string_view unit = "");

struct UnitReports {
  const units::Unit* unit = nullptr;
  int64_t expected = 0;  // reports due this year up to `as_of`
  int64_t received = 0;
  int64_t on_time = 0;
  std::optional<Period> last;  // latest month with any report
  std::optional<Date> stale_since;
};
// Expected versus received reports of the units that report values (elements with `reporting`).
std::vector<UnitReports> ReportingByUnit(const Snapshot& s, Date as_of);

struct Outlier {
  const Indicator* indicator = nullptr;
  const units::Unit* unit = nullptr;
  Period period;
  double value = 0;
  double median = 0;
  double score = 0;  // modified z-score
};
// The latest value of each monthly indicator and unit, up to `as_of`, whose modified z-score
// against the 24 months before it exceeds 3.5.
std::vector<Outlier> Outliers(const Snapshot& s, Date as_of);

// A rate above 100%: a "%" indicator whose numerator and denominator are counts of records, the
// numerator counting some the denominator does not — a data-quality defect (the definition's or
// the data's), never a figure to report.
struct RateOver100 {
  const Indicator* indicator = nullptr;
  const units::Unit* unit = nullptr;
  Period period;  // the latest month above 100%
  double value = 0;
  int months = 0;  // months above 100% in the 12 up to the as-of date
};
// Every monthly rate of counts above 100% in the 12 months up to `as_of`, by unit; highest first.
std::vector<RateOver100> RatesOver100(const Snapshot& s, Date as_of);

struct Projection {
  const Indicator* indicator = nullptr;
  std::string unit;
  int year = 0;
  double target = 0;
  std::optional<double> current;  // year-to-date value
  std::optional<double> projected;
  bool on_track = false;
  std::string method;  // "seasonal" (last year's shape), "trend", "latest"
};
// Whether each target of `as_of`'s year will be met by the year's end.
std::optional<Projection> Project(const Snapshot& s, const Indicator& ind, std::string_view unit,
                                  Date as_of);
std::vector<Projection> Projections(const Snapshot& s, Date as_of);

// The latest period (of the indicator's periodicity, up to `as_of`) with a value for the unit.
std::optional<Period> LatestPeriod(const Snapshot& s, const Indicator& ind, std::string_view unit,
                                   Date as_of);

// --- Demo ------------------------------------------------------------------------------------

struct DemoIndexSummary {
  int64_t indicators = 0;
  int64_t elements = 0;
  int64_t values = 0;
};
// The demo province's index set: 957 indicators across the real sectors, the public-service pack
// over the demo's dossiers and feedback, values reported from November 2023 to October 2025 so
// that exactly 602 are updated as of 2025-10-31, some units stopping at December 2024, and the
// report's app installs and enterprise figures. Deterministic.
Result<DemoIndexSummary> GenerateDemo(const Stores& stores, const units::Registry& registry,
                                      const std::string& province_code, const std::string& at);

}  // namespace pdh::engine
