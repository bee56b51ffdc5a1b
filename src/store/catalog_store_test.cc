// Catalog store: versions are written in one transaction or not at all, a version must follow
// the current one, and the as-of query picks the version in force on a date.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "store/store.h"
#include "store/test_support.h"

namespace pdh::store {
namespace {

class CatalogStoreTest : public testing::StoreTest {
 protected:
  CatalogStoreTest() : StoreTest("catalog-store") {}
  CatalogStore& cat() { return store_->catalog(); }

  static CatalogWrite Version(const std::string& code, const std::string& kind, int64_t number,
                              const std::string& effective, const std::string& status) {
    const std::string snapshot = "{\"code\":\"" + code + "\",\"status\":\"" + status + "\"}";
    CatalogWrite w;
    w.entry = {code,    kind,   status,    "Y tế",  "80.SYT", "co so du lieu " + code,
               "|ioc|", number, effective, snapshot};
    w.version = {code, number, effective, "2025-11-01T00:00:00Z", "an", "", snapshot, "[]"};
    return w;
  }
};

TEST_F(CatalogStoreTest, WritesFindsAndListsVersions) {
  ASSERT_TRUE(cat().Write({Version("NT-01", "platform", 1, "2024-01-01", "in_use")}));
  auto db = Version("CSDL-01", "database", 1, "2024-02-01", "planned");
  db.links = {{"CSDL-01", "runs_on", "NT-01"}};
  ASSERT_TRUE(cat().Write({db}));
  ASSERT_TRUE(cat().Write({Version("CSDL-01", "database", 2, "2025-03-01", "in_use")}));

  auto found = cat().Find("CSDL-01");
  ASSERT_TRUE(found && *found);
  EXPECT_EQ((*found)->version, 2);
  EXPECT_EQ((*found)->status, "in_use");
  auto versions = cat().Versions("CSDL-01");
  ASSERT_TRUE(versions);
  ASSERT_EQ(versions->size(), 2u);
  EXPECT_EQ((*versions)[0].number, 1);
  EXPECT_EQ((*versions)[1].effective_date, "2025-03-01");

  auto early = cat().AsOf("2024-12-31");
  ASSERT_TRUE(early);
  ASSERT_EQ(early->size(), 2u);
  EXPECT_EQ((*early)[0].code, "CSDL-01");
  EXPECT_EQ((*early)[0].number, 1);
  auto before_all = cat().AsOf("2023-12-31");
  ASSERT_TRUE(before_all);
  EXPECT_TRUE(before_all->empty());

  // Links were replaced by version 2's (none).
  auto links = cat().LinksTo("NT-01");
  ASSERT_TRUE(links);
  EXPECT_TRUE(links->empty());

  CatalogQuery q;
  q.words = {"du lieu", "csdl"};
  q.tag = "ioc";
  q.kind = "database";
  EXPECT_EQ(testing::Codes(cat().Query(q)), std::vector<std::string>{"CSDL-01"});
  auto all = cat().All();
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].kind, "platform");
}

TEST_F(CatalogStoreTest, DuplicatesConflictsAndBadLinksWriteNothing) {
  ASSERT_TRUE(cat().Write({Version("CSDL-01", "database", 1, "2024-02-01", "planned")}));
  auto dup = cat().Write({Version("CSDL-01", "database", 1, "2024-02-01", "planned")});
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code, "catalog.duplicate_code");
  auto skip = cat().Write({Version("CSDL-01", "database", 3, "2024-03-01", "in_use")});
  ASSERT_FALSE(skip);
  EXPECT_EQ(skip.error().code, "catalog.version_conflict");
  auto missing = cat().Write({Version("CSDL-02", "database", 2, "2024-03-01", "in_use")});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, "catalog.not_found");

  // One bad write in a batch undoes the others.
  auto bad_link = Version("CSDL-03", "database", 1, "2024-02-01", "planned");
  bad_link.links = {{"CSDL-03", "runs_on", "NT-404"}};
  auto batch = cat().Write({Version("CSDL-02", "database", 1, "2024-02-01", "planned"),
                            Version("CSDL-01", "database", 2, "2024-03-01", "under_construction"),
                            bad_link});
  ASSERT_FALSE(batch);
  EXPECT_EQ(batch.error().code, "catalog.invalid_link");
  auto two = cat().Find("CSDL-02");
  ASSERT_TRUE(two);
  EXPECT_FALSE(*two);
  auto one = cat().Find("CSDL-01");
  ASSERT_TRUE(one && *one);
  EXPECT_EQ((*one)->version, 1);
}

}  // namespace
}  // namespace pdh::store
