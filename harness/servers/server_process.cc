#include "servers/server_process.h"

#include <thread>

#include "http/client.h"
#include "postgres/database.h"
#include "util/files.h"
#include "util/interrupt.h"
#include "util/net.h"
#include "util/proc.h"
#include "util/supervisor.h"

namespace harness {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

Status BuildServer(const ServerConfig& server, const std::filesystem::path& log) {
  if (server.build.empty()) return OkStatus();
  SpawnOptions spawn;
  spawn.argv = ShellCommand(server.build);
  spawn.cwd = server.dir;
  spawn.output = log;
  auto build = Process::Spawn(spawn);
  if (!build) return MakeError("{}: build: {}", server.name, build.error().message);
  if (!build->WaitInterruptible()) {
    build->Stop(2s);
    return MakeError("{}: build interrupted", server.name);
  }
  if (build->exit_code() != 0) {
    return MakeError("{}: build failed (`{}` exited {}): {}", server.name, server.build,
                     *build->exit_code(), TailLines(log, 3));
  }
  return OkStatus();
}

Result<std::map<std::string, std::string>> ServerEnvironment(const ServerConfig& server,
                                                             const LaunchOptions& options) {
  // The contract's variables are always set; the DSN's parts only where env names them.
  std::map<std::string, std::string> values = {{"PORT", std::to_string(options.port)},
                                               {"HOST", options.address},
                                               {"DATABASE_URL", options.database_url},
                                               {"DB_POOL_SIZE", std::to_string(options.pool_size)}};
  std::map<std::string, std::string> env = values;
  if (!options.database_url.empty()) {
    auto dsn = ParseDsn(options.database_url);
    if (!dsn) return MakeError("{}: {}", server.name, dsn.error().message);
    values.insert({{"DB_HOST", dsn->host},
                   {"DB_PORT", dsn->port},
                   {"DB_USER", dsn->user},
                   {"DB_PASSWORD", dsn->password},
                   {"DB_NAME", dsn->dbname}});
  }
  for (const auto& [name, value] : server.env) env[name] = ExpandHarnessValues(value, values);
  return env;
}

Result<ServerProcess> ServerProcess::Start(const ServerConfig& server,
                                           const LaunchOptions& options) {
  if (PortInUse(options.port)) {
    return MakeError("{}: port {} on 127.0.0.1 is already in use", server.name, options.port);
  }
  auto env = ServerEnvironment(server, options);
  if (!env) return env.error();
  SpawnOptions spawn;
  spawn.argv = ShellCommand(server.run);
  if (!options.cpu_list.empty()) {
    spawn.argv.insert(spawn.argv.begin(), {"taskset", "-c", options.cpu_list});
  }
  spawn.cwd = server.dir;
  spawn.output = options.log;
  spawn.env = std::move(*env);
  auto process = Process::Spawn(spawn);
  if (!process) return MakeError("{}: start: {}", server.name, process.error().message);
  ServerProcess started(server.name, server.ready, options, std::move(*process));
  started.fixed_port_ = server.port.has_value();
  return started;
}

Status ServerProcess::WaitReady() {
  auto deadline = Clock::now() + ready_.timeout;
  HttpRequest probe;
  probe.target = ready_.path;
  std::string last = "no answer";
  while (Clock::now() < deadline) {
    if (!process_->Running()) {
      return MakeError("{}: exited with code {} before it was ready: {}", name_,
                       process_->exit_code().value_or(-1), LogTail(5));
    }
    if (Interrupted()) return MakeError("{}: interrupted while waiting for it", name_);
    auto response = HttpFetch(options_.port, probe, 2s);
    if (response) last_status_ = response->status;
    if (response && response->status == 200) return fixed_port_ ? ListensOnItsPort() : OkStatus();
    last = response ? "HTTP " + std::to_string(response->status) : response.error().message;
    std::this_thread::sleep_for(100ms);
  }
  return MakeError("{}: not ready after {} (GET {} on port {}: {}): {}", name_,
                   FormatDuration(ready_.timeout), ready_.path, options_.port, last, LogTail(3));
}

// A server on a port of its own choosing answers there; so would anything else that held that
// port first. It must be one of the server's processes.
Status ServerProcess::ListensOnItsPort() const {
  pid_t root = SupervisorOf(pid());
  std::vector<pid_t> tree = ProcessTree(root > 0 ? root : pid(), ReadAllProcesses());
  for (const ListeningSocket& socket : ListeningSockets(tree)) {
    if (socket.port == options_.port) return OkStatus();
  }
  return MakeError("{}: port {} answers, but no process of the server listens there", name_,
                   options_.port);
}

std::string ServerProcess::LogTail(int lines) const { return TailLines(options_.log, lines); }

StopOutcome ServerProcess::Stop(std::chrono::milliseconds grace) {
  StopOutcome outcome;
  auto start = Clock::now();
  // Stop() escalates to SIGKILL itself; whether it had to is told by the time it took.
  outcome.all_gone = process_->Stop(grace);
  outcome.took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
  outcome.needed_kill = outcome.took >= grace;
  return outcome;
}

}  // namespace harness
