// Record linkage (M4): the same people in one source (deduplication) or in two (linkage), found
// by Vietnamese-aware comparisons, blocking rules, and a Fellegi–Sunter model trained without
// labels. Values are encoded once per record; pairs are compared as integers where they can be.
//
// Use: Linker::Create with the columns to compare (GuessColumns proposes them from a header and
// sample rows), Add every row, then Run: it blocks, trains, scores and returns a Linkage, which
// answers clusters, one-to-one links, explanations, estimates and a histogram. A Linker is used
// from one thread; Run uses Options::threads threads internally.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/error.h"

namespace pdh::units {
class Registry;
}

namespace pdh::link {

// --- Comparisons -----------------------------------------------------------------------------

// What a column holds, and so how two of its values are compared.
enum class Kind {
  kName,      // one part of a name (family, middle or given name), or any short text
  kFullName,  // "Họ và tên": family, middle and given names in one value
  kDate,      // a date of birth: ISO, DD/MM/YYYY or YYYYMMDD
  kId,        // an identity number: 12-digit citizen ID, 9-digit old ID, or another number
  kPhone,     // a Vietnamese phone number, in any of its written forms
  kCommune,   // a commune code, old (before 1 July 2025) or new
  kCode,      // a short code compared as written: postcode, house number, state
  kText,      // a longer text compared like a name: an address, a suburb
};
std::string_view KindName(Kind kind);  // "name", "full_name", "date", ...
std::optional<Kind> ParseKind(std::string_view name);

// The graded outcome of comparing two values, best first within each kind. kMissing (a value is
// empty) and kNeutral (the values cannot be compared, e.g. a 12-digit citizen ID against a
// 9-digit old ID) weigh nothing either way.
enum class Level : uint8_t {
  kMissing,
  kExact,            // equal after NFC and collapsing spaces
  kTone,             // equal once the tone mark sits in one place (hoà / hòa, thuỷ / thủy)
  kFolded,           // equal without diacritics, case or Đ/D
  kSwapped,          // full names: the same names in another order
  kMiddleMissing,    // full names: family and given name equal, a middle name left out
  kEdit1,            // Levenshtein distance 1 (folded), or a transposed pair of digits
  kJw92,             // Jaro–Winkler similarity of the folded values at least 0.92
  kEdit2,            // Levenshtein distance 2
  kJw88,             // Jaro–Winkler at least 0.88
  kDayMonthSwapped,  // dates: day and month exchanged
  kWithinDays,       // dates: at most Options::within_days apart
  kSameYear,         // dates: the same year only
  kLast9,            // phones: the last 9 digits equal (different prefixes)
  kCrosswalk,        // communes: equal once old codes are mapped to their new commune
  kNeutral,
  kOther,  // none of the above
};
inline constexpr int kLevelCount = 17;
std::string_view LevelName(Level level);  // "exact", "tone", "folded", ...

// The levels a kind can give, best first (kMissing and kNeutral left out).
std::vector<Level> LevelsOf(Kind kind);

// Each comparison, on two raw values (the engine compares the same encodings in bulk).
Level CompareNames(std::string_view a, std::string_view b);
Level CompareFullNames(std::string_view a, std::string_view b);
Level CompareDates(std::string_view a, std::string_view b, int within_days = 30);
Level CompareIds(std::string_view a, std::string_view b);
Level ComparePhones(std::string_view a, std::string_view b);
// With a registry, an old commune code and the new commune it went to (whole, or the only new
// commune it went to) compare as kCrosswalk.
Level CompareCommunes(std::string_view a, std::string_view b,
                      const units::Registry* registry = nullptr);
Level CompareCodes(std::string_view a, std::string_view b);
Level Compare(Kind kind, std::string_view a, std::string_view b, int within_days = 30,
              const units::Registry* registry = nullptr);

// The building blocks, exposed for their tests.
double JaroWinkler(std::string_view a, std::string_view b);
// Levenshtein distance of two byte strings, or `bound` + 1 when it is greater than `bound`.
int Levenshtein(std::string_view a, std::string_view b, int bound);
// NFC, lowercase, each syllable's tone mark moved to the syllable's end: "Hoà" and "hòa" give
// the same key, "hoa" another.
std::string ToneKey(std::string_view s);
// "0912 345 678", "+84 912.345.678", "84912345678" -> "0912345678"; "" when no digits.
std::string NormalizePhone(std::string_view s);
// A date of birth: what Date::Parse reads, and YYYYMMDD.
std::optional<Date> ParseBirthDate(std::string_view s);

// --- Columns --------------------------------------------------------------------------------

struct ColumnSpec {
  std::string name;  // the header in the file
  Kind kind = Kind::kName;
  // What the column means, for blocking rules: "surname", "given", "middle", "full_name", "dob",
  // "id", "phone", "commune", "postcode", "address", or "" for none.
  std::string role;
  bool term_frequency = false;  // exact matches weigh by how rare the value is
};

// The comparisons a file's columns call for, from their headers (Vietnamese or English) and
// values; `sample` holds some of its rows. The id column and columns of no known meaning are
// left out.
std::vector<ColumnSpec> GuessColumns(const std::vector<std::string>& header,
                                     const std::vector<std::vector<std::string>>& sample,
                                     std::string_view id_column);

// --- The engine -----------------------------------------------------------------------------

enum class Mode {
  kDedupe,  // one source: its duplicates
  kPair,    // two sources, each free of duplicates: who in A is who in B
};

// A pair whose truth a person decided (from a review), by record ids; id_a in source A.
struct Label {
  std::string id_a;
  std::string id_b;
  bool match = false;
};

struct Options {
  std::vector<ColumnSpec> columns;
  // Blocking rules separated by ';', each a ','-separated list of keys: a column name or role,
  // optionally with a suffix: "_year" (a date's year), a number N (the first N characters of the
  // folded value). "surname,dob_year;given3,postcode". Empty: chosen from the columns' roles.
  std::string rules;
  // A rule generating more pairs is refused (link.blocking_too_large); automatic rules beyond
  // it are left out instead.
  uint64_t max_pairs_per_rule = 50'000'000;
  int within_days = 30;          // dates within this many days compare as kWithinDays
  int em_iterations = 200;       // at most; training stops earlier once converged
  size_t u_samples = 1'000'000;  // random pairs the u probabilities are counted on
  unsigned threads = 2;
  uint64_t seed = 20250701;
  const units::Registry* registry = nullptr;  // optional: old commune codes mapped
  std::vector<Label> labels;                  // optional: anchor the model
};

// Stable error codes.
inline constexpr std::string_view kBlockingTooLarge = "link.blocking_too_large";
inline constexpr std::string_view kMissingColumn = "link.missing_column";
inline constexpr std::string_view kBadRule = "link.bad_rule";
inline constexpr std::string_view kDuplicateId = "link.duplicate_id";
inline constexpr std::string_view kNoColumns = "link.no_columns";

struct RuleCount {
  std::string rule;
  uint64_t pairs = 0;  // before pairs found by earlier rules are removed
  bool used = true;    // false: an automatic rule left out for generating too many
};

struct LevelParams {
  Level level = Level::kOther;
  double m = 0;        // P(level | match), trained
  double u = 0;        // P(level | non-match), from random pairs
  double weight = 0;   // log2(m / u), bits
  uint64_t pairs = 0;  // blocked pairs at this level
};

struct ComparisonParams {
  ColumnSpec column;
  std::vector<LevelParams> levels;
};

struct Model {
  std::vector<ComparisonParams> comparisons;
  double lambda = 0;          // prior probability that a pair of records is a match
  double lambda_blocked = 0;  // the same among the blocked pairs
  int iterations = 0;         // EM iterations run
  bool converged = false;
};

// One comparison's part in a pair's match weight: a bar of a waterfall chart.
struct Contribution {
  std::string column;
  Level level = Level::kOther;
  std::string value_a;
  std::string value_b;
  double bits = 0;     // log2(m / u) of the level
  double tf_bits = 0;  // term-frequency adjustment of an exact match
};

struct Explanation {
  std::string id_a;
  std::string id_b;
  double prior_bits = 0;  // log2(lambda / (1 - lambda))
  std::vector<Contribution> parts;
  double weight = 0;  // prior_bits + the sum of the parts' bits and tf_bits
  double probability = 0;
};

struct ScoredPair {
  uint32_t a = 0;  // record indices (see Linkage::id)
  uint32_t b = 0;
  float weight = 0;
  float probability = 0;
};

struct ClusterRow {
  uint32_t record = 0;
  uint32_t cluster = 0;   // the record index whose id is the cluster id
  float probability = 0;  // the best link of the record into its cluster; 0 alone
};

struct Estimate {
  double threshold = 0;
  double precision = 0;
  double recall = 0;
  double expected_matches = 0;  // among the blocked pairs
  uint64_t pairs_above = 0;
};

// Where Run spent its time, in seconds (wall clock).
struct StepTimes {
  double block = 0;    // counting each rule's pairs and generating the distinct pairs
  double compare = 0;  // every blocked pair's comparison levels
  double train = 0;    // u from random pairs and m by EM
  double score = 0;    // every blocked pair's match weight and probability
};

struct HistogramBin {
  double from = 0;  // match weight, bits
  double to = 0;
  uint64_t pairs = 0;
};

class Linkage {
 public:
  virtual ~Linkage() = default;
  virtual const Model& model() const = 0;
  virtual const std::vector<RuleCount>& rules() const = 0;
  virtual const std::vector<ScoredPair>& pairs() const = 0;  // every blocked pair, scored
  virtual const StepTimes& times() const = 0;
  virtual size_t records() const = 0;
  virtual const std::string& id(uint32_t record) const = 0;
  virtual int source(uint32_t record) const = 0;  // 0 (A) or 1 (B)
  // The waterfall of any two records, blocked or not; link.not_found for an unknown id.
  virtual Result<Explanation> Explain(std::string_view id_a, std::string_view id_b) const = 0;
  // Dedupe: connected components of the pairs at or above `threshold` (probability). Every
  // record gets a row, by record index.
  virtual std::vector<ClusterRow> Clusters(double threshold) const = 0;
  // Pair mode: each record linked at most once, best weight first.
  virtual std::vector<ScoredPair> OneToOne(double threshold) const = 0;
  virtual Estimate EstimateAt(double threshold) const = 0;
  virtual std::vector<HistogramBin> Histogram(double bin_bits = 2) const = 0;
};

class Linker {
 public:
  // The columns of `options` must be in header_a (and header_b in pair mode), as must
  // `id_column`.
  static Result<std::unique_ptr<Linker>> Create(Mode mode, std::string_view id_column,
                                                const std::vector<std::string>& header_a,
                                                const std::vector<std::string>& header_b,
                                                Options options);
  virtual ~Linker() = default;
  // Adds a row of source 0 (A) or 1 (B); fails on a duplicate id within a source.
  virtual Status Add(int source, const std::vector<std::string>& row) = 0;
  // Blocks, trains, scores.
  virtual Result<std::unique_ptr<Linkage>> Run() = 0;
};

// --- Demo -----------------------------------------------------------------------------------

}  // namespace pdh::link

namespace pdh::store {
class DatasetStore;
}

namespace pdh::link {

// The demo province's two pre-merger registers of persons with meritorious service (catalog
// database CSDL-SNV-04, not merged): old Long An's ("ncc_long_an_cu": ma_ho_so, ho_ten, ngay_sinh
// as typed, so_cccd, dien_thoai, ma_xa_cu, dia_chi, loai_doi_tuong, ngay_cap_nhat) and old Tây
// Ninh's ("ncc_tay_ninh_cu": so_ho_so, ho, ten_dem, ten, ngay_sinh as a date, so_dinh_danh, sdt,
// ma_xa, dia_chi, doi_tuong, ngay_cap_nhat). A holds `people` records, B about 0.8 × `people`, a
// third of them A's people written again: without diacritics, with the other tone placement, a
// typo, day and month swapped, a 9-digit old ID or none, another phone, the commune under its old
// or new code. Households share family names, communes and phones.
struct DemoSources {
  std::string dataset_a, dataset_b;
  int64_t records_a = 0, records_b = 0, shared = 0;
};
// Creates datasets "ncc_long_an_cu" and "ncc_tay_ninh_cu" and ingests their records, one batch
// each. Deterministic for `people` and `seed`. Errors: dataset.exists, unit.not_found (no
// province 80 or no old communes in the crosswalk), demo.invalid (people < 1), and those of
// ingestion.
Result<DemoSources> GenerateDemoSources(store::DatasetStore& store, const units::Registry& registry,
                                        const std::string& at, int64_t people = 12000,
                                        uint64_t seed = 20250701);
// The pairs (id in A, id in B) of the same person, for `people` and `seed`.
std::vector<std::pair<std::string, std::string>> DemoTruth(int64_t people, uint64_t seed);

}  // namespace pdh::link
