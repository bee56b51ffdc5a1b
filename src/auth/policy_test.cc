// The access policy checked against its table (policy_cases.h), and the role names.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "auth/auth.h"
#include "auth/policy_cases.h"
#include "auth/test_support.h"

namespace pdh::auth {
namespace {

using namespace policy_cases;

class PolicyTable : public ::testing::Test {
 protected:
  void SetUp() override {
    registry_ = units::Registry::Build(testing::TestUnits(), {});
    const Date today{2025, 10, 1};
    targets_ = {{"own", registry_->Find("80.SNNMT", today)},
                {"child", registry_->Find("80.SNNMT.CCTL", today)},
                {"other", registry_->Find("25459", today)},
                {"province", nullptr}};
    for (const auto& [name, unit] : targets_) {
      if (name != "province") {
        ASSERT_NE(unit, nullptr) << name;
      }
    }
  }

  Principal Make(const Actor& a) const {
    Principal p;
    p.name = std::string(a.who);
    const bool scoped = a.role == Role::kOfficer || a.role == Role::kSystem;
    p.grants = {{a.role, scoped ? targets_.at("own")->code : "", a.include_descendants}};
    p.system = a.role == Role::kSystem;
    p.via = a.via;
    p.mfa = a.mfa;
    p.token_permissions = a.token_permissions;
    for (const auto& t : a.token_targets) p.token_units.push_back(targets_.at(t)->code);
    return p;
  }

  const Actor& ActorNamed(std::string_view who) const {
    for (const auto& a : kActors) {
      if (a.who == who) return a;
    }
    ADD_FAILURE() << "no actor '" << who << "' in the table";
    return kActors.front();
  }

  std::shared_ptr<const units::Registry> registry_;
  std::map<std::string, const units::Unit*> targets_;
};

TEST_F(PolicyTable, EveryCaseHoldsForEveryTarget) {
  for (const Case& c : kCases) {
    const Principal p = Make(ActorNamed(c.who));
    ASSERT_EQ(c.expected.size(), std::size(kTargets));
    for (size_t i = 0; i < std::size(kTargets); ++i) {
      const bool want = c.expected[i] == 'Y';
      EXPECT_EQ(Allows(p, c.permission, targets_.at(std::string(kTargets[i])), *registry_), want)
          << c.who << " / " << c.permission << " / " << kTargets[i];
    }
  }
}

TEST_F(PolicyTable, EveryActorAppearsAndEveryRoleIsCovered) {
  std::map<std::string_view, int> rows;
  for (const Case& c : kCases) ++rows[c.who];
  for (const Actor& a : kActors) EXPECT_GT(rows[a.who], 0) << a.who;
  for (Role r :
       {Role::kAdministrator, Role::kOfficer, Role::kLeader, Role::kAuditor, Role::kSystem}) {
    bool covered = false;
    for (const Actor& a : kActors) covered = covered || a.role == r;
    EXPECT_TRUE(covered) << RoleName(r);
  }
}

TEST_F(PolicyTable, NoGrantsAllowOnlyPublicAndAuthenticated) {
  Principal nobody;
  nobody.mfa = true;
  EXPECT_TRUE(Allows(nobody, "public", nullptr, *registry_));
  EXPECT_TRUE(Allows(nobody, "authenticated", nullptr, *registry_));
  EXPECT_FALSE(Allows(nobody, "data.read", nullptr, *registry_));
}

TEST_F(PolicyTable, AnyGrantOfSeveralSuffices) {
  Principal p;
  p.grants = {{Role::kOfficer, "25459", false}, {Role::kAuditor, "", false}};
  EXPECT_TRUE(Allows(p, "data.write", targets_.at("other"), *registry_));
  EXPECT_TRUE(Allows(p, "audit.read", nullptr, *registry_));
  EXPECT_FALSE(Allows(p, "data.write", targets_.at("own"), *registry_));
}

TEST(Roles, NamesRoundTrip) {
  for (Role r :
       {Role::kAdministrator, Role::kOfficer, Role::kLeader, Role::kAuditor, Role::kSystem}) {
    EXPECT_EQ(ParseRole(RoleName(r)), r);
  }
  EXPECT_EQ(RoleName(Role::kAdministrator), "administrator");
  EXPECT_FALSE(ParseRole("root"));
  Principal p;
  p.grants = {{Role::kLeader, "", false}};
  EXPECT_TRUE(p.Has(Role::kLeader));
  EXPECT_FALSE(p.Has(Role::kAdministrator));
}

}  // namespace
}  // namespace pdh::auth
