// API tokens: creation checks, secrets stored as hashes, expiry, revocation and last use.
#include <gtest/gtest.h>

#include "auth/internal.h"
#include "auth/test_support.h"

namespace pdh::auth {
namespace {

using std::chrono::days;
using std::chrono::minutes;
using testing::AuthTest;
using testing::CodeOf;

class Tokens : public AuthTest {
 protected:
  void SetUp() override {
    AuthTest::SetUp();
    ASSERT_TRUE(service_->CreateAccount({.name = "ioc.dashboard",
                                         .display_name = "IOC dashboard",
                                         .system = true,
                                         .grants = {{Role::kSystem, "80.SNNMT", true}}},
                                        *registry_));
  }
  Result<NewToken> Create(days lifetime, std::vector<std::string> permissions = {},
                          std::vector<std::string> units = {}) {
    return service_->CreateToken("ioc.dashboard", "nightly sync", lifetime, std::move(permissions),
                                 std::move(units));
  }
};

TEST_F(Tokens, SecretIsShownOnceAndStoredAsAHash) {
  auto t = Create(days(90), {"data.read", "indicators.*"}, {"80.SNNMT.CCTL"});
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_EQ(t->secret.rfind("pdh_", 0), 0u);
  EXPECT_EQ(t->secret.size(), 4u + 43u);
  EXPECT_EQ(t->row.prefix, t->secret.substr(0, 12));
  EXPECT_EQ(t->row.hash, Sha256Hex(t->secret));
  EXPECT_EQ(t->row.expires_at, "2025-12-30T08:00:00Z");
  auto listed = service_->ListTokens(t->row.account_id);
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].id, t->row.id);
  EXPECT_EQ((*listed)[0].permissions, t->row.permissions);
  EXPECT_EQ((*listed)[0].unit_codes, t->row.unit_codes);
  EXPECT_EQ((*listed)[0].hash.find(t->secret.substr(4)), std::string::npos);
}

TEST_F(Tokens, CreationIsChecked) {
  EXPECT_EQ(CodeOf(Create(days(0))), "token.invalid");
  EXPECT_EQ(CodeOf(Create(days(366))), "token.invalid");
  EXPECT_TRUE(Create(days(1)));
  EXPECT_TRUE(Create(days(365)));
  for (const std::string bad : {"data", "data.", ".read", "Data.read", "data.read.x", "*"}) {
    EXPECT_EQ(CodeOf(Create(days(30), {bad})), "token.invalid") << bad;
  }
  auto unknown_unit = Create(days(30), {}, {"99999"});
  ASSERT_FALSE(unknown_unit);
  EXPECT_EQ(unknown_unit.error().code, "token.invalid");
  EXPECT_EQ(unknown_unit.error().status, 422);
  EXPECT_EQ(CodeOf(service_->CreateToken("nobody", "x", days(30), {}, {})), "account.not_found");
  EXPECT_EQ(CodeOf(service_->CreateToken("ioc.dashboard", "", days(30), {}, {})), "token.invalid");
}

TEST_F(Tokens, AuthenticatesAsItsAccountNarrowedByItsScope) {
  auto t = Create(days(30), {"data.*"}, {"80.SNNMT.CCTL"});
  ASSERT_TRUE(t);
  auto p = service_->AuthenticateToken(t->secret);
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(p->name, "ioc.dashboard");
  EXPECT_TRUE(p->system);
  EXPECT_EQ(p->via, Principal::Via::kToken);
  EXPECT_TRUE(p->mfa);
  EXPECT_EQ(p->token_id, t->row.id);
  EXPECT_EQ(p->token_permissions, std::vector<std::string>{"data.*"});
  EXPECT_EQ(p->token_units, std::vector<std::string>{"80.SNNMT.CCTL"});
  const Date today{2025, 10, 1};
  EXPECT_TRUE(Allows(*p, "data.write", registry_->Find("80.SNNMT.CCTL", today), *registry_));
  EXPECT_FALSE(Allows(*p, "data.write", registry_->Find("80.SNNMT", today), *registry_));
}

TEST_F(Tokens, RecordsLastUseAtMostOnceAMinute) {
  auto t = Create(days(30));
  ASSERT_TRUE(t);
  auto last_used = [&] {
    auto found = store_->identity().FindTokenByHash(t->row.hash);
    return found && *found ? (*found)->last_used_at : std::nullopt;
  };
  EXPECT_FALSE(last_used());
  ASSERT_TRUE(service_->AuthenticateToken(t->secret));
  EXPECT_EQ(last_used(), "2025-10-01T08:00:00Z");
  clock_.Advance(std::chrono::seconds(59));
  ASSERT_TRUE(service_->AuthenticateToken(t->secret));
  EXPECT_EQ(last_used(), "2025-10-01T08:00:00Z");
  // Past the minute, and past the 2 s the authenticated principal is reused for.
  clock_.Advance(std::chrono::seconds(2));
  ASSERT_TRUE(service_->AuthenticateToken(t->secret));
  EXPECT_EQ(last_used(), "2025-10-01T08:01:01Z");
  // Token use counts as the account's activity.
  auto view = service_->GetAccount("ioc.dashboard");
  ASSERT_TRUE(view);
  EXPECT_EQ(view->last_active_at, "2025-10-01T08:01:01Z");
}

TEST_F(Tokens, ExpiresAtTheEndOfItsLifetime) {
  auto t = Create(days(1));
  ASSERT_TRUE(t);
  clock_.Advance(days(1) - minutes(1));
  EXPECT_TRUE(service_->AuthenticateToken(t->secret));
  clock_.Advance(minutes(1));
  auto expired = service_->AuthenticateToken(t->secret);
  ASSERT_FALSE(expired);
  EXPECT_EQ(expired.error().code, "auth.token_expired");
  EXPECT_EQ(expired.error().status, 401);
}

TEST_F(Tokens, RevokedAndUnknownTokensAreRefused) {
  auto t = Create(days(30));
  ASSERT_TRUE(t);
  ASSERT_TRUE(service_->RevokeToken(t->row.id));
  auto revoked = service_->AuthenticateToken(t->secret);
  ASSERT_FALSE(revoked);
  EXPECT_EQ(revoked.error().code, "auth.token_revoked");
  EXPECT_EQ(revoked.error().status, 401);
  EXPECT_EQ(CodeOf(service_->AuthenticateToken("pdh_notatoken")), "auth.token_invalid");
  EXPECT_EQ(CodeOf(service_->AuthenticateToken("")), "auth.token_invalid");
  EXPECT_EQ(CodeOf(service_->RevokeToken(9999)), "token.not_found");
}

TEST_F(Tokens, DisabledAccountsCannotUseTheirTokens) {
  auto t = Create(days(30));
  ASSERT_TRUE(t);
  ASSERT_TRUE(service_->Disable("ioc.dashboard", "replaced by the new IOC"));
  auto r = service_->AuthenticateToken(t->secret);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "auth.disabled");
  EXPECT_EQ(r.error().status, 403);
}

TEST_F(Tokens, ListsAllOrOneAccounts) {
  CreateOfficer("an.nguyen");
  ASSERT_TRUE(Create(days(30)));
  ASSERT_TRUE(service_->CreateToken("an.nguyen", "excel", days(30), {"data.read"}, {}));
  auto all = service_->ListTokens(std::nullopt);
  ASSERT_TRUE(all);
  EXPECT_EQ(all->size(), 2u);
  auto an = service_->GetAccount("an.nguyen");
  ASSERT_TRUE(an);
  auto mine = service_->ListTokens(an->id);
  ASSERT_TRUE(mine);
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_EQ((*mine)[0].name, "excel");
}

}  // namespace
}  // namespace pdh::auth
