#include "compare/compare.h"

#include <gtest/gtest.h>

#include <cmath>

#include "compare/test_runs.h"

namespace harness {
namespace {

using test_runs::Five;
using test_runs::MakeRun;

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
  Comparison c = Compare(MakeRun(Five(1)), MakeRun(Five(1)), {});
  EXPECT_EQ(c.rows.size(), 2u * 2 * 5);  // servers × scenarios × compared metrics
  EXPECT_EQ(c.Count(Verdict::kNoChange), static_cast<int>(c.rows.size()));
  EXPECT_FALSE(c.AnyRegression());
  EXPECT_FALSE(c.fingerprints_differ);
  EXPECT_TRUE(c.method_differences.empty());
  const Row& rps = Find(c, "axum", "closed", "rps");
  EXPECT_EQ(rps.decision, Decision::kUTest);
  EXPECT_EQ(rps.p_value, 1);
  EXPECT_EQ(rps.change_pct, 0);
}

TEST(CompareTest, ASlowerServerRegressesInTheDirectionOfEachMetric) {
  Comparison c = Compare(MakeRun(Five(1)), Slower(MakeRun(Five(1)), 0.8), {});
  for (const char* scenario : {"closed", "keepalive"}) {
    for (const char* metric : {"rps", "p50", "p99", "cpu_s_per_1k"}) {
      const Row& row = Find(c, "cpp-beast", scenario, metric);
      EXPECT_EQ(row.verdict, Verdict::kRegressed) << scenario << " " << metric;
      EXPECT_NEAR(row.p_value, 2.0 / 252, 1e-12);  // complete separation of 5 and 5
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
  Comparison c = Compare(MakeRun(Five(1)), Slower(MakeRun(Five(1)), 1.25), {});
  EXPECT_EQ(Find(c, "cpp-beast", "closed", "rps").verdict, Verdict::kImproved);
  EXPECT_EQ(Find(c, "cpp-beast", "closed", "p50").verdict, Verdict::kImproved);
  EXPECT_FALSE(c.AnyRegression());
}

TEST(CompareTest, BothTheTestAndTheThresholdMustAgree) {
  // Significant (complete separation) but only 4% apart: below the 5% threshold.
  Comparison small = Compare(MakeRun(Five(1)), Slower(MakeRun(Five(1)), 0.96), {});
  const Row& rps = Find(small, "cpp-beast", "closed", "rps");
  EXPECT_LT(rps.p_value, 0.05);
  EXPECT_EQ(rps.verdict, Verdict::kNoChange);
  // 10% apart in the medians, but the samples overlap: noise as far as the test can tell.
  Comparison noisy =
      Compare(MakeRun({0.7, 0.9, 1.0, 1.2, 1.3}), MakeRun({0.75, 0.85, 0.9, 1.1, 1.25}), {});
  const Row& overlap = Find(noisy, "axum", "closed", "rps");
  EXPECT_NEAR(overlap.change_pct, -10, 1e-9);
  EXPECT_GT(overlap.p_value, 0.05);
  EXPECT_EQ(overlap.verdict, Verdict::kNoChange);
  // A larger --threshold turns a 20% change into no change.
  Comparison lenient =
      Compare(MakeRun(Five(1)), Slower(MakeRun(Five(1)), 0.8), {.threshold_pct = 30});
  EXPECT_EQ(Find(lenient, "cpp-beast", "closed", "rps").verdict, Verdict::kNoChange);
}

TEST(CompareTest, TailLatencyNeedsTwiceTheThreshold) {
  // p99 is 5 / scale: 0.92 makes it +8.7%, past 5% but not past 10%; rps -8% regresses.
  Comparison c = Compare(MakeRun(Five(1)), Slower(MakeRun(Five(1)), 0.92), {});
  EXPECT_EQ(Find(c, "cpp-beast", "closed", "rps").verdict, Verdict::kRegressed);
  EXPECT_EQ(Find(c, "cpp-beast", "closed", "p99").verdict, Verdict::kNoChange);
  Comparison far = Compare(MakeRun(Five(1)), Slower(MakeRun(Five(1)), 0.88), {});
  EXPECT_EQ(Find(far, "cpp-beast", "closed", "p99").verdict, Verdict::kRegressed);
}

TEST(CompareTest, MemoryMustAlsoMoveByAWholeMebibyte) {
  RunResults base = MakeRun(Five(1)), small = MakeRun(Five(1)), large = MakeRun(Five(1));
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
  // One repetition against four: 2/5 is the smallest p-value there is. Three against five can
  // reach 2/56 < 0.05, so the test decides.
  EXPECT_EQ(
      Find(Compare(MakeRun({1}), MakeRun({1, 1, 1, 1}), {}), "axum", "closed", "rps").decision,
      Decision::kEffectOnly);
  EXPECT_EQ(
      Find(Compare(MakeRun({1, 1, 1}), MakeRun(Five(1)), {}), "axum", "closed", "rps").decision,
      Decision::kUTest);
}

TEST(CompareTest, AScenarioWhoseSettingsDifferIsNotComparable) {
  RunResults next = Slower(MakeRun(Five(1)), 0.5);
  next.method["scenario:closed"] = "oha -z 2s -c 10 --disable-keepalive";
  next.method["code:cpp-beast"] = "1234567";
  next.fingerprint = "ffff";
  Comparison c = Compare(MakeRun(Five(1)), next, {});
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
  RunResults next = Slower(MakeRun(Five(1)), 0.5);
  next.method["cpu"] = "Intel Xeon";
  next.fingerprint = "ffff";
  Comparison c = Compare(MakeRun(Five(1)), next, {});
  EXPECT_TRUE(c.machine_differs);
  EXPECT_EQ(c.Count(Verdict::kNotComparable), static_cast<int>(c.rows.size()));
  EXPECT_FALSE(c.AnyRegression());
}

TEST(CompareTest, CodeChangesAloneKeepEverythingComparable) {
  RunResults next = MakeRun(Five(1));
  next.method["code:axum"] = "fedcba9";
  Comparison c = Compare(MakeRun(Five(1)), next, {});
  EXPECT_FALSE(c.fingerprints_differ);
  EXPECT_TRUE(c.method_differences.empty());
  EXPECT_EQ(c.code_changes.size(), 1u);
  EXPECT_EQ(c.Count(Verdict::kNoChange), static_cast<int>(c.rows.size()));
  next.method.erase("code:axum");  // not in the new run at all
  EXPECT_TRUE(Compare(MakeRun(Five(1)), next, {}).code_changes.empty());
}

TEST(CompareTest, AServerThatFailsNowIsARegression) {
  RunResults next = MakeRun(Five(1));
  next.servers[1].ok = false;
  next.servers[1].verdict = "died under load";
  next.servers[1].failure = "exit 139";
  std::erase_if(next.measurements, [](const Measurement& m) {
    return m.server == "cpp-beast" && m.scenario == "keepalive";
  });
  Comparison c = Compare(MakeRun(Five(1)), next, {});
  EXPECT_EQ(c.Count(Verdict::kFailed), 1);
  EXPECT_TRUE(c.AnyRegression());
  EXPECT_EQ(c.rows.front().note, "died under load: exit 139");
  EXPECT_EQ(Find(c, "cpp-beast", "keepalive", "rps").verdict, Verdict::kMissing);
  EXPECT_EQ(Find(c, "cpp-beast", "closed", "rps").verdict, Verdict::kNoChange);
}

TEST(CompareTest, AScenarioInOneRunOnlyIsMissingNotARegression) {
  RunResults base = MakeRun(Five(1));
  base.scenarios.push_back("corrected");
  base.measurements.push_back(test_runs::Measured("axum", "corrected", 1, 1));
  Comparison c = Compare(base, MakeRun(Five(1)), {});
  const Row& row = Find(c, "axum", "corrected", "rps");
  EXPECT_EQ(row.verdict, Verdict::kMissing);
  EXPECT_EQ(row.note, "not measured in the new run");
  EXPECT_FALSE(c.AnyRegression());
}

TEST(CompareTest, InvalidMeasurementsAreLeftOut) {
  RunResults next = Slower(MakeRun(Five(1)), 0.5);
  for (Measurement& m : next.measurements) m.valid = m.server != "cpp-beast";
  Comparison c = Compare(MakeRun(Five(1)), next, {});
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
      m.level = "0.50";
      m.offered_rps = rate;
      run.measurements.push_back(m);
    }
    return run;
  };
  auto row = [](const Comparison& c) {
    for (const Row& r : c.rows) {
      if (r.server == "axum" && r.point.level == "0.50" && r.metric && r.metric->key == "p99") {
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
