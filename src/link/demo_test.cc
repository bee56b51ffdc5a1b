// The demo's two pre-merger registers of persons with meritorious service: their counts, their
// different columns, old commune codes in old Long An's, a truth that matches the records, and
// the same rows for the same seed.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/text.h"
#include "ingest/test_support.h"
#include "link/link.h"

namespace pdh::link {
namespace {

constexpr int64_t kDemoTestPeople = 1500;
constexpr uint64_t kDemoTestSeed = 20250701;
constexpr const char* kDemoTestAt = "2025-11-01T00:00:00Z";

class LinkDemoTest : public ingest::testing::IngestTest {
 protected:
  // Every record of dataset `code` as text, by its key (the first column).
  std::map<std::string, std::vector<std::string>> Records(store::DatasetStore& store,
                                                          const std::string& code) {
    std::map<std::string, std::vector<std::string>> out;
    auto d = ingest::LoadDataset(store, code);
    EXPECT_TRUE(d) << d.error().message;
    if (!d) return out;
    auto s = store.ForEachRecord(d->table, [&](const std::vector<store::Cell>& cells) {
      std::vector<std::string> row;
      for (const auto& c : cells) {
        row.push_back(std::holds_alternative<std::string>(c) ? std::get<std::string>(c) : "");
      }
      out[row.front()] = std::move(row);
      return Ok();
    });
    EXPECT_TRUE(s) << s.error().message;
    return out;
  }

  static std::vector<std::string> FieldNames(const ingest::Dataset& d) {
    std::vector<std::string> names;
    for (const auto& f : d.schema.fields) names.push_back(f.name);
    return names;
  }
};

TEST_F(LinkDemoTest, TwoRegistersWithTheirOwnColumnsAndAKnownTruth) {
  auto sources = GenerateDemoSources(datasets(), registry(), kDemoTestAt, kDemoTestPeople);
  ASSERT_TRUE(sources) << sources.error().message;
  EXPECT_EQ(sources->dataset_a, "ncc_long_an_cu");
  EXPECT_EQ(sources->dataset_b, "ncc_tay_ninh_cu");
  EXPECT_EQ(sources->records_a, kDemoTestPeople);
  EXPECT_EQ(sources->records_b, kDemoTestPeople * 4 / 5);
  EXPECT_EQ(sources->shared, sources->records_b / 3);
  EXPECT_EQ(*datasets().RowCount("ncc_long_an_cu"), sources->records_a);
  EXPECT_EQ(*datasets().RowCount("ncc_tay_ninh_cu"), sources->records_b);

  // Different columns, as each province kept them; the date of birth text in A, a date in B.
  auto a = ingest::LoadDataset(datasets(), "ncc_long_an_cu");
  auto b = ingest::LoadDataset(datasets(), "ncc_tay_ninh_cu");
  ASSERT_TRUE(a && b);
  EXPECT_EQ(FieldNames(*a),
            (std::vector<std::string>{"ma_ho_so", "ho_ten", "ngay_sinh", "so_cccd", "dien_thoai",
                                      "ma_xa_cu", "dia_chi", "loai_doi_tuong", "ngay_cap_nhat"}));
  EXPECT_EQ(FieldNames(*b), (std::vector<std::string>{"so_ho_so", "ho", "ten_dem", "ten",
                                                      "ngay_sinh", "so_dinh_danh", "sdt", "ma_xa",
                                                      "dia_chi", "doi_tuong", "ngay_cap_nhat"}));
  EXPECT_EQ(a->schema.Find("ngay_sinh")->type, ingest::FieldType::kString);
  EXPECT_EQ(b->schema.Find("ngay_sinh")->type, ingest::FieldType::kDate);
  EXPECT_EQ(a->row.owner_unit, "80.SNV");

  const auto rows_a = Records(datasets(), "ncc_long_an_cu");
  const auto rows_b = Records(datasets(), "ncc_tay_ninh_cu");
  ASSERT_EQ(static_cast<int64_t>(rows_a.size()), kDemoTestPeople);
  ASSERT_EQ(rows_a.begin()->first, "LA-000001");

  // Old Long An's rows mostly carry pre-July 2025 commune codes, kept as written; the
  // crosswalk takes each to a commune of today's province. Counted here: the old codes that name
  // no commune of today (many new communes kept the code of one of the communes they merged).
  const Date after{2025, 8, 1};
  int64_t old_codes = 0;
  int64_t nine_digit = 0;
  for (const auto& [id, row] : rows_a) {
    const std::string& commune = row[5];
    if (registry().Find(commune, after) == nullptr) {
      const auto to = registry().Resolve(commune);
      ASSERT_FALSE(to.empty()) << id << ": " << commune;
      EXPECT_EQ(to.front().new_unit->parent->code, "80");
      ++old_codes;
    }
    if (row[3].size() == 9) ++nine_digit;
    EXPECT_EQ(row[1], text::Nfc(row[1]));
  }
  EXPECT_GT(old_codes, kDemoTestPeople / 3);
  EXPECT_LT(old_codes, kDemoTestPeople);
  EXPECT_GT(nine_digit, 0);

  // The truth: one pair per shared person, each id once, each naming records that exist and
  // that mostly agree on the date of birth or the family name.
  const auto truth = DemoTruth(kDemoTestPeople, kDemoTestSeed);
  ASSERT_EQ(static_cast<int64_t>(truth.size()), sources->shared);
  std::set<std::string> seen_a;
  std::set<std::string> seen_b;
  int64_t agree = 0;
  int64_t written_otherwise = 0;
  for (const auto& [id_a, id_b] : truth) {
    EXPECT_TRUE(seen_a.insert(id_a).second) << id_a;
    EXPECT_TRUE(seen_b.insert(id_b).second) << id_b;
    auto ra = rows_a.find(id_a);
    auto rb = rows_b.find(id_b);
    ASSERT_NE(ra, rows_a.end()) << id_a;
    ASSERT_NE(rb, rows_b.end()) << id_b;
    const std::string family_a = text::Fold(ra->second[1].substr(0, ra->second[1].find(' ')));
    const bool same_family = family_a == text::Fold(rb->second[1]);
    const bool same_id = !ra->second[3].empty() && ra->second[3] == rb->second[5];
    if (same_family || same_id) ++agree;
    const std::string name_b = rb->second[1] + " " + rb->second[2] + " " + rb->second[3];
    if (name_b != ra->second[1]) ++written_otherwise;
  }
  EXPECT_GT(agree, sources->shared * 9 / 10);
  EXPECT_GT(written_otherwise, sources->shared / 4);
  // Relatives share family names and communes: a family name alone does not tell who is who.
  std::map<std::string, int64_t> families;
  for (const auto& [id, row] : rows_a) ++families[text::Fold(row[1].substr(0, row[1].find(' ')))];
  EXPECT_GT(families["nguyen"], kDemoTestPeople / 4);
}

TEST_F(LinkDemoTest, TheSameSeedGivesTheSameRows) {
  auto first = GenerateDemoSources(datasets(), registry(), kDemoTestAt, kDemoTestPeople);
  ASSERT_TRUE(first) << first.error().message;
  auto again = GenerateDemoSources(datasets(), registry(), kDemoTestAt, kDemoTestPeople);
  EXPECT_FALSE(again);  // the datasets exist

  auto other = OpenCopy("LinkDemoSecond");
  ASSERT_TRUE(other);
  auto second = GenerateDemoSources(other->datasets(), registry(), kDemoTestAt, kDemoTestPeople);
  ASSERT_TRUE(second) << second.error().message;
  for (const char* code : {"ncc_long_an_cu", "ncc_tay_ninh_cu"}) {
    const auto mine = Records(datasets(), code);
    const auto theirs = Records(other->datasets(), code);
    ASSERT_EQ(mine.size(), theirs.size()) << code;
    EXPECT_TRUE(mine == theirs) << code;
  }
  other.reset();
  RemoveCopy("LinkDemoSecond");

  EXPECT_EQ(DemoTruth(kDemoTestPeople, kDemoTestSeed), DemoTruth(kDemoTestPeople, kDemoTestSeed));
  EXPECT_NE(DemoTruth(kDemoTestPeople, kDemoTestSeed), DemoTruth(kDemoTestPeople, 7));
}

}  // namespace
}  // namespace pdh::link
