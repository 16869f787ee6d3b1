// End to end, tests/bench.sweep.yaml on two built servers: a sweep offers the same rates in every
// repetition, fixed from its saturation pass; the servers' order rotates; and nothing the
// harness does adds load to Postgres while it measures, with a terminal attached (where a live
// progress line redraws) or not.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "results/results.h"
#include "stats/stats.h"
#include "testing/cli.h"
#include "util/files.h"
#include "util/process.h"

namespace harness {
namespace {

namespace fs = std::filesystem;

const std::string kProfile = std::string(PROJECT_SOURCE_DIR) + "/tests/bench.sweep.yaml";

// Runs the profile; with `terminal`, under script(1), so that the harness's stderr is a tty.
RunResults RunProfile(bool terminal) {
  fs::path out = TempDir("harness-sweep");
  std::vector<std::string> args = {"run",     kProfile,   "--no-build",
                                   "--quiet", "--output", out.string()};
  CommandRun run;
  if (terminal) {
    std::string command = HARNESS_BINARY;
    for (const std::string& a : args) command += " '" + a + "'";
    fs::path log = out / "script.log";
    SpawnOptions spawn;
    spawn.argv = {"script", "-q", "-e", "-c", command, "/dev/null"};
    spawn.output = log;
    auto process = Process::Spawn(spawn);
    EXPECT_TRUE(process) << process.error().message;
    if (process && process->Wait(std::chrono::seconds(300))) run.exit_code = *process->exit_code();
    if (process) process->Stop(std::chrono::seconds(5));
    auto text = ReadFile(log);
    run.output = text ? *text : "";
    EXPECT_NE(run.output.find("\r\033[K"), std::string::npos) << "no live line: not a terminal?";
  } else {
    run = RunHarness(args, 300);
  }
  EXPECT_EQ(run.exit_code, 0) << run.output;
  RunResults results;
  for (const auto& entry : fs::directory_iterator(out)) {
    if (!entry.is_directory()) continue;
    auto loaded = LoadResults(entry.path());
    EXPECT_TRUE(loaded) << loaded.error().message;
    if (loaded) results = *loaded;
  }
  fs::remove_all(out);
  return results;
}

double PostgresCpuPer1k(const RunResults& r) {
  std::vector<double> values;
  for (const Measurement& m : r.measurements) {
    if (m.scenario == "closed") values.push_back(m.postgres_cpu_s_per_1k);
  }
  return Median(values);
}

TEST(SweepEndToEnd, RatesAreFixedOrdersRotateAndNothingLoadsPostgres) {
  auto before = OurProcesses();
  RunResults tty = RunProfile(true);
  ASSERT_FALSE(tty.partial);

  EXPECT_EQ(tty.server_orders,
            (std::vector<std::vector<std::string>>{{"axum", "cpp-beast"}, {"cpp-beast", "axum"}}));
  ASSERT_EQ(tty.sweep_rates.size(), 2u);
  for (const SweepRates& plan : tty.sweep_rates) {
    SCOPED_TRACE(plan.server);
    // Two repetitions: two saturation runs, before any open-loop level.
    ASSERT_EQ(plan.saturation_rps.size(), 2u);
    EXPECT_DOUBLE_EQ(plan.saturation_median, Median(plan.saturation_rps));
    ASSERT_EQ(plan.levels.size(), 2u);
    std::map<std::string, std::vector<double>> offered;  // level -> per repetition
    int saturation = 0;
    for (const Measurement& m : tty.measurements) {
      if (m.server != plan.server || m.scenario != "sweep") continue;
      if (m.level.saturation()) {
        ++saturation;
        EXPECT_FALSE(m.offered_rps);
        continue;
      }
      ASSERT_TRUE(m.offered_rps);
      offered[m.level.Name()].push_back(*m.offered_rps);
      EXPECT_TRUE(m.unsent && m.backlog_ms && m.schedule_s) << m.level.Name();
    }
    EXPECT_EQ(saturation, 2);
    for (const SweepLevelRate& level : plan.levels) {
      std::string name = fmt::format("{:.2f}", level.fraction);
      EXPECT_EQ(offered[name],
                (std::vector<double>{level.rate, level.rate}))  // the same in both repetitions
          << name;
      EXPECT_EQ(level.rate, std::round(level.fraction * plan.saturation_median));
    }
  }

  // No new Postgres backend during any measurement: nothing but the server's pool talks to
  // Postgres while it is measured (a progress line that counted requests through
  // pg_stat_statements forked one every second).
  for (const Measurement& m : tty.measurements) {
    EXPECT_EQ(m.postgres_usage.processes_started, 0)
        << m.server << " " << m.scenario << " " << m.level.Name() << " #" << m.repetition;
    EXPECT_GT(m.postgres_usage.samples, 50);
  }

  // And Postgres's CPU per request is the same without a terminal, within the noise of two
  // 3-second runs on a shared machine.
  RunResults plain = RunProfile(false);
  double with = PostgresCpuPer1k(tty), without = PostgresCpuPer1k(plain);
  EXPECT_GT(with, 0);
  EXPECT_LT(with, 1.5 * without) << with << " vs " << without;
  EXPECT_GT(with, without / 1.5) << with << " vs " << without;
  for (const Measurement& m : plain.measurements) EXPECT_EQ(m.postgres_usage.processes_started, 0);

  EXPECT_EQ(OurProcesses(), before) << "a process of the run is still there";
}

}  // namespace
}  // namespace harness
