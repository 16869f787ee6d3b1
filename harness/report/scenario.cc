#include "report/scenario.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "report/format.h"
#include "report/metrics.h"
#include "report/select.h"
#include "report/table.h"
#include "stats/stats.h"

namespace harness {
namespace {

std::string NotMeasuredNote(const RunResults& results, const std::vector<std::string>& measured) {
  std::vector<std::string> missing;
  for (const ServerOutcome& s : results.servers) {
    if (std::find(measured.begin(), measured.end(), s.name) != measured.end()) continue;
    missing.push_back(s.ok || s.verdict == ServerVerdict::kNone
                          ? EscapeMarkdown(s.name)
                          : fmt::format("{} ({})", EscapeMarkdown(s.name),
                                        EscapeMarkdown(ServerVerdictName(s.verdict))));
  }
  if (missing.empty()) return "";
  return fmt::format("Not measured: {}.\n", fmt::join(missing, ", "));
}

}  // namespace

std::string RenderScenario(const RunResults& results, const std::string& scenario) {
  std::string out = fmt::format("## Scenario: {}\n\n", EscapeMarkdown(scenario));
  std::vector<std::string> servers;
  for (const std::string& server : ServerOrder(results)) {
    if (!Select(results, server, scenario).empty()) servers.push_back(server);
  }
  const std::string& base = results.baseline;
  auto base_points = Select(results, base, scenario);
  bool has_base = AnyValid(base_points);
  std::vector<std::string> rivals;
  for (const std::string& server : servers) {
    if (server != base) rivals.push_back(server);
  }

  std::vector<Column> columns = {{"Metric", Align::kLeft}};
  for (const std::string& server : servers) columns.push_back({EscapeMarkdown(server)});
  if (has_base) {
    for (const std::string& rival : rivals) {
      columns.push_back({fmt::format("{} vs {} (%)", EscapeMarkdown(rival), EscapeMarkdown(base))});
    }
  }
  std::vector<std::vector<std::string>> rows;
  for (const MetricSpec& metric : Metrics()) {
    if (!metric.in_table) continue;
    std::vector<std::string>& cells = rows.emplace_back();
    cells.push_back(std::string(metric.label));
    for (const std::string& server : servers) {
      cells.push_back(MetricCell(Select(results, server, scenario), metric));
    }
    if (!has_base) continue;
    double base_median = MetricMedian(base_points, metric);
    for (const std::string& rival : rivals) {
      double median = MetricMedian(Select(results, rival, scenario), metric);
      cells.push_back(metric.improvement
                          ? FormatImprovement(Improvement(median, base_median, metric.better))
                          : std::string(kMissing));
    }
  }

  out += servers.empty() ? "No measurements.\n" : RenderTable(columns, rows);
  auto command = results.scenario_commands.find(scenario);
  if (command != results.scenario_commands.end()) {
    out += fmt::format("\n{}\n", CodeSpan(command->second));
  }
  std::string notes;
  if (!has_base && !rivals.empty()) {
    notes += base.empty() ? "No improvement columns: no baseline is set.\n"
                          : fmt::format(
                                "No improvement columns: the baseline, {}, "
                                "has no valid measurement here.\n",
                                EscapeMarkdown(base));
  }
  notes += NotMeasuredNote(results, servers);
  if (!notes.empty()) out += "\n" + notes;
  return out + "\n";
}

}  // namespace harness
