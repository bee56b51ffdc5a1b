// The audit scope of a thread: which audit entry, if any, the next write must carry.
#include <utility>

#include "store/audit.h"

namespace pdh::store {
namespace {

thread_local AuditScope* current_scope = nullptr;

}  // namespace

AuditScope::AuditScope(Make make) : make_(std::move(make)), outer_(current_scope) {
  current_scope = this;
}

AuditScope::~AuditScope() {
  current_scope = outer_;
}

AuditScope* AuditScope::Pending() {
  AuditScope* s = current_scope;
  return s != nullptr && !s->appended_ ? s : nullptr;
}

}  // namespace pdh::store
