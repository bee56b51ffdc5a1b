// The web app's files, served from a directory.
#include "server/static_files.h"

#include <algorithm>
#include <array>
#include <fstream>
#include <iterator>
#include <optional>
#include <utility>

#include "server/http_util.h"

namespace pdh::http::detail {
namespace {

namespace fs = std::filesystem;

// Relative path from the URL path's segments; null for a hidden or climbing segment, so
// neither ".env" nor "../x" can be named.
std::optional<fs::path> RelativePath(std::string_view path) {
  fs::path out;
  while (!path.empty()) {
    size_t slash = path.find('/');
    std::string_view segment = path.substr(0, slash);
    if (segment.starts_with('.') || segment.find('\\') != std::string_view::npos) {
      return std::nullopt;
    }
    if (!segment.empty()) out /= fs::path(std::string(segment));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

// True when the last segment names a file the web app could ship (a known extension). App
// routes may contain dots too ("/units/80.SKHCN"): those fall back to index.html.
bool NamesAFile(std::string_view path) {
  std::string_view last = path.substr(path.rfind('/') + 1);
  return last.find('.') != std::string_view::npos &&
         ContentTypeFor(last) != "application/octet-stream";
}

Error NotFound(std::string_view path) {
  return Error::NotFound("file.not_found", "no file at " + std::string(path));
}

}  // namespace

std::string_view ContentTypeFor(std::string_view file_name) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 12> kTypes = {{
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"},
      {".webmanifest", "application/manifest+json"},
  }};
  size_t dot = file_name.rfind('.');
  if (dot == std::string_view::npos) return "application/octet-stream";
  std::string ext = AsciiLower(file_name.substr(dot));
  for (const auto& [suffix, type] : kTypes) {
    if (ext == suffix) return type;
  }
  return "application/octet-stream";
}

StaticFiles::StaticFiles(const std::string& root) {
  std::error_code ec;
  if (!root.empty()) root_ = fs::canonical(root, ec);
  if (ec || !fs::is_directory(root_, ec)) root_.clear();
}

std::shared_ptr<const StaticFiles::File> StaticFiles::Load(const fs::path& relative) const {
  if (root_.empty() || relative.empty()) return nullptr;
  std::error_code ec;
  fs::path full = fs::canonical(root_ / relative, ec);
  if (ec || !fs::is_regular_file(full, ec)) return nullptr;
  // Symbolic links may point anywhere; only what resolves inside root is served.
  auto [root_end, full_it] = std::mismatch(root_.begin(), root_.end(), full.begin(), full.end());
  if (root_end != root_.end()) return nullptr;

  std::string key = full.string();
  {
    std::lock_guard lock(mutex_);
    if (auto it = cache_.find(key); it != cache_.end()) return it->second;
  }
  std::ifstream in(full, std::ios::binary);
  if (!in) return nullptr;
  auto file = std::make_shared<File>();
  file->body.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  if (in.bad()) return nullptr;
  file->etag = EtagFor(file->body);
  std::lock_guard lock(mutex_);
  return cache_.try_emplace(key, std::move(file)).first->second;
}

Result<Response> StaticFiles::Serve(std::string_view path, std::string_view accept_encoding) const {
  auto relative = RelativePath(path);
  if (!relative) return Fail(NotFound(path));
  auto file = Load(*relative);
  bool fallback = false;
  if (!file) {
    if (NamesAFile(path)) return Fail(NotFound(path));
    relative = fs::path("index.html");
    file = Load(*relative);
    fallback = true;
    if (!file) return Fail(NotFound(path));
  }

  Response r;
  r.content_type = ContentTypeFor(relative->filename().string());
  auto gz = Load(fs::path(relative->string() + ".gz"));
  if (gz) r.headers.emplace_back("Vary", "Accept-Encoding");
  if (gz && AcceptsGzip(accept_encoding)) {
    file = gz;
    r.headers.emplace_back("Content-Encoding", "gzip");
  }
  r.Share(std::shared_ptr<const std::string>(file, &file->body));  // the kept bytes, not a copy
  r.headers.emplace_back("ETag", file->etag);
  bool immutable = !fallback && path.starts_with("/assets/");
  r.headers.emplace_back("Cache-Control",
                         immutable ? "public, max-age=31536000, immutable" : "no-cache");
  return r;
}

}  // namespace pdh::http::detail
