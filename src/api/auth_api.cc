// /api/v1/auth, /users, /tokens, /audit: sign-in, second factor, accounts, API tokens and the
// audit log (M11).
#include <boost/json.hpp>

#include "api/api.h"
#include "api/handler_util.h"

namespace pdh::api {
namespace json = boost::json;
namespace {

using http::Request;
using http::Response;

constexpr std::string_view kCookie = "pdh_session";

const auth::Principal& Me(const Request& req) {
  const auth::Principal* p = PrincipalOf(req);
  if (!p) throw Failure(Error{"auth.no_session", "sign in first", 401});
  return *p;
}

json::array GrantsJson(const std::vector<auth::Grant>& grants, const units::Registry& reg) {
  json::array a;
  for (const auto& g : grants) {
    const units::Unit* u = g.unit_code.empty() ? nullptr : reg.Find(g.unit_code, Date::Today());
    a.push_back(
        {{"role", auth::RoleName(g.role)},
         {"unit_code", g.unit_code.empty() ? json::value(nullptr) : json::value(g.unit_code)},
         {"unit_name", u ? json::value(u->name) : json::value(nullptr)},
         {"include_descendants", g.include_descendants}});
  }
  return a;
}

json::object MeJson(Context& ctx, const auth::Principal& p) {
  const bool admin = p.Has(auth::Role::kAdministrator);
  const auto idle =
      admin ? ctx.auth().config().admin_idle_timeout : ctx.auth().config().idle_timeout;
  const bool session = p.via == auth::Principal::Via::kSession;
  return {{"name", p.name},
          {"display_name", p.display_name},
          {"roles", GrantsJson(p.grants, *ctx.registry())},
          {"mfa", p.mfa},
          {"totp_enrolled", p.totp_enrolled},
          {"totp_enrollment_required", session && admin && !p.mfa},
          {"via", session ? "session" : "token"},
          {"csrf_token", session ? json::value(p.csrf_token) : json::value(nullptr)},
          {"session_expires_at",
           session ? json::value(FormatTime(p.session_expires_at)) : json::value(nullptr)},
          {"idle_timeout_seconds", idle.count()}};
}

json::object AccountJson(Context& ctx, const auth::AccountView& a) {
  return {{"name", a.name},
          {"display_name", a.display_name},
          {"system", a.system},
          {"disabled", a.disabled},
          {"disabled_reason", a.disabled_reason},
          {"locked", a.locked},
          {"locked_until", OrNull(a.locked_until)},
          {"totp_enrolled", a.totp_enrolled},
          {"failed_logins", a.failed_logins},
          {"created_at", a.created_at},
          {"last_active_at", OrNull(a.last_active_at)},
          {"grants", GrantsJson(a.grants, *ctx.registry())}};
}

json::object TokenJson(Context& ctx, const store::TokenRow& t) {
  json::array perms(t.permissions.begin(), t.permissions.end());
  json::array units(t.unit_codes.begin(), t.unit_codes.end());
  auto owner = ctx.auth().AccountName(t.account_id);
  const bool active = !t.revoked_at && t.expires_at > FormatTime(ctx.clock().Now());
  return {{"id", t.id},
          {"name", t.name},
          {"prefix", t.prefix},
          {"account", owner ? json::value(*owner) : json::value(nullptr)},
          {"permissions", std::move(perms)},
          {"units", std::move(units)},
          {"created_at", t.created_at},
          {"expires_at", t.expires_at},
          {"revoked_at", OrNull(t.revoked_at)},
          {"last_used_at", OrNull(t.last_used_at)},
          {"active", active}};
}

std::string SessionCookie(const Request& req, const std::string& value, int64_t max_age) {
  std::string c = std::string(kCookie) + "=" + value +
                  "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(max_age);
  if (req.tls) c += "; Secure";
  return c;
}

Response Login(Context& ctx, Request& req) {
  const json::object body = BodyObject(req);
  OnlyFields(body, {"name", "password", "totp"});
  const std::string name = OptString(body, "name").value_or("");
  const std::string password = OptString(body, "password").value_or("");
  // The entry commits with the sign-in's first write (the failure count, the session), named
  // by the outcome auth decided just before it; an outcome that wrote nothing gets its own.
  std::string action = "login";
  json::object detail;
  auto decide = [&action, &detail](const Error* failure, bool mfa) {
    action = failure != nullptr ? "login.failed" : "login";
    detail =
        failure != nullptr ? json::object{{"code", failure->code}} : json::object{{"mfa", mfa}};
  };
  audit::Scope scope(ctx.audit(), [&] {
    return audit::Event{name, action, req.path, req.remote, req.request_id, detail};
  });
  auto result = ctx.auth().Login(name, password, OptString(body, "totp"), req.remote, decide);
  if (!result) {
    decide(&result.error(), false);
  } else {
    decide(nullptr, result->principal.mfa);
  }
  if (auto r = scope.Finish(); !r) {
    std::fprintf(stderr, "pdh: audit append failed: %s\n", r.error().message.c_str());
  }
  if (!result) throw Failure(result.error());
  const auto lifetime =
      std::chrono::duration_cast<std::chrono::seconds>(ctx.auth().config().absolute_lifetime);
  Response r =
      Response::Json(json::object{{"account", MeJson(ctx, result->principal)},
                                  {"csrf_token", result->principal.csrf_token},
                                  {"totp_enrollment_required", result->totp_enrollment_required}});
  r.headers.emplace_back("Set-Cookie",
                         SessionCookie(req, result->session_cookie, lifetime.count()));
  return r;
}

Response Logout(Context& ctx, Request& req) {
  Must(ctx.auth().Logout(req.Cookie(kCookie)));
  Response r{204, "application/json", "", {}};
  r.headers.emplace_back("Set-Cookie", SessionCookie(req, "", 0));
  return r;
}

Response LogoutAll(Context& ctx, Request& req) {
  const int64_t n = Must(ctx.auth().LogoutEverywhere(Me(req).account_id));
  Response r = Response::Json(json::object{{"sessions_ended", n}});
  r.headers.emplace_back("Set-Cookie", SessionCookie(req, "", 0));
  return r;
}

Response GetMe(Context& ctx, Request& req) {
  return Response::Json(MeJson(ctx, Me(req)));
}

Response TotpEnroll(Context& ctx, Request& req) {
  auto e = Must(ctx.auth().BeginTotp(Me(req).account_id));
  return Response::Json(json::object{{"secret", e.secret_base32}, {"otpauth_uri", e.otpauth_uri}});
}

Response TotpConfirm(Context& ctx, Request& req) {
  const json::object body = BodyObject(req);
  OnlyFields(body, {"code"});
  const auth::Principal& p = Me(req);
  Must(ctx.auth().ConfirmTotp(p.account_id, OptString(body, "code").value_or("")));
  if (p.via == auth::Principal::Via::kSession) Must(ctx.auth().MarkSessionMfa(p.session_id_hash));
  auth::Principal updated = p;
  updated.mfa = true;
  updated.totp_enrolled = true;
  return Response::Json(MeJson(ctx, updated));
}

Response ChangePassword(Context& ctx, Request& req) {
  const json::object body = BodyObject(req);
  OnlyFields(body, {"current", "new"});
  const auth::Principal& p = Me(req);
  // The current password proves it is the account's owner at the keyboard.
  Must(ctx.auth().CheckPassword(p.account_id, OptString(body, "current").value_or("")));
  Must(ctx.auth().SetPassword(p.name, OptString(body, "new").value_or("")));
  return Response{204, "application/json", "", {}};
}

std::vector<auth::Grant> ParseGrants(const json::object& body) {
  std::vector<auth::Grant> out;
  auto it = body.find("grants");
  if (it == body.end() || it->value().is_null()) return out;
  if (!it->value().is_array()) {
    throw Failure(Error::Invalid("request.invalid_field", "grants must be an array"));
  }
  for (const auto& g : it->value().as_array()) {
    if (!g.is_object())
      throw Failure(Error::Invalid("request.invalid_field", "each grant is an object"));
    const auto& o = g.as_object();
    auto role = auth::ParseRole(OptString(o, "role").value_or(""));
    if (!role) {
      throw Failure(Error::Invalid(
          "grant.invalid_role", "role must be administrator, officer, leader, auditor or system"));
    }
    out.push_back({*role, OptString(o, "unit_code").value_or(""),
                   OptBool(o, "include_descendants").value_or(false)});
  }
  return out;
}

Response ListUsers(Context& ctx, Request&) {
  json::array items;
  for (const auto& a : Must(ctx.auth().ListAccounts())) items.push_back(AccountJson(ctx, a));
  return Response::Json(json::object{{"items", std::move(items)}});
}

Response CreateUser(Context& ctx, Request& req) {
  const json::object body = BodyObject(req);
  OnlyFields(body, {"name", "display_name", "password", "system", "grants"});
  auth::NewAccount a;
  a.name = OptString(body, "name").value_or("");
  a.display_name = OptString(body, "display_name").value_or("");
  a.password = OptString(body, "password");
  a.system = OptBool(body, "system").value_or(false);
  a.grants = ParseGrants(body);
  Must(ctx.auth().CreateAccount(a, *ctx.registry()));
  Response r = Response::Json(AccountJson(ctx, Must(ctx.auth().GetAccount(a.name))), 201);
  r.headers.emplace_back("Location", "/api/v1/users/" + a.name);
  return r;
}

Response GetUser(Context& ctx, Request& req) {
  return Response::Json(AccountJson(ctx, Must(ctx.auth().GetAccount(req.params.at("name")))));
}

Response UpdateUser(Context& ctx, Request& req) {
  const json::object body = BodyObject(req);
  OnlyFields(body, {"display_name", "disabled", "disabled_reason", "grants", "password"});
  const std::string name = req.params.at("name");
  Must(ctx.auth().GetAccount(name));  // 404 before any change
  if (auto pw = OptString(body, "password")) Must(ctx.auth().SetPassword(name, *pw));
  if (body.contains("grants")) Must(ctx.auth().SetGrants(name, ParseGrants(body), *ctx.registry()));
  if (auto disabled = OptBool(body, "disabled")) {
    if (*disabled) {
      Must(ctx.auth().Disable(
          name, OptString(body, "disabled_reason").value_or("disabled by an administrator")));
      // Only tidies up: a disabled account's sessions are refused anyway, so a failure to end
      // them does not undo the disabling.
      (void)ctx.auth().LogoutEverywhere(Must(ctx.auth().GetAccount(name)).id);
    } else {
      Must(ctx.auth().Enable(name));
    }
  }
  if (auto dn = OptString(body, "display_name")) Must(ctx.auth().SetDisplayName(name, *dn));
  return Response::Json(AccountJson(ctx, Must(ctx.auth().GetAccount(name))));
}

Response UnitAccounts(Context& ctx, Request& req) {
  auto reg = ctx.registry();
  const std::string code = req.params.at("code");
  json::array items;
  for (const auto& a : Must(ctx.auth().ListAccounts())) {
    const bool here = std::any_of(a.grants.begin(), a.grants.end(),
                                  [&](const auth::Grant& g) { return g.unit_code == code; });
    if (here) items.push_back(AccountJson(ctx, a));
  }
  return Response::Json(json::object{{"items", std::move(items)}});
}

Response ListTokens(Context& ctx, Request& req) {
  const auth::Principal& p = Me(req);
  const bool all = req.Query("all").value_or("") == "1";
  if (all && !p.Has(auth::Role::kAdministrator)) {
    throw Failure(Error{"auth.forbidden", "only administrators list every token", 403});
  }
  json::array items;
  for (const auto& t :
       Must(ctx.auth().ListTokens(all ? std::nullopt : std::optional(p.account_id)))) {
    items.push_back(TokenJson(ctx, t));
  }
  return Response::Json(json::object{{"items", std::move(items)}});
}

Response CreateToken(Context& ctx, Request& req) {
  const json::object body = BodyObject(req);
  OnlyFields(body, {"name", "expires_in_days", "permissions", "units", "account"});
  const auth::Principal& p = Me(req);
  std::string account = OptString(body, "account").value_or(p.name);
  if (account != p.name && !p.Has(auth::Role::kAdministrator)) {
    throw Failure(
        Error{"auth.forbidden", "only administrators create tokens for other accounts", 403});
  }
  auto t = Must(
      ctx.auth().CreateToken(account, OptString(body, "name").value_or("token"),
                             std::chrono::days(OptInt(body, "expires_in_days").value_or(30)),
                             OptStrings(body, "permissions").value_or(std::vector<std::string>{}),
                             OptStrings(body, "units").value_or(std::vector<std::string>{})));
  json::object o = TokenJson(ctx, t.row);
  o["token"] = t.secret;
  return Response::Json(o, 201);
}

Response RevokeToken(Context& ctx, Request& req) {
  const auth::Principal& p = Me(req);
  auto id = ParseCount(req.params.at("id"));
  if (!id) throw Failure(Error::NotFound("token.not_found", "no token with that id"));
  auto mine = Must(ctx.auth().ListTokens(
      p.Has(auth::Role::kAdministrator) ? std::nullopt : std::optional(p.account_id)));
  const bool found = std::any_of(mine.begin(), mine.end(), [&](const store::TokenRow& t) {
    return t.id == static_cast<int64_t>(*id);
  });
  if (!found) throw Failure(Error::NotFound("token.not_found", "no token of yours with that id"));
  Must(ctx.auth().RevokeToken(static_cast<int64_t>(*id)));
  return Response{204, "application/json", "", {}};
}

Response ListAudit(Context& ctx, Request& req) {
  store::AuditQuery q;
  q.actor = req.Query("actor");
  q.action = req.Query("action");
  q.from = req.Query("from");
  q.to = req.Query("to");
  q.limit = static_cast<int64_t>(ParseLimit(req, 100, 1000));
  q.newest_first = true;
  if (auto b = req.Query("before")) {
    auto n = ParseCount(*b);
    if (!n)
      throw Failure(Error::BadRequest("request.invalid_cursor", "before must be an entry number"));
    q.before_seq = static_cast<int64_t>(*n);
  }
  auto rows = Must(ctx.audit().Entries(q));
  json::array items;
  for (const auto& e : rows) items.push_back(audit::EntryJson(e));
  const bool more = static_cast<int64_t>(rows.size()) == q.limit && !rows.empty();
  return Response::Json(
      json::object{{"items", std::move(items)},
                   {"next_before", more ? json::value(rows.back().seq) : json::value(nullptr)}});
}

Response VerifyAudit(Context& ctx, Request&) {
  auto r = Must(ctx.audit().Verify());
  return Response::Json(json::object{
      {"ok", r.ok},
      {"entries", r.entries},
      {"checkpoints", r.checkpoints},
      {"first_bad_seq", r.first_bad_seq ? json::value(*r.first_bad_seq) : json::value(nullptr)},
      {"problem", r.problem}});
}

constexpr const char* kMeSchema =
    R"({"type":"object","properties":{"name":{"type":"string"},"display_name":{"type":"string"},"roles":{"type":"array","items":{"type":"object"}},"mfa":{"type":"boolean"},"totp_enrolled":{"type":"boolean"},"totp_enrollment_required":{"type":"boolean"},"via":{"type":"string","enum":["session","token"]},"csrf_token":{"type":["string","null"]},"session_expires_at":{"type":["string","null"]},"idle_timeout_seconds":{"type":"integer"}}})";
constexpr const char* kAccountSchema =
    R"({"type":"object","properties":{"name":{"type":"string"},"display_name":{"type":"string"},"system":{"type":"boolean"},"disabled":{"type":"boolean"},"locked":{"type":"boolean"},"totp_enrolled":{"type":"boolean"},"grants":{"type":"array","items":{"type":"object"}}}})";
constexpr const char* kTokenSchema =
    R"({"type":"object","properties":{"id":{"type":"integer"},"name":{"type":"string"},"prefix":{"type":"string"},"token":{"type":"string","description":"the secret, only in the creation response"},"expires_at":{"type":"string"},"active":{"type":"boolean"}}})";

std::string ItemsOf(const char* schema) {
  return std::string(R"({"type":"object","properties":{"items":{"type":"array","items":)") +
         schema + "}}}";
}

}  // namespace

void RegisterAuthRoutes(http::Router& router, Context& ctx) {
  auto bind = [&ctx](Response (*fn)(Context&, Request&)) {
    return [&ctx, fn](Request& req) { return fn(ctx, req); };
  };
  router.DescribeTag("auth", "Sign-in, second factor, sessions.");
  router.DescribeTag("users", "Accounts and roles (administrators).");
  router.DescribeTag("tokens", "API tokens for people and connected systems.");
  router.DescribeTag("audit", "The tamper-evident audit log (auditors).");

  router.Add(
      "POST", "/api/v1/auth/login", "auth.login", bind(Login),
      {.summary =
           "Sign in with name, password and (once enrolled) a TOTP code; sets the session cookie",
       .tag = "auth",
       .request_schema =
           R"({"type":"object","required":["name","password"],"properties":{"name":{"type":"string"},"password":{"type":"string"},"totp":{"type":"string"}}})",
       .response_schema =
           R"({"type":"object","properties":{"account":)" + std::string(kMeSchema) +
           R"(,"csrf_token":{"type":"string"},"totp_enrollment_required":{"type":"boolean"}}})",
       .error_statuses = {400, 401, 403, 415, 422, 423, 429},
       .permission = "public"});
  router.Add("POST", "/api/v1/auth/logout", "auth.logout", bind(Logout),
             {.summary = "End this session",
              .tag = "auth",
              .success_status = 204,
              .error_statuses = {401, 403},
              .permission = "authenticated"});
  router.Add(
      "POST", "/api/v1/auth/logout-all", "auth.logout_all", bind(LogoutAll),
      {.summary = "End every session of this account (logout everywhere)",
       .tag = "auth",
       .response_schema = R"({"type":"object","properties":{"sessions_ended":{"type":"integer"}}})",
       .error_statuses = {401, 403},
       .permission = "authenticated"});
  router.Add("GET", "/api/v1/auth/me", "auth.me", bind(GetMe),
             {.summary = "Who is signed in, with roles and session expiry",
              .tag = "auth",
              .response_schema = kMeSchema,
              .error_statuses = {401},
              .permission = "authenticated"});
  router.Add(
      "POST", "/api/v1/auth/totp/enroll", "auth.totp_enroll", bind(TotpEnroll),
      {.summary = "Start TOTP enrolment: a secret and its otpauth URI",
       .tag = "auth",
       .response_schema =
           R"({"type":"object","properties":{"secret":{"type":"string"},"otpauth_uri":{"type":"string"}}})",
       .error_statuses = {401, 403},
       .permission = "authenticated"});
  router.Add(
      "POST", "/api/v1/auth/totp/confirm", "auth.totp_confirm", bind(TotpConfirm),
      {.summary = "Confirm TOTP enrolment with a code from the app",
       .tag = "auth",
       .request_schema =
           R"({"type":"object","required":["code"],"properties":{"code":{"type":"string"}}})",
       .response_schema = kMeSchema,
       .error_statuses = {400, 401, 403, 415, 422},
       .permission = "authenticated"});
  router.Add(
      "POST", "/api/v1/auth/password", "auth.password", bind(ChangePassword),
      {.summary = "Change one's own password",
       .tag = "auth",
       .request_schema =
           R"({"type":"object","required":["current","new"],"properties":{"current":{"type":"string"},"new":{"type":"string"}}})",
       .success_status = 204,
       .error_statuses = {400, 401, 403, 415, 422},
       .permission = "authenticated"});

  router.Add("GET", "/api/v1/users", "users.list", bind(ListUsers),
             {.summary = "Every account with its status and roles",
              .tag = "users",
              .response_schema = ItemsOf(kAccountSchema),
              .error_statuses = {401, 403},
              .permission = "users.admin"});
  router.Add(
      "POST", "/api/v1/users", "users.create", bind(CreateUser),
      {.summary = "Create an account",
       .tag = "users",
       .request_schema =
           R"({"type":"object","required":["name"],"properties":{"name":{"type":"string"},"display_name":{"type":"string"},"password":{"type":"string"},"system":{"type":"boolean"},"grants":{"type":"array","items":{"type":"object","properties":{"role":{"type":"string"},"unit_code":{"type":"string"},"include_descendants":{"type":"boolean"}}}}}})",
       .response_schema = kAccountSchema,
       .success_status = 201,
       .error_statuses = {400, 401, 403, 409, 415, 422},
       .permission = "users.admin"});
  router.Add("GET", "/api/v1/users/{name}", "users.get", bind(GetUser),
             {.summary = "One account",
              .tag = "users",
              .response_schema = kAccountSchema,
              .error_statuses = {401, 403, 404},
              .permission = "users.admin"});
  router.Add(
      "PATCH", "/api/v1/users/{name}", "users.update", bind(UpdateUser),
      {.summary = "Change an account: roles, password, disable, enable (clears a lockout)",
       .tag = "users",
       .request_schema =
           R"({"type":"object","properties":{"display_name":{"type":"string"},"disabled":{"type":"boolean"},"disabled_reason":{"type":"string"},"password":{"type":"string"},"grants":{"type":"array","items":{"type":"object"}}}})",
       .response_schema = kAccountSchema,
       .error_statuses = {400, 401, 403, 404, 415, 422},
       .permission = "users.admin"});
  router.Add("GET", "/api/v1/units/{code}/accounts", "units.accounts", bind(UnitAccounts),
             {.summary = "Accounts holding roles at a unit (private to the unit)",
              .tag = "units",
              .response_schema = ItemsOf(kAccountSchema),
              .error_statuses = {401, 403},
              .permission = "units.read_private",
              .scope = "path:code"});

  router.Add("GET", "/api/v1/tokens", "tokens.list", bind(ListTokens),
             {.summary = "One's API tokens (administrators: all with all=1)",
              .tag = "tokens",
              .params = {{"all", "query", "1: every account's tokens (administrators)", false}},
              .response_schema = ItemsOf(kTokenSchema),
              .error_statuses = {401, 403},
              .permission = "authenticated"});
  router.Add(
      "POST", "/api/v1/tokens", "tokens.create", bind(CreateToken),
      {.summary = "Create an API token; the secret is shown once",
       .tag = "tokens",
       .request_schema =
           R"({"type":"object","properties":{"name":{"type":"string"},"expires_in_days":{"type":"integer"},"permissions":{"type":"array","items":{"type":"string"}},"units":{"type":"array","items":{"type":"string"}},"account":{"type":"string"}}})",
       .response_schema = kTokenSchema,
       .success_status = 201,
       .error_statuses = {400, 401, 403, 404, 415, 422},
       .permission = "authenticated"});
  router.Add("DELETE", "/api/v1/tokens/{id}", "tokens.revoke", bind(RevokeToken),
             {.summary = "Revoke an API token",
              .tag = "tokens",
              .success_status = 204,
              .error_statuses = {401, 403, 404},
              .permission = "authenticated"});

  router.Add(
      "GET", "/api/v1/audit", "audit.list", bind(ListAudit),
      {.summary = "Audit log entries, newest first",
       .tag = "audit",
       .params = {{"actor", "query", "Account name", false},
                  {"action", "query", "Action, e.g. login.failed", false},
                  {"from", "query", "ISO time, inclusive", false},
                  {"to", "query", "ISO time, exclusive", false},
                  {"limit", "query", "Page size (1–1000)", false, R"({"type":"integer"})"},
                  {"before", "query", "next_before of the previous page", false}},
       .response_schema =
           R"({"type":"object","properties":{"items":{"type":"array","items":{"type":"object"}},"next_before":{"type":["integer","null"]}}})",
       .error_statuses = {400, 401, 403},
       .permission = "audit.read"});
  router.Add(
      "GET", "/api/v1/audit/verify", "audit.verify", bind(VerifyAudit),
      {.summary = "Re-walk the hash chain and checkpoint signatures",
       .tag = "audit",
       .response_schema =
           R"({"type":"object","properties":{"ok":{"type":"boolean"},"entries":{"type":"integer"},"checkpoints":{"type":"integer"},"first_bad_seq":{"type":["integer","null"]},"problem":{"type":"string"}}})",
       .error_statuses = {401, 403},
       .permission = "audit.read"});
}

}  // namespace pdh::api
