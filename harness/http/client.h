// A small HTTP/1.1 client (Boost.Beast) for checking servers, never for load: oha does that.
// Every call is bounded by a timeout and talks to 127.0.0.1, or to the address of the host a
// run placed the server on (README, "More than one machine").
#pragma once

#include <map>
#include <string>
#include <vector>

#include "config/duration.h"
#include "util/net.h"
#include "util/result.h"

namespace harness {

struct HttpRequest {
  std::string method = "GET";
  std::string target = "/";
  bool keep_alive = true;  // false: sends Connection: close
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // beside Host and User-Agent
};

struct HttpResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;
  bool chunked = false;
  bool closed_by_server = false;  // EOF seen after the response (checked when we asked to close)

  bool has(const std::string& name) const { return headers.contains(name); }
};

// Sends the requests one after another on one connection to address:port and reads each answer.
Result<std::vector<HttpResponse>> HttpExchange(int port, const std::vector<HttpRequest>& requests,
                                               Duration timeout,
                                               const std::string& address = kLoopback);

// One request on a connection of its own.
Result<HttpResponse> HttpFetch(int port, const HttpRequest& request, Duration timeout,
                               const std::string& address = kLoopback);

// `count` GETs of `target` at once, each on its own connection; the status of each (0 when it
// failed: refused, reset, timed out).
std::vector<int> HttpConcurrentGets(int port, int count, const std::string& target,
                                    Duration timeout);

}  // namespace harness
