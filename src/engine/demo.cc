// The demo province's index set: the public-service pack over the demo's dossiers and feedback,
// the report's app installs and enterprise figures, and 120 topics across the real sectors, each
// with the indicators a province derives from it (the figure, per 1,000 people, growth on the
// same month last year, year-to-date and its growth, the month's change, the last three months;
// urban and rural figures and the urban share where the topic is split). Values run from
// November 2023 to October 2025 — reported by the province's departments, or by the communes
// (under their old codes before July 2025) — except for the topics whose data stopped at
// December 2024, chosen so that as of 2025-10-31 exactly 602 of the 957 indicators are updated.
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "core/clock.h"
#include "engine/engine.h"
#include "engine/internal.h"

namespace pdh::engine {
namespace {

struct Topic {
  const char* sector;
  const char* name;     // "số hộ nghèo" (lower case, as it reads inside a sentence)
  const char* name_en;  // "poor households"
  const char* measure;
  double scale;  // a month's value for the province
};

// 15 sectors × 8 topics.
constexpr Topic kTopics[] = {
    {"economy", "giá trị sản xuất công nghiệp", "industrial output value", "tỷ đồng", 9500},
    {"economy", "tổng mức bán lẻ hàng hóa và dịch vụ", "retail sales of goods and services",
     "tỷ đồng", 11800},
    {"economy", "kim ngạch xuất khẩu", "export turnover", "triệu USD", 1650},
    {"economy", "kim ngạch nhập khẩu", "import turnover", "triệu USD", 1240},
    {"economy", "vốn đầu tư thực hiện", "investment realized", "tỷ đồng", 5200},
    {"economy", "số doanh nghiệp thành lập mới", "new enterprises", "doanh nghiệp", 310},
    {"economy", "số doanh nghiệp giải thể", "enterprises dissolved", "doanh nghiệp", 60},
    {"economy", "vốn FDI đăng ký mới", "new FDI registered", "triệu USD", 140},
    {"finance", "thu ngân sách nhà nước", "state budget revenue", "tỷ đồng", 2900},
    {"finance", "thu nội địa", "domestic revenue", "tỷ đồng", 2300},
    {"finance", "chi ngân sách địa phương", "local budget spending", "tỷ đồng", 2600},
    {"finance", "chi đầu tư phát triển", "development investment spending", "tỷ đồng", 1100},
    {"finance", "giải ngân vốn đầu tư công", "public investment disbursed", "tỷ đồng", 950},
    {"finance", "thu từ đất", "land revenue", "tỷ đồng", 420},
    {"finance", "nợ thuế", "tax arrears", "tỷ đồng", 380},
    {"finance", "số hóa đơn điện tử", "e-invoices issued", "hóa đơn", 2400000},
    {"agriculture", "diện tích gieo trồng lúa", "rice area sown", "ha", 41000},
    {"agriculture", "sản lượng lúa", "rice output", "tấn", 230000},
    {"agriculture", "diện tích mía", "sugarcane area", "ha", 1900},
    {"agriculture", "sản lượng thủy sản", "fishery output", "tấn", 6100},
    {"agriculture", "tổng đàn heo", "pig herd", "con", 620000},
    {"agriculture", "tổng đàn gia cầm", "poultry flock", "con", 9800000},
    {"agriculture", "diện tích rừng trồng mới", "new forest planted", "ha", 110},
    {"agriculture", "số xã đạt chuẩn nông thôn mới nâng cao",
     "communes meeting advanced new-rural standards", "xã", 4},
    {"industry_trade", "sản lượng điện thương phẩm", "electricity sold", "triệu kWh", 1450},
    {"industry_trade", "số chợ đạt chuẩn", "markets meeting standards", "chợ", 3},
    {"industry_trade", "doanh thu thương mại điện tử", "e-commerce revenue", "tỷ đồng", 860},
    {"industry_trade", "số vụ vi phạm thương mại", "trade violations", "vụ", 140},
    {"industry_trade", "số cửa hàng xăng dầu", "fuel stations", "cửa hàng", 8},
    {"industry_trade", "lượng hàng qua cửa khẩu", "goods through border gates", "tấn", 52000},
    {"industry_trade", "số khu công nghiệp hoạt động", "industrial parks in operation", "khu", 1},
    {"industry_trade", "lao động trong khu công nghiệp", "industrial-park workers", "người", 2600},
    {"health", "số lượt khám chữa bệnh", "medical visits", "lượt", 720000},
    {"health", "số ca sốt xuất huyết", "dengue cases", "ca", 480},
    {"health", "số trẻ được tiêm chủng đầy đủ", "children fully vaccinated", "trẻ", 3900},
    {"health", "số người có bảo hiểm y tế", "people with health insurance", "người", 2950000},
    {"health", "số hồ sơ sức khỏe điện tử", "electronic health records", "hồ sơ", 95000},
    {"health", "số ca sinh", "births", "ca", 3200},
    {"health", "số cơ sở khám chữa bệnh dùng bệnh án điện tử",
     "clinics using electronic medical records", "cơ sở", 2},
    {"health", "số vụ ngộ độc thực phẩm", "food poisoning incidents", "vụ", 2},
    {"education", "số học sinh phổ thông", "school pupils", "học sinh", 540000},
    {"education", "số học sinh bỏ học", "pupils dropping out", "học sinh", 210},
    {"education", "số trường đạt chuẩn quốc gia", "schools meeting national standards", "trường",
     6},
    {"education", "số giáo viên", "teachers", "giáo viên", 31000},
    {"education", "số phòng học kiên cố", "permanent classrooms", "phòng", 420},
    {"education", "số học sinh dùng sổ liên lạc điện tử", "pupils with electronic report books",
     "học sinh", 380000},
    {"education", "số lượt học trực tuyến", "online learning sessions", "lượt", 610000},
    {"education", "số người học nghề", "vocational trainees", "người", 5400},
    {"labour", "số lao động được giải quyết việc làm", "people placed in jobs", "người", 4700},
    {"labour", "số hộ nghèo", "poor households", "hộ", 6100},
    {"labour", "số người hưởng trợ cấp xã hội", "social allowance recipients", "người", 98000},
    {"labour", "số người tham gia bảo hiểm xã hội", "social insurance contributors", "người",
     520000},
    {"labour", "số lao động đi làm việc ở nước ngoài", "workers sent abroad", "người", 160},
    {"labour", "số vụ tai nạn lao động", "occupational accidents", "vụ", 9},
    {"labour", "số người nhận trợ cấp thất nghiệp", "unemployment benefit recipients", "người",
     4100},
    {"labour", "số chi trả an sinh không dùng tiền mặt", "cashless social payments", "lượt", 88000},
    {"culture", "số lượt khách du lịch", "tourist visits", "lượt", 620000},
    {"culture", "doanh thu du lịch", "tourism revenue", "tỷ đồng", 640},
    {"culture", "số lượt khách đến Núi Bà Đen", "visitors to Ba Den mountain", "lượt", 410000},
    {"culture", "số gia đình văn hóa", "households recognised as cultural", "hộ", 21000},
    {"culture", "số giải thể thao tổ chức", "sports events held", "giải", 26},
    {"culture", "số di tích được tu bổ", "heritage sites restored", "di tích", 2},
    {"culture", "số thư viện số", "digital libraries", "thư viện", 1},
    {"culture", "số lượt truy cập cổng thông tin", "portal visits", "lượt", 1300000},
    {"environment", "lượng rác thải sinh hoạt được thu gom", "household waste collected", "tấn",
     36000},
    {"environment", "số vụ vi phạm môi trường", "environmental violations", "vụ", 35},
    {"environment", "số giấy chứng nhận quyền sử dụng đất cấp mới", "land-use certificates issued",
     "giấy", 6200},
    {"environment", "diện tích đất được đo đạc", "land surveyed", "ha", 2300},
    {"environment", "số trạm quan trắc tự động", "automatic monitoring stations", "trạm", 1},
    {"environment", "lượng nước thải được xử lý", "wastewater treated", "m³", 410000},
    {"environment", "số hồ sơ đất đai số hóa", "land records digitized", "hồ sơ", 28000},
    {"environment", "số điểm sạt lở", "landslide sites", "điểm", 3},
    {"transport", "số vụ tai nạn giao thông", "traffic accidents", "vụ", 48},
    {"transport", "số người chết do tai nạn giao thông", "traffic deaths", "người", 31},
    {"transport", "khối lượng hàng hóa vận chuyển", "freight carried", "nghìn tấn", 5100},
    {"transport", "số lượt hành khách vận chuyển", "passengers carried", "nghìn lượt", 6200},
    {"transport", "số giấy phép lái xe cấp đổi trực tuyến", "driving licences renewed online",
     "giấy phép", 3900},
    {"transport", "số km đường được nâng cấp", "roads upgraded", "km", 14},
    {"transport", "số phương tiện đăng kiểm", "vehicles inspected", "phương tiện", 21000},
    {"transport", "số vụ vi phạm phát hiện qua camera", "violations caught on camera", "vụ", 5200},
    {"construction", "số giấy phép xây dựng cấp mới", "building permits issued", "giấy phép", 1300},
    {"construction", "diện tích nhà ở xã hội hoàn thành", "social housing completed", "m²", 9000},
    {"construction", "số công trình vi phạm trật tự xây dựng", "construction-order violations",
     "công trình", 60},
    {"construction", "số dự án nhà ở thương mại", "commercial housing projects", "dự án", 2},
    {"construction", "số hộ được cấp nước sạch", "households supplied with clean water", "hộ",
     690000},
    {"construction", "chiều dài đường đô thị được chiếu sáng", "lit urban roads", "km", 8},
    {"construction", "số đồ án quy hoạch được phê duyệt", "zoning plans approved", "đồ án", 4},
    {"construction", "số căn nhà được sửa chữa cho hộ nghèo", "homes repaired for poor households",
     "căn", 90},
    {"security", "số vụ phạm pháp hình sự", "criminal offences", "vụ", 120},
    {"security", "số vụ cháy nổ", "fires and explosions", "vụ", 14},
    {"security", "số tài khoản định danh điện tử được kích hoạt", "electronic IDs activated",
     "tài khoản", 42000},
    {"security", "số vụ buôn lậu bị bắt giữ", "smuggling cases seized", "vụ", 70},
    {"security", "số thanh niên nhập ngũ", "conscripts enlisted", "người", 290},
    {"security", "số vụ lừa đảo qua mạng", "online fraud cases", "vụ", 38},
    {"security", "số camera an ninh kết nối", "security cameras connected", "camera", 160},
    {"security", "số tin báo tố giác tội phạm", "crime reports received", "tin", 240},
    {"digital", "số dịch vụ công trực tuyến toàn trình", "full-process online services", "dịch vụ",
     5},
    {"digital", "số văn bản điện tử gửi nhận", "electronic documents exchanged", "văn bản", 410000},
    {"digital", "số hồ sơ công việc xử lý trên môi trường mạng", "work files handled online",
     "hồ sơ", 88000},
    {"digital", "số giao dịch thanh toán không dùng tiền mặt", "cashless payments", "giao dịch",
     3400000},
    {"digital", "số cơ sở dữ liệu được chia sẻ", "databases shared", "cơ sở dữ liệu", 1},
    {"digital", "số lượt khai thác dữ liệu qua trục liên thông", "data-exchange calls", "lượt",
     1900000},
    {"digital", "số thuê bao băng rộng cố định", "fixed broadband subscriptions", "thuê bao",
     560000},
    {"digital", "số điểm phát wifi công cộng", "public wifi points", "điểm", 12},
    {"science", "số nhiệm vụ khoa học công nghệ nghiệm thu", "S&T projects accepted", "nhiệm vụ",
     3},
    {"science", "số đơn đăng ký sở hữu trí tuệ", "intellectual-property filings", "đơn", 40},
    {"science", "kinh phí khoa học công nghệ", "S&T spending", "tỷ đồng", 12},
    {"science", "số sản phẩm OCOP", "OCOP products", "sản phẩm", 9},
    {"science", "số doanh nghiệp đổi mới công nghệ", "enterprises renewing technology",
     "doanh nghiệp", 5},
    {"science", "số sáng kiến được công nhận", "initiatives recognised", "sáng kiến", 60},
    {"science", "số tiêu chuẩn cơ sở được công bố", "in-house standards published", "tiêu chuẩn",
     18},
    {"science", "số phương tiện đo được kiểm định", "measuring instruments verified", "phương tiện",
     7400},
    {"public_administration", "số văn bản quy phạm pháp luật ban hành", "legal documents issued",
     "văn bản", 14},
    {"public_administration", "số cuộc thanh tra", "inspections", "cuộc", 45},
    {"public_administration", "số đơn khiếu nại, tố cáo", "complaints and denunciations", "đơn",
     300},
    {"public_administration", "số cán bộ được đào tạo kỹ năng số",
     "officials trained in digital skills", "người", 900},
    {"public_administration", "số cuộc họp trực tuyến", "online meetings", "cuộc", 640},
    {"public_administration", "số thủ tục hành chính được cắt giảm", "procedures simplified",
     "thủ tục", 3},
    {"public_administration", "số lượt tiếp công dân", "citizen receptions", "lượt", 1100},
    {"public_administration", "số chữ ký số được cấp", "digital signatures issued", "chữ ký", 2600},
};

struct SectorName {
  const char* code;
  const char* name;
  const char* name_en;
};
constexpr SectorName kSectors[] = {
    {"economy", "Kinh tế", "Economy"},
    {"finance", "Tài chính, ngân sách", "Finance and budget"},
    {"agriculture", "Nông nghiệp và môi trường nông thôn", "Agriculture"},
    {"industry_trade", "Công thương", "Industry and trade"},
    {"health", "Y tế", "Health"},
    {"education", "Giáo dục và đào tạo", "Education and training"},
    {"labour", "Lao động, việc làm, an sinh xã hội", "Labour and social welfare"},
    {"culture", "Văn hóa, thể thao và du lịch", "Culture, sport and tourism"},
    {"environment", "Tài nguyên và môi trường", "Natural resources and environment"},
    {"transport", "Giao thông vận tải", "Transport"},
    {"construction", "Xây dựng, đô thị", "Construction and urban development"},
    {"security", "Quốc phòng, an ninh, trật tự", "Defence and public order"},
    {"digital", "Chuyển đổi số", "Digital transformation"},
    {"science", "Khoa học, công nghệ và đổi mới sáng tạo", "Science, technology and innovation"},
    {"public_administration", "Cải cách hành chính, dịch vụ công",
     "Public administration and services"},
};

// Which topics are split urban/rural (25) and reported by the communes (some of the larger
// figures); whose data stopped at December 2024 is decided as they are generated: 10 of the
// split ones and 35 of the others, so that 15 × 11 + 60 × 7 + the 17 of the pack and the
// report's figures make 602.
bool Split(size_t t) {
  return t % 5 == 1 || t == 119;
}
bool ByCommunes(size_t t) {
  return t % 10 == 3 && kTopics[t].scale >= 1000;
}

std::string Upper1(const std::string& s) {
  // The first letter in upper case; topics start with an ASCII letter ("số", "giá", "tổng", ...)
  // or 'đ' / 'k'.
  if (s.empty()) return s;
  if (s.rfind("đ", 0) == 0) return "Đ" + s.substr(std::string("đ").size());
  std::string out = s;
  if (out[0] >= 'a' && out[0] <= 'z') out[0] = static_cast<char>(out[0] - 'a' + 'A');
  return out;
}

std::string Code(size_t t) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "CT%03zu", t + 1);
  return buf;
}

// A deterministic generator (64-bit LCG).
class Rng {
 public:
  explicit Rng(uint64_t seed) : s_(seed) {}
  double Unit() {
    s_ = s_ * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(s_ >> 11) / 9007199254740992.0;
  }
  int Between(int lo, int hi) { return lo + static_cast<int>(Unit() * (hi - lo + 1)); }

 private:
  uint64_t s_;
};

// "(x - offset(x, -12)) / offset(x, -12) * 100": growth on the same period last year.
std::string Growth(const std::string& x) {
  std::string last = "offset(";
  last.append(x).append(", -12)");
  std::string out = "(";
  out.append(x).append(" - ").append(last).append(") / ").append(last).append(" * 100");
  return out;
}

// part / whole * 100.
std::string Share(const std::string& part, const std::string& whole) {
  std::string out = part;
  out.append(" / ").append(whole).append(" * 100");
  return out;
}

// x plus its `back` periods before it.
std::string Recent(const std::string& x, int back) {
  std::string out = x;
  for (int k = 1; k <= back; ++k)
    out.append(" + offset(").append(x).append(", -").append(std::to_string(k)).append(")");
  return out;
}

std::string Stamp(Date d) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT02:00:00Z", d.year, d.month, d.day);
  return buf;
}

}  // namespace

Result<DemoIndexSummary> GenerateDemo(const Stores& stores, const units::Registry& registry,
                                      const std::string& province_code, const std::string& at) {
  const units::Unit* province = registry.Find(province_code, Date::Today());
  if (!province) {
    return Fail(Error::Invalid("engine.no_province",
                               "the home province " + province_code + " is not among the units"));
  }
  std::vector<const units::Unit*> communes;
  for (const units::Unit* c : registry.Children(*province, Date::Today())) {
    if (c->level == units::Level::kCommune) communes.push_back(c);
  }
  int64_t population = 0;
  for (const units::Unit* c : communes) population += c->population.value_or(0);
  if (population == 0) population = 1;

  // The packs exactly as a province installs them (the report's online payment rate is the pack's:
  // over the dossiers submitted online with a fee).
  IndexSet set = PublicServicePack("dossiers", "feedback_1022", province_code);
  set.sectors.clear();
  for (const auto& s : kSectors) set.sectors.push_back({s.code, s.name, s.name_en});

  // The report's figures: installs of the citizen app and the enterprises, as the departments
  // report them each month (stocks: the latest month stands for the quarter and the year).
  struct Stock {
    const char* code;
    const char* name;
    const char* name_en;
    const char* sector;
    const char* measure;
    double first;  // November 2023
    double last;   // October 2025
  };
  const Stock stocks[] = {
      {"APP_INSTALLS", "Số lượt cài đặt ứng dụng công dân số", "Citizen app installs", "digital",
       "lượt", 121000, 237000},
      {"DN_KHCN", "Số doanh nghiệp khoa học và công nghệ", "Certified S&T enterprises", "science",
       "doanh nghiệp", 19, 26},
      {"DN_KHOI_NGHIEP", "Số doanh nghiệp khởi nghiệp sáng tạo được ươm tạo", "Start-ups incubated",
       "science", "doanh nghiệp", 2, 6},
      {"DN_CNS", "Số doanh nghiệp công nghệ số", "Digital-technology enterprises", "digital",
       "doanh nghiệp", 431, 540},
      {"DN_CNS_LAO_DONG", "Số lao động trong doanh nghiệp công nghệ số",
       "Employees of digital-technology enterprises", "digital", "người", 4620, 5700},
  };
  std::vector<ValueInput> values;
  const Date last_month{2025, 10, 1};
  auto months = [](int from_y, int from_m, int to_y, int to_m) {
    std::vector<Period> out;
    for (Period p{PeriodKind::kMonth, from_y, from_m}; p <= Period{PeriodKind::kMonth, to_y, to_m};
         p = p.Shift(1)) {
      out.push_back(p);
    }
    return out;
  };
  const auto all_months = months(2023, 11, last_month.year, last_month.month);
  Rng rng(20251031);
  // When a month's report came in: mostly by the 15th of the next month, some later.
  auto arrival = [&](const Period& p) {
    const int late = rng.Unit() < 0.12 ? rng.Between(16, 40) : rng.Between(3, 15);
    return Stamp(DueDate(p, late - 15));
  };
  auto add = [&](const std::string& element, const std::string& option, const std::string& unit,
                 const Period& p, double v) {
    values.push_back({element, option, unit, p.Id(), v, arrival(p)});
  };
  for (const auto& s : stocks) {
    Element e;
    e.code = s.code;
    e.name = s.name;
    e.name_en = s.name_en;
    e.sector = s.sector;
    e.measure = s.measure;
    e.time_agg = TimeAgg::kLast;
    e.reporting = "province";
    set.elements.push_back(e);
    Indicator i;
    i.code = s.code;
    i.name = s.name;
    i.name_en = s.name_en;
    i.sector = s.sector;
    i.measure = s.measure;
    i.owner_unit = province_code;
    i.expression = std::string("#{") + s.code + "}";
    set.indicators.push_back(i);
    const size_t n = all_months.size();
    for (size_t k = 0; k < n; ++k) {
      const double share = static_cast<double>(k) / static_cast<double>(n - 1);
      add(s.code, "", province_code, all_months[k],
          std::round(s.first + (s.last - s.first) * share));
    }
  }
  // Two yearly figures, reported for 2023 and 2024.
  struct Yearly {
    const char* code;
    const char* name;
    const char* name_en;
    const char* sector;
    const char* measure;
    double v2023;
    double v2024;
  };
  const Yearly yearly[] = {
      {"GRDP", "Tổng sản phẩm trên địa bàn (GRDP)", "Gross regional domestic product", "economy",
       "tỷ đồng", 342000, 371500},
      {"GRDP_BINH_QUAN", "GRDP bình quân đầu người", "GRDP per person", "economy", "triệu đồng",
       106.2, 114.3},
  };
  for (const auto& y : yearly) {
    Element e;
    e.code = y.code;
    e.name = y.name;
    e.name_en = y.name_en;
    e.sector = y.sector;
    e.measure = y.measure;
    e.periodicity = PeriodKind::kYear;
    e.time_agg = TimeAgg::kLast;
    e.unit_agg = UnitAgg::kNone;
    e.reporting = "province";
    e.due_days = 90;
    set.elements.push_back(e);
    Indicator i;
    i.code = y.code;
    i.name = y.name;
    i.name_en = y.name_en;
    i.sector = y.sector;
    i.measure = y.measure;
    i.periodicity = PeriodKind::kYear;
    i.due_days = 90;
    i.expression = std::string("#{") + y.code + "}";
    set.indicators.push_back(i);
    add(y.code, "", province_code, {PeriodKind::kYear, 2023, 0}, y.v2023);
    add(y.code, "", province_code, {PeriodKind::kYear, 2024, 0}, y.v2024);
  }

  // The topics.
  int split_seen = 0;
  int plain_seen = 0;
  for (size_t t = 0; t < std::size(kTopics); ++t) {
    const Topic& topic = kTopics[t];
    const bool split = Split(t);
    // 2 of every 5 split topics (10 of 25), 7 of every 19 others (35 of 95).
    const bool stale = split ? split_seen++ % 5 < 2 : plain_seen++ % 19 < 7;
    const std::string code = Code(t);
    const std::string name = topic.name;
    const std::string name_en = topic.name_en;
    Element e;
    e.code = code;
    e.name = Upper1(name);
    e.name_en = name_en;
    e.sector = topic.sector;
    e.measure = topic.measure;
    e.reporting = ByCommunes(t) ? "communes" : "province";
    if (split) e.options = {"thanh_thi", "nong_thon"};
    set.elements.push_back(e);
    const std::string ref = "#{" + code + "}";
    auto indicator = [&](const std::string& suffix, std::string vi, std::string en,
                         std::string measure, std::string expr) {
      Indicator i;
      i.code = code + suffix;
      i.name = std::move(vi);
      i.name_en = std::move(en);
      i.sector = topic.sector;
      i.measure = std::move(measure);
      i.expression = std::move(expr);
      set.indicators.push_back(std::move(i));
    };
    const std::string growth = Growth(ref);
    const std::string ytd = "ytd(" + ref + ")";
    indicator("", Upper1(name), name_en, topic.measure, ref);
    indicator("_1000", Upper1(name) + " trên 1.000 dân", name_en + " per 1,000 people",
              std::string(topic.measure) + "/1.000 dân", ref + " / population * 1000");
    indicator("_TT", "Tốc độ tăng " + name + " so với cùng kỳ",
              "Growth of " + name_en + " on the same month last year", "%", growth);
    indicator("_LK", Upper1(name) + " lũy kế từ đầu năm", name_en + ", year to date", topic.measure,
              ytd);
    indicator("_LK_TT", "Tốc độ tăng " + name + " lũy kế so với cùng kỳ",
              "Growth of " + name_en + ", year to date on last year", "%", Growth(ytd));
    indicator("_BD", "Biến động " + name + " so với tháng trước",
              "Change in " + name_en + " on the previous month", topic.measure,
              std::string(ref).append(" - offset(").append(ref).append(", -1)"));
    indicator("_3T", Upper1(name) + " ba tháng gần nhất", name_en + ", last three months",
              topic.measure, Recent(ref, 2));
    if (split) {
      const std::string urban = "#{" + code + ".thanh_thi}";
      const std::string rural = "#{" + code + ".nong_thon}";
      indicator("_TTHI", Upper1(name) + " khu vực thành thị", name_en + ", urban", topic.measure,
                urban);
      indicator("_NTHON", Upper1(name) + " khu vực nông thôn", name_en + ", rural", topic.measure,
                rural);
      indicator("_TL_TTHI", "Tỷ trọng thành thị trong " + name, "Urban share of " + name_en, "%",
                Share(urban, ref));
      indicator("_TL_NTHON", "Tỷ trọng nông thôn trong " + name, "Rural share of " + name_en, "%",
                Share(rural, ref));
    }
    // The values: a trend, a season, some noise; stale topics stop at December 2024.
    const double growth_rate = 0.004 + 0.006 * rng.Unit();
    for (size_t k = 0; k < all_months.size(); ++k) {
      const Period& p = all_months[k];
      if (stale && p > Period{PeriodKind::kMonth, 2024, 12}) break;
      const double season =
          1 + 0.08 * std::sin((p.n - 1) * 3.14159265 / 6 + static_cast<double>(t));
      const double level = topic.scale * std::pow(1 + growth_rate, static_cast<double>(k)) * season;
      auto emit = [&](const std::string& unit, double share) {
        double v = level * share * (0.95 + 0.1 * rng.Unit());
        v = topic.scale >= 50 ? std::round(v) : std::round(v * 10) / 10;
        if (split) {
          const double urban = std::round(v * 0.35 * 10) / 10;
          add(code, "thanh_thi", unit, p, urban);
          add(code, "nong_thon", unit, p, std::round((v - urban) * 10) / 10);
        } else {
          add(code, "", unit, p, v);
        }
      };
      if (!ByCommunes(t)) {
        emit(province_code, 1);
        continue;
      }
      const bool reformed = p >= Period{PeriodKind::kMonth, 2025, 7};
      for (size_t c = 0; c < communes.size(); ++c) {
        const units::Unit* u = communes[c];
        // A few communes' reports stopped after December 2024.
        if (c % 19 == 7 && p > Period{PeriodKind::kMonth, 2024, 12}) continue;
        const double share = static_cast<double>(u->population.value_or(population / 96)) /
                             static_cast<double>(population);
        // Before the reform, the old communes that merged whole into it report.
        std::vector<std::string> old;
        if (!reformed) {
          for (const auto& s : registry.Predecessors(*u)) {
            if (s.kind == units::MergeKind::kWhole) old.push_back(s.old_unit->code);
          }
        }
        if (old.empty()) {
          emit(u->code, share);
        } else {
          for (const auto& o : old) emit(o, share / static_cast<double>(old.size()));
        }
      }
    }
  }
  DemoIndexSummary summary;
  summary.indicators = static_cast<int64_t>(set.indicators.size());
  summary.elements = static_cast<int64_t>(set.elements.size());
  if (auto s = SaveIndexSet(stores, set, "demo", at); !s) return Fail(s.error());
  // Stored through the same checks as any report, each with the time it came in.
  ValueOptions opt;
  opt.by = "demo";
  opt.at = at;
  opt.source = "demo";
  auto report = WriteValues(stores.index, registry, set, province_code, values, opt);
  if (!report) return Fail(report.error());
  if (report->status != "committed") {
    const auto& e = report->errors.front();
    return Fail(Error::Internal(
        "engine.demo", "demo value " + std::to_string(e.row) + ": " + e.code + " " + e.message));
  }
  summary.values = static_cast<int64_t>(values.size());
  return summary;
}

}  // namespace pdh::engine
