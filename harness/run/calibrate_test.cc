#include "run/calibrate.h"

#include <gtest/gtest.h>

#include "servers/contract.h"

namespace harness {
namespace {

// The HTTP ceiling serves what a correct server answers, byte for byte the same size.
TEST(UsersJsonTest, IsWhatTheContractAccepts) {
  std::vector<UserRow> rows = {{"c4ca4238-a0b9-2382-0dcc-509a6f75849b", "user1", "user1@x.org"},
                               {"c81e728d-9d4c-2f63-6f06-7f89cc14862c", "user \"2\"", "u2@x.org"}};
  HttpResponse response;
  response.status = 200;
  response.headers["content-type"] = "application/json";
  response.headers["date"] = "Wed, 25 Nov 2026 22:00:00 GMT";
  response.body = UsersJson(rows);
  response.headers["content-length"] = std::to_string(response.body.size());
  Status ok = CheckUsersResponse(response, rows);
  EXPECT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(response.body.substr(0, 61),
            R"([{"user_id":"c4ca4238-a0b9-2382-0dcc-509a6f75849b","username")");
  EXPECT_EQ(UsersJson({}), "[]");
}

}  // namespace
}  // namespace harness
