// Helpers shared by the route files: reading query parameters and JSON bodies with errors a
// client can act on. Private to the api module.
#pragma once

#include <boost/json.hpp>

#include <functional>
#include <istream>
#include <optional>
#include <ostream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "api/api.h"
#include "core/date.h"
#include "register/register.h"
#include "server/server.h"
#include "units/units.h"

namespace pdh::api {

// A whole number, or nullopt when `s` is anything else.
std::optional<size_t> ParseCount(std::string_view s);
// ?limit= within 1..max (fallback when absent). Errors: request.invalid_limit.
size_t ParseLimit(const http::Request& req, size_t fallback, size_t max);
// The body as a JSON object. Errors: request.invalid_json, request.invalid_body.
boost::json::object BodyObject(const http::Request& req);
// A string field, nullopt when absent or null. Errors: request.invalid_field.
std::optional<std::string> OptString(const boost::json::object& o, std::string_view key);
std::optional<bool> OptBool(const boost::json::object& o, std::string_view key);
std::optional<int64_t> OptInt(const boost::json::object& o, std::string_view key);
// An array of strings, nullopt when absent. Errors: request.invalid_field.
std::optional<std::vector<std::string>> OptStrings(const boost::json::object& o,
                                                   std::string_view key);
// Refuses fields outside `known`. Errors: request.unknown_field.
void OnlyFields(const boost::json::object& o, std::initializer_list<std::string_view> known);

// The ?as_of= parameter's documentation, and its value (YYYY-MM-DD or DD/MM/YYYY; default
// today). Errors: request.invalid_date.
http::ParamDoc AsOfParam();
Date AsOf(const http::Request& req);
// ?as_of=, else the IOC's date (the setting ioc.as_of), else today: the one date every page and
// export of the IOC shows.
Date AsOf(Context& ctx, const http::Request& req);

// A register's list route (the catalog's entries, the register's items): its `filters`, then
// limit (1 to 1000, default 100) and cursor; the answer {"items": [records], "next": cursor or
// null} of records in `record_schema`.
std::vector<http::ParamDoc> RegisterListParams(std::vector<http::ParamDoc> filters);
std::string RegisterListSchema(const std::string& record_schema);

// A query parameter, nullopt when absent or empty.
std::optional<std::string> TextParam(const http::Request& req, const std::string& name);
// A query parameter parsed by `parse` (nullopt when absent). Errors: request.invalid_<name>.
template <typename Parse>
auto EnumParam(const http::Request& req, const std::string& name, Parse parse,
               std::string_view allowed) -> decltype(parse(std::string_view())) {
  auto s = TextParam(req, name);
  if (!s) return std::nullopt;
  auto v = parse(*s);
  if (!v) {
    throw Failure(Error::BadRequest("request.invalid_" + name,
                                    name + " must be one of " + std::string(allowed)));
  }
  return v;
}
// A query flag: "true", "1" or "yes".
bool FlagParam(const http::Request& req, const std::string& name);
// ?dry_run=true|1|yes.
bool DryRunParam(const http::Request& req);
// Whether an uploaded sheet is XLSX: ?format=xlsx|csv, else the Content-Type or the ZIP magic.
// Errors: request.invalid_format.
bool IsXlsxUpload(const http::Request& req);
// ?format=csv|xlsx for downloads (default csv); true for xlsx. Errors: request.invalid_format.
bool WantsXlsx(const http::Request& req);
inline constexpr const char* kXlsxType =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
// A sheet download (?format=csv|xlsx) written by `csv` or `xlsx`, as "<basename>.<format>".
http::Response SheetDownload(const http::Request& req, const std::string& basename,
                             const std::function<Status(std::ostream&)>& csv,
                             const std::function<Status(std::ostream&)>& xlsx);
// The answer to an upload past the ones read at once (Context::TakeUploadSlot): 503
// upload.busy with Retry-After, naming --max-uploads.
http::Response UploadBusy(const Context& ctx, const http::Request& req);
// Reads an uploaded sheet (the request body) with `csv` or `xlsx` (see IsXlsxUpload).
template <typename Report>
Report SheetUpload(http::Request& req, const std::function<Result<Report>(std::istream&)>& csv,
                   const std::function<Result<Report>(std::string)>& xlsx) {
  if (IsXlsxUpload(req)) return Must(xlsx(std::move(req.body)));
  std::istringstream in(req.body);
  return Must(csv(in));
}
// The name of the unit with `code` (today's, else of any era), or null.
boost::json::value UnitNameOr(const units::Registry& reg, const std::string& code);

boost::json::value OrNull(const std::optional<std::string>& s);

// The import route of a register (the catalog, the Resolution 57 register, ...): the uploaded
// sheet (see SheetUpload) read by `r`'s ImportCsv or ImportXlsx as the caller, ?dry_run, each
// row's units checked against `permission` as on stewarded routes, within the server's upload
// limits and among its uploads at once; the report as JSON.
template <class Register>
http::Response RegisterImport(Context& ctx, http::Request& req, Register& r,
                              const std::string& permission) {
  const auth::Principal& p = CallerOf(req);
  const std::shared_ptr<void> slot = ctx.TakeUploadSlot();
  if (!slot) return UploadBusy(ctx, req);
  reg::ImportOptions options;
  options.actor = p.name;
  options.dry_run = DryRunParam(req);
  options.limits = ctx.upload_limits();
  options.may_edit = [&ctx, &p, &permission](const std::string& unit) {
    return MayOnCode(ctx, p, permission, unit, true);
  };
  return http::Response::Json(reg::ToJson(SheetUpload<reg::ImportReport>(
      req, [&](std::istream& in) { return r.ImportCsv(in, options); },
      [&](std::string bytes) { return r.ImportXlsx(std::move(bytes), options); })));
}

// What a register's import and export routes say of themselves.
struct SheetRouteDocs {
  std::string import_summary;
  std::string import_schema;       // the report's
  std::string import_description;  // "" repeats the summary
  std::string export_summary;
};
// POST /api/v1/<module>/import and GET /api/v1/<module>/export of the register `module`
// ("catalog", "tracker"), tagged with it: the import needs <module>.write for each row's unit
// (stewarded), the export <module>.read.
void AddSheetRoutes(http::Router& router, const std::string& module, const SheetRouteDocs& docs,
                    http::Handler import, http::Handler download);

// What a register's create and update routes say of themselves.
struct WriteRouteDocs {
  std::string create_summary;
  std::string create_description;
  std::string create_scope;  // "body:owner"
  std::string update_summary;
  std::string update_description;
  std::string update_scope;     // "catalog_entry:code"
  std::string request_schema;   // a record as clients write it
  std::string response_schema;  // a record as it reads back
};
// POST /api/v1/<module>/<records> (<module>.create, 201) and PUT
// /api/v1/<module>/<records>/{code} (<module>.update) of the register `module`, tagged with it:
// both need <module>.write, stewarded.
void AddWriteRoutes(http::Router& router, const std::string& module, const std::string& records,
                    const WriteRouteDocs& docs, http::Handler create, http::Handler update);

// The export route of a register: `r`'s ExportCsv or ExportXlsx (see SheetDownload).
template <class Register>
http::Response RegisterExport(const http::Request& req, Register& r, const std::string& basename) {
  return SheetDownload(
      req, basename, [&](std::ostream& out) { return r.ExportCsv(out); },
      [&](std::ostream& out) { return r.ExportXlsx(out); });
}

// The data-quality scoreboard as of a date, listing the units `may_see` admits (the province's
// figures are all of it): GET /api/v1/quality/scoreboard and the monthly report.
boost::json::object QualityScoreboard(Context& ctx, Date as_of,
                                      const std::function<bool(const std::string&)>& may_see);

}  // namespace pdh::api
