// The index set's definitions: JSON in and out, the checks a set must pass, loading and saving.
#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/json_util.h"
#include "core/text.h"
#include "engine/engine.h"
#include "engine/expr.h"
#include "engine/internal.h"
#include "ingest/ingest.h"

namespace pdh::engine {
namespace json = boost::json;
namespace {

constexpr std::array<std::string_view, 5> kUnitAggNames = {"sum", "average", "min", "max", "none"};
constexpr std::array<std::string_view, 3> kTimeAggNames = {"sum", "last", "average"};

Error Invalid(const std::string& where, const std::string& what) {
  return Error::Invalid("index.invalid", where + ": " + what);
}

bool ValidCode(std::string_view c) {
  if (c.empty() || c.size() > 64) return false;
  return std::all_of(c.begin(), c.end(), [](char ch) {
    return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
           ch == '_';
  });
}

// Reads the fields of one JSON object, naming the object in errors ("elements[3].measure").
class Reader {
 public:
  Reader(const json::value& v, std::string where) : where_(std::move(where)) {
    if (v.is_object()) obj_ = &v.as_object();
  }
  bool ok() const { return obj_ != nullptr; }
  const std::string& where() const { return where_; }

  Status Str(std::string_view key, std::string& out, bool required = false) const {
    const json::value* v = obj_->if_contains(key);
    if (!v || v->is_null()) {
      if (required) return Fail(Invalid(where_ + "." + std::string(key), "is required"));
      return Ok();
    }
    if (!v->is_string()) return Fail(Invalid(where_ + "." + std::string(key), "must be text"));
    out = text::Nfc(std::string(v->as_string()));
    return Ok();
  }
  Status Num(std::string_view key, double& out) const {
    const json::value* v = obj_->if_contains(key);
    if (!v || v->is_null()) return Ok();
    if (!v->is_number()) return Fail(Invalid(where_ + "." + std::string(key), "must be a number"));
    out = v->to_number<double>();
    if (!std::isfinite(out))
      return Fail(Invalid(where_ + "." + std::string(key), "must be finite"));
    return Ok();
  }
  Status Int(std::string_view key, int& out, int lo, int hi) const {
    double d = out;
    if (auto s = Num(key, d); !s) return s;
    if (d != std::floor(d) || d < lo || d > hi) {
      return Fail(Invalid(
          where_ + "." + std::string(key),
          "must be a whole number from " + std::to_string(lo) + " to " + std::to_string(hi)));
    }
    out = static_cast<int>(d);
    return Ok();
  }
  Status Strs(std::string_view key, std::vector<std::string>& out) const {
    const json::value* v = obj_->if_contains(key);
    if (!v || v->is_null()) return Ok();
    if (!v->is_array()) return Fail(Invalid(where_ + "." + std::string(key), "must be a list"));
    out.clear();
    for (const auto& item : v->as_array()) {
      if (!item.is_string()) {
        return Fail(Invalid(where_ + "." + std::string(key), "must be a list of text"));
      }
      out.push_back(text::Nfc(std::string(item.as_string())));
    }
    return Ok();
  }
  template <class E, size_t N>
  Status Enum(std::string_view key, const std::array<std::string_view, N>& names, E& out) const {
    std::string s;
    if (auto st = Str(key, s); !st) return st;
    if (s.empty()) return Ok();
    auto e = json_util::ParseName<E>(names, s);
    if (!e) {
      std::string allowed;
      for (auto n : names) allowed += (allowed.empty() ? "" : ", ") + std::string(n);
      return Fail(Invalid(where_ + "." + std::string(key), "'" + s + "' is not one of " + allowed));
    }
    out = *e;
    return Ok();
  }
  Status Kind(std::string_view key, PeriodKind& out) const {
    std::string s;
    if (auto st = Str(key, s); !st) return st;
    if (s.empty()) return Ok();
    auto k = ParsePeriodKind(s);
    if (!k || *k == PeriodKind::kYtd) {
      return Fail(
          Invalid(where_ + "." + std::string(key), "'" + s + "' is not month, quarter or year"));
    }
    out = *k;
    return Ok();
  }
  const json::value* Get(std::string_view key) const { return obj_->if_contains(key); }

 private:
  const json::object* obj_ = nullptr;
  std::string where_;
};

#define PDH_TRY(expr)            \
  if (auto st_ = (expr); !st_) { \
    return Fail(st_.error());    \
  }

Result<Rule> ParseRule(const json::value& v, const std::string& where) {
  Reader r(v, where);
  if (!r.ok()) return Fail(Invalid(where, "must be an object"));
  Rule rule;
  PDH_TRY(r.Str("dataset", rule.dataset, true));
  PDH_TRY(r.Str("op", rule.op));
  if (rule.op != "count" && rule.op != "sum" && rule.op != "average" && rule.op != "distinct") {
    return Fail(Invalid(where + ".op", "'" + rule.op + "' is not count, sum, average or distinct"));
  }
  PDH_TRY(r.Str("field", rule.field));
  if (rule.op != "count" && rule.field.empty()) {
    return Fail(Invalid(where + ".field", "is required for " + rule.op));
  }
  PDH_TRY(r.Str("date_field", rule.date_field));
  PDH_TRY(r.Str("unit_field", rule.unit_field));
  PDH_TRY(r.Int("period_start_day", rule.period_start_day, 1, 28));
  if (const json::value* fs = r.Get("filters"); fs && !fs->is_null()) {
    if (!fs->is_array()) return Fail(Invalid(where + ".filters", "must be a list"));
    size_t i = 0;
    for (const auto& fv : fs->as_array()) {
      std::string fw = where + ".filters[" + std::to_string(i++) + "]";
      Reader fr(fv, fw);
      if (!fr.ok()) return Fail(Invalid(fw, "must be an object"));
      Filter f;
      PDH_TRY(fr.Str("field", f.field, true));
      PDH_TRY(fr.Str("op", f.op));
      PDH_TRY(fr.Strs("values", f.values));
      if (const json::value* one = fr.Get("value"); one && one->is_string()) {
        f.values.push_back(text::Nfc(std::string(one->as_string())));
      } else if (one && one->is_bool()) {
        f.values.emplace_back(one->as_bool() ? "true" : "false");
      }
      PDH_TRY(fr.Str("other", f.other));
      if (f.op == "=" || f.op == "!=") {
        if (f.values.empty()) return Fail(Invalid(fw + ".values", "give at least one value"));
      } else if (f.op == "<=" || f.op == "<" || f.op == ">=" || f.op == ">") {
        if (f.other.empty() && f.values.size() != 1) {
          return Fail(Invalid(fw, "compare with another field (other) or one value (value)"));
        }
      } else if (f.op != "null" && f.op != "not_null") {
        return Fail(
            Invalid(fw + ".op", "'" + f.op + "' is not =, !=, <, <=, >, >=, null or not_null"));
      }
      rule.filters.push_back(std::move(f));
    }
  }
  return rule;
}

json::object RuleJson(const Rule& r) {
  json::array filters;
  for (const auto& f : r.filters) {
    json::object o{{"field", f.field}, {"op", f.op}};
    if (!f.values.empty()) o["values"] = json_util::Strings(f.values);
    if (!f.other.empty()) o["other"] = f.other;
    filters.push_back(std::move(o));
  }
  json::object o{{"dataset", r.dataset}, {"op", r.op}};
  if (!r.field.empty()) o["field"] = r.field;
  if (!filters.empty()) o["filters"] = std::move(filters);
  if (!r.date_field.empty()) o["date_field"] = r.date_field;
  if (!r.unit_field.empty()) o["unit_field"] = r.unit_field;
  if (r.period_start_day != 1) o["period_start_day"] = r.period_start_day;
  return o;
}

Status ParseCommon(const Reader& r, std::string& code, std::string& name, std::string& name_en,
                   std::string& sector, std::string& measure, std::string& description) {
  PDH_TRY(r.Str("code", code, true));
  if (!ValidCode(code)) {
    return Fail(
        Invalid(r.where() + ".code", "'" + code + "' must be 1 to 64 letters, digits or '_'"));
  }
  PDH_TRY(r.Str("name", name, true));
  if (name.empty()) return Fail(Invalid(r.where() + ".name", "is required"));
  PDH_TRY(r.Str("name_en", name_en));
  PDH_TRY(r.Str("sector", sector));
  PDH_TRY(r.Str("measure", measure));
  PDH_TRY(r.Str("description", description));
  return Ok();
}

Result<Element> ParseElementAt(const json::value& v, const std::string& where) {
  Reader r(v, where);
  if (!r.ok()) return Fail(Invalid(where, "must be an object"));
  Element e;
  PDH_TRY(ParseCommon(r, e.code, e.name, e.name_en, e.sector, e.measure, e.description));
  PDH_TRY(r.Enum("aggregation", kUnitAggNames, e.unit_agg));
  PDH_TRY(r.Enum("time_aggregation", kTimeAggNames, e.time_agg));
  PDH_TRY(r.Kind("periodicity", e.periodicity));
  PDH_TRY(r.Strs("options", e.options));
  for (const auto& o : e.options) {
    if (!ValidCode(o)) return Fail(Invalid(where + ".options", "'" + o + "' is not a valid code"));
  }
  PDH_TRY(r.Str("reporting", e.reporting));
  if (!e.reporting.empty() && e.reporting != "province" && e.reporting != "communes" &&
      e.reporting != "agencies" && e.reporting != "units") {
    return Fail(Invalid(where + ".reporting",
                        "'" + e.reporting + "' is not province, communes, agencies or units"));
  }
  PDH_TRY(r.Strs("reporting_units", e.reporting_units));
  PDH_TRY(r.Int("due_days", e.due_days, 0, 366));
  PDH_TRY(r.Str("dhis2_id", e.dhis2_id));
  if (const json::value* rv = r.Get("rule"); rv && !rv->is_null()) {
    auto rule = ParseRule(*rv, where + ".rule");
    if (!rule) return Fail(rule.error());
    e.rule = std::move(*rule);
  }
  return e;
}

Result<Indicator> ParseIndicatorAt(const json::value& v, const std::string& where) {
  Reader r(v, where);
  if (!r.ok()) return Fail(Invalid(where, "must be an object"));
  Indicator i;
  PDH_TRY(ParseCommon(r, i.code, i.name, i.name_en, i.sector, i.measure, i.description));
  PDH_TRY(r.Str("owner_unit", i.owner_unit));
  PDH_TRY(r.Str("pack", i.pack));
  PDH_TRY(r.Kind("periodicity", i.periodicity));
  std::string direction;
  PDH_TRY(r.Str("direction", direction));
  if (direction == "down") {
    i.higher_is_better = false;
  } else if (!direction.empty() && direction != "up") {
    return Fail(Invalid(where + ".direction", "'" + direction + "' is not up or down"));
  }
  PDH_TRY(r.Str("expression", i.expression));
  PDH_TRY(r.Str("numerator", i.numerator));
  PDH_TRY(r.Str("denominator", i.denominator));
  PDH_TRY(r.Num("factor", i.factor));
  if (i.expression.empty() == i.numerator.empty()) {
    return Fail(Invalid(where, "give either an expression or a numerator (with a denominator)"));
  }
  if (!i.expression.empty() && !i.denominator.empty()) {
    return Fail(Invalid(where + ".denominator", "goes with a numerator, not an expression"));
  }
  PDH_TRY(r.Int("due_days", i.due_days, 0, 366));
  if (const json::value* th = r.Get("thresholds"); th && !th->is_null()) {
    Reader tr(*th, where + ".thresholds");
    if (!tr.ok()) return Fail(Invalid(where + ".thresholds", "must be an object"));
    PDH_TRY(tr.Num("green", i.green));
    PDH_TRY(tr.Num("yellow", i.yellow));
    if (i.yellow > i.green) {
      return Fail(Invalid(where + ".thresholds", "yellow must not be above green"));
    }
  }
  if (const json::value* ts = r.Get("targets"); ts && !ts->is_null()) {
    if (!ts->is_array()) return Fail(Invalid(where + ".targets", "must be a list"));
    size_t k = 0;
    for (const auto& tv : ts->as_array()) {
      Reader tr(tv, where + ".targets[" + std::to_string(k++) + "]");
      if (!tr.ok()) return Fail(Invalid(tr.where(), "must be an object"));
      Target t;
      PDH_TRY(tr.Str("unit", t.unit, true));
      PDH_TRY(tr.Int("year", t.year, 1900, 2200));
      if (t.year == 0) return Fail(Invalid(tr.where() + ".year", "is required"));
      const json::value* val = tr.Get("value");
      if (!val || !val->is_number())
        return Fail(Invalid(tr.where() + ".value", "must be a number"));
      PDH_TRY(tr.Num("value", t.value));
      i.targets.push_back(std::move(t));
    }
  }
  return i;
}

template <class T, class F>
Status ParseList(const json::object& o, std::string_view key, std::vector<T>& out, F parse) {
  const json::value* v = o.if_contains(key);
  if (!v || v->is_null()) return Ok();
  if (!v->is_array()) return Fail(Invalid(std::string(key), "must be a list"));
  size_t i = 0;
  for (const auto& item : v->as_array()) {
    auto x = parse(item, std::string(key) + "[" + std::to_string(i++) + "]");
    if (!x) return Fail(x.error());
    out.push_back(std::move(*x));
  }
  return Ok();
}

Result<Sector> ParseSectorAt(const json::value& v, const std::string& where) {
  Reader r(v, where);
  if (!r.ok()) return Fail(Invalid(where, "must be an object"));
  Sector s;
  PDH_TRY(r.Str("code", s.code, true));
  if (!ValidCode(s.code))
    return Fail(Invalid(where + ".code", "'" + s.code + "' is not a valid code"));
  PDH_TRY(r.Str("name", s.name, true));
  PDH_TRY(r.Str("name_en", s.name_en));
  return s;
}

Result<Constant> ParseConstantAt(const json::value& v, const std::string& where) {
  Reader r(v, where);
  if (!r.ok()) return Fail(Invalid(where, "must be an object"));
  Constant c;
  PDH_TRY(r.Str("code", c.code, true));
  if (!ValidCode(c.code))
    return Fail(Invalid(where + ".code", "'" + c.code + "' is not a valid code"));
  PDH_TRY(r.Str("name", c.name));
  const json::value* val = r.Get("value");
  if (!val || !val->is_number()) return Fail(Invalid(where + ".value", "must be a number"));
  PDH_TRY(r.Num("value", c.value));
  return c;
}

void PutCommon(json::object& o, const std::string& name_en, const std::string& sector,
               const std::string& measure, const std::string& description) {
  o["name_en"] = name_en;
  o["sector"] = sector;
  o["measure"] = measure;
  if (!description.empty()) o["description"] = description;
}

}  // namespace

std::string Indicator::Formula() const {
  if (!expression.empty()) return expression;
  return RatioExpression(numerator, denominator, factor);
}

const Element* IndexSet::FindElement(std::string_view code) const {
  for (const auto& e : elements) {
    if (e.code == code) return &e;
  }
  return nullptr;
}
const Indicator* IndexSet::FindIndicator(std::string_view code) const {
  for (const auto& i : indicators) {
    if (i.code == code) return &i;
  }
  return nullptr;
}
const Sector* IndexSet::FindSector(std::string_view code) const {
  for (const auto& s : sectors) {
    if (s.code == code) return &s;
  }
  return nullptr;
}

json::object ToJson(const Element& e) {
  json::object o{{"code", e.code}, {"name", e.name}};
  PutCommon(o, e.name_en, e.sector, e.measure, e.description);
  o["aggregation"] = kUnitAggNames[static_cast<size_t>(e.unit_agg)];
  o["time_aggregation"] = kTimeAggNames[static_cast<size_t>(e.time_agg)];
  o["periodicity"] = PeriodKindName(e.periodicity);
  if (!e.options.empty()) o["options"] = json_util::Strings(e.options);
  if (!e.reporting.empty()) o["reporting"] = e.reporting;
  if (!e.reporting_units.empty()) o["reporting_units"] = json_util::Strings(e.reporting_units);
  o["due_days"] = e.due_days;
  if (!e.dhis2_id.empty()) o["dhis2_id"] = e.dhis2_id;
  o["rule"] = e.rule ? json::value(RuleJson(*e.rule)) : json::value(nullptr);
  return o;
}

json::object ToJson(const Indicator& i) {
  json::object o{{"code", i.code}, {"name", i.name}};
  PutCommon(o, i.name_en, i.sector, i.measure, i.description);
  o["owner_unit"] = i.owner_unit;
  o["pack"] = i.pack.empty() ? json::value(nullptr) : json::value(i.pack);
  o["periodicity"] = PeriodKindName(i.periodicity);
  o["direction"] = i.higher_is_better ? "up" : "down";
  if (!i.expression.empty()) {
    o["expression"] = i.expression;
  } else {
    o["numerator"] = i.numerator;
    o["denominator"] = i.denominator;
    o["factor"] = i.factor;
  }
  json::array targets;
  for (const auto& t : i.targets) {
    targets.push_back(json::object{{"unit", t.unit}, {"year", t.year}, {"value", t.value}});
  }
  o["targets"] = std::move(targets);
  o["thresholds"] = json::object{{"green", i.green}, {"yellow", i.yellow}};
  o["due_days"] = i.due_days;
  return o;
}

json::object ToJson(const Sector& s) {
  return {{"code", s.code}, {"name", s.name}, {"name_en", s.name_en}};
}
json::object ToJson(const Constant& c) {
  return {{"code", c.code}, {"name", c.name}, {"value", c.value}};
}

Result<Element> ParseElement(const json::value& v) {
  return ParseElementAt(v, "element");
}
Result<Indicator> ParseIndicator(const json::value& v) {
  return ParseIndicatorAt(v, "indicator");
}

Result<IndexSet> ParseIndexSet(const json::value& v) {
  if (!v.is_object()) return Fail(Invalid("index set", "must be a JSON object"));
  const auto& o = v.as_object();
  for (const auto& [key, _] : o) {
    if (key != "sectors" && key != "elements" && key != "indicators" && key != "constants") {
      return Fail(Invalid(std::string(key),
                          "unknown key: an index set has sectors, elements, indicators and "
                          "constants"));
    }
  }
  IndexSet set;
  PDH_TRY(ParseList(o, "sectors", set.sectors, ParseSectorAt));
  PDH_TRY(ParseList(o, "elements", set.elements, ParseElementAt));
  PDH_TRY(ParseList(o, "indicators", set.indicators, ParseIndicatorAt));
  PDH_TRY(ParseList(o, "constants", set.constants, ParseConstantAt));
  return set;
}

json::object ToJson(const IndexSet& set) {
  json::array sectors, elements, indicators, constants;
  for (const auto& s : set.sectors) sectors.push_back(ToJson(s));
  for (const auto& e : set.elements) elements.push_back(ToJson(e));
  for (const auto& i : set.indicators) indicators.push_back(ToJson(i));
  for (const auto& c : set.constants) constants.push_back(ToJson(c));
  return {{"sectors", std::move(sectors)},
          {"elements", std::move(elements)},
          {"indicators", std::move(indicators)},
          {"constants", std::move(constants)}};
}

Status Check(const IndexSet& set, store::DatasetStore& store) {
  auto dup = [](const auto& list, const char* what) -> Status {
    std::set<std::string_view> seen;
    for (const auto& x : list) {
      if (!seen.insert(x.code).second) {
        return Fail(Invalid(std::string(what) + " " + x.code, "the code is used twice"));
      }
    }
    return Ok();
  };
  PDH_TRY(dup(set.sectors, "sector"));
  PDH_TRY(dup(set.elements, "element"));
  PDH_TRY(dup(set.indicators, "indicator"));
  PDH_TRY(dup(set.constants, "constant"));
  auto sector_known = [&](const std::string& s, const std::string& where) -> Status {
    if (!s.empty() && !set.FindSector(s)) {
      return Fail(Invalid(where + ".sector", "'" + s + "' is not a sector of the index set"));
    }
    return Ok();
  };
  // Datasets named by rules, with their fields.
  std::map<std::string, ingest::Dataset> datasets;
  for (const auto& e : set.elements) {
    PDH_TRY(sector_known(e.sector, "element " + e.code));
    if (!e.rule) continue;
    const std::string where = "element " + e.code + ".rule";
    auto it = datasets.find(e.rule->dataset);
    if (it == datasets.end()) {
      auto d = ingest::LoadDataset(store, e.rule->dataset);
      if (!d) {
        return Fail(Invalid(where + ".dataset", "no dataset '" + e.rule->dataset + "'"));
      }
      it = datasets.emplace(e.rule->dataset, std::move(*d)).first;
    }
    auto fields = RuleFields(*e.rule, it->second.schema);
    if (!fields) return Fail(Invalid(where, fields.error().message));
  }
  // Expressions, with measures where the elements give them.
  MeasureOf measure_of = [&](const Ref& r) -> std::optional<std::string> {
    if (r.kind == RefKind::kElement) {
      const Element* e = set.FindElement(r.code);
      if (e && !e->measure.empty()) return e->measure;
    }
    return std::nullopt;
  };
  std::map<std::string, std::vector<std::string>> deps;
  for (const auto& ind : set.indicators) {
    PDH_TRY(sector_known(ind.sector, "indicator " + ind.code));
    auto expr = Expr::Parse(ind.Formula(), measure_of);
    if (!expr) {
      return Fail(Error::Invalid("expression.invalid",
                                 "indicator " + ind.code + ": " + expr.error().message));
    }
    for (const auto& r : expr->refs()) {
      bool known = true;
      switch (r.kind) {
        case RefKind::kElement: {
          const Element* e = set.FindElement(r.code);
          known = e != nullptr;
          if (e && !r.option.empty() &&
              std::find(e->options.begin(), e->options.end(), r.option) == e->options.end()) {
            return Fail(Invalid("indicator " + ind.code,
                                "element " + r.code + " has no option '" + r.option + "'"));
          }
          break;
        }
        case RefKind::kIndicator:
          known = set.FindIndicator(r.code) != nullptr;
          deps[ind.code].push_back(r.code);
          break;
        case RefKind::kConstant:
          known = std::any_of(set.constants.begin(), set.constants.end(),
                              [&](const Constant& c) { return c.code == r.code; });
          break;
        case RefKind::kUnitAttribute:
          break;
      }
      if (!known) {
        return Fail(Invalid("indicator " + ind.code,
                            "refers to '" + r.code + "', which the index set does not define"));
      }
    }
  }
  // A rate counts part of what its denominator counts: a numerator counting records the
  // denominator leaves out would pass 100% on ordinary data.
  for (const auto& ind : set.indicators) {
    const CountRate rate = CountRateOf(ind, set);
    if (!rate.numerator || rate.numerator->rule->dataset != rate.denominator->rule->dataset) {
      continue;
    }
    if (auto why = CountsOutside(*rate.numerator->rule, *rate.denominator->rule)) {
      return Fail(Error::Invalid(
          "index.rate_outside_denominator",
          "indicator " + ind.code + "." + std::string(rate.where) + ": " + rate.numerator->code +
              " may count records that " + rate.denominator->code +
              " does not, so the rate could pass 100%: " + *why +
              ". Give the numerator's rule every filter of the denominator's"));
    }
  }
  if (auto cycle = FindCycle(deps); !cycle.empty()) {
    std::string path;
    for (const auto& c : cycle) path += (path.empty() ? "" : " → ") + c;
    return Fail(Error::Invalid("index.cycle", "indicators depend on themselves: " + path));
  }
  return Ok();
}

std::vector<std::string> FindCycle(const std::map<std::string, std::vector<std::string>>& deps) {
  enum Mark { kNew, kActive, kDone };
  std::map<std::string, Mark> mark;
  std::vector<std::string> stack;
  std::vector<std::string> cycle;
  std::function<bool(const std::string&)> visit = [&](const std::string& n) {
    Mark& m = mark[n];
    if (m == kDone) return false;
    if (m == kActive) {
      auto from = std::find(stack.begin(), stack.end(), n);
      cycle.assign(from, stack.end());
      cycle.push_back(n);
      return true;
    }
    m = kActive;
    stack.push_back(n);
    if (auto it = deps.find(n); it != deps.end()) {
      for (const auto& d : it->second) {
        if (visit(d)) return true;
      }
    }
    stack.pop_back();
    mark[n] = kDone;
    return false;
  };
  for (const auto& [n, _] : deps) {
    if (visit(n)) return cycle;
  }
  return {};
}

Result<ExpressionInfo> CheckExpression(std::string_view text, const IndexSet& set) {
  MeasureOf measure_of = [&](const Ref& r) -> std::optional<std::string> {
    if (r.kind != RefKind::kElement) return std::nullopt;
    const Element* e = set.FindElement(r.code);
    if (!e || e->measure.empty()) return std::nullopt;
    return e->measure;
  };
  auto expr = Expr::Parse(text, measure_of);
  if (!expr) return Fail(expr.error());
  ExpressionInfo info;
  info.canonical = expr->ToString();
  info.measure = expr->measure();
  for (const auto& r : expr->refs()) {
    if (r.kind == RefKind::kElement) info.elements.push_back(r.code);
    if (r.kind == RefKind::kIndicator) info.indicators.push_back(r.code);
  }
  return info;
}

Result<IndexSet> LoadIndexSet(store::IndexStore& store) {
  auto rows = store.Objects();
  if (!rows) return Fail(rows.error());
  IndexSet set;
  for (const auto& r : *rows) {
    json::value v = json_util::Parse(r.definition);
    const std::string where = r.kind + " " + r.code;
    if (r.kind == "sector") {
      auto s = ParseSectorAt(v, where);
      if (!s) return Fail(s.error());
      set.sectors.push_back(std::move(*s));
    } else if (r.kind == "element") {
      auto e = ParseElementAt(v, where);
      if (!e) return Fail(e.error());
      set.elements.push_back(std::move(*e));
    } else if (r.kind == "indicator") {
      auto i = ParseIndicatorAt(v, where);
      if (!i) return Fail(i.error());
      set.indicators.push_back(std::move(*i));
    } else if (r.kind == "constant") {
      auto c = ParseConstantAt(v, where);
      if (!c) return Fail(c.error());
      set.constants.push_back(std::move(*c));
    }
  }
  return set;
}

Status SaveIndexSet(const Stores& stores, const IndexSet& changes, const std::string& by,
                    const std::string& at) {
  auto current = LoadIndexSet(stores.index);
  if (!current) return Fail(current.error());
  IndexSet merged = std::move(*current);
  auto upsert = [](auto& list, const auto& item) {
    for (auto& x : list) {
      if (x.code == item.code) {
        x = item;
        return;
      }
    }
    list.push_back(item);
  };
  for (const auto& s : changes.sectors) upsert(merged.sectors, s);
  for (const auto& e : changes.elements) upsert(merged.elements, e);
  for (const auto& i : changes.indicators) upsert(merged.indicators, i);
  for (const auto& c : changes.constants) upsert(merged.constants, c);
  PDH_TRY(Check(merged, stores.datasets));
  std::vector<store::IndexObjectRow> rows;
  auto add = [&](const char* kind, const std::string& code, const json::object& o) {
    rows.push_back({kind, code, json::serialize(o), at, by});
  };
  for (const auto& s : changes.sectors) add("sector", s.code, ToJson(s));
  for (const auto& e : changes.elements) add("element", e.code, ToJson(e));
  for (const auto& i : changes.indicators) add("indicator", i.code, ToJson(i));
  for (const auto& c : changes.constants) add("constant", c.code, ToJson(c));
  PDH_TRY(stores.index.PutObjects(rows, {}));
  // The engine rebuilds when the generation moves.
  auto gen = stores.settings.GetSetting(std::string(kGenerationSetting));
  if (!gen) return Fail(gen.error());
  int64_t next = (*gen ? std::stoll(**gen) : 0) + 1;
  return stores.settings.SetSetting(std::string(kGenerationSetting), std::to_string(next));
}

}  // namespace pdh::engine
