#include "sampling/sampler.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>

#include "util/proc.h"
#include "util/supervisor.h"

namespace harness {
namespace {

double Seconds(std::chrono::steady_clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

// A process that left the tree takes its ticks with it; that is not negative
// work.
unsigned long long TickDelta(unsigned long long now, unsigned long long then) {
  return now > then ? now - then : 0;
}

// The machine's busy time between two readings, in % of one core: the share of every core's ticks
// that were busy, times the cores. (Not busy ticks over wall time: over a short interval the
// ticks counted may span more or less than it.)
double MachinePct(const CpuTimes& from, const CpuTimes& to) {
  static const long cores = std::max(sysconf(_SC_NPROCESSORS_ONLN), 1L);
  unsigned long long total = TickDelta(to.total, from.total);
  if (total == 0) return 0.0;
  return 100.0 * cores * TickDelta(to.busy, from.busy) / total;
}

}  // namespace

Sampler::Sampler(std::vector<std::pair<std::string, pid_t>> groups, Duration interval)
    : interval_(std::max(interval, Duration(1))),
      ticks_per_second_(std::max(sysconf(_SC_CLK_TCK), 1L)) {
  for (auto& group : groups) {
    if (group.second <= 0) continue;
    pid_t supervisor = SupervisorOf(group.second);
    supervised_.push_back(supervisor > 0);
    if (supervisor > 0) group.second = supervisor;
    groups_.push_back(std::move(group));
  }
  seen_.resize(groups_.size());
  started_counts_.resize(groups_.size());
}

Sampler::~Sampler() { Stop(); }

void Sampler::Start() {
  std::lock_guard lock(mu_);
  if (started_) return;
  started_ = true;
  samples_.push_back(Take());
  thread_ = std::thread([this] { Run(); });
}

void Sampler::Stop() {
  {
    std::lock_guard lock(mu_);
    if (!started_ || stopping_) return;
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
  Sample last = Take();
  std::lock_guard lock(mu_);
  samples_.push_back(std::move(last));
}

void Sampler::Run() {
  std::unique_lock lock(mu_);
  Clock::time_point next = samples_.front().at + interval_;
  while (!wake_.wait_until(lock, next, [this] { return stopping_; })) {
    lock.unlock();
    Sample sample = Take();
    lock.lock();
    samples_.push_back(std::move(sample));
    // Keep to the schedule, but after a stall start afresh instead of
    // sampling back to back to catch up.
    next += interval_;
    if (next <= samples_.back().at) next = samples_.back().at + interval_;
  }
}

Sampler::Sample Sampler::Take() {
  Sample sample;
  bool baseline = samples_.empty();  // Take() runs on one thread at a time (see Run)
  if (groups_.empty()) {
    sample.at = Clock::now();
    sample.machine = table_.MachineCpu().value_or(CpuTimes{});
    return sample;
  }
  const std::vector<ProcStat>& all = table_.Refresh(watched_);
  sample.at = Clock::now();
  sample.machine = table_.MachineCpu().value_or(CpuTimes{});
  watched_.clear();
  for (size_t g = 0; g < groups_.size(); ++g) {
    Reading& r = sample.readings.emplace_back();
    const pid_t root = groups_[g].second;
    for (pid_t pid : ProcessTree(root, all)) {
      if (seen_[g].insert(pid).second && !baseline) ++started_counts_[g];
      const ProcStat& p = *table_.Find(pid);
      watched_.insert(pid);
      if (pid == root && supervised_[g]) {
        r.ticks += p.cutime + p.cstime;  // the supervisor: only what it reaped
        continue;
      }
      r.ticks += p.utime + p.stime + p.cutime + p.cstime;
      ResidentKib resident = table_.Resident(pid);
      r.rss_kib += resident.rss;
      r.anon_kib += resident.anon;
      ++r.processes;
    }
    r.started = started_counts_[g];
  }
  return sample;
}

Usage Sampler::Summary(const std::string& group) const {
  Usage usage;
  auto it =
      std::find_if(groups_.begin(), groups_.end(), [&](const auto& g) { return g.first == group; });
  if (it == groups_.end()) return usage;
  size_t g = static_cast<size_t>(it - groups_.begin());

  std::lock_guard lock(mu_);
  if (samples_.empty()) return usage;
  const double tck = static_cast<double>(ticks_per_second_);
  const double min_interval = Seconds(interval_) / 2;
  unsigned long long total = 0;
  bool have_peak = false;
  for (size_t i = 0; i < samples_.size(); ++i) {
    const Reading& r = samples_[i].readings[g];
    usage.rss_peak_mib = std::max(usage.rss_peak_mib, r.rss_kib / 1024.0);
    usage.anon_peak_mib = std::max(usage.anon_peak_mib, r.anon_kib / 1024.0);
    if (i == 0) continue;
    unsigned long long delta = TickDelta(r.ticks, samples_[i - 1].readings[g].ticks);
    total += delta;
    double wall = Seconds(samples_[i].at - samples_[i - 1].at);
    if (wall >= min_interval) {
      usage.cpu_peak_pct = std::max(usage.cpu_peak_pct, 100.0 * delta / tck / wall);
      have_peak = true;
    }
  }
  usage.samples = static_cast<int>(samples_.size());
  usage.processes_started = samples_.back().readings[g].started;
  usage.cpu_seconds = total / tck;
  double window = Seconds(samples_.back().at - samples_.front().at);
  if (window > 0) usage.cpu_avg_pct = 100.0 * usage.cpu_seconds / window;
  if (!have_peak) usage.cpu_peak_pct = usage.cpu_avg_pct;
  return usage;
}

Usage Sampler::Machine() const {
  Usage usage;
  std::lock_guard lock(mu_);
  if (samples_.size() < 2) return usage;
  const double tck = static_cast<double>(ticks_per_second_);
  const double min_interval = Seconds(interval_) / 2;
  for (size_t i = 1; i < samples_.size(); ++i) {
    double wall = Seconds(samples_[i].at - samples_[i - 1].at);
    if (wall >= min_interval) {
      usage.cpu_peak_pct =
          std::max(usage.cpu_peak_pct, MachinePct(samples_[i - 1].machine, samples_[i].machine));
    }
  }
  const CpuTimes& first = samples_.front().machine;
  const CpuTimes& last = samples_.back().machine;
  usage.samples = static_cast<int>(samples_.size());
  usage.cpu_seconds = TickDelta(last.busy, first.busy) / tck;
  usage.cpu_avg_pct = MachinePct(first, last);
  usage.cpu_peak_pct = std::max(usage.cpu_peak_pct, usage.cpu_avg_pct);
  return usage;
}

std::string Sampler::Csv() const {
  fmt::memory_buffer out;
  fmt::format_to(std::back_inserter(out), "t_s,group,cpu_pct,rss_mib,processes\n");
  std::lock_guard lock(mu_);
  for (size_t i = 0; i < samples_.size(); ++i) {
    double t = Seconds(samples_[i].at - samples_.front().at);
    double wall = i == 0 ? 0 : Seconds(samples_[i].at - samples_[i - 1].at);
    for (size_t g = 0; g < groups_.size(); ++g) {
      const Reading& r = samples_[i].readings[g];
      std::string cpu;
      if (i > 0 && wall > 0) {
        auto delta = TickDelta(r.ticks, samples_[i - 1].readings[g].ticks);
        cpu = fmt::format("{:.1f}", 100.0 * delta / ticks_per_second_ / wall);
      }
      fmt::format_to(std::back_inserter(out), "{:.3f},{},{},{:.1f},{}\n", t, groups_[g].first, cpu,
                     r.rss_kib / 1024.0, r.processes);
    }
    std::string machine;
    if (i > 0 && wall > 0) {
      machine = fmt::format("{:.1f}", MachinePct(samples_[i - 1].machine, samples_[i].machine));
    }
    fmt::format_to(std::back_inserter(out), "{:.3f},machine,{},0.0,0\n", t, machine);
  }
  return fmt::to_string(out);
}

double TreeRssMib(pid_t root) {
  const pid_t supervisor = SupervisorOf(root);
  long long kib = 0;
  for (pid_t pid : ProcessTree(supervisor > 0 ? supervisor : root, ReadAllProcesses())) {
    if (pid != supervisor) kib += ReadVmRssKib(pid).value_or(0);
  }
  return static_cast<double>(kib) / 1024.0;
}

}  // namespace harness
