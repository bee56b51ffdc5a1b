// The HTTP API of pdh's modules: routes registered on the server's Router, the one place where
// requests are authenticated and authorized (from each route's declared permission and unit
// scope), and the audit of what they did.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "audit/audit.h"
#include "auth/auth.h"
#include "catalog/catalog.h"
#include "core/clock.h"
#include "engine/engine.h"
#include "ingest/ingest.h"
#include "link/link.h"
#include "notify/notify.h"
#include "quality/quality.h"
#include "server/server.h"
#include "store/store.h"
#include "tracker/tracker.h"
#include "units/units.h"

namespace pdh::api {

// What a kept answer was computed from: when any part differs, it is computed again.
struct DataState {
  uint64_t store = 0;   // store::Store::data_generation()
  uint64_t engine = 0;  // the engine's snapshot version (0 without an engine)
  uint64_t units = 0;   // how many times the units were reloaded
  std::string today;    // the date the defaults ("as of today") resolve to

  bool operator==(const DataState&) const = default;
};

struct ReadCacheStats {
  uint64_t hits = 0;
  uint64_t misses = 0;
  size_t entries = 0;
  size_t bytes = 0;
};

// The answers of the IOC's reads, kept from one change of the data to the next: a route marked
// `cached` (http::RouteDoc) computes its answer once per (route, path and query, the reader's
// scope) and serves it again while the data it was computed from stays the same (Around).
// Thread-safe. Two readers asking for the same missing answer at once both compute it (the
// second one's copy is the one kept); nothing is held locked while a handler runs.
class ReadCache {
 public:
  explicit ReadCache(size_t max_bytes = size_t{256} << 20) : max_bytes_(max_bytes) {}

  // The key of a request: route name, path, its query parameters in order, and `scope`.
  static std::string Key(const http::Request& req, const http::Route& route,
                         const std::string& scope);

  // The kept answer for `key` computed at `state`, or `compute()`'s, kept when it is a 200 (with
  // its ETag, so that it is hashed once). `state` must be read before `compute` runs: data that
  // changes while it runs gives the answer a newer state, so it is computed again next time.
  http::Response Get(const std::string& key, const DataState& state,
                     const std::function<http::Response()>& compute);

  ReadCacheStats stats() const;

 private:
  struct Entry {
    DataState state;
    std::shared_ptr<const http::Response> response;
    std::list<std::string>::iterator age;  // position in order_
  };
  // REQUIRES: mu_ held.
  void Evict();

  const size_t max_bytes_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;  // REQUIRES: mu_ held
  std::list<std::string> order_;                    // least recently used first; REQUIRES: mu_
  size_t bytes_ = 0;                                // REQUIRES: mu_ held
  uint64_t hits_ = 0;                               // REQUIRES: mu_ held
  uint64_t misses_ = 0;                             // REQUIRES: mu_ held
};

// What the handlers share. Snapshots are replaced whole after a write; a handler takes the
// current one once and reads from it, so a request never sees half an update.
class Context {
 public:
  Context(store::Store& store, std::shared_ptr<const units::Registry> registry,
          std::string home_province, std::string version, auth::Service& auth,
          audit::Log& audit_log, const Clock& clock)
      : store_(store),
        registry_(std::move(registry)),
        home_province_(std::move(home_province)),
        version_(std::move(version)),
        auth_(auth),
        audit_(audit_log),
        clock_(clock),
        catalog_(store.catalog(),
                 catalog::Catalog::RegistrySource([this] { return this->registry(); }), clock),
        tracker_(store.tracker(), store,
                 tracker::Tracker::RegistrySource([this] { return this->registry(); }), clock),
        outbox_(store.outbox(), clock),
        link_(store.link(), store.datasets(), [this] { return this->registry(); }),
        quality_(store.datasets(), store) {}

  store::Store& store() { return store_; }
  // The areas of the store the index set engine's functions are given.
  engine::Stores engine_stores() {
    return {store_.index(), store_.datasets(), store_, &store_.engine()};
  }
  std::shared_ptr<const units::Registry> registry() const {
    std::lock_guard lock(mu_);
    return registry_;
  }
  // Rebuilds the units snapshot from the store (after a write).
  Status ReloadUnits();
  const std::string& home_province() const { return home_province_; }
  const std::string& version() const { return version_; }
  auth::Service& auth() { return auth_; }
  audit::Log& audit() { return audit_; }
  const Clock& clock() const { return clock_; }
  catalog::Catalog& catalog() { return catalog_; }
  tracker::Tracker& tracker() { return tracker_; }
  notify::Outbox& outbox() { return outbox_; }
  link::Hub& link() { return link_; }
  quality::Service& quality() { return quality_; }
  ReadCache& reads() { return reads_; }
  // What the answers of the cached reads are computed from, now.
  DataState data_state();

  // What one upload may make the server read, and how many uploads are read at once; set
  // before serving (`pdh serve --max-*`), defaults otherwise.
  void SetUploadLimits(ingest::Limits limits, size_t max_uploads) {
    upload_limits_ = limits;
    max_uploads_ = max_uploads;
  }
  const ingest::Limits& upload_limits() const { return upload_limits_; }
  // A place among the uploads being read, held until the returned object is destroyed; null
  // when all are taken (the handler answers 503 upload.busy with Retry-After). Thread-safe.
  [[nodiscard]] std::shared_ptr<void> TakeUploadSlot();
  size_t max_uploads() const { return max_uploads_; }

  // The index set engine and the hub of live events, set before serving (`pdh serve`).
  void SetEngine(engine::Engine* e) { engine_ = e; }
  // Throws Failure (503 engine.unavailable) when there is none.
  engine::Engine& engine();
  bool has_engine() const { return engine_ != nullptr; }
  const std::shared_ptr<http::EventHub>& events() const { return events_; }
  // After a write the indicators read from (a committed batch, reported values): the engine
  // takes it at once, so the answer and the live events already show it.
  void SyncEngine();
  // After a batch was stored (committed, or refused whole: its refused rows count too): the
  // quality evaluations the pages read take it, and a "quality" event says which datasets and
  // units changed. Called by SyncEngine, and every second for the writes of other processes
  // (cheap when no batch was committed since: `any_batch` makes it look anyway, for a batch
  // refused whole). A failure is logged: the batch is stored either way.
  void FollowQuality(bool any_batch = false);
  // The batches committed since the last call (by any process) told to the connected systems
  // subscribed to their datasets, and the notices due sent (signed, retried with backoff).
  // Called every second by `pdh serve`. The last batch told is kept in the setting
  // share.notified_batch, so a restart tells nothing twice. A failure is logged.
  void FollowShare();
  // Sends this hub's values to the other hub when the federation target's interval has passed
  // since the last sending (see PushFederation). Called every minute by `pdh serve`, on a thread
  // of its own (a slow receiver holds nothing else up). A failure is logged.
  void FollowFederation();

  // The unit whose officers run the province-wide registers (routes marked `stewarded`): the
  // setting "steward_unit", else the home province's Department of Science and Technology
  // (<province>.SKHCN) when it exists; null when there is none.
  const units::Unit* steward_unit(const units::Registry& registry);

  // Scopes other than path/query/body: "NAME:ARG" asks resolver NAME for the unit code a
  // request concerns ("" when there is none, e.g. the entry does not exist).
  using ScopeResolver = std::function<std::string(const http::Request&, const std::string& arg)>;
  void AddScopeResolver(std::string name, ScopeResolver resolver) {
    resolvers_[std::move(name)] = std::move(resolver);
  }
  const ScopeResolver* scope_resolver(const std::string& name) const {
    auto it = resolvers_.find(name);
    return it == resolvers_.end() ? nullptr : &it->second;
  }

 private:
  store::Store& store_;
  mutable std::mutex mu_;
  std::shared_ptr<const units::Registry> registry_;
  std::string home_province_;
  std::string version_;
  auth::Service& auth_;
  audit::Log& audit_;
  const Clock& clock_;
  catalog::Catalog catalog_;
  tracker::Tracker tracker_;
  notify::Outbox outbox_;
  link::Hub link_;
  quality::Service quality_;
  ReadCache reads_;
  std::atomic<uint64_t> units_loaded_{0};
  std::map<std::string, ScopeResolver> resolvers_;  // filled before serving, then read-only
  engine::Engine* engine_ = nullptr;
  ingest::Limits upload_limits_;
  size_t max_uploads_ = 4;
  size_t uploads_ = 0;   // REQUIRES: mu_ held
  std::mutex share_mu_;  // one FollowShare at a time
  std::shared_ptr<http::EventHub> events_ = std::make_shared<http::EventHub>();
};

// The live events of a sync's changes: "values" names what changed (the indicators, units and
// periods, and how many cells), small enough for every screen; "cells" carries the changed cells
// themselves (at most 5,000, then "truncated") to the streams that ask for them (?cells=true).
std::string ChangesEvent(const engine::SyncStats& stats, const std::string& at);
std::string CellsEvent(const engine::SyncStats& stats, const std::string& at);

// The quality alerts as of a date as messages for the outbox (POST /api/v1/quality/notifications,
// and `pdh serve` with the reminders).
Result<std::vector<notify::Message>> QualityMessages(Context& ctx, Date as_of);

// The monthly report due today under the schedule (setting report.monthly_day, 1–28: on that day
// of each month, the month before's): issued when it has not been, and queued in the outbox as
// an e-mail to the province with its PDF attached, once per month. Returns how many messages
// were queued (0 when nothing is scheduled, due or left to send). `pdh serve` runs it with the
// reminders.
Result<size_t> QueueScheduledReport(Context& ctx, Date today);

// Registers every /api/v1 route of the modules.
void RegisterRoutes(http::Router& router, Context& ctx);

// The server's authorize hook: authenticates (session cookie or bearer token), enforces the
// administrators' second factor and CSRF on cookie-authenticated writes, finds the unit the
// route concerns from its declared scope, and asks auth::Allows. Throws Failure to refuse.
void Authorize(Context& ctx, http::Request& req, const http::Route& route);

// The server's around hook: a read of a route marked `cached` is answered from ctx.reads(); the
// others go through AuditedHandler.
http::Response Around(Context& ctx, http::Request& req, const http::Route& route,
                      const std::function<http::Response()>& handler);

// Runs the handler of a write or of a read of private data inside an
// audit::Scope, so the entry (actor, route name, path, remote, request id, {"method"}) commits
// in the transaction of the handler's first write; a handler that wrote nothing has its entry
// appended once it answered, with the status ({"method","status"}). Refusals are the after
// hook's.
http::Response AuditedHandler(Context& ctx, http::Request& req, const http::Route& route,
                              const std::function<http::Response()>& handler);

// The server's after hook: appends requests refused for access (401, 403) to the audit log.
void AuditRequest(Context& ctx, const http::Request& req, const http::Route& route,
                  const http::Response& res);

// The principal the authorize hook attached, or null on public routes.
const auth::Principal* PrincipalOf(const http::Request& req);
// The same on routes that require one. Throws Failure (internal) when there is none.
const auth::Principal& CallerOf(const http::Request& req);

// Whether `p` may `permission` on `unit` (null: province-wide), counting the steward unit's
// officers on `stewarded` routes. The same rule as the authorize hook, for handlers that check
// more than one unit (an entry's old and new owner, each row of an import).
bool MayOn(Context& ctx, const auth::Principal& p, const std::string& permission,
           const units::Unit* unit, bool stewarded);
// The same for a unit code (unknown codes: as a province-wide resource).
bool MayOnCode(Context& ctx, const auth::Principal& p, const std::string& permission,
               const std::string& code, bool stewarded);

}  // namespace pdh::api
