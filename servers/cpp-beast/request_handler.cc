#include "request_handler.h"

#include <boost/beast/http/error.hpp>

#include "http_date.h"
#include "http_response.h"
#include "route.h"
#include "session_limits.h"
#include "users_json.h"

namespace cpp_beast {
namespace {

namespace http = boost::beast::http;

Method MethodOf(http::verb verb) {
  if (verb == http::verb::get || verb == http::verb::head) return Method::kGetOrHead;
  if (verb == http::verb::unknown || verb == http::verb::connect) return Method::kNotImplemented;
  return Method::kOther;
}

}  // namespace

RequestHandler::RequestHandler() {
  // The first exchange serves every request of a connection that does not pipeline.
  ring_[0].head.reserve(kHeadReserve);
}

bool RequestHandler::wants_input() const {
  // Room for the request's response and for a 100 (Continue) before it.
  return reading_ && pending_ <= kMaxPending - 2;
}

std::size_t RequestHandler::Consume(std::string_view input) {
  std::size_t used = 0;
  while (wants_input() && used < input.size()) {
    const std::string_view rest = input.substr(used);
    if (!parser_) {
      // RFC 9112 §2.2: a server SHOULD ignore at least one empty line received before a
      // request-line. One: a stream of them is garbage, and gets 400 like any other.
      if (!skipped_empty_line_ && (rest[0] == '\n' || rest.starts_with("\r\n"))) {
        used += rest[0] == '\n' ? 1 : 2;
        skipped_empty_line_ = true;
        continue;
      }
      if (!skipped_empty_line_ && rest == "\r") break;  // The next byte tells.
      // A parser reads one message, so each request gets a fresh one.
      parser_.emplace(&target_);
      parser_->header_limit(kHeaderLimit);
      parser_->body_limit(kBodyLimit);
      parser_->eager(true);
      continue_sent_ = false;
    }
    boost::beast::error_code ec;
    const std::size_t n = parser_->put(boost::asio::const_buffer(rest.data(), rest.size()), ec);
    used += n;
    if (ec && ec != http::error::need_more) {
      RespondToMalformed(ec, rest);
      break;
    }
    if (parser_->is_done()) {
      FinishRequest();
      continue;
    }
    // RFC 9110 §10.1.1: a client waiting for 100 (Continue) before sending the content gets it
    // now (a client that sent the content at once finds the request already done, above).
    if (parser_->is_header_done() && parser_->expects_continue() && !continue_sent_ &&
        parser_->version() >= 11) {
      Push().head.assign(kContinueResponse);
      continue_sent_ = true;
    }
    if (n == 0) break;
  }
  return used;
}

void RequestHandler::EndOfInput() {
  reading_ = false;
  parser_.reset();  // A request cut short gets no answer.
}

RequestHandler::Exchange& RequestHandler::Push() {
  if (pending_ == 0) base_ = next_id_;
  Exchange& exchange = Find(next_id_);
  exchange.id = next_id_++;
  exchange.state = Exchange::State::kReady;
  exchange.version = 11;
  exchange.keep_alive = true;
  exchange.head_only = false;
  exchange.head.clear();
  exchange.body.clear();
  ++pending_;
  return exchange;
}

void RequestHandler::FinishRequest() {
  const RequestParser& request = *parser_;
  Exchange& exchange = Push();
  exchange.version = request.version();
  exchange.keep_alive = request.keep_alive();
  exchange.head_only = request.method() == http::verb::head;
  int status = 0;
  if ((request.version() >= 11 && request.host_fields() == 0) || request.host_fields() > 1 ||
      !request.host_valid()) {
    status = 400;  // RFC 9112 §3.2: no Host in HTTP/1.1, several, or an invalid one.
  } else if (request.has_transfer_encoding() && (!request.chunked() || request.version() < 11)) {
    // RFC 9112 §6.3: a final coding other than chunked leaves the length unknown; §6.1: in
    // HTTP/1.0 Transfer-Encoding means faulty framing. Either way 400, then close.
    status = 400;
  } else {
    switch (RouteRequest(MethodOf(request.method()), target_, &username_)) {
      case Route::kUsers:
        exchange.statement = Statement::kUsers;
        exchange.state = Exchange::State::kNeedsQuery;
        break;
      case Route::kUserByName:
        exchange.statement = Statement::kUserByName;
        exchange.param.swap(username_);  // The two strings keep their capacity in turn.
        exchange.state = Exchange::State::kNeedsQuery;
        break;
      case Route::kNotFound:
        status = 404;
        break;
      case Route::kMethodNotAllowed:
        status = 405;
        break;
      case Route::kNotImplemented:
        status = 501;
        break;
      case Route::kBadTarget:
        status = 400;  // RFC 9112 §3: an invalid request-line SHOULD get 400.
        break;
    }
  }
  parser_.reset();
  skipped_empty_line_ = false;
  if (status == 400) exchange.keep_alive = false;
  if (!exchange.keep_alive) reading_ = false;
  if (exchange.state == Exchange::State::kNeedsQuery) {
    ++querying_;
  } else {
    Respond(exchange, status, "text/plain");
  }
}

void RequestHandler::RespondToMalformed(const boost::beast::error_code& ec,
                                        std::string_view unparsed) {
  int status = 400;
  if (ec == http::error::header_limit) {
    // RFC 9112 §3: a request-target longer than the server will parse MUST get 414. Beast
    // parses the request-line early or with the whole header, so either it has, or the bytes
    // it has not consumed start with it.
    const bool line_ended = parser_->got_request_line() ||
                            unparsed.substr(0, kHeaderLimit).find('\n') != std::string_view::npos;
    status = line_ended ? 431 : 414;
  } else if (ec == http::error::body_limit) {
    status = 413;
  }
  parser_.reset();
  reading_ = false;
  // The version may not have been parsed: answer as HTTP/1.1.
  Exchange& exchange = Push();
  exchange.keep_alive = false;
  Respond(exchange, status, "text/plain");
}

bool RequestHandler::NextQuery(Query* query) {
  for (std::uint64_t id = std::max(next_query_, front_); id < next_id_; ++id) {
    Exchange& exchange = Find(id);
    if (exchange.state != Exchange::State::kNeedsQuery) continue;
    exchange.state = Exchange::State::kQuerying;
    *query = {exchange.id, exchange.statement, exchange.param};
    next_query_ = id + 1;
    return true;
  }
  next_query_ = next_id_;
  return false;
}

void RequestHandler::CompleteQuery(std::uint64_t id, const PGresult* result) {
  if (id < front_ || id >= next_id_) return;
  Exchange& exchange = Find(id);
  if (exchange.state != Exchange::State::kQuerying) return;
  --querying_;
  if (result == nullptr) return Respond(exchange, 503, "text/plain");
  if (exchange.statement == Statement::kUsers) {
    exchange.body.reserve(kBodyReserve);
    AppendUsersJson(*result, &exchange.body);
  } else if (PQntuples(result) == 0) {
    return Respond(exchange, 404, "text/plain");
  } else {
    AppendUserJson(*result, 0, &exchange.body);
  }
  Respond(exchange, 200, "application/json");
}

void RequestHandler::Respond(Exchange& exchange, int status, std::string_view content_type) {
  if (status != 200) exchange.body.assign(ErrorBody(status));
  // HEAD gets the head GET would (RFC 9110 §9.3.2), Content-Length included; Output() leaves
  // the body out.
  AppendResponseHead({.status = status,
                      .content_type = content_type,
                      .content_length = exchange.body.size(),
                      .version = exchange.version,
                      .keep_alive = exchange.keep_alive},
                     CachedHttpDate(), &exchange.head);
  exchange.state = Exchange::State::kReady;
}

int RequestHandler::Output(iovec* parts, int max) const {
  int count = 0;
  std::size_t skip = sent_;
  const auto add = [&](const std::string& bytes) {
    if (skip >= bytes.size()) {
      skip -= bytes.size();
      return;
    }
    parts[count++] = {const_cast<char*>(bytes.data()) + skip, bytes.size() - skip};
    skip = 0;
  };
  for (std::uint64_t id = front_; id < next_id_ && count + 2 <= max; ++id) {
    const Exchange& exchange = Find(id);
    if (exchange.state != Exchange::State::kReady) break;
    add(exchange.head);
    if (!exchange.head_only) add(exchange.body);
  }
  return count;
}

void RequestHandler::Sent(std::size_t bytes) {
  sent_ += bytes;
  while (pending_ > 0) {
    const Exchange& exchange = Find(front_);
    const std::size_t size = exchange.head.size() + (exchange.head_only ? 0 : exchange.body.size());
    if (exchange.state != Exchange::State::kReady || sent_ < size) break;
    sent_ -= size;
    ++front_;
    --pending_;
  }
}

std::size_t RequestHandler::BufferCapacity() const {
  std::size_t bytes = 0;
  for (const Exchange& exchange : ring_)
    bytes += exchange.head.capacity() + exchange.body.capacity();
  return bytes;
}

}  // namespace cpp_beast
