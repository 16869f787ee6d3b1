// One PostgreSQL connection driven by an Asio event loop through libpq's asynchronous API: it
// connects (PQconnectStart/PQconnectPoll), prepares the statements of queries.h, and runs them
// in libpq's pipeline mode, waiting for its socket on the loop (asio::posix::stream_descriptor)
// and never inside libpq. No call blocks the thread, save the name lookup of a DATABASE_URL that
// names its host rather than an address (libpq resolves synchronously).
//
// Statements go out with Send(), each followed by a sync point; their results come back in the
// order sent, through the Observer, always from the loop and never from inside a call to this
// class. One thread: the loop's.
#ifndef SERVERS_CPP_BEAST_PG_CONNECTION_H_
#define SERVERS_CPP_BEAST_PG_CONNECTION_H_

#include <libpq-fe.h>

// Boost 1.74's Asio uses std::exchange without including <utility>, which
// C++20 no longer pulls in transitively, so it must come before any Boost.
// clang-format off
#include <utility>
// clang-format on

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>

#include "canceller.h"
#include "queries.h"

namespace cpp_beast {

class PgConnection {
 public:
  class Observer {
   public:
    // Connected, statements prepared: Send() may be called.
    virtual void OnReady(PgConnection& connection) = 0;
    // The outcome of the oldest statement sent: PGRES_TUPLES_OK, or an error the server
    // reported (the connection stays usable). `result` is freed after the call.
    virtual void OnResult(PgConnection& connection, const PGresult& result) = 0;
    // The connection failed, connecting or later, and is closed: what was sent is lost.
    virtual void OnFailed(PgConnection& connection, std::string_view reason) = 0;

   protected:
    ~Observer() = default;
  };

  // `tag` is the observer's, to tell its connections apart.
  PgConnection(boost::asio::io_context& ioc, Observer& observer, int tag);
  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  int tag() const { return tag_; }
  // Statements sent whose results have not all been read.
  int in_flight() const { return statements_in_flight_; }
  // Why the last call that returned false failed.
  const std::string& error() const { return error_; }

  // Starts connecting to `conninfo`, closing any connection first; false if that failed at once.
  bool Connect(const std::string& conninfo);
  // Sends a prepared statement with its parameter, if it has one (a ready connection only),
  // whether or not earlier ones have been answered. False if the connection failed (it is
  // closed; no OnFailed follows for this).
  bool Send(Statement statement, std::string_view param);
  // Asks the server to stop the statement it is running, through `canceller`.
  void Cancel(CancelSink& canceller);
  // Closes at once; no callback follows for anything pending.
  void Close();

 private:
  // What the next PQgetResult must bring, in order.
  enum class Expect { kPrepared, kRows, kEndOfStatement, kSyncPoint };

  void WaitToConnect(bool read);
  void ContinueConnecting();
  void Prepare();
  // Ends what was sent with a sync point and sends it.
  bool Sync();
  void WaitRead();
  void WaitWrite();
  void OnReadable();
  // Takes what libpq has parsed; false if the connection was closed meanwhile (by a failure or
  // by an observer), in which case nothing of this object may be touched any more.
  bool TakeResults();
  bool Flush();
  void Fail(std::string_view reason);
  std::string LibpqError() const;

  boost::asio::posix::stream_descriptor socket_;
  Observer& observer_;
  const int tag_;
  PGconn* conn_ = nullptr;
  // Bumped by Close(): a handler from before that finds it changed returns at once.
  std::uint64_t generation_ = 0;
  bool preparing_ = false;
  bool read_armed_ = false;
  bool write_armed_ = false;
  std::deque<Expect> expected_;
  int statements_in_flight_ = 0;
  std::string param_;  // NUL-terminated for libpq
  std::string error_;
};

}  // namespace cpp_beast

#endif  // SERVERS_CPP_BEAST_PG_CONNECTION_H_
