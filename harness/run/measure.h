// One measurement: oha drives the server while the sampler watches the server's process tree,
// Postgres and oha itself; the result carries its own sanity warnings.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>

#include "config/duration.h"
#include "load/oha.h"
#include "results/results.h"
#include "run/progress.h"

namespace harness {

struct MeasureTarget {
  int port = 0;
  pid_t server_pid = -1;
  pid_t postgres_pid = -1;  // -1 for an external database: not sampled
  Duration sample_interval{100};
  std::string oha_cpus;  // taskset list, or empty
  int cores = 1;         // of the machine: 100% each in machine_usage
};

// Where raw files go: <run_dir>/raw/<server>/<stem>.oha.json and .samples.csv.
struct RawFiles {
  std::filesystem::path run_dir;
  std::string server;
  std::string stem;  // e.g. "closed-1"
};

// Runs the load and fills a Measurement (server and scenario names are the caller's). Errors:
// oha could not run or its output was unreadable, or we were interrupted.
Result<Measurement> Measure(const LoadSpec& spec, const MeasureTarget& target, const RawFiles& raw,
                            Progress& progress);

// oha's figures for `spec` with what was sampled of each role beside them (sampler summaries,
// their CPU percentages taken here over oha's own duration): CPU per 1,000 requests, and the open
// loop judged. Wherever the roles ran.
Measurement MeasurementOf(const LoadSpec& spec, LoadFigures figures, const Usage& server,
                          const Usage& postgres, const Usage& oha);

// Closed-loop load whose numbers are thrown away (warm-up).
Status WarmUp(const LoadSpec& spec, const MeasureTarget& target, const RawFiles& raw);

// The checks a measurement makes on itself: a machine busy to its limit, Little's law in a closed
// loop, failures. (An open loop's backlog is judged by JudgeOpenLoop.)
void AddSanityWarnings(const LoadSpec& spec, Measurement& m, int cores);

// `usage` with its CPU percentage taken over `duration_s`, oha's own measured duration: the
// sampler's window also spans oha's start-up and exit, when the load is not running.
Usage OverLoad(Usage usage, double duration_s);

// The harness's own CPU time so far (user + system), in seconds.
double HarnessCpuSeconds();

}  // namespace harness
