// Streaming XLSX reader: the workbook, shared strings and styles are read whole at open; a
// sheet is parsed through a pausable XmlPart that stops after every row, so it is never held.
#include "core/xlsx.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cmath>
#include <map>
#include <tuple>

#include "core/text.h"
#include "core/xlsx_package.h"

namespace pdh {
namespace {

using xlsx_package::Attr;
using xlsx_package::Malformed;
using xlsx_package::ParsePart;
using xlsx_package::ReadRels;
using xlsx_package::RelsPathFor;
using xlsx_package::ToNumber;
using xlsx_package::XmlHandler;
using xlsx_package::XmlPart;

constexpr size_t kMaxColumns = 16384;     // Excel's last column is XFD; keeps a bad r= from
                                          // growing a row without bound
constexpr size_t kMaxRows = 1048576;      // Excel's last row
constexpr size_t kMaxFillColumns = 1024;  // the widest a merged range is filled (xlsx.h)
constexpr std::string_view kWorkbookDefault = "xl/workbook.xml";

Error NotXlsx(std::string why) {
  return Error::Invalid("xlsx.not_xlsx", std::move(why) + "; expected an .xlsx workbook");
}

struct CellRef {
  size_t row = 0;  // 0 when the reference has no row part
  size_t col = 0;
};

// "C12" -> row 12, column 2. Column letters must be upper case, as the format writes them.
std::optional<CellRef> ParseCellRef(std::string_view s) {
  size_t col = 0;
  size_t i = 0;
  for (; i < s.size() && s[i] >= 'A' && s[i] <= 'Z'; ++i) {
    col = col * 26 + static_cast<size_t>(s[i] - 'A' + 1);
    if (col > kMaxColumns) return std::nullopt;
  }
  if (i == 0) return std::nullopt;
  CellRef ref{0, col - 1};
  if (i == s.size()) return ref;
  auto row = ToNumber<size_t>(s.substr(i));
  if (!row || *row == 0) return std::nullopt;
  ref.row = *row;
  return ref;
}

void AppendUtf8(std::string& out, unsigned cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// OOXML writes characters XML cannot hold as _xHHHH_ (a line break in a cell is "_x000D_").
std::string DecodeEscapes(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned cp = 0;
    bool escape =
        s.substr(i, 2) == "_x" && i + 7 <= s.size() && s[i + 6] == '_' &&
        std::from_chars(s.data() + i + 2, s.data() + i + 6, cp, 16).ptr == s.data() + i + 6;
    if (!escape) {
      out.push_back(s[i]);
      continue;
    }
    AppendUtf8(out, cp);
    i += 6;
  }
  return out;
}

// Text as the cell shows it: escapes decoded, NFC (invalid UTF-8 becomes U+FFFD).
std::string CleanText(std::string_view s) {
  return text::Nfc(s.find("_x") == std::string_view::npos ? s : DecodeEscapes(s));
}

// A custom number format shows a date when, once quoted text, [brackets] and \-escaped
// characters are set aside, it has a day or year, or a month that is not minutes ("mm" next to
// h or s means minutes).
bool IsDateFormatCode(std::string_view code) {
  bool d_or_y = false, m = false, h_or_s = false;
  for (size_t i = 0; i < code.size(); ++i) {
    char c = static_cast<char>(std::tolower(static_cast<unsigned char>(code[i])));
    if (c == 'a' && (code.substr(i, 5) == "AM/PM" || code.substr(i, 5) == "am/pm")) {
      h_or_s = true;  // a clock time
      i += 4;
    } else if (c == '"') {
      i = std::min(code.find('"', i + 1), code.size());
    } else if (c == '[') {
      i = std::min(code.find(']', i + 1), code.size());
    } else if (c == '\\' || c == '_' || c == '*') {
      ++i;  // the next character is literal (or padding)
    } else if (c == 'd' || c == 'y') {
      d_or_y = true;
    } else if (c == 'm') {
      m = true;
    } else if (c == 'h' || c == 's') {
      h_or_s = true;
    }
  }
  return d_or_y || (m && !h_or_s);
}

bool IsBuiltinDateFormat(int id) {
  return (id >= 14 && id <= 22) || (id >= 45 && id <= 47);
}

// The text of a rich string (<si> in the shared strings, <is> in a cell): its <t> runs, leaving
// out phonetic guides (<rPh>).
struct RichText {
  std::string text;
  bool in_t = false;
  bool in_phonetic = false;

  void Start(std::string_view name) {
    if (name == "t" && !in_phonetic) in_t = true;
    if (name == "rPh") in_phonetic = true;
  }
  void End(std::string_view name) {
    if (name == "t") in_t = false;
    if (name == "rPh") in_phonetic = false;
  }
  void Text(std::string_view s) {
    if (in_t) text.append(s);
  }
};

struct SheetEntry {
  std::string name;
  std::string part;
  bool hidden = false;  // state="hidden" or "veryHidden": not the sheet a sender means
};

class WorkbookHandler : public XmlHandler {
 public:
  void Start(XmlPart&, std::string_view name, const XML_Char** attrs) override {
    if (name == "sheet") {
      const std::string_view state = Attr(attrs, "state");
      sheets.push_back({text::Nfc(Attr(attrs, "name")), std::string(Attr(attrs, "id")),
                        state == "hidden" || state == "veryHidden"});
    } else if (name == "workbookPr") {
      std::string_view value = Attr(attrs, "date1904");
      date1904 = value == "1" || value == "true";
    }
  }
  void End(XmlPart&, std::string_view) override {}

  std::vector<SheetEntry> sheets;  // part holds the relationship id until resolved
  bool date1904 = false;
};

class StylesHandler : public XmlHandler {
 public:
  void Start(XmlPart&, std::string_view name, const XML_Char** attrs) override {
    if (name == "numFmts") {
      in_num_fmts_ = true;
    } else if (name == "numFmt" && in_num_fmts_) {
      if (auto id = ToNumber<int>(Attr(attrs, "numFmtId"))) {
        custom_[*id] = IsDateFormatCode(Attr(attrs, "formatCode"));
      }
    } else if (name == "cellXfs") {
      in_cell_xfs_ = true;
    } else if (name == "xf" && in_cell_xfs_) {
      xf_formats_.push_back(ToNumber<int>(Attr(attrs, "numFmtId")).value_or(0));
    }
  }
  void End(XmlPart&, std::string_view name) override {
    if (name == "cellXfs") in_cell_xfs_ = false;
    if (name == "numFmts") in_num_fmts_ = false;
  }

  // For each cell style (the s= of a cell), whether it shows a date.
  std::vector<bool> DateStyles() const {
    std::vector<bool> dates;
    for (int id : xf_formats_) {
      auto custom = custom_.find(id);
      dates.push_back(custom != custom_.end() ? custom->second : IsBuiltinDateFormat(id));
    }
    return dates;
  }

 private:
  std::map<int, bool> custom_;
  std::vector<int> xf_formats_;
  bool in_num_fmts_ = false;  // <dxfs> hold numFmt elements too
  bool in_cell_xfs_ = false;  // <cellStyleXfs> hold xf elements too
};

class SharedStringsHandler : public XmlHandler {
 public:
  void Start(XmlPart&, std::string_view name, const XML_Char** attrs) override {
    if (name == "sst") {
      // uniqueCount is a hint only; a damaged file must not make us reserve gigabytes.
      strings.reserve(std::min<size_t>(ToNumber<size_t>(Attr(attrs, "uniqueCount")).value_or(0),
                                       size_t{1} << 20));
    } else if (name == "si") {
      item_ = RichText{};
    } else {
      item_.Start(name);
    }
  }
  void End(XmlPart&, std::string_view name) override {
    if (name == "si") {
      strings.push_back(CleanText(item_.text));
    } else {
      item_.End(name);
    }
  }
  void Text(std::string_view s) override { item_.Text(s); }

  std::vector<std::string> strings;

 private:
  RichText item_;
};

// Where a sheet's <row> and <c> elements sit: their r= when they have one, else the row after
// the previous row and the column after the previous cell. Both passes over a sheet (its extent
// and merges, then its rows) number them alike.
class SheetCursor {
 public:
  // Moves to the row a <row> starts; when it cannot, why (for xlsx.malformed).
  std::optional<std::string> StartRow(std::string_view r) {
    size_t number = row_ + 1;
    if (!r.empty()) {
      auto parsed = ToNumber<size_t>(r);
      if (!parsed || *parsed == 0) return "row number \"" + std::string(r) + "\"";
      number = *parsed;
    }
    if (number > kMaxRows) {
      return (r.empty() ? "a row" : "row number \"" + std::string(r) + "\"") + " past row " +
             std::to_string(kMaxRows) + ", the last a sheet can have";
    }
    row_ = number;
    next_col_ = 0;
    return std::nullopt;
  }

  // Moves to the column a <c> is in; when it cannot, why.
  std::optional<std::string> StartCell(std::string_view r) {
    col_ = next_col_;
    if (!r.empty()) {
      auto ref = ParseCellRef(r);
      if (!ref) return "cell reference \"" + std::string(r) + "\"";
      col_ = ref->col;
    }
    if (col_ >= kMaxColumns) return "more than " + std::to_string(kMaxColumns) + " columns";
    next_col_ = col_ + 1;
    return std::nullopt;
  }

  size_t row() const { return row_; }
  size_t col() const { return col_; }

 private:
  size_t row_ = 0;
  size_t next_col_ = 0;
  size_t col_ = 0;
};

// How far a sheet's cells reach, which bounds what filling its merged ranges adds.
struct SheetExtent {
  size_t width = 0;           // columns up to the last one any cell (empty or not) is written in
  size_t last_value_row = 0;  // the last row with a value of its own
};

// The first pass over a sheet: its merged ranges, which the file writes after the rows, and its
// extent. A bad row or cell reference is left for the second pass to report (the rows before it
// are still read), so the extent stops there.
class SheetOutlineHandler : public XmlHandler {
 public:
  void Start(XmlPart& part, std::string_view name, const XML_Char** attrs) override {
    if (name == "mergeCell") {
      std::string_view ref = Attr(attrs, "ref");
      if (auto range = ParseCellRange(ref)) {
        ranges.push_back(*range);
      } else {
        part.Fail("merged range \"" + std::string(ref) + "\" is not a cell range");
      }
    } else if (!tracking_) {
      return;
    } else if (name == "row") {
      tracking_ = !cursor_.StartRow(Attr(attrs, "r")).has_value();
    } else if (name == "c") {
      tracking_ = !cursor_.StartCell(Attr(attrs, "r")).has_value();
      if (tracking_) extent.width = std::max(extent.width, cursor_.col() + 1);
    } else if (name == "v") {
      in_v_ = true;
    } else if (name == "is") {
      in_inline_ = true;
    }
  }
  void End(XmlPart&, std::string_view name) override {
    if (name == "v") in_v_ = false;
    if (name == "is") in_inline_ = false;
    if (name == "sheetData") tracking_ = false;  // the second pass stops there too
  }
  void Text(std::string_view s) override {
    if (tracking_ && (in_v_ || in_inline_) && !s.empty()) {
      extent.last_value_row = std::max(extent.last_value_row, cursor_.row());
    }
  }

  std::vector<CellRange> ranges;
  SheetExtent extent;

 private:
  SheetCursor cursor_;
  bool tracking_ = true;
  bool in_v_ = false;
  bool in_inline_ = false;
};

// What every sheet of the workbook shares.
struct Workbook {
  std::vector<SheetEntry> sheets;
  std::vector<std::string> shared_strings;
  std::vector<bool> date_styles;
  bool date1904 = false;
};

// Assembles rows from a sheet's <sheetData>, pausing the parse after each row with a value.
class SheetRows : public XmlHandler {
 public:
  SheetRows(const Workbook& workbook, const std::vector<CellRange>& merged, SheetExtent extent,
            bool fill_merged)
      : workbook_(workbook), merged_(merged), extent_(extent), fill_merged_(fill_merged) {}

  void Start(XmlPart& part, std::string_view name, const XML_Char** attrs) override {
    if (name == "row") {
      StartRow(part, Attr(attrs, "r"));
    } else if (name == "c") {
      StartCell(part, attrs);
    } else if (name == "v") {
      in_v_ = true;
    } else if (name == "is") {
      in_inline_ = true;
      inline_ = RichText{};
    } else if (in_inline_) {
      inline_.Start(name);
    }
  }

  void End(XmlPart& part, std::string_view name) override {
    if (name == "v") {
      in_v_ = false;
    } else if (name == "is") {
      in_inline_ = false;
      value_ += inline_.text;
    } else if (in_inline_) {
      inline_.End(name);
    } else if (name == "c") {
      EndCell(part);
    } else if (name == "row") {
      EndRow(part);
    } else if (name == "sheetData") {
      part.Stop();  // what follows the rows (merges, print settings) is not needed here
    }
  }

  void Text(std::string_view s) override {
    if (in_v_) value_.append(s);
    if (in_inline_) inline_.Text(s);
  }

  // Moves the finished row out; true when there was one.
  bool Take(std::vector<std::string>& cells) {
    if (!ready_) return false;
    ready_ = false;
    cells.swap(cells_);
    return true;
  }
  size_t row() const { return cursor_.row(); }
  bool IsDate(size_t col) const { return col < dates_.size() && dates_[col]; }
  bool IsNumber(size_t col) const { return col < numbers_.size() && numbers_[col]; }
  size_t buffer_bytes() const {
    size_t bytes = value_.capacity() + inline_.text.capacity();
    for (const std::string& cell : cells_) bytes += sizeof(std::string) + cell.capacity();
    return bytes;
  }

 private:
  struct ActiveMerge {
    const CellRange* range;
    std::string value;
    bool date;
    bool number;
  };

  void StartRow(XmlPart& part, std::string_view r) {
    if (auto why = cursor_.StartRow(r)) return part.Fail(std::move(*why));
    cells_.clear();
    dates_.clear();
    numbers_.clear();
  }

  void StartCell(XmlPart& part, const XML_Char** attrs) {
    if (auto why = cursor_.StartCell(Attr(attrs, "r"))) return part.Fail(std::move(*why));
    col_ = cursor_.col();
    type_ = Attr(attrs, "t");
    auto style = ToNumber<size_t>(Attr(attrs, "s")).value_or(0);
    date_style_ = style < workbook_.date_styles.size() && workbook_.date_styles[style];
    value_.clear();
  }

  void EndCell(XmlPart& part) {
    if (value_.empty()) return;
    if (type_ == "s") {
      auto index = ToNumber<size_t>(value_);
      if (!index || *index >= workbook_.shared_strings.size()) {
        return part.Fail("shared string " + value_ + " does not exist");
      }
      Put(col_, workbook_.shared_strings[*index], false, false);
    } else if (type_ == "b") {
      Put(col_, value_ == "1" ? "TRUE" : value_ == "0" ? "FALSE" : value_, false, false);
    } else if (type_ == "inlineStr" || type_ == "str") {
      Put(col_, CleanText(value_), false, false);
    } else {
      const bool number = type_.empty() || type_ == "n";
      Put(col_, value_, date_style_ && number, number);
    }
  }

  void EndRow(XmlPart& part) {
    if (fill_merged_) FillMerged();
    if (cells_.empty()) return;
    ready_ = true;
    part.Pause();
  }

  // Empty values are not stored, so a row ends at its last value.
  void Put(size_t col, std::string_view value, bool date, bool number) {
    if (value.empty()) return;
    if (col >= cells_.size()) {
      cells_.resize(col + 1);
      dates_.resize(col + 1);
      numbers_.resize(col + 1);
    }
    cells_[col] = value;
    dates_[col] = date;
    numbers_[col] = number;
  }

  // Ranges are sorted by first row and rows come in order, so only the ranges that span the
  // current row are looked at.
  void FillMerged() {
    const size_t row = cursor_.row();
    std::erase_if(active_, [&](const ActiveMerge& m) { return m.range->last_row < row; });
    for (; next_merge_ < merged_.size() && merged_[next_merge_].first_row <= row; ++next_merge_) {
      const CellRange& range = merged_[next_merge_];
      if (range.last_row < row) continue;
      // The top-left cell holds the value; if its row was skipped there is nothing to repeat.
      bool top = range.first_row == row && range.first_col < cells_.size();
      active_.push_back({&range, top ? cells_[range.first_col] : std::string(),
                         top && dates_[range.first_col], top && numbers_[range.first_col]});
    }
    // A row past the last one with a value of its own would hold nothing but the fill.
    if (row > extent_.last_value_row) return;
    for (const ActiveMerge& m : active_) {
      if (m.value.empty()) continue;
      const size_t end = FillEnd(*m.range);
      for (size_t col = m.range->first_col; col < end; ++col) Put(col, m.value, m.date, m.number);
    }
  }

  // One past the last column a range is filled to: within the columns the sheet writes cells in
  // and kMaxFillColumns, so that a range over every column of a small sheet stays small (its
  // first column, which holds the value, is always in).
  size_t FillEnd(const CellRange& range) const {
    const size_t width = std::min(extent_.width, kMaxFillColumns);
    return std::min(range.last_col + 1, std::max(range.first_col + 1, width));
  }

  const Workbook& workbook_;
  const std::vector<CellRange>& merged_;
  const SheetExtent extent_;
  const bool fill_merged_;
  SheetCursor cursor_;
  std::vector<std::string> cells_;
  std::vector<bool> dates_;
  std::vector<bool> numbers_;
  bool ready_ = false;
  size_t col_ = 0;
  std::string type_;
  bool date_style_ = false;
  std::string value_;
  bool in_v_ = false;
  bool in_inline_ = false;
  RichText inline_;
  size_t next_merge_ = 0;
  std::vector<ActiveMerge> active_;
};

Error OpenError(int code, std::string_view what) {
  zip_error_t error;
  zip_error_init_with_code(&error, code);
  std::string message = std::string(what) + ": " + zip_error_strerror(&error);
  zip_error_fini(&error);
  if (code == ZIP_ER_NOZIP || code == ZIP_ER_INCONS) return NotXlsx(message);
  return Error::BadRequest("xlsx.open_failed", "cannot open " + message);
}

}  // namespace

struct XlsxReader::Impl {
  ~Impl() {
    stream.reset();
    if (zip != nullptr) zip_discard(zip);
  }

  Status Load();
  Status Select(size_t index);
  size_t FirstVisible() const;
  xlsx_package::PartLimits limits() const {
    return {options.max_unzipped_bytes, options.max_ratio};
  }
  Status Reopen(size_t index);

  XlsxOptions options;
  std::string data;  // the archive, when read from memory
  zip_t* zip = nullptr;
  Workbook workbook;
  std::vector<std::string> names;
  size_t sheet = 0;
  std::vector<CellRange> merged;
  std::unique_ptr<SheetRows> rows;
  std::unique_ptr<XmlPart> stream;
  std::optional<Error> error;
};

// Finds the workbook through the package relationships, then reads the sheet list, the shared
// strings and the styles.
Status XlsxReader::Impl::Load() {
  auto package = ReadRels(zip, "", limits());
  if (!package) return Fail(std::move(package.error()));
  std::string workbook_part =
      package->TargetOfType("officeDocument").value_or(std::string(kWorkbookDefault));

  WorkbookHandler book;
  auto found = ParsePart(zip, workbook_part, book, limits());
  if (!found) return Fail(std::move(found.error()));
  if (!*found) return Fail(NotXlsx("the archive has no workbook (" + workbook_part + ")"));
  if (book.sheets.empty()) return Fail(Malformed(workbook_part, "the workbook lists no sheets"));
  workbook.date1904 = book.date1904;

  auto rels = ReadRels(zip, workbook_part, limits());
  if (!rels) return Fail(std::move(rels.error()));
  for (SheetEntry& entry : book.sheets) {
    const xlsx_package::Relationship* rel = rels->Find(entry.part);
    if (rel == nullptr) {
      return Fail(
          Malformed(RelsPathFor(workbook_part), "no part for sheet \"" + entry.name + "\""));
    }
    entry.part = rel->target;
    names.push_back(entry.name);
  }
  workbook.sheets = std::move(book.sheets);

  SharedStringsHandler strings;
  StylesHandler styles;
  for (auto [kind, handler] :
       {std::pair<std::string_view, XmlHandler*>{"sharedStrings", &strings}, {"styles", &styles}}) {
    if (auto part = rels->TargetOfType(kind)) {
      auto parsed = ParsePart(zip, *part, *handler, limits());
      if (!parsed) return Fail(std::move(parsed.error()));
    }
  }
  workbook.shared_strings = std::move(strings.strings);
  workbook.date_styles = styles.DateStyles();
  // Not returned: Select keeps a damaged first sheet's error for Next to report, and another
  // sheet may still be read.
  (void)Select(FirstVisible());
  return Ok();
}

// The first sheet not hidden (the first when all are).
size_t XlsxReader::Impl::FirstVisible() const {
  for (size_t i = 0; i < workbook.sheets.size(); ++i) {
    if (!workbook.sheets[i].hidden) return i;
  }
  return 0;
}

Status XlsxReader::Impl::Select(size_t index) {
  Status selected = Reopen(index);
  if (!selected) error = selected.error();
  return selected;
}

// Reads the sheet's merged ranges and extent, then opens it again for its rows.
Status XlsxReader::Impl::Reopen(size_t index) {
  const std::string& part = workbook.sheets[index].part;
  stream.reset();
  rows.reset();
  error.reset();
  sheet = index;
  SheetOutlineHandler outline;
  auto found = ParsePart(zip, part, outline, limits());
  if (!found) return Fail(std::move(found.error()));
  if (!*found) return Fail(Malformed(part, "the part is missing from the archive"));
  merged = std::move(outline.ranges);
  std::sort(merged.begin(), merged.end(), [](const CellRange& a, const CellRange& b) {
    return std::tie(a.first_row, a.first_col) < std::tie(b.first_row, b.first_col);
  });
  rows = std::make_unique<SheetRows>(workbook, merged, outline.extent, options.fill_merged);
  stream = std::make_unique<XmlPart>(part, *rows, limits());
  if (!stream->Open(zip)) return Fail(Malformed(part, "cannot open the part"));
  return Ok();
}

std::optional<CellRange> ParseCellRange(std::string_view ref) {
  size_t colon = ref.find(':');
  auto first = ParseCellRef(ref.substr(0, colon));
  auto last = colon == std::string_view::npos ? first : ParseCellRef(ref.substr(colon + 1));
  if (!first || !last || first->row == 0 || last->row == 0) return std::nullopt;
  if (last->row < first->row || last->col < first->col) return std::nullopt;
  return CellRange{first->row, first->col, last->row, last->col};
}

std::optional<Date> ExcelSerialToDate(double serial, bool date1904) {
  using namespace std::chrono;
  if (!std::isfinite(serial) || serial < 0 || serial > 3e6) return std::nullopt;
  auto days = static_cast<int>(std::floor(serial));
  sys_days base;
  if (date1904) {
    base = sys_days(1904y / January / 1);
  } else if (days == 0 || days == 60) {
    return std::nullopt;  // "0 January 1900" and the 29 February 1900 Excel believes in
  } else {
    // Serials after the phantom leap day are one too high.
    base = sys_days(days < 60 ? 1899y / December / 31 : 1899y / December / 30);
  }
  year_month_day ymd(base + std::chrono::days(days));
  int year = static_cast<int>(ymd.year());
  if (year > 9999) return std::nullopt;
  return Date{year, static_cast<int>(static_cast<unsigned>(ymd.month())),
              static_cast<int>(static_cast<unsigned>(ymd.day()))};
}

std::optional<Date> ExcelSerialToDate(std::string_view serial, bool date1904) {
  auto value = ToNumber<double>(serial);
  if (!value) return std::nullopt;
  return ExcelSerialToDate(*value, date1904);
}

XlsxReader::XlsxReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
XlsxReader::XlsxReader(XlsxReader&&) noexcept = default;
XlsxReader& XlsxReader::operator=(XlsxReader&&) noexcept = default;
XlsxReader::~XlsxReader() = default;

Result<XlsxReader> XlsxReader::Open(const std::string& path, XlsxOptions options) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  int code = 0;
  impl->zip = zip_open(path.c_str(), ZIP_RDONLY, &code);
  if (impl->zip == nullptr) return Fail(OpenError(code, path));
  if (auto loaded = impl->Load(); !loaded) return Fail(std::move(loaded.error()));
  return XlsxReader(std::move(impl));
}

Result<XlsxReader> XlsxReader::OpenBuffer(std::string data, XlsxOptions options) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->data = std::move(data);
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(impl->data.data(), impl->data.size(), 0, &error);
  if (source != nullptr) impl->zip = zip_open_from_source(source, ZIP_RDONLY, &error);
  int code = zip_error_code_zip(&error);
  zip_error_fini(&error);
  if (impl->zip == nullptr) {
    if (source != nullptr) zip_source_free(source);
    return Fail(OpenError(code, "the uploaded file"));
  }
  if (auto loaded = impl->Load(); !loaded) return Fail(std::move(loaded.error()));
  return XlsxReader(std::move(impl));
}

const std::vector<std::string>& XlsxReader::sheet_names() const {
  return impl_->names;
}

Status XlsxReader::SelectSheet(std::string_view name) {
  std::string wanted = text::Nfc(name);
  auto it = std::find(impl_->names.begin(), impl_->names.end(), wanted);
  if (it != impl_->names.end()) {
    return impl_->Select(static_cast<size_t>(it - impl_->names.begin()));
  }
  std::string existing;
  for (const std::string& sheet : impl_->names) {
    existing += (existing.empty() ? "\"" : ", \"") + sheet + "\"";
  }
  return Fail(Error::NotFound("xlsx.sheet_not_found", "the workbook has no sheet \"" + wanted +
                                                          "\"; its sheets are " + existing));
}

Status XlsxReader::SelectFirstSheet() {
  return impl_->Select(impl_->FirstVisible());
}

const std::string& XlsxReader::sheet_name() const {
  return impl_->names[impl_->sheet];
}

bool XlsxReader::Next(std::vector<std::string>& cells) {
  cells.clear();
  if (impl_->error || !impl_->stream) return false;
  auto more = impl_->stream->Run();
  if (!more) {
    impl_->error = std::move(more.error());
    return false;
  }
  return *more && impl_->rows->Take(cells);
}

size_t XlsxReader::row() const {
  return impl_->rows ? impl_->rows->row() : 0;
}

bool XlsxReader::IsDate(size_t col) const {
  return impl_->rows && impl_->rows->IsDate(col);
}

bool XlsxReader::IsNumber(size_t col) const {
  return impl_->rows && impl_->rows->IsNumber(col);
}

bool XlsxReader::date1904() const {
  return impl_->workbook.date1904;
}

const std::vector<CellRange>& XlsxReader::merged_ranges() const {
  return impl_->merged;
}

const std::optional<Error>& XlsxReader::error() const {
  return impl_->error;
}

size_t XlsxReader::buffer_bytes() const {
  if (!impl_->stream) return 0;
  return impl_->stream->buffer_bytes() + impl_->rows->buffer_bytes();
}

}  // namespace pdh
