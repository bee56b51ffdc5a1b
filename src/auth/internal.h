// Private to the auth module: the cryptographic primitives (libsodium, OpenSSL) and the helpers
// the Service's files share.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "auth/auth.h"
#include "core/date.h"

namespace pdh::auth {

// --- Primitives (crypto.cc) -----------------------------------------------------------------

// `bytes` random bytes as unpadded base64url.
std::string RandomBase64Url(size_t bytes);
// Lower-case hex SHA-256 of `data`: what is stored in place of cookies and token secrets.
std::string Sha256Hex(std::string_view data);

// argon2id encoded hash of `password`; throws Failure only when memory runs out.
std::string HashPassword(std::string_view password);
bool VerifyPassword(const std::string& hash, std::string_view password);
bool NeedsRehash(const std::string& hash);
// Spends the time of one verification, so unknown names cost as much as known ones.
void VerifyDummyPassword(std::string_view password);
// Passwords are compared in NFC, so the same letters typed with combining marks still match.
std::string NormalizePassword(std::string_view password);

// RFC 4648 base32 without padding; decoding ignores case, spaces and padding.
std::string Base32Encode(std::string_view bytes);
std::optional<std::string> Base32Decode(std::string_view text);
// A new TOTP secret: 20 random bytes, base32.
std::string NewTotpSecret();
// RFC 4226 HOTP (HMAC-SHA1) with `digits` digits.
std::string Hotp(std::string_view key, uint64_t counter, int digits);
// The 30-second step `t` falls in.
int64_t TotpStep(TimePoint t);
// The step (t-1, t or t+1) whose code is `code`, or nullopt.
std::optional<int64_t> MatchTotp(const std::string& secret_base32, std::string_view code,
                                 TimePoint t);

// --- Service helpers (accounts.cc) ----------------------------------------------------------

// What a Service keeps in memory: a lock per account stripe, so a login's read-check-write of
// failure counts is not interleaved with another's. The last TOTP step each account used is
// kept in the database (IdentityStore::UseTotpStep), which every server on it shares.
struct Service::State {
  // Principals recently authenticated, by "t:"/"s:" + credential hash, for a moment: most of a
  // request's cost was reading token or session, account and grants. Any change to accounts,
  // grants, sessions or tokens made through this Service clears it; changes made by another
  // process (the CLI on the database file) take effect within kPrincipalTtl.
  static constexpr std::chrono::seconds kPrincipalTtl{2};
  std::mutex cache_mu;
  std::unordered_map<std::string, std::pair<Principal, TimePoint>> principals;

  std::optional<Principal> Cached(const std::string& key, TimePoint now) {
    std::lock_guard lock(cache_mu);
    auto it = principals.find(key);
    if (it == principals.end() || now >= it->second.second) return std::nullopt;
    return it->second.first;
  }
  void Remember(const std::string& key, const Principal& p, TimePoint now) {
    std::lock_guard lock(cache_mu);
    if (principals.size() >= 10000) principals.clear();
    principals[key] = {p, now + kPrincipalTtl};
  }
  void Forget() {
    std::lock_guard lock(cache_mu);
    principals.clear();
  }

  std::array<std::mutex, 64> stripes;
  std::unique_lock<std::mutex> Lock(int64_t account_id) {
    return std::unique_lock(stripes[static_cast<uint64_t>(account_id) % stripes.size()]);
  }
  // Sets the account's last_active_at to `now`, at most once a minute to keep writes down.
  Status RecordActivity(store::IdentityStore& ids, const store::AccountRow& account, TimePoint now);
};

Error AccountNotFound(const std::string& name);
Result<store::AccountRow> RequireAccount(store::IdentityStore& ids, int64_t id);
std::vector<Grant> ToGrants(const std::vector<store::GrantRow>& rows);
// The principal of an account (grants included), before session or token details.
Result<Principal> PrincipalOf(store::IdentityStore& ids, const store::AccountRow& account);
// True when the account has not been used for `config.inactive_disable`.
bool Inactive(const store::AccountRow& account, TimePoint now, const Config& config);
void DisableForInactivity(store::AccountRow& account, const Config& config);
bool Locked(const store::AccountRow& account, TimePoint now);
// True when `last` (a time or nothing) is a minute or more before `now`.
bool ActivityStale(const std::optional<std::string>& last, TimePoint now);
Date DateOf(TimePoint t);

}  // namespace pdh::auth
