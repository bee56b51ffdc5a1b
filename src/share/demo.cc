// The demo province's sharing: the administrative-procedure system that pushes dossiers and the
// provincial portal that pulls open data, their grants and subscriptions, and three open
// datasets.
#include <boost/json.hpp>

#include "share/share.h"

namespace pdh::share {
namespace json = boost::json;

Result<DemoSummary> GenerateDemo(store::ShareStore& store, const std::string& province,
                                 const std::string& at) {
  Service svc(store);
  DemoSummary out;
  const std::vector<Client> clients = {{"he-thong-tthc",
                                        "Hệ thống thông tin giải quyết thủ tục hành chính tỉnh",
                                        province + ".VPUB",
                                        "Trung tâm Phục vụ hành chính công, dvc@tayninh.gov.vn",
                                        kDemoProcedureAccount,
                                        ClientState::kActive,
                                        {"127.0.0.0/8", "10.10.0.0/16"},
                                        at,
                                        "admin"},
                                       {"cong-thong-tin",
                                        "Cổng thông tin điện tử tỉnh",
                                        province + ".SKHCN",
                                        "Ban biên tập Cổng thông tin, portal@tayninh.gov.vn",
                                        kDemoPortalAccount,
                                        ClientState::kActive,
                                        {},
                                        at,
                                        "admin"}};
  for (const auto& c : clients) {
    if (auto s = svc.AddClient(c); !s) return Fail(s.error());
    ++out.clients;
  }
  // The procedure system writes the dossiers it receives and reads them back; the portal reads
  // the dossiers without personal data, the applicant's ID masked to its last four digits.
  std::vector<Grant> grants(3);
  grants[0].client = "he-thong-tthc";
  grants[0].dataset = "dossiers";
  grants[0].purposes = {"administrative_procedure"};
  grants[0].legal_basis = "Nghị định 107/2021/NĐ-CP; Nghị định 45/2020/NĐ-CP";
  grants[0].write = true;
  grants[0].fields = {"dossier_id",     "receiving_unit", "procedure_code",
                      "procedure_name", "received_at",    "channel",
                      "status",         "due_at",         "completed_at"};
  grants[1] = grants[0];
  grants[1].write = false;
  grants[1].masks = {{"applicant_id", Mask::kLast4}, {"applicant_name", Mask::kInitials}};
  grants[2].client = "cong-thong-tin";
  grants[2].dataset = "dossiers";
  grants[2].purposes = {"public_service", "open_data"};
  grants[2].legal_basis = "Nghị định 47/2020/NĐ-CP về quản lý, kết nối và chia sẻ dữ liệu số";
  grants[2].fields = {"dossier_id",     "receiving_unit", "procedure_code",
                      "procedure_name", "received_at",    "channel",
                      "status",         "full_online",    "completed_at"};
  grants[2].expires = Date::Parse("2026-12-31");
  for (auto& g : grants) {
    g.created_at = at;
    g.created_by = "admin";
    auto id = svc.AddGrant(g);
    if (!id) return Fail(id.error());
    ++out.grants;
  }
  // Three open datasets: the dossiers' counts per commune and month, the feedback's, and the
  // index set's values.
  std::vector<OpenDataset> open(3);
  open[0].id = "ho-so-tthc-theo-thang";
  open[0].kind = OpenKind::kAggregate;
  open[0].source = "dossiers";
  open[0].title = "Số hồ sơ thủ tục hành chính theo đơn vị và tháng";
  open[0].title_en = "Administrative-procedure dossiers per unit and month";
  open[0].description =
      "Số hồ sơ thủ tục hành chính tiếp nhận mỗi tháng tại từng xã, phường và sở, ngành; số "
      "nhỏ hơn 5 được ẩn để bảo vệ người nộp.";
  open[0].description_en =
      "Dossiers received each month by each commune and department; counts below 5 are "
      "suppressed.";
  open[0].keywords = {"thủ tục hành chính", "dịch vụ công", "hồ sơ"};
  open[1].id = "phan-anh-1022-theo-thang";
  open[1].kind = OpenKind::kAggregate;
  open[1].source = "feedback_1022";
  open[1].title = "Phản ánh, kiến nghị qua Tổng đài 1022 theo đơn vị và tháng";
  open[1].title_en = "Citizens' feedback through the 1022 hotline per unit and month";
  open[1].description =
      "Số phản ánh, kiến nghị của người dân qua Tổng đài 1022 mỗi tháng theo địa bàn; số nhỏ "
      "hơn 5 được ẩn.";
  open[1].description_en =
      "Feedback received each month per locality; counts below 5 are "
      "suppressed.";
  open[1].keywords = {"1022", "phản ánh", "kiến nghị"};
  open[2].id = "bo-chi-so";
  open[2].kind = OpenKind::kValues;
  open[2].title = "Bộ chỉ số chuyển đổi số và cải cách hành chính";
  open[2].title_en = "Digital transformation and administrative reform indicators";
  open[2].description =
      "Giá trị các chỉ tiêu của tỉnh và từng đơn vị theo tháng, quý và năm, do hệ thống tính "
      "từ dữ liệu gốc.";
  open[2].description_en =
      "The province's and each unit's indicator values by month, quarter and year, computed "
      "from the source records.";
  open[2].keywords = {"chỉ số", "chuyển đổi số", "Nghị quyết 57"};
  for (auto& d : open) {
    d.issued = at;
    d.modified = at;
    d.published_by = "admin";
    if (auto s = svc.Publish(d); !s) return Fail(s.error());
    ++out.open;
  }
  return out;
}

}  // namespace pdh::share
