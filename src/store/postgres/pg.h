// The PostgreSQL side of the store's connections (store/sql/db.h): one libpq connection and its
// prepared statements. Private to the store; the repositories see them only through sql::Db and
// sql::Statement, which run the same SQL on SQLite and on PostgreSQL.
//
// The repositories' SQL is SQLite's dialect kept to what both understand; ToPostgres() turns the
// rest into PostgreSQL's: ?N parameters into $N, SQLite's column types into PostgreSQL's
// (INTEGER into BIGINT, REAL into DOUBLE PRECISION, BLOB into BYTEA, an INTEGER PRIMARY KEY into
// an identity column), and the words only SQLite has (STRICT, IMMEDIATE, ifnull, rowid).
#pragma once

#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/error.h"

namespace pdh::store::postgres {

// `sql` in PostgreSQL's dialect; `params` gets the highest parameter number it uses, `used`
// which of the parameters up to it it uses.
std::string ToPostgres(std::string_view sql, int* params = nullptr,
                       std::vector<bool>* used = nullptr);

// The table an INSERT, UPDATE or DELETE writes ("" for other statements).
std::string WrittenTable(std::string_view sql);

// True for a connection string pdh opens with PostgreSQL ("postgresql://…", "postgres://…", or
// key=value pairs naming a dbname or host).
bool IsConnectionString(std::string_view db);

// The connection string without its password, for messages and logs.
std::string Redacted(std::string_view url);

class Statement;
class CopyIn;

// The channel a commit of data is announced on, to the other pdh servers on the same database.
inline constexpr const char* kDataChannel = "pdh_data";

class Connection {
 public:
  using WriteHook = void (*)(void* context, std::string_view table);

  // Errors: store.unreachable (with what libpq said, the password left out).
  static Result<std::unique_ptr<Connection>> Open(const std::string& url);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  Status Exec(std::string_view sql);
  Result<std::unique_ptr<Statement>> Prepare(std::string_view sql);
  // Rows changed by the last statement run.
  int64_t changes() const { return changes_; }
  // The identity value the last insert of this session took.
  Result<int64_t> LastInsertId();
  void OnWrite(WriteHook hook, void* context) {
    hook_ = hook;
    hook_context_ = context;
  }
  // Listens on kDataChannel; DataVersion() then counts the announcements of other sessions.
  Status Listen();
  int64_t DataVersion();
  PGconn* raw() const { return conn_; }
  bool broken() const { return PQstatus(conn_) != CONNECTION_OK; }
  // Connects again after the server closed the connection (a restart, a fail-over): the
  // prepared statements are prepared again as they are used, a LISTEN is renewed.
  bool Reconnect();

 private:
  friend class Statement;
  friend class CopyIn;
  explicit Connection(PGconn* conn) : conn_(conn) {}
  // The error of a failed result, as a store error; store.duplicate for a unique key.
  Error ResultError(PGresult* res, std::string_view what) const;
  void Wrote(std::string_view table, int64_t rows);

  PGconn* conn_;
  int64_t changes_ = 0;
  int64_t others_ = 0;
  WriteHook hook_ = nullptr;
  void* hook_context_ = nullptr;
  struct Prepared {
    std::string name;
    int params = 0;
    std::string table;  // the table it writes, if any
  };
  std::unordered_map<std::string, Prepared> prepared_;
  bool listening_ = false;
};

class Statement {
 public:
  enum class Type { kNull, kInteger, kReal, kText, kBlob };

  Statement(Connection* c, const std::string* name, int params, const std::string* table);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  int param_count() const { return static_cast<int>(values_.size()); }
  void Bind(int i, std::string value, bool binary = false);
  void BindNull(int i);
  Result<bool> Step();
  void Reset();

  Type ColumnType(int col) const;
  bool IsNull(int col) const;
  int64_t Int(int col) const;
  double Double(int col) const;
  std::string_view Text(int col) const;
  std::string_view Blob(int col) const;

 private:
  void Clear();

  Connection* c_;
  const std::string* name_;
  const std::string* table_;
  std::vector<std::string> values_;
  std::vector<char> set_;
  std::vector<int> formats_;
  PGresult* res_ = nullptr;
  int row_ = -1;
  int rows_ = 0;
  mutable std::string blob_;
};

// Rows sent to a table with COPY … FROM STDIN in its text format, a part at a time: the way
// PostgreSQL takes many rows fastest. Values go in column order, EndRow() after each row's.
// Dropped before Finish(), the copy is abandoned and nothing of it is written.
class CopyIn {
 public:
  // `table` and `columns` quoted as the SQL needs them ("t", "a, b").
  static Result<std::unique_ptr<CopyIn>> Start(Connection& c, std::string_view table,
                                               std::string_view columns);
  ~CopyIn();
  CopyIn(const CopyIn&) = delete;
  CopyIn& operator=(const CopyIn&) = delete;

  void Null();
  void Int(int64_t v);
  void Real(double v);
  void Text(std::string_view v);
  void Bytes(std::string_view v);
  // Ends a row; sends what is buffered when it has grown. Errors: what the server said.
  Status EndRow();
  // Ends the copy: the rows the server took.
  Result<int64_t> Finish();

 private:
  CopyIn(Connection& c, std::string table) : c_(c), table_(std::move(table)) {}
  void Separate();
  Status Send();

  Connection& c_;
  std::string table_;
  std::string buf_;
  bool first_ = true;  // the next value is the row's first
  bool open_ = true;
};

}  // namespace pdh::store::postgres
