// The conformance test: every clause of the servers' contract (servers/README.md), against one
// server at a time, each clause named so that a failure says which server broke which promise.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "config/config.h"
#include "postgres/cluster.h"
#include "postgres/database.h"

namespace harness {

struct ClauseResult {
  std::string clause;
  enum Outcome { kPassed, kFailed, kSkipped } outcome = kPassed;
  std::string detail;  // why it failed or was skipped
};

struct ConformanceReport {
  std::string server;
  std::vector<ClauseResult> clauses;
  bool passed() const;
};

struct ConformanceSetup {
  std::string dsn;
  Cluster* cluster = nullptr;  // null (an external database): the database-fault clauses skip
  int pool_size = 5;
  std::filesystem::path log_dir;  // <server>.log goes here
};

// Starts the server (already built), runs every clause, stops it. Leaves the cluster running.
ConformanceReport CheckConformance(const ServerConfig& server, const ConformanceSetup& setup);

}  // namespace harness
