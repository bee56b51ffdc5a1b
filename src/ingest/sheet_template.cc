// The Excel workbook a unit fills in for a dataset: Vietnamese headers, an example row, each
// column's description as a message, code lists and units as drop-downs read from a hidden sheet.
#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include "core/sheet.h"
#include "ingest/ingest.h"

namespace pdh::ingest {
namespace {

constexpr const char* kDataSheet = "Dữ liệu";
constexpr const char* kGuideSheet = "Hướng dẫn";
constexpr const char* kListSheet = "Danh mục";

// "A", "B", ..., "Z", "AA", ...
std::string ColumnName(size_t col) {
  std::string name;
  for (size_t n = col + 1; n > 0; n = (n - 1) / 26) {
    name.insert(name.begin(), static_cast<char>('A' + (n - 1) % 26));
  }
  return name;
}

// What a reader sees of each code: its Vietnamese label, else the code.
std::vector<std::string> Choices(const Field& f) {
  std::vector<std::string> out;
  for (const auto& c : f.codes) out.push_back(c.label.empty() ? c.code : c.label);
  if (out.empty()) out = f.enum_values;
  if (out.empty() && f.type == FieldType::kBoolean) out = {"Có", "Không"};
  return out;
}

// A value the field accepts, as a person would type it.
std::string Example(const Field& f, const std::vector<std::string>& choices,
                    const std::string& unit) {
  if (!choices.empty()) return choices.front();
  if (f.unit) return unit;
  switch (f.type) {
    case FieldType::kInteger:
    case FieldType::kNumber: {
      const double v = f.minimum.value_or(0) > 1 ? *f.minimum : 1;
      std::ostringstream s;
      s << v;
      return s.str();
    }
    case FieldType::kBoolean:
      return "Có";
    case FieldType::kDate:
      return "31/10/2025";
    case FieldType::kDatetime:
      return "31/10/2025 08:30";
    case FieldType::kYear:
      return "2025";
    case FieldType::kYearMonth:
      return "2025-10";
    case FieldType::kString:
      break;
  }
  if (f.format == "citizen_id") return "072090001234";
  if (!f.pattern.empty()) return "";  // a pattern's example is the unit's to give
  return "VD-001";
}

std::string Help(const Field& f) {
  std::string text = f.description;
  auto add = [&text](const std::string& s) { text += (text.empty() ? "" : " ") + s; };
  if (f.required) add("Bắt buộc.");
  switch (f.type) {
    case FieldType::kDate:
      add("Ngày dạng 31/10/2025.");
      break;
    case FieldType::kDatetime:
      add("Ngày giờ dạng 31/10/2025 08:30.");
      break;
    case FieldType::kInteger:
      add("Số nguyên.");
      break;
    case FieldType::kNumber:
      add("Số, dấu phẩy thập phân (1.234,5).");
      break;
    default:
      break;
  }
  if (f.unit) add("Mã đơn vị theo danh mục (hoặc tên đơn vị).");
  if (f.personal) add("Dữ liệu cá nhân.");
  return text;
}

}  // namespace

Result<std::string> ExcelTemplate(const Dataset& d,
                                  const std::vector<std::pair<std::string, std::string>>& units) {
  // The sheet to fill in comes first (the one a reader of the file takes): its header in the
  // first row, as the ingest reads it; the instructions and the lists on sheets after it.
  SheetTable data;
  data.name = kDataSheet;
  SheetTable guide;
  guide.name = kGuideSheet;
  guide.title = {d.row.title.empty() ? d.row.code : d.row.title,
                 "Điền sheet \"" + std::string(kDataSheet) +
                     "\" từ dòng thứ 2; dòng thứ 2 là ví dụ, xóa đi trước khi gửi. Ở các cột có "
                     "danh mục, chọn giá trị trong danh sách."};
  guide.rows = {{"Cột", "Tên trường", "Bắt buộc", "Hướng dẫn", "Ví dụ"}};
  SheetTable lists;
  lists.name = kListSheet;
  lists.hidden = true;
  std::vector<std::vector<std::string>> list_columns;
  std::vector<std::string> header;
  std::vector<std::string> example;
  std::vector<std::string> list_header;
  const std::string unit_example = units.empty() ? "" : units.front().first;
  for (size_t i = 0; i < d.schema.fields.size(); ++i) {
    const Field& f = d.schema.fields[i];
    header.push_back(f.title.empty() ? f.name : f.title);
    std::vector<std::string> choices = Choices(f);
    example.push_back(Example(f, choices, unit_example));
    data.columns.push_back(f.type == FieldType::kInteger || f.type == FieldType::kNumber
                               ? XlsxColumn::kNumber
                               : XlsxColumn::kText);
    std::vector<std::string> names;
    if (f.unit && choices.empty()) {
      for (const auto& [code, name] : units) {
        choices.push_back(code);
        names.push_back(name);
      }
    }
    std::string list;
    if (!choices.empty()) {
      const std::string col = ColumnName(list_columns.size());
      list = "'";
      list += kListSheet;
      list += "'!$" + col + "$2:$";
      list += col + "$" + std::to_string(choices.size() + 1);
      list_header.push_back(header.back());
      list_columns.push_back(std::move(choices));
      if (!names.empty()) {  // the units' names beside their codes
        list_header.push_back("Tên đơn vị");
        list_columns.push_back(std::move(names));
      }
    }
    const std::string help = Help(f);
    data.help.push_back({i, header.back(), help, list});
    guide.rows.push_back({ColumnName(i), f.name, f.required ? "Có" : "", help, example.back()});
  }
  data.rows = {header, example};
  size_t longest = 0;
  for (const auto& c : list_columns) longest = std::max(longest, c.size());
  lists.rows.push_back(list_header);
  for (size_t r = 0; r < longest; ++r) {
    std::vector<std::string> row;
    row.reserve(list_columns.size());
    for (const auto& c : list_columns) row.push_back(r < c.size() ? c[r] : "");
    lists.rows.push_back(std::move(row));
  }
  std::ostringstream out;
  if (auto s = WriteXlsxSheets(out, {data, guide, lists}); !s) return Fail(s.error());
  return out.str();
}

}  // namespace pdh::ingest
