// Open data as others read it: the DCAT-AP catalogue (Turtle and JSON-LD) and CKAN's Action API
// (packages, package_search, datastore_search).
#include <gtest/gtest.h>

#include <unistd.h>
#include <boost/json.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "share/share.h"

namespace pdh::share::open_test_detail {

namespace json = boost::json;

Site TayNinh() {
  Site s;
  s.base_url = "https://data.tayninh.gov.vn";
  s.title = "Cổng dữ liệu mở tỉnh Tây Ninh";
  s.title_en = "Tay Ninh open data portal";
  s.description = "Dữ liệu mở của tỉnh Tây Ninh";
  s.description_en = "Open data of Tay Ninh province";
  s.publisher = "Ủy ban nhân dân tỉnh Tây Ninh";
  s.publisher_code = "72";
  return s;
}

OpenDataset Records() {
  OpenDataset d;
  d.id = "ho-so-hanh-chinh";
  d.kind = OpenKind::kRecords;
  d.source = "dossiers";
  d.title = "Hồ sơ thủ tục \"một cửa\"";
  d.title_en = "One-stop dossiers";
  d.description = "Hồ sơ tiếp nhận\ntại bộ phận một cửa; đường dẫn C:\\hs";
  d.description_en = "Dossiers received";
  d.keywords = {"hồ sơ", "hành chính"};
  d.licence = "CC-BY-4.0";
  d.organization = "72.01";
  d.organization_name = "Sở Nội vụ";
  d.issued = "2025-03-01T02:00:00Z";
  d.modified = "2025-10-31T08:00:00Z";
  return d;
}

OpenDataset Births() {
  OpenDataset d;
  d.id = "khai-sinh-theo-thang";
  d.kind = OpenKind::kAggregate;
  d.source = "births";
  d.title = "Số ca đăng ký khai sinh theo tháng";
  d.description = "Đếm theo xã và tháng";
  d.keywords = {"khai sinh"};
  d.licence = "CC0-1.0";
  d.issued = "2024-12-15T00:00:00Z";
  d.modified = "2025-06-30T10:30:00Z";
  return d;
}

CatalogPage SamplePage() {
  CatalogPage page;
  page.datasets = {Records(), Births()};
  page.this_page = "https://data.tayninh.gov.vn/catalog.ttl?page=1";
  page.next_page = "https://data.tayninh.gov.vn/catalog.ttl?page=2";
  page.total = 3;
  return page;
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The Turtle block about `subject`: from its line to the next " .\n".
std::string Block(const std::string& turtle, const std::string& subject) {
  const auto at = turtle.find("\n" + subject + "\n");
  if (at == std::string::npos) return "";
  const auto end = turtle.find(" .\n", at);
  return turtle.substr(at, end - at);
}

TEST(OpenDcat, TurtleStringsAreEscaped) {
  const auto ttl = DatasetTurtle(TayNinh(), Records());
  EXPECT_TRUE(Contains(ttl, R"("Hồ sơ thủ tục \"một cửa\""@vi)")) << ttl;
  EXPECT_TRUE(Contains(ttl, R"("Hồ sơ tiếp nhận\ntại bộ phận một cửa; đường dẫn C:\\hs"@vi)"));
  EXPECT_TRUE(Contains(ttl, R"("One-stop dossiers"@en)"));
  // No raw line end inside a literal: every line is a prefix, a subject or a statement.
  EXPECT_FALSE(Contains(ttl, "\ntại"));
}

TEST(OpenDcat, EveryDatasetHasWhatTheProfileAsks) {
  const auto site = TayNinh();
  const auto ttl = CatalogTurtle(site, SamplePage());
  const auto catalog = Block(ttl, "<https://data.tayninh.gov.vn/catalog>");
  ASSERT_FALSE(catalog.empty()) << ttl;
  for (const char* p : {"a dcat:Catalog", "dct:title", "dct:description",
                        "dct:publisher <https://data.tayninh.gov.vn/organization/72>",
                        "dcat:dataset <https://data.tayninh.gov.vn/dataset/ho-so-hanh-chinh>",
                        "dcat:dataset <https://data.tayninh.gov.vn/dataset/khai-sinh-theo-thang>",
                        "dcat:service"}) {
    EXPECT_TRUE(Contains(catalog, p)) << p << "\n" << catalog;
  }
  for (const auto& d : SamplePage().datasets) {
    const std::string iri = "https://data.tayninh.gov.vn/dataset/" + d.id;
    const auto block = Block(ttl, "<" + iri + ">");
    ASSERT_FALSE(block.empty()) << d.id;
    for (const std::string& p : std::vector<std::string>{
             "a dcat:Dataset", "dct:title", "dct:description", "dct:identifier \"" + d.id + "\"",
             "dct:issued \"" + d.issued + "\"^^xsd:dateTime",
             "dct:modified \"" + d.modified + "\"^^xsd:dateTime", "dcat:keyword",
             "dct:language <http://publications.europa.eu/resource/authority/language/VIE>",
             "dcat:landingPage <https://data.tayninh.gov.vn/open/" + d.id + ">",
             "dct:publisher <https://data.tayninh.gov.vn/organization/", "dcat:contactPoint",
             "dcat:distribution <" + iri + "#csv>", "dcat:distribution <" + iri + "#xlsx>",
             "dcat:distribution <" + iri + "#json>",
             "dcat:distribution <" + iri + "#datapackage>"}) {
      EXPECT_TRUE(Contains(block, p)) << p << "\n" << block;
    }
    const auto csv = Block(ttl, "<" + iri + "#csv>");
    const auto licence = FindLicence(d.licence);
    ASSERT_NE(licence, nullptr);
    for (const std::string& p : std::vector<std::string>{
             "a dcat:Distribution",
             "dcat:accessURL <https://data.tayninh.gov.vn/open/" + d.id + ">",
             "dcat:downloadURL <https://data.tayninh.gov.vn/api/v1/open/datasets/" + d.id +
                 "/data.csv>",
             "dcat:mediaType <https://www.iana.org/assignments/media-types/text/csv>",
             "dct:format <http://publications.europa.eu/resource/authority/file-type/CSV>",
             "dct:license <" + licence->url + ">"}) {
      EXPECT_TRUE(Contains(csv, p)) << p << "\n" << csv;
    }
    EXPECT_TRUE(Contains(Block(ttl, "<" + licence->url + ">"), "a dct:LicenseDocument"));
  }
  // English only where there is English.
  const auto births = Block(ttl, "<https://data.tayninh.gov.vn/dataset/khai-sinh-theo-thang>");
  EXPECT_FALSE(Contains(births, "@en")) << births;
  // The publishers are agents with names.
  EXPECT_TRUE(Contains(Block(ttl, "<https://data.tayninh.gov.vn/organization/72.01>"),
                       "foaf:name \"Sở Nội vụ\"@vi"));
  EXPECT_TRUE(
      Contains(Block(ttl, "<https://data.tayninh.gov.vn/organization/72>"), "a foaf:Agent"));
}

TEST(OpenDcat, APagedCatalogueSaysWhereTheNextPageIs) {
  auto page = SamplePage();
  auto ttl = CatalogTurtle(TayNinh(), page);
  EXPECT_TRUE(Contains(ttl, "hydra:view <https://data.tayninh.gov.vn/catalog.ttl?page=1>"));
  const auto view = Block(ttl, "<https://data.tayninh.gov.vn/catalog.ttl?page=1>");
  EXPECT_TRUE(Contains(view, "a hydra:PartialCollectionView")) << ttl;
  EXPECT_TRUE(Contains(view, "hydra:next <https://data.tayninh.gov.vn/catalog.ttl?page=2>"));
  EXPECT_TRUE(Contains(view, "hydra:totalItems \"3\"^^xsd:integer"));
  page.next_page.clear();
  ttl = CatalogTurtle(TayNinh(), page);
  EXPECT_FALSE(Contains(ttl, "hydra:view")) << ttl;
  EXPECT_FALSE(Contains(ttl, "a hydra:PartialCollectionView"));
}

TEST(OpenDcat, JsonLdSaysWhatTheTurtleSays) {
  const auto site = TayNinh();
  const auto page = SamplePage();
  const auto doc = CatalogJsonLd(site, page);
  // It is JSON (it goes out as text) with a context of the prefixes and a graph.
  const auto parsed = json::parse(json::serialize(doc));
  ASSERT_TRUE(parsed.is_object());
  const auto& context = parsed.at("@context").as_object();
  EXPECT_EQ(context.at("dcat"), "http://www.w3.org/ns/dcat#");
  EXPECT_EQ(context.at("dct"), "http://purl.org/dc/terms/");
  std::set<std::string> datasets;
  size_t statements = 0;
  for (const auto& node : parsed.at("@graph").as_array()) {
    const auto& o = node.as_object();
    if (const auto* types = o.if_contains("@type")) {
      statements += types->as_array().size();
      for (const auto& t : types->as_array()) {
        if (t == "dcat:Dataset") datasets.insert(std::string(o.at("@id").as_string()));
      }
    }
    for (const auto& [key, values] : o) {
      if (key != "@id" && key != "@type") statements += values.as_array().size();
    }
    if (o.at("@id") == "https://data.tayninh.gov.vn/dataset/ho-so-hanh-chinh") {
      bool found = false;
      for (const auto& t : o.at("dct:title").as_array()) {
        found =
            found || (t.at("@value") == "Hồ sơ thủ tục \"một cửa\"" && t.at("@language") == "vi");
      }
      EXPECT_TRUE(found);
      EXPECT_EQ(o.at("dct:issued").at(0).at("@type"), "xsd:dateTime");
    }
  }
  EXPECT_EQ(datasets,
            (std::set<std::string>{"https://data.tayninh.gov.vn/dataset/ho-so-hanh-chinh",
                                   "https://data.tayninh.gov.vn/dataset/khai-sinh-theo-thang"}));
  // As many statements as the Turtle has: one "a" list item or object per statement, counted
  // there as the lines of statements and the commas of type lists.
  const auto ttl = CatalogTurtle(site, page);
  size_t turtle_statements = 0;
  size_t from = 0;
  while ((from = ttl.find("\n    ", from)) != std::string::npos) {
    from += 5;
    const auto end = ttl.find('\n', from);
    const auto line = ttl.substr(from, end - from);
    ++turtle_statements;
    if (line.rfind("a ", 0) == 0) {
      for (const char c : line) turtle_statements += c == ',' ? 1 : 0;
    }
  }
  // Subjects typed on the subject line have their types on the first indented line.
  EXPECT_EQ(statements, turtle_statements);
}

// With PDH_DCAT_VALIDATOR set to web/scripts/validate-dcat.mjs, the sample catalogue and one
// dataset are checked against the DCAT-AP 3.0.1 SHACL shapes.
TEST(OpenDcat, TheSampleHoldsAgainstTheShapes) {
  const char* validator = std::getenv("PDH_DCAT_VALIDATOR");
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("pdh-dcat-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const auto catalog = dir / "catalog.ttl";
  const auto dataset = dir / "dataset.ttl";
  std::ofstream(catalog) << CatalogTurtle(TayNinh(), SamplePage());
  std::ofstream(dataset) << DatasetTurtle(TayNinh(), Records());
  if (validator == nullptr) {
    fs::remove_all(dir);
    GTEST_SKIP() << "PDH_DCAT_VALIDATOR is not set";
  }
  for (const auto& file : {catalog, dataset}) {
    const std::string command = "node '" + std::string(validator) + "' '" + file.string() + "'";
    EXPECT_EQ(std::system(command.c_str()), 0) << command;
  }
  fs::remove_all(dir);
}

}  // namespace pdh::share::open_test_detail
