// The catalog as an Excel workbook: sheets as departments send them (a title above the table,
// header rows merged over two levels, Vietnamese headers, dates as serial numbers) read into the
// import's Table, and the export written as a workbook that reads back unchanged.
#include <functional>
#include <utility>

#include "catalog/internal.h"
#include "core/sheet.h"
#include "core/xlsx.h"

namespace pdh::catalog {

using internal::kCodes;

namespace {

// How far down a sheet the header row is looked for: the header must sit within this many sheet
// rows of the first row with a value.
constexpr size_t kHeaderSearchRows = 30;
constexpr std::string_view kSheetName = "catalog";

// The sheet's header and data rows; no header when none names the code column near the top.
Result<XlsxSheet> ReadSheet(XlsxReader& reader, const SheetLimits& limits) {
  const reg::Headers& headers = internal::SheetLayout().headers();
  auto read = ReadXlsxSheet(
      reader, {.is_header = std::bind_front(&reg::Headers::NamesCode, &headers),
               .is_date_column = std::bind_front(&reg::Headers::NamesDateColumn, &headers),
               .header_search_rows = kHeaderSearchRows,
               .max_rows = internal::kMaxImportRows + 1,
               .limits = limits});
  if (!read && read.error().code == kSheetTooManyRows) {
    return Fail(kCodes.TooManyRows(internal::kMaxImportRows, "sheet"));
  }
  if (!read && (IsLimitError(read.error()) || read.error().code == kXlsxTooLarge)) {
    return Fail(TooLargeOrMalformed(read.error(), "XLSX", limits));
  }
  if (!read) return Fail(kCodes.BadFile(read.error().message));
  // The search counts sheet rows, blank ones too, not only the rows with a value.
  if (read->header && read->sheet.RowNumber(*read->header) - read->first_row >= kHeaderSearchRows) {
    read->header.reset();
  }
  return read;
}

}  // namespace

Result<ImportReport> Catalog::ImportXlsx(std::string bytes, const ImportOptions& options,
                                         const std::string& sheet) {
  auto reader = reg::OpenWorkbook(kCodes, std::move(bytes), sheet, options.limits);
  if (!reader) return Fail(reader.error());
  auto read = ReadSheet(*reader, options.limits);
  if (!read) return Fail(read.error());
  if (read->first_row != 0 && !read->header) {
    return reg::NoHeader(kCodes, read->first_row, kHeaderSearchRows,
                         " of sheet '" + reader->sheet_name() + "'", options.dry_run);
  }
  return ImportRows(read->sheet, options);
}

Status Catalog::ExportXlsx(std::ostream& out) {
  auto table = ExportRows();
  if (!table) return Fail(table.error());
  return reg::WriteXlsx(kCodes, out, kSheetName, *table, internal::SheetLayout().XlsxColumns());
}

}  // namespace pdh::catalog
