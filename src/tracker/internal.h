// Private to the tracker: dates and months, the snapshot format, the rules, derived statuses and
// how an edit becomes a store write — shared by the service, the reports, the figures, the import
// and the demo.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "tracker/tracker.h"

namespace pdh::tracker {

// What a Tracker holds. Immutable after construction, so one Impl serves many threads.
struct Tracker::Impl {
  store::TrackerStore& store;
  store::SettingsStore& settings;
  RegistrySource registry;
  const Clock& clock;
};

namespace internal {

// tracker.not_found for a target or task code.
Error NotFound(const std::string& code);

// --- Dates and months -----------------------------------------------------------------------

using reg::Today;
// The date of an ISO-8601 time ("2025-10-24T09:00:00Z" -> 2025-10-24); nullopt when unreadable.
std::optional<Date> DateOfTime(std::string_view time);
std::string MonthOf(Date d);  // "2025-10"
// The first day of a month written "YYYY-MM"; nullopt when it is not one.
std::optional<Date> MonthStart(std::string_view month);
std::string NextMonth(std::string_view month);
// The report due date of `month` ("YYYY-MM", valid) for a due day 1..28.
Date DueDate(std::string_view month, int due_day);
std::string IsoWeek(Date d);  // "2025-W45"

// --- Items ----------------------------------------------------------------------------------

using reg::MakeProblem;
using reg::Problem;

// The register's error codes ("tracker.not_found", ...).
inline constexpr reg::Codes kCodes("tracker");

// An item as it stands in one version (the latest, or the one in force on a date).
struct Current {
  Item item;
  int64_t version = 0;
  Date effective;
  bool adjusted = false;  // some version up to this one was an adjustment
  Date first_effective;   // version 1's effective date
};

// Text fields in NFC with spaces collapsed; empty and repeated list items, and the lead unit
// among the cooperating units, dropped.
Item Normalized(const Item& i);

// Whether going from `before` to `after` is an adjustment (deadline, title, expected product,
// target value or lead unit changed).
bool IsAdjustment(const Item& before, const Item& after);

// What the rules look up beyond the item: programmes and other items (the store's or an
// import's staged view).
struct Context {
  const units::Registry& registry;
  std::function<bool(const std::string& code)> programme_exists;
  // The parent code of the item with `code`; nullopt when there is no such item.
  std::function<std::optional<std::string>(const std::string& code)> parent_of;
};

struct Edit {
  const Current* current = nullptr;  // null: a new item
  Date effective;
  const Change& change;
};

// Every rule of tracker.h for `next` (normalized); the first one broken.
std::optional<Problem> Check(const Item& next, const Edit& edit, const Context& context);

// The store write for a checked edit: version current+1 (or 1), its changes, search columns.
store::TrackerWrite MakeWrite(const Item& item, const Current* current, Date effective,
                              const std::string& recorded_at, const Change& change);

// Edits checked one after another against the register and the edits staged before them (one
// single edit, or a whole batch that is written only if every edit passes).
class Staging {
 public:
  enum class Mode { kCreate, kUpdate, kUpsert };
  struct Outcome {
    enum class Kind { kCreated, kUpdated, kUnchanged } kind = Kind::kUnchanged;
    Current current;                 // the item after the edit (before it when refused)
    std::optional<Problem> problem;  // the rule the edit broke: nothing was staged
  };

  Staging(store::TrackerStore& store, std::shared_ptr<const units::Registry> registry, Date today,
          std::string recorded_at);
  // Reads every current item up front (for batches); otherwise items are read as needed.
  Status Preload();
  // The item as it stands in the register or after the staged edits; nullopt when absent.
  Result<std::optional<Current>> Find(const std::string& code);
  // Checks one edit and stages its write when it passes. Errors: reading the store failed.
  Result<Outcome> Stage(const Item& item, const Change& change, Mode mode);
  const std::vector<store::TrackerWrite>& writes() const { return writes_; }

 private:
  Result<bool> ProgrammeExists(const std::string& code);

  store::TrackerStore& store_;
  std::shared_ptr<const units::Registry> registry_;
  Date today_;
  std::string recorded_at_;
  bool preloaded_ = false;
  std::map<std::string, std::optional<Current>> items_;  // nullopt: known to be absent
  std::optional<std::set<std::string>> programmes_;
  std::vector<store::TrackerWrite> writes_;
};

// Stored rows read back.
Result<Current> FromRow(const store::TrackerItemRow& row);
Result<Current> FromRow(const store::TrackerVersionRow& row);
Result<Version> VersionFromRow(const store::TrackerVersionRow& row);
Result<Programme> FromRow(const store::TrackerProgrammeRow& row);

// --- Statuses and reports -------------------------------------------------------------------

// The status leaders see on `as_of`, given the latest reported percent by then.
Derived Derive(const Item& item, Date as_of, std::optional<int> percent);

ItemRecord MakeRecord(const Current& c, Date as_of, std::optional<int> percent);

// A report row read back (snapshot text fields, columns, attachments).
Result<Report> FromRow(const store::TrackerReportRow& row);
// The snapshot stored for a report: its text fields.
std::string ReportSnapshot(const Report& r);

// Reports by item code and month.
using ReportIndex = std::map<std::string, std::map<std::string, Report>>;
// Reads the matching reports submitted on or before `as_of` (every one when unset).
Result<ReportIndex> LoadReports(store::TrackerStore& store, const store::TrackerReportQuery& q,
                                std::optional<Date> as_of);
// The percent of the latest month reported.
std::optional<int> LatestPercent(const ReportIndex& reports, const std::string& code);

// The date a closed item was closed: completed_at, or the effective date of the version that
// cancelled it (read from the store). nullopt while open.
Result<std::optional<Date>> ClosedOn(store::TrackerStore& store, const Current& c);

// The first month an item owes a report: the month after it was assigned (or first recorded).
std::string FirstReportMonth(const Current& c);

// Every report `c` owes up to `as_of` (see Tracker::Obligations), with `closed` from ClosedOn.
std::vector<Obligation> ObligationsOf(const Current& c, std::optional<Date> closed,
                                      const ReportIndex& reports, Date as_of, int due_day,
                                      const std::string& month);

// The register as it stood on `as_of`: each item's latest version effective by then, by code.
Result<std::vector<Current>> ItemsAsOf(store::TrackerStore& store, Date as_of);

int DueDay(store::SettingsStore& settings);

}  // namespace internal
}  // namespace pdh::tracker
