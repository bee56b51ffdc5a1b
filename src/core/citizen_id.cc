// Reads citizen identity numbers by the layout described in citizen_id.h.
#include "core/citizen_id.h"

#include <algorithm>
#include <array>
#include <functional>
#include <utility>

namespace pdh::citizen_id {
namespace {

constexpr size_t kDigits = 12;

// Birth-registration province codes: the 63 provinces and centrally-run cities before 2025.
constexpr std::array<std::pair<std::string_view, std::string_view>, 63> kProvinces = {{
    {"001", "Hà Nội"},
    {"002", "Hà Giang"},
    {"004", "Cao Bằng"},
    {"006", "Bắc Kạn"},
    {"008", "Tuyên Quang"},
    {"010", "Lào Cai"},
    {"011", "Điện Biên"},
    {"012", "Lai Châu"},
    {"014", "Sơn La"},
    {"015", "Yên Bái"},
    {"017", "Hoà Bình"},
    {"019", "Thái Nguyên"},
    {"020", "Lạng Sơn"},
    {"022", "Quảng Ninh"},
    {"024", "Bắc Giang"},
    {"025", "Phú Thọ"},
    {"026", "Vĩnh Phúc"},
    {"027", "Bắc Ninh"},
    {"030", "Hải Dương"},
    {"031", "Hải Phòng"},
    {"033", "Hưng Yên"},
    {"034", "Thái Bình"},
    {"035", "Hà Nam"},
    {"036", "Nam Định"},
    {"037", "Ninh Bình"},
    {"038", "Thanh Hoá"},
    {"040", "Nghệ An"},
    {"042", "Hà Tĩnh"},
    {"044", "Quảng Bình"},
    {"045", "Quảng Trị"},
    {"046", "Thừa Thiên Huế"},
    {"048", "Đà Nẵng"},
    {"049", "Quảng Nam"},
    {"051", "Quảng Ngãi"},
    {"052", "Bình Định"},
    {"054", "Phú Yên"},
    {"056", "Khánh Hoà"},
    {"058", "Ninh Thuận"},
    {"060", "Bình Thuận"},
    {"062", "Kon Tum"},
    {"064", "Gia Lai"},
    {"066", "Đắk Lắk"},
    {"067", "Đắk Nông"},
    {"068", "Lâm Đồng"},
    {"070", "Bình Phước"},
    {"072", "Tây Ninh"},
    {"074", "Bình Dương"},
    {"075", "Đồng Nai"},
    {"077", "Bà Rịa – Vũng Tàu"},
    {"079", "Hồ Chí Minh"},
    {"080", "Long An"},
    {"082", "Tiền Giang"},
    {"083", "Bến Tre"},
    {"084", "Trà Vinh"},
    {"086", "Vĩnh Long"},
    {"087", "Đồng Tháp"},
    {"089", "An Giang"},
    {"091", "Kiên Giang"},
    {"092", "Cần Thơ"},
    {"093", "Hậu Giang"},
    {"094", "Sóc Trăng"},
    {"095", "Bạc Liêu"},
    {"096", "Cà Mau"},
}};
static_assert(std::ranges::adjacent_find(kProvinces, std::ranges::greater_equal{}) ==
                  kProvinces.end(),
              "kProvinces: every entry filled, sorted by code for ProvinceName");

// The spaces spreadsheets put around values: ASCII, tab, NBSP, narrow NBSP.
constexpr std::string_view kSpaces[] = {" ", "\t", "\xC2\xA0", "\xE2\x80\xAF"};

std::string_view Trim(std::string_view s) {
  bool trimmed = true;
  while (trimmed) {
    trimmed = false;
    for (std::string_view sp : kSpaces) {
      if (s.starts_with(sp)) {
        s.remove_prefix(sp.size());
        trimmed = true;
      }
      if (s.ends_with(sp)) {
        s.remove_suffix(sp.size());
        trimmed = true;
      }
    }
  }
  return s;
}

bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}

// The UTF-8 character that starts at s[i] (one byte when s[i] does not start one).
std::string_view CharAt(std::string_view s, size_t i) {
  auto lead = static_cast<unsigned char>(s[i]);
  size_t n = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
  return s.substr(i, n);
}

Error Invalid(const std::string& vietnamese, const std::string& english) {
  return Error::Invalid("value.citizen_id", vietnamese + " / " + english);
}

}  // namespace

std::string_view ProvinceName(std::string_view code) {
  auto it = std::ranges::lower_bound(kProvinces, code, {}, [](const auto& p) { return p.first; });
  if (it == kProvinces.end() || it->first != code) return {};
  return it->second;
}

Result<CitizenId> Check(std::string_view s, std::optional<int> current_year) {
  s = Trim(s);
  if (s.empty()) {
    return Fail(Invalid("chưa có số định danh", "the citizen ID is empty"));
  }
  auto other = std::ranges::find_if(s, [](char c) { return !IsDigit(c); });
  if (other != s.end()) {
    std::string shown(CharAt(s, static_cast<size_t>(other - s.begin())));
    if (shown == " " || shown == "\t" || shown == "\xC2\xA0") {
      return Fail(Invalid("số định danh viết liền 12 chữ số, không có dấu cách",
                          "a citizen ID is 12 digits with no spaces between them"));
    }
    return Fail(Invalid("số định danh chỉ gồm chữ số, không có “" + shown + "”",
                        "a citizen ID has digits only, not “" + shown + "”"));
  }
  if (s.size() != kDigits) {
    std::string count = std::to_string(s.size());
    std::string vi = "số định danh phải có đúng 12 chữ số (có " + count + ")";
    std::string en = "a citizen ID has exactly 12 digits (this has " + count + ")";
    if (s.size() == 9) {
      vi += "; số chứng minh nhân dân 9 số cũ không phải số định danh";
      en += "; an old 9-digit identity card number is not a citizen ID";
    }
    return Fail(Invalid(vi, en));
  }
  std::string_view province = s.substr(0, 3);
  if (ProvinceName(province).empty()) {
    std::string code(province);
    return Fail(Invalid("mã tỉnh nơi đăng ký khai sinh " + code + " không tồn tại",
                        "the birth-registration province code " + code + " does not exist"));
  }
  const int century_digit = s[3] - '0';
  // 0/1 1900s, 2/3 2000s, 4/5 2100s, 6/7 2200s, then 8/9 wrap back to the 1800s.
  const int century = century_digit >= 8 ? 1800 : 1900 + 100 * (century_digit / 2);
  const int birth_year = century + 10 * (s[4] - '0') + (s[5] - '0');
  if (current_year && birth_year > *current_year) {
    std::string year = std::to_string(birth_year);
    std::string digits(s.substr(3, 3));
    std::string now = std::to_string(*current_year);
    return Fail(
        Invalid("năm sinh " + year + " (chữ số 4–6: " + digits + ") sau năm " + now,
                "the birth year " + year + " (digits 4-6: " + digits + ") is after " + now));
  }
  return CitizenId{std::string(province), birth_year, century_digit % 2 == 1};
}

}  // namespace pdh::citizen_id
