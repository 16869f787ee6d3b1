#include "results/environment.h"

#include <gtest/gtest.h>

namespace harness {
namespace {

Environment SomeMachine() {
  Environment env;
  env.cpu_model = "AMD EPYC";
  env.cores = 2;
  env.kernel = "Linux 6.1";
  env.git_sha = "abc1234";
  env.versions = {{"oha", "1.15.0"},
                  {"postgres", "postgres (PostgreSQL) 15.18"},
                  {"python3", "Python 3.11.2"},
                  {"rustc", "rustc 1.95.0"},
                  {"g++", "12.2.0"}};
  return env;
}

// What changes the numbers is in the method: the toolchains and the database, and how often
// /proc is sampled. The harness's own commit is shown but, like a server's code, is what a
// comparison looks across, so it stays out of the fingerprint.
TEST(EnvironmentTest, TheMethodHoldsWhatChangesTheNumbers) {
  Config config;
  config.sample_interval = std::chrono::milliseconds(50);
  Environment env = SomeMachine();
  auto method = MethodOf(config, env, {{"closed", "oha -z 10s"}});
  EXPECT_EQ(method.at("postgres"), "postgres (PostgreSQL) 15.18");
  EXPECT_EQ(method.at("python3"), "Python 3.11.2");
  EXPECT_EQ(method.at("rustc"), "rustc 1.95.0");
  EXPECT_EQ(method.at("g++"), "12.2.0");
  EXPECT_EQ(method.at("sample_interval"), "50ms");
  EXPECT_EQ(method.at("code:(harness)"), "abc1234");
  std::string fingerprint = Fingerprint(method);

  env.versions["postgres"] = "postgres (PostgreSQL) 15.20";
  EXPECT_NE(Fingerprint(MethodOf(config, env, {{"closed", "oha -z 10s"}})), fingerprint);
  env = SomeMachine();
  config.sample_interval = std::chrono::milliseconds(100);
  EXPECT_NE(Fingerprint(MethodOf(config, env, {{"closed", "oha -z 10s"}})), fingerprint);
  config.sample_interval = std::chrono::milliseconds(50);
  env.git_sha = "fedcba9";
  env.git_dirty = true;
  auto other = MethodOf(config, env, {{"closed", "oha -z 10s"}});
  EXPECT_EQ(other.at("code:(harness)"), "fedcba9-dirty");
  EXPECT_EQ(Fingerprint(other), fingerprint);
}

}  // namespace
}  // namespace harness
