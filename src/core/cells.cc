// Cells of imported sheets; see cells.h.
#include "core/cells.h"

namespace pdh::cells {

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += kListSeparator;
    out += item;
  }
  return out;
}

std::vector<std::string> Split(const std::string& cell, std::string_view separators) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= cell.size()) {
    size_t end = cell.find_first_of(separators, start);
    if (end == std::string::npos) end = cell.size();
    std::string item = text::CollapseSpaces(cell.substr(start, end - start));
    if (!item.empty()) out.push_back(std::move(item));
    start = end + 1;
  }
  return out;
}

std::string FormatDate(const std::optional<Date>& d) {
  return d ? d->ToString() : "";
}

CellError ParseDate(const std::string& cell, std::optional<Date>& out) {
  if (cell.empty()) {
    out.reset();
    return std::nullopt;
  }
  out = Date::Parse(cell);
  if (!out) return "'" + cell + "' is not a date (2025-10-31 or 31/10/2025)";
  return std::nullopt;
}

std::string At(const std::vector<std::string>& cells, std::optional<size_t> i) {
  if (!i || *i >= cells.size()) return "";
  return text::CollapseSpaces(text::Nfc(cells[*i]));
}

bool Blank(const std::vector<std::string>& cells) {
  return std::all_of(cells.begin(), cells.end(), [](const std::string& c) {
    const size_t first = c.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) return true;
    // Only other (Unicode) spaces are left to look for, such as a spreadsheet's NBSP.
    return static_cast<unsigned char>(c[first]) >= 0x80 && text::CollapseSpaces(c).empty();
  });
}

}  // namespace pdh::cells
