#include "plots/plots.h"

#include "plots/latency.h"
#include "plots/sweep.h"
#include "plots/throughput.h"
#include "plots/usage.h"
#include "report/select.h"
#include "util/files.h"

namespace harness {
namespace {

bool Measured(const RunResults& results, const std::string& scenario) {
  for (const std::string& server : ServerOrder(results)) {
    if (AnyValid(Select(results, server, scenario))) return true;
  }
  return false;
}

}  // namespace

std::vector<PlotFile> PlotFiles(const RunResults& results) {
  std::vector<PlotFile> files;
  std::vector<std::string> scenarios;
  for (const std::string& scenario : results.scenarios) {
    if (Measured(results, scenario)) scenarios.push_back(scenario);
  }
  for (const std::string& s : SweepScenarios(results)) {
    files.push_back({"plots/sweep-" + s + ".svg", "p99 latency against offered load: " + s,
                     PlotKind::kSweep, s});
  }
  if (scenarios.empty()) return files;
  files.push_back(
      {"plots/throughput.svg", "Throughput per server and scenario", PlotKind::kThroughput, ""});
  for (const std::string& s : scenarios) {
    files.push_back(
        {"plots/latency-" + s + ".svg", "Latency by percentile: " + s, PlotKind::kLatency, s});
  }
  for (const std::string& s : scenarios) {
    files.push_back(
        {"plots/usage-" + s + ".svg", "CPU and memory over time: " + s, PlotKind::kUsage, s});
  }
  return files;
}

std::vector<PlotLink> PlotLinks(const RunResults& results, const std::filesystem::path& run_dir) {
  std::vector<PlotLink> links;
  for (const PlotFile& plot : PlotFiles(results)) {
    std::error_code ec;
    if (std::filesystem::exists(run_dir / plot.path, ec)) links.push_back({plot.title, plot.path});
  }
  return links;
}

Status WritePlots(const RunResults& results, const std::filesystem::path& run_dir) {
  Status first = OkStatus();
  auto keep = [&](Status status) {
    if (!status && first) first = status;
  };
  auto write = [&](const std::string& path, const std::string& svg) {
    if (!svg.empty()) return keep(WriteFileAtomic(run_dir / path, svg));
    std::error_code ec;  // nothing to draw: a file from an earlier rendering would mislead
    std::filesystem::remove(run_dir / path, ec);
    if (ec) keep(MakeError("cannot remove {}: {}", (run_dir / path).string(), ec.message()));
  };
  for (const PlotFile& file : PlotFiles(results)) {
    switch (file.kind) {
      case PlotKind::kThroughput:
        write(file.path, ThroughputSvg(results));
        break;
      case PlotKind::kSweep:
        write(file.path, SweepSvg(results, file.scenario));
        break;
      case PlotKind::kLatency:
        write(file.path, LatencySpectrumSvg(results, file.scenario));
        break;
      case PlotKind::kUsage:
        // No samples to read (a baseline copied without raw/): a plot drawn before stays.
        if (auto svg = UsageSvg(results, run_dir, file.scenario); !svg) {
          keep(svg.error());
          write(file.path, "");  // what it drew before, it could not draw now
        } else if (!svg->empty()) {
          write(file.path, *svg);
        }
        break;
    }
  }
  return first;
}

}  // namespace harness
