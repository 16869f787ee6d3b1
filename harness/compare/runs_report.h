// harness report's views of runs read back: several runs side by side in Markdown (one column
// group per run, labelled by its directory name), and any number of runs as JSON or CSV with
// every metric's median, min, max and count over the valid repetitions.
#pragma once

#include <string>
#include <vector>

#include "compare/run_dirs.h"

namespace harness {

// report.md's metric rows, one table per scenario; columns: each run's servers in turn.
std::string RenderRunsMarkdown(const std::vector<LoadedRun>& runs);

// {"runs": [{"label", "path", ..., "points": [{"scenario", "level", "command", "servers":
// [{"server", "metrics": {"rps": {"median", "min", "max", "n"}, ...}}]}]}]}
std::string RenderRunsJson(const std::vector<LoadedRun>& runs);

// run,scenario,level,server,metric,median,min,max,n: one line per figure, for spreadsheets.
std::string RenderRunsCsv(const std::vector<LoadedRun>& runs);

}  // namespace harness
