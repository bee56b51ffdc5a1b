// Blocking: only pairs of records that agree on all the keys of at least one rule are compared.
// Each rule's pairs are counted before any is generated, so that a rule that explodes is seen
// (and refused) before the work starts.
#include <algorithm>
#include <cctype>
#include <string>

#include "core/text.h"
#include "link/internal.h"

namespace pdh::link::detail {

namespace {

std::string Trimmed(std::string_view s) {
  return text::CollapseSpaces(s);
}

// The column a key's name (a header or a role) stands for, or npos.
size_t ColumnNamed(std::string_view name, const std::vector<ColumnSpec>& columns) {
  const std::string folded = text::Fold(name);
  for (size_t i = 0; i < columns.size(); ++i) {
    if (text::Fold(columns[i].name) == folded) return i;
  }
  for (size_t i = 0; i < columns.size(); ++i) {
    if (!columns[i].role.empty() && columns[i].role == folded) return i;
  }
  return std::string::npos;
}

Result<BlockKey> ParseKey(std::string_view token, const std::vector<ColumnSpec>& columns) {
  if (size_t col = ColumnNamed(token, columns); col != std::string::npos) {
    return BlockKey{col, BlockKey::Part::kValue, 0};
  }
  if (token.ends_with("_year")) {
    const auto base = token.substr(0, token.size() - 5);
    if (size_t col = ColumnNamed(base, columns);
        col != std::string::npos && columns[col].kind == Kind::kDate) {
      return BlockKey{col, BlockKey::Part::kYear, 0};
    }
  }
  size_t digits = token.size();
  while (digits > 0 && std::isdigit(static_cast<unsigned char>(token[digits - 1]))) --digits;
  if (digits > 0 && digits < token.size() && token.size() - digits <= 3) {
    if (size_t col = ColumnNamed(token.substr(0, digits), columns); col != std::string::npos) {
      return BlockKey{col, BlockKey::Part::kPrefix, std::stoi(std::string(token.substr(digits)))};
    }
  }
  return Fail(Error::BadRequest(
      std::string(kBadRule),
      "blocking key '" + std::string(token) +
          "' names no compared column: use a column name or role (surname, given, dob, id, "
          "phone, postcode, commune, ...), optionally with _year (dates) or a length (given3)"));
}

uint64_t Mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

uint64_t HashBytes(std::string_view s) {
  uint64_t h = 1469598103934665603ULL;
  for (char c : s) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
  return h;
}

// The value of one key for one record; false when the record has no value for it.
bool KeyValue(const Records& records, const std::vector<Codec>& codecs, uint32_t record,
              const BlockKey& key, uint64_t& out) {
  const Cell& c = records.at(record, key.column);
  if (c.exact == 0) return false;
  const Codec& codec = codecs[key.column];
  switch (key.part) {
    case BlockKey::Part::kValue:
      out = codec.kind() == Kind::kDate      ? static_cast<uint64_t>(static_cast<uint32_t>(c.num))
            : codec.kind() == Kind::kCommune ? c.alt
                                             : c.fold;
      return true;
    case BlockKey::Part::kYear:
      out = c.alt / 10000;
      return true;
    case BlockKey::Part::kPrefix: {
      const std::string& f = codec.Folded(c);
      if (f.empty()) return false;
      out = HashBytes(std::string_view(f).substr(0, static_cast<size_t>(key.length)));
      return true;
    }
  }
  return false;
}

// (key, record) for every record that has all the rule's keys, sorted by key.
std::vector<std::pair<uint64_t, uint32_t>> Keyed(const Records& records,
                                                 const std::vector<Codec>& codecs,
                                                 const BlockRule& rule) {
  std::vector<std::pair<uint64_t, uint32_t>> out;
  out.reserve(records.size());
  for (uint32_t r = 0; r < records.size(); ++r) {
    uint64_t h = 0;
    bool ok = true;
    for (const auto& key : rule.keys) {
      uint64_t v = 0;
      if (!KeyValue(records, codecs, r, key, v)) {
        ok = false;
        break;
      }
      h = Mix(h ^ Mix(v + key.column * 0x100000001b3ULL));
    }
    if (ok) out.emplace_back(h, r);
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Calls `group(begin, end)` for each run of equal keys.
template <class F>
void ForEachGroup(const std::vector<std::pair<uint64_t, uint32_t>>& keyed, F group) {
  for (size_t i = 0; i < keyed.size();) {
    size_t j = i + 1;
    while (j < keyed.size() && keyed[j].first == keyed[i].first) ++j;
    group(i, j);
    i = j;
  }
}

uint64_t CountPairs(const Records& records, const std::vector<std::pair<uint64_t, uint32_t>>& keyed,
                    Mode mode) {
  uint64_t total = 0;
  ForEachGroup(keyed, [&](size_t i, size_t j) {
    const uint64_t n = j - i;
    if (mode == Mode::kDedupe) {
      total += n * (n - 1) / 2;
    } else {
      uint64_t a = 0;
      for (size_t k = i; k < j; ++k) a += records.source[keyed[k].second] == 0 ? 1 : 0;
      total += a * (n - a);
    }
  });
  return total;
}

void EmitPairs(const Records& records, const std::vector<std::pair<uint64_t, uint32_t>>& keyed,
               Mode mode, std::vector<uint64_t>& out) {
  ForEachGroup(keyed, [&](size_t i, size_t j) {
    // Records are sorted by index within a group, so a < b, and in pair mode those of source A
    // (the lower indices) come first.
    for (size_t x = i; x < j; ++x) {
      const uint32_t a = keyed[x].second;
      if (mode == Mode::kPair && records.source[a] != 0) break;
      for (size_t y = x + 1; y < j; ++y) {
        const uint32_t b = keyed[y].second;
        if (mode == Mode::kPair && records.source[b] == 0) continue;
        out.push_back(static_cast<uint64_t>(a) << 32 | b);
      }
    }
  });
}

}  // namespace

Result<std::vector<BlockRule>> ParseRules(std::string_view text,
                                          const std::vector<ColumnSpec>& columns) {
  std::vector<BlockRule> rules;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(';', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string rule_text = Trimmed(text.substr(start, end - start));
    start = end + 1;
    if (rule_text.empty()) continue;
    BlockRule rule{rule_text, {}, false};
    size_t k = 0;
    while (k <= rule_text.size()) {
      size_t e = rule_text.find(',', k);
      if (e == std::string::npos) e = rule_text.size();
      const std::string token = Trimmed(std::string_view(rule_text).substr(k, e - k));
      k = e + 1;
      if (token.empty()) continue;
      auto key = ParseKey(token, columns);
      if (!key) return Fail(key.error());
      rule.keys.push_back(*key);
    }
    if (!rule.keys.empty()) rules.push_back(std::move(rule));
  }
  if (rules.empty()) {
    return Fail(Error::BadRequest(std::string(kBadRule),
                                  "no blocking rule given: write e.g. \"surname,dob_year;id\""));
  }
  return rules;
}

std::vector<BlockRule> AutomaticRules(const std::vector<ColumnSpec>& columns) {
  static constexpr std::string_view kCandidates[] = {"id",
                                                     "phone",
                                                     "full_name",
                                                     "surname,given",
                                                     "surname,dob_year",
                                                     "given,dob_year",
                                                     "full_name,dob_year",
                                                     "dob,postcode",
                                                     "dob,commune",
                                                     "given3,postcode",
                                                     "surname3,postcode",
                                                     "dob,surname3",
                                                     "dob,given3",
                                                     "dob"};
  std::vector<BlockRule> rules;
  for (std::string_view text : kCandidates) {
    auto parsed = ParseRules(text, columns);
    if (!parsed) continue;
    auto& rule = parsed->front();
    rule.automatic = true;
    rules.push_back(std::move(rule));
  }
  return rules;
}

Result<std::vector<uint64_t>> Block(const Records& records, const std::vector<Codec>& codecs,
                                    std::vector<BlockRule>& rules, Mode mode, uint64_t max_pairs,
                                    std::vector<RuleCount>& counts) {
  // Automatic rules are also kept to a few pairs per record (or a million pairs on small data):
  // beyond that a rule costs more than the matches it could add.
  const uint64_t auto_max =
      std::min<uint64_t>(max_pairs, std::max<uint64_t>(1'000'000, 5ULL * records.size()));
  counts.clear();
  for (auto& rule : rules) {
    const uint64_t n = CountPairs(records, Keyed(records, codecs, rule), mode);
    const bool too_many = n > (rule.automatic ? auto_max : max_pairs);
    if (too_many && !rule.automatic) {
      return Fail(Error::Invalid(
          std::string(kBlockingTooLarge),
          "blocking rule '" + rule.text + "' generates " + std::to_string(n) +
              " pairs, more than the maximum of " + std::to_string(max_pairs) +
              ": add a key to the rule (e.g. a year of birth or a postcode) so that it groups "
              "fewer records, or raise the maximum"));
    }
    counts.push_back({rule.text, n, !too_many});
  }
  std::vector<uint64_t> pairs;
  for (size_t i = 0; i < rules.size(); ++i) {
    if (!counts[i].used) continue;
    EmitPairs(records, Keyed(records, codecs, rules[i]), mode, pairs);
  }
  std::sort(pairs.begin(), pairs.end());
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
  return pairs;
}

}  // namespace pdh::link::detail
