// The demo province's catalog: the October 2025 report's figures come out of the history,
// earlier dates show less, and every run writes the same catalog.
#include <sstream>

#include "catalog/test_support.h"

namespace pdh::catalog::testing {
namespace {

using Demo = CatalogTest;

std::string Export(Catalog& c) {
  std::ostringstream out;
  EXPECT_TRUE(c.ExportCsv(out));
  return out.str();
}

TEST_F(Demo, ReproducesTheReportAndEarlierDatesShowLess) {
  auto demo = GenerateDemo(catalog(), registry());
  ASSERT_TRUE(demo) << demo.error().message;
  EXPECT_EQ((*demo)["platforms"], 35u);
  EXPECT_EQ((*demo)["databases"], 112u);
  EXPECT_EQ((*demo)["national"], 16u);

  auto report = catalog().SummaryAsOf(D("2025-10-31"));
  ASSERT_TRUE(report) << report.error().message;
  // The report's figures; how many databases reach the IOC is not one of them.
  Counts figures{.platforms = 35,
                 .platforms_in_use = 35,
                 .databases = 112,
                 .databases_planned = 0,
                 .databases_under_construction = 43,
                 .databases_in_use = 69,
                 .databases_merged = 35,
                 .databases_not_merged = 34,
                 .national = 16,
                 .national_connected = 13};
  figures.databases_ioc_connected = report->total.databases_ioc_connected;
  EXPECT_EQ(report->total, figures);

  // The groups add up to the total.
  int64_t by_sector = 0, by_owner = 0;
  for (const auto& [sector, c] : report->by_sector) by_sector += c.databases_in_use;
  for (const auto& [owner, c] : report->by_owner) by_owner += c.databases_in_use;
  EXPECT_EQ(by_sector, 69);
  EXPECT_EQ(by_owner, 69);
  EXPECT_GT(report->by_sector.size(), 10u);
  EXPECT_TRUE(report->by_owner.contains("80.SYT"));

  auto mid = catalog().SummaryAsOf(D("2025-06-30"));
  ASSERT_TRUE(mid);
  EXPECT_LT(mid->total.databases_in_use, 69);
  EXPECT_EQ(mid->total.databases_merged, 0);  // consolidation began after the merger
  EXPECT_LT(mid->total.national_connected, 13);
  auto start = catalog().SummaryAsOf(D("2024-01-31"));
  ASSERT_TRUE(start);
  EXPECT_LT(start->total.databases_in_use, mid->total.databases_in_use);
  EXPECT_LT(start->total.databases, 112);

  // Events after the report date change later figures only.
  auto later = catalog().SummaryAsOf(D("2025-12-31"));
  ASSERT_TRUE(later);
  EXPECT_GT(later->total.databases_merged, 35);
  EXPECT_EQ(later->total.national_connected, 14);
}

TEST_F(Demo, EntriesArePlausibleAndSearchable) {
  ASSERT_TRUE(GenerateDemo(catalog(), registry()));
  auto population = catalog().List({.q = "co so du lieu quoc gia ve dan cu"});
  ASSERT_TRUE(population);
  ASSERT_EQ(population->items.size(), 1u);
  EXPECT_EQ(population->items[0].entry.owner, "80.CAT");
  auto merged =
      catalog().List({.kind = Kind::kDatabase, .status = EntryStatus::kInUse, .limit = 1000});
  ASSERT_TRUE(merged);
  bool former_provinces = false;
  for (const auto& r : merged->items) {
    for (const auto& s : r.entry.source_systems) {
      former_provinces |= s.starts_with("Long An (cũ)") || s.starts_with("Tây Ninh (cũ)");
    }
  }
  EXPECT_TRUE(former_provinces);
  // Communes own the databases they started after the reform.
  auto report = catalog().SummaryAsOf(D("2025-10-31"));
  ASSERT_TRUE(report);
  int communes = 0;
  for (const auto& [owner, c] : report->by_owner) communes += !owner.starts_with("80.");
  EXPECT_EQ(communes, 6);
  // A merge carries its reason in the history.
  auto merged_one = catalog().List({.q = "", .limit = 1000});
  ASSERT_TRUE(merged_one);
  bool reasoned = false;
  for (const auto& r : merged_one->items) {
    if (r.entry.consolidation != Consolidation::kMerged) continue;
    auto full = catalog().Get(r.entry.code);
    ASSERT_TRUE(full);
    reasoned = !full->history.back().reason.empty();
    break;
  }
  EXPECT_TRUE(reasoned);
}

TEST_F(Demo, GeneratingTwiceWritesTheSameCatalog) {
  ASSERT_TRUE(GenerateDemo(catalog(), registry()));
  auto other = OpenCopy(Name() + "-again");
  Catalog again(other->catalog(), *registry_, clock_);
  ASSERT_TRUE(GenerateDemo(again, registry()));
  EXPECT_EQ(Export(catalog()), Export(again));
  for (const char* date : {"2024-06-30", "2025-06-30", "2025-10-31"}) {
    auto a = store_->catalog().AsOf(date);
    auto b = other->catalog().AsOf(date);
    ASSERT_TRUE(a && b);
    ASSERT_EQ(a->size(), b->size());
    for (size_t i = 0; i < a->size(); ++i) {
      EXPECT_EQ((*a)[i].snapshot, (*b)[i].snapshot);
      EXPECT_EQ((*a)[i].effective_date, (*b)[i].effective_date);
      EXPECT_EQ((*a)[i].number, (*b)[i].number);
    }
  }
  // The whole demo reads back from its export unchanged.
  std::istringstream in(Export(again));
  ImportOptions options;
  options.actor = "an";
  auto same = catalog().ImportCsv(in, options);
  ASSERT_TRUE(same) << same.error().message;
  EXPECT_TRUE(same->errors.empty());
  EXPECT_EQ(same->unchanged, 35u + 16u + 112u);
  // A second run into the same catalog is refused rather than doubling it.
  EXPECT_EQ(CodeOf(GenerateDemo(catalog(), registry())), "catalog.duplicate_code");
}

}  // namespace
}  // namespace pdh::catalog::testing
