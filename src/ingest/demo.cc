// The demo province's dossiers and 1022 feedback: 24 months (November 2023 to October 2025) of
// records by commune and department in proportion to population, written as the monthly CSV
// files the units would send (old commune codes before July 2025, as their systems then had
// them) and ingested as batches like any upload. Deterministic: the same seed gives the same
// records.
//
// From January 2025 the shares follow the province's October 2025 report: 99.6% of dossiers
// submitted online, 99.73% of those with a fee paid online, 99.65% digitized, 99% of ratings
// satisfied; earlier months climb towards them.
#include <algorithm>
#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/random.h"
#include "core/sheet.h"
#include "ingest/ingest.h"

namespace pdh::ingest {
namespace {

struct Procedure {
  const char* code;
  const char* name;
  int64_t fee;
  bool locality_free;
  bool full_online;  // eligible for full-process online
  int days;          // processing time allowed
  bool commune;      // received at communes (otherwise at departments)
};

constexpr Procedure kProcedures[] = {
    {"1.001193", "Đăng ký khai sinh", 0, false, true, 1, true},
    {"1.000894", "Đăng ký kết hôn", 0, false, true, 3, true},
    {"1.001022", "Đăng ký khai tử", 0, false, true, 1, true},
    {"2.000908", "Chứng thực bản sao từ bản chính giấy tờ, văn bản", 2000, true, true, 1, true},
    {"1.004873", "Cấp bản sao trích lục hộ tịch", 8000, true, true, 1, true},
    {"1.001612", "Xác nhận tình trạng hôn nhân", 0, false, true, 3, true},
    {"1.010733", "Đăng ký thường trú", 20000, false, true, 7, true},
    {"1.003003", "Đăng ký hộ kinh doanh", 100000, false, true, 3, true},
    {"1.004227", "Cấp Giấy chứng nhận quyền sử dụng đất lần đầu", 100000, false, false, 30, false},
    {"1.001009", "Cấp giấy phép xây dựng nhà ở riêng lẻ", 75000, false, false, 15, true},
    {"2.001035", "Đăng ký thành lập doanh nghiệp", 50000, true, true, 3, false},
    {"1.002034", "Cấp giấy phép lái xe (đổi)", 135000, true, true, 5, false},
    {"1.008004", "Cấp phiếu lý lịch tư pháp", 200000, true, true, 10, false},
    {"1.009994", "Cấp chứng chỉ hành nghề khám bệnh, chữa bệnh", 360000, true, false, 30, false},
};

constexpr const char* kFamily[] = {"Nguyễn", "Trần",   "Lê",  "Phạm", "Huỳnh", "Hoàng", "Võ",
                                   "Phan",   "Trương", "Bùi", "Đặng", "Đỗ",    "Ngô",   "Lý"};
constexpr const char* kMiddle[] = {"Văn", "Thị", "Minh", "Ngọc", "Thanh", "Hữu", "Kim", "Quốc"};
constexpr const char* kGiven[] = {"An",   "Bình", "Châu", "Dũng", "Hà",    "Hải",  "Hạnh",
                                  "Hùng", "Lan",  "Linh", "Long", "Mai",   "Nam",  "Phúc",
                                  "Quân", "Sơn",  "Tâm",  "Thảo", "Trang", "Tuấn", "Yến"};

constexpr int kFirstYear = 2023;
constexpr int kFirstMonth = 11;
constexpr int kMonths = 24;

struct Month {
  int year;
  int month;
};

Month MonthAt(int i) {
  const int m = kFirstMonth - 1 + i;
  return {kFirstYear + m / 12, m % 12 + 1};
}

std::string Stamp(Month m, int day, int hour, int minute) {
  // Days past the month's end roll into the next month(s).
  const Date d = AddDays({m.year, m.month, 1}, day - 1);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:00", d.year, d.month, d.day, hour,
                minute);
  return buf;
}

// A share reached exactly over many draws: true for all but one in `every`.
struct Quota {
  int64_t every;
  int64_t n = 0;
  bool Next() { return ++n % every != 0; }
};

// Where a unit's records come from in a month: before the 2025 reform, the old communes that
// merged whole into it (by their code), else the unit itself.
struct Source {
  const units::Unit* unit;
  std::vector<std::string> old_codes;
};

std::string CitizenId(Rng& rng, int64_t i) {
  char buf[16];
  const int province = rng.Chance(70) ? 72 : 80;
  const int century_sex = static_cast<int>(rng.Between(0, 3));
  const int yy =
      century_sex < 2 ? static_cast<int>(rng.Between(50, 99)) : static_cast<int>(rng.Between(0, 6));
  std::snprintf(buf, sizeof buf, "%03d%d%02d%06lld", province, century_sex, yy,
                static_cast<long long>(i % 1000000));
  return buf;
}

std::string Name(Rng& rng) {
  return std::string(kFamily[rng.Between(0, std::size(kFamily) - 1)]) + " " +
         kMiddle[rng.Between(0, std::size(kMiddle) - 1)] + " " +
         kGiven[rng.Between(0, std::size(kGiven) - 1)];
}

const char* kSatisfaction[] = {"Rất hài lòng", "Hài lòng", "Bình thường", "Không hài lòng"};

Result<int64_t> Ingest(store::DatasetStore& store, const units::Registry& registry,
                       const Dataset& d, const std::vector<std::vector<std::string>>& rows, Month m,
                       const std::string& at) {
  std::ostringstream csv;
  WriteCsvSheet(csv, rows);
  Options o;
  o.format = Format::kCsv;
  char name[64];
  std::snprintf(name, sizeof name, "%s-%04d-%02d.csv", d.row.code.c_str(), m.year, m.month);
  o.file_name = name;
  o.by = "demo";
  o.at = at;
  auto report = IngestBytes(store, registry, d, csv.str(), o);
  if (!report) return Fail(report.error());
  if (report->status != "committed" || report->rejected > 0) {
    return Fail(Error::Internal(
        "demo.ingest_failed",
        std::string(name) + ": " + std::to_string(report->rejected) + " rows rejected" +
            (report->errors.empty() ? std::string() : ": " + report->errors.front().message)));
  }
  return report->imported + report->updated;
}

}  // namespace

Result<DemoSummary> GenerateDemo(store::DatasetStore& store, const units::Registry& registry,
                                 const std::string& province_code, const std::string& at) {
  const Date today{2025, 10, 31};
  const units::Unit* province = registry.Find(province_code, today);
  if (province == nullptr) {
    return Fail(Error::NotFound("unit.not_found", "no province has code " + province_code));
  }
  std::vector<Source> communes;
  std::vector<const units::Unit*> agencies;
  for (const units::Unit* u : registry.Descendants(*province, today)) {
    if (u->level == units::Level::kCommune) {
      Source s{u, {}};
      for (const auto& p : registry.Predecessors(*u)) {
        // Only old communes that went whole to this unit: their code names it alone.
        if (registry.Resolve(p.old_unit->code).size() == 1) s.old_codes.push_back(p.old_unit->code);
      }
      communes.push_back(std::move(s));
    } else if (u->level == units::Level::kAgency) {
      agencies.push_back(u);
    }
  }
  std::vector<Dataset> sets;
  for (const char* code : {"dossiers", "feedback_1022"}) {
    NewDataset nd;
    nd.code = code;
    nd.template_name = code;
    nd.owner_unit = province_code + ".SKHCN";
    if (registry.Find(nd.owner_unit, today) == nullptr) nd.owner_unit.clear();
    auto d = CreateDataset(store, registry, nd, "demo", at);
    if (!d) return Fail(d.error());
    sets.push_back(std::move(*d));
  }
  const Dataset& dossiers = sets[0];
  const Dataset& feedback = sets[1];

  Rng rng(20251031);
  DemoSummary summary;
  Quota online{250};     // 99.6%
  Quota paid{370};       // 99.73% (of dossiers with a fee)
  Quota digitized{286};  // 99.65%
  Quota satisfied{100};  // 99%
  int64_t seq = 0;
  std::vector<std::string> header;
  for (const auto& f : dossiers.schema.fields) header.push_back(f.title);
  std::vector<std::string> fb_header;
  for (const auto& f : feedback.schema.fields) fb_header.push_back(f.name);

  for (int mi = 0; mi < kMonths; ++mi) {
    const Month m = MonthAt(mi);
    const bool reformed = m.year > 2025 || (m.year == 2025 && m.month >= 7);
    const bool target_year = m.year >= 2025;
    // Before 2025 the shares climb towards the 2025 ones.
    const int early_online = 80 + mi;  // percent
    const bool last_month = mi == kMonths - 1;
    std::vector<std::vector<std::string>> rows = {header};
    auto add_dossier = [&](const std::string& unit_code, const Procedure& p) {
      ++seq;
      const int day = static_cast<int>(rng.Between(1, DaysInMonth(m.year, m.month)));
      const int hour = static_cast<int>(rng.Between(7, 16));
      const int minute = static_cast<int>(rng.Between(0, 59));
      const bool is_online = target_year ? online.Next() : rng.Chance(early_online);
      const bool eligible = p.full_online;
      const bool full = eligible && is_online && rng.Chance(target_year ? 92 : 70);
      const bool has_fee = p.fee > 0;
      const bool pays_online =
          has_fee && is_online && (target_year ? paid.Next() : rng.Chance(early_online - 10));
      const bool is_digitized = target_year ? digitized.Next() : rng.Chance(early_online + 5);
      // Completed unless received in the last days of the last month.
      const bool open = last_month && day > 24;
      const bool late = rng.Chance(target_year ? 1 : 4);
      const int took = late ? p.days + static_cast<int>(rng.Between(1, 5))
                            : static_cast<int>(rng.Between(0, p.days));
      std::string satisfaction;
      if (!open && rng.Chance(70)) {
        const bool good = target_year ? satisfied.Next() : rng.Chance(96);
        satisfaction =
            good ? kSatisfaction[rng.Chance(40) ? 0 : 1] : kSatisfaction[rng.Chance(50) ? 2 : 3];
      }
      char id[48];
      std::snprintf(id, sizeof id, "H72.%s-%02d%02d-%06lld", unit_code.c_str(), m.year % 100,
                    m.month, static_cast<long long>(seq));
      rows.push_back(
          {id, unit_code, p.code, p.name, p.locality_free ? "Có" : "Không",
           Stamp(m, day, hour, minute),
           is_online ? "Trực tuyến" : (rng.Chance(90) ? "Trực tiếp" : "Bưu chính công ích"),
           eligible ? "Có" : "Không", full ? "Có" : "Không", std::to_string(p.fee),
           pays_online ? "Có" : "Không", is_digitized ? "Có" : "Không",
           Stamp(m, day + p.days, hour, minute),
           open ? "" : Stamp(m, day + took, std::min(hour + 2, 17), minute),
           open ? "Đang xử lý" : "Đã hoàn thành", satisfaction, CitizenId(rng, seq), Name(rng)});
    };
    for (const Source& s : communes) {
      const int64_t population = s.unit->population.value_or(30000);
      // About 1.5 dossiers a month per 1,000 people.
      const int64_t n = std::max<int64_t>(5, population * 3 / 2000);
      for (int64_t i = 0; i < n; ++i) {
        const std::string code =
            !reformed && !s.old_codes.empty() ? rng.Pick(s.old_codes) : s.unit->code;
        const Procedure* p = nullptr;
        do {
          p = &kProcedures[rng.Between(0, std::size(kProcedures) - 1)];
        } while (!p->commune);
        add_dossier(code, *p);
      }
    }
    for (const units::Unit* a : agencies) {
      const int64_t n = rng.Between(40, 120);
      for (int64_t i = 0; i < n; ++i) {
        add_dossier(a->code, kProcedures[rng.Between(0, std::size(kProcedures) - 1)]);
      }
    }
    // One department enters some of its 2025 dossiers twice: the same applicant, procedure and
    // day under a new number, the middle name left out. The quality scoreboard's "clean" finds
    // them. Drawn from a generator of their own, so that the other records stay as they were.
    if (target_year) {
      const std::string twice_unit = province_code + ".STP";
      Rng twice(static_cast<uint64_t>(90000 + mi));
      const size_t generated = rows.size();
      for (size_t r = 1; r < generated; ++r) {
        if (rows[r][1] != twice_unit || !twice.Chance(12)) continue;
        std::vector<std::string> again = rows[r];
        again[0] += "-2";
        std::string& name = again.back();
        const size_t first = name.find(' ');
        const size_t last = name.rfind(' ');
        if (first != std::string::npos && last != first) name.erase(first, last - first);
        rows.push_back(std::move(again));
      }
    }
    auto written = Ingest(store, registry, dossiers, rows, m, at);
    if (!written) return Fail(written.error());
    summary.dossiers += *written;

    // 1022 feedback: about 0.15 a month per 1,000 people.
    static constexpr const char* kChannels[] = {"Ứng dụng", "Tổng đài 1022", "Cổng thông tin",
                                                "Zalo",     "Thư điện tử",   "Trực tiếp"};
    static constexpr const char* kCategories[] = {"Giao thông",      "Môi trường", "Trật tự đô thị",
                                                  "Đất đai",         "Xây dựng",   "Dịch vụ công",
                                                  "An ninh trật tự", "Y tế",       "Khác"};
    static constexpr const char* kContent[] = {"Đèn chiếu sáng hỏng trên tuyến đường",
                                               "Rác thải tồn đọng tại khu dân cư",
                                               "Lấn chiếm vỉa hè kinh doanh",
                                               "Tiếng ồn kéo dài vào ban đêm",
                                               "Ổ gà trên đường gây nguy hiểm",
                                               "Ngập nước sau mưa",
                                               "Hồ sơ giải quyết chậm"};
    std::vector<std::vector<std::string>> fb = {fb_header};
    for (const Source& s : communes) {
      const int64_t population = s.unit->population.value_or(30000);
      const int64_t n = std::max<int64_t>(1, population * 15 / 100000);
      for (int64_t i = 0; i < n; ++i) {
        ++seq;
        const int day = static_cast<int>(rng.Between(1, DaysInMonth(m.year, m.month)));
        const int hour = static_cast<int>(rng.Between(6, 21));
        const bool open = last_month && day > 20;
        const bool on_time = rng.Chance(target_year ? 97 : 90);
        const int allowed = 10;
        const int took = on_time ? static_cast<int>(rng.Between(1, allowed))
                                 : allowed + static_cast<int>(rng.Between(1, 10));
        const std::string code =
            !reformed && !s.old_codes.empty() ? rng.Pick(s.old_codes) : s.unit->code;
        char id[40];
        std::snprintf(id, sizeof id, "PA-%02d%02d-%06lld", m.year % 100, m.month,
                      static_cast<long long>(seq));
        std::string satisfaction;
        if (!open && rng.Chance(60)) {
          satisfaction = kSatisfaction[rng.Chance(target_year ? 95 : 88) ? 1 : 3];
        }
        fb.push_back({id, kChannels[rng.Between(0, std::size(kChannels) - 1)],
                      kCategories[rng.Between(0, std::size(kCategories) - 1)], code, code,
                      Stamp(m, day, hour, 0), Stamp(m, day + allowed, hour, 0),
                      open ? "" : Stamp(m, day + took, hour, 30), open ? "Đang xử lý" : "Đã xử lý",
                      satisfaction, kContent[rng.Between(0, std::size(kContent) - 1)]});
      }
    }
    auto fb_written = Ingest(store, registry, feedback, fb, m, at);
    if (!fb_written) return Fail(fb_written.error());
    summary.feedback += *fb_written;
  }
  return summary;
}

}  // namespace pdh::ingest
