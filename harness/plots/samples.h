// The /proc samples of one measurement, as raw/<server>/<scenario>-<rep>.samples.csv holds them:
// t_s,group,cpu_pct,rss_mib,processes, where group is server, postgres or oha and a group's first
// row has no cpu_pct (CPU is a difference between two samples).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "util/result.h"

namespace harness {

struct Sample {
  double t_s = 0;
  std::string group;
  std::optional<double> cpu_pct;
  double rss_mib = 0;
  int processes = 0;
};

// Errors name `source`, the line and what is wrong.
Result<std::vector<Sample>> ParseSamplesCsv(const std::string& text, const std::string& source);

}  // namespace harness
