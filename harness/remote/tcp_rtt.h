// The TCP round trip between two machines, as a connection's handshake measures it: connect()
// returns when the SYN-ACK is back, one round trip after the SYN. It bounds what a pool of
// connections can do: a pool of 5 making one query at a time does at most 5 / RTT queries per
// second however fast the database is.
#pragma once

#include <chrono>
#include <string>

#include "util/result.h"

namespace harness {

struct RttStats {
  std::string address;  // what `host` resolved to
  int port = 0;
  int tries = 0;
  double median_ms = 0, min_ms = 0, max_ms = 0;
};

// Connects to host:port `tries` times in a row (closing each connection at once) and times
// each connect(); each try gives up after `timeout`.
Result<RttStats> MeasureTcpRtt(const std::string& host, int port, int tries,
                               std::chrono::milliseconds timeout);

}  // namespace harness
