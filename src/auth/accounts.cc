// Accounts as administrators manage them: creation with the password policy, grants checked
// against the unit registry, disabling (by hand and after inactivity) and enabling.
#include <algorithm>
#include <utility>

#include "auth/internal.h"

namespace pdh::auth {
namespace {

bool ValidName(const std::string& name) {
  if (name.size() < 3 || name.size() > 64) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
  });
}

size_t CodePoints(std::string_view s) {
  // Every code point has exactly one byte that is not a continuation byte (10xxxxxx).
  return static_cast<size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// The policy, and that a password is not the account's own name.
Status CheckPasswordPolicy(const std::string& name, const std::string& password, bool with_totp,
                           const Config& config) {
  const std::string normalized = NormalizePassword(password);
  if (auto problem = PasswordProblem(normalized, with_totp, config)) {
    return Fail(Error::Invalid("password.too_short", *problem));
  }
  if (normalized == name) {
    return Fail(Error::Invalid("password.same_as_name",
                               "the password must not be the account name: choose another"));
  }
  return Ok();
}

bool RoleHasUnit(Role r) {
  return r == Role::kOfficer || r == Role::kSystem;
}

// The grants as stored, each unit resolved to its id as of today. Errors: grant.unknown_unit,
// grant.invalid.
Result<std::vector<store::GrantRow>> ResolveGrants(const std::vector<Grant>& grants,
                                                   const units::Registry& registry, Date today) {
  std::vector<store::GrantRow> rows;
  for (const Grant& g : grants) {
    store::GrantRow row{.role = std::string(RoleName(g.role)),
                        .include_descendants = g.include_descendants};
    if (!RoleHasUnit(g.role)) {
      if (!g.unit_code.empty() || g.include_descendants) {
        return Fail(Error::Invalid("grant.invalid", "the role '" + row.role +
                                                        "' covers the whole province: leave "
                                                        "the unit out"));
      }
      rows.push_back(std::move(row));
      continue;
    }
    const units::Unit* unit = registry.Find(g.unit_code, today);
    if (unit == nullptr) {
      return Fail(Error::Invalid("grant.unknown_unit", "no current unit has code '" + g.unit_code +
                                                           "': the role '" + row.role +
                                                           "' needs the code of an existing unit"));
    }
    row.unit_id = unit->id;
    rows.push_back(std::move(row));
  }
  return rows;
}

Result<AccountView> ViewOf(store::IdentityStore& ids, const store::AccountRow& a, TimePoint now) {
  auto grants = ids.ListGrants(a.id);
  if (!grants) return Fail(grants.error());
  return AccountView{
      .id = a.id,
      .name = a.name,
      .display_name = a.display_name,
      .system = a.kind == "system",
      .disabled = a.disabled,
      .disabled_reason = a.disabled_reason,
      .locked = Locked(a, now),
      .locked_until = a.locked_until,
      .totp_enrolled = a.totp_secret.has_value(),
      .failed_logins = a.failed_logins,
      .created_at = a.created_at,
      .last_active_at = a.last_active_at,
      .grants = ToGrants(*grants),
  };
}

Result<store::AccountRow> FindByName(store::IdentityStore& ids, const std::string& name) {
  auto found = ids.FindAccount(name);
  if (!found) return Fail(found.error());
  if (!*found) return Fail(AccountNotFound(name));
  return std::move(**found);
}

}  // namespace

// --- Shared helpers -------------------------------------------------------------------------

Error AccountNotFound(const std::string& name) {
  return Error::NotFound("account.not_found", "no account named '" + name + "'");
}

Result<store::AccountRow> RequireAccount(store::IdentityStore& ids, int64_t id) {
  auto found = ids.GetAccount(id);
  if (!found) return Fail(found.error());
  if (!*found) {
    return Fail(Error::NotFound("account.not_found", "no account with id " + std::to_string(id)));
  }
  return std::move(**found);
}

std::vector<Grant> ToGrants(const std::vector<store::GrantRow>& rows) {
  std::vector<Grant> out;
  for (const auto& r : rows) {
    if (auto role = ParseRole(r.role)) out.push_back({*role, r.unit_code, r.include_descendants});
  }
  return out;
}

Result<Principal> PrincipalOf(store::IdentityStore& ids, const store::AccountRow& account) {
  auto grants = ids.ListGrants(account.id);
  if (!grants) return Fail(grants.error());
  Principal p;
  p.account_id = account.id;
  p.name = account.name;
  p.display_name = account.display_name;
  p.system = account.kind == "system";
  p.grants = ToGrants(*grants);
  p.totp_enrolled = account.totp_secret.has_value();
  return p;
}

bool Inactive(const store::AccountRow& account, TimePoint now, const Config& config) {
  const auto last = ParseTime(account.last_active_at.value_or(account.created_at));
  return last && now - *last > config.inactive_disable;
}

void DisableForInactivity(store::AccountRow& account, const Config& config) {
  account.disabled = true;
  account.disabled_reason =
      "inactive for " + std::to_string(config.inactive_disable.count()) + " days";
}

bool Locked(const store::AccountRow& account, TimePoint now) {
  if (!account.locked_until) return false;
  const auto until = ParseTime(*account.locked_until);
  return until && now < *until;
}

bool ActivityStale(const std::optional<std::string>& last, TimePoint now) {
  if (!last) return true;
  const auto at = ParseTime(*last);
  return !at || now - *at >= std::chrono::minutes(1);
}

Status Service::State::RecordActivity(store::IdentityStore& ids, const store::AccountRow& account,
                                      TimePoint now) {
  if (!ActivityStale(account.last_active_at, now)) return Ok();
  auto lock = Lock(account.id);
  auto fresh = RequireAccount(ids, account.id);
  if (!fresh) return Fail(fresh.error());
  fresh->last_active_at = FormatTime(now);
  return ids.UpdateAccount(*fresh);
}

Date DateOf(TimePoint t) {
  return Date::Parse(FormatTime(t).substr(0, 10)).value_or(Date{});
}

// --- Policy ---------------------------------------------------------------------------------

std::optional<std::string> PasswordProblem(const std::string& password, bool with_totp,
                                           const Config& config) {
  const size_t minimum = with_totp ? config.min_password_with_totp : config.min_password;
  if (CodePoints(password) >= minimum) return std::nullopt;
  return "use at least " + std::to_string(minimum) + " characters" +
         (with_totp ? std::string()
                    : " (" + std::to_string(config.min_password_with_totp) +
                          " once the account has an authenticator app)") +
         "; a few unrelated words make a long password easy to remember";
}

// --- Service: accounts ----------------------------------------------------------------------

Service::Service(store::IdentityStore& ids, store::UnitStore& units, const Clock& clock,
                 Config config)
    : ids_(ids),
      units_(units),
      clock_(clock),
      config_(std::move(config)),
      state_(std::make_unique<State>()) {}

Service::~Service() = default;

Result<int64_t> Service::CreateAccount(const NewAccount& a, const units::Registry& registry) {
  if (!ValidName(a.name)) {
    return Fail(Error::Invalid("account.invalid_name",
                               "account names are 3-64 characters of a-z, 0-9, '.', '_' and '-' "
                               "(lower case), e.g. 'nguyen.van.an'"));
  }
  store::AccountRow row;
  row.name = a.name;
  row.display_name = a.display_name;
  row.kind = a.system ? "system" : "person";
  row.created_at = FormatTime(clock_.Now());
  if (a.system && a.password) {
    return Fail(Error::Invalid(
        "account.invalid", "connected systems sign in with API tokens: leave the password out"));
  }
  if (!a.system) {
    if (auto s = CheckPasswordPolicy(a.name, a.password.value_or(""), false, config_); !s) {
      return Fail(s.error());
    }
  }
  auto grants = ResolveGrants(a.grants, registry, DateOf(clock_.Now()));
  if (!grants) return Fail(grants.error());
  if (a.password) row.password_hash = HashPassword(NormalizePassword(*a.password));
  auto& ids = ids_;
  auto id = ids.InsertAccount(row);
  if (!id) return Fail(id.error());
  if (auto s = ids.SetGrants(*id, *grants); !s) return Fail(s.error());
  return *id;
}

Result<AccountView> Service::GetAccount(const std::string& name) {
  auto account = FindByName(ids_, name);
  if (!account) return Fail(account.error());
  return ViewOf(ids_, *account, clock_.Now());
}

Result<std::vector<AccountView>> Service::ListAccounts() {
  auto rows = ids_.ListAccounts();
  if (!rows) return Fail(rows.error());
  std::vector<AccountView> out;
  const TimePoint now = clock_.Now();
  for (const auto& row : *rows) {
    auto view = ViewOf(ids_, row, now);
    if (!view) return Fail(view.error());
    out.push_back(std::move(*view));
  }
  return out;
}

Result<std::string> Service::AccountName(int64_t account_id) {
  auto account = RequireAccount(ids_, account_id);
  if (!account) return Fail(account.error());
  return std::move(account->name);
}

Status Service::SetDisplayName(const std::string& name, const std::string& display_name) {
  auto found = FindByName(ids_, name);
  if (!found) return Fail(found.error());
  auto lock = state_->Lock(found->id);
  auto account = RequireAccount(ids_, found->id);
  if (!account) return Fail(account.error());
  account->display_name = display_name;
  return ids_.UpdateAccount(*account);
}

Status Service::SetPassword(const std::string& name, const std::string& password) {
  state_->Forget();
  auto found = FindByName(ids_, name);
  if (!found) return Fail(found.error());
  if (found->kind == "system") {
    return Fail(Error::Invalid("account.invalid",
                               "connected systems sign in with API tokens and have no password"));
  }
  if (auto s = CheckPasswordPolicy(name, password, found->totp_secret.has_value(), config_); !s)
    return s;
  const std::string hash = HashPassword(NormalizePassword(password));
  auto lock = state_->Lock(found->id);
  auto account = RequireAccount(ids_, found->id);
  if (!account) return Fail(account.error());
  account->password_hash = hash;
  return ids_.UpdateAccount(*account);
}

Status Service::SetGrants(const std::string& name, const std::vector<Grant>& grants,
                          const units::Registry& registry) {
  state_->Forget();
  auto account = FindByName(ids_, name);
  if (!account) return Fail(account.error());
  auto rows = ResolveGrants(grants, registry, DateOf(clock_.Now()));
  if (!rows) return Fail(rows.error());
  return ids_.SetGrants(account->id, *rows);
}

Status Service::Disable(const std::string& name, const std::string& reason) {
  state_->Forget();
  auto found = FindByName(ids_, name);
  if (!found) return Fail(found.error());
  {
    auto lock = state_->Lock(found->id);
    auto account = RequireAccount(ids_, found->id);
    if (!account) return Fail(account.error());
    account->disabled = true;
    account->disabled_reason = reason;
    if (auto s = ids_.UpdateAccount(*account); !s) return s;
  }
  // A disabled account keeps no open session.
  auto ended = ids_.DeleteSessionsOf(found->id);
  if (!ended) return Fail(ended.error());
  return Ok();
}

Status Service::Enable(const std::string& name) {
  state_->Forget();
  auto found = FindByName(ids_, name);
  if (!found) return Fail(found.error());
  auto lock = state_->Lock(found->id);
  auto account = RequireAccount(ids_, found->id);
  if (!account) return Fail(account.error());
  account->disabled = false;
  account->disabled_reason.clear();
  account->failed_logins = 0;
  account->locked_until.reset();
  // Enabling counts as activity; otherwise an account disabled for inactivity would be
  // disabled again at its next login.
  account->last_active_at = FormatTime(clock_.Now());
  return ids_.UpdateAccount(*account);
}

Result<int64_t> Service::DisableInactive() {
  state_->Forget();
  auto rows = ids_.ListAccounts();
  if (!rows) return Fail(rows.error());
  const TimePoint now = clock_.Now();
  int64_t disabled = 0;
  for (const auto& row : *rows) {
    if (row.disabled || !Inactive(row, now, config_)) continue;
    auto lock = state_->Lock(row.id);
    auto account = RequireAccount(ids_, row.id);
    if (!account) return Fail(account.error());
    if (account->disabled || !Inactive(*account, now, config_)) continue;  // used meanwhile
    DisableForInactivity(*account, config_);
    if (auto s = ids_.UpdateAccount(*account); !s) return Fail(s.error());
    ++disabled;
  }
  return disabled;
}

}  // namespace pdh::auth
