#include "remote/session.h"

#include <sched.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <future>

#include "load/oha.h"
#include "remote/checkout.h"
#include "remote/protocol.h"
#include "remote/tcp_rtt.h"
#include "results/environment.h"
#include "util/base64.h"
#include "util/files.h"
#include "util/net.h"

namespace harness {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;
using Json = nlohmann::json;

constexpr milliseconds kEndGrace{5000};  // what a process gets to stop when the session ends
constexpr size_t kMaxRead = 256u << 20;

Json ExitCode(const std::optional<int>& code) { return code ? Json(*code) : Json(nullptr); }

// The CPUs this agent (and so what it starts) may run on, as Cpus_allowed_list writes them.
std::string AllowedCpus() {
  std::string status;
  ReadProcFile(getpid(), "status", status);
  size_t at = status.find("Cpus_allowed_list:");
  if (at == std::string::npos) return "";
  size_t from = status.find_first_not_of(" \t", at + 18);
  return status.substr(from, status.find('\n', from) - from);
}

int AllowedCpuCount() {
  cpu_set_t set;
  return sched_getaffinity(0, sizeof set, &set) == 0 ? CPU_COUNT(&set) : 0;
}

Result<fs::path> MakeWorkdir() {
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = (fs::path(tmp && *tmp ? tmp : "/tmp") / "harness-agent-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) return MakeError("cannot make a workdir: {}", pattern);
  return fs::path(pattern);
}

}  // namespace

Result<Json> AgentSession::Handle(const Json& request) {
  std::string op = "?";
  // nlohmann's messages name the key or the type that is wrong, never a value.
  try {
    op = request.at("op").get<std::string>();
    return Dispatch(op, request);
  } catch (const nlohmann::json::exception& e) {
    return MakeError("bad request: op {}: {}", op, e.what());
  }
}

Result<Json> AgentSession::Dispatch(const std::string& op, const Json& request) {
  if (op == "hello") return Hello(request);
  if (!greeted_) return MakeError("say hello first (op {} refused)", op);
  if (op == "ping") return Json::object();
  if (op == "spawn") return Spawn(request);
  if (op == "status") {
    auto process = Find(request);
    if (!process) return process.error();
    bool running = (*process)->Running();
    return Json{{"running", running}, {"exit_code", ExitCode((*process)->exit_code())}};
  }
  if (op == "wait") return Wait(request);
  if (op == "stop") return Stop(request);
  if (op == "rss") return Json{{"rss_mib", TreeRssMib(request.at("pid").get<pid_t>())}};
  if (op == "sample_start") return StartSampling(request);
  if (op == "sample_stop") return StopSampling(request);
  if (op == "read_file") return ReadHostFile(request);
  if (op == "write_file") return WriteHostFile(request);
  if (op == "free_port") {
    auto address = ResolveAddress(request.at("address").get<std::string>());
    if (!address) return address.error();
    auto port = FreePort(*address);
    if (!port) return port.error();
    return Json{{"port", *port}};
  }
  if (op == "port_in_use") {
    auto address = ResolveAddress(request.at("address").get<std::string>());
    if (!address) return address.error();
    return Json{{"in_use", PortInUse(*address, request.at("port").get<int>())}};
  }
  if (op == "source_address") {
    auto to = ResolveAddress(request.at("to").get<std::string>());
    if (!to) return to.error();
    auto from = SourceAddressTowards(*to);
    if (!from) return from.error();
    return Json{{"address", *from}};
  }
  if (op == "tcp_rtt") {
    auto rtt =
        MeasureTcpRtt(request.at("host").get<std::string>(), request.at("port").get<int>(),
                      request.value("tries", 20), milliseconds(request.value("timeout_ms", 2000)));
    if (!rtt) return rtt.error();
    return Json{{"address", rtt->address},     {"port", rtt->port},     {"tries", rtt->tries},
                {"median_ms", rtt->median_ms}, {"min_ms", rtt->min_ms}, {"max_ms", rtt->max_ms}};
  }
  if (op == "cluster_up") return ClusterUp(request);
  if (op == "cluster_down") return ClusterDown();
  return MakeError("unknown op '{}'", op);
}

Result<Json> AgentSession::Hello(const Json& request) {
  if (greeted_) return MakeError("hello was said already");
  host_ = request.value("host", "?");
  const int protocol = request.value("protocol", 0);
  if (protocol != kAgentProtocol) {
    return MakeError(
        "host {}: the agent in {} speaks protocol {}, the controller {}: build the same commit on "
        "both",
        host_, checkout_.string(), kAgentProtocol, protocol);
  }
  auto at = CheckoutCommit(checkout_);
  if (!at) return MakeError("host {}: {}", host_, at.error().message);
  const std::string want = request.at("commit").get<std::string>();
  if (*at != want) return MakeError("{}", CommitMismatch(host_, checkout_.string(), *at, want));
  auto workdir = MakeWorkdir();
  if (!workdir) return MakeError("host {}: {}", host_, workdir.error().message);
  workdir_ = *workdir;
  greeted_ = true;
  lease_ = milliseconds(request.value("lease_ms", 0));

  Environment env = CollectHostEnvironment(checkout_);
  env.cores = AllowedCpuCount();  // what the processes it starts may use
  if (auto oha = CheckOhaVersion()) env.versions["oha"] = *oha;
  return Json{{"agent_pid", getpid()},
              {"checkout", checkout_.string()},
              {"commit", *at},
              {"workdir", workdir_.string()},
              {"cpus", AllowedCpus()},
              {"online_cpus", std::max(sysconf(_SC_NPROCESSORS_ONLN), 1L)},
              {"environment", EnvironmentToJson(env)}};
}

Result<Json> AgentSession::Spawn(const Json& request) {
  SpawnOptions spawn;
  spawn.argv = request.at("argv").get<std::vector<std::string>>();
  spawn.cwd = request.value("cwd", "");
  spawn.env = request.value("env", std::map<std::string, std::string>{});
  // Never the agent's own stdout, the protocol's channel, nor its stderr, the connection's.
  spawn.output = request.value("output", "/dev/null");
  spawn.error_output = request.value("error_output", "");
  spawn.stop_signal = request.value("stop_signal", SIGTERM);
  auto process = Process::Spawn(spawn);
  if (!process) return process.error();
  const pid_t pid = process->pid();
  processes_.insert_or_assign(pid, std::move(*process));
  return Json{{"pid", pid}};
}

Result<Process*> AgentSession::Find(const Json& request) {
  const pid_t pid = request.at("pid").get<pid_t>();
  auto it = processes_.find(pid);
  if (it == processes_.end()) return MakeError("pid {} is not a process this agent started", pid);
  return &it->second;
}

Result<Json> AgentSession::Wait(const Json& request) {
  auto process = Find(request);
  if (!process) return process.error();
  bool exited = (*process)->Wait(milliseconds(request.value("timeout_ms", 0)));
  return Json{{"exited", exited}, {"exit_code", ExitCode((*process)->exit_code())}};
}

Result<Json> AgentSession::Stop(const Json& request) {
  auto process = Find(request);
  if (!process) return process.error();
  (*process)->Running();  // its exit code, if it has exited by itself
  std::optional<int> code = (*process)->exit_code();
  bool all_gone = (*process)->Stop(milliseconds(request.value("grace_ms", 5000)));
  processes_.erase(request.at("pid").get<pid_t>());
  return Json{{"all_gone", all_gone}, {"exit_code", ExitCode(code)}};
}

Result<Json> AgentSession::StartSampling(const Json& request) {
  std::vector<std::pair<std::string, pid_t>> groups;
  Sampling sampling;
  for (const auto& [name, pid] : request.at("groups").items()) {
    groups.emplace_back(name, pid.get<pid_t>());
    sampling.groups.push_back(name);
  }
  const milliseconds interval(request.value("interval_ms", 100));
  if (interval.count() < 10) return MakeError("interval_ms must be at least 10");
  sampling.sampler = std::make_unique<Sampler>(std::move(groups), interval);
  sampling.sampler->Start();
  const int id = next_sampler_++;
  samplers_.emplace(id, std::move(sampling));
  return Json{{"sampler", id}};
}

Result<Json> AgentSession::StopSampling(const Json& request) {
  auto it = samplers_.find(request.at("sampler").get<int>());
  if (it == samplers_.end()) return MakeError("no sampler {}", request.at("sampler").dump());
  Sampler& sampler = *it->second.sampler;
  sampler.Stop();
  Json groups = Json::object();
  for (const std::string& name : it->second.groups)
    groups[name] = UsageToJson(sampler.Summary(name));
  Json answer{
      {"groups", groups}, {"machine", UsageToJson(sampler.Machine())}, {"csv", sampler.Csv()}};
  samplers_.erase(it);
  return answer;
}

Result<Json> AgentSession::ReadHostFile(const Json& request) {
  const fs::path path = request.at("path").get<std::string>();
  const size_t max = request.value("max_bytes", kMaxRead);
  std::error_code ec;
  auto size = fs::file_size(path, ec);
  if (!ec && size > max) {
    return MakeError("{}: {} bytes, more than the {} asked for", path.string(), size, max);
  }
  auto text = ReadFile(path);
  if (!text) return text.error();
  return Json{{"data", Base64Encode(*text)}};
}

Result<Json> AgentSession::WriteHostFile(const Json& request) {
  const fs::path path = request.at("path").get<std::string>();
  auto data = Base64Decode(request.at("data").get<std::string>());
  if (!data) return MakeError("write_file {}: data is not base64", path.string());
  if (Status s = WriteFileAtomic(path, *data); !s) return s.error();
  if (request.contains("mode") && chmod(path.c_str(), request.at("mode").get<mode_t>()) != 0) {
    return MakeError("cannot chmod {}", path.string());
  }
  return Json::object();
}

Result<Json> AgentSession::ClusterUp(const Json& request) {
  if (cluster_) return MakeError("a cluster runs already (one per agent)");
  ClusterOptions options;
  auto listen = ResolveAddress(request.at("listen").get<std::string>());
  if (!listen) return listen.error();
  options.listen_address = *listen;
  for (const auto& client : request.value("clients", std::vector<std::string>{})) {
    auto address = ResolveAddress(client);
    if (!address) return address.error();
    options.clients.push_back(*address);
  }
  options.password = request.value("password", "");
  options.max_connections = request.value("max_connections", options.max_connections);
  options.cpu_list = request.value("cpu_list", "");
  options.keep_directory = request.value("keep", false);
  for (const auto& file : request.value("setup", std::vector<std::string>{})) {
    options.setup.emplace_back(file);
  }
  auto cluster = Cluster::Create(options);
  if (!cluster) return cluster.error();
  cluster_ = std::move(*cluster);
  return Json{{"port", cluster_->port()},
              {"dsn", cluster_->dsn()},
              {"postmaster_pid", cluster_->postmaster_pid()},
              {"directory", cluster_->directory().string()}};
}

Result<Json> AgentSession::ClusterDown() {
  if (!cluster_) return Json::object();
  Status destroyed = cluster_->Destroy();
  cluster_.reset();
  if (!destroyed) return destroyed.error();
  return Json::object();
}

AgentSession::Ended AgentSession::End() {
  Ended ended;
  if (ended_) return ended;
  ended_ = true;
  ended.stopped += static_cast<int>(samplers_.size());
  samplers_.clear();  // each stops its thread
  // All at once: each Stop waits for its own tree, so one slow process does not hold up another.
  std::vector<std::pair<pid_t, std::future<bool>>> stops;
  for (auto& [pid, process] : processes_) {
    Process* p = &process;
    stops.emplace_back(pid, std::async(std::launch::async, [p] { return p->Stop(kEndGrace); }));
  }
  for (auto& [pid, stopped] : stops) {
    if (!stopped.get()) ended.left.push_back(pid);
    ++ended.stopped;
  }
  processes_.clear();
  if (cluster_) {
    if (!cluster_->Destroy()) {
      ended.left.push_back(cluster_->postmaster_pid());
    }
    cluster_.reset();
    ++ended.stopped;
  }
  if (!workdir_.empty()) {
    std::error_code ec;
    fs::remove_all(workdir_, ec);
  }
  return ended;
}

}  // namespace harness
