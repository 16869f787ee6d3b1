// Boost 1.74's Asio needs <utility> before it in C++20 mode (std::exchange in awaitable.hpp).
#include <utility>
// clang-format off
#include "http/client.h"
// clang-format on

#include <sys/socket.h>
#include <sys/time.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <thread>

namespace harness {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

// Plain blocking I/O with kernel timeouts: simpler than async operations for a checker.
void SetTimeouts(tcp::socket& socket, Duration timeout) {
  timeval tv{};
  tv.tv_sec = timeout.count() / 1000;
  tv.tv_usec = (timeout.count() % 1000) * 1000;
  setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(socket.native_handle(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

std::string Describe(const beast::error_code& ec) {
  if (ec == asio::error::would_block || ec == asio::error::try_again) return "timed out";
  return ec.message();
}

}  // namespace

Result<std::vector<HttpResponse>> HttpExchange(int port, const std::vector<HttpRequest>& requests,
                                               Duration timeout, const std::string& address) {
  asio::io_context ioc;
  tcp::socket socket(ioc);
  beast::error_code ec;
  auto ip = asio::ip::make_address(address, ec);
  if (ec) return MakeError("not an IP address: '{}'", address);
  socket.connect({ip, static_cast<unsigned short>(port)}, ec);
  if (ec) return MakeError("connect to {}:{}: {}", UrlHost(address), port, ec.message());
  SetTimeouts(socket, timeout);

  std::vector<HttpResponse> responses;
  beast::flat_buffer buffer;
  for (const HttpRequest& r : requests) {
    http::request<http::string_body> req;
    req.method_string(r.method);
    req.target(r.target);
    req.version(11);
    req.set(http::field::host, UrlHost(address) + ":" + std::to_string(port));
    req.set(http::field::user_agent, "bench-harness");
    req.keep_alive(r.keep_alive);
    for (const auto& [name, value] : r.headers) req.set(name, value);
    if (!r.body.empty()) req.body() = r.body;
    req.prepare_payload();
    http::write(socket, req, ec);
    if (ec) return MakeError("{} {} on port {}: write: {}", r.method, r.target, port, Describe(ec));

    http::response_parser<http::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    if (r.method == "HEAD") parser.skip(true);
    http::read(socket, buffer, parser, ec);
    if (ec) return MakeError("{} {} on port {}: read: {}", r.method, r.target, port, Describe(ec));
    const auto& res = parser.get();
    HttpResponse out;
    out.status = res.result_int();
    for (const auto& field : res) {
      std::string name(field.name_string());
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      out.headers[name] = std::string(field.value());
    }
    out.body = res.body();
    out.chunked = res.chunked();
    if (!r.keep_alive || !res.keep_alive()) {
      char byte;
      socket.read_some(asio::buffer(&byte, 1), ec);
      out.closed_by_server = ec == asio::error::eof || ec == asio::error::connection_reset;
    }
    responses.push_back(std::move(out));
  }
  return responses;
}

Result<HttpResponse> HttpFetch(int port, const HttpRequest& request, Duration timeout,
                               const std::string& address) {
  auto responses = HttpExchange(port, {request}, timeout, address);
  if (!responses) return responses.error();
  return std::move(responses->front());
}

std::vector<int> HttpConcurrentGets(int port, int count, const std::string& target,
                                    Duration timeout) {
  std::vector<int> statuses(count, 0);
  std::vector<std::thread> threads;
  threads.reserve(count);
  for (int i = 0; i < count; ++i) {
    threads.emplace_back([&, i] {
      HttpRequest request;
      request.target = target;
      request.keep_alive = false;
      if (auto r = HttpFetch(port, request, timeout)) statuses[i] = r->status;
    });
  }
  for (auto& t : threads) t.join();
  return statuses;
}

}  // namespace harness
