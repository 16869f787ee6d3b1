// Hand-built runs for the report tests: the reference benchmark's own
// figures (FastAPI 305 rps, Axum 9740 rps), in the shapes a report must
// handle. Test-only; no .cc, so it stays out of harness_core.
#pragma once

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "results/results.h"

namespace harness::sample {

inline Measurement Point(std::string server, std::string scenario, int rep, double rps,
                         std::optional<double> p50, std::optional<double> p99, double rss_mib,
                         double cpu_pct) {
  Measurement m;
  m.server = std::move(server);
  m.scenario = std::move(scenario);
  m.repetition = rep;
  m.rps = rps;
  m.requests = m.successes = 50000;
  m.latency.p50 = p50;
  m.latency.p99 = p99;
  m.latency.p999 = p99 ? std::optional(*p99 * 2) : std::nullopt;
  m.server_usage.rss_peak_mib = rss_mib;
  m.server_usage.anon_peak_mib = rss_mib / 4;
  m.server_usage.cpu_avg_pct = cpu_pct;
  m.server_cpu_s_per_1k = cpu_pct / 100 / rps * 1000;
  m.postgres_cpu_s_per_1k = 0.0456;
  return m;
}

// Substring checks that print both texts on failure (gmock is not linked).
inline ::testing::AssertionResult Contains(const std::string& text, const std::string& part) {
  if (text.find(part) != std::string::npos) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure() << "no\n" << part << "\nin\n" << text;
}

inline ::testing::AssertionResult Lacks(const std::string& text, const std::string& part) {
  if (text.find(part) == std::string::npos) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure() << "unexpected\n" << part << "\nin\n" << text;
}

inline ServerOutcome Outcome(std::string name, double idle_rss_mib) {
  ServerOutcome s;
  s.name = std::move(name);
  s.ok = true;
  s.verification = "passed";
  s.count_check = "passed";
  s.idle_rss_mib = idle_rss_mib;
  return s;
}

// The reference's first experiment, once: fastapi (baseline) and axum, plus
// cpp-beast, which failed to build.
inline RunResults ReferenceRun() {
  RunResults r;
  r.partial = false;
  r.started_at = "2024-05-01T10:00:00Z";
  r.environment.cpu_model = "AMD Ryzen 7 3700X 8-Core Processor";
  r.environment.cores = 16;
  r.environment.kernel = "6.1.0-18-amd64";
  r.environment.git_sha = "abc1234";
  r.environment.git_dirty = true;
  r.baseline = "fastapi";
  r.scenarios = {"closed"};
  r.scenario_commands["closed"] = "oha -n 50000 -c 10 --disable-keepalive http://127.0.0.1:8000/";
  r.servers = {Outcome("fastapi", 41.2), Outcome("axum", 3.9), Outcome("cpp-beast", 0)};
  r.servers[2].ok = false;
  r.servers[2].verdict = ServerVerdict::kBuildFailed;
  r.servers[2].failure = "exit 2 | see log";
  r.servers[2].log_tail = "g++: fatal error\ncompilation terminated.\n";
  r.measurements = {Point("fastapi", "closed", 1, 305, 30.0, 74.6, 83, 8.5),
                    Point("axum", "closed", 1, 9740, 1.0, 1.4, 10, 21)};
  return r;
}

// Three repetitions; the baseline's corrected run is invalid, axum's lost
// its p99; a sweep.
inline RunResults RepeatedRun() {
  RunResults r = ReferenceRun();
  r.partial = true;
  r.servers.pop_back();
  r.scenarios = {"closed", "corrected", "sweep"};
  r.measurements = {
      Point("fastapi", "closed", 1, 305, 30.0, 74.6, 83, 8.5),
      Point("fastapi", "closed", 2, 300, 31.0, 70.2, 84, 8.1),
      Point("fastapi", "closed", 3, 310, 29.5, 80.0, 82, 8.9),
      Point("axum", "closed", 1, 9740, 1.0, 1.4, 10, 21),
      Point("axum", "closed", 2, 9610, 1.1, 1.5, 10, 20),
      Point("axum", "closed", 3, 9811, 0.98, 1.3, 11, 22),
      Point("fastapi", "corrected", 1, 0, std::nullopt, std::nullopt, 90, 99),
      Point("axum", "corrected", 1, 9920, 16.2, std::nullopt, 10, 25),
  };
  r.measurements[6].valid = false;
  r.measurements[6].warnings = {"no request succeeded | server died?"};
  for (const char* level : {"0.50", "saturation", "0.25"}) {
    double share = level[0] == 's' ? 1 : std::stod(level);
    Measurement fast = Point("fastapi", "sweep", 1, 305 * share, 20, 60, 80, 9);
    Measurement axum = Point("axum", "sweep", 1, 9740 * share, 0.5, 1, 10, 20);
    fast.level = axum.level = *Level::Parse(level);
    if (level[0] != 's') {
      fast.offered_rps = 305 * share;
      axum.offered_rps = 9740 * share;
    }
    r.measurements.push_back(fast);
    r.measurements.push_back(axum);
  }
  r.measurements[8].valid = false;  // fastapi at 0.50
  return r;
}

}  // namespace harness::sample
