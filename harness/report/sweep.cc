#include "report/sweep.h"

#include <fmt/format.h>

#include "report/format.h"
#include "report/select.h"
#include "report/table.h"
#include "stats/stats.h"

namespace harness {
namespace {

double MedianOf(const std::vector<const Measurement*>& points, Getter get) {
  return Median(ValidValues(points, get));
}

std::string Cell(const std::vector<const Measurement*>& points) {
  if (points.empty()) return std::string(kMissing);
  size_t valid = 0;
  for (const Measurement* m : points) valid += m->valid;
  std::string count = points.size() > 1 || valid < points.size()
                          ? fmt::format("{}/{} valid", valid, points.size())
                          : "";
  // Fewer than half valid: what the valid ones say is the exception, not the level.
  if (valid * 2 < points.size() || valid == 0) return fmt::format("saturated ({})", count);
  std::string cell =
      fmt::format("{} → {} rps; {} / {} / {} ms",
                  FormatRps(MedianOf(points, [](const Measurement& m) { return m.offered_rps; })),
                  FormatRps(MedianOf(
                      points, [](const Measurement& m) -> std::optional<double> { return m.rps; })),
                  FormatMs(MedianOf(points, [](const Measurement& m) { return m.latency.p50; })),
                  FormatMs(MedianOf(points, [](const Measurement& m) { return m.latency.p99; })),
                  FormatMs(MedianOf(points, [](const Measurement& m) { return m.latency.p999; })));
  return count.empty() ? cell : cell + "; " + count;
}

// Where each server's rates came from: its saturation runs and their median.
std::string RatesNote(const RunResults& results, const std::string& scenario) {
  std::vector<std::string> parts;
  for (const SweepRates& r : results.sweep_rates) {
    if (r.scenario != scenario) continue;
    if (r.levels.empty()) {
      parts.push_back(
          fmt::format("{}: no valid saturation run, not swept", EscapeMarkdown(r.server)));
      continue;
    }
    std::vector<std::string> runs;
    for (double rps : r.saturation_rps) runs.push_back(FormatRps(rps));
    parts.push_back(fmt::format("{} {} → {}", EscapeMarkdown(r.server), fmt::join(runs, ", "),
                                FormatRps(r.saturation_median)));
  }
  if (parts.empty()) return "";
  std::string out =
      fmt::format("Saturation runs (rps) and the median the levels are fractions of: {}.\n",
                  fmt::join(parts, "; "));
  for (const SweepRates& r : results.sweep_rates) {
    if (r.scenario != scenario || r.levels.empty()) continue;
    out += fmt::format(
        "\nA level runs, for example {} at {}: {} (every level's command is in results.json, "
        "`sweep_rates`).\n",
        EscapeMarkdown(r.server), Level::Fraction(r.levels.front().fraction).Label(),
        CodeSpan(r.levels.front().command));
    break;
  }
  return out;
}

}  // namespace

std::string RenderSweeps(const RunResults& results) {
  std::string out;
  for (const std::string& scenario : results.scenarios) {
    std::vector<Level> levels = SweepLevels(results, scenario);
    if (levels.empty()) continue;
    std::vector<Column> columns = {{"Load", Align::kLeft}};
    std::vector<std::string> servers;
    for (const std::string& server : ServerOrder(results)) {
      for (const Level& level : levels) {
        if (!Select(results, server, scenario, level).empty()) {
          servers.push_back(server);
          columns.push_back({EscapeMarkdown(server)});
          break;
        }
      }
    }
    std::vector<std::vector<std::string>> rows;
    for (const Level& level : levels) {
      rows.push_back({EscapeMarkdown(level.Label())});
      for (const std::string& server : servers) {
        rows.back().push_back(Cell(Select(results, server, scenario, level)));
      }
    }
    out += fmt::format("### {}\n\n{}", EscapeMarkdown(scenario), RenderTable(columns, rows));
    auto command = results.scenario_commands.find(scenario);
    if (command != results.scenario_commands.end()) {
      out += fmt::format("\n{}\n", CodeSpan(command->second));
    }
    std::string rates = RatesNote(results, scenario);
    if (!rates.empty()) out += "\n" + rates;
    out += "\n";
  }
  if (out.empty()) return out;
  return "## Sweeps\n\n"
         "Each cell: offered → achieved rps; p50 / p99 / p99.9 latency of 2xx responses; medians "
         "over the valid repetitions, and how many were valid. The saturation row is a closed "
         "loop; each other level offers a fixed fraction of the server's median saturation "
         "throughput, the same rate in every repetition, open loop with latency correction. A "
         "point is invalid when its backlog exceeds what the requests in flight explain (see "
         "README, \"The sweep\"); a level where fewer than half of the repetitions were valid "
         "reads *saturated*.\n\n" +
         out;
}

}  // namespace harness
