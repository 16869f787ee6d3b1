// How report cells spell numbers and free text. Every number formatter
// renders NaN as kMissing, so "not measured" looks the same everywhere.
#pragma once

#include <string>
#include <string_view>

namespace harness {

inline constexpr std::string_view kMissing = "–";  // en dash

std::string FormatRps(double rps);          // 9740
std::string FormatMs(double ms);            // 0.512, 1.04, 30.0: ~3 significant digits
std::string FormatMib(double mib);          // 83
std::string FormatCpuPct(double pct);       // 8.5
std::string FormatImprovement(double pct);  // 3093, 97, 99.97 (never "100" unless it is)
// `digits` significant digits without an exponent: 0.0123, 1.23, 123.
std::string FormatSignificant(double value, int digits);

// Free text (names, errors, warnings) made safe for a GitHub Markdown table
// cell or paragraph: no line breaks, and characters Markdown would interpret
// (| * _ ` < [ ] \) backslash-escaped.
std::string EscapeMarkdown(std::string_view text);
// `text` as an inline code span, however many backticks it holds.
std::string CodeSpan(std::string_view text);
// `text` as a fenced code block, every line prefixed with `indent`.
std::string CodeBlock(std::string_view text, std::string_view indent = "");

}  // namespace harness
