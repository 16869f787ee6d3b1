#include "users_json.h"

#include <cstring>

#include "json_escape.h"

namespace cpp_beast {
namespace {

// A field as text, without copying. PQgetvalue never returns null for a valid row and column.
std::string_view Field(const PGresult& result, int row, int column) {
  return std::string_view(PQgetvalue(&result, row, column),
                          static_cast<std::size_t>(PQgetlength(&result, row, column)));
}

}  // namespace

void AppendUserObject(std::string_view user_id, std::string_view username, std::string_view email,
                      std::string* out) {
  static constexpr std::string_view kOpen = R"({"user_id":")";
  static constexpr std::string_view kUsername = R"(","username":")";
  static constexpr std::string_view kEmail = R"(","email":")";
  static constexpr std::string_view kClose = R"("})";
  const std::size_t old_size = out->size();
  // One resize and raw writes instead of a dozen appends: the fixed pieces
  // then compile to plain moves. This is most of the CPU GET / spends in
  // user space.
  out->resize(old_size + kOpen.size() + kUsername.size() + kEmail.size() + kClose.size() +
              MaxJsonEscapedSize(user_id.size() + username.size() + email.size()));
  char* p = out->data() + old_size;
  const auto put = [&p](std::string_view piece) {
    std::memcpy(p, piece.data(), piece.size());
    p += piece.size();
  };
  put(kOpen);
  p = WriteJsonEscaped(user_id, p);
  put(kUsername);
  p = WriteJsonEscaped(username, p);
  put(kEmail);
  p = WriteJsonEscaped(email, p);
  put(kClose);
  out->resize(static_cast<std::size_t>(p - out->data()));
}

void AppendUsersJson(const PGresult& result, std::string* out) {
  out->push_back('[');
  const int rows = PQntuples(&result);
  for (int row = 0; row < rows; ++row) {
    if (row > 0) out->push_back(',');
    AppendUserJson(result, row, out);
  }
  out->push_back(']');
}

void AppendUserJson(const PGresult& result, int row, std::string* out) {
  AppendUserObject(Field(result, row, 0), Field(result, row, 1), Field(result, row, 2), out);
}

}  // namespace cpp_beast
