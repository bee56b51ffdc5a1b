// The SQL every versioned register's store runs (the catalog's, the tracker's): records with
// their current version, and versions read back whole or as of a date.
#pragma once

#include <sqlite3.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.h"
#include "store/sql/connections.h"
#include "store/sql/db.h"

namespace pdh::store::sql {

// A register's record table: one row a record, with its code and current version. `columns`
// are inserted in the order a record's row is bound; `module` prefixes the error codes; `record`
// names a record in messages ("entry"), `a_record` at the start of the duplicate code's
// ("a catalog entry").
struct RecordTable {
  std::string_view table;
  std::string_view columns;
  std::string_view module;
  std::string_view record;
  std::string_view a_record;
  Error (*not_found)(const std::string& code);
};

// The record's row id when its current version is `number` - 1. Errors: `not_found`,
// <module>.version_conflict.
inline Result<int64_t> CurrentId(Db& db, const RecordTable& t, const std::string& code,
                                 int64_t number) {
  auto st = db.Prepare("SELECT id, version FROM " + std::string(t.table) + " WHERE code = ?1");
  if (!st) return Fail(st.error());
  st->Bind(1, std::string_view(code));
  auto row = st->Step();
  if (!row) return Fail(row.error());
  if (!*row) return Fail(t.not_found(code));
  if (st->Int(1) != number - 1) {
    return Fail(Error::Conflict(std::string(t.module) + ".version_conflict",
                                std::string(t.record) + " '" + code +
                                    "' was changed meanwhile (now version " +
                                    std::to_string(st->Int(1)) + "): reload it and edit again"));
  }
  return st->Int(0);
}

// Inserts the record `code`, its row's parameters bound by `bind(statement)`, and returns the new
// row's id. Errors: <module>.duplicate_code when a record with the same code is there already.
template <class Bind>
Result<int64_t> InsertRecord(Db& db, const RecordTable& t, const std::string& code, Bind bind) {
  std::string values;
  const auto n = std::count(t.columns.begin(), t.columns.end(), ',') + 1;
  for (int i = 1; i <= n; ++i) values += (i == 1 ? "?" : ",?") + std::to_string(i);
  const std::string sql = "INSERT INTO " + std::string(t.table) + " (" + std::string(t.columns) +
                          ") VALUES (" + values + ")";
  if (auto s = Execute(db, sql, bind); !s) {
    if (s.error().code != "store.duplicate") return Fail(s.error());
    return Fail(Error::Conflict(std::string(t.module) + ".duplicate_code",
                                std::string(t.a_record) + " with code '" + code +
                                    "' already exists: choose another code or update it"));
  }
  return db.LastInsertId();
}

// Replaces the record at row `id` by the parameters `bind(statement)` binds, in the order and at
// the positions InsertRecord binds them.
template <class Bind>
Status UpdateRecord(Db& db, const RecordTable& t, int64_t id, Bind bind) {
  std::string sets;
  int n = 0;
  for (std::string_view rest = t.columns; !rest.empty();) {
    const size_t comma = rest.find(',');
    std::string_view column = rest.substr(0, comma);
    while (column.starts_with(' ')) column.remove_prefix(1);
    if (n > 0) sets += ", ";
    ++n;
    sets += std::string(column) + "=?" + std::to_string(n);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
  }
  return Execute(
      db, "UPDATE " + std::string(t.table) + " SET " + sets + " WHERE id=?" + std::to_string(n + 1),
      [&](Statement& st) {
        bind(st);
        st.Bind(n + 1, id);
      });
}

// Writes version `number` of the record `code` and returns the record's row id: the first
// version inserts the record (`insert()`), a later one checks the record is at the version
// before (CurrentId) and updates it (`update(id)`); then the version itself (`add(id)`).
template <class Insert, class Update, class Add>
Result<int64_t> WriteVersion(Db& db, const RecordTable& t, const std::string& code, int64_t number,
                             Insert insert, Update update, Add add) {
  Result<int64_t> id = number == 1 ? insert() : CurrentId(db, t, code, number);
  if (!id) return id;
  if (number > 1) {
    if (auto s = update(*id); !s) return Fail(s.error());
  }
  if (auto s = add(*id); !s) return Fail(s.error());
  return id;
}

// Where a register keeps its records' versions: `select` reads version rows (`v`) joined to
// their records, ending in a space; `code` is the record's code column ("e.code"); `table` the
// version table and `record_id` its column naming the record.
struct VersionTable {
  std::string_view select;
  std::string_view code;
  std::string_view table;
  std::string_view record_id;
};

// Adds a version of the record at row `id`: `columns` are the version table's columns after the
// one naming the record, their values bound by `bind(statement)` from ?2 on.
template <class Bind>
Status InsertVersionRow(Db& db, const VersionTable& t, std::string_view columns, int64_t id,
                        Bind bind) {
  std::string values = "?1";
  const auto n = std::count(columns.begin(), columns.end(), ',') + 1;
  for (int i = 2; i <= n + 1; ++i) values += ",?" + std::to_string(i);
  return Execute(db,
                 "INSERT INTO " + std::string(t.table) + " (" + std::string(t.record_id) + ", " +
                     std::string(columns) + ") VALUES (" + values + ")",
                 [&](Statement& st) {
                   st.Bind(1, id);
                   bind(st);
                 });
}

// A record's versions, oldest first.
inline Sql VersionsOf(const VersionTable& t, const std::string& code) {
  Sql sql{std::string(t.select), {}};
  sql.Where(std::string(t.code) + " = ?", code);
  sql.text += " ORDER BY v.number";
  return sql;
}

// The version of every record in force on `as_of`, by code. Effective dates never go back from
// one version to the next, so the latest version effective by `as_of` is the one with the
// greatest number.
inline Sql VersionsAsOf(const VersionTable& t, const std::string& as_of) {
  const std::string id(t.record_id);
  return {std::string(t.select) + "JOIN (SELECT " + id + ", max(number) AS n FROM " +
              std::string(t.table) + " WHERE effective_date <= ?1 GROUP BY " + id + ") m ON m." +
              id + " = v." + id + " AND m.n = v.number ORDER BY " + std::string(t.code),
          {as_of}};
}

}  // namespace pdh::store::sql
