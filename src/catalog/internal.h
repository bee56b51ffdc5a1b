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

using reg::MakeProblem;
using reg::Problem;

// The catalog's error codes ("catalog.not_found", ...).
inline constexpr reg::Codes kCodes("catalog", "catalog ");

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

// The most data rows one import reads (catalog.bad_file beyond).
inline constexpr size_t kMaxImportRows = 20000;

// The import and export columns (catalog.h), with the headers departments write in Vietnamese.
const reg::Layout<Entry>& SheetLayout();

}  // namespace pdh::catalog::internal
