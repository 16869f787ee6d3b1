#include "calibration/body_server.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "http/client.h"
#include "testing/cli.h"
#include "util/files.h"
#include "util/net.h"
#include "util/process.h"

namespace harness {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

TEST(BodyResponseTest, IsACompleteHttpResponse) {
  EXPECT_EQ(BodyResponse("[1]", true),
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 3\r\n"
            "Connection: keep-alive\r\n\r\n[1]");
  EXPECT_NE(BodyResponse("[1]", false).find("Connection: close\r\n"), std::string::npos);
}

// The harness binary's hidden `serve-body`, as `harness run` starts it.
class ServeBodyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = TempDir("serve-body");
    body_ = std::string(10 * 1024, 'x');
    ASSERT_TRUE(WriteFileAtomic(dir_ / "body.json", body_));
    auto port = FreePort();
    ASSERT_TRUE(port);
    port_ = *port;
  }
  void TearDown() override { fs::remove_all(dir_); }

  Result<Process> Start(const std::string& port, const std::string& body = "body.json") {
    SpawnOptions spawn;
    spawn.argv = {HARNESS_BINARY, "serve-body", "--body", (dir_ / body).string(), "--threads", "4"};
    spawn.env["PORT"] = port;
    spawn.output = dir_ / "output.txt";
    return Process::Spawn(spawn);
  }

  Result<HttpResponse> FetchWhenUp(const HttpRequest& request) {
    Result<HttpResponse> response = MakeError("never tried");
    for (int i = 0; i < 100; ++i) {
      response = HttpFetch(port_, request, Duration(2000));
      if (response) break;
      std::this_thread::sleep_for(50ms);
    }
    return response;
  }

  fs::path dir_;
  std::string body_;
  int port_ = 0;
};

TEST_F(ServeBodyTest, AnswersEveryRequestWithTheBodyAndStopsOnSigterm) {
  auto server = Start(std::to_string(port_));
  ASSERT_TRUE(server) << server.error().message;
  auto closing = FetchWhenUp({.keep_alive = false});
  ASSERT_TRUE(closing) << closing.error().message;
  EXPECT_EQ(closing->status, 200);
  EXPECT_EQ(closing->body, body_);
  EXPECT_TRUE(closing->closed_by_server);

  // Several requests on one connection, more connections than threads.
  std::vector<std::thread> clients;
  std::atomic<int> answered = 0;
  for (int c = 0; c < 8; ++c) {
    clients.emplace_back([&] {
      auto responses = HttpExchange(port_, {{}, {.target = "/anything"}, {}}, Duration(5000));
      if (!responses) return;
      for (const HttpResponse& r : *responses) answered += r.status == 200 && r.body == body_;
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_EQ(answered, 24);

  auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(server->Stop(5000ms));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s) << "SIGTERM, not SIGKILL, ended it";
  // It stopped serving and returned; the exit code says which signal asked it to
  // (util/exit_code.h), as for every command.
  EXPECT_EQ(server->exit_code(), 128 + SIGTERM);
}

TEST_F(ServeBodyTest, BadPortOrBodyIsOneLineAndExitTwo) {
  auto no_port = RunHarness({"serve-body", "--body", (dir_ / "body.json").string()});
  EXPECT_EQ(no_port.exit_code, 2);
  EXPECT_NE(no_port.output.find("PORT must be set"), std::string::npos) << no_port.output;

  auto bad_port = Start("99999");
  ASSERT_TRUE(bad_port);
  ASSERT_TRUE(bad_port->Wait(5000ms));
  EXPECT_EQ(bad_port->exit_code(), 2);

  auto no_body = Start(std::to_string(port_), "nope.json");
  ASSERT_TRUE(no_body);
  ASSERT_TRUE(no_body->Wait(5000ms));
  EXPECT_EQ(no_body->exit_code(), 2);
  auto output = ReadFile(dir_ / "output.txt");
  ASSERT_TRUE(output);
  EXPECT_NE(output->find("nope.json"), std::string::npos) << *output;
}

}  // namespace
}  // namespace harness
