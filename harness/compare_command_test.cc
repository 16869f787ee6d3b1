// harness compare as a user meets it: exit 0 / 1 / 2, one-line errors naming the file.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <nlohmann/json.hpp>

#include "compare/test_runs.h"
#include "testing/cli.h"
#include "util/files.h"

namespace harness {
namespace {

namespace fs = std::filesystem;

int Lines(const std::string& text) {
  return static_cast<int>(std::count(text.begin(), text.end(), '\n'));
}

class CompareCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = TempDir("compare-cli");
    base_ = Write("20261125T100000Z-aaa", test_runs::MakeRun(test_runs::Seven(1)));
    RunResults slower = test_runs::MakeRun(test_runs::Seven(1));
    for (Measurement& m : slower.measurements) {
      if (m.server == "cpp-beast")
        m = test_runs::Measured(m.server, m.scenario, m.repetition, m.rps / 2000);
    }
    slower_ = Write("20261126T100000Z-bbb", slower);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Write(const std::string& name, const RunResults& run) {
    EXPECT_TRUE(WriteFileAtomic(dir_ / name / "results.json", ToJson(run)));
    return (dir_ / name).string();
  }
  std::string WriteText(const std::string& name, const std::string& text) {
    EXPECT_TRUE(WriteFileAtomic(dir_ / name, text));
    return (dir_ / name).string();
  }

  fs::path dir_;
  std::string base_, slower_;
};

TEST_F(CompareCommandTest, SameRunsExitZero) {
  CommandRun run = RunHarness({"compare", base_, base_ + "/results.json"});
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("**No regression**, 20 no change."), std::string::npos) << run.output;
}

TEST_F(CompareCommandTest, ARegressionExitsOneAndGoesToTheJobSummary) {
  std::string summary = (dir_ / "summary.md").string();
  ASSERT_TRUE(WriteFileAtomic(summary, "before\n"));
  setenv("GITHUB_STEP_SUMMARY", summary.c_str(), 1);
  CommandRun run = RunHarness({"compare", base_, slower_, "--format", "json"});
  unsetenv("GITHUB_STEP_SUMMARY");
  EXPECT_EQ(run.exit_code, 1) << run.output;
  auto doc = nlohmann::json::parse(run.output);
  EXPECT_EQ(doc["summary"]["regressed"], 8);
  EXPECT_EQ(doc["new"]["label"], "20261126T100000Z-bbb");
  auto text = ReadFile(summary);
  ASSERT_TRUE(text);
  EXPECT_TRUE(text->starts_with("before\n# Benchmark comparison\n")) << *text;
  EXPECT_NE(text->find("**Regression: 8 regressed**"), std::string::npos);
}

TEST_F(CompareCommandTest, ThresholdAndAlphaAreOptions) {
  CommandRun lenient = RunHarness({"compare", base_, slower_, "--threshold", "150"});
  EXPECT_EQ(lenient.exit_code, 0) << lenient.output;
  CommandRun strict = RunHarness({"compare", base_, slower_, "--alpha", "0.001"});
  // 7 and 7 (2/3432) cannot reach 0.001 / 20 rows: the effect size alone calls the halving a
  // regression.
  EXPECT_EQ(strict.exit_code, 1) << strict.output;
  EXPECT_NE(strict.output.find("**regressed** (effect size only)"), std::string::npos)
      << strict.output;
  CommandRun bad = RunHarness({"compare", base_, slower_, "--format", "yaml"});
  EXPECT_EQ(bad.exit_code, 2) << bad.output;
}

TEST_F(CompareCommandTest, TheCorrectionIsAnOption) {
  for (const char* correction : {"holm", "bh", "none"}) {
    CommandRun run =
        RunHarness({"compare", base_, slower_, "--format", "json", "--correction", correction});
    EXPECT_EQ(run.exit_code, 1) << run.output;
    auto doc = nlohmann::json::parse(run.output);
    EXPECT_EQ(doc["correction"], correction);
    EXPECT_EQ(doc["summary"]["regressed"], 8);  // a halving passes any of them
  }
  EXPECT_NE(RunHarness({"compare", base_, slower_}).output.find("after Holm's correction"),
            std::string::npos);
  // CLI11's error, then its "Run with --help" line, as for every option.
  for (const char* bad : {"bonferroni", "HOLM", ""}) {
    CommandRun run = RunHarness({"compare", base_, slower_, "--correction", bad});
    EXPECT_EQ(run.exit_code, 2) << run.output;
    EXPECT_TRUE(
        run.output.starts_with(fmt::format("--correction: {} not in {{holm,bh,none}}\n", bad)))
        << run.output;
  }
}

TEST_F(CompareCommandTest, BadInputIsOneLineNamingTheFileAndExitTwo) {
  std::string good = ToJson(test_runs::MakeRun({1}));
  const std::pair<std::string, std::string> cases[] = {
      {WriteText("empty/results.json", ""), "empty file, not a harness results file"},
      {WriteText("truncated/results.json", good.substr(0, good.size() / 2)),
       "not valid JSON (truncated?) at byte"},
      {WriteText("future/results.json", R"({"schema_version": 99, "measurements": []})"),
       "results schema version 99; this harness reads versions 1 to 2"},
      {WriteText("foreign.json", R"({"name": "some other tool", "version": 3})"),
       "not a harness results file (no schema_version)"},
      {WriteText("malformed/results.json", R"({"schema_version": 1, "measurements": 7})"),
       "malformed results"},
      {(dir_ / "missing").string(), "no such run directory or results file"},
      {(dir_ / "emptydir").string(), "results.json: cannot read"},
  };
  fs::create_directories(dir_ / "emptydir");
  for (const auto& [path, error] : cases) {
    for (const auto& args : {std::vector<std::string>{"compare", base_, path},
                             std::vector<std::string>{"compare", path, base_}}) {
      CommandRun run = RunHarness(args);
      EXPECT_EQ(run.exit_code, 2) << path << ": " << run.output;
      EXPECT_EQ(Lines(run.output), 1) << run.output;
      EXPECT_TRUE(run.output.starts_with("harness: " + path)) << run.output;
      EXPECT_NE(run.output.find(error), std::string::npos) << run.output;
    }
  }
}

}  // namespace
}  // namespace harness
