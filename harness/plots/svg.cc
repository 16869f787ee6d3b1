#include "plots/svg.h"

#include <fmt/format.h>

namespace harness {

std::string EscapeXml(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

Svg::Svg(double width, double height, std::string_view title) : width_(width), height_(height) {
  body_ = fmt::format("<title>{}</title>\n", EscapeXml(title));
  Rect(0, 0, width, height, "#ffffff");
}

void Svg::Line(double x1, double y1, double x2, double y2, std::string_view stroke, double width,
               std::string_view dash) {
  body_ += fmt::format(
      "<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"{}\" "
      "stroke-width=\"{}\"{}/>\n",
      x1, y1, x2, y2, stroke, width,
      dash.empty() ? "" : fmt::format(" stroke-dasharray=\"{}\"", dash));
}

void Svg::Polyline(const std::vector<XY>& points, std::string_view stroke, double width,
                   std::string_view dash) {
  if (points.empty()) return;
  std::string coords;
  for (const XY& p : points)
    coords += fmt::format("{}{:.1f},{:.1f}", coords.empty() ? "" : " ", p.x, p.y);
  body_ += fmt::format(
      "<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"{}\" "
      "stroke-linejoin=\"round\"{}/>\n",
      coords, stroke, width, dash.empty() ? "" : fmt::format(" stroke-dasharray=\"{}\"", dash));
}

void Svg::Rect(double x, double y, double width, double height, std::string_view fill,
               std::string_view stroke) {
  body_ += fmt::format(
      "<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"{}\" "
      "stroke=\"{}\"/>\n",
      x, y, width, height, fill, stroke);
}

void Svg::Circle(double cx, double cy, double r, std::string_view fill) {
  body_ +=
      fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"{}\" fill=\"{}\"/>\n", cx, cy, r, fill);
}

void Svg::Text(double x, double y, std::string_view text, const TextStyle& style) {
  std::string extra;
  if (style.bold) extra += " font-weight=\"bold\"";
  if (style.rotate != 0) {
    extra += fmt::format(" transform=\"rotate({} {:.1f} {:.1f})\"", style.rotate, x, y);
  }
  body_ += fmt::format(
      "<text x=\"{:.1f}\" y=\"{:.1f}\" font-size=\"{}\" text-anchor=\"{}\" "
      "fill=\"{}\"{}>{}</text>\n",
      x, y, style.size, style.anchor, style.fill, extra, EscapeXml(text));
}

std::string Svg::Finish() const {
  return fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" "
      "viewBox=\"0 0 {0} {1}\" font-family=\"Helvetica, Arial, sans-serif\">\n{2}</svg>\n",
      width_, height_, body_);
}

}  // namespace harness
