#include "users_json.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "seed_users.h"

namespace cpp_beast {
namespace {

TEST(AppendUserObjectTest, KeyOrderAndEscaping) {
  std::string out;
  AppendUserObject("id-1", "a\"b", "e@x.org", &out);
  EXPECT_EQ(out, R"({"user_id":"id-1","username":"a\"b","email":"e@x.org"})");
}

TEST(AppendUsersJsonTest, TheSeedRowsMakeTheDocumentGetServes) {
  std::string out = "x";
  AppendUsersJson(*MakeUsersResult(kSeedUsers), &out);
  ASSERT_EQ(out.size(), 1 + kSeedUsersJsonSize);
  const nlohmann::json users = nlohmann::json::parse(out.substr(1));
  ASSERT_EQ(users.size(), 100u);
  for (std::size_t i = 0; i < users.size(); ++i) {
    EXPECT_EQ(users[i].dump(), nlohmann::json({{"email", kSeedUsers[i].email},
                                               {"user_id", kSeedUsers[i].user_id},
                                               {"username", kSeedUsers[i].username}})
                                   .dump());
  }
  EXPECT_TRUE(out.starts_with(R"(x[{"user_id":")"));
}

TEST(AppendUsersJsonTest, NoRowsIsAnEmptyArray) {
  std::string out;
  AppendUsersJson(*MakeUsersResult({}), &out);
  EXPECT_EQ(out, "[]");
}

TEST(AppendUserJsonTest, OneRow) {
  const SeedUser users[] = {{"1", "a", "a@x"}, {"2", "b\n", "b@x"}};
  std::string out;
  AppendUserJson(*MakeUsersResult(users), 1, &out);
  EXPECT_EQ(out, R"({"user_id":"2","username":"b\n","email":"b@x"})");
}

}  // namespace
}  // namespace cpp_beast
