// The SQLite datasets repository (tables of migration 6, and one typed table per dataset with
// its history table). A batch is one writer job: one transaction, so it is all there or not at
// all, whatever happens to the process.
#include <algorithm>
#include <boost/json.hpp>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "store/datasets.h"
#include "store/postgres/pg.h"
#include "store/sql/connections.h"
#include "store/sql/db.h"
#include "store/sql/migrations.h"

namespace pdh::store::sql {
namespace {

std::string TableName(const std::string& dataset) {
  return Quote("ds_" + dataset);
}
std::string HistoryName(const std::string& dataset) {
  return Quote("ds_" + dataset + "__history");
}

std::string_view SqlType(ColumnType t) {
  switch (t) {
    case ColumnType::kInteger:
      return "INTEGER";
    case ColumnType::kReal:
      return "REAL";
    case ColumnType::kText:
      break;
  }
  return "TEXT";
}

// Binds without copying: the cell outlives the step.
void BindCell(Statement& st, int i, const Cell& c) {
  if (const auto* v = std::get_if<int64_t>(&c)) {
    st.Bind(i, *v);
  } else if (const auto* d = std::get_if<double>(&c)) {
    st.Bind(i, *d);
  } else if (const auto* t = std::get_if<std::string>(&c)) {
    st.BindStatic(i, *t);
  } else {
    st.BindNull(i);
  }
}

Cell ReadCell(const Statement& st, int col) {
  switch (st.ColumnType(col)) {
    case Statement::Type::kInteger:
      return Cell(st.Int(col));
    case Statement::Type::kReal:
      return Cell(st.Double(col));
    case Statement::Type::kNull:
      return Cell();
    default:
      return Cell(st.Text(col));
  }
}

bool SameCell(const Cell& a, const Cell& b) {
  if (a.index() == b.index()) return a == b;
  // An integer column may hold a real and a real column an integer of the same value.
  auto num = [](const Cell& c) -> std::optional<double> {
    if (const auto* i = std::get_if<int64_t>(&c)) return static_cast<double>(*i);
    if (const auto* d = std::get_if<double>(&c)) return *d;
    return std::nullopt;
  };
  auto x = num(a);
  auto y = num(b);
  return x && y && *x == *y;
}

boost::json::value CellJson(const Cell& c) {
  if (const auto* v = std::get_if<int64_t>(&c)) return *v;
  if (const auto* d = std::get_if<double>(&c)) return *d;
  if (const auto* t = std::get_if<std::string>(&c)) return boost::json::string(*t);
  return nullptr;
}

// The upsert of one batch's rows into a dataset table.
class BatchWriter {
 public:
  BatchWriter(Db& db, const DatasetTable& t, int64_t batch, std::string at, std::string by)
      : db_(db), t_(t), batch_(batch), at_(std::move(at)), by_(std::move(by)) {}

  Status Prepare() {
    const std::string table = TableName(t_.dataset);
    std::string cols;
    std::string params;
    std::string sets;
    std::string where;
    const int n = static_cast<int>(t_.columns.size());
    for (int i = 0; i < n; ++i) {
      const std::string q = Quote(t_.columns[static_cast<size_t>(i)].name);
      cols += q + ",";
      params += "?" + std::to_string(i + 1) + ",";
      sets += q + "=?" + std::to_string(i + 1) + ",";
    }
    for (size_t k = 0; k < t_.key.size(); ++k) {
      if (k > 0) where += " AND ";
      where += Quote(t_.columns[t_.key[k]].name) + "=?" + std::to_string(t_.key[k] + 1);
    }
    // A row whose key or unique value is taken is not inserted: what took it is looked up.
    if (auto s =
            Prepare(insert_, "INSERT INTO " + table + " (" + cols + "_batch, _created) VALUES (" +
                                 params + "?" + std::to_string(n + 1) + ", ?" +
                                 std::to_string(n + 1) + ") ON CONFLICT DO NOTHING");
        !s) {
      return s;
    }
    std::string select_cols = cols + "_batch";
    if (auto s = Prepare(select_, "SELECT " + select_cols + " FROM " + table + " WHERE " + where);
        !s) {
      return s;
    }
    if (auto s = Prepare(update_, "UPDATE " + table + " SET " + sets + "_batch=?" +
                                      std::to_string(n + 1) + " WHERE " + where);
        !s) {
      return s;
    }
    if (auto s = Prepare(touch_, "UPDATE " + table + " SET _batch=?" + std::to_string(n + 1) +
                                     " WHERE " + where);
        !s) {
      return s;
    }
    return Prepare(history_, "INSERT INTO " + HistoryName(t_.dataset) +
                                 " (key, batch, at, by, previous) VALUES (?1,?2,?3,?4,?5)");
  }

  enum class Outcome { kInserted, kUpdated, kUnchanged, kDuplicate, kUnique };

  Result<Outcome> Write(const StagedRow& row) {
    BindAll(insert_, row);
    if (auto r = insert_.Run(); !r) return Fail(r.error());
    if (db_.Changes() > 0) return Outcome::kInserted;
    return NotInserted(row);
  }

  // The outcomes of `rows`, in their order. On PostgreSQL the rows go by COPY into a staging
  // table, then into the dataset's table in one INSERT … SELECT per part (not a round trip per
  // row): each row whose key the insert returns was inserted, the others then take the way of a
  // row that was not. (A row that takes a unique value from an existing row is then the one
  // refused, rather than a later new row with it.)
  Status WriteMany(const std::vector<StagedRow>& rows, std::vector<Outcome>& out) {
    out.clear();
    if (db_.backend() != Backend::kPostgres) {
      for (const auto& row : rows) {
        auto o = Write(row);
        if (!o) return Fail(o.error());
        out.push_back(*o);
      }
      return Ok();
    }
    if (auto s = Stage(); !s) return s;
    constexpr size_t kPart = 20000;
    for (size_t at = 0; at < rows.size(); at += kPart) {
      const size_t n = std::min(kPart, rows.size() - at);
      auto copy = postgres::CopyIn::Start(*db_.pg(), kStage, StageColumns());
      if (!copy) return Fail(copy.error());
      for (size_t r = 0; r < n; ++r) {
        for (const Cell& c : rows[at + r].cells) CopyCell(**copy, c);
        (*copy)->Int(static_cast<int64_t>(r));
        if (auto s = (*copy)->EndRow(); !s) return s;
      }
      if (auto c = (*copy)->Finish(); !c) return Fail(c.error());
      many_.Bind(1, batch_);
      std::unordered_map<std::string, int> inserted;
      for (;;) {
        auto r = many_.Step();
        if (!r) return Fail(r.error());
        if (!*r) break;
        std::string key;
        for (size_t k = 0; k < t_.key.size(); ++k) {
          if (k > 0) key += '|';
          key += many_.Text(static_cast<int>(k));
        }
        ++inserted[key];
      }
      many_.Reset();
      if (auto s = db_.Exec(std::string("TRUNCATE ") + kStage); !s) return s;
      for (size_t r = 0; r < n; ++r) {
        const StagedRow& row = rows[at + r];
        auto it = inserted.find(KeyText(row.cells, t_.key));
        if (it != inserted.end() && it->second > 0) {
          --it->second;
          out.push_back(Outcome::kInserted);
          continue;
        }
        auto o = NotInserted(row);
        if (!o) return Fail(o.error());
        out.push_back(*o);
      }
    }
    return Ok();
  }

 private:
  // PostgreSQL: the session's staging table, its rows kept in the order they came (_seq).
  static constexpr const char* kStage = "pg_temp.pdh_stage";

  std::string StageColumns() const {
    std::string cols;
    for (const auto& c : t_.columns) cols += Quote(c.name) + ", ";
    return cols + "_seq";
  }

  // Made for this batch's table (a previous batch's may have other columns); gone at commit.
  Status Stage() {
    if (staged_) return Ok();
    std::string ddl =
        std::string("DROP TABLE IF EXISTS ") + kStage + "; CREATE TEMP TABLE pdh_stage (";
    for (const auto& c : t_.columns) {
      ddl += Quote(c.name) + " " + std::string(SqlType(c.type)) + ", ";
    }
    ddl += "_seq INTEGER) ON COMMIT DROP";
    if (auto s = db_.Exec(ddl); !s) return s;
    std::string cols;
    for (const auto& c : t_.columns) cols += Quote(c.name) + ",";
    std::string sql = "INSERT INTO " + TableName(t_.dataset) + " (" + cols +
                      "_batch, _created) SELECT " + cols +
                      "CAST(?1 AS BIGINT), CAST(?1 AS BIGINT) FROM " + kStage +
                      " ORDER BY _seq ON CONFLICT DO NOTHING RETURNING ";
    for (size_t k = 0; k < t_.key.size(); ++k) {
      sql += (k ? ", CAST(" : "CAST(") + Quote(t_.columns[t_.key[k]].name) + " AS TEXT)";
    }
    auto st = db_.Prepare(sql);
    if (!st) return Fail(st.error());
    many_ = std::move(*st);
    staged_ = true;
    return Ok();
  }

  static void CopyCell(postgres::CopyIn& copy, const Cell& c) {
    if (const auto* v = std::get_if<int64_t>(&c)) {
      copy.Int(*v);
    } else if (const auto* d = std::get_if<double>(&c)) {
      copy.Real(*d);
    } else if (const auto* t = std::get_if<std::string>(&c)) {
      copy.Text(*t);
    } else {
      copy.Null();
    }
  }

  // A row the insert left out: its key is there (an earlier batch's row: an update; this
  // batch's: a duplicate), or another row holds one of its unique values.
  Result<Outcome> NotInserted(const StagedRow& row) {
    const int n = static_cast<int>(t_.columns.size());
    // The key is there: an earlier batch's row (upsert) or this batch's (a duplicate).
    for (size_t k : t_.key) BindCell(select_, static_cast<int>(k) + 1, row.cells[k]);
    auto found = select_.Step();
    if (!found) return Fail(found.error());
    if (!*found) {
      // No row has the key: the value of another unique column is taken.
      select_.Reset();
      return Outcome::kUnique;
    }
    if (select_.Int(n) == batch_) {
      select_.Reset();
      return Outcome::kDuplicate;
    }
    boost::json::object previous;
    bool same = true;
    for (int i = 0; i < n; ++i) {
      Cell old = ReadCell(select_, i);
      if (!SameCell(old, row.cells[static_cast<size_t>(i)])) same = false;
      previous[t_.columns[static_cast<size_t>(i)].name] = CellJson(old);
    }
    select_.Reset();
    if (same) {
      // Marked as seen by this batch, so a second row with the key is still a duplicate.
      BindAll(touch_, row);
      if (auto r = touch_.Run(); !r) return Fail(r.error());
      return Outcome::kUnchanged;
    }
    // On PostgreSQL a failed statement fails its transaction: the update that may take another
    // row's unique value runs in a savepoint of its own.
    const bool guard = db_.backend() == Backend::kPostgres;
    if (guard) {
      if (auto r = db_.Exec("SAVEPOINT row_update"); !r) return Fail(r.error());
    }
    BindAll(update_, row);
    if (auto r = update_.Run(); !r) {
      update_.Reset();
      if (guard) (void)db_.Exec("ROLLBACK TO row_update; RELEASE row_update");
      if (r.error().code == "store.duplicate") return Outcome::kUnique;
      return Fail(r.error());
    }
    if (guard) {
      if (auto r = db_.Exec("RELEASE row_update"); !r) return Fail(r.error());
    }
    const std::string key = KeyText(row.cells, t_.key);
    const std::string prev = boost::json::serialize(previous);
    history_.BindStatic(1, key).Bind(2, batch_).BindStatic(3, at_).BindStatic(4, by_);
    history_.BindStatic(5, prev);
    if (auto r = history_.Run(); !r) return Fail(r.error());
    return Outcome::kUpdated;
  }

  Status Prepare(Statement& st, const std::string& sql) {
    auto p = db_.Prepare(sql);
    if (!p) return Fail(p.error());
    st = std::move(*p);
    return Ok();
  }

  void BindAll(Statement& st, const StagedRow& row) {
    const int n = static_cast<int>(t_.columns.size());
    for (int i = 0; i < n; ++i) BindCell(st, i + 1, row.cells[static_cast<size_t>(i)]);
    // Statements that do not use a parameter ignore its binding.
    if (st.ParamCount() >= n + 1) st.Bind(n + 1, batch_);
  }

  Db& db_;
  const DatasetTable& t_;
  int64_t batch_;
  std::string at_;
  std::string by_;
  Statement insert_;
  Statement select_;
  Statement update_;
  Statement touch_;
  Statement history_;
  Statement many_;       // PostgreSQL: the staged rows into the table
  bool staged_ = false;  // PostgreSQL: the staging table made
};

DatasetRow ReadDataset(const Statement& st) {
  DatasetRow d;
  d.code = st.Text(0);
  d.title = st.Text(1);
  d.title_en = st.Text(2);
  d.description = st.Text(3);
  d.owner_unit = st.Text(4);
  d.template_name = st.Text(5);
  d.version = st.Int(6);
  d.schema_json = st.Text(7);
  d.created_at = st.Text(8);
  d.updated_at = st.Text(9);
  return d;
}

constexpr std::string_view kSelectDataset =
    "SELECT code, title, title_en, description, owner_unit, template, version, schema_json, "
    "created_at, updated_at FROM dataset ";

BatchRow ReadBatch(const Statement& st) {
  BatchRow b;
  b.id = st.Int(0);
  b.dataset = st.Text(1);
  b.client_id = st.Text(2);
  b.sha256 = st.Text(3);
  b.status = st.Text(4);
  b.created_at = st.Text(5);
  b.created_by = st.Text(6);
  b.report_json = st.Text(7);
  return b;
}

constexpr std::string_view kSelectBatch =
    "SELECT id, dataset, client_id, sha256, status, created_at, created_by, report_json "
    "FROM ingest_batch ";

Status InsertVersion(Db& db, const DatasetVersionRow& v) {
  auto st = db.Prepare(
      "INSERT INTO dataset_version (dataset, version, schema_json, created_at, created_by, "
      "note) VALUES (?1,?2,?3,?4,?5,?6)");
  if (!st) return Fail(st.error());
  st->Bind(1, v.dataset).Bind(2, v.version).Bind(3, v.schema_json).Bind(4, v.created_at);
  st->Bind(5, v.created_by).Bind(6, v.note);
  return st->Run();
}

class SqliteDatasetStore final : public Area<DatasetStore> {
 public:
  using Area::Area;

  Status Create(const DatasetRow& d, const DatasetTable& table,
                const DatasetVersionRow& v) override {
    return writer_.Submit([&](Db& db) -> Status {
      auto st = db.Prepare(
          "INSERT INTO dataset (code, title, title_en, description, owner_unit, template, "
          "version, schema_json, created_at, updated_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)");
      if (!st) return Fail(st.error());
      st->Bind(1, d.code).Bind(2, d.title).Bind(3, d.title_en).Bind(4, d.description);
      st->Bind(5, d.owner_unit).Bind(6, d.template_name).Bind(7, d.version);
      st->Bind(8, d.schema_json).Bind(9, d.created_at).Bind(10, d.updated_at);
      if (auto r = st->Run(); !r) {
        if (r.error().code == "store.duplicate") {
          return Fail(Error::Conflict("dataset.exists", "a dataset with code '" + d.code +
                                                            "' exists already: choose another "
                                                            "code, or change its schema"));
        }
        return r;
      }
      std::string ddl = "CREATE TABLE " + TableName(d.code) + " (";
      for (const auto& c : table.columns) {
        ddl += Quote(c.name) + " " + std::string(SqlType(c.type)) + ", ";
      }
      // _batch: the last batch that wrote or touched the row; _created: the batch that made it.
      ddl += "_batch INTEGER NOT NULL, _created INTEGER NOT NULL DEFAULT 0, ";
      for (const auto& c : table.columns) {
        if (c.unique) ddl += "UNIQUE (" + Quote(c.name) + "), ";
      }
      ddl += "UNIQUE (";
      for (size_t k = 0; k < table.key.size(); ++k) {
        if (k > 0) ddl += ",";
        ddl += Quote(table.columns[table.key[k]].name);
      }
      ddl += "));\nCREATE TABLE " + HistoryName(d.code) +
             " (key TEXT NOT NULL, batch INTEGER NOT NULL, at TEXT NOT NULL, by TEXT NOT NULL, "
             "previous TEXT NOT NULL);\nCREATE INDEX " +
             Quote("ds_" + d.code + "__history_key") + " ON " + HistoryName(d.code) + "(key);\n" +
             DatasetHistoryBatchIndex(d.code) + ";\nCREATE INDEX " +
             Quote("ds_" + d.code + "__batch") + " ON " + TableName(d.code) + "(_batch);";
      if (auto s = db.Exec(ddl); !s) return s;
      return InsertVersion(db, v);
    });
  }

  Status Alter(const DatasetRow& d, const DatasetTable& table,
               const std::vector<DatasetColumn>& added, const DatasetVersionRow& v) override {
    (void)table;
    return writer_.Submit([&](Db& db) -> Status {
      auto st = db.Prepare(
          "UPDATE dataset SET title=?2, title_en=?3, description=?4, owner_unit=?5, version=?6, "
          "schema_json=?7, updated_at=?8 WHERE code=?1");
      if (!st) return Fail(st.error());
      st->Bind(1, d.code).Bind(2, d.title).Bind(3, d.title_en).Bind(4, d.description);
      st->Bind(5, d.owner_unit).Bind(6, d.version).Bind(7, d.schema_json).Bind(8, d.updated_at);
      if (auto r = st->Run(); !r) return r;
      for (const auto& c : added) {
        if (auto s = db.Exec("ALTER TABLE " + TableName(d.code) + " ADD COLUMN " + Quote(c.name) +
                             " " + std::string(SqlType(c.type)));
            !s) {
          return s;
        }
      }
      return InsertVersion(db, v);
    });
  }

  Result<std::vector<DatasetRow>> List() override {
    return ReadRows<std::vector<DatasetRow>>(
        readers_, std::string(kSelectDataset) + "ORDER BY code",
        [](const Statement& st, std::vector<DatasetRow>& out) { out.push_back(ReadDataset(st)); });
  }

  Result<std::optional<DatasetRow>> Find(const std::string& code) override {
    auto rows = ReadRows<std::vector<DatasetRow>>(
        readers_, std::string(kSelectDataset) + "WHERE code = ?1",
        [](const Statement& st, std::vector<DatasetRow>& out) { out.push_back(ReadDataset(st)); },
        code);
    if (!rows) return Fail(rows.error());
    if (rows->empty()) return std::optional<DatasetRow>();
    return std::optional<DatasetRow>(std::move(rows->front()));
  }

  Result<std::vector<DatasetVersionRow>> Versions(const std::string& code) override {
    return ReadRows<std::vector<DatasetVersionRow>>(
        readers_,
        "SELECT dataset, version, schema_json, created_at, created_by, note FROM "
        "dataset_version WHERE dataset = ?1 ORDER BY version",
        [](const Statement& st, std::vector<DatasetVersionRow>& out) {
          out.push_back({st.Text(0), st.Int(1), st.Text(2), st.Text(3), st.Text(4), st.Text(5)});
        },
        code);
  }

  Result<int64_t> RowCount(const std::string& code) override {
    return Count("SELECT count(*) FROM " + TableName(code));
  }

  Result<int64_t> ValueCount(const std::string& code, const std::string& column) override {
    return Count("SELECT count(*) FROM " + TableName(code) + " WHERE " + Quote(column) +
                 " IS NOT NULL");
  }

  Result<std::optional<BatchRow>> FindCommitted(const std::string& dataset,
                                                const std::string& client_id,
                                                const std::string& sha256) override {
    auto rows = client_id.empty()
                    ? ReadRows<std::vector<BatchRow>>(
                          readers_,
                          std::string(kSelectBatch) +
                              "WHERE dataset = ?1 AND sha256 = ?2 AND status = 'committed' "
                              "ORDER BY id LIMIT 1",
                          [](const Statement& st, std::vector<BatchRow>& out) {
                            out.push_back(ReadBatch(st));
                          },
                          dataset, sha256)
                    : ReadRows<std::vector<BatchRow>>(
                          readers_,
                          std::string(kSelectBatch) +
                              "WHERE dataset = ?1 AND client_id = ?2 AND client_id <> '' AND "
                              "status = 'committed' ORDER BY id LIMIT 1",
                          [](const Statement& st, std::vector<BatchRow>& out) {
                            out.push_back(ReadBatch(st));
                          },
                          dataset, client_id);
    if (!rows) return Fail(rows.error());
    if (rows->empty()) return std::optional<BatchRow>();
    return std::optional<BatchRow>(std::move(rows->front()));
  }

  Result<int64_t> WriteBatch(
      const DatasetTable& table, const BatchRow& header,
      const std::function<Result<bool>(std::vector<StagedRow>& out)>& next,
      const std::function<void(const StagedRow&, RowConflict)>& on_conflict,
      const std::function<Result<BatchEnd>(int64_t id, const BatchCounts&, int64_t twin)>& finish,
      const std::function<Status(const std::function<Status(const RejectRow&)>&)>& rejects)
      override {
    int64_t id = 0;
    auto s = writer_.Submit([&](Db& db) -> Status {
      auto ins = db.Prepare(
          "INSERT INTO ingest_batch (dataset, client_id, sha256, status, created_at, created_by, "
          "report_json) VALUES (?1,?2,?3,'rejected',?4,?5,'{}')");
      if (!ins) return Fail(ins.error());
      ins->Bind(1, header.dataset).Bind(2, header.client_id).Bind(3, header.sha256);
      ins->Bind(4, header.created_at).Bind(5, header.created_by);
      if (auto r = ins->Run(); !r) return r;
      auto last_id = db.LastInsertId();
      if (!last_id) return Fail(last_id.error());
      id = *last_id;
      if (auto r = db.Exec("SAVEPOINT batch_rows"); !r) return r;
      BatchCounts counts;
      Status written = WriteRows(db, table, header, id, next, on_conflict, counts);
      if (!written) {
        // The write's own error is the one to report; a failed rollback ends with the
        // transaction.
        (void)db.Exec("ROLLBACK TO batch_rows; RELEASE batch_rows");
        return written;
      }
      // On this connection: a batch committed in the same group of writes is seen too.
      auto twin_st = db.Prepare(
          "SELECT id FROM ingest_batch WHERE dataset = ?1 AND status = 'committed' AND id <> ?4 "
          "AND ((?2 <> '' AND client_id = ?2) OR (?2 = '' AND sha256 = ?3)) LIMIT 1");
      if (!twin_st) return Fail(twin_st.error());
      twin_st->Bind(1, header.dataset).Bind(2, header.client_id).Bind(3, header.sha256).Bind(4, id);
      auto found = twin_st->Step();
      if (!found) return Fail(found.error());
      const int64_t twin = *found ? twin_st->Int(0) : 0;
      twin_st->Reset();
      auto end = finish(id, counts, twin);
      if (!end) {
        (void)db.Exec("ROLLBACK TO batch_rows; RELEASE batch_rows");  // as above
        return Fail(end.error());
      }
      if (!end->keep_rows) {
        if (auto r = db.Exec("ROLLBACK TO batch_rows"); !r) return r;
      }
      if (auto r = db.Exec("RELEASE batch_rows"); !r) return r;
      auto up = db.Prepare("UPDATE ingest_batch SET status=?2, report_json=?3 WHERE id=?1");
      if (!up) return Fail(up.error());
      up->Bind(1, id).Bind(2, end->status).Bind(3, end->report_json);
      if (auto r = up->Run(); !r) return r;
      auto rej = db.Prepare(
          "INSERT INTO ingest_reject (batch_id, row, col, value, code, message) "
          "VALUES (?1,?2,?3,?4,?5,?6)");
      if (!rej) return Fail(rej.error());
      return rejects([&](const RejectRow& r) -> Status {
        rej->Bind(1, id).Bind(2, r.row).Bind(3, r.column).Bind(4, r.value).Bind(5, r.code);
        rej->Bind(6, r.message);
        return rej->Run();
      });
    });
    if (!s) return Fail(s.error());
    return id;
  }

  Result<std::optional<BatchRow>> Batch(int64_t id) override {
    auto rows = ReadRows<std::vector<BatchRow>>(
        readers_, std::string(kSelectBatch) + "WHERE id = ?1",
        [](const Statement& st, std::vector<BatchRow>& out) { out.push_back(ReadBatch(st)); },
        std::to_string(id));
    if (!rows) return Fail(rows.error());
    if (rows->empty()) return std::optional<BatchRow>();
    return std::optional<BatchRow>(std::move(rows->front()));
  }

  Result<std::vector<BatchRow>> Batches(const std::string& dataset, int64_t before_id,
                                        int64_t limit) override {
    return ReadRows<std::vector<BatchRow>>(
        readers_,
        std::string(kSelectBatch) +
            "WHERE dataset = ?1 AND (CAST(?2 AS INTEGER) = 0 OR id < CAST(?2 AS INTEGER)) "
            "ORDER BY id DESC LIMIT CAST(?3 AS INTEGER)",
        [](const Statement& st, std::vector<BatchRow>& out) { out.push_back(ReadBatch(st)); },
        dataset, std::to_string(before_id), std::to_string(limit));
  }

  Status ForEachReject(int64_t batch_id,
                       const std::function<Status(const RejectRow&)>& fn) override {
    auto lease = readers_.Acquire();
    if (!lease) return Fail(lease.error());
    auto st = lease->db().Prepare(
        "SELECT row, col, value, code, message FROM ingest_reject WHERE batch_id = ?1 "
        "ORDER BY row, rowid");
    if (!st) return Fail(st.error());
    st->Bind(1, batch_id);
    for (;;) {
      auto r = st->Step();
      if (!r) return Fail(r.error());
      if (!*r) return Ok();
      if (auto s = fn({st->Int(0), st->Text(1), st->Text(2), st->Text(3), st->Text(4)}); !s) {
        return s;
      }
    }
  }

  Result<RecordPage> Records(const DatasetTable& table, const RecordQuery& q) override {
    auto lease = readers_.Acquire();
    if (!lease) return Fail(lease.error());
    Db& db = lease->db();
    std::string where = " WHERE 1=1";
    std::vector<std::string> args;
    for (const auto& [col, value] : q.equals) {
      args.push_back(value);
      where += " AND CAST(" + Quote(table.columns.at(col).name) + " AS TEXT) = ?" +
               std::to_string(args.size());
    }
    if (q.after_batch > 0) {
      args.push_back(std::to_string(q.after_batch));
      where += " AND _batch > CAST(?" + std::to_string(args.size()) + " AS INTEGER)";
    }
    for (const auto& [col, from, before] : q.ranges) {
      const std::string column = "CAST(" + Quote(table.columns.at(col).name) + " AS TEXT)";
      if (!from.empty()) {
        args.push_back(from);
        where += " AND " + column + " >= ?" + std::to_string(args.size());
      }
      if (!before.empty()) {
        args.push_back(before);
        where += " AND " + column + " < ?" + std::to_string(args.size());
      }
    }
    if (q.scope_column && q.scope_units) {
      where += " AND " + Quote(table.columns.at(*q.scope_column).name) + " IN (";
      for (size_t i = 0; i < q.scope_units->size(); ++i) {
        args.push_back((*q.scope_units)[i]);
        where += (i ? ",?" : "?") + std::to_string(args.size());
      }
      if (q.scope_units->empty()) where += "NULL";
      where += ")";
    }
    if (!q.folded_text.empty()) {
      std::string concat;
      for (const auto& c : table.columns) {
        if (c.type != ColumnType::kText) continue;
        if (!concat.empty()) concat += " || ' ' || ";
        concat += "coalesce(" + Quote(c.name) + ",'')";
      }
      if (concat.empty()) concat = "''";
      args.push_back("%" + q.folded_text + "%");
      where += " AND pdh_fold(" + concat + ") LIKE ?" + std::to_string(args.size());
    }
    auto bind_all = [&](Statement& st) {
      for (size_t i = 0; i < args.size(); ++i) st.BindStatic(static_cast<int>(i + 1), args[i]);
    };
    auto read_row = [](Statement& st, int n) {
      std::vector<Cell> row;
      row.reserve(static_cast<size_t>(n));
      for (int c = 0; c < n; ++c) row.push_back(ReadCell(st, c));
      return row;
    };
    RecordPage page;
    std::string cols;
    for (const auto& c : table.columns) cols += Quote(c.name) + ",";
    std::string order = q.sort_column ? Quote(table.columns.at(*q.sort_column).name) : "rowid";
    const char* dir = q.descending ? " DESC" : " ASC";
    const int n = static_cast<int>(table.columns.size()) + 1;
    if (!q.folded_text.empty()) {
      // Folding every text of every row is the cost of a search: do it once, for the ordered
      // matches, then count them and read the page's rows by rowid.
      std::vector<int64_t> matches;
      {
        auto ids = db.Prepare("SELECT rowid FROM " + TableName(table.dataset) + where +
                              " ORDER BY " + order + dir + ", rowid" + dir);
        if (!ids) return Fail(ids.error());
        bind_all(*ids);
        for (;;) {
          auto r = ids->Step();
          if (!r) return Fail(r.error());
          if (!*r) break;
          matches.push_back(ids->Int(0));
        }
      }
      page.total = static_cast<int64_t>(matches.size());
      auto row_st = db.Prepare("SELECT " + cols + "_batch FROM " + TableName(table.dataset) +
                               " WHERE rowid = ?1");
      if (!row_st) return Fail(row_st.error());
      const auto first = static_cast<size_t>(std::max<int64_t>(0, q.offset));
      for (size_t i = first; i < matches.size() && i < first + static_cast<size_t>(q.limit); ++i) {
        row_st->Reset();
        row_st->Bind(1, matches[i]);
        auto r = row_st->Step();
        if (!r) return Fail(r.error());
        if (!*r) continue;  // removed since the search
        page.rows.push_back(read_row(*row_st, n));
      }
      return page;
    }
    {
      auto count = db.Prepare("SELECT count(*) FROM " + TableName(table.dataset) + where);
      if (!count) return Fail(count.error());
      bind_all(*count);
      auto r = count->Step();
      if (!r) return Fail(r.error());
      page.total = *r ? count->Int(0) : 0;
    }
    std::string sql = "SELECT " + cols + "_batch FROM " + TableName(table.dataset) + where +
                      " ORDER BY " + order + dir + ", rowid" + dir + " LIMIT " +
                      std::to_string(q.limit) + " OFFSET " + std::to_string(q.offset);
    auto st = db.Prepare(sql);
    if (!st) return Fail(st.error());
    bind_all(*st);
    for (;;) {
      auto r = st->Step();
      if (!r) return Fail(r.error());
      if (!*r) break;
      page.rows.push_back(read_row(*st, n));
    }
    return page;
  }

  Status ForEachRecord(const DatasetTable& table,
                       const std::function<Status(const std::vector<Cell>&)>& fn) override {
    std::string cols;
    for (const auto& c : table.columns) cols += (cols.empty() ? "" : ",") + Quote(c.name);
    return ForEachRow(table,
                      "SELECT " + cols + " FROM " + TableName(table.dataset) + " ORDER BY rowid", 0,
                      [&](const std::vector<Cell>& row, const Statement&) { return fn(row); });
  }

  Status ForEachRecordSince(
      const DatasetTable& table, int64_t after_batch,
      const std::function<Status(const std::vector<Cell>&, int64_t batch)>& fn) override {
    std::string cols;
    for (const auto& c : table.columns) cols += Quote(c.name) + ",";
    const int n = static_cast<int>(table.columns.size());
    return ForEachRow(table,
                      "SELECT " + cols + "_batch FROM " + TableName(table.dataset) +
                          " WHERE _batch > ?1 ORDER BY _batch",
                      after_batch, [&](const std::vector<Cell>& row, const Statement& st) {
                        return fn(row, st.Int(n));
                      });
  }

  Result<int64_t> ForEachChangeSince(
      const std::vector<const DatasetTable*>& tables, int64_t after_batch,
      const std::function<Status(size_t, const std::vector<Cell>&, const std::vector<Cell>*)>& fn)
      override {
    auto lease = readers_.Acquire();
    if (!lease) return Fail(lease.error());
    Db& db = lease->db();
    // One snapshot for the mark and every table.
    if (auto s = BeginSnapshot(db); !s) return Fail(s.error());
    auto out = ChangesSince(db, tables, after_batch, fn);
    auto end = db.Exec(out ? "COMMIT" : "ROLLBACK");
    if (out && !end) return Fail(end.error());
    return out;
  }

  Result<int64_t> LastCommittedBatch() override {
    return ReadRows<int64_t>(
        readers_, "SELECT coalesce(max(id), 0) FROM ingest_batch WHERE status = 'committed'",
        [](const Statement& st, int64_t& out) { out = st.Int(0); });
  }

  Result<std::vector<HistoryRow>> History(const std::string& dataset,
                                          const std::string& key) override {
    return ReadRows<std::vector<HistoryRow>>(
        readers_,
        "SELECT batch, at, by, previous FROM " + HistoryName(dataset) +
            " WHERE key = ?1 ORDER BY rowid",
        [](const Statement& st, std::vector<HistoryRow>& out) {
          out.push_back({st.Int(0), st.Text(1), st.Text(2), st.Text(3)});
        },
        key);
  }

 private:
  // Each row `sql` reads (its first columns the table's, ?1 bound to `arg` when it has one).
  template <class Fn>
  Status ForEachRow(const DatasetTable& table, const std::string& sql, int64_t arg, Fn fn) {
    auto lease = readers_.Acquire();
    if (!lease) return Fail(lease.error());
    auto st = lease->db().Prepare(sql);
    if (!st) return Fail(st.error());
    if (st->ParamCount() >= 1) st->Bind(1, arg);
    const int n = static_cast<int>(table.columns.size());
    std::vector<Cell> row(static_cast<size_t>(n));
    for (;;) {
      auto r = st->Step();
      if (!r) return Fail(r.error());
      if (!*r) return Ok();
      for (int i = 0; i < n; ++i) row[static_cast<size_t>(i)] = ReadCell(*st, i);
      if (auto s = fn(row, *st); !s) return s;
    }
  }

  static Result<int64_t> ChangesSince(
      Db& db, const std::vector<const DatasetTable*>& tables, int64_t after_batch,
      const std::function<Status(size_t, const std::vector<Cell>&, const std::vector<Cell>*)>& fn) {
    int64_t mark = 0;
    {
      auto st =
          db.Prepare("SELECT coalesce(max(id), 0) FROM ingest_batch WHERE status = 'committed'");
      if (!st) return Fail(st.error());
      auto r = st->Step();
      if (!r) return Fail(r.error());
      mark = *r ? st->Int(0) : 0;
    }
    for (size_t t = 0; t < tables.size(); ++t) {
      const DatasetTable& table = *tables[t];
      const int n = static_cast<int>(table.columns.size());
      // Each changed row's previous values at its first change since `after_batch`.
      std::unordered_map<std::string, std::string> previous;
      if (after_batch > 0) {
        auto st = db.Prepare("SELECT key, previous FROM " + HistoryName(table.dataset) +
                             " WHERE batch > ?1 ORDER BY batch DESC, rowid DESC");
        if (!st) return Fail(st.error());
        st->Bind(1, after_batch);
        for (;;) {
          auto r = st->Step();
          if (!r) return Fail(r.error());
          if (!*r) break;
          previous[st->Text(0)] = st->Text(1);
        }
      }
      std::string sql = "SELECT ";
      for (const auto& c : table.columns) sql += Quote(c.name) + ",";
      sql += "_created FROM " + TableName(table.dataset);
      // From the batch index when a batch is given (SQLite would otherwise scan the whole table
      // to keep rowid order), else the whole table in rowid order.
      sql += after_batch > 0 ? " WHERE _batch > " + std::to_string(after_batch) + " ORDER BY _batch"
                             : std::string(" ORDER BY rowid");
      std::vector<Cell> now(static_cast<size_t>(n));
      std::vector<Cell> then(static_cast<size_t>(n));
      auto s = StreamRows(db, sql, [&](const Statement& st) -> Status {
        for (int i = 0; i < n; ++i) now[static_cast<size_t>(i)] = ReadCell(st, i);
        if (after_batch == 0 || st.Int(n) > after_batch) return fn(t, now, nullptr);
        auto it = previous.find(KeyText(now, table.key));
        if (it == previous.end()) return Ok();  // sent again unchanged
        if (!PreviousCells(table, it->second, then)) {
          return Fail(Error::Internal(
              "store.corrupt", "the history of dataset '" + table.dataset + "' is not readable"));
        }
        return fn(t, now, &then);
      });
      if (!s) return Fail(s.error());
    }
    return mark;
  }

  // Each row of `sql` to `fn`, without holding them all: on PostgreSQL through a cursor read in
  // parts (a result is otherwise kept whole in memory), in the transaction the caller began.
  template <class Fn>
  static Status StreamRows(Db& db, const std::string& sql, Fn fn) {
    const bool pg = db.backend() == Backend::kPostgres;
    if (pg) {
      if (auto s = db.Exec("DECLARE pdh_rows NO SCROLL CURSOR FOR " + sql); !s) return s;
    }
    auto st = db.Prepare(pg ? "FETCH FORWARD 10000 FROM pdh_rows" : sql);
    if (!st) return Fail(st.error());
    for (;;) {
      int64_t rows = 0;
      for (;;) {
        auto r = st->Step();
        if (!r) return Fail(r.error());
        if (!*r) break;
        ++rows;
        if (auto s = fn(*st); !s) return s;
      }
      if (!pg || rows == 0) break;
      st->Reset();
    }
    return pg ? db.Exec("CLOSE pdh_rows") : Ok();
  }

  // A row's cells from the previous values its history keeps; a column added since is null.
  static bool PreviousCells(const DatasetTable& table, const std::string& json,
                            std::vector<Cell>& out) {
    boost::system::error_code ec;
    auto v = boost::json::parse(json, ec);
    if (ec || !v.is_object()) return false;
    const auto& o = v.as_object();
    for (size_t i = 0; i < table.columns.size(); ++i) {
      const auto* f = o.if_contains(table.columns[i].name);
      Cell& c = out[i];
      if (!f || f->is_null()) {
        c = Cell();
      } else if (f->is_int64()) {
        c = f->as_int64();
      } else if (f->is_uint64()) {
        c = static_cast<int64_t>(f->as_uint64());
      } else if (f->is_double()) {
        c = f->as_double();
      } else if (f->is_string()) {
        c = std::string(f->as_string());
      } else {
        return false;
      }
    }
    return true;
  }

  static Status WriteRows(Db& db, const DatasetTable& table, const BatchRow& header, int64_t id,
                          const std::function<Result<bool>(std::vector<StagedRow>& out)>& next,
                          const std::function<void(const StagedRow&, RowConflict)>& on_conflict,
                          BatchCounts& counts) {
    BatchWriter w(db, table, id, header.created_at, header.created_by);
    if (auto s = w.Prepare(); !s) return s;
    std::vector<StagedRow> chunk;
    std::vector<BatchWriter::Outcome> outcomes;
    for (;;) {
      chunk.clear();
      auto more = next(chunk);
      if (!more) return Fail(more.error());
      if (auto s = w.WriteMany(chunk, outcomes); !s) return s;
      for (size_t i = 0; i < chunk.size(); ++i) {
        const StagedRow& row = chunk[i];
        switch (outcomes[i]) {
          case BatchWriter::Outcome::kInserted:
            ++counts.imported;
            break;
          case BatchWriter::Outcome::kUpdated:
            ++counts.updated;
            break;
          case BatchWriter::Outcome::kUnchanged:
            ++counts.unchanged;
            break;
          case BatchWriter::Outcome::kDuplicate:
            on_conflict(row, RowConflict::kDuplicateKey);
            break;
          case BatchWriter::Outcome::kUnique:
            on_conflict(row, RowConflict::kUniqueValue);
            break;
        }
      }
      if (!*more) return Ok();
    }
  }

  Result<int64_t> Count(const std::string& sql) {
    auto rows = ReadRows<std::vector<int64_t>>(
        readers_, sql,
        [](const Statement& st, std::vector<int64_t>& out) { out.push_back(st.Int(0)); });
    if (!rows) return Fail(rows.error());
    return rows->empty() ? int64_t{0} : rows->front();
  }
};

}  // namespace

std::unique_ptr<DatasetStore> MakeDatasetStore(Writer& writer, ReadPool& readers) {
  return std::make_unique<SqliteDatasetStore>(writer, readers);
}

}  // namespace pdh::store::sql

namespace pdh::store {

std::string KeyText(const std::vector<Cell>& cells, const std::vector<size_t>& key) {
  std::string text;
  for (size_t i = 0; i < key.size(); ++i) {
    if (i > 0) text += '|';
    const Cell& c = cells[key[i]];
    if (const auto* v = std::get_if<int64_t>(&c)) {
      text += std::to_string(*v);
    } else if (const auto* d = std::get_if<double>(&c)) {
      text += boost::json::serialize(boost::json::value(*d));
    } else if (const auto* s = std::get_if<std::string>(&c)) {
      text += *s;
    }
  }
  return text;
}

}  // namespace pdh::store
