// Reading and writing the cells of an imported sheet: lists joined with "; ", dates in ISO or
// Vietnamese form, enumerations by their English names or Vietnamese spellings, without
// diacritics or case. Shared by the modules that import sheets (catalog, register).
#pragma once

#include <algorithm>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/date.h"
#include "core/text.h"

namespace pdh::cells {

// How lists are written into one cell.
inline constexpr std::string_view kListSeparator = "; ";

std::string Join(const std::vector<std::string>& items);
// The items of a list cell split at any of `separators`, spaces collapsed, empty items dropped.
std::vector<std::string> Split(const std::string& cell, std::string_view separators = ";");

std::string FormatDate(const std::optional<Date>& d);  // ISO, "" when unset

// A cell that could not be read: the reason, for the row's error; nullopt when it was read.
using CellError = std::optional<std::string>;

// "2025-10-31" or "31/10/2025"; an empty cell unsets `out`.
CellError ParseDate(const std::string& cell, std::optional<Date>& out);

// The cell at `i` in NFC with spaces collapsed; "" past the row's end or for no column.
std::string At(const std::vector<std::string>& cells, std::optional<size_t> i);
// Every cell empty (or spaces).
bool Blank(const std::vector<std::string>& cells);

// Values as officials write them in Vietnamese, by their FoldAlnum keys.
template <class E>
using Spellings = std::map<std::string, E>;

template <class E>
Spellings<E> Folded(std::initializer_list<std::pair<std::string_view, E>> spellings) {
  Spellings<E> out;
  for (const auto& [value_text, value] : spellings) {
    out.emplace(text::FoldAlnum(value_text), value);
  }
  return out;
}

// The English name in any case, with spaces or underscores ("In use"), else a Vietnamese
// spelling.
template <class E>
CellError ParseEnum(const std::string& cell, E& out, std::optional<E> (*parse)(std::string_view),
                    const Spellings<E>& spellings) {
  std::string snake = text::Fold(cell);
  std::replace(snake.begin(), snake.end(), ' ', '_');
  std::optional<E> e = parse(snake);
  if (!e) {
    auto it = spellings.find(text::FoldAlnum(cell));
    if (it != spellings.end()) e = it->second;
  }
  if (!e) return "'" + cell + "' is not one of the allowed values";
  out = *e;
  return std::nullopt;
}

}  // namespace pdh::cells
