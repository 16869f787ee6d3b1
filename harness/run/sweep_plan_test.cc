#include "run/sweep_plan.h"

#include <gtest/gtest.h>

namespace harness {
namespace {

Scenario SweepScenario() {
  Scenario s;
  s.name = "sweep";
  s.kind = ScenarioKind::kSweep;
  s.duration = std::chrono::seconds(10);
  s.concurrency = 10;
  s.keepalive = false;
  return s;
}

// The reference run's fastapi offered 242, 269 and 307 rps as "90%", one repetition each, from
// saturation runs of 268, 299 and 341: each repetition its own rate. Now one rate for all of
// them, from the median.
TEST(SweepPlanTest, OneRateForEveryRepetitionFromTheMedian) {
  SweepRates plan = PlanSweep("fastapi", SweepScenario(), {268, 299, 341});
  EXPECT_EQ(plan.server, "fastapi");
  EXPECT_EQ(plan.saturation_median, 299);
  ASSERT_EQ(plan.levels.size(), 4u);
  EXPECT_EQ(plan.levels[0].fraction, 0.25);
  EXPECT_EQ(plan.levels[0].rate, 75);  // 74.75, rounded
  EXPECT_EQ(plan.levels[3].rate, 269);
  // Connections: four times the closed loop's share at that fraction, at least 4.
  EXPECT_EQ(plan.levels[0].concurrency, 10);
  EXPECT_EQ(plan.levels[3].concurrency, 36);
  EXPECT_EQ(plan.levels[3].command,
            "oha -z 10s -c 36 --disable-keepalive --latency-correction -q 269 -w "
            "--stats-success-breakdown --no-tui --output-format json http://127.0.0.1:$PORT/");
}

TEST(SweepPlanTest, NoValidSaturationRunNoLevels) {
  EXPECT_TRUE(PlanSweep("x", SweepScenario(), {}).levels.empty());
  EXPECT_TRUE(PlanSweep("x", SweepScenario(), {0}).levels.empty());
}

TEST(SweepPlanTest, TinyRatesStayAtLeastOne) {
  SweepRates plan = PlanSweep("slow", SweepScenario(), {2});
  EXPECT_EQ(plan.levels[0].rate, 1);  // 0.5 would be no load at all
}

}  // namespace
}  // namespace harness
