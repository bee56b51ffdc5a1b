// A report's content as printable HTML and as a workbook of one sheet per section; the formats
// and file names; the archive of issued reports.
#include <boost/json.hpp>
#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

#include "core/json_util.h"
#include "core/number.h"
#include "core/sheet.h"
#include "core/text.h"
#include "report/internal.h"
#include "report/report.h"

namespace pdh::report {
namespace json = boost::json;

namespace internal {

std::string Text(const json::value& v) {
  return v.is_string() ? std::string(v.as_string()) : "";
}

std::string CellText(const json::value& cell, std::string_view kind) {
  if (cell.is_null()) return "";
  if (cell.is_string()) return std::string(cell.as_string());
  if (!cell.is_number()) return json::serialize(cell);
  const double v = cell.to_number<double>();
  std::string s = number::FormatVi(v, 2);
  if (kind == "change" && v > 0 && s != "0") s.insert(0, "+");
  return s;
}

std::string DateVi(Date d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d/%02d/%04d", d.day, d.month, d.year);
  return buf;
}

std::string DateVi(std::string_view iso) {
  const auto d = Date::Parse(iso);
  return d ? DateVi(*d) : std::string(iso);
}

std::string Dateline(const json::object& report) {
  std::string s = Text(report.at("province").at("name")) + ", số liệu tính đến ngày " +
                  DateVi(Text(report.at("as_of")));
  if (const auto* at = report.if_contains("issued_at"); at != nullptr && at->is_string()) {
    s += " — phát hành ngày " + DateVi(Text(*at).substr(0, 10));
  }
  return s;
}

}  // namespace internal

namespace {

using internal::CellText;
using internal::Text;

std::string Escape(std::string_view s) {
  return text::XmlEscape(s);
}

constexpr std::string_view kStyle = R"css(
@page { size: A4; margin: 18mm 15mm 18mm 20mm; }
body { font-family: "Times New Roman", "Liberation Serif", Tinos, serif; font-size: 12pt;
       color: #111; max-width: 190mm; margin: 1em auto; line-height: 1.35; }
header { text-align: center; margin-bottom: 1.2em; }
header .province { text-transform: uppercase; font-weight: bold; }
h1 { font-size: 15pt; margin: .6em 0 .2em; }
h2 { font-size: 13pt; margin: 1.2em 0 .3em; break-after: avoid; }
p.note { margin: 0 0 .4em; font-style: italic; }
table { border-collapse: collapse; width: 100%; font-size: 10.5pt; break-inside: auto; }
th, td { border: 1px solid #444; padding: 2px 5px; vertical-align: top; }
th { background: #eee; }
td.n { text-align: right; white-space: nowrap; }
tr { break-inside: avoid; }
p.empty { font-style: italic; }
footer { margin-top: 2em; font-size: 9.5pt; color: #444; }
)css";

}  // namespace

std::string Html(const json::object& report) {
  std::string out;
  out += "<!DOCTYPE html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\"><title>";
  out += Escape(Text(report.at("title")));
  out += "</title><style>";
  out += kStyle;
  out += "</style></head><body>\n<header><div class=\"province\">";
  out += Escape("Ủy ban nhân dân " + Text(report.at("province").at("name")));
  out += "</div><h1>" + Escape(Text(report.at("title"))) + "</h1><div>";
  out += Escape(internal::Dateline(report));
  out += "</div></header>\n";
  int n = 0;
  for (const auto& sv : report.at("sections").as_array()) {
    const auto& s = sv.as_object();
    const auto& columns = s.at("columns").as_array();
    out += "<section data-section=\"" + Escape(Text(s.at("key"))) + "\"><h2>";
    out += std::to_string(++n) + ". " + Escape(Text(s.at("title"))) + "</h2>";
    if (!Text(s.at("note")).empty()) {
      out += "<p class=\"note\">" + Escape(Text(s.at("note"))) + "</p>";
    }
    const auto& rows = s.at("rows").as_array();
    if (rows.empty()) {
      out += "<p class=\"empty\">Không có.</p></section>\n";
      continue;
    }
    out += "<table><thead><tr>";
    for (const auto& c : columns) out += "<th>" + Escape(Text(c.at("title"))) + "</th>";
    out += "</tr></thead><tbody>\n";
    for (const auto& rv : rows) {
      out += "<tr>";
      const auto& row = rv.as_array();
      for (size_t i = 0; i < row.size() && i < columns.size(); ++i) {
        const std::string kind = Text(columns[i].at("kind"));
        out += kind == "text" ? "<td>" : "<td class=\"n\">";
        out += Escape(CellText(row[i], kind)) + "</td>";
      }
      out += "</tr>\n";
    }
    out += "</tbody></table></section>\n";
  }
  out += "<footer>Nguồn: Kho dữ liệu dùng chung của tỉnh (pdh). " +
         Escape(internal::Dateline(report)) + ".</footer>\n</body></html>\n";
  return out;
}

Result<std::string> Xlsx(const json::object& report) {
  std::vector<SheetTable> sheets;
  int n = 0;
  for (const auto& sv : report.at("sections").as_array()) {
    const auto& s = sv.as_object();
    SheetTable t;
    // Sheet names: at most 31 characters, none of []:*?/\ — the number and the short title.
    t.name = std::to_string(++n) + ". " + Text(s.at("title_en"));
    if (t.name.size() > 31) t.name.resize(31);
    t.title = {Text(report.at("title")), internal::Dateline(report),
               std::to_string(n) + ". " + Text(s.at("title")), Text(s.at("note"))};
    std::vector<std::string> header;
    for (const auto& c : s.at("columns").as_array()) {
      header.push_back(Text(c.at("title")));
      const std::string kind = Text(c.at("kind"));
      t.columns.push_back(kind == "text"     ? XlsxColumn::kText
                          : kind == "change" ? XlsxColumn::kDifference
                                             : XlsxColumn::kNumber);
    }
    t.rows.push_back(std::move(header));
    for (const auto& rv : s.at("rows").as_array()) {
      std::vector<std::string> row;
      for (const auto& cell : rv.as_array()) {
        row.push_back(cell.is_number()   ? json::serialize(cell)
                      : cell.is_string() ? std::string(cell.as_string())
                                         : std::string());
      }
      t.rows.push_back(std::move(row));
    }
    sheets.push_back(std::move(t));
  }
  std::ostringstream out;
  if (auto s = WriteXlsxSheets(out, sheets); !s) {
    return Fail(Error::Internal("report.render_failed", s.error().message));
  }
  return out.str();
}

std::optional<Format> ParseFormat(std::string_view name) {
  if (name == "pdf") return Format::kPdf;
  if (name == "xlsx") return Format::kXlsx;
  if (name == "html") return Format::kHtml;
  if (name == "json") return Format::kJson;
  return std::nullopt;
}

std::string_view ContentType(Format f) {
  switch (f) {
    case Format::kPdf:
      return "application/pdf";
    case Format::kXlsx:
      return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    case Format::kHtml:
      return "text/html; charset=utf-8";
    case Format::kJson:
      break;
  }
  return "application/json";
}

std::string FileName(const json::object& report, Format f) {
  const char* ext = f == Format::kPdf    ? "pdf"
                    : f == Format::kXlsx ? "xlsx"
                    : f == Format::kHtml ? "html"
                                         : "json";
  return "bao-cao-thang-" + Text(report.at("month")) + "." + ext;
}

Result<std::string> Render(const json::object& report, Format f) {
  switch (f) {
    case Format::kPdf:
      return Pdf(report);
    case Format::kXlsx:
      return Xlsx(report);
    case Format::kHtml:
      return Html(report);
    case Format::kJson:
      break;
  }
  return json_util::Serialize(report);
}

// --- Archive ------------------------------------------------------------------------------

Result<json::object> Archive::Issue(const Sources& sources, std::string_view month,
                                    const std::string& issued_by, const std::string& issued_at,
                                    bool* fresh) {
  if (fresh != nullptr) *fresh = false;
  auto kept = Get(month);
  if (!kept) return Fail(kept.error());
  if (*kept) return std::move(**kept);
  auto report = Monthly(sources, month);
  if (!report) return Fail(report.error());
  (*report)["issued_at"] = issued_at;
  (*report)["issued_by"] = issued_by;
  auto added = store_.InsertIfAbsent(
      {std::string(month), issued_at, issued_by, json_util::Serialize(*report)});
  if (!added) return Fail(added.error());
  if (!*added) {  // issued meanwhile by another caller: the kept one stands
    auto again = Get(month);
    if (!again) return Fail(again.error());
    if (*again) return std::move(**again);
  }
  if (fresh != nullptr) *fresh = *added;
  return std::move(*report);
}

Result<std::optional<json::object>> Archive::Get(std::string_view month) {
  auto row = store_.Get(std::string(month));
  if (!row) return Fail(row.error());
  if (!*row) return std::optional<json::object>();
  boost::system::error_code ec;
  auto v = json::parse((*row)->content, ec);
  if (ec || !v.is_object()) {
    return Fail(Error::Internal("report.corrupt",
                                "the kept report of " + std::string(month) + " does not parse"));
  }
  return std::optional<json::object>(std::move(v.as_object()));
}

Result<json::array> Archive::List() {
  auto rows = store_.List();
  if (!rows) return Fail(rows.error());
  json::array out;
  for (const auto& r : *rows) {
    out.push_back({{"month", r.month}, {"issued_at", r.issued_at}, {"issued_by", r.issued_by}});
  }
  return out;
}

}  // namespace pdh::report
