// Spreadsheets as departments send them: a streaming XLSX reader (rows as text, dates and merged
// header cells made usable) and a small XLSX writer for what pdh hands back.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/error.h"

namespace pdh {

// A rectangle of cells. Rows are numbered as in the sheet (1-based, as XlsxReader::row()
// reports them); columns are indexes into a row vector (A = 0).
struct CellRange {
  size_t first_row = 0;
  size_t first_col = 0;
  size_t last_row = 0;
  size_t last_col = 0;

  bool Contains(size_t row, size_t col) const {
    return row >= first_row && row <= last_row && col >= first_col && col <= last_col;
  }
  bool operator==(const CellRange&) const = default;
};

// "B2:D3" (or "B2" for one cell) as a CellRange; nullopt when it is not a cell reference.
std::optional<CellRange> ParseCellRange(std::string_view ref);

// The calendar day of an Excel serial number. In the 1900 system serial 1 is 1900-01-01 and
// Excel counts a 29 February 1900 that never was (serial 60, which gives nullopt); in the 1904
// system serial 0 is 1904-01-01. A time of day (the fraction) is dropped. nullopt outside
// 1900..9999 or when `serial` is not a number.
std::optional<Date> ExcelSerialToDate(double serial, bool date1904 = false);
std::optional<Date> ExcelSerialToDate(std::string_view serial, bool date1904 = false);

// A part inflating past XlsxOptions's limits (status 413).
inline constexpr std::string_view kXlsxTooLarge = "xlsx.too_large";

struct XlsxOptions {
  // Repeat a merged range's top-left value in every cell of the range, so a header merged
  // over three columns names all three (and a label merged down several rows names each row).
  // The fill stays within what the sheet uses, so that a small file merging A1:XFD1048576
  // cannot make huge rows: across, up to the sheet's widest row (the last column any of its
  // cells is written in, empty cells included, as Excel writes the cells a merge covers) and
  // never past 1024 columns, though the range's own first column is always filled; down, no
  // further than the sheet's last row with a value of its own (a row with no value past it is
  // not returned for the fill).
  bool fill_merged = false;
  // How far each part of the archive may inflate: its decompressed bytes, and their ratio to
  // its compressed size (past 1 MiB). Counted while reading, so a zip bomb stops early with
  // xlsx.too_large (413). 0: no limit.
  uint64_t max_unzipped_bytes = 0;
  double max_ratio = 0;
};

// Reads one sheet at a time, row by row. The sheet XML is parsed as it is read from the archive
// in fixed chunks, so memory stays at one chunk plus the row being returned whatever the sheet
// size; the workbook's shared strings and styles are loaded whole (the cells point into them).
//
// Cells come as text: shared and inline strings resolved and normalized to NFC, numbers exactly
// as the file writes them ("45292", "0.1", "1E-3"), booleans "TRUE"/"FALSE", errors as Excel
// shows them ("#N/A"). A cell sits at the index its reference (r="D7") says, empty cells before
// it filled with "". A row ends at its last non-empty cell; rows with no value are skipped, and
// row() tells which sheet row a returned row is.
//
// Errors (codes): xlsx.open_failed (cannot read the file), xlsx.not_xlsx (not a zip archive, or
// no workbook in it), xlsx.malformed (a part that does not parse, or a sheet with a row past
// Excel's last, 1,048,576, or a column past XFD: the message names the part and line),
// xlsx.sheet_not_found, xlsx.too_large (a part inflating past XlsxOptions's limits, 413). Not
// thread-safe; movable.
class XlsxReader {
 public:
  static Result<XlsxReader> Open(const std::string& path, XlsxOptions options = {});
  // Reads an archive held in memory; `data` is kept by the reader.
  static Result<XlsxReader> OpenBuffer(std::string data, XlsxOptions options = {});

  XlsxReader(XlsxReader&&) noexcept;
  XlsxReader& operator=(XlsxReader&&) noexcept;
  ~XlsxReader();

  // Sheet names in workbook order. Open selects the first sheet not hidden (the first when all
  // are); when that sheet cannot be
  // read, Open still succeeds (another sheet may be fine) and Next reports the error.
  const std::vector<std::string>& sheet_names() const;
  // Starts reading the named sheet (or the first) from its top; selecting the current sheet
  // again rewinds it. The sheet is read through once here for its merged ranges (which the
  // file writes after the rows) and how far its cells reach, so a damaged sheet fails here
  // (xlsx.malformed). xlsx.sheet_not_found names the sheets that exist.
  Status SelectSheet(std::string_view name);
  // The first sheet not hidden, as Open selects.
  Status SelectFirstSheet();
  const std::string& sheet_name() const;

  // Reads the next row with a value into `cells`. Returns false at the end of the sheet, or on
  // an error (then error() says what and where).
  bool Next(std::vector<std::string>& cells);
  // Sheet row number (1-based) of the last row returned.
  size_t row() const;
  // Whether cell `col` of the last row returned holds a number styled as a date (built-in
  // formats 14-22 and 45-47, or a custom format with d, m or y that is not only a time): pass
  // its text to ExcelSerialToDate with date1904().
  bool IsDate(size_t col) const;
  // Whether cell `col` of the last row returned holds a number (its text is the stored value,
  // "1234.5" with a decimal dot), not text that may be written as a number ("1.234,5").
  bool IsNumber(size_t col) const;
  // The workbook counts dates from 1904 (old Mac Excel) rather than 1900.
  bool date1904() const;
  // The merged ranges of the selected sheet.
  const std::vector<CellRange>& merged_ranges() const;
  const std::optional<Error>& error() const;

  // Bytes the sheet stream holds: read chunk, the cell text being collected and the row being
  // assembled. Stays near one chunk however long the sheet is (tests check it).
  size_t buffer_bytes() const;

  struct Impl;

 private:
  explicit XlsxReader(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// How a column's values are written.
enum class XlsxColumn {
  kText,
  kNumber,  // as numbers Excel can sum; a value that is not a plain number stays text
  // The difference of the two columns before it, as a formula (=D5-C5) with its value, when both
  // hold numbers; the row's own value for this cell is not used.
  kDifference,
};

// Writes a workbook: each sheet starts with a bold header row, frozen, and columns are sized to
// roughly fit their longest value. Nothing reaches disk until Close (libxlsxwriter keeps the
// workbook in memory). Errors: xlsx.write_failed, xlsx.bad_sheet_name. Movable; destroying an
// open writer abandons the file.
class XlsxWriter {
 public:
  explicit XlsxWriter(const std::string& path);
  XlsxWriter(XlsxWriter&&) noexcept;
  XlsxWriter& operator=(XlsxWriter&&) noexcept;
  ~XlsxWriter();

  // Starts a new sheet with `header` as its first row. `columns` says how each column is
  // written; columns beyond it are text.
  Status AddSheet(std::string_view name, const std::vector<std::string>& header,
                  std::vector<XlsxColumn> columns = {});
  // The same with `title` lines above the header: the first bold and larger (a report's title),
  // the others as they are (its date, a note).
  Status AddSheet(std::string_view name, const std::vector<std::string>& title,
                  const std::vector<std::string>& header, std::vector<XlsxColumn> columns);
  // Appends a row to the current sheet; empty strings leave the cell empty.
  Status AddRow(const std::vector<std::string>& cells);
  // Help for column `col` of the current sheet, on its next `rows` rows after those written: an
  // input message (`title` at most 32 bytes, `text` 255; longer is cut at a character), and,
  // with a `list` ("'Danh mục'!$A$2:$A$9"), a drop-down of the cells it names that refuses
  // other values.
  Status AddColumnHelp(size_t col, size_t rows, const std::string& title, const std::string& text,
                       const std::string& list = "");
  // Hides the current sheet (one the drop-downs read); the first sheet stays the one shown.
  Status HideSheet();
  // Writes the file. The writer cannot be used afterwards.
  Status Close();

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace pdh
