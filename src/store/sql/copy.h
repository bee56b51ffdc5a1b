// A database copied to another, of either backend, and its tables' checksums. Private to the
// store.
#pragma once

#include <vector>

#include "core/error.h"
#include "store/sql/connections.h"
#include "store/store.h"

namespace pdh::store::sql {

// Each table's rows and checksum (Store::Checksums).
Result<std::vector<Store::TableSum>> TableSums(ReadPool& pool);

// Copies every table `from` reads to the database `to` writes (Store::CopyTo).
Result<std::vector<Store::TableSum>> CopyTables(ReadPool& from, Writer& to, ReadPool& to_readers);

}  // namespace pdh::store::sql
