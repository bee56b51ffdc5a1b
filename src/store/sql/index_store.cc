// The SQLite index set repository (tables of migration 7): definitions, reported values and
// merge weights. Writes go through the writer (group commit), reads through the pool.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "store/index.h"
#include "store/sql/connections.h"
#include "store/sql/db.h"

namespace pdh::store::sql {
namespace {

class SqliteIndexStore final : public Area<IndexStore> {
 public:
  using Area::Area;

  Result<std::vector<IndexObjectRow>> Objects() override {
    return ReadRows<std::vector<IndexObjectRow>>(
        readers_,
        "SELECT kind, code, definition, updated_at, updated_by FROM index_object "
        "ORDER BY kind, code",
        [](const Statement& st, std::vector<IndexObjectRow>& out) {
          out.push_back({st.Text(0), st.Text(1), st.Text(2), st.Text(3), st.Text(4)});
        });
  }

  Status PutObjects(const std::vector<IndexObjectRow>& put,
                    const std::vector<std::pair<std::string, std::string>>& remove) override {
    return writer_.Submit([&](Db& db) -> Status {
      auto up = db.Prepare(
          "INSERT INTO index_object (kind, code, definition, updated_at, updated_by) "
          "VALUES (?1,?2,?3,?4,?5) ON CONFLICT(kind, code) DO UPDATE SET "
          "definition=excluded.definition, updated_at=excluded.updated_at, "
          "updated_by=excluded.updated_by");
      if (!up) return Fail(up.error());
      for (const auto& r : put) {
        up->Bind(1, r.kind).Bind(2, r.code).Bind(3, r.definition).Bind(4, r.updated_at);
        up->Bind(5, r.updated_by);
        if (auto s = up->Run(); !s) return s;
      }
      auto del = db.Prepare("DELETE FROM index_object WHERE kind = ?1 AND code = ?2");
      if (!del) return Fail(del.error());
      for (const auto& [kind, code] : remove) {
        del->Bind(1, kind).Bind(2, code);
        if (auto s = del->Run(); !s) return s;
      }
      return Ok();
    });
  }

  Result<int64_t> PutValues(const std::vector<DataValueRow>& rows) override {
    int64_t last = 0;
    auto s = writer_.Submit([&](Db& db) -> Status {
      auto top = db.Prepare("SELECT coalesce(max(seq), 0) FROM data_value");
      if (!top) return Fail(top.error());
      auto more = top->Step();
      if (!more) return Fail(more.error());
      last = top->Int(0);
      auto up = db.Prepare(
          "INSERT INTO data_value (element, option, unit, period, value, seq, created_at, "
          "updated_at, by, source) VALUES (?1,?2,?3,?4,?5,?6,?7,?7,?8,?9) "
          "ON CONFLICT(element, option, unit, period) DO UPDATE SET value=excluded.value, "
          "seq=excluded.seq, updated_at=excluded.updated_at, by=excluded.by, "
          "source=excluded.source");
      if (!up) return Fail(up.error());
      for (const auto& r : rows) {
        up->Bind(1, r.element).Bind(2, r.option).Bind(3, r.unit).Bind(4, r.period);
        up->Bind(5, r.value).Bind(6, ++last).Bind(7, r.updated_at).Bind(8, r.by);
        up->Bind(9, r.source);
        if (auto run = up->Run(); !run) return run;
      }
      return Ok();
    });
    if (!s) return Fail(s.error());
    return last;
  }

  Status ForEachValue(int64_t after_seq,
                      const std::function<Status(const DataValueRow&)>& fn) override {
    auto lease = readers_.Acquire();
    if (!lease) return Fail(lease.error());
    auto st = lease->db().Prepare(
        "SELECT element, option, unit, period, value, seq, created_at, updated_at, by, source "
        "FROM data_value WHERE seq > ?1 ORDER BY seq");
    if (!st) return Fail(st.error());
    st->Bind(1, after_seq);
    DataValueRow r;
    for (;;) {
      auto more = st->Step();
      if (!more) return Fail(more.error());
      if (!*more) return Ok();
      r.element = st->Text(0);
      r.option = st->Text(1);
      r.unit = st->Text(2);
      r.period = st->Text(3);
      r.value = st->OptDouble(4);
      r.seq = st->Int(5);
      r.created_at = st->Text(6);
      r.updated_at = st->Text(7);
      r.by = st->Text(8);
      r.source = st->Text(9);
      if (auto s = fn(r); !s) return s;
    }
  }

  Result<int64_t> LastValueSeq() override {
    return ReadRows<int64_t>(readers_, "SELECT coalesce(max(seq), 0) FROM data_value",
                             [](const Statement& st, int64_t& out) { out = st.Int(0); });
  }

  Result<std::vector<MergeWeightRow>> MergeWeights() override {
    return ReadRows<std::vector<MergeWeightRow>>(
        readers_, "SELECT old_code, new_code, weight FROM merge_weight ORDER BY old_code, new_code",
        [](const Statement& st, std::vector<MergeWeightRow>& out) {
          out.push_back({st.Text(0), st.Text(1), st.Double(2)});
        });
  }

  Status SetMergeWeights(const std::vector<MergeWeightRow>& rows) override {
    return writer_.Submit([&](Db& db) -> Status {
      auto del = db.Prepare("DELETE FROM merge_weight WHERE old_code = ?1");
      auto ins =
          db.Prepare("INSERT INTO merge_weight (old_code, new_code, weight) VALUES (?1,?2,?3)");
      if (!del) return Fail(del.error());
      if (!ins) return Fail(ins.error());
      for (const auto& r : rows) {
        del->Bind(1, r.old_code);
        if (auto s = del->Run(); !s) return s;
      }
      for (const auto& r : rows) {
        ins->Bind(1, r.old_code).Bind(2, r.new_code).Bind(3, r.weight);
        if (auto s = ins->Run(); !s) return s;
      }
      return Ok();
    });
  }
};

}  // namespace

std::unique_ptr<IndexStore> MakeIndexStore(Writer& writer, ReadPool& readers) {
  return std::make_unique<SqliteIndexStore>(writer, readers);
}

}  // namespace pdh::store::sql
