// Query and body helpers for the route files.
#include "api/handler_util.h"

#include <algorithm>
#include <charconv>
#include <sstream>

namespace pdh::api {

namespace json = boost::json;

std::optional<size_t> ParseCount(std::string_view s) {
  size_t n = 0;
  const char* end = s.data() + s.size();
  auto [p, ec] = std::from_chars(s.data(), end, n);
  if (ec != std::errc() || p != end) return std::nullopt;
  return n;
}

size_t ParseLimit(const http::Request& req, size_t fallback, size_t max) {
  auto s = req.Query("limit");
  if (!s) return fallback;
  auto n = ParseCount(*s);
  if (!n || *n == 0 || *n > max) {
    throw Failure(Error::BadRequest(
        "request.invalid_limit", "limit must be a whole number from 1 to " + std::to_string(max)));
  }
  return *n;
}

json::object BodyObject(const http::Request& req) {
  json::value v = req.Json();
  if (!v.is_object()) {
    throw Failure(Error::Invalid("request.invalid_body", "the body must be a JSON object"));
  }
  return std::move(v.as_object());
}

namespace {

[[noreturn]] void BadField(std::string_view key, std::string_view what) {
  throw Failure(
      Error::Invalid("request.invalid_field", std::string(key) + " must be " + std::string(what)));
}

const json::value* Field(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end() || it->value().is_null()) return nullptr;
  return &it->value();
}

}  // namespace

std::optional<std::string> OptString(const json::object& o, std::string_view key) {
  const json::value* v = Field(o, key);
  if (!v) return std::nullopt;
  if (!v->is_string()) BadField(key, "a string");
  return std::string(v->as_string());
}

std::optional<bool> OptBool(const json::object& o, std::string_view key) {
  const json::value* v = Field(o, key);
  if (!v) return std::nullopt;
  if (!v->is_bool()) BadField(key, "true or false");
  return v->as_bool();
}

std::optional<int64_t> OptInt(const json::object& o, std::string_view key) {
  const json::value* v = Field(o, key);
  if (!v) return std::nullopt;
  if (!v->is_int64() && !(v->is_uint64() && v->as_uint64() <= INT64_MAX)) {
    BadField(key, "a whole number");
  }
  return v->to_number<int64_t>();
}

std::optional<std::vector<std::string>> OptStrings(const json::object& o, std::string_view key) {
  const json::value* v = Field(o, key);
  if (!v) return std::nullopt;
  if (!v->is_array()) BadField(key, "an array of strings");
  std::vector<std::string> out;
  for (const auto& e : v->as_array()) {
    if (!e.is_string()) BadField(key, "an array of strings");
    out.emplace_back(e.as_string());
  }
  return out;
}

void OnlyFields(const json::object& o, std::initializer_list<std::string_view> known) {
  for (const auto& kv : o) {
    if (std::find(known.begin(), known.end(), kv.key()) == known.end()) {
      throw Failure(
          Error::Invalid("request.unknown_field",
                         "'" + std::string(kv.key()) + "' is not a field of this request"));
    }
  }
}

json::value OrNull(const std::optional<std::string>& s) {
  return s ? json::value(*s) : json::value(nullptr);
}

std::vector<http::ParamDoc> RegisterListParams(std::vector<http::ParamDoc> filters) {
  filters.push_back({"limit", "query", "1 to 1000, default 100", false, R"({"type":"integer"})"});
  filters.push_back({"cursor", "query", "The next value of the previous page"});
  return filters;
}

std::string RegisterListSchema(const std::string& record_schema) {
  return R"({"type":"object","properties":{"items":{"type":"array","items":)" + record_schema +
         R"(},"next":{"type":["string","null"]}}})";
}

http::ParamDoc AsOfParam() {
  return {"as_of", "query",
          "The date the data is seen at (YYYY-MM-DD or DD/MM/YYYY); default the IOC's date "
          "(the setting ioc.as_of), else today.",
          false, R"({"type":"string"})"};
}

Date AsOf(const http::Request& req) {
  auto s = req.Query("as_of");
  if (!s || s->empty()) return Date::Today();
  auto d = Date::Parse(*s);
  if (!d) {
    throw Failure(Error::BadRequest("request.invalid_date",
                                    "as_of '" + *s + "' is not a date: use YYYY-MM-DD"));
  }
  return *d;
}

Date AsOf(Context& ctx, const http::Request& req) {
  if (TextParam(req, "as_of")) return AsOf(req);
  return engine::DefaultAsOf(ctx.store());
}

std::optional<std::string> TextParam(const http::Request& req, const std::string& name) {
  auto s = req.Query(name);
  if (!s || s->empty()) return std::nullopt;
  return s;
}

bool FlagParam(const http::Request& req, const std::string& name) {
  auto v = TextParam(req, name);
  return v && (*v == "true" || *v == "1" || *v == "yes");
}

bool DryRunParam(const http::Request& req) {
  return FlagParam(req, "dry_run");
}

bool IsXlsxUpload(const http::Request& req) {
  if (TextParam(req, "format")) return WantsXlsx(req);
  return req.Header("content-type").starts_with(kXlsxType) || req.body.starts_with("PK\x03\x04");
}

bool WantsXlsx(const http::Request& req) {
  const std::string format = TextParam(req, "format").value_or("csv");
  if (format != "csv" && format != "xlsx") {
    throw Failure(Error::BadRequest("request.invalid_format", "format must be csv or xlsx"));
  }
  return format == "xlsx";
}

http::Response UploadBusy(const Context& ctx, const http::Request& req) {
  http::Response r = http::Response::Problem(
      {"upload.busy",
       "máy chủ đang đọc " + std::to_string(ctx.max_uploads()) +
           " tệp, gửi lại sau ít giây / the server is reading " +
           std::to_string(ctx.max_uploads()) +
           " uploads already: send it again in a few seconds (limit: --max-uploads of pdh serve)",
       503},
      req);
  r.headers.emplace_back("Retry-After", "2");
  return r;
}

http::Response SheetDownload(const http::Request& req, const std::string& basename,
                             const std::function<Status(std::ostream&)>& csv,
                             const std::function<Status(std::ostream&)>& xlsx) {
  const bool as_xlsx = WantsXlsx(req);
  std::ostringstream out;
  Must(as_xlsx ? xlsx(out) : csv(out));
  http::Response r;
  r.content_type = as_xlsx ? kXlsxType : "text/csv; charset=utf-8";
  r.body = std::move(out).str();
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + basename +
                                                    (as_xlsx ? ".xlsx" : ".csv") + "\"");
  return r;
}

json::value UnitNameOr(const units::Registry& reg, const std::string& code) {
  if (const units::Unit* u = reg.Find(code, Date::Today())) return json::value(u->name);
  auto eras = reg.FindAllEras(code);
  return eras.empty() ? json::value(nullptr) : json::value(eras.front()->name);
}

void AddSheetRoutes(http::Router& router, const std::string& module, const SheetRouteDocs& docs,
                    http::Handler import, http::Handler download) {
  router.Add("POST", "/api/v1/" + module + "/import", module + ".import", std::move(import),
             {.summary = docs.import_summary,
              .tag = module,
              .params = {{"format", "query", "csv or xlsx; default from the Content-Type"},
                         {"dry_run", "query", "true: check and count, write nothing"}},
              .response_schema = docs.import_schema,
              .error_statuses = {400, 413, 422, 503},
              .description = docs.import_description,
              .permission = module + ".write",
              .scope = "rows",
              .stewarded = true});
  router.Add("GET", "/api/v1/" + module + "/export", module + ".export", std::move(download),
             {.summary = docs.export_summary,
              .tag = module,
              .params = {{"format", "query", "csv (default) or xlsx"}},
              .error_statuses = {400},
              .response_content_type = "text/csv",
              .permission = module + ".read"});
}

void AddWriteRoutes(http::Router& router, const std::string& module, const std::string& records,
                    const WriteRouteDocs& docs, http::Handler create, http::Handler update) {
  const std::string path = "/api/v1/" + module + "/" + records;
  router.Add("POST", path, module + ".create", std::move(create),
             {.summary = docs.create_summary,
              .tag = module,
              .request_schema = docs.request_schema,
              .response_schema = docs.response_schema,
              .success_status = 201,
              .error_statuses = {400, 409, 415, 422},
              .description = docs.create_description,
              .permission = module + ".write",
              .scope = docs.create_scope,
              .stewarded = true});
  router.Add("PUT", path + "/{code}", module + ".update", std::move(update),
             {.summary = docs.update_summary,
              .tag = module,
              .request_schema = docs.request_schema,
              .response_schema = docs.response_schema,
              .error_statuses = {400, 404, 409, 415, 422},
              .description = docs.update_description,
              .permission = module + ".write",
              .scope = docs.update_scope,
              .stewarded = true});
}

}  // namespace pdh::api
