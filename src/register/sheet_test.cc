// The register core's sheets on their own: a layout of a small record's columns with Vietnamese
// spellings, header rows read, cells applied over a record, exports and the file helpers.
#include <gtest/gtest.h>

#include <array>
#include <sstream>

#include "register/register.h"

namespace pdh::reg {
namespace {

constexpr Codes kCodes("widget");

struct Widget {
  std::string code;
  std::string name;
  std::vector<std::string> tags;
  std::optional<Date> installed;
  std::string kind = "plain";
};

// The widget's own spellings; the code, kind, effective date, reason and row number columns
// are spelled as in every register.
constexpr auto kSpellings = std::to_array<HeaderSpelling>({
    {"Tên", "name"},
    {"Nhãn", "tags"},
    {"Ngày lắp đặt", "installed"},
    {"Ghi chú", "tags"},
});

const Layout<Widget>& Widgets() {
  static const Layout<Widget> layout(kCodes,
                                     {TextColumn<&Widget::code>("code"),
                                      TextColumn<&Widget::name>("name"),
                                      ListColumn<&Widget::tags>("tags"),
                                      DateColumn<&Widget::installed>("installed"),
                                      // A blank kind is kept; read after the others.
                                      {"kind", [](const Widget& w) { return w.kind; },
                                       [](Widget& w, const std::string& cell) -> cells::CellError {
                                         if (cell != "plain" && cell != "fancy")
                                           return "'" + cell + "' is not a kind";
                                         w.kind = cell;
                                         return std::nullopt;
                                       },
                                       false, false, true, true}},
                                     {"reason"}, kSpellings, "required (Mã)");
  return layout;
}

TEST(Headers, NamesColumnsBySpellingWithoutDiacriticsOrCase) {
  const Headers& h = Widgets().headers();
  EXPECT_EQ(h.ColumnNamed("MÃ"), "code");
  EXPECT_EQ(h.ColumnNamed("ma"), "code");
  EXPECT_EQ(h.ColumnNamed("Ngay hieu luc"), kEffectiveColumn);
  EXPECT_EQ(h.ColumnNamed("reason"), "reason");
  EXPECT_EQ(h.ColumnNamed("stt"), "");
  EXPECT_EQ(h.ColumnNamed("#"), "");
  EXPECT_EQ(h.ColumnNamed("colour"), std::nullopt);
  EXPECT_TRUE(h.IsDateColumn("installed"));
  EXPECT_TRUE(h.IsDateColumn(kEffectiveColumn));
  EXPECT_FALSE(h.IsDateColumn("name"));
  EXPECT_TRUE(h.NamesDateColumn("Ngày lắp đặt"));
  EXPECT_TRUE(h.NamesCode({"STT", "Mã", "Tên"}));
  EXPECT_FALSE(h.NamesCode({"STT", "Tên"}));
  EXPECT_EQ(h.IndexOf("tags"), 2u);
  EXPECT_EQ(h.IndexOf("reason"), std::nullopt);
}

TEST(Headers, KnowTheSpellingsEveryRegisterSharesWhereTheLayoutHasTheColumn) {
  const Headers& h = Widgets().headers();
  EXPECT_EQ(h.ColumnNamed("Mã số"), "code");
  EXPECT_EQ(h.ColumnNamed("Phân loại"), "kind");
  EXPECT_EQ(h.ColumnNamed("Hiệu lực từ"), kEffectiveColumn);
  EXPECT_EQ(h.ColumnNamed("Lí do"), kReasonColumn);
  EXPECT_EQ(h.ColumnNamed("Số thứ tự"), "");
  EXPECT_EQ(h.ColumnNamed("TT"), "");
  // The widget has no sector column, so a sector header is not known...
  EXPECT_EQ(h.ColumnNamed("Lĩnh vực"), std::nullopt);
  // ...and a layout's own spelling wins over the shared one.
  EXPECT_EQ(h.ColumnNamed("Ghi chú"), "tags");
}

TEST(Headers, ReadReportsUnknownDuplicateAndMissingColumns) {
  std::vector<RowError> errors;
  const Header ok = Widgets().headers().Read({"STT", "Màu", "kind", "Mã", "Lý do"}, 1, errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].code, "widget.unknown_column");
  EXPECT_EQ(errors[0].column, "Màu");
  EXPECT_EQ(ok.Find("code"), 3u);
  EXPECT_EQ(ok.Find("reason"), 4u);
  EXPECT_EQ(ok.Find("name"), std::nullopt);
  // The kind is read last.
  ASSERT_EQ(ok.fields.size(), 2u);
  EXPECT_EQ(ok.fields.back().first, 2u);

  errors.clear();
  Widgets().headers().Read({"Tên", "name"}, 4, errors);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].code, "widget.duplicate_column");
  EXPECT_EQ(errors[0].message, "'Tên' and 'name' both name the column name: keep one");
  EXPECT_EQ(errors[1].code, "widget.missing_column");
  EXPECT_EQ(errors[1].row, 4u);
  EXPECT_EQ(errors[1].message, "required (Mã)");
}

TEST(Layout, ReadsCellsOverARecord) {
  std::vector<RowError> errors;
  const Header h = Widgets().headers().Read(
      {"Mã", "Tên", "Nhãn", "Ngày lắp đặt", "kind", "Ngày hiệu lực"}, 1, errors);
  ASSERT_TRUE(errors.empty());
  Widget w;
  w.kind = "fancy";
  std::optional<Date> effective;
  EXPECT_TRUE(Widgets().ReadCells(h, 2, {"W1", "Bơm  nước", "a; b", "31/10/2025", "", "2025-11-01"},
                                  w, effective, errors));
  EXPECT_EQ(w.code, "W1");
  EXPECT_EQ(w.name, "Bơm nước");
  EXPECT_EQ(w.tags, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(w.installed, Date::Parse("2025-10-31"));
  EXPECT_EQ(w.kind, "fancy");  // a blank kind is kept
  EXPECT_EQ(effective, Date::Parse("2025-11-01"));

  EXPECT_FALSE(
      Widgets().ReadCells(h, 3, {"W2", "", "", "tomorrow", "odd", "soon"}, w, effective, errors));
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_EQ(errors[0].column, "installed");
  EXPECT_EQ(errors[0].code, "widget.invalid_field");
  EXPECT_EQ(errors[1].column, "kind");
  EXPECT_EQ(errors[2].column, kEffectiveColumn);
  EXPECT_EQ(errors[2].row, 3u);
}

TEST(Layout, ExportsRowsThatReadBack) {
  Widget w{"W1", "Bơm", {"a", "b"}, Date::Parse("2025-10-31"), "fancy"};
  EXPECT_EQ(Widgets().Names(),
            (std::vector<std::string>{"code", "name", "tags", "installed", "kind"}));
  const auto row = Widgets().Format(w);
  EXPECT_EQ(row, (std::vector<std::string>{"W1", "Bơm", "a; b", "2025-10-31", "fancy"}));
  std::vector<RowError> errors;
  const Header h = Widgets().headers().Read(Widgets().Names(), 1, errors);
  Widget back;
  std::optional<Date> effective;
  ASSERT_TRUE(Widgets().ReadCells(h, 2, row, back, effective, errors));
  EXPECT_EQ(back.name, w.name);
  EXPECT_EQ(back.tags, w.tags);
  EXPECT_EQ(back.installed, w.installed);
  EXPECT_EQ(Widgets().Find("tags")->name, "tags");
  EXPECT_EQ(Widgets().Find("reason"), nullptr);
  EXPECT_EQ(Widgets().XlsxColumns().size(), 5u);
}

TEST(Files, HeaderSearchNumberingAndCsv) {
  Sheet sheet;
  sheet.rows = {
      {"Danh mục thiết bị"}, {}, {"STT", "Mã", "Tên"}, {"(1)", "(2)", "(3)"}, {"1", "W1", "A"}};
  EXPECT_EQ(FindHeader(sheet, Widgets().headers(), 30), 2u);
  EXPECT_EQ(FindHeader(sheet, Widgets().headers(), 1), std::nullopt);
  EXPECT_TRUE(IsColumnNumbering(sheet.rows[3]));
  EXPECT_FALSE(IsColumnNumbering(sheet.rows[4]));

  const ImportReport none = NoHeader(kCodes, 1, 30, "", true);
  ASSERT_EQ(none.errors.size(), 1u);
  EXPECT_TRUE(none.dry_run);
  EXPECT_EQ(none.errors[0].code, "widget.missing_column");

  std::istringstream csv("code,name\nW1,A\nW2,B\n");
  auto read = ReadCsv(kCodes, csv, 10, 9, {});
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(read->rows.size(), 3u);
  std::istringstream big("code\n1\n2\n3\n");
  auto too_many = ReadCsv(kCodes, big, 3, 2, {});
  ASSERT_FALSE(too_many);
  EXPECT_EQ(too_many.error().code, "widget.bad_file");
  EXPECT_EQ(too_many.error().message, "more than 2 rows: split the file");
  // Past the upload limits: the limit's own problem, not the module's bad_file.
  std::istringstream wide("code,name,tags\nW1,A,x\n");
  auto too_wide = ReadCsv(kCodes, wide, 10, 9, {.max_columns = 2});
  ASSERT_FALSE(too_wide);
  EXPECT_EQ(too_wide.error().code, "file.too_many_columns");

  std::ostringstream out;
  ASSERT_TRUE(WriteCsv(kCodes, out, *read, "failed"));
  EXPECT_NE(out.str().find("W2"), std::string::npos);
  auto not_xlsx = OpenWorkbook(kCodes, "not a workbook", "", {});
  ASSERT_FALSE(not_xlsx);
  EXPECT_EQ(not_xlsx.error().code, "widget.bad_file");
}

enum class Shade { kLight, kDark };
constexpr EnumNames<Shade, 2> kShadeNames{{"light", "dark"}};
constexpr EnumSpellings<Shade, 2> kShadeSpellings{{{{"Nhạt"}, {"Đậm", "Sẫm"}}}};
struct Swatch {
  Shade shade = Shade::kLight;
};

TEST(EnumColumn, ReadsTheNameOrASpellingAndWritesTheName) {
  const auto column = EnumColumn<&Swatch::shade, kShadeNames, kShadeSpellings>("shade");
  Swatch s;
  EXPECT_FALSE(column.parse(s, "sẫm"));
  EXPECT_EQ(s.shade, Shade::kDark);
  EXPECT_EQ(column.format(s), "dark");
  EXPECT_FALSE(column.parse(s, "Light"));
  EXPECT_EQ(s.shade, Shade::kLight);
  EXPECT_EQ(column.parse(s, "xanh"), "'xanh' is not one of the allowed values");
  EXPECT_EQ(SpellingsOf<kShadeSpellings>().size(), 3u);
}

}  // namespace
}  // namespace pdh::reg
