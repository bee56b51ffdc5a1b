// Reading a dataset's records back: as JSON by field, filtered, sorted and paged, and limited to
// the units the reader may see.
#include <boost/json.hpp>
#include <cmath>
#include <map>
#include <string>
#include <unordered_set>
#include <vector>

#include "core/text.h"
#include "ingest/ingest.h"

namespace pdh::ingest {

namespace json = boost::json;

json::object RecordJson(const Dataset& d, const std::vector<store::Cell>& cells) {
  json::object o;
  for (size_t i = 0; i < d.schema.fields.size() && i < cells.size(); ++i) {
    const Field& f = d.schema.fields[i];
    const store::Cell& c = cells[i];
    json::value v;
    if (const auto* n = std::get_if<int64_t>(&c)) {
      if (f.type == FieldType::kBoolean) {
        v = *n != 0;
      } else {
        v = *n;
      }
    } else if (const auto* x = std::get_if<double>(&c)) {
      // Whole numbers print as such (a fee of 50000, not 5E4).
      if (*x == std::floor(*x) && std::fabs(*x) < 9e15) {
        v = static_cast<int64_t>(*x);
      } else {
        v = *x;
      }
    } else if (const auto* s = std::get_if<std::string>(&c)) {
      v = json::string(*s);
    }
    o[f.name] = std::move(v);
  }
  const size_t n = d.schema.fields.size();
  if (cells.size() > n) {
    if (const auto* b = std::get_if<int64_t>(&cells[n])) o["_batch"] = *b;
  }
  return o;
}

Result<std::vector<store::HistoryRow>> RecordHistory(store::DatasetStore& store,
                                                     const std::string& code,
                                                     const std::string& key) {
  return store.History(code, key);
}

Result<RecordList> QueryRecords(store::DatasetStore& store, const units::Registry& registry,
                                const Dataset& d, const RecordFilter& f) {
  store::RecordQuery q;
  auto index = [&](const std::string& name) -> std::optional<size_t> {
    for (size_t i = 0; i < d.schema.fields.size(); ++i) {
      if (d.schema.fields[i].name == name) return i;
    }
    return std::nullopt;
  };
  auto bad = [&](const std::string& name) {
    return Fail(Error::BadRequest("dataset.invalid_filter",
                                  "'" + name + "' is not a field of dataset " + d.row.code));
  };
  for (const auto& [name, value] : f.equals) {
    auto i = index(name);
    if (!i) return bad(name);
    if (d.schema.fields[*i].type == FieldType::kBoolean) {
      const std::string folded = text::Fold(value);
      const bool yes = folded == "true" || folded == "1" || folded == "co";
      q.equals.emplace_back(*i, std::to_string(yes ? 1 : 0));
    } else {
      q.equals.emplace_back(*i, text::Nfc(value));
    }
  }
  q.after_batch = f.after_batch;
  for (const auto& [name, from, before] : f.ranges) {
    auto i = index(name);
    if (!i) return bad(name);
    q.ranges.emplace_back(*i, from, before);
  }
  if (!f.sort.empty()) {
    auto i = index(f.sort);
    if (!i) return bad(f.sort);
    q.sort_column = *i;
  }
  q.descending = f.descending;
  q.offset = f.offset;
  q.limit = f.limit;
  q.folded_text = text::Fold(f.text);
  std::optional<size_t> unit_field;
  for (size_t i = 0; i < d.schema.fields.size(); ++i) {
    if (d.schema.fields[i].unit) {
      unit_field = i;
      break;
    }
  }
  if (unit_field && (!f.unit.empty() || f.may_read)) {
    const Date today = Date::Today();
    std::vector<const units::Unit*> candidates;
    if (!f.unit.empty()) {
      const units::Unit* u = registry.Find(f.unit, today);
      if (u == nullptr) {
        return Fail(
            Error::BadRequest("dataset.invalid_filter", "no unit has code '" + f.unit + "'"));
      }
      candidates = registry.Descendants(*u, today);
      candidates.push_back(u);
    } else {
      for (const auto& u : registry.all()) {
        if (u.ValidOn(today)) candidates.push_back(&u);
      }
    }
    std::vector<std::string> codes;
    size_t refused = 0;
    for (const auto* u : candidates) {
      if (!f.may_read || f.may_read(*u)) {
        codes.push_back(u->code);
      } else {
        ++refused;
      }
    }
    if (!f.unit.empty() || refused > 0) {
      q.scope_column = unit_field;
      q.scope_units = std::move(codes);
    }
  } else if (!f.unit.empty()) {
    return Fail(Error::BadRequest("dataset.invalid_filter",
                                  "dataset " + d.row.code + " has no unit field to filter on"));
  }
  auto page = store.Records(d.table, q);
  if (!page) return Fail(page.error());
  RecordList out;
  out.total = page->total;
  std::map<int64_t, std::string> batch_times;  // a record's time is its batch's
  for (const auto& row : page->rows) {
    json::object o = RecordJson(d, row);
    if (const json::value* b = o.if_contains("_batch"); b != nullptr && b->is_int64()) {
      auto [it, added] = batch_times.try_emplace(b->as_int64());
      if (added) {
        auto batch = store.Batch(b->as_int64());
        if (!batch) return Fail(batch.error());
        if (*batch) it->second = (*batch)->created_at;
      }
      o["_updated_at"] = it->second;
    }
    out.items.push_back(std::move(o));
  }
  return out;
}

}  // namespace pdh::ingest
