#include "stats/stats.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace harness {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

}  // namespace

double Median(std::vector<double> values) {
  if (values.empty()) return kNaN;
  size_t mid = values.size() / 2;
  std::nth_element(values.begin(), values.begin() + mid, values.end());
  double upper = values[mid];
  if (values.size() % 2 == 1) return upper;
  // After nth_element, the lower middle is the largest of the lower half.
  double lower = *std::max_element(values.begin(), values.begin() + mid);
  return (lower + upper) / 2;
}

double Min(const std::vector<double>& values) {
  if (values.empty()) return kNaN;
  return *std::min_element(values.begin(), values.end());
}

double Max(const std::vector<double>& values) {
  if (values.empty()) return kNaN;
  return *std::max_element(values.begin(), values.end());
}

double Improvement(double value, double base, Better better) {
  if (base == 0 || std::isnan(base) || std::isnan(value)) return kNaN;
  double gain = better == Better::kHigher ? value - base : base - value;
  return gain / base * 100;
}

}  // namespace harness
