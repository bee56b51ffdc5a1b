// Private to the ingest module: the table a schema becomes, the parsers of one cell, the
// readers of each input format, and the resolution of unit references.
#pragma once

#include <cstdint>
#include <functional>
#include <istream>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/number.h"
#include "ingest/ingest.h"

namespace pdh::ingest::internal {

// [a-z][a-z0-9_]*, 1 to `max` characters.
bool ValidName(std::string_view s, size_t max);

store::DatasetTable TableOf(const std::string& code, const Schema& schema);
store::ColumnType ColumnTypeOf(FieldType t);

// True when the field holds whole đồng: its title says "(đồng)", "(VND)" or "(VNĐ)" (not
// "(nghìn đồng)"). Đồng have no fraction, so "30.000" and "30,000" are thirty thousand.
bool InDong(const Field& field);

// Converts the text of one cell to the field's typed value; on failure fills `error`'s code and
// message (column and row are the caller's).
class CellParser {
 public:
  CellParser(const Field& field, const Schema& schema);
  // `xlsx`: the text came from a spreadsheet (plain numbers in date columns are serial dates).
  // `typed_number`: the cell held a number the format types (an XLSX number cell, a JSON
  // number), written with a decimal dot whatever the column's style.
  bool Parse(std::string_view raw, bool xlsx, bool typed_number, store::Cell& out,
             RowError& error) const;
  const Field& field() const { return *field_; }
  // How the column writes decimals, decided from all its values (number fields): the style an
  // ambiguous "30.000" is read in.
  void set_style(number::Style style) { style_ = style; }
  // True when the field's type and unit read `raw` one way (integers and đồng group by three).
  bool DecidedByField() const;

 private:
  bool ParseString(std::string value, store::Cell& out, RowError& error) const;
  bool Check(double v, RowError& error) const;

  const Field* field_;
  const std::vector<std::string>* missing_;
  bool in_dong_ = false;
  number::Style style_ = number::Style::kUnknown;
  std::shared_ptr<const std::regex> pattern_;
  std::unordered_map<std::string, std::string> codes_;  // folded spelling -> code
  std::vector<std::string> folded_true_;
  std::vector<std::string> folded_false_;
  // Spellings already looked up (code lists and yes/no have few): text -> stored value.
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  mutable std::unordered_map<std::string, store::Cell, Hash, std::equal_to<>> seen_;
};

// Resolves the text of a unit cell to a current unit: code, old code (crosswalk) or name.
// Results are cached by text, so a large batch looks each spelling up once.
class UnitResolver {
 public:
  UnitResolver(const units::Registry& registry, Date today);
  struct Resolved {
    const units::Unit* unit = nullptr;
    bool old_code = false;
    bool by_name = false;
    std::string error_code;  // unit.unknown | unit.ambiguous when unit is null
    std::string message;
  };
  const Resolved& Resolve(std::string_view text, PartialRule rule);

 private:
  Resolved Lookup(const std::string& text, PartialRule rule) const;
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  const units::Registry& registry_;
  Date today_;
  std::unordered_map<std::string, Resolved, Hash, std::equal_to<>> cache_[2];
};

// A source of rows of text cells with the row numbers to report.
class RowReader {
 public:
  virtual ~RowReader() = default;
  // False at the end, or on an error (then error() is set).
  virtual bool Next(std::vector<std::string>& cells) = 0;
  virtual int64_t row() const = 0;
  virtual const std::optional<Error>& error() const = 0;
  virtual uint64_t bytes() const = 0;
  virtual bool xlsx() const { return false; }
  // Whether cell `col` of the last row held a number the format types (an XLSX number cell, a
  // JSON number): its text has a decimal dot and no grouping, whatever the file's style.
  virtual bool typed_number(size_t col) const {
    (void)col;
    return false;
  }
  // Starts again from the first row (the batch reads a file twice when a column's number style
  // needs all its values). False when the source cannot (then error() says why).
  virtual bool Rewind() = 0;
};

// Readers over a stream (CSV, JSON array, NDJSON) or an XLSX archive (file or bytes). The JSON
// readers yield a first row of field names (the keys of the objects, in the schema's order),
// then one row per object.
std::unique_ptr<RowReader> CsvRows(std::istream& in, const Limits& limits);
std::unique_ptr<RowReader> JsonRows(std::istream& in, const Schema& schema, bool ndjson);
Result<std::unique_ptr<RowReader>> XlsxRows(const std::string* path, std::string* bytes,
                                            const std::string& sheet, const Limits& limits);

}  // namespace pdh::ingest::internal
