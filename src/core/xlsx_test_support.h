// For tests that need workbooks a writer would not produce (merged cells, date styles, damaged
// parts): the parts of an .xlsx package written by hand and zipped into a file.
#pragma once

#include <gtest/gtest.h>
#include <zip.h>

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

}  // namespace pdh::xlsx_testing
