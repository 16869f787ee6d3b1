// The request path between recv and sendmsg, through the RequestHandler the server's sessions
// use: parse, route, render the statement's rows, response head. No sockets and no database:
// the rows come from a libpq result made in memory (seed_users.h), so rendering pays libpq's
// field accessors as it does in the server.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "http_date.h"
#include "http_response.h"
#include "request_handler.h"
#include "request_parser.h"
#include "route.h"
#include "seed_users.h"
#include "session_limits.h"

namespace cpp_beast {
namespace {

// What oha 1.15 sends for `oha http://127.0.0.1:8003/`, byte for byte (captured), and with
// --disable-keepalive, as the default benchmark runs it.
constexpr std::string_view kOhaGet =
    "GET / HTTP/1.1\r\n"
    "accept: */*\r\n"
    "accept-encoding: gzip, compress, deflate, br\r\n"
    "user-agent: oha/1.15.0\r\n"
    "host: 127.0.0.1:8003\r\n\r\n";
constexpr std::string_view kOhaGetClose =
    "GET / HTTP/1.1\r\n"
    "accept: */*\r\n"
    "accept-encoding: gzip, compress, deflate, br\r\n"
    "user-agent: oha/1.15.0\r\n"
    "connection: close\r\n"
    "host: 127.0.0.1:8003\r\n\r\n";
constexpr std::string_view kOhaGetUser =
    "GET /users/user42 HTTP/1.1\r\n"
    "accept: */*\r\n"
    "accept-encoding: gzip, compress, deflate, br\r\n"
    "user-agent: oha/1.15.0\r\n"
    "host: 127.0.0.1:8003\r\n\r\n";

constexpr SeedUser kUser42 = {"a1d0c6e8-3f02-7327-d846-1063f4ac58a6", "user42",
                              "user42@example.com"};

void SetRequestCounters(benchmark::State& state, std::size_t bytes) {
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
}

// Beast's parser with the handler's field callbacks, on one request.
void BM_ParseRequest(benchmark::State& state, std::string_view request) {
  std::string target;
  for (auto _ : state) {
    RequestParser parser(&target);
    parser.header_limit(kHeaderLimit);
    parser.body_limit(kBodyLimit);
    parser.eager(true);
    boost::beast::error_code ec;
    parser.put(boost::asio::const_buffer(request.data(), request.size()), ec);
    if (ec || !parser.is_done()) {
      state.SkipWithError("request did not parse");
      break;
    }
    benchmark::DoNotOptimize(parser.keep_alive());
  }
  SetRequestCounters(state, request.size());
}
BENCHMARK_CAPTURE(BM_ParseRequest, oha_keepalive, kOhaGet);
BENCHMARK_CAPTURE(BM_ParseRequest, oha_close, kOhaGetClose);

void BM_RouteRequest(benchmark::State& state, std::string_view target) {
  std::string username;
  for (auto _ : state) {
    benchmark::DoNotOptimize(RouteRequest(Method::kGetOrHead, target, &username));
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK_CAPTURE(BM_RouteRequest, root, std::string_view("/"));
BENCHMARK_CAPTURE(BM_RouteRequest, user, std::string_view("/users/user1234"));
BENCHMARK_CAPTURE(BM_RouteRequest, absolute, std::string_view("http://127.0.0.1:8003/"));

// The 200's head for GET /, with the cached Date.
void BM_AppendResponseHead(benchmark::State& state) {
  std::string head;
  head.reserve(kHeadReserve);
  for (auto _ : state) {
    head.clear();
    AppendResponseHead({.status = 200,
                        .content_type = "application/json",
                        .content_length = kSeedUsersJsonSize,
                        .version = 11,
                        .keep_alive = true},
                       CachedHttpDate(), &head);
    benchmark::DoNotOptimize(head.data());
    benchmark::ClobberMemory();
  }
  SetRequestCounters(state, head.size());
}
BENCHMARK(BM_AppendResponseHead);

// A connection's handler made and dropped: what accepting costs before the first byte.
void BM_NewRequestHandler(benchmark::State& state) {
  for (auto _ : state) {
    auto handler = std::make_unique<RequestHandler>();
    benchmark::DoNotOptimize(handler.get());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_NewRequestHandler);

// One request as a session handles it: Consume, NextQuery, CompleteQuery with the statement's
// rows, Output (what sendmsg would send, not copied), Sent. Keep-alive requests reuse their
// connection's handler; with `Connection: close` (oha --disable-keepalive) each request comes on
// a new connection and so gets a new handler.
void BM_HandleRequest(benchmark::State& state, std::string_view request, const PGresult* rows,
                      bool new_connection) {
  auto handler = std::make_unique<RequestHandler>();
  std::size_t response_bytes = 0;
  for (auto _ : state) {
    if (new_connection) handler = std::make_unique<RequestHandler>();
    RequestHandler::Query query;
    if (handler->Consume(request) != request.size() || !handler->NextQuery(&query)) {
      state.SkipWithError("the request did not ask for a statement");
      break;
    }
    handler->CompleteQuery(query.id, rows);
    iovec parts[2 * RequestHandler::kMaxPending];
    const int count = handler->Output(parts, 2 * RequestHandler::kMaxPending);
    response_bytes = 0;
    for (int i = 0; i < count; ++i) response_bytes += parts[i].iov_len;
    benchmark::DoNotOptimize(parts);
    handler->Sent(response_bytes);
    if (handler->finished() != new_connection) {
      state.SkipWithError("the connection handling is not the one benchmarked");
      break;
    }
  }
  SetRequestCounters(state, response_bytes);
  state.counters["response_bytes"] = static_cast<double>(response_bytes);
}

const PGresult* SeedRows() {
  static const PGresultPtr rows = MakeUsersResult(kSeedUsers);
  return rows.get();
}

const PGresult* User42() {
  static const PGresultPtr rows = MakeUsersResult({&kUser42, 1});
  return rows.get();
}

BENCHMARK_CAPTURE(BM_HandleRequest, oha_keepalive, kOhaGet, SeedRows(), false);
BENCHMARK_CAPTURE(BM_HandleRequest, oha_close, kOhaGetClose, SeedRows(), true);
BENCHMARK_CAPTURE(BM_HandleRequest, user_keepalive, kOhaGetUser, User42(), false);

}  // namespace
}  // namespace cpp_beast
