// Batches: all or nothing, accept-valid, dry runs, idempotent re-sends, upserts with history,
// units resolved through the crosswalk, legacy encodings, schema versions and Data Packages.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>
#include <map>
#include <sstream>

#include "core/encoding.h"
#include "core/text.h"
#include "ingest/test_support.h"

namespace pdh::ingest {
namespace {

using testing::IngestTest;
namespace json = boost::json;
namespace fs = std::filesystem;

constexpr const char* kHeader = "id,unit,count,amount,day,kind,note\n";

class BatchTest : public IngestTest {
 protected:
  void SetUp() override {
    IngestTest::SetUp();
    const OldCodes old = FindOldCodes();
    whole_ = old.whole;
    whole_new_ = old.whole_new;
    partial_ = old.divided;
  }
  std::string whole_, whole_new_, partial_;
};

TEST_F(BatchTest, CommitsTypedRowsAndReports) {
  const Dataset d = CreateSmall();
  auto r = Send(d, std::string(kHeader) +
                       "A1,25459,\"3.254.170\",\"8.536,44\",03/10/2025,Loại A,xin chào\n"
                       "A2,25459,12,1.5,2025-10-04,b,\n");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->status, "committed");
  EXPECT_EQ(r->read, 2);
  EXPECT_EQ(r->imported, 2);
  EXPECT_EQ(r->rejected, 0);
  EXPECT_EQ(Rows(d), 2);
  RecordFilter f;
  f.sort = "id";
  auto list = QueryRecords(datasets(), registry(), d, f);
  ASSERT_TRUE(list);
  ASSERT_EQ(list->items.size(), 2U);
  const json::object& a = list->items[0];
  EXPECT_EQ(a.at("count").as_int64(), 3254170);
  EXPECT_DOUBLE_EQ(a.at("amount").as_double(), 8536.44);
  EXPECT_EQ(a.at("day").as_string(), "2025-10-03");
  EXPECT_EQ(a.at("kind").as_string(), "a");
  EXPECT_EQ(a.at("_updated_at").as_string(), "2025-11-01T00:00:00Z");
  EXPECT_TRUE(list->items[1].at("note").is_null());
}

TEST_F(BatchTest, OneBadRowRejectsTheWholeBatchUnlessValidRowsAreAccepted) {
  const Dataset d = CreateSmall();
  const std::string file =
      std::string(kHeader) + "A1,25459,1,,,,\nA2,25459,-5,,,,\nA3,25459,2,,,,\n";
  auto r = Send(d, file);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->status, "rejected");
  EXPECT_EQ(r->rejected, 1);
  EXPECT_EQ(r->imported, 0);
  ASSERT_EQ(r->errors.size(), 1U);
  EXPECT_EQ(r->errors[0].row, 3);
  EXPECT_EQ(r->errors[0].column, "count");
  EXPECT_EQ(r->errors[0].code, "value.minimum");
  EXPECT_EQ(Rows(d), 0);
  // The report and its rejected rows are kept.
  auto stored = LoadReport(datasets(), r->id);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->status, "rejected");
  std::ostringstream csv;
  ASSERT_TRUE(WriteRejectedCsv(datasets(), r->id, csv));
  EXPECT_NE(csv.str().find("3,count,-5,value.minimum,"), std::string::npos) << csv.str();

  Options o = Opts();
  o.accept_valid = true;
  auto v = Send(d, file, o);
  ASSERT_TRUE(v) << v.error().message;
  EXPECT_EQ(v->status, "committed");
  EXPECT_EQ(v->imported, 2);
  EXPECT_EQ(v->rejected, 1);
  EXPECT_EQ(Rows(d), 2);
}

TEST_F(BatchTest, DryRunWritesNothingButReportsWhatWouldHappen) {
  const Dataset d = CreateSmall();
  Options o = Opts();
  o.dry_run = true;
  auto r = Send(d, std::string(kHeader) + "A1,25459,1,,,,\n", o);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->status, "dry_run");
  EXPECT_EQ(r->imported, 1);
  EXPECT_EQ(Rows(d), 0);
  // A dry run is not a committed batch: the same file may then be sent for real.
  auto real = Send(d, std::string(kHeader) + "A1,25459,1,,,,\n");
  ASSERT_TRUE(real);
  EXPECT_EQ(real->status, "committed");
}

TEST_F(BatchTest, ResendingTheSameFileOrBatchIdChangesNothing) {
  const Dataset d = CreateSmall();
  const std::string file = std::string(kHeader) + "A1,25459,1,,,,\n";
  auto first = Send(d, file);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->status, "committed");
  auto again = Send(d, file);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, "duplicate");
  EXPECT_EQ(again->duplicate_of, first->id);
  EXPECT_EQ(again->id, 0);
  Options o = Opts();
  o.client_id = "lot-7";
  auto with_id = Send(d, std::string(kHeader) + "A2,25459,1,,,,\n", o);
  ASSERT_TRUE(with_id);
  EXPECT_EQ(with_id->status, "committed");
  // Different bytes, same batch id: still the same batch.
  auto resent = Send(d, std::string(kHeader) + "A2,25459,1,,,,\nA3,25459,1,,,,\n", o);
  ASSERT_TRUE(resent);
  EXPECT_EQ(resent->status, "duplicate");
  EXPECT_EQ(resent->duplicate_of, with_id->id);
  EXPECT_EQ(Rows(d), 2);
  auto batches = store().datasets().Batches("small", 0, 10);
  ASSERT_TRUE(batches);
  EXPECT_EQ(batches->size(), 2U);
}

// The same bytes under a new batch id are the same content: reported as the batch that
// committed them, nothing written, unless the sender asks to read them again.
TEST_F(BatchTest, TheSameContentUnderANewBatchIdIsADuplicateUnlessReingested) {
  const Dataset d = CreateSmall();
  const std::string file = std::string(kHeader) + "A1,25459,1,,,,\n";
  Options o = Opts();
  o.client_id = "lot-1";
  auto first = Send(d, file, o);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->status, "committed");
  o.client_id = "lot-2";
  auto again = Send(d, file, o);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, "duplicate");
  EXPECT_EQ(again->duplicate_of, first->id);
  ASSERT_EQ(again->warnings.size(), 1U);
  EXPECT_NE(again->warnings[0].find("same content was already ingested as batch " +
                                    std::to_string(first->id)),
            std::string::npos)
      << again->warnings[0];
  o.reingest = true;
  auto reread = Send(d, file, o);
  ASSERT_TRUE(reread);
  EXPECT_EQ(reread->status, "committed");
  EXPECT_EQ(reread->unchanged, 1);
  // Without a batch id too.
  Options plain = Opts();
  plain.reingest = true;
  auto once_more = Send(d, file, plain);
  ASSERT_TRUE(once_more);
  EXPECT_EQ(once_more->status, "committed");
  auto batches = store().datasets().Batches("small", 0, 10);
  ASSERT_TRUE(batches);
  EXPECT_EQ(batches->size(), 3U);
}

TEST(SafeFileName, KeepsTheNameOnlyWithoutControlCharacters) {
  EXPECT_EQ(SafeFileName("../../etc/passwd"), "passwd");
  EXPECT_EQ(SafeFileName("C:\\Users\\lan\\Hồ sơ tháng 10.csv"), "Hồ sơ tháng 10.csv");
  EXPECT_EQ(SafeFileName(std::string("ho\0so\x1b[31m.csv\r\n", 16)), "hoso[31m.csv");
  EXPECT_EQ(SafeFileName("Ho\xCC\x80 so\xCC\x9B.csv"), "H\xC3\xB2 s\xC6\xA1.csv");  // NFC
  EXPECT_EQ(SafeFileName("bad\xFFname.csv"), "badname.csv");
  EXPECT_EQ(SafeFileName(".."), "");
  EXPECT_EQ(SafeFileName(std::string(300, 'a')).size(), 255U);
}

TEST_F(BatchTest, StoresTheFileNameSanitized) {
  const Dataset d = CreateSmall();
  Options o = Opts();
  o.file_name = std::string("/tmp/x/../b\x07") + '\0' + "o-c\xC3\xA1o.csv";
  auto r = Send(d, std::string(kHeader) + "A1,25459,1,,,,\n", o);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->file_name, "bo-c\xC3\xA1o.csv");
  auto stored = LoadReport(store().datasets(), r->id);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->file_name, "bo-c\xC3\xA1o.csv");
}

TEST_F(BatchTest, UpsertByKeyKeepsThePreviousValues) {
  const Dataset d = CreateSmall();
  ASSERT_TRUE(Send(d, std::string(kHeader) + "A1,25459,1,,,a,old\nA2,25459,2,,,,\n"));
  auto r = Send(d, std::string(kHeader) + "A1,25459,5,,,a,new\nA2,25459,2,,,,\nA3,25459,3,,,,\n");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->imported, 1);
  EXPECT_EQ(r->updated, 1);
  EXPECT_EQ(r->unchanged, 1);
  auto h = store().datasets().History("small", "A1");
  ASSERT_TRUE(h);
  ASSERT_EQ(h->size(), 1U);
  EXPECT_EQ((*h)[0].batch, r->id);
  EXPECT_EQ((*h)[0].by, "test");
  const json::value prev = json::parse((*h)[0].previous_json);
  EXPECT_EQ(prev.at("count").as_int64(), 1);
  EXPECT_EQ(prev.at("note").as_string(), "old");
}

TEST_F(BatchTest, DuplicateKeysWithinABatchAreRejected) {
  const Dataset d = CreateSmall();
  auto r = Send(d, std::string(kHeader) + "A1,25459,1,,,,\nA1,25459,2,,,,\n");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, "rejected");
  ASSERT_EQ(r->errors.size(), 1U);
  EXPECT_EQ(r->errors[0].code, "key.duplicate_in_batch");
  EXPECT_EQ(r->errors[0].row, 3);
  EXPECT_EQ(Rows(d), 0);
}

TEST_F(BatchTest, UnitsResolveByCodeOldCodeAndName) {
  ASSERT_FALSE(whole_.empty());
  ASSERT_FALSE(partial_.empty());
  const Dataset d = CreateSmall();
  const units::Unit* named = registry().Find("25459", Date{2025, 10, 1});
  ASSERT_NE(named, nullptr);
  Options o = Opts();
  o.accept_valid = true;
  auto r = Send(d,
                std::string(kHeader) + "A1," + whole_ + ",1,,,,\nA2," + partial_ + ",1,,,,\nA3,\"" +
                    text::Fold(named->name) + "\",1,,,,\nA4,99999,1,,,,\n",
                o);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->imported, 2);
  EXPECT_EQ(r->resolved_old_codes, 1);
  EXPECT_EQ(r->resolved_by_name, 1);
  ASSERT_EQ(r->errors.size(), 2U) << r->errors[1].value << ": " << r->errors[1].message;
  EXPECT_EQ(r->errors[0].code, "unit.ambiguous");
  EXPECT_EQ(r->errors[1].code, "unit.unknown");
  RecordFilter f;
  f.sort = "id";
  auto list = QueryRecords(datasets(), registry(), d, f);
  ASSERT_TRUE(list);
  EXPECT_EQ(list->items[0].at("unit").as_string(), whole_new_);
  EXPECT_EQ(list->items[1].at("unit").as_string(), "25459");
}

TEST_F(BatchTest, RowsOfUnitsOutsideTheSendersScopeAreRejected) {
  const Dataset d = CreateSmall();
  Options o = Opts();
  o.may_write = [](const units::Unit& u) { return u.code == "25459"; };
  auto r = Send(d, std::string(kHeader) + "A1,25459,1,,,,\nA2,25480,1,,,,\n", o);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, "rejected");
  ASSERT_EQ(r->errors.size(), 1U);
  EXPECT_EQ(r->errors[0].code, "unit.out_of_scope");
  EXPECT_EQ(r->errors[0].row, 3);
}

TEST_F(BatchTest, RejectedRowsAreCountedByTheUnitTheyResolvedTo) {
  ASSERT_FALSE(whole_.empty());
  ASSERT_NE(whole_new_, "25459");
  const Dataset d = CreateSmall();
  std::string file = std::string(kHeader) + "A1,25459,1,,,,\n";
  file += "A2," + whole_ + ",-1,,31/02/2025,zz,\n";  // three bad cells: one row, the new commune's
  file += "A3," + whole_ + ",1,,,,\n";
  file += "A3," + whole_ + ",2,,,,\n";  // the key again: the writer rejects it, the new commune's
  file += "A4,25459,-3,,,,\n";
  file += "A5,99999,1,,,,\n";  // no such unit: unknown
  file += "A6,,1,,,,\n";       // no unit: unknown
  file += "A7,25459,1\n";      // ragged: unknown
  const std::map<std::string, int64_t> expected = {{whole_new_, 2}, {"25459", 1}, {"", 3}};
  // Read back as stored with the batch.
  auto stored = [&](int64_t id) {
    auto b = datasets().Batch(id);
    EXPECT_TRUE(b && *b);
    return b && *b ? Report::FromJson(json::parse((*b)->report_json)) : Report{};
  };

  // The whole batch refused: its report still says whose rows were bad.
  auto all = Send(d, file);
  ASSERT_TRUE(all) << all.error().message;
  EXPECT_EQ(all->status, "rejected");
  EXPECT_EQ(all->rejected, 6);
  EXPECT_GT(all->errors_total, all->rejected);
  EXPECT_EQ(all->rejected_by_unit, expected);
  EXPECT_EQ(stored(all->id).rejected_by_unit, expected);

  Options o = Opts();
  o.accept_valid = true;
  auto valid = Send(d, file, o);
  ASSERT_TRUE(valid) << valid.error().message;
  EXPECT_EQ(valid->status, "committed");
  EXPECT_EQ(valid->imported, 2);
  EXPECT_EQ(valid->rejected_by_unit, expected);
  EXPECT_EQ(stored(valid->id).rejected_by_unit, expected);

  // A batch without rejected rows stores no such counts.
  auto clean = Send(d, std::string(kHeader) + "B1,25459,1,,,,\n");
  ASSERT_TRUE(clean) << clean.error().message;
  EXPECT_TRUE(clean->rejected_by_unit.empty());
  auto b = datasets().Batch(clean->id);
  ASSERT_TRUE(b && *b);
  EXPECT_FALSE(json::parse((*b)->report_json).as_object().contains("rejected_by_unit"));
}

TEST_F(BatchTest, LegacyEncodedFilesAreConvertedAndSaySo) {
  const Dataset d = CreateSmall();
  const std::string utf8 = std::string(kHeader) +
                           "A1,25459,1,,,Loại A,Phường Tân Ninh đã hoàn thành việc số hóa\n"
                           "A2,25459,2,,,Loại B,Người dân hài lòng với dịch vụ công trực tuyến\n";
  int n = 0;
  for (auto e : {encoding::Encoding::kTcvn3, encoding::Encoding::kVni, encoding::Encoding::kViscii,
                 encoding::Encoding::kCp1258}) {
    auto bytes = encoding::FromUtf8(utf8, e);
    ASSERT_TRUE(bytes) << bytes.error().message;
    const Dataset each = CreateSmall("small" + std::to_string(++n));
    auto r = Send(each, *bytes);
    ASSERT_TRUE(r) << encoding::Name(e) << ": " << r.error().message;
    EXPECT_EQ(r->status, "committed") << encoding::Name(e);
    EXPECT_EQ(r->encoding, encoding::Name(e));
    EXPECT_GT(r->converted_cells, 0);
    RecordFilter f;
    f.sort = "id";
    auto list = QueryRecords(datasets(), registry(), each, f);
    ASSERT_TRUE(list);
    EXPECT_EQ(list->items[0].at("note").as_string(), "Phường Tân Ninh đã hoàn thành việc số hóa")
        << encoding::Name(e);
    EXPECT_EQ(list->items[1].at("kind").as_string(), "b");
  }
  (void)d;
}

TEST_F(BatchTest, JsonAndNdjsonBatches) {
  const Dataset d = CreateSmall();
  auto r = Send(d,
                R"([{"id": "J1", "unit": "25459", "count": 3, "amount": 1.25, "day": "2025-10-01"},
                    {"id": "J2", "unit": "25459", "kind": "Loại B", "count": null}])",
                Opts(Format::kJson));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->imported, 2);
  auto n = Send(
      d, "{\"id\":\"N1\",\"unit\":\"25459\"}\n\n{\"id\":\"N2\",\"unit\":\"25459\",\"count\":-1}\n",
      Opts(Format::kNdjson));
  ASSERT_TRUE(n) << n.error().message;
  EXPECT_EQ(n->status, "rejected");
  ASSERT_EQ(n->errors.size(), 1U);
  EXPECT_EQ(n->errors[0].row, 3);  // the line
  EXPECT_EQ(n->errors[0].code, "value.minimum");
}

TEST_F(BatchTest, SchemaChangesThatWouldLoseDataAreRefused) {
  const Dataset d = CreateSmall();
  ASSERT_TRUE(Send(d, std::string(kHeader) + "A1,25459,1,2.5,,,x\n"));
  auto descriptor = json::parse(testing::kSmallSchema).as_object();
  // Adding a field: stored as version 2 with a new column.
  auto added = descriptor;
  added["fields"].as_array().push_back({{"name", "extra"}, {"type", "string"}});
  auto v2 = ChangeSchema(datasets(), "small", *ParseSchema(added), "thêm cột", "test", "t");
  ASSERT_TRUE(v2) << v2.error().message;
  EXPECT_EQ(v2->row.version, 2);
  EXPECT_NE(v2->schema.Find("extra"), nullptr);
  // Removing a field that holds values, or narrowing a type: refused.
  auto removed = descriptor;
  removed["fields"].as_array().erase(removed["fields"].as_array().begin() + 6);
  auto r1 = ChangeSchema(datasets(), "small", *ParseSchema(removed), "", "test", "t");
  ASSERT_FALSE(r1);
  EXPECT_EQ(r1.error().code, "dataset.lossy_change");
  auto narrowed = descriptor;
  narrowed["fields"].as_array()[3].as_object()["type"] = "integer";
  auto r2 = ChangeSchema(datasets(), "small", *ParseSchema(narrowed), "", "test", "t");
  ASSERT_FALSE(r2);
  EXPECT_EQ(r2.error().code, "dataset.lossy_change");
  auto versions = store().datasets().Versions("small");
  ASSERT_TRUE(versions);
  EXPECT_EQ(versions->size(), 2U);
}

TEST_F(BatchTest, DataPackageRoundTrip) {
  const Dataset d = CreateSmall();
  // 123.125 alone, read from a file, is open to doubt (123125?); pdh's own export is not.
  ASSERT_TRUE(Send(d, std::string(kHeader) + "A1,25459,1,123.125,2025-10-01,a,\"Tân Ninh, 2025\"\n"
                                             "A2,25459,2,,2025-10-01,a,\n"));
  const std::string dir =
      (fs::temp_directory_path() / ("pdh-pkg-" + std::to_string(::getpid()))).string();
  fs::remove_all(dir);
  ASSERT_TRUE(ExportPackage(datasets(), {d}, dir));
  std::ifstream csv(dir + "/small.csv");
  std::stringstream text;
  text << csv.rdbuf();
  EXPECT_NE(text.str().find("A1,25459,1,123.125,2025-10-01,a,\"Tân Ninh, 2025\""),
            std::string::npos)
      << text.str();
  // Into another database: the dataset is created from the descriptor and filled.
  auto other = store::Store::Open(dir + "/other.db");
  ASSERT_TRUE(other);
  ASSERT_TRUE((*other)->ReplaceUnits(*store().LoadUnits(), *store().LoadSuccessions()));
  Options o = Opts();
  auto reports = ImportPackage((*other)->datasets(), registry(), dir, o);
  ASSERT_TRUE(reports) << reports.error().message;
  ASSERT_EQ(reports->size(), 1U);
  EXPECT_EQ((*reports)[0].status, "committed");
  EXPECT_EQ((*reports)[0].imported, 2);
  EXPECT_TRUE((*reports)[0].warnings.empty()) << (*reports)[0].warnings.front();
  auto copied = LoadDataset((*other)->datasets(), "small");
  ASSERT_TRUE(copied) << copied.error().message;
  EXPECT_EQ(copied->schema.ToJson(), d.schema.ToJson());
  RecordFilter f;
  f.sort = "id";
  auto list = QueryRecords((*other)->datasets(), registry(), *copied, f);
  ASSERT_TRUE(list) << list.error().message;
  ASSERT_EQ(list->items.size(), 2U);
  EXPECT_DOUBLE_EQ(list->items[0].at("amount").as_double(), 123.125);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace pdh::ingest
