// harness compare: two runs, server × scenario × metric, each row judged improved, regressed or
// no change. A row changes only when both hold: the two-sided Mann-Whitney U test over the
// repetitions says the samples differ (its p-value, corrected for the number of rows, below
// alpha), and the medians differ by at least the threshold (and the metric's absolute floor).
// Rows whose method differs between the runs are "not comparable" rather than judged.
//
// Many rows at once. The nightly judges 60 rows (4 servers × 3 scenarios × 5 metrics); at
// p < 0.05 each, a night of noise alone calls some row regressed on more than half the nights.
// So the p-values of the rows the U test judged (the family; not comparable, missing and failed
// rows are not in it) are corrected together, by default with Holm's step-down method: the chance
// that noise alone changes any row of a comparison stays below alpha (family-wise error), whatever
// the dependence between rows. Benjamini-Hochberg (`--correction bh`) bounds instead the expected
// share of noise among the rows called changed: once a real regression is called, its threshold
// relaxes and noise on other servers rides along, and a gate that must name the culprit wants the
// family-wise guarantee. gate_simulation_test.cc measures it on simulated nights of the nightly's
// shape (60 rows, 7 repetitions, 6% spread, 1000 nights): with Holm 2.1% of noise-only nights
// alarm and a 15% slowdown of one server is caught, and it alone, on 98.7% of nights; with BH
// 12% of the slowdowns also blame an innocent server; uncorrected, 57% of noise-only nights alarm.
//
// Resolution. With n repetitions a side the exact U test cannot go below 2 / C(2n, n), and a
// lone changed row among m must reach alpha / m (the first step of Holm and of BH alike). With
// 7 and 7 over 60 rows (0.00058 against 0.00083) only samples that do not overlap at all pass
// that first step; with 6 and 6 (0.0022) nothing could. So a row whose repetition counts cannot
// reach alpha / m (m: the rows judged) is decided by the effect size alone, outside the family,
// with no p-value and no error control, and it says so; the nightly needs 7 repetitions.
// The family is not narrowed to the rows past the threshold: that would choose it by the same data
// the test reads (simulated the same way: 8.5% of noise-only nights alarm).
#pragma once

#include <string>
#include <vector>

#include "report/metrics.h"
#include "results/results.h"

namespace harness {

enum class Correction { kHolm, kBenjaminiHochberg, kNone };
std::string_view CorrectionName(Correction correction);  // "holm", "bh", "none"

struct CompareOptions {
  double alpha = 0.05;
  double threshold_pct = 5;
  Correction correction = Correction::kHolm;
};

enum class Verdict {
  kNoChange,
  kImproved,
  kRegressed,
  kNotComparable,  // the method differs (scenario settings, machine)
  kFailed,         // the server failed in the new run after being measured in the base run
  kMissing,        // measured in one run only
};
std::string_view VerdictName(Verdict verdict);  // "no change", "regressed", ...

// How the verdict was reached.
enum class Decision { kUTest, kEffectOnly, kNone };

struct Row {
  Point point;
  std::string server;
  const MetricSpec* metric = nullptr;  // null on a kFailed row, which covers every metric
  std::vector<double> base_values, new_values;
  double base_median = 0, new_median = 0;
  double change_pct = 0;  // (new - base) / base; NaN when base is 0 or a side is missing
  double p_value = 0;     // NaN unless the U test ran
  double p_adjusted = 0;  // p_value corrected over the family: what is compared with alpha
  Decision decision = Decision::kNone;
  Verdict verdict = Verdict::kNoChange;
  std::string note;  // why a row is failed, missing or not comparable
};

struct MethodDifference {
  std::string key;  // a RunResults::method key, or for code changes the server
  std::string base, next;
};

struct RunInfo {
  std::string label;  // the run directory's name
  std::string path;
  std::string started_at;
  std::string git_sha;
  std::string fingerprint;
};

struct Comparison {
  CompareOptions options;
  RunInfo base, next;
  bool fingerprints_differ = false;
  std::vector<MethodDifference> method_differences;  // every key but "code:" ones
  std::vector<MethodDifference> code_changes;        // "code:<server>": information only
  bool machine_differs = false;  // a key other than scenario:/warmup: differs: nothing compares
  std::vector<Row> rows;
  int family_size = 0;  // rows the U test judged: those the correction runs over
  // What a row's p-value must be able to reach for the U test to judge it: alpha / (rows judged),
  // alpha with no correction.
  double test_level = 0;

  int Count(Verdict verdict) const;
  // A regression or a server that failed: what makes `harness compare` exit 1.
  bool AnyRegression() const;
};

// p-values adjusted for their number, in their order: Holm's step-down (family-wise error) or
// Benjamini-Hochberg's step-up (false discovery rate), as R's p.adjust computes them.
std::vector<double> AdjustPValues(const std::vector<double>& p_values, Correction correction);

Comparison Compare(const RunResults& base, const RunResults& next, const CompareOptions& options);

}  // namespace harness
