// Batches are all or nothing: every edit is checked against the register and the edits before
// it, and either all are written in one transaction or none is.
#include "tracker/test_support.h"

namespace pdh::tracker::testing {
namespace {

using Batch = TrackerTest;

Tracker::BatchEdit Edit(Item item, const char* effective = "2025-08-20") {
  return {std::move(item), {"an", "", "", D(effective), std::nullopt}};
}

TEST_F(Batch, AllOrNothing) {
  Item bad = Task("B");
  bad.lead_unit = "80.NOPE";
  auto r = tracker().ApplyBatch({Edit(Task("A")), Edit(bad), Edit(Task("C"))}, false);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_FALSE(r->written);
  ASSERT_EQ(r->errors.size(), 3u);
  EXPECT_FALSE(r->errors[0]);
  ASSERT_TRUE(r->errors[1]);
  EXPECT_EQ(r->errors[1]->code, "tracker.unknown_unit");
  EXPECT_EQ(r->errors[1]->message.rfind("lead_unit: ", 0), 0u);
  EXPECT_FALSE(r->errors[2]);
  EXPECT_EQ(CodeOf(tracker().Get("A", D("2025-09-01"))), "tracker.not_found");

  bad.lead_unit = "80.SYT";
  r = tracker().ApplyBatch({Edit(Task("A")), Edit(bad), Edit(Task("C"))}, false);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(r->written);
  EXPECT_EQ(r->created, 3u);
  EXPECT_TRUE(tracker().Get("C", D("2025-09-01")));

  // Again: nothing changed, nothing written.
  r = tracker().ApplyBatch({Edit(Task("A")), Edit(bad), Edit(Task("C"))}, false);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->unchanged, 3u);
  EXPECT_FALSE(r->written);
}

TEST_F(Batch, EditsSeeTheEditsBeforeThem) {
  Item parent = Task("P");
  parent.level = Level::kCentral;
  parent.lead_unit = "80";
  Item child = Task("C");
  child.parent = "P";
  auto wrong_order = tracker().ApplyBatch({Edit(child), Edit(parent)}, false);
  ASSERT_TRUE(wrong_order);
  ASSERT_TRUE(wrong_order->errors[0]);
  EXPECT_EQ(wrong_order->errors[0]->code, "tracker.unknown_parent");
  EXPECT_FALSE(wrong_order->written);

  auto r = tracker().ApplyBatch(
      {Edit(parent), Edit(child), Edit(With(child, State::kInProgress), "2025-08-25")}, false);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(r->written);
  EXPECT_EQ(r->created, 2u);
  EXPECT_EQ(r->updated, 1u);
  auto c = tracker().Get("C", D("2025-09-01"));
  ASSERT_TRUE(c);
  EXPECT_EQ(c->version, 2);
  EXPECT_EQ(c->item.state, State::kInProgress);
}

TEST_F(Batch, UpdatesFollowTheRules) {
  ASSERT_TRUE(tracker().Create(With(Task("A"), State::kInProgress), By("an", "2025-08-15")));
  Item moved = With(Task("A"), State::kInProgress);
  moved.deadline = D("2026-06-30");
  Tracker::BatchEdit stale = Edit(With(Task("A"), State::kCompleted, "2025-08-20"));
  stale.change.expected = 7;
  auto r = tracker().ApplyBatch({Edit(moved), stale, Edit(Task("A"))}, false);
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->written);
  ASSERT_TRUE(r->errors[0] && r->errors[1] && r->errors[2]);
  EXPECT_EQ(r->errors[0]->code, "tracker.reason_required");
  EXPECT_EQ(r->errors[0]->message.rfind("reason: ", 0), 0u);
  EXPECT_EQ(r->errors[1]->code, "tracker.version_conflict");
  EXPECT_EQ(r->errors[2]->code, "tracker.invalid_transition");

  Tracker::BatchEdit adjusted = Edit(moved);
  adjusted.change.reason = "Điều chỉnh kế hoạch";
  adjusted.change.approval = "Quyết định số 45/QĐ-UBND";
  r = tracker().ApplyBatch({adjusted}, false);
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->written);
  auto a = tracker().Get("A", D("2025-09-01"));
  ASSERT_TRUE(a);
  EXPECT_TRUE(a->adjusted);
  EXPECT_EQ(a->history.back().approval, "Quyết định số 45/QĐ-UBND");
}

TEST_F(Batch, DryRunChecksAndCountsOnly) {
  ASSERT_TRUE(tracker().Create(Task("A"), By("an", "2025-08-15")));
  auto r = tracker().ApplyBatch(
      {Edit(With(Task("A"), State::kInProgress)), Edit(Task("B")), Edit(Target("C"))}, true);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_FALSE(r->written);
  EXPECT_EQ(r->created, 2u);
  EXPECT_EQ(r->updated, 1u);
  EXPECT_EQ(CodeOf(tracker().Get("B", D("2025-09-01"))), "tracker.not_found");
  EXPECT_EQ(tracker().Get("A", D("2025-09-01"))->version, 1);
}

}  // namespace
}  // namespace pdh::tracker::testing
