#include "testing/netns_hosts.h"

#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <thread>

#include "testing/cli.h"
#include "util/files.h"
#include "util/proc.h"
#include "util/process.h"

namespace harness {

namespace fs = std::filesystem;

namespace {

const fs::path kScript = fs::path(PROJECT_SOURCE_DIR) / "tests/hosts/netns";

// The script's exit code, its output in `output`.
int RunScript(const std::string& command, const fs::path& dir, std::string& output) {
  fs::path log = dir.parent_path() / (dir.filename().string() + ".log");
  SpawnOptions spawn;
  spawn.argv = {kScript.string(), command, dir.string()};
  spawn.output = log;
  // Unsupervised: sshd daemonizes out of it on purpose, and `down` must finish whatever happens.
  spawn.lifetime = SpawnOptions::Lifetime::kUnsupervised;
  int code = -1;
  if (auto process = Process::Spawn(spawn)) {
    // Not interruptible: the namespaces must go.
    while (process->Running()) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    code = process->exit_code().value_or(-1);
  }
  auto text = ReadFile(log);
  output = text ? *text : "";
  fs::remove(log);
  return code;
}

}  // namespace

std::unique_ptr<NetnsHosts> NetnsHosts::Up(std::string& why, bool& failed) {
  std::unique_ptr<NetnsHosts> hosts(new NetnsHosts(TempDir("harness-netns")));
  std::string output;
  int code = RunScript("up", hosts->dir_, output);
  failed = code != 0 && code != 77;
  if (code != 0) {
    why = "tests/hosts/netns up: exit " + std::to_string(code) + ": " + output;
    return nullptr;  // the destructor runs `down` on what was made
  }
  std::ifstream in(hosts->dir_ / "hosts.env");
  for (std::string line; std::getline(in, line);) {
    size_t eq = line.find('=');
    if (eq == std::string::npos) continue;
    std::string value = line.substr(eq + 1);
    if (value.size() >= 2 && value.front() == '"') value = value.substr(1, value.size() - 2);
    hosts->env_[line.substr(0, eq)] = value;
  }
  return hosts;
}

NetnsHosts::~NetnsHosts() {
  std::string output;
  if (RunScript("down", dir_, output) != 0) {
    std::fprintf(stderr, "tests/hosts/netns down %s failed: %s\n", dir_.c_str(), output.c_str());
  }
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

std::string NetnsHosts::Value(const std::string& key) const {
  auto it = env_.find(key);
  return it == env_.end() ? "" : it->second;
}

// hosts.env's HOST_<NAME>_<FIELD>.
std::string NetnsHosts::Field(const std::string& name, const std::string& field) const {
  std::string upper;
  for (char c : name) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return Value("HOST_" + upper + "_" + field);
}

std::string NetnsHosts::Address(const std::string& name) const { return Field(name, "ADDRESS"); }
std::string NetnsHosts::Cpus(const std::string& name) const { return Field(name, "CPUS"); }
std::string NetnsHosts::Namespace(const std::string& name) const { return Field(name, "NS"); }
std::string NetnsHosts::Link(const std::string& name) const { return Field(name, "VETH"); }

HostConfig NetnsHosts::Host(const std::string& name) const {
  HostConfig host;
  host.name = name;
  host.ssh = Value("HOSTS_USER") + "@" + Address(name);
  host.identity = Value("HOSTS_KEY");
  host.known_hosts = Value("HOSTS_KNOWN_HOSTS");
  host.checkout = PROJECT_SOURCE_DIR;
  host.address = Address(name);
  return host;
}

std::string NetnsHosts::NetNs(const std::string& name) const {
  struct stat st {};
  if (stat(("/run/netns/" + Namespace(name)).c_str(), &st) != 0) return "";
  return "net:[" + std::to_string(st.st_ino) + "]";
}

std::vector<pid_t> NetnsHosts::Processes(const std::string& name) const {
  const std::string ns = NetNs(name);
  std::vector<pid_t> found;
  for (pid_t pid : ListPids()) {
    if (!ns.empty() && NetNsOf(pid) == ns && ProcessAlive(pid)) found.push_back(pid);
  }
  return found;
}

pid_t NetnsHosts::Sshd(const std::string& name) const {
  auto text = ReadFile(dir_ / ("sshd-" + name + ".pid"));
  return text ? std::atoi(text->c_str()) : -1;
}

std::vector<ProcInfo> NetnsHosts::Leftovers(const std::string& name,
                                            std::chrono::milliseconds timeout,
                                            bool sessions) const {
  std::vector<ProcInfo> left;
  for (auto deadline = std::chrono::steady_clock::now() + timeout;;
       std::this_thread::sleep_for(std::chrono::milliseconds(50))) {
    left.clear();
    auto pids = Processes(name);
    for (const ProcInfo& p : ProcessTable()) {
      bool sshd = p.pid == Sshd(name) || (sessions && p.comm == "sshd");
      if (!sshd && std::find(pids.begin(), pids.end(), p.pid) != pids.end()) left.push_back(p);
    }
    if (left.empty() || std::chrono::steady_clock::now() >= deadline) return left;
  }
}

std::string NetNsOf(pid_t pid) {
  std::error_code ec;
  return fs::read_symlink("/proc/" + std::to_string(pid) + "/ns/net", ec).string();
}

std::string CpusOf(pid_t pid) {
  std::string status;
  if (!ReadProcFile(pid, "status", status)) return "";
  size_t at = status.find("Cpus_allowed_list:");
  if (at == std::string::npos) return "";
  size_t from = status.find_first_not_of(" \t", at + 18);
  return status.substr(from, status.find('\n', from) - from);
}

}  // namespace harness
