#include "remote/agent.h"

#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "remote/session.h"
#include "util/exit_code.h"
#include "util/interrupt.h"

namespace harness {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;
using Json = nlohmann::json;

constexpr milliseconds kPoll{100};
constexpr size_t kMaxLine = 512u << 20;  // a write_file of a large file, in base64

// The agent's stdin, read on a thread of its own so that a connection that closes is noticed
// while the main thread is busy with a request: then the request is cut short by a SIGTERM to
// ourselves, which every wait of the harness already heeds (util/interrupt.h).
class Inbox {
 public:
  explicit Inbox(int fd) : fd_(fd), thread_([this] { Read(); }) {}
  ~Inbox() {
    {
      std::lock_guard lock(mu_);
      quit_ = true;
    }
    thread_.join();
  }

  // The next line, waiting up to kPoll; empty when none came.
  std::optional<std::string> Next() {
    std::unique_lock lock(mu_);
    wake_.wait_for(lock, kPoll, [&] { return !lines_.empty() || closed_; });
    if (lines_.empty()) return std::nullopt;
    std::string line = std::move(lines_.front());
    lines_.pop_front();
    busy_ = true;
    return line;
  }
  // The request taken by Next() is answered: the lease runs again from now.
  void Done() {
    std::lock_guard lock(mu_);
    busy_ = false;
    last_ = Clock::now();
  }
  bool closed() {
    std::lock_guard lock(mu_);
    return closed_ && lines_.empty();
  }
  milliseconds idle() {
    std::lock_guard lock(mu_);
    return std::chrono::duration_cast<milliseconds>(Clock::now() - last_);
  }

 private:
  void Read() {
    std::string buffer;
    char chunk[65536];
    for (;;) {
      {
        std::lock_guard lock(mu_);
        if (quit_) return;
      }
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, static_cast<int>(kPoll.count())) <= 0) continue;
      ssize_t n = read(fd_, chunk, sizeof chunk);
      if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
      std::lock_guard lock(mu_);
      last_ = Clock::now();
      if (n <= 0 || buffer.size() > kMaxLine) {
        closed_ = true;
        if (busy_) kill(getpid(), SIGTERM);  // cut the request under way short
        wake_.notify_all();
        return;
      }
      buffer.append(chunk, static_cast<size_t>(n));
      for (size_t end; (end = buffer.find('\n')) != std::string::npos;) {
        lines_.push_back(buffer.substr(0, end));
        buffer.erase(0, end + 1);
      }
      wake_.notify_all();
    }
  }

  int fd_;
  std::mutex mu_;
  std::condition_variable wake_;
  std::deque<std::string> lines_;
  bool closed_ = false, busy_ = false, quit_ = false;
  Clock::time_point last_ = Clock::now();
  std::thread thread_;
};

bool WriteLine(int fd, const Json& message) {
  // Replaced, not thrown on: a file name that is not UTF-8 must not end the session.
  std::string line = message.dump(-1, ' ', false, Json::error_handler_t::replace) + "\n";
  for (size_t done = 0; done < line.size();) {
    ssize_t n = write(fd, line.data() + done, line.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

Json Answer(AgentSession& session, const std::string& line) {
  Json request = Json::parse(line, nullptr, false);
  if (!request.is_object() || !request.contains("id")) {
    // Not echoed: the line may hold a password.
    return {{"id", nullptr}, {"ok", false}, {"error", "bad request: not a JSON object with an id"}};
  }
  Result<Json> answer = MakeError("the agent failed");
  try {
    answer = session.Handle(request);
  } catch (const std::exception& e) {  // an op's own failure, not the session's end
    std::string what = e.what();
    answer = MakeError("the agent failed: {}", what.substr(0, what.find('\n')));
  }
  if (!answer) return {{"id", request["id"]}, {"ok", false}, {"error", answer.error().message}};
  Json out = std::move(*answer);
  out["id"] = request["id"];
  out["ok"] = true;
  return out;
}

}  // namespace

int RunAgent(int in, int out) {
  // A write to a controller that is gone must fail, not kill us before we have cleaned up.
  signal(SIGPIPE, SIG_IGN);
  AgentSession session(std::filesystem::current_path());
  Inbox inbox(in);
  std::string reason;
  while (reason.empty()) {
    if (inbox.closed()) {
      reason = "its stdin closed";
    } else if (Interrupted()) {
      reason = "signal " + std::to_string(InterruptSignal());
    } else if (auto line = inbox.Next()) {
      Json answer = Answer(session, *line);
      inbox.Done();  // before the answer goes: a controller may close our stdin once it has it
      if (!WriteLine(out, answer)) reason = "its stdout closed";
    } else if (session.lease().count() > 0 && inbox.idle() > session.lease()) {
      reason = "no word from the controller for " + std::to_string(inbox.idle().count()) + " ms";
    }
  }
  AgentSession::Ended ended = session.End();
  WriteLine(out,
            {{"bye", true}, {"reason", reason}, {"stopped", ended.stopped}, {"left", ended.left}});
  std::fprintf(stderr, "harness agent: %s; stopped %d, %zu would not stop\n", reason.c_str(),
               ended.stopped, ended.left.size());
  return ended.left.empty() ? kExitOk : kExitFailure;
}

}  // namespace harness
