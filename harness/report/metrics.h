// The figures read back from a run's measurements: the rows of report.md's scenario tables, what
// `harness compare` judges and what `harness report --format json|csv` exports. One list, so all
// of them speak of the same keys, labels and formats.
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
  std::string (*format)(double);
  bool in_table;     // a row of the scenario tables
  bool improvement;  // the tables give an improvement % (not CPU %, which rises with throughput)
  bool latency;      // a saturated repetition has none: its latency measures a backlog
  bool compared;     // one of the metrics `harness compare` gives a verdict on
  double threshold_factor;  // compare: this metric's share of --threshold (noisier: larger)
  double floor;             // compare: a change of the medians smaller than this (in the
                            // metric's unit) is noise whatever its percentage
};

// In table order: throughput, latency percentiles, failures, memory, CPU.
const std::vector<MetricSpec>& Metrics();

// The repetitions a metric reads among `points` (one server at one point): the valid ones, and
// for a latency only if most of them were not saturated (LatencyPoints).
std::vector<const Measurement*> MetricPoints(const std::vector<const Measurement*>& points,
                                             const MetricSpec& metric);
// A table cell: the median, the min–max range when there are several, "2/3 valid" when some
// repetitions could not be used; "saturated (backlog N s)" for a latency of a point that was
// mostly saturated; "–" when nothing was measured.
std::string MetricCell(const std::vector<const Measurement*>& points, const MetricSpec& metric);
// The median a cell shows; NaN where it shows none.
double MetricMedian(const std::vector<const Measurement*>& points, const MetricSpec& metric);

// A fixed scenario (Level()) or one load level of a sweep.
struct Point {
  std::string scenario;
  Level level;
  std::string Label() const;  // "closed", "sweep (0.50)"
};

// The scenarios of `results` in bench.yaml's order, sweeps expanded into their levels.
std::vector<Point> Points(const RunResults& results);

// The values of `metric` over the valid repetitions of server × point, leaving out saturated
// ones: their latency measures a backlog, and their throughput the rate that was offered.
std::vector<double> Values(const RunResults& results, const std::string& server, const Point& point,
                           const MetricSpec& metric);

// The rate server × point was offered (oha -q), if any: the same in every repetition of a run.
std::optional<double> OfferedRate(const RunResults& results, const std::string& server,
                                  const Point& point);

}  // namespace harness
