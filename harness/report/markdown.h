// report.md: a run rendered for people, in the reference benchmark's shape
// (a table per scenario: metrics down, servers across, then "Improvement (%)"
// against the baseline). Cells are medians over the valid repetitions, with
// the min–max range when there are several; "–" marks what was not measured.
#pragma once

#include <string>
#include <vector>

#include "results/results.h"

namespace harness {

// A picture report.md links (plots/ draws them; the report only names them).
struct PlotLink {
  std::string title;
  std::string path;  // relative to the run directory
};

// The whole report: context, scenario tables, cost per request, where the CPU went, ceilings,
// sweeps, `plots`, server outcomes, warnings. Renders partial runs too, and says so.
std::string RenderMarkdown(const RunResults& results, const std::vector<PlotLink>& plots = {});

// Just the fixed scenarios' tables, each with its oha command: what
// `harness run` prints when it finishes.
std::string RenderScenarioTables(const RunResults& results);

}  // namespace harness
