// Units: the official lists imported as published, and the checks that must hold on them.
#include "units/units.h"
#include "store/store.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <numeric>

namespace pdh::units {
namespace {

namespace fs = std::filesystem;

const Date kAfter{2025, 7, 1};
const Date kBefore{2025, 6, 30};

ImportSources OfficialSources() {
  return {std::string(PDH_SOURCE_DIR) + "/data/vn-admin",
          std::string(PDH_SOURCE_DIR) + "/data/agencies/80.csv", "80"};
}

fs::path TempDir(const std::string& name) {
  auto d = fs::temp_directory_path() / ("pdh-units-" + std::to_string(::getpid()) + "-" + name);
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

// One import shared by the read-only tests (it reads ~25,000 rows).
class OfficialUnits : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fs::path(TempDir("official"));
    auto s = store::Store::Open((*dir_ / "units.db").string());
    ASSERT_TRUE(s) << s.error().message;
    store_ = s->release();
    auto r = Import(*store_, *store_, OfficialSources());
    ASSERT_TRUE(r) << r.error().message;
    report_ = new ImportReport(*r);
    auto reg = Registry::Load(*store_);
    ASSERT_TRUE(reg) << reg.error().message;
    registry_ = new std::shared_ptr<const Registry>(*reg);
  }
  static void TearDownTestSuite() {
    delete registry_;
    delete report_;
    delete store_;
    fs::remove_all(*dir_);
    delete dir_;
  }
  const Registry& reg() const { return **registry_; }

  static fs::path* dir_;
  static store::Store* store_;
  static ImportReport* report_;
  static std::shared_ptr<const Registry>* registry_;
};
fs::path* OfficialUnits::dir_ = nullptr;
store::Store* OfficialUnits::store_ = nullptr;
ImportReport* OfficialUnits::report_ = nullptr;
std::shared_ptr<const Registry>* OfficialUnits::registry_ = nullptr;

TEST_F(OfficialUnits, ThirtyFourProvincesAnd3321Communes) {
  EXPECT_EQ(report_->provinces, 34u);
  EXPECT_EQ(report_->communes, 3321u);
  EXPECT_EQ(reg().Provinces(kAfter).size(), 34u);
  size_t communes = 0;
  for (const Unit* p : reg().Provinces(kAfter)) {
    for (const Unit* c : reg().Children(*p, kAfter)) communes += c->level == Level::kCommune;
  }
  EXPECT_EQ(communes, 3321u);
}

TEST_F(OfficialUnits, TayNinhHas96CommunesSummingToCensusPopulation) {
  const Unit* tn = reg().Find("80", kAfter);
  ASSERT_NE(tn, nullptr);
  EXPECT_EQ(tn->name, "Tỉnh Tây Ninh");
  EXPECT_EQ(tn->type, "Tỉnh");
  ASSERT_TRUE(tn->population);
  EXPECT_EQ(*tn->population, 3254170);  // provinces-2025-census.csv: "3.254.170"
  ASSERT_TRUE(tn->area_km2);
  EXPECT_NEAR(*tn->area_km2, 8536.44, 1e-9);  // "8.536,44"

  int wards = 0, communes = 0, estimated = 0;
  int64_t population = 0;
  for (const Unit* c : reg().Children(*tn, kAfter)) {
    if (c->level != Level::kCommune) continue;
    wards += c->type == "Phường";
    communes += c->type == "Xã";
    ASSERT_TRUE(c->population) << c->name;
    population += *c->population;
    estimated += c->population_estimated;
  }
  EXPECT_EQ(wards, 14);
  EXPECT_EQ(communes, 82);
  EXPECT_EQ(population, 3254170);
  // The census has no figure ("đang cập nhật") for four of them: Mộc Hóa, Hiệp Hòa, Hòa Khánh,
  // Vàm Cỏ; their share of the province total is estimated and flagged.
  EXPECT_EQ(estimated, 4);
  const Unit* tan_ninh = reg().Find("25459", kAfter);
  ASSERT_NE(tan_ninh, nullptr);
  EXPECT_FALSE(tan_ninh->population_estimated);
}

TEST_F(OfficialUnits, TayNinhCrosswalkResolves) {
  const Unit* tn = reg().Find("80", kAfter);
  ASSERT_NE(tn, nullptr);
  int rows = 0, whole = 0, partial = 0;
  for (const Unit* c : reg().Children(*tn, kAfter)) {
    for (const Succession& s : reg().Predecessors(*c)) {
      ++rows;
      (s.kind == MergeKind::kWhole ? whole : partial)++;
      // Each old code resolves, and one of its targets is this commune.
      auto targets = reg().Resolve(s.old_unit->code);
      EXPECT_TRUE(std::any_of(targets.begin(), targets.end(), [&](const Succession& t) {
        return t.new_unit == c;
      })) << s.old_unit->code;
    }
  }
  EXPECT_EQ(rows, 302);
  EXPECT_EQ(whole, 259);
  EXPECT_EQ(partial, 43);
}

TEST_F(OfficialUnits, OldPhuong1ResolvesToPhuongTanNinh) {
  auto targets = reg().Resolve("25456");
  ASSERT_EQ(targets.size(), 1u);
  EXPECT_EQ(targets[0].new_unit->code, "25459");
  EXPECT_EQ(targets[0].new_unit->name, "Phường Tân Ninh");
  EXPECT_EQ(targets[0].kind, MergeKind::kWhole);
  EXPECT_EQ(targets[0].old_unit->name, "Phường 1");
  // The old commune sat in Thành phố Tây Ninh (703), in the old Tây Ninh province (72).
  auto chain = reg().Ancestors(*targets[0].old_unit);
  ASSERT_EQ(chain.size(), 2u);
  EXPECT_EQ(chain[0]->code, "703");
  EXPECT_EQ(chain[0]->type, "Thành phố");
  EXPECT_EQ(chain[1]->code, "72");
}

TEST_F(OfficialUnits, CodesMeanDifferentUnitsBeforeAndAfterTheReform) {
  const Unit* before = reg().Find("80", kBefore);
  const Unit* after = reg().Find("80", kAfter);
  ASSERT_NE(before, nullptr);
  ASSERT_NE(after, nullptr);
  EXPECT_EQ(before->name, "Tỉnh Long An");
  EXPECT_EQ(after->name, "Tỉnh Tây Ninh");
  EXPECT_EQ(reg().Provinces(kBefore).size(), 63u);
  EXPECT_EQ(reg().FindAllEras("80").size(), 2u);
  // The new Tây Ninh did not exist before the reform; the old one has districts then.
  const Unit* old_tn = reg().Find("72", kBefore);
  ASSERT_NE(old_tn, nullptr);
  EXPECT_EQ(reg().Find("72", kAfter), nullptr);
  auto districts = reg().Children(*old_tn, kBefore);
  ASSERT_FALSE(districts.empty());
  EXPECT_EQ(districts[0]->level, Level::kDistrict);
  EXPECT_GT(reg().Descendants(*old_tn, kBefore).size(), districts.size());
}

TEST_F(OfficialUnits, PaddedCodesAndSearchWithoutDiacritics) {
  const Unit* hn = reg().Find("1", kAfter);
  ASSERT_NE(hn, nullptr);
  EXPECT_EQ(hn->code, "01");
  auto found = reg().Search("phuong tan ninh", kAfter);
  ASSERT_FALSE(found.empty());
  EXPECT_TRUE(
      std::any_of(found.begin(), found.end(), [](const Unit* u) { return u->code == "25459"; }));
}

TEST_F(OfficialUnits, AgenciesSitUnderTheHomeProvince) {
  const Unit* tn = reg().Find("80", kAfter);
  ASSERT_NE(tn, nullptr);
  const Unit* dost = reg().Find("80.SKHCN", kAfter);
  ASSERT_NE(dost, nullptr);
  EXPECT_EQ(dost->level, Level::kAgency);
  EXPECT_EQ(dost->parent, tn);
  EXPECT_EQ(report_->agencies, 18u);
  EXPECT_EQ(**store_->GetSetting("home_province"), "80");
}

TEST_F(OfficialUnits, ImportWarnsAboutRowsItCannotUse) {
  // The crosswalk has old entries without a code (e.g. a coastal area) that are reported, not
  // silently dropped.
  EXPECT_FALSE(report_->warnings.empty());
}

TEST(UnitsImport, ReimportIsIdempotent) {
  auto dir = TempDir("reimport");
  auto s = store::Store::Open((dir / "u.db").string());
  ASSERT_TRUE(s);
  auto first = Import(**s, **s, OfficialSources());
  ASSERT_TRUE(first);
  auto n1 = (*s)->LoadUnits()->size();
  ASSERT_TRUE(Import(**s, **s, OfficialSources()));
  EXPECT_EQ((*s)->LoadUnits()->size(), n1);
  fs::remove_all(dir);
}

TEST(UnitsImport, MissingSourceIsAClearError) {
  auto dir = TempDir("missing");
  auto s = store::Store::Open((dir / "u.db").string());
  ASSERT_TRUE(s);
  auto r = Import(**s, **s, {(dir / "nowhere").string(), "", "80"});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "units.source_missing");
  fs::remove_all(dir);
}

TEST(UnitsImport, MalformedFileNamesFileAndLineAndWritesNothing) {
  auto dir = TempDir("malformed");
  auto src = dir / "src";
  fs::create_directories(src);
  for (const auto& e : fs::directory_iterator(std::string(PDH_SOURCE_DIR) + "/data/vn-admin")) {
    fs::copy_file(e.path(), src / e.path().filename());
  }
  {
    std::ofstream out(src / "crosswalk-2025.csv", std::ios::app);
    out << "Tỉnh Tây Ninh (80),\"Phường Tân Ninh,25459\n";  // quote never closed
  }
  auto s = store::Store::Open((dir / "u.db").string());
  ASSERT_TRUE(s);
  auto r = Import(**s, **s, {src.string(), "", "80"});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "units.bad_source");
  EXPECT_NE(r.error().message.find("crosswalk-2025.csv:"), std::string::npos) << r.error().message;
  EXPECT_TRUE((*s)->LoadUnits()->empty());
  fs::remove_all(dir);
}

TEST(UnitsImport, UnknownHomeProvinceIsRefused) {
  auto dir = TempDir("home");
  auto s = store::Store::Open((dir / "u.db").string());
  ASSERT_TRUE(s);
  auto r = Import(**s, **s, {std::string(PDH_SOURCE_DIR) + "/data/vn-admin", "", "72"});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "units.unknown_province");
  fs::remove_all(dir);
}

}  // namespace
}  // namespace pdh::units
