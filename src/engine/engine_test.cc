// The engine over the real units of province 80: roll-ups up the tree and across the 2025
// merger (whole and partial, with the province's weights), incremental updates equal to a full
// rebuild on random batches, freshness and expected reports, the public-service formulas on
// hand-checked records, values in pdh's and DHIS2's formats, and the checks on definitions.
#include <gtest/gtest.h>

#include <cstring>
#include <map>
#include <random>
#include <set>
#include <sstream>

#include "engine/engine.h"
#include "ingest/test_support.h"

namespace pdh::engine {
namespace {

using ingest::testing::IngestTest;

constexpr const char* kAt = "2025-11-01T00:00:00Z";

Element Elem(std::string code, UnitAgg agg = UnitAgg::kSum, TimeAgg time = TimeAgg::kSum) {
  Element e;
  e.code = std::move(code);
  e.name = "Phần tử " + e.code;
  e.unit_agg = agg;
  e.time_agg = time;
  return e;
}

Indicator Ind(std::string code, std::string expr) {
  Indicator i;
  i.code = std::move(code);
  i.name = "Chỉ tiêu " + i.code;
  i.expression = std::move(expr);
  return i;
}

Period P(const char* id) {
  return *Period::Parse(id);
}

class EngineTest : public IngestTest {
 protected:
  Stores stores() { return {store().index(), store().datasets(), store()}; }
  void Save(const IndexSet& s) {
    auto r = SaveIndexSet(stores(), s, "test", kAt);
    ASSERT_TRUE(r) << r.error().message;
  }
  ValueReport Put(std::vector<ValueInput> v, bool accept_valid = false) {
    auto set = LoadIndexSet(store().index());
    EXPECT_TRUE(set);
    ValueOptions o;
    o.by = "test";
    o.at = kAt;
    o.accept_valid = accept_valid;
    auto r = WriteValues(store().index(), registry(), *set, "80", v, o);
    EXPECT_TRUE(r) << r.error().message;
    return r ? *r : ValueReport{};
  }
  std::unique_ptr<Engine> Open() {
    auto reg = units::Registry::Load(store());
    EXPECT_TRUE(reg);
    auto e = Engine::Open(stores(), *reg, "80");
    EXPECT_TRUE(e) << e.error().message;
    return e ? std::move(*e) : nullptr;
  }
  // Every value, keyed "indicator unit period", with its bits.
  static std::map<std::string, double> Dump(const Engine& e) {
    std::map<std::string, double> out;
    e.snapshot().ForEachValue([&](const Indicator& i, const units::Unit& u, const Period& p,
                                  double v) { out[i.code + " " + u.code + " " + p.Id()] = v; });
    return out;
  }
  static std::string Dossiers(const std::vector<std::vector<std::string>>& rows) {
    std::string csv =
        "dossier_id,receiving_unit,procedure_code,locality_free,received_at,channel,"
        "full_online_eligible,full_online,fee,paid_online,digitized,due_at,completed_at,status,"
        "satisfaction\n";
    for (const auto& r : rows) {
      for (size_t i = 0; i < r.size(); ++i) csv += (i ? "," : "") + r[i];
      csv += "\n";
    }
    return csv;
  }
  // Old communes of the province: one merged whole into one new commune (with that commune),
  // one divided between several.
  struct Old {
    std::string whole, whole_new, divided;
  };
  Old OldCodes() {
    Old out;
    for (const auto& u : registry().all()) {
      if (u.level != units::Level::kCommune || u.ValidOn(Date::Today())) continue;
      std::vector<const units::Unit*> targets;
      for (const auto& x : registry().Resolve(u.code)) {
        if (x.old_unit != &u || !x.new_unit->parent || x.new_unit->parent->code != "80") continue;
        if (std::find(targets.begin(), targets.end(), x.new_unit) == targets.end()) {
          targets.push_back(x.new_unit);
        }
      }
      if (registry().FindAllEras(u.code).size() != 1) continue;
      if (targets.size() == 1 && out.whole.empty()) {
        out.whole = u.code;
        out.whole_new = targets.front()->code;
      }
      if (targets.size() > 1 && out.divided.empty()) out.divided = u.code;
    }
    return out;
  }
  // The public-service pack over one dataset, with sums, averages, options, growth,
  // year-to-date, shares and an indicator reading another.
  IndexSet MixedSet() {
    IndexSet set = PublicServicePack("dossiers", "dossiers_unused", "80");
    set.elements.erase(
        std::remove_if(set.elements.begin(), set.elements.end(),
                       [](const Element& e) { return e.rule->dataset != "dossiers"; }),
        set.elements.end());
    set.indicators.erase(
        std::remove_if(set.indicators.begin(), set.indicators.end(),
                       [](const Indicator& i) { return i.pack != "public_services"; }),
        set.indicators.end());
    Element fee = Elem("FEES");
    fee.rule = Rule{"dossiers", "sum", "fee", {}, "", "", 15};
    Element avg = Elem("AVG_FEE", UnitAgg::kAverage, TimeAgg::kAverage);
    avg.rule = Rule{"dossiers", "average", "fee", {}, "", "", 1};
    Element apps = Elem("APPS", UnitAgg::kSum, TimeAgg::kSum);
    apps.options = {"a", "b"};
    Element rate = Elem("RATE", UnitAgg::kAverage, TimeAgg::kLast);
    Element fees_seen = Elem("FEE_LEVELS", UnitAgg::kMax, TimeAgg::kLast);
    fees_seen.rule = Rule{"dossiers", "distinct", "fee", {}, "", "", 1};
    set.elements.insert(set.elements.end(), {fee, avg, apps, rate, fees_seen});
    set.indicators.push_back(
        Ind("FEES_GROWTH", "(#{FEES} - offset(#{FEES}, -12)) / offset(#{FEES}, -12) * 100"));
    set.indicators.push_back(Ind("APPS_YTD", "ytd(#{APPS}) / population * 1000"));
    set.indicators.push_back(Ind("APPS_A_SHARE", "#{APPS.a} / #{APPS} * 100"));
    set.indicators.push_back(
        Ind("MIX", "coalesce(I{APPS_A_SHARE}, 0) + if(#{RATE} > 50, 1, 0) + #{AVG_FEE}"));
    set.indicators.push_back(Ind("FEE_LEVELS", "#{FEE_LEVELS}"));
    return set;
  }
  // One round of random writes (2024–2025): a batch of dossiers, new ones and some sent again
  // with other values (rounds 0, 1 mod 3), and reported values, some under old commune codes,
  // some withdrawn (rounds 1, 2 mod 3).
  void RandomRound(int round, std::mt19937& rng, int& next_id) {
    auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
    if (round % 3 != 2) {
      std::vector<std::vector<std::string>> rows;
      std::set<int> ids;
      const int n = 5 + pick(25);
      for (int i = 0; i < n; ++i) {
        int id = next_id > 0 && pick(4) == 0 ? pick(next_id) : next_id++;
        while (!ids.insert(id).second) id = next_id++;
        const int year = 2024 + pick(2);
        const int month = 1 + pick(12);
        const int day = 1 + pick(28);
        char when[64];
        std::snprintf(when, sizeof when, "%04d-%02d-%02d 09:00", year, month, day);
        rows.push_back(
            {"R" + std::to_string(id), Commune(static_cast<size_t>(pick(40))), "TT", "Không", when,
             pick(10) < 8 ? "Trực tuyến" : "Trực tiếp", pick(2) ? "Có" : "Không",
             pick(2) ? "Có" : "Không", std::to_string(pick(5) * 12345), pick(2) ? "Có" : "Không",
             pick(10) ? "Có" : "Không", when, when, "Đã hoàn thành", pick(3) ? "Hài lòng" : ""});
      }
      auto r = Send(*ingest::LoadDataset(datasets(), "dossiers"), Dossiers(rows));
      ASSERT_TRUE(r) << r.error().message;
      ASSERT_EQ(r->status, "committed") << boost::json::serialize(r->ToJson());
    }
    if (round % 3 != 0) {
      if (old_.whole.empty()) old_ = OldCodes();
      std::vector<ValueInput> values;
      for (int i = 0; i < 10; ++i) {
        char month[64];
        std::snprintf(month, sizeof month, "%04d-%02d", 2024 + pick(2), 1 + pick(12));
        // Old communes report only for months before the reform.
        const bool by_old = pick(3) == 0;
        const std::string unit =
            by_old ? (pick(2) ? old_.whole : old_.divided) : Commune(static_cast<size_t>(pick(40)));
        const std::string period = by_old ? "2024-" + std::string(month).substr(5) : month;
        std::optional<double> v =
            pick(6) == 0 ? std::nullopt : std::optional<double>(pick(1000) / 7.0);
        values.push_back({"APPS", pick(2) ? "a" : "b", unit, period, v, ""});
        values.push_back(
            {"RATE", "", Commune(static_cast<size_t>(pick(40))), month, pick(100) * 1.0, ""});
      }
      // One value per key in a report.
      std::map<std::string, ValueInput> unique;
      for (auto& v : values) unique[v.element + v.option + v.unit + v.period] = v;
      values.clear();
      for (auto& [k, v] : unique) values.push_back(v);
      auto r = Put(values);
      ASSERT_EQ(r.status, "committed") << boost::json::serialize(r.ToJson());
    }
  }
  // Every value of `a` is `b`'s, bit for bit.
  static void ExpectSameValues(const Engine& a, const Engine& b, const std::string& when) {
    const auto x = Dump(a);
    const auto y = Dump(b);
    ASSERT_EQ(x.size(), y.size()) << when;
    for (const auto& [key, v] : y) {
      auto it = x.find(key);
      ASSERT_NE(it, x.end()) << when << ": " << key;
      ASSERT_EQ(std::memcmp(&it->second, &v, sizeof v), 0)
          << when << ": " << key << ": " << it->second << " vs " << v;
    }
  }
  Old old_;
  // A commune of the province valid now.
  std::string Commune(size_t i = 0) {
    const auto* p = registry().Find("80", Date::Today());
    std::vector<const units::Unit*> out;
    for (const auto* c : registry().Children(*p, Date::Today())) {
      if (c->level == units::Level::kCommune) out.push_back(c);
    }
    return out.at(i % out.size())->code;
  }
};

TEST(PeriodTest, ParsesIdsDhis2AndVietnamese) {
  EXPECT_EQ(P("2025-10").Id(), "2025-10");
  EXPECT_EQ(P("202510").Id(), "2025-10");
  EXPECT_EQ(P("10/2025").Id(), "2025-10");
  EXPECT_EQ(P("Tháng 3/2025").Id(), "2025-03");
  EXPECT_EQ(P("2025Q3").Id(), "2025Q3");
  EXPECT_EQ(P("Quý III/2025").Id(), "2025Q3");
  EXPECT_EQ(P("Năm 2024").Id(), "2024");
  EXPECT_EQ(P("2025-10YTD").Id(), "2025-10YTD");
  EXPECT_FALSE(Period::Parse("2025-13"));
  EXPECT_FALSE(Period::Parse("2025W40"));
  EXPECT_EQ(P("2025-01").Shift(-1).Id(), "2024-12");
  EXPECT_EQ(P("2025Q1").Shift(-5).Id(), "2023Q4");
  EXPECT_EQ(P("2025Q3").Ytd().Id(), "2025-09YTD");
  EXPECT_EQ(P("2024-02").Last().ToString(), "2024-02-29");
  // Due 15 days after the period ends.
  EXPECT_EQ(DuePeriod(PeriodKind::kMonth, 15, {2025, 10, 31}).Id(), "2025-09");
  EXPECT_EQ(DuePeriod(PeriodKind::kMonth, 15, {2025, 10, 14}).Id(), "2025-08");
  EXPECT_EQ(DuePeriod(PeriodKind::kQuarter, 15, {2025, 10, 31}).Id(), "2025Q3");
  EXPECT_EQ(DuePeriod(PeriodKind::kYear, 90, {2025, 10, 31}).Id(), "2024");
}

TEST_F(EngineTest, RollsUpTheTreeAndAcrossTheMerger) {
  const auto old = OldCodes();
  ASSERT_FALSE(old.whole.empty());
  ASSERT_FALSE(old.divided.empty());
  IndexSet set;
  set.elements = {Elem("E"), Elem("S", UnitAgg::kSum, TimeAgg::kLast)};
  set.indicators = {Ind("X", "#{E}"), Ind("STOCK", "#{S}")};
  Save(set);
  auto put = Put({{"E", "", old.whole, "2024-06", 100},
                  {"E", "", old.divided, "2024-06", 90},
                  {"E", "", old.whole_new, "2025-08", 50},
                  {"S", "", old.whole_new, "2025-01", 7},
                  {"S", "", old.whole_new, "2025-02", 9}});
  ASSERT_EQ(put.status, "committed") << boost::json::serialize(put.ToJson());
  auto e = Open();
  const auto s = e->snapshot();
  // The divided commune goes to its successors by their population shares.
  std::map<std::string, double> share;
  double pop = 0;
  for (const auto& x : registry().Resolve(old.divided)) {
    share[x.new_unit->code] = static_cast<double>(x.new_unit->population.value_or(0));
    pop += share[x.new_unit->code];
  }
  for (auto& [code, w] : share) w /= pop;
  const double whole_expected = 100 + 90 * (share.count(old.whole_new) ? share[old.whole_new] : 0);
  EXPECT_NEAR(*s.Value("X", old.whole_new, P("2024-06")), whole_expected, 1e-9);
  for (const auto& [code, w] : share) {
    if (code == old.whole_new) continue;
    EXPECT_NEAR(*s.Value("X", code, P("2024-06")), 90 * w, 1e-9) << code;
  }
  // The province has it all; the series of the new commune runs on across July 2025.
  EXPECT_NEAR(*s.Value("X", "80", P("2024-06")), 190, 1e-9);
  EXPECT_NEAR(*s.Value("X", "80", P("2024Q2")), 190, 1e-9);
  EXPECT_NEAR(*s.Value("X", old.whole_new, P("2025")), 50, 1e-9);
  EXPECT_NEAR(*s.Value("X", old.whole_new, P("2025-10YTD")), 50, 1e-9);
  EXPECT_FALSE(s.Value("X", old.whole_new, P("2025-07")));
  // A stock: the latest month stands for the quarter.
  EXPECT_EQ(*s.Value("STOCK", old.whole_new, P("2025Q1")), 9);
  EXPECT_EQ(*s.Value("STOCK", "80", P("2025")), 9);
  // The province sets the shares: all of the divided commune to one successor.
  std::vector<store::MergeWeightRow> weights;
  const std::string first = share.begin()->first;
  for (const auto& [code, w] : share)
    weights.push_back({old.divided, code, code == first ? 1.0 : 0.0});
  ASSERT_TRUE(SetMergeWeights(store().index(), store(), registry(), weights));
  auto synced = e->Sync();
  ASSERT_TRUE(synced);
  EXPECT_TRUE(synced->rebuilt);
  EXPECT_NEAR(*e->snapshot().Value("X", first, P("2024-06")),
              90 + (first == old.whole_new ? 100 : 0), 1e-9);
  // Shares that do not add up are refused.
  weights.front().weight = 0.5;
  auto bad = SetMergeWeights(store().index(), store(), registry(), weights);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, "index.invalid");
}

TEST_F(EngineTest, PublicServiceFormulasOnHandCheckedRecords) {
  Create("dossiers", "dossiers");
  Create("feedback_1022", "feedback_1022");
  Save(PublicServicePack("dossiers", "feedback_1022", "80"));
  const std::string c = Commune();
  // 10 dossiers in March 2025: 7 online; 5 eligible for full-process online, 4 of them fully
  // online; 6 with a fee, 3 of them online, 2 of those paid online (and one handed in at the
  // counter, paid online: in neither part of the online payment rate); 9 digitized; 8
  // completed, 6 on time; 5 rated, 4 satisfied.
  std::vector<std::vector<std::string>> rows;
  for (int i = 0; i < 10; ++i) {
    const bool online = i < 7;
    const bool eligible = i < 5;
    const bool full = i < 4;
    const bool fee = i >= 4;
    const bool paid = (i >= 4 && i < 6) || i == 8;
    const bool digitized = i != 9;
    const bool completed = i < 8;
    const bool on_time = i < 6;
    const std::string sat = i < 4 ? "Hài lòng" : (i == 4 ? "Không hài lòng" : "");
    rows.push_back({"HS" + std::to_string(i), c, "TT01", "Không", "2025-03-10 08:00",
                    online ? "Trực tuyến" : "Trực tiếp", eligible ? "Có" : "Không",
                    full ? "Có" : "Không", fee ? "50000" : "0", paid ? "Có" : "Không",
                    digitized ? "Có" : "Không", "2025-03-20 17:00",
                    completed ? (on_time ? "2025-03-18 10:00" : "2025-03-25 10:00") : "",
                    completed ? "Đã hoàn thành" : "Đang xử lý", sat});
  }
  auto r = Send(*ingest::LoadDataset(datasets(), "dossiers"), Dossiers(rows));
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->status, "committed") << boost::json::serialize(r->ToJson());
  auto e = Open();
  const auto s = e->snapshot();
  for (const char* unit : {c.c_str(), "80"}) {
    for (const char* period : {"2025-03", "2025Q1", "2025", "2025-12YTD"}) {
      EXPECT_DOUBLE_EQ(*s.Value("DVC_TRUC_TUYEN", unit, P(period)), 70) << unit << period;
      EXPECT_DOUBLE_EQ(*s.Value("DVC_TOAN_TRINH", unit, P(period)), 80);
      EXPECT_DOUBLE_EQ(*s.Value("DVC_THANH_TOAN_TT", unit, P(period)), 200.0 / 3);
      EXPECT_DOUBLE_EQ(*s.Value("DVC_SO_HOA", unit, P(period)), 90);
      EXPECT_DOUBLE_EQ(*s.Value("DVC_DUNG_HAN", unit, P(period)), 75);
      EXPECT_DOUBLE_EQ(*s.Value("DVC_HAI_LONG", unit, P(period)), 80);
    }
  }
  EXPECT_FALSE(s.Value("DVC_TRUC_TUYEN", c, P("2025-04")));
  // The 1022 feedback: 3 of 4 resolved, 2 on time; 2 rated, 1 satisfied.
  std::string fb =
      "feedback_id,channel,category,location_unit,received_at,deadline_at,resolved_at,result,"
      "satisfaction\n";
  fb += "F1,1022,Giao thông," + c +
        ",2025-03-02 08:00,2025-03-09 17:00,2025-03-05 10:00,Đã xử lý,Hài lòng\n";
  fb += "F2,1022,Giao thông," + c +
        ",2025-03-02 08:00,2025-03-09 17:00,2025-03-08 10:00,Đã xử lý,Không hài lòng\n";
  fb +=
      "F3,1022,Giao thông," + c + ",2025-03-02 08:00,2025-03-09 17:00,2025-03-12 10:00,Đã xử lý,\n";
  fb += "F4,1022,Giao thông," + c + ",2025-03-02 08:00,2025-03-09 17:00,,Đang xử lý,\n";
  auto f = Send(*ingest::LoadDataset(datasets(), "feedback_1022"), fb);
  ASSERT_TRUE(f) << f.error().message;
  ASSERT_EQ(f->status, "committed") << boost::json::serialize(f->ToJson());
  auto synced = e->Sync();
  ASSERT_TRUE(synced) << synced.error().message;
  EXPECT_EQ(synced->records, 4);
  const auto s2 = e->snapshot();
  EXPECT_DOUBLE_EQ(*s2.Value("PA_DUNG_HAN_TL", c, P("2025-03")), 200.0 / 3);
  EXPECT_DOUBLE_EQ(*s2.Value("PA_HAI_LONG_TL", "80", P("2025-03")), 50);
  EXPECT_DOUBLE_EQ(*s2.Value("PA_SO_LUONG", "80", P("2025")), 4);
  // The change list names the cells that moved.
  bool named = false;
  for (const auto& ch : synced->changes) {
    named = named || (ch.indicator == "PA_SO_LUONG" && ch.unit == c && ch.period == "2025-03");
  }
  EXPECT_TRUE(named);
}

TEST_F(EngineTest, IncrementalUpdatesEqualAFullRebuild) {
  Create("dossiers", "dossiers");
  Save(MixedSet());
  // Values from January 2024 on: the batches stay within the years the engine holds.
  Put({{"RATE", "", "80", "2024-01", 1, ""}});
  auto e = Open();
  std::mt19937 rng(57);
  int next_id = 0;
  for (int round = 0; round < 12; ++round) {
    RandomRound(round, rng, next_id);
    auto synced = e->Sync();
    ASSERT_TRUE(synced) << synced.error().message;
    EXPECT_FALSE(synced->rebuilt) << "round " << round;
    ExpectSameValues(*e, *Open(), "round " + std::to_string(round));
  }
}

// The state saved as batches commit, loaded at the next start and brought up to date, equals a
// full rebuild: also when the process died between a batch and the save that would follow it
// (the saved state is then older than the store), and it is not used for other definitions or
// when it is cut short.
TEST_F(EngineTest, SavedStateLoadedEqualsAFullRebuild) {
  Create("dossiers", "dossiers");
  Save(MixedSet());
  Put({{"RATE", "", "80", "2024-01", 1, ""}});
  Stores saving = stores();
  saving.saved = &store().engine();
  auto reg = units::Registry::Load(store());
  ASSERT_TRUE(reg);
  auto open = [&](Engine::Start start) {
    SyncStats stats;
    auto e = Engine::Open(saving, *reg, "80", start, &stats);
    EXPECT_TRUE(e) << e.error().message;
    EXPECT_EQ(stats.loaded, e && (*e)->loaded());
    return e ? std::move(*e) : nullptr;
  };
  auto first = open(Engine::Start::kSaved);
  EXPECT_FALSE(first->loaded());  // nothing saved yet
  ASSERT_TRUE(first->Save());
  std::mt19937 rng(2025);
  int next_id = 0;
  for (int round = 0; round < 9; ++round) {
    RandomRound(round, rng, next_id);
    const std::string when = "round " + std::to_string(round);
    auto running = open(Engine::Start::kSaved);
    ASSERT_TRUE(running->loaded()) << when;
    // Every other round the state is saved after its batch; in the others the process "dies"
    // before that save, and the next start takes the batches since the last one.
    if (round % 2 == 0) {
      ASSERT_TRUE(running->Save()) << when;
    }
    running.reset();
    auto loaded = open(Engine::Start::kSaved);
    ASSERT_TRUE(loaded->loaded()) << when;
    ExpectSameValues(*loaded, *open(Engine::Start::kRebuild), when);
    auto v = loaded->Verify();
    ASSERT_TRUE(v) << v.error().message;
    EXPECT_TRUE(v->loaded);
    EXPECT_GT(v->cells, 0) << when;
    EXPECT_EQ(v->differing, 0) << when << ": " << (v->first.empty() ? "" : v->first.front());
  }
  // A saved state another process's batch has moved on from is caught up when loaded.
  auto loaded = open(Engine::Start::kSaved);
  ASSERT_TRUE(loaded->Save());
  RandomRound(0, rng, next_id);
  ASSERT_TRUE(loaded->Sync());
  ExpectSameValues(*loaded, *open(Engine::Start::kRebuild), "synced after loading");
  // Other definitions: the saved state is not theirs, and a full build is made.
  IndexSet set = MixedSet();
  set.indicators.push_back(Ind("FEES_TWICE", "#{FEES} * 2"));
  Save(set);
  auto other = open(Engine::Start::kSaved);
  EXPECT_FALSE(other->loaded());
  ExpectSameValues(*other, *open(Engine::Start::kRebuild), "other definitions");
  ASSERT_TRUE(other->Save());
  EXPECT_TRUE(open(Engine::Start::kSaved)->loaded());
  // A saved state cut short is not read.
  auto bytes = store().engine().LoadEngineState();
  ASSERT_TRUE(bytes && *bytes);
  ASSERT_TRUE(
      store().engine().SaveEngineState(std::string_view(**bytes).substr(0, (*bytes)->size() / 2)));
  auto cut = open(Engine::Start::kSaved);
  EXPECT_FALSE(cut->loaded());
  ExpectSameValues(*cut, *open(Engine::Start::kRebuild), "cut short");
}

TEST_F(EngineTest, FreshnessAndExpectedReports) {
  IndexSet set;
  Element fresh = Elem("FRESH");
  fresh.reporting = "communes";
  Element stale = Elem("STALE");
  set.elements = {fresh, stale};
  set.indicators = {Ind("F", "#{FRESH}"), Ind("S", "#{STALE}")};
  Save(set);
  const std::string a = Commune(0);
  const std::string b = Commune(1);
  std::vector<ValueInput> v;
  for (int m = 1; m <= 9; ++m) {
    char month[64];
    std::snprintf(month, sizeof month, "2025-%02d", m);
    // a reports by the 10th of the next month; b on the 20th, and stops after June.
    char early[64];
    char late[64];
    std::snprintf(early, sizeof early, "2025-%02d-10T02:00:00Z", m + 1);
    std::snprintf(late, sizeof late, "2025-%02d-20T02:00:00Z", m + 1);
    v.push_back({"FRESH", "", a, month, 1.0 * m, early});
    if (m <= 6) v.push_back({"FRESH", "", b, month, 2.0 * m, late});
  }
  v.push_back({"STALE", "", "80", "2024-12", 5, ""});
  auto put = Put(v);
  ASSERT_EQ(put.status, "committed") << boost::json::serialize(put.ToJson());
  auto e = Open();
  const auto s = e->snapshot();
  const auto f = IndicatorFreshness(s, {2025, 10, 31});
  ASSERT_EQ(f.size(), 2U);
  EXPECT_TRUE(f[0].updated);
  EXPECT_EQ(f[0].due.Id(), "2025-09");
  EXPECT_EQ(f[0].last->Id(), "2025-09");
  EXPECT_FALSE(f[1].updated);
  EXPECT_EQ(f[1].last->Id(), "2024-12");
  EXPECT_EQ(f[1].stale_periods, 9);
  EXPECT_EQ(f[1].stale_since->ToString(), "2025-02-15");
  // As of mid-September, August is not yet due: the fresh one is updated on July.
  EXPECT_EQ(IndicatorFreshness(s, {2025, 8, 14})[0].due.Id(), "2025-06");
  std::map<std::string, UnitReports> by_unit;
  for (const auto& r : ReportingByUnit(s, {2025, 10, 31})) by_unit[r.unit->code] = r;
  EXPECT_EQ(by_unit[a].expected, 9);
  EXPECT_EQ(by_unit[a].received, 9);
  EXPECT_EQ(by_unit[a].on_time, 9);
  EXPECT_FALSE(by_unit[a].stale_since);
  EXPECT_EQ(by_unit[b].received, 6);
  EXPECT_EQ(by_unit[b].on_time, 0);
  EXPECT_EQ(by_unit[b].last->Id(), "2025-06");
  EXPECT_EQ(by_unit[b].stale_since->ToString(), "2025-08-15");
  EXPECT_EQ(by_unit[Commune(2)].received, 0);
}

TEST_F(EngineTest, TargetsLightsProjectionAndOutliers) {
  IndexSet set;
  set.elements = {Elem("E")};
  Indicator up = Ind("UP", "#{E}");
  up.targets = {{"80", 2025, 1200}};
  Indicator down = Ind("DOWN", "#{E}");
  down.higher_is_better = false;
  down.targets = {{"80", 2025, 100}};
  set.indicators = {up, down};
  Save(set);
  std::vector<ValueInput> v;
  // 2024: 100 a month; 2025: 100 a month to September, then a spike in October.
  for (int y = 2024; y <= 2025; ++y) {
    for (int m = 1; m <= (y == 2025 ? 10 : 12); ++m) {
      char month[64];
      std::snprintf(month, sizeof month, "%04d-%02d", y, m);
      v.push_back({"E", "", "80", month, y == 2025 && m == 10 ? 400.0 : 100.0 + (m % 3), ""});
    }
  }
  Put(v);
  auto e = Open();
  const auto s = e->snapshot();
  const auto& ind = *s.set().FindIndicator("UP");
  EXPECT_EQ(Judge(ind, 1200, 1200), Light::kGreen);
  EXPECT_EQ(Judge(ind, 1100, 1200), Light::kYellow);
  EXPECT_EQ(Judge(ind, 900, 1200), Light::kRed);
  EXPECT_EQ(Judge(*s.set().FindIndicator("DOWN"), 120, 100), Light::kRed);
  EXPECT_EQ(Judge(ind, std::nullopt, 1200), Light::kNone);
  // By last year's shape, January to October is about 10/12 of the year.
  auto p = Project(s, ind, "80", {2025, 10, 31});
  ASSERT_TRUE(p);
  EXPECT_EQ(p->method, "seasonal");
  EXPECT_GT(*p->projected, *p->current * 1.15);
  EXPECT_TRUE(p->on_track);
  const auto outliers = Outliers(s, {2025, 10, 31});
  ASSERT_FALSE(outliers.empty());
  EXPECT_EQ(outliers.front().period.Id(), "2025-10");
  EXPECT_GT(outliers.front().score, 3.5);
}

// A share is projected within 0–100 %: last year's shape would carry this year past 100.
TEST_F(EngineTest, AShareIsProjectedWithinAHundredPercent) {
  IndexSet set;
  Element r = Elem("R");
  r.time_agg = TimeAgg::kAverage;
  set.elements = {r};
  Indicator rate = Ind("RATE", "#{R}");
  rate.measure = "%";
  rate.targets = {{"80", 2025, 90}};
  set.indicators = {rate};
  Save(set);
  std::vector<ValueInput> v;
  for (int y = 2024; y <= 2025; ++y) {
    for (int m = 1; m <= (y == 2025 ? 10 : 12); ++m) {
      char month[64];
      std::snprintf(month, sizeof month, "%04d-%02d", y, m);
      v.push_back({"R", "", "80", month, y == 2025 ? 95.0 : (m > 10 ? 100.0 : 50.0), ""});
    }
  }
  Put(v);
  auto e = Open();
  const auto s = e->snapshot();
  auto p = Project(s, *s.set().FindIndicator("RATE"), "80", {2025, 10, 31});
  ASSERT_TRUE(p);
  EXPECT_EQ(p->method, "seasonal");
  EXPECT_EQ(*p->projected, 100);
  EXPECT_TRUE(p->on_track);
}

TEST_F(EngineTest, ValuesInPdhAndDhis2Formats) {
  IndexSet set;
  Element e = Elem("APPS");
  e.dhis2_id = "fbfJHSPpUQD";
  e.options = {"nam", "nu"};
  set.elements = {e};
  set.indicators = {Ind("A", "#{APPS}")};
  Save(set);
  auto dhis2 = ReadValues(R"({"dataSet":"x","period":"202510","orgUnit":"80","dataValues":[
      {"dataElement":"fbfJHSPpUQD","categoryOptionCombo":"nam","value":"120"},
      {"dataElement":"APPS","categoryOptionCombo":"nu","value":"80","lastUpdated":"2025-11-03T01:00:00Z"}]})",
                          ValueFormat::kDhis2Json);
  ASSERT_TRUE(dhis2) << dhis2.error().message;
  ASSERT_EQ(dhis2->size(), 2U);
  EXPECT_EQ((*dhis2)[0].period, "202510");
  EXPECT_EQ(Put(*dhis2).status, "committed");
  auto csv = ReadValues(
      "dataelement,period,orgunit,categoryoptioncombo,attributeoptioncombo,value\n"
      "APPS,202509,80,nam,x,1234\n",
      ValueFormat::kDhis2Csv);
  ASSERT_TRUE(csv) << csv.error().message;
  EXPECT_EQ(*(*csv)[0].value, 1234);
  EXPECT_EQ(Put(*csv).status, "committed");
  auto vn = ReadValues(
      "Báo cáo tháng\nMã chỉ tiêu,Phân tổ,Đơn vị,Kỳ,Giá trị\nAPPS,nu,80,10/2025,\"99,5\"\n",
      ValueFormat::kCsv);
  ASSERT_TRUE(vn) << vn.error().message;
  EXPECT_EQ((*vn)[0].period, "10/2025");
  EXPECT_DOUBLE_EQ(*(*vn)[0].value, 99.5);
  auto e2 = Open();
  EXPECT_DOUBLE_EQ(*e2->snapshot().Value("A", "80", P("2025-10")), 120 + 80);
  EXPECT_DOUBLE_EQ(*e2->snapshot().Value("A", "80", P("2025-09")), 1234);
  // Bad rows are named; nothing is written unless the valid ones are asked for.
  auto bad = Put({{"APPS", "", "80", "2025-10", 1, ""},
                  {"NOPE", "", "80", "2025-10", 1, ""},
                  {"APPS", "x", "80", "2025-10", 1, ""},
                  {"APPS", "", "80", "2025Q3", 1, ""},
                  {"APPS", "", "01", "2025-10", 1, ""},
                  {"APPS", "", "80", "2025-11", std::nan(""), ""}});
  EXPECT_EQ(bad.status, "rejected");
  ASSERT_EQ(bad.errors.size(), 5U);
  EXPECT_EQ(bad.errors[0].row, 2);
  EXPECT_EQ(bad.errors[0].code, "value.unknown_element");
  EXPECT_EQ(bad.errors[1].code, "value.unknown_option");
  EXPECT_EQ(bad.errors[2].code, "value.wrong_period");
  EXPECT_EQ(bad.errors[3].code, "value.unit_outside");
  EXPECT_EQ(bad.errors[4].code, "value.not_a_number");
  EXPECT_EQ(*store().index().LastValueSeq(), 3);
  auto partial =
      Put({{"APPS", "", "80", "2025-10", 1, ""}, {"NOPE", "", "80", "2025-10", 1, ""}}, true);
  EXPECT_EQ(partial.status, "committed");
  EXPECT_EQ(partial.written, 1);
  EXPECT_FALSE(ReadValues("{\"rows\": []}", ValueFormat::kJson));
  EXPECT_FALSE(ReadValues("a,b\n1,2\n", ValueFormat::kCsv));
}

TEST_F(EngineTest, ValuesWrittenTheVietnameseWayAreNotReadSmall) {
  IndexSet set;
  Element fees = Elem("FEES");
  fees.measure = "VND";
  set.elements = {fees, Elem("CASES")};
  set.indicators = {Ind("F", "#{FEES}"), Ind("C", "#{CASES}")};
  Save(set);
  // "1.500.000" shows the file groups with dots: "30.000" is thirty thousand.
  auto sheet = ReadValues(
      "Mã chỉ tiêu,Đơn vị,Kỳ,Giá trị\nCASES,80,10/2025,\"1.500.000\"\nCASES,80,09/2025,30.000\n",
      ValueFormat::kCsv);
  ASSERT_TRUE(sheet) << sheet.error().message;
  ASSERT_EQ(sheet->size(), 2U);
  EXPECT_DOUBLE_EQ(*(*sheet)[0].value, 1500000);
  EXPECT_DOUBLE_EQ(*(*sheet)[1].value, 30000);
  const ValueReport a = Put(*sheet);
  EXPECT_EQ(a.status, "committed");
  EXPECT_TRUE(a.warnings.empty());
  // Nothing else in the file says: đồng are whole, another value is reported with its row.
  auto json = ReadValues(R"({"values": [
      {"element": "FEES", "unit": "80", "period": "2025-08", "value": "250.000"},
      {"element": "CASES", "unit": "80", "period": "2025-08", "value": "30.000"},
      {"element": "CASES", "unit": "80", "period": "2025-07", "value": 12.125}]})",
                         ValueFormat::kJson);
  ASSERT_TRUE(json) << json.error().message;
  const ValueReport b = Put(*json);
  EXPECT_EQ(b.status, "committed");
  ASSERT_EQ(b.warnings.size(), 1U);
  EXPECT_EQ(b.warnings[0].row, 2);
  EXPECT_EQ(b.warnings[0].field, "value");
  EXPECT_EQ(b.warnings[0].value, "30.000");
  EXPECT_EQ(b.warnings[0].code, "value.ambiguous_number");
  auto e = Open();
  EXPECT_DOUBLE_EQ(*e->snapshot().Value("F", "80", P("2025-08")), 250000);
  EXPECT_DOUBLE_EQ(*e->snapshot().Value("C", "80", P("2025-09")), 30000);
  EXPECT_DOUBLE_EQ(*e->snapshot().Value("C", "80", P("2025-08")), 30);
  EXPECT_DOUBLE_EQ(*e->snapshot().Value("C", "80", P("2025-07")), 12.125);
}

TEST_F(EngineTest, DefinitionsAreChecked) {
  IndexSet set;
  set.elements = {Elem("E")};
  set.elements[0].measure = "người";
  Element h = Elem("H");
  h.measure = "hồ sơ";
  set.elements.push_back(h);
  set.indicators = {Ind("A", "I{B} + 1"), Ind("B", "I{C} * 2"), Ind("C", "I{A}")};
  auto cycle = SaveIndexSet(stores(), set, "test", kAt);
  ASSERT_FALSE(cycle);
  EXPECT_EQ(cycle.error().code, "index.cycle");
  EXPECT_NE(cycle.error().message.find("A → B → C → A"), std::string::npos)
      << cycle.error().message;
  set.indicators = {Ind("A", "(#{E} + 1")};
  auto syntax = SaveIndexSet(stores(), set, "test", kAt);
  ASSERT_FALSE(syntax);
  EXPECT_EQ(syntax.error().code, "expression.invalid");
  EXPECT_NE(syntax.error().message.find("indicator A: at "), std::string::npos);
  set.indicators = {Ind("A", "#{E} + #{H}")};
  auto units = SaveIndexSet(stores(), set, "test", kAt);
  ASSERT_FALSE(units);
  EXPECT_NE(units.error().message.find("unit mismatch"), std::string::npos);
  set.indicators = {Ind("A", "#{NOPE}")};
  EXPECT_EQ(SaveIndexSet(stores(), set, "test", kAt).error().code, "index.invalid");
  set.indicators = {Ind("A", "#{E} / #{E} * 100")};
  EXPECT_TRUE(SaveIndexSet(stores(), set, "test", kAt));
  auto json = ParseIndexSet(boost::json::parse(
      R"({"indicators":[{"code":"X","name":"x","expression":"1","direction":"sideways"}]})"));
  ASSERT_FALSE(json);
  EXPECT_NE(json.error().message.find("indicators[0].direction"), std::string::npos);
  // Round trip through JSON.
  auto back = ParseIndexSet(ToJson(*LoadIndexSet(store().index())));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->indicators.size(), 1U);
}

TEST_F(EngineTest, PackInstallsOnceWithItsTargets) {
  // Nothing to read yet: the error says which dataset to create.
  auto none = InstallPack(stores(), "public_services", "", "80", "test", kAt);
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, "pack.no_dataset");
  EXPECT_NE(none.error().message.find("--template dossiers"), std::string::npos);
  EXPECT_EQ(InstallPack(stores(), "tourism", "", "80", "test", kAt).error().code, "pack.not_found");
  Create("ho_so", "dossiers");
  auto first = InstallPack(stores(), "public_services", "", "80", "test", kAt);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->dataset, "ho_so");
  EXPECT_EQ(first->added.size(), 1U + 13 + 7);  // the sector, the elements, the indicators
  EXPECT_TRUE(first->updated.empty());
  EXPECT_EQ(first->targets, 14);
  const auto set = LoadIndexSet(store().index());
  ASSERT_TRUE(set);
  const Indicator* payment = set->FindIndicator("DVC_THANH_TOAN_TT");
  ASSERT_NE(payment, nullptr);
  EXPECT_EQ(payment->pack, "public_services");
  ASSERT_EQ(payment->targets.size(), 2U);
  EXPECT_EQ(payment->targets[1].unit, "80");
  EXPECT_EQ(payment->targets[1].value, 90);
  EXPECT_EQ(set->FindElement("DVC_HS_CO_PHI")->rule->dataset, "ho_so");
  EXPECT_EQ(set->FindIndicator("PA_SO_LUONG"), nullptr);  // the other pack's
  // Again: nothing written, not even the generation the engine rebuilds on.
  const auto generation = *store().GetSetting("index.generation");
  auto again = InstallPack(stores(), "public_services", "", "80", "test", kAt);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_TRUE(again->added.empty());
  EXPECT_TRUE(again->updated.empty());
  EXPECT_EQ(again->unchanged.size(), first->added.size());
  EXPECT_EQ(*store().GetSetting("index.generation"), generation);
  // A definition changed since is put back, and named.
  IndexSet edited;
  edited.indicators.push_back(*payment);
  edited.indicators.back().targets.clear();
  Save(edited);
  auto restored = InstallPack(stores(), "public_services", "", "80", "test", kAt);
  ASSERT_TRUE(restored) << restored.error().message;
  EXPECT_EQ(restored->updated, std::vector<std::string>{"indicator DVC_THANH_TOAN_TT"});
  EXPECT_EQ(LoadIndexSet(store().index())->FindIndicator("DVC_THANH_TOAN_TT")->targets.size(), 2U);
  // Two datasets from the template: the install asks which.
  Create("ho_so_cu", "dossiers");
  EXPECT_EQ(InstallPack(stores(), "public_services", "", "80", "test", kAt).error().code,
            "pack.dataset_ambiguous");
  EXPECT_TRUE(InstallPack(stores(), "public_services", "ho_so", "80", "test", kAt));
}

TEST_F(EngineTest, RateWhoseNumeratorCountsOutsideItsDenominatorIsRefused) {
  Create("dossiers", "dossiers");
  Create("feedback_1022", "feedback_1022");
  // The pack itself passes, "satisfaction = satisfied" standing for "satisfaction is not empty".
  IndexSet set = PublicServicePack("dossiers", "feedback_1022", "80");
  ASSERT_TRUE(Check(set, datasets()));
  // The copy the demo used to install: the denominator over online dossiers, the numerator not.
  for (auto& e : set.elements) {
    if (e.code != "DVC_HS_THANH_TOAN_TT") continue;
    e.rule->filters.erase(e.rule->filters.begin());  // channel = online
  }
  auto refused = SaveIndexSet(stores(), set, "test", kAt);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, "index.rate_outside_denominator");
  EXPECT_EQ(refused.error().status, 422);
  const std::string& why = refused.error().message;
  EXPECT_EQ(why.rfind("indicator DVC_THANH_TOAN_TT.numerator:", 0), 0U) << why;
  EXPECT_NE(why.find("channel = online"), std::string::npos) << why;
  EXPECT_NE(why.find("every filter of the denominator"), std::string::npos) << why;
  EXPECT_FALSE(LoadIndexSet(store().index())->FindIndicator("DVC_THANH_TOAN_TT"));
  // Other ways a numerator leaves its denominator: a wider code list, another date.
  Element all = Elem("N_ALL");
  all.rule = Rule{"dossiers", "count", "", {{"status", "=", {"completed", "returned"}, ""}}};
  Element done = Elem("D_DONE");
  done.rule = Rule{"dossiers", "count", "", {{"status", "=", {"completed"}, ""}}};
  Element by_due = Elem("N_DUE");
  by_due.rule = Rule{"dossiers", "count", "", {{"status", "=", {"completed"}, ""}}, "due_at"};
  Element narrow = Elem("N_NOT_CANCELLED");
  narrow.rule = Rule{"dossiers", "count", "", {{"status", "=", {"completed"}, ""}}};
  Element kept = Elem("D_NOT_CANCELLED");
  kept.rule = Rule{"dossiers", "count", "", {{"status", "!=", {"cancelled"}, ""}}};
  IndexSet rates;
  rates.elements = {all, done, by_due, narrow, kept};
  auto rate = [](std::string code, std::string num, std::string den) {
    Indicator i;
    i.code = std::move(code);
    i.name = "Tỷ lệ " + i.code;
    i.measure = "%";
    i.numerator = "#{" + num + "}";
    i.denominator = "#{" + den + "}";
    i.factor = 100;
    return i;
  };
  rates.indicators = {rate("WIDER", "N_ALL", "D_DONE")};
  auto wider = SaveIndexSet(stores(), rates, "test", kAt);
  ASSERT_FALSE(wider);
  EXPECT_NE(wider.error().message.find("status = completed"), std::string::npos);
  rates.indicators = {rate("OTHER_DATE", "N_DUE", "D_DONE")};
  EXPECT_EQ(SaveIndexSet(stores(), rates, "test", kAt).error().code,
            "index.rate_outside_denominator");
  // Narrower than the denominator: accepted.
  rates.indicators = {rate("NARROW", "N_NOT_CANCELLED", "D_NOT_CANCELLED")};
  EXPECT_TRUE(SaveIndexSet(stores(), rates, "test", kAt));
  // The same rates written as one expression are checked the same way.
  for (const std::string text :
       {"#{N_ALL} / #{D_DONE} * 100", "100 * #{N_ALL}/#{D_DONE}", "(#{N_ALL} / #{D_DONE}) * 100"}) {
    Indicator written = rate("WIDER_EXPR", "N_ALL", "D_DONE");
    written.numerator.clear();
    written.denominator.clear();
    written.expression = text;
    rates.indicators = {written};
    auto refused_expr = SaveIndexSet(stores(), rates, "test", kAt);
    ASSERT_FALSE(refused_expr) << text;
    EXPECT_EQ(refused_expr.error().code, "index.rate_outside_denominator") << text;
    EXPECT_EQ(refused_expr.error().message.rfind("indicator WIDER_EXPR.expression:", 0), 0U)
        << refused_expr.error().message;
  }
  Indicator narrow_expr = rate("NARROW_EXPR", "N_NOT_CANCELLED", "D_NOT_CANCELLED");
  narrow_expr.numerator.clear();
  narrow_expr.denominator.clear();
  narrow_expr.expression = "#{N_NOT_CANCELLED} / #{D_NOT_CANCELLED} * 100";
  rates.indicators = {narrow_expr};
  EXPECT_TRUE(SaveIndexSet(stores(), rates, "test", kAt));
}

TEST_F(EngineTest, RateOfCountsAbove100IsFlagged) {
  // Two datasets: the check on one dataset's filters cannot see that the numerator counts the
  // other's records, so the computed rate is what tells.
  Create("dossiers", "dossiers");
  Create("dossiers_moi", "dossiers");
  Element num = Elem("N_MOI");
  num.rule = Rule{"dossiers_moi", "count", "", {}};
  Element den = Elem("D_CU");
  den.rule = Rule{"dossiers", "count", "", {}};
  Indicator rate;
  rate.code = "TL_MOI";
  rate.name = "Tỷ lệ hồ sơ mới";
  rate.measure = "%";
  rate.numerator = "#{N_MOI}";
  rate.denominator = "#{D_CU}";
  rate.factor = 100;
  // The same rate written as one expression is a rate of counts too.
  Indicator written = Ind("TL_MOI_BT", "#{N_MOI} / #{D_CU} * 100");
  written.measure = "%";
  // A % indicator that is no ratio of two counts is not judged.
  Indicator doubled = Ind("GAP_DOI", "#{N_MOI} * 200");
  doubled.measure = "%";
  IndexSet set;
  set.elements = {num, den};
  set.indicators = {rate, written, doubled};
  Save(set);
  const std::string c = Commune();
  auto rows = [&](int n) {
    std::vector<std::vector<std::string>> out;
    for (int i = 0; i < n; ++i) {
      out.push_back({"HS" + std::to_string(i), c, "TT01", "Không", "2025-03-10 08:00", "Trực tuyến",
                     "Có", "Có", "0", "Không", "Có", "2025-03-20 17:00", "2025-03-18 10:00",
                     "Đã hoàn thành", ""});
    }
    return Dossiers(out);
  };
  ASSERT_TRUE(Send(*ingest::LoadDataset(datasets(), "dossiers_moi"), rows(3)));
  ASSERT_TRUE(Send(*ingest::LoadDataset(datasets(), "dossiers"), rows(2)));
  auto e = Open();
  const auto over = RatesOver100(e->snapshot(), {2025, 10, 31});
  ASSERT_EQ(over.size(), 4U);  // the two rates, each at the commune and the province
  for (const auto& r : over) {
    EXPECT_TRUE(r.indicator->code == "TL_MOI" || r.indicator->code == "TL_MOI_BT")
        << r.indicator->code;
    EXPECT_EQ(r.period, P("2025-03"));
    EXPECT_DOUBLE_EQ(r.value, 150);
    EXPECT_EQ(r.months, 1);
  }
  // A year later the month is out of the window.
  EXPECT_TRUE(RatesOver100(e->snapshot(), {2026, 4, 30}).empty());
}

TEST_F(EngineTest, DemoGivesTheReportsFigures) {
  Create("dossiers", "dossiers");
  Create("feedback_1022", "feedback_1022");
  auto demo = GenerateDemo(stores(), registry(), "80", kAt);
  ASSERT_TRUE(demo) << demo.error().message;
  EXPECT_EQ(demo->indicators, 957);
  auto e = Open();
  const auto f = IndicatorFreshness(e->snapshot(), {2025, 10, 31});
  EXPECT_EQ(f.size(), 957U);
  // Without the dossiers and feedback (the ingest demo's), the pack's 10 have no values: the
  // other 592 of the report's 602 are updated.
  EXPECT_EQ(
      std::count_if(f.begin(), f.end(),
                    [](const Freshness& x) { return x.updated && x.indicator->pack.empty(); }),
      592);
  const auto s = e->snapshot();
  EXPECT_EQ(*s.Value("APP_INSTALLS", "80", P("2025-10")), 237000);
  EXPECT_EQ(*s.Value("DN_KHCN", "80", P("2025Q4")), 26);
  EXPECT_EQ(*s.Value("DN_CNS_LAO_DONG", "80", P("2025-10")), 5700);
}

}  // namespace
}  // namespace pdh::engine
