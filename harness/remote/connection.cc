#include "remote/connection.h"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>

#include "util/interrupt.h"

namespace harness {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;
using Json = nlohmann::json;

constexpr milliseconds kPingTimeout{15000};
constexpr milliseconds kPoll{10};

// A pipe's two ends, close-on-exec and above the supervisor's report descriptor (see SpawnOptions).
bool Pipe(int ends[2]) {
  int raw[2];
  if (pipe2(raw, O_CLOEXEC) != 0) return false;
  for (int i = 0; i < 2; ++i) {
    ends[i] = fcntl(raw[i], F_DUPFD_CLOEXEC, 10);
    close(raw[i]);
  }
  return ends[0] >= 0 && ends[1] >= 0;
}

// Writes all of `data`; a reader that is gone is an error, not the SIGPIPE that would end the
// harness: the signal is blocked in this thread while it writes, and taken back if it came.
bool WriteAll(int fd, const std::string& data) {
  sigset_t pipe_signal, old;
  sigemptyset(&pipe_signal);
  sigaddset(&pipe_signal, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_signal, &old);
  bool ok = true;
  for (size_t done = 0; ok && done < data.size();) {
    ssize_t n = write(fd, data.data() + done, data.size() - done);
    if (n > 0) {
      done += static_cast<size_t>(n);
    } else if (errno != EINTR) {
      ok = false;
    }
  }
  if (!ok && errno == EPIPE) {
    timespec now{};
    sigtimedwait(&pipe_signal, nullptr, &now);
  }
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  return ok;
}

Result<fs::path> LogFile() {
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern =
      (fs::path(tmp && *tmp ? tmp : "/tmp") / "harness-agent-XXXXXX.log").string();
  int fd = mkstemps(pattern.data(), 4);
  if (fd < 0) return MakeError("cannot create {}: {}", pattern, std::strerror(errno));
  close(fd);
  return fs::path(pattern);
}

}  // namespace

Result<std::unique_ptr<AgentConnection>> AgentConnection::Open(Options options) {
  auto log = LogFile();
  if (!log) return MakeError("host {}: {}", options.host, log.error().message);
  int to_agent[2], from_agent[2];
  if (!Pipe(to_agent) || !Pipe(from_agent)) {
    return MakeError("host {}: pipe: {}", options.host, std::strerror(errno));
  }
  SpawnOptions spawn;
  spawn.argv = options.argv;
  spawn.cwd = options.cwd;
  spawn.stdin_fd = to_agent[0];
  spawn.stdout_fd = from_agent[1];
  spawn.error_output = *log;
  auto process = Process::Spawn(spawn);
  close(to_agent[0]);
  close(from_agent[1]);
  if (!process) {
    close(to_agent[1]);
    close(from_agent[0]);
    fs::remove(*log);
    return MakeError("host {}: {}", options.host, process.error().message);
  }
  return std::unique_ptr<AgentConnection>(new AgentConnection(
      std::move(options), std::move(*process), to_agent[1], from_agent[0], *log));
}

AgentConnection::AgentConnection(Options options, Process process, int to_agent, int from_agent,
                                 fs::path log)
    : options_(std::move(options)),
      process_(std::move(process)),
      pid_(process_.pid()),
      to_agent_(to_agent),
      from_agent_(from_agent),
      log_(std::move(log)) {}

AgentConnection::~AgentConnection() {
  const bool was_lost = !lost_.empty();  // said already, by the call that found it
  if (Status closed = Close(milliseconds(30000)); !closed && !was_lost) {
    std::fprintf(stderr, "harness: %s\n", closed.error().message.c_str());
  }
  if (from_agent_ >= 0) close(from_agent_);
  std::error_code ec;
  fs::remove(log_, ec);
}

AgentConnection::Read AgentConnection::NextLine(Clock::time_point deadline, std::string& line,
                                                bool interruptible) {
  for (;;) {
    if (size_t end = buffer_.find('\n'); end != std::string::npos) {
      line = buffer_.substr(0, end);
      buffer_.erase(0, end + 1);
      return Read::kLine;
    }
    auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now()).count();
    if (interruptible && Interrupted()) return Read::kInterrupted;
    // Polled at least once, so that a deadline of now reads what is there.
    pollfd p{from_agent_, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(std::clamp<long long>(left, 0, 50))) <= 0) {
      if (left <= 0) return Read::kTimeout;
      continue;
    }
    char chunk[65536];
    ssize_t n = read(from_agent_, chunk, sizeof chunk);
    if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) return Read::kEnd;
    if (n > 0) buffer_.append(chunk, static_cast<size_t>(n));
  }
}

Result<Json> AgentConnection::Call(const std::string& op, Json request, milliseconds timeout) {
  std::lock_guard lock(call_mu_);
  return CallLocked(op, std::move(request), timeout);
}

Result<Json> AgentConnection::CallLocked(const std::string& op, Json request,
                                         milliseconds timeout) {
  if (!lost_.empty()) return Error{lost_};
  if (closed_) return MakeError("host {}: the connection is closed", options_.host);
  last_call_ = Clock::now();
  const long long id = ++next_id_;
  request["id"] = id;
  request["op"] = op;
  if (!WriteAll(to_agent_, request.dump() + "\n")) return Lose(ExitDescription());
  const auto deadline = Clock::now() + timeout;
  for (std::string line;;) {
    switch (NextLine(deadline, line)) {
      case Read::kTimeout:
        return Lose(fmt::format("no answer to {} within {} s", op, timeout.count() / 1000.0));
      case Read::kEnd:
        return Lose(ExitDescription());
      case Read::kInterrupted:
        return MakeError("host {}: interrupted during {}", options_.host, op);
      case Read::kLine:
        break;
    }
    Json answer = Json::parse(line, nullptr, false);
    if (answer.is_object() && answer.contains("bye")) {
      return Lose("the agent ended: " + answer.value("reason", "?"));
    }
    if (!answer.is_object() || answer.value("id", Json()) != id) continue;  // a late answer
    last_call_ = Clock::now();
    if (answer.value("ok", false)) return answer;
    std::string error = answer.value("error", "the agent failed");
    const std::string prefix = "host " + options_.host + ":";
    return Error{error.starts_with(prefix) ? error : prefix + " " + error};
  }
}

Error AgentConnection::Lose(const std::string& why) {
  if (lost_.empty()) {
    lost_ = fmt::format("host {}: {} was lost: {}", options_.host, options_.channel, why);
  }
  process_.Stop(milliseconds(0));
  return Error{lost_};
}

// Why the process ended: its last line on stderr (ssh's "Connection refused", "Permission
// denied"), else its exit status.
std::string AgentConnection::ExitDescription() {
  process_.Wait(milliseconds(2000));
  std::string tail;
  std::ifstream in(log_);
  for (std::string line; std::getline(in, line);) {
    if (line.find_first_not_of(" \t\r") != std::string::npos) tail = line;
  }
  if (!tail.empty()) return tail;
  if (auto code = process_.exit_code()) {
    return fmt::format("{} exited with {}", options_.argv[0], *code);
  }
  return "the pipe to it broke";
}

void AgentConnection::KeepAlive(milliseconds every) {
  if (every.count() <= 0 || pinger_.joinable()) return;
  ping_every_ = every;
  pinger_ = std::thread([this] { Ping(); });
}

void AgentConnection::Ping() {
  std::unique_lock lock(ping_mu_);
  while (!ping_wake_.wait_for(lock, ping_every_ / 4, [&] { return ping_stop_; })) {
    lock.unlock();  // Close() may stop us meanwhile
    {
      std::unique_lock call(call_mu_, std::try_to_lock);  // not while a request is under way
      if (call.owns_lock() && lost_.empty() && !closed_ &&
          Clock::now() - last_call_ >= ping_every_) {
        (void)CallLocked("ping", Json::object(), kPingTimeout);  // a failure is the loss
      }
    }
    lock.lock();
  }
}

Status AgentConnection::Health() {
  std::unique_lock lock(call_mu_, std::try_to_lock);
  if (!lock.owns_lock()) return OkStatus();  // the request under way will tell
  if (!lost_.empty()) return Error{lost_};
  // Read what came unasked: a bye, or the end of the channel.
  std::string line;
  while (!closed_) {
    Read read = NextLine(Clock::now() + milliseconds(1), line);
    if (read == Read::kEnd) return Lose(ExitDescription());
    if (read != Read::kLine) break;
    Json message = Json::parse(line, nullptr, false);
    if (message.is_object() && message.contains("bye")) {
      return Lose("the agent ended: " + message.value("reason", "?"));
    }
  }
  return OkStatus();
}

Status AgentConnection::Close(milliseconds timeout) {
  {
    std::lock_guard lock(ping_mu_);
    ping_stop_ = true;
  }
  ping_wake_.notify_all();
  if (pinger_.joinable()) pinger_.join();
  std::lock_guard lock(call_mu_);
  if (closed_) return OkStatus();
  closed_ = true;
  close(to_agent_);
  to_agent_ = -1;
  const auto deadline = Clock::now() + timeout;
  Status result =
      lost_.empty()
          ? Status(MakeError("host {}: the agent ended without saying bye", options_.host))
          : Status(Error{lost_});
  // Not cut short by an interrupt: after Ctrl-C this is how the agent's cleanup is confirmed.
  for (std::string line; lost_.empty();) {
    Read read = NextLine(deadline, line, false);
    if (read != Read::kLine) break;
    Json bye = Json::parse(line, nullptr, false);
    if (!bye.is_object() || !bye.contains("bye")) continue;
    auto left = bye.value("left", std::vector<long long>{});
    result = left.empty() ? OkStatus()
                          : Status(MakeError("host {}: {} processes would not stop: {}",
                                             options_.host, left.size(), fmt::join(left, " ")));
    break;
  }
  while (process_.Running() && Clock::now() < deadline) std::this_thread::sleep_for(kPoll);
  process_.Stop(milliseconds(1000));
  return result;
}

}  // namespace harness
