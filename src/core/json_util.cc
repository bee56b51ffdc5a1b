// JSON helpers shared by the modules (json_util.h).
#include "core/json_util.h"

#include <boost/json/parse.hpp>
#include <charconv>
#include <cmath>
#include <string_view>

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

namespace {

// A JSON string literal, escaped as Boost.JSON escapes it: \" \\ \b \f \n \r \t, the other
// control characters as \u00xx, everything else (UTF-8 included) as it is.
void AppendString(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  size_t plain = 0;  // start of the run not yet copied
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.substr(plain, i - plain));
    plain = i + 1;
    out.push_back('\\');
    switch (c) {
      case '"':
        out.push_back('"');
        break;
      case '\\':
        out.push_back('\\');
        break;
      case '\b':
        out.push_back('b');
        break;
      case '\f':
        out.push_back('f');
        break;
      case '\n':
        out.push_back('n');
        break;
      case '\r':
        out.push_back('r');
        break;
      case '\t':
        out.push_back('t');
        break;
      default:
        out.append("u00");
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 0xf]);
    }
  }
  out.append(s.substr(plain));
  out.push_back('"');
}

void AppendDouble(std::string& out, double d) {
  if (!std::isfinite(d)) {
    out.append("null");
    return;
  }
  char buf[64];
  // Shortest round-trip; the fixed or scientific form, whichever is shorter.
  const auto r = std::to_chars(buf, buf + sizeof buf, d);
  out.append(buf, r.ptr);
}

template <class Integer>
void AppendInteger(std::string& out, Integer n) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, n);
  out.append(buf, r.ptr);
}

}  // namespace

void SerializeTo(std::string& out, const json::value& v) {
  switch (v.kind()) {
    case json::kind::double_:
      AppendDouble(out, v.get_double());
      return;
    case json::kind::string:
      AppendString(out, v.get_string());
      return;
    case json::kind::array: {
      out.push_back('[');
      bool first = true;
      for (const auto& item : v.get_array()) {
        if (!first) out.push_back(',');
        first = false;
        SerializeTo(out, item);
      }
      out.push_back(']');
      return;
    }
    case json::kind::object: {
      out.push_back('{');
      bool first = true;
      for (const auto& [key, item] : v.get_object()) {
        if (!first) out.push_back(',');
        first = false;
        AppendString(out, key);
        out.push_back(':');
        SerializeTo(out, item);
      }
      out.push_back('}');
      return;
    }
    case json::kind::int64:
      AppendInteger(out, v.get_int64());
      return;
    case json::kind::uint64:
      AppendInteger(out, v.get_uint64());
      return;
    case json::kind::bool_:
      out.append(v.get_bool() ? "true" : "false");
      return;
    case json::kind::null:
      out.append("null");
      return;
  }
}

std::string Serialize(const json::value& v) {
  std::string out;
  SerializeTo(out, v);
  return out;
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

Result<std::optional<double>> FieldReader::OptionalNumber(const json::value& v,
                                                          const std::string& field) const {
  if (v.is_null()) return std::optional<double>();
  if (!v.is_number()) return Fail(Invalid(field, "must be a number"));
  const double d = v.to_number<double>();
  if (!std::isfinite(d)) return Fail(Invalid(field, "must be a finite number"));
  return std::optional<double>(d);
}

Result<std::optional<int64_t>> FieldReader::OptionalInteger(const json::value& v,
                                                            const std::string& field) const {
  if (v.is_null()) return std::optional<int64_t>();
  if (v.is_int64()) return std::optional<int64_t>(v.get_int64());
  if (v.is_uint64() && v.get_uint64() <= INT64_MAX) {
    return std::optional<int64_t>(static_cast<int64_t>(v.get_uint64()));
  }
  return Fail(Invalid(field, "must be a whole number"));
}

json::value OptNumber(const std::optional<double>& d) {
  return d ? json::value(*d) : json::value(nullptr);
}

json::value OptInteger(const std::optional<int64_t>& n) {
  return n ? json::value(*n) : json::value(nullptr);
}

}  // namespace pdh::json_util
