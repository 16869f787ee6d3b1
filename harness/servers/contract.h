// The contract of servers/README.md as checks a harness can make. `harness run` uses them to
// verify a server before loading it; `harness check` (conformance.h) runs them all.
#pragma once

#include <string>
#include <vector>

#include "http/client.h"
#include "postgres/database.h"
#include "util/result.h"

namespace harness {

// Content-Type, Content-Length or chunked, Date.
Status CheckHeaders(const HttpResponse& response);

// 200, JSON, and the body equal (after parsing; keys user_id, username, email in that order) to
// `expected`, the rows the harness itself read for the benchmark query.
Status CheckUsersResponse(const HttpResponse& response, const std::vector<UserRow>& expected);

// Sends `requests` GET / on one keep-alive connection and checks in pg_stat_statements that they
// caused exactly that many executions of the benchmark query returning 100 rows each (a server
// that caches, or queries twice, fails).
Status CheckQueryCounts(int port, const std::string& dsn, int requests);

}  // namespace harness
