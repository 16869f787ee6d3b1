#include "run/runner.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <set>

#include "load/oha.h"
#include "plots/plots.h"
#include "postgres/database.h"
#include "postgres/provision.h"
#include "report/markdown.h"
#include "results/environment.h"
#include "results/results.h"
#include "run/calibrate.h"
#include "run/measure.h"
#include "run/progress.h"
#include "sampling/sampler.h"
#include "servers/contract.h"
#include "servers/server_process.h"
#include "util/exit_code.h"
#include "util/files.h"
#include "util/interrupt.h"
#include "util/net.h"

namespace harness {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr auto kStopGrace = 5s;
constexpr int kCountedRequests = 20;
// An open-loop point that achieves less than this share of its offered rate is saturated.
constexpr double kSaturatedBelow = 0.97;

std::string UtcNow(const char* format) {
  std::time_t now = std::time(nullptr);
  char buf[64];
  std::strftime(buf, sizeof buf, format, std::gmtime(&now));
  return buf;
}

fs::path NewRunDir(const fs::path& output, const std::string& sha) {
  fs::path base = output / (UtcNow("%Y%m%dT%H%M%SZ") + "-" + sha);
  fs::path dir = base;
  for (int i = 2; fs::exists(dir); ++i) dir = base.string() + "-" + std::to_string(i);
  fs::create_directories(dir / "logs");
  return dir;
}

std::chrono::milliseconds Expected(const LoadSpec& spec) {
  return spec.duration ? *spec.duration : 0ms;
}

// Everything one run keeps between steps.
class Run {
 public:
  Run(const Config& config, const RunOptions& options) : config_(config), options_(options) {}
  RunOutcome Go();

 private:
  void Save();
  void Fail(ServerOutcome& outcome, const std::string& verdict, const std::string& why,
            const std::string& log_tail = "");
  // One repetition of one server: start to stop. False when the server failed.
  bool Repetition(const ServerConfig& server, ServerOutcome& outcome, int rep);
  bool Scenarios(const ServerConfig& server, ServerOutcome& outcome, ServerProcess& process,
                 int rep);
  // What one scenario of one repetition measures against.
  struct Step {
    const ServerConfig& server;
    ServerOutcome& outcome;
    ServerProcess& process;
    const MeasureTarget& target;
    const Scenario& scenario;
    int rep;
  };
  bool Sweep(const Step& step);
  // One oha run, recorded; empty when the server (or the run) cannot go on.
  std::optional<Measurement> MeasureStep(const Step& step, const LoadSpec& spec,
                                         const std::string& level);

  // Postgres is shared by every server: when it dies the run stops cleanly, blaming no server
  // (see README, Reliability). True when the run must stop for any reason.
  bool Stopping();

  const Config& config_;
  const RunOptions& options_;
  RunResults results_;
  fs::path dir_;
  Database db_;
  std::string dsn_;
  pid_t postgres_pid_ = -1;
  std::vector<UserRow> expected_;
  std::unique_ptr<Progress> progress_;
  double harness_cpu_s_ = 0, measured_wall_s_ = 0;
};

void Run::Save() {
  if (measured_wall_s_ > 0) results_.harness_cpu_pct = 100.0 * harness_cpu_s_ / measured_wall_s_;
  if (Status s = WriteFileAtomic(dir_ / "results.json", ToJson(results_)); !s) {
    progress_->Log("harness: " + s.error().message);
  }
}

bool Run::Stopping() {
  if (Interrupted()) return true;
  if (!results_.abort_reason.empty()) return true;
  bool alive = db_.cluster ? ProcessAlive(postgres_pid_)
                           : WaitUntilAccepting(dsn_, std::chrono::seconds(2)).ok();
  if (!alive) {
    results_.abort_reason = "postgres died; the run stopped";
    if (db_.cluster) results_.abort_reason += ": " + db_.cluster->LogTail(2);
    progress_->Log("harness: " + results_.abort_reason);
  }
  return !alive;
}

void Run::Fail(ServerOutcome& outcome, const std::string& verdict, const std::string& why,
               const std::string& log_tail) {
  if (Stopping()) return;  // not the server's fault
  outcome.ok = false;
  outcome.verdict = verdict;
  outcome.failure = why;
  outcome.log_tail = log_tail;
  progress_->Log(fmt::format("  {} FAILED ({}): {}", outcome.name, verdict, why));
}

RunOutcome Run::Go() {
  auto oha = CheckOhaVersion();
  if (!oha) {
    std::fprintf(stderr, "harness: %s\n", oha.error().message.c_str());
    return {kExitBadInput, {}};
  }
  results_.started_at = UtcNow("%Y-%m-%dT%H:%M:%SZ");
  results_.config_file = config_.file.string();
  results_.config_text = RedactDsn(config_.text);  // postgres.dsn may hold a password
  results_.baseline = config_.baseline;
  results_.environment = CollectEnvironment(config_, *oha);
  for (const Scenario& s : config_.scenarios) {
    results_.scenarios.push_back(s.name);
    results_.scenario_commands[s.name] = OhaCommandLine(SpecOf(s));
  }
  results_.method = MethodOf(config_, results_.environment, results_.scenario_commands);
  results_.fingerprint = Fingerprint(results_.method);

  std::set<std::string> only(options_.only_servers.begin(), options_.only_servers.end());
  std::vector<const ServerConfig*> servers;
  for (const ServerConfig& s : config_.servers) {
    if (only.empty() ? s.enabled : only.contains(s.name)) servers.push_back(&s);
  }
  if (servers.empty()) {
    std::fprintf(stderr, "harness: %s: no servers enabled\n", config_.file.c_str());
    return {kExitBadInput, {}};
  }

  std::string sha = results_.environment.git_sha;
  dir_ = NewRunDir(config_.output, sha);
  progress_ = std::make_unique<Progress>("");
  progress_->Log("harness: run directory " + dir_.string());
  Save();

  auto db = ProvisionDatabase(config_.postgres, config_.pinning.postgres);
  if (!db) {
    std::fprintf(stderr, "harness: %s\n", db.error().message.c_str());
    Save();
    return {kExitBadInput, dir_};
  }
  db_ = std::move(*db);
  dsn_ = db_.dsn;
  if (db_.cluster) postgres_pid_ = db_.cluster->postmaster_pid();
  progress_ = std::make_unique<Progress>(dsn_);
  progress_->Log("harness: postgres ready at " + RedactDsn(dsn_));
  auto expected = RunBenchmarkQuery(dsn_);
  if (!expected) {
    std::fprintf(stderr, "harness: %s\n", expected.error().message.c_str());
    return {kExitBadInput, dir_};
  }
  expected_ = *expected;

  for (const ServerConfig* s : servers) {
    ServerOutcome outcome;
    outcome.name = s->name;
    outcome.ok = true;
    outcome.git_sha = results_.method.count("code:" + s->name)
                          ? results_.method.at("code:" + s->name)
                          : FolderGitSha(s->dir);
    results_.servers.push_back(outcome);
  }
  for (int rep = 1; rep <= config_.repetitions && !Stopping(); ++rep) {
    auto ceilings =
        MeasureCeilings(config_, {dsn_, postgres_pid_, expected_, dir_, rep}, *progress_);
    results_.ceilings.insert(results_.ceilings.end(), ceilings.begin(), ceilings.end());
    Save();
    for (size_t i = 0; i < servers.size() && !Stopping(); ++i) {
      ServerOutcome& outcome = results_.servers[i];
      if (!outcome.ok) continue;
      progress_->Log(fmt::format("harness: {} (repetition {} of {})", servers[i]->name, rep,
                                 config_.repetitions));
      Repetition(*servers[i], outcome, rep);
      Save();
    }
  }

  bool any_failed = !results_.abort_reason.empty();
  for (const auto& s : results_.servers) any_failed |= !s.ok;
  if (!Stopping()) {
    results_.partial = false;
    results_.finished_at = UtcNow("%Y-%m-%dT%H:%M:%SZ");
  }
  Save();
  if (Status s = WritePlots(results_, dir_); !s) progress_->Log("harness: " + s.error().message);
  if (Status s = WriteFileAtomic(dir_ / "report.md", RenderMarkdown(results_)); !s) {
    progress_->Log("harness: " + s.error().message);
  }
  if (!options_.quiet && !Interrupted()) {
    std::printf("%s\n", RenderScenarioTables(results_).c_str());
  }
  progress_->Log("harness: results in " + dir_.string());
  if (Interrupted()) progress_->Log("harness: interrupted; results.json is marked partial");
  return {any_failed ? kExitFailure : kExitOk, dir_};
}

bool Run::Repetition(const ServerConfig& server, ServerOutcome& outcome, int rep) {
  fs::path log = dir_ / "logs" / (server.name + ".log");
  if (rep == 1 && options_.build) {
    progress_->Log("  building");
    if (Status built = BuildServer(server, log); !built) {
      Fail(outcome, "build failed", built.error().message, TailLines(log, 10));
      return false;
    }
  }
  auto port = FreePort();
  if (!port) {
    Fail(outcome, "start failed", port.error().message);
    return false;
  }
  LaunchOptions launch{*port, dsn_, config_.db_pool_size, config_.pinning.server, log};
  auto process = ServerProcess::Start(server, launch);
  if (!process) {
    Fail(outcome, "start failed", process.error().message);
    return false;
  }
  bool ok = true;
  if (Status ready = process->WaitReady(); !ready) {
    Fail(outcome, process->last_status() >= 500 ? "server errors" : "never ready",
         ready.error().message, process->LogTail(10));
    ok = false;
  }
  if (ok && rep == 1) {
    outcome.idle_rss_mib = TreeRssMib(process->pid());
    auto response = HttpFetch(*port, {}, 10s);
    Status verified =
        response ? CheckUsersResponse(*response, expected_) : Status(response.error());
    outcome.verification = verified ? "passed" : verified.error().message;
    if (!verified) {
      Fail(outcome, "wrong response", verified.error().message, process->LogTail(5));
      ok = false;
    }
  }
  if (ok && rep == 1) {
    Status counted = CheckQueryCounts(*port, dsn_, kCountedRequests);
    outcome.count_check = counted ? "passed" : counted.error().message;
    if (!counted && counted.error().message.find("pg_stat_statements") != std::string::npos &&
        !config_.postgres.dsn.empty()) {
      outcome.count_check = "not available on this database: " + counted.error().message;
    } else if (!counted) {
      Fail(outcome, "query count mismatch", counted.error().message);
      ok = false;
    }
  }
  if (ok) ok = Scenarios(server, outcome, *process, rep);

  StopOutcome stop = process->Stop(kStopGrace);
  if (!stop.all_gone && outcome.ok) {
    Fail(outcome, "did not stop", "processes of the server survived SIGTERM and SIGKILL");
  }
  return ok && outcome.ok;
}

bool Run::Scenarios(const ServerConfig& server, ServerOutcome& outcome, ServerProcess& process,
                    int rep) {
  MeasureTarget target{process.port(), process.pid(), postgres_pid_, config_.sample_interval,
                       config_.pinning.oha};
  for (const Scenario& scenario : config_.scenarios) {
    if (Stopping()) return false;
    Step step{server, outcome, process, target, scenario, rep};
    if (scenario.warmup.count() > 0) {
      LoadSpec warm;
      warm.duration = scenario.warmup;
      warm.concurrency = scenario.concurrency;
      warm.keepalive = scenario.keepalive;
      RawFiles raw{dir_, server.name, scenario.name + "-" + std::to_string(rep)};
      if (Status s = WarmUp(warm, target, raw); !s) {
        if (!Interrupted()) Fail(outcome, "load failed", "warm-up: " + s.error().message);
        return false;
      }
    }
    bool go_on = scenario.kind == ScenarioKind::kSweep
                     ? Sweep(step)
                     : MeasureStep(step, SpecOf(scenario), "").has_value();
    if (!go_on) return false;
  }
  return true;
}

// Latency at sustainable load: the server's own saturation throughput from a closed loop, then
// open-loop runs at fractions of it with latency correction. A point whose achieved rate misses
// the offered one is saturated, not a latency figure.
bool Run::Sweep(const Step& step) {
  LoadSpec closed;
  closed.duration = step.scenario.duration;
  closed.concurrency = step.scenario.concurrency;
  closed.keepalive = step.scenario.keepalive;
  auto saturation = MeasureStep(step, closed, "saturation");
  if (!saturation) return false;
  if (!saturation->valid || saturation->rps <= 0) return true;  // nothing to sweep against
  for (double fraction : step.scenario.load_fractions) {
    LoadSpec open = closed;
    open.rate = std::max(1.0, std::round(fraction * saturation->rps));
    open.latency_correction = true;
    // Little's law: requests in flight = rate x latency. At saturation the closed loop kept
    // `concurrency` in flight; give the open loop four times its share, so that oha's
    // connections are never what queues the requests.
    open.concurrency = std::max(4, static_cast<int>(std::ceil(4 * fraction * closed.concurrency)));
    auto point = MeasureStep(step, open, fmt::format("{:.2f}", fraction));
    if (!point) return false;
  }
  return true;
}

std::optional<Measurement> Run::MeasureStep(const Step& step, const LoadSpec& spec,
                                            const std::string& level) {
  const std::string& name = step.server.name;
  std::string stem = step.scenario.name + "-" + std::to_string(step.rep);
  if (!level.empty()) stem += "-" + level;
  std::string label = fmt::format("{} / {}{} #{}", name, step.scenario.name,
                                  level.empty() ? "" : " @ " + level, step.rep);
  progress_->Begin(label, Expected(spec));
  double cpu_before = HarnessCpuSeconds();
  auto wall_before = Clock::now();
  auto m = Measure(spec, step.target, {dir_, name, stem}, *progress_);
  harness_cpu_s_ += HarnessCpuSeconds() - cpu_before;
  measured_wall_s_ += std::chrono::duration<double>(Clock::now() - wall_before).count();
  if (!m) {
    if (!Interrupted()) {
      Fail(step.outcome, "load failed", m.error().message, step.process.LogTail(10));
    }
    return std::nullopt;
  }
  m->server = name;
  m->scenario = step.scenario.name;
  m->repetition = step.rep;
  m->level = level;
  if (spec.rate && m->rps < kSaturatedBelow * *spec.rate) {
    // A sweep point past saturation has no latency worth reporting; a fixed scenario asked for
    // it (the reference's "corrected" run does), so it stays, explained.
    if (!level.empty()) m->valid = false;
    m->warnings.push_back(fmt::format(
        "saturated: achieved {:.0f} of the {:.0f} rps offered, so the corrected latency is the "
        "growing backlog, not the server's response time",
        m->rps, *spec.rate));
  }
  if (Stopping()) {
    m->valid = false;
    m->warnings.push_back("postgres died during the measurement");
    results_.measurements.push_back(*m);
    return std::nullopt;
  }
  if (!step.process.Running()) {
    m->valid = false;
    m->warnings.push_back("the server died during the measurement");
    results_.measurements.push_back(*m);
    Fail(step.outcome, "died under load",
         fmt::format("{} died during scenario {}", name, step.scenario.name),
         step.process.LogTail(10));
    return std::nullopt;
  }
  progress_->End(fmt::format("{:.0f} rps, p50 {} ms, p99 {} ms, {:.1f}% ok", m->rps,
                             m->latency.p50 ? fmt::format("{:.2f}", *m->latency.p50) : "-",
                             m->latency.p99 ? fmt::format("{:.2f}", *m->latency.p99) : "-",
                             100 * m->success_rate));
  results_.measurements.push_back(*m);
  Save();
  return *m;
}

}  // namespace

RunOutcome RunBenchmark(const Config& config, const RunOptions& options) {
  Run run(config, options);
  return run.Go();
}

}  // namespace harness
