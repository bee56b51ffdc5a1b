// The demo province's register: the October 2025 report's figures come out of the histories,
// earlier dates show less, units rank differently by their reports, adjustments and assignment
// chains are there, and every run writes the same register.
#include <chrono>
#include <sstream>

#include "tracker/test_support.h"

namespace pdh::tracker::testing {
namespace {

class Demo : public TrackerTest {
 protected:
  // The demo, generated once for the suite into a database of its own (read only afterwards).
  static void SetUpTestSuite() {
    TrackerTest::SetUpTestSuite();
    if (demo_store_) return;
    auto store = OpenCopy("demo");
    ASSERT_TRUE(store);
    const auto start = std::chrono::steady_clock::now();
    auto r = GenerateDemo(store->tracker(), *store, *registry_);
    seconds_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    ASSERT_TRUE(r) << r.error().code << ": " << r.error().message;
    report_ = new reg::Tally(*r);
    demo_store_ = store.release();
  }

  void SetUp() override {
    TrackerTest::SetUp();
    ASSERT_TRUE(demo_store_);
    demo_ = std::make_unique<Tracker>(
        demo_store_->tracker(), *demo_store_, [] { return *registry_; }, clock_);
  }

  Summary SummaryOn(const char* date) {
    auto s = demo_->SummaryAsOf(D(date));
    EXPECT_TRUE(s) << s.error().message;
    return s ? *s : Summary{};
  }

  static std::string Export(Tracker& t) {
    std::ostringstream out;
    EXPECT_TRUE(t.ExportCsv(out));
    return out.str();
  }

  std::unique_ptr<Tracker> demo_;
  static inline store::Store* demo_store_ = nullptr;
  static inline reg::Tally* report_ = nullptr;
  static inline double seconds_ = 0;
};

TEST_F(Demo, ReproducesTheOctoberReport) {
  EXPECT_EQ((*report_)["programmes"], 2u);
  EXPECT_EQ((*report_)["targets"], 53u);
  EXPECT_EQ((*report_)["tasks"], 166u + 235u);
  EXPECT_GT((*report_)["reports"], 1500u);
  RecordProperty("demo_seconds", std::to_string(seconds_));
  std::cout << "[          ] demo generated in " << seconds_ << " s, " << (*report_)["reports"]
            << " reports\n";

  const Summary s = SummaryOn("2025-10-31");
  ASSERT_TRUE(s.by_level.contains("central"));
  ASSERT_TRUE(s.by_level.contains("province"));
  // Resolution 57 tasks assigned to the province: 166, 90 completed, 76 in progress.
  const Counts& central = s.by_level.at("central").tasks;
  EXPECT_EQ(central.total, 166);
  EXPECT_EQ(central.completed, 90);
  EXPECT_EQ(central.in_progress, 76);
  EXPECT_EQ(central.overdue, 0);
  EXPECT_EQ(central.not_started, 0);
  EXPECT_EQ(s.by_level.at("central").targets.total, 0);
  // What the People's Committee assigned: 53 targets, 32 completed (60.38%); 235 tasks, 88
  // completed (37.45%), the others in progress, overdue or not started.
  const Counts& targets = s.by_level.at("province").targets;
  EXPECT_EQ(targets.total, 53);
  EXPECT_EQ(targets.completed, 32);
  EXPECT_DOUBLE_EQ(targets.completion_rate, 60.38);
  const Counts& tasks = s.by_level.at("province").tasks;
  EXPECT_EQ(tasks.total, 235);
  EXPECT_EQ(tasks.completed, 88);
  EXPECT_DOUBLE_EQ(tasks.completion_rate, 37.45);
  EXPECT_GT(tasks.in_progress, 0);
  EXPECT_GT(tasks.overdue, 0);
  EXPECT_GT(tasks.not_started, 0);
  EXPECT_GT(tasks.completed_late + central.completed_late, 0);
  EXPECT_EQ(tasks.in_progress + tasks.overdue + tasks.not_started, 235 - 88);
  EXPECT_FALSE(s.overdue.empty());
  EXPECT_FALSE(s.due_soon.empty());
  EXPECT_GT(s.by_sector.size(), 8u);
}

TEST_F(Demo, EarlierDatesShowLessAndLaterMore) {
  const Summary mid = SummaryOn("2025-06-30");
  EXPECT_LT(mid.by_level.at("central").tasks.completed, 90);
  EXPECT_GT(mid.by_level.at("central").tasks.completed, 0);
  EXPECT_LT(mid.by_level.at("province").tasks.completed, 88);
  EXPECT_LT(mid.by_level.at("province").tasks.total, 235);  // communes' tasks came in July
  EXPECT_LT(mid.by_level.at("province").targets.completed, 32);
  // Before the province's plan only the centre's tasks were there.
  const Summary start = SummaryOn("2025-01-31");
  EXPECT_FALSE(start.by_level.contains("province") &&
               start.by_level.at("province").tasks.total > 0);
  EXPECT_GT(start.by_level.at("central").tasks.total, 0);
  // Tasks completed in November count later only.
  const Summary later = SummaryOn("2025-11-30");
  EXPECT_GT(later.by_level.at("central").tasks.completed, 90);
}

TEST_F(Demo, UnitsRankDifferentlyByTheirReports) {
  const Summary s = SummaryOn("2025-10-31");
  ASSERT_FALSE(s.ranking.empty());
  std::map<std::string, UnitRank> by_unit;
  for (const auto& r : s.ranking) by_unit[r.unit] = r;
  bool below = false, full = false;
  for (const auto& [unit, r] : by_unit) {
    below |= r.reports_expected > 0 && r.report_rate < 100;
    full |= r.reports_expected > 0 && r.report_rate == 100;
  }
  EXPECT_TRUE(below);
  EXPECT_TRUE(full);
  // The Department of Science and Technology reports on time; Construction late; Ethnic and
  // Religious Affairs not at all.
  ASSERT_TRUE(by_unit.contains("80.SKHCN"));
  EXPECT_DOUBLE_EQ(by_unit["80.SKHCN"].report_rate, 100);
  ASSERT_TRUE(by_unit.contains("80.SXD"));
  EXPECT_GT(by_unit["80.SXD"].reports_late, 0);
  EXPECT_EQ(by_unit["80.SXD"].reports_on_time, 0);
  ASSERT_TRUE(by_unit.contains("80.SDTTG"));
  EXPECT_GT(by_unit["80.SDTTG"].reports_missing, 0);
  EXPECT_EQ(by_unit["80.SDTTG"].reports_on_time + by_unit["80.SDTTG"].reports_late, 0);
  // Communes are ranked too.
  int communes = 0;
  for (const auto& [unit, r] : by_unit) communes += !unit.starts_with("80");
  EXPECT_GE(communes, 10);

  // Reports were sent during 2025, by the 25th mostly.
  auto owed = demo_->Obligations(D("2025-10-31"));
  ASSERT_TRUE(owed);
  size_t on_time = 0, late = 0, missing = 0;
  for (const auto& o : *owed) {
    on_time += o.timeliness == Timeliness::kOnTime;
    late += o.timeliness == Timeliness::kLate;
    missing += o.timeliness == Timeliness::kMissing;
    if (o.report) {
      EXPECT_TRUE(o.report->submitted_at.starts_with("2025-")) << o.report->submitted_at;
      EXPECT_TRUE(o.report->submitted_at.starts_with(o.month)) << o.task << " " << o.month;
    }
  }
  EXPECT_GT(on_time, 4 * (late + missing));
  EXPECT_GT(late, 0u);
  EXPECT_GT(missing, 0u);
  EXPECT_EQ(owed->front().month, "2025-01");
}

TEST_F(Demo, HistoriesCarryAdjustmentsAndAssignmentChains) {
  Filter all;
  all.limit = 1000;
  auto page = demo_->List(all, D("2025-12-31"));
  ASSERT_TRUE(page);
  ASSERT_EQ(page->items.size(), 166u + 53u + 235u);
  size_t adjusted = 0, chained = 0, recurring = 0, communes = 0;
  for (const auto& r : page->items) {
    adjusted += r.adjusted;
    chained += !r.item.parent.empty();
    recurring += r.item.recurrence != Recurrence::kNone;
    communes += !r.item.lead_unit.starts_with("80");
    EXPECT_FALSE(r.item.leader.name.empty()) << r.item.code;
    EXPECT_FALSE(r.item.expected_product.empty()) << r.item.code;
  }
  EXPECT_GE(adjusted, 3u);
  EXPECT_GT(chained, 100u);
  EXPECT_EQ(recurring, 20u);
  EXPECT_EQ(communes, 30u);

  // An adjustment: the deadline moved later, with its reason and approval.
  bool seen = false;
  for (const auto& r : page->items) {
    if (!r.adjusted) continue;
    auto full = demo_->Get(r.item.code, D("2025-12-31"));
    ASSERT_TRUE(full);
    for (const auto& v : full->history) {
      EXPECT_TRUE(v.recorded_at.starts_with("2024-") || v.recorded_at.starts_with("2025-"))
          << v.recorded_at;
      if (!v.adjusted) continue;
      seen = true;
      EXPECT_FALSE(v.reason.empty());
      EXPECT_TRUE(v.approval.starts_with("Văn bản số ")) << v.approval;
      EXPECT_GT(*v.item.deadline, *full->history.front().item.deadline);
    }
    break;
  }
  EXPECT_TRUE(seen);

  // Centre -> province: tasks of Resolution 57 and what the province assigned from them.
  std::map<std::string, size_t> assigned_from;
  for (const auto& r : page->items) {
    if (!r.item.parent.empty()) ++assigned_from[r.item.parent];
  }
  EXPECT_GT(assigned_from.size(), 30u);
  const auto& [parent, count] = *assigned_from.begin();
  EXPECT_TRUE(parent.starts_with("NQ57-"));
  auto children = demo_->Children(parent, D("2025-12-31"));
  ASSERT_TRUE(children);
  EXPECT_EQ(children->size(), count);
  for (const auto& c : *children) EXPECT_EQ(c.item.level, Level::kProvince);
}

TEST_F(Demo, GeneratingTwiceWritesTheSameRegister) {
  auto other = OpenCopy(Name() + "-again");
  ASSERT_TRUE(other);
  auto again = GenerateDemo(other->tracker(), *other, *registry_);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ((*again)["reports"], (*report_)["reports"]);
  Tracker copy(
      other->tracker(), *other, [] { return *registry_; }, clock_);
  EXPECT_EQ(Export(copy), Export(*demo_));
  for (const char* date : {"2025-03-31", "2025-10-31"}) {
    auto a = demo_->Obligations(D(date));
    auto b = copy.Obligations(D(date));
    ASSERT_TRUE(a && b);
    ASSERT_EQ(a->size(), b->size());
    for (size_t i = 0; i < a->size(); ++i) {
      EXPECT_EQ((*a)[i].task, (*b)[i].task);
      EXPECT_EQ((*a)[i].timeliness, (*b)[i].timeliness);
      if ((*a)[i].report && (*b)[i].report) {
        EXPECT_EQ(ToJson(*(*a)[i].report), ToJson(*(*b)[i].report));
      }
    }
  }
  // A second run into the same register is refused rather than doubling it.
  auto twice = GenerateDemo(other->tracker(), *other, *registry_);
  EXPECT_FALSE(twice);
}

}  // namespace
}  // namespace pdh::tracker::testing
