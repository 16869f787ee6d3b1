#include "compare/mann_whitney.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <utility>

namespace harness {
namespace {

// Midranks of the pooled values, doubled so that they are integers (a tie of two at ranks 3 and
// 4 gets 7), and the sizes of the tie groups.
struct Ranks {
  std::vector<int> doubled;  // pooled order: the first sample, then the second
  std::vector<int> ties;     // the size of each group of equal values
};

Ranks RankPooled(const std::vector<double>& pooled) {
  std::vector<size_t> order(pooled.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t x, size_t y) { return pooled[x] < pooled[y]; });
  Ranks ranks;
  ranks.doubled.resize(pooled.size());
  for (size_t i = 0; i < order.size();) {
    size_t j = i;
    while (j < order.size() && pooled[order[j]] == pooled[order[i]]) ++j;
    // Ranks i+1 .. j share their mean, (i+1+j)/2; doubled, i+1+j.
    for (size_t k = i; k < j; ++k) ranks.doubled[order[k]] = static_cast<int>(i + 1 + j);
    ranks.ties.push_back(static_cast<int>(j - i));
    i = j;
  }
  return ranks;
}

// The exact null distribution of the first sample's doubled rank sum: every way of choosing n1
// of the pooled ranks is equally likely. ways[k][s] counts the subsets of size k summing to s;
// doubles hold the counts exactly (C(40, 20) < 2^53).
std::pair<double, double> ExactTails(const std::vector<int>& doubled, int n1, int observed) {
  int total = std::accumulate(doubled.begin(), doubled.end(), 0);
  std::vector<std::vector<double>> ways(n1 + 1, std::vector<double>(total + 1, 0));
  ways[0][0] = 1;
  int reach = 0;  // the largest sum of the ranks seen so far: nothing above it is counted yet
  for (int rank : doubled) {
    reach += rank;
    for (int k = n1; k >= 1; --k) {
      for (int s = reach; s >= rank; --s) ways[k][s] += ways[k - 1][s - rank];
    }
  }
  double all = 0, at_most = 0, at_least = 0;
  for (int s = 0; s <= total; ++s) {
    all += ways[n1][s];
    if (s <= observed) at_most += ways[n1][s];
    if (s >= observed) at_least += ways[n1][s];
  }
  return {at_most / all, at_least / all};
}

}  // namespace

UTest MannWhitneyU(const std::vector<double>& a, const std::vector<double>& b) {
  std::vector<double> pooled = a;
  pooled.insert(pooled.end(), b.begin(), b.end());
  const int n1 = static_cast<int>(a.size()), n2 = static_cast<int>(b.size()), n = n1 + n2;
  Ranks ranks = RankPooled(pooled);
  int doubled_sum = std::accumulate(ranks.doubled.begin(), ranks.doubled.begin() + n1, 0);

  UTest test;
  test.u = doubled_sum / 2.0 - n1 * (n1 + 1) / 2.0;
  if (n <= kExactLimit) {
    auto [at_most, at_least] = ExactTails(ranks.doubled, n1, doubled_sum);
    test.p_value = std::min(1.0, 2 * std::min(at_most, at_least));
    return test;
  }
  test.exact = false;
  double tie_term = 0;
  for (int t : ranks.ties) tie_term += static_cast<double>(t) * t * t - t;
  double variance = n1 * n2 / 12.0 * ((n + 1) - tie_term / (static_cast<double>(n) * (n - 1)));
  if (variance <= 0) return test;  // every value equal: no evidence of a difference
  double mean = n1 * n2 / 2.0;
  double z = (std::max(test.u, n1 * n2 - test.u) - mean - 0.5) / std::sqrt(variance);
  test.p_value = std::clamp(std::erfc(z / std::sqrt(2.0)), 0.0, 1.0);  // 2 * (1 - Phi(z))
  return test;
}

double MinimumPValue(int n1, int n2) {
  if (n1 < 1 || n2 < 1) return 1;
  double choose = 1;  // C(n1 + n2, n1), built up as a product of ratios
  for (int i = 1; i <= n1; ++i) choose = choose * (n2 + i) / i;
  return std::min(1.0, 2 / choose);
}

}  // namespace harness
