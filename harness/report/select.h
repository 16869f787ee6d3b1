// Which measurements a report cell summarizes. Every repetition is selected,
// valid or not, so a cell can tell "not measured" from "measured, but not a
// measurement of the server" (valid == false); only valid ones give values.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "results/results.h"

namespace harness {

// results.servers' order, then servers measured but not listed (a partial
// run may record a measurement before its server's outcome).
std::vector<std::string> ServerOrder(const RunResults& results);

const ServerOutcome* FindServer(const RunResults& results, std::string_view name);

// Every repetition of server × scenario at `level` (Level() for fixed scenarios).
std::vector<const Measurement*> Select(const RunResults& results, std::string_view server,
                                       std::string_view scenario, const Level& level = {});

bool AnyValid(const std::vector<const Measurement*>& points);

// The repetitions whose latency is a figure of the server: valid and not saturated (their
// latency measures a backlog). Empty when fewer than half of the valid ones are: then the
// latency at that point is "saturated", not the exception's.
std::vector<const Measurement*> LatencyPoints(const std::vector<const Measurement*>& points);
// Whether `points` has valid repetitions but LatencyPoints() is empty because of saturation.
bool LatencySaturated(const std::vector<const Measurement*>& points);

// What `get` reads from the valid ones among `points`, skipping the absent.
using Getter = std::optional<double> (*)(const Measurement&);
std::vector<double> ValidValues(const std::vector<const Measurement*>& points, Getter get);

// A scenario's sweep levels in load order: saturation, then the fractions
// ascending. Empty for a fixed scenario.
std::vector<Level> SweepLevels(const RunResults& results, std::string_view scenario);

// The highest repetition number measured; 0 before the first measurement.
int Repetitions(const RunResults& results);

}  // namespace harness
