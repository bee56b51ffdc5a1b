// Signing in: password and TOTP login with lockout, sessions with idle and absolute expiry,
// and TOTP enrolment.
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <utility>

#include "auth/internal.h"

namespace pdh::auth {
namespace {

Error InvalidCredentials() {
  return {"auth.invalid_credentials", "the name or the password is wrong: check both and try again",
          401};
}

Error LockedError(const store::AccountRow& a) {
  return {"auth.locked",
          "too many failed sign-ins: the account is locked until " + a.locked_until.value_or("") +
              " (UTC); try again then, or ask an administrator to unlock it",
          423};
}

Error DisabledError(const store::AccountRow& a) {
  return {"auth.disabled",
          "this account is disabled (" + a.disabled_reason + "): ask an administrator to enable it",
          403};
}

Error NoSession() {
  return {"auth.no_session", "you are not signed in: sign in first", 401};
}

std::chrono::seconds IdleTimeout(const Principal& p, const Config& config) {
  return p.Has(Role::kAdministrator) ? config.admin_idle_timeout : config.idle_timeout;
}

// A failed password or code: counts it, and locks the account at the limit. The count is read
// and written in one write, so that failures sent to several servers at once all count.
Error RecordFailure(store::IdentityStore& ids, store::AccountRow& account, TimePoint now,
                    const Config& config, Error error, const Service::LoginDecided& decided) {
  if (account.failed_logins + 1 >= config.max_failed_logins) {
    account.locked_until = FormatTime(now + config.lockout);
    error = LockedError(account);
  }
  if (decided) decided(&error, false);
  auto changed = ids.ChangeAccount(account.id, [&](store::AccountRow& a) {
    if (a.locked_until && !Locked(a, now)) {
      a.locked_until.reset();  // a lockout that ran out: the count starts afresh
      a.failed_logins = 0;
    }
    ++a.failed_logins;
    if (a.failed_logins >= config.max_failed_logins && !Locked(a, now)) {
      a.locked_until = FormatTime(now + config.lockout);
    }
  });
  if (!changed) return changed.error();
  if (!*changed) return error;
  account = **changed;
  return Locked(account, now) ? LockedError(account) : error;
}

// Under the account's lock: refuses a locked account, starts the count afresh once a lockout
// has run out, and checks `password` (normalized), counting a wrong one.
Status CheckLockAndPassword(store::IdentityStore& ids, store::AccountRow& account,
                            const std::string& password, TimePoint now, const Config& config,
                            const Service::LoginDecided& decided = {}) {
  if (Locked(account, now)) return Fail(LockedError(account));
  if (account.locked_until) {
    account.locked_until.reset();
    account.failed_logins = 0;
  }
  if (!account.password_hash || !VerifyPassword(*account.password_hash, password)) {
    return Fail(RecordFailure(ids, account, now, config, InvalidCredentials(), decided));
  }
  return Ok();
}

// Fills the session part of `p` from the stored session, as last seen at `last_seen`.
void FillSession(Principal& p, const store::SessionRow& s, TimePoint last_seen,
                 const Config& config) {
  p.via = Principal::Via::kSession;
  p.mfa = s.mfa;
  p.csrf_token = s.csrf_token;
  p.session_id_hash = s.id_hash;
  const TimePoint absolute = ParseTime(s.expires_at).value_or(last_seen);
  p.session_expires_at = std::min(absolute, last_seen + IdleTimeout(p, config));
}

Result<LoginResult> OpenSession(store::IdentityStore& ids, Principal p, bool mfa,
                                const std::string& remote, TimePoint now, const Config& config) {
  LoginResult out;
  out.session_cookie = RandomBase64Url(32);
  const std::string at = FormatTime(now);
  const store::SessionRow s{.id_hash = Sha256Hex(out.session_cookie),
                            .account_id = p.account_id,
                            .csrf_token = RandomBase64Url(32),
                            .created_at = at,
                            .last_seen_at = at,
                            .expires_at = FormatTime(now + config.absolute_lifetime),
                            .mfa = mfa,
                            .remote = remote};
  if (auto r = ids.InsertSession(s); !r) return Fail(r.error());
  FillSession(p, s, ParseTime(at).value_or(now), config);
  out.totp_enrollment_required = p.Has(Role::kAdministrator) && !p.totp_enrolled;
  out.principal = std::move(p);
  return out;
}

std::string PercentEncode(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

}  // namespace

Result<LoginResult> Service::Login(const std::string& name, const std::string& password,
                                   const std::optional<std::string>& totp_code,
                                   const std::string& remote, const LoginDecided& decided) {
  auto& ids = ids_;
  auto found = ids.FindAccount(name);
  if (!found) return Fail(found.error());
  if (!*found || (*found)->kind == "system" || !(*found)->password_hash) {
    VerifyDummyPassword(password);  // as slow as a real check: names cannot be probed
    return Fail(InvalidCredentials());
  }
  auto lock = state_->Lock((*found)->id);
  auto account = RequireAccount(ids, (*found)->id);  // again, under the lock
  if (!account) return Fail(account.error());
  const TimePoint now = clock_.Now();
  const std::string normalized = NormalizePassword(password);
  if (auto s = CheckLockAndPassword(ids, *account, normalized, now, config_, decided); !s) {
    return Fail(s.error());
  }
  // Only a caller who knows the password learns that the account is disabled.
  if (account->disabled) return Fail(DisabledError(*account));
  if (Inactive(*account, now, config_)) {
    DisableForInactivity(*account, config_);
    const Error inactive{"auth.inactive",
                         "this account was not used for " +
                             std::to_string(config_.inactive_disable.count()) +
                             " days and is now disabled: ask an administrator to enable it",
                         403};
    if (decided) decided(&inactive, false);
    if (auto s = ids.UpdateAccount(*account); !s) return Fail(s.error());
    return Fail(inactive);
  }
  const bool mfa = account->totp_secret.has_value();
  if (mfa) {
    if (!totp_code || totp_code->empty()) {
      return Fail(
          Error{"auth.totp_required", "enter the 6-digit code from your authenticator app", 401});
    }
    auto step = MatchTotp(*account->totp_secret, *totp_code, now);
    auto fresh = step ? ids.UseTotpStep(account->id, *step) : Result<bool>(false);
    if (!fresh) return Fail(fresh.error());
    if (!*fresh) {
      return Fail(RecordFailure(ids, *account, now, config_,
                                {"auth.totp_invalid",
                                 "the code is wrong or already used: enter the current code "
                                 "from your authenticator app",
                                 401},
                                decided));
    }
  }
  const std::optional<std::string> rehashed =
      NeedsRehash(*account->password_hash) ? std::optional(HashPassword(normalized)) : std::nullopt;
  if (decided) decided(nullptr, mfa);
  // Read again in the write: another server may have locked the account meanwhile.
  bool locked = false;
  auto changed = ids.ChangeAccount(account->id, [&](store::AccountRow& a) {
    locked = Locked(a, now);
    if (locked) return;
    a.failed_logins = 0;
    a.locked_until.reset();
    a.last_active_at = FormatTime(now);
    if (rehashed) a.password_hash = rehashed;
  });
  if (!changed) return Fail(changed.error());
  if (!*changed) return Fail(InvalidCredentials());
  *account = **changed;
  if (locked) return Fail(LockedError(*account));
  auto principal = PrincipalOf(ids, *account);
  if (!principal) return Fail(principal.error());
  return OpenSession(ids, std::move(*principal), mfa, remote, now, config_);
}

Status Service::CheckPassword(int64_t account_id, const std::string& password) {
  auto& ids = ids_;
  auto lock = state_->Lock(account_id);
  auto account = RequireAccount(ids, account_id);
  if (!account) return Fail(account.error());
  const TimePoint now = clock_.Now();
  if (auto s = CheckLockAndPassword(ids, *account, NormalizePassword(password), now, config_); !s) {
    return s;
  }
  if (account->failed_logins == 0) return Ok();
  account->failed_logins = 0;
  return ids.UpdateAccount(*account);
}

Result<Principal> Service::AuthenticateSession(const std::string& cookie_value) {
  if (cookie_value.empty()) return Fail(NoSession());
  const std::string hash = Sha256Hex(cookie_value);
  const std::string key = "s:" + hash;
  if (auto p = state_->Cached(key, clock_.Now()); p && clock_.Now() < p->session_expires_at) {
    return *p;
  }
  auto& ids = ids_;
  auto session = ids.FindSession(hash);
  if (!session) return Fail(session.error());
  if (!*session) return Fail(NoSession());
  const store::SessionRow& s = **session;
  auto end = [&](Error e) -> Result<Principal> {
    if (auto d = ids.DeleteSession(s.id_hash); !d) return Fail(d.error());
    return Fail(std::move(e));
  };
  auto account = ids.GetAccount(s.account_id);
  if (!account) return Fail(account.error());
  if (!*account) return end(NoSession());
  if ((*account)->disabled) return end(DisabledError(**account));
  auto principal = PrincipalOf(ids, **account);
  if (!principal) return Fail(principal.error());

  const TimePoint now = clock_.Now();
  const auto expires = ParseTime(s.expires_at);
  const auto last_seen = ParseTime(s.last_seen_at);
  if (!expires || !last_seen || now >= *expires ||
      now >= *last_seen + IdleTimeout(*principal, config_)) {
    return end({"auth.session_expired", "your session has ended: sign in again", 401});
  }
  // The idle timer is kept to the second, but written at most every few seconds: a page that
  // fires a dozen requests at once costs one write, not twelve.
  TimePoint seen = *last_seen;
  const auto touch_every = std::min<std::chrono::seconds>(std::chrono::seconds(5),
                                                          IdleTimeout(*principal, config_) / 10);
  if (now - *last_seen >= touch_every) {
    const std::string at = FormatTime(now);
    if (auto t = ids.TouchSession(s.id_hash, at); !t) return Fail(t.error());
    seen = ParseTime(at).value_or(now);
  }
  if (auto a = state_->RecordActivity(ids, **account, now); !a) return Fail(a.error());
  FillSession(*principal, s, seen, config_);
  state_->Remember(key, *principal, now);
  return principal;
}

Status Service::Logout(const std::string& cookie_value) {
  state_->Forget();
  return ids_.DeleteSession(Sha256Hex(cookie_value));
}

Result<int64_t> Service::LogoutEverywhere(int64_t account_id) {
  state_->Forget();
  return ids_.DeleteSessionsOf(account_id);
}

Result<TotpEnrollment> Service::BeginTotp(int64_t account_id) {
  auto lock = state_->Lock(account_id);
  auto account = RequireAccount(ids_, account_id);
  if (!account) return Fail(account.error());
  if (account->kind == "system") {
    return Fail(Error::Invalid("account.invalid",
                               "connected systems sign in with API tokens and need no "
                               "authenticator app"));
  }
  TotpEnrollment out;
  out.secret_base32 = NewTotpSecret();
  account->totp_pending = out.secret_base32;
  if (auto s = ids_.UpdateAccount(*account); !s) return Fail(s.error());
  const std::string issuer = PercentEncode(config_.issuer);
  out.otpauth_uri = "otpauth://totp/" + issuer + ":" + PercentEncode(account->name) +
                    "?secret=" + out.secret_base32 + "&issuer=" + issuer +
                    "&algorithm=SHA1&digits=6&period=30";
  return out;
}

Status Service::ConfirmTotp(int64_t account_id, const std::string& code) {
  state_->Forget();
  auto lock = state_->Lock(account_id);
  auto account = RequireAccount(ids_, account_id);
  if (!account) return Fail(account.error());
  if (!account->totp_pending) {
    return Fail(Error::Conflict("auth.totp_not_started",
                                "start enrolment first, then enter the code the app shows"));
  }
  auto step = MatchTotp(*account->totp_pending, code, clock_.Now());
  auto fresh = step ? ids_.UseTotpStep(account_id, *step) : Result<bool>(false);
  if (!fresh) return Fail(fresh.error());
  if (!*fresh) {
    return Fail(Error::Invalid("auth.totp_invalid",
                               "the code does not match: check the phone's clock and enter the "
                               "current code"));
  }
  account->totp_secret = std::move(account->totp_pending);
  account->totp_pending.reset();
  return ids_.UpdateAccount(*account);
}

Status Service::MarkSessionMfa(const std::string& session_id_hash) {
  state_->Forget();
  auto& ids = ids_;
  auto session = ids.FindSession(session_id_hash);
  if (!session) return Fail(session.error());
  if (!*session) return Fail(NoSession());
  (*session)->mfa = true;
  return ids.InsertSession(**session);  // replaces the row
}

}  // namespace pdh::auth
