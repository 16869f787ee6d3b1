// Child processes the harness starts: builds, servers, oha, Postgres. Each runs
// in a process group of its own, so one signal reaches the whole tree (a
// wrapper script, uvicorn's workers, `cargo run`'s child) and Ctrl-C at the
// terminal reaches only the harness, which then stops its children in order.
#pragma once

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
  bool new_session = false;            // setsid(): outlives the harness and its terminal (`db up`)
};

// Runs `command` with /bin/sh -c, as bench.yaml's build and run commands are
// written.
std::vector<std::string> ShellCommand(const std::string& command);
// `text` as one single-quoted word of /bin/sh.
std::string ShellQuote(const std::string& text);

class Process {
 public:
  static Result<Process> Spawn(const SpawnOptions& options);
  // Takes charge of a group leader that is not our child (a detached Postgres
  // found on disk), so that Stop() can end its group.
  static Process Adopt(pid_t pid) { return Process(pid); }

  Process(Process&& other) noexcept;
  Process& operator=(Process&& other) noexcept;
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;
  // Kills the whole group (SIGKILL) if it is still there: nothing we start
  // outlives us by accident. Call Stop() for an orderly end.
  ~Process();

  pid_t pid() const { return pid_; }

  // True until the group leader has exited (it is reaped here, once).
  bool Running();
  // The leader's exit code, or 128+signal; empty while it runs.
  std::optional<int> exit_code() const { return exit_code_; }

  // Waits up to `timeout` for the leader to exit; returns whether it did. Wakes
  // early, returning false, when the harness is interrupted (SIGINT/SIGTERM).
  bool Wait(std::chrono::milliseconds timeout);
  // Waits without limit but for an interrupt.
  bool WaitInterruptible();

  // Sends `signal` to the group, waits up to `grace` for every member to be
  // gone, then SIGKILLs whatever is left. Returns false if a member outlived
  // even SIGKILL for a second.
  bool Stop(std::chrono::milliseconds grace, int signal = 15 /* SIGTERM */);

  // Leaves the process running when this object dies (a detached Postgres).
  void Release() { pid_ = -1; }

 private:
  explicit Process(pid_t pid) : pid_(pid) {}
  pid_t pid_ = -1;
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
