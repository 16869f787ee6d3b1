#include "config.h"

#include <sched.h>

// Boost 1.74's Asio needs <utility> before it in C++20.
// clang-format off
#include <utility>
// clang-format on

#include <algorithm>
#include <boost/asio/ip/address_v4.hpp>
#include <charconv>
#include <cstring>
#include <system_error>

namespace cpp_beast {
namespace {

// Parses a whole decimal string in [min, max]; rejects signs, spaces and
// trailing junk so a typo fails loudly instead of running a wrong benchmark.
bool ParseInt(const char* text, long long min, long long max, long long* value) {
  const char* end = text + std::strlen(text);
  if (text == end || *text == '+' || *text == '-') return false;
  const auto result = std::from_chars(text, end, *value);
  return result.ec == std::errc() && result.ptr == end && *value >= min && *value <= max;
}

// Reads an optional integer variable; `*value` keeps its default when unset.
bool ReadInt(const EnvLookup& getenv, const char* name, long long min, long long max,
             long long* value, std::string* error) {
  const char* text = getenv(name);
  if (text == nullptr) return true;
  if (ParseInt(text, min, max, value)) return true;
  *error = std::string(name) + " must be an integer in [" + std::to_string(min) + ", " +
           std::to_string(max) + "], got '" + text + "'";
  return false;
}

// The CPUs this process may run on (taskset narrows them), so that pinning the server narrows
// its threads too.
long long UsableCpus() {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) != 0) return 1;
  return std::max(1, CPU_COUNT(&set));
}

}  // namespace

std::optional<Config> ConfigFromEnv(const EnvLookup& getenv, std::string* error) {
  Config config;
  if (getenv("PORT") == nullptr) {
    *error = "PORT is required";
    return std::nullopt;
  }
  long long port = 0;
  if (!ReadInt(getenv, "PORT", 0, 65535, &port, error)) return std::nullopt;
  config.port = static_cast<unsigned short>(port);

  if (const char* host = getenv("HOST"); host != nullptr && *host != '\0') {
    boost::system::error_code ec;
    const auto address = boost::asio::ip::make_address_v4(host, ec);
    if (ec || address.is_unspecified()) {
      *error = std::string("HOST must be an IPv4 address other than 0.0.0.0, not '") + host + "'";
      return std::nullopt;
    }
    config.host = host;
  }

  const char* url = getenv("DATABASE_URL");
  if (url == nullptr || *url == '\0') {
    *error = "DATABASE_URL is required";
    return std::nullopt;
  }
  config.database_url = url;

  long long pool = 5;
  if (!ReadInt(getenv, "DB_POOL_SIZE", 1, 1000, &pool, error)) {
    return std::nullopt;
  }
  config.db_pool_size = static_cast<int>(pool);

  // A thread serves its requests with its own connections only, so one more thread than
  // connections would have none: refused here rather than found out as a stall.
  long long threads = std::min(pool, UsableCpus());
  if (!ReadInt(getenv, "THREADS", 1, 1024, &threads, error)) {
    return std::nullopt;
  }
  if (threads > pool) {
    *error = "THREADS (" + std::to_string(threads) + ") must not exceed DB_POOL_SIZE (" +
             std::to_string(pool) + "): each thread needs a database connection of its own";
    return std::nullopt;
  }
  config.threads = static_cast<int>(threads);

  long long delay_us = 0;
  if (!ReadInt(getenv, "INJECT_DELAY_US", 0, 10'000'000, &delay_us, error)) {
    return std::nullopt;
  }
  config.inject_delay = std::chrono::microseconds(delay_us);

  long long depth = config.pipeline_depth;
  if (!ReadInt(getenv, "PIPELINE_DEPTH", 1, 16, &depth, error)) return std::nullopt;
  config.pipeline_depth = static_cast<int>(depth);
  return config;
}

}  // namespace cpp_beast
