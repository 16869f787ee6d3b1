#include "servers/server_process.h"

#include <gtest/gtest.h>

#include <thread>

#include "testing/cli.h"
#include "util/net.h"
#include "util/process.h"

namespace harness {
namespace {

using namespace std::chrono_literals;

ServerConfig FixedPortServer(int port, const std::string& run) {
  ServerConfig server;
  server.name = "fixed";
  server.dir = TempDir("harness-fixed-port");
  server.run = run;
  server.port = port;
  server.ready.timeout = 10s;
  return server;
}

// A server that names its own port must be what answers there: something else holding the port
// (a forgotten server from another run) would otherwise be measured in its place.
TEST(ServerProcessTest, AFixedPortMustBeHeldByTheServer) {
  auto port = FreePort();
  ASSERT_TRUE(port);
  ServerConfig server = FixedPortServer(*port, "exec sleep 30");  // listens on nothing
  LaunchOptions launch{*port, kLoopback, "", 5, "", server.dir / "server.log"};
  auto process = ServerProcess::Start(server, launch);
  ASSERT_TRUE(process) << process.error().message;
  // Only now, after the harness found the port free, does something else take it.
  SpawnOptions decoy;
  decoy.argv = {"python3", "-m", "http.server", "--bind", "127.0.0.1", std::to_string(*port)};
  decoy.cwd = server.dir;
  decoy.output = server.dir / "decoy.log";
  auto other = Process::Spawn(decoy);
  ASSERT_TRUE(other) << other.error().message;
  for (int i = 0; i < 100 && !PortInUse(*port); ++i) std::this_thread::sleep_for(50ms);
  Status ready = process->WaitReady();
  ASSERT_FALSE(ready);
  EXPECT_NE(ready.error().message.find("answers, but no process of the server listens there"),
            std::string::npos)
      << ready.error().message;
  process->Stop(2s);

  // With the port held, a fixed-port server does not even start.
  auto second = ServerProcess::Start(server, launch);
  ASSERT_FALSE(second);
  EXPECT_NE(second.error().message.find("already in use"), std::string::npos);
  other->Stop(2s);

  // And one that does listen there is ready.
  ServerConfig real = FixedPortServer(
      *port, "exec python3 -m http.server --bind 127.0.0.1 " + std::to_string(*port));
  auto good = ServerProcess::Start(real, {*port, kLoopback, "", 5, "", real.dir / "server.log"});
  ASSERT_TRUE(good) << good.error().message;
  Status ok = good->WaitReady();
  EXPECT_TRUE(ok) << ok.error().message;
  good->Stop(2s);
}

}  // namespace
}  // namespace harness
