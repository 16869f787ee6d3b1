#include "db_status.h"

#include <cstdio>

namespace cpp_beast {
namespace {

using Clock = std::chrono::steady_clock;

constexpr auto kRefusalLogInterval = std::chrono::seconds(10);

// libpq's messages end with a newline and may span lines; the log wants one line.
std::string OneLine(std::string_view text) {
  std::string line(text);
  while (!line.empty() && (line.back() == '\n' || line.back() == ' ')) line.pop_back();
  for (char& c : line) {
    if (c == '\n' || c == '\t') c = ' ';
  }
  return line;
}

}  // namespace

DatabaseStatus::DatabaseStatus(Sink sink) : sink_(std::move(sink)) {}

void DatabaseStatus::ConnectionUp() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    ++connections_up_;
  }
  if (down()) MarkUp();
}

int DatabaseStatus::connections_up() {
  std::lock_guard<std::mutex> lock(mu_);
  return connections_up_;
}

void DatabaseStatus::ConnectionLost() {
  std::lock_guard<std::mutex> lock(mu_);
  if (connections_up_ > 0) --connections_up_;
}

void DatabaseStatus::ConnectFailed(std::string_view reason) {
  std::lock_guard<std::mutex> lock(mu_);
  if (connections_up_ == 0) MarkDown(reason);
}

void DatabaseStatus::QueryTimedOut(std::string_view reason) {
  std::lock_guard<std::mutex> lock(mu_);
  MarkDown(reason);
}

void DatabaseStatus::Refused(std::string_view reason) {
  std::lock_guard<std::mutex> lock(mu_);
  const Clock::time_point now = Clock::now();
  if (refusals_unlogged_ > 0 && now - last_refusal_line_ < kRefusalLogInterval) {
    ++refusals_unlogged_;
    return;
  }
  std::string line = "cpp-beast: answering 503: " + OneLine(reason);
  if (refusals_unlogged_ > 1) {
    line += " (" + std::to_string(refusals_unlogged_ - 1) + " more 503s since the last line)";
  }
  Log(line);
  last_refusal_line_ = now;
  refusals_unlogged_ = 1;
}

void DatabaseStatus::MarkUp() {
  std::lock_guard<std::mutex> lock(mu_);
  if (!down_.exchange(false)) return;  // Another thread said so first.
  const auto seconds =
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - down_since_).count() /
      1000.0;
  char line[96];
  std::snprintf(line, sizeof line, "cpp-beast: database back after %.1f s", seconds);
  Log(line);
}

void DatabaseStatus::MarkDown(std::string_view reason) {
  if (down_.exchange(true)) return;
  down_since_ = Clock::now();
  Log("cpp-beast: database down (" + OneLine(reason) + "): answering 503 until it is back");
}

void DatabaseStatus::Log(const std::string& line) {
  if (sink_) return sink_(line);
  std::fprintf(stderr, "%s\n", line.c_str());
}

}  // namespace cpp_beast
