#include "plots/usage.h"

#include <gtest/gtest.h>

#include "compare/test_runs.h"
#include "testing/cli.h"
#include "util/files.h"

namespace harness {
namespace {

namespace fs = std::filesystem;

TEST(UsagePlotTest, DrawsTheServerGroupOfEachServersSamples) {
  fs::path dir = TempDir("usage-plot");
  RunResults run = test_runs::MakeRun({1, 1});
  for (Measurement& m : run.measurements) {
    m.raw_samples =
        "raw/" + m.server + "/" + m.scenario + "-" + std::to_string(m.repetition) + ".samples.csv";
  }
  // axum's first repetition is not a measurement: its second is drawn instead.
  run.measurements[0].valid = false;
  for (const char* file : {"raw/axum/closed-2.samples.csv", "raw/cpp-beast/closed-1.samples.csv"}) {
    ASSERT_TRUE(WriteFileAtomic(dir / file,
                                "t_s,group,cpu_pct,rss_mib,processes\n"
                                "0.000,server,,4.7,1\n0.000,postgres,,158.0,9\n"
                                "0.100,server,59.0,5.4,1\n0.100,postgres,300.0,190.0,9\n"
                                "1.900,server,61.8,5.6,1\n"));
  }
  auto svg = UsageSvg(run, dir, "closed");
  ASSERT_TRUE(svg) << svg.error().message;
  EXPECT_NE(svg->find("of each server&apos;s first valid repetition"), std::string::npos) << *svg;
  EXPECT_NE(svg->find(">cpp-beast<"), std::string::npos);
  EXPECT_NE(svg->find(">RSS (MiB)<"), std::string::npos);
  EXPECT_NE(svg->find(">CPU (%)<"), std::string::npos);
  EXPECT_EQ(svg->find(">300<"), std::string::npos) << "Postgres is not drawn";
  // Two panels, a line per server in each.
  size_t lines = 0;
  for (size_t at = svg->find("<polyline"); at != std::string::npos;
       at = svg->find("<polyline", at + 1)) {
    ++lines;
  }
  EXPECT_EQ(lines, 4u);
  auto none = UsageSvg(run, dir, "keepalive");  // no samples files there
  ASSERT_TRUE(none);
  EXPECT_EQ(*none, "");
  fs::remove_all(dir);
}

}  // namespace
}  // namespace harness
