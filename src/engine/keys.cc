// The engine's record key index (engine/internal.h).
#include <algorithm>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/internal.h"

namespace pdh::engine {

size_t KeyIndex::Find(std::string_view key, size_t hash) const {
  const size_t mask = slots_.size() - 1;
  for (size_t at = hash & mask;; at = (at + 1) & mask) {
    const uint32_t n = slots_[at];
    if (n == 0 || this->key(n - 1) == key) return at;
  }
}

void KeyIndex::Grow() {
  std::vector<uint32_t> old(std::max<size_t>(16, slots_.size() * 2), 0);
  slots_.swap(old);
  const size_t mask = slots_.size() - 1;
  for (uint32_t i = 0; i < ends_.size(); ++i) {
    size_t at = std::hash<std::string_view>()(key(i)) & mask;
    while (slots_[at] != 0) at = (at + 1) & mask;
    slots_[at] = i + 1;
  }
}

std::pair<uint32_t, bool> KeyIndex::Insert(std::string_view k) {
  // At most half full: probes stay short.
  if ((ends_.size() + 1) * 2 > slots_.size()) Grow();
  const size_t at = Find(k, std::hash<std::string_view>()(k));
  if (slots_[at] != 0) return {slots_[at] - 1, false};
  keys_.append(k);
  ends_.push_back(keys_.size());
  slots_[at] = static_cast<uint32_t>(ends_.size());
  return {static_cast<uint32_t>(ends_.size() - 1), true};
}

bool KeyIndex::Assign(std::string keys, std::vector<uint64_t> ends) {
  uint64_t last = 0;
  for (uint64_t e : ends) {
    if (e < last || e > keys.size()) return false;
    last = e;
  }
  if (last != keys.size()) return false;
  keys_ = std::move(keys);
  ends_ = std::move(ends);
  size_t size = 16;
  while (size < ends_.size() * 2) size *= 2;
  slots_.assign(size, 0);
  for (uint32_t i = 0; i < ends_.size(); ++i) {
    const size_t at = Find(key(i), std::hash<std::string_view>()(key(i)));
    // A key twice would make the second unreachable.
    if (slots_[at] != 0) return false;
    slots_[at] = i + 1;
  }
  return true;
}

}  // namespace pdh::engine
