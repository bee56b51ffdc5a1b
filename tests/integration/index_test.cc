// The index set over HTTP on the demo province: the overview as of 2025-10-31 carries every figure
// of the October 2025 report; values by unit and period with children and series; a report of
// values and a dossier batch change the values at once and reach an open event stream.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <chrono>
#include <map>
#include <string>

#include "integration/pdh_server.h"

namespace pdh::test {
namespace {

namespace json = boost::json;

// A demo province of its own: the other suites' batches change the shared one's 2025 figures.
PdhServer& Server() {
  static PdhServer server;  // stopped and removed at exit
  return server;
}

json::object Json(const HttpResponse& r) {
  EXPECT_EQ(r.status, 200) << r.body;
  return json::parse(r.body).as_object();
}

double Num(const json::value& v) {
  return v.to_number<double>();
}

HttpResponse Post(const std::string& target, const std::string& body,
                  const std::string& type = "application/json") {
  HttpRequest r;
  r.method = "POST";
  r.target = target;
  r.body = body;
  r.headers = {{"Content-Type", type}};
  return Server().Request(r);
}

TEST(IndexApi, OverviewOfTheDemoCarriesTheReportsFigures) {
  auto o = Json(Server().Get("/api/v1/overview?as_of=2025-10-31"));
  EXPECT_EQ(o["as_of"], "2025-10-31");
  std::map<std::string, json::object> f;
  for (const auto& x : o["figures"].as_array())
    f[std::string(x.at("key").as_string())] = x.as_object();
  auto part = [&](const std::string& key, const std::string& name) {
    for (const auto& p : f[key]["parts"].as_array()) {
      if (p.at("key").as_string() == name) return Num(p.at("value"));
    }
    return -1.0;
  };
  EXPECT_EQ(Num(f["nq57_tasks"]["value"]), 166);
  EXPECT_EQ(part("nq57_tasks", "completed"), 90);
  EXPECT_EQ(part("nq57_tasks", "in_progress"), 76);
  EXPECT_EQ(Num(f["ubnd_targets"]["value"]), 53);
  EXPECT_EQ(part("ubnd_targets", "completed"), 32);
  EXPECT_DOUBLE_EQ(Num(f["ubnd_targets"]["percent"]), 60.38);
  EXPECT_EQ(Num(f["ubnd_tasks"]["value"]), 235);
  EXPECT_EQ(part("ubnd_tasks", "completed"), 88);
  EXPECT_DOUBLE_EQ(Num(f["ubnd_tasks"]["percent"]), 37.45);
  EXPECT_EQ(Num(f["platforms"]["value"]), 35);
  EXPECT_EQ(Num(f["databases"]["value"]), 112);
  EXPECT_EQ(part("databases", "in_use"), 69);
  EXPECT_EQ(part("databases", "merged"), 35);
  EXPECT_EQ(part("databases", "not_merged"), 34);
  EXPECT_EQ(part("databases", "under_construction"), 43);
  EXPECT_EQ(Num(f["indicators_updated"]["value"]), 602);
  EXPECT_EQ(Num(f["indicators_updated"]["total"]), 957);
  EXPECT_EQ(Num(f["national_databases"]["value"]), 13);
  EXPECT_EQ(Num(f["national_databases"]["total"]), 16);
  EXPECT_NEAR(Num(f["online_submission"]["value"]), 99.6, 0.005);
  EXPECT_NEAR(Num(f["online_payment"]["value"]), 99.73, 0.005);
  EXPECT_NEAR(Num(f["digitized"]["value"]), 99.65, 0.005);
  EXPECT_NEAR(Num(f["satisfaction"]["value"]), 99, 0.005);
  EXPECT_EQ(f["online_submission"]["status"], "green");
  EXPECT_EQ(f["online_submission"]["trend"].as_array().size(), 12U);
  EXPECT_EQ(Num(f["app_installs"]["value"]), 237000);
  EXPECT_EQ(Num(f["st_enterprises"]["value"]), 26);
  EXPECT_EQ(Num(f["startups"]["value"]), 6);
  EXPECT_EQ(Num(f["digital_enterprises"]["value"]), 540);
  EXPECT_EQ(part("digital_enterprises", "employees"), 5700);
  // The demo sets its reference date: the same figures without as_of.
  auto plain = Json(Server().Get("/api/v1/overview"));
  EXPECT_EQ(plain["as_of"], "2025-10-31");
  // The freshness board agrees.
  auto fresh = Json(Server().Get("/api/v1/freshness?as_of=2025-10-31"));
  EXPECT_EQ(Num(fresh["updated"]), 602);
  EXPECT_EQ(Num(fresh["total"]), 957);
  EXPECT_FALSE(fresh["units"].as_array().empty());
}

TEST(IndexApi, ValuesWithChildrenSeriesAndErrors) {
  auto v = Json(Server().Get(
      "/api/v1/values?indicator=DVC_TRUC_TUYEN&period=2025-10YTD&children=true&series=6"));
  EXPECT_EQ(v["unit"].at("code"), "80");
  EXPECT_NEAR(Num(v["value"]), 99.6, 0.005);
  const auto& kids = v["children"].as_array();
  EXPECT_GT(kids.size(), 96U);  // the communes and the departments
  EXPECT_EQ(v["series"].as_array().size(), 6U);
  auto list = Json(Server().Get("/api/v1/indicators?q=hai%20long&pack=public_services"));
  ASSERT_FALSE(list["items"].as_array().empty());
  EXPECT_EQ(list["items"].as_array()[0].at("code"), "DVC_HAI_LONG");
  EXPECT_EQ(Server().Get("/api/v1/values?indicator=NOPE").status, 404);
  EXPECT_EQ(Server().Get("/api/v1/values?indicator=DVC_SO_HOA&period=2025W1").status, 400);
  auto check = Post("/api/v1/indicators/check", R"({"expression":"#{DVC_HS_TONG} / (2"})");
  EXPECT_EQ(check.status, 200);
  EXPECT_EQ(json::parse(check.body).at("ok"), false);
  EXPECT_NE(check.body.find("at "), std::string::npos);
}

// A raw event-stream reader on the loopback.
class EventStream {
 public:
  explicit EventStream(const std::string& token) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(Server().port()));
    ::inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    EXPECT_EQ(::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    const std::string req =
        "GET /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token +
        "\r\nAccept: text/event-stream\r\n\r\n";
    EXPECT_EQ(::send(fd_, req.data(), req.size(), 0), static_cast<ssize_t>(req.size()));
  }
  ~EventStream() { ::close(fd_); }
  EventStream(const EventStream&) = delete;
  EventStream& operator=(const EventStream&) = delete;

  // Reads until `needle` has arrived or the time is up; returns what came.
  std::string WaitFor(const std::string& needle, std::chrono::seconds limit) {
    const auto end = std::chrono::steady_clock::now() + limit;
    while (got_.find(needle) == std::string::npos && std::chrono::steady_clock::now() < end) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 200) <= 0) continue;
      char buf[65536];
      const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) break;
      got_.append(buf, static_cast<size_t>(n));
    }
    return got_;
  }

 private:
  int fd_ = -1;
  std::string got_;
};

TEST(IndexApi, ReportedValuesAndBatchesReachTheStreamAtOnce) {
  EventStream events(Server().admin_token());
  ASSERT_NE(events.WaitFor("event: hello", std::chrono::seconds(10)).find("text/event-stream"),
            std::string::npos);
  // Reported values: the indicator moves, the stream says so.
  auto r = Post(
      "/api/v1/values",
      R"({"values":[{"element":"APP_INSTALLS","unit":"80","period":"2025-10","value":240000}]})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body).at("status"), "committed");
  auto v = Json(Server().Get("/api/v1/values?indicator=APP_INSTALLS&period=2025-10"));
  EXPECT_EQ(Num(v["value"]), 240000);
  const std::string got = events.WaitFor("240000", std::chrono::seconds(10));
  EXPECT_NE(got.find("event: values"), std::string::npos);
  EXPECT_NE(got.find(R"("indicator":"APP_INSTALLS","unit":"80","period":"2025-10","value":240000)"),
            std::string::npos)
      << got;
  // DHIS2 dataValueSets, and a bad value that rejects the report.
  r = Post(
      "/api/v1/values?format=dhis2",
      R"({"dataValues":[{"dataElement":"DN_KHCN","period":"202510","orgUnit":"80","value":"27"}]})");
  EXPECT_EQ(r.status, 200) << r.body;
  r = Post("/api/v1/values",
           R"({"values":[{"element":"NOPE","unit":"80","period":"2025-10","value":1}]})");
  EXPECT_EQ(r.status, 422);
  EXPECT_NE(r.body.find("value.unknown_element"), std::string::npos);
  // A dossier batch: the commune's online rate for November 2025 appears on the stream.
  auto kids = Json(Server().Get("/api/v1/values?indicator=DVC_TRUC_TUYEN&children=true"));
  std::string commune;
  for (const auto& k : kids["children"].as_array()) {
    if (k.at("level") == "commune") {
      commune = std::string(k.at("code").as_string());
      break;
    }
  }
  ASSERT_FALSE(commune.empty());
  std::string csv =
      "dossier_id,receiving_unit,procedure_code,received_at,channel,status\n"
      "LIVE-1," +
      commune +
      ",TT01,2025-11-03 08:00,Trực tuyến,Đang xử lý\n"
      "LIVE-2," +
      commune + ",TT01,2025-11-03 09:00,Trực tiếp,Đang xử lý\n";
  const auto start = std::chrono::steady_clock::now();
  r = Post("/api/v1/datasets/dossiers/batches?format=csv", csv, "text/csv");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body).at("status"), "committed") << r.body;
  const std::string needle =
      R"("indicator":"DVC_TRUC_TUYEN","unit":")" + commune + R"(","period":"2025-11","value":50)";
  const std::string after = events.WaitFor(needle, std::chrono::seconds(10));
  EXPECT_NE(after.find(needle), std::string::npos)
      << after.substr(after.size() > 2000 ? after.size() - 2000 : 0);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
  v = Json(
      Server().Get("/api/v1/values?indicator=DVC_TRUC_TUYEN&unit=" + commune + "&period=2025-11"));
  EXPECT_EQ(Num(v["value"]), 50);
}

TEST(IndexApi, CliImportsValuesTheServerPicksUp) {
  const std::string file = Server().dir() + "/values.csv";
  {
    FILE* f = std::fopen(file.c_str(), "w");
    ASSERT_NE(f, nullptr);
    std::fputs("Mã chỉ tiêu,Đơn vị,Kỳ,Giá trị\nDN_KHOI_NGHIEP,80,10/2025,7\n", f);
    std::fclose(f);
  }
  std::string out;
  EXPECT_EQ(Server().Pdh("values import " + file, &out), 0) << out;
  // The server takes writes of other processes within a second or so.
  double value = 0;
  for (int i = 0; i < 50 && value != 7; ++i) {
    auto v = Json(Server().Get("/api/v1/values?indicator=DN_KHOI_NGHIEP&period=2025-10"));
    value = Num(v["value"]);
    if (value != 7) ::usleep(100000);
  }
  EXPECT_EQ(value, 7);
  const std::string bad = Server().dir() + "/bad.csv";
  {
    FILE* f = std::fopen(bad.c_str(), "w");
    std::fputs("element,unit,period,value\nNOPE,80,2025-10,1\n", f);
    std::fclose(f);
  }
  EXPECT_EQ(Server().Pdh("values import " + bad, &out), 2);
}

}  // namespace
}  // namespace pdh::test
