// /api/v1/info and /api/v1/units: the units and geography of the province (M1).
#include <boost/json.hpp>

#include <charconv>
#include <set>

#include "api/api.h"
#include "api/handler_util.h"
#include "core/date.h"
#include "core/text.h"

namespace pdh::api {
namespace json = boost::json;
namespace {

using http::Request;
using http::Response;

// JSON Schema of a unit as units::ToJson writes it.
constexpr const char* kUnitSchema = R"({
  "type":"object",
  "required":["code","name","short_name","type","level","parent","population","population_estimated","area_km2","lat","lon","valid_from","valid_to"],
  "properties":{
    "code":{"type":"string","description":"Official code: province 2 digits, district 3, commune 5; agencies their own"},
    "name":{"type":"string"},"short_name":{"type":"string"},
    "type":{"type":"string","description":"Vietnamese type label: Tỉnh, Thành phố, Phường, Xã, Đặc khu, Sở, ..."},
    "level":{"type":"string","enum":["province","district","commune","agency"]},
    "parent":{"type":["string","null"]},
    "population":{"type":["integer","null"]},
    "population_estimated":{"type":"boolean","description":"true when the census has no figure and the value is the unit's area share of the province total"},
    "area_km2":{"type":["number","null"]},"lat":{"type":["number","null"]},"lon":{"type":["number","null"]},
    "valid_from":{"type":["string","null"],"format":"date"},
    "valid_to":{"type":["string","null"],"format":"date","description":"exclusive"}
  }})";

const units::Unit& FindOr404(const units::Registry& reg, const std::string& code, Date as_of) {
  if (const units::Unit* u = reg.Find(code, as_of)) return *u;
  std::string hint;
  if (!reg.FindAllEras(code).empty()) {
    hint =
        " (it exists at another date: try as_of=2025-06-30 for units before the reform, or "
        "/api/v1/units/resolve?code=" +
        code + ")";
  }
  throw Failure(Error::NotFound("unit.not_found",
                                "no unit with code '" + code + "' on " + as_of.ToString() + hint));
}

json::array UnitArray(const std::vector<const units::Unit*>& list) {
  json::array a;
  a.reserve(list.size());
  for (const units::Unit* u : list) a.push_back(units::ToJson(*u));
  return a;
}

json::object SuccessionJson(const units::Succession& s, const units::Unit& unit) {
  return {{"unit", units::ToJson(unit)},
          {"kind", units::MergeKindName(s.kind)},
          {"note", s.note},
          {"weight", s.weight ? json::value(*s.weight) : json::value(nullptr)}};
}

size_t ParseCursor(const Request& req) {
  auto s = req.Query("cursor");
  if (!s || s->empty()) return 0;
  auto n = ParseCount(*s);
  if (!n) {
    throw Failure(Error::BadRequest("request.invalid_cursor",
                                    "cursor is not one this API returned: start again without it"));
  }
  return *n;
}

std::optional<units::Level> LevelParam(const Request& req) {
  auto s = req.Query("level");
  if (!s || s->empty()) return std::nullopt;
  auto l = units::ParseLevel(*s);
  if (!l) {
    throw Failure(Error::BadRequest("request.invalid_level",
                                    "level must be province, district, commune or agency"));
  }
  return l;
}

Response ListUnits(Context& ctx, Request& req) {
  auto reg = ctx.registry();
  const Date as_of = AsOf(req);
  const auto level = LevelParam(req);
  std::vector<const units::Unit*> list;
  if (auto parent = req.Query("parent")) {
    list = reg->Children(FindOr404(*reg, *parent, as_of), as_of);
  } else if (auto q = req.Query("q"); q && !q->empty()) {
    list = reg->Search(*q, as_of);
  } else if (!level || *level == units::Level::kProvince) {
    list = reg->Provinces(as_of);
  } else {
    for (const units::Unit& u : reg->all()) {
      if (u.ValidOn(as_of)) list.push_back(&u);
    }
  }
  if (level) std::erase_if(list, [&](const units::Unit* u) { return u->level != *level; });
  const size_t limit = ParseLimit(req, 1000, 5000);
  const size_t start = std::min(ParseCursor(req), list.size());
  const size_t end = std::min(start + limit, list.size());
  std::vector<const units::Unit*> page(list.begin() + static_cast<std::ptrdiff_t>(start),
                                       list.begin() + static_cast<std::ptrdiff_t>(end));
  return Response::Json(
      json::object{{"items", UnitArray(page)},
                   {"total", list.size()},
                   {"next_cursor",
                    end < list.size() ? json::value(std::to_string(end)) : json::value(nullptr)}});
}

Response GetUnit(Context& ctx, Request& req) {
  auto reg = ctx.registry();
  const Date as_of = AsOf(req);
  const units::Unit& u = FindOr404(*reg, req.params.at("code"), as_of);
  json::object o = units::ToJson(u);
  json::array ancestors;
  for (const units::Unit* a : reg->Ancestors(u)) {
    ancestors.push_back(
        {{"code", a->code}, {"name", a->name}, {"level", units::LevelName(a->level)}});
  }
  o["ancestors"] = std::move(ancestors);
  o["children_count"] = reg->Children(u, as_of).size();
  return Response::Json(o);
}

Response Children(Context& ctx, Request& req) {
  auto reg = ctx.registry();
  const Date as_of = AsOf(req);
  const auto level = LevelParam(req);
  const units::Unit& u = FindOr404(*reg, req.params.at("code"), as_of);
  auto list = reg->Children(u, as_of);
  if (level) std::erase_if(list, [&](const units::Unit* c) { return c->level != *level; });
  return Response::Json(json::object{{"parent", units::ToJson(u)}, {"items", UnitArray(list)}});
}

Response Predecessors(Context& ctx, Request& req) {
  auto reg = ctx.registry();
  const units::Unit& u = FindOr404(*reg, req.params.at("code"), AsOf(req));
  json::array items;
  for (const auto& s : reg->Predecessors(u)) items.push_back(SuccessionJson(s, *s.old_unit));
  return Response::Json(json::object{{"unit", units::ToJson(u)}, {"items", std::move(items)}});
}

Response Resolve(Context& ctx, Request& req) {
  auto reg = ctx.registry();
  auto code = req.Query("code");
  if (!code || code->empty()) {
    throw Failure(Error::BadRequest("request.missing_parameter",
                                    "give the old commune code: /api/v1/units/resolve?code=25456"));
  }
  auto targets = reg->Resolve(*code);
  if (targets.empty()) {
    // A padded code ("25456" for "25456") or a unit that still exists counts too.
    throw Failure(Error::NotFound(
        "unit.not_resolvable", "'" + *code + "' is not a pre-2025 commune code in the crosswalk"));
  }
  json::array items;
  for (const auto& s : targets) items.push_back(SuccessionJson(s, *s.new_unit));
  return Response::Json(json::object{{"code", *code},
                                     {"old", units::ToJson(*targets.front().old_unit)},
                                     {"targets", std::move(items)}});
}

Response AddAgency(Context& ctx, Request& req) {
  const json::object body = BodyObject(req);
  units::AgencyInput in;
  in.code = OptString(body, "code").value_or("");
  in.name = OptString(body, "name").value_or("");
  in.short_name = OptString(body, "short_name").value_or("");
  in.type = OptString(body, "type").value_or("");
  in.parent_code = OptString(body, "parent").value_or(ctx.home_province());
  auto reg = ctx.registry();
  Must(units::AddAgency(ctx.store(), *reg, in));
  Must(ctx.ReloadUnits());
  auto fresh = ctx.registry();
  const units::Unit* u = fresh->Find(text::CollapseSpaces(text::Nfc(in.code)), Date::Today());
  if (!u)
    throw Failure(Error::Internal("unit.lost", "the agency was saved but cannot be read back"));
  Response r = Response::Json(units::ToJson(*u), 201);
  r.headers.emplace_back("Location", "/api/v1/units/" + u->code);
  return r;
}

Response PatchUnit(Context& ctx, Request& req) {
  const json::object body = BodyObject(req);
  auto reg = ctx.registry();
  const units::Unit& u = FindOr404(*reg, req.params.at("code"), Date::Today());
  units::UnitPatch patch;
  patch.name = OptString(body, "name");
  patch.short_name = OptString(body, "short_name");
  patch.type = OptString(body, "type");
  OnlyFields(body, {"name", "short_name", "type", "population", "area_km2"});
  patch.population = OptInt(body, "population");
  if (auto it = body.find("area_km2"); it != body.end() && !it->value().is_null()) {
    if (!it->value().is_number()) {
      throw Failure(Error::Invalid("request.invalid_field", "area_km2 must be a number"));
    }
    patch.area_km2 = it->value().to_number<double>();
  }
  Must(units::UpdateUnit(ctx.store(), u, patch));
  Must(ctx.ReloadUnits());
  return Response::Json(units::ToJson(FindOr404(*ctx.registry(), u.code, Date::Today())));
}

Response Info(Context& ctx, Request&) {
  auto reg = ctx.registry();
  const units::Unit* home = reg->Find(ctx.home_province(), Date::Today());
  return Response::Json(
      json::object{{"name", "pdh"},
                   {"version", ctx.version()},
                   {"province", home ? json::value(units::ToJson(*home)) : json::value(nullptr)},
                   {"as_of", engine::DefaultAsOf(ctx.store()).ToString()},
                   {"today", Date::Today().ToString()}});
}

// --- Boundaries ------------------------------------------------------------------------------
// The communes' areas as an administrator loads them (GeoJSON), for the IOC's map; until then the
// map draws areas approximated from the communes' centres.

constexpr std::string_view kBoundariesSetting = "units.boundaries";

[[noreturn]] void BadGeoJson(const std::string& what) {
  throw Failure(Error::BadRequest("units.bad_geojson", what));
}

// A ring of [lon, lat] positions (at least four, the last the first) within the globe.
void CheckRing(const json::value& ring, const std::string& where) {
  if (!ring.is_array() || ring.as_array().size() < 4) {
    BadGeoJson(where + ": a ring needs at least four positions");
  }
  for (const auto& p : ring.as_array()) {
    const auto* xy = p.if_array();
    if (xy == nullptr || xy->size() < 2 || !(*xy)[0].is_number() || !(*xy)[1].is_number()) {
      BadGeoJson(where + ": a position is [longitude, latitude]");
    }
    const double lon = (*xy)[0].to_number<double>();
    const double lat = (*xy)[1].to_number<double>();
    if (lon < -180 || lon > 180 || lat < -90 || lat > 90) {
      BadGeoJson(where + ": a position outside longitude −180..180, latitude −90..90");
    }
  }
}

void CheckPolygon(const json::value& rings, const std::string& where) {
  if (!rings.is_array() || rings.as_array().empty()) BadGeoJson(where + ": a polygon has rings");
  for (const auto& r : rings.as_array()) CheckRing(r, where);
}

// The code a feature names its unit by: properties.code (or ma, ma_xa, MA_XA, ma_dvhc).
std::string FeatureCode(const json::object& feature) {
  const auto* props = feature.if_contains("properties");
  if (props == nullptr || !props->is_object()) return "";
  for (const char* key : {"code", "ma", "ma_xa", "MA_XA", "ma_dvhc", "MA_DVHC"}) {
    const auto* v = props->as_object().if_contains(key);
    if (v != nullptr && v->is_string()) return std::string(v->as_string());
    if (v != nullptr && v->is_int64()) return std::to_string(v->as_int64());
  }
  return "";
}

Response PutBoundaries(Context& ctx, Request& req) {
  const json::value doc = req.Json();
  const auto* fc = doc.if_object();
  if (fc == nullptr || !fc->contains("type") || fc->at("type") != "FeatureCollection" ||
      !fc->contains("features") || !fc->at("features").is_array()) {
    BadGeoJson("a GeoJSON FeatureCollection is expected");
  }
  auto reg = ctx.registry();
  const Date today = Date::Today();
  json::array features;
  json::array unknown;
  std::set<std::string> seen;
  size_t i = 0;
  for (const auto& f : fc->at("features").as_array()) {
    const std::string where = "feature " + std::to_string(i++);
    const auto* feature = f.if_object();
    if (feature == nullptr || !feature->contains("geometry") ||
        !feature->at("geometry").is_object()) {
      BadGeoJson(where + ": a Feature with a geometry is expected");
    }
    const auto& g = feature->at("geometry").as_object();
    const auto* type = g.if_contains("type");
    const auto* coords = g.if_contains("coordinates");
    if (type == nullptr || coords == nullptr)
      BadGeoJson(where + ": the geometry has no coordinates");
    if (*type == "Polygon") {
      CheckPolygon(*coords, where);
    } else if (*type == "MultiPolygon" && coords->is_array()) {
      for (const auto& poly : coords->as_array()) CheckPolygon(poly, where);
    } else {
      BadGeoJson(where + ": the geometry must be a Polygon or a MultiPolygon");
    }
    const std::string code = FeatureCode(*feature);
    if (code.empty()) BadGeoJson(where + ": properties.code names the unit");
    const units::Unit* unit = reg->Find(code, today);
    if (unit == nullptr) {
      unknown.emplace_back(code);
      continue;
    }
    if (!seen.insert(code).second) {
      std::string twice = where;
      twice += ": unit ";
      twice += code;
      BadGeoJson(twice + " has two areas");
    }
    features.push_back({{"type", "Feature"},
                        {"properties", {{"code", unit->code}, {"name", unit->name}}},
                        {"geometry", g}});
  }
  if (!unknown.empty()) {
    Error e = Error::Invalid("units.unknown_boundary_code",
                             "these areas name no unit of today: " + json::serialize(unknown) +
                                 " (properties.code is a unit's official code)");
    throw Failure(e);
  }
  const json::object out{{"type", "FeatureCollection"}, {"features", std::move(features)}};
  Must(ctx.store().SetSetting(std::string(kBoundariesSetting), json::serialize(out)));
  return Response::Json(json::object{{"units", out.at("features").as_array().size()}});
}

Response GetBoundaries(Context& ctx, Request&) {
  auto v = Must(ctx.store().GetSetting(std::string(kBoundariesSetting)));
  if (!v || v->empty()) {
    return Response::Json(json::object{
        {"type", "FeatureCollection"}, {"features", json::array()}, {"loaded", false}});
  }
  json::object o = json::parse(*v).as_object();
  o["loaded"] = true;
  return Response::Json(o);
}

}  // namespace

Status Context::ReloadUnits() {
  auto fresh = units::Registry::Load(store_);
  if (!fresh) return Fail(fresh.error());
  {
    std::lock_guard lock(mu_);
    registry_ = *fresh;
  }
  Status set = engine_ ? engine_->SetRegistry(*fresh) : Ok();
  units_loaded_.fetch_add(1);  // after the engine has them too: the kept answers are stale
  return set;
}

void RegisterUnitRoutes(http::Router& router, Context& ctx) {
  auto bind = [&ctx](Response (*fn)(Context&, Request&)) {
    return [&ctx, fn](Request& req) { return fn(ctx, req); };
  };
  const std::string succession =
      R"({"type":"object","properties":{"unit":)" + std::string(kUnitSchema) +
      R"(,"kind":{"type":"string","enum":["whole","partial"]},"note":{"type":"string"},"weight":{"type":["number","null"]}}})";

  router.DescribeTag(
      "units",
      "Administrative units and agencies (đơn vị hành chính), before and after the 2025 reform.");
  router.Add(
      "GET", "/api/v1/info", "info", bind(Info),
      {.summary = "What this hub is: version, home province and the IOC's date",
       .tag = "units",
       .response_schema =
           R"({"type":"object","properties":{"name":{"type":"string"},"version":{"type":"string"},"province":)" +
           std::string(kUnitSchema) +
           R"(,"as_of":{"type":"string","format":"date","description":"The IOC's date: the setting ioc.as_of, else today"},"today":{"type":"string","format":"date"}}})",
       .permission = "public"});
  router.Add(
      "GET", "/api/v1/units", "units.list", bind(ListUnits),
      {.summary = "List units: provinces by default, or children of a parent, or a search",
       .tag = "units",
       .params = {AsOfParam(),
                  {"level", "query", "province, district, commune or agency", false,
                   R"({"type":"string","enum":["province","district","commune","agency"]})"},
                  {"parent", "query", "Code of the parent unit", false},
                  {"q", "query", "Name search, diacritic-insensitive", false},
                  {"limit", "query", "Page size (1–5000, default 1000)", false,
                   R"({"type":"integer","minimum":1,"maximum":5000})"},
                  {"cursor", "query", "next_cursor of the previous page", false}},
       .response_schema =
           R"({"type":"object","required":["items","total","next_cursor"],"properties":{"items":{"type":"array","items":)" +
           std::string(kUnitSchema) +
           R"(},"total":{"type":"integer"},"next_cursor":{"type":["string","null"]}}})",
       .error_statuses = {400, 404},
       .permission = "units.read"});
  router.Add(
      "GET", "/api/v1/units/resolve", "units.resolve", bind(Resolve),
      {.summary = "Resolve a pre-2025 commune code to its new unit(s)",
       .tag = "units",
       .params = {{"code", "query", "The old commune code, e.g. 25456", true}},
       .response_schema = R"({"type":"object","properties":{"code":{"type":"string"},"old":)" +
                          std::string(kUnitSchema) + R"(,"targets":{"type":"array","items":)" +
                          succession + "}}}",
       .error_statuses = {400, 404},
       .permission = "units.read"});
  router.Add("GET", "/api/v1/units/{code}", "units.get", bind(GetUnit),
             {.summary = "One unit with its ancestors",
              .tag = "units",
              .params = {AsOfParam()},
              .response_schema = kUnitSchema,
              .error_statuses = {400, 404},
              .permission = "units.read"});
  router.Add(
      "GET", "/api/v1/units/{code}/children", "units.children", bind(Children),
      {.summary = "Direct children of a unit (communes and agencies of a province)",
       .tag = "units",
       .params = {AsOfParam(),
                  {"level", "query", "Only children of this level", false,
                   R"({"type":"string","enum":["province","district","commune","agency"]})"}},
       .response_schema = R"({"type":"object","properties":{"parent":)" + std::string(kUnitSchema) +
                          R"(,"items":{"type":"array","items":)" + kUnitSchema + "}}}",
       .error_statuses = {400, 404},
       .permission = "units.read"});
  router.Add(
      "GET", "/api/v1/units/{code}/predecessors", "units.predecessors", bind(Predecessors),
      {.summary = "The pre-2025 communes merged into a unit, with the merge kind",
       .tag = "units",
       .params = {AsOfParam()},
       .response_schema = R"({"type":"object","properties":{"unit":)" + std::string(kUnitSchema) +
                          R"(,"items":{"type":"array","items":)" + succession + "}}}",
       .error_statuses = {400, 404},
       .permission = "units.read"});
  router.Add(
      "POST", "/api/v1/units", "units.add_agency", bind(AddAgency),
      {.summary = "Add a department or agency under a province",
       .tag = "units",
       .request_schema =
           R"({"type":"object","required":["code","name"],"properties":{"code":{"type":"string"},"name":{"type":"string"},"short_name":{"type":"string"},"type":{"type":"string"},"parent":{"type":"string"}}})",
       .response_schema = kUnitSchema,
       .success_status = 201,
       .error_statuses = {400, 409, 415, 422},
       .permission = "units.write",
       .scope = "body:parent"});
  router.Add(
      "GET", "/api/v1/boundaries", "boundaries.get", bind(GetBoundaries),
      {.summary = "The units' areas loaded for the map (GeoJSON FeatureCollection; "
                  "loaded false and no features until an administrator loads them)",
       .tag = "units",
       .response_schema =
           R"({"type":"object","properties":{"type":{"type":"string"},"features":{"type":"array","items":{"type":"object"}},"loaded":{"type":"boolean"}}})",
       .permission = "units.read"});
  router.Add(
      "PUT", "/api/v1/boundaries", "boundaries.put", bind(PutBoundaries),
      {.summary = "Load the units' areas: a GeoJSON FeatureCollection of Polygons or "
                  "MultiPolygons, each naming its unit's official code in properties.code",
       .tag = "units",
       .request_schema =
           R"({"type":"object","required":["type","features"],"properties":{"type":{"type":"string"},"features":{"type":"array","items":{"type":"object"}}}})",
       .response_schema = R"({"type":"object","properties":{"units":{"type":"integer"}}})",
       .error_statuses = {400, 415, 422},
       .permission = "units.admin"});
  router.Add(
      "PATCH", "/api/v1/units/{code}", "units.update", bind(PatchUnit),
      {.summary = "Rename an agency, or set a unit's own population and area figures",
       .tag = "units",
       .request_schema =
           R"({"type":"object","properties":{"name":{"type":"string"},"short_name":{"type":"string"},"type":{"type":"string"},"population":{"type":"integer","minimum":0},"area_km2":{"type":"number","exclusiveMinimum":0}}})",
       .response_schema = kUnitSchema,
       .error_statuses = {400, 404, 415, 422},
       .permission = "units.write",
       .scope = "path:code"});
}

}  // namespace pdh::api
