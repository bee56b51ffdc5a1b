// Notifications: an outbox in the database that modules add messages to (in the same spirit as
// their writes: once, deduplicated by key), and a deliverer that sends them through a webhook
// (HTTP POST of JSON) and e-mail (SMTP), both with libcurl, retrying with backoff.
#pragma once

#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/error.h"
#include "store/outbox.h"
#include "store/settings.h"

namespace pdh::notify {

// What to tell whom. `unit` is the unit code the message is for (its officers' address is
// looked up in the configuration); `key` makes a message unique: adding the same key twice
// adds nothing ("due_soon:NQ57-T012:2025-11-07").
// A file sent with a message's e-mail (a monthly report's PDF); the webhook gets its name, type
// and size in "attachments".
struct Attachment {
  std::string name;  // file name, ASCII
  std::string content_type;
  std::string bytes;
};

struct Message {
  std::string kind;  // "due_soon" | "overdue" | "report_missing" | "monthly_report" | ...
  std::string key;
  std::string unit;
  std::string subject;       // Vietnamese, one line
  std::string body;          // plain text, UTF-8
  boost::json::object data;  // for webhook receivers: task code, deadline, month, ...
  std::vector<Attachment> attachments;
  // A message for one receiver (a connected system's subscription): posted to this address
  // only, not e-mailed, with the header X-Pdh-Signature: sha256=<hex HMAC-SHA-256 of the body
  // under `signing_secret`>. Empty: the configured channels.
  std::string webhook_url;
  std::string signing_secret;
};

enum class DeliveryState { kPending, kDelivered, kFailed };  // failed: gave up after max attempts
std::string_view DeliveryStateName(DeliveryState s);         // "pending" | "delivered" | "failed"

struct Entry {
  int64_t id = 0;
  Message message;
  std::string created_at;
  DeliveryState state = DeliveryState::kPending;
  int attempts = 0;
  std::string next_attempt_at;
  std::string delivered_at;
  std::string last_error;
  bool webhook_done = false;
  bool email_done = false;
};

// Where messages go. Read from the settings (`notify.webhook_url`, `notify.smtp_url`
// — smtp://host:port —, `notify.smtp_user`, `notify.smtp_password`, `notify.email_from`,
// `notify.email.<unit code>` for a unit's address, `notify.email_default` for the rest).
// An empty webhook_url or smtp_url turns that channel off. Only loopback addresses are used
// by the tests. `notify.max_attempts`, `notify.timeout_seconds` and `notify.backoff_seconds`
// override the defaults below.
// Addresses are bare ("name@domain"); a unit's or the default setting may list several,
// separated by ',' or ';'. Errors: notify.invalid_config (a URL that is not http(s):// or
// smtp(s)://, an address that is not bare, a number that is not a positive whole number).
struct Config {
  std::string webhook_url;
  std::string smtp_url;
  std::string smtp_user;
  std::string smtp_password;
  std::string email_from = "pdh@localhost";
  std::string email_default;
  std::vector<std::pair<std::string, std::string>> unit_emails;  // unit code -> address
  int max_attempts = 8;
  int timeout_seconds = 10;
  int backoff_seconds = 60;  // the first retry's wait; each next one waits twice as long
};
Result<Config> LoadConfig(store::SettingsStore& store);

struct DeliveryReport {
  size_t attempted = 0;
  size_t delivered = 0;
  size_t failed = 0;  // this round; they are retried later unless out of attempts
};

class Outbox {
 public:
  Outbox(store::OutboxStore& store, const Clock& clock);
  // Adds the messages not already there (by key); returns how many were added.
  Result<size_t> Add(const std::vector<Message>& messages);
  // Sends every pending message whose next attempt is due: the webhook gets
  // {"kind","key","unit","subject","body","data"} as JSON, the unit's address an e-mail
  // (UTF-8, subject encoded per RFC 2047). A channel that succeeded is not sent again; a
  // failure is retried after 1, 2, 4, ... minutes (config.backoff_seconds doubling). A message
  // with its own webhook address goes there, signed, whatever the configured channels.
  //
  // A message is delivered once every channel that is on has succeeded for it (a channel turned
  // off is not waited for); after config.max_attempts attempts with a failure it is failed.
  // Each webhook request carries X-Pdh-Delivery: the message's key (the same on every retry, so
  // a receiver can drop a repeat).
  // When a unit has no address and there is no default, the e-mail channel is marked done
  // with last_error "e-mail: no address for unit X" (retrying would not find one), so the
  // message can still be delivered by webhook. With both channels off nothing is sent and
  // messages stay pending. last_error is what went wrong at the latest attempt ("" if nothing).
  // Calls are serialized process-wide (one deliverer at a time); each request is limited to
  // config.timeout_seconds and goes only to the configured URL (no proxy, no redirects).
  // Errors: notify.invalid_config, and the store's.
  Result<DeliveryReport> Deliver(const Config& config);
  // Messages in `state` (all when unset), newest first, at most `limit`.
  Result<std::vector<Entry>> List(std::optional<DeliveryState> state, int64_t limit = 100);

 private:
  store::OutboxStore& store_;
  const Clock& clock_;
};

boost::json::object ToJson(const Entry& e);

// POSTs `json` to `url` with the extra `headers` ("Name: value"), within `timeout_seconds`, no
// proxy, no redirects: "" on a 2xx answer, else what went wrong ("HTTP 403: ...").
std::string PostJson(const std::string& url, const std::string& json,
                     const std::vector<std::string>& headers, int timeout_seconds);

}  // namespace pdh::notify
