// What one run of the load generator measured: oha's own figures and, for an open loop, how far
// behind its schedule it ended (load/open_loop.h). A results.json measurement is these and what
// the sampler saw beside them (results/results.h).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace harness {

// Latency in milliseconds; empty when no request succeeded (oha reports null).
struct Latency {
  std::optional<double> p50, p90, p99, p999, p9999, max, mean;
};

struct LoadFigures {
  double duration_s = 0;
  long long requests = 0;             // responses received plus errors
  long long successes = 0;            // responses with status 2xx
  double rps = 0;                     // successes per second of the measurement
  std::optional<double> offered_rps;  // the -q asked for, if any
  int concurrency = 0;                // oha -c
  double success_rate = 0;
  std::map<std::string, long long> status_codes;
  std::map<std::string, long long> errors;
  double bytes_per_request = 0;
  Latency latency;  // percentiles and max of 2xx responses; mean of every response

  // Open loop only (offered_rps set): how far behind its schedule oha ended. See
  // load/open_loop.h for the rule. A saturated point's latency measures the backlog, so no report
  // prints it and compare leaves it out.
  std::optional<double> schedule_s;  // -z's duration, or -n / rate
  std::optional<long long> unsent;   // requests the schedule owed and oha never sent in time
  std::optional<double> backlog_ms;  // unsent / rate
  std::optional<double> in_system;   // Little's law: achieved rate × mean latency
  bool saturated = false;
  // Which rule judged it saturated: true, the backlog (unsent beyond the allowance); false,
  // Little's law alone. Empty in results written before it was recorded.
  std::optional<bool> behind_schedule;

  std::vector<std::string> warnings;  // why a figure may not mean what it seems
};

}  // namespace harness
