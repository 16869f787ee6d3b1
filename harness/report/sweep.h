// The "Sweeps" section of report.md: for each sweep scenario, a row per load
// level and a cell per server with offered and achieved rps and the latency
// tail. Empty when the run has no sweep.
#pragma once

#include <string>

#include "results/results.h"

namespace harness {

std::string RenderSweeps(const RunResults& results);

}  // namespace harness
