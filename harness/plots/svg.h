// A minimal SVG writer for the plots, by hand: absolute coordinates, a white background (readable
// in GitHub's dark mode too), the reader's own sans-serif font, no scripts, no external
// resources. A file renders the same in a browser, on GitHub and through rsvg-convert.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace harness {

struct XY {
  double x, y;
};

struct TextStyle {
  double size = 12;
  std::string_view anchor = "start";  // start, middle, end
  std::string_view fill = "#333";
  bool bold = false;
  double rotate = 0;  // degrees, about (x, y)
};

class Svg {
 public:
  // `title` becomes the <title> element: what a screen reader or a tooltip says.
  Svg(double width, double height, std::string_view title);

  void Line(double x1, double y1, double x2, double y2, std::string_view stroke, double width = 1,
            std::string_view dash = "");
  void Polyline(const std::vector<XY>& points, std::string_view stroke, double width = 2,
                std::string_view dash = "");
  void Rect(double x, double y, double width, double height, std::string_view fill,
            std::string_view stroke = "none");
  void Circle(double cx, double cy, double r, std::string_view fill);
  void Text(double x, double y, std::string_view text, const TextStyle& style = {});

  double width() const { return width_; }
  double height() const { return height_; }
  std::string Finish() const;

 private:
  double width_, height_;
  std::string body_;
};

// & < > " ' as entities: names and commands go into text and attributes.
std::string EscapeXml(std::string_view text);

}  // namespace harness
