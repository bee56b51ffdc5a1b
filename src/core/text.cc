// Vietnamese text as data: validation, NFC, whitespace collapsing and the diacritic-insensitive
// keys that name matching and search compare.
#include "core/text.h"

#include <utf8proc.h>

#include <array>
#include <cstdlib>
#include <memory>
#include <optional>

namespace pdh::text {
namespace {

using CodePoint = utf8proc_int32_t;

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

const utf8proc_uint8_t* Bytes(std::string_view s) {
  return reinterpret_cast<const utf8proc_uint8_t*>(s.data());
}

// Decodes the code point at s[i]. Returns its length in bytes, or a negative value when the
// bytes there are not well-formed UTF-8 (overlong forms and surrogates included).
utf8proc_ssize_t Decode(std::string_view s, size_t i, CodePoint& cp) {
  return utf8proc_iterate(Bytes(s) + i, static_cast<utf8proc_ssize_t>(s.size() - i), &cp);
}

void Append(std::string& out, CodePoint cp) {
  utf8proc_uint8_t buf[4];
  out.append(reinterpret_cast<const char*>(buf),
             static_cast<size_t>(utf8proc_encode_char(cp, buf)));
}

bool IsAscii(std::string_view s) {
  for (unsigned char c : s) {
    if (c >= 0x80) return false;
  }
  return true;
}

// `s` with every ill-formed byte replaced by U+FFFD, so utf8proc never rejects it.
std::string Sanitize(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    CodePoint cp;
    utf8proc_ssize_t n = Decode(s, i, cp);
    if (n > 0) {
      out.append(s.substr(i, static_cast<size_t>(n)));
      i += static_cast<size_t>(n);
    } else {
      out.append(kReplacement);
      ++i;
    }
  }
  return out;
}

// Runs utf8proc_map over well-formed UTF-8 with the given options.
std::string Map(std::string_view valid, int options) {
  utf8proc_uint8_t* mapped = nullptr;
  utf8proc_ssize_t n = utf8proc_map(Bytes(valid), static_cast<utf8proc_ssize_t>(valid.size()),
                                    &mapped, static_cast<utf8proc_option_t>(options));
  std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> owned(mapped, &std::free);
  // Only allocation failure remains possible on sanitized input; keep the text rather than lose it.
  if (n < 0) return std::string(valid);
  return std::string(reinterpret_cast<const char*>(mapped), static_cast<size_t>(n));
}

bool IsSpace(CodePoint cp) {
  switch (cp) {
    case ' ':
    case '\t':
    case '\n':
    case '\v':
    case '\f':
    case '\r':
    case 0x85:
      return true;
    default:
      break;
  }
  if (cp < 0x80) return false;
  // Zs covers NBSP (U+00A0), the en/em/thin spaces, U+202F and U+3000; Zl/Zp the line and
  // paragraph separators that Word pastes into cells.
  utf8proc_category_t cat = utf8proc_category(cp);
  return cat == UTF8PROC_CATEGORY_ZS || cat == UTF8PROC_CATEGORY_ZL || cat == UTF8PROC_CATEGORY_ZP;
}

// Lowercase base letter of a decomposed code point, or nullopt for a mark to drop.
std::optional<CodePoint> FoldCodePoint(CodePoint cp) {
  if (utf8proc_category(cp) == UTF8PROC_CATEGORY_MN) return std::nullopt;
  // đ/Đ have no decomposition: the stroke is part of the letter, so NFD cannot strip it.
  if (cp == 0x0111 || cp == 0x0110) return 'd';
  return utf8proc_tolower(cp);
}

}  // namespace

bool IsValidUtf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    CodePoint cp;
    utf8proc_ssize_t n = Decode(s, i, cp);
    if (n <= 0) return false;
    i += static_cast<size_t>(n);
  }
  return true;
}

namespace {

// Valid UTF-8 made only of code points that are their own NFC and never combine with what
// precedes them: ASCII, Latin-1, Latin Extended-A and -B, and the precomposed Vietnamese letters
// of Latin Extended Additional — the whole of Vietnamese text typed on a modern keyboard.
bool NfcLatinOnly(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  while (p < end) {
    const unsigned c = *p;
    if (c < 0x80) {
      ++p;
    } else if ((c & 0xE0) == 0xC0) {
      if (end - p < 2 || (p[1] & 0xC0) != 0x80) return false;
      const unsigned cp = ((c & 0x1F) << 6) | (p[1] & 0x3F);
      if (cp < 0xA0 || cp > 0x24F) return false;
      p += 2;
    } else if ((c & 0xF0) == 0xE0) {
      if (end - p < 3 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80) return false;
      const unsigned cp = ((c & 0x0F) << 12) | ((p[1] & 0x3F) << 6) | (p[2] & 0x3F);
      if (cp < 0x1E00 || cp > 0x1EFF) return false;
      p += 3;
    } else {
      return false;
    }
  }
  return true;
}

}  // namespace

std::string Nfc(std::string_view s) {
  if (IsAscii(s) || NfcLatinOnly(s)) return std::string(s);
  return Map(Sanitize(s), UTF8PROC_STABLE | UTF8PROC_COMPOSE);
}

std::string CollapseSpaces(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool pending_space = false;
  for (size_t i = 0; i < s.size();) {
    const auto byte = static_cast<unsigned char>(s[i]);
    CodePoint cp = byte;
    size_t len = 1;
    // ASCII without decoding: most of every text.
    if (byte >= 0x80) {
      const utf8proc_ssize_t n = Decode(s, i, cp);
      // Ill-formed bytes are not spaces: pass them through untouched.
      if (n <= 0) cp = 0xFFFD;
      len = n > 0 ? static_cast<size_t>(n) : 1;
    }
    if (IsSpace(cp)) {
      pending_space = !out.empty();
    } else {
      if (pending_space) out.push_back(' ');
      pending_space = false;
      if (len == 1) {
        out.push_back(static_cast<char>(byte));
      } else {
        out.append(s.data() + i, len);
      }
    }
    i += len;
  }
  return out;
}

namespace {

// The fold of decomposed text, code point by code point, before spaces are collapsed.
void FoldDecomposed(std::string_view decomposed, std::string& out) {
  for (size_t i = 0; i < decomposed.size();) {
    CodePoint cp;
    i += static_cast<size_t>(Decode(decomposed, i, cp));
    if (std::optional<CodePoint> f = FoldCodePoint(cp)) Append(out, *f);
  }
}

// The fold of each code point NfcLatinOnly accepts (U+0000-U+024F and U+1E00-U+1EFF), made
// once by the general path: Vietnamese text is folded by table look-ups, 10 times faster than
// decomposing it, with the same result.
class LatinFolds {
 public:
  LatinFolds() {
    for (CodePoint cp = 0; cp < 0x250; ++cp) low_[static_cast<size_t>(cp)] = Of(cp);
    for (size_t c = 0; c < 0x80; ++c) ascii_[c] = low_[c].size() == 1 ? low_[c][0] : kNone;
    for (CodePoint cp = 0x1E00; cp < 0x1F00; ++cp) {
      extended_[static_cast<size_t>(cp - 0x1E00)] = Of(cp);
    }
  }
  void AppendAscii(unsigned char c, std::string& out) const {
    if (ascii_[c] != kNone) {
      out.push_back(ascii_[c]);
    } else {
      out += low_[c];
    }
  }
  const std::string& operator[](CodePoint cp) const {
    return cp < 0x250 ? low_[static_cast<size_t>(cp)] : extended_[static_cast<size_t>(cp - 0x1E00)];
  }

 private:
  static std::string Of(CodePoint cp) {
    std::string one;
    Append(one, cp);
    std::string folded;
    FoldDecomposed(Map(one, UTF8PROC_STABLE | UTF8PROC_DECOMPOSE), folded);
    return folded;
  }
  static constexpr char kNone = '\x7F';  // folds to something other than one character
  std::array<std::string, 0x250> low_;
  std::array<char, 0x80> ascii_{};
  std::array<std::string, 0x100> extended_;
};

}  // namespace

std::string Fold(std::string_view s) {
  std::string folded;
  folded.reserve(s.size());
  if (IsAscii(s) || NfcLatinOnly(s)) {
    static const LatinFolds folds;
    for (size_t i = 0; i < s.size();) {
      const auto c = static_cast<unsigned char>(s[i]);
      if (c < 0x80) {
        folds.AppendAscii(c, folded);
        ++i;
        continue;
      }
      CodePoint cp;
      i += static_cast<size_t>(Decode(s, i, cp));
      folded += folds[cp];
    }
  } else {
    // NFD of the input is NFD of its NFC form, so decomposing directly gives the same key.
    FoldDecomposed(Map(Sanitize(s), UTF8PROC_STABLE | UTF8PROC_DECOMPOSE), folded);
  }
  return CollapseSpaces(folded);
}

std::string FoldAlnum(std::string_view s) {
  std::string folded = Fold(s);
  std::erase_if(folded, [](char c) { return !((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')); });
  return folded;
}

bool FoldContains(std::string_view haystack, std::string_view needle) {
  return Fold(haystack).find(Fold(needle)) != std::string::npos;
}

std::string XmlEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace pdh::text
