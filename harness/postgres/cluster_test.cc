// Integration: a real embedded cluster from the machine's Postgres binaries.
#include "postgres/cluster.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>

#include "postgres/database.h"
#include "postgres/sql_text.h"
#include "util/files.h"

namespace harness {
namespace {

namespace fs = std::filesystem;

std::vector<pid_t> PostgresProcessesIn(const fs::path& dir) {
  std::vector<pid_t> found;
  for (const auto& entry : fs::directory_iterator("/proc")) {
    std::string name = entry.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::string args;
    if (!ReadProcFile(std::stoi(name), "cmdline", args)) continue;
    if (args.find(dir.string()) != std::string::npos && ProcessAlive(std::stoi(name))) {
      found.push_back(std::stoi(name));
    }
  }
  return found;
}

TEST(ClusterIntegration, StartsSeedsAndLeavesNothingBehind) {
  auto cluster = Cluster::Create({});
  ASSERT_TRUE(cluster) << cluster.error().message;
  const fs::path dir = (*cluster)->directory();
  const pid_t postmaster = (*cluster)->postmaster_pid();

  struct stat st {};
  ASSERT_EQ(stat(dir.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u) << "the cluster directory must be private";
  if (geteuid() == 0) {
    EXPECT_NE(st.st_uid, 0u) << "postgres must not run as root";
  }
  EXPECT_TRUE(ProcessAlive(postmaster));
  EXPECT_TRUE((*cluster)->dsn().starts_with("postgres://postgres@127.0.0.1:"));

  EXPECT_TRUE(CheckSeed((*cluster)->dsn()));
  auto rows = RunBenchmarkQuery((*cluster)->dsn());
  ASSERT_TRUE(rows) << rows.error().message;
  ASSERT_EQ(rows->size(), 100u);
  // md5('user591') sorts first among the 2000 seeded ids: the seed is
  // deterministic.
  EXPECT_EQ((*rows)[0],
            (UserRow{"0018b944-141c-4104-d3a5-77516e7aa429", "user591", "user591@example.com"}));
  EXPECT_EQ((*rows)[1].username, "user1393");
  EXPECT_TRUE(std::is_sorted(rows->begin(), rows->end(),
                             [](auto& a, auto& b) { return a.user_id < b.user_id; }));

  // pg_stat_statements is preloaded and counts what clients run.
  ASSERT_TRUE(ResetQueryCounts((*cluster)->dsn()));
  ASSERT_TRUE(RunBenchmarkQuery((*cluster)->dsn()));
  auto counts = ReadQueryCounts((*cluster)->dsn(), kBenchmarkQueryPattern);
  ASSERT_TRUE(counts) << counts.error().message;
  EXPECT_EQ(counts->calls, 1);
  EXPECT_EQ(counts->rows, 100);

  cluster->reset();
  EXPECT_FALSE(ProcessAlive(postmaster));
  EXPECT_TRUE(PostgresProcessesIn(dir).empty());
  EXPECT_FALSE(fs::exists(dir));
}

TEST(ClusterIntegration, SurvivesAStopAndStartOnTheSamePort) {
  auto cluster = Cluster::Create({});
  ASSERT_TRUE(cluster) << cluster.error().message;
  int port = (*cluster)->port();
  ASSERT_TRUE((*cluster)->StopServer());
  EXPECT_FALSE(RunBenchmarkQuery((*cluster)->dsn()));
  ASSERT_TRUE((*cluster)->StartServer());
  EXPECT_EQ((*cluster)->port(), port);
  EXPECT_TRUE(CheckSeed((*cluster)->dsn()));
}

TEST(ClusterIntegration, CleansWhatAKilledHarnessLeft) {
  // A cluster whose owner file names a dead harness, as after SIGKILL.
  auto cluster = Cluster::Create({});
  ASSERT_TRUE(cluster) << cluster.error().message;
  fs::path dir = (*cluster)->directory();
  pid_t postmaster = (*cluster)->postmaster_pid();
  {
    std::ofstream owner(dir / "owner", std::ios::trunc);
    owner << "pid=999999999\nmode=run\nport=" << (*cluster)->port() << "\n";
  }
  // Forget it: its postmaster runs on, as one would whose supervisor was killed with the harness.
  (*cluster)->Release();
  cluster->reset();
  ASSERT_TRUE(ProcessAlive(postmaster));
  EXPECT_GE(CleanStaleClusters(), 1);
  EXPECT_FALSE(ProcessAlive(postmaster));
  EXPECT_FALSE(fs::exists(dir));
}

TEST(DsnTest, PasswordsAreRedacted) {
  EXPECT_EQ(RedactDsn("postgres://bob:s3cret@db:5432/x"), "postgres://bob:***@db:5432/x");
  EXPECT_EQ(RedactDsn("postgresql://bob@db/x?password=s3cret&sslmode=off"),
            "postgresql://bob@db/x?password=***&sslmode=off");
  EXPECT_EQ(RedactDsn("host=db password='a b' user=x"), "host=db password=*** user=x");
  EXPECT_EQ(RedactDsn("postgres://postgres@127.0.0.1:5/benchmark"),
            "postgres://postgres@127.0.0.1:5/benchmark");
}

}  // namespace
}  // namespace harness
