#include "remote/protocol.h"

namespace harness {

// Field by field, with the names results.json gives them (protocol_test.cc holds the two to the
// same spelling).
nlohmann::json UsageToJson(const Usage& u) {
  return {{"cpu_avg_pct", u.cpu_avg_pct},
          {"cpu_peak_pct", u.cpu_peak_pct},
          {"cpu_seconds", u.cpu_seconds},
          {"rss_peak_mib", u.rss_peak_mib},
          {"anon_peak_mib", u.anon_peak_mib},
          {"samples", u.samples},
          {"processes_started", u.processes_started}};
}

namespace {

// A number of an answer; 0 when absent or null (JSON has no NaN: a 0/0 is written as null).
template <typename T>
T Number(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_number() ? it->get<T>() : T{};
}

}  // namespace

Usage UsageFromJson(const nlohmann::json& j) {
  Usage u;
  if (!j.is_object()) return u;
  u.cpu_avg_pct = Number<double>(j, "cpu_avg_pct");
  u.cpu_peak_pct = Number<double>(j, "cpu_peak_pct");
  u.cpu_seconds = Number<double>(j, "cpu_seconds");
  u.rss_peak_mib = Number<double>(j, "rss_peak_mib");
  u.anon_peak_mib = Number<double>(j, "anon_peak_mib");
  u.samples = Number<int>(j, "samples");
  u.processes_started = Number<int>(j, "processes_started");
  return u;
}

nlohmann::json EnvironmentToJson(const Environment& e) {
  return {{"cpu_model", e.cpu_model}, {"cores", e.cores},       {"kernel", e.kernel},
          {"hostname", e.hostname},   {"versions", e.versions}, {"git_sha", e.git_sha},
          {"git_dirty", e.git_dirty}};
}

Environment EnvironmentFromJson(const nlohmann::json& j) {
  Environment e;
  if (!j.is_object()) return e;
  e.cpu_model = j.value("cpu_model", "");
  e.cores = j.value("cores", 0);
  e.kernel = j.value("kernel", "");
  e.hostname = j.value("hostname", "");
  e.versions = j.value("versions", std::map<std::string, std::string>{});
  e.git_sha = j.value("git_sha", "");
  e.git_dirty = j.value("git_dirty", false);
  return e;
}

}  // namespace harness
