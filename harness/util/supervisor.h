// The supervisor: what makes sure nothing the harness starts outlives it, and that everything a
// server starts counts as the server's. Process::Spawn runs a command under a supervisor of its
// own: the running binary (/proc/self/exe) re-executed as `__supervise`, the command's parent,
// which
//   - dies with the harness: PR_SET_PDEATHSIG tells it when the harness has gone, even by
//     SIGKILL (it checks getppid() once that is set, in case the harness died just before);
//   - is a child subreaper (PR_SET_CHILD_SUBREAPER): a process the command starts and orphans, a
//     daemon that calls setsid() or forks twice, is re-parented to it instead of to init, so it
//     stays in the supervisor's process tree, where the sampler counts its CPU and memory
//     (SupervisorOf) and where it is stopped;
//   - when the command exits, when the harness asks it to stop, or when the harness dies, sends
//     the command's stop signal (how that kind of process stops cleanly: SIGTERM, SIGINT for the
//     postmaster) to every process of its tree, SIGKILL to what is left after a grace period,
//     and exits with the command's status once they are all gone.
// A cgroup per command would track descendants too, but needs a cgroup v2 hierarchy we may
// write to, which not every machine gives (this one mounts a v1/v2 hybrid); the supervisor needs
// only /proc and prctl(2).
//
// Every binary that spawns processes must call Supervise() first thing in main() when
// IsSupervisorCall() says so. The kernel tells a supervisor its parent died when the *thread*
// that spawned it exits, so spawn from a thread that lives as long as the process (the main
// thread, as the harness does).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

#include "util/result.h"

namespace harness {

// The argv that runs `command` under a supervisor whose parent is this process; the supervisor
// stops the command's tree with `stop_signal`. The supervisor reports on kSupervisorReportFd.
std::vector<std::string> SupervisorArgv(int stop_signal, const std::vector<std::string>& command);
inline constexpr int kSupervisorReportFd = 3;

// Reads the supervisor's report from the other end of its kSupervisorReportFd: the pid of the
// command it started, or why it could not start it.
Result<pid_t> ReadSupervisorReport(int fd, const std::string& command);

// Asks a supervisor to stop its tree: the stop signal now, SIGKILL after `grace`.
void StopSupervisor(pid_t supervisor, std::chrono::milliseconds grace);

bool IsSupervisorCall(int argc, char** argv);
// The supervisor's main(); returns its exit code, which is the command's (128+N if a signal N
// ended it).
int Supervise(int argc, char** argv);

// The supervisor `pid` runs under (its parent, when that is a supervisor), or 0.
pid_t SupervisorOf(pid_t pid);

}  // namespace harness
