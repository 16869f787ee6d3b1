// harness compare: two runs, server × scenario × metric, each row judged improved, regressed or
// no change. A row changes only when both hold: the two-sided Mann-Whitney U test over the
// repetitions says the samples differ (p < alpha), and the medians differ by at least the
// threshold (and the metric's absolute floor). With too few repetitions for the test to ever
// reach alpha, the effect size alone decides, and the row says so. Rows whose method differs
// between the runs are "not comparable" rather than judged.
#pragma once

#include <string>
#include <vector>

#include "report/metrics.h"
#include "results/results.h"

namespace harness {

struct CompareOptions {
  double alpha = 0.05;
  double threshold_pct = 5;
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

  int Count(Verdict verdict) const;
  // A regression or a server that failed: what makes `harness compare` exit 1.
  bool AnyRegression() const;
};

Comparison Compare(const RunResults& base, const RunResults& next, const CompareOptions& options);

}  // namespace harness
