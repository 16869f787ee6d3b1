// End to end: `harness run tests/bench.smoke.yaml` as a user runs it, every server, real oha,
// real Postgres. The servers must be built (scripts/test does it first).
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "results/results.h"
#include "testing/cli.h"
#include "util/files.h"

namespace harness {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::set<std::string> Keys(const json& object) {
  std::set<std::string> keys;
  for (const auto& item : object.items()) keys.insert(item.key());
  return keys;
}

// results.json must carry exactly the fields of the documented, versioned schema.
void ExpectSchema(const json& doc) {
  RunResults model;
  model.servers.emplace_back();
  model.measurements.emplace_back();
  json want = json::parse(ToJson(model));
  EXPECT_EQ(Keys(doc), Keys(want));
  EXPECT_EQ(Keys(doc["environment"]), Keys(want["environment"]));
  for (const auto& s : doc["servers"]) EXPECT_EQ(Keys(s), Keys(want["servers"][0]));
  for (const auto& m : doc["measurements"]) {
    EXPECT_EQ(Keys(m), Keys(want["measurements"][0]));
    EXPECT_EQ(Keys(m["latency"]), Keys(want["measurements"][0]["latency"]));
    EXPECT_EQ(Keys(m["server_usage"]), Keys(want["measurements"][0]["server_usage"]));
  }
}

TEST(RunEndToEnd, SmokeProfileMeasuresEveryServerAndLeavesNothingBehind) {
  auto before = OurProcesses();
  fs::path out = TempDir("harness-e2e");
  CommandRun run = RunHarness({"run", std::string(PROJECT_SOURCE_DIR) + "/tests/bench.smoke.yaml",
                               "--no-build", "--output", out.string()},
                              900);
  ASSERT_EQ(run.exit_code, 0) << run.output;

  std::vector<fs::path> dirs;
  for (const auto& entry : fs::directory_iterator(out)) dirs.push_back(entry.path());
  ASSERT_EQ(dirs.size(), 1u);
  const fs::path dir = dirs[0];

  auto text = ReadFile(dir / "results.json");
  ASSERT_TRUE(text) << text.error().message;
  ExpectSchema(json::parse(*text));
  auto results = ParseResults(*text, "results.json");
  ASSERT_TRUE(results) << results.error().message;
  EXPECT_FALSE(results->partial);
  EXPECT_EQ(results->schema_version, kResultsSchemaVersion);
  EXPECT_FALSE(results->fingerprint.empty());
  EXPECT_FALSE(results->environment.versions.at("oha").empty());

  const std::set<std::string> servers = {"fastapi", "fastapi-async", "axum", "cpp-beast"};
  ASSERT_EQ(results->servers.size(), servers.size());
  for (const ServerOutcome& s : results->servers) {
    EXPECT_TRUE(servers.contains(s.name)) << s.name;
    EXPECT_TRUE(s.ok) << s.name << ": " << ServerVerdictName(s.verdict) << ": " << s.failure;
    EXPECT_EQ(s.verification, "passed (3 answers of 3 scenarios)") << s.name;
    EXPECT_EQ(s.count_check, "passed") << s.name;
    EXPECT_GT(s.idle_rss_mib, 1) << s.name;
  }
  ASSERT_EQ(results->measurements.size(), servers.size() * results->scenarios.size());
  // CPU time comes in clock ticks (10 ms), charged to whoever runs when a tick lands: a short
  // smoke measurement can read 0 (cpp-beast serves the 300 requests of `closed` in about 12 ms of
  // CPU), so Postgres is checked over the whole run and each server over its measurements.
  double postgres_cpu = 0;
  std::map<std::string, double> server_cpu;
  for (const Measurement& m : results->measurements) {
    postgres_cpu += m.postgres_usage.cpu_seconds;
    server_cpu[m.server] += m.server_usage.cpu_seconds;
  }
  EXPECT_GT(postgres_cpu, 0);
  for (const std::string& server : servers) EXPECT_GT(server_cpu[server], 0) << server;
  for (const Measurement& m : results->measurements) {
    std::string what = m.server + "/" + m.scenario;
    EXPECT_TRUE(m.valid) << what;
    EXPECT_EQ(m.success_rate, 1.0) << what;
    EXPECT_EQ(m.status_codes, (std::map<std::string, long long>{{"200", m.requests}})) << what;
    EXPECT_GT(m.rps, 0) << what;
    EXPECT_TRUE(m.latency.p50 && m.latency.p99) << what;
    EXPECT_GT(m.server_usage.samples, 0) << what;
    EXPECT_GT(m.server_usage.rss_peak_mib, 1) << what;
    EXPECT_GT(m.machine_usage.samples, 0) << what;
    EXPECT_GE(m.machine_usage.cpu_seconds, m.server_usage.cpu_seconds - 0.05) << what;
    EXPECT_EQ(m.concurrency, 10) << what;
    // The open loop is judged by its backlog: every field of the judgement is there.
    EXPECT_EQ(m.offered_rps.has_value(), m.unsent.has_value()) << what;
    if (m.saturated) {
      EXPECT_GT(*m.backlog_ms, 0) << what;
    }
    EXPECT_TRUE(fs::exists(dir / m.raw_oha)) << what;
    EXPECT_TRUE(fs::exists(dir / m.raw_samples)) << what;
  }

  // The ceilings (calibration: {duration: 1s}): the database's, and HTTP's for each closed loop.
  std::set<std::string> ceilings;
  for (const Ceiling& c : results->ceilings) {
    std::string what = std::string(CeilingKindName(c.kind)) + " " + c.scenario;
    ceilings.insert(what);
    EXPECT_EQ(c.error, "") << what;
    EXPECT_GT(c.rps, 0) << what;
    EXPECT_GT(c.target_usage.cpu_seconds, 0) << what;
    EXPECT_GT(c.requests, 0) << what;
    EXPECT_GT(c.machine_usage.samples, 0) << what;
    if (c.kind == CeilingKind::kHttp) {
      EXPECT_GT(c.oha_usage.samples, 0) << what;
    }
    EXPECT_FALSE(c.command.empty()) << what;
  }
  EXPECT_EQ(ceilings, (std::set<std::string>{"database ", "http closed", "http keepalive"}));

  auto report = ReadFile(dir / "report.md");
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_NE(report->find("Throughput (rps)"), std::string::npos);
  EXPECT_NE(report->find("% of database ceiling"), std::string::npos);
  EXPECT_NE(report->find("## Where the CPU went"), std::string::npos);
  // What the report prints for a scenario is what ran.
  for (const auto& [name, command] : results->scenario_commands) {
    EXPECT_NE(command.find("--stats-success-breakdown"), std::string::npos) << name;
    EXPECT_NE(report->find(command), std::string::npos) << name;
  }
  for (const auto& s : servers) EXPECT_NE(report->find(s), std::string::npos) << s;
  EXPECT_NE(run.output.find("Throughput (rps)"), std::string::npos) << "tables printed at the end";

  EXPECT_EQ(OurProcesses(), before) << "a process of the run is still there";
  fs::remove_all(out);
}

}  // namespace
}  // namespace harness
