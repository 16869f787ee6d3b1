// Ports and addresses, and who listens on them. On one machine everything the harness starts
// listens on 127.0.0.1; on a host of its own (README, "More than one machine") on that host's
// address, never a wildcard.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "util/result.h"

namespace harness {

// A port that was free a moment ago (the kernel's choice); callers retry if it is taken first.
Result<int> FreePort();
// The same on `address`, an IPv4 or IPv6 literal of this machine.
Result<int> FreePort(const std::string& address);

// Whether something accepts TCP connections on 127.0.0.1:port.
bool PortInUse(int port);
// The same on `address` (an IPv4 or IPv6 literal).
bool PortInUse(const std::string& address, int port);

// `name`, a host name or an address, as an IP address literal: the first answer of
// getaddrinfo, IPv4 preferred.
Result<std::string> ResolveAddress(const std::string& name);

// Whether `address` is an IPv4 or IPv6 literal.
bool IsIpAddress(const std::string& address);

// The address everything listens on when every role runs on this machine.
inline constexpr const char* kLoopback = "127.0.0.1";

// `address` as the host part of a URL: an IPv6 literal in brackets.
std::string UrlHost(const std::string& address);

// The address of this machine that packets to `address` leave from (the route's source), for
// the hosts to reach it back: what the kernel picks for a UDP socket connected there (no packet
// is sent).
Result<std::string> SourceAddressTowards(const std::string& address);

// Whether `address` means every interface (0.0.0.0, ::, *), which the harness never listens on.
bool IsWildcardAddress(const std::string& address);

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
