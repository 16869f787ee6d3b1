#include "report/ceilings.h"

#include <gtest/gtest.h>

#include "report/sample_runs.h"

namespace harness {
namespace {

Ceiling MakeCeiling(const std::string& kind, const std::string& scenario, int rep, double rps) {
  Ceiling c;
  c.kind = kind;
  c.scenario = scenario;
  c.repetition = rep;
  c.rps = rps;
  c.command = kind == "database" ? "pgbench -c 5" : "oha -z 10s -c 10 --disable-keepalive";
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
  run.ceilings = {MakeCeiling("database", "", 1, 20000), MakeCeiling("database", "", 2, 30000),
                  MakeCeiling("database", "", 3, 26000), MakeCeiling("http", "closed", 1, 16000)};
  run.ceilings.push_back(MakeCeiling("http", "closed", 2, 0));
  run.ceilings.back().error = "oha exited with code 1: boom";
  EXPECT_DOUBLE_EQ(CeilingRps(run, "database", ""), 26000);
  EXPECT_DOUBLE_EQ(CeilingRps(run, "http", "closed"), 16000) << "the failed one is left out";
  std::string out = RenderCeilings(run);
  EXPECT_TRUE(Contains(out, "| fastapi | closed   |              305 |                   1.2 |"));
  EXPECT_TRUE(Contains(out, "| axum    | closed   |             9740 |                    37 |"));
  EXPECT_TRUE(Contains(out, "|                61 |"));  // 9740 of 16000
  EXPECT_TRUE(Contains(out, "|        98 |"));  // 9740 of 1 / (1/26000 + 1/16000) = 9905, 98%
  EXPECT_TRUE(Contains(out, "- http closed #2: oha exited with code 1: boom"));
  EXPECT_TRUE(Contains(out, "`pgbench -c 5`"));
}

}  // namespace
}  // namespace harness
