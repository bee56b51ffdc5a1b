// Converters for the legacy Vietnamese encodings, built on the tables below, and the syllable
// check Detect scores each candidate conversion with.
#include "core/encoding.h"

#include <utf8proc.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/text.h"

namespace pdh::encoding {
namespace {

using CodePoint = char32_t;
using ByteMap = std::unordered_map<CodePoint, uint8_t>;

constexpr CodePoint kReplacement = 0xFFFD;

// Detect's confidence reaches 1 - 1/e (63%) when the winner leads by this many frequent
// syllables.
constexpr double kLeadScale = 2;

// ------------------------------------------------------------------------------------ UTF-8

void Append(std::string& out, CodePoint cp) {
  utf8proc_uint8_t buf[4];
  utf8proc_ssize_t n = utf8proc_encode_char(static_cast<utf8proc_int32_t>(cp), buf);
  out.append(reinterpret_cast<const char*>(buf), static_cast<size_t>(n));
}

std::string Utf8(std::u32string_view cps) {
  std::string out;
  out.reserve(cps.size());
  for (CodePoint cp : cps) Append(out, cp);
  return out;
}

// The code points of `s`; an ill-formed byte becomes U+FFFD.
std::u32string CodePoints(std::string_view s) {
  std::u32string out;
  out.reserve(s.size());
  const auto* bytes = reinterpret_cast<const utf8proc_uint8_t*>(s.data());
  for (size_t i = 0; i < s.size();) {
    utf8proc_int32_t cp = 0;
    utf8proc_ssize_t n =
        utf8proc_iterate(bytes + i, static_cast<utf8proc_ssize_t>(s.size() - i), &cp);
    if (n > 0) {
      out.push_back(static_cast<CodePoint>(cp));
      i += static_cast<size_t>(n);
    } else {
      out.push_back(kReplacement);
      ++i;
    }
  }
  return out;
}

CodePoint Lower(CodePoint cp) {
  return static_cast<CodePoint>(utf8proc_tolower(static_cast<utf8proc_int32_t>(cp)));
}

CodePoint Upper(CodePoint cp) {
  return static_cast<CodePoint>(utf8proc_toupper(static_cast<utf8proc_int32_t>(cp)));
}

utf8proc_category_t Category(CodePoint cp) {
  return utf8proc_category(static_cast<utf8proc_int32_t>(cp));
}

// --------------------------------------------------------------------- Vietnamese letters

enum Tone : uint8_t { kLevel, kGrave, kHook, kTilde, kAcute, kDotBelow };

// The combining mark of each tone (none for kLevel).
constexpr std::array<CodePoint, 6> kToneMarks = {0, 0x0300, 0x0309, 0x0303, 0x0301, 0x0323};

// The twelve vowels, rows of kVowels.
enum Vowel : int {
  kA,
  kABreve,
  kACircumflex,
  kE,
  kECircumflex,
  kI,
  kO,
  kOCircumflex,
  kOHorn,
  kU,
  kUHorn,
  kY
};
constexpr int kD = -1;  // Letter::vowel of đ/Đ

// Lowercase vowels by tone: level, grave (huyền), hook (hỏi), tilde (ngã), acute (sắc), dot
// below (nặng).
constexpr std::array<std::array<CodePoint, 6>, 12> kVowels = {{
    {U'a', U'à', U'ả', U'ã', U'á', U'ạ'},
    {U'ă', U'ằ', U'ẳ', U'ẵ', U'ắ', U'ặ'},
    {U'â', U'ầ', U'ẩ', U'ẫ', U'ấ', U'ậ'},
    {U'e', U'è', U'ẻ', U'ẽ', U'é', U'ẹ'},
    {U'ê', U'ề', U'ể', U'ễ', U'ế', U'ệ'},
    {U'i', U'ì', U'ỉ', U'ĩ', U'í', U'ị'},
    {U'o', U'ò', U'ỏ', U'õ', U'ó', U'ọ'},
    {U'ô', U'ồ', U'ổ', U'ỗ', U'ố', U'ộ'},
    {U'ơ', U'ờ', U'ở', U'ỡ', U'ớ', U'ợ'},
    {U'u', U'ù', U'ủ', U'ũ', U'ú', U'ụ'},
    {U'ư', U'ừ', U'ử', U'ữ', U'ứ', U'ự'},
    {U'y', U'ỳ', U'ỷ', U'ỹ', U'ý', U'ỵ'},
}};

constexpr CodePoint kDStroke = U'đ';
constexpr CodePoint kDStrokeUpper = U'Đ';

// A Vietnamese vowel or đ, either case.
struct Letter {
  int vowel = kD;
  Tone tone = kLevel;
  bool upper = false;
};

CodePoint LetterCodePoint(int vowel, Tone tone, bool upper) {
  CodePoint cp = vowel == kD ? kDStroke : kVowels[static_cast<size_t>(vowel)][tone];
  return upper ? Upper(cp) : cp;
}

const std::unordered_map<CodePoint, Letter>& Letters() {
  static const std::unordered_map<CodePoint, Letter> letters = [] {
    std::unordered_map<CodePoint, Letter> m;
    for (int v = kA; v <= kY; ++v) {
      for (uint8_t t = kLevel; t <= kDotBelow; ++t) {
        auto tone = static_cast<Tone>(t);
        m[LetterCodePoint(v, tone, false)] = {v, tone, false};
        m[LetterCodePoint(v, tone, true)] = {v, tone, true};
      }
    }
    m[kDStroke] = {kD, kLevel, false};
    m[kDStrokeUpper] = {kD, kLevel, true};
    return m;
  }();
  return letters;
}

// The Vietnamese letter `cp` is (ASCII vowels included), or nullopt.
std::optional<Letter> FindLetter(CodePoint cp) {
  const auto& letters = Letters();
  auto it = letters.find(cp);
  if (it == letters.end()) return std::nullopt;
  return it->second;
}

// True for a letter with a diacritic, or đ/Đ: what only a Vietnamese encoding can produce.
bool IsVietnameseNonAscii(CodePoint cp) {
  return cp >= 0x80 && FindLetter(cp).has_value();
}

// ----------------------------------------------------------------------------------- Tables

// Windows-1252 0x80-0x9F (0xA0-0xFF is Latin-1). Undefined positions hold the C1 control with
// their number, as Windows decodes them.
constexpr std::array<CodePoint, 32> kCp1252C1 = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,  // 80 € · ‚ ƒ „ … † ‡
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,  // 88 ˆ ‰ Š ‹ Œ · Ž ·
    0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,  // 90 · ‘ ’ “ ” • – —
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,  // 98 ˜ ™ š › œ · ž Ÿ
};

// TCVN 5712:1993, 0x80-0xFF. VN3 assigns 0xA0-0xAE, the combining tones 0xB0-0xB4 and the
// lowercase letters; the capitals at 0x80-0x9F, 0xAF, 0xBA, 0xBF-0xC5, 0xCD, 0xD9-0xDB, 0xE0,
// 0xF0 and 0xFF are VN1's (see Encoding::kTcvn3).
constexpr std::array<CodePoint, 128> kTcvn3High = {
    0x00C0, 0x1EA2, 0x00C3, 0x00C1, 0x1EA0, 0x1EB6, 0x1EAC, 0x00C8,  // 80 À Ả Ã Á Ạ Ặ Ậ È
    0x1EBA, 0x1EBC, 0x00C9, 0x1EB8, 0x1EC6, 0x00CC, 0x1EC8, 0x0128,  // 88 Ẻ Ẽ É Ẹ Ệ Ì Ỉ Ĩ
    0x00CD, 0x1ECA, 0x00D2, 0x1ECE, 0x00D5, 0x00D3, 0x1ECC, 0x1ED8,  // 90 Í Ị Ò Ỏ Õ Ó Ọ Ộ
    0x1EDC, 0x1EDE, 0x1EE0, 0x1EDA, 0x1EE2, 0x00D9, 0x1EE6, 0x0168,  // 98 Ờ Ở Ỡ Ớ Ợ Ù Ủ Ũ
    0x00A0, 0x0102, 0x00C2, 0x00CA, 0x00D4, 0x01A0, 0x01AF, 0x0110,  // A0 NBSP Ă Â Ê Ô Ơ Ư Đ
    0x0103, 0x00E2, 0x00EA, 0x00F4, 0x01A1, 0x01B0, 0x0111, 0x1EB0,  // A8 ă â ê ô ơ ư đ Ằ
    0x0300, 0x0309, 0x0303, 0x0301, 0x0323, 0x00E0, 0x1EA3, 0x00E3,  // B0 ◌̀ ◌̉ ◌̃ ◌́ ◌̣ à ả ã
    0x00E1, 0x1EA1, 0x1EB2, 0x1EB1, 0x1EB3, 0x1EB5, 0x1EAF, 0x1EB4,  // B8 á ạ Ẳ ằ ẳ ẵ ắ Ẵ
    0x1EAE, 0x1EA6, 0x1EA8, 0x1EAA, 0x1EA4, 0x1EC0, 0x1EB7, 0x1EA7,  // C0 Ắ Ầ Ẩ Ẫ Ấ Ề ặ ầ
    0x1EA9, 0x1EAB, 0x1EA5, 0x1EAD, 0x00E8, 0x1EC2, 0x1EBB, 0x1EBD,  // C8 ẩ ẫ ấ ậ è Ể ẻ ẽ
    0x00E9, 0x1EB9, 0x1EC1, 0x1EC3, 0x1EC5, 0x1EBF, 0x1EC7, 0x00EC,  // D0 é ẹ ề ể ễ ế ệ ì
    0x1EC9, 0x1EC4, 0x1EBE, 0x1ED2, 0x0129, 0x00ED, 0x1ECB, 0x00F2,  // D8 ỉ Ễ Ế Ồ ĩ í ị ò
    0x1ED4, 0x1ECF, 0x00F5, 0x00F3, 0x1ECD, 0x1ED3, 0x1ED5, 0x1ED7,  // E0 Ổ ỏ õ ó ọ ồ ổ ỗ
    0x1ED1, 0x1ED9, 0x1EDD, 0x1EDF, 0x1EE1, 0x1EDB, 0x1EE3, 0x00F9,  // E8 ố ộ ờ ở ỡ ớ ợ ù
    0x1ED6, 0x1EE7, 0x0169, 0x00FA, 0x1EE5, 0x1EEB, 0x1EED, 0x1EEF,  // F0 Ỗ ủ ũ ú ụ ừ ử ữ
    0x1EE9, 0x1EF1, 0x1EF3, 0x1EF7, 0x1EF9, 0x00FD, 0x1EF5, 0x1ED0,  // F8 ứ ự ỳ ỷ ỹ ý ỵ Ố
};

// VISCII (RFC 1456), 0x80-0xFF.
constexpr std::array<CodePoint, 128> kVisciiHigh = {
    0x1EA0, 0x1EAE, 0x1EB0, 0x1EB6, 0x1EA4, 0x1EA6, 0x1EA8, 0x1EAC,  // 80 Ạ Ắ Ằ Ặ Ấ Ầ Ẩ Ậ
    0x1EBC, 0x1EB8, 0x1EBE, 0x1EC0, 0x1EC2, 0x1EC4, 0x1EC6, 0x1ED0,  // 88 Ẽ Ẹ Ế Ề Ể Ễ Ệ Ố
    0x1ED2, 0x1ED4, 0x1ED6, 0x1ED8, 0x1EE2, 0x1EDA, 0x1EDC, 0x1EDE,  // 90 Ồ Ổ Ỗ Ộ Ợ Ớ Ờ Ở
    0x1ECA, 0x1ECE, 0x1ECC, 0x1EC8, 0x1EE6, 0x0168, 0x1EE4, 0x1EF2,  // 98 Ị Ỏ Ọ Ỉ Ủ Ũ Ụ Ỳ
    0x00D5, 0x1EAF, 0x1EB1, 0x1EB7, 0x1EA5, 0x1EA7, 0x1EA9, 0x1EAD,  // A0 Õ ắ ằ ặ ấ ầ ẩ ậ
    0x1EBD, 0x1EB9, 0x1EBF, 0x1EC1, 0x1EC3, 0x1EC5, 0x1EC7, 0x1ED1,  // A8 ẽ ẹ ế ề ể ễ ệ ố
    0x1ED3, 0x1ED5, 0x1ED7, 0x1EE0, 0x01A0, 0x1ED9, 0x1EDD, 0x1EDF,  // B0 ồ ổ ỗ Ỡ Ơ ộ ờ ở
    0x1ECB, 0x1EF0, 0x1EE8, 0x1EEA, 0x1EEC, 0x01A1, 0x1EDB, 0x01AF,  // B8 ị Ự Ứ Ừ Ử ơ ớ Ư
    0x00C0, 0x00C1, 0x00C2, 0x00C3, 0x1EA2, 0x0102, 0x1EB3, 0x1EB5,  // C0 À Á Â Ã Ả Ă ẳ ẵ
    0x00C8, 0x00C9, 0x00CA, 0x1EBA, 0x00CC, 0x00CD, 0x0128, 0x1EF3,  // C8 È É Ê Ẻ Ì Í Ĩ ỳ
    0x0110, 0x1EE9, 0x00D2, 0x00D3, 0x00D4, 0x1EA1, 0x1EF7, 0x1EEB,  // D0 Đ ứ Ò Ó Ô ạ ỷ ừ
    0x1EED, 0x00D9, 0x00DA, 0x1EF9, 0x1EF5, 0x00DD, 0x1EE1, 0x01B0,  // D8 ử Ù Ú ỹ ỵ Ý ỡ ư
    0x00E0, 0x00E1, 0x00E2, 0x00E3, 0x1EA3, 0x0103, 0x1EEF, 0x1EAB,  // E0 à á â ã ả ă ữ ẫ
    0x00E8, 0x00E9, 0x00EA, 0x1EBB, 0x00EC, 0x00ED, 0x0129, 0x1EC9,  // E8 è é ê ẻ ì í ĩ ỉ
    0x0111, 0x1EF1, 0x00F2, 0x00F3, 0x00F4, 0x00F5, 0x1ECF, 0x1ECD,  // F0 đ ự ò ó ô õ ỏ ọ
    0x1EE5, 0x00F9, 0x00FA, 0x0169, 0x1EE7, 0x00FD, 0x1EE3, 0x1EEE,  // F8 ụ ù ú ũ ủ ý ợ Ữ
};

// The capitals VISCII puts in C0, keeping NUL, TAB, LF, CR, ESC and the others.
constexpr std::pair<uint8_t, CodePoint> kVisciiC0[] = {
    {0x02, 0x1EB2},  // Ẳ
    {0x05, 0x1EB4},  // Ẵ
    {0x06, 0x1EAA},  // Ẫ
    {0x14, 0x1EF6},  // Ỷ
    {0x19, 0x1EF8},  // Ỹ
    {0x1E, 0x1EF4},  // Ỵ
};

// Windows-1258, 0x80-0xFF; undefined positions hold the C1 control with their number.
constexpr std::array<CodePoint, 128> kCp1258High = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,  // 80 € · ‚ ƒ „ … † ‡
    0x02C6, 0x2030, 0x008A, 0x2039, 0x0152, 0x008D, 0x008E, 0x008F,  // 88 ˆ ‰ · ‹ Œ · · ·
    0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,  // 90 · ‘ ’ “ ” • – —
    0x02DC, 0x2122, 0x009A, 0x203A, 0x0153, 0x009D, 0x009E, 0x0178,  // 98 ˜ ™ · › œ · · Ÿ
    0x00A0, 0x00A1, 0x00A2, 0x00A3, 0x00A4, 0x00A5, 0x00A6, 0x00A7,  // A0 NBSP ¡ ¢ £ ¤ ¥ ¦ §
    0x00A8, 0x00A9, 0x00AA, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x00AF,  // A8 ¨ © ª « ¬ SHY ® ¯
    0x00B0, 0x00B1, 0x00B2, 0x00B3, 0x00B4, 0x00B5, 0x00B6, 0x00B7,  // B0 ° ± ² ³ ´ µ ¶ ·
    0x00B8, 0x00B9, 0x00BA, 0x00BB, 0x00BC, 0x00BD, 0x00BE, 0x00BF,  // B8 ¸ ¹ º » ¼ ½ ¾ ¿
    0x00C0, 0x00C1, 0x00C2, 0x0102, 0x00C4, 0x00C5, 0x00C6, 0x00C7,  // C0 À Á Â Ă Ä Å Æ Ç
    0x00C8, 0x00C9, 0x00CA, 0x00CB, 0x0300, 0x00CD, 0x00CE, 0x00CF,  // C8 È É Ê Ë ◌̀ Í Î Ï
    0x0110, 0x00D1, 0x0309, 0x00D3, 0x00D4, 0x01A0, 0x00D6, 0x00D7,  // D0 Đ Ñ ◌̉ Ó Ô Ơ Ö ×
    0x00D8, 0x00D9, 0x00DA, 0x00DB, 0x00DC, 0x01AF, 0x0303, 0x00DF,  // D8 Ø Ù Ú Û Ü Ư ◌̃ ß
    0x00E0, 0x00E1, 0x00E2, 0x0103, 0x00E4, 0x00E5, 0x00E6, 0x00E7,  // E0 à á â ă ä å æ ç
    0x00E8, 0x00E9, 0x00EA, 0x00EB, 0x0301, 0x00ED, 0x00EE, 0x00EF,  // E8 è é ê ë ◌́ í î ï
    0x0111, 0x00F1, 0x0323, 0x00F3, 0x00F4, 0x01A1, 0x00F6, 0x00F7,  // F0 đ ñ ◌̣ ó ô ơ ö ÷
    0x00F8, 0x00F9, 0x00FA, 0x00FB, 0x00FC, 0x01B0, 0x20AB, 0x00FF,  // F8 ø ù ú û ü ư ₫ ÿ
};

// VNI-Windows diacritic bytes, read after a vowel: a tone alone, a circumflex (on a e o) or a
// breve (on a) with a tone. Lowercase bytes follow lowercase letters, uppercase bytes capitals.
enum class Hat : uint8_t { kNone, kCircumflex, kBreve };
struct VniMark {
  uint8_t lower;
  uint8_t upper;
  Hat hat;
  Tone tone;
};
constexpr VniMark kVniMarks[] = {
    {0xF8, 0xD8, Hat::kNone, kGrave},           // ø Ø
    {0xFB, 0xDB, Hat::kNone, kHook},            // û Û
    {0xF5, 0xD5, Hat::kNone, kTilde},           // õ Õ
    {0xF9, 0xD9, Hat::kNone, kAcute},           // ù Ù
    {0xEF, 0xCF, Hat::kNone, kDotBelow},        // ï Ï
    {0xE2, 0xC2, Hat::kCircumflex, kLevel},     // â Â
    {0xE0, 0xC0, Hat::kCircumflex, kGrave},     // à À
    {0xE5, 0xC5, Hat::kCircumflex, kHook},      // å Å
    {0xE3, 0xC3, Hat::kCircumflex, kTilde},     // ã Ã
    {0xE1, 0xC1, Hat::kCircumflex, kAcute},     // á Á
    {0xE4, 0xC4, Hat::kCircumflex, kDotBelow},  // ä Ä
    {0xEA, 0xCA, Hat::kBreve, kLevel},          // ê Ê
    {0xE8, 0xC8, Hat::kBreve, kGrave},          // è È
    {0xFA, 0xDA, Hat::kBreve, kHook},           // ú Ú
    {0xFC, 0xDC, Hat::kBreve, kTilde},          // ü Ü
    {0xE9, 0xC9, Hat::kBreve, kAcute},          // é É
    {0xEB, 0xCB, Hat::kBreve, kDotBelow},       // ë Ë
};

// VNI-Windows letters written as one byte.
struct VniLetter {
  uint8_t lower;
  uint8_t upper;
  int vowel;
  Tone tone;
};
constexpr VniLetter kVniLetters[] = {
    {0xF1, 0xD1, kD, kLevel},      // ñ Ñ: đ Đ
    {0xF4, 0xD4, kOHorn, kLevel},  // ô Ô: ơ Ơ
    {0xF6, 0xD6, kUHorn, kLevel},  // ö Ö: ư Ư
    {0xEC, 0xCC, kI, kGrave},      // ì Ì
    {0xE6, 0xC6, kI, kHook},       // æ Æ: ỉ Ỉ
    {0xF3, 0xD3, kI, kTilde},      // ó Ó: ĩ Ĩ
    {0xED, 0xCD, kI, kAcute},      // í Í
    {0xF2, 0xD2, kI, kDotBelow},   // ò Ò: ị Ị
    {0xEE, 0xCE, kY, kDotBelow},   // î Î: ỵ Ỵ
};

const VniMark* FindVniMark(uint8_t b) {
  for (const VniMark& m : kVniMarks) {
    if (m.lower == b || m.upper == b) return &m;
  }
  return nullptr;
}

const VniLetter* FindVniLetter(uint8_t b) {
  for (const VniLetter& l : kVniLetters) {
    if (l.lower == b || l.upper == b) return &l;
  }
  return nullptr;
}

using ByteTable = std::array<CodePoint, 256>;

// ASCII below 0x80, `high` above.
ByteTable WithAscii(const std::array<CodePoint, 128>& high) {
  ByteTable t{};
  for (size_t b = 0; b < 0x80; ++b) t[b] = static_cast<CodePoint>(b);
  std::copy(high.begin(), high.end(), t.begin() + 0x80);
  return t;
}

const ByteTable& Tcvn3Table() {
  static const ByteTable table = WithAscii(kTcvn3High);
  return table;
}

const ByteTable& VisciiTable() {
  static const ByteTable table = [] {
    ByteTable t = WithAscii(kVisciiHigh);
    for (auto [b, cp] : kVisciiC0) t[b] = cp;
    return t;
  }();
  return table;
}

const ByteTable& Cp1258Table() {
  static const ByteTable table = WithAscii(kCp1258High);
  return table;
}

// What a VNI byte means on its own: a one-byte letter, or Windows-1252. (Diacritic bytes are
// handled by VniToUtf8 and are never looked up here.)
const ByteTable& VniTable() {
  static const ByteTable table = [] {
    ByteTable t{};
    for (size_t b = 0; b < 256; ++b) t[b] = static_cast<CodePoint>(b);
    std::copy(kCp1252C1.begin(), kCp1252C1.end(), t.begin() + 0x80);
    for (const VniLetter& l : kVniLetters) {
      t[l.lower] = LetterCodePoint(l.vowel, l.tone, false);
      t[l.upper] = LetterCodePoint(l.vowel, l.tone, true);
    }
    return t;
  }();
  return table;
}

// Code point -> byte for the entries of `table` that `keep` accepts.
template <class Keep>
ByteMap Reverse(const ByteTable& table, Keep keep) {
  ByteMap m;
  for (size_t b = 0; b < table.size(); ++b) {
    if (keep(static_cast<uint8_t>(b), table[b])) m.emplace(table[b], static_cast<uint8_t>(b));
  }
  return m;
}

// ------------------------------------------------------------------------------- Decoding

std::string DecodeTable(std::string_view bytes, const ByteTable& table) {
  std::string out;
  out.reserve(bytes.size() + bytes.size() / 2);
  for (char c : bytes) Append(out, table[static_cast<unsigned char>(c)]);
  return text::Nfc(out);
}

// The vowel a VNI base byte is, for the diacritic byte that may follow it.
struct VniBase {
  int vowel;
  bool upper;
};

std::optional<VniBase> FindVniBase(uint8_t b) {
  switch (b) {
    case 'a':
      return VniBase{kA, false};
    case 'A':
      return VniBase{kA, true};
    case 'e':
      return VniBase{kE, false};
    case 'E':
      return VniBase{kE, true};
    case 'i':
      return VniBase{kI, false};
    case 'I':
      return VniBase{kI, true};
    case 'o':
      return VniBase{kO, false};
    case 'O':
      return VniBase{kO, true};
    case 'u':
      return VniBase{kU, false};
    case 'U':
      return VniBase{kU, true};
    case 'y':
      return VniBase{kY, false};
    case 'Y':
      return VniBase{kY, true};
    case 0xF4:
      return VniBase{kOHorn, false};
    case 0xD4:
      return VniBase{kOHorn, true};
    case 0xF6:
      return VniBase{kUHorn, false};
    case 0xD6:
      return VniBase{kUHorn, true};
    default:
      return std::nullopt;
  }
}

// The vowel `base` becomes under `hat`, or nullopt when the hat does not go on it.
std::optional<int> PutHat(int base, Hat hat) {
  switch (hat) {
    case Hat::kNone:
      return base;
    case Hat::kCircumflex:
      if (base == kA) return kACircumflex;
      if (base == kE) return kECircumflex;
      if (base == kO) return kOCircumflex;
      return std::nullopt;
    case Hat::kBreve:
      if (base == kA) return kABreve;
      return std::nullopt;
  }
  return std::nullopt;
}

std::string VniToUtf8(std::string_view bytes) {
  const ByteTable& table = VniTable();
  std::string out;
  out.reserve(bytes.size() + bytes.size() / 2);
  for (size_t i = 0; i < bytes.size(); ++i) {
    auto b = static_cast<uint8_t>(bytes[i]);
    if (i + 1 < bytes.size()) {
      std::optional<VniBase> base = FindVniBase(b);
      const VniMark* mark = base ? FindVniMark(static_cast<uint8_t>(bytes[i + 1])) : nullptr;
      std::optional<int> vowel = mark ? PutHat(base->vowel, mark->hat) : std::nullopt;
      if (vowel) {
        // The letter's case decides; a lowercase mark after a capital is a typing slip.
        Append(out, LetterCodePoint(*vowel, mark->tone, base->upper));
        ++i;
        continue;
      }
    }
    if (const VniMark* mark = FindVniMark(b)) {
      // A diacritic with no vowel to sit on: its combining marks, which NFC keeps apart.
      if (mark->hat == Hat::kCircumflex) Append(out, 0x0302);
      if (mark->hat == Hat::kBreve) Append(out, 0x0306);
      if (mark->tone != kLevel) Append(out, kToneMarks[mark->tone]);
      continue;
    }
    Append(out, table[b]);
  }
  return text::Nfc(out);
}

// ------------------------------------------------------------------------------- Encoding

std::string_view DisplayName(Encoding e) {
  switch (e) {
    case Encoding::kUtf8:
      return "UTF-8";
    case Encoding::kTcvn3:
      return "TCVN3 (ABC)";
    case Encoding::kVni:
      return "VNI-Windows";
    case Encoding::kViscii:
      return "VISCII";
    case Encoding::kCp1258:
      return "Windows-1258";
  }
  return "?";
}

Error Unrepresentable(CodePoint cp, size_t position, Encoding to) {
  std::string shown;
  Append(shown, cp);
  std::array<char, 16> hex{};
  std::snprintf(hex.data(), hex.size(), "U+%04X", static_cast<unsigned>(cp));
  std::string at = std::to_string(position);
  std::string name(DisplayName(to));
  return Error::Invalid("encoding.unrepresentable",
                        "ký tự “" + shown + "” (" + hex.data() + ", ký tự thứ " + at +
                            ") không có trong bảng mã " + name + " / the character “" + shown +
                            "” (" + hex.data() + ", character " + at + ") cannot be written in " +
                            name);
}

bool WriteTcvn3(CodePoint cp, std::string& out) {
  // VN3's own positions: everything in the table except VN1's capitals.
  static const ByteMap map = Reverse(Tcvn3Table(), [](uint8_t b, CodePoint c) {
    bool capital = Lower(c) != c;
    return b < 0x80 || !capital || (b >= 0xA1 && b <= 0xA7);
  });
  auto it = map.find(cp);
  if (it == map.end()) {
    // A capital VN3 lacks goes to its lowercase position (see Encoding::kTcvn3).
    std::optional<Letter> letter = FindLetter(cp);
    if (!letter || !letter->upper) return false;
    it = map.find(Lower(cp));
    if (it == map.end()) return false;
  }
  out.push_back(static_cast<char>(it->second));
  return true;
}

bool WriteViscii(CodePoint cp, std::string& out) {
  static const ByteMap map = Reverse(VisciiTable(), [](uint8_t, CodePoint) { return true; });
  auto it = map.find(cp);
  if (it == map.end()) return false;
  out.push_back(static_cast<char>(it->second));
  return true;
}

bool IsCp1258Tone(CodePoint cp) {
  return std::find(kToneMarks.begin() + 1, kToneMarks.end(), cp) != kToneMarks.end();
}

bool WriteCp1258(CodePoint cp, std::string& out) {
  static const ByteMap map = Reverse(Cp1258Table(), [](uint8_t, CodePoint) { return true; });
  if (auto it = map.find(cp); it != map.end()) {
    out.push_back(static_cast<char>(it->second));
    return true;
  }
  // Not in the table: a letter Windows-1258 has, plus one of its five combining tones. Try
  // each tone mark of the canonical decomposition as the one to write separately.
  std::array<utf8proc_int32_t, 8> parts{};
  utf8proc_ssize_t n = utf8proc_decompose_char(static_cast<utf8proc_int32_t>(cp), parts.data(),
                                               parts.size(), UTF8PROC_DECOMPOSE, nullptr);
  if (n < 2 || n > static_cast<utf8proc_ssize_t>(parts.size())) return false;
  std::u32string decomposed;
  for (utf8proc_ssize_t k = 0; k < n; ++k) {
    decomposed.push_back(static_cast<CodePoint>(parts[static_cast<size_t>(k)]));
  }
  for (size_t j = 1; j < decomposed.size(); ++j) {
    if (!IsCp1258Tone(decomposed[j])) continue;
    std::u32string rest = decomposed;
    rest.erase(j, 1);
    std::u32string base = CodePoints(text::Nfc(Utf8(rest)));
    if (base.size() != 1) continue;
    auto b = map.find(base[0]);
    auto t = map.find(decomposed[j]);
    if (b == map.end() || t == map.end()) continue;
    out.push_back(static_cast<char>(b->second));
    out.push_back(static_cast<char>(t->second));
    return true;
  }
  return false;
}

bool WriteVni(CodePoint cp, std::string& out) {
  auto put = [&out](uint8_t b) { out.push_back(static_cast<char>(b)); };
  if (cp < 0x80) {
    put(static_cast<uint8_t>(cp));
    return true;
  }
  if (std::optional<Letter> letter = FindLetter(cp)) {
    for (const VniLetter& l : kVniLetters) {
      if (l.vowel == letter->vowel && l.tone == letter->tone) {
        put(letter->upper ? l.upper : l.lower);
        return true;
      }
    }
    // Base byte, then the diacritic byte for the hat and tone.
    uint8_t base = 0;
    Hat hat = Hat::kNone;
    switch (letter->vowel) {
      case kA:
        base = 'a';
        break;
      case kABreve:
        base = 'a';
        hat = Hat::kBreve;
        break;
      case kACircumflex:
        base = 'a';
        hat = Hat::kCircumflex;
        break;
      case kE:
        base = 'e';
        break;
      case kECircumflex:
        base = 'e';
        hat = Hat::kCircumflex;
        break;
      case kI:
        base = 'i';
        break;
      case kO:
        base = 'o';
        break;
      case kOCircumflex:
        base = 'o';
        hat = Hat::kCircumflex;
        break;
      case kOHorn:
        base = 0xF4;
        break;
      case kU:
        base = 'u';
        break;
      case kUHorn:
        base = 0xF6;
        break;
      case kY:
        base = 'y';
        break;
      default:
        return false;
    }
    // Capitals: 'A' for 'a', and Ô (0xD4) / Ö (0xD6) for ô / ö.
    if (letter->upper) base = static_cast<uint8_t>(base < 0x80 ? base - 'a' + 'A' : base - 0x20);
    put(base);
    for (const VniMark& m : kVniMarks) {
      if (m.hat == hat && m.tone == letter->tone) {
        put(letter->upper ? m.upper : m.lower);
        return true;
      }
    }
    return hat == Hat::kNone && letter->tone == kLevel;
  }
  // Other characters only where Windows-1252 puts them on a byte VNI does not use.
  static const ByteMap map = Reverse(VniTable(), [](uint8_t b, CodePoint) {
    return b >= 0x80 && FindVniMark(b) == nullptr && FindVniLetter(b) == nullptr;
  });
  auto it = map.find(cp);
  if (it == map.end()) return false;
  put(it->second);
  return true;
}

// Writes `cp` in `to`; false when `to` cannot.
bool Write(Encoding to, CodePoint cp, std::string& out) {
  switch (to) {
    case Encoding::kUtf8:
      Append(out, cp);
      return true;
    case Encoding::kTcvn3:
      return WriteTcvn3(cp, out);
    case Encoding::kVni:
      return WriteVni(cp, out);
    case Encoding::kViscii:
      return WriteViscii(cp, out);
    case Encoding::kCp1258:
      return WriteCp1258(cp, out);
  }
  return false;
}

// ------------------------------------------------------------------------------ Detection

// True when `s` is UTF-8. The last character may be cut off by the end of the sample when an
// earlier one shows the text is UTF-8 (a lone high byte at the end could be either).
bool IsUtf8Sample(std::string_view s) {
  const auto* bytes = reinterpret_cast<const utf8proc_uint8_t*>(s.data());
  bool multibyte = false;
  for (size_t i = 0; i < s.size();) {
    utf8proc_int32_t cp = 0;
    utf8proc_ssize_t n =
        utf8proc_iterate(bytes + i, static_cast<utf8proc_ssize_t>(s.size() - i), &cp);
    if (n > 0) {
      multibyte = multibyte || n > 1;
      i += static_cast<size_t>(n);
      continue;
    }
    auto lead = static_cast<uint8_t>(s[i]);
    size_t want = lead >= 0xF0 && lead <= 0xF4   ? 4
                  : lead >= 0xE0 && lead <= 0xEF ? 3
                  : lead >= 0xC2 && lead <= 0xDF ? 2
                                                 : 0;
    if (!multibyte || want == 0 || s.size() - i >= want) return false;
    for (size_t k = i + 1; k < s.size(); ++k) {
      if ((static_cast<uint8_t>(s[k]) & 0xC0) != 0x80) return false;
    }
    return true;
  }
  return true;
}

bool IsSeparatorByte(uint8_t b) {
  if (b >= 0x80 || b == 0x7F) return false;
  if (b < 0x20) return b == '\t' || b == '\n' || b == '\r' || b == '\v' || b == '\f';
  return !((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z'));
}

// Words of `sample` that contain a byte outside printable ASCII: only these convert
// differently from one encoding to the next.
std::vector<std::string_view> LegacyWords(std::string_view sample) {
  std::vector<std::string_view> words;
  size_t start = 0;
  bool legacy = false;
  for (size_t i = 0; i <= sample.size(); ++i) {
    if (i == sample.size() || IsSeparatorByte(static_cast<uint8_t>(sample[i]))) {
      if (legacy) words.push_back(sample.substr(start, i - start));
      start = i + 1;
      legacy = false;
    } else {
      auto b = static_cast<uint8_t>(sample[i]);
      legacy = legacy || b >= 0x80 || b < 0x20 || b == 0x7F;
    }
  }
  return words;
}

bool IsVowelBase(CodePoint c) {
  for (const auto& row : kVowels) {
    if (row[0] == c) return true;
  }
  return false;
}

bool IsConsonant(CodePoint c) {
  return c == kDStroke || (c >= 'a' && c <= 'z' && !IsVowelBase(c));
}

// Initial consonants: Vietnamese ones, and the clusters of minority place names (Krông, Đrắk).
bool IsOnset(std::u32string_view s) {
  static constexpr std::u32string_view kDigraphs[] = {U"ch", U"gh", U"kh", U"ng", U"nh",
                                                      U"ph", U"qu", U"th", U"tr", U"ngh"};
  if (s.size() <= 1) return true;
  if (std::ranges::find(kDigraphs, s) != std::end(kDigraphs)) return true;
  if (s.size() == 2 && (s[1] == 'r' || s[1] == 'l')) {
    return std::u32string_view(U"bcdđgkpstfv").find(s[0]) != std::u32string_view::npos;
  }
  return false;
}

bool IsCoda(std::u32string_view s) {
  static constexpr std::u32string_view kCodas[] = {U"",   U"c",  U"ch", U"m", U"n",
                                                   U"ng", U"nh", U"p",  U"t", U"k"};
  return std::ranges::find(kCodas, s) != std::end(kCodas);
}

// Vowel clusters (tones removed) and whether a final consonant may, must or must not follow.
enum class Final : uint8_t { kNever, kMay, kMust };
struct Nucleus {
  std::u32string_view vowels;
  Final final;
};
constexpr Nucleus kNuclei[] = {
    {U"a", Final::kMay},     {U"ă", Final::kMust},    {U"â", Final::kMust},
    {U"e", Final::kMay},     {U"ê", Final::kMay},     {U"i", Final::kMay},
    {U"o", Final::kMay},     {U"ô", Final::kMay},     {U"ơ", Final::kMay},
    {U"u", Final::kMay},     {U"ư", Final::kMay},     {U"y", Final::kMay},
    {U"ai", Final::kNever},  {U"ao", Final::kNever},  {U"au", Final::kNever},
    {U"ay", Final::kNever},  {U"âu", Final::kNever},  {U"ây", Final::kNever},
    {U"eo", Final::kNever},  {U"êu", Final::kNever},  {U"ia", Final::kNever},
    {U"iê", Final::kMust},   {U"iu", Final::kNever},  {U"oa", Final::kMay},
    {U"oă", Final::kMust},   {U"oe", Final::kMay},    {U"oi", Final::kNever},
    {U"oo", Final::kMust},   {U"ôi", Final::kNever},  {U"ơi", Final::kNever},
    {U"ua", Final::kNever},  {U"uâ", Final::kMust},   {U"uê", Final::kMay},
    {U"ui", Final::kNever},  {U"uô", Final::kMust},   {U"uơ", Final::kNever},
    {U"uy", Final::kMay},    {U"ưa", Final::kNever},  {U"ưi", Final::kNever},
    {U"ưu", Final::kNever},  {U"ươ", Final::kMust},   {U"yê", Final::kMust},
    {U"iêu", Final::kNever}, {U"yêu", Final::kNever}, {U"oai", Final::kNever},
    {U"oao", Final::kNever}, {U"oay", Final::kNever}, {U"oeo", Final::kNever},
    {U"uây", Final::kNever}, {U"uôi", Final::kNever}, {U"ươi", Final::kNever},
    {U"ươu", Final::kNever}, {U"uya", Final::kNever}, {U"uyê", Final::kMust},
    {U"uyu", Final::kNever},
};

// Frequent syllables with diacritics (lowercase, NFC): function words, the vocabulary of
// administration, and the syllables of place and personal names. A wrong table seldom turns a
// word into one of these, so a conversion that produces many of them is most likely right.
constexpr std::string_view kCommonSyllables =
    "biên biển biểu bàn bái báo bãi bên bình bí bích bùi bạc bản bảng bảo bảy bắc bằng bến bệnh "
    "bị bốn bổ bộ bớt bởi chiến chuyển châu chí chín chính chú chưa chương chế chỉ chỉnh chịu "
    "chỗ chợ chủ chữ cuối cà các cái cáo còn có công cùng căn cũ cũng cơ cường cả cảng cảnh cấp "
    "cần cầu cẩm cỏ cồn cổng cộng cục của cứ cửa diện duyệt dài dân dùng dũng dương dưới dẫn "
    "dịch dục dữ dự dựng giá giáo giây giải giảm giới giờ giữ giữa gì hiếu hiền hiển hiện hiệp "
    "hiệu hoà hoàn hoàng hoá hoạch huyện huế huỳnh hà hành hòa hóa hùng hơn hưng hương hướng "
    "hường hạ hạn hạng hạnh hải hậu hằng hẹp hết hệ họ học hồ hồng hội hới hợp hữu khoản khác "
    "khánh khôi không khẩn khẩu khứ kiên kê kênh kì ký kạn kế kết kể kỳ liên liêu liệu loại "
    "luôn luật là làng lào lâm lê lên lí lý lưu lương lượt lạc lại lạng lần lập lắk lệ lịch lộc "
    "lớn lợi lực mà máy mã móng môi mĩ mười mạng mạnh mẫu mật mềm mọi mỗi một mới mục mức mỹ "
    "nghiệm nghiệp nghìn nghĩa nghệ nghị ngoài ngoại nguyên nguyễn ngày ngân ngãi ngô người "
    "ngắn ngọc nhiều nhiệm nhà nhân nhơn như nhưng nhất nhận nhập nhỏ những nào này nên nông "
    "núi năm nơi nước nẵng nếu nền nội nữ nữa pháp phê phí phía phòng phó phú phúc phút phương "
    "phước phường phạm phả phải phần phố quyết quá quán quân quê quý quả quản quảng quận quốc "
    "quỳnh rạch rất rằng rịa rộng suối sách sáng sáp sáu sóc sông sơ sơn sản sầm sẽ số sở sửa "
    "sự thiết thiếu thoại thuý thuận thuế thuỷ thành thái tháng thêm thì thôn thông thúy thơ "
    "thư thương thường thượng thạnh thảo thấp thắng thế thể thị thịnh thọ thống thới thời thủ "
    "thủy thực tiêu tiến tiền tiểu toàn triển triệu truyền trà trách trên trình trích trú trăm "
    "trăng trước trường trưởng trạm trấn trần trị trịnh trực tuyến tuấn tuần tài tàu tám tâm "
    "tân tây tên tích tính tùng tú tăng tĩnh tư tương tường tại tạm tạo tải tảng tất tế tỉ tỉnh "
    "tịch tốt tổ tổng tờ tục từ từng tử tự tỷ uyên uông uỷ viên việc viện việt và vàm vào vân "
    "vì võ văn vĩ vĩnh vũ vũng vượng vượt vẫn vận về vị vốn với vụ xuân xuống xác xây xã xét "
    "xóm xấu yên yến yếu án ít đang đinh điền điều điểm điện đoàn đà đào đây đã đó đông đúng "
    "đơn đường được đại đạt đảng đảo đất đầu đầy đắk đặng đến đề đều để địa định đốc đối đồi "
    "đồng đổi đỗ độ đội động đợt đủ đức ấp ở ủy ứng";

bool IsCommon(std::u32string_view word) {
  static const std::unordered_set<std::string> common = [] {
    std::unordered_set<std::string> set;
    std::string_view rest = kCommonSyllables;
    while (!rest.empty()) {
      size_t space = rest.find(' ');
      if (space != 0) set.emplace(rest.substr(0, space));
      rest.remove_prefix(space == std::string_view::npos ? rest.size() : space + 1);
    }
    return set;
  }();
  std::u32string lower;
  for (CodePoint cp : word) lower.push_back(Lower(cp));
  return common.contains(Utf8(lower));
}

// Whether a tone may sit on vowels[pos]: on the vowel with a hat or horn (the last one: ươ),
// else on the last vowel before a final consonant, else on either vowel of oa/oe/uy (hòa and
// hoà are both in use), the middle of three (ngoài) or the first (mùa).
bool ToneFits(std::u32string_view vowels, size_t pos, bool has_final) {
  size_t marked = vowels.find_last_of(U"ăâêôơư");
  if (marked != std::u32string_view::npos) return pos == marked;
  if (has_final) return pos + 1 == vowels.size();
  if (vowels == U"oa" || vowels == U"oe" || vowels == U"uy") return true;
  return pos == (vowels.size() == 3 ? 1 : 0);
}

// True when `word` (NFC, any case) is a well-formed Vietnamese syllable: onset, vowel cluster,
// final consonant, at most one tone, on the vowel that carries it, and only sắc or nặng before
// a stop (-c -ch -p -t, and the -k of Đắk). Also accepts "đ", the abbreviation of đồng.
bool IsSyllable(std::u32string_view word) {
  std::u32string s;  // lowercase, tones removed
  int tones = 0;
  Tone tone = kLevel;
  size_t toned = 0;  // index in s of the letter with the tone
  for (CodePoint cp : word) {
    if (std::optional<Letter> letter = FindLetter(cp)) {
      if (letter->tone != kLevel) {
        ++tones;
        tone = letter->tone;
        toned = s.size();
      }
      s.push_back(LetterCodePoint(letter->vowel, kLevel, false));
    } else if (CodePoint c = Lower(cp); c < 0x80 && IsConsonant(c)) {
      s.push_back(c);
    } else {
      return false;
    }
  }
  if (tones > 1 || s.empty()) return false;
  if (s == U"đ") return true;
  std::u32string_view v = s;
  size_t i = 0;
  while (i < v.size() && IsConsonant(v[i])) ++i;
  std::u32string_view onset = v.substr(0, i);
  if (onset.find(kDStroke, 1) != std::u32string_view::npos) return false;
  if (!onset.empty() && onset.back() == 'q') {
    if (i >= v.size() || v[i] != 'u') return false;
    ++i;
    onset = v.substr(0, i);
  }
  if (!IsOnset(onset)) return false;
  // "gi" before a vowel is the onset: gia, giữa, giường.
  if (onset == U"g" && i + 1 < v.size() && v[i] == 'i' && IsVowelBase(v[i + 1])) ++i;
  size_t start = i;
  while (i < v.size() && IsVowelBase(v[i])) ++i;
  std::u32string_view vowels = v.substr(start, i - start);
  std::u32string_view coda = v.substr(i);
  if (vowels.empty() || !IsCoda(coda)) return false;
  const auto* nucleus = std::ranges::find(kNuclei, vowels, &Nucleus::vowels);
  if (nucleus == std::end(kNuclei)) return false;
  if (nucleus->final == Final::kNever && !coda.empty()) return false;
  if (nucleus->final == Final::kMust && coda.empty()) return false;
  if (tone == kLevel) return true;
  bool stop = coda == U"c" || coda == U"ch" || coda == U"p" || coda == U"t" || coda == U"k";
  if (stop && tone != kAcute && tone != kDotBelow) return false;
  return toned >= start && toned < i && ToneFits(vowels, toned - start, !coda.empty());
}

// Characters no Vietnamese text has inside a word: controls, symbols (box drawing and U+FFFD
// among them), modifier letters, fractions and superscripts, and combining marks left over
// after NFC.
bool IsGarbage(CodePoint cp) {
  switch (Category(cp)) {
    case UTF8PROC_CATEGORY_CC:
    case UTF8PROC_CATEGORY_CF:
    case UTF8PROC_CATEGORY_CO:
    case UTF8PROC_CATEGORY_CN:
    case UTF8PROC_CATEGORY_CS:
    case UTF8PROC_CATEGORY_SO:
    case UTF8PROC_CATEGORY_SM:
    case UTF8PROC_CATEGORY_SK:
    case UTF8PROC_CATEGORY_NO:
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_LM:
      return true;
    default:
      return false;
  }
}

// Where a word ends inside a converted word: spaces, punctuation ( “ ” – ), currency (₫).
bool IsBreak(CodePoint cp) {
  if (cp < 0x80) return IsSeparatorByte(static_cast<uint8_t>(cp));
  switch (Category(cp)) {
    case UTF8PROC_CATEGORY_ZS:
    case UTF8PROC_CATEGORY_ZL:
    case UTF8PROC_CATEGORY_ZP:
    case UTF8PROC_CATEGORY_PC:
    case UTF8PROC_CATEGORY_PD:
    case UTF8PROC_CATEGORY_PS:
    case UTF8PROC_CATEGORY_PE:
    case UTF8PROC_CATEGORY_PI:
    case UTF8PROC_CATEGORY_PF:
    case UTF8PROC_CATEGORY_PO:
    case UTF8PROC_CATEGORY_SC:
      return true;
    default:
      return false;
  }
}

// How a converted word reads, worst piece between punctuation first: a character no text has,
// a piece that is not a syllable, a syllable, a common syllable. Punctuation alone counts as a
// syllable.
enum class Verdict : uint8_t { kGarbage, kForeign, kSyllable, kCommon };

double Weight(Verdict v) {
  switch (v) {
    case Verdict::kGarbage:
      return -0.5;
    case Verdict::kForeign:
      return 0;
    case Verdict::kSyllable:
      return 0.5;
    case Verdict::kCommon:
      return 1;
  }
  return 0;
}

Verdict Judge(std::string_view utf8) {
  std::u32string cps = CodePoints(utf8);
  Verdict verdict = Verdict::kCommon;
  bool any = false;
  size_t start = 0;
  for (size_t i = 0; i <= cps.size(); ++i) {
    if (i < cps.size() && !IsBreak(cps[i])) {
      if (IsGarbage(cps[i])) return Verdict::kGarbage;
      continue;
    }
    if (i > start) {
      std::u32string_view piece = std::u32string_view(cps).substr(start, i - start);
      any = true;
      Verdict v = !IsSyllable(piece) ? Verdict::kForeign
                  : IsCommon(piece)  ? Verdict::kCommon
                                     : Verdict::kSyllable;
      verdict = std::min(verdict, v);
    }
    start = i + 1;
  }
  return any ? verdict : Verdict::kSyllable;
}

size_t CountVietnamese(std::string_view utf8) {
  std::u32string cps = CodePoints(utf8);
  return static_cast<size_t>(std::count_if(cps.begin(), cps.end(), IsVietnameseNonAscii));
}

}  // namespace

std::string_view Name(Encoding encoding) {
  switch (encoding) {
    case Encoding::kUtf8:
      return "utf-8";
    case Encoding::kTcvn3:
      return "tcvn3";
    case Encoding::kVni:
      return "vni";
    case Encoding::kViscii:
      return "viscii";
    case Encoding::kCp1258:
      return "cp1258";
  }
  return "utf-8";
}

std::optional<Encoding> Parse(std::string_view name) {
  while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
  while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
  std::string lower(name);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  static constexpr std::pair<std::string_view, Encoding> kNames[] = {
      {"utf-8", Encoding::kUtf8},      {"utf8", Encoding::kUtf8},
      {"tcvn3", Encoding::kTcvn3},     {"abc", Encoding::kTcvn3},
      {"tcvn", Encoding::kTcvn3},      {"vni", Encoding::kVni},
      {"vni-windows", Encoding::kVni}, {"viscii", Encoding::kViscii},
      {"cp1258", Encoding::kCp1258},   {"windows-1258", Encoding::kCp1258},
  };
  for (auto [n, e] : kNames) {
    if (n == lower) return e;
  }
  return std::nullopt;
}

std::string ToUtf8(std::string_view bytes, Encoding from) {
  switch (from) {
    case Encoding::kUtf8:
      return text::Nfc(bytes);
    case Encoding::kTcvn3:
      return DecodeTable(bytes, Tcvn3Table());
    case Encoding::kVni:
      return VniToUtf8(bytes);
    case Encoding::kViscii:
      return DecodeTable(bytes, VisciiTable());
    case Encoding::kCp1258:
      return DecodeTable(bytes, Cp1258Table());
  }
  return text::Nfc(bytes);
}

Result<std::string> FromUtf8(std::string_view utf8, Encoding to) {
  if (!text::IsValidUtf8(utf8)) {
    return Fail(Error::Invalid("encoding.invalid_utf8",
                               "văn bản không phải UTF-8 hợp lệ / the text is not valid UTF-8"));
  }
  std::string nfc = text::Nfc(utf8);
  if (to == Encoding::kUtf8) return nfc;
  std::string out;
  out.reserve(nfc.size() * 2);
  size_t position = 0;
  for (CodePoint cp : CodePoints(nfc)) {
    ++position;
    if (!Write(to, cp, out)) return Fail(Unrepresentable(cp, position, to));
  }
  return out;
}

Detection Detect(std::string_view sample) {
  if (sample.starts_with("\xEF\xBB\xBF") || IsUtf8Sample(sample)) {
    return {Encoding::kUtf8, 1.0, 0};
  }
  std::vector<std::string_view> words = LegacyWords(sample);
  // In order of preference on a tie: the encodings Vietnamese offices used most come first.
  constexpr std::array<Encoding, 4> kCandidates = {Encoding::kTcvn3, Encoding::kVni,
                                                   Encoding::kCp1258, Encoding::kViscii};
  std::array<double, 4> score{};
  for (size_t c = 0; c < kCandidates.size(); ++c) {
    for (std::string_view word : words) score[c] += Weight(Judge(ToUtf8(word, kCandidates[c])));
  }
  size_t best = 0;
  for (size_t c = 1; c < score.size(); ++c) {
    if (score[c] > score[best]) best = c;
  }
  double runner_up = -1e9;
  for (size_t c = 0; c < score.size(); ++c) {
    if (c != best) runner_up = std::max(runner_up, score[c]);
  }
  // Sure when the winner reads as Vietnamese (every word a well-formed syllable, or half of
  // them frequent ones, is plenty) and leads by several words.
  double share = words.empty() ? 0 : score[best] / static_cast<double>(words.size());
  double plausible = std::clamp(share / 0.5, 0.0, 1.0);
  double confidence = plausible * (1 - std::exp(-(score[best] - runner_up) / kLeadScale));
  Encoding encoding = kCandidates[best];
  return {encoding, confidence, CountVietnamese(ToUtf8(sample, encoding))};
}

}  // namespace pdh::encoding
