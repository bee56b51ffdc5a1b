// A batch: the file read and checked row by row on one thread while the store writes the rows
// that passed on its writer thread, all in one transaction; then the report, kept with the
// rejected rows. Memory stays at a few chunks of rows whatever the file size.
#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "core/cells.h"
#include "core/clock.h"
#include "core/csv.h"
#include "core/encoding.h"
#include "core/json_util.h"
#include "core/number.h"
#include "core/sheet.h"
#include "core/text.h"
#include "ingest/ingest.h"
#include "ingest/internal.h"

namespace pdh::ingest {
namespace {

namespace json = boost::json;
using internal::RowReader;

constexpr size_t kChunkRows = 2048;
constexpr size_t kQueueChunks = 4;
constexpr size_t kHeaderSearchRows = 30;

// Row errors of a batch: the first kReportErrors kept for the report, all of them spooled to
// a temporary file for the rejected-rows table. Added to from both threads.
class Collector {
 public:
  Collector() : spool_(std::tmpfile()) {}
  Collector(const Collector&) = delete;
  Collector& operator=(const Collector&) = delete;
  ~Collector() {
    if (spool_ != nullptr) std::fclose(spool_);
  }

  void Add(const RowError& e) {
    std::lock_guard lock(mu_);
    ++total_;
    if (first_.size() < kReportErrors) first_.push_back(e);
    if (spool_ == nullptr) return;
    for (const std::string* s : {&e.column, &e.value, &e.code, &e.message}) {
      const uint64_t n = s->size();
      std::fwrite(&n, sizeof n, 1, spool_);
      std::fwrite(s->data(), 1, s->size(), spool_);
    }
    std::fwrite(&e.row, sizeof e.row, 1, spool_);
  }
  // A rejected row, counted against the unit it names ("" when its unit cell is missing or
  // names no unit).
  void RowRejected(const std::string& unit) {
    std::lock_guard lock(mu_);
    ++rows_;
    ++rows_by_unit_[unit];
  }
  int64_t rows() {
    std::lock_guard lock(mu_);
    return rows_;
  }
  std::map<std::string, int64_t> rows_by_unit() {
    std::lock_guard lock(mu_);
    return rows_by_unit_;
  }
  int64_t total() {
    std::lock_guard lock(mu_);
    return total_;
  }
  std::vector<RowError> first() {
    std::lock_guard lock(mu_);
    std::vector<RowError> out = first_;
    std::stable_sort(out.begin(), out.end(),
                     [](const RowError& a, const RowError& b) { return a.row < b.row; });
    return out;
  }

  Status ForEach(const std::function<Status(const store::RejectRow&)>& fn) {
    std::lock_guard lock(mu_);
    if (spool_ == nullptr) {
      for (const auto& e : first_) {
        if (auto s = fn({e.row, e.column, e.value, e.code, e.message}); !s) return s;
      }
      return Ok();
    }
    std::fflush(spool_);
    std::rewind(spool_);
    store::RejectRow r;
    for (int64_t i = 0; i < total_; ++i) {
      for (std::string* s : {&r.column, &r.value, &r.code, &r.message}) {
        uint64_t n = 0;
        if (std::fread(&n, sizeof n, 1, spool_) != 1) return Ok();
        s->resize(n);
        if (n > 0 && std::fread(s->data(), 1, n, spool_) != n) return Ok();
      }
      if (std::fread(&r.row, sizeof r.row, 1, spool_) != 1) return Ok();
      if (auto s = fn(r); !s) return s;
    }
    return Ok();
  }

 private:
  std::mutex mu_;
  std::FILE* spool_;
  std::vector<RowError> first_;
  int64_t total_ = 0;
  int64_t rows_ = 0;
  std::map<std::string, int64_t> rows_by_unit_;
};

// Chunks of checked rows from the reading thread to the writer.
class ChunkQueue {
 public:
  // False when the writer stopped (the reader should stop too).
  bool Push(std::vector<store::StagedRow> chunk) {
    std::unique_lock lock(mu_);
    not_full_.wait(lock, [&] { return cancelled_ || queue_.size() < kQueueChunks; });
    if (cancelled_) return false;
    queue_.push_back(std::move(chunk));
    not_empty_.notify_one();
    return true;
  }
  void Close(std::optional<Error> error) {
    std::lock_guard lock(mu_);
    closed_ = true;
    error_ = std::move(error);
    not_empty_.notify_one();
  }
  void Cancel() {
    std::lock_guard lock(mu_);
    cancelled_ = true;
    not_full_.notify_all();
  }
  // The next chunk; false once the reader is done and the queue drained.
  Result<bool> Pop(std::vector<store::StagedRow>& out) {
    std::unique_lock lock(mu_);
    not_empty_.wait(lock, [&] { return closed_ || !queue_.empty(); });
    if (!queue_.empty()) {
      out = std::move(queue_.front());
      queue_.pop_front();
      not_full_.notify_one();
      return true;
    }
    if (error_) return Fail(*error_);
    return false;
  }

 private:
  std::mutex mu_;
  std::condition_variable not_full_;
  std::condition_variable not_empty_;
  std::deque<std::vector<store::StagedRow>> queue_;
  bool closed_ = false;
  bool cancelled_ = false;
  std::optional<Error> error_;
};

std::string HexOf(const unsigned char* p, size_t n) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    out += kHex[p[i] >> 4];
    out += kHex[p[i] & 15];
  }
  return out;
}

class Sha256 {
 public:
  Sha256() : ctx_(EVP_MD_CTX_new()) { EVP_DigestInit_ex(ctx_, EVP_sha256(), nullptr); }
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  ~Sha256() { EVP_MD_CTX_free(ctx_); }
  void Update(const char* p, size_t n) { EVP_DigestUpdate(ctx_, p, n); }
  std::string Hex() {
    std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
    unsigned int n = 0;
    EVP_DigestFinal_ex(ctx_, md.data(), &n);
    return HexOf(md.data(), n);
  }

 private:
  EVP_MD_CTX* ctx_;
};

Result<std::string> HashFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Fail(Error::Invalid("file.open_failed", "cannot read '" + path + "'"));
  }
  Sha256 h;
  std::vector<char> buf(1 << 20);
  while (in.read(buf.data(), static_cast<std::streamsize>(buf.size())) || in.gcount() > 0) {
    h.Update(buf.data(), static_cast<size_t>(in.gcount()));
  }
  return h.Hex();
}

// How the header's columns map to the schema's fields.
struct Columns {
  std::vector<int> field_column;  // for each field, its column (-1: absent)
  size_t width = 0;               // cells in the header
  std::vector<std::string> unknown;
};

std::vector<std::string> Spellings(const Field& f) {
  std::vector<std::string> out = {text::FoldAlnum(f.name)};
  if (!f.title.empty()) out.push_back(text::FoldAlnum(f.title));
  if (!f.title_en.empty()) out.push_back(text::FoldAlnum(f.title_en));
  for (const auto& a : f.aliases) out.push_back(text::FoldAlnum(a));
  return out;
}

Columns MapHeader(const Schema& schema, const std::vector<std::string>& header) {
  Columns c;
  c.field_column.assign(schema.fields.size(), -1);
  c.width = header.size();
  std::vector<std::vector<std::string>> spellings;
  for (const auto& f : schema.fields) spellings.push_back(Spellings(f));
  for (size_t col = 0; col < header.size(); ++col) {
    const std::string h = text::FoldAlnum(text::Nfc(header[col]));
    if (h.empty()) continue;
    bool found = false;
    for (size_t i = 0; i < schema.fields.size() && !found; ++i) {
      if (c.field_column[i] >= 0) continue;
      for (const auto& s : spellings[i]) {
        if (s == h) {
          c.field_column[i] = static_cast<int>(col);
          found = true;
          break;
        }
      }
    }
    if (!found) c.unknown.push_back(text::Nfc(header[col]));
  }
  return c;
}

size_t Matched(const Columns& c) {
  return static_cast<size_t>(
      std::count_if(c.field_column.begin(), c.field_column.end(), [](int v) { return v >= 0; }));
}

std::string FieldList(const Schema& s, const std::vector<const Field*>& fields) {
  std::string out;
  for (const Field* f : fields) {
    if (!out.empty()) out += ", ";
    out += f->title.empty() ? f->name : f->title + " (" + f->name + ")";
  }
  (void)s;
  return out;
}

// One foreign key's referenced keys, loaded once per batch.
struct ForeignCheck {
  std::vector<size_t> fields;
  std::string resource;
  std::unordered_set<std::string> keys;
};

Result<std::vector<ForeignCheck>> LoadForeignKeys(store::DatasetStore& store, const Dataset& d) {
  std::vector<ForeignCheck> out;
  for (const auto& fk : d.schema.foreign_keys) {
    ForeignCheck check;
    check.resource = fk.resource.empty() ? d.row.code : fk.resource;
    for (const auto& name : fk.fields) {
      for (size_t i = 0; i < d.schema.fields.size(); ++i) {
        if (d.schema.fields[i].name == name) check.fields.push_back(i);
      }
    }
    auto target = LoadDataset(store, check.resource);
    if (!target) return Fail(target.error());
    std::vector<size_t> ref;
    for (const auto& name : fk.reference_fields) {
      for (size_t i = 0; i < target->schema.fields.size(); ++i) {
        if (target->schema.fields[i].name == name) ref.push_back(i);
      }
    }
    if (ref.size() != fk.reference_fields.size()) {
      return Fail(Error::Invalid(
          "schema.invalid", "foreignKeys: dataset '" + check.resource + "' has no such fields"));
    }
    auto s = store.ForEachRecord(target->table, [&](const std::vector<store::Cell>& r) {
      check.keys.insert(store::KeyText(r, ref));
      return Ok();
    });
    if (!s) return Fail(s.error());
    out.push_back(std::move(check));
  }
  return out;
}

// Valid UTF-8 multi-byte sequences outnumber the invalid bytes ten to one (or there are only one
// or two): a UTF-8 file with a few damaged cells, not a file in another encoding.
bool MostlyUtf8(std::string_view s) {
  size_t valid = 0;
  size_t invalid = 0;
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80             ? 1
               : (c & 0xE0) == 0xC0 ? 2
               : (c & 0xF0) == 0xE0 ? 3
               : (c & 0xF8) == 0xF0 ? 4
                                    : 0;
    if (n == 1) {
      ++i;
      continue;
    }
    bool ok = n > 0 && i + n <= s.size();
    for (size_t k = 1; ok && k < n; ++k) ok = (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
    if (ok) {
      ++valid;
      i += n;
    } else if (i + n > s.size() && n > 0) {
      break;  // the sample ends inside a character
    } else {
      ++invalid;
      ++i;
    }
  }
  return valid > 0 && invalid <= std::max<size_t>(2, valid / 10);
}

// The header: the first row that names the schema's columns (titles above it are skipped).
// A header over two rows (labels merged down, group labels above their columns) is read from
// its lower row, which names more fields.
struct Header {
  Columns columns;
  bool found = false;
  size_t seen = 0;                                  // non-blank rows looked at
  size_t skipped = 0;                               // rows above the header
  std::optional<std::vector<std::string>> pending;  // a data row read while looking
  int64_t pending_row = 0;
};

Header FindHeader(RowReader& reader, const Schema& schema,
                  const std::optional<encoding::Encoding>& legacy) {
  Header head;
  const size_t need = std::min<size_t>(2, schema.fields.size());
  // Header cells as text (rows themselves are converted when they are checked).
  auto map_header = [&](const std::vector<std::string>& row) {
    if (!legacy) return MapHeader(schema, row);
    std::vector<std::string> converted;
    converted.reserve(row.size());
    for (const auto& c : row) converted.push_back(encoding::ToUtf8(c, *legacy));
    return MapHeader(schema, converted);
  };
  std::vector<std::string> cells;
  // Blank rows do not count against the search.
  while (head.seen < kHeaderSearchRows && reader.Next(cells)) {
    if (cells::Blank(cells)) continue;
    const size_t i = head.seen++;
    Columns c = map_header(cells);
    if (Matched(c) < need) continue;
    head.columns = std::move(c);
    head.found = true;
    head.skipped = i;
    std::vector<std::string> below;
    while (reader.Next(below)) {
      Columns lower = map_header(below);
      if (Matched(lower) <= Matched(head.columns)) {
        head.pending = std::move(below);
        head.pending_row = reader.row();
        break;
      }
      head.columns = std::move(lower);
    }
    break;
  }
  return head;
}

// Ambiguous numbers ("30.000": thirty thousand, or thirty) of one column, for the warnings.
struct AmbiguousValues {
  std::vector<std::pair<int64_t, std::string>> first;  // row, value
  int64_t total = 0;
};
constexpr size_t kAmbiguousListed = 20;

// "row 3, column amount: '30.000' may be 30 or 30000; read as 30 ...".
std::string AmbiguousWarning(int64_t line, const std::string& column, const std::string& value) {
  const double as_decimal = number::ParseDecimal(value).value_or(0);
  const double grouped =
      number::ParseDecimal(value, value.find('.') != std::string::npos ? number::Style::kVietnamese
                                                                       : number::Style::kEnglish)
          .value_or(0);
  char read[32];
  char other[32];
  std::snprintf(read, sizeof read, "%.15g", as_decimal);
  std::snprintf(other, sizeof other, "%.15g", grouped);
  const std::string row = std::to_string(line);
  return "dòng " + row + ", cột " + column + ": '" + value + "' có thể là " + read + " hoặc " +
         other + ", đã đọc là " + read + "; ghi " + other + " nếu là số nguyên / row " + row +
         ", column " + column + ": '" + value + "' may be " + read + " or " + other + "; read as " +
         read + ": write " + other + " if it is a whole number";
}

// Reads the rest of the file once (from the row after the header) to decide each number
// column's style from all its values: the column's own, else the file's (all its number
// columns together). Columns that stay undecided and hold ambiguous values get warnings naming
// each row and column. Returns false when the reader fails.
bool DecideNumberStyles(RowReader& reader, const Schema& schema, Header& head,
                        std::vector<internal::CellParser>& parsers,
                        std::vector<std::string>& warnings) {
  const size_t n = schema.fields.size();
  std::vector<number::StyleTally> tallies(n);
  std::vector<AmbiguousValues> ambiguous(n);
  auto scan = [&](const std::vector<std::string>& row, int64_t line) {
    for (size_t i = 0; i < n; ++i) {
      const int col = head.columns.field_column[i];
      const FieldType t = schema.fields[i].type;
      if (col < 0 || static_cast<size_t>(col) >= row.size() ||
          (t != FieldType::kNumber && t != FieldType::kInteger)) {
        continue;
      }
      if (reader.typed_number(static_cast<size_t>(col))) continue;
      const std::string& v = row[static_cast<size_t>(col)];
      tallies[i].Add(v);
      if (!parsers[i].DecidedByField() && number::Ambiguous(v)) {
        auto& a = ambiguous[i];
        ++a.total;
        if (a.first.size() < kAmbiguousListed) a.first.emplace_back(line, v.substr(0, 40));
      }
    }
  };
  if (head.pending) scan(*head.pending, head.pending_row);
  std::vector<std::string> row;
  while (reader.Next(row)) scan(row, reader.row());
  if (reader.error()) return false;
  number::StyleTally file;
  for (const auto& t : tallies) file.Add(t);
  for (size_t i = 0; i < n; ++i) {
    if (parsers[i].DecidedByField()) continue;
    number::Style style = tallies[i].style();
    if (style == number::Style::kUnknown) style = file.style();
    parsers[i].set_style(style);
    if (style != number::Style::kUnknown) continue;
    const Field& f = schema.fields[i];
    for (const auto& [line, v] : ambiguous[i].first) {
      warnings.push_back(AmbiguousWarning(line, f.name, v));
    }
    if (const auto more = ambiguous[i].total - static_cast<int64_t>(ambiguous[i].first.size());
        more > 0) {
      warnings.push_back("cột " + f.name + ": thêm " + std::to_string(more) +
                         " số mơ hồ như trên / column " + f.name + ": " + std::to_string(more) +
                         " more ambiguous numbers like these");
    }
  }
  return true;
}

struct Input {
  const std::string* path = nullptr;
  std::string* bytes = nullptr;
};

// What a file that is not text looks like, from its first bytes; nullopt for text. A few NUL
// bytes are left to the cells that hold them (value.control_char); many are binary data.
std::optional<std::string> LooksBinary(std::string_view sample) {
  auto starts = [&](std::string_view magic) { return sample.starts_with(magic); };
  if (starts("\x89PNG")) return "ảnh PNG / a PNG image";
  if (starts("\xFF\xD8\xFF")) return "ảnh JPEG / a JPEG image";
  if (starts("GIF8")) return "ảnh GIF / a GIF image";
  if (starts("%PDF")) return "tài liệu PDF / a PDF document";
  if (starts("\x1F\x8B")) return "tệp nén gzip / a gzip archive";
  if (starts("\xD0\xCF\x11\xE0")) {
    return "tệp Excel .xls hoặc Word .doc cũ / an old Excel .xls or Word .doc file (save it as "
           "XLSX or CSV UTF-8)";
  }
  if (starts("PK\x03\x04")) {
    if (sample.find("xl/") != std::string_view::npos ||
        sample.find("[Content_Types].xml") != std::string_view::npos) {
      return "bảng tính XLSX / an XLSX workbook (send it as xlsx: a .xlsx name or format=xlsx)";
    }
    return "tệp nén ZIP / a ZIP archive";
  }
  const auto nuls = static_cast<size_t>(std::count(sample.begin(), sample.end(), '\0'));
  if (nuls > 8 && nuls * 100 > sample.size()) return "dữ liệu nhị phân / binary data";
  return std::nullopt;
}

// The first C0 control character of `value` other than tab and line breaks: its offset.
std::optional<size_t> ControlChar(std::string_view value) {
  for (size_t i = 0; i < value.size(); ++i) {
    const auto c = static_cast<unsigned char>(value[i]);
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') return i;
  }
  return std::nullopt;
}

// `value` with its control characters written as \u00XX, for a report that shows it.
std::string Escaped(std::string_view value) {
  std::string out;
  for (char ch : value) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 && ch != '\t' && ch != '\n' && ch != '\r') {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04X", c);
      out += buf;
    } else {
      out += ch;
    }
  }
  return out;
}

// The start of the first line holding bytes outside ASCII, as `enc` reads it: what a person
// would see of a file read in the wrong encoding.
std::string DecodedSample(std::string_view sample, encoding::Encoding enc) {
  size_t at = 0;
  while (at < sample.size() && static_cast<unsigned char>(sample[at]) < 0x80) ++at;
  if (at == sample.size()) return "";
  const size_t newline = sample.rfind('\n', at);
  const size_t begin = newline == std::string_view::npos ? 0 : newline + 1;
  std::string_view line = sample.substr(begin, 80);
  line = line.substr(0, line.find('\n'));
  return encoding::ToUtf8(line, enc);
}

// Checks each row the reader gives against the limits on columns per row and cells per file,
// so that a hostile file fails at the first row past them.
class LimitedRows final : public RowReader {
 public:
  LimitedRows(std::unique_ptr<RowReader> inner, const Limits& limits)
      : inner_(std::move(inner)), limits_(limits), budget_(limits) {}
  bool Next(std::vector<std::string>& cells) override {
    if (error_) return false;
    if (!inner_->Next(cells)) return false;
    error_ = budget_.Take(inner_->row(), cells.size());
    return !error_;
  }
  int64_t row() const override { return inner_->row(); }
  const std::optional<Error>& error() const override { return error_ ? error_ : inner_->error(); }
  uint64_t bytes() const override { return inner_->bytes(); }
  bool xlsx() const override { return inner_->xlsx(); }
  bool typed_number(size_t col) const override { return inner_->typed_number(col); }
  // The second reading counts the cells afresh: the limits are per reading, as the first one
  // already passed them.
  bool Rewind() override {
    budget_ = CellBudget(limits_);
    return !error_ && inner_->Rewind();
  }

 private:
  std::unique_ptr<RowReader> inner_;
  Limits limits_;
  CellBudget budget_;
  std::optional<Error> error_;
};

Result<Report> Run(store::DatasetStore& store, const units::Registry& registry, const Dataset& d,
                   Input input, const Options& options) {
  const auto started = std::chrono::steady_clock::now();
  Report report;
  report.dataset = d.row.code;
  report.mode = options.accept_valid ? "valid" : "all";
  report.format = std::string(FormatName(options.format));
  report.file_name = SafeFileName(options.file_name);
  report.created_at =
      options.at.empty() ? FormatTime(std::chrono::system_clock::now()) : options.at;
  report.created_by = options.by;
  if (input.path != nullptr) {
    auto sha = HashFile(*input.path);
    if (!sha) return Fail(sha.error());
    report.sha256 = *sha;
  } else {
    Sha256 h;
    h.Update(input.bytes->data(), input.bytes->size());
    report.sha256 = h.Hex();
  }
  // A batch id already committed; else (unless asked to read it again) the same bytes.
  Result<std::optional<store::BatchRow>> dup = std::optional<store::BatchRow>();
  if (!options.client_id.empty()) dup = store.FindCommitted(d.row.code, options.client_id, "");
  if (dup && !*dup && !options.reingest) dup = store.FindCommitted(d.row.code, "", report.sha256);
  if (!dup) {
    return Fail(dup.error());
  } else if (*dup) {
    Report original = Report::FromJson(json::parse((*dup)->report_json));
    original.status = "duplicate";
    original.duplicate_of = (*dup)->id;
    original.id = 0;
    original.errors.clear();
    original.warnings = {options.client_id.empty() || (*dup)->client_id != options.client_id
                             ? "tệp này đã được nhập ở lô " + std::to_string((*dup)->id) +
                                   " (cùng nội dung): không có gì thay đổi / the same content "
                                   "was already ingested as batch " +
                                   std::to_string((*dup)->id) +
                                   ": nothing changed (ask to re-ingest to read it again)"
                             : "lô '" + options.client_id + "' đã được nhập (lô " +
                                   std::to_string((*dup)->id) +
                                   "): không có gì thay đổi / batch id already ingested: "
                                   "nothing changed"};
    return original;
  }

  // The reader, and for CSV the encoding.
  std::unique_ptr<std::istream> stream;
  std::unique_ptr<RowReader> reader;
  std::optional<encoding::Encoding> legacy;
  report.encoding = "utf-8";
  if (options.format == Format::kXlsx) {
    auto r = internal::XlsxRows(input.path, input.bytes, options.sheet, options.limits);
    if (!r) return Fail(r.error());
    reader = std::move(*r);
  } else {
    if (input.path != nullptr) {
      auto f = std::make_unique<std::ifstream>(*input.path, std::ios::binary);
      if (!*f) return Fail(Error::Invalid("file.open_failed", "cannot read '" + *input.path + "'"));
      stream = std::move(f);
    } else {
      stream = std::make_unique<std::istringstream>(std::move(*input.bytes));
    }
    std::string sample(size_t{64} * 1024, '\0');
    stream->read(sample.data(), static_cast<std::streamsize>(sample.size()));
    sample.resize(static_cast<size_t>(stream->gcount()));
    stream->clear();
    stream->seekg(0);
    if (sample.empty()) {
      return Fail(Error::Invalid("file.empty", "the file is empty: nothing to ingest"));
    }
    if (sample.starts_with("\xFF\xFE") || sample.starts_with("\xFE\xFF")) {
      return Fail(Error::Invalid("file.encoding",
                                 "tệp là văn bản UTF-16: lưu lại dạng CSV UTF-8 / the file is "
                                 "UTF-16 text: save it as CSV UTF-8"));
    }
    if (auto looks = LooksBinary(sample)) {
      const std::string format(FormatName(options.format));
      const size_t slash = looks->find(" / ");
      return Fail(Error::Invalid("file.not_text",
                                 "tệp không phải văn bản " + format + ", trông như " +
                                     looks->substr(0, slash) + " / the file is not " + format +
                                     " text: it looks like " + looks->substr(slash + 3)));
    }
    std::optional<encoding::Encoding> enc;
    if (options.encoding.empty() || options.encoding == "auto") {
      auto det = encoding::Detect(sample);
      enc = det.encoding;
      if (det.encoding != encoding::Encoding::kUtf8 && MostlyUtf8(sample)) {
        // UTF-8 with a stray byte or two: the cells holding them are rejected one by one.
        enc = encoding::Encoding::kUtf8;
      } else if (det.encoding != encoding::Encoding::kUtf8 && det.confidence < 0.5) {
        return Fail(Error::Invalid(
            "file.encoding",
            "tệp không phải UTF-8 và không nhận ra bảng mã tiếng Việt cũ (TCVN3, VNI, VISCII, "
            "Windows-1258): lưu lại dạng CSV UTF-8 / the file is neither UTF-8 nor a Vietnamese "
            "legacy encoding pdh knows: save it as CSV UTF-8"));
      }
    } else {
      enc = encoding::Parse(options.encoding);
      if (!enc) {
        return Fail(Error::BadRequest("request.invalid_encoding",
                                      "encoding '" + options.encoding +
                                          "' is not one of auto, utf-8, tcvn3, vni, viscii, "
                                          "cp1258"));
      }
      // Told the encoding, pdh reads the file so; when another reads it as much better
      // Vietnamese, the sender sees what their choice made of it.
      const auto det = encoding::Detect(sample);
      if (*enc != encoding::Encoding::kUtf8 && det.encoding != *enc && det.confidence >= 0.5) {
        const std::string given(encoding::Name(*enc));
        const std::string better(encoding::Name(det.encoding));
        const std::string seen = DecodedSample(sample, *enc);
        report.warnings.push_back("đọc theo " + given + " cho chữ Việt khó tin (\"" + seen +
                                  "\"); tệp có vẻ là " + better + " / read as " + given +
                                  " the text is improbable Vietnamese (\"" + seen +
                                  "\"); the file looks like " + better + ": check the encoding");
      }
    }
    if (options.format != Format::kCsv && enc != encoding::Encoding::kUtf8) {
      return Fail(Error::Invalid("file.encoding",
                                 "JSON phải là UTF-8 / JSON must be UTF-8: "
                                 "save the file as UTF-8"));
    }
    report.encoding = std::string(encoding::Name(*enc));
    if (*enc != encoding::Encoding::kUtf8) legacy = enc;
    reader = options.format == Format::kCsv
                 ? internal::CsvRows(*stream, options.limits)
                 : internal::JsonRows(*stream, d.schema, options.format == Format::kNdjson);
  }
  reader = std::make_unique<LimitedRows>(std::move(reader), options.limits);
  const bool xlsx = reader->xlsx();

  Header head = FindHeader(*reader, d.schema, legacy);
  Columns& columns = head.columns;
  const bool found = head.found;
  const size_t seen = head.seen;
  std::optional<std::vector<std::string>>& pending = head.pending;
  int64_t pending_row = head.pending_row;
  if (head.skipped > 0) {
    report.warnings.push_back(std::to_string(head.skipped) +
                              " dòng phía trên dòng tiêu đề đã bỏ qua / " +
                              std::to_string(head.skipped) + " rows above the header were skipped");
  }
  if (reader->error()) return Fail(*reader->error());
  if (!found) {
    if (seen == 0) {
      return Fail(Error::Invalid("file.empty", "the file has no rows: nothing to ingest"));
    }
    return Fail(Error::Invalid(
        "file.missing_column",
        "không tìm thấy dòng tiêu đề: dòng đầu phải ghi tên cột (" +
            FieldList(d.schema, {&d.schema.fields.front()}) +
            ", …) / no header row: the first rows must name the columns, by field name or "
            "Vietnamese title"));
  }
  std::vector<const Field*> missing;
  for (size_t i = 0; i < d.schema.fields.size(); ++i) {
    if (columns.field_column[i] < 0 && d.schema.fields[i].required) {
      missing.push_back(&d.schema.fields[i]);
    }
  }
  if (!missing.empty()) {
    return Fail(Error::Invalid(
        "file.missing_column",
        "thiếu cột bắt buộc / required columns are missing: " + FieldList(d.schema, missing)));
  }
  // Rows below a header a person wrote (CSV, XLSX): none is a mistake (the wrong file, an
  // export cut short), not an empty batch. An empty JSON array is a system with nothing new.
  if (pending && cells::Blank(*pending)) pending.reset();
  const bool has_header_row = options.format == Format::kCsv || options.format == Format::kXlsx;
  if (!pending && has_header_row) {
    std::vector<std::string> row;
    while (reader->Next(row)) {
      if (cells::Blank(row)) continue;
      pending = std::move(row);
      pending_row = reader->row();
      break;
    }
    if (reader->error()) return Fail(*reader->error());
    if (!pending) {
      return Fail(Error::Invalid("file.no_rows",
                                 "tệp chỉ có dòng tiêu đề, không có dòng dữ liệu / the file has "
                                 "a header but no rows: nothing to ingest"));
    }
  }
  for (const auto& u : columns.unknown) {
    std::string w = "cột '";
    w += u;
    w += "' không có trong lược đồ, đã bỏ qua / column '";
    w += u;
    w += "' is not in the schema: ignored";
    report.warnings.push_back(std::move(w));
  }

  std::vector<internal::CellParser> parsers;
  parsers.reserve(d.schema.fields.size());
  for (const auto& f : d.schema.fields) parsers.emplace_back(f, d.schema);
  // A number column whose type and unit leave "30.000" open is decided from all its values,
  // read ahead; then the file is read again from its top.
  if (options.plain_numbers) {
    for (auto& p : parsers) p.set_style(number::Style::kEnglish);
  } else if (std::any_of(parsers.begin(), parsers.end(),
                         [](const internal::CellParser& p) { return !p.DecidedByField(); })) {
    if (!DecideNumberStyles(*reader, d.schema, head, parsers, report.warnings) ||
        !reader->Rewind()) {
      return Fail(*reader->error());
    }
    head = FindHeader(*reader, d.schema, legacy);
    pending_row = head.pending_row;
  }
  auto foreign = LoadForeignKeys(store, d);
  if (!foreign) return Fail(foreign.error());
  const Date today = options.at.size() >= 10
                         ? Date::Parse(options.at.substr(0, 10)).value_or(Date::Today())
                         : Date::Today();
  internal::UnitResolver resolver(registry, today);

  Collector errors;
  ChunkQueue queue;
  int64_t read = 0;
  int64_t converted = 0;
  int64_t old_codes = 0;
  int64_t by_name = 0;
  const bool ragged_check = options.format == Format::kCsv;
  // The dataset's first unit field: a rejected row counts against the unit it resolved to.
  const auto unit_it = std::find_if(d.schema.fields.begin(), d.schema.fields.end(),
                                    [](const Field& f) { return f.unit.has_value(); });
  const size_t unit_field = static_cast<size_t>(unit_it - d.schema.fields.begin());

  auto produce = [&] {
    std::vector<store::StagedRow> chunk;
    chunk.reserve(kChunkRows);
    std::vector<std::string> row;
    RowError e;
    for (;;) {
      int64_t n = 0;
      if (pending) {
        row = std::move(*pending);
        pending.reset();
        n = pending_row;
      } else if (reader->Next(row)) {
        n = reader->row();
      } else {
        break;
      }
      if (cells::Blank(row)) continue;
      ++read;
      if (options.progress && (read & 4095) == 0)
        options.progress(reader->bytes(), static_cast<uint64_t>(read));
      bool bad = false;
      auto fail = [&](const std::string& column, const std::string& value) {
        e.row = n;
        e.column = column;
        e.value = value.substr(0, 200);
        errors.Add(e);
        bad = true;
      };
      if (ragged_check && row.size() != columns.width) {
        const bool extra_values =
            row.size() > columns.width &&
            std::any_of(row.begin() + static_cast<std::ptrdiff_t>(columns.width), row.end(),
                        [](const std::string& c) { return !c.empty(); });
        if (row.size() < columns.width || extra_values) {
          e.code = "row.ragged";
          e.message = "dòng có " + std::to_string(row.size()) + " ô, tiêu đề có " +
                      std::to_string(columns.width) + " cột / the row has " +
                      std::to_string(row.size()) + " cells, the header " +
                      std::to_string(columns.width) + ": check for a missing or extra separator";
          fail("", "");
          errors.RowRejected("");
          continue;
        }
      }
      store::StagedRow staged;
      staged.row = n;
      staged.cells.resize(d.schema.fields.size());
      const units::Unit* row_unit = nullptr;  // what the unit field resolved to
      for (size_t i = 0; i < d.schema.fields.size(); ++i) {
        const int col = columns.field_column[i];
        std::string raw;
        if (col >= 0 && static_cast<size_t>(col) < row.size())
          raw = std::move(row[static_cast<size_t>(col)]);
        if (legacy && !raw.empty()) {
          const bool ascii = std::all_of(
              raw.begin(), raw.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
          raw = encoding::ToUtf8(raw, *legacy);
          if (!ascii) ++converted;
        } else if (!raw.empty() && !text::IsValidUtf8(raw)) {
          e.code = "value.encoding";
          e.message =
              "ô không phải văn bản UTF-8 / the cell is not UTF-8 text: save the file as "
              "CSV UTF-8";
          fail(d.schema.fields[i].name, "");
          continue;
        }
        if (auto at = ControlChar(raw)) {
          char code[8];
          std::snprintf(code, sizeof code, "U+%04X", static_cast<unsigned char>(raw[*at]));
          e.code = "value.control_char";
          e.message = std::string("ô chứa ký tự điều khiển ") + code + " ở byte " +
                      std::to_string(*at + 1) + " / the cell holds the control character " + code +
                      " at byte " + std::to_string(*at + 1) + ": remove it";
          fail(d.schema.fields[i].name, Escaped(raw));
          continue;
        }
        const Field& f = d.schema.fields[i];
        if (!parsers[i].Parse(raw, xlsx, reader->typed_number(static_cast<size_t>(col)),
                              staged.cells[i], e)) {
          fail(f.name, raw);
          continue;
        }
        if (f.unit) {
          const auto* text = std::get_if<std::string>(&staged.cells[i]);
          if (text == nullptr) continue;
          const auto& r = resolver.Resolve(*text, *f.unit);
          if (i == unit_field) row_unit = r.unit;
          if (r.unit == nullptr) {
            e.code = r.error_code;
            e.message = r.message;
            fail(f.name, raw);
            continue;
          }
          if (options.may_write && !options.may_write(*r.unit)) {
            e.code = "unit.out_of_scope";
            e.message = "bạn không được ghi dữ liệu của " + r.unit->name +
                        " / your account may not write data of " + r.unit->code + " (" +
                        r.unit->name + ")";
            fail(f.name, raw);
            continue;
          }
          if (r.old_code) ++old_codes;
          if (r.by_name) ++by_name;
          staged.cells[i] = r.unit->code;
        }
      }
      if (!bad) {
        for (const auto& fk : *foreign) {
          bool has_null = false;
          for (size_t idx : fk.fields) {
            if (std::holds_alternative<std::monostate>(staged.cells[idx])) has_null = true;
          }
          if (has_null) continue;
          const std::string key = store::KeyText(staged.cells, fk.fields);
          if (!fk.keys.contains(key)) {
            e.code = "value.foreign_key";
            e.message = "'" + key + "' không có trong tập dữ liệu " + fk.resource +
                        " / is not a key of dataset " + fk.resource;
            fail(d.schema.fields[fk.fields.front()].name, key);
          }
        }
      }
      if (bad) {
        errors.RowRejected(row_unit != nullptr ? row_unit->code : std::string());
        continue;
      }
      chunk.push_back(std::move(staged));
      if (chunk.size() == kChunkRows) {
        if (!queue.Push(std::move(chunk))) return;
        chunk.clear();
        chunk.reserve(kChunkRows);
      }
    }
    if (!chunk.empty() && !queue.Push(std::move(chunk))) return;
    queue.Close(reader->error());
  };

  store::BatchRow header;
  header.dataset = d.row.code;
  header.client_id = options.client_id;
  header.sha256 = report.sha256;
  header.created_at = report.created_at;
  header.created_by = options.by;
  std::string key_name;
  for (size_t k : d.table.key) key_name += (key_name.empty() ? "" : "|") + d.schema.fields[k].name;

  std::thread producer(produce);
  auto id = store.WriteBatch(
      d.table, header, [&](std::vector<store::StagedRow>& out) { return queue.Pop(out); },
      [&](const store::StagedRow& row, store::RowConflict kind) {
        RowError e;
        e.row = row.row;
        if (kind == store::RowConflict::kDuplicateKey) {
          e.column = key_name;
          e.value = store::KeyText(row.cells, d.table.key);
          e.code = "key.duplicate_in_batch";
          e.message = "khóa " + e.value +
                      " đã xuất hiện ở một dòng trước trong cùng lô / the key "
                      "appears on an earlier row of this batch: keep one row per key";
        } else {
          e.code = "value.unique";
          e.message =
              "giá trị đã có ở một bản ghi khác / another record holds this value of a "
              "unique field";
        }
        errors.Add(e);
        // The staged row holds the resolved unit code.
        const std::string* unit = unit_field < row.cells.size()
                                      ? std::get_if<std::string>(&row.cells[unit_field])
                                      : nullptr;
        errors.RowRejected(unit != nullptr ? *unit : std::string());
      },
      [&](int64_t batch_id, const store::BatchCounts& counts,
          int64_t twin) -> Result<store::BatchEnd> {
        report.id = batch_id;
        report.read = read;
        report.imported = counts.imported;
        report.updated = counts.updated;
        report.unchanged = counts.unchanged;
        report.rejected = errors.rows();
        report.rejected_by_unit = errors.rows_by_unit();
        report.errors_total = errors.total();
        report.errors = errors.first();
        report.converted_cells = converted;
        report.resolved_old_codes = old_codes;
        report.resolved_by_name = by_name;
        store::BatchEnd end;
        // A batch with the same id or bytes may have committed while this one was read (two
        // sends at once): the store looks inside the writer's transaction, so this is final.
        // Asked to read the same bytes again, the twin by content is no duplicate.
        const bool earlier =
            twin != 0 && !options.dry_run && !(options.reingest && options.client_id.empty());
        if (earlier) {
          report.status = "duplicate";
          report.duplicate_of = twin;
          report.imported = report.updated = report.unchanged = 0;
          report.warnings.push_back("lô này trùng lô " + std::to_string(twin) +
                                    " vừa được ghi: không có gì thay đổi / the same batch was "
                                    "committed a moment ago as batch " +
                                    std::to_string(twin) + ": nothing changed");
          end.status = "rejected";
        } else if (options.dry_run) {
          report.status = "dry_run";
        } else if (report.rejected > 0 && !options.accept_valid) {
          // Nothing was written: the counts say so (a dry run shows what would be).
          report.status = "rejected";
          report.imported = report.updated = report.unchanged = 0;
        } else {
          report.status = "committed";
          end.keep_rows = true;
        }
        if (!earlier) end.status = report.status;
        report.duration_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                 std::chrono::steady_clock::now() - started)
                                 .count();
        end.report_json = json::serialize(report.ToJson());
        if (options.on_report) options.on_report(report);
        return end;
      },
      [&](const std::function<Status(const store::RejectRow&)>& emit) {
        return errors.ForEach(emit);
      });
  queue.Cancel();
  producer.join();
  if (!id) return Fail(id.error());
  if (options.progress) options.progress(reader->bytes(), static_cast<uint64_t>(read));
  return report;
}

}  // namespace

std::string SafeFileName(std::string_view sent) {
  const size_t slash = sent.find_last_of("/\\");
  if (slash != std::string_view::npos) sent.remove_prefix(slash + 1);
  std::string kept;
  for (char ch : sent) {
    const auto c = static_cast<unsigned char>(ch);
    if (c >= 0x20 && c != 0x7F) kept += ch;
  }
  if (!text::IsValidUtf8(kept)) {
    std::erase_if(kept, [](char ch) { return static_cast<unsigned char>(ch) >= 0x80; });
  }
  kept = text::Nfc(kept);
  std::erase_if(kept, [](char ch) { return static_cast<unsigned char>(ch) < 0x20; });
  if (kept == "." || kept == "..") kept.clear();
  if (kept.size() > 255) {
    size_t cut = 255;
    while (cut > 0 && (static_cast<unsigned char>(kept[cut]) & 0xC0) == 0x80) --cut;
    kept.resize(cut);
  }
  return kept;
}

std::string_view FormatName(Format f) {
  switch (f) {
    case Format::kXlsx:
      return "xlsx";
    case Format::kJson:
      return "json";
    case Format::kNdjson:
      return "ndjson";
    case Format::kCsv:
      break;
  }
  return "csv";
}

std::optional<Format> ParseFormat(std::string_view name) {
  if (name == "csv") return Format::kCsv;
  if (name == "xlsx") return Format::kXlsx;
  if (name == "json") return Format::kJson;
  if (name == "ndjson" || name == "jsonl") return Format::kNdjson;
  return std::nullopt;
}

std::optional<Format> GuessFormat(std::string_view s) {
  std::string lower(s);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower.find("ndjson") != std::string::npos || lower.ends_with(".jsonl") ||
      lower.find("jsonl") != std::string::npos) {
    return Format::kNdjson;
  }
  if (lower.find("spreadsheetml") != std::string::npos || lower.ends_with(".xlsx")) {
    return Format::kXlsx;
  }
  if (lower.find("json") != std::string::npos) return Format::kJson;
  if (lower.find("csv") != std::string::npos || lower.ends_with(".txt") ||
      lower.find("text/plain") != std::string::npos) {
    return Format::kCsv;
  }
  return std::nullopt;
}

json::object Report::ToJson() const {
  json::array errs;
  for (const auto& e : errors) {
    errs.push_back({{"row", e.row},
                    {"column", e.column},
                    {"value", e.value},
                    {"code", e.code},
                    {"message", e.message}});
  }
  json::object o{
      {"id", id},
      {"dataset", dataset},
      {"status", status},
      {"mode", mode},
      {"file_name", file_name},
      {"format", format},
      {"sha256", sha256},
      {"encoding", {{"detected", encoding}, {"converted_cells", converted_cells}}},
      {"counts",
       {{"read", read},
        {"imported", imported},
        {"updated", updated},
        {"unchanged", unchanged},
        {"rejected", rejected}}},
      {"units", {{"resolved_old_codes", resolved_old_codes}, {"by_name", resolved_by_name}}},
      {"warnings", json_util::Strings(warnings)},
      {"errors", std::move(errs)},
      {"errors_total", errors_total},
      {"created_at", created_at},
      {"created_by", created_by},
      {"duration_ms", duration_ms},
  };
  if (duplicate_of != 0) o["duplicate_of"] = duplicate_of;
  if (!rejected_by_unit.empty()) {
    json::object by_unit;
    for (const auto& [unit, rows] : rejected_by_unit) by_unit[unit] = rows;
    o["rejected_by_unit"] = std::move(by_unit);
  }
  return o;
}

Report Report::FromJson(const json::value& v) {
  Report r;
  if (!v.is_object()) return r;
  const json::object& o = v.as_object();
  auto str = [](const json::object& obj, std::string_view k) {
    const json::value* x = obj.if_contains(k);
    return x != nullptr && x->is_string() ? std::string(x->as_string()) : std::string();
  };
  auto num = [](const json::object& obj, std::string_view k) -> int64_t {
    const json::value* x = obj.if_contains(k);
    return x != nullptr && x->is_int64() ? x->as_int64() : 0;
  };
  auto obj = [&](std::string_view k) {
    const json::value* x = o.if_contains(k);
    static const json::object kEmpty;
    return x != nullptr && x->is_object() ? x->as_object() : kEmpty;
  };
  r.id = num(o, "id");
  r.dataset = str(o, "dataset");
  r.status = str(o, "status");
  r.duplicate_of = num(o, "duplicate_of");
  r.mode = str(o, "mode");
  r.file_name = str(o, "file_name");
  r.format = str(o, "format");
  r.sha256 = str(o, "sha256");
  r.encoding = str(obj("encoding"), "detected");
  r.converted_cells = num(obj("encoding"), "converted_cells");
  const json::object counts = obj("counts");
  r.read = num(counts, "read");
  r.imported = num(counts, "imported");
  r.updated = num(counts, "updated");
  r.unchanged = num(counts, "unchanged");
  r.rejected = num(counts, "rejected");
  r.resolved_old_codes = num(obj("units"), "resolved_old_codes");
  r.resolved_by_name = num(obj("units"), "by_name");
  for (const auto& [unit, rows] : obj("rejected_by_unit")) {
    if (rows.is_int64()) r.rejected_by_unit[std::string(unit)] = rows.as_int64();
  }
  if (const json::value* w = o.if_contains("warnings"); w != nullptr && w->is_array()) {
    for (const auto& x : w->as_array()) {
      if (x.is_string()) r.warnings.emplace_back(x.as_string());
    }
  }
  if (const json::value* es = o.if_contains("errors"); es != nullptr && es->is_array()) {
    for (const auto& x : es->as_array()) {
      if (!x.is_object()) continue;
      const json::object& e = x.as_object();
      r.errors.push_back(
          {num(e, "row"), str(e, "column"), str(e, "value"), str(e, "code"), str(e, "message")});
    }
  }
  r.errors_total = num(o, "errors_total");
  r.created_at = str(o, "created_at");
  r.created_by = str(o, "created_by");
  r.duration_ms = num(o, "duration_ms");
  return r;
}

Result<Report> IngestFile(store::DatasetStore& store, const units::Registry& registry,
                          const Dataset& dataset, const std::string& path, const Options& options) {
  return Run(store, registry, dataset, Input{&path, nullptr}, options);
}

Result<Report> IngestBytes(store::DatasetStore& store, const units::Registry& registry,
                           const Dataset& dataset, std::string bytes, const Options& options) {
  return Run(store, registry, dataset, Input{nullptr, &bytes}, options);
}

Result<Report> LoadReport(store::DatasetStore& store, int64_t batch_id) {
  auto b = store.Batch(batch_id);
  if (!b) return Fail(b.error());
  if (!*b) {
    return Fail(Error::NotFound("batch.not_found", "no batch has id " + std::to_string(batch_id)));
  }
  Report r = Report::FromJson(json::parse((*b)->report_json));
  r.id = (*b)->id;
  return r;
}

Result<std::vector<BatchEntry>> ListBatches(store::DatasetStore& store, const std::string& code,
                                            int64_t before_id, int64_t limit) {
  auto rows = store.Batches(code, before_id, limit);
  if (!rows) return Fail(rows.error());
  std::vector<BatchEntry> out;
  out.reserve(rows->size());
  for (auto& b : *rows) {
    Report r = Report::FromJson(json::parse(b.report_json));
    r.id = b.id;
    r.errors.clear();
    out.push_back({std::move(b), std::move(r)});
  }
  return out;
}

Status WriteRejectedCsv(store::DatasetStore& store, int64_t batch_id, std::ostream& out) {
  auto b = store.Batch(batch_id);
  if (!b) return Fail(b.error());
  if (!*b) {
    return Fail(Error::NotFound("batch.not_found", "no batch has id " + std::to_string(batch_id)));
  }
  out << "\xEF\xBB\xBF";
  WriteCsvRow(out, {"row", "column", "value", "code", "message"});
  return store.ForEachReject(batch_id, [&](const store::RejectRow& r) {
    WriteCsvRow(out, {std::to_string(r.row), r.column, r.value, r.code, r.message});
    return Ok();
  });
}

}  // namespace pdh::ingest
