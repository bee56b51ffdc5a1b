// The demo province's datasets on the catalog (which entry's data each holds), and the check a
// steward added to the dossiers' defaults: the same applicant's dossier entered twice.
#include "core/json_util.h"
#include "quality/quality.h"

namespace pdh::quality {

Status GenerateDemo(store::SettingsStore& settings, store::DatasetStore& datasets) {
  auto dossiers = ingest::LoadDataset(datasets, "dossiers");
  if (!dossiers) return Fail(dossiers.error());
  auto near = ParseChecks(json_util::Parse(R"json([{"id": "applicant_twice",
      "title": "Hồ sơ nhập hai lần (cùng người nộp, thủ tục, trong 3 ngày)",
      "type": "near_duplicate", "fields": ["applicant_name", "applicant_id"],
      "block": ["receiving_unit", "procedure_code"], "field": "received_at", "max_days": 3}])json"),
                          *dossiers);
  if (!near) return Fail(near.error());
  CheckSet steward;
  steward.checks = DefaultChecks(*dossiers);
  steward.checks.push_back(near->front());
  steward.stored = true;
  steward.catalog_entry = "CSDL-TTPVHCC-01";
  if (auto s = SaveChecks(settings, *dossiers, steward, "demo", "2025-11-01T00:00:00Z"); !s) {
    return s;
  }
  const std::pair<const char*, const char*> links[] = {{"feedback_1022", "NT-07"}};
  for (const auto& [code, entry] : links) {
    auto d = ingest::LoadDataset(datasets, code);
    if (!d) return Fail(d.error());
    auto set = LoadChecks(settings, *d);
    if (!set) return Fail(set.error());
    set->catalog_entry = entry;
    if (auto s = SaveChecks(settings, *d, *set, "demo", "2025-11-01T00:00:00Z"); !s) return s;
  }
  return Ok();
}

}  // namespace pdh::quality
