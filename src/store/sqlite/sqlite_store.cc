// The SQLite backend: WAL, one writer thread with group commit, a pool of read connections.
#include <sqlite3.h>

#include <filesystem>
#include <string>
#include <utility>

#include "core/text.h"
#include "store/sql/connections.h"
#include "store/sql/db.h"
#include "store/sql/migrations.h"
#include "store/sql/sql_store.h"

namespace pdh::store::sqlite {
namespace {

using sql::Db;
using sql::ReadPool;

constexpr int kWriteFlags = SQLITE_OPEN_READWRITE;
constexpr int kReadFlags = SQLITE_OPEN_READONLY;

// pdh_fold(text): the diacritic-insensitive search key of core/text.h, for searches in SQL.
void FoldFunction(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  if (argc != 1 || sqlite3_value_type(argv[0]) == SQLITE_NULL) {
    sqlite3_result_null(ctx);
    return;
  }
  const auto* p = reinterpret_cast<const char*>(sqlite3_value_text(argv[0]));
  const std::string folded =
      text::Fold(std::string_view(p, static_cast<size_t>(sqlite3_value_bytes(argv[0]))));
  sqlite3_result_text(ctx, folded.data(), static_cast<int>(folded.size()), SQLITE_TRANSIENT);
}

Status Configure(Db& db, bool writer) {
  sqlite3_create_function(db.raw(), "pdh_fold", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr,
                          FoldFunction, nullptr, nullptr);
  if (writer) {
    if (auto s = db.Exec("PRAGMA cache_size=-65536;"); !s) return s;
    if (auto s = db.Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"); !s) return s;
  }
  return db.Exec("PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;");
}

// SQLite keeps the schema version in the file's header (PRAGMA user_version).
std::string WriteUserVersion(size_t v) {
  return "PRAGMA user_version=" + std::to_string(v);
}
constexpr sql::SchemaVersion kUserVersion{"PRAGMA user_version", WriteUserVersion,
                                          "BEGIN IMMEDIATE"};

Status Backup(ReadPool& readers, const std::string& dest_path) {
  if (std::filesystem::exists(dest_path)) {
    return Fail(
        Error::Conflict("backup.exists", "'" + dest_path + "' already exists: choose a new file"));
  }
  auto lease = readers.Acquire();
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

}  // namespace

Result<std::unique_ptr<Store>> OpenStore(const std::string& path, const OpenOptions& options) {
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
  if (auto s = sql::Migrate(*db, kUserVersion); !s) return Fail(s.error());
  const int version = static_cast<int>(sql::MigrationCount());
  ReadPool::Opener readers = [path]() -> Result<Db> {
    auto r = Db::Open(path, kReadFlags);
    if (!r) return Fail(r.error());
    if (auto s = Configure(*r, false); !s) return Fail(s.error());
    return r;
  };
  return sql::MakeStore(path, std::move(*db), std::move(readers), options.read_connections, version,
                        Backup);
}

Status Erase(const std::string& path) {
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix, ec);
  if (ec) {
    return Fail(
        Error::Internal("store.erase_failed", "cannot remove '" + path + "': " + ec.message()));
  }
  return Ok();
}

}  // namespace pdh::store::sqlite
