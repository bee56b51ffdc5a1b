// Sharing over HTTP (M10) on one optimized server of its own: a connected system pushes a batch
// under its write grant (and is refused outside it), a subscriber is told of the batch by a
// signed webhook retried with backoff, the exchange log shows both; the open data reads as CKAN
// clients and DCAT harvesters read it, the catalogue checked against the DCAT-AP 3.0.1 SHACL
// shapes by a validator from npm.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <set>
#include <thread>

#include "audit/audit.h"
#include "integration/pdh_server.h"
#include "notify/test_servers.h"

namespace pdh::test {
namespace {

namespace json = boost::json;

json::value ParseBody(const HttpResponse& r) {
  return json::parse(r.body);
}

std::string ShareCsv(const std::string& id, const char* unit) {
  return "dossier_id,receiving_unit,procedure_code,procedure_name,locality_free,received_at,"
         "channel,full_online_eligible,full_online,fee,paid_online,digitized,due_at,completed_at,"
         "status,satisfaction,applicant_id,applicant_name\n" +
         id + "," + unit +
         ",1.001193,Đăng ký khai sinh,false,2025-11-03T08:00:00,online,true,true,0,false,true,"
         "2025-11-04T08:00:00,,received,,072185000001,Nguyễn Văn An\n";
}

class ShareApi : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new PdhServer("--remind-every 0", FastPdhBin());
    std::string out;
    ASSERT_EQ(server_->Pdh("tokens create --name push --user he-thong-tthc", &out), 0) << out;
    token_ = out.substr(0, out.find('\n'));
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  static HttpResponse AsSystem(HttpRequest r) {
    r.headers.emplace_back("Authorization", "Bearer " + token_);
    return server_->Request(r);
  }
  static PdhServer* server_;
  static std::string token_;
};
PdhServer* ShareApi::server_ = nullptr;
std::string ShareApi::token_;

TEST_F(ShareApi, APushUnderAWriteGrantIsToldToSubscribersSignedAndRetried) {
  notify::testing::WebhookReceiver hook;
  hook.set_status(500);  // the receiver is down at first
  ASSERT_EQ(server_->Pdh("settings set notify.backoff_seconds 1"), 0);
  auto r = server_->Request({"POST",
                             "/api/v1/share/clients/he-thong-tthc/subscriptions",
                             R"({"dataset":"dossiers","url":")" + hook.url() + R"("})",
                             {{"Content-Type", "application/json"}}});
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string secret(ParseBody(r).at("secret").as_string());
  EXPECT_EQ(secret.size(), 64U);

  // Without a purpose, nothing is written.
  const HttpRequest push{"POST",
                         "/api/v1/datasets/dossiers/batches?format=csv",
                         ShareCsv("SH-PUSH-1", "25459"),
                         {{"Content-Type", "text/csv"}}};
  r = AsSystem(push);
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_NE(r.body.find("share.missing_purpose"), std::string::npos) << r.body;
  // A purpose its write grant does not hold.
  HttpRequest research = push;
  research.headers.emplace_back("X-Purpose", "research");
  r = AsSystem(research);
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_NE(r.body.find("share.purpose_not_granted"), std::string::npos) << r.body;
  // Under its grant: committed, and on the log.
  HttpRequest ok = push;
  ok.headers.emplace_back("X-Purpose", "administrative_procedure");
  ok.headers.emplace_back("X-Case-Reference", "DVC-TEST-1");
  r = AsSystem(ok);
  ASSERT_EQ(r.status, 200) << r.body;
  const int64_t batch = ParseBody(r).at("id").as_int64();
  EXPECT_EQ(ParseBody(r).at("status"), "committed");

  // The subscriber is told: refused once (500), then delivered after the backoff, the same
  // delivery id each time, the body signed with the subscription's secret.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (hook.count() < 2 && std::chrono::steady_clock::now() < deadline) {
    if (hook.count() == 1) hook.set_status(200);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  const auto calls = hook.requests();
  ASSERT_GE(calls.size(), 2U);
  EXPECT_EQ(calls[0].body, calls[1].body);
  EXPECT_EQ(calls[0].headers.at("x-pdh-delivery"), calls[1].headers.at("x-pdh-delivery"));
  EXPECT_EQ(calls[1].headers.at("x-pdh-signature"),
            "sha256=" + audit::HmacSha256Hex(secret, calls[1].body));
  const auto notice = json::parse(calls[1].body);
  EXPECT_EQ(notice.at("kind"), "share.batch");
  EXPECT_EQ(notice.at("data").at("batch"), batch);
  EXPECT_EQ(notice.at("data").at("dataset"), "dossiers");
  EXPECT_EQ(notice.at("data").at("event"), "batch.committed");

  // The exchange log shows the write and the notice; the CSV export carries them.
  r = server_->Get("/api/v1/share/exchanges?client=he-thong-tthc&dataset=dossiers&limit=5");
  ASSERT_EQ(r.status, 200) << r.body;
  std::set<std::string> actions;
  const auto log = ParseBody(r);
  for (const auto& e : log.at("items").as_array()) {
    actions.insert(std::string(e.at("action").as_string()));
  }
  EXPECT_TRUE(actions.contains("share.write")) << r.body;
  EXPECT_TRUE(actions.contains("share.notify")) << r.body;
  // Its grant covers every unit, so a commune's owner finds it among who received its data.
  r = server_->Get("/api/v1/share/exchanges?unit=25459&dataset=dossiers&limit=5");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("DVC-TEST-1"), std::string::npos) << r.body;
  r = server_->Get("/api/v1/share/exchanges?client=he-thong-tthc&format=csv&limit=3");
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("DVC-TEST-1"), std::string::npos) << r.body;
  // The chain still verifies with them.
  std::string out;
  EXPECT_EQ(server_->Pdh("audit verify", &out), 0) << out;
  // The data owner's export on the database file: who received the data of the commune.
  ASSERT_EQ(server_->Pdh("share exchanges --unit 25459 --client he-thong-tthc", &out), 0) << out;
  EXPECT_NE(out.find("seq,at,action,client,dataset,unit,purpose"), std::string::npos) << out;
  EXPECT_NE(out.find("DVC-TEST-1"), std::string::npos) << out;
  ASSERT_EQ(server_->Pdh("share catalog --base-url https://dulieu.tayninh.gov.vn", &out), 0);
  EXPECT_NE(out.find("<https://dulieu.tayninh.gov.vn/dataset/bo-chi-so>"), std::string::npos);
}

TEST_F(ShareApi, CkanClientsAndDcatHarvestersReadTheOpenData) {
  // A client walking the catalogue as `ckanapi dump datasets` does: the list, each package,
  // each package's datastore.
  auto r = server_->Anonymous({"GET", "/api/3/action/package_list", "", {}});
  ASSERT_EQ(r.status, 200) << r.body;
  const auto list = ParseBody(r);
  EXPECT_EQ(list.at("success"), true);
  EXPECT_TRUE(list.at("help").is_string());
  const auto& names = list.at("result").as_array();
  ASSERT_EQ(names.size(), 3U) << r.body;
  for (const auto& name : names) {
    const std::string id(name.as_string());
    r = server_->Anonymous({"POST",
                            "/api/3/action/package_show",
                            R"({"id":")" + id + R"("})",
                            {{"Content-Type", "application/json"}}});
    ASSERT_EQ(r.status, 200) << r.body;
    const auto shown = ParseBody(r);
    const auto& pkg = shown.at("result").as_object();
    EXPECT_EQ(pkg.at("name"), name);
    for (const char* key : {"id", "title", "notes", "license_id", "metadata_modified",
                            "organization", "resources", "tags", "num_resources"}) {
      EXPECT_TRUE(pkg.contains(key)) << id << " lacks " << key;
    }
    std::string resource;
    for (const auto& res : pkg.at("resources").as_array()) {
      if (res.at("datastore_active") == true) resource = std::string(res.at("id").as_string());
    }
    ASSERT_FALSE(resource.empty()) << id;
    r = server_->Anonymous(
        {"GET", "/api/3/action/datastore_search?resource_id=" + resource + "&limit=5", "", {}});
    ASSERT_EQ(r.status, 200) << r.body;
    const auto searched = ParseBody(r);
    const auto& result = searched.at("result").as_object();
    EXPECT_LE(result.at("records").as_array().size(), 5U);
    EXPECT_TRUE(result.at("total").is_int64());
    // No personal field leaves by open data.
    EXPECT_EQ(r.body.find("applicant"), std::string::npos) << r.body.substr(0, 300);
  }
  // A harvester's incremental search, and an unknown package.
  r = server_->Anonymous({"GET",
                          "/api/3/action/"
                          "package_search?fq=metadata_modified:%5B2020-01-01T00:00:00Z%20TO%20*%5D"
                          "&rows=2&start=0&sort=metadata_modified%20desc",
                          "",
                          {}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(ParseBody(r).at("result").at("count"), 3);
  EXPECT_EQ(ParseBody(r).at("result").at("results").as_array().size(), 2U);
  r = server_->Anonymous({"GET", "/api/3/action/package_search?rows=many", "", {}});
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_EQ(ParseBody(r).at("error").at("__type"), "Validation Error");
  EXPECT_TRUE(ParseBody(r).at("error").at("rows").is_array()) << r.body;
  r = server_->Anonymous({"GET", "/api/3/action/package_show?id=khong-co", "", {}});
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(ParseBody(r).at("success"), false);
  EXPECT_EQ(ParseBody(r).at("error").at("__type"), "Not Found Error");

  // DCAT-AP 3: the catalogue and each dataset validate against the SHACL shapes.
  r = server_->Anonymous({"GET", "/catalog.ttl", "", {}});
  ASSERT_EQ(r.status, 200) << r.body;
  const std::string file = server_->dir() + "/catalog.ttl";
  std::ofstream(file) << r.body;
  const std::string validator = std::string(PDH_SOURCE_DIR) + "/web/scripts/validate-dcat.mjs";
  const std::string shapes = std::string(PDH_SHARED_DIR) + "/data/dcat-ap-3.0.1";
  const std::string command =
      "node " + validator + " " + file + " " + shapes + " > " + server_->dir() + "/shacl.txt 2>&1";
  EXPECT_EQ(std::system(command.c_str()), 0)
      << std::ifstream(server_->dir() + "/shacl.txt").rdbuf();
  r = server_->Anonymous({"GET", "/catalog.jsonld", "", {}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NO_THROW(json::parse(r.body));
  r = server_->Anonymous({"GET", "/dataset/bo-chi-so.ttl", "", {}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("dcat:Dataset"), std::string::npos);
  // The portal's downloads, without signing in.
  r = server_->Anonymous(
      {"GET", "/api/v1/open/datasets/ho-so-tthc-theo-thang/datapackage.json", "", {}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(ParseBody(r).at("resources").at(0).at("schema").at("fields").at(3).at("name"), "count");
  r = server_->Anonymous({"GET", "/api/v1/open/datasets/ho-so-tthc-theo-thang/data.csv", "", {}});
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("unit,unit_name,month,count,suppressed"), std::string::npos);

  // A dataset's records published as they are: never a personal field.
  const std::string publication =
      R"({"kind":"records","source":"dossiers","title":"Hồ sơ thủ tục hành chính",)"
      R"("description":"Từng hồ sơ, không có thông tin cá nhân","licence":"CC0-1.0"})";
  r = server_->Request(
      {"PUT", "/api/v1/open/datasets/ho-so", publication, {{"Content-Type", "application/json"}}});
  ASSERT_EQ(r.status, 201) << r.body;
  for (const char* name : {"data.csv", "data.json", "datapackage.json"}) {
    r = server_->Anonymous({"GET", std::string("/api/v1/open/datasets/ho-so/") + name, "", {}});
    ASSERT_EQ(r.status, 200) << name;
    EXPECT_NE(r.body.find("dossier_id"), std::string::npos) << name;
    EXPECT_EQ(r.body.find("applicant"), std::string::npos) << name;
  }
  r = server_->Request({"PUT",
                        "/api/v1/open/datasets/ho-so",
                        R"({"kind":"records","source":"dossiers","title":"t","description":"d",)"
                        R"("licence":"All rights reserved"})",
                        {{"Content-Type", "application/json"}}});
  EXPECT_EQ(r.status, 422) << r.body;
  EXPECT_NE(r.body.find("open.invalid"), std::string::npos);
  r = server_->Request({"DELETE", "/api/v1/open/datasets/ho-so", "", {}});
  EXPECT_EQ(r.status, 200) << r.body;
  r = server_->Anonymous({"GET", "/api/v1/open/datasets/ho-so", "", {}});
  EXPECT_EQ(r.status, 404);
}

// Two hubs on loopback: this province's sends its values to another (a national hub), where it
// is a connected system with a write grant on the index set; sending again changes nothing.
TEST_F(ShareApi, OneHubSendsItsValuesToAnotherOnceAndIdempotently) {
  PdhServer hub("--remind-every 0", FastPdhBin());
  std::string out;
  ASSERT_EQ(hub.Pdh("users add hub-80 --system --role system --unit 80", &out), 0) << out;
  ASSERT_EQ(hub.Pdh("tokens create --name federation --user hub-80", &out), 0) << out;
  const std::string token = out.substr(0, out.find('\n'));
  const HttpRequest client{
      "POST",
      "/api/v1/share/clients",
      R"({"code":"tinh-80","name":"Trung tâm dữ liệu tỉnh Tây Ninh","owner_unit":"80",)"
      R"("contact":"sokhcn@tayninh.gov.vn","account":"hub-80"})",
      {{"Content-Type", "application/json"}}};
  auto r = hub.Request(client);
  ASSERT_EQ(r.status, 201) << r.body;
  // Until it is granted, the other hub refuses the values.
  const HttpRequest target{"PUT",
                           "/api/v1/share/federation",
                           R"({"url":"http://127.0.0.1:)" + std::to_string(hub.port()) +
                               R"(","token":")" + token +
                               R"(","indicators":["DVC_TRUC_TUYEN"],"every_minutes":0})",
                           {{"Content-Type", "application/json"}}};
  r = server_->Request(target);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(ParseBody(r).at("token_set"), true);
  EXPECT_EQ(r.body.find(token), std::string::npos);
  r = server_->Request({"POST", "/api/v1/share/federation/push", "", {}});
  EXPECT_EQ(r.status, 502) << r.body;
  EXPECT_NE(r.body.find("share.no_grant"), std::string::npos) << r.body;
  r = hub.Request({"POST",
                   "/api/v1/share/clients/tinh-80/grants",
                   R"({"dataset":"indicators","purposes":["statistics"],)"
                   R"("legal_basis":"Nghị định 47/2020/NĐ-CP","access":"write"})",
                   {{"Content-Type", "application/json"}}});
  ASSERT_EQ(r.status, 201) << r.body;
  r = server_->Request({"POST", "/api/v1/share/federation/push", "", {}});
  ASSERT_EQ(r.status, 200) << r.body;
  const int64_t sent = ParseBody(r).at("values").as_int64();
  EXPECT_GT(sent, 100);
  r = hub.Get(
      "/api/v1/share/federation/values?source=tinh-80&indicator=DVC_TRUC_TUYEN&limit=50000");
  ASSERT_EQ(r.status, 200) << r.body;
  const auto received = ParseBody(r);
  EXPECT_EQ(static_cast<int64_t>(received.at("items").as_array().size()), sent);
  // Again: the same values, nothing changes at the receiver (not even when it received them).
  r = server_->Request({"POST", "/api/v1/share/federation/push", "", {}});
  ASSERT_EQ(r.status, 200) << r.body;
  r = hub.Get(
      "/api/v1/share/federation/values?source=tinh-80&indicator=DVC_TRUC_TUYEN&limit=50000");
  EXPECT_EQ(ParseBody(r), received);
  r = hub.Get("/api/v1/share/exchanges?client=tinh-80&limit=1");
  ASSERT_EQ(r.status, 200) << r.body;
  const auto last = ParseBody(r);
  ASSERT_EQ(last.at("items").as_array().size(), 1U) << r.body;
  EXPECT_EQ(last.at("items").at(0).at("dataset"), "indicators");
  r = server_->Get("/api/v1/share/federation");
  EXPECT_NE(r.body.find("\"status\\\":\\\"sent\\\""), std::string::npos) << r.body;
}

}  // namespace
}  // namespace pdh::test
