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
| 50%        |                           saturated | 4870 → 4870 rps; 0.500 / 1.00 / 2.00 ms |
)"));
}

TEST(ReportSweepTest, MissingPointIsADash) {
  RunResults run = sample::RepeatedRun();
  std::erase_if(run.measurements,
                [](const Measurement& m) { return m.server == "fastapi" && m.level == "0.25"; });
  EXPECT_TRUE(Contains(RenderSweeps(run), "| 25%        | " + std::string(34, ' ') + "– |"));
}

TEST(ReportSweepTest, NothingWithoutASweep) { EXPECT_EQ(RenderSweeps(sample::ReferenceRun()), ""); }

}  // namespace
}  // namespace harness
