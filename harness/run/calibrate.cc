#include "run/calibrate.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "calibration/pgbench.h"
#include "load/oha.h"
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

std::string Quoted(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

Ceiling DatabaseCeiling(const Config& config, const CalibrationInputs& in, Progress& progress) {
  Ceiling c;
  c.kind = "database";
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

// Starts the body server, measures each closed-loop scenario's load against it, stops it.
std::vector<Ceiling> HttpCeilings(const Config& config, const CalibrationInputs& in,
                                  Progress& progress) {
  std::vector<Ceiling> ceilings;
  auto fail_all = [&](const std::string& why) {
    for (const Scenario* s : ClosedLoops(config)) {
      ceilings.push_back({.kind = "http", .scenario = s->name, .repetition = in.repetition});
      ceilings.back().error = why;
    }
    progress.Log("  HTTP ceiling not measured: " + why);
    return ceilings;
  };
  fs::path dir = in.run_dir / "raw" / "calibration";
  if (Status s = WriteFileAtomic(dir / "body.json", UsersJson(in.expected)); !s) {
    return fail_all(s.error().message);
  }
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return fail_all("cannot find the harness's own executable: " + ec.message());
  int threads = 4;  // each serves one connection at a time: one per connection oha opens
  for (const Scenario* s : ClosedLoops(config)) threads = std::max(threads, s->concurrency + 4);

  ServerConfig target;
  target.name = "body server";
  target.dir = dir;
  target.run = fmt::format("exec {} serve-body --body body.json --threads {}",
                           Quoted(self.string()), threads);
  auto port = FreePort();
  if (!port) return fail_all(port.error().message);
  LaunchOptions launch{*port, "", config.db_pool_size, config.pinning.server,
                       in.run_dir / "logs" / "calibration.log"};
  auto process = ServerProcess::Start(target, launch);
  if (!process) return fail_all(process.error().message);
  if (Status ready = process->WaitReady(); !ready) {
    process->Stop(2s);
    return fail_all(ready.error().message);
  }
  MeasureTarget measure{
      *port, process->pid(), in.postgres_pid, config.sample_interval, config.pinning.oha, in.cores};
  for (const Scenario* s : ClosedLoops(config)) {
    if (Interrupted()) break;
    Ceiling& c = ceilings.emplace_back();
    c.kind = "http";
    c.scenario = s->name;
    c.repetition = in.repetition;
    LoadSpec spec;
    spec.duration = config.calibration.duration;
    spec.concurrency = s->concurrency;
    spec.keepalive = s->keepalive;
    c.command = OhaCommandLine(spec);
    progress.Begin(fmt::format("ceiling / http {} #{}", s->name, in.repetition),
                   config.calibration.duration);
    RawFiles raw{in.run_dir, "calibration", fmt::format("http-{}-{}", s->name, in.repetition)};
    auto m = Measure(spec, measure, raw, progress);
    if (!m) {
      c.error = m.error().message;
      progress.End("not measured: " + c.error);
      continue;
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
  }
  process->Stop(2s);
  return ceilings;
}

}  // namespace

std::string UsersJson(const std::vector<UserRow>& rows) {
  nlohmann::ordered_json array = nlohmann::ordered_json::array();
  for (const UserRow& row : rows) {
    array.push_back({{"user_id", row.user_id}, {"username", row.username}, {"email", row.email}});
  }
  return array.dump();
}

std::vector<Ceiling> MeasureCeilings(const Config& config, const CalibrationInputs& inputs,
                                     Progress& progress) {
  std::vector<Ceiling> ceilings;
  if (!config.calibration.enabled) return ceilings;
  progress.Log(fmt::format("harness: ceilings (repetition {} of {})", inputs.repetition,
                           config.repetitions));
  ceilings.push_back(DatabaseCeiling(config, inputs, progress));
  if (Interrupted()) return ceilings;
  auto http = HttpCeilings(config, inputs, progress);
  ceilings.insert(ceilings.end(), http.begin(), http.end());
  return ceilings;
}

}  // namespace harness
