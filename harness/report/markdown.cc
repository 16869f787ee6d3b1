#include "report/markdown.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "report/ceilings.h"
#include "report/cpu_shares.h"
#include "report/format.h"
#include "report/hosts.h"
#include "report/scenario.h"
#include "report/select.h"
#include "report/sweep.h"
#include "report/table.h"
#include "stats/stats.h"

namespace harness {
namespace {

std::string TextOrMissing(const std::string& text) {
  return text.empty() ? std::string(kMissing) : EscapeMarkdown(text);
}

std::string RenderContext(const RunResults& results) {
  const Environment& env = results.environment;
  std::vector<std::string> parts;
  if (!results.started_at.empty()) {
    parts.push_back("Started " + EscapeMarkdown(results.started_at));
  }
  // Across hosts the machine figures here are the controller's; each host's are under Hosts.
  if (!results.hosts.empty()) parts.push_back("across the hosts below; controller");
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
  if (!results.data_checksum.empty()) {
    parts.push_back("data " + EscapeMarkdown(results.data_checksum));
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
  if (results.schema_version < 2) {
    out +=
        "> **Written by an older harness** (results schema 1): open-loop points were judged "
        "saturated only when they achieved less than 97% of the offered rate, and latency "
        "included non-2xx responses.\n\n";
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
      auto points = Select(results, server, scenario);
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

std::string RenderPlots(const std::vector<PlotLink>& plots) {
  std::string out;
  for (const PlotLink& plot : plots) {
    out += fmt::format("![{}]({})\n\n", EscapeMarkdown(plot.title), plot.path);
  }
  return out.empty() ? "" : "## Plots\n\n" + out;
}

std::string RenderServers(const RunResults& results) {
  if (results.servers.empty()) return "";
  std::string out = "## Servers\n\n";
  for (const ServerOutcome& s : results.servers) {
    std::string name = "**" + EscapeMarkdown(s.name) + "**";
    if (!s.description.empty()) name += " (" + EscapeMarkdown(s.description) + ")";
    if (s.ok) {
      out += fmt::format("- {}: verification {}; count check {}\n", name,
                         TextOrMissing(s.verification), TextOrMissing(s.count_check));
      continue;
    }
    out += fmt::format("- {}: {}: {}\n", name, EscapeMarkdown(ServerVerdictName(s.verdict)),
                       EscapeMarkdown(s.failure));
    // Indented, the block stays inside the list item.
    if (!s.log_tail.empty()) out += "\n" + CodeBlock(s.log_tail, "  ") + "\n";
  }
  if (!results.server_orders.empty()) {
    std::vector<std::string> orders;
    for (size_t i = 0; i < results.server_orders.size(); ++i) {
      std::vector<std::string> names;
      for (const std::string& name : results.server_orders[i])
        names.push_back(EscapeMarkdown(name));
      orders.push_back(fmt::format("{}: {}", i + 1, fmt::join(names, ", ")));
    }
    out += fmt::format(
        "\nOrder of the servers in each repetition (rotated, so drift of the machine "
        "does not always fall on the same one): {}.\n",
        fmt::join(orders, "; "));
  }
  return out + "\n";
}

std::string RenderWarnings(const RunResults& results) {
  std::string out;
  for (const Measurement& m : results.measurements) {
    std::string point = m.level.fixed() ? m.scenario : m.scenario + " " + m.level.Name();
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

std::string RenderMarkdown(const RunResults& results, const std::vector<PlotLink>& plots) {
  std::string out = RenderContext(results) + RenderScenarioTables(results) + RenderCost(results) +
                    RenderHosts(results) + RenderCpuShares(results) + RenderCeilings(results) +
                    RenderSweeps(results) + RenderPlots(plots) + RenderServers(results) +
                    RenderWarnings(results);
  // One trailing newline, however the last section ended.
  while (out.ends_with("\n\n")) out.pop_back();
  return out;
}

}  // namespace harness
