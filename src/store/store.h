// The store: the only place pdh speaks SQL. Modules above it call typed operations; the
// backend (SQLite today, PostgreSQL later) decides how they become statements.
//
// Thread-safety: a Store is safe to use from many threads. Reads run concurrently on a pool of
// read connections; writes are queued to one writer thread that commits them in groups (group
// commit), each write isolated by a savepoint so one failing write does not undo the others.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "core/error.h"

namespace pdh::store {

// One administrative unit or agency as stored (đơn vị hành chính / cơ quan).
struct UnitRow {
  int64_t id = 0;
  std::string code;   // official code: "80", "25459"; pre-2025 district "703"
  std::string level;  // "province" | "district" | "commune" | "agency"
  std::string type;   // Vietnamese type label: "Tỉnh", "Phường", "Xã", "Sở", ...
  std::string name;
  std::string short_name;
  std::optional<int64_t> parent_id;
  std::optional<int64_t> population;
  bool population_estimated = false;
  std::optional<double> area_km2;
  std::optional<double> lat;
  std::optional<double> lon;
  std::optional<std::string> valid_from;  // ISO date; null: since always
  std::optional<std::string> valid_to;    // ISO date, exclusive; null: still valid
  std::string source;                     // where the record came from
};

// One row of the 2025 crosswalk: an old commune merged (wholly or partly) into a new one.
struct SuccessionRow {
  int64_t old_id = 0;
  int64_t new_id = 0;
  std::string kind;              // "whole" | "partial"
  std::string note;              // the official wording, e.g. "Nhập một phần"
  std::optional<double> weight;  // share of the old unit going to the new one, when set
};

// --- Identity (M11) -------------------------------------------------------------------------
// Times are ISO-8601 UTC with seconds, "2025-10-31T08:15:00Z", so they sort as text.

struct AccountRow {
  int64_t id = 0;
  std::string name;  // login name, unique
  std::string display_name;
  std::string kind = "person";               // "person" | "system" (token-only)
  std::optional<std::string> password_hash;  // argon2id encoded string
  std::optional<std::string> totp_secret;    // base32, set once enrolment is confirmed
  std::optional<std::string> totp_pending;   // base32, during enrolment
  int64_t failed_logins = 0;
  std::optional<std::string> locked_until;
  bool disabled = false;
  std::string disabled_reason;
  std::string created_at;
  std::optional<std::string> last_active_at;
};

// A role held by an account, optionally limited to a unit (and its descendants).
struct GrantRow {
  int64_t account_id = 0;
  std::string role;                // "administrator" | "officer" | "leader" | "auditor" | "system"
  std::optional<int64_t> unit_id;  // null: the whole province
  bool include_descendants = false;
  std::string unit_code;  // read only: the unit's code, filled by ListGrants
};

struct SessionRow {
  std::string id_hash;  // hex SHA-256 of the cookie value; the value itself is never stored
  int64_t account_id = 0;
  std::string csrf_token;
  std::string created_at;
  std::string last_seen_at;
  std::string expires_at;  // absolute lifetime
  bool mfa = false;        // second factor passed
  std::string remote;
};

struct TokenRow {
  int64_t id = 0;
  int64_t account_id = 0;
  std::string name;
  std::string prefix;                    // first characters, shown in listings
  std::string hash;                      // hex SHA-256 of the secret
  std::vector<std::string> permissions;  // empty: all of the account's
  std::vector<std::string> unit_codes;   // empty: all of the account's
  std::string created_at;
  std::string expires_at;
  std::optional<std::string> revoked_at;
  std::optional<std::string> last_used_at;
};

// Accounts, grants, sessions and tokens. All methods are thread-safe.
class IdentityStore {
 public:
  virtual ~IdentityStore() = default;
  // Errors: account.duplicate_name.
  virtual Result<int64_t> InsertAccount(const AccountRow& a) = 0;
  // Writes every field of `a` (by id). Errors: account.not_found.
  virtual Status UpdateAccount(const AccountRow& a) = 0;
  virtual Result<std::optional<AccountRow>> FindAccount(const std::string& name) = 0;
  virtual Result<std::optional<AccountRow>> GetAccount(int64_t id) = 0;
  virtual Result<std::vector<AccountRow>> ListAccounts() = 0;
  // Replaces the grants of one account.
  virtual Status SetGrants(int64_t account_id, const std::vector<GrantRow>& grants) = 0;
  virtual Result<std::vector<GrantRow>> ListGrants(int64_t account_id) = 0;

  // Inserts `s`, or replaces the session with the same id_hash (to mark a second factor).
  virtual Status InsertSession(const SessionRow& s) = 0;
  virtual Result<std::optional<SessionRow>> FindSession(const std::string& id_hash) = 0;
  virtual Status TouchSession(const std::string& id_hash, const std::string& last_seen_at) = 0;
  virtual Status DeleteSession(const std::string& id_hash) = 0;
  // Logout everywhere; returns how many sessions were ended.
  virtual Result<int64_t> DeleteSessionsOf(int64_t account_id) = 0;

  virtual Result<int64_t> InsertToken(const TokenRow& t) = 0;
  virtual Result<std::optional<TokenRow>> FindTokenByHash(const std::string& hash) = 0;
  // All tokens, or those of one account.
  virtual Result<std::vector<TokenRow>> ListTokens(std::optional<int64_t> account_id) = 0;
  // Errors: token.not_found.
  virtual Status RevokeToken(int64_t id, const std::string& at) = 0;
  virtual Status TouchToken(int64_t id, const std::string& at) = 0;
};

// --- Audit log (M11) ------------------------------------------------------------------------

struct AuditEntryRow {
  int64_t seq = 0;     // 1, 2, 3, ... in append order
  std::string at;      // ISO-8601 UTC with milliseconds
  std::string actor;   // account name, or "" for anonymous
  std::string action;  // "login", "login.failed", "units.update", ...
  std::string target;
  std::string remote;
  std::string request_id;
  std::string detail;     // JSON object text
  std::string prev_hash;  // hex SHA-256; 64 zeros for the first entry ever
  std::string hash;       // hex SHA-256 over prev_hash and the entry's canonical bytes
};

struct AuditCheckpointRow {
  int64_t seq = 0;   // last entry covered
  std::string hash;  // that entry's hash
  std::string at;
  std::string signature;  // hex Ed25519 signature
};

struct AuditQuery {
  std::optional<std::string> actor;
  std::optional<std::string> action;
  std::optional<std::string> from;  // at >= from
  std::optional<std::string> to;    // at < to
  int64_t after_seq = 0;            // pagination: entries with seq > after_seq
  int64_t limit = 100;
  bool newest_first = false;  // then pagination is seq < before_seq
  int64_t before_seq = 0;     // 0: no bound
};

// The append-only audit tables. Appends go through the store's writer like every write.
class AuditStore {
 public:
  virtual ~AuditStore() = default;
  // Appends one entry computed by `make` from the last entry (null when the log is empty), in
  // one write, so concurrent appends chain correctly.
  virtual Result<AuditEntryRow> Append(
      const std::function<AuditEntryRow(const std::optional<AuditEntryRow>& last)>& make) = 0;
  virtual Result<std::optional<AuditEntryRow>> Last() = 0;
  virtual Result<std::vector<AuditEntryRow>> Query(const AuditQuery& q) = 0;
  // Calls `fn` for every entry in seq order (streaming; for verify and export).
  virtual Status ForEach(const std::function<Status(const AuditEntryRow&)>& fn) = 0;
  virtual Status InsertCheckpoint(const AuditCheckpointRow& c) = 0;
  virtual Result<std::vector<AuditCheckpointRow>> Checkpoints() = 0;
  // Deletes entries with seq <= up_to_seq (retention); checkpoints are kept.
  virtual Result<int64_t> Prune(int64_t up_to_seq) = 0;
  // The audit public key (hex Ed25519), stored at init.
  virtual Result<std::optional<std::string>> PublicKey() = 0;
  virtual Status SetPublicKey(const std::string& hex) = 0;
};

// --- Catalog (M2) ---------------------------------------------------------------------------
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

// --- Outbox (M5) -----------------------------------------------------------------------------
// Notifications waiting to be sent (or sent). Times are ISO-8601 UTC with seconds.

struct OutboxRow {
  int64_t id = 0;
  std::string key;  // unique: adding a row whose key is there adds nothing
  std::string kind;
  std::string unit;  // unit code
  std::string subject;
  std::string body;
  std::string data;  // JSON object text
  std::string created_at;
  std::string state = "pending";  // "pending" | "delivered" | "failed"
  int64_t attempts = 0;
  std::string next_attempt_at;  // pending rows are due when this is <= now
  std::string delivered_at;     // "" until delivered
  std::string last_error;       // what went wrong at the last attempt ("" when nothing)
  bool webhook_done = false;
  bool email_done = false;
};

class OutboxStore {
 public:
  virtual ~OutboxStore() = default;
  // Inserts each row whose key is not there yet (id ignored), all in one transaction; returns,
  // for each row in order, whether it was added.
  virtual Result<std::vector<bool>> InsertIfAbsent(const std::vector<OutboxRow>& rows) = 0;
  // Pending rows with next_attempt_at <= `now`, by next_attempt_at then id, at most `limit`.
  virtual Result<std::vector<OutboxRow>> Due(const std::string& now, int64_t limit) = 0;
  // Writes the delivery fields of row `row.id` (state, attempts, next_attempt_at, delivered_at,
  // last_error, webhook_done, email_done). Errors: outbox.not_found.
  virtual Status UpdateAttempt(const OutboxRow& row) = 0;
  // Rows in `state` (every state when unset), newest first, at most `limit`.
  virtual Result<std::vector<OutboxRow>> List(const std::optional<std::string>& state,
                                              int64_t limit) = 0;
};

// --- Datasets (M3) ---------------------------------------------------------------------------
// A dataset's records live in a typed table of their own, "ds_<code>", one column per schema
// field plus _batch (the batch that last wrote the row: its time is the row's);
// "ds_<code>__history" keeps the previous values of every row an upsert changed. Names are checked
// by the ingest module ([a-z][a-z0-9_]*), so the store may quote them into statements.

struct DatasetRow {
  std::string code;
  std::string title;
  std::string title_en;
  std::string description;
  std::string owner_unit;
  std::string template_name;  // the built-in template it was made from ("" for none)
  int64_t version = 1;
  std::string schema_json;  // the current schema (Frictionless Table Schema + pdh: keys)
  std::string created_at;
  std::string updated_at;
};

struct DatasetVersionRow {
  std::string dataset;
  int64_t version = 1;
  std::string schema_json;
  std::string created_at;
  std::string created_by;
  std::string note;
};

enum class ColumnType { kText, kInteger, kReal };

struct DatasetColumn {
  std::string name;
  ColumnType type = ColumnType::kText;
  bool unique = false;  // no two rows hold the same value
};

// A dataset's typed table as the store needs to know it.
struct DatasetTable {
  std::string dataset;                 // the code; the table is "ds_<code>"
  std::vector<DatasetColumn> columns;  // in schema order
  std::vector<size_t> key;             // indexes into columns: the primary key (not empty)
};

// A typed value: null, integer, real or text.
using Cell = std::variant<std::monostate, int64_t, double, std::string>;

// The text of a row's key as the history and the reports name it: the key cells (indexes
// into `cells`) joined by '|'.
std::string KeyText(const std::vector<Cell>& cells, const std::vector<size_t>& key);

// A row ready to be written: its number in the source (for reports) and one cell per column.
struct StagedRow {
  int64_t row = 0;
  std::vector<Cell> cells;
};

struct BatchRow {
  int64_t id = 0;
  std::string dataset;
  std::string client_id;  // the batch id the sender chose ("" for none)
  std::string sha256;     // of the bytes received
  std::string status;     // "committed" | "dry_run" | "rejected"
  std::string created_at;
  std::string created_by;
  std::string report_json;
};

struct RejectRow {
  int64_t row = 0;
  std::string column;
  std::string value;
  std::string code;
  std::string message;
};

struct BatchCounts {
  int64_t imported = 0;   // rows whose key was new
  int64_t updated = 0;    // rows that changed an existing row
  int64_t unchanged = 0;  // rows equal to the existing row
};

// Why a row offered to a batch was not written.
enum class RowConflict {
  kDuplicateKey,  // an earlier row of the same batch had its key
  kUniqueValue,   // another row holds the value of a unique column
};

// How a batch ends, decided once every row was offered.
struct BatchEnd {
  std::string status;       // as BatchRow::status
  bool keep_rows = false;   // false: the rows written are rolled back, the report kept
  std::string report_json;  // stored with the batch
};

struct RecordQuery {
  std::vector<std::pair<size_t, std::string>> equals;  // column index, value (compared as text)
  // When set, only rows whose column `scope_column` holds one of these codes.
  std::optional<size_t> scope_column;
  std::optional<std::vector<std::string>> scope_units;
  std::string folded_text;  // rows where some text column contains it once folded ("" for all)
  std::optional<size_t> sort_column;  // default: the rowid (order of arrival)
  bool descending = false;
  int64_t offset = 0;
  int64_t limit = 50;
};

struct RecordPage {
  std::vector<std::vector<Cell>> rows;  // columns, then _batch
  int64_t total = 0;
};

struct HistoryRow {
  int64_t batch = 0;
  std::string at;
  std::string by;
  std::string previous_json;  // {"field": value, ...} before the change
};

class DatasetStore {
 public:
  virtual ~DatasetStore() = default;
  // Adds the dataset, creates its tables and records version 1. Errors: dataset.exists.
  virtual Status Create(const DatasetRow& d, const DatasetTable& table,
                        const DatasetVersionRow& v) = 0;
  // Stores a new schema version: updates the dataset row and adds the `added` columns.
  virtual Status Alter(const DatasetRow& d, const DatasetTable& table,
                       const std::vector<DatasetColumn>& added, const DatasetVersionRow& v) = 0;
  virtual Result<std::vector<DatasetRow>> List() = 0;
  virtual Result<std::optional<DatasetRow>> Find(const std::string& code) = 0;
  virtual Result<std::vector<DatasetVersionRow>> Versions(const std::string& code) = 0;
  virtual Result<int64_t> RowCount(const std::string& code) = 0;
  // Rows of the dataset's table where `column` is not null.
  virtual Result<int64_t> ValueCount(const std::string& code, const std::string& column) = 0;

  // The committed batch of `dataset` that had this client id (when not empty), else this hash.
  virtual Result<std::optional<BatchRow>> FindCommitted(const std::string& dataset,
                                                        const std::string& client_id,
                                                        const std::string& sha256) = 0;
  // Writes one batch in one transaction: the batch row, every row `next` hands over (an upsert
  // by key: new rows inserted, changed rows updated with their previous values kept in the
  // history, equal rows left alone), then `finish`'s report and the rejected rows `rejects`
  // streams. `next` fills `out` and returns false once there is nothing more; its error ends the
  // batch with nothing written. A row whose key an earlier row of the same batch had is not
  // written, nor one that would repeat a unique column's value: `on_conflict` is told. When
  // `finish` says not to keep the rows they are rolled back, the report and the rejected rows stay.
  // Returns the batch id. kill -9 at any moment leaves either the whole batch or nothing.
  virtual Result<int64_t> WriteBatch(
      const DatasetTable& table, const BatchRow& header,
      const std::function<Result<bool>(std::vector<StagedRow>& out)>& next,
      const std::function<void(const StagedRow&, RowConflict)>& on_conflict,
      const std::function<Result<BatchEnd>(int64_t id, const BatchCounts&, int64_t twin)>& finish,
      const std::function<Status(const std::function<Status(const RejectRow&)>&)>& rejects) = 0;
  virtual Result<std::optional<BatchRow>> Batch(int64_t id) = 0;
  // The batches of `dataset` with id < before_id (0: from the newest), newest first.
  virtual Result<std::vector<BatchRow>> Batches(const std::string& dataset, int64_t before_id,
                                                int64_t limit) = 0;
  // The rejected rows of a batch by row number.
  virtual Status ForEachReject(int64_t batch_id,
                               const std::function<Status(const RejectRow&)>& fn) = 0;

  virtual Result<RecordPage> Records(const DatasetTable& table, const RecordQuery& q) = 0;
  // Every row of the table in arrival order (columns only), for exports and the indicators.
  virtual Status ForEachRecord(const DatasetTable& table,
                               const std::function<Status(const std::vector<Cell>&)>& fn) = 0;
  // The rows written or touched by batches after `after_batch` (their _batch is greater), in
  // arrival order, with that batch id: what the indicators have not seen yet.
  virtual Status ForEachRecordSince(
      const DatasetTable& table, int64_t after_batch,
      const std::function<Status(const std::vector<Cell>&, int64_t batch)>& fn) = 0;
  // The newest committed batch id of any dataset (0 when none).
  virtual Result<int64_t> LastCommittedBatch() = 0;
  // The previous values of the row with key `key` (key cells joined by '|'), oldest first.
  virtual Result<std::vector<HistoryRow>> History(const std::string& dataset,
                                                  const std::string& key) = 0;
};

// --- Index set (M5) --------------------------------------------------------------------------
// Definitions are stored whole as JSON (the engine module reads and checks them); values are
// keyed by element, option, unit code (as reported: an old commune's code stays as it was) and
// period id ("2025-10", "2025Q3", "2025").

struct IndexObjectRow {
  std::string kind;  // "sector" | "element" | "indicator" | "constant"
  std::string code;
  std::string definition;  // JSON
  std::string updated_at;
  std::string updated_by;
};

struct DataValueRow {
  std::string element;
  std::string option;
  std::string unit;
  std::string period;
  std::optional<double> value;  // null: withdrawn
  int64_t seq = 0;              // set by the store: the order of writes
  std::string created_at;       // first reported (kept when the value is replaced)
  std::string updated_at;
  std::string by;
  std::string source;  // "api", "csv", "dhis2", "demo", ...
};

struct MergeWeightRow {
  std::string old_code;
  std::string new_code;
  double weight = 0;  // share of the old commune's values going to the new one
};

class IndexStore {
 public:
  virtual ~IndexStore() = default;
  virtual Result<std::vector<IndexObjectRow>> Objects() = 0;
  // Adds or replaces `put` and removes `remove` (kind, code) in one transaction.
  virtual Status PutObjects(const std::vector<IndexObjectRow>& put,
                            const std::vector<std::pair<std::string, std::string>>& remove) = 0;
  // Upserts values in one transaction, each with the next seq; a replaced value keeps its
  // created_at. Returns the last seq written.
  virtual Result<int64_t> PutValues(const std::vector<DataValueRow>& rows) = 0;
  // Values written after `after_seq`, in seq order.
  virtual Status ForEachValue(int64_t after_seq,
                              const std::function<Status(const DataValueRow&)>& fn) = 0;
  virtual Result<int64_t> LastValueSeq() = 0;
  virtual Result<std::vector<MergeWeightRow>> MergeWeights() = 0;
  // Replaces the weights of the old communes named in `rows`.
  virtual Status SetMergeWeights(const std::vector<MergeWeightRow>& rows) = 0;
};

// --- Resolution 57 register (M6) ------------------------------------------------------------
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

struct OpenOptions {
  bool create = true;        // create the file when missing
  int read_connections = 4;  // size of the read pool
};

class Store {
 public:
  // Opens (or creates) the database at `path` and applies pending migrations.
  // Errors: store.open_failed, store.newer_schema (the file was written by a newer pdh).
  static Result<std::unique_ptr<Store>> Open(const std::string& path, OpenOptions options = {});

  virtual ~Store() = default;

  // Schema version after migrations.
  virtual int schema_version() const = 0;

  // Replaces every unit and succession in one transaction. Ids in `units` are kept as given;
  // parent ids and succession ids refer to them.
  virtual Status ReplaceUnits(const std::vector<UnitRow>& units,
                              const std::vector<SuccessionRow>& successions) = 0;
  virtual Result<std::vector<UnitRow>> LoadUnits() = 0;
  virtual Result<std::vector<SuccessionRow>> LoadSuccessions() = 0;
  // Adds one unit; returns its id. Errors: unit.duplicate_code.
  virtual Result<int64_t> InsertUnit(const UnitRow& unit) = 0;
  // Updates the editable fields (name, short_name, type, population, area, lat, lon) of `unit.id`.
  virtual Status UpdateUnit(const UnitRow& unit) = 0;

  // Small key/value settings (home province, import stamps).
  virtual Result<std::optional<std::string>> GetSetting(const std::string& key) = 0;
  virtual Status SetSetting(const std::string& key, const std::string& value) = 0;
  // The settings whose key starts with `prefix`, by key.
  virtual Result<std::vector<std::pair<std::string, std::string>>> ListSettings(
      const std::string& prefix) = 0;

  // Online backup to `dest_path` (must not exist) while readers and writers go on.
  virtual Status Backup(const std::string& dest_path) = 0;

  // True when a read round-trip to the database succeeds (for /readyz).
  virtual bool healthy() = 0;

  virtual IdentityStore& identity() = 0;
  virtual AuditStore& audit() = 0;
  virtual CatalogStore& catalog() = 0;
  virtual TrackerStore& tracker() = 0;
  virtual OutboxStore& outbox() = 0;
  virtual DatasetStore& datasets() = 0;
  virtual IndexStore& index() = 0;
  // The database file's path ("" for in-memory databases).
  virtual const std::string& path() const = 0;
};

}  // namespace pdh::store
