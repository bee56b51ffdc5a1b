// The indicator expression language: the formulas leaders define indicators with, DHIS2-like,
// over data elements, other indicators, constants and the attributes of the evaluated unit.
//
//   #{ANC1} / population * 1000          #{VACC.DUNG_HAN} / #{VACC}
//   if(#{A} > 0, #{B} / #{A}, 0)         (#{A} - offset(#{A}, -12)) / offset(#{A}, -12) * 100
//   ytd(#{SINH}) / C{DAN_SO_2024}        #{A}.periodOffset(-1)
//
// Syntax:
//  - numbers: 12, 3.5, .5, 1e3 (a '.' decimal mark; commas separate arguments);
//  - references: #{CODE} a data element, #{CODE.OPTION} one of its disaggregations (category
//    option), I{CODE} another indicator, C{CODE} a named constant; codes are A-Z, a-z, 0-9 and
//    '_', at most 64 characters; `population` and `area` (also `unit.population`, `unit.area`)
//    are attributes of the evaluated unit;
//  - operators, tightest first: '^' (right-associative, and tighter than unary minus:
//    -2 ^ 2 = -4); unary '-' '+' '!'; '*' '/' '%'; '+' '-'; '<' '<=' '>' '>='; '==' '!=';
//    '&&'; '||'; parentheses group;
//  - functions, names in any case: if(cond, a, b), isNull(x), isNotNull(x), coalesce(a, ...),
//    min(a, ...), max(a, ...), abs(x), round(x[, digits]), offset(x, n), ytd(x); and the postfix
//    x.periodOffset(n), the same as offset(x, n). n is a whole number literal, possibly negative.
//
// Time: offset(x, n) reads every data element and indicator in x n months away, so
// offset(#{A}, -12) is the same month, quarter or year last year (the engine reads an offset
// that is not whole periods of the evaluated cell's kind as no value); ytd(x) reads them over
// the year to date. They compose: offset(ytd(x), -12) and ytd(offset(x, -12)) both read the year
// to date ending 12 months earlier. Constants and unit attributes do not vary in time:
// offset and ytd leave them alone. ytd inside ytd is an error.
//
// Null: a reference without a value is null, and so is any result that is not a finite number.
// Arithmetic and comparisons with a null operand are null, as is division or '%' by zero ('%'
// keeps the sign of its left side: -7 % 3 = -1). A non-null, non-zero number is true;
// comparisons (exact: 0.1 + 0.2 == 0.3 is 0) and logic give 1 or 0. `if` with a null
// condition is null; '&&' and '||' are null when a null operand decides the result (false &&
// null = 0, true || null = 1). isNull/isNotNull give 1 or 0, coalesce the first non-null value,
// min/max ignore nulls (null only when all are null). round(x, digits) rounds half away from zero
// at 10^-digits (digits may be negative: round(1234, -2) = 1200).
//
// Units of measure: when Parse is given a MeasureOf, adding, subtracting, comparing or choosing
// between (min, max, coalesce, the branches of if) two values whose measures are known and differ
// is an error. Numbers written in the expression have no measure: #{A} > 0 and #{A} * 100 are
// fine, and x * n, x / n keep x's measure; a / b of one measure has the measure "" (a ratio).
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.h"

namespace pdh::engine {

enum class RefKind { kElement, kIndicator, kConstant, kUnitAttribute };

// What an expression refers to.
struct Ref {
  RefKind kind = RefKind::kElement;
  std::string code;    // for kUnitAttribute, "population" or "area"
  std::string option;  // "" unless #{CODE.OPTION}
  bool operator==(const Ref&) const = default;
};

// A reference as an expression writes it: "#{A}", "#{A.male}", "I{X}", "C{K}", "population".
std::string RefText(const Ref& r);

// Where in time a reference is read, relative to the cell being evaluated: first shifted by
// `offset` months, then (when ytd) widened to the year-to-date ending there. Constants and unit
// attributes are always read at TimeSpec{}.
struct TimeSpec {
  int offset = 0;
  bool ytd = false;
  bool operator==(const TimeSpec&) const = default;
};

// What the evaluator asks for: the value of refs()[ref] at `when`, or nullopt when there is
// none. NaN and infinite values read as null.
class Inputs {
 public:
  virtual ~Inputs() = default;
  virtual std::optional<double> Value(size_t ref, TimeSpec when) const = 0;
};

// The measure of a reference ("người", "hồ sơ", "%", "VND"...), or nullopt when it has none
// (unknown: not checked).
using MeasureOf = std::function<std::optional<std::string>(const Ref&)>;

class Expr {
 public:
  // The limits Parse enforces, so that no input makes it (or Eval) use unbounded memory or
  // recursion.
  static constexpr size_t kMaxLength = size_t{64} * 1024;  // bytes of text
  static constexpr int kMaxDepth = 200;  // nested parentheses, calls and unary operators
  static constexpr int kMaxStack = 256;  // values pending at once while evaluating

  // Errors: Error{"expression.invalid", "at N: <reason>", 422}, N the 1-based position, in
  // characters (UTF-8 code points), of the problem in `text`; past the end for a missing part:
  //   "at 7: expected ')' to close '(' opened at 3"   "at 1: unknown function 'sqr'"
  //   "at 5: 'if' takes 3 arguments, got 2"           "at 9: empty reference '#{}'"
  //   "at 4: unexpected end of expression"            "at 12: unit mismatch: 'người' + 'hồ sơ'"
  static Result<Expr> Parse(std::string_view text, const MeasureOf& measure_of = {});

  Expr(const Expr&);
  Expr(Expr&&) noexcept;
  Expr& operator=(const Expr&);
  Expr& operator=(Expr&&) noexcept;
  ~Expr();

  // As given to Parse.
  const std::string& text() const { return text_; }
  // The distinct references, in order of first appearance; Inputs::Value's `ref` indexes this.
  const std::vector<Ref>& refs() const { return refs_; }
  // Every distinct (ref index, TimeSpec) the expression may read, in order of first appearance:
  // what the engine tracks as the cell's dependencies. Both branches of an if are in, though
  // Eval reads only the one it takes (and skips what && || coalesce do not need).
  const std::vector<std::pair<size_t, TimeSpec>>& reads() const { return reads_; }
  // The measure when known ("" for a ratio of one measure or a plain number), else nullopt.
  std::optional<std::string> measure() const { return measure_; }

  // The value at the cell `in` describes, or nullopt for null. Thread-safe; allocates nothing.
  std::optional<double> Eval(const Inputs& in) const;

  // The expression in canonical form: no redundant parentheses, one space around binary
  // operators, canonical function names, offset(x, n) for x.periodOffset(n). Parsing it gives
  // an expression that evaluates the same, unless that goes beyond the limits (the spaces make
  // it longer; offset(x, n) nests x one level deeper than x.periodOffset(n) does).
  std::string ToString() const { return canonical_; }

 private:
  struct Instr;  // one step of the compiled program (expr.cc)
  class Parser;

  Expr();

  std::string text_;
  std::string canonical_;
  std::vector<Ref> refs_;
  std::vector<std::pair<size_t, TimeSpec>> reads_;
  std::optional<std::string> measure_;
  std::vector<Instr> code_;
};

// The expression of an indicator given as numerator, denominator and factor:
// "(N) / (D) * factor", without "/ (D)" when the denominator is empty (or blank) and without
// "* factor" when the factor is 1.
std::string RatioExpression(std::string_view numerator, std::string_view denominator,
                            double factor);

}  // namespace pdh::engine
