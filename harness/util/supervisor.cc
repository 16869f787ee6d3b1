#include "util/supervisor.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "util/files.h"
#include "util/proc.h"

extern char** environ;

namespace harness {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

constexpr const char* kSuperviseArg = "__supervise";
// How long what is left gets to stop on its own when the harness cannot say (it died, or the
// command exited leaving processes behind): short, so that nothing lingers, but enough for
// Postgres's fast shutdown.
constexpr milliseconds kDefaultGrace{2000};
constexpr milliseconds kPoll{10};

// The supervisor's state: the command, and once it stops, the deadline after which SIGKILL.
class Supervisor {
 public:
  explicit Supervisor(int stop_signal) : stop_signal_(stop_signal) {}

  // Starts the command with default signal dispositions and an empty mask; 0 or an errno.
  int Start(char** argv) {
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &all);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    int rc = posix_spawnp(&command_, argv[0], nullptr, &attr, argv, environ);
    posix_spawnattr_destroy(&attr);
    return rc;
  }
  pid_t command() const { return command_; }

  // Until the command has exited and nothing of its tree is left; returns the command's status.
  int Run(int signals) {
    for (;;) {
      Reap();
      if (status_ && !stopping_) Stop(kDefaultGrace);  // what the command left goes too
      if (stopping_) {
        std::vector<pid_t> left = LiveDescendants();
        if (left.empty() && status_) break;
        // Each process gets the stop signal once (one started meanwhile gets it too), and once
        // the grace period is over, SIGKILL until it is gone.
        bool kill = Clock::now() >= kill_at_;
        for (pid_t pid : left) {
          if (kill) {
            ::kill(pid, SIGKILL);
          } else if (signalled_.insert(pid).second) {
            ::kill(pid, stop_signal_);
          }
        }
      }
      pollfd wait{signals, POLLIN, 0};
      poll(&wait, 1, stopping_ ? static_cast<int>(kPoll.count()) : -1);
      signalfd_siginfo info;
      while (read(signals, &info, sizeof info) == static_cast<ssize_t>(sizeof info)) {
        if (info.ssi_signo == SIGCHLD) continue;  // reaped above
        // SIGTERM from StopSupervisor() carries the grace period; any other (SIGHUP: the
        // harness died) gets the default.
        Stop(info.ssi_code == SI_QUEUE ? milliseconds(std::max(0, info.ssi_int)) : kDefaultGrace);
      }
    }
    return WIFEXITED(*status_) ? WEXITSTATUS(*status_) : 128 + WTERMSIG(*status_);
  }

 private:
  void Stop(milliseconds grace) {
    auto at = Clock::now() + grace;
    if (!stopping_ || at < kill_at_) kill_at_ = at;
    stopping_ = true;
  }

  // Our children, the command's orphans included, once they have exited.
  void Reap() {
    int status = 0;
    for (pid_t pid; (pid = waitpid(-1, &status, WNOHANG)) > 0;) {
      if (pid == command_) status_ = status;
    }
  }

  std::vector<pid_t> LiveDescendants() const {
    std::vector<ProcStat> all = ReadAllProcesses();
    std::unordered_map<pid_t, char> state;
    for (const ProcStat& p : all) state[p.pid] = p.state;
    std::vector<pid_t> live;
    const pid_t self = getpid();
    for (pid_t pid : ProcessTree(self, all)) {
      if (pid != self && state[pid] != 'Z') live.push_back(pid);
    }
    return live;
  }

  int stop_signal_;
  pid_t command_ = -1;
  std::optional<int> status_;
  bool stopping_ = false;
  Clock::time_point kill_at_;
  std::unordered_set<pid_t> signalled_;
};

}  // namespace

std::vector<std::string> SupervisorArgv(int stop_signal, const std::vector<std::string>& command) {
  std::vector<std::string> argv = {"/proc/self/exe", kSuperviseArg, std::to_string(getpid()),
                                   std::to_string(stop_signal)};
  argv.insert(argv.end(), command.begin(), command.end());
  return argv;
}

Result<pid_t> ReadSupervisorReport(int fd, const std::string& command) {
  std::string report;
  char buffer[64];
  for (ssize_t n; (n = read(fd, buffer, sizeof buffer)) != 0;) {
    if (n > 0) {
      report.append(buffer, static_cast<size_t>(n));
    } else if (errno != EINTR) {
      break;
    }
  }
  int value = 0;
  if (std::sscanf(report.c_str(), "pid %d", &value) == 1 && value > 0) return value;
  if (std::sscanf(report.c_str(), "error %d", &value) == 1) {
    return MakeError("cannot run '{}': {}", command, std::strerror(value));
  }
  return MakeError("cannot run '{}': its supervisor exited without starting it", command);
}

void StopSupervisor(pid_t supervisor, milliseconds grace) {
  sigval value{};
  value.sival_int = static_cast<int>(std::min<milliseconds::rep>(grace.count(), 1 << 30));
  sigqueue(supervisor, SIGTERM, value);
}

bool IsSupervisorCall(int argc, char** argv) {
  return argc >= 2 && std::strcmp(argv[1], kSuperviseArg) == 0;
}

int Supervise(int argc, char** argv) {
  if (argc < 5) {
    std::fprintf(stderr, "harness: %s: nothing to run\n", kSuperviseArg);
    return 127;
  }
  const pid_t parent = std::atoi(argv[2]);
  const int stop_signal = std::atoi(argv[3]);
  // The report is for the harness only, not for the command.
  fcntl(kSupervisorReportFd, F_SETFD, FD_CLOEXEC);
  prctl(PR_SET_NAME, "supervisor");  // not "exe", after /proc/self/exe, in ps and top
  prctl(PR_SET_CHILD_SUBREAPER, 1);
  prctl(PR_SET_PDEATHSIG, SIGHUP);
  // Writing the report to a harness that is gone must not kill us before we have cleaned up.
  signal(SIGPIPE, SIG_IGN);
  sigset_t handled;
  sigemptyset(&handled);
  for (int s : {SIGCHLD, SIGTERM, SIGINT, SIGHUP, SIGQUIT}) sigaddset(&handled, s);
  sigprocmask(SIG_BLOCK, &handled, nullptr);
  int signals = signalfd(-1, &handled, SFD_CLOEXEC | SFD_NONBLOCK);
  if (signals < 0 || getppid() != parent) return 1;  // the harness died before PDEATHSIG was set

  Supervisor supervisor(stop_signal);
  int error = supervisor.Start(argv + 4);
  if (error != 0) {
    dprintf(kSupervisorReportFd, "error %d\n", error);
    return 127;
  }
  dprintf(kSupervisorReportFd, "pid %d\n", static_cast<int>(supervisor.command()));
  close(kSupervisorReportFd);
  return supervisor.Run(signals);
}

pid_t SupervisorOf(pid_t pid) {
  auto stat = ReadProcStat(pid);
  std::string cmdline;
  if (!stat || !ReadProcFile(stat->ppid, "cmdline", cmdline)) return 0;
  // argv[1], between the first two NULs.
  size_t first = cmdline.find('\0');
  const size_t length = std::strlen(kSuperviseArg) + 1;
  if (first == std::string::npos) return 0;
  return cmdline.compare(first + 1, length, kSuperviseArg, length) == 0 ? stat->ppid : 0;
}

}  // namespace harness
