// What the harness starts lives no longer than the harness, and what a server starts is the
// server's (util/supervisor.h), end to end: a harness killed with SIGKILL mid-measurement leaves
// no process behind, and a server that daemonizes a process gets it stopped with it and its CPU
// counted as its own. Profiles in tests/faults/; cpp-beast must be built.
#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>
#include <sstream>
#include <thread>

#include "postgres/cluster.h"
#include "results/results.h"
#include "testing/live.h"
#include "util/files.h"

namespace harness {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

const std::string kFaults = std::string(PROJECT_SOURCE_DIR) + "/tests/faults/";

// Every live process whose command line contains `marker`, wherever it has gone.
std::vector<ProcInfo> Marked(const std::string& marker) {
  std::vector<ProcInfo> found;
  for (const ProcInfo& p : ProcessTable()) {
    if (p.cmdline.find(marker) != std::string::npos) found.push_back(p);
  }
  return found;
}

// The OOM killer or a CI job's timeout: no chance to clean up. The supervisors stop everything
// all the same; only the cluster directory stays, for the next run to remove.
TEST(LifetimeEndToEnd, NothingOutlivesAHarnessKilledMidMeasurement) {
  OutputDir out;
  auto h =
      LiveHarness::Start({"run", kFaults + "long-load.yaml", "--no-build", "--output", out.str()});
  ASSERT_TRUE(h);
  ASSERT_TRUE(h->WaitForOutput("cpp-beast / long #1: running", 60s)) << h->Output();
  // What must go: the server, oha and Postgres, all seen running.
  for (const auto& match : {Named("oha"), Named("cpp-beast"), std::function(IsPostmaster)}) {
    ASSERT_TRUE(WaitForDescendant(*h, match, 5s)) << h->Output();
  }
  std::this_thread::sleep_for(500ms);
  h->Observe();
  h->Signal(SIGKILL);
  ASSERT_TRUE(h->WaitExit(5s));

  std::vector<ProcInfo> left = StillRunning(h->Seen());
  for (auto deadline = Clock::now() + 5s; !left.empty() && Clock::now() < deadline;) {
    std::this_thread::sleep_for(50ms);
    left = StillRunning(h->Seen());
  }
  EXPECT_TRUE(left.empty()) << "still running 5 s after the harness was killed:" << Describe(left);
  KillStillRunning(left);

  auto dirs = ClustersOwnedBy(h->pid());
  ASSERT_EQ(dirs.size(), 1u) << "the cluster directory stays for the next run";
  EXPECT_GE(CleanStaleClusters(), 1);
  EXPECT_FALSE(fs::exists(dirs[0]));
}

// The run line of the report that found it: the daemon leaves the server's group and, once its
// subshell exits, its tree; nothing may be left of it after the run.
TEST(LifetimeEndToEnd, ADaemonIsStoppedWithItsServer) {
  ASSERT_TRUE(Marked("sleep 4242").empty()) << "a sleep 4242 from elsewhere would confuse this";
  OutputDir out;
  auto h = LiveHarness::Start(
      {"run", kFaults + "daemon.yaml", "--no-build", "--quiet", "--output", out.str()});
  ASSERT_TRUE(h);
  auto exit = h->WaitExit(120s);
  ASSERT_TRUE(exit) << h->Output();
  EXPECT_EQ(*exit, 0) << h->Output();
  ExpectNothingLeft(*h);
  auto daemons = Marked("sleep 4242");
  EXPECT_TRUE(daemons.empty()) << "the daemon outlived the run:" << Describe(daemons);
  KillStillRunning(daemons);
}

// The same with a daemon that burns a core: its CPU is the server's, sampled with it.
TEST(LifetimeEndToEnd, ADaemonsCpuCountsAsTheServers) {
  OutputDir out;
  auto h = LiveHarness::Start(
      {"run", kFaults + "daemon-burns.yaml", "--no-build", "--quiet", "--output", out.str()});
  ASSERT_TRUE(h);
  auto exit = h->WaitExit(120s);
  auto daemons = Marked("burn-4246");
  KillStillRunning(daemons);
  ASSERT_TRUE(exit) << h->Output();
  EXPECT_EQ(*exit, 0) << h->Output();
  EXPECT_TRUE(daemons.empty()) << "the daemon outlived the run:" << Describe(daemons);

  auto results = LoadResults(out.RunDir());
  ASSERT_TRUE(results) << results.error().message;
  ASSERT_EQ(results->measurements.size(), 1u);
  const Measurement& m = results->measurements[0];
  // cpp-beast alone at 100 requests/s uses a few percent of a core; with the daemon, the busy
  // loop's share of a core, which even a loaded two-core machine leaves above a quarter.
  EXPECT_GT(m.server_usage.cpu_avg_pct, 25.0) << "the daemon's CPU was not counted";
  // Every sample found two processes in the server's tree: cpp-beast and the daemon.
  std::ifstream samples(out.RunDir() / m.raw_samples);
  std::string line;
  int rows = 0;
  while (std::getline(samples, line)) {
    if (line.find(",server,") == std::string::npos) continue;
    ++rows;
    EXPECT_TRUE(line.ends_with(",2")) << line;
  }
  EXPECT_GT(rows, 10);
}

}  // namespace
}  // namespace harness
