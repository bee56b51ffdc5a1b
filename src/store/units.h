// The store's units area: administrative units, agencies and the 2025 crosswalk between them.
//
// Thread-safety: all methods are thread-safe (see store/store.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"

namespace pdh::store {

// One administrative unit or agency as stored (đơn vị hành chính / cơ quan).
struct UnitRow {
  int64_t id = 0;
  std::string code;   // official code: "80", "25459"; pre-2025 district "703"
  std::string level;  // "province" | "district" | "commune" | "agency"
  std::string type;   // Vietnamese type label: "Tỉnh", "Phường", "Xã", "Sở", ...
  std::string name;
  std::string short_name;
  std::optional<int64_t> parent_id;
  std::optional<int64_t> population;
  bool population_estimated = false;
  std::optional<double> area_km2;
  std::optional<double> lat;
  std::optional<double> lon;
  std::optional<std::string> valid_from;  // ISO date; null: since always
  std::optional<std::string> valid_to;    // ISO date, exclusive; null: still valid
  std::string source;                     // where the record came from
};

// One row of the 2025 crosswalk: an old commune merged (wholly or partly) into a new one.
struct SuccessionRow {
  int64_t old_id = 0;
  int64_t new_id = 0;
  std::string kind;              // "whole" | "partial"
  std::string note;              // the official wording, e.g. "Nhập một phần"
  std::optional<double> weight;  // share of the old unit going to the new one, when set
};

// Units and their successions.
class UnitStore {
 public:
  virtual ~UnitStore() = default;
  // Replaces every unit and succession in one transaction. Ids in `units` are kept as given;
  // parent ids and succession ids refer to them.
  virtual Status ReplaceUnits(const std::vector<UnitRow>& units,
                              const std::vector<SuccessionRow>& successions) = 0;
  virtual Result<std::vector<UnitRow>> LoadUnits() = 0;
  virtual Result<std::vector<SuccessionRow>> LoadSuccessions() = 0;
  // Adds one unit; returns its id. Errors: unit.duplicate_code.
  virtual Result<int64_t> InsertUnit(const UnitRow& unit) = 0;
  // Updates the editable fields (name, short_name, type, population, area, lat, lon) of `unit.id`.
  virtual Status UpdateUnit(const UnitRow& unit) = 0;
};

}  // namespace pdh::store
