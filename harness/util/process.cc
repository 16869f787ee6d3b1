#include "util/process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <thread>

#include "util/files.h"
#include "util/interrupt.h"
#include "util/proc.h"

extern char** environ;

namespace harness {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

constexpr milliseconds kPoll{10};

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

Result<Process> Process::Spawn(const SpawnOptions& options) {
  if (options.argv.empty()) return MakeError("nothing to run: empty command");
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  posix_spawn_file_actions_init(&actions);
  posix_spawnattr_init(&attr);

  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  if (!options.output.empty()) {
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
  if (options.new_session) {
    flags |= POSIX_SPAWN_SETSID;
  } else {
    flags |= POSIX_SPAWN_SETPGROUP;
    posix_spawnattr_setpgroup(&attr, 0);
  }
  posix_spawnattr_setflags(&attr, flags);

  std::vector<std::string> argv = options.argv;
  std::vector<std::string> env = MergedEnvironment(options.env);
  auto c_argv = CStrings(argv);
  auto c_env = CStrings(env);
  pid_t pid = -1;
  int rc = posix_spawnp(&pid, c_argv[0], &actions, &attr, c_argv.data(), c_env.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) {
    return MakeError("cannot run '{}': {}", options.argv[0], std::strerror(rc));
  }
  return Process(pid);
}

Process::Process(Process&& other) noexcept : pid_(other.pid_), exit_code_(other.exit_code_) {
  other.pid_ = -1;
}

Process& Process::operator=(Process&& other) noexcept {
  if (this != &other) {
    if (pid_ > 0) Stop(milliseconds(0), SIGKILL);
    pid_ = other.pid_;
    exit_code_ = other.exit_code_;
    other.pid_ = -1;
  }
  return *this;
}

Process::~Process() {
  if (pid_ > 0) Stop(milliseconds(0), SIGKILL);
}

bool Process::Running() {
  if (pid_ <= 0 || exit_code_) return false;
  int status = 0;
  pid_t r = waitpid(pid_, &status, WNOHANG);
  if (r == 0) return true;
  if (r == pid_) {
    exit_code_ = WIFEXITED(status)     ? WEXITSTATUS(status)
                 : WIFSIGNALED(status) ? 128 + WTERMSIG(status)
                                       : 255;
  } else {
    exit_code_ = 255;  // not our child any more (ECHILD): treat as gone
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

bool Process::Stop(milliseconds grace, int signal) {
  if (pid_ <= 0) return true;
  const pid_t group = pid_;
  auto gone = [&] { return !Running() && ProcessGroupMembers(group).empty(); };
  if (!gone()) {
    kill(-group, signal);
    auto deadline = Clock::now() + grace;
    while (!gone() && Clock::now() < deadline) std::this_thread::sleep_for(kPoll);
  }
  if (!gone()) {
    kill(-group, SIGKILL);
    auto deadline = Clock::now() + std::chrono::seconds(1);
    while (!gone() && Clock::now() < deadline) std::this_thread::sleep_for(kPoll);
  }
  bool ok = gone();
  pid_ = -1;
  return ok;
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
