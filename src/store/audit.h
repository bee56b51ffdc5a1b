// The store's audit area (M11): the append-only, hash-chained audit log and its signed
// checkpoints.
//
// Thread-safety: all methods are thread-safe (see store/store.h).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"

namespace pdh::store {

struct AuditEntryRow {
  int64_t seq = 0;     // 1, 2, 3, ... in append order
  std::string at;      // ISO-8601 UTC with milliseconds
  std::string actor;   // account name, or "" for anonymous
  std::string action;  // "login", "login.failed", "units.update", ...
  std::string target;
  std::string remote;
  std::string request_id;
  std::string detail;     // JSON object text
  std::string prev_hash;  // hex SHA-256; 64 zeros for the first entry ever
  std::string hash;       // hex SHA-256 over prev_hash and the entry's canonical bytes
};

struct AuditCheckpointRow {
  int64_t seq = 0;   // last entry covered
  std::string hash;  // that entry's hash
  std::string at;
  std::string signature;  // hex Ed25519 signature
};

struct AuditQuery {
  std::optional<std::string> actor;
  std::optional<std::string> action;
  std::optional<std::string> from;  // at >= from
  std::optional<std::string> to;    // at < to
  int64_t after_seq = 0;            // pagination: entries with seq > after_seq
  int64_t limit = 100;
  bool newest_first = false;  // then pagination is seq < before_seq
  int64_t before_seq = 0;     // 0: no bound
};

// An audit entry that commits with the write it records (DESIGN §6: every write and its audit
// entry commit in the same transaction). While a scope is open on a thread, the first write that
// thread hands to any area of the store appends, inside that write's transaction and after its
// statements, the entry `make` computes from the last entry; kill -9 then leaves both or
// neither. Later writes in the scope carry no entry of their own (one entry per scope). `make`
// runs on the store's writer thread while the write is pending: it must not wait for the store.
// An inner scope hides the outer one until it closes. Not copyable; one thread's object.
class AuditScope {
 public:
  using Make = std::function<AuditEntryRow(const std::optional<AuditEntryRow>& last)>;

  explicit AuditScope(Make make);
  ~AuditScope();
  AuditScope(const AuditScope&) = delete;
  AuditScope& operator=(const AuditScope&) = delete;

  // The entry that committed with a write in this scope, if one did.
  const std::optional<AuditEntryRow>& appended() const { return appended_; }

  // For the store's backends: the scope open on this thread while it has appended nothing yet
  // (null otherwise), what it appends, and the entry once its write committed.
  static AuditScope* Pending();
  const Make& make() const { return make_; }
  void Committed(AuditEntryRow row) { appended_ = std::move(row); }

 private:
  Make make_;
  AuditScope* outer_;
  std::optional<AuditEntryRow> appended_;
};

// The append-only audit tables. Appends go through the store's writer like every write.
class AuditStore {
 public:
  virtual ~AuditStore() = default;
  // Appends one entry computed by `make` from the last entry (null when the log is empty), in
  // one write, so concurrent appends chain correctly.
  virtual Result<AuditEntryRow> Append(
      const std::function<AuditEntryRow(const std::optional<AuditEntryRow>& last)>& make) = 0;
  virtual Result<std::optional<AuditEntryRow>> Last() = 0;
  virtual Result<std::vector<AuditEntryRow>> Query(const AuditQuery& q) = 0;
  // Calls `fn` for every entry in seq order (streaming; for verify and export).
  virtual Status ForEach(const std::function<Status(const AuditEntryRow&)>& fn) = 0;
  virtual Status InsertCheckpoint(const AuditCheckpointRow& c) = 0;
  virtual Result<std::vector<AuditCheckpointRow>> Checkpoints() = 0;
  // Deletes entries with seq <= up_to_seq (retention); checkpoints are kept.
  virtual Result<int64_t> Prune(int64_t up_to_seq) = 0;
  // The audit public key (hex Ed25519), stored at init.
  virtual Result<std::optional<std::string>> PublicKey() = 0;
  virtual Status SetPublicKey(const std::string& hex) = 0;
};

}  // namespace pdh::store
