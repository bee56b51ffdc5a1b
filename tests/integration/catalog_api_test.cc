// The catalog over HTTP against the real server and the demo province: the report's figures as
// of a date, search without diacritics, the rules and who may edit, history, import and export.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "integration/pdh_server.h"

namespace pdh::test {
namespace {

namespace json = boost::json;

json::value Body(const HttpResponse& r) {
  return json::parse(r.body);
}
std::string Code(const HttpResponse& r) {
  return std::string(Body(r).at("code").as_string());
}
int64_t Count(const json::value& summary, const char* key) {
  return summary.at("total").at(key).as_int64();
}

HttpRequest Json(std::string method, std::string target, std::string body,
                 const std::string& token = "") {
  HttpRequest r{std::move(method), std::move(target), std::move(body), {}};
  r.headers.emplace_back("Content-Type", "application/json");
  if (!token.empty()) r.headers.emplace_back("Authorization", "Bearer " + token);
  return r;
}

// A token for a new officer of `unit`.
std::string Officer(const std::string& name, const std::string& unit) {
  std::string out;
  EXPECT_EQ(SharedServer().Pdh("users add " + name +
                               " --password correct-horse-battery-staple --role officer "
                               "--unit " +
                               unit),
            0);
  EXPECT_EQ(SharedServer().Pdh("tokens create --user " + name, &out), 0) << out;
  return out.substr(0, out.find('\n'));
}

std::string Entry(const std::string& code, const std::string& owner, const std::string& status,
                  const std::string& extra = "") {
  return R"({"kind":"database","code":")" + code +
         R"(","name":"Cơ sở dữ liệu thử nghiệm","sector":"Y tế","owner":")" + owner +
         R"(","status":")" + status + R"(")" + extra + "}";
}

TEST(CatalogApi, DemoSummaryAsOfTheReportDateIsTheReportsFigures) {
  auto r = SharedServer().Get("/api/v1/catalog/summary?as_of=2025-10-31");
  ASSERT_EQ(r.status, 200) << r.body;
  const auto s = Body(r);
  EXPECT_EQ(Count(s, "platforms"), 35);
  EXPECT_EQ(Count(s, "databases"), 112);
  EXPECT_EQ(Count(s, "databases_in_use"), 69);
  EXPECT_EQ(Count(s, "databases_merged"), 35);
  EXPECT_EQ(Count(s, "databases_not_merged"), 34);
  EXPECT_EQ(Count(s, "databases_under_construction"), 43);
  EXPECT_EQ(Count(s, "national"), 16);
  EXPECT_EQ(Count(s, "national_connected"), 13);
  // By owner: the groups add up to the total and carry the unit's name.
  int64_t databases = 0;
  for (const auto& g : s.at("by_owner").as_array()) {
    databases += g.at("databases").as_int64();
    EXPECT_TRUE(g.at("owner_name").is_string()) << json::serialize(g);
  }
  EXPECT_EQ(databases, 112);

  // The same date in Vietnamese form; an earlier date shows less progress.
  EXPECT_EQ(Body(SharedServer().Get("/api/v1/catalog/summary?as_of=31/10/2025")), s);
  const auto earlier = Body(SharedServer().Get("/api/v1/catalog/summary?as_of=2024-12-31"));
  EXPECT_LT(Count(earlier, "databases_in_use"), 69);
  EXPECT_LT(Count(earlier, "databases_merged"), 35);
  EXPECT_LT(Count(earlier, "national_connected"), 13);
  EXPECT_EQ(SharedServer().Get("/api/v1/catalog/summary?as_of=soon").status, 400);
}

TEST(CatalogApi, MonthlySeriesGrows) {
  auto r = SharedServer().Get("/api/v1/catalog/summary/series?from=2024-01&to=2025-10");
  ASSERT_EQ(r.status, 200) << r.body;
  const auto body = Body(r);
  const auto& items = body.at("items").as_array();
  ASSERT_EQ(items.size(), 22u);
  EXPECT_EQ(items.front().at("as_of"), "2024-01-31");
  EXPECT_EQ(items[1].at("as_of"), "2024-02-29");
  EXPECT_EQ(items.back().at("as_of"), "2025-10-31");
  EXPECT_EQ(items.back().at("total").at("databases_in_use"), 69);
  int64_t previous = -1;
  for (const auto& i : items) {
    const int64_t connected = i.at("total").at("national_connected").as_int64();
    EXPECT_GE(connected, previous);
    previous = connected;
  }
  EXPECT_EQ(SharedServer().Get("/api/v1/catalog/summary/series?from=2025-10&to=2024-01").status,
            400);
}

TEST(CatalogApi, SearchWithoutDiacriticsAndFilters) {
  auto r = SharedServer().Get("/api/v1/catalog/entries?q=co%20so%20du%20lieu%20dat%20dai");
  ASSERT_EQ(r.status, 200) << r.body;
  const auto body = Body(r);
  const auto& items = body.at("items").as_array();
  ASSERT_FALSE(items.empty());
  for (const auto& e : items) {
    EXPECT_NE(std::string(e.at("name").as_string()).find("đất đai"), std::string::npos)
        << e.at("name");
  }
  auto national = Body(SharedServer().Get("/api/v1/catalog/entries?kind=national&limit=1000"));
  EXPECT_EQ(national.at("items").as_array().size(), 16u);
  // Paging: two pages of 100 and the rest.
  auto first = Body(SharedServer().Get("/api/v1/catalog/entries?limit=100"));
  ASSERT_TRUE(first.at("next").is_string());
  auto second = Body(SharedServer().Get("/api/v1/catalog/entries?limit=100&cursor=" +
                                        std::string(first.at("next").as_string())));
  EXPECT_NE(first.at("items").at(0).at("code"), second.at("items").at(0).at("code"));
  EXPECT_EQ(SharedServer().Get("/api/v1/catalog/entries?status=done").status, 400);
  auto facets = Body(SharedServer().Get("/api/v1/catalog/facets"));
  EXPECT_GT(facets.at("sectors").as_array().size(), 5u);
}

TEST(CatalogApi, RulesAreProblemsNamingTheField) {
  auto& s = SharedServer();
  auto r = s.Request(
      Json("POST", "/api/v1/catalog/entries", Entry("API-RULES", "80.SYT", "under_construction")));
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(Code(r), "catalog.missing_field");
  EXPECT_TRUE(std::string(Body(r).at("detail").as_string()).starts_with("legal_basis:"));

  r = s.Request(Json("POST", "/api/v1/catalog/entries", Entry("API-RULES", "99999", "planned")));
  EXPECT_EQ(Code(r), "catalog.unknown_unit");

  r = s.Request(Json("POST", "/api/v1/catalog/entries",
                     Entry("API-RULES", "80.SYT", "under_construction",
                           R"(,"legal_basis":"Quyết định 1/QĐ-UBND","effective":"2025-11-03")")));
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.Header("location"), "/api/v1/catalog/entries/API-RULES");

  // Merged before in use.
  r = s.Request(Json("PUT", "/api/v1/catalog/entries/API-RULES",
                     Entry("API-RULES", "80.SYT", "under_construction",
                           R"(,"legal_basis":"Quyết định 1/QĐ-UBND","consolidation":"merged")")));
  EXPECT_EQ(Code(r), "catalog.invalid_transition");
  // Someone else's version.
  r = s.Request(Json("PUT", "/api/v1/catalog/entries/API-RULES",
                     Entry("API-RULES", "80.SYT", "under_construction",
                           R"(,"legal_basis":"Quyết định 2/QĐ-UBND","expected_version":7)")));
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(Code(r), "catalog.version_conflict");
  // Into use, then back without and with a reason.
  const std::string in_use =
      R"(,"legal_basis":"Quyết định 1/QĐ-UBND","hosting":"Trung tâm dữ liệu tỉnh","last_data_update":"2025-06-30","contact":"Sở Y tế","consolidation":"not_merged","record_count":1200,"effective":"2025-11-15")";
  r = s.Request(Json("PUT", "/api/v1/catalog/entries/API-RULES",
                     Entry("API-RULES", "80.SYT", "in_use", in_use)));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Body(r).at("version"), 2);
  r = s.Request(Json("PUT", "/api/v1/catalog/entries/API-RULES",
                     Entry("API-RULES", "80.SYT", "under_construction",
                           R"(,"legal_basis":"Quyết định 1/QĐ-UBND")")));
  EXPECT_EQ(Code(r), "catalog.reason_required");
  r = s.Request(Json("PUT", "/api/v1/catalog/entries/API-RULES",
                     Entry("API-RULES", "80.SYT", "under_construction",
                           R"(,"legal_basis":"Quyết định 1/QĐ-UBND","reason":"Nâng cấp lại")")));
  ASSERT_EQ(r.status, 200) << r.body;
  r = s.Request(
      Json("PUT", "/api/v1/catalog/entries/API-RULES", Entry("OTHER", "80.SYT", "planned")));
  EXPECT_EQ(Code(r), "catalog.invalid_transition");

  // The history: who, when, why, what.
  auto got = Body(s.Get("/api/v1/catalog/entries/API-RULES"));
  const auto& history = got.at("history").as_array();
  ASSERT_EQ(history.size(), 3u);
  EXPECT_EQ(history[0].at("effective"), "2025-11-03");
  EXPECT_EQ(history[1].at("effective"), "2025-11-15");
  EXPECT_EQ(history[2].at("reason"), "Nâng cấp lại");
  EXPECT_EQ(history[2].at("actor"), "admin");
  bool status_change = false;
  for (const auto& c : history[2].at("changes").as_array()) {
    if (c.at("field") == "status") {
      status_change = c.at("before") == "in_use" && c.at("after") == "under_construction";
    }
  }
  EXPECT_TRUE(status_change) << json::serialize(history[2]);
  EXPECT_EQ(got.at("owner_name"), "Sở Y tế tỉnh Tây Ninh");
  EXPECT_EQ(got.at("can_edit"), true);
  EXPECT_EQ(s.Get("/api/v1/catalog/entries/NO-SUCH").status, 404);
}

TEST(CatalogApi, OfficersEditTheirUnitsEntriesTheStewardAll) {
  auto& s = SharedServer();
  const std::string health = Officer("catalog_syt", "80.SYT");
  const std::string dost = Officer("catalog_skhcn", "80.SKHCN");
  // An officer adds and edits an entry of the unit...
  auto r = s.Request(
      Json("POST", "/api/v1/catalog/entries", Entry("API-SYT", "80.SYT", "planned"), health));
  ASSERT_EQ(r.status, 201) << r.body;
  // ...not one of another unit, nor hands its own to another unit.
  r = s.Request(
      Json("POST", "/api/v1/catalog/entries", Entry("API-GD", "80.SGDDT", "planned"), health));
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(Code(r), "auth.forbidden");
  r = s.Request(Json("PUT", "/api/v1/catalog/entries/API-SYT",
                     Entry("API-SYT", "80.SGDDT", "planned"), health));
  EXPECT_EQ(r.status, 403);
  auto get = [&](const std::string& code, const std::string& token) {
    return s.Request(
        {"GET", "/api/v1/catalog/entries/" + code, "", {{"Authorization", "Bearer " + token}}});
  };
  EXPECT_EQ(Body(get("API-SYT", health)).at("can_edit"), true);
  EXPECT_EQ(Body(get("NT-01", health)).at("can_edit"), false);
  // The Department of Science and Technology runs the catalog: every unit's entries.
  EXPECT_EQ(Body(get("API-SYT", dost)).at("can_edit"), true);
  r = s.Request(Json("PUT", "/api/v1/catalog/entries/API-SYT",
                     Entry("API-SYT", "80.SGDDT", "planned"), dost));
  EXPECT_EQ(r.status, 200) << r.body;
  r = s.Request(Json("PUT", "/api/v1/catalog/entries/API-SYT",
                     Entry("API-SYT", "80.SYT", "planned"), health));
  EXPECT_EQ(r.status, 403) << "no longer the health department's entry";
}

TEST(CatalogApi, ImportReportsRowErrorsAndWritesAllOrNothing) {
  auto& s = SharedServer();
  const std::string csv =
      "code,kind,name,sector,owner,status,legal_basis\n"
      "IMP-1,database,Cơ sở dữ liệu nhập 1,Tư pháp,80.STP,planned,\n"
      "IMP-2,database,Cơ sở dữ liệu nhập 2,Tư pháp,80.STP,under_construction,\n"
      "IMP-3,database,Cơ sở dữ liệu nhập 3,Tư pháp,nowhere,planned,\n";
  auto post = [&](const std::string& body, const std::string& query) {
    return s.Request(
        {"POST", "/api/v1/catalog/import" + query, body, {{"Content-Type", "text/csv"}}});
  };
  auto r = post(csv, "");
  ASSERT_EQ(r.status, 200) << r.body;
  auto report = Body(r);
  EXPECT_EQ(report.at("written"), false);
  EXPECT_EQ(report.at("rejected"), 2);
  const auto& errors = report.at("errors").as_array();
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].at("row"), 3);
  EXPECT_EQ(errors[0].at("column"), "legal_basis");
  EXPECT_EQ(errors[1].at("row"), 4);
  EXPECT_EQ(errors[1].at("code"), "catalog.unknown_unit");
  EXPECT_EQ(s.Get("/api/v1/catalog/entries/IMP-1").status, 404) << "nothing written";

  const std::string fixed =
      "code,kind,name,sector,owner,status,legal_basis\n"
      "IMP-1,database,Cơ sở dữ liệu nhập 1,Tư pháp,80.STP,planned,\n"
      "IMP-2,database,Cơ sở dữ liệu nhập 2,Tư pháp,80.STP,under_construction,QĐ 5/QĐ-UBND\n";
  report = Body(post(fixed, "?dry_run=true"));
  EXPECT_EQ(report.at("created"), 2);
  EXPECT_EQ(report.at("written"), false);
  EXPECT_EQ(s.Get("/api/v1/catalog/entries/IMP-1").status, 404) << "a dry run writes nothing";
  report = Body(post(fixed, ""));
  EXPECT_EQ(report.at("written"), true);
  EXPECT_EQ(s.Get("/api/v1/catalog/entries/IMP-2").status, 200);

  // An officer's rows for another unit are refused row by row.
  const std::string health = Officer("catalog_import", "80.SYT");
  r = s.Request({"POST",
                 "/api/v1/catalog/import?dry_run=true",
                 "code,kind,name,sector,owner,status\n"
                 "IMP-9,database,Cơ sở dữ liệu nhập 9,Y tế,80.SYT,planned\n"
                 "IMP-10,database,Cơ sở dữ liệu nhập 10,Tư pháp,80.STP,planned\n",
                 {{"Content-Type", "text/csv"}, {"Authorization", "Bearer " + health}}});
  report = Body(r);
  ASSERT_EQ(report.at("errors").as_array().size(), 1u) << r.body;
  EXPECT_EQ(report.at("errors").at(0).at("row"), 3);
  EXPECT_EQ(report.at("errors").at(0).at("code"), "catalog.forbidden");
  // Rows that change nothing are no edits: the whole export comes back unchanged.
  r = s.Request({"POST",
                 "/api/v1/catalog/import?dry_run=true",
                 s.Get("/api/v1/catalog/export").body,
                 {{"Content-Type", "text/csv"}, {"Authorization", "Bearer " + health}}});
  report = Body(r);
  EXPECT_EQ(report.at("rejected"), 0) << r.body.substr(0, 400);
  EXPECT_EQ(report.at("unchanged"), report.at("rows"));
}

TEST(CatalogApi, ExportReadsBackUnchanged) {
  auto& s = SharedServer();
  for (const char* format : {"csv", "xlsx"}) {
    auto exported = s.Get(std::string("/api/v1/catalog/export?format=") + format);
    ASSERT_EQ(exported.status, 200) << exported.body;
    EXPECT_NE(exported.Header("content-disposition").find(std::string("catalog.") + format),
              std::string::npos);
    auto r = s.Request({"POST",
                        std::string("/api/v1/catalog/import?dry_run=true&format=") + format,
                        exported.body,
                        {{"Content-Type", "application/octet-stream"}}});
    ASSERT_EQ(r.status, 200) << r.body;
    auto report = Body(r);
    EXPECT_EQ(report.at("rejected"), 0) << format << ": " << r.body.substr(0, 500);
    EXPECT_EQ(report.at("unchanged"), report.at("rows")) << format;
    EXPECT_GE(report.at("rows").as_int64(), 163) << format;
  }
}

}  // namespace
}  // namespace pdh::test
