#include "run/sweep_plan.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "stats/stats.h"

namespace harness {

SweepRates PlanSweep(const std::string& server, const Scenario& scenario,
                     const std::vector<double>& saturation_rps) {
  SweepRates plan;
  plan.server = server;
  plan.scenario = scenario.name;
  plan.saturation_rps = saturation_rps;
  if (saturation_rps.empty()) return plan;
  plan.saturation_median = Median(saturation_rps);
  if (plan.saturation_median <= 0) return plan;
  for (double fraction : scenario.load_fractions) {
    SweepLevelRate level;
    level.fraction = fraction;
    level.rate = std::max(1.0, std::round(fraction * plan.saturation_median));
    level.concurrency =
        std::max(4, static_cast<int>(std::ceil(4 * fraction * scenario.concurrency)));
    level.command = OhaCommandLine(LevelSpec(scenario, level));
    plan.levels.push_back(level);
  }
  return plan;
}

LoadSpec LevelSpec(const Scenario& scenario, const SweepLevelRate& level) {
  LoadSpec spec;
  spec.duration = scenario.duration;
  spec.concurrency = level.concurrency;
  spec.keepalive = scenario.keepalive;
  spec.rate = level.rate;
  spec.latency_correction = true;
  spec.request = scenario.request;
  return spec;
}

}  // namespace harness
