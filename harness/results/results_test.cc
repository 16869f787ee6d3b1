#include "results/results.h"

#include <gtest/gtest.h>

#include "report/sample_runs.h"

namespace harness {
namespace {

TEST(ResultsJsonTest, RoundTripsEveryPart) {
  RunResults run = sample::ReferenceRun();
  Ceiling c;
  c.kind = "http";
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

TEST(ResultsJsonTest, BadTextNamesTheSource) {
  auto bad = ParseResults("{\"ceilings\": [{\"rps\": \"fast\"}]}", "runs/x/results.json");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("runs/x/results.json"), std::string::npos)
      << bad.error().message;
  EXPECT_EQ(bad.error().message.find('\n'), std::string::npos);
}

}  // namespace
}  // namespace harness
