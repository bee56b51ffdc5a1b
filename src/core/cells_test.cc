#include "core/cells.h"

#include <gtest/gtest.h>

namespace pdh::cells {
namespace {

enum class Colour { kRed, kDarkBlue };
std::optional<Colour> ParseColour(std::string_view s) {
  if (s == "red") return Colour::kRed;
  if (s == "dark_blue") return Colour::kDarkBlue;
  return std::nullopt;
}

TEST(Cells, ListsSplitAtTheGivenSeparatorsAndJoinWithSemicolons) {
  EXPECT_EQ(Split(" 80.SYT ;; 80.STC  ; "), (std::vector<std::string>{"80.SYT", "80.STC"}));
  EXPECT_EQ(Split("a, b\nc", ";,\n"), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(Split("a, b"), (std::vector<std::string>{"a, b"}));
  EXPECT_EQ(Join({"a", "b"}), "a; b");
  EXPECT_EQ(Split(Join({"x y", "z"})), (std::vector<std::string>{"x y", "z"}));
}

TEST(Cells, DatesInBothFormsAndEmptyUnsets) {
  std::optional<Date> d;
  EXPECT_FALSE(ParseDate("31/10/2025", d));
  EXPECT_EQ(FormatDate(d), "2025-10-31");
  EXPECT_FALSE(ParseDate("", d));
  EXPECT_FALSE(d.has_value());
  auto bad = ParseDate("31/02/2025", d);
  ASSERT_TRUE(bad);
  EXPECT_NE(bad->find("31/02/2025"), std::string::npos);
}

TEST(Cells, EnumsByNameInAnyCaseOrByVietnameseSpelling) {
  const auto spellings = Folded<Colour>({{"Xanh đậm", Colour::kDarkBlue}});
  Colour c = Colour::kRed;
  EXPECT_FALSE(ParseEnum("Dark Blue", c, ParseColour, spellings));
  EXPECT_EQ(c, Colour::kDarkBlue);
  c = Colour::kRed;
  EXPECT_FALSE(ParseEnum("xanh dam", c, ParseColour, spellings));
  EXPECT_EQ(c, Colour::kDarkBlue);
  EXPECT_TRUE(ParseEnum("green", c, ParseColour, spellings));
}

TEST(Cells, CellsAreNormalizedAndBlankRowsFound) {
  const std::vector<std::string> row = {"  Sở   Y tế ", ""};
  EXPECT_EQ(At(row, 0), "Sở Y tế");
  EXPECT_EQ(At(row, 5), "");
  EXPECT_EQ(At(row, std::nullopt), "");
  EXPECT_FALSE(Blank(row));
  EXPECT_TRUE(Blank({" ", ""}));
}

}  // namespace
}  // namespace pdh::cells
