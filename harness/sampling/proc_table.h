// /proc as the sampler sees it, kept between samples so that each one costs
// little: the harness must stay far below 1% of a core at a 100 ms interval,
// and reading the stat of every process on the machine each time would not.
//
// /proc is listed only when a pid has been allocated since the last listing,
// which during a steady load is rare. A process outside the watched trees is
// read once, when it first appears: an existing process does not join a tree
// later, save by setpgid() into the group or by re-parenting to a subreaper
// from outside the tree, which we accept missing (as we do a pid reused within
// one interval; a daemon re-parented to its supervisor was in the tree before,
// under the process that started it, so it is watched), and
// one that has exited may linger until the next listing. Watched processes are
// read every time, through files kept open, which also cannot mistake a new
// process that reuses a pid for the old one.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "util/proc.h"

namespace harness {

class ProcTable {
 public:
  ProcTable();
  ProcTable(const ProcTable&) = delete;
  ProcTable& operator=(const ProcTable&) = delete;
  ~ProcTable();

  // Every process in /proc: current for new pids and those in `watched`, as
  // first read for the others.
  const std::vector<ProcStat>& Refresh(const std::unordered_set<pid_t>& watched);

  // A process of the last Refresh, or null.
  const ProcStat* Find(pid_t pid) const;

  // The resident memory of a process of the last Refresh; zeros if it has
  // none (a zombie) or is gone.
  ResidentKib Resident(pid_t pid);

  // The machine's CPU time now (/proc/stat); empty if it cannot be read.
  std::optional<CpuTimes> MachineCpu();

 private:
  struct Entry {
    ProcStat stat;
    bool read = false;        // `stat` holds something
    unsigned generation = 0;  // of the last listing that saw it
    int stat_fd = -1;
    int statm_fd = -1;
  };

  void Relist();
  bool Read(const char* path, int* fd, bool keep);
  void CloseFiles(Entry& entry);
  void Close(int* fd);

  std::unordered_map<pid_t, Entry> entries_;
  std::vector<pid_t> pids_;  // of entries_, in /proc's order
  std::vector<ProcStat> all_;
  unsigned generation_ = 0;
  std::optional<pid_t> last_pid_;
  int loadavg_fd_ = -1;
  int stat_fd_ = -1;  // /proc/stat
  std::string buffer_;
  int kept_fds_ = 0;
  long page_size_;
};

}  // namespace harness
