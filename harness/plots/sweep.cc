#include "plots/sweep.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "plots/chart.h"
#include "report/select.h"
#include "stats/stats.h"

namespace harness {

std::vector<std::string> SweepScenarios(const RunResults& results) {
  std::set<std::string> swept;
  for (const Measurement& m : results.measurements) {
    if (m.level.fraction()) swept.insert(m.scenario);
  }
  std::vector<std::string> ordered;
  for (const std::string& s : results.scenarios) {
    if (swept.contains(s)) ordered.push_back(s);
  }
  return ordered;
}

std::string SweepSvg(const RunResults& results, const std::string& scenario) {
  std::vector<Line> series;  // (offered rps, p99 ms)
  std::vector<std::string> servers = ServerOrder(results);
  double x_hi = 0, y_lo = INFINITY, y_hi = 0;
  for (size_t i = 0; i < servers.size(); ++i) {
    std::map<Level, std::vector<const Measurement*>> by_level;
    for (const Measurement& m : results.measurements) {
      if (m.server == servers[i] && m.scenario == scenario && m.level.fraction()) {
        by_level[m.level].push_back(&m);
      }
    }
    Line s{servers[i], SeriesColor(i), {}};
    for (const auto& [level, all] : by_level) {
      // As the report's table: a level with fewer than half of its repetitions valid is
      // saturated, not a latency.
      size_t valid = 0;
      for (const Measurement* m : all) valid += m->valid;
      if (valid == 0 || valid * 2 < all.size()) continue;
      std::vector<double> offered, p99;
      for (const Measurement* m : LatencyPoints(all)) {
        if (!m->offered_rps || !m->latency.p99) continue;
        offered.push_back(*m->offered_rps);
        p99.push_back(*m->latency.p99);
      }
      if (p99.empty()) continue;
      s.points.push_back({Median(offered), Median(p99)});
    }
    std::sort(s.points.begin(), s.points.end(), [](auto& a, auto& b) { return a.x < b.x; });
    for (const XY& p : s.points) {
      x_hi = std::max(x_hi, p.x);
      y_lo = std::min(y_lo, p.y);
      y_hi = std::max(y_hi, p.y);
    }
    if (!s.points.empty()) series.push_back(std::move(s));
  }
  if (series.empty()) return "";

  Svg svg(760, 440, "p99 latency against offered load: " + scenario);
  Frame frame{70, 62, 600, 390};
  auto [lo, hi] = DecadeRange(y_lo, y_hi);
  Scale x{0, x_hi * 1.05, frame.left, frame.right};
  Scale y{lo, hi, frame.bottom, frame.top, true};
  DrawTitle(svg, "p99 latency against offered load: " + scenario,
            "open loop with latency correction at fractions of each server's saturation; "
            "saturated points left out; log scale");
  DrawYAxis(svg, frame, y, LogTicks(lo, hi), "p99 latency (ms)");
  std::vector<double> ticks;
  std::vector<std::string> labels;
  for (int k = 0; k <= 5; ++k) {
    ticks.push_back(x_hi * k / 5);
    labels.push_back(fmt::format("{:.0f}", x_hi * k / 5));
  }
  DrawXAxis(svg, frame, x, ticks, labels, "offered load (requests/s)");
  DrawLines(svg, frame, x, y, series);
  return svg.Finish();
}

}  // namespace harness
