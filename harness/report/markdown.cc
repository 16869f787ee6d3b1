#include "report/markdown.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "plots/plots.h"
#include "report/ceilings.h"
#include "report/format.h"
#include "report/select.h"
#include "report/sweep.h"
#include "report/table.h"
#include "stats/stats.h"

namespace harness {
namespace {

struct Metric {
  const char* label;
  Better better;
  Getter get;
  std::string (*format)(double);
};

// The reference's rows, plus the server's CPU, which it only mentions in prose.
const Metric kMetrics[] = {
    {"Throughput (rps)", Better::kHigher,
     [](const Measurement& m) -> std::optional<double> { return m.rps; }, FormatRps},
    {"50% latency (ms)", Better::kLower, [](const Measurement& m) { return m.latency.p50; },
     FormatMs},
    {"99% latency (ms)", Better::kLower, [](const Measurement& m) { return m.latency.p99; },
     FormatMs},
    {"Peak memory (MiB)", Better::kLower,
     [](const Measurement& m) -> std::optional<double> { return m.server_usage.rss_peak_mib; },
     FormatMib},
    {"CPU (%)", Better::kLower,
     [](const Measurement& m) -> std::optional<double> { return m.server_usage.cpu_avg_pct; },
     FormatCpuPct},
};

std::string Cell(const std::vector<double>& values, std::string (*format)(double)) {
  std::string cell = format(Median(values));
  if (values.size() > 1) {
    cell += fmt::format(" ({}–{})", format(Min(values)), format(Max(values)));
  }
  return cell;
}

std::string TextOrMissing(const std::string& text) {
  return text.empty() ? std::string(kMissing) : EscapeMarkdown(text);
}

std::string NotMeasuredNote(const RunResults& results, const std::vector<std::string>& measured) {
  std::vector<std::string> missing;
  for (const ServerOutcome& s : results.servers) {
    if (std::find(measured.begin(), measured.end(), s.name) != measured.end()) {
      continue;
    }
    missing.push_back(s.ok || s.verdict.empty() ? EscapeMarkdown(s.name)
                                                : fmt::format("{} ({})", EscapeMarkdown(s.name),
                                                              EscapeMarkdown(s.verdict)));
  }
  if (missing.empty()) return "";
  return fmt::format("Not measured: {}.\n", fmt::join(missing, ", "));
}

std::string RenderScenario(const RunResults& results, const std::string& scenario) {
  std::string out = fmt::format("## Scenario: {}\n\n", EscapeMarkdown(scenario));
  std::vector<std::string> servers;
  for (const std::string& server : ServerOrder(results)) {
    if (!Select(results, server, scenario, "").empty()) {
      servers.push_back(server);
    }
  }
  const std::string& base = results.baseline;
  bool has_base = AnyValid(Select(results, base, scenario, ""));
  std::vector<std::string> rivals;
  for (const std::string& server : servers) {
    if (server != base) rivals.push_back(server);
  }

  std::vector<Column> columns = {{"Metric", Align::kLeft}};
  for (const std::string& server : servers) {
    columns.push_back({EscapeMarkdown(server)});
  }
  if (has_base) {
    for (const std::string& rival : rivals) {
      columns.push_back({fmt::format("{} vs {} (%)", EscapeMarkdown(rival), EscapeMarkdown(base))});
    }
  }
  std::vector<std::vector<std::string>> rows;
  for (const Metric& metric : kMetrics) {
    std::vector<std::string>& row = rows.emplace_back();
    row.push_back(metric.label);
    for (const std::string& server : servers) {
      row.push_back(
          Cell(ValidValues(Select(results, server, scenario, ""), metric.get), metric.format));
    }
    if (!has_base) continue;
    double base_median = Median(ValidValues(Select(results, base, scenario, ""), metric.get));
    for (const std::string& rival : rivals) {
      double median = Median(ValidValues(Select(results, rival, scenario, ""), metric.get));
      row.push_back(FormatImprovement(Improvement(median, base_median, metric.better)));
    }
  }

  if (servers.empty()) {
    out += "No measurements.\n";
  } else {
    out += RenderTable(columns, rows);
  }
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

std::string RenderContext(const RunResults& results) {
  const Environment& env = results.environment;
  std::vector<std::string> parts;
  if (!results.started_at.empty()) {
    parts.push_back("Started " + EscapeMarkdown(results.started_at));
  }
  if (!env.cpu_model.empty()) parts.push_back(EscapeMarkdown(env.cpu_model));
  if (env.cores > 0) parts.push_back(fmt::format("{} cores", env.cores));
  if (!env.kernel.empty()) {
    parts.push_back("kernel " + EscapeMarkdown(env.kernel));
  }
  if (!env.git_sha.empty()) {
    parts.push_back(
        fmt::format("harness {}{}", EscapeMarkdown(env.git_sha), env.git_dirty ? " (dirty)" : ""));
  }
  int repetitions = Repetitions(results);
  if (repetitions > 0) {
    parts.push_back(fmt::format("{} repetition{}", repetitions, repetitions == 1 ? "" : "s"));
  }
  if (!results.baseline.empty()) {
    parts.push_back("baseline " + EscapeMarkdown(results.baseline));
  }
  if (results.harness_cpu_pct > 0) {  // sampler and bookkeeping, during the measurements
    parts.push_back(
        fmt::format("harness CPU {}% of a core", FormatSignificant(results.harness_cpu_pct, 2)));
  }
  std::string out = "# Benchmark results\n\n";
  if (!parts.empty()) out += fmt::format("{}.\n\n", fmt::join(parts, "; "));
  if (results.partial) {
    out +=
        "> **Partial run**: it did not finish, so some measurements are "
        "missing.\n\n";
  }
  return out;
}

std::string RenderCost(const RunResults& results) {
  std::vector<std::vector<std::string>> rows;
  for (const std::string& server : ServerOrder(results)) {
    const ServerOutcome* outcome = FindServer(results, server);
    // 0 is what an outcome holds when the server never got to idle.
    double idle = outcome && outcome->idle_rss_mib > 0 ? outcome->idle_rss_mib : std::nan("");
    for (const std::string& scenario : results.scenarios) {
      auto points = Select(results, server, scenario, "");
      if (points.empty()) continue;
      auto median = [&](Getter get) { return Median(ValidValues(points, get)); };
      rows.push_back({
          EscapeMarkdown(server),
          EscapeMarkdown(scenario),
          FormatSignificant(
              median([](const Measurement& m) { return std::optional(m.server_cpu_s_per_1k); }), 3),
          FormatSignificant(
              median([](const Measurement& m) { return std::optional(m.postgres_cpu_s_per_1k); }),
              3),
          FormatMib(idle),
          FormatMib(median(
              [](const Measurement& m) { return std::optional(m.server_usage.rss_peak_mib); })),
          FormatMib(median(
              [](const Measurement& m) { return std::optional(m.server_usage.anon_peak_mib); })),
      });
    }
  }
  if (rows.empty()) return "";
  return "## Cost per request\n\n"
         "CPU-seconds per 1,000 successful requests and resident memory; "
         "medians over repetitions. Peak anon is the resident memory the server allocated "
         "itself (RSS without the pages of its executable and shared libraries).\n\n" +
         RenderTable({{"Server", Align::kLeft},
                      {"Scenario", Align::kLeft},
                      {"Server CPU-s / 1k req"},
                      {"Postgres CPU-s / 1k req"},
                      {"Idle RSS (MiB)"},
                      {"Peak RSS (MiB)"},
                      {"Peak anon (MiB)"}},
                     rows) +
         "\n";
}

// The SVGs that WritePlots puts beside report.md.
std::string RenderPlots(const RunResults& results) {
  std::string out;
  for (const PlotFile& plot : PlotFiles(results)) {
    out += fmt::format("![{}]({})\n\n", EscapeMarkdown(plot.title), plot.path);
  }
  return out.empty() ? "" : "## Plots\n\n" + out;
}

std::string RenderServers(const RunResults& results) {
  if (results.servers.empty()) return "";
  std::string out = "## Servers\n\n";
  for (const ServerOutcome& s : results.servers) {
    std::string name = EscapeMarkdown(s.name);
    if (s.ok) {
      out += fmt::format("- **{}**: verification {}; count check {}\n", name,
                         TextOrMissing(s.verification), TextOrMissing(s.count_check));
      continue;
    }
    out += fmt::format("- **{}**: {}: {}\n", name, EscapeMarkdown(s.verdict),
                       EscapeMarkdown(s.failure));
    // Indented, the block stays inside the list item.
    if (!s.log_tail.empty()) out += "\n" + CodeBlock(s.log_tail, "  ") + "\n";
  }
  return out + "\n";
}

std::string RenderWarnings(const RunResults& results) {
  std::string out;
  for (const Measurement& m : results.measurements) {
    std::string point = m.level.empty() ? m.scenario : m.scenario + " " + m.level;
    for (const std::string& warning : m.warnings) {
      out += fmt::format("- {} / {} #{}: {}\n", EscapeMarkdown(m.server), EscapeMarkdown(point),
                         m.repetition, EscapeMarkdown(warning));
    }
  }
  return out.empty() ? "" : "## Warnings\n\n" + out + "\n";
}

}  // namespace

std::string RenderScenarioTables(const RunResults& results) {
  std::string out;
  for (const std::string& scenario : results.scenarios) {
    if (SweepLevels(results, scenario).empty()) {
      out += RenderScenario(results, scenario);
    }
  }
  return out;
}

std::string RenderMarkdown(const RunResults& results) {
  std::string out = RenderContext(results) + RenderScenarioTables(results) + RenderCost(results) +
                    RenderCeilings(results) + RenderSweeps(results) + RenderPlots(results) +
                    RenderServers(results) + RenderWarnings(results);
  // One trailing newline, however the last section ended.
  while (out.ends_with("\n\n")) out.pop_back();
  return out;
}

}  // namespace harness
