// The readers of each input format, as rows of text cells. Each keeps memory to one record (a
// CSV record, a JSON object, an XLSX row) whatever the file size.
#include <boost/json.hpp>
#include <cmath>
#include <cstdio>
#include <istream>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/csv.h"
#include "core/text.h"
#include "core/xlsx.h"
#include "ingest/internal.h"

namespace pdh::ingest::internal {
namespace {

namespace json = boost::json;

Error Malformed(const std::string& what) {
  return Error::Invalid("file.malformed", what);
}

// A CSV reader's or XLSX reader's error as the batch reports it: its limits named with the
// option that changes them, anything else file.malformed.
Error FileError(const Error& e, std::string_view format, const Limits& limits) {
  return TooLargeOrMalformed(e, format, limits);
}

class CsvRowReader final : public RowReader {
 public:
  CsvRowReader(std::istream& in, const Limits& limits)
      : in_(in), limits_(limits), reader_(std::in_place, in, CsvLimits(limits)) {}
  bool Next(std::vector<std::string>& cells) override {
    if (!reader_->Next(cells)) {
      if (reader_->error()) {
        error_ = FileError(*reader_->error(), "CSV", limits_);
      }
      return false;
    }
    return true;
  }
  bool Rewind() override {
    in_.clear();
    in_.seekg(0);
    if (!in_) {
      error_ = Malformed("CSV: the file cannot be read a second time");
      return false;
    }
    reader_.emplace(in_, CsvLimits(limits_));
    return true;
  }
  int64_t row() const override { return static_cast<int64_t>(reader_->line()); }
  const std::optional<Error>& error() const override { return error_; }
  uint64_t bytes() const override {
    const auto pos = in_.tellg();
    return pos < 0 ? 0 : static_cast<uint64_t>(pos);
  }

 private:
  static CsvOptions CsvLimits(const Limits& limits) {
    CsvOptions o;
    o.max_fields = limits.max_columns;
    o.max_field_bytes = kMaxField;
    return o;
  }
  // A cell no table needs, as long as a JSON record may be: an unclosed quote is found early.
  static constexpr size_t kMaxField = size_t{16} << 20;

  std::istream& in_;
  Limits limits_;
  std::optional<CsvReader> reader_;
  std::optional<Error> error_;
};

// JSON records: an array of objects read one element at a time, or one object per line.
class JsonRowReader final : public RowReader {
 public:
  JsonRowReader(std::istream& in, const Schema& schema, bool ndjson)
      : in_(in), schema_(schema), ndjson_(ndjson) {}

  bool Next(std::vector<std::string>& cells) override {
    if (!header_done_) {
      header_done_ = true;
      cells.clear();
      for (const auto& f : schema_.fields) cells.push_back(f.name);
      row_ = 0;
      return true;
    }
    std::string element;
    for (;;) {
      auto got = ndjson_ ? NextLine(element) : NextElement(element);
      if (!got) {
        error_ = got.error();
        return false;
      }
      if (!*got) return false;
      if (ndjson_ && text::CollapseSpaces(element).empty()) continue;
      break;
    }
    ++record_;
    row_ = ndjson_ ? line_ : record_;
    boost::system::error_code ec;
    json::value v = json::parse(element, ec);
    if (ec) {
      error_ = Malformed(Where() + ": not valid JSON (" + ec.message() + ")");
      return false;
    }
    if (!v.is_object()) {
      error_ = Malformed(Where() + ": each record is a JSON object of field: value");
      return false;
    }
    cells.assign(schema_.fields.size(), std::string());
    numbers_.assign(schema_.fields.size(), false);
    for (const auto& [key, value] : v.as_object()) {
      auto idx = Index(std::string(key));
      if (!idx) continue;
      std::string& out = cells[*idx];
      numbers_[*idx] = value.is_number();
      switch (value.kind()) {
        case json::kind::string:
          out = value.as_string();
          break;
        case json::kind::null:
          out.clear();
          break;
        case json::kind::bool_:
          out = value.as_bool() ? "true" : "false";
          break;
        case json::kind::int64:
        case json::kind::uint64:
          out = json::serialize(value);
          break;
        case json::kind::double_: {
          char buf[40];
          std::snprintf(buf, sizeof buf, "%.17g", value.as_double());
          out = buf;
          break;
        }
        default:
          error_ = Malformed(Where() + ": field '" + std::string(key) +
                             "' holds an object or a list; give a single value");
          return false;
      }
    }
    return true;
  }
  int64_t row() const override { return row_; }
  const std::optional<Error>& error() const override { return error_; }
  uint64_t bytes() const override { return consumed_; }
  bool typed_number(size_t col) const override { return col < numbers_.size() && numbers_[col]; }
  bool Rewind() override {
    in_.clear();
    in_.seekg(0);
    if (!in_) {
      error_ = Malformed("JSON: the file cannot be read a second time");
      return false;
    }
    header_done_ = started_ = ended_ = false;
    record_ = line_ = row_ = 0;
    consumed_ = 0;
    return true;
  }

 private:
  std::string Where() const {
    return ndjson_ ? "line " + std::to_string(line_) : "record " + std::to_string(record_);
  }

  std::optional<size_t> Index(const std::string& key) {
    auto it = keys_.find(key);
    if (it != keys_.end()) return it->second;
    std::optional<size_t> found;
    const std::string folded = text::Fold(key);
    for (size_t i = 0; i < schema_.fields.size(); ++i) {
      const Field& f = schema_.fields[i];
      if (f.name == key || text::Fold(f.title) == folded || text::Fold(f.name) == folded) {
        found = i;
        break;
      }
    }
    keys_.emplace(key, found);
    return found;
  }

  int Get() {
    const int c = in_.get();
    if (c != EOF) ++consumed_;
    return c;
  }

  Result<bool> NextLine(std::string& out) {
    out.clear();
    if (!std::getline(in_, out)) return false;
    consumed_ += out.size() + 1;
    ++line_;
    if (line_ == 1 && out.starts_with("\xEF\xBB\xBF")) out.erase(0, 3);
    if (!out.empty() && out.back() == '\r') out.pop_back();
    return true;
  }

  static bool Space(int c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

  // The next element of the top-level array, as text.
  Result<bool> NextElement(std::string& out) {
    out.clear();
    int c = 0;
    if (!started_) {
      started_ = true;
      do {
        c = Get();
      } while (Space(c) || c == 0xEF || c == 0xBB || c == 0xBF);
      if (c != '[') {
        return Fail(Malformed("JSON: the file must be an array of records: [{...}, {...}]"));
      }
    } else if (ended_) {
      return false;
    }
    bool comma = false;
    for (;;) {
      c = Get();
      if (c == EOF) return Fail(Malformed("JSON: the array is not closed (missing ']')"));
      if (Space(c)) continue;
      if (c == ']') {
        if (comma) {
          return Fail(Malformed("JSON: a ',' after record " + std::to_string(record_) +
                                " is followed by no record"));
        }
        ended_ = true;
        for (int rest = Get(); rest != EOF; rest = Get()) {
          if (!Space(rest)) {
            return Fail(Malformed("JSON: text after the closing ']' of the array (after record " +
                                  std::to_string(record_) + ")"));
          }
        }
        return false;
      }
      if (c == ',') {
        if (record_ == 0 || comma) return Fail(Malformed("JSON: a ',' where a record should be"));
        comma = true;
        continue;
      }
      break;
    }
    if (record_ > 0 && !comma) {
      return Fail(Malformed("JSON: a ',' is missing after record " + std::to_string(record_)));
    }
    if (c != '{') {
      return Fail(Malformed("JSON: record " + std::to_string(record_ + 1) +
                            ": each record is a JSON object of field: value"));
    }
    int depth = 0;
    bool in_string = false;
    bool escape = false;
    for (;; c = Get()) {
      if (c == EOF) {
        return Fail(Malformed("JSON: the file ends inside record " + std::to_string(record_ + 1)));
      }
      out += static_cast<char>(c);
      if (out.size() > kMaxRecord) {
        return Fail(
            Malformed("JSON: record " + std::to_string(record_ + 1) + " is larger than 16 MiB"));
      }
      if (in_string) {
        if (escape) {
          escape = false;
        } else if (c == '\\') {
          escape = true;
        } else if (c == '"') {
          in_string = false;
        }
      } else if (c == '"') {
        in_string = true;
      } else if (c == '{' || c == '[') {
        ++depth;
      } else if ((c == '}' || c == ']') && --depth == 0) {
        return true;
      }
    }
  }

  static constexpr size_t kMaxRecord = size_t{16} << 20;
  std::istream& in_;
  const Schema& schema_;
  bool ndjson_;
  bool header_done_ = false;
  bool started_ = false;
  bool ended_ = false;
  int64_t record_ = 0;
  int64_t line_ = 0;
  int64_t row_ = 0;
  uint64_t consumed_ = 0;
  std::unordered_map<std::string, std::optional<size_t>> keys_;
  std::vector<bool> numbers_;
  std::optional<Error> error_;
};

class XlsxRowReader final : public RowReader {
 public:
  XlsxRowReader(XlsxReader reader, const Limits& limits)
      : reader_(std::move(reader)), limits_(limits) {}
  bool Next(std::vector<std::string>& cells) override {
    if (!reader_.Next(cells)) {
      if (reader_.error()) {
        error_ = FileError(*reader_.error(), "XLSX", limits_);
      }
      return false;
    }
    for (size_t i = 0; i < cells.size(); ++i) {
      if (cells[i].empty() || !reader_.IsDate(i)) continue;
      auto d = ExcelSerialToDate(cells[i], reader_.date1904());
      if (!d) continue;
      const double v = std::strtod(cells[i].c_str(), nullptr);
      const double frac = v - std::floor(v);
      if (frac > 0) {
        const auto secs = static_cast<int>(std::lround(frac * 86400.0)) % 86400;
        char buf[32];
        std::snprintf(buf, sizeof buf, "%sT%02d:%02d:%02d", d->ToString().c_str(), secs / 3600,
                      secs / 60 % 60, secs % 60);
        cells[i] = buf;
      } else {
        cells[i] = d->ToString();
      }
    }
    ++rows_;
    return true;
  }
  int64_t row() const override { return static_cast<int64_t>(reader_.row()); }
  const std::optional<Error>& error() const override { return error_; }
  uint64_t bytes() const override { return rows_; }
  bool xlsx() const override { return true; }
  bool typed_number(size_t col) const override {
    return reader_.IsNumber(col) && !reader_.IsDate(col);
  }
  bool Rewind() override {
    if (auto s = reader_.SelectSheet(reader_.sheet_name()); !s) {
      error_ = Malformed("XLSX: " + s.error().message);
      return false;
    }
    rows_ = 0;
    return true;
  }

 private:
  XlsxReader reader_;
  Limits limits_;
  uint64_t rows_ = 0;
  std::optional<Error> error_;
};

}  // namespace

std::unique_ptr<RowReader> CsvRows(std::istream& in, const Limits& limits) {
  return std::make_unique<CsvRowReader>(in, limits);
}

std::unique_ptr<RowReader> JsonRows(std::istream& in, const Schema& schema, bool ndjson) {
  return std::make_unique<JsonRowReader>(in, schema, ndjson);
}

Result<std::unique_ptr<RowReader>> XlsxRows(const std::string* path, std::string* bytes,
                                            const std::string& sheet, const Limits& limits) {
  const XlsxOptions options = LimitedXlsxOptions(limits);
  auto reader = path != nullptr ? XlsxReader::Open(*path, options)
                                : XlsxReader::OpenBuffer(std::move(*bytes), options);
  if (!reader) return Fail(FileError(reader.error(), "XLSX", limits));
  if (!sheet.empty()) {
    if (auto s = reader->SelectSheet(sheet); !s) {
      if (s.error().code == "xlsx.sheet_not_found") {
        return Fail(Error::Invalid("file.sheet_not_found", "XLSX: " + s.error().message));
      }
      return Fail(FileError(s.error(), "XLSX", limits));
    }
  }
  return std::unique_ptr<RowReader>(std::make_unique<XlsxRowReader>(std::move(*reader), limits));
}

}  // namespace pdh::ingest::internal
