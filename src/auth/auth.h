// Identity and access (M11): accounts, roles with unit scope, password and TOTP login,
// sessions, API tokens, and the one policy that decides what a principal may do.
//
// Thread-safety: Service is safe to use from many threads; state lives in the store. An
// authenticated principal is reused for up to 2 seconds; changes made through the Service clear
// that at once, changes made by another process (the CLI) apply within the 2 seconds.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/error.h"
#include "store/identity.h"
#include "store/units.h"
#include "units/units.h"

namespace pdh::auth {

enum class Role { kAdministrator, kOfficer, kLeader, kAuditor, kSystem };
std::string_view RoleName(Role r);  // "administrator", "officer", "leader", "auditor", "system"
std::optional<Role> ParseRole(std::string_view name);

// A role, limited to a unit (and, when include_descendants, everything below it). unit_code
// empty: the whole province.
struct Grant {
  Role role = Role::kLeader;
  std::string unit_code;
  bool include_descendants = false;
};

// Who is making a request, once authenticated.
struct Principal {
  int64_t account_id = 0;
  std::string name;
  std::string display_name;
  bool system = false;  // a connected system (token-only)
  std::vector<Grant> grants;
  enum class Via { kSession, kToken } via = Via::kSession;
  bool mfa = false;  // the session passed a second factor
  bool totp_enrolled = false;
  std::string csrf_token;          // sessions: must accompany cookie-authenticated writes
  std::string session_id_hash;     // sessions
  TimePoint session_expires_at{};  // sessions: the earlier of idle and absolute expiry
  int64_t token_id = 0;            // tokens
  std::vector<std::string> token_permissions;  // tokens: empty = all of the account's
  std::vector<std::string> token_units;        // tokens: empty = all of the account's

  bool Has(Role r) const;
};

// Permissions are "<area>.<access>": access is "read" (province-wide data anyone signed in
// reads), "read_private" (data of one unit: only that unit's officers, leaders, administrators),
// "write" (changes to one unit's data), "admin" (administrators only). "audit.read" is for
// auditors and administrators. Two special permissions: "public" (no sign-in) and
// "authenticated" (any signed-in principal, e.g. its own profile and tokens).
//
// Rules: administrators may do everything. Leaders read everything (read, read_private), write
// nothing. Auditors read (read) and audit.read. Officers and systems read; read_private and
// write only for units inside their grants (the granted unit itself, and its descendants when
// the grant says so); `unit` null means a province-wide resource, which officers may not write.
// A token narrows further: its permission list (if not empty, "area.*" allowed) and its unit
// list (if not empty) must both admit the request. Sessions of administrators without a
// passed second factor are only "authenticated" (enough to enrol TOTP).
bool Allows(const Principal& p, std::string_view permission, const units::Unit* unit,
            const units::Registry& registry);

struct Config {
  // Seconds, so tests and `pdh serve --session-idle` can set short timeouts.
  std::chrono::seconds idle_timeout{std::chrono::minutes(15)};
  std::chrono::seconds admin_idle_timeout{std::chrono::minutes(5)};
  std::chrono::hours absolute_lifetime{12};
  int max_failed_logins = 5;
  std::chrono::minutes lockout{15};
  std::chrono::days inactive_disable{45};
  size_t min_password = 14;
  size_t min_password_with_totp = 8;
  std::string issuer = "pdh";  // shown by authenticator apps
};

struct NewAccount {
  std::string name;  // 3–64 of [a-z0-9._-], lower case
  std::string display_name;
  std::optional<std::string> password;  // people: required and checked by the policy
  bool system = false;
  std::vector<Grant> grants;
};

// An account as shown to administrators (no secrets).
struct AccountView {
  int64_t id = 0;
  std::string name;
  std::string display_name;
  bool system = false;
  bool disabled = false;
  std::string disabled_reason;
  bool locked = false;
  std::optional<std::string> locked_until;
  bool totp_enrolled = false;
  int64_t failed_logins = 0;
  std::string created_at;
  std::optional<std::string> last_active_at;
  std::vector<Grant> grants;
};

struct LoginResult {
  std::string session_cookie;  // the secret cookie value; only its hash is stored
  Principal principal;
  bool totp_enrollment_required = false;  // an administrator without TOTP: enrol first
};

struct TotpEnrollment {
  std::string secret_base32;
  std::string
      otpauth_uri;  // otpauth://totp/pdh:NAME?secret=...&issuer=pdh&algorithm=SHA1&digits=6&period=30
};

struct NewToken {
  std::string secret;  // shown once: "pdh_" + random
  store::TokenRow row;
};

class Service {
 public:
  // `ids`, `units` and `clock` must outlive the service. `units` is read for the unit codes of
  // tokens (grants are checked against the registry the caller gives).
  Service(store::IdentityStore& ids, store::UnitStore& units, const Clock& clock,
          Config config = {});
  ~Service();

  const Config& config() const { return config_; }

  // Errors: account.invalid_name, account.duplicate_name, password.too_short (the policy says
  // why), grant.unknown_unit.
  Result<int64_t> CreateAccount(const NewAccount& a, const units::Registry& registry);
  Result<AccountView> GetAccount(const std::string& name);
  Result<std::vector<AccountView>> ListAccounts();
  // The name of the account with id `account_id`. Errors: account.not_found.
  Result<std::string> AccountName(int64_t account_id);
  Status SetDisplayName(const std::string& name, const std::string& display_name);
  Status SetPassword(const std::string& name, const std::string& password);
  // Checks `password` against the account's own (e.g. before it changes it). A wrong one counts
  // as a failed sign-in. Errors: auth.invalid_credentials, auth.locked.
  Status CheckPassword(int64_t account_id, const std::string& password);
  Status SetGrants(const std::string& name, const std::vector<Grant>& grants,
                   const units::Registry& registry);
  Status Disable(const std::string& name, const std::string& reason);
  Status Enable(const std::string& name);  // also clears a lockout
  // Disables accounts unused for config.inactive_disable; returns how many.
  Result<int64_t> DisableInactive();

  // Password (and, once enrolled, TOTP) login. Errors (all 401 unless said):
  // auth.invalid_credentials (unknown name or wrong password; the same message for both),
  // auth.totp_required (password right, code missing), auth.totp_invalid, auth.locked (423, after
  // max_failed_logins failures, for config.lockout), auth.disabled (403), auth.inactive (403,
  // unused for 45 days: now disabled).
  // `decided` is told the outcome (the failure, or null and whether the session has a second
  // factor for a success) just before the sign-in's first write, so that an audit entry naming
  // it can commit with that write (audit::Scope); an outcome that writes nothing is only
  // returned.
  using LoginDecided = std::function<void(const Error* failure, bool mfa)>;
  Result<LoginResult> Login(const std::string& name, const std::string& password,
                            const std::optional<std::string>& totp_code, const std::string& remote,
                            const LoginDecided& decided = {});
  // The principal of a session cookie; refreshes its idle timer. Errors: auth.session_expired,
  // auth.no_session (401).
  Result<Principal> AuthenticateSession(const std::string& cookie_value);
  // The principal of an API token ("Authorization: Bearer pdh_..."); records its last use.
  // Errors: auth.token_invalid, auth.token_expired, auth.token_revoked (401).
  Result<Principal> AuthenticateToken(const std::string& secret);
  Status Logout(const std::string& cookie_value);
  Result<int64_t> LogoutEverywhere(int64_t account_id);

  // TOTP (RFC 6238: HMAC-SHA1, 6 digits, 30 s, ±1 step accepted).
  Result<TotpEnrollment> BeginTotp(int64_t account_id);
  // Confirms enrolment with a code from the app. Errors: auth.totp_invalid, auth.totp_not_started.
  Status ConfirmTotp(int64_t account_id, const std::string& code);
  // Marks the session as having passed a second factor (after ConfirmTotp).
  Status MarkSessionMfa(const std::string& session_id_hash);

  // Tokens. Errors: token.invalid (bad lifetime or scope), account.not_found.
  Result<NewToken> CreateToken(const std::string& account_name, const std::string& token_name,
                               std::chrono::days lifetime, std::vector<std::string> permissions,
                               std::vector<std::string> unit_codes);
  Result<std::vector<store::TokenRow>> ListTokens(std::optional<int64_t> account_id);
  Status RevokeToken(int64_t token_id);

 private:
  struct State;  // in memory only: per-account locks, TOTP steps already used
  store::IdentityStore& ids_;
  store::UnitStore& units_;
  const Clock& clock_;
  Config config_;
  std::unique_ptr<State> state_;
};

// RFC 6238 code for `secret_base32` at `t` (exposed for tests and the CLI).
std::string TotpCode(const std::string& secret_base32, TimePoint t);
// Why `password` does not meet the policy, or nullopt when it does.
std::optional<std::string> PasswordProblem(const std::string& password, bool with_totp,
                                           const Config& config);

}  // namespace pdh::auth
