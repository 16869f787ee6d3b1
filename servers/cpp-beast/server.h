// The HTTP server: THREADS threads, each with its own event loop, taking
// connections from one listening socket on 127.0.0.1:PORT, and a UserStore
// for GET /.
#ifndef SERVERS_CPP_BEAST_SERVER_H_
#define SERVERS_CPP_BEAST_SERVER_H_

#include <memory>

#include "config.h"

namespace cpp_beast {

class Server {
 public:
  // Binds and listens on 127.0.0.1:config.port; throws std::system_error if
  // it cannot. Does not touch the database.
  explicit Server(const Config& config);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // The bound port (the kernel's choice when config.port was 0).
  unsigned short port() const;

  // Opens the database pool's connections ahead of the first request; returns
  // how many are up (0 if the database is unreachable; the server still
  // serves, answering 503 until the database returns).
  int ConnectDatabase();

  // Serves on config.threads threads until Stop() or, if
  // config.handle_signals, SIGTERM/SIGINT; the calling thread waits for
  // signals meanwhile. Open connections are dropped.
  void Run();

  // Makes Run() return soon. Safe from any thread, before or during Run().
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cpp_beast

#endif  // SERVERS_CPP_BEAST_SERVER_H_
