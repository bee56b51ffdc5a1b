// Edits to units: agencies added and renamed, the province's own population and area figures.
#include "core/text.h"
#include "units/units.h"

namespace pdh::units {
namespace {

std::optional<std::string> CleanText(const std::optional<std::string>& s) {
  if (!s) return std::nullopt;
  return text::CollapseSpaces(text::Nfc(*s));
}

store::UnitRow ToRow(const Unit& u) {
  store::UnitRow r;
  r.id = u.id;
  r.code = u.code;
  r.level = std::string(LevelName(u.level));
  r.type = u.type;
  r.name = u.name;
  r.short_name = u.short_name;
  r.population = u.population;
  r.population_estimated = u.population_estimated;
  r.area_km2 = u.area_km2;
  r.lat = u.lat;
  r.lon = u.lon;
  return r;
}

}  // namespace

Status UpdateUnit(store::UnitStore& store, const Unit& unit, const UnitPatch& patch) {
  const bool renames = patch.name || patch.short_name || patch.type;
  const bool figures = patch.population || patch.area_km2;
  if (renames && unit.level != Level::kAgency) {
    return Fail(Error::Invalid("unit.not_editable",
                               "names and types of official units come from the official lists: "
                               "re-import them instead; only agencies can be renamed"));
  }
  if (figures && unit.level == Level::kAgency) {
    return Fail(Error::Invalid("unit.not_editable", "agencies have no population or area"));
  }
  if (figures && unit.valid_to) {
    return Fail(Error::Invalid("unit.not_editable", "pre-2025 units are kept as they were"));
  }
  store::UnitRow row = ToRow(unit);
  if (auto n = CleanText(patch.name)) row.name = *n;
  if (auto n = CleanText(patch.short_name)) row.short_name = *n;
  if (auto n = CleanText(patch.type)) row.type = *n;
  if (row.name.empty() || row.name.size() > 300 || row.short_name.empty() || row.type.empty()) {
    return Fail(Error::Invalid("unit.invalid", "name, short name and type must not be empty"));
  }
  if (patch.population) {
    if (*patch.population < 0) {
      return Fail(Error::Invalid("unit.invalid", "population must be zero or more"));
    }
    row.population = patch.population;
    row.population_estimated = false;
  }
  if (patch.area_km2) {
    if (!(*patch.area_km2 > 0))
      return Fail(Error::Invalid("unit.invalid", "area must be above zero"));
    row.area_km2 = patch.area_km2;
  }
  return store.UpdateUnit(row);
}

boost::json::object ToJson(const Unit& u) {
  boost::json::object o;
  o["code"] = u.code;
  o["name"] = u.name;
  o["short_name"] = u.short_name;
  o["type"] = u.type;
  o["level"] = LevelName(u.level);
  o["parent"] = u.parent ? boost::json::value(u.parent->code) : boost::json::value(nullptr);
  o["population"] = u.population ? boost::json::value(*u.population) : boost::json::value(nullptr);
  o["population_estimated"] = u.population_estimated;
  auto num = [](const std::optional<double>& d) {
    return d ? boost::json::value(*d) : boost::json::value(nullptr);
  };
  o["area_km2"] = num(u.area_km2);
  o["lat"] = num(u.lat);
  o["lon"] = num(u.lon);
  auto date = [](const std::optional<Date>& d) {
    return d ? boost::json::value(d->ToString()) : boost::json::value(nullptr);
  };
  o["valid_from"] = date(u.valid_from);
  o["valid_to"] = date(u.valid_to);
  return o;
}

}  // namespace pdh::units
