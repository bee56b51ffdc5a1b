// Data quality (M9): the province's "đúng, đủ, sạch, sống" — correct, sufficient, clean and
// alive — scored 0–100 per dataset × unit × month from checks kept as data per dataset, rolled
// up to the province and ranked; with the reported values' completeness and timeliness from the
// index set. Every score is explained by the checks behind it, and every failure is a row that
// can be downloaded with its reason.
//
// Use: Checks(dataset) are the stored checks (or, until a steward saves some, the defaults its
// schema implies: required fields present, values of their type and code list, the key unique,
// units that exist, data not older than its periodicity). Evaluate scans a dataset's records
// once against its checks; Scoreboard combines every dataset's evaluation and the engine's
// reporting figures as of a date.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog.h"
#include "core/date.h"
#include "core/error.h"
#include "engine/engine.h"
#include "ingest/ingest.h"
#include "notify/notify.h"
#include "store/datasets.h"
#include "store/settings.h"
#include "units/units.h"

namespace pdh::quality {

enum class Dimension { kCorrect, kSufficient, kClean, kAlive };
inline constexpr int kDimensions = 4;
std::string_view DimensionName(Dimension d);  // "correct", "sufficient", "clean", "alive"
std::optional<Dimension> ParseDimension(std::string_view s);

enum class CheckType {
  // Row checks: each record passes or fails.
  kMissing,        // field: a value is present
  kPattern,        // field, pattern: the value matches (ECMAScript, whole value)
  kRange,          // field, min, max: a number (or date) within
  kCodes,          // field, values: one of the values (default: the field's code list or enum)
  kDuplicate,      // fields: no other record has the same values
  kRule,           // expression: a condition over the record's fields (engine::RecordCondition)
  kReference,      // field, dataset, key: the value names a unit of the registry (no dataset) or a
                   // record of another dataset
  kNearDuplicate,  // fields, block, field, max_days: no earlier record with the same `block`
                   // values, its date (`field`) within max_days, has values of `fields` that
                   // compare as the same person or thing (names with a typo or without tone
                   // marks, IDs with two digits swapped: the consolidation's comparisons)
  kRejected,       // rows the ingest refused, against the unit they named, in the month they were
                   // sent: of the unit's records and refused rows that month, the refused fail
  // Unit checks: each unit passes or fails, on its monthly counts.
  kFreshness,     // max_days: the unit's newest record is at most this old
  kRowCount,      // within_percent: this month's records within ±% of the same month last year
  kCompleteness,  // threshold (90): months with records among the last 12 the unit reported in
  kTimeliness,    // threshold (75), due_day (25): records that arrived by the due day
  kOutliers,      // method ("modified_z" 3.5 | "sd" 2 or 3): this month's count is no outlier
  kConsistency,   // within_percent (33): this month against the mean of the three before
};
std::string_view CheckTypeName(CheckType t);

enum class Severity { kError, kWarning, kInfo };

struct Check {
  std::string id;  // unique within the dataset: [a-z0-9_]+
  std::string title;
  CheckType type = CheckType::kMissing;
  Severity severity = Severity::kError;
  Dimension dimension = Dimension::kCorrect;  // default from the type
  std::string field;
  std::vector<std::string> fields;  // kDuplicate, kNearDuplicate
  std::vector<std::string> block;   // kNearDuplicate: the fields compared as they are
  std::vector<std::string> kinds;   // kNearDuplicate: how each of `fields` compares (link::Kind)
  std::string pattern;
  std::optional<double> min;
  std::optional<double> max;
  std::vector<std::string> values;
  std::string expression;
  std::string dataset;  // kReference: another dataset ("" for the unit registry)
  std::string key;      // kReference: its field
  double threshold = 0;
  double within_percent = 0;
  int max_days = 0;
  int due_day = 25;
  std::string method;  // kOutliers
};

// Stable error codes.
inline constexpr std::string_view kInvalidCheck = "quality.invalid_check";
inline constexpr std::string_view kBadExpression = "quality.bad_expression";

// At most this many checks per dataset.
inline constexpr size_t kMaxChecks = 64;

// Reads {"checks": [...]} (or the array) against the dataset's schema. Errors:
// quality.invalid_check naming the check and key ("checks[2].field: 'x' is not a field of
// dossiers"), quality.bad_expression ("checks[3].expression: at 7: ...").
Result<std::vector<Check>> ParseChecks(const boost::json::value& v, const ingest::Dataset& d);
boost::json::object ToJson(const Check& c);
boost::json::array ToJson(const std::vector<Check>& checks);
// The checks a dataset's schema implies.
std::vector<Check> DefaultChecks(const ingest::Dataset& d);

// The checks of a dataset as stored (setting "quality.checks.<code>"), or its defaults.
struct CheckSet {
  std::vector<Check> checks;
  // The catalog entry (a department's database, or a platform) whose data the dataset holds:
  // the scoreboard shows the dataset's scores on it. "" for none.
  std::string catalog_entry;
  bool stored = false;
  std::string updated_at;
  std::string updated_by;
};
Result<CheckSet> LoadChecks(store::SettingsStore& settings, const ingest::Dataset& d);
// Saves the set's catalog entry, and its checks when `set.stored` (else the defaults stay).
Status SaveChecks(store::SettingsStore& settings, const ingest::Dataset& d, const CheckSet& set,
                  const std::string& by, const std::string& at);

// The demo province's datasets named on their catalog entries: the dossiers on the database of
// digitized procedure dossiers, the 1022 feedback on its platform.
Status GenerateDemo(store::SettingsStore& settings, store::DatasetStore& datasets);

// One check's result in one unit and month.
struct CheckCount {
  size_t check = 0;  // index into the evaluation's checks
  int64_t failed = 0;
  int64_t total = 0;
};

// A dataset's unit and month: its records and the checks' results there.
struct Cell {
  std::string unit;
  std::string month;  // "YYYY-MM"
  int64_t rows = 0;
  std::vector<CheckCount> checks;
  double score[kDimensions] = {100, 100, 100, 100};
  bool scored[kDimensions] = {false, false, false, false};
};

// A failing record: what the drill-down lists and the download holds.
struct Failure {
  std::string key;  // the record's key
  std::string unit;
  std::string month;
  size_t check = 0;
  std::string field;
  std::string value;
  std::string reason;
};

struct Evaluation {
  std::string dataset;
  std::string title;
  std::string catalog_entry;  // CheckSet::catalog_entry
  std::string newest;         // the newest record's date (or its batch's, without one), or ""
  std::vector<Check> checks;
  std::vector<Cell> cells;  // by unit then month
  int64_t rows = 0;
  // The failing rows kept for the drill-down: at most Options::max_failures per check in a unit's
  // month (the service's evaluations hold the unit checks' and refused rows' only: see
  // Service::ForEachFailure).
  std::vector<Failure> failures;
  std::vector<int64_t> failures_total;  // per check
};

struct EvaluateOptions {
  Date as_of;
  size_t max_failures = 20;  // kept per check in a unit's month
  // Another dataset's keys, for reference checks (by dataset code).
  std::function<Result<std::vector<std::string>>(const std::string& dataset,
                                                 const std::string& field)>
      keys_of;
};

// The values of `field` in every record of `dataset` (what a reference check to it accepts).
Result<std::vector<std::string>> DatasetKeys(store::DatasetStore& store, const std::string& dataset,
                                             const std::string& field);

// The rows a dataset's batches rejected at ingest, counted against the unit that sent them
// (correct: rows refused are data that failed validity before it was stored).
struct Rejected {
  std::string unit;   // the current unit's code; "" for rows naming no unit
  std::string month;  // "YYYY-MM" of the batch's created_at
  int64_t rows = 0;
};
// The rejected rows of the dataset's committed and rejected batches (dry runs left out, and
// batches created after `as_of`), summed per unit and month from the reports' rejected_by_unit,
// by unit then month. A batch found to repeat one committed while it was read is left out: its
// rows were counted with that one. With `after_batch`, only the batches after it; `newest`
// (when given) is set to the newest batch read.
Result<std::vector<Rejected>> RejectedRows(store::DatasetStore& store, const std::string& dataset,
                                           Date as_of, int64_t after_batch = 0,
                                           int64_t* newest = nullptr);

// Scans the dataset's records once. Records after `as_of` are left out. A dataset without a
// unit field is scored at the province ("").
Result<Evaluation> Evaluate(store::DatasetStore& store, const units::Registry& registry,
                            const ingest::Dataset& d, const std::vector<Check>& checks,
                            const EvaluateOptions& options);

// A dataset's evaluation kept up to date as batches commit. Build scans every record once;
// Update takes the records of the batches committed since (a changed record's old results taken
// back first), so that the evaluation after an update equals a fresh Build's. Not thread-safe.
class Evaluator {
 public:
  static Result<std::unique_ptr<Evaluator>> Build(store::DatasetStore& store,
                                                  const units::Registry& registry,
                                                  const ingest::Dataset& d,
                                                  const std::vector<Check>& checks,
                                                  const EvaluateOptions& options);
  ~Evaluator();
  Evaluator(const Evaluator&) = delete;
  Evaluator& operator=(const Evaluator&) = delete;
  // Adds the units whose records changed to `units` when given.
  Status Update(store::DatasetStore& store, const units::Registry& registry,
                std::set<std::string>* units = nullptr);
  // The newest batch whose records are counted.
  int64_t last_batch() const;
  // The evaluation; its failures are the unit checks' and the refused rows', and with
  // `with_records` those of records and groups too (else read them with ForEachFailure).
  Evaluation Snapshot(bool with_records = true) const;
  // The failures of records and groups kept for the drill-down (records' in order of arrival).
  void ForEachFailure(const std::function<void(const Failure&)>& fn) const;

 private:
  Evaluator();
  struct State;
  std::unique_ptr<State> state_;
};

// The units' reported values as of a date (engine::ReportingByUnit over the index set).
using ReportsAt = std::function<std::vector<engine::UnitReports>(Date)>;

// The scoreboard as of a date: the province, units, datasets, the worst checks and the trend
// (the shape of GET /api/v1/quality/scoreboard). The reported values count as one more dataset
// (sufficient: received of expected; alive: on time, none when silent), read through
// `reports_at` (unset: none). `may_see` limits the units listed (a unit officer's own); the
// province's figures are always all of it.
//
// With the catalog's entries as of the date, its databases are scored too ("databases"): one a
// dataset names (Evaluation::catalog_entry) has that dataset's scores; every database in use is
// judged on what the catalog says of it — connected to pdh (a dataset, or feeding the IOC), an
// update date within the year (alive), a record count and a contact (sufficient). Their mean is
// one more item in the province's sufficient and alive scores ("catalog").
boost::json::object Scoreboard(const std::vector<Evaluation>& evaluations,
                               const ReportsAt& reports_at, const units::Registry& registry,
                               Date as_of,
                               const std::function<bool(const std::string& unit)>& may_see,
                               const std::vector<catalog::Entry>* catalog = nullptr);

// What the IOC's alerts show of quality as of a date: a unit whose overall score is below
// `below` (its reported values counted, through `reports_at`), and a check a unit passed the
// month before and fails now.
struct Alert {
  std::string kind;  // "quality_low" | "check_failing" | "unit_silent" (freshness newly failing)
  std::string unit;
  std::string month;
  std::string dataset;
  std::string check;
  std::string title;
  double score = 0;
  int64_t failed = 0;
};
std::vector<Alert> Alerts(const std::vector<Evaluation>& evaluations, const ReportsAt& reports_at,
                          const units::Registry& registry, Date as_of, double below);

// The score below which a unit is alerted: the setting quality.alert_below, 80 by default.
double AlertThreshold(store::SettingsStore& settings);
// An alert in words, Vietnamese and English.
struct AlertText {
  std::string vi;
  std::string en;
};
AlertText Describe(const Alert& a);
// The alerts as messages for the notification outbox, to each unit's contact; each keyed by its
// kind, dataset, check, unit and month, so that queuing them again adds nothing.
std::vector<notify::Message> Messages(const std::vector<Alert>& alerts,
                                      const units::Registry& registry, Date as_of);

// Score rows (GET /api/v1/quality/scores): filters empty for all.
boost::json::array Scores(const std::vector<Evaluation>& evaluations,
                          const units::Registry& registry, const std::string& dataset,
                          const std::string& unit, const std::string& month,
                          std::optional<Dimension> dimension);

// What a batch changed in the kept evaluations.
struct Changes {
  std::set<std::string> datasets;
  std::set<std::string> units;
  std::vector<std::string> as_of;  // the dates whose evaluations changed
};

// The evaluations of every dataset as of a date, kept per date (a few dates) and followed batch
// by batch: a dataset's evaluation is built once, updated with the records of each batch, and
// built again only when its schema or checks change. Thread-safe.
class Service {
 public:
  Service(store::DatasetStore& datasets, store::SettingsStore& settings)
      : datasets_(datasets), settings_(settings) {}
  Result<std::shared_ptr<const std::vector<Evaluation>>> Evaluations(
      const units::Registry& registry, Date as_of);
  // Takes the batches committed since into every kept date's evaluations: what a committed
  // batch changed, for the event stream. Returns at once when no batch was committed since the
  // last call, unless `any_batch` (a batch refused whole: its refused rows count).
  Result<Changes> Follow(const units::Registry& registry, bool any_batch = false);
  // The failing rows as of a date of `dataset` ("" for all): those of records and groups as
  // kept (at most max_failures of a check in a unit's month), then those of the unit checks and
  // refused rows; `fn` is given each in turn, under the service's lock. Refreshes the
  // evaluations first.
  Status ForEachFailure(const units::Registry& registry, Date as_of, const std::string& dataset,
                        const std::function<void(const Evaluation&, const Failure&)>& fn);
  // Builds every evaluation again at the next read (after checks change).
  void Invalidate();
  // The units' reported values in `snap` as of a date (engine::ReportingByUnit), kept until the
  // index set changes: the scoreboard and the alerts read twelve month-ends each time.
  std::vector<engine::UnitReports> Reports(const engine::Snapshot& snap, Date as_of);

 private:
  static constexpr size_t kKeptDates = 4;
  struct Kept {
    std::string signature;
    std::vector<std::string> refers;  // the datasets its reference checks read
    std::string refers_stamp;         // their newest batches when it was built
    std::string catalog_entry;
    int64_t seen_batch = 0;
    std::unique_ptr<Evaluator> evaluator;
    std::shared_ptr<const Evaluation> snapshot;
  };
  struct KeptDate {
    std::map<std::string, Kept> datasets;
    std::shared_ptr<const std::vector<Evaluation>> all;
    uint64_t used = 0;
  };
  // REQUIRES: mu_ held.
  Result<bool> Refresh(const units::Registry& registry, const std::string& as_of, Kept& kept,
                       const ingest::Dataset& d, std::set<std::string>* units);
  Result<std::shared_ptr<const std::vector<Evaluation>>> RefreshAsOf(
      const units::Registry& registry, const std::string& as_of, Changes* changes);

  store::DatasetStore& datasets_;
  store::SettingsStore& settings_;
  std::mutex mu_;
  int64_t generation_ = 0;                // bumped by Invalidate; REQUIRES: mu_ held
  std::map<std::string, KeptDate> kept_;  // as_of -> its evaluations; REQUIRES: mu_ held
  uint64_t uses_ = 0;                     // REQUIRES: mu_ held
  int64_t followed_batch_ = -1;           // the newest committed batch Follow saw; REQUIRES: mu_
  uint64_t reports_version_ = 0;          // REQUIRES: mu_ held
  std::map<std::string, std::vector<engine::UnitReports>> reports_;  // REQUIRES: mu_ held
};

}  // namespace pdh::quality
