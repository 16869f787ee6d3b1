// harness report as a user meets it: the newest run by default, three formats, side by side,
// plots written, bad input in one line with exit 2.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "compare/test_runs.h"
#include "testing/cli.h"
#include "util/files.h"

namespace harness {
namespace {

namespace fs = std::filesystem;

class ReportCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = TempDir("report-cli");
    older_ = Write("20261125T100000Z-aaa", test_runs::MakeRun({1, 1.1}));
    newer_ = Write("20261126T100000Z-bbb", test_runs::MakeRun({2}));
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Write(const std::string& name, const RunResults& run) {
    EXPECT_TRUE(WriteFileAtomic(dir_ / name / "results.json", ToJson(run)));
    return (dir_ / name).string();
  }

  fs::path dir_;
  std::string older_, newer_;
};

TEST_F(ReportCommandTest, NewestRunByDefaultWithItsPlots) {
  CommandRun run = RunHarness({"report", "--results", dir_.string()});
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_TRUE(run.output.starts_with("# Benchmark results\n")) << run.output;
  EXPECT_NE(run.output.find("| Throughput (rps)      |   2000 |"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("![Latency by percentile: closed](plots/latency-closed.svg)"),
            std::string::npos);
  EXPECT_TRUE(fs::exists(fs::path(newer_) / "plots" / "latency-closed.svg"));
  EXPECT_TRUE(fs::exists(fs::path(newer_) / "report.md"));
  EXPECT_FALSE(fs::exists(fs::path(older_) / "plots"));
}

TEST_F(ReportCommandTest, SeveralRunsSideBySideAndOtherFormats) {
  CommandRun md = RunHarness({"report", older_, newer_, "--no-write"});
  EXPECT_EQ(md.exit_code, 0) << md.output;
  EXPECT_NE(md.output.find("| cpp-beast (20261125T100000Z-aaa) | axum (20261126T100000Z-bbb) |"),
            std::string::npos)
      << md.output;
  EXPECT_FALSE(fs::exists(fs::path(newer_) / "plots"));

  CommandRun json = RunHarness({"report", older_, newer_ + "/results.json", "--format", "json"});
  EXPECT_EQ(json.exit_code, 0) << json.output;
  EXPECT_EQ(nlohmann::json::parse(json.output)["runs"].size(), 2u);

  CommandRun csv = RunHarness({"report", older_, "--format", "csv", "--no-write"});
  EXPECT_EQ(csv.exit_code, 0) << csv.output;
  EXPECT_TRUE(csv.output.starts_with("run,scenario,level,server,metric,median,min,max,n\n"));
}

TEST_F(ReportCommandTest, BadInputIsOneLineAndExitTwo) {
  ASSERT_TRUE(WriteFileAtomic(dir_ / "cut" / "results.json", "{\"schema_version\": 1, \"serv"));
  ASSERT_TRUE(WriteFileAtomic(dir_ / "empty" / "results.json", ""));
  ASSERT_TRUE(WriteFileAtomic(dir_ / "v99" / "results.json", "{\"schema_version\": 99}"));
  const std::pair<std::string, std::string> cases[] = {
      {"cut", "not valid JSON (truncated?)"},
      {"empty", "empty file"},
      {"v99", "results schema version 99; this harness reads versions 1 to 2"},
      {"nope", "no such run directory or results file"},
  };
  for (const auto& [name, error] : cases) {
    CommandRun run = RunHarness({"report", older_, (dir_ / name).string()});
    EXPECT_EQ(run.exit_code, 2) << run.output;
    EXPECT_EQ(std::count(run.output.begin(), run.output.end(), '\n'), 1) << run.output;
    EXPECT_NE(run.output.find(error), std::string::npos) << run.output;
  }
  CommandRun none = RunHarness({"report", "--results", (dir_ / "cut").string()});
  EXPECT_EQ(none.exit_code, 2) << none.output;
  EXPECT_NE(none.output.find("no run directory with a results.json"), std::string::npos);
  CommandRun format = RunHarness({"report", older_, "--format", "html"});
  EXPECT_EQ(format.exit_code, 2) << format.output;
}

}  // namespace
}  // namespace harness
