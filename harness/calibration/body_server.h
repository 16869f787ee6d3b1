// The HTTP ceiling's target: a server that answers every request with the same body from memory, so
// oha against it measures what HTTP alone costs on this machine (oha, the kernel's TCP, one
// response) with no database and no encoding. Harness-only; run as `harness serve-body`.
#pragma once

#include <string>

#include "util/result.h"

namespace harness {

// The response to every request, serialized once: status 200, Content-Type application/json,
// Content-Length, and Connection: close or keep-alive.
std::string BodyResponse(const std::string& body, bool keep_alive);

// Listens on 127.0.0.1:`port` and answers until we are interrupted (SIGTERM). Each of `threads`
// threads accepts a connection and serves it to its end, so up to `threads` connections are
// served at once; more wait in the listen backlog. Errors: the port could not be bound.
Status ServeBody(int port, const std::string& body, int threads);

}  // namespace harness
