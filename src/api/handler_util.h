// Helpers shared by the route files: reading query parameters and JSON bodies with errors a
// client can act on. Private to the api module.
#pragma once

#include <boost/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "server/server.h"

namespace pdh::api {

// A whole number, or nullopt when `s` is anything else.
std::optional<size_t> ParseCount(std::string_view s);
// ?limit= within 1..max (fallback when absent). Errors: request.invalid_limit.
size_t ParseLimit(const http::Request& req, size_t fallback, size_t max);
// The body as a JSON object. Errors: request.invalid_json, request.invalid_body.
boost::json::object BodyObject(const http::Request& req);
// A string field, nullopt when absent or null. Errors: request.invalid_field.
std::optional<std::string> OptString(const boost::json::object& o, std::string_view key);
std::optional<bool> OptBool(const boost::json::object& o, std::string_view key);
std::optional<int64_t> OptInt(const boost::json::object& o, std::string_view key);
// An array of strings, nullopt when absent. Errors: request.invalid_field.
std::optional<std::vector<std::string>> OptStrings(const boost::json::object& o,
                                                   std::string_view key);
// Refuses fields outside `known`. Errors: request.unknown_field.
void OnlyFields(const boost::json::object& o, std::initializer_list<std::string_view> known);

// The ?as_of= parameter's documentation, and its value (YYYY-MM-DD or DD/MM/YYYY; default
// today). Errors: request.invalid_date.
http::ParamDoc AsOfParam();
Date AsOf(const http::Request& req);

boost::json::value OrNull(const std::optional<std::string>& s);

}  // namespace pdh::api
