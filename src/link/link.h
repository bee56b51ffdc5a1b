// Record linkage (M4): the same people in one source (deduplication) or in two (linkage), found
// by Vietnamese-aware comparisons, blocking rules, and a Fellegi–Sunter model trained without
// labels. Values are encoded once per record; pairs are compared as integers where they can be.
//
// Use: Linker::Create with the columns to compare (GuessColumns proposes them from a header and
// sample rows), Add every row, then Run: it blocks, trains, scores and returns a Linkage, which
// answers clusters, one-to-one links, explanations, estimates and a histogram. A Linker is used
// from one thread; Run uses Options::threads threads internally.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/error.h"

namespace pdh::store {
class DatasetStore;
class LinkStore;
struct LinkProjectRow;
}  // namespace pdh::store

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
std::optional<Level> ParseLevel(std::string_view name);

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

namespace detail {
class Codec;
struct Cell;
}  // namespace detail

// Many values of one kind compared with each other: each value encoded once (its folded and
// tone-normalized forms interned), any two encodings then compared without parsing again — what
// Compare does for one pair, at a fraction of the cost per pair. Not thread-safe.
class Comparer {
 public:
  explicit Comparer(Kind kind, int within_days = 30, const units::Registry* registry = nullptr);
  ~Comparer();
  Comparer(Comparer&&) noexcept;
  Comparer& operator=(Comparer&&) noexcept;
  // The value's encoding, by number.
  uint32_t Encode(std::string_view value);
  Level Compare(uint32_t a, uint32_t b) const;

 private:
  std::unique_ptr<detail::Codec> codec_;
  std::vector<detail::Cell> cells_;
};

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
  // Incremental matching: when not empty, only the blocked pairs that involve one of these
  // records (by id) are compared and scored.
  std::vector<std::string> new_ids;
  // Parameters fitted by an earlier run over the same columns: used as they are, nothing is
  // trained (a model for other columns is ignored).
  std::optional<Model> model;
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

// The model, a pair's waterfall and a linkage's figures as JSON (the API's and --json's shape).
boost::json::object ToJson(const Model& model);
Result<Model> ModelFromJson(const boost::json::value& v);
boost::json::object ToJson(const Explanation& e);

// --- Consolidation projects ------------------------------------------------------------------
//
// A project consolidates two or more source datasets (or files) into one: each source's columns
// are mapped onto the target's fields, the records are linked (one deduplication over all
// sources, so duplicates within a source are found as well as across), pairs in the uncertain
// band wait for a person, clusters become golden records by per-field survivorship rules, and
// the commit writes them as one batch of the target dataset.

// How a golden record's field is chosen among its cluster's records.
enum class Survivorship { kMostComplete, kMostRecent, kPriority, kLongest, kMostFrequent };
std::string_view SurvivorshipName(Survivorship s);  // "most_complete", "most_recent", ...

struct TargetField {
  std::string name;  // [a-z][a-z0-9_]*
  std::string title;
  Kind kind = Kind::kName;
  std::string role;     // for blocking rules (see ColumnSpec); default from the kind
  bool compare = true;  // false: carried into the golden record, not compared
  bool term_frequency = false;
  Survivorship survivorship = Survivorship::kMostComplete;
};

// How a target field's value is made from a source row.
enum class MapOp {
  kCopy,    // one column as it is
  kConcat,  // several columns joined by `separator` (empty ones left out)
  kFamily,  // a full name's family name (its first word)
  kMiddle,  // a full name's middle names (between the first and the last word)
  kGiven,   // a full name's given name (its last word)
  kDate,    // a date written in `format`, as YYYY-MM-DD
  kUnit,    // a unit code, old (before 1 July 2025) or new, or a name: the current unit's code
  kMap,     // a value through `values` (matched without case or diacritics)
};
std::string_view MapOpName(MapOp op);

struct FieldMapping {
  std::string field;  // the target field
  MapOp op = MapOp::kCopy;
  std::vector<std::string> from;  // source columns
  std::string separator = " ";
  // kDate: "dd/mm/yyyy", "mm/dd/yyyy", "yyyy-mm-dd", "yyyymmdd", or "" for any of the forms
  // Date::Parse reads.
  std::string format;
  std::vector<std::pair<std::string, std::string>> values;  // kMap: from, to
};

struct ProjectSource {
  std::string dataset;  // a dataset of the hub ...
  std::string file;     // ... or a CSV or XLSX file (project files on the command line)
  std::string label;    // "Long An (cũ)"
  std::string id;       // the column holding each record's id
  int priority = 0;     // for kPriority: smaller first; by default the order given
  std::vector<FieldMapping> mapping;
};

struct Project {
  std::string code;
  std::string title;
  std::string catalog_entry;  // the catalog's database flipped to "merged" on commit
  std::string target;         // the consolidated dataset's code
  std::vector<TargetField> fields;
  std::vector<ProjectSource> sources;
  std::string rules;         // blocking rules over the target fields; "" chosen from the roles
  double threshold = 0.9;    // probability from which a pair links without review
  double review_from = 0.5;  // pairs from here to the threshold wait for a person
  uint64_t max_pairs_per_rule = 50'000'000;
};

// Stable error codes of projects.
inline constexpr std::string_view kInvalidProject = "link.invalid_project";
inline constexpr std::string_view kProjectNotFound = "link.not_found";
inline constexpr std::string_view kPendingReview = "link.pending_review";

// Reads a definition; link.invalid_project naming the key ("sources[1].mapping[0].op: ...").
Result<Project> ParseProject(const boost::json::value& v);
boost::json::object ToJson(const Project& p);

// A source read as text: its header, rows, and each row's batch (0 for a file).
struct SourceTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<int64_t> batches;
};

// A value the mapping could not make: the target field, a code and what to do.
struct MapProblem {
  std::string field;
  std::string code;  // "link.bad_date", "link.unknown_unit", "link.unmapped_value", ...
  std::string message;
};

// One source row on the target's fields.
struct MappedRecord {
  std::string key;  // "<dataset or label>:<id>"
  int source = 0;
  int64_t batch = 0;
  std::vector<std::string> values;  // one per target field
  std::vector<MapProblem> problems;
};

// Maps the rows of one source. Create fails with link.missing_column when a mapping names a
// column the source does not have, link.invalid_project for a field that is not a target field.
class Mapper {
 public:
  static Result<Mapper> Create(const Project& project, size_t source,
                               const std::vector<std::string>& header,
                               const units::Registry* registry);
  MappedRecord Map(const std::vector<std::string>& row, int64_t batch) const;

 private:
  struct Step {
    size_t field = 0;
    const FieldMapping* mapping = nullptr;
    std::vector<size_t> columns;
  };
  const Project* project_ = nullptr;
  size_t source_ = 0;
  size_t id_column_ = 0;
  std::string prefix_;
  std::vector<Step> steps_;
  const units::Registry* registry_ = nullptr;
};

// The records of every source, mapped; link.missing_column as Mapper::Create.
Result<std::vector<MappedRecord>> MapSources(const Project& project,
                                             const std::vector<SourceTable>& sources,
                                             const units::Registry* registry);

// The golden record of a cluster: per field, the value and the record it came from.
struct GoldenValue {
  std::string value;
  std::string record;  // the member's key ("" when no member has a value)
  std::string rule;    // the survivorship rule, or "manual"
};
// `members` are the cluster's records; `chosen` the fields chosen by hand (field, record key).
std::vector<GoldenValue> Survive(const Project& project,
                                 const std::vector<const MappedRecord*>& members,
                                 const std::vector<std::pair<std::string, std::string>>& chosen);

// The result of linking mapped records: pairs at or above review_from with their waterfall,
// the report, the model. Deterministic for the same records and options.
struct ProjectRun {
  std::vector<std::pair<std::string, std::string>> keys;  // each pair's record keys, a < b
  std::vector<double> probability;
  std::vector<double> weight;
  std::vector<std::string> explanation;  // JSON of each pair's waterfall
  Model model;
  boost::json::object report;  // rules, histogram, estimates, model, times, records
};
// Links `records` (one deduplication over all sources). `labels` anchor the model; with
// `fixed` and `fresh` (record keys), only pairs with a fresh record are scored with the
// fixed model (incremental matching).
Result<ProjectRun> LinkRecords(const Project& project, const std::vector<MappedRecord>& records,
                               const units::Registry* registry, const std::vector<Label>& labels,
                               const std::optional<Model>& fixed,
                               const std::vector<std::string>& fresh, unsigned threads = 2);

// Connected components of the linked pairs, with ids kept from `previous` (record -> cluster
// id): each component takes the id most of its records had (the largest component first);
// a new one is named after its smallest record key. Every record gets a row.
std::vector<std::pair<std::string, std::string>> AssignClusters(
    const std::vector<std::string>& records,
    const std::vector<std::pair<std::string, std::string>>& links,
    const std::vector<std::pair<std::string, std::string>>& previous);

// The hub's projects over the store: what the API and the command line call. Thread-safe; the
// mapped records of each project are kept between calls until a batch or a new version
// changes them.
class Hub {
 public:
  using RegistrySource = std::function<std::shared_ptr<const units::Registry>()>;
  Hub(store::LinkStore& links, store::DatasetStore& datasets, RegistrySource registry)
      : links_(links), datasets_(datasets), registry_(std::move(registry)) {}

  Result<boost::json::object> List();
  // Errors: link.invalid_project, link.missing_column, link.exists.
  Result<boost::json::object> Create(const boost::json::value& definition, const std::string& by,
                                     const std::string& at);
  Result<boost::json::object> Get(const std::string& code);
  // Errors: link.not_found, link.version_conflict, as Create.
  Result<boost::json::object> Update(const std::string& code, const boost::json::value& definition,
                                     const std::string& note, std::optional<int64_t> expected,
                                     const std::string& by, const std::string& at);
  // Sample rows of each source before and after the mapping.
  Result<boost::json::object> Preview(const boost::json::value& definition, size_t limit);
  Result<boost::json::object> PreviewProject(const std::string& code, size_t limit);
  // Links the project's records (incremental: only records of batches after the last run,
  // against all, with the last run's model) and stores pairs and clusters. Returns the report.
  Result<boost::json::object> Run(const std::string& code, bool incremental, const std::string& by,
                                  const std::string& at);
  Result<boost::json::object> Report(const std::string& code);
  Result<boost::json::object> Queue(const std::string& code, const std::string& status,
                                    int64_t after_id, int64_t limit);
  Result<boost::json::object> Pair(const std::string& code, int64_t id);
  // decision: "accept", "reject" or "skip". Errors: link.invalid_decision, link.not_found.
  Result<boost::json::object> Decide(const std::string& code, int64_t id,
                                     const std::string& decision, const std::string& by,
                                     const std::string& at);
  Result<boost::json::object> Clusters(const std::string& code, const std::string& q,
                                       bool multi_only, const std::string& after, int64_t limit);
  Result<boost::json::object> Cluster(const std::string& code, const std::string& id);
  // Moves `records` out of cluster `id` into a cluster of their own (their links to the others
  // rejected). Errors: link.not_found, link.invalid_split.
  Result<boost::json::object> Split(const std::string& code, const std::string& id,
                                    const std::vector<std::string>& records, const std::string& by,
                                    const std::string& at);
  // Joins clusters (an accepted link between them).
  Result<boost::json::object> Merge(const std::string& code, const std::vector<std::string>& ids,
                                    const std::string& by, const std::string& at);
  Result<boost::json::object> Choose(const std::string& code, const std::string& id,
                                     const std::string& field, const std::string& record,
                                     const std::string& by, const std::string& at);
  // Writes the golden records as one batch of the target dataset (made with a schema from the
  // fields when missing, owned by `owner_unit`) and marks the project committed. The caller
  // flips the catalog entry. Errors: link.pending_review (pairs wait, unless `force`),
  // link.not_run, link.commit_rejected.
  Result<boost::json::object> Commit(const std::string& code, bool force,
                                     const std::string& owner_unit, const std::string& by,
                                     const std::string& at);

 private:
  struct Loaded;
  struct Golden {
    Project project;
    std::string ndjson;
    int64_t records = 0;
  };
  Result<Golden> GoldenRecords(const std::string& code, bool force);
  Result<Project> LoadProject(const std::string& code, store::LinkProjectRow* row = nullptr);
  Result<std::shared_ptr<const Loaded>> Load(const std::string& code);
  Result<std::vector<SourceTable>> ReadSources(const Project& p);

  store::LinkStore& links_;
  store::DatasetStore& datasets_;
  RegistrySource registry_;
  std::mutex mu_;
  std::map<std::string, std::shared_ptr<const Loaded>> cache_;  // REQUIRES: mu_ held
};

// --- Demo -----------------------------------------------------------------------------------

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
// The consolidation project of those two registers ("ncc"), for the hub.
boost::json::object DemoProject();

}  // namespace pdh::link
