#include "compare/compare.h"

#include <gtest/gtest.h>

#include <cmath>

#include "compare/test_runs.h"

namespace harness {
namespace {

using test_runs::Five;
using test_runs::MakeRun;
using test_runs::Seven;

const Row& Find(const Comparison& c, const std::string& server, const std::string& scenario,
                std::string_view metric) {
  for (const Row& row : c.rows) {
    if (row.server == server && row.point.scenario == scenario && row.metric &&
        row.metric->key == metric) {
      return row;
    }
  }
  static Row none;
  ADD_FAILURE() << "no row " << server << "/" << scenario << "/" << metric;
  return none;
}

// cpp-beast's figures, in every scenario, scaled by `factor` in the new run.
RunResults Slower(RunResults run, double factor) {
  for (Measurement& m : run.measurements) {
    if (m.server != "cpp-beast") continue;
    m = test_runs::Measured(m.server, m.scenario, m.repetition, m.rps / 1000 * factor);
  }
  return run;
}

TEST(CompareTest, IdenticalRunsChangeNothing) {
  Comparison c = Compare(MakeRun(Seven(1)), MakeRun(Seven(1)), {});
  EXPECT_EQ(c.rows.size(), 2u * 2 * 5);  // servers × scenarios × compared metrics
  EXPECT_EQ(c.Count(Verdict::kNoChange), static_cast<int>(c.rows.size()));
  EXPECT_FALSE(c.AnyRegression());
  EXPECT_FALSE(c.fingerprints_differ);
  EXPECT_TRUE(c.method_differences.empty());
  const Row& rps = Find(c, "axum", "closed", "rps");
  EXPECT_EQ(rps.decision, Decision::kUTest);
  EXPECT_EQ(rps.p_value, 1);
  EXPECT_EQ(rps.p_adjusted, 1);
  EXPECT_EQ(rps.change_pct, 0);
  EXPECT_EQ(c.options.correction, Correction::kHolm);  // the default
  EXPECT_EQ(c.family_size, 20);
  EXPECT_DOUBLE_EQ(c.test_level, 0.05 / 20);
}

TEST(CompareTest, ASlowerServerRegressesInTheDirectionOfEachMetric) {
  Comparison c = Compare(MakeRun(Seven(1)), Slower(MakeRun(Seven(1)), 0.8), {});
  for (const char* scenario : {"closed", "keepalive"}) {
    for (const char* metric : {"rps", "p50", "p99", "cpu_s_per_1k"}) {
      const Row& row = Find(c, "cpp-beast", scenario, metric);
      EXPECT_EQ(row.verdict, Verdict::kRegressed) << scenario << " " << metric;
      EXPECT_NEAR(row.p_value, 2.0 / 3432, 1e-12);  // complete separation of 7 and 7
      // Eight such p-values and twelve of 1 among 20: Holm multiplies the smallest by 20 and
      // none of the next seven by more.
      EXPECT_NEAR(row.p_adjusted, 20 * 2.0 / 3432, 1e-12);
      EXPECT_EQ(Find(c, "axum", scenario, metric).verdict, Verdict::kNoChange);
    }
    EXPECT_EQ(Find(c, "cpp-beast", scenario, "rss_mib").verdict, Verdict::kNoChange);
  }
  EXPECT_NEAR(Find(c, "cpp-beast", "closed", "rps").change_pct, -20, 1e-9);
  EXPECT_NEAR(Find(c, "cpp-beast", "closed", "p50").change_pct, 25, 1e-9);
  EXPECT_TRUE(c.AnyRegression());
  EXPECT_EQ(c.Count(Verdict::kRegressed), 8);
}

TEST(CompareTest, AFasterServerImproves) {
  Comparison c = Compare(MakeRun(Seven(1)), Slower(MakeRun(Seven(1)), 1.25), {});
  EXPECT_EQ(Find(c, "cpp-beast", "closed", "rps").verdict, Verdict::kImproved);
  EXPECT_EQ(Find(c, "cpp-beast", "closed", "p50").verdict, Verdict::kImproved);
  EXPECT_FALSE(c.AnyRegression());
}

TEST(CompareTest, BothTheTestAndTheThresholdMustAgree) {
  // Significant (complete separation) but only 4% apart: below the 5% threshold.
  Comparison small = Compare(MakeRun(Seven(1)), Slower(MakeRun(Seven(1)), 0.96), {});
  const Row& rps = Find(small, "cpp-beast", "closed", "rps");
  EXPECT_LT(rps.p_value, 0.05);
  EXPECT_EQ(rps.verdict, Verdict::kNoChange);
  // 10% apart in the medians, but the samples overlap: noise as far as the test can tell.
  Comparison noisy = Compare(MakeRun({0.7, 0.8, 0.9, 1.0, 1.1, 1.2, 1.3}),
                             MakeRun({0.75, 0.8, 0.85, 0.9, 1.0, 1.1, 1.25}), {});
  const Row& overlap = Find(noisy, "axum", "closed", "rps");
  EXPECT_NEAR(overlap.change_pct, -10, 1e-9);
  EXPECT_GT(overlap.p_value, 0.05);
  EXPECT_EQ(overlap.verdict, Verdict::kNoChange);
  // A larger --threshold turns a 20% change into no change.
  Comparison lenient =
      Compare(MakeRun(Seven(1)), Slower(MakeRun(Seven(1)), 0.8), {.threshold_pct = 30});
  EXPECT_EQ(Find(lenient, "cpp-beast", "closed", "rps").verdict, Verdict::kNoChange);
}

TEST(CompareTest, TailLatencyNeedsTwiceTheThreshold) {
  // p99 is 5 / scale: 0.92 makes it +8.7%, past 5% but not past 10%; rps -8% regresses.
  Comparison c = Compare(MakeRun(Seven(1)), Slower(MakeRun(Seven(1)), 0.92), {});
  EXPECT_EQ(Find(c, "cpp-beast", "closed", "rps").verdict, Verdict::kRegressed);
  EXPECT_EQ(Find(c, "cpp-beast", "closed", "p99").verdict, Verdict::kNoChange);
  Comparison far = Compare(MakeRun(Seven(1)), Slower(MakeRun(Seven(1)), 0.88), {});
  EXPECT_EQ(Find(far, "cpp-beast", "closed", "p99").verdict, Verdict::kRegressed);
}

TEST(CompareTest, MemoryMustAlsoMoveByAWholeMebibyte) {
  RunResults base = MakeRun(Seven(1)), small = MakeRun(Seven(1)), large = MakeRun(Seven(1));
  for (Measurement& m : small.measurements) m.server_usage.rss_peak_mib = 10.8;  // +8%
  for (Measurement& m : large.measurements) m.server_usage.rss_peak_mib = 12;    // +20%
  base.measurements[0].server_usage.rss_peak_mib = 9.9;                          // not all tied
  EXPECT_EQ(Find(Compare(base, small, {}), "axum", "closed", "rss_mib").verdict,
            Verdict::kNoChange);
  EXPECT_EQ(Find(Compare(base, large, {}), "axum", "closed", "rss_mib").verdict,
            Verdict::kRegressed);
}

TEST(CompareTest, TooFewRepetitionsFallBackToTheEffectSize) {
  Comparison c = Compare(MakeRun({0.99, 1, 1.01}), Slower(MakeRun({0.99, 1, 1.01}), 0.8), {});
  const Row& rps = Find(c, "cpp-beast", "closed", "rps");
  EXPECT_EQ(rps.decision, Decision::kEffectOnly);
  EXPECT_TRUE(std::isnan(rps.p_value));
  EXPECT_EQ(rps.verdict, Verdict::kRegressed);
  const Row& same = Find(c, "axum", "closed", "rps");
  EXPECT_EQ(same.decision, Decision::kEffectOnly);
  EXPECT_EQ(same.verdict, Verdict::kNoChange);
  EXPECT_EQ(c.family_size, 0);
}

TEST(CompareTest, TheTestJudgesOnlyWhatItCanReachAfterTheCorrection) {
  auto decision = [](const std::vector<double>& base, const std::vector<double>& next,
                     Correction correction) {
    Comparison c = Compare(MakeRun(base), MakeRun(next), {.correction = correction});
    return Find(c, "axum", "closed", "rps").decision;
  };
  // Uncorrected, alpha is the level: three against five can reach 2/56 < 0.05; one against
  // four cannot (2/5).
  EXPECT_EQ(decision({1}, {1, 1, 1, 1}, Correction::kNone), Decision::kEffectOnly);
  EXPECT_EQ(decision({1, 1, 1}, Five(1), Correction::kNone), Decision::kUTest);
  // Corrected over 20 rows, 0.05 / 20 = 0.0025: 2/56 and five against five (2/252) fall short,
  // six against six (2/924) and seven against seven (2/3432) reach it.
  for (Correction correction : {Correction::kHolm, Correction::kBenjaminiHochberg}) {
    EXPECT_EQ(decision({1, 1, 1}, Five(1), correction), Decision::kEffectOnly);
    EXPECT_EQ(decision(Five(1), Five(1), correction), Decision::kEffectOnly);
    EXPECT_EQ(decision({1, 1, 1, 1, 1, 1}, {1, 1, 1, 1, 1, 1}, correction), Decision::kUTest);
    EXPECT_EQ(decision(Seven(1), Seven(1), correction), Decision::kUTest);
  }
  // Rows left to the effect size are outside the family: their p-values are missing.
  Comparison c = Compare(MakeRun(Five(1)), MakeRun(Five(1)), {});
  EXPECT_EQ(c.family_size, 0);
  EXPECT_TRUE(std::isnan(Find(c, "axum", "closed", "rps").p_adjusted));
}

TEST(CompareTest, AdjustedPValuesMatchRsPAdjust) {
  // p.adjust(c(0.01, 0.04, 0.03, 0.005), "holm") and "BH" in R.
  const std::vector<double> p = {0.01, 0.04, 0.03, 0.005};
  const std::vector<double> holm = AdjustPValues(p, Correction::kHolm);
  const std::vector<double> bh = AdjustPValues(p, Correction::kBenjaminiHochberg);
  const std::vector<double> holm_r = {0.03, 0.06, 0.06, 0.02}, bh_r = {0.02, 0.04, 0.04, 0.02};
  ASSERT_EQ(holm.size(), 4u);
  ASSERT_EQ(bh.size(), 4u);
  for (size_t i = 0; i < p.size(); ++i) {
    EXPECT_NEAR(holm[i], holm_r[i], 1e-12) << i;
    EXPECT_NEAR(bh[i], bh_r[i], 1e-12) << i;
  }
  EXPECT_EQ(AdjustPValues(p, Correction::kNone), p);
  // Never above 1; nothing to adjust in an empty family.
  EXPECT_EQ(AdjustPValues({0.5, 0.9}, Correction::kHolm), (std::vector<double>{1, 1}));
  EXPECT_TRUE(AdjustPValues({}, Correction::kBenjaminiHochberg).empty());
}

// cpp-beast 14% slower in every scenario, the samples overlapping a little (U = 3 of 49: p =
// 2 × 7/3432 = 0.0041 on each of its eight speed rows). Alone, each row is significant; Holm over
// the 20 rows asks the smallest for 0.0025 and calls nothing; Benjamini-Hochberg, seeing eight
// small p-values together, lets the eight through (8th smallest: 0.0041 × 20/8 = 0.010).
TEST(CompareTest, TheCorrectionDecidesWhatAWeakSignalOverManyRowsAmountsTo) {
  RunResults base = MakeRun({0.92, 0.95, 0.97, 1.0, 1.02, 1.04, 1.06});
  RunResults next = base;
  for (Measurement& m : next.measurements) {
    const double slower[] = {0.80, 0.82, 0.84, 0.86, 0.88, 0.93, 0.96};
    if (m.server == "cpp-beast") {
      m = test_runs::Measured(m.server, m.scenario, m.repetition, slower[m.repetition - 1]);
    }
  }
  auto regressed = [&](Correction correction) {
    return Compare(base, next, {.correction = correction}).Count(Verdict::kRegressed);
  };
  EXPECT_EQ(regressed(Correction::kNone), 8);
  EXPECT_EQ(regressed(Correction::kHolm), 0);
  EXPECT_EQ(regressed(Correction::kBenjaminiHochberg), 8);
  const Row& rps = Find(Compare(base, next, {}), "cpp-beast", "closed", "rps");
  EXPECT_NEAR(rps.p_value, 2 * 7.0 / 3432, 1e-12);
  EXPECT_NEAR(rps.p_adjusted, 20 * 2 * 7.0 / 3432, 1e-12);
  EXPECT_NEAR(rps.change_pct, -14, 1e-9);
}

TEST(CompareTest, AScenarioWhoseSettingsDifferIsNotComparable) {
  RunResults next = Slower(MakeRun(Seven(1)), 0.5);
  next.method["scenario:closed"] = "oha -z 2s -c 10 --disable-keepalive";
  next.method["code:cpp-beast"] = "1234567";
  next.fingerprint = "ffff";
  Comparison c = Compare(MakeRun(Seven(1)), next, {});
  EXPECT_TRUE(c.fingerprints_differ);
  EXPECT_FALSE(c.machine_differs);
  ASSERT_EQ(c.method_differences.size(), 1u);
  EXPECT_EQ(c.method_differences[0].key, "scenario:closed");
  ASSERT_EQ(c.code_changes.size(), 1u);
  EXPECT_EQ(c.code_changes[0].key, "cpp-beast");
  EXPECT_EQ(c.code_changes[0].base, "8f4c9ad");
  EXPECT_EQ(Find(c, "cpp-beast", "closed", "rps").verdict, Verdict::kNotComparable);
  EXPECT_EQ(Find(c, "cpp-beast", "keepalive", "rps").verdict, Verdict::kRegressed);
}

TEST(CompareTest, ADifferentMachineMakesNothingComparable) {
  RunResults next = Slower(MakeRun(Seven(1)), 0.5);
  next.method["cpu"] = "Intel Xeon";
  next.fingerprint = "ffff";
  Comparison c = Compare(MakeRun(Seven(1)), next, {});
  EXPECT_TRUE(c.machine_differs);
  EXPECT_EQ(c.Count(Verdict::kNotComparable), static_cast<int>(c.rows.size()));
  EXPECT_FALSE(c.AnyRegression());
}

TEST(CompareTest, CodeChangesAloneKeepEverythingComparable) {
  RunResults next = MakeRun(Seven(1));
  next.method["code:axum"] = "fedcba9";
  Comparison c = Compare(MakeRun(Seven(1)), next, {});
  EXPECT_FALSE(c.fingerprints_differ);
  EXPECT_TRUE(c.method_differences.empty());
  EXPECT_EQ(c.code_changes.size(), 1u);
  EXPECT_EQ(c.Count(Verdict::kNoChange), static_cast<int>(c.rows.size()));
  next.method.erase("code:axum");  // not in the new run at all
  EXPECT_TRUE(Compare(MakeRun(Seven(1)), next, {}).code_changes.empty());
}

TEST(CompareTest, AServerThatFailsNowIsARegression) {
  RunResults next = MakeRun(Seven(1));
  next.servers[1].ok = false;
  next.servers[1].verdict = ServerVerdict::kDiedUnderLoad;
  next.servers[1].failure = "exit 139";
  std::erase_if(next.measurements, [](const Measurement& m) {
    return m.server == "cpp-beast" && m.scenario == "keepalive";
  });
  Comparison c = Compare(MakeRun(Seven(1)), next, {});
  EXPECT_EQ(c.Count(Verdict::kFailed), 1);
  EXPECT_TRUE(c.AnyRegression());
  EXPECT_EQ(c.rows.front().note, "died under load: exit 139");
  EXPECT_EQ(Find(c, "cpp-beast", "keepalive", "rps").verdict, Verdict::kMissing);
  EXPECT_EQ(Find(c, "cpp-beast", "closed", "rps").verdict, Verdict::kNoChange);
}

TEST(CompareTest, AScenarioInOneRunOnlyIsMissingNotARegression) {
  RunResults base = MakeRun(Seven(1));
  base.scenarios.push_back("corrected");
  base.measurements.push_back(test_runs::Measured("axum", "corrected", 1, 1));
  Comparison c = Compare(base, MakeRun(Seven(1)), {});
  const Row& row = Find(c, "axum", "corrected", "rps");
  EXPECT_EQ(row.verdict, Verdict::kMissing);
  EXPECT_EQ(row.note, "not measured in the new run");
  EXPECT_FALSE(c.AnyRegression());
}

TEST(CompareTest, InvalidMeasurementsAreLeftOut) {
  RunResults next = Slower(MakeRun(Seven(1)), 0.5);
  for (Measurement& m : next.measurements) m.valid = m.server != "cpp-beast";
  Comparison c = Compare(MakeRun(Seven(1)), next, {});
  EXPECT_EQ(Find(c, "cpp-beast", "closed", "rps").verdict, Verdict::kMissing);
}

// A saturated point's latency is its backlog (load/open_loop.h): a server that fell further
// behind an arbitrary offered rate has not "regressed" in latency, and one that kept up has not
// "improved". Such points are left out.
TEST(CompareTest, SaturatedMeasurementsAreLeftOut) {
  auto with_corrected = [](RunResults run, double p50, bool saturated) {
    run.scenarios.push_back("corrected");
    for (int rep = 1; rep <= 5; ++rep) {
      Measurement m = test_runs::Measured("axum", "corrected", rep, 1);
      m.offered_rps = 10000;
      m.latency.p50 = p50 + rep;
      m.saturated = saturated;
      run.measurements.push_back(m);
    }
    return run;
  };
  Comparison c = Compare(with_corrected(MakeRun(Five(1)), 3000, true),
                         with_corrected(MakeRun(Five(1)), 7000, true), {});
  EXPECT_FALSE(std::any_of(c.rows.begin(), c.rows.end(),
                           [](const Row& r) { return r.point.scenario == "corrected"; }));
  EXPECT_FALSE(c.AnyRegression());
  c = Compare(with_corrected(MakeRun(Five(1)), 2, false),
              with_corrected(MakeRun(Five(1)), 7000, true), {});
  EXPECT_EQ(Find(c, "axum", "corrected", "p50").verdict, Verdict::kMissing);
  EXPECT_EQ(Find(c, "axum", "corrected", "p50").note, "not measured in the new run");
}

// A sweep level is a fraction of each run's own saturation throughput: two runs compare at that
// level only where they offered the same absolute rate.
TEST(CompareTest, SweepPointsCompareOnlyAtTheSameOfferedRate) {
  auto with_sweep = [](RunResults run, double rate, double scale) {
    run.scenarios.push_back("sweep");
    for (int rep = 1; rep <= 5; ++rep) {
      Measurement m = test_runs::Measured("axum", "sweep", rep, scale);
      m.level = Level::Fraction(0.5);
      m.offered_rps = rate;
      run.measurements.push_back(m);
    }
    return run;
  };
  auto row = [](const Comparison& c) {
    for (const Row& r : c.rows) {
      if (r.server == "axum" && r.point.level == Level::Fraction(0.5) && r.metric &&
          r.metric->key == "p99") {
        return r;
      }
    }
    ADD_FAILURE() << "no sweep row";
    return Row{};
  };
  Row different = row(
      Compare(with_sweep(MakeRun(Five(1)), 2000, 1), with_sweep(MakeRun(Five(1)), 2100, 0.5), {}));
  EXPECT_EQ(different.verdict, Verdict::kNotComparable);
  EXPECT_EQ(different.note, "offered 2000 rps in the base run, 2100 in the new");
  Row same = row(
      Compare(with_sweep(MakeRun(Five(1)), 2000, 1), with_sweep(MakeRun(Five(1)), 2000, 0.5), {}));
  EXPECT_EQ(same.verdict, Verdict::kRegressed);
}

}  // namespace
}  // namespace harness
