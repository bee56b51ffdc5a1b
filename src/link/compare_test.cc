// Each comparison level, as data: a kind, two values, the level expected.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "link/link.h"
#include "store/units.h"
#include "units/units.h"

namespace pdh::link {
namespace {

struct LevelCase {
  Kind kind;
  const char* a;
  const char* b;
  Level expected;
};

const LevelCase kLevelCases[] = {
    // Names.
    {Kind::kName, "Nguyễn", "Nguyễn", Level::kExact},
    {Kind::kName, "  Nguyễn ", "Nguyễn", Level::kExact},
    {Kind::kName, "Nguye\xcc\x82\xcc\x83n", "Nguyễn", Level::kExact},  // NFD input
    {Kind::kName, "Hoà", "Hòa", Level::kTone},
    {Kind::kName, "Thuỷ", "thủy", Level::kTone},
    {Kind::kName, "NGUYỄN", "nguyễn", Level::kTone},
    {Kind::kName, "Nguyen", "Nguyễn", Level::kFolded},
    {Kind::kName, "Đặng", "Dang", Level::kFolded},
    {Kind::kName, "Nguyễn", "Nguyên", Level::kFolded},
    {Kind::kName, "jonathan", "jonathon", Level::kEdit1},
    {Kind::kName, "Lê", "Lý", Level::kEdit1},
    {Kind::kName, "martha", "marhta", Level::kJw92},
    {Kind::kName, "thanh", "thanhtam", Level::kJw92},
    {Kind::kName, "dwayne", "duane", Level::kEdit2},
    {Kind::kName, "katherine", "kathryn", Level::kJw88},
    {Kind::kName, "dixon", "dicksonx", Level::kOther},
    {Kind::kName, "", "An", Level::kMissing},
    {Kind::kName, "An", "   ", Level::kMissing},
    // Full names.
    {Kind::kFullName, "Nguyễn Văn An", "Nguyễn Văn An", Level::kExact},
    {Kind::kFullName, "Nguyễn Thị Thuỷ", "Nguyễn Thị Thủy", Level::kTone},
    {Kind::kFullName, "Nguyen Thi Thuy", "Nguyễn Thị Thủy", Level::kFolded},
    {Kind::kFullName, "An Nguyễn Văn", "Nguyễn Văn An", Level::kSwapped},
    {Kind::kFullName, "Nguyễn Văn An", "Nguyễn An", Level::kMiddleMissing},
    {Kind::kFullName, "Trần Thị Minh Thư", "Trần Minh Thư", Level::kMiddleMissing},
    {Kind::kFullName, "Nguyễn Văn An", "Nguyễn Văn Anh", Level::kEdit1},
    // Relatives: the family and middle names alike, the given name another.
    {Kind::kFullName, "Nguyễn Kim Dung", "Nguyễn Kim Quyên", Level::kOther},
    {Kind::kFullName, "Trần Thị Hoa", "Trần Thị Hòa Bình", Level::kOther},
    {Kind::kFullName, "Nguyễn Văn An", "Trần Thị Bích", Level::kOther},
    {Kind::kFullName, "Nguyễn Văn An", "", Level::kMissing},
    // Dates of birth.
    {Kind::kDate, "1990-05-12", "12/05/1990", Level::kExact},
    {Kind::kDate, "19900512", "1990-05-12", Level::kExact},
    {Kind::kDate, "1990-05-12", "1990-12-05", Level::kDayMonthSwapped},
    {Kind::kDate, "1990-05-12", "1990-05-13", Level::kEdit1},
    {Kind::kDate, "1990-05-12", "1909-05-12", Level::kEdit1},  // two digits transposed
    {Kind::kDate, "1990-05-12", "1985-05-12", Level::kOther},
    {Kind::kDate, "1990-05-31", "1990-06-02", Level::kWithinDays},
    {Kind::kDate, "1990-01-15", "1990-08-20", Level::kSameYear},
    {Kind::kDate, "1990-01-15", "1985-08-24", Level::kOther},
    {Kind::kDate, "", "1990-01-01", Level::kMissing},
    {Kind::kDate, "not a date", "1990-01-01", Level::kMissing},
    // Identity numbers: 12-digit citizen ID, 9-digit old ID.
    {Kind::kId, "079190001234", "079190001234", Level::kExact},
    {Kind::kId, "079 190 001 234", "079190001234", Level::kExact},
    {Kind::kId, "123456789", "123456789", Level::kExact},
    {Kind::kId, "079190001234", "123456789", Level::kNeutral},
    {Kind::kId, "079190001234", "079190001243", Level::kEdit1},
    {Kind::kId, "079190001234", "079190001284", Level::kEdit1},
    {Kind::kId, "079190001234", "079190005678", Level::kOther},
    {Kind::kId, "123456789", "987654321", Level::kOther},
    {Kind::kId, "-", "123456789", Level::kMissing},
    // Phones.
    {Kind::kPhone, "0912 345 678", "+84 912.345.678", Level::kExact},
    {Kind::kPhone, "84912345678", "0912345678", Level::kExact},
    {Kind::kPhone, "912345678", "0912345678", Level::kExact},
    {Kind::kPhone, "0912345678", "02912345678", Level::kLast9},
    {Kind::kPhone, "0912345678", "0987654321", Level::kOther},
    {Kind::kPhone, "", "0987654321", Level::kMissing},
    // Commune codes without a registry.
    {Kind::kCommune, "27901", "27901", Level::kExact},
    {Kind::kCommune, "4", "00004", Level::kExact},
    {Kind::kCommune, "27901", "27902", Level::kOther},
    {Kind::kCommune, "", "27902", Level::kMissing},
    // Codes.
    {Kind::kCode, "4011", "4011", Level::kExact},
    {Kind::kCode, "4011", "4012", Level::kEdit1},
    {Kind::kCode, "4011", "5922", Level::kOther},
    // Texts.
    {Kind::kText, "Ấp Bình Tả 2", "ap binh ta 2", Level::kFolded},
};

TEST(LinkCompareTest, EachLevelOfEachKind) {
  for (const auto& c : kLevelCases) {
    EXPECT_EQ(LevelName(Compare(c.kind, c.a, c.b)), LevelName(c.expected))
        << KindName(c.kind) << ": '" << c.a << "' vs '" << c.b << "'";
    // Comparisons are symmetric.
    EXPECT_EQ(LevelName(Compare(c.kind, c.b, c.a)), LevelName(c.expected))
        << KindName(c.kind) << ": '" << c.b << "' vs '" << c.a << "'";
  }
}

TEST(LinkCompareTest, NamedComparisonsAgreeWithCompare) {
  EXPECT_EQ(CompareNames("Hoà", "Hòa"), Level::kTone);
  EXPECT_EQ(CompareFullNames("Nguyễn Văn An", "Nguyễn An"), Level::kMiddleMissing);
  EXPECT_EQ(CompareDates("1990-05-01", "1990-05-20", 30), Level::kWithinDays);
  EXPECT_EQ(CompareDates("1990-05-01", "1990-05-20", 7), Level::kSameYear);
  EXPECT_EQ(CompareIds("079190001234", "123456789"), Level::kNeutral);
  EXPECT_EQ(ComparePhones("+84 912 345 678", "0912345678"), Level::kExact);
  EXPECT_EQ(CompareCodes("4011", "4011"), Level::kExact);
}

TEST(LinkCompareTest, CommunesThroughTheCrosswalk) {
  // An old commune (before 1 July 2025) merged whole into a new one, and one split in two.
  std::vector<store::UnitRow> rows = {
      {.id = 1, .code = "80", .level = "province", .type = "Tỉnh", .name = "Tây Ninh"},
      {.id = 2,
       .code = "27901",
       .level = "commune",
       .type = "Xã",
       .name = "Xã Cũ",
       .parent_id = 1,
       .valid_to = "2025-07-01"},
      {.id = 3,
       .code = "27950",
       .level = "commune",
       .type = "Xã",
       .name = "Xã Mới",
       .parent_id = 1,
       .valid_from = "2025-07-01"},
      {.id = 4,
       .code = "27903",
       .level = "commune",
       .type = "Xã",
       .name = "Xã Tách",
       .parent_id = 1,
       .valid_to = "2025-07-01"},
      {.id = 5,
       .code = "27960",
       .level = "commune",
       .type = "Xã",
       .name = "Xã Khác",
       .parent_id = 1,
       .valid_from = "2025-07-01"},
  };
  std::vector<store::SuccessionRow> successions = {
      {.old_id = 2, .new_id = 3, .kind = "whole"},
      {.old_id = 4, .new_id = 3, .kind = "partial"},
      {.old_id = 4, .new_id = 5, .kind = "partial"},
  };
  auto registry = units::Registry::Build(rows, successions);
  EXPECT_EQ(CompareCommunes("27901", "27950", registry.get()), Level::kCrosswalk);
  EXPECT_EQ(CompareCommunes("27950", "27901", registry.get()), Level::kCrosswalk);
  EXPECT_EQ(CompareCommunes("27901", "27950"), Level::kOther);                  // no registry
  EXPECT_EQ(CompareCommunes("27903", "27950", registry.get()), Level::kOther);  // split
  EXPECT_EQ(CompareCommunes("27901", "27960", registry.get()), Level::kOther);
  EXPECT_EQ(CompareCommunes("27901", "27901", registry.get()), Level::kExact);
}

// The textbook dynamic programme, against which the banded one is checked.
int FullLevenshtein(const std::string& a, const std::string& b) {
  std::vector<int> prev(b.size() + 1);
  std::vector<int> cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = static_cast<int>(j);
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = static_cast<int>(i);
    for (size_t j = 1; j <= b.size(); ++j) {
      cur[j] =
          std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

TEST(LinkCompareTest, BandedLevenshteinAgreesWithTheFullOne) {
  std::mt19937 rng(3);
  auto word = [&rng] {
    std::string s(rng() % 9, 'a');
    for (char& c : s) c = static_cast<char>('a' + rng() % 3);
    return s;
  };
  for (int i = 0; i < 3000; ++i) {
    const std::string a = word();
    const std::string b = word();
    for (int bound : {1, 2, 3}) {
      ASSERT_EQ(Levenshtein(a, b, bound), std::min(FullLevenshtein(a, b), bound + 1))
          << "'" << a << "' '" << b << "' within " << bound;
    }
  }
}

TEST(LinkCompareTest, BuildingBlocks) {
  EXPECT_NEAR(JaroWinkler("martha", "marhta"), 0.9611, 1e-4);
  EXPECT_NEAR(JaroWinkler("dwayne", "duane"), 0.84, 1e-4);
  EXPECT_EQ(JaroWinkler("", ""), 1);
  EXPECT_EQ(JaroWinkler("abc", ""), 0);
  EXPECT_EQ(Levenshtein("kitten", "sitting", 5), 3);
  EXPECT_EQ(Levenshtein("kitten", "sitting", 2), 3);
  EXPECT_EQ(Levenshtein("a", "abcdef", 2), 3);
  EXPECT_EQ(ToneKey("Hoà"), ToneKey("hòa"));
  EXPECT_EQ(ToneKey("Thuỷ"), ToneKey("thủy"));
  EXPECT_NE(ToneKey("hoà"), ToneKey("hoa"));
  EXPECT_NE(ToneKey("hoà"), ToneKey("hoá"));
  EXPECT_EQ(NormalizePhone("+84 (912) 345.678"), "0912345678");
  EXPECT_EQ(NormalizePhone("0084912345678"), "0912345678");
  EXPECT_EQ(NormalizePhone("n/a"), "");
  EXPECT_EQ(ParseBirthDate("19081209"), (Date{1908, 12, 9}));
  EXPECT_EQ(ParseBirthDate("09/12/1908"), (Date{1908, 12, 9}));
  EXPECT_FALSE(ParseBirthDate("19081309"));
  for (Kind k : {Kind::kName, Kind::kFullName, Kind::kDate, Kind::kId, Kind::kPhone, Kind::kCommune,
                 Kind::kCode, Kind::kText}) {
    EXPECT_EQ(ParseKind(KindName(k)), k);
  }
}

}  // namespace
}  // namespace pdh::link
