// Tracker store: versions are written in one transaction or not at all and must follow the
// current one; the as-of query picks the version in force; a report's first submission is kept
// when it is edited; attachments are counted and their bytes come back as stored.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "store/store.h"
#include "store/test_support.h"

namespace pdh::store {
namespace {

class TrackerStoreTest : public testing::StoreTest {
 protected:
  TrackerStoreTest() : StoreTest("tracker-store") {}
  void SetUp() override {
    StoreTest::SetUp();
    if (HasFatalFailure()) return;
    ASSERT_TRUE(tr().AddProgramme({"NQ57", "{\"code\":\"NQ57\"}"}));
  }
  TrackerStore& tr() { return store_->tracker(); }

  static TrackerWrite Version(const std::string& code, int64_t number, const std::string& effective,
                              const std::string& state, bool adjusted = false) {
    const std::string snapshot = "{\"code\":\"" + code + "\",\"state\":\"" + state + "\"}";
    TrackerWrite w;
    w.item = {code,  "task",       "NQ57",       "",     "province", "80.SKHCN", "Chuyển đổi số",
              state, "2025-12-31", "nv " + code, number, effective,  snapshot};
    w.version = {code,     number, effective, "2025-11-01T00:00:00Z", "an", "", "",
                 adjusted, "[]",   snapshot};
    return w;
  }

  static TrackerReportRow ReportRow(const std::string& code, const std::string& month,
                                    int64_t percent, const std::string& at, const std::string& by) {
    return {code, month, "80.SKHCN", percent, at, at, by, "{\"done\":\"x\"}", {}};
  }
};

TEST_F(TrackerStoreTest, WritesFindsAndListsVersions) {
  ASSERT_TRUE(tr().Write({Version("NV-01", 1, "2025-08-15", "not_started")}));
  ASSERT_TRUE(tr().Write({Version("NV-01", 2, "2025-09-10", "in_progress", true),
                          Version("NV-01", 3, "2025-10-01", "completed")}));
  ASSERT_TRUE(tr().Write({Version("NV-02", 1, "2025-09-20", "not_started")}));

  auto found = tr().Find("NV-01");
  ASSERT_TRUE(found && *found);
  EXPECT_EQ((*found)->version, 3);
  EXPECT_EQ((*found)->state, "completed");
  EXPECT_EQ((*found)->deadline, "2025-12-31");
  EXPECT_TRUE((*found)->adjusted);
  EXPECT_EQ((*found)->first_effective, "2025-08-15");
  auto missing = tr().Find("NV-09");
  ASSERT_TRUE(missing);
  EXPECT_FALSE(*missing);

  auto versions = tr().Versions("NV-01");
  ASSERT_TRUE(versions);
  ASSERT_EQ(versions->size(), 3u);
  EXPECT_FALSE((*versions)[0].adjusted_so_far);
  EXPECT_TRUE((*versions)[1].adjusted);
  EXPECT_TRUE((*versions)[2].adjusted_so_far);
  EXPECT_FALSE((*versions)[2].adjusted);

  auto early = tr().AsOf("2025-09-15");
  ASSERT_TRUE(early);
  ASSERT_EQ(early->size(), 1u);
  EXPECT_EQ((*early)[0].code, "NV-01");
  EXPECT_EQ((*early)[0].number, 2);
  EXPECT_TRUE((*early)[0].adjusted_so_far);
  EXPECT_EQ((*early)[0].first_effective, "2025-08-15");
  EXPECT_EQ(testing::Codes(tr().AsOf("2025-12-31")), (std::vector<std::string>{"NV-01", "NV-02"}));
  auto all = tr().All();
  ASSERT_TRUE(all);
  EXPECT_EQ(all->size(), 2u);
  auto programmes = tr().Programmes();
  ASSERT_TRUE(programmes);
  ASSERT_EQ(programmes->size(), 1u);
  EXPECT_EQ(tr().AddProgramme({"NQ57", "{}"}).error().code, "tracker.duplicate_code");
}

TEST_F(TrackerStoreTest, DuplicatesConflictsAndUnknownProgrammesWriteNothing) {
  ASSERT_TRUE(tr().Write({Version("NV-01", 1, "2025-08-15", "not_started")}));
  EXPECT_EQ(tr().Write({Version("NV-01", 1, "2025-08-15", "not_started")}).error().code,
            "tracker.duplicate_code");
  EXPECT_EQ(tr().Write({Version("NV-01", 3, "2025-08-15", "not_started")}).error().code,
            "tracker.version_conflict");
  EXPECT_EQ(tr().Write({Version("NV-02", 2, "2025-08-15", "not_started")}).error().code,
            "tracker.not_found");
  auto orphan = Version("NV-03", 1, "2025-08-15", "not_started");
  orphan.item.programme = "NQ99";

  // One bad write in a batch undoes the others.
  auto batch = tr().Write({Version("NV-02", 1, "2025-08-15", "not_started"),
                           Version("NV-01", 2, "2025-09-01", "in_progress"), orphan});
  ASSERT_FALSE(batch);
  EXPECT_EQ(batch.error().code, "tracker.unknown_programme");
  auto two = tr().Find("NV-02");
  ASSERT_TRUE(two);
  EXPECT_FALSE(*two);
  EXPECT_EQ((*tr().Find("NV-01"))->version, 1);
}

TEST_F(TrackerStoreTest, ReportsKeepTheirFirstSubmission) {
  ASSERT_TRUE(tr().Write({Version("NV-01", 1, "2025-08-15", "in_progress")}));
  EXPECT_EQ(tr().SaveReport(ReportRow("NV-09", "2025-10", 10, "2025-10-24T08:00:00Z", "an"), {})
                .error()
                .code,
            "tracker.not_found");
  ASSERT_TRUE(tr().SaveReport(ReportRow("NV-01", "2025-10", 40, "2025-10-24T08:00:00Z", "an"), {}));
  ASSERT_TRUE(tr().SaveReport(ReportRow("NV-01", "2025-10", 100, "2025-10-27T08:00:00Z", "binh"),
                              {Version("NV-01", 2, "2025-10-27", "completed")}));
  ASSERT_TRUE(tr().SaveReport(ReportRow("NV-01", "2025-09", 20, "2025-09-20T08:00:00Z", "an"), {}));

  auto reports = tr().Reports({.code = "NV-01"});
  ASSERT_TRUE(reports);
  ASSERT_EQ(reports->size(), 2u);
  const auto& oct = (*reports)[1];
  EXPECT_EQ(oct.month, "2025-10");
  EXPECT_EQ(oct.percent, 100);
  EXPECT_EQ(oct.submitted_at, "2025-10-24T08:00:00Z");
  EXPECT_EQ(oct.updated_at, "2025-10-27T08:00:00Z");
  EXPECT_EQ(oct.submitted_by, "an");
  EXPECT_EQ((*tr().Find("NV-01"))->version, 2);
  EXPECT_EQ(tr().Reports({.month = "2025-09"})->size(), 1u);
  EXPECT_TRUE(tr().Reports({.unit = "80.SYT"})->empty());

  // A report whose item write fails is not saved either.
  auto conflict = tr().SaveReport(ReportRow("NV-01", "2025-11", 10, "2025-11-02T08:00:00Z", "an"),
                                  {Version("NV-01", 2, "2025-11-02", "in_progress")});
  ASSERT_FALSE(conflict);
  EXPECT_EQ(conflict.error().code, "tracker.version_conflict");
  EXPECT_TRUE(tr().Reports({.month = "2025-11"})->empty());
}

TEST_F(TrackerStoreTest, AttachmentsAreCountedAndKeptByteForByte) {
  ASSERT_TRUE(tr().Write({Version("NV-01", 1, "2025-08-15", "in_progress")}));
  const TrackerAttachmentRow a{0, "a.png", "image/png", 9, "2025-10-24T08:00:00Z", "an"};
  const std::string bytes = std::string("\x89PNG\r\n\x1a\n", 8) + '\0';
  EXPECT_EQ(tr().AddAttachment("NV-01", "2025-10", a, bytes, 2).error().code, "tracker.not_found");
  ASSERT_TRUE(tr().SaveReport(ReportRow("NV-01", "2025-10", 40, "2025-10-24T08:00:00Z", "an"), {}));
  auto first = tr().AddAttachment("NV-01", "2025-10", a, bytes, 2);
  ASSERT_TRUE(first) << first.error().message;
  ASSERT_TRUE(tr().AddAttachment("NV-01", "2025-10", a, bytes, 2));
  EXPECT_EQ(tr().AddAttachment("NV-01", "2025-10", a, bytes, 2).error().code, "tracker.too_many");

  auto got = tr().Attachment(*first);
  ASSERT_TRUE(got && *got);
  EXPECT_EQ((*got)->first.name, "a.png");
  EXPECT_EQ((*got)->first.size, 9);
  EXPECT_EQ((*got)->second, bytes);
  auto none = tr().Attachment(*first + 10);
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none);

  auto reports = tr().Reports({.code = "NV-01"});
  ASSERT_TRUE(reports);
  ASSERT_EQ(reports->front().attachments.size(), 2u);
  EXPECT_EQ(reports->front().attachments[0].id, *first);
}

}  // namespace
}  // namespace pdh::store
