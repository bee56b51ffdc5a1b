// The store's datasets area (M3): datasets, their schema versions, their typed record tables,
// the batches that wrote them and the rows those batches rejected.
//
// Thread-safety: all methods are thread-safe (see store/store.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <variant>
#include <vector>

#include "core/error.h"

namespace pdh::store {

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
  // Column index, from (inclusive) and before (exclusive), compared as text ("" leaves that end
  // open): a period of dates or times written the ISO way.
  std::vector<std::tuple<size_t, std::string, std::string>> ranges;
  int64_t after_batch = 0;  // only rows last written by a batch after this one (0: all)
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
  // What the batches after `after_batch` changed in `tables`, read at one moment: for each row
  // they created or changed (by table index, in arrival order), the row as it is now and as it
  // was after `after_batch` (null when a later batch created it). Rows a later batch only
  // touched (sent again unchanged) are left out; with `after_batch` 0, every row, each created.
  // Returns the newest committed batch id at that moment: what to pass as `after_batch` next.
  // The rows are streamed, not held (PostgreSQL reads them through a cursor).
  virtual Result<int64_t> ForEachChangeSince(
      const std::vector<const DatasetTable*>& tables, int64_t after_batch,
      const std::function<Status(size_t table, const std::vector<Cell>& now,
                                 const std::vector<Cell>* before)>& fn) = 0;
  // The newest committed batch id of any dataset (0 when none).
  virtual Result<int64_t> LastCommittedBatch() = 0;
  // The previous values of the row with key `key` (key cells joined by '|'), oldest first.
  virtual Result<std::vector<HistoryRow>> History(const std::string& dataset,
                                                  const std::string& key) = 0;
};

}  // namespace pdh::store
