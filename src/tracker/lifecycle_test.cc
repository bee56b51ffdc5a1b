// The register's rules and lifecycle: each broken rule answers with its stable code and names
// the field; states move only along the allowed transitions; adjustments carry a reason and an
// approval and are kept in history; statuses are derived from deadlines and the clock.
#include "register/test_support.h"
#include "tracker/test_support.h"

namespace pdh::tracker::testing {
namespace {

using Lifecycle = TrackerTest;

TEST_F(Lifecycle, CreatesTargetsAndTasks) {
  auto t = tracker().Create(Task("NV-01"), By("an", "2025-08-15"));
  reg::testing::ExpectCreated(t, D("2025-08-15"));
  if (HasFatalFailure()) return;
  EXPECT_FALSE(t->adjusted);
  EXPECT_EQ(t->status, Derived::kNotStarted);
  auto g = tracker().Create(Target("CT-01"), By("an", "2025-08-15"));
  ASSERT_TRUE(g) << g.error().message;
  EXPECT_EQ(g->item.kind, ItemKind::kTarget);

  auto got = tracker().Get("NV-01", D("2025-09-01"));
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(got->item, Task("NV-01"));
  ASSERT_EQ(got->history.size(), 1u);
  EXPECT_EQ(got->history[0].actor, "an");
  EXPECT_EQ(got->history[0].recorded_at, "2025-09-01T08:00:00Z");
  EXPECT_EQ(CodeOf(tracker().Get("NV-99", D("2025-09-01"))), "tracker.not_found");

  auto programmes = tracker().Programmes();
  ASSERT_TRUE(programmes);
  ASSERT_EQ(programmes->size(), 1u);
  EXPECT_EQ(programmes->front(), Nq57());
  EXPECT_EQ(CodeOf(tracker().AddProgramme(Nq57(), "an")), "tracker.duplicate_code");
}

TEST_F(Lifecycle, MissingFieldNamesTheField) {
  using reg::testing::Missing;
  reg::testing::ExpectEachRefusedNamingTheField<Item>(
      {
          Missing("code", Task("A"), [](Item& i) { i.code.clear(); }),
          Missing("programme", Task("A"), [](Item& i) { i.programme.clear(); }),
          Missing("title", Task("A"), [](Item& i) { i.title = "   "; }),
          Missing("lead_unit", Task("A"), [](Item& i) { i.lead_unit.clear(); }),
          Missing("deadline", Task("A"), [](Item& i) { i.deadline.reset(); }),
          Missing("completed_at", Task("A"), [](Item& i) { i.state = State::kCompleted; }),
          Missing("target_value", Target("A"), [](Item& i) { i.target_value.reset(); }),
      },
      "tracker.missing_field",
      [&](const Item& i) { return tracker().Create(i, By("an", "2025-08-20")); });
  Item no_deadline = Task("A");
  no_deadline.deadline.reset();
  EXPECT_EQ(tracker().Create(no_deadline, By("an", "2025-08-20")).error().message,
            "deadline: required unless the task recurs");
  no_deadline.recurrence = Recurrence::kMonthly;
  EXPECT_TRUE(tracker().Create(no_deadline, By("an", "2025-08-20")));
}

TEST_F(Lifecycle, InvalidFieldsAndUnknownReferences) {
  auto code_of = [&](Item i) { return CodeOf(tracker().Create(i, By("an", "2025-08-20"))); };
  Item bad_code = Task("NV 01");
  EXPECT_EQ(code_of(bad_code), "tracker.invalid_field");
  Item early_deadline = Task("A");
  early_deadline.deadline = D("2025-08-01");
  EXPECT_EQ(code_of(early_deadline), "tracker.invalid_field");
  EXPECT_EQ(code_of(With(Task("A"), State::kInProgress, "2025-08-10")), "tracker.invalid_field");
  // Completed after the effective date.
  EXPECT_EQ(code_of(With(Task("A"), State::kCompleted, "2025-08-25")), "tracker.invalid_field");
  Item programme = Task("A");
  programme.programme = "NQ99";
  EXPECT_EQ(code_of(programme), "tracker.unknown_programme");
  Item unit = Task("A");
  unit.lead_unit = "80.NOPE";
  EXPECT_EQ(code_of(unit), "tracker.unknown_unit");
  Item coop = Task("A");
  coop.cooperating_units.push_back("99999");
  auto r = tracker().Create(coop, By("an", "2025-08-20"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "tracker.unknown_unit");
  EXPECT_EQ(r.error().message.rfind("cooperating_units: ", 0), 0u);
  Item parent = Task("A");
  parent.parent = "NV-00";
  EXPECT_EQ(code_of(parent), "tracker.unknown_parent");
  Item self = Task("A");
  self.parent = "A";
  EXPECT_EQ(code_of(self), "tracker.invalid_field");

  ASSERT_TRUE(tracker().Create(Task("A"), By("an", "2025-08-20")));
  EXPECT_EQ(code_of(Task("A")), "tracker.duplicate_code");
  EXPECT_EQ(CodeOf(tracker().Update(Task("B"), By("an", "2025-08-20"))), "tracker.not_found");
}

TEST_F(Lifecycle, AssignmentChainsCannotLoop) {
  Item central = Task("TW-01");
  central.level = Level::kCentral;
  central.lead_unit = "80";
  ASSERT_TRUE(tracker().Create(central, By("an", "2025-08-15")));
  Item province = Task("T-01");
  province.parent = "TW-01";
  ASSERT_TRUE(tracker().Create(province, By("an", "2025-08-15")));
  Item unit = Task("DV-01");
  unit.level = Level::kUnit;
  unit.parent = "T-01";
  ASSERT_TRUE(tracker().Create(unit, By("an", "2025-08-15")));

  central.parent = "DV-01";
  auto r = tracker().Update(central, By("an", "2025-08-20"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "tracker.invalid_field");
  EXPECT_EQ(r.error().message.rfind("parent: ", 0), 0u);

  auto children = tracker().Children("TW-01", D("2025-09-01"));
  ASSERT_TRUE(children) << children.error().message;
  ASSERT_EQ(children->size(), 1u);
  EXPECT_EQ(children->front().item.code, "T-01");
  EXPECT_EQ(CodeOf(tracker().Children("NOPE", D("2025-09-01"))), "tracker.not_found");
}

TEST_F(Lifecycle, AllowedTransitions) {
  ASSERT_TRUE(tracker().Create(Task("A"), By("an", "2025-08-15")));
  auto started = tracker().Update(With(Task("A"), State::kInProgress), By("an", "2025-08-20"));
  ASSERT_TRUE(started) << started.error().message;
  EXPECT_EQ(started->version, 2);
  auto done =
      tracker().Update(With(Task("A"), State::kCompleted, "2025-08-25"), By("an", "2025-08-25"));
  ASSERT_TRUE(done) << done.error().message;
  EXPECT_EQ(done->status, Derived::kCompletedOnTime);

  ASSERT_TRUE(tracker().Create(Task("B"), By("an", "2025-08-15")));
  EXPECT_TRUE(
      tracker().Update(With(Task("B"), State::kCompleted, "2025-08-20"), By("an", "2025-08-20")));
  // Reopening needs a reason.
  EXPECT_EQ(CodeOf(tracker().Update(With(Task("B"), State::kInProgress), By("an", "2025-08-21"))),
            "tracker.reason_required");
  EXPECT_TRUE(tracker().Update(With(Task("B"), State::kInProgress),
                               By("an", "2025-08-21", "Sản phẩm chưa đạt yêu cầu")));
}

TEST_F(Lifecycle, RefusedTransitions) {
  ASSERT_TRUE(tracker().Create(With(Task("A"), State::kInProgress), By("an", "2025-08-15")));
  auto back = tracker().Update(Task("A"), By("an", "2025-08-20"));
  ASSERT_FALSE(back);
  EXPECT_EQ(back.error().code, "tracker.invalid_transition");
  EXPECT_EQ(back.error().message.rfind("state: ", 0), 0u);

  ASSERT_TRUE(
      tracker().Create(With(Task("B"), State::kCompleted, "2025-08-10"), By("an", "2025-08-15")));
  EXPECT_EQ(CodeOf(tracker().Update(Task("B"), By("an", "2025-08-20", "Làm lại"))),
            "tracker.invalid_transition");

  // Cancelling needs a reason; nothing leaves cancelled.
  EXPECT_EQ(CodeOf(tracker().Update(With(Task("A"), State::kCancelled), By("an", "2025-08-20"))),
            "tracker.reason_required");
  ASSERT_TRUE(tracker().Update(With(Task("A"), State::kCancelled),
                               By("an", "2025-08-20", "Không còn phù hợp")));
  EXPECT_EQ(CodeOf(tracker().Update(With(Task("A"), State::kInProgress),
                                    By("an", "2025-08-21", "Khôi phục"))),
            "tracker.invalid_transition");

  Item kind = Target("B");
  kind.state = State::kCompleted;
  kind.completed_at = D("2025-08-10");
  EXPECT_EQ(CodeOf(tracker().Update(kind, By("an", "2025-08-20"))), "tracker.invalid_transition");
}

TEST_F(Lifecycle, AdjustmentsNeedReasonAndApprovalAndKeepHistory) {
  ASSERT_TRUE(tracker().Create(With(Task("A"), State::kInProgress), By("an", "2025-08-15")));
  Item later = With(Task("A"), State::kInProgress);
  later.deadline = D("2026-03-31");
  EXPECT_EQ(CodeOf(tracker().Update(later, By("binh", "2025-09-10"))), "tracker.reason_required");
  auto no_approval = tracker().Update(later, By("binh", "2025-09-10", "Chờ kinh phí"));
  ASSERT_FALSE(no_approval);
  EXPECT_EQ(no_approval.error().code, "tracker.approval_required");
  EXPECT_EQ(no_approval.error().message.rfind("approval: ", 0), 0u);
  auto adjusted = tracker().Update(
      later, By("binh", "2025-09-10", "Chờ kinh phí", "Văn bản số 123/UBND-KT ngày 01/09/2025"));
  ASSERT_TRUE(adjusted) << adjusted.error().message;
  EXPECT_TRUE(adjusted->adjusted);

  // A change that is not an adjustment needs neither.
  Item sector = later;
  sector.sector = "Khoa học và Công nghệ";
  auto plain = tracker().Update(sector, By("chi", "2025-09-12"));
  ASSERT_TRUE(plain) << plain.error().message;
  EXPECT_TRUE(plain->adjusted);  // an earlier version was

  auto r = tracker().Get("A", D("2025-09-30"));
  ASSERT_TRUE(r);
  ASSERT_EQ(r->history.size(), 3u);
  EXPECT_FALSE(r->history[0].adjusted);
  const Version& v = r->history[1];
  EXPECT_TRUE(v.adjusted);
  EXPECT_EQ(v.reason, "Chờ kinh phí");
  EXPECT_EQ(v.approval, "Văn bản số 123/UBND-KT ngày 01/09/2025");
  ASSERT_EQ(v.changes.size(), 1u);
  EXPECT_EQ(v.changes[0], (FieldChange{"deadline", "2025-12-31", "2026-03-31"}));
  EXPECT_FALSE(r->history[2].adjusted);
  EXPECT_EQ(r->history[2].changes[0].field, "sector");

  // Before the adjustment took effect, the item was not adjusted yet.
  auto before = tracker().Get("A", D("2025-09-01"));
  ASSERT_TRUE(before);
  EXPECT_EQ(before->version, 1);
  EXPECT_FALSE(before->adjusted);
  EXPECT_EQ(before->item.deadline, D("2025-12-31"));

  for (auto change :
       {+[](Item& i) { i.title = "Tiêu đề mới"; }, +[](Item& i) { i.expected_product = "Báo cáo"; },
        +[](Item& i) { i.lead_unit = "80.STC"; }}) {
    Item next = sector;
    change(next);
    EXPECT_EQ(CodeOf(tracker().Update(next, By("chi", "2025-09-15"))), "tracker.reason_required");
  }
}

TEST_F(Lifecycle, EffectiveDatesNeverGoBackAndVersionsLock) {
  ASSERT_TRUE(tracker().Create(Task("A"), By("an", "2025-08-20")));
  auto early = tracker().Update(With(Task("A"), State::kInProgress), By("an", "2025-08-19"));
  ASSERT_FALSE(early);
  EXPECT_EQ(early.error().code, "tracker.invalid_date");

  Change stale = By("an", "2025-08-21");
  stale.expected = 2;
  EXPECT_EQ(CodeOf(tracker().Update(With(Task("A"), State::kInProgress), stale)),
            "tracker.version_conflict");
  stale.expected = 1;
  EXPECT_TRUE(tracker().Update(With(Task("A"), State::kInProgress), stale));

  // The same item again adds no version.
  auto same = tracker().Update(With(Task("A"), State::kInProgress), By("an", "2025-08-22"));
  ASSERT_TRUE(same);
  EXPECT_EQ(same->version, 2);
  // Spaces and Unicode forms do not make a change either.
  Item spaced = With(Task("A"), State::kInProgress);
  spaced.title = "  Xây dựng kho dữ liệu   dùng chung của tỉnh ";
  auto normalized = tracker().Update(spaced, By("an", "2025-08-22"));
  ASSERT_TRUE(normalized) << normalized.error().message;
  EXPECT_EQ(normalized->version, 2);
}

TEST_F(Lifecycle, StatusesAreDerivedAroundTheDeadline) {
  ASSERT_TRUE(tracker().Create(With(Task("A"), State::kInProgress), By("an", "2025-08-15")));
  ASSERT_TRUE(tracker().Create(With(Task("B"), State::kInProgress), By("an", "2025-08-15")));
  ASSERT_TRUE(tracker().Create(Task("C"), By("an", "2025-08-15")));
  ASSERT_TRUE(tracker().Create(Task("D"), By("an", "2025-08-15")));
  ASSERT_TRUE(tracker().Update(With(Task("D"), State::kCancelled), By("an", "2025-09-01", "Gộp")));

  auto status = [&](const char* code, const char* date) {
    auto r = tracker().Get(code, D(date));
    EXPECT_TRUE(r) << r.error().message;
    return r ? r->status : Derived::kCancelled;
  };
  EXPECT_EQ(status("A", "2025-12-31"), Derived::kInProgress);
  EXPECT_EQ(status("A", "2026-01-01"), Derived::kOverdue);
  EXPECT_EQ(status("C", "2025-12-31"), Derived::kNotStarted);
  EXPECT_EQ(status("C", "2026-01-01"), Derived::kOverdue);
  EXPECT_EQ(status("D", "2026-01-01"), Derived::kCancelled);

  Today("2026-01-05");
  ASSERT_TRUE(
      tracker().Update(With(Task("A"), State::kCompleted, "2025-12-31"), By("an", "2025-12-31")));
  ASSERT_TRUE(
      tracker().Update(With(Task("B"), State::kCompleted, "2026-01-02"), By("an", "2026-01-02")));
  EXPECT_EQ(status("A", "2026-01-05"), Derived::kCompletedOnTime);
  EXPECT_EQ(status("B", "2026-01-05"), Derived::kCompletedLate);
  // As of a date before completion, the version then in force.
  EXPECT_EQ(status("A", "2025-12-30"), Derived::kInProgress);
  EXPECT_EQ(status("B", "2026-01-01"), Derived::kOverdue);

  // A recurring task without a deadline is never overdue.
  Item recurring = Task("R");
  recurring.deadline.reset();
  recurring.recurrence = Recurrence::kMonthly;
  ASSERT_TRUE(tracker().Create(recurring, By("an", "2025-08-15")));
  EXPECT_EQ(status("R", "2030-01-01"), Derived::kNotStarted);
}

TEST_F(Lifecycle, ListFiltersSearchesAndPages) {
  Item a = With(Task("NV-01"), State::kInProgress);
  ASSERT_TRUE(tracker().Create(a, By("an", "2025-08-15")));
  Item b = Task("NV-02");
  b.title = "Số hóa hồ sơ đất đai";
  b.sector = "Nông nghiệp và Môi trường";
  b.lead_unit = "80.SNNMT";
  b.deadline = D("2025-08-31");
  ASSERT_TRUE(tracker().Create(b, By("an", "2025-08-15")));
  ASSERT_TRUE(tracker().Create(Target("CT-01"), By("an", "2025-08-15")));
  ASSERT_TRUE(tracker().Create(Task("NV-03"), By("an", "2025-10-01")));  // later

  auto codes = [&](Filter f, const char* as_of = "2025-09-15") {
    std::vector<std::string> out;
    auto page = tracker().List(f, D(as_of));
    EXPECT_TRUE(page) << page.error().message;
    if (page) {
      for (const auto& r : page->items) out.push_back(r.item.code);
    }
    return out;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(codes({}), (V{"CT-01", "NV-01", "NV-02"}));
  EXPECT_EQ(codes({}, "2025-10-01"), (V{"CT-01", "NV-01", "NV-02", "NV-03"}));
  EXPECT_EQ(codes({.kind = ItemKind::kTarget}), V{"CT-01"});
  EXPECT_EQ(codes({.unit = "80.SNNMT"}), V{"NV-02"});
  EXPECT_EQ(codes({.status = Derived::kOverdue}), V{"NV-02"});
  EXPECT_EQ(codes({.status = Derived::kInProgress}), V{"NV-01"});
  EXPECT_EQ(codes({.q = "DAT DAI"}), V{"NV-02"});
  EXPECT_EQ(codes({.q = "nông nghiệp"}), V{"NV-02"});

  auto first = tracker().List({.limit = 2}, D("2025-09-15"));
  ASSERT_TRUE(first);
  ASSERT_EQ(first->items.size(), 2u);
  EXPECT_EQ(first->next, "NV-01");
  EXPECT_EQ(codes({.after = first->next, .limit = 2}), V{"NV-02"});
  EXPECT_EQ(CodeOf(tracker().List({.limit = 0}, D("2025-09-15"))), "tracker.invalid_field");
}

}  // namespace
}  // namespace pdh::tracker::testing
