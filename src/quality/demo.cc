// The demo province's datasets on the catalog: which entry's data each holds.
#include "quality/quality.h"

namespace pdh::quality {

Status GenerateDemo(store::SettingsStore& settings, store::DatasetStore& datasets) {
  const std::pair<const char*, const char*> links[] = {{"dossiers", "CSDL-TTPVHCC-01"},
                                                       {"feedback_1022", "NT-07"}};
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
