// The store's Resolution 57 register area (M6): programmes, items (targets and tasks), their
// versions, monthly progress reports and their attachments.
//
// Thread-safety: all methods are thread-safe (see store/store.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"

namespace pdh::store {

// Programmes, items (targets and tasks) and their versions are stored whole as JSON snapshots,
// as the catalog's entries are; the columns beside them are what queries filter on, filled by
// the tracker module. Dates are ISO "2025-10-31", times ISO-8601 UTC with seconds.

struct TrackerProgrammeRow {
  std::string code;
  std::string snapshot;  // JSON of the programme
};

// An item's current state.
struct TrackerItemRow {
  std::string code;  // unique, never changes
  std::string kind;  // "target" | "task"
  std::string programme;
  std::string parent;  // "" for the top of a chain
  std::string level;
  std::string lead_unit;
  std::string sector;
  std::string state;
  std::optional<std::string> deadline;
  std::string search;  // folded text free-text queries search
  int64_t version = 0;
  std::string effective_date;
  std::string snapshot;  // JSON of the item
  // Read only, filled by reads: some version of the item was an adjustment; the effective date
  // of version 1.
  bool adjusted = false;
  std::string first_effective;
};

// One version in an item's history.
struct TrackerVersionRow {
  std::string code;  // the item's code (read only on writes: taken from the item)
  int64_t number = 0;
  std::string effective_date;
  std::string recorded_at;
  std::string actor;
  std::string reason;
  std::string approval;
  bool adjusted = false;  // this version is an adjustment
  std::string changes;    // JSON array of {field, before, after}
  std::string snapshot;   // JSON of the item in this version
  // Read only, filled by reads: some version up to this one was an adjustment; the effective
  // date of version 1.
  bool adjusted_so_far = false;
  std::string first_effective;
};

// A new version of one item.
struct TrackerWrite {
  TrackerItemRow item;
  TrackerVersionRow version;
};

// An attachment's description; its bytes travel beside it.
struct TrackerAttachmentRow {
  int64_t id = 0;  // read only
  std::string name;
  std::string content_type;
  int64_t size = 0;
  std::string uploaded_at;
  std::string uploaded_by;
};

// One monthly progress report of one item.
struct TrackerReportRow {
  std::string code;   // the item's code
  std::string month;  // "2025-10"
  std::string unit;   // the lead unit when it was written
  int64_t percent = 0;
  std::string submitted_at;  // the first submission; kept when the report is edited
  std::string updated_at;
  std::string submitted_by;  // who submitted it first; kept when the report is edited
  std::string snapshot;      // JSON of the report's text fields
  std::vector<TrackerAttachmentRow> attachments;  // read only, by id
};

// Filters over reports; unset ones match everything.
struct TrackerReportQuery {
  std::optional<std::string> code;
  std::optional<std::string> unit;  // the report's unit column
  std::optional<std::string> month;
};

class TrackerStore {
 public:
  virtual ~TrackerStore() = default;
  // Errors: tracker.duplicate_code.
  virtual Status AddProgramme(const TrackerProgrammeRow& p) = 0;
  // Every programme, by code.
  virtual Result<std::vector<TrackerProgrammeRow>> Programmes() = 0;

  // Stores new versions, all in one transaction or none. Version 1 adds the item (errors:
  // tracker.duplicate_code; its programme must exist: tracker.unknown_programme); version n > 1
  // requires the item's current version to be n - 1 (errors: tracker.not_found,
  // tracker.version_conflict). Several versions of one item may follow each other in `writes`.
  virtual Status Write(const std::vector<TrackerWrite>& writes) = 0;
  virtual Result<std::optional<TrackerItemRow>> Find(const std::string& code) = 0;
  // Every current item, by code.
  virtual Result<std::vector<TrackerItemRow>> All() = 0;
  // The versions of one item, oldest first.
  virtual Result<std::vector<TrackerVersionRow>> Versions(const std::string& code) = 0;
  // For each item, its latest version effective on or before `as_of` (items without one are
  // left out), by code.
  virtual Result<std::vector<TrackerVersionRow>> AsOf(const std::string& as_of) = 0;

  // Adds the report of (code, month) or replaces it — keeping its submitted_at and
  // submitted_by — and stores `writes` with it, in one transaction (the same rules as Write).
  // Errors: tracker.not_found (no such item), those of Write.
  virtual Status SaveReport(const TrackerReportRow& report,
                            const std::vector<TrackerWrite>& writes) = 0;
  // Matching reports with their attachments, by code then month.
  virtual Result<std::vector<TrackerReportRow>> Reports(const TrackerReportQuery& q) = 0;
  // Adds an attachment to the report of (code, month) unless it has `max_count` already;
  // returns its id. Errors: tracker.not_found (no such report), tracker.too_many.
  virtual Result<int64_t> AddAttachment(const std::string& code, const std::string& month,
                                        const TrackerAttachmentRow& a, const std::string& data,
                                        int64_t max_count) = 0;
  // The attachment and its bytes, if it exists.
  virtual Result<std::optional<std::pair<TrackerAttachmentRow, std::string>>> Attachment(
      int64_t id) = 0;
};

}  // namespace pdh::store
