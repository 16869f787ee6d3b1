// CPU % and RSS over the time of one scenario's measurement, one line per server, from the raw
// /proc samples (the server's whole process tree): two panels sharing the time axis.
#pragma once

#include <filesystem>
#include <string>

#include "results/results.h"
#include "util/result.h"

namespace harness {

// Draws the first valid repetition of each server. Empty when no samples file of `scenario` is
// there to read (a baseline copied without raw/); an error names a malformed one.
Result<std::string> UsageSvg(const RunResults& results, const std::filesystem::path& run_dir,
                             const std::string& scenario);

}  // namespace harness
