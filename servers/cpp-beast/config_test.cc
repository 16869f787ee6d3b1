#include "config.h"

#include <gtest/gtest.h>
#include <sched.h>

#include <algorithm>
#include <map>
#include <string>

namespace cpp_beast {
namespace {

class ConfigTest : public ::testing::Test {
 protected:
  std::optional<Config> Parse() {
    return ConfigFromEnv(
        [this](const char* name) -> const char* {
          const auto it = env_.find(name);
          return it == env_.end() ? nullptr : it->second.c_str();
        },
        &error_);
  }

  // insert_or_assign from a std::string sidesteps a GCC 12 -Wrestrict false
  // positive in std::string::operator=(const char*).
  void Set(const char* name, const char* value) { env_.insert_or_assign(name, std::string(value)); }

  std::map<std::string, std::string> env_ = {{"PORT", "8003"},
                                             {"DATABASE_URL", "postgres://u@h:1/db"}};
  std::string error_;
};

// The CPUs this process may run on, as the server counts them.
int UsableCpus() {
  cpu_set_t set;
  EXPECT_EQ(sched_getaffinity(0, sizeof set, &set), 0);
  return CPU_COUNT(&set);
}

TEST_F(ConfigTest, Defaults) {
  const auto config = Parse();
  ASSERT_TRUE(config.has_value()) << error_;
  EXPECT_EQ(config->port, 8003);
  EXPECT_EQ(config->host, "127.0.0.1");
  EXPECT_EQ(config->database_url, "postgres://u@h:1/db");
  EXPECT_EQ(config->db_pool_size, 5);
  EXPECT_EQ(config->threads, std::min(5, UsableCpus()));
  EXPECT_EQ(config->inject_delay.count(), 0);
  EXPECT_EQ(config->pipeline_depth, 2);
  EXPECT_TRUE(config->handle_signals);
}

// HOST: the address a run that places the server on a host of its own gives; never a wildcard.
TEST_F(ConfigTest, HostIsAnIpv4AddressButNotTheWildcard) {
  Set("HOST", "10.1.2.3");
  auto config = Parse();
  ASSERT_TRUE(config.has_value()) << error_;
  EXPECT_EQ(config->host, "10.1.2.3");
  for (const char* bad : {"0.0.0.0", "db.example", "::1"}) {
    Set("HOST", bad);
    EXPECT_FALSE(Parse().has_value()) << bad;
    EXPECT_NE(error_.find("HOST"), std::string::npos) << error_;
  }
}

TEST_F(ConfigTest, ThreadsDefaultToTheCpusButNeverExceedThePool) {
  Set("DB_POOL_SIZE", "1");
  auto config = Parse();
  ASSERT_TRUE(config.has_value()) << error_;
  EXPECT_EQ(config->threads, 1);

  Set("DB_POOL_SIZE", "8");
  Set("THREADS", "8");
  Set("INJECT_DELAY_US", "250");
  config = Parse();
  ASSERT_TRUE(config.has_value()) << error_;
  EXPECT_EQ(config->db_pool_size, 8);
  EXPECT_EQ(config->threads, 8);
  EXPECT_EQ(config->inject_delay.count(), 250);
}

// A thread without a connection of its own would stall its requests: refused at start.
TEST_F(ConfigTest, MoreThreadsThanConnectionsIsAnError) {
  Set("DB_POOL_SIZE", "5");
  Set("THREADS", "6");
  EXPECT_FALSE(Parse().has_value());
  EXPECT_EQ(error_,
            "THREADS (6) must not exceed DB_POOL_SIZE (5): each thread needs a database "
            "connection of its own");
}

TEST_F(ConfigTest, PipelineDepthIsOneToSixteen) {
  Set("PIPELINE_DEPTH", "4");
  auto config = Parse();
  ASSERT_TRUE(config.has_value()) << error_;
  EXPECT_EQ(config->pipeline_depth, 4);
  for (const char* bad : {"0", "17", "two"}) {
    Set("PIPELINE_DEPTH", bad);
    EXPECT_FALSE(Parse().has_value()) << bad;
    EXPECT_EQ(error_,
              std::string("PIPELINE_DEPTH must be an integer in [1, 16], got '") + bad + "'");
  }
}

TEST_F(ConfigTest, MissingRequired) {
  env_.erase("PORT");
  EXPECT_FALSE(Parse().has_value());
  EXPECT_NE(error_.find("PORT"), std::string::npos);

  Set("PORT", "1");
  env_.erase("DATABASE_URL");
  EXPECT_FALSE(Parse().has_value());
  EXPECT_NE(error_.find("DATABASE_URL"), std::string::npos);
}

TEST_F(ConfigTest, RejectsMalformedNumbers) {
  for (const char* bad : {"", "abc", "12x", "-1", "+5", " 5", "70000"}) {
    Set("PORT", bad);
    EXPECT_FALSE(Parse().has_value()) << "PORT=" << bad;
    EXPECT_NE(error_.find("PORT"), std::string::npos);
  }
  Set("PORT", "1");
  Set("DB_POOL_SIZE", "0");
  EXPECT_FALSE(Parse().has_value());
  EXPECT_NE(error_.find("DB_POOL_SIZE"), std::string::npos);
}

}  // namespace
}  // namespace cpp_beast
