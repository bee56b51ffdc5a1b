// For tests that need workbooks a writer would not produce (merged cells, date styles, damaged
// parts): the parts of an .xlsx package written by hand and zipped into a file.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>
#include <zip.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pdh::xlsx_testing {

// Part name -> body.
using Parts = std::map<std::string, std::string>;

constexpr std::string_view kMain = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
constexpr std::string_view kRel =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

inline void WriteZip(const std::string& path, const Parts& parts) {
  int code = 0;
  zip_t* zip = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &code);
  ASSERT_NE(zip, nullptr) << code;
  for (const auto& [name, body] : parts) {
    zip_source_t* source = zip_source_buffer(zip, body.data(), body.size(), 0);
    ASSERT_GE(zip_file_add(zip, name.c_str(), source, ZIP_FL_OVERWRITE), 0) << name;
  }
  ASSERT_EQ(zip_close(zip), 0);
}

// A worksheet part: `rows` inside <sheetData>, then `after` (merges, print settings).
inline std::string SheetXml(const std::string& rows, const std::string& after = "") {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<worksheet xmlns=\"" +
         std::string(kMain) + "\" xmlns:r=\"" + std::string(kRel) + "\">\n<sheetData>" + rows +
         "</sheetData>" + after + "</worksheet>";
}

// A workbook of the given sheets (name -> sheet XML), with optional shared strings, styles and
// workbookPr, laid out as Excel lays it out.
inline Parts Workbook(const std::vector<std::pair<std::string, std::string>>& sheets,
                      const std::string& shared_strings = "", const std::string& styles = "",
                      const std::string& workbook_pr = "") {
  Parts parts;
  parts["_rels/.rels"] =
      "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
      "<Relationship Id=\"rId1\" Type=\"" +
      std::string(kRel) + "/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>";
  std::string list, rels;
  for (size_t i = 0; i < sheets.size(); ++i) {
    std::string n = std::to_string(i + 1);
    list += "<sheet name=\"" + sheets[i].first + "\" sheetId=\"" + n + "\" r:id=\"rId" + n + "\"/>";
    rels += "<Relationship Id=\"rId" + n + "\" Type=\"" + std::string(kRel) +
            "/worksheet\" Target=\"worksheets/sheet" + n + ".xml\"/>";
    parts["xl/worksheets/sheet" + n + ".xml"] = sheets[i].second;
  }
  auto add = [&](const std::string& kind, const std::string& body) {
    if (body.empty()) return;
    rels += "<Relationship Id=\"rId" + kind + "\" Type=\"" + std::string(kRel) + "/" + kind +
            "\" Target=\"/xl/" + kind + ".xml\"/>";
    parts["xl/" + kind + ".xml"] = body;
  };
  add("sharedStrings", shared_strings);
  add("styles", styles);
  parts["xl/workbook.xml"] = "<workbook xmlns=\"" + std::string(kMain) + "\" xmlns:r=\"" +
                             std::string(kRel) + "\">" + workbook_pr + "<sheets>" + list +
                             "</sheets></workbook>";
  parts["xl/_rels/workbook.xml.rels"] =
      "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">" +
      rels + "</Relationships>";
  return parts;
}

// Cells of a hand-written sheet: text, and numbers with an optional style (1 is a date in
// DateStyles).
inline std::string Text(const std::string& ref, const std::string& text) {
  return "<c r=\"" + ref + "\" t=\"inlineStr\"><is><t>" + text + "</t></is></c>";
}
inline std::string Number(const std::string& ref, const std::string& value, int style = 0) {
  return "<c r=\"" + ref + "\"" + (style ? " s=\"" + std::to_string(style) + "\"" : "") + "><v>" +
         value + "</v></c>";
}
inline std::string RowXml(int n, const std::string& cells) {
  return "<row r=\"" + std::to_string(n) + "\">" + cells + "</row>";
}

// A cell of a row written column by column: text, or a number with an optional style (as
// Number's). An empty text is no cell at all, a gap in the row.
struct SheetCell {
  SheetCell(const char* text)
      : value(text) {}  // NOLINT(google-explicit-constructor): rows read as text
  SheetCell(std::string v, int s) : value(std::move(v)), number(true), style(s) {}

  std::string value;
  bool number = false;
  int style = 0;
};
inline SheetCell NumberCell(std::string value, int style = 0) {
  return {std::move(value), style};
}

// Row `n` with `cells` in columns A, B, C, ... (at most 26).
inline std::string SheetRow(int n, const std::vector<SheetCell>& cells) {
  EXPECT_LE(cells.size(), 26u) << "SheetRow writes columns A to Z";
  std::string out;
  for (size_t i = 0; i < cells.size() && i < 26; ++i) {
    const std::string ref = std::string(1, static_cast<char>('A' + i)) + std::to_string(n);
    const SheetCell& c = cells[i];
    if (c.number) {
      out += Number(ref, c.value, c.style);
    } else if (!c.value.empty()) {
      out += Text(ref, c.value);
    }
  }
  return RowXml(n, out);
}
inline std::string Merges(const std::vector<std::string>& refs) {
  std::string out = "<mergeCells count=\"" + std::to_string(refs.size()) + "\">";
  for (const auto& ref : refs) out += "<mergeCell ref=\"" + ref + "\"/>";
  return out + "</mergeCells>";
}

// Style 1 shows a number as a date (built-in format 14, d/m/yyyy).
inline std::string DateStyles() {
  return "<styleSheet xmlns=\"" + std::string(kMain) +
         "\"><cellXfs count=\"2\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/></cellXfs>"
         "</styleSheet>";
}

// The bytes of a workbook of one sheet, `sheet_name`, with DateStyles, zipped from hand-written
// XML through a file named after the running test.
inline std::string WorkbookBytes(const std::string& sheet_name, const std::string& sheet_xml) {
  namespace fs = std::filesystem;
  const std::string test = ::testing::UnitTest::GetInstance()->current_test_info()->name();
  const fs::path path =
      fs::temp_directory_path() / ("pdh-xlsx-" + std::to_string(::getpid()) + "-" + test + ".xlsx");
  WriteZip(path.string(), Workbook({{sheet_name, sheet_xml}}, "", DateStyles()));
  std::ifstream in(path, std::ios::binary);
  std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  fs::remove(path);
  return bytes;
}

}  // namespace pdh::xlsx_testing
