#include "load/oha.h"

#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <regex>

#include "util/process.h"

namespace harness {
namespace {

using nlohmann::json;

constexpr const char* kDeadlineAbort = "aborted due to deadline";

std::string Number(double v) { return fmt::format("{:g}", v); }

std::optional<double> Milliseconds(const json& seconds) {
  if (!seconds.is_number()) return std::nullopt;
  return seconds.get<double>() * 1000.0;
}

}  // namespace

Result<std::string> CheckOhaVersion() {
  std::string out = CommandOutput("oha --version");
  std::smatch m;
  static const std::regex version(R"(oha (\d+)\.(\d+)\.(\d+))");
  if (!std::regex_search(out, m, version)) {
    return MakeError("oha not found on PATH; run scripts/bootstrap (it installs oha 1.15.0)");
  }
  int major = std::stoi(m[1]), minor = std::stoi(m[2]);
  std::string found = m[1].str() + "." + m[2].str() + "." + m[3].str();
  if (major < 1 || (major == 1 && minor < 14)) {
    return MakeError(
        "oha {} is too old: 1.6-1.13 invert --latency-correction in -n mode; need >= 1.14 "
        "(scripts/bootstrap installs 1.15.0)",
        found);
  }
  return found;
}

LoadSpec SpecOf(const Scenario& s) {
  return {s.requests, s.duration,           s.concurrency, s.keepalive,
          s.rate,     s.latency_correction, s.request,     {}};
}

std::string UrlsFileText(const RequestSpec& request, int port, const std::string& address) {
  std::string text;
  for (const std::string& path : request.paths) {
    text += "http://" + UrlHost(address) + ":" + std::to_string(port) + path + "\n";
  }
  return text;
}

namespace {

// `origin` is http://127.0.0.1:PORT; `urls_file` what --urls-from-file reads.
std::vector<std::string> Arguments(const LoadSpec& spec, const std::string& origin,
                                   const std::string& urls_file) {
  std::vector<std::string> args = {"oha"};
  if (spec.requests) args.insert(args.end(), {"-n", std::to_string(*spec.requests)});
  if (spec.duration) args.insert(args.end(), {"-z", FormatDuration(*spec.duration)});
  args.insert(args.end(), {"-c", std::to_string(spec.concurrency)});
  if (!spec.keepalive) args.push_back("--disable-keepalive");
  if (spec.latency_correction) args.push_back("--latency-correction");
  if (spec.rate) args.insert(args.end(), {"-q", Number(*spec.rate)});
  // -z runs end with requests in flight; wait for them rather than count them as errors.
  if (spec.duration) args.push_back("-w");
  // Latency of 2xx responses apart from the others: a fast error must not flatter the figures.
  args.insert(args.end(), {"--stats-success-breakdown", "--no-tui", "--output-format", "json"});
  const RequestSpec& r = spec.request;
  if (r.method != "GET") args.insert(args.end(), {"-m", r.method});
  for (const auto& [name, value] : r.headers) args.insert(args.end(), {"-H", name + ": " + value});
  if (!r.body.empty()) args.insert(args.end(), {"-d", r.body});
  if (!r.paths.empty()) {
    args.insert(args.end(), {"--urls-from-file", urls_file});
  } else if (!r.path_pattern.empty()) {
    // rand_regex generates the whole URL; the origin's dots come out as dots.
    args.insert(args.end(), {"--rand-regex-url", origin + r.path_pattern});
  } else {
    args.push_back(origin + r.path);
  }
  return args;
}

// A shell word for `arg`, quoted only where it needs to be.
std::string ShellWord(const std::string& arg) {
  if (!arg.empty() && arg.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                            "0123456789-_./:=$@%+,") == std::string::npos) {
    return arg;
  }
  std::string out = "'";
  for (char c : arg) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace

std::vector<std::string> OhaArguments(const LoadSpec& spec, int port, const std::string& address) {
  return Arguments(spec, "http://" + UrlHost(address) + ":" + std::to_string(port),
                   spec.urls_file.string());
}

std::string OhaCommandLine(const LoadSpec& spec, const std::string& host) {
  std::vector<std::string> words;
  for (const std::string& arg :
       Arguments(spec, "http://" + UrlHost(host) + ":$PORT", "$URLS_FILE")) {
    words.push_back(ShellWord(arg));
  }
  return fmt::format("{}", fmt::join(words, " "));
}

namespace {

// A request count as oha writes it: a whole number, not negative, and small enough that adding
// them up cannot overflow. Anything else (1e300, found by fuzzing) would be undefined behaviour
// to convert.
std::optional<long long> Count(const json& value) {
  constexpr long long kMaxCount = 1'000'000'000'000'000;
  if (!value.is_number_integer()) return std::nullopt;
  long long n = value.get<long long>();
  if (n < 0 || n > kMaxCount) return std::nullopt;
  return n;
}

void Percentiles(const json& p, Latency& latency) {
  latency.p50 = Milliseconds(p.value("p50", json()));
  latency.p90 = Milliseconds(p.value("p90", json()));
  latency.p99 = Milliseconds(p.value("p99", json()));
  latency.p999 = Milliseconds(p.value("p99.9", json()));
  latency.p9999 = Milliseconds(p.value("p99.99", json()));
}

// oha's histograms have 11 buckets from the fastest to the slowest sample, keyed by their upper
// bound in seconds: the last key holding a sample is the slowest.
std::optional<double> HistogramMax(const json& histogram) {
  std::optional<double> max;
  if (!histogram.is_object()) return max;
  for (const auto& [key, count] : histogram.items()) {
    char* end = nullptr;
    double seconds = std::strtod(key.c_str(), &end);
    if (*end != '\0' || !count.is_number_integer() || count.get<long long>() <= 0) continue;
    if (!max || seconds * 1000.0 > *max) max = seconds * 1000.0;
  }
  return max;
}

}  // namespace

Result<LoadFigures> ParseOhaJson(const std::string& text, const std::string& source) {
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::parse_error& e) {
    return MakeError("{}: oha output is not JSON (byte {})", source, e.byte);
  } catch (const json::exception& e) {  // a number out of range (1e400): found by fuzzing
    return MakeError("{}: oha output is not usable JSON: {}", source, e.what());
  }
  LoadFigures m;
  try {
    const json& summary = doc.at("summary");
    m.duration_s = summary.at("total").get<double>();
    long long errors = 0;
    for (const auto& [code, count] : doc.at("statusCodeDistribution").items()) {
      auto n = Count(count);
      if (!n)
        return MakeError("{}: status {}: not a request count: {}", source, code, count.dump());
      m.status_codes[code] = *n;
      m.requests += *n;
      if (code.size() == 3 && code[0] == '2') m.successes += *n;
    }
    for (const auto& [what, count] : doc.at("errorDistribution").items()) {
      auto n = Count(count);
      if (!n) return MakeError("{}: error {}: not a request count: {}", source, what, count.dump());
      m.errors[what] = *n;
      if (what != kDeadlineAbort) errors += *n;
    }
    m.requests += errors;
    m.rps = m.duration_s > 0 ? m.successes / m.duration_s : 0;
    m.success_rate = m.requests > 0 ? static_cast<double>(m.successes) / m.requests : 0;
    if (summary.at("sizePerRequest").is_number()) {
      m.bytes_per_request = summary["sizePerRequest"].get<double>();
    }
    m.latency.mean = Milliseconds(summary.value("average", json()));
    bool all_2xx = m.successes == m.requests - errors;
    if (doc.contains("latencyPercentilesSuccessful")) {
      Percentiles(doc.at("latencyPercentilesSuccessful"), m.latency);
      m.latency.max = HistogramMax(doc.value("responseTimeHistogramSuccessful", json()));
    } else if (all_2xx) {
      Percentiles(doc.at("latencyPercentiles"), m.latency);
      m.latency.max = Milliseconds(summary.value("slowest", json()));
    } else {
      m.warnings.push_back(
          "no latency reported: some responses were not 2xx and oha was run without "
          "--stats-success-breakdown, so the percentiles would mix them in");
    }
  } catch (const json::exception& e) {
    std::string what = e.what();
    return MakeError("{}: unexpected oha output: {}", source, what.substr(what.find(']') + 2));
  }
  return m;
}

}  // namespace harness
