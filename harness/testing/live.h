// Helpers for end-to-end tests that watch the harness from outside while it runs: start it,
// follow its output, signal it at a chosen moment, and see which processes it started, which of
// them are still there, and where they listen.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "util/net.h"
#include "util/process.h"

namespace harness {

// One process as /proc shows it. The start time tells a process from a later one that reuses
// its pid.
struct ProcInfo {
  pid_t pid = 0;
  pid_t ppid = 0;
  pid_t pgid = 0;
  unsigned long long start_ticks = 0;
  std::string comm;
  std::string cmdline;  // arguments joined with spaces
};

// Every live (not zombie) process.
std::vector<ProcInfo> ProcessTable();
// The live members of ProcessTree(root) but root itself: its descendants, and the members of
// process groups they lead (a server's children stay in its group when their parent has gone).
std::vector<ProcInfo> Descendants(pid_t root);
// Those of `procs` still running (same pid, same start time).
std::vector<ProcInfo> StillRunning(const std::vector<ProcInfo>& procs);
// "pid comm (cmdline)" per process, for failure messages.
std::string Describe(const std::vector<ProcInfo>& procs);
// SIGKILLs each of `procs` still running and its process group: cleanup after a failed check,
// so that one failure does not leave load on a shared machine.
void KillStillRunning(const std::vector<ProcInfo>& procs);

// VmRSS of one process in KiB, or -1 if it is gone.
long RssKib(pid_t pid);

// build/bin/harness started in the background, its stdout and stderr in a file.
class LiveHarness {
 public:
  static std::unique_ptr<LiveHarness> Start(const std::vector<std::string>& args);
  // Kills the harness and everything it started if a test left them running.
  ~LiveHarness();

  pid_t pid() const { return pid_; }
  std::string Output() const;
  // Polls the output until it contains `text`; false after `timeout` or if the harness exited.
  bool WaitForOutput(const std::string& text, std::chrono::milliseconds timeout);
  void Signal(int signal);
  // The exit code (128+N after signal N), or empty if it still runs after `timeout`.
  std::optional<int> WaitExit(std::chrono::milliseconds timeout);
  // Records the harness's descendants now; the waits above do it as they poll.
  void Observe();
  // Every descendant observed so far: after the harness exits, none may be left running.
  std::vector<ProcInfo> Seen() const;

 private:
  LiveHarness(Process process, std::filesystem::path dir);
  Process process_;
  pid_t pid_;
  std::filesystem::path dir_;
  // Descendants seen while waiting, by pid and start time: the destructor kills what is left.
  std::map<std::pair<pid_t, unsigned long long>, ProcInfo> seen_;
};

// A run's --output folder; removed at the end of the test.
class OutputDir {
 public:
  OutputDir();
  ~OutputDir();
  std::string str() const { return path_.string(); }
  const std::filesystem::path& path() const { return path_; }
  // The one run directory `harness run` made, or empty.
  std::filesystem::path RunDir() const;

 private:
  std::filesystem::path path_;
};

// Cluster directories whose owner file names `pid`.
std::vector<std::filesystem::path> ClustersOwnedBy(pid_t pid);

// Polls the harness's descendants until one matches; empty after `timeout`.
std::optional<ProcInfo> WaitForDescendant(LiveHarness& h,
                                          const std::function<bool(const ProcInfo&)>& match,
                                          std::chrono::milliseconds timeout);
std::function<bool(const ProcInfo&)> Named(const std::string& comm);
// The postmaster (`postgres -D DIR -p PORT`), not initdb's postgres nor a backend.
bool IsPostmaster(const ProcInfo& p);

// After the harness has exited (gtest expectations): nothing it started runs on, and nothing it
// made is left in the cluster root. Kills what it finds left.
void ExpectNothingLeft(LiveHarness& h);

}  // namespace harness
