// The SQLite backend: WAL, one writer thread with group commit, a pool of read connections.
#include <sqlite3.h>

#include <condition_variable>
#include <filesystem>
#include <iostream>
#include <memory>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>
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

// The WAL is checkpointed on a thread of the store's own. SQLite's automatic checkpoint runs in
// the commit that takes the WAL past 1,000 pages, and its copy and fsync made one batch in ten
// reach the screens 30–60 ms after its POST instead of 18. The writer's commits now only note the
// WAL's size (a WAL hook in place of SQLite's own), and the thread checkpoints once it is past
// the same 1,000 pages: PASSIVE, so that neither the readers nor the writer wait for it.
constexpr int kCheckpointPages = 1000;

struct Checkpoints {
  std::mutex mu;
  std::condition_variable_any cv;
  bool due = false;
};

// Past this, the writer checkpoints itself as SQLite would: under writes that never pause, the
// thread's checkpoint is always a batch behind, and a log only starts again from its beginning
// when a write finds it wholly copied.
constexpr int kWriterCheckpointPages = 8 * kCheckpointPages;

int WalHook(void* context, sqlite3* db, const char* name, int pages) {
  if (pages >= kWriterCheckpointPages) {
    sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    return SQLITE_OK;
  }
  if (pages >= kCheckpointPages) {
    auto* c = static_cast<Checkpoints*>(context);
    {
      std::lock_guard lock(c->mu);
      c->due = true;
    }
    c->cv.notify_one();
  }
  return SQLITE_OK;
}

std::jthread Checkpointer(const std::string& path, sql::Writer& writer) {
  auto db = Db::Open(path, kWriteFlags);
  if (!db) {
    // SQLite's own automatic checkpoints stay.
    std::cerr << "pdh: store: no connection to checkpoint with: " << db.error().message << "\n";
    return {};
  }
  // A connection finds the log when it first reads; until then it checkpoints nothing.
  if (auto s = db->Exec("SELECT count(*) FROM sqlite_schema"); !s) return {};
  auto state = std::make_shared<Checkpoints>();
  auto hooked = writer.Submit(
      [state](Db& w) -> Status {
        sqlite3_wal_hook(w.raw(), WalHook, state.get());
        return Ok();
      },
      false);
  if (!hooked) return {};
  return std::jthread([state, &writer, ckpt = std::move(*db)](const std::stop_token& stop) {
    for (;;) {
      {
        std::unique_lock lock(state->mu);
        state->cv.wait(lock, stop, [&] { return state->due; });
        if (stop.stop_requested()) break;
        state->due = false;
      }
      // Busy (a reader on an old snapshot) is fine: what could be copied was, the rest next time.
      sqlite3_wal_checkpoint_v2(ckpt.raw(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    }
    // SQLite's automatic checkpoints again, for the writer's last commits.
    (void)writer.Submit(
        [](Db& w) -> Status {
          sqlite3_wal_autocheckpoint(w.raw(), kCheckpointPages);
          return Ok();
        },
        false);
  });
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
                        Backup, [path](sql::Writer& writer) { return Checkpointer(path, writer); });
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
