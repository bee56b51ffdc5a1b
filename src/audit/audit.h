// The tamper-evident audit log (M11): every write, login, failed login, permission change,
// export and read of personal fields is appended with who, what, when, from where and the
// request id. Entries are chained by SHA-256 (each hash covers the previous hash and the
// entry's canonical bytes) and covered by periodic checkpoints signed with Ed25519, so an
// auditor can verify the log offline, and retention can prune old entries while what remains
// stays verifiable from a signed checkpoint.
#pragma once

#include <boost/json/object.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/error.h"
#include "store/audit.h"

namespace pdh::audit {

struct Event {
  std::string actor;  // account name; "" when anonymous
  std::string action;
  std::string target;
  std::string remote;
  std::string request_id;
  boost::json::object detail;
};

struct Options {
  int64_t checkpoint_every = 100;                // entries between signed checkpoints
  std::chrono::minutes checkpoint_interval{10};  // or this long, whichever comes first
};

// The bytes an entry's hash covers besides the previous hash: a JSON array of seq (a number), at,
// actor, action, target, remote, request_id (strings) and detail, in that order, serialized by
// Boost.JSON without spaces. detail is the stored text parsed and serialized again, so the bytes
// do not depend on its spacing (its keys keep their order); text that is not JSON is taken as a
// JSON string. Example: [7,"2025-10-31T08:15:00.123Z","an","login","","10.0.0.1","r1",{"mfa":true}]
std::string CanonicalBytes(const store::AuditEntryRow& e);
// Hex SHA-256 of `data` (the entries' hashes; the digests of an exchange's request and answer).
std::string Sha256Hex(std::string_view data);
// Hex HMAC-SHA-256 of `data` under `key` (the signature of a notice sent to a connected system).
std::string HmacSha256Hex(std::string_view key, std::string_view data);
// hex SHA-256 of prev_hash + "\n" + CanonicalBytes(e).
std::string EntryHash(const store::AuditEntryRow& e);

struct VerifyReport;

// Appends entries and signs checkpoints. Thread-safe.
class Log {
 public:
  // Opens the signing key at `key_path` (Ed25519 secret key, hex, file mode 0600), creating it
  // and recording its public key in the store when neither exists yet. A key file that does not
  // match the recorded public key is refused (audit.key_mismatch).
  static Result<std::unique_ptr<Log>> Open(store::AuditStore& store, const Clock& clock,
                                           const std::string& key_path, Options options = {});
  // Where the key of the database `db_path` lives: $PDH_AUDIT_KEY when set, else beside a
  // SQLite file ("<db_path>.audit-key"), or for a PostgreSQL database in var/, named after the
  // database ("var/postgresql-pdh.audit-key"; every pdh server of the database needs it).
  static std::string DefaultKeyPath(const std::string& db_path);

  // Appends an entry on its own (a sign-in, a read of personal fields, a refusal); an entry
  // that records a write commits with it through a Scope (below).
  Result<store::AuditEntryRow> Append(const Event& e);
  // Signs a checkpoint at the last entry now (if it is not covered yet).
  Status Checkpoint();
  // The entries matching `q`.
  Result<std::vector<store::AuditEntryRow>> Entries(const store::AuditQuery& q);
  // Verify (below) with the public key recorded in the store.
  Result<VerifyReport> Verify();

 private:
  friend class Scope;
  Log(store::AuditStore& store, const Clock& clock, std::string secret_key, Options options);
  // The entry of `e` made now, chained after `last`.
  store::AuditEntryRow MakeEntry(const Event& e, const std::optional<store::AuditEntryRow>& last);
  // Counts an entry that committed with a write, signing a checkpoint when one is due.
  Status Counted(const store::AuditEntryRow& entry);
  // REQUIRES: mu_ held.
  Status CountedLocked(const store::AuditEntryRow& entry, TimePoint now);
  // Signs and stores a checkpoint at `last`. REQUIRES: mu_ held.
  Status CheckpointAt(const store::AuditEntryRow& last, TimePoint now);
  store::AuditStore& store_;
  const Clock& clock_;
  std::string secret_key_;  // raw 64 bytes
  Options options_;
  std::mutex mu_;
  int64_t since_checkpoint_ = 0;
  TimePoint last_checkpoint_{};
};

// The audit entry of one operation, committed in the same transaction as the operation's first
// write (store::AuditScope): kill -9 leaves both or neither. Open it before the operation
// writes; `event` is called when the entry is made, on the store's writer thread inside that
// transaction, so it may name what the write decided (a batch's id) but must not wait for the
// store. Finish() appends the entry on its own when no write carried it (a dry run, an export,
// an operation that changed nothing). Closing without Finish() after a failure appends nothing
// more. One thread's object; scopes of one thread nest (the inner one hides the outer).
class Scope {
 public:
  Scope(Log& log, std::function<Event()> event);
  Scope(Log& log, Event event);
  ~Scope();
  Scope(const Scope&) = delete;
  Scope& operator=(const Scope&) = delete;

  // The entry: the one that committed with a write, or else one appended now.
  Result<store::AuditEntryRow> Finish();

 private:
  Log& log_;
  std::function<Event()> event_;
  std::optional<store::AuditScope> store_scope_;  // empty once closed
  std::optional<store::AuditEntryRow> entry_;     // once closed: the entry, if there is one
  // Closes the store scope and counts the entry a write carried with the log (for checkpoints).
  Status Close();
};

struct VerifyReport {
  bool ok = false;
  int64_t entries = 0;
  int64_t checkpoints = 0;
  std::optional<int64_t> first_bad_seq;  // the first entry changed, deleted, inserted or moved
  std::string problem;                   // for a person: what is wrong where
};

// An entry as the API and the export show it: seq, at, actor, action, target, remote,
// request_id, detail (an object), prev_hash, hash.
boost::json::object EntryJson(const store::AuditEntryRow& e);

// Re-walks the chain and the checkpoints. The public key is the one recorded in the store
// unless `public_key_hex` is given (an auditor's own copy).
Result<VerifyReport> Verify(store::AuditStore& store,
                            const std::optional<std::string>& public_key_hex = std::nullopt);

// Writes the log for an outside verifier as JSON lines: a header {"format":"pdh-audit-1",
// "public_key":...,"hash":"sha256","canonical":...}, then {"entry":{...}} lines, then
// {"checkpoint":{...}} lines.
Status Export(store::AuditStore& store, std::ostream& out);

// Deletes entries older than `keep` (at least 90 days: audit.retention_too_short) that are
// covered by a signed checkpoint, cutting exactly at a checkpoint so the remaining chain starts
// from a signed hash. Returns how many entries were deleted.
Result<int64_t> Prune(store::AuditStore& store, const Clock& clock, std::chrono::days keep);

}  // namespace pdh::audit
