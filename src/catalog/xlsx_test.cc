// The catalog in XLSX: an export reads back unchanged; sheets as departments make them (a title,
// merged two-level headers, Vietnamese headers and values, dates as serial numbers) import;
// errors carry the sheet's row numbers; a dry run writes nothing; what is not a workbook is
// catalog.bad_file.
#include <fstream>
#include <sstream>

#include "catalog/test_support.h"
#include "core/xlsx.h"
#include "core/xlsx_test_support.h"

namespace pdh::catalog::testing {
namespace {

using xlsx_testing::Merges;
using xlsx_testing::NumberCell;
using xlsx_testing::SheetRow;
using xlsx_testing::SheetXml;

using Xlsx = CatalogTest;

// The bytes of a one-sheet workbook zipped from hand-written XML.
std::string WorkbookBytes(const std::string& sheet_xml) {
  return xlsx_testing::WorkbookBytes("Danh mục", sheet_xml);
}

std::string Exported(Catalog& c) {
  std::ostringstream out;
  EXPECT_TRUE(c.ExportXlsx(out));
  return out.str();
}

TEST_F(Xlsx, ExportReadsBackUnchanged) {
  ASSERT_TRUE(catalog().Create(Platform("NT-01"), By("an", "2024-01-10")));
  Entry national = National("QG-01");
  national.status = EntryStatus::kConnected;
  national.connected_at = D("2024-06-03");
  ASSERT_TRUE(catalog().Create(national, By("an", "2024-06-03")));
  Entry e = InUse(Database("CSDL-01"), Consolidation::kMerged);
  e.name = "Cơ sở dữ liệu \"sức khỏe\", tiêm chủng";
  e.source_systems = {"Long An (cũ): phần mềm A", "Tây Ninh (cũ): phần mềm B"};
  e.links = {{LinkKind::kRunsOn, "NT-01"}, {LinkKind::kExchangesWith, "QG-01"}};
  e.ioc_connected = true;
  e.record_count = 1234567890;
  ASSERT_TRUE(catalog().Create(e, By("an", "2025-08-01")));
  const std::string bytes = Exported(catalog());
  ASSERT_TRUE(bytes.starts_with("PK"));

  // The sheet: the export's header, then one row per entry, record counts as numbers.
  auto reader = XlsxReader::OpenBuffer(bytes);
  ASSERT_TRUE(reader) << reader.error().message;
  std::vector<std::string> cells;
  ASSERT_TRUE(reader->Next(cells));
  EXPECT_EQ(cells, Columns());

  auto same = catalog().ImportXlsx(bytes, As("an"));
  ASSERT_TRUE(same) << same.error().message;
  EXPECT_TRUE(same->errors.empty()) << same->errors[0].column << ": " << same->errors[0].message;
  EXPECT_EQ(same->rows, 3u);
  EXPECT_EQ(same->unchanged, 3u);
  EXPECT_EQ(same->created + same->updated, 0u);
  EXPECT_FALSE(same->written);

  // Into an empty catalog: the same entries, so the same CSV export.
  auto other = OpenCopy(Name() + "-other");
  Catalog copy(other->catalog(), *registry_, clock_);
  auto created = copy.ImportXlsx(bytes, As("an"));
  ASSERT_TRUE(created) << created.error().message;
  ASSERT_TRUE(created->errors.empty()) << created->errors[0].message;
  EXPECT_EQ(created->created, 3u);
  std::ostringstream csv, csv_copy;
  ASSERT_TRUE(catalog().ExportCsv(csv));
  ASSERT_TRUE(copy.ExportCsv(csv_copy));
  EXPECT_EQ(csv_copy.str(), csv.str());
}

TEST_F(Xlsx, AnImportIsBoundedByTheUploadLimits) {
  ASSERT_TRUE(catalog().Create(Platform("NT-01"), By("an", "2024-01-10")));
  const std::string bytes = Exported(catalog());
  ImportOptions small = As("an");
  small.limits.max_unzipped_bytes = 64;  // the sheet inflates past it
  auto bomb = catalog().ImportXlsx(bytes, small);
  ASSERT_FALSE(bomb);
  EXPECT_EQ(bomb.error().code, "file.too_large");
  EXPECT_EQ(bomb.error().status, 413);
  EXPECT_NE(bomb.error().message.find("--max-unzipped-mb"), std::string::npos);

  ImportOptions narrow = As("an");
  narrow.limits.max_columns = 3;
  auto wide = catalog().ImportXlsx(bytes, narrow);
  ASSERT_FALSE(wide);
  EXPECT_EQ(wide.error().code, "file.too_many_columns");
  std::istringstream csv("code,kind,name,sector\nA,platform,B,C\n");
  auto wide_csv = catalog().ImportCsv(csv, narrow);
  ASSERT_FALSE(wide_csv);
  EXPECT_EQ(wide_csv.error().code, "file.too_many_columns");
  EXPECT_EQ(wide_csv.error().status, 422);
}

TEST_F(Xlsx, ReadsATitleMergedHeadersAndSerialDates) {
  // Row 1: the title across the table. Rows 2-3: the header; labels merged down over both rows,
  // "Tình trạng" over "Trạng thái" and "Hợp nhất", "Liên hệ" merged across K:L. Row 4: a group
  // heading across the table. Rows 5-6: data, "Y tế" merged down both. A date-formatted serial,
  // a serial in the effective date column and a count written as "12500.0".
  const std::string rows =
      SheetRow(1, {"DANH MỤC CƠ SỞ DỮ LIỆU CHUYÊN NGÀNH"}) +
      SheetRow(2, {"STT", "Mã", "Tên", "Lĩnh vực", "Đơn vị chủ quản", "Loại", "Tình trạng", "",
                   "Nơi triển khai", "Ngày cập nhật", "Liên hệ", "", "Căn cứ pháp lý", "Số bản ghi",
                   "Ngày hiệu lực"}) +
      SheetRow(3, {"", "", "", "", "", "", "Trạng thái", "Hợp nhất"}) +
      SheetRow(4, {"I. SỞ Y TẾ"}) +
      SheetRow(5, {NumberCell("1"), "CSDL-01", "Cơ sở dữ liệu tiêm chủng", "Y tế", "80.SYT",
                   "CSDL chuyên ngành", "Đã đưa vào sử dụng", "Đã hợp nhất",
                   "Trung tâm dữ liệu tỉnh", NumberCell("45900", 1), "cntt@syt", "", "QĐ 1/QĐ-UBND",
                   NumberCell("12500.0"), NumberCell("45853")}) +
      SheetRow(
          6, {NumberCell("2"), "CSDL-02", "Cơ sở dữ liệu dược", "", "80.SYT", "CSDL", "Kế hoạch"});
  const std::string merges =
      Merges({"A1:O1", "A2:A3", "B2:B3", "C2:C3", "D2:D3", "E2:E3", "F2:F3", "G2:H2", "I2:I3",
              "J2:J3", "K2:L3", "M2:M3", "N2:N3", "O2:O3", "A4:O4", "D5:D6"});
  auto r = catalog().ImportXlsx(WorkbookBytes(SheetXml(rows, merges)), As("an"));
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_TRUE(r->errors.empty()) << r->errors[0].row << " " << r->errors[0].column << ": "
                                 << r->errors[0].message;
  EXPECT_EQ(r->rows, 2u);
  EXPECT_EQ(r->created, 2u);
  EXPECT_TRUE(r->written);

  auto in_use = catalog().Get("CSDL-01");
  ASSERT_TRUE(in_use);
  EXPECT_EQ(in_use->entry.kind, Kind::kDatabase);
  EXPECT_EQ(in_use->entry.status, EntryStatus::kInUse);
  EXPECT_EQ(in_use->entry.consolidation, Consolidation::kMerged);
  EXPECT_EQ(in_use->entry.last_data_update, D("2025-08-31"));
  EXPECT_EQ(in_use->entry.record_count, 12500);
  EXPECT_EQ(in_use->entry.contact, "cntt@syt");
  EXPECT_EQ(in_use->effective, D("2025-07-15"));
  auto planned = catalog().Get("CSDL-02");
  ASSERT_TRUE(planned);
  EXPECT_EQ(planned->entry.status, EntryStatus::kPlanned);
  EXPECT_EQ(planned->entry.sector, "Y tế");  // merged down from the row above
}

TEST_F(Xlsx, VietnameseHeadersAndValuesInCsvToo) {
  const std::string csv =
      "STT,Loại,Mã,Tên,Lĩnh vực,Đơn vị chủ quản,Trạng thái,Căn cứ pháp lý,Kết nối IOC,Ngày hiệu "
      "lực\n"
      "1,Nền tảng số,NT-01,Nền tảng y tế số,Y tế,80.SYT,Đang xây dựng,QĐ 2/QĐ-UBND,Có,01/08/2025\n"
      "2,CSDL quốc gia,QG-01,Cơ sở dữ liệu quốc gia về dân cư,\"An ninh, trật tự\",80.CAT,"
      "Chưa kết nối,,Không,\n";
  std::istringstream in(csv);
  auto r = catalog().ImportCsv(in, As("an"));
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_TRUE(r->errors.empty()) << r->errors[0].column << ": " << r->errors[0].message;
  EXPECT_EQ(r->created, 2u);
  auto platform = catalog().Get("NT-01");
  ASSERT_TRUE(platform);
  EXPECT_EQ(platform->entry.kind, Kind::kPlatform);
  EXPECT_EQ(platform->entry.status, EntryStatus::kUnderConstruction);
  EXPECT_TRUE(platform->entry.ioc_connected);
  EXPECT_EQ(platform->effective, D("2025-08-01"));
  auto national = catalog().Get("QG-01");
  ASSERT_TRUE(national);
  EXPECT_EQ(national->entry.status, EntryStatus::kNotConnected);

  // "Mã" and "code" are one column: naming it twice is refused.
  std::istringstream twice("Mã,code,name\nX,X,x\n");
  auto dup = catalog().ImportCsv(twice, As("an"));
  ASSERT_TRUE(dup);
  ASSERT_EQ(dup->errors.size(), 1u);
  EXPECT_EQ(dup->errors[0].code, "catalog.duplicate_column");
  EXPECT_EQ(dup->errors[0].column, "code");
}

TEST_F(Xlsx, RowErrorsCarryTheSheetRowNumbers) {
  const std::string rows =
      SheetRow(1, {"Danh mục nền tảng số"}) +
      SheetRow(3, {"kind", "code", "name", "sector", "owner", "status", "last_data_update"}) +
      SheetRow(4, {"platform", "NT-01", "Nền tảng A", "Y tế", "80.SYT", "planned"}) +
      SheetRow(5, {"platform", "NT-02", "Nền tảng B", "Y tế", "80.XYZ", "planned"}) +
      // row 6 is empty
      SheetRow(7, {"platform", "NT-03", "Nền tảng C", "Y tế", "80.SYT", "planned", "31/02/2025"}) +
      SheetRow(8, {"platform", "", "Nền tảng D"});
  auto r = catalog().ImportXlsx(WorkbookBytes(SheetXml(rows)), As("an"));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_FALSE(r->written);
  EXPECT_EQ(r->rows, 4u);
  EXPECT_EQ(r->rejected, 3u);
  ASSERT_EQ(r->errors.size(), 3u);
  EXPECT_EQ(r->errors[0].row, 5u);
  EXPECT_EQ(r->errors[0].column, "owner");
  EXPECT_EQ(r->errors[0].code, "catalog.unknown_unit");
  EXPECT_EQ(r->errors[1].row, 7u);
  EXPECT_EQ(r->errors[1].column, "last_data_update");
  EXPECT_EQ(r->errors[1].code, "catalog.invalid_field");
  EXPECT_EQ(r->errors[2].row, 8u);
  EXPECT_EQ(r->errors[2].column, "code");
  EXPECT_FALSE(catalog().Get("NT-01"));  // nothing written

  // Header problems are on the header's row.
  auto unknown =
      catalog().ImportXlsx(WorkbookBytes(SheetXml(SheetRow(2, {"Mã", "Màu sắc"}))), As("an"));
  ASSERT_TRUE(unknown);
  ASSERT_EQ(unknown->errors.size(), 1u);
  EXPECT_EQ(unknown->errors[0].row, 2u);
  EXPECT_EQ(unknown->errors[0].code, "catalog.unknown_column");
  EXPECT_EQ(unknown->errors[0].column, "Màu sắc");
}

TEST_F(Xlsx, NoHeaderRowIsReportedOnTheFirstRow) {
  const std::string rows = SheetRow(2, {"Báo cáo"}) + SheetRow(3, {"Tên"});
  auto r = catalog().ImportXlsx(WorkbookBytes(SheetXml(rows)), As("an"));
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->errors.size(), 1u);
  EXPECT_EQ(r->errors[0].row, 2u);
  EXPECT_EQ(r->errors[0].code, "catalog.missing_column");
  EXPECT_EQ(r->errors[0].column, "code");
}

TEST_F(Xlsx, DryRunWritesNothing) {
  ASSERT_TRUE(catalog().Create(Platform("NT-01"), By("an", "2024-01-10")));
  const std::string rows = SheetRow(1, {"Mã", "Trạng thái", "Lý do"}) +
                           SheetRow(2, {"NT-01", "Đang xây dựng", "Nâng cấp"}) +
                           SheetRow(3, {"NT-02", "Kế hoạch"});
  auto r = catalog().ImportXlsx(WorkbookBytes(SheetXml(rows)), As("an", true));
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->errors.size(), 1u);  // NT-02 is new and has no kind
  EXPECT_EQ(r->errors[0].row, 3u);
  EXPECT_EQ(r->errors[0].column, "kind");
  EXPECT_EQ(r->updated, 1u);

  const std::string fine = SheetRow(1, {"Mã", "Trạng thái", "Lý do"}) +
                           SheetRow(2, {"NT-01", "Đang xây dựng", "Nâng cấp"});
  r = catalog().ImportXlsx(WorkbookBytes(SheetXml(fine)), As("an", true));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(r->errors.empty());
  EXPECT_TRUE(r->dry_run);
  EXPECT_EQ(r->updated, 1u);
  EXPECT_FALSE(r->written);
  auto e = catalog().Get("NT-01");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->entry.status, EntryStatus::kInUse);
  EXPECT_EQ(e->history.size(), 1u);
}

TEST_F(Xlsx, WhatIsNotAWorkbookIsABadFile) {
  EXPECT_EQ(CodeOf(catalog().ImportXlsx("kind,code\nplatform,NT-01\n", As("an"))),
            "catalog.bad_file");
  EXPECT_EQ(CodeOf(catalog().ImportXlsx("", As("an"))), "catalog.bad_file");
  std::string cut = Exported(catalog());
  cut.resize(cut.size() / 2);
  EXPECT_EQ(CodeOf(catalog().ImportXlsx(cut, As("an"))), "catalog.bad_file");

  const std::string good = WorkbookBytes(SheetXml(SheetRow(1, {"Mã"})));
  auto no_sheet = catalog().ImportXlsx(good, As("an"), "Nền tảng");
  EXPECT_EQ(CodeOf(no_sheet), "catalog.bad_file");
  EXPECT_NE(no_sheet.error().message.find("Danh mục"), std::string::npos)
      << no_sheet.error().message;
  // A sheet with nothing in it.
  EXPECT_EQ(CodeOf(catalog().ImportXlsx(WorkbookBytes(SheetXml("")), As("an"))),
            "catalog.bad_file");
}

}  // namespace
}  // namespace pdh::catalog::testing
