#include "report/ceilings.h"

#include <fmt/format.h>

#include <cmath>
#include <vector>

#include "report/format.h"
#include "report/select.h"
#include "report/table.h"
#include "stats/stats.h"

namespace harness {
namespace {

std::vector<const Ceiling*> Find(const RunResults& results, const std::string& kind,
                                 const std::string& scenario) {
  std::vector<const Ceiling*> found;
  for (const Ceiling& c : results.ceilings) {
    if (c.kind == kind && c.scenario == scenario && c.error.empty() && c.rps > 0) {
      found.push_back(&c);
    }
  }
  return found;
}

// The command of the last ceiling of `kind` for `scenario`, measured or not.
std::string CommandOf(const RunResults& results, const std::string& kind,
                      const std::string& scenario) {
  std::string command;
  for (const Ceiling& c : results.ceilings) {
    if (c.kind == kind && c.scenario == scenario) command = c.command;
  }
  return command;
}

template <typename Get>
double MedianOf(const std::vector<const Ceiling*>& ceilings, Get get) {
  std::vector<double> values;
  for (const Ceiling* c : ceilings) {
    if (auto v = get(*c)) values.push_back(*v);
  }
  return values.empty() ? std::nan("") : Median(values);
}

// The scenarios with an HTTP ceiling, in the run's order.
std::vector<std::string> CeilingScenarios(const RunResults& results) {
  std::vector<std::string> scenarios;
  for (const std::string& scenario : results.scenarios) {
    for (const Ceiling& c : results.ceilings) {
      if (c.kind == "http" && c.scenario == scenario) {
        scenarios.push_back(scenario);
        break;
      }
    }
  }
  return scenarios;
}

std::string Percent(double part, double whole) {
  if (std::isnan(part) || std::isnan(whole) || whole <= 0) return std::string(kMissing);
  return FormatSignificant(100 * part / whole, 2);
}

std::string RenderCeilingTable(const RunResults& results) {
  std::vector<std::vector<std::string>> rows;
  auto row = [&](const std::string& label, const std::string& scenario,
                 const std::vector<const Ceiling*>& found, const std::string& command) {
    rows.push_back(
        {label, EscapeMarkdown(scenario),
         FormatRps(MedianOf(found, [](const Ceiling& c) { return std::optional(c.rps); })),
         FormatMs(MedianOf(found, [](const Ceiling& c) { return c.latency.p50; })),
         FormatMs(MedianOf(found, [](const Ceiling& c) { return c.latency.p99; })),
         FormatMs(MedianOf(found, [](const Ceiling& c) { return c.latency.mean; })),
         command.empty() ? std::string(kMissing) : CodeSpan(command)});
  };
  row("database (pgbench, the query alone)", "", Find(results, "database", ""),
      CommandOf(results, "database", ""));
  for (const std::string& scenario : CeilingScenarios(results)) {
    row("HTTP (oha, the body from memory)", scenario, Find(results, "http", scenario),
        CommandOf(results, "http", scenario));
  }
  return RenderTable({{"Ceiling", Align::kLeft},
                      {"Scenario", Align::kLeft},
                      {"Throughput (rps)"},
                      {"50% latency (ms)"},
                      {"99% latency (ms)"},
                      {"Mean latency (ms)"},
                      {"Command", Align::kLeft}},
                     rows);
}

std::string RenderShares(const RunResults& results) {
  double database = CeilingRps(results, "database", "");
  std::vector<std::vector<std::string>> rows;
  for (const std::string& scenario : CeilingScenarios(results)) {
    double http = CeilingRps(results, "http", scenario);
    // Each ceiling kept the whole machine busy, so a request that needs both a query and an
    // HTTP exchange costs the sum of their shares of it.
    double both = 1 / (1 / database + 1 / http);
    for (const std::string& server : ServerOrder(results)) {
      // A sweep's closed loop is its saturation step.
      auto points = Select(results, server, scenario, "");
      if (points.empty()) points = Select(results, server, scenario, "saturation");
      auto rps = ValidValues(points, [](const Measurement& m) { return std::optional(m.rps); });
      if (rps.empty()) continue;
      double median = Median(rps);
      rows.push_back({EscapeMarkdown(server), EscapeMarkdown(scenario), FormatRps(median),
                      Percent(median, database), Percent(median, http), Percent(median, both)});
    }
  }
  if (rows.empty()) return "";
  return RenderTable({{"Server", Align::kLeft},
                      {"Scenario", Align::kLeft},
                      {"Throughput (rps)"},
                      {"% of database ceiling"},
                      {"% of HTTP ceiling"},
                      {"% of both"}},
                     rows);
}

std::string RenderErrors(const RunResults& results) {
  std::string out;
  for (const Ceiling& c : results.ceilings) {
    if (c.error.empty()) continue;
    out += fmt::format("- {}{} #{}: {}\n", c.kind, c.scenario.empty() ? "" : " " + c.scenario,
                       c.repetition, EscapeMarkdown(c.error));
  }
  return out.empty() ? "" : "Not measured:\n\n" + out;
}

}  // namespace

double CeilingRps(const RunResults& results, const std::string& kind, const std::string& scenario) {
  return MedianOf(Find(results, kind, scenario),
                  [](const Ceiling& c) { return std::optional(c.rps); });
}

std::string RenderCeilings(const RunResults& results) {
  if (results.ceilings.empty()) return "";
  std::string out =
      "## Ceilings\n\n"
      "What this machine allowed in the same run, medians over repetitions: Postgres answering "
      "the benchmark query alone to pgbench (the servers' pool size as connections, prepared "
      "statements), and HTTP alone: oha against the harness's own server answering the same "
      "body from memory. With one query per request, no server can pass the database ceiling; "
      "nor, on a scenario's load, its HTTP ceiling, where oha and the kernel have the machine "
      "to themselves. Each kept the whole machine busy, so a request that needs a query and an "
      "HTTP exchange can at best go at 1 / (1/database + 1/HTTP): \"% of both\".\n\n" +
      RenderCeilingTable(results) + "\n";
  std::string shares = RenderShares(results);
  if (!shares.empty())
    out += "Closed-loop throughput as a share of the ceilings:\n\n" + shares + "\n";
  std::string errors = RenderErrors(results);
  if (!errors.empty()) out += errors + "\n";
  return out;
}

}  // namespace harness
