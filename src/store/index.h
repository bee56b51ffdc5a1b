// The store's index set area (M5): the definitions of sectors, elements, indicators and
// constants, the reported values, and the merged communes' weights.
//
// Thread-safety: all methods are thread-safe (see store/store.h).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"

namespace pdh::store {

// Definitions are stored whole as JSON (the engine module reads and checks them); values are
// keyed by element, option, unit code (as reported: an old commune's code stays as it was) and
// period id ("2025-10", "2025Q3", "2025").

struct IndexObjectRow {
  std::string kind;  // "sector" | "element" | "indicator" | "constant"
  std::string code;
  std::string definition;  // JSON
  std::string updated_at;
  std::string updated_by;
};

struct DataValueRow {
  std::string element;
  std::string option;
  std::string unit;
  std::string period;
  std::optional<double> value;  // null: withdrawn
  int64_t seq = 0;              // set by the store: the order of writes
  std::string created_at;       // first reported (kept when the value is replaced)
  std::string updated_at;
  std::string by;
  std::string source;  // "api", "csv", "dhis2", "demo", ...
};

struct MergeWeightRow {
  std::string old_code;
  std::string new_code;
  double weight = 0;  // share of the old commune's values going to the new one
};

class IndexStore {
 public:
  virtual ~IndexStore() = default;
  virtual Result<std::vector<IndexObjectRow>> Objects() = 0;
  // Adds or replaces `put` and removes `remove` (kind, code) in one transaction.
  virtual Status PutObjects(const std::vector<IndexObjectRow>& put,
                            const std::vector<std::pair<std::string, std::string>>& remove) = 0;
  // Upserts values in one transaction, each with the next seq; a replaced value keeps its
  // created_at. Returns the last seq written.
  virtual Result<int64_t> PutValues(const std::vector<DataValueRow>& rows) = 0;
  // Values written after `after_seq`, in seq order.
  virtual Status ForEachValue(int64_t after_seq,
                              const std::function<Status(const DataValueRow&)>& fn) = 0;
  virtual Result<int64_t> LastValueSeq() = 0;
  virtual Result<std::vector<MergeWeightRow>> MergeWeights() = 0;
  // Replaces the weights of the old communes named in `rows`.
  virtual Status SetMergeWeights(const std::vector<MergeWeightRow>& rows) = 0;
};

}  // namespace pdh::store
