// The demo province's Resolution 57 register: the centre's 166 tasks assigned to Tây Ninh and the
// People's Committee's plan (53 targets, 235 tasks for departments, branches and communes), with
// histories through 2025 whose state on 2025-10-31 is the October 2025 report's, adjustments, and
// monthly progress reports where most units report by the 25th, some late and two not at all.
// Every choice comes from a fixed-seed generator and every write is dated by a manual clock, so
// each run writes the same register.
#include <algorithm>
#include <array>
#include <chrono>
#include <map>
#include <utility>

#include "core/random.h"
#include "tracker/internal.h"

namespace pdh::tracker {
namespace {

using internal::MonthOf;
using internal::NextMonth;

// --- The report's figures (design §1) -------------------------------------------------------

constexpr Date kReportDate{2025, 10, 31};
constexpr size_t kCentralTasks = 166;
constexpr size_t kCentralCompleted = 90;  // the other 76 in progress
constexpr size_t kCentralRecurring = 20;  // of those in progress
constexpr size_t kCentralLaterDone = 5;   // of those in progress, completed in November
constexpr size_t kTargets = 53;
constexpr size_t kTargetsCompleted = 32;
constexpr size_t kTargetsOverdue = 4;
constexpr size_t kTargetsNotStarted = 3;
constexpr size_t kDepartmentTasks = 205;
constexpr size_t kCommunes = 15;  // communes given tasks, two each
constexpr size_t kCommuneTasks = 2 * kCommunes;
// Province tasks by fate on the report date: departments' and communes'.
constexpr size_t kDepartmentCompleted = 80, kCommuneCompleted = 8;    // 88
constexpr size_t kDepartmentOverdue = 25, kCommuneOverdue = 5;        // 30
constexpr size_t kDepartmentNotStarted = 15, kCommuneNotStarted = 2;  // 17; the rest in progress
constexpr size_t kExtended = 6;  // in-progress tasks whose deadline was extended past the date

constexpr std::string_view kActor = "demo";
constexpr std::string_view kCentralCode = "NQ57";
constexpr std::string_view kPlanCode = "KH-NQ57-TN";
constexpr Date kResolutionDate{2024, 12, 22};
constexpr Date kPlanDate{2025, 2, 20};
constexpr Date kMergerPlanDate{2025, 7, 15};  // tasks of the merged province and its communes

Date RandomDate(Rng& rng, Date from, Date to) {
  return FromDayNumber(rng.Between(DayNumber(from), DayNumber(to)));
}

Date MonthEnd(Date d) {
  return LastDayOfMonth(d.year, d.month);
}

std::string Pad(size_t n, size_t width) {
  std::string s = std::to_string(n);
  return std::string(width > s.size() ? width - s.size() : 0, '0') + s;
}

std::string DayMonthYear(Date d) {
  return Pad(static_cast<size_t>(d.day), 2) + "/" + Pad(static_cast<size_t>(d.month), 2) + "/" +
         std::to_string(d.year);
}

TimePoint At(Date d, int hour, int minute) {
  using namespace std::chrono;
  const sys_days midnight{year{d.year} / month{static_cast<unsigned>(d.month)} /
                          day{static_cast<unsigned>(d.day)}};
  return TimePoint(midnight) + hours(hour) + minutes(minute);
}

// --- Content --------------------------------------------------------------------------------

// Kinds of expected product (sản phẩm), as plans word them.
std::string Product(char kind) {
  switch (kind) {
    case 'V':
      return "Văn bản được cấp có thẩm quyền ban hành";
    case 'K':
      return "Kế hoạch, đề án được phê duyệt và tổ chức thực hiện";
    case 'H':
      return "Hệ thống được đưa vào vận hành, khai thác";
    case 'D':
      return "Cơ sở dữ liệu được cập nhật, kết nối, chia sẻ qua nền tảng của tỉnh";
    case 'T':
      return "Cán bộ, người dân được đào tạo, bồi dưỡng; báo cáo kết quả";
    case 'M':
      return "Mô hình được triển khai, đánh giá và nhân rộng";
    case 'S':
      return "Sự kiện, chiến dịch được tổ chức; báo cáo kết quả";
    default:
      return "Báo cáo kết quả thực hiện gửi cơ quan có thẩm quyền";
  }
}

// The sectors of Resolution 57 and who in the province answers for each: the departments that
// take part in the centre's tasks, and the People's Committee leader in charge.
struct SectorSpec {
  std::string_view name;
  std::vector<std::string_view> departments;
  size_t leader;  // index into Leaders()
};

const std::vector<SectorSpec>& Sectors() {
  static const std::vector<SectorSpec> sectors = {
      {"Thể chế, chính sách", {"80.STP", "80.SKHCN", "80.STC"}, 1},
      {"Khoa học và Công nghệ", {"80.SKHCN", "80.SNNMT"}, 4},
      {"Đổi mới sáng tạo", {"80.SKHCN", "80.SCT"}, 4},
      {"Chuyển đổi số", {"80.SKHCN", "80.VPUB"}, 4},
      {"Hạ tầng số", {"80.SKHCN", "80.SXD"}, 4},
      {"Nguồn nhân lực", {"80.SNV", "80.SGDDT"}, 2},
      {"Dữ liệu số", {"80.SKHCN", "80.CAT"}, 4},
      {"Chính quyền số", {"80.VPUB", "80.TTPVHCC"}, 1},
      {"Kinh tế số", {"80.SCT", "80.STC"}, 3},
      {"Xã hội số", {"80.SYT", "80.SGDDT"}, 2},
      {"An toàn, an ninh mạng", {"80.CAT", "80.SKHCN"}, 4},
  };
  return sectors;
}

const SectorSpec& SectorNamed(std::string_view name) {
  const auto& all = Sectors();
  return *std::find_if(all.begin(), all.end(), [&](const SectorSpec& s) { return s.name == name; });
}

// The provincial People's Committee's leaders (fictional names).
const std::vector<Leader>& Leaders() {
  static const std::vector<Leader> leaders = {
      {"Nguyễn Văn Quang", "Chủ tịch UBND tỉnh"},
      {"Trần Minh Hải", "Phó Chủ tịch Thường trực UBND tỉnh"},
      {"Lê Thị Thu Hà", "Phó Chủ tịch UBND tỉnh"},
      {"Phạm Hoàng Sơn", "Phó Chủ tịch UBND tỉnh"},
      {"Võ Thanh Tùng", "Phó Chủ tịch UBND tỉnh"},
  };
  return leaders;
}

struct TaskSpec {
  std::string_view sector;
  std::string_view title;
  char product;
  Recurrence recurrence = Recurrence::kNone;
};

// The centre's tasks for the provinces under Resolution 57 (the Government's action programme
// and the Central Steering Committee's plans), as assigned to Tây Ninh.
const std::vector<TaskSpec>& CentralTasks() {
  constexpr auto kMonthly = Recurrence::kMonthly;
  constexpr auto kYearly = Recurrence::kYearly;
  static const std::vector<TaskSpec> tasks = {
      {"Thể chế, chính sách",
       "Rà soát, đề xuất sửa đổi các quy định của tỉnh cản trở phát triển khoa học, công nghệ, "
       "đổi mới sáng tạo và chuyển đổi số",
       'B'},
      {"Thể chế, chính sách", "Ban hành quy chế quản lý, khai thác, chia sẻ dữ liệu của tỉnh", 'V'},
      {"Thể chế, chính sách",
       "Ban hành cơ chế khuyến khích doanh nghiệp đầu tư cho nghiên cứu, phát triển và đổi mới "
       "công nghệ",
       'V'},
      {"Thể chế, chính sách",
       "Ban hành chính sách hỗ trợ khởi nghiệp đổi mới sáng tạo trên địa bàn tỉnh", 'V'},
      {"Thể chế, chính sách",
       "Xây dựng cơ chế thử nghiệm có kiểm soát đối với công nghệ, mô hình kinh doanh mới", 'K'},
      {"Thể chế, chính sách",
       "Kiện toàn Ban Chỉ đạo của tỉnh về phát triển khoa học, công nghệ, đổi mới sáng tạo và "
       "chuyển đổi số",
       'V'},
      {"Thể chế, chính sách",
       "Ban hành Chương trình hành động của tỉnh thực hiện Nghị quyết số 57-NQ/TW", 'V'},
      {"Thể chế, chính sách",
       "Đưa chỉ tiêu khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số vào kế hoạch phát "
       "triển kinh tế - xã hội hằng năm",
       'K'},
      {"Thể chế, chính sách",
       "Bố trí tối thiểu 3% tổng chi ngân sách hằng năm cho khoa học, công nghệ, đổi mới sáng tạo "
       "và chuyển đổi số",
       'V', kYearly},
      {"Thể chế, chính sách",
       "Rà soát, sắp xếp các tổ chức khoa học và công nghệ công lập của tỉnh", 'K'},
      {"Thể chế, chính sách",
       "Ban hành quy định về đặt hàng nhiệm vụ khoa học và công nghệ cấp tỉnh", 'V'},
      {"Thể chế, chính sách",
       "Thực hiện cơ chế khoán chi đến sản phẩm cuối cùng đối với nhiệm vụ khoa học và công nghệ",
       'V'},
      {"Thể chế, chính sách", "Sơ kết, đánh giá kết quả thực hiện Nghị quyết số 57-NQ/TW hằng năm",
       'B', kYearly},
      {"Thể chế, chính sách", "Báo cáo tình hình thực hiện Nghị quyết số 57-NQ/TW hằng tháng", 'B',
       kMonthly},
      {"Thể chế, chính sách",
       "Ban hành quy định quản lý đầu tư ứng dụng công nghệ thông tin sử dụng ngân sách tỉnh", 'V'},
      {"Khoa học và Công nghệ",
       "Xây dựng Chiến lược phát triển khoa học, công nghệ và đổi mới sáng tạo của tỉnh đến năm "
       "2030, tầm nhìn đến năm 2045",
       'K'},
      {"Khoa học và Công nghệ",
       "Triển khai nhiệm vụ khoa học và công nghệ phục vụ nông nghiệp công nghệ cao", 'M'},
      {"Khoa học và Công nghệ", "Phát triển thị trường khoa học và công nghệ của tỉnh", 'M'},
      {"Khoa học và Công nghệ", "Hỗ trợ doanh nghiệp đổi mới, chuyển giao công nghệ", 'M'},
      {"Khoa học và Công nghệ", "Phát triển doanh nghiệp khoa học và công nghệ trên địa bàn tỉnh",
       'M'},
      {"Khoa học và Công nghệ",
       "Nâng cao năng lực tiêu chuẩn, đo lường, chất lượng phục vụ sản xuất, kinh doanh", 'M'},
      {"Khoa học và Công nghệ", "Đẩy mạnh đăng ký, bảo hộ và khai thác quyền sở hữu trí tuệ", 'B'},
      {"Khoa học và Công nghệ",
       "Đầu tư trang thiết bị cho các tổ chức khoa học và công nghệ công lập", 'H'},
      {"Khoa học và Công nghệ",
       "Hợp tác với viện, trường đại học trong nghiên cứu, ứng dụng khoa học và công nghệ", 'B'},
      {"Khoa học và Công nghệ",
       "Ứng dụng công nghệ sinh học trong sản xuất giống cây trồng, vật nuôi", 'M'},
      {"Khoa học và Công nghệ", "Xây dựng cơ sở dữ liệu về tiềm lực khoa học và công nghệ của tỉnh",
       'D'},
      {"Khoa học và Công nghệ",
       "Thu hút chuyên gia, nhà khoa học tham gia giải quyết các vấn đề của tỉnh", 'B'},
      {"Khoa học và Công nghệ", "Phổ biến kiến thức khoa học và công nghệ đến người dân", 'S',
       kMonthly},
      {"Khoa học và Công nghệ", "Phát triển mạng lưới tổ chức dịch vụ khoa học và công nghệ", 'M'},
      {"Khoa học và Công nghệ",
       "Ứng dụng năng lượng tái tạo, năng lượng sạch trong sản xuất và đời sống", 'M'},
      {"Khoa học và Công nghệ", "Nghiên cứu, ứng dụng trí tuệ nhân tạo phục vụ quản lý nhà nước",
       'H'},
      {"Đổi mới sáng tạo", "Thành lập Trung tâm Đổi mới sáng tạo tỉnh Tây Ninh", 'V'},
      {"Đổi mới sáng tạo", "Xây dựng hệ sinh thái khởi nghiệp đổi mới sáng tạo của tỉnh", 'K'},
      {"Đổi mới sáng tạo", "Tổ chức Ngày hội khởi nghiệp đổi mới sáng tạo tỉnh hằng năm", 'S',
       kYearly},
      {"Đổi mới sáng tạo", "Hỗ trợ ươm tạo dự án khởi nghiệp đổi mới sáng tạo", 'M'},
      {"Đổi mới sáng tạo", "Thành lập quỹ hỗ trợ khởi nghiệp đổi mới sáng tạo của tỉnh", 'V'},
      {"Đổi mới sáng tạo", "Kết nối Mạng lưới đổi mới sáng tạo Việt Nam với doanh nghiệp của tỉnh",
       'M'},
      {"Đổi mới sáng tạo",
       "Đưa nội dung khởi nghiệp, đổi mới sáng tạo vào các cơ sở giáo dục nghề nghiệp", 'M'},
      {"Đổi mới sáng tạo", "Hỗ trợ doanh nghiệp nhỏ và vừa đổi mới sáng tạo, nâng cao năng suất",
       'M'},
      {"Đổi mới sáng tạo", "Xây dựng không gian làm việc chung cho khởi nghiệp", 'H'},
      {"Đổi mới sáng tạo",
       "Đánh giá chỉ số đổi mới sáng tạo cấp địa phương (PII) và giải pháp nâng hạng", 'B',
       kYearly},
      {"Đổi mới sáng tạo", "Phát động phong trào sáng kiến, cải tiến kỹ thuật", 'S'},
      {"Đổi mới sáng tạo",
       "Tổ chức cuộc thi ý tưởng khởi nghiệp đổi mới sáng tạo cho học sinh, sinh viên", 'S'},
      {"Đổi mới sáng tạo", "Phát triển mô hình đổi mới sáng tạo mở trong doanh nghiệp", 'M'},
      {"Đổi mới sáng tạo", "Hỗ trợ thương mại hóa kết quả nghiên cứu khoa học", 'M'},
      {"Chuyển đổi số", "Ban hành Kế hoạch chuyển đổi số năm 2025 của tỉnh", 'K'},
      {"Chuyển đổi số", "Cập nhật Kiến trúc chính quyền số tỉnh phiên bản 4.0", 'V'},
      {"Chuyển đổi số",
       "Triển khai Đề án 06 về phát triển ứng dụng dữ liệu dân cư, định danh và xác thực điện tử",
       'M', kMonthly},
      {"Chuyển đổi số", "Chuyển đổi số trong các cơ quan Đảng, Mặt trận và đoàn thể của tỉnh", 'M'},
      {"Chuyển đổi số", "Chuyển đổi số cấp xã sau sắp xếp đơn vị hành chính", 'M'},
      {"Chuyển đổi số", "Đánh giá mức độ chuyển đổi số của sở, ngành và cấp xã hằng năm", 'B',
       kYearly},
      {"Chuyển đổi số", "Tổ chức Ngày Chuyển đổi số của tỉnh (10/10) hằng năm", 'S', kYearly},
      {"Chuyển đổi số", "Ứng dụng trợ lý ảo hỗ trợ cán bộ, công chức", 'H'},
      {"Chuyển đổi số", "Triển khai các nền tảng số dùng chung của tỉnh", 'H'},
      {"Chuyển đổi số", "Tuyên truyền, nâng cao nhận thức về chuyển đổi số", 'S', kMonthly},
      {"Chuyển đổi số", "Chuyển đổi số trong lĩnh vực y tế", 'M'},
      {"Chuyển đổi số", "Chuyển đổi số trong lĩnh vực giáo dục và đào tạo", 'M'},
      {"Chuyển đổi số", "Chuyển đổi số trong lĩnh vực nông nghiệp", 'M'},
      {"Chuyển đổi số", "Chuyển đổi số trong lĩnh vực giao thông vận tải, logistics", 'M'},
      {"Chuyển đổi số", "Chuyển đổi số trong lĩnh vực du lịch", 'M'},
      {"Chuyển đổi số", "Chuyển đổi số trong lĩnh vực đất đai, môi trường", 'M'},
      {"Hạ tầng số", "Phủ sóng di động 4G, 5G đến 100% ấp, khu phố", 'H'},
      {"Hạ tầng số", "Phát triển hạ tầng cáp quang băng rộng đến hộ gia đình", 'H'},
      {"Hạ tầng số", "Nâng cấp Trung tâm dữ liệu tỉnh theo mô hình điện toán đám mây", 'H'},
      {"Hạ tầng số", "Mở rộng mạng truyền số liệu chuyên dùng đến cấp xã", 'H'},
      {"Hạ tầng số", "Triển khai hạ tầng Internet vạn vật (IoT) phục vụ đô thị thông minh", 'H'},
      {"Hạ tầng số", "Xóa vùng lõm sóng di động tại khu vực biên giới", 'H'},
      {"Hạ tầng số", "Chuyển đổi hệ thống thông tin của tỉnh sang IPv6", 'H'},
      {"Hạ tầng số", "Lắp đặt camera giám sát giao thông, an ninh trật tự", 'H'},
      {"Hạ tầng số", "Phát triển hạ tầng sạc xe điện và lưới điện thông minh", 'H'},
      {"Hạ tầng số", "Triển khai hệ thống quan trắc tự động môi trường, thủy văn", 'H'},
      {"Hạ tầng số", "Nâng cấp hạ tầng kỹ thuật Trung tâm Phục vụ hành chính công", 'H'},
      {"Hạ tầng số", "Hỗ trợ điện thoại thông minh cho hộ nghèo, hộ cận nghèo", 'M'},
      {"Hạ tầng số", "Sử dụng chung hạ tầng viễn thông thụ động", 'V'},
      {"Hạ tầng số", "Đầu tư Trung tâm giám sát, điều hành thông minh (IOC) của tỉnh giai đoạn 2",
       'H'},
      {"Hạ tầng số", "Nâng cấp hạ tầng công nghệ thông tin cấp xã sau sắp xếp", 'H'},
      {"Nguồn nhân lực", "Đào tạo, bồi dưỡng kỹ năng số cho cán bộ, công chức, viên chức", 'T'},
      {"Nguồn nhân lực",
       "Bồi dưỡng kiến thức khoa học, công nghệ, đổi mới sáng tạo cho cán bộ lãnh đạo", 'T'},
      {"Nguồn nhân lực", "Thu hút nhân lực chất lượng cao về công nghệ thông tin", 'V'},
      {"Nguồn nhân lực", "Phát triển đội ngũ chuyên gia chuyển đổi số của tỉnh", 'M'},
      {"Nguồn nhân lực", "Đào tạo nghề công nghệ số cho lao động nông thôn", 'T'},
      {"Nguồn nhân lực", "Đưa giáo dục STEM, kỹ năng số vào trường phổ thông", 'M'},
      {"Nguồn nhân lực", "Thành lập Tổ công nghệ số cộng đồng tại các ấp, khu phố", 'M'},
      {"Nguồn nhân lực", "Phổ cập kỹ năng số cho người dân qua phong trào Bình dân học vụ số", 'T',
       kMonthly},
      {"Nguồn nhân lực", "Cử cán bộ đi đào tạo sau đại học về khoa học, công nghệ", 'T'},
      {"Nguồn nhân lực", "Mở rộng đào tạo ngành kỹ thuật, công nghệ tại các trường cao đẳng", 'T'},
      {"Nguồn nhân lực",
       "Ban hành chính sách đãi ngộ cán bộ chuyên trách công nghệ thông tin, chuyển đổi số", 'V'},
      {"Nguồn nhân lực", "Bồi dưỡng chuyên sâu về an toàn thông tin cho cán bộ chuyên trách", 'T'},
      {"Nguồn nhân lực", "Tập huấn khai thác, sử dụng dữ liệu cho cán bộ cấp xã", 'T'},
      {"Nguồn nhân lực", "Phát triển nguồn nhân lực bán dẫn, trí tuệ nhân tạo", 'K'},
      {"Dữ liệu số", "Xây dựng Kho dữ liệu dùng chung của tỉnh", 'D'},
      {"Dữ liệu số", "Kết nối cơ sở dữ liệu chuyên ngành với Cơ sở dữ liệu quốc gia về dân cư",
       'D'},
      {"Dữ liệu số", "Hợp nhất cơ sở dữ liệu chuyên ngành của hai tỉnh sau sắp xếp", 'D'},
      {"Dữ liệu số", "Xây dựng danh mục dữ liệu dùng chung và dữ liệu mở của tỉnh", 'V'},
      {"Dữ liệu số", "Công bố dữ liệu mở trên Cổng dữ liệu mở của tỉnh", 'D', kMonthly},
      {"Dữ liệu số", "Làm sạch dữ liệu hộ tịch, đất đai theo tiêu chí đúng, đủ, sạch, sống", 'D'},
      {"Dữ liệu số", "Xây dựng cơ sở dữ liệu đất đai hoàn chỉnh", 'D'},
      {"Dữ liệu số", "Xây dựng cơ sở dữ liệu hồ sơ sức khỏe điện tử", 'D'},
      {"Dữ liệu số", "Xây dựng cơ sở dữ liệu ngành giáo dục", 'D'},
      {"Dữ liệu số",
       "Kết nối Nền tảng tích hợp, chia sẻ dữ liệu tỉnh (LGSP) với Nền tảng quốc gia (NDXP)", 'H'},
      {"Dữ liệu số", "Số hóa tài liệu lưu trữ lịch sử", 'D'},
      {"Dữ liệu số",
       "Xây dựng Bộ chỉ số phục vụ chỉ đạo, điều hành kết nối Trung tâm điều hành thông minh", 'D'},
      {"Dữ liệu số", "Xây dựng cơ sở dữ liệu doanh nghiệp, hộ kinh doanh", 'D'},
      {"Dữ liệu số", "Xây dựng cơ sở dữ liệu an sinh xã hội", 'D'},
      {"Dữ liệu số", "Xây dựng cơ sở dữ liệu nông nghiệp, mã số vùng trồng", 'D'},
      {"Dữ liệu số", "Ứng dụng dữ liệu lớn phân tích, hỗ trợ ra quyết định", 'H'},
      {"Chính quyền số", "Cung cấp dịch vụ công trực tuyến toàn trình", 'H', kMonthly},
      {"Chính quyền số", "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính", 'D', kMonthly},
      {"Chính quyền số", "Thanh toán trực tuyến phí, lệ phí thủ tục hành chính", 'H'},
      {"Chính quyền số", "Xử lý văn bản, hồ sơ công việc trên môi trường mạng", 'H'},
      {"Chính quyền số", "Sử dụng chữ ký số trong cơ quan nhà nước", 'H'},
      {"Chính quyền số", "Triển khai hệ thống họp không giấy", 'H'},
      {"Chính quyền số",
       "Kết nối Hệ thống thông tin báo cáo của tỉnh với Hệ thống thông tin báo cáo Chính phủ", 'H'},
      {"Chính quyền số", "Nâng cấp Hệ thống thông tin giải quyết thủ tục hành chính của tỉnh", 'H'},
      {"Chính quyền số", "Phát triển ứng dụng Công dân số Tây Ninh", 'H'},
      {"Chính quyền số", "Tiếp nhận, xử lý phản ánh, kiến nghị qua Tổng đài 1022", 'H', kMonthly},
      {"Chính quyền số",
       "Tái sử dụng dữ liệu số hóa, không yêu cầu người dân nộp lại giấy tờ đã có", 'M'},
      {"Chính quyền số", "Triển khai chính quyền số cấp xã", 'M'},
      {"Chính quyền số", "Cắt giảm, đơn giản hóa thủ tục hành chính trên cơ sở dữ liệu", 'V'},
      {"Chính quyền số", "Triển khai hệ thống quản lý cán bộ, công chức thống nhất", 'H'},
      {"Chính quyền số", "Vận hành Trung tâm Phục vụ hành chính công một cấp", 'M'},
      {"Chính quyền số", "Đánh giá chất lượng phục vụ người dân, doanh nghiệp theo thời gian thực",
       'H'},
      {"Kinh tế số", "Đưa sản phẩm OCOP lên sàn thương mại điện tử", 'M'},
      {"Kinh tế số", "Hỗ trợ doanh nghiệp nhỏ và vừa chuyển đổi số", 'M'},
      {"Kinh tế số", "Phát triển doanh nghiệp công nghệ số", 'M'},
      {"Kinh tế số", "Thúc đẩy thanh toán không dùng tiền mặt", 'M', kMonthly},
      {"Kinh tế số", "Triển khai hóa đơn điện tử khởi tạo từ máy tính tiền", 'H'},
      {"Kinh tế số", "Phát triển nông nghiệp số, truy xuất nguồn gốc nông sản", 'M'},
      {"Kinh tế số", "Phát triển du lịch thông minh", 'M'},
      {"Kinh tế số", "Phát triển logistics số gắn với khu kinh tế cửa khẩu", 'M'},
      {"Kinh tế số", "Thu hút đầu tư vào công nghệ số, trung tâm dữ liệu", 'B'},
      {"Kinh tế số", "Hỗ trợ hộ kinh doanh chuyển đổi số", 'M'},
      {"Kinh tế số", "Phát triển khu công nghệ thông tin tập trung", 'K'},
      {"Kinh tế số", "Đo lường tỷ trọng kinh tế số trong GRDP của tỉnh", 'B', kYearly},
      {"Kinh tế số", "Chuyển đổi số trong các khu công nghiệp", 'M'},
      {"Kinh tế số", "Phát triển chợ 4.0", 'M'},
      {"Kinh tế số", "Chuyển đổi số hợp tác xã", 'M'},
      {"Kinh tế số", "Phát triển mô hình kinh tế chia sẻ", 'M'},
      {"Xã hội số", "Triển khai sổ sức khỏe điện tử", 'H'},
      {"Xã hội số", "Triển khai bệnh án điện tử", 'H'},
      {"Xã hội số", "Triển khai học bạ số", 'H'},
      {"Xã hội số", "Chi trả an sinh xã hội không dùng tiền mặt", 'M'},
      {"Xã hội số", "Phát triển thư viện số", 'H'},
      {"Xã hội số", "Triển khai văn bằng, chứng chỉ số", 'H'},
      {"Xã hội số", "Đẩy mạnh sử dụng tài khoản định danh điện tử VNeID", 'M', kMonthly},
      {"Xã hội số", "Phát triển kỹ năng số cho học sinh", 'T'},
      {"Xã hội số", "Phát triển nền tảng giáo dục trực tuyến", 'H'},
      {"Xã hội số", "Xây dựng cộng đồng số tại khu dân cư", 'M'},
      {"Xã hội số", "Hỗ trợ người dân vùng sâu, vùng xa tiếp cận dịch vụ số", 'M'},
      {"Xã hội số", "Số hóa di sản văn hóa", 'D'},
      {"Xã hội số", "Phát triển báo chí, truyền thông số", 'M'},
      {"Xã hội số", "Ứng dụng công nghệ số chăm sóc sức khỏe người cao tuổi", 'M'},
      {"Xã hội số", "Phát triển dịch vụ khám bệnh, chữa bệnh từ xa", 'H'},
      {"An toàn, an ninh mạng", "Bảo đảm an toàn hệ thống thông tin theo cấp độ", 'H'},
      {"An toàn, an ninh mạng", "Triển khai mô hình bảo vệ 4 lớp", 'H'},
      {"An toàn, an ninh mạng",
       "Kết nối Trung tâm giám sát an toàn thông tin (SOC) của tỉnh với hệ thống quốc gia", 'H'},
      {"An toàn, an ninh mạng", "Diễn tập ứng cứu sự cố an toàn thông tin mạng hằng năm", 'S',
       kYearly},
      {"An toàn, an ninh mạng", "Kiểm tra, đánh giá an toàn thông tin định kỳ", 'B'},
      {"An toàn, an ninh mạng", "Bảo vệ dữ liệu cá nhân trong cơ quan nhà nước", 'V'},
      {"An toàn, an ninh mạng", "Phòng, chống lừa đảo trực tuyến", 'S', kMonthly},
      {"An toàn, an ninh mạng", "Triển khai giải pháp phòng, chống mã độc tập trung", 'H'},
      {"An toàn, an ninh mạng", "Kiện toàn Đội ứng cứu sự cố an toàn thông tin mạng của tỉnh", 'V'},
      {"An toàn, an ninh mạng", "Rà soát lỗ hổng, điểm yếu của các hệ thống thông tin", 'B'},
      {"An toàn, an ninh mạng", "Bảo đảm an ninh mạng cho hạ tầng trọng yếu", 'H'},
      {"An toàn, an ninh mạng", "Tuyên truyền nâng cao nhận thức về an toàn thông tin", 'S'},
      {"An toàn, an ninh mạng", "Giám sát an toàn thông tin cho hệ thống cấp xã", 'H'},
  };
  return tasks;
}

// A department's own tasks in the province's plan.
struct UnitTaskSpec {
  std::string_view unit;
  std::string_view sector;
  std::string_view title;
  char product;
};

const std::vector<UnitTaskSpec>& DepartmentTasks() {
  static const std::vector<UnitTaskSpec> tasks = {
      {"80.SKHCN", "Thể chế, chính sách",
       "Tham mưu UBND tỉnh ban hành Kế hoạch thực hiện Nghị quyết số 57-NQ/TW năm 2025", 'K'},
      {"80.SKHCN", "Chuyển đổi số",
       "Vận hành Trung tâm giám sát, điều hành thông minh (IOC) của tỉnh sau hợp nhất", 'H'},
      {"80.SKHCN", "Dữ liệu số",
       "Nâng cấp Nền tảng tích hợp, chia sẻ dữ liệu tỉnh (LGSP) kết nối NDXP", 'H'},
      {"80.SKHCN", "Chuyển đổi số",
       "Hợp nhất các hệ thống thông tin dùng chung của hai tỉnh sau sắp xếp", 'H'},
      {"80.SKHCN", "Dữ liệu số", "Triển khai Cổng dữ liệu mở của tỉnh", 'H'},
      {"80.SKHCN", "Chuyển đổi số", "Triển khai nền tảng trợ lý ảo cho cán bộ, công chức", 'H'},
      {"80.SKHCN", "Đổi mới sáng tạo",
       "Tổ chức Ngày hội khởi nghiệp đổi mới sáng tạo tỉnh Tây Ninh năm 2025", 'S'},
      {"80.SKHCN", "Đổi mới sáng tạo", "Trình UBND tỉnh thành lập Trung tâm Đổi mới sáng tạo tỉnh",
       'V'},
      {"80.SKHCN", "Khoa học và Công nghệ",
       "Xây dựng cơ sở dữ liệu nhiệm vụ khoa học và công nghệ của tỉnh", 'D'},
      {"80.SKHCN", "Chuyển đổi số", "Hướng dẫn các xã, phường triển khai chuyển đổi số sau sắp xếp",
       'V'},
      {"80.SKHCN", "An toàn, an ninh mạng",
       "Mở rộng giám sát an toàn, an ninh mạng (SOC) đến cấp xã", 'H'},
      {"80.SKHCN", "Chuyển đổi số",
       "Đánh giá mức độ chuyển đổi số của sở, ngành, xã, phường năm 2025", 'B'},
      {"80.VPUB", "Chính quyền số", "Triển khai hệ thống họp không giấy của UBND tỉnh", 'H'},
      {"80.VPUB", "Chính quyền số",
       "Kết nối Hệ thống thông tin báo cáo tỉnh với Hệ thống thông tin báo cáo Chính phủ", 'H'},
      {"80.VPUB", "Dữ liệu số", "Xây dựng bộ chỉ tiêu chỉ đạo, điều hành của UBND tỉnh trên IOC",
       'D'},
      {"80.VPUB", "Chính quyền số",
       "Theo dõi, đôn đốc nhiệm vụ UBND tỉnh giao trên Hệ thống quản lý văn bản và điều hành", 'B'},
      {"80.VPUB", "Chính quyền số",
       "Chuẩn hóa quy trình nội bộ giải quyết thủ tục hành chính của tỉnh", 'V'},
      {"80.TTPVHCC", "Chính quyền số",
       "Vận hành Trung tâm Phục vụ hành chính công tỉnh theo mô hình một cấp", 'M'},
      {"80.TTPVHCC", "Chính quyền số",
       "Tái cấu trúc quy trình, cung cấp dịch vụ công trực tuyến toàn trình", 'H'},
      {"80.TTPVHCC", "Chính quyền số",
       "Triển khai thanh toán trực tuyến tại bộ phận một cửa cấp xã", 'H'},
      {"80.TTPVHCC", "Chính quyền số",
       "Đánh giá sự hài lòng của người dân theo thời gian thực tại bộ phận một cửa", 'H'},
      {"80.SNV", "Dữ liệu số",
       "Cập nhật Cơ sở dữ liệu cán bộ, công chức, viên chức sau sắp xếp bộ máy", 'D'},
      {"80.SNV", "Dữ liệu số", "Số hóa tài liệu lưu trữ lịch sử của hai tỉnh trước hợp nhất", 'D'},
      {"80.SNV", "Xã hội số", "Chi trả trợ cấp an sinh xã hội không dùng tiền mặt", 'M'},
      {"80.SNV", "Nguồn nhân lực",
       "Rà soát vị trí việc làm chuyên trách công nghệ thông tin, chuyển đổi số", 'B'},
      {"80.SNV", "Nguồn nhân lực",
       "Tham mưu chính sách thu hút nhân lực chất lượng cao về chuyển đổi số", 'V'},
      {"80.STC", "Thể chế, chính sách",
       "Tham mưu bố trí kinh phí thực hiện Nghị quyết số 57-NQ/TW năm 2025", 'V'},
      {"80.STC", "Dữ liệu số", "Xây dựng cơ sở dữ liệu tài sản công, đầu tư công của tỉnh", 'D'},
      {"80.STC", "Kinh tế số", "Đo lường tỷ trọng kinh tế số trong GRDP của tỉnh năm 2025", 'B'},
      {"80.STC", "Thể chế, chính sách",
       "Tham mưu cơ chế hỗ trợ doanh nghiệp đầu tư đổi mới công nghệ", 'V'},
      {"80.STC", "Dữ liệu số",
       "Khai thác Cơ sở dữ liệu quốc gia về đăng ký doanh nghiệp phục vụ quản lý", 'D'},
      {"80.STP", "Thể chế, chính sách",
       "Rà soát văn bản quy phạm pháp luật của tỉnh về khoa học, công nghệ, chuyển đổi số", 'B'},
      {"80.STP", "Dữ liệu số", "Số hóa, làm sạch dữ liệu hộ tịch của hai tỉnh trước hợp nhất", 'D'},
      {"80.STP", "Chính quyền số", "Cấp phiếu lý lịch tư pháp trên ứng dụng VNeID", 'H'},
      {"80.SCT", "Kinh tế số", "Đưa sản phẩm OCOP của tỉnh lên sàn thương mại điện tử", 'M'},
      {"80.SCT", "Kinh tế số", "Vận hành Sàn thương mại điện tử của tỉnh sau hợp nhất", 'H'},
      {"80.SCT", "Kinh tế số", "Phát triển chợ 4.0, thanh toán không dùng tiền mặt tại chợ", 'M'},
      {"80.SCT", "Kinh tế số",
       "Hỗ trợ doanh nghiệp xuất khẩu qua thương mại điện tử xuyên biên giới", 'M'},
      {"80.SCT", "Dữ liệu số", "Xây dựng cơ sở dữ liệu năng lượng của tỉnh", 'D'},
      {"80.SNNMT", "Dữ liệu số", "Hoàn thiện cơ sở dữ liệu đất đai của tỉnh", 'D'},
      {"80.SNNMT", "Kinh tế số", "Cấp mã số vùng trồng, truy xuất nguồn gốc nông sản", 'D'},
      {"80.SNNMT", "Hạ tầng số", "Vận hành hệ thống quan trắc môi trường tự động", 'H'},
      {"80.SNNMT", "Kinh tế số", "Chuyển đổi số hợp tác xã nông nghiệp", 'M'},
      {"80.SNNMT", "Dữ liệu số", "Xây dựng bản đồ số dùng chung (GIS) của tỉnh", 'H'},
      {"80.SNNMT", "Khoa học và Công nghệ", "Ứng dụng công nghệ cao trong sản xuất nông nghiệp",
       'M'},
      {"80.SXD", "Hạ tầng số", "Xây dựng hệ thống giám sát giao thông thông minh", 'H'},
      {"80.SXD", "Chính quyền số", "Cấp phép xây dựng trực tuyến", 'H'},
      {"80.SXD", "Dữ liệu số", "Xây dựng cơ sở dữ liệu quy hoạch xây dựng", 'D'},
      {"80.SXD", "Hạ tầng số", "Hướng dẫn sử dụng chung hạ tầng kỹ thuật đô thị cho viễn thông",
       'V'},
      {"80.SGDDT", "Xã hội số", "Triển khai học bạ số cấp tiểu học, trung học", 'H'},
      {"80.SGDDT", "Xã hội số", "Triển khai văn bằng, chứng chỉ số", 'H'},
      {"80.SGDDT", "Nguồn nhân lực", "Đưa giáo dục STEM vào trường phổ thông", 'M'},
      {"80.SGDDT", "Dữ liệu số", "Cập nhật cơ sở dữ liệu ngành giáo dục", 'D'},
      {"80.SGDDT", "Nguồn nhân lực", "Bồi dưỡng năng lực số cho giáo viên", 'T'},
      {"80.SYT", "Xã hội số", "Triển khai bệnh án điện tử tại bệnh viện tuyến tỉnh", 'H'},
      {"80.SYT", "Xã hội số", "Triển khai sổ sức khỏe điện tử trên ứng dụng VNeID", 'H'},
      {"80.SYT", "Xã hội số", "Liên thông đơn thuốc điện tử", 'H'},
      {"80.SYT", "Xã hội số", "Triển khai khám bệnh, chữa bệnh từ xa", 'M'},
      {"80.SYT", "Dữ liệu số",
       "Liên thông dữ liệu khám sức khỏe lái xe, giấy chứng sinh, giấy báo tử", 'D'},
      {"80.SVHTTDL", "Kinh tế số", "Vận hành Cổng thông tin du lịch thông minh", 'H'},
      {"80.SVHTTDL", "Xã hội số", "Số hóa di sản văn hóa, di tích của tỉnh", 'D'},
      {"80.SVHTTDL", "Xã hội số", "Phát triển Thư viện số của tỉnh", 'H'},
      {"80.SVHTTDL", "Kinh tế số", "Triển khai thuyết minh tự động tại Khu du lịch núi Bà Đen",
       'M'},
      {"80.SDTTG", "Dữ liệu số", "Xây dựng cơ sở dữ liệu công tác dân tộc, tôn giáo", 'D'},
      {"80.SDTTG", "Xã hội số", "Hỗ trợ đồng bào dân tộc thiểu số tiếp cận dịch vụ số", 'M'},
      {"80.TTT", "Dữ liệu số", "Xây dựng cơ sở dữ liệu thanh tra, khiếu nại, tố cáo", 'D'},
      {"80.TTT", "Chính quyền số", "Tiếp nhận, xử lý đơn thư trực tuyến", 'H'},
      {"80.BQLKKT", "Kinh tế số", "Chuyển đổi số tại Khu kinh tế cửa khẩu Mộc Bài", 'M'},
      {"80.BQLKKT", "Dữ liệu số", "Xây dựng cơ sở dữ liệu doanh nghiệp trong khu công nghiệp", 'D'},
      {"80.BQLKKT", "Kinh tế số",
       "Thu hút đầu tư trung tâm dữ liệu, doanh nghiệp công nghệ số vào khu công nghiệp", 'B'},
      {"80.CAT", "Chuyển đổi số", "Triển khai Đề án 06 trên địa bàn tỉnh năm 2025", 'M'},
      {"80.CAT", "Hạ tầng số", "Kết nối camera giám sát an ninh về Trung tâm chỉ huy", 'H'},
      {"80.CAT", "An toàn, an ninh mạng", "Phòng, chống lừa đảo trên không gian mạng", 'S'},
      {"80.CAT", "Dữ liệu số", "Làm sạch dữ liệu dân cư theo tiêu chí đúng, đủ, sạch, sống", 'D'},
      {"80.BCHQS", "An toàn, an ninh mạng",
       "Bảo đảm an toàn thông tin mạng trong lực lượng vũ trang tỉnh", 'H'},
      {"80.DPTTH", "Xã hội số", "Chuyển đổi số báo chí, phát thanh, truyền hình", 'H'},
      {"80.DPTTH", "Xã hội số", "Tuyên truyền về Nghị quyết số 57-NQ/TW trên báo chí", 'S'},
  };
  return tasks;
}

// What every department and branch is asked to do for its own unit; `{}` is its name.
const std::vector<TaskSpec>& CommonTasks() {
  static const std::vector<TaskSpec> tasks = {
      {"Chính quyền số",
       "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính thuộc thẩm quyền của {}", 'D'},
      {"Dữ liệu số", "Cập nhật cơ sở dữ liệu chuyên ngành của {} và kết nối với IOC", 'D'},
      {"Dữ liệu số", "Rà soát, làm sạch dữ liệu do {} quản lý theo tiêu chí đúng, đủ, sạch, sống",
       'B'},
      {"Chính quyền số", "Cung cấp dịch vụ công trực tuyến toàn trình thuộc thẩm quyền của {}",
       'H'},
      {"Chuyển đổi số", "Ban hành kế hoạch chuyển đổi số năm 2025 của {}", 'K'},
      {"Nguồn nhân lực", "Bồi dưỡng kỹ năng số cho cán bộ, công chức, viên chức của {}", 'T'},
      {"An toàn, an ninh mạng", "Bảo đảm an toàn thông tin theo cấp độ cho hệ thống của {}", 'H'},
      {"Dữ liệu số", "Cập nhật chỉ tiêu chỉ đạo, điều hành của {} vào Bộ chỉ số IOC", 'B'},
  };
  return tasks;
}

// What communes are asked to do after the reform; `{}` is the commune ("xã Tân Đông").
const std::vector<TaskSpec>& CommuneTaskSpecs() {
  static const std::vector<TaskSpec> tasks = {
      {"Chính quyền số", "Vận hành bộ phận một cửa và dịch vụ công trực tuyến của UBND {}", 'M'},
      {"Chính quyền số", "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính của UBND {}", 'D'},
      {"Nguồn nhân lực", "Kiện toàn Tổ công nghệ số cộng đồng tại các ấp, khu phố của {}", 'M'},
      {"Dữ liệu số",
       "Cập nhật dữ liệu dân cư, đất đai, hộ tịch của {} theo tiêu chí đúng, đủ, sạch, sống", 'D'},
      {"Chuyển đổi số", "Triển khai kế hoạch chuyển đổi số năm 2025 của {}", 'K'},
  };
  return tasks;
}

std::string Fill(std::string_view pattern, const std::string& name) {
  std::string out(pattern);
  if (auto at = out.find("{}"); at != std::string::npos) out.replace(at, 2, name);
  return out;
}

struct TargetSpec {
  std::string_view sector;
  std::string_view unit;
  std::string_view title;
  double baseline;
  double target;
  std::string_view measure;
};

// The province's targets (chỉ tiêu) to 2030 for its departments.
const std::vector<TargetSpec>& Targets() {
  static const std::vector<TargetSpec> targets = {
      {"Chính quyền số", "80.TTPVHCC",
       "Tỷ lệ hồ sơ thủ tục hành chính được xử lý trực tuyến toàn trình", 45, 80, "%"},
      {"Chính quyền số", "80.TTPVHCC",
       "Tỷ lệ hồ sơ thủ tục hành chính được số hóa, cấp kết quả điện tử", 70, 100, "%"},
      {"Chính quyền số", "80.TTPVHCC", "Tỷ lệ thanh toán trực tuyến phí, lệ phí thủ tục hành chính",
       50, 90, "%"},
      {"Chính quyền số", "80.TTPVHCC",
       "Mức độ hài lòng của người dân, doanh nghiệp với dịch vụ hành chính công", 90, 95, "%"},
      {"Chính quyền số", "80.VPUB",
       "Tỷ lệ văn bản trao đổi giữa các cơ quan nhà nước dưới dạng điện tử", 95, 100, "%"},
      {"Chính quyền số", "80.VPUB",
       "Tỷ lệ hồ sơ công việc cấp tỉnh được xử lý trên môi trường mạng", 85, 100, "%"},
      {"Chính quyền số", "80.SNV", "Tỷ lệ hồ sơ công việc cấp xã được xử lý trên môi trường mạng",
       60, 90, "%"},
      {"Chính quyền số", "80.SKHCN", "Tỷ lệ cán bộ, công chức sử dụng chữ ký số", 80, 100, "%"},
      {"Dữ liệu số", "80.SKHCN",
       "Số cơ sở dữ liệu chuyên ngành kết nối Trung tâm điều hành thông minh", 20, 60,
       "cơ sở dữ liệu"},
      {"Dữ liệu số", "80.SKHCN", "Số cơ sở dữ liệu quốc gia kết nối qua NDXP", 8, 16,
       "cơ sở dữ liệu"},
      {"Dữ liệu số", "80.SKHCN", "Tỷ lệ cơ sở dữ liệu chuyên ngành được hợp nhất sau sắp xếp tỉnh",
       0, 100, "%"},
      {"Dữ liệu số", "80.SKHCN", "Số bộ dữ liệu mở được công bố", 30, 150, "bộ dữ liệu"},
      {"Dữ liệu số", "80.VPUB", "Tỷ lệ chỉ tiêu của Bộ chỉ số IOC được cập nhật đúng hạn", 40, 80,
       "%"},
      {"Hạ tầng số", "80.SKHCN", "Tỷ lệ hộ gia đình có kết nối Internet cáp quang", 85, 100, "%"},
      {"Hạ tầng số", "80.SKHCN", "Tỷ lệ ấp, khu phố được phủ sóng 4G/5G", 98, 100, "%"},
      {"Xã hội số", "80.SKHCN", "Tỷ lệ dân số trưởng thành có điện thoại thông minh", 85, 95, "%"},
      {"Kinh tế số", "80.SCT", "Tỷ lệ dân số trưởng thành có tài khoản thanh toán điện tử", 75, 90,
       "%"},
      {"Xã hội số", "80.CAT", "Tỷ lệ người dân có tài khoản định danh điện tử mức 2", 70, 95, "%"},
      {"Kinh tế số", "80.STC", "Tỷ trọng kinh tế số trong GRDP", 8, 20, "%"},
      {"Kinh tế số", "80.SKHCN", "Số doanh nghiệp công nghệ số", 540, 700, "doanh nghiệp"},
      {"Khoa học và Công nghệ", "80.SKHCN", "Số doanh nghiệp khoa học và công nghệ được chứng nhận",
       20, 40, "doanh nghiệp"},
      {"Đổi mới sáng tạo", "80.SKHCN", "Số dự án khởi nghiệp đổi mới sáng tạo được ươm tạo", 2, 20,
       "dự án"},
      {"Khoa học và Công nghệ", "80.STC",
       "Tỷ lệ chi cho khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số trong tổng chi "
       "ngân sách",
       1.5, 3, "%"},
      {"Khoa học và Công nghệ", "80.SKHCN", "Số đơn đăng ký sở hữu công nghiệp", 300, 450, "đơn"},
      {"Khoa học và Công nghệ", "80.SKHCN",
       "Số nhiệm vụ khoa học và công nghệ cấp tỉnh được ứng dụng", 10, 30, "nhiệm vụ"},
      {"Kinh tế số", "80.SCT", "Tỷ lệ doanh nghiệp nhỏ và vừa sử dụng nền tảng số", 30, 60, "%"},
      {"Kinh tế số", "80.SCT", "Số sản phẩm OCOP được đưa lên sàn thương mại điện tử", 120, 250,
       "sản phẩm"},
      {"Kinh tế số", "80.SCT", "Tỷ trọng thương mại điện tử trong tổng mức bán lẻ", 6, 12, "%"},
      {"Xã hội số", "80.SYT", "Tỷ lệ cơ sở khám bệnh, chữa bệnh triển khai bệnh án điện tử", 30,
       100, "%"},
      {"Xã hội số", "80.SYT", "Tỷ lệ người dân có sổ sức khỏe điện tử", 60, 95, "%"},
      {"Xã hội số", "80.SGDDT", "Tỷ lệ cơ sở giáo dục triển khai học bạ số", 50, 100, "%"},
      {"Xã hội số", "80.SGDDT", "Tỷ lệ trường học thu học phí không dùng tiền mặt", 70, 100, "%"},
      {"Xã hội số", "80.SNV", "Tỷ lệ người hưởng an sinh xã hội nhận trợ cấp không dùng tiền mặt",
       60, 90, "%"},
      {"Nguồn nhân lực", "80.SNV", "Tỷ lệ cán bộ, công chức được bồi dưỡng kỹ năng số", 50, 100,
       "%"},
      {"Nguồn nhân lực", "80.SKHCN", "Số thành viên Tổ công nghệ số cộng đồng được tập huấn", 5000,
       12000, "người"},
      {"Nguồn nhân lực", "80.SKHCN", "Tỷ lệ xã, phường có Tổ công nghệ số cộng đồng hoạt động", 80,
       100, "%"},
      {"Nguồn nhân lực", "80.SGDDT", "Tỷ lệ học sinh phổ thông được học kỹ năng số", 40, 100, "%"},
      {"An toàn, an ninh mạng", "80.SKHCN",
       "Tỷ lệ hệ thống thông tin được phê duyệt cấp độ an toàn thông tin", 70, 100, "%"},
      {"An toàn, an ninh mạng", "80.SKHCN",
       "Tỷ lệ hệ thống thông tin được bảo vệ theo mô hình 4 lớp", 60, 100, "%"},
      {"An toàn, an ninh mạng", "80.SKHCN",
       "Số cuộc diễn tập ứng cứu sự cố an toàn thông tin mạng trong năm", 1, 2, "cuộc"},
      {"Chính quyền số", "80.VPUB", "Tỷ lệ xã, phường họp trực tuyến với UBND tỉnh", 70, 100, "%"},
      {"Chuyển đổi số", "80.SKHCN", "Số nền tảng số dùng chung của tỉnh được đưa vào vận hành", 25,
       35, "nền tảng"},
      {"Chuyển đổi số", "80.SKHCN", "Tỷ lệ cơ quan nhà nước sử dụng nền tảng số dùng chung", 60,
       100, "%"},
      {"Chuyển đổi số", "80.SKHCN", "Điểm chỉ số chuyển đổi số cấp tỉnh (DTI)", 0.55, 0.7, "điểm"},
      {"Chính quyền số", "80.SKHCN", "Số lượt cài đặt ứng dụng Công dân số Tây Ninh", 120000,
       300000, "lượt cài đặt"},
      {"Chính quyền số", "80.SKHCN",
       "Tỷ lệ phản ánh, kiến nghị qua Tổng đài 1022 được xử lý đúng hạn", 85, 95, "%"},
      {"Dữ liệu số", "80.SNNMT", "Tỷ lệ thửa đất có dữ liệu trong cơ sở dữ liệu đất đai", 60, 100,
       "%"},
      {"Kinh tế số", "80.SNNMT", "Tỷ lệ vùng trồng được cấp mã số, truy xuất nguồn gốc", 40, 80,
       "%"},
      {"Kinh tế số", "80.SNNMT", "Tỷ lệ hợp tác xã ứng dụng công nghệ số", 20, 50, "%"},
      {"Kinh tế số", "80.SVHTTDL", "Tỷ lệ điểm du lịch có thuyết minh tự động, thanh toán số", 20,
       70, "%"},
      {"Chính quyền số", "80.BQLKKT", "Tỷ lệ doanh nghiệp trong khu công nghiệp báo cáo trực tuyến",
       50, 100, "%"},
      {"Dữ liệu số", "80.SNV", "Tỷ lệ tài liệu lưu trữ lịch sử được số hóa", 30, 70, "%"},
      {"Hạ tầng số", "80.CAT", "Tỷ lệ camera giám sát an ninh, giao thông kết nối IOC", 40, 100,
       "%"},
  };
  return targets;
}

// Why deadlines were extended (with the People's Committee's approval).
constexpr std::array<std::string_view, 5> kExtensionReasons = {
    "Điều chỉnh theo mô hình chính quyền địa phương hai cấp sau sắp xếp",
    "Chờ hướng dẫn kỹ thuật của bộ, ngành Trung ương",
    "Hợp nhất dữ liệu của hai tỉnh trước sắp xếp cần thêm thời gian",
    "Thủ tục đầu tư, lựa chọn nhà thầu kéo dài",
    "Kinh phí được bố trí chậm so với kế hoạch",
};

constexpr std::array<std::string_view, 5> kDifficulties = {
    "Thiếu nhân lực chuyên trách công nghệ thông tin",
    "Kinh phí chưa được bố trí kịp thời",
    "Dữ liệu của hai tỉnh trước hợp nhất chưa thống nhất",
    "Hạ tầng kỹ thuật cấp xã chưa đáp ứng yêu cầu",
    "Chờ hướng dẫn của bộ, ngành Trung ương",
};

constexpr std::array<std::string_view, 4> kProposals = {
    "Đề nghị Sở Tài chính sớm bố trí kinh phí thực hiện",
    "Đề nghị Sở Khoa học và Công nghệ hướng dẫn kỹ thuật kết nối, chia sẻ dữ liệu",
    "Đề nghị UBND tỉnh xem xét, cho phép gia hạn thời gian thực hiện",
    "Đề nghị tổ chức tập huấn cho cán bộ cấp xã",
};

// --- Histories ------------------------------------------------------------------------------

// How an item stands on the report date.
enum class Fate { kCompleted, kInProgress, kOverdue, kNotStarted };

// One version: the item in force from `date`.
struct Step {
  Date date;
  Item item;
  std::string reason;
  std::string approval;
};

// An item's versions and, for tasks, when it was closed (completed).
struct History {
  std::vector<Step> steps;
  std::optional<Date> completed;
  Fate fate = Fate::kInProgress;
  int stalled_at = 0;  // overdue tasks: the percent their reports stop at
};

// How a unit reports: by the due day, systematically late, sometimes late, or not at all.
enum class Habit { kPunctual, kLate, kUsual, kSilent };

std::vector<Fate> Fates(Rng& rng, size_t total, size_t completed, size_t overdue,
                        size_t not_started) {
  std::vector<Fate> fates(total, Fate::kInProgress);
  auto it = fates.begin();
  it = std::fill_n(it, completed, Fate::kCompleted);
  it = std::fill_n(it, overdue, Fate::kOverdue);
  std::fill_n(it, not_started, Fate::kNotStarted);
  rng.Shuffle(fates);
  return fates;
}

std::string Approval(Rng& rng, Date d) {
  return "Văn bản số " + std::to_string(rng.Between(1200, 4800)) + "/UBND-KT ngày " +
         DayMonthYear(d) + " của UBND tỉnh";
}

class HistoryMaker {
 public:
  explicit HistoryMaker(Rng& rng) : rng_(rng) {}

  // A task or target assigned on `assigned` that stands as `fate` on the report date.
  History Make(Item item, Date assigned, Fate fate) {
    History h;
    h.fate = fate;
    item.assigned_at = assigned;
    item.state = State::kNotStarted;
    const bool recurring = item.recurrence != Recurrence::kNone;
    switch (fate) {
      case Fate::kCompleted:
        Completed(h, item, assigned);
        break;
      case Fate::kInProgress:
        if (!recurring) item.deadline = OpenDeadline();
        Push(h, assigned, item);
        Start(h, item, Started(assigned, {2025, 10, 20}));
        break;
      case Fate::kOverdue: {
        const Date earliest = AddDays(assigned, 60);
        item.deadline =
            MonthEnd(RandomDate(rng_, std::min(earliest, Date{2025, 9, 30}), Date{2025, 9, 30}));
        Push(h, assigned, item);
        if (rng_.Chance(75)) Start(h, item, Started(assigned, AddDays(*item.deadline, -10)));
        h.stalled_at = static_cast<int>(rng_.Between(3, 8)) * 10;
        break;
      }
      case Fate::kNotStarted:
        item.deadline = OpenDeadline();
        Push(h, assigned, item);
        break;
    }
    return h;
  }

  // An open task's deadline that had passed, extended before it ran out to after the report
  // date, with the reason and the approval.
  void Extend(History& h) {
    Item item = h.steps.back().item;
    const Date start = h.steps.back().date;
    const Date old_deadline = MonthEnd(RandomDate(rng_, AddDays(start, 45), {2025, 10, 15}));
    const Date on = AddDays(old_deadline, -rng_.Between(5, 20));
    if (old_deadline > Date{2025, 10, 30} || on <= start) return;
    for (auto& s : h.steps) s.item.deadline = old_deadline;  // as first assigned
    item.deadline = rng_.Chance(50) ? Date{2025, 12, 31} : Date{2026, 6, 30};
    Push(h, on, item,
         std::string(
             kExtensionReasons[static_cast<size_t>(rng_.Between(0, kExtensionReasons.size() - 1))]),
         Approval(rng_, AddDays(on, -rng_.Between(1, 6))));
  }

  // A task in progress on the report date, completed in November.
  void CompleteLater(History& h) {
    Item item = h.steps.back().item;
    const Date done = RandomDate(rng_, {2025, 11, 3}, {2025, 11, 25});
    item.state = State::kCompleted;
    item.completed_at = done;
    Push(h, done, item);
    h.completed = done;
  }

 private:
  void Completed(History& h, Item& item, Date assigned) {
    const Date start = Started(assigned, {2025, 8, 31});
    const Date earliest = std::max(AddDays(start, 20), Date{2025, 2, 10});
    const Date done = RandomDate(rng_, std::min(earliest, Date{2025, 10, 28}), {2025, 10, 28});
    // Mostly on time; some late, against a deadline after the assignment.
    const Date late_deadline = MonthEnd(AddDays(done, -rng_.Between(35, 90)));
    if (rng_.Chance(15) && late_deadline > AddDays(assigned, 30) && late_deadline < done) {
      item.deadline = late_deadline;
    } else {
      item.deadline = MonthEnd(AddDays(done, rng_.Between(0, 75)));
    }
    item.recurrence = Recurrence::kNone;
    Push(h, assigned, item);
    Start(h, item, start);
    item.state = State::kCompleted;
    item.completed_at = done;
    Push(h, done, item);
    h.completed = done;
  }

  // A day to start work, a few days to a few months after the assignment, by `latest`.
  Date Started(Date assigned, Date latest) {
    const Date from = AddDays(assigned, 3);
    return RandomDate(rng_, std::min(from, latest), std::min(AddDays(assigned, 120), latest));
  }

  void Start(History& h, Item& item, Date on) {
    if (on <= h.steps.back().date) on = AddDays(h.steps.back().date, 1);
    item.state = State::kInProgress;
    Push(h, on, item);
  }

  // A deadline after the report date: this year's end, or a quarter of the years to 2030.
  Date OpenDeadline() {
    if (rng_.Chance(40)) return MonthEnd(RandomDate(rng_, {2025, 11, 1}, {2025, 12, 31}));
    const int year = static_cast<int>(rng_.Between(2026, 2030));
    const int quarter = static_cast<int>(rng_.Between(1, 4));
    return MonthEnd({year, quarter * 3, 1});
  }

  static void Push(History& h, Date date, const Item& item, std::string reason = "",
                   std::string approval = "") {
    h.steps.push_back({date, item, std::move(reason), std::move(approval)});
  }

  Rng& rng_;
};

// A lead unit's contact account ("cb.skhcn", "cb.x25678").
std::string Account(const std::string& unit) {
  const size_t dot = unit.find('.');
  std::string tail = dot == std::string::npos ? "ubnd" : unit.substr(dot + 1);
  if (unit.size() == 5) tail = "x" + unit;  // a commune code
  std::transform(tail.begin(), tail.end(), tail.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return "cb." + tail;
}

// A Vietnamese person's name (fictional).
std::string PersonName(Rng& rng) {
  static const std::vector<std::string_view> family = {"Nguyễn", "Trần", "Lê",     "Phạm",  "Huỳnh",
                                                       "Võ",     "Phan", "Trương", "Bùi",   "Đặng",
                                                       "Đỗ",     "Ngô",  "Hồ",     "Dương", "Lâm"};
  static const std::vector<std::string_view> middle = {"Văn",  "Thị",  "Minh", "Thanh", "Hoàng",
                                                       "Quốc", "Ngọc", "Hữu",  "Thành"};
  static const std::vector<std::string_view> given = {
      "An",   "Bình", "Cường", "Dũng",  "Hùng", "Khoa", "Long", "Nam",
      "Phúc", "Tâm",  "Thảo",  "Trang", "Tuấn", "Vinh", "Hạnh", "Lan"};
  return std::string(rng.Pick(family)) + " " + std::string(rng.Pick(middle)) + " " +
         std::string(rng.Pick(given));
}

// "xã Tân Đông", "phường Tân Ninh": the commune as a sentence names it.
std::string CommuneInSentence(const units::Unit& u) {
  static const std::map<std::string, std::string> lower = {
      {"Xã", "xã"}, {"Phường", "phường"}, {"Đặc khu", "đặc khu"}};
  auto it = lower.find(u.type);
  return (it == lower.end() ? u.type : it->second) + " " + u.short_name;
}

// --- The register ---------------------------------------------------------------------------

class DemoPlan {
 public:
  DemoPlan(Rng& rng, const units::Registry& registry) : rng_(rng), registry_(registry) {}

  Status Build() {
    if (!registry_.Find("80", kReportDate)) {
      return Fail(Error::Internal("tracker.demo_failed",
                                  "the demo needs province 80 and its units: import them first"));
    }
    HistoryMaker maker(rng_);
    if (auto s = AddCentral(maker); !s) return s;
    if (auto s = AddTargets(maker); !s) return s;
    return AddProvinceTasks(maker);
  }

  const std::vector<History>& central() const { return central_; }
  const std::vector<History>& province() const { return province_; }
  Habit HabitOf(const std::string& unit) const {
    auto it = habits_.find(unit);
    return it == habits_.end() ? Habit::kUsual : it->second;
  }

 private:
  Status AddCentral(HistoryMaker& maker) {
    const auto& specs = CentralTasks();
    if (specs.size() != kCentralTasks) {
      return Fail(Error::Internal("tracker.demo_failed",
                                  "the demo has " + std::to_string(specs.size()) +
                                      " central tasks, not " + std::to_string(kCentralTasks)));
    }
    // The recurring ones stay in progress; the others share the completions.
    std::vector<size_t> once;
    for (size_t i = 0; i < specs.size(); ++i) {
      if (specs[i].recurrence == Recurrence::kNone) once.push_back(i);
    }
    if (specs.size() - once.size() != kCentralRecurring) {
      return Fail(Error::Internal(
          "tracker.demo_failed",
          "the demo's recurring central tasks are " + std::to_string(specs.size() - once.size())));
    }
    std::vector<Fate> fates(specs.size(), Fate::kInProgress);
    std::vector<Fate> once_fates = Fates(rng_, once.size(), kCentralCompleted, 0, 0);
    for (size_t k = 0; k < once.size(); ++k) fates[once[k]] = once_fates[k];
    size_t later = 0;
    for (size_t i = 0; i < specs.size(); ++i) {
      const TaskSpec& spec = specs[i];
      const SectorSpec& sector = SectorNamed(spec.sector);
      Item item;
      item.kind = ItemKind::kTask;
      item.code = std::string(kCentralCode) + "-" + Pad(i + 1, 3);
      item.programme = std::string(kCentralCode);
      item.level = Level::kCentral;
      item.title = std::string(spec.title);
      item.sector = std::string(spec.sector);
      item.lead_unit = "80";
      for (auto d : sector.departments) item.cooperating_units.emplace_back(d);
      item.leader = spec.sector == "Thể chế, chính sách" ? Leaders()[0] : Leaders()[sector.leader];
      item.expected_product = Product(spec.product);
      item.recurrence = spec.recurrence;
      // The resolution's own tasks at once; the Government's programme (Nghị quyết số
      // 03/NQ-CP ngày 09/01/2025) and the Steering Committee's plan in the weeks after.
      const int64_t roll = rng_.Between(1, 100);
      const Date assigned = roll <= 25   ? Date{2024, 12, 26}
                            : roll <= 80 ? Date{2025, 1, 9}
                                         : Date{2025, 3, 20};
      History h = maker.Make(item, assigned, fates[i]);
      const auto& last = h.steps.back().item;
      if (fates[i] == Fate::kInProgress && later < kCentralLaterDone && last.deadline &&
          *last.deadline <= Date{2025, 12, 31}) {
        maker.CompleteLater(h);
        ++later;
      }
      central_.push_back(std::move(h));
      by_sector_[item.sector].emplace_back(item.code, assigned);
    }
    habits_["80"] = Habit::kPunctual;
    return Ok();
  }

  Status AddTargets(HistoryMaker& maker) {
    const auto& specs = Targets();
    if (specs.size() != kTargets) {
      return Fail(
          Error::Internal("tracker.demo_failed",
                          "the demo has " + std::to_string(specs.size()) + " targets, not 53"));
    }
    const auto fates =
        Fates(rng_, specs.size(), kTargetsCompleted, kTargetsOverdue, kTargetsNotStarted);
    for (size_t i = 0; i < specs.size(); ++i) {
      const TargetSpec& spec = specs[i];
      Item item = Base(ItemKind::kTarget, "TN57-CT-" + Pad(i + 1, 2), spec.sector,
                       std::string(spec.unit), std::string(spec.title), "");
      item.expected_product = "Chỉ tiêu đạt " + Number(spec.target) +
                              (spec.measure == "%" ? "" : " ") + std::string(spec.measure) +
                              " theo Kế hoạch";
      item.baseline = spec.baseline;
      item.target_value = spec.target;
      item.measure_unit = std::string(spec.measure);
      const Date assigned =
          fates[i] == Fate::kNotStarted || rng_.Chance(20) ? kMergerPlanDate : kPlanDate;
      province_.push_back(maker.Make(item, assigned, fates[i]));
    }
    return Ok();
  }

  Status AddProvinceTasks(HistoryMaker& maker) {
    struct Pending {
      Item item;
      bool commune = false;
    };
    std::vector<Pending> tasks;
    for (const auto& spec : DepartmentTasks()) {
      tasks.push_back({Base(ItemKind::kTask, "", spec.sector, std::string(spec.unit),
                            std::string(spec.title), std::string(1, spec.product)),
                       false});
    }
    // What every department is asked to do for itself, as many as the plan has room for.
    std::vector<Pending> common;
    for (const auto& row : AgencyCodes()) {
      const units::Unit* u = registry_.Find(row, kReportDate);
      if (!u) {
        return Fail(Error::Internal("tracker.demo_failed",
                                    "the demo needs agency " + row + " of province 80"));
      }
      for (const auto& spec : CommonTasks()) {
        common.push_back({Base(ItemKind::kTask, "", spec.sector, row,
                               Fill(spec.title, u->short_name), std::string(1, spec.product)),
                          false});
      }
    }
    if (tasks.size() > kDepartmentTasks || tasks.size() + common.size() < kDepartmentTasks) {
      return Fail(Error::Internal("tracker.demo_failed", "too few department tasks"));
    }
    rng_.Shuffle(common);
    common.resize(kDepartmentTasks - tasks.size());
    std::stable_sort(common.begin(), common.end(), [](const Pending& a, const Pending& b) {
      return a.item.lead_unit < b.item.lead_unit;
    });
    tasks.insert(tasks.end(), common.begin(), common.end());

    auto communes = Communes();
    if (communes.size() < kCommunes) {
      return Fail(Error::Internal("tracker.demo_failed", "the demo needs the communes of 80"));
    }
    communes.resize(kCommunes);
    for (const units::Unit* c : communes) {
      std::vector<size_t> picks = {0, 1, 2, 3, 4};
      rng_.Shuffle(picks);
      const Leader chair{PersonName(rng_), "Chủ tịch UBND " + CommuneInSentence(*c)};
      for (size_t k = 0; k < 2; ++k) {
        const TaskSpec& spec = CommuneTaskSpecs()[picks[k]];
        Item item = Base(ItemKind::kTask, "", spec.sector, c->code,
                         Fill(spec.title, CommuneInSentence(*c)), std::string(1, spec.product));
        item.leader = chair;
        item.cooperating_units = {"80.SKHCN", "80.SNV"};
        tasks.push_back({std::move(item), true});
      }
    }
    // Report habits: most report by the 25th; two units always late, two never report.
    for (const char* u : {"80.SKHCN", "80.VPUB", "80.SYT", "80.STC", "80.TTPVHCC"}) {
      habits_[u] = Habit::kPunctual;
    }
    habits_["80.SXD"] = Habit::kLate;
    habits_["80.SVHTTDL"] = Habit::kLate;
    habits_["80.SDTTG"] = Habit::kSilent;
    habits_[communes[0]->code] = Habit::kSilent;
    habits_[communes[1]->code] = Habit::kLate;
    return PlanProvinceTasks(maker, tasks);
  }

  template <class Pending>
  Status PlanProvinceTasks(HistoryMaker& maker, std::vector<Pending>& tasks) {
    const auto department_fates = Fates(rng_, kDepartmentTasks, kDepartmentCompleted,
                                        kDepartmentOverdue, kDepartmentNotStarted);
    const auto commune_fates =
        Fates(rng_, kCommuneTasks, kCommuneCompleted, kCommuneOverdue, kCommuneNotStarted);
    size_t department = 0, commune = 0, extended = 0, n = 0;
    for (auto& t : tasks) {
      Item& item = t.item;
      item.code = "TN57-NV-" + Pad(++n, 3);
      const Fate fate = t.commune ? commune_fates[commune++] : department_fates[department++];
      const Date assigned = Assigned(fate, t.commune);
      // Most tasks carry on one of the centre's tasks of the same sector assigned before.
      std::vector<std::string> parents;
      for (const auto& [code, on] : by_sector_[item.sector]) {
        if (on < assigned) parents.push_back(code);
      }
      if (!parents.empty() && rng_.Chance(t.commune ? 80 : 65)) item.parent = rng_.Pick(parents);
      History h = maker.Make(item, assigned, fate);
      if (fate == Fate::kInProgress && extended < kExtended && h.steps.size() == 2 && !t.commune &&
          rng_.Chance(30)) {
        const size_t before = h.steps.size();
        maker.Extend(h);
        extended += h.steps.size() > before;
      }
      if (fate == Fate::kInProgress && rng_.Chance(4) && h.steps.back().item.deadline &&
          *h.steps.back().item.deadline <= Date{2025, 12, 31}) {
        maker.CompleteLater(h);
      }
      province_.push_back(std::move(h));
    }
    return Ok();
  }

  // When the People's Committee assigned a task: the plan of February, its additions in April,
  // the merged province's tasks of July (communes exist from 1 July 2025), and the latest ones.
  Date Assigned(Fate fate, bool commune) {
    if (fate == Fate::kNotStarted) {
      return rng_.Chance(50) ? Date{2025, 9, 5} : Date{2025, 10, 8};
    }
    if (commune) return kMergerPlanDate;
    const int64_t roll = rng_.Between(1, 100);
    if (fate == Fate::kOverdue) return roll <= 70 ? kPlanDate : Date{2025, 4, 15};
    return roll <= 60 ? kPlanDate : roll <= 85 ? Date{2025, 4, 15} : kMergerPlanDate;
  }

  Item Base(ItemKind kind, std::string code, std::string_view sector, std::string lead,
            std::string title, const std::string& product) {
    const SectorSpec& s = SectorNamed(sector);
    Item item;
    item.kind = kind;
    item.code = std::move(code);
    item.programme = std::string(kPlanCode);
    item.level = Level::kProvince;
    item.title = std::move(title);
    item.sector = std::string(sector);
    item.lead_unit = std::move(lead);
    for (auto d : s.departments) {
      if (d != item.lead_unit && rng_.Chance(60)) item.cooperating_units.emplace_back(d);
    }
    item.leader = Leaders()[s.leader];
    if (!product.empty()) item.expected_product = Product(product[0]);
    return item;
  }

  static std::string Number(double v) {
    if (v == static_cast<double>(static_cast<int64_t>(v))) {
      std::string digits = std::to_string(static_cast<int64_t>(v));
      for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) {
        digits.insert(static_cast<size_t>(i), ".");
      }
      return digits;
    }
    std::string s = std::to_string(v);
    s.erase(s.find_last_not_of('0') + 1);
    std::replace(s.begin(), s.end(), '.', ',');
    return s;
  }

  // The province's departments and branches, as the agencies list has them.
  std::vector<std::string> AgencyCodes() const {
    std::vector<std::string> out;
    const units::Unit* p = registry_.Find("80", kReportDate);
    for (const auto* u : registry_.Children(*p, kReportDate)) {
      if (u->level == units::Level::kAgency) out.push_back(u->code);
    }
    return out;
  }

  std::vector<const units::Unit*> Communes() {
    std::vector<const units::Unit*> out;
    const units::Unit* p = registry_.Find("80", kReportDate);
    for (const auto* u : registry_.Children(*p, kReportDate)) {
      if (u->level == units::Level::kCommune) out.push_back(u);
    }
    rng_.Shuffle(out);
    return out;
  }

  Rng& rng_;
  const units::Registry& registry_;
  std::vector<History> central_;
  std::vector<History> province_;
  // The centre's tasks of each sector, with their assignment dates.
  std::map<std::string, std::vector<std::pair<std::string, Date>>> by_sector_;
  std::map<std::string, Habit> habits_;
};

// --- Reports --------------------------------------------------------------------------------

struct PlannedReport {
  TimePoint at;
  std::string unit;
  Report report;
};

// The day of `month` a unit with `habit` sends its report; nullopt when it sends none.
std::optional<int> ReportDay(Rng& rng, Habit habit) {
  switch (habit) {
    case Habit::kPunctual:
      return static_cast<int>(rng.Between(12, 25));
    case Habit::kLate:
      return static_cast<int>(rng.Between(26, 28));
    case Habit::kSilent:
      return std::nullopt;
    case Habit::kUsual:
      break;
  }
  const int64_t roll = rng.Between(1, 100);
  if (roll <= 4) return std::nullopt;
  if (roll <= 14) return static_cast<int>(rng.Between(26, 28));
  return static_cast<int>(rng.Between(10, 25));
}

// The monthly reports a task's lead unit sends, January to October 2025: each month from the
// month after the assignment while the task is open.
void PlanReports(Rng& rng, const History& h, Habit habit, std::vector<PlannedReport>& out) {
  const Item& first = h.steps.front().item;
  if (first.kind != ItemKind::kTask) return;
  std::string last = MonthOf(kReportDate);
  if (h.completed) last = std::min(last, MonthOf(*h.completed));
  const std::string from = NextMonth(MonthOf(*first.assigned_at));
  std::vector<std::string> months;
  for (std::string m = from; m <= last; m = NextMonth(m)) months.push_back(m);
  const bool recurring = first.recurrence != Recurrence::kNone;
  for (size_t k = 0; k < months.size(); ++k) {
    const auto day = ReportDay(rng, habit);
    if (!day) continue;
    const Date on{std::stoi(months[k].substr(0, 4)), std::stoi(months[k].substr(5, 2)), *day};
    if (h.completed && *h.completed <= on) continue;  // done before it was due: nothing owed
    // Not started on that day: nothing done yet.
    State state = State::kNotStarted;
    for (const auto& s : h.steps) {
      if (s.date <= on) state = s.item.state;
    }
    Report r;
    r.task = first.code;
    r.month = months[k];
    if (state == State::kNotStarted) {
      r.percent = 0;
      r.done = "Đang chuẩn bị các điều kiện để triển khai thực hiện.";
    } else {
      const int progress = recurring ? static_cast<int>(rng.Between(60, 95))
                                     : static_cast<int>((k + 1) * 90 / (months.size() + 1));
      r.percent = std::clamp(h.stalled_at ? std::min(progress, h.stalled_at) : progress, 5, 95);
      r.done = "Đã triển khai đạt khoảng " + std::to_string(r.percent) +
               "% khối lượng công việc theo kế hoạch.";
    }
    if (rng.Chance(30)) {
      r.difficulties =
          std::string(kDifficulties[static_cast<size_t>(rng.Between(0, kDifficulties.size() - 1))]);
    }
    if (rng.Chance(15)) {
      r.proposals =
          std::string(kProposals[static_cast<size_t>(rng.Between(0, kProposals.size() - 1))]);
    }
    const TimePoint at =
        At(on, static_cast<int>(rng.Between(1, 9)), static_cast<int>(rng.Between(0, 59)));
    out.push_back({at, first.lead_unit, std::move(r)});
  }
}

// --- Writing --------------------------------------------------------------------------------

// The register's secretariat records the week's changes on the Monday after (one batch a week
// keeps the demo fast). No report depends on a change of its own week: a task's first report is
// due from the 10th of the month after its assignment, and none is sent after its completion.
Date RecordedOn(Date effective) {
  return AddDays(effective, 7 - DayOfWeek(effective));
}

Error DemoFailed(const std::string& what, const Error& e) {
  return Error::Internal("tracker.demo_failed", what + ": " + e.code + ": " + e.message);
}

}  // namespace

Result<reg::Tally> GenerateDemo(store::TrackerStore& store, store::SettingsStore& settings,
                                std::shared_ptr<const units::Registry> registry) {
  if (!registry) return Fail(Error::Internal("tracker.demo_failed", "no units registry"));
  Rng rng(0x57'2024'1222ULL);
  DemoPlan plan(rng, *registry);
  if (auto s = plan.Build(); !s) return Fail(s.error());

  // Edits by the day they are recorded, in plan order (the centre's before the province's);
  // reports by submission time.
  std::map<Date, std::vector<Tracker::BatchEdit>> edits;
  std::vector<PlannedReport> reports;
  reg::Tally out{"programmes", "targets", "tasks", "reports"};
  for (const auto* group : {&plan.central(), &plan.province()}) {
    for (const auto& h : *group) {
      for (const auto& s : h.steps) {
        edits[RecordedOn(s.date)].push_back(
            {s.item, {std::string(kActor), s.reason, s.approval, s.date, std::nullopt}});
      }
      const Item& item = h.steps.front().item;
      ++out[item.kind == ItemKind::kTarget ? "targets" : "tasks"];
      PlanReports(rng, h, plan.HabitOf(item.lead_unit), reports);
    }
  }
  std::stable_sort(reports.begin(), reports.end(),
                   [](const PlannedReport& a, const PlannedReport& b) { return a.at < b.at; });
  for (auto& [day, batch] : edits) {
    std::stable_sort(batch.begin(), batch.end(), [](const auto& a, const auto& b) {
      return *a.change.effective < *b.change.effective;
    });
  }

  ManualClock clock(At(kResolutionDate, 1, 0));
  Tracker tracker(
      store, settings, [registry = std::move(registry)] { return registry; }, clock);
  const Programme central{std::string(kCentralCode),
                          "Đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi "
                          "số quốc gia",
                          "Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị",
                          Level::kCentral,
                          {2025, 1, 1},
                          {2030, 12, 31}};
  const Programme province{
      std::string(kPlanCode),
      "Kế hoạch thực hiện Nghị quyết số 57-NQ/TW của Bộ Chính trị trên địa bàn tỉnh Tây Ninh "
      "giai đoạn 2025 – 2030",
      "Kế hoạch số 412/KH-UBND ngày 20/02/2025 của Ủy ban nhân dân tỉnh Tây Ninh",
      Level::kProvince,
      {2025, 1, 1},
      {2030, 12, 31}};
  for (const Programme* p : {&central, &province}) {
    if (auto r = tracker.AddProgramme(*p, std::string(kActor)); !r) {
      return Fail(DemoFailed("programme " + p->code, r.error()));
    }
    ++out["programmes"];
  }

  // Week by week: the reports sent during the week, then the week's edits in one batch recorded
  // the Monday after.
  auto next_report = reports.begin();
  auto send_reports_until = [&](const std::optional<Date>& day) -> Status {
    for (; next_report != reports.end(); ++next_report) {
      if (day && next_report->at >= At(*day, 0, 0)) break;
      clock.Set(next_report->at);
      auto r = tracker.SubmitReport(next_report->report, Account(next_report->unit));
      if (!r) {
        return Fail(DemoFailed(
            "report of " + next_report->report.task + " for " + next_report->report.month,
            r.error()));
      }
      ++out["reports"];
    }
    return Ok();
  };
  for (const auto& [day, batch] : edits) {
    if (auto s = send_reports_until(day); !s) return Fail(s.error());
    clock.Set(At(day, 0, 30));
    auto r = tracker.ApplyBatch(batch, false);
    if (!r) return Fail(DemoFailed("edits of " + day.ToString(), r.error()));
    for (size_t i = 0; i < r->errors.size(); ++i) {
      if (r->errors[i]) {
        return Fail(DemoFailed(batch[i].item.code + " on " + day.ToString(), *r->errors[i]));
      }
    }
  }
  if (auto s = send_reports_until(std::nullopt); !s) return Fail(s.error());
  return out;
}

}  // namespace pdh::tracker
