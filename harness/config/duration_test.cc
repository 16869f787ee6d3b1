#include "config/duration.h"

#include <gtest/gtest.h>

namespace harness {
namespace {

TEST(DurationTest, ParsesEveryUnit) {
  EXPECT_EQ(ParseDuration("250ms"), Duration(250));
  EXPECT_EQ(ParseDuration("30s"), Duration(30'000));
  EXPECT_EQ(ParseDuration("1.5s"), Duration(1'500));
  EXPECT_EQ(ParseDuration("2m"), Duration(120'000));
  EXPECT_EQ(ParseDuration("1h"), Duration(3'600'000));
}

TEST(DurationTest, RejectsWhatIsNotADuration) {
  for (const char* bad : {"", "30", "s", "-1s", "10 s", "1d", "1sx", "abc", "1e30h"}) {
    EXPECT_FALSE(ParseDuration(bad)) << bad;
  }
}

TEST(DurationTest, FormatsShortestExactSpelling) {
  EXPECT_EQ(FormatDuration(Duration(1500)), "1500ms");
  EXPECT_EQ(FormatDuration(Duration(30'000)), "30s");
  EXPECT_EQ(FormatDuration(Duration(120'000)), "2m");
  EXPECT_EQ(FormatDuration(Duration(0)), "0ms");
}

}  // namespace
}  // namespace harness
