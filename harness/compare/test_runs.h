// Hand-built runs for the compare and report tests. Test-only; no .cc, so it stays out of
// harness_core.
#pragma once

#include <string>
#include <vector>

#include "results/results.h"

namespace harness::test_runs {

// One measurement whose every compared figure derives from `scale`: rps 1000 × scale, p50
// 2 ms / scale, p99 5 ms / scale, CPU 0.1 s per 1k requests / scale, RSS 10 MiB.
inline Measurement Measured(const std::string& server, const std::string& scenario, int rep,
                            double scale) {
  Measurement m;
  m.server = server;
  m.scenario = scenario;
  m.repetition = rep;
  m.rps = 1000 * scale;
  m.latency.p50 = 2 / scale;
  m.latency.p90 = 3 / scale;
  m.latency.p99 = 5 / scale;
  m.latency.p999 = 8 / scale;
  m.latency.p9999 = 9 / scale;
  m.server_usage.rss_peak_mib = 10;
  m.server_usage.cpu_avg_pct = 50;
  m.server_cpu_s_per_1k = 0.1 / scale;
  return m;
}

// Servers axum and cpp-beast, scenarios closed and keepalive, one measurement per scale and
// repetition for every server and scenario; the same method every time.
inline RunResults MakeRun(const std::vector<double>& scales) {
  RunResults r;
  r.partial = false;
  r.started_at = "2026-11-25T20:00:00Z";
  r.environment.git_sha = "abc1234";
  r.scenarios = {"closed", "keepalive"};
  r.scenario_commands = {{"closed", "oha -z 1s -c 10 --disable-keepalive"},
                         {"keepalive", "oha -z 1s -c 10"}};
  r.method = {{"cpu", "AMD EPYC"},
              {"cores", "2"},
              {"scenario:closed", r.scenario_commands["closed"]},
              {"scenario:keepalive", r.scenario_commands["keepalive"]},
              {"code:axum", "003cb80"},
              {"code:cpp-beast", "8f4c9ad"}};
  r.fingerprint = "d2531dd7742e43b3";
  for (const char* name : {"axum", "cpp-beast"}) {
    ServerOutcome s;
    s.name = name;
    s.ok = true;
    r.servers.push_back(s);
  }
  for (size_t i = 0; i < scales.size(); ++i) {
    for (const char* server : {"axum", "cpp-beast"}) {
      for (const char* scenario : {"closed", "keepalive"}) {
        r.measurements.push_back(Measured(server, scenario, static_cast<int>(i) + 1, scales[i]));
      }
    }
  }
  return r;
}

// Five repetitions that vary by ±2% around `center`.
inline std::vector<double> Five(double center) {
  return {center * 0.98, center * 0.99, center, center * 1.01, center * 1.02};
}

// Seven repetitions that vary by ±3% around `center`: the nightly's count, enough for the U test
// to judge the 20 rows of MakeRun after the correction (2 / C(14, 7) = 0.00058 < 0.05 / 20;
// five and five reach only 0.0079).
inline std::vector<double> Seven(double center) {
  return {center * 0.97, center * 0.98, center * 0.99, center,
          center * 1.01, center * 1.02, center * 1.03};
}

}  // namespace harness::test_runs
