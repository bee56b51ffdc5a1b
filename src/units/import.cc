// Reads the official lists of administrative units (before and after the 2025 reform), joins
// them, and replaces the units in the store. The files are used as published: their quirks are
// handled here, not edited away.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <unordered_map>

#include "core/csv.h"
#include "core/number.h"
#include "core/text.h"
#include "units/units.h"

namespace pdh::units {
namespace {

namespace fs = std::filesystem;

constexpr const char* kNewEra = "2025-07-01";

// A CSV file read row by row with its header, naming file and line in errors.
class Table {
 public:
  static Result<Table> Open(const fs::path& path) {
    Table t;
    t.path_ = path;
    t.in_ = std::make_unique<std::ifstream>(path, std::ios::binary);
    if (!*t.in_) {
      return Fail(Error::NotFound(
          "units.source_missing",
          "cannot read '" + path.string() + "': pass --source DIR with the official lists"));
    }
    t.reader_ = std::make_unique<CsvReader>(*t.in_);
    return t;
  }

  // Next record, or nullopt at the end. A malformed file is an error.
  Result<std::optional<std::vector<std::string>>> Next() {
    std::vector<std::string> row;
    if (reader_->Next(row)) {
      for (auto& f : row) f = text::Nfc(f);
      return std::optional(std::move(row));
    }
    if (reader_->error()) return Fail(Bad(reader_->error()->message));
    return std::optional<std::vector<std::string>>();
  }

  Error Bad(const std::string& what) const {
    return Error::Invalid("units.bad_source",
                          path_.filename().string() + ":" + std::to_string(line()) + ": " + what);
  }
  std::string Where() const { return path_.filename().string() + ":" + std::to_string(line()); }
  size_t line() const { return reader_->line(); }

 private:
  fs::path path_;
  std::unique_ptr<std::ifstream> in_;
  std::unique_ptr<CsvReader> reader_;
};

// Column positions by header name.
class Columns {
 public:
  Columns(const std::vector<std::string>& header) {
    for (size_t i = 0; i < header.size(); ++i) pos_[text::CollapseSpaces(header[i])] = i;
  }
  Result<size_t> Need(const std::string& name, const Table& t) const {
    auto it = pos_.find(name);
    if (it == pos_.end()) return Fail(t.Bad("missing column '" + name + "'"));
    return it->second;
  }

 private:
  std::map<std::string, size_t> pos_;
};

std::string Field(const std::vector<std::string>& row, size_t i) {
  return i < row.size() ? text::CollapseSpaces(row[i]) : std::string();
}

std::string PadCode(std::string_view digits, size_t width) {
  std::string s(digits);
  if (s.size() < width) s.insert(0, width - s.size(), '0');
  return s;
}

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// "tỉnh Tây Ninh", "Thành phố Hà Nội", "Thủ đô Hà Nội" -> "tay ninh", "ha noi".
std::string ProvinceKey(std::string_view name) {
  std::string f = text::Fold(name);
  for (std::string_view prefix : {"thu do ", "thanh pho ", "tinh "}) {
    if (f.rfind(prefix, 0) == 0) {
      f.erase(0, prefix.size());
      break;
    }
  }
  return text::FoldAlnum(f);
}

std::string ProvinceType(std::string_view name) {
  return text::Fold(name).rfind("tinh", 0) == 0 ? "Tỉnh" : "Thành phố";
}

// Type of a pre-2025 district from its name: "Quận Ba Đình" -> "Quận".
std::string DistrictType(std::string_view name) {
  const std::string f = text::Fold(name);
  for (auto [prefix, type] : std::initializer_list<std::pair<std::string_view, const char*>>{
           {"quan ", "Quận"},
           {"huyen ", "Huyện"},
           {"thi xa ", "Thị xã"},
           {"thanh pho ", "Thành phố"}}) {
    if (f.rfind(prefix, 0) == 0) return type;
  }
  return "Huyện";
}

// "Nhập toàn bộ", "Giữ nguyên", "Đổi tên" ... -> whole; any "một phần" / "phần còn lại" -> partial.
MergeKind KindOf(std::string_view note) {
  const std::string f = text::Fold(note);
  const bool partial =
      f.find("mot phan") != std::string::npos || f.find("phan con lai") != std::string::npos;
  return partial ? MergeKind::kPartial : MergeKind::kWhole;
}

struct CensusFigures {
  std::optional<int64_t> population;
  std::optional<double> area;
};

class Importer {
 public:
  explicit Importer(const ImportSources& src) : src_(src), dir_(src.admin_dir) {}

  Result<ImportReport> Run(store::UnitStore& store, store::SettingsStore& settings) {
    if (auto s = ReadProvinceCensus(); !s) return Fail(s.error());
    if (auto s = ReadCommuneCensus(); !s) return Fail(s.error());
    if (auto s = ReadNewUnits(); !s) return Fail(s.error());
    EstimateMissingPopulation();
    if (auto s = ReadOldUnits(); !s) return Fail(s.error());
    if (auto s = ReadCrosswalk(); !s) return Fail(s.error());
    if (auto s = ReadAgencies(); !s) return Fail(s.error());
    if (auto s = store.ReplaceUnits(units_, successions_); !s) return Fail(s.error());
    if (auto s = settings.SetSetting("home_province", src_.home_province); !s)
      return Fail(s.error());
    return report_;
  }

 private:
  store::UnitRow& Add(store::UnitRow u) {
    u.id = static_cast<int64_t>(units_.size()) + 1;
    units_.push_back(std::move(u));
    return units_.back();
  }

  // Iterates the data rows of `file` (after its header) with the column map.
  Status ForEachRow(const std::string& file,
                    const std::function<Status(const Columns&, const std::vector<std::string>&,
                                               const Table&)>& fn) {
    auto t = Table::Open(dir_ / file);
    if (!t) return Fail(t.error());
    auto header = t->Next();
    if (!header) return Fail(header.error());
    if (!*header) return Fail(t->Bad("empty file"));
    Columns cols(**header);
    for (;;) {
      auto row = t->Next();
      if (!row) return Fail(row.error());
      if (!*row) return Ok();
      if (auto s = fn(cols, **row, *t); !s) return s;
    }
  }

  Status ReadProvinceCensus() {
    return ForEachRow("provinces-2025-census.csv",
                      [&](const Columns& c, const auto& row, const Table& t) -> Status {
                        auto name = c.Need("tentinh", t);
                        auto area = c.Need("dientichkm2", t);
                        auto pop = c.Need("dansonguoi", t);
                        if (!name || !area || !pop) return Fail(t.Bad("unexpected header"));
                        province_census_[ProvinceKey(Field(row, *name))] = {
                            number::ParseInteger(Field(row, *pop)),
                            number::ParseDecimal(Field(row, *area))};
                        return Ok();
                      });
  }

  Status ReadCommuneCensus() {
    return ForEachRow(
        "communes-2025-census.csv",
        [&](const Columns& c, const auto& row, const Table& t) -> Status {
          auto prov = c.Need("tentinh", t);
          auto type = c.Need("loai", t);
          auto name = c.Need("tenhc", t);
          auto area = c.Need("dientichkm2", t);
          auto pop = c.Need("dansonguoi", t);
          if (!prov || !type || !name || !area || !pop) return Fail(t.Bad("unexpected header"));
          CensusFigures f{number::ParseInteger(Field(row, *pop)),
                          number::ParseDecimal(Field(row, *area))};
          const std::string pk = ProvinceKey(Field(row, *prov));
          const std::string tk = text::Fold(Field(row, *type));
          commune_census_exact_[pk + "|" + tk + "|" + text::Nfc(Field(row, *name))] = f;
          auto& loose =
              commune_census_loose_[pk + "|" + tk + "|" + text::FoldAlnum(Field(row, *name))];
          loose.push_back(f);
          return Ok();
        });
  }

  // The census spells some names differently ("Hòa"/"Hoà", "H'Leo"/"H’Leo"): exact first, then
  // diacritic- and punctuation-insensitive when that is unambiguous.
  std::optional<CensusFigures> CommuneCensus(const std::string& pkey, const std::string& type,
                                             const std::string& short_name) {
    const std::string tk = text::Fold(type);
    auto e = commune_census_exact_.find(pkey + "|" + tk + "|" + short_name);
    if (e != commune_census_exact_.end()) return e->second;
    auto l = commune_census_loose_.find(pkey + "|" + tk + "|" + text::FoldAlnum(short_name));
    if (l != commune_census_loose_.end() && l->second.size() == 1) return l->second.front();
    return std::nullopt;
  }

  Status ReadNewUnits() {
    std::map<std::string, int64_t> provinces;  // code -> id
    return ForEachRow(
        "communes-2025.csv", [&](const Columns& c, const auto& row, const Table& t) -> Status {
          auto pname = c.Need("province", t), pshort = c.Need("provinceShort", t),
               pcode = c.Need("provinceCode", t), plat = c.Need("provinceLat", t),
               plon = c.Need("provinceLon", t), wname = c.Need("ward", t),
               wshort = c.Need("wardShort", t), wtype = c.Need("wardType", t),
               wcode = c.Need("wardCode", t), wlat = c.Need("wardLat", t),
               wlon = c.Need("wardLon", t), warea = c.Need("wardAreaKm2", t);
          for (const auto* r : {&pname, &pshort, &pcode, &plat, &plon, &wname, &wshort, &wtype,
                                &wcode, &wlat, &wlon, &warea}) {
            if (!*r) return Fail(r->error());
          }
          const std::string prov_code_raw = Field(row, *pcode);
          const std::string commune_code_raw = Field(row, *wcode);
          if (!AllDigits(prov_code_raw) || !AllDigits(commune_code_raw)) {
            report_.warnings.push_back(t.Where() + ": skipped, codes are not numeric");
            return Ok();
          }
          const std::string prov_code = PadCode(prov_code_raw, 2);
          const std::string pkey = ProvinceKey(Field(row, *pshort));
          auto [it, inserted] = provinces.try_emplace(prov_code, 0);
          if (inserted) {
            store::UnitRow p;
            p.code = prov_code;
            p.level = "province";
            p.name = Field(row, *pname);
            p.short_name = Field(row, *pshort);
            p.type = ProvinceType(p.name);
            p.lat = number::ParseDecimal(Field(row, *plat));
            p.lon = number::ParseDecimal(Field(row, *plon));
            p.valid_from = kNewEra;
            p.source = "communes-2025.csv; provinces-2025-census.csv";
            auto census = province_census_.find(pkey);
            if (census != province_census_.end()) {
              p.population = census->second.population;
              p.area_km2 = census->second.area;
            } else {
              report_.warnings.push_back(t.Where() + ": no census figures for province " + p.name);
            }
            it->second = Add(std::move(p)).id;
            ++report_.provinces;
          }
          store::UnitRow u;
          u.code = PadCode(commune_code_raw, 5);
          u.level = "commune";
          u.type = Field(row, *wtype);
          u.name = Field(row, *wname);
          u.short_name = Field(row, *wshort);
          u.parent_id = it->second;
          u.lat = number::ParseDecimal(Field(row, *wlat));
          u.lon = number::ParseDecimal(Field(row, *wlon));
          u.area_km2 = number::ParseDecimal(Field(row, *warea));
          u.valid_from = kNewEra;
          u.source = "communes-2025.csv; communes-2025-census.csv";
          if (auto f = CommuneCensus(pkey, u.type, u.short_name)) {
            u.population = f->population;
            if (!u.area_km2) u.area_km2 = f->area;
          } else {
            report_.warnings.push_back(t.Where() + ": no census row for " + u.name);
          }
          Add(std::move(u));
          ++report_.communes;
          return Ok();
        });
  }

  // Where the census has no figure for a commune ("đang cập nhật"), its share of the province's
  // census population is estimated: the province total less the known communes, split among the
  // unknown ones by area (largest remainder, so the province still sums to its census figure).
  void EstimateMissingPopulation() {
    std::unordered_map<int64_t, std::vector<store::UnitRow*>> missing;
    std::unordered_map<int64_t, int64_t> known;
    for (auto& u : units_) {
      if (u.level != "commune" || !u.parent_id) continue;
      if (u.population) {
        known[*u.parent_id] += *u.population;
      } else {
        missing[*u.parent_id].push_back(&u);
      }
    }
    for (auto& [pid, list] : missing) {
      const store::UnitRow& prov = units_[static_cast<size_t>(pid - 1)];
      if (!prov.population) continue;
      const int64_t residual = *prov.population - known[pid];
      double total_area = 0;
      for (auto* u : list) total_area += u->area_km2.value_or(0);
      if (residual <= 0 || total_area <= 0) continue;
      int64_t given = 0;
      std::vector<std::pair<double, store::UnitRow*>> remainders;
      for (auto* u : list) {
        const double exact = static_cast<double>(residual) * u->area_km2.value_or(0) / total_area;
        const auto floor = static_cast<int64_t>(std::floor(exact));
        u->population = floor;
        u->population_estimated = true;
        u->source += "; population estimated from the province census total by area";
        given += floor;
        remainders.emplace_back(exact - static_cast<double>(floor), u);
      }
      std::sort(remainders.begin(), remainders.end(),
                [](const auto& a, const auto& b) { return a.first > b.first; });
      for (size_t i = 0; given < residual && i < remainders.size(); ++i, ++given) {
        *remainders[i].second->population += 1;
      }
      report_.population_estimated += list.size();
    }
  }

  Status ReadOldUnits() {
    std::map<std::string, int64_t> provinces, districts;
    return ForEachRow(
        "communes-pre2025.csv", [&](const Columns& c, const auto& row, const Table& t) -> Status {
          auto code = c.Need("Mã", t), name = c.Need("Tên", t), level = c.Need("Cấp", t),
               dcode = c.Need("Mã QH", t), dname = c.Need("Quận Huyện", t),
               pcode = c.Need("Mã TP", t), pname = c.Need("Tỉnh / Thành Phố", t);
          for (const auto* r : {&code, &name, &level, &dcode, &dname, &pcode, &pname}) {
            if (!*r) return Fail(r->error());
          }
          const std::string cc = Field(row, *code), dc = Field(row, *dcode),
                            pc = Field(row, *pcode);
          if (!AllDigits(cc) || !AllDigits(dc) || !AllDigits(pc)) {
            report_.warnings.push_back(t.Where() + ": skipped, codes are not numeric");
            return Ok();
          }
          auto [p, pnew] = provinces.try_emplace(PadCode(pc, 2), 0);
          if (pnew) {
            p->second = Add(OldUnit(p->first, "province", ProvinceType(Field(row, *pname)),
                                    Field(row, *pname), std::nullopt))
                            .id;
            ++report_.old_provinces;
          }
          auto [d, dnew] = districts.try_emplace(PadCode(dc, 3), 0);
          if (dnew) {
            d->second = Add(OldUnit(d->first, "district", DistrictType(Field(row, *dname)),
                                    Field(row, *dname), p->second))
                            .id;
            ++report_.old_districts;
          }
          const std::string code5 = PadCode(cc, 5);
          if (old_communes_.count(code5)) {
            report_.warnings.push_back(t.Where() + ": duplicate commune code " + code5 +
                                       ", skipped");
            return Ok();
          }
          old_communes_[code5] =
              Add(OldUnit(code5, "commune", Field(row, *level), Field(row, *name), d->second)).id;
          ++report_.old_communes;
          return Ok();
        });
  }

  static store::UnitRow OldUnit(std::string code, std::string level, std::string type,
                                std::string name, std::optional<int64_t> parent) {
    store::UnitRow u;
    u.code = std::move(code);
    u.level = std::move(level);
    u.type = std::move(type);
    u.short_name = ShortName(name, u.type);
    u.name = std::move(name);
    u.parent_id = parent;
    u.valid_to = kNewEra;
    u.source = "communes-pre2025.csv";
    return u;
  }

  // "Phường Tân Ninh" with type "Phường" -> "Tân Ninh"; "Tỉnh Long An" -> "Long An".
  static std::string ShortName(const std::string& name, const std::string& type) {
    const std::string fn = text::Fold(name), ft = text::Fold(type) + " ";
    if (fn.rfind(ft, 0) != 0) return name;
    // Skip as many words as the type has.
    size_t words = static_cast<size_t>(std::count(ft.begin(), ft.end(), ' '));
    size_t pos = 0;
    for (size_t i = 0; i < words && pos != std::string::npos; ++i) {
      pos = name.find(' ', pos);
      if (pos != std::string::npos) ++pos;
    }
    return pos == std::string::npos ? name : name.substr(pos);
  }

  Status ReadCrosswalk() {
    std::unordered_map<std::string, int64_t> new_communes;
    for (const auto& u : units_) {
      if (u.level == "commune" && u.valid_from) new_communes[u.code] = u.id;
    }
    auto t = Table::Open(dir_ / "crosswalk-2025.csv");
    if (!t) return Fail(t.error());
    std::set<std::pair<int64_t, int64_t>> seen;
    for (;;) {
      auto row = t->Next();
      if (!row) return Fail(row.error());
      if (!*row) break;
      const auto& r = **row;
      // Header lines and per-province section lines ("TÂY NINH,,,,") carry no new code.
      const std::string new_code = Field(r, 2), old_code = Field(r, 4);
      if (!AllDigits(new_code)) continue;
      if (!AllDigits(old_code)) {
        report_.warnings.push_back(t->Where() + ": old unit '" + Field(r, 3) +
                                   "' has no commune code, skipped");
        continue;
      }
      auto n = new_communes.find(PadCode(new_code, 5));
      auto o = old_communes_.find(PadCode(old_code, 5));
      if (n == new_communes.end() || o == old_communes_.end()) {
        report_.warnings.push_back(t->Where() + ": code " +
                                   (n == new_communes.end() ? new_code : old_code) +
                                   " not in the official lists, skipped");
        continue;
      }
      if (!seen.insert({o->second, n->second}).second) continue;  // repeated row
      const std::string note = Field(r, 5);
      successions_.push_back(
          {o->second, n->second, std::string(MergeKindName(KindOf(note))), note, std::nullopt});
      ++report_.successions;
    }
    return Ok();
  }

  Status ReadAgencies() {
    const store::UnitRow* home = nullptr;
    for (const auto& u : units_) {
      if (u.level == "province" && u.valid_from && u.code == src_.home_province) home = &u;
    }
    if (!home) {
      return Fail(
          Error::Invalid("units.unknown_province",
                         "home province '" + src_.home_province +
                             "' is not in the official list: pass a post-2025 province code"));
    }
    if (src_.agencies_csv.empty()) return Ok();
    const int64_t home_id = home->id;
    const fs::path path = src_.agencies_csv;
    auto saved = dir_;
    dir_ = path.parent_path();
    std::set<std::string> codes;
    auto s = ForEachRow(path.filename().string(),
                        [&](const Columns& c, const auto& row, const Table& t) -> Status {
                          auto code = c.Need("code", t), name = c.Need("name", t),
                               sname = c.Need("short_name", t), type = c.Need("type", t);
                          for (const auto* r : {&code, &name, &sname, &type}) {
                            if (!*r) return Fail(r->error());
                          }
                          store::UnitRow u;
                          u.code = Field(row, *code);
                          u.name = Field(row, *name);
                          u.short_name = Field(row, *sname);
                          u.type = Field(row, *type);
                          if (u.code.empty() || u.name.empty())
                            return Fail(t.Bad("code and name are required"));
                          if (!codes.insert(u.code).second)
                            return Fail(t.Bad("duplicate code '" + u.code + "'"));
                          if (u.short_name.empty()) u.short_name = u.name;
                          u.level = "agency";
                          u.parent_id = home_id;
                          u.source = path.filename().string();
                          Add(std::move(u));
                          ++report_.agencies;
                          return Ok();
                        });
    dir_ = saved;
    return s;
  }

  const ImportSources& src_;
  fs::path dir_;
  ImportReport report_;
  std::vector<store::UnitRow> units_;
  std::vector<store::SuccessionRow> successions_;
  std::unordered_map<std::string, CensusFigures> province_census_;
  std::unordered_map<std::string, CensusFigures> commune_census_exact_;
  std::unordered_map<std::string, std::vector<CensusFigures>> commune_census_loose_;
  std::unordered_map<std::string, int64_t> old_communes_;
};

}  // namespace

Result<ImportReport> Import(store::UnitStore& store, store::SettingsStore& settings,
                            const ImportSources& sources) {
  return Importer(sources).Run(store, settings);
}

Result<int64_t> AddAgency(store::UnitStore& store, const Registry& registry,
                          const AgencyInput& in) {
  const std::string code = text::CollapseSpaces(text::Nfc(in.code));
  const std::string name = text::CollapseSpaces(text::Nfc(in.name));
  if (code.empty() || code.size() > 32 || name.empty() || name.size() > 300) {
    return Fail(Error::Invalid("unit.invalid",
                               "an agency needs a code (1–32 characters) and a name (1–300)"));
  }
  const Unit* parent = registry.Find(in.parent_code, Date::Today());
  if (!parent || parent->level != Level::kProvince) {
    return Fail(Error::Invalid("unit.invalid_parent",
                               "parent '" + in.parent_code + "' is not a current province code"));
  }
  store::UnitRow u;
  u.code = code;
  u.level = "agency";
  u.name = name;
  u.short_name = in.short_name.empty() ? name : text::CollapseSpaces(text::Nfc(in.short_name));
  u.type = in.type.empty() ? "Sở" : text::CollapseSpaces(text::Nfc(in.type));
  u.parent_id = parent->id;
  u.source = "added";
  return store.InsertUnit(u);
}

}  // namespace pdh::units
