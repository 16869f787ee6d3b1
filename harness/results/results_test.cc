#include "results/results.h"

#include <gtest/gtest.h>

#include "report/markdown.h"
#include "report/sample_runs.h"

namespace harness {
namespace {

TEST(ResultsJsonTest, RoundTripsEveryPart) {
  RunResults run = sample::ReferenceRun();
  Ceiling c;
  c.kind = CeilingKind::kHttp;
  c.scenario = "closed";
  c.repetition = 2;
  c.rps = 16313.5;
  c.latency.p99 = 1.79;
  c.target_usage.anon_peak_mib = 1.5;
  c.command = "oha -z 10s -c 10 --disable-keepalive";
  c.error = "";
  run.ceilings.push_back(c);
  std::string text = ToJson(run);
  auto back = ParseResults(text, "results.json");
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(ToJson(*back), text);
  ASSERT_EQ(back->ceilings.size(), 1u);
  EXPECT_EQ(back->ceilings[0].scenario, "closed");
  EXPECT_DOUBLE_EQ(back->ceilings[0].target_usage.anon_peak_mib, 1.5);
  EXPECT_EQ(back->measurements.size(), run.measurements.size());
}

// Files written before ceilings and anonymous memory were recorded still load.
TEST(ResultsJsonTest, OlderFilesWithoutNewerFieldsLoad) {
  auto old = ParseResults(
      R"({"schema_version": 1, "partial": false, "measurements": [
          {"server": "axum", "scenario": "closed", "rps": 9740,
           "server_usage": {"rss_peak_mib": 10, "samples": 3}}]})",
      "old.json");
  ASSERT_TRUE(old) << old.error().message;
  EXPECT_TRUE(old->ceilings.empty());
  EXPECT_EQ(old->measurements[0].server_usage.anon_peak_mib, 0);
}

// Version 2 changed what some fields mean (latency of 2xx only, open-loop points judged by their
// backlog, fixed sweep rates); version 1 files still load and render, and say what they are.
TEST(ResultsJsonTest, VersionOneFilesStillReadAndRender) {
  auto v1 =
      LoadResults(std::string(PROJECT_SOURCE_DIR) + "/harness/results/testdata/reference-v1.json");
  ASSERT_TRUE(v1) << v1.error().message;
  EXPECT_EQ(v1->schema_version, 1);
  EXPECT_EQ(v1->measurements.size(), 96u);
  for (const Measurement& m : v1->measurements) EXPECT_FALSE(m.saturated);
  EXPECT_TRUE(v1->sweep_rates.empty());
  std::string md = RenderMarkdown(*v1);
  EXPECT_NE(md.find("results schema 1"), std::string::npos);
  EXPECT_NE(md.find("| Throughput (rps)      |"), std::string::npos);
  EXPECT_NE(md.find("## Sweeps"), std::string::npos);
  EXPECT_EQ(md.find("## Where the CPU went"), std::string::npos) << "v1 has no machine CPU";
}

TEST(ResultsJsonTest, VersionTwoFieldsRoundTrip) {
  RunResults run = sample::ReferenceRun();
  Measurement& m = run.measurements[0];
  m.offered_rps = 6324;
  m.concurrency = 36;
  m.schedule_s = 10;
  m.unsent = 1039;
  m.backlog_ms = 164.3;
  m.in_system = 219.8;
  m.saturated = true;
  m.machine_usage.cpu_avg_pct = 189;
  m.postgres_usage.processes_started = 2;
  run.sweep_rates.push_back({"axum", "sweep", {5000, 5200}, 5100, {{0.5, 2550, 20, "oha ..."}}});
  run.server_orders = {{"fastapi", "axum"}, {"axum", "fastapi"}};
  auto back = ParseResults(ToJson(run), "results.json");
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(ToJson(*back), ToJson(run));
  EXPECT_EQ(back->measurements[0].unsent, 1039);
  EXPECT_TRUE(back->measurements[0].saturated);
  EXPECT_EQ(back->sweep_rates[0].levels[0].rate, 2550);
  EXPECT_EQ(back->server_orders[1][0], "axum");
  EXPECT_EQ(back->schema_version, 2);
}

TEST(ResultsJsonTest, BadTextNamesTheSource) {
  auto bad = ParseResults("{\"ceilings\": [{\"rps\": \"fast\"}]}", "runs/x/results.json");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("runs/x/results.json"), std::string::npos)
      << bad.error().message;
  EXPECT_EQ(bad.error().message.find('\n'), std::string::npos);
}

}  // namespace
}  // namespace harness
