// `pdh ingest` and `pdh datasets`: files into datasets as atomic batches (with a progress bar on
// a terminal), and the datasets, their schemas, batches, records and Data Packages, offline on
// the database file.
#include <unistd.h>

#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "cli/cli.h"
#include "core/json_util.h"
#include "core/number.h"
#include "ingest/ingest.h"

namespace pdh::cli {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

// Exit code when rows were rejected: bad input, as for the catalog import (README: 2).
constexpr int kRowsRejected = 2;

struct DatasetsEnv {
  std::unique_ptr<store::Store> store;
  std::shared_ptr<const units::Registry> registry;
  SystemClock clock;
};

std::unique_ptr<DatasetsEnv> OpenDatasetsEnv(const Options& o) {
  auto env = std::make_unique<DatasetsEnv>();
  env->store = OpenStore(o.db, false);
  env->registry = LoadRegistry(*env->store);
  return env;
}

// Thousands with dots, as Vietnamese figures are written: 1.234.567.
std::string Grouped(int64_t n) {
  return number::FormatVi(n);
}

void PrintReport(const ingest::Report& r, const std::string& file) {
  std::cout << file << ": " << r.status;
  if (r.status == "duplicate") {
    std::cout << " of batch " << r.duplicate_of << " — nothing changed\n";
    return;
  }
  std::cout << " (batch " << r.id << ", " << r.duration_ms << " ms)\n"
            << "  read " << Grouped(r.read) << ", imported " << Grouped(r.imported) << ", updated "
            << Grouped(r.updated) << ", unchanged " << Grouped(r.unchanged) << ", rejected "
            << Grouped(r.rejected) << "\n";
  if (r.encoding != "utf-8") {
    std::cout << "  encoding " << r.encoding << ": " << Grouped(r.converted_cells)
              << " cells converted to Unicode\n";
  }
  if (r.resolved_old_codes > 0 || r.resolved_by_name > 0) {
    std::cout << "  units: " << Grouped(r.resolved_old_codes)
              << " old codes resolved through the 2025 crosswalk, " << Grouped(r.resolved_by_name)
              << " named\n";
  }
  for (const auto& w : r.warnings) std::cout << "  ! " << w << "\n";
  size_t shown = 0;
  for (const auto& e : r.errors) {
    if (++shown > 20) break;
    std::cout << "  row " << e.row << (e.column.empty() ? "" : ", " + e.column) << ": " << e.code
              << ": " << e.message << "\n";
  }
  if (r.errors_total > 20) {
    std::cout << "  … " << Grouped(r.errors_total - 20) << " more: `pdh datasets batch " << r.id
              << " --rejected-csv FILE`\n";
  }
  if (r.status == "rejected") {
    std::cout << "  nothing was written: fix the rows above and send the file again, or pass "
                 "--accept-valid to keep the valid rows\n";
  }
}

int Ingest(const Options& o) {
  auto env = OpenDatasetsEnv(o);
  const ingest::Dataset d = Must(ingest::LoadDataset(env->store->datasets(), o.dataset));
  std::function<bool(const units::Unit&)> may_write;
  std::string by = CliActor();
  if (!o.user.empty()) {
    by = o.user;
    may_write = [p = OfflinePrincipal(*env->store, env->clock, o.user),
                 registry = env->registry](const units::Unit& u) {
      return auth::Allows(p, "datasets.write", &u, *registry);
    };
  }
  const bool bar = !o.no_progress && !o.json && isatty(STDERR_FILENO) != 0;
  auto log = OpenAuditLog(*env->store, env->clock);
  json::array reports;
  int code = 0;
  for (const auto& file : o.files) {
    ingest::Options options;
    auto format = o.format.empty() ? ingest::GuessFormat(file) : ingest::ParseFormat(o.format);
    if (!format) {
      throw Failure(Error::BadRequest(
          "cli.invalid_format",
          "cannot tell the format of '" + file + "': pass --format csv|xlsx|json|ndjson"));
    }
    options.format = *format;
    options.sheet = o.sheet;
    options.encoding = o.encoding;
    options.dry_run = o.dry_run;
    options.accept_valid = o.accept_valid;
    options.client_id = o.batch_id;
    options.reingest = o.reingest;
    options.limits = LimitsOf(o);
    options.file_name = fs::path(file).filename().string();
    options.by = by;
    options.at = FormatTime(env->clock.Now());
    options.may_write = may_write;
    std::error_code ec;
    const auto size = fs::file_size(file, ec);
    if (bar) {
      options.progress = [&, size](uint64_t bytes, uint64_t rows) {
        const bool by_bytes = *format != ingest::Format::kXlsx && size > 0;
        const double share =
            by_bytes ? std::min(1.0, static_cast<double>(bytes) / static_cast<double>(size)) : 0;
        const int filled = static_cast<int>(share * 30);
        std::cerr << "\r" << options.file_name << " ["
                  << std::string(static_cast<size_t>(filled), '#')
                  << std::string(static_cast<size_t>(30 - filled), ' ') << "] ";
        if (by_bytes) std::cerr << std::setw(3) << static_cast<int>(share * 100) << "% ";
        std::cerr << Grouped(static_cast<int64_t>(rows)) << " rows" << std::flush;
      };
    }
    // The batch's audit entry commits in the batch's transaction: it is made there, once the
    // batch has its id, from the report handed over before the commit.
    int64_t batch_id = 0;
    options.on_report = [&batch_id](const ingest::Report& r) { batch_id = r.id; };
    audit::Scope audit(*log, [&] {
      return CommandEvent(o.dry_run ? "datasets.ingest_dry_run" : "datasets.ingest",
                          d.row.code + " " + file + " batch " + std::to_string(batch_id));
    });
    auto report = ingest::IngestFile(env->store->datasets(), *env->registry, d, file, options);
    if (bar) std::cerr << "\n";
    if (!report) throw Failure(report.error());
    Must(audit.Finish());
    if (report->rejected > 0) code = kRowsRejected;
    if (o.json) {
      reports.push_back(report->ToJson());
    } else {
      PrintReport(*report, file);
    }
  }
  if (o.json) {
    std::cout << json_util::Serialize(reports.size() == 1 ? reports.front() : json::value(reports))
              << "\n";
  }
  return code;
}

json::object Summary(store::DatasetStore& datasets, const ingest::Dataset& d) {
  int personal = 0;
  for (const auto& f : d.schema.fields) personal += f.personal ? 1 : 0;
  return {{"code", d.row.code},
          {"title", d.row.title},
          {"title_en", d.row.title_en},
          {"version", d.row.version},
          {"rows", Must(ingest::RowCount(datasets, d.row.code))},
          {"fields", d.schema.fields.size()},
          {"personal_fields", personal},
          {"updated_at", d.row.updated_at}};
}

int ListDatasets(const Options& o) {
  auto env = OpenDatasetsEnv(o);
  const auto sets = Must(ingest::ListDatasets(env->store->datasets()));
  json::array items;
  for (const auto& d : sets) items.push_back(Summary(env->store->datasets(), d));
  if (o.json) {
    std::cout << json_util::Serialize(json::object{{"items", items}}) << "\n";
    return 0;
  }
  for (const auto& v : items) {
    const auto& i = v.as_object();
    std::cout << std::left << std::setw(16) << std::string(i.at("code").as_string()) << " v"
              << i.at("version").as_int64() << "  " << std::right << std::setw(12)
              << Grouped(i.at("rows").as_int64()) << " rows  "
              << std::string(i.at("title").as_string()) << "\n";
  }
  return 0;
}

int Show(const Options& o) {
  auto env = OpenDatasetsEnv(o);
  const auto d = Must(ingest::LoadDataset(env->store->datasets(), o.dataset));
  if (o.json) {
    json::object out = Summary(env->store->datasets(), d);
    out["schema"] = d.schema.ToJson();
    std::cout << json_util::Serialize(out) << "\n";
    return 0;
  }
  std::cout << d.row.title << " (" << d.row.code << ", version " << d.row.version << ", table ds_"
            << d.row.code << ")\n";
  if (!d.row.description.empty()) std::cout << d.row.description << "\n";
  std::cout << Grouped(Must(ingest::RowCount(env->store->datasets(), d.row.code))) << " rows\n\n";
  for (const auto& f : d.schema.fields) {
    std::cout << "  " << std::left << std::setw(22) << f.name << std::setw(10)
              << ingest::TypeName(f.type) << (f.required ? "required " : "         ") << f.title;
    if (f.unit) std::cout << "  [unit]";
    if (f.personal) std::cout << "  [personal]";
    if (!f.codes.empty()) {
      std::cout << "  {";
      for (size_t i = 0; i < f.codes.size(); ++i) {
        std::cout << (i ? ", " : "") << f.codes[i].code;
      }
      std::cout << "}";
    }
    std::cout << "\n";
  }
  std::cout << "primary key: ";
  for (const auto& k : d.schema.primary_key) std::cout << k << " ";
  std::cout << "\n";
  return 0;
}

int Templates(const Options& o) {
  json::array items;
  for (const auto& t : ingest::Templates()) {
    items.push_back({{"name", t.name}, {"title", t.title}, {"schema", t.schema.ToJson()}});
    if (!o.json) std::cout << std::left << std::setw(16) << t.name << t.title << "\n";
  }
  if (o.json) std::cout << json_util::Serialize(json::object{{"items", items}}) << "\n";
  return 0;
}

ingest::Schema ReadSchema(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw Failure(Error::BadRequest("cli.file_not_found", "cannot read '" + path + "'"));
  std::stringstream text;
  text << in.rdbuf();
  boost::system::error_code ec;
  json::value v = json::parse(text.str(), ec);
  if (ec) {
    throw Failure(Error::Invalid("schema.invalid", path + " is not JSON: " + ec.message()));
  }
  // A Data Package resource or the bare schema.
  if (v.is_object() && v.as_object().contains("schema")) v = v.as_object().at("schema");
  return Must(ingest::ParseSchema(v));
}

int Create(const Options& o) {
  auto env = OpenDatasetsEnv(o);
  ingest::NewDataset nd;
  nd.code = o.dataset.empty() ? o.template_name : o.dataset;
  nd.template_name = o.template_name;
  nd.title = o.title;
  nd.owner_unit = o.unit;
  if (!o.schema_file.empty()) nd.schema = ReadSchema(o.schema_file);
  auto log = OpenAuditLog(*env->store, env->clock);
  audit::Scope audit(*log, CommandEvent("datasets.create", nd.code));
  const auto d = Must(ingest::CreateDataset(env->store->datasets(), *env->registry, nd, CliActor(),
                                            FormatTime(env->clock.Now())));
  Must(audit.Finish());
  if (o.json) {
    std::cout << json_util::Serialize(Summary(env->store->datasets(), d)) << "\n";
  } else {
    std::cout << "created dataset " << d.row.code << " (table ds_" << d.row.code << ", "
              << d.schema.fields.size() << " fields)\n";
  }
  return 0;
}

int UpdateSchema(const Options& o) {
  auto env = OpenDatasetsEnv(o);
  const ingest::Schema schema = ReadSchema(o.schema_file);
  auto log = OpenAuditLog(*env->store, env->clock);
  audit::Scope audit(*log, CommandEvent("datasets.schema", o.dataset));
  const auto d = Must(ingest::ChangeSchema(env->store->datasets(), o.dataset, schema, o.note,
                                           CliActor(), FormatTime(env->clock.Now())));
  Must(audit.Finish());
  std::cout << "dataset " << d.row.code << " is at schema version " << d.row.version << "\n";
  return 0;
}

int Records(const Options& o) {
  auto env = OpenDatasetsEnv(o);
  const auto d = Must(ingest::LoadDataset(env->store->datasets(), o.dataset));
  ingest::RecordFilter f;
  f.limit = o.limit;
  f.text = o.query;
  f.unit = o.unit;
  const auto list = Must(ingest::QueryRecords(env->store->datasets(), *env->registry, d, f));
  if (o.json) {
    json::array items;
    for (const auto& i : list.items) items.push_back(i);
    std::cout << json_util::Serialize(json::object{{"items", items}, {"total", list.total}})
              << "\n";
    return 0;
  }
  for (const auto& i : list.items) std::cout << json_util::Serialize(i) << "\n";
  std::cout << Grouped(list.total) << " records\n";
  return 0;
}

int Batches(const Options& o) {
  auto env = OpenDatasetsEnv(o);
  Must(ingest::LoadDataset(env->store->datasets(), o.dataset));
  const auto rows = Must(ingest::ListBatches(env->store->datasets(), o.dataset, 0, o.limit));
  json::array items;
  for (const auto& [b, r] : rows) {
    if (o.json) {
      items.push_back(r.ToJson());
    } else {
      std::cout << std::setw(6) << b.id << "  " << b.created_at << "  " << std::left
                << std::setw(10) << b.status << std::right << " " << Grouped(r.imported)
                << " imported, " << Grouped(r.updated) << " updated, " << Grouped(r.rejected)
                << " rejected  " << r.file_name << "\n";
    }
  }
  if (o.json) std::cout << json_util::Serialize(json::object{{"items", items}}) << "\n";
  return 0;
}

int Batch(const Options& o) {
  auto env = OpenDatasetsEnv(o);
  int64_t id = 0;
  try {
    id = std::stoll(o.batch_id);
  } catch (const std::exception&) {
    throw Failure(Error::BadRequest("cli.invalid_batch", "'" + o.batch_id + "' is not a batch id"));
  }
  const auto r = Must(ingest::LoadReport(env->store->datasets(), id));
  if (!o.out.empty()) {
    std::ofstream out(o.out, std::ios::binary);
    Must(ingest::WriteRejectedCsv(env->store->datasets(), id, out));
    if (!out) throw Failure(Error::BadRequest("cli.write_failed", "cannot write '" + o.out + "'"));
  }
  if (o.json) {
    std::cout << json_util::Serialize(r.ToJson()) << "\n";
  } else {
    PrintReport(r, r.file_name);
  }
  return 0;
}

int ExportPackage(const Options& o) {
  auto env = OpenDatasetsEnv(o);
  std::vector<ingest::Dataset> sets;
  if (o.files.empty()) {
    sets = Must(ingest::ListDatasets(env->store->datasets()));
  } else {
    for (const auto& code : o.files)
      sets.push_back(Must(ingest::LoadDataset(env->store->datasets(), code)));
  }
  Must(ingest::ExportPackage(env->store->datasets(), sets, o.dir));
  AuditCommand(*OpenAuditLog(*env->store, env->clock), "datasets.export_package", o.dir);
  std::cout << "wrote " << o.dir << "/datapackage.json and " << sets.size() << " CSV files\n";
  return 0;
}

int ImportPackage(const Options& o) {
  auto env = OpenDatasetsEnv(o);
  ingest::Options options;
  options.by = CliActor();
  options.at = FormatTime(env->clock.Now());
  options.dry_run = o.dry_run;
  options.accept_valid = o.accept_valid;
  auto log = OpenAuditLog(*env->store, env->clock);
  audit::Scope audit(*log, CommandEvent("datasets.import_package", o.dir));
  const auto reports =
      Must(ingest::ImportPackage(env->store->datasets(), *env->registry, o.dir, options));
  Must(audit.Finish());
  int code = 0;
  json::array items;
  for (const auto& r : reports) {
    if (r.rejected > 0) code = kRowsRejected;
    if (o.json) {
      items.push_back(r.ToJson());
    } else {
      PrintReport(r, r.dataset + "/" + r.file_name);
    }
  }
  if (o.json) std::cout << json_util::Serialize(json::object{{"items", items}}) << "\n";
  return code;
}

}  // namespace

void AddLimitOptions(CLI::App* c, Options& o) {
  c->add_option("--max-unzipped-mb", o.max_unzipped_mb,
                "XLSX: MiB one part of the workbook may inflate to")
      ->capture_default_str();
  c->add_option("--max-ratio", o.max_ratio,
                "XLSX: how many times its compressed size a part may inflate to")
      ->capture_default_str();
  c->add_option("--max-columns", o.max_columns, "Cells in one row of a file")
      ->capture_default_str();
  c->add_option("--max-cells", o.max_cells, "Cells in one file")->capture_default_str();
}

ingest::Limits LimitsOf(const Options& o) {
  ingest::Limits l;
  l.max_unzipped_bytes = o.max_unzipped_mb << 20;
  l.max_ratio = o.max_ratio;
  l.max_columns = o.max_columns;
  l.max_cells = o.max_cells;
  return l;
}

void AddDatasetCommands(CLI::App& app, Options& o, int (*&action)(const Options&)) {
  auto add_db = [&](CLI::App* c) {
    c->add_option("--db", o.db, "Database file")->capture_default_str();
    c->add_flag("--json", o.json, "Machine-readable output");
  };
  auto* ingest = app.add_subcommand(
      "ingest", "Load CSV, XLSX, JSON or NDJSON files into a dataset, one atomic batch per file");
  add_db(ingest);
  ingest->add_option("dataset", o.dataset, "Dataset code (see `pdh datasets ls`)")->required();
  ingest->add_option("files", o.files, "Files to load")->required();
  ingest->add_option("--format", o.format, "csv, xlsx, json or ndjson (default: from the name)");
  ingest->add_option("--sheet", o.sheet, "XLSX: the sheet to read (default the first)");
  ingest
      ->add_option("--encoding", o.encoding,
                   "CSV: auto (default), utf-8, tcvn3, vni, viscii or cp1258")
      ->capture_default_str();
  ingest->add_flag("--dry-run", o.dry_run, "Check everything, write nothing");
  ingest->add_flag("--accept-valid", o.accept_valid,
                   "Write the valid rows even when some are rejected (default: all or nothing)");
  ingest->add_option("--batch-id", o.batch_id,
                     "Your id for the batch: sending it again changes nothing");
  ingest->add_flag("--reingest", o.reingest,
                   "Read the file again even when the same content was already ingested");
  AddLimitOptions(ingest, o);
  ingest->add_option("--as", o.user, "Load as this account, limited to the units it may write");
  ingest->add_flag("--no-progress", o.no_progress, "No progress bar");
  ingest->callback([&] { action = Ingest; });

  auto* ds = app.add_subcommand("datasets", "Datasets: schemas, batches, records, Data Packages");
  ds->require_subcommand(1);
  auto* ls = ds->add_subcommand("ls", "List the datasets");
  add_db(ls);
  ls->callback([&] { action = ListDatasets; });
  auto* show = ds->add_subcommand("show", "A dataset's schema");
  add_db(show);
  show->add_option("dataset", o.dataset, "Dataset code")->required();
  show->callback([&] { action = Show; });
  auto* templates = ds->add_subcommand("templates", "The built-in dataset templates");
  templates->add_flag("--json", o.json, "Machine-readable output");
  templates->callback([&] { action = Templates; });
  auto* create = ds->add_subcommand("create", "Create a dataset from a template or a schema");
  add_db(create);
  create->add_option("dataset", o.dataset, "Dataset code (default: the template's name)");
  create->add_option("--template", o.template_name, "dossiers or feedback_1022");
  create->add_option("--schema", o.schema_file, "A Table Schema (JSON) file");
  create->add_option("--title", o.title, "Title (Vietnamese)");
  create->add_option("--owner", o.unit, "Owner unit code");
  create->callback([&] { action = Create; });
  auto* update = ds->add_subcommand("update-schema", "Store a new schema version");
  add_db(update);
  update->add_option("dataset", o.dataset, "Dataset code")->required();
  update->add_option("schema", o.schema_file, "A Table Schema (JSON) file")->required();
  update->add_option("--note", o.note, "Why the schema changes");
  update->callback([&] { action = UpdateSchema; });
  auto* records = ds->add_subcommand("records", "A dataset's records");
  add_db(records);
  records->add_option("dataset", o.dataset, "Dataset code")->required();
  records->add_option("--limit", o.limit, "How many")->capture_default_str();
  records->add_option("--q", o.query, "Text to look for (diacritics optional)");
  records->add_option("--unit", o.unit, "Only this unit and the units below it");
  records->callback([&] { action = Records; });
  auto* batches = ds->add_subcommand("batches", "A dataset's batches, newest first");
  add_db(batches);
  batches->add_option("dataset", o.dataset, "Dataset code")->required();
  batches->add_option("--limit", o.limit, "How many")->capture_default_str();
  batches->callback([&] { action = Batches; });
  auto* batch = ds->add_subcommand("batch", "One batch's report");
  add_db(batch);
  batch->add_option("id", o.batch_id, "Batch id")->required();
  batch->add_option("--rejected-csv", o.out, "Write every rejected row to this CSV file");
  batch->callback([&] { action = Batch; });
  auto* exp = ds->add_subcommand("export-package", "Write a Frictionless Data Package");
  add_db(exp);
  exp->add_option("dir", o.dir, "Directory to write")->required();
  exp->add_option("datasets", o.files, "Dataset codes (default: all)");
  exp->callback([&] { action = ExportPackage; });
  auto* imp = ds->add_subcommand("import-package", "Load a Frictionless Data Package");
  add_db(imp);
  imp->add_option("dir", o.dir, "Directory with datapackage.json")->required();
  imp->add_flag("--dry-run", o.dry_run, "Check everything, write nothing");
  imp->add_flag("--accept-valid", o.accept_valid, "Write the valid rows of each resource");
  imp->callback([&] { action = ImportPackage; });
}

}  // namespace pdh::cli
