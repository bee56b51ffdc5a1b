// Tests for sheets read from and written to CSV and XLSX: round trips, row numbers, the row
// limit, and a department's sheet (a title, a header merged over two rows, a group heading,
// dates as serial numbers).
#include "core/sheet.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/xlsx_test_support.h"

namespace pdh {
namespace {

namespace fs = std::filesystem;
using Rows = std::vector<std::vector<std::string>>;
using xlsx_testing::SheetXml;
using xlsx_testing::Workbook;
using xlsx_testing::WriteZip;

class SheetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("pdh-sheet-test-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // A reader of the workbook zipped from `sheet_xml`, merged cells filled as importers ask.
  XlsxReader Open(const std::string& sheet_xml) {
    const std::string path = (dir_ / "in.xlsx").string();
    WriteZip(path, Workbook({{"S", sheet_xml}}));
    auto reader = XlsxReader::Open(path, {.fill_merged = true});
    EXPECT_TRUE(reader) << reader.error().message;
    return std::move(*reader);
  }

  fs::path dir_;
};

bool NamesCode(const std::vector<std::string>& cells) {
  return std::find(cells.begin(), cells.end(), "Mã") != cells.end();
}

SheetReadOptions Options() {
  return {.is_header = NamesCode,
          .is_date_column = [](const std::string& cell) { return cell == "Ngày"; },
          .max_rows = 100};
}

std::string Text(const std::string& ref, const std::string& text) {
  return "<c r=\"" + ref + "\" t=\"inlineStr\"><is><t>" + text + "</t></is></c>";
}

std::string Number(const std::string& ref, const std::string& value) {
  return "<c r=\"" + ref + "\"><v>" + value + "</v></c>";
}

// A title, "Mã" merged down over two header rows, "Tình trạng" merged across two columns with
// "Trạng thái" and "Ngày" below it, a group heading over the table, then two rows.
std::string DepartmentSheet() {
  return SheetXml("<row r=\"1\">" + Text("A1", "DANH MỤC") + "</row><row r=\"2\">" +
                      Text("A2", "Mã") + Text("B2", "Tình trạng") + "</row><row r=\"3\">" +
                      Text("B3", "Trạng thái") + Text("C3", "Ngày") + "</row><row r=\"4\">" +
                      Text("A4", "I. Y TẾ") + "</row><row r=\"5\">" + Text("A5", "X1") +
                      Number("B5", "12500.0") + Number("C5", "45961") + "</row><row r=\"7\">" +
                      Text("A7", "X2") + Number("B7", "0.5") + Number("C7", "2025") + "</row>",
                  "<mergeCells count=\"3\"><mergeCell ref=\"A2:A3\"/><mergeCell ref=\"B2:C2\"/>"
                  "<mergeCell ref=\"A4:C4\"/></mergeCells>");
}

TEST_F(SheetTest, CsvRoundTripKeepsCellsAndLineNumbers) {
  const Rows rows = {{"code", "name"},
                     {"A-1", "Sở Y tế, Sở Tài chính"},
                     {"B", "dòng 1\ndòng 2"},
                     {"C", " \"trích\" "}};
  std::stringstream csv;
  WriteCsvSheet(csv, rows);
  EXPECT_TRUE(csv.str().starts_with("\xEF\xBB\xBF"));
  auto sheet = ReadCsvSheet(csv, 10);
  ASSERT_TRUE(sheet) << sheet.error().message;
  EXPECT_EQ(sheet->rows, rows);
  EXPECT_EQ(sheet->row_numbers, (std::vector<size_t>{1, 2, 3, 5}));
  EXPECT_EQ(sheet->RowNumber(3), 5u);
  EXPECT_EQ(Sheet{}.RowNumber(3), 4u);  // no numbers: counted from 1
}

TEST_F(SheetTest, CsvStopsPastTheRowLimit) {
  std::stringstream three("a\nb\nc\n");
  EXPECT_TRUE(ReadCsvSheet(three, 3));
  std::stringstream four("a\nb\nc\nd\n");
  auto sheet = ReadCsvSheet(four, 3);
  ASSERT_FALSE(sheet);
  EXPECT_EQ(sheet.error().code, kSheetTooManyRows);
}

TEST_F(SheetTest, CsvStopsPastTheColumnAndCellLimitsNamingTheOption) {
  std::stringstream wide("a,b,c\n1,2,3,4,5\n");
  auto sheet = ReadCsvSheet(wide, 10, {.max_columns = 4});
  ASSERT_FALSE(sheet);
  EXPECT_EQ(sheet.error().code, "file.too_many_columns");
  EXPECT_EQ(sheet.error().status, 422);
  EXPECT_NE(sheet.error().message.find("--max-columns 4"), std::string::npos);

  std::stringstream many("a,b,c\n1,2,3\n4,5,6\n");
  sheet = ReadCsvSheet(many, 10, {.max_cells = 8});
  ASSERT_FALSE(sheet);
  EXPECT_EQ(sheet.error().code, "file.too_large");
  EXPECT_EQ(sheet.error().status, 413);
  EXPECT_NE(sheet.error().message.find("at row 3"), std::string::npos);
  EXPECT_NE(sheet.error().message.find("--max-cells"), std::string::npos);
}

TEST_F(SheetTest, ReadsADepartmentsSheet) {
  XlsxReader reader = Open(DepartmentSheet());
  auto read = ReadXlsxSheet(reader, Options());
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(read->first_row, 1u);
  EXPECT_EQ(read->header, 0u);
  EXPECT_EQ(read->sheet.rows, (Rows{{"Mã", "Trạng thái", "Ngày"},
                                    {"X1", "12500", "2025-10-31"},
                                    {"X2", "0.5", "2025"}}));  // a year is no day of 1905
  EXPECT_EQ(read->sheet.row_numbers, (std::vector<size_t>{2, 5, 7}));
}

TEST_F(SheetTest, KeepsTheRowsAboveTheHeaderWhenAsked) {
  XlsxReader reader = Open(DepartmentSheet());
  SheetReadOptions options = Options();
  options.keep_rows_above_header = true;
  auto read = ReadXlsxSheet(reader, options);
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(read->header, 1u);
  EXPECT_EQ(read->sheet.rows.front(), (std::vector<std::string>{"DANH MỤC"}));
  EXPECT_EQ(read->sheet.row_numbers, (std::vector<size_t>{1, 2, 5, 7}));
}

TEST_F(SheetTest, LooksForTheHeaderOnlyNearTheTop) {
  XlsxReader reader = Open(DepartmentSheet());
  SheetReadOptions options = Options();
  options.header_search_rows = 1;
  auto read = ReadXlsxSheet(reader, options);
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(read->header, std::nullopt);
  EXPECT_TRUE(read->sheet.rows.empty());
  EXPECT_EQ(read->first_row, 1u);
}

TEST_F(SheetTest, XlsxStopsPastTheRowLimit) {
  XlsxReader reader = Open(DepartmentSheet());
  SheetReadOptions options = Options();
  options.max_rows = 2;  // the header and one row
  auto read = ReadXlsxSheet(reader, options);
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().code, kSheetTooManyRows);
}

TEST_F(SheetTest, XlsxStopsPastTheColumnLimit) {
  XlsxReader reader = Open(DepartmentSheet());
  SheetReadOptions options = Options();
  options.limits.max_columns = 2;
  auto read = ReadXlsxSheet(reader, options);
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().code, "file.too_many_columns");
}

TEST_F(SheetTest, XlsxRoundTrip) {
  const Rows rows = {{"Mã", "Số bản ghi", "Ngày"}, {"A-1", "12500", "2025-10-31"}, {"B", "", "x"}};
  std::stringstream out;
  auto written = WriteXlsxSheet(out, "catalog", rows,
                                {XlsxColumn::kText, XlsxColumn::kNumber, XlsxColumn::kText});
  ASSERT_TRUE(written) << written.error().message;
  auto reader = XlsxReader::OpenBuffer(out.str(), {.fill_merged = true});
  ASSERT_TRUE(reader) << reader.error().message;
  EXPECT_EQ(reader->sheet_name(), "catalog");
  auto read = ReadXlsxSheet(*reader, Options());
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(read->sheet.rows, rows);
}

}  // namespace
}  // namespace pdh
