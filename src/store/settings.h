// The store's settings area: small key/value settings (home province, import stamps, the
// tracker's due day, notification addresses, the index set's generation).
//
// Thread-safety: all methods are thread-safe (see store/store.h).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"

namespace pdh::store {

class SettingsStore {
 public:
  virtual ~SettingsStore() = default;
  virtual Result<std::optional<std::string>> GetSetting(const std::string& key) = 0;
  virtual Status SetSetting(const std::string& key, const std::string& value) = 0;
  // The settings whose key starts with `prefix`, by key.
  virtual Result<std::vector<std::pair<std::string, std::string>>> ListSettings(
      const std::string& prefix) = 0;
};

}  // namespace pdh::store
