// One server under test as a process: built with its bench.yaml build command, started with the
// contract's environment (PORT, HOST, DATABASE_URL, DB_POOL_SIZE), waited on until it answers,
// stopped.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "config/config.h"
#include "util/net.h"
#include "util/process.h"
#include "util/result.h"

namespace harness {

// Runs the server's build command in its folder, output appended to `log`. Interruptible.
Status BuildServer(const ServerConfig& server, const std::filesystem::path& log);

struct LaunchOptions {
  int port = 0;
  std::string address = kLoopback;  // HOST: where it listens
  std::string database_url;
  int pool_size = 5;
  std::string cpu_list;       // taskset -c; empty: not pinned
  std::filesystem::path log;  // stdout and stderr, appended
};

struct StopOutcome {
  std::chrono::milliseconds took{0};  // from SIGTERM until every process of the tree was gone
  bool needed_kill = false;           // SIGTERM was not enough within the grace period
  bool all_gone = true;
};

// The environment a server starts with: the contract's PORT, HOST, DATABASE_URL and
// DB_POOL_SIZE, then bench.yaml's `env` with the harness's values expanded by name (${PORT},
// ${DB_HOST}, ...). The same wherever the server runs.
Result<std::map<std::string, std::string>> ServerEnvironment(const ServerConfig& server,
                                                             const LaunchOptions& options);

class ServerProcess {
 public:
  static Result<ServerProcess> Start(const ServerConfig& server, const LaunchOptions& options);

  // Polls ready.path until it answers 200, the ready timeout passes, the process dies, or we are
  // interrupted; errors carry the last lines of the server's log. On a fixed port, the answer
  // must come from a process of the server's tree.
  Status WaitReady();

  pid_t pid() const { return process_->pid(); }
  int port() const { return options_.port; }
  const std::string& name() const { return name_; }
  bool Running() { return process_->Running(); }
  std::string LogTail(int lines = 5) const;
  // The status of the last answer WaitReady() got, or 0 if none (tells "never ready" from
  // "answers, but with errors").
  int last_status() const { return last_status_; }

  // SIGTERM to every process of its tree, daemons included, SIGKILL after `grace`.
  StopOutcome Stop(std::chrono::milliseconds grace);

 private:
  ServerProcess(std::string name, ReadyCheck ready, LaunchOptions options, Process process)
      : name_(std::move(name)),
        ready_(std::move(ready)),
        options_(std::move(options)),
        process_(std::make_unique<Process>(std::move(process))) {}

  Status ListensOnItsPort() const;

  std::string name_;
  bool fixed_port_ = false;  // bench.yaml's `port`: the server chose it, and must hold it
  ReadyCheck ready_;
  LaunchOptions options_;
  std::unique_ptr<Process> process_;
  int last_status_ = 0;
};

}  // namespace harness
