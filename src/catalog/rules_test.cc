// The catalog's rules: each broken rule answers with its stable code and names the field.
#include "catalog/test_support.h"
#include "register/test_support.h"

namespace pdh::catalog::testing {
namespace {

using Rules = CatalogTest;

TEST_F(Rules, CreatesOneEntryOfEachKind) {
  reg::testing::ExpectCreated(catalog().Create(Platform("NT-01"), By("an", "2024-02-01")),
                              D("2024-02-01"));
  ASSERT_TRUE(catalog().Create(National("QG-01"), By("an", "2024-02-01")));
  ASSERT_TRUE(catalog().Create(InUse(Database("CSDL-01")), By("an", "2024-02-01")));
}

// Each status needs more fields; the error names the one missing.
TEST_F(Rules, MissingFieldNamesTheField) {
  using reg::testing::Missing;
  reg::testing::ExpectEachRefusedNamingTheField<Entry>(
      {
          Missing("name", Database("A"), [](Entry& e) { e.name.clear(); }),
          Missing("sector", Database("A"), [](Entry& e) { e.sector.clear(); }),
          Missing("owner", Database("A"), [](Entry& e) { e.owner.clear(); }),
          Missing("legal_basis", UnderConstruction(Database("A")),
                  [](Entry& e) { e.legal_basis.clear(); }),
          Missing("hosting", InUse(Database("A")), [](Entry& e) { e.hosting.clear(); }),
          Missing("last_data_update", InUse(Database("A")),
                  [](Entry& e) { e.last_data_update.reset(); }),
          Missing("contact", InUse(Database("A")), [](Entry& e) { e.contact.clear(); }),
          Missing("record_count", InUse(Database("A")), [](Entry& e) { e.record_count.reset(); }),
          Missing("consolidation", InUse(Database("A")),
                  [](Entry& e) { e.consolidation = Consolidation::kNone; }),
          Missing("hosting", Platform("A"), [](Entry& e) { e.hosting.clear(); }),
          Missing("connected_at", National("A"),
                  [](Entry& e) { e.status = EntryStatus::kConnected; }),
      },
      "catalog.missing_field",
      [&](const Entry& e) { return catalog().Create(e, By("an", "2025-01-20")); });
}

TEST_F(Rules, InvalidFieldsAreNamed) {
  Entry bad_code = Database("CSDL 01");
  EXPECT_EQ(CodeOf(catalog().Create(bad_code, By("an", "2025-01-01"))), "catalog.invalid_field");
  Entry wrong_status = Database("A");
  wrong_status.status = EntryStatus::kConnected;
  EXPECT_EQ(CodeOf(catalog().Create(wrong_status, By("an", "2025-01-01"))),
            "catalog.invalid_field");
  Entry platform_merged = Platform("B");
  platform_merged.consolidation = Consolidation::kMerged;
  EXPECT_EQ(CodeOf(catalog().Create(platform_merged, By("an", "2025-01-01"))),
            "catalog.invalid_field");
  Entry negative = InUse(Database("C"));
  negative.record_count = -1;
  EXPECT_EQ(CodeOf(catalog().Create(negative, By("an", "2025-01-01"))), "catalog.invalid_field");
  Entry connected_platform = Platform("D");
  connected_platform.connected_at = D("2025-01-01");
  EXPECT_EQ(CodeOf(catalog().Create(connected_platform, By("an", "2025-01-01"))),
            "catalog.invalid_field");
}

TEST_F(Rules, MergedOnlyOnceInUse) {
  Entry e = UnderConstruction(Database("CSDL-01"));
  e.consolidation = Consolidation::kMerged;
  auto r = catalog().Create(e, By("an", "2025-01-01"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "catalog.invalid_transition");
  EXPECT_NE(r.error().message.find("consolidation"), std::string::npos);
}

TEST_F(Rules, ForwardOneStepAtATime) {
  ASSERT_TRUE(catalog().Create(Database("CSDL-01"), By("an", "2024-01-10")));
  EXPECT_EQ(CodeOf(catalog().Update(InUse(Database("CSDL-01")), By("an", "2024-02-01"))),
            "catalog.invalid_transition");
  ASSERT_TRUE(catalog().Update(UnderConstruction(Database("CSDL-01")), By("an", "2024-02-01")));
  ASSERT_TRUE(catalog().Update(InUse(Database("CSDL-01")), By("an", "2024-09-01")));
  auto merged =
      catalog().Update(InUse(Database("CSDL-01"), Consolidation::kMerged), By("an", "2025-08-01"));
  ASSERT_TRUE(merged) << merged.error().message;
  EXPECT_EQ(merged->version, 4);
}

TEST_F(Rules, KindAndCodeNeverChange) {
  ASSERT_TRUE(catalog().Create(InUse(Database("X-1")), By("an", "2024-01-10")));
  Entry as_platform = Platform("X-1");
  EXPECT_EQ(CodeOf(catalog().Update(as_platform, By("an", "2024-02-01"))),
            "catalog.invalid_transition");
}

TEST_F(Rules, GoingBackNeedsAReason) {
  ASSERT_TRUE(
      catalog().Create(InUse(Database("CSDL-01"), Consolidation::kMerged), By("an", "2025-08-01")));
  const Entry unmerged = InUse(Database("CSDL-01"));
  EXPECT_EQ(CodeOf(catalog().Update(unmerged, By("an", "2025-08-02"))), "catalog.reason_required");
  const Entry rebuilt = UnderConstruction(Database("CSDL-01"));
  EXPECT_EQ(CodeOf(catalog().Update(rebuilt, By("an", "2025-08-02"))), "catalog.reason_required");
  auto r = catalog().Update(rebuilt, By("an", "2025-08-02", "Nâng cấp nền tảng"));
  ASSERT_TRUE(r) << r.error().message;

  Entry connected = National("QG-01");
  connected.status = EntryStatus::kConnected;
  connected.connected_at = D("2025-03-01");
  ASSERT_TRUE(catalog().Create(connected, By("an", "2025-03-01")));
  EXPECT_EQ(CodeOf(catalog().Update(National("QG-01"), By("an", "2025-04-01"))),
            "catalog.reason_required");
  EXPECT_TRUE(catalog().Update(National("QG-01"), By("an", "2025-04-01", "Gián đoạn kết nối")));
}

TEST_F(Rules, OwnerMustExistOnTheEffectiveDate) {
  Entry e = Database("CSDL-01");
  e.owner = "80.NOPE";
  auto r = catalog().Create(e, By("an", "2025-01-01"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "catalog.unknown_unit");
  // A commune of the new province exists from 1 July 2025 only.
  const units::Unit* province = registry().Find("80", kReform2025);
  ASSERT_TRUE(province);
  const units::Unit* commune = nullptr;
  for (const auto* c : registry().Children(*province, kReform2025)) {
    if (c->level == units::Level::kCommune) commune = c;
  }
  ASSERT_TRUE(commune);
  e.owner = commune->code;
  if (registry().Find(commune->code, D("2025-01-01")) == nullptr) {
    EXPECT_EQ(CodeOf(catalog().Create(e, By("an", "2025-01-01"))), "catalog.unknown_unit");
  }
  EXPECT_TRUE(catalog().Create(e, By("an", "2025-08-01")));
}

TEST_F(Rules, DuplicateCodeNotFoundAndVersionConflict) {
  ASSERT_TRUE(catalog().Create(Database("CSDL-01"), By("an", "2025-01-01")));
  EXPECT_EQ(CodeOf(catalog().Create(Database("CSDL-01"), By("an", "2025-01-01"))),
            "catalog.duplicate_code");
  EXPECT_EQ(CodeOf(catalog().Update(Database("CSDL-99"), By("an", "2025-01-01"))),
            "catalog.not_found");
  EXPECT_EQ(CodeOf(catalog().Get("CSDL-99")), "catalog.not_found");
  Change stale = By("an", "2025-02-01");
  stale.expected = 7;
  EXPECT_EQ(CodeOf(catalog().Update(UnderConstruction(Database("CSDL-01")), stale)),
            "catalog.version_conflict");
  stale.expected = 1;
  EXPECT_TRUE(catalog().Update(UnderConstruction(Database("CSDL-01")), stale));
}

TEST_F(Rules, EffectiveDatesNeverGoBack) {
  ASSERT_TRUE(catalog().Create(Database("CSDL-01"), By("an", "2025-03-01")));
  EXPECT_EQ(
      CodeOf(catalog().Update(UnderConstruction(Database("CSDL-01")), By("an", "2025-02-01"))),
      "catalog.invalid_date");
}

TEST_F(Rules, LinksGoFromDatabasesToTheRightKind) {
  ASSERT_TRUE(catalog().Create(Platform("NT-01"), By("an", "2024-01-01")));
  ASSERT_TRUE(catalog().Create(National("QG-01"), By("an", "2024-01-01")));
  Entry e = Database("CSDL-01");
  e.links = {{LinkKind::kRunsOn, "QG-01"}};
  EXPECT_EQ(CodeOf(catalog().Create(e, By("an", "2025-01-01"))), "catalog.invalid_link");
  e.links = {{LinkKind::kRunsOn, "NT-404"}};
  EXPECT_EQ(CodeOf(catalog().Create(e, By("an", "2025-01-01"))), "catalog.invalid_link");
  e.links = {{LinkKind::kExchangesWith, "QG-01"}, {LinkKind::kRunsOn, "NT-01"}};
  ASSERT_TRUE(catalog().Create(e, By("an", "2025-01-01")));
  Entry p = Platform("NT-02");
  p.links = {{LinkKind::kRunsOn, "NT-01"}};
  EXPECT_EQ(CodeOf(catalog().Create(p, By("an", "2025-01-01"))), "catalog.invalid_link");

  auto platform = catalog().Get("NT-01");
  ASSERT_TRUE(platform);
  ASSERT_EQ(platform->linked_from.size(), 1u);
  EXPECT_EQ(platform->linked_from[0].target, "CSDL-01");
  EXPECT_EQ(platform->linked_from[0].kind, LinkKind::kRunsOn);
}

TEST_F(Rules, UnchangedUpdateAddsNoVersion) {
  ASSERT_TRUE(catalog().Create(Database("CSDL-01"), By("an", "2025-01-01")));
  Entry same = Database("CSDL-01");
  same.name = "  Cơ sở dữ liệu   hồ sơ sức khỏe điện tử ";  // the same once spaces are collapsed
  auto r = catalog().Update(same, By("binh", "2025-02-01"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->version, 1);
}

}  // namespace
}  // namespace pdh::catalog::testing
