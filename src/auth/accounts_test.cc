// Accounts: creation rules, grants against the registry, views, disabling and enabling.
#include <gtest/gtest.h>

#include "auth/test_support.h"

namespace pdh::auth {
namespace {

using testing::AuthTest;
using testing::CodeOf;
using testing::kGoodPassword;

class Accounts : public AuthTest {};

TEST_F(Accounts, NamesMustBeShortLowerCaseWords) {
  const std::vector<std::string> bad_names = {"ab",    "An.Nguyen",          "an nguyen",
                                              "an@tn", std::string(65, 'a'), "nguyễn"};
  for (const std::string& bad : bad_names) {
    auto r = service_->CreateAccount({.name = bad, .password = kGoodPassword}, *registry_);
    EXPECT_EQ(CodeOf(r), "account.invalid_name") << bad;
  }
  EXPECT_TRUE(
      service_->CreateAccount({.name = "an.nguyen_2-tn", .password = kGoodPassword}, *registry_));
}

TEST_F(Accounts, DuplicateNameIsConflict) {
  CreateOfficer("an.nguyen");
  auto again =
      service_->CreateAccount({.name = "an.nguyen", .password = kGoodPassword}, *registry_);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, "account.duplicate_name");
  EXPECT_EQ(again.error().status, 409);
}

TEST_F(Accounts, PasswordPolicyApplies) {
  auto shortpw = service_->CreateAccount({.name = "an.nguyen", .password = "mật khẩu"}, *registry_);
  ASSERT_FALSE(shortpw);
  EXPECT_EQ(shortpw.error().code, "password.too_short");
  EXPECT_EQ(shortpw.error().status, 422);
  EXPECT_NE(shortpw.error().message.find("14"), std::string::npos);
  auto missing = service_->CreateAccount({.name = "an.nguyen"}, *registry_);
  EXPECT_EQ(CodeOf(missing), "password.too_short");
  auto own_name = service_->CreateAccount(
      {.name = "nguyen.van.an.tn", .password = "nguyen.van.an.tn"}, *registry_);
  EXPECT_EQ(CodeOf(own_name), "password.same_as_name");
}

TEST_F(Accounts, SystemAccountsHaveNoPassword) {
  auto with_password = service_->CreateAccount(
      {.name = "ioc.dashboard", .password = kGoodPassword, .system = true}, *registry_);
  EXPECT_EQ(CodeOf(with_password), "account.invalid");
  auto ok = service_->CreateAccount(
      {.name = "ioc.dashboard", .system = true, .grants = {{Role::kSystem, "80", true}}},
      *registry_);
  ASSERT_TRUE(ok) << ok.error().message;
  auto view = service_->GetAccount("ioc.dashboard");
  ASSERT_TRUE(view);
  EXPECT_TRUE(view->system);
}

TEST_F(Accounts, GrantsNeedUnitsWhereTheRoleIsScoped) {
  auto unknown = service_->CreateAccount(
      {.name = "an.nguyen", .password = kGoodPassword, .grants = {{Role::kOfficer, "99999"}}},
      *registry_);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, "grant.unknown_unit");
  EXPECT_EQ(unknown.error().status, 422);
  auto none = service_->CreateAccount(
      {.name = "an.nguyen", .password = kGoodPassword, .grants = {{Role::kSystem, ""}}},
      *registry_);
  EXPECT_EQ(CodeOf(none), "grant.unknown_unit");
  auto leader_with_unit = service_->CreateAccount(
      {.name = "an.nguyen", .password = kGoodPassword, .grants = {{Role::kLeader, "25459"}}},
      *registry_);
  EXPECT_EQ(CodeOf(leader_with_unit), "grant.invalid");
  // Nothing was created by the failed attempts.
  auto list = service_->ListAccounts();
  ASSERT_TRUE(list);
  EXPECT_TRUE(list->empty());
}

TEST_F(Accounts, ViewShowsGrantsWithCodesAndNoSecrets) {
  CreatePerson("an.nguyen", {{Role::kOfficer, "80.SNNMT", true}, {Role::kLeader, "", false}});
  auto view = service_->GetAccount("an.nguyen");
  ASSERT_TRUE(view) << view.error().message;
  EXPECT_EQ(view->name, "an.nguyen");
  EXPECT_FALSE(view->system || view->disabled || view->locked || view->totp_enrolled);
  EXPECT_EQ(view->created_at, "2025-10-01T08:00:00Z");
  ASSERT_EQ(view->grants.size(), 2u);
  EXPECT_EQ(view->grants[0].role, Role::kOfficer);
  EXPECT_EQ(view->grants[0].unit_code, "80.SNNMT");
  EXPECT_TRUE(view->grants[0].include_descendants);
  EXPECT_EQ(view->grants[1].role, Role::kLeader);
  EXPECT_EQ(CodeOf(service_->GetAccount("nobody")), "account.not_found");
}

TEST_F(Accounts, SetGrantsReplaces) {
  CreateOfficer("an.nguyen");
  ASSERT_TRUE(service_->SetGrants("an.nguyen", {{Role::kOfficer, "25459", false}}, *registry_));
  auto view = service_->GetAccount("an.nguyen");
  ASSERT_TRUE(view);
  ASSERT_EQ(view->grants.size(), 1u);
  EXPECT_EQ(view->grants[0].unit_code, "25459");
  EXPECT_EQ(CodeOf(service_->SetGrants("an.nguyen", {{Role::kOfficer, "1"}}, *registry_)),
            "grant.unknown_unit");
}

TEST_F(Accounts, SetPasswordFollowsThePolicy) {
  CreateOfficer("an.nguyen");
  auto shortpw = service_->SetPassword("an.nguyen", "ngắn quá");
  ASSERT_FALSE(shortpw);
  EXPECT_EQ(shortpw.error().code, "password.too_short");
  ASSERT_TRUE(service_->SetPassword("an.nguyen", "bảy tám chín mười một"));
  EXPECT_EQ(CodeOf(Login("an.nguyen")), "auth.invalid_credentials");
  EXPECT_TRUE(Login("an.nguyen", "bảy tám chín mười một"));
  EXPECT_FALSE(service_->SetPassword("nobody", kGoodPassword));
}

TEST_F(Accounts, WithTotpEightCharactersAreEnough) {
  CreateAdministratorWithTotp("admin.tn");
  EXPECT_TRUE(service_->SetPassword("admin.tn", "tám chữ!"));
  EXPECT_EQ(CodeOf(service_->SetPassword("admin.tn", "bảy chữ")), "password.too_short");
}

TEST_F(Accounts, DisableEndsSessionsAndEnableRestores) {
  CreateOfficer("an.nguyen");
  auto login = Login("an.nguyen");
  ASSERT_TRUE(login);
  ASSERT_TRUE(service_->Disable("an.nguyen", "left the department"));
  EXPECT_EQ(CodeOf(service_->AuthenticateSession(login->session_cookie)), "auth.no_session");
  auto refused = Login("an.nguyen");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, "auth.disabled");
  EXPECT_EQ(refused.error().status, 403);
  EXPECT_NE(refused.error().message.find("left the department"), std::string::npos);
  auto view = service_->GetAccount("an.nguyen");
  ASSERT_TRUE(view);
  EXPECT_TRUE(view->disabled);
  EXPECT_EQ(view->disabled_reason, "left the department");

  ASSERT_TRUE(service_->Enable("an.nguyen"));
  EXPECT_TRUE(Login("an.nguyen"));
  EXPECT_FALSE(service_->Disable("nobody", "x"));
}

TEST_F(Accounts, DisableInactiveAfter45Days) {
  CreateOfficer("an.nguyen");
  CreateOfficer("binh.tran");
  CreatePerson("chi.le", {{Role::kLeader, "", false}});
  clock_.Advance(std::chrono::days(30));
  ASSERT_TRUE(Login("binh.tran"));
  clock_.Advance(std::chrono::days(15));  // exactly 45 days: not yet
  auto none = service_->DisableInactive();
  ASSERT_TRUE(none);
  EXPECT_EQ(*none, 0);
  clock_.Advance(std::chrono::minutes(1));
  auto two = service_->DisableInactive();
  ASSERT_TRUE(two);
  EXPECT_EQ(*two, 2);
  auto an = service_->GetAccount("an.nguyen");
  ASSERT_TRUE(an);
  EXPECT_TRUE(an->disabled);
  EXPECT_EQ(an->disabled_reason, "inactive for 45 days");
  auto binh = service_->GetAccount("binh.tran");
  ASSERT_TRUE(binh);
  EXPECT_FALSE(binh->disabled);
  EXPECT_EQ(binh->last_active_at, "2025-10-31T08:00:00Z");
  auto again = service_->DisableInactive();
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, 0);
  // Enabling counts as activity, so the account is usable again.
  ASSERT_TRUE(service_->Enable("an.nguyen"));
  EXPECT_TRUE(Login("an.nguyen"));
}

}  // namespace
}  // namespace pdh::auth
