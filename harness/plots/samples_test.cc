#include "plots/samples.h"

#include <gtest/gtest.h>

namespace harness {
namespace {

TEST(SamplesCsvTest, ParsesTheSamplersOutput) {
  // The first rows of a real raw/axum/closed-1.samples.csv.
  auto samples = ParseSamplesCsv(
      "t_s,group,cpu_pct,rss_mib,processes\n"
      "0.000,server,,4.7,1\n"
      "0.000,postgres,,158.0,9\n"
      "0.051,server,59.0,5.4,1\n"
      "0.083,oha,0.0,0.0,0\n",
      "s.csv");
  ASSERT_TRUE(samples) << samples.error().message;
  ASSERT_EQ(samples->size(), 4u);
  EXPECT_EQ((*samples)[0].group, "server");
  EXPECT_FALSE((*samples)[0].cpu_pct);
  EXPECT_DOUBLE_EQ((*samples)[0].rss_mib, 4.7);
  EXPECT_EQ((*samples)[1].processes, 9);
  EXPECT_DOUBLE_EQ((*samples)[2].t_s, 0.051);
  EXPECT_DOUBLE_EQ(*(*samples)[2].cpu_pct, 59.0);
}

TEST(SamplesCsvTest, ErrorsNameTheFileAndLine) {
  auto header = ParseSamplesCsv("time,cpu\n1,2\n", "s.csv");
  ASSERT_FALSE(header);
  EXPECT_EQ(header.error().message,
            "s.csv:1: expected the header t_s,group,cpu_pct,rss_mib,processes");
  auto row = ParseSamplesCsv("t_s,group,cpu_pct,rss_mib,processes\n0.1,server,x,1,1\n", "s.csv");
  ASSERT_FALSE(row);
  EXPECT_EQ(row.error().message, "s.csv:2: malformed sample row '0.1,server,x,1,1'");
  auto empty = ParseSamplesCsv("", "s.csv");
  EXPECT_FALSE(empty);
}

}  // namespace
}  // namespace harness
