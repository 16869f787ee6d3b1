#include "compare/mann_whitney.h"

#include <gtest/gtest.h>

namespace harness {
namespace {

// Reference values from scipy 1.17.1 in a throwaway venv (scipy is not a project dependency):
//   scipy.stats.mannwhitneyu(a, b, alternative="two-sided", method="exact")
// for samples without ties; with ties, the exact conditional distribution by enumerating every
// split, method=scipy.stats.PermutationMethod(n_resamples=numpy.inf); for large samples
// method="asymptotic" (normal approximation with tie and continuity correction).
struct Reference {
  std::vector<double> a, b;
  double u, p;
};

void ExpectMatches(const Reference& r, bool exact) {
  UTest test = MannWhitneyU(r.a, r.b);
  EXPECT_DOUBLE_EQ(test.u, r.u);
  EXPECT_NEAR(test.p_value, r.p, 1e-12);
  EXPECT_EQ(test.exact, exact);
}

TEST(MannWhitneyTest, ExactWithoutTiesMatchesScipy) {
  ExpectMatches({{1, 2, 3, 4, 5}, {6, 7, 8, 9, 10}, 0, 0.007936507936507936}, true);
  ExpectMatches({{1, 2, 3, 4, 7}, {5, 6, 8, 9, 10}, 2, 0.031746031746031744}, true);
  ExpectMatches({{1, 2, 3, 5, 7}, {4, 6, 8, 9, 10}, 3, 0.05555555555555555}, true);
  ExpectMatches({{1, 2, 3, 4}, {5, 6, 7, 8}, 0, 0.02857142857142857}, true);
  ExpectMatches({{1, 2, 3}, {4, 5, 6}, 0, 0.1}, true);
  ExpectMatches({{1.5, 2.5, 3.1, 4.7, 8.8, 9.9}, {5.2, 6.3, 7.4, 10.1}, 6, 0.2571428571428571},
                true);
  // Real axum closed-loop rps of two A/A runs: noise, not a change.
  ExpectMatches(
      {{5510, 5230, 5190, 5610, 5240}, {5260, 5020, 4970, 4770, 5420}, 19, 0.2222222222222222},
      true);
}

TEST(MannWhitneyTest, DirectionDoesNotMatterTwoSided) {
  UTest up = MannWhitneyU({6, 7, 8, 9, 10}, {1, 2, 3, 4, 5});
  EXPECT_DOUBLE_EQ(up.u, 25);
  EXPECT_NEAR(up.p_value, 0.007936507936507936, 1e-12);
}

TEST(MannWhitneyTest, ExactWithTiesMatchesScipyPermutation) {
  // Peak RSS in MiB repeats exactly from run to run: ties are the rule, not the exception.
  ExpectMatches({{5.5, 5.5, 5.6, 5.7, 5.4}, {5.4, 5.4, 5.3, 5.5, 5.2}, 22, 0.07936507936507936},
                true);
  ExpectMatches({{1, 1, 2, 2}, {2, 3, 3, 3}, 1, 0.08571428571428572}, true);
  ExpectMatches({{7, 7, 7}, {7, 7, 7}, 4.5, 1.0}, true);
}

TEST(MannWhitneyTest, NormalApproximationWithTiesMatchesScipy) {
  ExpectMatches({{10.3, 10.8, 10.3, 8.7,  10.9, 10.4, 9.5, 10.6, 10.4, 10.3, 10.0, 10.5, 9.3,
                  9.8,  9.5,  10.6, 10.0, 9.7,  9.2,  9.7, 10.0, 9.7,  11.3, 11.0, 7.3},
                 {8.7,  10.4, 10.2, 10.8, 10.8, 12.7, 9.5,  10.2, 12.6, 11.2, 11.3, 10.1, 9.0,
                  10.8, 10.7, 9.4,  9.9,  10.5, 9.7,  10.5, 10.7, 10.6, 10.1, 11.2, 11.5},
                 215,
                 0.05951901057103124},
                false);
}

TEST(MannWhitneyTest, AllEqualLargeSamplesAreNoEvidence) {
  UTest test = MannWhitneyU(std::vector<double>(30, 1.0), std::vector<double>(30, 1.0));
  EXPECT_FALSE(test.exact);
  EXPECT_EQ(test.p_value, 1);
}

TEST(MannWhitneyTest, MinimumPValueSaysWhenTheTestCanDecide) {
  EXPECT_DOUBLE_EQ(MinimumPValue(3, 3), 0.1);  // cannot reach 0.05
  EXPECT_NEAR(MinimumPValue(4, 4), 2.0 / 70, 1e-15);
  EXPECT_NEAR(MinimumPValue(5, 5), 2.0 / 252, 1e-15);
  EXPECT_NEAR(MinimumPValue(3, 5), 2.0 / 56, 1e-15);  // unequal sizes can: 0.036
  EXPECT_EQ(MinimumPValue(1, 1), 1);
  EXPECT_EQ(MinimumPValue(0, 5), 1);
}

}  // namespace
}  // namespace harness
