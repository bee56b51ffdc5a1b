// Streaming CSV reader: reads the input in fixed chunks and copies each field out as it scans,
// so memory stays at one chunk plus the record being returned, whatever the file size.
#include "core/csv.h"

#include <array>
#include <string_view>

namespace pdh {
namespace {

constexpr size_t kChunk = size_t{64} * 1024;
constexpr size_t kDetectWindow = kChunk;  // bytes delimiter detection looks at, at most
constexpr std::string_view kBom = "\xEF\xBB\xBF";

bool IsNewline(char c) {
  return c == '\n' || c == '\r';
}

Error UnterminatedQuote(size_t line) {
  return Error::Invalid("csv.unterminated_quote",
                        "line " + std::to_string(line) +
                            ": quoted field never closed; a field that starts with \" must end "
                            "with \" (write \"\" for a quote inside it)");
}

// How many `delimiter`s separate the fields of the first record in `text`, read with the
// reader's own rules: a quote opens a quoted field only at the start of a field (elsewhere it is
// text), "" inside quotes is a quote, and a line break ends the record only outside quotes.
// Leading empty lines are passed over, as Next passes over them.
size_t CountDelimiters(std::string_view text, char delimiter) {
  size_t i = 0;
  while (i < text.size() && IsNewline(text[i])) ++i;
  size_t count = 0;
  bool field_start = true;
  bool quoted = false;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c != '"') continue;
      if (i + 1 < text.size() && text[i + 1] == '"') {
        ++i;  // a doubled quote stays inside
      } else {
        quoted = false;  // what follows the closing quote is text up to the delimiter
      }
    } else if (c == delimiter) {
      ++count;
      field_start = true;
    } else if (IsNewline(c)) {
      break;
    } else {
      quoted = field_start && c == '"';
      field_start = false;
    }
  }
  return count;
}

}  // namespace

CsvReader::CsvReader(std::istream& in, CsvOptions options)
    : in_(in), options_(options), delimiter_(options.delimiter) {}

// Sets the error when `out` has grown past options_.max_field_bytes.
bool CsvReader::FieldTooLong(const std::string& out) {
  if (options_.max_field_bytes == 0 || out.size() <= options_.max_field_bytes) return false;
  error_ = Error::Invalid(std::string(kCsvFieldTooLong),
                          "line " + std::to_string(record_line_) + ": a field is longer than " +
                              std::to_string(options_.max_field_bytes) + " bytes");
  return true;
}

// Drops the consumed bytes, then appends the next chunk. False when no byte was added.
bool CsvReader::Fill() {
  if (eof_) return false;
  buf_.erase(0, pos_);
  pos_ = 0;
  size_t old = buf_.size();
  buf_.resize(old + kChunk);
  in_.read(buf_.data() + old, static_cast<std::streamsize>(kChunk));
  size_t got = static_cast<size_t>(in_.gcount());
  buf_.resize(old + got);
  if (got < kChunk) eof_ = true;
  return got > 0;
}

// True when buf_[pos_] holds an unread byte, reading more if needed.
bool CsvReader::Available() {
  return pos_ < buf_.size() || Fill();
}

void CsvReader::Start() {
  started_ = true;
  while (buf_.size() - pos_ < kBom.size() && Fill()) {
  }
  if (std::string_view(buf_).substr(pos_).starts_with(kBom)) pos_ += kBom.size();
  if (delimiter_ == 0) delimiter_ = DetectDelimiter();
}

// Of ',' ';' '\t', the one that splits the first record into the most fields, each counted as
// the reader would read the record with it; ',' when none wins outright. Looks ahead without
// consuming, over the first kDetectWindow bytes at most, so a record that never ends (or a quote
// that is never closed) does not pull the whole input into the buffer.
char CsvReader::DetectDelimiter() {
  constexpr std::array<char, 3> kCandidates = {',', ';', '\t'};
  while (buf_.size() - pos_ < kDetectWindow && Fill()) {
  }
  const std::string_view window = std::string_view(buf_).substr(pos_, kDetectWindow);
  std::array<size_t, 3> counts{};
  for (size_t k = 0; k < kCandidates.size(); ++k) {
    counts[k] = CountDelimiters(window, kCandidates[k]);
  }
  size_t best = 0;
  for (size_t k = 1; k < counts.size(); ++k) {
    if (counts[k] > counts[best]) best = k;
  }
  for (size_t k = 0; k < counts.size(); ++k) {
    if (k != best && counts[k] == counts[best]) return ',';
  }
  return kCandidates[best];
}

// Consumes one line break at pos_ (CRLF, LF or a lone CR), counting the line; `keep`, when
// given, receives the bytes consumed. False when pos_ is not at a line break.
bool CsvReader::TakeNewline(std::string* keep) {
  if (!Available() || !IsNewline(buf_[pos_])) return false;
  char c = buf_[pos_++];
  if (keep) keep->push_back(c);
  ++line_;
  if (c == '\r' && Available() && buf_[pos_] == '\n') {
    ++pos_;
    if (keep) keep->push_back('\n');
  }
  return true;
}

// Passes over blank lines. False at the end of input.
bool CsvReader::SkipEmptyLines() {
  while (TakeNewline(nullptr)) {
  }
  return Available();
}

// Index of the first of a, b or c at or after pos_, or buf_.size().
size_t CsvReader::FindAny(char a, char b, char c) const {
  size_t i = pos_;
  while (i < buf_.size() && buf_[i] != a && buf_[i] != b && buf_[i] != c) ++i;
  return i;
}

CsvReader::FieldEnd CsvReader::ReadField(std::string& out) {
  out.clear();
  if (Available() && buf_[pos_] == '"') {
    ++pos_;
    if (!ReadQuoted(out)) return FieldEnd::kError;
  }
  // Unquoted text, or what follows a closing quote ("ab"c reads as abc, as spreadsheets do).
  return ReadUnquoted(out);
}

// Reads a quoted field's content after its opening quote, through the closing quote.
bool CsvReader::ReadQuoted(std::string& out) {
  const size_t opened_on = line_;
  while (true) {
    if (!Available()) {
      error_ = UnterminatedQuote(opened_on);
      return false;
    }
    size_t end = FindAny('"', '\n', '\r');
    out.append(buf_, pos_, end - pos_);
    pos_ = end;
    if (FieldTooLong(out)) return false;
    if (pos_ == buf_.size()) continue;
    if (buf_[pos_] != '"') {
      TakeNewline(&out);  // kept in the value, and counted so line() stays physical
      continue;
    }
    ++pos_;
    if (!Available() || buf_[pos_] != '"') return true;
    out.push_back('"');  // "" inside quotes is one quote
    ++pos_;
  }
}

// Reads up to the next delimiter or line break and consumes it. A quote here is plain text.
CsvReader::FieldEnd CsvReader::ReadUnquoted(std::string& out) {
  while (Available()) {
    size_t end = FindAny(delimiter_, '\n', '\r');
    out.append(buf_, pos_, end - pos_);
    pos_ = end;
    if (FieldTooLong(out)) return FieldEnd::kError;
    if (pos_ == buf_.size()) continue;
    if (buf_[pos_] == delimiter_) {
      ++pos_;
      return FieldEnd::kDelimiter;
    }
    TakeNewline(nullptr);
    return FieldEnd::kRecord;
  }
  return FieldEnd::kRecord;  // last line without a line break
}

bool CsvReader::Next(std::vector<std::string>& fields) {
  if (error_) return false;
  if (!started_) Start();
  if (!SkipEmptyLines()) {
    fields.clear();
    return false;
  }
  record_line_ = line_;
  // Reuses the strings already in `fields`, so a loop over a file allocates little.
  size_t n = 0;
  FieldEnd end = FieldEnd::kDelimiter;
  while (end == FieldEnd::kDelimiter) {
    if (options_.max_fields != 0 && n == options_.max_fields) {
      error_ = Error::Invalid(std::string(kCsvTooManyFields),
                              "line " + std::to_string(record_line_) + ": more than " +
                                  std::to_string(options_.max_fields) + " fields in one record");
      end = FieldEnd::kError;
      break;
    }
    if (n == fields.size()) fields.emplace_back();
    end = ReadField(fields[n++]);
  }
  if (end == FieldEnd::kError) {
    fields.clear();
    return false;
  }
  fields.resize(n);
  return true;
}

}  // namespace pdh
