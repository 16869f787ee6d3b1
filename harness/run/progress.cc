#include "run/progress.h"

#include <unistd.h>

#include <cstdio>

namespace harness {

using Clock = std::chrono::steady_clock;

Progress::Progress() : live_(isatty(STDERR_FILENO)) {}

void Progress::Log(const std::string& line) {
  std::fprintf(stderr, "%s%s\n", live_ ? "\r\033[K" : "", line.c_str());
}

void Progress::Begin(const std::string& label, std::chrono::milliseconds expected) {
  label_ = label;
  expected_ = expected;
  start_ = last_draw_ = Clock::now();
  if (!live_) Log("  " + label + ": running");
}

void Progress::Tick() {
  if (!live_) return;
  auto now = Clock::now();
  if (now - last_draw_ < std::chrono::milliseconds(500)) return;
  last_draw_ = now;
  double elapsed = std::chrono::duration<double>(now - start_).count();
  std::string line = "\r\033[K  " + label_ + ": " + std::to_string(static_cast<int>(elapsed)) + "s";
  if (expected_.count() > 0) line += " of ~" + std::to_string(expected_.count() / 1000) + "s";
  std::fputs(line.c_str(), stderr);
  std::fflush(stderr);
}

void Progress::End(const std::string& summary) { Log("  " + label_ + ": " + summary); }

}  // namespace harness
