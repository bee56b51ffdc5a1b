// Signing in: credentials, lockout, inactivity, TOTP, and sessions' idle and absolute expiry.
#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "auth/internal.h"
#include "auth/test_support.h"

namespace pdh::auth {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;
using testing::AuthTest;
using testing::CodeOf;
using testing::kGoodPassword;

class LoginTest : public AuthTest {};

TEST_F(LoginTest, SuccessOpensASession) {
  const int64_t id = CreateOfficer("an.nguyen");
  auto r = Login("an.nguyen");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->session_cookie.size(), 43u);  // 32 bytes, base64url
  EXPECT_FALSE(r->totp_enrollment_required);
  const Principal& p = r->principal;
  EXPECT_EQ(p.account_id, id);
  EXPECT_EQ(p.name, "an.nguyen");
  EXPECT_EQ(p.via, Principal::Via::kSession);
  EXPECT_FALSE(p.mfa);
  EXPECT_EQ(p.csrf_token.size(), 43u);
  EXPECT_EQ(p.session_id_hash, Sha256Hex(r->session_cookie));
  EXPECT_EQ(p.session_expires_at, clock_.Now() + minutes(15));
  ASSERT_EQ(p.grants.size(), 1u);
  EXPECT_EQ(p.grants[0].unit_code, "80.SNNMT");

  // Only the hash of the cookie is stored.
  auto stored = store_->identity().FindSession(Sha256Hex(r->session_cookie));
  ASSERT_TRUE(stored && *stored);
  EXPECT_EQ((*stored)->remote, "192.0.2.1");
  EXPECT_EQ((*stored)->expires_at, "2025-10-01T20:00:00Z");
  auto view = service_->GetAccount("an.nguyen");
  ASSERT_TRUE(view);
  EXPECT_EQ(view->last_active_at, "2025-10-01T08:00:00Z");

  auto again = service_->AuthenticateSession(r->session_cookie);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->csrf_token, p.csrf_token);
}

TEST_F(LoginTest, UnknownNameAndWrongPasswordLookTheSame) {
  CreateOfficer("an.nguyen");
  auto unknown = Login("nobody");
  auto wrong = Login("an.nguyen", "sai mật khẩu rồi đấy");
  ASSERT_FALSE(unknown);
  ASSERT_FALSE(wrong);
  EXPECT_EQ(unknown.error().code, "auth.invalid_credentials");
  EXPECT_EQ(unknown.error().code, wrong.error().code);
  EXPECT_EQ(unknown.error().message, wrong.error().message);
  EXPECT_EQ(unknown.error().status, 401);
  EXPECT_EQ(wrong.error().status, 401);
}

TEST_F(LoginTest, SystemAccountsCannotUseAPassword) {
  ASSERT_TRUE(service_->CreateAccount(
      {.name = "ioc.dashboard", .system = true, .grants = {{Role::kSystem, "80", true}}},
      *registry_));
  EXPECT_EQ(CodeOf(Login("ioc.dashboard")), "auth.invalid_credentials");
  EXPECT_EQ(CodeOf(Login("ioc.dashboard", "")), "auth.invalid_credentials");
}

TEST_F(LoginTest, LocksAfterFiveFailuresForTheLockoutPeriod) {
  CreateOfficer("an.nguyen");
  for (int i = 1; i <= 4; ++i) {
    EXPECT_EQ(CodeOf(Login("an.nguyen", "sai mật khẩu lần " + std::to_string(i))),
              "auth.invalid_credentials");
  }
  auto fifth = Login("an.nguyen", "sai mật khẩu lần năm");
  ASSERT_FALSE(fifth);
  EXPECT_EQ(fifth.error().code, "auth.locked");
  EXPECT_EQ(fifth.error().status, 423);
  auto view = service_->GetAccount("an.nguyen");
  ASSERT_TRUE(view);
  EXPECT_TRUE(view->locked);
  EXPECT_EQ(view->locked_until, "2025-10-01T08:15:00Z");
  EXPECT_EQ(view->failed_logins, 5);

  // Even the right password is refused while locked.
  clock_.Advance(minutes(14));
  EXPECT_EQ(CodeOf(Login("an.nguyen")), "auth.locked");
  clock_.Advance(minutes(1));
  auto released = Login("an.nguyen");
  ASSERT_TRUE(released) << released.error().message;
  view = service_->GetAccount("an.nguyen");
  ASSERT_TRUE(view);
  EXPECT_FALSE(view->locked);
  EXPECT_EQ(view->failed_logins, 0);
}

TEST_F(LoginTest, ConcurrentFailuresAreAllCounted) {
  CreateOfficer("an.nguyen");
  std::vector<std::thread> attempts;
  for (int i = 0; i < 5; ++i) {
    attempts.emplace_back([this] { EXPECT_FALSE(Login("an.nguyen", "sai mật khẩu mãi mãi")); });
  }
  for (auto& t : attempts) t.join();
  auto view = service_->GetAccount("an.nguyen");
  ASSERT_TRUE(view);
  EXPECT_EQ(view->failed_logins, 5);
  EXPECT_TRUE(view->locked);
}

TEST_F(LoginTest, AfterALockoutTheCountStartsAfresh) {
  CreateOfficer("an.nguyen");
  for (int i = 0; i < 5; ++i) EXPECT_FALSE(Login("an.nguyen", "sai mật khẩu mãi mãi"));
  clock_.Advance(minutes(15));
  EXPECT_EQ(CodeOf(Login("an.nguyen", "sai mật khẩu mãi mãi")), "auth.invalid_credentials");
  auto view = service_->GetAccount("an.nguyen");
  ASSERT_TRUE(view);
  EXPECT_EQ(view->failed_logins, 1);
}

TEST_F(LoginTest, SuccessResetsTheCount) {
  CreateOfficer("an.nguyen");
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(Login("an.nguyen", "sai mật khẩu mãi mãi"));
  ASSERT_TRUE(Login("an.nguyen"));
  auto view = service_->GetAccount("an.nguyen");
  ASSERT_TRUE(view);
  EXPECT_EQ(view->failed_logins, 0);
}

TEST_F(LoginTest, EnableClearsALockout) {
  CreateOfficer("an.nguyen");
  for (int i = 0; i < 5; ++i) EXPECT_FALSE(Login("an.nguyen", "sai mật khẩu mãi mãi"));
  EXPECT_EQ(CodeOf(Login("an.nguyen")), "auth.locked");
  ASSERT_TRUE(service_->Enable("an.nguyen"));
  EXPECT_TRUE(Login("an.nguyen"));
}

TEST_F(LoginTest, CheckPasswordCountsFailuresLikeLogin) {
  const int64_t id = CreateOfficer("an.nguyen");
  EXPECT_TRUE(service_->CheckPassword(id, kGoodPassword));
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(CodeOf(service_->CheckPassword(id, "sai mật khẩu mãi mãi")),
              "auth.invalid_credentials");
  }
  EXPECT_EQ(CodeOf(service_->CheckPassword(id, "sai mật khẩu mãi mãi")), "auth.locked");
  EXPECT_EQ(CodeOf(service_->CheckPassword(id, kGoodPassword)), "auth.locked");
  EXPECT_EQ(CodeOf(Login("an.nguyen")), "auth.locked");
}

TEST_F(LoginTest, InactiveFor45DaysIsDisabledAtLogin) {
  CreateOfficer("an.nguyen");
  clock_.Advance(std::chrono::days(45) + minutes(1));
  auto r = Login("an.nguyen");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "auth.inactive");
  EXPECT_EQ(r.error().status, 403);
  auto view = service_->GetAccount("an.nguyen");
  ASSERT_TRUE(view);
  EXPECT_TRUE(view->disabled);
  EXPECT_EQ(view->disabled_reason, "inactive for 45 days");
  EXPECT_EQ(CodeOf(Login("an.nguyen")), "auth.disabled");
  // A wrong password does not reveal the state of the account.
  EXPECT_EQ(CodeOf(Login("an.nguyen", "sai mật khẩu mãi mãi")), "auth.invalid_credentials");
}

TEST_F(LoginTest, SessionUseKeepsTheAccountActive) {
  CreateOfficer("an.nguyen");
  auto r = Login("an.nguyen");
  ASSERT_TRUE(r);
  clock_.Advance(seconds(30));
  ASSERT_TRUE(service_->AuthenticateSession(r->session_cookie));
  auto view = service_->GetAccount("an.nguyen");
  ASSERT_TRUE(view);
  EXPECT_EQ(view->last_active_at, "2025-10-01T08:00:00Z");  // at most once a minute
  clock_.Advance(seconds(40));
  ASSERT_TRUE(service_->AuthenticateSession(r->session_cookie));
  view = service_->GetAccount("an.nguyen");
  ASSERT_TRUE(view);
  EXPECT_EQ(view->last_active_at, "2025-10-01T08:01:10Z");
}

TEST_F(LoginTest, IdleSessionsExpireAfter15Minutes) {
  CreateOfficer("an.nguyen");
  auto r = Login("an.nguyen");
  ASSERT_TRUE(r);
  clock_.Advance(minutes(14));
  auto p = service_->AuthenticateSession(r->session_cookie);
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(p->session_expires_at, clock_.Now() + minutes(15));
  clock_.Advance(minutes(14));  // measured from the last use
  ASSERT_TRUE(service_->AuthenticateSession(r->session_cookie));
  clock_.Advance(minutes(15));
  auto expired = service_->AuthenticateSession(r->session_cookie);
  ASSERT_FALSE(expired);
  EXPECT_EQ(expired.error().code, "auth.session_expired");
  EXPECT_EQ(expired.error().status, 401);
  // The expired session is gone.
  EXPECT_EQ(CodeOf(service_->AuthenticateSession(r->session_cookie)), "auth.no_session");
}

TEST_F(LoginTest, AdministratorSessionsIdleOutAfter5Minutes) {
  const std::string secret = CreateAdministratorWithTotp("admin.tn");
  auto r = Login("admin.tn", kGoodPassword, TotpCode(secret, clock_.Now()));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->principal.session_expires_at, clock_.Now() + minutes(5));
  clock_.Advance(minutes(4));
  ASSERT_TRUE(service_->AuthenticateSession(r->session_cookie));
  clock_.Advance(minutes(5));
  EXPECT_EQ(CodeOf(service_->AuthenticateSession(r->session_cookie)), "auth.session_expired");
}

TEST_F(LoginTest, SessionsEndAfterTheirAbsoluteLifetime) {
  CreateOfficer("an.nguyen");
  auto r = Login("an.nguyen");
  ASSERT_TRUE(r);
  const TimePoint end = clock_.Now() + std::chrono::hours(12);
  for (int i = 0; i < 71; ++i) {  // busy all day: 11 h 50 min
    clock_.Advance(minutes(10));
    ASSERT_TRUE(service_->AuthenticateSession(r->session_cookie)) << i;
  }
  auto p = service_->AuthenticateSession(r->session_cookie);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->session_expires_at, end);  // the absolute limit is nearer than the idle one
  clock_.Advance(minutes(10));
  EXPECT_EQ(CodeOf(service_->AuthenticateSession(r->session_cookie)), "auth.session_expired");
}

TEST_F(LoginTest, UnknownCookiesHaveNoSession) {
  EXPECT_EQ(CodeOf(service_->AuthenticateSession("")), "auth.no_session");
  EXPECT_EQ(CodeOf(service_->AuthenticateSession("made-up")), "auth.no_session");
}

TEST_F(LoginTest, LogoutAndLogoutEverywhere) {
  const int64_t id = CreateOfficer("an.nguyen");
  auto office = Login("an.nguyen");
  auto phone = Login("an.nguyen");
  auto laptop = Login("an.nguyen");
  ASSERT_TRUE(office && phone && laptop);
  ASSERT_TRUE(service_->Logout(office->session_cookie));
  EXPECT_EQ(CodeOf(service_->AuthenticateSession(office->session_cookie)), "auth.no_session");
  EXPECT_TRUE(service_->AuthenticateSession(phone->session_cookie));
  auto ended = service_->LogoutEverywhere(id);
  ASSERT_TRUE(ended);
  EXPECT_EQ(*ended, 2);
  EXPECT_EQ(CodeOf(service_->AuthenticateSession(phone->session_cookie)), "auth.no_session");
  EXPECT_EQ(CodeOf(service_->AuthenticateSession(laptop->session_cookie)), "auth.no_session");
  EXPECT_TRUE(service_->Logout(office->session_cookie));  // twice is harmless
}

TEST_F(LoginTest, AdministratorEnrolsTotpBeforeAnythingElse) {
  const int64_t id = CreatePerson("admin.tn", {{Role::kAdministrator, "", false}});
  auto r = Login("admin.tn");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(r->totp_enrollment_required);
  EXPECT_FALSE(r->principal.mfa);
  EXPECT_TRUE(Allows(r->principal, "authenticated", nullptr, *registry_));
  EXPECT_FALSE(Allows(r->principal, "units.admin", nullptr, *registry_));

  EXPECT_EQ(CodeOf(service_->ConfirmTotp(id, "123456")), "auth.totp_not_started");
  auto enrol = service_->BeginTotp(id);
  ASSERT_TRUE(enrol);
  EXPECT_EQ(enrol->otpauth_uri, "otpauth://totp/pdh:admin.tn?secret=" + enrol->secret_base32 +
                                    "&issuer=pdh&algorithm=SHA1&digits=6&period=30");
  const std::string wrong =
      TotpCode(enrol->secret_base32, clock_.Now()) == "000000" ? "111111" : "000000";
  EXPECT_EQ(CodeOf(service_->ConfirmTotp(id, wrong)), "auth.totp_invalid");
  ASSERT_TRUE(service_->ConfirmTotp(id, TotpCode(enrol->secret_base32, clock_.Now())));
  ASSERT_TRUE(service_->MarkSessionMfa(r->principal.session_id_hash));

  auto p = service_->AuthenticateSession(r->session_cookie);
  ASSERT_TRUE(p);
  EXPECT_TRUE(p->mfa);
  EXPECT_TRUE(p->totp_enrolled);
  EXPECT_TRUE(Allows(*p, "units.admin", nullptr, *registry_));
  auto view = service_->GetAccount("admin.tn");
  ASSERT_TRUE(view);
  EXPECT_TRUE(view->totp_enrolled);
}

TEST_F(LoginTest, TotpIsAskedForAndChecked) {
  const std::string secret = CreateAdministratorWithTotp("admin.tn");
  auto missing = Login("admin.tn");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, "auth.totp_required");
  EXPECT_EQ(missing.error().status, 401);

  const std::string code = TotpCode(secret, clock_.Now());
  const std::string wrong = code == "000000" ? "111111" : "000000";
  EXPECT_EQ(CodeOf(Login("admin.tn", kGoodPassword, wrong)), "auth.totp_invalid");
  auto view = service_->GetAccount("admin.tn");
  ASSERT_TRUE(view);
  EXPECT_EQ(view->failed_logins, 1);  // a wrong code counts as a failure

  // The previous step's code is still accepted (clock drift).
  clock_.Advance(seconds(30));
  auto r = Login("admin.tn", kGoodPassword, code);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(r->principal.mfa);
  EXPECT_FALSE(r->totp_enrollment_required);
  // The same step cannot be used twice.
  EXPECT_EQ(CodeOf(Login("admin.tn", kGoodPassword, code)), "auth.totp_invalid");
  // A wrong password with the right code is still wrong.
  clock_.Advance(seconds(30));
  EXPECT_EQ(CodeOf(Login("admin.tn", "sai mật khẩu mãi mãi", TotpCode(secret, clock_.Now()))),
            "auth.invalid_credentials");
}

TEST_F(LoginTest, PasswordsMatchWhateverTheUnicodeForm) {
  CreatePerson("an.nguyen", {}, "bi\xe1\xba\xbft m\xe1\xba\xadt kh\xe1\xba\xa9u d\xc3\xa0i");
  EXPECT_TRUE(Login("an.nguyen",
                    "bie\xcc\x82\xcc\x81t ma\xcc\x82\xcc\xa3t kha\xcc\x82\xcc\x89u "
                    "da\xcc\x80i"));
}

}  // namespace
}  // namespace pdh::auth
