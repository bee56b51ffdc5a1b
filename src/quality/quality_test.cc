// Data quality on small hand-checked data: bad check definitions, each row check, the unit
// checks on monthly counts, the dimensions' scores, the defaults a schema implies, and the
// scoreboard's ranking.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "core/json_util.h"
#include "ingest/test_support.h"
#include "quality/quality.h"

namespace pdh::quality {
namespace {
namespace json = boost::json;

class QualityTest : public ingest::testing::IngestTest {
 protected:
  ingest::Dataset Small(const std::string& csv) {
    ingest::Dataset d = CreateSmall();
    auto r = Send(d, csv);
    EXPECT_TRUE(r) << r.error().message;
    if (r) {
      EXPECT_EQ(r->status, "committed") << json_util::Serialize(r->ToJson());
    }
    return d;
  }
  std::vector<Check> Checks(const ingest::Dataset& d, const std::string& text) {
    auto c = ParseChecks(json_util::Parse(text), d);
    EXPECT_TRUE(c) << c.error().message;
    return c ? *c : std::vector<Check>{};
  }
  Evaluation Run(const ingest::Dataset& d, const std::vector<Check>& checks,
                 Date as_of = {2025, 10, 31}) {
    EvaluateOptions o;
    o.as_of = as_of;
    auto ev = Evaluate(datasets(), registry(), d, checks, o);
    EXPECT_TRUE(ev) << ev.error().message;
    return ev ? *ev : Evaluation{};
  }
  static int64_t Failed(const Evaluation& ev, const std::string& id) {
    for (size_t i = 0; i < ev.checks.size(); ++i) {
      if (ev.checks[i].id == id) return ev.failures_total[i];
    }
    ADD_FAILURE() << "no check " << id;
    return -1;
  }
};

TEST_F(QualityTest, BadDefinitionsAreRefusedNamingTheCheckAndKey) {
  ingest::Dataset d = CreateSmall();
  struct Case {
    const char* checks;
    const char* code;
    const char* message;
  };
  const Case cases[] = {
      {R"([{"id":"a","type":"missing","field":"khong_co"}])", "quality.invalid_check",
       "checks[0].field: 'khong_co' is not a field of small"},
      {R"([{"id":"a","type":"rule","expression":"#{count} >"}])", "quality.bad_expression",
       "checks[0].expression: at"},
      {R"([{"id":"a","type":"rule","expression":"#{khong_co} > 0"}])", "quality.bad_expression",
       "#{khong_co} is not a field"},
      {R"([{"id":"a","type":"sometimes"}])", "quality.invalid_check", "checks[0].type"},
      {R"([{"id":"a","type":"range","field":"kind","min":1}])", "quality.invalid_check",
       "'kind' is not a number field"},
      {R"([{"id":"a","type":"pattern","field":"id","pattern":"(["}])", "quality.invalid_check",
       "not a regular expression"},
      {R"([{"id":"a","type":"missing","field":"id"},{"id":"a","type":"missing","field":"unit"}])",
       "quality.invalid_check", "checks[1].id: 'a' is given twice"},
      {R"({"nothing":[]})", "quality.invalid_check", "checks: is required"},
      {R"([{"id":"a","type":"near_duplicate","fields":["note"],"field":"kind"}])",
       "quality.invalid_check", "checks[0].field: 'kind' is not a date field"},
      {R"([{"id":"a","type":"near_duplicate","fields":["note"],"kinds":["face"],"block":["unit"]}])",
       "quality.invalid_check", "checks[0].kinds[0]: 'face' is not a kind"},
      {R"([{"id":"a","type":"near_duplicate","fields":["note"]}])", "quality.invalid_check",
       "checks[0].block: is required"},
  };
  for (const auto& c : cases) {
    auto r = ParseChecks(json_util::Parse(c.checks), d);
    ASSERT_FALSE(r) << c.checks;
    EXPECT_EQ(r.error().code, c.code) << c.checks;
    EXPECT_NE(r.error().message.find(c.message), std::string::npos)
        << c.checks << ": " << r.error().message;
  }
}

TEST_F(QualityTest, EachRowCheckCountsItsFailures) {
  ingest::Dataset d = Small(
      "id,unit,count,amount,day,kind,note\n"
      "r1,25459,5,10,2025-10-01,a,x\n"
      "r2,25459,50,20,2025-10-02,b,\n"
      "r3,25459,5,,2025-10-03,a,x\n"
      "r4,25459,7,40,2025-10-04,b,y\n"
      "r5,25459,5,50,2025-10-05,a,ZZ\n");
  struct Case {
    const char* check;
    int64_t failed;
  };
  const Case cases[] = {
      {R"({"id":"c","type":"missing","field":"amount"})", 1},
      {R"({"id":"c","type":"pattern","field":"note","pattern":"[a-z]"})", 1},
      {R"({"id":"c","type":"range","field":"count","max":10})", 1},
      {R"({"id":"c","type":"codes","field":"kind","values":["a"]})", 2},
      {R"({"id":"c","type":"duplicate","fields":["count","kind"]})", 2},
      {R"({"id":"c","type":"rule","expression":"#{amount} > #{count}"})", 1},
      {R"({"id":"c","type":"rule","expression":"#{amount} >= 4 * #{count}"})", 2},
      {R"({"id":"c","type":"reference","field":"unit"})", 0},
      // r5's "ZZ" is within a Levenshtein step of nothing else; r3 repeats r1's "x" on the same
      // unit within two days.
      {R"({"id":"c","type":"near_duplicate","fields":["note"],"kinds":["name"],"block":["unit"],"field":"day","max_days":2})",
       1},
      {R"({"id":"c","type":"near_duplicate","fields":["note"],"kinds":["name"],"block":["unit"],"field":"day","max_days":1})",
       0},
  };
  for (const auto& c : cases) {
    auto checks = Checks(d, std::string("[") + c.check + "]");
    auto ev = Run(d, checks);
    EXPECT_EQ(Failed(ev, "c"), c.failed) << c.check;
  }
  // Sufficient is the share of records with the value: 4 of 5.
  auto ev = Run(d, Checks(d, R"([{"id":"m","type":"missing","field":"amount"}])"));
  ASSERT_FALSE(ev.cells.empty());
  const Cell* october = nullptr;
  for (const auto& c : ev.cells) {
    if (c.month == "2025-10") october = &c;
  }
  ASSERT_NE(october, nullptr);
  EXPECT_EQ(october->rows, 5);
  EXPECT_TRUE(october->scored[static_cast<size_t>(Dimension::kSufficient)]);
  EXPECT_DOUBLE_EQ(october->score[static_cast<size_t>(Dimension::kSufficient)], 80);
  EXPECT_FALSE(october->scored[static_cast<size_t>(Dimension::kClean)]);
  // The failing row is listed with its reason.
  ASSERT_EQ(ev.failures.size(), 1U);
  EXPECT_EQ(ev.failures[0].key, "r3");
  EXPECT_EQ(ev.failures[0].unit, "25459");
}

TEST_F(QualityTest, UnitChecksOnMonthlyCounts) {
  // Unit 25459 reports every month from 2024-11 to 2025-10, eight to eleven records each, then 40
  // in October; unit 25480 stops after 2025-05.
  std::string csv = "id,unit,count,amount,day,kind,note\n";
  int n = 0;
  for (int i = 0; i < 12; ++i) {
    const int year = i < 2 ? 2024 : 2025;
    const int month = i < 2 ? 11 + i : i - 1;
    char day[16];
    std::snprintf(day, sizeof day, "%04d-%02d-10", year, month);
    const int rows = month == 10 && year == 2025 ? 40 : 8 + (i % 4);
    for (int r = 0; r < rows; ++r) {
      csv += "a" + std::to_string(++n) + ",25459,1,1," + day + ",a,\n";
    }
    if (year == 2024 || month <= 5)
      csv += "b" + std::to_string(++n) + ",25480,1,1," + day + ",a,\n";
  }
  ingest::Dataset d = Small(csv);
  auto ev = Run(d, Checks(d, R"([
      {"id":"fresh","type":"freshness","max_days":45},
      {"id":"complete","type":"completeness","threshold":90},
      {"id":"outliers","type":"outliers","method":"modified_z","threshold":3.5},
      {"id":"sd","type":"outliers","method":"sd","threshold":3},
      {"id":"consistent","type":"consistency","within_percent":33}])"));
  auto failed = [&](const std::string& unit, const std::string& id) {
    for (const auto& c : ev.cells) {
      if (c.unit != unit || c.month != "2025-10") continue;
      for (const auto& cc : c.checks) {
        if (ev.checks[cc.check].id == id) return cc.failed;
      }
    }
    ADD_FAILURE() << unit << " " << id;
    return int64_t{-1};
  };
  EXPECT_EQ(failed("25459", "fresh"), 0);
  EXPECT_EQ(failed("25459", "complete"), 0);
  EXPECT_EQ(failed("25459", "outliers"), 1);  // 40 against about 10
  EXPECT_EQ(failed("25459", "sd"), 1);
  EXPECT_EQ(failed("25459", "consistent"), 1);  // 40 against a mean of about 10
  EXPECT_EQ(failed("25480", "fresh"), 1);       // silent since May
  EXPECT_EQ(failed("25480", "complete"), 1);    // 7 of 12 months
  // A silent unit's alive score is 0 in October; the reporting one's is 100.
  for (const auto& c : ev.cells) {
    if (c.month != "2025-10") continue;
    const double alive = c.score[static_cast<size_t>(Dimension::kAlive)];
    EXPECT_DOUBLE_EQ(alive, c.unit == "25480" ? 0 : 100) << c.unit;
  }
}

TEST_F(QualityTest, DefaultsFromTheSchemaAndTheScoreboard) {
  ingest::Dataset d = Small(
      "id,unit,count,amount,day,kind,note\n"
      "r1,25459,5,10,2025-10-01,a,\n"
      "r2,25459,5,10,2025-10-02,a,\n"
      "r3,25480,5,10,2025-10-03,a,\n");
  auto defaults = DefaultChecks(d);
  std::map<std::string, CheckType> by_id;
  for (const auto& c : defaults) by_id[c.id] = c.type;
  EXPECT_EQ(by_id.at("id_missing"), CheckType::kMissing);
  EXPECT_EQ(by_id.at("kind_codes"), CheckType::kCodes);
  EXPECT_EQ(by_id.at("count_range"), CheckType::kRange);
  EXPECT_EQ(by_id.at("unit_unit"), CheckType::kReference);
  EXPECT_EQ(by_id.at("freshness"), CheckType::kFreshness);
  // Saved checks replace the defaults; the round trip keeps them.
  auto mine = Checks(d, R"([{"id":"amount_missing","type":"missing","field":"amount",
                              "severity":"warning"}])");
  ASSERT_TRUE(SaveChecks(store(), d,
                         {.checks = mine, .catalog_entry = "CSDL-SYT-01", .stored = true}, "test",
                         "2025-11-01T00:00:00Z"));
  auto loaded = LoadChecks(store(), d);
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_TRUE(loaded->stored);
  EXPECT_EQ(loaded->catalog_entry, "CSDL-SYT-01");
  ASSERT_EQ(loaded->checks.size(), 1U);
  EXPECT_EQ(loaded->checks[0].severity, Severity::kWarning);
  EXPECT_EQ(ToJson(loaded->checks[0]), ToJson(mine[0]));

  auto ev = Run(d, Checks(d, R"([{"id":"n","type":"missing","field":"note"},
                                 {"id":"k","type":"codes","field":"kind"}])"));
  auto board =
      Scoreboard({ev}, {}, registry(), {2025, 10, 31}, [](const std::string&) { return true; });
  EXPECT_EQ(board.at("month"), "2025-10");
  const auto& units = board.at("units").as_array();
  ASSERT_EQ(units.size(), 2U);
  EXPECT_EQ(board.at("trend").as_array().size(), 12U);
  EXPECT_EQ(board.at("province").at("correct").as_double(), 100);
  EXPECT_EQ(board.at("province").at("sufficient").as_double(), 0);
  auto only = Scoreboard({ev}, {}, registry(), {2025, 10, 31},
                         [](const std::string& u) { return u == "25480"; });
  ASSERT_EQ(only.at("units").as_array().size(), 1U);
  EXPECT_EQ(only.at("units").as_array()[0].at("unit"), "25480");
}

TEST_F(QualityTest, RejectedRowsAreSummedPerUnitAndMonth) {
  ingest::Dataset d = CreateSmall();
  const std::string header = "id,unit,count,amount,day,kind,note\n";
  auto send = [&](const std::string& rows, const std::string& at, bool accept_valid, bool dry_run,
                  const std::string& status) {
    ingest::Options o = Opts();
    o.at = at;
    o.accept_valid = accept_valid;
    o.dry_run = dry_run;
    auto r = Send(d, header + rows, o);
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->status, status) << at;
  };
  // September: one bad row of 25459.
  send("s1,25459,1,,,,\ns2,25459,-1,,,,\n", "2025-09-10T08:00:00Z", true, false, "committed");
  // October: two batches, one of them refused whole; an unknown unit's row counts under "".
  send("o1,25459,-1,,,,\no2,99999,1,,,,\no3,25459,1,,,,\n", "2025-10-05T08:00:00Z", true, false,
       "committed");
  send("o4,25459,-1,,,,\no5,25459,1,,zz,,\no6,25480,1,,,,\n", "2025-10-20T08:00:00Z", false, false,
       "rejected");
  // Left out: a dry run, and a batch after the date asked for.
  send("o7,25459,-1,,,,\n", "2025-10-21T08:00:00Z", true, true, "dry_run");
  send("n1,25459,-1,,,,\n", "2025-11-02T08:00:00Z", true, false, "committed");

  auto rejected = RejectedRows(datasets(), d.row.code, {2025, 10, 31});
  ASSERT_TRUE(rejected) << rejected.error().message;
  std::vector<std::tuple<std::string, std::string, int64_t>> got;
  for (const auto& r : *rejected) got.emplace_back(r.unit, r.month, r.rows);
  const std::vector<std::tuple<std::string, std::string, int64_t>> expected = {
      {"", "2025-10", 1}, {"25459", "2025-09", 1}, {"25459", "2025-10", 3}};
  EXPECT_EQ(got, expected);
}

TEST_F(QualityTest, NearDuplicatesAreTheSamePersonWithinDaysInTheirBlock) {
  ingest::Dataset d = Small(
      "id,unit,count,amount,day,kind,note\n"
      "r1,25459,1,1,2025-10-01,a,Nguyễn Văn An\n"
      "r2,25459,1,1,2025-10-02,a,Nguyen Van An\n"      // r1 without tone marks: a repeat
      "r3,25459,1,1,2025-10-20,a,Nguyễn Văn An\n"      // weeks later: another dossier
      "r4,25480,1,1,2025-10-01,a,Nguyễn Văn An\n"      // another unit: another block
      "r5,25459,1,1,2025-10-02,a,Trần Thị Bình\n"      // another person
      "r6,25459,1,1,2025-10-03,b,Nguyễn Văn Bình\n");  // another given name
  auto ev = Run(d, Checks(d, R"([{"id":"near","type":"near_duplicate","fields":["note"],
                                  "kinds":["full_name"],"block":["unit"],"field":"day",
                                  "max_days":3}])"));
  EXPECT_EQ(Failed(ev, "near"), 1);
  ASSERT_EQ(ev.failures.size(), 1U);
  EXPECT_EQ(ev.failures[0].key, "r2");
  EXPECT_NE(ev.failures[0].reason.find("like r1"), std::string::npos) << ev.failures[0].reason;
  // The kind of a field is guessed from its title ("Ghi chú" is text) unless given.
  auto guessed = Checks(d, R"([{"id":"near","type":"near_duplicate","fields":["note"],
                               "block":["unit"]}])");
  ASSERT_EQ(guessed.size(), 1U);
  EXPECT_EQ(guessed[0].kinds, std::vector<std::string>{"text"});
}

TEST_F(QualityTest, RejectedRowsCountAgainstTheirUnit) {
  ingest::Dataset d = CreateSmall();
  ingest::Options o = Opts();
  o.accept_valid = true;
  o.at = "2025-10-05T08:00:00Z";
  auto r = Send(d,
                "id,unit,count,amount,day,kind,note\n"
                "r1,25459,1,1,2025-10-01,a,\n"
                "r2,25459,-5,1,2025-10-02,a,\n"
                "r3,25459,1,1,2025-10-02,zz,\n"
                "r4,25480,1,1,2025-10-02,a,\n",
                o);
  ASSERT_TRUE(r) << r.error().message;
  auto ev = Run(d, Checks(d, R"([{"id":"refused","type":"rejected"}])"));
  EXPECT_EQ(Failed(ev, "refused"), 2);
  for (const auto& c : ev.cells) {
    if (c.month != "2025-10") continue;
    // 25459: one record stored, two refused; 25480: its one record.
    EXPECT_EQ(c.checks[0].total, c.unit == "25459" ? 3 : 1) << c.unit;
    EXPECT_EQ(c.checks[0].failed, c.unit == "25459" ? 2 : 0) << c.unit;
  }
}

// What an evaluation says, written out to compare two of them.
std::string Summary(const Evaluation& ev) {
  std::string out;
  for (const auto& c : ev.cells) {
    out += c.unit + " " + c.month + " rows=" + std::to_string(c.rows) + ":";
    for (const auto& cc : c.checks) {
      out += " " + std::to_string(cc.failed) + "/" + std::to_string(cc.total);
    }
    out += "\n";
  }
  for (int64_t n : ev.failures_total) out += std::to_string(n) + " ";
  std::vector<std::string> failures;
  for (const auto& f : ev.failures) {
    failures.push_back(f.key + "|" + f.unit + "|" + f.month + "|" + std::to_string(f.check) + "|" +
                       f.reason);
  }
  std::sort(failures.begin(), failures.end());
  for (const auto& f : failures) out += "\n" + f;
  return out;
}

TEST_F(QualityTest, AnEvaluationFollowedBatchByBatchEqualsOneBuiltAfresh) {
  ingest::Dataset d = Small(
      "id,unit,count,amount,day,kind,note\n"
      "r1,25459,5,10,2025-09-01,a,Nguyễn Văn An\n"
      "r2,25459,50,20,2025-09-02,b,Nguyen Van An\n"
      "r3,25480,5,,2025-10-03,a,x\n"
      "r4,25480,7,40,2025-10-04,b,y\n"
      "r5,25459,5,50,2025-10-05,a,ZZ\n");
  const auto checks = Checks(d, R"([
      {"id":"m","type":"missing","field":"amount"},
      {"id":"k","type":"codes","field":"kind","values":["a"]},
      {"id":"r","type":"range","field":"count","max":10},
      {"id":"dup","type":"duplicate","fields":["count","kind"]},
      {"id":"near","type":"near_duplicate","fields":["note"],"block":["unit"],"field":"day"},
      {"id":"rule","type":"rule","expression":"#{amount} > #{count}"},
      {"id":"refused","type":"rejected"},
      {"id":"fresh","type":"freshness","max_days":20},
      {"id":"complete","type":"completeness"}])");
  EvaluateOptions options;
  options.as_of = {2025, 10, 31};
  auto followed = Evaluator::Build(datasets(), registry(), d, checks, options);
  ASSERT_TRUE(followed) << followed.error().message;
  // Records move between units and months, duplicates come and go, rows are refused, and a
  // record dated after the as-of date is left out.
  ingest::Options o = Opts();
  o.accept_valid = true;
  o.at = "2025-10-20T08:00:00Z";
  for (const char* batch : {
           "id,unit,count,amount,day,kind,note\n"
           "r1,25480,5,10,2025-10-03,a,x\n"               // moves to 25480, October: r3's twin
           "r6,25459,50,20,2025-09-02,b,Nguyễn Văn An\n"  // r2 again
           "r7,25459,-1,1,2025-10-02,a,\n",               // refused
           "id,unit,count,amount,day,kind,note\n"
           "r3,25480,6,1,2025-10-03,b,\n"  // no longer r1's twin
           "r2,25459,1,2,2025-10-01,a,Trần Thị Bình\n"
           "r8,25459,1,2,2025-11-15,a,\n",  // after the as-of date
       }) {
    auto r = Send(d, batch, o);
    ASSERT_TRUE(r) << r.error().message;
    ASSERT_EQ(r->status, "committed") << json_util::Serialize(r->ToJson());
    std::set<std::string> units;
    ASSERT_TRUE((*followed)->Update(datasets(), registry(), &units));
    EXPECT_FALSE(units.empty());
    auto fresh = Evaluate(datasets(), registry(), d, checks, options);
    ASSERT_TRUE(fresh) << fresh.error().message;
    EXPECT_EQ(Summary((*followed)->Snapshot()), Summary(*fresh));
  }
}

}  // namespace
}  // namespace pdh::quality
