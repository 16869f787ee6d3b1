#include "compare/render.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "compare/test_runs.h"
#include "report/sample_runs.h"

namespace harness {
namespace {

using sample::Contains;
using sample::Lacks;
using test_runs::MakeRun;
using test_runs::Seven;

Comparison Regressed() {
  RunResults next = MakeRun(Seven(1));
  for (Measurement& m : next.measurements) {
    if (m.server == "cpp-beast")
      m = test_runs::Measured(m.server, m.scenario, m.repetition, m.rps / 1250);
  }
  Comparison c = Compare(MakeRun(Seven(1)), next, {});
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
                       "p < 0.05 after Holm's correction over the 20 rows it judged (\"p "
                       "(Holm)\": the chance that noise alone changes any of them stays under "
                       "0.05) and the medians differ by at least 5% (99% latency, a noisier "
                       "figure: 10%;"));
  EXPECT_TRUE(Contains(md, "## closed\n\n| Server    | Metric "));
  EXPECT_TRUE(Contains(md, "| Change |       p | p (Holm) |  Reps | Verdict       |\n"));
  // 2/3432, and 20 times that after Holm's correction.
  EXPECT_TRUE(Contains(md,
                       "| cpp-beast | Throughput (rps)      |  1000 |   800 | -20.0% | 0.00058 "
                       "|    0.012 | 7 / 7 | **regressed** |"));
  EXPECT_TRUE(Contains(md,
                       "| axum      | 50% latency (ms)      |  2.00 |  2.00 |   0.0% |     1.0 "
                       "|      1.0 | 7 / 7 | no change     |"));
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
  // 10 rows judged (the other 10 are not comparable): each would need p < 0.005, which five
  // and five (2/252) cannot reach and six and six (2/924) can.
  EXPECT_TRUE(Contains(md,
                       "\"Effect size only\": too few repetitions for the U test ever to reach "
                       "p < 0.005 (0.05 over the 10 rows judged; with equal counts it needs 6 on "
                       "each side); the threshold alone decides, outside the correction.\n"));
  EXPECT_TRUE(Contains(md, "after Holm's correction (no row here has the repetitions for it)"));
  // Without a correction the level is alpha itself.
  std::string none = RenderComparisonMarkdown(
      Compare(MakeRun({1, 1, 1}), MakeRun({1, 1, 1}), {.correction = Correction::kNone}));
  EXPECT_TRUE(Contains(none,
                       "\"Effect size only\": too few repetitions for the U test ever to reach "
                       "p < 0.05 (with equal counts it needs 4 on each side); the threshold alone "
                       "decides.\n"));
  EXPECT_TRUE(Contains(md, "**No regression**, 10 no change, 10 not comparable.\n"));
}

TEST(CompareRenderTest, MarkdownNamesAFailedServer) {
  RunResults next = MakeRun(Seven(1));
  next.servers[0].ok = false;
  next.servers[0].verdict = ServerVerdict::kWrongResponse;
  next.servers[0].failure = "row 3 differs";
  std::string md = RenderComparisonMarkdown(Compare(MakeRun(Seven(1)), next, {}));
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
  EXPECT_EQ(row["base_values"].size(), 7u);
  EXPECT_DOUBLE_EQ(row["change_pct"].get<double>(), -20);
  EXPECT_EQ(doc["correction"], "holm");
  EXPECT_EQ(doc["correction_rows"], 20);
  EXPECT_NEAR(row["p_value"].get<double>(), 2.0 / 3432, 1e-12);
  EXPECT_NEAR(row["p_adjusted"].get<double>(), 20 * 2.0 / 3432, 1e-12);
}

TEST(CompareRenderTest, TheCorrectionIsNamedOrItsAbsenceSaid) {
  RunResults next = MakeRun(Seven(1));
  std::string bh = RenderComparisonMarkdown(
      Compare(MakeRun(Seven(1)), next, {.correction = Correction::kBenjaminiHochberg}));
  EXPECT_TRUE(Contains(bh,
                       "after Benjamini-Hochberg's correction over the 20 rows it judged (\"p "
                       "(BH)\": noise makes up under 5% of the rows called changed, on average)"));
  EXPECT_TRUE(Contains(bh, "| Change |   p | p (BH) |  Reps |"));
  Comparison uncorrected = Compare(MakeRun(Seven(1)), next, {.correction = Correction::kNone});
  std::string none = RenderComparisonMarkdown(uncorrected);
  EXPECT_TRUE(Contains(none, "p < 0.05 (no correction for the 20 rows it judged) and"));
  EXPECT_TRUE(Contains(none, "| Change |   p |  Reps |"));  // no column of adjusted p-values
  auto doc = nlohmann::json::parse(RenderComparisonJson(uncorrected));
  EXPECT_EQ(doc["correction"], "none");
  EXPECT_EQ(doc["correction_rows"], 20);
  EXPECT_EQ(doc["rows"][0]["p_adjusted"], doc["rows"][0]["p_value"]);
}

TEST(CompareRenderTest, JsonWritesMissingNumbersAsNull) {
  auto doc =
      nlohmann::json::parse(RenderComparisonJson(Compare(MakeRun({1, 1}), MakeRun({1, 1}), {})));
  EXPECT_TRUE(doc["rows"][0]["p_value"].is_null());
  EXPECT_TRUE(doc["rows"][0]["p_adjusted"].is_null());
  EXPECT_EQ(doc["correction_rows"], 0);
  EXPECT_EQ(doc["rows"][0]["decision"], "effect size only");
}

}  // namespace
}  // namespace harness
