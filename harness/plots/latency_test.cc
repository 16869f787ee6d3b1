#include "plots/latency.h"

#include <gtest/gtest.h>

#include "compare/test_runs.h"

namespace harness {
namespace {

TEST(LatencyPlotTest, LatencySpectrumHasALinePerServerOnALogAxis) {
  std::string svg = LatencySpectrumSvg(test_runs::MakeRun({1, 2}), "closed");
  EXPECT_TRUE(svg.ends_with("</svg>\n"));
  for (const char* text : {">axum<", ">cpp-beast<", ">p99.99<", ">latency (ms)<", ">10<"}) {
    EXPECT_NE(svg.find(text), std::string::npos) << text;
  }
  EXPECT_EQ(LatencySpectrumSvg(test_runs::MakeRun({1}), "nope"), "");
}

}  // namespace
}  // namespace harness
