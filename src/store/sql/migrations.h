// The SQLite schema as forward-only migrations: migration N takes user_version N-1 to N.
// Never edit a released migration; append a new one.
#pragma once

#include <span>
#include <string_view>

namespace pdh::store::sql {

std::span<const std::string_view> Migrations();

}  // namespace pdh::store::sql
