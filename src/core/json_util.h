// JSON as the modules' snapshots and API bodies write it: optional dates as null, lists of
// strings, enums by name, and readers of one field that name the field in their errors.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/value.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/date.h"
#include "core/error.h"

namespace pdh::json_util {

// The ISO date, or null.
boost::json::value OptDate(const std::optional<Date>& d);
// The number, or null.
boost::json::value OptNumber(const std::optional<double>& d);
boost::json::value OptInteger(const std::optional<int64_t>& n);
boost::json::array Strings(const std::vector<std::string>& items);
// The JSON in `text`, or null when it does not parse.
boost::json::value Parse(const std::string& text);

// The JSON text of `v`, compact, with numbers as a person writes them: a double in the shortest
// form that reads back to the same double (70.81081, 0.5, 100, 1e-07 and 1e+21 only where the
// plain form is longer), where boost::json::serialize writes 7.0810811E1; a double JSON cannot
// hold (infinite, NaN) as null. Strings, integers and the rest as boost::json::serialize
// writes them. Every JSON the API answers goes through it. (Not for bytes that are hashed or
// signed, such as the audit log's canonical form: those keep boost::json::serialize.)
std::string Serialize(const boost::json::value& v);
// The same, appended to `out`.
void SerializeTo(std::string& out, const boost::json::value& v);

// The enum whose value is the index of `s` in `names`.
template <class E, size_t N>
std::optional<E> ParseName(const std::array<std::string_view, N>& names, std::string_view s) {
  for (size_t i = 0; i < N; ++i) {
    if (names[i] == s) return static_cast<E>(i);
  }
  return std::nullopt;
}

// Assigns the value `read` holds to `out`, or passes its error on.
template <class T, class R>
Status Assign(T& out, R read) {
  if (!read) return Fail(read.error());
  out = std::move(*read);
  return Ok();
}

// Reads one field's value; the errors are Error::Invalid with the module's code
// ("catalog.invalid_field") and a message that starts with the field ("deadline: ...").
class FieldReader {
 public:
  explicit constexpr FieldReader(std::string_view code) : code_(code) {}

  Error Invalid(const std::string& field, const std::string& what) const;

  // null reads as "" (or an empty list, or no date).
  Result<std::string> String(const boost::json::value& v, const std::string& field) const;
  Result<std::vector<std::string>> Strings(const boost::json::value& v,
                                           const std::string& field) const;
  Result<std::optional<Date>> OptionalDate(const boost::json::value& v,
                                           const std::string& field) const;
  // null reads as none; a finite number / a whole number that fits in 64 bits.
  Result<std::optional<double>> OptionalNumber(const boost::json::value& v,
                                               const std::string& field) const;
  Result<std::optional<int64_t>> OptionalInteger(const boost::json::value& v,
                                                 const std::string& field) const;

  // A string that `parse` takes (an enum's name).
  template <class E>
  Result<E> Enum(const boost::json::value& v, const std::string& field,
                 std::optional<E> (*parse)(std::string_view)) const {
    auto s = String(v, field);
    if (!s) return Fail(s.error());
    auto e = parse(*s);
    if (!e) return Fail(Invalid(field, "'" + *s + "' is not one of the allowed values"));
    return *e;
  }

 private:
  std::string_view code_;
};

}  // namespace pdh::json_util
