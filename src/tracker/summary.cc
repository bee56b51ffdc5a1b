// The figures leaders steer by, as of a date — counts and completion rates by level, programme,
// unit, sector, status and deadline month, the overdue and due-soon lists, the units' ranking —
// and the reminders owed to lead units.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <tuple>
#include <utility>

#include "tracker/internal.h"

namespace pdh::tracker {

using internal::Current;

namespace {

constexpr int64_t kDueSoonDays = 30;
constexpr int64_t kReminderDays = 7;
constexpr std::array<Derived, 6> kAllStatuses = {Derived::kNotStarted,    Derived::kInProgress,
                                                 Derived::kOverdue,       Derived::kCompletedOnTime,
                                                 Derived::kCompletedLate, Derived::kCancelled};

// part / whole * 100, rounded to two decimals; 0 when there is no whole.
double Rate(int64_t part, int64_t whole) {
  if (whole == 0) return 0;
  return std::round(static_cast<double>(part) * 10000.0 / static_cast<double>(whole)) / 100.0;
}

void Add(Counts& c, Derived status) {
  if (status == Derived::kCancelled) {
    ++c.cancelled;
    return;
  }
  ++c.total;
  switch (status) {
    case Derived::kCompletedOnTime:
      ++c.completed;
      ++c.completed_on_time;
      break;
    case Derived::kCompletedLate:
      ++c.completed;
      ++c.completed_late;
      break;
    case Derived::kInProgress:
      ++c.in_progress;
      break;
    case Derived::kNotStarted:
      ++c.not_started;
      break;
    case Derived::kOverdue:
      ++c.overdue;
      break;
    case Derived::kCancelled:
      break;
  }
}

void Add(Group& g, const ItemRecord& r) {
  Add(r.item.kind == ItemKind::kTarget ? g.targets : g.tasks, r.status);
}

void Finish(Counts& c) {
  c.completion_rate = Rate(c.completed, c.total);
}

void Finish(Group& g) {
  Finish(g.targets);
  Finish(g.tasks);
}

std::vector<Group> Values(std::map<std::string, Group>& groups) {
  std::vector<Group> out;
  out.reserve(groups.size());
  for (auto& [key, g] : groups) {
    Finish(g);
    out.push_back(std::move(g));
  }
  return out;
}

// The group with `key`, made with `name` the first time.
Group& GroupFor(std::map<std::string, Group>& groups, const std::string& key,
                const std::string& name = "") {
  auto [it, added] = groups.try_emplace(key);
  if (added) {
    it->second.key = key;
    it->second.name = name;
  }
  return it->second;
}

std::string UnitName(const units::Registry& registry, const std::string& code, Date as_of) {
  if (const units::Unit* u = registry.Find(code, as_of)) return u->name;
  const auto eras = registry.FindAllEras(code);
  return eras.empty() ? "" : eras.front()->name;
}

bool ByDeadline(const ItemRecord& a, const ItemRecord& b) {
  return std::tie(a.item.deadline, a.item.code) < std::tie(b.item.deadline, b.item.code);
}

// "31/10/2025", as Vietnamese documents write dates.
std::string VnDate(Date d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02d/%02d/%04d", d.day, d.month, d.year);
  return buf;
}

std::string VnMonth(const std::string& month) {
  return month.substr(5, 2) + "/" + month.substr(0, 4);
}

std::string Noun(const Item& i) {
  return i.kind == ItemKind::kTarget ? "Chỉ tiêu" : "Nhiệm vụ";
}

notify::Message DueSoon(const Item& i, Date as_of) {
  const int64_t days = DayNumber(*i.deadline) - DayNumber(as_of);
  notify::Message m;
  m.kind = "due_soon";
  m.key = "due_soon:" + i.code + ":" + i.deadline->ToString();
  m.unit = i.lead_unit;
  m.subject = Noun(i) + " " + i.code + " sắp đến hạn (" + VnDate(*i.deadline) + ")";
  m.body = Noun(i) + " " + i.code + " – " + i.title + " – đến hạn ngày " + VnDate(*i.deadline) +
           (days == 0 ? " (hôm nay)" : " (còn " + std::to_string(days) + " ngày)") + ".";
  if (!i.expected_product.empty()) m.body += "\nSản phẩm: " + i.expected_product + ".";
  m.data = {{"task", i.code},
            {"title", i.title},
            {"deadline", i.deadline->ToString()},
            {"days_left", days}};
  return m;
}

notify::Message Overdue(const Item& i, Date as_of) {
  const int64_t days = DayNumber(as_of) - DayNumber(*i.deadline);
  notify::Message m;
  m.kind = "overdue";
  m.key = "overdue:" + i.code + ":" + internal::IsoWeek(as_of);
  m.unit = i.lead_unit;
  m.subject = Noun(i) + " " + i.code + " đã quá hạn (" + VnDate(*i.deadline) + ")";
  m.body = Noun(i) + " " + i.code + " – " + i.title + " – đã quá hạn " + std::to_string(days) +
           " ngày (hạn " + VnDate(*i.deadline) + ").";
  m.data = {{"task", i.code},
            {"title", i.title},
            {"deadline", i.deadline->ToString()},
            {"days_overdue", days}};
  return m;
}

notify::Message ReportMissing(const Item& i, const Obligation& o) {
  notify::Message m;
  m.kind = "report_missing";
  m.key = "report_missing:" + i.code + ":" + o.month;
  m.unit = o.unit;
  m.subject = "Chưa gửi báo cáo tiến độ tháng " + VnMonth(o.month) + ": " + i.code;
  m.body = "Báo cáo tiến độ tháng " + VnMonth(o.month) + " của nhiệm vụ " + i.code + " – " +
           i.title + " – chưa được gửi (hạn ngày " + VnDate(o.due) + ").";
  m.data = {{"task", i.code}, {"title", i.title}, {"month", o.month}, {"due", o.due.ToString()}};
  return m;
}

// What the figures and the reminders start from: the register on a date and its reports.
struct Snapshot {
  std::vector<Current> items;
  internal::ReportIndex reports;
  int due_day = 25;
};

Result<Snapshot> Load(store::TrackerStore& store, store::SettingsStore& settings, Date as_of) {
  Snapshot s;
  auto items = internal::ItemsAsOf(store, as_of);
  if (!items) return Fail(items.error());
  s.items = std::move(*items);
  auto reports = internal::LoadReports(store, {}, as_of);
  if (!reports) return Fail(reports.error());
  s.reports = std::move(*reports);
  s.due_day = internal::DueDay(settings);
  return s;
}

Result<std::vector<Obligation>> Owed(store::TrackerStore& store, const Current& c,
                                     const Snapshot& s, Date as_of) {
  auto closed = internal::ClosedOn(store, c);
  if (!closed) return Fail(closed.error());
  return internal::ObligationsOf(c, *closed, s.reports, as_of, s.due_day, "");
}

}  // namespace

Result<Summary> Tracker::SummaryAsOf(Date as_of) {
  auto snapshot = Load(impl_->store, impl_->settings, as_of);
  if (!snapshot) return Fail(snapshot.error());
  auto programmes = Programmes();
  if (!programmes) return Fail(programmes.error());
  const auto registry = impl_->registry();

  Summary s;
  s.as_of = as_of;
  std::map<std::string, Group> by_programme, by_unit, by_sector, by_status, by_month;
  for (Level l : {Level::kCentral, Level::kProvince, Level::kUnit}) {
    GroupFor(s.by_level, std::string(kLevelNames.Name(l)));
  }
  for (const auto& p : *programmes) GroupFor(by_programme, p.code, p.name);
  std::map<std::string, UnitRank> ranks;
  const Date soon = AddDays(as_of, kDueSoonDays);

  for (const auto& c : snapshot->items) {
    const ItemRecord r =
        internal::MakeRecord(c, as_of, internal::LatestPercent(snapshot->reports, c.item.code));
    const Item& i = r.item;
    Add(GroupFor(s.by_level, std::string(kLevelNames.Name(i.level))), r);
    Add(GroupFor(by_programme, i.programme), r);
    Add(GroupFor(by_unit, i.lead_unit, UnitName(*registry, i.lead_unit, as_of)), r);
    Add(GroupFor(by_sector, i.sector, i.sector), r);
    Add(GroupFor(by_status, std::string(kDerivedNames.Name(r.status))), r);
    if (i.deadline) Add(GroupFor(by_month, internal::MonthOf(*i.deadline)), r);
    if (r.status == Derived::kOverdue) s.overdue.push_back(r);
    const bool open = r.status == Derived::kNotStarted || r.status == Derived::kInProgress;
    if (open && i.deadline && *i.deadline >= as_of && *i.deadline <= soon) s.due_soon.push_back(r);

    if (i.kind != ItemKind::kTask || r.status == Derived::kCancelled) continue;
    UnitRank& rank = ranks[i.lead_unit];
    if (i.deadline && *i.deadline <= as_of) {
      ++rank.tasks_due;
      rank.completed_on_time += r.status == Derived::kCompletedOnTime;
    }
    auto owed = Owed(impl_->store, c, *snapshot, as_of);
    if (!owed) return Fail(owed.error());
    for (const auto& o : *owed) {
      if (!(o.due < as_of)) continue;  // its due day has not passed
      ++rank.reports_expected;
      rank.reports_on_time += o.timeliness == Timeliness::kOnTime;
      rank.reports_late += o.timeliness == Timeliness::kLate;
      rank.reports_missing += o.timeliness == Timeliness::kMissing;
    }
  }
  // Every status is listed, in the order of Derived, even when nothing has it.
  for (Derived d : kAllStatuses) {
    auto it = by_status.find(std::string(kDerivedNames.Name(d)));
    Group g = it != by_status.end() ? std::move(it->second) : Group{};
    g.key = kDerivedNames.Name(d);
    Finish(g);
    s.by_status.push_back(std::move(g));
  }
  for (auto& [key, g] : s.by_level) Finish(g);
  s.by_programme = Values(by_programme);
  s.by_unit = Values(by_unit);
  s.by_sector = Values(by_sector);
  s.by_deadline_month = Values(by_month);
  std::sort(s.overdue.begin(), s.overdue.end(), ByDeadline);
  std::sort(s.due_soon.begin(), s.due_soon.end(), ByDeadline);
  for (auto& [unit, rank] : ranks) {
    rank.unit = unit;
    rank.name = UnitName(*registry, unit, as_of);
    rank.on_time_rate = Rate(rank.completed_on_time, rank.tasks_due);
    rank.report_rate = Rate(rank.reports_on_time, rank.reports_expected);
    s.ranking.push_back(std::move(rank));
  }
  std::stable_sort(s.ranking.begin(), s.ranking.end(), [](const UnitRank& a, const UnitRank& b) {
    return std::tie(b.on_time_rate, b.report_rate) < std::tie(a.on_time_rate, a.report_rate);
  });
  return s;
}

Result<std::vector<notify::Message>> Tracker::Reminders(Date as_of) {
  auto snapshot = Load(impl_->store, impl_->settings, as_of);
  if (!snapshot) return Fail(snapshot.error());
  const Date soon = AddDays(as_of, kReminderDays);
  std::vector<notify::Message> out;
  for (const auto& c : snapshot->items) {
    const Item& i = c.item;
    const Derived status =
        internal::Derive(i, as_of, internal::LatestPercent(snapshot->reports, i.code));
    const bool open = status == Derived::kNotStarted || status == Derived::kInProgress;
    if (open && i.deadline && *i.deadline >= as_of && *i.deadline <= soon) {
      out.push_back(DueSoon(i, as_of));
    }
    if (status == Derived::kOverdue) out.push_back(Overdue(i, as_of));
    auto owed = Owed(impl_->store, c, *snapshot, as_of);
    if (!owed) return Fail(owed.error());
    for (const auto& o : *owed) {
      if (o.timeliness == Timeliness::kMissing) out.push_back(ReportMissing(i, o));
    }
  }
  return out;
}

}  // namespace pdh::tracker
