// Federation: the values one hub sends another (a national or regional hub, a neighbouring
// province), keyed by official unit and indicator codes, kept idempotently by the receiver.
#include <boost/json.hpp>

#include "core/json_util.h"
#include "share/share.h"

namespace pdh::share {
namespace json = boost::json;
namespace {

constexpr size_t kMaxValues = 50000;

Error InvalidFederation(const std::string& what) {
  return Error::Invalid("share.invalid_federation", what);
}

std::string Member(const json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

}  // namespace

ingest::Dataset IndicatorSetDataset() {
  ingest::Dataset d;
  d.row.code = kIndicatorSet;
  d.row.title = "Bộ chỉ số";
  return d;
}

Result<FederationTarget> ParseFederationTarget(const json::value& v) {
  if (!v.is_object()) return Fail(InvalidFederation("the target is a JSON object"));
  const json::object& o = v.as_object();
  for (const auto& [key, value] : o) {
    if (key != "url" && key != "token" && key != "indicators" && key != "every_minutes") {
      return Fail(InvalidFederation("unknown key '" + std::string(key) + "'"));
    }
  }
  FederationTarget t;
  t.url = Member(o, "url");
  while (t.url.ends_with('/')) t.url.pop_back();
  if (!t.url.starts_with("http://") && !t.url.starts_with("https://")) {
    return Fail(InvalidFederation("url is the other hub's http:// or https:// address"));
  }
  t.token = Member(o, "token");
  if (t.token.empty()) {
    return Fail(InvalidFederation("token is the other hub's token for this hub's system"));
  }
  if (const auto* list = o.if_contains("indicators"); list != nullptr && !list->is_null()) {
    if (!list->is_array()) return Fail(InvalidFederation("indicators is a list of codes"));
    for (const auto& x : list->as_array()) {
      if (!x.is_string()) return Fail(InvalidFederation("indicators is a list of codes"));
      t.indicators.emplace_back(x.as_string());
    }
  }
  if (const auto* every = o.if_contains("every_minutes"); every != nullptr && !every->is_null()) {
    if (!every->is_int64() || every->as_int64() < 0) {
      return Fail(InvalidFederation("every_minutes is a whole number of minutes (0: on demand)"));
    }
    t.every_minutes = every->as_int64();
  }
  return t;
}

json::object ToJson(const FederationTarget& t) {
  return {{"url", t.url},
          {"token_set", !t.token.empty()},
          {"indicators", json_util::Strings(t.indicators)},
          {"every_minutes", t.every_minutes}};
}

std::string FederationBody(const std::string& source, const std::string& sent_at,
                           const std::vector<FederatedValue>& values) {
  json::array items;
  items.reserve(values.size());
  for (const auto& v : values) {
    items.push_back(json::object{{"indicator", v.indicator},
                                 {"indicator_name", v.indicator_name},
                                 {"unit", v.unit},
                                 {"unit_name", v.unit_name},
                                 {"period", v.period},
                                 {"value", v.value ? json::value(*v.value) : json::value()}});
  }
  return json::serialize(
      json::object{{"source", source}, {"sent_at", sent_at}, {"values", std::move(items)}});
}

Result<std::vector<store::FederatedValueRow>> ReadFederationBody(const json::value& body,
                                                                 const std::string& client,
                                                                 const std::string& received_at) {
  const auto* o = body.if_object();
  const auto* values = o == nullptr ? nullptr : o->if_contains("values");
  if (values == nullptr || !values->is_array()) {
    return Fail(InvalidFederation("the body is {\"source\", \"sent_at\", \"values\": [...]}"));
  }
  const auto& list = values->as_array();
  if (list.size() > kMaxValues) {
    return Fail(InvalidFederation("at most 50.000 values in one body; send them in parts"));
  }
  const std::string sent_at = Member(*o, "sent_at");
  std::vector<store::FederatedValueRow> out;
  out.reserve(list.size());
  for (size_t i = 0; i < list.size(); ++i) {
    const auto* v = list[i].if_object();
    const std::string where = "values[" + std::to_string(i) + "]";
    if (v == nullptr) return Fail(InvalidFederation(where + " is not an object"));
    store::FederatedValueRow r;
    r.source = client;
    r.indicator = Member(*v, "indicator");
    r.unit = Member(*v, "unit");
    r.period = Member(*v, "period");
    if (r.indicator.empty() || r.unit.empty() || r.period.empty()) {
      return Fail(InvalidFederation(where + " needs indicator, unit and period"));
    }
    const auto* x = v->if_contains("value");
    if (x == nullptr || x->is_null()) {
      r.value = std::nullopt;
    } else if (x->is_number()) {
      r.value = x->to_number<double>();
    } else {
      return Fail(InvalidFederation(where + ".value is a number or null"));
    }
    r.indicator_name = Member(*v, "indicator_name");
    r.unit_name = Member(*v, "unit_name");
    r.sent_at = sent_at;
    r.received_at = received_at;
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace pdh::share
