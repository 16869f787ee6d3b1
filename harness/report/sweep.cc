#include "report/sweep.h"

#include <fmt/format.h>

#include <cstdlib>

#include "report/format.h"
#include "report/select.h"
#include "report/table.h"
#include "stats/stats.h"

namespace harness {
namespace {

// "0.50" reads better as "50%" of the saturation throughput.
std::string LevelLabel(const std::string& level) {
  char* end = nullptr;
  double fraction = std::strtod(level.c_str(), &end);
  if (level.empty() || *end != '\0') return EscapeMarkdown(level);
  return fmt::format("{:g}%", fraction * 100);
}

double MedianOf(const std::vector<const Measurement*>& points, Getter get) {
  return Median(ValidValues(points, get));
}

std::string Cell(const std::vector<const Measurement*>& points) {
  if (points.empty()) return std::string(kMissing);
  if (!AnyValid(points)) return "saturated";
  return fmt::format(
      "{} → {} rps; {} / {} / {} ms",
      FormatRps(MedianOf(points, [](const Measurement& m) { return m.offered_rps; })),
      FormatRps(
          MedianOf(points, [](const Measurement& m) -> std::optional<double> { return m.rps; })),
      FormatMs(MedianOf(points, [](const Measurement& m) { return m.latency.p50; })),
      FormatMs(MedianOf(points, [](const Measurement& m) { return m.latency.p99; })),
      FormatMs(MedianOf(points, [](const Measurement& m) { return m.latency.p999; })));
}

}  // namespace

std::string RenderSweeps(const RunResults& results) {
  std::string out;
  for (const std::string& scenario : results.scenarios) {
    std::vector<std::string> levels = SweepLevels(results, scenario);
    if (levels.empty()) continue;
    std::vector<Column> columns = {{"Load", Align::kLeft}};
    std::vector<std::string> servers;
    for (const std::string& server : ServerOrder(results)) {
      for (const std::string& level : levels) {
        if (!Select(results, server, scenario, level).empty()) {
          servers.push_back(server);
          columns.push_back({EscapeMarkdown(server)});
          break;
        }
      }
    }
    std::vector<std::vector<std::string>> rows;
    for (const std::string& level : levels) {
      rows.push_back({LevelLabel(level)});
      for (const std::string& server : servers) {
        rows.back().push_back(Cell(Select(results, server, scenario, level)));
      }
    }
    out += fmt::format("### {}\n\n{}", EscapeMarkdown(scenario), RenderTable(columns, rows));
    auto command = results.scenario_commands.find(scenario);
    if (command != results.scenario_commands.end()) {
      out += fmt::format("\n{}\n", CodeSpan(command->second));
    }
    out += "\n";
  }
  if (out.empty()) return out;
  return "## Sweeps\n\n"
         "Each cell: offered → achieved rps; p50 / p99 / p99.9 latency; "
         "medians over repetitions. Levels are fractions of the server's own "
         "saturation throughput. *saturated*: no valid measurement at that "
         "rate (the server or the load generator fell behind; see "
         "Warnings).\n\n" +
         out;
}

}  // namespace harness
