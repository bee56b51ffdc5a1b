// The catalog as an Excel workbook: sheets as departments send them (a title above the table,
// header rows merged over two levels, Vietnamese headers, dates as serial numbers) read into the
// import's Table, and the export written as a workbook that reads back unchanged.
#include <algorithm>
#include <utility>

#include "catalog/internal.h"
#include "core/sheet.h"
#include "core/xlsx.h"

namespace pdh::catalog {

using internal::BadFile;

namespace {

// How far down a sheet the header row is looked for: the header must sit within this many sheet
// rows of the first row with a value.
constexpr size_t kHeaderSearchRows = 30;
constexpr std::string_view kSheetName = "catalog";

bool NamesCode(const std::vector<std::string>& cells) {
  return std::any_of(cells.begin(), cells.end(),
                     [](const std::string& cell) { return internal::ColumnNamed(cell) == "code"; });
}

bool NamesDateColumn(const std::string& header_cell) {
  auto column = internal::ColumnNamed(header_cell);
  return column && internal::IsDateColumn(*column);
}

// The sheet's header and data rows; no header when none names the code column near the top.
Result<XlsxSheet> ReadSheet(XlsxReader& reader) {
  auto read = ReadXlsxSheet(reader, {.is_header = NamesCode,
                                     .is_date_column = NamesDateColumn,
                                     .header_search_rows = kHeaderSearchRows,
                                     .max_rows = internal::kMaxImportRows + 1});
  if (!read && read.error().code == kSheetTooManyRows) {
    return Fail(BadFile("more than " + std::to_string(internal::kMaxImportRows) +
                        " rows: split the sheet"));
  }
  if (!read) return Fail(BadFile(read.error().message));
  // The search counts sheet rows, blank ones too, not only the rows with a value.
  if (read->header && read->sheet.RowNumber(*read->header) - read->first_row >= kHeaderSearchRows) {
    read->header.reset();
  }
  return read;
}

Error WriteFailed(const Error& e) {
  if (e.code != kSheetWriteFailed) return e;
  return Error::Internal("catalog.write_failed", e.message);
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
  if (read->first_row != 0 && !read->header) {
    ImportReport report;
    report.dry_run = options.dry_run;
    report.errors.push_back(
        {read->first_row, "code", "catalog.missing_column",
         "no header row: none of the first " + std::to_string(kHeaderSearchRows) +
             " rows of sheet '" + reader->sheet_name() +
             "' has a code (Mã) column; add one, or use the columns of an export"});
    return report;
  }
  return ImportRows(read->sheet, options);
}

Status Catalog::ExportXlsx(std::ostream& out) {
  auto table = ExportRows();
  if (!table) return Fail(table.error());
  std::vector<XlsxColumn> columns;
  for (const auto& name : table->rows[0]) {
    columns.push_back(name == "record_count" ? XlsxColumn::kNumber : XlsxColumn::kText);
  }
  if (auto s = WriteXlsxSheet(out, kSheetName, table->rows, std::move(columns)); !s) {
    return Fail(WriteFailed(s.error()));
  }
  return Ok();
}

}  // namespace pdh::catalog
