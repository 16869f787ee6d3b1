#include "plots/samples.h"

#include <charconv>
#include <sstream>

namespace harness {
namespace {

bool ParseDouble(const std::string& text, double* value) {
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, *value);
  return ec == std::errc() && ptr == end;
}

std::vector<std::string> SplitCommas(const std::string& line) {
  std::vector<std::string> fields(1);
  for (char c : line) {
    if (c == ',') {
      fields.emplace_back();
    } else if (c != '\r') {
      fields.back() += c;
    }
  }
  return fields;
}

}  // namespace

Result<std::vector<Sample>> ParseSamplesCsv(const std::string& text, const std::string& source) {
  std::istringstream in(text);
  std::string line;
  if (!std::getline(in, line) ||
      SplitCommas(line) !=
          std::vector<std::string>{"t_s", "group", "cpu_pct", "rss_mib", "processes"}) {
    return MakeError("{}:1: expected the header t_s,group,cpu_pct,rss_mib,processes", source);
  }
  std::vector<Sample> samples;
  for (int number = 2; std::getline(in, line); ++number) {
    if (line.empty()) continue;
    std::vector<std::string> f = SplitCommas(line);
    Sample s;
    double cpu = 0, processes = 0;
    bool ok = f.size() == 5 && ParseDouble(f[0], &s.t_s) && !f[1].empty() &&
              (f[2].empty() || ParseDouble(f[2], &cpu)) && ParseDouble(f[3], &s.rss_mib) &&
              ParseDouble(f[4], &processes);
    if (!ok) return MakeError("{}:{}: malformed sample row '{}'", source, number, line);
    s.group = f[1];
    if (!f[2].empty()) s.cpu_pct = cpu;
    s.processes = static_cast<int>(processes);
    samples.push_back(std::move(s));
  }
  return samples;
}

}  // namespace harness
