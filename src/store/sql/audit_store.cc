// The audit tables in SQLite: entries appended through the writer (so each new entry is chained
// to the last one under the writer's lock), checkpoints, and the recorded public key.
#include <algorithm>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/audit.h"
#include "store/sql/connections.h"
#include "store/sql/db.h"

namespace pdh::store::sql {
namespace {

constexpr std::string_view kPublicKeySetting = "audit_public_key";

constexpr std::string_view kAuditColumns =
    "seq, at, actor, action, target, remote, request_id, detail, prev_hash, hash";

AuditEntryRow ReadAuditEntry(const Statement& st) {
  return {st.Int(0),  st.Text(1), st.Text(2), st.Text(3), st.Text(4),
          st.Text(5), st.Text(6), st.Text(7), st.Text(8), st.Text(9)};
}

using Binder = std::function<void(Statement&)>;
using RowFn = std::function<Status(const Statement&)>;

// Steps a bound statement, handing each row to `row`; stops at the first error.
Status StepRows(Statement& st, const RowFn& row) {
  for (;;) {
    auto r = st.Step();
    if (!r) return Fail(r.error());
    if (!*r) return Ok();
    if (auto s = row(st); !s) return s;
  }
}

// Runs `sql` on `db` with parameters bound by `bind`.
Status RunOn(Db& db, std::string_view sql, const Binder& bind, const RowFn& row) {
  auto st = db.Prepare(sql);
  if (!st) return Fail(st.error());
  bind(*st);
  return StepRows(*st, row);
}

// The same on a pooled read connection (one snapshot for the whole statement).
Status ReadEach(ReadPool& pool, std::string_view sql, const Binder& bind, const RowFn& row) {
  auto lease = pool.Acquire();
  if (!lease) return Fail(lease.error());
  return RunOn(lease->db(), sql, bind, row);
}

const Binder kNoParams = [](Statement&) {};

RowFn CollectEntries(std::vector<AuditEntryRow>& out) {
  return [&out](const Statement& st) -> Status {
    out.push_back(ReadAuditEntry(st));
    return Ok();
  };
}

std::string LastEntrySql() {
  return "SELECT " + std::string(kAuditColumns) + " FROM audit_entry ORDER BY seq DESC LIMIT 1";
}

std::optional<AuditEntryRow> Single(std::vector<AuditEntryRow> rows) {
  if (rows.empty()) return std::nullopt;
  return std::move(rows.front());
}

// A query's SQL with its parameters, numbered ?1, ?2, ... in the order they are added.
struct QuerySql {
  std::string sql;
  std::vector<std::function<void(Statement&, int)>> params;
  bool filtered = false;

  std::string Param(std::function<void(Statement&, int)> bind) {
    params.push_back(std::move(bind));
    return "?" + std::to_string(params.size());
  }
  static std::function<void(Statement&, int)> Text(std::string v) {
    return [v = std::move(v)](Statement& st, int i) { st.Bind(i, std::string_view(v)); };
  }
  static std::function<void(Statement&, int)> Int(int64_t v) {
    return [v](Statement& st, int i) { st.Bind(i, v); };
  }
  void Where(const std::string& cond, std::function<void(Statement&, int)> bind) {
    sql += (filtered ? " AND " : " WHERE ") + cond + Param(std::move(bind));
    filtered = true;
  }
  void WhereText(const std::string& cond, const std::optional<std::string>& v) {
    if (v) Where(cond, Text(*v));
  }
  void Bind(Statement& st) const {
    for (size_t i = 0; i < params.size(); ++i) params[i](st, static_cast<int>(i + 1));
  }
};

QuerySql BuildQuery(const AuditQuery& q) {
  QuerySql b{"SELECT " + std::string(kAuditColumns) + " FROM audit_entry", {}};
  b.WhereText("actor = ", q.actor);
  b.WhereText("action = ", q.action);
  b.WhereText("at >= ", q.from);
  b.WhereText("at < ", q.to);
  if (q.after_seq > 0) b.Where("seq > ", QuerySql::Int(q.after_seq));
  if (q.before_seq > 0) b.Where("seq < ", QuerySql::Int(q.before_seq));
  b.sql += q.newest_first ? " ORDER BY seq DESC" : " ORDER BY seq";
  b.sql += " LIMIT " + b.Param(QuerySql::Int(std::max<int64_t>(q.limit, 0)));
  return b;
}

Status InsertAuditEntry(Db& db, const AuditEntryRow& e) {
  auto st = db.Prepare("INSERT INTO audit_entry (" + std::string(kAuditColumns) +
                       ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
  if (!st) return Fail(st.error());
  st->Bind(1, e.seq).Bind(2, e.at).Bind(3, e.actor).Bind(4, e.action).Bind(5, e.target);
  st->Bind(6, e.remote).Bind(7, e.request_id).Bind(8, e.detail).Bind(9, e.prev_hash);
  st->Bind(10, e.hash);
  return st->Run();
}

class SqliteAuditStore final : public Area<AuditStore> {
 public:
  using Area::Area;

  Result<AuditEntryRow> Append(
      const std::function<AuditEntryRow(const std::optional<AuditEntryRow>& last)>& make) override {
    AuditEntryRow row;
    auto s = writer_.Submit([&](Db& db) { return AppendAuditEntry(db, make, row); }, false);
    if (!s) return Fail(s.error());
    return row;
  }

  Result<std::optional<AuditEntryRow>> Last() override {
    std::vector<AuditEntryRow> rows;
    if (auto s = ReadEach(readers_, LastEntrySql(), kNoParams, CollectEntries(rows)); !s) {
      return Fail(s.error());
    }
    return Single(std::move(rows));
  }

  Result<std::vector<AuditEntryRow>> Query(const AuditQuery& q) override {
    const QuerySql b = BuildQuery(q);
    std::vector<AuditEntryRow> rows;
    auto s = ReadEach(
        readers_, b.sql, [&b](Statement& st) { b.Bind(st); }, CollectEntries(rows));
    if (!s) return Fail(s.error());
    return rows;
  }

  Status ForEach(const std::function<Status(const AuditEntryRow&)>& fn) override {
    return ReadEach(readers_,
                    "SELECT " + std::string(kAuditColumns) + " FROM audit_entry ORDER BY seq",
                    kNoParams, [&fn](const Statement& st) { return fn(ReadAuditEntry(st)); });
  }

  Status InsertCheckpoint(const AuditCheckpointRow& c) override {
    return writer_.Submit(
        [&](Db& db) -> Status {
          auto st = db.Prepare(
              // Another process (a CLI next to the server) may have covered the same entry.
              "INSERT INTO audit_checkpoint (seq, hash, at, signature) VALUES (?1, ?2, ?3, ?4) "
              "ON CONFLICT (seq) DO NOTHING");
          if (!st) return Fail(st.error());
          st->Bind(1, c.seq).Bind(2, c.hash).Bind(3, c.at).Bind(4, c.signature);
          return st->Run();
        },
        false);
  }

  Result<std::vector<AuditCheckpointRow>> Checkpoints() override {
    std::vector<AuditCheckpointRow> out;
    auto s =
        ReadEach(readers_, "SELECT seq, hash, at, signature FROM audit_checkpoint ORDER BY seq",
                 kNoParams, [&out](const Statement& st) -> Status {
                   out.push_back({st.Int(0), st.Text(1), st.Text(2), st.Text(3)});
                   return Ok();
                 });
    if (!s) return Fail(s.error());
    return out;
  }

  Result<int64_t> Prune(int64_t up_to_seq) override {
    int64_t deleted = 0;
    auto s = writer_.Submit(
        [&](Db& db) -> Status {
          auto st = db.Prepare("DELETE FROM audit_entry WHERE seq <= ?1");
          if (!st) return Fail(st.error());
          st->Bind(1, up_to_seq);
          if (auto r = st->Run(); !r) return r;
          deleted = db.Changes();
          return Ok();
        },
        false);
    if (!s) return Fail(s.error());
    return deleted;
  }

  Result<std::optional<std::string>> PublicKey() override {
    std::optional<std::string> key;
    auto s = ReadEach(
        readers_, "SELECT value FROM setting WHERE key = ?1",
        [](Statement& st) { st.Bind(1, kPublicKeySetting); },
        [&key](const Statement& st) -> Status {
          key = st.Text(0);
          return Ok();
        });
    if (!s) return Fail(s.error());
    return key;
  }

  Status SetPublicKey(const std::string& hex) override {
    return writer_.Submit(
        [&](Db& db) -> Status {
          auto st = db.Prepare(
              "INSERT INTO setting (key, value) VALUES (?1, ?2) "
              "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
          if (!st) return Fail(st.error());
          st->Bind(1, kPublicKeySetting).Bind(2, hex);
          return st->Run();
        },
        false);
  }
};

}  // namespace

Status AppendAuditEntry(Db& db, const AuditScope::Make& make, AuditEntryRow& out) {
  std::vector<AuditEntryRow> last;
  if (auto r = RunOn(db, LastEntrySql(), kNoParams, CollectEntries(last)); !r) return r;
  out = make(Single(std::move(last)));
  return InsertAuditEntry(db, out);
}

std::unique_ptr<AuditStore> MakeAuditStore(Writer& writer, ReadPool& readers) {
  return std::make_unique<SqliteAuditStore>(writer, readers);
}

}  // namespace pdh::store::sql
