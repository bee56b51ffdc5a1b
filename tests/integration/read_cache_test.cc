// The IOC's reads are kept from one change of the data to the next: the same answer and tag
// until a commit changes what they read (a unit, a catalog entry, a batch, another process's
// write), kept apart per reader's access, answered 304 to a client that has them, and gzipped
// for a client that takes it. Against the server of the matrices (the optimized pdh, a database
// of its own), as the writes here change figures the scenarios check on the shared one.
#include <gtest/gtest.h>
#include <zlib.h>

#include <boost/json.hpp>

#include <chrono>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "core/date.h"
#include "integration/pdh_server.h"

namespace pdh::test {
namespace {

namespace json = boost::json;
using Headers = std::vector<std::pair<std::string, std::string>>;

HttpResponse Fetch(const std::string& target, Headers headers = {}) {
  return MatrixServer().Request({"GET", target, "", std::move(headers)});
}

// A read of the suite's sanitized server, for the tests that write nothing.
HttpResponse FetchShared(const std::string& target) {
  return SharedServer().Request({"GET", target, "", {}});
}

HttpResponse Write(const std::string& method, const std::string& target, const std::string& body,
                   const std::string& content_type = "application/json") {
  return MatrixServer().Request({method, target, body, {{"Content-Type", content_type}}});
}

std::string Gunzip(const std::string& in) {
  z_stream z{};
  EXPECT_EQ(inflateInit2(&z, 15 + 16), Z_OK);
  std::string out(in.size() * 20 + 1024, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(inflate(&z, Z_FINISH), Z_STREAM_END);
  out.resize(z.total_out);
  inflateEnd(&z);
  return out;
}

// Waits (a few seconds at most) until `target` answers something other than `before`.
HttpResponse ChangedFrom(const std::string& target, const std::string& before) {
  HttpResponse r = Fetch(target);
  for (int i = 0; i < 100 && r.body == before; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    r = Fetch(target);
  }
  return r;
}

TEST(ReadCache, TheSameAnswerAndTagUntilAUnitIsAdded) {
  const std::string target = "/api/v1/units/80/children?limit=500";
  const HttpResponse first = Fetch(target);
  ASSERT_EQ(first.status, 200) << first.body;
  const std::string etag = first.Header("etag");
  ASSERT_FALSE(etag.empty());
  EXPECT_EQ(first.Header("cache-control"), "private, no-cache");
  const HttpResponse again = Fetch(target);
  EXPECT_EQ(again.body, first.body);
  EXPECT_EQ(again.Header("etag"), etag);
  // A client that has it is told so.
  const HttpResponse same = Fetch(target, {{"If-None-Match", etag}});
  EXPECT_EQ(same.status, 304);
  EXPECT_TRUE(same.body.empty());
  // Gzip for a client that takes it: its own tag, the same document.
  const HttpResponse gz = Fetch(target, {{"Accept-Encoding", "gzip, deflate, br"}});
  EXPECT_EQ(gz.Header("content-encoding"), "gzip");
  EXPECT_EQ(gz.Header("vary"), "Accept-Encoding");
  EXPECT_LT(gz.body.size(), first.body.size() / 3);
  EXPECT_EQ(Gunzip(gz.body), first.body);
  const std::string gz_tag = gz.Header("etag");
  EXPECT_NE(gz_tag, etag);
  EXPECT_EQ(Fetch(target, {{"Accept-Encoding", "gzip"}, {"If-None-Match", gz_tag}}).status, 304);

  // A new agency is among the children at once, under a new tag.
  const HttpResponse added =
      Write("POST", "/api/v1/units",
            R"({"code":"80.SCACHE","name":"Sở Thử nghiệm bộ nhớ đệm tỉnh Tây Ninh","type":"Sở"})");
  ASSERT_EQ(added.status, 201) << added.body;
  const HttpResponse after = Fetch(target, {{"If-None-Match", etag}});
  EXPECT_EQ(after.status, 200);
  EXPECT_NE(after.Header("etag"), etag);
  EXPECT_NE(after.body.find("80.SCACHE"), std::string::npos);
}

TEST(ReadCache, ACatalogEntryChangesTheSummary) {
  // As of today: an entry added now is not in the figures of the demo's IOC date (31/10/2025).
  const std::string target = "/api/v1/catalog/summary?as_of=" + Date::Today().ToString();
  const HttpResponse before = Fetch(target);
  ASSERT_EQ(before.status, 200) << before.body;
  const int64_t total = json::parse(before.body).at("total").at("databases").as_int64();
  EXPECT_EQ(Fetch(target).body, before.body);
  const HttpResponse added = Write(
      "POST", "/api/v1/catalog/entries",
      R"({"kind":"database","code":"CACHE-01","name":"Cơ sở dữ liệu thử nghiệm","sector":"Y tế",
          "owner":"80.SYT","status":"planned"})");
  ASSERT_EQ(added.status, 201) << added.body;
  const HttpResponse after = Fetch(target);
  EXPECT_EQ(json::parse(after.body).at("total").at("databases").as_int64(), total + 1)
      << after.body.substr(0, 300);
}

TEST(ReadCache, ABatchChangesTheValuesAndTheDatasets) {
  const std::string list = "/api/v1/datasets";
  const HttpResponse datasets = Fetch(list);
  ASSERT_EQ(datasets.status, 200);
  const std::string values = "/api/v1/values?indicator=DVC_TRUC_TUYEN&unit=80&period=2026-01";
  const HttpResponse before = Fetch(values);
  ASSERT_EQ(before.status, 200) << before.body;
  const HttpResponse batch =
      Write("POST", "/api/v1/datasets/dossiers/batches?format=csv",
            "dossier_id,receiving_unit,procedure_code,received_at,channel,"
            "status\nCACHE-1,80.SYT,TT01,2026-01-05 08:00,Trực tuyến,Đang xử lý\n",
            "text/csv");
  ASSERT_EQ(batch.status, 200) << batch.body;
  const HttpResponse after = Fetch(values);
  EXPECT_NE(after.body, before.body);
  EXPECT_NE(Fetch(list).Header("etag"), datasets.Header("etag"));
}

TEST(ReadCache, AnotherProcesssWriteIsSeen) {
  // pdh values import writes into the database file the server reads: no request of the
  // server's own changes the data, and the kept answer goes all the same.
  const std::string target = "/api/v1/values?indicator=DN_KHOI_NGHIEP&unit=80&period=2025-09";
  const HttpResponse before = Fetch(target);
  ASSERT_EQ(before.status, 200) << before.body;
  const std::string file = MatrixServer().dir() + "/cache-values.csv";
  {
    FILE* f = std::fopen(file.c_str(), "w");
    ASSERT_NE(f, nullptr);
    std::fputs("Mã chỉ tiêu,Đơn vị,Kỳ,Giá trị\nDN_KHOI_NGHIEP,80,09/2025,12345\n", f);
    std::fclose(f);
  }
  std::string out;
  ASSERT_EQ(MatrixServer().Pdh("values import " + file, &out), 0) << out;
  const HttpResponse after = ChangedFrom(target, before.body);
  EXPECT_NE(after.body.find("12345"), std::string::npos) << after.body;
}

TEST(ReadCache, EachReaderSeesWhatHisAccessAllows) {
  // The leader's answer is kept first; the officer of one department asks the same question.
  std::string out;
  ASSERT_EQ(MatrixServer().Pdh("users add cache_officer --password correct-horse-battery-staple "
                               "--role officer --unit 80.SYT"),
            0);
  ASSERT_EQ(MatrixServer().Pdh("tokens create --user cache_officer", &out), 0) << out;
  const std::string officer = out.substr(0, out.find('\n'));
  const std::string target = "/api/v1/quality/scoreboard?as_of=2025-10-31";
  const HttpResponse all = Fetch(target);
  ASSERT_EQ(all.status, 200) << all.body.substr(0, 300);
  const HttpResponse own = Fetch(target, {{"Authorization", "Bearer " + officer}});
  ASSERT_EQ(own.status, 200) << own.body.substr(0, 300);
  EXPECT_NE(own.body, all.body);
  EXPECT_LT(json::parse(own.body).at("units").as_array().size(),
            json::parse(all.body).at("units").as_array().size());
}

TEST(ReadCache, LongListsComeInPagesOfTheFieldsAsked) {
  const std::string base = "/api/v1/indicators?as_of=2025-10-31";
  const json::value all = json::parse(FetchShared(base).body);
  const json::array& every = all.at("items").as_array();
  ASSERT_GT(every.size(), 20u);
  const HttpResponse first = FetchShared(base + "&fields=code,status&limit=10");
  ASSERT_EQ(first.status, 200) << first.body;
  const json::value page = json::parse(first.body);
  const json::array& items = page.at("items").as_array();
  ASSERT_EQ(items.size(), 10u);
  for (size_t i = 0; i < items.size(); ++i) {
    EXPECT_EQ(items[i].as_object().size(), 2u) << json::serialize(items[i]);
    EXPECT_EQ(items[i].at("code"), every[i].at("code"));
    EXPECT_EQ(items[i].at("status"), every[i].at("status"));
  }
  EXPECT_EQ(page.at("next_cursor"), "10");
  EXPECT_EQ(page.at("total"), all.at("total"));  // the whole list's figures stay
  const json::value second =
      json::parse(FetchShared(base + "&fields=code&limit=10&cursor=10").body);
  EXPECT_EQ(second.at("items").at(0).at("code"), every[10].at("code"));
  const json::value last = json::parse(
      FetchShared(base + "&limit=1000&cursor=" + std::to_string(every.size() - 3)).body);
  EXPECT_EQ(last.at("items").as_array().size(), 3u);
  EXPECT_TRUE(last.at("next_cursor").is_null());
  EXPECT_EQ(last.at("items").at(0), every[every.size() - 3]);  // every field without ?fields=
  EXPECT_EQ(Code(FetchShared(base + "&limit=10&cursor=ten")), "request.invalid_cursor");
  EXPECT_EQ(Code(FetchShared(base + "&limit=0")), "request.invalid_limit");
}

}  // namespace
}  // namespace pdh::test
