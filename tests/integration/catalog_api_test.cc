// The catalog over HTTP against the real server and the demo province: the checks over every
// element of an answer (owners, months, search hits). The report's figures, the rules and who may
// edit, history, import and export: tests/scenarios/catalog.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "integration/pdh_server.h"

namespace pdh::test {
namespace {

namespace json = boost::json;

TEST(CatalogApi, DemoSummaryByOwnerAndInVietnameseDates) {
  auto r = SharedServer().Get("/api/v1/catalog/summary?as_of=2025-10-31");
  ASSERT_EQ(r.status, 200) << r.body;
  const auto s = Body(r);
  // By owner: the groups add up to the total and carry the unit's name.
  int64_t databases = 0;
  for (const auto& g : s.at("by_owner").as_array()) {
    databases += g.at("databases").as_int64();
    EXPECT_TRUE(g.at("owner_name").is_string()) << json::serialize(g);
  }
  EXPECT_EQ(databases, 112);
  // The same date in Vietnamese form.
  EXPECT_EQ(Body(SharedServer().Get("/api/v1/catalog/summary?as_of=31/10/2025")), s);
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

TEST(CatalogApi, SearchWithoutDiacritics) {
  auto r = SharedServer().Get("/api/v1/catalog/entries?q=co%20so%20du%20lieu%20dat%20dai");
  ASSERT_EQ(r.status, 200) << r.body;
  const auto body = Body(r);
  const auto& items = body.at("items").as_array();
  ASSERT_FALSE(items.empty());
  for (const auto& e : items) {
    EXPECT_NE(std::string(e.at("name").as_string()).find("đất đai"), std::string::npos)
        << e.at("name");
  }
}

}  // namespace
}  // namespace pdh::test
