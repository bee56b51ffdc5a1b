// The figures as of a date: counts and completion rates to two decimals from the versions in
// force, roll-ups by level, programme, unit, sector, status and deadline month, the overdue and
// due-soon lists, the units' ranking, and the reminders with their stable keys.
#include <boost/json/serialize.hpp>

#include <set>

#include "tracker/test_support.h"

namespace pdh::tracker::testing {
namespace {

using Figures = TrackerTest;

Report SummaryProgress(const std::string& task, const std::string& month, int percent) {
  Report r;
  r.task = task;
  r.month = month;
  r.percent = percent;
  r.done = "Đang triển khai";
  return r;
}

const Group& Find(const std::vector<Group>& groups, const std::string& key) {
  static const Group none;
  for (const auto& g : groups) {
    if (g.key == key) return g;
  }
  ADD_FAILURE() << "no group " << key;
  return none;
}

TEST_F(Figures, CompletionRatesToTwoDecimals) {
  std::vector<Tracker::BatchEdit> edits;
  auto add = [&](Item item, int index, int completed) {
    item.code += "-" + std::to_string(index);
    item.state = index < completed ? State::kCompleted : State::kInProgress;
    if (index < completed) item.completed_at = D("2025-10-01");
    edits.push_back({item, By("an", "2025-10-01")});
  };
  for (int i = 0; i < 53; ++i) add(Target("CT"), i, 32);
  for (int i = 0; i < 235; ++i) add(Task("NV"), i, 88);
  auto batch = tracker().ApplyBatch(edits, false);
  ASSERT_TRUE(batch) << batch.error().message;
  ASSERT_TRUE(batch->written);
  EXPECT_EQ(batch->created, 288u);

  auto s = tracker().SummaryAsOf(D("2025-10-31"));
  ASSERT_TRUE(s) << s.error().message;
  const Group& province = s->by_level.at("province");
  EXPECT_EQ(province.targets.total, 53);
  EXPECT_EQ(province.targets.completed, 32);
  EXPECT_EQ(province.targets.completed_on_time, 32);
  EXPECT_EQ(province.targets.in_progress, 21);
  EXPECT_DOUBLE_EQ(province.targets.completion_rate, 60.38);
  EXPECT_EQ(province.tasks.total, 235);
  EXPECT_EQ(province.tasks.completed, 88);
  EXPECT_DOUBLE_EQ(province.tasks.completion_rate, 37.45);
  EXPECT_EQ(s->by_level.at("central").tasks.total, 0);
  EXPECT_EQ(s->by_level.size(), 3u);
  EXPECT_DOUBLE_EQ(Find(s->by_programme, "NQ57").tasks.completion_rate, 37.45);
  EXPECT_EQ(Find(s->by_programme, "NQ57").name, Nq57().name);

  const auto json = boost::json::serialize(ToJson(*s));
  EXPECT_NE(json.find("\"completion_rate\":6.038E1"), std::string::npos) << json.substr(0, 400);
  EXPECT_NE(json.find("\"as_of\":\"2025-10-31\""), std::string::npos);
  // Before anything took effect, nothing is counted.
  auto before = tracker().SummaryAsOf(D("2025-09-30"));
  ASSERT_TRUE(before);
  EXPECT_EQ(before->by_level.at("province").tasks.total, 0);
  EXPECT_DOUBLE_EQ(before->by_level.at("province").tasks.completion_rate, 0);
}

TEST_F(Figures, CountsTheVersionsAndReportsOfTheDate) {
  ASSERT_TRUE(tracker().Create(With(Task("X"), State::kInProgress), By("an", "2025-09-01")));
  ASSERT_TRUE(tracker().Create(Task("Z"), By("an", "2025-09-01")));
  Today("2025-10-20");
  ASSERT_TRUE(
      tracker().Update(With(Task("X"), State::kCompleted, "2025-10-20"), By("an", "2025-10-20")));
  Today("2025-11-02");
  ASSERT_TRUE(tracker().SubmitReport(SummaryProgress("Z", "2025-10", 30), "officer"));
  ASSERT_TRUE(tracker().Create(Task("Y"), By("an", "2025-11-05")));
  ASSERT_TRUE(tracker().Update(With(Task("Y"), State::kCancelled),
                               By("an", "2025-11-06", "Trùng nhiệm vụ")));

  auto tasks = [&](const char* as_of) {
    auto s = tracker().SummaryAsOf(D(as_of));
    EXPECT_TRUE(s) << s.error().message;
    return s ? s->by_level.at("province").tasks : Counts{};
  };
  const Counts mid = tasks("2025-10-15");
  EXPECT_EQ(mid.total, 2);
  EXPECT_EQ(mid.in_progress, 1);
  EXPECT_EQ(mid.not_started, 1);
  EXPECT_EQ(mid.completed, 0);
  const Counts end = tasks("2025-10-31");
  EXPECT_EQ(end.completed, 1);
  EXPECT_EQ(end.not_started, 1);  // Z's report came in November
  EXPECT_DOUBLE_EQ(end.completion_rate, 50);
  const Counts later = tasks("2025-11-10");
  EXPECT_EQ(later.total, 2);  // Y cancelled
  EXPECT_EQ(later.cancelled, 1);
  EXPECT_EQ(later.in_progress, 1);
  EXPECT_EQ(later.not_started, 0);
  const Counts after_deadline = tasks("2026-01-01");
  EXPECT_EQ(after_deadline.overdue, 1);
  EXPECT_EQ(after_deadline.completed, 1);
}

TEST_F(Figures, RollUpsByUnitProgrammeSectorStatusAndMonth) {
  ASSERT_TRUE(tracker().AddProgramme({"KH-CDS", "Kế hoạch chuyển đổi số tỉnh năm 2025", "",
                                      Level::kProvince, D("2025-01-01"), D("2025-12-31")},
                                     "an"));
  Item health = With(Task("YT-01"), State::kInProgress);
  health.lead_unit = "80.SYT";
  health.sector = "Y tế";
  health.programme = "KH-CDS";
  health.deadline = D("2025-10-20");
  Item health2 = health;
  health2.code = "YT-02";
  health2.deadline = D("2025-10-10");
  Item soon = Task("NV-01");
  soon.deadline = D("2025-11-20");
  Item later = Task("NV-02");
  later.deadline = D("2026-03-31");
  Item target = With(Target("CT-01"), State::kCompleted, "2025-09-15");
  for (const Item& i : {health, health2, soon, later, target}) {
    ASSERT_TRUE(tracker().Create(i, By("an", "2025-09-15"))) << i.code;
  }

  auto s = tracker().SummaryAsOf(D("2025-10-31"));
  ASSERT_TRUE(s) << s.error().message;
  ASSERT_EQ(s->by_programme.size(), 2u);
  EXPECT_EQ(s->by_programme[0].key, "KH-CDS");
  EXPECT_EQ(s->by_programme[0].name, "Kế hoạch chuyển đổi số tỉnh năm 2025");
  EXPECT_EQ(s->by_programme[0].tasks.overdue, 2);
  EXPECT_EQ(s->by_programme[1].tasks.total, 2);
  EXPECT_EQ(s->by_programme[1].targets.completed, 1);

  ASSERT_EQ(s->by_unit.size(), 2u);
  EXPECT_EQ(s->by_unit[0].key, "80.SKHCN");
  EXPECT_EQ(s->by_unit[0].name, "Sở Khoa học và Công nghệ tỉnh Tây Ninh");
  EXPECT_EQ(s->by_unit[1].key, "80.SYT");
  EXPECT_EQ(s->by_unit[1].name, "Sở Y tế tỉnh Tây Ninh");
  EXPECT_EQ(s->by_unit[1].tasks.total, 2);
  EXPECT_DOUBLE_EQ(s->by_unit[0].targets.completion_rate, 100);

  EXPECT_EQ(Find(s->by_sector, "Y tế").tasks.overdue, 2);
  EXPECT_EQ(Find(s->by_sector, "Chuyển đổi số").tasks.not_started, 2);

  ASSERT_EQ(s->by_status.size(), 6u);
  EXPECT_EQ(s->by_status[0].key, "not_started");
  EXPECT_EQ(s->by_status[0].tasks.total, 2);
  EXPECT_EQ(s->by_status[2].key, "overdue");
  EXPECT_EQ(s->by_status[2].tasks.total, 2);
  EXPECT_EQ(s->by_status[3].key, "completed_on_time");
  EXPECT_EQ(s->by_status[3].targets.completed, 1);
  EXPECT_EQ(s->by_status[5].key, "cancelled");

  std::vector<std::string> months;
  for (const auto& g : s->by_deadline_month) months.push_back(g.key);
  EXPECT_EQ(months, (std::vector<std::string>{"2025-10", "2025-11", "2025-12", "2026-03"}));
  EXPECT_EQ(Find(s->by_deadline_month, "2025-10").tasks.total, 2);

  ASSERT_EQ(s->overdue.size(), 2u);
  EXPECT_EQ(s->overdue[0].item.code, "YT-02");  // by deadline
  EXPECT_EQ(s->overdue[1].item.code, "YT-01");
  EXPECT_EQ(s->overdue[0].status, Derived::kOverdue);
  ASSERT_EQ(s->due_soon.size(), 1u);
  EXPECT_EQ(s->due_soon[0].item.code, "NV-01");
}

TEST_F(Figures, RankingByOnTimeRateThenReportRate) {
  Item k1 = With(Task("K1"), State::kInProgress);
  k1.deadline = D("2025-09-30");
  Item k2 = k1;
  k2.code = "K2";
  Item y1 = k1;
  y1.code = "Y1";
  y1.lead_unit = "80.SYT";
  Item t1 = With(Task("T1"), State::kInProgress);
  t1.lead_unit = "80.STC";
  t1.cooperating_units.clear();
  for (const Item& i : {k1, k2, y1, t1}) {
    ASSERT_TRUE(tracker().Create(i, By("an", "2025-08-15"))) << i.code;
  }
  Today("2025-09-20");
  ASSERT_TRUE(tracker().Update(With(y1, State::kCompleted, "2025-09-20"), By("an", "2025-09-20")));
  Today("2025-09-24");
  ASSERT_TRUE(tracker().SubmitReport(SummaryProgress("K1", "2025-09", 90), "officer"));
  Today("2025-09-28");
  ASSERT_TRUE(tracker().Update(With(k1, State::kCompleted, "2025-09-28"), By("an", "2025-09-28")));
  Today("2025-10-05");
  ASSERT_TRUE(tracker().Update(With(k2, State::kCompleted, "2025-10-05"), By("an", "2025-10-05")));
  Today("2025-10-27");
  ASSERT_TRUE(tracker().SubmitReport(SummaryProgress("T1", "2025-10", 50), "officer"));

  auto s = tracker().SummaryAsOf(D("2025-10-31"));
  ASSERT_TRUE(s) << s.error().message;
  ASSERT_EQ(s->ranking.size(), 3u);
  const UnitRank& first = s->ranking[0];
  EXPECT_EQ(first.unit, "80.SYT");
  EXPECT_EQ(first.name, "Sở Y tế tỉnh Tây Ninh");
  EXPECT_EQ(first.tasks_due, 1);
  EXPECT_DOUBLE_EQ(first.on_time_rate, 100);
  EXPECT_EQ(first.reports_expected, 0);  // completed before September's due day

  const UnitRank& second = s->ranking[1];
  EXPECT_EQ(second.unit, "80.SKHCN");
  EXPECT_EQ(second.tasks_due, 2);
  EXPECT_EQ(second.completed_on_time, 1);
  EXPECT_DOUBLE_EQ(second.on_time_rate, 50);
  EXPECT_EQ(second.reports_expected, 2);
  EXPECT_EQ(second.reports_on_time, 1);
  EXPECT_EQ(second.reports_missing, 1);
  EXPECT_DOUBLE_EQ(second.report_rate, 50);

  const UnitRank& third = s->ranking[2];
  EXPECT_EQ(third.unit, "80.STC");
  EXPECT_EQ(third.tasks_due, 0);
  EXPECT_EQ(third.reports_expected, 2);
  EXPECT_EQ(third.reports_late, 1);
  EXPECT_EQ(third.reports_missing, 1);
  EXPECT_DOUBLE_EQ(third.report_rate, 0);

  const auto json = boost::json::serialize(ToJson(*s));
  EXPECT_NE(json.find("\"ranking\":[{\"unit\":\"80.SYT\""), std::string::npos);
}

TEST_F(Figures, RemindersHaveStableKeys) {
  Item soon = With(Task("SOON"), State::kInProgress);
  soon.deadline = D("2025-11-05");
  Item late = Task("LATE");
  late.deadline = D("2025-10-15");
  late.lead_unit = "80.SYT";
  Item far = With(Task("FAR"), State::kInProgress);
  Item done = With(Task("DONE"), State::kCompleted, "2025-10-01");
  done.assigned_at = D("2025-09-10");
  done.deadline = D("2025-10-15");
  for (const Item& i : {soon, late, far}) {
    ASSERT_TRUE(tracker().Create(i, By("an", "2025-08-15"))) << i.code;
  }
  ASSERT_TRUE(tracker().Create(done, By("an", "2025-10-01")));
  Today("2025-09-20");
  ASSERT_TRUE(tracker().SubmitReport(SummaryProgress("FAR", "2025-09", 20), "officer"));
  Today("2025-10-20");
  ASSERT_TRUE(tracker().SubmitReport(SummaryProgress("FAR", "2025-10", 40), "officer"));
  Today("2025-10-31");

  auto keys = [&](const char* as_of) {
    std::set<std::string> out;
    auto m = tracker().Reminders(D(as_of));
    EXPECT_TRUE(m) << m.error().message;
    if (m) {
      for (const auto& msg : *m) out.insert(msg.key);
    }
    return out;
  };
  auto first = keys("2025-10-31");
  // DONE, assigned in September and completed before October's due day, owes nothing.
  EXPECT_EQ(first,
            (std::set<std::string>{"due_soon:SOON:2025-11-05", "overdue:LATE:2025-W44",
                                   "report_missing:SOON:2025-09", "report_missing:SOON:2025-10",
                                   "report_missing:LATE:2025-09", "report_missing:LATE:2025-10"}));
  EXPECT_EQ(keys("2025-10-31"), first);  // running again adds nothing new
  auto next_week = keys("2025-11-07");
  EXPECT_TRUE(next_week.count("overdue:LATE:2025-W45"));
  EXPECT_FALSE(next_week.count("due_soon:SOON:2025-11-05"));  // overdue now
  EXPECT_TRUE(next_week.count("overdue:SOON:2025-W45"));

  auto messages = tracker().Reminders(D("2025-10-31"));
  ASSERT_TRUE(messages);
  for (const auto& m : *messages) {
    if (m.kind == "overdue") {
      EXPECT_EQ(m.unit, "80.SYT");
      EXPECT_EQ(m.subject, "Nhiệm vụ LATE đã quá hạn (15/10/2025)");
      EXPECT_EQ(m.data.at("deadline"), "2025-10-15");
      EXPECT_EQ(m.data.at("days_overdue"), 16);
    }
    if (m.kind == "due_soon") {
      EXPECT_EQ(m.unit, "80.SKHCN");
      EXPECT_NE(m.body.find("còn 5 ngày"), std::string::npos) << m.body;
    }
  }
}

}  // namespace
}  // namespace pdh::tracker::testing
