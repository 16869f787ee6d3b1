// A Comparison for people (Markdown, fit for a CI job summary) and for tools (JSON).
#pragma once

#include <string>

#include "compare/compare.h"

namespace harness {

// A headline (how many rows regressed), what differs between the runs, the rule, then one
// table per scenario: server, metric, the two medians, the change, p, the verdict.
std::string RenderComparisonMarkdown(const Comparison& comparison);

// The same, every row with its values per repetition; verdicts spelled as in Markdown.
std::string RenderComparisonJson(const Comparison& comparison);

}  // namespace harness
