#include "plots/svg.h"

#include <gtest/gtest.h>

namespace harness {
namespace {

TEST(SvgTest, EscapesTextAndAttributes) {
  EXPECT_EQ(EscapeXml(R"(a<b & "c" 'd'>)"), "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;");
}

TEST(SvgTest, WritesAStandaloneDocumentWithABackground) {
  Svg svg(200, 100, "t <1>");
  svg.Line(0, 0, 10, 10, "#000", 1, "4 2");
  svg.Polyline({{0, 0}, {1.25, 2}}, "red");
  svg.Text(5, 6, "x & y", {.size = 10, .anchor = "middle", .rotate = -90});
  std::string out = svg.Finish();
  EXPECT_TRUE(
      out.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"200\" "
                      "height=\"100\" viewBox=\"0 0 200 100\""))
      << out;
  EXPECT_NE(out.find("<title>t &lt;1&gt;</title>\n<rect x=\"0.0\" y=\"0.0\" width=\"200.0\" "
                     "height=\"100.0\" fill=\"#ffffff\""),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("stroke-dasharray=\"4 2\""), std::string::npos);
  EXPECT_NE(out.find("points=\"0.0,0.0 1.2,2.0\""), std::string::npos) << out;
  EXPECT_NE(out.find("transform=\"rotate(-90 5.0 6.0)\">x &amp; y</text>"), std::string::npos)
      << out;
  EXPECT_TRUE(out.ends_with("</svg>\n"));
}

}  // namespace
}  // namespace harness
