// The engine: EM on patterns with known parameters, blocking counts and the refusal of a rule
// that explodes, clusters, one-to-one links, explanations, column guessing, and accuracy on
// FEBRL without labels.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "core/csv.h"
#include "link/internal.h"
#include "link/link.h"

namespace pdh::link {
namespace {

// --- EM recovers known m and u -----------------------------------------------------------------

TEST(LinkModelTest, EmRecoversKnownParameters) {
  // Three code comparisons (levels exact, edit1, other); the pairs' patterns in the proportions
  // the model gives.
  const double m[3][3] = {{0.90, 0.07, 0.03}, {0.85, 0.10, 0.05}, {0.80, 0.05, 0.15}};
  const double u[3][3] = {{0.05, 0.10, 0.85}, {0.10, 0.05, 0.85}, {0.02, 0.08, 0.90}};
  const double lambda = 0.2;
  const Level levels[3] = {Level::kExact, Level::kEdit1, Level::kOther};
  std::vector<detail::Codec> codecs;
  for (int c = 0; c < 3; ++c) codecs.emplace_back(Kind::kCode, 30, nullptr);
  std::vector<std::pair<detail::Gamma, uint64_t>> patterns;
  for (int i = 0; i < 3; ++i) {
    for (int j = 0; j < 3; ++j) {
      for (int k = 0; k < 3; ++k) {
        const double p =
            lambda * m[0][i] * m[1][j] * m[2][k] + (1 - lambda) * u[0][i] * u[1][j] * u[2][k];
        const detail::Gamma g = static_cast<detail::Gamma>(levels[i]) |
                                static_cast<detail::Gamma>(levels[j]) << 5 |
                                static_cast<detail::Gamma>(levels[k]) << 10;
        patterns.emplace_back(g, static_cast<uint64_t>(p * 1e6 + 0.5));
      }
    }
  }
  auto r = detail::TrainEm(codecs, patterns, {}, 500);
  EXPECT_NEAR(r.lambda_blocked, lambda, 0.01);
  for (int c = 0; c < 3; ++c) {
    for (int l = 0; l < 3; ++l) {
      EXPECT_NEAR(r.m[static_cast<size_t>(c)][static_cast<size_t>(levels[l])], m[c][l], 0.02)
          << "comparison " << c << " level " << LevelName(levels[l]);
    }
  }
}

TEST(LinkModelTest, LabelledPairsAnchorTheModel) {
  // No unlabelled pairs at all: what the model learns comes from the labels alone.
  std::vector<detail::Codec> codecs;
  for (int c = 0; c < 3; ++c) codecs.emplace_back(Kind::kCode, 30, nullptr);
  const auto all = [](Level l) {
    const auto v = static_cast<detail::Gamma>(l);
    return v | v << 5 | v << 10;
  };
  std::vector<std::pair<detail::Gamma, bool>> labelled;
  for (int i = 0; i < 9; ++i) labelled.emplace_back(all(Level::kExact), true);
  labelled.emplace_back(all(Level::kEdit1), true);
  for (int i = 0; i < 10; ++i) labelled.emplace_back(all(Level::kOther), false);
  auto r = detail::TrainEm(codecs, {}, labelled, 50);
  EXPECT_NEAR(r.lambda_blocked, 0.5, 1e-6);
  EXPECT_NEAR(r.m[0][static_cast<size_t>(Level::kExact)], 0.9, 0.01);
  EXPECT_NEAR(r.m[0][static_cast<size_t>(Level::kEdit1)], 0.1, 0.01);
  EXPECT_LT(r.m[0][static_cast<size_t>(Level::kOther)], 0.01);
}

// --- A small synthetic register ----------------------------------------------------------------

struct Person {
  std::string id, family, given, dob, cccd, phone;
};

const char* const kFamilies[] = {"Nguyễn", "Trần", "Lê",   "Phạm", "Hoàng", "Huỳnh", "Phan",
                                 "Vũ",     "Võ",   "Đặng", "Bùi",  "Đỗ",    "Hồ",    "Ngô"};
const char* const kGivens[] = {"An",    "Bình", "Cường", "Dũng", "Giang", "Hà",   "Hải",
                               "Hoà",   "Hùng", "Khánh", "Lan",  "Linh",  "Minh", "Nam",
                               "Ngọc",  "Phúc", "Quân",  "Sơn",  "Tâm",   "Thảo", "Thuỷ",
                               "Trang", "Tuấn", "Vân",   "Việt", "Xuân",  "Yến"};

std::vector<Person> Register(int n, std::mt19937& rng) {
  std::vector<Person> out;
  for (int i = 0; i < n; ++i) {
    Person p;
    p.id = std::to_string(1000 + i);
    p.family = kFamilies[rng() % std::size(kFamilies)];
    p.given = kGivens[rng() % std::size(kGivens)];
    char dob[16];
    std::snprintf(dob, sizeof dob, "%04d-%02d-%02d", 1950 + static_cast<int>(rng() % 60),
                  1 + static_cast<int>(rng() % 12), 1 + static_cast<int>(rng() % 28));
    p.dob = dob;
    p.cccd = "0791" + std::to_string(10000000 + rng() % 89999999);
    p.phone = "09" + std::to_string(10000000 + rng() % 89999999);
    out.push_back(p);
  }
  return out;
}

// A second record of the same person as another office wrote it.
Person Variant(const Person& p, const std::string& id, std::mt19937& rng) {
  Person v = p;
  v.id = id;
  switch (rng() % 4) {
    case 0:  // written without diacritics, phone in +84 form
      v.family = p.family == "Nguyễn" ? "Nguyen" : p.family;
      v.phone = "+84 " + p.phone.substr(1);
      break;
    case 1:  // day and month swapped
      v.dob = p.dob.substr(0, 5) + p.dob.substr(8, 2) + "-" + p.dob.substr(5, 2);
      break;
    case 2:  // no citizen ID
      v.cccd = "";
      break;
    default:  // the other tone placement
      if (p.given == "Hoà") v.given = "Hòa";
      if (p.given == "Thuỷ") v.given = "Thủy";
      break;
  }
  return v;
}

const std::vector<std::string> kRegisterHeader = {"Mã",        "Họ",      "Tên",
                                                  "Ngày sinh", "Số CCCD", "Điện thoại"};

std::vector<std::string> Row(const Person& p) {
  return {p.id, p.family, p.given, p.dob, p.cccd, p.phone};
}

Options RegisterOptions() {
  Options o;
  o.columns = GuessColumns(kRegisterHeader, {}, "Mã");
  o.u_samples = 20000;
  return o;
}

TEST(LinkEngineTest, GuessesTheColumnsOfAFile) {
  const std::vector<std::string> header = {"Mã hồ sơ", "Họ và tên",  "Ngày sinh",
                                           "Số CMND",  "Điện thoại", "Mã xã",
                                           "Địa chỉ",  "Ghi chú",    "Cột lạ"};
  const std::vector<std::vector<std::string>> sample = {
      {"1", "Nguyễn Văn An", "01/02/1980", "079180001234", "0912345678", "27901", "Ấp 1", "",
       "12/03/1990"},
      {"2", "Trần Thị Bích", "1985-07-21", "123456789", "0987654321", "27902", "Ấp 2", "x",
       "2001-01-01"},
  };
  auto cols = GuessColumns(header, sample, "Mã hồ sơ");
  std::map<std::string, std::pair<Kind, std::string>> got;
  for (const auto& c : cols) got[c.name] = {c.kind, c.role};
  EXPECT_EQ(got.size(), 7U);
  EXPECT_EQ(got["Họ và tên"], (std::pair<Kind, std::string>{Kind::kFullName, "full_name"}));
  EXPECT_EQ(got["Ngày sinh"].first, Kind::kDate);
  EXPECT_EQ(got["Số CMND"].first, Kind::kId);
  EXPECT_EQ(got["Điện thoại"].first, Kind::kPhone);
  EXPECT_EQ(got["Mã xã"].first, Kind::kCommune);
  EXPECT_EQ(got["Địa chỉ"].first, Kind::kText);
  EXPECT_EQ(got["Cột lạ"].first, Kind::kDate);  // from its values
  EXPECT_FALSE(got.contains("Ghi chú"));

  // Headers that say more than the usual words, as office files write them.
  auto longer = GuessColumns(
      {"Mã hộ", "Họ và tên chủ hộ", "Ngày sinh (dd/mm/yyyy)", "Số CCCD/CMND", "Tên doanh nghiệp"},
      {}, "Mã hộ");
  ASSERT_EQ(longer.size(), 3U);
  EXPECT_EQ(longer[0].kind, Kind::kFullName);
  EXPECT_EQ(longer[1].kind, Kind::kDate);
  EXPECT_EQ(longer[2].kind, Kind::kId);

  auto febrl = GuessColumns(
      {"rec_id", " given_name", " surname", " street_number", " address_1", " address_2", " suburb",
       " postcode", " state", " date_of_birth", " soc_sec_id"},
      {}, "rec_id");
  ASSERT_EQ(febrl.size(), 10U);
  EXPECT_EQ(febrl[0].role, "given");
  EXPECT_EQ(febrl[1].role, "surname");
  EXPECT_EQ(febrl[6].role, "postcode");
  EXPECT_EQ(febrl[8].kind, Kind::kDate);
  EXPECT_EQ(febrl[9].kind, Kind::kId);
}

TEST(LinkEngineTest, BlockingCountsAndTheRefusalOfARuleThatExplodes) {
  const std::vector<std::string> header = {"id", "surname", "dob"};
  Options o;
  o.columns = {{"surname", Kind::kName, "surname", false}, {"dob", Kind::kDate, "dob", false}};
  o.rules = "surname; dob_year";
  auto make = [&](const Options& opts) {
    auto linker = Linker::Create(Mode::kDedupe, "id", header, {}, opts);
    EXPECT_TRUE(linker);
    // 4 Nguyễn (6 pairs), 2 Trần (1 pair); born in 1990 three times (3 pairs), 1991 three times.
    const std::vector<std::vector<std::string>> rows = {{"1", "Nguyễn", "1990-01-01"},
                                                        {"2", "Nguyễn", "1990-02-01"},
                                                        {"3", "Nguyen", "1990-03-01"},
                                                        {"4", "Nguyễn", "1991-01-01"},
                                                        {"5", "Trần", "1991-02-01"},
                                                        {"6", "Trần", "1991-03-01"},
                                                        {"7", "", ""}};
    for (const auto& r : rows) EXPECT_TRUE((*linker)->Add(0, r));
    return std::move(*linker);
  };
  auto linkage = make(o)->Run();
  ASSERT_TRUE(linkage) << linkage.error().message;
  const auto& rules = (*linkage)->rules();
  ASSERT_EQ(rules.size(), 2U);
  EXPECT_EQ(rules[0].rule, "surname");
  EXPECT_EQ(rules[0].pairs, 7U);  // folded: "Nguyen" blocks with "Nguyễn"
  EXPECT_EQ(rules[1].pairs, 6U);
  // (1,2) (1,3) (2,3) and (5,6) are found by both rules.
  EXPECT_EQ((*linkage)->pairs().size(), 9U);
  const auto& times = (*linkage)->times();
  EXPECT_GE(times.block, 0);
  EXPECT_GE(times.compare, 0);
  EXPECT_GE(times.train, 0);
  EXPECT_GE(times.score, 0);

  Options small = o;
  small.max_pairs_per_rule = 6;
  auto refused = make(small)->Run();
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, kBlockingTooLarge);
  EXPECT_NE(refused.error().message.find("'surname' generates 7 pairs"), std::string::npos)
      << refused.error().message;

  Options bad = o;
  bad.rules = "surname,nowhere";
  auto unknown = make(bad)->Run();
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, kBadRule);
}

TEST(LinkEngineTest, BadInput) {
  Options o = RegisterOptions();
  EXPECT_EQ(Linker::Create(Mode::kDedupe, "nowhere", kRegisterHeader, {}, o).error().code,
            kMissingColumn);
  EXPECT_EQ(Linker::Create(Mode::kPair, "Mã", kRegisterHeader, {"Mã", "Họ"}, o).error().code,
            kMissingColumn);
  Options none;
  EXPECT_EQ(Linker::Create(Mode::kDedupe, "Mã", kRegisterHeader, {}, none).error().code,
            kNoColumns);
  auto linker = Linker::Create(Mode::kDedupe, "Mã", kRegisterHeader, {}, o);
  ASSERT_TRUE(linker);
  EXPECT_TRUE((*linker)->Add(0, {"1", "Lê", "An"}));
  auto again = (*linker)->Add(0, {"1", "Lê", "Bình"});
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, kDuplicateId);
}

TEST(LinkEngineTest, ClustersExplanationsAndEstimates) {
  std::mt19937 rng(7);
  auto people = Register(400, rng);
  auto linker = Linker::Create(Mode::kDedupe, "Mã", kRegisterHeader, {}, RegisterOptions());
  ASSERT_TRUE(linker);
  for (const auto& p : people) ASSERT_TRUE((*linker)->Add(0, Row(p)));
  // Every fourth person twice more.
  std::map<std::string, std::string> truth;  // duplicate id -> original id
  for (size_t i = 0; i < people.size(); i += 4) {
    for (int k = 0; k < 2; ++k) {
      const std::string id = "D" + std::to_string(i) + "-" + std::to_string(k);
      ASSERT_TRUE((*linker)->Add(0, Row(Variant(people[i], id, rng))));
      truth[id] = people[i].id;
    }
  }
  auto linkage = (*linker)->Run();
  ASSERT_TRUE(linkage) << linkage.error().message;
  const Linkage& l = **linkage;
  EXPECT_GT(l.model().lambda, 0);

  auto clusters = l.Clusters(0.5);
  ASSERT_EQ(clusters.size(), l.records());
  std::map<std::string, std::string> cluster_of;
  std::map<std::string, size_t> members;
  for (const auto& row : clusters) {
    cluster_of[l.id(row.record)] = l.id(row.cluster);
    ++members[l.id(row.cluster)];
  }
  size_t found = 0;
  for (const auto& [dup, org] : truth) {
    // The cluster's id is its smallest record id: the original's number sorts before "D...".
    if (cluster_of[dup] == org) ++found;
  }
  EXPECT_GE(found, truth.size() * 95 / 100) << found << " of " << truth.size();
  size_t wrong = 0;
  for (const auto& [id, cluster] : cluster_of) {
    if (id[0] != 'D' && cluster != id) ++wrong;  // two originals together
  }
  EXPECT_LE(wrong, 2U);

  // The waterfall adds up to the pair's weight and probability.
  auto e = l.Explain("D0-0", people[0].id);
  ASSERT_TRUE(e) << e.error().message;
  double total = e->prior_bits;
  for (const auto& part : e->parts) total += part.bits + part.tf_bits;
  EXPECT_NEAR(total, e->weight, 1e-9);
  EXPECT_EQ(e->parts.size(), 5U);
  EXPECT_GT(e->probability, 0.5);
  bool scored = false;
  for (const auto& p : l.pairs()) {
    const std::set<std::string> ids = {l.id(p.a), l.id(p.b)};
    if (ids == std::set<std::string>{"D0-0", people[0].id}) {
      EXPECT_NEAR(p.weight, e->weight, 1e-3);
      scored = true;
    }
  }
  EXPECT_TRUE(scored);
  EXPECT_EQ(l.Explain("nobody", "D0-0").error().code, "link.not_found");

  auto est = l.EstimateAt(0.5);
  EXPECT_GT(est.precision, 0.9);
  EXPECT_GT(est.recall, 0.9);
  EXPECT_NEAR(est.expected_matches, 300, 60);  // 100 people with 3 records: 3 pairs each
  uint64_t binned = 0;
  for (const auto& bin : l.Histogram(2)) binned += bin.pairs;
  EXPECT_EQ(binned, l.pairs().size());
}

TEST(LinkEngineTest, OneToOneLinksBetweenTwoSources) {
  std::mt19937 rng(11);
  auto people = Register(300, rng);
  auto linker =
      Linker::Create(Mode::kPair, "Mã", kRegisterHeader, kRegisterHeader, RegisterOptions());
  ASSERT_TRUE(linker);
  for (const auto& p : people) ASSERT_TRUE((*linker)->Add(0, Row(p)));
  // Source B: two of every three people of A, and people of its own.
  std::map<std::string, std::string> truth;
  for (size_t i = 0; i < people.size(); ++i) {
    if (i % 3 == 2) continue;
    const std::string id = "B" + std::to_string(i);
    ASSERT_TRUE((*linker)->Add(1, Row(Variant(people[i], id, rng))));
    truth[people[i].id] = id;
  }
  auto others = Register(100, rng);
  for (auto& p : others) {
    p.id = "N" + p.id;
    ASSERT_TRUE((*linker)->Add(1, Row(p)));
  }
  auto linkage = (*linker)->Run();
  ASSERT_TRUE(linkage) << linkage.error().message;
  auto links = (*linkage)->OneToOne(0.5);
  std::set<uint32_t> seen;
  size_t right = 0;
  for (const auto& p : links) {
    EXPECT_TRUE(seen.insert(p.a).second);
    EXPECT_TRUE(seen.insert(p.b).second);
    EXPECT_EQ((*linkage)->source(p.a), 0);
    EXPECT_EQ((*linkage)->source(p.b), 1);
    auto it = truth.find((*linkage)->id(p.a));
    if (it != truth.end() && it->second == (*linkage)->id(p.b)) ++right;
  }
  EXPECT_GE(right, truth.size() * 95 / 100);
  EXPECT_LE(links.size() - right, 3U);
}

// --- FEBRL ------------------------------------------------------------------------------------

// Pairs within clusters against the truth in the ids ("rec-12-org", "rec-12-dup-0").
struct Scores {
  double precision = 0, recall = 0, f1 = 0;
};

std::string Entity(const std::string& id) {
  const auto first = id.find('-');
  const auto second = id.find('-', first + 1);
  return id.substr(first + 1, second - first - 1);
}

Scores ScoreClusters(const Linkage& l, const std::vector<ClusterRow>& clusters) {
  std::map<uint32_t, std::vector<uint32_t>> by_cluster;
  std::map<std::string, uint64_t> by_entity;
  for (const auto& row : clusters) {
    by_cluster[row.cluster].push_back(row.record);
    ++by_entity[Entity(l.id(row.record))];
  }
  uint64_t predicted = 0, right = 0, actual = 0;
  for (const auto& [c, members] : by_cluster) {
    for (size_t i = 0; i < members.size(); ++i) {
      for (size_t j = i + 1; j < members.size(); ++j) {
        ++predicted;
        if (Entity(l.id(members[i])) == Entity(l.id(members[j]))) ++right;
      }
    }
  }
  for (const auto& [e, n] : by_entity) actual += n * (n - 1) / 2;
  Scores s;
  s.precision = predicted ? static_cast<double>(right) / static_cast<double>(predicted) : 1;
  s.recall = actual ? static_cast<double>(right) / static_cast<double>(actual) : 1;
  s.f1 = s.precision + s.recall > 0 ? 2 * s.precision * s.recall / (s.precision + s.recall) : 0;
  return s;
}

TEST(LinkEngineTest, Febrl1WithoutLabels) {
  std::ifstream in(std::string(PDH_SHARED_DIR) + "/data/linkage/febrl1.csv");
  if (!in) GTEST_SKIP() << "no FEBRL data beside the project";
  CsvReader reader(in);
  std::vector<std::string> header;
  ASSERT_TRUE(reader.Next(header));
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  while (reader.Next(row)) rows.push_back(row);
  ASSERT_EQ(rows.size(), 1000U);
  Options o;
  o.columns = GuessColumns(header, rows, "rec_id");
  auto linker = Linker::Create(Mode::kDedupe, "rec_id", header, {}, o);
  ASSERT_TRUE(linker) << linker.error().message;
  for (const auto& r : rows) ASSERT_TRUE((*linker)->Add(0, r));
  auto linkage = (*linker)->Run();
  ASSERT_TRUE(linkage) << linkage.error().message;
  const Scores s = ScoreClusters(**linkage, (*linkage)->Clusters(0.5));
  EXPECT_GE(s.f1, 0.99) << "precision " << s.precision << " recall " << s.recall;
}

}  // namespace
}  // namespace pdh::link
