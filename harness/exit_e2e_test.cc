// How every command ends, end to end: one exit-code policy (util/exit_code.h), so the same
// failure gets the same code from `run` and `check`; and an exception that escapes a command is
// one line and exit code 2, what the command had started (Postgres) stopped on the way out.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <fstream>
#include <pqxx/pqxx>
#include <thread>

#include "postgres/cluster.h"
#include "testing/cli.h"
#include "testing/live.h"

namespace harness {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

const std::string kFaults = std::string(PROJECT_SOURCE_DIR) + "/tests/faults/";
const std::string kFixtures = std::string(PROJECT_SOURCE_DIR) + "/tests/fixtures";

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

// A database that passes the harness's checks (the seed, exactly) and then fails the benchmark
// query, as one changed under the harness would: table "user" is a view whose rows can be read
// 2000 times, which the seed check uses up.
void BreakAfterTheSeedCheck(const std::string& dsn) {
  pqxx::connection c(dsn);
  pqxx::nontransaction tx(c);
  tx.exec(R"(
    ALTER TABLE "user" RENAME TO seed_rows;
    CREATE SEQUENCE reads;
    CREATE FUNCTION counted(email text) RETURNS text LANGUAGE plpgsql VOLATILE AS $$
    BEGIN
      IF nextval('reads') > 2000 THEN RAISE EXCEPTION 'table "user" can be read once'; END IF;
      RETURN email;
    END $$;
    CREATE VIEW "user" AS SELECT user_id, username, counted(email) AS email FROM seed_rows)");
}

TEST(ExitEndToEnd, AFailedBenchmarkQueryIsExitTwoInRunAndCheck) {
  auto cluster = Cluster::Create({});
  ASSERT_TRUE(cluster) << cluster.error().message;
  const std::string dsn = (*cluster)->dsn();
  ASSERT_NO_THROW(BreakAfterTheSeedCheck(dsn));
  OutputDir out;
  const fs::path config = out.path() / "bench.yaml";
  std::ofstream(config) << "postgres: {dsn: '" << dsn << "'}\n"
                        << "servers:\n  - {name: never-ready, dir: " << kFixtures
                        << ", run: exec ./fake_server.py not-found, ready: {timeout: 3s}}\n"
                        << "scenarios: [{name: closed, requests: 10}]\n"
                        << "calibration: {enabled: false}\n";
  for (std::vector<std::string> args :
       {std::vector<std::string>{"run", config.string(), "--no-build", "--output",
                                 (out.path() / "runs").string()},
        std::vector<std::string>{"check", config.string(), "--no-build"}}) {
    SCOPED_TRACE(args[0]);
    pqxx::connection c(dsn);
    pqxx::nontransaction(c).exec("ALTER SEQUENCE reads RESTART");
    CommandRun run = RunHarness(args);
    EXPECT_EQ(run.exit_code, 2) << run.output;
    EXPECT_NE(run.output.find("benchmark query"), std::string::npos) << run.output;
    EXPECT_NE(run.output.find("can be read once"), std::string::npos) << run.output;
  }
}

// Interrupted while the server starts: 128+SIGINT from both.
TEST(ExitEndToEnd, AnInterruptIs128PlusNInRunAndCheck) {
  for (std::string command : {"run", "check"}) {
    SCOPED_TRACE(command);
    OutputDir out;
    std::vector<std::string> args = {command, kFaults + "slow-start.yaml"};
    if (command == "run") args.insert(args.end(), {"--output", out.str()});
    auto h = LiveHarness::Start(args);
    ASSERT_TRUE(h);
    ASSERT_TRUE(WaitForDescendant(*h, Named("sleep"), 60s)) << "the server never started";
    std::this_thread::sleep_for(300ms);  // the harness is polling for readiness
    h->Observe();
    h->Signal(SIGINT);
    auto exit = h->WaitExit(5s);
    ASSERT_TRUE(exit) << h->Output();
    EXPECT_EQ(*exit, 128 + SIGINT) << h->Output();
    ExpectNothingLeft(*h);
    fs::remove_all(ClusterRoot() / ("check-" + std::to_string(h->pid())));  // check's server logs
  }
}

}  // namespace
}  // namespace harness
