// Sheets read from CSV and XLSX and written back (sheet.h).
#include "core/sheet.h"

#include <unistd.h>
#include <cstdlib>  // mkstemps

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <utility>

#include "core/csv.h"

namespace pdh {
namespace {

namespace fs = std::filesystem;

Error TooManyRows(size_t max_rows) {
  return Error::BadRequest(std::string(kSheetTooManyRows),
                           "more than " + std::to_string(max_rows) + " rows: split the file");
}

Error WriteFailed(const std::string& why) {
  return Error::Internal(std::string(kSheetWriteFailed), "could not write the export: " + why);
}

// RFC 4180: quoted when it holds a separator, quote or line break, or edge spaces.
std::string CsvField(const std::string& s) {
  const bool quote = s.find_first_of(",\"\r\n;") != std::string::npos ||
                     (!s.empty() && (s.front() == ' ' || s.back() == ' '));
  if (!quote) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// The last sheet row of a header that starts at `row`: header cells merged down (a label over
// two header rows) take the rows below into the header.
size_t HeaderEnd(const std::vector<CellRange>& merged, size_t row) {
  size_t end = row;
  for (const CellRange& r : merged) {
    if (r.first_row <= row && r.last_row > row) end = std::max(end, r.last_row);
  }
  return end;
}

// A header row below the first: its labels are the more specific ones ("Trạng thái" under a
// merged "Tình trạng"), so they replace what is above them.
void Overlay(std::vector<std::string>& header, const std::vector<std::string>& cells) {
  if (header.size() < cells.size()) header.resize(cells.size());
  for (size_t i = 0; i < cells.size(); ++i) {
    if (!cells[i].empty()) header[i] = cells[i];
  }
}

// A label merged across columns names the first of them only; the reader repeated it in each.
void UnrepeatMergedLabels(std::vector<std::string>& header, const std::vector<CellRange>& merged,
                          size_t first_row, size_t last_row) {
  for (const CellRange& r : merged) {
    if (r.last_row < first_row || r.first_row > last_row || r.first_col >= header.size()) {
      continue;
    }
    for (size_t col = r.first_col + 1; col <= r.last_col && col < header.size(); ++col) {
      if (header[col] == header[r.first_col]) header[col].clear();
    }
  }
}

// A row that is one label merged across columns ("I. LĨNH VỰC Y TẾ" over the whole table): a
// group heading between the rows, not a row.
bool IsGroupHeading(const std::vector<std::string>& cells, const std::vector<CellRange>& merged,
                    size_t row) {
  return std::any_of(merged.begin(), merged.end(), [&](const CellRange& r) {
    if (r.first_col == r.last_col || !r.Contains(row, r.first_col)) return false;
    for (size_t i = 0; i < cells.size(); ++i) {
      if (!cells[i].empty() && !r.Contains(row, i)) return false;
    }
    return true;
  });
}

// Whole numbers as tools other than Excel write them ("12500.0"), as a person would type them.
std::string WholeNumber(std::string cell) {
  if (cell.size() < 3 || !cell.ends_with(".0")) return cell;
  const size_t digits_from = cell.front() == '-' ? 1 : 0;
  const auto digits = std::string_view(cell).substr(digits_from, cell.size() - 2 - digits_from);
  if (digits.empty() ||
      !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return cell;
  }
  cell.resize(cell.size() - 2);
  return cell;
}

// The last row the reader returned, as text a person would type: dates ISO, whole numbers
// without a decimal part.
std::vector<std::string> DataCells(const XlsxReader& reader, std::vector<std::string> cells,
                                   const std::vector<bool>& date_columns, int first_date_year) {
  for (size_t i = 0; i < cells.size(); ++i) {
    std::string& cell = cells[i];
    const bool styled = reader.IsDate(i);
    if (styled || (i < date_columns.size() && date_columns[i])) {
      auto date = ExcelSerialToDate(cell, reader.date1904());
      if (date && (styled || date->year >= first_date_year)) {
        cell = date->ToString();
        continue;
      }
    }
    cell = WholeNumber(std::move(cell));
  }
  return cells;
}

// The header once its rows are all read: merged labels named once, and which columns hold dates.
std::vector<bool> FinishHeader(std::vector<std::string>& header, const XlsxReader& reader,
                               size_t first_row, size_t last_row, const SheetReadOptions& options) {
  UnrepeatMergedLabels(header, reader.merged_ranges(), first_row, last_row);
  std::vector<bool> dates(header.size());
  for (size_t i = 0; i < header.size(); ++i) dates[i] = options.is_date_column(header[i]);
  return dates;
}

// A file only this process uses, removed when it goes out of scope.
class TempFile {
 public:
  TempFile() {
    std::string name = (fs::temp_directory_path() / "pdh-sheet-XXXXXX.xlsx").string();
    const int fd = mkstemps(name.data(), 5);
    if (fd < 0) return;
    ::close(fd);
    path_ = std::move(name);
  }
  ~TempFile() {
    if (path_.empty()) return;
    std::error_code ignored;  // a leftover temp file is no reason to fail the export
    fs::remove(path_, ignored);
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  // "" when no file could be created.
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace

Error TooManyColumns(const std::string& what, const SheetLimits& limits) {
  return Error::Invalid("file.too_many_columns", what + " (limit: --max-columns " +
                                                     std::to_string(limits.max_columns) +
                                                     " of pdh ingest and pdh serve)");
}

Error TooManyCells(int64_t row, const SheetLimits& limits) {
  return Error{"file.too_large",
               "tệp có hơn " + std::to_string(limits.max_cells) + " ô / the file has more than " +
                   std::to_string(limits.max_cells) + " cells (at row " + std::to_string(row) +
                   "): split it, or raise the limit --max-cells of pdh ingest and pdh serve",
               413};
}

Error TooLargeOrMalformed(const Error& reader_error, std::string_view format,
                          const SheetLimits& limits) {
  if (IsLimitError(reader_error)) return reader_error;
  const std::string what = std::string(format) + ": " + reader_error.message;
  if (reader_error.code == kCsvTooManyFields) return TooManyColumns(what, limits);
  if (reader_error.code == kXlsxTooLarge) {
    return Error{"file.too_large",
                 what + " (limits: --max-unzipped-mb " +
                     std::to_string(limits.max_unzipped_bytes >> 20) + ", --max-ratio " +
                     std::to_string(static_cast<int64_t>(limits.max_ratio)) +
                     " of pdh ingest and pdh serve)",
                 413};
  }
  return Error::Invalid("file.malformed", what);
}

XlsxOptions LimitedXlsxOptions(const SheetLimits& limits) {
  XlsxOptions options;
  options.fill_merged = true;
  options.max_unzipped_bytes = limits.max_unzipped_bytes;
  options.max_ratio = limits.max_ratio;
  return options;
}

bool IsLimitError(const Error& e) {
  return e.code == "file.too_large" || e.code == "file.too_many_columns";
}

std::optional<Error> CellBudget::Take(int64_t row, size_t cells) {
  if (limits_.max_columns != 0 && cells > limits_.max_columns) {
    return TooManyColumns("row " + std::to_string(row) + " has " + std::to_string(cells) +
                              " cells, more than " + std::to_string(limits_.max_columns),
                          limits_);
  }
  cells_ += cells;
  if (limits_.max_cells != 0 && cells_ > limits_.max_cells) return TooManyCells(row, limits_);
  return std::nullopt;
}

Result<Sheet> ReadCsvSheet(std::istream& in, size_t max_rows, const SheetLimits& limits) {
  // A cell no table needs, as long as a JSON record may be: an unclosed quote is found early.
  CsvReader reader(in, {.max_fields = limits.max_columns, .max_field_bytes = size_t{16} << 20});
  CellBudget budget(limits);
  Sheet sheet;
  std::vector<std::string> fields;
  while (reader.Next(fields)) {
    if (sheet.rows.size() >= max_rows) return Fail(TooManyRows(max_rows));
    if (auto e = budget.Take(static_cast<int64_t>(reader.line()), fields.size())) return Fail(*e);
    sheet.rows.push_back(fields);
    sheet.row_numbers.push_back(reader.line());
  }
  if (const auto& e = reader.error()) {
    if (e->code == kCsvTooManyFields) return Fail(TooLargeOrMalformed(*e, "CSV", limits));
    return Fail(*e);
  }
  return sheet;
}

bool FormulaLike(std::string_view s) {
  if (s.empty()) return false;
  const char c = s[0];
  if (c == '=' || c == '@' || c == '\t' || c == '\r') return true;
  if ((c == '+' || c == '-') && s.size() > 1) {
    // "- mục 1" is a list item; "-5", "+84 912 345 678" and "-1.234,5" are numbers; anything
    // else after the sign ("-2+3+cmd|...") is what a spreadsheet would evaluate.
    if (s[1] == ' ') return false;
    return s.find_first_not_of("0123456789 .,+-eE%/()", 1) != std::string_view::npos;
  }
  return false;
}

void WriteCsvRow(std::ostream& out, const std::vector<std::string>& row) {
  for (size_t i = 0; i < row.size(); ++i) {
    out << (i ? "," : "") << (FormulaLike(row[i]) ? CsvField("'" + row[i]) : CsvField(row[i]));
  }
  out << "\r\n";
}

void WriteCsvSheet(std::ostream& out, const std::vector<std::vector<std::string>>& rows) {
  out << "\xEF\xBB\xBF";
  for (const auto& row : rows) WriteCsvRow(out, row);
}

Result<XlsxSheet> ReadXlsxSheet(XlsxReader& reader, const SheetReadOptions& options) {
  XlsxSheet out;
  Sheet& sheet = out.sheet;
  size_t header_end = 0;
  size_t above = 0;                               // rows with a value down to the header
  std::optional<std::vector<bool>> date_columns;  // known once the header rows are read
  std::vector<std::string> cells;
  CellBudget budget(options.limits);
  while (reader.Next(cells)) {
    const size_t row = reader.row();
    if (auto e = budget.Take(static_cast<int64_t>(row), cells.size())) return Fail(*e);
    if (out.first_row == 0) out.first_row = row;
    if (!out.header) {
      if (++above > options.header_search_rows) break;
      const bool is_header = options.is_header(cells);
      if (is_header) {
        out.header = sheet.rows.size();
        header_end = HeaderEnd(reader.merged_ranges(), row);
      }
      if (is_header || options.keep_rows_above_header) {
        sheet.rows.push_back(cells);
        sheet.row_numbers.push_back(row);
      }
      continue;
    }
    std::vector<std::string>& header = sheet.rows[*out.header];
    if (row <= header_end) {
      Overlay(header, cells);
      continue;
    }
    if (!date_columns) {
      date_columns =
          FinishHeader(header, reader, sheet.row_numbers[*out.header], header_end, options);
    }
    if (IsGroupHeading(cells, reader.merged_ranges(), row)) continue;
    if (sheet.rows.size() >= options.max_rows) return Fail(TooManyRows(options.max_rows));
    sheet.rows.push_back(
        DataCells(reader, std::move(cells), *date_columns, options.first_date_year));
    sheet.row_numbers.push_back(row);
  }
  if (const auto& error = reader.error()) return Fail(*error);
  if (out.header && !date_columns) {  // a header and no data
    FinishHeader(sheet.rows[*out.header], reader, sheet.row_numbers[*out.header], header_end,
                 options);
  }
  return out;
}

Status WriteXlsxSheet(std::ostream& out, std::string_view sheet_name,
                      const std::vector<std::vector<std::string>>& rows,
                      std::vector<XlsxColumn> columns) {
  return WriteXlsxSheets(out, {SheetTable{std::string(sheet_name), {}, rows, std::move(columns)}});
}

Status WriteXlsxSheets(std::ostream& out, const std::vector<SheetTable>& sheets) {
  // libxlsxwriter writes only to a file: build it there, then copy it out.
  TempFile file;
  if (file.path().empty()) return Fail(WriteFailed("no temporary file"));
  XlsxWriter writer(file.path());
  const std::vector<std::string> no_header;
  for (const auto& sheet : sheets) {
    const auto& header = sheet.rows.empty() ? no_header : sheet.rows[0];
    if (auto s = writer.AddSheet(sheet.name, sheet.title, header, sheet.columns); !s) return s;
    // Help and drop-downs from the first row after the header, over rows to be filled in.
    constexpr size_t kHelpRows = 1000;
    for (const auto& h : sheet.help) {
      if (auto s = writer.AddColumnHelp(h.col, kHelpRows, h.title, h.text, h.list); !s) return s;
    }
    for (size_t i = 1; i < sheet.rows.size(); ++i) {
      if (auto s = writer.AddRow(sheet.rows[i]); !s) return s;
    }
    if (sheet.hidden) {
      if (auto s = writer.HideSheet(); !s) return s;
    }
  }
  if (auto s = writer.Close(); !s) return s;
  std::ifstream in(file.path(), std::ios::binary);
  if (!in) return Fail(WriteFailed("the workbook cannot be read back"));
  out << in.rdbuf();
  if (!out) return Fail(WriteFailed("the output stream failed"));
  return Ok();
}

}  // namespace pdh
