// The demo's dossiers and feedback: generated month by month and ingested as batches, old
// commune codes before July 2025 resolved through the crosswalk, the 2025 shares as reported.
#include <gtest/gtest.h>

#include "ingest/test_support.h"

namespace pdh::ingest {
namespace {

using testing::IngestTest;

TEST_F(IngestTest, DemoRecordsArriveThroughBatches) {
  auto summary = GenerateDemo(datasets(), registry(), "80", "2025-11-01T00:00:00Z");
  ASSERT_TRUE(summary) << summary.error().message;
  EXPECT_GT(summary->dossiers, 100000);
  EXPECT_GT(summary->feedback, 5000);
  auto dossiers = LoadDataset(datasets(), "dossiers");
  ASSERT_TRUE(dossiers);
  EXPECT_EQ(*store().datasets().RowCount("dossiers"), summary->dossiers);
  // One committed batch a month for 24 months, each with its report.
  auto batches = store().datasets().Batches("dossiers", 0, 100);
  ASSERT_TRUE(batches);
  ASSERT_EQ(batches->size(), 24U);
  int64_t old_codes = 0;
  for (const auto& b : *batches) {
    EXPECT_EQ(b.status, "committed");
    auto r = LoadReport(datasets(), b.id);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->rejected, 0);
    old_codes += r->resolved_old_codes;
  }
  EXPECT_GT(old_codes, 1000);  // before July 2025 the communes' old codes
  // Shares of 2025: 99.6% of dossiers submitted online.
  int64_t total = 0;
  int64_t online = 0;
  ASSERT_TRUE(store().datasets().ForEachRecord(dossiers->table, [&](const auto& row) {
    const auto& received = std::get<std::string>(row[5]);
    if (received.compare(0, 4, "2025") != 0) return Ok();
    ++total;
    if (std::get<std::string>(row[6]) == "online") ++online;
    return Ok();
  }));
  ASSERT_GT(total, 0);
  EXPECT_NEAR(100.0 * static_cast<double>(online) / static_cast<double>(total), 99.6, 0.005);
}

}  // namespace
}  // namespace pdh::ingest
