#include "plots/plots.h"

#include <gtest/gtest.h>

#include "compare/test_runs.h"
#include "testing/cli.h"
#include "util/files.h"

namespace harness {
namespace {

namespace fs = std::filesystem;

// A minimal check that an SVG is whole and self-contained: one root, nothing to fetch or run.
void ExpectStandalone(const std::string& svg) {
  EXPECT_TRUE(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\"")) << svg;
  EXPECT_TRUE(svg.ends_with("</svg>\n"));
  for (const char* banned : {"<script", "href", "@import", "url("}) {
    EXPECT_EQ(svg.find(banned), std::string::npos) << banned;
  }
}

TEST(PlotsTest, PlotFilesNameOnePlotPerKindAndScenario) {
  auto files = PlotFiles(test_runs::MakeRun({1}));
  ASSERT_EQ(files.size(), 5u);
  EXPECT_EQ(files[0].path, "plots/throughput.svg");
  EXPECT_EQ(files[1].path, "plots/latency-closed.svg");
  EXPECT_EQ(files[2].path, "plots/latency-keepalive.svg");
  EXPECT_EQ(files[3].path, "plots/usage-closed.svg");
  EXPECT_EQ(files[4].title, "CPU and memory over time: keepalive");
  EXPECT_TRUE(PlotFiles(RunResults{}).empty());
}

TEST(PlotsTest, WritePlotsWritesWhatItHasDataFor) {
  fs::path dir = TempDir("plots");
  RunResults run = test_runs::MakeRun({1});
  run.measurements[0].raw_samples = "raw/axum/closed-1.samples.csv";
  ASSERT_TRUE(WriteFileAtomic(dir / run.measurements[0].raw_samples,
                              "t_s,group,cpu_pct,rss_mib,processes\n"
                              "0.000,server,,4.7,1\n0.000,oha,,2.8,1\n"
                              "0.050,server,59.0,5.4,1\n0.100,server,61.8,5.6,1\n"));
  Status s = WritePlots(run, dir);
  ASSERT_TRUE(s) << s.error().message;
  for (const char* file :
       {"throughput.svg", "latency-closed.svg", "latency-keepalive.svg", "usage-closed.svg"}) {
    auto text = ReadFile(dir / "plots" / file);
    ASSERT_TRUE(text) << file;
    ExpectStandalone(*text);
  }
  // No samples for keepalive: no plot rather than an empty one.
  EXPECT_FALSE(fs::exists(dir / "plots" / "usage-keepalive.svg"));
  fs::remove_all(dir);
}

// A scenario whose every point was saturated has latencies that measure a backlog: no spectrum
// is drawn, one left from an earlier rendering goes, and report.md links only what is there.
TEST(PlotsTest, TheReportLinksNoPlotThatWasNotWritten) {
  fs::path dir = TempDir("plots");
  RunResults run = test_runs::MakeRun({1});
  for (Measurement& m : run.measurements) m.saturated = m.scenario == "keepalive";
  ASSERT_TRUE(WriteFileAtomic(dir / "plots" / "latency-keepalive.svg", "<svg/>"));
  Status s = WritePlots(run, dir);
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_TRUE(fs::exists(dir / "plots" / "latency-closed.svg"));
  EXPECT_FALSE(fs::exists(dir / "plots" / "latency-keepalive.svg"));
  std::vector<std::string> linked;
  for (const PlotLink& link : PlotLinks(run, dir)) {
    EXPECT_TRUE(fs::exists(dir / link.path)) << link.path;
    linked.push_back(link.path);
  }
  // No raw samples in this run: no usage plot either.
  EXPECT_EQ(linked, (std::vector<std::string>{"plots/throughput.svg", "plots/latency-closed.svg"}));
  fs::remove_all(dir);
}

TEST(PlotsTest, AMalformedSamplesFileIsNamedButTheOtherPlotsAreWritten) {
  fs::path dir = TempDir("plots");
  RunResults run = test_runs::MakeRun({1});
  run.measurements[0].raw_samples = "raw/axum/closed-1.samples.csv";
  ASSERT_TRUE(WriteFileAtomic(dir / run.measurements[0].raw_samples, "garbage\n"));
  ASSERT_TRUE(WriteFileAtomic(dir / "plots" / "usage-closed.svg", "<svg/>"));  // drawn before
  Status s = WritePlots(run, dir);
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().message.find("closed-1.samples.csv:1: expected the header"),
            std::string::npos)
      << s.error().message;
  EXPECT_TRUE(fs::exists(dir / "plots" / "throughput.svg"));
  EXPECT_TRUE(fs::exists(dir / "plots" / "latency-keepalive.svg"));
  EXPECT_FALSE(fs::exists(dir / "plots" / "usage-closed.svg"));
  for (const PlotLink& link : PlotLinks(run, dir)) EXPECT_NE(link.path, "plots/usage-closed.svg");
  fs::remove_all(dir);
}

}  // namespace
}  // namespace harness
