// cpp-beast: the benchmark's C++ server. Configuration is by environment
// variable; see README.md.
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <optional>
#include <string>

#include "config.h"
#include "server.h"

int main() {
  // Asio and libpq already avoid SIGPIPE on their sockets; this is a backstop
  // so a client vanishing mid-write can never kill the server.
  std::signal(SIGPIPE, SIG_IGN);
  std::string error;
  const std::optional<cpp_beast::Config> config =
      cpp_beast::ConfigFromEnv([](const char* name) { return std::getenv(name); }, &error);
  if (!config) {
    std::fprintf(stderr, "cpp-beast: %s\n", error.c_str());
    return 2;
  }
  try {
    cpp_beast::Server server(*config);
    std::fprintf(stderr,
                 "cpp-beast: listening on %s:%u, threads=%d, db_pool=%d, pipeline_depth=%d\n",
                 config->host.c_str(), server.port(), config->threads, config->db_pool_size,
                 config->pipeline_depth);
    server.Run();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "cpp-beast: cannot serve on %s:%u: %s\n", config->host.c_str(),
                 config->port, e.what());
    return 1;
  }
  return 0;
}
