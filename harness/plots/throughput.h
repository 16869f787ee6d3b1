// Throughput per server per scenario as bars (the median over repetitions), with min–max
// whiskers when a scenario was repeated. The y axis starts at 0, as bars must; each bar carries
// its value, so a slow server's short bar still reads.
#pragma once

#include <string>

#include "results/results.h"

namespace harness {

// Fixed scenarios only; empty when nothing was measured.
std::string ThroughputSvg(const RunResults& results);

}  // namespace harness
