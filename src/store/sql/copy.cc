// A database copied to another, of either backend (pdh store copy), and the tables' checksums
// that show the copy complete.
#include "store/sql/copy.h"

#include <charconv>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "store/postgres/pg.h"

namespace pdh::store::sql {
namespace {

struct Column {
  std::string name;
  std::string type;  // SQLite's declared type, or PostgreSQL's data_type
};

struct Table {
  std::string name;
  std::string create;  // SQLite: the CREATE TABLE statement
  std::vector<Column> columns;
  std::vector<std::string> indexes;  // CREATE INDEX statements, in the source's dialect
};

// Reads every row `sql` yields on a pooled connection.
template <class Fn>
Status Each(ReadPool& pool, const std::string& sql, const std::string& arg, Fn fn) {
  auto lease = pool.Acquire();
  if (!lease) return Fail(lease.error());
  auto st = lease->db().Prepare(sql);
  if (!st) return Fail(st.error());
  if (!arg.empty()) st->Bind(1, arg);
  for (;;) {
    auto r = st->Step();
    if (!r) return Fail(r.error());
    if (!*r) return Ok();
    fn(*st);
  }
}

Backend BackendOf(ReadPool& pool) {
  auto lease = pool.Acquire();
  return lease ? lease->db().backend() : Backend::kSqlite;
}

// The tables pdh made, in the order they were created (a table after those it refers to).
Result<std::vector<Table>> Tables(ReadPool& pool) {
  std::vector<Table> tables;
  const bool pg = BackendOf(pool) == Backend::kPostgres;
  Status s = pg ? Each(pool,
                       "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = "
                       "c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r' AND "
                       "c.relname <> 'pdh_schema' ORDER BY c.oid",
                       "",
                       [&](const Statement& st) {
                         tables.push_back({st.Text(0), "", {}, {}});
                       })
                : Each(pool,
                       "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT "
                       "LIKE 'sqlite!_%' ESCAPE '!' ORDER BY rowid",
                       "", [&](const Statement& st) {
                         tables.push_back({st.Text(0), st.Text(1), {}, {}});
                       });
  if (!s) return Fail(s.error());
  for (auto& t : tables) {
    s = pg ? Each(pool,
                  "SELECT column_name, data_type FROM information_schema.columns WHERE "
                  "table_schema = 'public' AND table_name = ?1 AND column_name <> '_row' "
                  "ORDER BY ordinal_position",
                  t.name,
                  [&](const Statement& st) {
                    t.columns.push_back({st.Text(0), st.Text(1)});
                  })
           : Each(pool, "SELECT name, type FROM pragma_table_info(?1) ORDER BY cid", t.name,
                  [&](const Statement& st) {
                    t.columns.push_back({st.Text(0), st.Text(1)});
                  });
    if (!s) return Fail(s.error());
    s = pg ? Each(pool,
                  "SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = ?1 "
                  "AND indexname NOT LIKE '%!_pkey' ESCAPE '!'",
                  t.name, [&](const Statement& st) { t.indexes.push_back(st.Text(0)); })
           : Each(pool,
                  "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ?1 AND sql "
                  "IS NOT NULL",
                  t.name, [&](const Statement& st) { t.indexes.push_back(st.Text(0)); });
    if (!s) return Fail(s.error());
  }
  return tables;
}

// PostgreSQL's index definition in SQLite's words: no schema, no access method.
std::string SqliteIndex(std::string def) {
  for (const std::string_view drop : {"public.", "USING btree "}) {
    for (size_t at = def.find(drop); at != std::string::npos; at = def.find(drop)) {
      def.erase(at, drop.size());
    }
  }
  return def;
}

std::string SqliteType(const std::string& pg_type) {
  if (pg_type == "bigint" || pg_type == "integer" || pg_type == "smallint") return "INTEGER";
  if (pg_type == "double precision" || pg_type == "real" || pg_type == "numeric") return "REAL";
  if (pg_type == "bytea") return "BLOB";
  return "TEXT";
}

// The statements that make `t` on the target's backend.
std::vector<std::string> CreateStatements(const Table& t, bool from_pg, bool to_pg) {
  std::vector<std::string> out;
  if (!from_pg) {
    out.push_back(t.create);  // the target's connection puts SQLite's words into its own
  } else {
    std::string ddl = "CREATE TABLE " + Quote(t.name) + " (";
    for (size_t i = 0; i < t.columns.size(); ++i) {
      if (i > 0) ddl += ", ";
      ddl += Quote(t.columns[i].name) + " " + SqliteType(t.columns[i].type);
    }
    out.push_back(ddl + ")");
  }
  for (const auto& index : t.indexes) out.push_back(from_pg && !to_pg ? SqliteIndex(index) : index);
  return out;
}

// FNV-1a over one value, tagged by its kind so that 1, 1.0, '1' and NULL differ.
void HashValue(const Statement& st, int col, uint64_t& h) {
  auto mix = [&h](std::string_view bytes) {
    for (unsigned char c : bytes) {
      h ^= c;
      h *= 1099511628211ULL;
    }
  };
  switch (st.ColumnType(col)) {
    case Statement::Type::kNull:
      mix("n");
      break;
    case Statement::Type::kInteger:
      mix("i");
      mix(std::to_string(st.Int(col)));
      break;
    case Statement::Type::kReal: {
      char buf[32];
      auto [end, ec] = std::to_chars(buf, buf + sizeof buf, st.Double(col));
      mix("r");
      mix(std::string_view(buf, ec == std::errc() ? static_cast<size_t>(end - buf) : 0));
      break;
    }
    case Statement::Type::kText:
      mix("t");
      mix(st.Text(col));
      break;
    case Statement::Type::kBlob:
      mix("b");
      mix(st.Blob(col));
      break;
  }
  mix("|");
}

std::string ColumnList(const Table& t) {
  std::string cols;
  for (const auto& c : t.columns) cols += (cols.empty() ? "" : ", ") + Quote(c.name);
  return cols;
}

// Walks `t`'s rows in the order they were written, in pages, handing each to `row`.
template <class Fn>
Status Rows(ReadPool& pool, const Table& t, Fn row) {
  constexpr int64_t kPage = 20000;
  const std::string sql = "SELECT rowid, " + ColumnList(t) + " FROM " + Quote(t.name) +
                          " WHERE rowid > ?1 ORDER BY rowid LIMIT " + std::to_string(kPage);
  int64_t after = -1;
  for (;;) {
    auto lease = pool.Acquire();
    if (!lease) return Fail(lease.error());
    auto st = lease->db().Prepare(sql);
    if (!st) return Fail(st.error());
    st->Bind(1, after);
    int64_t n = 0;
    for (;;) {
      auto r = st->Step();
      if (!r) return Fail(r.error());
      if (!*r) break;
      after = st->Int(0);
      ++n;
      if (auto s = row(*st); !s) return s;
    }
    if (n < kPage) return Ok();
  }
}

uint64_t RowHash(const Statement& st, int columns) {
  uint64_t h = 14695981039346656037ULL;
  for (int c = 1; c <= columns; ++c) HashValue(st, c, h);
  return h;
}

}  // namespace

Result<std::vector<Store::TableSum>> TableSums(ReadPool& pool) {
  auto tables = Tables(pool);
  if (!tables) return Fail(tables.error());
  std::vector<Store::TableSum> sums;
  for (const auto& t : *tables) {
    Store::TableSum sum{t.name, 0, 0};
    const int n = static_cast<int>(t.columns.size());
    Status s = Rows(pool, t, [&](const Statement& st) -> Status {
      ++sum.rows;
      sum.checksum += RowHash(st, n);
      return Ok();
    });
    if (!s) return Fail(s.error());
    sums.push_back(std::move(sum));
  }
  return sums;
}

namespace {

// Writes one row `row` holds (its columns 1…n) to the target: by COPY on PostgreSQL, by a prepared
// insert on SQLite.
class RowSink {
 public:
  RowSink(Db& db, const Table& t) : db_(db), t_(t) {}

  Status Add(const Statement& row) {
    const int n = static_cast<int>(t_.columns.size());
    if (db_.backend() == Backend::kPostgres) {
      if (!copy_) {
        auto c = postgres::CopyIn::Start(*db_.pg(), Quote(t_.name), ColumnList(t_));
        if (!c) return Fail(c.error());
        copy_ = std::move(*c);
      }
      for (int c = 1; c <= n; ++c) {
        switch (row.ColumnType(c)) {
          case Statement::Type::kNull:
            copy_->Null();
            break;
          case Statement::Type::kInteger:
            copy_->Int(row.Int(c));
            break;
          case Statement::Type::kReal:
            copy_->Real(row.Double(c));
            break;
          case Statement::Type::kText:
            copy_->Text(row.Text(c));
            break;
          case Statement::Type::kBlob:
            copy_->Bytes(row.Blob(c));
            break;
        }
      }
      return copy_->EndRow();
    }
    if (!insert_) {
      std::string params;
      for (int i = 1; i <= n; ++i) params += (i > 1 ? ",?" : "?") + std::to_string(i);
      auto st = db_.Prepare("INSERT INTO " + Quote(t_.name) + " (" + ColumnList(t_) + ") VALUES (" +
                            params + ")");
      if (!st) return Fail(st.error());
      insert_ = std::move(*st);
    }
    for (int c = 1; c <= n; ++c) {
      switch (row.ColumnType(c)) {
        case Statement::Type::kNull:
          insert_->BindNull(c);
          break;
        case Statement::Type::kInteger:
          insert_->Bind(c, row.Int(c));
          break;
        case Statement::Type::kReal:
          insert_->Bind(c, row.Double(c));
          break;
        case Statement::Type::kText:
          insert_->Bind(c, row.Text(c));
          break;
        case Statement::Type::kBlob:
          insert_->BindBlob(c, row.Blob(c));
          break;
      }
    }
    Status s = insert_->Run();
    insert_->Reset();
    return s;
  }

  Status Finish() {
    if (!copy_) return Ok();
    auto rows = copy_->Finish();
    copy_.reset();
    return rows ? Ok() : Fail(rows.error());
  }

 private:
  Db& db_;
  const Table& t_;
  std::unique_ptr<postgres::CopyIn> copy_;
  std::optional<Statement> insert_;
};

}  // namespace

Result<std::vector<Store::TableSum>> CopyTables(ReadPool& from, Writer& to, ReadPool& to_readers) {
  auto tables = Tables(from);
  if (!tables) return Fail(tables.error());
  auto present = Tables(to_readers);
  if (!present) return Fail(present.error());
  const bool from_pg = BackendOf(from) == Backend::kPostgres;
  const bool to_pg = BackendOf(to_readers) == Backend::kPostgres;
  std::vector<Store::TableSum> sums;
  // One transaction on the target: a copy that fails leaves it as it was.
  Status copied = to.Submit(
      [&](Db& db) -> Status {
        sums.clear();
        for (const auto& t : *tables) {
          bool exists = false;
          for (const auto& p : *present) exists = exists || p.name == t.name;
          if (!exists) {
            for (const auto& sql : CreateStatements(t, from_pg, to_pg)) {
              if (auto s = db.Exec(sql); !s) return s;
            }
          }
          Store::TableSum sum{t.name, 0, 0};
          const int n = static_cast<int>(t.columns.size());
          RowSink sink(db, t);
          Status s = Rows(from, t, [&](const Statement& st) -> Status {
            ++sum.rows;
            sum.checksum += RowHash(st, n);
            return sink.Add(st);
          });
          if (s) s = sink.Finish();
          if (!s) {
            return Fail(Error::Internal("store.copy_failed",
                                        "copying table " + t.name + ": " + s.error().message));
          }
          bool has_id = false;
          for (const auto& c : t.columns) {
            has_id = has_id ||
                     (c.name == "id" && (c.type == "INTEGER" || SqliteType(c.type) == "INTEGER"));
          }
          if (has_id && to_pg) {
            if (auto synced = db.SyncIds(Quote(t.name)); !synced) return synced;
          }
          sums.push_back(std::move(sum));
        }
        return Ok();
      },
      false);
  if (!copied) return Fail(copied.error());
  return sums;
}

}  // namespace pdh::store::sql
