// bench.yaml: what to compare and how. Load() validates the whole file up
// front, so a run never dies half-way on a typo; every error names the file,
// the line and the key.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/duration.h"
#include "util/result.h"

namespace harness {

struct PostgresConfig {
  std::string dsn;    // empty: an embedded throwaway cluster
  bool seed = false;  // with dsn: may the harness create and seed the table?
  int max_connections = 1000;
  bool keep = false;  // embedded: keep the cluster directory after the run
};

struct ReadyCheck {
  std::string path = "/";
  Duration timeout = std::chrono::seconds(60);
};

struct ServerConfig {
  std::string name;
  std::filesystem::path dir;  // absolute, resolved against the config file's folder
  std::string build;          // shell command run in dir; empty: nothing to build
  std::string run;            // shell command run in dir with PORT, DATABASE_URL, DB_POOL_SIZE
  std::map<std::string, std::string> env;
  ReadyCheck ready;
  bool enabled = true;
};

enum class ScenarioKind { kFixed, kSweep };

struct Scenario {
  std::string name;
  ScenarioKind kind = ScenarioKind::kFixed;
  std::optional<long long> requests;  // oha -n
  std::optional<Duration> duration;   // oha -z
  int concurrency = 10;               // oha -c
  bool keepalive = true;              // false: --disable-keepalive
  std::optional<double> rate;         // oha -q, requests per second
  bool latency_correction = false;    // --latency-correction (needs rate)
  Duration warmup{0};                 // closed-loop load before measuring
  // kind: sweep — open-loop runs at these fractions of the server's own
  // saturation throughput.
  std::vector<double> load_fractions = {0.25, 0.5, 0.75, 0.9};
};

// Ceilings measured in the same run, so every server's throughput can be read as a share of
// what this machine allows: pgbench running the benchmark query alone (the database ceiling),
// and oha against the harness's own server answering the same body from memory (the HTTP
// ceiling, once per closed-loop scenario).
struct CalibrationConfig {
  bool enabled = true;
  Duration duration = std::chrono::seconds(10);  // of each ceiling's measurement
};

struct CpuPinning {  // taskset CPU lists; empty: not pinned
  std::string server;
  std::string postgres;
  std::string oha;
};

struct Config {
  std::filesystem::path file;  // where it was read from
  std::string text;            // as read, recorded in results.json
  PostgresConfig postgres;
  std::vector<ServerConfig> servers;
  std::vector<Scenario> scenarios;
  int repetitions = 1;
  int db_pool_size = 5;
  std::string baseline = "fastapi";
  Duration sample_interval = std::chrono::milliseconds(100);
  CpuPinning pinning;
  CalibrationConfig calibration;
  std::filesystem::path output;  // absolute; default <config folder>/results
};

// Reads and validates a bench.yaml. The error is one line: "FILE:LINE: KEY:
// what is wrong".
Result<Config> LoadConfig(const std::filesystem::path& file);
// The same from text already in memory; `name` stands for the file in messages
// and resolves relative paths.
Result<Config> ParseConfig(const std::string& text, const std::filesystem::path& name);

// OK when every name in `names` is a server of `config` (for --server options).
Status CheckServerNames(const Config& config, const std::vector<std::string>& names);

}  // namespace harness
