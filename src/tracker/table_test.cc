// Targets and tasks as tables: an export reads back unchanged (CSV and XLSX); sheets as the
// People's Committee's plans are written (a title above, Vietnamese headers, dd/mm/yyyy dates,
// "Quý IV/2025", "Thường xuyên", "1.234,5") import; every row's problems come back with the file's
// row number and the column; all rows or none are written; a dry run writes nothing.
#include <fstream>
#include <sstream>

#include "core/xlsx.h"
#include "core/xlsx_test_support.h"
#include "tracker/test_support.h"

namespace pdh::tracker::testing {
namespace {

using xlsx_testing::Merges;
using xlsx_testing::NumberCell;
using xlsx_testing::SheetRow;
using xlsx_testing::SheetXml;
using xlsx_testing::WorkbookBytes;

class Table : public TrackerTest {
 protected:
  // A small register with every kind of field set somewhere.
  void AddItems() {
    Item central = Task("NQ57-001");
    central.level = Level::kCentral;
    central.lead_unit = "80";
    central.title = "Triển khai Đề án 06, \"dữ liệu dân cư\"; định danh điện tử";
    central.recurrence = Recurrence::kMonthly;
    central.deadline.reset();
    central.assigned_at = D("2025-01-09");
    ASSERT_TRUE(tracker().Create(central, By("an", "2025-01-09")));

    Item task = Task("TN57-NV-001");
    task.parent = "NQ57-001";
    ASSERT_TRUE(tracker().Create(task, By("an", "2025-08-15")));
    ASSERT_TRUE(
        tracker().Update(With(task, State::kCompleted, "2025-08-30"), By("an", "2025-08-30")));

    Item target = Target("TN57-CT-01");
    target.baseline = 1234.5;
    target.target_value = 0.1;
    target.indicator = "IOC-DVC-01";
    target.cooperating_units = {};
    target.leader = {};
    ASSERT_TRUE(tracker().Create(target, By("an", "2025-08-15")));

    Item commune = Task("TN57-NV-002");
    commune.lead_unit = Commune();
    commune.cooperating_units = {"80.SKHCN"};
    commune.state = State::kInProgress;
    commune.expected_product = " ";
    ASSERT_TRUE(tracker().Create(commune, By("an", "2025-08-20")));
  }

  // A commune of province 80.
  static std::string Commune() {
    const units::Unit* p = (*registry_)->Find("80", D("2025-10-31"));
    for (const auto* u : (*registry_)->Children(*p, D("2025-10-31"))) {
      if (u->level == units::Level::kCommune) return u->code;
    }
    return "";
  }

  std::string Csv() {
    std::ostringstream out;
    EXPECT_TRUE(tracker().ExportCsv(out));
    return out.str();
  }

  std::string Xlsx() {
    std::ostringstream out;
    EXPECT_TRUE(tracker().ExportXlsx(out));
    return out.str();
  }

  size_t Count() {
    Filter all;
    all.limit = 1000;
    auto page = tracker().List(all, D("2030-12-31"));
    EXPECT_TRUE(page);
    return page ? page->items.size() : 0;
  }

  Result<ImportReport> Import(const std::string& csv, bool dry_run = false) {
    std::istringstream in(csv);
    return tracker().ImportCsv(in, Options(dry_run));
  }

  static ImportOptions Options(bool dry_run = false) {
    ImportOptions o;
    o.actor = "an";
    o.dry_run = dry_run;
    o.effective = D("2025-09-01");
    return o;
  }

  static std::string Describe(const ImportReport& r) {
    std::string out;
    for (const auto& e : r.errors) {
      out += std::to_string(e.row) + " " + e.column + " " + e.code + ": " + e.message + "\n";
    }
    return out;
  }
};

TEST_F(Table, ExportReadsBackUnchangedFromCsvAndXlsx) {
  AddItems();
  const std::string csv = Csv();
  EXPECT_TRUE(
      csv.starts_with("\xEF\xBB\xBF"
                      "kind,code,programme,parent,level,title,sector,"
                      "lead_unit,cooperating_units,leader_name,leader_position,"
                      "assigned_at,deadline,recurrence,expected_product,baseline,"
                      "target_value,measure_unit,indicator,state,completed_at\r\n"))
      << csv.substr(0, 300);
  EXPECT_NE(csv.find("1234.5"), std::string::npos);
  EXPECT_NE(csv.find("80.STC; 80.VPUB"), std::string::npos);

  auto same = Import(csv);
  ASSERT_TRUE(same) << same.error().message;
  EXPECT_TRUE(same->errors.empty()) << Describe(*same);
  EXPECT_EQ(same->rows, 4u);
  EXPECT_EQ(same->unchanged, 4u);
  EXPECT_EQ(same->created + same->updated, 0u);
  EXPECT_FALSE(same->written);

  const std::string xlsx = Xlsx();
  ASSERT_TRUE(xlsx.starts_with("PK"));
  auto from_xlsx = tracker().ImportXlsx(xlsx, Options());
  ASSERT_TRUE(from_xlsx) << from_xlsx.error().message;
  EXPECT_TRUE(from_xlsx->errors.empty()) << Describe(*from_xlsx);
  EXPECT_EQ(from_xlsx->unchanged, 4u);
  EXPECT_FALSE(from_xlsx->written);

  // Into an empty register: the same items, so the same export.
  for (const std::string* file : {&csv, &xlsx}) {
    auto other = OpenCopy(Name() + "-copy");
    Tracker copy(
        other->tracker(), *other, [] { return *registry_; }, clock_);
    ASSERT_TRUE(copy.AddProgramme(Nq57(), "an"));
    std::istringstream in(*file);
    auto created = file == &csv ? copy.ImportCsv(in, Options()) : copy.ImportXlsx(*file, Options());
    ASSERT_TRUE(created) << created.error().message;
    EXPECT_TRUE(created->errors.empty()) << Describe(*created);
    EXPECT_EQ(created->created, 4u);
    EXPECT_TRUE(created->written);
    std::ostringstream again;
    ASSERT_TRUE(copy.ExportCsv(again));
    EXPECT_EQ(again.str(), csv);
  }
}

TEST_F(Table, TheDemoReadsBackUnchanged) {
  auto other = OpenCopy(Name() + "-demo");
  ASSERT_TRUE(GenerateDemo(other->tracker(), *other, *registry_));
  Tracker demo(
      other->tracker(), *other, [] { return *registry_; }, clock_);
  std::ostringstream csv, xlsx;
  ASSERT_TRUE(demo.ExportCsv(csv));
  ASSERT_TRUE(demo.ExportXlsx(xlsx));
  std::istringstream in(csv.str());
  auto from_csv = demo.ImportCsv(in, Options());
  ASSERT_TRUE(from_csv) << from_csv.error().message;
  EXPECT_TRUE(from_csv->errors.empty()) << Describe(*from_csv);
  EXPECT_EQ(from_csv->unchanged, 166u + 53u + 235u);
  auto from_xlsx = demo.ImportXlsx(xlsx.str(), Options());
  ASSERT_TRUE(from_xlsx) << from_xlsx.error().message;
  EXPECT_TRUE(from_xlsx->errors.empty()) << Describe(*from_xlsx);
  EXPECT_EQ(from_xlsx->unchanged, 166u + 53u + 235u);
}

TEST_F(Table, ReadsAPlanWithATitleAndVietnameseHeaders) {
  ASSERT_TRUE(tracker().Create(
      [] {
        Item i = Task("NQ57-001");
        i.level = Level::kCentral;
        i.lead_unit = "80";
        return i;
      }(),
      By("an", "2025-08-15")));
  const std::string csv =
      "PHỤ LỤC: DANH MỤC NHIỆM VỤ THỰC HIỆN NGHỊ QUYẾT SỐ 57-NQ/TW,,,,,,,,,,,,\n"
      "(Kèm theo Kế hoạch số 412/KH-UBND ngày 20/02/2025 của UBND tỉnh),,,,,,,,,,,,\n"
      "\n"
      "STT,Mã,Chương trình,Nội dung nhiệm vụ,Lĩnh vực,Đơn vị chủ trì,Đơn vị phối hợp,Lãnh đạo "
      "phụ trách,Chức vụ,Thời hạn,Sản phẩm,Nhiệm vụ cấp trên,Ghi chú\n"
      "(1),(2),(3),(4),(5),(6),(7),(8),(9),(10),(11),(12),(13)\n"
      "1,TN57-NV-001,NQ57,Xây dựng Kho dữ liệu dùng chung,Dữ liệu số,80.SKHCN,\"80.STC, 80.CAT\","
      "Võ Thanh Tùng,Phó Chủ tịch UBND tỉnh,31/12/2025,Kho dữ liệu vận hành,NQ57-001,\n"
      "2,TN57-NV-002,NQ57,Số hóa hồ sơ thủ tục hành chính,Chính quyền số,80.TTPVHCC,,,,Quý IV/2025,"
      ",,ghi chú\n"
      "3,TN57-NV-003,NQ57,Báo cáo tiến độ hằng tháng,Chuyển đổi số,80.SKHCN,,,,Thường xuyên,,,\n";
  const std::string targets =
      "Mã chỉ tiêu,Chương trình,Tên chỉ tiêu,Đơn vị chủ trì,Thời gian hoàn thành,Giá trị cơ sở,"
      "Chỉ tiêu,Đơn vị tính,Cấp giao,Trạng thái,Ngày hoàn thành\n"
      "TN57-CT-01,NQ57,Số lượt cài đặt ứng dụng Công dân số,80.SKHCN,Năm 2026,\"1.200.000\","
      "\"237.500,5\",lượt,Tỉnh giao,Đang thực hiện,\n"
      "TN57-CT-02,NQ57,Tỷ lệ hồ sơ trực tuyến toàn trình,80.TTPVHCC,30/06/2025,45,80%,%,Tỉnh "
      "giao,Hoàn thành,2025-06-20\n";
  auto r = Import(csv);
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_TRUE(r->errors.empty()) << Describe(*r);
  EXPECT_EQ(r->rows, 3u);
  EXPECT_EQ(r->created, 3u);
  EXPECT_TRUE(r->written);
  auto t = Import(targets);
  ASSERT_TRUE(t) << t.error().message;
  ASSERT_TRUE(t->errors.empty()) << Describe(*t);
  EXPECT_EQ(t->created, 2u);

  auto first = tracker().Get("TN57-NV-001", D("2025-10-31"));
  ASSERT_TRUE(first);
  EXPECT_EQ(first->item.kind, ItemKind::kTask);
  EXPECT_EQ(first->item.title, "Xây dựng Kho dữ liệu dùng chung");
  EXPECT_EQ(first->item.lead_unit, "80.SKHCN");
  EXPECT_EQ(first->item.cooperating_units, (std::vector<std::string>{"80.STC", "80.CAT"}));
  EXPECT_EQ(first->item.leader, (Leader{"Võ Thanh Tùng", "Phó Chủ tịch UBND tỉnh"}));
  EXPECT_EQ(first->item.deadline, D("2025-12-31"));
  EXPECT_EQ(first->item.parent, "NQ57-001");
  EXPECT_EQ(first->effective, D("2025-09-01"));
  auto second = tracker().Get("TN57-NV-002", D("2025-10-31"));
  ASSERT_TRUE(second);
  EXPECT_EQ(second->item.deadline, D("2025-12-31"));
  auto third = tracker().Get("TN57-NV-003", D("2025-10-31"));
  ASSERT_TRUE(third);
  EXPECT_EQ(third->item.recurrence, Recurrence::kMonthly);
  EXPECT_FALSE(third->item.deadline);

  auto target = tracker().Get("TN57-CT-01", D("2025-10-31"));
  ASSERT_TRUE(target);
  EXPECT_EQ(target->item.kind, ItemKind::kTarget);  // it has a target value
  EXPECT_EQ(target->item.baseline, 1200000);
  EXPECT_EQ(target->item.target_value, 237500.5);
  EXPECT_EQ(target->item.deadline, D("2026-12-31"));
  EXPECT_EQ(target->item.state, State::kInProgress);
  auto done = tracker().Get("TN57-CT-02", D("2025-10-31"));
  ASSERT_TRUE(done);
  EXPECT_EQ(done->item.target_value, 80);
  EXPECT_EQ(done->item.state, State::kCompleted);
  EXPECT_EQ(done->item.completed_at, D("2025-06-20"));
  EXPECT_EQ(done->status, Derived::kCompletedOnTime);
}

TEST_F(Table, ReadsASheetWithATitleMergedHeadersAndSerialDates) {
  // Row 1: the title across the table. Rows 2-3: the header, "Đơn vị" over "Chủ trì" and
  // "Phối hợp", the rest merged down. Row 4: a group heading. Rows 5-6: tasks, one deadline a
  // date-styled serial, the other a serial in the deadline column; a year typed as a number.
  const std::string rows =
      SheetRow(1, {"DANH MỤC NHIỆM VỤ UBND TỈNH GIAO NĂM 2025"}) +
      SheetRow(2, {"STT", "Mã nhiệm vụ", "Chương trình", "Tên nhiệm vụ", "Đơn vị", "", "Thời hạn",
                   "Sản phẩm dự kiến"}) +
      SheetRow(3, {"", "", "", "", "Chủ trì", "Phối hợp"}) + SheetRow(4, {"I. CHUYỂN ĐỔI SỐ"}) +
      SheetRow(5, {NumberCell("1"), "TN57-NV-010", "NQ57", "Vận hành IOC sau hợp nhất", "80.SKHCN",
                   "80.VPUB; 80.STC", NumberCell("46022", 1), "IOC vận hành"}) +
      SheetRow(6, {NumberCell("2"), "TN57-NV-011", "NQ57", "Hợp nhất cơ sở dữ liệu đất đai",
                   "80.SNNMT", "", NumberCell("2026")}) +
      SheetRow(7, {NumberCell("3"), "TN57-NV-012", "NQ57", "Cổng dữ liệu mở", "80.SKHCN", "",
                   NumberCell("45930")});
  const std::string merges =
      Merges({"A1:H1", "A2:A3", "B2:B3", "C2:C3", "D2:D3", "E2:F2", "G2:G3", "H2:H3", "A4:H4"});
  auto r = tracker().ImportXlsx(WorkbookBytes("Phụ lục", SheetXml(rows, merges)), Options());
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_TRUE(r->errors.empty()) << Describe(*r);
  EXPECT_EQ(r->rows, 3u);
  EXPECT_EQ(r->created, 3u);
  auto ioc = tracker().Get("TN57-NV-010", D("2025-10-31"));
  ASSERT_TRUE(ioc);
  EXPECT_EQ(ioc->item.lead_unit, "80.SKHCN");
  EXPECT_EQ(ioc->item.cooperating_units, (std::vector<std::string>{"80.VPUB", "80.STC"}));
  EXPECT_EQ(ioc->item.deadline, D("2025-12-31"));
  EXPECT_EQ(ioc->item.expected_product, "IOC vận hành");
  auto land = tracker().Get("TN57-NV-011", D("2025-10-31"));
  ASSERT_TRUE(land);
  EXPECT_EQ(land->item.deadline, D("2026-12-31"));
  auto open_data = tracker().Get("TN57-NV-012", D("2025-10-31"));
  ASSERT_TRUE(open_data);
  EXPECT_EQ(open_data->item.deadline, D("2025-09-30"));
}

TEST_F(Table, EveryRowIsCheckedAndNothingIsWrittenWhenOneFails) {
  AddItems();
  const size_t before = Count();
  // Line 1 is a title; the header is on line 2, so the rows are lines 3 to 8.
  const std::string csv =
      "Danh mục nhiệm vụ bổ sung\n"
      "Mã,Chương trình,Nội dung nhiệm vụ,Đơn vị chủ trì,Thời hạn,Chỉ tiêu,Loại\n"
      "TN57-NV-101,NQ57,Nhiệm vụ hợp lệ,80.SKHCN,31/12/2025,,\n"
      "TN57-NV-102,NQ57,Hạn sai,80.SKHCN,31/02/2025,,\n"
      "TN57-NV-103,NQ57,Đơn vị không có,80.KHONGCO,31/12/2025,,\n"
      "TN57-NV-104,NQ57,,80.SKHCN,31/12/2025,,\n"
      "TN57-CT-105,NQ57,Chỉ tiêu sai số,80.SKHCN,31/12/2025,nhiều,Chỉ tiêu\n"
      "TN57-NV-106,KHONGCO,Chương trình không có,80.SKHCN,31/12/2025,,\n"
      ",NQ57,Không có mã,80.SKHCN,31/12/2025,,\n";
  auto r = Import(csv);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->rows, 7u);
  EXPECT_FALSE(r->written);
  EXPECT_EQ(r->rejected, 6u);
  ASSERT_EQ(r->errors.size(), 6u) << Describe(*r);
  struct Expected {
    size_t row;
    const char* column;
    const char* code;
  };
  const Expected expected[] = {
      {4, "deadline", "tracker.invalid_field"},      {5, "lead_unit", "tracker.unknown_unit"},
      {6, "title", "tracker.missing_field"},         {7, "target_value", "tracker.invalid_field"},
      {8, "programme", "tracker.unknown_programme"}, {9, "code", "tracker.missing_field"},
  };
  for (size_t i = 0; i < r->errors.size(); ++i) {
    EXPECT_EQ(r->errors[i].row, expected[i].row) << Describe(*r);
    EXPECT_EQ(r->errors[i].column, expected[i].column) << Describe(*r);
    EXPECT_EQ(r->errors[i].code, expected[i].code) << Describe(*r);
    EXPECT_FALSE(r->errors[i].message.empty());
  }
  EXPECT_NE(r->errors[1].message.find("80.KHONGCO"), std::string::npos);
  EXPECT_EQ(Count(), before);  // the valid row was not written either
}

TEST_F(Table, AdjustmentsNeedAReasonAndAnApprovalColumn) {
  AddItems();
  const std::string header = "code,deadline,effective_date,reason,approval\n";
  auto missing = Import(header + "TN57-CT-01,31/03/2026,2025-09-10,Chờ hướng dẫn,\n");
  ASSERT_TRUE(missing);
  ASSERT_EQ(missing->errors.size(), 1u) << Describe(*missing);
  EXPECT_EQ(missing->errors[0].row, 2u);
  EXPECT_EQ(missing->errors[0].column, "approval");
  EXPECT_EQ(missing->errors[0].code, "tracker.approval_required");

  auto ok =
      Import(header + "TN57-CT-01,31/03/2026,2025-09-10,Chờ hướng dẫn,Văn bản số 123/UBND-KT\n");
  ASSERT_TRUE(ok);
  ASSERT_TRUE(ok->errors.empty()) << Describe(*ok);
  EXPECT_EQ(ok->updated, 1u);
  auto target = tracker().Get("TN57-CT-01", D("2025-10-31"));
  ASSERT_TRUE(target);
  EXPECT_TRUE(target->adjusted);
  EXPECT_EQ(target->effective, D("2025-09-10"));
  EXPECT_EQ(target->history.back().approval, "Văn bản số 123/UBND-KT");
  EXPECT_EQ(target->item.target_value, 0.1);  // columns not in the file are kept
}

TEST_F(Table, DryRunChecksAndCountsButWritesNothing) {
  AddItems();
  const size_t before = Count();
  const std::string csv =
      "code,programme,title,lead_unit,deadline,state\n"
      "TN57-NV-201,NQ57,Nhiệm vụ mới,80.SYT,2025-12-31,in_progress\n"
      "TN57-NV-001,NQ57,Xây dựng kho dữ liệu dùng chung của tỉnh,80.SKHCN,2025-12-31,completed\n";
  auto r = Import(csv, true);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(r->errors.empty()) << Describe(*r);
  EXPECT_TRUE(r->dry_run);
  EXPECT_FALSE(r->written);
  EXPECT_EQ(r->created, 1u);
  EXPECT_EQ(r->unchanged, 1u);
  EXPECT_EQ(Count(), before);
  EXPECT_EQ(CodeOf(tracker().Get("TN57-NV-201", D("2025-10-31"))), "tracker.not_found");

  auto written = Import(csv);
  ASSERT_TRUE(written);
  EXPECT_TRUE(written->written);
  EXPECT_EQ(Count(), before + 1);
}

TEST_F(Table, HeaderProblemsAndUnitsOfficersMayNotTouch) {
  auto unknown = Import("Mã,Màu sắc\nX-1,đỏ\n");
  ASSERT_TRUE(unknown);
  ASSERT_EQ(unknown->errors.size(), 1u);
  EXPECT_EQ(unknown->errors[0].code, "tracker.unknown_column");
  EXPECT_EQ(unknown->errors[0].column, "Màu sắc");
  EXPECT_EQ(unknown->errors[0].row, 1u);

  auto twice = Import("Mã,code\nX-1,X-1\n");
  ASSERT_TRUE(twice);
  ASSERT_EQ(twice->errors.size(), 1u);
  EXPECT_EQ(twice->errors[0].code, "tracker.duplicate_column");

  auto no_code = Import("Nội dung nhiệm vụ,Thời hạn\nA,31/12/2025\n");
  ASSERT_TRUE(no_code);
  ASSERT_EQ(no_code->errors.size(), 1u);
  EXPECT_EQ(no_code->errors[0].code, "tracker.missing_column");

  EXPECT_EQ(CodeOf(Import("")), "tracker.bad_file");
  EXPECT_EQ(CodeOf(tracker().ImportXlsx("not a workbook", Options())), "tracker.bad_file");

  ImportOptions officer = Options();
  officer.may_edit = [](const std::string& unit) { return unit == "80.SYT"; };
  std::istringstream in(
      "code,programme,title,lead_unit,deadline\n"
      "TN57-NV-301,NQ57,Của Sở Y tế,80.SYT,2025-12-31\n"
      "TN57-NV-302,NQ57,Của Sở Khoa học và Công nghệ,80.SKHCN,2025-12-31\n");
  auto r = tracker().ImportCsv(in, officer);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->errors.size(), 1u) << Describe(*r);
  EXPECT_EQ(r->errors[0].row, 3u);
  EXPECT_EQ(r->errors[0].code, "tracker.forbidden");
  EXPECT_FALSE(r->written);
}

}  // namespace
}  // namespace pdh::tracker::testing
