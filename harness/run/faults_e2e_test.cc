// Faults during `harness run`, end to end: the harness binary is interrupted, starved and killed at
// chosen moments (fixture profiles in tests/faults/, fixture servers in tests/fixtures/), and what
// it leaves is checked from outside: exit code and time, processes, results.json, report.md.
// cpp-beast must be built (scripts/test builds everything first).
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <fstream>
#include <functional>
#include <thread>

#include "postgres/cluster.h"
#include "results/results.h"
#include "testing/cli.h"
#include "testing/live.h"
#include "util/files.h"

namespace harness {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

const std::string kFaults = std::string(PROJECT_SOURCE_DIR) + "/tests/faults/";
constexpr int kExitSigint = 128 + SIGINT;
// The README's promise: Ctrl-C stops everything within seconds.
constexpr auto kInterruptDeadline = 5s;

// Runs `f` at the end of the scope, however the test leaves it (ASSERT returns early).
class Defer {
 public:
  explicit Defer(std::function<void()> f) : f_(std::move(f)) {}
  ~Defer() { f_(); }

 private:
  std::function<void()> f_;
};

// SIGINT now, then the promises of README "What harness run does": exit 130 within 5 s, nothing
// left running, results.json whole (it parses) and marked partial. Returns what it parsed.
std::optional<RunResults> InterruptAndCheck(LiveHarness& h, const OutputDir& out) {
  h.Observe();
  auto signalled = Clock::now();
  h.Signal(SIGINT);
  auto exit = h.WaitExit(kInterruptDeadline);
  double took = std::chrono::duration<double>(Clock::now() - signalled).count();
  EXPECT_TRUE(exit.has_value()) << "still running " << took << " s after SIGINT:\n" << h.Output();
  if (!exit) return std::nullopt;
  EXPECT_EQ(*exit, kExitSigint) << h.Output();
  ExpectNothingLeft(h);
  fs::path dir = out.RunDir();
  EXPECT_FALSE(dir.empty()) << "no run directory:\n" << h.Output();
  if (dir.empty()) return std::nullopt;
  auto results = LoadResults(dir);
  EXPECT_TRUE(results) << results.error().message;
  if (!results) return std::nullopt;
  EXPECT_TRUE(results->partial) << "an interrupted run must be marked partial";
  EXPECT_TRUE(results->finished_at.empty());
  return *results;
}

TEST(FaultsEndToEnd, InterruptWhileBuilding) {
  OutputDir out;
  auto h = LiveHarness::Start({"run", kFaults + "slow-build.yaml", "--output", out.str()});
  ASSERT_TRUE(h);
  ASSERT_TRUE(h->WaitForOutput("  building", 60s)) << h->Output();
  ASSERT_TRUE(WaitForDescendant(*h, Named("sleep"), 10s)) << "the build never started";
  auto results = InterruptAndCheck(*h, out);
  ASSERT_TRUE(results);
  ASSERT_EQ(results->servers.size(), 1u);
  EXPECT_EQ(results->servers[0].verdict, ServerVerdict::kNone)
      << "an interrupted build is not the server's fault";
}

// Early: while initdb runs, just as the postmaster is spawned (before it accepts connections),
// and a little later (about when the database is created and seeded, or just after).
TEST(FaultsEndToEnd, InterruptWhilePostgresStarts) {
  struct Moment {
    const char* what;
    bool initdb;  // else: the postmaster
    std::chrono::milliseconds after;
  };
  for (Moment m : {Moment{"initdb", true, 50ms}, Moment{"postmaster spawned", false, 0ms},
                   Moment{"postmaster + 150ms", false, 150ms}}) {
    SCOPED_TRACE(m.what);
    OutputDir out;
    auto h = LiveHarness::Start({"run", kFaults + "verdicts.yaml", "--output", out.str()});
    ASSERT_TRUE(h);
    auto found = m.initdb ? WaitForDescendant(*h, Named("initdb"), 30s)
                          : WaitForDescendant(*h, IsPostmaster, 30s);
    ASSERT_TRUE(found) << "never saw " << m.what << ":\n" << h->Output();
    std::this_thread::sleep_for(m.after);
    auto results = InterruptAndCheck(*h, out);
    ASSERT_TRUE(results);
    EXPECT_TRUE(results->measurements.empty());
  }
}

TEST(FaultsEndToEnd, InterruptWhileTheServerStarts) {
  OutputDir out;
  auto h = LiveHarness::Start({"run", kFaults + "slow-start.yaml", "--output", out.str()});
  ASSERT_TRUE(h);
  ASSERT_TRUE(h->WaitForOutput("slow-start (repetition 1", 60s)) << h->Output();
  ASSERT_TRUE(WaitForDescendant(*h, Named("sleep"), 10s)) << "the server never started";
  std::this_thread::sleep_for(300ms);  // the harness is polling for readiness
  auto results = InterruptAndCheck(*h, out);
  ASSERT_TRUE(results);
  ASSERT_EQ(results->servers.size(), 1u);
  EXPECT_EQ(results->servers[0].verdict, ServerVerdict::kNone)
      << "an interrupted wait is not the server's fault";
}

TEST(FaultsEndToEnd, InterruptDuringLoadKeepsTheFinishedMeasurements) {
  OutputDir out;
  auto h =
      LiveHarness::Start({"run", kFaults + "long-load.yaml", "--no-build", "--output", out.str()});
  ASSERT_TRUE(h);
  ASSERT_TRUE(h->WaitForOutput("cpp-beast / long #1: running", 60s)) << h->Output();
  ASSERT_TRUE(WaitForDescendant(*h, Named("oha"), 5s)) << "oha never started";
  std::this_thread::sleep_for(500ms);
  auto results = InterruptAndCheck(*h, out);
  ASSERT_TRUE(results);
  ASSERT_EQ(results->measurements.size(), 1u) << "the finished scenario, and only it";
  const Measurement& quick = results->measurements[0];
  EXPECT_EQ(quick.scenario, "quick");
  EXPECT_TRUE(quick.valid);
  EXPECT_EQ(quick.requests, 100);
  EXPECT_TRUE(fs::exists(out.RunDir() / quick.raw_oha)) << quick.raw_oha;
  ASSERT_EQ(results->servers.size(), 1u);
  EXPECT_EQ(results->servers[0].verification, "passed (2 answers of 2 scenarios)");
  EXPECT_TRUE(fs::exists(out.RunDir() / "report.md"));
}

TEST(FaultsEndToEnd, AServerKilledUnderLoadDiedAndTheRunGoesOn) {
  OutputDir out;
  auto h = LiveHarness::Start(
      {"run", kFaults + "two-servers.yaml", "--no-build", "--output", out.str()});
  ASSERT_TRUE(h);
  ASSERT_TRUE(h->WaitForOutput("victim / load #1: running", 60s)) << h->Output();
  auto victim = WaitForDescendant(*h, Named("cpp-beast"), 5s);
  ASSERT_TRUE(victim) << "no cpp-beast under the harness";
  std::this_thread::sleep_for(1s);
  kill(victim->pid, SIGKILL);
  auto exit = h->WaitExit(60s);
  ASSERT_TRUE(exit) << "still running a minute later:\n" << h->Output();
  EXPECT_EQ(*exit, 1) << h->Output();
  ExpectNothingLeft(*h);

  auto results = LoadResults(out.RunDir());
  ASSERT_TRUE(results) << results.error().message;
  EXPECT_FALSE(results->partial) << "a failed server does not stop the run";
  ASSERT_EQ(results->servers.size(), 2u);
  const ServerOutcome& died = results->servers[0];
  EXPECT_FALSE(died.ok);
  EXPECT_EQ(died.verdict, ServerVerdict::kDiedUnderLoad) << died.failure;
  EXPECT_NE(died.log_tail.find("cpp-beast: listening"), std::string::npos)
      << "the server's last log lines: " << died.log_tail;
  const ServerOutcome& survivor = results->servers[1];
  EXPECT_TRUE(survivor.ok) << ServerVerdictName(survivor.verdict) << ": " << survivor.failure;
  ASSERT_EQ(results->measurements.size(), 2u);
  for (const Measurement& m : results->measurements) {
    if (m.server == "victim") {
      EXPECT_FALSE(m.valid) << "a measurement of a dead server is not a measurement";
      std::string warnings;
      for (const auto& w : m.warnings) warnings += w + "; ";
      EXPECT_NE(warnings.find("died"), std::string::npos) << warnings;
    } else {
      EXPECT_EQ(m.server, "survivor");
      EXPECT_TRUE(m.valid);
      EXPECT_GT(m.successes, 0);
    }
  }
  auto report = ReadFile(out.RunDir() / "report.md");
  ASSERT_TRUE(report);
  EXPECT_NE(report->find("**victim**: died under load"), std::string::npos) << *report;
}

TEST(FaultsEndToEnd, PostgresKilledMidRunStopsTheRunBlamingNoServer) {
  OutputDir out;
  auto h = LiveHarness::Start(
      {"run", kFaults + "two-servers.yaml", "--no-build", "--output", out.str()});
  ASSERT_TRUE(h);
  ASSERT_TRUE(h->WaitForOutput("victim / load #1: running", 60s)) << h->Output();
  auto postmaster = WaitForDescendant(*h, IsPostmaster, 1s);
  ASSERT_TRUE(postmaster) << "no postmaster under the harness";
  std::this_thread::sleep_for(500ms);
  h->Observe();  // the backends too: they must go with it
  kill(postmaster->pid, SIGKILL);
  auto exit = h->WaitExit(60s);
  ASSERT_TRUE(exit) << "still running a minute later:\n" << h->Output();
  EXPECT_NE(*exit, 0) << h->Output();
  EXPECT_NE(*exit, kExitSigint) << h->Output();
  ExpectNothingLeft(*h);

  auto results = LoadResults(out.RunDir());
  ASSERT_TRUE(results) << results.error().message;
  EXPECT_TRUE(results->partial);
  EXPECT_NE(results->abort_reason.find("postgres died"), std::string::npos)
      << "abort_reason: " << results->abort_reason;
  for (const ServerOutcome& s : results->servers) {
    EXPECT_EQ(s.verdict, ServerVerdict::kNone)
        << s.name << " blamed for Postgres's death: " << s.failure;
  }
  for (const Measurement& m : results->measurements) {
    EXPECT_EQ(m.server, "victim") << "the run should have stopped before the next server";
    EXPECT_FALSE(m.valid) << "measured while Postgres died";
  }
}

// Their logs are not all UTF-8 either (the harness once aborted writing results.json over it).
TEST(FaultsEndToEnd, ThreeBrokenServersGetThreeVerdicts) {
  OutputDir out;
  auto h = LiveHarness::Start({"run", kFaults + "verdicts.yaml", "--output", out.str()});
  ASSERT_TRUE(h);
  auto exit = h->WaitExit(120s);
  ASSERT_TRUE(exit) << h->Output();
  EXPECT_EQ(*exit, 1) << h->Output();
  ExpectNothingLeft(*h);

  auto results = LoadResults(out.RunDir());
  ASSERT_TRUE(results) << results.error().message;
  auto report = ReadFile(out.RunDir() / "report.md");
  ASSERT_TRUE(report);
  const std::map<std::string, std::pair<std::string, std::string>> want = {
      {"never-ready", {"never ready", "not-found"}},
      {"wrong-json", {"wrong response", "wrong-json"}},
      {"server-errors", {"server errors", "errors"}}};
  ASSERT_EQ(results->servers.size(), want.size());
  for (const ServerOutcome& s : results->servers) {
    const auto& [verdict, mode] = want.at(s.name);
    EXPECT_FALSE(s.ok) << s.name;
    EXPECT_EQ(ServerVerdictName(s.verdict), verdict) << s.name << ": " << s.failure;
    EXPECT_NE(s.log_tail.find("fake_server: " + mode), std::string::npos)
        << s.name << "'s log tail: " << s.log_tail;
    // The fixture's first line is Latin-1: kept, its byte that is not UTF-8 made U+FFFD.
    EXPECT_NE(s.log_tail.find("fake_server: caf\xEF\xBF\xBD"), std::string::npos)
        << s.name << "'s log tail: " << s.log_tail;
    EXPECT_NE(report->find("**" + s.name + "**: " + verdict), std::string::npos)
        << s.name << " in report.md:\n"
        << *report;
  }
  EXPECT_TRUE(results->measurements.empty());
}

// A harness killed with SIGKILL cleans nothing itself: its supervisors stop what it had started
// (the build, Postgres), and the next harness must remove its cluster directory and touch nothing
// else: neither a directory without an owner file nor a cluster whose owner still runs (here,
// this test process). lifetime_e2e_test.cc kills one mid-measurement.
TEST(FaultsEndToEnd, WhatAKilledHarnessLeftIsCleanedByTheNext) {
  auto alive = Cluster::Create({});
  ASSERT_TRUE(alive) << alive.error().message;
  const pid_t alive_postmaster = (*alive)->postmaster_pid();
  const fs::path decoy = ClusterRoot() / ("pg-decoy-" + std::to_string(getpid()));
  fs::create_directories(decoy);
  std::ofstream(decoy / "data.txt") << "not ours\n";
  std::string up_dir;  // the cluster `db up` starts
  Defer cleanup([&] {
    if (!up_dir.empty()) RunHarness({"db", "down", "--dir", up_dir});
    fs::remove_all(decoy);
  });

  OutputDir out;
  auto h = LiveHarness::Start({"run", kFaults + "slow-build.yaml", "--output", out.str()});
  ASSERT_TRUE(h);
  ASSERT_TRUE(h->WaitForOutput("  building", 60s)) << h->Output();
  auto stale_dirs = ClustersOwnedBy(h->pid());
  ASSERT_EQ(stale_dirs.size(), 1u);
  ASSERT_TRUE(WaitForDescendant(*h, IsPostmaster, 1s));
  ASSERT_TRUE(WaitForDescendant(*h, Named("sleep"), 10s)) << "the build never started";
  h->Observe();
  h->Signal(SIGKILL);
  ASSERT_TRUE(h->WaitExit(5s));
  std::vector<ProcInfo> left = StillRunning(h->Seen());
  for (auto deadline = Clock::now() + 5s; !left.empty() && Clock::now() < deadline;) {
    std::this_thread::sleep_for(50ms);
    left = StillRunning(h->Seen());
  }
  EXPECT_TRUE(left.empty()) << "still running after the harness was killed:" << Describe(left);
  KillStillRunning(left);

  OutputDir scratch;
  CommandRun up = RunHarness({"db", "up", "--dir-file", scratch.str() + "/dir"});
  EXPECT_EQ(up.exit_code, 0) << up.output;
  if (auto written = ReadFile(scratch.path() / "dir"))
    up_dir = written->substr(0, written->find('\n'));
  EXPECT_NE(up.output.find("removed a cluster left by harness pid " + std::to_string(h->pid())),
            std::string::npos)
      << up.output;
  EXPECT_FALSE(fs::exists(stale_dirs[0])) << stale_dirs[0];
  EXPECT_TRUE(fs::exists(decoy / "data.txt")) << "a directory without an owner file was removed";
  EXPECT_TRUE(ProcessAlive(alive_postmaster)) << "a live harness's postgres was stopped";
  EXPECT_TRUE(fs::exists((*alive)->directory() / "data")) << "a live harness's cluster was removed";
}

}  // namespace
}  // namespace harness
