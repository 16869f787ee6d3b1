// Samples the CPU and memory of named process trees ("server", "postgres",
// "oha") on a background thread while a load runs. CPU comes from the
// utime+stime+cutime+cstime sums of /proc/<pid>/stat, so it counts every
// thread, and a child that exits and is reaped inside the tree keeps its time
// in the parent's cutime instead of vanishing; RSS is the summed resident
// set (VmRSS).
//
// A root that runs under a supervisor (util/supervisor.h) stands for the
// supervisor's tree, where whatever it started is, daemons that left it
// included. The supervisor's own time and memory are the harness's and do not
// count; the time of the descendants it reaped (its cutime/cstime) does.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_set>
#include <utility>
#include <vector>

#include "config/duration.h"
#include "sampling/proc_table.h"
#include "sampling/usage.h"

namespace harness {

class Sampler {
 public:
  // Each group is a name and the root of its tree (see ProcessTree); a group
  // whose pid is <= 0 is not sampled and summarizes to a zero Usage.
  Sampler(std::vector<std::pair<std::string, pid_t>> groups, Duration interval);
  Sampler(const Sampler&) = delete;
  Sampler& operator=(const Sampler&) = delete;
  ~Sampler();  // stops

  // Takes the baseline sample now, then one every interval. Once only.
  void Start();
  // Takes a final sample and joins the thread, so a measurement shorter than
  // one interval still has a correct average. Returns within milliseconds;
  // idempotent.
  void Stop();

  // Over the window from Start() to the last sample: cpu_avg_pct and
  // cpu_seconds from the total ticks, cpu_peak_pct from the busiest interval
  // of at least half the nominal length (a short final interval would round
  // a single tick into a spike), samples counting the baseline. Callable
  // while running; an unknown group gives a zero Usage.
  Usage Summary(const std::string& group) const;

  // The whole machine over the same window, from /proc/stat: cpu_avg_pct is the
  // busy share of every core (100 = one core, so 200 is all of a 2-core machine),
  // cpu_seconds the busy time, cpu_peak_pct as for a group; no memory.
  Usage Machine() const;

  // `t_s,group,cpu_pct,rss_mib,processes`, a row per group per sample, t_s
  // relative to Start(), and a `machine` row (no rss, no processes). cpu_pct
  // covers the interval ending at the row and is empty on the baseline rows.
  std::string Csv() const;

 private:
  using Clock = std::chrono::steady_clock;
  struct Reading {
    unsigned long long ticks = 0;
    long long rss_kib = 0;
    long long anon_kib = 0;
    int processes = 0;
    int started = 0;  // processes that joined the tree since the baseline sample, so far
  };
  struct Sample {
    Clock::time_point at;
    std::vector<Reading> readings;  // parallel to groups_
    CpuTimes machine;
  };

  // Only ever runs on one thread at a time: Start(), then Run(), then Stop().
  Sample Take();
  void Run();

  std::vector<std::pair<std::string, pid_t>> groups_;  // roots: supervisors where there are
  std::vector<bool> supervised_;                       // parallel to groups_
  Duration interval_;
  long ticks_per_second_;
  ProcTable table_;
  std::unordered_set<pid_t> watched_;            // the trees' members at the last sample
  std::vector<std::unordered_set<pid_t>> seen_;  // per group: every member ever sampled
  std::vector<int> started_counts_;              // per group: members that came after the first

  mutable std::mutex mu_;
  std::condition_variable wake_;
  bool started_ = false;
  bool stopping_ = false;
  std::vector<Sample> samples_;
  std::thread thread_;
};

// The summed VmRSS of a tree now, counted as the sampler does, in MiB (idle RSS
// before load).
double TreeRssMib(pid_t root);

}  // namespace harness
