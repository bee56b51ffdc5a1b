// Tests for Vietnamese text handling: validation, NFC, whitespace and folding.
#include "core/text.h"

#include <gtest/gtest.h>

namespace pdh::text {
namespace {

// "Hòa" written with a precomposed ò (NFC) and with o + combining grave (NFD).
constexpr std::string_view kHoaNfc =
    "H\xC3\xB2"
    "a";
constexpr std::string_view kHoaNfd =
    "Ho\xCC\x80"
    "a";

TEST(Utf8, ValidAndInvalid) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("Cơ sở Dữ liệu"));
  EXPECT_FALSE(IsValidUtf8("\xC3"));          // truncated
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));      // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));  // surrogate
  EXPECT_FALSE(IsValidUtf8("T\xE2y Ninh"));   // Latin-1 byte in UTF-8 text
}

TEST(Nfc, ComposesDecomposedInput) {
  EXPECT_EQ(Nfc(kHoaNfd), kHoaNfc);
  EXPECT_EQ(Nfc(kHoaNfc), kHoaNfc);
  // ệ as e + circumflex + dot below, in either mark order, composes to U+1EC7.
  EXPECT_EQ(Nfc("e\xCC\x82\xCC\xA3"), "\xE1\xBB\x87");
  EXPECT_EQ(Nfc("e\xCC\xA3\xCC\x82"), "\xE1\xBB\x87");
  EXPECT_EQ(Nfc("plain ascii"), "plain ascii");
}

TEST(Nfc, ReplacesInvalidBytes) {
  EXPECT_EQ(Nfc("a\xFF"
                "b"),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(Nfc("\xC3"), "\xEF\xBF\xBD");
  EXPECT_TRUE(IsValidUtf8(Nfc("\xE1\xBB \x80\xED\xA0\x80 Ho\xCC\x80")));
}

TEST(CollapseSpaces, AllKindsOfSpace) {
  EXPECT_EQ(CollapseSpaces("  Phường \t Ba\r\nĐình  "), "Phường Ba Đình");
  EXPECT_EQ(CollapseSpaces("\xC2\xA0Tây\xC2\xA0\xC2\xA0Ninh\xE2\x80\xAF"), "Tây Ninh");
  EXPECT_EQ(CollapseSpaces("a\xE3\x80\x80"
                           "b\xE2\x80\xA8"
                           "c"),
            "a b c");  // U+3000, U+2028
  EXPECT_EQ(CollapseSpaces(" \n\t "), "");
  EXPECT_EQ(CollapseSpaces(""), "");
  EXPECT_EQ(CollapseSpaces("a\xFF  b"), "a\xFF b");  // invalid bytes pass through
}

TEST(Fold, VietnameseKeys) {
  EXPECT_EQ(Fold("Cơ sở Dữ liệu"), "co so du lieu");
  EXPECT_EQ(Fold("ĐẮK LẮK"), "dak lak");
  EXPECT_EQ(Fold("  Thành phố  Hồ Chí Minh\n"), "thanh pho ho chi minh");
  EXPECT_EQ(Fold("Ưu tiên"), "uu tien");
}

TEST(Fold, EquivalentSpellingsMatch) {
  // Old-style "Hoà" (mark on a) and new-style "Hòa" (mark on o) are the same name.
  EXPECT_EQ(Fold("Hoà"), Fold("Hòa"));
  EXPECT_EQ(Fold(kHoaNfd), Fold(kHoaNfc));
  EXPECT_EQ(Fold(kHoaNfc), "hoa");
}

TEST(Fold, TheLatinTableAgreesWithDecomposingForEveryCodePoint) {
  // Text of Latin letters is folded by table look-up; the same letter followed by a combining
  // mark (dropped by the fold) goes through decomposition. Both must give the same key.
  auto utf8 = [](char32_t cp) {
    std::string s;
    if (cp < 0x80) {
      s += static_cast<char>(cp);
    } else if (cp < 0x800) {
      s += static_cast<char>(0xC0 | (cp >> 6));
      s += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      s += static_cast<char>(0xE0 | (cp >> 12));
      s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      s += static_cast<char>(0x80 | (cp & 0x3F));
    }
    return s;
  };
  int checked = 0;
  for (char32_t cp = 0x20; cp < 0x1F00; ++cp) {
    if ((cp >= 0x7F && cp < 0xA0) || (cp >= 0x250 && cp < 0x1E00)) continue;
    const std::string letter = "x" + utf8(cp);
    EXPECT_EQ(Fold(letter), Fold(letter + "\u0301")) << "U+" << std::hex << static_cast<int>(cp);
    ++checked;
  }
  EXPECT_EQ(checked, 0x250 - 0x20 - 0x21 + 0x100);
  EXPECT_EQ(Fold("ĐƯỜNG Nguyễn Trãi, ấp Bình Hòa"), "duong nguyen trai, ap binh hoa");
}

TEST(Fold, InvalidInputDoesNotCrash) {
  EXPECT_EQ(Fold("a\xFF"
                 "b"),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(Fold(std::string_view("x\0y", 3)), std::string("x\0y", 3));
  EXPECT_EQ(FoldAlnum("\xC0\xC1\xF5\xFF"), "");
}

TEST(FoldAlnum, PunctuationDoesNotMatter) {
  EXPECT_EQ(FoldAlnum("Ea H'Leo"), FoldAlnum("Ea H\xE2\x80\x99Leo"));
  EXPECT_EQ(FoldAlnum("Ea H'Leo"), FoldAlnum("Ea HLeo"));
  EXPECT_EQ(FoldAlnum("Ea H'Leo"), "eahleo");
  EXPECT_EQ(FoldAlnum("Phường 5 (Bạc Liêu)"), "phuong5baclieu");
}

TEST(FoldContains, DiacriticInsensitive) {
  EXPECT_TRUE(FoldContains("Tỉnh Tây Ninh", "tay ninh"));
  EXPECT_TRUE(FoldContains("Tỉnh Tây Ninh", "TÂY  NINH"));
  EXPECT_TRUE(FoldContains("Đắk Lắk", ""));
  EXPECT_FALSE(FoldContains("Tỉnh Tây Ninh", "long an"));
}

}  // namespace
TEST(Text, XmlEscapeEscapesAmpersandAnglesAndQuotes) {
  EXPECT_EQ(XmlEscape(R"(<a href="x">Tân & Ninh</a>)"),
            "&lt;a href=&quot;x&quot;&gt;Tân &amp; Ninh&lt;/a&gt;");
  EXPECT_EQ(XmlEscape("Phường Tân Ninh"), "Phường Tân Ninh");
}

}  // namespace pdh::text
