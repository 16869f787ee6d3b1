// The report's ceilings section: what the machine allowed in the same run (pgbench alone; oha
// against a body served from memory), and each server's closed-loop throughput as a share of
// them, so a figure near a ceiling reads as "the machine", not "the server".
#pragma once

#include <string>

#include "results/results.h"

namespace harness {

// Empty when the run measured no ceilings.
std::string RenderCeilings(const RunResults& results);

// Median rps of the ceilings of `kind` ("database", "http") for `scenario` ("" for the
// database's, which has none), over repetitions that measured it; NaN when none did.
double CeilingRps(const RunResults& results, const std::string& kind, const std::string& scenario);

}  // namespace harness
