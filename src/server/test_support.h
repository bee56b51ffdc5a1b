// Helpers shared by the server's tests: a scratch web root. Private to src/server tests.
#pragma once

#include <filesystem>
#include <fstream>
#include <random>
#include <string>

namespace pdh::http::testing {

// A directory removed with everything in it when the object goes.
class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() / ("pdh-server-test-" + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }

  void Write(const std::string& relative, const std::string& content) const {
    auto full = path_ / relative;
    std::filesystem::create_directories(full.parent_path());
    std::ofstream(full, std::ios::binary) << content;
  }

 private:
  std::filesystem::path path_;
};

// A web root like the built web app's, with a secret beside it that must never be served.
struct WebRoot {
  TempDir dir;
  std::filesystem::path root = dir.path() / "dist";

  WebRoot() {
    dir.Write("secret.txt", "secret");
    dir.Write("dist/index.html", "<!doctype html><title>pdh</title>");
    dir.Write("dist/assets/app-1234.js", "console.log(1)");
    dir.Write("dist/assets/app-1234.js.gz", "GZIPPED");
    dir.Write("dist/favicon.ico", "ico");
    dir.Write("dist/.env", "hidden");
    std::filesystem::create_symlink(dir.path() / "secret.txt", root / "link.txt");
  }
};

}  // namespace pdh::http::testing
