// What a session allows and reserves per connection: server.cc applies these, and the
// microbenchmarks (*_bench.cc) use the same values so that they measure what the server does.
#ifndef SERVERS_CPP_BEAST_SESSION_LIMITS_H_
#define SERVERS_CPP_BEAST_SESSION_LIMITS_H_

#include <cstddef>
#include <cstdint>

namespace cpp_beast {

// Generous for any real GET, small enough that one connection cannot make
// the server buffer much.
inline constexpr std::uint32_t kHeaderLimit = 8 * 1024;
inline constexpr std::uint64_t kBodyLimit = 4 * 1024;
inline constexpr std::size_t kReadChunk = 4 * 1024;
// The users document is about 10.3 KiB; reserving once per connection keeps
// keep-alive requests free of reallocation.
inline constexpr std::size_t kBodyReserve = 12 * 1024;
inline constexpr std::size_t kHeadReserve = 256;

}  // namespace cpp_beast

#endif  // SERVERS_CPP_BEAST_SESSION_LIMITS_H_
