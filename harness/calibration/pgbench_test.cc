#include "calibration/pgbench.h"

#include <gtest/gtest.h>

#include "testing/cli.h"

namespace harness {
namespace {

namespace fs = std::filesystem;

// pgbench 15's summary, as it printed it here.
constexpr const char* kOutput = R"(pgbench (15.18 (Debian 15.18-0+deb12u1))
transaction type: /tmp/q.sql
scaling factor: 1
query mode: prepared
number of clients: 5
number of threads: 2
maximum number of tries: 1
duration: 5 s
number of transactions actually processed: 136938
number of failed transactions: 0 (0.000%)
latency average = 0.182 ms
initial connection time = 8.078 ms
tps = 27421.668681 (without initial connection time)
)";

TEST(PgbenchOutputTest, ReadsThroughputLatencyAndCounts) {
  auto r = ParsePgbenchOutput(kOutput);
  ASSERT_TRUE(r);
  EXPECT_DOUBLE_EQ(r->tps, 27421.668681);
  EXPECT_DOUBLE_EQ(r->latency_avg_ms, 0.182);
  EXPECT_EQ(r->transactions, 136938);
  EXPECT_EQ(r->failed, 0);
}

TEST(PgbenchOutputTest, MissingOrMalformedFiguresAreEmpty) {
  EXPECT_FALSE(ParsePgbenchOutput(""));
  EXPECT_FALSE(ParsePgbenchOutput("pgbench: error: connection to server failed\n"));
  std::string no_tps = kOutput;
  no_tps.erase(no_tps.find("tps ="));
  EXPECT_FALSE(ParsePgbenchOutput(no_tps));
  std::string nan = kOutput;
  nan.replace(nan.find("27421.668681"), 12, "nan");
  EXPECT_FALSE(ParsePgbenchOutput(nan));
}

TEST(PgbenchArgumentsTest, PreparedWithThePoolsConnectionsForWholeSeconds) {
  PgbenchSpec spec;
  spec.dsn = "postgres://u@127.0.0.1:5/benchmark";
  spec.connections = 5;
  spec.duration = Duration(2400);
  auto args = PgbenchArguments(spec, "pgbench", "q.sql");
  std::string line;
  for (const auto& a : args) line += a + " ";
  EXPECT_NE(line.find("pgbench -n -M prepared -c 5 -j "), std::string::npos) << line;
  EXPECT_NE(line.find("-T 2 -f q.sql postgres://u@127.0.0.1:5/benchmark"), std::string::npos)
      << line;
  spec.duration = Duration(100);
  spec.cpus = "1";
  args = PgbenchArguments(spec, "pgbench", "q.sql");
  EXPECT_EQ(args[0], "taskset");
  EXPECT_EQ(args[2], "1");
  EXPECT_NE(std::find(args.begin(), args.end(), "-T") + 1, args.end());
  EXPECT_EQ(*(std::find(args.begin(), args.end(), "-T") + 1), "1") << "at least a second";
}

TEST(PgbenchRunTest, ADeadDatabaseIsAnErrorWithPgbenchsWords) {
  fs::path dir = TempDir("pgbench");
  PgbenchSpec spec;
  spec.dsn = "postgres://postgres@127.0.0.1:1/benchmark?connect_timeout=2";
  spec.duration = Duration(1000);
  spec.work_dir = dir;
  auto r = RunPgbench(spec);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("pgbench exited with code"), std::string::npos)
      << r.error().message;
  EXPECT_NE(r.error().message.find("connection"), std::string::npos) << r.error().message;
  fs::remove_all(dir);
}

}  // namespace
}  // namespace harness
