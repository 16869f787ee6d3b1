#include "db_status.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace cpp_beast {
namespace {

class DatabaseStatusTest : public ::testing::Test {
 protected:
  std::vector<std::string> lines_;
  DatabaseStatus status_{[this](const std::string& line) { lines_.push_back(line); }};
};

TEST_F(DatabaseStatusTest, DownOnceWhenNoConnectionCanOpenAndBackOnce) {
  status_.ConnectionUp();
  status_.ConnectionUp();
  status_.ConnectionLost();
  status_.ConnectFailed("Connection refused");
  EXPECT_TRUE(lines_.empty());  // One connection is still up.
  status_.ConnectionLost();
  EXPECT_TRUE(lines_.empty());  // Lost, not yet failed to reopen: a restart looks like this.
  status_.ConnectFailed("connection to server failed: Connection refused\n\tIs the server up?");
  ASSERT_EQ(lines_.size(), 1u);
  EXPECT_EQ(lines_[0],
            "cpp-beast: database down (connection to server failed: Connection refused  Is the "
            "server up?): answering 503 until it is back");
  for (int i = 0; i < 100; ++i) status_.ConnectFailed("Connection refused");
  EXPECT_EQ(lines_.size(), 1u);
  status_.ConnectionUp();
  ASSERT_EQ(lines_.size(), 2u);
  EXPECT_TRUE(lines_[1].starts_with("cpp-beast: database back after ")) << lines_[1];
  status_.ConnectionUp();
  status_.QueryAnswered();
  EXPECT_EQ(lines_.size(), 2u);
  EXPECT_FALSE(status_.down());
}

TEST_F(DatabaseStatusTest, ConnectFailuresAtStartAreOneLine) {
  for (int i = 0; i < 10; ++i) status_.ConnectFailed("connection refused");
  ASSERT_EQ(lines_.size(), 1u);
  EXPECT_TRUE(status_.down());
  status_.ConnectionUp();
  EXPECT_EQ(lines_.size(), 2u);
  EXPECT_FALSE(status_.down());
}

TEST_F(DatabaseStatusTest, ATimeoutIsDownEvenWithConnectionsUp) {
  status_.ConnectionUp();
  status_.QueryTimedOut("no answer within 1000 ms");
  status_.QueryTimedOut("no answer within 1000 ms");
  ASSERT_EQ(lines_.size(), 1u);
  EXPECT_NE(lines_[0].find("no answer within 1000 ms"), std::string::npos);
  status_.QueryAnswered();
  EXPECT_EQ(lines_.size(), 2u);
}

TEST_F(DatabaseStatusTest, RefusalsAreRateLimited) {
  for (int i = 0; i < 1000; ++i) status_.Refused("request queue full (1024 waiting)");
  ASSERT_EQ(lines_.size(), 1u);
  EXPECT_EQ(lines_[0], "cpp-beast: answering 503: request queue full (1024 waiting)");
}

}  // namespace
}  // namespace cpp_beast
