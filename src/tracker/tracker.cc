// The Resolution 57 register: programmes; edits checked against the rules and stored as new
// versions, one at a time or as an all-or-nothing batch; items read as they stood on a date,
// with their statuses derived from deadlines, reports and the clock.
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cctype>
#include <utility>

#include "core/text.h"
#include "tracker/internal.h"

namespace pdh::tracker {

using internal::Current;
using internal::NotFound;
using internal::Staging;

namespace {

constexpr int64_t kMaxPage = 1000;
constexpr int kDefaultDueDay = 25;

bool Matches(const Item& i, const Filter& f, const std::vector<std::string>& words) {
  if (f.kind && i.kind != *f.kind) return false;
  if (f.programme && i.programme != *f.programme) return false;
  if (f.level && i.level != *f.level) return false;
  if (f.unit && i.lead_unit != *f.unit) return false;
  if (f.sector && i.sector != *f.sector) return false;
  if (words.empty()) return true;
  const std::string haystack = text::Fold(i.code + " " + i.title + " " + i.sector);
  return std::all_of(words.begin(), words.end(),
                     [&](const std::string& w) { return haystack.find(w) != std::string::npos; });
}

Programme Normalized(const Programme& in) {
  Programme p = in;
  for (std::string* s : {&p.code, &p.name, &p.legal_basis}) *s = reg::CollapseText(*s);
  return p;
}

std::optional<internal::Problem> CheckProgramme(const Programme& p) {
  using internal::MakeProblem;
  if (p.code.empty()) return MakeProblem("tracker.missing_field", "code", "required");
  if (!reg::ValidCode(p.code)) {
    return MakeProblem("tracker.invalid_field", "code",
                       "use up to 64 letters, digits, '.', '-' or '_' (e.g. NQ57)");
  }
  if (p.name.empty()) return MakeProblem("tracker.missing_field", "name", "required");
  if (p.period_to < p.period_from) {
    return MakeProblem("tracker.invalid_field", "period_to",
                       "must not be before period_from (" + p.period_from.ToString() + ")");
  }
  return std::nullopt;
}

}  // namespace

// --- Staging --------------------------------------------------------------------------------

namespace internal {

Error NotFound(const std::string& code) {
  return Error::NotFound("tracker.not_found", "no target or task with code '" + code + "'");
}

Staging::Staging(store::TrackerStore& store, std::shared_ptr<const units::Registry> registry,
                 Date today, std::string recorded_at)
    : store_(store),
      registry_(std::move(registry)),
      today_(today),
      recorded_at_(std::move(recorded_at)) {}

Status Staging::Preload() {
  auto rows = store_.All();
  if (!rows) return Fail(rows.error());
  for (const auto& row : *rows) {
    auto cur = FromRow(row);
    if (!cur) return Fail(cur.error());
    items_[row.code] = std::move(*cur);
  }
  preloaded_ = true;
  return Ok();
}

Result<std::optional<Current>> Staging::Find(const std::string& code) {
  if (auto it = items_.find(code); it != items_.end()) return it->second;
  if (preloaded_) return std::optional<Current>();
  auto row = store_.Find(code);
  if (!row) return Fail(row.error());
  std::optional<Current> found;
  if (*row) {
    auto cur = FromRow(**row);
    if (!cur) return Fail(cur.error());
    found = std::move(*cur);
  }
  items_[code] = found;
  return found;
}

Result<bool> Staging::ProgrammeExists(const std::string& code) {
  if (!programmes_) {
    auto rows = store_.Programmes();
    if (!rows) return Fail(rows.error());
    programmes_.emplace();
    for (const auto& r : *rows) programmes_->insert(r.code);
  }
  return programmes_->count(code) > 0;
}

Result<Staging::Outcome> Staging::Stage(const Item& item, const Change& change, Mode mode) {
  Outcome out;
  const Item next = Normalized(item);
  auto found = Find(next.code);
  if (!found) return Fail(found.error());
  const std::optional<Current> current = std::move(*found);
  if (current) out.current = *current;
  if (mode == Mode::kCreate && current) {
    out.problem = Problem{Error::Conflict("tracker.duplicate_code",
                                          "code: an item with code '" + next.code +
                                              "' already exists: choose another code or update it"),
                          "code"};
    return out;
  }
  if (mode == Mode::kUpdate && !current) {
    out.problem = Problem{NotFound(next.code), "code"};
    return out;
  }
  if (current && change.expected && *change.expected != current->version) {
    out.problem =
        Problem{Error::Conflict(
                    "tracker.version_conflict",
                    "item '" + next.code + "' is at version " + std::to_string(current->version) +
                        ", not " + std::to_string(*change.expected) + ": reload it and edit again"),
                "version"};
    return out;
  }
  if (current && current->item == next) return out;

  const Date effective = change.effective.value_or(today_);
  std::optional<Error> read_error;
  const Context context{*registry_,
                        [&](const std::string& code) {
                          auto exists = ProgrammeExists(code);
                          if (!exists) read_error = exists.error();
                          return exists && *exists;
                        },
                        [&](const std::string& code) -> std::optional<std::string> {
                          auto found_item = Find(code);
                          if (!found_item) read_error = found_item.error();
                          if (!found_item || !*found_item) return std::nullopt;
                          return (*found_item)->item.parent;
                        }};
  auto problem = Check(next, {current ? &*current : nullptr, effective, change}, context);
  if (read_error) return Fail(*read_error);
  if (problem) {
    out.problem = std::move(problem);
    return out;
  }
  store::TrackerWrite write =
      MakeWrite(next, current ? &*current : nullptr, effective, recorded_at_, change);
  out.kind = current ? Outcome::Kind::kUpdated : Outcome::Kind::kCreated;
  out.current = Current{next, write.version.number, effective,
                        (current && current->adjusted) || write.version.adjusted,
                        current ? current->first_effective : effective};
  items_[next.code] = out.current;
  writes_.push_back(std::move(write));
  return out;
}

// --- Statuses -------------------------------------------------------------------------------

Derived Derive(const Item& item, Date as_of, std::optional<int> percent) {
  if (item.state == State::kCancelled) return Derived::kCancelled;
  if (item.state == State::kCompleted && item.completed_at && *item.completed_at <= as_of) {
    return item.deadline && *item.deadline < *item.completed_at ? Derived::kCompletedLate
                                                                : Derived::kCompletedOnTime;
  }
  if (item.deadline && *item.deadline < as_of) return Derived::kOverdue;
  if (item.state != State::kNotStarted || percent.value_or(0) > 0) return Derived::kInProgress;
  return Derived::kNotStarted;
}

ItemRecord MakeRecord(const Current& c, Date as_of, std::optional<int> percent) {
  ItemRecord r;
  r.item = c.item;
  r.version = c.version;
  r.effective = c.effective;
  r.adjusted = c.adjusted;
  r.status = Derive(c.item, as_of, percent);
  r.percent = percent;
  return r;
}

Result<std::vector<Current>> ItemsAsOf(store::TrackerStore& store, Date as_of) {
  auto rows = store.AsOf(as_of.ToString());
  if (!rows) return Fail(rows.error());
  return reg::ReadRows(*rows, [](const store::TrackerVersionRow& row) { return FromRow(row); });
}

int DueDay(store::SettingsStore& settings) {
  auto value = settings.GetSetting("tracker.report_due_day");
  if (!value || !*value) return kDefaultDueDay;
  const std::string& s = **value;
  if (s.empty() || s.size() > 2 ||
      !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return kDefaultDueDay;
  }
  const int day = std::stoi(s);
  return day >= 1 && day <= 28 ? day : kDefaultDueDay;
}

}  // namespace internal

// --- The service ----------------------------------------------------------------------------

Tracker::Tracker(store::TrackerStore& store, store::SettingsStore& settings,
                 RegistrySource registry, const Clock& clock)
    : impl_(std::make_shared<Impl>(Impl{store, settings, std::move(registry), clock})) {}

Result<Programme> Tracker::AddProgramme(const Programme& programme, const std::string& actor) {
  (void)actor;  // programmes carry no history; the caller's audit log records who added one
  const Programme p = Normalized(programme);
  if (auto problem = CheckProgramme(p)) return Fail(problem->error);
  if (auto s = impl_->store.AddProgramme({p.code, boost::json::serialize(ToJson(p))}); !s) {
    return Fail(s.error());
  }
  return p;
}

Result<std::vector<Programme>> Tracker::Programmes() {
  auto rows = impl_->store.Programmes();
  if (!rows) return Fail(rows.error());
  std::vector<Programme> out;
  for (const auto& row : *rows) {
    auto p = internal::FromRow(row);
    if (!p) return Fail(p.error());
    out.push_back(std::move(*p));
  }
  return out;
}

namespace {

// One edit through a staging of its own, written when it passes.
Result<ItemRecord> WriteOne(store::TrackerStore& store, const Tracker::RegistrySource& registry,
                            const Clock& clock, const Item& item, const Change& change,
                            Staging::Mode mode) {
  const Date today = internal::Today(clock);
  Staging staging(store, registry(), today, FormatTime(clock.Now()));
  auto out = staging.Stage(item, change, mode);
  if (!out) return Fail(out.error());
  if (out->problem) return Fail(out->problem->error);
  if (!staging.writes().empty()) {
    if (auto s = store.Write(staging.writes()); !s) return Fail(s.error());
  }
  auto reports = internal::LoadReports(store, {.code = out->current.item.code}, today);
  if (!reports) return Fail(reports.error());
  return internal::MakeRecord(out->current, today,
                              internal::LatestPercent(*reports, out->current.item.code));
}

}  // namespace

Result<ItemRecord> Tracker::Create(const Item& item, const Change& change) {
  return WriteOne(impl_->store, impl_->registry, impl_->clock, item, change,
                  Staging::Mode::kCreate);
}

Result<ItemRecord> Tracker::Update(const Item& item, const Change& change) {
  return WriteOne(impl_->store, impl_->registry, impl_->clock, item, change,
                  Staging::Mode::kUpdate);
}

Result<Tracker::BatchResult> Tracker::ApplyBatch(const std::vector<BatchEdit>& edits,
                                                 bool dry_run) {
  Staging staging(impl_->store, impl_->registry(), internal::Today(impl_->clock),
                  FormatTime(impl_->clock.Now()));
  if (auto s = staging.Preload(); !s) return Fail(s.error());
  BatchResult result;
  result.errors.resize(edits.size());
  bool failed = false;
  for (size_t i = 0; i < edits.size(); ++i) {
    auto out = staging.Stage(edits[i].item, edits[i].change, Staging::Mode::kUpsert);
    if (!out) return Fail(out.error());
    if (out->problem) {
      result.errors[i] = out->problem->error;
      failed = true;
      continue;
    }
    switch (out->kind) {
      case Staging::Outcome::Kind::kCreated:
        ++result.created;
        break;
      case Staging::Outcome::Kind::kUpdated:
        ++result.updated;
        break;
      case Staging::Outcome::Kind::kUnchanged:
        ++result.unchanged;
        break;
    }
  }
  if (failed || dry_run || staging.writes().empty()) return result;
  if (auto s = impl_->store.Write(staging.writes()); !s) return Fail(s.error());
  result.written = true;
  return result;
}

Result<ItemRecord> Tracker::Get(const std::string& code, Date as_of) {
  auto rows = impl_->store.Versions(code);
  if (!rows) return Fail(rows.error());
  // The version in force on `as_of`; the first one when the item was recorded later.
  const store::TrackerVersionRow* in_force = reg::InForce(*rows, as_of);
  if (!in_force) return Fail(NotFound(code));
  auto cur = internal::FromRow(*in_force);
  if (!cur) return Fail(cur.error());
  auto reports = internal::LoadReports(impl_->store, {.code = code}, as_of);
  if (!reports) return Fail(reports.error());
  ItemRecord record = internal::MakeRecord(*cur, as_of, internal::LatestPercent(*reports, code));
  auto history = reg::ReadRows(*rows, internal::VersionFromRow);
  if (!history) return Fail(history.error());
  record.history = std::move(*history);
  return record;
}

Result<Page> Tracker::List(const Filter& filter, Date as_of) {
  if (filter.limit < 1 || filter.limit > kMaxPage) {
    return Fail(Error::Invalid("tracker.invalid_field",
                               "limit: must be between 1 and " + std::to_string(kMaxPage)));
  }
  auto items = internal::ItemsAsOf(impl_->store, as_of);
  if (!items) return Fail(items.error());
  auto reports = internal::LoadReports(impl_->store, {}, as_of);
  if (!reports) return Fail(reports.error());
  const auto words = reg::Words(filter.q);
  Page page;
  for (const auto& c : *items) {  // by code
    if (!filter.after.empty() && c.item.code <= filter.after) continue;
    if (!Matches(c.item, filter, words)) continue;
    ItemRecord r = internal::MakeRecord(c, as_of, internal::LatestPercent(*reports, c.item.code));
    if (filter.status && r.status != *filter.status) continue;
    if (static_cast<int64_t>(page.items.size()) == filter.limit) {
      page.next = page.items.back().item.code;
      break;
    }
    page.items.push_back(std::move(r));
  }
  return page;
}

Result<std::vector<ItemRecord>> Tracker::Children(const std::string& code, Date as_of) {
  auto row = impl_->store.Find(code);
  if (!row) return Fail(row.error());
  if (!*row) return Fail(NotFound(code));
  auto items = internal::ItemsAsOf(impl_->store, as_of);
  if (!items) return Fail(items.error());
  auto reports = internal::LoadReports(impl_->store, {}, as_of);
  if (!reports) return Fail(reports.error());
  std::vector<ItemRecord> out;
  for (const auto& c : *items) {
    if (c.item.parent != code) continue;
    out.push_back(internal::MakeRecord(c, as_of, internal::LatestPercent(*reports, c.item.code)));
  }
  return out;
}

int Tracker::due_day() {
  return internal::DueDay(impl_->settings);
}

}  // namespace pdh::tracker
