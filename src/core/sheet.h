// A sheet as rows of text cells with the row numbers the file shows: read from CSV or from an
// XLSX sheet as departments send them (a title above the table, header rows merged over two
// levels, group headings between the rows, dates as serial numbers), and written back as CSV or
// XLSX. What the columns mean is the caller's: it says which row is the header and which header
// cells name dates.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <istream>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/xlsx.h"

namespace pdh {

// Error codes of this unit; callers turn them into their own (a module's bad_file, ...).
inline constexpr std::string_view kSheetTooManyRows = "sheet.too_many_rows";
inline constexpr std::string_view kSheetWriteFailed = "sheet.write_failed";

// Bounds on what one file may make pdh read or hold (DESIGN §6: input is bounded), checked
// while reading so a hostile file stops early: every upload and import of a sheet, whatever it
// feeds (a dataset's batch, a register's import, reported values). A file past one is refused
// whole with the problem SheetLimitError gives.
struct SheetLimits {
  uint64_t max_unzipped_bytes = uint64_t{1} << 30;  // XLSX: bytes one part inflates to
  double max_ratio = 200;          // XLSX: a part's inflated size over its compressed size
  size_t max_columns = 2048;       // cells in one row
  uint64_t max_cells = 100000000;  // cells in the file
};

// The problem a file past `limits` gets, each message naming the limit and the option of
// `pdh ingest` and `pdh serve` that changes it: 422 file.too_many_columns (from the CSV reader's
// csv.too_many_fields, or `what` says where), 413 file.too_large (from xlsx.too_large, or
// cells past max_cells). TooLargeOrMalformed gives any other reader error as 422
// file.malformed, prefixed with `format` ("CSV", "XLSX").
Error TooManyColumns(const std::string& what, const SheetLimits& limits);
Error TooManyCells(int64_t row, const SheetLimits& limits);
Error TooLargeOrMalformed(const Error& reader_error, std::string_view format,
                          const SheetLimits& limits);
// The reader options for a workbook read within `limits` (merged cells filled).
XlsxOptions LimitedXlsxOptions(const SheetLimits& limits);
// Whether `e` is one of the problems above for a file past its limits (413 file.too_large, 422
// file.too_many_columns), to pass on as it is.
bool IsLimitError(const Error& e);
// Counts the cells of a file's rows against `limits`, row by row.
class CellBudget {
 public:
  explicit CellBudget(const SheetLimits& limits) : limits_(limits) {}
  // The problem when the row numbered `row` with `cells` cells goes past a limit.
  std::optional<Error> Take(int64_t row, size_t cells);

 private:
  SheetLimits limits_;
  uint64_t cells_ = 0;
};

// Rows of cells. row_numbers[i] is the number reported for rows[i]: the CSV line or sheet row
// it was read from (empty: i + 1).
struct Sheet {
  std::vector<std::vector<std::string>> rows;
  std::vector<size_t> row_numbers;

  size_t RowNumber(size_t i) const { return i < row_numbers.size() ? row_numbers[i] : i + 1; }
};

// Reads every CSV record (see CsvReader), each with the line it starts on. Errors: the reader's
// (csv.*), sheet.too_many_rows when there are more than `max_rows` records, and those of
// TooManyColumns and TooManyCells past `limits`.
Result<Sheet> ReadCsvSheet(std::istream& in, size_t max_rows, const SheetLimits& limits = {});

// Whether a spreadsheet would run `cell` as a formula: it starts with '=', '@', a tab or a
// carriage return, or with '+' or '-' and is neither a number nor a list item ("-5",
// "+84 912 345 678" and "- mục 1" are text; "+cmd|' /c calc'!A0" and "-2+3+cmd|..." are not).
bool FormulaLike(std::string_view cell);

// Writes `rows` as CSV for spreadsheet programs: a UTF-8 BOM (so they read Vietnamese text as
// UTF-8), RFC 4180 quoting, CRLF line ends. A formula-like cell is written with a leading "'",
// so opening the file runs nothing. The caller checks the stream.
void WriteCsvSheet(std::ostream& out, const std::vector<std::vector<std::string>>& rows);
// One row as WriteCsvSheet writes it (after the BOM), for files written a row at a time.
void WriteCsvRow(std::ostream& out, const std::vector<std::string>& row);

struct SheetReadOptions {
  // Whether a row is the header: it names a column the caller cannot do without.
  std::function<bool(const std::vector<std::string>& cells)> is_header;
  // Whether a header cell names a column of dates: plain numbers there are serial dates (from
  // first_date_year on), as when a cell's date format was lost.
  std::function<bool(const std::string& header_cell)> is_date_column;
  // How far down the header is looked for, in rows with a value: a title, a subtitle, the
  // issuing unit and a blank line are usual; a table further down is not the caller's.
  size_t header_search_rows = 30;
  // The most rows the result may hold; one more fails with sheet.too_many_rows.
  size_t max_rows = 0;
  // Keep the rows above the header, for a caller that looks for the header itself (as it does
  // in a CSV file); otherwise the result starts with the header.
  bool keep_rows_above_header = false;
  // A year typed into a date column ("2025") must not become a day of 1905.
  int first_date_year = 1970;
  // Columns per row and cells per file (the reader bounds the inflated bytes).
  SheetLimits limits;
};

struct XlsxSheet {
  // Header rows folded into one (merged labels named once), then the data rows as text a person
  // would type: dates ISO, whole numbers without ".0"; group headings left out.
  Sheet sheet;
  std::optional<size_t> header;  // index in sheet.rows; nullopt when no header was found
  size_t first_row = 0;          // the sheet row of the first row with a value (0: none)
};

// Reads the reader's current sheet; the reader should be opened with fill_merged, so that a
// label merged over columns or rows names each cell. Errors: the reader's (xlsx.*),
// sheet.too_many_rows, and those of TooManyColumns and TooManyCells past options.limits.
Result<XlsxSheet> ReadXlsxSheet(XlsxReader& reader, const SheetReadOptions& options);

// Writes `rows` (the first the header) as a workbook of one sheet named `sheet_name`, `columns`
// as for XlsxWriter::AddSheet. Errors: the writer's (xlsx.*), and sheet.write_failed ("could not
// write the export: ...") when the workbook cannot be built or copied out.
Status WriteXlsxSheet(std::ostream& out, std::string_view sheet_name,
                      const std::vector<std::vector<std::string>>& rows,
                      std::vector<XlsxColumn> columns);

// One sheet of a workbook: lines above the table (see XlsxWriter::AddSheet), then `rows` (the
// first the header).
struct SheetColumnHelp {
  size_t col = 0;
  std::string title;  // the input message shown on the column's cells
  std::string text;
  std::string list;  // a drop-down of these cells ("'Danh mục'!$A$2:$A$9"), or ""
};
struct SheetTable {
  std::string name;
  std::vector<std::string> title;
  std::vector<std::vector<std::string>> rows;
  std::vector<XlsxColumn> columns;
  std::vector<SheetColumnHelp> help;  // on the 1,000 rows after the header
  bool hidden = false;
};
// Writes the sheets as one workbook; errors as WriteXlsxSheet's.
Status WriteXlsxSheets(std::ostream& out, const std::vector<SheetTable>& sheets);

}  // namespace pdh
