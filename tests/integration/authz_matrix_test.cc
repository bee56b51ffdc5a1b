// The authorization matrix, generated from the route table (as the server publishes it in its
// OpenAPI document, with each operation's permission and unit scope): every endpoint × every
// role × own unit / other unit, plus no credentials at all. Each route must have an entry in
// kExpected below: a route added without one fails here, and so does a route whose permission
// changed without this table being changed with it.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <map>
#include <set>

#include "integration/pdh_server.h"

namespace pdh::test {
namespace {

namespace json = boost::json;

// operationId -> the permission the route must declare.
const std::map<std::string, std::string> kExpected = {
    {"datasets.list", "datasets.read"},
    {"datasets.templates", "datasets.read"},
    {"datasets.create", "datasets.write"},
    {"datasets.get", "datasets.read"},
    {"datasets.template", "datasets.read"},
    {"datasets.schema", "datasets.write"},
    {"datasets.package", "datasets.read"},
    {"datasets.ingest", "datasets.write"},
    {"datasets.batches", "datasets.read"},
    {"datasets.records", "datasets.read_private"},
    {"datasets.history", "datasets.read_private"},
    {"batches.get", "datasets.read"},
    {"link.projects", "datasets.read"},
    {"link.create", "datasets.write"},
    {"link.preview", "datasets.read"},
    {"link.get", "datasets.read"},
    {"link.update", "datasets.write"},
    {"link.preview_project", "datasets.read"},
    {"link.run", "datasets.write"},
    {"link.report", "datasets.read"},
    {"link.queue", "datasets.read"},
    {"link.pair", "datasets.read"},
    {"link.decide", "datasets.write"},
    {"link.clusters", "datasets.read"},
    {"link.cluster", "datasets.read"},
    {"link.merge", "datasets.write"},
    {"link.split", "datasets.write"},
    {"link.choose", "datasets.write"},
    {"link.commit", "datasets.write"},
    {"quality.scoreboard", "datasets.read"},
    {"quality.scores", "datasets.read"},
    {"quality.databases", "datasets.read"},
    {"quality.notify", "datasets.write"},
    {"quality.database", "datasets.read"},
    {"quality.failures", "datasets.read_private"},
    {"quality.checks", "datasets.read"},
    {"quality.checks_put", "datasets.write"},
    {"batches.rejected", "datasets.read_private"},
    {"overview.get", "indicators.read"},
    {"indicators.list", "indicators.read"},
    {"indicators.get", "indicators.read"},
    {"indicators.put", "indicators.write"},
    {"indicators.check", "indicators.read"},
    {"index_set.get", "indicators.read"},
    {"index_set.import", "indicators.write"},
    {"values.get", "indicators.read"},
    {"values.post", "indicators.write"},
    {"freshness.get", "indicators.read"},
    {"alerts.list", "indicators.read"},
    {"packs.get", "indicators.read"},
    {"packs.install", "indicators.write"},
    {"merge_weights.put", "indicators.write"},
    {"events.stream", "indicators.read"},
    {"healthz", "public"},
    {"readyz", "public"},
    {"metrics", "public"},
    {"openapi", "public"},
    {"info", "public"},
    {"units.list", "units.read"},
    {"units.resolve", "units.read"},
    {"units.get", "units.read"},
    {"units.children", "units.read"},
    {"units.predecessors", "units.read"},
    {"units.add_agency", "units.write"},
    {"units.update", "units.write"},
    {"boundaries.get", "units.read"},
    {"boundaries.put", "units.admin"},
    {"reports.list", "reports.read"},
    {"reports.get", "reports.read"},
    {"reports.issue", "reports.write"},
    {"reports.send", "reports.write"},
    {"reports.schedule", "reports.write"},
    {"share.clients.add", "share.admin"},
    {"share.clients.list", "share.admin"},
    {"share.clients.state", "share.admin"},
    {"share.grants.add", "share.admin"},
    {"share.grants.list", "share.admin"},
    {"share.grants.revoke", "share.admin"},
    {"share.records", "authenticated"},
    {"share.purposes", "authenticated"},
    {"share.subscriptions.add", "share.admin"},
    {"share.subscriptions.list", "share.admin"},
    {"share.subscriptions.end", "share.admin"},
    {"share.exchanges", "authenticated"},
    {"share.dataset", "datasets.read"},
    {"share.federation.put", "share.admin"},
    {"share.federation.get", "share.admin"},
    {"share.federation.push", "share.admin"},
    {"share.federation.receive", "authenticated"},
    {"share.federation.values", "indicators.read"},
    {"open.licences", "public"},
    {"open.list", "public"},
    {"open.get", "public"},
    {"open.download", "public"},
    {"open.publish", "datasets.write"},
    {"open.unpublish", "datasets.write"},
    {"open.catalog_ttl", "public"},
    {"open.catalog_jsonld", "public"},
    {"open.dataset_ttl", "public"},
    {"open.ckan_get", "public"},
    {"open.ckan_post", "public"},
    {"units.accounts", "units.read_private"},
    {"auth.login", "public"},
    {"auth.logout", "authenticated"},
    {"auth.logout_all", "authenticated"},
    {"auth.me", "authenticated"},
    {"auth.totp_enroll", "authenticated"},
    {"auth.totp_confirm", "authenticated"},
    {"auth.password", "authenticated"},
    {"users.list", "users.admin"},
    {"users.create", "users.admin"},
    {"users.get", "users.admin"},
    {"users.update", "users.admin"},
    {"tokens.list", "authenticated"},
    {"tokens.create", "authenticated"},
    {"tokens.revoke", "authenticated"},
    {"audit.list", "audit.read"},
    {"audit.verify", "audit.read"},
    {"catalog.summary", "catalog.read"},
    {"catalog.series", "catalog.read"},
    {"catalog.facets", "catalog.read"},
    {"catalog.list", "catalog.read"},
    {"catalog.get", "catalog.read"},
    {"catalog.create", "catalog.write"},
    {"catalog.update", "catalog.write"},
    {"catalog.import", "catalog.write"},
    {"catalog.export", "catalog.read"},
    {"tracker.summary", "tracker.read"},
    {"tracker.programmes", "tracker.read"},
    {"tracker.list", "tracker.read"},
    {"tracker.get", "tracker.read"},
    {"tracker.create", "tracker.write"},
    {"tracker.update", "tracker.write"},
    {"tracker.report", "tracker.write"},
    {"tracker.attach", "tracker.write"},
    {"tracker.attachment", "tracker.read"},
    {"tracker.reports", "tracker.read"},
    {"tracker.import", "tracker.write"},
    {"tracker.export", "tracker.read"},
    {"tracker.outbox", "tracker.write"},
    {"tracker.reminders", "tracker.write"},
    {"tracker.deliver", "tracker.write"},
};

const char* kOwnUnit = "25459";    // Phường Tân Ninh: the officer's and the system's unit
const char* kOtherUnit = "25480";  // Phường Bình Minh

enum class Relation { kNone, kOwn, kOther };

// The rules of auth::Allows, restated independently. Routes scoped by "rows" check each row's
// unit in the handler: the principal only needs a unit of its own.
bool Expect(const std::string& role, const std::string& permission, const std::string& scope,
            Relation rel) {
  if (scope == "rows") rel = Relation::kOwn;
  if (permission == "public" || permission == "authenticated") return true;
  if (permission == "audit.read") return role == "administrator" || role == "auditor";
  const std::string access = permission.substr(permission.find('.') + 1);
  if (role == "administrator") return true;
  if (role == "leader") return access == "read" || access == "read_private";
  if (role == "auditor") return access == "read";
  // officer, system
  if (access == "read") return true;
  if (access == "read_private" || access == "write") return rel == Relation::kOwn;
  return false;
}

struct Principal {
  std::string role;
  std::string token;
};

class AuthzMatrix : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto& s = MatrixServer();
    principals_ = new std::vector<Principal>{{"administrator", s.admin_token()}};
    const std::string pw = " --password correct-horse-battery-staple";
    std::string out;
    struct Account {
      std::string name, role, args;
    };
    for (const Account& a : std::vector<Account>{
             {"officer_a", "officer", pw + " --role officer --unit " + kOwnUnit},
             {"leader_a", "leader", pw + " --role leader"},
             {"auditor_a", "auditor", pw + " --role auditor"},
             {"system_a", "system", " --system --role system --unit " + std::string(kOwnUnit)}}) {
      ASSERT_EQ(s.Pdh("users add " + a.name + a.args, &out), 0) << out;
      ASSERT_EQ(s.Pdh("tokens create --user " + a.name, &out), 0) << out;
      principals_->push_back({a.role, out.substr(0, out.find('\n'))});
    }
    // Catalog entries and tasks named like the two units and owned by them, so routes scoped by
    // an entry's owner ("catalog_entry:code", "tracker_item:code") are tried on an own and an
    // other unit's entry.
    for (const char* unit : {kOwnUnit, kOtherUnit}) {
      auto r = s.Request({"POST",
                          "/api/v1/catalog/entries",
                          R"({"kind":"database","code":")" + std::string(unit) +
                              R"(","name":"Cơ sở dữ liệu hộ tịch","sector":"Tư pháp","owner":")" +
                              unit + R"(","status":"planned"})",
                          {{"Content-Type", "application/json"}}});
      ASSERT_EQ(r.status, 201) << r.body;
      // And a task each of the register, led by the unit ("tracker_item:code").
      r = s.Request({"POST",
                     "/api/v1/tracker/items",
                     R"({"kind":"task","code":")" + std::string(unit) +
                         R"(","programme":"NQ57","level":"unit","title":"Số hóa hồ sơ hộ tịch",)"
                         R"("sector":"Chuyển đổi số","lead_unit":")" +
                         unit + R"(","deadline":"2026-12-31"})",
                     {{"Content-Type", "application/json"}}});
      ASSERT_EQ(r.status, 201) << r.body;
    }
  }
  static void TearDownTestSuite() { delete principals_; }
  static std::vector<Principal>* principals_;
};
std::vector<Principal>* AuthzMatrix::principals_ = nullptr;

struct Operation {
  std::string id, method, path, permission, scope;
};

std::vector<Operation> Operations() {
  auto doc = json::parse(MatrixServer().Get("/api/v1/openapi.json").body);
  std::vector<Operation> ops;
  for (const auto& [path, item] : doc.at("paths").as_object()) {
    for (const auto& [method, op] : item.as_object()) {
      if (!op.is_object() || !op.as_object().contains("operationId")) continue;
      std::string m(method);
      for (auto& c : m) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      const auto& o = op.as_object();
      ops.push_back(
          {std::string(o.at("operationId").as_string()), m, std::string(path),
           o.contains("x-pdh-permission") ? std::string(o.at("x-pdh-permission").as_string()) : "",
           o.contains("x-pdh-scope") ? std::string(o.at("x-pdh-scope").as_string()) : ""});
    }
  }
  return ops;
}

// A concrete request for `op` concerning `unit` (where the route's scope takes one).
HttpRequest Concrete(const Operation& op, const std::string& unit) {
  std::string target = op.path;
  auto fill = [&](const std::string& name, const std::string& value) {
    for (size_t at; (at = target.find("{" + name + "}")) != std::string::npos;) {
      target.replace(at, name.size() + 2, value);
    }
  };
  fill("code", unit.empty() ? "80" : unit);
  fill("name", "officer_a");
  fill("id", "999999");
  // Not a month: a route the role may use answers 400 without building a month's report; the
  // matrix is about who is refused.
  fill("month", "2025-13");
  fill("pack", "public_services");
  fill("client", "no-such-system");
  fill("key", "H72.25459-2510-000001");
  fill("field", "ho_ten");
  fill("file", "data.csv");
  fill("action", "package_list");
  std::string body;
  if (op.method != "GET" && op.method != "HEAD" && op.method != "DELETE") {
    const auto colon = op.scope.find(':');
    body = op.scope.starts_with("body:")
               ? R"({")" + op.scope.substr(colon + 1) + R"(":")" + unit + R"("})"
               : "{}";
    // Units add items of their own level to the register (the province's are the steward's).
    if (op.id == "tracker.create") body.insert(1, R"("level":"unit",)");
  }
  HttpRequest r{op.method, target, body, {}};
  if (!body.empty()) r.headers.emplace_back("Content-Type", "application/json");
  return r;
}

bool RefusedForAccess(const HttpResponse& r) {
  if (r.status != 401 && r.status != 403) return false;
  auto v = json::parse(r.body);
  const std::string code(v.at("code").as_string());
  return code == "auth.forbidden" || code == "auth.no_session" || code == "auth.csrf" ||
         code == "auth.totp_enrollment_required";
}

TEST_F(AuthzMatrix, EveryRouteEveryRoleEveryUnitRelation) {
  const auto ops = Operations();
  ASSERT_GT(ops.size(), 20u);
  std::set<std::string> seen;
  int checked = 0;
  for (const auto& op : ops) {
    seen.insert(op.id);
    auto want = kExpected.find(op.id);
    ASSERT_TRUE(want != kExpected.end()) << "route " << op.id << " (" << op.method << " " << op.path
                                         << ") has no entry in the authorization matrix";
    ASSERT_EQ(op.permission, want->second) << "route " << op.id << " changed its permission";
    const bool scoped = !op.scope.empty();
    std::vector<std::pair<Relation, std::string>> relations =
        scoped ? std::vector<std::pair<Relation, std::string>>{{Relation::kOwn, kOwnUnit},
                                                               {Relation::kOther, kOtherUnit}}
               : std::vector<std::pair<Relation, std::string>>{{Relation::kNone, ""}};
    for (const auto& [rel, unit] : relations) {
      const HttpRequest req = Concrete(op, unit);
      if (op.id == "auth.logout" || op.id == "auth.logout_all") continue;  // covered elsewhere
      // No credentials.
      auto anon = MatrixServer().Anonymous(req);
      if (op.permission == "public") {
        EXPECT_FALSE(RefusedForAccess(anon)) << op.id << " anonymous: " << anon.status;
      } else {
        EXPECT_EQ(anon.status, 401) << op.id << " anonymous";
        EXPECT_NE(anon.body.find("auth.no_session"), std::string::npos) << op.id << anon.body;
      }
      for (const auto& p : *principals_) {
        HttpRequest as = req;
        as.headers.emplace_back("Authorization", "Bearer " + p.token);
        auto res = MatrixServer().Request(as);
        const bool allowed = Expect(p.role, op.permission, op.scope, rel);
        const std::string where = op.id + " as " + p.role + " on " + (unit.empty() ? "-" : unit);
        if (allowed) {
          EXPECT_FALSE(RefusedForAccess(res)) << where << ": " << res.status << " " << res.body;
        } else {
          EXPECT_EQ(res.status, 403) << where << ": " << res.body;
          EXPECT_NE(res.body.find("auth.forbidden"), std::string::npos) << where << res.body;
        }
        ++checked;
      }
    }
  }
  for (const auto& [id, perm] : kExpected) {
    EXPECT_TRUE(seen.count(id)) << id << " is in the matrix but no longer a route";
  }
  EXPECT_GT(checked, 100);
}

TEST_F(AuthzMatrix, OfficerCannotReadAnotherCommunesPrivateData) {
  const std::string& officer = (*principals_)[1].token;
  auto own = MatrixServer().Request({"GET",
                                     std::string("/api/v1/units/") + kOwnUnit + "/accounts",
                                     "",
                                     {{"Authorization", "Bearer " + officer}}});
  EXPECT_EQ(own.status, 200) << own.body;
  EXPECT_NE(own.body.find("officer_a"), std::string::npos);
  auto other = MatrixServer().Request({"GET",
                                       std::string("/api/v1/units/") + kOtherUnit + "/accounts",
                                       "",
                                       {{"Authorization", "Bearer " + officer}}});
  EXPECT_EQ(other.status, 403);
  // Public data of the other commune is readable.
  auto pub = MatrixServer().Request({"GET",
                                     std::string("/api/v1/units/") + kOtherUnit,
                                     "",
                                     {{"Authorization", "Bearer " + officer}}});
  EXPECT_EQ(pub.status, 200);
}

}  // namespace
}  // namespace pdh::test
