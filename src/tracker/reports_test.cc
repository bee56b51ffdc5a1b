// Monthly progress reports: timeliness judged by the first submission against the due day, the
// months a task owes, a 100% report completing the task, and attachments.
#include "tracker/test_support.h"

namespace pdh::tracker::testing {
namespace {

using Reports = TrackerTest;

Report Progress(const std::string& task, const std::string& month, int percent) {
  Report r;
  r.task = task;
  r.month = month;
  r.percent = percent;
  r.done = "Đã hoàn thành khảo sát hiện trạng";
  r.difficulties = "Thiếu nhân lực";
  r.proposals = "Bổ sung kinh phí";
  return r;
}

// Timeliness of the obligations of `month` as of `as_of`, by task.
std::map<std::string, Timeliness> TimelinessOf(Tracker& t, const char* as_of, const char* month,
                                               const std::string& unit = "") {
  std::map<std::string, Timeliness> out;
  auto owed = t.Obligations(D(as_of), unit, month);
  EXPECT_TRUE(owed) << owed.error().message;
  if (owed) {
    for (const auto& o : *owed) out[o.task] = o.timeliness;
  }
  return out;
}

TEST_F(Reports, TimelinessOnThe24th25thAnd26th) {
  for (const char* code : {"A", "B", "C", "D"}) {
    ASSERT_TRUE(tracker().Create(With(Task(code), State::kInProgress), By("an", "2025-08-15")));
  }
  EXPECT_EQ(tracker().due_day(), 25);
  Today("2025-10-24");
  ASSERT_TRUE(tracker().SubmitReport(Progress("A", "2025-10", 40), "officer"));
  Today("2025-10-25");
  ASSERT_TRUE(tracker().SubmitReport(Progress("B", "2025-10", 40), "officer"));
  Today("2025-10-26");
  auto c = tracker().SubmitReport(Progress("C", "2025-10", 40), "officer");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->submitted_at, "2025-10-26T08:00:00Z");
  EXPECT_EQ(c->submitted_by, "officer");

  using T = Timeliness;
  using M = std::map<std::string, Timeliness>;
  EXPECT_EQ(TimelinessOf(tracker(), "2025-10-31", "2025-10"),
            (M{{"A", T::kOnTime}, {"B", T::kOnTime}, {"C", T::kLate}, {"D", T::kMissing}}));
  // On the due day nothing is missing yet; C's report came later.
  EXPECT_EQ(TimelinessOf(tracker(), "2025-10-25", "2025-10"),
            (M{{"A", T::kOnTime}, {"B", T::kOnTime}, {"C", T::kNotDue}, {"D", T::kNotDue}}));
  EXPECT_EQ(TimelinessOf(tracker(), "2025-10-26", "2025-10"),
            (M{{"A", T::kOnTime}, {"B", T::kOnTime}, {"C", T::kLate}, {"D", T::kMissing}}));

  // Every month from the one after assignment: September was never reported.
  auto all = tracker().Obligations(D("2025-10-24"), "80.SKHCN");
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 8u);
  EXPECT_EQ((*all)[0].month, "2025-09");
  EXPECT_EQ((*all)[0].due, D("2025-09-25"));
  EXPECT_EQ((*all)[0].timeliness, T::kMissing);
  EXPECT_EQ((*all)[4].month, "2025-10");
  EXPECT_EQ((*all)[4].task, "A");
  EXPECT_EQ((*all)[4].timeliness, T::kOnTime);
  ASSERT_TRUE((*all)[4].report);
  EXPECT_EQ((*all)[4].report->percent, 40);
  EXPECT_TRUE(tracker().Obligations(D("2025-10-31"), "80.SYT")->empty());
  EXPECT_EQ(CodeOf(tracker().Obligations(D("2025-10-31"), "", "2025-1")), "tracker.invalid_field");
}

TEST_F(Reports, TheDueDayIsASetting) {
  ASSERT_TRUE(tracker().Create(With(Task("A"), State::kInProgress), By("an", "2025-08-15")));
  ASSERT_TRUE(store_->SetSetting("tracker.report_due_day", "20"));
  EXPECT_EQ(tracker().due_day(), 20);
  Today("2025-10-21");
  ASSERT_TRUE(tracker().SubmitReport(Progress("A", "2025-10", 40), "officer"));
  auto owed = tracker().Obligations(D("2025-10-31"), "", "2025-10");
  ASSERT_TRUE(owed);
  ASSERT_EQ(owed->size(), 1u);
  EXPECT_EQ(owed->front().due, D("2025-10-20"));
  EXPECT_EQ(owed->front().timeliness, Timeliness::kLate);
  ASSERT_TRUE(store_->SetSetting("tracker.report_due_day", "31"));
  EXPECT_EQ(tracker().due_day(), 25);
}

TEST_F(Reports, EditsKeepTheFirstSubmission) {
  ASSERT_TRUE(tracker().Create(With(Task("A"), State::kInProgress), By("an", "2025-08-15")));
  Today("2025-10-24");
  ASSERT_TRUE(tracker().SubmitReport(Progress("A", "2025-10", 40), "officer"));
  Today("2025-10-27");
  Report edited = Progress("A", "2025-10", 60);
  edited.done = "Đã xây dựng xong thiết kế";
  auto r = tracker().SubmitReport(edited, "other");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->submitted_at, "2025-10-24T08:00:00Z");
  EXPECT_EQ(r->updated_at, "2025-10-27T08:00:00Z");
  EXPECT_EQ(r->submitted_by, "officer");

  auto all = tracker().Reports("A");
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ(all->front().percent, 60);
  EXPECT_EQ(all->front().done, "Đã xây dựng xong thiết kế");
  EXPECT_EQ(all->front().difficulties, "Thiếu nhân lực");
  EXPECT_EQ(all->front().submitted_at, "2025-10-24T08:00:00Z");
  EXPECT_EQ(TimelinessOf(tracker(), "2025-10-31", "2025-10").at("A"), Timeliness::kOnTime);

  auto record = tracker().Get("A", D("2025-10-31"));
  ASSERT_TRUE(record);
  EXPECT_EQ(record->percent, 60);
  EXPECT_EQ(CodeOf(tracker().Reports("NOPE")), "tracker.not_found");
}

TEST_F(Reports, AFullReportCompletesTheTask) {
  ASSERT_TRUE(tracker().Create(With(Task("A"), State::kInProgress), By("an", "2025-08-15")));
  ASSERT_TRUE(tracker().Create(Task("B"), By("an", "2025-08-15")));
  Today("2025-10-20");
  ASSERT_TRUE(tracker().SubmitReport(Progress("A", "2025-10", 100), "officer"));
  auto a = tracker().Get("A", D("2025-10-31"));
  ASSERT_TRUE(a);
  EXPECT_EQ(a->item.state, State::kCompleted);
  EXPECT_EQ(a->item.completed_at, D("2025-10-20"));
  EXPECT_EQ(a->status, Derived::kCompletedOnTime);
  EXPECT_EQ(a->percent, 100);
  ASSERT_EQ(a->history.size(), 2u);
  EXPECT_EQ(a->history[1].actor, "officer");
  EXPECT_EQ(a->history[1].effective, D("2025-10-20"));
  EXPECT_NE(a->history[1].reason.find("100%"), std::string::npos);

  // A partial report moves a task that was not started into progress, without a version.
  ASSERT_TRUE(tracker().SubmitReport(Progress("B", "2025-10", 30), "officer"));
  auto b = tracker().Get("B", D("2025-10-31"));
  ASSERT_TRUE(b);
  EXPECT_EQ(b->status, Derived::kInProgress);
  EXPECT_EQ(b->version, 1);

  // The October report was given, so it counts; nothing is owed after completion.
  auto owed = tracker().Obligations(D("2025-11-30"), "", "");
  ASSERT_TRUE(owed);
  std::vector<std::string> a_months;
  for (const auto& o : *owed) {
    if (o.task == "A")
      a_months.push_back(o.month + ":" + std::string(kTimelinessNames.Name(o.timeliness)));
  }
  EXPECT_EQ(a_months, (std::vector<std::string>{"2025-09:missing", "2025-10:on_time"}));
}

TEST_F(Reports, ReportsAreChecked) {
  ASSERT_TRUE(tracker().Create(With(Task("A"), State::kInProgress), By("an", "2025-08-15")));
  ASSERT_TRUE(
      tracker().Create(With(Task("B"), State::kCompleted, "2025-09-10"), By("an", "2025-09-10")));
  Today("2025-10-20");
  auto code = [&](Report r) { return CodeOf(tracker().SubmitReport(r, "officer")); };
  EXPECT_EQ(code(Progress("NOPE", "2025-10", 10)), "tracker.not_found");
  EXPECT_EQ(code(Progress("A", "2025-10", 101)), "tracker.invalid_field");
  EXPECT_EQ(code(Progress("A", "2025-10", -1)), "tracker.invalid_field");
  EXPECT_EQ(code(Progress("A", "2025-13", 10)), "tracker.invalid_field");
  EXPECT_EQ(code(Progress("A", "10/2025", 10)), "tracker.invalid_field");
  EXPECT_EQ(code(Progress("A", "2025-08", 10)), "tracker.invalid_field");  // assigned then
  EXPECT_EQ(code(Progress("A", "2025-11", 10)), "tracker.invalid_field");  // not begun
  EXPECT_EQ(code(Progress("B", "2025-10", 10)), "tracker.closed");
  EXPECT_EQ(code(Progress("B", "2025-09", 100)), "");
  auto b = tracker().Get("B", D("2025-10-20"));
  ASSERT_TRUE(b);
  EXPECT_EQ(b->version, 1);  // already completed: no new version
}

TEST_F(Reports, ObligationsStopWhenATaskCloses) {
  ASSERT_TRUE(tracker().Create(With(Task("OPEN"), State::kInProgress), By("an", "2025-08-15")));
  ASSERT_TRUE(tracker().Create(With(Task("DONE"), State::kInProgress), By("an", "2025-08-15")));
  ASSERT_TRUE(tracker().Update(With(Task("DONE"), State::kCompleted, "2025-10-10"),
                               By("an", "2025-10-10")));
  ASSERT_TRUE(tracker().Create(With(Task("GONE"), State::kInProgress), By("an", "2025-08-15")));
  ASSERT_TRUE(tracker().Update(With(Task("GONE"), State::kCancelled),
                               By("an", "2025-10-28", "Không còn phù hợp")));
  Item target = Target("CT");
  ASSERT_TRUE(tracker().Create(target, By("an", "2025-08-15")));  // targets owe no reports

  auto owed = tracker().Obligations(D("2025-11-30"));
  ASSERT_TRUE(owed);
  std::map<std::string, std::vector<std::string>> months;
  for (const auto& o : *owed) months[o.task].push_back(o.month);
  using V = std::vector<std::string>;
  EXPECT_EQ(months["OPEN"], (V{"2025-09", "2025-10", "2025-11"}));
  EXPECT_EQ(months["DONE"], (V{"2025-09"}));
  EXPECT_EQ(months["GONE"], (V{"2025-09", "2025-10"}));
  EXPECT_EQ(months.count("CT"), 0u);
}

TEST_F(Reports, Attachments) {
  ASSERT_TRUE(tracker().Create(With(Task("A"), State::kInProgress), By("an", "2025-08-15")));
  Today("2025-10-20");
  const std::string pdf = std::string("%PDF-1.7\n") + '\0' + "\xFF\xFE binary";
  EXPECT_EQ(CodeOf(tracker().Attach("A", "2025-10", "a.pdf", "application/pdf", pdf, "officer")),
            "tracker.not_found");  // no report yet
  ASSERT_TRUE(tracker().SubmitReport(Progress("A", "2025-10", 40), "officer"));

  auto a = tracker().Attach("A", "2025-10", "C:\\fakepath\\Báo cáo tháng 10.pdf",
                            "application/PDF; charset=binary", pdf, "officer");
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(a->name, "Báo cáo tháng 10.pdf");
  EXPECT_EQ(a->content_type, "application/pdf");
  EXPECT_EQ(a->size, static_cast<int64_t>(pdf.size()));
  auto data = tracker().AttachmentData(a->id);
  ASSERT_TRUE(data) << data.error().message;
  EXPECT_EQ(data->second, pdf);
  EXPECT_EQ(data->first.name, "Báo cáo tháng 10.pdf");
  EXPECT_EQ(CodeOf(tracker().AttachmentData(a->id + 100)), "tracker.not_found");

  auto attach = [&](const std::string& type, std::string bytes) {
    return CodeOf(tracker().Attach("A", "2025-10", "x", type, std::move(bytes), "officer"));
  };
  EXPECT_EQ(attach("text/plain", "hello"), "tracker.attachment_type");
  EXPECT_EQ(attach("application/pdf", "\x89PNG\r\n\x1a\n...."), "tracker.attachment_type");
  EXPECT_EQ(attach("application/pdf", "%PDF-" + std::string(10 * 1024 * 1024, 'x')),
            "tracker.attachment_too_large");
  EXPECT_EQ(attach("image/png", "\x89PNG\r\n\x1a\n...."), "");
  EXPECT_EQ(attach("image/jpg", "\xFF\xD8\xFF\xE0...."), "");
  EXPECT_EQ(
      attach("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "PK\x03\x04.."),
      "");
  EXPECT_EQ(attach("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                   "PK\x03\x04"),
            "");
  EXPECT_EQ(attach("application/pdf", pdf), "tracker.too_many");

  // Edits keep the attachments.
  ASSERT_TRUE(tracker().SubmitReport(Progress("A", "2025-10", 50), "officer"));
  auto reports = tracker().Reports("A");
  ASSERT_TRUE(reports);
  ASSERT_EQ(reports->size(), 1u);
  ASSERT_EQ(reports->front().attachments.size(), 5u);
  EXPECT_EQ(reports->front().attachments[0].name, "Báo cáo tháng 10.pdf");
  EXPECT_EQ(reports->front().attachments[2].content_type, "image/jpeg");
}

}  // namespace
}  // namespace pdh::tracker::testing
