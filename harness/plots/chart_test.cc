#include "plots/chart.h"

#include <gtest/gtest.h>

namespace harness {
namespace {

TEST(ChartTest, SeriesColoursAreDistinctThenCycle) {
  EXPECT_NE(SeriesColor(0), SeriesColor(1));
  EXPECT_EQ(SeriesColor(0), SeriesColor(7));
}

TEST(ChartTest, AxesDrawAGridLineAndALabelPerTick) {
  Svg svg(300, 200, "t");
  Frame frame{50, 20, 280, 170};
  DrawYAxis(svg, frame, Scale{0, 100, 170, 20}, {0, 50, 100}, "CPU (%)");
  DrawXAxis(svg, frame, Scale{0, 2, 50, 280}, {0, 1, 2}, {"a", "b", "c"}, "seconds");
  DrawLegend(svg, 200, 30, {"axum"}, {SeriesColor(0)});
  std::string out = svg.Finish();
  for (const char* text : {">50<", ">100<", ">b<", ">seconds<", ">CPU (%)<", ">axum<"}) {
    EXPECT_NE(out.find(text), std::string::npos) << text;
  }
  EXPECT_NE(out.find("<line x1=\"50.0\" y1=\"95.0\" x2=\"280.0\" y2=\"95.0\""), std::string::npos)
      << out;
}

}  // namespace
}  // namespace harness
