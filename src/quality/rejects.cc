// The rows rejected at ingest, per unit and month: read back from the batches' stored reports,
// so the count is the ingest's own (a row with several bad cells is one row).
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <boost/json.hpp>

#include "ingest/ingest.h"
#include "quality/quality.h"

namespace pdh::quality {

Result<std::vector<Rejected>> RejectedRows(store::DatasetStore& store, const std::string& dataset,
                                           Date as_of, int64_t after_batch, int64_t* newest) {
  // Batches a page at a time, newest first: their reports hold up to a thousand errors each.
  constexpr int64_t kBatchPage = 256;
  const std::string last_day = as_of.ToString();
  std::map<std::pair<std::string, std::string>, int64_t> sums;  // (unit, month) -> rows
  int64_t before = 0;
  for (;;) {
    auto page = store.Batches(dataset, before, kBatchPage);
    if (!page) return Fail(page.error());
    bool older = false;
    for (const auto& b : *page) {
      if (b.id <= after_batch) {
        older = true;
        break;
      }
      if (newest != nullptr && b.id > *newest) *newest = b.id;
      if (b.status != "committed" && b.status != "rejected") continue;
      if (b.created_at.size() < 10 || b.created_at.substr(0, 10) > last_day) continue;
      const ingest::Report report = ingest::Report::FromJson(boost::json::parse(b.report_json));
      if (report.status == "duplicate") continue;
      const std::string month = b.created_at.substr(0, 7);
      for (const auto& [unit, rows] : report.rejected_by_unit) sums[{unit, month}] += rows;
    }
    if (older || static_cast<int64_t>(page->size()) < kBatchPage) break;
    before = page->back().id;
  }
  std::vector<Rejected> out;
  out.reserve(sums.size());
  for (const auto& [key, rows] : sums) out.push_back({key.first, key.second, rows});
  return out;
}

}  // namespace pdh::quality
