#include "results/results.h"

#include <cmath>
#include <nlohmann/json.hpp>
#include <set>

#include "util/files.h"

namespace nlohmann {

// null for "nothing measured" (oha's null percentiles when no request succeeded).
template <typename T>
struct adl_serializer<std::optional<T>> {
  static void to_json(json& j, const std::optional<T>& v) { j = v ? json(*v) : json(nullptr); }
  static void from_json(const json& j, std::optional<T>& v) {
    v = j.is_null() ? std::nullopt : std::optional<T>(j.get<T>());
  }
};

}  // namespace nlohmann

namespace harness {

NLOHMANN_JSON_SERIALIZE_ENUM(CeilingKind,
                             {{CeilingKind::kDatabase, "database"}, {CeilingKind::kHttp, "http"}})
NLOHMANN_JSON_SERIALIZE_ENUM(ServerVerdict,
                             {{ServerVerdict::kNone, ""},
                              {ServerVerdict::kBuildFailed, "build failed"},
                              {ServerVerdict::kStartFailed, "start failed"},
                              {ServerVerdict::kNeverReady, "never ready"},
                              {ServerVerdict::kServerErrors, "server errors"},
                              {ServerVerdict::kWrongResponse, "wrong response"},
                              {ServerVerdict::kQueryCountMismatch, "query count mismatch"},
                              {ServerVerdict::kDiedUnderLoad, "died under load"},
                              {ServerVerdict::kLoadFailed, "load failed"},
                              {ServerVerdict::kDidNotStop, "did not stop"}})

void to_json(nlohmann::json& j, const Level& level) { j = level.Name(); }
void from_json(const nlohmann::json& j, Level& level) {
  auto parsed = Level::Parse(j.get<std::string>());
  if (!parsed) throw std::invalid_argument("not a level: " + j.dump());
  level = *parsed;
}

std::string_view CeilingKindName(CeilingKind kind) {
  return kind == CeilingKind::kDatabase ? "database" : "http";
}

std::string_view ServerVerdictName(ServerVerdict verdict) {
  switch (verdict) {
    case ServerVerdict::kNone:
      return "";
    case ServerVerdict::kBuildFailed:
      return "build failed";
    case ServerVerdict::kStartFailed:
      return "start failed";
    case ServerVerdict::kNeverReady:
      return "never ready";
    case ServerVerdict::kServerErrors:
      return "server errors";
    case ServerVerdict::kWrongResponse:
      return "wrong response";
    case ServerVerdict::kQueryCountMismatch:
      return "query count mismatch";
    case ServerVerdict::kDiedUnderLoad:
      return "died under load";
    case ServerVerdict::kLoadFailed:
      return "load failed";
    case ServerVerdict::kDidNotStop:
      return "did not stop";
  }
  return "";
}

// Every field is optional on reading (older files lack newer fields), typed on writing.
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Latency, p50, p90, p99, p999, p9999, max, mean)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Usage, cpu_avg_pct, cpu_peak_pct, cpu_seconds,
                                                rss_peak_mib, anon_peak_mib, samples,
                                                processes_started)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(
    Measurement, server, scenario, repetition, level, duration_s, requests, successes, rps,
    offered_rps, concurrency, success_rate, status_codes, errors, bytes_per_request, latency,
    schedule_s, unsent, backlog_ms, in_system, saturated, behind_schedule, server_usage,
    postgres_usage, oha_usage, machine_usage, host_usage, server_cpu_s_per_1k,
    postgres_cpu_s_per_1k, oha_cpu_s_per_1k, valid, warnings, raw_oha, raw_samples)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Ceiling, kind, scenario, repetition, rps, requests,
                                                latency, bytes_per_request, target_usage,
                                                postgres_usage, oha_usage, machine_usage, command,
                                                error, database_query)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(SweepLevelRate, fraction, rate, concurrency,
                                                command)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(SweepRates, server, scenario, saturation_rps,
                                                saturation_median, levels)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(ServerOutcome, name, ok, verdict, failure, log_tail,
                                                verification, count_check, idle_rss_mib, git_sha,
                                                description)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Environment, cpu_model, cores, kernel, hostname,
                                                versions, git_sha, git_dirty)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(HostRecord, name, ssh, address, roles, environment,
                                                online_cpus)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(RoundTrip, between, from, to, tries, median_ms,
                                                min_ms, max_ms)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(RunResults, schema_version, partial, started_at,
                                                finished_at, config_file, config_text, baseline,
                                                scenarios, scenario_commands, fingerprint,
                                                data_checksum, method, environment, abort_reason,
                                                harness_cpu_pct, servers, measurements, ceilings,
                                                sweep_rates, server_orders, hosts, round_trips)

namespace {

// Reading a float into an integer field is undefined behaviour when it is out of the field's range
// (found by fuzzing: "repetition": 1e300), so such floats are refused before conversion. The
// integer fields are these, and the counts under status_codes and errors; the harness writes them
// all as integers, so a float there never comes from it.
std::optional<double> OutOfRange(const nlohmann::json& j, bool integer = false) {
  static const std::set<std::string> kIntegerFields = {"schema_version", "repetition", "requests",
                                                       "successes",      "samples",    "cores",
                                                       "concurrency",    "unsent"};
  if (integer && j.is_number_float()) {
    double v = j.get<double>();
    if (!(std::abs(v) < 2147483648.0)) return v;
  }
  if (j.is_object()) {
    for (const auto& [key, value] : j.items()) {
      bool counts = key == "status_codes" || key == "errors";
      if (counts && value.is_object()) {
        for (const auto& count : value) {
          if (auto bad = OutOfRange(count, true)) return bad;
        }
      } else if (auto bad = OutOfRange(value, kIntegerFields.contains(key))) {
        return bad;
      }
    }
  } else if (j.is_array()) {
    for (const auto& item : j) {
      if (auto bad = OutOfRange(item)) return bad;
    }
  }
  return std::nullopt;
}

}  // namespace

std::string ToJson(const RunResults& results) {
  // A server's log tail may hold bytes that are not UTF-8; a strict dump would throw (and abort
  // the run, leaving Postgres behind). They are written as U+FFFD instead.
  std::string text =
      nlohmann::json(results).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return nlohmann::ordered_json::parse(text).dump(2) + "\n";
}

Result<RunResults> ParseResults(const std::string& text, const std::string& source) {
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
      return MakeError("{}: empty file, not a harness results file", source);
    }
    return MakeError("{}: not valid JSON (truncated?) at byte {}", source, e.byte);
  } catch (const nlohmann::json::exception& e) {  // a number out of range (1e400): fuzzing
    std::string what = e.what();
    return MakeError("{}: malformed results: {}", source, what.substr(what.find(']') + 2));
  }
  if (!doc.is_object() || !doc.contains("schema_version") ||
      !doc["schema_version"].is_number_integer()) {
    return MakeError("{}: not a harness results file (no schema_version)", source);
  }
  if (auto bad = OutOfRange(doc)) {
    return MakeError("{}: malformed results: number {} out of range", source, *bad);
  }
  int version = doc["schema_version"].get<int>();
  if (version < 1 || version > kResultsSchemaVersion) {
    return MakeError("{}: results schema version {}; this harness reads versions 1 to {}", source,
                     version, kResultsSchemaVersion);
  }
  try {
    return doc.get<RunResults>();
  } catch (const nlohmann::json::exception& e) {
    std::string what = e.what();
    return MakeError("{}: malformed results: {}", source, what.substr(what.find(']') + 2));
  } catch (const std::invalid_argument& e) {  // a value of no known spelling (a level)
    return MakeError("{}: malformed results: {}", source, e.what());
  }
}

Result<RunResults> LoadResults(const std::filesystem::path& path) {
  std::error_code ec;
  std::filesystem::path file =
      std::filesystem::is_directory(path, ec) ? path / "results.json" : path;
  auto text = ReadFile(file);
  if (!text) return text.error();
  return ParseResults(*text, file.string());
}

}  // namespace harness
