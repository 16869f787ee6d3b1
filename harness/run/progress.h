// What a run tells the person watching it, on stderr: on a terminal, one live line per
// measurement (server, scenario, repetition, elapsed, requests done); without one (CI), plain
// log lines at the start and end of each step.
#pragma once

#include <chrono>
#include <string>

namespace harness {

class Progress {
 public:
  // `dsn` lets the live line count requests done from pg_stat_statements (terminal only, once a
  // second, so a CI run adds no queries of its own).
  explicit Progress(std::string dsn);

  void Log(const std::string& line);
  // A measurement starts; `label` is "server / scenario #rep".
  void Begin(const std::string& label, std::chrono::milliseconds expected);
  // Called often while it runs; redraws at most twice a second.
  void Tick();
  void End(const std::string& summary);

 private:
  std::string dsn_;
  bool live_;
  std::string label_;
  std::chrono::milliseconds expected_{0};
  std::chrono::steady_clock::time_point start_, last_draw_, last_count_;
  long long calls_at_start_ = -1;
  long long calls_now_ = -1;
};

}  // namespace harness
