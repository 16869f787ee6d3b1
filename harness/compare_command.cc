// harness compare BASE NEW: the regression gate. See compare/compare.h.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>

#include "command_table.h"
#include "commands.h"
#include "compare/compare.h"
#include "compare/render.h"
#include "compare/run_dirs.h"

namespace harness {
namespace {

struct CompareArgs {
  std::string base, next;
  CompareOptions options;
  std::string correction = "holm";  // CompareOptions::correction by its CorrectionName
  std::string format = "markdown";
};

// A CI job summary gets the Markdown whatever --format says; failing to write it is no reason to
// hide the verdict, so it only warns.
void AppendStepSummary(const std::string& markdown) {
  const char* path = std::getenv("GITHUB_STEP_SUMMARY");
  if (path == nullptr || *path == '\0') return;
  std::ofstream out(path, std::ios::app);
  out << markdown << "\n";
  if (!out) std::fprintf(stderr, "harness: %s: cannot append the job summary\n", path);
}

int RunCompare(const CompareArgs& args) {
  auto base = LoadRun(args.base);
  if (!base) {
    std::fprintf(stderr, "harness: %s\n", base.error().message.c_str());
    return kExitBadInput;
  }
  auto next = LoadRun(args.next);
  if (!next) {
    std::fprintf(stderr, "harness: %s\n", next.error().message.c_str());
    return kExitBadInput;
  }
  CompareOptions options = args.options;
  for (Correction c : {Correction::kHolm, Correction::kBenjaminiHochberg, Correction::kNone}) {
    if (CorrectionName(c) == args.correction) options.correction = c;
  }
  Comparison comparison = Compare(base->results, next->results, options);
  comparison.base.label = base->label;
  comparison.base.path = base->dir.string();
  comparison.next.label = next->label;
  comparison.next.path = next->dir.string();
  std::string markdown = RenderComparisonMarkdown(comparison);
  std::fputs(args.format == "json" ? RenderComparisonJson(comparison).c_str() : markdown.c_str(),
             stdout);
  AppendStepSummary(markdown);
  return comparison.AnyRegression() ? kExitFailure : kExitOk;
}

}  // namespace

void RegisterCompareCommand(CLI::App& app) {
  auto args = std::make_shared<CompareArgs>();
  CLI::App* compare = app.add_subcommand(
      "compare",
      "Compare two runs: per server, scenario and metric, improved, regressed or no change "
      "(exit 1 when anything regressed)");
  compare->add_option("base", args->base, "the base run: a run directory or its results.json")
      ->required();
  compare->add_option("new", args->next, "the new run: a run directory or its results.json")
      ->required();
  compare
      ->add_option("--threshold", args->options.threshold_pct,
                   "smallest change of the medians that counts, in percent (p99: twice this)")
      ->check(CLI::Range(0.0, 1000.0))
      ->capture_default_str();
  compare
      ->add_option("--alpha", args->options.alpha,
                   "significance level of the two-sided Mann-Whitney U test, after the correction")
      ->check(CLI::Range(1e-9, 0.5))
      ->capture_default_str();
  compare
      ->add_option("--correction", args->correction,
                   "how the rows' p-values are corrected for their number: holm (noise alone "
                   "changes any row with a chance under alpha), bh (Benjamini-Hochberg: noise "
                   "makes up a share alpha of the rows called changed, on average) or none")
      ->check(CLI::IsMember({"holm", "bh", "none"}))
      ->capture_default_str();
  compare->add_option("--format", args->format, "markdown or json")
      ->check(CLI::IsMember({"markdown", "json"}))
      ->capture_default_str();
  AddCommand(compare, [args] { return RunCompare(*args); });
}

}  // namespace harness
