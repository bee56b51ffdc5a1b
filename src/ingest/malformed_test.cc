// Malformed input, case by case: each file of the table below goes through IngestBytes into a
// dataset of its own, and must end exactly as its case says — a whole-file error (its code and
// a part of its message that says what and where), or a batch report (its status, how many rows
// were written and the exact list of row errors). A rejected batch writes no record; a file
// error stores no batch at all.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include "core/encoding.h"
#include "core/text.h"
#include "core/xlsx_test_support.h"
#include "ingest/test_support.h"

namespace pdh::ingest {
namespace {

using ::testing::HasSubstr;
using testing::IngestTest;
namespace fs = std::filesystem;
namespace xt = xlsx_testing;

// The small schema's columns (test_support.h), and a row that passes.
constexpr const char* kMalformedHeader = "id,unit,count,amount,day,kind,note\n";
constexpr const char* kGood = "A1,25459,1,,,,\n";
// The dossiers template's columns used here, and a row that passes.
constexpr const char* kDossierHeader =
    "dossier_id,receiving_unit,procedure_code,received_at,channel,status,applicant_id,"
    "locality_free\n";
constexpr const char* kGoodDossier = "D1,25459,1.001,03/10/2025 08:15,Trực tuyến,Đã tiếp nhận,,\n";

std::string Small(const std::string& rows) {
  return kMalformedHeader + rows;
}
std::string Dossiers(const std::string& rows) {
  return kDossierHeader + rows;
}

// One row error as the report gives it.
struct RowErr {
  int64_t row;
  std::string column;
  std::string code;
  bool operator==(const RowErr&) const = default;
};
void PrintTo(const RowErr& e, std::ostream* os) {
  *os << "(" << e.row << ", \"" << e.column << "\", " << e.code << ")";
}

// What a case must end with: a file error (file_code set), or a batch report.
struct Expect {
  std::string file_code;
  std::string message_has;  // file error: part of its message
  std::string status;       // batch: "committed" | "rejected"
  int64_t read = 0;
  int64_t imported = 0;
  std::vector<RowErr> errors;
  std::string warning_has;  // batch: part of one warning ("" for none expected)
};

Expect FileError(std::string code, std::string message_has) {
  return {.file_code = std::move(code), .message_has = std::move(message_has)};
}
// All rows written (or, accepting valid rows, the valid ones, with `errors` for the others).
Expect Committed(int64_t read, int64_t imported, std::vector<RowErr> errors = {},
                 std::string warning_has = "") {
  return {.status = "committed",
          .read = read,
          .imported = imported,
          .errors = std::move(errors),
          .warning_has = std::move(warning_has)};
}
Expect Rejected(int64_t read, std::vector<RowErr> errors, std::string warning_has = "") {
  return {.status = "rejected",
          .read = read,
          .errors = std::move(errors),
          .warning_has = std::move(warning_has)};
}

enum class Target { kSmall, kDossiers };

struct Case {
  std::string name;
  Format format;
  Target target;
  std::string input;
  Expect expect;
  std::string sheet = "";
  std::string encoding = "auto";
  bool accept_valid = false;
  Limits limits;
};

Case Csv(std::string name, std::string input, Expect e) {
  return {std::move(name), Format::kCsv, Target::kSmall, std::move(input), std::move(e)};
}
Case DossierCsv(std::string name, std::string input, Expect e) {
  return {std::move(name), Format::kCsv, Target::kDossiers, std::move(input), std::move(e)};
}
Case Json(std::string name, std::string input, Expect e) {
  return {std::move(name), Format::kJson, Target::kSmall, std::move(input), std::move(e)};
}
Case Ndjson(std::string name, std::string input, Expect e) {
  return {std::move(name), Format::kNdjson, Target::kSmall, std::move(input), std::move(e)};
}
Case Xlsx(std::string name, std::string input, Expect e, std::string sheet = "") {
  Case c{std::move(name), Format::kXlsx, Target::kSmall, std::move(input), std::move(e)};
  c.sheet = std::move(sheet);
  return c;
}

// --- Inputs built in code -----------------------------------------------------------------

// Bytes no text encoding makes sense of (a fixed sequence, the same on every run).
std::string RandomBytes(size_t n, uint32_t seed) {
  std::string out(n, '\0');
  for (char& c : out) {
    seed = seed * 1664525U + 1013904223U;
    c = static_cast<char>(seed >> 24);
  }
  return out;
}

// UTF-8 text (ASCII here) as UTF-16 LE with its byte order mark.
std::string Utf16Le(const std::string& ascii) {
  std::string out = "\xFF\xFE";
  for (char c : ascii) {
    out += c;
    out += '\0';
  }
  return out;
}

std::string XmlEscape(const std::string& s) {
  return text::XmlEscape(s);
}

// A sheet row: text cells as inline strings, "n:<number>" as numbers, "" left out.
std::string XRow(int row, const std::vector<std::string>& cells) {
  const std::string r = std::to_string(row);
  std::string out = "<row r=\"" + r + "\">";
  for (size_t i = 0; i < cells.size(); ++i) {
    if (cells[i].empty()) continue;
    const std::string ref = std::string(1, static_cast<char>('A' + i)) + r;
    if (cells[i].starts_with("n:")) {
      out += "<c r=\"" + ref + "\"><v>" + cells[i].substr(2) + "</v></c>";
    } else {
      out += "<c r=\"" + ref + "\" t=\"inlineStr\"><is><t>" + XmlEscape(cells[i]) + "</t></is></c>";
    }
  }
  return out + "</row>";
}

std::string Merges(const std::vector<std::string>& refs) {
  std::string out = "<mergeCells count=\"" + std::to_string(refs.size()) + "\">";
  for (const auto& ref : refs) out += "<mergeCell ref=\"" + ref + "\"/>";
  return out + "</mergeCells>";
}

// The bytes of an .xlsx package holding `parts`.
std::string Zip(const xt::Parts& parts) {
  static int n = 0;
  const fs::path path = fs::temp_directory_path() / ("pdh-malformed-" + std::to_string(::getpid()) +
                                                     "-" + std::to_string(++n) + ".xlsx");
  xt::WriteZip(path.string(), parts);
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  fs::remove(path);
  return bytes.str();
}

// A workbook of one sheet.
std::string Book(const std::string& rows, const std::string& after = "",
                 const std::string& sheet_name = "Dữ liệu") {
  return Zip(xt::Workbook({{sheet_name, xt::SheetXml(rows, after)}}));
}

// The small schema's header as a sheet row, by Vietnamese title.
std::string XHeader(int row) {
  return XRow(row, {"Mã", "Đơn vị", "Số lượng", "Số tiền", "Ngày", "Loại", "Ghi chú"});
}

// `zip` with the stored data of `part` garbled in the middle (its CRC no longer matches).
std::string GarblePart(std::string zip, const std::string& part) {
  for (size_t at = zip.find("PK\x03\x04"); at != std::string::npos;
       at = zip.find("PK\x03\x04", at + 4)) {
    auto u16 = [&](size_t p) {
      return static_cast<size_t>(static_cast<unsigned char>(zip[p])) |
             static_cast<size_t>(static_cast<unsigned char>(zip[p + 1])) << 8;
    };
    const size_t name_len = u16(at + 26);
    const size_t extra_len = u16(at + 28);
    if (zip.compare(at + 30, name_len, part) != 0) continue;
    const size_t data = at + 30 + name_len + extra_len;
    const size_t size = u16(at + 18) | u16(at + 20) << 16;  // compressed size
    for (size_t i = data + size / 3; i < data + size / 3 + 8 && i < data + size; ++i) {
      zip[i] = static_cast<char>(zip[i] ^ 0x5A);
    }
    return zip;
  }
  ADD_FAILURE() << "no part " << part << " in the archive";
  return zip;
}

// --- The fixture --------------------------------------------------------------------------

class MalformedTest : public IngestTest {
 protected:
  void SetUp() override {
    IngestTest::SetUp();
    const OldCodes old = FindOldCodes();
    whole_ = old.whole;
    divided_ = old.divided;
  }

  std::vector<Case> CsvCases() const;
  std::vector<Case> EncodingCases() const;
  std::vector<Case> ValueCases() const;
  std::vector<Case> JsonCases() const;
  std::vector<Case> XlsxCases() const;

  // Sends every case to a dataset of its own and checks its outcome; returns how many ran.
  size_t RunAll(const std::vector<Case>& cases);
  void RunOne(const Case& c, const std::string& code);

  std::string whole_, divided_;
};

std::string Describe(const Result<Report>& r) {
  if (!r) return "file error " + r.error().code + ": " + r.error().message;
  std::string out = "status " + r->status + ", read " + std::to_string(r->read) + ", imported " +
                    std::to_string(r->imported) + ", errors [";
  for (const auto& e : r->errors) {
    out += "(" + std::to_string(e.row) + ", " + e.column + ", " + e.code + ": " + e.message + ") ";
  }
  out += "], warnings [";
  for (const auto& w : r->warnings) out += "'" + w + "' ";
  return out + "]";
}

void MalformedTest::RunOne(const Case& c, const std::string& code) {
  const Dataset d = c.target == Target::kSmall ? CreateSmall(code) : Create(code, "dossiers");
  ASSERT_FALSE(d.row.code.empty());
  const int64_t before = Rows(d);
  Options o = Opts(c.format);
  o.sheet = c.sheet;
  o.encoding = c.encoding;
  o.accept_valid = c.accept_valid;
  o.limits = c.limits;
  o.file_name = c.name;
  const auto r = Send(d, c.input, o);
  const Expect& e = c.expect;
  auto batches = store().datasets().Batches(code, 0, 10);
  ASSERT_TRUE(batches) << batches.error().message;

  if (!e.file_code.empty()) {
    ASSERT_FALSE(r) << "expected " << e.file_code << ", got " << Describe(r);
    EXPECT_EQ(r.error().code, e.file_code) << Describe(r);
    EXPECT_THAT(r.error().message, HasSubstr(e.message_has));
    EXPECT_EQ(Rows(d), before);
    EXPECT_TRUE(batches->empty()) << "a file error stored batch " << batches->front().id;
    return;
  }

  ASSERT_TRUE(r) << "expected a " << e.status << " batch, got " << Describe(r);
  EXPECT_EQ(r->status, e.status) << Describe(r);
  EXPECT_EQ(r->read, e.read) << Describe(r);
  EXPECT_EQ(r->imported, e.imported) << Describe(r);
  std::vector<RowErr> got;
  for (const auto& x : r->errors) got.push_back({x.row, x.column, x.code});
  EXPECT_EQ(got, e.errors) << Describe(r);
  EXPECT_EQ(r->errors_total, static_cast<int64_t>(e.errors.size()));
  if (e.warning_has.empty()) {
    EXPECT_TRUE(r->warnings.empty()) << Describe(r);
  } else {
    EXPECT_TRUE(std::any_of(r->warnings.begin(), r->warnings.end(),
                            [&](const std::string& w) { return w.find(e.warning_has) != w.npos; }))
        << "no warning with '" << e.warning_has << "': " << Describe(r);
  }
  // The batch is kept either way; only a committed one writes its rows.
  ASSERT_EQ(batches->size(), 1U);
  EXPECT_EQ(batches->front().status, e.status);
  EXPECT_EQ(Rows(d), e.status == "committed" ? before + e.imported : before);
}

size_t MalformedTest::RunAll(const std::vector<Case>& cases) {
  std::vector<std::string> names;
  for (size_t i = 0; i < cases.size(); ++i) {
    const Case& c = cases[i];
    EXPECT_EQ(std::find(names.begin(), names.end(), c.name), names.end()) << "twice: " << c.name;
    names.push_back(c.name);
    SCOPED_TRACE("case " + c.name);
    const auto started = std::chrono::steady_clock::now();
    RunOne(c, "m" + std::to_string(i));
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - started)
                        .count();
    EXPECT_LT(ms, 30000) << c.name << " took " << ms << " ms";
  }
  return cases.size();
}

// --- The cases ----------------------------------------------------------------------------

std::vector<Case> MalformedTest::CsvCases() const {
  const std::string good = kGood;
  return {
      // Nothing to read.
      Csv("csv_empty_file", "", FileError("file.empty", "the file is empty")),
      Csv("csv_only_blank_lines", "\n\r\n\n\r\n", FileError("file.empty", "the file has no rows")),
      // A header and no rows is the wrong file or an export cut short, not an empty batch.
      Csv("csv_header_only", kMalformedHeader,
          FileError("file.no_rows", "the file has a header but no rows")),
      Csv("csv_header_only_without_line_break", "id,unit,count,amount,day,kind,note",
          FileError("file.no_rows", "the file has a header but no rows")),
      Csv("csv_only_empty_cells", ",,,\n,,,\n", FileError("file.empty", "the file has no rows")),
      Csv("csv_only_white_space_lines", "  \n\t\n",
          FileError("file.empty", "the file has no rows")),
      // Rows of empty cells and blank lines under the header are passed over, not counted.
      Csv("csv_header_then_empty_rows", Small("\n,,,,,,\n \t,,,,,,\n"),
          FileError("file.no_rows", "the file has a header but no rows")),

      // Quoting.
      Csv("csv_unterminated_quote_in_data",
          Small(good + "A2,25459,2,,,,\"never closed\nA3,25459,3,,,,\n"),
          FileError("file.malformed", "CSV: line 3: quoted field never closed")),
      Csv("csv_unterminated_quote_in_header", "\"id,unit,count\nA1,25459,1\n",
          FileError("file.malformed", "CSV: line 1: quoted field never closed")),
      // A quoted line break keeps the row numbers physical: A2 starts on line 4.
      Csv("csv_quoted_line_break_keeps_line_numbers",
          Small("A1,25459,1,,,,\"hai\ndòng\"\nA2,25459,-1,,,,\n"),
          Rejected(2, {{4, "count", "value.minimum"}})),

      // Ragged rows.
      Csv("csv_row_with_too_few_cells", Small("A1,25459,1\n"),
          Rejected(1, {{2, "", "row.ragged"}})),
      Csv("csv_row_with_too_many_cells", Small("A1,25459,1,,,,ghi chú,thừa\n"),
          Rejected(1, {{2, "", "row.ragged"}})),
      Csv("csv_ragged_row_between_good_rows", Small(good + "A2,25459\nA3,25459,3,,,,\n"),
          Rejected(3, {{3, "", "row.ragged"}})),
      // Trailing separators with nothing after them are what spreadsheets export: accepted.
      Csv("csv_trailing_empty_cells_accepted", Small("A1,25459,1,,,,,,\n"), Committed(1, 1)),

      // The header.
      Csv("csv_unknown_column_is_a_warning",
          "id,unit,count,amount,day,kind,note,phu_trach\nA1,25459,1,,,,,Lan\n",
          Committed(1, 1, {}, "column 'phu_trach' is not in the schema: ignored")),
      Csv("csv_missing_required_column", "id,count,kind\nA1,1,a\n",
          FileError("file.missing_column", "required columns are missing: Đơn vị (unit)")),
      DossierCsv("dossiers_missing_required_columns", "dossier_id,procedure_code,fee\nD1,1.001,0\n",
                 FileError("file.missing_column",
                           "required columns are missing: Đơn vị tiếp nhận (receiving_unit), "
                           "Thời điểm tiếp nhận (received_at), Kênh nộp (channel), Trạng thái "
                           "(status)")),
      // Fewer than 30 rows and none of them a header: the header search ends on the reader's
      // end of input, which clears the last row read, and the file is taken for empty.
      Csv("csv_no_header_row", "A1,25459,1,,,,\nA2,25459,2,,,,\n",
          FileError("file.missing_column", "no header row: the first rows must name the columns")),
      Csv("csv_title_line_only", "BÁO CÁO THÁNG 10/2025\n",
          FileError("file.missing_column", "no header row")),
      // With 30 rows or more the search gives up on the row count and says so.
      Csv(
          "csv_no_header_in_the_first_30_rows",
          [] {
            std::string s;
            for (int i = 0; i < 31; ++i) s += "x,y\n";
            return s;
          }(),
          FileError("file.missing_column", "no header row: the first rows must name the columns")),
      // A column named twice: the first is read, the second ignored with a warning.
      Csv("csv_column_named_twice", "id,unit,count,count\nA1,25459,1,2\n",
          Committed(1, 1, {}, "column 'count' is not in the schema: ignored")),
      Csv("csv_titles_without_diacritics",
          "Ma,Don vi,So luong,So tien,Ngay,Loai,Ghi chu\nA1,25459,1,,,,\n", Committed(1, 1)),
      Csv("csv_title_rows_above_header",
          "BÁO CÁO THÁNG 10/2025\nĐơn vị báo cáo: UBND phường\n" +
              Small(good + "A2,25459,-1,,,,\n"),
          Rejected(2, {{5, "count", "value.minimum"}}, "2 rows above the header were skipped")),
      // BOM, ';' separators, CRLF line ends, Vietnamese numbers and dates: all fine.
      Csv("csv_bom_semicolon_crlf",
          "\xEF\xBB\xBFid;unit;count;amount;day;kind;note\r\n"
          "A1;25459;\"3.254.170\";\"8.536,44\";03/10/2025;Loại A;xin chào, Tân Ninh\r\n"
          "A2;25459;12;1,5;2025-10-04;b;\r\n",
          Committed(2, 2)),
      Csv("csv_bom_semicolon_crlf_error_row_numbers",
          "\xEF\xBB\xBFid;unit;count;amount;day;kind;note\r\nA1;25459;1;;;;\r\n\r\n"
          "A2;25459;abc;;;;\r\n",
          Rejected(2, {{4, "count", "value.type"}})),
      Csv("csv_tab_separated", "id\tunit\tcount\tamount\tday\tkind\tnote\nA1\t25459\t1\t\t\t\t\n",
          Committed(1, 1)),
      // Text is text: a NUL or another C0 control character is a cell error with its row and
      // column; tabs and line breaks inside a field are text.
      Csv("csv_nul_in_a_cell", Small(good + "A2,25459,2,,,,ab" + std::string(1, '\0') + "c\n"),
          Rejected(2, {{3, "note", "value.control_char"}})),
      Csv("csv_escape_character_in_a_key", Small("A\x1b[2J1,25459,1,,,,\n"),
          Rejected(1, {{2, "id", "value.control_char"}})),
      Csv("csv_tab_and_line_break_in_a_field", Small("A1,25459,1,,,,\"hai\tcột\nhai dòng\"\n"),
          Committed(1, 1)),
      // Files that are not text say what they look like.
      Csv("csv_png_named_csv", "\x89PNG\r\n\x1a\n" + RandomBytes(2000, 3),
          FileError("file.not_text", "the file is not csv text: it looks like a PNG image")),
      Csv("csv_pdf_named_csv", "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n" + RandomBytes(2000, 5),
          FileError("file.not_text", "it looks like a PDF document")),
      Csv("csv_zip_named_csv", Zip({{"hello.txt", "xin chào"}}),
          FileError("file.not_text", "it looks like a ZIP archive")),
      Csv("csv_xlsx_named_csv", Book(XHeader(1) + XRow(2, {"A1", "25459", "n:5"})),
          FileError("file.not_text", "it looks like an XLSX workbook (send it as xlsx")),
      // Limits, set low here: a file past one stops at the row that passes it.
      [] {
        Case c =
            Csv("csv_too_many_columns", Small("A1,25459,1,,,,\n" + std::string(5000, ',') + "\n"),
                FileError("file.too_many_columns",
                          "CSV: line 3: more than 100 fields in one record (limit: "
                          "--max-columns 100 of pdh ingest and pdh serve)"));
        c.limits.max_columns = 100;
        return c;
      }(),
      [&] {
        Case c = Csv("csv_too_many_cells", Small(good + good + good + good),
                     FileError("file.too_large",
                               "more than 30 cells (at row 5): split it, or "
                               "raise the limit --max-cells"));
        c.limits.max_cells = 30;
        return c;
      }(),
      // One bad row rejects the batch; accepting valid rows commits the others.
      [] {
        Case c = Csv("csv_accept_valid_commits_the_good_rows",
                     Small("A1,25459,1,,,,\nA2,25459,abc,,,,\nA3,25459,3,,,,\n"),
                     Committed(3, 2, {{3, "count", "value.type"}}));
        c.accept_valid = true;
        return c;
      }(),
  };
}

std::vector<Case> MalformedTest::EncodingCases() const {
  const std::string bad_cell = "A2,25459,2,,,,Tân Ninh \xFF sai\n";
  return {
      Csv("encoding_random_binary_as_csv", RandomBytes(4096, 7),
          FileError("file.encoding", "neither UTF-8 nor a Vietnamese legacy encoding")),
      Csv("encoding_utf16le_with_bom", Utf16Le(Small(kGood)),
          FileError("file.encoding", "the file is UTF-16 text: save it as CSV UTF-8")),
      Csv("encoding_stray_invalid_byte_after_bom",
          "\xEF\xBB\xBF" + Small("A1,25459,1,,,,Phường Tân Ninh\n" + bad_cell + "A3,25459,3,,,,\n"),
          Rejected(3, {{3, "note", "value.encoding"}})),
      // Without a BOM, a UTF-8 file with one stray byte is still read as UTF-8: the cell is
      // rejected, as with a BOM.
      Csv("encoding_stray_invalid_byte_without_bom",
          Small("A1,25459,1,,,,Phường Tân Ninh\n" + bad_cell + "A3,25459,3,,,,\n"),
          Rejected(3, {{3, "note", "value.encoding"}})),
      // Past the 64 KiB that detection samples, the same byte is a row error.
      Csv(
          "encoding_stray_invalid_byte_past_the_sample",
          [&] {
            std::string rows;
            for (int i = 1; i <= 4500; ++i) rows += "K" + std::to_string(i) + ",25459,1,,,,\n";
            return Small(rows + bad_cell);
          }(),
          Rejected(4501, {{4502, "note", "value.encoding"}})),
      [&] {
        Case c = Csv("encoding_declared_utf8_with_invalid_byte", Small(kGood + bad_cell),
                     Rejected(2, {{3, "note", "value.encoding"}}));
        c.encoding = "utf-8";
        return c;
      }(),
      [] {
        Case c = Csv("encoding_unknown_name", Small(kGood),
                     FileError("request.invalid_encoding", "encoding 'koi8-r' is not one of"));
        c.encoding = "koi8-r";
        return c;
      }(),
      // Told VISCII, a TCVN3 file is read as VISCII; the report shows what that made of it.
      [] {
        const std::string note = encoding::FromUtf8("Phường Tân Ninh, tỉnh Tây Ninh: hồ sơ đất đai",
                                                    encoding::Encoding::kTcvn3)
                                     .value();
        Case c = Csv("encoding_tcvn3_read_as_viscii", Small("A1,25459,1,,,,\"" + note + "\"\n"),
                     Committed(1, 1, {}, "read as viscii the text is improbable Vietnamese"));
        c.encoding = "viscii";
        return c;
      }(),
      Json("encoding_json_not_utf8",
           "[{\"id\": \"A1\", \"unit\": \"25459\", \"note\": \"\xE9t\xE9\"}]",
           FileError("file.encoding", "neither UTF-8 nor a Vietnamese legacy encoding")),
  };
}

std::vector<Case> MalformedTest::ValueCases() const {
  // A small-schema row with one field set.
  auto day = [](const std::string& v) { return Small("A1,25459,1,," + v + ",,\n"); };
  auto amount = [](const std::string& v) { return Small("A1,25459,1," + v + ",,,\n"); };
  auto count = [](const std::string& v) { return Small("A1,25459," + v + ",,,,\n"); };
  auto kind = [](const std::string& v) { return Small("A1,25459,1,,," + v + ",\n"); };
  auto note = [](const std::string& v) { return Small("A1,25459,1,,,," + v + "\n"); };
  auto unit = [](const std::string& v) { return Small("A1," + v + ",1,,,,\n"); };
  // A dossiers row with received_at, applicant_id or locality_free set.
  auto received = [](const std::string& v) {
    return Dossiers("D1,25459,1.001," + v + ",Trực tuyến,Đã tiếp nhận,,\n");
  };
  auto applicant = [](const std::string& v) {
    return Dossiers("D1,25459,1.001,03/10/2025,Trực tuyến,Đã tiếp nhận," + v + ",\n");
  };
  auto locality_free = [](const std::string& v) {
    return Dossiers("D1,25459,1.001,03/10/2025,Trực tuyến,Đã tiếp nhận,," + v + "\n");
  };
  const Expect bad_day = Rejected(1, {{2, "day", "value.type"}});
  const Expect bad_amount = Rejected(1, {{2, "amount", "value.type"}});
  const Expect bad_count = Rejected(1, {{2, "count", "value.type"}});
  const Expect formula = Rejected(1, {{2, "note", "value.formula_like"}});
  const Expect bad_received = Rejected(1, {{2, "received_at", "value.type"}});
  const Expect bad_id = Rejected(1, {{2, "applicant_id", "value.citizen_id"}});

  return {
      // Dates.
      Csv("date_31_february", day("31/02/2025"), bad_day),
      Csv("date_29_february_not_leap", day("29/02/2025"), bad_day),
      Csv("date_month_13", day("2025-13-01"), bad_day),
      Csv("date_in_words", day("hôm qua"), bad_day),
      Csv("date_before_1900", day("31/12/1899"), bad_day),
      Csv("date_serial_number_in_csv", day("45933"), bad_day),
      Csv("date_two_digit_year", day("03/10/25"), bad_day),
      Csv("date_spellings_accepted",
          Small("A1,25459,1,,3/10/2025,,\nA2,25459,1,,2025/10/03,,\nA3,25459,1,,03-10-2025,,\n"
                "A4,25459,1,,03.10.2025,,\n"),
          Committed(4, 4)),
      // Datetimes.
      DossierCsv("datetime_hour_25", received("03/10/2025 25:00"), bad_received),
      DossierCsv("datetime_minutes_one_digit", received("03/10/2025 8:5"), bad_received),
      DossierCsv("datetime_in_words", received("sáng nay"), bad_received),
      DossierCsv("datetime_trailing_zone_name", received("2025-10-03T08:15:00 GMT"), bad_received),
      // The offset is not checked: +99:99 moves the time by four days and is stored.
      DossierCsv("datetime_offset_out_of_range", received("2025-10-03T08:15:00+99:99"),
                 bad_received),
      DossierCsv("datetime_t_without_time", received("2025-10-03T"), bad_received),
      DossierCsv("datetime_dash_is_a_missing_value", received("-"),
                 Rejected(1, {{2, "received_at", "value.required"}})),
      DossierCsv("datetime_spellings_accepted",
                 Dossiers("D1,25459,1,2025-10-03T08:15:00,online,received,,\n"
                          "D2,25459,1,2025-10-03 08:15,online,received,,\n"
                          "D3,25459,1,03/10/2025 08:15,online,received,,\n"
                          "D4,25459,1,03/10/2025,online,received,,\n"
                          "D5,25459,1,2025-10-03T01:15:00Z,online,received,,\n"),
                 Committed(5, 5)),
      // Numbers.
      Csv("number_list_of_commas", amount("\"1,2,3\""), bad_amount),
      Csv("number_letters", amount("abc"), bad_amount),
      Csv("number_exponent_overflow", amount("1e999"), bad_amount),
      Csv("number_two_decimal_marks", amount("\"1.234,5.6\""), bad_amount),
      Csv("number_spellings_accepted",
          Small("A1,25459,1,\"8.536,44\",,,\nA2,25459,1,1e3,,,\nA3,25459,1,\"-0,5\",,,\n"
                "A4,25459,1,\"1 234 567\",,,\n"),
          Committed(4, 4)),
      // Integers.
      Csv("integer_below_minimum", count("-1"), Rejected(1, {{2, "count", "value.minimum"}})),
      Csv("integer_above_maximum", count("10000001"), Rejected(1, {{2, "count", "value.maximum"}})),
      Csv("integer_grouped_above_maximum", count("10.000.001"),
          Rejected(1, {{2, "count", "value.maximum"}})),
      Csv("integer_with_a_fraction", count("1.5"), bad_count),
      Csv("integer_beyond_64_bits", count("99999999999999999999"), bad_count),
      Csv("integer_letters", count("mười"), bad_count),
      // Booleans.
      DossierCsv("boolean_maybe", locality_free("có lẽ"),
                 Rejected(1, {{2, "locality_free", "value.type"}})),
      DossierCsv("boolean_two", locality_free("2"),
                 Rejected(1, {{2, "locality_free", "value.type"}})),
      DossierCsv("boolean_spellings_accepted",
                 Dossiers("D1,25459,1,03/10/2025,online,received,,có\n"
                          "D2,25459,1,03/10/2025,online,received,,Không\n"
                          "D3,25459,1,03/10/2025,online,received,,x\n"
                          "D4,25459,1,03/10/2025,online,received,,TRUE\n"
                          "D5,25459,1,03/10/2025,online,received,,đúng\n"
                          "D6,25459,1,03/10/2025,online,received,,sai\n"),
                 Committed(6, 6)),
      // Code lists: not in the list, or in it without regard to case and diacritics.
      Csv("enum_not_in_list", kind("c"), Rejected(1, {{2, "kind", "value.enum"}})),
      Csv("enum_label_not_in_list", kind("Loại C"), Rejected(1, {{2, "kind", "value.enum"}})),
      Csv("enum_label_case_and_diacritics_accepted",
          Small("A1,25459,1,,,LOAI A,\n"
                "A2,25459,1,,,loại b,\n"
                "A3,25459,1,,,Loai B,\n"
                "A4,25459,1,,,B,\n"),
          Committed(4, 4)),
      DossierCsv(
          "dossiers_channel_not_in_list",
          Dossiers(std::string(kGoodDossier) + "D2,25459,1.001,03/10/2025,Zalo,Đã tiếp nhận,,\n"),
          Rejected(2, {{3, "channel", "value.enum"}})),
      DossierCsv("dossiers_codes_by_alias_without_diacritics",
                 Dossiers("D1,25459,1,03/10/2025,qua mang,da tiep nhan,,\n"
                          "D2,25459,1,03/10/2025,TRUC TIEP,HOAN THANH,,\n"
                          "D3,25459,1,03/10/2025,Qua bưu điện,tu choi,,\n"),
                 Committed(3, 3)),
      // Units.
      Csv("unit_unknown_code", unit("99999"), Rejected(1, {{2, "unit", "unit.unknown"}})),
      Csv("unit_unknown_name", unit("Phường Không Có Thật"),
          Rejected(1, {{2, "unit", "unit.unknown"}})),
      Csv("unit_old_code_divided_between_communes", unit(divided_),
          Rejected(1, {{2, "unit", "unit.ambiguous"}})),
      Csv("unit_old_code_merged_whole_accepted", unit(whole_), Committed(1, 1)),
      // Keys and required values.
      Csv("key_duplicate_in_batch", Small("A1,25459,1,,,,\nA1,25459,2,,,,\n"),
          Rejected(2, {{3, "id", "key.duplicate_in_batch"}})),
      Csv("key_three_times_in_batch",
          Small("A1,25459,1,,,,\nA2,25459,1,,,,\nA1,25459,2,,,,\n"
                "A1,25459,3,,,,\n"),
          Rejected(4, {{4, "id", "key.duplicate_in_batch"}, {5, "id", "key.duplicate_in_batch"}})),
      Csv("required_key_missing", Small(",25459,1,,,,\n"),
          Rejected(1, {{2, "id", "value.required"}})),
      Csv("required_unit_only_spaces", Small("A1,   ,1,,,,\n"),
          Rejected(1, {{2, "unit", "value.required"}})),
      Csv("required_key_and_unit_missing", Small(",,1,,,,\n"),
          Rejected(1, {{2, "id", "value.required"}, {2, "unit", "value.required"}})),
      // Lengths count characters, not bytes.
      Csv("length_2mb_note", note(std::string(2 << 20, 'x')),
          Rejected(1, {{2, "note", "value.length"}})),
      Csv("length_51_characters", note(std::string(51, 'a')),
          Rejected(1, {{2, "note", "value.length"}})),
      Csv("length_50_vietnamese_characters_accepted", note([] {
            std::string s;
            for (int i = 0; i < 50; ++i) s += "ệ";
            return s;
          }()),
          Committed(1, 1)),
      // Formula injection (FormulaLike in core/sheet.cc).
      Csv("formula_equals_cmd", note("=cmd|' /c calc'!A0"), formula),
      Csv("formula_at_sum", note("@SUM(A1)"), formula),
      Csv("formula_plus_cmd", note("+cmd|' /c calc'!A0"), formula),
      Csv("formula_minus_cell_reference", note("-A1+B1"), formula),
      // Leading white space is trimmed before the check.
      Csv("formula_after_leading_tab", note("\t=1+1"), formula),
      Csv("formula_in_key", Small("=1+1,25459,1,,,,\n"),
          Rejected(1, {{2, "id", "value.formula_like"}})),
      // FormulaLike takes '-' or '+' before a digit for a number, so this payload is stored, and
      // the Data Package export (WriteCsvRow, same rule) writes it back without the guarding
      // "'": a spreadsheet opening that CSV runs it as a formula.
      Csv("formula_minus_number_then_cmd", note("-2+3+cmd|' /c calc'!A0"),
          Rejected(1, {{2, "note", "value.formula_like"}})),
      Csv("formula_like_text_accepted",
          Small("A1,25459,1,,,,-5\nA2,25459,1,,,,- mục 1\nA3,25459,1,,,,+84 912 345 678\n"
                "A4,25459,1,,,,+ 5\n"),
          Committed(4, 4)),
      DossierCsv("dossiers_fee_below_zero",
                 "dossier_id,receiving_unit,procedure_code,received_at,channel,status,fee\n"
                 "D1,25459,1,03/10/2025,online,received,\"-50.000\"\n",
                 Rejected(1, {{2, "fee", "value.minimum"}})),
      // Citizen IDs (dossiers' applicant_id).
      DossierCsv("citizen_id_too_short", applicant("12345"), bad_id),
      DossierCsv("citizen_id_old_9_digit_card", applicant("123456789"), bad_id),
      DossierCsv("citizen_id_unknown_province", applicant("999090123456"), bad_id),
      DossierCsv("citizen_id_letter", applicant("00109012345A"), bad_id),
      DossierCsv("citizen_id_spaces_inside", applicant("001 090 123 456"), bad_id),
      DossierCsv("citizen_id_valid_accepted", applicant(" 001090123456 "), Committed(1, 1)),
  };
}

std::vector<Case> MalformedTest::JsonCases() const {
  const std::string a1 = R"({"id": "A1", "unit": "25459"})";
  const std::string a2 = R"({"id": "A2", "unit": "25459", "count": 2})";
  return {
      // JSON arrays.
      Json("json_empty_file", "", FileError("file.empty", "the file is empty")),
      Json("json_not_an_array", a1,
           FileError("file.malformed", "JSON: the file must be an array of records")),
      Json("json_array_of_numbers", "[1, 2]",
           FileError("file.malformed", "JSON: record 1: each record is a JSON object")),
      Json("json_array_of_arrays", R"([["A1", "25459"]])",
           FileError("file.malformed", "JSON: record 1: each record is a JSON object")),
      Json("json_non_object_after_a_record", "[" + a1 + ", \"A2\"]",
           FileError("file.malformed", "JSON: record 2: each record is a JSON object")),
      Json("json_trailing_comma", "[" + a1 + ",]",
           FileError("file.malformed", "JSON: a ',' after record 1 is followed by no record")),
      Json("json_leading_comma", "[, " + a1 + "]",
           FileError("file.malformed", "JSON: a ',' where a record should be")),
      Json("json_missing_comma", "[" + a1 + " " + a2 + "]",
           FileError("file.malformed", "JSON: a ',' is missing after record 1")),
      Json("json_unterminated_array", "[" + a1 + ", " + a2,
           FileError("file.malformed", "JSON: the array is not closed (missing ']')")),
      Json("json_file_ends_inside_a_record", "[" + a1 + ", {\"id\": \"A2\"",
           FileError("file.malformed", "JSON: the file ends inside record 2")),
      Json("json_nested_object_value",
           "[" + a1 + R"(, {"id": "A2", "unit": "25459", "note": {"x": 1}}])",
           FileError("file.malformed", "record 2: field 'note' holds an object or a list")),
      Json("json_nested_list_value", R"([{"id": "A1", "unit": "25459", "kind": ["a", "b"]}])",
           FileError("file.malformed", "record 1: field 'kind' holds an object or a list")),
      Json("json_invalid_inside_a_record", "[" + a1 + R"(, {"id": "A2", "unit": 25459,}])",
           FileError("file.malformed", "record 2: not valid JSON")),
      Json("json_unquoted_key", R"([{id: "A1", "unit": "25459"}])",
           FileError("file.malformed", "record 1: not valid JSON")),
      Json("json_only_white_space", "  \n ",
           FileError("file.malformed", "JSON: the file must be an array of records")),
      // What follows the array's closing ']' is never read: a second array is lost.
      Json("json_content_after_the_array", "[" + a1 + "] [" + a2 + "]",
           FileError("file.malformed", "text after the closing ']'")),
      Json("json_second_closing_bracket", "[" + a1 + "]]",
           FileError("file.malformed", "text after the closing ']'")),
      Json("json_empty_array", "[]", Committed(0, 0)),
      Json("json_number_overflow", R"([{"id": "A1", "unit": "25459", "amount": 1e999}])",
           Rejected(1, {{1, "amount", "value.type"}})),
      Json("json_integer_beyond_64_bits",
           R"([{"id": "A1", "unit": "25459", "count": 99999999999999999999}])",
           Rejected(1, {{1, "count", "value.type"}})),
      Json("json_boolean_in_integer_field", R"([{"id": "A1", "unit": "25459", "count": true}])",
           Rejected(1, {{1, "count", "value.type"}})),
      Json("json_formula_in_text",
           R"j([{"id": "A1", "unit": "25459", "note": "=HYPERLINK(\"x\")"}])j",
           Rejected(1, {{1, "note", "value.formula_like"}})),
      // A key the schema lacks is passed over without a warning (a CSV column gets one).
      Json("json_unknown_key_ignored", R"([{"id": "A1", "unit": "25459", "phu_trach": "Lan"}])",
           Committed(1, 1)),
      Json("json_repeated_key_last_wins", R"([{"id": "A1", "unit": "25459", "unit": "99999"}])",
           Rejected(1, {{1, "unit", "unit.unknown"}})),
      Json("json_bom_then_array", "\xEF\xBB\xBF[" + a1 + "]", Committed(1, 1)),
      // Row errors name the record.
      Json("json_row_errors_by_record", "[" + a1 + R"(, {"id": "A2", "unit": "25459", "count": -1},
                        {"id": "A3", "unit": null}, {"id": "A4", "unit": "25459", "count": 1.5}])",
           Rejected(4, {{2, "count", "value.minimum"},
                        {3, "unit", "value.required"},
                        {4, "count", "value.type"}})),
      // NDJSON.
      Ndjson("ndjson_bad_line_in_the_middle",
             a1 + "\n" + R"({"id": "A2", "unit": })" + "\n" + a2 + "\n",
             FileError("file.malformed", "line 2: not valid JSON")),
      Ndjson("ndjson_blank_lines_skipped", a1 + "\n\n   \n" + a2 + "\n", Committed(2, 2)),
      Ndjson("ndjson_row_errors_by_line",
             a1 + "\n\n" + R"({"id": "A2", "unit": "25459", "count": "nhiều"})" + "\n",
             Rejected(2, {{3, "count", "value.type"}})),
      Ndjson("ndjson_array_line", a1 + "\n[1, 2]\n",
             FileError("file.malformed", "line 2: each record is a JSON object")),
      Ndjson("ndjson_whole_array_on_one_line", "[" + a1 + ", " + a2 + "]\n",
             FileError("file.malformed", "line 1: each record is a JSON object")),
      Ndjson("ndjson_nested_value",
             a1 + "\n" + a2 + "\n" + R"({"id": "A3", "unit": "25459", "note": {"a": 1}})",
             FileError("file.malformed", "line 3: field 'note' holds an object or a list")),
      Ndjson("ndjson_two_records_on_one_line", a1 + " " + a2 + "\n",
             FileError("file.malformed", "line 1: not valid JSON")),
      Ndjson("ndjson_bom_and_crlf", "\xEF\xBB\xBF" + a1 + "\r\n" + a2 + "\r\n", Committed(2, 2)),
  };
}

std::vector<Case> MalformedTest::XlsxCases() const {
  const std::string rows = XHeader(1) + XRow(2, {"A1", "25459", "n:5", "n:1.5", "", "Loại A"}) +
                           XRow(3, {"A2", "25459", "n:7"});
  const std::string valid = Book(rows);
  const std::string not_zip = "XLSX: the uploaded file: Not a zip archive; expected an .xlsx";

  // A title, then a header in two levels: group labels merged across columns above the
  // column names.
  const std::string two_level =
      XRow(1, {"BÁO CÁO SỐ LIỆU THÁNG 10/2025"}) +
      XRow(2, {"Thông tin chung", "", "Số liệu", "", "Phân loại"}) + XHeader(3) +
      XRow(4, {"A1", "25459", "n:5", "n:1.5", "2025-10-01", "Loại A", "ghi chú"}) +
      XRow(5, {"A2", "25459", "n:7", "", "", "b"});
  const std::string two_level_merges = Merges({"A1:G1", "A2:B2", "C2:D2", "E2:G2"});

  // A workbook whose part list names a sheet the archive lacks.
  xt::Parts missing_part = xt::Workbook({{"Dữ liệu", xt::SheetXml(rows)}});
  missing_part.erase("xl/worksheets/sheet1.xml");
  // A workbook whose first sheet is hidden.
  xt::Parts hidden_first =
      xt::Workbook({{"Danh mục", xt::SheetXml(XRow(1, {"Mã", "Tên"}) + XRow(2, {"x", "y"}))},
                    {"Dữ liệu", xt::SheetXml(rows)}});
  {
    std::string& book = hidden_first["xl/workbook.xml"];
    book.replace(book.find("sheetId=\"1\""), 11, "sheetId=\"1\" state=\"hidden\"");
  }
  // A workbook listing no sheet.
  xt::Parts no_sheets = xt::Workbook({{"Dữ liệu", xt::SheetXml(rows)}});
  no_sheets["xl/workbook.xml"] =
      "<workbook xmlns=\"" + std::string(xt::kMain) + "\"><sheets/></workbook>";

  return {
      // Not a workbook at all.
      Xlsx("xlsx_random_bytes", RandomBytes(4096, 11), FileError("file.malformed", not_zip)),
      Xlsx("xlsx_csv_text", Small(kGood), FileError("file.malformed", not_zip)),
      // No bytes at all open as an empty archive (file.empty for the text formats).
      Xlsx("xlsx_empty_bytes", "",
           FileError("file.malformed", "XLSX: the archive has no workbook (xl/workbook.xml)")),
      Xlsx("xlsx_truncated_to_half", valid.substr(0, valid.size() / 2),
           FileError("file.malformed", not_zip)),
      Xlsx("xlsx_truncated_end_of_archive", valid.substr(0, valid.size() - 10),
           FileError("file.malformed", not_zip)),
      Xlsx("xlsx_zip_that_is_not_a_workbook",
           Zip({{"hello.txt", "xin chào"}, {"docs/readme.md", "# không phải bảng tính"}}),
           FileError("file.malformed",
                     "XLSX: the archive has no workbook (xl/workbook.xml); expected an .xlsx")),
      Xlsx("xlsx_workbook_lists_no_sheets", Zip(no_sheets),
           FileError("file.malformed", "xl/workbook.xml: the workbook lists no sheets")),
      Xlsx("xlsx_sheet_part_missing", Zip(missing_part),
           FileError("file.malformed",
                     "XLSX: xl/worksheets/sheet1.xml: the part is missing from the archive")),
      // A damaged sheet.
      Xlsx("xlsx_sheet_xml_cut_off",
           Zip(xt::Workbook({{"Dữ liệu", xt::SheetXml(rows).substr(0, 300)}})),
           FileError("file.malformed", "XLSX: xl/worksheets/sheet1.xml: line 3: unclosed token")),
      Xlsx("xlsx_sheet_xml_unclosed_row",
           Zip(xt::Workbook({{"Dữ liệu", xt::SheetXml(XHeader(1) + "<row r=\"2\"><c r=\"A2\">")}})),
           FileError("file.malformed", "XLSX: xl/worksheets/sheet1.xml: line 3: mismatched tag")),
      // What the garbled deflate stream inflates to depends on zlib; the part is named either way.
      Xlsx("xlsx_sheet_bytes_garbled_in_archive", GarblePart(valid, "xl/worksheets/sheet1.xml"),
           FileError("file.malformed", "XLSX: xl/worksheets/sheet1.xml: ")),
      Xlsx("xlsx_shared_string_out_of_range",
           Book(XHeader(1) + "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>7</v></c></row>"),
           FileError("file.malformed",
                     "XLSX: xl/worksheets/sheet1.xml: line 3: shared string 7 does not exist")),
      Xlsx("xlsx_row_past_the_last", Book(XHeader(1) + XRow(1048577, {"A1", "25459"})),
           FileError("file.malformed",
                     "XLSX: xl/worksheets/sheet1.xml: line 3: row number \"1048577\" past row "
                     "1048576")),
      // Sheets.
      Xlsx("xlsx_named_sheet_missing", valid,
           FileError("file.sheet_not_found",
                     "the workbook has no sheet \"Báo cáo\"; its sheets are \"Dữ liệu\""),
           "Báo cáo"),
      Xlsx("xlsx_named_second_sheet",
           Zip(xt::Workbook({{"Hướng dẫn", xt::SheetXml(XRow(1, {"Điền số liệu vào trang sau"}))},
                             {"Dữ liệu", xt::SheetXml(rows)}})),
           Committed(2, 2), "Dữ liệu"),
      // A sheet that exists but is damaged is malformed, not missing.
      Xlsx("xlsx_named_sheet_damaged",
           Zip(xt::Workbook({{"Dữ liệu", xt::SheetXml(rows).substr(0, 300)}})),
           FileError("file.malformed", "xl/worksheets/sheet1.xml: line 3: unclosed token"),
           "Dữ liệu"),
      Xlsx("xlsx_title_row_only", Book(XRow(1, {"BÁO CÁO THÁNG 10/2025"})),
           FileError("file.missing_column", "no header row")),
      // The usual two-level layout: single-level columns merged down over both header rows,
      // group labels merged across: the lower row, which names more columns, is the header.
      Xlsx("xlsx_two_level_header_merged_down",
           Book(XRow(1, {"BÁO CÁO"}) +
                    XRow(2, {"Mã", "Đơn vị", "Số liệu", "", "Ngày", "Loại", "Ghi chú"}) +
                    XRow(3, {"", "", "Số lượng", "Số tiền"}) +
                    XRow(4, {"A1", "25459", "n:5", "n:1.5", "2025-10-01", "Loại A"}) +
                    XRow(5, {"A2", "25459", "n:7", "", "", "b"}),
                Merges({"A1:G1", "A2:A3", "B2:B3", "C2:D2", "E2:E3", "F2:F3", "G2:G3"})),
           Committed(2, 2, {}, "1 rows above the header were skipped")),
      Xlsx("xlsx_empty_sheet", Book(""), FileError("file.empty", "the file has no rows")),
      // A hidden first sheet (a lookup list) is passed over for the first visible one.
      Xlsx("xlsx_first_sheet_hidden", Zip(hidden_first), Committed(2, 2)),
      // A zip bomb stops at the inflated-size limit, a wide sheet at the column limit.
      [&] {
        Case c =
            Xlsx("xlsx_zip_bomb", Book(rows + "<!--" + std::string(size_t{8} << 20, 'x') + "-->"),
                 FileError("file.too_large",
                           "XLSX: xl/worksheets/sheet1.xml inflates to more than 2 MiB "
                           "(limits: --max-unzipped-mb 2, --max-ratio"));
        c.limits.max_unzipped_bytes = size_t{2} << 20;
        c.limits.max_ratio = 0;
        return c;
      }(),
      [&] {
        Case c = Xlsx("xlsx_too_many_columns", valid,
                      FileError("file.too_many_columns", "row 1 has 7 cells, more than 5"));
        c.limits.max_columns = 5;
        return c;
      }(),
      Xlsx("xlsx_header_only", Book(XHeader(1)),
           FileError("file.no_rows", "the file has a header but no rows")),
      // A title row and a two-level merged header: still ingests (positive control).
      Xlsx("xlsx_title_and_two_level_merged_header", Book(two_level, two_level_merges),
           Committed(2, 2, {}, "2 rows above the header were skipped")),
      // Row errors name the sheet row, gaps included; serial dates count in a date column.
      Xlsx("xlsx_row_errors_by_sheet_row",
           Book(XRow(1, {"Danh sách"}) + XHeader(3) +
                XRow(4, {"A1", "25459", "n:1", "", "n:45933"}) + XRow(7, {"A2", "25459", "n:-3"}) +
                XRow(9, {"A3", "25459", "", "", "", "", "=cmd|' /c calc'!A0"})),
           Rejected(3, {{7, "count", "value.minimum"}, {9, "note", "value.formula_like"}},
                    "1 rows above the header were skipped")),
  };
}

// --- The tests ----------------------------------------------------------------------------

TEST_F(MalformedTest, Csv) {
  EXPECT_GE(RunAll(CsvCases()), 20U);
}
TEST_F(MalformedTest, Encodings) {
  EXPECT_GE(RunAll(EncodingCases()), 7U);
}
TEST_F(MalformedTest, Values) {
  ASSERT_FALSE(whole_.empty());
  ASSERT_FALSE(divided_.empty());
  EXPECT_GE(RunAll(ValueCases()), 50U);
}
TEST_F(MalformedTest, JsonAndNdjson) {
  EXPECT_GE(RunAll(JsonCases()), 20U);
}
TEST_F(MalformedTest, Xlsx) {
  EXPECT_GE(RunAll(XlsxCases()), 15U);
}

}  // namespace
}  // namespace pdh::ingest
