#include "calibration/body_server.h"

#include <fmt/format.h>
#include <sys/socket.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <cerrno>
#include <chrono>
#include <memory>
#include <thread>
#include <utility>  // before Asio: Boost 1.74's awaitable.hpp needs std::exchange in C++20
#include <vector>

#include "util/interrupt.h"

namespace harness {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

// Serves one connection until the client closes it or asks to.
void Serve(tcp::socket& socket, const std::string& keep_alive, const std::string& close) {
  boost::beast::flat_buffer buffer;
  boost::system::error_code ec;
  while (true) {
    // A request body (a POST scenario's) is read and dropped.
    http::request_parser<http::string_body> parser;
    parser.body_limit(1 << 20);
    http::read(socket, buffer, parser, ec);
    if (ec) return;
    bool again = parser.get().keep_alive();
    asio::write(socket, asio::buffer(again ? keep_alive : close), ec);
    if (ec || !again) return;
  }
}

}  // namespace

std::string BodyResponse(const std::string& body, bool keep_alive) {
  return fmt::format(
      "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n"
      "Connection: {}\r\n\r\n{}",
      body.size(), keep_alive ? "keep-alive" : "close", body);
}

Status ServeBody(int port, const std::string& body, int threads) {
  asio::io_context io;
  tcp::acceptor acceptor(io);
  boost::system::error_code ec;
  tcp::endpoint endpoint(asio::ip::make_address_v4("127.0.0.1"), static_cast<uint16_t>(port));
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(SOMAXCONN, ec);
  if (ec) return MakeError("serve-body: cannot listen on 127.0.0.1:{}: {}", port, ec.message());

  // Shared by the threads, which outlive this call until the process exits.
  auto responses = std::make_shared<const std::pair<std::string, std::string>>(
      BodyResponse(body, true), BodyResponse(body, false));
  const int listener = acceptor.native_handle();
  for (int i = 0; i < threads; ++i) {
    // The kernel hands each connection to one thread blocked in accept(); the threads share
    // nothing else.
    std::thread([responses, listener] {
      asio::io_context own;
      while (true) {
        int fd = accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd < 0) {
          if (errno == EBADF || errno == EINVAL) return;  // the listener is closed
          if (errno != EINTR && errno != ECONNABORTED) {
            std::this_thread::sleep_for(std::chrono::milliseconds(10));  // out of descriptors
          }
          continue;
        }
        tcp::socket socket(own, tcp::v4(), fd);
        socket.set_option(tcp::no_delay(true));
        Serve(socket, responses->first, responses->second);
      }
    }).detach();
  }
  while (!Interrupted()) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  return OkStatus();
}

}  // namespace harness
