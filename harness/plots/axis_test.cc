#include "plots/axis.h"

#include <gtest/gtest.h>

namespace harness {
namespace {

TEST(AxisTest, LinearScaleMapsEndsAndMiddle) {
  Scale y{0, 100, 300, 100};  // a y axis: 0 at the bottom (pixel 300)
  EXPECT_DOUBLE_EQ(y(0), 300);
  EXPECT_DOUBLE_EQ(y(100), 100);
  EXPECT_DOUBLE_EQ(y(50), 200);
}

TEST(AxisTest, LogScaleGivesEachDecadeTheSameRoom) {
  Scale y{0.1, 100, 400, 100, true};
  EXPECT_DOUBLE_EQ(y(0.1), 400);
  EXPECT_DOUBLE_EQ(y(1), 300);
  EXPECT_DOUBLE_EQ(y(10), 200);
  EXPECT_DOUBLE_EQ(y(100), 100);
}

TEST(AxisTest, LinearTicksAreRoundAndCoverTheRange) {
  EXPECT_EQ(LinearTicks(0, 14338), (std::vector<double>{0, 5000, 10000, 15000}));
  EXPECT_EQ(LinearTicks(0, 100), (std::vector<double>{0, 20, 40, 60, 80, 100}));
  EXPECT_EQ(LinearTicks(0, 0.9, 4), (std::vector<double>{0, 0.5, 1}));
  EXPECT_EQ(LinearTicks(0, 0), (std::vector<double>{0, 0.2, 0.4, 0.6, 0.8, 1}));
}

TEST(AxisTest, DecadeRangeAndLogTicks) {
  EXPECT_EQ(DecadeRange(0.401, 157.9), (std::pair<double, double>{0.1, 1000}));
  EXPECT_EQ(DecadeRange(2, 3), (std::pair<double, double>{1, 10}));
  EXPECT_EQ(DecadeRange(1, 1), (std::pair<double, double>{1, 10}));
  std::vector<double> fine = LogTicks(0.1, 10);
  ASSERT_EQ(fine.size(), 7u);  // 0.1 0.2 0.5 1 2 5 10
  EXPECT_DOUBLE_EQ(fine[1], 0.2);
  EXPECT_DOUBLE_EQ(fine[5], 5);
  std::vector<double> coarse = LogTicks(0.01, 1000);
  ASSERT_EQ(coarse.size(), 6u);  // decades only
  EXPECT_DOUBLE_EQ(coarse[0], 0.01);
  EXPECT_DOUBLE_EQ(coarse[5], 1000);
}

TEST(AxisTest, TickLabelsHaveNoNoise) {
  EXPECT_EQ(TickLabel(0.1), "0.1");
  EXPECT_EQ(TickLabel(0.30000000000000004), "0.3");
  EXPECT_EQ(TickLabel(15000), "15000");
  EXPECT_EQ(TickLabel(0), "0");
  EXPECT_EQ(TickLabel(2e6), "2e+06");
}

}  // namespace
}  // namespace harness
