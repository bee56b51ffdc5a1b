// Data quality on small hand-checked data: bad check definitions, each row check, the unit
// checks on monthly counts, the dimensions' scores, the defaults a schema implies, and the
// scoreboard's ranking.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <map>
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
  ASSERT_TRUE(SaveChecks(store(), d, mine, "test", "2025-11-01T00:00:00Z"));
  auto loaded = LoadChecks(store(), d);
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_TRUE(loaded->stored);
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

}  // namespace
}  // namespace pdh::quality
