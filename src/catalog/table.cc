// Bulk import and export of the catalog as a table of text cells: CSV here, XLSX through the
// same rows. Every row is checked before anything is written (policy in catalog.h).
#include <algorithm>
#include <array>
#include <initializer_list>
#include <map>
#include <set>
#include <utility>

#include "catalog/internal.h"
#include "core/cells.h"
#include "core/number.h"
#include "core/text.h"

namespace pdh::catalog {

using internal::Current;
using internal::kCodes;
using internal::kMaxImportRows;

namespace {

using cells::CellError;
using cells::Join;
using cells::Split;
using Column = reg::Column<Entry>;

// How departments write the kinds, statuses and consolidations, by value.
constexpr reg::EnumSpellings<Kind, 3> kKindSpellings{{{
    {"Nền tảng", "Nền tảng số"},
    {"CSDL", "CSDL chuyên ngành", "Cơ sở dữ liệu chuyên ngành"},
    {"CSDL quốc gia", "Cơ sở dữ liệu quốc gia"},
}}};
constexpr reg::EnumSpellings<EntryStatus, 5> kStatusSpellings{{{
    {"Kế hoạch"},
    {"Đang xây dựng"},
    {"Đưa vào sử dụng", "Đã đưa vào sử dụng", "Đang sử dụng"},
    {"Chưa kết nối", "Đang kết nối"},
    {"Đã kết nối"},
}}};
constexpr reg::EnumSpellings<Consolidation, 3> kConsolidationSpellings{{{
    {},
    {"Đã hợp nhất"},
    {"Chưa hợp nhất"},
}}};

// yes/no in English or Vietnamese, "x" for a ticked box; an empty cell is no.
CellError ParseBoolCell(const std::string& cell, bool& out) {
  static const std::set<std::string> yes = {"yes", "true", "1", "x", "co", "daketnoi"};
  static const std::set<std::string> no = {"", "no", "false", "0", "khong", "chuaketnoi"};
  const std::string key = text::FoldAlnum(cell);
  if (yes.contains(key)) {
    out = true;
  } else if (no.contains(key)) {
    out = false;
  } else {
    return "'" + cell + "' is not yes or no (có/không)";
  }
  return std::nullopt;
}

std::vector<std::string> Targets(const Entry& e, LinkKind kind) {
  std::vector<std::string> out;
  for (const auto& l : e.links) {
    if (l.kind == kind) out.push_back(l.target);
  }
  return out;
}

void SetTargets(Entry& e, LinkKind kind, const std::vector<std::string>& targets) {
  std::erase_if(e.links, [&](const Link& l) { return l.kind == kind; });
  for (const auto& t : targets) e.links.push_back({kind, t});
}

template <LinkKind K>
Column LinkColumn(std::string_view name) {
  return {name, [](const Entry& e) { return Join(Targets(e, K)); },
          [](Entry& e, const std::string& cell) -> CellError {
            SetTargets(e, K, Split(cell));
            return std::nullopt;
          }};
}

const std::vector<Column>& ColumnDefs() {
  static const std::vector<Column> columns = {
      reg::EnumColumn<&Entry::kind, kKindNames, kKindSpellings>("kind"),
      reg::TextColumn<&Entry::code>("code"),
      reg::TextColumn<&Entry::name>("name"),
      reg::TextColumn<&Entry::sector>("sector"),
      reg::TextColumn<&Entry::owner>("owner"),
      reg::EnumColumn<&Entry::status, kStatusNames, kStatusSpellings>("status"),
      reg::EnumColumn<&Entry::consolidation, kConsolidationNames, kConsolidationSpellings>(
          "consolidation"),
      reg::ListColumn<&Entry::source_systems>("source_systems"),
      {"ioc_connected", [](const Entry& e) { return std::string(e.ioc_connected ? "yes" : "no"); },
       [](Entry& e, const std::string& c) { return ParseBoolCell(c, e.ioc_connected); }},
      reg::TextColumn<&Entry::hosting>("hosting"),
      {"record_count",
       [](const Entry& e) { return e.record_count ? std::to_string(*e.record_count) : ""; },
       [](Entry& e, const std::string& c) -> CellError {
         if (c.empty()) {
           e.record_count.reset();
           return std::nullopt;
         }
         e.record_count = number::ParseInteger(c);
         if (!e.record_count) return "'" + c + "' is not a whole number";
         return std::nullopt;
       },
       false, true},
      reg::DateColumn<&Entry::last_data_update>("last_data_update"),
      reg::TextColumn<&Entry::contact>("contact"),
      reg::TextColumn<&Entry::legal_basis>("legal_basis"),
      reg::ListColumn<&Entry::tags>("tags"),
      reg::DateColumn<&Entry::connected_at>("connected_at"),
      LinkColumn<LinkKind::kRunsOn>("runs_on"),
      LinkColumn<LinkKind::kExchangesWith>("exchanges_with"),
  };
  return columns;
}

using reg::kReasonColumn;

// Headers as departments write them in Vietnamese, for each column, besides those every
// register knows (reg::Headers).
constexpr auto kHeaderSpellings = std::to_array<reg::HeaderSpelling>({
    {"Loại hình", "kind"},
    {"Tên", "name"},
    {"Tên gọi", "name"},
    {"Đơn vị chủ quản", "owner"},
    {"Cơ quan chủ quản", "owner"},
    {"Chủ quản", "owner"},
    {"Đơn vị", "owner"},
    {"Trạng thái", "status"},
    {"Tình trạng", "status"},
    {"Hợp nhất", "consolidation"},
    {"Tình trạng hợp nhất", "consolidation"},
    {"Hệ thống nguồn", "source_systems"},
    {"Hình thành từ", "source_systems"},
    {"Nguồn", "source_systems"},
    {"Kết nối IOC", "ioc_connected"},
    {"IOC", "ioc_connected"},
    {"Kết nối Trung tâm điều hành thông minh", "ioc_connected"},
    {"Nơi triển khai", "hosting"},
    {"Hạ tầng", "hosting"},
    {"Hạ tầng triển khai", "hosting"},
    {"Nơi lưu trữ", "hosting"},
    {"Số bản ghi", "record_count"},
    {"Số lượng bản ghi", "record_count"},
    {"Cập nhật lần cuối", "last_data_update"},
    {"Cập nhật dữ liệu lần cuối", "last_data_update"},
    {"Ngày cập nhật", "last_data_update"},
    {"Ngày cập nhật dữ liệu", "last_data_update"},
    {"Liên hệ", "contact"},
    {"Đầu mối", "contact"},
    {"Đầu mối liên hệ", "contact"},
    {"Người liên hệ", "contact"},
    {"Căn cứ pháp lý", "legal_basis"},
    {"Cơ sở pháp lý", "legal_basis"},
    {"Nhãn", "tags"},
    {"Từ khóa", "tags"},
    {"Ngày kết nối", "connected_at"},
    {"Chạy trên nền tảng", "runs_on"},
    {"Nền tảng sử dụng", "runs_on"},
    {"Kết nối CSDL quốc gia", "exchanges_with"},
    {"Trao đổi dữ liệu với", "exchanges_with"},
    {"Liên thông với", "exchanges_with"},
});

RowError MakeError(size_t row, std::string column, std::string code, std::string message) {
  return {row, std::move(column), std::move(code), std::move(message)};
}

// The state of the catalog as the import sees it: the store, then the rows before.
struct Staged {
  std::map<std::string, Current> entries;
  std::map<std::string, Kind> kinds;  // every code in the catalog or the file
};

// Checks one row against `staged` and, when it holds, stages its write.
class RowImport {
 public:
  RowImport(const reg::Header& header, Staged& staged, const ImportOptions& options,
            const units::Registry& registry, Date today, std::string recorded_at)
      : header_(header),
        staged_(staged),
        options_(options),
        registry_(registry),
        today_(today),
        recorded_at_(std::move(recorded_at)) {}

  void Run(size_t row, const std::vector<std::string>& cells, ImportReport& report,
           std::vector<store::CatalogWrite>& writes) {
    const size_t before = report.errors.size();
    Import(row, cells, report, writes);
    if (report.errors.size() > before) ++report.rejected;
  }

 private:
  void Import(size_t row, const std::vector<std::string>& cells, ImportReport& report,
              std::vector<store::CatalogWrite>& writes) {
    auto& errors = report.errors;
    const std::string code = cells::At(cells, header_.Find("code"));
    if (code.empty()) {
      errors.push_back(MakeError(row, "code", "catalog.missing_field", "every row needs a code"));
      return;
    }
    auto found = staged_.entries.find(code);
    const Current* current = found == staged_.entries.end() ? nullptr : &found->second;
    if (!current && cells::At(cells, header_.Find("kind")).empty()) {
      errors.push_back(MakeError(row, "kind", "catalog.missing_field",
                                 "a new entry needs its kind (platform, database, national)"));
      return;
    }
    Entry entry = current ? current->entry : Entry{};
    std::optional<Date> effective = options_.effective;
    if (!internal::SheetLayout().ReadCells(header_, row, cells, entry, effective, errors)) return;
    entry = internal::Normalized(entry);
    // A row that changes nothing is no edit: an officer may send back a whole export.
    if (current && current->entry == entry) {
      ++report.unchanged;
      return;
    }
    if (!Allowed(entry, current)) {
      errors.push_back(MakeError(row, "owner", "catalog.forbidden",
                                 "you may only edit entries of your own unit"));
      return;
    }
    const Change change{options_.actor, cells::At(cells, header_.Find(kReasonColumn)), effective,
                        std::nullopt};
    const internal::Edit edit{current, effective.value_or(today_), change.reason, registry_,
                              [this](const std::string& c) -> std::optional<Kind> {
                                auto k = staged_.kinds.find(c);
                                if (k == staged_.kinds.end()) return std::nullopt;
                                return k->second;
                              }};
    if (auto problem = internal::Check(entry, edit)) {
      errors.push_back(MakeError(row, problem->field, problem->error.code, problem->error.message));
      return;
    }
    writes.push_back(internal::MakeWrite(entry, current, edit.effective, recorded_at_, change));
    ++(current ? report.updated : report.created);
    staged_.entries[code] = Current{entry, writes.back().version.number, edit.effective};
  }

  bool Allowed(const Entry& entry, const Current* current) const {
    if (!options_.may_edit) return true;
    return options_.may_edit(entry.owner) && (!current || options_.may_edit(current->entry.owner));
  }

  const reg::Header& header_;
  Staged& staged_;
  const ImportOptions& options_;
  const units::Registry& registry_;
  Date today_;
  std::string recorded_at_;
};

// Link targets may come later in the file: every code the file names, with its kind.
void StageKinds(const Table& t, const reg::Header& h, Staged& staged) {
  for (size_t i = 1; i < t.rows.size(); ++i) {
    const std::string code = cells::At(t.rows[i], h.Find("code"));
    if (code.empty() || staged.kinds.contains(code)) continue;
    if (auto kind = kKindNames.Parse(cells::At(t.rows[i], h.Find("kind"))))
      staged.kinds[code] = *kind;
  }
}

}  // namespace

namespace internal {

const reg::Layout<Entry>& SheetLayout() {
  static const reg::Layout<Entry> layout(kCodes, ColumnDefs(), {kReasonColumn}, kHeaderSpellings,
                                         "required");
  return layout;
}

}  // namespace internal

const std::vector<std::string>& Columns() {
  static const std::vector<std::string> names = internal::SheetLayout().Names();
  return names;
}

Result<ImportReport> Catalog::ImportRows(const Table& table, const ImportOptions& options) {
  if (table.rows.empty()) {
    return Fail(kCodes.BadFile("the file is empty: the first row is the header"));
  }
  if (table.rows.size() > kMaxImportRows + 1) return Fail(kCodes.TooManyRows(kMaxImportRows));
  ImportReport report;
  report.dry_run = options.dry_run;
  const reg::Header header =
      internal::SheetLayout().headers().Read(table.rows[0], table.RowNumber(0), report.errors);
  for (size_t i = 1; i < table.rows.size(); ++i) report.rows += !cells::Blank(table.rows[i]);
  if (!report.errors.empty()) return report;

  auto rows = store_.All();
  if (!rows) return Fail(rows.error());
  auto current = reg::ReadRows(*rows, [](const auto& row) { return internal::FromRow(row); });
  if (!current) return Fail(current.error());
  Staged staged;
  for (auto& cur : *current) {
    staged.kinds[cur.entry.code] = cur.entry.kind;
    staged.entries.emplace(cur.entry.code, std::move(cur));
  }
  StageKinds(table, header, staged);

  const auto registry = registry_();
  RowImport import(header, staged, options, *registry, reg::Today(clock_),
                   FormatTime(clock_.Now()));
  std::vector<store::CatalogWrite> writes;
  for (size_t i = 1; i < table.rows.size(); ++i) {
    if (!cells::Blank(table.rows[i])) import.Run(table.RowNumber(i), table.rows[i], report, writes);
  }
  if (!report.errors.empty() || options.dry_run || writes.empty()) return report;
  if (auto s = store_.Write(writes); !s) return Fail(s.error());
  report.written = true;
  return report;
}

Result<ImportReport> Catalog::ImportCsv(std::istream& in, const ImportOptions& options) {
  // A row past ImportRows' limit (the header and kMaxImportRows rows) is one too many.
  auto table = reg::ReadCsv(kCodes, in, kMaxImportRows + 2, kMaxImportRows, options.limits);
  if (!table) return Fail(table.error());
  return ImportRows(*table, options);
}

Result<Table> Catalog::ExportRows() {
  auto rows = store_.All();
  if (!rows) return Fail(rows.error());
  Table table;
  table.rows.push_back(Columns());
  for (const auto& row : *rows) {
    auto cur = internal::FromRow(row);
    if (!cur) return Fail(cur.error());
    table.rows.push_back(internal::SheetLayout().Format(cur->entry));
  }
  return table;
}

Status Catalog::ExportCsv(std::ostream& out) {
  auto table = ExportRows();
  if (!table) return Fail(table.error());
  return reg::WriteCsv(kCodes, out, *table, "could not write the export");
}

}  // namespace pdh::catalog
