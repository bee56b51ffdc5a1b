// The access policy: roles and the one function that decides what a principal may do
// (the rules are written next to Allows in auth.h).
#include <algorithm>
#include <array>
#include <utility>

#include "auth/auth.h"

namespace pdh::auth {
namespace {

constexpr std::array<std::pair<Role, std::string_view>, 5> kRoles = {{
    {Role::kAdministrator, "administrator"},
    {Role::kOfficer, "officer"},
    {Role::kLeader, "leader"},
    {Role::kAuditor, "auditor"},
    {Role::kSystem, "system"},
}};

// The access part of a permission, with "audit.read" apart: it is not province-wide data.
enum class Access {
  kPublic,
  kAuthenticated,
  kRead,
  kReadPrivate,
  kWrite,
  kAdmin,
  kAuditRead,
  kOther
};

Access AccessOf(std::string_view permission) {
  if (permission == "public") return Access::kPublic;
  if (permission == "authenticated") return Access::kAuthenticated;
  if (permission == "audit.read") return Access::kAuditRead;
  const size_t dot = permission.rfind('.');
  if (dot == std::string_view::npos) return Access::kOther;
  const std::string_view access = permission.substr(dot + 1);
  if (access == "read") return Access::kRead;
  if (access == "read_private") return Access::kReadPrivate;
  if (access == "write") return Access::kWrite;
  if (access == "admin") return Access::kAdmin;
  return Access::kOther;
}

// `unit` is `code` itself, or (when `descendants`) lies below it.
bool Inside(const units::Unit& unit, const std::string& code, bool descendants,
            const units::Registry& registry) {
  if (unit.code == code) return true;
  if (!descendants) return false;
  const auto up = registry.Ancestors(unit);
  return std::any_of(up.begin(), up.end(), [&](const units::Unit* u) { return u->code == code; });
}

bool GrantAllows(const Grant& g, Access access, const units::Unit* unit,
                 const units::Registry& registry) {
  switch (g.role) {
    case Role::kAdministrator:
      return true;
    case Role::kLeader:
      return access == Access::kRead || access == Access::kReadPrivate;
    case Role::kAuditor:
      return access == Access::kRead || access == Access::kAuditRead;
    case Role::kOfficer:
    case Role::kSystem:
      if (access == Access::kRead) return true;
      if (access != Access::kReadPrivate && access != Access::kWrite) return false;
      return unit != nullptr && Inside(*unit, g.unit_code, g.include_descendants, registry);
  }
  return false;
}

bool TokenPermits(const std::vector<std::string>& allowed, std::string_view permission) {
  if (allowed.empty()) return true;
  return std::any_of(allowed.begin(), allowed.end(), [&](const std::string& a) {
    if (a == permission) return true;
    // "area.*" admits every access of that area.
    return a.size() > 2 && a.ends_with(".*") &&
           permission.starts_with(std::string_view(a).substr(0, a.size() - 1));
  });
}

// A unit-limited token reaches its units and everything below them; of province-wide
// resources only the data everyone reads.
bool TokenReaches(const std::vector<std::string>& codes, Access access, const units::Unit* unit,
                  const units::Registry& registry) {
  if (codes.empty()) return true;
  if (unit == nullptr) return access == Access::kRead;
  return std::any_of(codes.begin(), codes.end(),
                     [&](const std::string& code) { return Inside(*unit, code, true, registry); });
}

}  // namespace

std::string_view RoleName(Role r) {
  for (const auto& [role, name] : kRoles) {
    if (role == r) return name;
  }
  return "";
}

std::optional<Role> ParseRole(std::string_view name) {
  for (const auto& [role, n] : kRoles) {
    if (n == name) return role;
  }
  return std::nullopt;
}

bool Principal::Has(Role r) const {
  return std::any_of(grants.begin(), grants.end(), [r](const Grant& g) { return g.role == r; });
}

bool Allows(const Principal& p, std::string_view permission, const units::Unit* unit,
            const units::Registry& registry) {
  const Access access = AccessOf(permission);
  if (access == Access::kPublic || access == Access::kAuthenticated) return true;
  if (p.via == Principal::Via::kSession && p.Has(Role::kAdministrator) && !p.mfa) return false;
  if (p.via == Principal::Via::kToken && !(TokenPermits(p.token_permissions, permission) &&
                                           TokenReaches(p.token_units, access, unit, registry))) {
    return false;
  }
  return std::any_of(p.grants.begin(), p.grants.end(),
                     [&](const Grant& g) { return GrantAllows(g, access, unit, registry); });
}

}  // namespace pdh::auth
