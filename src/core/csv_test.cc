// Tests for the streaming CSV reader: the csv-spectrum suite, real export quirks, error
// reporting, bounded memory on large streams, and the real administrative-unit files.
#include "core/csv.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace pdh {
namespace {

namespace fs = std::filesystem;
using Rows = std::vector<std::vector<std::string>>;
using Record = std::map<std::string, std::string>;

const fs::path kShared = PDH_SHARED_DIR;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << path;
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

Rows ReadAll(CsvReader& reader) {
  Rows rows;
  std::vector<std::string> fields;
  while (reader.Next(fields)) rows.push_back(fields);
  return rows;
}

Rows Parse(const std::string& text, CsvOptions options = {}) {
  std::istringstream in(text);
  CsvReader reader(in, options);
  Rows rows = ReadAll(reader);
  EXPECT_FALSE(reader.error()) << reader.error()->message;
  return rows;
}

// Records keyed by the first row, as csv-spectrum's expectations are written.
std::vector<Record> ParseWithHeader(const std::string& text) {
  Rows rows = Parse(text);
  std::vector<Record> records;
  for (size_t r = 1; r < rows.size(); ++r) {
    Record record;
    for (size_t i = 0; i < rows[0].size() && i < rows[r].size(); ++i) {
      record[rows[0][i]] = rows[r][i];
    }
    records.push_back(record);
  }
  return records;
}

std::vector<Record> ExpectedRecords(const fs::path& path) {
  boost::json::value json = boost::json::parse(ReadFile(path));
  // The stored location_coordinates.json holds one object rather than an array of one.
  boost::json::array array = json.is_array() ? json.as_array() : boost::json::array{json};
  std::vector<Record> records;
  for (const boost::json::value& item : array) {
    Record record;
    for (const auto& [key, value] : item.as_object()) {
      record[std::string(key)] = std::string(value.as_string());
    }
    records.push_back(record);
  }
  return records;
}

// Where the stored copy of csv-spectrum disagrees with itself, we check what the CSV holds.
// location_coordinates: the JSON says "1234567890"; the CSV (and upstream, as 02095257564)
// says otherwise.
void CorrectKnownErrata(const std::string& name, std::vector<Record>& expected) {
  if (name == "location_coordinates" && expected.size() == 1) {
    expected[0]["Contact Phone Number"] = "2095257564";
  }
}

// The stored *_crlf.csv files lost their CRs (their JSON still expects "\r\n" inside quoted
// fields), so the CRLF file they stand for is rebuilt from them.
std::string RestoreCrlf(const std::string& text) {
  if (text.find('\r') != std::string::npos) return text;
  std::string out;
  for (char c : text) {
    if (c == '\n') out.push_back('\r');
    out.push_back(c);
  }
  return out;
}

TEST(CsvSpectrum, EveryCaseMatchesItsJson) {
  const fs::path suite = kShared / "data/testsuites/csv-spectrum";
  size_t cases = 0;
  for (const fs::directory_entry& entry : fs::directory_iterator(suite / "csvs")) {
    std::string name = entry.path().stem().string();
    SCOPED_TRACE(name);
    std::string text = ReadFile(entry.path());
    if (name.ends_with("_crlf")) text = RestoreCrlf(text);
    std::vector<Record> expected = ExpectedRecords(suite / "json" / (name + ".json"));
    CorrectKnownErrata(name, expected);
    EXPECT_EQ(ParseWithHeader(text), expected);
    ++cases;
  }
  EXPECT_EQ(cases, 12u);
}

TEST(Csv, SkipsBomAndDetectsDelimiter) {
  EXPECT_EQ(Parse("\xEF\xBB\xBFMã;Tên\n001;Phúc Xá\n"), (Rows{{"Mã", "Tên"}, {"001", "Phúc Xá"}}));
  EXPECT_EQ(Parse("a\tb\tc,d\n1\t2\t3,4\n"), (Rows{{"a", "b", "c,d"}, {"1", "2", "3,4"}}));
  // Separators inside quotes do not count: two ';' outside, three ',' inside.
  EXPECT_EQ(Parse("\"x,y,z,w\";b;c\n"), (Rows{{"x,y,z,w", "b", "c"}}));
  EXPECT_EQ(Parse("a;b,c\n"), (Rows{{"a;b", "c"}}));  // tie: ','
  EXPECT_EQ(Parse("abc\n"), (Rows{{"abc"}}));
  EXPECT_EQ(Parse("a;b\n", {.delimiter = ','}), (Rows{{"a;b"}}));
}

TEST(Csv, ReportsDetectedDelimiter) {
  std::istringstream in("\n\na;b;c\n");
  CsvReader reader(in);
  std::vector<std::string> fields;
  ASSERT_TRUE(reader.Next(fields));
  EXPECT_EQ(reader.delimiter(), ';');
  EXPECT_EQ(reader.line(), 3u);
}

// A quote inside an unquoted field is text to the reader, so detection reads it as text too:
// it neither hides the separators after it nor makes detection look past the first record.
TEST(Csv, DetectionReadsQuotesAsTheReaderDoes) {
  EXPECT_EQ(Parse("id\"x;name\n1;2\n"), (Rows{{"id\"x", "name"}, {"1", "2"}}));
  EXPECT_EQ(Parse("37\"N;x;y\n"), (Rows{{"37\"N", "x", "y"}}));
  // Quoted at a field's start only: the ',' inside "x,y" does not count, the one after 37" does.
  EXPECT_EQ(Parse("a;\"x,y\";b\n"), (Rows{{"a", "x,y", "b"}}));
  EXPECT_EQ(Parse("a,b\"c;d\n"), (Rows{{"a", "b\"c;d"}}));  // tie: ','
  // Text after a closing quote is unquoted again: the quote in it opens nothing.
  EXPECT_EQ(Parse("\"ab\"c\";d;e\n"), (Rows{{"abc\"", "d", "e"}}));
}

TEST(Csv, DetectionLooksAtABoundedPrefix) {
  std::string text = "id\"x;name\n";
  for (int i = 0; i < 100000; ++i) text += "1;2\n";
  std::istringstream in(text);
  CsvReader reader(in);
  std::vector<std::string> fields;
  ASSERT_TRUE(reader.Next(fields));
  EXPECT_EQ(reader.delimiter(), ';');
  EXPECT_EQ(fields, (std::vector<std::string>{"id\"x", "name"}));
  EXPECT_LE(reader.buffer_capacity(), 256u * 1024) << "input of " << text.size() << " bytes";
  size_t rows = 0;
  while (reader.Next(fields)) ++rows;
  EXPECT_FALSE(reader.error());
  EXPECT_EQ(rows, 100000u);

  // A first record beyond 64 KiB: only its start is looked at (no separator there, so ',').
  std::istringstream long_header(std::string(200'000, 'x') + ";y\n1;2\n");
  CsvReader long_reader(long_header);
  ASSERT_TRUE(long_reader.Next(fields));
  EXPECT_EQ(long_reader.delimiter(), ',');
  EXPECT_EQ(fields.size(), 1u);
}

TEST(Csv, LineEndings) {
  Rows expected{{"a", "b"}, {"1", "2"}};
  EXPECT_EQ(Parse("a,b\r\n1,2\r\n"), expected);
  EXPECT_EQ(Parse("a,b\n1,2\n"), expected);
  EXPECT_EQ(Parse("a,b\r1,2\r"), expected);
  EXPECT_EQ(Parse("a,b\r\n1,2"), expected);
  EXPECT_EQ(Parse("a,b\n\n\r\n1,2\n\n"), expected);  // empty lines yield no record
}

TEST(Csv, QuotingAsExportsDoIt) {
  EXPECT_EQ(Parse("\"a \"\"b\"\" c\",d\n"), (Rows{{"a \"b\" c", "d"}}));
  EXPECT_EQ(Parse("37\"N,x\n"), (Rows{{"37\"N", "x"}}));    // quote mid-field is text
  EXPECT_EQ(Parse("\"ab\"cd,e\n"), (Rows{{"abcd", "e"}}));  // text after closing quote
  EXPECT_EQ(Parse("\"\",,\"\"\n"), (Rows{{"", "", ""}}));
  EXPECT_EQ(Parse("a,b,\n"), (Rows{{"a", "b", ""}}));
  EXPECT_EQ(Parse("\"a\r\nb\",c\r\n"), (Rows{{"a\r\nb", "c"}}));
  EXPECT_EQ(Parse("\"x\""), (Rows{{"x"}}));
}

TEST(Csv, LinesCountNewlinesInsideQuotes) {
  std::istringstream in("h1,h2\n\"two\nlines\",x\n\n\"three\r\n\r\nlines\",y\rlast,z");
  CsvReader reader(in);
  std::vector<std::string> fields;
  std::vector<size_t> lines;
  while (reader.Next(fields)) lines.push_back(reader.line());
  EXPECT_EQ(lines, (std::vector<size_t>{1, 2, 5, 8}));
}

TEST(Csv, UnterminatedQuoteIsAnError) {
  std::istringstream in("a,b\n1,2\n3,\"never\nclosed\n4,5\n");
  CsvReader reader(in);
  std::vector<std::string> fields;
  ASSERT_TRUE(reader.Next(fields));
  ASSERT_TRUE(reader.Next(fields));
  EXPECT_FALSE(reader.Next(fields));
  ASSERT_TRUE(reader.error());
  EXPECT_EQ(reader.error()->code, "csv.unterminated_quote");
  EXPECT_EQ(reader.error()->status, 422);
  EXPECT_TRUE(reader.error()->message.starts_with("line 3: quoted field never closed; "))
      << reader.error()->message;
  EXPECT_FALSE(reader.Next(fields));  // stays failed
}

TEST(Csv, EmptyInput) {
  EXPECT_EQ(Parse(""), Rows{});
  EXPECT_EQ(Parse("\xEF\xBB\xBF"), Rows{});
  EXPECT_EQ(Parse("\r\n\n"), Rows{});
}

TEST(Csv, LargeStreamKeepsBufferSmall) {
  constexpr size_t kRows = 200'000;
  std::string text = "id;name;note\n";
  for (size_t i = 0; i < kRows; ++i) {
    text += std::to_string(i) + ";Xã Tân Đông " + std::to_string(i % 97) +
            (i % 1000 == 0 ? ";\"multi\nline; note\"\n" : ";plain\n");
  }
  std::istringstream in(text);
  CsvReader reader(in);
  std::vector<std::string> fields;
  ASSERT_TRUE(reader.Next(fields));
  size_t rows = 0;
  size_t max_capacity = 0;
  while (reader.Next(fields)) {
    ASSERT_EQ(fields.size(), 3u);
    ASSERT_EQ(fields[0], std::to_string(rows));
    ++rows;
    max_capacity = std::max(max_capacity, reader.buffer_capacity());
  }
  EXPECT_FALSE(reader.error());
  EXPECT_EQ(rows, kRows);
  EXPECT_GT(text.size(), 5'000'000u);
  EXPECT_LE(max_capacity, 256u * 1024);
  EXPECT_EQ(reader.line(), kRows + 1 + kRows / 1000);
}

TEST(Csv, LongRecordSpanningChunks) {
  std::string big(300'000, 'x');
  EXPECT_EQ(Parse("\"" + big + "\"\n" + big + ",y\n"), (Rows{{big}, {big, "y"}}));
}

// Counts verified with Python's csv module on the same files.
// A line of commas stops at the field limit, before its fields are all held (a 20 MB line of
// commas once took 872 MB as empty strings).
TEST(Csv, TooManyFieldsStopsEarly) {
  std::string line(size_t{4} << 20, ',');
  std::istringstream in("a,b\n1,2\n" + line + "\n3,4\n");
  CsvOptions options;
  options.max_fields = 100;
  CsvReader reader(in, options);
  std::vector<std::string> fields;
  ASSERT_TRUE(reader.Next(fields));
  ASSERT_TRUE(reader.Next(fields));
  EXPECT_FALSE(reader.Next(fields));
  ASSERT_TRUE(reader.error());
  EXPECT_EQ(reader.error()->code, kCsvTooManyFields);
  EXPECT_NE(reader.error()->message.find("line 3"), std::string::npos);
  EXPECT_LE(fields.capacity(), 128U);
  EXPECT_LT(reader.buffer_capacity(), size_t{1} << 20);
}

TEST(Csv, FieldTooLongStopsEarly) {
  // An opening quote never closed pulls the rest of the file into one field.
  std::istringstream in("a,b\n\"" + std::string(size_t{2} << 20, 'x'));
  CsvOptions options;
  options.max_field_bytes = 100000;
  CsvReader reader(in, options);
  std::vector<std::string> fields;
  ASSERT_TRUE(reader.Next(fields));
  EXPECT_FALSE(reader.Next(fields));
  ASSERT_TRUE(reader.error());
  EXPECT_EQ(reader.error()->code, kCsvFieldTooLong);
  EXPECT_LT(reader.buffer_capacity(), size_t{1} << 20);
}

TEST(CsvRealData, Crosswalk) {
  std::ifstream in(kShared / "data/vn-admin/crosswalk-2025.csv", std::ios::binary);
  ASSERT_TRUE(in);
  CsvReader reader(in);
  Rows rows = ReadAll(reader);
  EXPECT_FALSE(reader.error());
  ASSERT_EQ(rows.size(), 10'607u);
  for (const auto& row : rows) EXPECT_EQ(row.size(), 9u);
  EXPECT_EQ(rows[1][0], "Tỉnh, thành phố");
}

TEST(CsvRealData, CommunesCensus) {
  std::ifstream in(kShared / "data/vn-admin/communes-2025-census.csv", std::ios::binary);
  ASSERT_TRUE(in);
  CsvReader reader(in);
  Rows rows = ReadAll(reader);
  EXPECT_FALSE(reader.error());
  ASSERT_EQ(rows.size(), 3'322u);
  for (const auto& row : rows) EXPECT_EQ(row.size(), 15u);
  EXPECT_EQ(rows[0][12], "truocsapnhap");
}

TEST(CsvRealData, PreReformCommunesWithBom) {
  std::ifstream in(kShared / "data/vn-admin/communes-pre2025.csv", std::ios::binary);
  ASSERT_TRUE(in);
  CsvReader reader(in);
  Rows rows = ReadAll(reader);
  EXPECT_FALSE(reader.error());
  ASSERT_EQ(rows.size(), 10'036u);
  EXPECT_EQ(rows[0][0], "Mã");
  EXPECT_EQ(rows.back()[1], "Xã Đất Mũi");
}

}  // namespace
}  // namespace pdh
