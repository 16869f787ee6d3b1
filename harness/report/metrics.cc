#include "compare/metrics.h"

namespace harness {

const std::vector<MetricSpec>& Metrics() {
  using M = const Measurement&;
  static const std::vector<MetricSpec> metrics = {
      {"rps", "Throughput (rps)", Better::kHigher,
       [](M m) -> std::optional<double> { return m.rps; }, true, 1, 0},
      {"p50", "50% latency (ms)", Better::kLower, [](M m) { return m.latency.p50; }, true, 1, 0},
      {"p90", "90% latency (ms)", Better::kLower, [](M m) { return m.latency.p90; }, false, 1, 0},
      // A tail percentile rests on 1% of the requests: between identical 1-second runs here it
      // varies twice as much as the median (coefficient of variation 12% against 6-7%), so it
      // must move twice as far to count.
      {"p99", "99% latency (ms)", Better::kLower, [](M m) { return m.latency.p99; }, true, 2, 0},
      {"p999", "99.9% latency (ms)", Better::kLower, [](M m) { return m.latency.p999; }, false, 2,
       0},
      {"p9999", "99.99% latency (ms)", Better::kLower, [](M m) { return m.latency.p9999; }, false,
       2, 0},
      // Peak RSS moves by whole allocator arenas and pages: a few hundred KiB on a 5 MiB server
      // is 5% and means nothing, so a change must also reach 1 MiB.
      {"rss_mib", "Peak memory (MiB)", Better::kLower,
       [](M m) -> std::optional<double> { return m.server_usage.rss_peak_mib; }, true, 1, 1.0},
      // CPU % of a closed loop rises with throughput (a faster server is busier), so compare
      // judges CPU per request instead, where higher is worse without ambiguity.
      {"cpu_pct", "CPU (%)", Better::kLower,
       [](M m) -> std::optional<double> { return m.server_usage.cpu_avg_pct; }, false, 1, 0},
      {"cpu_s_per_1k", "CPU-s per 1k requests", Better::kLower,
       [](M m) -> std::optional<double> { return m.server_cpu_s_per_1k; }, true, 1, 0},
      {"postgres_cpu_s_per_1k", "Postgres CPU-s per 1k requests", Better::kLower,
       [](M m) -> std::optional<double> { return m.postgres_cpu_s_per_1k; }, false, 1, 0},
  };
  return metrics;
}

std::string Point::Label() const {
  return level.empty() ? scenario : scenario + " (" + level + ")";
}

std::vector<Point> Points(const RunResults& results) {
  std::vector<Point> points;
  for (const std::string& scenario : results.scenarios) {
    std::vector<std::string> levels = SweepLevels(results, scenario);
    if (levels.empty()) levels.push_back("");
    for (const std::string& level : levels) points.push_back({scenario, level});
  }
  return points;
}

std::vector<double> Values(const RunResults& results, const std::string& server, const Point& point,
                           const MetricSpec& metric) {
  return ValidValues(Select(results, server, point.scenario, point.level), metric.get);
}

}  // namespace harness
