// End to end: a service the harness knows nothing about (tests/fixtures/notes/, written to break
// every assumption of the bundled servers' contract) benchmarked by tests/bench.custom.yaml
// alone; and the same service failed, with a verdict naming the scenario and the expectation,
// when any declared expectation is wrong. Needs servers/fastapi's venv (psycopg), which
// scripts/bootstrap makes.
#include <gtest/gtest.h>

#include "results/results.h"
#include "testing/cli.h"
#include "util/files.h"

namespace harness {
namespace {

namespace fs = std::filesystem;

const fs::path kTests = fs::path(PROJECT_SOURCE_DIR) / "tests";

bool HavePython() {
  return fs::exists(fs::path(PROJECT_SOURCE_DIR) / "servers/fastapi/.venv/bin/python");
}

// Runs bench.custom.yaml with `from` replaced by `to` (both empty: as it is), from a copy whose
// paths are absolute; the run's results.
RunResults RunCustom(const std::string& from, const std::string& to, int want_exit) {
  auto text = ReadFile(kTests / "bench.custom.yaml");
  EXPECT_TRUE(text);
  std::string yaml = *text;
  if (!from.empty()) {
    size_t at = yaml.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) yaml.replace(at, from.size(), to);
  }
  for (size_t at = 0; (at = yaml.find("fixtures/notes", at)) != std::string::npos;) {
    std::string absolute = (kTests / "fixtures/notes").string();
    yaml.replace(at, 14, absolute);
    at += absolute.size();
  }
  fs::path dir = TempDir("harness-custom");
  EXPECT_TRUE(WriteFileAtomic(dir / "bench.yaml", yaml));
  CommandRun run = RunHarness({"run", (dir / "bench.yaml").string(), "--no-build", "--quiet",
                               "--output", (dir / "out").string()},
                              300);
  EXPECT_EQ(run.exit_code, want_exit) << run.output;
  RunResults results;
  for (const auto& entry : fs::directory_iterator(dir / "out")) {
    auto loaded = LoadResults(entry.path());
    EXPECT_TRUE(loaded) << loaded.error().message;
    if (loaded) results = *loaded;
  }
  fs::remove_all(dir);
  return results;
}

TEST(CustomEndToEnd, AServiceOfItsOwnIsBenchmarkedByConfigurationAlone) {
  if (!HavePython()) GTEST_SKIP() << "no servers/fastapi/.venv: run scripts/bootstrap";
  auto before = OurProcesses();
  RunResults r = RunCustom("", "", 0);
  ASSERT_EQ(r.servers.size(), 1u);
  const ServerOutcome& notes = r.servers[0];
  EXPECT_TRUE(notes.ok) << ServerVerdictName(notes.verdict) << ": " << notes.failure;
  EXPECT_EQ(notes.verification, "passed (12 answers of 3 scenarios)");
  EXPECT_EQ(notes.count_check, "passed");
  // The data is its own (schema.sql, seed.sql), and the run records which.
  EXPECT_EQ(r.data_checksum, "md5:d83f97be5d9b1dba");
  EXPECT_EQ(r.method.at("data"), r.data_checksum);
  ASSERT_EQ(r.measurements.size(), 3u);
  for (const Measurement& m : r.measurements) {
    EXPECT_TRUE(m.valid) << m.scenario;
    EXPECT_GT(m.requests, 0) << m.scenario;
    EXPECT_EQ(m.successes, m.requests) << m.scenario;
  }
  EXPECT_NE(r.scenario_commands.at("search").find("-m POST -H 'Content-Type: application/json' -d"),
            std::string::npos);
  EXPECT_NE(r.scenario_commands.at("one-note").find("--rand-regex-url"), std::string::npos);
  // Each closed loop's HTTP ceiling served the scenario's own expected body.
  int http_ceilings = 0;
  for (const Ceiling& c : r.ceilings) {
    if (c.kind != CeilingKind::kHttp) continue;
    ++http_ceilings;
    EXPECT_EQ(c.error, "") << c.scenario;
    EXPECT_GT(c.rps, 0) << c.scenario;
  }
  EXPECT_EQ(http_ceilings, 3);
  EXPECT_EQ(OurProcesses(), before) << "a process of the run is still there";
}

// A wrong expectation on any endpoint fails the server, and the verdict says which scenario and
// which part of the expectation.
TEST(CustomEndToEnd, AWrongAnswerOnAnyEndpointFailsTheServerByName) {
  if (!HavePython()) GTEST_SKIP() << "no servers/fastapi/.venv: run scripts/bootstrap";
  struct Case {
    std::string from, to;
    ServerVerdict verdict;
    std::string failure;
  };
  const Case cases[] = {
      {"      status: 200\n", "      status: 201\n", ServerVerdict::kWrongResponse,
       "scenario search: expect.status: POST /notes/search answered HTTP 200, want 201"},
      {"WHERE tag = 'red'", "WHERE tag = 'blue'", ServerVerdict::kWrongResponse,
       "scenario search: expect.body: POST /notes/search: $[0].id: got 3, want 2"},
      {R"(body: {json: '{"status": "ok"}'})", "body: {shape: {object: true, keys: [state]}}",
       ServerVerdict::kWrongResponse,
       "scenario health: expect.body.shape: GET /health: $: keys status, want state"},
      {"queries: {count: 0}", "queries: {count: 1}", ServerVerdict::kQueryCountMismatch,
       "scenario health: expect.queries: 20 requests caused 0 executions of statements (want 20"},
      {"rows: 20}", "rows: 21}", ServerVerdict::kQueryCountMismatch,
       "scenario search: expect.queries.rows: 20 requests' statements matching"},
  };
  for (const Case& c : cases) {
    RunResults r = RunCustom(c.from, c.to, 1);
    ASSERT_EQ(r.servers.size(), 1u) << c.to;
    EXPECT_FALSE(r.servers[0].ok) << c.to;
    EXPECT_EQ(r.servers[0].verdict, c.verdict) << c.to;
    EXPECT_TRUE(r.servers[0].failure.starts_with(c.failure))
        << c.to << ": " << r.servers[0].failure;
    EXPECT_TRUE(r.measurements.empty()) << c.to;
  }
}

}  // namespace
}  // namespace harness
