// The store's connections and statements, on SQLite or on PostgreSQL: the repositories run the
// same SQL on either (store/postgres/pg.h says which dialect). Private to the store.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "core/error.h"

namespace pdh::store::postgres {
class Connection;
class Statement;
}  // namespace pdh::store::postgres

namespace pdh::store::sql {

class Statement;

enum class Backend { kSqlite, kPostgres };

// One connection. Not thread-safe: owned by one thread at a time (the writer, or a reader
// checked out of the pool).
class Db {
 public:
  using WriteHook = void (*)(void* context, std::string_view table);

  // A SQLite file.
  static Result<Db> Open(const std::string& path, int flags);
  // A PostgreSQL database. Errors: store.unreachable.
  static Result<Db> Connect(const std::string& url);
  Db();
  Db(Db&& o) noexcept;
  Db& operator=(Db&& o) noexcept;
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;
  ~Db();

  explicit operator bool() const { return db_ != nullptr || pg_ != nullptr; }
  Backend backend() const { return pg_ ? Backend::kPostgres : Backend::kSqlite; }

  // Runs one or more statements without results.
  Status Exec(std::string_view sql);
  Result<Statement> Prepare(std::string_view sql);
  // Rows changed by the last statement.
  int64_t Changes() const;
  // The key the last insert into a table with an INTEGER PRIMARY KEY gave its row.
  Result<int64_t> LastInsertId();
  // After rows were inserted into `table` with their ids given: the next id taken without one
  // follows the largest (PostgreSQL's identity columns do not see given ids).
  Status SyncIds(std::string_view table);
  // `hook(context, table)` for the writes of this connection: each row (SQLite) or each
  // statement that changed rows (PostgreSQL).
  void OnWrite(WriteHook hook, void* context);
  // A number that changes when another connection commits.
  int64_t DataVersion();
  // PostgreSQL: connects again when the server closed the connection; true when it is usable.
  bool EnsureConnected();
  sqlite3* raw() const { return db_; }  // SQLite only
  postgres::Connection* pg() const { return pg_.get(); }
  Error LastError(std::string_view what) const;

 private:
  explicit Db(sqlite3* db);
  sqlite3* db_ = nullptr;
  std::unique_ptr<postgres::Connection> pg_;
  std::unique_ptr<std::pair<WriteHook, void*>> hook_;  // SQLite's update hook's argument
};

class Statement {
 public:
  enum class Type { kNull, kInteger, kReal, kText, kBlob };

  Statement();
  explicit Statement(sqlite3_stmt* s);
  explicit Statement(std::unique_ptr<postgres::Statement> s);
  Statement(Statement&& o) noexcept;
  Statement& operator=(Statement&& o) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  // Binding is 1-based, as in SQLite.
  Statement& Bind(int i, int64_t v);
  Statement& Bind(int i, double v);
  Statement& Bind(int i, std::string_view v);
  // Like Bind, without a copy: `v` must outlive the statement's next step.
  Statement& BindStatic(int i, std::string_view v);
  Statement& BindBlob(int i, std::string_view bytes);
  Statement& BindNull(int i);
  template <class T>
  Statement& Bind(int i, const std::optional<T>& v) {
    return v ? Bind(i, *v) : BindNull(i);
  }
  int ParamCount() const;

  // Steps once: true when a row is available, false when done. Errors become Error values
  // through Done()/the step result.
  Result<bool> Step();
  // Steps to completion, for statements without results.
  Status Run();
  // Ready to run again; the bindings are cleared.
  void Reset();

  Type ColumnType(int col) const;
  bool IsNull(int col) const;
  int64_t Int(int col) const;
  double Double(int col) const;
  std::string Text(int col) const;
  std::string_view Blob(int col) const;  // valid until the next step
  std::optional<int64_t> OptInt(int col) const;
  std::optional<double> OptDouble(int col) const;
  std::optional<std::string> OptText(int col) const;

 private:
  sqlite3_stmt* stmt_ = nullptr;
  std::unique_ptr<postgres::Statement> pg_;
};

}  // namespace pdh::store::sql
