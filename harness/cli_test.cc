// The CLI as a user meets it: bad input gets one line and exit code 2.
#include "testing/cli.h"

#include <gtest/gtest.h>

#include <fstream>

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
  CommandRun up = RunHarness({"db", "up"});
  ASSERT_EQ(up.exit_code, 0) << up.output;
  EXPECT_NE(up.output.find("postgres://postgres@127.0.0.1:"), std::string::npos) << up.output;
  EXPECT_GT(OurProcesses().size(), before.size()) << "db up should leave postgres running";
  // Stop just this one: a cluster someone started by hand stays.
  auto from = up.output.find(") in ");
  auto to = up.output.find(';', from);
  ASSERT_NE(to, std::string::npos) << up.output;
  std::string dir = up.output.substr(from + 5, to - from - 5);
  CommandRun down = RunHarness({"db", "down", "--dir", dir});
  EXPECT_EQ(down.exit_code, 0) << down.output;
  EXPECT_EQ(OurProcesses(), before);
}

}  // namespace
}  // namespace harness
