#include "remote/remote_host.h"

#include <unistd.h>

#include "remote/checkout.h"
#include "remote/protocol.h"
#include "remote/ssh.h"
#include "util/base64.h"

namespace harness {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;
using Json = nlohmann::json;

// Generous: each answer but these comes within milliseconds; a timeout means a dead channel.
constexpr milliseconds kQuick{30000};
constexpr milliseconds kHello{60000};     // collects the host's environment (versions of things)
constexpr milliseconds kCluster{240000};  // initdb, start, seed; stop
constexpr milliseconds kClose{60000};     // the agent stops everything it started
constexpr milliseconds kMargin{15000};    // beyond a wait's or a stop's own time

std::optional<int> ExitCodeOf(const Json& j) {
  return j.is_null() ? std::nullopt : std::optional<int>(j.get<int>());
}

}  // namespace

Result<std::unique_ptr<RemoteHost>> RemoteHost::Connect(const HostConfig& host,
                                                        const ConnectOptions& options) {
  AgentConnection::Options open;
  open.host = host.name;
  open.argv = SshArgv(host, AgentCommand(host.checkout));
  auto connection = AgentConnection::Open(std::move(open));
  if (!connection) return connection.error();
  return Greet(std::unique_ptr<RemoteHost>(new RemoteHost(host.name, std::move(*connection))),
               options);
}

Result<std::unique_ptr<RemoteHost>> RemoteHost::Local(const std::string& name,
                                                      const fs::path& checkout,
                                                      const ConnectOptions& options,
                                                      const fs::path& binary) {
  AgentConnection::Options open;
  open.host = name;
  open.argv = {binary.string(), "agent"};
  open.cwd = checkout;
  open.channel = "the connection to the agent";
  auto connection = AgentConnection::Open(std::move(open));
  if (!connection) return connection.error();
  return Greet(std::unique_ptr<RemoteHost>(new RemoteHost(name, std::move(*connection))), options);
}

Result<std::unique_ptr<RemoteHost>> RemoteHost::Greet(std::unique_ptr<RemoteHost> host,
                                                      const ConnectOptions& options) {
  std::string commit = options.commit;
  if (commit.empty()) {
    auto own = CheckoutCommit(OwnCheckout());
    if (!own) return MakeError("host {}: the controller's {}", host->name_, own.error().message);
    commit = *own;
  }
  auto hello = host->Call("hello",
                          {{"protocol", kAgentProtocol},
                           {"commit", commit},
                           {"host", host->name_},
                           {"lease_ms", options.lease.count()}},
                          kHello);
  if (!hello) return hello.error();  // the connection closes with `host`, ending the agent
  host->agent_pid_ = hello->value("agent_pid", -1);
  host->workdir_ = hello->value("workdir", "");
  host->cpus_ = hello->value("cpus", "");
  host->online_cpus_ = hello->value("online_cpus", 0);
  host->environment_ = EnvironmentFromJson(hello->value("environment", Json::object()));
  host->connection_->KeepAlive(options.lease / 3);
  return host;
}

Result<Json> RemoteHost::Call(const std::string& op, Json request, milliseconds timeout) {
  return connection_->Call(op, std::move(request), timeout);
}

Result<pid_t> RemoteHost::Spawn(const RemoteSpawn& s) {
  Json request{{"argv", s.argv}, {"env", s.env}, {"stop_signal", s.stop_signal}};
  if (!s.cwd.empty()) request["cwd"] = s.cwd;
  if (!s.output.empty()) request["output"] = s.output;
  if (!s.error_output.empty()) request["error_output"] = s.error_output;
  auto answer = Call("spawn", std::move(request), kQuick);
  if (!answer) return answer.error();
  return answer->value("pid", -1);
}

Result<bool> RemoteHost::Running(pid_t pid) {
  auto answer = Call("status", {{"pid", pid}}, kQuick);
  if (!answer) return answer.error();
  return answer->value("running", false);
}

Result<std::optional<int>> RemoteHost::Wait(pid_t pid, milliseconds timeout) {
  auto answer = Call("wait", {{"pid", pid}, {"timeout_ms", timeout.count()}}, timeout + kMargin);
  if (!answer) return answer.error();
  if (!answer->value("exited", false)) return std::optional<int>();
  return ExitCodeOf(answer->value("exit_code", Json()));
}

Result<RemoteStopped> RemoteHost::Stop(pid_t pid, milliseconds grace) {
  auto answer = Call("stop", {{"pid", pid}, {"grace_ms", grace.count()}}, grace + kMargin);
  if (!answer) return answer.error();
  return RemoteStopped{answer->value("all_gone", false),
                       ExitCodeOf(answer->value("exit_code", Json()))};
}

Result<double> RemoteHost::TreeRssMib(pid_t pid) {
  auto answer = Call("rss", {{"pid", pid}}, kQuick);
  if (!answer) return answer.error();
  return answer->value("rss_mib", 0.0);
}

Result<int> RemoteHost::StartSampling(const std::vector<std::pair<std::string, pid_t>>& groups,
                                      Duration interval) {
  Json named = Json::object();
  for (const auto& [name, pid] : groups) named[name] = pid;
  auto answer =
      Call("sample_start", {{"groups", named}, {"interval_ms", interval.count()}}, kQuick);
  if (!answer) return answer.error();
  return answer->value("sampler", 0);
}

Result<RemoteSamples> RemoteHost::StopSampling(int sampler) {
  auto answer = Call("sample_stop", {{"sampler", sampler}}, kQuick);
  if (!answer) return answer.error();
  RemoteSamples samples;
  const Json groups = answer->value("groups", Json::object());  // kept: items() refers to it
  for (const auto& [name, usage] : groups.items()) samples.groups[name] = UsageFromJson(usage);
  samples.machine = UsageFromJson(answer->value("machine", Json::object()));
  samples.csv = answer->value("csv", "");
  return samples;
}

Result<std::string> RemoteHost::ReadFile(const std::string& path) {
  auto answer = Call("read_file", {{"path", path}}, kQuick);
  if (!answer) return answer.error();
  auto data = Base64Decode(answer->value("data", ""));
  if (!data) return MakeError("host {}: read_file {}: the answer is not base64", name_, path);
  return *data;
}

Status RemoteHost::WriteFile(const std::string& path, const std::string& content,
                             std::optional<int> mode) {
  Json request{{"path", path}, {"data", Base64Encode(content)}};
  if (mode) request["mode"] = *mode;
  auto answer = Call("write_file", std::move(request), kQuick);
  if (!answer) return answer.error();
  return OkStatus();
}

Result<int> RemoteHost::FreePort(const std::string& address) {
  auto answer = Call("free_port", {{"address", address}}, kQuick);
  if (!answer) return answer.error();
  return answer->value("port", 0);
}

Result<bool> RemoteHost::PortInUse(const std::string& address, int port) {
  auto answer = Call("port_in_use", {{"address", address}, {"port", port}}, kQuick);
  if (!answer) return answer.error();
  return answer->value("in_use", false);
}

Result<std::string> RemoteHost::SourceAddress(const std::string& to) {
  auto answer = Call("source_address", {{"to", to}}, kQuick);
  if (!answer) return answer.error();
  return answer->value("address", "");
}

Result<RttStats> RemoteHost::TcpRtt(const std::string& host, int port, int tries) {
  auto answer = Call("tcp_rtt", {{"host", host}, {"port", port}, {"tries", tries}}, kQuick);
  if (!answer) return answer.error();
  RttStats rtt;
  rtt.address = answer->value("address", "");
  rtt.port = answer->value("port", port);
  rtt.tries = answer->value("tries", 0);
  rtt.median_ms = answer->value("median_ms", 0.0);
  rtt.min_ms = answer->value("min_ms", 0.0);
  rtt.max_ms = answer->value("max_ms", 0.0);
  return rtt;
}

Result<RemoteCluster> RemoteHost::ClusterUp(const RemoteClusterOptions& o) {
  auto answer = Call("cluster_up",
                     {{"listen", o.listen},
                      {"clients", o.clients},
                      {"password", o.password},
                      {"max_connections", o.max_connections},
                      {"cpu_list", o.cpu_list},
                      {"setup", o.setup},
                      {"keep", o.keep}},
                     kCluster);
  if (!answer) return answer.error();
  return RemoteCluster{answer->value("port", 0), answer->value("dsn", ""),
                       answer->value("postmaster_pid", -1), answer->value("directory", "")};
}

Status RemoteHost::ClusterDown() {
  auto answer = Call("cluster_down", Json::object(), kCluster);
  if (!answer) return answer.error();
  return OkStatus();
}

Status RemoteHost::Close() { return connection_->Close(kClose); }

}  // namespace harness
