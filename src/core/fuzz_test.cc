// Fuzz targets for the parsers of untrusted input, run briefly with the other tests: CsvReader
// (and ReadCsvSheet), XlsxReader::OpenBuffer (and ReadXlsxSheet), ParseCellRange,
// ExcelSerialToDate, number::ParseInteger/ParseDecimal, Date::Parse and the text functions.
// Inputs come from a small deterministic mutation engine over hand-written seeds, and every
// target checks invariants (a reference parser for CSV, rewinding, bounded buffers, round
// trips), not only that nothing crashes.
//
// To run longer or with other inputs:
//   PDH_FUZZ_SEED=12345          another sequence of inputs (decimal or 0x-hex)
//   PDH_FUZZ_ITERATIONS=100000   that many iterations in every target
//   PDH_FUZZ_ITERATIONS=x20      twenty times each target's default count
//   PDH_FUZZ_DUMP=/some/dir      writes the first failing input of each target there
//   PDH_FUZZ_START=784           starts at that iteration (with PDH_FUZZ_ITERATIONS=1: replays it)
// A failure names the seed and iteration; the same seed replays the same inputs.
#include <gtest/gtest.h>
#include <zip.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/csv.h"
#include "core/date.h"
#include "core/number.h"
#include "core/random.h"
#include "core/sheet.h"
#include "core/text.h"
#include "core/xlsx.h"
#include "core/xlsx_test_support.h"

namespace pdh {
namespace {

using xlsx_testing::kMain;
using xlsx_testing::Parts;
using xlsx_testing::SheetXml;
using xlsx_testing::Workbook;
using Rows = std::vector<std::vector<std::string>>;

constexpr size_t kReadChunk = size_t{64} * 1024;  // what CsvReader and XmlPart read at a time
constexpr size_t kMaxColumns = 16384;             // XFD
constexpr std::string_view kBom = "\xEF\xBB\xBF";
constexpr std::string_view kReplacement = "\xEF\xBF\xBD";

// --- Configuration and the iteration loop -----------------------------------------------------

std::optional<uint64_t> EnvNumber(const char* name) {
  const char* env = std::getenv(name);
  if (env == nullptr || *env == '\0') return std::nullopt;
  std::string_view v(env);
  int base = 10;
  if (v.starts_with("0x") || v.starts_with("0X")) {
    v.remove_prefix(2);
    base = 16;
  }
  uint64_t value = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), value, base);
  if (ec != std::errc() || end != v.data() + v.size()) {
    ADD_FAILURE() << name << "=" << env << " is not a number";
    return std::nullopt;
  }
  return value;
}

uint64_t FuzzSeed() {
  return EnvNumber("PDH_FUZZ_SEED").value_or(0x9D4C'2025'0701ULL);
}

size_t Iterations(size_t default_count) {
  const char* env = std::getenv("PDH_FUZZ_ITERATIONS");
  if (env == nullptr || *env == '\0') return default_count;
  if (env[0] == 'x') {
    size_t factor = 0;
    std::string_view v(env + 1);
    auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), factor);
    if (ec == std::errc() && end == v.data() + v.size()) return default_count * factor;
    ADD_FAILURE() << "PDH_FUZZ_ITERATIONS=" << env << " is not a number or xFACTOR";
    return default_count;
  }
  return static_cast<size_t>(EnvNumber("PDH_FUZZ_ITERATIONS").value_or(default_count));
}

uint64_t Fnv1a(std::string_view s) {
  uint64_t h = 0xCBF29CE484222325ULL;
  for (unsigned char c : s) h = (h ^ c) * 0x100000001B3ULL;
  return h;
}

// Bytes as a person can read them in a failure message: printable ASCII kept, the rest \xNN;
// a long input shows its start and its end.
std::string Printable(std::string_view s, size_t limit = 600) {
  std::string out;
  auto append = [&](std::string_view part) {
    for (unsigned char c : part) {
      if (c == '\\') {
        out += "\\\\";
      } else if (c >= 0x20 && c < 0x7F) {
        out.push_back(static_cast<char>(c));
      } else {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\x%02X", c);
        out += buf;
      }
    }
  };
  if (s.size() <= limit) {
    append(s);
  } else {
    append(s.substr(0, limit / 2));
    out += " [... " + std::to_string(s.size() - limit) + " bytes ...] ";
    append(s.substr(s.size() - limit / 2));
  }
  return out;
}

void Dump(std::string_view target, size_t iteration, std::string_view input) {
  const char* dir = std::getenv("PDH_FUZZ_DUMP");
  if (dir == nullptr || *dir == '\0') return;
  std::filesystem::path path =
      std::filesystem::path(dir) / (std::string(target) + "-" + std::to_string(iteration));
  std::ofstream(path, std::ios::binary) << input;
  std::printf("fuzz: the failing input is in %s\n", path.c_str());
}

// Runs `body(rng, input)` for each iteration, each with its own generator (so that
// PDH_FUZZ_START=n PDH_FUZZ_ITERATIONS=1 replays iteration n alone), and stops at the first
// iteration that fails, naming it. `body` puts the bytes it tried into `input`, for
// PDH_FUZZ_DUMP.
template <class Body>
void RunTarget(std::string_view target, size_t default_count, Body body) {
  const uint64_t seed = FuzzSeed();
  const size_t start = static_cast<size_t>(EnvNumber("PDH_FUZZ_START").value_or(0));
  const size_t count = Iterations(default_count);
  for (size_t i = start; i < start + count; ++i) {
    Rng rng(seed ^ Fnv1a(target) ^ (i * 0xD1B54A32D192ED03ULL));
    std::string input;
    {
      SCOPED_TRACE("fuzz target " + std::string(target) +
                   ", PDH_FUZZ_SEED=" + std::to_string(seed) + ", iteration " + std::to_string(i));
      body(rng, input);
    }
    if (::testing::Test::HasFailure()) {
      Dump(target, i, input);
      return;
    }
  }
}

size_t Below(Rng& rng, size_t n) {
  return n == 0 ? 0 : static_cast<size_t>(rng.Between(0, static_cast<int64_t>(n) - 1));
}

size_t UpTo(Rng& rng, size_t n) {
  return static_cast<size_t>(rng.Between(0, static_cast<int64_t>(n)));
}

// --- The mutation engine --------------------------------------------------------------------

// Mutates byte strings: bit flips, byte sets, inserts and deletes, chunk duplication, splices
// with another seed, truncation, dictionary tokens, long runs, and (when `chunk_runs`) padding
// that moves a byte onto the 64 KiB boundary where the readers refill their buffers.
class Mutator {
 public:
  Mutator(std::vector<std::string> seeds, std::vector<std::string> tokens, size_t max_size,
          bool chunk_runs)
      : seeds_(std::move(seeds)),
        tokens_(std::move(tokens)),
        max_size_(max_size),
        chunk_runs_(chunk_runs) {}

  std::string Generate(Rng& rng) const { return Mutate(rng, rng.Pick(seeds_)); }

  std::string Mutate(Rng& rng, std::string s) const {
    // Mostly a few mutations, sometimes a pile of them.
    const size_t rounds = rng.Chance(10) ? UpTo(rng, 24) + 1 : UpTo(rng, 4) + 1;
    for (size_t r = 0; r < rounds; ++r) MutateOnce(rng, s);
    if (s.size() > max_size_) s.resize(max_size_);
    return s;
  }

  // Flips, byte sets and token overwrites only: the length stays, so an archive's offsets still
  // hold and the damage reaches the data they point to.
  std::string MutateInPlace(Rng& rng, std::string s) const {
    for (size_t r = UpTo(rng, 3) + 1; r > 0; --r) {
      if (s.empty()) break;
      const size_t at = Below(rng, s.size());
      if (rng.Chance(40)) {
        s[at] ^= static_cast<char>(1 << rng.Between(0, 7));
      } else if (rng.Chance(50)) {
        s[at] = static_cast<char>(rng.Between(0, 255));
      } else {
        const std::string& token = rng.Pick(tokens_);
        s.replace(at, std::min(token.size(), s.size() - at), token.substr(0, s.size() - at));
      }
    }
    return s;
  }

  void MutateOnce(Rng& rng, std::string& s) const {
    switch (rng.Between(0, 11)) {
      case 0:  // flip a bit
        if (!s.empty()) s[Below(rng, s.size())] ^= static_cast<char>(1 << rng.Between(0, 7));
        break;
      case 1: {  // set a byte, often to one parsers single out
        static constexpr char kBytes[] = {'\0', '\xFF', '\x7F', '\x80', '"', '\n', '\r', '<', '>'};
        if (s.empty()) break;
        s[Below(rng, s.size())] = rng.Chance(50) ? kBytes[Below(rng, sizeof kBytes)]
                                                 : static_cast<char>(rng.Between(0, 255));
        break;
      }
      case 2: {  // insert random bytes
        std::string bytes;
        for (size_t n = UpTo(rng, 7) + 1; n > 0; --n) {
          bytes.push_back(static_cast<char>(rng.Between(0, 255)));
        }
        s.insert(UpTo(rng, s.size()), bytes);
        break;
      }
      case 3: {  // delete a range
        if (s.empty()) break;
        size_t at = Below(rng, s.size());
        s.erase(at, UpTo(rng, rng.Chance(20) ? 512 : 16) + 1);
        break;
      }
      case 4: {  // duplicate a chunk somewhere else
        if (s.empty()) break;
        size_t from = Below(rng, s.size());
        std::string chunk = s.substr(from, UpTo(rng, 256) + 1);
        s.insert(UpTo(rng, s.size()), chunk);
        break;
      }
      case 5: {  // splice: a prefix of this, the rest of another seed
        const std::string& other = rng.Pick(seeds_);
        s = s.substr(0, UpTo(rng, s.size())) + other.substr(UpTo(rng, other.size()));
        break;
      }
      case 6:  // truncate
        s.resize(UpTo(rng, s.size()));
        break;
      case 7:
      case 8:  // insert a token
        s.insert(UpTo(rng, s.size()), rng.Pick(tokens_));
        break;
      case 9: {  // overwrite with a token
        const std::string& token = rng.Pick(tokens_);
        size_t at = UpTo(rng, s.size());
        s.replace(at, std::min(token.size(), s.size() - at), token);
        break;
      }
      case 10: {  // a long run of one byte or token
        std::string unit = rng.Chance(50) ? rng.Pick(tokens_)
                                          : std::string(1, static_cast<char>(rng.Between(0, 255)));
        size_t times = UpTo(rng, rng.Chance(10) ? 4096 : 64) + 1;
        std::string run;
        for (size_t i = 0; i < times && run.size() < 8192; ++i) run += unit;
        s.insert(UpTo(rng, s.size()), run);
        break;
      }
      default: {  // pad so that a byte lands at (or just around) the 64 KiB refill boundary
        if (!chunk_runs_ || !rng.Chance(30) || s.empty()) break;
        size_t target_pos = kReadChunk - 4 + UpTo(rng, 8);
        size_t byte = Below(rng, s.size());
        if (byte >= target_pos) break;
        size_t pad_at = UpTo(rng, byte);
        s.insert(pad_at, std::string(target_pos - byte, rng.Chance(50) ? 'x' : ' '));
        break;
      }
    }
  }

 private:
  std::vector<std::string> seeds_;
  std::vector<std::string> tokens_;
  size_t max_size_;
  bool chunk_runs_;
};

// --- CSV --------------------------------------------------------------------------------------

// One record of `s` from `p` (at a record's start) with csv.h's rules: RFC 4180 quotes opening a
// field only at its start (a quote elsewhere is text), text after a closing quote kept,
// CRLF/LF/CR line breaks counted in `line`, those inside quotes kept in the value. Appends the
// fields to `fields`; false when a quoted field is still open at the end of `s` (the fields
// before it are appended, and `opened_on` is the line of its opening quote).
bool ModelRecord(std::string_view s, size_t& p, char delimiter, size_t& line,
                 std::vector<std::string>& fields, size_t& opened_on) {
  auto is_newline = [&](size_t i) { return i < s.size() && (s[i] == '\n' || s[i] == '\r'); };
  // Consumes the line break at p, if any, appending it to `keep`.
  auto take_newline = [&](std::string* keep) {
    if (!is_newline(p)) return false;
    size_t n = s[p] == '\r' && p + 1 < s.size() && s[p + 1] == '\n' ? 2 : 1;
    if (keep != nullptr) keep->append(s.substr(p, n));
    p += n;
    ++line;
    return true;
  };
  while (true) {
    std::string field;
    if (p < s.size() && s[p] == '"') {
      opened_on = line;
      ++p;
      while (true) {
        if (p == s.size()) return false;
        if (s[p] == '"') {
          if (p + 1 < s.size() && s[p + 1] == '"') {
            field.push_back('"');
            p += 2;
            continue;
          }
          ++p;
          break;
        }
        if (!take_newline(&field)) field.push_back(s[p++]);
      }
    }
    while (p < s.size() && s[p] != delimiter && !is_newline(p)) field.push_back(s[p++]);
    fields.push_back(std::move(field));
    if (p < s.size() && s[p] == delimiter) {
      ++p;
    } else {
      take_newline(nullptr);
      return true;
    }
  }
}

// What CsvReader should make of a whole input, worked out without streaming: csv.h's rules (BOM
// skipped, empty lines skipped, records as ModelRecord reads them). Without a delimiter, each of
// ',' ';' '\t' reads the first record in the first 64 KiB with ModelRecord, and the one that
// separates the most fields wins (',' on a tie).
struct CsvExpected {
  Rows records;
  std::vector<size_t> lines;
  std::optional<size_t> error_line;  // the line of an unterminated quote
  char delimiter = 0;
  size_t physical_lines = 1;
  size_t longest_record = 0;  // bytes, quotes and line breaks included
};

CsvExpected ModelCsv(std::string_view s, char delimiter) {
  CsvExpected out;
  size_t p = s.starts_with(kBom) ? kBom.size() : 0;
  auto is_newline = [&](size_t i) { return i < s.size() && (s[i] == '\n' || s[i] == '\r'); };
  for (size_t i = p; i < s.size(); ++i) {
    if (s[i] == '\n' || (s[i] == '\r' && (i + 1 == s.size() || s[i + 1] != '\n'))) {
      ++out.physical_lines;
    }
  }
  if (delimiter == 0) {
    constexpr char kCandidates[] = {',', ';', '\t'};
    const std::string_view window = s.substr(p, kReadChunk);
    size_t counts[3] = {};
    for (size_t k = 0; k < 3; ++k) {
      size_t q = window.find_first_not_of("\r\n");
      if (q == std::string_view::npos) break;
      size_t line = 1, opened_on = 0;
      std::vector<std::string> fields;
      const bool whole = ModelRecord(window, q, kCandidates[k], line, fields, opened_on);
      // Fields before an unclosed quote were each ended by a delimiter.
      counts[k] = whole ? fields.size() - 1 : fields.size();
    }
    size_t best = 0;
    for (size_t k = 1; k < 3; ++k) {
      if (counts[k] > counts[best]) best = k;
    }
    delimiter = kCandidates[best];
    for (size_t k = 0; k < 3; ++k) {
      if (k != best && counts[k] == counts[best]) delimiter = ',';
    }
  }
  out.delimiter = delimiter;

  size_t line = 1;
  while (true) {
    while (is_newline(p)) {
      p += s[p] == '\r' && p + 1 < s.size() && s[p + 1] == '\n' ? 2 : 1;
      ++line;
    }
    if (p == s.size()) break;
    const size_t start = p;
    const size_t record_line = line;
    std::vector<std::string> fields;
    size_t opened_on = 0;
    if (!ModelRecord(s, p, delimiter, line, fields, opened_on)) {
      out.error_line = opened_on;
      return out;
    }
    out.longest_record = std::max(out.longest_record, p - start);
    out.records.push_back(std::move(fields));
    out.lines.push_back(record_line);
  }
  return out;
}

const std::vector<std::string>& CsvSeeds() {
  static const std::vector<std::string> seeds = {
      "Mã;Tên;Cấp\n001;Phúc Xá;Phường\n002;Trúc Bạch;Phường\n",
      "\xEF\xBB\xBFid,name,note\r\n1,\"Hà Nội, Việt Nam\",\"say \"\"hi\"\"\"\r\n2,x,\"multi\r\n"
      "line\"\r\n",
      "a\tb\tc\n1\t2\n3\t4\t5\t6\n\n\n7\n",
      "\"unterminated,field\n1,2\n",
      "h1,h2\n\"two\nlines\",x\n\n\"three\r\n\r\nlines\",y\rlast,z",
      "37\"N,x\n\"ab\"cd,e\n\"\",,\"\"\na,b,\n",
      "",
      "\r\n\n",
      "\xEF\xBB\xBF",
      "x;y,z\tw\n1;2,3\t4\n",
      "\"a;b\";\"c\"\"d\";e\n;;\n",
      "STT,Họ và tên,Ngày sinh,Số tiền\n1,Nguyễn Văn A,01/07/2025,\"3.254.170\"\n2,Trần Thị B,"
      "2025-07-01,\"8.536,44\"\n",
      "\n\n\"x,y,z\";b;c\r\n\"\"\"\";\"\r\";\"\n\"\r\n",
      "tab\tsep\t\"quoted\ttab\"\nẢ\tẞ\t\xFF\xFE\n",
      "id\"x;name\n1;2\n\"3\";\"4\"\"\"\n",
  };
  return seeds;
}

const std::vector<std::string>& CsvTokens() {
  static const std::vector<std::string> tokens = {
      // Quoting and separators.
      "\"", "\"\"", "\"\"\"", ",", ";", "\t", ",\"", "\",", ";\"\";", "\"\r\n\"",
      // Line breaks.
      "\r\n", "\r", "\n", "\n\n\n", "\r\r\n",
      // A BOM (out of place), bytes that are not UTF-8, a NUL, a Vietnamese letter.
      std::string(kBom), "\xFF", "\xC3", std::string(1, '\0'), "\xE1\xBB\x87"};
  return tokens;
}

struct CsvRead {
  Rows records;
  std::vector<size_t> lines;
  std::optional<Error> error;
  char delimiter = 0;
  size_t max_capacity = 0;
};

CsvRead ReadCsv(const std::string& input, char delimiter) {
  std::istringstream in(input);
  CsvReader reader(in, {.delimiter = delimiter});
  CsvRead out;
  std::vector<std::string> fields;
  while (reader.Next(fields)) {
    out.records.push_back(fields);
    out.lines.push_back(reader.line());
    out.max_capacity = std::max(out.max_capacity, reader.buffer_capacity());
    // Every record takes a byte: more is a reader that loops without consuming.
    if (out.records.size() > input.size()) {
      ADD_FAILURE() << "more records than bytes";
      return out;
    }
  }
  out.max_capacity = std::max(out.max_capacity, reader.buffer_capacity());
  out.error = reader.error();
  out.delimiter = reader.delimiter();
  EXPECT_FALSE(reader.Next(fields)) << "Next after the end returned a record";
  EXPECT_TRUE(fields.empty());
  return out;
}

void CheckCsv(const std::string& input, char delimiter) {
  SCOPED_TRACE("delimiter option " + Printable(std::string(1, delimiter)));
  const CsvExpected expected = ModelCsv(input, delimiter);
  const CsvRead got = ReadCsv(input, delimiter);

  EXPECT_EQ(got.records, expected.records);
  EXPECT_EQ(got.lines, expected.lines);
  EXPECT_EQ(got.delimiter, expected.delimiter);
  for (const auto& record : got.records) EXPECT_FALSE(record.empty());
  for (size_t i = 0; i < got.lines.size(); ++i) {
    EXPECT_GE(got.lines[i], 1u);
    EXPECT_LE(got.lines[i], expected.physical_lines);
    if (i > 0) {
      EXPECT_GT(got.lines[i], got.lines[i - 1]);
    }
  }
  if (expected.error_line) {
    EXPECT_TRUE(got.error.has_value()) << "an unterminated quote went unreported";
  }
  if (got.error) {
    EXPECT_EQ(got.error->code, "csv.unterminated_quote");
    EXPECT_EQ(got.error->status, 422);
    const std::string prefix = "line " + std::to_string(expected.error_line.value_or(0)) + ": ";
    EXPECT_TRUE(got.error->message.starts_with(prefix)) << got.error->message;
    EXPECT_GE(expected.error_line.value_or(0), 1u);
    EXPECT_LE(expected.error_line.value_or(0), expected.physical_lines);
  }
  // csv.h: the buffer holds about one read chunk plus the longest record (delimiter detection
  // looks ahead over one chunk at most).
  EXPECT_LE(got.max_capacity, 2 * (kReadChunk + expected.longest_record) + 64)
      << "longest record " << expected.longest_record;
}

TEST(FuzzCsv, SeedsReadAsTheModelSays) {
  for (const std::string& seed : CsvSeeds()) {
    SCOPED_TRACE(Printable(seed));
    for (char delimiter : {'\0', ',', ';', '\t'}) CheckCsv(seed, delimiter);
  }
  // The model itself, on a case csv_test.cc pins down.
  CsvExpected quoted = ModelCsv("h1,h2\n\"two\nlines\",x\n\n\"three\r\n\r\nlines\",y\rlast,z", 0);
  EXPECT_EQ(quoted.lines, (std::vector<size_t>{1, 2, 5, 8}));
  EXPECT_EQ(quoted.records[2], (std::vector<std::string>{"three\r\n\r\nlines", "y"}));
}

TEST(FuzzCsv, MutatedInputsMatchTheModelWithEveryDelimiter) {
  const Mutator mutator(CsvSeeds(), CsvTokens(), size_t{200} << 10, /*chunk_runs=*/true);
  RunTarget("csv", 2000, [&](Rng& rng, std::string& input) {
    input = mutator.Generate(rng);
    SCOPED_TRACE("input: " + Printable(input));
    for (char delimiter : {'\0', ',', ';', '\t'}) CheckCsv(input, delimiter);
  });
}

TEST(FuzzCsv, ReadCsvSheetKeepsRecordsLinesAndTheRowLimit) {
  const Mutator mutator(CsvSeeds(), CsvTokens(), size_t{16} << 10, /*chunk_runs=*/false);
  RunTarget("csv_sheet", 1000, [&](Rng& rng, std::string& input) {
    input = mutator.Generate(rng);
    SCOPED_TRACE("input: " + Printable(input));
    const CsvExpected expected = ModelCsv(input, 0);
    const size_t max_rows = UpTo(rng, 8);
    std::istringstream in(input);
    Result<Sheet> sheet = ReadCsvSheet(in, max_rows);
    if (expected.records.size() > max_rows) {
      ASSERT_FALSE(sheet);
      EXPECT_EQ(sheet.error().code, kSheetTooManyRows);
    } else if (expected.error_line) {
      ASSERT_FALSE(sheet);
      EXPECT_EQ(sheet.error().code, "csv.unterminated_quote");
    } else {
      ASSERT_TRUE(sheet) << sheet.error().message;
      EXPECT_EQ(sheet->rows, expected.records);
      EXPECT_EQ(sheet->row_numbers, expected.lines);
    }
  });
}

// Found by the target above: a quote inside an unquoted field of the first line (a header such
// as `id"x;name`, which the reader reads as plain text) once made delimiter detection treat the
// rest of the input as quoted, reading the whole input into its buffer (csv.h promises memory
// bounded by the longest record) and missing the ';'.
std::string StrayQuoteCsv() {
  std::string text = "id\"x;name\n";
  for (int i = 0; i < 100000; ++i) text += "1;2\n";
  return text;
}

TEST(FuzzCsv, StrayQuoteInTheFirstLineDoesNotBufferTheWholeInput) {
  const std::string text = StrayQuoteCsv();
  const CsvRead read = ReadCsv(text, 0);
  EXPECT_EQ(read.records.size(), 100001u);
  EXPECT_LE(read.max_capacity, 256u * 1024) << "input of " << text.size() << " bytes";
}

TEST(FuzzCsv, StrayQuoteInTheFirstLineDoesNotHideTheDelimiter) {
  const CsvRead read = ReadCsv(StrayQuoteCsv(), 0);
  EXPECT_EQ(read.delimiter, ';');
  ASSERT_FALSE(read.records.empty());
  EXPECT_EQ(read.records[0], (std::vector<std::string>{"id\"x", "name"}));
}

// --- XLSX -------------------------------------------------------------------------------------

// The archive of `parts` in memory, deflated or stored (stored parts let raw byte mutations
// reach the XML itself).
std::string ZipBytes(const Parts& parts, bool store) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(nullptr, 0, 0, &error);
  zip_t* zip = source == nullptr ? nullptr : zip_open_from_source(source, ZIP_TRUNCATE, &error);
  zip_error_fini(&error);
  if (zip == nullptr) {
    ADD_FAILURE() << "cannot create an archive in memory";
    if (source != nullptr) zip_source_free(source);
    return {};
  }
  zip_source_keep(source);
  for (const auto& [name, body] : parts) {
    zip_source_t* part = zip_source_buffer(zip, body.data(), body.size(), 0);
    zip_int64_t index = zip_file_add(zip, name.c_str(), part, ZIP_FL_OVERWRITE);
    if (index < 0) {
      zip_source_free(part);
      ADD_FAILURE() << "cannot add " << name;
      continue;
    }
    if (store) zip_set_file_compression(zip, static_cast<zip_uint64_t>(index), ZIP_CM_STORE, 0);
  }
  std::string out;
  if (zip_close(zip) != 0) {
    ADD_FAILURE() << "cannot write the archive: " << zip_strerror(zip);
    zip_discard(zip);
  } else if (zip_source_open(source) == 0) {
    char buf[16384];
    for (zip_int64_t n; (n = zip_source_read(source, buf, sizeof buf)) > 0;) {
      out.append(buf, static_cast<size_t>(n));
    }
    zip_source_close(source);
  }
  zip_source_free(source);
  return out;
}

// The parts of an archive in memory (a seed XlsxWriter produced).
Parts UnzipBytes(const std::string& bytes) {
  Parts parts;
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  zip_t* zip = source == nullptr ? nullptr : zip_open_from_source(source, ZIP_RDONLY, &error);
  zip_error_fini(&error);
  if (zip == nullptr) {
    if (source != nullptr) zip_source_free(source);
    ADD_FAILURE() << "cannot open the seed archive";
    return parts;
  }
  for (zip_int64_t i = 0; i < zip_get_num_entries(zip, 0); ++i) {
    const auto index = static_cast<zip_uint64_t>(i);
    zip_file_t* file = zip_fopen_index(zip, index, 0);
    if (file == nullptr) continue;
    std::string body;
    char buf[16384];
    for (zip_int64_t n; (n = zip_fread(file, buf, sizeof buf)) > 0;) {
      body.append(buf, static_cast<size_t>(n));
    }
    zip_fclose(file);
    parts[zip_get_name(zip, index, 0)] = std::move(body);
  }
  zip_discard(zip);
  return parts;
}

std::string InlineCell(const std::string& ref, const std::string& text) {
  return "<c r=\"" + ref + "\" t=\"inlineStr\"><is><t>" + text + "</t></is></c>";
}

// Workbooks as departments send them, the parts written by hand (xlsx_test_support.h), plus
// one that XlsxWriter wrote.
std::vector<Parts> XlsxSeeds() {
  const std::string main(kMain);
  std::vector<Parts> seeds;

  // A report: a title merged over the table, a header merged over two rows, shared strings
  // with rich runs and phonetic guides, date styles (built-in and custom), every cell type.
  const std::string shared =
      "<sst xmlns=\"" + main +
      "\" count=\"5\" uniqueCount=\"4\"><si><t>Đơn vị</t></si><si><r><t>Dân </t></r><r><rPr><b/>"
      "</rPr><t>số</t></r></si><si><t>Xã Tân Lập</t><rPh sb=\"0\" eb=\"1\"><t>ﾀﾝ</t></rPh></si>"
      "<si><t xml:space=\"preserve\"> Ngày_x000D_báo cáo </t></si></sst>";
  const std::string styles =
      "<styleSheet xmlns=\"" + main +
      "\"><numFmts count=\"2\"><numFmt numFmtId=\"164\" formatCode=\"dd/mm/yyyy\"/>"
      "<numFmt numFmtId=\"165\" formatCode=\"[h]:mm:ss\"/></numFmts><cellStyleXfs count=\"1\">"
      "<xf numFmtId=\"14\"/></cellStyleXfs><cellXfs count=\"4\"><xf numFmtId=\"0\"/>"
      "<xf numFmtId=\"14\"/><xf numFmtId=\"164\"/><xf numFmtId=\"165\"/></cellXfs>"
      "<dxfs><dxf><numFmt numFmtId=\"166\" formatCode=\"yyyy\"/></dxf></dxfs></styleSheet>";
  const std::string report = SheetXml(
      "<row r=\"1\">" + InlineCell("A1", "BÁO CÁO DÂN SỐ") +
          "</row><row r=\"3\"><c r=\"A3\" t=\"s\"><v>0</v></c><c r=\"B3\" t=\"s\"><v>1</v></c>"
          "<c r=\"D3\" t=\"s\"><v>3</v></c></row><row r=\"4\">" +
          InlineCell("B4", "Nam") + InlineCell("C4", "Nữ") +
          "</row><row r=\"5\"><c r=\"A5\" t=\"s\"><v>2</v></c><c r=\"B5\"><v>1200</v></c>"
          "<c r=\"C5\"><v>1250.5</v></c><c r=\"D5\" s=\"1\"><v>45292</v></c></row>"
          "<row r=\"6\">" +
          InlineCell("A6", "I. LĨNH VỰC Y TẾ") +
          "</row><row r=\"7\"><c r=\"A7\" t=\"str\"><f>A5</f><v>Xã Tân Lập</v></c>"
          "<c r=\"B7\" t=\"b\"><v>1</v></c><c r=\"C7\" t=\"e\"><v>#N/A</v></c>"
          "<c r=\"D7\" s=\"2\"><v>45658.75</v></c><c r=\"E7\" s=\"3\"><v>0.5</v></c></row>",
      "<mergeCells count=\"4\"><mergeCell ref=\"A1:E1\"/><mergeCell ref=\"A3:A4\"/>"
      "<mergeCell ref=\"B3:C3\"/><mergeCell ref=\"A6:E6\"/></mergeCells>");
  seeds.push_back(Workbook({{"Báo cáo", report}}, shared, styles));

  // Two sheets: prefixed elements and a 1904 workbook; sparse rows without references.
  const std::string prefixed =
      "<x:worksheet xmlns:x=\"" + main +
      "\"><x:sheetData><x:row r=\"2\"><x:c r=\"B2\" t=\"inlineStr\"><x:is><x:t>Mã</x:t></x:is>"
      "</x:c><x:c r=\"C2\"><x:v>1</x:v></x:c></x:row><x:row><x:c><x:v>2</x:v></x:c><x:c/>"
      "<x:c t=\"inlineStr\"><x:is><x:t>Hoà</x:t></x:is></x:c></x:row></x:sheetData>"
      "</x:worksheet>";
  const std::string sparse = SheetXml(
      "<row><c><v>1</v></c><c><v>2</v></c></row><row r=\"10\"><c r=\"AA10\"><v>3</v></c></row>"
      "<row r=\"11\"></row><row r=\"12\"><c r=\"C12\" t=\"inlineStr\"><is><t>_x0041__xD800_"
      "</t></is></c></row>");
  seeds.push_back(Workbook({{"Sheet1", prefixed}, {"Dữ liệu", sparse}}, "", "",
                           "<workbookPr date1904=\"1\"/>"));

  // The smallest workbook.
  seeds.push_back(Workbook({{"S", SheetXml("<row><c><v>7</v></c></row>")}}));

  // What pdh itself writes.
  std::ostringstream written;
  Status status = WriteXlsxSheet(written, "Xuất",
                                 {{"Mã", "Tên", "Số tiền", "Ngày"},
                                  {"001", "Phúc Xá", "3254170", "2025-07-01"},
                                  {"002", "Trúc Bạch", "8536.44", ""}},
                                 {XlsxColumn::kText, XlsxColumn::kText, XlsxColumn::kNumber});
  EXPECT_TRUE(status) << status.error().message;
  if (status) seeds.push_back(UnzipBytes(written.str()));
  return seeds;
}

// Bad values for attributes and cell text.
const std::vector<std::string>& BadAttributeValues() {
  static const std::vector<std::string> values = {
      // Cell references and merged ranges.
      "ZZZZZZ9999999", "A0", "a1", "XFD1", "XFE1", "XFD1048576", "A18446744073709551616", "1A",
      "AAAA1", "B2:A1", "A1:?", "A1:A1", "A1:C1048576", "C3:D2000000", "A1:XFD1048576",
      // Row numbers, style and format indexes, counts.
      "", "-1", "0", "1", " 1", "1E3", "14", "22", "164", "2147483648", "99999999999999999999",
      "18446744073709551615", "1048576", "1048577", "true",
      // Cell types.
      "s", "n", "b", "e", "str", "inlineStr", "d",
      // Relationship ids and targets, sheet names.
      "rId1", "rId99", "../../../etc/passwd", "/xl/worksheets/sheet1.xml", "xl/workbook.xml",
      "Sheet1", "Đợt 1", "&#0;", "&amp;", "\xFF"};
  return values;
}

const std::vector<std::string>& BadTextValues() {
  static const std::vector<std::string> values = {
      "-1",         "999999",  "4",       "1e308",     "NaN",
      "inf",        "_x000D_", "_xD800_", "_xZZZZ_",   "_x",
      "45292",      "60",      "0",       "",          "&lt;",
      "\xC3",       "2958466", "-0",      "0x1F",      "1,5",
      "TRUE",       "#REF!",   "  7  ",   "&#x1F600;", "\xF0\x9F\x98\x80",
      "Thu\xCC\x80"};
  return values;
}

const std::vector<std::string>& XmlSnippets() {
  static const std::vector<std::string> snippets = {
      // Tags out of place.
      "<row>", "</row>", "<c>", "</c>", "<v>", "</v>", "<t>", "</t>", "<x:row>", "<sheetData>",
      "</sheetData>",
      // Elements where they may or may not belong.
      "<c r=\"B2\" t=\"s\"><v>0</v></c>", "<row r=\"3\"><c><v>1</v></c></row>",
      "<c r=\"XFD5\"><v>1</v></c>", "<mergeCell ref=\"A1:B2\"/>",
      "<mergeCells><mergeCell ref=\"A1:C3\"/></mergeCells>", "<is><t>x</t></is>",
      "<si><t>y</t></si>", "<xf numFmtId=\"14\"/>",
      "<sheet name=\"N\" sheetId=\"9\" r:id=\"rId1\"/>",
      // Other XML, and what is not XML.
      "<!-- c -->", "<![CDATA[<c>]]>", "<?pi x?>", "&amp;", "&bad;", "\xEF\xBB\xBF", "\"", ">",
      "<"};
  return snippets;
}

// Offsets just after each occurrence of `needle`.
std::vector<size_t> After(const std::string& s, std::string_view needle) {
  std::vector<size_t> out;
  for (size_t at = s.find(needle); at != std::string::npos; at = s.find(needle, at + 1)) {
    out.push_back(at + needle.size());
  }
  return out;
}

struct XmlMutationState {
  std::vector<std::string> notes;
};

// One structured change to a part's XML: an attribute or a text given a bad value, a snippet
// inserted, a tag broken, an entity declared, or bytes mutated. Merges across every column (with,
// sometimes, a cell far right that widens the sheet) and long texts meet: xlsx.h bounds what
// filling them makes.
void MutateXml(Rng& rng, std::string& xml, XmlMutationState& state, const Mutator& bytes) {
  switch (rng.Between(0, 6)) {
    case 0: {  // an attribute's value
      static const std::vector<std::string> kAttrs = {
          " r=\"",     " ref=\"", " t=\"",   " s=\"",           " numFmtId=\"", " name=\"",
          "Target=\"", "Id=\"",   "r:id=\"", " uniqueCount=\"", " date1904=\"", " formatCode=\""};
      const std::string& attr = rng.Pick(kAttrs);
      std::vector<size_t> at = After(xml, attr);
      if (at.empty()) break;
      size_t from = rng.Pick(at);
      size_t to = xml.find('"', from);
      if (to == std::string::npos) break;
      std::string value = rng.Pick(BadAttributeValues());
      const bool wide_merge = attr == " ref=\"" && rng.Chance(15);
      if (wide_merge) value = rng.Chance(50) ? "A1:XFD1" : "A1:XFD1048576";
      state.notes.push_back(attr + value);
      xml.replace(from, to - from, value);
      // An empty cell in the last column, ending the first row: the sheet is as wide as can be.
      const size_t row_end = xml.find("</row>");
      if (wide_merge && row_end != std::string::npos && rng.Chance(50)) {
        xml.insert(row_end, "<c r=\"XFD1\" s=\"0\"/>");
        state.notes.back() += " and a cell at XFD1";
      }
      break;
    }
    case 1: {  // a <v> or <t> text
      std::vector<size_t> at = After(xml, "<v>");
      for (size_t p : After(xml, "<t>")) at.push_back(p);
      for (size_t p : After(xml, "<x:v>")) at.push_back(p);
      if (at.empty()) break;
      size_t from = rng.Pick(at);
      size_t to = xml.find('<', from);
      if (to == std::string::npos) break;
      std::string value = rng.Pick(BadTextValues());
      if (rng.Chance(10)) {
        value.assign(kReadChunk + UpTo(rng, 8192), 'x');
        if (rng.Chance(50)) value.replace(kReadChunk - 1, 3, "\xE1\xBB\x87");  // a letter inside
      }
      state.notes.push_back("text " + Printable(value, 40));
      xml.replace(from, to - from, value);
      break;
    }
    case 2: {  // a snippet where a tag starts
      std::vector<size_t> at;
      for (size_t p = xml.find('<'); p != std::string::npos; p = xml.find('<', p + 1)) {
        at.push_back(p);
      }
      const std::string& snippet = rng.Pick(XmlSnippets());
      state.notes.push_back("snippet " + Printable(snippet));
      xml.insert(at.empty() ? UpTo(rng, xml.size()) : rng.Pick(at), snippet);
      break;
    }
    case 3: {  // a broken tag: one '<' or '>' gone
      std::vector<size_t> at;
      for (size_t p = xml.find_first_of("<>"); p != std::string::npos;
           p = xml.find_first_of("<>", p + 1)) {
        at.push_back(p);
      }
      if (at.empty()) break;
      state.notes.push_back("broken tag");
      xml.erase(rng.Pick(at), 1);
      break;
    }
    case 4: {  // entities declared ahead of the root, one used in a text
      size_t root = xml.starts_with("<?xml") ? xml.find("?>") : std::string::npos;
      root = root == std::string::npos ? 0 : root + 2;
      xml.insert(root,
                 "<!DOCTYPE x [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;\">"
                 "<!ENTITY ext SYSTEM \"file:///etc/passwd\">]>");
      std::vector<size_t> at = After(xml, "<t>");
      if (!at.empty()) xml.insert(rng.Pick(at), rng.Chance(50) ? "&b;" : "&ext;");
      state.notes.push_back("doctype");
      break;
    }
    default: {  // byte mutations, whose runs can make a long text
      state.notes.push_back("bytes");
      xml = bytes.Mutate(rng, std::move(xml));
      break;
    }
  }
}

// A mutated workbook: XML changed before zipping, the zipped bytes changed, or both.
struct XlsxInput {
  std::string bytes;
  size_t largest_part = 0;  // uncompressed, when the parts are known; else 0
  std::string description;
};

XlsxInput MakeXlsxInput(Rng& rng, const std::vector<Parts>& seeds, const Mutator& xml_bytes,
                        const Mutator& zip_bytes) {
  Parts parts = rng.Pick(seeds);
  XlsxInput input;
  const int mode = static_cast<int>(rng.Between(0, 9));
  const bool xml = mode <= 7;  // 70% XML only, 10% both, 20% zip bytes only
  const bool raw = mode >= 7;
  if (xml) {
    XmlMutationState state;
    for (size_t n = UpTo(rng, 3) + 1; n > 0; --n) {
      std::vector<std::string> names;
      for (const auto& [name, body] : parts) {
        // Sheets weigh most, as they are what is streamed.
        int weight = name.find("worksheets/") != std::string::npos ? 6
                     : name.ends_with("sharedStrings.xml")         ? 3
                                                                   : 1;
        for (int w = 0; w < weight; ++w) names.push_back(name);
      }
      if (names.empty()) break;
      const std::string name = rng.Pick(names);
      if (rng.Chance(4)) {  // a part gone
        input.description += "drop " + name + "; ";
        parts.erase(name);
        continue;
      }
      const size_t notes = state.notes.size();
      MutateXml(rng, parts[name], state, xml_bytes);
      input.description +=
          name + ": " + (state.notes.size() > notes ? state.notes.back() : "unchanged") + "; ";
    }
  }
  for (const auto& [name, body] : parts) {
    input.largest_part = std::max(input.largest_part, body.size());
  }
  input.bytes = ZipBytes(parts, rng.Chance(50));
  if (raw) {
    input.description += "zip bytes mutated";
    input.bytes = rng.Chance(50) ? zip_bytes.MutateInPlace(rng, std::move(input.bytes))
                                 : zip_bytes.Mutate(rng, std::move(input.bytes));
    input.largest_part = 0;
  }
  return input;
}

struct SheetRead {
  Rows rows;
  std::vector<size_t> numbers;
  std::optional<Error> error;
  std::vector<CellRange> merged;
};

std::string ErrorText(const std::optional<Error>& e) {
  return e ? e->code + ": " + e->message : "(none)";
}

// Reads the selected sheet to its end, checking each row.
SheetRead ReadSheet(XlsxReader& reader, size_t buffer_limit) {
  SheetRead out;
  out.merged = reader.merged_ranges();
  std::vector<std::string> cells;
  while (reader.Next(cells)) {
    EXPECT_FALSE(cells.empty());
    EXPECT_FALSE(cells.back().empty()) << "a row ends at its last value";
    EXPECT_LE(cells.size(), kMaxColumns);
    EXPECT_GE(reader.row(), 1u);
    EXPECT_LE(reader.row(), 1048576u);  // Excel's last row
    EXPECT_FALSE(reader.IsDate(cells.size()));
    for (const std::string& cell : cells) {
      EXPECT_TRUE(text::IsValidUtf8(cell)) << Printable(cell);
    }
    EXPECT_LE(reader.buffer_bytes(), buffer_limit);
    out.rows.push_back(cells);
    out.numbers.push_back(reader.row());
    // Each row takes bytes of XML: more rows than the limit's bytes is a reader that loops.
    if (out.rows.size() > buffer_limit) {
      ADD_FAILURE() << "more rows than the sheet can hold";
      return out;
    }
  }
  EXPECT_TRUE(cells.empty());
  out.error = reader.error();
  if (out.error) {
    EXPECT_EQ(out.error->code, "xlsx.malformed") << out.error->message;
    EXPECT_FALSE(reader.Next(cells)) << "Next after an error returned a row";
  }
  return out;
}

void ExpectSameRead(const SheetRead& a, const SheetRead& b) {
  EXPECT_EQ(a.rows, b.rows);
  EXPECT_EQ(a.numbers, b.numbers);
  EXPECT_EQ(ErrorText(a.error), ErrorText(b.error));
  EXPECT_EQ(a.merged, b.merged);
}

void CheckMergedRanges(const std::vector<CellRange>& merged) {
  for (size_t i = 0; i < merged.size(); ++i) {
    const CellRange& r = merged[i];
    EXPECT_GE(r.first_row, 1u);
    EXPECT_LE(r.first_row, r.last_row);
    EXPECT_LE(r.first_col, r.last_col);
    EXPECT_LT(r.last_col, kMaxColumns);
    if (i > 0) {
      EXPECT_LE(std::pair(merged[i - 1].first_row, merged[i - 1].first_col),
                std::pair(r.first_row, r.first_col));
    }
  }
}

bool InMerged(const std::vector<CellRange>& merged, size_t row, size_t col) {
  return std::any_of(merged.begin(), merged.end(),
                     [&](const CellRange& r) { return r.Contains(row, col); });
}

// Filling stops at 1024 columns (xlsx.h): past them a filled row holds what the plain row holds,
// or a range's own first column.
void CheckFillWidth(const SheetRead& plain, const SheetRead& filled) {
  constexpr size_t kMaxFillColumns = 1024;
  std::map<size_t, const std::vector<std::string>*> plain_rows;
  for (size_t i = 0; i < plain.rows.size(); ++i)
    plain_rows.emplace(plain.numbers[i], &plain.rows[i]);
  for (size_t i = 0; i < filled.rows.size(); ++i) {
    const size_t row = filled.numbers[i];
    const auto found = plain_rows.find(row);
    const std::vector<std::string> none;
    const std::vector<std::string>& a = found == plain_rows.end() ? none : *found->second;
    const std::vector<std::string>& b = filled.rows[i];
    for (size_t col = kMaxFillColumns; col < b.size(); ++col) {
      if (b[col].empty() || (col < a.size() && a[col] == b[col])) continue;
      EXPECT_TRUE(std::any_of(
          filled.merged.begin(), filled.merged.end(),
          [&](const CellRange& r) { return r.first_col == col && r.Contains(row, col); }))
          << "row " << row << " filled at column " << col;
    }
  }
}

// Filling merged ranges only adds: the rows read without it come back (when row numbers are
// unique), equal outside the merged ranges, and the reading ends the same way.
void CheckFillOnlyAdds(const SheetRead& plain, const SheetRead& filled) {
  EXPECT_EQ(ErrorText(plain.error), ErrorText(filled.error));
  EXPECT_EQ(plain.merged, filled.merged);
  if (!std::is_sorted(filled.numbers.begin(), filled.numbers.end()) ||
      std::adjacent_find(filled.numbers.begin(), filled.numbers.end()) != filled.numbers.end()) {
    return;
  }
  size_t j = 0;
  for (size_t i = 0; i < plain.rows.size(); ++i) {
    while (j < filled.numbers.size() && filled.numbers[j] < plain.numbers[i]) ++j;
    if (j == filled.numbers.size() || filled.numbers[j] != plain.numbers[i]) {
      ADD_FAILURE() << "row " << plain.numbers[i] << " is missing once merges are filled";
      return;
    }
    const auto& a = plain.rows[i];
    const auto& b = filled.rows[j];
    for (size_t col = 0; col < std::max(a.size(), b.size()); ++col) {
      if (InMerged(plain.merged, plain.numbers[i], col)) continue;
      EXPECT_EQ(col < a.size() ? a[col] : "", col < b.size() ? b[col] : "")
          << "row " << plain.numbers[i] << " column " << col;
    }
  }
}

// Reads every sheet of a workbook twice (selecting a sheet again rewinds it), checking each.
// Returns the reads, by sheet index; sheets of the same name are read once.
std::vector<SheetRead> ReadWorkbook(XlsxReader& reader, size_t buffer_limit) {
  const std::vector<std::string> names = reader.sheet_names();
  EXPECT_FALSE(names.empty());
  std::vector<SheetRead> reads;
  if (names.empty()) return reads;
  for (const std::string& name : names) EXPECT_TRUE(text::IsValidUtf8(name)) << Printable(name);
  // The first sheet is selected on opening (an error in it shows when reading).
  EXPECT_EQ(reader.sheet_name(), names[0]);
  SheetRead first = ReadSheet(reader, buffer_limit);
  std::set<std::string> seen;
  for (size_t i = 0; i < names.size(); ++i) {
    if (!seen.insert(names[i]).second) continue;
    SCOPED_TRACE("sheet " + std::to_string(i));
    SheetRead read;
    Status selected = reader.SelectSheet(names[i]);
    EXPECT_EQ(reader.sheet_name(), names[i]);
    if (!selected) {
      EXPECT_EQ(selected.error().code, "xlsx.malformed") << selected.error().message;
      EXPECT_EQ(ErrorText(reader.error()), ErrorText(selected.error()));
      std::vector<std::string> cells;
      EXPECT_FALSE(reader.Next(cells));
      read.error = selected.error();
    } else {
      CheckMergedRanges(reader.merged_ranges());
      read = ReadSheet(reader, buffer_limit);
      EXPECT_TRUE(reader.SelectSheet(names[i]));  // rewinds: the same rows again
      ExpectSameRead(ReadSheet(reader, buffer_limit), read);
    }
    if (i == 0) {
      // Opening selected the first sheet; a failure there shows as the first Next's error.
      EXPECT_EQ(first.rows, read.rows);
      EXPECT_EQ(ErrorText(first.error), ErrorText(read.error));
    }
    reads.push_back(std::move(read));
  }
  auto missing = reader.SelectSheet("\xFF no such sheet");
  EXPECT_FALSE(missing);
  if (!missing) return reads;
  EXPECT_EQ(missing.error().code, "xlsx.sheet_not_found");
  return reads;
}

// ReadXlsxSheet over the first sheet agrees with what the reader returned for it.
void CheckReadXlsxSheet(Rng& rng, const std::string& bytes, const SheetRead& filled) {
  auto reader = XlsxReader::OpenBuffer(bytes, {.fill_merged = true});
  ASSERT_TRUE(reader) << reader.error().message;
  const size_t min_cells = UpTo(rng, 3) + 1;
  SheetReadOptions options{
      .is_header = [&](const std::vector<std::string>& cells) { return cells.size() >= min_cells; },
      .is_date_column =
          [](const std::string& cell) {
            return text::FoldContains(cell, "ngay") || text::FoldContains(cell, "date");
          },
      .header_search_rows = UpTo(rng, 5) + 1,
      .max_rows = UpTo(rng, 10),
      .keep_rows_above_header = rng.Chance(50),
      .first_date_year = rng.Chance(50) ? 1970 : 1900};
  Result<XlsxSheet> sheet = ReadXlsxSheet(*reader, options);
  if (!sheet) {
    const std::string& code = sheet.error().code;
    // A cell far to the right ("XFD1") makes a row wider than the column limit.
    EXPECT_TRUE(code == kSheetTooManyRows || code == "xlsx.malformed" ||
                code == "file.too_many_columns")
        << code;
    if (code == "xlsx.malformed") {
      EXPECT_TRUE(filled.error.has_value()) << sheet.error().message;
      if (filled.error) {
        EXPECT_EQ(sheet.error().message, filled.error->message);
      }
    }
    return;
  }
  const Sheet& s = sheet->sheet;
  EXPECT_EQ(s.rows.size(), s.row_numbers.size());
  EXPECT_LE(s.rows.size(), std::max(options.max_rows, options.header_search_rows + 1));
  EXPECT_LE(s.rows.size(), filled.rows.size());
  EXPECT_EQ(sheet->first_row, filled.numbers.empty() ? 0 : filled.numbers[0]);
  if (sheet->header) {
    EXPECT_LT(*sheet->header, s.rows.size());
    if (!options.keep_rows_above_header) {
      EXPECT_EQ(*sheet->header, 0u);
    }
  } else if (!options.keep_rows_above_header) {
    EXPECT_TRUE(s.rows.empty());
  }
  for (size_t i = 0; i < s.rows.size(); ++i) {
    EXPECT_TRUE(std::find(filled.numbers.begin(), filled.numbers.end(), s.row_numbers[i]) !=
                filled.numbers.end())
        << "row " << s.row_numbers[i] << " was not in the sheet";
    for (const std::string& cell : s.rows[i]) EXPECT_TRUE(text::IsValidUtf8(cell));
  }
}

// What the mutated workbooks reached, printed after the run: inputs that only test the zip
// layer say little about the XML handlers.
struct XlsxOutcomes {
  std::map<std::string, size_t> open_errors;  // by code
  size_t opened = 0;
  size_t sheets_read = 0;    // to their end
  size_t sheets_failed = 0;  // xlsx.malformed on selecting or reading
  size_t rows = 0;

  std::string Summary() const {
    std::string out = "opened " + std::to_string(opened) + "; sheets read to the end " +
                      std::to_string(sheets_read) + ", failing " + std::to_string(sheets_failed) +
                      "; rows " + std::to_string(rows) + "; not opened:";
    for (const auto& [code, n] : open_errors) out += " " + code + " " + std::to_string(n);
    return out;
  }
};

void CheckXlsx(Rng& rng, const XlsxInput& input, XlsxOutcomes& outcomes) {
  // A sheet stream holds a chunk, the cell text being collected and the row being assembled;
  // the row is the caller's once returned, and a cell's text is at most its part.
  const size_t inflated = input.largest_part != 0 ? input.largest_part : 1100 * input.bytes.size();
  // Entities (<!ENTITY b "&a;&a;...">) expand a text some twenty times.
  const size_t buffer_limit = 2 * kReadChunk + 32 * inflated + 4096;

  auto plain = XlsxReader::OpenBuffer(input.bytes);
  auto filled = XlsxReader::OpenBuffer(input.bytes, {.fill_merged = true});
  ASSERT_EQ(plain.has_value(), filled.has_value());
  if (!plain) {
    const std::string& code = plain.error().code;
    EXPECT_TRUE(code == "xlsx.not_xlsx" || code == "xlsx.malformed" || code == "xlsx.open_failed")
        << code << ": " << plain.error().message;
    EXPECT_FALSE(plain.error().message.empty());
    EXPECT_EQ(ErrorText(plain.error()), ErrorText(filled.error()));
    ++outcomes.open_errors[code];
    return;
  }
  ++outcomes.opened;
  EXPECT_EQ(plain->sheet_names(), filled->sheet_names());
  EXPECT_EQ(plain->date1904(), filled->date1904());
  std::vector<SheetRead> plain_reads = ReadWorkbook(*plain, buffer_limit);
  std::vector<SheetRead> filled_reads = ReadWorkbook(*filled, buffer_limit);
  ASSERT_EQ(plain_reads.size(), filled_reads.size());
  for (size_t i = 0; i < plain_reads.size(); ++i) {
    SCOPED_TRACE("sheet " + std::to_string(i) + ", merges filled");
    CheckFillOnlyAdds(plain_reads[i], filled_reads[i]);
    CheckFillWidth(plain_reads[i], filled_reads[i]);
    ++(filled_reads[i].error ? outcomes.sheets_failed : outcomes.sheets_read);
    outcomes.rows += filled_reads[i].rows.size();
  }
  if (!filled_reads.empty()) CheckReadXlsxSheet(rng, input.bytes, filled_reads[0]);
}

TEST(FuzzXlsx, SeedsReadCleanly) {
  for (const Parts& parts : XlsxSeeds()) {
    auto reader = XlsxReader::OpenBuffer(ZipBytes(parts, false), {.fill_merged = true});
    ASSERT_TRUE(reader) << reader.error().message;
    for (const std::string& name : reader->sheet_names()) {
      ASSERT_TRUE(reader->SelectSheet(name));
      SheetRead read = ReadSheet(*reader, 2 * kReadChunk + 4096);
      EXPECT_FALSE(read.error) << name << ": " << read.error->message;
      EXPECT_FALSE(read.rows.empty()) << name;
    }
  }
}

TEST(FuzzXlsx, MutatedWorkbooksReadToTheEndOrFail) {
  const std::vector<Parts> seeds = XlsxSeeds();
  std::vector<std::string> xml_seeds, zip_seeds;
  for (const Parts& parts : seeds) {
    for (const auto& [name, body] : parts) xml_seeds.push_back(body);
    zip_seeds.push_back(ZipBytes(parts, false));
    zip_seeds.push_back(ZipBytes(parts, true));
  }
  std::vector<std::string> xml_tokens = XmlSnippets();
  for (const std::string& v : BadTextValues()) xml_tokens.push_back(v);
  const Mutator xml_bytes(xml_seeds, xml_tokens, size_t{256} << 10, /*chunk_runs=*/true);
  const Mutator zip_bytes(zip_seeds,
                          {"PK\x03\x04", "PK\x01\x02", "PK\x05\x06", std::string(4, '\0'),
                           "\xFF\xFF\xFF\xFF", "\xFF\xFF", "<row>", "</c>", "<v>1</v>"},
                          size_t{256} << 10, /*chunk_runs=*/false);
  XlsxOutcomes outcomes;
  RunTarget("xlsx", 400, [&](Rng& rng, std::string& bytes) {
    XlsxInput input = MakeXlsxInput(rng, seeds, xml_bytes, zip_bytes);
    bytes = input.bytes;
    SCOPED_TRACE("mutations: " + input.description);
    CheckXlsx(rng, input, outcomes);
  });
  std::printf("xlsx fuzz: %s\n", outcomes.Summary().c_str());
}

// --- Scalars: numbers, dates, cell references, serial dates, text ---------------------------

const std::vector<std::string>& ScalarSeeds() {
  static const std::vector<std::string> seeds = {
      // Numbers as files write them.
      "3.254.170", "8.536,44", "21.35", "30,509", "1 234", "-1\u00A0234,5", "+12", "1\u202F000",
      " 42 ", "1,234,567", "1.234,5", "9223372036854775807", "-9223372036854775808",
      "9223372036854775808", "0.1", "1e5", "", "đang cập nhật",
      // Dates.
      "2025-07-01", "01/07/2025", "1/7/2025", "29/02/2024", "29-02-2023", "2025-7-1", "31/04/2025",
      "0001-01-01", "9999-12-31",
      // Cell references and serial dates.
      "B2:D3", "XFD1048576", "A1:XFD1", "AA10", "45292", "60", "61", "2958465", "1e308",
      // Text: Vietnamese, combining marks, ill-formed UTF-8, odd spaces and letters.
      "Cơ sở Dữ liệu", "Hoà", "Hòa", "Ea H’Leo", "ĐẮK LẮK", "A\xCC\x80\xCC\x81", "\xC3",
      "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xC0\xAF", "\xEF\xBF\xBD", "\xE2\x80\xA8",
      "x\xC2\xA0\xC2\xA0y", "\t\n\r ", "ǅ", "ﬁ", "İ", "ẞ", "Ω", "\xEA\xB0\x80\xE1\x86\xA8"};
  return seeds;
}

const std::vector<std::string>& ScalarTokens() {
  static const std::vector<std::string> tokens = {
      // Separators and signs, digit groups.
      ".", ",", " ", "-", "+", "/", ":", "e", "Z", "000", "999", "\t", "\n",
      // Spaces, marks and letters beyond ASCII.
      "\xC2\xA0", "\xE2\x80\xAF", "\xE3\x80\x80", "\xCC\x80", "\xCC\xA3", "\xC4\x91", "\xC4\x90",
      "\xEF\xBB\xBF",
      // Bytes that are not UTF-8, and a NUL.
      "\xFF", "\xC3", "\xE1\xBB", std::string(1, '\0')};
  return tokens;
}

std::string RandomBytes(Rng& rng) {
  std::string s;
  const size_t n = UpTo(rng, rng.Chance(10) ? 256 : 16);
  // Sometimes from a small alphabet, so that digits and separators meet often.
  static constexpr std::string_view kAlphabet = "0123456789.,- /+\xC2\xA0\xCC\x80";
  const bool alphabet = rng.Chance(50);
  for (size_t i = 0; i < n; ++i) {
    s.push_back(alphabet ? kAlphabet[Below(rng, kAlphabet.size())]
                         : static_cast<char>(rng.Between(0, 255)));
  }
  return s;
}

std::string FixedDecimal(double d) {
  char buf[400];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::fixed);
  EXPECT_EQ(ec, std::errc());
  return std::string(buf, end);
}

std::string ColumnName(size_t col) {
  std::string name;
  for (size_t n = col + 1; n > 0; n = (n - 1) / 26) {
    name.insert(name.begin(), static_cast<char>('A' + (n - 1) % 26));
  }
  return name;
}

size_t Count(std::string_view s, std::string_view needle) {
  size_t n = 0;
  for (size_t at = s.find(needle); at != std::string_view::npos; at = s.find(needle, at + 1)) ++n;
  return n;
}

void CheckNumbers(const std::string& s) {
  const std::optional<int64_t> integer = number::ParseInteger(s);
  const std::optional<double> decimal = number::ParseDecimal(s);
  // Spaces around do not matter.
  EXPECT_EQ(number::ParseInteger("  " + s + "\t"), integer);
  EXPECT_EQ(number::ParseDecimal("\t" + s + " "), decimal);
  if (integer) {
    EXPECT_EQ(number::ParseInteger(std::to_string(*integer)), integer);
    EXPECT_EQ(number::ParseDecimal(std::to_string(*integer)), static_cast<double>(*integer));
    EXPECT_EQ(s.find_first_not_of("0123456789+-., \t\xC2\xA0\xE2\x80\xAF"), std::string::npos);
  }
  if (decimal) {
    EXPECT_TRUE(std::isfinite(*decimal));
    EXPECT_EQ(number::ParseDecimal(FixedDecimal(*decimal)), decimal);
    EXPECT_EQ(s.find_first_not_of("0123456789+-., \t\xC2\xA0\xE2\x80\xAF"), std::string::npos);
  }
  // Without separators both read the same digits.
  if (integer && s.find_first_of(".,") == std::string::npos && *integer < (int64_t{1} << 53) &&
      *integer > -(int64_t{1} << 53)) {
    EXPECT_EQ(decimal, static_cast<double>(*integer));
  }
}

void CheckDate(const std::string& s) {
  const std::optional<Date> date = Date::Parse(s);
  EXPECT_EQ(Date::Parse(" \t" + s + "\t "), date);
  if (!date) return;
  EXPECT_GE(date->year, 1);
  EXPECT_LE(date->year, 9999);
  EXPECT_GE(date->month, 1);
  EXPECT_LE(date->month, 12);
  EXPECT_GE(date->day, 1);
  EXPECT_LE(date->day, 31);
  EXPECT_EQ(Date::Parse(date->ToString()), date) << date->ToString();
  char day_first[32];
  std::snprintf(day_first, sizeof day_first, "%02d/%02d/%04d", date->day, date->month, date->year);
  EXPECT_EQ(Date::Parse(day_first), date) << day_first;
}

void CheckCellRangeAndSerial(const std::string& s) {
  if (std::optional<CellRange> range = ParseCellRange(s)) {
    EXPECT_GE(range->first_row, 1u);
    EXPECT_LE(range->first_row, range->last_row);
    EXPECT_LE(range->first_col, range->last_col);
    EXPECT_LT(range->last_col, kMaxColumns);
    EXPECT_TRUE(range->Contains(range->first_row, range->first_col));
    EXPECT_TRUE(range->Contains(range->last_row, range->last_col));
    const std::string text = ColumnName(range->first_col) + std::to_string(range->first_row) + ":" +
                             ColumnName(range->last_col) + std::to_string(range->last_row);
    EXPECT_EQ(ParseCellRange(text), range) << text;
  }
  for (bool date1904 : {false, true}) {
    if (std::optional<Date> date = ExcelSerialToDate(s, date1904)) {
      EXPECT_GE(date->year, 1900);
      EXPECT_LE(date->year, 9999);
      EXPECT_EQ(Date::Parse(date->ToString()), date) << date->ToString();
    }
  }
}

bool HasAsciiUpper(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

// Collapsed whitespace: single ASCII spaces between words, none at the edges, no other
// ASCII whitespace.
void ExpectCollapsed(std::string_view s) {
  EXPECT_FALSE(s.starts_with(' ')) << Printable(s);
  EXPECT_FALSE(s.ends_with(' ')) << Printable(s);
  EXPECT_EQ(s.find("  "), std::string_view::npos) << Printable(s);
  EXPECT_EQ(s.find_first_of("\t\n\r\v\f"), std::string_view::npos) << Printable(s);
}

void CheckText(const std::string& s) {
  const bool valid = text::IsValidUtf8(s);
  const std::string nfc = text::Nfc(s);
  EXPECT_TRUE(text::IsValidUtf8(nfc)) << Printable(nfc);
  EXPECT_EQ(text::Nfc(nfc), nfc) << "NFC is idempotent";
  // Only ill-formed bytes become U+FFFD.
  if (valid) {
    EXPECT_EQ(Count(nfc, kReplacement), Count(s, kReplacement));
  } else {
    EXPECT_GT(Count(nfc, kReplacement), Count(s, kReplacement));
  }
  if (std::all_of(s.begin(), s.end(),
                  [](char c) { return static_cast<unsigned char>(c) < 0x80; })) {
    EXPECT_EQ(nfc, s);
  }

  const std::string collapsed = text::CollapseSpaces(s);
  ExpectCollapsed(collapsed);
  EXPECT_EQ(text::CollapseSpaces(collapsed), collapsed);

  const std::string folded = text::Fold(s);
  EXPECT_TRUE(text::IsValidUtf8(folded)) << Printable(folded);
  ExpectCollapsed(folded);
  EXPECT_FALSE(HasAsciiUpper(folded)) << Printable(folded);
  // Known issue (see FuzzTextKnownIssue): utf8proc 2.8 drops U+11A7 after a Hangul syllable.
  if (s.find("\xE1\x86\xA7") == std::string::npos) {
    EXPECT_EQ(text::Fold(nfc), folded) << "folding reads through NFC";
  }
  EXPECT_EQ(text::Fold(folded), folded) << "folding is idempotent";

  const std::string alnum = text::FoldAlnum(s);
  EXPECT_EQ(alnum.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789"), std::string::npos)
      << Printable(alnum);
  EXPECT_TRUE(text::FoldContains(s, s));
  EXPECT_TRUE(text::FoldContains(s, ""));
}

TEST(FuzzScalars, NumbersDatesReferencesAndTextKeepTheirInvariants) {
  const Mutator mutator(ScalarSeeds(), ScalarTokens(), 1024, /*chunk_runs=*/false);
  RunTarget("scalars", 5000, [&](Rng& rng, std::string& input) {
    input = rng.Chance(30) ? RandomBytes(rng) : mutator.Generate(rng);
    SCOPED_TRACE("input: " + Printable(input));
    CheckNumbers(input);
    CheckDate(input);
    CheckCellRangeAndSerial(input);
    CheckText(input);
  });
}

// Known issue, left out of the invariants above: utf8proc 2.8.0 (the packaged version) composes
// a Hangul LV syllable with U+11A7 as if it were a trailing consonant (those are U+11A8..U+11C2),
// adding nothing, so text::Nfc drops the U+11A7: "가\u11A7" becomes "가". Fixed upstream by
// JuliaStrings/utf8proc#317 (November 2025). Enable once pdh builds with a fixed utf8proc or
// works around it.
TEST(FuzzTextKnownIssue, DISABLED_NfcKeepsAJamoThatComposesWithNothing) {
  EXPECT_EQ(text::Nfc("\uAC00\u11A7"), "\uAC00\u11A7");
  EXPECT_EQ(text::Nfc("\u1100\u1161\u11A7"), "\uAC00\u11A7");
  EXPECT_EQ(text::Fold("\uAC00\u11A7"), text::Fold(text::Nfc("\uAC00\u11A7")));
}

TEST(FuzzScalars, SeedsParseAsDocumented) {
  // A sanity check of the harness: the seeds the mutations start from mean what they say.
  EXPECT_EQ(number::ParseInteger("3.254.170"), 3254170);
  EXPECT_EQ(number::ParseDecimal("8.536,44"), 8536.44);
  EXPECT_EQ(Date::Parse("29/02/2024"), (Date{2024, 2, 29}));
  EXPECT_EQ(ParseCellRange("A1:XFD1"), (CellRange{1, 0, 1, 16383}));
  EXPECT_EQ(text::Fold("Cơ sở Dữ liệu"), "co so du lieu");
  EXPECT_EQ(ColumnName(0), "A");
  EXPECT_EQ(ColumnName(26), "AA");
  EXPECT_EQ(ColumnName(16383), "XFD");
  for (const std::string& s : ScalarSeeds()) {
    SCOPED_TRACE(Printable(s));
    CheckNumbers(s);
    CheckDate(s);
    CheckCellRangeAndSerial(s);
    CheckText(s);
  }
}

}  // namespace
}  // namespace pdh
