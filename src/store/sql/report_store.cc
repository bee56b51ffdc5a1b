// The SQLite report repository (table of migration 9): the monthly reports as issued.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "store/report.h"
#include "store/sql/connections.h"
#include "store/sql/db.h"

namespace pdh::store::sql {
namespace {

class SqliteReportStore final : public Area<ReportStore> {
 public:
  using Area::Area;

  Result<bool> InsertIfAbsent(const ReportRow& row) override {
    bool added = false;
    auto s = writer_.Submit([&](Db& db) -> Status {
      auto run = Execute(db,
                         "INSERT INTO monthly_report (month, issued_at, issued_by, content) "
                         "VALUES (?1,?2,?3,?4) ON CONFLICT(month) DO NOTHING",
                         [&](Statement& st) {
                           st.Bind(1, row.month).Bind(2, row.issued_at).Bind(3, row.issued_by);
                           st.Bind(4, row.content);
                         });
      if (!run) return run;
      added = db.Changes() > 0;
      return Ok();
    });
    if (!s) return Fail(s.error());
    return added;
  }

  Result<std::optional<ReportRow>> Get(const std::string& month) override {
    Sql sql{"SELECT month, issued_at, issued_by, content FROM monthly_report", {}};
    sql.Where("month = ?", month);
    return ReadFirst<ReportRow>(readers_, sql, [](const Statement& st) {
      return ReportRow{st.Text(0), st.Text(1), st.Text(2), st.Text(3)};
    });
  }

  Result<std::vector<ReportRow>> List() override {
    const Sql sql{"SELECT month, issued_at, issued_by FROM monthly_report ORDER BY month DESC", {}};
    return ReadAll<ReportRow>(readers_, sql, [](const Statement& st) {
      return ReportRow{st.Text(0), st.Text(1), st.Text(2), ""};
    });
  }
};

}  // namespace

std::unique_ptr<ReportStore> MakeReportStore(Writer& writer, ReadPool& readers) {
  return std::make_unique<SqliteReportStore>(writer, readers);
}

}  // namespace pdh::store::sql
