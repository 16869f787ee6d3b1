#include "report/format.h"

#include <gtest/gtest.h>

#include <cmath>

namespace harness {
namespace {

TEST(ReportFormatTest, NumbersAsTheReferencePrintsThem) {
  EXPECT_EQ(FormatRps(9739.97), "9740");
  EXPECT_EQ(FormatMs(30.0), "30.0");
  EXPECT_EQ(FormatMs(74.6), "74.6");
  EXPECT_EQ(FormatMs(1.04), "1.04");
  EXPECT_EQ(FormatMs(0.5123), "0.512");
  EXPECT_EQ(FormatMib(83.4), "83");
  EXPECT_EQ(FormatCpuPct(8.46), "8.5");
  EXPECT_EQ(FormatImprovement(3093.4), "3093");
  EXPECT_EQ(FormatImprovement(97.2), "97");
}

TEST(ReportFormatTest, ImprovementNearAHundredKeepsDecimals) {
  EXPECT_EQ(FormatImprovement(99.973), "99.97");
  EXPECT_EQ(FormatImprovement(100), "100");
  EXPECT_EQ(FormatImprovement(-100.2), "-100.20");
}

TEST(ReportFormatTest, NoSignOnZero) {
  EXPECT_EQ(FormatImprovement(-0.3), "0");
  EXPECT_EQ(FormatCpuPct(-0.01), "0.0");
  EXPECT_EQ(FormatImprovement(-12), "-12");
}

TEST(ReportFormatTest, NaNIsMissing) {
  for (auto format : {FormatRps, FormatMs, FormatMib, FormatCpuPct, FormatImprovement}) {
    EXPECT_EQ(format(NAN), "–");
  }
  EXPECT_EQ(FormatSignificant(NAN, 3), "–");
}

TEST(ReportFormatTest, SignificantDigitsWithoutExponent) {
  EXPECT_EQ(FormatSignificant(0.012345, 3), "0.0123");
  EXPECT_EQ(FormatSignificant(1.2345, 3), "1.23");
  EXPECT_EQ(FormatSignificant(12345, 3), "12345");
  EXPECT_EQ(FormatSignificant(0, 3), "0");
}

TEST(ReportFormatTest, EscapesWhatMarkdownWouldInterpret) {
  EXPECT_EQ(EscapeMarkdown("a|b"), "a\\|b");
  EXPECT_EQ(EscapeMarkdown("p99 <1ms *now*"), "p99 \\<1ms \\*now\\*");
  EXPECT_EQ(EscapeMarkdown("line\nbreak"), "line break");
  EXPECT_EQ(EscapeMarkdown("plain-text 1.0"), "plain-text 1.0");
}

TEST(ReportFormatTest, CodeSpanOutrunsBackticksInside) {
  EXPECT_EQ(CodeSpan("oha -n 10 http://x/"), "`oha -n 10 http://x/`");
  EXPECT_EQ(CodeSpan("a`b"), "``a`b``");
  EXPECT_EQ(CodeSpan("`x"), "`` `x ``");
}

TEST(ReportFormatTest, CodeBlockIndentsEveryLine) {
  EXPECT_EQ(CodeBlock("one\n\ntwo\n", "  "), "  ```\n  one\n  \n  two\n  ```\n");
  EXPECT_EQ(CodeBlock("has ``` inside"), "````\nhas ``` inside\n````\n");
  EXPECT_EQ(CodeBlock(""), "```\n```\n");
}

}  // namespace
}  // namespace harness
