// The demo province's catalog: real platform, database and national-database names of a
// Vietnamese province, owned by Tây Ninh's departments and some communes, with histories from
// January 2024 whose state on 2025-10-31 is the October 2025 report's, and earlier dates less.
// Every choice comes from a fixed-seed generator, so each run writes the same catalog.
#include <algorithm>
#include <array>
#include <utility>

#include "catalog/internal.h"
#include "core/date.h"
#include "core/random.h"
#include "core/text.h"

namespace pdh::catalog {
namespace {

// The report's figures as of kReportDate (design §1).
constexpr Date kReportDate{2025, 10, 31};
constexpr size_t kDatabasesMerged = 35;
constexpr size_t kDatabasesNotMerged = 34;
constexpr size_t kDatabasesTotal = 112;
constexpr size_t kCommuneDatabases = 6;
constexpr size_t kNationalNotConnected = 3;
constexpr std::string_view kActor = "demo";

Date RandomDate(Rng& rng, Date from, Date to) {
  return FromDayNumber(rng.Between(DayNumber(from), DayNumber(to)));
}

struct Sector {
  std::string_view name;
  std::string_view owner;                // agency code
  std::string_view platform;             // the platform its databases run on
  std::string_view national;             // the national database they exchange with ("" none)
  std::vector<std::string_view> topics;  // "Cơ sở dữ liệu <topic>"
};

const std::vector<Sector>& Sectors() {
  static const std::vector<Sector> sectors = {
      {"Y tế",
       "80.SYT",
       "NT-16",
       "QG-10",
       {"hồ sơ sức khỏe điện tử", "khám bệnh, chữa bệnh", "tiêm chủng", "dược và mỹ phẩm",
        "hành nghề y, dược tư nhân", "an toàn thực phẩm", "dân số và phát triển",
        "trang thiết bị y tế", "bệnh truyền nhiễm", "cơ sở khám bệnh, chữa bệnh", "nhân lực y tế"}},
      {"Giáo dục và Đào tạo",
       "80.SGDDT",
       "NT-17",
       "QG-09",
       {"ngành giáo dục tỉnh", "đội ngũ nhà giáo và cán bộ quản lý giáo dục", "văn bằng, chứng chỉ",
        "thi tốt nghiệp trung học phổ thông", "tuyển sinh đầu cấp", "cơ sở vật chất trường học",
        "giáo dục nghề nghiệp", "phổ cập giáo dục, xóa mù chữ", "học bạ số",
        "kiểm định chất lượng giáo dục"}},
      {"Nông nghiệp và Môi trường",
       "80.SNNMT",
       "NT-18",
       "QG-02",
       {"đất đai", "quan trắc môi trường", "tài nguyên nước", "khoáng sản", "trồng trọt",
        "chăn nuôi và thú y", "thủy lợi", "lâm nghiệp", "khí tượng thủy văn", "chất thải rắn",
        "mã số vùng trồng", "nông thôn mới"}},
      {"Tài chính",
       "80.STC",
       "NT-21",
       "QG-03",
       {"giá", "tài sản công", "ngân sách tỉnh", "đầu tư công", "đăng ký doanh nghiệp",
        "hộ kinh doanh", "doanh nghiệp nhà nước và vốn nhà nước", "thống kê kinh tế - xã hội",
        "hợp tác xã"}},
      {"Xây dựng",
       "80.SXD",
       "NT-22",
       "QG-16",
       {"quy hoạch xây dựng", "cấp phép xây dựng", "nhà ở và thị trường bất động sản",
        "kết cấu hạ tầng giao thông", "phương tiện và người lái", "công trình xây dựng",
        "hạ tầng kỹ thuật đô thị", "vật liệu xây dựng", "vận tải hành khách"}},
      {"Công Thương",
       "80.SCT",
       "NT-24",
       "",
       {"thương mại điện tử", "xúc tiến thương mại", "năng lượng và điện", "cụm công nghiệp",
        "chợ, siêu thị, trung tâm thương mại", "an toàn hóa chất", "xuất khẩu, nhập khẩu"}},
      {"Văn hóa - Thể thao - Du lịch",
       "80.SVHTTDL",
       "NT-25",
       "",
       {"di sản văn hóa", "du lịch", "cơ sở lưu trú du lịch", "thể dục, thể thao", "gia đình",
        "thư viện số", "bảo tàng số", "báo chí, xuất bản"}},
      {"Nội vụ",
       "80.SNV",
       "NT-27",
       "QG-06",
       {"cán bộ, công chức, viên chức tỉnh", "thi đua, khen thưởng", "lao động, việc làm",
        "người có công", "bảo trợ xã hội", "trẻ em", "lưu trữ lịch sử",
        "tổ chức bộ máy và biên chế", "giảm nghèo"}},
      {"Tư pháp",
       "80.STP",
       "NT-29",
       "QG-05",
       {"hộ tịch", "lý lịch tư pháp", "công chứng, chứng thực", "trợ giúp pháp lý",
        "văn bản quy phạm pháp luật tỉnh", "xử lý vi phạm hành chính", "đấu giá tài sản"}},
      {"Khoa học và Công nghệ",
       "80.SKHCN",
       "NT-35",
       "",
       {"nhiệm vụ khoa học và công nghệ", "sở hữu trí tuệ", "tiêu chuẩn, đo lường, chất lượng",
        "doanh nghiệp khoa học và công nghệ", "chuyển đổi số", "bưu chính, viễn thông",
        "an toàn thông tin mạng", "đổi mới sáng tạo, khởi nghiệp"}},
      {"Dân tộc và Tôn giáo",
       "80.SDTTG",
       "NT-35",
       "",
       {"dân tộc thiểu số", "tôn giáo, tín ngưỡng", "chính sách dân tộc"}},
      {"Thanh tra",
       "80.TTT",
       "NT-32",
       "",
       {"thanh tra", "khiếu nại, tố cáo", "kê khai tài sản, thu nhập"}},
      {"Khu kinh tế",
       "80.BQLKKT",
       "NT-31",
       "",
       {"doanh nghiệp trong khu kinh tế, khu công nghiệp", "lao động khu công nghiệp",
        "môi trường khu công nghiệp"}},
      {"An ninh, trật tự",
       "80.CAT",
       "NT-30",
       "QG-01",
       {"phòng cháy, chữa cháy và cứu nạn, cứu hộ", "an ninh, trật tự", "vi phạm giao thông"}},
      {"Hành chính công",
       "80.TTPVHCC",
       "NT-03",
       "QG-11",
       {"hồ sơ thủ tục hành chính số hóa", "kết quả giải quyết thủ tục hành chính"}},
      {"Chỉ đạo, điều hành",
       "80.VPUB",
       "NT-05",
       "",
       {"văn bản chỉ đạo, điều hành", "nhiệm vụ Ủy ban nhân dân tỉnh giao"}},
  };
  return sectors;
}

const Sector& SectorNamed(std::string_view name) {
  const auto& all = Sectors();
  return *std::find_if(all.begin(), all.end(), [&](const Sector& s) { return s.name == name; });
}

struct PlatformSpec {
  std::string_view name;
  std::string_view sector;
  std::string_view owner;
};

constexpr std::array<PlatformSpec, 35> kPlatforms = {{
    {"Trung tâm giám sát, điều hành thông minh tỉnh (IOC)", "Khoa học và Công nghệ", "80.SKHCN"},
    {"Nền tảng tích hợp, chia sẻ dữ liệu tỉnh (LGSP)", "Khoa học và Công nghệ", "80.SKHCN"},
    {"Hệ thống thông tin giải quyết thủ tục hành chính tỉnh", "Hành chính công", "80.TTPVHCC"},
    {"Cổng thông tin điện tử tỉnh", "Chỉ đạo, điều hành", "80.VPUB"},
    {"Hệ thống quản lý văn bản và điều hành", "Chỉ đạo, điều hành", "80.VPUB"},
    {"Ứng dụng Công dân số Tây Ninh", "Khoa học và Công nghệ", "80.SKHCN"},
    {"Hệ thống tiếp nhận, xử lý phản ánh, kiến nghị 1022", "Khoa học và Công nghệ", "80.SKHCN"},
    {"Nền tảng định danh và xác thực điện tử dùng chung", "Khoa học và Công nghệ", "80.SKHCN"},
    {"Hệ thống thư điện tử công vụ", "Khoa học và Công nghệ", "80.SKHCN"},
    {"Hệ thống hội nghị truyền hình trực tuyến", "Chỉ đạo, điều hành", "80.VPUB"},
    {"Trung tâm giám sát an toàn, an ninh mạng (SOC)", "Khoa học và Công nghệ", "80.SKHCN"},
    {"Nền tảng bản đồ số dùng chung (GIS)", "Nông nghiệp và Môi trường", "80.SNNMT"},
    {"Cổng dữ liệu mở tỉnh", "Khoa học và Công nghệ", "80.SKHCN"},
    {"Hệ thống thông tin báo cáo tỉnh", "Chỉ đạo, điều hành", "80.VPUB"},
    {"Nền tảng thanh toán trực tuyến và biên lai điện tử", "Tài chính", "80.STC"},
    {"Nền tảng y tế số tỉnh", "Y tế", "80.SYT"},
    {"Nền tảng quản lý giáo dục và trường học số", "Giáo dục và Đào tạo", "80.SGDDT"},
    {"Hệ thống thông tin đất đai tỉnh", "Nông nghiệp và Môi trường", "80.SNNMT"},
    {"Hệ thống quan trắc môi trường tự động", "Nông nghiệp và Môi trường", "80.SNNMT"},
    {"Nền tảng nông nghiệp số và truy xuất nguồn gốc", "Nông nghiệp và Môi trường", "80.SNNMT"},
    {"Hệ thống quản lý ngân sách và tài sản công", "Tài chính", "80.STC"},
    {"Hệ thống cấp phép xây dựng trực tuyến", "Xây dựng", "80.SXD"},
    {"Hệ thống giám sát giao thông thông minh", "Xây dựng", "80.SXD"},
    {"Sàn thương mại điện tử tỉnh", "Công Thương", "80.SCT"},
    {"Cổng thông tin du lịch thông minh", "Văn hóa - Thể thao - Du lịch", "80.SVHTTDL"},
    {"Thư viện số tỉnh", "Văn hóa - Thể thao - Du lịch", "80.SVHTTDL"},
    {"Hệ thống quản lý cán bộ, công chức, viên chức", "Nội vụ", "80.SNV"},
    {"Hệ thống lưu trữ điện tử tỉnh", "Nội vụ", "80.SNV"},
    {"Hệ thống quản lý hộ tịch, chứng thực điện tử", "Tư pháp", "80.STP"},
    {"Hệ thống camera giám sát an ninh, trật tự", "An ninh, trật tự", "80.CAT"},
    {"Hệ thống quản lý khu kinh tế, khu công nghiệp", "Khu kinh tế", "80.BQLKKT"},
    {"Hệ thống thông tin thanh tra, khiếu nại, tố cáo", "Thanh tra", "80.TTT"},
    {"Nền tảng trợ lý ảo cho cán bộ, công chức", "Khoa học và Công nghệ", "80.SKHCN"},
    {"Nền tảng phát thanh, truyền hình số", "Báo chí, truyền thông", "80.DPTTH"},
    {"Trung tâm dữ liệu tỉnh (điện toán đám mây)", "Khoa học và Công nghệ", "80.SKHCN"},
}};

// The national databases the province connects to through the national data exchange
// (NDXP), with the province's unit that answers for each connection.
constexpr std::array<PlatformSpec, 16> kNational = {{
    {"Cơ sở dữ liệu quốc gia về dân cư", "An ninh, trật tự", "80.CAT"},
    {"Cơ sở dữ liệu quốc gia về đất đai", "Nông nghiệp và Môi trường", "80.SNNMT"},
    {"Cơ sở dữ liệu quốc gia về đăng ký doanh nghiệp", "Tài chính", "80.STC"},
    {"Cơ sở dữ liệu quốc gia về bảo hiểm", "Nội vụ", "80.SNV"},
    {"Cơ sở dữ liệu hộ tịch điện tử toàn quốc", "Tư pháp", "80.STP"},
    {"Cơ sở dữ liệu quốc gia về cán bộ, công chức, viên chức", "Nội vụ", "80.SNV"},
    {"Cơ sở dữ liệu quốc gia về đầu tư công", "Tài chính", "80.STC"},
    {"Cơ sở dữ liệu quốc gia về tài chính", "Tài chính", "80.STC"},
    {"Cơ sở dữ liệu quốc gia về giáo dục và đào tạo", "Giáo dục và Đào tạo", "80.SGDDT"},
    {"Cơ sở dữ liệu quốc gia về y tế", "Y tế", "80.SYT"},
    {"Cơ sở dữ liệu quốc gia về thủ tục hành chính", "Hành chính công", "80.VPUB"},
    {"Cơ sở dữ liệu quốc gia về văn bản quy phạm pháp luật", "Tư pháp", "80.STP"},
    {"Cơ sở dữ liệu quốc gia về giá", "Tài chính", "80.STC"},
    {"Cơ sở dữ liệu quốc gia về việc làm", "Nội vụ", "80.SNV"},
    {"Cơ sở dữ liệu quốc gia về an sinh xã hội", "Nội vụ", "80.SNV"},
    {"Cơ sở dữ liệu quốc gia về hoạt động xây dựng", "Xây dựng", "80.SXD"},
}};

// National databases still waiting for their connection on the report date (1-based).
constexpr std::array<size_t, kNationalNotConnected> kNotConnected = {8, 15, 16};

constexpr std::array<std::string_view, 4> kHosting = {
    "Trung tâm dữ liệu tỉnh Tây Ninh", "Trung tâm dữ liệu tỉnh Tây Ninh",
    "Hạ tầng điện toán đám mây VNPT", "Hạ tầng điện toán đám mây Viettel"};

constexpr Date kStart{2024, 1, 2};

std::string Number(Rng& rng, int64_t n) {
  return std::to_string(rng.Between(n / 10, n));
}

std::string DayMonthYear(Date d) {
  auto two = [](int v) { return (v < 10 ? "0" : "") + std::to_string(v); };
  return two(d.day) + "/" + two(d.month) + "/" + std::to_string(d.year);
}

std::string Decision(Rng& rng, Date d, std::string_view what) {
  return "Quyết định số " + Number(rng, 3500) + "/QĐ-UBND ngày " + DayMonthYear(d) +
         " của Ủy ban nhân dân tỉnh " + std::string(what);
}

// A contact at the owner: "Sở Y tế — cntt.syt@tayninh.gov.vn".
std::string Contact(const units::Registry& registry, const std::string& owner) {
  const units::Unit* u = registry.Find(owner, kReportDate);
  std::string mailbox = text::FoldAlnum(owner.substr(owner.find('.') + 1));
  return (u ? u->short_name : owner) + " — cntt." + mailbox + "@tayninh.gov.vn";
}

std::string Pad2(size_t n) {
  return (n < 10 ? "0" : "") + std::to_string(n);
}

// One entry's history: the state in force from each date, oldest first.
struct Step {
  Date date;
  Entry entry;
  std::string reason;
};
using History = std::vector<Step>;

void Push(History& h, Date date, const Entry& e, std::string reason = "") {
  h.push_back({date, e, std::move(reason)});
}

void PutInUse(Entry& e, Rng& rng, Date date, const units::Registry& registry) {
  e.status = EntryStatus::kInUse;
  e.hosting = std::string(kHosting[static_cast<size_t>(rng.Between(0, kHosting.size() - 1))]);
  e.last_data_update = date;
  e.contact = Contact(registry, e.owner);
}

History PlatformHistory(size_t i, Rng& rng, const units::Registry& registry) {
  const PlatformSpec& p = kPlatforms[i];
  Entry e;
  e.kind = Kind::kPlatform;
  e.code = "NT-" + Pad2(i + 1);
  e.name = std::string(p.name);
  e.sector = std::string(p.sector);
  e.owner = std::string(p.owner);
  e.tags = {"nền tảng số", "Nghị quyết 57"};
  History h;
  // About half were running before 2024 and are registered as in use on day one.
  const bool running = i < 5 || rng.Chance(50);
  const Date created = running ? RandomDate(rng, kStart, {2024, 2, 28})
                               : RandomDate(rng, {2024, 1, 15}, {2025, 3, 31});
  e.status = EntryStatus::kUnderConstruction;
  e.legal_basis =
      Decision(rng, AddDays(created, -rng.Between(20, 200)), "phê duyệt " + std::string(p.name));
  e.ioc_connected = i == 0 || rng.Chance(60);
  if (running) {
    PutInUse(e, rng, created, registry);
    Push(h, created, e);
    return h;
  }
  Push(h, created, e);
  const Date live = std::min(AddDays(created, rng.Between(60, 300)), Date{2025, 10, 25});
  PutInUse(e, rng, live, registry);
  Push(h, live, e);
  return h;
}

History NationalHistory(size_t i, Rng& rng, const units::Registry& registry) {
  const PlatformSpec& n = kNational[i];
  Entry e;
  e.kind = Kind::kNational;
  e.code = "QG-" + Pad2(i + 1);
  e.name = std::string(n.name);
  e.sector = std::string(n.sector);
  e.owner = std::string(n.owner);
  e.status = EntryStatus::kNotConnected;
  e.contact = Contact(registry, e.owner);
  e.hosting = "Nền tảng tích hợp, chia sẻ dữ liệu quốc gia (NDXP)";
  e.tags = {"cơ sở dữ liệu quốc gia", "NDXP"};
  History h;
  Push(h, RandomDate(rng, {2024, 1, 5}, {2024, 1, 31}), e);
  const bool waiting =
      std::find(kNotConnected.begin(), kNotConnected.end(), i + 1) != kNotConnected.end();
  // The last one waiting connects after the report date: later figures count it.
  std::optional<Date> connected;
  if (!waiting) connected = RandomDate(rng, {2024, 3, 1}, {2025, 10, 20});
  if (i + 1 == kNotConnected.back()) connected = Date{2025, 12, 5};
  if (!connected) return h;
  e.status = EntryStatus::kConnected;
  e.connected_at = connected;
  e.ioc_connected = true;
  Push(h, *connected, e);
  return h;
}

// How a database ends up on the report date.
enum class Fate { kMerged, kNotMerged, kUnderConstruction };

struct DatabaseSpec {
  const Sector* sector;
  std::string topic;
  std::string owner;
  std::string code;
  bool commune = false;
};

std::vector<DatabaseSpec> DatabaseSpecs(Rng& rng, const units::Registry& registry) {
  std::vector<DatabaseSpec> specs;
  for (const auto& s : Sectors()) {
    size_t n = 0;
    for (auto topic : s.topics) {
      specs.push_back({&s, std::string(topic), std::string(s.owner),
                       "CSDL-" + std::string(s.owner.substr(3)) + "-" + Pad2(++n)});
    }
  }
  // Communes build their own after the reform: urban management in wards, land in communes.
  std::vector<const units::Unit*> communes;
  for (const auto* p : registry.Provinces(kReform2025)) {
    if (p->code != "80") continue;
    for (const auto* c : registry.Children(*p, kReform2025)) {
      if (c->level == units::Level::kCommune) communes.push_back(c);
    }
  }
  rng.Shuffle(communes);
  const Sector& building = SectorNamed("Xây dựng");
  const Sector& land = SectorNamed("Nông nghiệp và Môi trường");
  for (size_t i = 0; i < std::min(kCommuneDatabases, communes.size()); ++i) {
    const units::Unit& c = *communes[i];
    const bool ward = c.type == "Phường";
    specs.push_back({ward ? &building : &land,
                     std::string(ward ? "quản lý đô thị " : "đất đai ") + c.name, c.code,
                     "CSDL-" + c.code + "-01", true});
  }
  return specs;
}

std::vector<Fate> Fates(Rng& rng, size_t agency_databases) {
  std::vector<Fate> fates(agency_databases, Fate::kUnderConstruction);
  std::fill_n(fates.begin(), kDatabasesMerged, Fate::kMerged);
  std::fill_n(fates.begin() + kDatabasesMerged, kDatabasesNotMerged, Fate::kNotMerged);
  rng.Shuffle(fates);
  return fates;
}

std::vector<std::string> FormerSystems(std::string_view topic) {
  return {"Tây Ninh (cũ): cơ sở dữ liệu " + std::string(topic),
          "Long An (cũ): cơ sở dữ liệu " + std::string(topic)};
}

class DatabaseHistories {
 public:
  DatabaseHistories(Rng& rng, const units::Registry& registry) : rng_(rng), registry_(registry) {}

  History Make(const DatabaseSpec& spec, Fate fate) {
    Entry e;
    e.kind = Kind::kDatabase;
    e.code = spec.code;
    e.name = "Cơ sở dữ liệu " + spec.topic;
    e.sector = std::string(spec.sector->name);
    e.owner = spec.owner;
    e.tags = {"cơ sở dữ liệu chuyên ngành", std::string(spec.sector->name)};
    e.links.push_back({LinkKind::kRunsOn, std::string(spec.sector->platform)});
    if (!spec.sector->national.empty()) {
      e.links.push_back({LinkKind::kExchangesWith, std::string(spec.sector->national)});
    }
    History h;
    if (spec.commune) return CommuneHistory(e, h);
    const Date created = RandomDate(rng_, kStart, {2024, 10, 28});
    Date built = created;
    if (rng_.Chance(35)) {
      Push(h, created, e);
      built = AddDays(created, rng_.Between(20, 150));
    }
    e.status = EntryStatus::kUnderConstruction;
    e.legal_basis =
        Decision(rng_, AddDays(created, -rng_.Between(15, 120)), "phê duyệt xây dựng " + e.name);
    if (fate == Fate::kUnderConstruction || rng_.Chance(40)) {
      e.source_systems = {FormerSystems(spec.topic)[static_cast<size_t>(rng_.Between(0, 1))]};
    }
    Push(h, built, e);
    if (fate == Fate::kUnderConstruction) return h;
    const bool merged = fate == Fate::kMerged;
    // Merged databases were in use before the merger and consolidated after 1 July 2025.
    const Date last_live = merged ? Date{2025, 6, 25} : Date{2025, 10, 25};
    Date live = RandomDate(rng_, std::min(AddDays(built, 30), last_live), last_live);
    e.source_systems = FormerSystems(spec.topic);
    e.consolidation = Consolidation::kNotMerged;
    e.record_count = rng_.Between(2'000, 1'500'000);
    e.ioc_connected = rng_.Chance(45);
    PutInUse(e, rng_, live, registry_);
    Push(h, live, e);
    live = MaybeRebuild(h, e, live, last_live);
    const Date merge = merged ? RandomDate(rng_, {2025, 7, 10}, {2025, 10, 28}) : kReportDate;
    Refresh(h, e, live, merge);
    if (merged) Merge(h, e, merge);
    return h;
  }

  // A few go back to construction for an upgrade, with the reason, and come back.
  Date MaybeRebuild(History& h, Entry& e, Date live, Date last_live) {
    if (rebuilt_ >= 3 || live > Date{2024, 9, 1} || !rng_.Chance(30)) return live;
    ++rebuilt_;
    const Date down = AddDays(live, rng_.Between(60, 90));
    Entry upgrading = e;
    upgrading.status = EntryStatus::kUnderConstruction;
    upgrading.consolidation = Consolidation::kNone;
    Push(h, down, upgrading, "Nâng cấp, chuyển đổi sang nền tảng dùng chung của tỉnh");
    const Date back = std::min(AddDays(down, rng_.Between(60, 120)), last_live);
    e.last_data_update = back;
    Push(h, back, e);
    return back;
  }

  // Data updated some time after going live (before `until`).
  void Refresh(History& h, Entry& e, Date live, Date until) {
    const Date refreshed = AddDays(live, rng_.Between(30, 150));
    if (refreshed >= until) return;
    e.last_data_update = refreshed;
    *e.record_count += rng_.Between(100, 50'000);
    Push(h, refreshed, e);
  }

  void Merge(History& h, Entry& e, Date date) {
    e.consolidation = Consolidation::kMerged;
    e.record_count = *e.record_count + *e.record_count * 3 / 5;
    e.last_data_update = date;
    e.ioc_connected = true;
    Push(h, date, e, "Hợp nhất dữ liệu của hai tỉnh sau sắp xếp đơn vị hành chính");
  }

  History CommuneHistory(Entry& e, History& h) {
    const Date created = RandomDate(rng_, {2025, 7, 15}, {2025, 9, 30});
    e.status = EntryStatus::kUnderConstruction;
    const units::Unit* u = registry_.Find(e.owner, created);
    e.legal_basis = "Kế hoạch số " + Number(rng_, 300) + "/KH-UBND ngày " + DayMonthYear(created) +
                    " của Ủy ban nhân dân " + (u ? u->name : e.owner);
    e.links.resize(1);  // runs on the sector's platform; the exchange is the province's
    Push(h, created, e);
    return h;
  }

 private:
  Rng& rng_;
  const units::Registry& registry_;
  int rebuilt_ = 0;
};

// After the report date: two more databases merged. They do not count on 2025-10-31.
void AfterReport(std::vector<History>& databases, Rng& rng) {
  int merged = 0;
  for (auto& h : databases) {
    Entry e = h.back().entry;
    if (merged == 2 || e.consolidation != Consolidation::kNotMerged || !rng.Chance(50)) continue;
    const Date date = merged++ == 0 ? Date{2025, 11, 12} : Date{2025, 11, 26};
    e.consolidation = Consolidation::kMerged;
    e.last_data_update = date;
    Push(h, date, e, "Hợp nhất dữ liệu của hai tỉnh sau sắp xếp đơn vị hành chính");
  }
}

Status Write(Catalog& catalog, const History& h, reg::Tally& report) {
  for (size_t i = 0; i < h.size(); ++i) {
    const Change change{std::string(kActor), h[i].reason, h[i].date, std::nullopt};
    auto r = i == 0 ? catalog.Create(h[i].entry, change) : catalog.Update(h[i].entry, change);
    if (!r) return Fail(r.error());
    ++report["versions"];
  }
  return Ok();
}

}  // namespace

Result<reg::Tally> GenerateDemo(Catalog& catalog, const units::Registry& registry) {
  Rng rng(0x7A11'2025'1031ULL);
  std::vector<History> platforms, national, databases;
  for (size_t i = 0; i < kPlatforms.size(); ++i) {
    platforms.push_back(PlatformHistory(i, rng, registry));
  }
  for (size_t i = 0; i < kNational.size(); ++i) {
    national.push_back(NationalHistory(i, rng, registry));
  }
  const auto specs = DatabaseSpecs(rng, registry);
  if (specs.size() != kDatabasesTotal) {
    return Fail(Error::Internal("catalog.demo_failed",
                                "the demo needs " + std::to_string(kDatabasesTotal) +
                                    " databases but has " + std::to_string(specs.size()) +
                                    " (is province 80 imported with its communes?)"));
  }
  const auto fates = Fates(rng, specs.size() - kCommuneDatabases);
  DatabaseHistories histories(rng, registry);
  for (size_t i = 0; i < specs.size(); ++i) {
    databases.push_back(
        histories.Make(specs[i], specs[i].commune ? Fate::kUnderConstruction : fates[i]));
  }
  AfterReport(databases, rng);

  reg::Tally report{"platforms", "databases", "national", "versions"};
  // Link targets first: platforms and national databases, then the databases linking to them.
  for (const auto* group : {&platforms, &national, &databases}) {
    for (const auto& h : *group) {
      if (auto s = Write(catalog, h, report); !s) return Fail(s.error());
    }
  }
  report["platforms"] = platforms.size();
  report["national"] = national.size();
  report["databases"] = databases.size();
  return report;
}

}  // namespace pdh::catalog
