// The value of the HTTP `Date` header (RFC 9110 IMF-fixdate).
#ifndef SERVERS_CPP_BEAST_HTTP_DATE_H_
#define SERVERS_CPP_BEAST_HTTP_DATE_H_

#include <ctime>
#include <string_view>

namespace cpp_beast {

// Length of an IMF-fixdate such as "Sun, 06 Nov 1994 08:49:37 GMT".
inline constexpr int kHttpDateLength = 29;

// Writes `t` as an IMF-fixdate into `out[0..28]` (no terminator). Does not
// depend on the C locale.
void FormatHttpDate(std::time_t t, char* out);

// The current time as an IMF-fixdate. Formats at most once per second per
// thread; the view stays valid until the calling thread's next call.
std::string_view CachedHttpDate();

}  // namespace cpp_beast

#endif  // SERVERS_CPP_BEAST_HTTP_DATE_H_
