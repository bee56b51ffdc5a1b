// The SQLite outbox repository (table of migration 5): notifications waiting to be delivered.
// Writes go through the writer (group commit), reads through the pool.
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/outbox.h"
#include "store/sql/connections.h"
#include "store/sql/db.h"

namespace pdh::store::sql {
namespace {

constexpr std::string_view kSelect =
    "SELECT id, key, kind, unit, subject, body, data, created_at, state, attempts, "
    "next_attempt_at, delivered_at, last_error, webhook_done, email_done, attachments, "
    "webhook_url, webhook_secret FROM outbox ";

OutboxRow ReadRow(const Statement& st) {
  OutboxRow r;
  r.id = st.Int(0);
  r.key = st.Text(1);
  r.kind = st.Text(2);
  r.unit = st.Text(3);
  r.subject = st.Text(4);
  r.body = st.Text(5);
  r.data = st.Text(6);
  r.created_at = st.Text(7);
  r.state = st.Text(8);
  r.attempts = st.Int(9);
  r.next_attempt_at = st.Text(10);
  r.delivered_at = st.Text(11);
  r.last_error = st.Text(12);
  r.webhook_done = st.Int(13) != 0;
  r.email_done = st.Int(14) != 0;
  r.attachments = st.Text(15);
  r.webhook_url = st.Text(16);
  r.webhook_secret = st.Text(17);
  return r;
}

class SqliteOutboxStore final : public Area<OutboxStore> {
 public:
  using Area::Area;

  Result<std::vector<bool>> InsertIfAbsent(const std::vector<OutboxRow>& rows) override {
    std::vector<bool> added;
    auto s = writer_.Submit([&](Db& db) -> Status {
      added.clear();
      auto st = db.Prepare(
          "INSERT INTO outbox (key, kind, unit, subject, body, data, created_at, state, "
          "attempts, next_attempt_at, delivered_at, last_error, webhook_done, email_done, "
          "attachments, webhook_url, webhook_secret) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,"
          "?12,?13,?14,?15,?16,?17) "
          "ON CONFLICT(key) DO NOTHING");
      if (!st) return Fail(st.error());
      for (const auto& r : rows) {
        st->Bind(1, r.key).Bind(2, r.kind).Bind(3, r.unit).Bind(4, r.subject).Bind(5, r.body);
        st->Bind(6, r.data).Bind(7, r.created_at).Bind(8, r.state).Bind(9, r.attempts);
        st->Bind(10, r.next_attempt_at).Bind(11, r.delivered_at).Bind(12, r.last_error);
        st->Bind(13, int64_t{r.webhook_done}).Bind(14, int64_t{r.email_done});
        st->Bind(15, r.attachments).Bind(16, r.webhook_url).Bind(17, r.webhook_secret);
        if (auto run = st->Run(); !run) return run;
        added.push_back(db.Changes() > 0);
      }
      return Ok();
    });
    if (!s) return Fail(s.error());
    return added;
  }

  Result<std::vector<OutboxRow>> Due(const std::string& now, int64_t limit,
                                     bool addressed_only) override {
    return ReadRows<std::vector<OutboxRow>>(
        readers_,
        std::string(kSelect) + "WHERE state = 'pending' AND next_attempt_at <= ?1 " +
            (addressed_only ? "AND webhook_url <> '' " : "") +
            "ORDER BY next_attempt_at, id LIMIT " + std::to_string(limit),
        [](const Statement& st, std::vector<OutboxRow>& out) { out.push_back(ReadRow(st)); }, now);
  }

  Status UpdateAttempt(const OutboxRow& r) override {
    return writer_.Submit([&](Db& db) -> Status {
      auto st = db.Prepare(
          "UPDATE outbox SET state=?2, attempts=?3, next_attempt_at=?4, delivered_at=?5, "
          "last_error=?6, webhook_done=?7, email_done=?8 WHERE id=?1");
      if (!st) return Fail(st.error());
      st->Bind(1, r.id).Bind(2, r.state).Bind(3, r.attempts).Bind(4, r.next_attempt_at);
      st->Bind(5, r.delivered_at).Bind(6, r.last_error);
      st->Bind(7, int64_t{r.webhook_done}).Bind(8, int64_t{r.email_done});
      if (auto run = st->Run(); !run) return run;
      if (db.Changes() == 0) {
        return Fail(Error::NotFound("outbox.not_found",
                                    "no outbox message with id " + std::to_string(r.id)));
      }
      return Ok();
    });
  }

  Result<std::vector<OutboxRow>> List(const std::optional<std::string>& state,
                                      int64_t limit) override {
    auto row = [](const Statement& st, std::vector<OutboxRow>& out) { out.push_back(ReadRow(st)); };
    const std::string tail = "ORDER BY id DESC LIMIT " + std::to_string(limit);
    if (state) {
      return ReadRows<std::vector<OutboxRow>>(
          readers_, std::string(kSelect) + "WHERE state = ?1 " + tail, row, *state);
    }
    return ReadRows<std::vector<OutboxRow>>(readers_, std::string(kSelect) + tail, row);
  }
};

}  // namespace

std::unique_ptr<OutboxStore> MakeOutboxStore(Writer& writer, ReadPool& readers) {
  return std::make_unique<SqliteOutboxStore>(writer, readers);
}

}  // namespace pdh::store::sql
