// The Fellegi–Sunter model: u from random pairs, m and the share of matches by EM over the
// blocked pairs' patterns of levels, without labels unless some are given.
#include <algorithm>
#include <cmath>
#include <random>
#include <thread>

#include "link/internal.h"

namespace pdh::link::detail {

namespace {

bool Weighs(Level l) {
  return l != Level::kMissing && l != Level::kNeutral;
}

// Where EM starts: most matches agree exactly, a few at each lesser level.
double StartingM(Level l) {
  switch (l) {
    case Level::kExact:
      return 0.75;
    case Level::kTone:
    case Level::kFolded:
    case Level::kLast9:
    case Level::kCrosswalk:
      return 0.04;
    case Level::kSwapped:
    case Level::kMiddleMissing:
    case Level::kDayMonthSwapped:
      return 0.02;
    case Level::kEdit1:
    case Level::kJw92:
      return 0.05;
    case Level::kEdit2:
    case Level::kJw88:
    case Level::kWithinDays:
    case Level::kSameYear:
      return 0.02;
    case Level::kOther:
      return 0.03;
    default:
      return 0;
  }
}

// Makes `row` a distribution over the levels of `kind`, each count with `pseudo` added first.
void Normalize(std::array<double, kLevelCount>& row, Kind kind, double pseudo) {
  double total = 0;
  for (Level l : LevelsOf(kind)) total += row[static_cast<size_t>(l)] + pseudo;
  for (Level l : LevelsOf(kind)) {
    auto& v = row[static_cast<size_t>(l)];
    v = total > 0 ? (v + pseudo) / total : 0;
  }
}

}  // namespace

Gamma GammaOf(const Records& records, const std::vector<Codec>& codecs, uint32_t a, uint32_t b) {
  Gamma g = 0;
  for (size_t c = 0; c < codecs.size(); ++c) {
    const Level l = codecs[c].Compare(records.at(a, c), records.at(b, c));
    g |= static_cast<Gamma>(l) << (5 * c);
  }
  return g;
}

Table EstimateU(const Records& records, const std::vector<Codec>& codecs, Mode mode, size_t samples,
                uint64_t seed, unsigned threads) {
  const uint32_t n = records.size();
  const uint32_t na = records.size_a;
  const uint32_t nb = n - na;
  const bool possible = mode == Mode::kDedupe ? n >= 2 : (na >= 1 && nb >= 1);
  threads = std::max(1U, std::min<unsigned>(threads, static_cast<unsigned>(samples / 50000 + 1)));
  std::vector<Table> counts(threads, Table(codecs.size()));
  // Each thread draws its share from its own generator: the same seed and thread count give
  // the same u.
  auto draw = [&](unsigned t) {
    Table& mine = counts[t];
    for (auto& row : mine) row.fill(0);
    if (!possible) return;
    std::mt19937_64 rng(seed + t);
    const size_t share = samples / threads + (t < samples % threads ? 1 : 0);
    for (size_t s = 0; s < share; ++s) {
      uint32_t a = 0;
      uint32_t b = 0;
      if (mode == Mode::kDedupe) {
        a = static_cast<uint32_t>(rng() % n);
        b = static_cast<uint32_t>(rng() % (n - 1));
        if (b >= a) ++b;
      } else {
        a = static_cast<uint32_t>(rng() % na);
        b = na + static_cast<uint32_t>(rng() % nb);
      }
      for (size_t c = 0; c < codecs.size(); ++c) {
        const Level l = codecs[c].Compare(records.at(a, c), records.at(b, c));
        mine[c][static_cast<size_t>(l)] += 1;
      }
    }
  };
  {
    std::vector<std::jthread> workers;
    for (unsigned t = 1; t < threads; ++t) workers.emplace_back(draw, t);
    draw(0);
  }
  Table total = std::move(counts[0]);
  for (unsigned t = 1; t < threads; ++t) {
    for (size_t c = 0; c < codecs.size(); ++c) {
      for (size_t l = 0; l < kLevelCount; ++l) total[c][l] += counts[t][c][l];
    }
  }
  // One pseudo-pair per level: a level never seen among random pairs is rare, not impossible.
  for (size_t c = 0; c < codecs.size(); ++c) Normalize(total[c], codecs[c].kind(), 1.0);
  return total;
}

// The same person's full name, date of birth or ID number disagree outright in few true pairs.
// Without this bound, EM over blocked pairs where households abound (one phone, one address,
// one family name) can settle on "the same household" as its match class, whose members
// disagree on exactly these.
constexpr double kMaxDisagreement = 0.1;

void CapDisagreement(std::array<double, kLevelCount>& m, Kind kind) {
  if (kind != Kind::kFullName && kind != Kind::kDate && kind != Kind::kId) return;
  double& other = m[static_cast<size_t>(Level::kOther)];
  if (other <= kMaxDisagreement) return;
  const double rest = 1 - other;
  if (rest <= 0) return;
  const double scale = (1 - kMaxDisagreement) / rest;
  for (Level l : LevelsOf(kind)) {
    if (l != Level::kOther) m[static_cast<size_t>(l)] *= scale;
  }
  other = kMaxDisagreement;
}

EmResult TrainEm(const std::vector<Codec>& codecs,
                 const std::vector<std::pair<Gamma, uint64_t>>& patterns,
                 const std::vector<std::pair<Gamma, bool>>& labelled, int max_iterations,
                 const Table* start_u) {
  const size_t nc = codecs.size();
  EmResult r;
  r.m.resize(nc);
  Table u(nc);
  for (size_t c = 0; c < nc; ++c) {
    r.m[c].fill(0);
    u[c].fill(0);
    for (Level l : LevelsOf(codecs[c].kind())) r.m[c][static_cast<size_t>(l)] = StartingM(l);
    Normalize(r.m[c], codecs[c].kind(), 0);
  }
  // u among the blocked pairs starts as among random pairs when known (most blocked pairs are
  // not matches either), else as the levels' frequencies among the blocked pairs.
  double total = 0;
  for (const auto& [g, count] : patterns) {
    total += static_cast<double>(count);
    for (size_t c = 0; c < nc; ++c) u[c][static_cast<size_t>(LevelAt(g, c))] += count;
  }
  for (size_t c = 0; c < nc; ++c) Normalize(u[c], codecs[c].kind(), 1.0);
  if (start_u) u = *start_u;
  double lambda = 0.1;
  if (total == 0 && labelled.empty()) {
    r.lambda_blocked = 0;
    return r;
  }

  auto posterior = [&](Gamma g) {
    double log_m = std::log(lambda);
    double log_u = std::log1p(-lambda);
    for (size_t c = 0; c < nc; ++c) {
      const Level l = LevelAt(g, c);
      if (!Weighs(l)) continue;
      log_m += std::log(r.m[c][static_cast<size_t>(l)]);
      log_u += std::log(u[c][static_cast<size_t>(l)]);
    }
    return 1.0 / (1.0 + std::exp(log_u - log_m));
  };

  Table new_m(nc);
  Table new_u(nc);
  for (int it = 0; it < max_iterations; ++it) {
    for (size_t c = 0; c < nc; ++c) {
      new_m[c].fill(0);
      new_u[c].fill(0);
    }
    double matches = 0;
    double weight_total = 0;
    auto add = [&](Gamma g, double count, double p) {
      matches += p * count;
      weight_total += count;
      for (size_t c = 0; c < nc; ++c) {
        const auto l = static_cast<size_t>(LevelAt(g, c));
        new_m[c][l] += p * count;
        new_u[c][l] += (1 - p) * count;
      }
    };
    for (const auto& [g, count] : patterns) add(g, static_cast<double>(count), posterior(g));
    for (const auto& [g, match] : labelled) add(g, 1.0, match ? 1.0 : 0.0);
    double change = 0;
    for (size_t c = 0; c < nc; ++c) {
      Normalize(new_m[c], codecs[c].kind(), 0.01);
      CapDisagreement(new_m[c], codecs[c].kind());
      Normalize(new_u[c], codecs[c].kind(), 0.01);
      for (Level l : LevelsOf(codecs[c].kind())) {
        const auto i = static_cast<size_t>(l);
        change = std::max(change, std::abs(new_m[c][i] - r.m[c][i]));
      }
      r.m[c] = new_m[c];
      u[c] = new_u[c];
    }
    const double new_lambda = std::clamp(matches / weight_total, 1e-9, 1 - 1e-9);
    change = std::max(change, std::abs(new_lambda - lambda));
    lambda = new_lambda;
    r.iterations = it + 1;
    if (change < 1e-7) {
      r.converged = true;
      break;
    }
  }
  r.lambda_blocked = lambda;
  return r;
}

}  // namespace pdh::link::detail
