// Ports on 127.0.0.1, where everything the harness starts listens, and who listens on them.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "util/result.h"

namespace harness {

// A port that was free a moment ago (the kernel's choice); callers retry if it is taken first.
Result<int> FreePort();

// Whether something accepts TCP connections on 127.0.0.1:port.
bool PortInUse(int port);

// A listening TCP socket (IPv4 or IPv6) and the process holding it.
struct ListeningSocket {
  pid_t pid = 0;
  std::string comm;
  std::string address;  // "127.0.0.1", "0.0.0.0", "::", "::ffff:127.0.0.1", ...
  int port = 0;
};
// The listening sockets held by `pids` (found through /proc/<pid>/fd and /proc/net/tcp{,6}).
std::vector<ListeningSocket> ListeningSockets(const std::vector<pid_t>& pids);

}  // namespace harness
