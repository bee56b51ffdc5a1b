// Consolidation projects: mapping and its preview, bad definitions, survivorship, stable
// clusters, and the demo's two registers run, reviewed, matched incrementally and committed.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/json_util.h"
#include "ingest/test_support.h"
#include "link/link.h"

namespace pdh::link {
namespace {
namespace json = boost::json;

constexpr const char* kHubAt = "2025-11-15T01:00:00Z";

class LinkHubTest : public ingest::testing::IngestTest {
 protected:
  Hub MakeHub() {
    auto reg = *registry_;
    return Hub(store().link(), datasets(), [reg] { return reg; });
  }

  // A small source dataset from CSV text.
  void Source(const std::string& code, const std::string& schema, const std::string& csv) {
    auto parsed = ingest::ParseSchema(json_util::Parse(schema));
    ASSERT_TRUE(parsed) << parsed.error().message;
    ingest::NewDataset nd;
    nd.code = code;
    nd.title = code;
    nd.schema = *parsed;
    auto d = ingest::CreateDataset(datasets(), registry(), nd, "test", kHubAt);
    ASSERT_TRUE(d) << d.error().message;
    auto r = Send(*d, csv);
    ASSERT_TRUE(r) << r.error().message;
    ASSERT_EQ(r->status, "committed");
  }
};

constexpr const char* kSchemaA = R"({"fields":[{"name":"ma","type":"string"},
  {"name":"ho_ten","type":"string"},{"name":"ngay_sinh","type":"string"},
  {"name":"ma_xa","type":"string"},{"name":"loai","type":"string"}],"primaryKey":["ma"]})";
constexpr const char* kSchemaB = R"({"fields":[{"name":"so","type":"string"},
  {"name":"ho","type":"string"},{"name":"ten_dem","type":"string"},{"name":"ten","type":"string"},
  {"name":"ngay_sinh","type":"date"},{"name":"xa","type":"string"}],"primaryKey":["so"]})";

json::value SmallProject() {
  return json_util::Parse(R"j({"code":"thu","title":"Thử","target":"thu_hop_nhat",
    "fields":[{"name":"ho_ten","kind":"full_name"},{"name":"ho","kind":"name","compare":false},
              {"name":"ten","kind":"name","compare":false},{"name":"ngay_sinh","kind":"date"},
              {"name":"ma_xa","kind":"commune"},{"name":"loai","kind":"code","compare":false}],
    "sources":[{"dataset":"a_cu","label":"A (cũ)","id":"ma","mapping":[
        {"field":"ho_ten","from":"ho_ten"},{"field":"ho","from":"ho_ten","op":"family"},
        {"field":"ten","from":"ho_ten","op":"given"},
        {"field":"ngay_sinh","from":"ngay_sinh","op":"date","format":"dd/mm/yyyy"},
        {"field":"ma_xa","from":"ma_xa","op":"unit"},
        {"field":"loai","from":"loai","op":"map","values":{"TB":"thuong_binh","LS":"liet_si"}}]},
      {"dataset":"b_cu","label":"B (cũ)","id":"so","mapping":[
        {"field":"ho_ten","from":["ho","ten_dem","ten"],"op":"concat"},
        {"field":"ngay_sinh","from":"ngay_sinh"},{"field":"ma_xa","from":"xa","op":"unit"}]}]
})j");
}

TEST_F(LinkHubTest, MappingPreviewAndBadDefinitions) {
  Source("a_cu", kSchemaA,
         "ma,ho_ten,ngay_sinh,ma_xa,loai\n"
         "A1,Nguyễn Văn An,05/03/1960,27697,TB\n"
         "A2,Trần Thị Bích Hoà,31/02/1970,27694,XX\n");
  Source("b_cu", kSchemaB,
         "so,ho,ten_dem,ten,ngay_sinh,xa\n"
         "B1,Nguyễn,Văn,An,1960-03-05,\n");
  Hub hub = MakeHub();
  auto preview = hub.Preview(SmallProject(), 5);
  ASSERT_TRUE(preview) << preview.error().message;
  const auto& a = preview->at("sources").as_array()[0].as_object();
  EXPECT_EQ(a.at("records").as_int64(), 2);
  const auto& row1 = a.at("rows").as_array()[0].as_object();
  const auto& mapped = row1.at("mapped").as_object();
  EXPECT_EQ(row1.at("key").as_string(), "a_cu:A1");
  EXPECT_EQ(mapped.at("ho").as_string(), "Nguyễn");
  EXPECT_EQ(mapped.at("ten").as_string(), "An");
  EXPECT_EQ(mapped.at("ngay_sinh").as_string(), "1960-03-05");
  EXPECT_EQ(mapped.at("loai").as_string(), "thuong_binh");
  // 27697 (Phường 3, old Long An) went whole into Phường Long An, 27694.
  EXPECT_EQ(mapped.at("ma_xa").as_string(), "27694");
  const auto& row2 = a.at("rows").as_array()[1].as_object();
  std::set<std::string> codes;
  for (const auto& p : row2.at("problems").as_array()) {
    codes.insert(std::string(p.as_object().at("code").as_string()));
  }
  EXPECT_EQ(codes, (std::set<std::string>{"link.bad_date", "link.unmapped_value"}));
  const auto& b = preview->at("sources").as_array()[1].as_object();
  EXPECT_EQ(b.at("rows").as_array()[0].as_object().at("mapped").as_object().at("ho_ten"),
            "Nguyễn Văn An");

  // A mapping to a column the source does not have, to a field the target does not have, an
  // unknown operation.
  json::value missing = SmallProject();
  missing.as_object()["sources"].as_array()[1].as_object()["mapping"].as_array()[0] =
      json::object{{"field", "ho_ten"}, {"from", "ho_va_ten"}};
  auto e1 = hub.Create(missing, "test", kHubAt);
  ASSERT_FALSE(e1);
  EXPECT_EQ(e1.error().code, "link.missing_column");
  EXPECT_NE(e1.error().message.find("ho_va_ten"), std::string::npos);
  json::value unknown = SmallProject();
  unknown.as_object()["sources"].as_array()[1].as_object()["mapping"].as_array()[0] =
      json::object{{"field", "ten_goi"}, {"from", "ten"}};
  auto e2 = hub.Create(unknown, "test", kHubAt);
  ASSERT_FALSE(e2);
  EXPECT_EQ(e2.error().code, "link.invalid_project");
  EXPECT_NE(e2.error().message.find("sources[1].mapping[0].field"), std::string::npos);
  json::value bad_op = SmallProject();
  bad_op.as_object()["sources"].as_array()[0].as_object()["mapping"].as_array()[0] =
      json::object{{"field", "ho_ten"}, {"from", "ho_ten"}, {"op", "upper"}};
  EXPECT_EQ(hub.Create(bad_op, "test", kHubAt).error().code, "link.invalid_project");

  // Saved and versioned.
  ASSERT_TRUE(hub.Create(SmallProject(), "test", kHubAt));
  EXPECT_EQ(hub.Create(SmallProject(), "test", kHubAt).error().code, "link.exists");
  json::value next = SmallProject();
  next.as_object()["threshold"] = 0.95;
  auto updated = hub.Update("thu", next, "stricter", std::nullopt, "test", kHubAt);
  ASSERT_TRUE(updated) << updated.error().message;
  EXPECT_EQ(updated->at("version").as_int64(), 2);
  EXPECT_EQ(updated->at("versions").as_array().size(), 2U);
  EXPECT_EQ(hub.Update("thu", next, "", int64_t{1}, "test", kHubAt).error().code,
            "link.version_conflict");
  EXPECT_EQ(hub.Get("khong_co").error().code, "link.not_found");
}

TEST(LinkSurvivorship, EachRuleAndAManualChoice) {
  auto p = ParseProject(json_util::Parse(R"({"code":"s","fields":[
      {"name":"ten","kind":"full_name","survivorship":"most_complete"},
      {"name":"dia_chi","kind":"text","survivorship":"longest"},
      {"name":"dt","kind":"phone","survivorship":"most_recent"},
      {"name":"loai","kind":"code","survivorship":"most_frequent"},
      {"name":"xa","kind":"commune","survivorship":"priority"}],
    "sources":[{"dataset":"a","id":"id","priority":2},{"dataset":"b","id":"id","priority":1}]})"));
  ASSERT_TRUE(p) << p.error().message;
  MappedRecord r1{"a:1", 0, 10, {"Lê Văn Tám", "Ấp 1", "0901", "x", "111"}, {}};
  MappedRecord r2{"b:1", 1, 20, {"Le Van Tam", "Ấp 1, xã Long Hòa", "0902", "y", "222"}, {}};
  MappedRecord r3{"a:2", 0, 5, {"", "", "", "y", ""}, {}};
  auto g = Survive(*p, {&r1, &r2, &r3}, {});
  // most_complete: r1 and r2 have all five fields; b has priority.
  EXPECT_EQ(g[0].value, "Le Van Tam");
  EXPECT_EQ(g[0].record, "b:1");
  EXPECT_EQ(g[1].value, "Ấp 1, xã Long Hòa");
  EXPECT_EQ(g[2].value, "0902");  // the newest batch
  EXPECT_EQ(g[3].value, "y");     // twice
  EXPECT_EQ(g[4].value, "222");   // source b first
  auto manual = Survive(*p, {&r1, &r2, &r3}, {{"ten", "a:1"}});
  EXPECT_EQ(manual[0].value, "Lê Văn Tám");
  EXPECT_EQ(manual[0].rule, "manual");
}

TEST(LinkClusters, IdsStayAcrossRuns) {
  std::vector<std::string> records{"a:1", "a:2", "b:1", "b:2", "b:3"};
  auto first = AssignClusters(records, {{"a:1", "b:1"}, {"a:2", "b:2"}}, {});
  std::map<std::string, std::string> c(first.begin(), first.end());
  EXPECT_EQ(c["a:1"], "a:1");
  EXPECT_EQ(c["b:1"], "a:1");
  EXPECT_EQ(c["b:3"], "b:3");
  // b:3 joins a:2's cluster, which keeps its id; b:1 leaves a:1's, which keeps its id too.
  auto second = AssignClusters(records, {{"a:2", "b:2"}, {"b:2", "b:3"}}, first);
  std::map<std::string, std::string> d(second.begin(), second.end());
  EXPECT_EQ(d["b:3"], "a:2");
  EXPECT_EQ(d["a:1"], "a:1");
  EXPECT_EQ(d["b:1"], "b:1");
}

TEST_F(LinkHubTest, TheDemoRegistersRunReviewedMatchedIncrementallyAndCommitted) {
  constexpr int64_t kPeople = 1500;
  auto sources = GenerateDemoSources(datasets(), registry(), "2025-11-01T00:00:00Z", kPeople);
  ASSERT_TRUE(sources) << sources.error().message;
  Hub hub = MakeHub();
  ASSERT_TRUE(hub.Create(DemoProject(), "test", kHubAt));
  auto report = hub.Run("ncc", false, "test", kHubAt);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->at("records").at("total").as_int64(), sources->records_a + sources->records_b);

  // Who is in one cluster with whom, against the truth.
  auto clusters = [&] {
    std::map<std::string, std::string> of;
    auto page = hub.Clusters("ncc", "", true, "", 100000);
    EXPECT_TRUE(page) << page.error().message;
    for (const auto& c : page->at("items").as_array()) {
      for (const auto& m : c.at("members").as_array()) {
        of[std::string(m.at("key").as_string())] = std::string(c.at("id").as_string());
      }
    }
    return of;
  };
  auto of = clusters();
  const auto truth = DemoTruth(kPeople, 20250701);
  size_t found = 0;
  for (const auto& [a, b] : truth) {
    auto ia = of.find("ncc_long_an_cu:" + a);
    auto ib = of.find("ncc_tay_ninh_cu:" + b);
    if (ia != of.end() && ib != of.end() && ia->second == ib->second) ++found;
  }
  std::map<std::string, int> sizes;
  for (const auto& [k, c] : of) ++sizes[c];
  size_t linked_pairs = 0;
  for (const auto& [c, n] : sizes) linked_pairs += static_cast<size_t>(n) * (n - 1) / 2;
  const double recall = static_cast<double>(found) / static_cast<double>(truth.size());
  const double precision = static_cast<double>(found) / static_cast<double>(linked_pairs);
  EXPECT_GT(recall, 0.75) << found << " of " << truth.size();
  EXPECT_GT(precision, 0.9) << found << " of " << linked_pairs;

  // The queue: accept the first pending pair and its records share a cluster.
  auto queue = hub.Queue("ncc", "pending", 0, 5);
  ASSERT_TRUE(queue) << queue.error().message;
  ASSERT_GT(queue->at("total").as_int64(), 0);
  const auto& pair = queue->at("items").as_array()[0].as_object();
  EXPECT_FALSE(pair.at("parts").as_array().empty());
  const int64_t id = pair.at("id").as_int64();
  const std::string ka(pair.at("a").at("key").as_string());
  const std::string kb(pair.at("b").at("key").as_string());
  EXPECT_EQ(hub.Decide("ncc", id, "maybe", "test", kHubAt).error().code, "link.invalid_decision");
  auto decided = hub.Decide("ncc", id, "accept", "test", kHubAt);
  ASSERT_TRUE(decided) << decided.error().message;
  EXPECT_EQ(decided->at("pair").at("status").as_string(), "accepted");
  EXPECT_EQ(decided->at("pair").at("cluster_a"), decided->at("pair").at("cluster_b"));
  const std::string cluster(decided->at("cluster").as_string());
  auto in = hub.Cluster("ncc", cluster);
  ASSERT_TRUE(in) << in.error().message;
  std::set<std::string> members;
  for (const auto& m : in->at("members").as_array()) {
    members.insert(std::string(m.at("key").as_string()));
  }
  EXPECT_TRUE(members.contains(ka) && members.contains(kb));

  // Split one record off, then merge it back; choose a field by hand.
  auto split = hub.Split("ncc", cluster, {kb}, "test", kHubAt);
  ASSERT_TRUE(split) << split.error().message;
  EXPECT_NE(std::string(split->at("id").as_string()), cluster);
  auto after_split = hub.Cluster("ncc", cluster);
  ASSERT_TRUE(after_split);
  for (const auto& m : after_split->at("members").as_array())
    EXPECT_NE(m.at("key").as_string(), kb);
  auto merged =
      hub.Merge("ncc", {cluster, std::string(split->at("id").as_string())}, "test", kHubAt);
  ASSERT_TRUE(merged) << merged.error().message;
  EXPECT_EQ(merged->at("size").as_int64(), static_cast<int64_t>(members.size()));
  auto chosen =
      hub.Choose("ncc", std::string(merged->at("id").as_string()), "ho_ten", kb, "test", kHubAt);
  ASSERT_TRUE(chosen) << chosen.error().message;
  EXPECT_EQ(chosen->at("golden").at("ho_ten").at("record").as_string(), kb);
  EXPECT_EQ(chosen->at("golden").at("ho_ten").at("rule"), "manual");

  // A full run again: decisions kept, cluster ids the same.
  const auto before = clusters();
  auto again = hub.Run("ncc", false, "test", kHubAt);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_GE(again->at("pairs").at("accepted").as_int64(), 1);
  const auto rerun = clusters();
  size_t same = 0;
  for (const auto& [k, c] : before) same += rerun.contains(k) && rerun.at(k) == c ? 1 : 0;
  EXPECT_GT(static_cast<double>(same), 0.98 * static_cast<double>(before.size()));

  // Incremental: a new batch into old Tây Ninh's register with one of old Long An's people.
  const auto& [person_a, person_b] = truth.front();
  auto d = ingest::LoadDataset(datasets(), "ncc_tay_ninh_cu");
  ASSERT_TRUE(d);
  auto a_rows = hub.Cluster("ncc", of.at("ncc_long_an_cu:" + person_a));
  ASSERT_TRUE(a_rows) << a_rows.error().message;
  json::object values;
  for (const auto& m : a_rows->at("members").as_array()) {
    if (m.at("key").as_string() == "ncc_long_an_cu:" + person_a)
      values = m.at("values").as_object();
  }
  ASSERT_FALSE(values.empty());
  std::string csv =
      "so_ho_so,ho,ten_dem,ten,ngay_sinh,so_dinh_danh,sdt,ma_xa,dia_chi,doi_tuong,ngay_cap_nhat\n"
      "TN-MOI-1," +
      [&] {
        std::string name(values.at("ho_ten").as_string());
        const auto first = name.find(' ');
        const auto last = name.rfind(' ');
        return name.substr(0, first) + "," + name.substr(first + 1, last - first - 1) + "," +
               name.substr(last + 1);
      }() +
      "," + std::string(values.at("ngay_sinh").as_string()) + "," +
      std::string(values.at("so_dinh_danh").as_string()) + "," +
      std::string(values.at("dien_thoai").as_string()) + "," +
      std::string(values.at("ma_xa").as_string()) + ",,thuong_binh,2025-11-20\n";
  auto batch = Send(*d, csv);
  ASSERT_TRUE(batch) << batch.error().message;
  ASSERT_EQ(batch->status, "committed") << csv;
  auto inc = hub.Run("ncc", true, "test", kHubAt);
  ASSERT_TRUE(inc) << inc.error().message;
  EXPECT_TRUE(inc->at("incremental").as_bool());
  EXPECT_EQ(inc->at("new_records").as_int64(), 1);
  const auto now = clusters();
  ASSERT_TRUE(now.contains("ncc_tay_ninh_cu:TN-MOI-1"));
  EXPECT_EQ(now.at("ncc_tay_ninh_cu:TN-MOI-1"), now.at("ncc_long_an_cu:" + person_a));

  // Commit: refused while pairs wait, then forced.
  auto refused = hub.Commit("ncc", false, "80.SNV", "test", kHubAt);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, "link.pending_review");
  auto committed = hub.Commit("ncc", true, "80.SNV", "test", kHubAt);
  ASSERT_TRUE(committed) << committed.error().message;
  const auto golden = committed->at("golden_records").as_int64();
  EXPECT_EQ(*datasets().RowCount("ncc"), golden);
  EXPECT_LT(golden, sources->records_a + sources->records_b);
  EXPECT_EQ(hub.Get("ncc")->at("status"), "committed");
}

}  // namespace
}  // namespace pdh::link
