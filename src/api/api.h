// The HTTP API of pdh's modules: routes registered on the server's Router, over shared state
// (the store and the current snapshots the modules read from).
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "server/server.h"
#include "store/store.h"
#include "units/units.h"

namespace pdh::api {

// What the handlers share. Snapshots are replaced whole after a write; a handler takes the
// current one once and reads from it, so a request never sees half an update.
class Context {
 public:
  Context(store::Store& store, std::shared_ptr<const units::Registry> registry,
          std::string home_province, std::string version)
      : store_(store),
        registry_(std::move(registry)),
        home_province_(std::move(home_province)),
        version_(std::move(version)) {}

  store::Store& store() { return store_; }
  std::shared_ptr<const units::Registry> registry() const {
    std::lock_guard lock(mu_);
    return registry_;
  }
  // Rebuilds the units snapshot from the store (after a write).
  Status ReloadUnits();
  const std::string& home_province() const { return home_province_; }
  const std::string& version() const { return version_; }

 private:
  store::Store& store_;
  mutable std::mutex mu_;
  std::shared_ptr<const units::Registry> registry_;
  std::string home_province_;
  std::string version_;
};

// Registers every /api/v1 route of the modules.
void RegisterRoutes(http::Router& router, Context& ctx);

}  // namespace pdh::api
