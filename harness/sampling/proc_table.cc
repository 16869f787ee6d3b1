#include "sampling/proc_table.h"

#include <fcntl.h>
#include <unistd.h>

#include <string>

#include "util/files.h"

namespace harness {
namespace {

// Enough for hundreds of watched processes, well within any descriptor limit;
// past it, files are opened for each read instead.
constexpr int kMaxKeptFds = 1024;

std::string PidPath(pid_t pid, const char* name) {
  return "/proc/" + std::to_string(pid) + "/" + name;
}

}  // namespace

ProcTable::ProcTable() : page_size_(sysconf(_SC_PAGESIZE)) {}

ProcTable::~ProcTable() {
  for (auto& [pid, entry] : entries_) CloseFiles(entry);
  Close(&loadavg_fd_);
  Close(&stat_fd_);
}

const std::vector<ProcStat>& ProcTable::Refresh(const std::unordered_set<pid_t>& watched) {
  // Listing /proc is the dearest part of a sample, and needless while no pid
  // has been allocated since the last listing: no process can have appeared.
  std::optional<pid_t> last_pid;
  if (Read("/proc/loadavg", &loadavg_fd_, true)) last_pid = ParseLoadavgLastPid(buffer_);
  if (!last_pid || last_pid != last_pid_) {
    last_pid_ = last_pid;
    Relist();
  }

  all_.clear();
  std::erase_if(pids_, [&](pid_t pid) {
    Entry& entry = entries_[pid];
    bool watch = watched.contains(pid);
    if (!watch) CloseFiles(entry);
    if (!entry.read || watch) {
      std::optional<ProcStat> stat;
      if (Read(PidPath(pid, "stat").c_str(), &entry.stat_fd, watch)) {
        stat = ParseProcStat(buffer_);
      }
      if (!stat) {  // gone
        CloseFiles(entry);
        entries_.erase(pid);
        return true;
      }
      entry.stat = *stat;
      entry.read = true;
    }
    all_.push_back(entry.stat);
    return false;
  });
  return all_;
}

void ProcTable::Relist() {
  pids_ = ListPids();
  ++generation_;
  for (pid_t pid : pids_) entries_[pid].generation = generation_;
  for (auto it = entries_.begin(); it != entries_.end();) {
    if (it->second.generation == generation_) {
      ++it;
    } else {
      CloseFiles(it->second);
      it = entries_.erase(it);
    }
  }
}

const ProcStat* ProcTable::Find(pid_t pid) const {
  auto it = entries_.find(pid);
  return it == entries_.end() ? nullptr : &it->second.stat;
}

ResidentKib ProcTable::Resident(pid_t pid) {
  auto it = entries_.find(pid);
  if (it == entries_.end() || !Read(PidPath(pid, "statm").c_str(), &it->second.statm_fd, true)) {
    return {};
  }
  return ParseStatm(buffer_, page_size_).value_or(ResidentKib{});
}

std::optional<CpuTimes> ProcTable::MachineCpu() {
  if (!Read("/proc/stat", &stat_fd_, true)) return std::nullopt;
  return ParseCpuTimes(buffer_);
}

// Reads `path` into buffer_, through *fd when it is open or when `keep` asks
// to open it for the next reads.
bool ProcTable::Read(const char* path, int* fd, bool keep) {
  if (*fd < 0 && keep && kept_fds_ < kMaxKeptFds) {
    *fd = open(path, O_RDONLY | O_CLOEXEC);
    if (*fd >= 0) ++kept_fds_;
  }
  if (*fd >= 0) {
    if (ReadProcFd(*fd, buffer_)) return true;
    Close(fd);  // the process is gone, though its pid may be in use again
  }
  int once = open(path, O_RDONLY | O_CLOEXEC);
  if (once < 0) return false;
  bool ok = ReadProcFd(once, buffer_);
  close(once);
  return ok;
}

void ProcTable::CloseFiles(Entry& entry) {
  Close(&entry.stat_fd);
  Close(&entry.statm_fd);
}

void ProcTable::Close(int* fd) {
  if (*fd < 0) return;
  close(*fd);
  *fd = -1;
  --kept_fds_;
}

}  // namespace harness
