#include "report/format.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace harness {
namespace {

std::string Fixed(double value, int decimals) {
  if (std::isnan(value)) return std::string(kMissing);
  std::string s = fmt::format("{:.{}f}", value, decimals);
  // -0.2 rounded to 0 decimals is "-0"; a sign on zero only confuses.
  if (s[0] == '-' && s.find_first_not_of("-0.") == std::string::npos) {
    s.erase(0, 1);
  }
  return s;
}

size_t LongestBacktickRun(std::string_view text) {
  size_t longest = 0, run = 0;
  for (char c : text) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  return longest;
}

}  // namespace

std::string FormatRps(double rps) { return Fixed(rps, 0); }

std::string FormatMs(double ms) {
  double magnitude = std::abs(ms);
  return Fixed(ms, magnitude < 1 ? 3 : magnitude < 10 ? 2 : 1);
}

// Whole MiB, as the reference prints them, except below 10 where a decimal tells a 5.6 from a 6.4.
std::string FormatMib(double mib) { return Fixed(mib, std::abs(mib) < 10 ? 1 : 0); }

std::string FormatCpuPct(double pct) { return Fixed(pct, 1); }

std::string FormatImprovement(double pct) {
  // The reference prints whole percents, but 99.97 % is not 100 %: the last
  // step to 100 (latency gone entirely) means something, so keep decimals.
  if (std::abs(std::round(pct)) == 100 && std::abs(pct) != 100) {
    return Fixed(pct, 2);
  }
  return Fixed(pct, 0);
}

std::string FormatSignificant(double value, int digits) {
  if (value == 0 || !std::isfinite(value)) return Fixed(value, 0);
  int magnitude = static_cast<int>(std::floor(std::log10(std::abs(value))));
  return Fixed(value, std::clamp(digits - 1 - magnitude, 0, 9));
}

std::string EscapeMarkdown(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '\n' || c == '\r' || c == '\t') {
      out += ' ';
      continue;
    }
    if (std::string_view("|*_`<[]\\").find(c) != std::string_view::npos) {
      out += '\\';
    }
    out += c;
  }
  return out;
}

std::string CodeSpan(std::string_view text) {
  std::string fence(LongestBacktickRun(text) + 1, '`');
  // A span starting or ending with a backtick needs a space to tell it from
  // the fence; Markdown strips one space on each side.
  bool pad = !text.empty() && (text.front() == '`' || text.back() == '`');
  std::string_view space = pad ? " " : "";
  return fmt::format("{0}{1}{2}{1}{0}", fence, space, text);
}

std::string CodeBlock(std::string_view text, std::string_view indent) {
  std::string fence(std::max<size_t>(3, LongestBacktickRun(text) + 1), '`');
  std::string out = fmt::format("{}{}\n", indent, fence);
  while (!text.empty() && text.back() == '\n') text.remove_suffix(1);
  while (!text.empty()) {
    size_t end = std::min(text.find('\n'), text.size());
    out += fmt::format("{}{}\n", indent, text.substr(0, end));
    text.remove_prefix(std::min(end + 1, text.size()));
  }
  out += fmt::format("{}{}\n", indent, fence);
  return out;
}

}  // namespace harness
