// Security, end to end: what a run exposes. Everything the harness starts listens on 127.0.0.1
// only, and a password in postgres.dsn appears nowhere: not in its output, not in any file of the
// run directory, not in the output of `harness check`. The servers must be built (scripts/test
// builds everything first).
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <fstream>
#include <set>
#include <thread>

#include "postgres/cluster.h"
#include "testing/cli.h"
#include "testing/live.h"
#include "util/files.h"
#include "util/net.h"

namespace harness {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

const fs::path kRoot = PROJECT_SOURCE_DIR;

// bench.yaml's servers, as they are configured (run commands, environment), with a scenario of a
// few requests instead of the real experiments. Written to `dir`, so server folders are absolute.
fs::path QuickProfile(const fs::path& dir, const std::string& dsn = "") {
  YAML::Node root = YAML::LoadFile((kRoot / "bench.yaml").string());
  for (YAML::Node server : root["servers"]) {
    server["dir"] = (kRoot / server["dir"].as<std::string>()).string();
  }
  // Long enough for the 50 ms scan below to see every server listen, however fast it starts.
  root["scenarios"] = YAML::Load("[{name: quick, duration: 1s, concurrency: 2}]");
  root["repetitions"] = 1;
  root.remove("output");
  if (!dsn.empty()) root["postgres"] = YAML::Load("{dsn: '" + dsn + "'}");
  fs::path file = dir / "bench.yaml";
  std::ofstream(file) << YAML::Dump(root) << "\n";
  return file;
}

std::string ServerOf(pid_t pid) {
  std::error_code ec;
  fs::path cwd = fs::read_symlink("/proc/" + std::to_string(pid) + "/cwd", ec);
  fs::path rel = cwd.lexically_relative(kRoot / "servers");
  return ec || rel.empty() || rel.string().starts_with("..") ? "" : rel.begin()->string();
}

TEST(SecurityEndToEnd, EverythingARunStartsListensOnLoopbackOnly) {
  fs::path dir = TempDir("harness-security");
  auto h = LiveHarness::Start(
      {"run", QuickProfile(dir).string(), "--no-build", "--quiet", "--output", dir.string()});
  ASSERT_TRUE(h);
  // Every listening socket seen while the run went on: "who address:port".
  std::set<std::string> everywhere, off_loopback;
  std::set<std::string> servers_seen;
  bool postgres_seen = false;
  std::optional<int> exit;
  for (auto deadline = std::chrono::steady_clock::now() + 300s;
       !exit && std::chrono::steady_clock::now() < deadline;) {
    std::vector<pid_t> pids = {h->pid()};
    for (const ProcInfo& p : Descendants(h->pid())) pids.push_back(p.pid);
    for (const ListeningSocket& s : ListeningSockets(pids)) {
      std::string server = ServerOf(s.pid);
      std::string who = server.empty() ? s.comm : server + " (" + s.comm + ")";
      std::string line = who + " " + s.address + ":" + std::to_string(s.port);
      everywhere.insert(line);
      if (s.address != "127.0.0.1") off_loopback.insert(line);
      if (!server.empty()) servers_seen.insert(server);
      postgres_seen |= s.comm == "postgres";
    }
    exit = h->WaitExit(50ms);
  }
  ASSERT_TRUE(exit) << "the run did not finish in 5 minutes:\n" << h->Output();
  EXPECT_EQ(*exit, 0) << h->Output();
  std::string all;
  for (const auto& line : everywhere) all += "\n  " + line;
  EXPECT_TRUE(off_loopback.empty()) << "listening beyond 127.0.0.1; every socket seen:" << all;
  EXPECT_TRUE(postgres_seen) << "never saw Postgres listen; sockets seen:" << all;
  EXPECT_EQ(servers_seen, (std::set<std::string>{"axum", "cpp-beast", "fastapi", "fastapi-async"}))
      << "sockets seen:" << all;
  fs::remove_all(dir);
}

// Every file under `dir` that contains `secret`.
std::vector<std::string> FilesContaining(const fs::path& dir, const std::string& secret) {
  std::vector<std::string> found;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    auto text = ReadFile(entry.path());
    if (text && text->find(secret) != std::string::npos) {
      found.push_back(entry.path().lexically_relative(dir).string());
    }
  }
  return found;
}

// postgres.dsn with a password, against an embedded cluster (whose trust authentication ignores
// it): the run, the conformance test and the failures to connect must never print it.
TEST(SecurityEndToEnd, APasswordInTheDsnIsNeverPrinted) {
  const std::string secret = "s3cret";
  auto cluster = Cluster::Create({});
  ASSERT_TRUE(cluster) << cluster.error().message;
  const std::string port = std::to_string((*cluster)->port());
  fs::path dir = TempDir("harness-dsn");
  fs::path profile =
      QuickProfile(dir, "postgres://postgres:" + secret + "@127.0.0.1:" + port + "/benchmark");

  // Only cpp-beast: the point is what the harness prints, not the servers' speed.
  CommandRun run = RunHarness({"run", profile.string(), "--server", "cpp-beast", "--no-build",
                               "--output", (dir / "runs").string()},
                              120);
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_EQ(run.output.find(secret), std::string::npos) << "harness run printed it:\n"
                                                        << run.output;
  auto files = FilesContaining(dir / "runs", secret);
  std::string list;
  for (const auto& f : files) list += " " + f;
  EXPECT_TRUE(files.empty()) << "in the run directory:" << list;

  CommandRun check =
      RunHarness({"check", profile.string(), "--server", "cpp-beast", "--no-build"}, 120);
  EXPECT_EQ(check.exit_code, 0) << check.output;
  EXPECT_EQ(check.output.find(secret), std::string::npos) << "harness check printed it:\n"
                                                          << check.output;

  // Nothing listens there: the error names the database, without its password.
  auto dead = FreePort();
  ASSERT_TRUE(dead);
  // (The run above had the password in the user part; this one has it as a parameter. Each
  // failing run waits 10 s for the database, hence only one.)
  {
    std::string dsn =
        "postgres://postgres@127.0.0.1:" + std::to_string(*dead) + "/benchmark?password=" + secret;
    fs::path bad = QuickProfile(dir, dsn);
    CommandRun failed = RunHarness({"run", bad.string(), "--server", "cpp-beast", "--no-build",
                                    "--output", (dir / "failed").string()},
                                   60);
    EXPECT_NE(failed.exit_code, 0) << failed.output;
    EXPECT_NE(failed.output.find("127.0.0.1:" + std::to_string(*dead)), std::string::npos)
        << "the error should name the database:\n"
        << failed.output;
    EXPECT_EQ(failed.output.find(secret), std::string::npos) << "printed it:\n" << failed.output;
  }
  if (fs::exists(dir / "failed")) {
    auto leaked = FilesContaining(dir / "failed", secret);
    std::string names;
    for (const auto& f : leaked) names += " " + f;
    EXPECT_TRUE(leaked.empty()) << "in the failed runs' directories:" << names;
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace harness
