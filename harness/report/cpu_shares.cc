#include "report/cpu_shares.h"

#include <fmt/format.h>

#include <cmath>

#include "report/format.h"
#include "report/metrics.h"
#include "report/select.h"
#include "report/table.h"
#include "stats/stats.h"

namespace harness {
namespace {

std::string Pct(double pct) {
  return std::isnan(pct) ? std::string(kMissing) : FormatRps(pct) + "%";
}

template <typename Get>
double MedianOf(const std::vector<const Measurement*>& points, Get get) {
  std::vector<double> values;
  for (const Measurement* m : points) values.push_back(get(*m));
  return Median(values);
}

// Across hosts: each host's busy CPU against its own cores, and each role's share.
std::string RenderHostShares(const RunResults& results) {
  std::vector<Column> columns = {{"Server", Align::kLeft}, {"Point", Align::kLeft}, {"rps"}};
  for (const HostRecord& host : results.hosts) {
    columns.push_back(
        {fmt::format("{} busy ({})", EscapeMarkdown(host.name),
                     EscapeMarkdown(fmt::format("{}", fmt::join(host.roles, ", "))))});
  }
  for (const char* role : {"Server CPU", "Postgres CPU", "oha CPU", "oha CPU-s / 1k req"}) {
    columns.push_back({role});
  }
  std::vector<std::vector<std::string>> rows;
  int flagged = 0, total = 0;
  for (const Point& point : Points(results)) {
    for (const std::string& server : ServerOrder(results)) {
      std::vector<const Measurement*> points;
      for (const Measurement* m : Select(results, server, point.scenario, point.level)) {
        if (!m->host_usage.empty()) points.push_back(m);
      }
      if (points.empty()) continue;
      ++total;
      std::vector<std::string> row = {
          EscapeMarkdown(server), EscapeMarkdown(point.Label()),
          FormatRps(MedianOf(points, [](const Measurement& m) { return m.rps; }))};
      bool any_bound = false;
      for (const HostRecord& host : results.hosts) {
        std::vector<const Measurement*> on_host;
        for (const Measurement* m : points) {
          if (m->host_usage.contains(host.name)) on_host.push_back(m);
        }
        if (on_host.empty()) {
          row.push_back(std::string(kMissing));
          continue;
        }
        const int cores = host.online_cpus;
        int bound = 0;
        for (const Measurement* m : on_host) {
          bound += cores > 0 &&
                   m->host_usage.at(host.name).cpu_avg_pct >= kMachineBoundShare * 100.0 * cores;
        }
        std::string cell = Pct(MedianOf(
            on_host, [&](const Measurement& m) { return m.host_usage.at(host.name).cpu_avg_pct; }));
        if (cores > 0) cell += fmt::format(" of {}%", 100 * cores);
        if (bound > 0) {
          cell += bound == static_cast<int>(on_host.size())
                      ? " ⚠"
                      : fmt::format(" ⚠ {}/{}", bound, on_host.size());
          any_bound = true;
        }
        row.push_back(cell);
      }
      flagged += any_bound;
      row.push_back(
          Pct(MedianOf(points, [](const Measurement& m) { return m.server_usage.cpu_avg_pct; })));
      row.push_back(
          Pct(MedianOf(points, [](const Measurement& m) { return m.postgres_usage.cpu_avg_pct; })));
      row.push_back(
          Pct(MedianOf(points, [](const Measurement& m) { return m.oha_usage.cpu_avg_pct; })));
      row.push_back(FormatSignificant(
          MedianOf(points, [](const Measurement& m) { return m.oha_cpu_s_per_1k; }), 3));
      rows.push_back(std::move(row));
    }
  }
  if (rows.empty()) return "";
  std::string out = fmt::format(
      "## Where the CPU went\n\n"
      "Each host's busy CPU during each measurement (from its /proc/stat; 100% is one of the "
      "CPUs its kernel runs, so \"of N%\" is all of that host) and what the server, Postgres and "
      "the load "
      "generator (oha) took on their hosts. Medians over repetitions. ⚠: a host was at least "
      "{:.0f}% busy, so that host, not the server alone, may have set the pace ({} of {} "
      "points).\n\n",
      100 * kMachineBoundShare, flagged, total);
  out += RenderTable(columns, rows);
  return out + "\n";
}

}  // namespace

std::string RenderCpuShares(const RunResults& results) {
  if (!results.hosts.empty()) return RenderHostShares(results);
  const int cores = results.environment.cores;
  std::vector<std::vector<std::string>> rows;
  int flagged = 0;
  for (const Point& point : Points(results)) {
    for (const std::string& server : ServerOrder(results)) {
      // Every repetition that sampled the machine, valid or not: a saturated point still
      // consumed the CPU it did.
      std::vector<const Measurement*> points;
      for (const Measurement* m : Select(results, server, point.scenario, point.level)) {
        if (m->machine_usage.samples > 0) points.push_back(m);
      }
      if (points.empty()) continue;
      auto busy = [](const Measurement& m) { return m.machine_usage.cpu_avg_pct; };
      auto server_pct = [](const Measurement& m) { return m.server_usage.cpu_avg_pct; };
      auto postgres = [](const Measurement& m) { return m.postgres_usage.cpu_avg_pct; };
      auto oha = [](const Measurement& m) { return m.oha_usage.cpu_avg_pct; };
      auto other = [](const Measurement& m) {
        return std::max(0.0, m.machine_usage.cpu_avg_pct - m.server_usage.cpu_avg_pct -
                                 m.postgres_usage.cpu_avg_pct - m.oha_usage.cpu_avg_pct);
      };
      int bound = 0;
      for (const Measurement* m : points) bound += MachineBound(*m, cores);
      std::string machine = Pct(MedianOf(points, busy));
      if (cores > 0) machine += fmt::format(" of {}%", 100 * cores);
      if (bound > 0) {
        machine += bound == static_cast<int>(points.size())
                       ? " ⚠"
                       : fmt::format(" ⚠ {}/{}", bound, points.size());
        ++flagged;
      }
      rows.push_back(
          {EscapeMarkdown(server), EscapeMarkdown(point.Label()),
           FormatRps(MedianOf(points, [](const Measurement& m) { return m.rps; })), machine,
           Pct(MedianOf(points, server_pct)), Pct(MedianOf(points, postgres)),
           Pct(MedianOf(points, oha)), Pct(MedianOf(points, other)),
           FormatSignificant(
               MedianOf(points, [](const Measurement& m) { return m.oha_cpu_s_per_1k; }), 3)});
    }
  }
  if (rows.empty()) return "";
  std::string out = fmt::format(
      "## Where the CPU went\n\n"
      "The whole machine's busy CPU during each measurement (from /proc/stat; 100% is one core, "
      "so {}% is all of this machine) and who took it: the server, Postgres, the load generator "
      "(oha) and the rest (kernel work charged to no process, the harness, anything else). "
      "Medians over repetitions. ⚠: the machine was at least {:.0f}% busy, so the machine, not "
      "the server alone, may have set the pace ({} of {} points). oha's cost per request differs "
      "between a closed loop and a rate-limited one (its fast path runs only without `-q`).\n\n",
      100 * cores, 100 * kMachineBoundShare, flagged, rows.size());
  out += RenderTable({{"Server", Align::kLeft},
                      {"Point", Align::kLeft},
                      {"rps"},
                      {"Machine busy"},
                      {"Server"},
                      {"Postgres"},
                      {"oha"},
                      {"Other"},
                      {"oha CPU-s / 1k req"}},
                     rows);
  return out + "\n";
}

}  // namespace harness
