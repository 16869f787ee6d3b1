#include "util/proc.h"

#include <dirent.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "util/files.h"

namespace harness {
namespace {

template <typename T>
bool ParseNumber(std::string_view text, T& value) {
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  return ec == std::errc() && ptr == end;
}

// Splits off the next whitespace-separated token of `rest`.
std::string_view NextToken(std::string_view& rest) {
  size_t start = rest.find_first_not_of(" \t\n");
  if (start == std::string_view::npos) return rest = {};
  rest.remove_prefix(start);
  size_t end = std::min(rest.find_first_of(" \t\n"), rest.size());
  std::string_view token = rest.substr(0, end);
  rest.remove_prefix(end);
  return token;
}

// The kernel keeps children's times signed; a negative one would be garbage.
bool ParseTicks(std::string_view token, unsigned long long& ticks) {
  long long value = 0;
  if (!ParseNumber(token, value)) return false;
  ticks = value < 0 ? 0 : static_cast<unsigned long long>(value);
  return true;
}

}  // namespace

std::optional<ProcStat> ParseProcStat(std::string_view text) {
  // The command name in field 2 may hold spaces and parentheses, but no later
  // field can hold a ')'.
  size_t open = text.find(" (");
  size_t close = text.rfind(')');
  if (open == std::string_view::npos || close == std::string_view::npos || close < open) {
    return std::nullopt;
  }
  ProcStat stat;
  if (!ParseNumber(text.substr(0, open), stat.pid)) return std::nullopt;
  stat.comm = text.substr(open + 2, close - open - 2);

  // Fields 3 (state) to 22 (starttime) of proc(5).
  std::string_view rest = text.substr(close + 1);
  std::array<std::string_view, 20> f;
  for (auto& token : f) {
    token = NextToken(rest);
    if (token.empty()) return std::nullopt;
  }
  if (f[0].size() != 1) return std::nullopt;
  stat.state = f[0][0];
  if (!ParseNumber(f[1], stat.ppid) || !ParseNumber(f[2], stat.pgrp) ||
      !ParseTicks(f[11], stat.utime) || !ParseTicks(f[12], stat.stime) ||
      !ParseTicks(f[13], stat.cutime) || !ParseTicks(f[14], stat.cstime) ||
      !ParseNumber(f[19], stat.start_time)) {
    return std::nullopt;
  }
  return stat;
}

std::optional<long long> ParseVmRssKib(std::string_view status_text) {
  constexpr std::string_view kKey = "VmRSS:";
  size_t at = status_text.starts_with(kKey) ? 0 : status_text.find("\nVmRSS:");
  if (at == std::string_view::npos) return std::nullopt;
  std::string_view rest = status_text.substr(at + (at == 0 ? 0 : 1) + kKey.size());
  rest = rest.substr(0, rest.find('\n'));
  std::string_view number = NextToken(rest);
  long long kib = 0;
  if (!ParseNumber(number, kib) || NextToken(rest) != "kB") {
    return std::nullopt;
  }
  return kib;
}

std::optional<ResidentKib> ParseStatm(std::string_view statm_text, long page_size) {
  NextToken(statm_text);  // the virtual size
  long long resident = 0, shared = 0;
  if (!ParseNumber(NextToken(statm_text), resident) ||
      !ParseNumber(NextToken(statm_text), shared) || shared > resident) {
    return std::nullopt;
  }
  long long kib = page_size / 1024;
  return ResidentKib{resident * kib, (resident - shared) * kib};
}

std::optional<pid_t> ParseLoadavgLastPid(std::string_view loadavg_text) {
  std::string_view last;
  for (int i = 0; i < 5; ++i) last = NextToken(loadavg_text);
  pid_t pid = 0;
  if (!ParseNumber(last, pid) || !NextToken(loadavg_text).empty()) return std::nullopt;
  return pid;
}

std::optional<CpuTimes> ParseCpuTimes(std::string_view text) {
  if (NextToken(text) != "cpu") return std::nullopt;
  text = text.substr(0, text.find('\n'));
  // user nice system idle iowait irq softirq steal (guest guest_nice follow, inside user).
  std::array<unsigned long long, 8> f{};
  for (auto& field : f) {
    if (!ParseTicks(NextToken(text), field)) return std::nullopt;
  }
  CpuTimes times;
  times.busy = f[0] + f[1] + f[2] + f[5] + f[6] + f[7];
  times.total = times.busy + f[3] + f[4];
  return times;
}

std::optional<ProcStat> ReadProcStat(pid_t pid) {
  std::string buffer;
  if (!ReadProcFile(pid, "stat", buffer)) return std::nullopt;
  return ParseProcStat(buffer);
}

std::vector<pid_t> ListPids() {
  std::vector<pid_t> pids;
  DIR* dir = opendir("/proc");
  if (dir == nullptr) return pids;
  while (const dirent* entry = readdir(dir)) {
    pid_t pid = 0;
    if (ParseNumber(std::string_view(entry->d_name), pid)) pids.push_back(pid);
  }
  closedir(dir);
  return pids;
}

std::vector<ProcStat> ReadAllProcesses() {
  std::vector<ProcStat> all;
  std::string buffer;
  for (pid_t pid : ListPids()) {
    if (!ReadProcFile(pid, "stat", buffer)) continue;  // gone meanwhile
    if (auto stat = ParseProcStat(buffer)) all.push_back(*stat);
  }
  return all;
}

std::optional<long long> ReadVmRssKib(pid_t pid) {
  std::string buffer;
  if (!ReadProcFile(pid, "status", buffer)) return std::nullopt;
  return ParseVmRssKib(buffer);
}

std::vector<pid_t> ProcessTree(pid_t root, const std::vector<ProcStat>& all) {
  // A process's children, then the other members of the group it leads.
  std::unordered_map<pid_t, std::vector<pid_t>> reached;
  std::vector<pid_t> tree;
  bool root_found = false;
  for (const ProcStat& p : all) {
    reached[p.ppid].push_back(p.pid);
    if (p.pgrp != p.pid) reached[p.pgrp].push_back(p.pid);
    if (p.pid == root) root_found = true;
  }
  if (!root_found) return tree;

  // Breadth first from the root, each pid once.
  std::unordered_set<pid_t> seen;
  tree.push_back(root);
  seen.insert(root);
  for (size_t i = 0; i < tree.size(); ++i) {
    auto it = reached.find(tree[i]);
    if (it == reached.end()) continue;
    for (pid_t pid : it->second) {
      if (seen.insert(pid).second) tree.push_back(pid);
    }
  }
  return tree;
}

}  // namespace harness
