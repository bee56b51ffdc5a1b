// The Resolution 57 register (M6): programmes, the targets (chỉ tiêu) and tasks (nhiệm vụ)
// assigned under them along chains centre -> province -> unit, their lifecycle with adjustments
// kept in history, the monthly progress reports units owe by the 25th, and the figures leaders
// steer by — all as of any date, with statuses derived from deadlines and the clock, never typed.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <functional>
#include <istream>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/date.h"
#include "core/error.h"
#include "notify/notify.h"
#include "register/register.h"
#include "store/settings.h"
#include "store/tracker.h"
#include "units/units.h"

namespace pdh::tracker {

// Who assigned an item: the Party centre / Government to the province (trung ương giao tỉnh), the
// provincial People's Committee to its units (tỉnh giao), or a unit to its own units (đơn vị giao).
enum class Level { kCentral, kProvince, kUnit };
inline constexpr reg::EnumNames<Level, 3> kLevelNames{{"central", "province", "unit"}};

enum class ItemKind { kTarget, kTask };
inline constexpr reg::EnumNames<ItemKind, 2> kItemKindNames{{"target", "task"}};

// The state people record. kInProgress/kCompleted/kCancelled are set by edits (or a report of
// 100%); overdue, on time and late are derived (see Derived), never stored.
enum class State { kNotStarted, kInProgress, kCompleted, kCancelled };
inline constexpr reg::EnumNames<State, 4> kStateNames{
    {"not_started", "in_progress", "completed", "cancelled"}};

// Recurring tasks (thường xuyên) have no single deadline: each period must be reported.
enum class Recurrence { kNone, kMonthly, kQuarterly, kYearly };
inline constexpr reg::EnumNames<Recurrence, 4> kRecurrenceNames{
    {"", "monthly", "quarterly", "yearly"}};

struct Programme {
  std::string code;  // "NQ57", "DA-CDS-2025-2030"; letters, digits, '.', '-', '_'; <= 64
  std::string name;
  std::string legal_basis;  // "Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị"
  Level level = Level::kCentral;  // who issued it
  Date period_from;
  Date period_to;
  bool operator==(const Programme&) const = default;
};

struct Leader {
  std::string name;      // "Nguyễn Văn A"
  std::string position;  // "Phó Chủ tịch UBND tỉnh"
  bool operator==(const Leader&) const = default;
};

// A target or a task as it stands in one version.
struct Item {
  ItemKind kind = ItemKind::kTask;
  std::string code;       // unique across items; never changes
  std::string programme;  // programme code
  std::string parent;     // the item this one was assigned from ("" for the top of a chain)
  Level level = Level::kProvince;  // who assigned it
  std::string title;
  std::string sector;     // "Khoa học và Công nghệ", "Chuyển đổi số", ...
  std::string lead_unit;  // unit code: "80" (the province), "80.SKHCN", a commune code
  std::vector<std::string> cooperating_units;
  Leader leader;  // lãnh đạo phụ trách
  std::optional<Date> assigned_at;
  std::optional<Date> deadline;  // required unless recurring
  Recurrence recurrence = Recurrence::kNone;
  std::string expected_product;  // sản phẩm: "Quyết định phê duyệt ...", "Hệ thống ... vận hành"
  // Targets: what is measured.
  std::optional<double> baseline;
  std::optional<double> target_value;
  std::string measure_unit;  // "%", "hệ thống", "doanh nghiệp"
  std::string indicator;     // optional indicator code the target judges itself by (M5)
  State state = State::kNotStarted;
  std::optional<Date> completed_at;  // required when completed
  bool operator==(const Item&) const = default;
};

// Rules (tracker.missing_field / tracker.invalid_field naming the field; others as named):
//   code, programme (existing: tracker.unknown_programme), title, lead_unit (a unit valid on the
//   effective date: tracker.unknown_unit; cooperating units too), level; deadline unless
//   recurring; parent, when set, an existing item (tracker.unknown_parent) and no cycles;
//   completed needs completed_at (not after the effective date); targets need target_value.
// Lifecycle (tracker.invalid_transition unless said otherwise):
//   not_started -> in_progress -> completed; not_started -> completed; any -> cancelled (needs a
//   reason: tracker.reason_required); completed -> in_progress (reopening) needs a reason;
//   nothing leaves cancelled. kind and code never change.
//   An ADJUSTMENT is a change of deadline, title, expected_product, target_value or lead_unit of
//   an existing item: it needs a reason (tracker.reason_required) and an approval (the
//   approving decision or person: tracker.approval_required); the version is marked adjusted.
//   The effective date is never before the previous version's (tracker.invalid_date).
// Who may edit is the caller's check: officers of the lead unit record state changes; adding
// items and adjustments are for the steward unit (DoST) and administrators.

using FieldChange = reg::FieldChange;

struct Change {
  std::string actor;
  std::string reason;
  std::string approval;             // adjustments: "Văn bản số 123/UBND-KT ngày 01/09/2025"
  std::optional<Date> effective;    // default today
  std::optional<int64_t> expected;  // optimistic lock on the version
};

struct Version {
  int64_t number = 0;
  Date effective;
  std::string recorded_at;
  std::string actor;
  std::string reason;
  std::string approval;
  bool adjusted = false;
  std::vector<FieldChange> changes;
  Item item;
};

// The statuses leaders see, derived as of a date from the item, its deadline and its reports.
enum class Derived {
  kNotStarted,
  kInProgress,
  kOverdue,          // not completed, deadline before the date
  kCompletedOnTime,  // completed_at <= deadline
  kCompletedLate,
  kCancelled,
};
inline constexpr reg::EnumNames<Derived, 6> kDerivedNames{
    {"not_started", "in_progress", "overdue", "completed_on_time", "completed_late", "cancelled"}};

struct ItemRecord {
  Item item;
  int64_t version = 0;
  Date effective;
  bool adjusted = false;                  // some version was an adjustment
  Derived status = Derived::kNotStarted;  // as of the date asked
  std::optional<int> percent;             // latest reported percent as of that date
  std::vector<Version> history;           // filled by Get only
};

// --- Monthly progress reports -------------------------------------------------------------
// One report per task and month ("2025-10"), by the task's lead unit: due on day `due_day` of
// that month (default 25, setting "tracker.report_due_day"). Recurring and open tasks owe one
// every month from the month after assignment until the month they are completed or cancelled.

struct Attachment {
  int64_t id = 0;
  std::string name;          // file name as uploaded
  std::string content_type;  // allowed: PDF, DOCX, XLSX, PNG, JPEG; <= 10 MiB each, 5 a report
  int64_t size = 0;
};

struct Report {
  std::string task;   // task code
  std::string month;  // "YYYY-MM"
  int percent = 0;    // 0..100
  std::string done;   // kết quả thực hiện
  std::string difficulties;
  std::string proposals;
  std::string submitted_at;  // first submission, ISO-8601 UTC: judges timeliness
  std::string updated_at;    // last edit
  std::string submitted_by;  // account name
  std::vector<Attachment> attachments;
};

enum class Timeliness { kOnTime, kLate, kMissing, kNotDue };
inline constexpr reg::EnumNames<Timeliness, 4> kTimelinessNames{
    {"on_time", "late", "missing", "not_due"}};

// A report owed, with its timeliness as of a date.
struct Obligation {
  std::string task;
  std::string unit;
  std::string month;
  Date due;
  Timeliness timeliness = Timeliness::kNotDue;
  std::optional<Report> report;
};

// --- Figures ------------------------------------------------------------------------------

struct Counts {
  int64_t total = 0;  // not cancelled
  int64_t completed = 0;
  int64_t completed_on_time = 0;
  int64_t completed_late = 0;
  int64_t in_progress = 0;
  int64_t not_started = 0;
  int64_t overdue = 0;
  int64_t cancelled = 0;
  double completion_rate = 0;  // completed / total * 100, rounded to two decimals
  bool operator==(const Counts&) const = default;
};

struct Group {
  std::string key;   // programme code, level, unit code, sector, status or "YYYY-MM"
  std::string name;  // programme or unit name when there is one
  Counts targets;
  Counts tasks;
};

struct UnitRank {
  std::string unit;
  std::string name;
  int64_t tasks_due = 0;  // tasks whose deadline is on or before the date
  int64_t completed_on_time = 0;
  double on_time_rate = 0;       // completed_on_time / tasks_due * 100, two decimals
  int64_t reports_expected = 0;  // obligations already due
  int64_t reports_on_time = 0;
  int64_t reports_late = 0;
  int64_t reports_missing = 0;
  double report_rate = 0;  // reports_on_time / reports_expected * 100, two decimals
};

struct Summary {
  Date as_of;
  std::map<std::string, Group> by_level;  // "central", "province", "unit"
  std::vector<Group> by_programme;
  std::vector<Group> by_unit;
  std::vector<Group> by_sector;
  std::vector<Group> by_status;          // derived status names
  std::vector<Group> by_deadline_month;  // "YYYY-MM"
  std::vector<ItemRecord> overdue;       // by deadline
  std::vector<ItemRecord> due_soon;      // deadline within 30 days after as_of, by deadline
  std::vector<UnitRank> ranking;         // by on_time_rate, then report_rate, descending
};

// --- Import -------------------------------------------------------------------------------

// The import's problems, options and report (the register's; may_edit is given the lead unit).
using RowError = reg::RowError;
using ImportOptions = reg::ImportOptions;
using ImportReport = reg::ImportReport;

struct Filter {
  std::optional<ItemKind> kind;
  std::optional<std::string> programme;
  std::optional<Level> level;
  std::optional<std::string> unit;  // lead unit
  std::optional<std::string> sector;
  std::optional<Derived> status;  // as of `as_of`
  std::string q;                  // words without diacritics in code, title, sector
  std::string after;              // cursor: codes after this
  int64_t limit = 100;
};

struct Page {
  std::vector<ItemRecord> items;
  std::string next;
};

// The register. Thread-safe.
class Tracker {
 public:
  using RegistrySource = std::function<std::shared_ptr<const units::Registry>()>;
  // `store`, `settings` (the reports' due day) and `clock` must outlive the tracker.
  Tracker(store::TrackerStore& store, store::SettingsStore& settings, RegistrySource registry,
          const Clock& clock);

  // Errors: tracker.missing_field / tracker.invalid_field (code, name, period_to before
  // period_from), tracker.duplicate_code.
  Result<Programme> AddProgramme(const Programme& p, const std::string& actor);
  Result<std::vector<Programme>> Programmes();

  // Items: rules above. Errors: tracker.duplicate_code, tracker.not_found,
  // tracker.version_conflict.
  Result<ItemRecord> Create(const Item& item, const Change& change);
  Result<ItemRecord> Update(const Item& item, const Change& change);
  // With history, statuses as of `as_of`.
  // Records are the items as they stood on `as_of`: each item's latest version effective on or
  // before it (Get: the first version when the item took effect later; List and Children leave
  // such items out), its percent from the reports submitted by then. A task not started whose
  // report says more than 0% shows in_progress.
  Result<ItemRecord> Get(const std::string& code, Date as_of);
  // By code; errors: tracker.invalid_field (limit outside 1..1000).
  Result<Page> List(const Filter& filter, Date as_of);
  // Items assigned from `code`, as of `as_of`.
  Result<std::vector<ItemRecord>> Children(const std::string& code, Date as_of);

  // Submits or edits the report of `task` for `month` (tracker.not_found, tracker.invalid_field
  // for percent outside 0..100 or a month outside the task's reporting months,
  // tracker.closed when the task was completed or cancelled before that month). A report of 100
  // marks an in-progress task completed on the submission date.
  // The reporting months run from the month after assigned_at (or after version 1's effective
  // date) to the current month. Editing a report keeps its submitted_at and submitted_by. A
  // report of 100 also completes a task not started; the completing version is recorded by
  // `actor`, effective on the submission date.
  Result<Report> SubmitReport(const Report& report, const std::string& actor);
  // Attachments: tracker.attachment_type, tracker.attachment_too_large, tracker.too_many.
  Result<Attachment> Attach(const std::string& task, const std::string& month,
                            const std::string& name, const std::string& content_type,
                            std::string bytes, const std::string& actor);
  Result<std::pair<Attachment, std::string>> AttachmentData(int64_t id);
  Result<std::vector<Report>> Reports(const std::string& task);
  // Every report owed up to `as_of` (months whose due day is on or before as_of, plus the
  // current month as not_due), filtered by unit and month when given.
  // Tasks only (targets owe none), as they stood on `as_of`, by month, unit, task. A task owes
  // the months from its first reporting month to the month it was completed or cancelled; that
  // last month only when it closed after the due day or was reported anyway. Reports count when
  // submitted on or before `as_of`: on_time when first submitted on or before the due date,
  // late after it; without one, missing once the due date has passed, else not_due.
  Result<std::vector<Obligation>> Obligations(Date as_of, const std::string& unit = "",
                                              const std::string& month = "");

  // Counted from each item's latest version effective on or before `as_of` and the reports
  // submitted by then. by_level has all three levels, by_status all six statuses (in the order
  // of Derived), by_programme every programme; groups otherwise by key. The ranking covers the
  // lead units of tasks not cancelled; its report figures count the obligations whose due date
  // is before `as_of`.
  Result<Summary> SummaryAsOf(Date as_of);

  // The reminders owed as of a date, addressed to each item's lead unit: tasks due within 7
  // days ("due_soon"), overdue tasks ("overdue", once a week), reports missing after the due
  // day ("report_missing", per task and month). Keys make re-running it add nothing new.
  // Keys: "due_soon:<code>:<deadline>", "overdue:<code>:<ISO week of as_of, 2025-W44>",
  // "report_missing:<code>:<month>". Targets get due_soon and overdue reminders too.
  Result<std::vector<notify::Message>> Reminders(Date as_of);

  // Creates or updates many items at once: every edit is checked (against the register and the
  // edits before it); if any fails nothing is written, else all are written in one transaction.
  // A dry run checks and counts only. errors[i] is the problem of edits[i] (message "field: ...").
  struct BatchEdit {
    Item item;
    Change change;
  };
  struct BatchResult {
    std::vector<std::optional<Error>> errors;
    size_t created = 0;
    size_t updated = 0;
    size_t unchanged = 0;
    bool written = false;
  };
  Result<BatchResult> ApplyBatch(const std::vector<BatchEdit>& edits, bool dry_run);

  Result<ImportReport> ImportCsv(std::istream& in, const ImportOptions& options);
  Result<ImportReport> ImportXlsx(std::string bytes, const ImportOptions& options);
  Status ExportCsv(std::ostream& out);
  Status ExportXlsx(std::ostream& out);

  int due_day();  // the report due day (1..28)

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

// JSON shapes for the API (dates ISO, absent optionals null).
boost::json::object ToJson(const Programme& p);
boost::json::object ToJson(const Item& i);
boost::json::object ToJson(const ItemRecord& r);  // item + version, effective, adjusted,
                                                  // status, percent, history when filled
boost::json::object ToJson(const Report& r);
boost::json::object ToJson(const Obligation& o);
boost::json::object ToJson(const Summary& s);
using reg::ToJson;  // ImportReport
// Errors: tracker.invalid_field (unknown keys refused).
Result<Item> ItemFromJson(const boost::json::value& v);
// A report as a client writes it: task, month, percent, done, difficulties, proposals (the
// submission times, submitter and attachments are pdh's to set).
Result<Report> ReportFromJson(const boost::json::value& v);
// {code, name, legal_basis, level, period_from, period_to}, as ToJson(Programme) writes it.
Result<Programme> ProgrammeFromJson(const boost::json::value& v);

// The demo province's register (deterministic): programme NQ57 (central, 166 tasks assigned to
// the province: as of 2025-10-31, 90 completed and 76 in progress) and the province's plan (the
// People's Committee to units: 53 targets, 32 completed = 60.38%; 235 tasks, 88 completed =
// 37.45%), with monthly reports from 2025-01 where some units report late or not at all.
// Counts "programmes", "targets", "tasks" and "reports". Writes through a Tracker of its own with
// a manual clock, so reports carry their submission dates in 2025.
Result<reg::Tally> GenerateDemo(store::TrackerStore& store, store::SettingsStore& settings,
                                std::shared_ptr<const units::Registry> registry);

}  // namespace pdh::tracker
