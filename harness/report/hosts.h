// A run across hosts (README, "More than one machine"): which host ran which role, what each
// host is, and the round trips between them.
#pragma once

#include <string>

#include "results/results.h"

namespace harness {

// Empty for a run on one machine.
std::string RenderHosts(const RunResults& results);

}  // namespace harness
