#include "plots/throughput.h"

#include <fmt/format.h>

#include <algorithm>

#include "plots/chart.h"
#include "report/format.h"
#include "report/select.h"
#include "stats/stats.h"

namespace harness {
namespace {

struct Bar {
  size_t server;  // index into the run's server order, for the colour
  double median, min, max;
  size_t count;
};

struct Group {
  std::string scenario;
  std::vector<Bar> bars;
};

}  // namespace

std::string ThroughputSvg(const RunResults& results) {
  std::vector<std::string> servers = ServerOrder(results);
  std::vector<Group> groups;
  std::vector<bool> drawn(servers.size(), false);
  double top = 0;
  size_t bar_count = 0;
  for (const std::string& scenario : results.scenarios) {
    Group group{scenario, {}};
    for (size_t i = 0; i < servers.size(); ++i) {
      std::vector<double> rps =
          ValidValues(Select(results, servers[i], scenario),
                      [](const Measurement& m) -> std::optional<double> { return m.rps; });
      if (rps.empty()) continue;
      group.bars.push_back({i, Median(rps), Min(rps), Max(rps), rps.size()});
      top = std::max(top, Max(rps));
      drawn[i] = true;
    }
    bar_count += group.bars.size();
    if (!group.bars.empty()) groups.push_back(std::move(group));
  }
  if (groups.empty()) return "";

  constexpr double kBar = 34, kGap = 30, kLeft = 70, kLegend = 170;
  double plot_width = std::max(450.0, bar_count * kBar + groups.size() * kGap);
  Svg svg(kLeft + plot_width + kLegend, 440, "Throughput per server and scenario");
  Frame frame{kLeft, 62, kLeft + plot_width, 380};
  std::vector<double> ticks = LinearTicks(0, top * 1.08);
  Scale y{0, ticks.back(), frame.bottom, frame.top};
  bool repeated = std::any_of(groups.begin(), groups.end(), [](const Group& g) {
    return std::any_of(g.bars.begin(), g.bars.end(), [](const Bar& b) { return b.count > 1; });
  });
  DrawTitle(svg, "Throughput (successful requests per second)",
            repeated ? "bar: median over repetitions · whisker: min–max" : "one repetition");
  DrawYAxis(svg, frame, y, ticks, "requests per second");
  svg.Line(frame.left, frame.bottom, frame.right, frame.bottom, "#888888");

  double unit = plot_width / (bar_count * kBar + groups.size() * kGap);  // stretch to fill
  double x = frame.left + kGap / 2 * unit;
  for (const Group& group : groups) {
    double start = x;
    for (const Bar& bar : group.bars) {
      std::string_view color = SeriesColor(bar.server);
      double left = x + 3 * unit, width = (kBar - 6) * unit, middle = left + width / 2;
      svg.Rect(left, y(bar.median), width, frame.bottom - y(bar.median), color);
      if (bar.count > 1) {
        svg.Line(middle, y(bar.min), middle, y(bar.max), "#222222", 1.5);
        svg.Line(middle - 5, y(bar.min), middle + 5, y(bar.min), "#222222", 1.5);
        svg.Line(middle - 5, y(bar.max), middle + 5, y(bar.max), "#222222", 1.5);
      }
      svg.Text(middle, y(bar.max) - 5, FormatRps(bar.median),
               {.size = 10, .anchor = "middle", .fill = "#222"});
      x += kBar * unit;
    }
    svg.Text((start + x) / 2, frame.bottom + 18, group.scenario,
             {.size = 12, .anchor = "middle", .fill = "#555555"});
    x += kGap * unit;
  }
  std::vector<std::string> names;
  std::vector<std::string_view> colors;
  for (size_t i = 0; i < servers.size(); ++i) {
    if (!drawn[i]) continue;
    names.push_back(servers[i]);
    colors.push_back(SeriesColor(i));
  }
  DrawLegend(svg, frame.right + 24, frame.top + 10, names, colors);
  return svg.Finish();
}

}  // namespace harness
