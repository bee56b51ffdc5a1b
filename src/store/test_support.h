// What the store's tests share: a store of their own, opened in a fresh directory for each test
// and removed after it.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "store/store.h"

namespace pdh::store::testing {

class StoreTest : public ::testing::Test {
 protected:
  // `name` names the directory ("pdh-<name>-<pid>-<test>") and the database file ("<name>.db").
  explicit StoreTest(std::string name) : name_(std::move(name)) {}

  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("pdh-" + name_ + "-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto s = Store::Open((dir_ / (name_ + ".db")).string());
    ASSERT_TRUE(s) << s.error().message;
    store_ = std::move(*s);
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::filesystem::path dir_;
  std::unique_ptr<Store> store_;

 private:
  std::string name_;
};

// The codes of the rows a read returned, in order; the error's message alone when it failed.
template <class Row>
std::vector<std::string> Codes(const Result<std::vector<Row>>& rows) {
  if (!rows) return {"error: " + rows.error().message};
  std::vector<std::string> out;
  for (const auto& r : *rows) out.push_back(r.code);
  return out;
}

}  // namespace pdh::store::testing
