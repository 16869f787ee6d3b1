// The database ceiling: pgbench running the benchmark query alone, with the servers' pool size
// as its connections and prepared statements, as the fastest server would. No server can
// answer more requests per second than this, one query per request.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/duration.h"
#include "sampling/usage.h"
#include "util/result.h"

namespace harness {

struct PgbenchResult {
  double tps = 0;              // transactions (queries) per second, without connection time
  double latency_avg_ms = 0;   // pgbench reports only the mean without per-transaction logs
  long long transactions = 0;  // completed
  long long failed = 0;
  Usage pgbench_usage;
  Usage postgres_usage;
  Usage machine_usage;
};

// Reads pgbench's summary (its stdout); empty when a figure is missing.
std::optional<PgbenchResult> ParsePgbenchOutput(std::string_view text);

struct PgbenchSpec {
  std::string dsn;
  int connections = 5;
  Duration duration = std::chrono::seconds(10);  // whole seconds, at least 1 (pgbench -T)
  std::string cpus;                              // taskset list, or empty
  pid_t postgres_pid = -1;                       // sampled with pgbench when not -1
  Duration sample_interval{100};
  std::filesystem::path work_dir;  // for the script and pgbench's output
};

// The pgbench command line for `spec` (recorded in results.json as the ceiling's command).
std::vector<std::string> PgbenchArguments(const PgbenchSpec& spec, const std::string& pgbench,
                                          const std::string& script);

// Runs pgbench; interruptible. Errors: no pgbench, it failed (with its last output lines), or
// its output was unreadable.
Result<PgbenchResult> RunPgbench(const PgbenchSpec& spec);

}  // namespace harness
