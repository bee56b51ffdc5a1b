// The public-service and 1022 feedback pack (M7): the standard indicators over datasets made from
// the built-in "dossiers" and "feedback_1022" templates, with the province's targets.
#include <string>
#include <utility>
#include <vector>

#include "engine/engine.h"

namespace pdh::engine {
namespace {

Filter Is(std::string field, std::vector<std::string> values) {
  return {std::move(field), "=", std::move(values), ""};
}
Filter NotAfter(std::string field, std::string other) {
  return {std::move(field), "<=", {}, std::move(other)};
}

Element Counted(std::string code, std::string name, std::string name_en, std::string measure,
                std::string dataset, std::vector<Filter> filters) {
  Element e;
  e.code = std::move(code);
  e.name = std::move(name);
  e.name_en = std::move(name_en);
  e.sector = "public_administration";
  e.measure = std::move(measure);
  Rule r;
  r.dataset = std::move(dataset);
  r.filters = std::move(filters);
  e.rule = std::move(r);
  return e;
}

Indicator Rate(std::string code, std::string name, std::string name_en, std::string pack,
               const std::string& num, const std::string& den, std::string description) {
  Indicator i;
  i.code = std::move(code);
  i.name = std::move(name);
  i.name_en = std::move(name_en);
  i.sector = "public_administration";
  i.measure = "%";
  i.pack = std::move(pack);
  i.numerator = "#{" + num + "}";
  i.denominator = "#{" + den + "}";
  i.factor = 100;
  i.description = std::move(description);
  i.green = 100;
  i.yellow = 95;
  return i;
}

}  // namespace

IndexSet PublicServicePack(const std::string& dossiers, const std::string& feedback,
                           const std::string& province) {
  IndexSet set;
  set.sectors.push_back({"public_administration", "Cải cách hành chính, dịch vụ công",
                         "Public administration and services"});
  const std::vector<std::string> satisfied = {"very_satisfied", "satisfied"};
  const std::string hs = "hồ sơ";
  const std::string pa = "phản ánh";
  set.elements = {
      Counted("DVC_HS_TONG", "Tổng số hồ sơ tiếp nhận", "Dossiers received", hs, dossiers, {}),
      Counted("DVC_HS_TRUC_TUYEN", "Số hồ sơ nộp trực tuyến", "Dossiers submitted online", hs,
              dossiers, {Is("channel", {"online"})}),
      Counted("DVC_HS_DU_DK_TOAN_TRINH", "Số hồ sơ của thủ tục đủ điều kiện trực tuyến toàn trình",
              "Dossiers of procedures eligible for full-process online", hs, dossiers,
              {Is("full_online_eligible", {"true"})}),
      Counted("DVC_HS_TOAN_TRINH", "Số hồ sơ trực tuyến toàn trình",
              "Dossiers processed fully online", hs, dossiers,
              {Is("full_online_eligible", {"true"}), Is("full_online", {"true"})}),
      Counted("DVC_HS_KHONG_DIA_GIOI", "Số hồ sơ của thủ tục không phụ thuộc địa giới hành chính",
              "Dossiers of procedures not tied to a locality", hs, dossiers,
              {Is("locality_free", {"true"})}),
      Counted("DVC_HS_KHONG_DIA_GIOI_TOAN_TRINH",
              "Số hồ sơ không phụ thuộc địa giới được giải quyết trực tuyến toàn trình",
              "Locality-free dossiers processed fully online", hs, dossiers,
              {Is("locality_free", {"true"}), Is("full_online", {"true"})}),
      Counted("DVC_HS_CO_PHI", "Số hồ sơ có phí, lệ phí", "Dossiers with a fee", hs, dossiers,
              {{"fee", ">", {"0"}, ""}}),
      Counted("DVC_HS_THANH_TOAN_TT", "Số hồ sơ thanh toán trực tuyến", "Dossiers paid online", hs,
              dossiers, {{"fee", ">", {"0"}, ""}, Is("paid_online", {"true"})}),
      Counted("DVC_HS_SO_HOA", "Số hồ sơ được số hóa", "Dossiers digitized", hs, dossiers,
              {Is("digitized", {"true"})}),
      Counted("DVC_HS_HOAN_THANH", "Số hồ sơ đã giải quyết", "Dossiers completed", hs, dossiers,
              {Is("status", {"completed"})}),
      Counted("DVC_HS_DUNG_HAN", "Số hồ sơ giải quyết đúng hạn", "Dossiers completed on time", hs,
              dossiers, {Is("status", {"completed"}), NotAfter("completed_at", "due_at")}),
      Counted("DVC_HS_DANH_GIA", "Số hồ sơ được đánh giá", "Dossiers rated", hs, dossiers,
              {{"satisfaction", "not_null", {}, ""}}),
      Counted("DVC_HS_HAI_LONG", "Số hồ sơ được đánh giá hài lòng", "Dossiers rated satisfied", hs,
              dossiers, {Is("satisfaction", satisfied)}),
      Counted("PA_TONG", "Tổng số phản ánh, kiến nghị qua 1022", "1022 feedback received", pa,
              feedback, {}),
      Counted("PA_DA_XU_LY", "Số phản ánh đã xử lý", "1022 feedback resolved", pa, feedback,
              {Is("result", {"resolved"})}),
      Counted("PA_DUNG_HAN", "Số phản ánh xử lý đúng hạn", "1022 feedback resolved on time", pa,
              feedback, {Is("result", {"resolved"}), NotAfter("resolved_at", "deadline_at")}),
      Counted("PA_DANH_GIA", "Số phản ánh được đánh giá", "1022 feedback rated", pa, feedback,
              {{"satisfaction", "not_null", {}, ""}}),
      Counted("PA_HAI_LONG", "Số phản ánh được đánh giá hài lòng", "1022 feedback rated satisfied",
              pa, feedback, {Is("satisfaction", satisfied)}),
  };
  const std::string ps = "public_services";
  const std::string fb = "feedback_1022";
  set.indicators = {
      Rate("DVC_TRUC_TUYEN", "Tỷ lệ hồ sơ nộp trực tuyến", "Online submission rate", ps,
           "DVC_HS_TRUC_TUYEN", "DVC_HS_TONG",
           "Hồ sơ nộp trực tuyến trên tổng số hồ sơ tiếp nhận."),
      Rate("DVC_TOAN_TRINH", "Tỷ lệ hồ sơ trực tuyến toàn trình", "Full-process online rate", ps,
           "DVC_HS_TOAN_TRINH", "DVC_HS_DU_DK_TOAN_TRINH",
           "Hồ sơ trực tuyến toàn trình trên hồ sơ của các thủ tục đủ điều kiện."),
      Rate("DVC_KHONG_DIA_GIOI", "Tỷ lệ thủ tục không phụ thuộc địa giới giải quyết toàn trình",
           "Locality-free procedures processed fully online", ps,
           "DVC_HS_KHONG_DIA_GIOI_TOAN_TRINH", "DVC_HS_KHONG_DIA_GIOI",
           "Hồ sơ không phụ thuộc địa giới hành chính được giải quyết trực tuyến toàn trình."),
      Rate("DVC_THANH_TOAN_TT", "Tỷ lệ thanh toán trực tuyến", "Online payment rate", ps,
           "DVC_HS_THANH_TOAN_TT", "DVC_HS_CO_PHI",
           "Hồ sơ thanh toán trực tuyến trên hồ sơ có phí."),
      Rate("DVC_SO_HOA", "Tỷ lệ hồ sơ được số hóa", "Digitization rate", ps, "DVC_HS_SO_HOA",
           "DVC_HS_TONG", "Hồ sơ được số hóa trên tổng số hồ sơ tiếp nhận."),
      Rate("DVC_DUNG_HAN", "Tỷ lệ hồ sơ giải quyết đúng hạn", "On-time processing rate", ps,
           "DVC_HS_DUNG_HAN", "DVC_HS_HOAN_THANH", "Hồ sơ đúng hạn trên hồ sơ đã giải quyết."),
      Rate("DVC_HAI_LONG", "Tỷ lệ hài lòng", "Satisfaction rate", ps, "DVC_HS_HAI_LONG",
           "DVC_HS_DANH_GIA", "Đánh giá hài lòng và rất hài lòng trên số đánh giá."),
      Rate("PA_DUNG_HAN_TL", "Tỷ lệ phản ánh xử lý đúng hạn", "1022 feedback handled on time", fb,
           "PA_DUNG_HAN", "PA_DA_XU_LY", "Phản ánh xử lý đúng hạn trên phản ánh đã xử lý."),
      Rate("PA_HAI_LONG_TL", "Tỷ lệ hài lòng với xử lý phản ánh", "1022 feedback satisfaction", fb,
           "PA_HAI_LONG", "PA_DANH_GIA", "Đánh giá hài lòng trên số đánh giá."),
  };
  Indicator count;
  count.code = "PA_SO_LUONG";
  count.name = "Số phản ánh, kiến nghị qua 1022";
  count.name_en = "1022 feedback received";
  count.sector = "public_administration";
  count.measure = pa;
  count.pack = fb;
  count.expression = "#{PA_TONG}";
  set.indicators.push_back(count);
  // The province's targets: 80% of dossiers fully online by the end of 2026 and every
  // locality-free procedure; the national floors for the others.
  auto target = [&](std::string_view code, const std::vector<std::pair<int, double>>& by_year) {
    for (auto& i : set.indicators) {
      if (i.code != code) continue;
      for (auto [y, v] : by_year) i.targets.push_back({province, y, v});
    }
  };
  target("DVC_TOAN_TRINH", {{2025, 60}, {2026, 80}});
  target("DVC_KHONG_DIA_GIOI", {{2025, 80}, {2026, 100}});
  target("DVC_TRUC_TUYEN", {{2025, 80}, {2026, 90}});
  target("DVC_THANH_TOAN_TT", {{2025, 80}, {2026, 90}});
  target("DVC_SO_HOA", {{2025, 90}, {2026, 100}});
  target("DVC_DUNG_HAN", {{2025, 95}, {2026, 98}});
  target("DVC_HAI_LONG", {{2025, 90}, {2026, 95}});
  target("PA_DUNG_HAN_TL", {{2025, 90}, {2026, 95}});
  target("PA_HAI_LONG_TL", {{2025, 85}, {2026, 90}});
  return set;
}

}  // namespace pdh::engine
