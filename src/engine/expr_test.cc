// Tests for the indicator expression language: every case of expr_cases.json (a value, an error
// or a measure, and that the canonical text parses back to the same value), then what the cases
// cannot say: refs() and reads(), the limits, RatioExpression and the speed of Eval.
#include "engine/expr.h"

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pdh::engine {
namespace {

// How the cases name a read: the reference, then "@" and the offset and/or "ytd" when it is
// read elsewhere in time: "#{A}", "#{A}@-12", "#{A}@+1", "#{A}@ytd", "#{A}@-12ytd".
std::string InputKey(const Ref& r, TimeSpec when) {
  std::string key = RefText(r);
  if (when == TimeSpec{}) return key;
  key += "@";
  if (when.offset != 0) key += (when.offset > 0 ? "+" : "") + std::to_string(when.offset);
  if (when.ytd) key += "ytd";
  return key;
}

class MapInputs : public Inputs {
 public:
  MapInputs(const Expr& e, const std::map<std::string, std::optional<double>>& values)
      : expr_(e), values_(values) {}
  std::optional<double> Value(size_t ref, TimeSpec when) const override {
    auto it = values_.find(InputKey(expr_.refs().at(ref), when));
    return it == values_.end() ? std::nullopt : it->second;
  }

 private:
  const Expr& expr_;
  const std::map<std::string, std::optional<double>>& values_;
};

void ExpectSameValue(std::optional<double> got, std::optional<double> want,
                     const std::string& what) {
  if (!want) {
    EXPECT_EQ(got, std::nullopt) << what;
    return;
  }
  ASSERT_TRUE(got.has_value()) << what << ": null, expected " << *want;
  EXPECT_NEAR(*got, *want, 1e-9 * std::max(1.0, std::fabs(*want))) << what;
}

// --- The cases of expr_cases.json ---------------------------------------------------------------

struct Case {
  std::string name;  // for the test's name
  std::string expr;
  std::map<std::string, std::optional<double>> inputs;
  std::map<std::string, std::string> measures;
  std::optional<std::string> error;  // the start of the message
  std::optional<double> expected;    // when error is not set; nullopt is null
  bool check_measure = false;
  std::optional<std::string> measure;
  std::optional<std::string> canonical;
  std::string problem;  // the case (or the file) could not be read
};

std::optional<double> Number(const boost::json::value& v) {
  if (v.is_null()) return std::nullopt;
  boost::system::error_code ec;
  double d = v.to_number<double>(ec);
  if (ec) return std::nullopt;
  return d;
}

// A readable, unique test name: the case's number, then its expression's letters, digits and
// operators in words: "005_1_plus_2_times_3".
std::string CaseName(size_t index, std::string_view expr) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 17> kWords = {{
      {"<=", "le"},
      {">=", "ge"},
      {"==", "eq"},
      {"!=", "ne"},
      {"&&", "and"},
      {"||", "or"},
      {"+", "plus"},
      {"-", "minus"},
      {"*", "times"},
      {"/", "div"},
      {"%", "mod"},
      {"^", "pow"},
      {"<", "lt"},
      {">", "gt"},
      {"!", "not"},
      {".", "dot"},
      {",", "_"},
  }};
  std::ostringstream name;
  name << (index < 100 ? "0" : "") << (index < 10 ? "0" : "") << index;
  std::string tail;
  auto separate = [&tail] {
    if (!tail.empty() && tail.back() != '_') tail.push_back('_');
  };
  while (!expr.empty() && tail.size() < 48) {
    char c = expr[0];
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
      tail.push_back(c);
      expr.remove_prefix(1);
      continue;
    }
    separate();
    auto word =
        std::ranges::find_if(kWords, [&](const auto& w) { return expr.starts_with(w.first); });
    if (word != kWords.end() && word->second != "_") {
      tail += word->second;
      separate();
    }
    expr.remove_prefix(word != kWords.end() ? word->first.size() : 1);
  }
  while (!tail.empty() && tail.back() == '_') tail.pop_back();
  if (!tail.empty()) name << "_" << tail;
  return name.str();
}

Case ReadCase(size_t index, const boost::json::value& v) {
  Case c;
  c.name = CaseName(index, "");
  const boost::json::object* o = v.if_object();
  const boost::json::value* expr = o ? o->if_contains("expr") : nullptr;
  if (expr == nullptr || !expr->is_string()) {
    c.problem = "case " + std::to_string(index) + " has no \"expr\" string";
    return c;
  }
  c.expr = std::string(expr->get_string());
  c.name = CaseName(index, c.expr);
  if (const auto* inputs = o->if_contains("inputs"); inputs && inputs->is_object()) {
    for (const auto& [key, value] : inputs->get_object()) c.inputs[key] = Number(value);
  }
  if (const auto* measures = o->if_contains("measures"); measures && measures->is_object()) {
    for (const auto& [key, value] : measures->get_object()) {
      if (value.is_string()) c.measures[key] = std::string(value.get_string());
    }
  }
  if (const auto* error = o->if_contains("error"); error && error->is_string()) {
    c.error = std::string(error->get_string());
  } else if (const auto* expected = o->if_contains("expected")) {
    c.expected = Number(*expected);
    if (!expected->is_null() && !c.expected) c.problem = "\"expected\" is not a number or null";
  } else {
    c.problem = "case has neither \"expected\" nor \"error\"";
  }
  if (const auto* measure = o->if_contains("measure")) {
    c.check_measure = true;
    if (measure->is_string()) c.measure = std::string(measure->get_string());
  }
  if (const auto* canonical = o->if_contains("canonical"); canonical && canonical->is_string()) {
    c.canonical = std::string(canonical->get_string());
  }
  return c;
}

std::vector<Case> LoadCases() {
  std::string path = PDH_SOURCE_DIR "/src/engine/expr_cases.json";
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  boost::system::error_code ec;
  boost::json::value cases = boost::json::parse(text.str(), ec);
  if (!in || ec || !cases.is_array()) {
    Case c;
    c.name = "expr_cases_json";
    c.problem = "cannot read the cases in " + path + (ec ? ": " + ec.message() : "");
    return {c};
  }
  std::vector<Case> out;
  for (const auto& v : cases.get_array()) out.push_back(ReadCase(out.size(), v));
  return out;
}

// What gtest prints of a case (in failures and in the test list, which must stay one line).
void PrintTo(const Case& c, std::ostream* os) {
  for (char ch : c.expr) {
    if (static_cast<unsigned char>(ch) < 0x20) {
      *os << "\\x" << std::hex << static_cast<int>(ch) << std::dec;
    } else {
      *os << ch;
    }
  }
}

class ExprCase : public testing::TestWithParam<Case> {};

TEST_P(ExprCase, Holds) {
  const Case& c = GetParam();
  ASSERT_TRUE(c.problem.empty()) << c.problem;
  MeasureOf measure_of;
  if (!c.measures.empty()) {
    measure_of = [&c](const Ref& r) -> std::optional<std::string> {
      auto it = c.measures.find(RefText(r));
      if (it == c.measures.end()) return std::nullopt;
      return it->second;
    };
  }
  auto e = Expr::Parse(c.expr, measure_of);
  if (c.error) {
    ASSERT_FALSE(e.has_value()) << c.expr << " parsed as " << e->ToString();
    EXPECT_EQ(e.error().code, "expression.invalid");
    EXPECT_EQ(e.error().status, 422);
    EXPECT_TRUE(e.error().message.starts_with(*c.error))
        << "message: " << e.error().message << "\nexpected: " << *c.error << "...";
    return;
  }
  ASSERT_TRUE(e.has_value()) << e.error().message;
  // Every input the case gives is one the expression reads: a misspelt key fails here.
  for (const auto& [key, value] : c.inputs) {
    bool read = std::ranges::any_of(e->reads(), [&, &k = key](const auto& r) {
      return InputKey(e->refs()[r.first], r.second) == k;
    });
    EXPECT_TRUE(read) << key << " is not read by " << c.expr;
  }
  MapInputs inputs(*e, c.inputs);
  ExpectSameValue(e->Eval(inputs), c.expected, c.expr);
  if (c.canonical) {
    EXPECT_EQ(e->ToString(), *c.canonical);
  }
  if (c.check_measure) {
    EXPECT_EQ(e->measure(), c.measure);
  }

  auto again = Expr::Parse(e->ToString(), measure_of);
  ASSERT_TRUE(again.has_value()) << e->ToString() << ": " << again.error().message;
  EXPECT_EQ(again->ToString(), e->ToString());
  EXPECT_EQ(again->measure(), e->measure());
  MapInputs again_inputs(*again, c.inputs);
  ExpectSameValue(again->Eval(again_inputs), c.expected, "canonical " + e->ToString());
}

INSTANTIATE_TEST_SUITE_P(Cases, ExprCase, testing::ValuesIn(LoadCases()),
                         [](const testing::TestParamInfo<Case>& param) {
                           return param.param.name;
                         });

// --- refs() and reads() -------------------------------------------------------------------------

Expr Parsed(std::string_view text) {
  auto e = Expr::Parse(text);
  EXPECT_TRUE(e.has_value()) << text << ": " << e.error().message;
  return *std::move(e);
}

using Reads = std::vector<std::pair<size_t, TimeSpec>>;

TEST(Expr, RefsInOrderOfFirstAppearance) {
  Expr e = Parsed("#{A} + #{B.x} * I{X} - #{A} / C{K} + unit.population + area + #{B}");
  std::vector<Ref> want = {
      {RefKind::kElement, "A", ""},
      {RefKind::kElement, "B", "x"},
      {RefKind::kIndicator, "X", ""},
      {RefKind::kConstant, "K", ""},
      {RefKind::kUnitAttribute, "population", ""},
      {RefKind::kUnitAttribute, "area", ""},
      {RefKind::kElement, "B", ""},
  };
  EXPECT_EQ(e.refs(), want);
  EXPECT_EQ(e.reads(), (Reads{{0, {}}, {1, {}}, {2, {}}, {3, {}}, {4, {}}, {5, {}}, {6, {}}}));
}

TEST(Expr, ReadsAcrossTime) {
  Expr e = Parsed(
      "#{A} + #{A}.periodOffset(-12) + offset(ytd(#{A}), -12) + ytd(offset(#{A}, -12)) + "
      "ytd(#{A}) + offset(#{A}, -12)");
  ASSERT_EQ(e.refs().size(), 1u);
  EXPECT_EQ(e.reads(),
            (Reads{{0, {0, false}}, {0, {-12, false}}, {0, {-12, true}}, {0, {0, true}}}));
}

TEST(Expr, OffsetsCompose) {
  Expr e = Parsed("offset(offset(#{A}, -1).periodOffset(-2) + ytd(I{X}), 12)");
  EXPECT_EQ(e.reads(), (Reads{{0, {9, false}}, {1, {12, true}}}));
}

TEST(Expr, ConstantsAndUnitAttributesAreTimeless) {
  Expr e = Parsed("ytd(offset(C{K} * population + area + #{A}, -1))");
  EXPECT_EQ(e.reads(), (Reads{{0, {}}, {1, {}}, {2, {}}, {3, {-1, true}}}));
}

TEST(Expr, ReadsBothBranchesOfIf) {
  Expr e = Parsed("if(#{A} > 0, #{B}, coalesce(#{C}, offset(#{B}, -1))) || #{D} && #{E}");
  EXPECT_EQ(e.reads(), (Reads{{0, {}}, {1, {}}, {2, {}}, {1, {-1, false}}, {3, {}}, {4, {}}}));
}

// --- Inputs outside the cases' map --------------------------------------------------------------

class FixedInputs : public Inputs {
 public:
  explicit FixedInputs(std::vector<std::optional<double>> values) : values_(std::move(values)) {}
  std::optional<double> Value(size_t ref, TimeSpec /*when*/) const override {
    return values_.at(ref);
  }

 private:
  std::vector<std::optional<double>> values_;
};

TEST(Expr, NonFiniteInputsAreNull) {
  Expr e = Parsed("coalesce(#{A}, #{B}, #{C})");
  EXPECT_EQ(e.Eval(FixedInputs({std::nan(""), HUGE_VAL, 4})), 4);
  EXPECT_EQ(e.Eval(FixedInputs({-HUGE_VAL, std::nullopt, std::nullopt})), std::nullopt);
}

TEST(Expr, NegativeZeroIsZero) {
  auto v = Parsed("0 * -1").Eval(FixedInputs({}));
  ASSERT_TRUE(v.has_value());
  EXPECT_FALSE(std::signbit(*v));
}

TEST(Expr, TextIsKept) {
  Expr e = Parsed("  #{A}.periodOffset(-1) ");
  EXPECT_EQ(e.text(), "  #{A}.periodOffset(-1) ");
  EXPECT_EQ(e.ToString(), "offset(#{A}, -1)");
}

TEST(Expr, CopiesEvaluateAlike) {
  Expr e = Parsed("#{A} * 2");
  Expr copy = e;
  Expr moved = std::move(e);
  EXPECT_EQ(copy.Eval(FixedInputs({3})), 6);
  EXPECT_EQ(moved.Eval(FixedInputs({3})), 6);
  copy = Parsed("#{A} + 1");
  EXPECT_EQ(copy.Eval(FixedInputs({3})), 4);
}

// --- Errors that JSON cannot carry, and the limits ----------------------------------------------

std::string ErrorOf(std::string_view text) {
  auto e = Expr::Parse(text);
  if (e) return "parsed: " + e->ToString();
  EXPECT_EQ(e.error().code, "expression.invalid");
  EXPECT_EQ(e.error().status, 422);
  return e.error().message;
}

TEST(ExprErrors, InvalidUtf8) {
  EXPECT_EQ(ErrorOf("1 + \xff"), "at 5: invalid UTF-8");
  EXPECT_EQ(ErrorOf("#{A\xc3}"), "at 4: invalid UTF-8");
  EXPECT_EQ(ErrorOf("\xc3\xa2 + \xc0\x80"), "at 1: unknown name 'â'");  // the first problem
  EXPECT_EQ(ErrorOf("1 + 2 \xed\xa0\x80"), "at 7: invalid UTF-8");      // a surrogate
}

TEST(ExprErrors, NulByte) {
  EXPECT_EQ(ErrorOf(std::string_view("1 +\0 2", 6)), "at 4: unexpected character U+0000");
}

TEST(ExprErrors, LongestNamesAreCut) {
  std::string name(100, 'x');
  EXPECT_EQ(ErrorOf(name + "(1)"), "at 1: unknown function '" + std::string(40, 'x') + "…'");
}

TEST(ExprLimits, Length) {
  // The longest text allowed parses, a chain of 32768 numbers, without deep recursion.
  std::string chain = "1";
  while (chain.size() + 2 <= Expr::kMaxLength) chain += "+1";
  ASSERT_EQ(chain.size(), Expr::kMaxLength - 1);
  chain += " ";
  Expr e = Parsed(chain);
  EXPECT_EQ(e.Eval(FixedInputs({})), 32768);
  EXPECT_EQ(ErrorOf(chain + " "), "at 1: expression longer than 65536 bytes");
}

TEST(ExprLimits, ManyReferences) {
  std::string text = "#{R0}";
  for (int i = 1; i < 5000; ++i) text += " + #{R" + std::to_string(i) + "}";
  Expr e = Parsed(text);
  EXPECT_EQ(e.refs().size(), 5000u);
  EXPECT_EQ(e.reads().size(), 5000u);
  EXPECT_EQ(e.Eval(FixedInputs(std::vector<std::optional<double>>(5000, 2.0))), 10000);
}

TEST(ExprLimits, CodeLength) {
  std::string code(64, 'A');
  EXPECT_EQ(Parsed("#{" + code + "." + code + "}").refs()[0].option, code);
  EXPECT_EQ(ErrorOf("#{A." + code + "B}"), "at 5: option longer than 64 characters");
}

std::string Repeat(std::string_view s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

TEST(ExprLimits, Depth) {
  int max = Expr::kMaxDepth;
  EXPECT_EQ(Parsed(Repeat("(", max) + "1" + Repeat(")", max)).Eval(FixedInputs({})), 1);
  EXPECT_EQ(ErrorOf(Repeat("(", max + 1) + "1" + Repeat(")", max + 1)),
            "at 201: expression nested more than 200 levels deep");
  EXPECT_EQ(Parsed(Repeat("-", max) + "1").Eval(FixedInputs({})), 1);
  EXPECT_EQ(ErrorOf(Repeat("-", max + 1) + "1"),
            "at 201: expression nested more than 200 levels deep");
  // Unary minus is a level too.
  EXPECT_EQ(Parsed(Repeat("abs(", max - 1) + "-1" + Repeat(")", max - 1)).Eval(FixedInputs({})), 1);
  EXPECT_TRUE(ErrorOf(Repeat("min(1, ", max + 1) + "1" + Repeat(")", max + 1))
                  .starts_with("at 1401: expression nested more than 200"));
  EXPECT_EQ(Parsed("2" + Repeat(" ^ 1", max)).Eval(FixedInputs({})), 2);
  EXPECT_TRUE(ErrorOf("2" + Repeat(" ^ 1", max + 1)).starts_with("at 803: expression nested"));
  // Far beyond the limit: an error, not a stack overflow.
  EXPECT_TRUE(ErrorOf(Repeat("(", 60000)).starts_with("at 201: expression nested"));
  EXPECT_TRUE(ErrorOf(Repeat("!", 60000)).starts_with("at 201: expression nested"));
}

TEST(ExprLimits, PendingValues) {
  // Each level leaves six values waiting for the parenthesis to close.
  std::string level = "1 || 1 && 1 == 1 < 1 + 1 * (";
  std::string ok = Repeat(level, 40) + "1" + Repeat(")", 40);
  EXPECT_EQ(Parsed(ok).Eval(FixedInputs({})), 1);
  std::string deep = Repeat(level, 50) + "1" + Repeat(")", 50);
  EXPECT_TRUE(ErrorOf(deep).starts_with("at 1196: expression too complex: more than 256 values"))
      << ErrorOf(deep);
}

TEST(ExprLimits, PeriodOffsets) {
  EXPECT_EQ(Parsed("offset(#{A}, -100000)").reads()[0].second.offset, -100000);
  EXPECT_EQ(ErrorOf("offset(#{A}, -100001)"),
            "at 14: a period offset is a whole number from -100000 to 100000, like -12");
  EXPECT_EQ(ErrorOf("offset(offset(#{A}, 60000), 60000)"),
            "at 1: period offsets add up to more than 100000 periods");
}

// --- RatioExpression ----------------------------------------------------------------------------

TEST(RatioExpression, Forms) {
  EXPECT_EQ(RatioExpression("#{A}", "#{B}", 100), "(#{A}) / (#{B}) * 100");
  EXPECT_EQ(RatioExpression("#{A} + #{B}", "population", 1000),
            "(#{A} + #{B}) / (population) * 1000");
  EXPECT_EQ(RatioExpression("#{A}", "#{B}", 1), "(#{A}) / (#{B})");
  EXPECT_EQ(RatioExpression("#{A}", "", 1), "(#{A})");
  EXPECT_EQ(RatioExpression("#{A}", " \t", 0.5), "(#{A}) * 0.5");
  EXPECT_EQ(RatioExpression("#{A}", "", 1e6), "(#{A}) * 1000000");
  EXPECT_EQ(RatioExpression("#{A}", "", 1e-7), "(#{A}) * 1e-07");
  EXPECT_EQ(RatioExpression("#{A}", "", -1), "(#{A}) * -1");
}

TEST(RatioExpression, Evaluates) {
  Expr e = Parsed(RatioExpression("#{A} + #{B}", "#{C} - 1", 100));
  EXPECT_EQ(e.ToString(), "(#{A} + #{B}) / (#{C} - 1) * 100");
  EXPECT_EQ(e.Eval(FixedInputs({1, 2, 5})), 75);
  EXPECT_EQ(e.Eval(FixedInputs({1, 2, 1})), std::nullopt);
  EXPECT_EQ(Parsed(RatioExpression("#{A}", "", 1e6)).Eval(FixedInputs({2})), 2e6);
  EXPECT_EQ(Parsed(RatioExpression("1 || 0", "", 2)).Eval(FixedInputs({})), 2);
}

TEST(RatioExpression, BadPartsFailToParse) {
  EXPECT_EQ(ErrorOf(RatioExpression("", "#{B}", 1)), "at 2: expected a value but found ')'");
}

// --- Speed --------------------------------------------------------------------------------------

class ArrayInputs : public Inputs {
 public:
  std::optional<double> Value(size_t ref, TimeSpec /*when*/) const override { return values[ref]; }
  std::array<std::optional<double>, 4> values{};
};

// Not a pass/fail check (machines differ): prints what one Eval costs, the best of a few
// rounds so that other work on the machine counts less.
TEST(ExprSpeed, FiveNodes) {
  Expr e = Parsed("#{A} / #{B} * 100");  // 5 nodes: A, B, /, 100, *
  ArrayInputs in;
  in.values[1] = 1000;
  constexpr int kRounds = 5;
  constexpr int kEvals = 500'000;
  double best = HUGE_VAL;
  double sum = 0;
  for (int round = 0; round < kRounds; ++round) {
    auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < kEvals; ++i) {
      in.values[0] = i;
      sum += e.Eval(in).value_or(0);
    }
    std::chrono::duration<double, std::nano> ns = std::chrono::steady_clock::now() - start;
    best = std::min(best, ns.count() / kEvals);
  }
  std::cout << "Eval of '" << e.text() << "': " << best << " ns/op\n";
  double want = kRounds * 0.1 * (double{kEvals} - 1) * kEvals / 2;
  EXPECT_NEAR(sum, want, want * 1e-9);
}

}  // namespace
}  // namespace pdh::engine
