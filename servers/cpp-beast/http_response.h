// Response heads and error bodies, kept free of I/O so the wire format can be unit tested byte
// for byte.
#ifndef SERVERS_CPP_BEAST_HTTP_RESPONSE_H_
#define SERVERS_CPP_BEAST_HTTP_RESPONSE_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace cpp_beast {

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
// from `keep_alive`; adds `Allow: GET, HEAD` to a 405.
void AppendResponseHead(const ResponseHead& head, std::string_view date, std::string* out);

// The interim response to `Expect: 100-continue` (RFC 9110 §10.1.1).
inline constexpr std::string_view kContinueResponse = "HTTP/1.1 100 Continue\r\n\r\n";

// A short text/plain body for an error status, newline-terminated.
std::string_view ErrorBody(int status);

}  // namespace cpp_beast

#endif  // SERVERS_CPP_BEAST_HTTP_RESPONSE_H_
