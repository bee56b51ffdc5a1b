// The store over SQL, shared by the SQLite and PostgreSQL backends. Private to the store.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "core/error.h"
#include "store/sql/connections.h"
#include "store/sql/db.h"
#include "store/store.h"

namespace pdh::store {
namespace sql {

// Backs the database up to a destination (a file for SQLite).
using BackupFn = std::function<Status(ReadPool& readers, const std::string& dest)>;

// A thread that tells the writer of other processes' commits (Writer::Others) until it is asked
// to stop; none when the writer sees them itself.
using WatchFn = std::function<std::jthread(Writer& writer)>;

// The store on an open, migrated database: `writer` runs the writes, `readers` opens a read
// connection when the pool has none idle.
std::unique_ptr<Store> MakeStore(std::string path, Db writer, ReadPool::Opener readers,
                                 int read_connections, int version, BackupFn backup,
                                 const WatchFn& watch = nullptr);

}  // namespace sql

namespace sqlite {
Result<std::unique_ptr<Store>> OpenStore(const std::string& path, const OpenOptions& options);
Status Erase(const std::string& path);
}  // namespace sqlite

namespace postgres {
Result<std::unique_ptr<Store>> OpenStore(const std::string& url, const OpenOptions& options);
Status Erase(const std::string& url);
}  // namespace postgres

}  // namespace pdh::store
