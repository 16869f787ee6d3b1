// One fixed scenario as a table in the reference benchmark's shape: metrics down, servers across,
// then each server's improvement over the baseline. A cell is the median over the repetitions
// that measured the server, with the min–max range when there are several, and "2/3 valid" when
// some did not. A latency that measures a backlog is no latency: where most repetitions were
// saturated (load/open_loop.h) the cell reads "saturated (backlog N s)" and has no improvement.
#pragma once

#include <string>

#include "results/results.h"

namespace harness {

std::string RenderScenario(const RunResults& results, const std::string& scenario);

}  // namespace harness
