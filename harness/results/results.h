// What a run measured, as results.json stores it (schema documented in results/README.md).
// `harness run` fills it in; `harness report` and `harness compare` read it back.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "load/figures.h"
#include "results/level.h"
#include "sampling/usage.h"
#include "util/result.h"

namespace harness {

// 2: latency of 2xx responses only; open-loop points judged by their backlog (`saturated`);
// sweep rates fixed per run; CPU percentages over oha's measured duration; machine-wide CPU.
inline constexpr int kResultsSchemaVersion = 2;

// One measurement: what oha measured (LoadFigures: counts, rps, latency, the open loop's backlog,
// warnings) and what the sampler saw beside it.
struct Measurement : LoadFigures {
  std::string server;
  std::string scenario;
  int repetition = 1;  // 1-based
  Level level;         // a sweep's saturation run or level; Level() for a fixed scenario

  Usage server_usage;
  Usage postgres_usage;
  Usage oha_usage;      // the load generator
  Usage machine_usage;  // every core, from /proc/stat: 100 = one core (see Environment::cores);
                        // across hosts, the server's host
  // Across hosts (RunResults::hosts), each host's machine, by host name: 100 = one of its cores.
  std::map<std::string, Usage> host_usage;
  // CPU-seconds per 1,000 successful requests. CPU percentages above are CPU-seconds over oha's
  // own measured duration, not the sampler's window, which also spans oha's start and exit.
  double server_cpu_s_per_1k = 0;
  double postgres_cpu_s_per_1k = 0;
  double oha_cpu_s_per_1k = 0;

  bool valid = true;        // false: the point is not a measurement of the server (see warnings)
  std::string raw_oha;      // relative to the run directory
  std::string raw_samples;  // likewise
};

// Which ceiling: the database's (pgbench running the benchmark query alone) or HTTP's (oha
// against a body served from memory). In results.json: "database", "http".
enum class CeilingKind { kDatabase, kHttp };
std::string_view CeilingKindName(CeilingKind kind);

// What this machine allows at most, measured in the same run (see CalibrationConfig): no server
// can pass the database ceiling (one query per request) nor the HTTP ceiling of its scenario.
// Every process of a ceiling run is sampled, and the machine as a whole, so that the CPU one
// query and one HTTP exchange cost can be added up (report/ceilings.h).
struct Ceiling {
  CeilingKind kind = CeilingKind::kDatabase;
  std::string scenario;  // http: the closed-loop scenario whose load it repeats
  int repetition = 1;
  double rps = 0;          // database: queries per second
  long long requests = 0;  // database: queries; http: 2xx responses
  Latency latency;         // http: from oha; database: pgbench's mean only
  double bytes_per_request = 0;
  Usage target_usage;    // http: the body server; database: pgbench, the client
  Usage postgres_usage;  // database: Postgres (embedded cluster only)
  Usage oha_usage;       // http: the load generator
  Usage machine_usage;   // every core, as a measurement's
  std::string command;   // the pgbench or oha command line
  std::string error;     // why it could not be measured; rps is then 0
  // http: whether the scenario's requests run the query the database ceiling measured (the
  // contract's GET /, the scenarios without an `expect` of their own). When not, neither the
  // database ceiling nor the combined bound applies to the scenario.
  bool database_query = true;
};

// A measurement during which the machine's busy CPU reached this share of all its cores: what
// limited it may have been the machine (shared by server, Postgres and oha), not the server.
inline constexpr double kMachineBoundShare = 0.9;
inline bool MachineBound(const Measurement& m, int cores) {
  return cores > 0 && m.machine_usage.cpu_avg_pct >= kMachineBoundShare * 100.0 * cores;
}

// Why a server failed (kNone: it has not). In results.json and reports as ServerVerdictName says:
// "build failed", "start failed", "never ready", "server errors" (it answered 5xx), "wrong
// response", "query count mismatch", "died under load", "load failed", "did not stop".
enum class ServerVerdict {
  kNone,
  kBuildFailed,
  kStartFailed,
  kNeverReady,
  kServerErrors,
  kWrongResponse,
  kQueryCountMismatch,
  kDiedUnderLoad,
  kLoadFailed,
  kDidNotStop,
};
std::string_view ServerVerdictName(ServerVerdict verdict);

struct ServerOutcome {
  std::string name;
  bool ok = false;
  ServerVerdict verdict = ServerVerdict::kNone;
  std::string failure;       // one line
  std::string log_tail;      // the server's last log lines when it failed
  std::string verification;  // "passed" or why not
  std::string count_check;   // "passed", why not, or why it could not run
  double idle_rss_mib = 0;   // after start, before load
  std::string git_sha;       // of the server's folder
  std::string description;   // bench.yaml's: what the stack is
};

// The load a sweep offers one server at each level, fixed once for the whole run from the
// median of its saturation runs, so that every repetition offers the same rates.
struct SweepLevelRate {
  double fraction = 0;
  double rate = 0;      // requests per second offered (oha -q)
  int concurrency = 0;  // oha -c
  std::string command;  // the oha command line that runs it
};
struct SweepRates {
  std::string server;
  std::string scenario;
  std::vector<double> saturation_rps;  // the valid saturation runs it was fixed from
  double saturation_median = 0;
  std::vector<SweepLevelRate> levels;
};

struct Environment {
  std::string cpu_model;
  int cores = 0;
  std::string kernel;
  std::string hostname;
  std::map<std::string, std::string> versions;  // g++, rustc, python, postgres, oha, libraries
  std::string git_sha;
  bool git_dirty = false;
};

// A machine of a run whose bench.yaml places roles on hosts of their own (README, "More than
// one machine"); "local" is the controller's. Never a secret: no key, no password.
struct HostRecord {
  std::string name;
  std::string ssh;                 // the destination; empty for local
  std::string address;             // where the other hosts reached it
  std::vector<std::string> roles;  // "load", "postgres", "server:NAME"
  Environment environment;         // cores: the CPUs its processes could use
  int online_cpus = 0;             // its kernel's: host_usage is of these (100 = one of them)
};

// The TCP round trip between the hosts of two roles, measured before the first server: it
// bounds what a pool can do (pool size / round trip queries per second, at best).
struct RoundTrip {
  std::string between;  // "load a <-> server b"
  std::string from;     // the host it was measured from
  std::string to;       // address:port it connected to
  int tries = 0;
  double median_ms = 0;
  double min_ms = 0;
  double max_ms = 0;
};

struct RunResults {
  int schema_version = kResultsSchemaVersion;
  bool partial = true;      // until the run finishes
  std::string started_at;   // ISO 8601 UTC
  std::string finished_at;  // empty while partial
  std::string config_file;
  std::string config_text;
  std::string baseline;
  std::vector<std::string> scenarios;                    // in bench.yaml's order
  std::map<std::string, std::string> scenario_commands;  // name → the oha command line
  std::string fingerprint;                               // hash of `method`
  std::string data_checksum;  // of every table's rows when the run started (DataChecksum)
  // What makes two runs comparable: scenario settings, oha version and flags, CPU model, cores,
  // kernel, pool size, pinning, sample interval, the versions of Postgres, Python, rustc and g++;
  // and, as "code:<server>", each server folder's git sha and as "code:(harness)" the harness's
  // own, which the fingerprint leaves out (a change of code is what compare looks for).
  std::map<std::string, std::string> method;
  Environment environment;
  std::string abort_reason;    // why the run stopped early (Postgres died), if it did
  double harness_cpu_pct = 0;  // the harness's own CPU (sampler, bookkeeping) during the run
  std::vector<ServerOutcome> servers;
  std::vector<Measurement> measurements;
  std::vector<Ceiling> ceilings;
  std::vector<SweepRates> sweep_rates;
  // The order servers ran in, per repetition: rotated by one each time (A B C D, then B C D A,
  // ...) so that drift within a repetition does not always land on the same server. The
  // saturation pass of the sweeps runs its rounds in the same orders.
  std::vector<std::vector<std::string>> server_orders;
  // Across hosts only: every host and its environment (`environment` above is the
  // controller's), and the round trips between the roles' hosts.
  std::vector<HostRecord> hosts;
  std::vector<RoundTrip> round_trips;
};

std::string ToJson(const RunResults& results);

// Reads results.json text; errors name `source` and what is wrong, in one line.
Result<RunResults> ParseResults(const std::string& text, const std::string& source);
// A run directory or a results.json file.
Result<RunResults> LoadResults(const std::filesystem::path& path);

}  // namespace harness
