// `pdh users`, `pdh tokens` and `pdh audit`: they work offline on the database file, so an
// operator can bootstrap the first administrator and scripts can get a token.
#include <pwd.h>
#include <sodium.h>
#include <unistd.h>

#include <boost/json.hpp>

#include <fstream>
#include <iostream>

#include "auth/auth.h"
#include "cli/cli.h"
#include "core/json_util.h"

namespace pdh::cli {
namespace {

namespace json = boost::json;

std::string OsUser() {
  if (const passwd* pw = getpwuid(geteuid()); pw && pw->pw_name) return pw->pw_name;
  return "unknown";
}

std::string ReadPassword(const Options& o) {
  if (!o.password.empty()) return o.password;
  if (o.password_stdin) {
    std::string line;
    std::getline(std::cin, line);
    return line;
  }
  throw Failure(Error::BadRequest("cli.password_missing",
                                  "give the password with --password-stdin (or --password)"));
}

std::vector<auth::Grant> GrantsFrom(const Options& o) {
  if (o.role.empty()) return {};
  auto role = auth::ParseRole(o.role);
  if (!role) {
    throw Failure(Error::BadRequest("cli.invalid_role",
                                    "--role is administrator, officer, leader, auditor or system"));
  }
  return {{*role, o.unit, o.include_descendants}};
}

struct SecurityEnv {
  std::unique_ptr<store::Store> store;
  std::shared_ptr<const units::Registry> registry;
  SystemClock clock;
  std::unique_ptr<auth::Service> auth;
  std::unique_ptr<audit::Log> log;
};

std::unique_ptr<SecurityEnv> OpenSecurityEnv(const Options& o) {
  auto env = std::make_unique<SecurityEnv>();
  env->store = OpenStore(o.db, false);
  env->registry = LoadRegistry(*env->store);
  env->auth = std::make_unique<auth::Service>(env->store->identity(), *env->store, env->clock);
  env->log = OpenAuditLog(*env->store, env->clock);
  return env;
}

int UsersAdd(const Options& o) {
  auto env = OpenSecurityEnv(o);
  auth::NewAccount a;
  a.name = o.user;
  a.display_name = o.display_name;
  a.system = o.system;
  if (!o.system) a.password = ReadPassword(o);
  a.grants = GrantsFrom(o);
  audit::Scope audit(*env->log, CommandEvent("users.create", o.user));
  Must(env->auth->CreateAccount(a, *env->registry));
  Must(audit.Finish());
  std::cout << "created " << o.user << "\n";
  return 0;
}

int UsersPasswd(const Options& o) {
  auto env = OpenSecurityEnv(o);
  const std::string password = ReadPassword(o);
  audit::Scope audit(*env->log, CommandEvent("users.passwd", o.user));
  Must(env->auth->SetPassword(o.user, password));
  Must(audit.Finish());
  std::cout << "password of " << o.user << " changed\n";
  return 0;
}

int UsersDisable(const Options& o) {
  auto env = OpenSecurityEnv(o);
  audit::Scope audit(*env->log, CommandEvent("users.disable", o.user));
  Must(env->auth->Disable(o.user, "disabled with pdh users disable"));
  const auto account = Must(env->auth->GetAccount(o.user));
  Must(env->auth->LogoutEverywhere(account.id));
  Must(audit.Finish());
  std::cout << o.user << " disabled and signed out everywhere\n";
  return 0;
}

int UsersEnable(const Options& o) {
  auto env = OpenSecurityEnv(o);
  audit::Scope audit(*env->log, CommandEvent("users.enable", o.user));
  Must(env->auth->Enable(o.user));
  Must(audit.Finish());
  std::cout << o.user << " enabled\n";
  return 0;
}

int UsersList(const Options& o) {
  auto env = OpenSecurityEnv(o);
  for (const auto& a : Must(env->auth->ListAccounts())) {
    std::string roles;
    for (const auto& g : a.grants) {
      roles += std::string(roles.empty() ? "" : ",") + std::string(auth::RoleName(g.role)) +
               (g.unit_code.empty() ? "" : "@" + g.unit_code);
    }
    std::cout << a.name << "\t"
              << (a.disabled ? "disabled"
                  : a.locked ? "locked"
                             : "active")
              << "\t" << (a.totp_enrolled ? "totp" : "-") << "\t" << roles << "\n";
  }
  return 0;
}

int TokensCreate(const Options& o) {
  auto env = OpenSecurityEnv(o);
  // The token's prefix is drawn inside CreateToken: the entry names the token by its name.
  audit::Scope audit(*env->log, CommandEvent("tokens.create", o.user + ":" + o.token_name));
  auto t = Must(env->auth->CreateToken(o.user, o.token_name, std::chrono::days(o.token_days),
                                       o.permissions, o.token_units));
  Must(audit.Finish());
  std::cout << t.secret << "\n";  // alone, for scripts
  return 0;
}

int TokensList(const Options& o) {
  auto env = OpenSecurityEnv(o);
  std::optional<int64_t> account;
  if (!o.user.empty()) account = Must(env->auth->GetAccount(o.user)).id;
  const std::string now = FormatTime(env->clock.Now());
  json::array all;
  for (const auto& t : Must(env->auth->ListTokens(account))) {
    const char* state = t.revoked_at ? "revoked" : t.expires_at <= now ? "expired" : "active";
    if (o.json) {
      all.push_back(
          {{"id", t.id},
           {"name", t.name},
           {"prefix", t.prefix},
           {"state", state},
           {"expires_at", t.expires_at},
           {"last_used_at", t.last_used_at ? json::value(*t.last_used_at) : json::value(nullptr)}});
      continue;
    }
    std::cout << t.id << "\t" << t.prefix << "…\t" << t.name << "\t" << state << "\texpires "
              << t.expires_at << "\tlast used " << t.last_used_at.value_or("never") << "\n";
  }
  if (o.json) std::cout << json_util::Serialize(all) << "\n";
  return 0;
}

int TokensRevoke(const Options& o) {
  auto env = OpenSecurityEnv(o);
  audit::Scope audit(*env->log, CommandEvent("tokens.revoke", std::to_string(o.token_id)));
  Must(env->auth->RevokeToken(o.token_id));
  Must(audit.Finish());
  std::cout << "token " << o.token_id << " revoked\n";
  return 0;
}

int AuditVerify(const Options& o) {
  auto store = OpenStore(o.db, false);
  auto r = Must(audit::Verify(store->audit(),
                              o.public_key.empty() ? std::nullopt : std::optional(o.public_key)));
  if (o.json) {
    std::cout << json_util::Serialize(
                     json::object{{"ok", r.ok},
                                  {"entries", r.entries},
                                  {"checkpoints", r.checkpoints},
                                  {"first_bad_seq", r.first_bad_seq ? json::value(*r.first_bad_seq)
                                                                    : json::value(nullptr)},
                                  {"problem", r.problem}})
              << "\n";
  } else if (r.ok) {
    std::cout << "audit log verified: " << r.entries << " entries, " << r.checkpoints
              << " signed checkpoints\n";
  } else {
    std::cout << "audit log FAILED verification at entry " << r.first_bad_seq.value_or(0) << ": "
              << r.problem << "\n";
  }
  return r.ok ? 0 : 5;
}

int AuditExport(const Options& o) {
  auto store = OpenStore(o.db, false);
  SystemClock clock;
  auto log = OpenAuditLog(*store, clock);
  AuditCommand(*log, "audit.export", o.out.empty() ? "stdout" : o.out);
  Must(log->Checkpoint());
  if (o.out.empty()) {
    Must(audit::Export(store->audit(), std::cout));
    return 0;
  }
  std::ofstream out(o.out, std::ios::binary | std::ios::trunc);
  if (!out) throw Failure(Error::BadRequest("cli.cannot_write", "cannot write '" + o.out + "'"));
  Must(audit::Export(store->audit(), out));
  std::cerr << "exported to " << o.out << "\n";
  return 0;
}

int AuditPrune(const Options& o) {
  auto store = OpenStore(o.db, false);
  SystemClock clock;
  auto log = OpenAuditLog(*store, clock);
  const int64_t n = Must(audit::Prune(store->audit(), clock, std::chrono::days(o.keep_days)));
  AuditCommand(*log, "audit.prune", std::to_string(n) + " entries");
  std::cout << "pruned " << n << " entries older than " << o.keep_days << " days\n";
  return 0;
}

}  // namespace

std::unique_ptr<audit::Log> OpenAuditLog(store::Store& store, const Clock& clock) {
  return Must(audit::Log::Open(store.audit(), clock, audit::Log::DefaultKeyPath(store.path())));
}

std::string CliActor() {
  return "cli:" + OsUser();
}

audit::Event CommandEvent(std::string action, std::string target) {
  audit::Event e;
  e.actor = CliActor();
  e.action = std::move(action);
  e.target = std::move(target);
  e.remote = "local";
  return e;
}

void AuditCommand(audit::Log& log, const std::string& action, const std::string& target) {
  Must(log.Append(CommandEvent(action, target)));
}

namespace {

// 20 characters from an alphabet without look-alikes (no 0/O, 1/l/I).
std::string RandomPassword() {
  if (sodium_init() < 0) throw Failure(Error::Internal("crypto.init", "libsodium failed to start"));
  static constexpr std::string_view kAlphabet =
      "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  std::string password;
  for (int i = 0; i < 20; ++i) {
    password += kAlphabet[randombytes_uniform(static_cast<uint32_t>(kAlphabet.size()))];
  }
  return password;
}

}  // namespace

std::string CreateDemoAdministrator(store::Store& store, const units::Registry& registry) {
  std::string password = RandomPassword();
  SystemClock clock;
  auth::Service auth(store.identity(), store, clock);
  auth::NewAccount a;
  a.name = "admin";
  a.display_name = "Quản trị hệ thống";
  a.password = password;
  a.grants = {{auth::Role::kAdministrator, "", false}};
  Must(auth.CreateAccount(a, registry));
  return password;
}

share::DemoSummary CreateDemoSharing(store::Store& store, const units::Registry& registry,
                                     audit::Log& log, const std::string& province) {
  SystemClock clock;
  auth::Service auth(store.identity(), store, clock);
  // The systems' accounts: the procedure system writes its receiving units' dossiers.
  for (const auto& [name, display, unit] :
       {std::tuple<const char*, const char*, std::string>{share::kDemoProcedureAccount,
                                                          "Hệ thống giải quyết TTHC", province},
        {share::kDemoPortalAccount, "Cổng thông tin điện tử tỉnh", province + ".SKHCN"}}) {
    auth::NewAccount a;
    a.name = name;
    a.display_name = display;
    a.password = RandomPassword();  // a system signs in with tokens, never with it
    a.grants = {{auth::Role::kSystem, unit, true}};
    Must(auth.CreateAccount(a, registry));
  }
  const std::string at = FormatTime(clock.Now());
  const auto summary = Must(share::GenerateDemo(store.share(), province, at));
  // A day of exchanges, as the API logs them: the procedure system sending each hour's dossiers
  // and reading one back for a case, the portal reading the dossiers for its public pages.
  for (int hour = 7; hour <= 17; ++hour) {
    audit::Event e;
    e.actor = share::kDemoProcedureAccount;
    e.action = "share.write";
    e.target = "dossiers";
    e.remote = "10.10.1.20:443";
    e.detail = {{"client", "he-thong-tthc"},
                {"end_user", ""},
                {"purpose", "administrative_procedure"},
                {"case_reference", "DVC-" + std::to_string(20251100 + hour)},
                {"grant", 1},
                {"unit", ""},
                {"batch", nullptr},
                {"status", "committed"},
                {"rows", 40 + hour * 3}};
    Must(log.Append(e));
    if (hour % 3 == 0) {
      audit::Event r = e;
      r.action = "share.read";
      r.detail = {{"client", "he-thong-tthc"},
                  {"end_user", "can-bo-mot-cua"},
                  {"purpose", "administrative_procedure"},
                  {"case_reference", "000.00.25.H62-251107-00" + std::to_string(hour)},
                  {"grant", 2},
                  {"unit", ""},
                  {"fields", boost::json::array{"dossier_id", "status", "applicant_id:last4"}},
                  {"withheld", boost::json::object{{"fee", "not_granted"}}},
                  {"rows", 1}};
      Must(log.Append(r));
    }
    if (hour % 4 == 1) {
      audit::Event r = e;
      r.actor = share::kDemoPortalAccount;
      r.action = "share.read";
      r.remote = "127.0.0.1:443";
      r.detail = {{"client", "cong-thong-tin"},
                  {"end_user", ""},
                  {"purpose", "public_service"},
                  {"case_reference", ""},
                  {"grant", 3},
                  {"unit", ""},
                  {"fields", boost::json::array{"dossier_id", "receiving_unit", "status"}},
                  {"withheld", boost::json::object{{"applicant_id", "personal"},
                                                   {"applicant_name", "personal"}}},
                  {"rows", 1000}};
      Must(log.Append(r));
    }
  }
  return summary;
}

void AddSecurityCommands(CLI::App& app, Options& o, int (*&action)(const Options&)) {
  auto db = [&](CLI::App* c) {
    c->add_option("--db", o.db, "Database file (default $PDH_DB or var/pdh.db)");
  };
  auto* users = app.add_subcommand("users", "Accounts (offline, on the database file)");
  users->require_subcommand(1);
  auto* add = users->add_subcommand("add", "Create an account");
  db(add);
  add->add_option("name", o.user, "Login name")->required();
  add->add_option("--display-name", o.display_name, "Name shown in the app");
  add->add_option("--password", o.password,
                  "Password (visible to other local users: prefer --password-stdin)");
  add->add_flag("--password-stdin", o.password_stdin, "Read the password from standard input");
  add->add_option("--role", o.role, "administrator, officer, leader, auditor or system");
  add->add_option("--unit", o.unit, "Unit code of an officer's or system's role");
  add->add_flag("--include-descendants", o.include_descendants,
                "The role covers the units below too");
  add->add_flag("--system", o.system, "A connected system (token-only, no password)");
  add->callback([&] { action = UsersAdd; });
  auto* passwd = users->add_subcommand("passwd", "Set an account's password");
  db(passwd);
  passwd->add_option("name", o.user, "Login name")->required();
  passwd->add_option("--password", o.password, "New password");
  passwd->add_flag("--password-stdin", o.password_stdin, "Read the password from standard input");
  passwd->callback([&] { action = UsersPasswd; });
  auto* disable = users->add_subcommand("disable", "Disable an account and end its sessions");
  db(disable);
  disable->add_option("name", o.user, "Login name")->required();
  disable->callback([&] { action = UsersDisable; });
  auto* enable = users->add_subcommand("enable", "Enable an account (also clears a lockout)");
  db(enable);
  enable->add_option("name", o.user, "Login name")->required();
  enable->callback([&] { action = UsersEnable; });
  auto* ls = users->add_subcommand("ls", "List accounts");
  db(ls);
  ls->callback([&] { action = UsersList; });

  auto* tokens = app.add_subcommand("tokens", "API tokens (offline, on the database file)");
  tokens->require_subcommand(1);
  auto* create = tokens->add_subcommand("create", "Create a token; prints it alone on stdout");
  db(create);
  create->add_option("--user", o.user, "Account the token acts for")->required();
  create->add_option("--name", o.token_name, "What the token is for");
  create->add_option("--days", o.token_days, "Lifetime in days (1–365, default 30)");
  create->add_option("--permission", o.permissions, "Limit to these permissions (repeatable)");
  create->add_option("--unit", o.token_units, "Limit to these units (repeatable)");
  create->callback([&] { action = TokensCreate; });
  auto* tls = tokens->add_subcommand("ls", "List tokens with their last use");
  db(tls);
  tls->add_option("--user", o.user, "Only this account's tokens");
  tls->add_flag("--json", o.json, "Machine-readable output");
  tls->callback([&] { action = TokensList; });
  auto* revoke = tokens->add_subcommand("revoke", "Revoke a token");
  db(revoke);
  revoke->add_option("id", o.token_id, "Token id (from tokens ls)")->required();
  revoke->callback([&] { action = TokensRevoke; });

  auto* audit_cmd = app.add_subcommand("audit", "The tamper-evident audit log");
  audit_cmd->require_subcommand(1);
  auto* verify =
      audit_cmd->add_subcommand("verify", "Re-walk the chain; exit 5 names the first bad entry");
  db(verify);
  verify->add_option("--public-key", o.public_key, "Your own copy of the audit public key (hex)");
  verify->add_flag("--json", o.json, "Machine-readable output");
  verify->callback([&] { action = AuditVerify; });
  auto* exp = audit_cmd->add_subcommand("export", "Entries and signed checkpoints as JSON lines");
  db(exp);
  exp->add_option("--out", o.out, "File to write (default stdout)");
  exp->callback([&] { action = AuditExport; });
  auto* prune = audit_cmd->add_subcommand("prune", "Delete entries older than --keep-days (≥ 90)");
  db(prune);
  prune->add_option("--keep-days", o.keep_days, "Days to keep (default 90, the minimum)");
  prune->callback([&] { action = AuditPrune; });
}

auth::Principal OfflinePrincipal(store::Store& store, const Clock& clock, const std::string& user) {
  auth::Service auth(store.identity(), store, clock);
  const auth::AccountView account = Must(auth.GetAccount(user));
  if (account.disabled) {
    throw Failure(Error::Invalid("cli.account_disabled",
                                 "'" + user + "' is disabled: act as an active account"));
  }
  auth::Principal p;
  p.account_id = account.id;
  p.name = account.name;
  p.display_name = account.display_name;
  p.system = account.system;
  p.grants = account.grants;
  p.via = auth::Principal::Via::kToken;  // offline: no session to pass a second factor
  return p;
}

}  // namespace pdh::cli
