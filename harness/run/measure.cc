#include "run/measure.h"

#include <fmt/format.h>
#include <sys/resource.h>

#include <cmath>

#include "load/open_loop.h"
#include "sampling/sampler.h"
#include "util/files.h"
#include "util/interrupt.h"
#include "util/process.h"

namespace harness {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// Closed loop: rps × mean latency should be the concurrency; a larger gap means time is spent
// outside the measured requests (in oha, or in connection setup).
constexpr double kLittleTolerance = 0.25;

std::chrono::milliseconds Watchdog(const LoadSpec& spec) {
  if (spec.duration) return *spec.duration + 60s;
  return 30min;  // -n runs: the slowest reference run took under 3 minutes
}

Result<Process> StartOha(const LoadSpec& spec, const MeasureTarget& target, const fs::path& out,
                         const fs::path& err) {
  SpawnOptions spawn;
  spawn.argv = OhaArguments(spec, target.port);
  if (!target.oha_cpus.empty()) {
    spawn.argv.insert(spawn.argv.begin(), {"taskset", "-c", target.oha_cpus});
  }
  spawn.output = out;
  spawn.error_output = err;
  std::error_code ec;
  fs::remove(out, ec);
  fs::create_directories(out.parent_path(), ec);
  return Process::Spawn(spawn);
}

}  // namespace

double HarnessCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

Status WarmUp(const LoadSpec& spec, const MeasureTarget& target, const RawFiles& raw) {
  fs::path dir = raw.run_dir / "raw" / raw.server;
  auto oha = StartOha(spec, target, dir / (raw.stem + ".warmup.json"), dir / "oha.stderr");
  if (!oha) return oha.error();
  if (!oha->Wait(Watchdog(spec))) {
    oha->Stop(2s);
    if (Interrupted()) return MakeError("interrupted");
    return MakeError("warm-up did not finish in time");
  }
  std::error_code ec;
  fs::remove(dir / (raw.stem + ".warmup.json"), ec);
  return OkStatus();
}

Result<Measurement> Measure(const LoadSpec& spec, const MeasureTarget& target, const RawFiles& raw,
                            Progress& progress) {
  fs::path dir = raw.run_dir / "raw" / raw.server;
  fs::path oha_json = dir / (raw.stem + ".oha.json");
  fs::path partial = oha_json;
  partial += ".partial";
  auto oha = StartOha(spec, target, partial, dir / "oha.stderr");
  if (!oha) return oha.error();

  Sampler sampler(
      {{"server", target.server_pid}, {"postgres", target.postgres_pid}, {"oha", oha->pid()}},
      target.sample_interval);
  sampler.Start();
  auto deadline = std::chrono::steady_clock::now() + Watchdog(spec);
  bool finished = false;
  while (!(finished = oha->Wait(100ms))) {
    if (Interrupted() || std::chrono::steady_clock::now() >= deadline) break;
    progress.Tick();
  }
  sampler.Stop();
  if (!finished) {
    oha->Stop(2s);
    if (Interrupted()) return MakeError("interrupted");
    return MakeError("oha did not finish within {}", FormatDuration(Watchdog(spec)));
  }
  if (oha->exit_code() != 0) {
    return MakeError("oha exited with code {}: {}", *oha->exit_code(),
                     TailLines(dir / "oha.stderr", 2));
  }
  std::error_code ec;
  fs::rename(partial, oha_json, ec);
  auto text = ReadFile(oha_json);
  if (!text) return text.error();
  auto figures = ParseOhaJson(*text, oha_json.string());
  if (!figures) return figures.error();
  Measurement m = MeasurementOf(spec, std::move(*figures), sampler.Summary("server"),
                                sampler.Summary("postgres"), sampler.Summary("oha"));
  m.machine_usage = sampler.Machine();
  fs::path samples = dir / (raw.stem + ".samples.csv");
  if (Status s = WriteFileAtomic(samples, sampler.Csv()); !s) return s.error();
  m.raw_oha = fs::relative(oha_json, raw.run_dir).string();
  m.raw_samples = fs::relative(samples, raw.run_dir).string();
  AddSanityWarnings(spec, m, target.cores);
  return m;
}

Measurement MeasurementOf(const LoadSpec& spec, LoadFigures figures, const Usage& server,
                          const Usage& postgres, const Usage& oha) {
  Measurement m;
  static_cast<LoadFigures&>(m) = std::move(figures);
  m.offered_rps = spec.rate;
  m.concurrency = spec.concurrency;
  m.server_usage = OverLoad(server, m.duration_s);
  m.postgres_usage = OverLoad(postgres, m.duration_s);
  m.oha_usage = OverLoad(oha, m.duration_s);
  if (m.successes > 0) {
    m.server_cpu_s_per_1k = m.server_usage.cpu_seconds * 1000.0 / m.successes;
    m.postgres_cpu_s_per_1k = m.postgres_usage.cpu_seconds * 1000.0 / m.successes;
    m.oha_cpu_s_per_1k = m.oha_usage.cpu_seconds * 1000.0 / m.successes;
  }
  JudgeOpenLoop(spec, m);
  return m;
}

Usage OverLoad(Usage usage, double duration_s) {
  if (duration_s > 0) usage.cpu_avg_pct = 100.0 * usage.cpu_seconds / duration_s;
  return usage;
}

void AddSanityWarnings(const LoadSpec& spec, Measurement& m, int cores) {
  if (MachineBound(m, cores)) {
    double busy = m.machine_usage.cpu_avg_pct;
    double other =
        busy - m.server_usage.cpu_avg_pct - m.postgres_usage.cpu_avg_pct - m.oha_usage.cpu_avg_pct;
    m.warnings.push_back(fmt::format(
        "the machine was {:.0f}% busy of {}% (server {:.0f}%, Postgres {:.0f}%, oha {:.0f}%, "
        "other {:.0f}%): the machine, not the server alone, may have been the limit",
        busy, 100 * cores, m.server_usage.cpu_avg_pct, m.postgres_usage.cpu_avg_pct,
        m.oha_usage.cpu_avg_pct, std::max(0.0, other)));
  }
  if (!spec.rate && m.latency.mean && m.duration_s > 0 && m.requests > 0) {
    double in_flight = (m.requests / m.duration_s) * (*m.latency.mean / 1000.0);
    if (std::abs(in_flight - spec.concurrency) > kLittleTolerance * spec.concurrency) {
      m.warnings.push_back(fmt::format(
          "Little's law: rps x mean latency = {:.1f} requests in flight, not {}: time goes "
          "outside the measured requests (load generator, connection setup)",
          in_flight, spec.concurrency));
    }
  }
  if (m.requests > 0 && m.successes < m.requests) {
    std::string top;
    long long most = 0;
    for (const auto& [what, n] : m.errors) {
      if (n > most) most = n, top = what;
    }
    for (const auto& [code, n] : m.status_codes) {
      if (code[0] != '2' && n > most) most = n, top = "HTTP " + code;
    }
    m.warnings.push_back(fmt::format("{} of {} requests failed (most: {})",
                                     m.requests - m.successes, m.requests, top));
  }
  if (m.successes == 0) {
    m.valid = false;
    m.warnings.push_back("no request succeeded");
  }
}

}  // namespace harness
