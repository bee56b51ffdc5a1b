// The legacy 8-bit Vietnamese encodings that old spreadsheets, CSV exports and Word files still
// arrive in (TCVN3/ABC, VNI-Windows, VISCII, Windows-1258): conversion to and from UTF-8, and
// detection of which one a file uses. Every table is built in; nothing is read at run time.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"

namespace pdh::encoding {

enum class Encoding {
  kUtf8,
  // TCVN 5712:1993 VN3, the 8-bit "ABC" encoding of the .VnTime fonts: the lowercase
  // precomposed letters, Ă Â Đ Ê Ô Ơ Ư and five combining tone marks (0xB0-0xB4) in 0x80-0xFF.
  // The other capitals were written by switching to an uppercase font (.VnTimeH), which shows
  // the lowercase positions as capitals. So ToUtf8 gives lowercase for those positions, and
  // FromUtf8 writes a capital VN3 lacks (À, Ấ, Ờ, ...) at its lowercase position: text meant
  // for .VnTimeH displays right, but the case does not survive a round trip. ToUtf8 reads the
  // high bytes VN3 leaves unassigned as the capitals TCVN 5712 VN1 puts there, so VN1/VN2
  // files decode too; FromUtf8 never writes them.
  kTcvn3,
  // VNI-Windows: a base letter followed by a diacritic byte ("Vie\xE4t" = "Việt"), with single
  // bytes for đ Đ ơ Ơ ư Ư and the toned i/I and ỵ/Ỵ; other bytes read as Windows-1252.
  kVni,
  // VISCII (RFC 1456): all 134 precomposed letters, six capitals in C0 (0x02 0x05 0x06 0x14
  // 0x19 0x1E).
  kViscii,
  // Windows-1258: the letters Windows-1252 has plus ă â ê ô ơ ư đ (either case), the other
  // letters written as a base letter followed by a combining tone mark.
  kCp1258,
};

// "utf-8", "tcvn3", "vni", "viscii" or "cp1258".
std::string_view Name(Encoding encoding);

// The encoding a name denotes, case-insensitively: the names Name gives and "utf8", "abc",
// "tcvn", "windows-1258", "vni-windows". Surrounding spaces are ignored.
std::optional<Encoding> Parse(std::string_view name);

// `bytes` in `from` as UTF-8 NFC. For kUtf8 this is text::Nfc(bytes). Control characters pass
// through (except VISCII's six C0 capitals); bytes an encoding leaves undefined (0x81 in
// Windows-1252 and -1258, ...) become the C1 control with that number, as Windows reads them.
std::string ToUtf8(std::string_view bytes, Encoding from);

// UTF-8 text in `to` (kUtf8: its NFC form). Letters are written the way the encoding's own
// tools write them: precomposed where the encoding has the letter, otherwise base letter plus
// tone (VNI, Windows-1258). Errors: "encoding.invalid_utf8" when `utf8` is not UTF-8,
// "encoding.unrepresentable" for the first character the encoding cannot write (naming it and
// its position).
Result<std::string> FromUtf8(std::string_view utf8, Encoding to);

struct Detection {
  Encoding encoding = Encoding::kUtf8;
  double confidence = 0;    // 0..1
  size_t legacy_chars = 0;  // Vietnamese letters with diacritics (or đ) the conversion produced;
                            // 0 for kUtf8
};

// The encoding of `sample`, the start of a file (a few hundred bytes tell the encodings apart;
// a few KB is plenty, and the cost grows with the size):
//  - a UTF-8 BOM, or well-formed UTF-8 (the last character may be cut off once an earlier one
//    shows the text is UTF-8): kUtf8 with confidence 1, pure ASCII included;
//  - otherwise each legacy encoding converts the words that hold bytes outside printable ASCII,
//    and the one whose words read best as Vietnamese wins. A word scores by its worst piece
//    between punctuation: a frequent syllable (của, tỉnh, phường, Nguyễn, ...) 1, another
//    well-formed syllable 0.5 (Vietnamese letters only, an onset, vowel cluster and final
//    consonant that exist, at most one tone, on the vowel that takes it, and only sắc or nặng
//    before -c -ch -p -t), anything else 0, and a control character, symbol, box drawing or
//    lone combining mark -0.5. Ties go to TCVN3, then VNI, Windows-1258, VISCII. Confidence is
//    0 for a tie and grows with the winner's lead in words; it is reduced when even the
//    winner reads poorly (not Vietnamese text, or not one of these encodings).
Detection Detect(std::string_view sample);

}  // namespace pdh::encoding
