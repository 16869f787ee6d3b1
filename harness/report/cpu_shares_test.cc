#include "report/cpu_shares.h"

#include <gtest/gtest.h>

#include "report/sample_runs.h"

namespace harness {
namespace {

using sample::Contains;

// The committed reference run's closed loop, axum: 91% + Postgres 54% + oha 44% = 189% of 200%,
// and nothing said so. Now the table shows where the CPU went and flags it.
TEST(ReportCpuSharesTest, ShowsWhoTookTheMachineAndFlagsItsLimit) {
  RunResults run = sample::ReferenceRun();
  run.environment.cores = 2;
  for (Measurement& m : run.measurements) {
    m.machine_usage = {.cpu_avg_pct = 120, .samples = 150};
    m.oha_usage.cpu_avg_pct = 4;
    m.postgres_usage.cpu_avg_pct = 9;
    m.oha_cpu_s_per_1k = 0.131;
  }
  Measurement& axum = run.measurements[1];
  axum.machine_usage.cpu_avg_pct = 189;
  axum.server_usage.cpu_avg_pct = 91;
  axum.postgres_usage.cpu_avg_pct = 54;
  axum.oha_usage.cpu_avg_pct = 44;
  axum.oha_cpu_s_per_1k = 0.0452;
  std::string md = RenderCpuShares(run);
  EXPECT_TRUE(Contains(md, "## Where the CPU went\n"));
  EXPECT_TRUE(Contains(md, "so 200% is all of this machine"));
  EXPECT_TRUE(Contains(md, "(1 of 2 points)"));
  EXPECT_TRUE(Contains(md,
                       "| fastapi | closed |  305 |   120% of 200% |     8% |       9% |  4% |   "
                       "98% |              0.131 |"));
  EXPECT_TRUE(Contains(md,
                       "| axum    | closed | 9740 | 189% of 200% ⚠ |    91% |      54% | 44% |    "
                       "0% |             0.0452 |"));
}

TEST(ReportCpuSharesTest, NothingForRunsWithoutTheMachinesCpu) {
  EXPECT_EQ(RenderCpuShares(sample::ReferenceRun()), "");
}

}  // namespace
}  // namespace harness
