// A host of bench.yaml's `hosts`, as the controller drives it: an agent there (remote/agent.h)
// over OpenSSH, and what run/ needs from it: start and stop process groups, sample /proc, read
// and write files, ports, the round trip to another host, the embedded Postgres, the host's
// environment. Every error names the host; a lost connection is "host NAME: the SSH connection
// was lost: WHY" from then on. Destroying a RemoteHost ends its agent, which stops everything it
// started (so does the harness's death: ssh runs under a supervisor). Connect from the main
// thread: a supervisor dies with the thread that started it (util/supervisor.h).
#pragma once

#include <signal.h>
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "config/config.h"
#include "config/duration.h"
#include "remote/connection.h"
#include "remote/tcp_rtt.h"
#include "results/results.h"
#include "util/result.h"

namespace harness {

struct ConnectOptions {
  std::string commit;  // the controller's; empty: its own checkout's (remote/checkout.h)
  // The agent ends, stopping everything, after this long without a word from us; pings keep it
  // alive while the controller is busy elsewhere (a ping when idle for a third of it).
  std::chrono::milliseconds lease{30000};
};

// A process on the host, as Process::Spawn's options (util/process.h); paths are the host's,
// relative ones to its checkout.
struct RemoteSpawn {
  std::vector<std::string> argv;
  std::string cwd;
  std::map<std::string, std::string> env;
  std::string output;  // stdout and stderr unless error_output; empty: discarded
  std::string error_output;
  int stop_signal = SIGTERM;
};

struct RemoteStopped {
  bool all_gone = false;  // the whole tree, as Process::Stop
  std::optional<int> exit_code;
};

struct RemoteSamples {
  std::map<std::string, Usage> groups;  // as Sampler::Summary
  Usage machine;                        // as Sampler::Machine
  std::string csv;                      // as Sampler::Csv
};

// The embedded Postgres on a host of its own (ClusterOptions, postgres/cluster.h).
struct RemoteClusterOptions {
  std::string listen;                // the host's address; never a wildcard
  std::vector<std::string> clients;  // the hosts pg_hba admits, by address or name
  std::string password;              // scram-sha-256; never printed nor written by the harness
  int max_connections = 1000;
  std::string cpu_list;
  std::vector<std::string> setup;  // SQL files on the host (write_file them first)
  bool keep = false;
};

struct RemoteCluster {
  int port = 0;
  std::string dsn;  // without the password
  pid_t postmaster_pid = -1;
  std::string directory;
};

class RemoteHost {
 public:
  // ssh to the host, hello (the commit check), keep-alive.
  static Result<std::unique_ptr<RemoteHost>> Connect(const HostConfig& host,
                                                     const ConnectOptions& options = {});
  // The agent as a child of this process, in `checkout`, without ssh: the protocol's tests, and
  // a role placed on this machine beside roles on others. `binary`: the harness (tests name it).
  static Result<std::unique_ptr<RemoteHost>> Local(
      const std::string& name, const std::filesystem::path& checkout,
      const ConnectOptions& options = {}, const std::filesystem::path& binary = "/proc/self/exe");
  ~RemoteHost() = default;  // the connection closes: the agent stops what it started

  const std::string& name() const { return name_; }
  const Environment& environment() const { return environment_; }  // cores: CPUs it may use
  const std::string& cpus() const { return cpus_; }  // the CPUs its processes may use: "0-3"
  // The CPUs its kernel runs (a machine-wide CPU percentage is of these: 100 = one of them).
  int online_cpus() const { return online_cpus_; }
  const std::string& workdir() const { return workdir_; }  // private to this session
  pid_t agent_pid() const { return agent_pid_; }
  pid_t transport_pid() const { return connection_->pid(); }  // ssh's (or the local agent's)
  // What ssh and the agent wrote on stderr (kept until this object dies).
  const std::filesystem::path& log() const { return connection_->log(); }
  // The connection's loss, if it is lost (cheap: for a run's "must we stop?").
  Status Health() { return connection_->Health(); }

  Result<pid_t> Spawn(const RemoteSpawn& spawn);
  Result<bool> Running(pid_t pid);
  // The exit code once it has exited within `timeout`, else empty.
  Result<std::optional<int>> Wait(pid_t pid, std::chrono::milliseconds timeout);
  Result<RemoteStopped> Stop(pid_t pid, std::chrono::milliseconds grace);
  Result<double> TreeRssMib(pid_t pid);

  Result<int> StartSampling(const std::vector<std::pair<std::string, pid_t>>& groups,
                            Duration interval);
  Result<RemoteSamples> StopSampling(int sampler);

  Result<std::string> ReadFile(const std::string& path);
  Status WriteFile(const std::string& path, const std::string& content,
                   std::optional<int> mode = std::nullopt);

  Result<int> FreePort(const std::string& address);
  Result<bool> PortInUse(const std::string& address, int port);
  // The address this host's packets to `to` leave from: how `to` sees it (for pg_hba).
  Result<std::string> SourceAddress(const std::string& to);
  // From this host to host:port (another host's sshd, say): see remote/tcp_rtt.h.
  Result<RttStats> TcpRtt(const std::string& host, int port, int tries = 20);

  Result<RemoteCluster> ClusterUp(const RemoteClusterOptions& options);
  Status ClusterDown();

  // Ends the agent and confirms that everything it started has stopped.
  Status Close();

 private:
  RemoteHost(std::string name, std::unique_ptr<AgentConnection> connection)
      : name_(std::move(name)), connection_(std::move(connection)) {}
  static Result<std::unique_ptr<RemoteHost>> Greet(std::unique_ptr<RemoteHost> host,
                                                   const ConnectOptions& options);
  Result<nlohmann::json> Call(const std::string& op, nlohmann::json request,
                              std::chrono::milliseconds timeout);

  std::string name_;
  std::unique_ptr<AgentConnection> connection_;
  Environment environment_;
  std::string cpus_;
  int online_cpus_ = 0;
  std::string workdir_;
  pid_t agent_pid_ = -1;
};

}  // namespace harness
