// The demo province's two pre-merger registers of persons with meritorious service (catalog
// database CSDL-SNV-04, not merged): old Long An's and old Tây Ninh's, each with its own columns,
// code list and habits, about a third of Tây Ninh's people also in Long An's, written
// differently. Generated deterministically for a seed and ingested as one batch each, like any
// upload.
//
// Which B row is which A person (the truth) comes from its own stream of the seed, so that
// DemoTruth gives it without a registry; names, dates, numbers and communes from another.
#include <algorithm>
#include <boost/json.hpp>
#include <cstdio>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "core/date.h"
#include "core/random.h"
#include "core/sheet.h"
#include "core/text.h"
#include "ingest/ingest.h"
#include "link/link.h"
#include "units/units.h"

namespace pdh::link {
namespace {

// Family names with their frequencies in Vietnam (per thousand): Nguyễn about 38 %.
struct DemoFamilyName {
  const char* name;
  int weight;
};
constexpr DemoFamilyName kDemoFamily[] = {
    {"Nguyễn", 380}, {"Trần", 110}, {"Lê", 95},    {"Phạm", 71}, {"Huỳnh", 51}, {"Hoàng", 30},
    {"Phan", 45},    {"Võ", 39},    {"Vũ", 20},    {"Đặng", 21}, {"Bùi", 20},   {"Đỗ", 14},
    {"Hồ", 13},      {"Ngô", 13},   {"Dương", 10}, {"Lý", 5},    {"Đinh", 6},   {"Trương", 6},
    {"Lâm", 5},      {"Mai", 4},    {"Tạ", 2},     {"Châu", 3},  {"Thái", 2},   {"Lương", 3},
    {"Quách", 1},    {"Kiều", 1},   {"Từ", 1}};
constexpr const char* kDemoMiddleMale[] = {"Văn",   "Hữu",  "Đức",   "Minh", "Quốc",
                                           "Thanh", "Công", "Hoàng", "Ngọc", "Xuân"};
constexpr const char* kDemoMiddleFemale[] = {"Thị",  "Ngọc", "Thanh", "Kim",  "Thu",
                                             "Hồng", "Mỹ",   "Bích",  "Thúy", "Phương"};
constexpr const char* kDemoGivenMale[] = {
    "An",    "Bình",  "Cường", "Dũng",  "Hòa",  "Hùng",  "Huy",  "Khoa",  "Khánh", "Long", "Nam",
    "Phúc",  "Quang", "Sơn",   "Tài",   "Tâm",  "Thắng", "Toàn", "Trung", "Tuấn",  "Vinh", "Hiếu",
    "Hoàng", "Đạt",   "Lộc",   "Thuận", "Thủy", "Quý",   "Tùng", "Nghĩa", "Phát",  "Tú"};
constexpr const char* kDemoGivenFemale[] = {
    "Anh",   "Châu", "Dung", "Giang", "Hà",    "Hạnh", "Hoa",    "Hòa",   "Hương", "Lan",  "Linh",
    "Loan",  "Mai",  "Nga",  "Ngân",  "Nhung", "Oanh", "Phương", "Quyên", "Thảo",  "Thủy", "Thúy",
    "Trang", "Uyên", "Vân",  "Vy",    "Xuân",  "Yến",  "Huệ",    "Liên",  "Ngọc",  "Tuyết"};
constexpr const char* kDemoHamlets[] = {
    "Ấp 1",      "Ấp 2",      "Ấp 3",       "Ấp Bình Hòa",   "Ấp Long Thủy", "Khu phố 1",
    "Khu phố 2", "Khu phố 3", "Ấp Tân Hòa", "Ấp Phước Thuỷ", "Ấp Chánh",     "Ấp Thạnh Hòa"};
constexpr const char* kDemoMobilePrefixes[] = {"90", "91", "93", "94", "96",
                                               "97", "98", "33", "38", "70"};

// Old-style tone placement (the mark on the first vowel of oa, oe, uy) and the new style.
constexpr std::pair<const char*, const char*> kDemoTonePairs[] = {
    {"òa", "oà"}, {"óa", "oá"}, {"ỏa", "oả"}, {"õa", "oã"}, {"ọa", "oạ"}, {"òe", "oè"},
    {"óe", "oé"}, {"ủy", "uỷ"}, {"ùy", "uỳ"}, {"úy", "uý"}, {"ũy", "uỹ"}, {"ụy", "uỵ"}};

// The categories: old Long An's codes and old Tây Ninh's, in the same order.
constexpr const char* kDemoKindA[] = {"TB", "BB", "LS", "NCC"};
constexpr const char* kDemoKindB[] = {"thuong_binh", "benh_binh", "liet_si", "nguoi_co_cong_khac"};
constexpr int kDemoKindWeights[] = {35, 15, 20, 30};

constexpr const char* kDemoCodeA = "ncc_long_an_cu";
constexpr const char* kDemoCodeB = "ncc_tay_ninh_cu";

constexpr const char* kDemoSchemaA = R"json({
  "fields": [
    {"name": "ma_ho_so", "type": "string", "title": "Mã hồ sơ", "title_en": "File number",
     "constraints": {"required": true}},
    {"name": "ho_ten", "type": "string", "title": "Họ và tên", "title_en": "Full name",
     "pdh:personal": true},
    {"name": "ngay_sinh", "type": "string", "title": "Ngày sinh", "title_en": "Date of birth",
     "description": "Như cán bộ nhập (dd/mm/yyyy, có khi chỉ có năm)",
                     "pdh:personal" : true
},
    {"name": "so_cccd", "type": "string", "title": "Số CCCD/CMND",
     "title_en": "Citizen ID or old ID card number", "pdh:personal": true},
    {"name": "dien_thoai", "type": "string", "title": "Điện thoại", "title_en": "Phone",
     "pdh:personal": true},
    {"name": "ma_xa_cu", "type": "string", "title": "Mã xã", "title_en": "Commune code",
     "description": "Mã xã như tỉnh cũ ghi (phần lớn là mã trước 01/7/2025)"},
    {"name": "dia_chi", "type": "string", "title": "Địa chỉ (ấp, khu phố)",
     "title_en": "Address (hamlet)"},
    {"name": "loai_doi_tuong", "type": "string", "title": "Loại đối tượng",
     "title_en": "Category",
     "pdh:codes": [
       {"code": "TB", "label": "Thương binh", "label_en": "War invalid"},
       {"code": "BB", "label": "Bệnh binh", "label_en": "Sick soldier"},
       {"code": "LS", "label": "Liệt sĩ", "label_en": "Martyr"},
       {"code": "NCC", "label": "Người có công khác",
        "label_en": "Other person with meritorious service"}]},
    {"name": "ngay_cap_nhat", "type": "date", "title": "Ngày cập nhật", "title_en": "Updated on"}
  ],
  "primaryKey": ["ma_ho_so"]
})json";

constexpr const char* kDemoSchemaB = R"json({
  "fields": [
    {"name": "so_ho_so", "type": "string", "title": "Số hồ sơ", "title_en": "File number",
     "constraints": {"required": true}},
    {"name": "ho", "type": "string", "title": "Họ", "title_en": "Family name",
     "pdh:personal": true},
    {"name": "ten_dem", "type": "string", "title": "Tên đệm", "title_en": "Middle name",
     "pdh:personal": true},
    {"name": "ten", "type": "string", "title": "Tên", "title_en": "Given name",
     "pdh:personal": true},
    {"name": "ngay_sinh", "type": "date", "title": "Ngày sinh", "title_en": "Date of birth",
     "pdh:personal": true},
    {"name": "so_dinh_danh", "type": "string", "title": "Số định danh",
     "title_en": "Identity number", "pdh:personal": true},
    {"name": "sdt", "type": "string", "title": "Số điện thoại", "title_en": "Phone",
     "pdh:personal": true},
    {"name": "ma_xa", "type": "string", "title": "Mã xã, phường", "title_en": "Commune code",
     "description": "Mã mới hoặc mã cũ"},
    {"name": "dia_chi", "type": "string", "title": "Địa chỉ", "title_en": "Address"},
    {"name": "doi_tuong", "type": "string", "title": "Đối tượng", "title_en": "Category",
     "pdh:codes": [
       {"code": "thuong_binh", "label": "Thương binh", "label_en": "War invalid"},
       {"code": "benh_binh", "label": "Bệnh binh", "label_en": "Sick soldier"},
       {"code": "liet_si", "label": "Liệt sĩ", "label_en": "Martyr"},
       {"code": "nguoi_co_cong_khac", "label": "Người có công khác",
        "label_en": "Other person with meritorious service"}]},
    {"name": "ngay_cap_nhat", "type": "date", "title": "Ngày cập nhật", "title_en": "Updated on"}
  ],
  "primaryKey": ["so_ho_so"]
})json";

// A commune as a register may name it: the new commune's code and the old commune's.
struct DemoCommune {
  std::string now;
  std::string old;
};

struct DemoPerson {
  bool female = false;
  std::string family;
  std::string middle;
  std::string given;
  Date dob;
  std::string cccd;  // 12-digit citizen ID
  std::string cmnd;  // 9-digit old ID card number
  std::string phone;
  size_t commune = 0;  // in its register's pool
  std::string hamlet;
  int kind = 0;          // index into kDemoKindA / kDemoKindB
  bool long_an = false;  // in B, living in old Long An: a relative of one of A's people
};

// Who is in which register: A's ids, B's ids and for each B row the A person it is (-1: none).
struct DemoPlan {
  std::vector<std::string> ids_a;
  std::vector<std::string> ids_b;
  std::vector<int64_t> b_person;
  int64_t shared = 0;
};

DemoPlan DemoMakePlan(int64_t people, uint64_t seed) {
  DemoPlan plan;
  Rng rng(seed);
  const int64_t n_b = people * 4 / 5;
  plan.shared = n_b / 3;
  char buf[32];
  for (int64_t i = 0; i < people; ++i) {
    std::snprintf(buf, sizeof buf, "LA-%06lld", static_cast<long long>(i) + 1);
    plan.ids_a.push_back(buf);
  }
  std::vector<int64_t> order(static_cast<size_t>(people));
  for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int64_t>(i);
  rng.Shuffle(order);
  plan.b_person.assign(static_cast<size_t>(n_b), -1);
  for (int64_t j = 0; j < plan.shared; ++j) {
    plan.b_person[static_cast<size_t>(j)] = order[static_cast<size_t>(j)];
  }
  rng.Shuffle(plan.b_person);
  for (int64_t j = 0; j < n_b; ++j) {
    std::snprintf(buf, sizeof buf, "TN-%04d-%05lld", static_cast<int>(rng.Between(2005, 2024)),
                  static_cast<long long>(j) + 1);
    plan.ids_b.push_back(buf);
  }
  return plan;
}

// The UTF-8 sequences of `s`, one a character.
std::vector<std::string> DemoChars(const std::string& s) {
  std::vector<std::string> out;
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    out.push_back(s.substr(i, len));
    i += len;
  }
  return out;
}

// "Hòa" <-> "Hoà", "Thủy" <-> "Thuỷ": the other placement in each syllable that ends in oa, oe
// or uy ("Hoàng" and "Quý" have one placement only).
std::string DemoOtherTone(const std::string& s) {
  std::string out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t end = s.find(' ', start);
    if (end == std::string::npos) end = s.size();
    std::string word = s.substr(start, end - start);
    const bool qu = !word.empty() && (word[0] == 'q' || word[0] == 'Q');
    for (const auto& [now, old] : kDemoTonePairs) {
      const std::string a(now);
      const std::string b(old);
      auto ends = [&](const std::string& x) {
        return word.size() >= x.size() && word.compare(word.size() - x.size(), x.size(), x) == 0;
      };
      if (!qu && ends(a)) {
        word.replace(word.size() - a.size(), a.size(), b);
        break;
      }
      if (!qu && ends(b)) {
        word.replace(word.size() - b.size(), b.size(), a);
        break;
      }
    }
    out += word;
    if (end < s.size()) out += ' ';
    start = end + 1;
  }
  return out;
}

// Without diacritics, each word capitalized: "Nguyễn Thị Thủy" -> "Nguyen Thi Thuy".
std::string DemoPlain(const std::string& s) {
  std::string out = text::Fold(s);
  bool start = true;
  for (char& c : out) {
    if (start && c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    start = c == ' ';
  }
  return out;
}

// A clerk's slip: a character left out, two exchanged, or one replaced.
std::string DemoTypo(Rng& rng, const std::string& s) {
  std::vector<std::string> c = DemoChars(s);
  if (c.size() < 3) return s;
  const auto i = static_cast<size_t>(rng.Between(1, static_cast<int64_t>(c.size()) - 2));
  switch (rng.Between(0, 2)) {
    case 0:
      c.erase(c.begin() + static_cast<std::ptrdiff_t>(i));
      break;
    case 1:
      std::swap(c[i], c[i + 1]);
      break;
    default:
      c[i] = std::string(1, "aeioun"[rng.Between(0, 5)]);
  }
  std::string out;
  for (const auto& x : c) out += x;
  return text::Nfc(out);
}

template <class T, size_t N>
const T& DemoPick(Rng& rng, const T (&items)[N]) {
  return items[rng.Between(0, static_cast<int64_t>(N) - 1)];
}

const char* DemoFamilyPick(Rng& rng) {
  int total = 0;
  for (const auto& f : kDemoFamily) total += f.weight;
  int64_t x = rng.Between(1, total);
  for (const auto& f : kDemoFamily) {
    if ((x -= f.weight) <= 0) return f.name;
  }
  return kDemoFamily[0].name;
}

int DemoKindPick(Rng& rng) {
  int64_t x = rng.Between(1, 100);
  for (int k = 0; k < 4; ++k) {
    if ((x -= kDemoKindWeights[k]) <= 0) return k;
  }
  return 3;
}

std::string DemoDigits(int64_t value, int width) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%0*lld", width, static_cast<long long>(value));
  return buf;
}

std::string DemoIso(Date d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
  return buf;
}

Date DemoDay(Rng& rng, Date from, Date to) {
  return FromDayNumber(rng.Between(DayNumber(from), DayNumber(to)));
}

// Makes people in households: a family name, commune and hamlet shared, often a phone and a
// middle name too. No two people share an ID number.
class DemoPeople {
 public:
  explicit DemoPeople(Rng& rng) : rng_(rng), spread_(rng.Between(0, 999999)) {}

  // One person of a household whose first member is `head` (nullptr: a new household).
  DemoPerson Make(const DemoPerson* head, size_t pool_size, const char* birth_province) {
    DemoPerson p;
    p.female = rng_.Chance(45);
    if (head != nullptr) {
      p.family = head->family;
      p.commune = head->commune;
      p.hamlet = head->hamlet;
      if (rng_.Chance(50)) p.phone = head->phone;
    } else {
      p.family = DemoFamilyPick(rng_);
      p.commune = static_cast<size_t>(rng_.Between(0, static_cast<int64_t>(pool_size) - 1));
      p.hamlet = DemoPick(rng_, kDemoHamlets);
    }
    p.middle = p.female ? DemoPick(rng_, kDemoMiddleFemale) : DemoPick(rng_, kDemoMiddleMale);
    if (head != nullptr && head->female == p.female && rng_.Chance(40)) p.middle = head->middle;
    p.given = p.female ? DemoPick(rng_, kDemoGivenFemale) : DemoPick(rng_, kDemoGivenMale);
    const int year =
        head != nullptr
            ? std::clamp(head->dob.year + static_cast<int>(rng_.Between(-15, 15)), 1920, 1990)
            : static_cast<int>(rng_.Between(1925, 1975));
    p.dob = {year, static_cast<int>(rng_.Between(1, 12)), static_cast<int>(rng_.Between(1, 28))};
    const int64_t n = serial_++;
    const char* province = rng_.Chance(85) ? birth_province : "079";
    p.cccd = std::string(province) + std::to_string((year >= 2000 ? 2 : 0) + (p.female ? 1 : 0)) +
             DemoDigits(year % 100, 2) + DemoDigits((n * 7919 + spread_) % 1000000, 6);
    p.cmnd = (std::string(birth_province) == "080" ? "30" : "29") +
             DemoDigits((n * 7919 + spread_) % 10000000, 7);
    if (p.phone.empty()) {
      p.phone = std::string("0") + DemoPick(rng_, kDemoMobilePrefixes) +
                DemoDigits(rng_.Between(0, 9999999), 7);
    }
    p.kind = DemoKindPick(rng_);
    return p;
  }

  // `count` people in households of one to four.
  std::vector<DemoPerson> Households(int64_t count, size_t pool_size, const char* birth_province) {
    std::vector<DemoPerson> out;
    while (static_cast<int64_t>(out.size()) < count) {
      const int64_t roll = rng_.Between(1, 100);
      const int size = roll <= 40 ? 1 : roll <= 70 ? 2 : roll <= 90 ? 3 : 4;
      const DemoPerson head = Make(nullptr, pool_size, birth_province);
      const size_t first = out.size();
      out.push_back(head);
      for (int i = 1; i < size && static_cast<int64_t>(out.size()) < count; ++i) {
        DemoPerson p = Make(&head, pool_size, birth_province);
        // Brothers and sisters do not share a given name.
        for (int tries = 0; tries < 8; ++tries) {
          if (std::none_of(out.begin() + static_cast<std::ptrdiff_t>(first), out.end(),
                           [&](const DemoPerson& q) { return q.given == p.given; })) {
            break;
          }
          p.given = p.female ? DemoPick(rng_, kDemoGivenFemale) : DemoPick(rng_, kDemoGivenMale);
        }
        out.push_back(std::move(p));
      }
    }
    return out;
  }

 private:
  Rng& rng_;
  int64_t spread_;      // ID serial numbers are serial_ * 7919 + spread_: distinct for each
  int64_t serial_ = 0;  // the people made so far
};

// "0912345678" as typed in old Long An: "0912 345 678", "0912.345.678" or as is.
std::string DemoPhoneA(Rng& rng, const std::string& p) {
  const int64_t roll = rng.Between(1, 100);
  if (roll <= 60) return p.substr(0, 4) + " " + p.substr(4, 3) + " " + p.substr(7);
  if (roll <= 85) return p;
  return p.substr(0, 4) + "." + p.substr(4, 3) + "." + p.substr(7);
}

// And in old Tây Ninh: "+84 912345678" mostly.
std::string DemoPhoneB(Rng& rng, const std::string& p) {
  if (p.empty()) return p;
  return rng.Chance(80) ? "+84 " + p.substr(1) : p;
}

// A's row: the person as old Long An's clerks typed them.
std::vector<std::string> DemoRowA(Rng& rng, const std::string& id, const DemoPerson& p,
                                  const std::vector<DemoCommune>& pool) {
  std::string name = p.family + " " + p.middle + " " + p.given;
  if (rng.Chance(25)) name = DemoOtherTone(name);
  if (rng.Chance(3)) name = DemoPlain(name);
  char dob[16];
  const int64_t form = rng.Between(1, 100);
  if (form <= 80) {
    std::snprintf(dob, sizeof dob, "%02d/%02d/%04d", p.dob.day, p.dob.month, p.dob.year);
  } else if (form <= 95) {
    std::snprintf(dob, sizeof dob, "%d/%d/%04d", p.dob.day, p.dob.month, p.dob.year);
  } else {
    std::snprintf(dob, sizeof dob, "%04d", p.dob.year);  // the year only
  }
  const int64_t id_roll = rng.Between(1, 100);
  const std::string ident = id_roll <= 65 ? p.cccd : id_roll <= 90 ? p.cmnd : "";
  const std::string phone = rng.Chance(85) ? DemoPhoneA(rng, p.phone) : "";
  const DemoCommune& c = pool[p.commune];
  // Old Long An's register still holds most communes under their old codes.
  const std::string commune = rng.Chance(75) ? c.old : c.now;
  return {id,
          name,
          dob,
          ident,
          phone,
          commune,
          p.hamlet,
          kDemoKindA[p.kind],
          DemoIso(DemoDay(rng, {2015, 1, 1}, {2025, 6, 30}))};
}

// The errors a record may carry. DemoDrawErrors draws those of a person's second record, with
// bench/link_gen_vi.py's odds and a few more (moved, another category).
struct DemoErrors {
  bool plain = false, tone = false, typo = false, daymonth = false, oldid = false, noid = false,
       newphone = false, nophone = false, middle = false, swap = false, moved = false, kind = false;
};

DemoErrors DemoDrawErrors(Rng& rng) {
  DemoErrors e;
  e.plain = rng.Chance(20);
  e.tone = rng.Chance(20);
  e.typo = rng.Chance(10);
  e.daymonth = rng.Chance(8);
  e.oldid = rng.Chance(15);
  e.noid = rng.Chance(15);
  e.newphone = rng.Chance(30);
  e.nophone = rng.Chance(15);
  e.middle = rng.Chance(8);
  e.swap = rng.Chance(3);
  e.moved = rng.Chance(8);
  e.kind = rng.Chance(5);
  return e;
}

// B's row: the person as old Tây Ninh's clerks typed them, with `e`'s errors. A person moved
// lives in another commune of `moved_to`.
std::vector<std::string> DemoRowB(Rng& rng, const std::string& id, const DemoPerson& p,
                                  const DemoErrors& e, const std::vector<DemoCommune>& pool,
                                  const std::vector<DemoCommune>& moved_to, int old_code_percent) {
  std::string family = p.family;
  std::string middle = e.middle ? "" : p.middle;
  std::string given = p.given;
  if (e.swap) std::swap(family, given);
  for (std::string* part : {&family, &middle, &given}) {
    if (e.tone) *part = DemoOtherTone(*part);
    if (e.plain) *part = DemoPlain(*part);
  }
  if (e.typo) {
    std::string& part = rng.Chance(50) ? given : family;
    part = DemoTypo(rng, part);
  }
  Date dob = p.dob;
  if (e.daymonth && dob.day <= 12 && dob.day != dob.month) std::swap(dob.day, dob.month);
  const std::string ident = e.noid ? "" : e.oldid ? p.cmnd : p.cccd;
  std::string phone = p.phone;
  if (e.newphone) phone = phone.substr(0, 3) + DemoDigits(rng.Between(0, 9999999), 7);
  if (e.nophone) phone.clear();
  const DemoCommune& c =
      e.moved
          ? moved_to[static_cast<size_t>(rng.Between(0, static_cast<int64_t>(moved_to.size()) - 1))]
          : pool[p.commune];
  const std::string commune = rng.Chance(old_code_percent) ? c.old : c.now;
  std::string hamlet = e.moved ? DemoPick(rng, kDemoHamlets) : p.hamlet;
  if (e.plain) hamlet = DemoPlain(hamlet);
  const int kind = e.kind ? static_cast<int>((p.kind + rng.Between(1, 3)) % 4) : p.kind;
  return {id,
          family,
          middle,
          given,
          DemoIso(dob),
          ident,
          DemoPhoneB(rng, phone),
          commune,
          hamlet,
          kDemoKindB[kind],
          DemoIso(DemoDay(rng, {2016, 1, 1}, {2025, 6, 30}))};
}

// The new communes of the province and, for each, the old communes merged whole into it, by the
// old province they were in ("80" Long An, "72" Tây Ninh).
Status DemoPools(const units::Registry& registry, std::vector<DemoCommune>& long_an,
                 std::vector<DemoCommune>& tay_ninh) {
  const Date after{2025, 8, 1};
  const units::Unit* province = registry.Find("80", after);
  if (province == nullptr) {
    return Fail(Error::NotFound("unit.not_found", "no province has code 80"));
  }
  for (const units::Unit* u : registry.Descendants(*province, after)) {
    if (u->level != units::Level::kCommune) continue;
    for (const auto& p : registry.Predecessors(*u)) {
      // Only old communes that went to this commune alone: their code names it.
      const auto targets = registry.Resolve(p.old_unit->code);
      if (std::any_of(targets.begin(), targets.end(),
                      [&](const units::Succession& s) { return s.new_unit != u; })) {
        continue;
      }
      const auto chain = registry.Ancestors(*p.old_unit);
      if (chain.empty()) continue;
      const std::string& old_province = chain.back()->code;
      DemoCommune c{u->code, p.old_unit->code};
      if (old_province == "80") {
        long_an.push_back(std::move(c));
      } else if (old_province == "72") {
        tay_ninh.push_back(std::move(c));
      }
    }
  }
  if (long_an.empty() || tay_ninh.empty()) {
    return Fail(Error::NotFound("unit.not_found",
                                "the crosswalk names no old commune of Long An or of Tây Ninh"));
  }
  return Ok();
}

Result<ingest::Dataset> DemoCreate(store::DatasetStore& store, const units::Registry& registry,
                                   const char* code, const char* schema, const char* title,
                                   const char* title_en, const std::string& at) {
  auto parsed = ingest::ParseSchema(boost::json::parse(schema));
  if (!parsed) return Fail(parsed.error());
  ingest::NewDataset nd;
  nd.code = code;
  nd.title = title;
  nd.title_en = title_en;
  nd.description =
      "Cơ sở dữ liệu người có công (CSDL-SNV-04) của tỉnh cũ, trước khi hợp nhất / The former "
      "province's register of persons with meritorious service, before consolidation";
  nd.owner_unit = "80.SNV";
  if (registry.Find(nd.owner_unit, Date{2025, 8, 1}) == nullptr) nd.owner_unit.clear();
  nd.schema = std::move(*parsed);
  return ingest::CreateDataset(store, registry, nd, "demo", at);
}

Result<int64_t> DemoIngest(store::DatasetStore& store, const units::Registry& registry,
                           const ingest::Dataset& d,
                           const std::vector<std::vector<std::string>>& rows,
                           const std::string& at) {
  std::ostringstream csv;
  WriteCsvSheet(csv, rows);
  ingest::Options o;
  o.format = ingest::Format::kCsv;
  o.file_name = d.row.code + ".csv";
  o.by = "demo";
  o.at = at;
  auto report = ingest::IngestBytes(store, registry, d, csv.str(), o);
  if (!report) return Fail(report.error());
  if (report->status != "committed" || report->rejected > 0) {
    return Fail(Error::Internal(
        "demo.ingest_failed",
        o.file_name + ": " + std::to_string(report->rejected) + " rows rejected" +
            (report->errors.empty() ? std::string() : ": " + report->errors.front().message)));
  }
  return report->imported + report->updated;
}

std::vector<std::string> DemoHeader(const ingest::Dataset& d) {
  std::vector<std::string> header;
  for (const auto& f : d.schema.fields) header.push_back(f.name);
  return header;
}

}  // namespace

Result<DemoSources> GenerateDemoSources(store::DatasetStore& store, const units::Registry& registry,
                                        const std::string& at, int64_t people, uint64_t seed) {
  if (people < 1) {
    return Fail(Error::Invalid("demo.invalid", "people must be at least 1"));
  }
  std::vector<DemoCommune> long_an;
  std::vector<DemoCommune> tay_ninh;
  if (auto s = DemoPools(registry, long_an, tay_ninh); !s) return Fail(s.error());
  const DemoPlan plan = DemoMakePlan(people, seed);

  Rng rng(seed ^ 0xA5A5A5A5A5A5A5A5ULL);
  DemoPeople maker(rng);
  const std::vector<DemoPerson> a_people = maker.Households(people, long_an.size(), "080");

  auto a = DemoCreate(store, registry, kDemoCodeA, kDemoSchemaA, "Người có công — Long An (cũ)",
                      "Persons with meritorious service — former Long An", at);
  if (!a) return Fail(a.error());
  auto b = DemoCreate(store, registry, kDemoCodeB, kDemoSchemaB, "Người có công — Tây Ninh (cũ)",
                      "Persons with meritorious service — former Tây Ninh", at);
  if (!b) return Fail(b.error());

  std::vector<std::vector<std::string>> rows_a = {DemoHeader(*a)};
  for (size_t i = 0; i < a_people.size(); ++i) {
    rows_a.push_back(DemoRowA(rng, plan.ids_a[i], a_people[i], long_an));
  }

  // B's own people: households of old Tây Ninh, and some relatives of A's people (the same
  // family name, commune and hamlet), who are other people.
  const int64_t own = static_cast<int64_t>(plan.b_person.size()) - plan.shared;
  const int64_t relatives = own * 15 / 100;
  std::vector<DemoPerson> b_people = maker.Households(own - relatives, tay_ninh.size(), "072");
  for (int64_t i = 0; i < relatives; ++i) {
    const DemoPerson& kin =
        a_people[static_cast<size_t>(rng.Between(0, static_cast<int64_t>(a_people.size()) - 1))];
    b_people.push_back(maker.Make(&kin, long_an.size(), "080"));
    b_people.back().long_an = true;
  }
  rng.Shuffle(b_people);  // the relatives spread among the rows, not at the end

  std::vector<std::vector<std::string>> rows_b = {DemoHeader(*b)};
  size_t next_own = 0;
  for (size_t j = 0; j < plan.b_person.size(); ++j) {
    const int64_t i = plan.b_person[j];
    if (i >= 0) {
      rows_b.push_back(DemoRowB(rng, plan.ids_b[j], a_people[static_cast<size_t>(i)],
                                DemoDrawErrors(rng), long_an, tay_ninh, 40));
      continue;
    }
    const DemoPerson& p = b_people[next_own++];
    DemoErrors clean;
    clean.tone = rng.Chance(25);
    clean.plain = rng.Chance(3);
    rows_b.push_back(
        DemoRowB(rng, plan.ids_b[j], p, clean, p.long_an ? long_an : tay_ninh, tay_ninh, 30));
  }

  DemoSources out;
  out.dataset_a = kDemoCodeA;
  out.dataset_b = kDemoCodeB;
  out.shared = plan.shared;
  auto na = DemoIngest(store, registry, *a, rows_a, at);
  if (!na) return Fail(na.error());
  out.records_a = *na;
  auto nb = DemoIngest(store, registry, *b, rows_b, at);
  if (!nb) return Fail(nb.error());
  out.records_b = *nb;
  return out;
}

std::vector<std::pair<std::string, std::string>> DemoTruth(int64_t people, uint64_t seed) {
  std::vector<std::pair<std::string, std::string>> out;
  if (people < 1) return out;
  const DemoPlan plan = DemoMakePlan(people, seed);
  for (size_t j = 0; j < plan.b_person.size(); ++j) {
    if (plan.b_person[j] >= 0) {
      out.emplace_back(plan.ids_a[static_cast<size_t>(plan.b_person[j])], plan.ids_b[j]);
    }
  }
  return out;
}

}  // namespace pdh::link

namespace pdh::link {

boost::json::object DemoProject() {
  namespace json = boost::json;
  auto field = [](const char* name, const char* title, const char* kind, bool compare,
                  const char* survivorship) {
    return json::object{{"name", name},
                        {"title", title},
                        {"kind", kind},
                        {"compare", compare},
                        {"survivorship", survivorship}};
  };
  auto map = [](const char* to, const json::value& from, const char* op = "copy") {
    return json::object{{"field", to}, {"from", from}, {"op", op}};
  };
  json::object date_a = map("ngay_sinh", "ngay_sinh", "date");
  date_a["format"] = "dd/mm/yyyy";
  json::object kind_a = map("doi_tuong", "loai_doi_tuong", "map");
  kind_a["values"] = {
      {"TB", "thuong_binh"}, {"BB", "benh_binh"}, {"LS", "liet_si"}, {"NCC", "nguoi_co_cong_khac"}};
  return {{"code", "ncc"},
          {"title", "Người có công — hợp nhất Long An (cũ) và Tây Ninh (cũ)"},
          {"catalog_entry", "CSDL-SNV-04"},
          {"target", "ncc"},
          {"fields",
           {field("ho_ten", "Họ và tên", "full_name", true, "most_complete"),
            field("ngay_sinh", "Ngày sinh", "date", true, "most_complete"),
            field("so_dinh_danh", "Số định danh (CCCD/CMND)", "id", true, "longest"),
            field("dien_thoai", "Điện thoại", "phone", true, "most_recent"),
            field("ma_xa", "Mã xã (sau sắp xếp)", "commune", true, "most_recent"),
            field("dia_chi", "Địa chỉ", "text", false, "most_recent"),
            field("doi_tuong", "Đối tượng", "code", false, "priority"),
            field("ngay_cap_nhat", "Ngày cập nhật", "date", false, "most_recent")}},
          {"sources",
           {{{"dataset", "ncc_long_an_cu"},
             {"label", "Long An (cũ)"},
             {"id", "ma_ho_so"},
             {"mapping",
              {map("ho_ten", "ho_ten"), date_a, map("so_dinh_danh", "so_cccd"),
               map("dien_thoai", "dien_thoai"), map("ma_xa", "ma_xa_cu", "unit"),
               map("dia_chi", "dia_chi"), kind_a, map("ngay_cap_nhat", "ngay_cap_nhat")}}},
            {{"dataset", "ncc_tay_ninh_cu"},
             {"label", "Tây Ninh (cũ)"},
             {"id", "so_ho_so"},
             {"mapping",
              {map("ho_ten", json::array{"ho", "ten_dem", "ten"}, "concat"),
               map("ngay_sinh", "ngay_sinh"), map("so_dinh_danh", "so_dinh_danh"),
               map("dien_thoai", "sdt"), map("ma_xa", "ma_xa", "unit"), map("dia_chi", "dia_chi"),
               map("doi_tuong", "doi_tuong"), map("ngay_cap_nhat", "ngay_cap_nhat")}}}}},
          {"threshold", 0.9},
          {"review_from", 0.5}};
}

}  // namespace pdh::link
