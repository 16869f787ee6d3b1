// Server settings, read from the environment (see README.md).
#ifndef SERVERS_CPP_BEAST_CONFIG_H_
#define SERVERS_CPP_BEAST_CONFIG_H_

#include <chrono>
#include <functional>
#include <optional>
#include <string>

namespace cpp_beast {

struct Config {
  unsigned short port = 0;  // 0 asks the kernel for a free port (tests).
  std::string database_url;
  int db_pool_size = 5;
  int threads = 5;
  std::chrono::microseconds inject_delay{0};
  // Idle/slow-client limit per read and per write.
  std::chrono::seconds io_timeout{30};
  // Off in tests so a test binary keeps its default SIGINT behaviour.
  bool handle_signals = true;
};

// Looks a variable up; returns nullptr when it is unset.
using EnvLookup = std::function<const char*(const char*)>;

// Builds a Config from PORT (required), DATABASE_URL (required), DB_POOL_SIZE
// (default 5), THREADS (default DB_POOL_SIZE) and INJECT_DELAY_US (default 0).
// On a missing or malformed value returns nullopt and sets `*error` to a
// message naming the variable.
std::optional<Config> ConfigFromEnv(const EnvLookup& getenv, std::string* error);

}  // namespace cpp_beast

#endif  // SERVERS_CPP_BEAST_CONFIG_H_
