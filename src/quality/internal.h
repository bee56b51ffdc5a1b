// What the quality module's files share: a cell's text and the months scores speak of.
#pragma once

#include <string>

#include "core/date.h"
#include "store/datasets.h"

namespace pdh::quality::internal {

// A cell as text: numbers as JSON writes them, null as "".
std::string CellText(const store::Cell& c);
std::string MonthOf(Date d);  // "YYYY-MM"
// The month `by` months after (before, when negative) "YYYY-MM".
std::string ShiftMonth(const std::string& month, int by);
// The setting a dataset's checks are stored in.
std::string ChecksKey(const std::string& dataset);
// The month the scores speak of: the as-of month when it is over, else the one before.
std::string ScoreMonth(Date as_of);

}  // namespace pdh::quality::internal
