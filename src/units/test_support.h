// What the tests of modules built on the units share: the real units of province 80 imported
// once per process into a template database, copied afresh for each test and removed after it.
// PDH_TEST_BACKEND=postgresql: the template and its copies are databases of the test cluster
// (store/test_support.h).
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "core/date.h"
#include "store/store.h"
#include "store/test_support.h"
#include "units/units.h"

namespace pdh::units::testing {

inline Date D(const char* iso) {
  return *Date::Parse(iso);
}

// The error code of a failed result ("" when it succeeded).
template <class R>
std::string CodeOf(const R& r) {
  return r ? "" : r.error().code;
}

// A test whose databases start with the units and nothing else. The template is made by the
// first suite of the process and kept until it exits.
class UnitsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (registry_) return;
    dir_ = new std::filesystem::path(std::filesystem::temp_directory_path() /
                                     ("pdh-units-" + std::to_string(::getpid())));
    std::filesystem::remove_all(*dir_);
    std::filesystem::create_directories(*dir_);
    std::atexit([] { std::filesystem::remove_all(*dir_); });
    template_ = new std::string(store::testing::Database(Template()));
    auto s = store::Store::Open(*template_);
    ASSERT_TRUE(s) << s.error().message;
    auto r = units::Import(
        **s, **s, {PDH_SOURCE_DIR "/data/vn-admin", PDH_SOURCE_DIR "/data/agencies/80.csv", "80"});
    ASSERT_TRUE(r) << r.error().message;
    auto reg = units::Registry::Load(**s);
    ASSERT_TRUE(reg) << reg.error().message;
    registry_ = new std::shared_ptr<const units::Registry>(*reg);
  }

  // A fresh database with the units and nothing else, named after `name`.
  static std::unique_ptr<store::Store> OpenCopy(const std::string& name) {
    const std::filesystem::path path = *dir_ / (name + ".db");
    std::string db = path.string();
    if (store::testing::OnPostgres()) {
      db = store::testing::Database(db, *template_);
    } else {
      std::filesystem::remove(path);
      std::filesystem::copy_file(Template(), path);
    }
    auto s = store::Store::Open(db);
    EXPECT_TRUE(s) << s.error().message;
    return s ? std::move(*s) : nullptr;
  }

  // Removes the copy named after `name`, with its journal files.
  static void RemoveCopy(const std::string& name) {
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::filesystem::remove(*dir_ / (name + ".db" + suffix));
    }
  }

  // The running test's name, which names its database.
  static std::string Name() {
    return ::testing::UnitTest::GetInstance()->current_test_info()->name();
  }
  static std::string Template() { return (*dir_ / "template.db").string(); }

  static inline std::filesystem::path* dir_ = nullptr;
  static inline std::string* template_ = nullptr;  // what the template was opened as
  static inline std::shared_ptr<const units::Registry>* registry_ = nullptr;
};

}  // namespace pdh::units::testing
