// The index set over HTTP on the demo province: a report of values and a dossier batch change the
// values at once and reach an open event stream; values imported by the CLI reach the server. The
// overview's figures and the values' plain reads: tests/scenarios/index. The public-service pack
// installs over the demo without a change and over a fresh database set up by the CLI alone, and a
// rate whose numerator counts outside its denominator is refused. The indicators' state saved
// between runs: a batch committed and the server killed before it saved the state again is taken
// at the next start, equal to a full build.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <sstream>
#include <string>

#include "integration/event_stream.h"
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

TEST(IndexApi, ReportedValuesAndBatchesReachTheStreamAtOnce) {
  // A stream that asked for the changed cells, and a screen's, which is told what changed.
  EventStream events(Server().port(), Server().admin_token(), "cells=true");
  EventStream screen(Server().port(), Server().admin_token());
  ASSERT_NE(events.WaitFor("event: hello", std::chrono::seconds(60)).find("text/event-stream"),
            std::string::npos);
  ASSERT_NE(screen.WaitFor("event: hello", std::chrono::seconds(60)).find("text/event-stream"),
            std::string::npos);
  // Reported values: the indicator moves, the stream says so.
  auto r = Post(
      "/api/v1/values",
      R"({"values":[{"element":"APP_INSTALLS","unit":"80","period":"2025-10","value":240000}]})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body).at("status"), "committed");
  auto v = Json(Server().Get("/api/v1/values?indicator=APP_INSTALLS&period=2025-10"));
  EXPECT_EQ(Num(v["value"]), 240000);
  const std::string got = events.WaitFor("240000", std::chrono::seconds(60));
  EXPECT_NE(got.find("event: values"), std::string::npos);
  EXPECT_NE(got.find(R"("indicator":"APP_INSTALLS","unit":"80","period":"2025-10","value":240000)"),
            std::string::npos)
      << got;
  const std::string shown = screen.WaitFor(R"("periods":[)", std::chrono::seconds(60));
  EXPECT_NE(shown.find("event: values"), std::string::npos) << shown;
  EXPECT_NE(shown.find(R"("APP_INSTALLS")"), std::string::npos) << shown;
  EXPECT_NE(shown.find(R"("units":["80"])"), std::string::npos) << shown;
  EXPECT_NE(shown.find(R"("2025-10")"), std::string::npos) << shown;
  EXPECT_EQ(shown.find("event: cells"), std::string::npos) << shown;
  EXPECT_EQ(shown.find("240000"), std::string::npos) << shown;
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
  r = Post("/api/v1/datasets/dossiers/batches?format=csv", csv, "text/csv");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body).at("status"), "committed") << r.body;
  const std::string needle =
      R"("indicator":"DVC_TRUC_TUYEN","unit":")" + commune + R"(","period":"2025-11","value":50)";
  // How soon is bench/engine.sh's to measure; on a loaded machine under ASan it takes seconds.
  const std::string after = events.WaitFor(needle, std::chrono::seconds(60));
  EXPECT_NE(after.find(needle), std::string::npos)
      << after.substr(after.size() > 2000 ? after.size() - 2000 : 0);
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
  // The server takes writes of other processes within a second or so (longer on a loaded machine).
  double value = 0;
  for (int i = 0; i < 200 && value != 7; ++i) {
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

HttpResponse Put(const std::string& target, const std::string& body) {
  HttpRequest r;
  r.method = "PUT";
  r.target = target;
  r.body = body;
  r.headers = {{"Content-Type", "application/json"}};
  return Server().Request(r);
}

// A commune of the province, as the demo's figures name it.
std::string SomeCommune() {
  auto kids = Json(Server().Get("/api/v1/values?indicator=DVC_TRUC_TUYEN&children=true"));
  for (const auto& k : kids["children"].as_array()) {
    if (k.at("level") == "commune") return std::string(k.at("code").as_string());
  }
  return {};
}

TEST(IndexApi, PackInstallsAsTheDemoHasItAndChangesNothingTwice) {
  // The demo's pack is the one a province installs: installing it over the demo changes nothing.
  for (int round = 0; round < 2; ++round) {
    auto r = Post("/api/v1/packs/public_services/install", "{}");
    ASSERT_EQ(r.status, 200) << r.body;
    auto done = json::parse(r.body).as_object();
    EXPECT_EQ(done["dataset"], "dossiers");
    EXPECT_TRUE(done["added"].as_array().empty()) << r.body;
    EXPECT_TRUE(done["updated"].as_array().empty()) << r.body;
    EXPECT_EQ(done["unchanged"].as_array().size(), 21U);
    EXPECT_EQ(done["targets"].as_int64(), 14);
  }
  auto fb = Post("/api/v1/packs/feedback_1022/install", R"({"dataset":"feedback_1022"})");
  ASSERT_EQ(fb.status, 200) << fb.body;
  EXPECT_TRUE(json::parse(fb.body).at("updated").as_array().empty()) << fb.body;
  auto unknown = Post("/api/v1/packs/tourism/install", "{}");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_NE(unknown.body.find("pack.not_found"), std::string::npos);
  auto missing = Post("/api/v1/packs/public_services/install", R"({"dataset":"nope"})");
  EXPECT_EQ(missing.status, 404) << missing.body;
  EXPECT_EQ(Post("/api/v1/packs/public_services/install", R"({"unit":"80"})").status, 422);
}

TEST(IndexApi, ARateWhoseNumeratorCountsOutsideItsDenominatorIsRefused) {
  // Digitized dossiers over online ones: the numerator counts dossiers handed in at the counter.
  const std::string bad =
      R"({"code":"TL_SO_HOA_TT","name":"Tỷ lệ số hóa hồ sơ trực tuyến","measure":"%",)"
      R"("numerator":"#{DVC_HS_SO_HOA}","denominator":"#{DVC_HS_TRUC_TUYEN}","factor":100})";
  auto r = Put("/api/v1/indicators/TL_SO_HOA_TT", bad);
  EXPECT_EQ(r.status, 422) << r.body;
  auto problem = json::parse(r.body).as_object();
  EXPECT_EQ(problem["code"], "index.rate_outside_denominator");
  const std::string detail(problem["detail"].as_string());
  EXPECT_NE(detail.find("indicator TL_SO_HOA_TT.numerator"), std::string::npos) << detail;
  EXPECT_NE(detail.find("channel = online"), std::string::npos) << detail;
  EXPECT_EQ(Server().Get("/api/v1/indicators/TL_SO_HOA_TT").status, 404);
  // The online payment copy the demo used to install, sent as an index set: refused too.
  const std::string old_copy =
      R"({"elements":[{"code":"DVC_HS_THANH_TOAN_TT","name":"Số hồ sơ thanh toán trực tuyến",)"
      R"("sector":"public_administration","measure":"hồ sơ","rule":{"dataset":"dossiers",)"
      R"("filters":[{"field":"fee","op":">","values":["0"]},)"
      R"({"field":"paid_online","op":"=","values":["true"]}]}}]})";
  r = Post("/api/v1/index-set", old_copy);
  EXPECT_EQ(r.status, 422) << r.body;
  EXPECT_NE(r.body.find("DVC_THANH_TOAN_TT.numerator"), std::string::npos) << r.body;
}

// A province set up through the CLI alone, in DIR: units, the dossiers dataset, the pack.
std::string FreshProvince(const std::string& dir) {
  const std::string on = " --db " + dir + "/pdh.db";
  std::string out;
  EXPECT_EQ(RunPdh("units import" + on, &out), 0) << out;
  EXPECT_EQ(RunPdh("datasets create --template dossiers" + on, &out), 0) << out;
  return on;
}

void WriteFile(const std::string& path, const std::string& text) {
  FILE* f = std::fopen(path.c_str(), "w");
  ASSERT_NE(f, nullptr) << path;
  std::fputs(text.c_str(), f);
  std::fclose(f);
}

// `pdh indicators dump`: "indicator,unit,period" -> value.
std::map<std::string, double> Dump(const std::string& on) {
  std::string out;
  EXPECT_EQ(RunPdh("indicators dump" + on, &out), 0) << out;
  std::map<std::string, double> values;
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);) {
    const size_t cut = line.rfind(',');
    if (cut == std::string::npos || line.starts_with("indicator,")) continue;
    values[line.substr(0, cut)] = std::stod(line.substr(cut + 1));
  }
  return values;
}

// October 2025 at one commune: two dossiers submitted online with a fee (one paid online), two
// handed in at the counter with a fee and paid online, one without a fee. Each row: id, day,
// channel, fee in đồng, paid online; as a commune's office writes them (Vietnamese headings,
// labels, dates and amounts: "50.000") or as pdh writes them.
struct OctoberDossier {
  const char* id;
  int day;
  bool online;
  const char* fee_vi;
  const char* fee;
  bool paid_online;
};
constexpr OctoberDossier kOctober[] = {{"HS1", 6, true, "50.000", "50000", true},
                                       {"HS2", 7, true, "50.000", "50000", false},
                                       {"HS3", 8, false, "50.000", "50000", true},
                                       {"HS4", 9, false, "20.000", "20000", true},
                                       {"HS5", 10, false, "0", "0", false}};

// The October rows as a commune's office writes them (`office`) or as pdh writes them.
std::string OctoberFile(const std::string& commune, bool office) {
  std::string csv =
      office ? "Mã hồ sơ,Đơn vị tiếp nhận,Mã thủ tục,Thời điểm tiếp nhận,Kênh nộp,"
               "\"Phí, lệ phí (đồng)\",Thanh toán trực tuyến,Trạng thái\n"
             : "dossier_id,receiving_unit,procedure_code,received_at,channel,fee,paid_online,"
               "status\n";
  for (const OctoberDossier& d : kOctober) {
    char when[32];
    std::snprintf(when, sizeof when, office ? "%02d/10/2025 08:00" : "2025-10-%02dT08:00:00",
                  d.day);
    csv += std::string(d.id) + "," + commune + ",1.001193," + when + ",";
    if (office) {
      csv += std::string(d.online ? "Trực tuyến" : "Trực tiếp") + "," + d.fee_vi + "," +
             (d.paid_online ? "Có" : "Không") + ",Đã hoàn thành\n";
    } else {
      csv += std::string(d.online ? "online" : "direct") + "," + d.fee + "," +
             (d.paid_online ? "true" : "false") + ",completed\n";
    }
  }
  return csv;
}

TEST(IndexApi, AFreshDatabaseSetUpByTheCliComputesRatesUpTo100) {
  const std::string commune = SomeCommune();
  ASSERT_FALSE(commune.empty());
  const std::string dir = Server().dir() + "/fresh";
  const std::string on = FreshProvince(dir);
  std::string out;
  ASSERT_EQ(RunPdh("indicators packs install public_services --json" + on, &out), 0) << out;
  auto done = json::parse(out).as_object();
  EXPECT_EQ(done["dataset"], "dossiers");
  EXPECT_EQ(done["added"].as_array().size(), 21U) << out;
  EXPECT_EQ(done["targets"].as_int64(), 14);
  ASSERT_EQ(RunPdh("indicators packs install public_services --json" + on, &out), 0) << out;
  EXPECT_TRUE(json::parse(out).at("added").as_array().empty()) << out;
  EXPECT_EQ(json::parse(out).at("unchanged").as_array().size(), 21U) << out;
  // No feedback dataset yet: the pack says what to create.
  EXPECT_EQ(RunPdh("indicators packs install feedback_1022" + on, &out), 2);
  const std::string file = dir + "/ho-so-10-2025.csv";
  WriteFile(file, OctoberFile(commune, true));
  ASSERT_EQ(RunPdh("ingest dossiers " + file + " --no-progress" + on, &out), 0) << out;
  auto values = Dump(on);
  for (const auto& [key, value] : values) EXPECT_LE(value, 100) << key;
  for (const std::string& unit : {commune, std::string("80")}) {
    EXPECT_EQ(values["DVC_THANH_TOAN_TT," + unit + ",2025-10"], 50) << unit;
    EXPECT_EQ(values["DVC_TRUC_TUYEN," + unit + ",2025-10"], 40) << unit;
  }

  // The same rows in pdh's own format, into a second province set up the same way: the same
  // value of every indicator, and the fees stored in đồng in both.
  const std::string own_dir = Server().dir() + "/fresh-own";
  const std::string own_on = FreshProvince(own_dir);
  ASSERT_EQ(RunPdh("indicators packs install public_services" + own_on, &out), 0) << out;
  WriteFile(own_dir + "/dossiers.csv", OctoberFile(commune, false));
  ASSERT_EQ(RunPdh("ingest dossiers " + own_dir + "/dossiers.csv --no-progress" + own_on, &out), 0)
      << out;
  EXPECT_EQ(Dump(own_on), values);
  for (const std::string& where : {on, own_on}) {
    ASSERT_EQ(RunPdh("datasets records dossiers --json" + where, &out), 0) << out;
    std::map<std::string, double> fees;
    const json::value records = json::parse(out);
    for (const auto& r : records.at("items").as_array()) {
      fees[std::string(r.at("dossier_id").as_string())] = r.at("fee").to_number<double>();
    }
    const std::map<std::string, double> expected{
        {"HS1", 50000}, {"HS2", 50000}, {"HS3", 50000}, {"HS4", 20000}, {"HS5", 0}};
    EXPECT_EQ(fees, expected) << where;
  }
}

TEST(EngineState, ABatchThenKillNineBeforeTheSaveIsTakenAtTheNextStart) {
  // The demo database holds the state `pdh demo` saved; the server saves again only hourly here.
  PdhServer server("--save-state-every 3600 --verify-state-after -1", FastPdhBin());
  const std::string values = "/api/v1/values?indicator=DVC_TRUC_TUYEN&unit=80&period=2026-01";
  const HttpResponse before = server.Get(values);
  ASSERT_EQ(before.status, 200) << before.body;
  HttpRequest batch{"POST",
                    "/api/v1/datasets/dossiers/batches?format=csv",
                    "dossier_id,receiving_unit,procedure_code,received_at,channel,status\n"
                    "KILL-1,80.SYT,TT01,2026-01-05 08:00,Trực tuyến,Đang xử lý\n"
                    "KILL-2,80.SYT,TT01,2026-01-06 08:00,Trực tiếp,Đang xử lý\n",
                    {{"Content-Type", "text/csv"}}};
  const HttpResponse posted = server.Request(batch);
  ASSERT_EQ(posted.status, 200) << posted.body;
  const HttpResponse after = server.Get(values);
  ASSERT_EQ(after.status, 200) << after.body;
  ASSERT_NE(after.body, before.body);
  server.Kill();
  // The saved state is older than the batch: loading it takes the batch, and the result is what
  // a full build from the records gives, cell for cell.
  std::string out;
  ASSERT_EQ(RunFastPdh("indicators verify --json --db " + server.db(), &out), 0) << out;
  const auto v = json::parse(out).as_object();
  EXPECT_TRUE(v.at("loaded").as_bool()) << out;
  EXPECT_EQ(v.at("taken_since_save").to_number<int64_t>(), 2) << out;
  EXPECT_GT(v.at("cells").to_number<int64_t>(), 1000000) << out;
  EXPECT_EQ(v.at("differing").to_number<int64_t>(), 0) << out;
  // A record changed behind the saved state's back (no batch says so): the state loaded is no
  // longer what a full build gives, and verify names the cells and fails.
  const std::string sql =
      "UPDATE ds_dossiers SET channel = 'Trực tiếp' WHERE dossier_id = 'KILL-1'";
  ASSERT_EQ(RunFastPdh("indicators recompute --db " + server.db(), &out), 0) << out;
  ASSERT_TRUE(TamperWith(server.db(), sql));
  EXPECT_NE(RunFastPdh("indicators verify --db " + server.db(), &out), 0) << out;
  EXPECT_NE(out.find("engine.state_differs"), std::string::npos) << out;
  EXPECT_NE(out.find("element DVC_HS_TRUC_TUYEN 80.SYT 2026-01: 1 held, 0 rebuilt"),
            std::string::npos)
      << out;
  // recompute builds it again from the records and saves it.
  ASSERT_EQ(RunFastPdh("indicators recompute --db " + server.db(), &out), 0) << out;
  ASSERT_EQ(RunFastPdh("indicators verify --db " + server.db(), &out), 0) << out;
  EXPECT_NE(out.find("equal to a full build"), std::string::npos) << out;
}

}  // namespace
}  // namespace pdh::test
