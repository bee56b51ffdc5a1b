// Numbers as Vietnamese files write them: "3.254.170" (dot thousands), "8.536,44" (decimal
// comma), and the "21.35" / "30,509" of files exported by other tools.
#pragma once

#include <cstdint>
#include <optional>
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

}  // namespace pdh::number
