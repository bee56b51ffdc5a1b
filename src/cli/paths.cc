// Run-time locations of shipped files.
#include "cli/paths.h"

#include <cstdlib>
#include <filesystem>
#include <system_error>

namespace pdh::cli {
namespace {

namespace fs = std::filesystem;

std::string Locate(const char* env, const char* installed, const char* in_source) {
  if (const char* e = std::getenv(env); e && *e) return e;
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    fs::path candidate = exe.parent_path().parent_path() / installed;
    if (fs::exists(candidate, ec)) return candidate.string();
  }
  return (fs::path(PDH_SOURCE_DIR) / in_source).string();
}

}  // namespace

std::string DataDir() {
  return Locate("PDH_DATA_DIR", "share/pdh/data", "data");
}
std::string WebDir() {
  return Locate("PDH_WEB_DIR", "share/pdh/web", "web/dist");
}

}  // namespace pdh::cli
