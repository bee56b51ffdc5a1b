// The in-memory snapshot of units: lookups by code and date, the tree, the crosswalk.
#include <algorithm>
#include <map>
#include <unordered_map>

#include "core/text.h"
#include "units/units.h"

namespace pdh::units {

std::string_view LevelName(Level level) {
  switch (level) {
    case Level::kProvince:
      return "province";
    case Level::kDistrict:
      return "district";
    case Level::kCommune:
      return "commune";
    case Level::kAgency:
      return "agency";
  }
  return "commune";
}

std::optional<Level> ParseLevel(std::string_view name) {
  for (Level l : {Level::kProvince, Level::kDistrict, Level::kCommune, Level::kAgency}) {
    if (LevelName(l) == name) return l;
  }
  return std::nullopt;
}

std::string_view MergeKindName(MergeKind kind) {
  return kind == MergeKind::kWhole ? "whole" : "partial";
}

namespace {

std::optional<Date> ParseOptDate(const std::optional<std::string>& s) {
  if (!s) return std::nullopt;
  return Date::Parse(*s);
}

// Orders siblings: communes before agencies, then by type (Phường before Xã), then by name.
bool SiblingOrder(const Unit* a, const Unit* b) {
  if (a->level != b->level) return a->level < b->level;
  if (a->type != b->type) return a->type < b->type;
  if (a->name != b->name) return a->name < b->name;
  return a->code < b->code;
}

}  // namespace

Result<std::shared_ptr<const Registry>> Registry::Load(store::UnitStore& store) {
  auto rows = store.LoadUnits();
  if (!rows) return Fail(rows.error());
  auto succ = store.LoadSuccessions();
  if (!succ) return Fail(succ.error());
  return Build(std::move(*rows), *succ);
}

std::shared_ptr<const Registry> Registry::Build(
    std::vector<store::UnitRow> rows, const std::vector<store::SuccessionRow>& successions) {
  std::shared_ptr<Registry> r(new Registry());
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  r->units_.reserve(rows.size());
  std::unordered_map<int64_t, size_t> index;
  for (auto& row : rows) {
    Unit u;
    u.id = row.id;
    u.code = std::move(row.code);
    u.level = ParseLevel(row.level).value_or(Level::kCommune);
    u.type = std::move(row.type);
    u.name = std::move(row.name);
    u.short_name = std::move(row.short_name);
    u.population = row.population;
    u.population_estimated = row.population_estimated;
    u.area_km2 = row.area_km2;
    u.lat = row.lat;
    u.lon = row.lon;
    u.valid_from = ParseOptDate(row.valid_from);
    u.valid_to = ParseOptDate(row.valid_to);
    u.source = std::move(row.source);
    index[u.id] = r->units_.size();
    r->units_.push_back(std::move(u));
  }
  for (const Unit& u : r->units_) r->by_code_[u.code].push_back(&u);
  r->children_.resize(r->units_.size());
  r->successions_by_new_.resize(r->units_.size());
  r->folded_names_.reserve(r->units_.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    Unit& u = r->units_[i];
    r->folded_names_.push_back(text::Fold(u.name));
    if (!rows[i].parent_id) continue;
    auto it = index.find(*rows[i].parent_id);
    if (it == index.end()) continue;
    u.parent = &r->units_[it->second];
    r->children_[it->second].push_back(&u);
  }
  for (auto& c : r->children_) std::sort(c.begin(), c.end(), SiblingOrder);
  for (const auto& s : successions) {
    auto o = index.find(s.old_id);
    auto n = index.find(s.new_id);
    if (o == index.end() || n == index.end()) continue;
    r->successions_by_old_code_[r->units_[o->second].code].push_back(r->successions_.size());
    r->successions_by_new_[n->second].push_back(r->successions_.size());
    r->successions_.push_back({&r->units_[o->second], &r->units_[n->second],
                               s.kind == "partial" ? MergeKind::kPartial : MergeKind::kWhole,
                               s.note, s.weight});
  }
  return r;
}

const Unit* Registry::Find(std::string_view code, Date as_of) const {
  auto exact = [&](std::string_view c) -> const Unit* {
    auto it = by_code_.find(std::string(c));
    if (it == by_code_.end()) return nullptr;
    for (const Unit* u : it->second) {
      if (u->ValidOn(as_of)) return u;
    }
    return nullptr;
  };
  if (const Unit* u = exact(code)) return u;
  bool digits = !code.empty() && code.size() < 5 &&
                std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (!digits) return nullptr;
  for (size_t width : {2u, 3u, 5u}) {
    if (width <= code.size()) continue;
    std::string padded(width - code.size(), '0');
    padded += code;
    if (const Unit* u = exact(padded)) return u;
  }
  return nullptr;
}

std::vector<const Unit*> Registry::FindAllEras(std::string_view code) const {
  auto it = by_code_.find(std::string(code));
  return it == by_code_.end() ? std::vector<const Unit*>() : it->second;
}

std::vector<const Unit*> Registry::Provinces(Date as_of) const {
  std::vector<const Unit*> out;
  for (const Unit& u : units_) {
    if (u.level == Level::kProvince && u.ValidOn(as_of)) out.push_back(&u);
  }
  std::sort(out.begin(), out.end(), [](const Unit* a, const Unit* b) { return a->code < b->code; });
  return out;
}

std::vector<const Unit*> Registry::Children(const Unit& unit, Date as_of) const {
  std::vector<const Unit*> out;
  for (const Unit* c : children_[IndexOf(unit)]) {
    if (c->ValidOn(as_of)) out.push_back(c);
  }
  return out;
}

std::vector<const Unit*> Registry::Descendants(const Unit& unit, Date as_of) const {
  std::vector<const Unit*> out;
  std::vector<const Unit*> stack = {&unit};
  while (!stack.empty()) {
    const Unit* u = stack.back();
    stack.pop_back();
    for (const Unit* c : Children(*u, as_of)) {
      out.push_back(c);
      stack.push_back(c);
    }
  }
  return out;
}

std::vector<const Unit*> Registry::Ancestors(const Unit& unit) const {
  std::vector<const Unit*> out;
  for (const Unit* p = unit.parent; p != nullptr; p = p->parent) out.push_back(p);
  return out;
}

std::vector<const Unit*> Registry::Search(std::string_view query, Date as_of) const {
  std::vector<const Unit*> out;
  const std::string needle = text::Fold(query);
  for (size_t i = 0; i < units_.size(); ++i) {
    if (units_[i].ValidOn(as_of) && folded_names_[i].find(needle) != std::string::npos) {
      out.push_back(&units_[i]);
    }
  }
  return out;
}

std::vector<Succession> Registry::Resolve(std::string_view old_code) const {
  std::vector<Succession> out;
  auto it = successions_by_old_code_.find(std::string(old_code));
  if (it == successions_by_old_code_.end()) return out;
  for (size_t i : it->second) out.push_back(successions_[i]);
  return out;
}

std::vector<Succession> Registry::Predecessors(const Unit& unit) const {
  std::vector<Succession> out;
  for (size_t i : successions_by_new_[IndexOf(unit)]) out.push_back(successions_[i]);
  return out;
}

}  // namespace pdh::units
