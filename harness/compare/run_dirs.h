// Finding and naming the runs that `harness report` and `harness compare` read.
#pragma once

#include <filesystem>
#include <string>

#include "results/results.h"
#include "util/result.h"

namespace harness {

struct LoadedRun {
  std::filesystem::path dir;  // the run directory
  std::string label;          // its name, e.g. 20261125T193000Z-3f2a1bc
  RunResults results;
};

// A run directory, or a results.json file (its directory is the run's). Errors are one line
// naming the file: missing, empty, truncated, not a results file, an unknown schema version.
Result<LoadedRun> LoadRun(const std::filesystem::path& path);

// The newest run under `results_dir`: run directories are named after their UTC start time, so
// the greatest name that starts with a digit and holds a results.json (baseline/, reference/
// and the like are not runs of their own).
Result<std::filesystem::path> NewestRun(const std::filesystem::path& results_dir);

}  // namespace harness
