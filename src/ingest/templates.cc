// The dataset templates pdh ships: administrative-procedure dossiers and 1022 citizen feedback,
// the two datasets the public-service indicators are computed over.
#include <boost/json/parse.hpp>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "ingest/ingest.h"

namespace pdh::ingest {
namespace {

constexpr std::string_view kSatisfactionTemplate = R"json(
  [{"code": "very_satisfied", "label": "Rất hài lòng", "label_en": "Very satisfied"},
   {"code": "satisfied", "label": "Hài lòng", "label_en": "Satisfied"},
   {"code": "neutral", "label": "Bình thường", "label_en": "Neutral",
    "aliases": ["Chấp nhận được"]},
   {"code": "dissatisfied", "label": "Không hài lòng", "label_en": "Dissatisfied"}])json";

constexpr std::string_view kDossiers = R"json({
 "fields": [
  {"name": "dossier_id", "type": "string", "title": "Mã hồ sơ", "title_en": "Dossier ID",
   "constraints": {"required": true, "maxLength": 64}, "pdh:aliases": ["Số hồ sơ"]},
  {"name": "receiving_unit", "type": "string", "title": "Đơn vị tiếp nhận",
   "title_en": "Receiving unit", "constraints": {"required": true},
   "pdh:unit": {"partial": "review"}, "pdh:aliases": ["Mã đơn vị", "Cơ quan tiếp nhận"]},
  {"name": "procedure_code", "type": "string", "title": "Mã thủ tục",
   "title_en": "Procedure code", "constraints": {"required": true, "maxLength": 32}},
  {"name": "procedure_name", "type": "string", "title": "Tên thủ tục",
   "title_en": "Procedure name", "constraints": {"maxLength": 500}},
  {"name": "locality_free", "type": "boolean",
   "title": "Không phụ thuộc địa giới hành chính", "title_en": "Not tied to a locality"},
  {"name": "received_at", "type": "datetime", "title": "Thời điểm tiếp nhận",
   "title_en": "Received", "constraints": {"required": true}, "pdh:period": true,
   "pdh:aliases": ["Ngày tiếp nhận"]},
  {"name": "channel", "type": "string", "title": "Kênh nộp", "title_en": "Channel",
   "constraints": {"required": true},
   "pdh:codes": [{"code": "online", "label": "Trực tuyến", "label_en": "Online",
                  "aliases": ["Qua mạng", "Cổng dịch vụ công"]},
                 {"code": "direct", "label": "Trực tiếp", "label_en": "In person",
                  "aliases": ["Tại bộ phận một cửa"]},
                 {"code": "postal", "label": "Bưu chính công ích", "label_en": "Postal",
                  "aliases": ["Bưu chính", "Qua bưu điện"]}]},
  {"name": "full_online_eligible", "type": "boolean",
   "title": "Đủ điều kiện trực tuyến toàn trình", "title_en": "Eligible for full-process online"},
  {"name": "full_online", "type": "boolean", "title": "Trực tuyến toàn trình",
   "title_en": "Full-process online"},
  {"name": "fee", "type": "number", "title": "Phí, lệ phí (đồng)", "title_en": "Fee (VND)",
   "constraints": {"minimum": 0}},
  {"name": "paid_online", "type": "boolean", "title": "Thanh toán trực tuyến",
   "title_en": "Paid online"},
  {"name": "digitized", "type": "boolean", "title": "Số hóa hồ sơ", "title_en": "Digitized"},
  {"name": "due_at", "type": "datetime", "title": "Hạn xử lý", "title_en": "Due"},
  {"name": "completed_at", "type": "datetime", "title": "Thời điểm hoàn thành",
   "title_en": "Completed"},
  {"name": "status", "type": "string", "title": "Trạng thái", "title_en": "Status",
   "constraints": {"required": true},
   "pdh:codes": [{"code": "received", "label": "Đã tiếp nhận", "label_en": "Received"},
                 {"code": "processing", "label": "Đang xử lý", "label_en": "Processing"},
                 {"code": "completed", "label": "Đã hoàn thành", "label_en": "Completed",
                  "aliases": ["Đã trả kết quả", "Hoàn thành"]},
                 {"code": "returned", "label": "Trả lại", "label_en": "Returned",
                  "aliases": ["Từ chối", "Trả lại hồ sơ"]},
                 {"code": "cancelled", "label": "Đã hủy", "label_en": "Cancelled",
                  "aliases": ["Rút hồ sơ"]}]},
  {"name": "satisfaction", "type": "string", "title": "Mức độ hài lòng",
   "title_en": "Satisfaction", "pdh:codes": @SATISFACTION@},
  {"name": "applicant_id", "type": "string", "title": "Số định danh người nộp",
   "title_en": "Applicant's citizen ID", "pdh:personal": true, "pdh:format": "citizen_id",
   "pdh:aliases": ["Số CCCD", "CCCD"]},
  {"name": "applicant_name", "type": "string", "title": "Họ tên người nộp",
   "title_en": "Applicant's name", "pdh:personal": true, "constraints": {"maxLength": 200}}
 ],
 "primaryKey": ["dossier_id"],
 "missingValues": ["", "-", "N/A"]
})json";

constexpr std::string_view kFeedback = R"json({
 "fields": [
  {"name": "feedback_id", "type": "string", "title": "Mã phản ánh", "title_en": "Feedback ID",
   "constraints": {"required": true, "maxLength": 64}},
  {"name": "channel", "type": "string", "title": "Kênh tiếp nhận", "title_en": "Channel",
   "constraints": {"required": true},
   "pdh:codes": [{"code": "app", "label": "Ứng dụng", "label_en": "Mobile app",
                  "aliases": ["App", "Tây Ninh Smart"]},
                 {"code": "hotline", "label": "Tổng đài 1022", "label_en": "Hotline 1022",
                  "aliases": ["Điện thoại", "1022"]},
                 {"code": "web", "label": "Cổng thông tin", "label_en": "Web portal"},
                 {"code": "zalo", "label": "Zalo", "label_en": "Zalo"},
                 {"code": "email", "label": "Thư điện tử", "label_en": "E-mail"},
                 {"code": "direct", "label": "Trực tiếp", "label_en": "In person"}]},
  {"name": "category", "type": "string", "title": "Lĩnh vực", "title_en": "Category",
   "constraints": {"required": true},
   "pdh:codes": [{"code": "traffic", "label": "Giao thông", "label_en": "Traffic"},
                 {"code": "environment", "label": "Môi trường", "label_en": "Environment"},
                 {"code": "urban_order", "label": "Trật tự đô thị", "label_en": "Urban order"},
                 {"code": "land", "label": "Đất đai", "label_en": "Land"},
                 {"code": "construction", "label": "Xây dựng", "label_en": "Construction"},
                 {"code": "public_service", "label": "Dịch vụ công",
                  "label_en": "Public services"},
                 {"code": "security", "label": "An ninh trật tự", "label_en": "Security"},
                 {"code": "health", "label": "Y tế", "label_en": "Health"},
                 {"code": "other", "label": "Khác", "label_en": "Other"}]},
  {"name": "location_unit", "type": "string", "title": "Địa bàn", "title_en": "Location",
   "constraints": {"required": true}, "pdh:unit": {"partial": "review"}},
  {"name": "assigned_unit", "type": "string", "title": "Đơn vị xử lý",
   "title_en": "Assigned unit", "pdh:unit": {"partial": "review"}},
  {"name": "received_at", "type": "datetime", "title": "Thời điểm tiếp nhận",
   "title_en": "Received", "constraints": {"required": true}, "pdh:period": true},
  {"name": "deadline_at", "type": "datetime", "title": "Hạn xử lý", "title_en": "Deadline"},
  {"name": "resolved_at", "type": "datetime", "title": "Thời điểm xử lý xong",
   "title_en": "Resolved"},
  {"name": "result", "type": "string", "title": "Kết quả", "title_en": "Result",
   "constraints": {"required": true},
   "pdh:codes": [{"code": "resolved", "label": "Đã xử lý", "label_en": "Resolved",
                  "aliases": ["Đã giải quyết"]},
                 {"code": "in_progress", "label": "Đang xử lý", "label_en": "In progress"},
                 {"code": "transferred", "label": "Đã chuyển", "label_en": "Transferred"},
                 {"code": "rejected", "label": "Không thụ lý", "label_en": "Not accepted"}]},
  {"name": "satisfaction", "type": "string", "title": "Mức độ hài lòng",
   "title_en": "Satisfaction", "pdh:codes": @SATISFACTION@},
  {"name": "content", "type": "string", "title": "Nội dung", "title_en": "Content",
   "constraints": {"maxLength": 4000}}
 ],
 "primaryKey": ["feedback_id"],
 "missingValues": ["", "-", "N/A"]
})json";

Schema Build(std::string_view text) {
  std::string s(text);
  const std::string mark = "@SATISFACTION@";
  for (size_t p = s.find(mark); p != std::string::npos; p = s.find(mark)) {
    s.replace(p, mark.size(), kSatisfactionTemplate);
  }
  return Must(ParseSchema(boost::json::parse(s)));
}

}  // namespace

const std::vector<Template>& Templates() {
  static const std::vector<Template> kTemplates = {
      {"dossiers", "Hồ sơ thủ tục hành chính", "Administrative-procedure dossiers",
       "Hồ sơ thủ tục hành chính tiếp nhận tại các sở, ngành và xã, phường: kênh nộp, trực tuyến "
       "toàn trình, thanh toán trực tuyến, số hóa, thời hạn và mức độ hài lòng.",
       Build(kDossiers)},
      {"feedback_1022", "Phản ánh, kiến nghị qua 1022", "1022 citizen feedback",
       "Phản ánh, kiến nghị của người dân và doanh nghiệp qua hệ thống 1022: lĩnh vực, địa bàn, "
       "đơn vị xử lý, thời hạn, kết quả và mức độ hài lòng.",
       Build(kFeedback)},
  };
  return kTemplates;
}

const Template* FindTemplate(std::string_view name) {
  for (const auto& t : Templates()) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

}  // namespace pdh::ingest
