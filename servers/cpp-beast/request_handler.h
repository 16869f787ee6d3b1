// The HTTP/1.1 side of one connection, free of I/O (RFC 9110, RFC 9112): the session feeds it
// the bytes it reads and sends the bytes it is given. Parsing, routing and rendering live here.
// A request that needs the database yields a query for the session to run; responses leave in
// request order, so a client's pipelined requests can wait on the database together.
//
// Typical use, for each batch of bytes read:
//   input.consume(handler.Consume(input));
//   while (handler.NextQuery(&query)) run it; later handler.CompleteQuery(query.id, result);
//   send what Output() gives, report it with Sent(); close once finished().
//
// Not thread-safe: one connection, one thread.
#ifndef SERVERS_CPP_BEAST_REQUEST_HANDLER_H_
#define SERVERS_CPP_BEAST_REQUEST_HANDLER_H_

#include <libpq-fe.h>
#include <sys/uio.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "queries.h"
#include "request_parser.h"

namespace cpp_beast {

class RequestHandler {
 public:
  // Responses a connection may owe at once (interim 100s included). A client pipelining more
  // is not read until some have gone out.
  static constexpr int kMaxPending = 8;

  struct Query {
    std::uint64_t id;
    Statement statement;
    std::string_view param;  // valid until this request's response has been sent
  };

  RequestHandler();

  // Parses requests from the front of `input` and returns how many bytes it used; the rest is an
  // incomplete request, or input it does not want yet (see wants_input()).
  std::size_t Consume(std::string_view input);

  // Whether Consume would use more input: false once the connection is ending (Connection:
  // close, HTTP/1.0 without keep-alive, a malformed request, the end of input) and while
  // kMaxPending responses are owed.
  bool wants_input() const;

  // The peer sent its last byte: the responses owed are still sent, then the connection ends.
  void EndOfInput();

  // The oldest request whose query has not been handed out; false if there is none.
  bool NextQuery(Query* query);

  // The outcome of query `id`: its PGRES_TUPLES_OK result, or nullptr when the database could
  // not answer (503). Ignores an id it does not know.
  void CompleteQuery(std::uint64_t id, const PGresult* result);

  // Fills `parts` (up to `max`) with the bytes ready to send, in order: the unsent rest of each
  // ready response at the front. Returns the number of parts.
  int Output(iovec* parts, int max) const;
  // The first `bytes` of that output have been sent.
  void Sent(std::size_t bytes);

  // Every response owed has been sent and nothing more will be read: close the connection.
  bool finished() const { return !reading_ && pending_ == 0; }
  // A response is waiting for the database.
  bool awaiting_database() const { return querying_ > 0; }
  // Part of a request has arrived, not all of it.
  bool mid_request() const { return parser_.has_value() && parser_->got_some(); }
  // Requests received whole so far (counting the 100 Continue of one whose body is to come).
  std::uint64_t requests_received() const { return next_id_; }
  // The bytes its exchanges keep allocated for heads and bodies (memory tests).
  std::size_t BufferCapacity() const;

 private:
  struct Exchange {
    enum class State { kNeedsQuery, kQuerying, kReady };
    State state = State::kReady;
    std::uint64_t id = 0;
    Statement statement = Statement::kUsers;
    std::string param;
    int version = 11;
    bool keep_alive = true;  // false: the connection ends after this response
    bool head_only = false;  // HEAD: the head of what GET would answer
    std::string head;
    std::string body;
  };

  // Starts a new exchange at the back; its state is kReady until set otherwise.
  Exchange& Push();
  Exchange& Find(std::uint64_t id) { return ring_[(id - base_) % kMaxPending]; }
  const Exchange& Find(std::uint64_t id) const { return ring_[(id - base_) % kMaxPending]; }
  void FinishRequest();
  void RespondToMalformed(const boost::beast::error_code& ec, std::string_view unparsed);
  void Respond(Exchange& exchange, int status, std::string_view content_type);

  std::array<Exchange, kMaxPending> ring_;
  // The id slot 0 holds. Reset when the ring drains, so that a connection that does not
  // pipeline (every keep-alive client in practice) reuses one slot and its body's capacity,
  // instead of growing all kMaxPending bodies in turn.
  std::uint64_t base_ = 0;
  std::uint64_t front_ = 0;       // id of the oldest response owed
  std::uint64_t next_id_ = 0;     // id the next exchange gets
  int pending_ = 0;               // exchanges in the ring
  int querying_ = 0;              // of them, waiting for the database
  std::uint64_t next_query_ = 0;  // no exchange before this id needs a query handed out
  std::size_t sent_ = 0;          // bytes of the front exchange already sent
  bool reading_ = true;

  std::string target_;  // the parser's; capacity kept between requests
  std::string username_;
  std::optional<RequestParser> parser_;  // the request being received
  bool continue_sent_ = false;           // for the request being received
  bool skipped_empty_line_ = false;      // before the request being received
};

}  // namespace cpp_beast

#endif  // SERVERS_CPP_BEAST_REQUEST_HANDLER_H_
