#include "sampling/sampler.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <optional>
#include <sstream>
#include <thread>

#include "util/files.h"
#include "util/proc.h"
#include "util/process.h"
#include "util/supervisor.h"

namespace harness {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

Process SpawnShell(const std::string& command) {
  SpawnOptions options;
  options.argv = ShellCommand(command);
  auto process = Process::Spawn(options);
  EXPECT_TRUE(process.ok()) << process.error().message;
  return std::move(process).value();
}

// The share of a core a single-threaded process has run since construction,
// from the scheduler's nanosecond counter: a second opinion independent of the
// clock ticks the sampler reads.
class SchedulerShare {
 public:
  explicit SchedulerShare(pid_t pid) : pid_(pid), ran_(RunSeconds(pid)) {}
  std::optional<double> Pct() const {
    auto ran = RunSeconds(pid_);
    double wall = std::chrono::duration<double>(Clock::now() - start_).count();
    if (!ran || !ran_) return std::nullopt;
    return 100 * (*ran - *ran_) / wall;
  }

 private:
  static std::optional<double> RunSeconds(pid_t pid) {
    std::string text;
    long long ns = 0;
    if (!ReadProcFile(pid, "schedstat", text) || std::sscanf(text.c_str(), "%lld", &ns) != 1) {
      return std::nullopt;
    }
    return ns / 1e9;
  }

  pid_t pid_;
  Clock::time_point start_ = Clock::now();
  std::optional<double> ran_;
};

// A busy loop gets a full core on an idle machine but much less on a shared,
// oversubscribed one, so the sampler is held to what the scheduler says the
// loop got rather than to a fixed share.
void ExpectBusyLoop(const Usage& usage, std::optional<double> scheduler_pct) {
  if (scheduler_pct) {
    EXPECT_GT(*scheduler_pct, 2.0) << "the loop barely ran";
    // Ticks truncate each reading by up to 1/100 s: 3% of a 300 ms window.
    EXPECT_NEAR(usage.cpu_avg_pct, *scheduler_pct, std::max(5.0, *scheduler_pct / 5));
  } else {
    EXPECT_GT(usage.cpu_avg_pct, 50.0);  // no schedstat: assume a free core
  }
}

// Sanity checks on a real busy loop and a real sleep, not timings of our own
// speed.
TEST(SamplerTest, MeasuresABusyAndAnIdleTree) {
  Process burner = SpawnShell("while :; do :; done");
  Process idle = SpawnShell("sleep 5");
  Sampler sampler({{"burner", burner.pid()}, {"idle", idle.pid()}}, milliseconds(50));
  SchedulerShare share(burner.pid());
  sampler.Start();
  std::this_thread::sleep_for(milliseconds(600));
  sampler.Stop();
  auto scheduler_pct = share.Pct();

  Usage busy = sampler.Summary("burner");
  ExpectBusyLoop(busy, scheduler_pct);
  EXPECT_GE(busy.cpu_peak_pct, busy.cpu_avg_pct);
  EXPECT_NEAR(busy.cpu_seconds, 0.6 * busy.cpu_avg_pct / 100, 0.1);
  EXPECT_GT(busy.rss_peak_mib, 0.0);
  EXPECT_GT(busy.anon_peak_mib, 0.0);
  EXPECT_LT(busy.anon_peak_mib, busy.rss_peak_mib) << "a shell maps libc, which is not anonymous";
  EXPECT_GE(busy.samples, 8);

  Usage quiet = sampler.Summary("idle");
  EXPECT_LT(quiet.cpu_avg_pct, 10.0);
  EXPECT_GT(quiet.rss_peak_mib, 0.0);
  EXPECT_EQ(quiet.samples, busy.samples);

  EXPECT_TRUE(burner.Stop(milliseconds(2000)));
  EXPECT_TRUE(idle.Stop(milliseconds(2000)));
}

TEST(SamplerTest, AShortMeasurementStillHasAnAverage) {
  Process burner = SpawnShell("while :; do :; done");
  std::this_thread::sleep_for(milliseconds(50));  // let the shell start
  Sampler sampler({{"burner", burner.pid()}}, milliseconds(10'000));
  SchedulerShare share(burner.pid());
  sampler.Start();
  std::this_thread::sleep_for(milliseconds(300));
  auto before_stop = Clock::now();
  sampler.Stop();
  // Stop wakes the thread instead of waiting out the 10 s interval.
  EXPECT_LT(Clock::now() - before_stop, milliseconds(500));
  auto scheduler_pct = share.Pct();

  Usage usage = sampler.Summary("burner");
  EXPECT_EQ(usage.samples, 2);
  ExpectBusyLoop(usage, scheduler_pct);
  EXPECT_EQ(usage.cpu_peak_pct, usage.cpu_avg_pct);
  EXPECT_TRUE(burner.Stop(milliseconds(2000)));
}

TEST(SamplerTest, SkipsGroupsWithoutAProcessAndUnknownNames) {
  Process idle = SpawnShell("sleep 5");
  Sampler sampler({{"idle", idle.pid()}, {"oha", 0}, {"postgres", -1}}, milliseconds(20));
  sampler.Start();
  std::this_thread::sleep_for(milliseconds(70));
  sampler.Stop();
  sampler.Stop();  // idempotent

  EXPECT_EQ(sampler.Summary("oha").samples, 0);
  EXPECT_EQ(sampler.Summary("nope").samples, 0);
  std::string csv = sampler.Csv();
  EXPECT_EQ(csv.find("oha"), std::string::npos);
  EXPECT_EQ(csv.find("postgres"), std::string::npos);
  EXPECT_TRUE(idle.Stop(milliseconds(2000)));
}

TEST(SamplerTest, WritesARowPerGroupPerSample) {
  Process a = SpawnShell("sleep 5");
  Process b = SpawnShell("sleep 5 & sleep 5 & wait");
  std::this_thread::sleep_for(milliseconds(50));  // let the shell fork
  Sampler sampler({{"a", a.pid()}, {"b", b.pid()}}, milliseconds(20));
  sampler.Start();
  std::this_thread::sleep_for(milliseconds(100));
  sampler.Stop();

  std::istringstream csv(sampler.Csv());
  std::string line;
  std::getline(csv, line);
  EXPECT_EQ(line, "t_s,group,cpu_pct,rss_mib,processes");
  std::getline(csv, line);
  EXPECT_TRUE(line.starts_with("0.000,a,,")) << line;  // the baseline
  std::getline(csv, line);
  EXPECT_TRUE(line.starts_with("0.000,b,,")) << line;
  EXPECT_TRUE(line.ends_with(",3")) << line;
  std::getline(csv, line);
  EXPECT_EQ(line, "0.000,machine,,0.0,0");
  int rows = 3;
  while (std::getline(csv, line)) ++rows;
  EXPECT_EQ(rows, 3 * sampler.Summary("a").samples);

  EXPECT_TRUE(a.Stop(milliseconds(2000)));
  EXPECT_TRUE(b.Stop(milliseconds(2000)));
}

// The whole machine's busy CPU, from /proc/stat, in the same unit as a group's: at least what the
// watched busy loop took, at most every core.
TEST(SamplerTest, TheMachineIsAtLeastAsBusyAsWhatItRuns) {
  Process spin = SpawnShell("while :; do :; done");
  Sampler sampler({{"spin", spin.pid()}}, milliseconds(20));
  sampler.Start();
  std::this_thread::sleep_for(milliseconds(400));
  sampler.Stop();
  Usage spin_usage = sampler.Summary("spin");
  Usage machine = sampler.Machine();
  EXPECT_GT(spin_usage.cpu_seconds, 0);  // however busy the machine is with other work
  // Ticks are 10 ms, read at slightly different instants for the process and the machine.
  EXPECT_GE(machine.cpu_avg_pct, spin_usage.cpu_avg_pct - 10);
  EXPECT_LE(machine.cpu_avg_pct, 100.0 * std::thread::hardware_concurrency() + 5);
  EXPECT_GE(machine.cpu_seconds, spin_usage.cpu_seconds - 0.05);
  EXPECT_EQ(machine.samples, spin_usage.samples);
  EXPECT_TRUE(spin.Stop(milliseconds(2000)));
}

// A process that joins a watched tree after the first sample is counted: that is how a Postgres
// backend forked by a new connection during a measurement shows.
TEST(SamplerTest, CountsProcessesThatJoinTheTreeAfterTheFirstSample) {
  Process shell = SpawnShell("sleep 0.2; sleep 2 & sleep 2 & wait");
  Sampler sampler({{"shell", shell.pid()}}, milliseconds(20));
  sampler.Start();
  std::this_thread::sleep_for(milliseconds(500));
  sampler.Stop();
  // The first sleep was there from the start; the two later ones joined.
  EXPECT_GE(sampler.Summary("shell").processes_started, 2);
  EXPECT_TRUE(shell.Stop(milliseconds(2000)));

  Process steady = SpawnShell("sleep 5");
  std::this_thread::sleep_for(milliseconds(50));  // let the shell fork, if it does
  Sampler quiet({{"steady", steady.pid()}}, milliseconds(20));
  quiet.Start();
  std::this_thread::sleep_for(milliseconds(100));
  quiet.Stop();
  EXPECT_EQ(quiet.Summary("steady").processes_started, 0);
  EXPECT_TRUE(steady.Stop(milliseconds(2000)));
}

// A daemon the command started counts (it is in the supervisor's tree), the supervisor itself
// does not: its memory is the harness's binary, not the server's.
TEST(SamplerTest, ASupervisedTreeCountsItsDaemonButNotTheSupervisor) {
  Process command = SpawnShell("(setsid sh -c 'while :; do :; done' &); exec sleep 30");
  const pid_t supervisor = SupervisorOf(command.pid());
  ASSERT_GT(supervisor, 0);
  pid_t daemon = 0;
  for (int i = 0; i < 500 && daemon == 0; ++i) {
    std::this_thread::sleep_for(milliseconds(10));
    for (const ProcStat& p : ReadAllProcesses()) {
      if (p.ppid == supervisor && p.pid != command.pid() && p.comm == "sh") daemon = p.pid;
    }
  }
  ASSERT_NE(daemon, 0) << "no daemon re-parented to the supervisor";

  Sampler sampler({{"server", command.pid()}}, milliseconds(50));
  SchedulerShare share(daemon);
  sampler.Start();
  std::this_thread::sleep_for(milliseconds(600));
  sampler.Stop();
  ExpectBusyLoop(sampler.Summary("server"), share.Pct());
  std::string csv = sampler.Csv();
  std::string last_server_row = csv.substr(csv.rfind(",server,"));
  EXPECT_TRUE(last_server_row.starts_with(",server,") &&
              last_server_row.substr(0, last_server_row.find('\n')).ends_with(",2"))
      << "sleep and the daemon, not the supervisor:\n"
      << csv;

  long long tree_kib = ReadVmRssKib(command.pid()).value_or(0) + ReadVmRssKib(daemon).value_or(0);
  long long supervisor_kib = ReadVmRssKib(supervisor).value_or(0);
  ASSERT_GT(supervisor_kib, 1024) << "a supervisor too small to tell";
  EXPECT_NEAR(TreeRssMib(command.pid()), tree_kib / 1024.0, 0.5);
  EXPECT_TRUE(command.Stop(milliseconds(2000)));
  EXPECT_FALSE(ProcessAlive(daemon));
}

TEST(SamplerTest, StoppingWithoutStartingIsHarmless) {
  Sampler sampler({{"self", getpid()}}, milliseconds(100));
  sampler.Stop();
  EXPECT_EQ(sampler.Summary("self").samples, 0);
  EXPECT_EQ(sampler.Csv(), "t_s,group,cpu_pct,rss_mib,processes\n");
}

}  // namespace
}  // namespace harness
