// Frictionless Data Packages: a directory with datapackage.json and one CSV per dataset, written
// from the store or read into it (through the same batches as any upload).
#include <boost/json.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/json_util.h"
#include "core/sheet.h"
#include "ingest/ingest.h"

namespace pdh::ingest {
namespace {

namespace json = boost::json;
namespace fs = std::filesystem;

std::string CellText(const Field& f, const store::Cell& c) {
  if (const auto* n = std::get_if<int64_t>(&c)) {
    if (f.type == FieldType::kBoolean) return *n != 0 ? "true" : "false";
    return std::to_string(*n);
  }
  if (const auto* d = std::get_if<double>(&c)) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.15g", *d);
    return buf;
  }
  if (const auto* s = std::get_if<std::string>(&c)) return *s;
  return "";
}

Error PackageError(const std::string& what) {
  return Error::Invalid("package.invalid", what);
}

}  // namespace

json::object PackageDescriptor(const std::vector<Dataset>& datasets) {
  json::array resources;
  for (const auto& d : datasets) {
    json::object r{{"name", d.row.code},
                   {"path", d.row.code + ".csv"},
                   {"profile", "tabular-data-resource"},
                   {"title", d.row.title},
                   {"format", "csv"},
                   {"mediatype", "text/csv"},
                   {"encoding", "utf-8"},
                   {"schema", d.schema.ToJson()}};
    if (!d.row.title_en.empty()) r["title_en"] = d.row.title_en;
    if (!d.row.description.empty()) r["description"] = d.row.description;
    if (!d.row.owner_unit.empty()) r["pdh:owner_unit"] = d.row.owner_unit;
    resources.push_back(std::move(r));
  }
  return {{"name", "pdh-datasets"},
          {"profile", "tabular-data-package"},
          {"resources", std::move(resources)}};
}

Status ForEachRecordText(store::DatasetStore& store, const Dataset& d,
                         const std::function<Status(const std::vector<std::string>&)>& fn) {
  std::vector<std::string> cells(d.schema.fields.size());
  return store.ForEachRecord(d.table, [&](const std::vector<store::Cell>& row) {
    for (size_t i = 0; i < cells.size(); ++i) cells[i] = CellText(d.schema.fields[i], row[i]);
    return fn(cells);
  });
}

Status ExportPackage(store::DatasetStore& store, const std::vector<Dataset>& datasets,
                     const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Fail(PackageError("cannot create '" + dir + "': " + ec.message()));
  {
    std::ofstream out(fs::path(dir) / "datapackage.json");
    out << json::serialize(PackageDescriptor(datasets)) << "\n";
    if (!out) return Fail(PackageError("cannot write datapackage.json in '" + dir + "'"));
  }
  for (const auto& d : datasets) {
    std::ofstream out(fs::path(dir) / (d.row.code + ".csv"), std::ios::binary);
    std::vector<std::string> header;
    for (const auto& f : d.schema.fields) header.push_back(f.name);
    out << "\xEF\xBB\xBF";
    WriteCsvRow(out, header);
    auto s = ForEachRecordText(store, d, [&](const std::vector<std::string>& cells) {
      WriteCsvRow(out, cells);
      return Ok();
    });
    if (!s) return s;
    if (!out) return Fail(PackageError("cannot write " + d.row.code + ".csv in '" + dir + "'"));
  }
  return Ok();
}

Result<std::vector<Report>> ImportPackage(store::DatasetStore& store,
                                          const units::Registry& registry, const std::string& dir,
                                          const Options& options) {
  std::ifstream in(fs::path(dir) / "datapackage.json");
  if (!in) return Fail(PackageError("no datapackage.json in '" + dir + "'"));
  std::stringstream text;
  text << in.rdbuf();
  boost::system::error_code ec;
  json::value pkg = json::parse(text.str(), ec);
  if (ec || !pkg.is_object() || !pkg.as_object().contains("resources") ||
      !pkg.as_object().at("resources").is_array()) {
    return Fail(PackageError("datapackage.json must be a JSON object with a list of resources"));
  }
  std::vector<Report> reports;
  for (const auto& rv : pkg.as_object().at("resources").as_array()) {
    if (!rv.is_object()) return Fail(PackageError("each resource is an object"));
    const json::object& r = rv.as_object();
    auto str = [&](std::string_view k) {
      const json::value* v = r.if_contains(k);
      return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
    };
    const std::string name = str("name");
    std::string path = str("path");
    if (name.empty() || path.empty()) {
      return Fail(PackageError("each resource needs a name and a path (one CSV file)"));
    }
    if (path.find("..") != std::string::npos || fs::path(path).is_absolute() ||
        path.find("://") != std::string::npos) {
      return Fail(
          PackageError("resource " + name + ": the path must be a file inside the package"));
    }
    json::value schema_v;
    if (const json::value* s = r.if_contains("schema"); s != nullptr && s->is_object()) {
      schema_v = *s;
    } else if (s != nullptr && s->is_string()) {
      std::ifstream sf(fs::path(dir) / std::string(s->as_string()));
      std::stringstream st;
      st << sf.rdbuf();
      schema_v = json_util::Parse(st.str());
    }
    auto existing = LoadDataset(store, name);
    Dataset d;
    if (existing) {
      d = std::move(*existing);
    } else if (existing.error().code == "dataset.not_found") {
      auto schema = ParseSchema(schema_v);
      if (!schema) return Fail(schema.error());
      NewDataset nd;
      nd.code = name;
      nd.title = str("title").empty() ? name : str("title");
      nd.title_en = str("title_en");
      nd.description = str("description");
      nd.owner_unit = str("pdh:owner_unit");
      nd.schema = std::move(*schema);
      auto created = CreateDataset(store, registry, nd, options.by, options.at);
      if (!created) return Fail(created.error());
      d = std::move(*created);
    } else {
      return Fail(existing.error());
    }
    Options o = options;
    o.format = Format::kCsv;
    o.file_name = path;
    o.plain_numbers = true;
    auto report = IngestFile(store, registry, d, (fs::path(dir) / path).string(), o);
    if (!report) return Fail(report.error());
    reports.push_back(std::move(*report));
  }
  return reports;
}

}  // namespace pdh::ingest
