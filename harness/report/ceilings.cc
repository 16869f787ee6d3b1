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

std::vector<const Ceiling*> Find(const RunResults& results, CeilingKind kind,
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
std::string CommandOf(const RunResults& results, CeilingKind kind, const std::string& scenario) {
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

// CPU-seconds per 1,000 requests of one process group of a ceiling run; empty when it was not
// sampled (Postgres on an external server) or nothing was counted.
std::optional<double> PerThousand(const Ceiling& c, const Usage& usage) {
  if (c.requests <= 0 || usage.samples == 0) return std::nullopt;
  return usage.cpu_seconds * 1000.0 / c.requests;
}

// Everything a ceiling run kept busy, per 1,000 requests: the client and the server side
// (database: pgbench and Postgres; HTTP: the body server and oha).
std::optional<double> TotalPerThousand(const Ceiling& c) {
  const Usage& other = c.kind == CeilingKind::kDatabase ? c.postgres_usage : c.oha_usage;
  auto target = PerThousand(c, c.target_usage), rest = PerThousand(c, other);
  if (!target || !rest) return std::nullopt;
  return *target + *rest;
}

// The scenarios with an HTTP ceiling, in the run's order.
std::vector<std::string> CeilingScenarios(const RunResults& results) {
  std::vector<std::string> scenarios;
  for (const std::string& scenario : results.scenarios) {
    for (const Ceiling& c : results.ceilings) {
      if (c.kind == CeilingKind::kHttp && c.scenario == scenario) {
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

std::string Cpu(double v) { return FormatSignificant(v, 3); }

std::string RenderCeilingTable(const RunResults& results) {
  std::vector<std::vector<std::string>> rows;
  auto row = [&](CeilingKind kind, const std::string& scenario) {
    auto found = Find(results, kind, scenario);
    std::string command = CommandOf(results, kind, scenario);
    std::string label = kind == CeilingKind::kDatabase ? "database (pgbench, the query alone)"
                                                       : "HTTP (oha, the body from memory)";
    double target =
        MedianOf(found, [](const Ceiling& c) { return PerThousand(c, c.target_usage); });
    double other = MedianOf(found, [&](const Ceiling& c) {
      return PerThousand(c, kind == CeilingKind::kDatabase ? c.postgres_usage : c.oha_usage);
    });
    rows.push_back(
        {label, EscapeMarkdown(scenario),
         FormatRps(MedianOf(found, [](const Ceiling& c) { return std::optional(c.rps); })),
         FormatMs(MedianOf(found, [](const Ceiling& c) { return c.latency.p50; })),
         FormatMs(MedianOf(found, [](const Ceiling& c) { return c.latency.p99; })),
         FormatMs(MedianOf(found, [](const Ceiling& c) { return c.latency.mean; })),
         fmt::format("{} + {}", Cpu(target), Cpu(other)),
         FormatRps(MedianOf(found,
                            [](const Ceiling& c) -> std::optional<double> {
                              if (c.machine_usage.samples == 0) return std::nullopt;
                              return c.machine_usage.cpu_avg_pct;
                            })),
         command.empty() ? std::string(kMissing) : CodeSpan(command)});
  };
  row(CeilingKind::kDatabase, "");
  for (const std::string& scenario : CeilingScenarios(results)) row(CeilingKind::kHttp, scenario);
  return RenderTable({{"Ceiling", Align::kLeft},
                      {"Scenario", Align::kLeft},
                      {"Throughput (rps)"},
                      {"50% latency (ms)"},
                      {"99% latency (ms)"},
                      {"Mean latency (ms)"},
                      {"CPU-s / 1k: client + server"},
                      {"Machine busy (%)"},
                      {"Command", Align::kLeft}},
                     rows);
}

std::string RenderBound(const RunResults& results) {
  std::vector<std::vector<std::string>> rows;
  for (const std::string& scenario : CeilingScenarios(results)) {
    double http = HttpCpuPerThousand(results, scenario);
    double query =
        RunsTheDatabaseQuery(results, scenario) ? QueryCpuPerThousand(results) : std::nan("");
    rows.push_back({EscapeMarkdown(scenario), Cpu(query), Cpu(http),
                    std::to_string(results.environment.cores),
                    FormatRps(CombinedBound(results, scenario))});
  }
  return RenderTable({{"Scenario", Align::kLeft},
                      {"CPU-s / 1k queries"},
                      {"CPU-s / 1k HTTP exchanges"},
                      {"Cores"},
                      {"Bound (rps)"}},
                     rows);
}

std::string RenderShares(const RunResults& results) {
  std::vector<std::vector<std::string>> rows;
  for (const std::string& scenario : CeilingScenarios(results)) {
    double database = RunsTheDatabaseQuery(results, scenario)
                          ? CeilingRps(results, CeilingKind::kDatabase, "")
                          : std::nan("");
    double http = CeilingRps(results, CeilingKind::kHttp, scenario);
    double bound = CombinedBound(results, scenario);
    for (const std::string& server : ServerOrder(results)) {
      // A sweep's closed loop is its saturation step.
      auto points = Select(results, server, scenario);
      if (points.empty()) points = Select(results, server, scenario, Level::Saturation());
      auto rps = ValidValues(points, [](const Measurement& m) { return std::optional(m.rps); });
      if (rps.empty()) continue;
      double median = Median(rps);
      rows.push_back({EscapeMarkdown(server), EscapeMarkdown(scenario), FormatRps(median),
                      Percent(median, database), Percent(median, http), Percent(median, bound)});
    }
  }
  if (rows.empty()) return "";
  return RenderTable({{"Server", Align::kLeft},
                      {"Scenario", Align::kLeft},
                      {"Throughput (rps)"},
                      {"% of database ceiling"},
                      {"% of HTTP ceiling"},
                      {"% of the CPU bound"}},
                     rows);
}

std::string RenderErrors(const RunResults& results) {
  std::string out;
  for (const Ceiling& c : results.ceilings) {
    if (c.error.empty()) continue;
    out += fmt::format("- {}{} #{}: {}\n", CeilingKindName(c.kind),
                       c.scenario.empty() ? "" : " " + c.scenario, c.repetition,
                       EscapeMarkdown(c.error));
  }
  return out.empty() ? "" : "Not measured:\n\n" + out;
}

}  // namespace

double CeilingRps(const RunResults& results, CeilingKind kind, const std::string& scenario) {
  return MedianOf(Find(results, kind, scenario),
                  [](const Ceiling& c) { return std::optional(c.rps); });
}

double QueryCpuPerThousand(const RunResults& results) {
  return MedianOf(Find(results, CeilingKind::kDatabase, ""), TotalPerThousand);
}

double HttpCpuPerThousand(const RunResults& results, const std::string& scenario) {
  return MedianOf(Find(results, CeilingKind::kHttp, scenario), TotalPerThousand);
}

bool RunsTheDatabaseQuery(const RunResults& results, const std::string& scenario) {
  for (const Ceiling& c : results.ceilings) {
    if (c.kind == CeilingKind::kHttp && c.scenario == scenario && !c.database_query) return false;
  }
  return true;
}

double CombinedBound(const RunResults& results, const std::string& scenario) {
  if (!RunsTheDatabaseQuery(results, scenario)) return std::nan("");
  double per_request = QueryCpuPerThousand(results) + HttpCpuPerThousand(results, scenario);
  if (std::isnan(per_request) || per_request <= 0 || results.environment.cores <= 0) {
    return std::nan("");
  }
  return results.environment.cores * 1000.0 / per_request;
}

std::string RenderCeilings(const RunResults& results) {
  if (results.ceilings.empty()) return "";
  std::string out =
      "## Ceilings\n\n"
      "What this machine allowed in the same run, medians over repetitions: Postgres answering "
      "the benchmark query alone to pgbench (the servers' pool size as connections, prepared "
      "statements), and HTTP alone: oha against the harness's own server answering the same "
      "body from memory. With one query per request, no server can pass the database ceiling; "
      "nor, on a scenario's load, its HTTP ceiling. Every process of both runs was sampled: "
      "\"CPU-s / 1k\" is what 1,000 queries cost pgbench + Postgres, and 1,000 HTTP exchanges "
      "the body server + oha.\n\n" +
      RenderCeilingTable(results) + "\n";
  std::string bound = RenderBound(results);
  if (!CeilingScenarios(results).empty()) {
    out +=
        "A request needs a query and an HTTP exchange, and on this machine both share its cores, "
        "so no server can go faster than cores / (CPU per query + CPU per exchange), from the "
        "CPU the ceilings measured (a server that spent less CPU than pgbench on the query, or "
        "than the body server on HTTP, could pass it; none is expected to):\n\n" +
        bound + "\n";
    std::vector<std::string> other;
    for (const std::string& scenario : CeilingScenarios(results)) {
      if (!RunsTheDatabaseQuery(results, scenario)) other.push_back(EscapeMarkdown(scenario));
    }
    if (!other.empty()) {
      out += fmt::format(
          "{}: its requests run another query than the one the database ceiling measured (`GET "
          "/`'s), so neither that ceiling nor the bound applies to it (–).\n\n",
          fmt::join(other, ", "));
    }
  }
  std::string shares = RenderShares(results);
  if (!shares.empty())
    out += "Closed-loop throughput as a share of the ceilings:\n\n" + shares + "\n";
  std::string errors = RenderErrors(results);
  if (!errors.empty()) out += errors + "\n";
  return out;
}

}  // namespace harness
