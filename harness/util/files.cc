#include "util/files.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <deque>
#include <fstream>
#include <sstream>

namespace harness {

namespace fs = std::filesystem;

Status WriteFileAtomic(const fs::path& path, const std::string& content) {
  std::error_code ec;
  if (path.has_parent_path()) fs::create_directories(path.parent_path(), ec);
  fs::path tmp = path;
  tmp += ".tmp." + std::to_string(getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << content;
    out.flush();
    if (!out) return MakeError("cannot write {}: {}", tmp.string(), std::strerror(errno));
  }
  fs::rename(tmp, path, ec);
  if (ec) {
    fs::remove(tmp, ec);
    return MakeError("cannot rename {} to {}: {}", tmp.string(), path.string(), ec.message());
  }
  return OkStatus();
}

Result<std::string> ReadFile(const fs::path& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) return MakeError("{}: is a directory, not a file", path.string());
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError("{}: cannot read: {}", path.string(), std::strerror(errno));
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

bool ReadProcFd(int fd, std::string& out) {
  if (out.size() < 4096) out.resize(4096);
  while (true) {
    ssize_t n = pread(fd, out.data(), out.size(), 0);
    if (n <= 0) return false;
    if (static_cast<size_t>(n) < out.size()) {
      out.resize(static_cast<size_t>(n));
      return true;
    }
    out.resize(out.size() * 2);
  }
}

bool ReadProcFile(pid_t pid, const char* name, std::string& out) {
  char path[64];
  std::snprintf(path, sizeof path, "/proc/%d/%s", static_cast<int>(pid), name);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  bool ok = ReadProcFd(fd, out);
  close(fd);
  return ok;
}

std::string TailLines(const fs::path& path, int lines) {
  std::ifstream in(path);
  std::deque<std::string> tail;
  std::string line;
  while (std::getline(in, line)) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    tail.push_back(line);
    if (static_cast<int>(tail.size()) > lines) tail.pop_front();
  }
  std::string out;
  for (const auto& l : tail) out += (out.empty() ? "" : " | ") + l;
  return out.empty() ? "(log is empty)" : out;
}

}  // namespace harness
