// The indicator packs (M7): the standard public-service and 1022 feedback indicators over datasets
// made from the built-in "dossiers" and "feedback_1022" templates, with the province's targets —
// defined here once, for the demo and for a province that installs them.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/engine.h"
#include "ingest/ingest.h"

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

constexpr std::string_view kPublicServices = "public_services";
constexpr std::string_view kFeedback = "feedback_1022";

Sector PublicAdministration() {
  return {"public_administration", "Cải cách hành chính, dịch vụ công",
          "Public administration and services"};
}

// The province's targets for one of the set's indicators, by year.
void AddTargets(IndexSet& set, const std::string& province, std::string_view code,
                const std::vector<std::pair<int, double>>& by_year) {
  for (auto& i : set.indicators) {
    if (i.code != code) continue;
    for (auto [y, v] : by_year) i.targets.push_back({province, y, v});
  }
}

// Every rate's numerator counts a subset of what its denominator counts (Check refuses any other
// rate of counts), so no rate can pass 100%.
IndexSet DossierPack(const std::string& dossiers, const std::string& province) {
  IndexSet set;
  set.sectors.push_back(PublicAdministration());
  const std::vector<std::string> satisfied = {"very_satisfied", "satisfied"};
  const std::string hs = "hồ sơ";
  const Filter online = Is("channel", {"online"});
  const Filter has_fee = {"fee", ">", {"0"}, ""};
  set.elements = {
      Counted("DVC_HS_TONG", "Tổng số hồ sơ tiếp nhận", "Dossiers received", hs, dossiers, {}),
      Counted("DVC_HS_TRUC_TUYEN", "Số hồ sơ nộp trực tuyến", "Dossiers submitted online", hs,
              dossiers, {online}),
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
      // The online payment rate is over the dossiers submitted online with a fee: a dossier
      // handed in at the counter and paid online counts in neither part.
      Counted("DVC_HS_CO_PHI", "Số hồ sơ trực tuyến có phí, lệ phí",
              "Dossiers submitted online with a fee", hs, dossiers, {online, has_fee}),
      Counted("DVC_HS_THANH_TOAN_TT", "Số hồ sơ trực tuyến được thanh toán trực tuyến",
              "Online dossiers paid online", hs, dossiers,
              {online, has_fee, Is("paid_online", {"true"})}),
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
  };
  const std::string ps(kPublicServices);
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
           "Hồ sơ nộp trực tuyến có phí được thanh toán trực tuyến trên hồ sơ nộp trực tuyến có "
           "phí."),
      Rate("DVC_SO_HOA", "Tỷ lệ hồ sơ được số hóa", "Digitization rate", ps, "DVC_HS_SO_HOA",
           "DVC_HS_TONG", "Hồ sơ được số hóa trên tổng số hồ sơ tiếp nhận."),
      Rate("DVC_DUNG_HAN", "Tỷ lệ hồ sơ giải quyết đúng hạn", "On-time processing rate", ps,
           "DVC_HS_DUNG_HAN", "DVC_HS_HOAN_THANH", "Hồ sơ đúng hạn trên hồ sơ đã giải quyết."),
      Rate("DVC_HAI_LONG", "Tỷ lệ hài lòng", "Satisfaction rate", ps, "DVC_HS_HAI_LONG",
           "DVC_HS_DANH_GIA", "Đánh giá hài lòng và rất hài lòng trên số đánh giá."),
  };
  // The province's targets: 80% of dossiers fully online by the end of 2026 and every
  // locality-free procedure; the national floors for the others.
  AddTargets(set, province, "DVC_TOAN_TRINH", {{2025, 60}, {2026, 80}});
  AddTargets(set, province, "DVC_KHONG_DIA_GIOI", {{2025, 80}, {2026, 100}});
  AddTargets(set, province, "DVC_TRUC_TUYEN", {{2025, 80}, {2026, 90}});
  AddTargets(set, province, "DVC_THANH_TOAN_TT", {{2025, 80}, {2026, 90}});
  AddTargets(set, province, "DVC_SO_HOA", {{2025, 90}, {2026, 100}});
  AddTargets(set, province, "DVC_DUNG_HAN", {{2025, 95}, {2026, 98}});
  AddTargets(set, province, "DVC_HAI_LONG", {{2025, 90}, {2026, 95}});
  return set;
}

IndexSet FeedbackPack(const std::string& feedback, const std::string& province) {
  IndexSet set;
  set.sectors.push_back(PublicAdministration());
  const std::vector<std::string> satisfied = {"very_satisfied", "satisfied"};
  const std::string pa = "phản ánh";
  set.elements = {
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
  const std::string fb(kFeedback);
  set.indicators = {
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
  AddTargets(set, province, "PA_DUNG_HAN_TL", {{2025, 90}, {2026, 95}});
  AddTargets(set, province, "PA_HAI_LONG_TL", {{2025, 85}, {2026, 90}});
  return set;
}

// The dataset the pack reads: `dataset`, or else the one dataset made from the pack's template.
Result<std::string> PackDataset(store::DatasetStore& store, const PackInfo& pack,
                                const std::string& dataset) {
  if (!dataset.empty()) {
    auto d = ingest::LoadDataset(store, dataset);
    if (!d) return Fail(d.error());
    return dataset;
  }
  auto all = ingest::ListDatasets(store);
  if (!all) return Fail(all.error());
  std::vector<std::string> made;
  for (const auto& d : *all) {
    if (d.row.template_name == pack.template_name) made.push_back(d.row.code);
  }
  if (made.size() == 1) return made.front();
  if (made.empty()) {
    return Fail(Error::Invalid("pack.no_dataset",
                               "the pack " + pack.name + " reads a dataset made from the '" +
                                   pack.template_name + "' template and there is none: create it " +
                                   "first (pdh datasets create --template " + pack.template_name +
                                   "), or name a dataset with the template's fields"));
  }
  std::string names;
  for (const auto& m : made) names += (names.empty() ? "" : ", ") + m;
  return Fail(Error::Invalid("pack.dataset_ambiguous",
                             "several datasets were made from the '" + pack.template_name +
                                 "' template (" + names + "): name the one the pack reads"));
}

// Whether `item` is new, changed or as stored; new and changed ones go into `changes`.
template <class T>
void Classify(const std::vector<T>& stored, const T& item, const char* kind, PackInstall& out,
              std::vector<T>& changes) {
  const std::string name = std::string(kind) + " " + item.code;
  for (const auto& s : stored) {
    if (s.code != item.code) continue;
    if (boost::json::value(ToJson(s)) == boost::json::value(ToJson(item))) {
      out.unchanged.push_back(name);
    } else {
      out.updated.push_back(name);
      changes.push_back(item);
    }
    return;
  }
  out.added.push_back(name);
  changes.push_back(item);
}

}  // namespace

const std::vector<PackInfo>& Packs() {
  static const std::vector<PackInfo> packs = {
      {std::string(kPublicServices), "dossiers", "Dịch vụ công trực tuyến",
       "Online public services"},
      {std::string(kFeedback), "feedback_1022", "Phản ánh, kiến nghị qua 1022",
       "1022 citizen feedback"},
  };
  return packs;
}

Result<IndexSet> PackDefinition(std::string_view name, const std::string& dataset,
                                const std::string& province_code) {
  if (name == kPublicServices) return DossierPack(dataset, province_code);
  if (name == kFeedback) return FeedbackPack(dataset, province_code);
  return Fail(Error::NotFound("pack.not_found", "no pack '" + std::string(name) +
                                                    "': the packs are public_services and "
                                                    "feedback_1022"));
}

IndexSet PublicServicePack(const std::string& dossiers, const std::string& feedback,
                           const std::string& province) {
  IndexSet set = DossierPack(dossiers, province);
  IndexSet more = FeedbackPack(feedback, province);
  set.elements.insert(set.elements.end(), more.elements.begin(), more.elements.end());
  set.indicators.insert(set.indicators.end(), more.indicators.begin(), more.indicators.end());
  return set;
}

Result<PackInstall> InstallPack(const Stores& stores, std::string_view name,
                                const std::string& dataset, const std::string& province_code,
                                const std::string& by, const std::string& at) {
  const PackInfo* pack = nullptr;
  for (const auto& p : Packs()) {
    if (p.name == name) pack = &p;
  }
  if (!pack) return Fail(PackDefinition(name, dataset, province_code).error());
  auto code = PackDataset(stores.datasets, *pack, dataset);
  if (!code) return Fail(code.error());
  auto def = PackDefinition(name, *code, province_code);
  if (!def) return Fail(def.error());
  auto stored = LoadIndexSet(stores.index);
  if (!stored) return Fail(stored.error());
  PackInstall out;
  out.pack = pack->name;
  out.dataset = *code;
  IndexSet changes;
  // A sector the province already has keeps its names.
  for (const auto& s : def->sectors) {
    if (stored->FindSector(s.code)) {
      out.unchanged.push_back("sector " + s.code);
    } else {
      out.added.push_back("sector " + s.code);
      changes.sectors.push_back(s);
    }
  }
  for (const auto& e : def->elements) {
    Classify(stored->elements, e, "element", out, changes.elements);
  }
  for (const auto& i : def->indicators) {
    Classify(stored->indicators, i, "indicator", out, changes.indicators);
    out.targets += static_cast<int64_t>(i.targets.size());
  }
  // Installing what is already there writes nothing, and the engine has nothing to rebuild.
  if (out.added.empty() && out.updated.empty()) return out;
  if (auto s = SaveIndexSet(stores, changes, by, at); !s) return Fail(s.error());
  return out;
}

boost::json::object PackInstall::ToJson() const {
  auto list = [](const std::vector<std::string>& v) {
    boost::json::array a;
    for (const auto& x : v) a.push_back(boost::json::value(x));
    return a;
  };
  return {{"pack", pack},
          {"dataset", dataset},
          {"added", list(added)},
          {"updated", list(updated)},
          {"unchanged", list(unchanged)},
          {"targets", targets}};
}

}  // namespace pdh::engine
