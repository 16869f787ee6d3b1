#include "report/metrics.h"

#include <gtest/gtest.h>

#include "compare/test_runs.h"

namespace harness {
namespace {

TEST(MetricsTest, CompareJudgesFiveMetricsWithTheirDirections) {
  std::vector<std::string> compared;
  for (const MetricSpec& m : Metrics()) {
    if (m.compared) compared.push_back(std::string(m.key));
  }
  EXPECT_EQ(compared, (std::vector<std::string>{"rps", "p50", "p99", "rss_mib", "cpu_s_per_1k"}));
  EXPECT_EQ(Metrics().front().better, Better::kHigher);
  for (const MetricSpec& m : Metrics()) {
    if (m.key != "rps") {
      EXPECT_EQ(m.better, Better::kLower) << m.key;
    }
  }
}

TEST(MetricsTest, PointsExpandSweepsIntoTheirLevels) {
  RunResults run = test_runs::MakeRun({1});
  run.scenarios.push_back("sweep");
  for (const char* level : {"0.50", "saturation"}) {
    Measurement m = test_runs::Measured("axum", "sweep", 1, 1);
    m.level = *Level::Parse(level);
    run.measurements.push_back(m);
  }
  std::vector<std::string> labels;
  for (const Point& p : Points(run)) labels.push_back(p.Label());
  EXPECT_EQ(labels, (std::vector<std::string>{"closed", "keepalive", "sweep (saturation)",
                                              "sweep (0.50)"}));
}

TEST(MetricsTest, ValuesComeFromValidRepetitionsOnly) {
  RunResults run = test_runs::MakeRun({1, 2, 3});
  run.measurements[0].valid = false;        // axum closed, repetition 1
  run.measurements[4].latency.p99.reset();  // axum closed, repetition 2
  const MetricSpec& rps = Metrics()[0];
  const MetricSpec& p99 = Metrics()[3];
  EXPECT_EQ(Values(run, "axum", {"closed", Level()}, rps), (std::vector<double>{2000, 3000}));
  EXPECT_EQ(Values(run, "axum", {"closed", Level()}, p99), (std::vector<double>{5.0 / 3}));
}

}  // namespace
}  // namespace harness
