// A streaming CSV reader for what real exports contain: RFC 4180 quoting, embedded newlines,
// doubled quotes, BOM, ',' ';' or tab separators (detected from the first record), CRLF or LF.
#pragma once

#include <cstddef>
#include <istream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace pdh {

struct CsvOptions {
  // 0: detect among ',', ';', '\t' the one that splits the first record into the most fields,
  // read with the reader's quoting (a quote opens a quoted field only at the start of a field);
  // ',' on a tie. Detection looks at the first 64 KiB at most.
  char delimiter = 0;
  // Bounds on what one record may make the reader hold, so that a hostile file (a line of
  // millions of commas, a quote never closed) fails early instead of filling memory. 0: none.
  // Past them Next fails with csv.too_many_fields or csv.field_too_long.
  size_t max_fields = 0;       // fields per record
  size_t max_field_bytes = 0;  // bytes per field
};

// Error codes of the reader's limits.
inline constexpr std::string_view kCsvTooManyFields = "csv.too_many_fields";
inline constexpr std::string_view kCsvFieldTooLong = "csv.field_too_long";

class CsvReader {
 public:
  // Reads from `in`, which must outlive the reader. Memory use is bounded by the longest record
  // (and so by options.max_fields and max_field_bytes when set).
  explicit CsvReader(std::istream& in, CsvOptions options = {});

  // Reads the next record into `fields`. Returns false at the end of input, or on a malformed
  // record (then error() says what and where). An empty line yields no record.
  bool Next(std::vector<std::string>& fields);

  // Physical line number (1-based) on which the last record returned started.
  size_t line() const { return record_line_; }
  // The separator in use; when detected, known once Next has been called (0 before).
  char delimiter() const { return delimiter_; }
  const std::optional<Error>& error() const { return error_; }
  // Bytes the read buffer holds room for: stays near one read chunk plus the longest record.
  size_t buffer_capacity() const { return buf_.capacity(); }

 private:
  enum class FieldEnd { kDelimiter, kRecord, kError };

  bool Fill();
  bool Available();
  void Start();
  char DetectDelimiter();
  bool TakeNewline(std::string* keep);
  bool SkipEmptyLines();
  size_t FindAny(char a, char b, char c) const;
  FieldEnd ReadField(std::string& out);
  bool ReadQuoted(std::string& out);
  FieldEnd ReadUnquoted(std::string& out);
  bool FieldTooLong(const std::string& out);

  std::istream& in_;
  CsvOptions options_;
  char delimiter_;
  std::string buf_;
  size_t pos_ = 0;
  bool eof_ = false;
  bool started_ = false;
  size_t line_ = 1;
  size_t record_line_ = 0;
  std::optional<Error> error_;
};

}  // namespace pdh
