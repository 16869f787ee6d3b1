#include "report/sweep.h"

#include <gtest/gtest.h>

#include "report/sample_runs.h"

namespace harness {
namespace {

using sample::Contains;

TEST(ReportSweepTest, RowPerLevelInLoadOrderCellPerServer) {
  std::string md = RenderSweeps(sample::RepeatedRun());
  EXPECT_TRUE(md.starts_with("## Sweeps\n\nEach cell: ")) << md;
  EXPECT_TRUE(Contains(md, R"(### sweep

| Load       |                             fastapi |                                    axum |
| :--------- | ----------------------------------: | --------------------------------------: |
| saturation | – → 305 rps; 20.0 / 60.0 / 120.0 ms |    – → 9740 rps; 0.500 / 1.00 / 2.00 ms |
| 25%        | 76 → 76 rps; 20.0 / 60.0 / 120.0 ms | 2435 → 2435 rps; 0.500 / 1.00 / 2.00 ms |
| 50%        |               saturated (0/1 valid) | 4870 → 4870 rps; 0.500 / 1.00 / 2.00 ms |
)"));
}

// Three repetitions at the same offered rates: a cell says how many were valid, and a level
// where fewer than half were reads "saturated" whatever the valid one said.
TEST(ReportSweepTest, CellsCountTheirValidRepetitions) {
  RunResults run;
  run.scenarios = {"sweep"};
  for (int rep = 1; rep <= 3; ++rep) {
    for (const char* level : {"0.75", "0.90"}) {
      Measurement m = sample::Point("axum", "sweep", rep, 4000 + rep, 1.0 + rep, 10.0 * rep, 5, 50);
      m.level = *Level::Parse(level);
      m.offered_rps = 4000;
      // 0.75: repetition 3 saturated; 0.90: repetitions 2 and 3.
      m.valid = level[3] == '5' ? rep < 3 : rep < 2;
      run.measurements.push_back(m);
    }
  }
  run.sweep_rates.push_back({"axum", "sweep", {5300, 5000, 5400}, 5300, {}});
  run.sweep_rates.back().levels.push_back({0.75, 3975, 30, "oha -z 10s -c 30 -q 3975"});
  std::string md = RenderSweeps(run);
  EXPECT_TRUE(Contains(md, "| 75%  | 4000 → 4002 rps; 2.50 / 15.0 / 30.0 ms; 2/3 valid |\n"));
  EXPECT_TRUE(Contains(md, "| 90%  |                             saturated (1/3 valid) |\n"));
  EXPECT_TRUE(
      Contains(md, "the median the levels are fractions of: axum 5300, 5000, 5400 → 5300."));
  EXPECT_TRUE(Contains(md, "for example axum at 75%: `oha -z 10s -c 30 -q 3975`"));
}

TEST(ReportSweepTest, MissingPointIsADash) {
  RunResults run = sample::RepeatedRun();
  std::erase_if(run.measurements, [](const Measurement& m) {
    return m.server == "fastapi" && m.level == Level::Fraction(0.25);
  });
  EXPECT_TRUE(Contains(RenderSweeps(run), "| 25%        | " + std::string(34, ' ') + "– |"));
}

TEST(ReportSweepTest, NothingWithoutASweep) { EXPECT_EQ(RenderSweeps(sample::ReferenceRun()), ""); }

}  // namespace
}  // namespace harness
