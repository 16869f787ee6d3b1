// harness run: the whole comparison, each role where bench.yaml places it (run/roles.h: this
// machine, or hosts over SSH). Postgres up and seeded once; then, repetition by repetition,
// the machine's ceilings (run/calibrate.h) and, server by server (interleaved, so drift of the
// machine spreads over all of them): build, start, wait until ready, verify the response against
// the contract, count-check it through pg_stat_statements, warm up, measure every scenario, stop. A
// server that fails is recorded with its reason and log, and the run goes on. Results are written
// after every measurement.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "config/config.h"

namespace harness {

struct RunOptions {
  std::vector<std::string> only_servers;  // empty: every enabled server
  bool build = true;
  bool quiet = false;  // don't print the tables at the end
};

struct RunOutcome {
  int exit_code = 0;  // util/exit_code.h: 0 all good, 1 a server failed, 2 could not run
  std::filesystem::path run_dir;
};

RunOutcome RunBenchmark(const Config& config, const RunOptions& options);

}  // namespace harness
