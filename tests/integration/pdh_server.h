// Runs the real `pdh` binary for tests: creates a demo database in a temp directory and starts
// `pdh serve` on an ephemeral loopback port.
#pragma once

#include <sys/types.h>

#include <string>

#include "integration/http_client.h"

namespace pdh::test {

class PdhServer {
 public:
  // Creates the demo database, an API token for its administrator, and starts the server
  // (rate limits off, so the suites can send many requests); aborts the test run on failure.
  // `extra_args` are added to `pdh serve`; `bin` is the pdh to run (this build's when null).
  // `database`: an empty PostgreSQL database the demo is copied into and served from (the
  // connection string the server is given).
  explicit PdhServer(const std::string& extra_args = "", const char* bin = nullptr,
                     const std::string& database = "");
  // A second server on the database of `other` (a PostgreSQL database: several servers share
  // it), the same pdh, with its administrator's credentials.
  PdhServer(const PdhServer& other, const std::string& extra_args);
  ~PdhServer();
  PdhServer(const PdhServer&) = delete;
  PdhServer& operator=(const PdhServer&) = delete;

  const std::string& host() const { return host_; }
  int port() const { return port_; }
  const std::string& dir() const { return dir_; }
  const std::string& db() const { return db_; }
  pid_t pid() const { return pid_; }
  std::string access_log() const { return dir_ + "/access.log"; }

  // Requests as the administrator (bearer token) unless the request carries its own
  // Authorization header or a Cookie.
  HttpResponse Get(const std::string& target) const;
  HttpResponse Request(const HttpRequest& r) const;
  // Without any credentials.
  HttpResponse Anonymous(const HttpRequest& r) const { return Send(host_, port_, r); }

  const std::string& admin_password() const { return admin_password_; }
  const std::string& admin_token() const { return admin_token_; }
  // Runs `pdh ARGS --db <this database>` with the server's own binary (an optimized server's
  // set-up takes no sanitized runs); returns the exit code.
  int Pdh(const std::string& args, std::string* out = nullptr) const;

  // Sends SIGTERM and waits; returns the exit status (0 when it stopped cleanly).
  int Stop();
  // kill -9: the server ends at once, whatever it was doing.
  void Kill();

 private:
  // Starts `pdh serve` on db_ and reads the port it listens on.
  void Start(const std::string& extra_args, const char* bin);

  std::string dir_;
  std::string db_;
  const char* bin_ = nullptr;  // the pdh it runs (this build's when null)
  std::string host_ = "127.0.0.1";
  int port_ = 0;
  pid_t pid_ = -1;
  std::string admin_password_;
  std::string admin_token_;
};

// Runs `pdh ARGS`, returning the exit code and what it printed on stdout.
int RunPdh(const std::string& args, std::string* out = nullptr);
// The pdh servers and commands run when no other is named: PDH_SERVER_BIN when set, else this
// build's.
const char* ServerPdhBin();
// The optimized pdh the test run hands a sanitized build (PDH_FAST_BIN), else this build's: for
// the few CLI runs that push hundreds of thousands of rows through, whose subject is the file
// they leave (a kill -9 half-way, a package round trip), not the code's memory use.
const char* FastPdhBin();
// RunPdh with FastPdhBin().
int RunFastPdh(const std::string& args, std::string* out = nullptr);

// A copy of `server`'s database made while it runs, named after `path`: on SQLite by
// `pdh backup PATH` (the file), on PostgreSQL by `pdh store copy` into a new database of the test
// cluster (its connection string). Returns what to open; "" when the copy failed (`out` says why).
std::string CopyDatabase(const PdhServer& server, const std::string& path, std::string* out);
// Runs `sql` on the database `db` (a file, or a connection string) behind pdh's back; true when
// it succeeded.
bool TamperWith(const std::string& db, const std::string& sql);

// On PostgreSQL: a new database of the test cluster holding the demo (its audit key in
// PDH_AUDIT_KEY, which the pdh commands inherit).
std::string PostgresDemoDatabase();

// Puts a fresh demo database (with its audit key) at `db` and returns what `pdh demo --json`
// printed for it. The demo is built once: by the test run (PDH_DEMO_TEMPLATE names that
// database, with DB.json beside it), else once per process; each call copies it.
std::string MakeDemo(const std::string& db);

// The server shared by the integration tests of this process.
PdhServer& SharedServer();
// Stops SharedServer if it was started; returns its exit status (0 when it was not).
int StopSharedServer();
// The server of the exhaustive matrices (every route × role × unit relation; every route × every
// invalid JSON document), on a database of its own: the optimized pdh (FastPdhBin). They check
// thousands of answers' status codes route by route; the sanitized server runs the scenarios,
// the security, ingest and index suites that exercise the same handlers.
PdhServer& MatrixServer();
// Stops MatrixServer if it was started; returns its exit status (0 when it was not).
int StopMatrixServer();

}  // namespace pdh::test
