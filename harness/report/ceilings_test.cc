#include "report/ceilings.h"

#include <gtest/gtest.h>

#include <cmath>

#include "report/sample_runs.h"

namespace harness {
namespace {

Ceiling MakeCeiling(CeilingKind kind, const std::string& scenario, int rep, double rps) {
  Ceiling c;
  c.kind = kind;
  c.scenario = scenario;
  c.repetition = rep;
  c.rps = rps;
  c.command =
      kind == CeilingKind::kDatabase ? "pgbench -c 5" : "oha -z 10s -c 10 --disable-keepalive";
  return c;
}

bool Contains(const std::string& text, const std::string& part) {
  if (text.find(part) != std::string::npos) return true;
  ADD_FAILURE() << "no\n" << part << "\nin\n" << text;
  return false;
}

TEST(ReportCeilingsTest, NothingWithoutCeilings) {
  EXPECT_EQ(RenderCeilings(sample::ReferenceRun()), "");
}

TEST(ReportCeilingsTest, MediansAndEachServersShare) {
  RunResults run = sample::ReferenceRun();  // closed: fastapi 305, axum 9740 rps
  run.ceilings = {MakeCeiling(CeilingKind::kDatabase, "", 1, 20000),
                  MakeCeiling(CeilingKind::kDatabase, "", 2, 30000),
                  MakeCeiling(CeilingKind::kDatabase, "", 3, 26000),
                  MakeCeiling(CeilingKind::kHttp, "closed", 1, 16000)};
  run.ceilings.push_back(MakeCeiling(CeilingKind::kHttp, "closed", 2, 0));
  run.ceilings.back().error = "oha exited with code 1: boom";
  EXPECT_DOUBLE_EQ(CeilingRps(run, CeilingKind::kDatabase, ""), 26000);
  EXPECT_DOUBLE_EQ(CeilingRps(run, CeilingKind::kHttp, "closed"), 16000)
      << "the failed one is left out";
  std::string out = RenderCeilings(run);
  EXPECT_TRUE(Contains(out, "| fastapi | closed   |              305 |                   1.2 |"));
  EXPECT_TRUE(Contains(out, "| axum    | closed   |             9740 |                    37 |"));
  EXPECT_TRUE(Contains(out, "|                61 |"));  // 9740 of 16000
  EXPECT_TRUE(Contains(out, "- http closed #2: oha exited with code 1: boom"));
  EXPECT_TRUE(Contains(out, "`pgbench -c 5`"));
}

// The reference run's `user` scenario (one user by username) runs another query than the
// database ceiling's (GET /'s 100 rows): cpp-beast read "126% of the CPU bound" against a bound
// that did not apply to it. Now neither the database ceiling nor the bound is applied there.
TEST(ReportCeilingsTest, AScenarioWithAnotherQueryGetsNoDatabaseCeilingNorBound) {
  RunResults run = sample::ReferenceRun();  // closed: axum 9740 rps
  run.environment.cores = 2;
  Ceiling db = MakeCeiling(CeilingKind::kDatabase, "", 1, 25000);
  db.requests = 250000;
  db.target_usage = {.cpu_seconds = 2.5, .samples = 100};
  db.postgres_usage = {.cpu_seconds = 10.0, .samples = 100};
  Ceiling http = MakeCeiling(CeilingKind::kHttp, "closed", 1, 16000);
  http.requests = 160000;
  http.target_usage = {.cpu_seconds = 8.0, .samples = 100};
  http.oha_usage = {.cpu_seconds = 8.0, .samples = 100};
  http.database_query = false;  // as if `closed` had an expect of its own
  run.ceilings = {db, http};
  EXPECT_FALSE(RunsTheDatabaseQuery(run, "closed"));
  EXPECT_TRUE(std::isnan(CombinedBound(run, "closed")));
  std::string out = RenderCeilings(run);
  EXPECT_TRUE(Contains(
      out, "| closed   |                  – |                     0.100 |     2 |           – |"));
  EXPECT_TRUE(Contains(out,
                       "| axum    | closed   |             9740 |                     – |          "
                       "      61 |                  – |"));
  EXPECT_TRUE(Contains(
      out, "closed: its requests run another query than the one the database ceiling measured"));
}

// The bound comes from the CPU every process of the ceiling runs took, not from an assumption
// that each used the whole machine (the old "% of both", 1 / (1/db + 1/http), which discarded
// oha's CPU and could not be checked).
TEST(ReportCeilingsTest, TheBoundIsCoresOverTheCpuOfAQueryAndAnExchange) {
  RunResults run = sample::ReferenceRun();  // closed: axum 9740 rps
  run.environment.cores = 2;
  Ceiling db = MakeCeiling(CeilingKind::kDatabase, "", 1, 25000);
  db.requests = 250000;
  db.target_usage = {.cpu_seconds = 2.5, .samples = 100};     // pgbench: 0.01 CPU-s per 1k
  db.postgres_usage = {.cpu_seconds = 10.0, .samples = 100};  // Postgres: 0.04
  Ceiling http = MakeCeiling(CeilingKind::kHttp, "closed", 1, 16000);
  http.requests = 160000;
  http.target_usage = {.cpu_seconds = 8.0, .samples = 100};  // body server: 0.05
  http.oha_usage = {.cpu_seconds = 8.0, .samples = 100};     // oha: 0.05
  http.machine_usage = {.cpu_avg_pct = 197, .samples = 100};
  run.ceilings = {db, http};
  EXPECT_DOUBLE_EQ(QueryCpuPerThousand(run), 0.05);
  EXPECT_DOUBLE_EQ(HttpCpuPerThousand(run, "closed"), 0.1);
  EXPECT_NEAR(CombinedBound(run, "closed"), 2000 / 0.15, 1e-6);  // 13,333 rps
  std::string out = RenderCeilings(run);
  // The inputs are shown: each ceiling's CPU per 1k (client + server), the cores, the bound.
  EXPECT_TRUE(Contains(out, " 0.0100 + 0.0400 |"));
  EXPECT_TRUE(Contains(out, " 0.0500 + 0.0500 |"));
  EXPECT_TRUE(Contains(
      out, "| closed   |             0.0500 |                     0.100 |     2 |       13333 |"));
  EXPECT_TRUE(Contains(out, "|                 73 |"));  // axum: 9740 of 13,333

  // Without Postgres's CPU (an external database) there is no bound to give.
  run.ceilings[0].postgres_usage = {};
  EXPECT_TRUE(std::isnan(CombinedBound(run, "closed")));
}

}  // namespace
}  // namespace harness
