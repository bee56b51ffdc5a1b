// Private to the catalog: the snapshot format, the rules, and how an edit becomes a store write —
// shared by the single edits, the import and the demo.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog.h"

namespace pdh::catalog::internal {

// A rule broken by one edit, with the field it is about (the import's column).
struct Problem {
  Error error;
  std::string field;
};

Problem MakeProblem(std::string code, std::string field, std::string message);

// The entry as it stands now in the store (or in an import's staged view).
struct Current {
  Entry entry;
  int64_t version = 0;
  Date effective;
};

// Text fields in NFC with spaces collapsed; empty list items dropped.
Entry Normalized(const Entry& e);

// The kind of the entry with `code`, if it exists (for link targets).
using KindOf = std::function<std::optional<Kind>(const std::string& code)>;

struct Edit {
  const Current* current = nullptr;  // null: a new entry
  Date effective;
  std::string reason;
  const units::Registry& registry;
  KindOf kind_of;
};

// Every rule of catalog.h for `next`; the first one broken.
std::optional<Problem> Check(const Entry& next, const Edit& edit);

// Field-by-field differences; with no `before`, every field that is set.
std::vector<FieldChange> Diff(const Entry* before, const Entry& after);

// The store write for a checked edit: version current+1 (or 1), its changes, search columns.
store::CatalogWrite MakeWrite(const Entry& entry, const Current* current, Date effective,
                              const std::string& recorded_at, const Change& change);

// Parses a stored row back.
Result<Current> FromRow(const store::CatalogEntryRow& row);
Result<Version> FromRow(const store::CatalogVersionRow& row);

// Today by `clock` (UTC).
Date Today(const Clock& clock);

// The most data rows one import reads (catalog.bad_file beyond).
inline constexpr size_t kMaxImportRows = 20000;
Error BadFile(const std::string& why);  // catalog.bad_file

// The import column a header cell names: an export column, "effective_date" or "reason", by its
// English name or a Vietnamese one ("Mã", "Đơn vị chủ quản"), compared without diacritics, case,
// spaces or punctuation. "" for a column the import skips (STT, the row number); nullopt when
// it names nothing known.
std::optional<std::string_view> ColumnNamed(std::string_view header);
// Whether the column (as ColumnNamed returns it) holds dates.
bool IsDateColumn(std::string_view column);

}  // namespace pdh::catalog::internal
