// Fuzz-style tests of the expression language, run with the other tests (and under ASan+UBSan in
// the sanitizer build). Random bytes, random token soups and mutations of valid expressions must
// parse to an expression or to an Error whose position lies in the text, never crash; what
// parses must evaluate, and its canonical text must parse back to the same thing. Random valid
// expressions must evaluate as a tree-walking evaluator written here, straight from the rules in
// expr.h, says.
//
//   PDH_FUZZ_SEED=12345          another sequence of inputs (decimal)
//   PDH_FUZZ_ITERATIONS=100000   that many iterations in every target
// A failure names the seed and iteration; the same seed replays the same inputs.
#include <gtest/gtest.h>

#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/random.h"
#include "engine/expr.h"

namespace pdh::engine {
namespace {

std::optional<uint64_t> EnvNumber(const char* name) {
  const char* env = std::getenv(name);
  if (env == nullptr || *env == '\0') return std::nullopt;
  std::string_view v(env);
  uint64_t value = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), value);
  if (ec != std::errc() || end != v.data() + v.size()) {
    ADD_FAILURE() << name << "=" << env << " is not a number";
    return std::nullopt;
  }
  return value;
}

uint64_t Seed() {
  return EnvNumber("PDH_FUZZ_SEED").value_or(0x5EED'2025'0E59ULL);
}

uint64_t Iterations(uint64_t default_count) {
  return EnvNumber("PDH_FUZZ_ITERATIONS").value_or(default_count);
}

// The input, printable: bytes outside ASCII's visible range as \xNN.
std::string Escaped(std::string_view s) {
  std::string out;
  for (char c : s) {
    auto b = static_cast<unsigned char>(c);
    if (b >= 0x20 && b < 0x7F) {
      out.push_back(c);
    } else {
      std::array<char, 8> buf{};
      std::snprintf(buf.data(), buf.size(), "\\x%02X", b);
      out += buf.data();
    }
  }
  return out;
}

// --- The world the expressions read -------------------------------------------------------------

// A deterministic value for every (reference, time) of one world: null, zero, negative,
// fractional or huge, as data is.
std::optional<double> WorldValue(uint64_t world, std::string_view ref, TimeSpec when) {
  uint64_t h = 0xCBF29CE484222325ULL ^ world;
  auto mix = [&h](uint64_t x) { h = (h ^ x) * 0x100000001B3ULL; };
  for (char c : ref) mix(static_cast<unsigned char>(c));
  mix(static_cast<uint32_t>(when.offset));
  mix(when.ytd ? 1 : 2);
  h ^= h >> 29;
  constexpr std::array<double, 12> kValues = {0, 1, 2, 3, -1, 0.5, 7.25, 1000, -4, 1e300, 12, 0.1};
  if (h % 5 == 0) return std::nullopt;
  return kValues[(h / 5) % kValues.size()];
}

class WorldInputs : public Inputs {
 public:
  WorldInputs(const Expr& e, uint64_t world) : world_(world) {
    for (const Ref& r : e.refs()) texts_.push_back(RefText(r));
  }
  std::optional<double> Value(size_t ref, TimeSpec when) const override {
    return WorldValue(world_, texts_.at(ref), when);
  }

 private:
  uint64_t world_;
  std::vector<std::string> texts_;
};

bool SameValue(std::optional<double> a, std::optional<double> b) {
  if (!a || !b) return a.has_value() == b.has_value();
  return std::fabs(*a - *b) <= 1e-12 * std::max(1.0, std::fabs(*b));
}

std::string Show(std::optional<double> v) {
  return v ? std::to_string(*v) : "null";
}

// --- What every input must satisfy --------------------------------------------------------------

size_t CodePoints(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

// The text parses to an expression that evaluates, whose canonical text parses to the same
// thing; or it fails with an "at N: ..." error, N within the text or just past it.
void CheckAnyInput(std::string_view text, uint64_t world, const std::string& where) {
  auto e = Expr::Parse(text);
  if (!e) {
    const Error& error = e.error();
    ASSERT_EQ(error.code, "expression.invalid") << where;
    ASSERT_EQ(error.status, 422) << where;
    std::string_view m = error.message;
    ASSERT_TRUE(m.starts_with("at ")) << where << ": " << m;
    size_t position = 0;
    auto [end, ec] = std::from_chars(m.data() + 3, m.data() + m.size(), position);
    ASSERT_EQ(ec, std::errc()) << where << ": " << m;
    ASSERT_TRUE(std::string_view(end, m.data() + m.size()).starts_with(": ")) << where << ": " << m;
    ASSERT_GT(m.size(), static_cast<size_t>(end - m.data()) + 2) << where << ": " << m;
    ASSERT_GE(position, 1u) << where << ": " << m;
    ASSERT_LE(position, CodePoints(text) + 1) << where << ": " << m;
    return;
  }
  std::optional<double> value = e->Eval(WorldInputs(*e, world));
  std::string canonical = e->ToString();
  auto again = Expr::Parse(canonical);
  ASSERT_TRUE(again.has_value()) << where << ": canonical '" << Escaped(canonical)
                                 << "': " << again.error().message;
  ASSERT_EQ(again->ToString(), canonical) << where;
  ASSERT_EQ(again->refs(), e->refs()) << where;
  ASSERT_EQ(again->reads(), e->reads()) << where;
  std::optional<double> again_value = again->Eval(WorldInputs(*again, world));
  ASSERT_TRUE(SameValue(again_value, value)) << where << ": " << Show(value) << ", canonical '"
                                             << Escaped(canonical) << "' " << Show(again_value);
}

std::string Where(std::string_view target, uint64_t seed, uint64_t i, std::string_view text) {
  return std::string(target) + " seed " + std::to_string(seed) + " iteration " + std::to_string(i) +
         " input '" + Escaped(text) + "'";
}

// --- Random bytes and token soups ---------------------------------------------------------------

template <size_t N>
std::string_view Pick(Rng& rng, const std::array<std::string_view, N>& items) {
  return items[static_cast<size_t>(rng.Between(0, int64_t{N} - 1))];
}

TEST(ExprFuzz, RandomBytes) {
  uint64_t seed = Seed();
  Rng rng(seed);
  constexpr std::string_view kSyntax = "#{}()ICic0123456789.+-*/%^<>=!&|, _eEAxpunit";
  uint64_t parsed = 0;
  uint64_t n = Iterations(20000);
  for (uint64_t i = 0; i < n; ++i) {
    std::string text;
    for (int64_t len = rng.Between(0, 48); len > 0; --len) {
      text.push_back(rng.Chance(60) ? kSyntax[static_cast<size_t>(
                                          rng.Between(0, static_cast<int64_t>(kSyntax.size()) - 1))]
                                    : static_cast<char>(rng.Between(0, 255)));
    }
    CheckAnyInput(text, rng.Next(), Where("RandomBytes", seed, i, text));
    if (testing::Test::HasFatalFailure()) return;
    parsed += Expr::Parse(text).has_value();
  }
  std::cout << "RandomBytes: " << parsed << " parsed\n";
  EXPECT_GT(parsed, n / 1000) << "the inputs are no longer near the language";
}

// Pieces of the language and of its typical mistakes.
constexpr std::array<std::string_view, 76> kTokens = {
    // numbers
    "1", "0", "2.5", ".5", "1e3", "1e", "1e999", "12abc", "007", "-12", "100000", "-100001",
    // references
    "#{A}", "#{A.x}", "#{B}", "#{}", "#{", "}", "#{A", "#{A.}", "#{.x}", "#{Dân}", "I{X}", "C{K}",
    "I{X.y}", "C{}", "population", "area", "unit", "unit.population", ".", ".periodOffset(",
    "periodOffset",
    // operators
    "(", ")", ",", "+", "-", "*", "/", "%", "^", "!", "<", "<=", ">", ">=", "==", "!=", "=", "&&",
    "||", "&", "|",
    // functions
    "if(", "isNull(", "isNotNull(", "coalesce(", "min(", "max(", "abs(", "round(", "offset(",
    "ytd(", "IF(", "sqr(", "foo",
    // other characters
    "tổng", "×", "\xC2\xA0", "\xEF\xBB\xBF", "\xFF", "\xC3", " ", "\t", "$"};

TEST(ExprFuzz, TokenSoup) {
  uint64_t seed = Seed() + 1;
  Rng rng(seed);
  uint64_t parsed = 0;
  uint64_t n = Iterations(20000);
  for (uint64_t i = 0; i < n; ++i) {
    std::string text;
    for (int64_t len = rng.Between(1, 30); len > 0; --len) {
      text += Pick(rng, kTokens);
      if (rng.Chance(30)) text += " ";
    }
    CheckAnyInput(text, rng.Next(), Where("TokenSoup", seed, i, text));
    if (testing::Test::HasFatalFailure()) return;
    parsed += Expr::Parse(text).has_value();
  }
  std::cout << "TokenSoup: " << parsed << " parsed\n";
  EXPECT_GT(parsed, n / 1000) << "the inputs are no longer near the language";
}

// --- Random valid expressions and the reference evaluator --------------------------------------

struct RefSpec {
  std::string_view text;
  bool timed;  // read at the cell's time (data elements, indicators), or timeless
};
constexpr std::array<RefSpec, 7> kRefs = {{{"#{A}", true},
                                           {"#{A.x}", true},
                                           {"#{B}", true},
                                           {"I{X}", true},
                                           {"C{K}", false},
                                           {"population", false},
                                           {"area", false}}};

// An expression as a tree: op is "num", "ref", "neg", "not", a binary operator's symbol, or a
// function's name.
struct Node {
  std::string op;
  double value = 0;  // num
  size_t ref = 0;    // ref: index in kRefs
  int periods = 0;   // offset
  std::vector<Node> kids;
};

constexpr std::array<std::string_view, 14> kBinary = {"+",  "-", "*",  "/",  "%",  "^",  "<",
                                                      "<=", ">", ">=", "==", "!=", "&&", "||"};

Node Leaf(Rng& rng) {
  Node n;
  if (rng.Chance(50)) {
    n.op = "num";
    constexpr std::array<double, 10> kNumbers = {0, 1, 2, 3, 0.5, 10, 100, 1e300, 2.25, 7};
    n.value = rng.Chance(50) ? kNumbers[static_cast<size_t>(rng.Between(0, kNumbers.size() - 1))]
                             : static_cast<double>(rng.Between(0, 20));
  } else {
    n.op = "ref";
    n.ref = static_cast<size_t>(rng.Between(0, kRefs.size() - 1));
  }
  return n;
}

Node Generate(Rng& rng, int depth, bool in_ytd) {
  if (depth == 0 || rng.Chance(25)) return Leaf(rng);
  Node n;
  auto kid = [&] { return Generate(rng, depth - 1, in_ytd); };
  switch (rng.Between(0, 14)) {
    case 0:
      n.op = rng.Chance(50) ? "neg" : "not";
      n.kids = {kid()};
      break;
    case 1:
    case 2:
    case 3:
    case 4:
    case 5:
      n.op = Pick(rng, kBinary);
      n.kids = {kid(), kid()};
      break;
    case 6:
      n.op = "if";
      n.kids = {kid(), kid(), kid()};
      break;
    case 7:
      n.op = rng.Chance(50) ? "isNull" : "isNotNull";
      n.kids = {kid()};
      break;
    case 8:
    case 9: {
      constexpr std::array<std::string_view, 3> kVariadic = {"coalesce", "min", "max"};
      n.op = Pick(rng, kVariadic);
      for (int64_t k = rng.Between(1, 3); k > 0; --k) n.kids.push_back(kid());
      break;
    }
    case 10:
      n.op = "abs";
      n.kids = {kid()};
      break;
    case 11:
      n.op = "round";
      n.kids = {kid()};
      if (rng.Chance(50)) n.kids.push_back(rng.Chance(70) ? Leaf(rng) : kid());
      break;
    case 12:
    case 13:
      n.op = "offset";
      n.periods = static_cast<int>(rng.Between(-13, 13));
      n.kids = {kid()};
      break;
    default:
      if (in_ytd) return Generate(rng, depth, in_ytd);
      n.op = "ytd";
      n.kids = {Generate(rng, depth - 1, true)};
      break;
  }
  return n;
}

using Value = std::optional<double>;

Value Finite(double x) {
  return std::isfinite(x) ? Value(x) : std::nullopt;
}
bool IsTrue(Value v) {
  return v && *v != 0;
}
bool IsFalse(Value v) {
  return v && *v == 0;
}

// The value of `n` read at `now` in `world`, by the rules of expr.h, one node at a time.
Value Reference(const Node& n, TimeSpec now, uint64_t world) {
  auto kid = [&](size_t i) { return Reference(n.kids[i], now, world); };
  const std::string& op = n.op;
  if (op == "num") return n.value;
  if (op == "ref") {
    const RefSpec& r = kRefs[n.ref];
    return WorldValue(world, r.text, r.timed ? now : TimeSpec{});
  }
  if (op == "offset") return Reference(n.kids[0], {now.offset + n.periods, now.ytd}, world);
  if (op == "ytd") return Reference(n.kids[0], {now.offset, true}, world);
  if (op == "if") {
    Value c = kid(0);
    if (!c) return std::nullopt;
    return IsTrue(c) ? kid(1) : kid(2);
  }
  if (op == "coalesce") {
    for (size_t i = 0; i < n.kids.size(); ++i) {
      if (Value v = kid(i)) return v;
    }
    return std::nullopt;
  }
  if (op == "min" || op == "max") {
    Value best;
    for (size_t i = 0; i < n.kids.size(); ++i) {
      Value v = kid(i);
      if (v && (!best || (op == "min" ? *v < *best : *v > *best))) best = v;
    }
    return best;
  }
  Value a = kid(0);
  if (op == "isNull") return a ? 0 : 1;
  if (op == "isNotNull") return a ? 1 : 0;
  if (op == "&&" || op == "||") {
    Value b = kid(1);
    if (op == "&&") {
      if (IsFalse(a) || IsFalse(b)) return 0;
      return a && b ? Value(1) : std::nullopt;
    }
    if (IsTrue(a) || IsTrue(b)) return 1;
    return a && b ? Value(0) : std::nullopt;
  }
  if (op == "round" && n.kids.size() == 2) {
    Value digits = kid(1);
    if (!a || !digits) return std::nullopt;
    double d = std::trunc(*digits);
    d = d > 308 ? 308 : d < -308 ? -308 : d;
    if (d >= 0) {
      double scale = std::pow(10.0, d);
      if (!std::isfinite(*a * scale)) return a;
      return Finite(std::round(*a * scale) / scale);
    }
    double scale = std::pow(10.0, -d);
    return Finite(std::round(*a / scale) * scale);
  }
  if (!a) return std::nullopt;
  if (op == "neg") return -*a;
  if (op == "not") return *a == 0 ? 1 : 0;
  if (op == "abs") return std::fabs(*a);
  if (op == "round") return std::round(*a);
  Value b = kid(1);
  if (!b) return std::nullopt;
  double x = *a;
  double y = *b;
  if (op == "+") return Finite(x + y);
  if (op == "-") return Finite(x - y);
  if (op == "*") return Finite(x * y);
  if (op == "/") return y == 0 ? std::nullopt : Finite(x / y);
  if (op == "%") return y == 0 ? std::nullopt : Finite(std::fmod(x, y));
  if (op == "^") return Finite(std::pow(x, y));
  if (op == "<") return x < y ? 1 : 0;
  if (op == "<=") return x <= y ? 1 : 0;
  if (op == ">") return x > y ? 1 : 0;
  if (op == ">=") return x >= y ? 1 : 0;
  if (op == "==") return x == y ? 1 : 0;
  if (op == "!=") return x != y ? 1 : 0;
  ADD_FAILURE() << "no rule for " << op;
  return std::nullopt;
}

// How tightly `n` binds as the printer writes it; 9 for what needs no parentheses.
int Prec(const Node& n) {
  if (n.op == "neg" || n.op == "not") return 7;
  if (n.op == "^") return 8;
  if (n.op == "*" || n.op == "/" || n.op == "%") return 6;
  if (n.op == "+" || n.op == "-") return 5;
  if (n.op == "<" || n.op == "<=" || n.op == ">" || n.op == ">=") return 4;
  if (n.op == "==" || n.op == "!=") return 3;
  if (n.op == "&&") return 2;
  if (n.op == "||") return 1;
  return 9;
}

std::string FormatNumber(double x) {
  std::array<char, 32> buf{};
  auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), x);
  return {buf.data(), end};
}

// Writes `n` as text, each time a little differently: with all parentheses or only the needed
// ones, with or without spaces, function names in other cases, offset as x.periodOffset(n),
// unit.population for population.
class Printer {
 public:
  explicit Printer(Rng& rng) : rng_(rng), minimal_(rng.Chance(50)) {}

  std::string Print(const Node& n) {
    if (n.op == "num") return FormatNumber(n.value);
    if (n.op == "ref") {
      std::string_view text = kRefs[n.ref].text;
      if ((text == "population" || text == "area") && rng_.Chance(30)) {
        return "unit." + std::string(text);
      }
      return std::string(text);
    }
    if (n.op == "neg" || n.op == "not") {
      return std::string(n.op == "neg" ? "-" : "!") + Space() +
             Operand(n.kids[0], Prec(n.kids[0]) < 7);
    }
    if (Prec(n) < 9) {
      int p = Prec(n);
      bool right_assoc = n.op == "^";
      bool wrap_left = right_assoc ? Prec(n.kids[0]) <= p : Prec(n.kids[0]) < p;
      bool wrap_right = right_assoc ? Prec(n.kids[1]) < 7 : Prec(n.kids[1]) <= p;
      return Operand(n.kids[0], wrap_left) + Space() + n.op + Space() +
             Operand(n.kids[1], wrap_right);
    }
    if (n.op == "offset" && rng_.Chance(50)) {
      const Node& x = n.kids[0];
      bool primary = x.op == "ref" || (Prec(x) == 9 && x.op != "num");
      return Operand(x, !primary) + Space() + ".periodOffset(" + Space() +
             std::to_string(n.periods) + ")";
    }
    std::string out = Cased(n.op) + Space() + "(";
    for (size_t i = 0; i < n.kids.size(); ++i) {
      out += (i > 0 ? "," + Space() : Space()) + Print(n.kids[i]);
    }
    if (n.op == "offset") out += "," + Space() + std::to_string(n.periods);
    return out + Space() + ")";
  }

 private:
  std::string Operand(const Node& n, bool needs_parentheses) {
    bool wrap = needs_parentheses || (!minimal_ && Prec(n) < 9);
    return wrap ? "(" + Space() + Print(n) + Space() + ")" : Print(n);
  }
  std::string Space() { return rng_.Chance(40) ? " " : ""; }
  std::string Cased(std::string name) {
    if (rng_.Chance(20)) {
      for (char& c : name) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
    }
    return name;
  }

  Rng& rng_;
  bool minimal_;
};

TEST(ExprFuzz, AgreesWithTreeWalker) {
  uint64_t seed = Seed() + 2;
  Rng rng(seed);
  uint64_t values = 0;  // non-null results
  uint64_t n = Iterations(5000);
  for (uint64_t i = 0; i < n; ++i) {
    Node tree = Generate(rng, static_cast<int>(rng.Between(1, 6)), false);
    std::string text = Printer(rng).Print(tree);
    std::string where = Where("AgreesWithTreeWalker", seed, i, text);
    auto e = Expr::Parse(text);
    ASSERT_TRUE(e.has_value()) << where << ": " << e.error().message;
    for (int w = 0; w < 4; ++w) {
      uint64_t world = rng.Next();
      Value want = Reference(tree, {}, world);
      Value got = e->Eval(WorldInputs(*e, world));
      ASSERT_TRUE(SameValue(got, want))
          << where << " world " << world << ": " << Show(got) << ", expected " << Show(want);
      values += got.has_value();
    }
    CheckAnyInput(text, rng.Next(), where);
    if (testing::Test::HasFatalFailure()) return;
  }
  std::cout << "AgreesWithTreeWalker: " << values << " values\n";
  EXPECT_GT(values, n) << "most expressions are null: they test little";
}

// Valid expressions with a few bytes deleted, inserted, repeated or swapped: the inputs closest
// to what people type.
TEST(ExprFuzz, Mutations) {
  uint64_t seed = Seed() + 3;
  Rng rng(seed);
  uint64_t parsed = 0;
  uint64_t n = Iterations(10000);
  for (uint64_t i = 0; i < n; ++i) {
    std::string text =
        Printer(rng).Print(Generate(rng, static_cast<int>(rng.Between(1, 5)), false));
    for (int64_t m = rng.Between(1, 3); m > 0 && !text.empty(); --m) {
      auto at = static_cast<size_t>(rng.Between(0, static_cast<int64_t>(text.size()) - 1));
      auto len = static_cast<size_t>(rng.Between(1, 4));
      switch (rng.Between(0, 3)) {
        case 0:
          text.erase(at, len);
          break;
        case 1:
          text.insert(at, Pick(rng, kTokens));
          break;
        case 2:
          text.insert(at, text.substr(at, len));
          break;
        default:
          std::swap(
              text[at],
              text[static_cast<size_t>(rng.Between(0, static_cast<int64_t>(text.size()) - 1))]);
          break;
      }
    }
    CheckAnyInput(text, rng.Next(), Where("Mutations", seed, i, text));
    if (testing::Test::HasFatalFailure()) return;
    parsed += Expr::Parse(text).has_value();
  }
  std::cout << "Mutations: " << parsed << " parsed\n";
  EXPECT_GT(parsed, n / 100) << "the inputs are no longer near the language";
}

}  // namespace
}  // namespace pdh::engine
