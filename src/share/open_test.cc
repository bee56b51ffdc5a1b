// Open data as others read it: the DCAT-AP catalogue (Turtle and JSON-LD) and CKAN's Action API
// (packages, package_search, datastore_search).
#include <gtest/gtest.h>

#include <unistd.h>
#include <boost/json.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

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
  // The language is named in both languages.
  EXPECT_NE(ttl.find("\"Vietnamese\"@en"), std::string::npos);
  EXPECT_NE(ttl.find("\"Tiếng Việt\"@vi"), std::string::npos);
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

// The sample catalogue and one dataset checked against the DCAT-AP 3.0.1 SHACL shapes by
// web/scripts/validate-dcat.mjs (PDH_DCAT_VALIDATOR, else the one in PDH_SOURCE_DIR, which the
// test run sets).
TEST(OpenDcat, TheSampleHoldsAgainstTheShapes) {
  const char* source = std::getenv("PDH_SOURCE_DIR");
  const std::string in_source =
      source != nullptr ? std::string(source) + "/web/scripts/validate-dcat.mjs" : "";
  const char* validator = std::getenv("PDH_DCAT_VALIDATOR");
  if (validator == nullptr && !in_source.empty()) validator = in_source.c_str();
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("pdh-dcat-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const auto catalog = dir / "catalog.ttl";
  const auto dataset = dir / "dataset.ttl";
  std::ofstream(catalog) << CatalogTurtle(TayNinh(), SamplePage());
  std::ofstream(dataset) << DatasetTurtle(TayNinh(), Records());
  if (validator == nullptr) {
    fs::remove_all(dir);
    GTEST_SKIP() << "neither PDH_DCAT_VALIDATOR nor PDH_SOURCE_DIR is set";
  }
  for (const auto& file : {catalog, dataset}) {
    const std::string command = "node '" + std::string(validator) + "' '" + file.string() + "'";
    EXPECT_EQ(std::system(command.c_str()), 0) << command;
  }
  fs::remove_all(dir);
}

// --- CKAN ---------------------------------------------------------------------------------------

std::vector<OpenColumn> TableColumns() {
  return {{"commune", "Xã", "Commune", "string"},
          {"received", "Số hồ sơ", "Dossiers", "integer"},
          {"rate", "Tỉ lệ", "Rate", "number"},
          {"online", "Trực tuyến", "Online", "boolean"},
          {"day", "Ngày", "Day", "date"}};
}

OpenTable Table() {
  OpenTable t;
  t.columns = TableColumns();
  t.rows = {{"Phường Tân Ninh", "12", "0.5", "true", "2025-01-02"},
            {"Xã Bàu Đồn", "3", "1.25", "false", "2025-01-03"},
            {"Phường Hòa Thành", "", "", "", ""},
            {"Xã Hòa Hội", "40", "0.75", "true", "2025-01-01"}};
  return t;
}

std::vector<OpenDataset> Catalogue() {
  auto a = Records();
  auto b = Births();
  auto c = Births();
  c.id = "dan-so";
  c.title = "Dân số theo xã";
  c.description = "Số dân";
  c.keywords = {"dân số"};
  c.licence = "ODbL-1.0";
  c.organization = "72.02";
  c.organization_name = "Cục Thống kê";
  c.issued = "2023-01-01T00:00:00Z";
  c.modified = "2024-05-01T00:00:00Z";
  return {a, b, c};
}

std::vector<std::string> Names(const json::object& search) {
  std::vector<std::string> out;
  for (const auto& p : search.at("results").as_array()) {
    out.emplace_back(p.at("name").as_string());
  }
  return out;
}

json::object Search(const std::map<std::string, std::string>& params) {
  auto s = ParsePackageSearch(params);
  EXPECT_TRUE(s) << s.error().message;
  if (!s) return {};
  return SearchPackages(TayNinh(), *s, Catalogue(),
                        [](const OpenDataset&) { return TableColumns(); });
}

TEST(OpenCkan, APackageHasCkansShape) {
  const auto p = CkanPackage(TayNinh(), Records(), TableColumns());
  for (const char* key : {"id",
                          "name",
                          "title",
                          "notes",
                          "url",
                          "license_id",
                          "license_title",
                          "license_url",
                          "isopen",
                          "private",
                          "state",
                          "type",
                          "metadata_created",
                          "metadata_modified",
                          "owner_org",
                          "organization",
                          "tags",
                          "num_tags",
                          "resources",
                          "num_resources",
                          "extras",
                          "groups",
                          "relationships_as_object",
                          "relationships_as_subject",
                          "author",
                          "maintainer",
                          "version"}) {
    EXPECT_TRUE(p.contains(key)) << key;
  }
  EXPECT_EQ(p.at("id"), "ho-so-hanh-chinh");
  EXPECT_EQ(p.at("name"), "ho-so-hanh-chinh");
  EXPECT_EQ(p.at("url"), "https://data.tayninh.gov.vn/open/ho-so-hanh-chinh");
  EXPECT_EQ(p.at("license_id"), "CC-BY-4.0");
  EXPECT_EQ(p.at("license_url"), "https://creativecommons.org/licenses/by/4.0/");
  EXPECT_EQ(p.at("isopen"), true);
  EXPECT_EQ(p.at("private"), false);
  EXPECT_EQ(p.at("metadata_created"), "2025-03-01T02:00:00.000000");
  EXPECT_EQ(p.at("metadata_modified"), "2025-10-31T08:00:00.000000");
  EXPECT_EQ(p.at("owner_org"), "72.01");
  EXPECT_EQ(p.at("maintainer"), "Sở Nội vụ");
  EXPECT_TRUE(p.at("version").is_null());
  const auto& org = p.at("organization").as_object();
  EXPECT_EQ(org.at("id"), "72.01");
  EXPECT_EQ(org.at("title"), "Sở Nội vụ");
  EXPECT_EQ(org.at("is_organization"), true);
  EXPECT_EQ(org.at("approval_status"), "approved");
  EXPECT_EQ(p.at("num_tags"), 2);
  EXPECT_EQ(p.at("tags").at(0).at("name"), "hồ sơ");
  EXPECT_TRUE(p.at("tags").at(0).at("vocabulary_id").is_null());
  const auto& resources = p.at("resources").as_array();
  ASSERT_EQ(resources.size(), 4u);
  EXPECT_EQ(p.at("num_resources"), 4);
  EXPECT_EQ(resources[0].at("id"), "ho-so-hanh-chinh");
  EXPECT_EQ(resources[0].at("format"), "CSV");
  EXPECT_EQ(resources[0].at("datastore_active"), true);
  EXPECT_EQ(resources[0].at("url"),
            "https://data.tayninh.gov.vn/api/v1/open/datasets/ho-so-hanh-chinh/data.csv");
  EXPECT_EQ(resources[1].at("id"), "ho-so-hanh-chinh-xlsx");
  EXPECT_EQ(resources[1].at("datastore_active"), false);
  EXPECT_EQ(resources[2].at("id"), "ho-so-hanh-chinh-json");
  EXPECT_EQ(resources[3].at("id"), "ho-so-hanh-chinh-datapackage");
  EXPECT_EQ(resources[3].at("format"), "datapackage");
  EXPECT_EQ(resources[3].at("position"), 3);
  EXPECT_TRUE(resources[3].at("url_type").is_null());
  EXPECT_EQ(p.at("extras").at(0).at("key"), "kind");
  EXPECT_EQ(p.at("extras").at(0).at("value"), "records");

  const auto o = CkanOrganization(TayNinh(), "72", "Tây Ninh", 7);
  EXPECT_EQ(o.at("package_count"), 7);
  EXPECT_EQ(o.at("type"), "organization");
  EXPECT_EQ(o.at("display_name"), "Tây Ninh");
}

TEST(OpenCkan, Envelopes) {
  const auto ok = json::parse(CkanSuccess(TayNinh(), "package_show", json::value(1)));
  EXPECT_EQ(ok.at("help"), "https://data.tayninh.gov.vn/api/3/action/help_show?name=package_show");
  EXPECT_EQ(ok.at("success"), true);
  EXPECT_EQ(ok.at("result"), 1);
  const auto err = json::parse(CkanError(TayNinh(), "package_search", "Validation Error",
                                         json::object{{"rows", json::array{"Invalid integer"}}}));
  EXPECT_EQ(err.at("success"), false);
  EXPECT_EQ(err.at("error").at("__type"), "Validation Error");
  EXPECT_EQ(err.at("error").at("rows").at(0), "Invalid integer");
}

TEST(OpenCkan, PackageSearchFindsWordsWithoutDiacritics) {
  EXPECT_EQ(Names(Search({{"q", "ho so"}})), (std::vector<std::string>{"ho-so-hanh-chinh"}));
  EXPECT_EQ(Names(Search({{"q", "HỒ SƠ một cửa"}})),
            (std::vector<std::string>{"ho-so-hanh-chinh"}));
  EXPECT_EQ(Search({{"q", "ho so khai sinh"}}).at("count"), 0);
  EXPECT_EQ(Search({{"q", "*:*"}}).at("count"), 3);
  EXPECT_EQ(Search({}).at("count"), 3);
  // field:value in q filters as in fq.
  EXPECT_EQ(Names(Search({{"q", "name:dan-so"}})), (std::vector<std::string>{"dan-so"}));
  const auto all = Search({});
  EXPECT_TRUE(all.at("facets").as_object().empty());
  EXPECT_TRUE(all.at("search_facets").as_object().empty());
  EXPECT_EQ(all.at("sort"), "score desc, metadata_modified desc");
}

TEST(OpenCkan, PackageSearchFilters) {
  EXPECT_EQ(Names(Search({{"fq", "organization:72.02"}})), (std::vector<std::string>{"dan-so"}));
  // A publication of no unit is the province's.
  EXPECT_EQ(Names(Search({{"fq", "owner_org:72"}})),
            (std::vector<std::string>{"khai-sinh-theo-thang"}));
  EXPECT_EQ(Search({{"fq", "-organization:72.02"}}).at("count"), 2);
  EXPECT_EQ(Names(Search({{"fq", "tags:\"khai sinh\""}})),
            (std::vector<std::string>{"khai-sinh-theo-thang"}));
  EXPECT_EQ(Search({{"fq", "res_format:CSV license_id:ODbL-1.0"}}).at("count"), 1);
  // As harvesters ask for what changed since their last run.
  EXPECT_EQ(Names(Search(
                {{"fq", "metadata_modified:[2025-06-30T10:30:00Z TO *]"}, {"sort", "name asc"}})),
            (std::vector<std::string>{"ho-so-hanh-chinh", "khai-sinh-theo-thang"}));
  EXPECT_EQ(Names(Search({{"fq", "metadata_modified:{2025-06-30T10:30:00Z TO *]"}})),
            (std::vector<std::string>{"ho-so-hanh-chinh"}));
  EXPECT_EQ(Names(Search({{"fq", "+dataset_type:dataset metadata_modified:[* TO 2025-01-01]"}})),
            (std::vector<std::string>{"dan-so"}));

  for (const auto& [param, value] : std::vector<std::pair<std::string, std::string>>{
           {"fq", "colour:red"},
           {"fq", "metadata_modified:[yesterday TO *]"},
           {"fq", "organization"},
           {"sort", "size desc"},
           {"sort", "name sideways"},
           {"rows", "ten"},
           {"rows", "-1"},
           {"start", "1.5"}}) {
    const auto s = ParsePackageSearch({{param, value}});
    ASSERT_FALSE(s) << param << "=" << value;
    EXPECT_EQ(s.error().code, "ckan.validation");
    EXPECT_EQ(s.error().message.rfind(param + ": ", 0), 0u) << s.error().message;
  }
}

TEST(OpenCkan, PackageSearchSortsAndPages) {
  EXPECT_EQ(Names(Search({{"sort", "metadata_modified desc"}})),
            (std::vector<std::string>{"ho-so-hanh-chinh", "khai-sinh-theo-thang", "dan-so"}));
  EXPECT_EQ(Names(Search({{"sort", "metadata_created asc"}})),
            (std::vector<std::string>{"dan-so", "khai-sinh-theo-thang", "ho-so-hanh-chinh"}));
  // title_string: "Dân số", "Hồ sơ", "Số ca" folded.
  EXPECT_EQ(Names(Search({{"sort", "title_string asc"}})),
            (std::vector<std::string>{"dan-so", "ho-so-hanh-chinh", "khai-sinh-theo-thang"}));
  const auto page = Search({{"sort", "name asc"}, {"rows", "1"}, {"start", "1"}});
  EXPECT_EQ(page.at("count"), 3);
  EXPECT_EQ(Names(page), (std::vector<std::string>{"ho-so-hanh-chinh"}));
  EXPECT_EQ(Search({{"rows", "0"}}).at("results").as_array().size(), 0u);
  EXPECT_EQ(Search({{"start", "5"}}).at("results").as_array().size(), 0u);
  EXPECT_EQ(ParsePackageSearch({{"rows", "5000"}})->rows, 1000);
  // A word in the title counts more than one elsewhere.
  EXPECT_EQ(Names(Search({{"q", "theo xa"}, {"sort", "score desc, name desc"}})),
            (std::vector<std::string>{"dan-so", "khai-sinh-theo-thang"}));
  // Whole words: "ho" is not in "Thống kê".
  EXPECT_EQ(Search({{"q", "ho"}}).at("count"), 1);
}

Result<json::object> Datastore(const std::map<std::string, std::string>& params) {
  return DatastoreSearch("ho-so-hanh-chinh", Table(), params);
}

std::vector<int64_t> Ids(const json::object& r) {
  std::vector<int64_t> out;
  for (const auto& rec : r.at("records").as_array()) out.push_back(rec.at("_id").as_int64());
  return out;
}

TEST(OpenCkan, DatastoreSearchAnswersAsCkan) {
  auto r = Datastore({});
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->at("resource_id"), "ho-so-hanh-chinh");
  EXPECT_EQ(r->at("total"), 4);
  EXPECT_EQ(r->at("limit"), 100);
  EXPECT_EQ(r->at("offset"), 0);
  const auto& fields = r->at("fields").as_array();
  ASSERT_EQ(fields.size(), 6u);
  EXPECT_EQ(fields[0], (json::object{{"id", "_id"}, {"type", "int"}}));
  EXPECT_EQ(fields[1], (json::object{{"id", "commune"}, {"type", "text"}}));
  EXPECT_EQ(fields[2].at("type"), "int");
  EXPECT_EQ(fields[3].at("type"), "numeric");
  EXPECT_EQ(fields[4].at("type"), "bool");
  EXPECT_EQ(fields[5].at("type"), "date");
  const auto& first = r->at("records").at(0).as_object();
  EXPECT_EQ(first.at("_id"), 1);
  EXPECT_EQ(first.at("commune"), "Phường Tân Ninh");
  EXPECT_EQ(first.at("received"), 12);
  EXPECT_EQ(first.at("rate"), 0.5);
  EXPECT_EQ(first.at("online"), true);
  EXPECT_TRUE(r->at("records").at(2).at("received").is_null());
  EXPECT_EQ(r->at("_links").at("start"),
            "/api/3/action/datastore_search?resource_id=ho-so-hanh-chinh");
  EXPECT_EQ(r->at("_links").at("next"),
            "/api/3/action/datastore_search?offset=100&resource_id=ho-so-hanh-chinh");
}

TEST(OpenCkan, DatastoreSearchFiltersSortsAndPages) {
  auto r = Datastore({{"filters", R"({"online": true})"}});
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(Ids(*r), (std::vector<int64_t>{1, 4}));
  r = Datastore({{"filters", R"({"commune": ["Xã Bàu Đồn", "Xã Hòa Hội"], "received": 40})"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(Ids(*r), (std::vector<int64_t>{4}));
  r = Datastore({{"q", "hoa"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(Ids(*r), (std::vector<int64_t>{3, 4}));
  r = Datastore({{"q", R"({"commune": "xa hoa"})"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(Ids(*r), (std::vector<int64_t>{4}));
  r = Datastore({{"sort", "received desc"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(Ids(*r), (std::vector<int64_t>{3, 4, 1, 2}));  // no value first going down
  r = Datastore({{"sort", "rate asc, _id desc"}, {"limit", "2"}, {"offset", "1"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(Ids(*r), (std::vector<int64_t>{4, 2}));
  EXPECT_EQ(r->at("total"), 4);
  EXPECT_EQ(r->at("_links").at("next"),
            "/api/3/action/datastore_search?limit=2&offset=3&resource_id=ho-so-hanh-chinh&sort="
            "rate%20asc%2C%20_id%20desc");
  r = Datastore({{"fields", "commune, _id"}, {"include_total", "false"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->at("fields").as_array().size(), 2u);
  EXPECT_EQ(r->at("fields").at(0).at("id"), "commune");
  EXPECT_EQ(r->at("records").at(0).as_object().size(), 2u);
  EXPECT_FALSE(r->contains("total"));
}

TEST(OpenCkan, DatastoreSearchRefusesNamingTheParameter) {
  for (const auto& [param, value] :
       std::vector<std::pair<std::string, std::string>>{{"filters", "[1]"},
                                                        {"filters", R"({"nope": 1})"},
                                                        {"filters", R"({"commune": {"a": 1}})"},
                                                        {"q", R"({"nope": "x"})"},
                                                        {"q", "{not json"},
                                                        {"fields", "commune,nope"},
                                                        {"sort", "nope asc"},
                                                        {"limit", "many"},
                                                        {"offset", "-3"},
                                                        {"include_total", "maybe"}}) {
    const auto r = Datastore({{param, value}});
    ASSERT_FALSE(r) << param << "=" << value;
    EXPECT_EQ(r.error().code, "ckan.validation");
    EXPECT_EQ(r.error().message.rfind(param + ": ", 0), 0u) << r.error().message;
  }
  EXPECT_EQ(Datastore({{"limit", "99999"}})->at("limit"), 32000);
}

}  // namespace pdh::share::open_test_detail
