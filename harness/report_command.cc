// harness report [RUN_DIR ...]: a run's tables again (the newest run by default), several runs
// side by side, as Markdown, JSON or CSV; and each run's plots and report.md (re)written.
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "command_table.h"
#include "commands.h"
#include "compare/run_dirs.h"
#include "compare/runs_report.h"
#include "plots/plots.h"
#include "report/markdown.h"
#include "util/files.h"

namespace harness {
namespace {

struct ReportArgs {
  std::vector<std::string> runs;
  std::string results_dir = "results";
  std::string format = "markdown";
  bool write = true;
};

// Older runs get their plots this way; a read-only run directory only costs a warning.
void WriteRunFiles(const LoadedRun& run) {
  if (Status s = WritePlots(run.results, run.dir); !s) {
    std::fprintf(stderr, "harness: warning: %s\n", s.error().message.c_str());
  }
  if (Status s = WriteFileAtomic(run.dir / "report.md",
                                 RenderMarkdown(run.results, PlotLinks(run.results, run.dir)));
      !s) {
    std::fprintf(stderr, "harness: warning: %s\n", s.error().message.c_str());
  }
}

int RunReport(const ReportArgs& args) {
  std::vector<std::string> paths = args.runs;
  if (paths.empty()) {
    auto newest = NewestRun(args.results_dir);
    if (!newest) {
      std::fprintf(stderr, "harness: %s\n", newest.error().message.c_str());
      return kExitBadInput;
    }
    paths.push_back(newest->string());
  }
  std::vector<LoadedRun> runs;
  for (const std::string& path : paths) {
    auto run = LoadRun(path);
    if (!run) {
      std::fprintf(stderr, "harness: %s\n", run.error().message.c_str());
      return kExitBadInput;
    }
    // Two runs of the same name (results/x and elsewhere/x) must still be told apart.
    for (const LoadedRun& other : runs) {
      if (other.label == run->label) run->label += " #" + std::to_string(runs.size() + 1);
    }
    runs.push_back(std::move(*run));
  }
  if (args.write) {
    for (const LoadedRun& run : runs) WriteRunFiles(run);
  }
  std::string out;
  if (args.format == "json") {
    out = RenderRunsJson(runs);
  } else if (args.format == "csv") {
    out = RenderRunsCsv(runs);
  } else {
    out = runs.size() == 1
              ? RenderMarkdown(runs[0].results, PlotLinks(runs[0].results, runs[0].dir))
              : RenderRunsMarkdown(runs);
  }
  std::fputs(out.c_str(), stdout);
  return kExitOk;
}

}  // namespace

void RegisterReportCommand(CLI::App& app) {
  auto args = std::make_shared<ReportArgs>();
  CLI::App* report = app.add_subcommand(
      "report",
      "Print a run's report (the newest under results/ by default), or several runs side by "
      "side; (re)writes each run's plots and report.md");
  report->add_option("runs", args->runs, "run directories or results.json files");
  report->add_option("--format", args->format, "markdown, json or csv")
      ->check(CLI::IsMember({"markdown", "json", "csv"}))
      ->capture_default_str();
  report->add_option("--results", args->results_dir, "where to look for the newest run")
      ->capture_default_str();
  report->add_flag("!--no-write", args->write, "don't write plots and report.md into the runs");
  AddCommand(report, [args] { return RunReport(*args); });
}

}  // namespace harness
