// The access policy as a table: who may do what, where. Read by auth's policy test and meant to
// be read by the HTTP authorization matrix too, which maps the four targets to real units.
//
// Targets, in the order of each `expected` string:
//   own      the unit the officer or system is granted ("80.SNNMT" in the auth test)
//   child    a unit below it ("80.SNNMT.CCTL")
//   other    a unit outside the grant ("25459")
//   province a province-wide resource (no unit)
// 'Y' allowed, '-' refused.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "auth/auth.h"

namespace pdh::auth::policy_cases {

inline constexpr std::string_view kTargets[] = {"own", "child", "other", "province"};

// A principal of the table. Officers and systems hold one grant on `own`.
struct Actor {
  std::string_view who;
  Role role;
  bool include_descendants = false;  // of the grant on `own`
  Principal::Via via = Principal::Via::kSession;
  bool mfa = true;
  std::vector<std::string> token_permissions;  // tokens: empty = all
  std::vector<std::string> token_targets;      // tokens: targets named above; empty = all
};

inline const std::vector<Actor> kActors = {
    {.who = "administrator", .role = Role::kAdministrator},
    {.who = "administrator without 2FA", .role = Role::kAdministrator, .mfa = false},
    {.who = "leader", .role = Role::kLeader},
    {.who = "auditor", .role = Role::kAuditor},
    {.who = "officer of own and below", .role = Role::kOfficer, .include_descendants = true},
    {.who = "officer of own only", .role = Role::kOfficer},
    {.who = "system of own and below",
     .role = Role::kSystem,
     .include_descendants = true,
     .via = Principal::Via::kToken},
    {.who = "officer token: data.read",
     .role = Role::kOfficer,
     .include_descendants = true,
     .via = Principal::Via::kToken,
     .token_permissions = {"data.read"}},
    {.who = "officer token: data.*, child",
     .role = Role::kOfficer,
     .include_descendants = true,
     .via = Principal::Via::kToken,
     .token_permissions = {"data.*"},
     .token_targets = {"child"}},
    {.who = "administrator token: data.read",
     .role = Role::kAdministrator,
     .via = Principal::Via::kToken,
     .token_permissions = {"data.read"}},
};

struct Case {
  std::string_view who;
  std::string_view permission;
  std::string_view expected;  // own, child, other, province
};

// clang-format off
inline const std::vector<Case> kCases = {
    // Administrators may do everything, once they passed a second factor.
    {"administrator",                  "data.read",         "YYYY"},
    {"administrator",                  "data.read_private", "YYYY"},
    {"administrator",                  "data.write",        "YYYY"},
    {"administrator",                  "data.admin",        "YYYY"},
    {"administrator",                  "audit.read",        "YYYY"},
    {"administrator without 2FA",      "public",            "YYYY"},
    {"administrator without 2FA",      "authenticated",     "YYYY"},
    {"administrator without 2FA",      "data.read",         "----"},
    {"administrator without 2FA",      "data.read_private", "----"},
    {"administrator without 2FA",      "data.write",        "----"},
    {"administrator without 2FA",      "data.admin",        "----"},
    {"administrator without 2FA",      "audit.read",        "----"},
    // Leaders read everything and write nothing.
    {"leader",                         "authenticated",     "YYYY"},
    {"leader",                         "data.read",         "YYYY"},
    {"leader",                         "data.read_private", "YYYY"},
    {"leader",                         "data.write",        "----"},
    {"leader",                         "data.admin",        "----"},
    {"leader",                         "audit.read",        "----"},
    // Auditors read province-wide data and the audit log.
    {"auditor",                        "data.read",         "YYYY"},
    {"auditor",                        "data.read_private", "----"},
    {"auditor",                        "data.write",        "----"},
    {"auditor",                        "data.admin",        "----"},
    {"auditor",                        "audit.read",        "YYYY"},
    // Officers read everything public, and their own units' private data and writes.
    {"officer of own and below",       "public",            "YYYY"},
    {"officer of own and below",       "authenticated",     "YYYY"},
    {"officer of own and below",       "data.read",         "YYYY"},
    {"officer of own and below",       "data.read_private", "YY--"},
    {"officer of own and below",       "data.write",        "YY--"},
    {"officer of own and below",       "data.admin",        "----"},
    {"officer of own and below",       "audit.read",        "----"},
    {"officer of own only",            "data.read",         "YYYY"},
    {"officer of own only",            "data.read_private", "Y---"},
    {"officer of own only",            "data.write",        "Y---"},
    {"officer of own only",            "data.admin",        "----"},
    {"officer of own only",            "audit.read",        "----"},
    // Connected systems are held like officers.
    {"system of own and below",        "data.read",         "YYYY"},
    {"system of own and below",        "data.read_private", "YY--"},
    {"system of own and below",        "data.write",        "YY--"},
    {"system of own and below",        "data.admin",        "----"},
    {"system of own and below",        "audit.read",        "----"},
    // A token narrows its account: by permission...
    {"officer token: data.read",       "authenticated",     "YYYY"},
    {"officer token: data.read",       "data.read",         "YYYY"},
    {"officer token: data.read",       "data.read_private", "----"},
    {"officer token: data.read",       "data.write",        "----"},
    {"officer token: data.read",       "units.read",        "----"},
    {"administrator token: data.read", "data.read",         "YYYY"},
    {"administrator token: data.read", "data.write",        "----"},
    {"administrator token: data.read", "data.admin",        "----"},
    {"administrator token: data.read", "audit.read",        "----"},
    // ...and by unit: its units and below; of province-wide resources only what all read.
    {"officer token: data.*, child",   "data.read",         "-Y-Y"},
    {"officer token: data.*, child",   "data.read_private", "-Y--"},
    {"officer token: data.*, child",   "data.write",        "-Y--"},
    {"officer token: data.*, child",   "data.admin",        "----"},
    {"officer token: data.*, child",   "units.read",        "----"},
};
// clang-format on

}  // namespace pdh::auth::policy_cases
