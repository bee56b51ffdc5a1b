// Numbers as Vietnamese files write them: "3.254.170" (dot thousands), "8.536,44" (decimal
// comma), and the "21.35" / "30,509" of files exported by other tools.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pdh::number {

// An integer, allowing '.', ',' or spaces as thousands separators when they group by three
// ("3.254.170", "30,509", "1 234"). Leading '+'/'-' allowed. Surrounding spaces ignored.
std::optional<int64_t> ParseInteger(std::string_view s);

// A decimal number. The rules, in order:
//  - both '.' and ',' present: the one that appears last is the decimal mark, the other groups;
//  - only ',' present: decimal comma unless it groups by three more than once ("1,234,567");
//  - only '.' present: thousands dots when more than one dot groups by three ("3.254.170"),
//    otherwise a decimal dot ("21.35").
// Returns nullopt for anything else (letters, empty, "đang cập nhật").
std::optional<double> ParseDecimal(std::string_view s);

// How a file writes its decimals: "8.536,44" (Vietnamese: dot thousands, decimal comma) or
// "8,536.44" (English, and what spreadsheets and JSON hold as numbers).
enum class Style { kUnknown, kVietnamese, kEnglish };

// True when the two styles read `s` differently: a single '.' or ',' followed by exactly three
// digits, after one to three digits that do not start with 0 ("30.000", "1,500", "-250.000"):
// thirty thousand in one style, thirty in the other.
bool Ambiguous(std::string_view s);

// The style a number's spelling shows: a decimal comma or several grouping dots ("8,5",
// "1.500.000", "1.234,5") are Vietnamese, a decimal dot or several grouping commas English;
// kUnknown for plain digits, ambiguous values and anything that is not a number.
Style StyleOf(std::string_view s);

// ParseDecimal, with an ambiguous value (see Ambiguous) read in `style`: "30.000" is 30000 in
// kVietnamese and 30 in kEnglish, "30,000" the reverse. kUnknown reads it by the rules above
// (the single mark is decimal). Values that are not ambiguous read the same in every style.
std::optional<double> ParseDecimal(std::string_view s, Style style);

// The style of a column of numbers, decided from all of its values: what the values that show
// a style agree on; kUnknown when none shows one, or when they disagree.
class StyleTally {
 public:
  void Add(std::string_view s);
  // Adds another column's votes (a file's style is its columns' together).
  void Add(const StyleTally& other);
  Style style() const;

 private:
  int64_t vietnamese_ = 0;
  int64_t english_ = 0;
};

// A figure as Vietnamese write it: thousands with dots, decimals after a comma, at most
// `decimals` of them and no trailing zeros ("1.234.567", "99,6", "-0,25").
std::string FormatVi(double v, int decimals = 2);
// The same for an integer ("1.234.567").
std::string FormatVi(int64_t n);

}  // namespace pdh::number
