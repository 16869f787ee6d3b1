// "Where the CPU went": for every measured point, how busy the whole machine was and who took
// the CPU (the server, Postgres, the load generator, the rest), and what oha itself cost per
// request. On a machine shared by all three, a server's throughput is bounded by what the others
// left it; a point where the machine was at least kMachineBoundShare busy is flagged, because
// there the machine, not the server alone, may have set the pace. Empty for runs recorded
// without the machine's CPU (results schema 1).
#pragma once

#include <string>

#include "results/results.h"

namespace harness {

std::string RenderCpuShares(const RunResults& results);

}  // namespace harness
