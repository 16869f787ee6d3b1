// The JSON documents the server answers with, written straight from libpq's results.
#ifndef SERVERS_CPP_BEAST_USERS_JSON_H_
#define SERVERS_CPP_BEAST_USERS_JSON_H_

#include <libpq-fe.h>

#include <string>
#include <string_view>

namespace cpp_beast {

// Appends `{"user_id":…,"username":…,"email":…}` to `*out`, in that key order.
void AppendUserObject(std::string_view user_id, std::string_view username, std::string_view email,
                      std::string* out);

// Appends every row of `result` (columns user_id, username, email, as the statements of
// queries.h select them) as a JSON array of user objects.
void AppendUsersJson(const PGresult& result, std::string* out);

// Appends row `row` of `result` as one user object.
void AppendUserJson(const PGresult& result, int row, std::string* out);

}  // namespace cpp_beast

#endif  // SERVERS_CPP_BEAST_USERS_JSON_H_
