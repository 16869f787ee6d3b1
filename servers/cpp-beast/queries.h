// The statements cpp-beast runs: every database connection prepares all of them when it opens,
// and the request handler names one per request that needs the database.
#ifndef SERVERS_CPP_BEAST_QUERIES_H_
#define SERVERS_CPP_BEAST_QUERIES_H_

#include <string_view>

namespace cpp_beast {

enum class Statement {
  kUsers,       // GET /: the first 100 users by user_id. No parameter.
  kUserByName,  // GET /users/{username}: that user, or no row. One text parameter.
};

struct StatementText {
  const char* name;  // of the prepared statement
  const char* sql;
  int parameters;
};

inline constexpr StatementText kStatements[] = {
    {"users", R"(SELECT user_id, username, email FROM "user" ORDER BY user_id LIMIT 100)", 0},
    {"user_by_name", R"(SELECT user_id, username, email FROM "user" WHERE username = $1)", 1},
};

inline const StatementText& TextOf(Statement statement) {
  return kStatements[static_cast<int>(statement)];
}

}  // namespace cpp_beast

#endif  // SERVERS_CPP_BEAST_QUERIES_H_
