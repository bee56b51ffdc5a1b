// `pdh catalog` end to end on a demo database of its own (imports here write): the report's
// figures as of a date, exports that import back unchanged, a bad row that stops the import and
// names its row, and an entry's history.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <fstream>
#include <memory>

#include "integration/pdh_server.h"

namespace pdh::test {
namespace {

namespace json = boost::json;

class CatalogCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = std::make_unique<PdhServer>(); }
  static void TearDownTestSuite() { server_.reset(); }

  // Runs `pdh catalog ARGS` on the suite's database; the exit code, and the output in `out`.
  static int Catalog(const std::string& args, std::string* out = nullptr) {
    return server_->Pdh("catalog " + args, out);
  }
  static json::value CatalogJson(const std::string& args) {
    std::string out;
    EXPECT_EQ(Catalog(args + " --json", &out), 0) << out;
    return json::parse(out);
  }
  static std::string File(const std::string& name) { return server_->dir() + "/" + name; }
  static void Write(const std::string& name, const std::string& text) {
    std::ofstream(File(name), std::ios::binary) << text;
  }

  static inline std::unique_ptr<PdhServer> server_;
};

int64_t Total(const json::value& summary, const char* key) {
  return summary.at("total").at(key).as_int64();
}

TEST_F(CatalogCli, SummaryShowsTheReportFiguresAsOfADate) {
  const json::value s = CatalogJson("summary --as-of 2025-10-31");
  EXPECT_EQ(s.at("as_of").as_string(), "2025-10-31");
  EXPECT_EQ(Total(s, "platforms"), 35);
  EXPECT_EQ(Total(s, "databases"), 112);
  EXPECT_EQ(Total(s, "databases_in_use"), 69);
  EXPECT_EQ(Total(s, "databases_merged"), 35);
  EXPECT_EQ(Total(s, "databases_not_merged"), 34);
  EXPECT_EQ(Total(s, "databases_under_construction"), 43);
  EXPECT_EQ(Total(s, "national"), 16);
  EXPECT_EQ(Total(s, "national_connected"), 13);
  EXPECT_EQ(CatalogJson("summary --as-of 31/10/2025"), s);

  std::string text;
  ASSERT_EQ(Catalog("summary --as-of 2025-10-31", &text), 0) << text;
  EXPECT_NE(text.find("Catalog as of 2025-10-31"), std::string::npos) << text;
  EXPECT_NE(text.find("(merged 35, not merged 34)"), std::string::npos) << text;
  EXPECT_NE(text.find("(connected 13)"), std::string::npos) << text;

  const json::value earlier = CatalogJson("summary --as-of 2024-12-31");
  EXPECT_LT(Total(earlier, "platforms"), 35);
  EXPECT_LT(Total(earlier, "databases"), 112);
  EXPECT_LT(Total(earlier, "databases_in_use"), 69);
  EXPECT_LT(Total(earlier, "national_connected"), 13);

  std::string bad;
  EXPECT_EQ(Catalog("summary --as-of soon", &bad), 2);
  EXPECT_NE(bad.find("cli.invalid_date"), std::string::npos) << bad;
}

TEST_F(CatalogCli, ListsByKindAndStatus) {
  EXPECT_EQ(CatalogJson("ls --kind national").as_array().size(), 16u);
  // Entries as they stand today, as the summary without --as-of counts them.
  EXPECT_EQ(CatalogJson("ls --kind national --status connected").as_array().size(),
            static_cast<size_t>(Total(CatalogJson("summary"), "national_connected")));
  std::string out;
  EXPECT_EQ(Catalog("ls --kind nation", &out), 2);
  EXPECT_NE(out.find("cli.invalid_kind"), std::string::npos) << out;
}

TEST_F(CatalogCli, ExportsImportBackUnchanged) {
  const size_t entries = CatalogJson("ls").as_array().size();
  for (const char* name : {"catalog.csv", "catalog.xlsx"}) {
    std::string out;
    ASSERT_EQ(Catalog(std::string("export ") + File(name), &out), 0) << out;
    const json::value r = CatalogJson(std::string("import ") + File(name) + " --dry-run");
    EXPECT_EQ(r.at("rows").as_int64(), static_cast<int64_t>(entries)) << name;
    EXPECT_EQ(r.at("unchanged").as_int64(), static_cast<int64_t>(entries)) << name;
    EXPECT_EQ(r.at("created").as_int64() + r.at("updated").as_int64(), 0) << name;
    EXPECT_TRUE(r.at("errors").as_array().empty()) << name << ": " << json::serialize(r);
    EXPECT_FALSE(r.at("written").as_bool()) << name;
  }
  std::string csv;
  ASSERT_EQ(Catalog("export -", &csv), 0);
  EXPECT_TRUE(
      csv.starts_with("\xEF\xBB\xBF"
                      "kind,code,name,"))
      << csv.substr(0, 80);
  std::string out;
  EXPECT_EQ(Catalog("export " + File("catalog.ods"), &out), 2);
  EXPECT_NE(out.find("cli.invalid_format"), std::string::npos) << out;
}

TEST_F(CatalogCli, ABadRowStopsTheImportAndIsNamed) {
  Write("bad.csv",
        "kind,code,name,sector,owner,status\n"
        "database,CLI-01,Cơ sở dữ liệu thử nghiệm,Y tế,80.SYT,planned\n"
        "database,CLI-02,Cơ sở dữ liệu thử nghiệm,Y tế,80.SYT,finished\n");
  std::string out;
  EXPECT_EQ(Catalog("import " + File("bad.csv"), &out), 2);
  EXPECT_NE(out.find("row 3, column status: catalog.invalid_field"), std::string::npos) << out;
  EXPECT_NE(out.find("nothing written"), std::string::npos) << out;
  EXPECT_EQ(Catalog("show CLI-01"), 3);  // the good row was not written either

  EXPECT_EQ(Catalog("import " + File("missing.csv"), &out), 3);
  EXPECT_NE(out.find("cli.file_not_found"), std::string::npos) << out;
}

TEST_F(CatalogCli, ImportWritesVietnameseHeadersAndIsAudited) {
  Write("new.csv",
        "STT,Loại,Mã,Tên,Lĩnh vực,Đơn vị chủ quản,Trạng thái,Ngày hiệu lực\n"
        "1,CSDL chuyên ngành,CLI-VN-01,Cơ sở dữ liệu thử nghiệm,Y tế,80.SYT,Kế hoạch,"
        "01/09/2025\n");
  std::string out;
  ASSERT_EQ(Catalog("import " + File("new.csv"), &out), 0) << out;
  EXPECT_NE(out.find("1 created"), std::string::npos) << out;
  EXPECT_NE(out.find("; written"), std::string::npos) << out;
  const json::value e = CatalogJson("show CLI-VN-01");
  EXPECT_EQ(e.at("status").as_string(), "planned");
  EXPECT_EQ(e.at("effective").as_string(), "2025-09-01");

  ASSERT_EQ(server_->Pdh("audit export", &out), 0);
  EXPECT_NE(out.find("\"action\":\"catalog.import\""), std::string::npos);
}

TEST_F(CatalogCli, ShowPrintsTheHistory) {
  std::string out;
  ASSERT_EQ(Catalog("show CSDL-SYT-01", &out), 0) << out;
  EXPECT_NE(out.find("History:"), std::string::npos) << out;
  EXPECT_NE(out.find("  v1  effective "), std::string::npos) << out;
  EXPECT_NE(out.find("  v2  effective "), std::string::npos) << out;
  EXPECT_NE(out.find("status: under_construction -> in_use"), std::string::npos) << out;

  const json::value record = CatalogJson("show CSDL-SYT-01");
  const auto& history = record.at("history").as_array();
  ASSERT_GE(history.size(), 2u);
  EXPECT_EQ(history.back().at("version"), record.at("version"));

  EXPECT_EQ(Catalog("show NO-SUCH-ENTRY", &out), 3);
  EXPECT_NE(out.find("catalog.not_found"), std::string::npos) << out;
}

}  // namespace
}  // namespace pdh::test
