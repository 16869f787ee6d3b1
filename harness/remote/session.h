// What one agent holds for its controller (remote/protocol.h lists the operations): the
// processes, samplers and cluster it started, each stopped when the session ends, whatever
// ended it. The agent's loop (remote/agent.h) feeds it one request at a time, on the main thread,
// which the supervisors of the processes it starts need (util/supervisor.h).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "postgres/cluster.h"
#include "sampling/sampler.h"
#include "util/process.h"
#include "util/result.h"

namespace harness {

class AgentSession {
 public:
  // `checkout`: the project's checkout the agent runs in (its working directory).
  explicit AgentSession(std::filesystem::path checkout) : checkout_(std::move(checkout)) {}
  ~AgentSession() { End(); }
  AgentSession(const AgentSession&) = delete;
  AgentSession& operator=(const AgentSession&) = delete;

  // The answer's fields for one request ({"op": ..., ...}), or a one-line error. Never echoes
  // what the request carried: it may hold the cluster's password.
  Result<nlohmann::json> Handle(const nlohmann::json& request);

  // Set by hello; zero: no lease.
  std::chrono::milliseconds lease() const { return lease_; }

  struct Ended {
    int stopped = 0;          // processes, samplers and clusters stopped
    std::vector<pid_t> left;  // processes that outlived even SIGKILL
  };
  // Stops everything the session started and removes its workdir. Idempotent.
  Ended End();

 private:
  using Json = nlohmann::json;
  Result<Json> Dispatch(const std::string& op, const Json& request);
  Result<Json> Hello(const Json& request);
  Result<Json> Spawn(const Json& request);
  Result<Json> Wait(const Json& request);
  Result<Json> Stop(const Json& request);
  Result<Json> StartSampling(const Json& request);
  Result<Json> StopSampling(const Json& request);
  Result<Json> ReadHostFile(const Json& request);
  Result<Json> WriteHostFile(const Json& request);
  Result<Json> ClusterUp(const Json& request);
  Result<Json> ClusterDown();
  Result<Process*> Find(const Json& request);

  std::filesystem::path checkout_;
  std::string host_;  // the controller's name for this host, for messages
  bool greeted_ = false;
  std::chrono::milliseconds lease_{0};
  std::filesystem::path workdir_;  // a private directory for the session's files
  std::map<pid_t, Process> processes_;
  struct Sampling {
    std::unique_ptr<Sampler> sampler;
    std::vector<std::string> groups;
  };
  std::map<int, Sampling> samplers_;
  int next_sampler_ = 1;
  std::unique_ptr<Cluster> cluster_;
  bool ended_ = false;
};

}  // namespace harness
