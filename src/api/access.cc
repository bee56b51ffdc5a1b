// The one place where requests are authenticated and authorized, and where what they did is
// appended to the audit log.
#include <boost/json.hpp>

#include <algorithm>

#include "api/api.h"

namespace pdh::api {
namespace json = boost::json;
namespace {

constexpr std::string_view kSessionCookie = "pdh_session";

bool IsWrite(std::string_view method) {
  return method != "GET" && method != "HEAD";
}

// Routes an administrator may use before enrolling a second factor.
bool EnrolmentRoute(const std::string& name) {
  return name == "auth.me" || name == "auth.totp_enroll" || name == "auth.totp_confirm" ||
         name == "auth.logout" || name == "auth.logout_all";
}

std::shared_ptr<const auth::Principal> Authenticate(Context& ctx, const http::Request& req) {
  std::string_view authz = req.Header("authorization");
  if (authz.size() > 7 && (authz.substr(0, 7) == "Bearer " || authz.substr(0, 7) == "bearer ")) {
    return std::make_shared<const auth::Principal>(
        Must(ctx.auth().AuthenticateToken(std::string(authz.substr(7)))));
  }
  const std::string cookie = req.Cookie(kSessionCookie);
  if (cookie.empty()) {
    throw Failure(Error{"auth.no_session",
                        "sign in first, or send an API token as 'Authorization: Bearer …'", 401});
  }
  return std::make_shared<const auth::Principal>(Must(ctx.auth().AuthenticateSession(cookie)));
}

// The unit code a route concerns, from its declared scope ("path:code", "query:unit",
// "body:parent", "RESOLVER:ARG"); empty when the route has no scope or the request does not name
// one.
std::string ScopeCode(Context& ctx, const http::Request& req, const std::string& scope) {
  const auto colon = scope.find(':');
  if (colon == std::string::npos) return {};
  const std::string where = scope.substr(0, colon), name = scope.substr(colon + 1);
  if (where == "path") {
    auto it = req.params.find(name);
    return it == req.params.end() ? std::string() : it->second;
  }
  if (where == "query") return req.Query(name).value_or("");
  if (where == "body") {
    // The handler parses the body again and answers malformed JSON itself.
    json::error_code ec;
    json::value v = json::parse(req.body, ec);
    if (ec || !v.is_object()) return {};
    const auto* f = v.as_object().if_contains(name);
    return f && f->is_string() ? std::string(f->as_string()) : std::string();
  }
  if (const auto* resolver = ctx.scope_resolver(where)) return (*resolver)(req, name);
  return {};
}

const units::Unit* FindAnyEra(const units::Registry& registry, const std::string& code) {
  if (code.empty()) return nullptr;
  if (const units::Unit* u = registry.Find(code, Date::Today())) return u;
  auto eras = registry.FindAllEras(code);
  return eras.empty() ? nullptr : eras.front();
}

// "rows" scopes: the principal may `permission` on at least one unit (its own).
bool MayOnSomeUnit(Context& ctx, const auth::Principal& p, const std::string& permission,
                   bool stewarded) {
  auto registry = ctx.registry();
  if (MayOn(ctx, p, permission, nullptr, stewarded)) return true;
  return std::any_of(p.grants.begin(), p.grants.end(), [&](const auth::Grant& g) {
    return MayOn(ctx, p, permission, FindAnyEra(*registry, g.unit_code), stewarded);
  });
}

}  // namespace

const auth::Principal* PrincipalOf(const http::Request& req) {
  return static_cast<const auth::Principal*>(req.principal.get());
}

const auth::Principal& CallerOf(const http::Request& req) {
  const auth::Principal* p = PrincipalOf(req);
  if (!p) throw Failure(Error::Internal("auth.missing", "no principal on a protected route"));
  return *p;
}

const units::Unit* Context::steward_unit(const units::Registry& registry) {
  auto setting = store_.GetSetting("steward_unit");
  const std::string code = setting && *setting ? **setting : home_province_ + ".SKHCN";
  return registry.Find(code, Date::Today());
}

bool MayOn(Context& ctx, const auth::Principal& p, const std::string& permission,
           const units::Unit* unit, bool stewarded) {
  auto registry = ctx.registry();
  if (auth::Allows(p, permission, unit, *registry)) return true;
  if (!stewarded) return false;
  const units::Unit* steward = ctx.steward_unit(*registry);
  return steward != nullptr && auth::Allows(p, permission, steward, *registry);
}

bool MayOnCode(Context& ctx, const auth::Principal& p, const std::string& permission,
               const std::string& code, bool stewarded) {
  return MayOn(ctx, p, permission, FindAnyEra(*ctx.registry(), code), stewarded);
}

void Authorize(Context& ctx, http::Request& req, const http::Route& route) {
  const std::string& permission = route.doc.permission;
  if (permission == "public") return;
  auto principal = Authenticate(ctx, req);
  req.principal = principal;
  const auth::Principal& p = *principal;
  if (p.via == auth::Principal::Via::kSession && p.Has(auth::Role::kAdministrator) && !p.mfa &&
      !EnrolmentRoute(route.name)) {
    throw Failure(Error{"auth.totp_enrollment_required",
                        "administrators need a second factor: enrol an authenticator app first "
                        "(POST /api/v1/auth/totp/enroll)",
                        403});
  }
  if (p.via == auth::Principal::Via::kSession && IsWrite(req.method) &&
      req.Header("x-csrf-token") != p.csrf_token) {
    throw Failure(Error{
        "auth.csrf", "this change needs the X-CSRF-Token header from the sign-in response", 403});
  }
  if (permission == "authenticated") return;
  if (route.doc.scope == "rows") {
    if (MayOnSomeUnit(ctx, p, permission, route.doc.stewarded)) return;
    throw Failure(Error{"auth.forbidden", "'" + p.name + "' may not " + permission, 403});
  }
  auto registry = ctx.registry();
  const units::Unit* unit = FindAnyEra(*registry, ScopeCode(ctx, req, route.doc.scope));
  if (!MayOn(ctx, p, permission, unit, route.doc.stewarded)) {
    throw Failure(Error{"auth.forbidden",
                        "'" + p.name + "' may not " + permission +
                            (unit ? " for " + unit->name + " (" + unit->code + ")" : std::string()),
                        403});
  }
}

namespace {

// The audit entry of a request; `status` 0 leaves it out (the entry commits with a write, before
// the answer is known).
audit::Event RequestEvent(const http::Request& req, std::string action, int status) {
  const auth::Principal* p = PrincipalOf(req);
  audit::Event e;
  e.actor = p ? p->name : "";
  e.action = std::move(action);
  e.target = req.path;
  e.remote = req.remote;
  e.request_id = req.request_id;
  e.detail = {{"method", req.method}};
  if (status != 0) e.detail["status"] = status;
  return e;
}

void ReportAuditFailure(const Error& e) {
  std::fprintf(stderr, "pdh: audit append failed (%s): %s\n", e.code.c_str(), e.message.c_str());
}

bool Refused(int status) {
  return status == 401 || status == 403;
}

}  // namespace

http::Response AuditedHandler(Context& ctx, http::Request& req, const http::Route& route,
                              const std::function<http::Response()>& handler) {
  // Sign-ins are audited by their handler, which knows the name tried.
  const bool audited = route.name != "auth.login" &&
                       (IsWrite(req.method) || route.doc.permission.ends_with(".read_private"));
  if (!audited) return handler();
  int status = 0;  // known once the handler answered
  audit::Scope scope(ctx.audit(),
                     [&req, &route, &status] { return RequestEvent(req, route.name, status); });
  auto finish = [&scope, &status](int answered) {
    // A refusal the handler made is the after hook's to record, like one authorize made.
    status = answered;
    if (Refused(answered)) return;
    if (auto r = scope.Finish(); !r) ReportAuditFailure(r.error());
  };
  try {
    http::Response res = handler();
    finish(res.status);
    return res;
  } catch (const Failure& f) {
    finish(f.error().status >= 400 && f.error().status <= 599 ? f.error().status : 500);
    throw;
  } catch (...) {
    finish(500);
    throw;
  }
}

void AuditRequest(Context& ctx, const http::Request& req, const http::Route& route,
                  const http::Response& res) {
  // Sign-ins are audited by their handler, which knows the name tried; writes and reads of
  // private data around their handler (AuditedHandler).
  if (route.name == "auth.login" || !Refused(res.status) || route.doc.permission == "public") {
    return;
  }
  if (auto r = ctx.audit().Append(RequestEvent(req, "denied:" + route.name, res.status)); !r) {
    ReportAuditFailure(r.error());
  }
}

}  // namespace pdh::api
