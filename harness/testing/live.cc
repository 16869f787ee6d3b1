#include "testing/live.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>
#include <unordered_map>

#include "postgres/cluster.h"
#include "testing/cli.h"
#include "util/files.h"
#include "util/proc.h"

namespace harness {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

ProcInfo Info(const ProcStat& stat) {
  ProcInfo p{stat.pid, stat.ppid, stat.pgrp, stat.start_time, stat.comm, ""};
  std::string args;
  ReadProcFile(p.pid, "cmdline", args);  // empty for kernel threads
  for (char& c : args) c = c == '\0' ? ' ' : c;
  while (!args.empty() && args.back() == ' ') args.pop_back();
  p.cmdline = args;
  return p;
}

std::optional<ProcInfo> ReadProc(pid_t pid) {
  auto stat = ReadProcStat(pid);
  if (!stat || stat->state == 'Z') return std::nullopt;
  return Info(*stat);
}

}  // namespace

std::vector<ProcInfo> ProcessTable() {
  std::vector<ProcInfo> table;
  for (const ProcStat& p : ReadAllProcesses()) {
    if (p.state != 'Z') table.push_back(Info(p));
  }
  return table;
}

std::vector<ProcInfo> Descendants(pid_t root) {
  std::vector<ProcStat> all = ReadAllProcesses();
  std::unordered_map<pid_t, const ProcStat*> by_pid;
  for (const ProcStat& p : all) by_pid[p.pid] = &p;
  std::vector<ProcInfo> out;
  for (pid_t pid : ProcessTree(root, all)) {
    const ProcStat& p = *by_pid.at(pid);
    if (pid != root && p.state != 'Z') out.push_back(Info(p));
  }
  return out;
}

std::vector<ProcInfo> StillRunning(const std::vector<ProcInfo>& procs) {
  std::vector<ProcInfo> alive;
  for (const ProcInfo& p : procs) {
    auto now = ReadProc(p.pid);
    if (now && now->start_ticks == p.start_ticks) alive.push_back(p);
  }
  return alive;
}

std::string Describe(const std::vector<ProcInfo>& procs) {
  std::string out;
  for (const ProcInfo& p : procs) {
    out += "\n  " + std::to_string(p.pid) + " " + p.comm + " (" + p.cmdline.substr(0, 160) + ")";
  }
  return out.empty() ? " none" : out;
}

void KillStillRunning(const std::vector<ProcInfo>& procs) {
  for (const ProcInfo& p : StillRunning(procs)) {
    if (p.pgid > 1 && p.pgid != getpgrp()) kill(-p.pgid, SIGKILL);
    kill(p.pid, SIGKILL);
  }
}

long RssKib(pid_t pid) {
  std::string status;
  if (!ReadProcFile(pid, "status", status)) return -1;
  std::istringstream in(status);
  std::string line;
  while (std::getline(in, line)) {
    if (line.starts_with("VmRSS:")) return std::stol(line.substr(6));
  }
  return -1;
}

LiveHarness::LiveHarness(Process process, fs::path dir)
    : process_(std::move(process)), pid_(process_.pid()), dir_(std::move(dir)) {}

std::unique_ptr<LiveHarness> LiveHarness::Start(const std::vector<std::string>& args) {
  fs::path dir = TempDir("harness-live");
  SpawnOptions spawn;
  spawn.argv = {HARNESS_BINARY};
  spawn.argv.insert(spawn.argv.end(), args.begin(), args.end());
  spawn.output = dir / "output.txt";
  // Its own parent, as when a user runs it: what it starts is under its supervisors, not ours.
  spawn.lifetime = SpawnOptions::Lifetime::kUnsupervised;
  auto process = Process::Spawn(spawn);
  if (!process) return nullptr;
  return std::unique_ptr<LiveHarness>(new LiveHarness(std::move(*process), dir));
}

LiveHarness::~LiveHarness() {
  Observe();
  auto left = Seen();
  process_.Stop(0ms);
  KillStillRunning(left);
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

std::string LiveHarness::Output() const {
  auto text = ReadFile(dir_ / "output.txt");
  return text ? *text : "";
}

bool LiveHarness::WaitForOutput(const std::string& text, std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    Observe();
    if (Output().find(text) != std::string::npos) return true;
    if (!process_.Running()) return Output().find(text) != std::string::npos;
    std::this_thread::sleep_for(20ms);
  }
  return false;
}

void LiveHarness::Signal(int signal) { kill(pid_, signal); }

std::optional<int> LiveHarness::WaitExit(std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  for (int poll = 0; process_.Running(); ++poll) {
    if (Clock::now() >= deadline) return std::nullopt;
    if (poll % 5 == 0) Observe();
    std::this_thread::sleep_for(10ms);
  }
  return process_.exit_code();
}

void LiveHarness::Observe() {
  // Only while it runs: once reaped, its pid may name an unrelated process.
  if (!process_.Running()) return;
  for (const ProcInfo& p : Descendants(pid_)) seen_.try_emplace({p.pid, p.start_ticks}, p);
}

std::vector<ProcInfo> LiveHarness::Seen() const {
  std::vector<ProcInfo> all;
  for (const auto& [key, p] : seen_) all.push_back(p);
  return all;
}

OutputDir::OutputDir() : path_(TempDir("harness-run")) {}

OutputDir::~OutputDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

fs::path OutputDir::RunDir() const {
  std::vector<fs::path> dirs;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(path_, ec)) dirs.push_back(entry.path());
  return dirs.size() == 1 ? dirs[0] : fs::path();
}

std::vector<fs::path> ClustersOwnedBy(pid_t pid) {
  std::vector<fs::path> found;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(ClusterRoot(), ec)) {
    auto owner = ReadFile(entry.path() / "owner");
    if (owner && owner->find("pid=" + std::to_string(pid) + "\n") != std::string::npos) {
      found.push_back(entry.path());
    }
  }
  return found;
}

std::optional<ProcInfo> WaitForDescendant(LiveHarness& h,
                                          const std::function<bool(const ProcInfo&)>& match,
                                          std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    for (const ProcInfo& p : Descendants(h.pid())) {
      if (match(p)) return p;
    }
    std::this_thread::sleep_for(5ms);
  }
  return std::nullopt;
}

std::function<bool(const ProcInfo&)> Named(const std::string& comm) {
  return [comm](const ProcInfo& p) { return p.comm == comm; };
}

bool IsPostmaster(const ProcInfo& p) {
  return p.comm == "postgres" && p.cmdline.find(" -D ") != std::string::npos &&
         p.cmdline.find(" -p ") != std::string::npos;
}

void ExpectNothingLeft(LiveHarness& h) {
  auto left = StillRunning(h.Seen());
  EXPECT_TRUE(left.empty()) << "still running after the harness exited:" << Describe(left);
  KillStillRunning(left);
  auto clusters = ClustersOwnedBy(h.pid());
  EXPECT_TRUE(clusters.empty()) << "cluster directory left behind: " << clusters[0];
}

}  // namespace harness
