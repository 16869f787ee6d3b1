// The ceilings of one repetition (see CalibrationConfig): the database's, by pgbench; then
// HTTP's, for each closed-loop scenario, by oha against `harness serve-body` answering the
// expected response from memory. A ceiling that cannot be measured carries its error and the
// run goes on: ceilings explain the servers' figures, they are not what is compared.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "config/config.h"
#include "postgres/database.h"
#include "results/results.h"
#include "run/progress.h"

namespace harness {

struct CalibrationInputs {
  std::string dsn;
  pid_t postgres_pid = -1;  // -1: an external database, not sampled
  // Per closed-loop scenario, what its HTTP ceiling serves: the body a correct server answers
  // its first request with. A scenario without one (its expectation is a shape) has no ceiling.
  std::map<std::string, std::string> bodies;
  std::filesystem::path run_dir;
  int repetition = 1;
  int cores = 1;
};

// Whether `scenario`'s requests run the query the database ceiling measures (GET /'s): those
// without an `expect` of their own (the contract's), and those whose expected body is that
// query's rows. Only then do the database ceiling and the CPU bound apply to it.
bool RunsTheBenchmarkQuery(const Scenario& scenario);

std::vector<Ceiling> MeasureCeilings(const Config& config, const CalibrationInputs& inputs,
                                     Progress& progress);

}  // namespace harness
