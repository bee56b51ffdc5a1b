// The register's rules (listed in tracker.h): which fields every item needs, which state changes
// make sense, what an adjustment must carry, and where an item may sit in an assignment chain.
#include "tracker/internal.h"

namespace pdh::tracker::internal {
namespace {

// A check's finding: the rule broken, or nothing.
using Finding = std::optional<Problem>;

// How the kind, code and date rules every register checks are worded here.
constexpr reg::StepRules kStep{"a target stays a target and a task a task: add a new item instead",
                               "an item's code never changes", "effective"};

// Longest assignment chain followed when looking for cycles.
constexpr int kMaxChain = 1000;

Finding CheckIdentity(const Item& i) {
  if (auto p = reg::CheckCode(kCodes, i.code, "item", "NQ57-NV-012")) return p;
  if (i.programme.empty()) return kCodes.Missing("programme", "for every item (a programme code)");
  if (i.title.empty()) return kCodes.Missing("title", "for every item");
  if (i.lead_unit.empty())
    return kCodes.Missing("lead_unit", "for every item (the lead unit's code)");
  return std::nullopt;
}

// The lifecycle: not_started -> in_progress -> completed, not_started -> completed, anything ->
// cancelled, completed -> in_progress (reopening); nothing leaves cancelled.
bool Allowed(State from, State to) {
  if (from == to) return true;
  if (from == State::kCancelled) return false;
  if (to == State::kCancelled) return true;
  switch (from) {
    case State::kNotStarted:
      return to == State::kInProgress || to == State::kCompleted;
    case State::kInProgress:
      return to == State::kCompleted;
    case State::kCompleted:
      return to == State::kInProgress;
    case State::kCancelled:
      return false;
  }
  return false;
}

std::string StateChange(State from, State to) {
  return std::string(kStateNames.Name(from)) + " to " + std::string(kStateNames.Name(to));
}

Finding CheckTransition(const Item& next, const Edit& edit) {
  if (!edit.current) return std::nullopt;
  const Item& prev = edit.current->item;
  if (auto p = reg::CheckStep(kCodes, kStep, prev, edit.current->effective, next, edit.effective)) {
    return p;
  }
  if (!Allowed(prev.state, next.state)) {
    return MakeProblem(
        "tracker.invalid_transition", "state",
        StateChange(prev.state, next.state) + " is not allowed" +
            (prev.state == State::kCancelled ? ": a cancelled item stays cancelled" : ""));
  }
  const bool cancels = next.state == State::kCancelled && prev.state != State::kCancelled;
  const bool reopens = prev.state == State::kCompleted && next.state == State::kInProgress;
  const bool adjusts = IsAdjustment(prev, next);
  if ((cancels || reopens || adjusts) && edit.change.reason.empty()) {
    const std::string what = cancels   ? "cancelling an item"
                             : reopens ? "reopening a completed item"
                                       : "an adjustment (deadline, title, expected product, "
                                         "target value or lead unit)";
    return MakeProblem("tracker.reason_required", "reason", what + " needs a reason");
  }
  if (adjusts && edit.change.approval.empty()) {
    return MakeProblem("tracker.approval_required", "approval",
                       "an adjustment (deadline, title, expected product, target value or lead "
                       "unit) needs the approving decision or person");
  }
  return std::nullopt;
}

Finding CheckFields(const Item& i, const Edit& edit) {
  if (!i.deadline && i.recurrence == Recurrence::kNone) {
    return kCodes.Missing("deadline", "unless the task recurs");
  }
  if (i.assigned_at && i.deadline && *i.deadline < *i.assigned_at) {
    return kCodes.Invalid("deadline",
                          "must not be before assigned_at (" + i.assigned_at->ToString() + ")");
  }
  if (i.state == State::kCompleted && !i.completed_at) {
    return kCodes.Missing("completed_at", "when the item is completed");
  }
  if (i.completed_at && (i.state == State::kNotStarted || i.state == State::kInProgress)) {
    return kCodes.Invalid("completed_at", "only a completed item has a completion date");
  }
  if (i.completed_at && edit.effective < *i.completed_at) {
    return kCodes.Invalid(
        "completed_at", "must not be after the effective date (" + edit.effective.ToString() + ")");
  }
  if (i.kind == ItemKind::kTarget && !i.target_value) {
    return kCodes.Missing("target_value", "for a target (the value to reach)");
  }
  return std::nullopt;
}

Finding CheckUnits(const Item& i, const Edit& edit, const Context& context) {
  const auto unknown = [&](const std::string& field, const std::string& code) {
    return MakeProblem("tracker.unknown_unit", field,
                       "no unit with code '" + code + "' on " + edit.effective.ToString() +
                           ": use the province (80), an agency such as 80.SKHCN or a commune code");
  };
  if (!context.registry.Find(i.lead_unit, edit.effective)) return unknown("lead_unit", i.lead_unit);
  for (const auto& u : i.cooperating_units) {
    if (!context.registry.Find(u, edit.effective)) return unknown("cooperating_units", u);
  }
  return std::nullopt;
}

Finding CheckParent(const Item& i, const Context& context) {
  if (i.parent.empty()) return std::nullopt;
  if (i.parent == i.code) return kCodes.Invalid("parent", "an item is not assigned from itself");
  auto up = context.parent_of(i.parent);
  if (!up) {
    return MakeProblem("tracker.unknown_parent", "parent",
                       "no target or task with code '" + i.parent + "'");
  }
  for (int n = 0; n < kMaxChain && !up->empty(); ++n) {
    if (*up == i.code) {
      return kCodes.Invalid("parent", "'" + i.parent + "' is itself assigned from '" + i.code +
                                          "': an assignment chain cannot loop");
    }
    up = context.parent_of(*up);
    if (!up) break;
  }
  return std::nullopt;
}

}  // namespace

std::optional<Problem> Check(const Item& next, const Edit& edit, const Context& context) {
  if (auto p = CheckIdentity(next)) return p;
  if (auto p = CheckTransition(next, edit)) return p;
  if (auto p = CheckFields(next, edit)) return p;
  if (!context.programme_exists(next.programme)) {
    return MakeProblem("tracker.unknown_programme", "programme",
                       "no programme with code '" + next.programme + "': add the programme first");
  }
  if (auto p = CheckUnits(next, edit, context)) return p;
  return CheckParent(next, context);
}

}  // namespace pdh::tracker::internal
