// The catalog's values as names and JSON: enum names, entries to and from JSON (the stored
// snapshot format and the API's), field-by-field differences, and stored rows read back.
#include <boost/describe/class.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value_from.hpp>

#include <algorithm>
#include <array>
#include <utility>

#include "catalog/internal.h"
#include "core/json_util.h"
#include "core/text.h"

namespace pdh::catalog {

namespace {

namespace json = boost::json;
using json_util::Assign;

constexpr json_util::FieldReader kFields("catalog.invalid_field");

Result<std::vector<Link>> ReadLinks(const json::value& v) {
  if (v.is_null()) return std::vector<Link>();
  if (!v.is_array()) return Fail(kFields.Invalid("links", "must be a list of {kind, target}"));
  std::vector<Link> out;
  for (const auto& item : v.get_array()) {
    const auto* o = item.if_object();
    const auto* kind = o ? o->if_contains("kind") : nullptr;
    const auto* target = o ? o->if_contains("target") : nullptr;
    std::optional<LinkKind> k;
    if (kind && kind->is_string()) {
      k = kLinkKindNames.Parse(kind->get_string());
    }
    if (!k || !target || !target->is_string() || o->size() != 2) {
      return Fail(kFields.Invalid("links",
                                  "each link is {\"kind\": \"runs_on\" or "
                                  "\"exchanges_with\", \"target\": an entry code}"));
    }
    out.push_back({*k, std::string(target->get_string())});
  }
  return out;
}

const reg::FieldReaders<Entry>& Readers() {
  static const reg::FieldReaders<Entry> readers = {
      reg::EnumField<&Entry::kind, kKindNames>("kind"),
      reg::StringField<&Entry::code>("code"),
      reg::StringField<&Entry::name>("name"),
      reg::StringField<&Entry::sector>("sector"),
      reg::StringField<&Entry::owner>("owner"),
      reg::EnumField<&Entry::status, kStatusNames>("status"),
      // No consolidation is null, not its empty name.
      reg::WrittenAs(reg::EnumField<&Entry::consolidation, kConsolidationNames>("consolidation"),
                     [](const Entry& e) {
                       return e.consolidation == Consolidation::kNone
                                  ? json::value(nullptr)
                                  : json::value(kConsolidationNames.Name(e.consolidation));
                     }),
      reg::StringsField<&Entry::source_systems>("source_systems"),
      {"ioc_connected",
       [](Entry& e, const json::value& v) -> Status {
         if (!v.is_bool()) return Fail(kFields.Invalid("ioc_connected", "must be true or false"));
         e.ioc_connected = v.get_bool();
         return Ok();
       },
       [](const Entry& e) { return json::value(e.ioc_connected); }},
      reg::StringField<&Entry::hosting>("hosting"),
      reg::IntegerField<&Entry::record_count>("record_count"),
      reg::DateField<&Entry::last_data_update>("last_data_update"),
      reg::StringField<&Entry::contact>("contact"),
      reg::StringField<&Entry::legal_basis>("legal_basis"),
      reg::StringsField<&Entry::tags>("tags"),
      reg::DateField<&Entry::connected_at>("connected_at"),
      {"links", [](Entry& e, const json::value& v) { return Assign(e.links, ReadLinks(v)); },
       [](const Entry& e) {
         json::array links;
         for (const auto& l : e.links) {
           links.push_back(
               json::object{{"kind", kLinkKindNames.Name(l.kind)}, {"target", l.target}});
         }
         return json::value(std::move(links));
       }},
  };
  return readers;
}

std::string SearchText(const Entry& e) {
  std::string s = e.name + " " + e.code + " " + e.sector;
  for (const auto& t : e.tags) s += " " + t;
  return text::Fold(s);
}

std::string TagsColumn(const std::vector<std::string>& tags) {
  std::string s = "|";
  for (const auto& t : tags) s += text::Fold(t) + "|";
  return s;
}

}  // namespace

json::object ToJson(const Entry& e) {
  return reg::WriteFields(Readers(), e);
}

Result<Entry> EntryFromJson(const json::value& v) {
  const auto* o = v.if_object();
  if (!o) return Fail(Error::Invalid("catalog.invalid_field", "an entry must be a JSON object"));
  for (std::string_view required : {"kind", "code", "status"}) {
    if (!o->contains(required)) {
      return Fail(Error::Invalid("catalog.missing_field", std::string(required) + ": required"));
    }
  }
  Entry e;
  if (auto s = reg::ReadFields(*o, Readers(), kFields, e); !s) return Fail(s.error());
  return e;
}

json::object ToJson(const Record& r) {
  json::object o = ToJson(r.entry);
  o["version"] = r.version;
  o["effective"] = r.effective.ToString();
  if (!r.history.empty()) {
    json::array history;
    for (const auto& v : r.history) {
      json::object version = reg::VersionJson(v);
      version["changes"] = reg::ChangesJson(v.changes);
      history.push_back(std::move(version));
    }
    o["history"] = std::move(history);
  }
  return o;
}

// Counts are written as JSON field by field, under their names.
BOOST_DESCRIBE_STRUCT(Counts, (),
                      (platforms, platforms_in_use, databases, databases_planned,
                       databases_under_construction, databases_in_use, databases_merged,
                       databases_not_merged, databases_ioc_connected, national, national_connected))

namespace {

json::object CountsJson(const Counts& c) {
  return json::value_from(c).as_object();
}

json::array GroupsJson(const std::map<std::string, Counts>& groups, std::string_view key) {
  json::array a;
  for (const auto& [name, counts] : groups) {
    json::object o = CountsJson(counts);
    o[key] = name;
    a.push_back(std::move(o));
  }
  return a;
}

}  // namespace

json::object ToJson(const Summary& s) {
  return {{"as_of", s.as_of.ToString()},
          {"total", CountsJson(s.total)},
          {"by_sector", GroupsJson(s.by_sector, "sector")},
          {"by_owner", GroupsJson(s.by_owner, "owner")}};
}

namespace internal {

Entry Normalized(const Entry& in) {
  Entry e = in;
  for (std::string* s :
       {&e.code, &e.name, &e.sector, &e.owner, &e.hosting, &e.contact, &e.legal_basis}) {
    *s = reg::CollapseText(*s);
  }
  e.source_systems = reg::CleanList(e.source_systems);
  e.tags = reg::CleanList(e.tags);
  for (auto& l : e.links) l.target = reg::CollapseText(l.target);
  // Links grouped by kind, as the import's columns rebuild them.
  std::stable_sort(e.links.begin(), e.links.end(),
                   [](const Link& a, const Link& b) { return a.kind < b.kind; });
  return e;
}

store::CatalogWrite MakeWrite(const Entry& entry, const Current* current, Date effective,
                              const std::string& recorded_at, const Change& change) {
  const json::object before = current ? ToJson(current->entry) : json::object();
  const reg::NewVersion v =
      reg::MakeVersion(current ? &before : nullptr, ToJson(entry), current ? current->version : 0);
  store::CatalogWrite w;
  w.entry = {entry.code,
             std::string(kKindNames.Name(entry.kind)),
             std::string(kStatusNames.Name(entry.status)),
             entry.sector,
             entry.owner,
             SearchText(entry),
             TagsColumn(entry.tags),
             v.number,
             effective.ToString(),
             v.snapshot};
  w.version = {entry.code,   v.number,      effective.ToString(), recorded_at,
               change.actor, change.reason, v.snapshot,           v.changes};
  for (const auto& l : entry.links) {
    w.links.push_back({entry.code, std::string(kLinkKindNames.Name(l.kind)), l.target});
  }
  return w;
}

Result<Current> FromRow(const store::CatalogEntryRow& row) {
  auto entry = EntryFromJson(json_util::Parse(row.snapshot));
  auto effective = Date::Parse(row.effective_date);
  if (!entry || !effective) return Fail(kCodes.Corrupt("entry '" + row.code + "'"));
  return Current{std::move(*entry), row.version, *effective};
}

Result<Version> FromRow(const store::CatalogVersionRow& row) {
  auto v = reg::ReadVersion(kCodes, row, &EntryFromJson);
  if (!v) return Fail(v.error());
  return Version{row.number, v->effective,          row.recorded_at,     row.actor,
                 row.reason, std::move(v->changes), std::move(v->record)};
}

}  // namespace internal
}  // namespace pdh::catalog
