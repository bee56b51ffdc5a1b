// `pdh indicators` and `pdh values`: the index set's definitions in and out, the standard packs a
// province installs, reported values from files (pdh CSV/XLSX/JSON, DHIS2 dataValueSets), and the
// engine run offline on the database file: a full recompute with its timing, every value as CSV,
// the freshness as of a date.
#include <boost/json.hpp>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/cli.h"
#include "core/json_util.h"
#include "core/number.h"
#include "core/sheet.h"
#include "engine/engine.h"

namespace pdh::cli {
namespace {

namespace json = boost::json;

constexpr int kRejected = 2;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw Failure(Error::BadRequest("cli.file_not_found", "cannot read '" + path + "'"));
  }
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

int Import(const Options& o) {
  auto store = OpenStore(o.db, false);
  auto doc = json::parse(ReadFile(o.file));
  const auto set = Must(engine::ParseIndexSet(doc));
  SystemClock clock;
  auto log = OpenAuditLog(*store, clock);
  audit::Scope audit(*log, CommandEvent("indicators.import", o.file));
  Must(engine::SaveIndexSet(EngineStores(*store), set, CliActor(), FormatTime(clock.Now())));
  Must(audit.Finish());
  std::cout << "imported " << set.sectors.size() << " sectors, " << set.elements.size()
            << " elements, " << set.indicators.size() << " indicators, " << set.constants.size()
            << " constants\n";
  return 0;
}

int Export(const Options& o) {
  auto store = OpenStore(o.db, false);
  const std::string text =
      json_util::Serialize(engine::ToJson(Must(engine::LoadIndexSet(store->index()))));
  if (o.out.empty() || o.out == "-") {
    std::cout << text << "\n";
  } else {
    std::ofstream(o.out) << text << "\n";
  }
  return 0;
}

std::unique_ptr<engine::Engine> OpenEngine(
    store::Store& store, engine::Engine::Start start = engine::Engine::Start::kSaved,
    engine::SyncStats* stats = nullptr) {
  return Must(engine::Engine::Open(EngineStores(store), LoadRegistry(store), HomeProvince(store),
                                   start, stats));
}

int ListIndicators(const Options& o) {
  auto store = OpenStore(o.db, false);
  auto eng = OpenEngine(*store);
  const auto snap = eng->snapshot();
  const Date as_of = o.as_of.empty() ? engine::DefaultAsOf(*store) : *Date::Parse(o.as_of);
  json::array items;
  int64_t updated = 0;
  for (const auto& f : engine::IndicatorFreshness(snap, as_of)) {
    updated += f.updated ? 1 : 0;
    const auto& ind = *f.indicator;
    json::value latest;
    std::string shown = "-";
    if (f.last) {
      if (auto v = snap.Value(ind.code, snap.province().code, *f.last)) {
        latest = *v;
        // As people write figures: 237.000, 99,6 % (two decimals at most).
        shown = number::FormatVi(*v, 2) + (ind.measure == "%" ? " %" : "");
      }
    }
    if (o.json) {
      items.push_back({{"code", ind.code},
                       {"name", ind.name},
                       {"sector", ind.sector},
                       {"updated", f.updated},
                       {"latest_period", f.last ? json::value(f.last->Id()) : json::value()},
                       {"latest_value", latest}});
    } else {
      std::printf("%-16s %-8s %-10s %14s  %s\n", ind.code.c_str(), f.updated ? "updated" : "stale",
                  f.last ? f.last->Id().c_str() : "-", shown.c_str(), ind.name.c_str());
    }
  }
  const size_t total = snap.set().indicators.size();
  if (o.json) {
    std::cout << json_util::Serialize(json::object{{"as_of", as_of.ToString()},
                                                   {"total", total},
                                                   {"updated", updated},
                                                   {"items", std::move(items)}})
              << "\n";
  } else {
    std::cout << number::FormatVi(updated) << " of "
              << number::FormatVi(static_cast<int64_t>(total)) << " indicators updated as of "
              << as_of.ToString() << "\n";
  }
  return 0;
}

int Recompute(const Options& o) {
  auto store = OpenStore(o.db, false);
  // One full build from the records, timed; the state it makes is saved for the next start.
  engine::SyncStats stats;
  auto eng = OpenEngine(*store, engine::Engine::Start::kRebuild, &stats);
  const double ms = static_cast<double>(stats.duration_us) / 1000;
  const auto save_start = std::chrono::steady_clock::now();
  Must(eng->Save());
  const auto save_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - save_start)
          .count();
  if (o.json) {
    std::cout << json_util::Serialize(json::object{{"duration_ms", ms},
                                                   {"save_ms", save_ms},
                                                   {"records", stats.records},
                                                   {"values", stats.values},
                                                   {"series", stats.series}})
              << "\n";
  } else {
    std::cout << "recomputed " << stats.series << " series from " << stats.records
              << " records and " << stats.values << " values in " << ms << " ms\n";
  }
  return 0;
}

// Loads the saved state (brought up to date) and compares it with a full build: a difference
// names the cells and fails.
int Verify(const Options& o) {
  auto store = OpenStore(o.db, false);
  engine::SyncStats opened;
  auto eng = OpenEngine(*store, engine::Engine::Start::kSaved, &opened);
  const auto v = Must(eng->Verify());
  const std::string from = v.loaded ? "the saved state" : "a state built now (none was saved)";
  if (o.json) {
    json::array first;
    for (const auto& c : v.first) first.push_back(json::value(c));
    std::cout << json_util::Serialize(json::object{{"loaded", v.loaded},
                                                   {"load_ms", opened.duration_us / 1000.0},
                                                   {"taken_since_save", opened.records},
                                                   {"cells", v.cells},
                                                   {"differing", v.differing},
                                                   {"first", std::move(first)}})
              << "\n";
  }
  if (v.differing > 0) {
    std::string cells;
    for (const auto& c : v.first) cells += "\n  " + c;
    throw Failure(Error::Internal(
        "engine.state_differs",
        number::FormatVi(v.differing) + " of " + number::FormatVi(v.cells) + " cells of " + from +
            " differ from a full build; `pdh indicators recompute` rebuilds and saves it:" +
            cells));
  }
  if (!o.json) {
    std::cout << "verified " << number::FormatVi(v.cells) << " cells of " << from
              << ": equal to a full build\n";
  }
  return 0;
}

int Dump(const Options& o) {
  auto store = OpenStore(o.db, false);
  auto eng = OpenEngine(*store);
  const auto snap = eng->snapshot();
  std::ofstream file;
  std::ostream* out = &std::cout;
  if (!o.out.empty() && o.out != "-") {
    file.open(o.out);
    out = &file;
  }
  *out << "indicator,unit,period,value\n";
  char buf[64];
  snap.ForEachValue(
      [&](const engine::Indicator& ind, const units::Unit& u, const engine::Period& p, double v) {
        std::snprintf(buf, sizeof buf, "%.17g", v);
        *out << ind.code << ',' << u.code << ',' << p.Id() << ',' << buf << '\n';
      });
  return out->good() ? 0 : 1;
}

int ListPacks(const Options& o) {
  json::array items;
  for (const auto& p : engine::Packs()) {
    if (o.json) {
      items.push_back({{"name", p.name},
                       {"template", p.template_name},
                       {"title", p.title},
                       {"title_en", p.title_en}});
    } else {
      std::printf("%-16s over a %-14s dataset  %s\n", p.name.c_str(), p.template_name.c_str(),
                  p.title.c_str());
    }
  }
  if (o.json) std::cout << json_util::Serialize(json::object{{"items", std::move(items)}}) << "\n";
  return 0;
}

int InstallNamedPack(const Options& o) {
  auto store = OpenStore(o.db, false);
  SystemClock clock;
  auto log = OpenAuditLog(*store, clock);
  // The entry commits with the install's first write; an install that changes nothing writes
  // nothing, and no entry.
  audit::Scope audit(*log, CommandEvent("indicators.packs.install", o.code));
  const auto done =
      Must(engine::InstallPack(EngineStores(*store), o.code, o.dataset, HomeProvince(*store),
                               CliActor(), FormatTime(clock.Now())));
  if (!done.added.empty() || !done.updated.empty()) Must(audit.Finish());
  if (o.json) {
    std::cout << json_util::Serialize(done.ToJson()) << "\n";
    return 0;
  }
  std::cout << "pack " << done.pack << " over dataset " << done.dataset << ": " << done.added.size()
            << " added, " << done.updated.size() << " updated, " << done.unchanged.size()
            << " unchanged; " << done.targets << " targets\n";
  for (const auto& a : done.added) std::cout << "  added    " << a << "\n";
  for (const auto& u : done.updated) std::cout << "  updated  " << u << "\n";
  return 0;
}

int ImportValues(const Options& o) {
  auto store = OpenStore(o.db, false);
  auto registry = LoadRegistry(*store);
  std::string format = o.format;
  if (format.empty()) {
    if (o.file.ends_with(".xlsx"))
      format = "xlsx";
    else if (o.file.ends_with(".json"))
      format = "json";
    else
      format = "csv";
  }
  auto f = engine::ParseValueFormat(format);
  if (!f) {
    throw Failure(
        Error::BadRequest("cli.invalid_format", "--format is json, csv, xlsx, dhis2 or dhis2-csv"));
  }
  const auto values = Must(engine::ReadValues(ReadFile(o.file), *f));
  SystemClock clock;
  engine::ValueOptions opt;
  opt.dry_run = o.dry_run;
  opt.accept_valid = o.accept_valid;
  opt.by = CliActor();
  opt.at = FormatTime(clock.Now());
  opt.source = *f == engine::ValueFormat::kDhis2Csv || *f == engine::ValueFormat::kDhis2Json
                   ? "dhis2"
                   : "file";
  if (!o.user.empty()) {
    auto principal = OfflinePrincipal(*store, clock, o.user);
    opt.by = o.user;
    opt.may_write = [principal, registry](const units::Unit& u) {
      return auth::Allows(principal, "indicators.write", &u, *registry);
    };
  }
  const auto set = Must(engine::LoadIndexSet(store->index()));
  // The entry commits with the values; a dry run or a rejected file writes none and has none.
  auto log = OpenAuditLog(*store, clock);
  audit::Scope audit(*log, CommandEvent("values.import", o.file));
  const auto report =
      Must(engine::WriteValues(store->index(), *registry, set, HomeProvince(*store), values, opt));
  if (report.status == "committed") Must(audit.Finish());
  if (o.json) {
    std::cout << json_util::Serialize(report.ToJson()) << "\n";
  } else {
    std::cout << o.file << ": " << report.status << ", read " << report.read << ", written "
              << report.written << ", rejected " << report.rejected << "\n";
    for (const auto& e : report.errors) {
      std::cout << "  row " << e.row << " " << e.field << " '" << e.value << "': " << e.code
                << " — " << e.message << "\n";
    }
    for (const auto& w : report.warnings) {
      std::cout << "  warning: row " << w.row << " " << w.field << " '" << w.value
                << "': " << w.code << " — " << w.message << "\n";
    }
  }
  return report.rejected > 0 ? kRejected : 0;
}

}  // namespace

void AddIndicatorCommands(CLI::App& app, Options& o, int (*&action)(const Options&)) {
  auto add_db = [&](CLI::App* c) {
    c->add_option("--db", o.db, "Database file")->capture_default_str();
    c->add_flag("--json", o.json, "Machine-readable output");
  };
  auto* ind = app.add_subcommand("indicators", "The index set: definitions and computed values");
  ind->require_subcommand(1);
  auto* ls = ind->add_subcommand("ls", "Indicators with their latest value and whether updated");
  add_db(ls);
  ls->add_option("--as-of", o.as_of, "Date (YYYY-MM-DD); default: ioc.as_of or today");
  ls->callback([&] { action = ListIndicators; });
  auto* imp = ind->add_subcommand("import", "Add or replace definitions from an index set JSON");
  add_db(imp);
  imp->add_option("file", o.file, "JSON: {sectors, elements, indicators, constants}")->required();
  imp->callback([&] { action = Import; });
  auto* exp = ind->add_subcommand("export", "The index set as JSON");
  add_db(exp);
  exp->add_option("--out", o.out, "File (default: standard output)");
  exp->callback([&] { action = Export; });
  auto* rc = ind->add_subcommand("recompute", "Compute every value from the database, timed");
  add_db(rc);
  rc->callback([&] { action = Recompute; });
  auto* ver = ind->add_subcommand(
      "verify", "Check the saved state, brought up to date, against a full build");
  add_db(ver);
  ver->callback([&] { action = Verify; });
  auto* dump =
      ind->add_subcommand("dump", "Every indicator value as CSV (indicator,unit,period,value)");
  add_db(dump);
  dump->add_option("--out", o.out, "File (default: standard output)");
  dump->callback([&] { action = Dump; });

  auto* packs = ind->add_subcommand("packs", "Standard indicator packs a province installs");
  packs->require_subcommand(1);
  auto* pls = packs->add_subcommand("ls", "The packs and the dataset template each reads");
  pls->add_flag("--json", o.json, "Machine-readable output");
  pls->callback([&] { action = ListPacks; });
  auto* pin = packs->add_subcommand(
      "install", "Add a pack's elements, indicators and targets (again: changes nothing)");
  add_db(pin);
  pin->add_option("name", o.code, "public_services or feedback_1022")->required();
  pin->add_option("--dataset", o.dataset,
                  "The dataset it reads (default: the one made from the pack's template)");
  pin->callback([&] { action = InstallNamedPack; });

  auto* vals = app.add_subcommand("values", "Values units report for data elements");
  vals->require_subcommand(1);
  auto* vi = vals->add_subcommand(
      "import", "Load values: CSV/XLSX (element, option, unit, period, value), JSON, DHIS2");
  add_db(vi);
  vi->add_option("file", o.file, "The file")->required();
  vi->add_option("--format", o.format, "csv, xlsx, json, dhis2 or dhis2-csv (default: the name)");
  vi->add_flag("--dry-run", o.dry_run, "Check everything, write nothing");
  vi->add_flag("--accept-valid", o.accept_valid, "Write the valid values even when some are bad");
  vi->add_option("--as", o.user, "Report as this account, limited to the units it may write");
  vi->callback([&] { action = ImportValues; });
}

}  // namespace pdh::cli
