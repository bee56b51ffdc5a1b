// What the engine's tests share: how a case writes a reference.
#pragma once

#include <string>

#include "engine/expr.h"

namespace pdh::engine::test_support {

// A reference as an expression writes it: "#{A}", "#{A.male}", "I{X}", "C{K}", "population".
inline std::string RefText(const Ref& r) {
  switch (r.kind) {
    case RefKind::kElement:
      return "#{" + r.code + (r.option.empty() ? "" : "." + r.option) + "}";
    case RefKind::kIndicator:
      return "I{" + r.code + "}";
    case RefKind::kConstant:
      return "C{" + r.code + "}";
    case RefKind::kUnitAttribute:
      return r.code;
  }
  return "";
}

}  // namespace pdh::engine::test_support
