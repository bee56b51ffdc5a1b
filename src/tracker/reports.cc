// Monthly progress reports: which months a task owes one, submissions and edits (a report of
// 100% completes the task), attachments, and the obligations with their timeliness as of a date.
#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

#include "core/text.h"
#include "tracker/internal.h"

namespace pdh::tracker {

using internal::Current;
using internal::NotFound;

namespace {

constexpr int64_t kMaxAttachmentBytes = int64_t{10} * 1024 * 1024;
constexpr int64_t kMaxAttachments = 5;
constexpr size_t kMaxNameBytes = 255;

struct AllowedType {
  std::string_view content_type;
  std::string_view label;
  std::string_view magic;  // how the file's bytes begin
};

// PDF, DOCX, XLSX (zip packages), PNG, JPEG.
constexpr std::array<AllowedType, 5> kAllowedTypes = {{
    {"application/pdf", "PDF", "%PDF-"},
    {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", "DOCX",
     "PK\x03\x04"},
    {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX", "PK\x03\x04"},
    {"image/png", "PNG", "\x89PNG\r\n\x1a\n"},
    {"image/jpeg", "JPEG", "\xFF\xD8\xFF"},
}};

Error InvalidField(const std::string& field, const std::string& what) {
  return Error::Invalid("tracker.invalid_field", field + ": " + what);
}

// "application/PDF; charset=binary" -> "application/pdf"; "image/jpg" -> "image/jpeg".
std::string MediaType(std::string_view content_type) {
  std::string s(content_type.substr(0, content_type.find(';')));
  s = text::CollapseSpaces(s);
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s == "image/jpg" ? "image/jpeg" : s;
}

// The file name without any folders or control characters, in NFC with spaces collapsed.
std::string BaseName(std::string_view name) {
  const size_t slash = name.find_last_of("/\\");
  if (slash != std::string_view::npos) name.remove_prefix(slash + 1);
  std::string printable;
  for (char c : name) {
    const auto u = static_cast<unsigned char>(c);
    printable += u < 0x20 || u == 0x7F ? ' ' : c;
  }
  return text::CollapseSpaces(text::Nfc(printable));
}

Result<Current> CurrentItem(store::TrackerStore& store, const std::string& code) {
  auto row = store.Find(code);
  if (!row) return Fail(row.error());
  if (!*row) return Fail(NotFound(code));
  return internal::FromRow(**row);
}

std::string Clean(const std::string& s) {
  return text::Nfc(s);
}

}  // namespace

namespace internal {

Result<ReportIndex> LoadReports(store::TrackerStore& store, const store::TrackerReportQuery& q,
                                std::optional<Date> as_of) {
  auto rows = store.Reports(q);
  if (!rows) return Fail(rows.error());
  ReportIndex index;
  for (const auto& row : *rows) {
    if (as_of) {
      auto submitted = DateOfTime(row.submitted_at);
      if (!submitted || *as_of < *submitted) continue;
    }
    auto report = FromRow(row);
    if (!report) return Fail(report.error());
    index[row.code][row.month] = std::move(*report);
  }
  return index;
}

std::optional<int> LatestPercent(const ReportIndex& reports, const std::string& code) {
  auto it = reports.find(code);
  if (it == reports.end() || it->second.empty()) return std::nullopt;
  return it->second.rbegin()->second.percent;
}

Result<std::optional<Date>> ClosedOn(store::TrackerStore& store, const Current& c) {
  if (c.item.state == State::kCompleted) return c.item.completed_at;
  if (c.item.state != State::kCancelled) return std::optional<Date>();
  // Nothing leaves cancelled, so the first cancelled version is the one that cancelled it.
  auto rows = store.Versions(c.item.code);
  if (!rows) return Fail(rows.error());
  for (const auto& row : *rows) {
    if (row.number > c.version) break;
    auto v = FromRow(row);
    if (!v) return Fail(v.error());
    if (v->item.state == State::kCancelled) return std::optional<Date>(v->effective);
  }
  return std::optional<Date>(c.effective);
}

std::string FirstReportMonth(const Current& c) {
  return NextMonth(MonthOf(c.item.assigned_at.value_or(c.first_effective)));
}

std::vector<Obligation> ObligationsOf(const Current& c, std::optional<Date> closed,
                                      const ReportIndex& reports, Date as_of, int due_day,
                                      const std::string& month) {
  std::vector<Obligation> out;
  if (c.item.kind != ItemKind::kTask) return out;
  std::string last = MonthOf(as_of);
  if (closed) last = std::min(last, MonthOf(*closed));
  const auto task_reports = reports.find(c.item.code);
  for (std::string m = FirstReportMonth(c); m <= last; m = NextMonth(m)) {
    if (!month.empty() && m != month) continue;
    const Date due = DueDate(m, due_day);
    const Report* report = nullptr;
    if (task_reports != reports.end()) {
      auto it = task_reports->second.find(m);
      if (it != task_reports->second.end()) report = &it->second;
    }
    // A task closed on or before the due day owes nothing for that month, unless reported.
    if (closed && m == MonthOf(*closed) && *closed <= due && !report) continue;
    Obligation o{c.item.code, c.item.lead_unit, m, due, Timeliness::kNotDue, std::nullopt};
    if (report) {
      const auto submitted = DateOfTime(report->submitted_at);
      o.timeliness = submitted && *submitted <= due ? Timeliness::kOnTime : Timeliness::kLate;
      o.report = *report;
    } else if (due < as_of) {
      o.timeliness = Timeliness::kMissing;
    }
    out.push_back(std::move(o));
  }
  return out;
}

}  // namespace internal

Result<Report> Tracker::SubmitReport(const Report& report, const std::string& actor) {
  auto cur = CurrentItem(impl_->store, report.task);
  if (!cur) return Fail(cur.error());
  const auto month_start = internal::MonthStart(report.month);
  if (!month_start) return Fail(InvalidField("month", "must be a month such as 2025-10"));
  if (report.percent < 0 || report.percent > 100) {
    return Fail(InvalidField("percent", "must be from 0 to 100"));
  }
  const Date today = internal::Today(impl_->clock);
  const std::string first = internal::FirstReportMonth(*cur);
  if (report.month < first) {
    return Fail(InvalidField("month", "reports of '" + report.task + "' start in " + first +
                                          ", the month after it was assigned"));
  }
  if (report.month > internal::MonthOf(today)) {
    return Fail(InvalidField("month", report.month + " has not begun yet"));
  }
  auto closed = internal::ClosedOn(impl_->store, *cur);
  if (!closed) return Fail(closed.error());
  if (*closed && **closed < *month_start) {
    return Fail(
        Error::Invalid("tracker.closed", "month: '" + report.task + "' was " +
                                             std::string(kStateNames.Name(cur->item.state)) +
                                             " on " + (*closed)->ToString() + ", before " +
                                             report.month + ": it owes no more reports"));
  }
  auto existing =
      internal::LoadReports(impl_->store, {.code = report.task, .month = report.month}, {});
  if (!existing) return Fail(existing.error());
  const Report* before = nullptr;
  if (auto it = existing->find(report.task); it != existing->end()) {
    before = &it->second.begin()->second;
  }

  const std::string now = FormatTime(impl_->clock.Now());
  Report saved;
  saved.task = cur->item.code;
  saved.month = report.month;
  saved.percent = report.percent;
  saved.done = Clean(report.done);
  saved.difficulties = Clean(report.difficulties);
  saved.proposals = Clean(report.proposals);
  saved.submitted_at = before ? before->submitted_at : now;
  saved.updated_at = now;
  saved.submitted_by = before ? before->submitted_by : actor;
  if (before) saved.attachments = before->attachments;

  // A report of 100% completes an open task on the submission date.
  internal::Staging staging(impl_->store, impl_->registry(), today, now);
  if (report.percent == 100 &&
      (cur->item.state == State::kNotStarted || cur->item.state == State::kInProgress)) {
    Item done = cur->item;
    done.state = State::kCompleted;
    done.completed_at = today;
    const Change change{actor, "Báo cáo tiến độ tháng " + report.month + ": hoàn thành 100%", "",
                        std::max(today, cur->effective), cur->version};
    auto out = staging.Stage(done, change, internal::Staging::Mode::kUpdate);
    if (!out) return Fail(out.error());
    if (out->problem) return Fail(out->problem->error);
  }
  const store::TrackerReportRow row{saved.task,
                                    saved.month,
                                    cur->item.lead_unit,
                                    saved.percent,
                                    saved.submitted_at,
                                    saved.updated_at,
                                    saved.submitted_by,
                                    internal::ReportSnapshot(saved),
                                    {}};
  if (auto s = impl_->store.SaveReport(row, staging.writes()); !s) {
    return Fail(s.error());
  }
  return saved;
}

Result<Attachment> Tracker::Attach(const std::string& task, const std::string& month,
                                   const std::string& name, const std::string& content_type,
                                   std::string bytes, const std::string& actor) {
  const std::string data = std::move(bytes);  // the upload, owned here
  const std::string type = MediaType(content_type);
  const auto allowed = std::find_if(kAllowedTypes.begin(), kAllowedTypes.end(),
                                    [&](const AllowedType& t) { return t.content_type == type; });
  if (allowed == kAllowedTypes.end()) {
    return Fail(Error::Invalid(
        "tracker.attachment_type",
        "content_type: '" + type + "' is not allowed: attach PDF, DOCX, XLSX, PNG or JPEG files"));
  }
  if (data.empty()) return Fail(InvalidField("file", "the file is empty"));
  if (static_cast<int64_t>(data.size()) > kMaxAttachmentBytes) {
    return Fail(Error::Invalid(
        "tracker.attachment_too_large",
        "file: " + std::to_string(data.size()) + " bytes; an attachment is at most 10 MiB"));
  }
  if (std::string_view(data).substr(0, allowed->magic.size()) != allowed->magic) {
    return Fail(
        Error::Invalid("tracker.attachment_type",
                       "content_type: the file is not a " + std::string(allowed->label) + " file"));
  }
  const std::string base = BaseName(name);
  if (base.empty()) return Fail(InvalidField("name", "the file needs a name"));
  if (base.size() > kMaxNameBytes) {
    return Fail(InvalidField("name", "at most " + std::to_string(kMaxNameBytes) + " bytes"));
  }
  store::TrackerAttachmentRow row{
      0, base, type, static_cast<int64_t>(data.size()), FormatTime(impl_->clock.Now()), actor};
  auto id = impl_->store.AddAttachment(task, month, row, data, kMaxAttachments);
  if (!id) return Fail(id.error());
  return Attachment{*id, row.name, row.content_type, row.size};
}

Result<std::pair<Attachment, std::string>> Tracker::AttachmentData(int64_t id) {
  auto found = impl_->store.Attachment(id);
  if (!found) return Fail(found.error());
  if (!*found) {
    return Fail(
        Error::NotFound("tracker.not_found", "no attachment with id " + std::to_string(id)));
  }
  auto& [row, data] = **found;
  return std::pair<Attachment, std::string>(
      Attachment{row.id, row.name, row.content_type, row.size}, std::move(data));
}

Result<std::vector<Report>> Tracker::Reports(const std::string& task) {
  auto cur = CurrentItem(impl_->store, task);
  if (!cur) return Fail(cur.error());
  auto index = internal::LoadReports(impl_->store, {.code = task}, {});
  if (!index) return Fail(index.error());
  std::vector<Report> out;
  for (auto& [code, months] : *index) {
    for (auto& [month, report] : months) out.push_back(std::move(report));
  }
  return out;
}

Result<std::vector<Obligation>> Tracker::Obligations(Date as_of, const std::string& unit,
                                                     const std::string& month) {
  if (!month.empty() && !internal::MonthStart(month)) {
    return Fail(InvalidField("month", "must be a month such as 2025-10"));
  }
  const int due_day = internal::DueDay(impl_->settings);
  auto items = internal::ItemsAsOf(impl_->store, as_of);
  if (!items) return Fail(items.error());
  store::TrackerReportQuery q;
  if (!month.empty()) q.month = month;
  auto reports = internal::LoadReports(impl_->store, q, as_of);
  if (!reports) return Fail(reports.error());
  std::vector<Obligation> out;
  for (const auto& c : *items) {
    if (c.item.kind != ItemKind::kTask || (!unit.empty() && c.item.lead_unit != unit)) continue;
    auto closed = internal::ClosedOn(impl_->store, c);
    if (!closed) return Fail(closed.error());
    auto owed = internal::ObligationsOf(c, *closed, *reports, as_of, due_day, month);
    std::move(owed.begin(), owed.end(), std::back_inserter(out));
  }
  std::stable_sort(out.begin(), out.end(), [](const Obligation& a, const Obligation& b) {
    return std::tie(a.month, a.unit, a.task) < std::tie(b.month, b.unit, b.task);
  });
  return out;
}

}  // namespace pdh::tracker
