// Reports (M13): the IOC's overview figures as of a date, and the monthly report to the
// People's Committee built from them — the report's table against the month before, the units
// that reported late or not at all, overdue tasks, indicators off track and data quality —
// written as XLSX, PDF (A4, Pango and Cairo, an embedded serif font) and printable HTML.
//
// A report's content is a JSON document (see Monthly): what is archived when a report is issued,
// so that an issued report renders the same however the data changes afterwards.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog.h"
#include "core/date.h"
#include "core/error.h"
#include "engine/engine.h"
#include "store/report.h"
#include "tracker/tracker.h"

namespace pdh::report {

// A figure as pages show it: the value rounded to 6 decimals, whole numbers as integers, null
// when there is none.
boost::json::value Num(std::optional<double> v);

// The indicator's values for `unit` over the `n` periods up to `upto` that have one.
boost::json::array Trend(const engine::Snapshot& s, const engine::Indicator& ind,
                         const std::string& unit, const engine::Period& upto, int n);

// What a report reads.
struct Sources {
  const engine::Snapshot& snapshot;
  tracker::Tracker& tracker;
  catalog::Catalog& catalog;
  // The data-quality scoreboard as of a date (quality::Scoreboard's shape); unset: no quality
  // section.
  std::function<Result<boost::json::object>(Date)> quality;
};

// The IOC overview as of a date: {"as_of","province","figures":[...]} — Resolution 57, the
// catalog, the index set's freshness, public services, feedback and enterprises, each figure
// with its measure, parts, target, light and 12-month trend (GET /api/v1/overview).
Result<boost::json::object> Overview(const Sources& sources, Date as_of);

// The monthly report as of the last day of `month` ("2025-10"). Errors: report.invalid_month.
//
// Its content: {"month","as_of","previous_as_of","province":{code,name},"issued_at",
// "sections":[{"key","title","title_en","note","columns":[{"title","title_en","kind"}],
// "rows":[[cell,...]]}]}. A column's kind is "text", "number", "percent" or "change" (the
// difference of the two columns before it: a formula in the XLSX). Sections: "summary" (the
// overview's figures this month and last), "late_reports" (the units whose monthly reports were
// late or missing), "overdue_tasks", "off_track" (indicators projected to miss this year's
// target), "quality" (when the source is given: the province's four dimensions and the lowest
// units).
Result<boost::json::object> Monthly(const Sources& sources, std::string_view month);

// The renderings of a report's content. Errors: report.render_failed.
std::string Html(const boost::json::object& report);
Result<std::string> Xlsx(const boost::json::object& report);
Result<std::string> Pdf(const boost::json::object& report);

enum class Format { kPdf, kXlsx, kHtml, kJson };
std::optional<Format> ParseFormat(std::string_view name);  // "pdf" | "xlsx" | "html" | "json"
std::string_view ContentType(Format f);
std::string FileName(const boost::json::object& report, Format f);  // "bao-cao-thang-2025-10.pdf"
Result<std::string> Render(const boost::json::object& report, Format f);

// The archive of issued reports: a report is issued once per month (issuing again returns the
// one kept), so that last month's report reads the same next year.
class Archive {
 public:
  explicit Archive(store::ReportStore& store) : store_(store) {}
  // The report of `month` as issued, issuing it from `sources` now when it has not been
  // (`issued_by`, `issued_at` ISO-8601 UTC). `fresh` says whether it was issued by this call.
  Result<boost::json::object> Issue(const Sources& sources, std::string_view month,
                                    const std::string& issued_by, const std::string& issued_at,
                                    bool* fresh = nullptr);
  // The issued report of `month`, if any.
  Result<std::optional<boost::json::object>> Get(std::string_view month);
  // The issued reports, newest month first: {"month","issued_at","issued_by"}.
  Result<boost::json::array> List();

 private:
  store::ReportStore& store_;
};

// The day of the month on which the scheduled report of the month before is issued and sent
// (setting "report.monthly_day", 1–28; unset or 0: not scheduled).
inline constexpr std::string_view kScheduleSetting = "report.monthly_day";

// The month whose report is due on `today` under the schedule `day` ("" when none): the month
// before today's, from its day on.
std::string DueMonth(int day, Date today);

}  // namespace pdh::report
