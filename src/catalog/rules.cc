// The catalog's rules (listed in catalog.h): which fields each status needs, which status
// changes make sense, and what entries may link to.
#include <set>

#include "catalog/internal.h"

namespace pdh::catalog::internal {
namespace {

// A check's finding: the rule broken, or nothing.
using Finding = std::optional<Problem>;

// How the kind, code and date rules every register checks are worded here.
constexpr reg::StepRules kStep{"an entry's kind never changes: add a new entry instead",
                               "an entry's code never changes", "effective_date"};

bool IsNational(Kind k) {
  return k == Kind::kNational;
}

bool AllowedFor(Kind kind, EntryStatus s) {
  const bool national_status = s == EntryStatus::kConnected || s == EntryStatus::kNotConnected;
  return IsNational(kind) == national_status;
}

// Position along the way forward: planned 0, under construction 1, in use 2; not connected 0,
// connected 1.
int Rank(EntryStatus s) {
  switch (s) {
    case EntryStatus::kPlanned:
    case EntryStatus::kNotConnected:
      return 0;
    case EntryStatus::kUnderConstruction:
    case EntryStatus::kConnected:
      return 1;
    case EntryStatus::kInUse:
      return 2;
  }
  return 0;
}

Finding CheckIdentity(const Entry& e) {
  if (auto p = reg::CheckCode(kCodes, e.code, "entry", "CSDL-SYT-01")) return p;
  if (e.name.empty()) return kCodes.Missing("name", "for every entry");
  if (e.sector.empty()) return kCodes.Missing("sector", "for every entry");
  if (e.owner.empty()) return kCodes.Missing("owner", "for every entry (the owner unit's code)");
  if (!AllowedFor(e.kind, e.status)) {
    return kCodes.Invalid("status", IsNational(e.kind)
                                        ? "a national database is connected or not_connected"
                                        : "use planned, under_construction or in_use");
  }
  return std::nullopt;
}

// Going back along the way forward needs a reason.
bool GoesBack(const Entry& prev, const Entry& next) {
  if (Rank(next.status) < Rank(prev.status)) return true;
  if (prev.consolidation == Consolidation::kMerged &&
      next.consolidation == Consolidation::kNotMerged) {
    return true;
  }
  return prev.ioc_connected && !next.ioc_connected;
}

Finding CheckTransition(const Entry& next, const Edit& edit) {
  if (!edit.current) return std::nullopt;
  const Entry& prev = edit.current->entry;
  if (auto p = reg::CheckStep(kCodes, kStep, prev, edit.current->effective, next, edit.effective)) {
    return p;
  }
  if (Rank(next.status) > Rank(prev.status) + 1) {
    return MakeProblem("catalog.invalid_transition", "status",
                       std::string(kStatusNames.Name(prev.status)) + " cannot become " +
                           std::string(kStatusNames.Name(next.status)) +
                           " directly: record under_construction first");
  }
  if (GoesBack(prev, next) && edit.reason.empty()) {
    return MakeProblem("catalog.reason_required", "reason",
                       "going back (" + std::string(kStatusNames.Name(prev.status)) + " to " +
                           std::string(kStatusNames.Name(next.status)) +
                           ", un-merging or leaving the IOC) needs a reason");
  }
  return std::nullopt;
}

Finding CheckConsolidation(const Entry& e) {
  if (e.consolidation == Consolidation::kNone) return std::nullopt;
  if (e.kind != Kind::kDatabase) {
    return kCodes.Invalid("consolidation", "only specialized databases are merged or not merged");
  }
  if (e.status != EntryStatus::kInUse) {
    return MakeProblem("catalog.invalid_transition", "consolidation",
                       "a database is merged or not merged only once it is in_use");
  }
  return std::nullopt;
}

Finding CheckRequired(const Entry& e) {
  const std::string why = "when status is " + std::string(kStatusNames.Name(e.status));
  if (Rank(e.status) >= 1 && !IsNational(e.kind) && e.legal_basis.empty()) {
    return kCodes.Missing("legal_basis", why);
  }
  if (e.status == EntryStatus::kInUse) {
    if (e.hosting.empty()) return kCodes.Missing("hosting", why);
    if (!e.last_data_update) return kCodes.Missing("last_data_update", why);
    if (e.contact.empty()) return kCodes.Missing("contact", why);
    if (e.kind == Kind::kDatabase && e.consolidation == Consolidation::kNone) {
      return kCodes.Missing("consolidation", why + " (merged or not_merged)");
    }
    if (e.kind == Kind::kDatabase && !e.record_count) return kCodes.Missing("record_count", why);
  }
  if (e.status == EntryStatus::kConnected && !e.connected_at)
    return kCodes.Missing("connected_at", why);
  return std::nullopt;
}

Finding CheckValues(const Entry& e) {
  if (e.connected_at && !IsNational(e.kind)) {
    return kCodes.Invalid("connected_at", "only national databases have a connection date");
  }
  if (e.record_count && *e.record_count < 0)
    return kCodes.Invalid("record_count", "must be 0 or more");
  return std::nullopt;
}

Finding CheckOwner(const Entry& e, const Edit& edit) {
  if (edit.registry.Find(e.owner, edit.effective)) return std::nullopt;
  return MakeProblem("catalog.unknown_unit", "owner",
                     "no unit with code '" + e.owner + "' on " + edit.effective.ToString() +
                         ": use an agency code such as 80.SYT or a commune code");
}

Problem BadLink(const std::string& why) {
  return MakeProblem("catalog.invalid_link", "links", why);
}

Finding CheckLinks(const Entry& e, const Edit& edit) {
  if (e.links.empty()) return std::nullopt;
  if (e.kind != Kind::kDatabase) return BadLink("only specialized databases link to others");
  std::set<Link> seen;
  for (const auto& l : e.links) {
    if (!seen.insert(l).second) return BadLink("'" + l.target + "' is listed twice");
    const Kind want = l.kind == LinkKind::kRunsOn ? Kind::kPlatform : Kind::kNational;
    const auto kind = edit.kind_of(l.target);
    if (!kind) return BadLink("'" + l.target + "' is not in the catalog");
    if (*kind != want) {
      return BadLink("'" + l.target + "' is a " + std::string(kKindNames.Name(*kind)) + "; " +
                     std::string(kLinkKindNames.Name(l.kind)) + " needs a " +
                     std::string(kKindNames.Name(want)));
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<Problem> Check(const Entry& next, const Edit& edit) {
  if (auto p = CheckIdentity(next)) return p;
  if (auto p = CheckTransition(next, edit)) return p;
  for (auto check : {CheckConsolidation, CheckRequired, CheckValues}) {
    if (auto p = check(next)) return p;
  }
  if (auto p = CheckOwner(next, edit)) return p;
  return CheckLinks(next, edit);
}

}  // namespace pdh::catalog::internal
