// The SQLite consolidation repository (tables of migration 8): record-linkage projects, runs,
// pairs, clusters and chosen golden values. Writes go through the writer, reads through the pool.
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/link.h"
#include "store/sql/connections.h"
#include "store/sql/db.h"

namespace pdh::store::sql {
namespace {

constexpr std::string_view kProjectColumns =
    "SELECT code, title, version, definition, created_at, updated_at, committed_at, "
    "commit_batch FROM link_project ";
constexpr std::string_view kPairColumns =
    "SELECT id, project, key_a, key_b, probability, weight, status, run, decided_by, decided_at, "
    "explanation FROM link_pair ";
constexpr std::string_view kRunColumns =
    "SELECT id, project, version, at, by, incremental, last_batch, model, report FROM link_run ";

LinkProjectRow ReadLinkProject(const Statement& st) {
  return {st.Text(0), st.Text(1), st.Int(2),  st.Text(3),
          st.Text(4), st.Text(5), st.Text(6), st.Int(7)};
}

LinkPairRow ReadLinkPair(const Statement& st) {
  return {st.Int(0),  st.Text(1), st.Text(2), st.Text(3), st.Double(4), st.Double(5),
          st.Text(6), st.Int(7),  st.Text(8), st.Text(9), st.Text(10)};
}

LinkRunRow ReadLinkRun(const Statement& st) {
  return {st.Int(0),      st.Text(1), st.Int(2),  st.Text(3), st.Text(4),
          st.Int(5) != 0, st.Int(6),  st.Text(7), st.Text(8)};
}

Status InsertLinkVersion(Db& db, const LinkVersionRow& v) {
  return Execute(db,
                 "INSERT INTO link_project_version (project, version, definition, at, by, note) "
                 "VALUES (?1,?2,?3,?4,?5,?6)",
                 [&](Statement& st) {
                   st.Bind(1, v.project).Bind(2, v.version).Bind(3, v.definition);
                   st.Bind(4, v.at).Bind(5, v.by).Bind(6, v.note);
                 });
}

// Upserts pairs by their keys. `keep_decisions`: a decided pair keeps its status and decider.
Status UpsertLinkPairs(Db& db, const std::string& project, const std::vector<LinkPairRow>& pairs,
                       bool keep_decisions) {
  auto st = db.Prepare(
      std::string(
          "INSERT INTO link_pair (project, key_a, key_b, probability, weight, status, "
          "run, decided_by, decided_at, explanation) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10) "
          "ON CONFLICT(project, key_a, key_b) DO UPDATE SET ") +
      (keep_decisions
           ? "probability = excluded.probability, weight = excluded.weight, run = excluded.run, "
             "explanation = excluded.explanation, "
             "status = CASE WHEN link_pair.status IN ('accepted','rejected') THEN link_pair.status "
             "ELSE excluded.status END"
           : "status = excluded.status, decided_by = excluded.decided_by, "
             "decided_at = excluded.decided_at"));
  if (!st) return Fail(st.error());
  for (const auto& p : pairs) {
    st->Bind(1, project).Bind(2, p.key_a).Bind(3, p.key_b).Bind(4, p.probability);
    st->Bind(5, p.weight).Bind(6, p.status).Bind(7, p.run).Bind(8, p.decided_by);
    st->Bind(9, p.decided_at).Bind(10, p.explanation);
    if (auto s = st->Run(); !s) return s;
  }
  return Ok();
}

Status ReplaceLinkMembers(Db& db, const std::string& project,
                          const std::vector<LinkMemberRow>& members) {
  auto st = db.Prepare(
      "INSERT INTO link_member (project, record, cluster) VALUES (?1,?2,?3) "
      "ON CONFLICT(project, record) DO UPDATE SET cluster = excluded.cluster");
  if (!st) return Fail(st.error());
  for (const auto& m : members) {
    st->Bind(1, project).Bind(2, m.record).Bind(3, m.cluster);
    if (auto s = st->Run(); !s) return s;
  }
  return Ok();
}

class SqliteLinkStore final : public Area<LinkStore> {
 public:
  using Area::Area;

  Status CreateProject(const LinkProjectRow& p, const LinkVersionRow& v) override {
    return writer_.Submit([&](Db& db) -> Status {
      auto exists = Execute(db,
                            "INSERT INTO link_project (code, title, version, definition, "
                            "created_at, updated_at) VALUES (?1,?2,?3,?4,?5,?6) "
                            "ON CONFLICT(code) DO NOTHING",
                            [&](Statement& st) {
                              st.Bind(1, p.code).Bind(2, p.title).Bind(3, p.version);
                              st.Bind(4, p.definition).Bind(5, p.created_at).Bind(6, p.updated_at);
                            });
      if (!exists) return exists;
      if (db.Changes() == 0) {
        return Fail(Error::Conflict(
            "link.exists", "a consolidation project '" + p.code + "' exists: choose another code"));
      }
      return InsertLinkVersion(db, v);
    });
  }

  Status UpdateProject(const LinkVersionRow& v, const std::string& title,
                       int64_t expected) override {
    return writer_.Submit([&](Db& db) -> Status {
      auto s = Execute(db,
                       "UPDATE link_project SET title=?2, version=?3, definition=?4, "
                       "updated_at=?5 WHERE code=?1 AND version=?6",
                       [&](Statement& st) {
                         st.Bind(1, v.project).Bind(2, title).Bind(3, v.version);
                         st.Bind(4, v.definition).Bind(5, v.at).Bind(6, expected);
                       });
      if (!s) return s;
      if (db.Changes() == 0) {
        return Fail(Error::Conflict("link.version_conflict",
                                    "the project '" + v.project + "' changed since version " +
                                        std::to_string(expected) + ": reload it and edit again"));
      }
      return InsertLinkVersion(db, v);
    });
  }

  Result<std::vector<LinkProjectRow>> Projects() override {
    return ReadRows<std::vector<LinkProjectRow>>(
        readers_, std::string(kProjectColumns) + "ORDER BY code",
        [](const Statement& st, auto& out) { out.push_back(ReadLinkProject(st)); });
  }

  Result<std::optional<LinkProjectRow>> Project(const std::string& code) override {
    Sql sql{std::string(kProjectColumns), {}};
    sql.Where("code = ?", code);
    return ReadFirst<LinkProjectRow>(readers_, sql, ReadLinkProject);
  }

  Result<std::vector<LinkVersionRow>> Versions(const std::string& code) override {
    return ReadRows<std::vector<LinkVersionRow>>(
        readers_,
        "SELECT project, version, definition, at, by, note FROM link_project_version "
        "WHERE project = ?1 ORDER BY version",
        [](const Statement& st, auto& out) {
          out.push_back({st.Text(0), st.Int(1), st.Text(2), st.Text(3), st.Text(4), st.Text(5)});
        },
        code);
  }

  Status MarkCommitted(const std::string& code, const std::string& at, int64_t batch) override {
    return writer_.Submit([&](Db& db) -> Status {
      return Execute(db, "UPDATE link_project SET committed_at=?2, commit_batch=?3 WHERE code=?1",
                     [&](Statement& st) { st.Bind(1, code).Bind(2, at).Bind(3, batch); });
    });
  }

  Result<int64_t> SaveRun(const LinkRunRow& run, const std::vector<LinkPairRow>& pairs,
                          const std::vector<LinkMemberRow>& members) override {
    int64_t id = 0;
    auto s = writer_.Submit([&](Db& db) -> Status {
      auto ins = Execute(db,
                         "INSERT INTO link_run (project, version, at, by, incremental, "
                         "last_batch, model, report) VALUES (?1,?2,?3,?4,?5,?6,?7,?8)",
                         [&](Statement& st) {
                           st.Bind(1, run.project).Bind(2, run.version).Bind(3, run.at);
                           st.Bind(4, run.by).Bind(5, int64_t{run.incremental});
                           st.Bind(6, run.last_batch).Bind(7, run.model).Bind(8, run.report);
                         });
      if (!ins) return ins;
      auto last_id = db.LastInsertId();
      if (!last_id) return Fail(last_id.error());
      id = *last_id;
      std::vector<LinkPairRow> scored = pairs;
      for (auto& p : scored) p.run = id;
      if (auto u = UpsertLinkPairs(db, run.project, scored, true); !u) return u;
      if (!run.incremental) {
        auto del = Execute(db,
                           "DELETE FROM link_pair WHERE project=?1 AND run<>?2 AND run<>0 AND "
                           "status NOT IN ('accepted','rejected')",
                           [&](Statement& st) { st.Bind(1, run.project).Bind(2, id); });
        if (!del) return del;
      }
      return ReplaceLinkMembers(db, run.project, members);
    });
    if (!s) return Fail(s.error());
    return id;
  }

  Result<std::optional<LinkRunRow>> LastRun(const std::string& project) override {
    Sql sql{std::string(kRunColumns), {}};
    sql.Where("project = ?", project);
    sql.text += " ORDER BY id DESC LIMIT 1";
    return ReadFirst<LinkRunRow>(readers_, sql, ReadLinkRun);
  }

  Result<std::vector<LinkPairRow>> Pairs(const std::string& project, const std::string& status,
                                         int64_t after_id, int64_t limit) override {
    Sql sql{std::string(kPairColumns), {}};
    sql.Where("project = ?", project);
    if (!status.empty()) sql.Where("status = ?", status);
    sql.Where("id > ?", std::to_string(after_id));
    sql.text += " ORDER BY id";
    if (limit > 0) sql.text += " LIMIT " + std::to_string(limit);
    return ReadAll<LinkPairRow>(readers_, sql, ReadLinkPair);
  }

  Result<int64_t> CountPairs(const std::string& project, const std::string& status) override {
    Sql sql{"SELECT count(*) FROM link_pair", {}};
    sql.Where("project = ?", project);
    if (!status.empty()) sql.Where("status = ?", status);
    auto rows = ReadAll<int64_t>(readers_, sql, [](const Statement& st) { return st.Int(0); });
    if (!rows) return Fail(rows.error());
    return rows->empty() ? 0 : rows->front();
  }

  Result<std::optional<LinkPairRow>> Pair(const std::string& project, int64_t id) override {
    Sql sql{std::string(kPairColumns), {}};
    sql.Where("project = ?", project);
    sql.Where("id = ?", std::to_string(id));
    return ReadFirst<LinkPairRow>(readers_, sql, ReadLinkPair);
  }

  Status Decide(const std::string& project, const std::vector<LinkPairRow>& pairs,
                const std::vector<LinkMemberRow>& members) override {
    return writer_.Submit([&](Db& db) -> Status {
      if (auto s = UpsertLinkPairs(db, project, pairs, false); !s) return s;
      return ReplaceLinkMembers(db, project, members);
    });
  }

  Result<std::vector<LinkMemberRow>> Members(const std::string& project) override {
    return ReadRows<std::vector<LinkMemberRow>>(
        readers_, "SELECT record, cluster FROM link_member WHERE project = ?1 ORDER BY record",
        [](const Statement& st, auto& out) {
          out.push_back({st.Text(0), st.Text(1)});
        },
        project);
  }

  Status Choose(const std::string& project, const LinkChoiceRow& c) override {
    return writer_.Submit([&](Db& db) -> Status {
      return Execute(db,
                     "INSERT INTO link_choice (project, cluster, field, record, by, at) "
                     "VALUES (?1,?2,?3,?4,?5,?6) ON CONFLICT(project, cluster, field) DO UPDATE "
                     "SET record = excluded.record, by = excluded.by, at = excluded.at",
                     [&](Statement& st) {
                       st.Bind(1, project).Bind(2, c.cluster).Bind(3, c.field);
                       st.Bind(4, c.record).Bind(5, c.by).Bind(6, c.at);
                     });
    });
  }

  Result<std::vector<LinkChoiceRow>> Choices(const std::string& project) override {
    return ReadRows<std::vector<LinkChoiceRow>>(
        readers_,
        "SELECT cluster, field, record, by, at FROM link_choice WHERE project = ?1 "
        "ORDER BY cluster, field",
        [](const Statement& st, auto& out) {
          out.push_back({st.Text(0), st.Text(1), st.Text(2), st.Text(3), st.Text(4)});
        },
        project);
  }
};

}  // namespace

std::unique_ptr<LinkStore> MakeLinkStore(Writer& writer, ReadPool& readers) {
  return std::make_unique<SqliteLinkStore>(writer, readers);
}

}  // namespace pdh::store::sql
