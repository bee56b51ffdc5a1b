// Runs the integration suite against one `pdh serve`, then checks it stops cleanly on SIGTERM.
#include <gtest/gtest.h>

#include "integration/pdh_server.h"

namespace {

class StopServerAtEnd : public ::testing::Environment {
 public:
  void TearDown() override {
    EXPECT_EQ(pdh::test::StopSharedServer(), 0) << "pdh serve did not exit cleanly on SIGTERM";
    EXPECT_EQ(pdh::test::StopMatrixServer(), 0) << "pdh serve did not exit cleanly on SIGTERM";
  }
};

}  // namespace

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  ::testing::AddGlobalTestEnvironment(new StopServerAtEnd);
  return RUN_ALL_TESTS();
}
