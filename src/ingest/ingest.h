// Datasets and ingestion (M3): dataset schemas (Frictionless Table Schema with pdh extensions)
// kept as typed tables, and batches that take CSV, XLSX, JSON and NDJSON in — Vietnamese text
// made uniform (NFC, legacy encodings, decimal commas, dd/mm/yyyy), units resolved through the
// registry and the 2025 crosswalk, every rejected row reported — all or nothing, once.
//
// Schema keys beyond Frictionless (all optional, on a field):
//   "pdh:unit": {"partial": "review" | "largest"}  the value names a unit: its code, an old
//       commune code (the crosswalk gives the new commune; an old commune split between several
//       goes to review — the row is rejected with unit.ambiguous — or to the successor with the
//       largest share), or its name; stored as the current unit's code.
//   "pdh:period": true       the record's date (its period for the indicators).
//   "pdh:personal": true     personal data (sharing and open data leave it out).
//   "pdh:format": "citizen_id"  a 12-digit citizen ID number, checked for form.
//   "pdh:codes": [{"code", "label", "label_en", "aliases": [..]}]  a code list: the code, its
//       labels or aliases are accepted without regard to case or diacritics; the code is stored.
//   "pdh:aliases": [..]      more column headings that name the field.
//   "title_en": ".."         the English title (the title is Vietnamese).
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "core/error.h"
#include "core/sheet.h"
#include "store/datasets.h"
#include "units/units.h"

namespace pdh::ingest {

enum class FieldType { kString, kInteger, kNumber, kBoolean, kDate, kDatetime, kYear, kYearMonth };
std::string_view TypeName(FieldType t);  // the Frictionless name: "string", "integer", ...

enum class PartialRule { kReview, kLargest };

struct Code {
  std::string code;
  std::string label;
  std::string label_en;
  std::vector<std::string> aliases;
};

struct Field {
  std::string name;  // [a-z][a-z0-9_]*, at most 60 characters
  std::string title;
  std::string title_en;
  std::string description;
  FieldType type = FieldType::kString;
  // Frictionless constraints.
  bool required = false;
  bool unique = false;
  std::optional<double> minimum;
  std::optional<double> maximum;
  std::optional<int64_t> min_length;
  std::optional<int64_t> max_length;
  std::string pattern;  // ECMAScript, matched against the whole value
  std::vector<std::string> enum_values;
  std::vector<std::string> true_values;  // booleans: besides the usual spellings
  std::vector<std::string> false_values;
  // pdh extensions.
  std::vector<Code> codes;
  std::optional<PartialRule> unit;
  bool period = false;
  bool personal = false;
  std::string format;  // "citizen_id" or ""
  std::vector<std::string> aliases;
};

struct ForeignKey {
  std::vector<std::string> fields;
  std::string resource;  // another dataset's code
  std::vector<std::string> reference_fields;
};

struct Schema {
  std::vector<Field> fields;
  std::vector<std::string> primary_key;
  std::vector<ForeignKey> foreign_keys;
  std::vector<std::string> missing_values{""};

  const Field* Find(std::string_view name) const;
  // The Frictionless descriptor with the pdh keys.
  boost::json::object ToJson() const;
};

// Reads a Table Schema descriptor. Errors: schema.invalid, naming the field and the key
// ("fields[3].constraints.minimum: must be a number").
Result<Schema> ParseSchema(const boost::json::value& descriptor);

// A built-in dataset template.
struct Template {
  std::string name;  // also the dataset code it suggests
  std::string title;
  std::string title_en;
  std::string description;
  Schema schema;
};
// The administrative-procedure dossiers ("dossiers") and 1022 citizen feedback
// ("feedback_1022") templates.
const std::vector<Template>& Templates();
const Template* FindTemplate(std::string_view name);

struct Dataset {
  store::DatasetRow row;
  Schema schema;
  store::DatasetTable table;
};

struct NewDataset {
  std::string code;  // [a-z][a-z0-9_]*
  std::string title;
  std::string title_en;
  std::string description;
  std::string owner_unit;  // a unit code, or ""
  std::string template_name;
  std::optional<Schema> schema;  // required unless template_name names a template
};

// Errors: dataset.invalid (bad code, title, unknown owner or template), schema.invalid,
// dataset.exists.
Result<Dataset> CreateDataset(store::DatasetStore& store, const units::Registry& registry,
                              const NewDataset& d, const std::string& by, const std::string& at);
// Errors: dataset.not_found.
Result<Dataset> LoadDataset(store::DatasetStore& store, const std::string& code);
Result<std::vector<Dataset>> ListDatasets(store::DatasetStore& store);
// How many records the dataset holds.
Result<int64_t> RowCount(store::DatasetStore& store, const std::string& code);
// The dataset's schema versions, oldest first.
Result<std::vector<store::DatasetVersionRow>> SchemaVersions(store::DatasetStore& store,
                                                             const std::string& code);
// Stores `next` as the dataset's new schema version. A change that would lose data is refused
// with dataset.lossy_change: a field removed while it holds values, a type narrowed (number to
// integer, anything to boolean, text to a number or date), the primary key changed.
Result<Dataset> ChangeSchema(store::DatasetStore& store, const std::string& code,
                             const Schema& next, const std::string& note, const std::string& by,
                             const std::string& at);

enum class Format { kCsv, kXlsx, kJson, kNdjson };
std::string_view FormatName(Format f);
std::optional<Format> ParseFormat(std::string_view name);
// From a file name's extension or a Content-Type; nullopt when neither says.
std::optional<Format> GuessFormat(std::string_view file_name_or_content_type);

struct Report;

// Bounds on what one file may make pdh read or hold: core/sheet.h's, the same for every upload.
// A file past one is refused whole: 413 file.too_large (decompressed size, ratio, cells), 422
// file.too_many_columns, each message naming the limit and the option of `pdh ingest` and
// `pdh serve` that changes it.
using Limits = SheetLimits;

struct Options {
  Format format = Format::kCsv;
  std::string sheet;              // XLSX: the sheet to read ("" for the first)
  std::string encoding = "auto";  // CSV: "auto" or a name core/encoding.h knows
  bool dry_run = false;
  bool accept_valid = false;  // false: any rejected row rejects the whole batch
  std::string client_id;      // the sender's batch id, for idempotent re-sends
  // Numbers as a Data Package writes them (a decimal dot, no grouping), as pdh exports them;
  // otherwise each number column's style is decided from its values (see IngestFile).
  bool plain_numbers = false;
  // The same bytes as a committed batch are reported as its duplicate (whatever the batch id)
  // unless this is set: then they are read and written again (a corrected code list, ...).
  bool reingest = false;
  std::string file_name;  // as sent; stored as SafeFileName gives it
  Limits limits;
  std::string by;  // who sends it (account name)
  std::string at;  // when (ISO-8601 UTC with seconds)
  // Whether the sender may write data of `unit`; rows of other units are rejected
  // (unit.out_of_scope). Unset: every unit.
  std::function<bool(const units::Unit& unit)> may_write;
  // Called now and then with the bytes and rows read so far (for progress bars).
  std::function<void(uint64_t bytes, uint64_t rows)> progress;
  // Called with the batch's final report inside the batch's transaction, before it commits, so
  // what commits with the batch (its audit entry, see audit::Scope) can name it.
  std::function<void(const Report& report)> on_report;
};

// A sent file name as it may be stored and shown: its last path component, control characters
// dropped, NFC, at most 255 bytes (invalid UTF-8 bytes dropped too).
std::string SafeFileName(std::string_view sent);

struct RowError {
  int64_t row = 0;
  std::string column;
  std::string value;
  std::string code;
  std::string message;
};

struct Report {
  int64_t id = 0;  // 0 for a duplicate (nothing stored)
  std::string dataset;
  std::string status;  // "committed" | "dry_run" | "rejected" | "duplicate"
  int64_t duplicate_of = 0;
  std::string mode;  // "all" | "valid"
  std::string file_name;
  std::string format;
  std::string sha256;
  std::string encoding;  // detected or given
  int64_t converted_cells = 0;
  int64_t read = 0;
  int64_t imported = 0;
  int64_t updated = 0;
  int64_t unchanged = 0;
  int64_t rejected = 0;  // rows with at least one error
  // The rejected rows by the unit their unit field (the schema's first) resolved to, the
  // current unit's code (a row out of the sender's scope counts under the unit it names); ""
  // for rows whose unit is missing or names no unit, and ragged rows.
  std::map<std::string, int64_t> rejected_by_unit;
  int64_t resolved_old_codes = 0;
  int64_t resolved_by_name = 0;
  std::vector<std::string> warnings;
  std::vector<RowError> errors;  // the first kReportErrors
  int64_t errors_total = 0;
  std::string created_at;
  std::string created_by;
  int64_t duration_ms = 0;

  boost::json::object ToJson() const;
  static Report FromJson(const boost::json::value& v);
};
inline constexpr size_t kReportErrors = 1000;

// Ingests one file. Whole-file problems are errors (file.encoding, file.not_text,
// file.malformed, file.missing_column, file.empty, file.no_rows (a CSV or XLSX header without
// rows), file.open_failed, file.too_large, file.too_many_columns); row problems are in the
// report. A client id, or the same bytes (unless options.reingest), already committed to the
// dataset give a "duplicate" report and change nothing.
//
// Numbers written as text ("30.000", "1.500.000", "8.536,44", "21.35") are read in the style
// their column writes: integer fields and fields in đồng (titled "(đồng)", "(VND)") group by
// three whatever the mark, so "30.000" is thirty thousand; other number fields take the style
// all of the column's values show ("1.500.000" or "2,5": Vietnamese; "21.35": English), else
// the style of the file's number columns together. A value the two styles read differently
// that nothing decides ("30.000" alone) is read with a decimal mark and named, with its row
// and column, in the report's warnings. Numbers the format types (XLSX number cells, JSON
// numbers) are their value. Deciding from every value reads such a file twice.
Result<Report> IngestFile(store::DatasetStore& store, const units::Registry& registry,
                          const Dataset& dataset, const std::string& path, const Options& options);
// The same for bytes received (an HTTP upload or an API batch).
Result<Report> IngestBytes(store::DatasetStore& store, const units::Registry& registry,
                           const Dataset& dataset, std::string bytes, const Options& options);

// A stored batch's report. Errors: batch.not_found.
Result<Report> LoadReport(store::DatasetStore& store, int64_t batch_id);
// A stored batch and its report (with its id, without the rejected rows). The batch's status is
// the stored one: "rejected" for a batch found to repeat one committed while it was read, whose
// report says "duplicate".
struct BatchEntry {
  store::BatchRow batch;
  Report report;
};
// The batches of dataset `code` with id < before_id (0: from the newest), newest first, at most
// `limit`.
Result<std::vector<BatchEntry>> ListBatches(store::DatasetStore& store, const std::string& code,
                                            int64_t before_id, int64_t limit);
// Every rejected row of a batch as CSV (row, column, value, code, message), UTF-8 with BOM.
Status WriteRejectedCsv(store::DatasetStore& store, int64_t batch_id, std::ostream& out);

// A record as JSON, by field name (dates as ISO text, booleans as true/false).
boost::json::object RecordJson(const Dataset& d, const std::vector<store::Cell>& cells);

struct RecordFilter {
  std::vector<std::pair<std::string, std::string>> equals;  // field, value
  // Field, from (inclusive), before (exclusive), compared as text: "2025-10-01" to "2025-11-01"
  // is October 2025 of a date or date-time field.
  std::vector<std::tuple<std::string, std::string, std::string>> ranges;
  int64_t after_batch = 0;  // only records last written by a batch after this one (0: all)
  std::string unit;         // records whose unit field holds this unit or one below it
  std::string text;         // diacritic-insensitive, in any text field
  std::string sort;         // a field name ("" for arrival order)
  bool descending = false;
  int64_t offset = 0;
  int64_t limit = 50;
  // Only records of units the reader may see (unset: all).
  std::function<bool(const units::Unit& unit)> may_read;
};
struct RecordList {
  std::vector<boost::json::object> items;
  int64_t total = 0;
};
// The previous values of the record whose key is `key` (key fields joined by '|'), oldest first.
Result<std::vector<store::HistoryRow>> RecordHistory(store::DatasetStore& store,
                                                     const std::string& code,
                                                     const std::string& key);
// Errors: dataset.invalid_filter (unknown field).
Result<RecordList> QueryRecords(store::DatasetStore& store, const units::Registry& registry,
                                const Dataset& d, const RecordFilter& f);

// Frictionless Data Package: the descriptor of `datasets` (a resource each, data in
// "<code>.csv"), and writing/reading a package directory.
boost::json::object PackageDescriptor(const std::vector<Dataset>& datasets);
// Every record of `d` in arrival order, its cells as text in the schema's field order (numbers
// as written, booleans "true"/"false", "" for none): what exports write.
Status ForEachRecordText(store::DatasetStore& store, const Dataset& d,
                         const std::function<Status(const std::vector<std::string>&)>& fn);

// The workbook a unit fills in for `d` (XLSX bytes): the sheet "Dữ liệu" with the fields'
// Vietnamese titles as its header and an example row, each column's description as an input
// message and, for code lists, yes/no and unit fields, a drop-down of the allowed values read
// from the hidden sheet "Danh mục"; the sheet "Hướng dẫn" explains each column. `units` are the
// unit codes (and names) a unit field offers, the first the example's. Errors: the writer's.
Result<std::string> ExcelTemplate(const Dataset& d,
                                  const std::vector<std::pair<std::string, std::string>>& units);
Status ExportPackage(store::DatasetStore& store, const std::vector<Dataset>& datasets,
                     const std::string& dir);
// Creates the datasets that do not exist yet and ingests each resource's CSV.
Result<std::vector<Report>> ImportPackage(store::DatasetStore& store,
                                          const units::Registry& registry, const std::string& dir,
                                          const Options& options);

// The demo province's records: about 24 months of dossiers and 1022 feedback by commune and
// department, in proportion to population, generated deterministically and ingested through
// IngestBytes like any upload.
struct DemoSummary {
  int64_t dossiers = 0;
  int64_t feedback = 0;
};
Result<DemoSummary> GenerateDemo(store::DatasetStore& store, const units::Registry& registry,
                                 const std::string& province_code, const std::string& at);

}  // namespace pdh::ingest
