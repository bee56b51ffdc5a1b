// Tests for the legacy Vietnamese encodings: tables (cross-checked against glibc's iconv where it
// has the encoding), round trips, known byte strings and detection.
#include "core/encoding.h"

#include <gtest/gtest.h>
#include <iconv.h>

#include <cstdint>
#include <vector>

#include "core/text.h"

namespace pdh::encoding {
namespace {

// Every Vietnamese letter, by vowel and tone (level, grave, hook, tilde, acute, dot below).
constexpr std::string_view kLower =
    "aàảãáạ ăằẳẵắặ âầẩẫấậ eèẻẽéẹ êềểễếệ iìỉĩíị oòỏõóọ ôồổỗốộ ơờởỡớợ uùủũúụ ưừửữứự yỳỷỹýỵ đ";
constexpr std::string_view kUpper =
    "AÀẢÃÁẠ ĂẰẲẴẮẶ ÂẦẨẪẤẬ EÈẺẼÉẸ ÊỀỂỄẾỆ IÌỈĨÍỊ OÒỎÕÓỌ ÔỒỔỖỐỘ ƠỜỞỠỚỢ UÙỦŨÚỤ ƯỪỬỮỨỰ YỲỶỸÝỴ Đ";
// What else a data file holds: ASCII letters and digits, punctuation, and the capitals TCVN3
// has.
constexpr std::string_view kAscii = "Tỉnh Tây Ninh, mã 80; QUY HOẠCH 2021-2030 (số 1/2025).";
constexpr std::string_view kTcvn3Capitals = "Ă Â Đ Ê Ô Ơ Ư";

constexpr Encoding kLegacy[] = {Encoding::kTcvn3, Encoding::kVni, Encoding::kViscii,
                                Encoding::kCp1258};

std::string Join(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (std::string_view p : parts) out.append(p).append("\n");
  return out;
}

std::string Encode(std::string_view utf8, Encoding to) {
  Result<std::string> r = FromUtf8(utf8, to);
  EXPECT_TRUE(r.has_value()) << Name(to) << ": " << (r ? "" : r.error().message);
  return r ? *r : "";
}

// `in` converted by glibc's iconv, or nullopt when iconv lacks the encoding or refuses.
std::optional<std::string> Iconv(const char* to, const char* from, std::string_view in) {
  iconv_t cd = iconv_open(to, from);
  if (reinterpret_cast<intptr_t>(cd) == -1) return std::nullopt;
  std::string input(in);
  std::string out(in.size() * 4 + 16, '\0');
  char* src = input.data();
  size_t src_left = input.size();
  char* dst = out.data();
  size_t dst_left = out.size();
  size_t rc = iconv(cd, &src, &src_left, &dst, &dst_left);
  size_t flush = iconv(cd, nullptr, nullptr, &dst, &dst_left);
  iconv_close(cd);
  if (rc == static_cast<size_t>(-1) || flush == static_cast<size_t>(-1)) return std::nullopt;
  out.resize(out.size() - dst_left);
  return out;
}

std::vector<std::string> Letters(std::string_view text) {
  std::vector<std::string> letters;
  std::string current;
  for (size_t i = 0; i < text.size(); ++i) {
    auto b = static_cast<unsigned char>(text[i]);
    if ((b & 0xC0) != 0x80 && !current.empty()) {
      if (current != " ") letters.push_back(current);
      current.clear();
    }
    current.push_back(text[i]);
  }
  if (!current.empty() && current != " ") letters.push_back(current);
  return letters;
}

TEST(EncodingNames, NameAndParse) {
  EXPECT_EQ(Name(Encoding::kUtf8), "utf-8");
  EXPECT_EQ(Name(Encoding::kTcvn3), "tcvn3");
  EXPECT_EQ(Name(Encoding::kVni), "vni");
  EXPECT_EQ(Name(Encoding::kViscii), "viscii");
  EXPECT_EQ(Name(Encoding::kCp1258), "cp1258");
  for (Encoding e :
       {Encoding::kUtf8, Encoding::kTcvn3, Encoding::kVni, Encoding::kViscii, Encoding::kCp1258}) {
    EXPECT_EQ(Parse(Name(e)), e);
  }
  EXPECT_EQ(Parse("UTF8"), Encoding::kUtf8);
  EXPECT_EQ(Parse("ABC"), Encoding::kTcvn3);
  EXPECT_EQ(Parse("TCVN"), Encoding::kTcvn3);
  EXPECT_EQ(Parse(" Windows-1258 "), Encoding::kCp1258);
  EXPECT_EQ(Parse("VNI-Windows"), Encoding::kVni);
  EXPECT_EQ(Parse("VISCII"), Encoding::kViscii);
  EXPECT_EQ(Parse("latin1"), std::nullopt);
  EXPECT_EQ(Parse(""), std::nullopt);
}

TEST(EncodingRoundTrip, EveryLetter) {
  const std::string all = Join({kLower, kUpper, kAscii});
  for (Encoding e : {Encoding::kVni, Encoding::kViscii, Encoding::kCp1258, Encoding::kUtf8}) {
    EXPECT_EQ(ToUtf8(Encode(all, e), e), all) << Name(e);
  }
  const std::string tcvn3 = Join({kLower, kTcvn3Capitals, "Tây Ninh, mã 80; 2021-2030 (1/2025)."});
  EXPECT_EQ(ToUtf8(Encode(tcvn3, Encoding::kTcvn3), Encoding::kTcvn3), tcvn3);
}

TEST(EncodingRoundTrip, DecomposedInputIsComposedFirst) {
  // "Việt" with e + circumflex + dot below.
  for (Encoding e : kLegacy) {
    EXPECT_EQ(Encode("Vie\xCC\x82\xCC\xA3t", e), Encode("Việt", e)) << Name(e);
  }
}

TEST(EncodingTcvn3, KnownBytes) {
  EXPECT_EQ(ToUtf8("T\xAAn \xAE\xACn v\xDE", Encoding::kTcvn3), "Tên đơn vị");
  EXPECT_EQ(ToUtf8("Vi\xD6t Nam", Encoding::kTcvn3), "Việt Nam");
  EXPECT_EQ(ToUtf8("\xA7\xB5 N\xBDng", Encoding::kTcvn3), "Đà Nẵng");
  EXPECT_EQ(Encode("Phường Tân Ninh", Encoding::kTcvn3), "Ph\xAD\xEAng T\xA9n Ninh");
  // The combining tones 0xB0-0xB4 compose.
  EXPECT_EQ(ToUtf8("A\xB3 a\xB4", Encoding::kTcvn3), "Á ạ");
  // A VN1 capital in a position VN3 leaves free.
  EXPECT_EQ(ToUtf8("\x80", Encoding::kTcvn3), "À");
}

TEST(EncodingTcvn3, CapitalsItLacksGoToLowercasePositions) {
  EXPECT_EQ(Encode("Á", Encoding::kTcvn3), "\xB8");
  EXPECT_EQ(Encode("á", Encoding::kTcvn3), "\xB8");
  EXPECT_EQ(Encode("ĐỒNG THÁP", Encoding::kTcvn3), "\xA7\xE5NG TH\xB8P");
  EXPECT_EQ(ToUtf8(Encode(kUpper, Encoding::kTcvn3), Encoding::kTcvn3),
            "Aàảãáạ Ăằẳẵắặ Âầẩẫấậ Eèẻẽéẹ Êềểễếệ Iìỉĩíị Oòỏõóọ Ôồổỗốộ Ơờởỡớợ Uùủũúụ Ưừửữứự "
            "Yỳỷỹýỵ Đ");
}

TEST(EncodingTcvn3, LowercaseMatchesGlibcVn1) {
  // VN3's lowercase letters and Ă Â Đ Ê Ô Ơ Ư sit where VN1 (glibc's TCVN5712-1) has them, and
  // every high byte reads as in VN1.
  for (const std::string& letter : Letters(Join({kLower, kTcvn3Capitals}))) {
    if (letter == "\n") continue;
    std::optional<std::string> glibc = Iconv("TCVN5712-1", "UTF-8", letter);
    if (!glibc) GTEST_SKIP() << "iconv has no TCVN5712-1";
    EXPECT_EQ(Encode(letter, Encoding::kTcvn3), *glibc) << letter;
  }
  for (int b = 0x80; b <= 0xFF; ++b) {
    std::string byte(1, static_cast<char>(b));
    std::optional<std::string> glibc = Iconv("UTF-8", "TCVN5712-1", byte);
    if (!glibc) GTEST_SKIP() << "iconv has no TCVN5712-1";
    EXPECT_EQ(ToUtf8(byte, Encoding::kTcvn3), text::Nfc(*glibc)) << b;
  }
}

TEST(EncodingVni, KnownBytes) {
  EXPECT_EQ(ToUtf8("Vie\xE4t Nam", Encoding::kVni), "Việt Nam");
  EXPECT_EQ(ToUtf8("Tie\xE1ng Vie\xE4t", Encoding::kVni), "Tiếng Việt");
  EXPECT_EQ(ToUtf8("Ph\xF6\xF4\xF8ng Ta\xE2n Ninh", Encoding::kVni), "Phường Tân Ninh");
  EXPECT_EQ(ToUtf8("\xD1"
                   "a\xF8 Na\xFCng",
                   Encoding::kVni),
            "Đà Nẵng");
  EXPECT_EQ(ToUtf8("Tha\xF8nh pho\xE1 Ho\xE0 Ch\xED Minh", Encoding::kVni),
            "Thành phố Hồ Chí Minh");
  EXPECT_EQ(ToUtf8("Ba\xF8 R\xF2"
                   "a \x96 Vu\xF5ng Ta\xF8u",
                   Encoding::kVni),
            "Bà Rịa – Vũng Tàu");
  EXPECT_EQ(ToUtf8("VIE\xC4T NAM \xD1O\xC0NG TH\xD6\xD4\xD8NG", Encoding::kVni),
            "VIỆT NAM ĐỒNG THƯỜNG");
  EXPECT_EQ(ToUtf8("ng\xF6\xF4\xF8i da\xE2n", Encoding::kVni), "người dân");
  EXPECT_EQ(ToUtf8("\xEE \xCE \xE6 \xC6 \xF3 \xD3", Encoding::kVni), "ỵ Ỵ ỉ Ỉ ĩ Ĩ");
  // The letter decides the case when a typist mixed them.
  EXPECT_EQ(ToUtf8("A\xF9", Encoding::kVni), "Á");
  EXPECT_EQ(Encode("Việt Nam", Encoding::kVni), "Vie\xE4t Nam");
  EXPECT_EQ(Encode("ĐẶNG", Encoding::kVni),
            "\xD1"
            "A\xCBNG");
  // A diacritic byte with no vowel before it is a lone combining mark.
  EXPECT_EQ(ToUtf8("T\xE2n", Encoding::kVni), "T\xCC\x82n");
  // Other Windows-1252 characters where VNI leaves the byte alone.
  EXPECT_EQ(ToUtf8("\x93x\x94 \xA9", Encoding::kVni), "“x” ©");
  EXPECT_EQ(Encode("“x” ©", Encoding::kVni), "\x93x\x94 \xA9");
}

TEST(EncodingViscii, KnownBytes) {
  EXPECT_EQ(ToUtf8("Vi\xAEt Nam", Encoding::kViscii), "Việt Nam");
  EXPECT_EQ(ToUtf8("\x02\x05\x06\x14\x19\x1E", Encoding::kViscii), "ẲẴẪỶỸỴ");
  EXPECT_EQ(ToUtf8("a\tb\r\n", Encoding::kViscii), "a\tb\r\n");
}

TEST(EncodingViscii, MatchesGlibc) {
  for (int b = 0; b <= 0xFF; ++b) {
    std::string byte(1, static_cast<char>(b));
    std::optional<std::string> glibc = Iconv("UTF-8", "VISCII", byte);
    if (!glibc) GTEST_SKIP() << "iconv has no VISCII";
    EXPECT_EQ(ToUtf8(byte, Encoding::kViscii), *glibc) << b;
  }
  for (const std::string& letter : Letters(Join({kLower, kUpper}))) {
    if (letter == "\n") continue;
    EXPECT_EQ(Encode(letter, Encoding::kViscii), Iconv("VISCII", "UTF-8", letter)) << letter;
  }
}

TEST(EncodingCp1258, KnownBytes) {
  EXPECT_EQ(ToUtf8("Vi\xEA\xF2t Nam", Encoding::kCp1258), "Việt Nam");
  EXPECT_EQ(ToUtf8("\xD0\xE3\xEC", Encoding::kCp1258), "Đắ");
  EXPECT_EQ(Encode("Việt", Encoding::kCp1258), "Vi\xEA\xF2t");
  EXPECT_EQ(Encode("á ã ờ Ậ", Encoding::kCp1258), "\xE1 a\xDE \xF5\xCC \xC2\xF2");
  EXPECT_EQ(ToUtf8("100\xFE", Encoding::kCp1258), "100₫");
}

TEST(EncodingCp1258, MatchesGlibc) {
  for (int b = 0; b <= 0xFF; ++b) {
    std::string byte(1, static_cast<char>(b));
    std::optional<std::string> glibc = Iconv("UTF-8", "CP1258", byte);
    if (!glibc) continue;  // glibc rejects the undefined positions
    EXPECT_EQ(ToUtf8(byte, Encoding::kCp1258), text::Nfc(*glibc)) << b;
  }
  for (const std::string& letter : Letters(Join({kLower, kUpper}))) {
    if (letter == "\n") continue;
    std::optional<std::string> glibc = Iconv("CP1258", "UTF-8", letter);
    if (!glibc) GTEST_SKIP() << "iconv has no CP1258";
    // The same split into a Windows-1258 letter and a tone mark as glibc makes.
    EXPECT_EQ(Encode(letter, Encoding::kCp1258), *glibc) << letter;
    EXPECT_EQ(ToUtf8(*glibc, Encoding::kCp1258), letter);
  }
}

TEST(EncodingFromUtf8, Unrepresentable) {
  Result<std::string> r = FromUtf8("Giá 5 € một", Encoding::kTcvn3);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "encoding.unrepresentable");
  EXPECT_NE(r.error().message.find("€"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("U+20AC"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("TCVN3"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("character 7"), std::string::npos) << r.error().message;
  for (Encoding e : kLegacy) {
    Result<std::string> cjk = FromUtf8("Hà Nội 河内", e);
    ASSERT_FALSE(cjk) << Name(e);
    EXPECT_EQ(cjk.error().code, "encoding.unrepresentable");
    EXPECT_NE(cjk.error().message.find("河"), std::string::npos);
  }
  EXPECT_FALSE(FromUtf8("ä", Encoding::kVni));  // its byte is a VNI diacritic
  EXPECT_FALSE(FromUtf8("ñ", Encoding::kVni));  // its byte is VNI's đ
  EXPECT_FALSE(FromUtf8("ð", Encoding::kCp1258));
  EXPECT_FALSE(FromUtf8("\x02", Encoding::kViscii));  // the byte is VISCII's Ẳ
  EXPECT_TRUE(FromUtf8("\x02", Encoding::kCp1258));
  EXPECT_EQ(FromUtf8("\xC3", Encoding::kVni).error().code, "encoding.invalid_utf8");
  EXPECT_EQ(FromUtf8("Ha\xCC\x80", Encoding::kUtf8), "Hà");
}

// Realistic samples: a short CSV file, an administrative paragraph, place names, personal
// names and a document heading in capitals.
constexpr std::string_view kCsv = "Mã,Tên đơn vị,Ghi chú\n25459,Phường Tân Ninh,Đã hoàn thành\n";
constexpr std::string_view kParagraph =
    "Ủy ban nhân dân tỉnh Tây Ninh ban hành kế hoạch chuyển đổi số năm 2025. Các sở, ban, "
    "ngành và Ủy ban nhân dân các xã, phường có trách nhiệm cập nhật dữ liệu vào hệ thống "
    "trước ngày 31 tháng 12; báo cáo kết quả thực hiện về Sở Khoa học và Công nghệ.";
constexpr std::string_view kPlaces =
    "STT;Tỉnh/thành phố;Dân số\n1;Thành phố Hồ Chí Minh;14.002.598\n2;Bà Rịa - Vũng Tàu;"
    "1.187.528\n3;Đắk Lắk;1.918.459\n4;Thừa Thiên Huế;1.163.591\n5;Khánh Hoà;1.253.970\n"
    "6;Bạc Liêu;921.808\n7;Quảng Ngãi;1.245.648\n";
constexpr std::string_view kPeople =
    "Họ và tên,Ngày sinh,Quê quán\nNguyễn Văn An,12/03/1985,Hải Dương\nTrần Thị Bích Ngọc,"
    "01/07/1990,Nghệ An\nLê Hoàng Phúc,23/11/1978,Cần Thơ\nPhạm Quỳnh Anh,05/05/2001,"
    "Thanh Hoá\nĐỗ Minh Tuấn,30/09/1969,Quảng Trị\nVõ Thị Hường,17/02/1995,Bến Tre\n";
constexpr std::string_view kHeading =
    "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\nQUYẾT ĐỊNH\nVề việc "
    "phê duyệt danh mục cơ sở dữ liệu dùng chung của tỉnh\n";

const std::vector<std::string>& Samples() {
  static const std::vector<std::string> samples = {std::string(kCsv), std::string(kParagraph),
                                                   std::string(kPlaces), std::string(kPeople),
                                                   std::string(kHeading)};
  return samples;
}

TEST(EncodingDetect, Utf8) {
  EXPECT_EQ(Detect("").encoding, Encoding::kUtf8);
  EXPECT_EQ(Detect("plain ASCII, 123").encoding, Encoding::kUtf8);
  for (const std::string& s : Samples()) {
    Detection d = Detect(s);
    EXPECT_EQ(d.encoding, Encoding::kUtf8);
    EXPECT_EQ(d.confidence, 1.0);
    EXPECT_EQ(d.legacy_chars, 0U);
    EXPECT_EQ(Detect("\xEF\xBB\xBF" + s).encoding, Encoding::kUtf8);
  }
  // A sample cut in the middle of "ệ" (E1 BB 87) is still UTF-8 when an earlier character
  // shows it is.
  EXPECT_EQ(Detect("Tây Ninh, Vi\xE1\xBB").encoding, Encoding::kUtf8);
  EXPECT_EQ(Detect("Tây Ninh, Vi\xE1").encoding, Encoding::kUtf8);
  // Without one, a lone high byte at the end is a legacy letter: "có" in TCVN3.
  EXPECT_EQ(Detect("yes/no as c\xE3").encoding, Encoding::kTcvn3);
}

size_t CountVietnameseLetters(std::string_view utf8) {
  size_t n = 0;
  for (const std::string& letter : Letters(utf8)) {
    if (letter.size() > 1 && text::Fold(letter) != letter) ++n;
  }
  return n;
}

TEST(EncodingDetect, EachLegacyEncodingOnEachSample) {
  for (Encoding e : kLegacy) {
    for (const std::string& s : Samples()) {
      std::string bytes = Encode(s, e);
      Detection d = Detect(bytes);
      EXPECT_EQ(d.encoding, e) << Name(e) << " detected as " << Name(d.encoding) << ": " << s;
      EXPECT_GT(d.confidence, 0.5) << Name(e) << ": " << s;
      EXPECT_LE(d.confidence, 1.0);
      EXPECT_EQ(d.legacy_chars, CountVietnameseLetters(ToUtf8(bytes, e))) << Name(e);
      EXPECT_GT(d.legacy_chars, 0U);
    }
  }
}

TEST(EncodingDetect, AllSamplesTogether) {
  std::string all;
  for (const std::string& s : Samples()) all += s;
  for (Encoding e : kLegacy) {
    Detection d = Detect(Encode(all, e));
    EXPECT_EQ(d.encoding, e) << Name(e);
    EXPECT_GT(d.confidence, 0.8) << Name(e);
  }
}

TEST(EncodingDetect, WindowsPunctuation) {
  // Curly quotes and dashes are Windows-1252 bytes in VNI and Windows-1258 files.
  const std::string s =
      "Dự án “Chuyển đổi số tỉnh Tây Ninh” – giai đoạn 2025–2030: đã hoàn thành 80% kế hoạch.";
  for (Encoding e : {Encoding::kVni, Encoding::kCp1258}) {
    Detection d = Detect(Encode(s, e));
    EXPECT_EQ(d.encoding, e) << Name(e);
    EXPECT_GT(d.confidence, 0.8) << Name(e);
  }
}

TEST(EncodingDetect, AmbiguousSampleHasLowConfidence) {
  // "Tân" is T 0xE2 n in Windows-1258 and VISCII alike, and a real word in TCVN3 too (Tõn).
  EXPECT_LT(Detect("T\xE2n").confidence, 0.2);
}

TEST(EncodingDetect, Garbage) {
  // Box drawing and controls in a DOS-era file are not Vietnamese in any encoding.
  Detection d = Detect("\xC9\xCD\xCD\xBB\x01\x02\x03\xFE\xFF");
  EXPECT_LT(d.confidence, 0.3);
}

}  // namespace
}  // namespace pdh::encoding
