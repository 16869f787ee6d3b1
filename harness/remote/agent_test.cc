// The agent (remote/agent.h) with real processes, through pipes and without ssh: `harness agent`
// started here, spoken to line by line (RawAgent) or through RemoteHost::Local.
#include "remote/agent.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <thread>

#include "postgres/database.h"
#include "remote/checkout.h"
#include "remote/remote_host.h"
#include "testing/live.h"
#include "util/files.h"
#include "util/process.h"

namespace harness {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using Json = nlohmann::json;

// `harness agent` on pipes, for what RemoteHost would never send.
class RawAgent {
 public:
  RawAgent() {
    int in[2], out[2];
    EXPECT_EQ(pipe2(in, O_CLOEXEC), 0);
    EXPECT_EQ(pipe2(out, O_CLOEXEC), 0);
    to_ = fcntl(in[1], F_DUPFD_CLOEXEC, 10);
    from_ = fcntl(out[0], F_DUPFD_CLOEXEC, 10);
    int child_in = fcntl(in[0], F_DUPFD_CLOEXEC, 10),
        child_out = fcntl(out[1], F_DUPFD_CLOEXEC, 10);
    for (int fd : {in[0], in[1], out[0], out[1]}) close(fd);
    log_ = fs::temp_directory_path() / ("raw-agent-" + std::to_string(getpid()) + ".log");
    SpawnOptions spawn;
    spawn.argv = {HARNESS_BINARY, "agent"};
    spawn.cwd = PROJECT_SOURCE_DIR;
    spawn.stdin_fd = child_in;
    spawn.stdout_fd = child_out;
    spawn.error_output = log_;
    auto process = Process::Spawn(spawn);
    close(child_in);
    close(child_out);
    EXPECT_TRUE(process) << process.error().message;
    if (process) process_ = std::make_unique<Process>(std::move(*process));
  }
  ~RawAgent() {
    CloseStdin();
    close(from_);
    if (process_) process_->Stop(5s);
    fs::remove(log_);
  }

  void Send(const std::string& line) {
    ASSERT_GT(write(to_, (line + "\n").data(), line.size() + 1), 0);
  }
  // The next line, or empty after `timeout`.
  std::string Receive(std::chrono::milliseconds timeout = 20s) {
    auto deadline = Clock::now() + timeout;
    for (;;) {
      if (size_t end = buffer_.find('\n'); end != std::string::npos) {
        std::string line = buffer_.substr(0, end);
        buffer_.erase(0, end + 1);
        return line;
      }
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      if (left.count() <= 0) return "";
      pollfd p{from_, POLLIN, 0};
      if (poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
      char chunk[4096];
      ssize_t n = read(from_, chunk, sizeof chunk);
      if (n <= 0) return "";
      buffer_.append(chunk, static_cast<size_t>(n));
    }
  }
  Json Ask(const std::string& line) {
    Send(line);
    return Json::parse(Receive(), nullptr, false);
  }
  void CloseStdin() {
    if (to_ >= 0) close(to_);
    to_ = -1;
  }
  std::optional<int> WaitExit(std::chrono::milliseconds timeout) {
    if (!process_ || !process_->Wait(timeout)) return std::nullopt;
    return process_->exit_code();
  }
  std::string Log() const { return ReadFile(log_).ok() ? *ReadFile(log_) : ""; }

 private:
  int to_ = -1, from_ = -1;
  std::string buffer_;
  fs::path log_;
  std::unique_ptr<Process> process_;
};

std::string Commit() {
  auto commit = CheckoutCommit(PROJECT_SOURCE_DIR);
  EXPECT_TRUE(commit) << commit.error().message;
  return commit ? *commit : "";
}

std::string Hello(int id, const std::string& commit, int lease_ms = 0) {
  return Json{{"id", id},         {"op", "hello"},  {"protocol", 1},
              {"commit", commit}, {"host", "here"}, {"lease_ms", lease_ms}}
      .dump();
}

std::unique_ptr<RemoteHost> LocalAgent(const ConnectOptions& options = {}) {
  auto host = RemoteHost::Local("here", PROJECT_SOURCE_DIR, options, HARNESS_BINARY);
  EXPECT_TRUE(host) << host.error().message;
  return host ? std::move(*host) : nullptr;
}

// Polls until none of `pids` is alive; false after `timeout`.
bool AllGone(const std::vector<pid_t>& pids, std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  for (;;) {
    bool any = false;
    for (pid_t pid : pids) any |= ProcessAlive(pid);
    if (!any) return true;
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(20ms);
  }
}

std::vector<pid_t> Pids(const std::vector<ProcInfo>& procs) {
  std::vector<pid_t> pids;
  for (const ProcInfo& p : procs) pids.push_back(p.pid);
  return pids;
}

TEST(Agent, AnswersEveryRequestByIdAndNothingBeforeHello) {
  RawAgent agent;
  Json garbage = agent.Ask("not json at all");
  EXPECT_TRUE(garbage["id"].is_null());
  EXPECT_EQ(garbage["ok"], false);
  Json early = agent.Ask(R"({"id": 1, "op": "spawn", "argv": ["true"]})");
  EXPECT_EQ(early["id"], 1);
  EXPECT_EQ(early["error"], "say hello first (op spawn refused)");
  Json wrong = agent.Ask(Json{{"id", 2}, {"op", "hello"}, {"protocol", 99}}.dump());
  EXPECT_NE(wrong["error"].get<std::string>().find("speaks protocol 1, the controller 99"),
            std::string::npos)
      << wrong;
  Json hello = agent.Ask(Hello(3, Commit()));
  ASSERT_EQ(hello["ok"], true) << hello;
  EXPECT_EQ(hello["commit"], Commit());
  EXPECT_GT(hello["environment"]["cores"].get<int>(), 0);
  EXPECT_FALSE(hello["environment"]["cpu_model"].get<std::string>().empty());
  const fs::path workdir = hello["workdir"].get<std::string>();
  EXPECT_TRUE(fs::is_directory(workdir));
  EXPECT_EQ(agent.Ask(R"({"id": "four", "op": "ping"})"), (Json{{"id", "four"}, {"ok", true}}));
  Json unknown = agent.Ask(R"({"id": 5, "op": "reboot"})");
  EXPECT_EQ(unknown["error"], "unknown op 'reboot'");
  Json missing = agent.Ask(R"({"id": 6, "op": "stop"})");
  EXPECT_NE(missing["error"].get<std::string>().find("bad request: op stop"), std::string::npos);
  Json typed = agent.Ask(R"({"id": 7, "op": 5})");
  EXPECT_NE(typed["error"].get<std::string>().find("bad request: op ?"), std::string::npos);
  EXPECT_EQ(agent.Ask(R"({"id": 8, "op": "ping"})")["ok"], true) << "it goes on";

  agent.CloseStdin();
  Json bye = Json::parse(agent.Receive(), nullptr, false);
  EXPECT_EQ(bye["bye"], true) << bye;
  EXPECT_EQ(bye["reason"], "its stdin closed");
  EXPECT_EQ(agent.WaitExit(10s), 0);
  EXPECT_FALSE(fs::exists(workdir)) << "the session's workdir must go with it";
}

// A request may carry the cluster's password: no answer, and nothing on stderr, repeats it.
TEST(Agent, NeverRepeatsWhatARequestCarried) {
  const std::string secret = "s3cret-f00-ba4";
  RawAgent agent;
  ASSERT_EQ(agent.Ask(Hello(1, Commit()))["ok"], true);
  std::vector<std::string> answers;
  for (const std::string& line :
       {R"({"id": 2, "op": "cluster_up", "password": ")" + secret + R"(", "listen": 5})",
        R"({"id": 3, "op": "cluster_up", "password": ")" + secret + R"(", "listen": "0.0.0.0"})",
        R"({"id": 4, "op": "cluster_up", "password": ")" + secret + R"(")",
        R"({"op": "cluster_up", "password": ")" + secret + R"("})"}) {
    agent.Send(line);
    answers.push_back(agent.Receive());
  }
  for (const std::string& answer : answers) {
    EXPECT_NE(answer.find(R"("ok":false)"), std::string::npos) << answer;
    EXPECT_EQ(answer.find(secret), std::string::npos) << answer;
  }
  EXPECT_NE(answers[1].find("must not listen on every interface"), std::string::npos) << answers[1];
  agent.CloseStdin();
  agent.WaitExit(10s);
  EXPECT_EQ(agent.Log().find(secret), std::string::npos) << agent.Log();
}

TEST(Agent, RefusesACheckoutAtAnotherCommitInOneLine) {
  ConnectOptions options;
  options.commit = "def5678" + std::string(33, '0');
  auto host = RemoteHost::Local("db", PROJECT_SOURCE_DIR, options, HARNESS_BINARY);
  ASSERT_FALSE(host);
  const std::string& message = host.error().message;
  EXPECT_EQ(message, CommitMismatch("db", PROJECT_SOURCE_DIR, Commit(), options.commit));
  EXPECT_TRUE(message.starts_with("host db: checkout " + std::string(PROJECT_SOURCE_DIR) +
                                  " is at " + Commit().substr(0, 7) +
                                  ", the controller at def5678: run `git -C "))
      << message;
  EXPECT_EQ(message.find('\n'), std::string::npos);
}

TEST(Agent, SpawnsWaitsStopsAndMovesFilesExactly) {
  auto host = LocalAgent();
  ASSERT_TRUE(host);
  const std::string out = host->workdir() + "/out.bin";
  RemoteSpawn spawn;
  spawn.argv = {"sh", "-c", "printf 'a\\377b'; exit 3"};
  spawn.output = out;
  auto pid = host->Spawn(spawn);
  ASSERT_TRUE(pid) << pid.error().message;
  auto exited = host->Wait(*pid, 10s);
  ASSERT_TRUE(exited) << exited.error().message;
  EXPECT_EQ(*exited, 3);
  auto bytes = host->ReadFile(out);
  ASSERT_TRUE(bytes) << bytes.error().message;
  EXPECT_EQ(*bytes,
            "a\xff"
            "b");  // not UTF-8, and kept so

  std::string binary;
  for (int i = 0; i < 256; ++i) binary += static_cast<char>(i);
  const std::string in = host->workdir() + "/sub/in.bin";
  ASSERT_TRUE(host->WriteFile(in, binary, 0600));
  EXPECT_EQ(*ReadFile(in), binary);
  struct stat st {};
  ASSERT_EQ(stat(in.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  spawn = {};
  spawn.argv = {"sleep", "60"};
  auto sleeper = host->Spawn(spawn);
  ASSERT_TRUE(sleeper);
  EXPECT_TRUE(ProcessAlive(*sleeper));
  EXPECT_EQ(*host->Running(*sleeper), true);
  EXPECT_FALSE(*host->Wait(*sleeper, 100ms));
  auto stopped = host->Stop(*sleeper, 2s);
  ASSERT_TRUE(stopped) << stopped.error().message;
  EXPECT_TRUE(stopped->all_gone);
  EXPECT_FALSE(ProcessAlive(*sleeper));

  auto unknown = host->Wait(1, 10ms);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().message, "host here: pid 1 is not a process this agent started");
  auto missing = host->ReadFile(host->workdir() + "/nope");
  ASSERT_FALSE(missing);
  EXPECT_TRUE(missing.error().message.starts_with("host here: ")) << missing.error().message;
  EXPECT_TRUE(host->Close());
}

TEST(Agent, SamplesTheTreesItIsGivenAndTheMachine) {
  auto host = LocalAgent();
  ASSERT_TRUE(host);
  RemoteSpawn spawn;
  spawn.argv = {"sh", "-c", "while :; do :; done"};
  auto busy = host->Spawn(spawn);
  ASSERT_TRUE(busy);
  auto rss = host->TreeRssMib(*busy);
  ASSERT_TRUE(rss);
  EXPECT_GT(*rss, 0);
  auto sampler = host->StartSampling({{"busy", *busy}}, std::chrono::milliseconds(50));
  ASSERT_TRUE(sampler) << sampler.error().message;
  std::this_thread::sleep_for(600ms);
  auto samples = host->StopSampling(*sampler);
  ASSERT_TRUE(samples) << samples.error().message;
  const Usage& usage = samples->groups.at("busy");
  EXPECT_GT(usage.cpu_seconds, 0.2);
  EXPECT_GE(usage.samples, 5);
  EXPECT_GT(usage.rss_peak_mib, 0);
  EXPECT_GE(samples->machine.cpu_seconds, usage.cpu_seconds * 0.9);
  EXPECT_NE(samples->csv.find(",busy,"), std::string::npos);
  EXPECT_FALSE(host->StopSampling(*sampler)) << "a sampler stops once";
  EXPECT_TRUE(host->Stop(*busy, 1s));
}

TEST(Agent, PortsAndTheRoundTrip) {
  auto host = LocalAgent();
  ASSERT_TRUE(host);
  auto port = host->FreePort("127.0.0.1");
  ASSERT_TRUE(port) << port.error().message;
  EXPECT_FALSE(*host->PortInUse("127.0.0.1", *port));
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(*port));
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(listen(fd, 64), 0);
  EXPECT_TRUE(*host->PortInUse("localhost", *port));
  auto rtt = host->TcpRtt("127.0.0.1", *port, 5);
  ASSERT_TRUE(rtt) << rtt.error().message;
  EXPECT_EQ(rtt->tries, 5);
  EXPECT_GT(rtt->median_ms, 0);
  EXPECT_LE(rtt->min_ms, rtt->median_ms);
  EXPECT_LE(rtt->median_ms, rtt->max_ms);
  close(fd);
  auto refused = host->TcpRtt("127.0.0.1", *port, 3);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("Connection refused"), std::string::npos);
  EXPECT_FALSE(host->FreePort("192.0.2.250")) << "not an address of this machine";
}

// Its stdin closing is how a controller ends it, and how a dropped connection looks from there.
TEST(Agent, StopsEverythingItStartedWhenItsStdinCloses) {
  auto host = LocalAgent();
  ASSERT_TRUE(host);
  RemoteSpawn sleeper;
  sleeper.argv = {"sleep", "300"};
  RemoteSpawn daemon;  // leaves its parent's tree at once
  daemon.argv = {"sh", "-c", "(setsid sleep 301 &); exec sleep 302"};
  ASSERT_TRUE(host->Spawn(sleeper));
  ASSERT_TRUE(host->Spawn(daemon));
  std::this_thread::sleep_for(300ms);
  auto started = Descendants(host->agent_pid());
  ASSERT_GE(started.size(), 5u) << Describe(started);  // 2 supervisors, 3 sleeps
  EXPECT_TRUE(host->Close());
  auto left = StillRunning(started);
  EXPECT_TRUE(left.empty()) << "still running once the agent said bye:" << Describe(left);
  KillStillRunning(left);
}

TEST(Agent, StopsEverythingOnSigterm) {
  auto host = LocalAgent();
  ASSERT_TRUE(host);
  RemoteSpawn sleeper;
  sleeper.argv = {"sleep", "300"};
  ASSERT_TRUE(host->Spawn(sleeper));
  auto started = Descendants(host->agent_pid());
  kill(host->agent_pid(), SIGTERM);
  EXPECT_TRUE(AllGone(Pids(started), 10s)) << Describe(StillRunning(started));
  auto deadline = Clock::now() + 10s;
  while (host->Health() && Clock::now() < deadline) std::this_thread::sleep_for(20ms);
  Status health = host->Health();
  ASSERT_FALSE(health);
  EXPECT_EQ(health.error().message,
            "host here: the connection to the agent was lost: the agent ended: signal 15");
  KillStillRunning(started);
}

// Even SIGKILLed, the agent takes its processes along: their supervisors die with it.
TEST(Agent, ItsProcessesDieWithItEvenKilled) {
  auto host = LocalAgent();
  ASSERT_TRUE(host);
  RemoteSpawn sleeper;
  sleeper.argv = {"sleep", "300"};
  ASSERT_TRUE(host->Spawn(sleeper));
  auto started = Descendants(host->agent_pid());
  kill(host->agent_pid(), SIGKILL);
  EXPECT_TRUE(AllGone(Pids(started), 10s)) << Describe(StillRunning(started));
  auto ping = host->Running(1);
  ASSERT_FALSE(ping);
  EXPECT_TRUE(ping.error().message.starts_with("host here: the connection to the agent was lost: "))
      << ping.error().message;
  KillStillRunning(started);
  fs::remove_all(host->workdir());  // the one thing a SIGKILLed agent cannot take along
}

// A controller that falls silent (its connection died without a word) leaves nothing running
// longer than the lease.
TEST(Agent, EndsWhenTheControllerFallsSilentForItsLease) {
  RawAgent agent;
  ASSERT_EQ(agent.Ask(Hello(1, Commit(), 500))["ok"], true);
  Json spawned = agent.Ask(R"({"id": 2, "op": "spawn", "argv": ["sleep", "300"]})");
  ASSERT_EQ(spawned["ok"], true) << spawned;
  const pid_t pid = spawned["pid"];
  Json bye = Json::parse(agent.Receive(10s), nullptr, false);
  EXPECT_EQ(bye["bye"], true) << bye;
  EXPECT_TRUE(bye["reason"].get<std::string>().starts_with("no word from the controller for "))
      << bye;
  EXPECT_EQ(bye["stopped"], 1);
  EXPECT_FALSE(ProcessAlive(pid));
}

// The embedded Postgres as a host of its own runs it: on a given address (here loopback, the
// only one a test without namespaces may use), scram with the run's password, which goes nowhere.
TEST(Agent, PostgresWithAPasswordThatGoesNowhere) {
  auto host = LocalAgent();
  ASSERT_TRUE(host);
  const std::string password = "pw" + std::to_string(getpid()) + "x7Qz";
  RemoteClusterOptions options;
  options.listen = "0.0.0.0";
  options.clients = {"127.0.0.1"};
  options.password = password;
  auto wildcard = host->ClusterUp(options);
  ASSERT_FALSE(wildcard);
  EXPECT_NE(wildcard.error().message.find("must not listen on every interface"), std::string::npos);
  options.listen = "127.0.0.1";
  options.clients = {};
  EXPECT_FALSE(host->ClusterUp(options)) << "a password needs clients to admit";
  options.clients = {"127.0.0.1"};
  auto cluster = host->ClusterUp(options);
  ASSERT_TRUE(cluster) << cluster.error().message;
  EXPECT_EQ(cluster->dsn,
            "postgres://postgres@127.0.0.1:" + std::to_string(cluster->port) + "/benchmark");
  EXPECT_TRUE(ProcessAlive(cluster->postmaster_pid));
  const std::string with = "postgres://postgres:" + password +
                           "@127.0.0.1:" + std::to_string(cluster->port) +
                           "/benchmark?connect_timeout=5";
  EXPECT_TRUE(CheckSeed(with));
  EXPECT_FALSE(CheckSeed(cluster->dsn + "?connect_timeout=5")) << "no password, no entry";
  EXPECT_FALSE(CheckSeed("postgres://postgres:wrong@127.0.0.1:" + std::to_string(cluster->port) +
                         "/benchmark?connect_timeout=5"));
  for (const auto& entry : fs::recursive_directory_iterator(cluster->directory)) {
    if (!entry.is_regular_file()) continue;
    auto text = ReadFile(entry.path());
    EXPECT_EQ(text ? text->find(password) : std::string::npos, std::string::npos)
        << "the password is in " << entry.path();
  }
  EXPECT_FALSE(fs::exists(fs::path(cluster->directory) / "pwfile"));
  EXPECT_TRUE(host->ClusterDown());
  EXPECT_FALSE(ProcessAlive(cluster->postmaster_pid));
  EXPECT_FALSE(fs::exists(cluster->directory));
  EXPECT_EQ(ReadFile(host->log())->find(password), std::string::npos);
}

}  // namespace
}  // namespace harness
