// The PostgreSQL backend: the same repositories and migrations as SQLite's, on libpq
// connections; one writer connection with group commit, a pool of read connections, and the
// commits of other pdh servers on the same database announced by NOTIFY.
#include <poll.h>

#include <chrono>
#include <cstdio>
#include <optional>
#include <string>
#include <thread>
#include <utility>

#include "core/text.h"
#include "store/postgres/pg.h"
#include "store/sql/connections.h"
#include "store/sql/db.h"
#include "store/sql/migrations.h"
#include "store/sql/sql_store.h"

namespace pdh::store::postgres {
namespace {

using sql::Db;
using sql::ReadPool;

// Any key: the migrations of several servers starting at once run one at a time.
constexpr const char* kMigrationLock = "SELECT pg_advisory_lock(5710523)";
constexpr const char* kMigrationUnlock = "SELECT pg_advisory_unlock(5710523)";

void AppendUtf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// pdh_fold(text) in SQL: core/text.h's Fold, whitespace collapsed. With the unaccent extension
// (PostgreSQL's contrib, trusted: the database's owner may create it) the diacritics go in C, at
// about the speed of SQLite's pdh_fold; without it each letter of Vietnamese and of the other
// Latin alphabets is mapped by translate() to what Fold makes of it, seven times slower.
std::string FoldFunctionSql(bool unaccent) {
  if (unaccent) {
    return "CREATE OR REPLACE FUNCTION pdh_fold(t text) RETURNS text LANGUAGE sql STABLE "
           "PARALLEL SAFE AS $fold$ SELECT btrim(regexp_replace(lower(unaccent(t)), '\\s+', ' ', "
           "'g')) $fold$";
  }
  std::string from;
  std::string to;
  std::string dropped;
  auto add = [&](char32_t cp) {
    std::string letter;
    AppendUtf8(letter, cp);
    const std::string folded = text::Fold(letter);
    if (folded == letter) return;
    if (folded.empty()) {
      dropped += letter;
    } else if (folded.size() == 1) {
      from += letter;
      to += folded;
    }
  };
  for (char32_t cp = 'A'; cp <= 'Z'; ++cp) add(cp);
  for (char32_t cp = 0xC0; cp <= 0x24F; ++cp) add(cp);
  for (char32_t cp = 0x300; cp <= 0x36F; ++cp) add(cp);
  for (char32_t cp = 0x1E00; cp <= 0x1EFF; ++cp) add(cp);
  auto quote = [](const std::string& s) {
    std::string q = "'";
    for (char c : s) q += c == '\'' ? std::string("''") : std::string(1, c);
    return q + "'";
  };
  return "CREATE OR REPLACE FUNCTION pdh_fold(t text) RETURNS text LANGUAGE sql IMMUTABLE "
         "PARALLEL SAFE AS $fold$ SELECT btrim(regexp_replace(translate(t, " +
         quote(from + dropped) + ", " + quote(to) + "), '\\s+', ' ', 'g')) $fold$";
}

// PostgreSQL keeps the schema version in a table of its own.
std::string WriteSchemaTable(size_t v) {
  return "DELETE FROM pdh_schema; INSERT INTO pdh_schema (version) VALUES (" + std::to_string(v) +
         ")";
}
constexpr sql::SchemaVersion kSchemaTable{"SELECT coalesce(max(version), 0) FROM pdh_schema",
                                          WriteSchemaTable, "BEGIN"};

Status Migrate(Db& db) {
  if (auto s = db.Exec(kMigrationLock); !s) return s;
  auto run = [&]() -> Status {
    if (auto s = db.Exec("CREATE TABLE IF NOT EXISTS pdh_schema (version INTEGER NOT NULL)"); !s) {
      return s;
    }
    const bool unaccent = static_cast<bool>(db.Exec("CREATE EXTENSION IF NOT EXISTS unaccent"));
    if (auto s = db.Exec(FoldFunctionSql(unaccent)); !s) return s;
    return sql::Migrate(db, kSchemaTable);
  };
  Status s = run();
  (void)db.Exec(kMigrationUnlock);  // released with the session anyway
  return s;
}

Status Backup(ReadPool& /*readers*/, const std::string& /*dest*/) {
  return Fail(Error::BadRequest(
      "backup.postgresql",
      "a PostgreSQL database is backed up by PostgreSQL's tools: pg_basebackup with WAL "
      "archiving (point-in-time recovery) or pg_dump; see the README's section on production"));
}

// Connects, trying again while the server cannot be reached and the wait lasts.
Result<Db> ConnectWaiting(const std::string& url, int wait_seconds) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(wait_seconds);
  bool told = false;
  for (;;) {
    auto db = Db::Connect(url);
    if (db || std::chrono::steady_clock::now() >= until) return db;
    if (!told) {
      std::fprintf(stderr, "pdh: %s; trying again for up to %d s\n", db.error().message.c_str(),
                   wait_seconds);
      told = true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
}

// Listens on its own connection for the commits other servers announce, and tells the writer
// at once; a lost connection is made again (and the writer told, for what it may have missed
// meanwhile).
std::jthread Listen(const std::string& url, sql::Writer& writer) {
  return std::jthread([url, &writer](const std::stop_token& stop) {
    std::optional<Db> db;
    bool first = true;
    while (!stop.stop_requested()) {
      if (!db) {
        auto c = Db::Connect(url);
        if (!c || !c->pg()->Listen()) {
          std::this_thread::sleep_for(std::chrono::seconds(1));
          continue;
        }
        db = std::move(*c);
        if (!first) writer.Others();  // what was announced while it was away
        first = false;
      }
      PGconn* conn = db->pg()->raw();
      pollfd fd{PQsocket(conn), POLLIN, 0};
      if (::poll(&fd, 1, 250) < 0 || PQconsumeInput(conn) == 0) {
        db.reset();
        continue;
      }
      bool heard = false;
      while (PGnotify* n = PQnotifies(conn)) {
        heard = heard || writer.instance() != n->extra;
        PQfreemem(n);
      }
      if (heard) writer.Others();
    }
  });
}

}  // namespace

Result<std::unique_ptr<Store>> OpenStore(const std::string& url, const OpenOptions& options) {
  auto db = ConnectWaiting(url, options.connect_wait_seconds);
  if (!db) return Fail(db.error());
  if (auto s = Migrate(*db); !s) return Fail(s.error());
  const int version = static_cast<int>(sql::MigrationCount());
  ReadPool::Opener readers = [url]() -> Result<Db> {
    auto r = Db::Connect(url);
    if (!r) return Fail(r.error());
    if (auto s = r->Exec("SET default_transaction_read_only = on"); !s) return Fail(s.error());
    return r;
  };
  return sql::MakeStore(url, std::move(*db), std::move(readers), options.read_connections, version,
                        Backup, [url](sql::Writer& writer) { return Listen(url, writer); });
}

Status Erase(const std::string& url) {
  auto db = Db::Connect(url);
  if (!db) return Fail(db.error());
  return db->Exec("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
}

}  // namespace pdh::store::postgres
