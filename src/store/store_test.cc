// Store: migrations, units round trip, group commit under concurrency, backup.
#include "store/store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

namespace pdh::store {
namespace {

namespace fs = std::filesystem;

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("pdh-store-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Path(const std::string& name) const { return (dir_ / name).string(); }
  fs::path dir_;
};

UnitRow MakeUnit(int64_t id, std::string code, std::string level,
                 std::optional<int64_t> parent = std::nullopt) {
  UnitRow u;
  u.id = id;
  u.code = std::move(code);
  u.level = std::move(level);
  u.type = "Xã";
  u.name = "Xã " + u.code;
  u.short_name = u.code;
  u.parent_id = parent;
  return u;
}

TEST_F(StoreTest, OpenAppliesMigrationsAndReopens) {
  {
    auto s = Store::Open(Path("a.db"));
    ASSERT_TRUE(s) << s.error().message;
    EXPECT_GE((*s)->schema_version(), 1);
    EXPECT_TRUE((*s)->healthy());
  }
  auto again = Store::Open(Path("a.db"));
  ASSERT_TRUE(again) << again.error().message;
}

TEST_F(StoreTest, MissingFileWithoutCreateIsNotFound) {
  auto s = Store::Open(Path("missing.db"), {.create = false});
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, "store.not_found");
}

TEST_F(StoreTest, RefusesSchemaFromNewerVersion) {
  { ASSERT_TRUE(Store::Open(Path("n.db"))); }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(Path("n.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "PRAGMA user_version=999", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  auto s = Store::Open(Path("n.db"));
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, "store.newer_schema");
}

TEST_F(StoreTest, ReplaceUnitsRoundTrip) {
  auto s = Store::Open(Path("u.db"));
  ASSERT_TRUE(s);
  Store& st = **s;
  std::vector<UnitRow> units = {MakeUnit(3, "25459", "commune", 1), MakeUnit(1, "80", "province"),
                                MakeUnit(2, "25456", "commune", 1)};
  units[0].population = 1234;
  units[0].area_km2 = 21.35;
  units[2].valid_to = "2025-07-01";
  std::vector<SuccessionRow> succ = {{2, 3, "whole", "Nhập toàn bộ", std::nullopt}};
  ASSERT_TRUE(st.ReplaceUnits(units, succ));
  auto loaded = st.LoadUnits();
  ASSERT_TRUE(loaded);
  ASSERT_EQ(loaded->size(), 3u);
  EXPECT_EQ((*loaded)[2].code, "25459");
  EXPECT_EQ((*loaded)[2].population, 1234);
  EXPECT_EQ((*loaded)[1].valid_to, "2025-07-01");
  auto sx = st.LoadSuccessions();
  ASSERT_TRUE(sx);
  ASSERT_EQ(sx->size(), 1u);
  EXPECT_EQ((*sx)[0].note, "Nhập toàn bộ");

  // Replacing again leaves only the new set.
  ASSERT_TRUE(st.ReplaceUnits({MakeUnit(1, "80", "province")}, {}));
  EXPECT_EQ(st.LoadUnits()->size(), 1u);
}

TEST_F(StoreTest, FailedReplaceLeavesPreviousData) {
  auto s = Store::Open(Path("f.db"));
  ASSERT_TRUE(s);
  Store& st = **s;
  ASSERT_TRUE(st.ReplaceUnits({MakeUnit(1, "80", "province")}, {}));
  // Parent 42 does not exist: the foreign key fails and nothing of the second set is written.
  auto r = st.ReplaceUnits({MakeUnit(1, "72", "province"), MakeUnit(2, "1", "commune", 42)}, {});
  EXPECT_FALSE(r);
  auto loaded = st.LoadUnits();
  ASSERT_EQ(loaded->size(), 1u);
  EXPECT_EQ((*loaded)[0].code, "80");
}

TEST_F(StoreTest, ConcurrentWritersAreAllCommittedAndIsolated) {
  auto s = Store::Open(Path("c.db"));
  ASSERT_TRUE(s);
  Store& st = **s;
  ASSERT_TRUE(st.ReplaceUnits({MakeUnit(1, "80", "province")}, {}));
  constexpr int kThreads = 8;
  constexpr int kPerThread = 50;
  std::atomic<int> ok{0};
  std::atomic<int> dup{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        // Every thread also tries one code that another thread inserts: exactly one wins.
        std::string code = i == 0 ? "shared" : std::to_string(t * 1000 + i);
        auto r = st.InsertUnit(MakeUnit(0, code, "agency", 1));
        if (r) {
          ++ok;
        } else if (r.error().code == "unit.duplicate_code") {
          ++dup;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), kThreads * (kPerThread - 1) + 1);
  EXPECT_EQ(dup.load(), kThreads - 1);
  EXPECT_EQ(st.LoadUnits()->size(), static_cast<size_t>(ok.load() + 1));
}

TEST_F(StoreTest, SettingsUpsert) {
  auto s = Store::Open(Path("s.db"));
  ASSERT_TRUE(s);
  EXPECT_FALSE(*(*s)->GetSetting("home"));
  ASSERT_TRUE((*s)->SetSetting("home", "80"));
  ASSERT_TRUE((*s)->SetSetting("home", "72"));
  EXPECT_EQ(**(*s)->GetSetting("home"), "72");
}

// The engine's saved state: bytes of any value back as they were, replaced whole, kept across a
// reopen, and not counted as data the pages read (saving it leaves the kept answers current).
TEST_F(StoreTest, EngineStateRoundTrip) {
  std::string bytes;
  for (uint32_t i = 0; i < 300000; ++i) bytes.push_back(static_cast<char>(i * 7919U % 256));
  {
    auto s = Store::Open(Path("e.db"));
    ASSERT_TRUE(s);
    auto none = (*s)->engine().LoadEngineState();
    ASSERT_TRUE(none);
    EXPECT_FALSE(*none);
    const uint64_t generation = (*s)->data_generation();
    ASSERT_TRUE((*s)->engine().SaveEngineState("first"));
    ASSERT_TRUE((*s)->engine().SaveEngineState(bytes));
    EXPECT_EQ((*s)->data_generation(), generation);
    ASSERT_TRUE((*s)->engine().SaveEngineState(""));
    auto empty = (*s)->engine().LoadEngineState();
    ASSERT_TRUE(empty && *empty);
    EXPECT_EQ(**empty, "");
    ASSERT_TRUE((*s)->engine().SaveEngineState(bytes));
  }
  auto s = Store::Open(Path("e.db"));
  ASSERT_TRUE(s);
  auto loaded = (*s)->engine().LoadEngineState();
  ASSERT_TRUE(loaded && *loaded);
  EXPECT_EQ(**loaded, bytes);
  {
    // A save whose parts are not what it wrote (another process's save replaced them) is no
    // state.
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(Path("e.db").c_str(), &raw), SQLITE_OK);
    EXPECT_EQ(sqlite3_exec(raw, "UPDATE engine_state SET data = substr(data, 1, 10)", nullptr,
                           nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(raw);
    auto gone = (*s)->engine().LoadEngineState();
    ASSERT_TRUE(gone);
    EXPECT_FALSE(*gone);
  }
  ASSERT_TRUE((*s)->engine().ClearEngineState());
  EXPECT_FALSE(*(*s)->engine().LoadEngineState());
}

TEST_F(StoreTest, OnlineBackupWhileWriting) {
  auto s = Store::Open(Path("b.db"));
  ASSERT_TRUE(s);
  Store& st = **s;
  ASSERT_TRUE(st.ReplaceUnits({MakeUnit(1, "80", "province")}, {}));
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    for (int i = 0; !stop; ++i)
      // Only the load matters here; the backup's consistency is checked below.
      (void)st.InsertUnit(MakeUnit(0, "w" + std::to_string(i), "agency", 1));
  });
  auto b = st.Backup(Path("copy.db"));
  stop = true;
  writer.join();
  ASSERT_TRUE(b) << b.error().message;
  auto copy = Store::Open(Path("copy.db"), {.create = false});
  ASSERT_TRUE(copy);
  EXPECT_GE((*copy)->LoadUnits()->size(), 1u);
  auto again = st.Backup(Path("copy.db"));
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, "backup.exists");
}

}  // namespace
}  // namespace pdh::store
