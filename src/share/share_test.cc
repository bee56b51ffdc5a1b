// Grants: what they give (as it is, masked, withheld and why), what they refuse, and when.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>

#include "share/share.h"
#include "store/test_support.h"

namespace pdh::share {
namespace {

namespace json = boost::json;

ingest::Dataset People() {
  ingest::Dataset d;
  d.row.code = "people";
  auto schema = ingest::ParseSchema(json::parse(R"({
    "primaryKey": ["id"],
    "fields": [
      {"name": "id", "type": "string"},
      {"name": "commune", "type": "string"},
      {"name": "full_name", "type": "string", "pdh:personal": true},
      {"name": "citizen_id", "type": "string", "pdh:personal": true},
      {"name": "born", "type": "date", "pdh:personal": true},
      {"name": "note", "type": "string"}
    ]})"));
  EXPECT_TRUE(schema) << schema.error().message;
  d.schema = *schema;
  return d;
}

json::value Doc(const char* text) {
  return json::parse(text);
}

TEST(Share, MasksKeepOnlyWhatTheyName) {
  EXPECT_EQ(ApplyMask(Mask::kLast4, "072090001234"), "********1234");
  EXPECT_EQ(ApplyMask(Mask::kLast4, "123"), "123");
  EXPECT_EQ(ApplyMask(Mask::kBirthYear, "1990-05-17"), "1990");
  EXPECT_EQ(ApplyMask(Mask::kInitials, "Nguyễn Văn  Án"), "N. V. Á.");
}

TEST(Share, AGrantReturnsMasksAndWithholdsSayingWhy) {
  const auto d = People();
  auto g = ParseGrant(Doc(R"({"fields":["id","commune"],"masks":{"citizen_id":"last4",
      "born":"birth_year"},"purposes":["administrative_procedure"],
      "legal_basis":"Nghị định 47/2024/NĐ-CP"})"),
                      d);
  ASSERT_TRUE(g) << g.error().message;
  const Projection p = Project(*g, d);
  EXPECT_EQ(p.returned, (std::vector<std::string>{"id", "commune"}));
  EXPECT_EQ(p.masked.at("citizen_id"), "last4");
  EXPECT_EQ(p.withheld.at("full_name"), "personal");
  EXPECT_EQ(p.withheld.at("note"), "not_granted");
  const auto out = Apply(p, Doc(R"({"id":"A1","commune":"","full_name":"Trần Thị B",
      "citizen_id":"072190001234","born":"1990-05-17","note":"x"})")
                                .as_object());
  EXPECT_EQ(out.at("id"), "A1");
  EXPECT_TRUE(out.at("commune").is_null());  // has no data: null, not withheld
  EXPECT_EQ(out.at("citizen_id"), "********1234");
  EXPECT_EQ(out.at("born"), "1990");
  EXPECT_EQ(out.at("full_name").at("withheld"), "personal");  // never null or empty
  EXPECT_EQ(out.at("note").at("withheld"), "not_granted");
}

TEST(Share, BadGrantsAreRefusedNamingWhat) {
  const auto d = People();
  auto code = [&d](const char* text) {
    auto g = ParseGrant(json::parse(text), d);
    return g ? std::string("ok") : g.error().code + ": " + g.error().message;
  };
  EXPECT_NE(code(R"({"fields":["nope"],"purposes":["statistics"],"legal_basis":"x"})")
                .find("share.unknown_field: dataset people has no field 'nope'"),
            std::string::npos);
  EXPECT_NE(code(R"({"fields":["id"],"legal_basis":"x"})").find("purposes"), std::string::npos);
  EXPECT_NE(
      code(R"({"fields":["id"],"purposes":["curiosity"],"legal_basis":"x"})").find("'curiosity'"),
      std::string::npos);
  EXPECT_NE(code(R"({"fields":["id"],"purposes":["statistics"]})").find("legal_basis"),
            std::string::npos);
  EXPECT_NE(code(R"({"fields":["id"],"masks":{"id":"last4"},"purposes":["statistics"],
      "legal_basis":"x"})")
                .find("both"),
            std::string::npos);
  EXPECT_NE(code(R"({"masks":{"born":"month"},"purposes":["statistics"],"legal_basis":"x"})")
                .find("masks.born"),
            std::string::npos);
  EXPECT_NE(code(R"({"fields":["id"],"purposes":["statistics"],"legal_basis":"x","extra":1})")
                .find("'extra'"),
            std::string::npos);
  EXPECT_NE(code(R"({"fields":["id"],"purposes":["statistics"],"legal_basis":"x",
      "expires":"soon"})")
                .find("expires"),
            std::string::npos);
}

TEST(Share, AddressesAndBlocks) {
  EXPECT_TRUE(AddressAllowed({}, "10.1.2.3"));
  EXPECT_TRUE(AddressAllowed({"10.1.0.0/16"}, "10.1.2.3"));
  EXPECT_FALSE(AddressAllowed({"10.1.0.0/16"}, "10.2.2.3"));
  EXPECT_TRUE(AddressAllowed({"127.0.0.1"}, "127.0.0.1"));
  EXPECT_FALSE(AddressAllowed({"127.0.0.1"}, "127.0.0.2"));
}

class ShareStoreTest : public store::testing::StoreTest {
 protected:
  ShareStoreTest() : StoreTest("share") {}
};

TEST_F(ShareStoreTest, OnlyAGrantInForceForThePurposeLetsASystemRead) {
  Service svc(store_->share());
  Client c{"dvc",        "Hệ thống thông tin giải quyết TTHC",
           "80.TTPVHCC", "0276 3822 xxx",
           "system_dvc", ClientState::kActive,
           {},           "2025-10-01T00:00:00Z",
           "admin"};
  ASSERT_TRUE(svc.AddClient(c));
  EXPECT_EQ(svc.AddClient(c).error().code, "share.client_exists");
  c.code = "Bad Code";
  EXPECT_EQ(svc.AddClient(c).error().code, "share.invalid_client");
  const auto d = People();
  auto g = ParseGrant(json::parse(R"({"fields":["id"],"purposes":["statistics"],
      "legal_basis":"x","expires":"2025-12-31"})"),
                      d);
  ASSERT_TRUE(g);
  g->client = "dvc";
  ASSERT_TRUE(svc.AddGrant(*g));
  EXPECT_TRUE(svc.GrantFor("dvc", "people", "statistics", false, {2025, 12, 31}));
  EXPECT_EQ(svc.GrantFor("dvc", "people", "statistics", false, {2026, 1, 1}).error().code,
            "share.no_grant");  // expired
  EXPECT_EQ(svc.GrantFor("dvc", "people", "inspection", false, {2025, 11, 1}).error().code,
            "share.purpose_not_granted");
  EXPECT_EQ(svc.GrantFor("dvc", "people", "statistics", true, {2025, 11, 1}).error().code,
            "share.no_grant");  // a read grant does not write
  // A write grant reads too, but a read is served by the read grant.
  auto w = ParseGrant(json::parse(R"({"fields":["id","note"],"purposes":["statistics"],
      "legal_basis":"x","access":"write"})"),
                      d);
  ASSERT_TRUE(w);
  w->client = "dvc";
  const auto write_id = svc.AddGrant(*w);
  ASSERT_TRUE(write_id);
  EXPECT_EQ(svc.GrantFor("dvc", "people", "statistics", true, {2025, 11, 1})->id, *write_id);
  EXPECT_NE(svc.GrantFor("dvc", "people", "statistics", false, {2025, 11, 1})->id, *write_id);
  ASSERT_TRUE(svc.RevokeGrant(*write_id));
  EXPECT_EQ(svc.GrantFor("dvc", "other", "statistics", false, {2025, 11, 1}).error().code,
            "share.no_grant");
  const auto grants = svc.Grants("dvc");
  ASSERT_TRUE(grants);
  ASSERT_EQ(grants->size(), 2U);  // the revoked one included
  ASSERT_TRUE(svc.RevokeGrant(grants->front().id));
  EXPECT_EQ(svc.GrantFor("dvc", "people", "statistics", false, {2025, 11, 1}).error().code,
            "share.no_grant");
  auto of = svc.ClientOfAccount("system_dvc");
  ASSERT_TRUE(of && *of);
  EXPECT_EQ((*of)->code, "dvc");
  ASSERT_TRUE(svc.SetState("dvc", ClientState::kSuspended));
  EXPECT_EQ((*svc.ClientOfAccount("system_dvc"))->state, ClientState::kSuspended);
}

TEST_F(ShareStoreTest, ABatchIsToldToTheActiveSubscribersWhoseClientHoldsAGrant) {
  Service svc(store_->share());
  for (const char* code : {"dvc", "portal"}) {
    ASSERT_TRUE(svc.AddClient({code,
                               "Hệ thống",
                               "80",
                               "x",
                               std::string("system_") + code,
                               ClientState::kActive,
                               {},
                               "2025-10-01T00:00:00Z",
                               "admin"}));
  }
  EXPECT_EQ(svc.Subscribe({0, "dvc", "people", "ftp://x", true, "", ""}).error().code,
            "share.invalid_subscription");
  EXPECT_EQ(svc.Subscribe({0, "nobody", "people", "http://x", true, "", ""}).error().code,
            "share.client_not_found");
  auto a = svc.Subscribe({0, "dvc", "people", "http://127.0.0.1:9/a", true, "t", "admin"});
  auto b = svc.Subscribe({0, "portal", "people", "http://127.0.0.1:9/b", true, "t", "admin"});
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->second.size(), 64U);
  EXPECT_NE(a->second, b->second);
  // Only dvc holds a grant on the dataset.
  auto g = ParseGrant(json::parse(R"({"fields":["id"],"purposes":["statistics"],
      "legal_basis":"x"})"),
                      People());
  ASSERT_TRUE(g);
  g->client = "dvc";
  ASSERT_TRUE(svc.AddGrant(*g));
  store::BatchRow batch;
  batch.id = 42;
  batch.dataset = "people";
  batch.created_at = "2025-11-01T00:00:00Z";
  auto notices = svc.NoticesOf(batch, 7, {2025, 11, 1});
  ASSERT_TRUE(notices);
  ASSERT_EQ(notices->size(), 1U);
  const auto& m = notices->front();
  EXPECT_EQ(m.webhook_url, "http://127.0.0.1:9/a");
  EXPECT_EQ(m.signing_secret, a->second);
  EXPECT_EQ(m.key, "share.batch:" + std::to_string(a->first.id) + ":42");
  EXPECT_EQ(m.data.at("rows"), 7);
  // Another dataset's batch, or an ended subscription, tells nobody.
  batch.dataset = "other";
  EXPECT_TRUE(svc.NoticesOf(batch, 1, {2025, 11, 1})->empty());
  batch.dataset = "people";
  ASSERT_TRUE(svc.EndSubscription(a->first.id));
  EXPECT_TRUE(svc.NoticesOf(batch, 1, {2025, 11, 1})->empty());
}

TEST_F(ShareStoreTest, APublicationReadsBackAsPublished) {
  Service svc(store_->share());
  EXPECT_EQ(ParseOpenDataset("X", Doc(R"({"kind":"records","source":"people","title":"t",
      "description":"d"})"))
                .error()
                .code,
            "open.invalid");
  EXPECT_EQ(ParseOpenDataset("people", Doc(R"({"kind":"records","source":"people","title":"t",
      "description":"d","licence":"MIT"})"))
                .error()
                .code,
            "open.invalid");
  EXPECT_EQ(ParseOpenDataset("people", Doc(R"({"kind":"aggregate","source":"people",
      "title":"t","description":"d","k":0})"))
                .error()
                .code,
            "open.invalid");
  auto d = ParseOpenDataset("people-monthly", Doc(R"({"kind":"aggregate","source":"people",
      "title":"Dân cư theo tháng","description":"Số người","keywords":["dân cư"],"k":3})"));
  ASSERT_TRUE(d) << d.error().message;
  d->issued = d->modified = "2025-11-01T00:00:00Z";
  ASSERT_TRUE(svc.Publish(*d));
  auto back = svc.FindPublished("people-monthly");
  ASSERT_TRUE(back && *back);
  EXPECT_EQ((*back)->title, "Dân cư theo tháng");
  EXPECT_EQ((*back)->k, 3);
  EXPECT_EQ((*back)->licence, "CC-BY-4.0");
  EXPECT_EQ((*back)->kind, OpenKind::kAggregate);
  ASSERT_TRUE(svc.Unpublish("people-monthly"));
  EXPECT_EQ(svc.Unpublish("people-monthly").error().code, "open.not_found");
}

TEST(Share, OpenDataLeavesPersonalFieldsOutAndSuppressesSmallCounts) {
  const auto columns = RecordColumns(People());
  ASSERT_EQ(columns.size(), 3U);  // id, commune, note
  for (const auto& c : columns) {
    EXPECT_TRUE(c.name == "id" || c.name == "commune" || c.name == "note") << c.name;
  }
  const auto t = AggregateTable({{{"25459", "2025-10"}, 2}, {{"25459", "2025-11"}, 12}}, 5,
                                [](const std::string& code) { return "Xã " + code; });
  ASSERT_EQ(t.rows.size(), 2U);
  EXPECT_EQ(t.rows[0][3], "");
  EXPECT_EQ(t.rows[0][4], "true");
  EXPECT_EQ(t.rows[1][3], "12");
  EXPECT_EQ(t.rows[1][1], "Xã 25459");
  const auto rows = json::parse(TableJson(t)).as_array();
  EXPECT_TRUE(rows[0].at("count").is_null());
  EXPECT_EQ(rows[1].at("count"), 12);
  EXPECT_EQ(rows[1].at("suppressed"), false);
  EXPECT_NE(TableCsv(t).find("unit,unit_name,month,count,suppressed"), std::string::npos);
}

TEST(Share, AHubReadsAnotherHubsValuesOrSaysWhichIsWrong) {
  const std::string body = FederationBody(
      "80", "2025-11-01T00:00:00Z",
      {{"DVC_TRUC_TUYEN", "Tỷ lệ hồ sơ trực tuyến", "25459", "Phường Tân Ninh", "2025-10", 61.5},
       {"DVC_TRUC_TUYEN", "Tỷ lệ hồ sơ trực tuyến", "80", "Tây Ninh", "2025Q3", std::nullopt}});
  auto rows = ReadFederationBody(json::parse(body), "tinh-80", "2025-11-01T00:00:01Z");
  ASSERT_TRUE(rows) << rows.error().message;
  ASSERT_EQ(rows->size(), 2U);
  EXPECT_EQ((*rows)[0].source, "tinh-80");
  EXPECT_EQ((*rows)[0].value, 61.5);
  EXPECT_FALSE((*rows)[1].value);
  EXPECT_EQ((*rows)[1].sent_at, "2025-11-01T00:00:00Z");
  EXPECT_EQ(
      ReadFederationBody(json::parse(R"({"values":[{"indicator":"X","unit":"80"}]})"), "a", "t")
          .error()
          .message,
      "values[0] needs indicator, unit and period");
  EXPECT_EQ(ReadFederationBody(json::parse(R"({"values":[{"indicator":"X","unit":"80",
      "period":"2025","value":"12"}]})"),
                               "a", "t")
                .error()
                .code,
            "share.invalid_federation");
  EXPECT_EQ(ParseFederationTarget(json::parse(R"({"url":"ftp://x","token":"t"})")).error().code,
            "share.invalid_federation");
  auto t = ParseFederationTarget(json::parse(R"({"url":"http://hub/","token":"t"})"));
  ASSERT_TRUE(t);
  EXPECT_EQ(t->url, "http://hub");
  EXPECT_EQ(ToJson(*t).at("token_set"), true);
  EXPECT_FALSE(ToJson(*t).contains("token"));
}

}  // namespace
}  // namespace pdh::share
