// Where a run's roles run: Postgres, each server, and the load generator. On this machine
// (LocalRoles, without `hosts` in bench.yaml) or on the hosts that bench.yaml's placement names,
// each through an agent over SSH (PlacedRoles; README, "More than one machine"). The runner
// (run/runner.h) takes the same steps either way; only what these do differs.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>

#include "config/config.h"
#include "load/oha.h"
#include "results/results.h"
#include "run/measure.h"
#include "run/progress.h"
#include "servers/server_process.h"
#include "util/result.h"

namespace harness {

// One started server, wherever it runs.
class StartedServer {
 public:
  virtual ~StartedServer() = default;
  // Until it answers ready.path with 200 (see ServerProcess::WaitReady).
  virtual Status WaitReady() = 0;
  virtual int last_status() const = 0;             // of the last answer WaitReady got; 0: none
  virtual const std::string& address() const = 0;  // where it listens: 127.0.0.1 or its host's
  virtual int port() const = 0;
  virtual bool Running() = 0;
  virtual std::string LogTail(int lines) = 0;
  virtual double TreeRssMib() = 0;
  // SIGTERM to its whole tree, SIGKILL after `grace`; its log lands in the run's logs/.
  virtual StopOutcome Stop(std::chrono::milliseconds grace) = 0;
};

class Roles {
 public:
  virtual ~Roles() = default;

  // Reaches the hosts (none here) and brings Postgres up as bench.yaml asks, seeded. `results`
  // gets what describes the machines: hosts, round trips, their method keys.
  virtual Status SetUp(RunResults& results, Progress& progress) = 0;
  // The DSN the harness itself uses (seed checks, expectations, query counts).
  virtual const std::string& dsn() const = 0;
  // Whether the run can go on: Postgres alive, every host's connection up. The error says why
  // not, naming what failed.
  virtual Status Alive() = 0;
  // Whether the machine's ceilings (run/calibrate.h) mean anything: one machine only.
  virtual bool OneMachine() const = 0;
  // What the ceilings need: the embedded cluster's postmaster, or -1.
  virtual pid_t postgres_pid() const = 0;

  // The server's build command, on its host, output appended to `log`.
  virtual Status Build(const ServerConfig& server, const std::filesystem::path& log) = 0;
  virtual Result<std::unique_ptr<StartedServer>> Start(const ServerConfig& server,
                                                       const std::filesystem::path& log) = 0;
  // Load from the load generator's host; `spec.urls_file`, if any, is the file written here.
  virtual Status WarmUp(const LoadSpec& spec, StartedServer& server, const RawFiles& raw) = 0;
  virtual Result<Measurement> Measure(const LoadSpec& spec, StartedServer& server,
                                      const RawFiles& raw, Progress& progress) = 0;
};

// Whether bench.yaml places the load, the embedded Postgres or one of `servers` (the run's) on a
// host other than this machine.
bool RunsAcrossHosts(const Config& config, const std::vector<const ServerConfig*>& servers);

// PlacedRoles when RunsAcrossHosts, LocalRoles otherwise. A StartedServer must not outlive them.
std::unique_ptr<Roles> MakeRoles(const Config& config,
                                 const std::vector<const ServerConfig*>& servers);

}  // namespace harness
