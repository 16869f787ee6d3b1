#include "plots/usage.h"

#include <fmt/format.h>

#include <algorithm>

#include "plots/chart.h"
#include "plots/samples.h"
#include "report/select.h"
#include "util/files.h"

namespace harness {
namespace {

struct Series {
  std::string server;
  std::string_view color;
  int repetition;
  std::vector<XY> cpu, rss;  // (seconds, value)
};

void DrawPanel(Svg& svg, const Frame& frame, const Scale& x, const std::vector<Series>& series,
               bool cpu, std::string_view name) {
  double top = cpu ? 100 : 0;
  for (const Series& s : series) {
    for (const XY& p : cpu ? s.cpu : s.rss) top = std::max(top, p.y);
  }
  std::vector<double> ticks = LinearTicks(0, top * 1.05, 4);
  Scale y{0, ticks.back(), frame.bottom, frame.top};
  DrawYAxis(svg, frame, y, ticks, name);
  std::vector<double> x_ticks = LinearTicks(0, x.hi, 6);
  std::vector<std::string> labels;
  for (double t : x_ticks) labels.push_back(TickLabel(t));
  DrawXAxis(svg, frame, x, x_ticks, labels, cpu ? "" : "seconds since the measurement started");
  for (const Series& s : series) {
    std::vector<XY> pixels;
    for (const XY& p : cpu ? s.cpu : s.rss) pixels.push_back({x(p.x), y(p.y)});
    svg.Polyline(pixels, s.color, 1.8);
  }
}

}  // namespace

Result<std::string> UsageSvg(const RunResults& results, const std::filesystem::path& run_dir,
                             const std::string& scenario) {
  std::vector<std::string> servers = ServerOrder(results);
  std::vector<Series> series;
  double end = 0;
  for (size_t i = 0; i < servers.size(); ++i) {
    for (const Measurement* m : Select(results, servers[i], scenario)) {
      if (!m->valid || m->raw_samples.empty()) continue;
      std::filesystem::path file = run_dir / m->raw_samples;
      std::error_code ec;
      if (!std::filesystem::exists(file, ec)) continue;
      auto text = ReadFile(file);
      if (!text) return text.error();
      auto samples = ParseSamplesCsv(*text, file.string());
      if (!samples) return samples.error();
      Series s{servers[i], SeriesColor(i), m->repetition, {}, {}};
      for (const Sample& sample : *samples) {
        if (sample.group != "server") continue;
        if (sample.cpu_pct) s.cpu.push_back({sample.t_s, *sample.cpu_pct});
        s.rss.push_back({sample.t_s, sample.rss_mib});
        end = std::max(end, sample.t_s);
      }
      series.push_back(std::move(s));
      break;  // one repetition per server keeps the lines readable
    }
  }
  if (series.empty()) return std::string();

  Svg svg(760, 560, "CPU and memory over time: " + scenario);
  bool all_first =
      std::all_of(series.begin(), series.end(), [](const Series& s) { return s.repetition == 1; });
  DrawTitle(
      svg, "CPU and memory over time: " + scenario,
      fmt::format("server process tree, /proc samples{}; 100% = one core",
                  all_first ? " of repetition 1" : " of each server's first valid repetition"));
  std::vector<double> x_ticks = LinearTicks(0, end > 0 ? end : 1, 6);
  Frame cpu{70, 62, 600, 270}, rss{70, 310, 600, 510};
  Scale x{0, x_ticks.back(), cpu.left, cpu.right};
  DrawPanel(svg, cpu, x, series, true, "CPU (%)");
  DrawPanel(svg, rss, x, series, false, "RSS (MiB)");
  std::vector<std::string> names;
  std::vector<std::string_view> colors;
  for (const Series& s : series) {
    names.push_back(s.server);
    colors.push_back(s.color);
  }
  DrawLegend(svg, cpu.right + 24, cpu.top + 10, names, colors);
  return svg.Finish();
}

}  // namespace harness
