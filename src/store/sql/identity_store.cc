// The SQLite identity repository: accounts, grants, sessions and API tokens (tables of
// migration 2). Writes go through the writer (group commit), reads through the read pool.
#include <string>
#include <utility>
#include <vector>

#include "store/identity.h"
#include "store/sql/connections.h"
#include "store/sql/db.h"

namespace pdh::store::sql {
namespace {

// Token scopes are short lists of codes without commas, kept as one text column.
std::string JoinList(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += ',';
    out += item;
  }
  return out;
}

std::vector<std::string> SplitList(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    if (comma > start) out.push_back(text.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

// The error of a write, with a UNIQUE violation renamed to what the caller understands.
Status RenameDuplicate(Status s, Error duplicate) {
  if (!s && s.error().code == "store.duplicate") return Fail(std::move(duplicate));
  return s;
}

Status RequireChanged(Db& db, Error missing) {
  if (db.Changes() == 0) return Fail(std::move(missing));
  return Ok();
}

constexpr std::string_view kAccountColumns =
    "id, name, display_name, kind, password_hash, totp_secret, totp_pending, failed_logins, "
    "locked_until, disabled, disabled_reason, created_at, last_active_at";

AccountRow ReadAccount(const Statement& st) {
  AccountRow a;
  a.id = st.Int(0);
  a.name = st.Text(1);
  a.display_name = st.Text(2);
  a.kind = st.Text(3);
  a.password_hash = st.OptText(4);
  a.totp_secret = st.OptText(5);
  a.totp_pending = st.OptText(6);
  a.failed_logins = st.Int(7);
  a.locked_until = st.OptText(8);
  a.disabled = st.Int(9) != 0;
  a.disabled_reason = st.Text(10);
  a.created_at = st.Text(11);
  a.last_active_at = st.OptText(12);
  return a;
}

constexpr std::string_view kUpdateAccount =
    "UPDATE account SET name=?2, display_name=?3, kind=?4, password_hash=?5, totp_secret=?6, "
    "totp_pending=?7, failed_logins=?8, locked_until=?9, disabled=?10, disabled_reason=?11, "
    "created_at=?12, last_active_at=?13 WHERE id=?1";

// Parameters ?2..?13 in the order of kAccountColumns after id.
void BindAccount(Statement& st, const AccountRow& a) {
  st.Bind(2, a.name).Bind(3, a.display_name).Bind(4, a.kind);
  st.Bind(5, a.password_hash).Bind(6, a.totp_secret).Bind(7, a.totp_pending);
  st.Bind(8, a.failed_logins).Bind(9, a.locked_until).Bind(10, int64_t{a.disabled});
  st.Bind(11, a.disabled_reason).Bind(12, a.created_at).Bind(13, a.last_active_at);
}

SessionRow ReadSession(const Statement& st) {
  SessionRow s;
  s.id_hash = st.Text(0);
  s.account_id = st.Int(1);
  s.csrf_token = st.Text(2);
  s.created_at = st.Text(3);
  s.last_seen_at = st.Text(4);
  s.expires_at = st.Text(5);
  s.mfa = st.Int(6) != 0;
  s.remote = st.Text(7);
  return s;
}

constexpr std::string_view kTokenColumns =
    "id, account_id, name, prefix, hash, permissions, unit_codes, created_at, expires_at, "
    "revoked_at, last_used_at";

TokenRow ReadToken(const Statement& st) {
  TokenRow t;
  t.id = st.Int(0);
  t.account_id = st.Int(1);
  t.name = st.Text(2);
  t.prefix = st.Text(3);
  t.hash = st.Text(4);
  t.permissions = SplitList(st.Text(5));
  t.unit_codes = SplitList(st.Text(6));
  t.created_at = st.Text(7);
  t.expires_at = st.Text(8);
  t.revoked_at = st.OptText(9);
  t.last_used_at = st.OptText(10);
  return t;
}

Error AccountNotFound(int64_t id) {
  return Error::NotFound("account.not_found", "no account with id " + std::to_string(id));
}

Error DuplicateName(const std::string& name) {
  return Error::Conflict("account.duplicate_name",
                         "an account named '" + name + "' already exists: choose another name");
}

class SqliteIdentityStore final : public Area<IdentityStore> {
 public:
  using Area::Area;

  Result<int64_t> InsertAccount(const AccountRow& a) override {
    int64_t id = 0;
    auto s = writer_.Submit([&](Db& db) -> Status {
      auto r = Execute(db,
                       "INSERT INTO account (" + std::string(kAccountColumns) +
                           ") VALUES (NULL,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13)",
                       [&](Statement& st) { BindAccount(st, a); });
      if (!r) return RenameDuplicate(r, DuplicateName(a.name));
      auto last_id = db.LastInsertId();
      if (!last_id) return Fail(last_id.error());
      id = *last_id;
      return Ok();
    });
    if (!s) return Fail(s.error());
    return id;
  }

  Status UpdateAccount(const AccountRow& a) override {
    return writer_.Submit([&](Db& db) -> Status {
      auto r = Execute(db, kUpdateAccount, [&](Statement& st) {
        st.Bind(1, a.id);
        BindAccount(st, a);
      });
      if (!r) return RenameDuplicate(r, DuplicateName(a.name));
      return RequireChanged(db, AccountNotFound(a.id));
    });
  }

  Result<std::optional<AccountRow>> ChangeAccount(
      int64_t id, const std::function<void(AccountRow&)>& change) override {
    std::optional<AccountRow> out;
    auto s = writer_.Submit([&](Db& db) -> Status {
      auto st =
          db.Prepare("SELECT " + std::string(kAccountColumns) + " FROM account WHERE id = ?1");
      if (!st) return Fail(st.error());
      st->Bind(1, id);
      auto row = st->Step();
      if (!row) return Fail(row.error());
      if (!*row) return Ok();
      AccountRow a = ReadAccount(*st);
      st->Reset();
      change(a);
      auto r = Execute(db, kUpdateAccount, [&](Statement& u) {
        u.Bind(1, a.id);
        BindAccount(u, a);
      });
      if (!r) return RenameDuplicate(r, DuplicateName(a.name));
      out = std::move(a);
      return Ok();
    });
    if (!s) return Fail(s.error());
    return out;
  }

  Result<std::optional<AccountRow>> FindAccount(const std::string& name) override {
    return FirstAccount("WHERE name = ?1", name);
  }

  Result<std::optional<AccountRow>> GetAccount(int64_t id) override {
    return FirstAccount("WHERE id = ?1", std::to_string(id));
  }

  Result<std::vector<AccountRow>> ListAccounts() override {
    return ReadRows<std::vector<AccountRow>>(
        readers_, "SELECT " + std::string(kAccountColumns) + " FROM account ORDER BY name",
        [](const Statement& st, std::vector<AccountRow>& out) { out.push_back(ReadAccount(st)); });
  }

  Status SetGrants(int64_t account_id, const std::vector<GrantRow>& grants) override {
    return writer_.Submit([&](Db& db) -> Status {
      auto del = Execute(db, "DELETE FROM grant_ WHERE account_id = ?1",
                         [&](Statement& st) { st.Bind(1, account_id); });
      if (!del) return del;
      auto ins = db.Prepare(
          "INSERT INTO grant_ (account_id, role, unit_id, include_descendants) "
          "VALUES (?1, ?2, ?3, ?4)");
      if (!ins) return Fail(ins.error());
      for (const auto& g : grants) {
        ins->Bind(1, account_id).Bind(2, g.role).Bind(3, g.unit_id);
        ins->Bind(4, int64_t{g.include_descendants});
        auto r = ins->Run();
        if (!r) {
          return RenameDuplicate(
              r, Error::Invalid("grant.duplicate", "the role '" + g.role +
                                                       "' is granted twice for the same unit: "
                                                       "list each role and unit once"));
        }
      }
      return Ok();
    });
  }

  Result<std::vector<GrantRow>> ListGrants(int64_t account_id) override {
    return ReadRows<std::vector<GrantRow>>(
        readers_,
        "SELECT g.account_id, g.role, g.unit_id, g.include_descendants, ifnull(u.code, '') "
        "FROM grant_ g LEFT JOIN unit u ON u.id = g.unit_id WHERE g.account_id = ?1 "
        "ORDER BY g.rowid",
        [](const Statement& st, std::vector<GrantRow>& out) {
          out.push_back({st.Int(0), st.Text(1), st.OptInt(2), st.Int(3) != 0, st.Text(4)});
        },
        std::to_string(account_id));
  }

  Result<bool> UseTotpStep(int64_t account_id, int64_t step) override {
    bool fresh = false;
    auto s = writer_.Submit(
        [&](Db& db) -> Status {
          auto r = Execute(db,
                           "UPDATE account SET totp_last_step = ?2 WHERE id = ?1 AND "
                           "coalesce(totp_last_step, -1) < ?2",
                           [&](Statement& st) { st.Bind(1, account_id).Bind(2, step); });
          fresh = db.Changes() > 0;
          return r;
        },
        false);
    if (!s) return Fail(s.error());
    return fresh;
  }

  Status InsertSession(const SessionRow& s) override {
    return Write(
        "INSERT INTO session (id_hash, account_id, csrf_token, created_at, last_seen_at, "
        "expires_at, mfa, remote) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT(id_hash) "
        "DO UPDATE SET account_id = excluded.account_id, csrf_token = excluded.csrf_token, "
        "created_at = excluded.created_at, last_seen_at = excluded.last_seen_at, "
        "expires_at = excluded.expires_at, mfa = excluded.mfa, remote = excluded.remote",
        [&](Statement& st) {
          st.Bind(1, s.id_hash).Bind(2, s.account_id).Bind(3, s.csrf_token);
          st.Bind(4, s.created_at).Bind(5, s.last_seen_at).Bind(6, s.expires_at);
          st.Bind(7, int64_t{s.mfa}).Bind(8, s.remote);
        });
  }

  Result<std::optional<SessionRow>> FindSession(const std::string& id_hash) override {
    return First<SessionRow>(
        "SELECT id_hash, account_id, csrf_token, created_at, last_seen_at, expires_at, mfa, "
        "remote FROM session WHERE id_hash = ?1",
        ReadSession, id_hash);
  }

  Status TouchSession(const std::string& id_hash, const std::string& last_seen_at) override {
    return Write("UPDATE session SET last_seen_at = ?2 WHERE id_hash = ?1",
                 [&](Statement& st) { st.Bind(1, id_hash).Bind(2, last_seen_at); });
  }

  Status DeleteSession(const std::string& id_hash) override {
    return Write("DELETE FROM session WHERE id_hash = ?1",
                 [&](Statement& st) { st.Bind(1, id_hash); });
  }

  Result<int64_t> DeleteSessionsOf(int64_t account_id) override {
    int64_t n = 0;
    auto s = writer_.Submit([&](Db& db) -> Status {
      auto r = Execute(db, "DELETE FROM session WHERE account_id = ?1",
                       [&](Statement& st) { st.Bind(1, account_id); });
      n = db.Changes();
      return r;
    });
    if (!s) return Fail(s.error());
    return n;
  }

  Result<int64_t> InsertToken(const TokenRow& t) override {
    int64_t id = 0;
    auto s = writer_.Submit([&](Db& db) -> Status {
      auto r = Execute(db,
                       "INSERT INTO api_token (" + std::string(kTokenColumns) +
                           ") VALUES (NULL, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                       [&](Statement& st) {
                         st.Bind(2, t.account_id).Bind(3, t.name).Bind(4, t.prefix);
                         st.Bind(5, t.hash).Bind(6, JoinList(t.permissions));
                         st.Bind(7, JoinList(t.unit_codes)).Bind(8, t.created_at);
                         st.Bind(9, t.expires_at).Bind(10, t.revoked_at).Bind(11, t.last_used_at);
                       });
      if (!r) return r;
      auto last_id = db.LastInsertId();
      if (!last_id) return Fail(last_id.error());
      id = *last_id;
      return Ok();
    });
    if (!s) return Fail(s.error());
    return id;
  }

  Result<std::optional<TokenRow>> FindTokenByHash(const std::string& hash) override {
    return First<TokenRow>(
        "SELECT " + std::string(kTokenColumns) + " FROM api_token WHERE hash = ?1", ReadToken,
        hash);
  }

  Result<std::vector<TokenRow>> ListTokens(std::optional<int64_t> account_id) override {
    const std::string select = "SELECT " + std::string(kTokenColumns) + " FROM api_token ";
    auto add = [](const Statement& st, std::vector<TokenRow>& out) {
      out.push_back(ReadToken(st));
    };
    if (!account_id) return ReadRows<std::vector<TokenRow>>(readers_, select + "ORDER BY id", add);
    return ReadRows<std::vector<TokenRow>>(readers_, select + "WHERE account_id = ?1 ORDER BY id",
                                           add, std::to_string(*account_id));
  }

  Status RevokeToken(int64_t id, const std::string& at) override {
    return writer_.Submit([&](Db& db) -> Status {
      // A second revocation keeps the first time.
      auto r = Execute(db, "UPDATE api_token SET revoked_at = ifnull(revoked_at, ?2) WHERE id = ?1",
                       [&](Statement& st) { st.Bind(1, id).Bind(2, at); });
      if (!r) return r;
      return RequireChanged(
          db, Error::NotFound("token.not_found", "no API token with id " + std::to_string(id)));
    });
  }

  Status TouchToken(int64_t id, const std::string& at) override {
    return Write("UPDATE api_token SET last_used_at = ?2 WHERE id = ?1",
                 [&](Statement& st) { st.Bind(1, id).Bind(2, at); });
  }

 private:
  template <class BindFn>
  Status Write(std::string_view sql, BindFn bind) {
    return writer_.Submit([&](Db& db) { return Execute(db, sql, bind); });
  }

  // The first row of `sql` (bound with `arg`), read by `read`, or nullopt.
  template <class Row, class ReadFn>
  Result<std::optional<Row>> First(const std::string& sql, ReadFn read, const std::string& arg) {
    auto rows = ReadRows<std::vector<Row>>(
        readers_, sql, [&](const Statement& st, std::vector<Row>& out) { out.push_back(read(st)); },
        arg);
    if (!rows) return Fail(rows.error());
    if (rows->empty()) return std::optional<Row>();
    return std::optional<Row>(std::move(rows->front()));
  }

  Result<std::optional<AccountRow>> FirstAccount(std::string_view where, const std::string& arg) {
    return First<AccountRow>(
        "SELECT " + std::string(kAccountColumns) + " FROM account " + std::string(where),
        ReadAccount, arg);
  }
};

}  // namespace

std::unique_ptr<IdentityStore> MakeIdentityStore(Writer& writer, ReadPool& readers) {
  return std::make_unique<SqliteIdentityStore>(writer, readers);
}

}  // namespace pdh::store::sql
