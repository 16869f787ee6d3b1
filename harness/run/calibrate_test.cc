#include "run/calibrate.h"

#include <gtest/gtest.h>

namespace harness {
namespace {

Scenario WithSql(const std::string& sql) {
  Scenario s;
  s.expect = Expectation{};
  s.expect->body.kind = BodyKind::kSql;
  s.expect->body.sql = sql;
  return s;
}

// The database ceiling measures GET /'s query; a scenario is compared with it only when its
// requests run that query.
TEST(CalibrateTest, WhichScenariosRunTheBenchmarkQuery) {
  EXPECT_TRUE(RunsTheBenchmarkQuery(Scenario{}));  // the contract's GET /
  EXPECT_TRUE(RunsTheBenchmarkQuery(
      WithSql("select user_id, username, email\n  from \"user\" order by user_id limit 100;")));
  Scenario user = WithSql(R"(SELECT user_id, username, email FROM "user" WHERE username = $1)");
  user.expect->body.params = "^/users/(.*)$";
  user.expect->body.object = true;
  EXPECT_FALSE(RunsTheBenchmarkQuery(user));
  Scenario shape;
  shape.expect = Expectation{};
  shape.expect->body.kind = BodyKind::kShape;
  EXPECT_FALSE(RunsTheBenchmarkQuery(shape));
}

}  // namespace
}  // namespace harness
