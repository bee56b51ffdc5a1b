// The store's engine area: the index set engine's saved state (its sources: what the rules have
// added up from the records, the reported values by unit, the marks of the last batch and value
// it took), so that a restart loads it and takes only what was committed since, instead of
// reading every record again.
//
// Thread-safety: all methods are thread-safe (see store/store.h).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"

namespace pdh::store {

class EngineStore {
 public:
  virtual ~EngineStore() = default;
  // Replaces the saved state by `bytes`, in one transaction: a reader sees the old state or the
  // new, never a mix.
  virtual Status SaveEngineState(std::string_view bytes) = 0;
  // The saved state, or nullopt when none was saved.
  virtual Result<std::optional<std::string>> LoadEngineState() = 0;
  // Forgets the saved state (the next start rebuilds from the records).
  virtual Status ClearEngineState() = 0;
};

}  // namespace pdh::store
