#include "report/scenario.h"

#include <gtest/gtest.h>

#include "report/sample_runs.h"

namespace harness {
namespace {

using sample::Contains;
using sample::Lacks;

// The reference's "corrected" experiment as the committed run measured it: 10,000 rps offered
// for 15 s, fastapi achieving ~300 and axum ~5,000, so both ended seconds behind their schedule.
RunResults CorrectedRun() {
  RunResults run = sample::ReferenceRun();
  run.scenarios = {"corrected"};
  run.scenario_commands = {{"corrected", "oha -z 15s -q 10000 ..."}};
  run.measurements.clear();
  const double p50s[] = {7095, 3893}, rps[] = {296, 4982}, backlogs[] = {14556, 7526};
  const char* names[] = {"fastapi", "axum"};
  for (int i = 0; i < 2; ++i) {
    for (int rep = 1; rep <= 3; ++rep) {
      Measurement m = sample::Point(names[i], "corrected", rep, rps[i] + rep, p50s[i] + rep,
                                    2 * p50s[i], i ? 10 : 83, 50);
      m.offered_rps = 10000;
      m.saturated = true;
      m.backlog_ms = backlogs[i] + rep;
      run.measurements.push_back(m);
    }
  }
  return run;
}

TEST(ReportScenarioTest, ASaturatedLatencyIsNotPrintedAsOne) {
  std::string table = RenderScenario(CorrectedRun(), "corrected");
  // Latency rows give the backlog instead, and no improvement: "axum 45% better" would be the
  // ratio of two throughputs in disguise. Throughput and cost stay: they were measured.
  EXPECT_TRUE(Contains(table,
                       "| 50% latency (ms)      | saturated (backlog 14.6 s) | saturated "
                       "(backlog 7.53 s) |                   – |\n"));
  EXPECT_TRUE(Contains(table, "| 99% latency (ms)      | saturated (backlog 14.6 s) |"));
  EXPECT_TRUE(Contains(table, "| Throughput (rps)      |              298 (297–299) |"));
  EXPECT_TRUE(Lacks(table, "7095"));
}

TEST(ReportScenarioTest, SomeSaturatedRepetitionsAreCountedNotHidden) {
  RunResults run = CorrectedRun();
  // axum: two of three repetitions kept up.
  run.measurements[3].saturated = run.measurements[4].saturated = false;
  std::string table = RenderScenario(run, "corrected");
  EXPECT_TRUE(Contains(
      table,
      "| 50% latency (ms)      | saturated (backlog 14.6 s) | 3894.5 (3894.0–3895.0) 2/3 valid |"));

  // One of three is not enough: the latency is the backlog's.
  run.measurements[4].saturated = true;
  table = RenderScenario(run, "corrected");
  EXPECT_TRUE(Contains(table, "| saturated (backlog 7.53 s) |"));
}

}  // namespace
// The reference run's cpp-beast at 10,000 rps offered: 9,998 achieved, 0.9 ms behind its
// schedule at the end, but 51 requests in the system on average for 10 connections, so it was
// saturated by Little's law. "saturated (backlog 0.9 ms)" named the wrong rule and read as a
// contradiction; the cell now names the one that judged it.
TEST(ReportScenarioTest, ASaturationByLittlesLawSaysSo) {
  RunResults run = CorrectedRun();
  for (Measurement& m : run.measurements) {
    if (m.server != "axum") continue;
    m.backlog_ms = 0.9;
    m.behind_schedule = false;
    m.in_system = 51.3;
    m.concurrency = 10;
  }
  std::string table = RenderScenario(run, "corrected");
  EXPECT_TRUE(Contains(table, "| saturated (51 in the system for 10 connections) |"));
  EXPECT_TRUE(Lacks(table, "backlog 0.9 ms"));
}

}  // namespace harness
