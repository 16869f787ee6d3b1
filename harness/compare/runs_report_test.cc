#include "compare/runs_report.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "compare/test_runs.h"
#include "report/sample_runs.h"

namespace harness {
namespace {

using sample::Contains;

std::vector<LoadedRun> TwoRuns() {
  LoadedRun a{"results/20261125T100000Z-aaa", "20261125T100000Z-aaa", test_runs::MakeRun({1, 1.1})};
  LoadedRun b{"results/20261126T100000Z-bbb", "20261126T100000Z-bbb", test_runs::MakeRun({2})};
  b.results.fingerprint = "0000000000000000";
  return {a, b};
}

TEST(RunsReportTest, MarkdownPutsRunsSideBySide) {
  std::string md = RenderRunsMarkdown(TwoRuns());
  EXPECT_TRUE(md.starts_with("# Benchmark results, side by side\n\n| Run "));
  EXPECT_TRUE(Contains(md, "| `20261125T100000Z-aaa` | 2026-11-25T20:00:00Z | abc1234 |"));
  EXPECT_TRUE(Contains(md, "method fingerprints differ"));
  EXPECT_TRUE(Contains(md,
                       "## Scenario: closed\n\n| Metric                | axum "
                       "(20261125T100000Z-aaa) | cpp-beast (20261125T100000Z-aaa) | axum "
                       "(20261126T100000Z-bbb) |"));
  // Two repetitions: the median and the range; one: the value.
  EXPECT_TRUE(Contains(md, "| Throughput (rps)      |            1050 (1000–1100) |"));
  EXPECT_TRUE(Contains(md, "## Scenario: keepalive\n"));
}

TEST(RunsReportTest, JsonHasEveryMetricOfEveryServer) {
  auto doc = nlohmann::json::parse(RenderRunsJson(TwoRuns()));
  ASSERT_EQ(doc["runs"].size(), 2u);
  const auto& run = doc["runs"][0];
  EXPECT_EQ(run["label"], "20261125T100000Z-aaa");
  EXPECT_EQ(run["repetitions"], 2);
  const auto& point = run["points"][0];
  EXPECT_EQ(point["scenario"], "closed");
  EXPECT_EQ(point["command"], "oha -z 1s -c 10 --disable-keepalive");
  const auto& rps = point["servers"][0]["metrics"]["rps"];
  EXPECT_EQ(rps["median"], 1050);
  EXPECT_EQ(rps["min"], 1000);
  EXPECT_EQ(rps["max"], 1100);
  EXPECT_EQ(rps["n"], 2);
  EXPECT_TRUE(point["servers"][0]["metrics"].contains("p9999"));
}

TEST(RunsReportTest, CsvHasALinePerFigure) {
  std::string csv = RenderRunsCsv(TwoRuns());
  EXPECT_TRUE(
      csv.starts_with("run,scenario,level,server,metric,median,min,max,n\n"
                      "20261125T100000Z-aaa,closed,,axum,rps,1050,1000,1100,2\n"));
  EXPECT_TRUE(Contains(csv, "\n20261126T100000Z-bbb,keepalive,,cpp-beast,p50,1,1,1,1\n"));
  // Two runs × 2 scenarios × 2 servers × 11 metrics, and the header.
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 1 + 2 * 2 * 2 * 11);
}

}  // namespace
}  // namespace harness
