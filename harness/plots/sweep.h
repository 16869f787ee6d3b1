// A saturation sweep as a picture: p99 latency (log scale) against the offered load, one line per
// server through its valid open-loop points (medians over repetitions). Saturated points are
// left out, as in the sweep's table: past saturation there is no latency to speak of.
#pragma once

#include <string>

#include "results/results.h"

namespace harness {

// Empty when no server has a valid sweep point for `scenario`.
std::string SweepSvg(const RunResults& results, const std::string& scenario);

// The sweep scenarios of a run: those with measurements at a load level other than saturation.
std::vector<std::string> SweepScenarios(const RunResults& results);

}  // namespace harness
