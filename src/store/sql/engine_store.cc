// The SQLite engine repository (tables of migration 12): the engine's saved state, in parts of
// 8 MiB written by writes of their own, so that the batches' writes go on between them (a
// province's state is hundreds of megabytes); a save counts once its row in engine_save is
// written, and the parts of the saves before it are removed after.
#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/memory.h"
#include "store/engine.h"
#include "store/sql/connections.h"
#include "store/sql/db.h"

namespace pdh::store::sql {
namespace {

constexpr size_t kEnginePart = size_t{8} << 20;

// The saved state's parts read straight into one buffer of their total size (the state is
// hundreds of megabytes for millions of records: no copy, no regrowth).
Result<std::optional<std::string>> ReadParts(Db& db) {
  auto newest = db.Prepare("SELECT save, parts, bytes FROM engine_save ORDER BY save DESC LIMIT 1");
  if (!newest) return Fail(newest.error());
  auto found = newest->Step();
  if (!found) return Fail(found.error());
  if (!*found) return std::optional<std::string>();
  const int64_t save = newest->Int(0);
  const int64_t parts_written = newest->Int(1);
  const int64_t bytes_written = newest->Int(2);
  auto sizes =
      db.Prepare("SELECT id, length(data) FROM engine_state WHERE save = ?1 ORDER BY part");
  if (!sizes) return Fail(sizes.error());
  sizes->Bind(1, save);
  std::vector<std::pair<int64_t, int64_t>> parts;
  int64_t total = 0;
  for (;;) {
    auto row = sizes->Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    parts.emplace_back(sizes->Int(0), sizes->Int(1));
    total += sizes->Int(1);
  }
  // A save whose parts another process's save removed meanwhile is no state at all.
  if (static_cast<int64_t>(parts.size()) != parts_written || total != bytes_written) {
    return std::optional<std::string>();
  }
  std::string out;
  out.reserve(static_cast<size_t>(total));
  memory::AdviseHugePages(out.data(), out.capacity());
  out.resize(static_cast<size_t>(total));
  size_t at = 0;
  auto data = db.Prepare("SELECT data FROM engine_state WHERE id = ?1");
  if (!data) return Fail(data.error());
  for (const auto& [part, size] : parts) {
    if (db.backend() == Backend::kPostgres) {
      data->Bind(1, part);
      auto row = data->Step();
      if (!row) return Fail(row.error());
      const std::string_view bytes = *row ? data->Blob(0) : std::string_view();
      if (bytes.size() != static_cast<size_t>(size)) return std::optional<std::string>();
      std::copy(bytes.begin(), bytes.end(), out.begin() + static_cast<std::ptrdiff_t>(at));
      data->Reset();
      at += static_cast<size_t>(size);
      continue;
    }
    sqlite3_blob* blob = nullptr;
    int rc = sqlite3_blob_open(db.raw(), "main", "engine_state", "data", part, 0, &blob);
    if (rc == SQLITE_OK) rc = sqlite3_blob_read(blob, out.data() + at, static_cast<int>(size), 0);
    sqlite3_blob_close(blob);
    if (rc != SQLITE_OK) {
      return Fail(Error::Internal("store.engine_state",
                                  std::string("reading the saved state: ") + sqlite3_errstr(rc)));
    }
    at += static_cast<size_t>(size);
  }
  return std::optional<std::string>(std::move(out));
}

class SqliteEngineStore final : public Area<EngineStore> {
 public:
  using Area::Area;

  Status SaveEngineState(std::string_view bytes) override {
    // A number after every save, complete or cut short; parts of saves cut short go first.
    int64_t save = 0;
    auto s = writer_.Submit([&](Db& db) -> Status {
      if (auto d = db.Exec("DELETE FROM engine_state WHERE save NOT IN "
                           "(SELECT save FROM engine_save)");
          !d) {
        return d;
      }
      auto st = db.Prepare(
          "SELECT coalesce(max(save), 0) + 1 FROM (SELECT save FROM engine_state UNION ALL "
          "SELECT save FROM engine_save) AS saves");
      if (!st) return Fail(st.error());
      auto row = st->Step();
      if (!row) return Fail(row.error());
      save = st->Int(0);
      return Ok();
    });
    if (!s) return s;
    int64_t part = 0;
    for (size_t at = 0; at < bytes.size() || part == 0; at += kEnginePart, ++part) {
      const std::string_view chunk = bytes.substr(at, std::min(kEnginePart, bytes.size() - at));
      s = writer_.Submit([&](Db& db) -> Status {
        return Execute(db, "INSERT INTO engine_state (save, part, data) VALUES (?1, ?2, ?3)",
                       [&](Statement& st) { st.Bind(1, save).Bind(2, part).BindBlob(3, chunk); });
      });
      if (!s) return s;
    }
    s = writer_.Submit([&](Db& db) -> Status {
      auto written = db.Prepare("SELECT count(*) FROM engine_state WHERE save = ?1");
      if (!written) return Fail(written.error());
      written->Bind(1, save);
      if (auto row = written->Step(); !row) return Fail(row.error());
      if (written->Int(0) != part) {
        return Fail(Error::Conflict("store.engine_state_replaced",
                                    "another process saved the indicators' state meanwhile: "
                                    "its save stands; this one is dropped"));
      }
      if (auto i = Execute(db, "INSERT INTO engine_save (save, parts, bytes) VALUES (?1, ?2, ?3)",
                           [&](Statement& st) {
                             st.Bind(1, save).Bind(2, part);
                             st.Bind(3, static_cast<int64_t>(bytes.size()));
                           });
          !i) {
        return i;
      }
      return Execute(db, "DELETE FROM engine_save WHERE save < ?1",
                     [&](Statement& st) { st.Bind(1, save); });
    });
    if (!s) return s;
    // The saves before, part by part.
    for (;;) {
      bool more = false;
      s = writer_.Submit([&](Db& db) -> Status {
        auto d = Execute(db,
                         "DELETE FROM engine_state WHERE id = "
                         "(SELECT id FROM engine_state WHERE save < ?1 LIMIT 1)",
                         [&](Statement& st) { st.Bind(1, save); });
        more = d && db.Changes() > 0;
        return d;
      });
      if (!s || !more) return s;
    }
  }

  Result<std::optional<std::string>> LoadEngineState() override {
    auto lease = readers_.Acquire();
    if (!lease) return Fail(lease.error());
    Db& db = lease->db();
    // One read transaction, one snapshot (PostgreSQL's default reads each statement afresh): the
    // parts of one save, not removed by a later save meanwhile.
    if (auto s = BeginSnapshot(db); !s) return Fail(s.error());
    auto out = ReadParts(db);
    (void)db.Exec("COMMIT");
    return out;
  }

  Status ClearEngineState() override {
    return writer_.Submit([](Db& db) -> Status {
      if (auto s = db.Exec("DELETE FROM engine_save"); !s) return s;
      return db.Exec("DELETE FROM engine_state");
    });
  }
};

}  // namespace

std::unique_ptr<EngineStore> MakeEngineStore(Writer& writer, ReadPool& readers) {
  return std::make_unique<SqliteEngineStore>(writer, readers);
}

}  // namespace pdh::store::sql
