// The SQLite catalog repository (tables of migration 3): entries with their current state,
// every version, and links. Writes go through the writer (group commit), reads through the pool.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/catalog.h"
#include "store/sql/connections.h"
#include "store/sql/db.h"
#include "store/sql/versioned.h"

namespace pdh::store::sql {
namespace {

constexpr std::string_view kEntryColumns =
    "code, kind, status, sector, owner, search, tags, version, effective_date, snapshot";

CatalogEntryRow ReadEntry(const Statement& st) {
  return {st.Text(0), st.Text(1), st.Text(2), st.Text(3), st.Text(4),
          st.Text(5), st.Text(6), st.Int(7),  st.Text(8), st.Text(9)};
}

constexpr std::string_view kVersionSelect =
    "SELECT e.code, v.number, v.effective_date, v.recorded_at, v.actor, v.reason, v.snapshot, "
    "v.changes FROM catalog_version v JOIN catalog_entry e ON e.id = v.entry_id ";
constexpr VersionTable kVersions{kVersionSelect, "e.code", "catalog_version", "entry_id"};

CatalogVersionRow ReadVersion(const Statement& st) {
  return {st.Text(0), st.Int(1),  st.Text(2), st.Text(3),
          st.Text(4), st.Text(5), st.Text(6), st.Text(7)};
}

// `value` matched literally inside a LIKE pattern (escape character '\').
std::string LikeLiteral(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

Error NotFound(const std::string& code) {
  return Error::NotFound("catalog.not_found", "no catalog entry with code '" + code + "'");
}

constexpr RecordTable kEntries{"catalog_entry", kEntryColumns,     "catalog",
                               "entry",         "a catalog entry", NotFound};

void BindEntry(Statement& st, const CatalogEntryRow& e) {
  st.Bind(1, e.code).Bind(2, e.kind).Bind(3, e.status).Bind(4, e.sector).Bind(5, e.owner);
  st.Bind(6, e.search).Bind(7, e.tags).Bind(8, e.version).Bind(9, e.effective_date);
  st.Bind(10, e.snapshot);
}

Result<int64_t> InsertEntry(Db& db, const CatalogEntryRow& e) {
  return InsertRecord(db, kEntries, e.code, [&](Statement& st) { BindEntry(st, e); });
}

Status UpdateEntry(Db& db, int64_t id, const CatalogEntryRow& e) {
  return UpdateRecord(db, kEntries, id, [&](Statement& st) { BindEntry(st, e); });
}

Status InsertVersion(Db& db, int64_t id, const CatalogVersionRow& v) {
  return InsertVersionRow(db, kVersions,
                          "number, effective_date, recorded_at, actor, reason, snapshot, changes",
                          id, [&](Statement& st) {
                            st.Bind(2, v.number).Bind(3, v.effective_date);
                            st.Bind(4, v.recorded_at).Bind(5, v.actor).Bind(6, v.reason);
                            st.Bind(7, v.snapshot).Bind(8, v.changes);
                          });
}

Status ReplaceLinks(Db& db, int64_t id, const std::vector<CatalogLinkRow>& links) {
  auto del = db.Prepare("DELETE FROM catalog_link WHERE from_id = ?1");
  if (!del) return Fail(del.error());
  del->Bind(1, id);
  if (auto r = del->Run(); !r) return r;
  // A missing target selects no row, so nothing is inserted.
  auto ins = db.Prepare(
      "INSERT INTO catalog_link (from_id, kind, to_id) "
      "SELECT ?1, ?2, id FROM catalog_entry WHERE code = ?3");
  if (!ins) return Fail(ins.error());
  for (const auto& l : links) {
    ins->Bind(1, id).Bind(2, l.kind).Bind(3, l.to_code);
    if (auto r = ins->Run(); !r) return r;
    if (db.Changes() == 0) {
      return Fail(Error::Invalid(
          "catalog.invalid_link",
          "'" + l.from_code + "' links to '" + l.to_code + "', which is not in the catalog"));
    }
  }
  return Ok();
}

class SqliteCatalogStore final : public Area<CatalogStore> {
 public:
  using Area::Area;

  Status Write(const std::vector<CatalogWrite>& writes) override {
    return writer_.Submit([&](Db& db) -> Status {
      std::vector<int64_t> ids;
      ids.reserve(writes.size());
      for (const auto& w : writes) {
        auto id = WriteOne(db, w);
        if (!id) return Fail(id.error());
        ids.push_back(*id);
      }
      // Links last, so they may point at entries added by the same call.
      for (size_t i = 0; i < writes.size(); ++i) {
        if (auto s = ReplaceLinks(db, ids[i], writes[i].links); !s) return s;
      }
      return Ok();
    });
  }

  Result<std::optional<CatalogEntryRow>> Find(const std::string& code) override {
    Sql sql{"SELECT " + std::string(kEntryColumns) + " FROM catalog_entry", {}};
    sql.Where("code = ?", code);
    return ReadFirst<CatalogEntryRow>(readers_, sql, ReadEntry);
  }

  Result<std::vector<CatalogEntryRow>> Query(const CatalogQuery& q) override {
    Sql sql{"SELECT " + std::string(kEntryColumns) + " FROM catalog_entry", {}};
    if (q.kind) sql.Where("kind = ?", *q.kind);
    if (q.status) sql.Where("status = ?", *q.status);
    if (q.sector) sql.Where("sector = ?", *q.sector);
    if (q.owner) sql.Where("owner = ?", *q.owner);
    if (q.tag) sql.Where("tags LIKE ? ESCAPE '\\'", "%|" + LikeLiteral(*q.tag) + "|%");
    for (const auto& w : q.words) {
      sql.Where("search LIKE ? ESCAPE '\\'", "%" + LikeLiteral(w) + "%");
    }
    if (!q.after.empty()) sql.Where("code > ?", q.after);
    sql.text += " ORDER BY code LIMIT " + std::to_string(q.limit);
    return ReadAll<CatalogEntryRow>(readers_, sql, ReadEntry);
  }

  Result<std::vector<CatalogEntryRow>> All() override {
    Sql sql{"SELECT " + std::string(kEntryColumns) +
                " FROM catalog_entry ORDER BY CASE kind WHEN 'platform' THEN 0 "
                "WHEN 'national' THEN 1 ELSE 2 END, code",
            {}};
    return ReadAll<CatalogEntryRow>(readers_, sql, ReadEntry);
  }

  Result<std::vector<CatalogVersionRow>> Versions(const std::string& code) override {
    return ReadAll<CatalogVersionRow>(readers_, VersionsOf(kVersions, code), ReadVersion);
  }

  Result<std::vector<CatalogVersionRow>> AsOf(const std::string& as_of) override {
    return ReadAll<CatalogVersionRow>(readers_, VersionsAsOf(kVersions, as_of), ReadVersion);
  }

  Result<std::vector<CatalogLinkRow>> LinksTo(const std::string& code) override {
    Sql sql{
        "SELECT f.code, l.kind, t.code FROM catalog_link l JOIN catalog_entry f ON f.id = "
        "l.from_id JOIN catalog_entry t ON t.id = l.to_id",
        {}};
    sql.Where("t.code = ?", code);
    sql.text += " ORDER BY f.code, l.kind";
    return ReadAll<CatalogLinkRow>(readers_, sql, [](const Statement& st) {
      return CatalogLinkRow{st.Text(0), st.Text(1), st.Text(2)};
    });
  }

 private:
  static Result<int64_t> WriteOne(Db& db, const CatalogWrite& w) {
    return WriteVersion(
        db, kEntries, w.entry.code, w.version.number, [&] { return InsertEntry(db, w.entry); },
        [&](int64_t id) { return UpdateEntry(db, id, w.entry); },
        [&](int64_t id) { return InsertVersion(db, id, w.version); });
  }
};

}  // namespace

std::unique_ptr<CatalogStore> MakeCatalogStore(Writer& writer, ReadPool& readers) {
  return std::make_unique<SqliteCatalogStore>(writer, readers);
}

}  // namespace pdh::store::sql
