// Every module's routes, registered in one place.
#include "api/api.h"

namespace pdh::api {

void RegisterUnitRoutes(http::Router& router, Context& ctx);
void RegisterAuthRoutes(http::Router& router, Context& ctx);
void RegisterCatalogRoutes(http::Router& router, Context& ctx);
void RegisterTrackerRoutes(http::Router& router, Context& ctx);
void RegisterDatasetRoutes(http::Router& router, Context& ctx);
void RegisterIndexRoutes(http::Router& router, Context& ctx);
void RegisterLinkRoutes(http::Router& router, Context& ctx);
void RegisterQualityRoutes(http::Router& router, Context& ctx);
void RegisterReportRoutes(http::Router& router, Context& ctx);
void RegisterShareRoutes(http::Router& router, Context& ctx);
void RegisterOpenRoutes(http::Router& router, Context& ctx);

void RegisterRoutes(http::Router& router, Context& ctx) {
  RegisterUnitRoutes(router, ctx);
  RegisterAuthRoutes(router, ctx);
  RegisterCatalogRoutes(router, ctx);
  RegisterTrackerRoutes(router, ctx);
  RegisterDatasetRoutes(router, ctx);
  RegisterIndexRoutes(router, ctx);
  RegisterLinkRoutes(router, ctx);
  RegisterQualityRoutes(router, ctx);
  RegisterReportRoutes(router, ctx);
  RegisterShareRoutes(router, ctx);
  RegisterOpenRoutes(router, ctx);
  // The IOC's reads: computed once per change of the data and kept for every reader with the
  // same access (Around, ReadCache); the long lists among them are also paged and trimmed to
  // the fields a page asks for.
  router.MarkCached(
      {"overview.get",       "indicators.get",   "index_set.get",      "values.get",
       "alerts.list",        "catalog.summary",  "catalog.series",     "catalog.facets",
       "catalog.list",       "catalog.get",      "datasets.list",      "tracker.summary",
       "tracker.programmes", "tracker.list",     "quality.scoreboard", "quality.scores",
       "quality.databases",  "quality.database", "units.list",         "units.get",
       "units.children",     "reports.get",      "boundaries.get"});
  router.MarkTrimmed({"indicators.list", "freshness.get", "tracker.reports"});
}

}  // namespace pdh::api
