#include "plots/chart.h"

namespace harness {
namespace {

constexpr std::string_view kGrid = "#e3e3e3";
constexpr std::string_view kAxis = "#888888";
constexpr std::string_view kLabel = "#555555";

}  // namespace

std::string_view SeriesColor(size_t index) {
  static constexpr std::string_view kPalette[] = {"#0072B2", "#D55E00", "#009E73", "#CC79A7",
                                                  "#E69F00", "#56B4E9", "#000000"};
  return kPalette[index % std::size(kPalette)];
}

void DrawTitle(Svg& svg, std::string_view title, std::string_view subtitle) {
  svg.Text(16, 24, title, {.size = 16, .fill = "#222", .bold = true});
  if (!subtitle.empty()) svg.Text(16, 42, subtitle, {.size = 11, .fill = kLabel});
}

void DrawYAxis(Svg& svg, const Frame& frame, const Scale& y, const std::vector<double>& ticks,
               std::string_view name) {
  for (double tick : ticks) {
    double py = y(tick);
    svg.Line(frame.left, py, frame.right, py, kGrid);
    svg.Text(frame.left - 6, py + 4, TickLabel(tick),
             {.size = 11, .anchor = "end", .fill = kLabel});
  }
  svg.Line(frame.left, frame.top, frame.left, frame.bottom, kAxis);
  double middle = (frame.top + frame.bottom) / 2;
  svg.Text(18, middle, name, {.size = 12, .anchor = "middle", .fill = kLabel, .rotate = -90});
}

void DrawXAxis(Svg& svg, const Frame& frame, const Scale& x, const std::vector<double>& ticks,
               const std::vector<std::string>& labels, std::string_view name) {
  for (size_t i = 0; i < ticks.size(); ++i) {
    double px = x(ticks[i]);
    svg.Line(px, frame.top, px, frame.bottom, kGrid);
    if (i < labels.size()) {
      svg.Text(px, frame.bottom + 16, labels[i], {.size = 11, .anchor = "middle", .fill = kLabel});
    }
  }
  svg.Line(frame.left, frame.bottom, frame.right, frame.bottom, kAxis);
  svg.Text((frame.left + frame.right) / 2, frame.bottom + 34, name,
           {.size = 12, .anchor = "middle", .fill = kLabel});
}

void DrawLegend(Svg& svg, double x, double y, const std::vector<std::string>& names,
                const std::vector<std::string_view>& colors) {
  for (size_t i = 0; i < names.size(); ++i) {
    double row = y + 20.0 * i;
    svg.Rect(x, row - 9, 14, 10, colors[i]);
    svg.Text(x + 20, row, names[i], {.size = 12});
  }
}

void DrawLines(Svg& svg, const Frame& frame, const Scale& x, const Scale& y,
               const std::vector<Line>& lines) {
  std::vector<std::string> names;
  std::vector<std::string_view> colors;
  for (const Line& line : lines) {
    std::vector<XY> pixels;
    for (const XY& p : line.points) pixels.push_back({x(p.x), y(p.y)});
    svg.Polyline(pixels, line.color, 2.5);
    for (const XY& p : pixels) svg.Circle(p.x, p.y, 3.5, line.color);
    names.push_back(line.name);
    colors.push_back(line.color);
  }
  DrawLegend(svg, frame.right + 24, frame.top + 10, names, colors);
}

}  // namespace harness
