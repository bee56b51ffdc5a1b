// The store's consolidation area (M4): record-linkage projects and their versions, runs, the
// scored pairs with their review decisions, the records' clusters and the hand-made choices of
// golden values.
//
// Thread-safety: all methods are thread-safe (see store/store.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"

namespace pdh::store {

// Times are ISO-8601 UTC with seconds. Record keys are "<dataset>:<record id>".

struct LinkProjectRow {
  std::string code;
  std::string title;
  int64_t version = 1;
  std::string definition;  // the current definition (JSON)
  std::string created_at;
  std::string updated_at;
  std::string committed_at;  // "" until committed
  int64_t commit_batch = 0;  // the batch that wrote the consolidated dataset
};

struct LinkVersionRow {
  std::string project;
  int64_t version = 1;
  std::string definition;
  std::string at;
  std::string by;
  std::string note;
};

struct LinkRunRow {
  int64_t id = 0;
  std::string project;
  int64_t version = 0;  // of the definition it ran
  std::string at;
  std::string by;
  bool incremental = false;
  int64_t last_batch = 0;  // the newest batch of any dataset when it ran
  std::string model;       // the fitted parameters (JSON)
  std::string report;      // the merge report (JSON)
};

// A scored pair. status: "auto" (at or above the threshold), "pending" (in the review band),
// "accepted", "rejected", "skipped" (decided by a person). key_a < key_b.
struct LinkPairRow {
  int64_t id = 0;
  std::string project;
  std::string key_a;
  std::string key_b;
  double probability = 0;
  double weight = 0;
  std::string status;
  int64_t run = 0;  // the run that last scored it (0: made by hand)
  std::string decided_by;
  std::string decided_at;
  std::string explanation;  // the pair's waterfall when scored (JSON)
};

struct LinkMemberRow {
  std::string record;
  std::string cluster;
};

// A golden record's field taken by hand from one member.
struct LinkChoiceRow {
  std::string cluster;
  std::string field;
  std::string record;
  std::string by;
  std::string at;
};

class LinkStore {
 public:
  virtual ~LinkStore() = default;
  // Adds a project and its version 1. Errors: link.exists.
  virtual Status CreateProject(const LinkProjectRow& p, const LinkVersionRow& v) = 0;
  // Stores version `v` as the project's current one. `expected`: the version it was based on
  // (link.version_conflict when it is no longer the current one). Errors: link.not_found.
  virtual Status UpdateProject(const LinkVersionRow& v, const std::string& title,
                               int64_t expected) = 0;
  virtual Result<std::vector<LinkProjectRow>> Projects() = 0;
  virtual Result<std::optional<LinkProjectRow>> Project(const std::string& code) = 0;
  virtual Result<std::vector<LinkVersionRow>> Versions(const std::string& code) = 0;
  virtual Status MarkCommitted(const std::string& code, const std::string& at, int64_t batch) = 0;

  // Stores a run in one transaction: the run row, the pairs it scored (upserted by their keys:
  // a decided pair keeps its decision and takes the new scores), the removal of undecided pairs
  // of the project that this run did not score (unless incremental), and the records' clusters
  // (replacing those of the same records). Returns the run id.
  virtual Result<int64_t> SaveRun(const LinkRunRow& run, const std::vector<LinkPairRow>& pairs,
                                  const std::vector<LinkMemberRow>& members) = 0;
  virtual Result<std::optional<LinkRunRow>> LastRun(const std::string& project) = 0;

  // The project's pairs with `status` ("" for all), by id after `after_id`, at most `limit`
  // (0: all).
  virtual Result<std::vector<LinkPairRow>> Pairs(const std::string& project,
                                                 const std::string& status, int64_t after_id,
                                                 int64_t limit) = 0;
  virtual Result<int64_t> CountPairs(const std::string& project, const std::string& status) = 0;
  virtual Result<std::optional<LinkPairRow>> Pair(const std::string& project, int64_t id) = 0;
  // Decides pairs and moves records between clusters in one transaction: each pair in `pairs`
  // is upserted by its keys (a new one is made by hand), each member row replaces the record's.
  virtual Status Decide(const std::string& project, const std::vector<LinkPairRow>& pairs,
                        const std::vector<LinkMemberRow>& members) = 0;

  virtual Result<std::vector<LinkMemberRow>> Members(const std::string& project) = 0;
  virtual Status Choose(const std::string& project, const LinkChoiceRow& choice) = 0;
  virtual Result<std::vector<LinkChoiceRow>> Choices(const std::string& project) = 0;
};

}  // namespace pdh::store
