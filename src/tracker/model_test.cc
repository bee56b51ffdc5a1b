// The JSON shapes the API serves and reads: items, records with history, reports, obligations,
// programmes; unknown keys and wrong types refused with the field named.
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "tracker/test_support.h"

namespace pdh::tracker::testing {
namespace {

namespace json = boost::json;

using Model = TrackerTest;

TEST(Names, ParseWhatTheyWrite) {
  for (Level l : {Level::kCentral, Level::kProvince, Level::kUnit}) {
    EXPECT_EQ(kLevelNames.Parse(kLevelNames.Name(l)), l);
  }
  for (State s : {State::kNotStarted, State::kInProgress, State::kCompleted, State::kCancelled}) {
    EXPECT_EQ(kStateNames.Parse(kStateNames.Name(s)), s);
  }
  for (Recurrence r :
       {Recurrence::kNone, Recurrence::kMonthly, Recurrence::kQuarterly, Recurrence::kYearly}) {
    EXPECT_EQ(kRecurrenceNames.Parse(kRecurrenceNames.Name(r)), r);
  }
  EXPECT_EQ(kItemKindNames.Parse("target"), ItemKind::kTarget);
  EXPECT_EQ(kItemKindNames.Parse("Task"), std::nullopt);
  EXPECT_EQ(kDerivedNames.Name(Derived::kCompletedLate), "completed_late");
  EXPECT_EQ(kTimelinessNames.Name(Timeliness::kNotDue), "not_due");
}

TEST_F(Model, ItemsRoundTrip) {
  Item t = Target("CT-01");
  t.recurrence = Recurrence::kYearly;
  t.indicator = "IOC-DVC-01";
  const json::object o = ToJson(t);
  EXPECT_EQ(o.at("kind"), "target");
  EXPECT_EQ(o.at("leader").at("position"), "Phó Chủ tịch UBND tỉnh");
  EXPECT_EQ(o.at("deadline"), "2025-12-31");
  EXPECT_EQ(o.at("completed_at"), nullptr);
  EXPECT_EQ(o.at("recurrence"), "yearly");
  EXPECT_EQ(o.at("target_value").as_double(), 80);
  auto back = ItemFromJson(json::parse(json::serialize(o)));
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, t);

  auto unknown = ItemFromJson(json::parse(R"({"code":"A","colour":"red"})"));
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, "tracker.invalid_field");
  EXPECT_EQ(unknown.error().message, "colour: unknown field");
  auto bad_date = ItemFromJson(json::parse(R"({"code":"A","deadline":"31/13/2025"})"));
  ASSERT_FALSE(bad_date);
  EXPECT_EQ(bad_date.error().message.rfind("deadline: ", 0), 0u);
  auto bad_state = ItemFromJson(json::parse(R"({"state":"done"})"));
  ASSERT_FALSE(bad_state);
  EXPECT_EQ(bad_state.error().message.rfind("state: ", 0), 0u);
  EXPECT_FALSE(ItemFromJson(json::parse(R"({"leader":{"title":"x"}})")));
  EXPECT_FALSE(ItemFromJson(json::parse(R"({"target_value":"80"})")));
  EXPECT_FALSE(ItemFromJson(json::parse("[1]")));
  auto integral = ItemFromJson(json::parse(R"({"baseline":45,"target_value":80})"));
  ASSERT_TRUE(integral);
  EXPECT_EQ(integral->target_value, 80.0);
}

TEST_F(Model, RecordsWithHistory) {
  ASSERT_TRUE(tracker().Create(With(Task("A"), State::kInProgress), By("an", "2025-08-15")));
  Item moved = With(Task("A"), State::kInProgress);
  moved.deadline = D("2026-03-31");
  ASSERT_TRUE(tracker().Update(moved, By("binh", "2025-08-20", "Chờ vốn", "QĐ 12/QĐ-UBND")));
  auto r = tracker().Get("A", D("2025-09-01"));
  ASSERT_TRUE(r);
  const json::object o = ToJson(*r);
  EXPECT_EQ(o.at("version"), 2);
  EXPECT_EQ(o.at("effective"), "2025-08-20");
  EXPECT_EQ(o.at("adjusted"), true);
  EXPECT_EQ(o.at("status"), "in_progress");
  EXPECT_EQ(o.at("percent"), nullptr);
  const auto& history = o.at("history").as_array();
  ASSERT_EQ(history.size(), 2u);
  const auto& v2 = history[1].as_object();
  EXPECT_EQ(v2.at("reason"), "Chờ vốn");
  EXPECT_EQ(v2.at("approval"), "QĐ 12/QĐ-UBND");
  EXPECT_EQ(v2.at("adjusted"), true);
  EXPECT_EQ(v2.at("recorded_at"), "2025-09-01T08:00:00Z");
  EXPECT_EQ(v2.at("changes").as_array()[0].at("field"), "deadline");
  EXPECT_EQ(v2.at("changes").as_array()[0].at("before"), "2025-12-31");

  r->history.clear();
  EXPECT_FALSE(ToJson(*r).contains("history"));
}

TEST_F(Model, ReportsObligationsAndProgrammes) {
  auto in = ReportFromJson(json::parse(
      R"({"task":"A","month":"2025-10","percent":40,"done":"x","difficulties":"y","proposals":"z"})"));
  ASSERT_TRUE(in) << in.error().message;
  EXPECT_EQ(in->percent, 40);
  EXPECT_EQ(in->proposals, "z");
  EXPECT_EQ(
      ReportFromJson(json::parse(R"({"percent":"40"})")).error().message.rfind("percent: ", 0), 0u);
  EXPECT_EQ(ReportFromJson(json::parse(R"({"submitted_at":"2025-10-01T00:00:00Z"})")).error().code,
            "tracker.invalid_field");

  Report r = *in;
  r.submitted_at = "2025-10-24T08:00:00Z";
  r.attachments = {{7, "a.pdf", "application/pdf", 1234}};
  const json::object o = ToJson(r);
  EXPECT_EQ(o.at("attachments").as_array()[0].at("id"), 7);
  EXPECT_EQ(o.at("submitted_at"), "2025-10-24T08:00:00Z");

  Obligation ob{"A", "80.SKHCN", "2025-10", D("2025-10-25"), Timeliness::kMissing, std::nullopt};
  const json::object oj = ToJson(ob);
  EXPECT_EQ(oj.at("timeliness"), "missing");
  EXPECT_EQ(oj.at("due"), "2025-10-25");
  EXPECT_EQ(oj.at("report"), nullptr);
  ob.report = r;
  EXPECT_EQ(ToJson(ob).at("report").at("percent"), 40);

  auto p = ProgrammeFromJson(json::parse(json::serialize(ToJson(Nq57()))));
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(*p, Nq57());
  EXPECT_EQ(CodeOf(ProgrammeFromJson(json::parse(R"({"code":"X","period_from":null})"))),
            "tracker.invalid_field");
  Programme reversed = Nq57();
  reversed.code = "X";
  reversed.period_to = D("2024-01-01");
  EXPECT_EQ(CodeOf(tracker().AddProgramme(reversed, "an")), "tracker.invalid_field");
  reversed.name = "";
  EXPECT_EQ(CodeOf(tracker().AddProgramme(reversed, "an")), "tracker.missing_field");
}

}  // namespace
}  // namespace pdh::tracker::testing
