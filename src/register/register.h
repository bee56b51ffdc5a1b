// The versioned register the domain modules keep (the catalog, the Resolution 57 register and
// those to come): records stored whole as JSON snapshots, one per version, with each version's
// changes against the one before; reads as of a date; the rules' problems, each naming its
// field; and the sheet import and export that read the headers and values departments write in
// Vietnamese. A module describes its record (JSON, columns, spellings, rules); the mechanics
// here are the same for every one of them.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <istream>
#include <map>
#include <optional>
#include <ostream>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/cells.h"
#include "core/clock.h"
#include "core/date.h"
#include "core/error.h"
#include "core/json_util.h"
#include "core/sheet.h"
#include "core/xlsx.h"

// "register" is a keyword, hence the short name.
namespace pdh::reg {

// --- Names and problems ---------------------------------------------------------------------

// A rule broken by one edit, with the field it is about (the import's column).
struct Problem {
  Error error;
  std::string field;
};

// An invalid-input problem whose message starts with the field: "owner: no unit ...".
Problem MakeProblem(std::string code, std::string field, std::string message);

// A module's error codes ("<module>.<name>") and the errors every register raises.
class Codes {
 public:
  // `module` prefixes the codes; `stored` prefixes what corruption messages name ("catalog "
  // makes "a stored catalog entry 'X' cannot be read").
  constexpr explicit Codes(std::string_view module, std::string_view stored = {})
      : module_(module), stored_(stored) {}

  std::string Code(std::string_view name) const;  // Code("not_found") -> "catalog.not_found"
  Problem Missing(const std::string& field, const std::string& why) const;  // "required " + why
  Problem Invalid(const std::string& field, const std::string& why) const;
  Error BadFile(const std::string& why) const;                          // <module>.bad_file (400)
  Error TooManyRows(size_t max, std::string_view what = "file") const;  // a bad_file
  Error Corrupt(const std::string& what) const;                         // <module>.corrupt (500)
  Error WriteFailed(const std::string& message) const;  // <module>.write_failed (500)

 private:
  std::string_view module_;
  std::string_view stored_;
};

// An enum's names as JSON, the API and sheets write them, by value (the values numbered from 0).
template <class E, size_t N>
struct EnumNames {
  std::array<std::string_view, N> names;

  constexpr std::string_view Name(E e) const { return names[static_cast<size_t>(e)]; }
  // The value named `s` exactly; nullopt for any other text.
  std::optional<E> Parse(std::string_view s) const { return json_util::ParseName<E>(names, s); }
};

// `Names`' Parse as a plain function, for readers that take one.
template <const auto& Names>
auto ParseWith(std::string_view s) {
  return Names.Parse(s);
}

// --- Text -----------------------------------------------------------------------------------

// A record code: 1 to 64 letters, digits, '.', '-' or '_'.
bool ValidCode(std::string_view code);
// NFC with spaces collapsed.
std::string CollapseText(const std::string& s);
// Each item collapsed; empty and repeated items, and any equal to `drop`, left out.
std::vector<std::string> CleanList(const std::vector<std::string>& items,
                                   std::string_view drop = {});
// Words of a free-text query, folded: "Cơ sở  dữ liệu" -> {"co", "so", "du", "lieu"}.
std::vector<std::string> Words(const std::string& q);
// Today by `clock` (UTC).
Date Today(const Clock& clock);

// --- Snapshots and versions -----------------------------------------------------------------

// A field that differs between two versions; values as JSON (null when unset).
struct FieldChange {
  std::string field;
  boost::json::value before;
  boost::json::value after;
  bool operator==(const FieldChange&) const = default;
};

// A value counts as set when it says something: not null, "", [], false, nor an object of
// unset values.
bool IsSet(const boost::json::value& v);
// Field-by-field differences between two snapshots; with no `before`, every field of `after`
// that is set. In `after`'s field order.
std::vector<FieldChange> Diff(const boost::json::object* before, const boost::json::object& after);
// [{field, before, after}, ...], as versions store and the API shows them.
boost::json::array ChangesJson(const std::vector<FieldChange>& changes);

// What a new version stores beside the module's columns.
struct NewVersion {
  int64_t number = 1;    // the version before + 1; 1 for a new record
  std::string snapshot;  // `after` as JSON text
  std::string changes;   // ChangesJson against `before`, as JSON text
};
// `before` is the current snapshot (null for a new record) at version `current`.
NewVersion MakeVersion(const boost::json::object* before, const boost::json::object& after,
                       int64_t current);

// What every stored version carries, read back.
template <class T>
struct StoredVersion {
  T record;
  Date effective;
  std::vector<FieldChange> changes;
};

template <class T>
using FromJson = Result<T> (*)(const boost::json::value&);

// The effective date and changes of version `number` of `code`. Errors: <module>.corrupt when
// the snapshot was unreadable (`snapshot_ok` false), or the date or changes are.
Result<std::pair<Date, std::vector<FieldChange>>> ReadVersionParts(
    const Codes& codes, const std::string& code, int64_t number, bool snapshot_ok,
    const std::string& effective_date, const std::string& changes);

// A stored version row read back: `Row` has code, number, effective_date, snapshot (read by
// `from_json`) and changes. Errors: <module>.corrupt.
template <class T, class Row>
Result<StoredVersion<T>> ReadVersion(const Codes& codes, const Row& row, FromJson<T> from_json) {
  auto record = from_json(json_util::Parse(row.snapshot));
  auto parts = ReadVersionParts(codes, row.code, row.number, static_cast<bool>(record),
                                row.effective_date, row.changes);
  if (!parts) return Fail(parts.error());
  return StoredVersion<T>{std::move(*record), parts->first, std::move(parts->second)};
}

// The start of a version in a record's history as the API shows it: version, effective,
// recorded_at, actor, reason (the module adds its own fields, then "changes").
template <class V>
boost::json::object VersionJson(const V& v) {
  return {{"version", v.number},
          {"effective", v.effective.ToString()},
          {"recorded_at", v.recorded_at},
          {"actor", v.actor},
          {"reason", v.reason}};
}

// The version in force on `as_of` among a record's versions, oldest first: the latest one
// effective on or before it; the first when the record took effect later. Null when empty.
template <class Row>
const Row* InForce(const std::vector<Row>& versions, Date as_of) {
  if (versions.empty()) return nullptr;
  const Row* in_force = &versions.front();
  const std::string date = as_of.ToString();
  for (const auto& row : versions) {
    if (row.effective_date <= date) in_force = &row;
  }
  return in_force;
}

// Every row read back by `read` (a Result each); the first error stops.
template <class Row, class Read>
auto ReadRows(const std::vector<Row>& rows, Read read)
    -> Result<std::vector<typename std::invoke_result_t<Read, const Row&>::value_type>> {
  std::vector<typename std::invoke_result_t<Read, const Row&>::value_type> out;
  out.reserve(rows.size());
  for (const auto& row : rows) {
    auto r = read(row);
    if (!r) return Fail(r.error());
    out.push_back(std::move(*r));
  }
  return out;
}

// A record's code: required, and a valid code (see ValidCode). `record` names the kind of record
// ("entry"), `example` a good code. Errors: <module>.missing_field, <module>.invalid_field.
std::optional<Problem> CheckCode(const Codes& codes, const std::string& code,
                                 std::string_view record, std::string_view example);

// What every register refuses of a record's next version, in its own words: a record's kind
// and code never change (the messages say so), and a version takes effect no earlier than the
// one in force (the problem names `effective_field`, the import's column).
struct StepRules {
  std::string_view kind_message;
  std::string_view code_message;
  std::string_view effective_field;
};

// The first of those rules `next` breaks against `prev`, in force since `current`, when it takes
// effect on `effective`. Errors: <module>.invalid_transition (kind, code), <module>.invalid_date.
template <class T>
std::optional<Problem> CheckStep(const Codes& codes, const StepRules& rules, const T& prev,
                                 Date current, const T& next, Date effective) {
  if (prev.kind != next.kind) {
    return MakeProblem(codes.Code("invalid_transition"), "kind", std::string(rules.kind_message));
  }
  if (prev.code != next.code) {
    return MakeProblem(codes.Code("invalid_transition"), "code", std::string(rules.code_message));
  }
  if (effective < current) {
    return MakeProblem(codes.Code("invalid_date"), std::string(rules.effective_field),
                       "must not be before the current version's (" + current.ToString() + ")");
  }
  return std::nullopt;
}

// --- Records as JSON ------------------------------------------------------------------------

namespace detail {
template <class M>
struct MemberOf;
template <class C, class F>
struct MemberOf<F C::*> {
  using Class = C;
  using Type = F;
};
template <auto Field>
using Owner = typename MemberOf<decltype(Field)>::Class;
template <auto Field>
using MemberType = typename MemberOf<decltype(Field)>::Type;
}  // namespace detail

// How one JSON field is read into a record, by key: by a function of its own (`read`), or by
// `read_as`, which reads a field of a usual kind with the module's FieldReader under the key;
// and how it is written (`write`, absent for a field only read).
template <class T>
struct FieldRead {
  std::string_view key;
  Status (*read)(T&, const boost::json::value&) = nullptr;
  boost::json::value (*write)(const T&) = nullptr;
  Status (*read_as)(T&, const boost::json::value&, const json_util::FieldReader& fields,
                    const std::string& key) = nullptr;
};
template <class T>
using FieldReaders = std::vector<FieldRead<T>>;

namespace detail {
// A field that assigns `read(fields, value, key)` to the record's `Field` and writes it as
// `write(value)`.
template <auto Field, auto Read, auto Write>
FieldRead<Owner<Field>> MemberField(std::string_view key) {
  return {key, nullptr, [](const Owner<Field>& r) -> boost::json::value { return Write(r.*Field); },
          [](Owner<Field>& r, const boost::json::value& v, const json_util::FieldReader& fields,
             const std::string& k) {
            return json_util::Assign(r.*Field, std::invoke(Read, fields, v, k));
          }};
}
template <const auto& Names>
auto ReadEnum(const json_util::FieldReader& fields, const boost::json::value& v,
              const std::string& key) {
  return fields.Enum(v, key, ParseWith<Names>);
}
template <const auto& Names, class E>
boost::json::value WriteEnum(const E& e) {
  return boost::json::value(Names.Name(e));
}
inline boost::json::value WriteString(const std::string& s) {
  return boost::json::value(s);
}
inline boost::json::value WriteStrings(const std::vector<std::string>& items) {
  return json_util::Strings(items);
}
}  // namespace detail

// Fields of the usual kinds, each naming the field in its read errors: a text (null reads as
// ""), a list of texts, an optional ISO date (null when unset), an enum by one of its `Names`.
template <auto Field>
FieldRead<detail::Owner<Field>> StringField(std::string_view key) {
  return detail::MemberField<Field, &json_util::FieldReader::String, detail::WriteString>(key);
}
template <auto Field>
FieldRead<detail::Owner<Field>> StringsField(std::string_view key) {
  return detail::MemberField<Field, &json_util::FieldReader::Strings, detail::WriteStrings>(key);
}
template <auto Field>
FieldRead<detail::Owner<Field>> DateField(std::string_view key) {
  return detail::MemberField<Field, &json_util::FieldReader::OptionalDate, json_util::OptDate>(key);
}
// An optional number, or whole number (null when unset).
template <auto Field>
FieldRead<detail::Owner<Field>> NumberField(std::string_view key) {
  return detail::MemberField<Field, &json_util::FieldReader::OptionalNumber, json_util::OptNumber>(
      key);
}
template <auto Field>
FieldRead<detail::Owner<Field>> IntegerField(std::string_view key) {
  return detail::MemberField<Field, &json_util::FieldReader::OptionalInteger,
                             json_util::OptInteger>(key);
}
template <auto Field, const auto& Names>
FieldRead<detail::Owner<Field>> EnumField(std::string_view key) {
  return detail::MemberField<Field, detail::ReadEnum<Names>,
                             detail::WriteEnum<Names, detail::MemberType<Field>>>(key);
}
// `field` written by `write` instead.
template <class T>
FieldRead<T> WrittenAs(FieldRead<T> field,
                       std::type_identity_t<boost::json::value (*)(const T&)> write) {
  field.write = write;
  return field;
}

// Reads the fields of `o` into `out`, refusing unknown keys (`fields`' invalid_field).
template <class T>
Status ReadFields(const boost::json::object& o, const FieldReaders<T>& readers,
                  const json_util::FieldReader& fields, T& out) {
  for (const auto& [key, value] : o) {
    const std::string_view k = key;
    auto it = readers.begin();
    while (it != readers.end() && it->key != k) ++it;
    if (it == readers.end()) return Fail(fields.Invalid(std::string(key), "unknown field"));
    auto s = it->read ? it->read(out, value) : it->read_as(out, value, fields, std::string(k));
    if (!s) return Fail(s.error());
  }
  return Ok();
}

// The record as a JSON object: every field under its key, in the order of `fields`, each of
// which must have a writer.
template <class T>
boost::json::object WriteFields(const FieldReaders<T>& fields, const T& record) {
  boost::json::object o;
  for (const auto& f : fields) {
    if (!f.write) throw std::logic_error("no writer for field '" + std::string(f.key) + "'");
    o[f.key] = f.write(record);
  }
  return o;
}

// --- Sheets: import and export --------------------------------------------------------------

// One problem with one row of an import; row 1 is the header.
struct RowError {
  size_t row = 0;
  std::string column;  // "" when it is about the whole row
  std::string code;    // <module>.missing_field, <module>.invalid_field, ...
  std::string message;
};

struct ImportOptions {
  std::string actor;
  bool dry_run = false;
  std::optional<Date> effective;  // for rows without effective_date; default: today
  // Scoping for officers: rows touching a unit (the record's responsible unit, before and after
  // the row) for which this returns false are rejected (<module>.forbidden). Unset: every unit.
  std::function<bool(const std::string& unit)> may_edit;
  // What the file may make the import read or hold (the server's upload limits over HTTP).
  SheetLimits limits;
};

// Import policy: every row is checked; if any row has an error nothing is written and the
// report lists every error. A dry run checks and counts the same way and never writes.
struct ImportReport {
  size_t rows = 0;  // data rows read
  size_t created = 0;
  size_t updated = 0;
  size_t unchanged = 0;
  size_t rejected = 0;  // rows with at least one error
  bool dry_run = false;
  bool written = false;
  std::vector<RowError> errors;
};

boost::json::object ToJson(const ImportReport& r);

// The import-only column every register reads: when a row's edit took effect.
inline constexpr std::string_view kEffectiveColumn = "effective_date";
// The import-only column giving the reason of a change.
inline constexpr std::string_view kReasonColumn = "reason";

// One column: how a record's field is written into a cell and read back from one.
template <class T>
struct Column {
  std::string_view name;
  std::string (*format)(const T&);
  cells::CellError (*parse)(T&, const std::string&);
  bool date = false;        // holds dates: XLSX serial numbers are read as days
  bool number = false;      // written to XLSX as numbers
  bool last = false;        // read after the other columns of a row
  bool keep_blank = false;  // a blank cell leaves the field as it is
};

// A text field as it is.
template <auto Field>
Column<detail::Owner<Field>> TextColumn(std::string_view name) {
  using T = detail::Owner<Field>;
  return {name, [](const T& r) -> std::string { return r.*Field; },
          [](T& r, const std::string& cell) -> cells::CellError {
            r.*Field = cell;
            return std::nullopt;
          }};
}

// A list of texts joined with "; ".
template <auto Field>
Column<detail::Owner<Field>> ListColumn(std::string_view name) {
  using T = detail::Owner<Field>;
  return {name, [](const T& r) { return cells::Join(r.*Field); },
          [](T& r, const std::string& cell) -> cells::CellError {
            r.*Field = cells::Split(cell);
            return std::nullopt;
          }};
}

// An optional date, ISO in exports; ISO or dd/mm/yyyy in imports.
template <auto Field>
Column<detail::Owner<Field>> DateColumn(std::string_view name) {
  using T = detail::Owner<Field>;
  return {name, [](const T& r) { return cells::FormatDate(r.*Field); },
          [](T& r, const std::string& cell) { return cells::ParseDate(cell, r.*Field); }, true};
}

// How an enum's values are spelled in Vietnamese sheets, by value as in EnumNames (numbered
// from 0): up to 8 spellings a value, the rest left "".
template <class E, size_t N>
struct EnumSpellings {
  using Value = E;
  std::array<std::array<std::string_view, 8>, N> values;
};

// `Spelled`'s spellings by their FoldAlnum keys (see cells::ParseEnum), built once.
template <const auto& Spelled>
const auto& SpellingsOf() {
  using E = typename std::remove_cvref_t<decltype(Spelled)>::Value;
  static const cells::Spellings<E> folded = [] {
    cells::Spellings<E> out;
    for (size_t i = 0; i < Spelled.values.size(); ++i) {
      for (std::string_view s : Spelled.values[i]) {
        if (!s.empty()) out.emplace(text::FoldAlnum(s), static_cast<E>(i));
      }
    }
    return out;
  }();
  return folded;
}

// An enum: its name in exports; in imports the name in any case, with spaces or underscores,
// or one of its `Spelled` spellings.
template <auto Field, const auto& Names, const auto& Spelled>
Column<detail::Owner<Field>> EnumColumn(std::string_view name) {
  using T = detail::Owner<Field>;
  return {name, [](const T& r) { return std::string(Names.Name(r.*Field)); },
          [](T& r, const std::string& cell) {
            return cells::ParseEnum(cell, r.*Field, ParseWith<Names>, SpellingsOf<Spelled>());
          }};
}

// A header as departments write it, for a column ("" for a column the import skips: the row
// number, notes).
struct HeaderSpelling {
  std::string_view text;
  std::string_view column;
};

// Where each known column sits in a header row.
struct Header {
  // (cell index, column index) of the record's columns, in the file's order but columns read
  // last at the end.
  std::vector<std::pair<size_t, size_t>> fields;
  std::map<std::string_view, size_t> at;  // every column named, import-only ones too
  std::optional<size_t> Find(std::string_view column) const;
};

// What the import's header reading knows of a layout: the columns' names, the import-only
// columns and the spellings. Header cells are compared without diacritics, case, spaces or
// punctuation.
class Headers {
 public:
  struct ColumnInfo {
    std::string_view name;
    bool date = false;
    bool last = false;
  };
  // `import_columns` come after effective_date (reason, approval, ...); `missing_code` is the
  // message when no header cell names the code column.
  Headers(Codes codes, std::vector<ColumnInfo> columns,
          std::vector<std::string_view> import_columns, std::span<const HeaderSpelling> spellings,
          std::string missing_code);

  // The column a header cell names: a record column or an import-only one, by its name or a
  // spelling; "" for a column the import skips; nullopt when it names nothing known.
  std::optional<std::string_view> ColumnNamed(std::string_view header) const;
  bool IsDateColumn(std::string_view column) const;
  // Whether a header cell names a column holding dates.
  bool NamesDateColumn(const std::string& header_cell) const;
  // Whether a row names the code column (is a header row).
  bool NamesCode(const std::vector<std::string>& cells) const;
  // The index of a record column; nullopt for import-only and unknown ones.
  std::optional<size_t> IndexOf(std::string_view column) const;
  // Reads a header row (numbered `row`): unknown and duplicate columns (<module>.unknown_column,
  // <module>.duplicate_column) and a missing code column (<module>.missing_column) go to
  // `errors`.
  Header Read(const std::vector<std::string>& cells, size_t row,
              std::vector<RowError>& errors) const;
  const Codes& codes() const { return codes_; }

 private:
  Codes codes_;
  std::vector<ColumnInfo> columns_;
  std::vector<std::string_view> import_columns_;
  std::map<std::string, std::string_view> keys_;  // folded header -> column
  std::string missing_code_;
};

// The columns of a register's sheets: the record's, in export order, then the import-only ones.
template <class T>
class Layout {
 public:
  Layout(Codes codes, std::vector<Column<T>> columns, std::vector<std::string_view> import_columns,
         std::span<const HeaderSpelling> spellings, std::string missing_code)
      : columns_(std::move(columns)),
        headers_(codes, Infos(columns_), std::move(import_columns), spellings,
                 std::move(missing_code)) {}

  const std::vector<Column<T>>& columns() const { return columns_; }
  const Headers& headers() const { return headers_; }
  const Codes& codes() const { return headers_.codes(); }
  const Column<T>* Find(std::string_view name) const {
    auto i = headers_.IndexOf(name);
    return i ? &columns_[*i] : nullptr;
  }

  // The export's header row.
  std::vector<std::string> Names() const {
    std::vector<std::string> out;
    for (const auto& c : columns_) out.emplace_back(c.name);
    return out;
  }
  // One record's export row.
  std::vector<std::string> Format(const T& record) const {
    std::vector<std::string> out;
    for (const auto& c : columns_) out.push_back(c.format(record));
    return out;
  }
  std::vector<XlsxColumn> XlsxColumns() const {
    std::vector<XlsxColumn> out;
    for (const auto& c : columns_)
      out.push_back(c.number ? XlsxColumn::kNumber : XlsxColumn::kText);
    return out;
  }

  // Applies a row's cells over `record` and reads its effective date; false (with the errors,
  // <module>.invalid_field naming the column) when a cell cannot be read.
  bool ReadCells(const Header& h, size_t row, const std::vector<std::string>& cells, T& record,
                 std::optional<Date>& effective, std::vector<RowError>& errors) const {
    const size_t before = errors.size();
    const std::string invalid = codes().Code("invalid_field");
    for (const auto& [i, index] : h.fields) {
      const Column<T>& column = columns_[index];
      const std::string cell = cells::At(cells, i);
      if (column.keep_blank && cell.empty()) continue;
      if (auto bad = column.parse(record, cell)) {
        errors.push_back({row, std::string(column.name), invalid, *bad});
      }
    }
    if (auto cell = cells::At(cells, h.Find(kEffectiveColumn)); !cell.empty()) {
      if (auto bad = cells::ParseDate(cell, effective)) {
        errors.push_back({row, std::string(kEffectiveColumn), invalid, *bad});
      }
    }
    return errors.size() == before;
  }

 private:
  static std::vector<Headers::ColumnInfo> Infos(const std::vector<Column<T>>& columns) {
    std::vector<Headers::ColumnInfo> out;
    out.reserve(columns.size());
    for (const auto& c : columns) out.push_back({c.name, c.date, c.last});
    return out;
  }

  std::vector<Column<T>> columns_;
  Headers headers_;
};

// The report of an import whose file has no header row: <module>.missing_column on `row`,
// `where` naming the place looked in (" of sheet 'Sheet1'", or "").
ImportReport NoHeader(const Codes& codes, size_t row, size_t searched, const std::string& where,
                      bool dry_run);

// The row under a Vietnamese header that numbers its columns: "(1)", "(2)", ... or 1, 2, ...
bool IsColumnNumbering(const std::vector<std::string>& cells);

// The index of the header row: the first of the first `search_rows` rows with a value that
// names the code column.
std::optional<size_t> FindHeader(const Sheet& sheet, const Headers& headers, size_t search_rows);

// A CSV file's rows, at most `max_rows`, within `limits`. Errors: <module>.bad_file (too many
// rows: more than `max_import_rows` data rows), and core/sheet.h's past the limits.
Result<Sheet> ReadCsv(const Codes& codes, std::istream& in, size_t max_rows, size_t max_import_rows,
                      const SheetLimits& limits);
// A workbook (an .xlsx file's bytes) opened on `sheet` (the first when empty), merged cells
// filled, inflating within `limits`. Errors: <module>.bad_file, and core/sheet.h's past the
// limits.
Result<XlsxReader> OpenWorkbook(const Codes& codes, std::string bytes, const std::string& sheet,
                                const SheetLimits& limits);
// The rows as CSV. Errors: <module>.write_failed with `failure` as the message.
Status WriteCsv(const Codes& codes, std::ostream& out, const Sheet& sheet,
                const std::string& failure);
// The rows as a one-sheet workbook. Errors: <module>.write_failed.
Status WriteXlsx(const Codes& codes, std::ostream& out, std::string_view sheet_name,
                 const Sheet& sheet, std::vector<XlsxColumn> columns);

// --- Demo -----------------------------------------------------------------------------------

// What a demo generator wrote: counts by name, in the order the generator named them
// ({"platforms", "databases", ...}). Naming a count it was not made with is a programmer error.
class Tally {
 public:
  explicit Tally(std::initializer_list<std::string_view> names) {
    counts_.reserve(names.size());
    for (auto name : names) counts_.emplace_back(name, 0);
  }

  size_t& operator[](std::string_view name) { return counts_[IndexOf(name)].second; }
  size_t operator[](std::string_view name) const { return counts_[IndexOf(name)].second; }
  // {"platforms": 35, ...} in the order of the names.
  boost::json::object ToJson() const {
    boost::json::object out;
    for (const auto& [name, n] : counts_) out[name] = n;
    return out;
  }

 private:
  size_t IndexOf(std::string_view name) const {
    for (size_t i = 0; i < counts_.size(); ++i) {
      if (counts_[i].first == name) return i;
    }
    throw std::logic_error("no count named '" + std::string(name) + "'");
  }

  std::vector<std::pair<std::string, size_t>> counts_;
};

}  // namespace pdh::reg
