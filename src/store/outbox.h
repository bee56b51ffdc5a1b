// The store's outbox area (M5): notifications waiting to be sent, or sent.
//
// Thread-safety: all methods are thread-safe (see store/store.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"

namespace pdh::store {

// Notifications waiting to be sent (or sent). Times are ISO-8601 UTC with seconds.

struct OutboxRow {
  int64_t id = 0;
  std::string key;  // unique: adding a row whose key is there adds nothing
  std::string kind;
  std::string unit;  // unit code
  std::string subject;
  std::string body;
  std::string data;  // JSON object text
  std::string created_at;
  std::string state = "pending";  // "pending" | "delivered" | "failed"
  int64_t attempts = 0;
  std::string next_attempt_at;  // pending rows are due when this is <= now
  std::string delivered_at;     // "" until delivered
  std::string last_error;       // what went wrong at the last attempt ("" when nothing)
  bool webhook_done = false;
  bool email_done = false;
  std::string attachments = "[]";  // JSON array of {"name","content_type","base64"}
  // A message for one receiver (a connected system's subscription): posted to this address
  // only, signed with this secret; "" for the configured channels.
  std::string webhook_url;
  std::string webhook_secret;
};

class OutboxStore {
 public:
  virtual ~OutboxStore() = default;
  // Inserts each row whose key is not there yet (id ignored), all in one transaction; returns,
  // for each row in order, whether it was added.
  virtual Result<std::vector<bool>> InsertIfAbsent(const std::vector<OutboxRow>& rows) = 0;
  // Pending rows with next_attempt_at <= `now`, by next_attempt_at then id, at most `limit`;
  // with `addressed_only`, only those with their own webhook address.
  virtual Result<std::vector<OutboxRow>> Due(const std::string& now, int64_t limit,
                                             bool addressed_only) = 0;
  // Writes the delivery fields of row `row.id` (state, attempts, next_attempt_at, delivered_at,
  // last_error, webhook_done, email_done). Errors: outbox.not_found.
  virtual Status UpdateAttempt(const OutboxRow& row) = 0;
  // Rows in `state` (every state when unset), newest first, at most `limit`.
  virtual Result<std::vector<OutboxRow>> List(const std::optional<std::string>& state,
                                              int64_t limit) = 0;
};

}  // namespace pdh::store
