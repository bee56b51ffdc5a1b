// The monthly report (M13) through the API: its table equals the overview's figures at the month's
// end and the month before; the PDF's text (pdftotext) and the workbook (the project's reader)
// carry the same figures; an issued report stays as it was when the data changes; and the report
// reaches an SMTP sink on loopback with its PDF, sent on demand and on its day of the month (the
// reminders' round that `pdh serve` runs).
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdio>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/number.h"
#include "core/xlsx.h"
#include "integration/pdh_server.h"
#include "notify/test_servers.h"

namespace pdh::test {
namespace {

namespace json = boost::json;

json::object ReportJson(const HttpResponse& r) {
  return json::parse(r.body).as_object();
}

HttpResponse ReportPost(const PdhServer& server, const std::string& target,
                        const std::string& body) {
  return server.Request({"POST", target, body, {{"Content-Type", "application/json"}}});
}

// The overview's figures as of a date: label -> value (figures and their parts).
std::map<std::string, double> Figures(const PdhServer& server, const std::string& as_of) {
  std::map<std::string, double> out;
  const json::object overview = ReportJson(server.Get("/api/v1/overview?as_of=" + as_of));
  for (const auto& f : overview.at("figures").as_array()) {
    if (f.at("value").is_number()) {
      out[std::string(f.at("label").as_string())] = f.at("value").to_number<double>();
    }
  }
  return out;
}

// The report's summary rows: label -> (previous, current).
std::map<std::string, std::pair<json::value, json::value>> SummaryRows(const json::object& report) {
  std::map<std::string, std::pair<json::value, json::value>> out;
  const auto& summary = report.at("sections").as_array().at(0).as_object();
  EXPECT_EQ(summary.at("key"), "summary");
  for (const auto& r : summary.at("rows").as_array()) {
    const auto& row = r.as_array();
    std::string label(row.at(0).as_string());
    if (const size_t cut = label.find(" (trên tổng số"); cut != std::string::npos)
      label.resize(cut);
    out[label] = {row.at(1), row.at(2)};
  }
  return out;
}

std::string TextOfPdf(const std::string& dir, const std::string& pdf) {
  const std::string file = dir + "/report.pdf";
  std::ofstream(file, std::ios::binary) << pdf;
  std::string text;
  FILE* p = ::popen(("pdftotext -layout " + file + " -").c_str(), "r");
  if (p == nullptr) return text;
  char buf[4096];
  size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) text.append(buf, n);
  ::pclose(p);
  return text;
}

TEST(ReportApi, TheMonthlyReportReadsIssuesAndIsMailedOnItsDay) {
  notify::testing::SmtpSink smtp;
  // The optimized server: the report's rendering runs under the sanitizers in report_test; here
  // the subject is what a reader receives.
  PdhServer server("--remind-every 0", FastPdhBin());
  ASSERT_EQ(server.Pdh("settings set notify.smtp_url " + smtp.url()), 0);
  ASSERT_EQ(server.Pdh("settings set notify.email.80 ubnd@tayninh.gov.vn"), 0);

  // The draft of October 2025: the overview's figures at 31/10 and at 30/09.
  auto r = server.Get("/api/v1/reports/monthly/2025-10");
  ASSERT_EQ(r.status, 200) << r.body;
  const json::object draft = ReportJson(r);
  EXPECT_EQ(draft.at("issued"), false);
  EXPECT_EQ(draft.at("as_of"), "2025-10-31");
  const auto rows = SummaryRows(draft);
  const auto now = Figures(server, "2025-10-31");
  const auto before = Figures(server, "2025-09-30");
  ASSERT_FALSE(now.empty());
  for (const auto& [label, value] : now) {
    ASSERT_TRUE(rows.count(label)) << label;
    EXPECT_EQ(rows.at(label).second.to_number<double>(), value) << label;
    if (before.count(label)) {
      EXPECT_EQ(rows.at(label).first.to_number<double>(), before.at(label)) << label;
    }
  }
  std::vector<std::string> keys;
  for (const auto& s : draft.at("sections").as_array()) {
    keys.emplace_back(s.at("key").as_string());
  }
  EXPECT_EQ(keys, (std::vector<std::string>{"summary", "late_reports", "overdue_tasks", "off_track",
                                            "quality"}));
  EXPECT_FALSE(draft.at("sections").as_array().at(1).at("rows").as_array().empty());
  EXPECT_EQ(server.Get("/api/v1/reports/monthly/2025-13").status, 400);

  // The PDF: A4 pages with the province, the title, page numbers and the figures, Vietnamese
  // style (237.000).
  const std::string installs = "Số lượt cài đặt ứng dụng công dân số";
  ASSERT_TRUE(now.count(installs));
  r = server.Get("/api/v1/reports/monthly/2025-10?format=pdf");
  ASSERT_EQ(r.status, 200);
  ASSERT_EQ(r.body.substr(0, 5), "%PDF-");
  const std::string text = TextOfPdf(server.dir(), r.body);
  EXPECT_NE(text.find("ỦY BAN NHÂN DÂN TỈNH TÂY NINH"), std::string::npos) << text.substr(0, 500);
  EXPECT_NE(text.find("THÁNG 10/2025"), std::string::npos);
  EXPECT_NE(text.find("31/10/2025"), std::string::npos);
  EXPECT_NE(text.find("Trang 1/"), std::string::npos);
  EXPECT_NE(text.find(number::FormatVi(now.at(installs), 2)), std::string::npos);
  EXPECT_NE(text.find("Chất lượng dữ liệu"), std::string::npos);

  // The workbook: one sheet per section; the summary's values, and the change as a formula's
  // value.
  r = server.Get("/api/v1/reports/monthly/2025-10?format=xlsx");
  ASSERT_EQ(r.status, 200);
  auto book = XlsxReader::OpenBuffer(r.body);
  ASSERT_TRUE(book) << book.error().message;
  EXPECT_EQ(book->sheet_names().size(), 5U);
  std::vector<std::string> cells;
  bool found = false;
  while (book->Next(cells)) {
    if (cells.empty() || cells[0] != installs) continue;
    found = true;
    EXPECT_EQ(std::stod(cells.at(2)), now.at(installs));
    EXPECT_EQ(std::stod(cells.at(3)), now.at(installs) - before.at(installs));
  }
  EXPECT_TRUE(found);

  // Issued once; it reads the same after the data changes.
  r = ReportPost(server, "/api/v1/reports/monthly/2025-10/issue", "{}");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(ReportPost(server, "/api/v1/reports/monthly/2025-10/issue", "{}").status, 200);
  r = ReportPost(
      server, "/api/v1/values",
      R"({"values":[{"element":"APP_INSTALLS","unit":"80","period":"2025-10","value":999999}]})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Figures(server, "2025-10-31").at(installs), 999999);
  const json::object issued = ReportJson(server.Get("/api/v1/reports/monthly/2025-10"));
  EXPECT_EQ(issued.at("issued"), true);
  EXPECT_EQ(SummaryRows(issued).at(installs).second.to_number<double>(), now.at(installs));
  const auto list = ReportJson(server.Get("/api/v1/reports/monthly"));
  ASSERT_EQ(list.at("items").as_array().size(), 1U);
  EXPECT_EQ(list.at("items").as_array()[0].at("month"), "2025-10");

  // Sent on demand, and on its day of the month (the reminders as of 5/11/2025 with the report
  // scheduled for the 1st: October's); only the province has an address here.
  r = ReportPost(server, "/api/v1/reports/monthly/2025-10/send", "{}");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(ReportJson(r).at("queued"), 1);
  EXPECT_EQ(server
                .Request({"PUT",
                          "/api/v1/reports/schedule",
                          R"({"day":29})",
                          {{"Content-Type", "application/json"}}})
                .status,
            422);
  r = server.Request(
      {"PUT", "/api/v1/reports/schedule", R"({"day":1})", {{"Content-Type", "application/json"}}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(ReportJson(server.Get("/api/v1/reports/monthly")).at("schedule_day"), 1);
  r = ReportPost(server, "/api/v1/tracker/reminders?as_of=2025-11-05", "{}");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(ReportJson(r).at("monthly_report"), 1);
  r = ReportPost(server, "/api/v1/tracker/reminders?as_of=2025-11-06", "{}");
  EXPECT_EQ(ReportJson(r).at("monthly_report"), 0);  // once a month
  r = ReportPost(server, "/api/v1/tracker/outbox/deliver", "{}");
  ASSERT_EQ(r.status, 200) << r.body;
  std::vector<std::string> mailed;
  for (const auto& m : smtp.messages()) {
    if (m.data.find("filename=\"bao-cao-thang-2025-10.pdf\"") != std::string::npos) {
      mailed.push_back(m.data);
    }
  }
  ASSERT_EQ(mailed.size(), 2U) << smtp.count() << " messages";
  for (const auto& m : mailed) {
    EXPECT_NE(m.find("Content-Type: multipart/mixed"), std::string::npos);
    EXPECT_NE(m.find("Content-Type: application/pdf"), std::string::npos);
    EXPECT_NE(m.find("ubnd@tayninh.gov.vn"), std::string::npos);
  }
}

}  // namespace
}  // namespace pdh::test
