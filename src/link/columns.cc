// Which comparison a column calls for, guessed from its header (Vietnamese or English) and, when
// the header says nothing, from its values.
#include <algorithm>
#include <array>
#include <string>

#include "core/text.h"
#include "link/internal.h"

namespace pdh::link {

namespace {

struct HeaderGuess {
  std::string_view header;  // folded, words separated by one space
  Kind kind;
  std::string_view role;
  bool term_frequency;
};

// Folded headers, '_' '-' '.' read as spaces. The first match wins.
constexpr std::array kHeaderGuesses = {
    HeaderGuess{"ho va ten", Kind::kFullName, "full_name", true},
    HeaderGuess{"ho ten", Kind::kFullName, "full_name", true},
    HeaderGuess{"full name", Kind::kFullName, "full_name", true},
    HeaderGuess{"fullname", Kind::kFullName, "full_name", true},
    HeaderGuess{"name", Kind::kFullName, "full_name", true},
    HeaderGuess{"ten day du", Kind::kFullName, "full_name", true},
    HeaderGuess{"ho", Kind::kName, "surname", true},
    HeaderGuess{"surname", Kind::kName, "surname", true},
    HeaderGuess{"family name", Kind::kName, "surname", true},
    HeaderGuess{"last name", Kind::kName, "surname", true},
    HeaderGuess{"lastname", Kind::kName, "surname", true},
    HeaderGuess{"ten dem", Kind::kName, "middle", true},
    HeaderGuess{"chu lot", Kind::kName, "middle", true},
    HeaderGuess{"middle name", Kind::kName, "middle", true},
    HeaderGuess{"ten", Kind::kName, "given", true},
    HeaderGuess{"given name", Kind::kName, "given", true},
    HeaderGuess{"first name", Kind::kName, "given", true},
    HeaderGuess{"firstname", Kind::kName, "given", true},
    HeaderGuess{"ngay sinh", Kind::kDate, "dob", false},
    HeaderGuess{"ngay thang nam sinh", Kind::kDate, "dob", false},
    HeaderGuess{"date of birth", Kind::kDate, "dob", false},
    HeaderGuess{"dob", Kind::kDate, "dob", false},
    HeaderGuess{"birth date", Kind::kDate, "dob", false},
    HeaderGuess{"birthdate", Kind::kDate, "dob", false},
    HeaderGuess{"cccd", Kind::kId, "id", false},
    HeaderGuess{"so cccd", Kind::kId, "id", false},
    HeaderGuess{"cmnd", Kind::kId, "id", false},
    HeaderGuess{"so cmnd", Kind::kId, "id", false},
    HeaderGuess{"so dinh danh", Kind::kId, "id", false},
    HeaderGuess{"so dinh danh ca nhan", Kind::kId, "id", false},
    HeaderGuess{"cccd cmnd", Kind::kId, "id", false},
    HeaderGuess{"citizen id", Kind::kId, "id", false},
    HeaderGuess{"national id", Kind::kId, "id", false},
    HeaderGuess{"soc sec id", Kind::kId, "id", false},
    HeaderGuess{"ssn", Kind::kId, "id", false},
    HeaderGuess{"dien thoai", Kind::kPhone, "phone", false},
    HeaderGuess{"so dien thoai", Kind::kPhone, "phone", false},
    HeaderGuess{"sdt", Kind::kPhone, "phone", false},
    HeaderGuess{"phone", Kind::kPhone, "phone", false},
    HeaderGuess{"phone number", Kind::kPhone, "phone", false},
    HeaderGuess{"mobile", Kind::kPhone, "phone", false},
    HeaderGuess{"ma xa", Kind::kCommune, "commune", false},
    HeaderGuess{"ma phuong xa", Kind::kCommune, "commune", false},
    HeaderGuess{"ma xa phuong", Kind::kCommune, "commune", false},
    HeaderGuess{"ma don vi", Kind::kCommune, "commune", false},
    HeaderGuess{"commune code", Kind::kCommune, "commune", false},
    HeaderGuess{"commune", Kind::kCommune, "commune", false},
    HeaderGuess{"postcode", Kind::kCode, "postcode", false},
    HeaderGuess{"post code", Kind::kCode, "postcode", false},
    HeaderGuess{"zip", Kind::kCode, "postcode", false},
    HeaderGuess{"zipcode", Kind::kCode, "postcode", false},
    HeaderGuess{"ma buu chinh", Kind::kCode, "postcode", false},
    HeaderGuess{"street number", Kind::kCode, "", false},
    HeaderGuess{"so nha", Kind::kCode, "", false},
    HeaderGuess{"state", Kind::kCode, "", false},
    HeaderGuess{"gioi tinh", Kind::kCode, "", false},
    HeaderGuess{"sex", Kind::kCode, "", false},
    HeaderGuess{"gender", Kind::kCode, "", false},
    HeaderGuess{"dia chi", Kind::kText, "address", false},
    HeaderGuess{"address", Kind::kText, "address", false},
    HeaderGuess{"address 1", Kind::kText, "address", false},
    HeaderGuess{"address 2", Kind::kText, "", false},
    HeaderGuess{"thon xom", Kind::kText, "", false},
    HeaderGuess{"suburb", Kind::kText, "", true},
    HeaderGuess{"city", Kind::kText, "", true},
    HeaderGuess{"que quan", Kind::kText, "", true},
    HeaderGuess{"xa phuong", Kind::kText, "", true},
};

// A header that starts with a guess of two words or more, then says more: "Họ và tên chủ hộ",
// "Ngày sinh (dd/mm/yyyy)", "Số CCCD/CMND". The longest such guess; one word alone ("tên") is
// too loose ("Tên doanh nghiệp" is no given name).
auto LongestLeadingGuess(std::string_view key) {
  auto best = kHeaderGuesses.end();
  for (auto g = kHeaderGuesses.begin(); g != kHeaderGuesses.end(); ++g) {
    if (g->header.find(' ') == std::string_view::npos) continue;
    if (key.size() <= g->header.size() || !key.starts_with(g->header) ||
        key[g->header.size()] != ' ') {
      continue;
    }
    if (best == kHeaderGuesses.end() || g->header.size() > best->header.size()) best = g;
  }
  return best;
}

std::string HeaderKey(std::string_view header) {
  std::string s = text::Fold(header);
  for (char& c : s) {
    if (c == '_' || c == '-' || c == '.' || c == '/') c = ' ';
  }
  return text::CollapseSpaces(s);
}

// The share of the sample's non-empty values in column `col` that `test` accepts, and how many
// were non-empty.
template <class Test>
std::pair<double, size_t> Share(const std::vector<std::vector<std::string>>& sample, size_t col,
                                Test test) {
  size_t seen = 0;
  size_t ok = 0;
  for (const auto& row : sample) {
    if (col >= row.size()) continue;
    const std::string v = text::CollapseSpaces(row[col]);
    if (v.empty()) continue;
    ++seen;
    if (test(v)) ++ok;
  }
  return {seen ? static_cast<double>(ok) / static_cast<double>(seen) : 0, seen};
}

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A column whose header says nothing: dates, citizen IDs and phone numbers show in their values.
std::optional<ColumnSpec> GuessFromValues(const std::string& name,
                                          const std::vector<std::vector<std::string>>& sample,
                                          size_t col) {
  auto [dates, seen] = Share(sample, col, [](const std::string& v) {
    return !AllDigits(v) && ParseBirthDate(v).has_value();
  });
  if (seen == 0) return std::nullopt;
  if (dates >= 0.9) return ColumnSpec{name, Kind::kDate, "dob", false};
  const double ids = Share(sample, col, [](const std::string& v) {
                       return AllDigits(v) && (v.size() == 12 || v.size() == 9);
                     }).first;
  const double phones =
      Share(sample, col, [](const std::string& v) {
        const std::string p = NormalizePhone(v);
        return p.size() == 10 && p[0] == '0' &&
               (v.find_first_of(" .+") != std::string::npos || v[0] == '0' || v[0] == '+');
      }).first;
  if (phones >= 0.9) return ColumnSpec{name, Kind::kPhone, "phone", false};
  if (ids >= 0.9) return ColumnSpec{name, Kind::kId, "id", false};
  return std::nullopt;
}

}  // namespace

std::vector<ColumnSpec> GuessColumns(const std::vector<std::string>& header,
                                     const std::vector<std::vector<std::string>>& sample,
                                     std::string_view id_column) {
  std::vector<ColumnSpec> out;
  for (size_t col = 0; col < header.size(); ++col) {
    const std::string name = text::CollapseSpaces(header[col]);
    if (name == text::CollapseSpaces(id_column) || name.empty()) continue;
    const std::string key = HeaderKey(name);
    auto guess = std::find_if(kHeaderGuesses.begin(), kHeaderGuesses.end(),
                              [&](const HeaderGuess& g) { return g.header == key; });
    if (guess == kHeaderGuesses.end()) guess = LongestLeadingGuess(key);
    if (guess != kHeaderGuesses.end()) {
      ColumnSpec spec{name, guess->kind, std::string(guess->role), guess->term_frequency};
      // A role given once: a second "address" column is compared but not blocked on.
      if (!spec.role.empty() && std::any_of(out.begin(), out.end(), [&](const ColumnSpec& c) {
            return c.role == spec.role;
          })) {
        spec.role.clear();
      }
      out.push_back(std::move(spec));
    } else if (auto by_values = GuessFromValues(name, sample, col)) {
      out.push_back(std::move(*by_values));
    }
    if (out.size() == detail::kMaxComparisons) break;
  }
  return out;
}

}  // namespace pdh::link
