#include "plots/sweep.h"

#include <gtest/gtest.h>

namespace harness {
namespace {

Measurement Point(const std::string& server, const std::string& level, double offered, double p99,
                  bool valid = true) {
  Measurement m;
  m.server = server;
  m.scenario = "sweep";
  m.level = *Level::Parse(level);
  m.offered_rps = offered;
  m.latency.p99 = p99;
  m.valid = valid;
  return m;
}

RunResults Sweep() {
  RunResults r;
  r.scenarios = {"closed", "sweep"};
  r.servers = {{.name = "axum"}, {.name = "cpp-beast"}};
  r.measurements = {Point("axum", "saturation", 0, 9), Point("axum", "0.25", 1000, 1.5),
                    Point("axum", "0.50", 2000, 2.5), Point("axum", "0.90", 3600, 90, false),
                    Point("cpp-beast", "0.25", 1500, 0.8)};
  return r;
}

TEST(SweepPlotTest, DrawsOneLinePerServerWithoutSaturatedPoints) {
  std::string svg = SweepSvg(Sweep(), "sweep");
  ASSERT_FALSE(svg.empty());
  EXPECT_NE(svg.find("<svg"), std::string::npos);
  EXPECT_NE(svg.find("axum"), std::string::npos);
  EXPECT_NE(svg.find("cpp-beast"), std::string::npos);
  EXPECT_NE(svg.find("offered load"), std::string::npos);
  EXPECT_EQ(svg.find("3600"), std::string::npos) << "the saturated point widened the x axis";
}

TEST(SweepPlotTest, OnlySweepScenariosAreListed) {
  EXPECT_EQ(SweepScenarios(Sweep()), std::vector<std::string>{"sweep"});
  EXPECT_TRUE(SweepSvg(Sweep(), "closed").empty());
}

}  // namespace
}  // namespace harness
