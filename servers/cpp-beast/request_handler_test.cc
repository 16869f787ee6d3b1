#include "request_handler.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "seed_users.h"
#include "session_limits.h"

namespace cpp_beast {
namespace {

// Everything the handler has ready, as the session would send it (all of it at once).
std::string TakeOutput(RequestHandler& handler) {
  iovec parts[2 * RequestHandler::kMaxPending];
  const int count = handler.Output(parts, 2 * RequestHandler::kMaxPending);
  std::string out;
  for (int i = 0; i < count; ++i)
    out.append(static_cast<char*>(parts[i].iov_base), parts[i].iov_len);
  handler.Sent(out.size());
  return out;
}

// The status codes of the responses in `out`, in order.
std::vector<int> Statuses(const std::string& out) {
  std::vector<int> statuses;
  for (std::size_t at = 0; (at = out.find("HTTP/1.", at)) != std::string::npos; at += 8) {
    statuses.push_back(std::stoi(out.substr(at + 9, 3)));
  }
  return statuses;
}

std::string Body(const std::string& response) {
  return response.substr(response.find("\r\n\r\n") + 4);
}

// Feeds `input` whole and checks it was all used.
void Feed(RequestHandler& handler, std::string_view input) {
  EXPECT_EQ(handler.Consume(input), input.size()) << input;
}

constexpr std::string_view kGet = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";

TEST(RequestHandlerTest, GetUsersAsksForTheQueryThenAnswersWithTheRows) {
  RequestHandler handler;
  Feed(handler, kGet);
  EXPECT_EQ(TakeOutput(handler), "");  // Nothing before the database answers.
  RequestHandler::Query query;
  ASSERT_TRUE(handler.NextQuery(&query));
  EXPECT_EQ(query.statement, Statement::kUsers);
  EXPECT_FALSE(handler.NextQuery(&query));
  EXPECT_TRUE(handler.awaiting_database());
  const PGresultPtr rows = MakeUsersResult(kSeedUsers);
  handler.CompleteQuery(query.id, rows.get());
  const std::string out = TakeOutput(handler);
  ASSERT_TRUE(out.starts_with("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n")) << out;
  EXPECT_NE(out.find("\r\nContent-Length: 10283\r\n"), std::string::npos);
  EXPECT_EQ(Body(out).size(), kSeedUsersJsonSize);
  const nlohmann::json users = nlohmann::json::parse(Body(out));
  ASSERT_EQ(users.size(), 100u);
  EXPECT_EQ(users[0]["user_id"], kSeedUsers[0].user_id);
  EXPECT_EQ(users[99]["email"], kSeedUsers[99].email);
  EXPECT_FALSE(handler.finished());
  EXPECT_TRUE(handler.wants_input());
}

TEST(RequestHandlerTest, HeadGetsTheHeadOfGetWithoutTheBody) {
  RequestHandler handler;
  Feed(handler, "HEAD / HTTP/1.1\r\nHost: x\r\n\r\n");
  RequestHandler::Query query;
  ASSERT_TRUE(handler.NextQuery(&query));
  handler.CompleteQuery(query.id, MakeUsersResult(kSeedUsers).get());
  const std::string out = TakeOutput(handler);
  EXPECT_TRUE(out.starts_with("HTTP/1.1 200 OK\r\n")) << out;
  EXPECT_NE(out.find("\r\nContent-Length: 10283\r\n"), std::string::npos);
  EXPECT_TRUE(out.ends_with("\r\n\r\n")) << out;
  // And for an error: the head of the 404.
  Feed(handler, "HEAD /nope HTTP/1.1\r\nHost: x\r\n\r\n");
  const std::string not_found = TakeOutput(handler);
  EXPECT_TRUE(not_found.starts_with("HTTP/1.1 404 ")) << not_found;
  EXPECT_TRUE(not_found.ends_with("\r\n\r\n"));
}

TEST(RequestHandlerTest, AbsoluteFormIsServed) {
  RequestHandler handler;
  Feed(handler, "GET http://127.0.0.1:8003/ HTTP/1.1\r\nHost: 127.0.0.1:8003\r\n\r\n");
  RequestHandler::Query query;
  ASSERT_TRUE(handler.NextQuery(&query));
  EXPECT_EQ(query.statement, Statement::kUsers);
}

TEST(RequestHandlerTest, UserByName) {
  RequestHandler handler;
  Feed(handler, "GET /users/user%35 HTTP/1.1\r\nHost: x\r\n\r\n");
  RequestHandler::Query query;
  ASSERT_TRUE(handler.NextQuery(&query));
  EXPECT_EQ(query.statement, Statement::kUserByName);
  EXPECT_EQ(query.param, "user5");
  const SeedUser user5 = {"e4f6b3c2-0000-0000-0000-000000000005", "user5", "user5@example.com"};
  handler.CompleteQuery(query.id, MakeUsersResult({&user5, 1}).get());
  const std::string out = TakeOutput(handler);
  EXPECT_TRUE(out.starts_with("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n")) << out;
  EXPECT_EQ(Body(out), R"({"user_id":"e4f6b3c2-0000-0000-0000-000000000005","username":"user5",)"
                       R"("email":"user5@example.com"})");

  Feed(handler, "GET /users/nobody HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_TRUE(handler.NextQuery(&query));
  handler.CompleteQuery(query.id, MakeUsersResult({}).get());
  const std::string missing = TakeOutput(handler);
  EXPECT_TRUE(missing.starts_with("HTTP/1.1 404 Not Found\r\n")) << missing;
  EXPECT_EQ(Body(missing), "not found\n");
}

TEST(RequestHandlerTest, DatabaseUnavailableIs503) {
  RequestHandler handler;
  Feed(handler, kGet);
  RequestHandler::Query query;
  ASSERT_TRUE(handler.NextQuery(&query));
  handler.CompleteQuery(query.id, nullptr);
  const std::string out = TakeOutput(handler);
  EXPECT_TRUE(out.starts_with("HTTP/1.1 503 Service Unavailable\r\n")) << out;
  EXPECT_EQ(Body(out), "database unavailable\n");
  EXPECT_FALSE(handler.awaiting_database());
}

TEST(RequestHandlerTest, PipelinedResponsesLeaveInRequestOrder) {
  RequestHandler handler;
  Feed(handler,
       "GET / HTTP/1.1\r\nHost: x\r\n\r\n"
       "GET /nope HTTP/1.1\r\nHost: x\r\n\r\n"
       "GET /users/user1 HTTP/1.1\r\nHost: x\r\n\r\n"
       "DELETE / HTTP/1.1\r\nHost: x\r\n\r\n");
  RequestHandler::Query first, second;
  ASSERT_TRUE(handler.NextQuery(&first));
  ASSERT_TRUE(handler.NextQuery(&second));
  // The 404 and 405 are ready but wait behind the first response.
  EXPECT_EQ(TakeOutput(handler), "");
  handler.CompleteQuery(second.id, nullptr);
  EXPECT_EQ(TakeOutput(handler), "");
  handler.CompleteQuery(first.id, MakeUsersResult(kSeedUsers).get());
  EXPECT_EQ(Statuses(TakeOutput(handler)), (std::vector<int>{200, 404, 503, 405}));
}

// A keep-alive client that waits for each answer (oha, and every client in practice) reuses one
// exchange's buffers: the measured run's keep-alive scenario had grown every slot's 12 KiB body
// in turn, 96 KiB per connection, and cpp-beast's anonymous memory past Axum's.
TEST(RequestHandlerTest, OneRequestAtATimeReusesOneExchangesBuffers) {
  RequestHandler handler;
  std::size_t after_first = 0;
  for (int i = 0; i < 3 * RequestHandler::kMaxPending; ++i) {
    Feed(handler, kGet);
    RequestHandler::Query query;
    ASSERT_TRUE(handler.NextQuery(&query));
    handler.CompleteQuery(query.id, MakeUsersResult(kSeedUsers).get());
    ASSERT_EQ(Statuses(TakeOutput(handler)), (std::vector<int>{200}));
    if (i == 0) after_first = handler.BufferCapacity();
  }
  EXPECT_EQ(handler.BufferCapacity(), after_first);
}

// Across a reset of the ring (it drained, so the next exchange starts at slot 0 again):
// pipelined requests completed out of order still leave in request order, and a late answer
// for an exchange already sent changes nothing.
TEST(RequestHandlerTest, PipeliningAfterTheRingDrainedKeepsOrder) {
  RequestHandler handler;
  Feed(handler, kGet);
  RequestHandler::Query early;
  ASSERT_TRUE(handler.NextQuery(&early));
  handler.CompleteQuery(early.id, nullptr);
  ASSERT_EQ(Statuses(TakeOutput(handler)), (std::vector<int>{503}));
  std::string six;
  for (int i = 0; i < 3; ++i) six += std::string(kGet) + "GET /nope HTTP/1.1\r\nHost: x\r\n\r\n";
  Feed(handler, six);
  std::vector<RequestHandler::Query> queries(3);
  for (auto& q : queries) ASSERT_TRUE(handler.NextQuery(&q));
  handler.CompleteQuery(queries[2].id, MakeUsersResult(kSeedUsers).get());
  handler.CompleteQuery(early.id, MakeUsersResult(kSeedUsers).get());  // sent already
  handler.CompleteQuery(queries[1].id, nullptr);
  EXPECT_EQ(TakeOutput(handler), "");
  handler.CompleteQuery(queries[0].id, MakeUsersResult(kSeedUsers).get());
  EXPECT_EQ(Statuses(TakeOutput(handler)), (std::vector<int>{200, 404, 503, 404, 200, 404}));
}

TEST(RequestHandlerTest, StopsReadingWhenTooManyResponsesAreOwed) {
  RequestHandler handler;
  std::string requests;
  for (int i = 0; i < 20; ++i) requests += kGet;
  const std::size_t used = handler.Consume(requests);
  EXPECT_LT(used, requests.size());
  EXPECT_EQ(used % kGet.size(), 0u);
  EXPECT_FALSE(handler.wants_input());
  RequestHandler::Query query;
  int queries = 0;
  while (handler.NextQuery(&query)) {
    handler.CompleteQuery(query.id, nullptr);
    ++queries;
  }
  EXPECT_EQ(static_cast<std::size_t>(queries), used / kGet.size());
  EXPECT_EQ(Statuses(TakeOutput(handler)).size(), static_cast<std::size_t>(queries));
  EXPECT_TRUE(handler.wants_input());
}

TEST(RequestHandlerTest, ConnectionCloseEndsAfterItsResponse) {
  RequestHandler handler;
  Feed(handler, "GET /nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_FALSE(handler.wants_input());
  EXPECT_EQ(handler.Consume(kGet), 0u);  // Nothing after it is read.
  EXPECT_FALSE(handler.finished());      // Not before the response has gone.
  const std::string out = TakeOutput(handler);
  EXPECT_NE(out.find("\r\nConnection: close\r\n"), std::string::npos) << out;
  EXPECT_TRUE(handler.finished());
}

TEST(RequestHandlerTest, Http10) {
  RequestHandler plain;
  Feed(plain, "GET /nope HTTP/1.0\r\n\r\n");  // No Host needed in HTTP/1.0.
  EXPECT_TRUE(TakeOutput(plain).starts_with("HTTP/1.0 404 "));
  EXPECT_TRUE(plain.finished());
  RequestHandler kept;
  Feed(kept, "GET /nope HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
  EXPECT_NE(TakeOutput(kept).find("\r\nConnection: keep-alive\r\n"), std::string::npos);
  EXPECT_FALSE(kept.finished());
}

TEST(RequestHandlerTest, EndOfInputStillAnswersWhatWasAsked) {
  RequestHandler handler;
  Feed(handler, kGet);
  handler.Consume("GET / HT");
  EXPECT_TRUE(handler.mid_request());
  handler.EndOfInput();
  EXPECT_FALSE(handler.mid_request());  // The request cut short is dropped.
  RequestHandler::Query query;
  ASSERT_TRUE(handler.NextQuery(&query));
  EXPECT_FALSE(handler.NextQuery(&query));
  handler.CompleteQuery(query.id, nullptr);
  EXPECT_FALSE(handler.finished());
  EXPECT_EQ(Statuses(TakeOutput(handler)), std::vector<int>{503});
  EXPECT_TRUE(handler.finished());
}

// As a session feeds it: what arrived so far, less what the handler used.
TEST(RequestHandlerTest, RequestInPieces) {
  RequestHandler handler;
  std::string buffer;
  for (std::string_view piece : {"GET /no", "pe HTTP/1.1\r", "\nHost: x\r\n", "\r", "\n"}) {
    buffer += piece;
    buffer.erase(0, handler.Consume(buffer));
    if (buffer.empty()) break;
    EXPECT_TRUE(handler.mid_request()) << buffer;
  }
  EXPECT_FALSE(handler.mid_request());
  EXPECT_EQ(buffer, "");
  EXPECT_EQ(Statuses(TakeOutput(handler)), std::vector<int>{404});
}

TEST(RequestHandlerTest, AnEmptyLineBeforeARequestIsIgnored) {
  RequestHandler handler;
  EXPECT_EQ(handler.Consume("\r"), 0u);  // Could still be an empty line.
  Feed(handler, "\r\nGET /nope HTTP/1.1\r\nHost: x\r\n\r\n\nGET /nope HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(Statuses(TakeOutput(handler)), (std::vector<int>{404, 404}));
  // More than one is not a request.
  handler.Consume("\r\n\r\nGET /nope HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(Statuses(TakeOutput(handler)), std::vector<int>{400});
  EXPECT_TRUE(handler.finished());
}

TEST(RequestHandlerTest, BodiesAreReadAndDropped) {
  RequestHandler handler;
  Feed(handler,
       "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"
       "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"
       "GET /nope HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(Statuses(TakeOutput(handler)), (std::vector<int>{405, 405, 404}));
  EXPECT_TRUE(handler.wants_input());
}

TEST(RequestHandlerTest, ExpectContinueGetsA100BeforeTheBody) {
  RequestHandler handler;
  Feed(handler, "POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n");
  EXPECT_EQ(TakeOutput(handler), "HTTP/1.1 100 Continue\r\n\r\n");
  Feed(handler, "{}");
  EXPECT_EQ(Statuses(TakeOutput(handler)), std::vector<int>{405});
  // A client that sent the body at once gets no 100.
  Feed(handler,
       "POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n{}");
  EXPECT_EQ(Statuses(TakeOutput(handler)), std::vector<int>{405});
}

// Requests RFC 9112 says a server must refuse: 400, then the connection closes.
TEST(RequestHandlerTest, FramingAndHostErrorsAre400AndClose) {
  for (const char* request : {
           "GET / HTTP/1.1\r\n\r\n",                                        // no Host (§3.2)
           "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",                  // two Hosts
           "GET / HTTP/1.1\r\nHost: a b\r\n\r\n",                           // an invalid Host
           "GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n",  // not chunked (§6.3)
           "GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n",
           "GET / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",  // in 1.0 (§6.1)
           "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
           "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n",
           "GET /#frag HTTP/1.1\r\nHost: x\r\n\r\n",  // not a valid request-target (§3.2)
           "GET x:80 HTTP/1.1\r\nHost: x\r\n\r\n",
           "GET / HTTP/1.1\r\nHost : x\r\n\r\n",  // whitespace before the colon (§5.1)
           "\x16\x03\x01 garbage\r\n\r\n",
       }) {
    RequestHandler handler;
    handler.Consume(request);
    const std::string out = TakeOutput(handler);
    EXPECT_EQ(Statuses(out), std::vector<int>{400}) << request << "\n" << out;
    if (out.starts_with("HTTP/1.1")) {  // HTTP/1.0 closes unless asked otherwise.
      EXPECT_NE(out.find("\r\nConnection: close\r\n"), std::string::npos) << request;
    }
    EXPECT_TRUE(handler.finished()) << request;
  }
}

TEST(RequestHandlerTest, Limits) {
  struct Case {
    std::string request;
    int status;
  };
  for (const Case& c : std::vector<Case>{
           {"GET /" + std::string(9000, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n", 414},
           {"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(9000, 'a') + "\r\n\r\n", 431},
           // A long request-line that ends, then headers past the limit.
           {"GET /" + std::string(5000, 'a') + " HTTP/1.1\r\nX-Big: " + std::string(4000, 'a'),
            431},
           {"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n", 413},
       }) {
    // Fed as a session would, 4 KiB at a time.
    RequestHandler handler;
    std::string buffer;
    for (std::size_t at = 0; at < c.request.size() && handler.wants_input(); at += kReadChunk) {
      buffer += c.request.substr(at, kReadChunk);
      buffer.erase(0, handler.Consume(buffer));
    }
    EXPECT_EQ(Statuses(TakeOutput(handler)), std::vector<int>{c.status}) << c.request.size();
    EXPECT_TRUE(handler.finished());
  }
}

TEST(RequestHandlerTest, MethodsAndPaths) {
  RequestHandler handler;
  Feed(handler,
       "GET /nope HTTP/1.1\r\nHost: x\r\n\r\n"
       "DELETE / HTTP/1.1\r\nHost: x\r\n\r\n"
       "OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n"
       "FOO / HTTP/1.1\r\nHost: x\r\n\r\n"
       "CONNECT 127.0.0.1:443 HTTP/1.1\r\nHost: 127.0.0.1:443\r\n\r\n");
  const std::string out = TakeOutput(handler);
  EXPECT_EQ(Statuses(out), (std::vector<int>{404, 405, 404, 501, 501}));
  EXPECT_NE(out.find("\r\nAllow: GET, HEAD\r\n"), std::string::npos);
}

}  // namespace
}  // namespace cpp_beast
