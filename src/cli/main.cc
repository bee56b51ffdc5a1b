// pdh: the command line. `pdh NOUN VERB`, --help everywhere, --json for machine output,
// exit codes: 0 ok, 1 failed, 2 usage, 3 not found, 4 conflict (e.g. would overwrite).
#include <CLI/CLI.hpp>
#include <boost/json.hpp>

#include <sys/resource.h>
#include <unistd.h>
#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <random>
#include <sstream>
#include <stop_token>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "api/api.h"
#include "auth/auth.h"
#include "catalog/catalog.h"
#include "cli/cli.h"
#include "cli/paths.h"
#include "core/json_util.h"
#include "core/memory.h"
#include "core/number.h"
#include "ingest/ingest.h"
#include "link/link.h"
#include "notify/notify.h"
#include "quality/quality.h"
#include "server/server.h"
#include "store/store.h"
#include "tracker/tracker.h"
#include "units/units.h"

namespace pdh::cli {

namespace fs = std::filesystem;

std::unique_ptr<store::Store> OpenStore(const std::string& path, bool create) {
  if (create && !store::Store::IsServer(path) && fs::path(path).has_parent_path()) {
    fs::create_directories(fs::path(path).parent_path());
  }
  return Must(store::Store::Open(path, {.create = create}));
}

std::shared_ptr<const units::Registry> LoadRegistry(store::Store& store) {
  auto reg = Must(units::Registry::Load(store));
  if (reg->size() == 0) {
    throw Failure(Error::NotFound("units.empty",
                                  "the database has no units yet: run 'pdh units import' first"));
  }
  return reg;
}

engine::Stores EngineStores(store::Store& store) {
  return {store.index(), store.datasets(), store, &store.engine()};
}

std::string HomeProvince(store::Store& store) {
  return Must(store.GetSetting("home_province")).value_or("80");
}

}  // namespace pdh::cli

namespace {

// Each live screen holds a socket: the soft limit on open files (1,024 by default) goes up to
// the hard one, as far as the system allows.
void RaiseOpenFileLimit() {
  rlimit files{};
  if (::getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < files.rlim_max) {
    files.rlim_cur = files.rlim_max;
    if (::setrlimit(RLIMIT_NOFILE, &files) != 0) std::perror("pdh: raising the open-file limit");
  }
}

// Edits (insertions, deletions, substitutions) from `a` to `b`.
size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

// When the words of the command line name a command that does not exist ("pdh indicatrs ls"),
// says so, naming the nearest commands at that level; returns whether it did.
bool UnknownCommand(CLI::App& app, int argc, char** argv) {
  CLI::App* at = &app;
  std::string path = "pdh";
  for (int i = 1; i < argc; ++i) {
    const std::string word = argv[i];
    if (word.empty() || word[0] == '-') return false;  // an option: CLI11's message says it
    const auto subs = at->get_subcommands([](CLI::App*) { return true; });
    if (subs.empty()) return false;  // a command's own argument
    CLI::App* next = nullptr;
    for (CLI::App* sub : subs) {
      if (sub->get_name() == word) next = sub;
    }
    if (next != nullptr) {
      at = next;
      path += " " + word;
      continue;
    }
    std::vector<std::pair<size_t, std::string>> near;
    near.reserve(subs.size());
    for (CLI::App* sub : subs)
      near.emplace_back(EditDistance(word, sub->get_name()), sub->get_name());
    std::sort(near.begin(), near.end());
    std::string names;
    for (size_t k = 0; k < near.size() && k < 3; ++k) {
      names += (k == 0 ? "" : ", ") + path + " " + near[k].second;
    }
    std::cerr << "pdh: '" << word << "' is not a command of '" << path
              << "'. The nearest: " << names << ". See '" << path << " --help'.\n";
    return true;
  }
  return false;
}

// The demo's first sign-in (the administrator's one-time password), kept beside the database,
// readable by its owner only, until `pdh serve` has shown it once it listens.
std::string FirstSignInPath(const std::string& db) {
  return db + ".first-sign-in";
}

void SaveFirstSignIn(const std::string& db, const std::string& text) {
  const std::string path = FirstSignInPath(db);
  std::filesystem::remove(path);
  {
    std::ofstream out(path);
    out << text;
  }
  std::filesystem::permissions(
      path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
}

void ShowFirstSignIn(const std::string& db) {
  const std::string path = FirstSignInPath(db);
  std::ifstream in(path);
  if (!in) return;
  std::stringstream text;
  text << in.rdbuf();
  in.close();
  std::filesystem::remove(path);
  std::cout << "\n" << text.str() << std::flush;
}

// Checks the state a server loaded against a full build; a difference is logged with the cells
// it concerns and the state is rebuilt from the records.
void VerifyServedState(pdh::engine::Engine& engine) {
  auto v = engine.Verify();
  if (!v) {
    std::cerr << "pdh: indicators: the saved state was not verified: " << v.error().message << "\n";
    return;
  }
  if (v->differing == 0) return;
  std::cerr << "pdh: indicators: error engine.state_differs: " << v->differing << " of " << v->cells
            << " cells of the saved state differ from a full build:\n";
  for (const auto& c : v->first) std::cerr << "pdh:   " << c << "\n";
  if (auto s = engine.Rebuild(); !s) {
    std::cerr << "pdh: indicators: " << s.error().message << "\n";
  }
}

// /metrics on the database: the read connections, and a PostgreSQL primary's standbys and
// replication lag.
std::string DatabaseMetrics(pdh::store::Store& store) {
  auto f = store.figures();
  if (!f) return "";
  std::string out;
  auto gauge = [&out](const char* name, const char* help, const std::string& labels,
                      const std::string& value) {
    out.append("# HELP ").append(name).append(" ").append(help).append("\n");
    out.append("# TYPE ").append(name).append(" gauge\n");
    out.append(name).append(labels).append(" ").append(value).append("\n");
  };
  const std::string backend = "{backend=\"" + f->backend + "\"}";
  gauge("pdh_db_read_connections", "Read connections to the database open now.", backend,
        std::to_string(f->read_connections));
  gauge("pdh_db_read_connections_idle", "Of them, idle in the pool.", backend,
        std::to_string(f->read_connections_idle));
  if (f->backend == "postgresql") {
    gauge("pdh_db_standbys", "Standbys streaming from the PostgreSQL primary.", "",
          std::to_string(f->standbys));
    gauge("pdh_db_replication_lag_seconds",
          "How far the furthest standby's replay is behind the primary.", "",
          std::to_string(f->replication_lag_seconds));
  }
  return out;
}

// The lease of the jobs several servers on one database would each run: taken for --jobs-lease
// seconds and renewed by each round of the holder's jobs, it passes to another server that long
// after the holder's end.
class JobLease {
 public:
  JobLease(pdh::store::Store& store, const pdh::Clock& clock, int seconds)
      : store_(store), clock_(clock), seconds_(std::max(1, seconds)) {
    char host[256] = {};
    ::gethostname(host, sizeof host - 1);
    std::random_device random;
    holder_ = std::string(host) + ":" + std::to_string(::getpid()) + ":" + std::to_string(random());
  }
  bool Held() {
    const auto now = clock_.Now();
    auto held = store_.TakeLease("jobs", holder_, pdh::FormatTime(now),
                                 pdh::FormatTime(now + std::chrono::seconds(seconds_)));
    if (!held) std::cerr << "pdh: jobs: " << held.error().message << "\n";
    return held && *held;
  }

 private:
  pdh::store::Store& store_;
  const pdh::Clock& clock_;
  int seconds_;
  std::string holder_;
};

// A thread that calls `fn` at once and then every `period`, until it is asked to stop.
std::jthread Every(std::chrono::seconds period, std::function<void()> fn) {
  return std::jthread([period, fn = std::move(fn)](const std::stop_token& stop) {
    std::mutex mu;
    std::condition_variable_any wake;
    while (!stop.stop_requested()) {
      fn();
      std::unique_lock lock(mu);
      wake.wait_for(lock, stop, period, [] { return false; });
    }
  });
}

namespace fs = std::filesystem;
using pdh::cli::EngineStores;
using pdh::cli::HomeProvince;
using pdh::cli::LoadRegistry;
using pdh::cli::OpenStore;
using pdh::cli::Options;
namespace json = boost::json;
using pdh::Error;
using pdh::Failure;

int ExitCode(const Error& e) {
  switch (e.status) {
    case 404:
      return 3;
    case 409:
      return 4;
    case 400:
    case 422:
      return 2;
    default:
      return 1;
  }
}

pdh::Date ParseAsOf(const std::string& s) {
  if (s.empty()) return pdh::Date::Today();
  auto d = pdh::Date::Parse(s);
  if (!d)
    throw Failure(
        Error::BadRequest("cli.invalid_date", "'" + s + "' is not a date: use YYYY-MM-DD"));
  return *d;
}

void PrintReport(const pdh::units::ImportReport& r, bool as_json) {
  if (as_json) {
    json::array warnings;
    for (const auto& w : r.warnings) warnings.emplace_back(w);
    std::cout << pdh::json_util::Serialize(
                     json::object{{"provinces", r.provinces},
                                  {"communes", r.communes},
                                  {"old_provinces", r.old_provinces},
                                  {"old_districts", r.old_districts},
                                  {"old_communes", r.old_communes},
                                  {"successions", r.successions},
                                  {"agencies", r.agencies},
                                  {"population_estimated", r.population_estimated},
                                  {"warnings", std::move(warnings)}})
              << "\n";
    return;
  }
  std::cout << "Imported " << r.provinces << " provinces and " << r.communes
            << " communes (from 1 July 2025), " << r.old_provinces << " provinces, "
            << r.old_districts << " districts and " << r.old_communes << " communes (before), "
            << r.successions << " crosswalk rows, " << r.agencies << " agencies.\n";
  if (r.population_estimated) {
    std::cout << r.population_estimated
              << " communes have no census population; their share of the province total was "
                 "estimated by area and is flagged.\n";
  }
  if (!r.warnings.empty()) {
    std::cout << r.warnings.size() << " source rows could not be used:\n";
    for (const auto& w : r.warnings) std::cout << "  " << w << "\n";
  }
}

void PrintUnitLine(const pdh::units::Unit& u) {
  std::cout << u.code << "\t" << u.name << "\t" << u.type << "\t"
            << (u.population ? std::to_string(*u.population) : "-") << "\t";
  if (u.area_km2) {
    std::printf("%.2f", *u.area_km2);
    std::fflush(stdout);
  } else {
    std::cout << "-";
  }
  std::cout << "\n";
}

pdh::units::ImportSources Sources(const Options& o) {
  return {
      o.source.empty() ? pdh::cli::DataDir() + "/vn-admin" : o.source,
      o.agencies.empty() ? pdh::cli::DataDir() + "/agencies/" + o.province + ".csv" : o.agencies,
      o.province};
}

int RunImport(const Options& o) {
  auto store = OpenStore(o.db, true);
  pdh::SystemClock clock;
  auto log = pdh::cli::OpenAuditLog(*store, clock);
  pdh::audit::Scope audit(*log, pdh::cli::CommandEvent("units.import", Sources(o).admin_dir));
  auto report = pdh::Must(pdh::units::Import(*store, *store, Sources(o)));
  pdh::Must(audit.Finish());
  PrintReport(report, o.json);
  return 0;
}

int RunDemo(const Options& o) {
  const bool server = pdh::store::Store::IsServer(o.db);
  if (server ? !pdh::Must(OpenStore(o.db, true)->empty()) : fs::exists(o.db)) {
    if (!o.force) {
      throw Failure(Error::Conflict("demo.exists", "'" + o.db + "' " +
                                                       (server ? "holds data" : "already exists") +
                                                       ": pass --force to replace it"));
    }
    pdh::Must(pdh::store::Store::Erase(o.db));
  }
  auto store = OpenStore(o.db, true);
  pdh::SystemClock clock;
  auto log = pdh::cli::OpenAuditLog(*store, clock);
  // Each step's entry commits with the step's first write.
  auto step = [&log](const char* action, const std::string& target, auto&& run) {
    pdh::audit::Scope audit(*log, pdh::cli::CommandEvent(action, target));
    auto result = run();
    pdh::Must(audit.Finish());
    return result;
  };
  auto report = step("demo.create", o.db,
                     [&] { return pdh::Must(pdh::units::Import(*store, *store, Sources(o))); });
  auto registry = LoadRegistry(*store);
  const std::string password = step("users.create", "admin", [&] {
    return pdh::cli::CreateDemoAdministrator(*store, *registry);
  });
  pdh::catalog::Catalog catalog(store->catalog(), registry, clock);
  const auto catalog_report = step("catalog.demo", o.db, [&] {
    return pdh::Must(pdh::catalog::GenerateDemo(catalog, *registry));
  });
  const auto tracker_report = step("tracker.demo", o.db, [&] {
    return pdh::Must(pdh::tracker::GenerateDemo(store->tracker(), *store, registry));
  });
  const auto records = step("datasets.demo", o.db, [&] {
    auto generated = pdh::Must(pdh::ingest::GenerateDemo(store->datasets(), *registry, o.province,
                                                         "2025-11-01T00:00:00Z"));
    pdh::Must(pdh::quality::GenerateDemo(*store, store->datasets()));
    return generated;
  });
  const auto index = step("indicators.demo", o.db, [&] {
    auto generated = pdh::Must(pdh::engine::GenerateDemo(EngineStores(*store), *registry,
                                                         o.province, "2025-11-01T00:00:00Z"));
    // The demo tells the story of the October 2025 report: the IOC opens on its date.
    pdh::Must(store->SetSetting("ioc.as_of", "2025-10-31"));
    return generated;
  });
  // The two pre-merger registers of one database, consolidated as far as the review: a person
  // decides the uncertain pairs before the commit marks the database merged (after the October
  // report, whose figures stay 35 merged / 34 not).
  const auto consolidation = step("link.demo", o.db, [&] {
    auto sources = pdh::Must(
        pdh::link::GenerateDemoSources(store->datasets(), *registry, "2025-11-01T00:00:00Z"));
    pdh::link::Hub hub(store->link(), store->datasets(), [registry] { return registry; });
    pdh::Must(hub.Create(pdh::link::DemoProject(), "admin", "2025-11-15T01:00:00Z"));
    auto run = pdh::Must(hub.Run("ncc", false, "admin", "2025-11-15T01:05:00Z"));
    return std::make_pair(sources, run);
  });
  const auto sharing = step("share.demo", o.db, [&] {
    return pdh::cli::CreateDemoSharing(*store, *registry, *log, o.province);
  });
  // The indicators' state, saved so that the first start loads it (derived data: no audit entry).
  pdh::Must(pdh::Must(pdh::engine::Engine::Open(EngineStores(*store), registry, o.province,
                                                pdh::engine::Engine::Start::kRebuild))
                ->Save());
  if (o.json) {
    // The import report plus the administrator's login, for scripts and tests.
    std::ostringstream report_json;
    auto* old = std::cout.rdbuf(report_json.rdbuf());
    PrintReport(report, true);
    std::cout.rdbuf(old);
    json::object out = json::parse(report_json.str()).as_object();
    out["admin"] = {{"name", "admin"}, {"password", password}};
    out["catalog"] = catalog_report.ToJson();
    out["tracker"] = tracker_report.ToJson();
    out["datasets"] = {{"dossiers", records.dossiers}, {"feedback_1022", records.feedback}};
    out["indicators"] = {
        {"indicators", index.indicators}, {"elements", index.elements}, {"values", index.values}};
    out["share"] = {
        {"clients", sharing.clients}, {"grants", sharing.grants}, {"open", sharing.open}};
    out["link"] = {{"project", "ncc"},
                   {"records_a", consolidation.first.records_a},
                   {"records_b", consolidation.first.records_b},
                   {"pending", consolidation.second.at("pairs").at("pending")},
                   {"clusters", consolidation.second.at("clusters")}};
    std::cout << pdh::json_util::Serialize(out) << "\n";
    return 0;
  }
  using pdh::number::FormatVi;
  auto n = [](auto v) { return FormatVi(static_cast<int64_t>(v)); };
  std::cout << "Demo province " << o.province << " created in " << o.db << ".\n";
  PrintReport(report, false);
  std::cout << "The catalog lists " << n(catalog_report["platforms"]) << " shared platforms, "
            << n(catalog_report["databases"]) << " specialized databases and "
            << n(catalog_report["national"]) << " national databases, with "
            << n(catalog_report["versions"]) << " versions in their history.\n";
  std::cout << "The Resolution 57 register has " << n(tracker_report["programmes"])
            << " programmes with " << n(tracker_report["targets"]) << " targets and "
            << n(tracker_report["tasks"]) << " tasks, and " << n(tracker_report["reports"])
            << " monthly progress reports.\n";
  std::cout << "The datasets hold " << n(records.dossiers)
            << " administrative-procedure dossiers and " << n(records.feedback)
            << " citizens' feedback records from the 1022 hotline, ingested month by month.\n";
  std::cout << "Consolidation (project ncc): two pre-merger registers of "
            << n(consolidation.first.records_a) << " and " << n(consolidation.first.records_b)
            << " records; "
            << pdh::json_util::Serialize(consolidation.second.at("pairs").at("pending"))
            << " candidate pairs wait for a person's review.\n";
  std::cout << n(sharing.clients) << " connected systems share the dossiers under "
            << n(sharing.grants) << " grants, with a day of exchanges on the log; "
            << n(sharing.open) << " datasets are open to everyone at /open.\n";
  const std::string sign_in =
      "Administrator: admin\nPassword:      " + password +
      "\n(shown once; change it after signing in)\n"
      "Sign in at /login; you will first enrol an authenticator app (TOTP): scan the QR code it "
      "shows, or type the secret, then enter the 6-digit code.\n";
  std::cout << "\n" << sign_in;
  // `pdh serve` shows it again once it listens, last, then forgets it (make demo).
  SaveFirstSignIn(o.db, sign_in);
  return 0;
}

int RunServe(const Options& o) {
  RaiseOpenFileLimit();
  auto store = OpenStore(o.db, false);
  auto registry = LoadRegistry(*store);
  pdh::SystemClock clock;
  pdh::auth::Config auth_config;
  if (o.session_idle > 0) auth_config.idle_timeout = std::chrono::seconds(o.session_idle);
  if (o.admin_session_idle > 0) {
    auth_config.admin_idle_timeout = std::chrono::seconds(o.admin_session_idle);
  }
  pdh::auth::Service auth(store->identity(), *store, clock, auth_config);
  if (auto n = auth.DisableInactive(); n && *n > 0) {
    std::cerr << "pdh: disabled " << *n << " accounts unused for 45 days\n";
  }
  auto audit_log = pdh::cli::OpenAuditLog(*store, clock);
  pdh::api::Context ctx(*store, registry, HomeProvince(*store), PDH_VERSION, auth, *audit_log,
                        clock);
  ctx.SetUploadLimits(pdh::cli::LimitsOf(o), o.max_uploads);
  pdh::http::Router router;
  pdh::api::RegisterRoutes(router, ctx);

  pdh::http::ServerOptions opts;
  auto colon = o.listen.rfind(':');
  if (colon == std::string::npos) {
    throw Failure(
        Error::BadRequest("cli.invalid_listen", "--listen takes HOST:PORT, e.g. 127.0.0.1:8080"));
  }
  opts.host = o.listen.substr(0, colon);
  if (opts.host.size() > 2 && opts.host.front() == '[')
    opts.host = opts.host.substr(1, opts.host.size() - 2);
  try {
    int port = std::stoi(o.listen.substr(colon + 1));
    if (port < 0 || port > 65535) throw std::out_of_range("port");
    opts.port = static_cast<uint16_t>(port);
  } catch (const std::logic_error&) {
    throw Failure(Error::BadRequest("cli.invalid_listen", "port in --listen must be 0–65535"));
  }
  opts.threads = o.threads;
  opts.max_body_bytes = o.max_body_mb << 20;
  opts.web_root = o.web.empty() ? pdh::cli::WebDir() : o.web;
  opts.access_log = o.access_log;
  // On a terminal the access log goes to a file beside the database (unless --access-log says
  // otherwise), so that the console shows what a person needs.
  std::string access_log_note;
  if (!o.access_log_given && ::isatty(STDOUT_FILENO) != 0) {
    const auto dir = std::filesystem::path(o.db).parent_path();
    opts.access_log =
        (dir.empty() ? std::filesystem::path("access.log") : dir / "access.log").string();
    access_log_note = "pdh: access log in " + opts.access_log;
  }
  opts.version = PDH_VERSION;
  opts.ready = [&store] { return store->healthy(); };
  opts.more_metrics = [&store] { return DatabaseMetrics(*store); };
  opts.authorize = [&ctx](pdh::http::Request& req, const pdh::http::Route& route) {
    pdh::api::Authorize(ctx, req, route);
  };
  opts.around = [&ctx](pdh::http::Request& req, const pdh::http::Route& route,
                       const std::function<pdh::http::Response()>& handler) {
    return pdh::api::Around(ctx, req, route, handler);
  };
  opts.after = [&ctx](const pdh::http::Request& req, const pdh::http::Route& route,
                      const pdh::http::Response& res) {
    pdh::api::AuditRequest(ctx, req, route, res);
  };
  opts.tls_cert_file = o.tls_cert;
  opts.tls_client_ca_file = o.tls_client_ca;
  opts.tls_key_file = o.tls_key;
  opts.rate_per_address = o.rate_per_address;
  for (const auto& proxy : o.trusted_proxies) {
    if (!pdh::http::IsAddressOrNetwork(proxy)) {
      throw Failure(Error::BadRequest(
          "cli.invalid_trusted_proxy",
          "--trusted-proxy takes an address or a network, e.g. 127.0.0.1 or 10.0.0.0/8: '" + proxy +
              "' is neither"));
    }
  }
  opts.trusted_proxies = o.trusted_proxies;
  opts.rate_per_token = o.rate_per_token;
  opts.max_event_streams = o.max_event_streams;
  // The index set engine: built now, then kept up by each write the API makes and, for writes
  // by other processes (pdh ingest, pdh values import), by a sync every second; the quality
  // evaluations follow the same batches.
  pdh::engine::SyncStats opened;
  auto engine =
      pdh::Must(pdh::engine::Engine::Open(EngineStores(*store), registry, HomeProvince(*store),
                                          pdh::engine::Engine::Start::kSaved, &opened));
  ctx.SetEngine(engine.get());
  engine->OnChange([&ctx, &clock](const pdh::engine::SyncStats& s) {
    const std::string at = pdh::FormatTime(clock.Now());
    ctx.events()->Publish("values", pdh::api::ChangesEvent(s, at));
    if (!s.changes.empty()) ctx.events()->Publish("cells", pdh::api::CellsEvent(s, at));
  });
  // Writes of other processes (pdh ingest beside the server; other servers on the same
  // PostgreSQL database, which announce their commits) are taken as soon as the store hears of
  // them, and looked for every second.
  std::jthread syncer([&engine, &store](const std::stop_token& stop) {
    uint64_t seen = 0;
    while (!stop.stop_requested()) {
      seen = store->WaitForData(seen, std::chrono::seconds(1));
      if (auto s = engine->Sync(); !s) {
        std::cerr << "pdh: indicators: " << s.error().message << "\n";
      }
    }
  });
  // Several servers on one database: the jobs done for all (reminders, reports, notifications,
  // the connected systems' notices, federation) are run by the one holding the lease "jobs".
  JobLease jobs(*store, clock, o.jobs_lease);
  // The state is saved as batches commit (at most every --save-state-every seconds, and at the
  // end); a state loaded at start is checked against a full build once the start is behind.
  const auto started = std::chrono::steady_clock::now();
  std::jthread state_keeper = Every(
      std::chrono::seconds(std::max(1, o.save_state_every)),
      [&engine, &o, started, verified = !engine->loaded() || o.verify_state_after < 0]() mutable {
        if (!verified && std::chrono::steady_clock::now() - started >=
                             std::chrono::seconds(o.verify_state_after)) {
          verified = true;
          VerifyServedState(*engine);
        }
        if (auto s = engine->Save(); !s) {
          std::cerr << "pdh: indicators: the state was not saved: " << s.error().message << "\n";
        }
      });
  // The quality evaluations follow on their own: a long evaluation never holds the indicators up.
  std::jthread quality_follower = Every(std::chrono::seconds(1), [&ctx, &jobs] {
    ctx.FollowQuality();
    if (jobs.Held()) ctx.FollowShare();
  });
  std::jthread federation = Every(std::chrono::seconds(60), [&ctx, &jobs] {
    if (jobs.Held()) ctx.FollowFederation();
  });
  pdh::http::Server server(opts, router);
  const std::string bound = pdh::Must(server.Listen());
  const bool tls = !o.tls_cert.empty() && !o.tls_key.empty();
  std::cout << "pdh: listening on " << (tls ? "https://" : "http://") << bound << std::endl;
  if (!access_log_note.empty()) std::cout << access_log_note << std::endl;
  // On the error stream with the server's other notes: a script reading the first line of the
  // standard output may have closed it.
  std::cerr << "pdh: indicators "
            << (opened.loaded
                    ? "loaded from their saved state (" + pdh::number::FormatVi(opened.records) +
                          " records and " + pdh::number::FormatVi(opened.values) +
                          " values taken since it was saved)"
                    : "built from " + pdh::number::FormatVi(opened.records) + " records and " +
                          pdh::number::FormatVi(opened.values) + " values")
            << " in " << opened.duration_us / 1000 << " ms" << std::endl;
  ShowFirstSignIn(o.db);
  // Reminders of the register: queued for today and delivered every --remind-every seconds.
  std::jthread reminders;
  if (o.remind_every > 0) {
    reminders = Every(std::chrono::seconds(o.remind_every), [&ctx, &jobs] {
      if (!jobs.Held()) return;
      auto messages = ctx.tracker().Reminders(pdh::Date::Today());
      // The quality alerts of today go with them; the monthly report is queued when it is due.
      if (messages) {
        auto quality = pdh::api::QualityMessages(ctx, pdh::Date::Today());
        if (quality) {
          messages->insert(messages->end(), quality->begin(), quality->end());
        } else {
          std::cerr << "pdh: quality alerts: " << quality.error().message << "\n";
        }
        if (auto report = pdh::api::QueueScheduledReport(ctx, pdh::Date::Today()); !report) {
          std::cerr << "pdh: monthly report: " << report.error().message << "\n";
        }
      }
      auto config = pdh::notify::LoadConfig(ctx.store());
      if (messages && config) {
        // A failure is told and the loop goes on: the next round tries again.
        if (auto added = ctx.outbox().Add(*messages); !added) {
          std::cerr << "pdh: reminders: " << added.error().message << "\n";
        }
        if (!config->webhook_url.empty() || !config->smtp_url.empty()) {
          if (auto sent = ctx.outbox().Deliver(*config); !sent) {
            std::cerr << "pdh: reminders: " << sent.error().message << "\n";
          }
        }
      } else {
        std::cerr << "pdh: reminders: "
                  << (messages ? config.error().message : messages.error().message) << "\n";
      }
    });
  }
  server.Run();
  syncer.request_stop();
  syncer.join();
  state_keeper.request_stop();
  state_keeper.join();
  if (auto s = engine->Save(); !s) {
    std::cerr << "pdh: indicators: the state was not saved: " << s.error().message << "\n";
  }
  quality_follower.request_stop();
  quality_follower.join();
  federation.request_stop();
  federation.join();
  if (reminders.joinable()) {
    reminders.request_stop();
    reminders.join();
  }
  if (auto checkpoint = audit_log->Checkpoint(); !checkpoint) {
    std::cerr << "pdh: audit checkpoint: " << checkpoint.error().message << std::endl;
  }
  std::cerr << "pdh: stopped" << std::endl;
  return 0;
}

int RunUnitsList(const Options& o) {
  auto store = OpenStore(o.db, false);
  auto reg = LoadRegistry(*store);
  const pdh::Date as_of = ParseAsOf(o.as_of);
  std::vector<const pdh::units::Unit*> list;
  if (!o.query.empty()) {
    list = reg->Search(o.query, as_of);
  } else if (!o.parent.empty()) {
    const auto* p = reg->Find(o.parent, as_of);
    if (!p)
      throw Failure(
          Error::NotFound("unit.not_found", "no unit '" + o.parent + "' on " + as_of.ToString()));
    list = reg->Children(*p, as_of);
  } else {
    list = reg->Provinces(as_of);
  }
  if (!o.level.empty()) {
    auto level = pdh::units::ParseLevel(o.level);
    if (!level)
      throw Failure(Error::BadRequest("cli.invalid_level",
                                      "--level is province, district, commune or agency"));
    std::erase_if(list, [&](const pdh::units::Unit* u) { return u->level != *level; });
  }
  if (o.json) {
    json::array a;
    for (const auto* u : list) a.push_back(pdh::units::ToJson(*u));
    std::cout << pdh::json_util::Serialize(a) << "\n";
  } else {
    for (const auto* u : list) PrintUnitLine(*u);
  }
  return 0;
}

int RunUnitsShow(const Options& o) {
  auto store = OpenStore(o.db, false);
  auto reg = LoadRegistry(*store);
  const pdh::Date as_of = ParseAsOf(o.as_of);
  const auto* u = reg->Find(o.code, as_of);
  if (!u)
    throw Failure(
        Error::NotFound("unit.not_found", "no unit '" + o.code + "' on " + as_of.ToString()));
  auto preds = reg->Predecessors(*u);
  if (o.json) {
    json::object obj = pdh::units::ToJson(*u);
    obj["children_count"] = reg->Children(*u, as_of).size();
    json::array p;
    for (const auto& s : preds) {
      p.push_back({{"code", s.old_unit->code},
                   {"name", s.old_unit->name},
                   {"kind", pdh::units::MergeKindName(s.kind)}});
    }
    obj["predecessors"] = std::move(p);
    std::cout << pdh::json_util::Serialize(obj) << "\n";
    return 0;
  }
  std::cout << u->name << " (" << u->code << ")\n  type: " << u->type
            << "\n  level: " << pdh::units::LevelName(u->level) << "\n";
  for (const auto* a : reg->Ancestors(*u))
    std::cout << "  in: " << a->name << " (" << a->code << ")\n";
  if (u->population) {
    std::cout << "  population: " << *u->population
              << (u->population_estimated ? " (estimated)" : "") << "\n";
  }
  if (u->area_km2) std::printf("  area: %.2f km²\n", *u->area_km2);
  std::fflush(stdout);
  std::cout << "  children: " << reg->Children(*u, as_of).size() << "\n";
  for (const auto& s : preds) {
    std::cout << "  formed from: " << s.old_unit->name << " (" << s.old_unit->code << ", "
              << pdh::units::MergeKindName(s.kind) << ")\n";
  }
  return 0;
}

int RunUnitsResolve(const Options& o) {
  auto store = OpenStore(o.db, false);
  auto reg = LoadRegistry(*store);
  auto targets = reg->Resolve(o.code);
  if (targets.empty()) {
    throw Failure(Error::NotFound(
        "unit.not_resolvable", "'" + o.code + "' is not a pre-2025 commune code in the crosswalk"));
  }
  if (o.json) {
    json::array a;
    for (const auto& t : targets) {
      a.push_back({{"code", t.new_unit->code},
                   {"name", t.new_unit->name},
                   {"kind", pdh::units::MergeKindName(t.kind)},
                   {"note", t.note}});
    }
    std::cout << pdh::json_util::Serialize(a) << "\n";
    return 0;
  }
  for (const auto& t : targets) {
    std::cout << o.code << " " << t.old_unit->name << " -> " << t.new_unit->code << " "
              << t.new_unit->name << " (" << pdh::units::MergeKindName(t.kind) << ")\n";
  }
  return 0;
}

int RunUnitsAdd(Options o) {
  auto store = OpenStore(o.db, false);
  auto reg = LoadRegistry(*store);
  if (o.agency.parent_code.empty()) o.agency.parent_code = HomeProvince(*store);
  pdh::SystemClock clock;
  auto log = pdh::cli::OpenAuditLog(*store, clock);
  pdh::audit::Scope audit(*log, pdh::cli::CommandEvent("units.add_agency", o.agency.code));
  auto id = pdh::Must(pdh::units::AddAgency(*store, *reg, o.agency));
  pdh::Must(audit.Finish());
  std::cout << "added " << o.agency.code << " (id " << id << ")\n";
  return 0;
}

// Settings the administrator chooses: the reminders' webhook and SMTP server and addresses
// (notify.*), the report due day (tracker.report_due_day), the steward unit (steward_unit).
int RunSettingsSet(const Options& o) {
  auto store = OpenStore(o.db, false);
  pdh::SystemClock clock;
  auto log = pdh::cli::OpenAuditLog(*store, clock);
  pdh::audit::Scope audit(*log, pdh::cli::CommandEvent("settings.set", o.setting_key));
  pdh::Must(store->SetSetting(o.setting_key, o.setting_value));
  pdh::Must(audit.Finish());
  std::cout << o.setting_key << " = " << o.setting_value << "\n";
  return 0;
}

int RunSettingsGet(const Options& o) {
  auto store = OpenStore(o.db, false);
  auto value = pdh::Must(store->GetSetting(o.setting_key));
  if (!value) {
    throw Failure(Error::NotFound("settings.not_found", "'" + o.setting_key + "' is not set"));
  }
  std::cout << *value << "\n";
  return 0;
}

int RunBackup(const Options& o) {
  auto store = OpenStore(o.db, false);
  pdh::Must(store->Backup(o.backup_file));
  std::cout << "backed up " << o.db << " to " << o.backup_file << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // The commands that hold the indicators' state (core/memory.h).
  if (argc > 1 &&
      (std::string_view(argv[1]) == "serve" || std::string_view(argv[1]) == "indicators")) {
    pdh::memory::RestartWithLargeHeap(argv);
  }
  CLI::App app{"pdh — Provincial Data Hub"};
  app.require_subcommand(1);
  app.set_version_flag("--version", PDH_VERSION);
  Options o;
  if (const char* env = std::getenv("PDH_DB")) o.db = env;
  int (*action)(const Options&) = nullptr;
  auto add_db = [&](CLI::App* c) {
    c->add_option("--db", o.db, "Database file (default $PDH_DB or var/pdh.db)");
  };

  auto* demo = app.add_subcommand("demo", "Create the demo province database");
  add_db(demo);
  demo->add_flag("--force", o.force, "Replace the database if it exists");
  demo->add_option("--source", o.source, "Directory of the official unit lists");
  demo->add_flag("--json", o.json, "Machine-readable output");
  demo->callback([&] { action = RunDemo; });

  auto* serve = app.add_subcommand("serve", "Serve the API and the operations centre");
  add_db(serve);
  serve->add_option("--listen", o.listen, "HOST:PORT to listen on; port 0 picks a free one");
  serve->add_option("--web", o.web, "Directory of the built web app");
  serve->add_option("--threads", o.threads, "I/O threads (default: one per core)");
  serve
      ->add_option("--access-log", o.access_log,
                   "JSON-lines access log file, - for stderr, empty for none (default: - , "
                   "or access.log beside the database when the output is a terminal)")
      ->each([&o](const std::string&) { o.access_log_given = true; });
  serve->add_option("--tls-cert", o.tls_cert, "PEM certificate chain: serve HTTPS only");
  serve->add_option("--tls-key", o.tls_key, "PEM private key of --tls-cert");
  serve->add_option("--tls-client-ca", o.tls_client_ca,
                    "PEM authorities of connected systems' client certificates (mutual TLS)");
  serve->add_option("--session-idle", o.session_idle,
                    "Idle timeout of sessions, seconds (default 900)");
  serve->add_option("--admin-session-idle", o.admin_session_idle,
                    "Idle timeout of administrators' sessions, seconds (default 300)");
  serve->add_option("--rate-per-address", o.rate_per_address,
                    "Requests per second allowed per client address (0: no limit)");
  serve
      ->add_option("--trusted-proxy", o.trusted_proxies,
                   "Address or CIDR network of a proxy in front (nginx); its requests' client is "
                   "taken from X-Forwarded-For (repeat, or separate with commas)")
      ->delimiter(',');
  serve->add_option("--rate-per-token", o.rate_per_token,
                    "Requests per second allowed per token or session (0: no limit)");
  pdh::cli::AddLimitOptions(serve, o);
  serve->add_option("--max-body-mb", o.max_body_mb, "MiB of one request body (an upload)")
      ->capture_default_str();
  serve
      ->add_option("--max-uploads", o.max_uploads,
                   "Uploads read at once; more wait for a 503 with Retry-After")
      ->capture_default_str();
  serve
      ->add_option("--max-event-streams", o.max_event_streams,
                   "Live event streams (IOC screens) open at once; more get a 503")
      ->capture_default_str();
  serve
      ->add_option("--jobs-lease", o.jobs_lease,
                   "Seconds a server holds the lease of the jobs done for all (reminders, "
                   "reports, notifications, federation): with several servers on one PostgreSQL "
                   "database, another takes them over this long after the holder ends")
      ->capture_default_str();
  serve
      ->add_option("--save-state-every", o.save_state_every,
                   "Seconds between saves of the indicators' state, when it changed (the next "
                   "start loads it instead of reading every record)")
      ->capture_default_str();
  serve
      ->add_option("--verify-state-after", o.verify_state_after,
                   "Seconds after a start from the saved state when a full build checks it in "
                   "the background (a difference is logged, named, and the state rebuilt); "
                   "-1: never")
      ->capture_default_str();
  serve->add_option("--remind-every", o.remind_every,
                    "Seconds between rounds of Resolution 57 reminders (queued for today, then "
                    "delivered by the configured webhook and SMTP server); 0: none");
  serve->callback([&] { action = RunServe; });

  auto* units = app.add_subcommand("units", "Administrative units and agencies");
  units->require_subcommand(1);
  auto* import = units->add_subcommand("import", "Import the official lists (replaces all units)");
  add_db(import);
  import->add_option("--source", o.source,
                     "Directory of the official lists (default: shipped copies)");
  import->add_option("--agencies", o.agencies,
                     "CSV of the province's agencies (code,name,short_name,type)");
  import->add_option("--province", o.province, "Code of the home province (default 80)");
  import->add_flag("--json", o.json, "Machine-readable output");
  import->callback([&] { action = RunImport;
});

auto* ls = units->add_subcommand("ls", "List provinces, or the children of a unit");
add_db(ls);
ls->add_option("--parent", o.parent, "List the children of this unit");
ls->add_option("--level", o.level, "province, district, commune or agency");
ls->add_option("--as-of", o.as_of, "Date (default today); before 2025-07-01 shows the old units");
ls->add_option("--search,-q", o.query, "Name search, with or without diacritics");
ls->add_flag("--json", o.json, "Machine-readable output");
ls->callback([&] { action = RunUnitsList; });

auto* show = units->add_subcommand("show", "Show one unit");
add_db(show);
show->add_option("code", o.code, "Unit code")->required();
show->add_option("--as-of", o.as_of, "Date (default today)");
show->add_flag("--json", o.json, "Machine-readable output");
show->callback([&] { action = RunUnitsShow; });

auto* resolve = units->add_subcommand("resolve", "Resolve a pre-2025 commune code");
add_db(resolve);
resolve->add_option("code", o.code, "Old commune code")->required();
resolve->add_flag("--json", o.json, "Machine-readable output");
resolve->callback([&] { action = RunUnitsResolve; });

auto* add = units->add_subcommand("add", "Add a department or agency under the home province");
add_db(add);
add->add_option("--code", o.agency.code, "Agency code")->required();
add->add_option("--name", o.agency.name, "Full name")->required();
add->add_option("--short-name", o.agency.short_name, "Short name");
add->add_option("--type", o.agency.type, "Type: Sở, Ban, Văn phòng, ...");
add->add_option("--parent", o.agency.parent_code, "Province code (default: home province)");
add->callback([&] { action = [](const Options& opts) { return RunUnitsAdd(opts); }; });

auto* backup = app.add_subcommand("backup", "Online backup of the database to a new file");
add_db(backup);
backup->add_option("file", o.backup_file, "Destination file (must not exist)")->required();
backup->callback([&] { action = RunBackup; });

auto* settings = app.add_subcommand("settings", "Read or change a setting of the database");
settings->require_subcommand(1);
auto* set = settings->add_subcommand("set",
                                     "Set a setting (notify.webhook_url, notify.smtp_url, "
                                     "notify.email_default, tracker.report_due_day, ...)");
add_db(set);
set->add_option("key", o.setting_key, "Setting name")->required();
set->add_option("value", o.setting_value, "New value")->required();
set->callback([&] { action = RunSettingsSet; });
auto* get = settings->add_subcommand("get", "Print a setting");
add_db(get);
get->add_option("key", o.setting_key, "Setting name")->required();
get->callback([&] { action = RunSettingsGet; });

pdh::cli::AddSecurityCommands(app, o, action);
pdh::cli::AddCatalogCommands(app, o, action);
pdh::cli::AddStoreCommands(app, o, action);
pdh::cli::AddDatasetCommands(app, o, action);
pdh::cli::AddIndicatorCommands(app, o, action);
pdh::cli::AddLinkCommands(app, o, action);
pdh::cli::AddQualityCommands(app, o, action);
pdh::cli::AddReportCommands(app, o, action);
pdh::cli::AddShareCommands(app, o, action);

try {
  app.parse(argc, argv);
} catch (const CLI::ParseError& e) {
  if (UnknownCommand(app, argc, argv)) return 2;
  return app.exit(e) == 0 ? 0 : 2;
}
try {
  return action ? action(o) : 2;
} catch (const Failure& f) {
  std::cerr << "pdh: " << f.error().message << " [" << f.error().code << "]\n";
  return ExitCode(f.error());
} catch (const std::exception& e) {
  std::cerr << "pdh: " << e.what() << "\n";
  return 1;
}
}

#if defined(__SANITIZE_ADDRESS__)
// What the leak checker of the sanitized build must not report, being the libraries' and not
// ours: Fontconfig (which Pango asks for the report's fonts) keeps its configuration and caches
// for the life of the process; libxlsxwriter 1.1 does not free the formula of a list validation
// (the drop-downs of a dataset's Excel template).
extern "C" const char* __lsan_default_suppressions() {  // NOLINT(readability-identifier-naming)
  return "leak:libfontconfig.so\nleak:libxlsxwriter.so\n";
}
#endif
