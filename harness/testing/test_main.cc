// harness_tests' main(): the tests spawn processes, whose supervisors are this binary
// re-executed (util/supervisor.h).
#include <gtest/gtest.h>

#include "util/supervisor.h"

int main(int argc, char** argv) {
  if (harness::IsSupervisorCall(argc, argv)) return harness::Supervise(argc, argv);
  testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
