// The store's connections and statements: SQLite's C API, or a PostgreSQL connection.
#include "store/sql/db.h"

#include <charconv>
#include <string>
#include <utility>

#include "store/postgres/pg.h"

namespace pdh::store::sql {

Result<Db> Db::Open(const std::string& path, int flags) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  Db db(raw);  // owns the handle even when opening failed
  if (rc != SQLITE_OK) {
    return Fail(Error::Internal("store.open_failed",
                                "cannot open database '" + path + "': " + sqlite3_errstr(rc)));
  }
  sqlite3_busy_timeout(raw, 10000);
  sqlite3_extended_result_codes(raw, 1);
  return db;
}

Result<Db> Db::Connect(const std::string& url) {
  auto c = postgres::Connection::Open(url);
  if (!c) return Fail(c.error());
  Db db;
  db.pg_ = std::move(*c);
  return db;
}

Db::Db() = default;
Db::Db(sqlite3* db) : db_(db) {}
Db::Db(Db&& o) noexcept : db_(o.db_), pg_(std::move(o.pg_)), hook_(std::move(o.hook_)) {
  o.db_ = nullptr;
}

Db& Db::operator=(Db&& o) noexcept {
  if (this != &o) {
    if (db_) sqlite3_close_v2(db_);
    db_ = o.db_;
    o.db_ = nullptr;
    pg_ = std::move(o.pg_);
    hook_ = std::move(o.hook_);
  }
  return *this;
}

Db::~Db() {
  if (db_) sqlite3_close_v2(db_);
}

Error Db::LastError(std::string_view what) const {
  if (pg_) return Error::Internal("store.postgresql", std::string(what) + " failed");
  return Error::Internal("store.sqlite",
                         std::string(what) + ": " + (db_ ? sqlite3_errmsg(db_) : "no database"));
}

int64_t Db::Changes() const {
  return pg_ ? pg_->changes() : sqlite3_changes64(db_);
}

Result<int64_t> Db::LastInsertId() {
  if (pg_) return pg_->LastInsertId();
  return sqlite3_last_insert_rowid(db_);
}

Status Db::SyncIds(std::string_view table) {
  if (!pg_) return Ok();
  const std::string t(table);
  return Exec("SELECT setval(pg_get_serial_sequence('" + t + "', 'id'), " +
              "coalesce((SELECT max(id) FROM " + t + "), 0) + 1, false)");
}

void Db::OnWrite(WriteHook hook, void* context) {
  if (pg_) {
    pg_->OnWrite(hook, context);
    return;
  }
  struct Hook {
    static void Row(void* self, int /*op*/, const char* /*db*/, const char* table,
                    sqlite3_int64 /*rowid*/) {
      auto* h = static_cast<std::pair<WriteHook, void*>*>(self);
      h->first(h->second, table);
    }
  };
  hook_ = std::make_unique<std::pair<WriteHook, void*>>(hook, context);
  sqlite3_update_hook(db_, &Hook::Row, hook_.get());
}

bool Db::EnsureConnected() {
  if (!pg_ || !pg_->broken()) return true;
  return pg_->Reconnect();
}

int64_t Db::DataVersion() {
  if (pg_) return pg_->DataVersion();
  auto v = Prepare("PRAGMA data_version");
  if (!v) return 0;
  if (auto row = v->Step(); !row || !*row) return 0;
  return v->Int(0);
}

Status Db::Exec(std::string_view sql) {
  if (pg_) return pg_->Exec(sql);
  std::string s(sql);
  char* err = nullptr;
  if (sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    return Fail(Error::Internal("store.sqlite", msg));
  }
  return Ok();
}

Result<Statement> Db::Prepare(std::string_view sql) {
  if (pg_) {
    auto st = pg_->Prepare(sql);
    if (!st) return Fail(st.error());
    return Statement(std::move(*st));
  }
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr) !=
      SQLITE_OK) {
    return Fail(LastError("prepare"));
  }
  return Statement(stmt);
}

Statement::Statement() = default;
Statement::Statement(sqlite3_stmt* s) : stmt_(s) {}
Statement::Statement(std::unique_ptr<postgres::Statement> s) : pg_(std::move(s)) {}
Statement::Statement(Statement&& o) noexcept : stmt_(o.stmt_), pg_(std::move(o.pg_)) {
  o.stmt_ = nullptr;
}

Statement& Statement::operator=(Statement&& o) noexcept {
  if (this != &o) {
    if (stmt_) sqlite3_finalize(stmt_);
    stmt_ = o.stmt_;
    o.stmt_ = nullptr;
    pg_ = std::move(o.pg_);
  }
  return *this;
}

Statement::~Statement() {
  if (stmt_) sqlite3_finalize(stmt_);
}

Statement& Statement::Bind(int i, int64_t v) {
  if (pg_) {
    pg_->Bind(i, std::to_string(v));
  } else {
    sqlite3_bind_int64(stmt_, i, v);
  }
  return *this;
}
Statement& Statement::Bind(int i, double v) {
  if (pg_) {
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    pg_->Bind(i, ec == std::errc() ? std::string(buf, end) : std::string("NaN"));
  } else {
    sqlite3_bind_double(stmt_, i, v);
  }
  return *this;
}
Statement& Statement::Bind(int i, std::string_view v) {
  if (pg_) {
    pg_->Bind(i, std::string(v));
  } else {
    sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  }
  return *this;
}
Statement& Statement::BindStatic(int i, std::string_view v) {
  if (pg_) {
    pg_->Bind(i, std::string(v));
  } else {
    sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
  }
  return *this;
}
Statement& Statement::BindBlob(int i, std::string_view bytes) {
  if (pg_) {
    pg_->Bind(i, std::string(bytes), true);
  } else {
    sqlite3_bind_blob64(stmt_, i, bytes.data(), bytes.size(), SQLITE_TRANSIENT);
  }
  return *this;
}
Statement& Statement::BindNull(int i) {
  if (pg_) {
    pg_->BindNull(i);
  } else {
    sqlite3_bind_null(stmt_, i);
  }
  return *this;
}

int Statement::ParamCount() const {
  return pg_ ? pg_->param_count() : sqlite3_bind_parameter_count(stmt_);
}

Result<bool> Statement::Step() {
  if (pg_) return pg_->Step();
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  sqlite3* db = sqlite3_db_handle(stmt_);
  int ext = sqlite3_extended_errcode(db);
  std::string msg = sqlite3_errmsg(db);
  if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY) {
    return Fail(Error::Conflict("store.duplicate", msg));
  }
  return Fail(Error::Internal("store.sqlite", msg));
}

Status Statement::Run() {
  for (;;) {
    auto r = Step();
    if (!r) return Fail(r.error());
    if (!*r) break;
  }
  Reset();
  return Ok();
}

void Statement::Reset() {
  if (pg_) {
    pg_->Reset();
    return;
  }
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

Statement::Type Statement::ColumnType(int col) const {
  if (pg_) return static_cast<Type>(pg_->ColumnType(col));
  switch (sqlite3_column_type(stmt_, col)) {
    case SQLITE_NULL:
      return Type::kNull;
    case SQLITE_INTEGER:
      return Type::kInteger;
    case SQLITE_FLOAT:
      return Type::kReal;
    case SQLITE_BLOB:
      return Type::kBlob;
    default:
      return Type::kText;
  }
}

bool Statement::IsNull(int col) const {
  if (pg_) return pg_->IsNull(col);
  return sqlite3_column_type(stmt_, col) == SQLITE_NULL;
}
int64_t Statement::Int(int col) const {
  if (pg_) return pg_->Int(col);
  return sqlite3_column_int64(stmt_, col);
}
double Statement::Double(int col) const {
  if (pg_) return pg_->Double(col);
  return sqlite3_column_double(stmt_, col);
}
std::string Statement::Text(int col) const {
  if (pg_) return std::string(pg_->Text(col));
  const auto* p = sqlite3_column_text(stmt_, col);
  int n = sqlite3_column_bytes(stmt_, col);
  return p ? std::string(reinterpret_cast<const char*>(p), static_cast<size_t>(n)) : std::string();
}
std::string_view Statement::Blob(int col) const {
  if (pg_) return pg_->Blob(col);
  const void* p = sqlite3_column_blob(stmt_, col);
  const int n = sqlite3_column_bytes(stmt_, col);
  return p ? std::string_view(static_cast<const char*>(p), static_cast<size_t>(n))
           : std::string_view();
}
std::optional<int64_t> Statement::OptInt(int col) const {
  if (IsNull(col)) return std::nullopt;
  return Int(col);
}
std::optional<double> Statement::OptDouble(int col) const {
  if (IsNull(col)) return std::nullopt;
  return Double(col);
}
std::optional<std::string> Statement::OptText(int col) const {
  if (IsNull(col)) return std::nullopt;
  return Text(col);
}

}  // namespace pdh::store::sql
