#include "util/net.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "util/proc.h"

namespace harness {
namespace {

// The socket address of an IPv4 or IPv6 literal and a port; empty family when it is neither.
struct SocketAddress {
  sockaddr_storage storage{};
  socklen_t length = 0;
  int family = AF_UNSPEC;
  sockaddr* get() { return reinterpret_cast<sockaddr*>(&storage); }
};

SocketAddress Literal(const std::string& address, int port) {
  SocketAddress out;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&out.storage);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&out.storage);
  if (inet_pton(AF_INET, address.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = out.family = AF_INET;
    v4->sin_port = htons(static_cast<uint16_t>(port));
    out.length = sizeof(sockaddr_in);
  } else if (inet_pton(AF_INET6, address.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = out.family = AF_INET6;
    v6->sin6_port = htons(static_cast<uint16_t>(port));
    out.length = sizeof(sockaddr_in6);
  }
  return out;
}

int Port(const SocketAddress& a) {
  return a.family == AF_INET ? ntohs(reinterpret_cast<const sockaddr_in*>(&a.storage)->sin_port)
                             : ntohs(reinterpret_cast<const sockaddr_in6*>(&a.storage)->sin6_port);
}

// socket inode → local address and port, for sockets in state LISTEN (0A).
std::map<unsigned long, std::pair<std::string, int>> ListeningInodes() {
  std::map<unsigned long, std::pair<std::string, int>> found;
  for (const char* table : {"/proc/net/tcp", "/proc/net/tcp6"}) {
    std::ifstream in(table);
    std::string line;
    std::getline(in, line);  // header
    while (std::getline(in, line)) {
      std::istringstream fields(line);
      std::string slot, local, remote, state, queues, timer, retransmits, uid, timeout;
      unsigned long inode = 0;
      fields >> slot >> local >> remote >> state >> queues >> timer >> retransmits >> uid >>
          timeout >> inode;
      if (state != "0A" || local.find(':') == std::string::npos) continue;
      std::string hex = local.substr(0, local.find(':'));
      int port = std::stoi(local.substr(local.find(':') + 1), nullptr, 16);
      // The kernel prints each 32-bit word of the address as a host-order integer, so reading
      // it back the same way restores the bytes as they are in memory.
      char text[INET6_ADDRSTRLEN] = {};
      if (hex.size() == 8) {
        in_addr a{};
        a.s_addr = static_cast<uint32_t>(std::stoul(hex, nullptr, 16));
        inet_ntop(AF_INET, &a, text, sizeof text);
      } else if (hex.size() == 32) {
        in6_addr a{};
        for (int i = 0; i < 4; ++i) {
          uint32_t word = static_cast<uint32_t>(std::stoul(hex.substr(8 * i, 8), nullptr, 16));
          std::memcpy(&a.s6_addr[4 * i], &word, 4);
        }
        inet_ntop(AF_INET6, &a, text, sizeof text);
      }
      found[inode] = {text, port};
    }
  }
  return found;
}

}  // namespace

Result<int> FreePort() { return FreePort("127.0.0.1"); }

Result<int> FreePort(const std::string& address) {
  SocketAddress addr = Literal(address, 0);
  if (addr.family == AF_UNSPEC) return MakeError("not an IP address: '{}'", address);
  int fd = socket(addr.family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return MakeError("socket: {}", std::strerror(errno));
  if (bind(fd, addr.get(), addr.length) != 0 || getsockname(fd, addr.get(), &addr.length) != 0) {
    int err = errno;
    close(fd);
    return MakeError("cannot find a free port on {}: {}", address, std::strerror(err));
  }
  close(fd);
  return Port(addr);
}

bool PortInUse(int port) { return PortInUse("127.0.0.1", port); }

bool PortInUse(const std::string& address, int port) {
  SocketAddress addr = Literal(address, port);
  if (addr.family == AF_UNSPEC) return false;
  int fd = socket(addr.family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  bool in_use = connect(fd, addr.get(), addr.length) == 0;
  close(fd);
  return in_use;
}

std::vector<ListeningSocket> ListeningSockets(const std::vector<pid_t>& pids) {
  auto inodes = ListeningInodes();
  std::vector<ListeningSocket> found;
  for (pid_t pid : pids) {
    auto info = ReadProcStat(pid);
    if (!info) continue;
    std::error_code ec;
    for (const auto& fd :
         std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd", ec)) {
      std::string target = std::filesystem::read_symlink(fd.path(), ec).string();
      if (ec || !target.starts_with("socket:[")) continue;
      unsigned long inode = std::stoul(target.substr(8));
      if (auto it = inodes.find(inode); it != inodes.end()) {
        found.push_back({pid, info->comm, it->second.first, it->second.second});
      }
    }
  }
  return found;
}

Result<std::string> ResolveAddress(const std::string& name) {
  if (IsIpAddress(name)) return name;
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (int rc = getaddrinfo(name.c_str(), nullptr, &hints, &found); rc != 0) {
    return MakeError("cannot resolve '{}': {}", name, gai_strerror(rc));
  }
  const addrinfo* best = found;
  for (const addrinfo* a = found; a != nullptr; a = a->ai_next) {
    if (a->ai_family == AF_INET) {
      best = a;
      break;
    }
  }
  char text[INET6_ADDRSTRLEN] = {};
  const void* bytes =
      best->ai_family == AF_INET
          ? static_cast<const void*>(&reinterpret_cast<const sockaddr_in*>(best->ai_addr)->sin_addr)
          : &reinterpret_cast<const sockaddr_in6*>(best->ai_addr)->sin6_addr;
  inet_ntop(best->ai_family, bytes, text, sizeof text);
  freeaddrinfo(found);
  return std::string(text);
}

std::string UrlHost(const std::string& address) {
  return address.find(':') == std::string::npos ? address : "[" + address + "]";
}

Result<std::string> SourceAddressTowards(const std::string& address) {
  SocketAddress to = Literal(address, 9);  // any port: nothing is sent
  if (to.family == AF_UNSPEC) return MakeError("not an IP address: '{}'", address);
  int fd = socket(to.family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return MakeError("socket: {}", std::strerror(errno));
  SocketAddress from;
  from.length = sizeof from.storage;
  if (connect(fd, to.get(), to.length) != 0 || getsockname(fd, from.get(), &from.length) != 0) {
    int err = errno;
    close(fd);
    return MakeError("no route to {}: {}", address, std::strerror(err));
  }
  close(fd);
  char text[INET6_ADDRSTRLEN] = {};
  const void* bytes =
      to.family == AF_INET
          ? static_cast<const void*>(&reinterpret_cast<const sockaddr_in*>(&from.storage)->sin_addr)
          : &reinterpret_cast<const sockaddr_in6*>(&from.storage)->sin6_addr;
  inet_ntop(to.family, bytes, text, sizeof text);
  return std::string(text);
}

bool IsIpAddress(const std::string& address) { return Literal(address, 0).family != AF_UNSPEC; }

bool IsWildcardAddress(const std::string& address) {
  if (address == "*") return true;
  SocketAddress a = Literal(address, 0);
  if (a.family == AF_INET) {
    return reinterpret_cast<const sockaddr_in*>(&a.storage)->sin_addr.s_addr == INADDR_ANY;
  }
  if (a.family == AF_INET6) {
    const in6_addr& v6 = reinterpret_cast<const sockaddr_in6*>(&a.storage)->sin6_addr;
    return IN6_IS_ADDR_UNSPECIFIED(&v6);
  }
  return false;
}

}  // namespace harness
