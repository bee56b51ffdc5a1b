// What the tracker tests share: the real units of province 80 imported once into a template
// database, copied afresh for each test; a register with programme NQ57 on a manual clock; and
// valid targets and tasks to start from.
#pragma once

#include <memory>
#include <string>

#include "tracker/tracker.h"
#include "units/test_support.h"

namespace pdh::tracker::testing {

using units::testing::CodeOf;
using units::testing::D;

// The time at 08:00 UTC on an ISO date.
inline TimePoint At(const char* iso_date) {
  return *ParseTime(std::string(iso_date) + "T08:00:00Z");
}

class TrackerTest : public units::testing::UnitsTest {
 protected:
  void SetUp() override {
    ASSERT_TRUE(registry_);
    store_ = OpenCopy(Name());
    ASSERT_TRUE(store_);
    tracker_ = std::make_unique<Tracker>(
        store_->tracker(), *store_, [] { return *registry_; }, clock_);
    auto p = tracker_->AddProgramme(Nq57(), "an");
    ASSERT_TRUE(p) << p.error().message;
  }

  void TearDown() override {
    tracker_.reset();
    store_.reset();
    RemoveCopy(Name());
  }

  Tracker& tracker() { return *tracker_; }
  void Today(const char* iso_date) { clock_.Set(At(iso_date)); }

  static Programme Nq57() {
    return {"NQ57",
            "Nghị quyết 57-NQ/TW về phát triển khoa học, công nghệ, đổi mới sáng tạo",
            "Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị",
            Level::kCentral,
            D("2025-01-01"),
            D("2030-12-31")};
  }

  static Change By(const char* actor, const char* effective, const char* reason = "",
                   const char* approval = "") {
    return {actor, reason, approval, D(effective), std::nullopt};
  }

  // A task of the province's plan for the Department of Science and Technology, assigned on
  // 2025-08-15, due 2025-12-31.
  static Item Task(const std::string& code) {
    Item i;
    i.kind = ItemKind::kTask;
    i.code = code;
    i.programme = "NQ57";
    i.level = Level::kProvince;
    i.title = "Xây dựng kho dữ liệu dùng chung của tỉnh";
    i.sector = "Chuyển đổi số";
    i.lead_unit = "80.SKHCN";
    i.cooperating_units = {"80.STC", "80.VPUB"};
    i.leader = {"Nguyễn Văn A", "Phó Chủ tịch UBND tỉnh"};
    i.assigned_at = D("2025-08-15");
    i.deadline = D("2025-12-31");
    i.expected_product = "Kho dữ liệu dùng chung vận hành";
    return i;
  }

  static Item Target(const std::string& code) {
    Item i = Task(code);
    i.kind = ItemKind::kTarget;
    i.title = "Tỷ lệ hồ sơ trực tuyến toàn trình";
    i.baseline = 45;
    i.target_value = 80;
    i.measure_unit = "%";
    return i;
  }

  static Item With(Item i, State state, const char* completed_at = nullptr) {
    i.state = state;
    if (completed_at) i.completed_at = D(completed_at);
    return i;
  }

  ManualClock clock_{At("2025-09-01")};
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Tracker> tracker_;
};

}  // namespace pdh::tracker::testing
