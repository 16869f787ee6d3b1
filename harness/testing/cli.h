// Helpers for tests that run the built harness binary as a user would.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace harness {

struct CommandRun {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

// Runs build/bin/harness with `args`, waiting at most `timeout_s` seconds.
CommandRun RunHarness(const std::vector<std::string>& args, int timeout_s = 60);

// Pids of processes that look like ours: postgres under the cluster root, anything whose
// working directory is inside servers/, and the calibration's `harness serve-body`.
std::vector<int> OurProcesses();

// A fresh empty directory under the system temp dir.
std::filesystem::path TempDir(const std::string& prefix);

}  // namespace harness
