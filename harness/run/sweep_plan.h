// The rates a sweep offers. Each server's saturation throughput is measured by a closed loop a
// few times before the repetitions (the saturation pass); the levels are fractions of its
// median, fixed for the whole run, so every repetition offers the same absolute load and the
// repetitions of a level can be compared with each other.
#pragma once

#include <string>
#include <vector>

#include "config/config.h"
#include "load/oha.h"
#include "results/results.h"

namespace harness {

// How many closed-loop runs the saturation pass makes per server: the repetitions, at most this.
inline constexpr int kSaturationRuns = 3;

// The levels of `scenario` for `server`: each load fraction of the median of `saturation_rps`
// (the valid runs of the pass), rounded to whole requests per second and at least 1, with oha's
// connections sized by Little's law (requests in flight = rate × latency): at saturation the
// closed loop kept `concurrency` in flight, and each level gets four times its share, so that
// oha's connections are never what queues the requests. No levels when there is no valid run.
SweepRates PlanSweep(const std::string& server, const Scenario& scenario,
                     const std::vector<double>& saturation_rps);

// What oha runs for one level of `scenario`.
LoadSpec LevelSpec(const Scenario& scenario, const SweepLevelRate& level);

}  // namespace harness
