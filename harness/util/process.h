// Child processes the harness starts: builds, servers, oha, Postgres. Each runs under a
// supervisor of its own (util/supervisor.h), so that it dies with the harness, even a harness
// killed with SIGKILL, and whatever it starts, daemons included, stays in one process tree that
// is measured and stopped as a whole. The supervisor leads a process group of its own, so Ctrl-C
// at the terminal reaches only the harness, which then stops its children in order.
#pragma once

#include <signal.h>
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "util/result.h"

namespace harness {

struct SpawnOptions {
  std::vector<std::string> argv;           // argv[0] is looked up in PATH
  std::filesystem::path cwd;               // empty: the harness's own
  std::map<std::string, std::string> env;  // added to (or replacing) the harness's environment
  std::filesystem::path output;        // stdout (and stderr, unless error_output); empty: inherited
  std::filesystem::path error_output;  // stderr apart, appended
  // Descriptors the command gets as its stdin (instead of /dev/null) and stdout (instead of
  // `output`): the pipes to an agent (remote/connection.h). Ours stay ours: open them O_CLOEXEC,
  // above the supervisor's report descriptor (3).
  int stdin_fd = -1;
  int stdout_fd = -1;
  enum class Lifetime {
    kSupervised,    // under a supervisor: stopped with the harness, its descendants included
    kDetached,      // setsid(), no supervisor: outlives the harness and its terminal (`db up`)
    kUnsupervised,  // a plain child in a group of its own (tests that run the harness itself)
  };
  Lifetime lifetime = Lifetime::kSupervised;
  // How this kind of process stops cleanly, sent to every process of its tree by Stop() and by
  // the supervisor when the harness dies (Postgres: SIGINT, a fast shutdown).
  int stop_signal = SIGTERM;
};

// Runs `command` with /bin/sh -c, as bench.yaml's build and run commands are
// written.
std::vector<std::string> ShellCommand(const std::string& command);
// `text` as one single-quoted word of /bin/sh.
std::string ShellQuote(const std::string& text);

class Process {
 public:
  static Result<Process> Spawn(const SpawnOptions& options);
  // Takes charge of a process that is not our child (a Postgres found on disk), so that Stop()
  // can end it and the group it leads.
  static Process Adopt(pid_t pid, int stop_signal) { return Process(pid, -1, stop_signal); }

  Process(Process&& other) noexcept;
  Process& operator=(Process&& other) noexcept;
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;
  // Stop(0): nothing we start outlives this object by accident. Call Stop() for an orderly end.
  ~Process();

  // The command's own pid (not its supervisor's).
  pid_t pid() const { return pid_; }

  // True until the command has exited and, if supervised, what it left has been stopped.
  bool Running();
  // The command's exit code, or 128+signal; empty while it runs.
  std::optional<int> exit_code() const { return exit_code_; }

  // Waits up to `timeout` for the leader to exit; returns whether it did. Wakes
  // early, returning false, when the harness is interrupted (SIGINT/SIGTERM).
  bool Wait(std::chrono::milliseconds timeout);
  // Waits without limit but for an interrupt.
  bool WaitInterruptible();

  // Sends the stop signal to every process of the tree (supervised) or of the group, waits up to
  // `grace` for them to be gone, then SIGKILLs whatever is left; returns when they are all gone.
  // False if one outlived even SIGKILL for a few seconds.
  bool Stop(std::chrono::milliseconds grace);

  // Forgets the process: a detached one runs on after this object dies, a supervised one until
  // the harness exits.
  void Release() { pid_ = supervisor_ = -1; }

 private:
  Process(pid_t pid, pid_t supervisor, int stop_signal)
      : pid_(pid), supervisor_(supervisor), stop_signal_(stop_signal) {}
  // The child we wait for: the supervisor, or the command itself when unsupervised.
  pid_t child() const { return supervisor_ > 0 ? supervisor_ : pid_; }
  bool StopGroup(std::chrono::milliseconds grace);
  bool StopSupervised(std::chrono::milliseconds grace);

  pid_t pid_ = -1;
  pid_t supervisor_ = -1;
  int stop_signal_ = SIGTERM;
  std::optional<int> exit_code_;
};

// The stdout of `command` run with /bin/sh, trailing white space trimmed; empty when it fails.
// For short queries of the environment (versions, git), not for anything we must stop.
std::string CommandOutput(const std::string& command);

// Pids of every live process whose process group is `pgid`.
std::vector<pid_t> ProcessGroupMembers(pid_t pgid);
// Whether `pid` names a live (not zombie) process.
bool ProcessAlive(pid_t pid);

}  // namespace harness
