// The contract of servers/README.md as checks a harness can make. It is the default expectation
// of a scenario that declares none (servers/expect.h checks any expectation); `harness check`
// (conformance.h) runs every clause.
#pragma once

#include "config/config.h"
#include "http/client.h"
#include "util/result.h"

namespace harness {

// HTTP framing and the headers every answer carries: Content-Length or chunked encoding (but on
// 204 and 304), Date (RFC 9110 §6.6.1: a server with a clock sends it), and Content-Type when
// there is a body.
Status CheckHeaders(const HttpResponse& response);

// GET / answers 200, application/json, the rows of the benchmark query (the first 100 users by
// user_id; keys in any order), and causes one execution of that query returning 100 rows.
Expectation ContractExpectation();

}  // namespace harness
