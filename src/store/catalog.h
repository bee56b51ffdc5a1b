// The store's catalog area (M2): the catalog's entries, their versions and links.
//
// Thread-safety: all methods are thread-safe (see store/store.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"

namespace pdh::store {

// Entries are stored whole as JSON snapshots (one per version); the columns beside them are what
// queries filter on, filled by the catalog module. Dates are ISO "2025-10-31".

// An entry's current state.
struct CatalogEntryRow {
  std::string code;  // unique, never changes
  std::string kind;  // "platform" | "database" | "national"
  std::string status;
  std::string sector;
  std::string owner;   // owner unit code
  std::string search;  // folded text that free-text queries search (name, code, sector, tags)
  std::string tags;    // folded tags, each followed by '|', after a leading '|': "|ioc|y te|"
  int64_t version = 0;
  std::string effective_date;
  std::string snapshot;  // JSON of the entry
};

// One version in an entry's history.
struct CatalogVersionRow {
  std::string code;  // the entry's code (read only on writes: taken from the entry)
  int64_t number = 0;
  std::string effective_date;
  std::string recorded_at;  // ISO-8601 UTC
  std::string actor;
  std::string reason;
  std::string snapshot;  // JSON of the entry in this version
  std::string changes;   // JSON array of {field, before, after}
};

struct CatalogLinkRow {
  std::string from_code;
  std::string kind;  // "runs_on" | "exchanges_with"
  std::string to_code;
};

// A new version of one entry with the entry's links in that version.
struct CatalogWrite {
  CatalogEntryRow entry;
  CatalogVersionRow version;
  std::vector<CatalogLinkRow> links;
};

// Filters over current entries; unset ones match everything.
struct CatalogQuery {
  std::optional<std::string> kind;
  std::optional<std::string> status;
  std::optional<std::string> sector;
  std::optional<std::string> owner;
  std::optional<std::string> tag;  // folded
  std::vector<std::string> words;  // folded; each must occur in `search`
  std::string after;               // codes greater than this
  int64_t limit = 100;
};

class CatalogStore {
 public:
  virtual ~CatalogStore() = default;
  // Stores new versions, all in one transaction or none. Version 1 adds the entry (errors:
  // catalog.duplicate_code); version n > 1 requires the entry's current version to be n - 1
  // (errors: catalog.not_found, catalog.version_conflict). Each entry's links are replaced by
  // those given; their targets must exist once all writes are in.
  virtual Status Write(const std::vector<CatalogWrite>& writes) = 0;
  virtual Result<std::optional<CatalogEntryRow>> Find(const std::string& code) = 0;
  // Matching current entries by code, at most q.limit.
  virtual Result<std::vector<CatalogEntryRow>> Query(const CatalogQuery& q) = 0;
  // Every current entry, by kind then code.
  virtual Result<std::vector<CatalogEntryRow>> All() = 0;
  // The versions of one entry, oldest first.
  virtual Result<std::vector<CatalogVersionRow>> Versions(const std::string& code) = 0;
  // For each entry, its latest version effective on or before `as_of` (entries without one
  // are left out), by code.
  virtual Result<std::vector<CatalogVersionRow>> AsOf(const std::string& as_of) = 0;
  // Links pointing at `code`, by source code.
  virtual Result<std::vector<CatalogLinkRow>> LinksTo(const std::string& code) = 0;
};

}  // namespace pdh::store
