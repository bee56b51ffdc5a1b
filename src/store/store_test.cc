// Store: migrations, units round trip, group commit under concurrency, backup.
#include "store/store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "store/test_support.h"

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
  void TearDown() override {
    for (const auto& [name, url] : databases_) testing::PostgresCluster::Get().Drop(url);
    fs::remove_all(dir_);
  }
  // The database named `name`: a file of the test's directory, or one of the PostgreSQL test
  // cluster's databases, the same one each time in a test.
  std::string Path(const std::string& name) {
    if (!testing::OnPostgres()) return (dir_ / name).string();
    auto [it, added] = databases_.try_emplace(name);
    if (added) it->second = testing::Database(name);
    return it->second;
  }
  fs::path dir_;
  std::map<std::string, std::string> databases_;
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

// A dataset of three columns, keyed by the first.
DatasetTable HoSo() {
  return {"ho-so",
          {{"ma", ColumnType::kText, false},
           {"so", ColumnType::kInteger, false},
           {"ti_le", ColumnType::kReal, false}},
          {0}};
}
Status CreateHoSo(Store& s) {
  DatasetRow d{.code = "ho-so",
               .title = "Hồ sơ",
               .schema_json = "{}",
               .created_at = "2025-10-01",
               .updated_at = "2025-10-01"};
  return s.datasets().Create(d, HoSo(), {.dataset = "ho-so", .schema_json = "{}"});
}

// One committed batch of `rows` into `table`.
Result<int64_t> WriteRows(Store& s, const DatasetTable& table,
                          std::vector<std::vector<Cell>> rows) {
  bool sent = false;
  return s.datasets().WriteBatch(
      table, {.dataset = table.dataset, .created_at = "2025-10-02", .created_by = "test"},
      [&](std::vector<StagedRow>& out) -> Result<bool> {
        if (!sent) {
          for (auto& r : rows) out.push_back({static_cast<int64_t>(out.size()) + 1, r});
        }
        sent = true;
        return false;
      },
      [](const StagedRow&, RowConflict) {},
      [](int64_t, const BatchCounts&, int64_t) -> Result<BatchEnd> {
        return BatchEnd{"committed", true, "{}"};
      },
      [](const std::function<Status(const RejectRow&)>&) { return Ok(); });
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

// A database of schema 13 (its datasets' rows without the batch that made them) is brought to
// the current schema: its rows count as made before any batch, and its saved engine state,
// which the engine no longer reads, is dropped.
TEST_F(StoreTest, DatasetTablesOfAnOlderSchemaAreUpgraded) {
  const DatasetTable table = HoSo();
  int64_t first = 0;
  {
    auto s = Store::Open(Path("old.db"));
    ASSERT_TRUE(s) << s.error().message;
    ASSERT_TRUE(CreateHoSo(**s));
    auto b = WriteRows(**s, table, {{std::string("A"), int64_t{1}, 0.5}});
    ASSERT_TRUE(b) << b.error().message;
    first = *b;
    ASSERT_TRUE((*s)->engine().SaveEngineState("saved"));
  }
  const bool pg = testing::OnPostgres();
  ASSERT_TRUE(testing::ExecRaw(
      Path("old.db"),
      std::string("DROP INDEX \"ds_ho-so__history_batch\"; ALTER TABLE \"ds_ho-so\" DROP COLUMN "
                  "_created; ") +
          (pg ? "UPDATE pdh_schema SET version = 13" : "PRAGMA user_version = 13")));
  auto s = Store::Open(Path("old.db"));
  ASSERT_TRUE(s) << s.error().message;
  auto saved = (*s)->engine().LoadEngineState();
  ASSERT_TRUE(saved);
  EXPECT_FALSE(saved->has_value());
  auto b = WriteRows(**s, table,
                     {{std::string("A"), int64_t{2}, 0.5}, {std::string("B"), Cell(), Cell()}});
  ASSERT_TRUE(b) << b.error().message;
  std::map<std::string, bool> seen;  // key -> had a previous version
  auto mark = (*s)->datasets().ForEachChangeSince(
      {&table}, first, [&](size_t, const std::vector<Cell>& now, const std::vector<Cell>* before) {
        seen[std::get<std::string>(now[0])] = before != nullptr;
        if (before) {
          EXPECT_EQ(std::get<int64_t>((*before)[1]), 1);
        }
        return Ok();
      });
  ASSERT_TRUE(mark) << mark.error().message;
  EXPECT_EQ(*mark, *b);
  EXPECT_EQ(seen, (std::map<std::string, bool>{{"A", true}, {"B", false}}));
}

// The WAL is checkpointed by the store's own thread once it passes 1,000 pages, not in the
// writer's commit (whose automatic checkpoint the store replaces; the writer checkpoints only
// past 8,000): batches with pauses between them, as they come to a server, do not pile up in it.
TEST_F(StoreTest, WalIsCheckpointedBesideTheWriter) {
  if (testing::OnPostgres()) GTEST_SKIP() << "SQLite's write-ahead log";
  auto s = Store::Open(Path("wal.db"));
  ASSERT_TRUE(s) << s.error().message;
  const DatasetTable table = HoSo();
  ASSERT_TRUE(CreateHoSo(**s));
  const std::string wal = Path("wal.db") + "-wal";
  const std::string filler(2000, 'x');
  for (int b = 0; b < 12; ++b) {
    std::vector<std::vector<Cell>> rows;
    for (int i = 0; i < 500; ++i) {
      rows.push_back({"B" + std::to_string(b) + "-" + std::to_string(i) + filler, int64_t{i}, 0.5});
    }
    ASSERT_TRUE(WriteRows(**s, table, std::move(rows)));
    // The checkpoint runs beside the writes; the next batch, finding the log copied, starts it
    // again from its beginning.
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
  }
  // Each batch is about 900 pages of 4 KiB (rows and key index): 12 of them would be 43 MB of
  // log without the thread's checkpoints, and 32 MB or more with the writer's alone.
  EXPECT_LT(fs::file_size(wal), uintmax_t{16} << 20);
}

TEST_F(StoreTest, MissingFileWithoutCreateIsNotFound) {
  if (testing::OnPostgres()) GTEST_SKIP() << "a PostgreSQL database is created by its server";
  auto s = Store::Open(Path("missing.db"), {.create = false});
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, "store.not_found");
}

TEST_F(StoreTest, RefusesSchemaFromNewerVersion) {
  { ASSERT_TRUE(Store::Open(Path("n.db"))); }
  ASSERT_TRUE(testing::ExecRaw(Path("n.db"), testing::OnPostgres()
                                                 ? "UPDATE pdh_schema SET version = 999"
                                                 : "PRAGMA user_version=999"));
  auto s = Store::Open(Path("n.db"));
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, "store.newer_schema");
}

TEST_F(StoreTest, ReplaceUnitsRoundTrip) {
  auto s = Store::Open(Path("u.db"));
  ASSERT_TRUE(s) << s.error().message;
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
  ASSERT_TRUE(s) << s.error().message;
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
  ASSERT_TRUE(s) << s.error().message;
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
  ASSERT_TRUE(s) << s.error().message;
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
  ASSERT_TRUE(s) << s.error().message;
  auto loaded = (*s)->engine().LoadEngineState();
  ASSERT_TRUE(loaded && *loaded);
  EXPECT_EQ(**loaded, bytes);
  {
    // A save whose parts are not what it wrote (another process's save replaced them) is no
    // state.
    EXPECT_TRUE(
        testing::ExecRaw(Path("e.db"), "UPDATE engine_state SET data = substr(data, 1, 10)"));
    auto gone = (*s)->engine().LoadEngineState();
    ASSERT_TRUE(gone);
    EXPECT_FALSE(*gone);
  }
  ASSERT_TRUE((*s)->engine().ClearEngineState());
  EXPECT_FALSE(*(*s)->engine().LoadEngineState());
}

TEST_F(StoreTest, OnlineBackupWhileWriting) {
  auto s = Store::Open(Path("b.db"));
  ASSERT_TRUE(s) << s.error().message;
  Store& st = **s;
  ASSERT_TRUE(st.ReplaceUnits({MakeUnit(1, "80", "province")}, {}));
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    for (int i = 0; !stop; ++i)
      // Only the load matters here; the backup's consistency is checked below.
      (void)st.InsertUnit(MakeUnit(0, "w" + std::to_string(i), "agency", 1));
  });
  auto b = st.Backup((dir_ / "copy.db").string());
  stop = true;
  writer.join();
  if (testing::OnPostgres()) {
    // PostgreSQL's own tools back it up; the error says which.
    ASSERT_FALSE(b);
    EXPECT_EQ(b.error().code, "backup.postgresql");
    return;
  }
  ASSERT_TRUE(b) << b.error().message;
  auto copy = Store::Open((dir_ / "copy.db").string(), {.create = false});
  ASSERT_TRUE(copy);
  EXPECT_GE((*copy)->LoadUnits()->size(), 1u);
  auto again = st.Backup((dir_ / "copy.db").string());
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, "backup.exists");
}

}  // namespace
}  // namespace pdh::store

namespace pdh::store {
namespace {

// A database copied to the other backend and back (to SQLite files when the tests run on
// SQLite alone): every table's rows and checksum the same, the datasets' own tables made alike,
// a dataset's upsert and a unit inserted without an id working in the copy.
TEST_F(StoreTest, CopyToAnotherDatabaseAndBack) {
  auto a = Store::Open((dir_ / "a.db").string());
  ASSERT_TRUE(a) << a.error().message;
  ASSERT_TRUE(
      (*a)->ReplaceUnits({MakeUnit(1, "80", "province"), MakeUnit(5, "25459", "commune", 1)}, {}));
  ASSERT_TRUE((*a)->SetSetting("home", "Tây Ninh"));
  ASSERT_TRUE((*a)->engine().SaveEngineState(std::string("\0\1\2\xff state", 10)));
  const DatasetTable table = HoSo();
  ASSERT_TRUE(CreateHoSo(**a));
  auto write = [&](Store& s, std::vector<std::vector<Cell>> rows) {
    return WriteRows(s, table, std::move(rows));
  };
  ASSERT_TRUE(
      write(**a, {{std::string("A1"), int64_t{3}, 0.25}, {std::string("B2"), Cell(), 1.5}}));

  auto b = Store::Open(Path("b.db"));
  ASSERT_TRUE(b) << b.error().message;
  auto copied = (*a)->CopyTo(**b);
  ASSERT_TRUE(copied) << copied.error().message;
  auto sums = (*b)->Checksums();
  ASSERT_TRUE(sums);
  auto find = [](const std::vector<Store::TableSum>& all, const std::string& name) {
    for (const auto& t : all) {
      if (t.table == name) return t;
    }
    return Store::TableSum{"missing", -1, 0};
  };
  for (const auto& t : *copied) {
    const auto there = find(*sums, t.table);
    EXPECT_EQ(there.rows, t.rows) << t.table;
    EXPECT_EQ(there.checksum, t.checksum) << t.table;
  }
  EXPECT_EQ(find(*copied, "ds_ho-so").rows, 2);
  EXPECT_EQ(find(*copied, "unit").rows, 2);

  // The copy works as the original did: the next unit takes the next id, a batch updates a row.
  auto id = (*b)->InsertUnit(MakeUnit(0, "25460", "commune", 1));
  ASSERT_TRUE(id) << id.error().message;
  EXPECT_EQ(*id, 6);
  ASSERT_TRUE(write(**b, {{std::string("A1"), int64_t{4}, 0.25}}));
  auto history = (*b)->datasets().History("ho-so", "A1");
  ASSERT_TRUE(history);
  EXPECT_EQ(history->size(), 1u);
  auto state = (*b)->engine().LoadEngineState();
  ASSERT_TRUE(state && *state);
  EXPECT_EQ(**state, std::string("\0\1\2\xff state", 10));

  // And back, into a file.
  auto c = Store::Open((dir_ / "c.db").string());
  ASSERT_TRUE(c);
  auto back = (*b)->CopyTo(**c);
  ASSERT_TRUE(back) << back.error().message;
  auto back_sums = (*c)->Checksums();
  ASSERT_TRUE(back_sums);
  for (const auto& t : *back) EXPECT_EQ(find(*back_sums, t.table).checksum, t.checksum) << t.table;
  // The row the batch changed in between changed the table's checksum.
  EXPECT_NE(find(*back, "ds_ho-so").checksum, find(*copied, "ds_ho-so").checksum);
  EXPECT_EQ(*(*c)->GetSetting("home"), std::optional<std::string>("Tây Ninh"));
  EXPECT_FALSE(*(*c)->empty());
}

// What the batches after one changed, each row with the version it had then: a row made since
// has none, a row only sent again is not a change, a row changed twice is given as it was before
// the first change; from batch 0, every row.
TEST_F(StoreTest, ChangesSinceABatchWithEachRowAsItWas) {
  auto s = Store::Open(Path("changes.db"));
  ASSERT_TRUE(s) << s.error().message;
  const DatasetTable table = HoSo();
  ASSERT_TRUE(CreateHoSo(**s));
  auto a = std::string("A");
  auto b1 = WriteRows(**s, table,
                      {{a, int64_t{1}, 0.5},
                       {std::string("B"), Cell(), 1.5},
                       {std::string("C"), int64_t{3}, Cell()}});
  ASSERT_TRUE(b1) << b1.error().message;
  auto b2 = WriteRows(
      **s, table,
      {{a, int64_t{2}, 0.5}, {std::string("B"), Cell(), 1.5}, {std::string("D"), int64_t{4}, 4.0}});
  ASSERT_TRUE(b2) << b2.error().message;
  auto b3 = WriteRows(**s, table, {{a, int64_t{3}, Cell()}, {std::string("D"), int64_t{5}, 4.0}});
  ASSERT_TRUE(b3) << b3.error().message;

  auto text = [](const std::vector<Cell>& row) {
    std::string out;
    for (const auto& c : row) {
      if (const auto* i = std::get_if<int64_t>(&c)) out += std::to_string(*i);
      if (const auto* r = std::get_if<double>(&c)) out += std::to_string(*r).substr(0, 3);
      if (const auto* t = std::get_if<std::string>(&c)) out += *t;
      if (std::holds_alternative<std::monostate>(c)) out += "-";
      out += ' ';
    }
    return out;
  };
  auto changes = [&](int64_t since, int64_t* mark) {
    std::map<std::string, std::string> out;  // now -> before
    auto r = (*s)->datasets().ForEachChangeSince(
        {&table}, since,
        [&](size_t t, const std::vector<Cell>& now, const std::vector<Cell>* before) -> Status {
          EXPECT_EQ(t, 0u);
          out[text(now)] = before ? text(*before) : "new";
          return Ok();
        });
    EXPECT_TRUE(r) << r.error().message;
    if (r) *mark = *r;
    return out;
  };
  int64_t mark = 0;
  EXPECT_EQ(changes(0, &mark),
            (std::map<std::string, std::string>{
                {"A 3 - ", "new"}, {"B - 1.5 ", "new"}, {"C 3 - ", "new"}, {"D 5 4.0 ", "new"}}));
  EXPECT_EQ(mark, *b3);
  EXPECT_EQ(changes(*b1, &mark),
            (std::map<std::string, std::string>{{"A 3 - ", "A 1 0.5 "}, {"D 5 4.0 ", "new"}}));
  EXPECT_EQ(changes(*b2, &mark),
            (std::map<std::string, std::string>{{"A 3 - ", "A 2 0.5 "}, {"D 5 4.0 ", "D 4 4.0 "}}));
  EXPECT_EQ(changes(*b3, &mark), (std::map<std::string, std::string>{}));
  EXPECT_EQ(mark, *b3);
}

}  // namespace
}  // namespace pdh::store
