#include "compare/runs_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "report/format.h"
#include "report/metrics.h"
#include "report/table.h"
#include "stats/stats.h"

namespace harness {
namespace {

using Json = nlohmann::ordered_json;

// Every point of every run, in the first run's order, then the ones it lacks.
std::vector<Point> AllPoints(const std::vector<LoadedRun>& runs) {
  std::vector<Point> points;
  for (const LoadedRun& run : runs) {
    for (const Point& p : Points(run.results)) {
      auto same = [&](const Point& q) { return q.scenario == p.scenario && q.level == p.level; };
      if (std::none_of(points.begin(), points.end(), same)) points.push_back(p);
    }
  }
  return points;
}

std::vector<std::string> MeasuredServers(const RunResults& results, const Point& point) {
  std::vector<std::string> servers;
  for (const std::string& server : ServerOrder(results)) {
    if (!Select(results, server, point.scenario, point.level).empty()) servers.push_back(server);
  }
  return servers;
}

Json Number(double value) { return std::isfinite(value) ? Json(value) : Json(nullptr); }

std::string CsvField(const std::string& text) {
  if (text.find_first_of(",\"\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string CsvNumber(double value) {
  return std::isfinite(value) ? fmt::format("{}", value) : std::string();
}

}  // namespace

std::string RenderRunsMarkdown(const std::vector<LoadedRun>& runs) {
  std::string out = "# Benchmark results, side by side\n\n";
  std::vector<std::vector<std::string>> legend;
  for (const LoadedRun& run : runs) {
    const RunResults& r = run.results;
    legend.push_back(
        {CodeSpan(run.label), EscapeMarkdown(r.started_at),
         EscapeMarkdown(r.environment.git_sha) + (r.environment.git_dirty ? " (dirty)" : ""),
         fmt::format("{}", Repetitions(r)), CodeSpan(r.fingerprint),
         r.partial ? "partial" : "complete"});
  }
  out += RenderTable({{"Run", Align::kLeft},
                      {"Started", Align::kLeft},
                      {"Harness", Align::kLeft},
                      {"Repetitions"},
                      {"Method fingerprint", Align::kLeft},
                      {"State", Align::kLeft}},
                     legend);
  bool same_method = std::all_of(runs.begin(), runs.end(), [&](const LoadedRun& run) {
    return run.results.fingerprint == runs.front().results.fingerprint;
  });
  if (!same_method) {
    out +=
        "\n> The runs' method fingerprints differ: their figures may not be comparable "
        "(`harness compare` names the settings that differ).\n";
  }
  out += "\n";

  for (const Point& point : AllPoints(runs)) {
    std::vector<Column> columns = {{"Metric", Align::kLeft}};
    std::vector<std::pair<const LoadedRun*, std::string>> groups;
    for (const LoadedRun& run : runs) {
      for (const std::string& server : MeasuredServers(run.results, point)) {
        columns.push_back(
            {fmt::format("{} ({})", EscapeMarkdown(server), EscapeMarkdown(run.label))});
        groups.emplace_back(&run, server);
      }
    }
    out += fmt::format("## Scenario: {}\n\n", EscapeMarkdown(point.Label()));
    if (groups.empty()) {
      out += "No measurements.\n\n";
      continue;
    }
    std::vector<std::vector<std::string>> rows;
    for (const MetricSpec& metric : Metrics()) {
      if (!metric.in_table) continue;
      std::vector<std::string>& row = rows.emplace_back();
      row.push_back(std::string(metric.label));
      for (const auto& [run, server] : groups) {
        row.push_back(
            MetricCell(Select(run->results, server, point.scenario, point.level), metric));
      }
    }
    out += RenderTable(columns, rows) + "\n";
  }
  while (out.ends_with("\n\n")) out.pop_back();
  return out;
}

std::string RenderRunsJson(const std::vector<LoadedRun>& runs) {
  Json out_runs = Json::array();
  for (const LoadedRun& run : runs) {
    const RunResults& r = run.results;
    Json points = Json::array();
    for (const Point& point : Points(r)) {
      Json servers = Json::array();
      for (const std::string& server : MeasuredServers(r, point)) {
        Json metrics = Json::object();
        for (const MetricSpec& metric : Metrics()) {
          std::vector<double> values = Values(r, server, point, metric);
          metrics[std::string(metric.key)] = {{"median", Number(Median(values))},
                                              {"min", Number(Min(values))},
                                              {"max", Number(Max(values))},
                                              {"n", values.size()}};
        }
        servers.push_back({{"server", server}, {"metrics", metrics}});
      }
      auto command = r.scenario_commands.find(point.scenario);
      points.push_back({{"scenario", point.scenario},
                        {"level", point.level.Name()},
                        {"command", command == r.scenario_commands.end() ? "" : command->second},
                        {"servers", servers}});
    }
    out_runs.push_back({{"label", run.label},
                        {"path", run.dir.string()},
                        {"started_at", r.started_at},
                        {"partial", r.partial},
                        {"schema_version", r.schema_version},
                        {"fingerprint", r.fingerprint},
                        {"repetitions", Repetitions(r)},
                        {"points", points}});
  }
  return Json{{"runs", out_runs}}.dump(2) + "\n";
}

std::string RenderRunsCsv(const std::vector<LoadedRun>& runs) {
  std::string out = "run,scenario,level,server,metric,median,min,max,n\n";
  for (const LoadedRun& run : runs) {
    for (const Point& point : Points(run.results)) {
      for (const std::string& server : MeasuredServers(run.results, point)) {
        for (const MetricSpec& metric : Metrics()) {
          std::vector<double> values = Values(run.results, server, point, metric);
          out += fmt::format("{},{},{},{},{},{},{},{},{}\n", CsvField(run.label),
                             CsvField(point.scenario), CsvField(point.level.Name()),
                             CsvField(server), metric.key, CsvNumber(Median(values)),
                             CsvNumber(Min(values)), CsvNumber(Max(values)), values.size());
        }
      }
    }
  }
  return out;
}

}  // namespace harness
