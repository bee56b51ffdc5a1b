// Parses indicator expressions (the language is described in expr.h) in one pass straight into
// a postfix program, building the canonical text and the measure alongside. There is no syntax
// tree: a 64 KiB chain "a + b + c + ..." is parsed by a loop, not by recursion, and Eval is a
// loop over a flat array with a fixed stack, with no call per node and no allocation.
#include "engine/expr.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <set>
#include <string>
#include <tuple>
#include <unordered_map>

namespace pdh::engine {
namespace {

// The instructions of the compiled program.
enum class Op : uint8_t {
  kConst,  // push k
  kRead,   // push Inputs::Value(a, when)
  kNeg,
  kNot,
  kAdd,
  kSub,
  kMul,
  kDiv,
  kMod,
  kPow,
  kLt,
  kLe,
  kGt,
  kGe,
  kEq,
  kNe,
  kAndJump,     // top is false: jump to a, keeping it (the result)
  kAnd,         // a && b when a was not false
  kOrJump,      // top is true: make it 1 and jump to a
  kOr,          // a || b when a was not true
  kJumpIfNull,  // top is null: jump to a, keeping it (the result of an if)
  kIf,          // pop the condition; false: jump to a (the else branch)
  kJump,        // to a
  kCoalesce,    // top is not null: jump to a, keeping it; else pop it
  kMin,
  kMax,
  kAbs,
  kRound,
  kRoundTo,  // round(x, digits)
  kIsNull,
  kIsNotNull,
};

}  // namespace

// One step of the program, run on a stack of doubles in which NaN stands for null.
struct Expr::Instr {
  double k = 0;    // kConst: the value
  TimeSpec when;   // kRead: when to read
  uint32_t a = 0;  // kRead: the index in refs_; jumps: where to
  Op op = Op::kConst;
};

namespace {

// Null travels through the program as NaN, so that IEEE arithmetic propagates it for free; the
// operations that would not (comparisons, pow, min/max, logic) test for it. This needs
// NaN-honouring floating point: no -ffast-math.
constexpr double kNull = std::numeric_limits<double>::quiet_NaN();

bool IsNull(double x) {
  return std::isnan(x);
}
// Every result that is not a finite number (1 / 0, 1e308 * 10) is null.
double Finite(double x) {
  return std::isfinite(x) ? x : kNull;
}
bool IsTrue(double x) {
  return !IsNull(x) && x != 0;
}
bool IsFalse(double x) {
  return x == 0;  // NaN compares unequal
}
double Bool(bool b) {
  return b ? 1 : 0;
}

// round(x, digits): half away from zero at 10^-digits. Negative digits divide by an exact power
// of ten rather than multiply by an inexact 10^-n; a scale beyond the double range rounds
// nothing (or everything to 0).
double RoundTo(double x, double digits) {
  if (IsNull(x) || IsNull(digits)) return kNull;
  double d = std::clamp(std::trunc(digits), -308.0, 308.0);
  if (d >= 0) {
    double scale = std::pow(10.0, d);
    double scaled = x * scale;
    if (!std::isfinite(scaled)) return x;
    return Finite(std::round(scaled) / scale);
  }
  double scale = std::pow(10.0, -d);
  return Finite(std::round(x / scale) * scale);
}

// The shortest text that reads back as `x`, without an exponent for the numbers people write
// (100000, not 1e+05; 0.000123), with one beyond.
std::string FormatNumber(double x) {
  std::array<char, 64> buf{};
  double magnitude = std::fabs(x);
  bool plain = magnitude == 0 || (magnitude >= 1e-6 && magnitude < 1e21);
  auto [end, ec] =
      plain ? std::to_chars(buf.data(), buf.data() + buf.size(), x, std::chars_format::fixed)
            : std::to_chars(buf.data(), buf.data() + buf.size(), x);
  return {buf.data(), end};
}

// --- UTF-8 ------------------------------------------------------------------------------------

struct CodePoint {
  char32_t value = 0;
  size_t length = 0;  // 0: not valid UTF-8
};

CodePoint Decode(std::string_view s, size_t i) {
  auto byte = [&](size_t j) { return static_cast<unsigned char>(s[j]); };
  unsigned char c = byte(i);
  if (c < 0x80) return {c, 1};
  size_t length = 0;
  char32_t value = 0;
  char32_t least = 0;  // smaller values are overlong encodings
  if ((c & 0xE0) == 0xC0) {
    length = 2, value = c & 0x1F, least = 0x80;
  } else if ((c & 0xF0) == 0xE0) {
    length = 3, value = c & 0x0F, least = 0x800;
  } else if ((c & 0xF8) == 0xF0) {
    length = 4, value = c & 0x07, least = 0x10000;
  } else {
    return {};
  }
  if (i + length > s.size()) return {};
  for (size_t j = 1; j < length; ++j) {
    if ((byte(i + j) & 0xC0) != 0x80) return {};
    value = (value << 6) | (byte(i + j) & 0x3F);
  }
  if (value < least || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) return {};
  return {value, length};
}

// Spaces, with the no-break spaces that text pasted from documents and spreadsheets carries.
bool IsSpace(char32_t c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0xA0 || c == 0x202F;
}

bool IsAsciiLetter(char32_t c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}
bool IsDigit(char32_t c) {
  return c >= '0' && c <= '9';
}
bool IsCodeChar(char32_t c) {
  return IsAsciiLetter(c) || IsDigit(c) || c == '_';
}

// Letters of names: ASCII, and the Latin (Vietnamese) letters, precomposed or with combining
// marks, so that "tổng(...)" is reported as an unknown function, not as a stray character.
bool IsNameStart(char32_t c) {
  return IsAsciiLetter(c) || c == '_' || (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7) ||
         (c >= 0x300 && c <= 0x36F) || (c >= 0x1E00 && c <= 0x1EFF);
}
bool IsNameChar(char32_t c) {
  return IsNameStart(c) || IsDigit(c);
}

bool IEquals(std::string_view a, std::string_view b) {
  return std::ranges::equal(a, b, [](char x, char y) {
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    return lower(x) == lower(y);
  });
}

// `s` in quotes for a message, cut after 40 characters.
std::string Quote(std::string_view s) {
  size_t chars = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80 && ++chars > 40) {
      return "'" + std::string(s.substr(0, i)) + "…'";
    }
  }
  return "'" + std::string(s) + "'";
}

// A character for a message: itself in quotes, or U+XXXX when it is invisible (controls,
// zero-width spaces, the byte order mark of text pasted from a file).
std::string ShowChar(std::string_view text, size_t at, CodePoint cp) {
  char32_t c = cp.value;
  if (c < 0x20 || (c >= 0x7F && c < 0xA0) || (c >= 0x200B && c <= 0x200F) || c == 0xFEFF) {
    std::array<char, 16> buf{};
    std::snprintf(buf.data(), buf.size(), "U+%04X", static_cast<unsigned>(c));
    return buf.data();
  }
  if (c == '\'') return "\"'\"";
  return Quote(text.substr(at, cp.length));
}

// --- Tokens -----------------------------------------------------------------------------------

enum class Tok : uint8_t {
  kEnd,
  kError,  // the lexer's error, reported when the parser reaches it
  kNumber,
  kName,
  kElement,
  kIndicator,
  kConstant,
  kLParen,
  kRParen,
  kComma,
  kDot,
  kPlus,
  kMinus,
  kStar,
  kSlash,
  kPercent,
  kCaret,
  kNot,
  kLt,
  kLe,
  kGt,
  kGe,
  kEq,
  kNe,
  kAnd,
  kOr,
};

struct Token {
  Tok kind = Tok::kEnd;
  size_t begin = 0;  // bytes of the text
  size_t end = 0;
  double number = 0;        // kNumber
  std::string_view code;    // references
  std::string_view option;  // kElement
  std::string error;        // kError: what is wrong at `begin`
};

constexpr size_t kMaxCode = 64;
constexpr int kMaxOffset = 100000;

// Precedence levels, loosest first; kPrimary for what never needs parentheses.
enum Prec : uint8_t {
  kPrecOr = 1,
  kPrecAnd,
  kPrecEquality,
  kPrecRelational,
  kPrecAdditive,
  kPrecMultiplicative,
  kPrecUnary,
  kPrecPower,
  kPrecPrimary,
};

struct BinaryOp {
  Tok tok;
  Prec prec;
  Op op;
  std::string_view symbol;
};

constexpr std::array kBinaryOps = {
    BinaryOp{Tok::kOr, kPrecOr, Op::kOr, "||"},
    BinaryOp{Tok::kAnd, kPrecAnd, Op::kAnd, "&&"},
    BinaryOp{Tok::kEq, kPrecEquality, Op::kEq, "=="},
    BinaryOp{Tok::kNe, kPrecEquality, Op::kNe, "!="},
    BinaryOp{Tok::kLt, kPrecRelational, Op::kLt, "<"},
    BinaryOp{Tok::kLe, kPrecRelational, Op::kLe, "<="},
    BinaryOp{Tok::kGt, kPrecRelational, Op::kGt, ">"},
    BinaryOp{Tok::kGe, kPrecRelational, Op::kGe, ">="},
    BinaryOp{Tok::kPlus, kPrecAdditive, Op::kAdd, "+"},
    BinaryOp{Tok::kMinus, kPrecAdditive, Op::kSub, "-"},
    BinaryOp{Tok::kStar, kPrecMultiplicative, Op::kMul, "*"},
    BinaryOp{Tok::kSlash, kPrecMultiplicative, Op::kDiv, "/"},
    BinaryOp{Tok::kPercent, kPrecMultiplicative, Op::kMod, "%"},
};

const BinaryOp* FindBinary(Tok t) {
  for (const BinaryOp& b : kBinaryOps) {
    if (b.tok == t) return &b;
  }
  return nullptr;
}

enum class Fn : uint8_t {
  kIf,
  kIsNull,
  kIsNotNull,
  kCoalesce,
  kMin,
  kMax,
  kAbs,
  kRound,
  kOffset,
  kYtd
};

constexpr size_t kAnyCount = std::numeric_limits<size_t>::max();

struct Function {
  Fn fn;
  std::string_view name;  // canonical spelling
  size_t min_args;
  size_t max_args;
};

constexpr std::array kFunctions = {
    Function{Fn::kIf, "if", 3, 3},
    Function{Fn::kIsNull, "isNull", 1, 1},
    Function{Fn::kIsNotNull, "isNotNull", 1, 1},
    Function{Fn::kCoalesce, "coalesce", 1, kAnyCount},
    Function{Fn::kMin, "min", 1, kAnyCount},
    Function{Fn::kMax, "max", 1, kAnyCount},
    Function{Fn::kAbs, "abs", 1, 1},
    Function{Fn::kRound, "round", 1, 2},
    Function{Fn::kOffset, "offset", 2, 2},
    Function{Fn::kYtd, "ytd", 1, 1},
};

std::string ArityMessage(const Function& f, size_t got) {
  std::string takes;
  if (f.max_args == kAnyCount) {
    takes = "at least " + std::to_string(f.min_args);
  } else if (f.min_args == f.max_args) {
    takes = std::to_string(f.min_args);
  } else {
    takes = std::to_string(f.min_args) + " or " + std::to_string(f.max_args);
  }
  // Singular when the largest count named is 1.
  bool one = f.max_args == 1 || (f.max_args == kAnyCount && f.min_args == 1);
  return "'" + std::string(f.name) + "' takes " + takes + (one ? " argument" : " arguments") +
         ", got " + std::to_string(got);
}

// --- Measures ---------------------------------------------------------------------------------

// What the unit check knows of a value's measure. Numbers written in the expression are plain:
// they take the measure of what they are added to or compared with, and keep it in products.
struct Measure {
  enum class Kind : uint8_t { kUnknown, kPlain, kKnown };
  Kind kind = Kind::kUnknown;
  std::string unit;  // kKnown: the measure; "" for a ratio of one measure
};

Measure Plain() {
  return {Measure::Kind::kPlain, ""};
}
bool IsPlain(const Measure& m) {
  return m.kind == Measure::Kind::kPlain;
}
bool IsKnown(const Measure& m) {
  return m.kind == Measure::Kind::kKnown;
}
bool IsRatio(const Measure& m) {
  return IsKnown(m) && m.unit.empty();
}

// The measure of a value that is one of `a` and `b` (a + b, a < b, min(a, b), the branches of
// if), or nullopt when both are known and differ.
std::optional<Measure> Alike(const Measure& a, const Measure& b) {
  if (IsPlain(a)) return b;
  if (IsPlain(b)) return a;
  if (IsKnown(a) && IsKnown(b)) {
    if (a.unit != b.unit) return std::nullopt;
    return a;
  }
  return Measure{};
}

Measure Product(const Measure& a, const Measure& b) {
  if (IsPlain(b) || IsRatio(b)) return a;
  if (IsPlain(a) || IsRatio(a)) return b;
  return {};
}

Measure Quotient(const Measure& a, const Measure& b) {
  if (IsPlain(b) || IsRatio(b)) return a;
  if (IsKnown(a) && IsKnown(b) && a.unit == b.unit) return {Measure::Kind::kKnown, ""};
  return {};
}

Measure Remainder(const Measure& a, const Measure& b) {
  if (IsPlain(b) || (IsKnown(a) && IsKnown(b) && a.unit == b.unit)) return a;
  return {};
}

bool TimeDependent(RefKind kind) {
  return kind == RefKind::kElement || kind == RefKind::kIndicator;
}

}  // namespace

std::string RefText(const Ref& r) {
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
  return r.code;
}

namespace {

// Counts one level of nesting for as long as it lives.
class Level {
 public:
  explicit Level(int& depth) : depth_(depth) { ++depth_; }
  ~Level() { --depth_; }
  Level(const Level&) = delete;
  Level& operator=(const Level&) = delete;

 private:
  int& depth_;
};

}  // namespace

// --- The parser -------------------------------------------------------------------------------

class Expr::Parser {
 public:
  Parser(std::string_view text, const MeasureOf& measure_of)
      : text_(text), measure_of_(measure_of) {}

  Result<Expr> Run() {
    if (text_.size() > kMaxLength) {
      return Fail(Invalid(0, "expression longer than " + std::to_string(kMaxLength) + " bytes"));
    }
    Advance();
    if (tok_.kind == Tok::kEnd) return Fail(Invalid(0, "empty expression"));
    auto e = ParseExpr();
    if (!e) return Fail(e.error());
    if (tok_.kind != Tok::kEnd) {
      if (tok_.kind == Tok::kRParen) return FailHere("unexpected ')' without a matching '('");
      return FailHere("expected an operator before " + Quote(TokenText()));
    }
    out_.text_ = std::string(text_);
    out_.canonical_ = std::move(e->text);
    if (IsKnown(e->measure) || IsPlain(e->measure)) out_.measure_ = e->measure.unit;
    std::set<std::tuple<size_t, int, bool>> seen;
    for (const Instr& i : out_.code_) {
      if (i.op != Op::kRead) continue;
      if (seen.emplace(i.a, i.when.offset, i.when.ytd).second) {
        out_.reads_.emplace_back(i.a, i.when);
      }
    }
    return std::move(out_);
  }

 private:
  // A parsed part: its canonical text, how tightly that text binds, and its measure. Its code
  // has been appended to out_.code_.
  struct Operand {
    std::string text;
    Prec prec = kPrecPrimary;
    Measure measure;
  };

  // --- Errors

  size_t Position(size_t byte) const {
    size_t n = 1;
    for (size_t i = 0; i < byte && i < text_.size(); ++i) {
      if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) ++n;
    }
    return n;
  }

  Error Invalid(size_t byte, const std::string& why) const {
    return Error::Invalid("expression.invalid",
                          "at " + std::to_string(Position(byte)) + ": " + why);
  }

  // `why` at the current token, unless the lexer failed there: then its error.
  tl::unexpected<Error> FailHere(const std::string& why) const {
    if (tok_.kind == Tok::kError) return Fail(Invalid(tok_.begin, tok_.error));
    return Fail(Invalid(tok_.begin, why));
  }

  std::string Opened(std::string_view what, size_t at) const {
    return "'" + std::string(what) + "' opened at " + std::to_string(Position(at));
  }

  std::string_view TokenText() const { return text_.substr(tok_.begin, tok_.end - tok_.begin); }

  // --- Lexer

  void Advance() { tok_ = Lex(); }

  Token LexError(size_t at, std::string why) {
    Token t;
    t.kind = Tok::kError;
    t.begin = at;
    t.end = text_.size();
    t.error = std::move(why);
    return t;
  }

  Token Lex() {
    size_t p = next_;
    while (p < text_.size()) {
      CodePoint cp = Decode(text_, p);
      if (cp.length == 0 || !IsSpace(cp.value)) break;
      p += cp.length;
    }
    Token t;
    t.begin = p;
    t.end = p;
    if (p == text_.size()) return t;
    auto at = [&](size_t i) { return i < text_.size() ? text_[i] : '\0'; };
    auto single = [&](Tok kind, size_t length) {
      t.kind = kind;
      t.end = p + length;
      next_ = t.end;
      return t;
    };
    char c = text_[p];
    if (IsDigit(c) || (c == '.' && IsDigit(at(p + 1)))) return LexNumber(p);
    switch (c) {
      case '.':
        return single(Tok::kDot, 1);
      case '(':
        return single(Tok::kLParen, 1);
      case ')':
        return single(Tok::kRParen, 1);
      case ',':
        return single(Tok::kComma, 1);
      case '+':
        return single(Tok::kPlus, 1);
      case '-':
        return single(Tok::kMinus, 1);
      case '*':
        return single(Tok::kStar, 1);
      case '/':
        return single(Tok::kSlash, 1);
      case '%':
        return single(Tok::kPercent, 1);
      case '^':
        return single(Tok::kCaret, 1);
      case '!':
        return at(p + 1) == '=' ? single(Tok::kNe, 2) : single(Tok::kNot, 1);
      case '<':
        return at(p + 1) == '=' ? single(Tok::kLe, 2) : single(Tok::kLt, 1);
      case '>':
        return at(p + 1) == '=' ? single(Tok::kGe, 2) : single(Tok::kGt, 1);
      case '=':
        if (at(p + 1) == '=') return single(Tok::kEq, 2);
        return LexError(p, "'=' is not an operator; compare with '=='");
      case '&':
        if (at(p + 1) == '&') return single(Tok::kAnd, 2);
        return LexError(p, "'&' is not an operator; use '&&'");
      case '|':
        if (at(p + 1) == '|') return single(Tok::kOr, 2);
        return LexError(p, "'|' is not an operator; use '||'");
      case '#':
        if (at(p + 1) == '{') return LexReference(p, p + 1, Tok::kElement);
        return LexError(p, "'#' starts a data element reference: #{CODE}");
      default:
        break;
    }
    CodePoint cp = Decode(text_, p);
    if (cp.length == 0) return LexError(p, "invalid UTF-8");
    if (!IsNameStart(cp.value)) {
      return LexError(p, "unexpected character " + ShowChar(text_, p, cp));
    }
    size_t end = p;
    while (end < text_.size()) {
      CodePoint n = Decode(text_, end);
      if (n.length == 0 || !IsNameChar(n.value)) break;
      end += n.length;
    }
    if (end == p + 1 && at(end) == '{') {
      if (c == 'I' || c == 'i') return LexReference(p, end, Tok::kIndicator);
      if (c == 'C' || c == 'c') return LexReference(p, end, Tok::kConstant);
    }
    t.kind = Tok::kName;
    t.end = end;
    next_ = end;
    return t;
  }

  // digits [. digits] [e [+-] digits], or . digits [...]; letters, digits or dots run on make
  // it malformed ("12abc", "1e", "1.2.3").
  Token LexNumber(size_t p) {
    size_t i = p;
    auto digits = [&] {
      while (i < text_.size() && IsDigit(text_[i])) ++i;
    };
    digits();
    if (i < text_.size() && text_[i] == '.') {
      ++i;
      digits();
    }
    if (i < text_.size() && (text_[i] == 'e' || text_[i] == 'E')) {
      size_t j = i + 1;
      if (j < text_.size() && (text_[j] == '+' || text_[j] == '-')) ++j;
      if (j < text_.size() && IsDigit(text_[j])) {
        i = j;
        digits();
      }
    }
    size_t end = i;
    while (end < text_.size()) {
      CodePoint n = Decode(text_, end);
      if (n.length == 0 || !(IsNameChar(n.value) || n.value == '.')) break;
      end += n.length;
    }
    if (end != i) return LexError(p, "malformed number " + Quote(text_.substr(p, end - p)));
    Token t;
    t.kind = Tok::kNumber;
    t.begin = p;
    t.end = i;
    auto [stop, ec] = std::from_chars(text_.data() + p, text_.data() + i, t.number);
    if (ec != std::errc() || stop != text_.data() + i) {
      return LexError(p, "number out of range: " + Quote(text_.substr(p, i - p)));
    }
    next_ = i;
    return t;
  }

  // #{CODE}, #{CODE.OPTION}, I{CODE}, C{CODE}: `begin` is the first character, `brace` the '{'.
  Token LexReference(size_t begin, size_t brace, Tok kind) {
    std::string_view opener = text_.substr(begin, brace + 1 - begin);
    size_t i = brace + 1;
    size_t dot = std::string_view::npos;
    while (i < text_.size() && text_[i] != '}') {
      char c = text_[i];
      if (c == '.') {
        if (kind != Tok::kElement) {
          return LexError(i, "only data elements have options: #{CODE.OPTION}");
        }
        if (dot != std::string_view::npos) {
          return LexError(i, "a second '.' in a reference: options are written #{CODE.OPTION}");
        }
        dot = i++;
        continue;
      }
      if (IsCodeChar(c)) {
        ++i;
        continue;
      }
      CodePoint cp = Decode(text_, i);
      if (cp.length == 0) return LexError(i, "invalid UTF-8");
      if (IsSpace(cp.value) || c == ')' || c == ',') break;
      return LexError(i, "invalid character " + ShowChar(text_, i, cp) +
                             " in a code (codes use A-Z, a-z, 0-9 and '_')");
    }
    if (i == text_.size() || text_[i] != '}') {
      return LexError(i, "expected '}' to close " + Opened(opener, begin));
    }
    size_t code_end = dot == std::string_view::npos ? i : dot;
    Token t;
    t.kind = kind;
    t.begin = begin;
    t.end = i + 1;
    t.code = text_.substr(brace + 1, code_end - brace - 1);
    if (dot != std::string_view::npos) t.option = text_.substr(dot + 1, i - dot - 1);
    if (t.code.empty() && dot == std::string_view::npos) {
      return LexError(begin, "empty reference " + Quote(text_.substr(begin, t.end - begin)));
    }
    if (t.code.empty()) return LexError(dot, "missing code before '.'");
    if (dot != std::string_view::npos && t.option.empty()) {
      return LexError(dot, "missing option after '.'");
    }
    if (t.code.size() > kMaxCode) {
      return LexError(brace + 1, "code longer than " + std::to_string(kMaxCode) + " characters");
    }
    if (t.option.size() > kMaxCode) {
      return LexError(dot + 1, "option longer than " + std::to_string(kMaxCode) + " characters");
    }
    next_ = t.end;
    return t;
  }

  // --- Code

  // Appends `i`, whose effect on the stack is `effect`, and returns where it is.
  size_t Emit(Instr i, int effect) {
    out_.code_.push_back(i);
    stack_ += effect;
    return out_.code_.size() - 1;
  }

  size_t Emit(Op op, int effect) {
    Instr i;
    i.op = op;
    return Emit(i, effect);
  }

  // Appends an instruction that pushes a value, at `at` in the text; fails when the program
  // would hold more values at once than Eval's stack.
  Status Push(const Instr& i, size_t at) {
    Emit(i, +1);
    if (stack_ > kMaxStack) {
      return Fail(Invalid(at, "expression too complex: more than " + std::to_string(kMaxStack) +
                                  " values pending at once; split it into indicators"));
    }
    return Ok();
  }

  void JumpHere(size_t instr) { out_.code_[instr].a = static_cast<uint32_t>(out_.code_.size()); }

  // Shifts by `offset` (and widens to year-to-date when `ytd`) every time-dependent read
  // emitted since `start`: what offset(x, n), x.periodOffset(n) and ytd(x) do to x.
  Status ApplyTime(size_t start, int offset, bool ytd, size_t at) {
    for (size_t i = start; i < out_.code_.size(); ++i) {
      Instr& instr = out_.code_[i];
      if (instr.op != Op::kRead || !TimeDependent(out_.refs_[instr.a].kind)) continue;
      if (ytd && instr.when.ytd) {
        return Fail(Invalid(at, "'ytd' inside 'ytd': the year to date is already taken"));
      }
      instr.when.ytd = instr.when.ytd || ytd;
      instr.when.offset += offset;
      if (std::abs(instr.when.offset) > kMaxOffset) {
        return Fail(Invalid(
            at, "period offsets add up to more than " + std::to_string(kMaxOffset) + " periods"));
      }
    }
    return Ok();
  }

  // --- Grammar

  Result<Operand> ParseExpr() { return ParseBinary(kPrecOr); }

  // One left-associative level of binary operators, `prec`, and the tighter ones below it.
  Result<Operand> ParseBinary(Prec prec) {
    if (prec > kPrecMultiplicative) return ParseUnary();
    auto next = static_cast<Prec>(prec + 1);
    auto left = ParseBinary(next);
    if (!left) return left;
    for (const BinaryOp* b = FindBinary(tok_.kind); b != nullptr && b->prec == prec;
         b = FindBinary(tok_.kind)) {
      size_t at = tok_.begin;
      Advance();
      // && and || skip their right side when the left one decides.
      std::optional<size_t> jump;
      if (b->op == Op::kAnd) jump = Emit(Op::kAndJump, 0);
      if (b->op == Op::kOr) jump = Emit(Op::kOrJump, 0);
      auto right = ParseBinary(next);
      if (!right) return right;
      Emit(b->op, -1);
      if (jump) JumpHere(*jump);
      auto measure = BinaryMeasure(b->op, left->measure, right->measure);
      if (!measure) {
        return Fail(Invalid(at, "unit mismatch: '" + left->measure.unit + "' " +
                                    std::string(b->symbol) + " '" + right->measure.unit + "'"));
      }
      left->measure = std::move(*measure);
      if (left->prec < prec) left->text = "(" + left->text + ")";
      left->text += " ";
      left->text += b->symbol;
      left->text += " ";
      left->text += Wrap(*right, right->prec <= prec);
      left->prec = prec;
    }
    return left;
  }

  static std::optional<Measure> BinaryMeasure(Op op, const Measure& a, const Measure& b) {
    switch (op) {
      case Op::kAdd:
      case Op::kSub:
        return Alike(a, b);
      case Op::kLt:
      case Op::kLe:
      case Op::kGt:
      case Op::kGe:
      case Op::kEq:
      case Op::kNe:
        if (!Alike(a, b)) return std::nullopt;
        return Plain();
      case Op::kMul:
        return Product(a, b);
      case Op::kDiv:
        return Quotient(a, b);
      case Op::kMod:
        return Remainder(a, b);
      default:  // && and ||: truth values
        return Plain();
    }
  }

  static std::string Wrap(const Operand& o, bool parenthesize) {
    return parenthesize ? "(" + o.text + ")" : o.text;
  }

  Result<Operand> ParseUnary() {
    Tok kind = tok_.kind;
    if (kind != Tok::kMinus && kind != Tok::kPlus && kind != Tok::kNot) return ParsePower();
    size_t at = tok_.begin;
    if (depth_ >= kMaxDepth) return TooDeep(at);
    Level level(depth_);
    Advance();
    auto operand = ParseUnary();
    if (!operand || kind == Tok::kPlus) return operand;
    Emit(kind == Tok::kMinus ? Op::kNeg : Op::kNot, 0);
    std::string sign = kind == Tok::kMinus ? "-" : "!";
    operand->text = sign + Wrap(*operand, operand->prec < kPrecUnary);
    operand->prec = kPrecUnary;
    if (kind == Tok::kNot) operand->measure = Plain();
    return operand;
  }

  tl::unexpected<Error> TooDeep(size_t at) const {
    return Fail(
        Invalid(at, "expression nested more than " + std::to_string(kMaxDepth) + " levels deep"));
  }

  // base ^ exponent, right-associative: the exponent is a unary expression, which may itself
  // be a power.
  Result<Operand> ParsePower() {
    auto base = ParsePostfix();
    if (!base || tok_.kind != Tok::kCaret) return base;
    size_t at = tok_.begin;
    if (depth_ >= kMaxDepth) return TooDeep(at);
    Level level(depth_);
    Advance();
    auto exponent = ParseUnary();
    if (!exponent) return exponent;
    Emit(Op::kPow, -1);
    base->text = Wrap(*base, base->prec <= kPrecPower) + " ^ " +
                 Wrap(*exponent, exponent->prec < kPrecUnary);
    base->prec = kPrecPower;
    base->measure = IsPlain(base->measure) && IsPlain(exponent->measure) ? Plain() : Measure{};
    return base;
  }

  // A primary followed by any number of .periodOffset(n).
  Result<Operand> ParsePostfix() {
    size_t start = out_.code_.size();
    auto x = ParsePrimary();
    if (!x) return x;
    while (tok_.kind == Tok::kDot) {
      Advance();
      if (tok_.kind != Tok::kName || !IEquals(TokenText(), "periodOffset")) {
        return FailHere("expected 'periodOffset' after '.'");
      }
      size_t at = tok_.begin;
      Advance();
      if (tok_.kind != Tok::kLParen) return FailHere("expected '(' after 'periodOffset'");
      size_t open = tok_.begin;
      Advance();
      auto n = ParsePeriods();
      if (!n) return Fail(n.error());
      if (tok_.kind != Tok::kRParen) return FailHere("expected ')' to close " + Opened("(", open));
      Advance();
      if (auto s = ApplyTime(start, *n, false, at); !s) return Fail(s.error());
      x->text = "offset(" + x->text + ", " + std::to_string(*n) + ")";
      x->prec = kPrecPrimary;
    }
    return x;
  }

  // The n of offset(x, n) and x.periodOffset(n): a whole number, possibly signed.
  Result<int> ParsePeriods() {
    size_t at = tok_.begin;
    bool negative = false;
    if (tok_.kind == Tok::kMinus || tok_.kind == Tok::kPlus) {
      negative = tok_.kind == Tok::kMinus;
      Advance();
    }
    if (tok_.kind == Tok::kError) return FailHere("");  // the lexer's error
    double n = tok_.number;
    if (tok_.kind != Tok::kNumber || n != std::trunc(n) || n > kMaxOffset) {
      return Fail(Invalid(at, "a period offset is a whole number from -" +
                                  std::to_string(kMaxOffset) + " to " + std::to_string(kMaxOffset) +
                                  ", like -12"));
    }
    Advance();
    int value = static_cast<int>(n);
    return negative ? -value : value;
  }

  Result<Operand> ParsePrimary() {
    size_t at = tok_.begin;
    switch (tok_.kind) {
      case Tok::kNumber: {
        Instr i;
        i.op = Op::kConst;
        i.k = tok_.number;
        if (auto s = Push(i, at); !s) return Fail(s.error());
        Operand o{FormatNumber(tok_.number), kPrecPrimary, Plain()};
        Advance();
        return o;
      }
      case Tok::kElement:
      case Tok::kIndicator:
      case Tok::kConstant: {
        RefKind kind = tok_.kind == Tok::kElement     ? RefKind::kElement
                       : tok_.kind == Tok::kIndicator ? RefKind::kIndicator
                                                      : RefKind::kConstant;
        Ref ref{kind, std::string(tok_.code), std::string(tok_.option)};
        Advance();
        return Reference(std::move(ref), at);
      }
      case Tok::kName:
        return ParseName();
      case Tok::kLParen: {
        if (depth_ >= kMaxDepth) return TooDeep(at);
        Level level(depth_);
        Advance();
        auto inner = ParseExpr();
        if (!inner) return inner;
        if (tok_.kind != Tok::kRParen) return FailHere("expected ')' to close " + Opened("(", at));
        Advance();
        return inner;
      }
      case Tok::kEnd:
        return Fail(Invalid(at, "unexpected end of expression"));
      default:
        return FailHere("expected a value but found " + Quote(TokenText()));
    }
  }

  // The push of `ref`, registered in refs_ on its first appearance.
  Result<Operand> Reference(Ref ref, size_t at) {
    std::string text = RefText(ref);
    auto [it, added] = index_.try_emplace(text, out_.refs_.size());
    if (added) {
      std::optional<std::string> unit = measure_of_ ? measure_of_(ref) : std::nullopt;
      measures_.push_back(unit ? Measure{Measure::Kind::kKnown, *unit} : Measure{});
      out_.refs_.push_back(std::move(ref));
    }
    Instr i;
    i.op = Op::kRead;
    i.a = static_cast<uint32_t>(it->second);
    if (auto s = Push(i, at); !s) return Fail(s.error());
    return Operand{std::move(text), kPrecPrimary, measures_[it->second]};
  }

  // population, area, unit.population, unit.area, or a function call.
  Result<Operand> ParseName() {
    size_t at = tok_.begin;
    std::string_view name = TokenText();
    for (std::string_view attribute : {"population", "area"}) {
      if (IEquals(name, attribute)) {
        Advance();
        return Reference(Ref{RefKind::kUnitAttribute, std::string(attribute), ""}, at);
      }
    }
    if (IEquals(name, "unit")) {
      Advance();
      if (tok_.kind == Tok::kDot) {
        Advance();
        for (std::string_view attribute : {"population", "area"}) {
          if (tok_.kind == Tok::kName && IEquals(TokenText(), attribute)) {
            Advance();
            return Reference(Ref{RefKind::kUnitAttribute, std::string(attribute), ""}, at);
          }
        }
      }
      return FailHere("expected '.population' or '.area' after 'unit'");
    }
    for (const Function& f : kFunctions) {
      if (!IEquals(name, f.name)) continue;
      Advance();
      if (tok_.kind != Tok::kLParen) return FailHere("expected '(' after " + Quote(name));
      return ParseCall(f, at);
    }
    Advance();
    if (tok_.kind == Tok::kLParen) return Fail(Invalid(at, "unknown function " + Quote(name)));
    std::string hint;
    if (std::ranges::all_of(name, IsCodeChar)) {
      hint = " (a data element is written #{" + std::string(name) + "})";
    }
    return Fail(Invalid(at, "unknown name " + Quote(name) + hint));
  }

  // f(args...), at the '(' after its name, which is at `at`.
  Result<Operand> ParseCall(const Function& f, size_t at) {
    if (depth_ >= kMaxDepth) return TooDeep(at);
    Level level(depth_);
    Advance();
    size_t start = out_.code_.size();
    std::vector<Operand> args;
    int periods = 0;
    std::optional<size_t> if_null, if_false, then_end;
    std::vector<size_t> found;  // coalesce's jumps out on a non-null value
    if (tok_.kind != Tok::kRParen) {
      while (true) {
        if (f.fn == Fn::kOffset && args.size() == 1) {
          auto n = ParsePeriods();
          if (!n) return Fail(n.error());
          periods = *n;
          args.push_back({std::to_string(periods), kPrecPrimary, Plain()});
        } else {
          auto arg = ParseExpr();
          if (!arg) return arg;
          args.push_back(std::move(*arg));
        }
        if (args.size() >= 2 && f.fn == Fn::kMin) Emit(Op::kMin, -1);
        if (args.size() >= 2 && f.fn == Fn::kMax) Emit(Op::kMax, -1);
        if (tok_.kind == Tok::kRParen) break;
        if (tok_.kind != Tok::kComma) {
          return FailHere("expected ',' or ')' to close " + Opened(std::string(f.name) + "(", at));
        }
        Advance();
        if (f.fn == Fn::kCoalesce) found.push_back(Emit(Op::kCoalesce, -1));
        if (f.fn == Fn::kIf && args.size() == 1) {
          if_null = Emit(Op::kJumpIfNull, 0);
          if_false = Emit(Op::kIf, -1);
        } else if (f.fn == Fn::kIf && args.size() == 2) {
          then_end = Emit(Op::kJump, 0);
          JumpHere(*if_false);
          --stack_;  // the else branch starts where the then branch did
        }
      }
    }
    Advance();
    if (args.size() < f.min_args || args.size() > f.max_args) {
      return Fail(Invalid(at, ArityMessage(f, args.size())));
    }
    Operand out{std::string(f.name) + "(", kPrecPrimary, args[0].measure};
    for (size_t i = 0; i < args.size(); ++i) out.text += (i > 0 ? ", " : "") + args[i].text;
    out.text += ")";
    switch (f.fn) {
      case Fn::kIf: {
        JumpHere(*if_null);
        JumpHere(*then_end);
        auto m = Alternatives(f, args[1].measure, args[2].measure, at);
        if (!m) return Fail(m.error());
        out.measure = std::move(*m);
        return out;
      }
      case Fn::kCoalesce:
        for (size_t jump : found) JumpHere(jump);
        [[fallthrough]];
      case Fn::kMin:
      case Fn::kMax:
        for (const Operand& arg : args) {
          auto m = Alternatives(f, out.measure, arg.measure, at);
          if (!m) return Fail(m.error());
          out.measure = std::move(*m);
        }
        return out;
      case Fn::kIsNull:
      case Fn::kIsNotNull:
        Emit(f.fn == Fn::kIsNull ? Op::kIsNull : Op::kIsNotNull, 0);
        out.measure = Plain();
        return out;
      case Fn::kAbs:
        Emit(Op::kAbs, 0);
        return out;
      case Fn::kRound:
        if (args.size() == 2) {
          Emit(Op::kRoundTo, -1);
        } else {
          Emit(Op::kRound, 0);
        }
        return out;
      case Fn::kOffset:
      case Fn::kYtd:
        if (auto s = ApplyTime(start, periods, f.fn == Fn::kYtd, at); !s) return Fail(s.error());
        return out;
    }
    return out;
  }

  // The measure of `a` and `b` as alternatives in `f` (at `at`), or the unit mismatch.
  Result<Measure> Alternatives(const Function& f, const Measure& a, const Measure& b,
                               size_t at) const {
    auto m = Alike(a, b);
    if (!m) {
      return Fail(Invalid(at, "unit mismatch in '" + std::string(f.name) + "': '" + a.unit +
                                  "' and '" + b.unit + "'"));
    }
    return std::move(*m);
  }

  std::string_view text_;
  const MeasureOf& measure_of_;
  size_t next_ = 0;                                // where the lexer continues, in bytes
  Token tok_;                                      // the current token
  int depth_ = 0;                                  // nesting levels open
  int stack_ = 0;                                  // values the program holds at the current point
  std::unordered_map<std::string, size_t> index_;  // refs_ by their text
  std::vector<Measure> measures_;                  // of refs_
  Expr out_;
};

// --- Expr -------------------------------------------------------------------------------------

Expr::Expr() = default;
Expr::Expr(const Expr&) = default;
Expr::Expr(Expr&&) noexcept = default;
Expr& Expr::operator=(const Expr&) = default;
Expr& Expr::operator=(Expr&&) noexcept = default;
Expr::~Expr() = default;

Result<Expr> Expr::Parse(std::string_view text, const MeasureOf& measure_of) {
  return Parser(text, measure_of).Run();
}

std::optional<double> Expr::Eval(const Inputs& in) const {
  // Parse bounds the stack at kMaxStack; the values are written before they are read.
  std::array<double, kMaxStack> stack;
  size_t top = 0;  // values on the stack
  const Instr* code = code_.data();
  const size_t size = code_.size();
  for (size_t pc = 0; pc < size;) {
    const Instr& i = code[pc++];
    switch (i.op) {
      case Op::kConst:
        stack[top++] = i.k;
        break;
      case Op::kRead: {
        std::optional<double> v = in.Value(i.a, i.when);
        stack[top++] = v ? Finite(*v) : kNull;
        break;
      }
      case Op::kNeg:
        stack[top - 1] = -stack[top - 1];
        break;
      case Op::kNot: {
        double x = stack[top - 1];
        stack[top - 1] = IsNull(x) ? x : Bool(x == 0);
        break;
      }
      case Op::kAdd:
        --top;
        stack[top - 1] = Finite(stack[top - 1] + stack[top]);
        break;
      case Op::kSub:
        --top;
        stack[top - 1] = Finite(stack[top - 1] - stack[top]);
        break;
      case Op::kMul:
        --top;
        stack[top - 1] = Finite(stack[top - 1] * stack[top]);
        break;
      case Op::kDiv:
        --top;
        stack[top - 1] = Finite(stack[top - 1] / stack[top]);
        break;
      case Op::kMod:
        --top;
        stack[top - 1] = Finite(std::fmod(stack[top - 1], stack[top]));
        break;
      case Op::kPow: {
        // pow(x, 0) is 1 and pow(1, y) is 1 even for NaN: test for null first.
        --top;
        double a = stack[top - 1];
        double b = stack[top];
        stack[top - 1] = IsNull(a) || IsNull(b) ? kNull : Finite(std::pow(a, b));
        break;
      }
      case Op::kLt:
      case Op::kLe:
      case Op::kGt:
      case Op::kGe:
      case Op::kEq:
      case Op::kNe: {
        --top;
        double a = stack[top - 1];
        double b = stack[top];
        bool r = i.op == Op::kLt   ? a < b
                 : i.op == Op::kLe ? a <= b
                 : i.op == Op::kGt ? a > b
                 : i.op == Op::kGe ? a >= b
                 : i.op == Op::kEq ? a == b
                                   : a != b;
        stack[top - 1] = IsNull(a) || IsNull(b) ? kNull : Bool(r);
        break;
      }
      case Op::kAndJump:
        if (IsFalse(stack[top - 1])) {
          stack[top - 1] = 0;
          pc = i.a;
        }
        break;
      case Op::kAnd: {
        --top;
        double a = stack[top - 1];  // null or true
        double b = stack[top];
        stack[top - 1] = IsFalse(b) ? 0 : IsNull(a) || IsNull(b) ? kNull : 1;
        break;
      }
      case Op::kOrJump:
        if (IsTrue(stack[top - 1])) {
          stack[top - 1] = 1;
          pc = i.a;
        }
        break;
      case Op::kOr: {
        --top;
        double a = stack[top - 1];  // null or false
        double b = stack[top];
        stack[top - 1] = IsTrue(b) ? 1 : IsNull(a) || IsNull(b) ? kNull : 0;
        break;
      }
      case Op::kJumpIfNull:
        if (IsNull(stack[top - 1])) pc = i.a;
        break;
      case Op::kIf:
        if (IsFalse(stack[--top])) pc = i.a;
        break;
      case Op::kJump:
        pc = i.a;
        break;
      case Op::kCoalesce:
        if (IsNull(stack[top - 1])) {
          --top;
        } else {
          pc = i.a;
        }
        break;
      case Op::kMin:
      case Op::kMax: {
        --top;
        double a = stack[top - 1];
        double b = stack[top];
        bool b_wins = i.op == Op::kMin ? b < a : b > a;  // false when either is NaN
        stack[top - 1] = IsNull(a) || b_wins ? b : a;
        break;
      }
      case Op::kAbs:
        stack[top - 1] = std::fabs(stack[top - 1]);
        break;
      case Op::kRound:
        stack[top - 1] = std::round(stack[top - 1]);
        break;
      case Op::kRoundTo:
        --top;
        stack[top - 1] = RoundTo(stack[top - 1], stack[top]);
        break;
      case Op::kIsNull:
        stack[top - 1] = Bool(IsNull(stack[top - 1]));
        break;
      case Op::kIsNotNull:
        stack[top - 1] = Bool(!IsNull(stack[top - 1]));
        break;
    }
  }
  if (IsNull(stack[0])) return std::nullopt;
  return stack[0] + 0.0;  // -0 reads as 0
}

std::string RatioExpression(std::string_view numerator, std::string_view denominator,
                            double factor) {
  std::string out = "(" + std::string(numerator) + ")";
  if (denominator.find_first_not_of(" \t\r\n") != std::string_view::npos)
    out += " / (" + std::string(denominator) + ")";
  if (factor != 1) out += " * " + FormatNumber(factor);
  return out;
}

}  // namespace pdh::engine
