// The linker: records encoded as they are added; Run blocks, compares the pairs on several
// threads, trains the model and scores every pair; the linkage answers clusters, links,
// explanations and the model's own estimate of its precision and recall.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <numeric>
#include <optional>
#include <thread>
#include <tuple>
#include <unordered_map>

#include "core/text.h"
#include "link/internal.h"

namespace pdh::link {

using detail::Cell;
using detail::Codec;
using detail::Gamma;
using detail::Records;

namespace {

bool CountsAsWeight(Level l) {
  return l != Level::kMissing && l != Level::kNeutral;
}

// Runs fn(begin, end, part) over [0, n) in `threads` contiguous parts.
void ParallelFor(size_t n, unsigned threads,
                 const std::function<void(size_t, size_t, unsigned)>& fn) {
  threads = std::max(1U, std::min<unsigned>(threads, static_cast<unsigned>(n / 10000 + 1)));
  if (threads == 1) {
    fn(0, n, 0);
    return;
  }
  std::vector<std::jthread> workers;
  const size_t step = (n + threads - 1) / threads;
  for (unsigned t = 0; t < threads; ++t) {
    const size_t begin = std::min(n, t * step);
    const size_t end = std::min(n, begin + step);
    workers.emplace_back([&fn, begin, end, t] { fn(begin, end, t); });
  }
}

// Ids that are numbers order as numbers ("9" before "10"), others as text.
bool IdLess(const std::string& a, const std::string& b) {
  auto digits = [](const std::string& s) {
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (digits(a) && digits(b) && a.size() != b.size()) return a.size() < b.size();
  return a < b;
}

// Seconds since `start`, and `start` moved to now.
double Lap(std::chrono::steady_clock::time_point& start) {
  const auto now = std::chrono::steady_clock::now();
  const double s = std::chrono::duration<double>(now - start).count();
  start = now;
  return s;
}

double Probability(double weight) {
  return 1.0 / (1.0 + std::exp2(-weight));
}

class LinkageImpl final : public Linkage {
 public:
  LinkageImpl(Mode mode, Records records, std::vector<Codec> codecs, std::vector<ColumnSpec> cols,
              std::vector<std::unordered_map<std::string, uint32_t>> index)
      : mode_(mode),
        records_(std::move(records)),
        codecs_(std::move(codecs)),
        columns_(std::move(cols)),
        index_(std::move(index)) {}

  const Model& model() const override { return model_; }
  const std::vector<RuleCount>& rules() const override { return rules_; }
  const std::vector<ScoredPair>& pairs() const override { return pairs_; }
  const StepTimes& times() const override { return times_; }
  size_t records() const override { return records_.size(); }
  const std::string& id(uint32_t record) const override { return records_.ids[record]; }
  int source(uint32_t record) const override { return records_.source[record]; }

  // The weight of the pair (a, b) at the levels of `g`, with its parts when `parts` is given.
  double Weigh(uint32_t a, uint32_t b, Gamma g, std::vector<Contribution>* parts) const {
    double w = prior_bits_;
    for (size_t c = 0; c < codecs_.size(); ++c) {
      const Level l = detail::LevelAt(g, c);
      double bits = 0;
      double tf = 0;
      if (CountsAsWeight(l)) {
        bits = weights_[c][static_cast<size_t>(l)];
        // Only exact agreement is weighed by the value's frequency (as Splink does): the lesser
        // levels' own u already says how often values are that close by chance.
        if (columns_[c].term_frequency && l == Level::kExact) {
          const Cell& ca = records_.at(a, c);
          const double share = static_cast<double>(codecs_[c].Frequency(ca.fold)) /
                               static_cast<double>(std::max<uint64_t>(1, codecs_[c].counted()));
          if (share > 0) tf = std::log2(u_[c][static_cast<size_t>(l)] / share);
        }
      }
      w += bits + tf;
      if (parts) {
        parts->push_back({columns_[c].name, l, codecs_[c].Display(records_.at(a, c)),
                          codecs_[c].Display(records_.at(b, c)), bits, tf});
      }
    }
    return w;
  }

  Result<Explanation> Explain(std::string_view id_a, std::string_view id_b) const override {
    auto find = [&](int source, std::string_view id) -> std::optional<uint32_t> {
      if (static_cast<size_t>(source) >= index_.size()) return std::nullopt;
      auto it = index_[static_cast<size_t>(source)].find(std::string(id));
      if (it == index_[static_cast<size_t>(source)].end()) return std::nullopt;
      return it->second;
    };
    const int sb = mode_ == Mode::kPair ? 1 : 0;
    auto a = find(0, id_a);
    auto b = find(sb, id_b);
    if (!a || !b) {
      return Fail(Error::NotFound("link.not_found", "no record '" + std::string(!a ? id_a : id_b) +
                                                        "' in the linked data"));
    }
    Explanation e{std::string(id_a), std::string(id_b), prior_bits_, {}, 0, 0};
    const Gamma g = detail::GammaOf(records_, codecs_, *a, *b);
    e.weight = Weigh(*a, *b, g, &e.parts);
    e.probability = Probability(e.weight);
    return e;
  }

  std::vector<ClusterRow> Clusters(double threshold) const override {
    const uint32_t n = records_.size();
    std::vector<uint32_t> parent(n);
    std::iota(parent.begin(), parent.end(), 0U);
    auto root = [&parent](uint32_t x) {
      while (parent[x] != x) {
        parent[x] = parent[parent[x]];
        x = parent[x];
      }
      return x;
    };
    std::vector<float> best(n, 0);
    for (const auto& p : pairs_) {
      if (p.probability < threshold) continue;
      best[p.a] = std::max(best[p.a], p.probability);
      best[p.b] = std::max(best[p.b], p.probability);
      const uint32_t ra = root(p.a);
      const uint32_t rb = root(p.b);
      if (ra == rb) continue;
      // The root is the member with the smallest id: the cluster keeps its id across re-runs
      // as long as that record stays in it.
      if (IdLess(records_.ids[ra], records_.ids[rb])) {
        parent[rb] = ra;
      } else {
        parent[ra] = rb;
      }
    }
    std::vector<ClusterRow> out(n);
    for (uint32_t r = 0; r < n; ++r) out[r] = {r, root(r), best[r]};
    return out;
  }

  std::vector<ScoredPair> OneToOne(double threshold) const override {
    std::vector<ScoredPair> candidates;
    for (const auto& p : pairs_) {
      if (p.probability >= threshold) candidates.push_back(p);
    }
    std::sort(candidates.begin(), candidates.end(), [](const ScoredPair& x, const ScoredPair& y) {
      if (x.weight != y.weight) return x.weight > y.weight;
      return std::tie(x.a, x.b) < std::tie(y.a, y.b);
    });
    std::vector<bool> used(records_.size(), false);
    std::vector<ScoredPair> out;
    for (const auto& p : candidates) {
      if (used[p.a] || used[p.b]) continue;
      used[p.a] = used[p.b] = true;
      out.push_back(p);
    }
    return out;
  }

  Estimate EstimateAt(double threshold) const override {
    double tp = 0;
    double fp = 0;
    double fn = 0;
    Estimate e;
    e.threshold = threshold;
    for (const auto& p : pairs_) {
      if (p.probability >= threshold) {
        tp += p.probability;
        fp += 1 - p.probability;
        ++e.pairs_above;
      } else {
        fn += p.probability;
      }
    }
    e.expected_matches = tp + fn;
    e.precision = tp + fp > 0 ? tp / (tp + fp) : 1;
    e.recall = tp + fn > 0 ? tp / (tp + fn) : 1;
    return e;
  }

  std::vector<HistogramBin> Histogram(double bin_bits) const override {
    std::vector<HistogramBin> out;
    if (pairs_.empty() || bin_bits <= 0) return out;
    float lo = pairs_.front().weight;
    float hi = lo;
    for (const auto& p : pairs_) {
      lo = std::min(lo, p.weight);
      hi = std::max(hi, p.weight);
    }
    const double start = std::floor(lo / bin_bits) * bin_bits;
    const auto bins = static_cast<size_t>(std::floor((hi - start) / bin_bits)) + 1;
    out.resize(bins);
    for (size_t i = 0; i < bins; ++i) {
      out[i].from = start + static_cast<double>(i) * bin_bits;
      out[i].to = out[i].from + bin_bits;
    }
    for (const auto& p : pairs_) {
      const auto i = std::min(bins - 1, static_cast<size_t>((p.weight - start) / bin_bits));
      ++out[i].pairs;
    }
    return out;
  }

  Status Train(std::vector<detail::BlockRule> rules, const Options& options) {
    auto clock = std::chrono::steady_clock::now();
    auto blocked =
        detail::Block(records_, codecs_, rules, mode_, options.max_pairs_per_rule, rules_);
    if (!blocked) return Fail(blocked.error());
    std::vector<uint64_t> packed = std::move(*blocked);
    if (!options.new_ids.empty()) {
      // Incremental: only the pairs that involve a new record.
      std::vector<uint8_t> fresh(records_.size(), 0);
      for (const auto& id : options.new_ids) {
        for (const auto& index : index_) {
          if (auto it = index.find(id); it != index.end()) fresh[it->second] = 1;
        }
      }
      std::erase_if(packed, [&](uint64_t p) {
        return fresh[static_cast<uint32_t>(p >> 32)] == 0 && fresh[static_cast<uint32_t>(p)] == 0;
      });
    }
    times_.block = Lap(clock);

    // Compare every pair once, in parallel; count the patterns.
    const size_t np = packed.size();
    std::vector<Gamma> gammas(np);
    const unsigned threads = std::max(1U, options.threads);
    std::vector<std::unordered_map<Gamma, uint64_t>> local(threads);
    ParallelFor(np, threads, [&](size_t begin, size_t end, unsigned t) {
      auto& counts = local[t];
      for (size_t i = begin; i < end; ++i) {
        const auto a = static_cast<uint32_t>(packed[i] >> 32);
        const auto b = static_cast<uint32_t>(packed[i]);
        gammas[i] = detail::GammaOf(records_, codecs_, a, b);
        ++counts[gammas[i]];
      }
    });
    std::unordered_map<Gamma, uint64_t> merged = std::move(local[0]);
    for (unsigned t = 1; t < threads; ++t) {
      for (const auto& [g, n] : local[t]) merged[g] += n;
    }
    std::vector<std::pair<Gamma, uint64_t>> patterns(merged.begin(), merged.end());
    std::sort(patterns.begin(), patterns.end());
    times_.compare = Lap(clock);

    std::vector<std::pair<Gamma, bool>> labelled;
    for (const auto& label : options.labels) {
      auto a = index_[0].find(label.id_a);
      auto b = index_[mode_ == Mode::kPair ? 1 : 0].find(label.id_b);
      if (a == index_[0].end() || b == index_[mode_ == Mode::kPair ? 1 : 0].end()) continue;
      labelled.emplace_back(detail::GammaOf(records_, codecs_, a->second, b->second), label.match);
    }

    const uint32_t n = records_.size();
    const double all_pairs = mode_ == Mode::kDedupe
                                 ? static_cast<double>(n) * (n > 0 ? n - 1 : 0) / 2
                                 : static_cast<double>(records_.size_a) * (n - records_.size_a);
    const size_t samples = static_cast<size_t>(
        std::min<double>(static_cast<double>(options.u_samples), std::max(all_pairs, 1.0)));
    detail::EmResult em;
    if (options.model && FitsColumns(*options.model)) {
      // Parameters fitted by an earlier run: nothing to train.
      u_.assign(codecs_.size(), {});
      em.m.assign(codecs_.size(), {});
      for (size_t c = 0; c < codecs_.size(); ++c) {
        u_[c].fill(1);
        em.m[c].fill(1);
        for (const auto& lp : options.model->comparisons[c].levels) {
          u_[c][static_cast<size_t>(lp.level)] = lp.u;
          em.m[c][static_cast<size_t>(lp.level)] = lp.m;
        }
      }
      em.lambda_blocked = options.model->lambda_blocked;
      em.iterations = 0;
      em.converged = options.model->converged;
    } else {
      u_ = detail::EstimateU(records_, codecs_, mode_, samples, options.seed, threads);
      em = detail::TrainEm(codecs_, patterns, labelled, options.em_iterations, &u_);
    }

    model_.lambda_blocked = em.lambda_blocked;
    model_.iterations = em.iterations;
    model_.converged = em.converged;
    const double expected = em.lambda_blocked * static_cast<double>(np);
    model_.lambda = all_pairs > 0 ? std::clamp(expected / all_pairs, 1e-12, 0.5) : 0.5;
    if (options.model && FitsColumns(*options.model)) model_.lambda = options.model->lambda;
    prior_bits_ = std::log2(model_.lambda / (1 - model_.lambda));
    weights_.assign(codecs_.size(), {});
    for (size_t c = 0; c < codecs_.size(); ++c) {
      weights_[c].fill(0);
      ComparisonParams params{columns_[c], {}};
      for (Level l : LevelsOf(codecs_[c].kind())) {
        const auto i = static_cast<size_t>(l);
        weights_[c][i] = std::log2(em.m[c][i] / u_[c][i]);
        params.levels.push_back({l, em.m[c][i], u_[c][i], weights_[c][i], 0});
      }
      for (const auto& [g, count] : patterns) {
        const Level l = detail::LevelAt(g, c);
        for (auto& lp : params.levels) {
          if (lp.level == l) lp.pairs += count;
        }
      }
      model_.comparisons.push_back(std::move(params));
    }

    times_.train = Lap(clock);

    // Score every pair.
    pairs_.resize(np);
    ParallelFor(np, threads, [&](size_t begin, size_t end, unsigned) {
      for (size_t i = begin; i < end; ++i) {
        const auto a = static_cast<uint32_t>(packed[i] >> 32);
        const auto b = static_cast<uint32_t>(packed[i]);
        const double w = Weigh(a, b, gammas[i], nullptr);
        pairs_[i] = {a, b, static_cast<float>(w), static_cast<float>(Probability(w))};
      }
    });
    times_.score = Lap(clock);
    return Ok();
  }

 private:
  // Whether `m` was fitted on comparisons of these columns, in this order.
  bool FitsColumns(const Model& m) const {
    if (m.comparisons.size() != columns_.size()) return false;
    for (size_t c = 0; c < columns_.size(); ++c) {
      if (m.comparisons[c].column.name != columns_[c].name ||
          m.comparisons[c].column.kind != columns_[c].kind) {
        return false;
      }
    }
    return true;
  }

  Mode mode_;
  Records records_;
  std::vector<Codec> codecs_;
  std::vector<ColumnSpec> columns_;
  std::vector<std::unordered_map<std::string, uint32_t>> index_;  // id -> record, per source
  Model model_;
  std::vector<RuleCount> rules_;
  std::vector<ScoredPair> pairs_;
  StepTimes times_;
  detail::Table weights_;
  detail::Table u_;
  double prior_bits_ = 0;
};

class LinkerImpl final : public Linker {
 public:
  LinkerImpl(Mode mode, Options options, std::vector<std::vector<size_t>> columns,
             std::vector<size_t> id_index)
      : mode_(mode),
        options_(std::move(options)),
        columns_(std::move(columns)),
        id_index_(std::move(id_index)) {
    for (const auto& spec : options_.columns) {
      codecs_.emplace_back(spec.kind, options_.within_days, options_.registry);
    }
    index_.resize(mode == Mode::kPair ? 2 : 1);
    cells_.resize(index_.size());
    ids_.resize(index_.size());
  }

  Status Add(int source, const std::vector<std::string>& row) override {
    if (source < 0 || static_cast<size_t>(source) >= index_.size()) {
      return Fail(Error::BadRequest("link.bad_source", "no source " + std::to_string(source)));
    }
    const auto s = static_cast<size_t>(source);
    const size_t id_col = id_index_[s];
    std::string id = id_col < row.size() ? text::CollapseSpaces(row[id_col]) : std::string();
    if (id.empty()) {
      return Fail(Error::Invalid("link.missing_id", "record " + std::to_string(ids_[s].size() + 1) +
                                                        " of source " + std::to_string(s + 1) +
                                                        " has no id"));
    }
    const auto next = static_cast<uint32_t>(ids_[s].size());
    if (!index_[s].emplace(id, next).second) {
      return Fail(Error::Invalid(std::string(kDuplicateId),
                                 "the id '" + id + "' is given to two records of source " +
                                     std::to_string(s + 1) + ": ids must be unique"));
    }
    ids_[s].push_back(std::move(id));
    if (s != pending_source_) Flush();
    pending_source_ = s;
    for (size_t c = 0; c < codecs_.size(); ++c) {
      const size_t col = columns_[s][c];
      pending_.push_back(col < row.size() ? row[col] : std::string());
    }
    if (pending_.size() >= kChunkRows * codecs_.size()) Flush();
    return Ok();
  }

  // Encodes the rows added since the last flush, each thread its own columns (a codec is used
  // by one thread at a time).
  void Flush() {
    const size_t nc = codecs_.size();
    if (pending_.empty() || nc == 0) return;
    const size_t rows = pending_.size() / nc;
    auto& cells = cells_[pending_source_];
    const size_t base = cells.size();
    cells.resize(base + rows * nc);
    auto encode = [&](size_t first_column, size_t step) {
      for (size_t c = first_column; c < nc; c += step) {
        for (size_t r = 0; r < rows; ++r) {
          cells[base + r * nc + c] = codecs_[c].Encode(pending_[r * nc + c]);
        }
      }
    };
    const size_t threads = std::max<size_t>(1, std::min<size_t>(options_.threads, nc));
    {
      std::vector<std::jthread> workers;
      for (size_t t = 1; t < threads; ++t) workers.emplace_back(encode, t, threads);
      encode(0, threads);
    }
    pending_.clear();
  }

  Result<std::unique_ptr<Linkage>> Run() override {
    Flush();
    std::vector<detail::BlockRule> rules;
    if (options_.rules.empty()) {
      rules = detail::AutomaticRules(options_.columns);
    } else {
      auto parsed = detail::ParseRules(options_.rules, options_.columns);
      if (!parsed) return Fail(parsed.error());
      rules = std::move(*parsed);
    }
    Records records;
    records.columns = codecs_.size();
    records.size_a = static_cast<uint32_t>(ids_[0].size());
    // Record indices of source B follow those of A.
    if (index_.size() == 2) {
      for (auto& [id, r] : index_[1]) r += records.size_a;
    }
    for (size_t s = 0; s < ids_.size(); ++s) {
      records.cells.insert(records.cells.end(), cells_[s].begin(), cells_[s].end());
      records.source.insert(records.source.end(), ids_[s].size(), static_cast<uint8_t>(s));
      for (auto& id : ids_[s]) records.ids.push_back(std::move(id));
      std::vector<Cell>().swap(cells_[s]);
    }
    auto linkage = std::make_unique<LinkageImpl>(mode_, std::move(records), std::move(codecs_),
                                                 options_.columns, std::move(index_));
    if (auto s = linkage->Train(std::move(rules), options_); !s) return Fail(s.error());
    return std::unique_ptr<Linkage>(std::move(linkage));
  }

 private:
  Mode mode_;
  Options options_;
  std::vector<std::vector<size_t>> columns_;  // per source: the file column of each comparison
  std::vector<size_t> id_index_;
  std::vector<Codec> codecs_;
  std::vector<std::unordered_map<std::string, uint32_t>> index_;
  std::vector<std::vector<Cell>> cells_;
  std::vector<std::vector<std::string>> ids_;
  // Rows added but not yet encoded: the compared values, row after row, all of one source.
  static constexpr size_t kChunkRows = 32768;
  std::vector<std::string> pending_;
  size_t pending_source_ = 0;
};

size_t HeaderIndex(const std::vector<std::string>& header, std::string_view name) {
  const std::string want = text::CollapseSpaces(name);
  for (size_t i = 0; i < header.size(); ++i) {
    if (text::CollapseSpaces(header[i]) == want) return i;
  }
  const std::string folded = text::Fold(name);
  for (size_t i = 0; i < header.size(); ++i) {
    if (text::Fold(header[i]) == folded) return i;
  }
  return std::string::npos;
}

}  // namespace

Result<std::unique_ptr<Linker>> Linker::Create(Mode mode, std::string_view id_column,
                                               const std::vector<std::string>& header_a,
                                               const std::vector<std::string>& header_b,
                                               Options options) {
  if (options.columns.empty()) {
    return Fail(Error::Invalid(std::string(kNoColumns),
                               "no column to compare: name, date of birth, ID, phone, address "
                               "or commune columns are needed"));
  }
  if (options.columns.size() > detail::kMaxComparisons) {
    return Fail(Error::Invalid(std::string(kNoColumns),
                               "at most " + std::to_string(detail::kMaxComparisons) +
                                   " columns can be compared; " +
                                   std::to_string(options.columns.size()) + " were given"));
  }
  std::vector<const std::vector<std::string>*> headers{&header_a};
  if (mode == Mode::kPair) headers.push_back(&header_b);
  std::vector<std::vector<size_t>> columns;
  std::vector<size_t> ids;
  for (size_t s = 0; s < headers.size(); ++s) {
    const auto& header = *headers[s];
    auto missing = [&](std::string_view name) {
      return Error::Invalid(
          std::string(kMissingColumn),
          "source " + std::to_string(s + 1) + " has no column '" + std::string(name) + "'");
    };
    const size_t id = HeaderIndex(header, id_column);
    if (id == std::string::npos) return Fail(missing(id_column));
    ids.push_back(id);
    columns.emplace_back();
    for (const auto& spec : options.columns) {
      const size_t col = HeaderIndex(header, spec.name);
      if (col == std::string::npos) return Fail(missing(spec.name));
      columns.back().push_back(col);
    }
  }
  return std::unique_ptr<Linker>(
      std::make_unique<LinkerImpl>(mode, std::move(options), std::move(columns), std::move(ids)));
}

}  // namespace pdh::link
