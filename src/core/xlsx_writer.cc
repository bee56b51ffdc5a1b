// XLSX writer over libxlsxwriter: sheets of text and number columns with a bold, frozen header
// and columns sized to their content.
#include <xlsxwriter.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <optional>
#include <utility>

#include "core/xlsx.h"

namespace pdh {
namespace {

// Column widths in Excel's units (about one character each), so a long note does not make a
// column wider than a screen.
constexpr double kMinWidth = 8;
constexpr double kMaxWidth = 60;

Error WriteFailed(std::string_view what, lxw_error code) {
  return Error::Internal("xlsx.write_failed", std::string(what) + ": " + lxw_strerror(code));
}

// Characters as a reader counts them: UTF-8 code points, not bytes.
double DisplayWidth(std::string_view s) {
  return static_cast<double>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// A number only when the whole text is one, as the program wrote it ("1234.5", "-3", "1e6").
std::optional<double> PlainNumber(std::string_view s) {
  double value = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

}  // namespace

struct XlsxWriter::Impl {
  ~Impl() {
    if (workbook != nullptr) lxw_workbook_free(workbook);  // abandoned: never written
  }

  Status WriteRow(const std::vector<std::string>& cells, bool header);
  Status WriteDifference(const std::vector<std::string>& cells, size_t i);
  void FitColumns();

  std::string path;
  lxw_workbook* workbook = nullptr;
  lxw_format* bold = nullptr;
  lxw_format* title = nullptr;
  lxw_worksheet* sheet = nullptr;
  std::vector<XlsxColumn> columns;
  std::vector<double> widths;  // longest value seen in each column of the current sheet
  lxw_row_t next_row = 0;
};

// The header row is bold and all text, even over number columns.
Status XlsxWriter::Impl::WriteRow(const std::vector<std::string>& cells, bool header) {
  if (sheet == nullptr) return Fail(Error::Internal("xlsx.write_failed", "no sheet to write to"));
  lxw_format* format = header ? bold : nullptr;
  if (widths.size() < cells.size()) widths.resize(cells.size(), 0);
  for (size_t i = 0; i < cells.size(); ++i) {
    const std::string& value = cells[i];
    const bool difference = !header && i < columns.size() && columns[i] == XlsxColumn::kDifference;
    if (value.empty() && !difference) continue;
    auto col = static_cast<lxw_col_t>(i);
    std::optional<double> number;
    if (!header && i < columns.size() && columns[i] == XlsxColumn::kNumber) {
      number = PlainNumber(value);
    }
    if (!header && i < columns.size() && columns[i] == XlsxColumn::kDifference) {
      if (auto s = WriteDifference(cells, i); !s) return s;
      continue;
    }
    lxw_error error = number ? worksheet_write_number(sheet, next_row, col, *number, format)
                             : worksheet_write_string(sheet, next_row, col, value.c_str(), format);
    if (error != LXW_NO_ERROR) {
      return Fail(WriteFailed(path + " row " + std::to_string(next_row + 1), error));
    }
    widths[i] = std::max(widths[i], DisplayWidth(value));
  }
  ++next_row;
  return Ok();
}

// =D5-C5 over the two cells before cell `i`, with their difference as the cached value.
Status XlsxWriter::Impl::WriteDifference(const std::vector<std::string>& cells, size_t i) {
  if (i < 2) return Ok();
  const auto a = PlainNumber(cells[i - 2]);
  const auto b = PlainNumber(cells[i - 1]);
  if (!a || !b) return Ok();
  char from[LXW_MAX_CELL_NAME_LENGTH];
  char to[LXW_MAX_CELL_NAME_LENGTH];
  lxw_rowcol_to_cell(from, next_row, static_cast<lxw_col_t>(i - 2));
  lxw_rowcol_to_cell(to, next_row, static_cast<lxw_col_t>(i - 1));
  const std::string formula = std::string("=") + to + "-" + from;
  const double value = std::round((*b - *a) * 1e6) / 1e6;
  lxw_error error = worksheet_write_formula_num(sheet, next_row, static_cast<lxw_col_t>(i),
                                                formula.c_str(), nullptr, value);
  if (error != LXW_NO_ERROR) {
    return Fail(WriteFailed(path + " row " + std::to_string(next_row + 1), error));
  }
  widths[i] = std::max(widths[i], 8.0);
  return Ok();
}

void XlsxWriter::Impl::FitColumns() {
  if (sheet == nullptr) return;
  for (size_t i = 0; i < widths.size(); ++i) {
    auto col = static_cast<lxw_col_t>(i);
    worksheet_set_column(sheet, col, col, std::clamp(widths[i] + 2, kMinWidth, kMaxWidth), nullptr);
  }
}

XlsxWriter::XlsxWriter(const std::string& path) : impl_(std::make_unique<Impl>()) {
  impl_->path = path;
  impl_->workbook = workbook_new(path.c_str());
  if (impl_->workbook != nullptr) {
    impl_->bold = workbook_add_format(impl_->workbook);
    format_set_bold(impl_->bold);
    impl_->title = workbook_add_format(impl_->workbook);
    format_set_bold(impl_->title);
    format_set_font_size(impl_->title, 14);
  }
}

XlsxWriter::XlsxWriter(XlsxWriter&&) noexcept = default;
XlsxWriter& XlsxWriter::operator=(XlsxWriter&&) noexcept = default;
XlsxWriter::~XlsxWriter() = default;

Status XlsxWriter::AddSheet(std::string_view name, const std::vector<std::string>& header,
                            std::vector<XlsxColumn> columns) {
  return AddSheet(name, {}, header, std::move(columns));
}

Status XlsxWriter::AddSheet(std::string_view name, const std::vector<std::string>& title,
                            const std::vector<std::string>& header,
                            std::vector<XlsxColumn> columns) {
  Impl& w = *impl_;
  if (w.workbook == nullptr) {
    return Fail(Error::Internal("xlsx.write_failed", w.path + ": the workbook is closed"));
  }
  std::string sheet_name(name);
  if (lxw_error error = workbook_validate_sheet_name(w.workbook, sheet_name.c_str());
      error != LXW_NO_ERROR) {
    return Fail(Error::Invalid("xlsx.bad_sheet_name",
                               "sheet name \"" + sheet_name + "\": " + lxw_strerror(error)));
  }
  w.FitColumns();
  w.sheet = workbook_add_worksheet(w.workbook, sheet_name.c_str());
  if (w.sheet == nullptr) {
    return Fail(Error::Internal("xlsx.write_failed", "cannot add sheet \"" + sheet_name + "\""));
  }
  w.columns = std::move(columns);
  w.widths.clear();
  w.next_row = 0;
  for (size_t i = 0; i < title.size(); ++i) {
    // Titles run across the columns: they are not counted in the columns' widths.
    lxw_error error = worksheet_write_string(w.sheet, w.next_row++, 0, title[i].c_str(),
                                             i == 0 ? w.title : nullptr);
    if (error != LXW_NO_ERROR) return Fail(WriteFailed(w.path + " title", error));
  }
  if (!title.empty()) ++w.next_row;  // a blank row before the table
  worksheet_freeze_panes(w.sheet, w.next_row + 1, 0);
  return w.WriteRow(header, true);
}

Status XlsxWriter::AddRow(const std::vector<std::string>& cells) {
  return impl_->WriteRow(cells, false);
}

namespace {

// `s` cut to at most `max` bytes, at a character's start.
std::string CutUtf8(const std::string& s, size_t max) {
  if (s.size() <= max) return s;
  size_t end = max;
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
  return s.substr(0, end);
}

}  // namespace

Status XlsxWriter::AddColumnHelp(size_t col, size_t rows, const std::string& title,
                                 const std::string& text, const std::string& list) {
  Impl& w = *impl_;
  if (w.sheet == nullptr || rows == 0) return Ok();
  std::string t = CutUtf8(title, 32);
  std::string m = CutUtf8(text, 255);
  std::string formula = list.empty() ? "" : "=" + list;
  lxw_data_validation v{};
  v.validate = list.empty() ? LXW_VALIDATION_TYPE_ANY : LXW_VALIDATION_TYPE_LIST_FORMULA;
  v.ignore_blank = LXW_VALIDATION_ON;
  if (!list.empty()) {
    v.value_formula = formula.data();
    v.show_error = LXW_VALIDATION_ON;
  }
  if (!t.empty() || !m.empty()) {
    v.show_input = LXW_VALIDATION_ON;
    if (!t.empty()) v.input_title = t.data();
    if (!m.empty()) v.input_message = m.data();
  }
  const auto c = static_cast<lxw_col_t>(col);
  lxw_error error = worksheet_data_validation_range(
      w.sheet, w.next_row, c, static_cast<lxw_row_t>(w.next_row + rows - 1), c, &v);
  if (error != LXW_NO_ERROR) return Fail(WriteFailed(w.path + " column help", error));
  return Ok();
}

Status XlsxWriter::HideSheet() {
  if (impl_->sheet == nullptr)
    return Fail(Error::Internal("xlsx.write_failed", "no sheet to hide"));
  worksheet_hide(impl_->sheet);
  return Ok();
}

Status XlsxWriter::Close() {
  Impl& w = *impl_;
  if (w.workbook == nullptr) {
    return Fail(Error::Internal("xlsx.write_failed", w.path + ": the workbook is closed"));
  }
  w.FitColumns();
  lxw_error error = workbook_close(std::exchange(w.workbook, nullptr));  // frees it
  w.sheet = nullptr;
  if (error != LXW_NO_ERROR) return Fail(WriteFailed(w.path, error));
  return Ok();
}

}  // namespace pdh
