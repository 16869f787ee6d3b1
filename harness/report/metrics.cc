#include "report/metrics.h"

#include <fmt/format.h>

#include "load/open_loop.h"
#include "report/format.h"

namespace harness {

namespace {

std::string Cpu(double v) { return FormatSignificant(v, 3); }

}  // namespace

const std::vector<MetricSpec>& Metrics() {
  using M = const Measurement&;
  // key, label, better, get, format, in_table, improvement, latency, compared, threshold, floor
  static const std::vector<MetricSpec> metrics = {
      {"rps", "Throughput (rps)", Better::kHigher,
       [](M m) -> std::optional<double> { return m.rps; }, FormatRps, true, true, false, true, 1,
       0},
      {"p50", "50% latency (ms)", Better::kLower, [](M m) { return m.latency.p50; }, FormatMs, true,
       true, true, true, 1, 0},
      {"p90", "90% latency (ms)", Better::kLower, [](M m) { return m.latency.p90; }, FormatMs,
       false, true, true, false, 1, 0},
      // A tail percentile rests on 1% of the requests: between identical 1-second runs here it
      // varies twice as much as the median (coefficient of variation 12% against 6-7%), so it
      // must move twice as far to count.
      {"p99", "99% latency (ms)", Better::kLower, [](M m) { return m.latency.p99; }, FormatMs, true,
       true, true, true, 2, 0},
      {"p999", "99.9% latency (ms)", Better::kLower, [](M m) { return m.latency.p999; }, FormatMs,
       false, true, true, false, 2, 0},
      {"p9999", "99.99% latency (ms)", Better::kLower, [](M m) { return m.latency.p9999; },
       FormatMs, false, true, true, false, 2, 0},
      // Counted apart from latency, which covers 2xx responses only.
      {"failed", "Failed requests", Better::kLower,
       [](M m) -> std::optional<double> { return static_cast<double>(m.requests - m.successes); },
       FormatRps, true, false, false, false, 1, 0},
      // Peak RSS moves by whole allocator arenas and pages: a few hundred KiB on a 5 MiB server
      // is 5% and means nothing, so a change must also reach 1 MiB.
      {"rss_mib", "Peak memory (MiB)", Better::kLower,
       [](M m) -> std::optional<double> { return m.server_usage.rss_peak_mib; }, FormatMib, true,
       true, false, true, 1, 1.0},
      // CPU % of a closed loop rises with throughput (a faster server is busier), so neither the
      // tables' improvement nor compare judge it; CPU per request is where higher is worse.
      {"cpu_pct", "CPU (%)", Better::kLower,
       [](M m) -> std::optional<double> { return m.server_usage.cpu_avg_pct; }, FormatCpuPct, true,
       false, false, false, 1, 0},
      {"cpu_s_per_1k", "CPU-s per 1k requests", Better::kLower,
       [](M m) -> std::optional<double> { return m.server_cpu_s_per_1k; }, Cpu, true, true, false,
       true, 1, 0},
      {"postgres_cpu_s_per_1k", "Postgres CPU-s per 1k requests", Better::kLower,
       [](M m) -> std::optional<double> { return m.postgres_cpu_s_per_1k; }, Cpu, false, true,
       false, false, 1, 0},
  };
  return metrics;
}

std::vector<const Measurement*> MetricPoints(const std::vector<const Measurement*>& points,
                                             const MetricSpec& metric) {
  if (metric.latency) return LatencyPoints(points);
  std::vector<const Measurement*> valid;
  for (const Measurement* m : points) {
    if (m->valid) valid.push_back(m);
  }
  return valid;
}

std::string MetricCell(const std::vector<const Measurement*>& points, const MetricSpec& metric) {
  if (metric.latency && LatencySaturated(points)) {
    std::vector<double> backlogs, in_system;
    int connections = 0, behind = 0;
    for (const Measurement* m : points) {
      if (!m->valid || !m->saturated) continue;
      backlogs.push_back(m->backlog_ms.value_or(0));
      if (m->in_system) in_system.push_back(*m->in_system);
      connections = m->concurrency;
      // Results from before the rule was recorded: the backlog, as they were labelled.
      behind += m->behind_schedule.value_or(true);
    }
    if (backlogs.empty()) return "saturated";
    return SaturatedLabel(2 * behind >= static_cast<int>(backlogs.size()), Median(backlogs),
                          in_system.empty() ? std::nullopt : std::optional(Median(in_system)),
                          connections);
  }
  std::vector<const Measurement*> usable = MetricPoints(points, metric);
  std::vector<double> values = ValidValues(usable, metric.get);
  if (values.empty()) {
    if (usable.size() < points.size()) return fmt::format("{} 0/{} valid", kMissing, points.size());
    return std::string(kMissing);
  }
  std::string cell = metric.format(Median(values));
  std::string lo = metric.format(Min(values)), hi = metric.format(Max(values));
  if (lo != hi) cell += fmt::format(" ({}–{})", lo, hi);
  if (usable.size() < points.size()) {
    cell += fmt::format(" {}/{} valid", usable.size(), points.size());
  }
  return cell;
}

double MetricMedian(const std::vector<const Measurement*>& points, const MetricSpec& metric) {
  return Median(ValidValues(MetricPoints(points, metric), metric.get));
}

std::string Point::Label() const {
  return level.fixed() ? scenario : scenario + " (" + level.Name() + ")";
}

std::vector<Point> Points(const RunResults& results) {
  std::vector<Point> points;
  for (const std::string& scenario : results.scenarios) {
    std::vector<Level> levels = SweepLevels(results, scenario);
    if (levels.empty()) levels.push_back(Level());
    for (const Level& level : levels) points.push_back({scenario, level});
  }
  return points;
}

std::vector<double> Values(const RunResults& results, const std::string& server, const Point& point,
                           const MetricSpec& metric) {
  std::vector<const Measurement*> points;
  for (const Measurement* m : Select(results, server, point.scenario, point.level)) {
    if (!m->saturated) points.push_back(m);
  }
  return ValidValues(points, metric.get);
}

std::optional<double> OfferedRate(const RunResults& results, const std::string& server,
                                  const Point& point) {
  std::optional<double> rate;
  for (const Measurement* m : Select(results, server, point.scenario, point.level)) {
    if (m->offered_rps) rate = m->offered_rps;
  }
  return rate;
}

}  // namespace harness
