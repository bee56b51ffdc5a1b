// The Vietnamese citizen identity number (số định danh cá nhân, printed on the CCCD card): 12
// digits, read as
//   1-3   the code of the province where the birth was registered (the 63 provinces before the
//         2025 merger: 001 Hà Nội ... 096 Cà Mau);
//   4     century and sex: 0/1 1900s, 2/3 2000s, 4/5 2100s, 6/7 2200s, 8/9 1800s; even male,
//         odd female;
//   5-6   the last two digits of the birth year;
//   7-12  a serial number.
// There is no check digit: a number that passes Check is well formed, not necessarily issued.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"

namespace pdh::citizen_id {

struct CitizenId {
  std::string province_code;  // "079"
  int birth_year = 0;         // 1985
  bool female = false;
};

// Reads a citizen ID. Surrounding spaces (ASCII, tab, NBSP, narrow NBSP) are ignored; nothing
// else may surround or split the 12 digits. With `current_year`, a birth year after it is an
// error. Errors have code "value.citizen_id" and a message in Vietnamese, then English, saying
// what is wrong: not 12 digits (an old 9-digit identity card number is named as such), a
// character other than a digit, an unknown province code, a birth year in the future.
Result<CitizenId> Check(std::string_view s, std::optional<int> current_year = {});

// The name of the province a 3-digit code stands for ("079" -> "Hồ Chí Minh"), or "" when no
// province has that code.
std::string_view ProvinceName(std::string_view code);

}  // namespace pdh::citizen_id
