#include "results/level.h"

#include <gtest/gtest.h>

namespace harness {
namespace {

TEST(LevelTest, SpelledAsResultsJsonSpellsThem) {
  EXPECT_EQ(Level().Name(), "");
  EXPECT_EQ(Level::Saturation().Name(), "saturation");
  EXPECT_EQ(Level::Fraction(0.5).Name(), "0.50");
  EXPECT_EQ(Level::Fraction(0.9).Label(), "90%");
  EXPECT_EQ(Level::Fraction(1.25).Name(), "1.25");
  for (const char* name : {"", "saturation", "0.25", "0.90"}) {
    ASSERT_TRUE(Level::Parse(name)) << name;
    EXPECT_EQ(Level::Parse(name)->Name(), name);
  }
  EXPECT_EQ(*Level::Parse("0.5"), Level::Fraction(0.5));
  EXPECT_FALSE(Level::Parse("half"));
  EXPECT_FALSE(Level::Parse("-0.5"));
  EXPECT_EQ(Level::Fraction(0.9).fraction(), 0.9);
  EXPECT_FALSE(Level::Saturation().fraction());
}

TEST(LevelTest, OrderedAsTheLoadGrows) {
  EXPECT_LT(Level(), Level::Saturation());
  EXPECT_LT(Level::Saturation(), Level::Fraction(0.25));
  EXPECT_LT(Level::Fraction(0.25), Level::Fraction(0.9));
  EXPECT_EQ(Level::Fraction(0.333), Level::Fraction(0.33));  // to the hundredth
}

}  // namespace
}  // namespace harness
