// What the catalog tests share: the real units of province 80 imported once into a template
// database, copied afresh for each test, and valid entries of each kind to start from.
#pragma once

#include <memory>
#include <string>

#include "catalog/catalog.h"
#include "units/test_support.h"

namespace pdh::catalog::testing {

using units::testing::CodeOf;
using units::testing::D;

class CatalogTest : public units::testing::UnitsTest {
 protected:
  void SetUp() override {
    ASSERT_TRUE(registry_);
    store_ = OpenCopy(Name());
    catalog_ = std::make_unique<Catalog>(store_->catalog(), *registry_, clock_);
  }

  void TearDown() override {
    catalog_.reset();
    store_.reset();
    RemoveCopy(Name());
  }

  const units::Registry& registry() const { return **registry_; }
  Catalog& catalog() { return *catalog_; }

  static Change By(const char* actor, const char* effective, const char* reason = "") {
    return {actor, reason, D(effective), std::nullopt};
  }

  static Entry Platform(const std::string& code) {
    Entry e;
    e.kind = Kind::kPlatform;
    e.code = code;
    e.name = "Nền tảng tích hợp, chia sẻ dữ liệu tỉnh";
    e.sector = "Khoa học và Công nghệ";
    e.owner = "80.SKHCN";
    e.status = EntryStatus::kInUse;
    e.legal_basis = "Quyết định số 1234/QĐ-UBND";
    e.hosting = "Trung tâm dữ liệu tỉnh";
    e.last_data_update = D("2024-05-01");
    e.contact = "cntt.skhcn@tayninh.gov.vn";
    return e;
  }

  static Entry National(const std::string& code) {
    Entry e;
    e.kind = Kind::kNational;
    e.code = code;
    e.name = "Cơ sở dữ liệu quốc gia về dân cư";
    e.sector = "An ninh, trật tự";
    e.owner = "80.CAT";
    e.status = EntryStatus::kNotConnected;
    return e;
  }

  // A planned database of the health department.
  static Entry Database(const std::string& code) {
    Entry e;
    e.kind = Kind::kDatabase;
    e.code = code;
    e.name = "Cơ sở dữ liệu hồ sơ sức khỏe điện tử";
    e.sector = "Y tế";
    e.owner = "80.SYT";
    e.status = EntryStatus::kPlanned;
    e.tags = {"Y tế", "IOC"};
    return e;
  }

  static Entry UnderConstruction(Entry e) {
    e.status = EntryStatus::kUnderConstruction;
    e.legal_basis = "Quyết định số 2001/QĐ-UBND";
    return e;
  }

  static Entry InUse(Entry e, Consolidation c = Consolidation::kNotMerged) {
    e = UnderConstruction(std::move(e));
    e.status = EntryStatus::kInUse;
    e.consolidation = c;
    e.hosting = "Trung tâm dữ liệu tỉnh";
    e.last_data_update = D("2025-01-15");
    e.contact = "cntt.syt@tayninh.gov.vn";
    e.record_count = 125000;
    return e;
  }

  ManualClock clock_{*ParseTime("2025-11-15T08:00:00Z")};
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Catalog> catalog_;
};

// Import options as `actor`, effective 2025-09-01 for rows without a date.
inline ImportOptions As(const char* actor, bool dry_run = false) {
  ImportOptions o;
  o.actor = actor;
  o.dry_run = dry_run;
  o.effective = D("2025-09-01");
  return o;
}

}  // namespace pdh::catalog::testing
