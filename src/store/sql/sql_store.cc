// The store over SQL: the units and settings areas, and the repositories of the others, on the
// connections of either backend (store/sql/db.h). What differs between the backends is how the
// database is opened and migrated, and how it is backed up.
#include "store/sql/sql_store.h"

#include <algorithm>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "store/postgres/pg.h"
#include "store/sql/connections.h"
#include "store/sql/copy.h"
#include "store/sql/db.h"

namespace pdh::store {
namespace sql {
namespace {

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

// With the id given (?1), or taken from the table (NULL).
constexpr std::string_view kInsertUnit =
    "INSERT INTO unit (id, code, level, type, name, short_name, parent_id, population, "
    "population_estimated, area_km2, lat, lon, valid_from, valid_to, source) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)";
constexpr std::string_view kInsertNewUnit =
    "INSERT INTO unit (id, code, level, type, name, short_name, parent_id, population, "
    "population_estimated, area_km2, lat, lon, valid_from, valid_to, source) "
    "VALUES (NULL, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)";

Status BindAndInsertUnit(Statement& st, const UnitRow& u, bool with_id) {
  if (with_id) st.Bind(1, u.id);
  st.Bind(2, u.code).Bind(3, u.level).Bind(4, u.type).Bind(5, u.name).Bind(6, u.short_name);
  st.Bind(7, u.parent_id).Bind(8, u.population).Bind(9, int64_t{u.population_estimated});
  st.Bind(10, u.area_km2).Bind(11, u.lat).Bind(12, u.lon);
  st.Bind(13, u.valid_from).Bind(14, u.valid_to).Bind(15, u.source);
  return st.Run();
}

class SqlStore final : public Store {
 public:
  SqlStore(std::string path, Db writer_db, ReadPool::Opener readers, int read_connections,
           int version, BackupFn backup, const WatchFn& watch)
      : version_(version),
        path_(std::move(path)),
        backup_(std::move(backup)),
        writer_(std::move(writer_db)),
        readers_(std::move(readers), read_connections) {
    if (watch) watcher_ = watch(writer_);
  }

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
      return db.SyncIds("unit");
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
      auto ins = db.Prepare(kInsertNewUnit);
      if (!ins) return Fail(ins.error());
      if (auto r = BindAndInsertUnit(*ins, unit, false); !r) {
        if (r.error().code == "store.duplicate") {
          return Fail(Error::Conflict("unit.duplicate_code",
                                      "a unit with code '" + unit.code +
                                          "' already exists at that level: choose another code"));
        }
        return r;
      }
      auto last = db.LastInsertId();
      if (!last) return Fail(last.error());
      id = *last;
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
      if (db.Changes() == 0) {
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

  Status Backup(const std::string& dest_path) override { return backup_(readers_, dest_path); }

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

  uint64_t WaitForData(uint64_t seen, std::chrono::milliseconds timeout) override {
    return writer_.WaitForChange(seen, timeout);
  }

  Result<bool> TakeLease(const std::string& name, const std::string& holder, const std::string& now,
                         const std::string& until) override {
    bool held = false;
    auto s = writer_.Submit(
        [&](Db& db) -> Status {
          auto r = Execute(
              db,
              "INSERT INTO lease (name, holder, until) VALUES (?1, ?2, ?4) ON CONFLICT(name) DO "
              "UPDATE SET holder = excluded.holder, until = excluded.until WHERE lease.holder = "
              "excluded.holder OR lease.until < ?3",
              [&](Statement& st) { st.Bind(1, name).Bind(2, holder).Bind(3, now).Bind(4, until); });
          held = db.Changes() > 0;
          return r;
        },
        false);
    if (!s) return Fail(s.error());
    return held;
  }

  Result<Figures> figures() override {
    Figures f;
    std::tie(f.read_connections, f.read_connections_idle) = readers_.counts();
    auto lease = readers_.Acquire();
    if (!lease) return Fail(lease.error());
    if (lease->db().backend() == Backend::kSqlite) {
      f.backend = "sqlite";
      return f;
    }
    f.backend = "postgresql";
    auto st = lease->db().Prepare(
        "SELECT count(*), coalesce(max(extract(epoch FROM coalesce(replay_lag, "
        "interval '0'))), 0) FROM pg_stat_replication");
    if (!st) return Fail(st.error());
    auto row = st->Step();
    if (!row) return Fail(row.error());
    f.standbys = static_cast<int>(st->Int(0));
    f.replication_lag_seconds = st->Double(1);
    return f;
  }

  Result<bool> empty() override {
    auto n = Read<std::vector<int64_t>>(
        "SELECT (SELECT count(*) FROM unit) + (SELECT count(*) FROM account) + "
        "(SELECT count(*) FROM catalog_entry) + (SELECT count(*) FROM dataset) + "
        "(SELECT count(*) FROM audit_entry)",
        [](const Statement& st, std::vector<int64_t>& out) { out.push_back(st.Int(0)); });
    if (!n) return Fail(n.error());
    return n->empty() || n->front() == 0;
  }

  Result<std::vector<TableSum>> CopyTo(Store& target) override {
    auto* to = dynamic_cast<SqlStore*>(&target);
    if (to == nullptr) {
      return Fail(Error::Internal("store.copy_failed", "the target is not an SQL database"));
    }
    return CopyTables(readers_, to->writer_, to->readers_);
  }

  Result<std::vector<TableSum>> Checksums() override { return TableSums(readers_); }

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
  BackupFn backup_;
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
  std::jthread watcher_;  // stopped before the writer it tells
};

}  // namespace

std::unique_ptr<Store> MakeStore(std::string path, Db writer, ReadPool::Opener readers,
                                 int read_connections, int version, BackupFn backup,
                                 const WatchFn& watch) {
  return std::make_unique<SqlStore>(std::move(path), std::move(writer), std::move(readers),
                                    read_connections, version, std::move(backup), watch);
}

}  // namespace sql

bool Store::IsServer(const std::string& db) {
  return postgres::IsConnectionString(db);
}

Status Store::Erase(const std::string& db) {
  if (postgres::IsConnectionString(db)) return postgres::Erase(db);
  return sqlite::Erase(db);
}

Result<std::unique_ptr<Store>> Store::Open(const std::string& path, OpenOptions options) {
  if (postgres::IsConnectionString(path)) return postgres::OpenStore(path, options);
  return sqlite::OpenStore(path, options);
}

}  // namespace pdh::store
