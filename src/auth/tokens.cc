// API tokens: secrets shown once and stored as hashes, limited in time and optionally in
// permissions and units.
#include <algorithm>
#include <unordered_set>
#include <utility>

#include "auth/internal.h"

namespace pdh::auth {
namespace {

constexpr size_t kPrefixLength = 12;  // "pdh_" and 8 random characters: enough to tell apart

Error InvalidToken(std::string message) {
  return Error::Invalid("token.invalid", std::move(message));
}

bool LowerWord(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

// "area.access" or "area.*".
bool ValidPermission(std::string_view p) {
  const size_t dot = p.find('.');
  if (dot == std::string_view::npos) return false;
  const std::string_view access = p.substr(dot + 1);
  return LowerWord(p.substr(0, dot)) && (access == "*" || LowerWord(access));
}

// Unit codes are checked against every unit the store holds (any era), read only here:
// creating a token is rare, and the Service holds no registry.
Status CheckUnits(store::UnitStore& store, const std::vector<std::string>& codes) {
  if (codes.empty()) return Ok();
  auto units = store.LoadUnits();
  if (!units) return Fail(units.error());
  std::unordered_set<std::string> known;
  for (const auto& u : *units) known.insert(u.code);
  for (const auto& code : codes) {
    if (!known.contains(code)) {
      return Fail(InvalidToken("no unit has code '" + code + "': give official unit codes"));
    }
  }
  return Ok();
}

Status CheckScope(store::UnitStore& store, std::chrono::days lifetime,
                  const std::vector<std::string>& permissions,
                  const std::vector<std::string>& unit_codes) {
  if (lifetime < std::chrono::days(1) || lifetime > std::chrono::days(365)) {
    return Fail(InvalidToken("a token lives 1 to 365 days: choose a lifetime in that range"));
  }
  for (const auto& p : permissions) {
    if (!ValidPermission(p)) {
      return Fail(InvalidToken("'" + p +
                               "' is not a permission: write 'area.access' "
                               "(e.g. 'units.read') or 'area.*'"));
    }
  }
  return CheckUnits(store, unit_codes);
}

}  // namespace

Result<NewToken> Service::CreateToken(const std::string& account_name,
                                      const std::string& token_name, std::chrono::days lifetime,
                                      std::vector<std::string> permissions,
                                      std::vector<std::string> unit_codes) {
  auto& ids = ids_;
  auto account = ids.FindAccount(account_name);
  if (!account) return Fail(account.error());
  if (!*account) return Fail(AccountNotFound(account_name));
  if (token_name.empty() || token_name.size() > 100) {
    return Fail(InvalidToken("name the token (1-100 characters) after what uses it"));
  }
  if (auto s = CheckScope(units_, lifetime, permissions, unit_codes); !s) return Fail(s.error());

  const TimePoint now = clock_.Now();
  NewToken out;
  out.secret = "pdh_" + RandomBase64Url(32);
  out.row.account_id = (*account)->id;
  out.row.name = token_name;
  out.row.prefix = out.secret.substr(0, kPrefixLength);
  out.row.hash = Sha256Hex(out.secret);
  out.row.permissions = std::move(permissions);
  out.row.unit_codes = std::move(unit_codes);
  out.row.created_at = FormatTime(now);
  out.row.expires_at = FormatTime(now + lifetime);
  auto id = ids.InsertToken(out.row);
  if (!id) return Fail(id.error());
  out.row.id = *id;
  return out;
}

Result<Principal> Service::AuthenticateToken(const std::string& secret) {
  const std::string hash = Sha256Hex(secret);
  const std::string key = "t:" + hash;
  if (auto p = state_->Cached(key, clock_.Now())) return *p;
  auto& ids = ids_;
  auto found = ids.FindTokenByHash(hash);
  if (!found) return Fail(found.error());
  if (!*found) {
    return Fail(
        Error{"auth.token_invalid", "the API token is not known: check it is complete", 401});
  }
  const store::TokenRow& token = **found;
  if (token.revoked_at) {
    return Fail(Error{"auth.token_revoked",
                      "the API token was revoked on " + *token.revoked_at + ": create a new one",
                      401});
  }
  const TimePoint now = clock_.Now();
  const auto expires = ParseTime(token.expires_at);
  if (!expires || now >= *expires) {
    return Fail(Error{"auth.token_expired",
                      "the API token expired on " + token.expires_at + ": create a new one", 401});
  }
  auto account = RequireAccount(ids, token.account_id);
  if (!account) return Fail(account.error());
  if (account->disabled) {
    return Fail(Error{"auth.disabled",
                      "the token's account is disabled (" + account->disabled_reason +
                          "): ask an administrator to enable it",
                      403});
  }
  if (ActivityStale(token.last_used_at, now)) {  // at most once a minute per token
    if (auto s = ids.TouchToken(token.id, FormatTime(now)); !s) return Fail(s.error());
  }
  // Token use keeps connected systems from being disabled as inactive.
  if (auto s = state_->RecordActivity(ids, *account, now); !s) return Fail(s.error());
  auto principal = PrincipalOf(ids, *account);
  if (!principal) return Fail(principal.error());
  principal->via = Principal::Via::kToken;
  principal->mfa = true;
  principal->token_id = token.id;
  principal->token_permissions = token.permissions;
  principal->token_units = token.unit_codes;
  // Not past the token's own expiry.
  state_->Remember(key, *principal, std::min(now, *expires - State::kPrincipalTtl));
  return principal;
}

Result<std::vector<store::TokenRow>> Service::ListTokens(std::optional<int64_t> account_id) {
  return ids_.ListTokens(account_id);
}

Status Service::RevokeToken(int64_t token_id) {
  state_->Forget();
  return ids_.RevokeToken(token_id, FormatTime(clock_.Now()));
}

}  // namespace pdh::auth
