#include "run/calibrate.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

#include "calibration/pgbench.h"
#include "load/oha.h"
#include "postgres/sql_text.h"
#include "run/measure.h"
#include "servers/server_process.h"
#include "util/files.h"
#include "util/interrupt.h"
#include "util/net.h"

namespace harness {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// The scenarios whose load has a ceiling: closed loops. An open loop's throughput is the rate
// it offers, so a ceiling says nothing about it.
std::vector<const Scenario*> ClosedLoops(const Config& config) {
  std::vector<const Scenario*> closed;
  for (const Scenario& s : config.scenarios) {
    if (s.kind == ScenarioKind::kSweep || !s.rate) closed.push_back(&s);
  }
  return closed;
}

Ceiling DatabaseCeiling(const Config& config, const CalibrationInputs& in, Progress& progress) {
  Ceiling c;
  c.kind = CeilingKind::kDatabase;
  c.repetition = in.repetition;
  PgbenchSpec spec;
  spec.dsn = in.dsn;
  spec.connections = config.db_pool_size;
  spec.duration = config.calibration.duration;
  spec.cpus = config.pinning.server;
  spec.postgres_pid = in.postgres_pid;
  spec.sample_interval = config.sample_interval;
  spec.work_dir = in.run_dir / "raw" / "calibration";
  std::vector<std::string> args = PgbenchArguments(spec, "pgbench", "query.sql");
  args.back() = RedactDsn(args.back());
  c.command = fmt::format("{}", fmt::join(args, " "));

  progress.Begin(fmt::format("ceiling / database #{}", in.repetition), spec.duration);
  auto result = RunPgbench(spec);
  if (!result) {
    c.error = result.error().message;
    progress.End("not measured: " + c.error);
    return c;
  }
  c.rps = result->tps;
  c.requests = result->transactions;
  c.latency.mean = result->latency_avg_ms;
  c.target_usage = result->pgbench_usage;
  c.postgres_usage = result->postgres_usage;
  c.machine_usage = result->machine_usage;
  if (result->failed > 0) c.error = fmt::format("{} queries failed", result->failed);
  progress.End(fmt::format("{:.0f} queries/s with {} connections", c.rps, spec.connections));
  return c;
}

// Letters lower-cased, runs of white space as one, no trailing semicolon: enough to tell the
// benchmark query written another way from another query.
std::string Normalized(const std::string& sql) {
  std::string out;
  for (char c : sql) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  while (!out.empty() && (out.back() == ' ' || out.back() == ';')) out.pop_back();
  return out;
}

// One closed-loop scenario's load against the body server answering its expected body.
Ceiling HttpCeiling(const Config& config, const CalibrationInputs& in, const Scenario& scenario,
                    Progress& progress) {
  Ceiling c;
  c.kind = CeilingKind::kHttp;
  c.scenario = scenario.name;
  c.repetition = in.repetition;
  c.database_query = RunsTheBenchmarkQuery(scenario);
  LoadSpec spec;
  spec.duration = config.calibration.duration;
  spec.concurrency = scenario.concurrency;
  spec.keepalive = scenario.keepalive;
  spec.request = scenario.request;
  c.command = OhaCommandLine(spec);
  auto fail = [&](const std::string& why) {
    c.error = why;
    progress.Log(fmt::format("  HTTP ceiling of {} not measured: {}", scenario.name, why));
    return c;
  };
  auto body = in.bodies.find(scenario.name);
  if (body == in.bodies.end()) {
    return fail("no body to serve: the scenario expects no particular document");
  }
  fs::path dir = in.run_dir / "raw" / "calibration";
  std::string file = "body-" + scenario.name + ".json";
  if (Status s = WriteFileAtomic(dir / file, body->second); !s) return fail(s.error().message);
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return fail("cannot find the harness's own executable: " + ec.message());

  ServerConfig target;
  target.name = "body server";
  target.dir = dir;
  // Each thread serves one connection at a time: one per connection oha opens, and spare.
  target.run = fmt::format("exec {} serve-body --body {} --threads {}", ShellQuote(self.string()),
                           file, std::max(4, scenario.concurrency + 4));
  auto port = FreePort();
  if (!port) return fail(port.error().message);
  LaunchOptions launch{*port,
                       kLoopback,
                       "",
                       config.db_pool_size,
                       config.pinning.server,
                       in.run_dir / "logs" / "calibration.log"};
  auto process = ServerProcess::Start(target, launch);
  if (!process) return fail(process.error().message);
  if (Status ready = process->WaitReady(); !ready) {
    process->Stop(2s);
    return fail(ready.error().message);
  }
  if (!scenario.request.paths.empty()) {
    spec.urls_file = dir / ("urls-" + scenario.name + ".txt");
    if (Status s = WriteFileAtomic(spec.urls_file, UrlsFileText(scenario.request, *port)); !s) {
      process->Stop(2s);
      return fail(s.error().message);
    }
  }
  MeasureTarget measure{
      *port, process->pid(), in.postgres_pid, config.sample_interval, config.pinning.oha, in.cores};
  progress.Begin(fmt::format("ceiling / http {} #{}", scenario.name, in.repetition),
                 config.calibration.duration);
  RawFiles raw{in.run_dir, "calibration", fmt::format("http-{}-{}", scenario.name, in.repetition)};
  auto m = Measure(spec, measure, raw, progress);
  process->Stop(2s);
  if (!m) {
    c.error = m.error().message;
    progress.End("not measured: " + c.error);
    return c;
  }
  c.rps = m->rps;
  c.requests = m->successes;
  c.latency = m->latency;
  c.bytes_per_request = m->bytes_per_request;
  c.target_usage = m->server_usage;
  c.oha_usage = m->oha_usage;
  c.machine_usage = m->machine_usage;
  if (m->success_rate < 1) {
    c.error = fmt::format("only {:.1f}% of requests succeeded", 100 * m->success_rate);
  }
  progress.End(fmt::format("{:.0f} rps", c.rps));
  return c;
}

}  // namespace

bool RunsTheBenchmarkQuery(const Scenario& scenario) {
  if (!scenario.expect) return true;
  const ExpectedBody& body = scenario.expect->body;
  return body.kind == BodyKind::kSql && !body.object && body.params.empty() &&
         Normalized(body.sql) == Normalized(kBenchmarkQuery);
}

std::vector<Ceiling> MeasureCeilings(const Config& config, const CalibrationInputs& inputs,
                                     Progress& progress) {
  std::vector<Ceiling> ceilings;
  if (!config.calibration.enabled) return ceilings;
  progress.Log(fmt::format("harness: ceilings (repetition {} of {})", inputs.repetition,
                           config.repetitions));
  ceilings.push_back(DatabaseCeiling(config, inputs, progress));
  if (Interrupted()) return ceilings;
  for (const Scenario* s : ClosedLoops(config)) {
    if (Interrupted()) break;
    ceilings.push_back(HttpCeiling(config, inputs, *s, progress));
  }
  return ceilings;
}

}  // namespace harness
