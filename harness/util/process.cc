#include "util/process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <thread>

#include "util/files.h"
#include "util/interrupt.h"
#include "util/proc.h"
#include "util/supervisor.h"

extern char** environ;

namespace harness {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

constexpr milliseconds kPoll{10};
// How long a supervisor may take beyond the grace period: SIGKILL, then reaping, on a busy
// machine.
constexpr milliseconds kSupervisorMargin{3000};

std::vector<std::string> MergedEnvironment(const std::map<std::string, std::string>& overrides) {
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string entry(*e);
    std::string key = entry.substr(0, entry.find('='));
    if (!overrides.contains(key)) env.push_back(std::move(entry));
  }
  for (const auto& [key, value] : overrides) env.push_back(key + "=" + value);
  return env;
}

std::vector<char*> CStrings(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

}  // namespace

std::vector<std::string> ShellCommand(const std::string& command) {
  return {"/bin/sh", "-c", command};
}

std::string ShellQuote(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

Result<Process> Process::Spawn(const SpawnOptions& options) {
  if (options.argv.empty()) return MakeError("nothing to run: empty command");
  if (options.stdin_fd == kSupervisorReportFd || options.stdout_fd == kSupervisorReportFd) {
    return MakeError("cannot run '{}': descriptor {} is the supervisor's", options.argv[0],
                     kSupervisorReportFd);
  }
  using Lifetime = SpawnOptions::Lifetime;
  const bool supervised = options.lifetime == Lifetime::kSupervised;
  // The supervisor says on this pipe which pid the command got, or why it could not start it.
  int report[2] = {-1, -1};
  if (supervised && pipe2(report, O_CLOEXEC) != 0) {
    return MakeError("cannot run '{}': pipe: {}", options.argv[0], std::strerror(errno));
  }
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  posix_spawn_file_actions_init(&actions);
  posix_spawnattr_init(&attr);

  if (supervised) posix_spawn_file_actions_adddup2(&actions, report[1], kSupervisorReportFd);
  if (options.stdin_fd >= 0) {
    posix_spawn_file_actions_adddup2(&actions, options.stdin_fd, STDIN_FILENO);
  } else {
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  }
  if (options.stdout_fd >= 0) {
    posix_spawn_file_actions_adddup2(&actions, options.stdout_fd, STDOUT_FILENO);
  } else if (!options.output.empty()) {
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, options.output.c_str(),
                                     O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  }
  if (!options.error_output.empty()) {
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, options.error_output.c_str(),
                                     O_WRONLY | O_CREAT | O_APPEND, 0644);
  }
  if (!options.cwd.empty()) {
    posix_spawn_file_actions_addchdir_np(&actions, options.cwd.c_str());
  }

  // The harness blocks its stop signals (see interrupt.h); children must get
  // them back.
  sigset_t none, defaults;
  sigemptyset(&none);
  sigemptyset(&defaults);
  for (int s : {SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGQUIT}) sigaddset(&defaults, s);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  short flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
  if (options.lifetime == Lifetime::kDetached) {
    flags |= POSIX_SPAWN_SETSID;
  } else {
    flags |= POSIX_SPAWN_SETPGROUP;
    posix_spawnattr_setpgroup(&attr, 0);
  }
  posix_spawnattr_setflags(&attr, flags);

  // Everything is prepared before the fork: a multi-threaded process may do little else between
  // fork and exec, which posix_spawn does for us.
  std::vector<std::string> argv =
      supervised ? SupervisorArgv(options.stop_signal, options.argv) : options.argv;
  std::vector<std::string> env = MergedEnvironment(options.env);
  auto c_argv = CStrings(argv);
  auto c_env = CStrings(env);
  pid_t pid = -1;
  int rc = posix_spawnp(&pid, c_argv[0], &actions, &attr, c_argv.data(), c_env.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (supervised) close(report[1]);
  if (rc != 0) {
    if (supervised) close(report[0]);
    return MakeError("cannot run '{}': {}", options.argv[0], std::strerror(rc));
  }
  if (!supervised) return Process(pid, -1, options.stop_signal);

  auto command = ReadSupervisorReport(report[0], options.argv[0]);
  close(report[0]);
  if (!command) {
    waitpid(pid, nullptr, 0);
    return command.error();
  }
  return Process(*command, pid, options.stop_signal);
}

Process::Process(Process&& other) noexcept
    : pid_(other.pid_),
      supervisor_(other.supervisor_),
      stop_signal_(other.stop_signal_),
      exit_code_(other.exit_code_) {
  other.pid_ = other.supervisor_ = -1;
}

Process& Process::operator=(Process&& other) noexcept {
  if (this != &other) {
    if (pid_ > 0) Stop(milliseconds(0));
    pid_ = other.pid_;
    supervisor_ = other.supervisor_;
    stop_signal_ = other.stop_signal_;
    exit_code_ = other.exit_code_;
    other.pid_ = other.supervisor_ = -1;
  }
  return *this;
}

Process::~Process() {
  if (pid_ > 0) Stop(milliseconds(0));
}

bool Process::Running() {
  if (pid_ <= 0 || exit_code_) return false;
  int status = 0;
  pid_t r = waitpid(child(), &status, WNOHANG);
  if (r == 0) return true;
  if (r == child()) {
    exit_code_ = WIFEXITED(status)     ? WEXITSTATUS(status)
                 : WIFSIGNALED(status) ? 128 + WTERMSIG(status)
                                       : 255;
  } else if (ProcessAlive(pid_)) {
    return true;  // not our child (adopted): /proc is all we have
  } else {
    exit_code_ = 255;
  }
  return false;
}

bool Process::Wait(milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  while (Running()) {
    if (Interrupted() || Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(kPoll);
  }
  return true;
}

bool Process::WaitInterruptible() {
  while (Running()) {
    if (Interrupted()) return false;
    std::this_thread::sleep_for(kPoll);
  }
  return true;
}

bool Process::Stop(milliseconds grace) {
  if (pid_ <= 0) return true;
  bool ok = supervisor_ > 0 ? StopSupervised(grace) : StopGroup(grace);
  pid_ = supervisor_ = -1;
  return ok;
}

// The supervisor stops the tree and leaves once all of it is gone: waiting for it is waiting for
// the tree.
bool Process::StopSupervised(milliseconds grace) {
  if (!Running()) return true;
  StopSupervisor(supervisor_, grace);
  auto deadline = Clock::now() + grace + kSupervisorMargin;
  while (Running() && Clock::now() < deadline) std::this_thread::sleep_for(kPoll);
  if (!Running()) return true;
  // A supervisor that does not answer: kill what we can reach, its group.
  kill(-supervisor_, SIGKILL);
  deadline = Clock::now() + std::chrono::seconds(1);
  while (Running() && Clock::now() < deadline) std::this_thread::sleep_for(kPoll);
  return false;
}

// A group leader (our own child, a detached postmaster) stops with its group; a process that
// leads none (a postmaster whose supervisor outlived its harness) stops alone.
bool Process::StopGroup(milliseconds grace) {
  const pid_t group = pid_;
  auto gone = [&] { return !Running() && ProcessGroupMembers(group).empty(); };
  auto signal = [&](int s) {
    if (kill(-group, s) != 0) kill(pid_, s);
  };
  if (!gone()) {
    signal(stop_signal_);
    auto deadline = Clock::now() + grace;
    while (!gone() && Clock::now() < deadline) std::this_thread::sleep_for(kPoll);
  }
  if (!gone()) {
    signal(SIGKILL);
    auto deadline = Clock::now() + std::chrono::seconds(1);
    while (!gone() && Clock::now() < deadline) std::this_thread::sleep_for(kPoll);
  }
  return gone();
}

std::string CommandOutput(const std::string& command) {
  std::string out;
  if (FILE* pipe = popen((command + " 2>/dev/null").c_str(), "r")) {
    char buffer[512];
    while (fgets(buffer, sizeof buffer, pipe)) out += buffer;
    pclose(pipe);
  }
  while (!out.empty() && std::isspace(static_cast<unsigned char>(out.back()))) out.pop_back();
  return out;
}

std::vector<pid_t> ProcessGroupMembers(pid_t pgid) {
  std::vector<pid_t> members;
  for (const ProcStat& p : ReadAllProcesses()) {
    if (p.pgrp == pgid && p.state != 'Z') members.push_back(p.pid);
  }
  return members;
}

bool ProcessAlive(pid_t pid) {
  auto stat = pid > 0 ? ReadProcStat(pid) : std::nullopt;
  return stat && stat->state != 'Z';
}

}  // namespace harness
