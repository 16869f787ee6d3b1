#include "testing/cli.h"

#include <unistd.h>

#include <chrono>

#include "postgres/cluster.h"
#include "util/files.h"
#include "util/process.h"

namespace harness {

namespace fs = std::filesystem;

CommandRun RunHarness(const std::vector<std::string>& args, int timeout_s) {
  fs::path log = TempDir("harness-cli") / "output.txt";
  SpawnOptions spawn;
  spawn.argv = {HARNESS_BINARY};
  spawn.argv.insert(spawn.argv.end(), args.begin(), args.end());
  spawn.output = log;
  // Its own parent, as when a user runs it (a supervisor would take `db up`'s cluster along).
  spawn.lifetime = SpawnOptions::Lifetime::kUnsupervised;
  CommandRun run;
  auto process = Process::Spawn(spawn);
  if (!process) return run;
  if (process->Wait(std::chrono::seconds(timeout_s))) run.exit_code = *process->exit_code();
  process->Stop(std::chrono::seconds(5));
  auto text = ReadFile(log);
  run.output = text ? *text : "";
  fs::remove_all(log.parent_path());
  return run;
}

std::vector<int> OurProcesses() {
  const std::string cluster_root = ClusterRoot().string();
  const std::string servers = std::string(PROJECT_SOURCE_DIR) + "/servers/";
  std::vector<int> found;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/proc", ec)) {
    std::string name = entry.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    int pid = std::stoi(name);
    if (pid == getpid() || !ProcessAlive(pid)) continue;
    std::string args;
    if (!ReadProcFile(pid, "cmdline", args)) continue;  // gone meanwhile
    std::string cwd = fs::read_symlink(entry.path() / "cwd", ec).string();
    if (args.find(cluster_root) != std::string::npos || cwd.starts_with(servers) ||
        args.find(std::string("serve-body") + '\0') != std::string::npos) {
      found.push_back(pid);
    }
  }
  return found;
}

fs::path TempDir(const std::string& prefix) {
  std::string pattern = (fs::temp_directory_path() / (prefix + "-XXXXXX")).string();
  return mkdtemp(pattern.data());
}

}  // namespace harness
