#include "util/net.h"

#include <arpa/inet.h>
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

sockaddr_in Loopback(int port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  return addr;
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

Result<int> FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return MakeError("socket: {}", std::strerror(errno));
  sockaddr_in addr = Loopback(0);
  socklen_t len = sizeof addr;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    int err = errno;
    close(fd);
    return MakeError("cannot find a free port on 127.0.0.1: {}", std::strerror(err));
  }
  close(fd);
  return static_cast<int>(ntohs(addr.sin_port));
}

bool PortInUse(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in addr = Loopback(port);
  bool in_use = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
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

}  // namespace harness
