// Numbers as office files write them: "30.000" đồng is thirty thousand, a column's style is
// decided from all its values, and a value that stays ambiguous is reported with its row and
// column — in CSV, XLSX text cells and JSON strings alike.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>
#include <vector>

#include "core/xlsx_test_support.h"
#include "ingest/test_support.h"

namespace pdh::ingest {
namespace {

using testing::IngestTest;
namespace json = boost::json;
namespace xt = xlsx_testing;

class NumberStyleTest : public IngestTest {
 protected:
  // The values of `field` in the dataset, by record key order.
  std::vector<json::value> Values(const Dataset& d, const std::string& key,
                                  const std::string& field) {
    RecordFilter f;
    f.sort = key;
    auto list = QueryRecords(datasets(), registry(), d, f);
    EXPECT_TRUE(list) << list.error().message;
    std::vector<json::value> out;
    if (!list) return out;
    for (const auto& r : list->items) out.push_back(r.at(field));
    return out;
  }

  std::vector<double> Numbers(const Dataset& d, const std::string& key, const std::string& field) {
    std::vector<double> out;
    for (const auto& v : Values(d, key, field))
      out.push_back(v.is_null() ? -1 : v.to_number<double>());
    return out;
  }

  static bool Warns(const Report& r, std::string_view what) {
    for (const auto& w : r.warnings) {
      if (w.find(what) != std::string::npos) return true;
    }
    return false;
  }
};

// A dossier file as an office sends it: Vietnamese headings, fees typed the Vietnamese way.
constexpr const char* kOfficeDossiers =
    "Mã hồ sơ,Đơn vị tiếp nhận,Mã thủ tục,Thời điểm tiếp nhận,Kênh nộp,\"Phí, lệ phí (đồng)\","
    "Trạng thái\n"
    "H1,25459,1.000001,03/10/2025 08:00,Trực tuyến,30.000,Đã tiếp nhận\n"
    "H2,25459,1.000001,03/10/2025 09:00,Trực tiếp,250.000,Đã tiếp nhận\n"
    "H3,25459,1.000001,03/10/2025 10:00,Trực tuyến,1.000,Đã tiếp nhận\n"
    "H4,25459,1.000001,03/10/2025 11:00,Trực tuyến,\"1.500.000\",Đã tiếp nhận\n";

// The same rows in pdh's own format.
constexpr const char* kOwnDossiers =
    "dossier_id,receiving_unit,procedure_code,received_at,channel,fee,status\n"
    "H1,25459,1.000001,2025-10-03T08:00:00,online,30000,received\n"
    "H2,25459,1.000001,2025-10-03T09:00:00,direct,250000,received\n"
    "H3,25459,1.000001,2025-10-03T10:00:00,online,1000,received\n"
    "H4,25459,1.000001,2025-10-03T11:00:00,online,1500000,received\n";

TEST_F(NumberStyleTest, FeesInDongAreReadInThousandsAsInPdhsOwnFormat) {
  const Dataset office = Create("office", "dossiers");
  const Dataset own = Create("own", "dossiers");
  auto a = Send(office, kOfficeDossiers);
  ASSERT_TRUE(a) << a.error().message;
  ASSERT_EQ(a->status, "committed") << (a->errors.empty() ? "" : a->errors[0].message);
  auto b = Send(own, kOwnDossiers);
  ASSERT_TRUE(b) << b.error().message;
  ASSERT_EQ(b->status, "committed");
  const std::vector<double> fees = {30000, 250000, 1000, 1500000};
  EXPECT_EQ(Numbers(office, "dossier_id", "fee"), fees);
  EXPECT_EQ(Numbers(own, "dossier_id", "fee"), fees);
  for (const auto& w : a->warnings) EXPECT_EQ(w.find("30.000"), std::string::npos) << w;
}

TEST_F(NumberStyleTest, FeesWithGroupingCommasAreDongToo) {
  const Dataset d = Create("dossiers", "dossiers");
  auto r = Send(d,
                "dossier_id,receiving_unit,procedure_code,received_at,channel,fee,status\n"
                "H1,25459,P,2025-10-03,online,\"30,000\",received\n"
                "H2,25459,P,2025-10-03,online,\"12,5\",received\n");
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->status, "committed");
  EXPECT_EQ(Numbers(d, "dossier_id", "fee"), (std::vector<double>{30000, 12.5}));
}

TEST_F(NumberStyleTest, FeesTypedAsTextInXlsxAreDong) {
  const Dataset d = Create("dossiers", "dossiers");
  std::string rows =
      xt::RowXml(1, xt::Text("A1", "Mã hồ sơ") + xt::Text("B1", "Đơn vị tiếp nhận") +
                        xt::Text("C1", "Mã thủ tục") + xt::Text("D1", "Thời điểm tiếp nhận") +
                        xt::Text("E1", "Kênh nộp") + xt::Text("F1", "Phí, lệ phí (đồng)") +
                        xt::Text("G1", "Trạng thái"));
  const std::vector<std::pair<std::string, std::string>> fees = {
      {"H1", "30.000"}, {"H2", "250.000"}, {"H3", "1.000"}};
  int n = 2;
  for (const auto& [id, fee] : fees) {
    const std::string r = std::to_string(n);
    rows +=
        xt::RowXml(n, xt::Text("A" + r, id) + xt::Text("B" + r, "25459") + xt::Text("C" + r, "P") +
                          xt::Text("D" + r, "03/10/2025") + xt::Text("E" + r, "Trực tuyến") +
                          xt::Text("F" + r, fee) + xt::Text("G" + r, "Đã tiếp nhận"));
    ++n;
  }
  // A fee Excel holds as a number is its value.
  rows += xt::RowXml(n, xt::Text("A5", "H4") + xt::Text("B5", "25459") + xt::Text("C5", "P") +
                            xt::Text("D5", "03/10/2025") + xt::Text("E5", "Trực tuyến") +
                            xt::Number("F5", "45000") + xt::Text("G5", "Đã tiếp nhận"));
  auto r = Send(d, xt::WorkbookBytes("Hồ sơ", xt::SheetXml(rows)), Opts(Format::kXlsx));
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->status, "committed") << (r->errors.empty() ? "" : r->errors[0].message);
  EXPECT_EQ(Numbers(d, "dossier_id", "fee"), (std::vector<double>{30000, 250000, 1000, 45000}));
}

TEST_F(NumberStyleTest, FeesAsJsonStringsAreDong) {
  const Dataset d = Create("dossiers", "dossiers");
  auto r = Send(d,
                R"([{"dossier_id": "H1", "receiving_unit": "25459", "procedure_code": "P",
                     "received_at": "2025-10-03", "channel": "online", "fee": "30.000",
                     "status": "received"},
                    {"dossier_id": "H2", "receiving_unit": "25459", "procedure_code": "P",
                     "received_at": "2025-10-03", "channel": "online", "fee": 250000,
                     "status": "received"}])",
                Opts(Format::kJson));
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->status, "committed");
  EXPECT_EQ(Numbers(d, "dossier_id", "fee"), (std::vector<double>{30000, 250000}));
}

constexpr const char* kAmountHeader = "id,unit,count,amount\n";

TEST_F(NumberStyleTest, ANumberColumnTakesTheStyleItsOtherValuesShow) {
  const Dataset vn = CreateSmall("vn");
  auto a = Send(vn, std::string(kAmountHeader) +
                        "A1,25459,,30.000\nA2,25459,,\"1.500.000\"\nA3,25459,,\"2,5\"\n");
  ASSERT_TRUE(a) << a.error().message;
  ASSERT_EQ(a->status, "committed");
  EXPECT_EQ(Numbers(vn, "id", "amount"), (std::vector<double>{30000, 1500000, 2.5}));
  EXPECT_FALSE(Warns(*a, "amount"));

  const Dataset en = CreateSmall("en");
  auto b = Send(en, std::string(kAmountHeader) + "A1,25459,,30.000\nA2,25459,,21.35\n");
  ASSERT_TRUE(b) << b.error().message;
  ASSERT_EQ(b->status, "committed");
  EXPECT_EQ(Numbers(en, "id", "amount"), (std::vector<double>{30, 21.35}));
  EXPECT_FALSE(Warns(*b, "amount"));
}

TEST_F(NumberStyleTest, AColumnThatShowsNoStyleTakesTheFiles) {
  const Dataset d = CreateSmall();
  // "3.254.170" in the integer column says the file groups with dots.
  auto r = Send(d, std::string(kAmountHeader) + "A1,25459,\"3.254.170\",30.000\nA2,25459,7,12\n");
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->status, "committed");
  EXPECT_EQ(Numbers(d, "id", "amount"), (std::vector<double>{30000, 12}));
  EXPECT_FALSE(Warns(*r, "amount"));
}

TEST_F(NumberStyleTest, AnUndecidedValueIsReportedWithItsRowAndColumn) {
  const Dataset d = CreateSmall();
  auto r = Send(d, std::string(kAmountHeader) + "A1,25459,,12\nA2,25459,,30.000\n");
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->status, "committed");
  EXPECT_TRUE(Warns(*r, "row 3, column amount: '30.000' may be 30 or 30000")) << [&] {
    std::string all;
    for (const auto& w : r->warnings) all += w + "\n";
    return all;
  }();
  // The warning is kept with the batch.
  auto stored = LoadReport(datasets(), r->id);
  ASSERT_TRUE(stored);
  EXPECT_TRUE(Warns(*stored, "row 3, column amount"));
}

TEST_F(NumberStyleTest, NumbersTheFormatTypesAreNotRestyled) {
  const Dataset d = CreateSmall();
  // The column's text says Vietnamese; JSON numbers keep their decimal dot.
  auto r = Send(d,
                R"([{"id": "A1", "unit": "25459", "amount": "1.500.000"},
                    {"id": "A2", "unit": "25459", "amount": 123.125},
                    {"id": "A3", "unit": "25459", "amount": "30.000"}])",
                Opts(Format::kJson));
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->status, "committed");
  EXPECT_EQ(Numbers(d, "id", "amount"), (std::vector<double>{1500000, 123.125, 30000}));

  const Dataset x = CreateSmall("fromxlsx");
  std::string rows =
      xt::RowXml(1, xt::Text("A1", "id") + xt::Text("B1", "unit") + xt::Text("C1", "amount")) +
      xt::RowXml(2, xt::Text("A2", "A1") + xt::Text("B2", "25459") + xt::Text("C2", "1.500.000")) +
      xt::RowXml(3, xt::Text("A3", "A2") + xt::Text("B3", "25459") + xt::Number("C3", "123.125")) +
      xt::RowXml(4, xt::Text("A4", "A3") + xt::Text("B4", "25459") + xt::Text("C4", "30.000"));
  auto s = Send(x, xt::WorkbookBytes("S", xt::SheetXml(rows)), Opts(Format::kXlsx));
  ASSERT_TRUE(s) << s.error().message;
  ASSERT_EQ(s->status, "committed");
  EXPECT_EQ(Numbers(x, "id", "amount"), (std::vector<double>{1500000, 123.125, 30000}));
}

}  // namespace
}  // namespace pdh::ingest
