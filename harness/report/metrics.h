// The figures read back from a run's measurements: what `harness compare` judges and what
// `harness report --format json|csv` exports. One list, so both speak of the same keys.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "report/select.h"
#include "stats/stats.h"

namespace harness {

struct MetricSpec {
  std::string_view key;    // in JSON and CSV: "rps", "p99", ...
  std::string_view label;  // in tables: "Throughput (rps)"
  Better better;
  Getter get;
  bool compared;            // one of the metrics `harness compare` gives a verdict on
  double threshold_factor;  // compare: this metric's share of --threshold (noisier: larger)
  double floor;             // compare: a change of the medians smaller than this (in the
                            // metric's unit) is noise whatever its percentage
};

// In table order: throughput, latency percentiles, memory, CPU.
const std::vector<MetricSpec>& Metrics();

// A fixed scenario (level "") or one load level of a sweep.
struct Point {
  std::string scenario;
  std::string level;
  std::string Label() const;  // "closed", "sweep (0.50)"
};

// The scenarios of `results` in bench.yaml's order, sweeps expanded into their levels.
std::vector<Point> Points(const RunResults& results);

// The values of `metric` over the valid repetitions of server × point.
std::vector<double> Values(const RunResults& results, const std::string& server, const Point& point,
                           const MetricSpec& metric);

}  // namespace harness
