// The controller's end of one agent (remote/agent.h): the process that runs it (ssh, which runs
// `harness agent` on its host; or, without ssh, the agent itself as our child), the pipes to it,
// requests with timeouts, and pings that keep the agent's lease while the controller is busy
// elsewhere. The process runs under a supervisor (util/supervisor.h): should the harness die,
// ssh dies with it, the agent's stdin closes, and the agent stops everything it started.
//
// Once the channel fails (the process exits, a request goes unanswered, the agent says bye by
// itself) every call answers "host NAME: the SSH connection was lost: WHY", and the process is
// stopped at once, so that the agent, seeing its stdin close, stops what it started.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "util/process.h"
#include "util/result.h"

namespace harness {

class AgentConnection {
 public:
  struct Options {
    std::string host;                            // its name, for messages
    std::vector<std::string> argv;               // what runs the agent
    std::filesystem::path cwd;                   // where
    std::string channel = "the SSH connection";  // what messages call it
  };
  static Result<std::unique_ptr<AgentConnection>> Open(Options options);
  ~AgentConnection();  // Close(), if not done
  AgentConnection(const AgentConnection&) = delete;
  AgentConnection& operator=(const AgentConnection&) = delete;

  // Sends {"op": op, ...request} and waits up to `timeout` for the answer: its fields, or the
  // agent's error (naming the host), or the channel's loss. Returns early, with an error, when
  // the harness is interrupted; the connection stays usable (Close() ends it).
  Result<nlohmann::json> Call(const std::string& op, nlohmann::json request,
                              std::chrono::milliseconds timeout);

  // From now on, a ping whenever no request went for `every` (on a thread of its own).
  void KeepAlive(std::chrono::milliseconds every);

  // The channel's loss, if it is lost; never waits for a request under way.
  Status Health();

  // Closes the agent's stdin, so that it stops what it started, and waits up to `timeout` for
  // its bye and for the process to exit (then stops it). An error if the agent did not say
  // that everything stopped.
  Status Close(std::chrono::milliseconds timeout);

  pid_t pid() const { return pid_; }  // ssh's, or the local agent's
  // Where the channel's stderr goes: ssh's own and the agent's.
  const std::filesystem::path& log() const { return log_; }

 private:
  AgentConnection(Options options, Process process, int to_agent, int from_agent,
                  std::filesystem::path log);
  enum class Read { kLine, kTimeout, kEnd, kInterrupted };
  // The next line from the agent into `line`, waiting until `deadline`, or until the harness is
  // interrupted if `interruptible`.
  Read NextLine(std::chrono::steady_clock::time_point deadline, std::string& line,
                bool interruptible = true);
  Result<nlohmann::json> CallLocked(const std::string& op, nlohmann::json request,
                                    std::chrono::milliseconds timeout);
  // Marks the channel lost (the first reason stays) and stops the process.
  Error Lose(const std::string& why);
  std::string ExitDescription();
  void Ping();

  Options options_;
  Process process_;
  pid_t pid_;
  int to_agent_, from_agent_;
  std::filesystem::path log_;
  std::string buffer_;  // what was read past the last line

  std::mutex call_mu_;  // one request at a time; guards everything below but the pinger's
  long long next_id_ = 0;
  std::string lost_;
  bool closed_ = false;
  std::chrono::steady_clock::time_point last_call_ = std::chrono::steady_clock::now();

  std::mutex ping_mu_;
  std::condition_variable ping_wake_;
  bool ping_stop_ = false;
  std::chrono::milliseconds ping_every_{0};
  std::thread pinger_;
};

}  // namespace harness
