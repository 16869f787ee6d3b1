#include "remote/tcp_rtt.h"

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include "util/net.h"

namespace harness {
namespace {

using Clock = std::chrono::steady_clock;

// One connect() to `target`, timed; an errno when it fails.
Result<double> TimedConnect(const addrinfo& target, std::chrono::milliseconds timeout) {
  int fd = socket(target.ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return MakeError("socket: {}", std::strerror(errno));
  auto start = Clock::now();
  int rc = connect(fd, target.ai_addr, target.ai_addrlen);
  int err = rc == 0 ? 0 : errno;
  if (err == EINPROGRESS) {
    pollfd p{fd, POLLOUT, 0};
    int ready = poll(&p, 1, static_cast<int>(timeout.count()));
    socklen_t len = sizeof err;
    if (ready == 1) {
      getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
    } else {
      err = ready == 0 ? ETIMEDOUT : errno;
    }
  }
  auto elapsed = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  close(fd);
  if (err != 0) return MakeError("{}", std::strerror(err));
  return elapsed;
}

}  // namespace

Result<RttStats> MeasureTcpRtt(const std::string& host, int port, int tries,
                               std::chrono::milliseconds timeout) {
  auto address = ResolveAddress(host);
  if (!address) return address.error();
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
  addrinfo* target = nullptr;
  if (int rc = getaddrinfo(address->c_str(), std::to_string(port).c_str(), &hints, &target)) {
    return MakeError("{}:{}: {}", host, port, gai_strerror(rc));
  }
  std::vector<double> times;
  Status failed = OkStatus();
  for (int i = 0; i < std::max(tries, 1) && failed; ++i) {
    auto ms = TimedConnect(*target, timeout);
    if (ms) {
      times.push_back(*ms);
    } else {
      failed = MakeError("cannot connect to {}:{}: {}", host, port, ms.error().message);
    }
  }
  freeaddrinfo(target);
  if (!failed) return failed.error();
  std::sort(times.begin(), times.end());
  size_t n = times.size();
  RttStats stats{*address, port, static_cast<int>(n)};
  stats.median_ms = n % 2 ? times[n / 2] : (times[n / 2 - 1] + times[n / 2]) / 2;
  stats.min_ms = times.front();
  stats.max_ms = times.back();
  return stats;
}

}  // namespace harness
