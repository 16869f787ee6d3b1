// What every plot shares: the palette, the title block, axes with grid lines, the legend.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "plots/axis.h"
#include "plots/svg.h"

namespace harness {

// The plot area, in pixels.
struct Frame {
  double left, top, right, bottom;
};

// A server keeps its colour in every plot of a run: the Okabe-Ito palette, distinct for
// colour-blind readers too, by the server's place in the run.
std::string_view SeriesColor(size_t index);

// A bold title and a grey line below it.
void DrawTitle(Svg& svg, std::string_view title, std::string_view subtitle);

// Horizontal grid lines with their labels on the left, and the axis name written upwards.
void DrawYAxis(Svg& svg, const Frame& frame, const Scale& y, const std::vector<double>& ticks,
               std::string_view name);

// Vertical grid lines at `ticks` labelled `labels`, and the axis name below.
void DrawXAxis(Svg& svg, const Frame& frame, const Scale& x, const std::vector<double>& ticks,
               const std::vector<std::string>& labels, std::string_view name);

// A swatch and a name per series, top to bottom from (x, y).
void DrawLegend(Svg& svg, double x, double y, const std::vector<std::string>& names,
                const std::vector<std::string_view>& colors);

// One server's line through its points, in data coordinates.
struct Line {
  std::string name;
  std::string_view color;
  std::vector<XY> points;
};

// Each line with its points marked, and the legend to the right of the frame.
void DrawLines(Svg& svg, const Frame& frame, const Scale& x, const Scale& y,
               const std::vector<Line>& lines);

}  // namespace harness
