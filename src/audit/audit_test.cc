// Audit log: canonical bytes, the signing key, checkpoints, concurrent appends, tampering done
// directly in the SQLite file (each kind named by Verify), retention and the export.
#include "audit/audit.h"
#include "store/store.h"

#include <gtest/gtest.h>
#include <sodium.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace pdh::audit {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using store::AuditEntryRow;

const TimePoint kStart = *ParseTime("2025-01-01T00:00:00Z");
const std::string kZero(64, '0');

// --- Helpers --------------------------------------------------------------------------------

fs::path TempDir(const std::string& name) {
  fs::path dir =
      fs::temp_directory_path() / ("pdh-audit-" + std::to_string(::getpid()) + "-" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

// Runs `sql` on the database file directly, as someone with access to the file would.
void Tamper(const fs::path& db_path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(db_path.c_str(), &db), SQLITE_OK);
  char* err = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  const std::string msg = err ? err : "";
  sqlite3_free(err);
  sqlite3_close(db);
  ASSERT_EQ(rc, SQLITE_OK) << msg;
}

std::string Hex(const unsigned char* p, size_t n) {
  std::string out(n * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), p, n);
  out.pop_back();
  return out;
}

std::string Bin(const std::string& hex) {
  std::string out(hex.size() / 2, '\0');
  sodium_hex2bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), hex.data(), hex.size(),
                 nullptr, nullptr, nullptr);
  return out;
}

bool SignatureOk(const std::string& public_hex, const std::string& message,
                 const std::string& signature_hex) {
  const std::string pk = Bin(public_hex), sig = Bin(signature_hex);
  return sig.size() == crypto_sign_BYTES && pk.size() == crypto_sign_PUBLICKEYBYTES &&
         crypto_sign_verify_detached(reinterpret_cast<const unsigned char*>(sig.data()),
                                     reinterpret_cast<const unsigned char*>(message.data()),
                                     message.size(),
                                     reinterpret_cast<const unsigned char*>(pk.data())) == 0;
}

std::string Quote(const std::string& s) {
  return "'" + s + "'";
}

Event MakeEvent(int i, const std::string& actor = "an") {
  Event e{actor,
          i % 3 == 0 ? "login" : "units.update",
          "unit/" + std::to_string(i),
          "10.0.0.7",
          "req-" + std::to_string(i),
          {}};
  e.detail["i"] = i;
  e.detail["note"] = "đổi tên";
  return e;
}

// A store, its clock and its key in a temporary folder.
class AuditTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = TempDir(::testing::UnitTest::GetInstance()->current_test_info()->name());
  }
  void TearDown() override {
    log_.reset();
    store_.reset();
    fs::remove_all(dir_);
  }

  fs::path Db() const { return dir_ / "pdh.db"; }
  std::string Key() const { return Log::DefaultKeyPath(Db().string()); }

  void OpenStore() {
    auto s = store::Store::Open(Db().string());
    ASSERT_TRUE(s) << s.error().message;
    store_ = std::move(*s);
  }
  void OpenLog(Options options = {.checkpoint_every = 10, .checkpoint_interval = 24h}) {
    auto l = Log::Open(store_->audit(), clock_, Key(), options);
    ASSERT_TRUE(l) << l.error().message;
    log_ = std::move(*l);
  }
  void Close() {
    log_.reset();
    store_.reset();
  }
  // Appends events first..last, one minute apart.
  void AppendEvents(int first, int last) {
    for (int i = first; i <= last; ++i) {
      clock_.Advance(1min);
      auto r = log_->Append(MakeEvent(i));
      ASSERT_TRUE(r) << r.error().message;
    }
  }
  // A closed log of 30 entries with checkpoints at 10, 20 and 30.
  void BuildClosedLog() {
    OpenStore();
    OpenLog();
    AppendEvents(1, 30);
    Close();
  }
  VerifyReport Check() {
    if (!store_) OpenStore();
    auto r = Verify(store_->audit());
    EXPECT_TRUE(r) << r.error().message;
    return r ? *r : VerifyReport{};
  }
  std::vector<AuditEntryRow> Entries() {
    std::vector<AuditEntryRow> out;
    EXPECT_TRUE(store_->audit().ForEach([&](const AuditEntryRow& e) -> Status {
      out.push_back(e);
      return Ok();
    }));
    return out;
  }
  AuditEntryRow EntryAt(int64_t seq) {
    store::AuditQuery q;
    q.after_seq = seq - 1;
    q.limit = 1;
    auto rows = store_->audit().Query(q);
    EXPECT_TRUE(rows && !rows->empty());
    return rows->front();
  }

  fs::path dir_;
  ManualClock clock_{kStart};
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Log> log_;
};

// --- Canonical bytes and hash ---------------------------------------------------------------

TEST(CanonicalBytes, IsACompactArrayWithTheDetailReserialized) {
  AuditEntryRow e{7,     "2025-10-31T08:15:00.123Z",
                  "an",  "login",
                  "",    "10.0.0.1",
                  "r1",  "{ \"mfa\" : true,\n \"b\": [1, 2] }",
                  kZero, ""};
  EXPECT_EQ(
      CanonicalBytes(e),
      R"([7,"2025-10-31T08:15:00.123Z","an","login","","10.0.0.1","r1",{"mfa":true,"b":[1,2]}])");
  e.detail = "not json";
  EXPECT_EQ(CanonicalBytes(e),
            R"([7,"2025-10-31T08:15:00.123Z","an","login","","10.0.0.1","r1","not json"])");
}

TEST(CanonicalBytes, HashCoversThePreviousHash) {
  AuditEntryRow e{1, "2025-10-31T08:15:00.123Z", "an", "login", "", "", "", "{}", kZero, ""};
  const std::string h = EntryHash(e);
  EXPECT_EQ(h.size(), 64u);
  const std::string bytes = kZero + "\n" + CanonicalBytes(e);
  unsigned char sha[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(sha, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  EXPECT_EQ(h, Hex(sha, sizeof sha));
  e.prev_hash = std::string(64, '1');
  EXPECT_NE(EntryHash(e), h);
}

// --- Key ------------------------------------------------------------------------------------

TEST_F(AuditTest, CreatesAnOwnerOnlyKeyAndRecordsItsPublicKey) {
  OpenStore();
  OpenLog();
  struct stat st {};
  ASSERT_EQ(::stat(Key().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  std::ifstream in(Key());
  std::string hex;
  in >> hex;
  ASSERT_EQ(hex.size(), crypto_sign_SECRETKEYBYTES * 2);
  auto recorded = store_->audit().PublicKey();
  ASSERT_TRUE(recorded && *recorded);
  EXPECT_EQ(**recorded,
            hex.substr(crypto_sign_SECRETKEYBYTES * 2 - crypto_sign_PUBLICKEYBYTES * 2));
  log_.reset();
  OpenLog();  // the same key opens again
}

TEST_F(AuditTest, RefusesAKeyThatIsNotTheRecordedOne) {
  OpenStore();
  OpenLog();
  log_.reset();
  const std::string other = (dir_ / "other.audit-key").string();
  {
    auto other_store = store::Store::Open((dir_ / "other.db").string());
    ASSERT_TRUE(other_store);
    ASSERT_TRUE(Log::Open((*other_store)->audit(), clock_, other));
  }
  auto l = Log::Open(store_->audit(), clock_, other);
  ASSERT_FALSE(l);
  EXPECT_EQ(l.error().code, "audit.key_mismatch");
}

TEST_F(AuditTest, MissingKeyFileNamesWhereItShouldBe) {
  OpenStore();
  OpenLog();
  log_.reset();
  fs::remove(Key());
  auto l = Log::Open(store_->audit(), clock_, Key());
  ASSERT_FALSE(l);
  EXPECT_EQ(l.error().code, "audit.key_missing");
  EXPECT_NE(l.error().message.find(Key()), std::string::npos) << l.error().message;
  EXPECT_FALSE(fs::exists(Key()));  // not silently replaced
}

// --- Appending and checkpoints --------------------------------------------------------------

TEST_F(AuditTest, AppendChainsEntriesWithMillisecondTimes) {
  OpenStore();
  OpenLog();
  clock_.Advance(1234ms);
  auto a = log_->Append(MakeEvent(1));
  auto b = log_->Append(MakeEvent(2, ""));
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->seq, 1);
  EXPECT_EQ(a->prev_hash, kZero);
  EXPECT_EQ(a->at, "2025-01-01T00:00:01.234Z");
  EXPECT_EQ(a->hash, EntryHash(*a));
  EXPECT_EQ(b->seq, 2);
  EXPECT_EQ(b->prev_hash, a->hash);
  EXPECT_EQ(b->actor, "");
  EXPECT_EQ(boost::json::parse(a->detail).as_object().at("i").as_int64(), 1);
  EXPECT_TRUE(Check().ok);
}

TEST_F(AuditTest, ChecksEveryNEntriesAndAfterTheInterval) {
  OpenStore();
  OpenLog({.checkpoint_every = 5, .checkpoint_interval = 10min});
  AppendEvents(1, 12);  // one minute apart: count wins
  auto cps = store_->audit().Checkpoints();
  ASSERT_TRUE(cps);
  ASSERT_EQ(cps->size(), 2u);
  EXPECT_EQ((*cps)[0].seq, 5);
  EXPECT_EQ((*cps)[1].seq, 10);
  clock_.Advance(11min);
  AppendEvents(13, 13);  // interval wins
  cps = store_->audit().Checkpoints();
  ASSERT_EQ(cps->size(), 3u);
  EXPECT_EQ(cps->back().seq, 13);
  EXPECT_EQ(cps->back().hash, EntryAt(13).hash);
}

TEST_F(AuditTest, AScopesEntryCommitsWithTheWriteAndCountsForCheckpoints) {
  OpenStore();
  OpenLog({.checkpoint_every = 2, .checkpoint_interval = 24h});
  AppendEvents(1, 1);
  std::string decided = "before the write";
  {
    // The event is made inside the write's transaction: it sees what the write decided.
    Scope scope(*log_, [&decided] {
      Event e = MakeEvent(2);
      e.target = decided;
      return e;
    });
    decided = "by the write";
    ASSERT_TRUE(store_->SetSetting("tracker.report_due_day", "25"));
    decided = "after the write";
    auto entry = scope.Finish();
    ASSERT_TRUE(entry) << entry.error().message;
    EXPECT_EQ(entry->seq, 2);
    EXPECT_EQ(entry->target, "by the write");
    ASSERT_TRUE(scope.Finish());  // once only
  }
  EXPECT_EQ(Entries().size(), 2u);
  auto cps = store_->audit().Checkpoints();
  ASSERT_TRUE(cps);
  ASSERT_EQ(cps->size(), 1u);  // the scoped entry counted towards checkpoint_every
  EXPECT_EQ(cps->back().seq, 2);
  EXPECT_TRUE(Check().ok);
}

TEST_F(AuditTest, AScopeWithoutAWriteAppendsOnFinishAndNothingWithout) {
  OpenStore();
  OpenLog();
  {
    Scope scope(*log_, MakeEvent(1));
    auto entry = scope.Finish();  // an export: nothing written, the entry alone
    ASSERT_TRUE(entry) << entry.error().message;
    EXPECT_EQ(entry->seq, 1);
  }
  {
    Scope failed(*log_, MakeEvent(2));  // failed before it wrote: no entry
  }
  ASSERT_TRUE(store_->SetSetting("steward_unit", "80"));  // outside any scope
  EXPECT_EQ(Entries().size(), 1u);
  EXPECT_TRUE(Check().ok);
}

TEST_F(AuditTest, ExplicitCheckpointCoversTheLastEntryOnce) {
  OpenStore();
  OpenLog();
  ASSERT_TRUE(log_->Checkpoint());  // empty log: nothing to sign
  AppendEvents(1, 3);
  ASSERT_TRUE(log_->Checkpoint());
  ASSERT_TRUE(log_->Checkpoint());
  auto cps = store_->audit().Checkpoints();
  ASSERT_EQ(cps->size(), 1u);
  EXPECT_EQ(cps->front().seq, 3);
  const std::string msg = "pdh-audit-checkpoint\n3\n" + cps->front().hash + "\n" + cps->front().at;
  EXPECT_TRUE(SignatureOk(**store_->audit().PublicKey(), msg, cps->front().signature));
}

TEST_F(AuditTest, ReopenedLogContinuesTheCheckpointCount) {
  OpenStore();
  OpenLog();
  AppendEvents(1, 7);
  log_.reset();
  OpenLog();
  AppendEvents(8, 10);
  auto cps = store_->audit().Checkpoints();
  ASSERT_EQ(cps->size(), 1u);
  EXPECT_EQ(cps->front().seq, 10);
}

TEST_F(AuditTest, ConcurrentAppendsChainCorrectly) {
  OpenStore();
  OpenLog();
  // A second Log on the same store: only the store's writer orders the two.
  auto other = Log::Open(store_->audit(), clock_, Key(), {.checkpoint_every = 7});
  ASSERT_TRUE(other);
  constexpr int kThreads = 4, kEach = 40;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    Log& log = t % 2 ? **other : *log_;
    threads.emplace_back([&log, t] {
      for (int i = 0; i < kEach; ++i) {
        auto r = log.Append(MakeEvent(i, "t" + std::to_string(t)));
        ASSERT_TRUE(r) << r.error().message;
      }
    });
  }
  for (auto& t : threads) t.join();
  const auto entries = Entries();
  ASSERT_EQ(entries.size(), static_cast<size_t>(kThreads * kEach));
  for (size_t i = 0; i < entries.size(); ++i) {
    EXPECT_EQ(entries[i].seq, static_cast<int64_t>(i + 1));
    EXPECT_EQ(entries[i].prev_hash, i ? entries[i - 1].hash : kZero);
  }
  const auto report = Check();
  EXPECT_TRUE(report.ok) << report.problem;
  EXPECT_EQ(report.entries, kThreads * kEach);
}

// --- Tampering in the SQLite file -----------------------------------------------------------

TEST_F(AuditTest, UntouchedLogVerifies) {
  BuildClosedLog();
  const auto r = Check();
  EXPECT_TRUE(r.ok) << r.problem;
  EXPECT_EQ(r.entries, 30);
  EXPECT_EQ(r.checkpoints, 3);
  EXPECT_FALSE(r.first_bad_seq);
}

TEST_F(AuditTest, ChangedActorByteIsNamed) {
  BuildClosedLog();
  Tamper(Db(), "UPDATE audit_entry SET actor = 'ao' WHERE seq = 17");
  const auto r = Check();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 17);
  EXPECT_NE(r.problem.find("changed"), std::string::npos) << r.problem;
}

TEST_F(AuditTest, ChangedDetailByteIsNamed) {
  BuildClosedLog();
  Tamper(Db(),
         "UPDATE audit_entry SET detail = replace(detail, '\"i\":12', '\"i\":13') "
         "WHERE seq = 12");
  const auto r = Check();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 12);
  EXPECT_NE(r.problem.find("changed"), std::string::npos) << r.problem;
}

TEST_F(AuditTest, DeletedEntryIsNamed) {
  BuildClosedLog();
  Tamper(Db(), "DELETE FROM audit_entry WHERE seq = 14");
  const auto r = Check();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 14);
  EXPECT_NE(r.problem.find("entry 14 is missing (deleted)"), std::string::npos) << r.problem;
}

TEST_F(AuditTest, DeletedFirstAndLastEntriesAreNamed) {
  BuildClosedLog();
  fs::copy_file(Db(), dir_ / "copy.db");
  Tamper(Db(), "DELETE FROM audit_entry WHERE seq = 1");
  auto r = Check();
  EXPECT_EQ(r.first_bad_seq, 1) << r.problem;
  store_.reset();
  fs::rename(dir_ / "copy.db", Db());
  Tamper(Db(), "DELETE FROM audit_entry WHERE seq >= 29");
  r = Check();
  EXPECT_EQ(r.first_bad_seq, 29) << r.problem;
}

TEST_F(AuditTest, DeletedEntryWithLaterOnesRenumberedIsNamed) {
  BuildClosedLog();
  std::string sql = "DELETE FROM audit_entry WHERE seq = 14;";
  for (int s = 15; s <= 30; ++s) {
    sql += "UPDATE audit_entry SET seq = " + std::to_string(s - 1) +
           " WHERE seq = " + std::to_string(s) + ";";
  }
  Tamper(Db(), sql);
  const auto r = Check();
  EXPECT_EQ(r.first_bad_seq, 14);
  EXPECT_NE(r.problem.find("entry 14 is missing (deleted)"), std::string::npos) << r.problem;
}

TEST_F(AuditTest, SwappedAdjacentEntriesNameTheFirst) {
  BuildClosedLog();
  // Swapping every column but seq is swapping the seq of the two rows.
  Tamper(Db(),
         "UPDATE audit_entry SET seq = -1 WHERE seq = 14;"
         "UPDATE audit_entry SET seq = 14 WHERE seq = 15;"
         "UPDATE audit_entry SET seq = 15 WHERE seq = -1;");
  const auto r = Check();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 14);
  EXPECT_NE(r.problem.find("swapped (moved)"), std::string::npos) << r.problem;
}

// Makes room at `seq` by renumbering later entries from the end down, then inserts a plausible
// entry there; with `rehash` its hash is computed as the chain expects (the attacker knows the
// algorithm; only the signatures need a secret).
void InsertEntry(const fs::path& db, int64_t seq, const AuditEntryRow& before, bool rehash) {
  std::string sql;
  for (int64_t s = 30; s >= seq; --s) {
    sql += "UPDATE audit_entry SET seq = " + std::to_string(s + 1) +
           " WHERE seq = " + std::to_string(s) + ";";
  }
  AuditEntryRow e{seq,         before.at,     "an",    "units.update",
                  "unit/99",   before.remote, "req-x", R"({"i":99,"note":"thêm"})",
                  before.hash, before.hash};
  if (rehash) e.hash = EntryHash(e);
  sql += "INSERT INTO audit_entry VALUES (" + std::to_string(e.seq) + "," + Quote(e.at) + "," +
         Quote(e.actor) + "," + Quote(e.action) + "," + Quote(e.target) + "," + Quote(e.remote) +
         "," + Quote(e.request_id) + "," + Quote(e.detail) + "," + Quote(e.prev_hash) + "," +
         Quote(e.hash) + ");";
  Tamper(db, sql);
}

TEST_F(AuditTest, InsertedEntryIsNamed) {
  for (bool rehash : {true, false}) {
    BuildClosedLog();
    OpenStore();
    const AuditEntryRow before = EntryAt(15);
    store_.reset();
    InsertEntry(Db(), 16, before, rehash);
    const auto r = Check();
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.first_bad_seq, 16) << "rehash " << rehash << ": " << r.problem;
    EXPECT_NE(r.problem.find("entry 16 was inserted"), std::string::npos) << r.problem;
    store_.reset();
    fs::remove(Db());
    fs::remove(Key());
  }
}

TEST_F(AuditTest, RewrittenChainIsCaughtByTheCheckpoint) {
  BuildClosedLog();
  OpenStore();
  auto entries = Entries();
  store_.reset();
  // Change entry 15 and recompute every hash after it, as an attacker without the key can.
  std::string sql;
  entries[14].actor = "mallory";
  for (size_t i = 14; i < entries.size(); ++i) {
    entries[i].prev_hash = entries[i - 1].hash;
    entries[i].hash = EntryHash(entries[i]);
    sql += "UPDATE audit_entry SET actor = " + Quote(entries[i].actor) +
           ", prev_hash = " + Quote(entries[i].prev_hash) + ", hash = " + Quote(entries[i].hash) +
           " WHERE seq = " + std::to_string(entries[i].seq) + ";";
  }
  Tamper(Db(), sql);
  auto r = Check();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 20) << r.problem;
  EXPECT_NE(r.problem.find("checkpoint"), std::string::npos) << r.problem;
}

TEST_F(AuditTest, ForgedCheckpointSignatureFails) {
  BuildClosedLog();
  // A signature by another key over the right message.
  unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
  crypto_sign_keypair(pk, sk);
  OpenStore();
  const auto cp = (*store_->audit().Checkpoints())[1];
  store_.reset();
  const std::string msg =
      "pdh-audit-checkpoint\n" + std::to_string(cp.seq) + "\n" + cp.hash + "\n" + cp.at;
  unsigned char sig[crypto_sign_BYTES];
  crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(msg.data()), msg.size(),
                       sk);
  Tamper(Db(), "UPDATE audit_checkpoint SET signature = " + Quote(Hex(sig, sizeof sig)) +
                   " WHERE seq = 20");
  auto r = Check();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 20);
  EXPECT_NE(r.problem.find("signature"), std::string::npos) << r.problem;
  // An auditor's own copy of the key gives the same answer; another key fails every checkpoint.
  auto with_key = Verify(store_->audit(), Hex(pk, sizeof pk));
  ASSERT_TRUE(with_key);
  EXPECT_EQ(with_key->first_bad_seq, 10);
}

// --- Retention ------------------------------------------------------------------------------

TEST_F(AuditTest, PruneRefusesShortRetention) {
  OpenStore();
  auto r = Prune(store_->audit(), clock_, std::chrono::days(89));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "audit.retention_too_short");
}

TEST_F(AuditTest, PruneCutsAtACheckpointCoveringOnlyOldEntries) {
  OpenStore();
  OpenLog();
  AppendEvents(1, 25);  // checkpoints at 10 and 20; 21..25 old but not covered yet
  clock_.Advance(std::chrono::days(100));
  AppendEvents(26, 32);  // the interval signs one at 26, recent
  auto none = Prune(store_->audit(), clock_, std::chrono::days(365));
  ASSERT_TRUE(none);
  EXPECT_EQ(*none, 0);

  auto pruned = Prune(store_->audit(), clock_, std::chrono::days(90));
  ASSERT_TRUE(pruned) << pruned.error().message;
  EXPECT_EQ(*pruned, 20);
  EXPECT_EQ(Entries().front().seq, 21);
  auto r = Check();
  EXPECT_TRUE(r.ok) << r.problem;
  EXPECT_EQ(r.entries, 12);
  AppendEvents(33, 33);  // the pruned log goes on
  EXPECT_TRUE(Check().ok);

  // Without the checkpoint at the cut, nothing vouches for where the log now starts.
  store_.reset();
  log_.reset();
  Tamper(Db(), "DELETE FROM audit_checkpoint WHERE seq = 20");
  r = Check();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 20) << r.problem;
}

TEST_F(AuditTest, PruneKeepsTheLastEntryAndRefusesATamperedLog) {
  OpenStore();
  OpenLog();
  AppendEvents(1, 20);
  clock_.Advance(std::chrono::days(200));
  auto pruned = Prune(store_->audit(), clock_, std::chrono::days(90));
  ASSERT_TRUE(pruned);
  EXPECT_EQ(*pruned, 10);  // not 20: the next entry must have one to chain from
  EXPECT_TRUE(Check().ok);

  log_.reset();
  store_.reset();
  Tamper(Db(), "UPDATE audit_entry SET actor = 'x' WHERE seq = 15");
  OpenStore();
  auto refused = Prune(store_->audit(), clock_, std::chrono::days(90));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, "audit.verify_failed");
}

// --- Export ---------------------------------------------------------------------------------

// Checks an export the way an outside verifier would: from its lines alone.
void VerifyExport(std::istream& in, int64_t want_entries, int64_t want_checkpoints) {
  std::string line;
  ASSERT_TRUE(std::getline(in, line));
  const auto header = boost::json::parse(line).as_object();
  EXPECT_EQ(header.at("format").as_string(), "pdh-audit-1");
  EXPECT_EQ(header.at("hash").as_string(), "sha256");
  const std::string public_key(header.at("public_key").as_string());
  std::map<int64_t, std::string> hashes;
  std::string prev = kZero;
  int64_t entries = 0, checkpoints = 0;
  while (std::getline(in, line)) {
    const auto obj = boost::json::parse(line).as_object();
    if (const auto* e = obj.if_contains("entry")) {
      const auto& o = e->as_object();
      AuditEntryRow row{o.at("seq").as_int64(),
                        std::string(o.at("at").as_string()),
                        std::string(o.at("actor").as_string()),
                        std::string(o.at("action").as_string()),
                        std::string(o.at("target").as_string()),
                        std::string(o.at("remote").as_string()),
                        std::string(o.at("request_id").as_string()),
                        boost::json::serialize(o.at("detail")),
                        std::string(o.at("prev_hash").as_string()),
                        std::string(o.at("hash").as_string())};
      EXPECT_EQ(row.prev_hash, prev) << row.seq;
      EXPECT_EQ(EntryHash(row), row.hash) << row.seq;
      prev = row.hash;
      hashes[row.seq] = row.hash;
      ++entries;
    } else {
      const auto& c = obj.at("checkpoint").as_object();
      const int64_t seq = c.at("seq").as_int64();
      const std::string hash(c.at("hash").as_string());
      const std::string msg = "pdh-audit-checkpoint\n" + std::to_string(seq) + "\n" + hash + "\n" +
                              std::string(c.at("at").as_string());
      EXPECT_TRUE(SignatureOk(public_key, msg, std::string(c.at("signature").as_string()))) << seq;
      EXPECT_EQ(hashes.at(seq), hash);
      ++checkpoints;
    }
  }
  EXPECT_EQ(entries, want_entries);
  EXPECT_EQ(checkpoints, want_checkpoints);
}

TEST_F(AuditTest, ExportVerifiesFromItsLinesAlone) {
  BuildClosedLog();
  OpenStore();
  std::stringstream out;
  ASSERT_TRUE(Export(store_->audit(), out));
  VerifyExport(out, 30, 3);
}

}  // namespace
}  // namespace pdh::audit
