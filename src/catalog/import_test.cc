// Bulk import and export: row-level errors name the row, column and reason and write nothing;
// a dry run only reports; an export reads back unchanged.
#include <sstream>

#include "catalog/test_support.h"

namespace pdh::catalog::testing {
namespace {

using Import = CatalogTest;

const char kHeader[] =
    "kind,code,name,sector,owner,status,consolidation,hosting,last_data_update,contact,"
    "legal_basis,record_count,tags,runs_on\n";

Result<ImportReport> ImportText(Catalog& c, const std::string& csv, const ImportOptions& o) {
  std::istringstream in(csv);
  return c.ImportCsv(in, o);
}

int64_t Databases(Catalog& c) {
  auto s = c.SummaryAsOf(D("2030-01-01"));
  return s ? s->total.databases + s->total.platforms : -1;
}

TEST_F(Import, CreatesEntriesAndLinksInAnyOrder) {
  const std::string csv =
      std::string(kHeader) +
      "database,CSDL-01,Cơ sở dữ liệu tiêm chủng,Y tế,80.SYT,in_use,merged,Trung tâm dữ liệu tỉnh,"
      "31/08/2025,cntt@syt,QĐ 1/QĐ-UBND,\"12.500\",IOC; tiêm chủng,NT-01\n"
      "platform,NT-01,Nền tảng y tế số,Y tế,80.SYT,in_use,,Trung tâm dữ liệu tỉnh,2025-08-01,"
      "cntt@syt,QĐ 2/QĐ-UBND,,,\n";
  auto r = ImportText(catalog(), csv, As("an"));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(r->errors.empty()) << r->errors[0].column << ": " << r->errors[0].message;
  EXPECT_EQ(r->rows, 2u);
  EXPECT_EQ(r->created, 2u);
  EXPECT_TRUE(r->written);
  auto db = catalog().Get("CSDL-01");
  ASSERT_TRUE(db);
  EXPECT_EQ(db->entry.record_count, 12500);
  EXPECT_EQ(db->entry.last_data_update, D("2025-08-31"));
  EXPECT_EQ(db->entry.tags, (std::vector<std::string>{"IOC", "tiêm chủng"}));
  EXPECT_EQ(db->effective, D("2025-09-01"));
  EXPECT_EQ(db->history[0].actor, "an");
}

TEST_F(Import, RowErrorsNameRowColumnAndReasonAndWriteNothing) {
  const std::string csv =
      std::string(kHeader) +
      "database,CSDL-01,Cơ sở dữ liệu tiêm chủng,Y tế,80.SYT,planned,,,,,,,,\n"  // valid
      "database,CSDL-02,Cơ sở dữ liệu dược,Y tế,80.SYT,in_use,not_merged,,2025-08-01,a,b,1,,\n"
      "database,CSDL-03,Cơ sở dữ liệu giá,Tài chính,80.XYZ,planned,,,,,,,,\n"
      "database,CSDL-04,Cơ sở dữ liệu đất,Y tế,80.SYT,finished,,,,,,,,\n"
      "database,CSDL-05,\"Cơ sở dữ liệu\nnhiều dòng\",Y tế,80.SYT,planned,,,,,,lots,,\n"
      ",CSDL-06,Cơ sở dữ liệu mới,Y tế,80.SYT,planned,,,,,,,,\n";
  auto r = ImportText(catalog(), csv, As("an"));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_FALSE(r->written);
  EXPECT_EQ(r->rows, 6u);
  EXPECT_EQ(r->created, 1u);
  EXPECT_EQ(r->rejected, 5u);
  ASSERT_EQ(r->errors.size(), 5u);
  auto expect = [&](size_t i, size_t row, const char* column, const char* code) {
    EXPECT_EQ(r->errors[i].row, row) << i;
    EXPECT_EQ(r->errors[i].column, column) << i;
    EXPECT_EQ(r->errors[i].code, code) << i;
    EXPECT_FALSE(r->errors[i].message.empty());
  };
  expect(0, 3, "hosting", "catalog.missing_field");
  expect(1, 4, "owner", "catalog.unknown_unit");
  expect(2, 5, "status", "catalog.invalid_field");
  expect(3, 6, "record_count", "catalog.invalid_field");  // the record spans lines 6-7
  expect(4, 8, "kind", "catalog.missing_field");
  EXPECT_EQ(Databases(catalog()), 0);
}

TEST_F(Import, DryRunReportsAndWritesNothing) {
  const std::string csv = std::string(kHeader) +
                          "database,CSDL-01,Cơ sở dữ liệu tiêm chủng,Y tế,80.SYT,planned,,,,,,,,\n";
  auto r = ImportText(catalog(), csv, As("an", true));
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->dry_run);
  EXPECT_FALSE(r->written);
  EXPECT_EQ(r->created, 1u);
  EXPECT_TRUE(r->errors.empty());
  EXPECT_EQ(Databases(catalog()), 0);
}

TEST_F(Import, UnknownColumnsAndMissingCodeRejectTheFile) {
  auto r = ImportText(catalog(), "kind,name,colour\ndatabase,x,blue\n", As("an"));
  ASSERT_TRUE(r);
  ASSERT_EQ(r->errors.size(), 2u);
  EXPECT_EQ(r->errors[0].row, 1u);
  EXPECT_EQ(r->errors[0].column, "colour");
  EXPECT_EQ(r->errors[0].code, "catalog.unknown_column");
  EXPECT_EQ(r->errors[1].code, "catalog.missing_column");
  EXPECT_EQ(CodeOf(ImportText(catalog(), "", As("an"))), "catalog.bad_file");
  EXPECT_EQ(CodeOf(ImportText(catalog(), "code\n\"unterminated\n", As("an"))), "catalog.bad_file");
}

TEST_F(Import, PartialColumnsUpdateAndGoingBackNeedsAReason) {
  ASSERT_TRUE(catalog().Create(InUse(Database("CSDL-01")), By("an", "2025-01-01")));
  const std::string back =
      "code,status,consolidation,effective_date,reason\n"
      "CSDL-01,under_construction,,2025-09-10,\n";
  auto r = ImportText(catalog(), back, As("an"));
  ASSERT_TRUE(r);
  ASSERT_EQ(r->errors.size(), 1u);
  EXPECT_EQ(r->errors[0].code, "catalog.reason_required");
  EXPECT_EQ(r->errors[0].column, "reason");

  const std::string with_reason =
      "code,status,consolidation,effective_date,reason\n"
      "CSDL-01,under_construction,,2025-09-10,Nâng cấp\n";
  r = ImportText(catalog(), with_reason, As("binh"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->updated, 1u);
  auto e = catalog().Get("CSDL-01");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->entry.status, EntryStatus::kUnderConstruction);
  EXPECT_EQ(e->entry.hosting, "Trung tâm dữ liệu tỉnh");  // not in the file: kept
  EXPECT_EQ(e->history.back().reason, "Nâng cấp");
  EXPECT_EQ(e->effective, D("2025-09-10"));
}

TEST_F(Import, OfficersOnlyTouchTheirUnit) {
  ASSERT_TRUE(catalog().Create(Database("CSDL-01"), By("an", "2025-01-01")));
  ImportOptions o = As("officer");
  o.may_edit = [](const std::string& owner) { return owner == "80.SGDDT"; };
  auto r = ImportText(catalog(), "code,owner\nCSDL-01,80.SGDDT\n", o);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->errors.size(), 1u);
  EXPECT_EQ(r->errors[0].code, "catalog.forbidden");
}

TEST_F(Import, ExportReadsBackUnchanged) {
  ASSERT_TRUE(catalog().Create(Platform("NT-01"), By("an", "2024-01-10")));
  ASSERT_TRUE(catalog().Create(National("QG-01"), By("an", "2024-01-10")));
  Entry e = InUse(Database("CSDL-01"), Consolidation::kMerged);
  e.name = "Cơ sở dữ liệu \"sức khỏe\", tiêm chủng";
  e.source_systems = {"Long An (cũ): phần mềm A", "Tây Ninh (cũ): phần mềm B"};
  e.links = {{LinkKind::kRunsOn, "NT-01"}, {LinkKind::kExchangesWith, "QG-01"}};
  e.ioc_connected = true;
  ASSERT_TRUE(catalog().Create(e, By("an", "2025-08-01")));
  std::ostringstream out;
  ASSERT_TRUE(catalog().ExportCsv(out));

  auto same = ImportText(catalog(), out.str(), As("an"));
  ASSERT_TRUE(same) << same.error().message;
  EXPECT_TRUE(same->errors.empty());
  EXPECT_EQ(same->unchanged, 3u);
  EXPECT_EQ(same->created + same->updated, 0u);

  // Into an empty catalog: the same entries, whatever the order of the rows.
  auto other = OpenCopy(Name() + "-other");
  Catalog copy(other->catalog(), *registry_, clock_);
  auto created = ImportText(copy, out.str(), As("an"));
  ASSERT_TRUE(created) << created.error().message;
  ASSERT_TRUE(created->errors.empty()) << created->errors[0].message;
  EXPECT_EQ(created->created, 3u);
  std::ostringstream again;
  ASSERT_TRUE(copy.ExportCsv(again));
  EXPECT_EQ(again.str(), out.str());
  auto table = copy.ExportRows();
  ASSERT_TRUE(table);
  EXPECT_EQ(table->rows[0], Columns());
}

}  // namespace
}  // namespace pdh::catalog::testing
