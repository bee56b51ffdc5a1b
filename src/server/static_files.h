// The web app's files from a directory: content types, cached strong ETags, precompressed
// .gz siblings, long caching for hashed assets, and the single-page-app fallback to index.html.
// Private to src/server.
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/error.h"
#include "server/server.h"

namespace pdh::http::detail {

// Content-Type for a file name by its extension; application/octet-stream when unknown.
std::string_view ContentTypeFor(std::string_view file_name);

// Thread-safe. Files are read at first use and kept in memory with their ETag; a file changed
// on disk afterwards is not noticed (the web app is replaced by restarting the server).
class StaticFiles {
 public:
  explicit StaticFiles(const std::string& root);

  // The response for a GET of `path` (percent-decoded, starting with '/'), with ETag,
  // Cache-Control and, for gzip-accepting clients, the .gz sibling. Fails with
  // "file.not_found" (404) for a missing file with an extension, or anything outside root.
  Result<Response> Serve(std::string_view path, std::string_view accept_encoding) const;

 private:
  struct File {
    std::string body;
    std::string etag;
  };
  // The regular file at `relative` under root, or null when absent or outside root.
  std::shared_ptr<const File> Load(const std::filesystem::path& relative) const;

  std::filesystem::path root_;  // canonical; empty when the directory does not exist
  mutable std::mutex mutex_;
  mutable std::unordered_map<std::string, std::shared_ptr<const File>> cache_;
};

}  // namespace pdh::http::detail
