// `pdh catalog`: the catalog of platforms and databases, offline on the database file — the
// report's figures as of a date, the entries, one entry with its history, and bulk import and
// export as CSV or XLSX (the same checks as the API: a file with a bad row writes nothing).
#include <boost/json.hpp>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iomanip>
#include <iostream>
#include <iterator>
#include <sstream>

#include "auth/auth.h"
#include "catalog/catalog.h"
#include "cli/cli.h"
#include "core/json_util.h"

namespace pdh::cli {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

// Exit code of an import with row errors: invalid input, as for the other 400/422 errors.
constexpr int kInvalidInput = 2;

struct CatalogEnv {
  std::unique_ptr<store::Store> store;
  std::shared_ptr<const units::Registry> registry;
  SystemClock clock;
  std::unique_ptr<catalog::Catalog> catalog;
};

std::unique_ptr<CatalogEnv> OpenCatalogEnv(const Options& o) {
  auto env = std::make_unique<CatalogEnv>();
  env->store = OpenStore(o.db, false);
  env->registry = LoadRegistry(*env->store);
  env->catalog =
      std::make_unique<catalog::Catalog>(env->store->catalog(), env->registry, env->clock);
  return env;
}

Date DateOption(const std::string& s) {
  if (s.empty()) return Date::Today();
  auto d = Date::Parse(s);
  if (!d) {
    throw Failure(Error::BadRequest("cli.invalid_date",
                                    "'" + s + "' is not a date: use YYYY-MM-DD or DD/MM/YYYY"));
  }
  return *d;
}

void PrintJson(const json::value& v) {
  std::cout << json_util::Serialize(v) << "\n";
}

// --- summary -----------------------------------------------------------------------------------

void PrintFigure(std::string_view label, int64_t n, const std::string& detail = "") {
  std::cout << "  " << std::left << std::setw(28) << label << std::right << std::setw(5) << n;
  if (!detail.empty()) std::cout << "   " << detail;
  std::cout << "\n";
}

int CatalogSummary(const Options& o) {
  auto env = OpenCatalogEnv(o);
  const auto summary = Must(env->catalog->SummaryAsOf(DateOption(o.as_of)));
  if (o.json) {
    PrintJson(catalog::ToJson(summary));
    return 0;
  }
  const catalog::Counts& c = summary.total;
  std::cout << "Catalog as of " << summary.as_of.ToString() << "\n";
  PrintFigure("Digital platforms", c.platforms,
              "(in use " + std::to_string(c.platforms_in_use) + ")");
  PrintFigure("Specialized databases", c.databases);
  PrintFigure("  in use", c.databases_in_use,
              "(merged " + std::to_string(c.databases_merged) + ", not merged " +
                  std::to_string(c.databases_not_merged) + ")");
  PrintFigure("  under construction", c.databases_under_construction);
  PrintFigure("  planned", c.databases_planned);
  PrintFigure("  feeding the IOC", c.databases_ioc_connected);
  PrintFigure("National databases", c.national,
              "(connected " + std::to_string(c.national_connected) + ")");
  return 0;
}

// --- ls ----------------------------------------------------------------------------------------

catalog::Filter FilterFrom(const Options& o) {
  catalog::Filter f;
  if (!o.kind.empty()) {
    f.kind = catalog::kKindNames.Parse(o.kind);
    if (!f.kind) {
      throw Failure(
          Error::BadRequest("cli.invalid_kind", "--kind is platform, database or national"));
    }
  }
  if (!o.status.empty()) {
    f.status = catalog::kStatusNames.Parse(o.status);
    if (!f.status) {
      throw Failure(Error::BadRequest("cli.invalid_status",
                                      "--status is planned, under_construction, in_use, "
                                      "not_connected or connected"));
    }
  }
  f.q = o.query;
  f.limit = 1000;
  return f;
}

int CatalogList(const Options& o) {
  auto env = OpenCatalogEnv(o);
  catalog::Filter filter = FilterFrom(o);
  json::array all;
  do {
    auto page = Must(env->catalog->List(filter));
    for (const auto& r : page.items) {
      if (o.json) {
        all.push_back(catalog::ToJson(r));
        continue;
      }
      const catalog::Entry& e = r.entry;
      const auto consolidation = catalog::kConsolidationNames.Name(e.consolidation);
      std::cout << e.code << "\t" << catalog::kKindNames.Name(e.kind) << "\t"
                << catalog::kStatusNames.Name(e.status) << "\t"
                << (consolidation.empty() ? "-" : consolidation) << "\t" << e.owner << "\t"
                << e.name << "\n";
    }
    filter.after = page.next;
  } while (!filter.after.empty());
  if (o.json) PrintJson(all);
  return 0;
}

// --- show --------------------------------------------------------------------------------------

// A field's value as a person reads it: text as is, lists joined, links as "kind target".
std::string Shown(const json::value& v) {
  if (v.is_null()) return "-";
  if (const auto* s = v.if_string()) return s->empty() ? "-" : std::string(*s);
  if (const auto* b = v.if_bool()) return *b ? "yes" : "no";
  if (const auto* a = v.if_array()) {
    std::string out;
    for (const auto& item : *a) out += (out.empty() ? "" : "; ") + Shown(item);
    return out.empty() ? "-" : out;
  }
  if (const auto* o = v.if_object(); o && o->contains("kind") && o->contains("target")) {
    return Shown(o->at("kind")) + " " + Shown(o->at("target"));
  }
  return json_util::Serialize(v);
}

void PrintHistory(const std::vector<catalog::Version>& history) {
  std::cout << "History:\n";
  for (const auto& v : history) {
    std::cout << "  v" << v.number << "  effective " << v.effective.ToString() << "  recorded "
              << v.recorded_at << "  by " << v.actor;
    if (!v.reason.empty()) std::cout << "  reason: " << v.reason;
    std::cout << "\n";
    for (const auto& c : v.changes) {
      std::cout << "      " << c.field << ": ";
      if (v.number > 1) std::cout << Shown(c.before) << " -> ";
      std::cout << Shown(c.after) << "\n";
    }
  }
}

int CatalogShow(const Options& o) {
  auto env = OpenCatalogEnv(o);
  const auto record = Must(env->catalog->Get(o.code));
  if (o.json) {
    json::object out = catalog::ToJson(record);
    json::array linked;
    for (const auto& l : record.linked_from) {
      linked.push_back({{"kind", catalog::kLinkKindNames.Name(l.kind)}, {"code", l.target}});
    }
    out["linked_from"] = std::move(linked);
    PrintJson(out);
    return 0;
  }
  const catalog::Entry& e = record.entry;
  std::cout << e.code << "  " << e.name << "\n";
  for (const auto& [key, value] : catalog::ToJson(e)) {
    if (key == "code" || key == "name") continue;
    std::cout << "  " << std::left << std::setw(18) << std::string(key) << Shown(value) << "\n";
  }
  if (const auto* owner = env->registry->Find(e.owner, record.effective)) {
    std::cout << "  " << std::left << std::setw(18) << "owner name" << owner->name << "\n";
  }
  for (const auto& l : record.linked_from) {
    std::cout << "  " << std::left << std::setw(18) << "linked from"
              << catalog::kLinkKindNames.Name(l.kind) << " " << l.target << "\n";
  }
  std::cout << "  " << std::left << std::setw(18) << "version" << record.version << " (effective "
            << record.effective.ToString() << ")\n";
  PrintHistory(record.history);
  return 0;
}

// --- import and export -------------------------------------------------------------------------

enum class Format { kCsv, kXlsx };

Format FormatOf(const std::string& file) {
  std::string ext = fs::path(file).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (ext == ".csv") return Format::kCsv;
  if (ext == ".xlsx") return Format::kXlsx;
  throw Failure(Error::BadRequest(
      "cli.invalid_format", "'" + file + "' is neither .csv nor .xlsx: save it as one of them"));
}

// For --as: the units the account may write, as the API allows them (officers their own unit);
// rows of other units are refused.
std::function<bool(const std::string&)> MayEdit(CatalogEnv& env, const std::string& user) {
  return [p = OfflinePrincipal(*env.store, env.clock, user),
          registry = env.registry](const std::string& owner) {
    return auth::Allows(p, "catalog.write", registry->Find(owner, Date::Today()), *registry);
  };
}

void PrintImport(const std::string& file, const catalog::ImportReport& r) {
  std::cout << file << ": " << r.rows << (r.rows == 1 ? " row: " : " rows: ") << r.created
            << " created, " << r.updated << " updated, " << r.unchanged << " unchanged, "
            << r.rejected << " rejected";
  if (r.written) {
    std::cout << "; written\n";
  } else if (!r.errors.empty()) {
    std::cout << "; nothing written\n";
  } else if (r.dry_run) {
    std::cout << "; dry run, nothing written\n";
  } else {
    std::cout << "; nothing to change\n";
  }
  for (const auto& e : r.errors) {
    std::cout << "row " << e.row;
    if (!e.column.empty()) std::cout << ", column " << e.column;
    std::cout << ": " << e.code << ": " << e.message << "\n";
  }
  if (!r.errors.empty()) {
    std::cout << "Fix the rows above and import the file again: a file is written whole or not "
                 "at all.\n";
  }
}

int CatalogImport(const Options& o) {
  const Format format = FormatOf(o.file);
  std::ifstream in(o.file, std::ios::binary);
  if (!in) {
    throw Failure(Error::NotFound("cli.file_not_found", "cannot read '" + o.file + "'"));
  }
  auto env = OpenCatalogEnv(o);
  catalog::ImportOptions options;
  options.actor = o.user.empty() ? CliActor() : o.user;
  options.dry_run = o.dry_run;
  if (!o.user.empty()) options.may_edit = MayEdit(*env, o.user);
  // The entry commits with the import's write; an import that wrote nothing has none.
  auto log = OpenAuditLog(*env->store, env->clock);
  audit::Scope audit(
      *log, CommandEvent("catalog.import", o.user.empty() ? o.file : o.file + " as " + o.user));
  const catalog::ImportReport report =
      format == Format::kCsv
          ? Must(env->catalog->ImportCsv(in, options))
          : Must(env->catalog->ImportXlsx(
                std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()),
                options));
  if (report.written) Must(audit.Finish());
  if (o.json) {
    PrintJson(catalog::ToJson(report));
  } else {
    PrintImport(o.file, report);
  }
  return report.errors.empty() ? 0 : kInvalidInput;
}

int CatalogExport(const Options& o) {
  auto env = OpenCatalogEnv(o);
  if (o.file == "-") {
    Must(env->catalog->ExportCsv(std::cout));
    AuditCommand(*OpenAuditLog(*env->store, env->clock), "catalog.export", "stdout");
    return 0;
  }
  const Format format = FormatOf(o.file);
  // Built whole before the file is touched, so a failed export leaves an older file as it was.
  std::ostringstream bytes;
  Must(format == Format::kCsv ? env->catalog->ExportCsv(bytes) : env->catalog->ExportXlsx(bytes));
  std::ofstream out(o.file, std::ios::binary | std::ios::trunc);
  out << bytes.view();
  out.close();
  if (!out) throw Failure(Error::BadRequest("cli.cannot_write", "cannot write '" + o.file + "'"));
  AuditCommand(*OpenAuditLog(*env->store, env->clock), "catalog.export", o.file);
  std::cerr << "exported the catalog to " << o.file << "\n";
  return 0;
}

}  // namespace

void AddCatalogCommands(CLI::App& app, Options& o, int (*&action)(const Options&)) {
  auto common = [&](CLI::App* c, bool json) {
    c->add_option("--db", o.db, "Database file (default $PDH_DB or var/pdh.db)");
    if (json) c->add_flag("--json", o.json, "Machine-readable output");
  };
  auto* cat = app.add_subcommand("catalog", "Digital platforms, databases and national databases");
  cat->require_subcommand(1);

  auto* summary = cat->add_subcommand("summary", "The report's figures as of a date");
  common(summary, true);
  summary->add_option("--as-of", o.as_of, "Date, YYYY-MM-DD or DD/MM/YYYY (default today)");
  summary->callback([&] { action = CatalogSummary; });

  auto* ls = cat->add_subcommand("ls", "List the current entries, by code");
  common(ls, true);
  ls->add_option("--kind", o.kind, "platform, database or national");
  ls->add_option("--status", o.status,
                 "planned, under_construction, in_use, not_connected or connected");
  ls->add_option("--q", o.query, "Words in the name, code, sector or tags (diacritics optional)");
  ls->callback([&] { action = CatalogList; });

  auto* show = cat->add_subcommand("show", "One entry with its history");
  common(show, true);
  show->add_option("code", o.code, "Entry code")->required();
  show->callback([&] { action = CatalogShow; });

  auto* import = cat->add_subcommand(
      "import", "Import a .csv or .xlsx file; exit 2 when a row has errors (nothing written)");
  common(import, true);
  import->add_option("file", o.file, "File to import (.csv or .xlsx)")->required();
  import->add_flag("--dry-run", o.dry_run, "Check and count only; write nothing");
  import->add_option("--as", o.user,
                     "Record the changes as this account, limited to the units it may edit");
  import->callback([&] { action = CatalogImport;
});

auto* exp = cat->add_subcommand("export", "Export every current entry");
common(exp, false);
exp->add_option("file", o.file, "File to write (.csv or .xlsx); - for CSV on stdout")->required();
exp->callback([&] { action = CatalogExport; });
}  // namespace pdh::cli

}  // namespace pdh::cli
