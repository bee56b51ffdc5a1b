// Identity store: accounts, grants (with their unit codes), sessions and tokens round-trip
// through SQLite, and duplicates become the errors callers understand.
#include <gtest/gtest.h>

#include <thread>

#include <filesystem>
#include <string>
#include <vector>

#include "store/store.h"
#include "store/test_support.h"

namespace pdh::store {
namespace {

namespace fs = std::filesystem;

class IdentityStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("pdh-identity-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    db_ = testing::Database((dir_ / "id.db").string());
    auto s = Store::Open(db_);
    ASSERT_TRUE(s) << s.error().message;
    store_ = std::move(*s);
    UnitRow province{
        .id = 1, .code = "80", .level = "province", .type = "Tỉnh", .name = "Tây Ninh"};
    UnitRow commune{.id = 2,
                    .code = "25459",
                    .level = "commune",
                    .type = "Phường",
                    .name = "Phường Tân Ninh",
                    .parent_id = 1};
    ASSERT_TRUE(store_->ReplaceUnits({province, commune}, {}));
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }
  IdentityStore& ids() { return store_->identity(); }
  std::string db_;

  int64_t AddAccount(const std::string& name) {
    AccountRow a;
    a.name = name;
    a.display_name = "Nguyễn Văn An";
    a.password_hash = "$argon2id$fake";
    a.created_at = "2025-10-01T08:00:00Z";
    auto id = ids().InsertAccount(a);
    EXPECT_TRUE(id) << id.error().message;
    return id ? *id : 0;
  }

  fs::path dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(IdentityStoreTest, AccountRoundTripAndUpdate) {
  const int64_t id = AddAccount("an.nguyen");
  auto found = ids().FindAccount("an.nguyen");
  ASSERT_TRUE(found && *found);
  EXPECT_EQ((*found)->id, id);
  EXPECT_EQ((*found)->display_name, "Nguyễn Văn An");
  EXPECT_EQ((*found)->kind, "person");
  EXPECT_EQ((*found)->password_hash, "$argon2id$fake");
  EXPECT_FALSE((*found)->locked_until);
  EXPECT_FALSE((*found)->last_active_at);

  AccountRow changed = **found;
  changed.failed_logins = 3;
  changed.locked_until = "2025-10-01T08:15:00Z";
  changed.disabled = true;
  changed.disabled_reason = "left the department";
  changed.totp_secret = "JBSWY3DPEHPK3PXP";
  changed.last_active_at = "2025-10-01T08:01:00Z";
  ASSERT_TRUE(ids().UpdateAccount(changed));
  auto again = ids().GetAccount(id);
  ASSERT_TRUE(again && *again);
  EXPECT_EQ((*again)->failed_logins, 3);
  EXPECT_EQ((*again)->locked_until, "2025-10-01T08:15:00Z");
  EXPECT_TRUE((*again)->disabled);
  EXPECT_EQ((*again)->disabled_reason, "left the department");
  EXPECT_EQ((*again)->totp_secret, "JBSWY3DPEHPK3PXP");
  EXPECT_FALSE((*again)->totp_pending);
  EXPECT_EQ((*again)->last_active_at, "2025-10-01T08:01:00Z");

  auto none = ids().FindAccount("nobody");
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none);
  AccountRow ghost = changed;
  ghost.id = 999;
  ghost.name = "ghost";
  auto missing = ids().UpdateAccount(ghost);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, "account.not_found");
}

TEST_F(IdentityStoreTest, DuplicateNameIsConflict) {
  AddAccount("an.nguyen");
  AccountRow a;
  a.name = "an.nguyen";
  a.created_at = "2025-10-01T08:00:00Z";
  auto dup = ids().InsertAccount(a);
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code, "account.duplicate_name");
  EXPECT_EQ(dup.error().status, 409);
  auto list = ids().ListAccounts();
  ASSERT_TRUE(list);
  EXPECT_EQ(list->size(), 1u);
}

TEST_F(IdentityStoreTest, GrantsAreReplacedAndCarryUnitCodes) {
  const int64_t id = AddAccount("an.nguyen");
  ASSERT_TRUE(ids().SetGrants(
      id, {{.role = "officer", .unit_id = 2, .include_descendants = true}, {.role = "leader"}}));
  auto grants = ids().ListGrants(id);
  ASSERT_TRUE(grants);
  ASSERT_EQ(grants->size(), 2u);
  EXPECT_EQ((*grants)[0].role, "officer");
  EXPECT_EQ((*grants)[0].unit_id, 2);
  EXPECT_EQ((*grants)[0].unit_code, "25459");
  EXPECT_TRUE((*grants)[0].include_descendants);
  EXPECT_EQ((*grants)[1].role, "leader");
  EXPECT_FALSE((*grants)[1].unit_id);
  EXPECT_EQ((*grants)[1].unit_code, "");

  ASSERT_TRUE(ids().SetGrants(id, {{.role = "auditor"}}));
  grants = ids().ListGrants(id);
  ASSERT_TRUE(grants);
  ASSERT_EQ(grants->size(), 1u);
  EXPECT_EQ((*grants)[0].role, "auditor");

  auto twice = ids().SetGrants(id, {{.role = "leader"}, {.role = "leader"}});
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, "grant.duplicate");
  grants = ids().ListGrants(id);  // the failed replacement left the old grants
  ASSERT_TRUE(grants);
  ASSERT_EQ(grants->size(), 1u);
  EXPECT_EQ((*grants)[0].role, "auditor");
}

// A TOTP step is used once, whichever store on the database (whichever server) it is sent to.
TEST_F(IdentityStoreTest, ATotpStepIsUsedOnceAcrossStoresOnOneDatabase) {
  const int64_t id = AddAccount("totp_user");
  auto other = Store::Open(db_);
  ASSERT_TRUE(other) << other.error().message;
  auto use = [id](Store& s, int64_t step) {
    auto fresh = s.identity().UseTotpStep(id, step);
    EXPECT_TRUE(fresh) << fresh.error().message;
    return fresh && *fresh;
  };
  EXPECT_TRUE(use(*store_, 1000));
  EXPECT_FALSE(use(**other, 1000));
  EXPECT_FALSE(use(**other, 999));
  EXPECT_TRUE(use(**other, 1001));
  EXPECT_FALSE(use(*store_, 1001));
}

// Two stores on one database (two servers) counting failed sign-ins at once: none is lost.
TEST_F(IdentityStoreTest, ChangesOfOneAccountFromTwoStoresAtOnceAreAllKept) {
  const int64_t id = AddAccount("counted");
  auto other = Store::Open(db_);
  ASSERT_TRUE(other) << other.error().message;
  constexpr int kEach = 40;
  auto count = [id](Store& s) {
    for (int i = 0; i < kEach; ++i) {
      auto changed = s.identity().ChangeAccount(id, [](AccountRow& a) { ++a.failed_logins; });
      ASSERT_TRUE(changed) << changed.error().message;
      ASSERT_TRUE(changed->has_value());
    }
  };
  std::thread one([&] { count(*store_); });
  count(**other);
  one.join();
  auto a = ids().GetAccount(id);
  ASSERT_TRUE(a && *a);
  EXPECT_EQ((*a)->failed_logins, 2 * kEach);
  auto none = ids().ChangeAccount(id + 1000, [](AccountRow& row) { row.failed_logins = 1; });
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->has_value());
}

TEST_F(IdentityStoreTest, SessionsInsertTouchReplaceAndDelete) {
  const int64_t id = AddAccount("an.nguyen");
  SessionRow s{.id_hash = "aa",
               .account_id = id,
               .csrf_token = "csrf",
               .created_at = "2025-10-01T08:00:00Z",
               .last_seen_at = "2025-10-01T08:00:00Z",
               .expires_at = "2025-10-01T20:00:00Z",
               .mfa = false,
               .remote = "10.0.0.1"};
  ASSERT_TRUE(ids().InsertSession(s));
  SessionRow other = s;
  other.id_hash = "bb";
  ASSERT_TRUE(ids().InsertSession(other));

  ASSERT_TRUE(ids().TouchSession("aa", "2025-10-01T08:05:00Z"));
  auto found = ids().FindSession("aa");
  ASSERT_TRUE(found && *found);
  EXPECT_EQ((*found)->last_seen_at, "2025-10-01T08:05:00Z");
  EXPECT_EQ((*found)->csrf_token, "csrf");
  EXPECT_EQ((*found)->remote, "10.0.0.1");
  EXPECT_FALSE((*found)->mfa);

  SessionRow marked = **found;
  marked.mfa = true;
  ASSERT_TRUE(ids().InsertSession(marked));  // same id_hash: replaced
  found = ids().FindSession("aa");
  ASSERT_TRUE(found && *found);
  EXPECT_TRUE((*found)->mfa);

  ASSERT_TRUE(ids().DeleteSession("aa"));
  found = ids().FindSession("aa");
  ASSERT_TRUE(found);
  EXPECT_FALSE(*found);
  auto ended = ids().DeleteSessionsOf(id);
  ASSERT_TRUE(ended);
  EXPECT_EQ(*ended, 1);
}

TEST_F(IdentityStoreTest, TokensKeepTheirListsAndRecordUseAndRevocation) {
  const int64_t a = AddAccount("an.nguyen");
  const int64_t b = AddAccount("binh.tran");
  TokenRow t{.account_id = a,
             .name = "dashboard",
             .prefix = "pdh_abcdefgh",
             .hash = "h1",
             .permissions = {"units.read", "indicators.*"},
             .unit_codes = {"25459"},
             .created_at = "2025-10-01T08:00:00Z",
             .expires_at = "2025-12-30T08:00:00Z"};
  auto id = ids().InsertToken(t);
  ASSERT_TRUE(id) << id.error().message;
  TokenRow open = t;
  open.account_id = b;
  open.hash = "h2";
  open.permissions.clear();
  open.unit_codes.clear();
  ASSERT_TRUE(ids().InsertToken(open));

  auto found = ids().FindTokenByHash("h1");
  ASSERT_TRUE(found && *found);
  EXPECT_EQ((*found)->id, *id);
  EXPECT_EQ((*found)->permissions, (std::vector<std::string>{"units.read", "indicators.*"}));
  EXPECT_EQ((*found)->unit_codes, std::vector<std::string>{"25459"});
  EXPECT_FALSE((*found)->revoked_at);

  auto all = ids().ListTokens(std::nullopt);
  ASSERT_TRUE(all);
  EXPECT_EQ(all->size(), 2u);
  auto of_b = ids().ListTokens(b);
  ASSERT_TRUE(of_b);
  ASSERT_EQ(of_b->size(), 1u);
  EXPECT_TRUE((*of_b)[0].permissions.empty());
  EXPECT_TRUE((*of_b)[0].unit_codes.empty());

  ASSERT_TRUE(ids().TouchToken(*id, "2025-10-02T09:00:00Z"));
  ASSERT_TRUE(ids().RevokeToken(*id, "2025-10-03T10:00:00Z"));
  ASSERT_TRUE(ids().RevokeToken(*id, "2025-10-04T10:00:00Z"));  // keeps the first time
  found = ids().FindTokenByHash("h1");
  ASSERT_TRUE(found && *found);
  EXPECT_EQ((*found)->last_used_at, "2025-10-02T09:00:00Z");
  EXPECT_EQ((*found)->revoked_at, "2025-10-03T10:00:00Z");

  auto missing = ids().RevokeToken(999, "2025-10-03T10:00:00Z");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, "token.not_found");
}

}  // namespace
}  // namespace pdh::store
