// The two-sided Mann-Whitney U test (Wilcoxon rank-sum) over the repetitions of two runs: does
// one sample tend to be larger than the other, or is the difference noise? Google Benchmark's
// compare.py uses the same test for the same question. Ties get midranks.
#pragma once

#include <vector>

namespace harness {

struct UTest {
  double u = 0;        // U of the first sample: pairs (a, b) with a > b, a tie counting 1/2
  double p_value = 1;  // two-sided
  bool exact = true;   // exact permutation distribution, or the normal approximation
};

// Samples of up to this many values in all get the exact distribution (conditional on the
// ties, by dynamic programming over rank sums); larger ones the normal approximation with tie
// and continuity correction, as scipy.stats.mannwhitneyu computes it.
inline constexpr int kExactLimit = 40;

// Both samples must be non-empty. Two-sided: twice the smaller one-sided p-value, at most 1.
UTest MannWhitneyU(const std::vector<double>& a, const std::vector<double>& b);

// The smallest two-sided p-value the test can give for samples of these sizes (no ties):
// 2 / C(n1 + n2, n1). Above alpha, the test cannot call anything significant: with n1 = n2 it
// needs 4 values each for alpha = 0.05 (2/70 = 0.029; with 3 each, 2/20 = 0.1).
double MinimumPValue(int n1, int n2);

}  // namespace harness
