#include "plots/axis.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace harness {

double Scale::operator()(double value) const {
  double share = log ? (std::log10(value) - std::log10(lo)) / (std::log10(hi) - std::log10(lo))
                     : (value - lo) / (hi - lo);
  return from + share * (to - from);
}

std::vector<double> LinearTicks(double lo, double hi, int count) {
  if (!(hi > lo)) hi = lo + (lo == 0 ? 1 : std::abs(lo));
  double raw = (hi - lo) / std::max(1, count);
  int exponent = static_cast<int>(std::floor(std::log10(raw)));
  double factor = 10;
  for (double f : {1.0, 2.0, 5.0}) {
    if (f * std::pow(10, exponent) >= raw) {
      factor = f;
      break;
    }
  }
  // Tick i is i × factor × 10^exponent, computed so that 0.6 comes out as 0.6, not 0.6000000001.
  double power = std::pow(10, std::abs(exponent));
  auto tick = [&](long long i) { return exponent < 0 ? i * factor / power : i * factor * power; };
  std::vector<double> ticks;
  long long first = static_cast<long long>(std::floor(lo / tick(1)));
  for (long long i = first;; ++i) {
    ticks.push_back(tick(i));
    if (ticks.back() >= hi * (1 - 1e-12) || ticks.size() > 100) break;
  }
  return ticks;
}

std::pair<double, double> DecadeRange(double lo, double hi) {
  double low = std::pow(10, std::floor(std::log10(lo)));
  double high = std::pow(10, std::ceil(std::log10(hi)));
  if (high <= low) high = low * 10;
  return {low, high};
}

std::vector<double> LogTicks(double lo, double hi) {
  std::vector<double> ticks;
  bool fine = std::log10(hi / lo) <= 3.01;
  for (double decade = std::pow(10, std::floor(std::log10(lo))); decade <= hi * 1.0001;
       decade *= 10) {
    for (double factor : {1.0, 2.0, 5.0}) {
      if (factor != 1 && !fine) continue;
      double v = decade * factor;
      if (v >= lo * 0.9999 && v <= hi * 1.0001) ticks.push_back(v);
    }
  }
  return ticks;
}

std::string TickLabel(double value) {
  if (std::abs(value) >= 1e6) return fmt::format("{:.3g}", value);
  std::string s = fmt::format("{:.6f}", value);
  s.erase(s.find_last_not_of('0') + 1);
  if (s.ends_with('.')) s.pop_back();
  return s == "-0" ? "0" : s;
}

}  // namespace harness
