#include "plots/throughput.h"

#include <gtest/gtest.h>

#include "compare/test_runs.h"

namespace harness {
namespace {

TEST(ThroughputPlotTest, ThroughputBarsCarryTheirValueAndWhiskers) {
  std::string svg = ThroughputSvg(test_runs::MakeRun({1, 1.5, 2}));
  EXPECT_TRUE(svg.ends_with("</svg>\n"));
  EXPECT_NE(svg.find(">1500<"), std::string::npos);  // the median, above the bar
  EXPECT_NE(svg.find("whisker: min–max"), std::string::npos);
  EXPECT_NE(svg.find(">keepalive<"), std::string::npos);
  EXPECT_EQ(ThroughputSvg(RunResults{}), "");
}

}  // namespace
}  // namespace harness
