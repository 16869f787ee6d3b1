// Routing and response-header serialization, kept free of I/O so the wire
// format can be unit tested byte for byte.
#ifndef SERVERS_CPP_BEAST_HTTP_RESPONSE_H_
#define SERVERS_CPP_BEAST_HTTP_RESPONSE_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace cpp_beast {

enum class Route {
  kUsers,             // GET /
  kNotFound,          // any other path
  kMethodNotAllowed,  // / with a method other than GET
};

// `target` is the request-target as received; a query string is ignored.
Route RouteRequest(bool is_get, std::string_view target);

struct ResponseHead {
  int status = 200;
  std::string_view content_type = "application/json";
  std::size_t content_length = 0;
  int version = 11;  // Beast's encoding: 10 for HTTP/1.0, 11 for HTTP/1.1.
  bool keep_alive = true;
};

// Appends the status line and headers, through the blank line, to `*out`.
// Always writes Content-Type, Content-Length and Date (`date` must be an
// IMF-fixdate); writes `Connection` only where the version's default differs
// from `keep_alive`; adds `Allow: GET` to a 405.
void AppendResponseHead(const ResponseHead& head, std::string_view date, std::string* out);

// A short text/plain body for an error status, newline-terminated.
std::string_view ErrorBody(int status);

}  // namespace cpp_beast

#endif  // SERVERS_CPP_BEAST_HTTP_RESPONSE_H_
