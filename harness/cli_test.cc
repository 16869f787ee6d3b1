// The CLI as a user meets it: bad input gets one line and exit code 2.
#include "testing/cli.h"

#include <gtest/gtest.h>

#include <fstream>

#include "postgres/cluster.h"
#include "util/files.h"
#include "util/process.h"

namespace harness {
namespace {

namespace fs = std::filesystem;

int Lines(const std::string& text) {
  return static_cast<int>(std::count(text.begin(), text.end(), '\n'));
}

TEST(Cli, HelpListsTheSubcommands) {
  CommandRun run = RunHarness({"--help"});
  EXPECT_EQ(run.exit_code, 0);
  for (const char* command : {"run", "check", "db", "validate"}) {
    EXPECT_NE(run.output.find(command), std::string::npos) << command;
  }
}

TEST(Cli, BadConfigIsOneLineAndExitTwo) {
  fs::path dir = TempDir("harness-cli");
  fs::path file = dir / "bench.yaml";
  std::ofstream(file) << "servers: []\nscenarios: [{name: s, requests: 1}]\n";
  for (const char* command : {"validate", "run", "check"}) {
    CommandRun run = RunHarness({command, file.string()});
    EXPECT_EQ(run.exit_code, 2) << command << ": " << run.output;
    EXPECT_EQ(Lines(run.output), 1) << command << ": " << run.output;
    EXPECT_NE(run.output.find(file.string() + ":1: servers"), std::string::npos) << run.output;
  }
  CommandRun missing = RunHarness({"run", (dir / "nope.yaml").string()});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.output.find("nope.yaml: cannot read"), std::string::npos) << missing.output;
  fs::remove_all(dir);
}

TEST(Cli, UnknownServerIsBadInput) {
  CommandRun run =
      RunHarness({"run", std::string(PROJECT_SOURCE_DIR) + "/bench.yaml", "--server", "django"});
  EXPECT_EQ(run.exit_code, 2) << run.output;
  EXPECT_NE(run.output.find("no server named 'django'"), std::string::npos) << run.output;
}

TEST(Cli, RepetitionsOutOfRangeIsBadInput) {
  for (const char* n : {"0", "-3", "many"}) {
    CommandRun run = RunHarness(
        {"run", std::string(PROJECT_SOURCE_DIR) + "/bench.yaml", "--repetitions", n, "--no-build"});
    EXPECT_EQ(run.exit_code, 2) << n << ": " << run.output;
    EXPECT_NE(run.output.find("--repetitions"), std::string::npos) << run.output;
  }
}

TEST(Cli, DbUpPrintsADsnAndDbDownLeavesNothing) {
  auto before = OurProcesses();
  fs::path dir_file = TempDir("harness-cli") / "cluster-dir";
  CommandRun up = RunHarness({"db", "up", "--dir-file", dir_file.string()});
  ASSERT_EQ(up.exit_code, 0) << up.output;
  EXPECT_NE(up.output.find("postgres://postgres@127.0.0.1:"), std::string::npos) << up.output;
  EXPECT_GT(OurProcesses().size(), before.size()) << "db up should leave postgres running";
  // Stop just this one: a cluster someone started by hand stays.
  auto written = ReadFile(dir_file);
  ASSERT_TRUE(written) << written.error().message;
  std::string dir = written->substr(0, written->find('\n'));
  EXPECT_TRUE(fs::exists(fs::path(dir) / "owner")) << dir;
  CommandRun down = RunHarness({"db", "down", "--dir", dir});
  EXPECT_EQ(down.exit_code, 0) << down.output;
  EXPECT_EQ(OurProcesses(), before);
  fs::remove_all(dir_file.parent_path());
}

// A script that lost the directory `db up` gave it must not stop every cluster.
TEST(Cli, DbDownWithAnEmptyOrUnknownDirIsBadInputAndStopsNothing) {
  ClusterOptions detached;
  detached.detached = true;  // as `db up` makes it
  auto cluster = Cluster::Create(detached);
  ASSERT_TRUE(cluster) << cluster.error().message;
  const fs::path dir = (*cluster)->directory();
  const pid_t postmaster = (*cluster)->postmaster_pid();
  for (const std::string& bad : {std::string(), dir.string() + "-nope", dir.string() + "-nope/"}) {
    CommandRun down = RunHarness({"db", "down", "--dir", bad});
    EXPECT_EQ(down.exit_code, 2) << "--dir '" << bad << "': " << down.output;
    EXPECT_EQ(Lines(down.output), 1) << down.output;
    EXPECT_NE(down.output.find("--dir"), std::string::npos) << down.output;
    if (!bad.empty()) {
      EXPECT_NE(down.output.find("no cluster there"), std::string::npos) << bad;
    }
    EXPECT_TRUE(ProcessAlive(postmaster)) << "--dir '" << bad << "' stopped a cluster";
  }
  // A directory outside the cluster root (another TMPDIR) is named as such, and left alone.
  CommandRun elsewhere = RunHarness({"db", "down", "--dir", "/nonexistent/pg-x"});
  EXPECT_EQ(elsewhere.exit_code, 2) << elsewhere.output;
  EXPECT_NE(elsewhere.output.find("is not in " + ClusterRoot().string()), std::string::npos)
      << elsewhere.output;
  EXPECT_NE(elsewhere.output.find("TMPDIR"), std::string::npos) << elsewhere.output;
  EXPECT_TRUE(ProcessAlive(postmaster));
  auto removed = DestroyDetachedClusters(dir);
  ASSERT_TRUE(removed) << removed.error().message;
  EXPECT_EQ(*removed, 1);
}

}  // namespace
}  // namespace harness
