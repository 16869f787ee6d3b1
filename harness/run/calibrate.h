// The ceilings of one repetition (see CalibrationConfig): the database's, by pgbench; then
// HTTP's, for each closed-loop scenario, by oha against `harness serve-body` answering the
// expected response from memory. A ceiling that cannot be measured carries its error and the
// run goes on: ceilings explain the servers' figures, they are not what is compared.
#pragma once

#include <sys/types.h>

#include <filesystem>
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
  std::vector<UserRow> expected;
  std::filesystem::path run_dir;
  int repetition = 1;
  int cores = 1;
};

std::vector<Ceiling> MeasureCeilings(const Config& config, const CalibrationInputs& inputs,
                                     Progress& progress);

// The body of a correct answer to GET /: `rows` as a JSON array of objects with the keys in the
// contract's order.
std::string UsersJson(const std::vector<UserRow>& rows);

}  // namespace harness
