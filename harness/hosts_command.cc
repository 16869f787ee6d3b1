// harness hosts check [bench.yaml]: every host of bench.yaml reached over SSH, its agent at the
// controller's commit, and the round trips the plan depends on, without running anything else.
// One line per host and per pair of planned hosts; exit 0 when all is well, 1 when a host refused
// or could not be reached, 2 on bad input.
#include <fmt/format.h>

#include <cstdio>
#include <map>
#include <memory>
#include <set>
#include <string>

#include "command_table.h"
#include "commands.h"
#include "config/config.h"
#include "remote/checkout.h"
#include "remote/remote_host.h"
#include "remote/tcp_rtt.h"

namespace harness {
namespace {

using namespace std::chrono_literals;

constexpr int kTries = 20;

std::string Describe(const RttStats& rtt) {
  return fmt::format("{:.3f} ms (median of {} TCP connects to {}:{}; min {:.3f}, max {:.3f})",
                     rtt.median_ms, rtt.tries, rtt.address, rtt.port, rtt.min_ms, rtt.max_ms);
}

class Check {
 public:
  explicit Check(const Config& config) : config_(config) {}

  int Run(const std::string& commit) {
    for (const auto& [name, host] : config_.hosts) Greet(host, commit);
    // The pairs whose traffic a run carries: load → each server's host → postgres.
    std::set<std::string> server_hosts;
    for (const ServerConfig& s : config_.servers) {
      if (s.enabled) server_hosts.insert(ServerHost(config_, s));
    }
    for (const std::string& server : server_hosts) {
      Pair("load", config_.placement.load, "server", server);
      Pair("server", server, "postgres", config_.placement.postgres);
    }
    for (auto& [name, host] : connected_) {
      if (Status closed = host->Close(); !closed) Fail(closed.error().message);
    }
    return failed_ ? kExitFailure : kExitOk;
  }

 private:
  void Greet(const HostConfig& host, const std::string& commit) {
    const std::string label = fmt::format("host {} ({})", host.name, host.ssh);
    auto remote = RemoteHost::Connect(host, {commit});
    if (!remote) return Fail(remote.error().message);
    const Environment& env = (*remote)->environment();
    std::string line = fmt::format("{}: ok: at {}; {}, {} core{} (CPUs {}); {}", label,
                                   commit.substr(0, 7), env.cpu_model, env.cores,
                                   env.cores == 1 ? "" : "s", (*remote)->cpus(), env.kernel);
    // The address the other hosts will use, so it must answer (an ssh_config alias needs one).
    auto rtt = MeasureTcpRtt(host.address, host.port.value_or(22), kTries, 2s);
    if (rtt) {
      std::printf("%s; from here %s\n", line.c_str(), Describe(*rtt).c_str());
      std::fflush(stdout);
    } else {
      Fail(fmt::format("{}; but its address does not answer (give `address:`): {}", line,
                       rtt.error().message));
    }
    connected_.emplace(host.name, std::move(*remote));
  }

  // The round trip between the hosts of two roles, measured from the first's agent to the
  // second's sshd, the one port every host opens to the others; when one of them is this
  // machine, from here to the other (a round trip is the same both ways).
  void Pair(const char* role_a, const std::string& a, const char* role_b, const std::string& b) {
    if (a == b || !measured_.insert({a, b}).second) return;
    const std::string label = fmt::format("{} {} <-> {} {}", role_a, a, role_b, b);
    Result<RttStats> rtt = MakeError("not measured");
    if (a != kLocalHost && b != kLocalHost) {
      const HostConfig& target = config_.hosts.at(b);
      auto from = connected_.find(a);
      if (from == connected_.end()) {
        return Fail(fmt::format("{}: not measured: host {} is not connected", label, a));
      }
      rtt = from->second->TcpRtt(target.address, target.port.value_or(22), kTries);
    } else {
      const HostConfig& target = config_.hosts.at(a == kLocalHost ? b : a);
      rtt = MeasureTcpRtt(target.address, target.port.value_or(22), kTries, 2s);
    }
    if (!rtt) return Fail(fmt::format("{}: {}", label, rtt.error().message));
    std::printf("%s: %s\n", label.c_str(), Describe(*rtt).c_str());
    std::fflush(stdout);
  }

  void Fail(const std::string& line) {
    std::printf("%s\n", line.c_str());
    std::fflush(stdout);
    failed_ = true;
  }

  const Config& config_;
  std::map<std::string, std::unique_ptr<RemoteHost>> connected_;
  std::set<std::pair<std::string, std::string>> measured_;
  bool failed_ = false;
};

}  // namespace

void RegisterHostsCommand(CLI::App& app) {
  CLI::App* hosts = app.add_subcommand("hosts", "The hosts of bench.yaml (over SSH)");
  hosts->require_subcommand(1);
  auto file = std::make_shared<std::string>("bench.yaml");
  CLI::App* check = hosts->add_subcommand(
      "check", "Reach every host, check its checkout's commit, measure the round trips");
  check->add_option("config", *file, "the bench.yaml whose hosts to check");
  AddCommand(check, [file] {
    auto config = LoadConfig(*file);
    if (!config) {
      std::fprintf(stderr, "harness: %s\n", config.error().message.c_str());
      return kExitBadInput;
    }
    if (config->hosts.empty()) {
      std::printf("%s: no hosts: everything runs on this machine\n", file->c_str());
      return kExitOk;
    }
    auto commit = CheckoutCommit(OwnCheckout());
    if (!commit) {
      std::fprintf(stderr, "harness: the controller's %s\n", commit.error().message.c_str());
      return kExitBadInput;
    }
    return Check(*config).Run(*commit);
  });
}

}  // namespace harness
