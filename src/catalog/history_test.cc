// History and figures: every version says who, when and why with its field changes; the
// summary as of a date counts the versions in force then; search ignores diacritics.
#include <boost/json/serialize.hpp>

#include "catalog/test_support.h"

namespace pdh::catalog::testing {
namespace {

using History = CatalogTest;

TEST_F(History, VersionsSayWhoWhenWhyAndWhatChanged) {
  ASSERT_TRUE(catalog().Create(Database("CSDL-01"), By("an", "2024-03-01")));
  clock_.Advance(std::chrono::hours(1));
  ASSERT_TRUE(catalog().Update(UnderConstruction(Database("CSDL-01")), By("binh", "2024-06-01")));
  Entry renamed = UnderConstruction(Database("CSDL-01"));
  renamed.name = "Cơ sở dữ liệu y tế";
  ASSERT_TRUE(catalog().Update(renamed, By("chi", "2024-06-01", "Đổi tên theo quyết định")));

  auto r = catalog().Get("CSDL-01");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->version, 3);
  EXPECT_EQ(r->entry.name, "Cơ sở dữ liệu y tế");
  ASSERT_EQ(r->history.size(), 3u);
  const Version& first = r->history[0];
  EXPECT_EQ(first.number, 1);
  EXPECT_EQ(first.actor, "an");
  EXPECT_EQ(first.effective, D("2024-03-01"));
  EXPECT_EQ(first.recorded_at, "2025-11-15T08:00:00Z");
  EXPECT_FALSE(first.changes.empty());  // every field set at creation

  const Version& second = r->history[1];
  EXPECT_EQ(second.actor, "binh");
  EXPECT_EQ(second.recorded_at, "2025-11-15T09:00:00Z");
  ASSERT_EQ(second.changes.size(), 2u);
  EXPECT_EQ(second.changes[0], (FieldChange{"status", "planned", "under_construction"}));
  EXPECT_EQ(second.changes[1].field, "legal_basis");
  EXPECT_EQ(second.changes[1].before, "");

  const Version& third = r->history[2];
  EXPECT_EQ(third.reason, "Đổi tên theo quyết định");
  ASSERT_EQ(third.changes.size(), 1u);
  EXPECT_EQ(third.changes[0].field, "name");
  EXPECT_EQ(third.changes[0].before, "Cơ sở dữ liệu hồ sơ sức khỏe điện tử");
  EXPECT_EQ(third.entry, r->entry);

  const auto json = boost::json::serialize(ToJson(*r));
  EXPECT_NE(json.find("\"history\""), std::string::npos);
  EXPECT_NE(json.find("Đổi tên theo quyết định"), std::string::npos);
}

TEST_F(History, SummaryCountsTheVersionsInForceOnTheDate) {
  ASSERT_TRUE(catalog().Create(Platform("NT-01"), By("an", "2024-01-10")));
  ASSERT_TRUE(catalog().Create(UnderConstruction(Database("CSDL-01")), By("an", "2024-02-01")));
  ASSERT_TRUE(catalog().Update(InUse(Database("CSDL-01")), By("an", "2024-09-01")));
  ASSERT_TRUE(
      catalog().Update(InUse(Database("CSDL-01"), Consolidation::kMerged), By("an", "2025-08-01")));
  Entry edu = UnderConstruction(Database("CSDL-02"));
  edu.sector = "Giáo dục và Đào tạo";
  edu.owner = "80.SGDDT";
  ASSERT_TRUE(catalog().Create(edu, By("an", "2025-03-01")));
  Entry connected = National("QG-01");
  ASSERT_TRUE(catalog().Create(connected, By("an", "2024-01-05")));
  connected.status = EntryStatus::kConnected;
  connected.connected_at = D("2025-05-05");
  ASSERT_TRUE(catalog().Update(connected, By("an", "2025-05-05")));

  auto before = catalog().SummaryAsOf(D("2024-01-31"));
  ASSERT_TRUE(before);
  EXPECT_EQ(before->total.platforms, 1);
  EXPECT_EQ(before->total.databases, 0);
  EXPECT_EQ(before->total.national, 1);
  EXPECT_EQ(before->total.national_connected, 0);

  auto mid = catalog().SummaryAsOf(D("2025-06-30"));
  ASSERT_TRUE(mid);
  EXPECT_EQ(mid->total.databases, 2);
  EXPECT_EQ(mid->total.databases_in_use, 1);
  EXPECT_EQ(mid->total.databases_not_merged, 1);
  EXPECT_EQ(mid->total.databases_merged, 0);
  EXPECT_EQ(mid->total.databases_under_construction, 1);
  EXPECT_EQ(mid->total.national_connected, 1);

  auto after = catalog().SummaryAsOf(D("2025-10-31"));
  ASSERT_TRUE(after);
  EXPECT_EQ(after->total.databases_merged, 1);
  EXPECT_EQ(after->total.databases_not_merged, 0);
  EXPECT_EQ(after->by_sector.at("Y tế").databases_merged, 1);
  EXPECT_EQ(after->by_sector.at("Giáo dục và Đào tạo").databases_under_construction, 1);
  EXPECT_EQ(after->by_owner.at("80.SGDDT").databases, 1);
  EXPECT_EQ(after->by_owner.at("80.SKHCN").platforms_in_use, 1);
  EXPECT_EQ(after->by_owner.at("80.CAT").national_connected, 1);
  const auto json = boost::json::serialize(ToJson(*after));
  EXPECT_NE(json.find("\"as_of\":\"2025-10-31\""), std::string::npos);
}

TEST_F(History, SearchIgnoresDiacriticsAndCase) {
  ASSERT_TRUE(catalog().Create(Database("CSDL-SYT-01"), By("an", "2025-01-01")));
  Entry land = Database("CSDL-SNNMT-01");
  land.name = "Cơ sở dữ liệu đất đai";
  land.sector = "Nông nghiệp và Môi trường";
  land.owner = "80.SNNMT";
  land.tags = {"Địa chính"};
  ASSERT_TRUE(catalog().Create(land, By("an", "2025-01-01")));
  ASSERT_TRUE(catalog().Create(Platform("NT-01"), By("an", "2025-01-01")));

  auto codes = [&](Filter f) {
    std::vector<std::string> out;
    auto page = catalog().List(f);
    EXPECT_TRUE(page) << page.error().message;
    if (page) {
      for (const auto& r : page->items) out.push_back(r.entry.code);
    }
    return out;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(codes({.q = "co so du lieu"}), (V{"CSDL-SNNMT-01", "CSDL-SYT-01"}));
  EXPECT_EQ(codes({.q = "DAT DAI"}), V{"CSDL-SNNMT-01"});
  EXPECT_EQ(codes({.q = "nong nghiep"}), V{"CSDL-SNNMT-01"});  // the sector
  EXPECT_EQ(codes({.q = "dia chinh"}), V{"CSDL-SNNMT-01"});    // a tag
  EXPECT_EQ(codes({.q = "syt-01"}), V{"CSDL-SYT-01"});         // the code
  EXPECT_EQ(codes({.q = "100%"}), V{});                        // LIKE characters are literal
  EXPECT_EQ(codes({.tag = "ioc"}), V{"CSDL-SYT-01"});
  EXPECT_EQ(codes({.kind = Kind::kPlatform}), V{"NT-01"});
  EXPECT_EQ(codes({.status = EntryStatus::kPlanned, .owner = "80.SNNMT"}), V{"CSDL-SNNMT-01"});
  EXPECT_EQ(codes({.sector = "Y tế"}), V{"CSDL-SYT-01"});
}

TEST_F(History, ListPagesByCode) {
  for (const char* code : {"A-1", "A-2", "A-3"}) {
    ASSERT_TRUE(catalog().Create(Database(code), By("an", "2025-01-01")));
  }
  auto first = catalog().List({.limit = 2});
  ASSERT_TRUE(first);
  ASSERT_EQ(first->items.size(), 2u);
  EXPECT_EQ(first->next, "A-2");
  auto second = catalog().List({.after = first->next, .limit = 2});
  ASSERT_TRUE(second);
  ASSERT_EQ(second->items.size(), 1u);
  EXPECT_EQ(second->items[0].entry.code, "A-3");
  EXPECT_EQ(second->next, "");
  EXPECT_EQ(CodeOf(catalog().List({.limit = 0})), "catalog.invalid");
}

TEST_F(History, EntriesRoundTripThroughJson) {
  Entry e = InUse(Database("CSDL-01"), Consolidation::kMerged);
  e.source_systems = {"Long An (cũ): phần mềm quản lý", "Tây Ninh (cũ): phần mềm quản lý"};
  e.links = {{LinkKind::kRunsOn, "NT-01"}};
  auto back = EntryFromJson(ToJson(e));
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, e);
  auto json = ToJson(e);
  json["colour"] = "blue";
  EXPECT_EQ(CodeOf(EntryFromJson(json)), "catalog.invalid_field");
  json.erase("colour");
  json["record_count"] = "many";
  EXPECT_EQ(CodeOf(EntryFromJson(json)), "catalog.invalid_field");
  json.erase("kind");
  EXPECT_EQ(CodeOf(EntryFromJson(json)), "catalog.missing_field");
}

}  // namespace
}  // namespace pdh::catalog::testing
