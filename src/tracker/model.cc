// The register's values as names and JSON: enum names, programmes, items and reports to and from
// JSON (the stored snapshot format and the API's), field-by-field differences, stored rows read
// back, and the calendar arithmetic the reports need.
#include <boost/describe/class.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value_from.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <utility>

#include "core/json_util.h"
#include "core/text.h"
#include "tracker/internal.h"

namespace pdh::tracker {

namespace {

namespace json = boost::json;
using json_util::Assign;

constexpr json_util::FieldReader kFields("tracker.invalid_field");

// --- Readers of one JSON field; each names the field in its error ----------------------------

Result<Date> ReadRequiredDate(const json::value& v, const std::string& field) {
  auto d = kFields.OptionalDate(v, field);
  if (!d) return Fail(d.error());
  if (!*d) return Fail(kFields.Invalid(field, "must be a date such as 2025-10-31"));
  return **d;
}

Result<Leader> ReadLeader(const json::value& v) {
  if (v.is_null()) return Leader{};
  const auto* o = v.if_object();
  if (!o) return Fail(kFields.Invalid("leader", "must be {\"name\": ..., \"position\": ...}"));
  Leader l;
  for (const auto& [key, value] : *o) {
    std::string* out = key == "name" ? &l.name : key == "position" ? &l.position : nullptr;
    if (!out) return Fail(kFields.Invalid("leader", "unknown field '" + std::string(key) + "'"));
    auto s = kFields.String(value, "leader");
    if (!s) return Fail(s.error());
    *out = std::move(*s);
  }
  return l;
}

template <class T>
using Readers = reg::FieldReaders<T>;

// Reads an object's fields with `readers`, refusing unknown keys.
template <class T>
Result<T> ReadObject(const json::value& v, const Readers<T>& readers, const std::string& what) {
  const auto* o = v.if_object();
  if (!o) return Fail(Error::Invalid("tracker.invalid_field", what + " must be a JSON object"));
  T out;
  if (auto s = reg::ReadFields(*o, readers, kFields, out); !s) return Fail(s.error());
  return out;
}

const Readers<Item>& ItemReaders() {
  static const Readers<Item> readers = {
      reg::EnumField<&Item::kind, kItemKindNames>("kind"),
      reg::StringField<&Item::code>("code"),
      reg::StringField<&Item::programme>("programme"),
      reg::StringField<&Item::parent>("parent"),
      reg::EnumField<&Item::level, kLevelNames>("level"),
      reg::StringField<&Item::title>("title"),
      reg::StringField<&Item::sector>("sector"),
      reg::StringField<&Item::lead_unit>("lead_unit"),
      reg::StringsField<&Item::cooperating_units>("cooperating_units"),
      {"leader", [](Item& i, const json::value& v) { return Assign(i.leader, ReadLeader(v)); },
       [](const Item& i) {
         return json::value(json::object{{"name", i.leader.name}, {"position", i.leader.position}});
       }},
      reg::DateField<&Item::assigned_at>("assigned_at"),
      reg::DateField<&Item::deadline>("deadline"),
      reg::EnumField<&Item::recurrence, kRecurrenceNames>("recurrence"),
      reg::StringField<&Item::expected_product>("expected_product"),
      reg::NumberField<&Item::baseline>("baseline"),
      reg::NumberField<&Item::target_value>("target_value"),
      reg::StringField<&Item::measure_unit>("measure_unit"),
      reg::StringField<&Item::indicator>("indicator"),
      reg::EnumField<&Item::state, kStateNames>("state"),
      reg::DateField<&Item::completed_at>("completed_at"),
  };
  return readers;
}

const Readers<Programme>& ProgrammeReaders() {
  static const Readers<Programme> readers = {
      {"code", [](Programme& p,
                  const json::value& v) { return Assign(p.code, kFields.String(v, "code")); }},
      {"name", [](Programme& p,
                  const json::value& v) { return Assign(p.name, kFields.String(v, "name")); }},
      reg::StringField<&Programme::legal_basis>("legal_basis"),
      reg::EnumField<&Programme::level, kLevelNames>("level"),
      {"period_from",
       [](Programme& p, const json::value& v) {
         return Assign(p.period_from, ReadRequiredDate(v, "period_from"));
       }},
      {"period_to",
       [](Programme& p, const json::value& v) {
         return Assign(p.period_to, ReadRequiredDate(v, "period_to"));
       }},
  };
  return readers;
}

Status ReadPercent(Report& r, const json::value& v) {
  if (v.is_int64() && v.get_int64() >= INT32_MIN && v.get_int64() <= INT32_MAX) {
    r.percent = static_cast<int>(v.get_int64());
    return Ok();
  }
  if (v.is_uint64() && v.get_uint64() <= INT32_MAX) {
    r.percent = static_cast<int>(v.get_uint64());
    return Ok();
  }
  return Fail(kFields.Invalid("percent", "must be a whole number from 0 to 100"));
}

const Readers<Report>& ReportReaders() {
  static const Readers<Report> readers = {
      reg::StringField<&Report::task>("task"),
      reg::StringField<&Report::month>("month"),
      {"percent", ReadPercent},
      reg::StringField<&Report::done>("done"),
      reg::StringField<&Report::difficulties>("difficulties"),
      reg::StringField<&Report::proposals>("proposals"),
  };
  return readers;
}

}  // namespace

// Counts are written as JSON field by field, under their names.
BOOST_DESCRIBE_STRUCT(Counts, (),
                      (total, completed, completed_on_time, completed_late, in_progress,
                       not_started, overdue, cancelled, completion_rate))

namespace {

json::value Rate(double r) {
  return json::value(r);
}

json::object CountsJson(const Counts& c) {
  return json::value_from(c).as_object();
}

json::object GroupJson(const Group& g) {
  return {{"key", g.key},
          {"name", g.name},
          {"targets", CountsJson(g.targets)},
          {"tasks", CountsJson(g.tasks)}};
}

json::array GroupsJson(const std::vector<Group>& groups) {
  json::array a;
  for (const auto& g : groups) a.push_back(GroupJson(g));
  return a;
}

json::array RecordsJson(const std::vector<ItemRecord>& records) {
  json::array a;
  for (const auto& r : records) a.push_back(ToJson(r));
  return a;
}

json::object RankJson(const UnitRank& r) {
  return {{"unit", r.unit},
          {"name", r.name},
          {"tasks_due", r.tasks_due},
          {"completed_on_time", r.completed_on_time},
          {"on_time_rate", Rate(r.on_time_rate)},
          {"reports_expected", r.reports_expected},
          {"reports_on_time", r.reports_on_time},
          {"reports_late", r.reports_late},
          {"reports_missing", r.reports_missing},
          {"report_rate", Rate(r.report_rate)}};
}

}  // namespace

json::object ToJson(const Programme& p) {
  return {{"code", p.code},
          {"name", p.name},
          {"legal_basis", p.legal_basis},
          {"level", kLevelNames.Name(p.level)},
          {"period_from", p.period_from.ToString()},
          {"period_to", p.period_to.ToString()}};
}

Result<Programme> ProgrammeFromJson(const json::value& v) {
  return ReadObject(v, ProgrammeReaders(), "a programme");
}

json::object ToJson(const Item& i) {
  return reg::WriteFields(ItemReaders(), i);
}

Result<Item> ItemFromJson(const json::value& v) {
  return ReadObject(v, ItemReaders(), "an item");
}

json::object ToJson(const ItemRecord& r) {
  json::object o = ToJson(r.item);
  o["version"] = r.version;
  o["effective"] = r.effective.ToString();
  o["adjusted"] = r.adjusted;
  o["status"] = kDerivedNames.Name(r.status);
  o["percent"] = r.percent ? json::value(*r.percent) : json::value(nullptr);
  if (!r.history.empty()) {
    json::array history;
    for (const auto& v : r.history) {
      json::object version = reg::VersionJson(v);
      version["approval"] = v.approval;
      version["adjusted"] = v.adjusted;
      version["changes"] = reg::ChangesJson(v.changes);
      history.push_back(std::move(version));
    }
    o["history"] = std::move(history);
  }
  return o;
}

json::object ToJson(const Report& r) {
  json::array attachments;
  for (const auto& a : r.attachments) {
    attachments.push_back(json::object{
        {"id", a.id}, {"name", a.name}, {"content_type", a.content_type}, {"size", a.size}});
  }
  return {{"task", r.task},
          {"month", r.month},
          {"percent", r.percent},
          {"done", r.done},
          {"difficulties", r.difficulties},
          {"proposals", r.proposals},
          {"submitted_at", r.submitted_at},
          {"updated_at", r.updated_at},
          {"submitted_by", r.submitted_by},
          {"attachments", std::move(attachments)}};
}

Result<Report> ReportFromJson(const json::value& v) {
  return ReadObject(v, ReportReaders(), "a report");
}

json::object ToJson(const Obligation& o) {
  return {{"task", o.task},
          {"unit", o.unit},
          {"month", o.month},
          {"due", o.due.ToString()},
          {"timeliness", kTimelinessNames.Name(o.timeliness)},
          {"report", o.report ? json::value(ToJson(*o.report)) : json::value(nullptr)}};
}

json::object ToJson(const Summary& s) {
  json::object by_level;
  for (const auto& [key, g] : s.by_level) {
    by_level[key] =
        json::object{{"targets", CountsJson(g.targets)}, {"tasks", CountsJson(g.tasks)}};
  }
  json::array ranking;
  for (const auto& r : s.ranking) ranking.push_back(RankJson(r));
  return {{"as_of", s.as_of.ToString()},
          {"by_level", std::move(by_level)},
          {"by_programme", GroupsJson(s.by_programme)},
          {"by_unit", GroupsJson(s.by_unit)},
          {"by_sector", GroupsJson(s.by_sector)},
          {"by_status", GroupsJson(s.by_status)},
          {"by_deadline_month", GroupsJson(s.by_deadline_month)},
          {"overdue", RecordsJson(s.overdue)},
          {"due_soon", RecordsJson(s.due_soon)},
          {"ranking", std::move(ranking)}};
}

namespace internal {

// --- Dates and months -----------------------------------------------------------------------

std::optional<Date> DateOfTime(std::string_view time) {
  if (time.size() < 10) return std::nullopt;
  return Date::Parse(time.substr(0, 10));
}

std::string MonthOf(Date d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d", d.year, d.month);
  return buf;
}

std::optional<Date> MonthStart(std::string_view month) {
  if (month.size() != 7 || month[4] != '-') return std::nullopt;
  return Date::Parse(std::string(month) + "-01");
}

std::string NextMonth(std::string_view month) {
  return MonthOf(AddMonths(*MonthStart(month), 1));
}

Date DueDate(std::string_view month, int due_day) {
  Date d = *MonthStart(month);
  d.day = due_day;
  return d;
}

std::string IsoWeek(Date d) {
  const Date thursday = AddDays(d, 3 - DayOfWeek(d));
  const int64_t day_of_year = DayNumber(thursday) - DayNumber({thursday.year, 1, 1});
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-W%02d", thursday.year,
                static_cast<int>(day_of_year / 7 + 1));
  return buf;
}

// --- Items ----------------------------------------------------------------------------------

Item Normalized(const Item& in) {
  Item i = in;
  for (std::string* s :
       {&i.code, &i.programme, &i.parent, &i.title, &i.sector, &i.lead_unit, &i.leader.name,
        &i.leader.position, &i.expected_product, &i.measure_unit, &i.indicator}) {
    *s = reg::CollapseText(*s);
  }
  i.cooperating_units = reg::CleanList(i.cooperating_units, i.lead_unit);
  return i;
}

bool IsAdjustment(const Item& before, const Item& after) {
  return before.deadline != after.deadline || before.title != after.title ||
         before.expected_product != after.expected_product ||
         before.target_value != after.target_value || before.lead_unit != after.lead_unit;
}

store::TrackerWrite MakeWrite(const Item& item, const Current* current, Date effective,
                              const std::string& recorded_at, const Change& change) {
  const bool adjusted = current && IsAdjustment(current->item, item);
  const json::object before = current ? ToJson(current->item) : json::object();
  const reg::NewVersion v =
      reg::MakeVersion(current ? &before : nullptr, ToJson(item), current ? current->version : 0);
  store::TrackerWrite w;
  w.item.code = item.code;
  w.item.kind = kItemKindNames.Name(item.kind);
  w.item.programme = item.programme;
  w.item.parent = item.parent;
  w.item.level = kLevelNames.Name(item.level);
  w.item.lead_unit = item.lead_unit;
  w.item.sector = item.sector;
  w.item.state = kStateNames.Name(item.state);
  if (item.deadline) w.item.deadline = item.deadline->ToString();
  w.item.search = text::Fold(item.code + " " + item.title + " " + item.sector);
  w.item.version = v.number;
  w.item.effective_date = effective.ToString();
  w.item.snapshot = v.snapshot;
  w.version.code = item.code;
  w.version.number = v.number;
  w.version.effective_date = effective.ToString();
  w.version.recorded_at = recorded_at;
  w.version.actor = change.actor;
  w.version.reason = change.reason;
  w.version.approval = change.approval;
  w.version.adjusted = adjusted;
  w.version.changes = v.changes;
  w.version.snapshot = v.snapshot;
  return w;
}

Result<Current> FromRow(const store::TrackerItemRow& row) {
  auto item = ItemFromJson(json_util::Parse(row.snapshot));
  auto effective = Date::Parse(row.effective_date);
  auto first = Date::Parse(row.first_effective);
  if (!item || !effective || !first) return Fail(kCodes.Corrupt("item '" + row.code + "'"));
  return Current{std::move(*item), row.version, *effective, row.adjusted, *first};
}

Result<Current> FromRow(const store::TrackerVersionRow& row) {
  auto item = ItemFromJson(json_util::Parse(row.snapshot));
  auto effective = Date::Parse(row.effective_date);
  auto first = Date::Parse(row.first_effective);
  if (!item || !effective || !first) {
    return Fail(kCodes.Corrupt("version " + std::to_string(row.number) + " of '" + row.code + "'"));
  }
  return Current{std::move(*item), row.number, *effective, row.adjusted_so_far, *first};
}

Result<Version> VersionFromRow(const store::TrackerVersionRow& row) {
  auto v = reg::ReadVersion(kCodes, row, &ItemFromJson);
  if (!v) return Fail(v.error());
  return Version{row.number,   v->effective, row.recorded_at,       row.actor,           row.reason,
                 row.approval, row.adjusted, std::move(v->changes), std::move(v->record)};
}

Result<Programme> FromRow(const store::TrackerProgrammeRow& row) {
  auto p = ProgrammeFromJson(json_util::Parse(row.snapshot));
  if (!p) return Fail(kCodes.Corrupt("programme '" + row.code + "'"));
  return p;
}

// --- Reports --------------------------------------------------------------------------------

std::string ReportSnapshot(const Report& r) {
  return json::serialize(
      json::object{{"done", r.done}, {"difficulties", r.difficulties}, {"proposals", r.proposals}});
}

Result<Report> FromRow(const store::TrackerReportRow& row) {
  const json::value v = json_util::Parse(row.snapshot);
  const auto* o = v.if_object();
  if (!o) return Fail(kCodes.Corrupt("report of '" + row.code + "' for " + row.month));
  Report r;
  r.task = row.code;
  r.month = row.month;
  r.percent = static_cast<int>(row.percent);
  for (auto [key, out] : {std::pair<std::string_view, std::string*>{"done", &r.done},
                          {"difficulties", &r.difficulties},
                          {"proposals", &r.proposals}}) {
    const auto* s = o->if_contains(key);
    if (s && s->is_string()) *out = std::string(s->get_string());
  }
  r.submitted_at = row.submitted_at;
  r.updated_at = row.updated_at;
  r.submitted_by = row.submitted_by;
  for (const auto& a : row.attachments) {
    r.attachments.push_back({a.id, a.name, a.content_type, a.size});
  }
  return r;
}

}  // namespace internal
}  // namespace pdh::tracker
