#include "run/progress.h"

#include <unistd.h>

#include <cstdio>

#include "postgres/database.h"

namespace harness {

using Clock = std::chrono::steady_clock;

Progress::Progress(std::string dsn) : dsn_(std::move(dsn)), live_(isatty(STDERR_FILENO)) {}

void Progress::Log(const std::string& line) {
  std::fprintf(stderr, "%s%s\n", live_ ? "\r\033[K" : "", line.c_str());
}

void Progress::Begin(const std::string& label, std::chrono::milliseconds expected) {
  label_ = label;
  expected_ = expected;
  start_ = last_draw_ = last_count_ = Clock::now();
  calls_at_start_ = calls_now_ = -1;
  if (live_) {
    if (auto counts = ReadQueryCounts(dsn_)) calls_at_start_ = calls_now_ = counts->calls;
  } else {
    Log("  " + label + ": running");
  }
}

void Progress::Tick() {
  if (!live_) return;
  auto now = Clock::now();
  if (now - last_draw_ < std::chrono::milliseconds(500)) return;
  last_draw_ = now;
  if (calls_at_start_ >= 0 && now - last_count_ >= std::chrono::seconds(1)) {
    last_count_ = now;
    if (auto counts = ReadQueryCounts(dsn_)) calls_now_ = counts->calls;
  }
  double elapsed = std::chrono::duration<double>(now - start_).count();
  std::string line = "\r\033[K  " + label_ + ": " + std::to_string(static_cast<int>(elapsed)) + "s";
  if (expected_.count() > 0) line += " of ~" + std::to_string(expected_.count() / 1000) + "s";
  if (calls_now_ >= 0) line += ", " + std::to_string(calls_now_ - calls_at_start_) + " requests";
  std::fputs(line.c_str(), stderr);
  std::fflush(stderr);
}

void Progress::End(const std::string& summary) { Log("  " + label_ + ": " + summary); }

}  // namespace harness
