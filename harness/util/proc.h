// Reading processes from /proc: the one parser of /proc/<pid>/stat and the one
// process-tree walk, which Process, the supervisor, the sampler and the tests
// share. The parsers are pure functions of the file text, so fixtures test
// them; the readers treat a process that vanishes mid-read as never seen, since
// processes come and go while we scan.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace harness {

// The fields of /proc/<pid>/stat the harness needs. Times are in clock ticks
// (sysconf(_SC_CLK_TCK)); cutime/cstime hold the reaped children's times;
// start_time (since boot) tells a process from a later one that reuses its pid.
struct ProcStat {
  pid_t pid = 0, ppid = 0, pgrp = 0;
  char state = '?';  // 'Z': a zombie, dead but not yet reaped
  unsigned long long utime = 0, stime = 0, cutime = 0, cstime = 0;
  unsigned long long start_time = 0;
  std::string comm;  // the command name, at most 15 bytes
};

// Parses the content of /proc/<pid>/stat; empty if it is malformed.
std::optional<ProcStat> ParseProcStat(std::string_view text);

// The VmRSS of /proc/<pid>/status text, in KiB; empty when the line is absent
// (kernel threads, zombies).
std::optional<long long> ParseVmRssKib(std::string_view status_text);

// Resident memory in KiB. `anon` leaves out file-backed and shared pages (shared
// libraries, the executable): it is what the process itself allocated, while
// `rss` also counts code pages that other processes may share.
struct ResidentKib {
  long long rss = 0;
  long long anon = 0;
};

// From /proc/<pid>/statm text (fields 2 and 3, resident and shared, in pages):
// the same counts as VmRSS and RssAnon, from a file several times cheaper to
// read than status.
std::optional<ResidentKib> ParseStatm(std::string_view statm_text, long page_size);

// The last pid allocated in our pid namespace, from /proc/loadavg text: while
// it stays the same, no process (or thread) has been created.
std::optional<pid_t> ParseLoadavgLastPid(std::string_view loadavg_text);

// The whole machine's CPU time, from the first line of /proc/stat ("cpu ..."), in clock ticks
// summed over every core: busy is user, nice, system, irq, softirq and steal (guest time is
// already inside user); total adds idle and iowait.
struct CpuTimes {
  unsigned long long busy = 0;
  unsigned long long total = 0;
};
std::optional<CpuTimes> ParseCpuTimes(std::string_view proc_stat_text);

// /proc/<pid>/stat now; empty if the process is gone.
std::optional<ProcStat> ReadProcStat(pid_t pid);

// The pids now in /proc.
std::vector<pid_t> ListPids();

// Every process now in /proc.
std::vector<ProcStat> ReadAllProcesses();

// The resident set of one process in KiB; empty if it has none or is gone.
std::optional<long long> ReadVmRssKib(pid_t pid);

// The pids of `root`, its descendants by ppid, and every member of a process
// group that one of them leads (with their descendants): children re-parented
// away from a wrapper script still count. Each pid once, `root` first; empty if
// `root` is not in `all`. Zombies are included: their parents' times hold no
// trace of them yet.
std::vector<pid_t> ProcessTree(pid_t root, const std::vector<ProcStat>& all);

}  // namespace harness
