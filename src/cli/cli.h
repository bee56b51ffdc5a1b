// The pdh command line: options shared by the commands and the helpers they use.
#pragma once

#include <CLI/CLI.hpp>
#include <boost/json/object.hpp>

#include <memory>
#include <string>
#include <vector>

#include "audit/audit.h"
#include "auth/auth.h"
#include "core/clock.h"
#include "engine/engine.h"
#include "ingest/ingest.h"
#include "share/share.h"
#include "store/store.h"
#include "units/units.h"

namespace pdh::cli {

struct Options {
  std::string db = "var/pdh.db";
  bool json = false;
  bool force = false;
  std::string source;
  std::string agencies;
  std::string province = "80";
  std::string listen = "127.0.0.1:8080";
  std::string web;
  std::string access_log = "-";
  bool access_log_given = false;  // --access-log was on the command line
  int threads = 0;
  std::string code;
  std::string as_of;
  std::string parent;
  std::string level;
  std::string query;
  std::string backup_file;
  std::string copy_from;  // store copy
  std::string copy_to;
  pdh::units::AgencyInput agency;
  // serve: security
  std::string tls_cert;
  std::string tls_key;
  std::string tls_client_ca;
  // share
  std::string from;
  std::string to;
  std::string base_url;
  int session_idle = 0;        // seconds; 0: the default (15 min)
  int admin_session_idle = 0;  // seconds; 0: the default (5 min)
  double rate_per_address = 50;
  double rate_per_token = 20;
  std::vector<std::string> trusted_proxies;  // addresses or CIDR networks of proxies in front
  int remind_every = 300;
  int jobs_lease = 30;               // seconds a server holds the lease of the jobs done for all
  int save_state_every = 300;        // seconds between saves of the engine's state (when changed)
  int verify_state_after = 300;      // seconds after a start from the saved state; -1: never
  size_t max_event_streams = 20000;  // event-stream clients at once
  std::string setting_key;
  std::string setting_value;  // seconds between reminder rounds; 0: none
  // users, tokens, audit
  std::string user;
  std::string display_name;
  std::string password;
  bool password_stdin = false;
  std::string role;
  std::string unit;
  bool include_descendants = false;
  bool system = false;
  std::string token_name = "cli";
  int token_days = 30;
  std::vector<std::string> permissions;
  std::vector<std::string> token_units;
  int64_t token_id = 0;
  std::string out;
  std::string public_key;
  int keep_days = 90;
  // catalog
  std::string kind;
  std::string status;
  std::string file;
  bool dry_run = false;
  // datasets and ingest
  std::string dataset;
  std::vector<std::string> files;
  std::string format;
  std::string sheet;
  std::string encoding = "auto";
  bool accept_valid = false;
  bool reingest = false;
  std::string batch_id;
  // limits on one file (pdh ingest) or upload (pdh serve); see ingest::Limits
  uint64_t max_unzipped_mb = 1024;
  double max_ratio = 200;
  size_t max_columns = 2048;
  uint64_t max_cells = 100000000;
  size_t max_uploads = 4;   // pdh serve: uploads read at once
  size_t max_body_mb = 32;  // pdh serve: bytes of one request body
  bool no_progress = false;
  std::string template_name;
  std::string schema_file;
  std::string title;
  std::string note;
  int64_t limit = 20;
  std::string dir;
  // link
  std::string link_id;
  std::string link_rules;
  std::string link_explain;
  std::string link_pairs_out;
  double link_threshold = 0.5;
  uint64_t link_max_pairs = 50'000'000;
  unsigned link_threads = 2;
};

// Opens the database (creating its directory and file when `create`). Throws Failure.
std::unique_ptr<store::Store> OpenStore(const std::string& path, bool create);
// The units of the database; throws units.empty when none were imported.
std::shared_ptr<const units::Registry> LoadRegistry(store::Store& store);
std::string HomeProvince(store::Store& store);
// The areas of the database the index set engine reads and writes.
engine::Stores EngineStores(store::Store& store);
// The audit log of the database, with its key beside the database file.
std::unique_ptr<audit::Log> OpenAuditLog(store::Store& store, const Clock& clock);
// The audit entry of a command run on the database file (actor CliActor(), remote "local").
audit::Event CommandEvent(std::string action, std::string target);
// Appends an entry for a command run on the database file that writes nothing (an export); a
// command that writes opens an audit::Scope with CommandEvent before it writes instead, so the
// entry commits with the write.
void AuditCommand(audit::Log& log, const std::string& action, const std::string& target);
// Who runs a command, as the audit log and the catalog's history name them: "cli:<OS user>".
std::string CliActor();

// The account `user` as a principal for an offline command run on its behalf (--as): its
// grants, as a token would carry them. Throws when the account is missing or disabled.
auth::Principal OfflinePrincipal(store::Store& store, const Clock& clock, const std::string& user);

// The data-quality scoreboard of the whole province as of a date (quality::Scoreboard), as
// `pdh quality scoreboard` and the monthly report show it.
Result<boost::json::object> ProvinceScoreboard(
    store::Store& store, const std::shared_ptr<const units::Registry>& registry,
    const engine::Snapshot& snap, Date as_of);

// Creates the administrator "admin" with a random password; returns the password.
std::string CreateDemoAdministrator(store::Store& store, const units::Registry& registry);
// The demo's connected systems (their system accounts, clients, grants, open datasets) and a
// day of their exchanges on the audit log.
share::DemoSummary CreateDemoSharing(store::Store& store, const units::Registry& registry,
                                     audit::Log& log, const std::string& province);

// users, tokens and audit commands; each returns the process exit code.
void AddSecurityCommands(CLI::App& app, Options& o, int (*&action)(const Options&));
// catalog commands: summary, ls, show, import, export.
void AddCatalogCommands(CLI::App& app, Options& o, int (*&action)(const Options&));
// pdh store copy.
void AddStoreCommands(CLI::App& app, Options& o, int (*&action)(const Options&));
// The options --max-unzipped-mb, --max-ratio, --max-columns and --max-cells on `c` (pdh ingest,
// pdh serve), and the limits they set.
void AddLimitOptions(CLI::App* c, Options& o);
ingest::Limits LimitsOf(const Options& o);
// `ingest` and the datasets commands.
void AddDatasetCommands(CLI::App& app, Options& o, int (*&action)(const Options&));
// `indicators` and `values` commands.
void AddIndicatorCommands(CLI::App& app, Options& o, int (*&action)(const Options&));
// `link dedupe` and `link pair`: record linkage on plain CSV files.
void AddLinkCommands(CLI::App& app, Options& o, int (*&action)(const Options&));
// `quality scoreboard|scores|checks`.
void AddQualityCommands(CLI::App& app, Options& o, int (*&action)(const Options&));
// report commands (the monthly report).
void AddReportCommands(CLI::App& app, Options& o, int (*&action)(const Options&));
void AddShareCommands(CLI::App& app, Options& o, int (*&action)(const Options&));

}  // namespace pdh::cli
