#include "run/measure.h"

#include <gtest/gtest.h>

namespace harness {
namespace {

// The sampler's window spans oha's start-up and exit as well as its load; a CPU percentage taken
// over that window understates what the server used while the load ran. A 1-second smoke
// measurement whose sampler window was 1.25 s read 40% for 50% of busy CPU.
TEST(MeasureTest, CpuPercentagesAreOverOhasOwnDuration) {
  Usage usage;
  usage.cpu_seconds = 0.5;
  usage.cpu_avg_pct = 40;  // 0.5 s over the sampler's 1.25 s
  EXPECT_DOUBLE_EQ(OverLoad(usage, 1.0).cpu_avg_pct, 50);
  EXPECT_DOUBLE_EQ(OverLoad(usage, 1.0).cpu_seconds, 0.5);
  EXPECT_DOUBLE_EQ(OverLoad(usage, 0).cpu_avg_pct, 40);  // no duration: left as it was
}

// oha runs a thread per core, so a warning about "oha near one core" never fired: the limit to
// look for is the machine as a whole.
TEST(MeasureTest, AMachineBusyToItsLimitIsFlagged) {
  LoadSpec spec;
  spec.duration = std::chrono::seconds(15);
  Measurement m;
  m.requests = m.successes = 1000;
  m.duration_s = 15;
  m.latency.mean = 150;  // Little's law: 10 in flight, as -c 10
  m.machine_usage.cpu_avg_pct = 189;
  m.server_usage.cpu_avg_pct = 91;
  m.postgres_usage.cpu_avg_pct = 54;
  m.oha_usage.cpu_avg_pct = 44;
  AddSanityWarnings(spec, m, 2);
  ASSERT_EQ(m.warnings.size(), 1u);
  EXPECT_EQ(m.warnings[0],
            "the machine was 189% busy of 200% (server 91%, Postgres 54%, oha 44%, other 0%): "
            "the machine, not the server alone, may have been the limit");
  EXPECT_TRUE(MachineBound(m, 2));
  EXPECT_FALSE(MachineBound(m, 4));

  m.warnings.clear();
  AddSanityWarnings(spec, m, 4);
  EXPECT_TRUE(m.warnings.empty());
}

}  // namespace
}  // namespace harness
