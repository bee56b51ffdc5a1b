// The SQLite repository of the Resolution 57 register (tables of migration 4): programmes, items
// with their current state and every version, monthly reports and their attachments. Writes go
// through the writer (group commit, one savepoint each), reads through the pool.
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/sql/connections.h"
#include "store/sql/db.h"
#include "store/sql/versioned.h"
#include "store/tracker.h"

namespace pdh::store::sql {
namespace {

// Whether some version up to v's was an adjustment, and version 1's effective date.
constexpr std::string_view kVersionSelect =
    "SELECT i.code, v.number, v.effective_date, v.recorded_at, v.actor, v.reason, v.approval, "
    "v.adjusted, v.changes, v.snapshot, "
    "(SELECT max(w.adjusted) FROM tracker_version w WHERE w.item_id = v.item_id AND w.number <= "
    "v.number), "
    "(SELECT w.effective_date FROM tracker_version w WHERE w.item_id = v.item_id AND w.number = 1) "
    "FROM tracker_version v JOIN tracker_item i ON i.id = v.item_id ";
constexpr VersionTable kVersions{kVersionSelect, "i.code", "tracker_version", "item_id"};

TrackerVersionRow ReadVersion(const Statement& st) {
  TrackerVersionRow v;
  v.code = st.Text(0);
  v.number = st.Int(1);
  v.effective_date = st.Text(2);
  v.recorded_at = st.Text(3);
  v.actor = st.Text(4);
  v.reason = st.Text(5);
  v.approval = st.Text(6);
  v.adjusted = st.Int(7) != 0;
  v.changes = st.Text(8);
  v.snapshot = st.Text(9);
  v.adjusted_so_far = st.Int(10) != 0;
  v.first_effective = st.Text(11);
  return v;
}

constexpr std::string_view kItemSelect =
    "SELECT i.code, i.kind, i.programme, i.parent, i.level, i.lead_unit, i.sector, i.state, "
    "i.deadline, i.search, i.version, i.effective_date, i.snapshot, "
    "EXISTS (SELECT 1 FROM tracker_version w WHERE w.item_id = i.id AND w.adjusted = 1), "
    "(SELECT w.effective_date FROM tracker_version w WHERE w.item_id = i.id AND w.number = 1) "
    "FROM tracker_item i ";

TrackerItemRow ReadItem(const Statement& st) {
  TrackerItemRow r;
  r.code = st.Text(0);
  r.kind = st.Text(1);
  r.programme = st.Text(2);
  r.parent = st.Text(3);
  r.level = st.Text(4);
  r.lead_unit = st.Text(5);
  r.sector = st.Text(6);
  r.state = st.Text(7);
  r.deadline = st.OptText(8);
  r.search = st.Text(9);
  r.version = st.Int(10);
  r.effective_date = st.Text(11);
  r.snapshot = st.Text(12);
  r.adjusted = st.Int(13) != 0;
  r.first_effective = st.Text(14);
  return r;
}

constexpr std::string_view kReportSelect =
    "SELECT r.id, i.code, r.month, r.unit, r.percent, r.submitted_at, r.updated_at, "
    "r.submitted_by, r.snapshot FROM tracker_report r JOIN tracker_item i ON i.id = r.item_id ";

constexpr std::string_view kAttachmentColumns =
    "a.id, a.name, a.content_type, a.size, a.uploaded_at, a.uploaded_by";

TrackerAttachmentRow ReadAttachment(const Statement& st) {
  return {st.Int(0), st.Text(1), st.Text(2), st.Int(3), st.Text(4), st.Text(5)};
}

Error NotFound(const std::string& code) {
  return Error::NotFound("tracker.not_found", "no target or task with code '" + code + "'");
}

// The item's row id, if it exists.
Result<std::optional<int64_t>> ItemId(Db& db, const std::string& code) {
  auto st = db.Prepare("SELECT id FROM tracker_item WHERE code = ?1");
  if (!st) return Fail(st.error());
  st->Bind(1, std::string_view(code));
  auto row = st->Step();
  if (!row) return Fail(row.error());
  if (!*row) return std::optional<int64_t>();
  return std::optional<int64_t>(st->Int(0));
}

Result<bool> ProgrammeExists(Db& db, const std::string& code) {
  auto st = db.Prepare("SELECT 1 FROM tracker_programme WHERE code = ?1");
  if (!st) return Fail(st.error());
  st->Bind(1, std::string_view(code));
  return st->Step();
}

constexpr std::string_view kItemColumns =
    "code, kind, programme, parent, level, lead_unit, sector, state, deadline, search, version, "
    "effective_date, snapshot";

constexpr RecordTable kItems{"tracker_item", kItemColumns,    "tracker",
                             "item",         "code: an item", NotFound};

void BindItem(Statement& st, const TrackerItemRow& r) {
  st.Bind(1, r.code).Bind(2, r.kind).Bind(3, r.programme).Bind(4, r.parent).Bind(5, r.level);
  st.Bind(6, r.lead_unit).Bind(7, r.sector).Bind(8, r.state).Bind(9, r.deadline);
  st.Bind(10, r.search).Bind(11, r.version).Bind(12, r.effective_date).Bind(13, r.snapshot);
}

Result<int64_t> InsertItem(Db& db, const TrackerItemRow& r) {
  auto exists = ProgrammeExists(db, r.programme);
  if (!exists) return Fail(exists.error());
  if (!*exists) {
    return Fail(Error::Invalid("tracker.unknown_programme",
                               "programme: no programme with code '" + r.programme + "'"));
  }
  return InsertRecord(db, kItems, r.code, [&](Statement& st) { BindItem(st, r); });
}

Status UpdateItem(Db& db, int64_t id, const TrackerItemRow& r) {
  auto exists = ProgrammeExists(db, r.programme);
  if (!exists) return Fail(exists.error());
  if (!*exists) {
    return Fail(Error::Invalid("tracker.unknown_programme",
                               "programme: no programme with code '" + r.programme + "'"));
  }
  return UpdateRecord(db, kItems, id, [&](Statement& st) { BindItem(st, r); });
}

Status InsertVersion(Db& db, int64_t id, const TrackerVersionRow& v) {
  return InsertVersionRow(db, kVersions,
                          "number, effective_date, recorded_at, actor, reason, approval, "
                          "adjusted, changes, snapshot",
                          id, [&](Statement& st) {
                            st.Bind(2, v.number).Bind(3, v.effective_date);
                            st.Bind(4, v.recorded_at).Bind(5, v.actor).Bind(6, v.reason);
                            st.Bind(7, v.approval).Bind(8, int64_t{v.adjusted});
                            st.Bind(9, v.changes).Bind(10, v.snapshot);
                          });
}

Status WriteOne(Db& db, const TrackerWrite& w) {
  auto id = WriteVersion(
      db, kItems, w.item.code, w.version.number, [&] { return InsertItem(db, w.item); },
      [&](int64_t item) { return UpdateItem(db, item, w.item); },
      [&](int64_t item) { return InsertVersion(db, item, w.version); });
  if (!id) return Fail(id.error());
  return Ok();
}

Status WriteAll(Db& db, const std::vector<TrackerWrite>& writes) {
  for (const auto& w : writes) {
    if (auto s = WriteOne(db, w); !s) return s;
  }
  return Ok();
}

Status UpsertReport(Db& db, const TrackerReportRow& r) {
  auto id = ItemId(db, r.code);
  if (!id) return Fail(id.error());
  if (!*id) return Fail(NotFound(r.code));
  auto st = db.Prepare(
      "INSERT INTO tracker_report (item_id, month, unit, percent, submitted_at, updated_at, "
      "submitted_by, snapshot) VALUES (?1,?2,?3,?4,?5,?6,?7,?8) "
      "ON CONFLICT (item_id, month) DO UPDATE SET unit = excluded.unit, "
      "percent = excluded.percent, updated_at = excluded.updated_at, "
      "snapshot = excluded.snapshot");
  if (!st) return Fail(st.error());
  st->Bind(1, **id).Bind(2, r.month).Bind(3, r.unit).Bind(4, r.percent);
  st->Bind(5, r.submitted_at).Bind(6, r.updated_at).Bind(7, r.submitted_by).Bind(8, r.snapshot);
  return st->Run();
}

Sql ReportFilter(std::string base, const TrackerReportQuery& q) {
  Sql sql{std::move(base), {}};
  if (q.code) sql.Where("i.code = ?", *q.code);
  if (q.unit) sql.Where("r.unit = ?", *q.unit);
  if (q.month) sql.Where("r.month = ?", *q.month);
  return sql;
}

class SqliteTrackerStore final : public Area<TrackerStore> {
 public:
  using Area::Area;

  Status AddProgramme(const TrackerProgrammeRow& p) override {
    return writer_.Submit([&](Db& db) -> Status {
      auto st = db.Prepare("INSERT INTO tracker_programme (code, snapshot) VALUES (?1, ?2)");
      if (!st) return Fail(st.error());
      st->Bind(1, p.code).Bind(2, p.snapshot);
      if (auto s = st->Run(); !s) {
        if (s.error().code != "store.duplicate") return s;
        return Fail(Error::Conflict("tracker.duplicate_code",
                                    "code: a programme with code '" + p.code + "' already exists"));
      }
      return Ok();
    });
  }

  Result<std::vector<TrackerProgrammeRow>> Programmes() override {
    return ReadAll<TrackerProgrammeRow>(
        readers_, {"SELECT code, snapshot FROM tracker_programme ORDER BY code", {}},
        [](const Statement& st) {
          return TrackerProgrammeRow{st.Text(0), st.Text(1)};
        });
  }

  Status Write(const std::vector<TrackerWrite>& writes) override {
    return writer_.Submit([&](Db& db) { return WriteAll(db, writes); });
  }

  Result<std::optional<TrackerItemRow>> Find(const std::string& code) override {
    Sql sql{std::string(kItemSelect), {}};
    sql.Where("i.code = ?", code);
    return ReadFirst<TrackerItemRow>(readers_, sql, ReadItem);
  }

  Result<std::vector<TrackerItemRow>> All() override {
    return ReadAll<TrackerItemRow>(readers_, {std::string(kItemSelect) + "ORDER BY i.code", {}},
                                   ReadItem);
  }

  Result<std::vector<TrackerVersionRow>> Versions(const std::string& code) override {
    return ReadAll<TrackerVersionRow>(readers_, VersionsOf(kVersions, code), ReadVersion);
  }

  Result<std::vector<TrackerVersionRow>> AsOf(const std::string& as_of) override {
    return ReadAll<TrackerVersionRow>(readers_, VersionsAsOf(kVersions, as_of), ReadVersion);
  }

  Status SaveReport(const TrackerReportRow& report,
                    const std::vector<TrackerWrite>& writes) override {
    return writer_.Submit([&](Db& db) -> Status {
      if (auto s = WriteAll(db, writes); !s) return s;
      return UpsertReport(db, report);
    });
  }

  Result<std::vector<TrackerReportRow>> Reports(const TrackerReportQuery& q) override {
    Sql sql = ReportFilter(std::string(kReportSelect), q);
    sql.text += " ORDER BY i.code, r.month";
    std::map<int64_t, size_t> index;  // report id -> position in the result
    auto rows = ReadAll<std::pair<int64_t, TrackerReportRow>>(readers_, sql, [](const auto& st) {
      TrackerReportRow r;
      r.code = st.Text(1);
      r.month = st.Text(2);
      r.unit = st.Text(3);
      r.percent = st.Int(4);
      r.submitted_at = st.Text(5);
      r.updated_at = st.Text(6);
      r.submitted_by = st.Text(7);
      r.snapshot = st.Text(8);
      return std::pair<int64_t, TrackerReportRow>(st.Int(0), std::move(r));
    });
    if (!rows) return Fail(rows.error());
    std::vector<TrackerReportRow> out;
    out.reserve(rows->size());
    for (auto& [id, row] : *rows) {
      index[id] = out.size();
      out.push_back(std::move(row));
    }
    if (out.empty()) return out;
    Sql att = ReportFilter("SELECT r.id, " + std::string(kAttachmentColumns) +
                               " FROM tracker_attachment a JOIN tracker_report r ON r.id = "
                               "a.report_id JOIN tracker_item i ON i.id = r.item_id",
                           q);
    att.text += " ORDER BY a.id";
    auto attachments =
        ReadAll<std::pair<int64_t, TrackerAttachmentRow>>(readers_, att, [](const auto& st) {
          return std::pair<int64_t, TrackerAttachmentRow>(
              st.Int(0), {st.Int(1), st.Text(2), st.Text(3), st.Int(4), st.Text(5), st.Text(6)});
        });
    if (!attachments) return Fail(attachments.error());
    for (auto& [report_id, a] : *attachments) {
      auto it = index.find(report_id);
      if (it != index.end()) out[it->second].attachments.push_back(std::move(a));
    }
    return out;
  }

  Result<int64_t> AddAttachment(const std::string& code, const std::string& month,
                                const TrackerAttachmentRow& a, const std::string& data,
                                int64_t max_count) override {
    int64_t id = 0;
    auto s = writer_.Submit([&](Db& db) -> Status {
      auto find = db.Prepare(
          "SELECT r.id, (SELECT count(*) FROM tracker_attachment a WHERE a.report_id = r.id) "
          "FROM tracker_report r JOIN tracker_item i ON i.id = r.item_id "
          "WHERE i.code = ?1 AND r.month = ?2");
      if (!find) return Fail(find.error());
      find->Bind(1, code).Bind(2, month);
      auto row = find->Step();
      if (!row) return Fail(row.error());
      if (!*row) {
        return Fail(Error::NotFound("tracker.not_found", "no report of '" + code + "' for " +
                                                             month + ": submit the report first"));
      }
      const int64_t report_id = find->Int(0);
      if (find->Int(1) >= max_count) {
        return Fail(Error::Invalid(
            "tracker.too_many",
            "attachments: a report has at most " + std::to_string(max_count) + " attachments"));
      }
      auto ins = db.Prepare(
          "INSERT INTO tracker_attachment (report_id, name, content_type, size, data, "
          "uploaded_at, uploaded_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
      if (!ins) return Fail(ins.error());
      ins->Bind(1, report_id).Bind(2, a.name).Bind(3, a.content_type).Bind(4, a.size);
      ins->BindBlob(5, data).Bind(6, a.uploaded_at).Bind(7, a.uploaded_by);
      if (auto r = ins->Run(); !r) return r;
      auto last_id = db.LastInsertId();
      if (!last_id) return Fail(last_id.error());
      id = *last_id;
      return Ok();
    });
    if (!s) return Fail(s.error());
    return id;
  }

  Result<std::optional<std::pair<TrackerAttachmentRow, std::string>>> Attachment(
      int64_t id) override {
    using Found = std::pair<TrackerAttachmentRow, std::string>;
    const Sql sql{"SELECT " + std::string(kAttachmentColumns) +
                      ", a.data FROM tracker_attachment a WHERE a.id = " + std::to_string(id),
                  {}};
    return ReadFirst<Found>(readers_, sql, [](const Statement& st) {
      return Found(ReadAttachment(st), std::string(st.Blob(6)));
    });
  }
};

}  // namespace

std::unique_ptr<TrackerStore> MakeTrackerStore(Writer& writer, ReadPool& readers) {
  return std::make_unique<SqliteTrackerStore>(writer, readers);
}

}  // namespace pdh::store::sql
