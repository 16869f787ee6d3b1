#include "run/runner.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <functional>
#include <set>

#include "load/oha.h"
#include "load/open_loop.h"
#include "plots/plots.h"
#include "postgres/database.h"
#include "report/markdown.h"
#include "results/environment.h"
#include "results/results.h"
#include "run/calibrate.h"
#include "run/measure.h"
#include "run/progress.h"
#include "run/roles.h"
#include "run/sweep_plan.h"
#include "sampling/sampler.h"
#include "servers/contract.h"
#include "servers/expect.h"
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

LoadSpec ClosedLoop(const Scenario& scenario) {
  LoadSpec closed;
  closed.duration = scenario.duration;
  closed.concurrency = scenario.concurrency;
  closed.keepalive = scenario.keepalive;
  closed.request = scenario.request;
  return closed;
}

// Everything one run keeps between steps.
class Run {
 public:
  Run(const Config& config, const RunOptions& options) : config_(config), options_(options) {}
  RunOutcome Go();

 private:
  // The stages of Go(), in order. The first two return an exit code when the run cannot start.
  std::optional<int> Preflight();
  std::optional<int> SetUp();
  void SaturationPass();
  void Repetitions();
  RunOutcome Finish();

  // What one visit of a server measures, between its start and its stop.
  struct Visit {
    const ServerConfig& server;
    ServerOutcome& outcome;
    StartedServer& process;
    int rep;
  };
  using Steps = std::function<bool(const Visit&)>;
  // Starts the server (building and verifying it on its first visit), runs `steps`, stops it.
  // False when the server failed or the run must stop.
  bool VisitServer(size_t index, int rep, const Steps& steps);
  bool Verify(ServerOutcome& outcome, StartedServer& process);
  // The scenarios of one repetition; the sweeps at the rates the saturation pass fixed.
  bool Scenarios(const Visit& visit);
  bool SweepLevels(const Visit& visit, const Scenario& scenario);
  bool WarmUp(const Visit& visit, const Scenario& scenario);
  // For a scenario with a file of paths, writes the file of URLs oha reads for this server's
  // port and names it in `spec`.
  Status WithUrls(const Visit& visit, const Scenario& scenario, LoadSpec& spec);
  // One oha run, recorded; empty when the server (or the run) cannot go on.
  std::optional<Measurement> MeasureStep(const Visit& visit, const Scenario& scenario,
                                         const LoadSpec& spec, const Level& level);

  // The servers' indices in the order repetition `rep` runs them: rotated by rep - 1.
  std::vector<size_t> Rotation(int rep) const;
  const SweepRates* RatesOf(const std::string& server, const std::string& scenario) const;

  void Save();
  void Fail(ServerOutcome& outcome, ServerVerdict verdict, const std::string& why,
            const std::string& log_tail = "");
  // Postgres is shared by every server: when it dies, or a host's connection is lost, the run
  // stops cleanly, blaming no server (see README, Reliability). True when the run must stop for
  // any reason.
  bool Stopping();

  const Config& config_;
  const RunOptions& options_;
  RunResults results_;
  std::vector<const ServerConfig*> servers_;  // parallel to results_.servers
  std::vector<bool> started_before_;          // per server: built and verified already
  fs::path dir_;
  std::unique_ptr<Roles> roles_;  // where Postgres, the servers and the load run
  std::string dsn_;
  std::map<std::string, std::string> bodies_;  // what each scenario's HTTP ceiling serves
  std::unique_ptr<Progress> progress_ = std::make_unique<Progress>();
  double harness_cpu_s_ = 0, measured_wall_s_ = 0;
};

RunOutcome Run::Go() {
  if (auto exit = Preflight()) return {*exit, {}};
  if (auto exit = SetUp()) return {*exit, dir_};
  SaturationPass();
  Repetitions();
  return Finish();
}

std::optional<int> Run::Preflight() {
  // Across hosts, oha runs on the load host, whose agent reports its version.
  auto oha = CheckOhaVersion();
  if (!oha && config_.placement.load == kLocalHost) {
    std::fprintf(stderr, "harness: %s\n", oha.error().message.c_str());
    return kExitBadInput;
  }
  results_.started_at = UtcNow("%Y-%m-%dT%H:%M:%SZ");
  results_.config_file = config_.file.string();
  results_.config_text = RedactDsn(config_.text);  // postgres.dsn may hold a password
  results_.baseline = config_.baseline;
  results_.environment =
      CollectEnvironment(config_, oha.value_or("on host " + config_.placement.load));
  std::set<std::string> only(options_.only_servers.begin(), options_.only_servers.end());
  for (const ServerConfig& s : config_.servers) {
    if (only.empty() ? s.enabled : only.contains(s.name)) servers_.push_back(&s);
  }
  if (servers_.empty()) {
    std::fprintf(stderr, "harness: %s: no servers enabled\n", config_.file.c_str());
    return kExitBadInput;
  }
  // Across hosts oha targets the server's host; on one machine, 127.0.0.1.
  const std::string host = RunsAcrossHosts(config_, servers_) ? "$HOST" : kLoopback;
  for (const Scenario& s : config_.scenarios) {
    results_.scenarios.push_back(s.name);
    results_.scenario_commands[s.name] = OhaCommandLine(SpecOf(s), host);
  }
  results_.method = MethodOf(config_, results_.environment, results_.scenario_commands);
  results_.fingerprint = Fingerprint(results_.method);
  for (const ServerConfig* s : servers_) {
    ServerOutcome outcome;
    outcome.name = s->name;
    outcome.description = s->description;
    outcome.ok = true;
    outcome.git_sha = results_.method.count("code:" + s->name)
                          ? results_.method.at("code:" + s->name)
                          : FolderGitSha(s->dir);
    results_.servers.push_back(outcome);
  }
  started_before_.assign(servers_.size(), false);
  return std::nullopt;
}

std::optional<int> Run::SetUp() {
  dir_ = NewRunDir(config_.output, results_.environment.git_sha);
  progress_->Log("harness: run directory " + dir_.string());
  Save();
  roles_ = MakeRoles(config_, servers_);
  if (Status up = roles_->SetUp(results_, *progress_); !up) {
    std::fprintf(stderr, "harness: %s\n", up.error().message.c_str());
    results_.abort_reason = up.error().message;
    Save();
    return kExitBadInput;
  }
  dsn_ = roles_->dsn();
  progress_->Log("harness: postgres ready at " + RedactDsn(dsn_));
  auto checksum = DataChecksum(dsn_);
  if (!checksum) {
    std::fprintf(stderr, "harness: %s\n", checksum.error().message.c_str());
    return kExitBadInput;
  }
  results_.data_checksum = *checksum;
  results_.method["data"] = *checksum;
  results_.fingerprint = Fingerprint(results_.method);
  // The body a correct server answers each scenario's first request with; an expectation the
  // database cannot resolve is bad input, found before any server starts.
  for (const Scenario& s : config_.scenarios) {
    Expectation expect = s.expect.value_or(ContractExpectation());
    auto samples = SampleRequests(s.request, 1);
    auto body = samples ? ExpectedDocument(expect, samples->front(), dsn_)
                        : Result<std::optional<nlohmann::ordered_json>>(samples.error());
    if (!body) {
      std::fprintf(stderr, "harness: %s: scenario %s: %s%s\n", config_.file.c_str(), s.name.c_str(),
                   s.expect ? "" : "the benchmark query: ", body.error().message.c_str());
      return kExitBadInput;
    }
    if (*body) bodies_[s.name] = (*body)->dump();
  }
  return std::nullopt;
}

// Each server's saturation throughput, before any repetition: a closed loop per sweep scenario,
// up to kSaturationRuns times per server (a fresh start each time, servers in the repetitions'
// orders), then the rates every repetition will offer.
void Run::SaturationPass() {
  std::vector<const Scenario*> sweeps;
  for (const Scenario& s : config_.scenarios) {
    if (s.kind == ScenarioKind::kSweep) sweeps.push_back(&s);
  }
  if (sweeps.empty()) return;
  int runs = std::min(config_.repetitions, kSaturationRuns);
  for (int round = 1; round <= runs && !Stopping(); ++round) {
    for (size_t i : Rotation(round)) {
      if (Stopping()) break;
      if (!results_.servers[i].ok) continue;
      progress_->Log(
          fmt::format("harness: {} (saturation {} of {})", servers_[i]->name, round, runs));
      VisitServer(i, round, [&](const Visit& visit) {
        for (const Scenario* s : sweeps) {
          if (!WarmUp(visit, *s)) return false;
          if (!MeasureStep(visit, *s, ClosedLoop(*s), Level::Saturation())) return false;
        }
        return true;
      });
      Save();
    }
  }
  for (size_t i = 0; i < servers_.size(); ++i) {
    for (const Scenario* s : sweeps) {
      std::vector<double> rps;
      for (const Measurement& m : results_.measurements) {
        if (m.server == servers_[i]->name && m.scenario == s->name && m.level.saturation() &&
            m.valid && m.rps > 0) {
          rps.push_back(m.rps);
        }
      }
      results_.sweep_rates.push_back(PlanSweep(servers_[i]->name, *s, rps));
    }
  }
  Save();
}

void Run::Repetitions() {
  for (int rep = 1; rep <= config_.repetitions && !Stopping(); ++rep) {
    // The ceilings are one machine's: across hosts there is none to measure.
    if (roles_->OneMachine()) {
      auto ceilings = MeasureCeilings(
          config_, {dsn_, roles_->postgres_pid(), bodies_, dir_, rep, results_.environment.cores},
          *progress_);
      results_.ceilings.insert(results_.ceilings.end(), ceilings.begin(), ceilings.end());
    }
    std::vector<std::string>& order = results_.server_orders.emplace_back();
    for (size_t i : Rotation(rep)) order.push_back(servers_[i]->name);
    Save();
    for (size_t i : Rotation(rep)) {
      if (Stopping()) break;
      if (!results_.servers[i].ok) continue;
      progress_->Log(fmt::format("harness: {} (repetition {} of {})", servers_[i]->name, rep,
                                 config_.repetitions));
      VisitServer(i, rep, [&](const Visit& visit) { return Scenarios(visit); });
      Save();
    }
  }
}

RunOutcome Run::Finish() {
  bool any_failed = !results_.abort_reason.empty();
  for (const auto& s : results_.servers) any_failed |= !s.ok;
  if (!Stopping()) {
    results_.partial = false;
    results_.finished_at = UtcNow("%Y-%m-%dT%H:%M:%SZ");
  }
  Save();
  if (Status s = WritePlots(results_, dir_); !s) progress_->Log("harness: " + s.error().message);
  if (Status s =
          WriteFileAtomic(dir_ / "report.md", RenderMarkdown(results_, PlotLinks(results_, dir_)));
      !s) {
    progress_->Log("harness: " + s.error().message);
  }
  if (!options_.quiet && !Interrupted()) {
    std::printf("%s\n", RenderScenarioTables(results_).c_str());
    std::fflush(stdout);  // before the log lines on stderr, which may share its pipe
  }
  progress_->Log("harness: results in " + dir_.string());
  if (Interrupted()) progress_->Log("harness: interrupted; results.json is marked partial");
  return {any_failed ? kExitFailure : kExitOk, dir_};
}

std::vector<size_t> Run::Rotation(int rep) const {
  std::vector<size_t> order(servers_.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = (i + rep - 1) % order.size();
  return order;
}

const SweepRates* Run::RatesOf(const std::string& server, const std::string& scenario) const {
  for (const SweepRates& r : results_.sweep_rates) {
    if (r.server == server && r.scenario == scenario) return &r;
  }
  return nullptr;
}

void Run::Save() {
  if (measured_wall_s_ > 0) results_.harness_cpu_pct = 100.0 * harness_cpu_s_ / measured_wall_s_;
  if (Status s = WriteFileAtomic(dir_ / "results.json", ToJson(results_)); !s) {
    progress_->Log("harness: " + s.error().message);
  }
}

bool Run::Stopping() {
  if (Interrupted()) return true;
  if (!results_.abort_reason.empty()) return true;
  if (dsn_.empty()) return false;  // before the database
  Status alive = roles_->Alive();
  if (!alive) {
    results_.abort_reason = alive.error().message;
    progress_->Log("harness: " + results_.abort_reason);
  }
  return !alive;
}

void Run::Fail(ServerOutcome& outcome, ServerVerdict verdict, const std::string& why,
               const std::string& log_tail) {
  if (Stopping()) return;  // not the server's fault
  outcome.ok = false;
  outcome.verdict = verdict;
  outcome.failure = why;
  outcome.log_tail = log_tail;
  progress_->Log(
      fmt::format("  {} FAILED ({}): {}", outcome.name, ServerVerdictName(verdict), why));
}

bool Run::VisitServer(size_t index, int rep, const Steps& steps) {
  const ServerConfig& server = *servers_[index];
  ServerOutcome& outcome = results_.servers[index];
  bool first = !started_before_[index];
  started_before_[index] = true;
  fs::path log = dir_ / "logs" / (server.name + ".log");
  if (first && options_.build) {
    progress_->Log("  building");
    if (Status built = roles_->Build(server, log); !built) {
      Fail(outcome, ServerVerdict::kBuildFailed, built.error().message, TailLines(log, 10));
      return false;
    }
  }
  auto started = roles_->Start(server, log);
  if (!started) {
    Fail(outcome, ServerVerdict::kStartFailed, started.error().message);
    return false;
  }
  StartedServer& process = **started;
  bool ok = true;
  if (Status ready = process.WaitReady(); !ready) {
    Fail(outcome,
         process.last_status() >= 500 ? ServerVerdict::kServerErrors : ServerVerdict::kNeverReady,
         ready.error().message, process.LogTail(10));
    ok = false;
  }
  if (ok && first) ok = Verify(outcome, process);
  if (ok) ok = steps({server, outcome, process, rep});
  StopOutcome stop = process.Stop(kStopGrace);
  if (!stop.all_gone && outcome.ok) {
    Fail(outcome, ServerVerdict::kDidNotStop,
         "processes of the server survived SIGTERM and SIGKILL");
  }
  return ok && outcome.ok;
}

// Every scenario's answers against its expectation (the contract's when it declares none), then
// the queries one request causes.
bool Run::Verify(ServerOutcome& outcome, StartedServer& process) {
  outcome.idle_rss_mib = process.TreeRssMib();
  int checked = 0;
  std::vector<std::string> uncounted;
  for (const Scenario& scenario : config_.scenarios) {
    Expectation expect = scenario.expect.value_or(ContractExpectation());
    ScenarioVerification v =
        VerifyScenario(process.port(), dsn_, scenario, expect, process.address());
    checked += v.checked;
    if (!v.answers) {
      outcome.verification = v.answers.error().message;
      Fail(outcome, ServerVerdict::kWrongResponse, v.answers.error().message, process.LogTail(5));
      return false;
    }
    if (!v.counts && v.counts.error().message.find("pg_stat_statements") != std::string::npos &&
        !config_.postgres.dsn.empty()) {
      uncounted.push_back(scenario.name);  // an external server without the extension
    } else if (!v.counts) {
      outcome.count_check = v.counts.error().message;
      Fail(outcome, ServerVerdict::kQueryCountMismatch, v.counts.error().message,
           process.LogTail(5));
      return false;
    }
  }
  outcome.verification =
      fmt::format("passed ({} answers of {} scenarios)", checked, config_.scenarios.size());
  outcome.count_check = uncounted.empty()
                            ? "passed"
                            : fmt::format("not available on this database (pg_stat_statements): {}",
                                          fmt::join(uncounted, ", "));
  return true;
}

bool Run::Scenarios(const Visit& visit) {
  for (const Scenario& scenario : config_.scenarios) {
    if (Stopping()) return false;
    if (!WarmUp(visit, scenario)) return false;
    bool go_on = scenario.kind == ScenarioKind::kSweep
                     ? SweepLevels(visit, scenario)
                     : MeasureStep(visit, scenario, SpecOf(scenario), Level()).has_value();
    if (!go_on) return false;
  }
  return true;
}

bool Run::WarmUp(const Visit& visit, const Scenario& scenario) {
  if (scenario.warmup.count() <= 0) return true;
  LoadSpec warm = ClosedLoop(scenario);
  warm.duration = scenario.warmup;
  RawFiles raw{dir_, visit.server.name, scenario.name + "-" + std::to_string(visit.rep)};
  if (Status s = WithUrls(visit, scenario, warm); !s) {
    Fail(visit.outcome, ServerVerdict::kLoadFailed, s.error().message);
    return false;
  }
  if (Status s = roles_->WarmUp(warm, visit.process, raw); !s) {
    if (!Interrupted())
      Fail(visit.outcome, ServerVerdict::kLoadFailed, "warm-up: " + s.error().message);
    return false;
  }
  return true;
}

Status Run::WithUrls(const Visit& visit, const Scenario& scenario, LoadSpec& spec) {
  if (scenario.request.paths.empty()) return OkStatus();
  spec.urls_file = dir_ / "raw" / visit.server.name / (scenario.name + ".urls");
  return WriteFileAtomic(spec.urls_file, UrlsFileText(scenario.request, visit.process.port(),
                                                      visit.process.address()));
}

// Open loop at the rates fixed by the saturation pass, with latency correction. A point whose
// backlog the requests in flight do not explain is saturated (load/open_loop.h): not a latency.
bool Run::SweepLevels(const Visit& visit, const Scenario& scenario) {
  const SweepRates* rates = RatesOf(visit.server.name, scenario.name);
  if (!rates || rates->levels.empty()) return true;  // no valid saturation run to sweep against
  for (const SweepLevelRate& level : rates->levels) {
    if (!MeasureStep(visit, scenario, LevelSpec(scenario, level),
                     Level::Fraction(level.fraction))) {
      return false;
    }
  }
  return true;
}

std::optional<Measurement> Run::MeasureStep(const Visit& visit, const Scenario& scenario,
                                            const LoadSpec& spec, const Level& level) {
  const std::string& name = visit.server.name;
  std::string stem = scenario.name + "-" + std::to_string(visit.rep);
  if (!level.fixed()) stem += "-" + level.Name();
  std::string label = fmt::format("{} / {}{} #{}", name, scenario.name,
                                  level.fixed() ? "" : " @ " + level.Name(), visit.rep);
  progress_->Begin(label, Expected(spec));
  double cpu_before = HarnessCpuSeconds();
  auto wall_before = Clock::now();
  LoadSpec concrete = spec;
  Status urls = WithUrls(visit, scenario, concrete);
  auto m = urls ? roles_->Measure(concrete, visit.process, {dir_, name, stem}, *progress_)
                : Result<Measurement>(urls.error());
  harness_cpu_s_ += HarnessCpuSeconds() - cpu_before;
  measured_wall_s_ += std::chrono::duration<double>(Clock::now() - wall_before).count();
  if (!m) {
    if (!Interrupted()) {
      Fail(visit.outcome, ServerVerdict::kLoadFailed, m.error().message, visit.process.LogTail(10));
    }
    return std::nullopt;
  }
  m->server = name;
  m->scenario = scenario.name;
  m->repetition = visit.rep;
  m->level = level;
  // A sweep point past saturation measures nothing of the server. A fixed scenario asked for
  // its rate (the reference's "corrected" run does), so its throughput stays; reports print
  // "saturated" instead of its latency.
  if (m->saturated && !level.fixed()) m->valid = false;
  if (Stopping()) {
    m->valid = false;
    m->warnings.push_back(results_.abort_reason.empty() ? "interrupted during the measurement"
                                                        : results_.abort_reason);
    results_.measurements.push_back(*m);
    return std::nullopt;
  }
  if (!visit.process.Running()) {
    m->valid = false;
    // Across hosts "not running" may be a host lost just now: then the server is not to blame.
    const bool stopping = Stopping();
    m->warnings.push_back(stopping ? results_.abort_reason
                                   : "the server died during the measurement");
    results_.measurements.push_back(*m);
    if (!stopping) {
      Fail(visit.outcome, ServerVerdict::kDiedUnderLoad,
           fmt::format("{} died during scenario {}", name, scenario.name),
           visit.process.LogTail(10));
    }
    return std::nullopt;
  }
  std::string latency =
      m->saturated ? SaturatedLabel(m->behind_schedule.value_or(true), m->backlog_ms.value_or(0),
                                    m->in_system, m->concurrency)
                   : fmt::format("p50 {} ms, p99 {} ms",
                                 m->latency.p50 ? fmt::format("{:.2f}", *m->latency.p50) : "-",
                                 m->latency.p99 ? fmt::format("{:.2f}", *m->latency.p99) : "-");
  progress_->End(fmt::format("{:.0f} rps, {}, {:.1f}% ok", m->rps, latency, 100 * m->success_rate));
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
