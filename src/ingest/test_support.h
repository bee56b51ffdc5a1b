// What the ingest tests share: the real units of province 80 imported once into a template
// database, copied afresh for each test, the built-in datasets created in it, and short ways to
// send a batch and read the result.
#pragma once

#include <boost/json.hpp>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "ingest/ingest.h"
#include "units/test_support.h"

namespace pdh::ingest::testing {

// A small schema: a key, a required unit, an integer with a range, a date, a code list.
inline constexpr const char* kSmallSchema = R"({
  "fields": [
    {"name": "id", "type": "string", "title": "Mã", "constraints": {"required": true}},
    {"name": "unit", "type": "string", "title": "Đơn vị", "pdh:unit": {"partial": "review"},
     "constraints": {"required": true}},
    {"name": "count", "type": "integer", "title": "Số lượng",
     "constraints": {"minimum": 0, "maximum": 10000000}},
    {"name": "amount", "type": "number", "title": "Số tiền"},
    {"name": "day", "type": "date", "title": "Ngày", "pdh:period": true},
    {"name": "kind", "type": "string", "title": "Loại",
     "pdh:codes": [{"code": "a", "label": "Loại A"}, {"code": "b", "label": "Loại B"}]},
    {"name": "note", "type": "string", "title": "Ghi chú", "constraints": {"maxLength": 50}}
  ],
  "primaryKey": ["id"]
})";

class IngestTest : public units::testing::UnitsTest {
 protected:
  void SetUp() override {
    ASSERT_TRUE(registry_);
    store_ = OpenCopy(Name());
    ASSERT_TRUE(store_);
  }

  void TearDown() override {
    store_.reset();
    RemoveCopy(Name());
  }

  static const units::Registry& registry() { return **registry_; }
  store::Store& store() { return *store_; }
  store::DatasetStore& datasets() { return store_->datasets(); }

  Dataset Create(const std::string& code, const std::string& template_name) {
    NewDataset nd;
    nd.code = code;
    nd.template_name = template_name;
    auto d = CreateDataset(datasets(), registry(), nd, "test", "2025-11-01T00:00:00Z");
    EXPECT_TRUE(d) << d.error().message;
    return d ? *d : Dataset{};
  }

  Dataset CreateSmall(const std::string& code = "small") {
    NewDataset nd;
    nd.code = code;
    nd.title = "Tập nhỏ";
    nd.schema = *ParseSchema(boost::json::parse(kSmallSchema));
    auto d = CreateDataset(datasets(), registry(), nd, "test", "2025-11-01T00:00:00Z");
    EXPECT_TRUE(d) << d.error().message;
    return d ? *d : Dataset{};
  }

  static Options Opts(Format f = Format::kCsv) {
    Options o;
    o.format = f;
    o.by = "test";
    o.at = "2025-11-01T00:00:00Z";
    return o;
  }

  Result<Report> Send(const Dataset& d, std::string bytes, Options o = Opts()) {
    return IngestBytes(datasets(), registry(), d, std::move(bytes), o);
  }

  int64_t Rows(const Dataset& d) { return *store_->datasets().RowCount(d.row.code); }

  // Old commune codes of the crosswalk, each naming no other unit: one merged whole into a
  // single new commune (with that commune), one divided between several.
  struct OldCodes {
    std::string whole, whole_new, divided;
  };
  static OldCodes FindOldCodes() {
    OldCodes out;
    for (const auto& u : registry().all()) {
      auto s = registry().Resolve(u.code);
      if (s.empty() || u.ValidOn(Date{2025, 8, 1}) || registry().FindAllEras(u.code).size() != 1) {
        continue;
      }
      std::vector<const units::Unit*> targets;
      for (const auto& x : s) {
        if (std::find(targets.begin(), targets.end(), x.new_unit) == targets.end()) {
          targets.push_back(x.new_unit);
        }
      }
      if (targets.size() == 1 && out.whole.empty()) {
        out.whole = u.code;
        out.whole_new = targets.front()->code;
      }
      if (targets.size() > 1 && out.divided.empty()) out.divided = u.code;
    }
    return out;
  }

 private:
  std::unique_ptr<store::Store> store_;
};

}  // namespace pdh::ingest::testing
