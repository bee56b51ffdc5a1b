// A register's sheets: header rows read by column names and Vietnamese spellings, files read
// into rows of cells and written back, with the module's error codes.
#include <algorithm>
#include <array>
#include <charconv>
#include <utility>

#include "core/text.h"
#include "register/register.h"

namespace pdh::reg {

namespace {

// Headers every register's sheets are written with, whatever the register: the row number and
// notes columns every Vietnamese table has (skipped), the code, the kind, the sector, the
// effective date and the reason. A spelling counts only where the layout has its column, and a
// layout's own spelling of the same text wins.
constexpr auto kCommonSpellings = std::to_array<HeaderSpelling>({
    {"STT", ""},
    {"TT", ""},
    {"Số thứ tự", ""},
    {"Ghi chú", ""},
    {"Mã", "code"},
    {"Mã số", "code"},
    {"Mã hiệu", "code"},
    {"Loại", "kind"},
    {"Phân loại", "kind"},
    {"Lĩnh vực", "sector"},
    {"Ngành, lĩnh vực", "sector"},
    {"Ngày hiệu lực", kEffectiveColumn},
    {"Hiệu lực từ", kEffectiveColumn},
    {"Lý do", kReasonColumn},
    {"Lí do", kReasonColumn},
});

}  // namespace

std::optional<size_t> Header::Find(std::string_view column) const {
  auto it = at.find(column);
  if (it == at.end()) return std::nullopt;
  return it->second;
}

Headers::Headers(Codes codes, std::vector<ColumnInfo> columns,
                 std::vector<std::string_view> import_columns,
                 std::span<const HeaderSpelling> spellings, std::string missing_code)
    : codes_(codes),
      columns_(std::move(columns)),
      import_columns_(std::move(import_columns)),
      missing_code_(std::move(missing_code)) {
  import_columns_.insert(import_columns_.begin(), kEffectiveColumn);
  for (const auto& c : columns_) keys_.emplace(text::FoldAlnum(c.name), c.name);
  for (std::string_view name : import_columns_) keys_.emplace(text::FoldAlnum(name), name);
  for (const auto& s : spellings) keys_.emplace(text::FoldAlnum(s.text), s.column);
  const auto has_column = [this](std::string_view name) {
    return name.empty() || IndexOf(name) ||
           std::find(import_columns_.begin(), import_columns_.end(), name) != import_columns_.end();
  };
  for (const auto& s : kCommonSpellings) {
    if (has_column(s.column)) keys_.emplace(text::FoldAlnum(s.text), s.column);
  }
  keys_.emplace("", std::string_view());  // "#", "—": punctuation only
}

std::optional<std::string_view> Headers::ColumnNamed(std::string_view header) const {
  auto it = keys_.find(text::FoldAlnum(header));
  if (it == keys_.end()) return std::nullopt;
  return it->second;
}

bool Headers::IsDateColumn(std::string_view column) const {
  if (column == kEffectiveColumn) return true;
  auto i = IndexOf(column);
  return i && columns_[*i].date;
}

bool Headers::NamesDateColumn(const std::string& header_cell) const {
  auto column = ColumnNamed(header_cell);
  return column && IsDateColumn(*column);
}

bool Headers::NamesCode(const std::vector<std::string>& cells) const {
  return std::any_of(cells.begin(), cells.end(),
                     [this](const std::string& cell) { return ColumnNamed(cell) == "code"; });
}

std::optional<size_t> Headers::IndexOf(std::string_view column) const {
  for (size_t i = 0; i < columns_.size(); ++i) {
    if (columns_[i].name == column) return i;
  }
  return std::nullopt;
}

Header Headers::Read(const std::vector<std::string>& cells, size_t row,
                     std::vector<RowError>& errors) const {
  Header h;
  std::map<std::string_view, std::string> seen;  // column -> the header cell that named it
  for (size_t i = 0; i < cells.size(); ++i) {
    const std::string cell = text::CollapseSpaces(cells[i]);
    if (cell.empty()) continue;
    const auto name = ColumnNamed(cell);
    if (!name) {
      errors.push_back({row, cell, codes_.Code("unknown_column"),
                        "unknown column: use the columns of an export"});
      continue;
    }
    if (name->empty()) continue;
    if (auto [it, added] = seen.emplace(*name, cell); !added) {
      errors.push_back({row, cell, codes_.Code("duplicate_column"),
                        "'" + it->second + "' and '" + cell + "' both name the column " +
                            std::string(*name) + ": keep one"});
      continue;
    }
    h.at[*name] = i;
    if (auto index = IndexOf(*name)) h.fields.emplace_back(i, *index);
  }
  // Columns read last go last; the rest keep the file's order.
  std::stable_partition(h.fields.begin(), h.fields.end(),
                        [this](const auto& f) { return !columns_[f.second].last; });
  if (!h.Find("code")) {
    errors.push_back({row, "code", codes_.Code("missing_column"), missing_code_});
  }
  return h;
}

ImportReport NoHeader(const Codes& codes, size_t row, size_t searched, const std::string& where,
                      bool dry_run) {
  ImportReport report;
  report.dry_run = dry_run;
  report.errors.push_back({row, "code", codes.Code("missing_column"),
                           "no header row: none of the first " + std::to_string(searched) +
                               " rows" + where +
                               " has a code (Mã) column; add one, or use the columns of an "
                               "export"});
  return report;
}

bool IsColumnNumbering(const std::vector<std::string>& cells) {
  int expected = 0;
  int numbered = 0;
  for (const auto& raw : cells) {
    std::string cell = text::CollapseSpaces(raw);
    if (cell.empty()) continue;
    if (cell.size() > 2 && cell.front() == '(' && cell.back() == ')') {
      cell = cell.substr(1, cell.size() - 2);
    }
    int n = 0;
    auto [end, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), n);
    if (ec != std::errc() || end != cell.data() + cell.size()) return false;
    if (expected != 0 && n != expected) return false;
    expected = n + 1;
    ++numbered;
  }
  return numbered >= 3;
}

std::optional<size_t> FindHeader(const Sheet& sheet, const Headers& headers, size_t search_rows) {
  size_t seen = 0;
  for (size_t i = 0; i < sheet.rows.size() && seen < search_rows; ++i) {
    if (cells::Blank(sheet.rows[i])) continue;
    if (headers.NamesCode(sheet.rows[i])) return i;
    ++seen;
  }
  return std::nullopt;
}

Result<Sheet> ReadCsv(const Codes& codes, std::istream& in, size_t max_rows, size_t max_import_rows,
                      const SheetLimits& limits) {
  auto sheet = ReadCsvSheet(in, max_rows, limits);
  if (!sheet && sheet.error().code == kSheetTooManyRows) {
    return Fail(codes.TooManyRows(max_import_rows));
  }
  if (!sheet && IsLimitError(sheet.error())) return Fail(sheet.error());
  if (!sheet) return Fail(codes.BadFile(sheet.error().message));
  return sheet;
}

Result<XlsxReader> OpenWorkbook(const Codes& codes, std::string bytes, const std::string& sheet,
                                const SheetLimits& limits) {
  auto reader = XlsxReader::OpenBuffer(std::move(bytes), LimitedXlsxOptions(limits));
  if (!reader && reader.error().code == kXlsxTooLarge) {
    return Fail(TooLargeOrMalformed(reader.error(), "XLSX", limits));
  }
  if (!reader) {
    return Fail(
        codes.BadFile(reader.error().message + " (save it from Excel as .xlsx, or as CSV)"));
  }
  if (!sheet.empty()) {
    if (auto s = reader->SelectSheet(sheet); !s) return Fail(codes.BadFile(s.error().message));
  }
  return reader;
}

Status WriteCsv(const Codes& codes, std::ostream& out, const Sheet& sheet,
                const std::string& failure) {
  WriteCsvSheet(out, sheet.rows);
  if (!out) return Fail(codes.WriteFailed(failure));
  return Ok();
}

Status WriteXlsx(const Codes& codes, std::ostream& out, std::string_view sheet_name,
                 const Sheet& sheet, std::vector<XlsxColumn> columns) {
  auto s = WriteXlsxSheet(out, sheet_name, sheet.rows, std::move(columns));
  if (!s && s.error().code == kSheetWriteFailed) return Fail(codes.WriteFailed(s.error().message));
  return s;
}

}  // namespace pdh::reg
