// Durations as bench.yaml writes them: a number and a unit, "250ms", "30s",
// "2m", "1h".
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace harness {

using Duration = std::chrono::milliseconds;

// Empty for anything else (no unit, a negative number, an unknown unit,
// trailing text).
std::optional<Duration> ParseDuration(std::string_view text);

// The shortest exact spelling: 1500ms, 30s, 2m.
std::string FormatDuration(Duration d);

}  // namespace harness
