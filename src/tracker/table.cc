// Bulk import and export of the register's targets and tasks as a table of text cells: CSV and
// XLSX (sheets as departments send them: a title above the table, Vietnamese headers, dates as
// serial numbers or "Quý IV/2025") read into the same rows, every row checked through
// Tracker::ApplyBatch before anything is written, and exports that read back unchanged.
#include <algorithm>
#include <array>
#include <charconv>
#include <functional>
#include <initializer_list>
#include <map>
#include <set>
#include <utility>

#include "core/cells.h"
#include "core/date.h"
#include "core/number.h"
#include "core/sheet.h"
#include "core/text.h"
#include "core/xlsx.h"
#include "tracker/tracker.h"

namespace pdh::tracker {
namespace {

using cells::CellError;
using cells::FormatDate;
using cells::Join;
using Column = reg::Column<Item>;
using reg::kEffectiveColumn;

// The most data rows one import reads (tracker.bad_file beyond).
constexpr size_t kMaxImportRows = 20000;
// How far down a file the header row is looked for (rows with a value): a title, a subtitle,
// the issuing unit and a blank line are usual; a table further down is not the import's.
constexpr size_t kHeaderSearchRows = 30;
// The register as it stands, every version included: the export and the import's starting point.
constexpr Date kLatest{9999, 12, 31};
constexpr int64_t kPageSize = 1000;
constexpr std::string_view kSheetName = "register";

// Cells as read from a file: the header somewhere in the first rows, and each row's number as
// the file shows it (CSV line, sheet row).
using Table = Sheet;

// The most rows a file's table holds: the rows above the header that are looked through, the
// header, and kMaxImportRows data rows.
constexpr size_t kMaxTableRows = kMaxImportRows + kHeaderSearchRows + 1;

// The register's error codes.
constexpr reg::Codes kCodes("tracker");

RowError MakeError(size_t row, std::string column, std::string code, std::string message) {
  return {row, std::move(column), std::move(code), std::move(message)};
}

// --- Cells ----------------------------------------------------------------------------------

// "80.SKHCN; 80.STC", also separated by commas or line breaks as people type lists.
std::vector<std::string> Split(const std::string& cell) {
  return cells::Split(cell, ";,\n");
}

// The shortest text that reads back as the same number, without an exponent ("1234.5").
std::string FormatNumber(const std::optional<double>& v) {
  if (!v) return "";
  std::array<char, 400> buf{};
  auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), *v, std::chars_format::fixed);
  if (ec != std::errc()) return std::to_string(*v);
  return {buf.data(), end};
}

std::optional<int> Year(std::string_view digits) {
  int year = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), year);
  if (ec != std::errc() || end != digits.data() + digits.size() || digits.size() != 4) {
    return std::nullopt;
  }
  return year;
}

// Words of the alphanumeric runs of a folded cell: "Quý IV/2025" -> {"quy", "iv", "2025"}.
std::vector<std::string> Words(const std::string& cell) {
  std::vector<std::string> out;
  std::string word;
  for (char c : text::Fold(cell) + " ") {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      word += c;
    } else if (!word.empty()) {
      out.push_back(std::move(word));
      word.clear();
    }
  }
  return out;
}

// Deadlines as plans write them besides a day: "Quý IV/2025", "Quý 4 năm 2025", "Tháng 6/2025",
// "06/2025", "Năm 2025", "2025", "2025 - 2030" — the last day of that period.
std::optional<Date> PeriodEnd(const std::string& cell) {
  auto words = Words(cell);
  std::erase(words, "nam");
  const auto year = words.empty() ? std::nullopt : Year(words.back());
  if (!year) return std::nullopt;
  if (words.size() == 1 || (words.size() == 2 && Year(words[0]))) return Date{*year, 12, 31};
  static const std::map<std::string, int> quarters = {{"i", 1}, {"ii", 2}, {"iii", 3}, {"iv", 4},
                                                      {"1", 1}, {"2", 2},  {"3", 3},   {"4", 4}};
  if (words.size() == 3 && words[0] == "quy" && quarters.contains(words[1])) {
    return LastDayOfMonth(*year, quarters.at(words[1]) * 3);
  }
  if ((words.size() == 3 && words[0] == "thang") || words.size() == 2) {
    int month = 0;
    const std::string& m = words[words.size() - 2];
    auto [end, ec] = std::from_chars(m.data(), m.data() + m.size(), month);
    if (ec == std::errc() && end == m.data() + m.size() && month >= 1 && month <= 12) {
      return LastDayOfMonth(*year, month);
    }
  }
  return std::nullopt;
}

// How departments write recurrences, by value.
constexpr reg::EnumSpellings<Recurrence, 4> kRecurrenceSpellings{{{
    {"Không", "none"},
    {"Thường xuyên", "Hằng tháng", "Hàng tháng", "Định kỳ hằng tháng"},
    {"Hằng quý", "Hàng quý", "Định kỳ hằng quý"},
    {"Hằng năm", "Hàng năm", "Định kỳ hằng năm"},
}}};

// A deadline cell: a date, a period ("Quý IV/2025": its last day), or a recurrence
// ("Thường xuyên", "Hằng năm": no single deadline).
CellError ParseDeadlineCell(Item& item, const std::string& cell) {
  if (cell.empty()) {
    item.deadline.reset();
    return std::nullopt;
  }
  if (auto d = Date::Parse(cell)) {
    item.deadline = d;
    return std::nullopt;
  }
  if (auto d = PeriodEnd(cell)) {
    item.deadline = d;
    return std::nullopt;
  }
  const auto& recurrences = reg::SpellingsOf<kRecurrenceSpellings>();
  auto recurring = recurrences.find(text::FoldAlnum(cell));
  if (recurring != recurrences.end() && recurring->second != Recurrence::kNone) {
    item.deadline.reset();
    item.recurrence = recurring->second;
    return std::nullopt;
  }
  return "'" + cell + "' is not a deadline (31/12/2025, Quý IV/2025, Năm 2025, Thường xuyên)";
}

// A decimal as Vietnamese files write it ("1.234,5"), a trailing "%" allowed.
CellError ParseNumberCell(const std::string& cell, std::optional<double>& out) {
  std::string value = cell;
  if (value.ends_with('%')) value = text::CollapseSpaces(value.substr(0, value.size() - 1));
  if (value.empty()) {
    out.reset();
    return std::nullopt;
  }
  out = number::ParseDecimal(value);
  if (!out) return "'" + cell + "' is not a number (1234,5 or 1.234,5)";
  return std::nullopt;
}

// How departments write the kinds, levels and states, by value.
constexpr reg::EnumSpellings<ItemKind, 2> kKindSpellings{{{
    {"Chỉ tiêu", "Mục tiêu"},
    {"Nhiệm vụ"},
}}};
constexpr reg::EnumSpellings<Level, 3> kLevelSpellings{{{
    {"Trung ương", "Trung ương giao", "Trung ương giao tỉnh"},
    {"Tỉnh", "Tỉnh giao", "UBND tỉnh giao", "Ủy ban nhân dân tỉnh giao"},
    {"Đơn vị", "Đơn vị giao"},
}}};
constexpr reg::EnumSpellings<State, 4> kStateSpellings{{{
    {"Chưa thực hiện", "Chưa triển khai", "Chưa bắt đầu"},
    {"Đang thực hiện", "Đang triển khai"},
    {"Hoàn thành", "Đã hoàn thành", "Hoàn thành đúng hạn", "Hoàn thành trễ hạn",
     "Hoàn thành quá hạn", "completed_on_time", "completed_late"},
    {"Hủy", "Đã hủy", "Dừng thực hiện"},
}}};

// --- Columns --------------------------------------------------------------------------------

// `column` with a blank cell leaving the field as it is.
Column KeptWhenBlank(Column column) {
  column.keep_blank = true;
  return column;
}

template <std::string Leader::*Field>
Column LeaderColumn(std::string_view name) {
  return {name, [](const Item& i) { return i.leader.*Field; },
          [](Item& i, const std::string& cell) -> CellError {
            i.leader.*Field = cell;
            return std::nullopt;
          }};
}

template <std::optional<double> Item::*Field>
Column NumberColumn(std::string_view name) {
  return {name, [](const Item& i) { return FormatNumber(i.*Field); },
          [](Item& i, const std::string& cell) { return ParseNumberCell(cell, i.*Field); }, false,
          true};
}

const std::vector<Column>& ColumnDefs() {
  static const std::vector<Column> columns = {
      // A blank kind is kept, or guessed for a new row.
      KeptWhenBlank(reg::EnumColumn<&Item::kind, kItemKindNames, kKindSpellings>("kind")),
      reg::TextColumn<&Item::code>("code"),
      reg::TextColumn<&Item::programme>("programme"),
      reg::TextColumn<&Item::parent>("parent"),
      reg::EnumColumn<&Item::level, kLevelNames, kLevelSpellings>("level"),
      reg::TextColumn<&Item::title>("title"),
      reg::TextColumn<&Item::sector>("sector"),
      reg::TextColumn<&Item::lead_unit>("lead_unit"),
      {"cooperating_units", [](const Item& i) { return Join(i.cooperating_units); },
       [](Item& i, const std::string& c) -> CellError {
         i.cooperating_units = Split(c);
         return std::nullopt;
       }},
      LeaderColumn<&Leader::name>("leader_name"),
      LeaderColumn<&Leader::position>("leader_position"),
      reg::DateColumn<&Item::assigned_at>("assigned_at"),
      {"deadline", [](const Item& i) { return FormatDate(i.deadline); }, ParseDeadlineCell, true,
       false, true},
      {"recurrence", [](const Item& i) { return std::string(kRecurrenceNames.Name(i.recurrence)); },
       [](Item& i, const std::string& c) -> CellError {
         if (c.empty()) {
           i.recurrence = Recurrence::kNone;
           return std::nullopt;
         }
         return cells::ParseEnum(c, i.recurrence, reg::ParseWith<kRecurrenceNames>,
                                 reg::SpellingsOf<kRecurrenceSpellings>());
       }},
      reg::TextColumn<&Item::expected_product>("expected_product"),
      NumberColumn<&Item::baseline>("baseline"),
      NumberColumn<&Item::target_value>("target_value"),
      reg::TextColumn<&Item::measure_unit>("measure_unit"),
      reg::TextColumn<&Item::indicator>("indicator"),
      reg::EnumColumn<&Item::state, kStateNames, kStateSpellings>("state"),
      reg::DateColumn<&Item::completed_at>("completed_at"),
  };
  return columns;
}

// Import-only columns: how the edit is recorded rather than what it says.
using reg::kReasonColumn;
constexpr std::string_view kApprovalColumn = "approval";

// Headers as plans and reports write them in Vietnamese, for each column, besides those every
// register knows (reg::Headers).
constexpr auto kHeaderSpellings = std::to_array<reg::HeaderSpelling>({
    {"Loại nhiệm vụ", "kind"},
    {"Ký hiệu", "code"},
    {"Mã nhiệm vụ", "code"},
    {"Mã chỉ tiêu", "code"},
    {"Chương trình", "programme"},
    {"Mã chương trình", "programme"},
    {"Chương trình, kế hoạch", "programme"},
    {"Kế hoạch", "programme"},
    {"Nhiệm vụ cấp trên", "parent"},
    {"Mã nhiệm vụ cấp trên", "parent"},
    {"Nhiệm vụ gốc", "parent"},
    {"Giao từ nhiệm vụ", "parent"},
    {"Cấp giao", "level"},
    {"Cấp giao nhiệm vụ", "level"},
    {"Nội dung", "title"},
    {"Nội dung nhiệm vụ", "title"},
    {"Nội dung chỉ tiêu", "title"},
    {"Tên nhiệm vụ", "title"},
    {"Tên chỉ tiêu", "title"},
    {"Nhiệm vụ", "title"},
    {"Nhiệm vụ, giải pháp", "title"},
    {"Đơn vị chủ trì", "lead_unit"},
    {"Cơ quan chủ trì", "lead_unit"},
    {"Chủ trì", "lead_unit"},
    {"Đơn vị chủ trì thực hiện", "lead_unit"},
    {"Cơ quan chủ trì thực hiện", "lead_unit"},
    {"Đơn vị thực hiện", "lead_unit"},
    {"Đơn vị phối hợp", "cooperating_units"},
    {"Cơ quan phối hợp", "cooperating_units"},
    {"Phối hợp", "cooperating_units"},
    {"Đơn vị phối hợp thực hiện", "cooperating_units"},
    {"Lãnh đạo phụ trách", "leader_name"},
    {"Lãnh đạo chỉ đạo", "leader_name"},
    {"Lãnh đạo UBND tỉnh phụ trách", "leader_name"},
    {"Người phụ trách", "leader_name"},
    {"Chức vụ", "leader_position"},
    {"Chức vụ lãnh đạo", "leader_position"},
    {"Chức vụ lãnh đạo phụ trách", "leader_position"},
    {"Ngày giao", "assigned_at"},
    {"Ngày giao nhiệm vụ", "assigned_at"},
    {"Thời hạn", "deadline"},
    {"Thời hạn hoàn thành", "deadline"},
    {"Thời gian hoàn thành", "deadline"},
    {"Hạn hoàn thành", "deadline"},
    {"Tiến độ hoàn thành", "deadline"},
    {"Định kỳ", "recurrence"},
    {"Tần suất", "recurrence"},
    {"Sản phẩm", "expected_product"},
    {"Sản phẩm dự kiến", "expected_product"},
    {"Sản phẩm đầu ra", "expected_product"},
    {"Kết quả, sản phẩm", "expected_product"},
    {"Hình thức sản phẩm", "expected_product"},
    {"Giá trị cơ sở", "baseline"},
    {"Hiện trạng", "baseline"},
    {"Chỉ tiêu", "target_value"},
    {"Giá trị chỉ tiêu", "target_value"},
    {"Giá trị mục tiêu", "target_value"},
    {"Mục tiêu", "target_value"},
    {"Đơn vị tính", "measure_unit"},
    {"ĐVT", "measure_unit"},
    {"Chỉ số", "indicator"},
    {"Mã chỉ số", "indicator"},
    {"Chỉ số IOC", "indicator"},
    {"Trạng thái", "state"},
    {"Tình trạng", "state"},
    {"Tình hình thực hiện", "state"},
    {"Ngày hoàn thành", "completed_at"},
    {"Thời điểm hoàn thành", "completed_at"},
    {"Ngày điều chỉnh", kEffectiveColumn},
    {"Lý do điều chỉnh", kReasonColumn},
    {"Văn bản phê duyệt", kApprovalColumn},
    {"Văn bản chấp thuận", kApprovalColumn},
    {"Phê duyệt", kApprovalColumn},
    {"Căn cứ điều chỉnh", kApprovalColumn},
});

const reg::Layout<Item>& SheetLayout() {
  static const reg::Layout<Item> layout(kCodes, ColumnDefs(), {kReasonColumn, kApprovalColumn},
                                        kHeaderSpellings, "required (Mã)");
  return layout;
}

// The register's items by code, as they stand.
Result<std::map<std::string, Item>> CurrentItems(Tracker& tracker) {
  std::map<std::string, Item> items;
  Filter filter;
  filter.limit = kPageSize;
  while (true) {
    auto page = tracker.List(filter, kLatest);
    if (!page) return Fail(page.error());
    for (auto& r : page->items) items.emplace(r.item.code, std::move(r.item));
    if (page->next.empty() || page->items.empty()) break;
    filter.after = page->next;
  }
  return items;
}

// The column an ApplyBatch message names ("deadline: ..."), and the message without it.
std::pair<std::string, std::string> ColumnOf(const Error& error) {
  static const std::map<std::string_view, std::string_view> aliases = {
      {"leader", "leader_name"},
      {"leader.name", "leader_name"},
      {"leader.position", "leader_position"},
      {"effective", kEffectiveColumn},
      {"effective_date", kEffectiveColumn},
      {"reason", kReasonColumn},
      {"approval", kApprovalColumn},
  };
  const size_t colon = error.message.find(": ");
  if (colon != std::string::npos) {
    std::string field = error.message.substr(0, colon);
    if (auto bracket = field.find('['); bracket != std::string::npos) field.resize(bracket);
    std::string column;
    if (auto a = aliases.find(field); a != aliases.end()) {
      column = a->second;
    } else if (SheetLayout().Find(field) != nullptr) {
      column = field;
    }
    if (!column.empty()) return {column, error.message.substr(colon + 2)};
  }
  const bool about_code = error.code == "tracker.duplicate_code" ||
                          error.code == "tracker.not_found" ||
                          error.code == "tracker.version_conflict";
  return {about_code ? "code" : "", error.message};
}

// Turns the rows into one batch of edits over the register, the rows before included.
class RowReader {
 public:
  RowReader(const reg::Header& header, std::map<std::string, Item> items,
            const ImportOptions& options)
      : header_(header), items_(std::move(items)), options_(options) {}

  // The edit of one row, or its errors.
  std::optional<Tracker::BatchEdit> Read(size_t row, const std::vector<std::string>& cells,
                                         std::vector<RowError>& errors) {
    const std::string code = cells::At(cells, header_.Find("code"));
    if (code.empty()) {
      errors.push_back(MakeError(row, "code", "tracker.missing_field", "every row needs a code"));
      return std::nullopt;
    }
    auto found = items_.find(code);
    const Item* current = found == items_.end() ? nullptr : &found->second;
    Item item = current ? *current : Item{};
    if (!current) NewItemKind(cells, item);
    Change change{options_.actor, cells::At(cells, header_.Find(kReasonColumn)),
                  cells::At(cells, header_.Find(kApprovalColumn)), options_.effective,
                  std::nullopt};
    if (!SheetLayout().ReadCells(header_, row, cells, item, change.effective, errors)) {
      return std::nullopt;
    }
    item.code = code;
    if (options_.may_edit && (!current || *current != item) && !Allowed(item, current)) {
      errors.push_back(MakeError(row, "lead_unit", "tracker.forbidden",
                                 "you may only edit items your unit leads"));
      return std::nullopt;
    }
    items_[code] = item;
    return Tracker::BatchEdit{std::move(item), std::move(change)};
  }

 private:
  // A new row without a kind: a target when it has a target value, else a task.
  void NewItemKind(const std::vector<std::string>& cells, Item& item) const {
    if (cells::At(cells, header_.Find("kind")).empty() &&
        !cells::At(cells, header_.Find("target_value")).empty()) {
      item.kind = ItemKind::kTarget;
    }
  }

  bool Allowed(const Item& item, const Item* current) const {
    return options_.may_edit(item.lead_unit) && (!current || options_.may_edit(current->lead_unit));
  }

  const reg::Header& header_;
  std::map<std::string, Item> items_;
  const ImportOptions& options_;
};

// Checks every row of `table` (its header at `header_at`), then writes all of them or none.
Result<ImportReport> ImportTable(Tracker& tracker, const Table& table, size_t header_at,
                                 const ImportOptions& options) {
  ImportReport report;
  report.dry_run = options.dry_run;
  const reg::Header header = SheetLayout().headers().Read(
      table.rows[header_at], table.RowNumber(header_at), report.errors);
  std::vector<size_t> data;  // indexes of the data rows
  for (size_t i = header_at + 1; i < table.rows.size(); ++i) {
    if (!cells::Blank(table.rows[i]) && !reg::IsColumnNumbering(table.rows[i])) data.push_back(i);
  }
  report.rows = data.size();
  if (!report.errors.empty()) return report;

  auto items = CurrentItems(tracker);
  if (!items) return Fail(items.error());
  RowReader reader(header, std::move(*items), options);
  std::vector<Tracker::BatchEdit> edits;
  std::vector<size_t> edit_rows;  // the file's row number of each edit
  std::set<size_t> rejected;
  for (size_t i : data) {
    const size_t row = table.RowNumber(i);
    const size_t before = report.errors.size();
    if (auto edit = reader.Read(row, table.rows[i], report.errors)) {
      edits.push_back(std::move(*edit));
      edit_rows.push_back(row);
    }
    if (report.errors.size() > before) rejected.insert(row);
  }
  // Rows that could not be read are not written, so the rest is only checked.
  const bool check_only = options.dry_run || !report.errors.empty();
  auto batch = tracker.ApplyBatch(edits, check_only);
  if (!batch) return Fail(batch.error());
  for (size_t i = 0; i < batch->errors.size() && i < edit_rows.size(); ++i) {
    if (!batch->errors[i]) continue;
    auto [column, message] = ColumnOf(*batch->errors[i]);
    report.errors.push_back(
        MakeError(edit_rows[i], std::move(column), batch->errors[i]->code, std::move(message)));
    rejected.insert(edit_rows[i]);
  }
  std::stable_sort(report.errors.begin(), report.errors.end(),
                   [](const RowError& a, const RowError& b) { return a.row < b.row; });
  report.created = batch->created;
  report.updated = batch->updated;
  report.unchanged = batch->unchanged;
  report.rejected = rejected.size();
  report.written = batch->written && !check_only;
  return report;
}

Result<ImportReport> ImportTable(Tracker& tracker, const Table& table,
                                 const ImportOptions& options) {
  if (table.rows.empty()) {
    return Fail(kCodes.BadFile("the file is empty: the first row is the header"));
  }
  auto header_at = reg::FindHeader(table, SheetLayout().headers(), kHeaderSearchRows);
  if (!header_at) {
    return reg::NoHeader(kCodes, table.RowNumber(0), kHeaderSearchRows, "", options.dry_run);
  }
  return ImportTable(tracker, table, *header_at, options);
}

// Every item, header first, by code; ImportTable reads it back unchanged.
Result<Table> ExportTable(Tracker& tracker) {
  auto items = CurrentItems(tracker);
  if (!items) return Fail(items.error());
  Table table;
  table.rows.push_back(SheetLayout().Names());
  for (const auto& [code, item] : *items) table.rows.push_back(SheetLayout().Format(item));
  return table;
}

// The shared sheet code's errors as the tracker's; a file past the upload limits as those say.
Error FileError(const Error& e, const SheetLimits& limits) {
  if (e.code == kSheetTooManyRows) return kCodes.TooManyRows(kMaxImportRows);
  if (IsLimitError(e) || e.code == kXlsxTooLarge) return TooLargeOrMalformed(e, "XLSX", limits);
  return kCodes.BadFile(e.message);
}

}  // namespace

Result<ImportReport> Tracker::ImportCsv(std::istream& in, const ImportOptions& options) {
  auto table = reg::ReadCsv(kCodes, in, kMaxTableRows, kMaxImportRows, options.limits);
  if (!table) return Fail(table.error());
  return ImportTable(*this, *table, options);
}

Result<ImportReport> Tracker::ImportXlsx(std::string bytes, const ImportOptions& options) {
  auto reader = reg::OpenWorkbook(kCodes, std::move(bytes), "", options.limits);
  if (!reader) return Fail(reader.error());
  // The rows above the header are kept: ImportTable finds the header again among them.
  const reg::Headers& headers = SheetLayout().headers();
  auto read = ReadXlsxSheet(
      *reader, {.is_header = std::bind_front(&reg::Headers::NamesCode, &headers),
                .is_date_column = std::bind_front(&reg::Headers::NamesDateColumn, &headers),
                .header_search_rows = kHeaderSearchRows,
                .max_rows = kMaxTableRows,
                .keep_rows_above_header = true,
                .limits = options.limits});
  if (!read) return Fail(FileError(read.error(), options.limits));
  const Table& table = read->sheet;
  if (table.rows.empty()) {
    return Fail(kCodes.BadFile("the sheet is empty: the first row is the header"));
  }
  return ImportTable(*this, table, options);
}

Status Tracker::ExportCsv(std::ostream& out) {
  auto table = ExportTable(*this);
  if (!table) return Fail(table.error());
  return reg::WriteCsv(kCodes, out, *table, "could not write the export: the output stream failed");
}

Status Tracker::ExportXlsx(std::ostream& out) {
  auto table = ExportTable(*this);
  if (!table) return Fail(table.error());
  return reg::WriteXlsx(kCodes, out, kSheetName, *table, SheetLayout().XlsxColumns());
}

}  // namespace pdh::tracker
