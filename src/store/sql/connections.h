// The SQLite backend's connections: the one writer (group commit) and the read pool. Private to
// the store; each repository file (units, identity, audit, catalog) runs its statements through
// these.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "core/error.h"
#include "core/text.h"
#include "store/audit.h"
#include "store/engine.h"
#include "store/postgres/pg.h"
#include "store/report.h"
#include "store/share.h"
#include "store/sql/db.h"

namespace pdh::store {
class CatalogStore;
class DatasetStore;
class IdentityStore;
class IndexStore;
class LinkStore;
class OutboxStore;
class TrackerStore;
}  // namespace pdh::store

namespace pdh::store::sql {

using postgres::kDataChannel;

// `name` as a quoted SQL identifier (a dataset's table, whatever its code).
inline std::string Quote(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

// Appends the entry `make` computes from the last one, read on the writer's connection so it
// chains after entries pending in the same transaction; `out` gets the entry (audit_store.cc).
Status AppendAuditEntry(Db& db, const AuditScope::Make& make, AuditEntryRow& out);

// Runs writes on one connection and thread. Jobs that arrive while a transaction is being
// committed are committed together in the next one (group commit); each runs inside its own
// savepoint, so a failing job is rolled back alone and reports its own error.
class Writer {
 public:
  using Job = std::function<Status(Db&)>;

  explicit Writer(Db db) : db_(std::move(db)) {
    db_.OnWrite(&Writer::Touched, this);
    std::random_device random;
    instance_ = std::to_string(random()) + std::to_string(random());
    thread_ = std::thread([this] { Loop(); });
  }
  ~Writer() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_one();
    thread_.join();
  }

  // A number that grows with every commit of data the pages read, by this writer or by another
  // process (seen within half a second).
  uint64_t generation() const { return generation_.load(); }

  // Waits until the generation is other than `seen` or `timeout` passed; returns it.
  uint64_t WaitForChange(uint64_t seen, std::chrono::milliseconds timeout) {
    std::unique_lock lock(changed_mu_);
    changed_.wait_for(lock, timeout, [&] { return generation_.load() != seen; });
    return generation_.load();
  }

  // Another process committed data (a PostgreSQL listener heard it announced).
  void Others() { Advance(); }

  // This writer's name in its announcements, so that its listener leaves its own aside.
  const std::string& instance() const { return instance_; }

  // Blocks until `job` is committed (or failed). When an AuditScope of the calling thread is
  // pending, its entry is appended after the job, in the job's savepoint: the two commit
  // together or not at all. The audit area's own writes pass `carries_audit` false.
  Status Submit(Job job, bool carries_audit = true) {
    AuditScope* scope = carries_audit ? AuditScope::Pending() : nullptr;
    if (scope == nullptr) return Enqueue(std::move(job));
    AuditEntryRow entry;
    Status s = Enqueue([&job, scope, &entry](Db& db) -> Status {
      if (auto r = job(db); !r) return r;
      return AppendAuditEntry(db, scope->make(), entry);
    });
    if (s) scope->Committed(std::move(entry));
    return s;
  }

 private:
  struct Pending {
    Job job;
    std::promise<Status> done;
  };

  Status Enqueue(Job job) {
    std::promise<Status> done;
    auto fut = done.get_future();
    {
      std::lock_guard lock(mu_);
      queue_.push_back({std::move(job), std::move(done)});
    }
    cv_.notify_one();
    return fut.get();
  }

  // Each row written: whether it is data the pages read (not the sign-in activity, the audit
  // log, the outbox or the engine's saved state, which change without changing any answer).
  static void Touched(void* self, std::string_view name) {
    static constexpr std::string_view kNotData[] = {"session",          "api_token",  "audit_entry",
                                                    "audit_checkpoint", "outbox",     "lease",
                                                    "engine_state",     "engine_save"};
    for (std::string_view t : kNotData) {
      if (name == t) return;
    }
    static_cast<Writer*>(self)->touched_ = true;
  }

  // Commits of other processes (pdh ingest next to pdh serve, or another pdh server on the same
  // PostgreSQL database): this connection's data version changes with them only.
  void SeeOthers() {
    const int64_t version = db_.DataVersion();
    if (data_version_ != 0 && version != data_version_) Advance();
    data_version_ = version;
  }

  void Loop() {
    for (;;) {
      std::deque<Pending> batch;
      {
        std::unique_lock lock(mu_);
        // Idle, the writer looks for other processes' commits twice a second.
        if (!cv_.wait_for(lock, std::chrono::milliseconds(500),
                          [this] { return stop_ || !queue_.empty(); })) {
          lock.unlock();
          SeeOthers();
          continue;
        }
        if (queue_.empty()) return;  // stopping and drained
        batch.swap(queue_);
      }
      RunBatch(batch);
    }
  }

  void RunBatch(std::deque<Pending>& batch) {
    // A PostgreSQL server that closed the connection (restarted, failed over) is connected to
    // again; the batch in flight when it closed was told its commit failed.
    if (!db_.EnsureConnected()) {
      const Status down =
          Fail(Error::Internal("store.unreachable",
                               "the database server cannot be reached: the write was not done; "
                               "try it again"));
      for (auto& p : batch) p.done.set_value(down);
      return;
    }
    // On PostgreSQL the writers of every server on the database take turns, as SQLite's one
    // writer does: what a transaction reads to write (the audit chain's last entry, the next
    // sequence number) is not changed under it by another server's.
    const char* begin = db_.backend() == Backend::kPostgres
                            ? "BEGIN; SELECT pg_advisory_xact_lock(5710524)"
                            : "BEGIN IMMEDIATE";
    if (auto s = db_.Exec(begin); !s) {
      (void)db_.Exec("ROLLBACK");  // a BEGIN whose lock failed leaves a transaction open
      for (auto& p : batch) p.done.set_value(s);
      return;
    }
    std::vector<Status> results;
    results.reserve(batch.size());
    for (auto& p : batch) results.push_back(RunOne(p.job));
    if (touched_ && db_.backend() == Backend::kPostgres) {
      // Delivered to the other servers' listeners when (and only if) the commit is.
      (void)db_.Exec(std::string("NOTIFY ") + kDataChannel + ", '" + instance_ + "'");
    }
    Status commit = db_.Exec("COMMIT");
    if (!commit) (void)db_.Exec("ROLLBACK");  // every job is told the commit's error instead
    // Told before the writers return, so that a read after a write never gets an older answer.
    if (touched_) Advance();
    touched_ = false;
    SeeOthers();
    for (size_t i = 0; i < batch.size(); ++i) {
      batch[i].done.set_value(commit ? std::move(results[i]) : commit);
    }
  }

  void Advance() {
    {
      std::lock_guard lock(changed_mu_);
      generation_.fetch_add(1);
    }
    changed_.notify_all();
  }

  Status RunOne(const Job& job) {
    if (auto s = db_.Exec("SAVEPOINT job"); !s) return s;
    Status s = job(db_);
    // The job's own status is the one to report; a connection that cannot roll back or release
    // a savepoint fails the batch's COMMIT, which every job is then told.
    if (!s) {
      (void)db_.Exec("ROLLBACK TO job");
    }
    (void)db_.Exec("RELEASE job");
    return s;
  }

  Db db_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Pending> queue_;
  bool stop_ = false;
  bool touched_ = false;      // writer thread only
  int64_t data_version_ = 0;  // writer thread only
  std::atomic<uint64_t> generation_{1};
  std::mutex changed_mu_;
  std::condition_variable changed_;
  std::string instance_;
  std::thread thread_;  // started last, once the members it uses are there
};

// Read connections, checked out one per reading operation.
class ReadPool {
 public:
  using Opener = std::function<Result<Db>()>;
  ReadPool(Opener open, int size) : open_(std::move(open)), max_(size) {}

  class Lease {
   public:
    Lease(ReadPool* pool, Db db) : pool_(pool), db_(std::move(db)) {}
    Lease(Lease&&) = default;
    ~Lease() {
      if (db_) pool_->Return(std::move(db_));
    }
    Db& db() { return db_; }

   private:
    ReadPool* pool_;
    Db db_;
  };

  Result<Lease> Acquire() {
    {
      std::lock_guard lock(mu_);
      if (!idle_.empty()) {
        Db db = std::move(idle_.back());
        idle_.pop_back();
        return Lease(this, std::move(db));
      }
    }
    auto db = open_();
    if (!db) return Fail(db.error());
    open_count_.fetch_add(1);
    return Lease(this, std::move(*db));
  }

  // Read connections open, and of them idle.
  std::pair<int, int> counts() {
    std::lock_guard lock(mu_);
    return {open_count_.load(), static_cast<int>(idle_.size())};
  }

 private:
  void Return(Db db) {
    if (db.pg() && db.pg()->broken()) {
      open_count_.fetch_sub(1);
      return;  // the next lease connects again
    }
    std::lock_guard lock(mu_);
    if (static_cast<int>(idle_.size()) < max_) {
      idle_.push_back(std::move(db));
    } else {
      open_count_.fetch_sub(1);
    }
  }

  Opener open_;
  int max_;
  std::atomic<int> open_count_{0};
  std::mutex mu_;
  std::vector<Db> idle_;
};

// Begins a read transaction whose statements all see one snapshot: SQLite's read transaction
// is one already; PostgreSQL's default isolation reads each statement afresh.
inline Status BeginSnapshot(Db& db) {
  return db.Exec(db.backend() == Backend::kPostgres
                     ? "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY"
                     : "BEGIN");
}

// Prepares `sql`, lets `bind` set its parameters, and runs it to completion.
template <class BindFn>
Status Execute(Db& db, std::string_view sql, BindFn bind) {
  auto st = db.Prepare(sql);
  if (!st) return Fail(st.error());
  bind(*st);
  return st->Run();
}

// Runs `sql` on a pooled read connection with `args` bound as text (1-based), handing each row
// to `row(statement, out)`.
template <class Out, class RowFn, class... Args>
Result<Out> ReadRows(ReadPool& pool, std::string_view sql, RowFn row, const Args&... args) {
  auto lease = pool.Acquire();
  if (!lease) return Fail(lease.error());
  auto st = lease->db().Prepare(sql);
  if (!st) return Fail(st.error());
  int i = 0;
  (st->Bind(++i, std::string_view(args)), ...);
  Out out{};
  for (;;) {
    auto r = st->Step();
    if (!r) return Fail(r.error());
    if (!*r) break;
    row(*st, out);
  }
  return out;
}

// A statement's text with its parameters, numbered ?1, ?2, ... in the order they are added.
struct Sql {
  std::string text;
  std::vector<std::string> params;

  // Adds `condition`, whose one '?' stands for `value`.
  Sql& Where(std::string_view condition, std::string value) {
    text += params.empty() ? " WHERE " : " AND ";
    params.push_back(std::move(value));
    std::string c(condition);
    c.replace(c.find('?'), 1, "?" + std::to_string(params.size()));
    text += c;
    return *this;
  }
};

// Runs `sql` on a pooled read connection, each row read by `read(statement)`.
template <class Row, class ReadFn>
Result<std::vector<Row>> ReadAll(ReadPool& pool, const Sql& sql, ReadFn read) {
  auto lease = pool.Acquire();
  if (!lease) return Fail(lease.error());
  auto st = lease->db().Prepare(sql.text);
  if (!st) return Fail(st.error());
  for (size_t i = 0; i < sql.params.size(); ++i) {
    st->Bind(static_cast<int>(i + 1), std::string_view(sql.params[i]));
  }
  std::vector<Row> out;
  for (;;) {
    auto r = st->Step();
    if (!r) return Fail(r.error());
    if (!*r) return out;
    out.push_back(read(*st));
  }
}

// The first row `sql` reads, if any.
template <class Row, class ReadFn>
Result<std::optional<Row>> ReadFirst(ReadPool& pool, const Sql& sql, ReadFn read) {
  auto rows = ReadAll<Row>(pool, sql, read);
  if (!rows) return Fail(rows.error());
  if (rows->empty()) return std::optional<Row>();
  return std::optional<Row>(std::move(rows->front()));
}

// A store area's repository: its interface implemented over the shared writer and readers.
template <class Interface>
class Area : public Interface {
 public:
  Area(Writer& writer, ReadPool& readers) : writer_(writer), readers_(readers) {}

 protected:
  Writer& writer_;
  ReadPool& readers_;
};

// Repositories over the same connections, one file each.
std::unique_ptr<IdentityStore> MakeIdentityStore(Writer& writer, ReadPool& readers);
std::unique_ptr<AuditStore> MakeAuditStore(Writer& writer, ReadPool& readers);
std::unique_ptr<CatalogStore> MakeCatalogStore(Writer& writer, ReadPool& readers);
std::unique_ptr<TrackerStore> MakeTrackerStore(Writer& writer, ReadPool& readers);
std::unique_ptr<OutboxStore> MakeOutboxStore(Writer& writer, ReadPool& readers);
std::unique_ptr<DatasetStore> MakeDatasetStore(Writer& writer, ReadPool& readers);
std::unique_ptr<IndexStore> MakeIndexStore(Writer& writer, ReadPool& readers);
std::unique_ptr<LinkStore> MakeLinkStore(Writer& writer, ReadPool& readers);
std::unique_ptr<ReportStore> MakeReportStore(Writer& writer, ReadPool& readers);
std::unique_ptr<ShareStore> MakeShareStore(Writer& writer, ReadPool& readers);
std::unique_ptr<EngineStore> MakeEngineStore(Writer& writer, ReadPool& readers);

}  // namespace pdh::store::sql
