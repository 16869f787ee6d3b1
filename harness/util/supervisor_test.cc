// The supervisor with real processes (Process::Spawn supervises by default): a daemon that
// leaves the command's tree is re-parented to the supervisor and stopped with the command, the
// command's own stop signal reaches the tree, and the command's exit code comes through.
#include "util/supervisor.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <thread>

#include "testing/cli.h"
#include "testing/live.h"
#include "util/files.h"
#include "util/proc.h"
#include "util/process.h"

namespace harness {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

std::string Text(const fs::path& file) {
  auto text = ReadFile(file);
  return text ? *text : "";
}

Process Spawn(const std::string& command, int stop_signal = SIGTERM, const fs::path& output = {}) {
  SpawnOptions options;
  options.argv = ShellCommand(command);
  options.stop_signal = stop_signal;
  options.output = output;
  auto process = Process::Spawn(options);
  EXPECT_TRUE(process.ok()) << process.error().message;
  return std::move(process).value();
}

// The live process whose command line is `cmdline`, once it has appeared (within 5 s).
std::optional<ProcInfo> WaitForProcess(const std::string& cmdline) {
  for (auto deadline = Clock::now() + 5s; Clock::now() < deadline;) {
    for (const ProcInfo& p : ProcessTable()) {
      if (p.cmdline == cmdline) return p;
    }
    std::this_thread::sleep_for(10ms);
  }
  return std::nullopt;
}

TEST(Supervisor, IsTheCommandsParentAndOurChild) {
  Process p = Spawn("exec sleep 30");
  const pid_t supervisor = SupervisorOf(p.pid());
  ASSERT_GT(supervisor, 0);
  auto stat = ReadProcStat(supervisor);
  ASSERT_TRUE(stat);
  EXPECT_EQ(stat->ppid, getpid());
  EXPECT_EQ(SupervisorOf(getpid()), 0);
  EXPECT_TRUE(p.Stop(2s));
  EXPECT_FALSE(ProcessAlive(supervisor)) << "Stop() returns once the supervisor has gone";
}

TEST(Supervisor, ADaemonIsReparentedToItAndStoppedWithTheCommand) {
  Process p = Spawn("(setsid sleep 4243 &); exec sleep 30");
  auto daemon = WaitForProcess("sleep 4243");
  ASSERT_TRUE(daemon) << "the daemon never started";
  // Its subshell exits at once: then its parent is the nearest subreaper.
  const pid_t supervisor = SupervisorOf(p.pid());
  bool reparented = false;
  for (auto deadline = Clock::now() + 5s; !reparented && Clock::now() < deadline;) {
    auto stat = ReadProcStat(daemon->pid);
    reparented = stat && stat->ppid == supervisor;
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_TRUE(reparented) << "the daemon was not re-parented to the supervisor";
  EXPECT_TRUE(p.Stop(2s));
  EXPECT_TRUE(StillRunning({*daemon}).empty()) << "the daemon outlived Stop()";
  KillStillRunning({*daemon});
}

TEST(Supervisor, WhatTheCommandLeavesIsStoppedWhenItExits) {
  Process p = Spawn("(setsid sleep 4244 &); sleep 0.3; exit 3");
  auto daemon = WaitForProcess("sleep 4244");
  ASSERT_TRUE(daemon) << "the daemon never started";
  ASSERT_TRUE(p.Wait(10s));
  EXPECT_EQ(p.exit_code(), 3);
  EXPECT_TRUE(StillRunning({*daemon}).empty()) << "the daemon outlived its command";
  KillStillRunning({*daemon});
}

TEST(Supervisor, StopsTheTreeWithTheCommandsStopSignal) {
  fs::path dir = TempDir("supervisor");
  Process p = Spawn(
      "trap 'echo INT; exit 0' INT; trap 'echo TERM; exit 1' TERM; echo ready; "
      "while :; do sleep 0.05; done",
      SIGINT, dir / "out");
  for (auto deadline = Clock::now() + 5s; Text(dir / "out") != "ready\n";) {
    ASSERT_LT(Clock::now(), deadline) << "the shell never started";
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_TRUE(p.Stop(2s));
  EXPECT_EQ(p.exit_code(), 0);
  EXPECT_EQ(Text(dir / "out"), "ready\nINT\n");
  fs::remove_all(dir);
}

TEST(Supervisor, KillsWhatIgnoresTheStopSignalAfterTheGracePeriod) {
  Process p = Spawn("trap '' TERM; while :; do sleep 0.05; done");
  std::this_thread::sleep_for(100ms);
  auto start = Clock::now();
  EXPECT_TRUE(p.Stop(300ms));
  EXPECT_GE(Clock::now() - start, 300ms);
  EXPECT_EQ(p.exit_code(), 128 + SIGKILL);
}

// The harness blocks SIGINT, SIGTERM and SIGHUP and the supervisor blocks and ignores more: none
// of it may reach the command. (glibc's posix_spawn ignores its own two internal real-time
// signals in the child, which the child's libc sets up again: only signals 1 to 31 are checked.)
TEST(Supervisor, TheCommandGetsDefaultSignalsAndAnEmptyMask) {
  fs::path dir = TempDir("supervisor");
  SpawnOptions options;
  options.argv = {"grep", "-E", "^Sig(Blk|Ign)", "/proc/self/status"};
  options.output = dir / "status";
  auto p = Process::Spawn(options);
  ASSERT_TRUE(p) << p.error().message;
  ASSERT_TRUE(p->Wait(5s));
  std::string status = Text(dir / "status");
  unsigned long long blocked = ~0ULL, ignored = ~0ULL;
  ASSERT_EQ(std::sscanf(status.c_str(), "SigBlk: %llx SigIgn: %llx", &blocked, &ignored), 2)
      << status;
  EXPECT_EQ(blocked, 0u) << status;
  EXPECT_EQ(ignored & 0x7fffffffu, 0u) << status;
  fs::remove_all(dir);
}

TEST(Supervisor, ACommandThatCannotRunIsAnError) {
  SpawnOptions options;
  options.argv = {"no-such-program-4245"};
  auto p = Process::Spawn(options);
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().message, "cannot run 'no-such-program-4245': No such file or directory");
}

}  // namespace
}  // namespace harness
