// The latency percentile spectrum of one scenario, HdrHistogram style: x is the percentile on a
// "nines" axis (p50, p90, p99, p99.9, p99.99 equally spaced), y the latency in ms on a log axis
// (servers differ by 100× and more), one line per server through the medians over repetitions.
#pragma once

#include <string>

#include "results/results.h"

namespace harness {

// Empty when no server has a latency for `scenario` (a fixed scenario; sweeps are not drawn).
std::string LatencySpectrumSvg(const RunResults& results, const std::string& scenario);

}  // namespace harness
