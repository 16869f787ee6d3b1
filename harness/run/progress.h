// What a run tells the person watching it, on stderr: on a terminal, one live line per
// measurement (server, scenario, repetition, elapsed time); without one (CI), plain log lines at
// the start and end of each step. It reads nothing from the processes being measured: a progress
// display that queried Postgres (as one did, for a request count) would fork a backend and
// charge its CPU to the measurement.
#pragma once

#include <chrono>
#include <string>

namespace harness {

class Progress {
 public:
  Progress();

  void Log(const std::string& line);
  // A measurement starts; `label` is "server / scenario #rep".
  void Begin(const std::string& label, std::chrono::milliseconds expected);
  // Called often while it runs; redraws at most twice a second.
  void Tick();
  void End(const std::string& summary);

 private:
  bool live_;
  std::string label_;
  std::chrono::milliseconds expected_{0};
  std::chrono::steady_clock::time_point start_, last_draw_;
};

}  // namespace harness
