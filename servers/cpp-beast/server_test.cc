#include "server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>

namespace cpp_beast {
namespace {

using std::chrono::steady_clock;

// A blocking loopback client that reads one Content-Length response at a
// time, enough to check the server's framing and connection handling.
class Client {
 public:
  // A nonzero `receive_buffer` shrinks the socket's receive buffer, so a
  // client that does not read soon stops accepting the server's bytes.
  explicit Client(unsigned short port, int receive_buffer = 0)
      : fd_(socket(AF_INET, SOCK_STREAM, 0)) {
    if (receive_buffer > 0) {
      setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof(receive_buffer));
    }
    timeval timeout{.tv_sec = 5, .tv_usec = 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  }
  ~Client() { close(fd_); }

  bool connected() const { return connected_; }
  int fd() const { return fd_; }

  void Send(const std::string& data) {
    ASSERT_EQ(send(fd_, data.data(), data.size(), MSG_NOSIGNAL), static_cast<ssize_t>(data.size()));
  }

  // Returns head and body of the next response, or "" if the connection
  // closed or timed out first.
  std::string ReadResponse() {
    std::size_t head_end;
    while ((head_end = pending_.find("\r\n\r\n")) == std::string::npos) {
      if (!Fill()) return "";
    }
    head_end += 4;
    const std::size_t length_at = pending_.find("Content-Length: ");
    if (length_at == std::string::npos || length_at > head_end) return "";
    const std::size_t length = std::stoul(pending_.substr(length_at + 16));
    while (pending_.size() < head_end + length) {
      if (!Fill()) return "";
    }
    std::string response = pending_.substr(0, head_end + length);
    pending_.erase(0, head_end + length);
    return response;
  }

  // Everything until the server closes the connection (or the read times out).
  std::string ReadUntilClosed() {
    while (Fill()) {
    }
    return std::exchange(pending_, "");
  }

  // True if the server closes the connection (rather than the read timing
  // out) with nothing more to read.
  bool ClosedByServer() {
    char byte;
    return pending_.empty() && recv(fd_, &byte, 1, 0) == 0;
  }

 private:
  bool Fill() {
    char buf[16384];
    const ssize_t n = recv(fd_, buf, sizeof(buf), 0);
    if (n <= 0) return false;
    pending_.append(buf, static_cast<std::size_t>(n));
    return true;
  }

  int fd_;
  bool connected_ = false;
  std::string pending_;
};

std::string Body(const std::string& response) {
  return response.substr(response.find("\r\n\r\n") + 4);
}

class ServerTest : public ::testing::Test {
 protected:
  void StartServer(const std::string& database_url,
                   std::chrono::microseconds inject_delay = std::chrono::microseconds(0)) {
    Config config;
    config.inject_delay = inject_delay;
    config.database_url = database_url;
    config.db_pool_size = 2;
    config.threads = 2;
    config.io_timeout = std::chrono::seconds(1);
    config.handle_signals = false;
    server_ = std::make_unique<Server>(config);
    runner_ = std::thread([this] { server_->Run(); });
  }

  void SetUp() override {
    // Nothing listens on port 1, so every GET / meets a dead database.
    StartServer("postgres://postgres@127.0.0.1:1/benchmark");
  }

  void TearDown() override {
    server_->Stop();
    runner_.join();
  }

  std::string RoundTrip(const std::string& request) {
    Client client(server_->port());
    EXPECT_TRUE(client.connected());
    client.Send(request);
    return client.ReadResponse();
  }

  std::unique_ptr<Server> server_;
  std::thread runner_;
};

// Each thread listens through a socket of its own with SO_REUSEPORT, which must not let a
// second server onto a port in use.
TEST_F(ServerTest, APortInUseIsAnError) {
  Config config;
  config.port = server_->port();
  config.database_url = "postgres://postgres@127.0.0.1:1/benchmark";
  config.db_pool_size = 2;
  config.threads = 2;
  config.handle_signals = false;
  EXPECT_THROW(Server second(config), std::runtime_error);
}

TEST_F(ServerTest, DatabaseDownIs503Quickly) {
  const auto start = steady_clock::now();
  const std::string response = RoundTrip("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_LT(steady_clock::now() - start, std::chrono::seconds(3));
  EXPECT_TRUE(response.starts_with("HTTP/1.1 503 ")) << response;
  EXPECT_NE(response.find("\r\nDate: "), std::string::npos);
  EXPECT_NE(response.find("\r\nContent-Type: text/plain"), std::string::npos);
  EXPECT_EQ(Body(response), "database unavailable\n");
}

TEST_F(ServerTest, InjectedDelayAppliesToUsersOnly) {
  TearDown();
  StartServer("postgres://postgres@127.0.0.1:1/benchmark", std::chrono::milliseconds(200));
  auto start = steady_clock::now();
  EXPECT_TRUE(RoundTrip("GET / HTTP/1.1\r\nHost: x\r\n\r\n").starts_with("HTTP/1.1 503 "));
  EXPECT_GE(steady_clock::now() - start, std::chrono::milliseconds(200));
  start = steady_clock::now();
  EXPECT_TRUE(RoundTrip("GET /nope HTTP/1.1\r\nHost: x\r\n\r\n").starts_with("HTTP/1.1 404 "));
  EXPECT_LT(steady_clock::now() - start, std::chrono::milliseconds(200));
}

TEST_F(ServerTest, UnknownPathIs404) {
  const std::string response = RoundTrip("GET /nope HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_TRUE(response.starts_with("HTTP/1.1 404 ")) << response;
  EXPECT_EQ(Body(response), "not found\n");
}

TEST_F(ServerTest, OtherMethodIs405WithAllow) {
  const std::string response =
      RoundTrip("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc");
  EXPECT_TRUE(response.starts_with("HTTP/1.1 405 ")) << response;
  EXPECT_NE(response.find("\r\nAllow: GET, HEAD\r\n"), std::string::npos);
}

TEST_F(ServerTest, KeepAliveThenConnectionClose) {
  Client client(server_->port());
  client.Send("GET /a HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_TRUE(client.ReadResponse().starts_with("HTTP/1.1 404 "));
  client.Send("GET /b HTTP/1.1\r\nHost: x\r\n\r\n");
  const std::string second = client.ReadResponse();
  EXPECT_TRUE(second.starts_with("HTTP/1.1 404 "));
  EXPECT_EQ(second.find("Connection:"), std::string::npos);
  client.Send("GET /c HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  const std::string last = client.ReadResponse();
  EXPECT_NE(last.find("\r\nConnection: close\r\n"), std::string::npos);
  EXPECT_TRUE(client.ClosedByServer());
}

TEST_F(ServerTest, PipelinedRequestsAnsweredInOrder) {
  Client client(server_->port());
  client.Send(
      "GET /a HTTP/1.1\r\nHost: x\r\n\r\n"
      "DELETE / HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_TRUE(client.ReadResponse().starts_with("HTTP/1.1 404 "));
  EXPECT_TRUE(client.ReadResponse().starts_with("HTTP/1.1 405 "));
}

TEST_F(ServerTest, Http10ClosesUnlessKeepAliveAsked) {
  Client plain(server_->port());
  plain.Send("GET /a HTTP/1.0\r\n\r\n");
  const std::string response = plain.ReadResponse();
  EXPECT_TRUE(response.starts_with("HTTP/1.0 404 ")) << response;
  EXPECT_TRUE(plain.ClosedByServer());

  Client kept(server_->port());
  kept.Send("GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
  EXPECT_NE(kept.ReadResponse().find("\r\nConnection: keep-alive\r\n"), std::string::npos);
  kept.Send("GET /b HTTP/1.0\r\n\r\n");
  EXPECT_TRUE(kept.ReadResponse().starts_with("HTTP/1.0 404 "));
}

TEST_F(ServerTest, PipelinedQueriesAnsweredInOrder) {
  Client client(server_->port());
  client.Send(
      "GET / HTTP/1.1\r\nHost: x\r\n\r\n"
      "GET /a HTTP/1.1\r\nHost: x\r\n\r\n"
      "GET /users/user1 HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_TRUE(client.ReadResponse().starts_with("HTTP/1.1 503 "));
  EXPECT_TRUE(client.ReadResponse().starts_with("HTTP/1.1 404 "));
  EXPECT_TRUE(client.ReadResponse().starts_with("HTTP/1.1 503 "));
}

// A client that sends its request and then shuts its side down still gets the answer.
TEST_F(ServerTest, HalfClosedClientIsAnswered) {
  Client client(server_->port());
  client.Send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  shutdown(client.fd(), SHUT_WR);
  EXPECT_TRUE(client.ReadResponse().starts_with("HTTP/1.1 503 "));
  EXPECT_TRUE(client.ClosedByServer());
}

TEST_F(ServerTest, GarbageIs400AndClose) {
  Client client(server_->port());
  client.Send("\x16\x03\x01 this is not http\r\n\r\n");
  EXPECT_TRUE(client.ReadResponse().starts_with("HTTP/1.1 400 "));
  EXPECT_TRUE(client.ClosedByServer());
}

TEST_F(ServerTest, OversizedHeaderIs431) {
  Client client(server_->port());
  client.Send("GET / HTTP/1.1\r\nX-Big: " + std::string(9000, 'a') + "\r\n\r\n");
  EXPECT_TRUE(client.ReadResponse().starts_with("HTTP/1.1 431 "));
}

TEST_F(ServerTest, OversizedBodyIs413) {
  Client client(server_->port());
  client.Send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n");
  EXPECT_TRUE(client.ReadResponse().starts_with("HTTP/1.1 413 "));
}

TEST_F(ServerTest, RequestArrivingInPieces) {
  Client client(server_->port());
  client.Send("GET /nope HT");
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  client.Send("TP/1.1\r\nHost: x\r\n");
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  client.Send("\r\n");
  EXPECT_TRUE(client.ReadResponse().starts_with("HTTP/1.1 404 "));
  // The connection stays usable after waiting.
  client.Send("GET /a HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_TRUE(client.ReadResponse().starts_with("HTTP/1.1 404 "));
}

// Enough pipelined requests that the responses overflow the socket buffers
// while the client is not reading, so the server must wait to write and then
// resume both writing and parsing.
TEST_F(ServerTest, ResponsesQueueBehindSlowReader) {
  Client client(server_->port(), 4096);
  constexpr int kRequests = 60000;
  std::string requests;
  for (int i = 0; i < kRequests; ++i) requests += "GET /nope HTTP/1.1\r\nHost: x\r\n\r\n";
  std::thread writer([&client, &requests] { client.Send(requests); });
  // Long enough for the server to fill its send buffer (at most 4 MiB), well
  // inside its 1 s write timeout.
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  int answered = 0;
  while (answered < kRequests && client.ReadResponse().starts_with("HTTP/1.1 404 ")) ++answered;
  writer.join();
  EXPECT_EQ(answered, kRequests);
}

// A client trickling bytes cannot keep a request open past the timeout.
TEST_F(ServerTest, TricklingRequestTimesOut) {
  Client client(server_->port());
  const auto start = steady_clock::now();
  client.Send("GET / HTTP/1.1\r\nX-Slow: ");
  bool closed = false;
  for (int i = 0; i < 20 && !closed; ++i) {
    closed = send(client.fd(), "a", 1, MSG_NOSIGNAL) != 1;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  EXPECT_TRUE(closed || client.ClosedByServer());
  EXPECT_LT(steady_clock::now() - start, std::chrono::milliseconds(2500));
}

TEST_F(ServerTest, IdleConnectionTimesOut) {
  Client client(server_->port());
  const auto start = steady_clock::now();
  EXPECT_TRUE(client.ClosedByServer());
  EXPECT_LT(steady_clock::now() - start, std::chrono::seconds(3));
}

TEST_F(ServerTest, StopReturnsWithIdleConnectionsOpen) {
  Client idle(server_->port());
  idle.Send("GET /a HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_FALSE(idle.ReadResponse().empty());
  const auto start = steady_clock::now();
  server_->Stop();
  runner_.join();
  EXPECT_LT(steady_clock::now() - start, std::chrono::milliseconds(500));
  runner_ = std::thread([] {});  // Keeps TearDown's join valid.
}

// Runs only when CPP_BEAST_TEST_DATABASE_URL names a seeded database.
TEST_F(ServerTest, LiveDatabaseServesUsers) {
  const char* url = std::getenv("CPP_BEAST_TEST_DATABASE_URL");
  if (url == nullptr) GTEST_SKIP() << "CPP_BEAST_TEST_DATABASE_URL unset";
  TearDown();
  StartServer(url);
  const std::string response = RoundTrip("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_TRUE(response.starts_with("HTTP/1.1 200 OK\r\n")) << response;
  EXPECT_NE(response.find("\r\nContent-Type: application/json\r\n"), std::string::npos);
  const nlohmann::json users = nlohmann::json::parse(Body(response));
  ASSERT_EQ(users.size(), 100u);
  EXPECT_EQ(users[0].size(), 3u);
  EXPECT_TRUE(Body(response).starts_with(R"([{"user_id":")"));

  const std::string user = RoundTrip("GET /users/user42 HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_TRUE(user.starts_with("HTTP/1.1 200 OK\r\n")) << user;
  EXPECT_TRUE(Body(user).starts_with(R"({"user_id":")")) << user;
  const nlohmann::json user42 = nlohmann::json::parse(Body(user));
  EXPECT_EQ(user42["username"], "user42");
  EXPECT_EQ(user42["email"], "user42@example.com");
  EXPECT_EQ(std::string(user42["user_id"]).size(), 36u);
  EXPECT_TRUE(
      RoundTrip("GET /users/user2001 HTTP/1.1\r\nHost: x\r\n\r\n").starts_with("HTTP/1.1 404 "));

  Client client(server_->port());
  client.Send("HEAD / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  const std::string head = client.ReadUntilClosed();
  EXPECT_TRUE(head.starts_with("HTTP/1.1 200 OK\r\n")) << head;
  EXPECT_NE(head.find("\r\nContent-Length: " + std::to_string(Body(response).size()) + "\r\n"),
            std::string::npos)
      << head;
}

}  // namespace
}  // namespace cpp_beast
