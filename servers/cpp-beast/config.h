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
  // The IPv4 address it listens on: 127.0.0.1 unless a run places it on a host of its own.
  std::string host = "127.0.0.1";
  std::string database_url;
  int db_pool_size = 5;
  int threads = 2;  // at most db_pool_size: each thread needs a connection of its own
  std::chrono::microseconds inject_delay{0};
  // Idle/slow-client limit per read and per write.
  std::chrono::seconds io_timeout{30};
  // How long a request may wait for the database, queue included, before it gets 503.
  std::chrono::milliseconds db_timeout{1000};
  // Statements a database connection may have in flight at once (libpq pipeline mode). 2: a
  // backend finds the next statement waiting when it ends one, which held the sweep's 90% point
  // where 1 did not (README.md, Pipeline mode).
  int pipeline_depth = 2;
  // Off in tests so a test binary keeps its default SIGINT behaviour.
  bool handle_signals = true;
};

// Looks a variable up; returns nullptr when it is unset.
using EnvLookup = std::function<const char*(const char*)>;

// Builds a Config from PORT (required), HOST (default 127.0.0.1; an IPv4 address, never
// 0.0.0.0), DATABASE_URL (required), DB_POOL_SIZE
// (default 5), THREADS (default: the CPUs this process may use, at most DB_POOL_SIZE; more than
// DB_POOL_SIZE is an error), INJECT_DELAY_US (default 0) and PIPELINE_DEPTH (default 2).
// On a missing or malformed value returns nullopt and sets `*error` to a
// message naming the variable.
std::optional<Config> ConfigFromEnv(const EnvLookup& getenv, std::string* error);

}  // namespace cpp_beast

#endif  // SERVERS_CPP_BEAST_CONFIG_H_
