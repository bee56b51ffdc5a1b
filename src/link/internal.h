// The linkage engine's insides: values encoded once per record (interned to integers, folded
// forms precomputed), the comparison of two encodings, blocking and the model. Only src/link
// includes it.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "link/link.h"

namespace pdh::link::detail {

// Strings to dense ids; id 0 is the empty string (a missing value).
class Interner {
 public:
  Interner() { strings_.emplace_back(); }
  uint32_t Intern(std::string_view s);
  // The id of `s`, or 0 when it was never interned.
  uint32_t Find(std::string_view s) const;
  const std::string& str(uint32_t id) const { return strings_[id]; }
  size_t size() const { return strings_.size(); }

  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };

 private:
  std::unordered_map<std::string, uint32_t, Hash, std::equal_to<>> ids_;
  std::vector<std::string> strings_;
};

// One value of one record, encoded. `exact` 0 means missing. What the fields hold depends on the
// kind (see Codec::Encode).
struct Cell {
  uint32_t exact = 0;
  uint32_t tone = 0;
  uint32_t fold = 0;
  uint32_t alt = 0;
  int32_t num = 0;
};

// How one column's values are encoded and compared; holds the column's interned strings and the
// frequencies of its folded values (for term-frequency adjustment).
class Codec {
 public:
  Codec(Kind kind, int within_days, const units::Registry* registry)
      : kind_(kind), within_days_(within_days), registry_(registry) {}
  Kind kind() const { return kind_; }
  Cell Encode(std::string_view raw);
  Level Compare(const Cell& a, const Cell& b) const;
  // The folded form of a value, for blocking keys and term frequencies.
  const std::string& Folded(const Cell& c) const { return fold_.str(c.fold); }
  // The value as shown to a person (NFC text, digits, the date as YYYYMMDD).
  const std::string& Display(const Cell& c) const {
    return c.exact != 0 &&
                   (kind_ == Kind::kName || kind_ == Kind::kText || kind_ == Kind::kFullName)
               ? exact_.str(c.exact)
               : fold_.str(c.fold);
  }
  // Count of records whose folded value is `fold`.
  uint32_t Frequency(uint32_t fold) const { return fold < counts_.size() ? counts_[fold] : 0; }
  uint64_t counted() const { return counted_; }

 private:
  Level CompareStrings(const Cell& a, const Cell& b) const;
  Level CompareFull(const Cell& a, const Cell& b) const;
  Level CompareDate(const Cell& a, const Cell& b) const;
  Level CompareId(const Cell& a, const Cell& b) const;

  Kind kind_;
  int within_days_;
  const units::Registry* registry_;
  Interner exact_;
  Interner tone_;
  Interner fold_;
  Interner alt_;
  std::vector<uint32_t> counts_;  // by fold id
  uint64_t counted_ = 0;
  std::unordered_map<std::string, std::string> crosswalk_;  // old commune code -> new
  // Texts repeat (names, suburbs): each distinct raw value is normalized once.
  std::unordered_map<std::string, Cell, Interner::Hash, std::equal_to<>> text_cache_;
};

// Splits on single spaces (the folded forms have no other whitespace).
std::vector<std::string_view> Words(std::string_view s);

// --- Blocking ---------------------------------------------------------------------------------

struct BlockKey {
  enum class Part { kValue, kPrefix, kYear };
  size_t column = 0;  // index into the comparisons
  Part part = Part::kValue;
  int length = 0;  // kPrefix
};

struct BlockRule {
  std::string text;
  std::vector<BlockKey> keys;
  bool automatic = false;
};

// Parses "surname,dob_year;given3,postcode" against the columns; link.bad_rule when a key names
// nothing.
Result<std::vector<BlockRule>> ParseRules(std::string_view text,
                                          const std::vector<ColumnSpec>& columns);
// Rules chosen from the columns' roles.
std::vector<BlockRule> AutomaticRules(const std::vector<ColumnSpec>& columns);

// The records of both sources, encoded: cells[record * columns + column].
struct Records {
  size_t columns = 0;
  std::vector<Cell> cells;
  std::vector<std::string> ids;
  std::vector<uint8_t> source;  // 0 or 1
  uint32_t size_a = 0;          // records of source A come first
  const Cell& at(uint32_t record, size_t column) const { return cells[record * columns + column]; }
  uint32_t size() const { return static_cast<uint32_t>(ids.size()); }
};

// The pairs the rules generate, each (a << 32 | b) with a < b, deduplicated and sorted. Counts
// each rule's pairs first; a user's rule over the maximum fails, an automatic one is left out.
Result<std::vector<uint64_t>> Block(const Records& records, const std::vector<Codec>& codecs,
                                    std::vector<BlockRule>& rules, Mode mode, uint64_t max_pairs,
                                    std::vector<RuleCount>& counts);

// --- Model -------------------------------------------------------------------------------------

// A pair's levels, 5 bits per comparison (at most kMaxComparisons).
using Gamma = uint64_t;
inline constexpr size_t kMaxComparisons = 12;
inline Level LevelAt(Gamma g, size_t c) {
  return static_cast<Level>((g >> (5 * c)) & 31);
}
Gamma GammaOf(const Records& records, const std::vector<Codec>& codecs, uint32_t a, uint32_t b);

// Probability tables indexed [comparison][level].
using Table = std::vector<std::array<double, kLevelCount>>;

// u: the levels' frequencies among random pairs (dedupe: any two records; pair: one of each).
Table EstimateU(const Records& records, const std::vector<Codec>& codecs, Mode mode, size_t samples,
                uint64_t seed, unsigned threads);

struct EmResult {
  Table m;
  double lambda_blocked = 0;
  int iterations = 0;
  bool converged = false;
};
// Trains m and the share of matches among the blocked pairs by EM over the pairs' patterns
// (each distinct Gamma with its count); labelled patterns keep their truth. `start_u`, when
// given, is where u among the blocked pairs starts (u among random pairs).
EmResult TrainEm(const std::vector<Codec>& codecs,
                 const std::vector<std::pair<Gamma, uint64_t>>& patterns,
                 const std::vector<std::pair<Gamma, bool>>& labelled, int max_iterations,
                 const Table* start_u = nullptr);

}  // namespace pdh::link::detail
