#include "calibration/pgbench.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <thread>

#include "postgres/cluster.h"
#include "postgres/sql_text.h"
#include "sampling/sampler.h"
#include "util/files.h"
#include "util/interrupt.h"
#include "util/process.h"

namespace harness {
namespace {

namespace fs = std::filesystem;

// The number after `label` on the line that starts with it.
std::optional<double> Figure(std::string_view text, std::string_view label) {
  for (size_t at = 0; at < text.size();) {
    size_t end = text.find('\n', at);
    std::string_view line = text.substr(at, end == std::string_view::npos ? end : end - at);
    at = end == std::string_view::npos ? text.size() : end + 1;
    if (!line.starts_with(label)) continue;
    line.remove_prefix(label.size());
    while (!line.empty() && line.front() == ' ') line.remove_prefix(1);
    double value = 0;
    auto [ptr, ec] = std::from_chars(line.data(), line.data() + line.size(), value);
    if (ec != std::errc() || !std::isfinite(value) || value < 0) return std::nullopt;
    return value;
  }
  return std::nullopt;
}

}  // namespace

std::optional<PgbenchResult> ParsePgbenchOutput(std::string_view text) {
  auto tps = Figure(text, "tps =");
  auto latency = Figure(text, "latency average =");
  auto done = Figure(text, "number of transactions actually processed:");
  if (!tps || !latency || !done) return std::nullopt;
  PgbenchResult r;
  r.tps = *tps;
  r.latency_avg_ms = *latency;
  r.transactions = static_cast<long long>(*done);
  r.failed = static_cast<long long>(Figure(text, "number of failed transactions:").value_or(0));
  return r;
}

std::vector<std::string> PgbenchArguments(const PgbenchSpec& spec, const std::string& pgbench,
                                          const std::string& script) {
  long long seconds =
      std::max<long long>(1, std::llround(std::chrono::duration<double>(spec.duration).count()));
  int threads =
      std::clamp(static_cast<int>(std::thread::hardware_concurrency()), 1, spec.connections);
  std::vector<std::string> args;
  if (!spec.cpus.empty()) args = {"taskset", "-c", spec.cpus};
  // -n: no vacuum of pgbench's own tables, which this database does not have.
  args.insert(args.end(),
              {pgbench, "-n", "-M", "prepared", "-c", std::to_string(spec.connections), "-j",
               std::to_string(threads), "-T", std::to_string(seconds), "-f", script, spec.dsn});
  return args;
}

Result<PgbenchResult> RunPgbench(const PgbenchSpec& spec) {
  auto bindir = PostgresBinDir();
  if (!bindir) return bindir.error();
  fs::path pgbench = *bindir / "pgbench";
  std::error_code ec;
  if (!fs::exists(pgbench, ec)) return MakeError("no pgbench in {}", bindir->string());

  fs::path script = spec.work_dir / "query.sql";
  if (Status s = WriteFileAtomic(script, std::string(kBenchmarkQuery) + ";\n"); !s) {
    return s.error();
  }
  fs::path output = spec.work_dir / "pgbench.out";
  fs::remove(output, ec);
  SpawnOptions spawn;
  spawn.argv = PgbenchArguments(spec, pgbench.string(), script.string());
  spawn.output = output;
  auto process = Process::Spawn(spawn);
  if (!process) return process.error();
  Sampler sampler({{"pgbench", process->pid()}, {"postgres", spec.postgres_pid}},
                  spec.sample_interval);
  sampler.Start();
  // pgbench ends on its own after -T; the margin covers connecting and a loaded machine.
  auto limit = spec.duration + std::chrono::seconds(30);
  bool finished = process->Wait(std::chrono::duration_cast<std::chrono::milliseconds>(limit));
  sampler.Stop();
  if (!finished) {
    process->Stop(std::chrono::seconds(2));
    if (Interrupted()) return MakeError("interrupted");
    return MakeError("pgbench did not finish within {} s",
                     std::chrono::duration_cast<std::chrono::seconds>(limit).count());
  }
  if (process->exit_code() != 0) {
    return MakeError("pgbench exited with code {}: {}", *process->exit_code(),
                     TailLines(output, 2));
  }
  auto text = ReadFile(output);
  if (!text) return text.error();
  auto result = ParsePgbenchOutput(*text);
  if (!result)
    return MakeError("{}: no tps, latency or count in pgbench's output", output.string());
  result->pgbench_usage = sampler.Summary("pgbench");
  result->postgres_usage = sampler.Summary("postgres");
  result->machine_usage = sampler.Machine();
  return *result;
}

}  // namespace harness
