// The SVG plots of a run, written under <run dir>/plots/ and linked from report.md: throughput
// bars, a latency percentile spectrum per scenario, CPU and RSS over time per scenario.
// `harness run` writes them at the end of a run; `harness report` (re)writes them for any run.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "report/markdown.h"
#include "results/results.h"
#include "util/result.h"

namespace harness {

enum class PlotKind { kThroughput, kLatency, kUsage, kSweep };

struct PlotFile {
  std::string path;   // relative to the run directory: plots/latency-closed.svg
  std::string title;  // what report.md says of it
  PlotKind kind;
  std::string scenario;  // empty for throughput, which covers every scenario
};

// The plots `results` calls for, in report order: what report.md links. A sweep gets one plot,
// p99 against offered load; the others cover fixed scenarios.
std::vector<PlotFile> PlotFiles(const RunResults& results);

// The PlotFiles that exist under `run_dir`, as report.md links them: after WritePlots, what it
// wrote, so the report never links a plot that is not there (a scenario whose every point was
// saturated has no latency to draw).
std::vector<PlotLink> PlotLinks(const RunResults& results, const std::filesystem::path& run_dir);

// Writes every plot of PlotFiles that has data into `run_dir`, and removes one left from an
// earlier rendering that has none now. Usage plots need the raw samples; without them (a copied
// baseline) they are left as they are; a malformed samples file removes its plot. On an error
// (that, a write failing) the other plots are still written and the first error is returned.
Status WritePlots(const RunResults& results, const std::filesystem::path& run_dir);

}  // namespace harness
