// The SQLite backend: WAL, one writer thread with group commit, a pool of read connections.
#include <algorithm>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <functional>
#include <future>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "store/sqlite/connections.h"
#include "store/sqlite/db.h"
#include "store/sqlite/migrations.h"
#include "store/store.h"

namespace pdh::store {
namespace sqlite {

namespace {

Status Migrate(Db& db) {
  auto st = db.Prepare("PRAGMA user_version");
  if (!st) return Fail(st.error());
  if (auto r = st->Step(); !r) return Fail(r.error());
  const auto current = static_cast<size_t>(st->Int(0));
  const auto migrations = Migrations();
  if (current > migrations.size()) {
    return Fail(Error::Conflict("store.newer_schema",
                                "the database has schema version " + std::to_string(current) +
                                    " but this pdh knows " + std::to_string(migrations.size()) +
                                    ": upgrade pdh to open it"));
  }
  for (size_t v = current; v < migrations.size(); ++v) {
    std::string sql = "BEGIN IMMEDIATE;\n" + std::string(migrations[v]) +
                      "\nPRAGMA user_version=" + std::to_string(v + 1) + ";\nCOMMIT;";
    if (auto s = db.Exec(sql); !s) {
      (void)db.Exec("ROLLBACK");  // the migration's error is the one to report
      return Fail(Error::Internal("store.migration_failed", "migration " + std::to_string(v + 1) +
                                                                " failed: " + s.error().message));
    }
  }
  return Ok();
}

UnitRow ReadUnit(const Statement& st) {
  UnitRow u;
  u.id = st.Int(0);
  u.code = st.Text(1);
  u.level = st.Text(2);
  u.type = st.Text(3);
  u.name = st.Text(4);
  u.short_name = st.Text(5);
  u.parent_id = st.OptInt(6);
  u.population = st.OptInt(7);
  u.population_estimated = st.Int(8) != 0;
  u.area_km2 = st.OptDouble(9);
  u.lat = st.OptDouble(10);
  u.lon = st.OptDouble(11);
  u.valid_from = st.OptText(12);
  u.valid_to = st.OptText(13);
  u.source = st.Text(14);
  return u;
}

constexpr std::string_view kInsertUnit =
    "INSERT INTO unit (id, code, level, type, name, short_name, parent_id, population, "
    "population_estimated, area_km2, lat, lon, valid_from, valid_to, source) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)";

Status BindAndInsertUnit(Statement& st, const UnitRow& u, bool with_id) {
  if (with_id) {
    st.Bind(1, u.id);
  } else {
    st.BindNull(1);
  }
  st.Bind(2, u.code).Bind(3, u.level).Bind(4, u.type).Bind(5, u.name).Bind(6, u.short_name);
  st.Bind(7, u.parent_id).Bind(8, u.population).Bind(9, int64_t{u.population_estimated});
  st.Bind(10, u.area_km2).Bind(11, u.lat).Bind(12, u.lon);
  st.Bind(13, u.valid_from).Bind(14, u.valid_to).Bind(15, u.source);
  return st.Run();
}

class SqliteStore final : public Store {
 public:
  SqliteStore(std::string path, Db writer_db, int readers, int version)
      : version_(version),
        path_(std::move(path)),
        writer_(std::move(writer_db)),
        readers_(path_, readers) {}

  int schema_version() const override { return version_; }

  Status ReplaceUnits(const std::vector<UnitRow>& units,
                      const std::vector<SuccessionRow>& successions) override {
    return writer_.Submit([&](Db& db) -> Status {
      if (auto s = db.Exec("DELETE FROM succession; DELETE FROM unit;"); !s) return s;
      auto ins = db.Prepare(kInsertUnit);
      if (!ins) return Fail(ins.error());
      // Parents first, so the foreign key holds at each insert.
      std::vector<const UnitRow*> order;
      order.reserve(units.size());
      for (const auto& u : units) order.push_back(&u);
      std::stable_sort(order.begin(), order.end(), [](const UnitRow* a, const UnitRow* b) {
        return Depth(a->level) < Depth(b->level);
      });
      for (const UnitRow* u : order) {
        if (auto s = BindAndInsertUnit(*ins, *u, true); !s) return s;
      }
      auto sx = db.Prepare(
          "INSERT INTO succession (old_id, new_id, kind, note, weight) VALUES (?1,?2,?3,?4,?5)");
      if (!sx) return Fail(sx.error());
      for (const auto& s : successions) {
        sx->Bind(1, s.old_id).Bind(2, s.new_id).Bind(3, s.kind).Bind(4, s.note).Bind(5, s.weight);
        if (auto r = sx->Run(); !r) return r;
      }
      return Ok();
    });
  }

  Result<std::vector<UnitRow>> LoadUnits() override {
    return Read<std::vector<UnitRow>>(
        "SELECT id, code, level, type, name, short_name, parent_id, population, "
        "population_estimated, area_km2, lat, lon, valid_from, valid_to, source FROM unit "
        "ORDER BY id",
        [](const Statement& st, std::vector<UnitRow>& out) { out.push_back(ReadUnit(st)); });
  }

  Result<std::vector<SuccessionRow>> LoadSuccessions() override {
    return Read<std::vector<SuccessionRow>>(
        "SELECT old_id, new_id, kind, note, weight FROM succession ORDER BY old_id, new_id",
        [](const Statement& st, std::vector<SuccessionRow>& out) {
          out.push_back({st.Int(0), st.Int(1), st.Text(2), st.Text(3), st.OptDouble(4)});
        });
  }

  Result<int64_t> InsertUnit(const UnitRow& unit) override {
    int64_t id = 0;
    auto s = writer_.Submit([&](Db& db) -> Status {
      auto ins = db.Prepare(kInsertUnit);
      if (!ins) return Fail(ins.error());
      if (auto r = BindAndInsertUnit(*ins, unit, false); !r) {
        if (r.error().code == "store.duplicate") {
          return Fail(Error::Conflict("unit.duplicate_code",
                                      "a unit with code '" + unit.code +
                                          "' already exists at that level: choose another code"));
        }
        return r;
      }
      id = sqlite3_last_insert_rowid(db.raw());
      return Ok();
    });
    if (!s) return Fail(s.error());
    return id;
  }

  Status UpdateUnit(const UnitRow& u) override {
    return writer_.Submit([&](Db& db) -> Status {
      auto st = db.Prepare(
          "UPDATE unit SET name=?2, short_name=?3, type=?4, population=?5, "
          "population_estimated=?6, area_km2=?7, lat=?8, lon=?9 WHERE id=?1");
      if (!st) return Fail(st.error());
      st->Bind(1, u.id).Bind(2, u.name).Bind(3, u.short_name).Bind(4, u.type);
      st->Bind(5, u.population).Bind(6, int64_t{u.population_estimated});
      st->Bind(7, u.area_km2).Bind(8, u.lat).Bind(9, u.lon);
      if (auto r = st->Run(); !r) return r;
      if (sqlite3_changes(db.raw()) == 0) {
        return Fail(Error::NotFound("unit.not_found", "no unit with id " + std::to_string(u.id)));
      }
      return Ok();
    });
  }

  Result<std::optional<std::string>> GetSetting(const std::string& key) override {
    auto rows = Read<std::vector<std::string>>(
        "SELECT value FROM setting WHERE key = ?1",
        [](const Statement& st, std::vector<std::string>& out) { out.push_back(st.Text(0)); }, key);
    if (!rows) return Fail(rows.error());
    if (rows->empty()) return std::optional<std::string>();
    return std::optional<std::string>(rows->front());
  }

  Status SetSetting(const std::string& key, const std::string& value) override {
    return writer_.Submit([&](Db& db) -> Status {
      auto st = db.Prepare(
          "INSERT INTO setting (key, value) VALUES (?1, ?2) "
          "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
      if (!st) return Fail(st.error());
      st->Bind(1, key).Bind(2, value);
      return st->Run();
    });
  }

  Result<std::vector<std::pair<std::string, std::string>>> ListSettings(
      const std::string& prefix) override {
    return Read<std::vector<std::pair<std::string, std::string>>>(
        "SELECT key, value FROM setting WHERE substr(key, 1, length(?1)) = ?1 ORDER BY key",
        [](const Statement& st, std::vector<std::pair<std::string, std::string>>& out) {
          out.emplace_back(st.Text(0), st.Text(1));
        },
        prefix);
  }

  Status Backup(const std::string& dest_path) override {
    if (std::filesystem::exists(dest_path)) {
      return Fail(Error::Conflict("backup.exists",
                                  "'" + dest_path + "' already exists: choose a new file"));
    }
    auto lease = readers_.Acquire();
    if (!lease) return Fail(lease.error());
    auto dest = Db::Open(dest_path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    if (!dest) return Fail(dest.error());
    sqlite3_backup* b = sqlite3_backup_init(dest->raw(), "main", lease->db().raw(), "main");
    if (!b) return Fail(dest->LastError("backup"));
    // Copy in steps so writers are not held off for the whole copy.
    int rc = SQLITE_OK;
    do {
      rc = sqlite3_backup_step(b, 256);
      if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(5);
    } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE) {
      std::error_code ignored;
      std::filesystem::remove(dest_path, ignored);
      return Fail(
          Error::Internal("backup.failed", std::string("backup failed: ") + sqlite3_errstr(rc)));
    }
    return Ok();
  }

  IdentityStore& identity() override { return *identity_; }
  AuditStore& audit() override { return *audit_; }
  CatalogStore& catalog() override { return *catalog_; }
  TrackerStore& tracker() override { return *tracker_; }
  OutboxStore& outbox() override { return *outbox_; }
  DatasetStore& datasets() override { return *datasets_; }
  IndexStore& index() override { return *index_; }
  LinkStore& link() override { return *link_; }
  ReportStore& reports() override { return *reports_; }
  ShareStore& share() override { return *share_; }
  EngineStore& engine() override { return *engine_; }
  const std::string& path() const override { return path_; }

  uint64_t data_generation() const override { return writer_.generation(); }

  bool healthy() override {
    auto r = Read<std::vector<int64_t>>(
        "SELECT 1",
        [](const Statement& st, std::vector<int64_t>& out) { out.push_back(st.Int(0)); });
    return r.has_value();
  }

 private:
  static int Depth(const std::string& level) {
    if (level == "province") return 0;
    if (level == "district") return 1;
    if (level == "agency") return 2;
    return 3;
  }

  template <class Out, class RowFn, class... Args>
  Result<Out> Read(std::string_view sql, RowFn row, const Args&... args) {
    return ReadRows<Out>(readers_, sql, row, args...);
  }

  int version_;
  std::string path_;
  Writer writer_;
  ReadPool readers_;
  std::unique_ptr<IdentityStore> identity_ = MakeIdentityStore(writer_, readers_);
  std::unique_ptr<AuditStore> audit_ = MakeAuditStore(writer_, readers_);
  std::unique_ptr<CatalogStore> catalog_ = MakeCatalogStore(writer_, readers_);
  std::unique_ptr<TrackerStore> tracker_ = MakeTrackerStore(writer_, readers_);
  std::unique_ptr<OutboxStore> outbox_ = MakeOutboxStore(writer_, readers_);
  std::unique_ptr<DatasetStore> datasets_ = MakeDatasetStore(writer_, readers_);
  std::unique_ptr<IndexStore> index_ = MakeIndexStore(writer_, readers_);
  std::unique_ptr<LinkStore> link_ = MakeLinkStore(writer_, readers_);
  std::unique_ptr<ReportStore> reports_ = MakeReportStore(writer_, readers_);
  std::unique_ptr<ShareStore> share_ = MakeShareStore(writer_, readers_);
  std::unique_ptr<EngineStore> engine_ = MakeEngineStore(writer_, readers_);
};

}  // namespace
}  // namespace sqlite

Result<std::unique_ptr<Store>> Store::Open(const std::string& path, OpenOptions options) {
  using namespace sqlite;
  if (!options.create && !std::filesystem::exists(path)) {
    return Fail(Error::NotFound("store.not_found", "database '" + path +
                                                       "' does not exist: create it with "
                                                       "'pdh demo --db " +
                                                       path + "' or 'pdh units import --db " +
                                                       path + "'"));
  }
  int flags = kWriteFlags | (options.create ? SQLITE_OPEN_CREATE : 0);
  auto db = Db::Open(path, flags);
  if (!db) return Fail(db.error());
  if (auto s = Configure(*db, true); !s) return Fail(s.error());
  if (auto s = Migrate(*db); !s) return Fail(s.error());
  const int version = static_cast<int>(Migrations().size());
  return std::unique_ptr<Store>(
      new SqliteStore(path, std::move(*db), options.read_connections, version));
}

}  // namespace pdh::store
