// The hub's consolidation projects over the store: definitions and their versions, runs, the
// review queue, clusters and golden records, and the commit into the consolidated dataset.
#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

#include <boost/json.hpp>

#include "core/json_util.h"
#include "core/text.h"
#include "ingest/ingest.h"
#include "link/link.h"
#include "store/datasets.h"
#include "store/link.h"
#include "units/units.h"

namespace pdh::link {
namespace json = boost::json;

struct Hub::Loaded {
  Project project;
  store::LinkProjectRow row;
  int64_t last_batch = 0;
  std::vector<MappedRecord> records;
  std::unordered_map<std::string, size_t> by_key;

  const MappedRecord* Find(const std::string& key) const {
    auto it = by_key.find(key);
    return it == by_key.end() ? nullptr : &records[it->second];
  }
};

namespace {

std::string HubCellText(const store::Cell& c) {
  if (const auto* s = std::get_if<std::string>(&c)) return *s;
  if (const auto* i = std::get_if<int64_t>(&c)) return std::to_string(*i);
  if (const auto* d = std::get_if<double>(&c)) {
    std::string s = json_util::Serialize(json::value(*d));
    return s;
  }
  return {};
}

Error HubNotFound(const std::string& what) {
  return Error::NotFound(std::string(kProjectNotFound), what);
}

Error NoCluster(const std::string& id, const std::string& code) {
  std::string m = "no cluster '";
  m.append(id).append("' in '").append(code).append("'");
  return HubNotFound(m);
}

std::string NotInCluster(const std::string& record, const std::string& id) {
  std::string m = "the record '";
  m.append(record).append("' is not in the cluster '").append(id).append("'");
  return m;
}

json::object RecordValues(const Project& p, const MappedRecord& r) {
  json::object values;
  for (size_t f = 0; f < p.fields.size(); ++f) values[p.fields[f].name] = r.values[f];
  return values;
}

json::object MemberJson(const Project& p, const MappedRecord& r) {
  return {{"key", r.key},
          {"source", p.sources[r.source].dataset.empty() ? p.sources[r.source].label
                                                         : p.sources[r.source].dataset},
          {"label", p.sources[r.source].label},
          {"values", RecordValues(p, r)}};
}

// The links between records: pairs linked by the model or a person, less those a person
// rejected.
std::vector<std::pair<std::string, std::string>> Links(
    const std::vector<store::LinkPairRow>& pairs) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& p : pairs) {
    if (p.status == "auto" || p.status == "accepted") out.emplace_back(p.key_a, p.key_b);
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> MemberPairs(
    const std::vector<store::LinkMemberRow>& rows) {
  std::vector<std::pair<std::string, std::string>> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.emplace_back(r.record, r.cluster);
  return out;
}

// The member rows that differ from `before`.
std::vector<store::LinkMemberRow> Changed(
    const std::vector<std::pair<std::string, std::string>>& after,
    const std::vector<store::LinkMemberRow>& before) {
  std::unordered_map<std::string, const std::string*> old;
  for (const auto& m : before) old.emplace(m.record, &m.cluster);
  std::vector<store::LinkMemberRow> out;
  for (const auto& [record, cluster] : after) {
    auto it = old.find(record);
    if (it == old.end() || *it->second != cluster) out.push_back({record, cluster});
  }
  return out;
}

json::object PairJson(const Project& p, const store::LinkPairRow& row,
                      const std::function<const MappedRecord*(const std::string&)>& find,
                      const std::unordered_map<std::string, std::string>& cluster_of) {
  json::object o{
      {"id", row.id},         {"probability", row.probability}, {"weight", row.weight},
      {"status", row.status}, {"decided_by", row.decided_by},   {"decided_at", row.decided_at}};
  auto side = [&](const std::string& key) -> json::value {
    const MappedRecord* r = find(key);
    if (r == nullptr) return json::object{{"key", key}, {"values", json::object{}}};
    return MemberJson(p, *r);
  };
  o["a"] = side(row.key_a);
  o["b"] = side(row.key_b);
  auto cluster = [&](const std::string& key) -> json::value {
    auto it = cluster_of.find(key);
    return it == cluster_of.end() ? json::value(nullptr) : json::value(it->second);
  };
  o["cluster_a"] = cluster(row.key_a);
  o["cluster_b"] = cluster(row.key_b);
  json::array parts;
  double prior = 0;
  if (!row.explanation.empty()) {
    auto e = json_util::Parse(row.explanation);
    if (e.is_object()) {
      if (const auto* ps = e.as_object().if_contains("parts"); ps && ps->is_array()) {
        parts = ps->as_array();
      }
      if (const auto* pb = e.as_object().if_contains("prior_bits"); pb && pb->is_number()) {
        prior = pb->to_number<double>();
      }
    }
  }
  o["parts"] = std::move(parts);
  o["prior_bits"] = prior;
  return o;
}

std::unordered_map<std::string, std::string> ClusterIndex(
    const std::vector<store::LinkMemberRow>& members) {
  std::unordered_map<std::string, std::string> out;
  out.reserve(members.size());
  for (const auto& m : members) out.emplace(m.record, m.cluster);
  return out;
}

// The records of each cluster, by cluster id.
std::map<std::string, std::vector<const MappedRecord*>> GroupByCluster(
    const std::vector<store::LinkMemberRow>& members,
    const std::function<const MappedRecord*(const std::string&)>& find) {
  std::map<std::string, std::vector<const MappedRecord*>> clusters;
  for (const auto& m : members) {
    if (const auto* r = find(m.record)) clusters[m.cluster].push_back(r);
  }
  return clusters;
}

// The fields of cluster `id` chosen by hand: (field, record key).
std::vector<std::pair<std::string, std::string>> ChosenFor(
    const std::vector<store::LinkChoiceRow>& choices, const std::string& id) {
  std::vector<std::pair<std::string, std::string>> chosen;
  for (const auto& c : choices) {
    if (c.cluster == id) chosen.emplace_back(c.field, c.record);
  }
  return chosen;
}

}  // namespace

// --- Projects ---------------------------------------------------------------------------------

Result<Project> Hub::LoadProject(const std::string& code, store::LinkProjectRow* row) {
  auto found = links_.Project(code);
  if (!found) return Fail(found.error());
  if (!*found) return Fail(HubNotFound("no consolidation project '" + code + "'"));
  auto parsed = ParseProject(json_util::Parse((*found)->definition));
  if (!parsed) return Fail(parsed.error());
  if (row != nullptr) *row = **found;
  return parsed;
}

Result<std::vector<SourceTable>> Hub::ReadSources(const Project& p) {
  std::vector<SourceTable> tables;
  for (size_t s = 0; s < p.sources.size(); ++s) {
    const auto& source = p.sources[s];
    if (source.dataset.empty()) {
      return Fail(Error::Invalid(std::string(kInvalidProject),
                                 "sources[" + std::to_string(s) +
                                     "]: a project in the hub reads datasets: name the dataset "
                                     "the file was ingested into"));
    }
    auto d = ingest::LoadDataset(datasets_, source.dataset);
    if (!d) return Fail(d.error());
    SourceTable t;
    for (const auto& c : d->table.columns) t.header.push_back(c.name);
    auto read = datasets_.ForEachRecordSince(
        d->table, 0, [&](const std::vector<store::Cell>& cells, int64_t batch) -> Status {
          std::vector<std::string> row;
          row.reserve(cells.size());
          for (const auto& c : cells) row.push_back(HubCellText(c));
          t.rows.push_back(std::move(row));
          t.batches.push_back(batch);
          return Ok();
        });
    if (!read) return Fail(read.error());
    tables.push_back(std::move(t));
  }
  return tables;
}

Result<std::shared_ptr<const Hub::Loaded>> Hub::Load(const std::string& code) {
  store::LinkProjectRow row;
  auto project = LoadProject(code, &row);
  if (!project) return Fail(project.error());
  auto last = datasets_.LastCommittedBatch();
  if (!last) return Fail(last.error());
  {
    std::lock_guard lock(mu_);
    auto it = cache_.find(code);
    if (it != cache_.end() && it->second->row.version == row.version &&
        it->second->last_batch == *last) {
      return it->second;
    }
  }
  auto tables = ReadSources(*project);
  if (!tables) return Fail(tables.error());
  auto registry = registry_();
  auto records = MapSources(*project, *tables, registry.get());
  if (!records) return Fail(records.error());
  auto loaded = std::make_shared<Loaded>();
  loaded->project = std::move(*project);
  loaded->row = std::move(row);
  loaded->last_batch = *last;
  loaded->records = std::move(*records);
  for (size_t i = 0; i < loaded->records.size(); ++i) {
    loaded->by_key.emplace(loaded->records[i].key, i);
  }
  std::lock_guard lock(mu_);
  cache_[code] = loaded;
  return std::shared_ptr<const Loaded>(std::move(loaded));
}

Result<json::object> Hub::List() {
  auto rows = links_.Projects();
  if (!rows) return Fail(rows.error());
  json::array items;
  for (const auto& row : *rows) {
    auto got = Get(row.code);
    if (!got) return Fail(got.error());
    got->erase("definition");
    got->erase("versions");
    items.push_back(std::move(*got));
  }
  return json::object{{"items", std::move(items)}};
}

Result<json::object> Hub::Create(const json::value& definition, const std::string& by,
                                 const std::string& at) {
  auto p = ParseProject(definition);
  if (!p) return Fail(p.error());
  auto tables = ReadSources(*p);
  if (!tables) return Fail(tables.error());
  for (size_t s = 0; s < tables->size(); ++s) {
    if (auto m = Mapper::Create(*p, s, (*tables)[s].header, nullptr); !m) return Fail(m.error());
  }
  const std::string text = json_util::Serialize(ToJson(*p));
  if (auto s = links_.CreateProject({p->code, p->title, 1, text, at, at, "", 0},
                                    {p->code, 1, text, at, by, "created"});
      !s) {
    return Fail(s.error());
  }
  return Get(p->code);
}

Result<json::object> Hub::Update(const std::string& code, const json::value& definition,
                                 const std::string& note, std::optional<int64_t> expected,
                                 const std::string& by, const std::string& at) {
  store::LinkProjectRow row;
  if (auto old = LoadProject(code, &row); !old) return Fail(old.error());
  auto p = ParseProject(definition);
  if (!p) return Fail(p.error());
  if (p->code != code) {
    return Fail(Error::Invalid(std::string(kInvalidProject),
                               "code: a project's code does not change ('" + code + "')"));
  }
  auto tables = ReadSources(*p);
  if (!tables) return Fail(tables.error());
  for (size_t s = 0; s < tables->size(); ++s) {
    if (auto m = Mapper::Create(*p, s, (*tables)[s].header, nullptr); !m) return Fail(m.error());
  }
  const std::string text = json_util::Serialize(ToJson(*p));
  if (auto s = links_.UpdateProject({code, row.version + 1, text, at, by, note}, p->title,
                                    expected.value_or(row.version));
      !s) {
    return Fail(s.error());
  }
  return Get(code);
}

Result<json::object> Hub::Get(const std::string& code) {
  store::LinkProjectRow row;
  auto p = LoadProject(code, &row);
  if (!p) return Fail(p.error());
  auto versions = links_.Versions(code);
  if (!versions) return Fail(versions.error());
  auto run = links_.LastRun(code);
  if (!run) return Fail(run.error());
  json::object queue;
  for (const char* status : {"pending", "accepted", "rejected", "skipped"}) {
    auto n = links_.CountPairs(code, status);
    if (!n) return Fail(n.error());
    queue[status] = *n;
  }
  std::string status = "draft";
  if (!row.committed_at.empty()) {
    status = "committed";
  } else if (*run) {
    status = queue["pending"].as_int64() > 0 ? "review" : "ready";
  }
  json::array history;
  for (const auto& v : *versions) {
    history.push_back({{"version", v.version}, {"at", v.at}, {"by", v.by}, {"note", v.note}});
  }
  json::array sources;
  for (const auto& s : p->sources) sources.push_back(json::string(s.dataset));
  json::value last = nullptr;
  if (*run) {
    last = json::object{{"id", (*run)->id},
                        {"at", (*run)->at},
                        {"by", (*run)->by},
                        {"incremental", (*run)->incremental},
                        {"version", (*run)->version}};
  }
  return json::object{{"code", row.code},
                      {"title", row.title},
                      {"version", row.version},
                      {"status", status},
                      {"catalog_entry", p->catalog_entry},
                      {"target", p->target},
                      {"sources", std::move(sources)},
                      {"updated_at", row.updated_at},
                      {"committed_at", row.committed_at.empty() ? json::value(nullptr)
                                                                : json::value(row.committed_at)},
                      {"last_run", std::move(last)},
                      {"queue", std::move(queue)},
                      {"definition", ToJson(*p)},
                      {"versions", std::move(history)}};
}

namespace {

json::object PreviewJson(const Project& p, const std::vector<SourceTable>& tables,
                         const units::Registry* registry, size_t limit) {
  json::array fields;
  for (const auto& f : p.fields) {
    fields.push_back({{"name", f.name}, {"title", f.title}, {"kind", KindName(f.kind)}});
  }
  json::array sources;
  for (size_t s = 0; s < tables.size(); ++s) {
    // Checked by the caller.
    auto mapper = Mapper::Create(p, s, tables[s].header, registry);
    json::array rows;
    for (size_t r = 0; r < tables[s].rows.size() && r < limit && mapper; ++r) {
      const auto& row = tables[s].rows[r];
      json::object original;
      for (size_t c = 0; c < tables[s].header.size() && c < row.size(); ++c) {
        original[tables[s].header[c]] = row[c];
      }
      MappedRecord m = mapper->Map(row, 0);
      json::array problems;
      for (const auto& pr : m.problems) {
        problems.push_back({{"field", pr.field}, {"code", pr.code}, {"message", pr.message}});
      }
      rows.push_back({{"key", m.key},
                      {"original", std::move(original)},
                      {"mapped", RecordValues(p, m)},
                      {"problems", std::move(problems)}});
    }
    sources.push_back({{"dataset", p.sources[s].dataset},
                       {"label", p.sources[s].label},
                       {"columns", json_util::Strings(tables[s].header)},
                       {"records", static_cast<int64_t>(tables[s].rows.size())},
                       {"rows", std::move(rows)}});
  }
  return {{"fields", std::move(fields)}, {"sources", std::move(sources)}};
}

}  // namespace

Result<json::object> Hub::Preview(const json::value& definition, size_t limit) {
  auto p = ParseProject(definition);
  if (!p) return Fail(p.error());
  auto tables = ReadSources(*p);
  if (!tables) return Fail(tables.error());
  auto registry = registry_();
  for (size_t s = 0; s < tables->size(); ++s) {
    if (auto m = Mapper::Create(*p, s, (*tables)[s].header, registry.get()); !m) {
      return Fail(m.error());
    }
  }
  return PreviewJson(*p, *tables, registry.get(), limit);
}

Result<json::object> Hub::PreviewProject(const std::string& code, size_t limit) {
  auto p = LoadProject(code);
  if (!p) return Fail(p.error());
  return Preview(ToJson(*p), limit);
}

// --- Runs -------------------------------------------------------------------------------------

Result<json::object> Hub::Run(const std::string& code, bool incremental, const std::string& by,
                              const std::string& at) {
  auto loaded = Load(code);
  if (!loaded) return Fail(loaded.error());
  const Loaded& l = **loaded;
  const Project& p = l.project;
  auto previous_run = links_.LastRun(code);
  if (!previous_run) return Fail(previous_run.error());
  auto stored = links_.Pairs(code, "", 0, 0);
  if (!stored) return Fail(stored.error());
  std::vector<Label> labels;
  for (const auto& pair : *stored) {
    if (pair.status == "accepted" || pair.status == "rejected") {
      labels.push_back({pair.key_a, pair.key_b, pair.status == "accepted"});
    }
  }
  std::optional<Model> fixed;
  std::vector<std::string> fresh;
  const bool can_increment =
      incremental && *previous_run && (*previous_run)->version == l.row.version;
  if (can_increment) {
    auto model = ModelFromJson(json_util::Parse((*previous_run)->model));
    if (!model) return Fail(model.error());
    fixed = std::move(*model);
    for (const auto& r : l.records) {
      if (r.batch > (*previous_run)->last_batch) fresh.push_back(r.key);
    }
  }
  ProjectRun run;
  if (!can_increment || !fresh.empty()) {
    auto registry = registry_();
    auto linked = LinkRecords(p, l.records, registry.get(), labels, fixed, fresh);
    if (!linked) return Fail(linked.error());
    run = std::move(*linked);
  } else {
    run.model = *fixed;
    run.report = {{"pairs_blocked", 0}, {"pairs_scored", 0}};
  }

  // The pairs as they will stand: the stored ones, then this run's scores over them.
  std::map<std::pair<std::string, std::string>, store::LinkPairRow> next;
  for (const auto& pair : *stored) {
    const bool decided = pair.status == "accepted" || pair.status == "rejected";
    if (can_increment || decided || pair.run == 0) next[{pair.key_a, pair.key_b}] = pair;
  }
  std::vector<store::LinkPairRow> scored;
  for (size_t i = 0; i < run.keys.size(); ++i) {
    store::LinkPairRow row;
    row.project = code;
    row.key_a = run.keys[i].first;
    row.key_b = run.keys[i].second;
    row.probability = run.probability[i];
    row.weight = run.weight[i];
    row.status = run.probability[i] >= p.threshold ? "auto" : "pending";
    row.explanation = run.explanation[i];
    auto& slot = next[run.keys[i]];
    const bool decided = slot.status == "accepted" || slot.status == "rejected";
    if (decided) {
      slot.probability = row.probability;
    } else {
      slot = row;
    }
    scored.push_back(std::move(row));
  }
  std::vector<store::LinkPairRow> all;
  all.reserve(next.size());
  for (auto& [k, v] : next) all.push_back(std::move(v));

  std::vector<std::string> keys;
  keys.reserve(l.records.size());
  for (const auto& r : l.records) keys.push_back(r.key);
  auto members = links_.Members(code);
  if (!members) return Fail(members.error());
  auto clusters = AssignClusters(keys, Links(all), MemberPairs(*members));
  std::vector<store::LinkMemberRow> member_rows;
  member_rows.reserve(clusters.size());
  for (auto& [record, cluster] : clusters) member_rows.push_back({record, cluster});

  json::object report = std::move(run.report);
  report["incremental"] = can_increment;
  report["new_records"] = static_cast<int64_t>(fresh.size());
  store::LinkRunRow row{0,
                        code,
                        l.row.version,
                        at,
                        by,
                        can_increment,
                        l.last_batch,
                        json_util::Serialize(ToJson(run.model)),
                        json_util::Serialize(report)};
  if (auto id = links_.SaveRun(row, scored, member_rows); !id) return Fail(id.error());
  return Report(code);
}

Result<json::object> Hub::Report(const std::string& code) {
  auto loaded = Load(code);
  if (!loaded) return Fail(loaded.error());
  const Loaded& l = **loaded;
  const Project& p = l.project;
  auto run = links_.LastRun(code);
  if (!run) return Fail(run.error());
  if (!*run) {
    return Fail(Error::Conflict("link.not_run", "the project '" + code +
                                                    "' has not run yet: run it first "
                                                    "(POST .../runs or `pdh link run`)"));
  }
  json::value stored = json_util::Parse((*run)->report);
  json::object report = stored.is_object() ? stored.as_object() : json::object{};
  report["run"] = {{"id", (*run)->id},
                   {"at", (*run)->at},
                   {"by", (*run)->by},
                   {"incremental", (*run)->incremental},
                   {"version", (*run)->version}};
  report["threshold"] = p.threshold;
  report["review_from"] = p.review_from;

  auto members = links_.Members(code);
  if (!members) return Fail(members.error());
  const auto clusters = GroupByCluster(*members, [&](const std::string& k) { return l.Find(k); });
  std::vector<int64_t> per_source(p.sources.size(), 0);
  std::vector<int64_t> within(p.sources.size(), 0);
  int64_t multi = 0;
  int64_t across = 0;
  for (const auto& r : l.records) ++per_source[r.source];
  for (const auto& [id, rs] : clusters) {
    if (rs.size() < 2) continue;
    ++multi;
    std::vector<int64_t> n(p.sources.size(), 0);
    for (const auto* r : rs) ++n[r->source];
    int spanned = 0;
    for (size_t s = 0; s < n.size(); ++s) {
      if (n[s] > 0) ++spanned;
      if (n[s] > 1) within[s] += n[s] - 1;
    }
    if (spanned > 1) ++across;
  }
  json::array by_source;
  for (size_t s = 0; s < p.sources.size(); ++s) {
    by_source.push_back({{"dataset", p.sources[s].dataset},
                         {"label", p.sources[s].label},
                         {"records", per_source[s]},
                         {"duplicates_within", within[s]}});
  }
  report["records"] = {{"total", static_cast<int64_t>(l.records.size())},
                       {"by_source", std::move(by_source)}};
  report["clusters"] = {
      {"total", static_cast<int64_t>(clusters.size())}, {"multi", multi}, {"across", across}};
  json::object pairs{
      {"blocked", report.contains("pairs_blocked") ? report["pairs_blocked"] : json::value(0)}};
  for (const char* status : {"auto", "pending", "accepted", "rejected", "skipped"}) {
    auto n = links_.CountPairs(code, status);
    if (!n) return Fail(n.error());
    pairs[status] = *n;
  }
  pairs["above_threshold"] = pairs["auto"];
  pairs["queued"] = pairs["pending"].as_int64() + pairs["accepted"].as_int64() +
                    pairs["rejected"].as_int64() + pairs["skipped"].as_int64();
  report["pairs"] = std::move(pairs);
  return report;
}

// --- The review queue ----------------------------------------------------------------------

Result<json::object> Hub::Queue(const std::string& code, const std::string& status,
                                int64_t after_id, int64_t limit) {
  static const std::set<std::string> kStatuses = {"",         "pending", "accepted",
                                                  "rejected", "skipped", "auto"};
  if (!kStatuses.contains(status)) {
    return Fail(Error::BadRequest("link.invalid_status",
                                  "status must be pending, accepted, rejected, skipped or auto"));
  }
  auto loaded = Load(code);
  if (!loaded) return Fail(loaded.error());
  const Loaded& l = **loaded;
  auto rows = links_.Pairs(code, status, after_id, limit + 1);
  if (!rows) return Fail(rows.error());
  auto total = links_.CountPairs(code, status);
  if (!total) return Fail(total.error());
  auto members = links_.Members(code);
  if (!members) return Fail(members.error());
  const auto cluster_of = ClusterIndex(*members);
  json::array items;
  json::value next = nullptr;
  for (size_t i = 0; i < rows->size(); ++i) {
    if (static_cast<int64_t>(i) == limit) {
      next = std::to_string((*rows)[i - 1].id);
      break;
    }
    items.push_back(PairJson(
        l.project, (*rows)[i], [&](const std::string& k) { return l.Find(k); }, cluster_of));
  }
  return json::object{{"items", std::move(items)}, {"total", *total}, {"next_cursor", next}};
}

Result<json::object> Hub::Pair(const std::string& code, int64_t id) {
  auto loaded = Load(code);
  if (!loaded) return Fail(loaded.error());
  auto row = links_.Pair(code, id);
  if (!row) return Fail(row.error());
  if (!*row) return Fail(HubNotFound("no pair " + std::to_string(id) + " in '" + code + "'"));
  auto members = links_.Members(code);
  if (!members) return Fail(members.error());
  const Loaded& l = **loaded;
  return PairJson(
      l.project, **row, [&](const std::string& k) { return l.Find(k); }, ClusterIndex(*members));
}

namespace {

// Recomputes the clusters after `changes` to the pairs and stores both; returns the cluster
// of `record` and its members.
Result<std::pair<std::string, std::vector<std::string>>> Recluster(
    store::LinkStore& links, const std::string& code, const std::vector<std::string>& keys,
    const std::vector<store::LinkPairRow>& changes, const std::set<std::string>& fresh_ids,
    const std::string& record) {
  auto stored = links.Pairs(code, "", 0, 0);
  if (!stored) return Fail(stored.error());
  std::map<std::pair<std::string, std::string>, store::LinkPairRow> all;
  for (auto& p : *stored) all[{p.key_a, p.key_b}] = std::move(p);
  for (const auto& c : changes) all[{c.key_a, c.key_b}] = c;
  std::vector<store::LinkPairRow> flat;
  flat.reserve(all.size());
  for (auto& [k, v] : all) flat.push_back(std::move(v));
  auto members = links.Members(code);
  if (!members) return Fail(members.error());
  auto previous = MemberPairs(*members);
  // Records split off take a new id.
  std::erase_if(previous, [&](const auto& m) { return fresh_ids.contains(m.first); });
  auto clusters = AssignClusters(keys, Links(flat), previous);
  auto changed = Changed(clusters, *members);
  if (auto s = links.Decide(code, changes, changed); !s) return Fail(s.error());
  std::string cluster;
  for (const auto& [r, c] : clusters) {
    if (r == record) cluster = c;
  }
  std::vector<std::string> in;
  for (const auto& [r, c] : clusters) {
    if (c == cluster) in.push_back(r);
  }
  return std::make_pair(cluster, in);
}

std::vector<std::string> Keys(const std::vector<MappedRecord>& records) {
  std::vector<std::string> keys;
  keys.reserve(records.size());
  for (const auto& r : records) keys.push_back(r.key);
  return keys;
}

}  // namespace

Result<json::object> Hub::Decide(const std::string& code, int64_t id, const std::string& decision,
                                 const std::string& by, const std::string& at) {
  std::string status;
  if (decision == "accept") {
    status = "accepted";
  } else if (decision == "reject") {
    status = "rejected";
  } else if (decision == "skip") {
    status = "skipped";
  } else {
    return Fail(Error::Invalid("link.invalid_decision",
                               "decision must be accept, reject or skip, not '" + decision + "'"));
  }
  auto loaded = Load(code);
  if (!loaded) return Fail(loaded.error());
  auto row = links_.Pair(code, id);
  if (!row) return Fail(row.error());
  if (!*row) return Fail(HubNotFound("no pair " + std::to_string(id) + " in '" + code + "'"));
  store::LinkPairRow pair = **row;
  pair.status = status;
  pair.decided_by = by;
  pair.decided_at = at;
  auto result = Recluster(links_, code, Keys((*loaded)->records), {pair}, {}, pair.key_a);
  if (!result) return Fail(result.error());
  auto answer = Pair(code, id);
  if (!answer) return Fail(answer.error());
  return json::object{{"pair", std::move(*answer)},
                      {"cluster", result->first},
                      {"members", json_util::Strings(result->second)}};
}

// --- Clusters and golden records -------------------------------------------------------------

namespace {

json::object ClusterJson(const Project& p, const std::string& id,
                         const std::vector<const MappedRecord*>& rs,
                         const std::vector<std::pair<std::string, std::string>>& chosen) {
  json::object golden;
  const auto values = Survive(p, rs, chosen);
  for (size_t f = 0; f < p.fields.size(); ++f) {
    golden[p.fields[f].name] = {
        {"value", values[f].value}, {"record", values[f].record}, {"rule", values[f].rule}};
  }
  json::array members;
  std::set<std::string> sources;
  for (const auto* r : rs) {
    members.push_back(MemberJson(p, *r));
    sources.insert(p.sources[r->source].dataset.empty() ? p.sources[r->source].label
                                                        : p.sources[r->source].dataset);
  }
  json::array source_list;
  for (const auto& s : sources) source_list.push_back(json::string(s));
  return {{"id", id},
          {"size", static_cast<int64_t>(rs.size())},
          {"sources", std::move(source_list)},
          {"golden", std::move(golden)},
          {"members", std::move(members)}};
}

}  // namespace

Result<json::object> Hub::Clusters(const std::string& code, const std::string& q, bool multi_only,
                                   const std::string& after, int64_t limit) {
  auto loaded = Load(code);
  if (!loaded) return Fail(loaded.error());
  const Loaded& l = **loaded;
  auto members = links_.Members(code);
  if (!members) return Fail(members.error());
  auto choices = links_.Choices(code);
  if (!choices) return Fail(choices.error());
  const auto clusters = GroupByCluster(*members, [&](const std::string& k) { return l.Find(k); });
  const std::string needle = text::Fold(q);
  json::array items;
  int64_t total = 0;
  json::value next = nullptr;
  for (const auto& [id, rs] : clusters) {
    if (multi_only && rs.size() < 2) continue;
    if (!needle.empty()) {
      bool hit = text::Fold(id).find(needle) != std::string::npos;
      for (const auto* r : rs) {
        for (const auto& v : r->values) {
          if (!hit && text::Fold(v).find(needle) != std::string::npos) hit = true;
        }
        if (!hit && text::Fold(r->key).find(needle) != std::string::npos) hit = true;
      }
      if (!hit) continue;
    }
    ++total;
    if (!after.empty() && id <= after) continue;
    if (static_cast<int64_t>(items.size()) == limit) {
      if (next.is_null()) next = json::value(items.back().as_object().at("id"));
      continue;
    }
    const auto chosen = ChosenFor(*choices, id);
    items.push_back(ClusterJson(l.project, id, rs, chosen));
  }
  return json::object{{"items", std::move(items)}, {"total", total}, {"next_cursor", next}};
}

Result<json::object> Hub::Cluster(const std::string& code, const std::string& id) {
  auto loaded = Load(code);
  if (!loaded) return Fail(loaded.error());
  const Loaded& l = **loaded;
  auto members = links_.Members(code);
  if (!members) return Fail(members.error());
  auto choices = links_.Choices(code);
  if (!choices) return Fail(choices.error());
  std::vector<const MappedRecord*> rs;
  for (const auto& m : *members) {
    if (m.cluster != id) continue;
    if (const auto* r = l.Find(m.record)) rs.push_back(r);
  }
  if (rs.empty()) return Fail(NoCluster(id, code));
  return ClusterJson(l.project, id, rs, ChosenFor(*choices, id));
}

Result<json::object> Hub::Split(const std::string& code, const std::string& id,
                                const std::vector<std::string>& records, const std::string& by,
                                const std::string& at) {
  auto loaded = Load(code);
  if (!loaded) return Fail(loaded.error());
  auto members = links_.Members(code);
  if (!members) return Fail(members.error());
  std::set<std::string> in_cluster;
  for (const auto& m : *members) {
    if (m.cluster == id) in_cluster.insert(m.record);
  }
  if (in_cluster.empty()) return Fail(NoCluster(id, code));
  const std::set<std::string> moving(records.begin(), records.end());
  if (moving.empty() || moving.size() >= in_cluster.size()) {
    return Fail(Error::Invalid("link.invalid_split",
                               "name one or more of the cluster's records, not all of them"));
  }
  for (const auto& r : moving) {
    if (!in_cluster.contains(r)) {
      return Fail(Error::Invalid("link.invalid_split", NotInCluster(r, id)));
    }
  }
  // Every link between the records that move and those that stay is rejected by hand.
  auto stored = links_.Pairs(code, "", 0, 0);
  if (!stored) return Fail(stored.error());
  std::vector<store::LinkPairRow> changes;
  for (const auto& p : *stored) {
    const bool a = moving.contains(p.key_a);
    const bool b = moving.contains(p.key_b);
    if (a == b || !in_cluster.contains(p.key_a) || !in_cluster.contains(p.key_b)) continue;
    if (p.status == "rejected") continue;
    store::LinkPairRow c = p;
    c.status = "rejected";
    c.decided_by = by;
    c.decided_at = at;
    changes.push_back(std::move(c));
  }
  auto result = Recluster(links_, code, Keys((*loaded)->records), changes, moving, *moving.begin());
  if (!result) return Fail(result.error());
  return Cluster(code, result->first);
}

Result<json::object> Hub::Merge(const std::string& code, const std::vector<std::string>& ids,
                                const std::string& by, const std::string& at) {
  auto loaded = Load(code);
  if (!loaded) return Fail(loaded.error());
  auto members = links_.Members(code);
  if (!members) return Fail(members.error());
  if (ids.size() < 2) {
    return Fail(Error::Invalid("link.invalid_merge", "name two or more clusters to merge"));
  }
  std::vector<std::string> first;  // a record of each cluster
  for (const auto& id : ids) {
    std::string record;
    for (const auto& m : *members) {
      if (m.cluster == id && (record.empty() || m.record < record)) record = m.record;
    }
    if (record.empty()) return Fail(NoCluster(id, code));
    first.push_back(record);
  }
  std::vector<store::LinkPairRow> changes;
  for (size_t i = 1; i < first.size(); ++i) {
    store::LinkPairRow p;
    p.project = code;
    p.key_a = std::min(first[0], first[i]);
    p.key_b = std::max(first[0], first[i]);
    p.probability = 1;
    p.status = "accepted";
    p.decided_by = by;
    p.decided_at = at;
    changes.push_back(std::move(p));
  }
  auto result = Recluster(links_, code, Keys((*loaded)->records), changes, {}, first[0]);
  if (!result) return Fail(result.error());
  return Cluster(code, result->first);
}

Result<json::object> Hub::Choose(const std::string& code, const std::string& id,
                                 const std::string& field, const std::string& record,
                                 const std::string& by, const std::string& at) {
  auto loaded = Load(code);
  if (!loaded) return Fail(loaded.error());
  const Project& p = (*loaded)->project;
  if (std::none_of(p.fields.begin(), p.fields.end(),
                   [&](const auto& f) { return f.name == field; })) {
    return Fail(HubNotFound("the project '" + code + "' has no field '" + field + "'"));
  }
  auto members = links_.Members(code);
  if (!members) return Fail(members.error());
  const bool member = std::any_of(members->begin(), members->end(), [&](const auto& m) {
    return m.cluster == id && m.record == record;
  });
  if (!member) {
    return Fail(Error::Invalid("link.not_member", NotInCluster(record, id)));
  }
  if (auto s = links_.Choose(code, {id, field, record, by, at}); !s) return Fail(s.error());
  return Cluster(code, id);
}

// --- Commit -----------------------------------------------------------------------------------

Result<Hub::Golden> Hub::GoldenRecords(const std::string& code, bool force) {
  auto loaded = Load(code);
  if (!loaded) return Fail(loaded.error());
  const Loaded& l = **loaded;
  auto run = links_.LastRun(code);
  if (!run) return Fail(run.error());
  if (!*run) {
    return Fail(Error::Conflict("link.not_run",
                                "the project '" + code + "' has not run yet: run it first"));
  }
  auto pending = links_.CountPairs(code, "pending");
  if (!pending) return Fail(pending.error());
  if (*pending > 0 && !force) {
    return Fail(Error::Conflict(std::string(kPendingReview),
                                std::to_string(*pending) +
                                    " pairs still wait for review: decide them, or commit with "
                                    "force to leave them unlinked"));
  }
  auto members = links_.Members(code);
  if (!members) return Fail(members.error());
  auto choices = links_.Choices(code);
  if (!choices) return Fail(choices.error());
  const auto clusters = GroupByCluster(*members, [&](const std::string& k) { return l.Find(k); });
  Golden g;
  g.project = l.project;
  for (const auto& [id, rs] : clusters) {
    const auto chosen = ChosenFor(*choices, id);
    const auto values = Survive(l.project, rs, chosen);
    json::object row{{"ma_cum", id}, {"so_ban_ghi", static_cast<int64_t>(rs.size())}};
    json::object provenance;
    for (size_t f = 0; f < l.project.fields.size(); ++f) {
      const auto& field = l.project.fields[f];
      std::string value = values[f].value;
      if (field.kind == Kind::kDate && !value.empty()) {
        auto d = ParseBirthDate(value);
        value = d ? d->ToString() : std::string();
      }
      row[field.name] = value.empty() ? json::value(nullptr) : json::value(value);
      if (!values[f].record.empty()) provenance[field.name] = values[f].record;
    }
    std::string keys;
    for (const auto* r : rs) keys += (keys.empty() ? "" : "; ") + r->key;
    row["nguon"] = keys;
    row["nguon_truong"] = json_util::Serialize(provenance);
    g.ndjson += json_util::Serialize(row);
    g.ndjson += '\n';
    ++g.records;
  }
  return g;
}

namespace {

// The consolidated dataset's schema: the cluster id as key, the target's fields, the number of
// source records and where each value came from.
json::object TargetSchema(const Project& p) {
  json::array fields;
  fields.push_back({{"name", "ma_cum"},
                    {"title", "Mã cụm"},
                    {"title_en", "Cluster id"},
                    {"type", "string"},
                    {"constraints", {{"required", true}}}});
  for (const auto& f : p.fields) {
    json::object o{
        {"name", f.name}, {"title", f.title}, {"type", f.kind == Kind::kDate ? "date" : "string"}};
    if (f.kind == Kind::kFullName || f.kind == Kind::kName || f.kind == Kind::kDate ||
        f.kind == Kind::kId || f.kind == Kind::kPhone) {
      o["pdh:personal"] = true;
    }
    fields.push_back(std::move(o));
  }
  fields.push_back({{"name", "so_ban_ghi"},
                    {"title", "Số bản ghi nguồn"},
                    {"title_en", "Source records"},
                    {"type", "integer"}});
  fields.push_back({{"name", "nguon"},
                    {"title", "Bản ghi nguồn"},
                    {"title_en", "Source records' keys"},
                    {"type", "string"}});
  fields.push_back({{"name", "nguon_truong"},
                    {"title", "Nguồn của từng trường"},
                    {"title_en", "Source of each field"},
                    {"type", "string"}});
  return {{"fields", std::move(fields)}, {"primaryKey", json::array{"ma_cum"}}};
}

}  // namespace

Result<json::object> Hub::Commit(const std::string& code, bool force, const std::string& owner_unit,
                                 const std::string& by, const std::string& at) {
  auto golden = GoldenRecords(code, force);
  if (!golden) return Fail(golden.error());
  const Project& p = golden->project;
  auto registry = registry_();
  auto dataset = ingest::LoadDataset(datasets_, p.target);
  if (!dataset && dataset.error().code == "dataset.not_found") {
    auto schema = ingest::ParseSchema(TargetSchema(p));
    if (!schema) return Fail(schema.error());
    ingest::NewDataset d;
    d.code = p.target;
    d.title = p.title;
    d.description = "Hợp nhất từ: " + [&] {
      std::string labels;
      for (const auto& s : p.sources) labels += (labels.empty() ? "" : ", ") + s.label;
      return labels;
    }();
    d.owner_unit = owner_unit;
    d.schema = std::move(*schema);
    dataset = ingest::CreateDataset(datasets_, *registry, d, by, at);
  }
  if (!dataset) return Fail(dataset.error());
  ingest::Options options;
  options.format = ingest::Format::kNdjson;
  options.file_name = code + ".ndjson";
  options.client_id = "link:" + code + ":" + std::to_string(golden->records) + ":" + at;
  options.reingest = true;
  options.by = by;
  options.at = at;
  auto report =
      ingest::IngestBytes(datasets_, *registry, *dataset, std::move(golden->ndjson), options);
  if (!report) return Fail(report.error());
  if (report->status != "committed") {
    return Fail(Error::Invalid("link.commit_rejected",
                               "the consolidated dataset refused the golden records (" +
                                   std::to_string(report->rejected) +
                                   " rows rejected): see batch " + std::to_string(report->id)));
  }
  if (auto s = links_.MarkCommitted(code, at, report->id); !s) return Fail(s.error());
  return json::object{{"batch", report->ToJson()},
                      {"golden_records", golden->records},
                      {"target", p.target},
                      {"catalog_entry", p.catalog_entry}};
}

}  // namespace pdh::link
