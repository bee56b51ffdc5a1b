// Shared by the auth tests: a temporary store holding a handful of Tây Ninh units, a manual
// clock, and a Service over both.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "auth/auth.h"
#include "store/store.h"
#include "units/units.h"

namespace pdh::auth::testing {

// 1 October 2025, 08:00 UTC.
inline TimePoint TestStart() {
  return std::chrono::sys_days(std::chrono::year_month_day(
             std::chrono::year(2025), std::chrono::October, std::chrono::day(1))) +
         std::chrono::hours(8);
}

// The province, one department with a sub-department, and two wards.
inline std::vector<store::UnitRow> TestUnits() {
  auto unit = [](int64_t id, std::string code, std::string level, std::string name,
                 std::optional<int64_t> parent) {
    store::UnitRow u;
    u.id = id;
    u.code = std::move(code);
    u.type = level == "province" ? "Tỉnh" : level == "agency" ? "Sở" : "Phường";
    u.level = std::move(level);
    u.name = std::move(name);
    u.short_name = u.name;
    u.parent_id = parent;
    return u;
  };
  return {
      unit(1, "80", "province", "Tỉnh Tây Ninh", std::nullopt),
      unit(2, "80.SNNMT", "agency", "Sở Nông nghiệp và Môi trường", 1),
      unit(3, "80.SNNMT.CCTL", "agency", "Chi cục Thủy lợi", 2),
      unit(4, "25459", "commune", "Phường Tân Ninh", 1),
      unit(5, "27694", "commune", "Phường Long An", 1),
  };
}

// A password that meets the policy: 22 code points, more bytes.
inline const std::string kGoodPassword = "một hai ba bốn năm sáu";

class AuthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("pdh-auth-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto s = store::Store::Open((dir_ / "auth.db").string());
    ASSERT_TRUE(s) << s.error().message;
    store_ = std::move(*s);
    ASSERT_TRUE(store_->ReplaceUnits(TestUnits(), {}));
    auto r = units::Registry::Load(*store_);
    ASSERT_TRUE(r) << r.error().message;
    registry_ = *r;
    service_ = std::make_unique<Service>(store_->identity(), *store_, clock_);
  }
  void TearDown() override {
    service_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  int64_t CreatePerson(const std::string& name, std::vector<Grant> grants,
                       const std::string& password = kGoodPassword) {
    auto id = service_->CreateAccount(
        {.name = name, .display_name = name, .password = password, .grants = std::move(grants)},
        *registry_);
    EXPECT_TRUE(id) << id.error().message;
    return id ? *id : 0;
  }
  int64_t CreateOfficer(const std::string& name) {
    return CreatePerson(name, {{Role::kOfficer, "80.SNNMT", true}});
  }
  // An administrator with TOTP enrolled; returns the TOTP secret. Leaves the clock 30 s on, so
  // the next code is a fresh step.
  std::string CreateAdministratorWithTotp(const std::string& name) {
    const int64_t id = CreatePerson(name, {{Role::kAdministrator, "", false}});
    auto enrol = service_->BeginTotp(id);
    EXPECT_TRUE(enrol);
    EXPECT_TRUE(service_->ConfirmTotp(id, TotpCode(enrol->secret_base32, clock_.Now())));
    clock_.Advance(std::chrono::seconds(30));
    return enrol->secret_base32;
  }
  Result<LoginResult> Login(const std::string& name, const std::string& password = kGoodPassword,
                            std::optional<std::string> code = std::nullopt) {
    return service_->Login(name, password, code, "192.0.2.1");
  }

  std::filesystem::path dir_;
  ManualClock clock_{TestStart()};
  std::unique_ptr<store::Store> store_;
  std::shared_ptr<const units::Registry> registry_;
  std::unique_ptr<Service> service_;
};

// The error code of a failed result ("" when it succeeded).
template <class T>
std::string CodeOf(const Result<T>& r) {
  return r ? "" : r.error().code;
}

}  // namespace pdh::auth::testing
