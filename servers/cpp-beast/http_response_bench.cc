// The request path of GET / without its syscalls and its query: what server.cc's Session does
// between recv and sendmsg. Session is private to server.cc, so SessionState and HandleRequest
// below repeat its steps (BeginRequest, Process, Respond, RespondUsers, SetHead) over the same
// library calls; keep them in step with it. The recv becomes a copy into the read buffer, and the
// response is what sendmsg would send: head_ and body_ as they are, gathered, never copied.
#include <benchmark/benchmark.h>

// Boost 1.74's Asio uses std::exchange without including <utility>, which
// C++20 no longer pulls in transitively, so it must come before any Boost.
// clang-format off
#include <utility>
// clang-format on

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "config.h"
#include "http_date.h"
#include "http_response.h"
#include "seed_users_bench.h"
#include "session_limits.h"

namespace cpp_beast {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

// As the server's default (config.h).
const std::chrono::seconds kIoTimeout = Config{}.io_timeout;

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

// Session's members and constructor, less the descriptor: what each accepted connection costs
// before it reads a byte (Session is made with make_shared, so is this).
struct SessionState {
  explicit SessionState(asio::io_context& ioc) : socket(ioc), timer(ioc) {
    head.reserve(kHeadReserve);
    body.reserve(kBodyReserve);
  }

  tcp::socket socket;
  asio::steady_timer timer;
  beast::flat_buffer buffer;
  std::optional<http::request_parser<http::string_body>> parser;
  std::string head;
  std::string body;
  Clock::time_point deadline;
  bool keep_alive = false;
};

// Session::BeginRequest.
void BeginRequest(SessionState& s) {
  s.parser.emplace();
  s.parser->header_limit(kHeaderLimit);
  s.parser->body_limit(kBodyLimit);
  s.parser->eager(true);
  s.deadline = Clock::now() + kIoTimeout;
}

// Session::Process's reading and parsing, with `request` as what recv returned. False if the
// request did not parse whole.
bool ReceiveAndParse(std::string_view request, SessionState& s) {
  const auto space = s.buffer.prepare(kReadChunk);
  std::memcpy(space.data(), request.data(), request.size());
  s.buffer.commit(request.size());
  while (s.buffer.size() > 0 && !s.parser->is_done()) {
    beast::error_code ec;
    const std::size_t used = s.parser->put(s.buffer.data(), ec);
    s.buffer.consume(used);
    if (ec || used == 0) return false;
  }
  return s.parser->is_done();
}

// Session::SetHead for a 200.
void SetHead(int version, SessionState& s) {
  s.head.clear();
  AppendResponseHead({.status = 200,
                      .content_type = "application/json",
                      .content_length = s.body.size(),
                      .version = version,
                      .keep_alive = s.keep_alive},
                     CachedHttpDate(), &s.head);
}

// Session::Respond and RespondUsers for GET /, the seed rows standing in for the query's result;
// with `render` false the body is left as it is (rendered beforehand). Returns the route taken.
Route Respond(bool render, SessionState& s) {
  const http::request<http::string_body>& req = s.parser->get();
  s.keep_alive = req.keep_alive();
  const int version = req.version();
  const Route route = RouteRequest(req.method() == http::verb::get, req.target());
  if (route != Route::kUsers) return route;
  if (render) {
    s.body.clear();
    AppendUsersJsonFromRows(kSeedUsers, &s.body);
  }
  SetHead(version, s);
  return route;
}

// One request on `s`: parse, route, optionally render, head. False if anything went other than
// GET / answered with the whole document.
bool HandleRequest(std::string_view request, bool render, SessionState& s) {
  BeginRequest(s);
  if (!ReceiveAndParse(request, s)) return false;
  return Respond(render, s) == Route::kUsers && s.body.size() == kSeedUsersJsonSize;
}

void SetRequestCounters(benchmark::State& state, std::size_t bytes) {
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
}

// Beast's parser alone on one request, on a connection's reused buffer and parser slot.
void BM_ParseRequest(benchmark::State& state, std::string_view request) {
  asio::io_context ioc(1);
  SessionState s(ioc);
  for (auto _ : state) {
    BeginRequest(s);
    if (!ReceiveAndParse(request, s)) {
      state.SkipWithError("request did not parse");
      break;
    }
    benchmark::DoNotOptimize(s.parser->get().keep_alive());
  }
  SetRequestCounters(state, request.size());
}
BENCHMARK_CAPTURE(BM_ParseRequest, oha_keepalive, kOhaGet);
BENCHMARK_CAPTURE(BM_ParseRequest, oha_close, kOhaGetClose);

// The response head for the 200 of GET /: AppendResponseHead with the cached Date.
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

// Parse, route and response head for GET /, with the body rendered once up front: a request's
// work but for the rows. On one reused SessionState, so the two requests differ only in bytes.
void BM_ParseAndRespondHead(benchmark::State& state, std::string_view request) {
  asio::io_context ioc(1);
  SessionState s(ioc);
  AppendUsersJsonFromRows(kSeedUsers, &s.body);
  for (auto _ : state) {
    if (!HandleRequest(request, false, s)) {
      state.SkipWithError("GET / was not answered with the users document");
      break;
    }
    benchmark::DoNotOptimize(s.head.data());
    benchmark::ClobberMemory();
  }
  SetRequestCounters(state, request.size() + s.head.size());
}
BENCHMARK_CAPTURE(BM_ParseAndRespondHead, oha_keepalive, kOhaGet);
BENCHMARK_CAPTURE(BM_ParseAndRespondHead, oha_close, kOhaGetClose);

// What accepting a connection costs a thread before the request: making a Session's state (and
// dropping it when the connection ends).
void BM_NewSessionState(benchmark::State& state) {
  asio::io_context ioc(1);
  for (auto _ : state) {
    auto s = std::make_shared<SessionState>(ioc);
    benchmark::DoNotOptimize(s.get());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_NewSessionState);

// A whole GET / as a session handles it between recv and sendmsg: parse, route, render the 100
// rows, response head. Keep-alive requests reuse their connection's SessionState; with
// `Connection: close` (oha --disable-keepalive, the default benchmark) every request comes on a
// new connection, so it gets a new one, as every accepted connection gets a new Session.
void BM_HandleRequest(benchmark::State& state, std::string_view request, bool new_connection) {
  asio::io_context ioc(1);
  auto s = std::make_shared<SessionState>(ioc);
  if (!HandleRequest(request, true, *s) || s->keep_alive == new_connection) {
    state.SkipWithError("the request does not ask for the connection handling benchmarked");
    return;
  }
  for (auto _ : state) {
    if (new_connection) s = std::make_shared<SessionState>(ioc);
    if (!HandleRequest(request, true, *s)) {
      state.SkipWithError("GET / was not answered with the users document");
      break;
    }
    benchmark::DoNotOptimize(s->head.data());
    benchmark::DoNotOptimize(s->body.data());
    benchmark::ClobberMemory();
  }
  SetRequestCounters(state, s->head.size() + s->body.size());
  state.counters["response_bytes"] = static_cast<double>(s->head.size() + s->body.size());
}
BENCHMARK_CAPTURE(BM_HandleRequest, oha_keepalive, kOhaGet, false);
BENCHMARK_CAPTURE(BM_HandleRequest, oha_close, kOhaGetClose, true);

}  // namespace
}  // namespace cpp_beast
