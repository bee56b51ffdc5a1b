// The outbox: messages added once by key, delivered by webhook and e-mail with retries and
// backoff, each channel at most once per message.
#include "notify/notify.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <mutex>
#include <string>
#include <utility>

#include "audit/audit.h"
#include "notify/internal.h"

namespace pdh::notify {
namespace {

constexpr int64_t kBatch = 100;
constexpr std::string_view kUnitEmailPrefix = "notify.email.";

std::optional<DeliveryState> ParseState(std::string_view s) {
  if (s == "pending") return DeliveryState::kPending;
  if (s == "delivered") return DeliveryState::kDelivered;
  if (s == "failed") return DeliveryState::kFailed;
  return std::nullopt;
}

Entry ToEntry(store::OutboxRow r) {
  Entry e;
  e.id = r.id;
  e.message.kind = std::move(r.kind);
  e.message.key = std::move(r.key);
  e.message.unit = std::move(r.unit);
  e.message.subject = std::move(r.subject);
  e.message.body = std::move(r.body);
  boost::system::error_code ec;
  auto data = boost::json::parse(r.data, ec);
  if (!ec && data.is_object()) e.message.data = std::move(data.as_object());
  e.created_at = std::move(r.created_at);
  e.state = ParseState(r.state).value_or(DeliveryState::kPending);
  e.attempts = static_cast<int>(r.attempts);
  e.next_attempt_at = std::move(r.next_attempt_at);
  e.delivered_at = std::move(r.delivered_at);
  e.last_error = std::move(r.last_error);
  e.webhook_done = r.webhook_done;
  e.email_done = r.email_done;
  return e;
}

// The message as the webhook and the e-mail need it (data parsed back from its JSON text).
Message ToMessage(const store::OutboxRow& r) {
  Message m{r.kind, r.key, r.unit, r.subject, r.body, {}};
  boost::system::error_code ec;
  auto data = boost::json::parse(r.data, ec);
  if (!ec && data.is_object()) m.data = std::move(data.as_object());
  return m;
}

// The files kept with a message, as the e-mail sends them.
std::vector<internal::Mail::Part> Parts(const store::OutboxRow& r) {
  std::vector<internal::Mail::Part> parts;
  boost::system::error_code ec;
  auto files = boost::json::parse(r.attachments, ec);
  if (ec || !files.is_array()) return parts;
  for (const auto& f : files.as_array()) {
    const auto* o = f.if_object();
    if (o == nullptr) continue;
    auto text = [o](const char* key) {
      const auto* v = o->if_contains(key);
      return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
    };
    parts.push_back({text("name"), text("content_type"), text("base64")});
  }
  return parts;
}

// "20251107T081500Z.12.outbox@example.vn": stable across retries of one message.
std::string MessageId(const store::OutboxRow& r, const std::string& from) {
  std::string stamp;
  for (char c : r.created_at) {
    if (c != '-' && c != ':') stamp += c;
  }
  const size_t at = from.find('@');
  const std::string domain = at == std::string::npos ? "localhost" : from.substr(at + 1);
  return stamp + "." + std::to_string(r.id) + ".outbox@" + domain;
}

Result<std::optional<int>> IntSetting(store::SettingsStore& store, const std::string& key) {
  auto v = store.GetSetting(key);
  if (!v) return Fail(v.error());
  if (!*v) return std::optional<int>();
  int n = 0;
  const std::string& s = **v;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec != std::errc() || end != s.data() + s.size()) {
    return Fail(Error::Invalid("notify.invalid_config",
                               key + " is '" + s + "', which is not a whole number"));
  }
  return std::optional<int>(n);
}

// Deliveries are serialized process-wide, so two deliverers never send the same message twice.
std::mutex& DeliverMutex() {
  static std::mutex mu;
  return mu;
}

}  // namespace

std::string_view DeliveryStateName(DeliveryState s) {
  switch (s) {
    case DeliveryState::kPending:
      return "pending";
    case DeliveryState::kDelivered:
      return "delivered";
    case DeliveryState::kFailed:
      return "failed";
  }
  return "pending";
}

Result<Config> LoadConfig(store::SettingsStore& store) {
  Config c;
  const std::pair<const char*, std::string*> texts[] = {
      {"notify.webhook_url", &c.webhook_url}, {"notify.smtp_url", &c.smtp_url},
      {"notify.smtp_user", &c.smtp_user},     {"notify.smtp_password", &c.smtp_password},
      {"notify.email_from", &c.email_from},   {"notify.email_default", &c.email_default}};
  for (const auto& [key, field] : texts) {
    auto v = store.GetSetting(key);
    if (!v) return Fail(v.error());
    if (*v) *field = std::move(**v);
  }
  const std::pair<const char*, int*> ints[] = {{"notify.max_attempts", &c.max_attempts},
                                               {"notify.timeout_seconds", &c.timeout_seconds},
                                               {"notify.backoff_seconds", &c.backoff_seconds}};
  for (const auto& [key, field] : ints) {
    auto v = IntSetting(store, key);
    if (!v) return Fail(v.error());
    if (*v) *field = **v;
  }
  auto units = store.ListSettings(std::string(kUnitEmailPrefix));
  if (!units) return Fail(units.error());
  for (auto& [key, value] : *units) {
    std::string unit = key.substr(kUnitEmailPrefix.size());
    if (!unit.empty() && !value.empty()) c.unit_emails.emplace_back(std::move(unit), value);
  }
  if (auto s = internal::Validate(c); !s) return Fail(s.error());
  return c;
}

Outbox::Outbox(store::OutboxStore& store, const Clock& clock) : store_(store), clock_(clock) {}

Result<size_t> Outbox::Add(const std::vector<Message>& messages) {
  if (messages.empty()) return size_t{0};
  const std::string now = FormatTime(clock_.Now());
  std::vector<store::OutboxRow> rows;
  rows.reserve(messages.size());
  for (const auto& m : messages) {
    if (m.key.empty()) {
      return Fail(Error::Invalid("notify.invalid_message",
                                 "a notification needs a key (kind '" + m.kind + "')"));
    }
    store::OutboxRow r;
    r.key = m.key;
    r.kind = m.kind;
    r.unit = m.unit;
    r.subject = m.subject;
    r.body = m.body;
    r.data = boost::json::serialize(m.data);
    if (!m.attachments.empty()) {
      boost::json::array files;
      for (const auto& a : m.attachments) {
        files.push_back({{"name", a.name},
                         {"content_type", a.content_type},
                         {"base64", internal::Base64(a.bytes, 0)}});
      }
      r.attachments = boost::json::serialize(files);
    }
    r.webhook_url = m.webhook_url;
    r.webhook_secret = m.signing_secret;
    r.email_done = !m.webhook_url.empty();  // a message for one receiver is not e-mailed
    r.created_at = now;
    r.next_attempt_at = now;
    rows.push_back(std::move(r));
  }
  auto added = store_.InsertIfAbsent(rows);
  if (!added) return Fail(added.error());
  return static_cast<size_t>(std::count(added->begin(), added->end(), true));
}

Result<DeliveryReport> Outbox::Deliver(const Config& config) {
  if (auto s = internal::Validate(config); !s) return Fail(s.error());
  std::lock_guard lock(DeliverMutex());
  DeliveryReport report;
  const bool webhook_on = !config.webhook_url.empty();
  const bool email_on = !config.smtp_url.empty();
  // With both channels off only the messages with their own address can go; the rest wait.
  const bool addressed_only = !webhook_on && !email_on;
  const std::string start = FormatTime(clock_.Now());
  for (;;) {
    auto due = store_.Due(start, kBatch, addressed_only);
    if (!due) return Fail(due.error());
    for (auto& row : *due) {
      const std::string& url = row.webhook_url.empty() ? config.webhook_url : row.webhook_url;
      const bool want_webhook = !url.empty() && !row.webhook_done;
      const bool want_email = email_on && !row.email_done;
      std::string errors;
      bool failed = false;
      auto note = [&](const std::string& e) { errors += (errors.empty() ? "" : "; ") + e; };
      if (want_webhook || want_email) {
        ++report.attempted;
        ++row.attempts;
        const Message m = ToMessage(row);
        if (want_webhook) {
          const std::string body = internal::WebhookJson(m);
          std::vector<std::string> headers{"X-Pdh-Delivery: " + row.key};
          if (!row.webhook_secret.empty()) {
            headers.push_back("X-Pdh-Signature: sha256=" +
                              audit::HmacSha256Hex(row.webhook_secret, body));
          }
          const std::string e = internal::PostJson(url, body, config.timeout_seconds, headers);
          row.webhook_done = e.empty();
          if (!e.empty()) {
            failed = true;
            note("webhook: " + e);
          }
        }
        if (want_email) {
          const auto to = internal::Recipients(config, row.unit);
          if (to.empty()) {
            // Nothing to send to; retrying would not change that, so the channel is done.
            row.email_done = true;
            note("e-mail: no address for unit " + row.unit);
          } else {
            internal::Mail mail{
                config.email_from, to,        m.subject, m.body, MessageId(row, config.email_from),
                clock_.Now(),      Parts(row)};
            const std::string e = internal::SendMail(config, to, internal::FormatMail(mail));
            row.email_done = e.empty();
            if (!e.empty()) {
              failed = true;
              note("e-mail: " + e);
            }
          }
        }
      }
      const TimePoint now = clock_.Now();
      row.last_error = errors;
      if (!failed) {
        row.state = "delivered";
        row.delivered_at = FormatTime(now);
        if (want_webhook || want_email) ++report.delivered;
      } else {
        ++report.failed;
        if (row.attempts >= config.max_attempts) {
          row.state = "failed";
        } else {
          const auto shift = std::min<int64_t>(row.attempts - 1, 20);
          row.next_attempt_at =
              FormatTime(now + std::chrono::seconds(int64_t{config.backoff_seconds} << shift));
        }
      }
      if (auto s = store_.UpdateAttempt(row); !s) return Fail(s.error());
    }
    if (static_cast<int64_t>(due->size()) < kBatch) break;
  }
  return report;
}

Result<std::vector<Entry>> Outbox::List(std::optional<DeliveryState> state, int64_t limit) {
  std::optional<std::string> name;
  if (state) name = std::string(DeliveryStateName(*state));
  auto rows = store_.List(name, limit);
  if (!rows) return Fail(rows.error());
  std::vector<Entry> out;
  out.reserve(rows->size());
  for (auto& r : *rows) out.push_back(ToEntry(std::move(r)));
  return out;
}

boost::json::object ToJson(const Entry& e) {
  boost::json::object o;
  o["id"] = e.id;
  o["kind"] = e.message.kind;
  o["key"] = e.message.key;
  o["unit"] = e.message.unit;
  o["subject"] = e.message.subject;
  o["body"] = e.message.body;
  o["data"] = e.message.data;
  o["created_at"] = e.created_at;
  o["state"] = DeliveryStateName(e.state);
  o["attempts"] = e.attempts;
  o["next_attempt_at"] = e.next_attempt_at;
  o["delivered_at"] = e.delivered_at;
  o["last_error"] = e.last_error;
  o["webhook_done"] = e.webhook_done;
  o["email_done"] = e.email_done;
  return o;
}

std::string PostJson(const std::string& url, const std::string& json,
                     const std::vector<std::string>& headers, int timeout_seconds) {
  return internal::PostJson(url, json, timeout_seconds, headers);
}

}  // namespace pdh::notify
