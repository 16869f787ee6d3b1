#include "report/hosts.h"

#include <gtest/gtest.h>

#include "report/cpu_shares.h"
#include "report/sample_runs.h"

namespace harness {
namespace {

using sample::Contains;

// The reference run's two servers as if placed: load on a (1 core), servers on b (1 core),
// Postgres on c (2 cores).
RunResults Placed() {
  RunResults run = sample::ReferenceRun();
  Environment one{.cpu_model = "Xeon", .cores = 1, .kernel = "6.1"};
  Environment two{.cpu_model = "Xeon", .cores = 2, .kernel = "6.1"};
  run.hosts = {{"a", "root@10.0.0.1", "10.0.0.1", {"load"}, one, 1},
               {"b", "root@10.0.0.2", "10.0.0.2", {"server:fastapi", "server:axum"}, one, 1},
               {"c", "root@10.0.0.3", "10.0.0.3", {"postgres"}, two, 2}};
  run.round_trips = {{"load a <-> server b", "a", "10.0.0.2:22", 20, 0.0812, 0.05, 0.3}};
  for (Measurement& m : run.measurements) {
    m.host_usage = {{"a", {.cpu_avg_pct = 40, .samples = 10}},
                    {"b", {.cpu_avg_pct = 95, .samples = 10}},
                    {"c", {.cpu_avg_pct = 30, .samples = 10}}};
  }
  return run;
}

TEST(ReportHostsTest, EachHostItsRolesAndTheRoundTrips) {
  std::string md = RenderHosts(Placed());
  EXPECT_TRUE(Contains(md, "## Hosts\n"));
  EXPECT_TRUE(Contains(md, "| b    | server:fastapi, server:axum | 10.0.0.2 | Xeon |")) << md;
  EXPECT_TRUE(Contains(md, "|                   1 of 1 | 6.1    |")) << md;
  EXPECT_TRUE(Contains(md, "| load a \\<-> server b | a    | 10.0.0.2:22 |    20 |      0.0812 |"))
      << md;
  EXPECT_EQ(RenderHosts(sample::ReferenceRun()), "");
}

// Each host against its own cores: b at 95% of its one core is flagged, c at 30% of 200% not.
TEST(ReportHostsTest, WhereTheCpuWentPerHost) {
  std::string md = RenderCpuShares(Placed());
  EXPECT_TRUE(Contains(md, "a busy (load)")) << md;
  EXPECT_TRUE(Contains(md, "95% of 100% ⚠")) << md;
  EXPECT_TRUE(Contains(md, "30% of 200% |")) << md;
  EXPECT_FALSE(Contains(md, "all of this machine")) << md;
}

}  // namespace
}  // namespace harness
