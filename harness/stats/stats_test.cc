#include "stats/stats.h"

#include <gtest/gtest.h>

#include <cmath>

namespace harness {
namespace {

TEST(StatsTest, MedianOfOddCountIsTheMiddleValue) {
  EXPECT_EQ(Median({9811, 9610, 9740}), 9740);
  EXPECT_EQ(Median({42}), 42);
}

TEST(StatsTest, MedianOfEvenCountIsTheMeanOfTheMiddleTwo) {
  EXPECT_EQ(Median({4, 1, 3, 2}), 2.5);
  EXPECT_EQ(Median({1, 2}), 1.5);
  EXPECT_EQ(Median({5, 5, 1, 9}), 5);
}

TEST(StatsTest, EmptyHasNoMedianMinOrMax) {
  EXPECT_TRUE(std::isnan(Median({})));
  EXPECT_TRUE(std::isnan(Min({})));
  EXPECT_TRUE(std::isnan(Max({})));
}

TEST(StatsTest, MinAndMax) {
  EXPECT_EQ(Min({3, -1, 2}), -1);
  EXPECT_EQ(Max({3, -1, 2}), 3);
}

// The reference README's table: FastAPI is the base, Axum the value.
TEST(StatsTest, ImprovementReproducesTheReferenceTable) {
  EXPECT_EQ(std::round(Improvement(9740, 305, Better::kHigher)), 3093);
  EXPECT_EQ(std::round(Improvement(1.0, 30.0, Better::kLower)), 97);
  EXPECT_EQ(std::round(Improvement(1.4, 74.6, Better::kLower)), 98);
  EXPECT_EQ(std::round(Improvement(10, 83, Better::kLower)), 88);
  // Its coordinated-omission table: 3029, and 99.97 for p99.
  EXPECT_EQ(std::round(Improvement(9920, 317, Better::kHigher)), 3029);
  EXPECT_NEAR(Improvement(40.4, 151000, Better::kLower), 99.97, 0.005);
}

TEST(StatsTest, ImprovementIsNegativeWhenWorse) {
  EXPECT_EQ(Improvement(50, 100, Better::kHigher), -50);
  EXPECT_EQ(Improvement(150, 100, Better::kLower), -50);
  EXPECT_EQ(Improvement(100, 100, Better::kLower), 0);
}

TEST(StatsTest, ImprovementWithoutABaseIsNaN) {
  EXPECT_TRUE(std::isnan(Improvement(10, 0, Better::kHigher)));
  EXPECT_TRUE(std::isnan(Improvement(10, 0, Better::kLower)));
  EXPECT_TRUE(std::isnan(Improvement(NAN, 5, Better::kLower)));
  EXPECT_TRUE(std::isnan(Improvement(5, NAN, Better::kHigher)));
}

}  // namespace
}  // namespace harness
