// The SQLite schema as forward-only migrations: migration N takes user_version N-1 to N.
// Never edit a released migration; append a new one.
#pragma once

#include <string>
#include <string_view>

#include "core/error.h"
#include "store/sql/db.h"

namespace pdh::store::sql {

// How many migrations there are: the schema version of a database this pdh made.
size_t MigrationCount();

// The statement that indexes a dataset's history by batch.
std::string DatasetHistoryBatchIndex(std::string_view dataset);

// How a backend keeps its schema version: the query that reads it, and the statement that
// records version `v` (run in the migration's transaction).
struct SchemaVersion {
  std::string_view read;
  std::string (*write)(size_t v);
  std::string_view begin;  // the statement that starts a migration's transaction
};

// Applies the migrations the database lacks, each in a transaction of its own. Errors:
// store.newer_schema (a newer pdh wrote it), store.migration_failed.
Status Migrate(Db& db, const SchemaVersion& version);

}  // namespace pdh::store::sql
