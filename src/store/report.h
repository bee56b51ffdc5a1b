// The store's report area (M13): the monthly reports as issued, each kept with its content so that
// it reads the same later.
//
// Thread-safety: all methods are thread-safe (see store/store.h).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/error.h"

namespace pdh::store {

struct ReportRow {
  std::string month;  // "YYYY-MM"
  std::string issued_at;
  std::string issued_by;
  std::string content;  // JSON text (report::Monthly's document)
};

class ReportStore {
 public:
  virtual ~ReportStore() = default;
  // Keeps `row` unless a report of its month is kept already; returns whether it was added.
  virtual Result<bool> InsertIfAbsent(const ReportRow& row) = 0;
  virtual Result<std::optional<ReportRow>> Get(const std::string& month) = 0;
  // Every kept report without its content, newest month first.
  virtual Result<std::vector<ReportRow>> List() = 0;
};

}  // namespace pdh::store
