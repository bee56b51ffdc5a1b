// pdh store copy: a province's database moved between SQLite and PostgreSQL, completely.
#include <boost/json.hpp>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <string>

#include "audit/audit.h"
#include "cli/cli.h"
#include "core/json_util.h"
#include "store/store.h"

namespace pdh::cli {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

std::string Hex(uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

// The database as it is named in messages: a connection string without its password.
std::string Shown(const std::string& db) {
  if (!store::Store::IsServer(db)) return db;
  std::string out = db;
  const auto scheme = out.find("://");
  const auto at = out.find('@');
  if (scheme != std::string::npos && at != std::string::npos) {
    const auto colon = out.find(':', scheme + 3);
    if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
  }
  return out;
}

int StoreCopy(const Options& o) {
  if (o.copy_from.empty() || o.copy_to.empty()) {
    throw Failure(Error::BadRequest("store.copy_usage",
                                    "name both databases: pdh store copy --from A --to B"));
  }
  if (o.copy_from == o.copy_to) {
    throw Failure(Error::BadRequest("store.copy_same", "--from and --to name the same database"));
  }
  auto from = OpenStore(o.copy_from, false);
  auto to = OpenStore(o.copy_to, true);
  bool holds_rows = !Must(to->empty());
  for (const auto& t : Must(to->Checksums())) holds_rows = holds_rows || t.rows > 0;
  if (holds_rows) {
    if (!o.force) {
      throw Failure(
          Error::Conflict("store.target_not_empty",
                          "'" + Shown(o.copy_to) +
                              "' holds data already: pass --force to replace everything it holds"));
    }
    to.reset();
    Must(store::Store::Erase(o.copy_to));
    to = OpenStore(o.copy_to, true);
  }
  const auto copied = Must(from->CopyTo(*to));
  const auto read_back = Must(to->Checksums());
  std::map<std::string, store::Store::TableSum> target;
  for (const auto& t : read_back) target[t.table] = t;
  bool same = true;
  json::array tables;
  for (const auto& t : copied) {
    const auto it = target.find(t.table);
    const bool ok =
        it != target.end() && it->second.rows == t.rows && it->second.checksum == t.checksum;
    same = same && ok;
    tables.push_back(
        json::object{{"table", t.table},
                     {"rows", t.rows},
                     {"checksum", Hex(t.checksum)},
                     {"target_rows", it == target.end() ? 0 : it->second.rows},
                     {"target_checksum", it == target.end() ? "" : Hex(it->second.checksum)},
                     {"same", ok}});
  }
  // The audit log's signing key goes with it, to where the target's key is looked for.
  const std::string key_from = audit::Log::DefaultKeyPath(o.copy_from);
  const std::string key_to = audit::Log::DefaultKeyPath(o.copy_to);
  std::string key_note;
  if (key_from != key_to && fs::exists(key_from)) {
    if (fs::path(key_to).has_parent_path()) fs::create_directories(fs::path(key_to).parent_path());
    std::error_code ec;
    fs::copy_file(key_from, key_to, fs::copy_options::overwrite_existing, ec);
    if (ec) {
      throw Failure(Error::Internal(
          "store.copy_key", "cannot copy the audit key to '" + key_to + "': " + ec.message()));
    }
    fs::permissions(key_to, fs::perms::owner_read | fs::perms::owner_write, ec);
    key_note = "; the audit signing key copied to " + key_to;
  }
  const auto audit = Must(audit::Verify(to->audit(), std::nullopt));
  if (o.json) {
    std::cout << json_util::Serialize(json::object{{"from", Shown(o.copy_from)},
                                                   {"to", Shown(o.copy_to)},
                                                   {"tables", tables},
                                                   {"same", same},
                                                   {"audit_verified", audit.ok},
                                                   {"audit_entries", audit.entries},
                                                   {"audit_key", key_note.empty() ? "" : key_to}})
              << "\n";
  } else {
    std::printf("%-34s %10s  %-16s  %s\n", "table", "rows", "checksum", "copy");
    for (const auto& v : tables) {
      const auto& t = v.as_object();
      std::printf("%-34s %10lld  %-16s  %s\n", json::value_to<std::string>(t.at("table")).c_str(),
                  static_cast<long long>(t.at("rows").as_int64()),
                  json::value_to<std::string>(t.at("checksum")).c_str(),
                  t.at("same").as_bool() ? "same" : "DIFFERS");
    }
    std::cout << (same ? "copied " : "copy DIFFERS: ") << copied.size() << " tables from "
              << Shown(o.copy_from) << " to " << Shown(o.copy_to) << "; "
              << (audit.ok
                      ? "the audit log verifies (" + std::to_string(audit.entries) + " entries)"
                      : "the audit log FAILS verification: " + audit.problem)
              << "\n";
  }
  if (!same) {
    throw Failure(Error::Internal("store.copy_differs",
                                  "the copy's rows differ from the source's: see the tables "
                                  "marked DIFFERS"));
  }
  return audit.ok ? 0 : 5;
}

}  // namespace

void AddStoreCommands(CLI::App& app, Options& o, int (*&action)(const Options&)) {
  auto* store_cmd = app.add_subcommand("store", "The database itself");
  store_cmd->require_subcommand(1);
  auto* copy = store_cmd->add_subcommand(
      "copy", "Copy a database completely to another, SQLite file or PostgreSQL (postgresql://…)");
  copy->add_option("--from", o.copy_from, "The database to copy")->required();
  copy->add_option("--to", o.copy_to, "The database to copy it to (empty, or --force)")->required();
  copy->add_flag("--force", o.force, "Replace what the target holds");
  copy->add_flag("--json", o.json, "Machine-readable output");
  copy->callback([&] { action = StoreCopy; });
}

}  // namespace pdh::cli
