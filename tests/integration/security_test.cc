// Sign-in, second factor, CSRF, lockout and the audit log, end to end over HTTP and the CLI,
// against the real server (requests without credentials and API tokens: tests/scenarios/auth).
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <map>
#include <string>

#include "auth/auth.h"
#include "integration/pdh_server.h"

namespace pdh::test {
namespace {

namespace json = boost::json;

// The session cookie a login set ("pdh_session=...").
std::string CookieOf(const HttpResponse& r) {
  const std::string set = r.Header("set-cookie");
  return set.substr(0, set.find(';'));
}

HttpRequest Json(std::string method, std::string target, std::string body,
                 std::vector<std::pair<std::string, std::string>> headers = {}) {
  headers.emplace_back("Content-Type", "application/json");
  return {std::move(method), std::move(target), std::move(body), std::move(headers)};
}

HttpResponse Login(const std::string& name, const std::string& password,
                   const std::string& totp = "") {
  json::object o{{"name", name}, {"password", password}};
  if (!totp.empty()) o["totp"] = totp;
  return SharedServer().Anonymous(Json("POST", "/api/v1/auth/login", json::serialize(o)));
}

TEST(Security, AdministratorEnrolsTotpThenSignsInWithIt) {
  auto& s = SharedServer();
  auto first = Login("admin", s.admin_password());
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_TRUE(Body(first).at("totp_enrollment_required").as_bool());
  const std::string cookie = CookieOf(first);
  EXPECT_NE(first.Header("set-cookie").find("HttpOnly"), std::string::npos);
  EXPECT_NE(first.Header("set-cookie").find("SameSite=Strict"), std::string::npos);
  const std::string csrf(Body(first).at("csrf_token").as_string());

  // Nothing but enrolment until the second factor is set up.
  auto blocked = s.Request({"GET", "/api/v1/units/80", "", {{"Cookie", cookie}}});
  EXPECT_EQ(blocked.status, 403);
  EXPECT_EQ(Code(blocked), "auth.totp_enrollment_required");

  // Writes with the cookie need the CSRF token.
  auto no_csrf = s.Request(Json("POST", "/api/v1/auth/totp/enroll", "{}", {{"Cookie", cookie}}));
  EXPECT_EQ(no_csrf.status, 403);
  EXPECT_EQ(Code(no_csrf), "auth.csrf");

  auto enrol = s.Request(
      Json("POST", "/api/v1/auth/totp/enroll", "{}", {{"Cookie", cookie}, {"X-CSRF-Token", csrf}}));
  ASSERT_EQ(enrol.status, 200) << enrol.body;
  const std::string secret(Body(enrol).at("secret").as_string());
  EXPECT_EQ(std::string(Body(enrol).at("otpauth_uri").as_string()).rfind("otpauth://totp/", 0), 0u);

  SystemClock clock;
  auto wrong = s.Request(Json("POST", "/api/v1/auth/totp/confirm", R"({"code":"000000"})",
                              {{"Cookie", cookie}, {"X-CSRF-Token", csrf}}));
  EXPECT_EQ(Code(wrong), "auth.totp_invalid");
  auto confirm = s.Request(Json("POST", "/api/v1/auth/totp/confirm",
                                R"({"code":")" + auth::TotpCode(secret, clock.Now()) + R"("})",
                                {{"Cookie", cookie}, {"X-CSRF-Token", csrf}}));
  ASSERT_EQ(confirm.status, 200) << confirm.body;
  EXPECT_TRUE(Body(confirm).at("mfa").as_bool());
  EXPECT_EQ(s.Request({"GET", "/api/v1/units/80", "", {{"Cookie", cookie}}}).status, 200);

  // Logging out ends the session.
  auto out = s.Request(
      Json("POST", "/api/v1/auth/logout", "", {{"Cookie", cookie}, {"X-CSRF-Token", csrf}}));
  EXPECT_EQ(out.status, 204) << out.body;
  EXPECT_EQ(s.Request({"GET", "/api/v1/auth/me", "", {{"Cookie", cookie}}}).status, 401);

  // From now on the password alone is not enough.
  auto again = Login("admin", s.admin_password());
  EXPECT_EQ(again.status, 401);
  EXPECT_EQ(Code(again), "auth.totp_required");
  auto with_code = Login("admin", s.admin_password(),
                         auth::TotpCode(secret, clock.Now() + std::chrono::seconds(30)));
  ASSERT_EQ(with_code.status, 200) << with_code.body;
  EXPECT_FALSE(Body(with_code).at("totp_enrollment_required").as_bool());
}

TEST(Security, FiveWrongPasswordsLockTheAccount) {
  auto& s = SharedServer();
  std::string out;
  ASSERT_EQ(s.Pdh("users add lock_a --password correct-horse-battery-staple --role leader", &out),
            0)
      << out;
  for (int i = 0; i < 5; ++i) {
    auto r = Login("lock_a", "wrong-password-number-" + std::to_string(i));
    EXPECT_TRUE(r.status == 401 || r.status == 423) << r.body;
  }
  auto locked = Login("lock_a", "correct-horse-battery-staple");
  EXPECT_EQ(locked.status, 423) << locked.body;
  EXPECT_EQ(Code(locked), "auth.locked");
  // An administrator can unlock it.
  ASSERT_EQ(s.Pdh("users enable lock_a", &out), 0) << out;
  EXPECT_EQ(Login("lock_a", "correct-horse-battery-staple").status, 200);
  // Failed sign-ins are in the audit log.
  // Each with its outcome, committed with the failure count it wrote (the attempt refused as
  // locked wrote nothing and has an entry of its own); the sign-in that worked, once.
  auto audit = Body(s.Get("/api/v1/audit?actor=lock_a&action=login.failed"));
  const auto& failed = audit.at("items").as_array();
  ASSERT_EQ(failed.size(), 6u) << json::serialize(audit);
  std::map<std::string, int> codes;
  for (const auto& e : failed) ++codes[std::string(e.at("detail").at("code").as_string())];
  EXPECT_EQ(codes["auth.invalid_credentials"], 4) << json::serialize(audit);
  EXPECT_EQ(codes["auth.locked"], 2) << json::serialize(audit);
  auto signed_in = Body(s.Get("/api/v1/audit?actor=lock_a&action=login"));
  ASSERT_EQ(signed_in.at("items").as_array().size(), 1u) << json::serialize(signed_in);
  EXPECT_EQ(signed_in.at("items").at(0).at("detail").at("mfa"), false);
}

TEST(Security, AuditLogVerifiesAndNamesATamperedEntry) {
  auto& s = SharedServer();
  // A write to audit (a token: a change of the units would rebuild the shared server's
  // indicators, which this test is not about).
  s.Request(Json("POST", "/api/v1/tokens", R"({"name":"kiểm toán","expires_in_days":1})"));
  std::string out;
  EXPECT_EQ(s.Pdh("audit verify", &out), 0) << out;
  EXPECT_NE(out.find("verified"), std::string::npos) << out;
  auto api = Body(s.Get("/api/v1/audit/verify"));
  EXPECT_TRUE(api.at("ok").as_bool()) << json::serialize(api);

  // Change one byte of entry 3 in a copy of the database.
  const std::string copy = CopyDatabase(s, s.dir() + "/tampered.db", &out);
  ASSERT_FALSE(copy.empty()) << out;
  ASSERT_TRUE(TamperWith(copy, "UPDATE audit_entry SET actor = actor || 'x' WHERE seq = 3"));
  EXPECT_EQ(RunPdh("audit verify --db " + copy, &out), 5) << out;
  EXPECT_NE(out.find("entry 3"), std::string::npos) << out;

  // Export for an outside verifier: a header, the entries and the checkpoints.
  EXPECT_EQ(s.Pdh("audit export --out " + s.dir() + "/audit.jsonl", &out), 0) << out;
}

}  // namespace
}  // namespace pdh::test
