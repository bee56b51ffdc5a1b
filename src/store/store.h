// The store: the only place pdh speaks SQL. Modules above it call typed operations; the
// backend (SQLite today, PostgreSQL later) decides how they become statements.
//
// Each area has a header of its own (store/units.h, store/settings.h, store/identity.h,
// store/audit.h, store/catalog.h, store/outbox.h, store/datasets.h, store/index.h,
// store/tracker.h, store/link.h, store/report.h, store/share.h, store/engine.h) with its rows and
// an abstract class; a module includes and is given only the areas it uses, so a change to one
// area's rows recompiles only its users. This header gathers them for what opens the database and
// hands the areas out (the backends, the command line's opener, the HTTP API's context).
//
// Thread-safety: a Store and each of its areas are safe to use from many threads. Reads run
// concurrently on a pool of read connections; writes are queued to one writer thread that
// commits them in groups (group commit), each write isolated by a savepoint so one failing
// write does not undo the others.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/error.h"
#include "store/audit.h"
#include "store/catalog.h"
#include "store/datasets.h"
#include "store/engine.h"
#include "store/identity.h"
#include "store/index.h"
#include "store/link.h"
#include "store/outbox.h"
#include "store/report.h"
#include "store/settings.h"
#include "store/share.h"
#include "store/tracker.h"
#include "store/units.h"

namespace pdh::store {

struct OpenOptions {
  bool create = true;        // create the file when missing
  int read_connections = 4;  // size of the read pool
  // A PostgreSQL server that cannot be reached is tried again for this long before the open
  // fails (a server started with its database, or one that is failing over).
  int connect_wait_seconds = 30;
};

// The database: the units and settings areas directly, the others through their accessors.
class Store : public UnitStore, public SettingsStore {
 public:
  // Opens (or creates) the database and applies pending migrations: `path` is a SQLite file, or
  // a PostgreSQL connection string ("postgresql://user@host/db", "host=… dbname=…"; several
  // hosts and target_session_attrs=read-write follow a fail-over).
  // Errors: store.open_failed, store.unreachable, store.newer_schema (the database was written by
  // a newer pdh).
  static Result<std::unique_ptr<Store>> Open(const std::string& path, OpenOptions options = {});

  ~Store() override = default;

  // True when `db` names a PostgreSQL database rather than a SQLite file.
  static bool IsServer(const std::string& db);

  // Removes everything the database holds: the file (with its journal), or every table of the
  // PostgreSQL database's public schema. The next Open starts it afresh.
  static Status Erase(const std::string& db);

  // One table's rows: how many, and a checksum of their values that does not depend on the
  // backend or on the rows' order.
  struct TableSum {
    std::string table;
    int64_t rows = 0;
    uint64_t checksum = 0;
  };

  // Schema version after migrations.
  virtual int schema_version() const = 0;

  // Online backup to `dest_path` (must not exist) while readers and writers go on.
  virtual Status Backup(const std::string& dest_path) = 0;

  // True when a read round-trip to the database succeeds (for /readyz).
  virtual bool healthy() = 0;

  // Takes or renews the lease `name` for `holder` until `until` (times as ISO text): true when
  // `holder` has it, because it held it or the last holder's ran out before `now`. Several
  // servers on one database run a job once: the one that holds its lease.
  virtual Result<bool> TakeLease(const std::string& name, const std::string& holder,
                                 const std::string& now, const std::string& until) = 0;

  // What /metrics tells of the database: its read connections, and on PostgreSQL its streaming
  // standbys and how far the furthest is behind.
  struct Figures {
    std::string backend;  // "sqlite" | "postgresql"
    int read_connections = 0;
    int read_connections_idle = 0;
    int standbys = 0;
    double replication_lag_seconds = 0;
  };
  virtual Result<Figures> figures() = 0;

  // True when the database holds no units, accounts, catalog entries, datasets or audit entries.
  virtual Result<bool> empty() = 0;

  // Copies every table into `target`, an empty database of either backend: the tables the
  // target lacks (the datasets' own) are created alike, and each row keeps its key. Returns each
  // table's rows and checksum as read from this database.
  virtual Result<std::vector<TableSum>> CopyTo(Store& target) = 0;

  // Each table's rows and checksum, as CopyTo reports them.
  virtual Result<std::vector<TableSum>> Checksums() = 0;

  // A number that grows with every commit of data the pages read: by this process (every table
  // but the sign-in activity, the audit log and the outbox), before the write returns; by
  // another process on the same file, within half a second. Answers kept for a generation are
  // current while it stays the same.
  virtual uint64_t data_generation() const = 0;

  // Waits until data_generation() is other than `seen`, or `timeout` passed; returns it. A
  // commit by another server on the same PostgreSQL database is heard at once.
  virtual uint64_t WaitForData(uint64_t seen, std::chrono::milliseconds timeout) = 0;

  virtual IdentityStore& identity() = 0;
  virtual AuditStore& audit() = 0;
  virtual CatalogStore& catalog() = 0;
  virtual TrackerStore& tracker() = 0;
  virtual OutboxStore& outbox() = 0;
  virtual DatasetStore& datasets() = 0;
  virtual IndexStore& index() = 0;
  virtual LinkStore& link() = 0;
  virtual ReportStore& reports() = 0;
  virtual ShareStore& share() = 0;
  virtual EngineStore& engine() = 0;
  // The database file's path ("" for in-memory databases).
  virtual const std::string& path() const = 0;
};

}  // namespace pdh::store
