#include "sampling/proc_table.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "util/process.h"

namespace harness {
namespace {

using std::chrono::milliseconds;

Process SpawnShell(const std::string& command) {
  SpawnOptions options;
  options.argv = ShellCommand(command);
  options.lifetime = SpawnOptions::Lifetime::kUnsupervised;  // the tests read the shell itself
  auto process = Process::Spawn(options);
  EXPECT_TRUE(process.ok()) << process.error().message;
  return std::move(process).value();
}

unsigned long long Ticks(const ProcStat* p) { return p ? p->utime + p->stime : 0; }

TEST(ProcTableTest, ListsProcessesWithTheirMemory) {
  ProcTable table;
  table.Refresh({});
  const ProcStat* self = table.Find(getpid());
  ASSERT_NE(self, nullptr);
  EXPECT_EQ(self->ppid, getppid());
  EXPECT_GT(table.Resident(getpid()).rss, 0);
  EXPECT_EQ(table.Find(-5), nullptr);
  EXPECT_EQ(table.Resident(-5).rss, 0);
}

TEST(ProcTableTest, RereadsOnlyWatchedProcesses) {
  Process watched = SpawnShell("while :; do :; done");
  Process other = SpawnShell("while :; do :; done");
  ProcTable table;
  table.Refresh({});
  unsigned long long watched_before = Ticks(table.Find(watched.pid()));
  unsigned long long other_before = Ticks(table.Find(other.pid()));
  std::this_thread::sleep_for(milliseconds(300));
  for (int i = 0; i < 2; ++i) table.Refresh({watched.pid()});  // via a kept file, too

  EXPECT_GT(Ticks(table.Find(watched.pid())), watched_before);
  EXPECT_EQ(Ticks(table.Find(other.pid())), other_before);  // as first read
  EXPECT_GT(table.Resident(watched.pid()).rss, 0);
  EXPECT_TRUE(watched.Stop(milliseconds(2000)));
  EXPECT_TRUE(other.Stop(milliseconds(2000)));
}

TEST(ProcTableTest, FindsProcessesStartedSinceTheLastRefresh) {
  ProcTable table;
  table.Refresh({});
  table.Refresh({});  // a refresh with nothing new to list
  Process shell = SpawnShell("sleep 5");
  table.Refresh({});
  const ProcStat* found = table.Find(shell.pid());
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(found->ppid, getpid());
  EXPECT_EQ(found->pgrp, shell.pid());
  EXPECT_TRUE(shell.Stop(milliseconds(2000)));
}

TEST(ProcTableTest, ForgetsProcessesThatAreGone) {
  Process shell = SpawnShell("sleep 5");
  ProcTable table;
  table.Refresh({shell.pid()});
  table.Resident(shell.pid());  // keeps its statm open
  ASSERT_NE(table.Find(shell.pid()), nullptr);
  EXPECT_TRUE(shell.Stop(milliseconds(2000)));
  table.Refresh({shell.pid()});
  EXPECT_EQ(table.Find(shell.pid()), nullptr);
  EXPECT_EQ(table.Resident(shell.pid()).rss, 0);
}

}  // namespace
}  // namespace harness
