// What the log says about the database, for the whole server (every thread's connections): one
// line when it goes down, with the reason (the reason for the 503s that follow), and one when
// it is back; never a line per request. 503s for other reasons (a full queue, a wait past the
// deadline while connections are up) are logged too, at most one line per 10 s.
//
// Thread-safe. The per-request call, QueryAnswered(), is one relaxed atomic load unless the
// database was down.
#ifndef SERVERS_CPP_BEAST_DB_STATUS_H_
#define SERVERS_CPP_BEAST_DB_STATUS_H_

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>

namespace cpp_beast {

class DatabaseStatus {
 public:
  using Sink = std::function<void(const std::string& line)>;

  // Lines go to `sink`, or to stderr when it is empty.
  explicit DatabaseStatus(Sink sink = {});

  // A connection opened (and prepared its statements).
  void ConnectionUp();
  // A connection that was up failed. That alone is not the database down: it is reopened at
  // once, and a database that restarted accepts it.
  void ConnectionLost();
  // A connection attempt failed; the database is down if no connection is up.
  void ConnectFailed(std::string_view reason);
  // A statement ran past its deadline: the database is down, whatever the connections say.
  void QueryTimedOut(std::string_view reason);
  // A statement was answered.
  void QueryAnswered() {
    if (down_.load(std::memory_order_relaxed)) MarkUp();
  }
  // A request got 503 for `reason` while the database is not down.
  void Refused(std::string_view reason);

  bool down() const { return down_.load(std::memory_order_relaxed); }
  // Connections up across the server: what "down" is judged by when a connection fails.
  int connections_up();

 private:
  void MarkUp();
  void MarkDown(std::string_view reason);  // mu_ held
  void Log(const std::string& line);

  const Sink sink_;
  std::atomic<bool> down_{false};
  std::mutex mu_;
  int connections_up_ = 0;                                   // Guarded by mu_.
  std::chrono::steady_clock::time_point down_since_;         // Guarded by mu_.
  std::chrono::steady_clock::time_point last_refusal_line_;  // Guarded by mu_.
  long refusals_unlogged_ = 0;                               // Guarded by mu_.
};

}  // namespace cpp_beast

#endif  // SERVERS_CPP_BEAST_DB_STATUS_H_
