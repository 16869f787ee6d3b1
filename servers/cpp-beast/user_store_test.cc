#include "user_store.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <string>
#include <thread>

namespace cpp_beast {
namespace {

TEST(WithConnectTimeoutTest, AddsToUris) {
  EXPECT_EQ(WithConnectTimeout("postgres://u@h:5432/db"),
            "postgres://u@h:5432/db?connect_timeout=2");
  EXPECT_EQ(WithConnectTimeout("postgresql://u@h/db?sslmode=disable"),
            "postgresql://u@h/db?sslmode=disable&connect_timeout=2");
}

TEST(WithConnectTimeoutTest, AddsToKeyValueStrings) {
  EXPECT_EQ(WithConnectTimeout("host=h dbname=db"), "host=h dbname=db connect_timeout=2");
  EXPECT_EQ(WithConnectTimeout(""), "connect_timeout=2");
}

TEST(WithConnectTimeoutTest, KeepsExplicitTimeout) {
  EXPECT_EQ(WithConnectTimeout("postgres://h/db?connect_timeout=9"),
            "postgres://h/db?connect_timeout=9");
  EXPECT_EQ(WithConnectTimeout("host=h connect_timeout=9"), "host=h connect_timeout=9");
}

TEST(AppendUserObjectTest, KeyOrderAndEscaping) {
  std::string out;
  AppendUserObject("id-1", "a\"b", "e@x.org", &out);
  EXPECT_EQ(out, R"({"user_id":"id-1","username":"a\"b","email":"e@x.org"})");
}

// Nothing listens on port 1 of the loopback interface, so a connect attempt
// is refused at once.
constexpr char kDeadDatabase[] = "postgres://postgres@127.0.0.1:1/benchmark";

TEST(UserStoreTest, UnreachableDatabaseFailsFastAndLeavesOutputAlone) {
  UserStore store(kDeadDatabase, 2);
  EXPECT_EQ(store.Connect(), 0);
  std::string out = "keep";
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 5; ++i) EXPECT_FALSE(store.AppendUsersJson(&out));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
  EXPECT_EQ(out, "keep");
}

// Runs against a real database only when CPP_BEAST_TEST_DATABASE_URL names
// one loaded with postgres/schema.sql and seed.sql.
class LiveUserStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* url = std::getenv("CPP_BEAST_TEST_DATABASE_URL");
    if (url == nullptr) GTEST_SKIP() << "CPP_BEAST_TEST_DATABASE_URL unset";
    url_ = url;
  }
  std::string url_;
};

TEST_F(LiveUserStoreTest, ReturnsFirstHundredUsersInOrder) {
  UserStore store(url_, 2);
  EXPECT_EQ(store.Connect(), 2);
  std::string out;
  ASSERT_TRUE(store.AppendUsersJson(&out));
  const nlohmann::json users = nlohmann::json::parse(out);
  ASSERT_EQ(users.size(), 100u);
  for (std::size_t i = 1; i < users.size(); ++i) {
    EXPECT_LT(users[i - 1]["user_id"], users[i]["user_id"]);
  }
  EXPECT_TRUE(out.starts_with(R"([{"user_id":")"));
  // A second query on the same pooled connection gives the same document.
  std::string again;
  ASSERT_TRUE(store.AppendUsersJson(&again));
  EXPECT_EQ(again, out);
}

// Holds an exclusive lock on the table so the users query blocks, as it would
// on a stopped database server. Takes the lock for well under a second; point
// the variable at a scratch database, since other clients block too.
TEST_F(LiveUserStoreTest, WatchdogBreaksHungQueryThenRecovers) {
  UserStore store(url_, 1, std::chrono::milliseconds(300));
  std::string out;
  ASSERT_TRUE(store.AppendUsersJson(&out));
  {
    pqxx::connection locker(url_);
    pqxx::work txn(locker);
    txn.exec(R"(LOCK TABLE "user" IN ACCESS EXCLUSIVE MODE)");
    const auto start = std::chrono::steady_clock::now();
    out.clear();
    EXPECT_FALSE(store.AppendUsersJson(&out));
    const auto took = std::chrono::steady_clock::now() - start;
    EXPECT_GE(took, std::chrono::milliseconds(300));
    EXPECT_LT(took, std::chrono::milliseconds(1500));
    EXPECT_TRUE(out.empty());
    // Right after a timeout the slot refuses at once instead of waiting out
    // another connect to a server that may be hung.
    const auto refused_at = std::chrono::steady_clock::now();
    EXPECT_FALSE(store.AppendUsersJson(&out));
    EXPECT_LT(std::chrono::steady_clock::now() - refused_at, std::chrono::milliseconds(100));
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(1);
  bool recovered = false;
  while (!recovered && std::chrono::steady_clock::now() < deadline) {
    recovered = store.AppendUsersJson(&out);
    if (!recovered) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_TRUE(recovered);
}

}  // namespace
}  // namespace cpp_beast
