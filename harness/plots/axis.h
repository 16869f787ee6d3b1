// From data to pixels, and which values get a tick mark.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace harness {

// Maps [lo, hi] onto pixels [from, to] (to < from for a y axis, whose pixels grow downwards),
// linearly or logarithmically (lo > 0 then).
struct Scale {
  double lo, hi;
  double from, to;
  bool log = false;
  double operator()(double value) const;
};

// Round values (1, 2 or 5 × 10^k apart) from 0 or below `lo` up to at least `hi`, about
// `count` of them; a degenerate range gets a sensible one.
std::vector<double> LinearTicks(double lo, double hi, int count = 5);

// [lo, hi] (both > 0) widened to whole powers of ten: a latency axis from 0.1 to 100 ms.
std::pair<double, double> DecadeRange(double lo, double hi);

// The powers of ten in [lo, hi], and 2 and 5 times them when there are three decades or fewer.
std::vector<double> LogTicks(double lo, double hi);

// 0.1, 2, 2500, 12000: no trailing zeros, no exponent below a million.
std::string TickLabel(double value);

}  // namespace harness
