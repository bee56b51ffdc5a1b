// The catalog as an Excel workbook: sheets as departments send them (a title above the table,
// header rows merged over two levels, Vietnamese headers, dates as serial numbers) read into the
// import's Table, and the export written as a workbook that reads back unchanged.
#include <unistd.h>
#include <cstdlib>  // mkstemps

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <utility>

#include "catalog/internal.h"
#include "core/xlsx.h"

namespace pdh::catalog {

using internal::BadFile;

namespace {

namespace fs = std::filesystem;

// How far down a sheet the header row is looked for (rows with a value): a title, a subtitle,
// the issuing unit and a blank line are usual; a table further down is not the import's.
constexpr size_t kHeaderSearchRows = 30;
// Dates typed as plain numbers (the cell's date format lost) count only from this year: a year
// typed into a date column ("2025") must not become a day of 1905.
constexpr int kFirstPlausibleYear = 1970;
constexpr std::string_view kSheetName = "catalog";

bool NamesCode(const std::vector<std::string>& cells) {
  return std::any_of(cells.begin(), cells.end(),
                     [](const std::string& cell) { return internal::ColumnNamed(cell) == "code"; });
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
// group heading between the entries, not an entry.
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

std::vector<bool> DateColumns(const std::vector<std::string>& header) {
  std::vector<bool> dates(header.size());
  for (size_t i = 0; i < header.size(); ++i) {
    auto column = internal::ColumnNamed(header[i]);
    dates[i] = column && internal::IsDateColumn(*column);
  }
  return dates;
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

// The last row the reader returned, as the import reads text: dates ISO, whole numbers without
// a decimal part.
std::vector<std::string> DataCells(const XlsxReader& reader, std::vector<std::string> cells,
                                   const std::vector<bool>& date_columns) {
  for (size_t i = 0; i < cells.size(); ++i) {
    std::string& cell = cells[i];
    const bool styled = reader.IsDate(i);
    if (styled || (i < date_columns.size() && date_columns[i])) {
      auto date = ExcelSerialToDate(cell, reader.date1904());
      if (date && (styled || date->year >= kFirstPlausibleYear)) {
        cell = date->ToString();
        continue;
      }
    }
    cell = WholeNumber(std::move(cell));
  }
  return cells;
}

struct SheetTable {
  Table table;              // the header (header rows folded into one) and the data rows
  bool has_header = false;  // a row naming the code column was found
  size_t first_row = 0;     // the sheet row of the first row with a value
};

Result<SheetTable> ReadSheet(XlsxReader& reader) {
  SheetTable out;
  Table& table = out.table;
  size_t header_end = 0;
  std::optional<std::vector<bool>> date_columns;  // known once the header rows are read
  std::vector<std::string> cells;
  while (reader.Next(cells)) {
    const size_t row = reader.row();
    if (out.first_row == 0) out.first_row = row;
    if (!out.has_header) {
      if (NamesCode(cells)) {
        out.has_header = true;
        header_end = HeaderEnd(reader.merged_ranges(), row);
        table.rows.push_back(cells);
        table.row_numbers.push_back(row);
      } else if (row - out.first_row + 1 >= kHeaderSearchRows) {
        break;
      }
      continue;
    }
    if (row <= header_end) {
      Overlay(table.rows[0], cells);
      continue;
    }
    if (!date_columns) {
      UnrepeatMergedLabels(table.rows[0], reader.merged_ranges(), table.row_numbers[0], header_end);
      date_columns = DateColumns(table.rows[0]);
    }
    if (IsGroupHeading(cells, reader.merged_ranges(), row)) continue;
    if (table.rows.size() > internal::kMaxImportRows) {
      return Fail(BadFile("more than " + std::to_string(internal::kMaxImportRows) +
                          " rows: split the sheet"));
    }
    table.rows.push_back(DataCells(reader, std::move(cells), *date_columns));
    table.row_numbers.push_back(row);
  }
  if (const auto& error = reader.error()) return Fail(BadFile(error->message));
  if (out.has_header && !date_columns) {  // a header and no data
    UnrepeatMergedLabels(table.rows[0], reader.merged_ranges(), table.row_numbers[0], header_end);
  }
  return out;
}

// A file only this process uses, removed when it goes out of scope.
class TempFile {
 public:
  TempFile() {
    std::string name = (fs::temp_directory_path() / "pdh-catalog-XXXXXX.xlsx").string();
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

Error WriteFailed(const std::string& why) {
  return Error::Internal("catalog.write_failed", "could not write the export: " + why);
}

}  // namespace

Result<ImportReport> Catalog::ImportXlsx(std::string bytes, const ImportOptions& options,
                                         const std::string& sheet) {
  auto reader = XlsxReader::OpenBuffer(std::move(bytes), {.fill_merged = true});
  if (!reader) {
    return Fail(BadFile(reader.error().message + " (save it from Excel as .xlsx, or as CSV)"));
  }
  if (!sheet.empty()) {
    if (auto s = reader->SelectSheet(sheet); !s) return Fail(BadFile(s.error().message));
  }
  auto read = ReadSheet(*reader);
  if (!read) return Fail(read.error());
  if (read->first_row != 0 && !read->has_header) {
    ImportReport report;
    report.dry_run = options.dry_run;
    report.errors.push_back(
        {read->first_row, "code", "catalog.missing_column",
         "no header row: none of the first " + std::to_string(kHeaderSearchRows) +
             " rows of sheet '" + reader->sheet_name() +
             "' has a code (Mã) column; add one, or use the columns of an export"});
    return report;
  }
  return ImportRows(read->table, options);
}

Status Catalog::ExportXlsx(std::ostream& out) {
  auto table = ExportRows();
  if (!table) return Fail(table.error());
  // libxlsxwriter writes only to a file: build it there, then copy it out.
  TempFile file;
  if (file.path().empty()) return Fail(WriteFailed("no temporary file"));
  std::vector<XlsxColumn> columns;
  for (const auto& name : table->rows[0]) {
    columns.push_back(name == "record_count" ? XlsxColumn::kNumber : XlsxColumn::kText);
  }
  XlsxWriter writer(file.path());
  if (auto s = writer.AddSheet(kSheetName, table->rows[0], std::move(columns)); !s) return s;
  for (size_t i = 1; i < table->rows.size(); ++i) {
    if (auto s = writer.AddRow(table->rows[i]); !s) return s;
  }
  if (auto s = writer.Close(); !s) return s;
  std::ifstream in(file.path(), std::ios::binary);
  if (!in) return Fail(WriteFailed("the workbook cannot be read back"));
  out << in.rdbuf();
  if (!out) return Fail(WriteFailed("the output stream failed"));
  return Ok();
}

}  // namespace pdh::catalog
