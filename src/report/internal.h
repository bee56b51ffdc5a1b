// What the report's renderings share.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <string>
#include <string_view>

#include "core/date.h"

namespace pdh::report::internal {

// A string value's text; "" for anything else.
std::string Text(const boost::json::value& v);
// A cell as a reader sees it: numbers the Vietnamese way (1.234,5), a change with its sign.
std::string CellText(const boost::json::value& cell, std::string_view kind);
// 31/10/2025.
std::string DateVi(Date d);
std::string DateVi(std::string_view iso);
// "Tây Ninh, số liệu tính đến ngày 31/10/2025 — phát hành ngày 05/11/2025".
std::string Dateline(const boost::json::object& report);

}  // namespace pdh::report::internal
