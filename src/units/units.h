// Units and geography (M1): provinces, pre-2025 districts, communes before and after the
// 1 July 2025 reform, the province's own agencies, and the old -> new crosswalk.
//
// The database holds the units; a Registry is an immutable in-memory snapshot of them, built
// once and shared by readers (std::shared_ptr<const Registry>), replaced whole after an import
// or an edit.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <boost/json/object.hpp>

#include "core/date.h"
#include "core/error.h"
#include "store/settings.h"
#include "store/units.h"

namespace pdh::units {

enum class Level { kProvince, kDistrict, kCommune, kAgency };
std::string_view LevelName(Level level);  // "province", "district", "commune", "agency"
std::optional<Level> ParseLevel(std::string_view name);

// Merge kinds of the 2025 crosswalk: "Nhập toàn bộ" (whole) or "Nhập một phần" (partial).
enum class MergeKind { kWhole, kPartial };
std::string_view MergeKindName(MergeKind kind);

struct Unit {
  int64_t id = 0;
  std::string code;
  Level level = Level::kCommune;
  std::string type;  // Vietnamese label: "Tỉnh", "Thành phố", "Phường", "Xã", "Sở", ...
  std::string name;
  std::string short_name;
  const Unit* parent = nullptr;
  std::optional<int64_t> population;
  bool population_estimated = false;  // apportioned because the census has no figure
  std::optional<double> area_km2;
  std::optional<double> lat;
  std::optional<double> lon;
  std::optional<Date> valid_from;  // null: since always
  std::optional<Date> valid_to;    // exclusive; null: still valid
  std::string source;

  bool ValidOn(Date d) const {
    return (!valid_from || *valid_from <= d) && (!valid_to || d < *valid_to);
  }
};

// An old commune merged into a new one.
struct Succession {
  const Unit* old_unit = nullptr;
  const Unit* new_unit = nullptr;
  MergeKind kind = MergeKind::kWhole;
  std::string note;
  std::optional<double> weight;
};

class Registry {
 public:
  // Loads every unit and succession from the store.
  static Result<std::shared_ptr<const Registry>> Load(store::UnitStore& store);
  static std::shared_ptr<const Registry> Build(
      std::vector<store::UnitRow> rows, const std::vector<store::SuccessionRow>& successions);

  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  size_t size() const { return units_.size(); }

  // The unit with `code` valid on `as_of`. Codes are matched as given, then zero-padded to the
  // official widths (provinces 2 digits, districts 3, communes 5) so "4" finds "00004".
  const Unit* Find(std::string_view code, Date as_of) const;
  // Every unit with `code`, in any era (old and new units may share a code).
  std::vector<const Unit*> FindAllEras(std::string_view code) const;

  // Top-level units (provinces) valid on `as_of`, by code.
  std::vector<const Unit*> Provinces(Date as_of) const;
  // Direct children valid on `as_of`, communes and agencies, by level then code.
  std::vector<const Unit*> Children(const Unit& unit, Date as_of) const;
  // All units below `unit` valid on `as_of`.
  std::vector<const Unit*> Descendants(const Unit& unit, Date as_of) const;
  // Parent chain, nearest first.
  std::vector<const Unit*> Ancestors(const Unit& unit) const;
  // Units valid on `as_of` whose name matches `query` without regard to diacritics or case.
  std::vector<const Unit*> Search(std::string_view query, Date as_of) const;

  // The new units an old commune code went to, with the merge kind. Empty if `old_code` is not
  // a pre-2025 commune or has no mapping.
  std::vector<Succession> Resolve(std::string_view old_code) const;
  // The old communes merged into `unit`.
  std::vector<Succession> Predecessors(const Unit& unit) const;

  std::span<const Unit> all() const { return units_; }

 private:
  Registry() = default;
  std::vector<Unit> units_;  // sorted by id; pointers into it stay valid (never resized)
  std::vector<std::vector<const Unit*>> children_;  // by index into units_
  std::vector<Succession> successions_;
  std::unordered_map<std::string, std::vector<const Unit*>> by_code_;
  std::unordered_map<std::string, std::vector<size_t>> successions_by_old_code_;
  std::vector<std::vector<size_t>> successions_by_new_;  // by index into units_
  std::vector<std::string> folded_names_;
  size_t IndexOf(const Unit& u) const { return static_cast<size_t>(&u - units_.data()); }
};

// Where the official lists are read from. Defaults: the copies shipped in the project's
// data/ folder.
struct ImportSources {
  std::string admin_dir;      // communes-2025.csv, communes-2025-census.csv, ...
  std::string agencies_csv;   // the home province's departments and agencies
  std::string home_province;  // code of the province this hub serves, e.g. "80"
};

struct ImportReport {
  size_t provinces = 0;
  size_t communes = 0;
  size_t old_provinces = 0;
  size_t old_districts = 0;
  size_t old_communes = 0;
  size_t successions = 0;
  size_t agencies = 0;
  size_t population_estimated = 0;    // communes whose census figure is missing
  std::vector<std::string> warnings;  // rows skipped or matched loosely, with file and line
};

// Reads the official lists and the agencies list and replaces every unit in the store, in one
// transaction, and records the home province in `settings`. Errors: units.source_missing,
// units.bad_source (with file and line).
Result<ImportReport> Import(store::UnitStore& store, store::SettingsStore& settings,
                            const ImportSources& sources);

// Agencies are editable: adds one under the home province. Errors: unit.invalid,
// unit.duplicate_code.
struct AgencyInput {
  std::string code;
  std::string name;
  std::string short_name;
  std::string type;  // "Sở", "Ban", "Văn phòng", ...
  std::string parent_code;
};
Result<int64_t> AddAgency(store::UnitStore& store, const Registry& registry, const AgencyInput& in);

// Editable fields of a unit; unset fields are left as they are. Agencies may change name,
// short name and type; communes and provinces their population and area (the province's own
// figures replace the census, and the estimate flag is cleared). Errors: unit.invalid,
// unit.not_editable.
struct UnitPatch {
  std::optional<std::string> name;
  std::optional<std::string> short_name;
  std::optional<std::string> type;
  std::optional<int64_t> population;
  std::optional<double> area_km2;
};
Status UpdateUnit(store::UnitStore& store, const Unit& unit, const UnitPatch& patch);

// The unit as the API and `--json` show it: code, name, short_name, type, level, parent (code),
// population, population_estimated, area_km2, lat, lon, valid_from, valid_to.
boost::json::object ToJson(const Unit& unit);

}  // namespace pdh::units
