#include "compare/render.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "compare/test_runs.h"
#include "report/sample_runs.h"

namespace harness {
namespace {

using sample::Contains;
using sample::Lacks;
using test_runs::Five;
using test_runs::MakeRun;

Comparison Regressed() {
  RunResults next = MakeRun(Five(1));
  for (Measurement& m : next.measurements) {
    if (m.server == "cpp-beast")
      m = test_runs::Measured(m.server, m.scenario, m.repetition, m.rps / 1250);
  }
  Comparison c = Compare(MakeRun(Five(1)), next, {});
  c.base.label = "20261125T200000Z-abc1234";
  c.next.label = "20261126T200000Z-abc1234";
  return c;
}

TEST(CompareRenderTest, MarkdownLeadsWithTheVerdictThenATablePerScenario) {
  std::string md = RenderComparisonMarkdown(Regressed());
  EXPECT_TRUE(
      md.starts_with("# Benchmark comparison\n\n**Base** `20261125T200000Z-abc1234` "
                     "(started 2026-11-25T20:00:00Z, harness abc1234) → **new** "
                     "`20261126T200000Z-abc1234`"))
      << md;
  EXPECT_TRUE(Contains(md, "\n**Regression: 8 regressed**, 12 no change.\n"));
  EXPECT_TRUE(Contains(md,
                       "p < 0.05 and the medians differ by at least 5% (99% latency, a "
                       "noisier figure: 10%;"));
  EXPECT_TRUE(Contains(md, "## closed\n\n| Server    | Metric "));
  EXPECT_TRUE(Contains(md,
                       "| cpp-beast | Throughput (rps)      |  1000 |   800 | -20.0% | 0.0079 "
                       "| 5 / 5 | **regressed** |"));
  EXPECT_TRUE(Contains(md,
                       "| axum      | 50% latency (ms)      |  2.00 |  2.00 |   0.0% |    1.0 "
                       "| 5 / 5 | no change     |"));
  EXPECT_TRUE(Contains(md, "## keepalive\n"));
  EXPECT_TRUE(Lacks(md, "method differs"));
  EXPECT_TRUE(md.ends_with("|\n")) << md;
}

TEST(CompareRenderTest, MarkdownSaysWhatDiffersAndWhatRestsOnTheEffectAlone) {
  RunResults next = MakeRun({1, 1, 1});
  next.method["scenario:closed"] = "oha -z 2s";
  next.method["code:axum"] = "fedcba9";
  next.fingerprint = "0123456789abcdef";
  std::string md = RenderComparisonMarkdown(Compare(MakeRun({1, 1, 1}), next, {}));
  EXPECT_TRUE(Contains(md,
                       "> **The method differs** (fingerprint `d2531dd7742e43b3` → "
                       "`0123456789abcdef`): `scenario:closed`: `oha -z 1s -c 10 "
                       "--disable-keepalive` → `oha -z 2s`\n"));
  EXPECT_TRUE(Contains(md, "scenarios whose settings differ are marked not comparable."));
  EXPECT_TRUE(Contains(md, "Code changed: axum 003cb80 → fedcba9.\n"));
  EXPECT_TRUE(Contains(md, "| not comparable "));
  EXPECT_TRUE(Contains(md, "| no change (effect size only) |"));
  EXPECT_TRUE(Contains(md,
                       "\"Effect size only\": too few repetitions for the U test ever to reach "
                       "p < 0.05 (with equal counts it needs 4 on each side)"));
  EXPECT_TRUE(Contains(md, "**No regression**, 10 no change, 10 not comparable.\n"));
}

TEST(CompareRenderTest, MarkdownNamesAFailedServer) {
  RunResults next = MakeRun(Five(1));
  next.servers[0].ok = false;
  next.servers[0].verdict = "wrong response";
  next.servers[0].failure = "row 3 differs";
  std::string md = RenderComparisonMarkdown(Compare(MakeRun(Five(1)), next, {}));
  EXPECT_TRUE(Contains(md, "**Regression: 0 regressed, 1 server failed**"));
  EXPECT_TRUE(Contains(md, "Failed in the new run: **axum** (wrong response: row 3 differs).\n"));
}

TEST(CompareRenderTest, JsonCarriesEveryRowWithItsValues) {
  auto doc = nlohmann::json::parse(RenderComparisonJson(Regressed()));
  EXPECT_EQ(doc["base"]["label"], "20261125T200000Z-abc1234");
  EXPECT_EQ(doc["alpha"], 0.05);
  EXPECT_EQ(doc["threshold_pct"], 5);
  EXPECT_EQ(doc["regression"], true);
  EXPECT_EQ(doc["summary"]["regressed"], 8);
  EXPECT_EQ(doc["summary"]["no change"], 12);
  ASSERT_EQ(doc["rows"].size(), 20u);
  const auto& row = doc["rows"][5];  // closed, cpp-beast, rps
  EXPECT_EQ(row["scenario"], "closed");
  EXPECT_EQ(row["server"], "cpp-beast");
  EXPECT_EQ(row["metric"], "rps");
  EXPECT_EQ(row["verdict"], "regressed");
  EXPECT_EQ(row["decision"], "u-test");
  EXPECT_EQ(row["base_values"].size(), 5u);
  EXPECT_DOUBLE_EQ(row["change_pct"].get<double>(), -20);
}

TEST(CompareRenderTest, JsonWritesMissingNumbersAsNull) {
  auto doc =
      nlohmann::json::parse(RenderComparisonJson(Compare(MakeRun({1, 1}), MakeRun({1, 1}), {})));
  EXPECT_TRUE(doc["rows"][0]["p_value"].is_null());
  EXPECT_EQ(doc["rows"][0]["decision"], "effect size only");
}

}  // namespace
}  // namespace harness
