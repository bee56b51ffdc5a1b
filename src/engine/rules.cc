// Elements computed from dataset records: which columns a rule reads, and what one record adds.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <functional>
#include <set>
#include <string>
#include <tuple>
#include <variant>

#include "engine/internal.h"

namespace pdh::engine {
namespace {

std::optional<size_t> Column(const ingest::Schema& schema, std::string_view name) {
  for (size_t i = 0; i < schema.fields.size(); ++i) {
    if (schema.fields[i].name == name) return i;
  }
  return std::nullopt;
}

// The cell as the filters compare it: booleans as "true"/"false", numbers as written.
std::string CellText(const store::Cell& c, ingest::FieldType type) {
  if (const auto* i = std::get_if<int64_t>(&c)) {
    if (type == ingest::FieldType::kBoolean) return *i != 0 ? "true" : "false";
    return std::to_string(*i);
  }
  if (const auto* d = std::get_if<double>(&c)) {
    char buf[32];
    auto [p, ec] = std::to_chars(buf, buf + sizeof buf, *d);
    return std::string(buf, ec == std::errc() ? p : buf);
  }
  if (const auto* s = std::get_if<std::string>(&c)) return *s;
  return {};
}

bool IsNull(const store::Cell& c) {
  return std::holds_alternative<std::monostate>(c);
}

// -1, 0, 1; numbers compared as numbers, text as text (ISO dates and times sort as they read).
int Compare(const store::Cell& a, const store::Cell& b) {
  auto num = [](const store::Cell& c) -> std::optional<double> {
    if (const auto* i = std::get_if<int64_t>(&c)) return static_cast<double>(*i);
    if (const auto* d = std::get_if<double>(&c)) return *d;
    return std::nullopt;
  };
  auto x = num(a);
  auto y = num(b);
  if (x && y) return *x < *y ? -1 : (*x > *y ? 1 : 0);
  const auto* s = std::get_if<std::string>(&a);
  const auto* t = std::get_if<std::string>(&b);
  if (s && t) return s->compare(*t) < 0 ? -1 : (*s == *t ? 0 : 1);
  return 0;
}

// "channel = online", "fee > 0", "completed_at <= due_at", "satisfaction is not empty".
std::string Describe(const Filter& f) {
  if (f.op == "null") return f.field + " is empty";
  if (f.op == "not_null") return f.field + " is not empty";
  std::string out = f.field + " " + f.op + " ";
  if (!f.other.empty()) return out + f.other;
  for (size_t i = 0; i < f.values.size(); ++i) out += (i ? " or " : "") + f.values[i];
  return out;
}

// Whether every record that passes `n` passes `d` (both on the same field). Every operator but
// "null" leaves out empty cells, so any of them implies "not_null"; "=" implies "=" with more
// values, and "!=" with values it does not list.
bool Implies(const Filter& n, const Filter& d) {
  if (n.field != d.field) return false;
  if (d.op == "not_null") return n.op != "null";
  const std::set<std::string> nv(n.values.begin(), n.values.end());
  const std::set<std::string> dv(d.values.begin(), d.values.end());
  if (n.op == d.op && n.other == d.other && nv == dv) return true;
  if (n.op != "=" || !n.other.empty() || nv.empty()) return false;
  if (d.op == "=") return std::includes(dv.begin(), dv.end(), nv.begin(), nv.end());
  if (d.op == "!=") {
    return std::none_of(nv.begin(), nv.end(),
                        [&](const std::string& v) { return dv.count(v) > 0; });
  }
  return false;
}

// "#{CODE}" (spaces around allowed): the one element the text reads, or "".
std::string SoleElement(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  if (text.size() < 4 || !text.starts_with("#{") || !text.ends_with("}")) return {};
  const std::string_view code = text.substr(2, text.size() - 3);
  const bool plain = std::all_of(code.begin(), code.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
  return plain ? std::string(code) : std::string();
}

// The two parts of a rate written as one expression: "#{A} / #{B} * 100", "100 * #{A} / #{B}",
// "(#{A} / #{B}) * 100" or "#{A} / #{B}"; nullopt for any other shape.
std::optional<std::pair<std::string, std::string>> RateParts(std::string_view expression) {
  std::string s;
  for (char c : expression) {
    if (c != ' ') s += c;
  }
  if (s.starts_with("100*")) {
    s.erase(0, 4);
  } else if (s.ends_with("*100")) {
    s.resize(s.size() - 4);
  }
  if (s.size() > 2 && s.front() == '(' && s.back() == ')') s = s.substr(1, s.size() - 2);
  const size_t slash = s.find('/');
  if (slash == std::string::npos) return std::nullopt;
  return std::pair(s.substr(0, slash), s.substr(slash + 1));
}

}  // namespace

CountRate CountRateOf(const Indicator& ind, const IndexSet& set) {
  auto counted = [&](const std::string& text) -> const Element* {
    const Element* e = set.FindElement(SoleElement(text));
    if (!e || !e->rule || (e->rule->op != "count" && e->rule->op != "distinct")) return nullptr;
    return e;
  };
  std::string numerator = ind.numerator;
  std::string denominator = ind.denominator;
  std::string_view where = "numerator";
  if (!ind.expression.empty()) {
    auto parts = RateParts(ind.expression);
    if (!parts) return {};
    std::tie(numerator, denominator) = *parts;
    where = "expression";
  }
  if (numerator.empty() || denominator.empty()) return {};
  const Element* n = counted(numerator);
  const Element* d = counted(denominator);
  if (!n || !d) return {};
  return {n, d, where};
}

std::optional<std::string> CountsOutside(const Rule& numerator, const Rule& denominator) {
  if (numerator.op != denominator.op || numerator.field != denominator.field) {
    return "it counts " + numerator.op + " " + numerator.field + ", the denominator " +
           denominator.op + " " + denominator.field;
  }
  if (numerator.date_field != denominator.date_field ||
      numerator.period_start_day != denominator.period_start_day) {
    return "it takes a record's period from another date than the denominator does";
  }
  if (numerator.unit_field != denominator.unit_field) {
    return "it takes a record's unit from another field than the denominator does";
  }
  for (const auto& d : denominator.filters) {
    const bool kept = std::any_of(numerator.filters.begin(), numerator.filters.end(),
                                  [&](const Filter& n) { return Implies(n, d); });
    if (!kept) return "it does not filter " + Describe(d) + " as the denominator does";
  }
  return std::nullopt;
}

Result<RuleColumns> RuleFields(const Rule& rule, const ingest::Schema& schema) {
  RuleColumns cols;
  auto need = [&](const std::string& name, const char* what) -> Result<size_t> {
    auto c = Column(schema, name);
    if (!c) {
      return Fail(Error::Invalid(
          "index.invalid",
          std::string(what) + ": the dataset " + rule.dataset + " has no field '" + name + "'"));
    }
    return *c;
  };
  if (rule.unit_field.empty()) {
    bool found = false;
    for (size_t i = 0; i < schema.fields.size() && !found; ++i) {
      if (schema.fields[i].unit) {
        cols.unit = i;
        found = true;
      }
    }
    if (!found) {
      return Fail(Error::Invalid("index.invalid", "the dataset " + rule.dataset +
                                                      " has no unit field (pdh:unit): name one "
                                                      "with unit_field"));
    }
  } else {
    auto c = need(rule.unit_field, "unit_field");
    if (!c) return Fail(c.error());
    cols.unit = *c;
  }
  if (rule.date_field.empty()) {
    bool found = false;
    for (size_t i = 0; i < schema.fields.size() && !found; ++i) {
      if (schema.fields[i].period) {
        cols.date = i;
        found = true;
      }
    }
    if (!found) {
      return Fail(Error::Invalid("index.invalid", "the dataset " + rule.dataset +
                                                      " has no period field (pdh:period): name "
                                                      "one with date_field"));
    }
  } else {
    auto c = need(rule.date_field, "date_field");
    if (!c) return Fail(c.error());
    cols.date = *c;
  }
  const auto date_type = schema.fields[cols.date].type;
  if (date_type != ingest::FieldType::kDate && date_type != ingest::FieldType::kDatetime &&
      date_type != ingest::FieldType::kYearMonth) {
    return Fail(Error::Invalid(
        "index.invalid", "date_field: '" + schema.fields[cols.date].name + "' is not a date"));
  }
  if (rule.op != "count") {
    auto c = need(rule.field, "field");
    if (!c) return Fail(c.error());
    const auto t = schema.fields[*c].type;
    if (rule.op != "distinct" && t != ingest::FieldType::kInteger &&
        t != ingest::FieldType::kNumber && t != ingest::FieldType::kBoolean) {
      return Fail(Error::Invalid("index.invalid", "field: '" + rule.field +
                                                      "' is not a number, so it cannot be " +
                                                      (rule.op == "sum" ? "summed" : "averaged")));
    }
    cols.value = *c;
  }
  for (const auto& f : rule.filters) {
    auto c = need(f.field, "filters");
    if (!c) return Fail(c.error());
    RuleColumns::Cond cond{&f, *c, std::nullopt, {}};
    if (!f.other.empty()) {
      auto o = need(f.other, "filters");
      if (!o) return Fail(o.error());
      cond.other = *o;
    } else if (f.op != "=" && f.op != "!=" && !f.values.empty()) {
      // A constant to compare with: a number when it reads as one, else text (a date).
      const std::string& v = f.values.front();
      double d = 0;
      auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), d);
      if (ec == std::errc() && p == v.data() + v.size()) {
        cond.constant = d;
      } else {
        cond.constant = v;
      }
    }
    cols.conds.push_back(cond);
  }
  return cols;
}

std::optional<int> RecordMonth(const Rule& rule, const RuleColumns& cols,
                               const std::vector<store::Cell>& row) {
  const auto* s = std::get_if<std::string>(&row[cols.date]);
  if (!s || s->size() < 7) return std::nullopt;
  int y = 0;
  int m = 0;
  int d = 1;
  std::from_chars(s->data(), s->data() + 4, y);
  std::from_chars(s->data() + 5, s->data() + 7, m);
  if (s->size() >= 10) std::from_chars(s->data() + 8, s->data() + 10, d);
  if (m < 1 || m > 12) return std::nullopt;
  int month = MonthNumber(y, m);
  // A period starting on the 15th: the 15th of October onwards belongs to November's.
  if (rule.period_start_day > 1 && d >= rule.period_start_day) ++month;
  return month;
}

int64_t Contribution(const Rule& rule, const RuleColumns& cols,
                     const std::vector<store::Cell>& row) {
  for (const auto& c : cols.conds) {
    const store::Cell& cell = row[c.field];
    const Filter& f = *c.filter;
    if (f.op == "null") {
      if (!IsNull(cell)) return kOut;
    } else if (f.op == "not_null") {
      if (IsNull(cell)) return kOut;
    } else if (f.op == "<=" || f.op == "<" || f.op == ">=" || f.op == ">") {
      const store::Cell& other = c.other ? row[*c.other] : c.constant;
      if (IsNull(cell) || IsNull(other)) return kOut;
      const int cmp = Compare(cell, other);
      const bool pass = f.op == "<="   ? cmp <= 0
                        : f.op == "<"  ? cmp < 0
                        : f.op == ">=" ? cmp >= 0
                                       : cmp > 0;
      if (!pass) return kOut;
    } else {
      if (IsNull(cell)) return kOut;
      // The schema's type decides how booleans read; the filters were checked against it.
      const std::string text =
          CellText(cell, std::holds_alternative<int64_t>(cell) &&
                                 (f.values.front() == "true" || f.values.front() == "false")
                             ? ingest::FieldType::kBoolean
                             : ingest::FieldType::kString);
      bool any = false;
      for (const auto& v : f.values) any = any || v == text;
      if (f.op == "=" ? !any : any) return kOut;
    }
  }
  if (rule.op == "count") return 1;
  const store::Cell& v = row[*cols.value];
  if (IsNull(v)) return kOut;
  if (rule.op == "distinct") {
    return static_cast<int64_t>(std::hash<std::string>{}(CellText(v, ingest::FieldType::kString)) &
                                0x7fffffffffffffffULL);
  }
  double x = 0;
  if (const auto* i = std::get_if<int64_t>(&v)) {
    x = static_cast<double>(*i);
  } else if (const auto* d = std::get_if<double>(&v)) {
    x = *d;
  } else {
    return kOut;
  }
  const double micro = std::round(x * 1e6);
  if (!(std::fabs(micro) < 9e18)) return kOut;
  return static_cast<int64_t>(micro);
}

}  // namespace pdh::engine
