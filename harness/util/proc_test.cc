#include "util/proc.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <string>
#include <thread>

#include "util/files.h"
#include "util/process.h"

namespace harness {
namespace {

using std::chrono::milliseconds;

// A real line from a busy process, with the command name made awkward.
constexpr std::string_view kStat =
    "4242 (my (weird) name) R 4200 4100 4100 0 -1 4194560 1238 22296 0 4 "
    "150 30 7 2 20 0 3 0 109471 5124096 940 18446744073709551615 0 0 0 0 0 "
    "0 65536 4 1132560123 1 0 0 17 0 0 0 0 0 0\n";

TEST(ProcStatTest, ParsesFromTheLastParenthesis) {
  auto stat = ParseProcStat(kStat);
  ASSERT_TRUE(stat);
  EXPECT_EQ(stat->pid, 4242);
  EXPECT_EQ(stat->ppid, 4200);
  EXPECT_EQ(stat->pgrp, 4100);
  EXPECT_EQ(stat->state, 'R');
  EXPECT_EQ(stat->utime, 150u);
  EXPECT_EQ(stat->stime, 30u);
  EXPECT_EQ(stat->cutime, 7u);
  EXPECT_EQ(stat->cstime, 2u);
  EXPECT_EQ(stat->start_time, 109471u);
  EXPECT_EQ(stat->comm, "my (weird) name");
}

TEST(ProcStatTest, ParsesAZombie) {
  auto stat = ParseProcStat(
      "77 (sh) Z 76 76 76 0 -1 4227084 5 0 0 0 3 1 0 0 20 0 1 0 5000 0 0 "
      "18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n");
  ASSERT_TRUE(stat);
  EXPECT_EQ(stat->state, 'Z');
  EXPECT_EQ(stat->utime + stat->stime, 4u);
}

TEST(ProcStatTest, ParsesACommandNameWithSpacesOnly) {
  auto stat = ParseProcStat("9 (a b  c) S 1 9 9 0 -1 0 0 0 0 0 1 2 3 4 20 0 1 0 77\n");
  ASSERT_TRUE(stat);
  EXPECT_EQ(stat->pid, 9);
  EXPECT_EQ(stat->comm, "a b  c");
  EXPECT_EQ(stat->cstime, 4u);
  EXPECT_EQ(stat->start_time, 77u);
}

TEST(ProcStatTest, RejectsMalformedText) {
  for (std::string_view bad :
       {"", "12", "12 (x", "x (sh) S 1 1 1 0 -1 0 0 0 0 0 1 2 3 4 20 0 1 0 7",
        "12 (sh) S 1 1 1 0 -1 0 0 0 0 0 1 2 3 4 20 0 1 0",
        "12 (sh) S 1 1 1 0 -1 0 0 0 0 0 1 x 3 4 20 0 1 0 7",
        "12 (sh) S 1 1 1 0 -1 0 0 0 0 0 1 2 3 4 20 0 1 0 x"}) {
    EXPECT_FALSE(ParseProcStat(bad)) << bad;
  }
}

TEST(ProcStatusTest, ParsesVmRss) {
  EXPECT_EQ(ParseVmRssKib("Name:\tpostgres\nVmHWM:\t   20000 kB\n"
                          "VmRSS:\t   12345 kB\nRssAnon:\t 100 kB\n"),
            12345);
  EXPECT_EQ(ParseVmRssKib("VmRSS:\t 8 kB\n"), 8);
}

TEST(ProcStatusTest, MissingVmRssIsEmpty) {
  // Kernel threads and zombies have no memory lines at all.
  EXPECT_FALSE(ParseVmRssKib("Name:\tkworker/0:1\nState:\tI (idle)\n"));
  EXPECT_FALSE(ParseVmRssKib("Name:\tsh\nState:\tZ (zombie)\nThreads:\t1\n"));
  EXPECT_FALSE(ParseVmRssKib("Name:\tx\nVmRSS:\tlots\n"));
}

TEST(ProcStatmTest, ParsesResidentAndAnonymousPages) {
  auto m = ParseStatm("5000 1200 300 100 0 900 0\n", 4096);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->rss, 4800);
  EXPECT_EQ(m->anon, 3600);
  auto zombie = ParseStatm("0 0 0 0 0 0 0\n", 4096);
  ASSERT_TRUE(zombie);
  EXPECT_EQ(zombie->rss, 0);
  EXPECT_FALSE(ParseStatm("", 4096));
  EXPECT_FALSE(ParseStatm("5000\n", 4096));
  EXPECT_FALSE(ParseStatm("5000 1200\n", 4096));
  EXPECT_FALSE(ParseStatm("5000 1200 1300 0 0 0 0\n", 4096)) << "more shared than resident";
}

// The same figures as VmRSS and RssAnon of /proc/<pid>/status.
TEST(ProcStatmTest, AgreesWithStatus) {
  std::string statm, status;
  ASSERT_TRUE(ReadProcFile(getpid(), "statm", statm));
  ASSERT_TRUE(ReadProcFile(getpid(), "status", status));
  auto m = ParseStatm(statm, sysconf(_SC_PAGESIZE));
  ASSERT_TRUE(m);
  auto field = [&](const char* name) {
    auto at = status.find(name);
    return at == std::string::npos ? -1 : std::stoll(status.substr(at + std::strlen(name)));
  };
  // Both are read a moment apart; the test process does not grow in between by more than this.
  EXPECT_NEAR(m->rss, field("VmRSS:"), 256);
  EXPECT_NEAR(m->anon, field("RssAnon:"), 256);
}

TEST(LoadavgTest, ParsesTheLastPid) {
  EXPECT_EQ(ParseLoadavgLastPid("0.49 4.14 6.35 1/234 19138\n"), 19138);
  EXPECT_FALSE(ParseLoadavgLastPid("0.49 4.14 6.35 1/234\n"));
  EXPECT_FALSE(ParseLoadavgLastPid("0.49 4.14 6.35 1/234 19138 7\n"));
}

TEST(CpuTimesTest, BusyLeavesOutIdleAndIowait) {
  // user nice system idle iowait irq softirq steal guest guest_nice
  auto t = ParseCpuTimes(
      "cpu  100 2 30 5000 40 5 6 7 50 0\ncpu0 50 1 15 2500 20 2 3 3 25 0\nintr 12345 0\n");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->busy, 100u + 2 + 30 + 5 + 6 + 7);  // guest is inside user already
  EXPECT_EQ(t->total, t->busy + 5000 + 40);
  EXPECT_FALSE(ParseCpuTimes("cpu0 1 2 3 4 5 6 7 8\n"));  // a core, not the machine
  EXPECT_FALSE(ParseCpuTimes("cpu  1 2 3\n"));
  ASSERT_TRUE(ReadFile("/proc/stat"));
  EXPECT_TRUE(ParseCpuTimes(*ReadFile("/proc/stat")));
}

ProcStat P(pid_t pid, pid_t ppid, pid_t pgrp) {
  ProcStat p;
  p.pid = pid;
  p.ppid = ppid;
  p.pgrp = pgrp;
  return p;
}

std::vector<pid_t> Sorted(std::vector<pid_t> pids) {
  std::sort(pids.begin(), pids.end());
  return pids;
}

TEST(ProcessTreeTest, FindsDescendantsAndGroupMembers) {
  std::vector<ProcStat> all = {
      P(1, 0, 1),    P(10, 1, 10),   // the root
      P(11, 10, 10), P(12, 11, 10),  // a child and grandchild
      P(13, 1, 10),                  // re-parented to init, same group
      P(14, 13, 14),                 // its child in a group of its own
      P(15, 12, 15),                 // a grandchild's child, other group
      P(16, 1, 15),                  // re-parented to init from that group
      P(20, 1, 20),  P(21, 20, 20),  // unrelated
  };
  EXPECT_EQ(Sorted(ProcessTree(10, all)), (std::vector<pid_t>{10, 11, 12, 13, 14, 15, 16}));
  EXPECT_EQ(ProcessTree(10, all).front(), 10);
}

TEST(ProcessTreeTest, ListsEachPidOnce) {
  // Every member is both a descendant and in the root's group.
  std::vector<ProcStat> all = {P(10, 1, 10), P(11, 10, 10), P(12, 11, 10), P(13, 10, 10)};
  EXPECT_EQ(Sorted(ProcessTree(10, all)), (std::vector<pid_t>{10, 11, 12, 13}));
}

TEST(ProcessTreeTest, GoneRootIsEmpty) {
  std::vector<ProcStat> all = {P(11, 1, 10), P(12, 11, 10)};
  EXPECT_TRUE(ProcessTree(10, all).empty());
  EXPECT_TRUE(ProcessTree(10, {}).empty());
}

TEST(ProcessTreeTest, FindsALiveShellAndItsChildren) {
  SpawnOptions options;
  options.argv = ShellCommand("sleep 5 & sleep 5 & wait");
  auto shell = Process::Spawn(options);
  ASSERT_TRUE(shell.ok()) << shell.error().message;
  std::vector<pid_t> tree;
  for (int i = 0; i < 200 && tree.size() < 3; ++i) {
    std::this_thread::sleep_for(milliseconds(10));
    tree = ProcessTree(shell->pid(), ReadAllProcesses());
  }
  EXPECT_EQ(tree.size(), 3u);
  EXPECT_EQ(tree.front(), shell->pid());
  EXPECT_TRUE(shell->Stop(milliseconds(2000)));
  EXPECT_TRUE(ProcessTree(shell->pid(), ReadAllProcesses()).empty());
}

TEST(ProcessTreeTest, ReadsOurOwnProcess) {
  auto all = ReadAllProcesses();
  auto self =
      std::find_if(all.begin(), all.end(), [](const ProcStat& p) { return p.pid == getpid(); });
  ASSERT_NE(self, all.end());
  EXPECT_EQ(self->ppid, getppid());
  EXPECT_GT(ReadVmRssKib(getpid()).value_or(0), 0);
}

}  // namespace
}  // namespace harness
