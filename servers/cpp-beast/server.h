// The HTTP server: THREADS threads, each with its own event loop and its own share of the
// DB_POOL_SIZE database connections, taking connections from one listening socket on
// 127.0.0.1:PORT. No thread ever waits on the database: statements run through libpq's
// asynchronous API on the same loops (database.h).
#ifndef SERVERS_CPP_BEAST_SERVER_H_
#define SERVERS_CPP_BEAST_SERVER_H_

#include <memory>

#include "config.h"

namespace cpp_beast {

class Server {
 public:
  // Binds and listens on 127.0.0.1:config.port; throws (a std::runtime_error) if it cannot,
  // or if config.threads exceeds config.db_pool_size. Does not touch the database.
  explicit Server(const Config& config);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // The bound port (the kernel's choice when config.port was 0).
  unsigned short port() const;

  // Opens the database connections and serves on config.threads threads until Stop() or, if
  // config.handle_signals, SIGTERM/SIGINT; the calling thread waits for signals meanwhile.
  // Requests that arrive before a connection is open wait for one (within the database
  // deadline); while the database is unreachable they get 503. Open connections are dropped
  // when it returns.
  void Run();

  // Makes Run() return soon. Safe from any thread, before or during Run().
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cpp_beast

#endif  // SERVERS_CPP_BEAST_SERVER_H_
