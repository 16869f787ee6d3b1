// How every command ends, end to end: an exception that escapes a command is one line and exit
// code 2, and what the command had started (Postgres) is stopped on the way out.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "postgres/cluster.h"
#include "testing/cli.h"
#include "testing/live.h"

namespace harness {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

const std::string kFaults = std::string(PROJECT_SOURCE_DIR) + "/tests/faults/";

std::string LastLine(const std::string& text) {
  std::string trimmed = text.substr(0, text.find_last_not_of('\n') + 1);
  return trimmed.substr(trimmed.rfind('\n') + 1);
}

// The harness's own words, one line naming the path, and no word from the C++ runtime.
void ExpectOneLineNaming(const std::string& output, const std::string& path) {
  EXPECT_EQ(output.find("terminate called"), std::string::npos) << output;
  std::string last = LastLine(output);
  EXPECT_TRUE(last.starts_with("harness: ")) << output;
  EXPECT_NE(last.find(path), std::string::npos) << "the error should name " << path << ":\n"
                                                << output;
}

// std::filesystem throws when the run directory cannot be made (here under a regular file).
TEST(ExitEndToEnd, AnExceptionIsOneLineAndExitTwo) {
  OutputDir out;
  std::ofstream(out.path() / "file") << "not a directory\n";
  fs::path output = out.path() / "file" / "runs";
  auto h = LiveHarness::Start(
      {"run", kFaults + "long-load.yaml", "--no-build", "--output", output.string()});
  ASSERT_TRUE(h);
  auto exit = h->WaitExit(60s);
  ASSERT_TRUE(exit) << h->Output();
  EXPECT_EQ(*exit, 2) << h->Output();
  ExpectOneLineNaming(h->Output(), output.string());
  ExpectNothingLeft(*h);
}

// The same once Postgres is up: `check` makes its log directory, check-<pid> in the cluster
// root, right after the cluster is seeded; a file of that name makes it throw. The cluster must
// be stopped and removed all the same.
TEST(ExitEndToEnd, AnExceptionWithPostgresUpStopsItAndExitsTwo) {
  fs::create_directories(ClusterRoot());
  auto h = LiveHarness::Start({"check", kFaults + "verdicts.yaml", "--no-build"});
  ASSERT_TRUE(h);
  const fs::path blocker = ClusterRoot() / ("check-" + std::to_string(h->pid()));
  std::ofstream(blocker) << "in the way\n";
  auto exit = h->WaitExit(120s);
  fs::remove(blocker);
  ASSERT_TRUE(exit) << h->Output();
  EXPECT_EQ(*exit, 2) << h->Output();
  ExpectOneLineNaming(h->Output(), blocker.string());
  bool postgres_was_up = false;
  for (const ProcInfo& p : h->Seen()) postgres_was_up |= IsPostmaster(p);
  EXPECT_TRUE(postgres_was_up) << "the exception should come with Postgres running";
  ExpectNothingLeft(*h);
}

}  // namespace
}  // namespace harness
