// The load generator, oha (crates.io, pinned by scripts/bootstrap): the command line a scenario
// stands for, and what oha's JSON output says. oha ≥ 1.14 is required: 1.6–1.13 invert
// --latency-correction in -n mode, and JSON output needs ≥ 1.9.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "load/figures.h"
#include "util/net.h"
#include "util/result.h"

namespace harness {

// The installed oha's version ("1.15.0"), or why it cannot be used.
Result<std::string> CheckOhaVersion();

// What to run: a scenario as written, or one step of a sweep with its own rate and length.
struct LoadSpec {
  std::optional<long long> requests;  // -n
  std::optional<Duration> duration;   // -z
  int concurrency = 10;
  bool keepalive = true;
  std::optional<double> rate;
  bool latency_correction = false;
  RequestSpec request;  // -m, -H, -d and the URL, URL pattern or file of URLs
  // With request.paths: the file of whole URLs oha reads (--urls-from-file), which the caller
  // writes for the port the server listens on (UrlsFileText).
  std::filesystem::path urls_file;
};
LoadSpec SpecOf(const Scenario& scenario);

// The file --urls-from-file reads for `request.paths` on address:port: a whole URL per line.
std::string UrlsFileText(const RequestSpec& request, int port,
                         const std::string& address = kLoopback);

// oha's arguments for `spec` against http://address:port/ (JSON on stdout, no TUI, latency of
// successful responses apart, and with -z the requests in flight at the deadline waited for).
// `address`: 127.0.0.1, or the server's host when the run places it on one of its own.
std::vector<std::string> OhaArguments(const LoadSpec& spec, int port,
                                      const std::string& address = kLoopback);
// Exactly those arguments as a person would type them, with $PORT for the port (and `host`:
// $HOST across hosts), for reports:
// "oha -n 50000 -c 10 --disable-keepalive --stats-success-breakdown --no-tui ...". What a
// report prints is what ran.
std::string OhaCommandLine(const LoadSpec& spec, const std::string& host = kLoopback);

// The figures of oha's --output-format json (duration, counts, rps, success rate, status codes,
// errors, bytes per request, latency). `source` names the file in
// errors. Requests cut short by the end of a -z run ("aborted due to deadline") are not failures.
// Latency percentiles and the maximum are of 2xx responses only (oha's
// latencyPercentilesSuccessful); the mean is of every response, as Little's law counts them.
// Without that breakdown (oha run without --stats-success-breakdown) the percentiles are used only
// when every response was a 2xx.
Result<LoadFigures> ParseOhaJson(const std::string& text, const std::string& source);

}  // namespace harness
