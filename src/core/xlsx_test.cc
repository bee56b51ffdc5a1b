// Tests for the XLSX reader and writer: round trips through XlsxWriter, workbooks zipped here
// from hand-written XML (shared and inline strings, dates, merges, sparse rows), damaged
// files, and a 100,000-row sheet read in bounded memory.
#include "core/xlsx.h"

#include <gtest/gtest.h>
#include <unistd.h>
#include <zip.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "core/xlsx_test_support.h"

namespace pdh {
namespace {

namespace fs = std::filesystem;
using Row = std::vector<std::string>;
using Rows = std::vector<Row>;
using xlsx_testing::kMain;
using xlsx_testing::Parts;
using xlsx_testing::SheetXml;
using xlsx_testing::Workbook;
using xlsx_testing::WriteZip;

// A file path private to the running test, removed with its folder afterwards.
class XlsxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ =
        fs::temp_directory_path() / ("pdh-xlsx-" + std::to_string(::getpid()) + "-" + info->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Path(const std::string& name) const { return (dir_ / name).string(); }

  fs::path dir_;
};

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string ReadPart(const std::string& path, const std::string& name) {
  zip_t* zip = zip_open(path.c_str(), ZIP_RDONLY, nullptr);
  if (zip == nullptr) return {};
  std::string body;
  if (zip_file_t* file = zip_fopen(zip, name.c_str(), 0)) {
    char buf[4096];
    for (zip_int64_t n; (n = zip_fread(file, buf, sizeof buf)) > 0;) {
      body.append(buf, static_cast<size_t>(n));
    }
    zip_fclose(file);
  }
  zip_discard(zip);
  return body;
}

Rows ReadAll(XlsxReader& reader, std::vector<size_t>* row_numbers = nullptr) {
  Rows rows;
  Row cells;
  while (reader.Next(cells)) {
    rows.push_back(cells);
    if (row_numbers) row_numbers->push_back(reader.row());
  }
  EXPECT_FALSE(reader.error()) << reader.error()->message;
  return rows;
}

XlsxReader OpenOk(const std::string& path, XlsxOptions options = {}) {
  auto reader = XlsxReader::Open(path, options);
  if (!reader) throw Failure(reader.error());
  return std::move(*reader);
}

// --- Round trips through the writer --------------------------------------------------------

TEST_F(XlsxTest, WriterRoundTripsSheetsStringsAndNumbers) {
  std::string path = Path("out.xlsx");
  XlsxWriter writer(path);
  // "Hoà" with a combining grave accent, as some old systems write it: read back as NFC.
  std::string decomposed = "Ho\x61\xCC\x80";
  ASSERT_TRUE(writer.AddSheet("Dân số", {"Mã", "Tên đơn vị", "Dân số", "Ghi chú"},
                              {XlsxColumn::kText, XlsxColumn::kText, XlsxColumn::kNumber}));
  ASSERT_TRUE(writer.AddRow({"00001", "Phường Ba Đình", "3254170", "trung tâm"}));
  ASSERT_TRUE(writer.AddRow({"00004", "", "21.35", ""}));  // empty cells in the middle
  ASSERT_TRUE(writer.AddRow({"00006", decomposed, "đang cập nhật", "x"}));
  ASSERT_TRUE(writer.AddSheet("Chỉ tiêu", {"Chỉ tiêu", "Giá trị"},
                              {XlsxColumn::kText, XlsxColumn::kNumber}));
  ASSERT_TRUE(writer.AddRow({"Tỷ lệ hộ nghèo", "-1.5"}));
  ASSERT_TRUE(writer.Close());

  XlsxReader reader = OpenOk(path);
  EXPECT_EQ(reader.sheet_names(), (Row{"Dân số", "Chỉ tiêu"}));
  EXPECT_EQ(reader.sheet_name(), "Dân số");
  std::vector<size_t> numbers;
  EXPECT_EQ(ReadAll(reader, &numbers), (Rows{{"Mã", "Tên đơn vị", "Dân số", "Ghi chú"},
                                             {"00001", "Phường Ba Đình", "3254170", "trung tâm"},
                                             {"00004", "", "21.35"},
                                             {"00006", "Ho\xC3\xA0", "đang cập nhật", "x"}}));
  EXPECT_EQ(numbers, (std::vector<size_t>{1, 2, 3, 4}));

  ASSERT_TRUE(reader.SelectSheet("Chỉ tiêu"));
  EXPECT_EQ(ReadAll(reader), (Rows{{"Chỉ tiêu", "Giá trị"}, {"Tỷ lệ hộ nghèo", "-1.5"}}));

  // Numbers were written as numbers, text as shared strings.
  std::string sheet1 = ReadPart(path, "xl/worksheets/sheet1.xml");
  EXPECT_NE(sheet1.find("<c r=\"C2\"><v>3254170</v></c>"), std::string::npos) << sheet1;
  EXPECT_NE(sheet1.find("<c r=\"C4\" t=\"s\">"), std::string::npos) << sheet1;
}

TEST_F(XlsxTest, WriterFreezesABoldHeaderAndFitsColumns) {
  std::string path = Path("out.xlsx");
  XlsxWriter writer(path);
  ASSERT_TRUE(writer.AddSheet("S", {"Mã", "Tên"}));
  ASSERT_TRUE(writer.AddRow({"1", std::string(40, 'x')}));
  ASSERT_TRUE(writer.Close());
  std::string sheet = ReadPart(path, "xl/worksheets/sheet1.xml");
  EXPECT_NE(sheet.find("ySplit=\"1\""), std::string::npos) << sheet;
  EXPECT_NE(sheet.find("state=\"frozen\""), std::string::npos) << sheet;
  EXPECT_NE(sheet.find("<col min=\"2\" max=\"2\" width=\"42"), std::string::npos) << sheet;
  EXPECT_NE(ReadPart(path, "xl/styles.xml").find("<b/>"), std::string::npos);
  EXPECT_NE(sheet.find("<c r=\"A1\" s=\"1\" t=\"s\">"), std::string::npos) << sheet;
}

TEST_F(XlsxTest, WriterReportsBadSheetNamesAndUnwritablePaths) {
  XlsxWriter writer(Path("out.xlsx"));
  auto bad = writer.AddSheet("Q1/2025", {"a"});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, "xlsx.bad_sheet_name");
  EXPECT_FALSE(writer.AddRow({"a"}));  // no sheet yet

  XlsxWriter nowhere(Path("missing-dir/out.xlsx"));
  ASSERT_TRUE(nowhere.AddSheet("S", {"a"}));
  auto closed = nowhere.Close();
  ASSERT_FALSE(closed);
  EXPECT_EQ(closed.error().code, "xlsx.write_failed");
  EXPECT_FALSE(nowhere.Close());
}

TEST_F(XlsxTest, SheetNotFoundNamesTheSheets) {
  std::string path = Path("out.xlsx");
  XlsxWriter writer(path);
  ASSERT_TRUE(writer.AddSheet("Dân số", {"a"}));
  ASSERT_TRUE(writer.AddSheet("Ngân sách", {"b"}));
  ASSERT_TRUE(writer.Close());
  XlsxReader reader = OpenOk(path);
  auto missing = reader.SelectSheet("Y tế");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, "xlsx.sheet_not_found");
  EXPECT_NE(missing.error().message.find("\"Dân số\", \"Ngân sách\""), std::string::npos)
      << missing.error().message;
  // Still reading the first sheet; selecting a sheet again starts it over.
  EXPECT_EQ(ReadAll(reader), (Rows{{"a"}}));
  ASSERT_TRUE(reader.SelectFirstSheet());
  EXPECT_EQ(ReadAll(reader), (Rows{{"a"}}));
}

TEST_F(XlsxTest, OpensFromMemory) {
  std::string path = Path("out.xlsx");
  XlsxWriter writer(path);
  ASSERT_TRUE(writer.AddSheet("S", {"Xã", "Số hộ"}));
  ASSERT_TRUE(writer.Close());
  auto reader = XlsxReader::OpenBuffer(ReadFile(path));
  ASSERT_TRUE(reader) << reader.error().message;
  EXPECT_EQ(ReadAll(*reader), (Rows{{"Xã", "Số hộ"}}));
}

// --- Hand-written parts ----------------------------------------------------------------------

TEST_F(XlsxTest, ResolvesSharedAndInlineStringsBooleansAndErrors) {
  std::string shared =
      "<sst xmlns=\"" + std::string(kMain) +
      "\" count=\"3\" uniqueCount=\"3\">"
      "<si><t>Tỉnh</t></si>"
      // rich text in runs; the phonetic guide is not part of the value
      "<si><r><rPr><b/></rPr><t>Ủy ban </t></r><r><t xml:space=\"preserve\">nhân dân</t></r>"
      "<rPh sb=\"0\" eb=\"1\"><t>x</t></rPh></si>"
      "<si><t>dòng 1_x000D_\ndòng 2</t></si></sst>";
  std::string rows =
      "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c>"
      "<c r=\"C1\" t=\"s\"><v>2</v></c></row>"
      "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>Hà Nội</t></is></c>"
      "<c r=\"B2\" t=\"b\"><v>1</v></c><c r=\"C2\" t=\"b\"><v>0</v></c>"
      "<c r=\"D2\" t=\"e\"><v>#N/A</v></c><c r=\"E2\" t=\"str\"><f>A2&amp;\"!\"</f><v>Hà "
      "Nội!</v></c>"
      "<c r=\"F2\"><v>1.0000000000000001E-3</v></c><c r=\"G2\"><v>0.1</v></c></row>";
  std::string path = Path("in.xlsx");
  WriteZip(path, Workbook({{"S", SheetXml(rows)}}, shared));
  XlsxReader reader = OpenOk(path);
  EXPECT_EQ(ReadAll(reader),
            (Rows{{"Tỉnh", "Ủy ban nhân dân", "dòng 1\r\ndòng 2"},
                  {"Hà Nội", "TRUE", "FALSE", "#N/A", "Hà Nội!", "1.0000000000000001E-3", "0.1"}}));
}

TEST_F(XlsxTest, TellsNumbersFromTextThatLooksLikeOne) {
  std::string rows =
      "<row r=\"1\"><c r=\"A1\"><v>123.125</v></c><c r=\"B1\" t=\"n\"><v>30000</v></c>"
      "<c r=\"C1\" t=\"inlineStr\"><is><t>30.000</t></is></c>"
      "<c r=\"D1\" t=\"str\"><f>A1</f><v>123.125</v></c><c r=\"E1\" t=\"b\"><v>1</v></c></row>";
  std::string path = Path("in.xlsx");
  WriteZip(path, Workbook({{"S", SheetXml(rows)}}));
  XlsxReader reader = OpenOk(path);
  Row cells;
  ASSERT_TRUE(reader.Next(cells));
  std::vector<bool> numbers;
  for (size_t i = 0; i < cells.size(); ++i) numbers.push_back(reader.IsNumber(i));
  EXPECT_EQ(numbers, (std::vector<bool>{true, true, false, false, false}));
  EXPECT_FALSE(reader.IsNumber(99));
}

TEST_F(XlsxTest, SparseRowsKeepTheirColumnsAndRowNumbers) {
  std::string rows =
      "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>a</t></is></c>"
      "<c r=\"D1\"><v>4</v></c></row>"
      "<row r=\"2\"><c r=\"B2\" s=\"0\"/></row>"  // styled but empty: no value, no row
      "<row r=\"5\"><c r=\"C5\"><v>3</v></c><c r=\"E5\" s=\"0\"/></row>"
      "<row><c><v>1</v></c><c><v>2</v></c></row>";  // no r=: the next row, cells in order
  std::string path = Path("in.xlsx");
  WriteZip(path, Workbook({{"S", SheetXml(rows)}}));
  XlsxReader reader = OpenOk(path);
  std::vector<size_t> numbers;
  EXPECT_EQ(ReadAll(reader, &numbers), (Rows{{"a", "", "", "4"}, {"", "", "3"}, {"1", "2"}}));
  EXPECT_EQ(numbers, (std::vector<size_t>{1, 5, 6}));
}

TEST_F(XlsxTest, AcceptsPrefixedElements) {
  std::string sheet = "<x:worksheet xmlns:x=\"" + std::string(kMain) +
                      "\"><x:sheetData><x:row r=\"3\">"
                      "<x:c r=\"B3\" t=\"inlineStr\"><x:is><x:t>Xã</x:t></x:is></x:c></x:row>"
                      "</x:sheetData></x:worksheet>";
  std::string path = Path("in.xlsx");
  WriteZip(path, Workbook({{"S", sheet}}));
  XlsxReader reader = OpenOk(path);
  std::vector<size_t> numbers;
  EXPECT_EQ(ReadAll(reader, &numbers), (Rows{{"", "Xã"}}));
  EXPECT_EQ(numbers, (std::vector<size_t>{3}));
}

std::string Styles() {
  return "<styleSheet xmlns=\"" + std::string(kMain) +
         "\"><numFmts count=\"4\">"
         "<numFmt numFmtId=\"164\" formatCode=\"dd/mm/yyyy\"/>"
         "<numFmt numFmtId=\"165\" formatCode=\"h:mm:ss\"/>"
         "<numFmt numFmtId=\"166\" formatCode=\"[$-42A]mmmm\\ yyyy\"/>"
         "<numFmt numFmtId=\"167\" formatCode=\"#,##0&quot; ngày&quot;\"/></numFmts>"
         "<cellStyleXfs count=\"1\"><xf numFmtId=\"14\"/></cellStyleXfs>"
         "<cellXfs count=\"6\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/><xf numFmtId=\"164\"/>"
         "<xf numFmtId=\"165\"/><xf numFmtId=\"166\"/><xf numFmtId=\"167\"/></cellXfs>"
         "<dxfs count=\"1\"><dxf><numFmt numFmtId=\"165\" formatCode=\"yyyy\"/></dxf></dxfs>"
         "</styleSheet>";
}

TEST_F(XlsxTest, TellsWhichCellsAreDates) {
  std::string rows =
      "<row r=\"1\"><c r=\"A1\" s=\"1\"><v>45292</v></c><c r=\"B1\" s=\"2\"><v>45292</v></c>"
      "<c r=\"C1\" s=\"3\"><v>0.5</v></c><c r=\"D1\" s=\"4\"><v>45292</v></c>"
      "<c r=\"E1\" s=\"5\"><v>30</v></c><c r=\"F1\"><v>45292</v></c>"
      "<c r=\"G1\" s=\"1\" t=\"inlineStr\"><is><t>45292</t></is></c></row>";
  std::string path = Path("in.xlsx");
  WriteZip(path, Workbook({{"S", SheetXml(rows)}}, "", Styles()));
  XlsxReader reader = OpenOk(path);
  Row cells;
  ASSERT_TRUE(reader.Next(cells));
  EXPECT_EQ(cells[0], "45292");
  std::vector<bool> dates;
  for (size_t i = 0; i < cells.size(); ++i) dates.push_back(reader.IsDate(i));
  EXPECT_EQ(dates, (std::vector<bool>{true, true, false, true, false, false, false}));
  EXPECT_FALSE(reader.IsDate(99));
  EXPECT_FALSE(reader.date1904());
  EXPECT_EQ(ExcelSerialToDate(cells[0], reader.date1904()), (Date{2024, 1, 1}));
}

TEST_F(XlsxTest, Reads1904Workbooks) {
  std::string rows = "<row r=\"1\"><c r=\"A1\" s=\"1\"><v>43830</v></c></row>";
  std::string path = Path("in.xlsx");
  WriteZip(path, Workbook({{"S", SheetXml(rows)}}, "", Styles(), "<workbookPr date1904=\"1\"/>"));
  XlsxReader reader = OpenOk(path);
  Row cells;
  ASSERT_TRUE(reader.Next(cells));
  ASSERT_TRUE(reader.IsDate(0));
  EXPECT_TRUE(reader.date1904());
  EXPECT_EQ(ExcelSerialToDate(cells[0], reader.date1904()), (Date{2024, 1, 1}));
}

TEST(ExcelSerialToDate, FollowsExcelsCalendars) {
  EXPECT_EQ(ExcelSerialToDate(1), (Date{1900, 1, 1}));
  EXPECT_EQ(ExcelSerialToDate(59), (Date{1900, 2, 28}));
  EXPECT_EQ(ExcelSerialToDate(60), std::nullopt);  // 29/02/1900 never was
  EXPECT_EQ(ExcelSerialToDate(61), (Date{1900, 3, 1}));
  EXPECT_EQ(ExcelSerialToDate(45292.75), (Date{2024, 1, 1}));  // the time of day is dropped
  EXPECT_EQ(ExcelSerialToDate(45839), (Date{2025, 7, 1}));
  EXPECT_EQ(ExcelSerialToDate(2958465), (Date{9999, 12, 31}));
  EXPECT_EQ(ExcelSerialToDate(2958466), std::nullopt);
  EXPECT_EQ(ExcelSerialToDate(0), std::nullopt);
  EXPECT_EQ(ExcelSerialToDate(-1), std::nullopt);
  EXPECT_EQ(ExcelSerialToDate(0, true), (Date{1904, 1, 1}));
  EXPECT_EQ(ExcelSerialToDate(std::string_view("45292")), (Date{2024, 1, 1}));
  EXPECT_EQ(ExcelSerialToDate(std::string_view("4.5292E4")), (Date{2024, 1, 1}));
  EXPECT_EQ(ExcelSerialToDate(std::string_view("01/01/2024")), std::nullopt);
  EXPECT_EQ(ExcelSerialToDate(std::string_view("")), std::nullopt);
}

TEST(ParseCellRange, ReadsReferences) {
  EXPECT_EQ(ParseCellRange("B2:D3"), (CellRange{2, 1, 3, 3}));
  EXPECT_EQ(ParseCellRange("AA10"), (CellRange{10, 26, 10, 26}));
  EXPECT_EQ(ParseCellRange("XFD1"), (CellRange{1, 16383, 1, 16383}));
  EXPECT_EQ(ParseCellRange("XFE1"), std::nullopt);
  EXPECT_EQ(ParseCellRange("b2"), std::nullopt);
  EXPECT_EQ(ParseCellRange("A0"), std::nullopt);
  EXPECT_EQ(ParseCellRange("C3:A1"), std::nullopt);
  EXPECT_EQ(ParseCellRange("A1:"), std::nullopt);
  EXPECT_EQ(ParseCellRange(""), std::nullopt);
}

// Two header rows as provincial reports draw them: "Đơn vị" merged down A1:A2, "Dân số" merged
// across B1:C1 over the years.
std::string MergedSheet() {
  auto cell = [](const std::string& ref, const std::string& text) {
    return "<c r=\"" + ref + "\" t=\"inlineStr\"><is><t>" + text + "</t></is></c>";
  };
  return SheetXml("<row r=\"1\">" + cell("A1", "Đơn vị") + cell("B1", "Dân số") +
                      "<c r=\"C1\" s=\"0\"/></row><row r=\"2\"><c r=\"A2\" s=\"0\"/>" +
                      cell("B2", "2023") + cell("C2", "2024") + "</row><row r=\"3\">" +
                      cell("A3", "Xã A") +
                      "<c r=\"B3\"><v>100</v></c><c r=\"C3\"><v>110</v></c>"
                      "</row>",
                  "<mergeCells count=\"2\"><mergeCell ref=\"B1:C1\"/><mergeCell ref=\"A1:A2\"/>"
                  "</mergeCells>");
}

TEST_F(XlsxTest, ExposesMergedRanges) {
  std::string path = Path("in.xlsx");
  WriteZip(path, Workbook({{"S", MergedSheet()}}));
  XlsxReader reader = OpenOk(path);
  EXPECT_EQ(reader.merged_ranges(), (std::vector<CellRange>{{1, 0, 2, 0}, {1, 1, 1, 2}}));
  EXPECT_EQ(ReadAll(reader),
            (Rows{{"Đơn vị", "Dân số"}, {"", "2023", "2024"}, {"Xã A", "100", "110"}}));
}

TEST_F(XlsxTest, FillsMergedHeaderCellsWhenAsked) {
  std::string path = Path("in.xlsx");
  WriteZip(path, Workbook({{"S", MergedSheet()}}));
  XlsxReader reader = OpenOk(path, {.fill_merged = true});
  EXPECT_EQ(
      ReadAll(reader),
      (Rows{{"Đơn vị", "Dân số", "Dân số"}, {"Đơn vị", "2023", "2024"}, {"Xã A", "100", "110"}}));
}

// A tiny sheet merging every cell of the sheet: the fill covers the columns the sheet writes
// cells in and its rows with values, not 16,384 columns down 1,048,576 rows.
TEST_F(XlsxTest, FillsAMergeOverTheWholeSheetOnlyWhereTheSheetIsUsed) {
  std::string rows = "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>Tiêu đề</t></is></c></row>";
  for (int r = 2; r <= 201; ++r) rows += "<row r=\"" + std::to_string(r) + "\"/>";
  const std::string sheet =
      SheetXml(rows, "<mergeCells><mergeCell ref=\"A1:XFD1048576\"/></mergeCells>");
  std::string path = Path("in.xlsx");
  WriteZip(path, Workbook({{"S", sheet}}));
  ASSERT_LT(ReadFile(path).size(), size_t{4} << 10);
  XlsxReader reader = OpenOk(path, {.fill_merged = true});
  EXPECT_EQ(reader.merged_ranges(), (std::vector<CellRange>{{1, 0, 1048576, 16383}}));
  std::vector<size_t> numbers;
  EXPECT_EQ(ReadAll(reader, &numbers), (Rows{{"Tiêu đề"}}));
  EXPECT_EQ(numbers, (std::vector<size_t>{1}));
  EXPECT_LT(reader.buffer_bytes(), size_t{128} << 10);
}

TEST_F(XlsxTest, FillsAMergeAcrossTheSheetToItsWidestRowAndAtMost1024Columns) {
  auto text = [](const std::string& ref, const std::string& value) {
    return "<c r=\"" + ref + "\" t=\"inlineStr\"><is><t>" + value + "</t></is></c>";
  };
  const std::string merge = "<mergeCells><mergeCell ref=\"A1:XFD1\"/></mergeCells>";
  // A title over a table of three columns: the title names the three.
  std::string table =
      SheetXml("<row r=\"1\">" + text("A1", "BÁO CÁO") + "</row><row r=\"2\">" + text("A2", "Mã") +
                   text("B2", "Tên") + text("C2", "Số") + "</row>",
               merge);
  // One empty cell far to the right widens the sheet, up to 1024 columns.
  std::string wide = SheetXml(
      "<row r=\"1\">" + text("A1", "BÁO CÁO") + "</row><row r=\"2\"><c r=\"XFD2\" s=\"1\"/></row>",
      merge);
  // A range that starts past the widest row still holds its own value.
  std::string right =
      SheetXml("<row r=\"1\">" + text("A1", "x") + "</row><row r=\"2\">" + text("E2", "Ghi chú") +
                   "</row><row r=\"3\">" + text("A3", "y") + "</row>",
               "<mergeCells><mergeCell ref=\"E2:XFD3\"/></mergeCells>");
  std::string path = Path("in.xlsx");
  WriteZip(path, Workbook({{"Table", table}, {"Wide", wide}, {"Right", right}}));
  XlsxReader reader = OpenOk(path, {.fill_merged = true});
  EXPECT_EQ(ReadAll(reader), (Rows{{"BÁO CÁO", "BÁO CÁO", "BÁO CÁO"}, {"Mã", "Tên", "Số"}}));

  ASSERT_TRUE(reader.SelectSheet("Wide"));
  Rows rows = ReadAll(reader);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0], Row(1024, "BÁO CÁO"));

  ASSERT_TRUE(reader.SelectSheet("Right"));
  EXPECT_EQ(ReadAll(reader),
            (Rows{{"x"}, {"", "", "", "", "Ghi chú"}, {"y", "", "", "", "Ghi chú"}}));
}

// --- Damaged input ---------------------------------------------------------------------------

TEST_F(XlsxTest, RejectsWhatIsNotAWorkbook) {
  auto missing = XlsxReader::Open(Path("nothing.xlsx"));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, "xlsx.open_failed");

  std::string text = Path("data.xlsx");
  std::ofstream(text) << "Mã,Tên\n1,Ba Đình\n";
  auto csv = XlsxReader::Open(text);
  ASSERT_FALSE(csv);
  EXPECT_EQ(csv.error().code, "xlsx.not_xlsx");

  std::string plain_zip = Path("plain.zip");
  WriteZip(plain_zip, {{"readme.txt", "xin chào"}});
  auto no_workbook = XlsxReader::Open(plain_zip);
  ASSERT_FALSE(no_workbook);
  EXPECT_EQ(no_workbook.error().code, "xlsx.not_xlsx");

  for (std::string bytes : {std::string(), std::string("PK\x03\x04 truncated"), ReadFile(text)}) {
    auto buffer = XlsxReader::OpenBuffer(bytes);
    ASSERT_FALSE(buffer);
    EXPECT_EQ(buffer.error().code, "xlsx.not_xlsx") << buffer.error().message;
  }
}

TEST_F(XlsxTest, ReportsATruncatedSheetWithItsPartAndLine) {
  std::string good = SheetXml(
      "\n<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>\n"
      "<row r=\"2\"><c r=\"A2\"><v>2</v></c></row>\n");
  std::string cut = good.substr(0, good.find("<row r=\"2\"") + 15);
  std::string path = Path("in.xlsx");
  WriteZip(path, Workbook({{"Cut", cut}, {"Good", good}}));
  auto reader = XlsxReader::Open(path);
  ASSERT_TRUE(reader) << reader.error().message;  // the other sheet is still readable
  Row cells;
  EXPECT_FALSE(reader->Next(cells));
  ASSERT_TRUE(reader->error());
  EXPECT_EQ(reader->error()->code, "xlsx.malformed");
  EXPECT_NE(reader->error()->message.find("xl/worksheets/sheet1.xml: line 5"), std::string::npos)
      << reader->error()->message;

  auto again = reader->SelectSheet("Cut");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, "xlsx.malformed");
  ASSERT_TRUE(reader->SelectSheet("Good"));
  EXPECT_EQ(ReadAll(*reader), (Rows{{"1"}, {"2"}}));
}

TEST_F(XlsxTest, ReportsBadReferencesInsideASheet) {
  std::string path = Path("in.xlsx");
  WriteZip(path, Workbook({{"Strings", SheetXml("<row r=\"1\"><c t=\"s\"><v>7</v></c></row>")},
                           {"Ref", SheetXml("<row r=\"1\"><c r=\"1A\"><v>1</v></c></row>")},
                           {"Merge", SheetXml("",
                                              "<mergeCells><mergeCell ref=\"A1:?\"/>"
                                              "</mergeCells>")}}));
  XlsxReader reader = OpenOk(path);
  Row cells;
  EXPECT_FALSE(reader.Next(cells));
  ASSERT_TRUE(reader.error());
  EXPECT_EQ(reader.error()->code, "xlsx.malformed");
  EXPECT_NE(reader.error()->message.find("shared string 7"), std::string::npos);

  ASSERT_TRUE(reader.SelectSheet("Ref"));
  EXPECT_FALSE(reader.Next(cells));
  ASSERT_TRUE(reader.error());
  EXPECT_NE(reader.error()->message.find("\"1A\""), std::string::npos);

  auto merge = reader.SelectSheet("Merge");
  ASSERT_FALSE(merge);
  EXPECT_EQ(merge.error().code, "xlsx.malformed");
}

// Row numbers past Excel's last row are damage: an r= of 2^64-1 once made the row after it
// (numbered as the one after the previous) row 0.
TEST_F(XlsxTest, RejectsRowNumbersPastExcelsLastRow) {
  std::string path = Path("in.xlsx");
  WriteZip(path, Workbook({{"Huge", SheetXml("<row r=\"18446744073709551615\"><c><v>1</v></c></row>"
                                             "<row><c><v>2</v></c></row>")},
                           {"Past", SheetXml("<row r=\"1\"><c><v>1</v></c></row>\n"
                                             "<row r=\"1048577\"><c><v>2</v></c></row>")},
                           {"Last", SheetXml("<row r=\"1048576\"><c><v>1</v></c></row>\n"
                                             "<row><c><v>2</v></c></row>")}}));
  XlsxReader reader = OpenOk(path, {.fill_merged = true});
  Row cells;
  EXPECT_FALSE(reader.Next(cells));
  ASSERT_TRUE(reader.error());
  EXPECT_EQ(reader.error()->code, "xlsx.malformed");
  EXPECT_NE(reader.error()->message.find("xl/worksheets/sheet1.xml: line 3: row number "
                                         "\"18446744073709551615\" past row 1048576"),
            std::string::npos)
      << reader.error()->message;

  ASSERT_TRUE(reader.SelectSheet("Past"));
  ASSERT_TRUE(reader.Next(cells));
  EXPECT_EQ(reader.row(), 1u);
  EXPECT_FALSE(reader.Next(cells));
  ASSERT_TRUE(reader.error());
  EXPECT_EQ(reader.error()->code, "xlsx.malformed");
  EXPECT_NE(reader.error()->message.find("xl/worksheets/sheet2.xml: line 4: row number "
                                         "\"1048577\""),
            std::string::npos)
      << reader.error()->message;

  // Row 1048576 itself is fine; a row after it is not.
  ASSERT_TRUE(reader.SelectSheet("Last"));
  ASSERT_TRUE(reader.Next(cells));
  EXPECT_EQ(cells, Row{"1"});
  EXPECT_EQ(reader.row(), 1048576u);
  EXPECT_FALSE(reader.Next(cells));
  ASSERT_TRUE(reader.error());
  EXPECT_NE(reader.error()->message.find("xl/worksheets/sheet3.xml: line 4: a row past row "
                                         "1048576"),
            std::string::npos)
      << reader.error()->message;
}

// --- Size --------------------------------------------------------------------------------------

TEST_F(XlsxTest, SkipsHiddenSheetsWhenChoosingTheFirst) {
  using xlsx_testing::RowXml;
  using xlsx_testing::Text;
  Parts parts = Workbook({{"Tra cứu", SheetXml(RowXml(1, Text("A1", "mã")))},
                          {"Dữ liệu", SheetXml(RowXml(1, Text("A1", "xã")))}});
  std::string& book = parts["xl/workbook.xml"];
  book.replace(book.find("sheetId=\"1\""), 11, "sheetId=\"1\" state=\"hidden\"");
  WriteZip(Path("hidden.xlsx"), parts);
  XlsxReader reader = OpenOk(Path("hidden.xlsx"));
  EXPECT_EQ(reader.sheet_name(), "Dữ liệu");
  EXPECT_EQ(ReadAll(reader), (Rows{{"xã"}}));
  ASSERT_TRUE(reader.SelectFirstSheet());
  EXPECT_EQ(reader.sheet_name(), "Dữ liệu");
  // Named, a hidden sheet is still read.
  ASSERT_TRUE(reader.SelectSheet("Tra cứu"));
  EXPECT_EQ(ReadAll(reader), (Rows{{"mã"}}));
}

// A zip bomb: a few MB of sheet XML that compress a thousandfold. Reading stops once the
// inflated bytes pass the limit, with a 413, instead of reading (and committing) it all.
TEST_F(XlsxTest, StopsAZipBombAtItsLimits) {
  using xlsx_testing::RowXml;
  using xlsx_testing::Text;
  std::string rows = RowXml(1, Text("A1", "xã"));
  const std::string filler = "<!--" + std::string(size_t{8} << 20, 'x') + "-->";
  WriteZip(Path("bomb.xlsx"), Workbook({{"S", SheetXml(rows + filler)}}));
  EXPECT_LT(fs::file_size(Path("bomb.xlsx")), size_t{200} << 10);

  XlsxOptions by_size;
  by_size.max_unzipped_bytes = size_t{2} << 20;
  auto sized = XlsxReader::Open(Path("bomb.xlsx"), by_size);
  ASSERT_TRUE(sized);  // the first sheet's error waits for Next
  Row cells;
  EXPECT_FALSE(sized->Next(cells));
  ASSERT_TRUE(sized->error());
  EXPECT_EQ(sized->error()->code, "xlsx.too_large");
  EXPECT_EQ(sized->error()->status, 413);
  EXPECT_NE(sized->error()->message.find("2 MiB"), std::string::npos) << sized->error()->message;

  XlsxOptions by_ratio;
  by_ratio.max_ratio = 50;
  auto ratio = XlsxReader::Open(Path("bomb.xlsx"), by_ratio);
  ASSERT_TRUE(ratio);
  EXPECT_FALSE(ratio->Next(cells));
  ASSERT_TRUE(ratio->error());
  EXPECT_EQ(ratio->error()->code, "xlsx.too_large");
  EXPECT_NE(ratio->error()->message.find("50 times"), std::string::npos);

  // Within the limits, the same file reads.
  XlsxOptions roomy;
  roomy.max_unzipped_bytes = size_t{64} << 20;
  roomy.max_ratio = 100000;
  XlsxReader fine = OpenOk(Path("bomb.xlsx"), roomy);
  EXPECT_EQ(ReadAll(fine), (Rows{{"xã"}}));
}

TEST_F(XlsxTest, StreamsALargeSheetInBoundedMemory) {
  constexpr size_t kRows = 100000;
  std::string rows;
  for (size_t i = 1; i <= kRows; ++i) {
    std::string n = std::to_string(i);
    rows += "<row r=\"" + n + "\"><c r=\"A" + n + "\" t=\"s\"><v>" + std::to_string(i % 2) +
            "</v></c><c r=\"B" + n + "\"><v>" + n + "</v></c><c r=\"C" + n +
            "\" t=\"inlineStr\"><is><t>Thôn số " + n + "</t></is></c></row>\n";
  }
  std::string shared = "<sst xmlns=\"" + std::string(kMain) +
                       "\"><si><t>Xã Tân Lập</t></si><si><t>Xã Hòa Bình</t></si></sst>";
  std::string path = Path("big.xlsx");
  Parts parts = Workbook({{"S", SheetXml(rows)}}, shared);
  ASSERT_GT(parts["xl/worksheets/sheet1.xml"].size(), size_t{8} << 20);
  WriteZip(path, parts);
  parts.clear();

  XlsxReader reader = OpenOk(path);
  Row cells;
  size_t count = 0;
  size_t largest = 0;
  while (reader.Next(cells)) {
    ++count;
    largest = std::max(largest, reader.buffer_bytes());
    if (count == 12345) {
      EXPECT_EQ(cells, (Row{"Xã Hòa Bình", "12345", "Thôn số 12345"}));
    }
  }
  EXPECT_FALSE(reader.error());
  EXPECT_EQ(count, kRows);
  EXPECT_EQ(reader.row(), kRows);
  EXPECT_LT(largest, size_t{128} << 10);  // one 64 KiB chunk and a row, not 8 MB of XML
}

}  // namespace
}  // namespace pdh
