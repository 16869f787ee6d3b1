// The pieces of remote execution that need no agent: the protocol's JSON, the refusal of a
// checkout at another commit, the ssh command line.
#include "remote/protocol.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "remote/checkout.h"
#include "remote/ssh.h"

namespace harness {
namespace {

using Json = nlohmann::json;

// An agent's figures land in results.json beside local ones: the same names.
TEST(AgentProtocol, UsageAndEnvironmentAreSpelledAsInResultsJson) {
  Usage usage{12.5, 80.25, 3.5, 40.75, 20.5, 31, 4};
  Environment env{"AMD EPYC 7B13",         4,         "Linux 6.1.0", "db",
                  {{"postgres", "15.18"}}, "abc1234", true};
  RunResults results;
  results.environment = env;
  Measurement m;
  m.server_usage = usage;
  results.measurements.push_back(m);
  Json written = Json::parse(ToJson(results));
  EXPECT_EQ(UsageToJson(usage), written["measurements"][0]["server_usage"]);
  EXPECT_EQ(EnvironmentToJson(env), written["environment"]);

  Usage back = UsageFromJson(UsageToJson(usage));
  EXPECT_EQ(back.cpu_seconds, 3.5);
  EXPECT_EQ(back.anon_peak_mib, 20.5);
  EXPECT_EQ(back.processes_started, 4);
  Environment env_back = EnvironmentFromJson(EnvironmentToJson(env));
  EXPECT_EQ(env_back.cpu_model, env.cpu_model);
  EXPECT_EQ(env_back.cores, 4);
  EXPECT_EQ(env_back.versions, env.versions);
  EXPECT_TRUE(env_back.git_dirty);
}

TEST(AgentProtocol, ACheckoutAtAnotherCommitIsOneLineSayingHowToSyncIt) {
  const std::string at = "abc1234" + std::string(33, '0');
  const std::string want = "def5678" + std::string(33, '1');
  EXPECT_EQ(CommitMismatch("db", "/srv/bench", at, want),
            "host db: checkout /srv/bench is at abc1234, the controller at def5678: run `git -C "
            "/srv/bench fetch && git -C /srv/bench checkout " +
                want + " && /srv/bench/scripts/build` there");
}

TEST(AgentProtocol, SshIsDrivenWithoutPromptsSharedConnectionsOrForwarding) {
  HostConfig host;
  host.name = "db";
  host.ssh = "bench@10.0.0.3";
  host.port = 2222;
  host.identity = "/keys/id";
  host.known_hosts = "/keys/known hosts";
  host.checkout = "/srv/my bench";
  auto argv = SshArgv(host, AgentCommand(host.checkout));
  auto has = [&](const std::string& a, const std::string& b) {
    for (size_t i = 0; i + 1 < argv.size(); ++i) {
      if (argv[i] == a && argv[i + 1] == b) return true;
    }
    return false;
  };
  EXPECT_EQ(argv.front(), "ssh");
  EXPECT_TRUE(has("-o", "BatchMode=yes"));
  EXPECT_TRUE(has("-o", "ControlMaster=no"));
  EXPECT_TRUE(has("-o", "ControlPath=none"));
  EXPECT_TRUE(has("-o", "ClearAllForwardings=yes"));
  EXPECT_TRUE(has("-p", "2222"));
  EXPECT_TRUE(has("-i", "/keys/id"));
  EXPECT_TRUE(has("-o", "IdentitiesOnly=yes"));
  EXPECT_TRUE(has("-o", "UserKnownHostsFile=\"/keys/known hosts\""));
  EXPECT_TRUE(has("-o", "StrictHostKeyChecking=yes"));
  ASSERT_GE(argv.size(), 3u);
  // The destination after "--": never read as an option.
  EXPECT_EQ(argv[argv.size() - 3], "--");
  EXPECT_EQ(argv[argv.size() - 2], "bench@10.0.0.3");
  EXPECT_EQ(argv.back(),
            "cd '/srv/my bench' && PATH=\"$HOME/.cargo/bin:$PATH\" exec build/bin/harness agent");

  HostConfig plain;
  plain.ssh = "db";
  plain.checkout = "/srv/bench";
  auto minimal = SshArgv(plain, "true");
  EXPECT_EQ(std::count(minimal.begin(), minimal.end(), "-p"), 0);
  EXPECT_EQ(std::count(minimal.begin(), minimal.end(), "-i"), 0);
}

}  // namespace
}  // namespace harness
