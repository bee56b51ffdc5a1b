// The store's identity area (M11): accounts, grants, sessions and API tokens.
//
// Thread-safety: all methods are thread-safe (see store/store.h).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"

namespace pdh::store {

// Times are ISO-8601 UTC with seconds, "2025-10-31T08:15:00Z", so they sort as text.

struct AccountRow {
  int64_t id = 0;
  std::string name;  // login name, unique
  std::string display_name;
  std::string kind = "person";               // "person" | "system" (token-only)
  std::optional<std::string> password_hash;  // argon2id encoded string
  std::optional<std::string> totp_secret;    // base32, set once enrolment is confirmed
  std::optional<std::string> totp_pending;   // base32, during enrolment
  int64_t failed_logins = 0;
  std::optional<std::string> locked_until;
  bool disabled = false;
  std::string disabled_reason;
  std::string created_at;
  std::optional<std::string> last_active_at;
};

// A role held by an account, optionally limited to a unit (and its descendants).
struct GrantRow {
  int64_t account_id = 0;
  std::string role;                // "administrator" | "officer" | "leader" | "auditor" | "system"
  std::optional<int64_t> unit_id;  // null: the whole province
  bool include_descendants = false;
  std::string unit_code;  // read only: the unit's code, filled by ListGrants
};

struct SessionRow {
  std::string id_hash;  // hex SHA-256 of the cookie value; the value itself is never stored
  int64_t account_id = 0;
  std::string csrf_token;
  std::string created_at;
  std::string last_seen_at;
  std::string expires_at;  // absolute lifetime
  bool mfa = false;        // second factor passed
  std::string remote;
};

struct TokenRow {
  int64_t id = 0;
  int64_t account_id = 0;
  std::string name;
  std::string prefix;                    // first characters, shown in listings
  std::string hash;                      // hex SHA-256 of the secret
  std::vector<std::string> permissions;  // empty: all of the account's
  std::vector<std::string> unit_codes;   // empty: all of the account's
  std::string created_at;
  std::string expires_at;
  std::optional<std::string> revoked_at;
  std::optional<std::string> last_used_at;
};

// Accounts, grants, sessions and tokens. All methods are thread-safe.
class IdentityStore {
 public:
  virtual ~IdentityStore() = default;
  // Errors: account.duplicate_name.
  virtual Result<int64_t> InsertAccount(const AccountRow& a) = 0;
  // Writes every field of `a` (by id). Errors: account.not_found.
  virtual Status UpdateAccount(const AccountRow& a) = 0;
  // Reads the account, lets `change` change it and writes it back, in one write: every server
  // on the database takes its turn, so that changes made at once (failed sign-ins counted on two
  // servers) are all kept. The account as written; nullopt when there is none with `id`.
  virtual Result<std::optional<AccountRow>> ChangeAccount(
      int64_t id, const std::function<void(AccountRow&)>& change) = 0;
  virtual Result<std::optional<AccountRow>> FindAccount(const std::string& name) = 0;
  virtual Result<std::optional<AccountRow>> GetAccount(int64_t id) = 0;
  virtual Result<std::vector<AccountRow>> ListAccounts() = 0;
  // Replaces the grants of one account.
  virtual Status SetGrants(int64_t account_id, const std::vector<GrantRow>& grants) = 0;
  virtual Result<std::vector<GrantRow>> ListGrants(int64_t account_id) = 0;

  // Inserts `s`, or replaces the session with the same id_hash (to mark a second factor).
  virtual Status InsertSession(const SessionRow& s) = 0;
  virtual Result<std::optional<SessionRow>> FindSession(const std::string& id_hash) = 0;
  virtual Status TouchSession(const std::string& id_hash, const std::string& last_seen_at) = 0;
  virtual Status DeleteSession(const std::string& id_hash) = 0;
  // Logout everywhere; returns how many sessions were ended.
  virtual Result<int64_t> DeleteSessionsOf(int64_t account_id) = 0;

  // True, and remembered, when `step` is later than the last TOTP step the account used: one
  // database decides, so a code is used once whichever server it is sent to.
  virtual Result<bool> UseTotpStep(int64_t account_id, int64_t step) = 0;

  virtual Result<int64_t> InsertToken(const TokenRow& t) = 0;
  virtual Result<std::optional<TokenRow>> FindTokenByHash(const std::string& hash) = 0;
  // All tokens, or those of one account.
  virtual Result<std::vector<TokenRow>> ListTokens(std::optional<int64_t> account_id) = 0;
  // Errors: token.not_found.
  virtual Status RevokeToken(int64_t id, const std::string& at) = 0;
  virtual Status TouchToken(int64_t id, const std::string& at) = 0;
};

}  // namespace pdh::store
