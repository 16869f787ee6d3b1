// Remote execution end to end, over real OpenSSH: three hosts made of network namespaces on this
// machine (tests/hosts/netns), each with its own sshd, address and CPU set. Skipped, and counted
// so, where they cannot be made (not root, no `ip netns`, no sshd).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <fstream>
#include <thread>

#include "remote/checkout.h"
#include "remote/remote_host.h"
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

// The IPv4 addresses `pid`'s network namespace listens on at `port` (/proc/PID/net/tcp is the
// table of the process's namespace), and "ipv6" for any IPv6 listener there.
std::vector<std::string> ListeningOn(pid_t pid, int port) {
  std::vector<std::string> found;
  for (const char* table : {"tcp", "tcp6"}) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/net/" + table);
    std::string line;
    std::getline(in, line);
    while (std::getline(in, line)) {
      std::istringstream fields(line);
      std::string slot, local, remote, state;
      fields >> slot >> local >> remote >> state;
      size_t colon = local.find(':');
      if (state != "0A" || std::stoi(local.substr(colon + 1), nullptr, 16) != port) continue;
      if (std::string(table) == "tcp6") {
        found.push_back("ipv6");
        continue;
      }
      in_addr a{};
      a.s_addr = static_cast<uint32_t>(std::stoul(local.substr(0, colon), nullptr, 16));
      char text[INET_ADDRSTRLEN] = {};
      inet_ntop(AF_INET, &a, text, sizeof text);
      found.push_back(text);
    }
  }
  return found;
}

int CountCpus(const std::string& list) {
  int count = 0;
  std::istringstream in(list);
  for (std::string part; std::getline(in, part, ',');) {
    size_t dash = part.find('-');
    count += dash == std::string::npos ? 1 : std::stoi(part.substr(dash + 1)) - std::stoi(part) + 1;
  }
  return count;
}

std::string Commit() {
  return CheckoutCommit(PROJECT_SOURCE_DIR).ok() ? *CheckoutCommit(PROJECT_SOURCE_DIR) : "";
}

class RemoteHosts : public NetnsHostsTest {
 protected:
  std::unique_ptr<RemoteHost> Connect(const std::string& name, const ConnectOptions& options = {}) {
    auto host = RemoteHost::Connect(hosts_->Host(name), options);
    EXPECT_TRUE(host) << host.error().message;
    return host ? std::move(*host) : nullptr;
  }

  std::vector<ProcInfo> LeftIn(const std::string& name, std::chrono::milliseconds timeout,
                               bool sessions = false) {
    return hosts_->Leftovers(name, timeout, sessions);
  }

  // A clone of the project at the commit before ours, its build the project's: a checkout that
  // would run our agent but is at another commit.
  fs::path OtherCheckout() {
    fs::path checkout = hosts_->dir() / "checkout";
    std::string made =
        CommandOutput("git clone --quiet --shared --no-checkout " + ShellQuote(PROJECT_SOURCE_DIR) +
                      " " + ShellQuote(checkout.string()) + " && git -C " +
                      ShellQuote(checkout.string()) + " reset --quiet --soft HEAD~1 && echo made");
    EXPECT_EQ(made, "made");
    fs::create_directory_symlink(fs::path(PROJECT_SOURCE_DIR) / "build", checkout / "build");
    return checkout;
  }
};

// Each role where the plan puts it: the agent and what it starts in the host's namespace and on
// its CPUs; Postgres on its host's address only, admitting the planned client alone, by password.
TEST_F(RemoteHosts, ProcessesRunWhereThePlanPutsThem) {
  std::map<std::string, std::unique_ptr<RemoteHost>> remote;
  for (const char* name : {"a", "b", "c"}) {
    remote[name] = Connect(name);
    ASSERT_TRUE(remote[name]);
    RemoteHost& host = *remote[name];
    EXPECT_EQ(host.cpus(), hosts_->Cpus(name));
    EXPECT_EQ(host.environment().cores, CountCpus(hosts_->Cpus(name)));
    EXPECT_FALSE(host.environment().cpu_model.empty());
    EXPECT_TRUE(host.workdir().starts_with((hosts_->dir() / ("tmp-" + std::string(name))).string()))
        << host.workdir();
    EXPECT_EQ(NetNsOf(host.agent_pid()), hosts_->NetNs(name));
    RemoteSpawn sleeper;
    sleeper.argv = {"sleep", "60"};
    auto pid = host.Spawn(sleeper);
    ASSERT_TRUE(pid) << pid.error().message;
    EXPECT_EQ(NetNsOf(*pid), hosts_->NetNs(name)) << name;
    EXPECT_EQ(CpusOf(*pid), hosts_->Cpus(name)) << name;
  }

  const std::string password = "pw" + std::to_string(getpid()) + "Zq9";
  RemoteClusterOptions options;
  options.listen = hosts_->Address("c");
  options.clients = {hosts_->Address("b")};
  options.password = password;
  auto cluster = remote["c"]->ClusterUp(options);
  ASSERT_TRUE(cluster) << cluster.error().message;
  EXPECT_EQ(NetNsOf(cluster->postmaster_pid), hosts_->NetNs("c"));
  EXPECT_EQ(CpusOf(cluster->postmaster_pid), hosts_->Cpus("c"));
  EXPECT_EQ(ListeningOn(cluster->postmaster_pid, cluster->port),
            std::vector<std::string>{hosts_->Address("c")});
  const std::string dsn = "postgres://postgres:" + password + "@" + hosts_->Address("c") + ":" +
                          std::to_string(cluster->port) + "/benchmark?connect_timeout=5";
  auto psql = [&](const std::string& from) {
    RemoteSpawn query;
    query.argv = {"psql", dsn, "-AtXc", "SELECT count(*) FROM \"user\""};
    query.output = remote[from]->workdir() + "/psql.out";
    auto pid = remote[from]->Spawn(query);
    EXPECT_TRUE(pid) << pid.error().message;
    auto code = remote[from]->Wait(*pid, 30s);
    EXPECT_TRUE(code && *code) << from;
    auto out = remote[from]->ReadFile(query.output);
    return std::make_pair(code && *code ? **code : -1, out ? *out : "");
  };
  auto [b_code, b_out] = psql("b");
  EXPECT_EQ(b_code, 0) << b_out;
  EXPECT_EQ(b_out, "2000\n");
  auto [a_code, a_out] = psql("a");
  EXPECT_NE(a_code, 0) << "host a is not a planned client: " << a_out;
  EXPECT_NE(a_out.find("no pg_hba.conf entry for host \"" + hosts_->Address("a")),
            std::string::npos)
      << a_out;
  for (const auto& entry : fs::recursive_directory_iterator(cluster->directory)) {
    auto text = entry.is_regular_file() ? ReadFile(entry.path()) : Result<std::string>("");
    EXPECT_EQ(text->find(password), std::string::npos) << "the password is in " << entry.path();
  }

  auto rtt = remote["a"]->TcpRtt(hosts_->Address("b"), 22, 10);
  ASSERT_TRUE(rtt) << rtt.error().message;
  EXPECT_EQ(rtt->address, hosts_->Address("b"));
  EXPECT_GT(rtt->median_ms, 0);

  for (auto& [name, host] : remote) {
    EXPECT_TRUE(host->Close()) << name;
    auto left = LeftIn(name, 10s);
    EXPECT_TRUE(left.empty()) << "left in host " << name << ":" << Describe(left);
  }
  EXPECT_FALSE(fs::exists(cluster->directory));
}

// The controller's ssh dies (as when the harness is killed, or the connection drops): the agent
// sees its stdin close and stops everything it started on that host, Postgres included.
TEST_F(RemoteHosts, CuttingAHostsConnectionStopsEverythingThere) {
  auto b = Connect("b");
  ASSERT_TRUE(b);
  RemoteSpawn sleeper;
  sleeper.argv = {"sleep", "300"};
  RemoteSpawn daemon;
  daemon.argv = {"sh", "-c", "(setsid sleep 301 &); exec sleep 302"};
  ASSERT_TRUE(b->Spawn(sleeper));
  ASSERT_TRUE(b->Spawn(daemon));
  RemoteClusterOptions options;
  options.listen = hosts_->Address("b");
  options.clients = {hosts_->Address("a")};
  options.password = "cut" + std::to_string(getpid());
  auto cluster = b->ClusterUp(options);
  ASSERT_TRUE(cluster) << cluster.error().message;
  auto before = LeftIn("b", 0ms);
  EXPECT_GE(before.size(), 8u) << Describe(before);  // sshd's session, agent, 2 trees, Postgres

  ASSERT_EQ(kill(b->transport_pid(), SIGKILL), 0);
  auto left = LeftIn("b", 30s);
  EXPECT_TRUE(left.empty()) << "left in host b once its connection was cut:" << Describe(left);
  EXPECT_FALSE(fs::exists(cluster->directory));
  Status health = b->Health();
  for (auto deadline = Clock::now() + 10s; health && Clock::now() < deadline;) {
    std::this_thread::sleep_for(50ms);
    health = b->Health();
  }
  ASSERT_FALSE(health);
  EXPECT_TRUE(health.error().message.starts_with("host b: the SSH connection was lost: "))
      << health.error().message;
}

// A host cut off without a word (its link down, as a pulled cable): no FIN reaches its sshd, so
// its agent's stdin stays open; the lease ends it, and it stops everything it started.
TEST_F(RemoteHosts, AHostCutOffSilentlyStopsEverythingWithinTheLease) {
  ConnectOptions options;
  options.lease = 3s;
  auto b = Connect("b", options);
  ASSERT_TRUE(b);
  RemoteSpawn sleeper;
  sleeper.argv = {"sleep", "300"};
  ASSERT_TRUE(b->Spawn(sleeper));
  const std::string link = hosts_->Link("b");
  ASSERT_FALSE(link.empty());
  CommandOutput("ip link set " + link + " down");
  // sshd's own session processes wait for the dead connection's TCP to give up: not ours.
  auto left = LeftIn("b", 20s, true);
  EXPECT_TRUE(left.empty()) << "left in host b after its lease:" << Describe(left);
  Status health = b->Health();
  for (auto deadline = Clock::now() + 40s; health && Clock::now() < deadline;) {
    std::this_thread::sleep_for(100ms);
    health = b->Health();
  }
  ASSERT_FALSE(health) << "the controller must notice too (ServerAlive, or a ping unanswered)";
  EXPECT_TRUE(health.error().message.starts_with("host b: the SSH connection was lost: "))
      << health.error().message;
  CommandOutput("ip link set " + link + " up");
}

TEST_F(RemoteHosts, ACheckoutAtAnotherCommitIsRefusedWithHowToSyncIt) {
  HostConfig host = hosts_->Host("b");
  host.checkout = OtherCheckout().string();
  auto other = CheckoutCommit(host.checkout);
  ASSERT_TRUE(other) << other.error().message;
  auto remote = RemoteHost::Connect(host);
  ASSERT_FALSE(remote);
  EXPECT_EQ(remote.error().message, CommitMismatch("b", host.checkout, *other, Commit()));
  EXPECT_EQ(remote.error().message.find('\n'), std::string::npos);
  auto left = LeftIn("b", 10s);
  EXPECT_TRUE(left.empty()) << Describe(left);
}

TEST_F(RemoteHosts, HostsCheckReachesEveryHostAndMeasuresThePlannedPairs) {
  auto yaml = [&](const std::string& extra_hosts, const std::string& c_checkout) {
    std::string text = "hosts:\n";
    for (const char* name : {"a", "b", "c"}) {
      text += fmt::format(
          "  {}: {{ssh: root@{}, identity: id_ed25519, known_hosts: known_hosts, checkout: {}}}\n",
          name, hosts_->Address(name), name == std::string("c") ? c_checkout : PROJECT_SOURCE_DIR);
    }
    return text + extra_hosts +
           "placement: {load: a, postgres: c, servers: b}\n"
           "servers: [{name: axum, dir: " PROJECT_SOURCE_DIR
           "/servers/axum, run: x}]\n"
           "scenarios: [{name: s, requests: 10}]\n";
  };
  const fs::path good = hosts_->dir() / "bench.yaml";
  ASSERT_TRUE(WriteFileAtomic(good, yaml("", PROJECT_SOURCE_DIR)));
  CommandRun run = RunHarness({"hosts", "check", good.string()}, 120);
  EXPECT_EQ(run.exit_code, 0) << run.output;
  for (const char* name : {"a", "b", "c"}) {
    EXPECT_NE(run.output.find(fmt::format("host {} (root@{}): ok: at {};", name,
                                          hosts_->Address(name), Commit().substr(0, 7))),
              std::string::npos)
        << run.output;
  }
  EXPECT_NE(run.output.find("load a <-> server b: "), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("server b <-> postgres c: "), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("TCP connects to " + hosts_->Address("b") + ":22"), std::string::npos)
      << run.output;

  const fs::path bad = hosts_->dir() / "bad.yaml";
  ASSERT_TRUE(WriteFileAtomic(
      bad, yaml(fmt::format("  d: {{ssh: root@{}, port: 2, identity: id_ed25519, checkout: /s}}\n",
                            hosts_->Address("a")),
                OtherCheckout().string())));
  run = RunHarness({"hosts", "check", bad.string()}, 120);
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_NE(
      run.output.find("host c: checkout " + (hosts_->dir() / "checkout").string() + " is at "),
      std::string::npos)
      << run.output;
  EXPECT_NE(run.output.find("host d: the SSH connection was lost: ssh: connect to host " +
                            hosts_->Address("a") + " port 2: Connection refused"),
            std::string::npos)
      << run.output;
  // Measured all the same: from b's agent to c's sshd, which needs nothing of c's checkout.
  EXPECT_NE(run.output.find("server b <-> postgres c: "), std::string::npos) << run.output;
  for (const char* name : {"a", "b", "c"}) {
    auto left = LeftIn(name, 10s);
    EXPECT_TRUE(left.empty()) << "left in host " << name << ":" << Describe(left);
  }
}

TEST(HostsCheck, WithoutHostsThereIsNothingToCheck) {
  CommandRun run =
      RunHarness({"hosts", "check", std::string(PROJECT_SOURCE_DIR) + "/tests/bench.smoke.yaml"});
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("no hosts: everything runs on this machine"), std::string::npos);
}

TEST(HostsCheck, BadInputIsOneLineAndExitTwo) {
  fs::path dir = TempDir("harness-hosts");
  fs::path file = dir / "bench.yaml";
  ASSERT_TRUE(WriteFileAtomic(file,
                              "hosts: {db: {ssh: root@db, checkout: /srv}}\n"
                              "placement: {postgres: dbb}\n"
                              "servers: [{name: a, dir: " PROJECT_SOURCE_DIR
                              "/servers/axum, run: x}]\n"
                              "scenarios: [{name: s, requests: 1}]\n"));
  CommandRun run = RunHarness({"hosts", "check", file.string()});
  EXPECT_EQ(run.exit_code, 2) << run.output;
  EXPECT_EQ(run.output, "harness: " + file.string() +
                            ":2: placement.postgres: no host named 'dbb' (one of: db, local)\n");
  fs::remove_all(dir);
}

// A run whose host cannot be reached stops before anything starts, naming the host.
TEST(HostsCheck, RunStopsAtAHostItCannotReachAndStartsNothing) {
  fs::path dir = TempDir("harness-hosts");
  fs::path file = dir / "bench.yaml";
  ASSERT_TRUE(WriteFileAtomic(file,
                              "hosts: {db: {ssh: root@127.0.0.1, port: 2, checkout: /srv}}\n"
                              "placement: {postgres: db}\n"
                              "servers: [{name: a, dir: " PROJECT_SOURCE_DIR
                              "/servers/axum, run: x}]\n"
                              "scenarios: [{name: s, requests: 1}]\n"
                              "output: out\n"));
  auto before = OurProcesses();
  CommandRun run = RunHarness({"run", file.string()});
  EXPECT_EQ(run.exit_code, 2) << run.output;
  EXPECT_NE(run.output.find("harness: host db: the SSH connection was lost: ssh: connect to host "
                            "127.0.0.1 port 2: Connection refused"),
            std::string::npos)
      << run.output;
  EXPECT_EQ(OurProcesses(), before);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace harness
