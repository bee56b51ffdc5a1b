// The catalog (M2): the province's digital platforms, specialized databases and the national
// databases it must connect to — who owns each, how far it is built, whether it was consolidated
// after the merger — with a full change history, so every figure of the report is a query over it,
// as of any date.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <functional>
#include <istream>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/date.h"
#include "core/error.h"
#include "core/sheet.h"
#include "register/register.h"
#include "store/catalog.h"
#include "units/units.h"

namespace pdh::catalog {

// What an entry is: a digital platform (nền tảng số), a specialized database (cơ sở dữ liệu
// chuyên ngành) or a national database (cơ sở dữ liệu quốc gia) the province connects to.
enum class Kind { kPlatform, kDatabase, kNational };
inline constexpr reg::EnumNames<Kind, 3> kKindNames{{"platform", "database", "national"}};

// Platforms and databases: planned (kế hoạch) -> under_construction (đang xây dựng) -> in_use
// (đưa vào sử dụng). National databases: not_connected | connected (đã kết nối).
enum class EntryStatus { kPlanned, kUnderConstruction, kInUse, kNotConnected, kConnected };
inline constexpr reg::EnumNames<EntryStatus, 5> kStatusNames{
    {"planned", "under_construction", "in_use", "not_connected", "connected"}};

// Databases in use after the 2025 merger: consolidated into one (đã hợp nhất) or still kept as
// the former provinces' separate systems (chưa hợp nhất). kNone for everything else.
enum class Consolidation { kNone, kMerged, kNotMerged };
inline constexpr reg::EnumNames<Consolidation, 3> kConsolidationNames{{"", "merged", "not_merged"}};

// A database runs on a platform; a database exchanges data with a national database.
enum class LinkKind { kRunsOn, kExchangesWith };
inline constexpr reg::EnumNames<LinkKind, 2> kLinkKindNames{{"runs_on", "exchanges_with"}};

struct Link {
  LinkKind kind = LinkKind::kRunsOn;
  std::string target;  // the other entry's code
  auto operator<=>(const Link&) const = default;
};

// One entry as it stands in one version. Lists are kept in the order given.
struct Entry {
  Kind kind = Kind::kDatabase;
  std::string code;  // stable, unique across kinds: letters, digits, '.', '-', '_'; <= 64
  std::string name;
  std::string sector;  // lĩnh vực: "Y tế", "Giáo dục và Đào tạo", ...
  std::string owner;   // owner unit code (đơn vị chủ quản): "80.SYT", a commune code, ...
  EntryStatus status = EntryStatus::kPlanned;
  Consolidation consolidation = Consolidation::kNone;
  std::vector<std::string> source_systems;  // what it came from: "Long An (cũ): ..."
  bool ioc_connected = false;               // feeds the Intelligent Operations Centre
  std::string hosting;                      // where it runs: "Trung tâm dữ liệu tỉnh", ...
  std::optional<int64_t> record_count;
  std::optional<Date> last_data_update;
  std::string contact;
  std::string legal_basis;  // the decision that approved or governs it
  std::vector<std::string> tags;
  std::optional<Date> connected_at;  // national databases: when the connection went live
  std::vector<Link> links;

  bool operator==(const Entry&) const = default;
};

// The rules every version must satisfy (checked by Create, Update and the import):
//
// Fields (catalog.missing_field / catalog.invalid_field, naming the field):
//   always           code, name, sector, owner; status allowed for the kind
//   under_construction  + legal_basis
//   in_use           + hosting, last_data_update, contact;
//                      databases also consolidation and record_count
//   connected        + connected_at
//   consolidation only on databases in use (catalog.invalid_transition otherwise: a database
//   cannot be merged before it is in use); connected_at only on national databases;
//   record_count >= 0; links only from databases: runs_on a platform, exchanges_with a
//   national database, to an entry that exists (catalog.invalid_link).
// Owner: a unit valid on the effective date (catalog.unknown_unit).
// Transitions (from the previous version):
//   kind and code never change (catalog.invalid_transition);
//   forward one step at a time: planned -> under_construction -> in_use (skipping is
//   catalog.invalid_transition; a new entry may start at any status);
//   going back (in_use -> under_construction, merged -> not_merged, connected -> not_connected,
//   ioc_connected true -> false) needs a non-empty reason (catalog.reason_required);
//   the effective date is never before the previous version's (catalog.invalid_date).
// Who may edit is the caller's check (auth::Allows with a write permission on the owner unit,
// before and after the change — ImportOptions::may_edit for imports): officers their unit's
// entries, DoST operators all.

// A field that differs between two versions; values as JSON (null when unset).
using FieldChange = reg::FieldChange;

// Who changed an entry, when and why.
struct Change {
  std::string actor;                // account name
  std::string reason;               // required when going back
  std::optional<Date> effective;    // when it took effect in the world; default: today
  std::optional<int64_t> expected;  // optimistic lock: the version the edit was based on
};

struct Version {
  int64_t number = 0;       // 1, 2, ...
  Date effective;           // ngày hiệu lực
  std::string recorded_at;  // when pdh stored it, ISO-8601 UTC
  std::string actor;
  std::string reason;
  std::vector<FieldChange> changes;  // against the previous version; every set field for 1
  Entry entry;                       // the full state in this version
};

// An entry now, with its history oldest first.
struct Record {
  Entry entry;
  int64_t version = 0;
  Date effective;
  std::vector<Version> history;   // filled by Get only
  std::vector<Link> linked_from;  // filled by Get only: entries linking here (target: their code)
};

struct Filter {
  std::optional<Kind> kind;
  std::optional<EntryStatus> status;
  std::optional<std::string> sector;  // exact
  std::optional<std::string> owner;   // exact unit code
  std::optional<std::string> tag;     // one tag, matched without diacritics or case
  std::string q;      // words found in name, code, sector or tags, without diacritics or case
  std::string after;  // pagination cursor: codes after this one (the last code of a page)
  int64_t limit = 100;
};

struct Page {
  std::vector<Record> items;  // by code
  std::string next;           // cursor for the next page; "" when this is the last
};

// Figures of the report, counted over the entries' versions effective on `as_of`.
struct Counts {
  int64_t platforms = 0;
  int64_t platforms_in_use = 0;
  int64_t databases = 0;
  int64_t databases_planned = 0;
  int64_t databases_under_construction = 0;
  int64_t databases_in_use = 0;
  int64_t databases_merged = 0;
  int64_t databases_not_merged = 0;
  int64_t databases_ioc_connected = 0;
  int64_t national = 0;
  int64_t national_connected = 0;
  bool operator==(const Counts&) const = default;
};

struct Summary {
  Date as_of;
  Counts total;
  std::map<std::string, Counts> by_sector;
  std::map<std::string, Counts> by_owner;  // by owner unit code
};

// The import's problems, options and report (the register's; may_edit is given the owner
// unit). Import policy: every row is checked (against the catalog and the rows before it; link
// targets may be anywhere in the file); if any row has an error, nothing is written and the
// report lists every error (the first broken rule of each row). Otherwise all rows are written
// in one transaction. A dry run checks and counts the same way and never writes. Header
// problems (catalog.unknown_column, catalog.missing_column for "code") are reported on row 1.
using RowError = reg::RowError;
using ImportOptions = reg::ImportOptions;
using ImportReport = reg::ImportReport;

// A sheet as rows of cells, the first row the header; the shared shape of CSV and XLSX files.
// row_numbers[i] is the number reported for rows[i] (empty: i + 1).
using Table = Sheet;

// The import/export columns, in export order. Lists (source_systems, tags, runs_on,
// exchanges_with) are joined with "; "; booleans "yes"/"no"; dates ISO. Import also takes
// effective_date and reason. A column missing from an import's header leaves that field as it
// is on existing entries.
//
// Imports also read the headers and values departments write in Vietnamese, compared without
// diacritics, case, spaces or punctuation: "Mã" (code), "Tên" (name), "Loại" (kind), "Lĩnh vực"
// (sector), "Đơn vị chủ quản" (owner), "Trạng thái" (status), "Hợp nhất" (consolidation),
// "Ngày hiệu lực" (effective_date), "Lý do" (reason), ... (the full list is in table.cc); a row
// number column ("STT") is skipped; two headers naming one column are catalog.duplicate_column.
// Values: "Kế hoạch", "Đang xây dựng", "Đã đưa vào sử dụng" / "Đang sử dụng", "Đã kết nối",
// "Chưa kết nối", "Đã hợp nhất", "Chưa hợp nhất", "Nền tảng", "CSDL chuyên ngành", "CSDL quốc
// gia", and "Có" / "Không" / "x" for yes and no.
const std::vector<std::string>& Columns();

// The catalog service. Thread-safe; a write checks the rules against the latest version and is
// stored only if no other write got in between (else catalog.version_conflict).
class Catalog {
 public:
  using RegistrySource = std::function<std::shared_ptr<const units::Registry>()>;
  Catalog(store::CatalogStore& store, RegistrySource registry, const Clock& clock);
  Catalog(store::CatalogStore& store, std::shared_ptr<const units::Registry> registry,
          const Clock& clock);

  // Adds an entry (version 1). Errors: the rules above, catalog.duplicate_code.
  Result<Record> Create(const Entry& entry, const Change& change);
  // Replaces the entry with code `entry.code` by `entry` (a new version). An entry equal to the
  // current one adds no version and returns the current record. Errors: the rules above,
  // catalog.not_found, catalog.version_conflict.
  Result<Record> Update(const Entry& entry, const Change& change);
  // The entry with its full history. Errors: catalog.not_found.
  Result<Record> Get(const std::string& code);
  // Current entries matching `filter`, by code (history not filled). Errors: catalog.invalid
  // (limit outside 1..1000).
  Result<Page> List(const Filter& filter);
  // The report's figures from the latest version of each entry effective on or before `as_of`.
  Result<Summary> SummaryAsOf(Date as_of);
  // Every entry as it stood on `as_of` (its latest version effective by then), by code.
  Result<std::vector<Entry>> EntriesAsOf(Date as_of);

  Result<ImportReport> ImportRows(const Table& table, const ImportOptions& options);
  // Reads CSV (see CsvReader) into a Table and imports it. Errors: catalog.bad_file (the file
  // is not CSV, or is too large); row problems are in the report.
  Result<ImportReport> ImportCsv(std::istream& in, const ImportOptions& options);
  // Reads a workbook (the bytes of an .xlsx file, from disk or an upload) into a Table and
  // imports it. The sheet is `sheet`, or the first one when empty. The header is the first row
  // that has a code column (a title above it is skipped); header cells merged down over a second
  // header row take that row's labels ("Trạng thái" under a merged "Tình trạng"), and a label
  // merged across columns names the first. Cells merged over several data rows repeat in each;
  // a row that is one label merged across columns (a group heading) is skipped. Row numbers in the
  // errors are the sheet's. Dates (cells formatted as dates, or serial numbers in date columns)
  // become ISO dates; "12500.0" is read as 12500. Headers and values may be in Vietnamese, as for
  // CSV (see Columns). No header row within the first 30 rows: catalog.missing_column on the first
  // row. Errors: catalog.bad_file (not an .xlsx workbook, damaged, no such sheet, too many rows).
  Result<ImportReport> ImportXlsx(std::string bytes, const ImportOptions& options,
                                  const std::string& sheet = "");
  // Every current entry, header first, by code; ImportRows reads it back unchanged.
  Result<Table> ExportRows();
  Status ExportCsv(std::ostream& out);
  // ExportRows as a workbook: one sheet, a bold frozen header, record_count as numbers, dates as
  // ISO text. ImportXlsx reads it back unchanged. Errors: catalog.write_failed.
  Status ExportXlsx(std::ostream& out);

 private:
  Result<Record> Write(const Entry& entry, const Change& change, bool create);
  store::CatalogStore& store_;
  RegistrySource registry_;
  const Clock& clock_;
};

// JSON shapes for the API: entries use the field names above (dates ISO, absent optionals
// null); a record adds version, effective and, when filled, history.
boost::json::object ToJson(const Entry& e);
boost::json::object ToJson(const Record& r);
boost::json::object ToJson(const Summary& s);
using reg::ToJson;  // ImportReport
// Reads an entry from JSON (unknown keys are refused). Errors: catalog.invalid_field.
Result<Entry> EntryFromJson(const boost::json::value& v);

// The demo province's catalog (§8 of the design): 35 platforms, 112 specialized databases
// (as of 2025-10-31: 69 in use — 35 merged, 34 not merged — and 43 under construction) and the
// 16 national databases (13 connected), with histories from 2024-01 that make earlier dates show
// less. Deterministic: the same entries and versions every run. Counts "platforms",
// "databases", "national" and "versions".
Result<reg::Tally> GenerateDemo(Catalog& catalog, const units::Registry& registry);

}  // namespace pdh::catalog
