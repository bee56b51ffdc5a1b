// What the store's tests share: a store of their own, opened in a fresh directory for each test
// and removed after it; and the switch that runs them on PostgreSQL instead of SQLite.
//
// PDH_TEST_BACKEND=postgresql: each database a test opens by a file name is a database of its
// own in a PostgreSQL cluster the test process creates (initdb, as the unprivileged user
// 'postgres' when run as root), listening on 127.0.0.1 and a socket in its directory on a free
// port, and stops at its end.
#pragma once

#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sqlite3.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "store/store.h"

namespace pdh::store::testing {

inline bool OnPostgres() {
  const char* b = std::getenv("PDH_TEST_BACKEND");
  return b != nullptr && std::string(b) == "postgresql";
}

// A throwaway PostgreSQL cluster, started on first use and stopped when the process ends.
class PostgresCluster {
 public:
  static PostgresCluster& Get() {
    static PostgresCluster cluster("pg");
    return cluster;
  }

  // A cluster of its own, named `name` in its directory's name (a primary, say), durable when
  // `durable` (fsync on: what a fail-over test kills must have been written), with `conf` added
  // to its settings ("-c name=value ...").
  explicit PostgresCluster(const std::string& name, bool durable = false,
                           const std::string& conf = "")
      : PostgresCluster(name, durable, conf, nullptr) {}

  // A standby of `primary`, made by pg_basebackup and streaming from it under the name
  // `name` (for synchronous_standby_names).
  PostgresCluster(const std::string& name, const PostgresCluster& primary)
      : PostgresCluster(name, true, "", &primary) {}

  // kill -9 of the server's postmaster: it ends at once, whatever it was doing.
  void Kill() {
    std::ifstream pid_file(dir_ / "data" / "postmaster.pid");
    pid_t pid = 0;
    if (pid_file >> pid && pid > 0) ::kill(pid, SIGKILL);
    started_ = false;
  }
  // A standby made the primary.
  bool Promote() {
    return std::system(
               As(Bin("pg_ctl") + " promote -w -D " + (dir_ / "data").string() + " >/dev/null 2>&1")
                   .c_str()) == 0;
  }
  // A database named `name` (not a copy: the cluster's own name for it).
  std::string CreateNamed(const std::string& name) {
    Run("CREATE DATABASE " + name);
    return Url(name);
  }

  // A new, empty database (a copy of `from` when given), as a connection string.
  std::string Create(const std::string& hint, const std::string& from = "") {
    std::string name = "t" + std::to_string(++count_) + "_";
    for (char c : hint) {
      if (name.size() >= 60) break;
      name += std::isalnum(static_cast<unsigned char>(c)) != 0
                  ? static_cast<char>(std::tolower(static_cast<unsigned char>(c)))
                  : '_';
    }
    // FILE_COPY: the files copied as they are, not each page through the WAL (PostgreSQL 15's
    // default), a fifth of the time for a copy of the demo.
    Run("CREATE DATABASE " + name + (from.empty() ? "" : " TEMPLATE " + NameOf(from)) +
        " STRATEGY FILE_COPY");
    return Url(name);
  }
  void Drop(const std::string& url) {
    Run("DROP DATABASE IF EXISTS " + NameOf(url) + " WITH (FORCE)");
  }
  std::string Url(const std::string& name) const {
    return "postgresql://pdh@127.0.0.1:" + std::to_string(port_) + "/" + name;
  }
  static std::string NameOf(const std::string& url) { return url.substr(url.rfind('/') + 1); }
  int port() const { return port_; }
  const std::filesystem::path& dir() const { return dir_; }

  // A command as the cluster's owner.
  std::string As(const std::string& command) const {
    return ::geteuid() == 0 ? "runuser -u postgres -- " + command : command;
  }

  ~PostgresCluster() {
    if (started_) {
      (void)std::system(As(Bin("pg_ctl") + " stop -m immediate -D " + (dir_ / "data").string() +
                           " >/dev/null 2>&1")
                            .c_str());
    }
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

 private:
  PostgresCluster(const std::string& name, bool durable, const std::string& conf,
                  const PostgresCluster* primary) {
    dir_ =
        std::filesystem::temp_directory_path() / ("pdh-" + name + "-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    if (::geteuid() == 0) {
      if (const passwd* pw = ::getpwnam("postgres")) {
        (void)::chown(dir_.c_str(), pw->pw_uid, pw->pw_gid);
      }
    }
    port_ = FreePort();
    const std::string data = (dir_ / "data").string();
    const std::string log = (dir_ / "log").string();
    const std::string make =
        primary == nullptr
            ? Bin("initdb") + " -D " + data + " -A trust -U pdh -E UTF8 --locale=C.UTF-8 --no-sync"
            : Bin("pg_basebackup") + " -D " + data + " -h 127.0.0.1 -p " +
                  std::to_string(primary->port()) + " -U pdh -R -X stream -c fast -d \"" +
                  "application_name=" + name + "\"";
    if (std::system(As(make + " >" + log + " 2>&1").c_str()) != 0) {
      ADD_FAILURE() << "making the cluster failed: see " << log;
      return;
    }
    const std::string options =
        "-c listen_addresses=127.0.0.1 -c port=" + std::to_string(port_) +
        " -c unix_socket_directories=" + dir_.string() +
        (durable ? std::string(" -c wal_level=replica -c max_wal_senders=4")
                 : std::string(" -c fsync=off -c synchronous_commit=off -c full_page_writes=off")) +
        " -c max_connections=300 -c shared_buffers=128MB " + conf;
    if (std::system(As(Bin("pg_ctl") + " start -w -t 60 -D " + data + " -l " + log +
                       ".server -o \"" + options + "\" >/dev/null 2>&1")
                        .c_str()) != 0) {
      ADD_FAILURE() << "the PostgreSQL server did not start: see " << log << ".server";
      return;
    }
    started_ = true;
  }

  static std::string Bin(const std::string& tool) {
    for (const char* dir : {"/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/16/bin",
                            "/usr/lib/postgresql/17/bin"}) {
      if (std::filesystem::exists(std::string(dir) + "/" + tool))
        return std::string(dir) + "/" + tool;
    }
    return tool;
  }

  static int FreePort() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    int port = 0;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
      port = ntohs(addr.sin_port);
    }
    ::close(fd);
    return port;
  }

  void Run(const std::string& sql) {
    std::lock_guard lock(mu_);
    PGconn* c = PQconnectdb(Url("postgres").c_str());
    PGresult* r = PQexec(c, sql.c_str());
    const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    if (!ok) ADD_FAILURE() << sql << ": " << PQerrorMessage(c);
    PQclear(r);
    PQfinish(c);
  }

  std::filesystem::path dir_;
  int port_ = 0;
  bool started_ = false;
  std::atomic<int> count_{0};
  std::mutex mu_;
};

// Runs `sql` on the database `db` (a file, or a connection string) behind the store's back, as
// another program would; true when it succeeded.
inline bool ExecRaw(const std::string& db, const std::string& sql) {
  if (db.starts_with("postgresql://")) {
    PGconn* c = PQconnectdb(db.c_str());
    PGresult* r = PQexec(c, sql.c_str());
    const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
    PQclear(r);
    PQfinish(c);
    return ok;
  }
  sqlite3* raw = nullptr;
  bool ok = sqlite3_open(db.c_str(), &raw) == SQLITE_OK &&
            sqlite3_exec(raw, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK;
  sqlite3_close(raw);
  return ok;
}

// The rows `sql` gives on the database `db` (a file, or a connection string), each column as
// text ("" for NULL), read behind the store's back as another program would; nullopt with what
// went wrong in `error` when it failed.
inline std::optional<std::vector<std::vector<std::string>>> QueryRaw(const std::string& db,
                                                                     const std::string& sql,
                                                                     std::string* error = nullptr) {
  std::vector<std::vector<std::string>> rows;
  if (db.starts_with("postgresql://")) {
    PGconn* c = PQconnectdb(db.c_str());
    PGresult* r = PQexec(c, sql.c_str());
    const bool ok = PQresultStatus(r) == PGRES_TUPLES_OK;
    if (ok) {
      for (int i = 0; i < PQntuples(r); ++i) {
        auto& row = rows.emplace_back();
        for (int j = 0; j < PQnfields(r); ++j) row.emplace_back(PQgetvalue(r, i, j));
      }
    } else if (error) {
      *error = PQerrorMessage(c);
    }
    PQclear(r);
    PQfinish(c);
    if (!ok) return std::nullopt;
    return rows;
  }
  sqlite3* raw = nullptr;
  sqlite3_stmt* st = nullptr;
  bool ok = sqlite3_open_v2(db.c_str(), &raw, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK;
  if (ok) {
    sqlite3_busy_timeout(raw, 10000);
    ok = sqlite3_prepare_v2(raw, sql.c_str(), -1, &st, nullptr) == SQLITE_OK;
  }
  int step = SQLITE_DONE;
  while (ok && (step = sqlite3_step(st)) == SQLITE_ROW) {
    auto& row = rows.emplace_back();
    for (int j = 0; j < sqlite3_column_count(st); ++j) {
      const auto* text = sqlite3_column_text(st, j);
      row.emplace_back(text == nullptr ? "" : reinterpret_cast<const char*>(text));
    }
  }
  ok = ok && step == SQLITE_DONE;
  if (!ok && error) *error = raw ? sqlite3_errmsg(raw) : "cannot open " + db;
  sqlite3_finalize(st);
  sqlite3_close(raw);
  if (!ok) return std::nullopt;
  return rows;
}

// What to open for the database file `path`: the path itself, or on PostgreSQL a new database
// of the test cluster (a copy of `from`'s when given: a database this function returned).
inline std::string Database(const std::string& path, const std::string& from = "") {
  if (!OnPostgres()) return path;
  return PostgresCluster::Get().Create(std::filesystem::path(path).stem().string(), from);
}

class StoreTest : public ::testing::Test {
 protected:
  // `name` names the directory ("pdh-<name>-<pid>-<test>") and the database file ("<name>.db").
  explicit StoreTest(std::string name) : name_(std::move(name)) {}

  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("pdh-" + name_ + "-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    db_ = Database((dir_ / (name_ + ".db")).string());
    auto s = Store::Open(db_);
    ASSERT_TRUE(s) << s.error().message;
    store_ = std::move(*s);
  }
  void TearDown() override {
    store_.reset();
    if (OnPostgres()) PostgresCluster::Get().Drop(db_);
    std::filesystem::remove_all(dir_);
  }

  std::filesystem::path dir_;
  std::string db_;  // what the store was opened with
  std::unique_ptr<Store> store_;

 private:
  std::string name_;
};

// The codes of the rows a read returned, in order; the error's message alone when it failed.
template <class Row>
std::vector<std::string> Codes(const Result<std::vector<Row>>& rows) {
  if (!rows) return {"error: " + rows.error().message};
  std::vector<std::string> out;
  for (const auto& r : *rows) out.push_back(r.code);
  return out;
}

}  // namespace pdh::store::testing
