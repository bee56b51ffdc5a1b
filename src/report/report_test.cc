// The report's renderings of a small hand-made content, and its schedule.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>
#include <vector>

#include "core/number.h"
#include "core/xlsx.h"
#include "report/report.h"

namespace pdh::report {
namespace {

namespace json = boost::json;

json::object Content() {
  return json::parse(R"({
    "month": "2025-10", "as_of": "2025-10-31", "previous_as_of": "2025-09-30",
    "province": {"code": "80", "name": "Tỉnh Tây Ninh"},
    "title": "Báo cáo tháng 10/2025", "issued_at": null, "issued_by": null,
    "sections": [
      {"key": "summary", "title": "Bảng tổng hợp", "title_en": "Summary", "note": "Ghi chú <1>",
       "columns": [{"title": "Nội dung", "title_en": "Item", "kind": "text"},
                   {"title": "Trước", "title_en": "Before", "kind": "number"},
                   {"title": "Nay", "title_en": "Now", "kind": "number"},
                   {"title": "Thay đổi", "title_en": "Change", "kind": "change"}],
       "rows": [["Lượt cài đặt", 231957, 237000, 5043], ["Tỷ lệ & <b>", 88.06, 88.04, -0.02],
                ["Chưa có", null, 5, null]]},
      {"key": "late_reports", "title": "Trễ hạn", "title_en": "Late", "note": "",
       "columns": [{"title": "Đơn vị", "title_en": "Unit", "kind": "text"}], "rows": []}
    ]})")
      .as_object();
}

TEST(Report, HtmlWritesFiguresTheVietnameseWayAndEscapes) {
  const std::string html = Html(Content());
  EXPECT_NE(html.find("<td class=\"n\">237.000</td>"), std::string::npos) << html;
  EXPECT_NE(html.find("<td class=\"n\">+5.043</td>"), std::string::npos);
  EXPECT_NE(html.find("<td class=\"n\">-0,02</td>"), std::string::npos);
  EXPECT_NE(html.find("Tỷ lệ &amp; &lt;b&gt;"), std::string::npos);
  EXPECT_NE(html.find("Ghi chú &lt;1&gt;"), std::string::npos);
  EXPECT_NE(html.find("Không có."), std::string::npos);  // an empty section says so
  EXPECT_NE(html.find("31/10/2025"), std::string::npos);
  EXPECT_NE(html.find("@page { size: A4"), std::string::npos);
}

TEST(Report, TheWorkbookHasASheetPerSectionAndTheChangeAsAFormula) {
  auto bytes = Xlsx(Content());
  ASSERT_TRUE(bytes) << bytes.error().message;
  auto book = XlsxReader::OpenBuffer(*bytes);
  ASSERT_TRUE(book) << book.error().message;
  EXPECT_EQ(book->sheet_names(), (std::vector<std::string>{"1. Summary", "2. Late"}));
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> cells;
  while (book->Next(cells)) rows.push_back(cells);
  // Title, dateline, section title, note; the header; the rows.
  ASSERT_GE(rows.size(), 8U);
  EXPECT_EQ(rows[0][0], "Báo cáo tháng 10/2025");
  EXPECT_EQ(rows[4], (std::vector<std::string>{"Nội dung", "Trước", "Nay", "Thay đổi"}));
  EXPECT_EQ(rows[5], (std::vector<std::string>{"Lượt cài đặt", "231957", "237000", "5043"}));
  EXPECT_EQ(rows[6][3], "-0.02");
  EXPECT_EQ(rows[7].size(), 3U);  // no change without a value before
}

TEST(Report, ThePdfIsA4WithItsPagesNumbered) {
  auto pdf = Pdf(Content());
  ASSERT_TRUE(pdf) << pdf.error().message;
  EXPECT_EQ(pdf->substr(0, 5), "%PDF-");
  EXPECT_NE(pdf->find("/MediaBox [ 0 0 595.28 841.89 ]"), std::string::npos);
  // The serif font is embedded (a subset of the glyphs used).
  EXPECT_NE(pdf->find("LiberationSerif"), std::string::npos);
}

TEST(Report, FormatsAndFileNames) {
  EXPECT_EQ(ParseFormat("pdf"), Format::kPdf);
  EXPECT_EQ(ParseFormat("docx"), std::nullopt);
  EXPECT_EQ(FileName(Content(), Format::kXlsx), "bao-cao-thang-2025-10.xlsx");
  EXPECT_EQ(ContentType(Format::kPdf), "application/pdf");
}

TEST(Report, TheScheduleNamesTheMonthBeforeFromItsDay) {
  EXPECT_EQ(DueMonth(5, {2025, 11, 4}), "");
  EXPECT_EQ(DueMonth(5, {2025, 11, 5}), "2025-10");
  EXPECT_EQ(DueMonth(5, {2025, 11, 30}), "2025-10");
  EXPECT_EQ(DueMonth(1, {2026, 1, 1}), "2025-12");
  EXPECT_EQ(DueMonth(0, {2026, 1, 9}), "");    // not scheduled
  EXPECT_EQ(DueMonth(29, {2026, 1, 30}), "");  // not a day every month has
}

TEST(Report, NumbersAsVietnameseWriteThem) {
  EXPECT_EQ(number::FormatVi(int64_t{1234567}), "1.234.567");
  EXPECT_EQ(number::FormatVi(int64_t{-1000}), "-1.000");
  EXPECT_EQ(number::FormatVi(int64_t{12}), "12");
  EXPECT_EQ(number::FormatVi(99.6), "99,6");
  EXPECT_EQ(number::FormatVi(100.0), "100");
  EXPECT_EQ(number::FormatVi(-0.004), "0");
  EXPECT_EQ(number::FormatVi(8536.444, 2), "8.536,44");
  EXPECT_EQ(number::FormatVi(0.125, 3), "0,125");
}

}  // namespace
}  // namespace pdh::report

#if defined(__SANITIZE_ADDRESS__)
// What the leak checker of the sanitized build must not report, being the libraries' and not
// ours: Fontconfig (which Pango asks for the report's fonts) keeps its configuration and caches
// for the life of the process; libxlsxwriter 1.1 does not free the formula of a list validation
// (the drop-downs of a dataset's Excel template).
extern "C" const char* __lsan_default_suppressions() {  // NOLINT(readability-identifier-naming)
  return "leak:libfontconfig.so\nleak:libxlsxwriter.so\n";
}
#endif
