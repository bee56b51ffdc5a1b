// JSON helpers shared by the modules (json_util.h).
#include "core/json_util.h"

#include <boost/json/parse.hpp>

namespace pdh::json_util {

namespace json = boost::json;

json::value OptDate(const std::optional<pdh::Date>& d) {
  return d ? json::value(d->ToString()) : json::value(nullptr);
}

json::array Strings(const std::vector<std::string>& items) {
  json::array a;
  for (const auto& s : items) a.emplace_back(s);
  return a;
}

json::value Parse(const std::string& text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  return ec ? json::value(nullptr) : v;
}

Error FieldReader::Invalid(const std::string& field, const std::string& what) const {
  return Error::Invalid(std::string(code_), field + ": " + what);
}

Result<std::string> FieldReader::String(const json::value& v, const std::string& field) const {
  if (v.is_null()) return std::string();
  if (!v.is_string()) return Fail(Invalid(field, "must be a string"));
  return std::string(v.get_string());
}

Result<std::vector<std::string>> FieldReader::Strings(const json::value& v,
                                                      const std::string& field) const {
  if (v.is_null()) return std::vector<std::string>();
  if (!v.is_array()) return Fail(Invalid(field, "must be a list of strings"));
  std::vector<std::string> out;
  for (const auto& item : v.get_array()) {
    if (!item.is_string()) return Fail(Invalid(field, "must be a list of strings"));
    out.emplace_back(item.get_string());
  }
  return out;
}

Result<std::optional<pdh::Date>> FieldReader::OptionalDate(const json::value& v,
                                                           const std::string& field) const {
  if (v.is_null()) return std::optional<pdh::Date>();
  auto d = v.is_string() ? pdh::Date::Parse(v.get_string()) : std::nullopt;
  if (!d) return Fail(Invalid(field, "must be a date such as 2025-10-31"));
  return d;
}

}  // namespace pdh::json_util
