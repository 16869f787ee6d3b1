// `harness run` across hosts, end to end, over real OpenSSH: the smoke profile with the load on
// host a, the servers on b and Postgres on c, three network namespaces of this machine
// (tests/hosts/netns), each with its own sshd, address and CPU set. Skipped, and counted so,
// where they cannot be made (not root, no `ip netns`, no sshd).
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "results/results.h"
#include "testing/cli.h"
#include "testing/live.h"
#include "testing/netns_hosts.h"
#include "util/files.h"
#include "util/process.h"

namespace harness {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// Where each role's processes were seen running while a run went on: their network namespace
// and CPU set, by role ("oha", "postgres", "server"), from /proc every 50 ms. What ran before,
// and its children (a cluster of the test suite's own, forking autovacuum workers), is not the
// run's.
class Watcher {
 public:
  Watcher() {
    for (const ProcInfo& p : ProcessTable()) before_.insert(p.pid);
    thread_ = std::thread([this] { Loop(); });
  }
  ~Watcher() {
    stop_ = true;
    thread_.join();
  }
  std::set<std::pair<std::string, std::string>> Seen(const std::string& role) {
    std::lock_guard lock(mu_);
    return seen_[role];
  }
  // One process seen per role, namespace and CPU set, for a failure message.
  std::string Examples() {
    std::lock_guard lock(mu_);
    std::string out;
    for (const auto& [key, example] : examples_) out += "\n  " + key + ": " + example;
    return out;
  }
  // The DATABASE_URL a server was started with (the run's password is in it).
  std::string DatabaseUrl() {
    std::lock_guard lock(mu_);
    return database_url_;
  }

 private:
  // Not `oha --version` nor `postgres --version`, which the harness and every agent run to
  // describe their host.
  static std::string RoleOf(const ProcInfo& p) {
    // An exiting process has no cmdline left to tell which it was.
    if (p.cmdline.empty() || p.cmdline.find("--version") != std::string::npos) return "";
    if (p.comm == "oha" && p.cmdline.find("--no-tui") != std::string::npos) return "oha";
    if (p.comm == "postgres") return "postgres";
    if (p.comm == "cpp-beast" || p.comm == "axum-server" || p.comm == "uvicorn") return "server";
    return "";
  }
  static std::string EnvironOf(pid_t pid, const std::string& name) {
    auto text = ReadFile("/proc/" + std::to_string(pid) + "/environ");
    if (!text) return "";
    std::istringstream in(*text);
    for (std::string entry; std::getline(in, entry, '\0');) {
      if (entry.starts_with(name + "=")) return entry.substr(name.size() + 1);
    }
    return "";
  }
  void Loop() {
    while (!stop_) {
      for (const ProcInfo& p : ProcessTable()) {
        std::string role = RoleOf(p);
        if (role.empty() || before_.contains(p.pid) || before_.contains(p.ppid)) continue;
        std::string ns = NetNsOf(p.pid), cpus = CpusOf(p.pid);
        if (ns.empty()) continue;  // gone meanwhile
        std::string url = role == "server" ? EnvironOf(p.pid, "DATABASE_URL") : "";
        std::lock_guard lock(mu_);
        seen_[role].insert({ns, cpus});
        examples_.try_emplace(role + " " + ns + " CPUs " + cpus,
                              std::to_string(p.pid) + " " + p.cmdline);
        if (!url.empty()) database_url_ = url;
      }
      std::this_thread::sleep_for(50ms);
    }
  }
  std::mutex mu_;
  std::map<std::string, std::set<std::pair<std::string, std::string>>> seen_;
  std::string database_url_;
  std::map<std::string, std::string> examples_;
  std::set<pid_t> before_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

class PlacedRun : public NetnsHostsTest {
 protected:
  // The smoke profile, its servers' folders made absolute, with the three hosts and the plan;
  // in the hosts' directory, where their keys are.
  fs::path Profile(const std::string& extra = "") {
    auto smoke = ReadFile(fs::path(PROJECT_SOURCE_DIR) / "tests/bench.smoke.yaml");
    EXPECT_TRUE(smoke);
    std::string text = std::regex_replace(*smoke, std::regex("dir: \\.\\./servers/"),
                                          std::string("dir: ") + PROJECT_SOURCE_DIR + "/servers/");
    text += "hosts:\n";
    for (const char* name : {"a", "b", "c"}) {
      text += fmt::format(
          "  {}: {{ssh: root@{}, identity: id_ed25519, known_hosts: known_hosts, checkout: {}}}\n",
          name, hosts_->Address(name), PROJECT_SOURCE_DIR);
    }
    text += "placement: {load: a, postgres: c, servers: b}\n" + extra;
    fs::path file = hosts_->dir() / "bench.yaml";
    EXPECT_TRUE(WriteFileAtomic(file, text));
    return file;
  }

  void ExpectNothingLeft() {
    for (const char* name : {"a", "b", "c"}) {
      auto left = hosts_->Leftovers(name, 15s, true);
      EXPECT_TRUE(left.empty()) << "left in host " << name << ":" << Describe(left);
    }
  }
};

// The groups a samples CSV has rows for ("server", "machine", ...).
std::set<std::string> GroupsIn(const fs::path& csv) {
  std::set<std::string> groups;
  std::istringstream in(ReadFile(csv).value_or(std::string()));
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    size_t a = line.find(','), b = line.find(',', a + 1);
    groups.insert(line.substr(a + 1, b - a - 1));
  }
  return groups;
}

// Every file of the run directory, for what must never be written.
std::string EverythingIn(const fs::path& dir) {
  std::string all;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) all += ReadFile(entry.path()).value_or("");
  }
  return all;
}

TEST_F(PlacedRun, TheSmokeProfileRunsEachRoleWhereThePlanPutsIt) {
  const fs::path out = hosts_->dir() / "results";
  CommandRun run;
  std::set<std::pair<std::string, std::string>> oha, postgres, server;
  std::string database_url, examples;
  {
    Watcher watcher;
    run = RunHarness({"run", Profile().string(), "--no-build", "--output", out.string()}, 900);
    oha = watcher.Seen("oha");
    postgres = watcher.Seen("postgres");
    server = watcher.Seen("server");
    database_url = watcher.DatabaseUrl();
    examples = watcher.Examples();
  }
  ASSERT_EQ(run.exit_code, 0) << run.output;
  using Where = std::set<std::pair<std::string, std::string>>;
  auto at = [&](const char* host) { return Where{{hosts_->NetNs(host), hosts_->Cpus(host)}}; };
  EXPECT_EQ(oha, at("a")) << "oha ran elsewhere than host a:" << examples;
  EXPECT_EQ(postgres, at("c")) << "postgres ran elsewhere than host c:" << examples;
  EXPECT_EQ(server, at("b")) << "a server ran elsewhere than host b:" << examples;

  fs::path dir = *fs::directory_iterator(out);
  auto results = LoadResults(dir);
  ASSERT_TRUE(results) << results.error().message;
  ASSERT_EQ(results->hosts.size(), 3u);
  for (const HostRecord& host : results->hosts) {
    EXPECT_EQ(host.address, hosts_->Address(host.name));
    EXPECT_FALSE(host.environment.cpu_model.empty()) << host.name;
    EXPECT_GT(host.environment.cores, 0) << host.name;
    EXPECT_TRUE(results->method.contains("host:" + host.name)) << host.name;
  }
  EXPECT_EQ(results->method.at("placement"), "load a, postgres c, servers b");
  std::set<std::string> pairs;
  for (const RoundTrip& rtt : results->round_trips) {
    pairs.insert(rtt.between);
    EXPECT_GT(rtt.median_ms, 0) << rtt.between;
  }
  EXPECT_EQ(pairs, (std::set<std::string>{"load a <-> server b", "server b <-> postgres c"}));
  EXPECT_TRUE(results->ceilings.empty()) << "ceilings describe one machine";
  int measured = 0;
  std::map<std::string, double> server_cpu, postgres_cpu, oha_cpu;
  for (const Measurement& m : results->measurements) {
    ++measured;
    const std::string what = m.server + " " + m.scenario;
    for (const char* host : {"a", "b", "c"}) {
      ASSERT_TRUE(m.host_usage.contains(host)) << what << " " << host;
      EXPECT_GT(m.host_usage.at(host).cpu_seconds, 0) << what << " " << host;
    }
    server_cpu[m.server] += m.server_usage.cpu_seconds;
    postgres_cpu[m.server] += m.postgres_usage.cpu_seconds;
    oha_cpu[m.server] += m.oha_usage.cpu_seconds;
    EXPECT_GT(m.successes, 0) << what;
    // Each host sampled the roles it held, and only those: the pids are right only there.
    fs::path raw = dir / "raw" / m.server / (m.scenario + "-1");
    EXPECT_EQ(GroupsIn(raw.string() + ".samples.a.csv"), (std::set<std::string>{"oha", "machine"}))
        << what;
    EXPECT_EQ(GroupsIn(raw.string() + ".samples.b.csv"),
              (std::set<std::string>{"server", "machine"}))
        << what;
    EXPECT_EQ(GroupsIn(raw.string() + ".samples.c.csv"),
              (std::set<std::string>{"postgres", "machine"}))
        << what;
  }
  EXPECT_EQ(measured, 4 * 3);
  for (const char* name : {"fastapi", "fastapi-async", "axum", "cpp-beast"}) {
    EXPECT_GT(server_cpu[name], 0) << name;
    EXPECT_GT(postgres_cpu[name], 0) << name;
    EXPECT_GT(oha_cpu[name], 0) << name;
  }
  for (const ServerOutcome& s : results->servers) EXPECT_TRUE(s.ok) << s.name << ": " << s.failure;
  auto report = ReadFile(dir / "report.md");
  ASSERT_TRUE(report);
  EXPECT_NE(report->find("## Hosts"), std::string::npos);
  EXPECT_NE(report->find("load a \\<-> server b"), std::string::npos);
  // The run's Postgres password, as the servers got it, appears nowhere the run wrote or said.
  std::smatch password;
  ASSERT_TRUE(
      std::regex_search(database_url, password, std::regex("^postgres://[^:]+:([0-9a-f]{32})@")))
      << database_url;
  EXPECT_EQ(EverythingIn(dir).find(password[1].str()), std::string::npos);
  EXPECT_EQ(run.output.find(password[1].str()), std::string::npos);
  ExpectNothingLeft();
}

// `harness run` with cpp-beast alone and many repetitions, in the background, until oha runs on
// host a against it.
struct Background {
  std::optional<Process> harness;
  fs::path log;
  std::string Output() const { return ReadFile(log).value_or(std::string()); }
};

class PlacedRunStopped : public PlacedRun {
 protected:
  Background StartUnderLoad() {
    Background run;
    run.log = hosts_->dir() / "run.log";
    SpawnOptions spawn;
    spawn.argv = {HARNESS_BINARY, "run",      Profile().string(), "--no-build",    "--output",
                  Out().string(), "--server", "cpp-beast",        "--repetitions", "50"};
    spawn.output = run.log;
    auto harness = Process::Spawn(spawn);
    EXPECT_TRUE(harness) << harness.error().message;
    if (!harness) return run;
    run.harness = std::move(*harness);
    for (auto deadline = Clock::now() + 180s; Clock::now() < deadline;) {
      for (const ProcInfo& p : ProcessTable()) {
        if (p.comm == "oha" && p.cmdline.find("--no-tui") != std::string::npos &&
            NetNsOf(p.pid) == hosts_->NetNs("a")) {
          return run;
        }
      }
      std::this_thread::sleep_for(100ms);
    }
    ADD_FAILURE() << "oha never ran on host a: " << run.Output();
    return run;
  }
  fs::path Out() const { return hosts_->dir() / "results"; }
  Result<RunResults> Results() const { return LoadResults(*fs::directory_iterator(Out())); }
};

// The servers' host drops off mid-measurement: the run stops, says which host, exits 1 without
// blaming the server, and nothing stays on any host.
TEST_F(PlacedRunStopped, LosingAHostStopsTheRunAndLeavesNothingAnywhere) {
  Background run = StartUnderLoad();
  ASSERT_TRUE(run.harness);
  // Cut b's SSH connection from its end: its per-connection sshd processes die.
  for (pid_t pid : hosts_->Processes("b")) {
    for (const ProcInfo& p : ProcessTable()) {
      if (p.pid == pid && p.comm == "sshd" && pid != hosts_->Sshd("b")) kill(pid, SIGKILL);
    }
  }
  ASSERT_TRUE(run.harness->Wait(120s)) << run.Output();
  EXPECT_EQ(run.harness->exit_code(), 1) << run.Output();
  EXPECT_NE(run.Output().find("host b: the SSH connection was lost"), std::string::npos)
      << run.Output();
  auto results = Results();
  ASSERT_TRUE(results) << results.error().message;
  EXPECT_NE(results->abort_reason.find("host b"), std::string::npos) << results->abort_reason;
  EXPECT_TRUE(results->partial);
  ASSERT_EQ(results->servers.size(), 1u);
  EXPECT_TRUE(results->servers[0].ok) << "blamed: " << results->servers[0].failure;
  ExpectNothingLeft();
}

// Ctrl-C mid-measurement: the run ends as interrupted (130), partial, nothing left anywhere.
TEST_F(PlacedRunStopped, CtrlCStopsEveryHost) {
  Background run = StartUnderLoad();
  ASSERT_TRUE(run.harness);
  kill(run.harness->pid(), SIGINT);
  ASSERT_TRUE(run.harness->Wait(60s)) << run.Output();
  EXPECT_EQ(run.harness->exit_code(), 128 + SIGINT) << run.Output();
  auto results = Results();
  ASSERT_TRUE(results) << results.error().message;
  EXPECT_TRUE(results->partial);
  ExpectNothingLeft();
}

}  // namespace
}  // namespace harness
