// AuditStore on SQLite: appends see the last entry, queries filter and page, prune and key.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "store/audit.h"
#include "store/datasets.h"
#include "store/store.h"
#include "store/test_support.h"

namespace pdh::store {
namespace {

namespace fs = std::filesystem;

class AuditStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("pdh-audit-store-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    auto s = Store::Open(testing::Database((dir_ / "a.db").string()));
    ASSERT_TRUE(s) << s.error().message;
    store_ = std::move(*s);
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }

  // Appends an entry whose prev_hash names the seq it followed, so chaining is visible.
  AuditEntryRow Add(const std::string& actor, const std::string& action, const std::string& at) {
    auto r = store_->audit().Append([&](const std::optional<AuditEntryRow>& last) {
      AuditEntryRow e;
      e.seq = last ? last->seq + 1 : 1;
      e.at = at;
      e.actor = actor;
      e.action = action;
      e.detail = "{}";
      e.prev_hash = last ? last->hash : "start";
      e.hash = "h" + std::to_string(e.seq);
      return e;
    });
    EXPECT_TRUE(r) << r.error().message;
    return *r;
  }

  static std::vector<int64_t> Seqs(const Result<std::vector<AuditEntryRow>>& rows) {
    std::vector<int64_t> out;
    for (const auto& e : *rows) out.push_back(e.seq);
    return out;
  }

  fs::path dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(AuditStoreTest, AppendChainsFromTheLastEntry) {
  EXPECT_FALSE(*store_->audit().Last());
  Add("an", "login", "2025-10-01T00:00:00.000Z");
  auto b = Add("an", "logout", "2025-10-01T00:00:01.000Z");
  EXPECT_EQ(b.seq, 2);
  EXPECT_EQ(b.prev_hash, "h1");
  auto last = store_->audit().Last();
  ASSERT_TRUE(last && *last);
  EXPECT_EQ((*last)->action, "logout");
}

TEST_F(AuditStoreTest, QueryFiltersAndPages) {
  Add("an", "login", "2025-10-01T00:00:00.000Z");
  Add("binh", "login", "2025-10-02T00:00:00.000Z");
  Add("an", "units.update", "2025-10-03T00:00:00.000Z");
  Add("an", "login", "2025-10-04T00:00:00.000Z");
  Add("", "login.failed", "2025-10-05T00:00:00.000Z");

  EXPECT_EQ(Seqs(store_->audit().Query({.actor = "an"})), (std::vector<int64_t>{1, 3, 4}));
  EXPECT_EQ(Seqs(store_->audit().Query({.actor = ""})), (std::vector<int64_t>{5}));
  EXPECT_EQ(Seqs(store_->audit().Query({.actor = "an", .action = "login"})),
            (std::vector<int64_t>{1, 4}));
  EXPECT_EQ(Seqs(store_->audit().Query(
                {.from = "2025-10-02T00:00:00.000Z", .to = "2025-10-04T00:00:00.000Z"})),
            (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(Seqs(store_->audit().Query({.after_seq = 2, .limit = 2})),
            (std::vector<int64_t>{3, 4}));
  EXPECT_EQ(Seqs(store_->audit().Query({.limit = 2, .newest_first = true})),
            (std::vector<int64_t>{5, 4}));
  EXPECT_EQ(Seqs(store_->audit().Query({.limit = 2, .newest_first = true, .before_seq = 4})),
            (std::vector<int64_t>{3, 2}));
}

TEST_F(AuditStoreTest, PruneKeepsCheckpointsAndKeyIsRecorded) {
  for (int i = 0; i < 5; ++i) Add("an", "login", "2025-10-01T00:00:00.000Z");
  ASSERT_TRUE(store_->audit().InsertCheckpoint({3, "h3", "2025-10-01T00:00:00.000Z", "sig"}));
  auto pruned = store_->audit().Prune(3);
  ASSERT_TRUE(pruned);
  EXPECT_EQ(*pruned, 3);
  EXPECT_EQ(Seqs(store_->audit().Query({})), (std::vector<int64_t>{4, 5}));
  EXPECT_EQ(store_->audit().Checkpoints()->size(), 1u);

  EXPECT_FALSE(*store_->audit().PublicKey());
  ASSERT_TRUE(store_->audit().SetPublicKey("abcd"));
  EXPECT_EQ(**store_->audit().PublicKey(), "abcd");
  EXPECT_EQ(**store_->GetSetting("audit_public_key"), "abcd");
}

// The entry the scope's writes carry, chained like Add's.
AuditScope::Make EntryOf(const std::string& action) {
  return [action](const std::optional<AuditEntryRow>& last) {
    AuditEntryRow e;
    e.seq = last ? last->seq + 1 : 1;
    e.at = "2025-10-01T00:00:00.000Z";
    e.action = action;
    e.detail = "{}";
    e.prev_hash = last ? last->hash : "start";
    e.hash = "h" + std::to_string(e.seq);
    return e;
  };
}

TEST_F(AuditStoreTest, TheFirstWriteInAScopeCarriesItsEntry) {
  Add("an", "login", "2025-10-01T00:00:00.000Z");
  {
    AuditScope scope(EntryOf("settings.set"));
    EXPECT_EQ(AuditScope::Pending(), &scope);
    ASSERT_TRUE(store_->SetSetting("tracker.report_due_day", "25"));
    ASSERT_TRUE(scope.appended());
    EXPECT_EQ(scope.appended()->seq, 2);
    EXPECT_EQ(scope.appended()->prev_hash, "h1");
    EXPECT_EQ(AuditScope::Pending(), nullptr);
    // One entry per scope: later writes carry none.
    ASSERT_TRUE(store_->SetSetting("tracker.report_due_day", "20"));
  }
  EXPECT_EQ(AuditScope::Pending(), nullptr);
  ASSERT_TRUE(store_->SetSetting("steward_unit", "80"));  // no scope, no entry
  EXPECT_EQ(Seqs(store_->audit().Query({})), (std::vector<int64_t>{1, 2}));
  EXPECT_EQ((*store_->audit().Last())->action, "settings.set");
}

TEST_F(AuditStoreTest, AFailedWriteLeavesNoEntryAndTheNextWriteCarriesIt) {
  const DatasetTable table{"t", {{"id", ColumnType::kText, false}}, {0}};
  const DatasetRow row{"t", "T", "", "", "", "", 1, "{}", "2025-10-01", "2025-10-01"};
  const DatasetVersionRow version{"t", 1, "{}", "2025-10-01", "an", ""};
  ASSERT_TRUE(store_->datasets().Create(row, table, version));
  AuditScope scope(EntryOf("datasets.create"));
  EXPECT_FALSE(store_->datasets().Create(row, table, version));  // dataset.exists
  EXPECT_FALSE(scope.appended());
  EXPECT_FALSE(*store_->audit().Last());
  ASSERT_TRUE(store_->SetSetting("steward_unit", "80"));
  ASSERT_TRUE(scope.appended());
  EXPECT_EQ(Seqs(store_->audit().Query({})), (std::vector<int64_t>{1}));
}

TEST_F(AuditStoreTest, TheAuditAreasOwnWritesCarryNoScopedEntry) {
  AuditScope scope(EntryOf("audit.prune"));
  Add("an", "login", "2025-10-01T00:00:00.000Z");
  ASSERT_TRUE(store_->audit().SetPublicKey("abcd"));
  EXPECT_FALSE(scope.appended());
  EXPECT_EQ(Seqs(store_->audit().Query({})), (std::vector<int64_t>{1}));
}

}  // namespace
}  // namespace pdh::store
