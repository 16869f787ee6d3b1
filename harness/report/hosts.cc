#include "report/hosts.h"

#include <fmt/format.h>

#include "report/format.h"
#include "report/table.h"

namespace harness {

std::string RenderHosts(const RunResults& results) {
  if (results.hosts.empty()) return "";
  std::string out =
      "## Hosts\n\n"
      "The roles ran on hosts of their own, each sampled from its own /proc. There are no "
      "ceilings: they measure what one machine allows.\n\n";
  std::vector<std::vector<std::string>> rows;
  for (const HostRecord& host : results.hosts) {
    const Environment& env = host.environment;
    rows.push_back(
        {EscapeMarkdown(host.name), EscapeMarkdown(fmt::format("{}", fmt::join(host.roles, ", "))),
         EscapeMarkdown(host.address), EscapeMarkdown(env.cpu_model),
         fmt::format("{} of {}", env.cores, host.online_cpus), EscapeMarkdown(env.kernel)});
  }
  out += RenderTable({{"Host", Align::kLeft},
                      {"Roles", Align::kLeft},
                      {"Address", Align::kLeft},
                      {"CPU", Align::kLeft},
                      {"CPUs (allowed of online)"},
                      {"Kernel", Align::kLeft}},
                     rows);
  if (results.round_trips.empty()) return out + "\n";
  out +=
      "\nTCP round trips between the roles' hosts, measured before the first server (connect "
      "time; a pool of N connections does at most N / round trip queries per second):\n\n";
  rows.clear();
  for (const RoundTrip& rtt : results.round_trips) {
    rows.push_back({EscapeMarkdown(rtt.between), EscapeMarkdown(rtt.from), EscapeMarkdown(rtt.to),
                    std::to_string(rtt.tries), FormatSignificant(rtt.median_ms, 3),
                    FormatSignificant(rtt.min_ms, 3), FormatSignificant(rtt.max_ms, 3)});
  }
  out += RenderTable({{"Between", Align::kLeft},
                      {"From", Align::kLeft},
                      {"To", Align::kLeft},
                      {"Tries"},
                      {"Median (ms)"},
                      {"Min (ms)"},
                      {"Max (ms)"}},
                     rows);
  return out + "\n";
}

}  // namespace harness
