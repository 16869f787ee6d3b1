// report.md: a run rendered for people, in the reference benchmark's shape
// (a table per scenario: metrics down, servers across, then "Improvement (%)"
// against the baseline). Cells are medians over the valid repetitions, with
// the min–max range when there are several; "–" marks what was not measured.
#pragma once

#include <string>

#include "results/results.h"

namespace harness {

// The whole report: context, scenario tables, cost per request, sweeps,
// server outcomes, warnings. Renders partial runs too, and says so.
std::string RenderMarkdown(const RunResults& results);

// Just the fixed scenarios' tables, each with its oha command: what
// `harness run` prints when it finishes.
std::string RenderScenarioTables(const RunResults& results);

}  // namespace harness
