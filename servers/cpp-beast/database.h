// One worker thread's share of the PostgreSQL connection pool, on that thread's event loop: its
// connections (PgConnection), and the requests waiting for one, served in arrival order.
//
// Every request gets its answer within `timeout` of reaching the queue: the rows, or nullptr
// (503) when the database is down, when the queue is full, or when no connection answered in
// time, in which case the statements in flight on that connection are cancelled (PQcancel), one
// at a time, and the connection reused once each cancel is seen to have taken; otherwise (a
// statement ended before its cancel landed, which could then stop the next one) it is reopened. A
// connection that breaks reopens at once, and the statements it lost are retried once (so a
// database restart costs no 503); one that fails to open tries again every 250 ms. While none of
// this thread's connections is open or opening, requests get 503 at once.
//
// One thread: the loop's. Answers are delivered from the loop, never from inside Submit().
#ifndef SERVERS_CPP_BEAST_DATABASE_H_
#define SERVERS_CPP_BEAST_DATABASE_H_

#include <libpq-fe.h>

// Boost 1.74's Asio uses std::exchange without including <utility>, which
// C++20 no longer pulls in transitively, so it must come before any Boost.
// clang-format off
#include <utility>
// clang-format on

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "canceller.h"
#include "db_status.h"
#include "pg_connection.h"
#include "queries.h"

namespace cpp_beast {

// Whoever submits requests: a connection's session.
class QueryClient {
 public:
  // The answer to request `id`: a PGRES_TUPLES_OK result, valid during the call only, or
  // nullptr when the database could not answer.
  virtual void OnQueryDone(std::uint64_t id, const PGresult* result) = 0;
  // True once the client wants no answers any more: its waiting requests are skipped.
  virtual bool abandoned() const = 0;

 protected:
  ~QueryClient() = default;
};

class Database final : private PgConnection::Observer {
 public:
  struct Options {
    std::string conninfo;
    int connections = 1;
    std::chrono::milliseconds timeout{1000};          // queue and statement, per request
    std::chrono::milliseconds connect_timeout{2000};  // connection and preparations
    std::size_t queue_limit = 1024;
    // Statements one connection may have in flight (libpq pipeline mode): 1 sends the next
    // only once the previous has been answered.
    int pipeline_depth = 1;
    // Waits this long before queueing each request (a knob for testing the regression gate).
    std::chrono::microseconds inject_delay{0};
  };

  Database(boost::asio::io_context& ioc, Options options, DatabaseStatus& status,
           CancelSink& canceller);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Starts opening the connections. On the loop's thread.
  void Start();

  // Runs `statement` with `param` for `client`, which gets OnQueryDone(id, ...) later.
  void Submit(std::shared_ptr<QueryClient> client, std::uint64_t id, Statement statement,
              std::string_view param);

  // Connections open and ready (for tests).
  int ready_connections() const;

 private:
  using Clock = std::chrono::steady_clock;
  struct Request {
    std::shared_ptr<QueryClient> client;
    std::uint64_t id = 0;
    Statement statement = Statement::kUsers;
    std::string param;
    Clock::time_point deadline;
    // Set when a connection broke under it: it is retried once, on a connection opened later.
    std::optional<Clock::time_point> retry_after;
  };
  struct Slot;

  void OnReady(PgConnection& connection) override;
  void OnResult(PgConnection& connection, const PGresult& result) override;
  void OnFailed(PgConnection& connection, std::string_view reason) override;

  void Enqueue(Request request);
  void Dispatch();
  Slot* LeastBusy(const Request& request);
  bool AnyUsable() const;
  void StartConnecting(Slot& slot);
  // By value: a reason from a PgConnection is its error(), which reconnecting overwrites.
  void ConnectFailed(Slot& slot, std::string reason);
  void ConnectionBroke(Slot& slot, std::string reason);
  void TimeOut(Slot& slot);
  void SendCancel(Slot& slot);
  void Fail(Request request, std::string_view reason);
  void FailQueue(std::string_view reason);
  void ArmTick();
  void OnTick();

  boost::asio::io_context& ioc_;
  const Options options_;
  DatabaseStatus& status_;
  CancelSink& canceller_;
  std::vector<std::unique_ptr<Slot>> slots_;
  std::deque<Request> queue_;
  // Deadlines, connection timeouts and retries are checked every 100 ms while anything is
  // outstanding, rather than with a timer per request.
  boost::asio::steady_timer tick_;
  bool tick_armed_ = false;
};

}  // namespace cpp_beast

#endif  // SERVERS_CPP_BEAST_DATABASE_H_
