#include "plots/latency.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "plots/chart.h"
#include "report/select.h"
#include "stats/stats.h"

namespace harness {
namespace {

struct Percentile {
  double nines;  // -log10(1 - p): 50% is 0.3, 99% is 2, 99.99% is 4
  const char* label;
  Getter get;
};

const Percentile kPercentiles[] = {
    {std::log10(2.0), "p50", [](const Measurement& m) { return m.latency.p50; }},
    {1, "p90", [](const Measurement& m) { return m.latency.p90; }},
    {2, "p99", [](const Measurement& m) { return m.latency.p99; }},
    {3, "p99.9", [](const Measurement& m) { return m.latency.p999; }},
    {4, "p99.99", [](const Measurement& m) { return m.latency.p9999; }},
};

}  // namespace

std::string LatencySpectrumSvg(const RunResults& results, const std::string& scenario) {
  std::vector<Line> series;  // (nines, ms)
  std::vector<std::string> servers = ServerOrder(results);
  double lo = INFINITY, hi = 0;
  int repetitions = 0;
  for (size_t i = 0; i < servers.size(); ++i) {
    // A saturated point's percentiles measure its backlog, not the server.
    auto points = LatencyPoints(Select(results, servers[i], scenario));
    Line s{servers[i], SeriesColor(i), {}};
    for (const Percentile& p : kPercentiles) {
      std::vector<double> values = ValidValues(points, p.get);
      double ms = Median(values);
      if (!(ms > 0)) continue;
      repetitions = std::max(repetitions, static_cast<int>(values.size()));
      s.points.push_back({p.nines, ms});
      lo = std::min(lo, ms);
      hi = std::max(hi, ms);
    }
    if (!s.points.empty()) series.push_back(std::move(s));
  }
  if (series.empty()) return "";

  Svg svg(760, 440, "Latency by percentile: " + scenario);
  Frame frame{70, 62, 600, 390};
  auto [y_lo, y_hi] = DecadeRange(lo, hi);
  Scale x{0.1, 4.2, frame.left, frame.right};
  Scale y{y_lo, y_hi, frame.bottom, frame.top, true};
  auto command = results.scenario_commands.find(scenario);
  DrawTitle(svg, "Latency by percentile: " + scenario,
            fmt::format("{}median of {} repetition{} per point; log scale",
                        command == results.scenario_commands.end() ? "" : command->second + " · ",
                        repetitions, repetitions == 1 ? "" : "s"));
  DrawYAxis(svg, frame, y, LogTicks(y_lo, y_hi), "latency (ms)");
  std::vector<double> ticks;
  std::vector<std::string> labels;
  for (const Percentile& p : kPercentiles) {
    ticks.push_back(p.nines);
    labels.push_back(p.label);
  }
  DrawXAxis(svg, frame, x, ticks, labels, "percentile");
  DrawLines(svg, frame, x, y, series);
  return svg.Finish();
}

}  // namespace harness
