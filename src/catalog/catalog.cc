// The catalog service: edits checked against the rules and stored as new versions, reads of
// the current entries and their history, and the report's figures as of a date.
#include <algorithm>
#include <utility>

#include "catalog/internal.h"
#include "core/text.h"

namespace pdh::catalog {

using internal::Current;

namespace {

constexpr int64_t kMaxPage = 1000;

Error NotFound(const std::string& code) {
  return Error::NotFound("catalog.not_found", "no catalog entry with code '" + code + "'");
}

Record ToRecord(Current c) {
  Record r;
  r.entry = std::move(c.entry);
  r.version = c.version;
  r.effective = c.effective;
  return r;
}

void Count(Counts& c, const Entry& e) {
  switch (e.kind) {
    case Kind::kPlatform:
      ++c.platforms;
      c.platforms_in_use += e.status == EntryStatus::kInUse;
      return;
    case Kind::kNational:
      ++c.national;
      c.national_connected += e.status == EntryStatus::kConnected;
      return;
    case Kind::kDatabase:
      ++c.databases;
      c.databases_planned += e.status == EntryStatus::kPlanned;
      c.databases_under_construction += e.status == EntryStatus::kUnderConstruction;
      c.databases_in_use += e.status == EntryStatus::kInUse;
      c.databases_merged += e.consolidation == Consolidation::kMerged;
      c.databases_not_merged += e.consolidation == Consolidation::kNotMerged;
      c.databases_ioc_connected += e.ioc_connected;
      return;
  }
}

}  // namespace

Catalog::Catalog(store::CatalogStore& store, RegistrySource registry, const Clock& clock)
    : store_(store), registry_(std::move(registry)), clock_(clock) {}

Catalog::Catalog(store::CatalogStore& store, std::shared_ptr<const units::Registry> registry,
                 const Clock& clock)
    : Catalog(
          store, [registry = std::move(registry)] { return registry; }, clock) {}

Result<Record> Catalog::Create(const Entry& entry, const Change& change) {
  return Write(entry, change, true);
}

Result<Record> Catalog::Update(const Entry& entry, const Change& change) {
  return Write(entry, change, false);
}

Result<Record> Catalog::Write(const Entry& entry, const Change& change, bool create) {
  const Entry next = internal::Normalized(entry);
  std::optional<Current> current;
  if (!create) {
    auto row = store_.Find(next.code);
    if (!row) return Fail(row.error());
    if (!*row) return Fail(NotFound(next.code));
    auto cur = internal::FromRow(**row);
    if (!cur) return Fail(cur.error());
    if (change.expected && *change.expected != cur->version) {
      return Fail(Error::Conflict(
          "catalog.version_conflict",
          "entry '" + next.code + "' is at version " + std::to_string(cur->version) + ", not " +
              std::to_string(*change.expected) + ": reload it and edit again"));
    }
    if (cur->entry == next) return ToRecord(std::move(*cur));
    current = std::move(*cur);
  }
  const Date effective = change.effective.value_or(reg::Today(clock_));
  const auto registry = registry_();
  const internal::Edit edit{current ? &*current : nullptr, effective, change.reason, *registry,
                            [this](const std::string& code) -> std::optional<Kind> {
                              auto row = store_.Find(code);
                              if (!row || !*row) return std::nullopt;
                              return kKindNames.Parse((*row)->kind);
                            }};
  if (auto problem = internal::Check(next, edit)) return Fail(problem->error);
  auto write = internal::MakeWrite(next, edit.current, effective, FormatTime(clock_.Now()), change);
  if (auto s = store_.Write({write}); !s) return Fail(s.error());
  return ToRecord({next, write.version.number, effective});
}

Result<Record> Catalog::Get(const std::string& code) {
  auto row = store_.Find(code);
  if (!row) return Fail(row.error());
  if (!*row) return Fail(NotFound(code));
  auto cur = internal::FromRow(**row);
  if (!cur) return Fail(cur.error());
  Record record = ToRecord(std::move(*cur));
  auto versions = store_.Versions(code);
  if (!versions) return Fail(versions.error());
  auto history = reg::ReadRows(*versions, [](const auto& v) { return internal::FromRow(v); });
  if (!history) return Fail(history.error());
  record.history = std::move(*history);
  auto links = store_.LinksTo(code);
  if (!links) return Fail(links.error());
  for (const auto& l : *links) {
    const bool runs_on = l.kind == kLinkKindNames.Name(LinkKind::kRunsOn);
    record.linked_from.push_back(
        {runs_on ? LinkKind::kRunsOn : LinkKind::kExchangesWith, l.from_code});
  }
  return record;
}

Result<Page> Catalog::List(const Filter& filter) {
  if (filter.limit < 1 || filter.limit > kMaxPage) {
    return Fail(Error::Invalid("catalog.invalid",
                               "limit must be between 1 and " + std::to_string(kMaxPage)));
  }
  store::CatalogQuery q;
  if (filter.kind) q.kind = std::string(kKindNames.Name(*filter.kind));
  if (filter.status) q.status = std::string(kStatusNames.Name(*filter.status));
  q.sector = filter.sector;
  q.owner = filter.owner;
  if (filter.tag) q.tag = text::Fold(*filter.tag);
  q.words = reg::Words(filter.q);
  q.after = filter.after;
  q.limit = filter.limit + 1;  // one more tells whether a next page exists
  auto rows = store_.Query(q);
  if (!rows) return Fail(rows.error());
  Page page;
  for (const auto& row : *rows) {
    if (static_cast<int64_t>(page.items.size()) == filter.limit) {
      page.next = page.items.back().entry.code;
      break;
    }
    auto cur = internal::FromRow(row);
    if (!cur) return Fail(cur.error());
    page.items.push_back(ToRecord(std::move(*cur)));
  }
  return page;
}

Result<Summary> Catalog::SummaryAsOf(Date as_of) {
  auto rows = store_.AsOf(as_of.ToString());
  if (!rows) return Fail(rows.error());
  Summary s;
  s.as_of = as_of;
  for (const auto& row : *rows) {
    auto v = internal::FromRow(row);
    if (!v) return Fail(v.error());
    Count(s.total, v->entry);
    Count(s.by_sector[v->entry.sector], v->entry);
    Count(s.by_owner[v->entry.owner], v->entry);
  }
  return s;
}

Result<std::vector<Entry>> Catalog::EntriesAsOf(Date as_of) {
  auto rows = store_.AsOf(as_of.ToString());
  if (!rows) return Fail(rows.error());
  std::vector<Entry> out;
  out.reserve(rows->size());
  for (const auto& row : *rows) {
    auto v = internal::FromRow(row);
    if (!v) return Fail(v.error());
    out.push_back(std::move(v->entry));
  }
  std::sort(out.begin(), out.end(), [](const Entry& a, const Entry& b) { return a.code < b.code; });
  return out;
}

}  // namespace pdh::catalog
