// A report's content as an A4 PDF: Pango shapes the Vietnamese text in a Times-metric serif
// (Liberation Serif; Cairo embeds the glyphs it uses), tables break across pages with their
// header repeated, and every page carries the province, the date and "Trang n/N".
#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <boost/json.hpp>
#include <memory>
#include <string>
#include <vector>

#include "report/internal.h"
#include "report/report.h"

namespace pdh::report {
namespace json = boost::json;
namespace {

using internal::CellText;
using internal::Text;

// A4 in points, and the margins of an administrative document (left 30 mm binding edge would be
// too wide for tables: 20 mm).
constexpr double kPageWidth = 595.28;
constexpr double kPageHeight = 841.89;
constexpr double kLeft = 56.7;
constexpr double kRight = 42.5;
constexpr double kTop = 51.0;
constexpr double kBottom = 56.7;
constexpr double kContentWidth = kPageWidth - kLeft - kRight;
constexpr double kPad = 3.0;
constexpr double kShortText = 72.0;  // points: a text column this narrow keeps its width

constexpr const char* kFamily = "Liberation Serif, Times New Roman, Tinos, serif";

struct LayoutDeleter {
  void operator()(PangoLayout* l) const { g_object_unref(l); }
};
using Layout = std::unique_ptr<PangoLayout, LayoutDeleter>;

// Lays the report out page by page; with `draw` false only counts the pages.
class Writer {
 public:
  Writer(cairo_t* cr, bool draw, int total_pages, const json::object& report)
      : cr_(cr), draw_(draw), total_(total_pages), report_(report) {}

  int Run() {
    NewPage();
    Heading();
    int n = 0;
    for (const auto& s : report_.at("sections").as_array()) Section(++n, s.as_object());
    FinishPage();
    return page_;
  }

 private:
  Layout Make(const std::string& text, double size, bool bold, bool italic, double width,
              PangoAlignment align = PANGO_ALIGN_LEFT) {
    Layout layout(pango_cairo_create_layout(cr_));
    PangoFontDescription* font = pango_font_description_from_string(kFamily);
    pango_font_description_set_absolute_size(font, size * PANGO_SCALE);
    pango_font_description_set_weight(font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_font_description_set_style(font, italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL);
    pango_layout_set_font_description(layout.get(), font);
    pango_font_description_free(font);
    if (width > 0) {
      pango_layout_set_width(layout.get(), static_cast<int>(width * PANGO_SCALE));
      pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);
    }
    pango_layout_set_alignment(layout.get(), align);
    pango_layout_set_text(layout.get(), text.c_str(), static_cast<int>(text.size()));
    return layout;
  }

  static double Height(PangoLayout* l) {
    int w = 0;
    int h = 0;
    pango_layout_get_size(l, &w, &h);
    return static_cast<double>(h) / PANGO_SCALE;
  }
  static double Width(PangoLayout* l) {
    int w = 0;
    int h = 0;
    pango_layout_get_size(l, &w, &h);
    return static_cast<double>(w) / PANGO_SCALE;
  }

  void Show(PangoLayout* l, double x, double y) {
    if (!draw_) return;
    cairo_move_to(cr_, x, y);
    pango_cairo_show_layout(cr_, l);
  }

  void NewPage() {
    ++page_;
    y_ = kTop;
  }

  // The page's footer, then the next page.
  void FinishPage() {
    if (!draw_) return;
    const std::string footer = Text(report_.at("province").at("name")) + " — " +
                               Text(report_.at("title")) + " — Trang " + std::to_string(page_) +
                               "/" + std::to_string(total_);
    Layout l = Make(footer, 8.5, false, false, kContentWidth, PANGO_ALIGN_CENTER);
    cairo_set_source_rgb(cr_, 0.3, 0.3, 0.3);
    Show(l.get(), kLeft, kPageHeight - kBottom + 18);
    cairo_set_source_rgb(cr_, 0, 0, 0);
    cairo_show_page(cr_);
  }

  void Break() {
    FinishPage();
    NewPage();
  }

  // Room for `h` more points on this page, or a new page.
  void Need(double h) {
    if (y_ + h > kPageHeight - kBottom) Break();
  }

  void Paragraph(const std::string& text, double size, bool bold, bool italic,
                 PangoAlignment align = PANGO_ALIGN_LEFT, double after = 4) {
    Layout l = Make(text, size, bold, italic, kContentWidth, align);
    const double h = Height(l.get());
    Need(h);
    Show(l.get(), kLeft, y_);
    y_ += h + after;
  }

  void Heading() {
    Paragraph("ỦY BAN NHÂN DÂN " + Upper(Text(report_.at("province").at("name"))), 12, true, false,
              PANGO_ALIGN_CENTER, 2);
    Paragraph("Kho dữ liệu dùng chung của tỉnh", 10.5, false, true, PANGO_ALIGN_CENTER, 14);
    Paragraph(Upper(Text(report_.at("title"))), 14, true, false, PANGO_ALIGN_CENTER, 4);
    Paragraph(internal::Dateline(report_), 11, false, true, PANGO_ALIGN_CENTER, 14);
  }

  static std::string Upper(const std::string& s) {
    gchar* up = g_utf8_strup(s.c_str(), static_cast<gssize>(s.size()));
    std::string out(up);
    g_free(up);
    return out;
  }

  void Section(int n, const json::object& s) {
    // A section's title stays with at least its header and a row.
    Need(60);
    Paragraph(std::to_string(n) + ". " + Text(s.at("title")), 12.5, true, false, PANGO_ALIGN_LEFT,
              2);
    if (!Text(s.at("note")).empty()) Paragraph(Text(s.at("note")), 10, false, true);
    const auto& rows = s.at("rows").as_array();
    if (rows.empty()) {
      Paragraph("Không có.", 10.5, false, true, PANGO_ALIGN_LEFT, 10);
      return;
    }
    Table(s.at("columns").as_array(), rows);
    y_ += 10;
  }

  // Column widths: numbers as wide as their widest figure; text columns share the rest in
  // proportion to their longest text, and wrap.
  std::vector<double> Widths(const json::array& columns, const json::array& rows, double size) {
    const size_t n = columns.size();
    std::vector<double> natural(n, 0);
    std::vector<bool> text(n, false);
    for (size_t i = 0; i < n; ++i) {
      const std::string kind = Text(columns[i].at("kind"));
      text[i] = kind == "text";
      Layout h = Make(Text(columns[i].at("title")), size, true, false, 0);
      // A header may wrap over two lines; numbers set the width of their column.
      natural[i] = text[i] ? Width(h.get()) : std::min(Width(h.get()), 60.0);
      for (const auto& r : rows) {
        const auto& row = r.as_array();
        if (i >= row.size()) continue;
        Layout c = Make(CellText(row[i], kind), size, false, false, 0);
        natural[i] = std::max(natural[i], Width(c.get()));
      }
      natural[i] += 2 * kPad;
    }
    // Short text (codes, dates, a word) is not wrapped either.
    for (size_t i = 0; i < n; ++i) text[i] = text[i] && natural[i] > kShortText;
    double fixed = 0;
    double flexible = 0;
    for (size_t i = 0; i < n; ++i) (text[i] ? flexible : fixed) += natural[i];
    std::vector<double> w = natural;
    if (fixed + flexible <= kContentWidth) {
      const double grow = kContentWidth / (fixed + flexible);
      for (double& x : w) x *= grow;
      return w;
    }
    const double room = std::max(kContentWidth - fixed, kContentWidth * 0.3);
    const double scale_fixed = fixed > 0 ? std::min(1.0, (kContentWidth - room) / fixed) : 1;
    for (size_t i = 0; i < n; ++i) {
      w[i] = text[i] ? room * natural[i] / flexible : natural[i] * scale_fixed;
    }
    return w;
  }

  // One row of cells; returns its height (drawn only when `show`).
  double Row(const std::vector<std::string>& cells, const std::vector<double>& widths,
             const std::vector<bool>& right, double size, bool header, bool show) {
    std::vector<Layout> layouts;
    double h = 0;
    for (size_t i = 0; i < widths.size(); ++i) {
      layouts.push_back(Make(i < cells.size() ? cells[i] : "", size, header, false,
                             widths[i] - 2 * kPad,
                             header     ? PANGO_ALIGN_CENTER
                             : right[i] ? PANGO_ALIGN_RIGHT
                                        : PANGO_ALIGN_LEFT));
      h = std::max(h, Height(layouts.back().get()));
    }
    h += 2 * kPad;
    if (!show || !draw_) return h;
    double x = kLeft;
    for (size_t i = 0; i < widths.size(); ++i) {
      if (header) {
        cairo_set_source_rgb(cr_, 0.92, 0.92, 0.92);
        cairo_rectangle(cr_, x, y_, widths[i], h);
        cairo_fill(cr_);
        cairo_set_source_rgb(cr_, 0, 0, 0);
      }
      cairo_set_line_width(cr_, 0.5);
      cairo_rectangle(cr_, x, y_, widths[i], h);
      cairo_stroke(cr_);
      Show(layouts[i].get(), x + kPad, y_ + kPad);
      x += widths[i];
    }
    return h;
  }

  void Table(const json::array& columns, const json::array& rows) {
    constexpr double kSize = 9.5;
    const std::vector<double> widths = Widths(columns, rows, kSize);
    std::vector<std::string> header;
    std::vector<bool> right;
    std::vector<std::string> kinds;
    for (const auto& c : columns) {
      header.push_back(Text(c.at("title")));
      kinds.push_back(Text(c.at("kind")));
      right.push_back(kinds.back() != "text");
    }
    const double header_h = Row(header, widths, right, kSize, true, false);
    Need(header_h + 20);
    y_ += Row(header, widths, right, kSize, true, true);
    for (const auto& r : rows) {
      std::vector<std::string> cells;
      const auto& row = r.as_array();
      for (size_t i = 0; i < row.size() && i < kinds.size(); ++i) {
        cells.push_back(CellText(row[i], kinds[i]));
      }
      const double h = Row(cells, widths, right, kSize, false, false);
      if (y_ + h > kPageHeight - kBottom) {
        Break();
        y_ += Row(header, widths, right, kSize, true, true);
      }
      y_ += Row(cells, widths, right, kSize, false, true);
    }
  }

  cairo_t* cr_;
  bool draw_;
  int total_;
  const json::object& report_;
  int page_ = 0;
  double y_ = kTop;
};

cairo_status_t Append(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

}  // namespace

Result<std::string> Pdf(const json::object& report) {
  std::string out;
  int pages = 0;
  {
    // First the pages are counted on a surface that draws nothing, for "Trang n/N".
    cairo_surface_t* counting = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, nullptr);
    cairo_t* cr = cairo_create(counting);
    pages = Writer(cr, false, 0, report).Run();
    cairo_destroy(cr);
    cairo_surface_destroy(counting);
  }
  cairo_surface_t* surface =
      cairo_pdf_surface_create_for_stream(Append, &out, kPageWidth, kPageHeight);
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE,
                                 Text(report.at("title")).c_str());
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "pdh");
  cairo_t* cr = cairo_create(surface);
  Writer(cr, true, pages, report).Run();
  cairo_destroy(cr);
  cairo_surface_finish(surface);
  const cairo_status_t status = cairo_surface_status(surface);
  cairo_surface_destroy(surface);
  if (status != CAIRO_STATUS_SUCCESS) {
    return Fail(Error::Internal(
        "report.render_failed",
        std::string("the PDF could not be written: ") + cairo_status_to_string(status)));
  }
  return out;
}

}  // namespace pdh::report
