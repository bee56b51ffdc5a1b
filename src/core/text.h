// Vietnamese text as data: UTF-8 validation, NFC normalization, diacritic-insensitive folding.
#pragma once

#include <string>
#include <string_view>

namespace pdh::text {

// True when `s` is well-formed UTF-8.
bool IsValidUtf8(std::string_view s);

// NFC form of `s`. Invalid UTF-8 sequences are replaced by U+FFFD.
std::string Nfc(std::string_view s);

// Removes leading/trailing ASCII and Unicode whitespace (incl. NBSP) and collapses inner runs
// of whitespace (incl. newlines) to one space.
std::string CollapseSpaces(std::string_view s);

// Search key: NFC, lowercase, diacritics removed (đ/Đ -> d), whitespace collapsed.
// "Cơ sở Dữ liệu" -> "co so du lieu"; "Hoà" and "Hòa" fold to the same key.
std::string Fold(std::string_view s);

// Like Fold, then only [a-z0-9] kept: for matching names whose punctuation differs
// ("Ea H'Leo" vs "Ea H’Leo" vs "Ea HLeo").
std::string FoldAlnum(std::string_view s);

// True when Fold(needle) occurs in Fold(haystack).
bool FoldContains(std::string_view haystack, std::string_view needle);

// `s` as XML and HTML text or attribute value: & < > " escaped.
std::string XmlEscape(std::string_view s);

}  // namespace pdh::text
