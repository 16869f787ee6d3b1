// What the sampler says of one process tree (or of the whole machine) over a measurement.
#pragma once

namespace harness {

// CPU and memory of one process tree over one measurement, from /proc samples.
struct Usage {
  double cpu_avg_pct = 0;   // 100 = one core, averaged over the measurement
  double cpu_peak_pct = 0;  // the highest single sampling interval
  double cpu_seconds = 0;   // utime + stime consumed during the measurement
  double rss_peak_mib = 0;
  // The peak of anonymous resident memory: RSS without file-backed and shared pages (code of the
  // executable and its shared libraries), i.e. what the processes allocated themselves.
  double anon_peak_mib = 0;
  int samples = 0;
  // Processes that joined the tree after the first sample: a Postgres backend forked by a new
  // connection, a server forking per request. Short-lived ones between two samples are missed.
  int processes_started = 0;
};

}  // namespace harness
